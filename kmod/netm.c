// SPDX-License-Identifier: GPL-2.0
/*
 * Verify and search the compiled network rule sets of uapi/linux/kcs.h.
 *
 * The verifier is all that stands between a userspace blob and the socket
 * hooks, so it checks every index the lookup could follow and the order
 * the binary searches rely on: after it succeeds, kcs_netm_lookup() needs
 * no bounds checks and always terminates in O(log n).
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#endif

#include <linux/kcs.h>
#include "netm.h"

static int net_fail(const char **why, const char *reason)
{
	*why = reason;
	return -EINVAL;
}

/* -1, 0, 1 as @a is below, equal to or above @b (four words, MSW first). */
static int cmp6(const u32 *a, const u32 *b)
{
	int i;

	for (i = 0; i < 4; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

static int verify_ports(const struct kcs_netm *m, u32 first, u32 count,
			u32 *next, const char **why)
{
	const struct kcs_net_port *p;
	u32 i;

	if (count < 1)
		return net_fail(why, "net interval owns no port entries");
	if (first != *next || (u64)first + count > m->nports)
		return net_fail(why, "net port entries out of order or out of range");
	*next = first + count;
	p = m->ports + first;
	for (i = 0; i < count; i++) {
		if (p[i].lo > p[i].hi)
			return net_fail(why, "net port range is reversed");
		if (i && p[i].lo <= p[i - 1].hi)
			return net_fail(why, "net port ranges overlap or are unsorted");
		if (p[i].rule_tcp == KCS_NET_NO_RULE &&
		    p[i].rule_udp == KCS_NET_NO_RULE)
			return net_fail(why, "net port entry names no rule");
		if ((p[i].rule_tcp != KCS_NET_NO_RULE &&
		     p[i].rule_tcp >= m->nrules) ||
		    (p[i].rule_udp != KCS_NET_NO_RULE &&
		     p[i].rule_udp >= m->nrules))
			return net_fail(why, "net rule index out of range");
	}
	return 0;
}

int kcs_netm_verify(const void *blob, size_t len, struct kcs_netm *m,
		    const char **why)
{
	const struct kcs_net_hdr *h = blob;
	const unsigned char *p = blob;
	u32 i, next = 0;
	u64 need;
	int err;

	if (((unsigned long)blob & 3) != 0)
		return net_fail(why, "net blob is not 4-byte aligned");
	if (len < sizeof(*h))
		return net_fail(why, "net blob shorter than its header");
	if (h->magic != KCS_NET_MAGIC)
		return net_fail(why, "net blob has a bad magic");
	if (h->version != KCS_NET_VERSION)
		return net_fail(why, "net blob has an unsupported version");
	if (h->hdr_len != sizeof(*h))
		return net_fail(why, "net blob header has a bad length");
	if (h->nrules > KCS_NET_MAX_RULES)
		return net_fail(why, "net rule count out of range");
	if (h->n4 > KCS_NET_MAX_ENTRIES || h->n6 > KCS_NET_MAX_ENTRIES ||
	    h->nports > KCS_NET_MAX_ENTRIES)
		return net_fail(why, "net entry count out of range");
	/* 64-bit arithmetic: the counts are bounded, nothing overflows. */
	need = sizeof(*h) + (u64)h->n4 * sizeof(struct kcs_net_v4) +
	       (u64)h->n6 * sizeof(struct kcs_net_v6) +
	       (u64)h->nports * sizeof(struct kcs_net_port);
	if (need != len)
		return net_fail(why, "net blob size does not match its header");

	m->nrules = h->nrules;
	m->n4 = h->n4;
	m->n6 = h->n6;
	m->nports = h->nports;
	p += sizeof(*h);
	m->v4 = (const struct kcs_net_v4 *)p;
	p += (size_t)h->n4 * sizeof(struct kcs_net_v4);
	m->v6 = (const struct kcs_net_v6 *)p;
	p += (size_t)h->n6 * sizeof(struct kcs_net_v6);
	m->ports = (const struct kcs_net_port *)p;

	for (i = 0; i < m->n4; i++) {
		if (m->v4[i].lo > m->v4[i].hi)
			return net_fail(why, "net IPv4 interval is reversed");
		if (i && m->v4[i].lo <= m->v4[i - 1].hi)
			return net_fail(why, "net IPv4 intervals overlap or are unsorted");
		err = verify_ports(m, m->v4[i].first, m->v4[i].count, &next,
				   why);
		if (err)
			return err;
	}
	for (i = 0; i < m->n6; i++) {
		if (cmp6(m->v6[i].lo, m->v6[i].hi) > 0)
			return net_fail(why, "net IPv6 interval is reversed");
		if (i && cmp6(m->v6[i].lo, m->v6[i - 1].hi) <= 0)
			return net_fail(why, "net IPv6 intervals overlap or are unsorted");
		err = verify_ports(m, m->v6[i].first, m->v6[i].count, &next,
				   why);
		if (err)
			return err;
	}
	if (next != m->nports)
		return net_fail(why, "net blob has port entries no interval owns");
	return 0;
}

static u32 port_lookup(const struct kcs_netm *m, u32 first, u32 count,
		       u16 port, u32 proto)
{
	const struct kcs_net_port *p = m->ports + first;
	u32 lo = 0, hi = count;

	/* The last entry whose lo <= port, if its hi covers port. */
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (p[mid].lo <= port)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || p[lo - 1].hi < port)
		return KCS_NET_NO_RULE;
	return proto == KCS_NET_PROTO_TCP ? p[lo - 1].rule_tcp :
	       proto == KCS_NET_PROTO_UDP ? p[lo - 1].rule_udp :
	       KCS_NET_NO_RULE;
}

u32 kcs_netm_lookup(const struct kcs_netm *m, const struct kcs_net_addr *a,
		    u16 port, u32 proto)
{
	u32 lo = 0, hi;

	if (!a->v6) {
		hi = m->n4;
		while (lo < hi) {
			u32 mid = lo + (hi - lo) / 2;

			if (m->v4[mid].lo <= a->w[3])
				lo = mid + 1;
			else
				hi = mid;
		}
		if (!lo || m->v4[lo - 1].hi < a->w[3])
			return KCS_NET_NO_RULE;
		return port_lookup(m, m->v4[lo - 1].first,
				   m->v4[lo - 1].count, port, proto);
	}
	hi = m->n6;
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (cmp6(m->v6[mid].lo, a->w) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || cmp6(m->v6[lo - 1].hi, a->w) < 0)
		return KCS_NET_NO_RULE;
	return port_lookup(m, m->v6[lo - 1].first, m->v6[lo - 1].count,
			   port, proto);
}

void kcs_net_addr_unmap(struct kcs_net_addr *a)
{
	if (a->v6 && !a->w[0] && !a->w[1] && a->w[2] == 0xffff) {
		a->v6 = false;
		a->w[2] = 0;
	}
}
