/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcsadm sync: containers that run already (started before kcs, or
 * before a reboot's restore) get the admission a createRuntime hook
 * would have given them, except that nothing is refused: they run. What
 * kcs bound is remembered in $KCS_RUNDIR/containers as the hook does, and
 * what is remembered there for containers that are gone is forgotten.
 * Running it twice changes nothing the second time.
 */
#ifndef KCS_OCI_SYNC_H
#define KCS_OCI_SYNC_H

#include <stddef.h>
#include <stdint.h>
#include <linux/kcs.h>

#include "err.h"
#include "oci_hook.h"

enum kcs_sync_action {
	KCS_SYNC_BOUND,		/* its profile is bound now */
	KCS_SYNC_NOT_COVERED,	/* no policy gives it a profile */
	KCS_SYNC_ALREADY_BOUND,	/* its cgroup has a binding: left alone */
	KCS_SYNC_NOT_RUNNING,	/* a state without a live init: skipped */
	KCS_SYNC_FAILED,	/* err says why */
	KCS_SYNC_FORGOTTEN,	/* a remembered binding of a gone container */
};

struct kcs_sync_item {
	char *id;
	const char *runtime;	/* "crun", "runc"; NULL for FORGOTTEN */
	long pid;
	enum kcs_sync_action action;
	struct kcs_profiles profiles;	/* BOUND, ALREADY_BOUND */
	uint64_t cgroup_id;		/* BOUND, ALREADY_BOUND, FORGOTTEN */
	size_t nfindings;		/* start-check findings, logged */
	struct kcs_err err;		/* FAILED */
};

struct kcs_sync_list {
	struct kcs_sync_item *v;
	size_t n;
};

/*
 * Sync the containers under the state roots @roots (@nroots of them).
 * Each container is an item of @out, whatever happened to it; -1 with
 * @err only when a root cannot be read or memory runs out.
 */
int kcs_sync(const char *const *roots, size_t nroots,
	     const struct kcs_hook_opts *o, struct kcs_sync_list *out,
	     struct kcs_err *err);
void kcs_sync_list_free(struct kcs_sync_list *l);

const char *kcs_sync_action_name(enum kcs_sync_action a);

#endif /* KCS_OCI_SYNC_H */
