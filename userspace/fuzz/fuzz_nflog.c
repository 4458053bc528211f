// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: what kcsadm monitor parses of nflog traffic
 * (ctl/nflog.c): the netlink message, the log prefix and the packet
 * headers. The packet comes from the network and the prefix from a table
 * in a namespace kcsadm does not own, so none of it is trusted.
 *
 * Input: a netlink message as a socket would deliver it (its length
 * field is set to the input's size, as mnl_nlmsg_ok() guarantees, and its
 * type to an nflog packet when byte 4 is even). Then:
 *  - what kcs_nflog_parse() returns points inside the message, and a
 *    prefix it returns is NUL-terminated there;
 *  - a prefix (or the input as a string) that kcs_nflog_tag_parse()
 *    accepts formats back into a prefix that parses to the same tag;
 *  - kcs_pkt_parse() on the payload (and on the whole input, to reach its
 *    header walk without the netlink framing) returns TCP or UDP or a
 *    reason.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>

#include "fuzz_nl.h"
#include "nflog.h"

static void check_tag(const char *s)
{
	struct kcs_nflog_tag t, again;
	char buf[KCS_NFLOG_PREFIX_MAX];

	if (kcs_nflog_tag_parse(s, &t))
		return;
	if (kcs_nflog_tag_format(&t, buf, sizeof(buf)) ||
	    kcs_nflog_tag_parse(buf, &again) ||
	    memcmp(&t, &again, sizeof(t)))
		abort();
}

static void check_pkt(const uint8_t *p, size_t len)
{
	struct kcs_pkt_tuple t;
	const char *why = NULL;

	if (kcs_pkt_parse(p, len, &t, &why) == 0) {
		if (t.proto != IPPROTO_TCP && t.proto != IPPROTO_UDP)
			abort();
	} else if (!why || !*why) {
		abort();
	}
}

/* The input itself as a prefix: the tag parser without the framing. */
static void check_str(const uint8_t *data, size_t size)
{
	char s[KCS_NFLOG_PREFIX_MAX + 8];

	if (size >= sizeof(s))
		return;
	memcpy(s, data, size);
	s[size] = '\0';
	check_tag(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kcs_nflog_pkt p;
	uint8_t *buf;
	size_t alloc;

	check_pkt(data, size);
	check_str(data, size);
	buf = fuzz_nl_frame(data, size, (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET,
			    &alloc);
	if (!buf)
		return 0;
	if (kcs_nflog_parse((struct nlmsghdr *)buf, &p) == 1) {
		if (!inside(p.payload, p.paylen, buf, alloc))
			abort();
		if (p.prefix) {
			const uint8_t *s = (const uint8_t *)p.prefix;

			if (!inside(s, 1, buf, alloc) ||
			    !memchr(s, '\0', alloc - (size_t)(s - buf)))
				abort();
			check_tag(p.prefix);
		}
		check_pkt(p.payload, p.paylen);
	}
	free(buf);
	return 0;
}
