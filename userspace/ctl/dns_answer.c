// SPDX-License-Identifier: GPL-2.0
/*
 * DNS answers from packets (dns_answer.h). The message is walked with
 * glibc's ns_initparse()/ns_parserr(), which bound every name and record
 * by the message; what kcs adds is the choice of what to believe: only
 * records on the chain from the name asked (CNAMEs the answer itself
 * carries, at most KCS_DNS_MAX_CHAIN links), class IN, A and AAAA of the
 * right length. A record for another owner is ignored: a resolver must not
 * be able to attach addresses to a name nobody asked for.
 */
#include <ctype.h>
#include <netinet/in.h>
#include <resolv.h>
#include <string.h>
#include <strings.h>

#include "dns_answer.h"

#define DNS_PORT	53

int kcs_dns_from_packet(const uint8_t *pkt, size_t len, const uint8_t **msg,
			size_t *mlen, struct kcs_pkt_tuple *tp)
{
	struct kcs_pkt_tuple t;
	const char *why;
	size_t off, end = len;

	if (kcs_pkt_parse(pkt, len, &t, &why) || t.sport != DNS_PORT)
		return -1;
	*tp = t;
	/* The IP header's own length bounds the payload (padding after). */
	if (!t.v6 && len >= 4 && (size_t)(pkt[2] << 8 | pkt[3]) < end)
		end = (size_t)(pkt[2] << 8 | pkt[3]);
	else if (t.v6 && len >= 6 && 40 + (size_t)(pkt[4] << 8 | pkt[5]) < end)
		end = 40 + (size_t)(pkt[4] << 8 | pkt[5]);
	off = t.l4off;
	if (t.proto == IPPROTO_UDP) {
		if (end < off + 8)
			return -1;
		*msg = pkt + off + 8;
		*mlen = end - off - 8;
		return 0;
	}
	/* TCP: data offset, then a two-byte length and the whole message. */
	if (end < off + 20 || (pkt[off + 12] >> 4) < 5)
		return -1;
	off += (size_t)(pkt[off + 12] >> 4) * 4;
	if (end < off + 2)
		return -1;
	*mlen = (size_t)(pkt[off] << 8 | pkt[off + 1]);
	if (!*mlen || end - off - 2 < *mlen)
		return -1;
	*msg = pkt + off + 2;
	return 0;
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Is @name one of the @n names of the chain? */
static int on_chain(char chain[][NS_MAXDNAME], size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcasecmp(chain[i], name))
			return 1;
	return 0;
}

static void take_addr(struct kcs_dns_answer *a, const ns_rr *rr)
{
	const unsigned char *d = ns_rr_rdata(*rr);
	struct kcs_net_resolved r = { .ttl = ns_rr_ttl(*rr) };
	int k;

	if (ns_rr_type(*rr) == ns_t_a && ns_rr_rdlen(*rr) == 4) {
		r.w[3] = (uint32_t)d[0] << 24 | d[1] << 16 | d[2] << 8 | d[3];
	} else if (ns_rr_type(*rr) == ns_t_aaaa && ns_rr_rdlen(*rr) == 16) {
		r.v6 = 1;
		for (k = 0; k < 4; k++)
			r.w[k] = (uint32_t)d[4 * k] << 24 | d[4 * k + 1] << 16 |
				 d[4 * k + 2] << 8 | d[4 * k + 3];
	} else {
		return;
	}
	if (a->naddrs < KCS_DNS_MAX_ADDRS)
		a->addrs[a->naddrs++] = r;
}

int kcs_dns_answer_parse(const uint8_t *msg, size_t len,
			 struct kcs_dns_answer *a)
{
	char chain[KCS_DNS_MAX_CHAIN + 1][NS_MAXDNAME];
	size_t nchain = 1, pass;
	int i, n, grew;
	ns_msg m;
	ns_rr rr;

	memset(a, 0, sizeof(*a));
	if (len > 65535 || ns_initparse(msg, (int)len, &m) < 0)
		return -1;
	if (!ns_msg_getflag(m, ns_f_qr) || ns_msg_getflag(m, ns_f_rcode) ||
	    ns_msg_count(m, ns_s_qd) != 1)
		return 0;
	if (ns_parserr(&m, ns_s_qd, 0, &rr) < 0)
		return -1;
	if (ns_rr_class(rr) != ns_c_in)
		return 0;
	snprintf(a->qname, sizeof(a->qname), "%s", ns_rr_name(rr));
	lower(a->qname);
	memcpy(chain[0], a->qname, sizeof(a->qname));
	n = ns_msg_count(m, ns_s_an);
	/*
	 * CNAMEs first, until the chain stops growing (a resolver lists them
	 * in order, but nothing obliges it to); then the addresses of every
	 * name on the chain.
	 */
	for (pass = 0, grew = 1; grew && pass <= KCS_DNS_MAX_CHAIN; pass++) {
		grew = 0;
		for (i = 0; i < n; i++) {
			if (ns_parserr(&m, ns_s_an, i, &rr) < 0)
				return -1;
			if (ns_rr_class(rr) != ns_c_in || ns_rr_type(rr) != ns_t_cname ||
			    !on_chain(chain, nchain, ns_rr_name(rr)))
				continue;
			if (nchain > KCS_DNS_MAX_CHAIN)
				break;
			if (ns_name_uncompress(ns_msg_base(m), ns_msg_end(m),
					       ns_rr_rdata(rr), chain[nchain],
					       NS_MAXDNAME) < 0)
				return -1;
			if (on_chain(chain, nchain, chain[nchain]))
				continue;
			nchain++;
			grew = 1;
		}
	}
	for (i = 0; i < n; i++) {
		if (ns_parserr(&m, ns_s_an, i, &rr) < 0)
			return -1;
		if (ns_rr_class(rr) == ns_c_in && on_chain(chain, nchain, ns_rr_name(rr)))
			take_addr(a, &rr);
	}
	return 1;
}
