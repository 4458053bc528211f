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

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/kcs.h>

#include "bound_profiles.h"
#include "err.h"
#include "netns.h"

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

/* What an admission did with a container it admitted. */
enum kcs_hook_action {
	KCS_HOOK_NOT_COVERED,	/* no policy gives it a profile */
	KCS_HOOK_BOUND,		/* its profile is bound to its cgroup */
	KCS_HOOK_NOT_ENFORCED,	/* admitted without its profile (audit,
				 * --fail-open): logged */
};

struct kcs_hook_result {
	enum kcs_hook_action action;
	struct kcs_profiles profiles;	/* BOUND, NOT_ENFORCED */
	uint64_t cgroup_id;		/* BOUND */
	size_t nfindings;		/* start-check findings (logged) */
};

/*
 * The admission of createRuntime and of kcsadm sync, on the OCI state
 * @state (@len bytes; it names the bundle). @running: the container runs
 * already (sync). Then nothing refuses it: start-check findings are only
 * logged; the profile's root is its init's (it has pivoted already); and
 * a profile kcs cannot bind is an error (-1 with @err) in any mode. @res
 * (may be NULL) tells what was done.
 */
int kcs_hook_admit(const char *state, size_t len, int running,
		   const struct kcs_hook_opts *o, struct kcs_hook_result *res,
		   struct kcs_err *err);

/*
 * Ingress rules are an nftables table in the container's network
 * namespace: 1 when it has one of its own, 0 when it shares the host's
 * (@ns_host, struct kcs_container's, says config.json gives it none, or
 * its namespace @ns is one of the @nhost identities of the host's).
 */
int kcs_hook_own_netns(unsigned int ns_host, const struct kcs_netns_id *ns,
		       const struct kcs_netns_id *host, size_t nhost);

/* Why a profile's ingress rules cannot be enforced (the profile's name). */
#define KCS_HOOK_HOST_NETNS_FMT \
	"profile %s has ingress rules, which need the container's own network namespace; this container uses the host's"

/* The cgroup v2 directory and id of task @pid. */
int kcs_task_cgroup(long pid, char abs[PATH_MAX], uint64_t *cgid,
		    struct kcs_err *err);

/* Forget the container: unbind its cgroup. Never refuses (0, or -1 with
 * @err on a malformed state). */
int kcs_hook_poststop(const struct kcs_hook_opts *o, struct kcs_err *err);

const char *kcs_run_dir(void);

#endif /* KCS_OCI_HOOK_H */
