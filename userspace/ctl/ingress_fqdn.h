/* SPDX-License-Identifier: GPL-2.0 */
/* Timed nftables elements for ingress FQDN rules (ingress_fqdn.c). */
#ifndef KCS_INGRESS_FQDN_H
#define KCS_INGRESS_FQDN_H

#include <sys/types.h>

#include "ingress.h"

struct kcs_fqdn_elem {
	int v6;
	uint32_t w[4];			/* the address, as struct kcs_net_rule */
	uint16_t lo, hi;		/* local port range */
	uint64_t expires_ms;		/* CLOCK_REALTIME, ms since the epoch */
};

/*
 * The elements of set (@set: KCS_INGRESS_RULES or _EXCEPT, family @v6,
 * protocol @proto: KCS_NET_PROTO_TCP or _UDP) that have not expired at
 * @now_ms, disjoint and sorted by address then port. Returns their number
 * (*@elems malloc'ed, NULL when 0) or -1 (out of memory).
 */
ssize_t kcs_fqdn_elems(const struct kcs_ingress *in, uint32_t set, int v6,
		       uint32_t proto, uint64_t now_ms,
		       struct kcs_fqdn_elem **elems);

#endif /* KCS_INGRESS_FQDN_H */
