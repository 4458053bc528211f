/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netwatch's ingress half: after a resolution, the timed FQDN elements of
 * every namespace bound to the profile (the registry) get the new
 * addresses and timeouts, one atomic nftables batch per namespace, and the
 * namespace's record the new addresses (for monitor's rule lookup).
 */
#ifndef KCS_INGRESS_REFRESH_H
#define KCS_INGRESS_REFRESH_H

#include "ingress.h"

/* Per namespace: @nelems elements set, or @err (nelems < 0). */
typedef void (*kcs_refresh_fn)(const char *netns, int nelems,
			       const struct kcs_err *err, void *arg);

/*
 * Refresh the namespaces whose record is of profile @profile with the
 * FQDN addresses of @in (built from the profile just resolved). A
 * namespace whose table was built from other rules (the profile changed
 * since its bind) is reported and left alone: bind again to follow the
 * profile. Returns the number of namespaces refreshed.
 */
int kcs_ingress_refresh(const char *profile, const struct kcs_ingress *in,
			uint64_t now_ms, kcs_refresh_fn fn, void *arg);

#endif /* KCS_INGRESS_REFRESH_H */
