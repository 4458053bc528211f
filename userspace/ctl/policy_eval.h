/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Runtime policies applied to one container: which policies cover it,
 * which profiles it gets in which mode, and whether it may start. Pure:
 * no kernel, no files (except realpath() with @resolve_paths), so that
 * `kcsadm policy explain` and the OCI hook decide the same way. How
 * policies combine is documented in docs/policy-format.md.
 */
#ifndef KCS_POLICY_EVAL_H
#define KCS_POLICY_EVAL_H

#include "container_spec.h"
#include "policy.h"

/* What a start check (or all of them) says about starting. */
enum kcs_start {
	KCS_START_UNCHECKED,	/* no applying policy runs the check */
	KCS_START_PASS,
	KCS_START_AUDIT,	/* fails only Audit policies: starts, reported */
	KCS_START_DENY,		/* fails an Enforce policy: does not start */
};

struct kcs_eval_opts {
	/* Registered images (kcsadm image register): normalised references
	 * ("docker.io/library/nginx:1.25", with or without @digest) or bare
	 * digests ("sha256:..."). */
	char **registered;
	size_t nregistered;
	/* Also compare host paths after resolving symlinks on this host
	 * (/var/run -> /run): for explain and hooks, not for unit tests. */
	int resolve_paths;
};

struct kcs_policy_result {
	const struct kcs_policy *policy;
	int applies;
	char why[256];		/* "disabled", "excluded by exclusions[0]"... */
};

struct kcs_profile_use {
	char name[KCS_NAME_MAX];
	int mode;		/* the strictest of the policies mapping it */
	char from[512];		/* "POLICY mappings[N]", comma-separated */
};

struct kcs_finding {
	enum kcs_check check;
	const struct kcs_policy *policy;	/* its mode decides */
	char reason[512];
};

struct kcs_eval {
	struct kcs_policy_result *policies;	/* every policy, by name */
	size_t npolicies;
	struct kcs_profile_use *profiles;	/* by name */
	size_t nprofiles;
	int mode;		/* KCS_MODE_*: strictest over profiles, NONE: none */
	struct kcs_finding *findings;		/* check order, policy name */
	size_t nfindings;
	enum kcs_start checks[KCS_CHECK_COUNT];
	enum kcs_start start;	/* the strictest of checks[] */
};

/* Evaluate @n policies for @c. Returns 0, or -1 (out of memory) with @err. */
int kcs_policy_eval(const struct kcs_policy *pols, size_t n,
		    const struct kcs_container *c,
		    const struct kcs_eval_opts *opts, struct kcs_eval *ev,
		    struct kcs_err *err);

void kcs_eval_free(struct kcs_eval *ev);

/* "unchecked" "pass" "audit" "deny" */
const char *kcs_start_name(enum kcs_start s);

/* 1 when @img is registered by one of @reg (see struct kcs_eval_opts). */
int kcs_image_registered(char *const *reg, size_t nreg,
			 const struct kcs_imageref *img);

#endif /* KCS_POLICY_EVAL_H */
