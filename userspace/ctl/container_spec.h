/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a container is about to be, read from its OCI bundle's config.json
 * and the state JSON a runtime gives its hooks on stdin: the facts runtime
 * policies select containers by and judge them on. See
 * docs/policy-format.md ("Container facts") for where each comes from.
 */
#ifndef KCS_CONTAINER_SPEC_H
#define KCS_CONTAINER_SPEC_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "imageref.h"
#include "policy.h"	/* struct kcs_kv */

enum kcs_capset {
	KCS_CAPSET_BOUNDING,
	KCS_CAPSET_EFFECTIVE,
	KCS_CAPSET_PERMITTED,
	KCS_CAPSET_INHERITABLE,
	KCS_CAPSET_AMBIENT,
	KCS_CAPSET_COUNT
};

enum kcs_nstype {
	KCS_NS_PID,
	KCS_NS_NETWORK,
	KCS_NS_IPC,
	KCS_NS_UTS,
	KCS_NS_MOUNT,
	KCS_NS_USER,
	KCS_NS_CGROUP,
	KCS_NS_COUNT
};

struct kcs_mount {
	char *destination;
	char *source;		/* canonical when a host path, else as given */
	char *type;		/* NULL when absent */
	int bind;		/* type "bind" or option bind/rbind: a host path */
	int ro;			/* the last of the options ro/rw is ro */
	int runtime_managed;	/* the runtime's own file for this container */
};

struct kcs_container {
	char *id;		/* state "id"; NULL without a state */
	char *bundle;
	long pid;		/* state "pid"; 0 without */
	struct kcs_kv *annotations;	/* sorted by key */
	size_t nannotations;
	struct kcs_kv *labels;		/* sorted by key */
	size_t nlabels;
	/* The image as given by the first known annotation, or NULL. */
	char *image;
	char *image_source;	/* the annotation key, or "--image" */
	int image_valid;	/* @ref holds the parsed @image */
	struct kcs_imageref ref;
	char image_error[1024];	/* why @image did not parse */
	char *k8s_namespace, *pod_name, *container_name;	/* or NULL */
	char *cgroups_path;	/* linux.cgroupsPath, or NULL */
	uint64_t caps[KCS_CAPSET_COUNT];	/* 1 << CAP_* */
	unsigned int caps_unknown;	/* 1 << set: held a name we do not know */
	unsigned int ns_host;	/* 1 << KCS_NS_*: shares the host's */
	unsigned int ns_joined;	/* 1 << KCS_NS_*: joins one by path */
	struct kcs_mount *mounts;	/* config order */
	size_t nmounts;
	unsigned long uid, gid;	/* process.user, in the container */
	long host_uid;		/* uid as the host sees it, -1 if unmapped */
	int no_new_privs;
	int seccomp;		/* linux.seccomp present */
	size_t masked_paths;	/* linux.maskedPaths entries */
	int privileged;		/* see docs/policy-format.md */
};

/*
 * Fill @c from config.json text (@cfg, @cfglen) and optionally a state
 * JSON (@state, NULL for none). @bundle: the bundle directory (absolute),
 * or NULL to take the state's. Returns 0, or -1 with @err (exit 3 for
 * malformed input, naming the JSON location).
 */
int kcs_container_parse(const char *cfg, size_t cfglen, const char *state,
			size_t statelen, const char *bundle,
			struct kcs_container *c, struct kcs_err *err);

/* Read BUNDLE/config.json (and @state_path, "-" = stdin, if not NULL). */
int kcs_container_load(const char *bundle, const char *state_path,
		       struct kcs_container *c, struct kcs_err *err);

/* The same from a state's text (@statelen bytes) naming the bundle. */
int kcs_container_load_state(const char *state, size_t statelen,
			     struct kcs_container *c, struct kcs_err *err);

/* Use @ref as the image (kcsadm policy explain --image). 0 or -1 (ENOMEM). */
int kcs_container_set_image(struct kcs_container *c, const char *ref,
			    const char *source);

/* The annotation @key's value, or NULL. */
const char *kcs_container_annotation(const struct kcs_container *c,
				     const char *key);

const char *kcs_capset_name(enum kcs_capset s);
const char *kcs_ns_name(enum kcs_nstype t);

void kcs_container_free(struct kcs_container *c);

#endif /* KCS_CONTAINER_SPEC_H */
