// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the kernel's network rule set verifier and lookup
 * (kmod/netm.c) on arbitrary tables. kcs_netm_verify() is all that stands
 * between a root-supplied blob and the socket hooks; once it accepts, the
 * two binary searches of kcs_netm_lookup() run with no bounds checks. So
 * when it accepts, every lookup must stay in the tables (ASan), return
 * KCS_NET_NO_RULE or a rule below nrules, and agree with a linear scan of
 * the same tables, which is what "sorted and disjoint" promises.
 *
 * Input: byte 0 picks the layout. Even: the rest is the blob as is. Odd:
 * bytes 1-3 give nrules, n4 (mod 16) and n6 (mod 8); the header is made
 * right and the rest fills the arrays, so that mutations reach the order
 * and index checks instead of dying at the magic or the size.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kcs.h>

#include "netm.h"

static int cmp6(const u32 *a, const u32 *b)
{
	int i;

	for (i = 0; i < 4; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

static u32 ref_ports(const struct kcs_netm *m, u32 first, u32 count,
		     u16 port, u32 proto)
{
	u32 i;

	for (i = first; i < first + count; i++)
		if (m->ports[i].lo <= port && port <= m->ports[i].hi)
			return proto == KCS_NET_PROTO_TCP ? m->ports[i].rule_tcp :
			       m->ports[i].rule_udp;
	return KCS_NET_NO_RULE;
}

/* The same question as kcs_netm_lookup(), by looking at every entry. */
static u32 ref_lookup(const struct kcs_netm *m, const struct kcs_net_addr *a,
		      u16 port, u32 proto)
{
	u32 i;

	if (!a->v6) {
		for (i = 0; i < m->n4; i++)
			if (m->v4[i].lo <= a->w[3] && a->w[3] <= m->v4[i].hi)
				return ref_ports(m, m->v4[i].first,
						 m->v4[i].count, port, proto);
		return KCS_NET_NO_RULE;
	}
	for (i = 0; i < m->n6; i++)
		if (cmp6(m->v6[i].lo, a->w) <= 0 && cmp6(a->w, m->v6[i].hi) <= 0)
			return ref_ports(m, m->v6[i].first, m->v6[i].count,
					 port, proto);
	return KCS_NET_NO_RULE;
}

static void check_one(const struct kcs_netm *m, const struct kcs_net_addr *a,
		      u16 port)
{
	u32 proto, got;

	for (proto = KCS_NET_PROTO_TCP; proto <= KCS_NET_PROTO_UDP; proto++) {
		got = kcs_netm_lookup(m, a, port, proto);
		if (got != KCS_NET_NO_RULE && got >= m->nrules)
			abort();
		if (got != ref_lookup(m, a, port, proto))
			abort();
	}
}

/* Each port around the edges of @m's entries, and a few in between. */
static void check_ports(const struct kcs_netm *m, const struct kcs_net_addr *a)
{
	u32 i;

	check_one(m, a, 0);
	check_one(m, a, 65535);
	for (i = 0; i < m->nports && i < 64; i++) {
		check_one(m, a, m->ports[i].lo);
		check_one(m, a, (u16)(m->ports[i].lo - 1));
		check_one(m, a, m->ports[i].hi);
		check_one(m, a, (u16)(m->ports[i].hi + 1));
	}
}

static void add6(u32 w[4], int delta)
{
	int i;

	for (i = 3; i >= 0; i--) {
		u32 old = w[i];

		w[i] += (u32)delta;
		if (delta > 0 ? w[i] > old : w[i] < old)
			break;
	}
}

static void check_lookups(const struct kcs_netm *m)
{
	struct kcs_net_addr a = { 0 };
	u32 i;
	int d;

	check_ports(m, &a);
	for (i = 0; i < m->n4 && i < 32; i++)
		for (d = -1; d <= 1; d++) {
			a.w[3] = m->v4[i].lo + (u32)d;
			check_ports(m, &a);
			a.w[3] = m->v4[i].hi + (u32)d;
			check_ports(m, &a);
		}
	a.v6 = true;
	memset(a.w, 0, sizeof(a.w));
	check_ports(m, &a);
	for (i = 0; i < m->n6 && i < 32; i++)
		for (d = -1; d <= 1; d++) {
			memcpy(a.w, m->v6[i].lo, sizeof(a.w));
			if (d)
				add6(a.w, d);
			check_ports(m, &a);
			memcpy(a.w, m->v6[i].hi, sizeof(a.w));
			if (d)
				add6(a.w, d);
			check_ports(m, &a);
		}
}

/* Odd layout: a right header over the fuzzer's arrays. */
static size_t make_blob(const uint8_t *data, size_t size, uint8_t *blob)
{
	struct kcs_net_hdr h = {
		.magic = KCS_NET_MAGIC,
		.version = KCS_NET_VERSION,
		.hdr_len = sizeof(h),
	};
	size_t body, fixed;

	if (size < 4)
		return 0;
	h.nrules = data[1];
	h.n4 = data[2] % 16;
	h.n6 = data[3] % 8;
	body = size - 4;
	fixed = h.n4 * sizeof(struct kcs_net_v4) +
		h.n6 * sizeof(struct kcs_net_v6);
	if (body < fixed)
		return 0;
	h.nports = (body - fixed) / sizeof(struct kcs_net_port);
	body = fixed + h.nports * sizeof(struct kcs_net_port);
	memcpy(blob, &h, sizeof(h));
	memcpy(blob + sizeof(h), data + 4, body);
	return sizeof(h) + body;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kcs_netm m;
	const char *why = NULL;
	uint8_t *blob;
	size_t len;

	if (!size)
		return 0;
	/* malloc's alignment is what the verifier wants (4 bytes). */
	blob = malloc(size + sizeof(struct kcs_net_hdr));
	if (!blob)
		return 0;
	if (data[0] & 1) {
		len = make_blob(data, size, blob);
	} else {
		len = size - 1;
		memcpy(blob, data + 1, len);
	}
	if (kcs_netm_verify(blob, len, &m, &why) == 0)
		check_lookups(&m);
	else if (!why || !*why)
		abort();	/* every refusal names its reason */
	free(blob);
	return 0;
}
