// SPDX-License-Identifier: GPL-2.0
/* nflog messages, log prefixes and packet headers (nflog.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>

#include "nflog.h"
#include "profile.h"

static const char *const mode_word[] = {
	[KCS_MODE_AUDIT] = "audit", [KCS_MODE_ENFORCE] = "enforce",
};

int kcs_nflog_tag_format(const struct kcs_nflog_tag *t, char *buf,
			 size_t len)
{
	int n;

	if ((t->mode != KCS_MODE_AUDIT && t->mode != KCS_MODE_ENFORCE) ||
	    (t->rule_kind != KCS_RULE_BLOCK &&
	     t->rule_kind != KCS_RULE_NOT_ALLOWED) ||
	    !kcs_profile_name_valid(t->profile))
		return -1;
	n = snprintf(buf, len, "%s %s %s %" PRIu64 " %08" PRIx32 " %s",
		     KCS_NFLOG_TAG, mode_word[t->mode],
		     t->rule_kind == KCS_RULE_BLOCK ? "block" : "not-allowed",
		     t->cgroup_id, t->gen, t->profile);
	return n < 0 || (size_t)n >= len || n >= KCS_NFLOG_PREFIX_MAX ? -1 : 0;
}

/* The next space-separated word of *@s into @w (at most @len - 1 bytes). */
static int word(const char **s, char *w, size_t len)
{
	size_t n = strcspn(*s, " ");

	if (!n || n >= len)
		return -1;
	memcpy(w, *s, n);
	w[n] = '\0';
	*s += n;
	if (**s == ' ') {
		(*s)++;
		if (!**s)	/* a trailing space */
			return -1;
	} else if (**s) {
		return -1;
	}
	return 0;
}

static int number(const char *w, int base, uint64_t max, uint64_t *v)
{
	char *end;

	if (!*w || *w == '-' || *w == '+' || *w == ' ')
		return -1;
	errno = 0;
	*v = strtoull(w, &end, base);
	return *end || errno || *v > max ? -1 : 0;
}

int kcs_nflog_tag_parse(const char *s, struct kcs_nflog_tag *t)
{
	char w[KCS_NFLOG_PREFIX_MAX];
	uint64_t v;

	memset(t, 0, sizeof(*t));
	if (word(&s, w, sizeof(w)) || strcmp(w, KCS_NFLOG_TAG) ||
	    word(&s, w, sizeof(w)))
		return -1;
	if (!strcmp(w, "audit"))
		t->mode = KCS_MODE_AUDIT;
	else if (!strcmp(w, "enforce"))
		t->mode = KCS_MODE_ENFORCE;
	else
		return -1;
	if (word(&s, w, sizeof(w)))
		return -1;
	if (!strcmp(w, "block"))
		t->rule_kind = KCS_RULE_BLOCK;
	else if (!strcmp(w, "not-allowed"))
		t->rule_kind = KCS_RULE_NOT_ALLOWED;
	else
		return -1;
	if (word(&s, w, sizeof(w)) || number(w, 10, UINT64_MAX, &t->cgroup_id) ||
	    word(&s, w, sizeof(w)) || strlen(w) != 8 ||
	    number(w, 16, UINT32_MAX, &v) ||
	    word(&s, t->profile, sizeof(t->profile)) || *s ||
	    !kcs_profile_name_valid(t->profile))
		return -1;
	t->gen = (uint32_t)v;
	return 0;
}

struct attrs {
	const struct nlattr *tb[NFULA_MAX + 1];
};

static int attr_cb(const struct nlattr *a, void *data)
{
	struct attrs *at = data;
	int type = mnl_attr_get_type(a);

	/* Attributes of a newer kernel are ignored. */
	if (mnl_attr_type_valid(a, NFULA_MAX) > 0)
		at->tb[type] = a;
	return MNL_CB_OK;
}

