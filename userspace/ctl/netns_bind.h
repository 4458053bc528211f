/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A profile's ingress rules into a network namespace, as `kcsadm bind
 * --netns`, the OCI hook and `kcsadm sync` install them: the nftables
 * table inet kcs (nft.h), then the namespace's record in the registry
 * (netns_reg.h), which kcsadm monitor and netwatch read. One function for
 * all of them, so that they leave the same table and the same record.
 */
#ifndef KCS_NETNS_BIND_H
#define KCS_NETNS_BIND_H

#include "bound_profiles.h"
#include "err.h"
#include "netns_reg.h"

/*
 * Install @rec->in (the caller loads it: kcs_ingress_load) in namespace
 * @nsfd for @rec's cgroup, mode and profile, and record it under @rec->id
 * and @rec->path; @rec->gen is chosen here. Ingress of kind NONE removes
 * the table and the record instead. On failure neither is left behind.
 */
int kcs_netns_bind(int nsfd, struct kcs_netns_rec *rec, struct kcs_err *err);

/*
 * Take back what kcs_netns_bind() installed (the table and the record),
 * when what it was installed for failed after it. Best effort: it is
 * already a failure path.
 */
void kcs_netns_bind_undo(int nsfd, const struct kcs_netns_rec *rec);

/*
 * Which of the binding's profiles @ps has ingress rules, loaded into @in:
 * its index, or -1 for none (@in of kind NONE), -2 with @err when one
 * cannot be loaded or two have them (a namespace holds one profile's
 * table: kcs cannot enforce both).
 */
int kcs_ingress_pick(const struct kcs_profiles *ps, struct kcs_ingress *in,
		     struct kcs_err *err);

#endif /* KCS_NETNS_BIND_H */
