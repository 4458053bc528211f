/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A runtime policy as parsed from its JSON form (docs/policy-format.md):
 * which containers it covers, which profiles it maps them to, in which
 * mode, and which checks a container must pass to start.
 */
#ifndef KCS_POLICY_H
#define KCS_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include <linux/kcs.h>

#include "err.h"
#include "imageref.h"

/* Entries per list (selectors, pairs, templates, profiles, paths...). */
#define KCS_POLICY_LIST_MAX	1024

struct kcs_kv {
	char *key;
	char *value;
};

/* Every key given must match (labels and annotations: every pair; images
 * and namespaces: any one entry). */
struct kcs_selector {
	struct kcs_kv *labels;
	size_t nlabels;
	struct kcs_kv *annotations;
	size_t nannotations;
	struct kcs_imagetpl *images;
	size_t nimages;
	char **namespaces;		/* globs */
	size_t nnamespaces;
};

struct kcs_mapping {
	struct kcs_selector sel;
	char (*profiles)[KCS_NAME_MAX];
	size_t nprofiles;
};

/* The start checks, in the order they are evaluated and reported. */
enum kcs_check {
	KCS_CHECK_CAPABILITIES,
	KCS_CHECK_PRIVILEGES,
	KCS_CHECK_VOLUMES,
	KCS_CHECK_REGISTRIES,
	KCS_CHECK_UNREGISTERED,
	KCS_CHECK_COUNT
};

/* The conditions of "privileges", bits 1 << KCS_PRIV_*. */
enum kcs_priv {
	KCS_PRIV_PRIVILEGED,
	KCS_PRIV_HOST_PID,
	KCS_PRIV_HOST_NET,
	KCS_PRIV_HOST_IPC,
	KCS_PRIV_NO_NEW_PRIVS,
	KCS_PRIV_WRITABLE_HOST_MOUNTS,
	KCS_PRIV_ROOT_USER,
	KCS_PRIV_COUNT
};

struct kcs_checks {
	unsigned int present;		/* 1 << KCS_CHECK_*: in the document */
	unsigned int enabled;		/* 1 << KCS_CHECK_*: and switched on */
	uint64_t caps;			/* 1 << CAP_* */
	int caps_all;			/* "ALL": any capability at all */
	unsigned int priv;		/* 1 << KCS_PRIV_* */
	char **paths;			/* volumes_blocked, normalised */
	size_t npaths;
	char (*registries)[KCS_IMAGE_NAME_MAX + 1];
	size_t nregistries;
};

struct kcs_policy {
	char name[KCS_NAME_MAX];
	char *description;		/* NULL when absent */
	int enabled;
	int mode;			/* KCS_MODE_AUDIT or KCS_MODE_ENFORCE */
	struct kcs_selector *scope;	/* nscope 0: every container */
	size_t nscope;
	struct kcs_selector *exclusions;
	size_t nexclusions;
	struct kcs_mapping *mappings;
	size_t nmappings;
	struct kcs_checks checks;
};

/* JSON keys of the checks and of the privileges conditions. */
const char *kcs_check_name(enum kcs_check c);
const char *kcs_priv_name(enum kcs_priv p);

/*
 * Parse and validate one policy from @buf (@len bytes); @origin names the
 * input in messages. Returns 0, or -1 with KCS_EXIT_INVALID and a message
 * naming the JSON location at fault.
 */
int kcs_policy_parse(const char *buf, size_t len, const char *origin,
		     struct kcs_policy *pol, struct kcs_err *err);

void kcs_policy_free(struct kcs_policy *pol);

/*
 * @path made canonical without the file system: absolute, no "//", "."
 * or trailing '/'; ".." refused (a policy path must say what it means).
 * Returns 0, or -1 with @err.
 */
int kcs_host_path_norm(const char *path, char *out, size_t size,
		       struct kcs_err *err);

/* 1 when @path is @base or below it ("/var" holds "/var/lib", not
 * "/various"); both canonical. */
int kcs_path_within(const char *path, const char *base);

#endif /* KCS_POLICY_H */
