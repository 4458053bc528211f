/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcsadm as an OCI runtime hook: admission of a container before its first
 * program runs (createRuntime), and clean-up after it (poststop).
 *
 * createRuntime runs once the container's cgroup holds its init and before
 * that init executes the user's program: the runtime policies are judged
 * on config.json, and the chosen profile is bound to the container's
 * cgroup, so a blocked exec fails from the container's very first command.
 */
#ifndef KCS_OCI_HOOK_H
#define KCS_OCI_HOOK_H

#include "err.h"

/* Where bindings made by the hook are remembered: $KCS_RUNDIR or this. */
#define KCS_RUNDIR_DEFAULT	"/run/kcs"

struct kcs_hook_opts {
	const char *state_path;	/* the OCI state: "-" is stdin */
	/* Start containers under Enforce policies even when kcs cannot
	 * enforce (module not loaded, profile missing): the explicit opt-out
	 * of failing closed. */
	int fail_open;
};

/*
 * Admit the container. Returns 0 when it may start (bound or not covered),
 * or -1 with @err: KCS_EXIT_REFUSED and the reason when a policy refuses
 * it, or the error that kept kcs from enforcing an Enforce policy.
 * Everything it decides is also logged (syslog, facility authpriv).
 */
int kcs_hook_create_runtime(const struct kcs_hook_opts *o, struct kcs_err *err);

/* Forget the container: unbind its cgroup. Never refuses (0, or -1 with
 * @err on a malformed state). */
int kcs_hook_poststop(const struct kcs_hook_opts *o, struct kcs_err *err);

const char *kcs_run_dir(void);

#endif /* KCS_OCI_HOOK_H */
