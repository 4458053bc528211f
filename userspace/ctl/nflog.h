/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfnetlink_log (nflog) messages as kcs's ingress rules produce them, and
 * the log prefix those rules carry. Pure parsing, no sockets: see
 * nflog_sock.c for those.
 *
 * The prefix names everything an event needs that the packet does not:
 *
 *   kcs-ingress MODE KIND CGROUP_ID GEN PROFILE
 *   kcs-ingress enforce block 8812 5f3a09c1 web
 *
 * MODE audit|enforce, KIND block|not-allowed, CGROUP_ID decimal, GEN the
 * table generation (8 hex digits, also in the namespace record), PROFILE
 * the profile name. At most 125 bytes: nftables allows 127.
 */
#ifndef KCS_NFLOG_H
#define KCS_NFLOG_H

#include <stddef.h>
#include <stdint.h>
#include <linux/kcs.h>
#include <linux/netlink.h>

#define KCS_NFLOG_GROUP		1714	/* kcsadm's, not the ABI's */
#define KCS_NFLOG_TAG		"kcs-ingress"
#define KCS_NFLOG_PREFIX_MAX	128	/* NF_LOG_PREFIXLEN, with the NUL */
#define KCS_NFLOG_SNAPLEN	256	/* IP + extension headers + ports */

struct kcs_nflog_tag {
	uint32_t mode;			/* KCS_MODE_AUDIT or _ENFORCE */
	uint32_t rule_kind;		/* KCS_RULE_BLOCK or _NOT_ALLOWED */
	uint64_t cgroup_id;
	uint32_t gen;
	char profile[KCS_NAME_MAX];
};

/* Format @t into @buf (KCS_NFLOG_PREFIX_MAX bytes); -1 when invalid. */
int kcs_nflog_tag_format(const struct kcs_nflog_tag *t, char *buf,
			 size_t len);
/* Parse a prefix; -1 when it is not one of ours (or malformed). */
int kcs_nflog_tag_parse(const char *s, struct kcs_nflog_tag *t);

/* One logged packet. Pointers point into the message. */
struct kcs_nflog_pkt {
	int has_seq;
	uint32_t seq;			/* NFULA_SEQ: per instance, +1 per packet */
	int has_time;
	uint64_t time_ns;		/* NFULA_TIMESTAMP, CLOCK_REALTIME */
	const char *prefix;		/* NULL when absent */
	const uint8_t *payload;		/* from the network header on */
	size_t paylen;
};

/*
 * Parse one netlink message of an nflog socket: 1 and @p filled for an
 * NFULNL_MSG_PACKET, 0 for anything else (NLMSG_DONE, acks, other
 * subsystems), -1 when a packet message is malformed.
 */
int kcs_nflog_parse(const struct nlmsghdr *nlh, struct kcs_nflog_pkt *p);

/* Losses in an nflog instance's sequence (NFULA_SEQ, per namespace). */
struct kcs_nflog_seq {
	int have;
	uint32_t next;
};

/* Account packet sequence number @seq; returns how many were missed
 * before it (0: none; the counter wraps at 2^32). */
uint32_t kcs_nflog_seq_track(struct kcs_nflog_seq *t, uint32_t seq);

/* Addresses and ports of a packet, host-order words like kcs_net_rule
 * (IPv4 in w[3]). */
struct kcs_pkt_tuple {
	int v6;
	uint32_t src[4], dst[4];
	uint8_t proto;			/* IPPROTO_TCP or IPPROTO_UDP */
	uint16_t sport, dport;
	size_t l4off;			/* where the TCP/UDP header starts */
};

/*
 * Parse IPv4 or IPv6 (with extension headers) + TCP/UDP ports from @p.
 * 0, or -1 with a static reason in *@why (truncated, not TCP/UDP, a
 * non-first fragment).
 */
int kcs_pkt_parse(const uint8_t *p, size_t len, struct kcs_pkt_tuple *t,
		  const char **why);

#endif /* KCS_NFLOG_H */
