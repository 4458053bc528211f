/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Verifier and lookup for the compiled network rule sets of
 * uapi/linux/kcs.h (struct kcs_net_hdr). Like dfa.h, it builds both in the
 * kernel and in userspace, where kcsadm's tests run this very code against
 * the compiler and a naive reference matcher. No allocation: a verified
 * set points into its blob.
 */
#ifndef KCS_NETM_H
#define KCS_NETM_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include "ktypes.h"
#endif

struct kcs_net_v4;
struct kcs_net_v6;
struct kcs_net_port;

struct kcs_netm {
	u32 nrules;
	u32 n4, n6, nports;
	const struct kcs_net_v4 *v4;
	const struct kcs_net_v6 *v6;
	const struct kcs_net_port *ports;
};

/*
 * An address to look up: IPv4 in w[3] (host order) with v6 == false, or
 * IPv6 as four host-order words, most significant first.
 */
struct kcs_net_addr {
	bool v6;
	u32 w[4];
};

/*
 * Check every field, count, order and index of @blob (4-byte aligned, @len
 * bytes) and fill @m. Returns 0, or -EINVAL with a static reason in *@why.
 */
int kcs_netm_verify(const void *blob, size_t len, struct kcs_netm *m,
		    const char **why);

/*
 * The lowest-numbered rule covering (@a, @port, @proto: KCS_NET_PROTO_TCP
 * or _UDP), or KCS_NET_NO_RULE. Two binary searches, no allocation.
 */
u32 kcs_netm_lookup(const struct kcs_netm *m, const struct kcs_net_addr *a,
		    u16 port, u32 proto);

/* Normalise an IPv4-mapped IPv6 address (::ffff:a.b.c.d) to IPv4. */
void kcs_net_addr_unmap(struct kcs_net_addr *a);

#endif /* KCS_NETM_H */