int kcs_nflog_parse(const struct nlmsghdr *nlh, struct kcs_nflog_pkt *p)
{
	struct attrs at = { { 0 } };
	const struct nlattr *a;

	memset(p, 0, sizeof(*p));
	if (nlh->nlmsg_type != ((NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET))
		return 0;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(struct nfgenmsg)) ||
	    mnl_attr_parse(nlh, sizeof(struct nfgenmsg), attr_cb, &at) < 0)
		return -1;
	a = at.tb[NFULA_PAYLOAD];
	if (!a)
		return -1;
	p->payload = mnl_attr_get_payload(a);
	p->paylen = mnl_attr_get_payload_len(a);
	a = at.tb[NFULA_PREFIX];
	if (a) {
		const char *s = mnl_attr_get_payload(a);
		uint16_t n = mnl_attr_get_payload_len(a);

		if (!n || memchr(s, '\0', n) == NULL)
			return -1;
		p->prefix = s;
	}
	a = at.tb[NFULA_SEQ];
	if (a) {
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return -1;
		p->has_seq = 1;
		p->seq = ntohl(mnl_attr_get_u32(a));
	}
	a = at.tb[NFULA_TIMESTAMP];
	if (a) {
		struct nfulnl_msg_packet_timestamp ts;

		if (mnl_attr_get_payload_len(a) != sizeof(ts))
			return -1;
		memcpy(&ts, mnl_attr_get_payload(a), sizeof(ts));
		p->has_time = 1;
		p->time_ns = be64toh(ts.sec) * 1000000000ULL +
			     be64toh(ts.usec) * 1000ULL;
	}
	return 1;
}

uint32_t kcs_nflog_seq_track(struct kcs_nflog_seq *t, uint32_t seq)
{
	uint32_t lost = t->have ? seq - t->next : 0;

	t->have = 1;
	t->next = seq + 1;
	return lost;
}

static void words(const uint8_t *b, int n, uint32_t w[4])
{
	int i;

	memset(w, 0, 16);
	for (i = 0; i < n; i++)
		w[4 - n + i] = (uint32_t)b[4 * i] << 24 | b[4 * i + 1] << 16 |
			       b[4 * i + 2] << 8 | b[4 * i + 3];
}

int kcs_pkt_parse(const uint8_t *p, size_t len, struct kcs_pkt_tuple *t,
		  const char **why)
{
	size_t off;
	uint8_t nh;

	memset(t, 0, sizeof(*t));
	*why = "truncated packet";
	if (len < 1)
		return -1;
	if (p[0] >> 4 == 4) {
		if (len < 20 || (p[0] & 0xf) < 5 || len < (size_t)(p[0] & 0xf) * 4)
			return -1;
		*why = "a non-first fragment";
		if ((p[6] << 8 | p[7]) & 0x1fff)
			return -1;
		words(p + 12, 1, t->src);
		words(p + 16, 1, t->dst);
		nh = p[9];
		off = (size_t)(p[0] & 0xf) * 4;
	} else if (p[0] >> 4 == 6) {
		if (len < 40)
			return -1;
		t->v6 = 1;
		words(p + 8, 4, t->src);
		words(p + 24, 4, t->dst);
		nh = p[6];
		off = 40;
		for (;;) {
			if (nh == 0 || nh == 43 || nh == 60) {	/* hop, routing, dst */
				*why = "truncated packet";
				if (len < off + 8)
					return -1;
				nh = p[off];
				off += ((size_t)p[off + 1] + 1) * 8;
			} else if (nh == 44) {			/* fragment */
				*why = "truncated packet";
				if (len < off + 8)
					return -1;
				*why = "a non-first fragment";
				if ((p[off + 2] << 8 | p[off + 3]) & 0xfff8)
					return -1;
				nh = p[off];
				off += 8;
			} else if (nh == 51) {			/* AH */
				*why = "truncated packet";
				if (len < off + 8)
					return -1;
				nh = p[off];
				off += ((size_t)p[off + 1] + 2) * 4;
			} else {
				break;
			}
		}
	} else {
		*why = "neither IPv4 nor IPv6";
		return -1;
	}
	*why = "neither TCP nor UDP";
	if (nh != IPPROTO_TCP && nh != IPPROTO_UDP)
		return -1;
	*why = "truncated packet";
	if (len < off + 4)
		return -1;
	t->proto = nh;
	t->l4off = off;
	t->sport = (uint16_t)(p[off] << 8 | p[off + 1]);
	t->dport = (uint16_t)(p[off + 2] << 8 | p[off + 3]);
	return 0;
}
