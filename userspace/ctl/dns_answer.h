/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DNS answers as a container receives them: the DNS message inside an IP
 * packet from port 53 (UDP, or one whole length-prefixed message in a TCP
 * segment), and what an FQDN rule learns from it: the name asked and the
 * addresses it leads to, through the CNAME chain the answer section
 * carries. Pure parsing of untrusted bytes, no sockets (fuzz_dns.c).
 */
#ifndef KCS_DNS_ANSWER_H
#define KCS_DNS_ANSWER_H

#include <stddef.h>
#include <stdint.h>
#include <arpa/nameser.h>

#include "net.h"
#include "nflog.h"

/* Addresses taken from one answer; more are ignored. */
#define KCS_DNS_MAX_ADDRS	64
/* CNAME links followed from the name asked. */
#define KCS_DNS_MAX_CHAIN	16

struct kcs_dns_answer {
	char qname[NS_MAXDNAME];	/* lower case, no final dot */
	struct kcs_net_resolved addrs[KCS_DNS_MAX_ADDRS];
	size_t naddrs;
};

/*
 * The DNS message carried by IP packet @pkt (@len bytes, from the network
 * header on) from source port 53: 0, *@msg and *@mlen pointing inside
 * @pkt and @t its addresses and ports, or -1 (not IPv4/IPv6 UDP/TCP from port 53, truncated, a TCP
 * segment without one whole message).
 */
int kcs_dns_from_packet(const uint8_t *pkt, size_t len, const uint8_t **msg,
			size_t *mlen, struct kcs_pkt_tuple *t);

/*
 * Parse the DNS response @msg: 1 and @a filled when it answers one
 * question of class IN with NOERROR (addresses maybe none), 0 when it is
 * nothing to learn from (a query, an error, several questions), -1 when
 * malformed.
 */
int kcs_dns_answer_parse(const uint8_t *msg, size_t len,
			 struct kcs_dns_answer *a);

#endif /* KCS_DNS_ANSWER_H */
