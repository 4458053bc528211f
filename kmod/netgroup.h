/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network rule groups (uapi: KCS_A_NET_GROUPS): rule sets that add to a
 * profile's egress rules, egress exclusions or listen exclusions, each
 * limited to a program or for every program. Built in the kernel and in
 * userspace (kcsadm's tests and fuzzers run netgroup.c as it is), like
 * dfa.h and netm.h. No allocation: verified groups point into the blob.
 */
#ifndef KCS_NETGROUP_H
#define KCS_NETGROUP_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include "ktypes.h"
#endif
#include <linux/kcs.h>
#include "dfa.h"
#include "netm.h"

struct kcs_net_grp {
	u32 set;		/* enum kcs_net_group_set */
	bool scoped;		/* limited to the programs prog accepts */
	struct kcs_dfa prog;
	struct kcs_netm m;
	const char *text;	/* text_len bytes: m.nrules texts */
	u32 text_len;
	u32 *text_off;		/* the module's index of text (loader's) */
};

/*
 * Check the groups blob @blob (8-byte aligned, @len bytes): header, each
 * group's set, program DFA (one pattern, no flags), rule set and texts,
 * padding, nothing trailing. Fills @g[0..*@n) (room for KCS_NETG_MAX).
 * Returns 0, or -EINVAL with a static reason in *@why.
 */
int kcs_ngroups_verify(const void *blob, size_t len, struct kcs_net_grp *g,
		       u32 *n, const char **why);

/* Whether group @g applies to a task running @prog (NULL: no name). */
bool kcs_ngroup_applies(const struct kcs_net_grp *g, const char *prog);

#endif /* KCS_NETGROUP_H */
