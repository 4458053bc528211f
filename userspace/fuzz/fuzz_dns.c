// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: what netwatch --dns-netns parses of the DNS answers a
 * container receives (ctl/dns_answer.c, ctl/nfqueue.c). The packet comes
 * from whatever resolver the container talks to, so none of it is
 * trusted.
 *
 * The input is tried as an IP packet (the message found must lie inside
 * it), as a bare DNS message, and, framed as an nfqueue packet message
 * when byte 4 is even, through kcs_nfq_parse() (the payload must lie
 * inside the message). Whatever parses must be sane: a NUL-terminated
 * name, at most KCS_DNS_MAX_ADDRS addresses.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>

#include "dns_answer.h"
#include "fuzz_nl.h"
#include "nfqueue.h"

static void check_msg(const uint8_t *msg, size_t len)
{
	static struct kcs_dns_answer a;
	size_t i;
	int r = kcs_dns_answer_parse(msg, len, &a);

	if (r < -1 || r > 1)
		abort();
	if (r != 1)
		return;
	if (!memchr(a.qname, '\0', sizeof(a.qname)) ||
	    a.naddrs > KCS_DNS_MAX_ADDRS)
		abort();
	for (i = 0; i < a.naddrs; i++)
		if (a.addrs[i].v6 != 0 && a.addrs[i].v6 != 1)
			abort();
}

static void check_pkt(const uint8_t *p, size_t len)
{
	struct kcs_pkt_tuple t;
	const uint8_t *msg;
	size_t mlen;

	if (kcs_dns_from_packet(p, len, &msg, &mlen, &t))
		return;
	if (!inside(msg, mlen, p, len))
		abort();
	check_msg(msg, mlen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kcs_nfq_pkt p;
	uint8_t *buf;
	size_t alloc;

	check_pkt(data, size);
	check_msg(data, size);
	buf = fuzz_nl_frame(data, size, (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET,
			    &alloc);
	if (!buf)
		return 0;
	if (kcs_nfq_parse((struct nlmsghdr *)buf, &p) == 1) {
		if (!inside(p.payload, p.paylen, buf, alloc))
			abort();
		check_pkt(p.payload, p.paylen);
	}
	free(buf);
	return 0;
}
