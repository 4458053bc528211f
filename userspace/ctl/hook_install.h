/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcsadm hook install|uninstall: the files that make a container runtime
 * run kcsadm oci-hook (see docs/runtime-hooks.md):
 *
 *   podman, crio  two oci-hooks 1.0.0 files in hooks.d (createRuntime,
 *                 poststop);
 *   containerd    a base runtime spec with the two hooks, for the CRI
 *                 plugin's base_runtime_spec (containerd 1.6 has no NRI);
 *   docker        kcs-runc, a runc wrapper registered in daemon.json that
 *                 runs the hook's stages around runc create and delete.
 *
 * A file is kcsadm's when it calls kcsadm's oci-hook (JSON) or carries
 * the wrapper's marker line; no other file is replaced or removed
 * without force. Files are written to a temporary name and renamed.
 */
#ifndef KCS_HOOK_INSTALL_H
#define KCS_HOOK_INSTALL_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#include "err.h"

enum kcs_runtime {
	KCS_RT_PODMAN,
	KCS_RT_CRIO,
	KCS_RT_CONTAINERD,
	KCS_RT_DOCKER,
};

/* "podman"... -> enum kcs_runtime, or -1. */
int kcs_runtime_parse(const char *name);
/* The directory written to without --dir. */
const char *kcs_runtime_default_dir(enum kcs_runtime rt);

/* The wrapper's marker line. */
#define KCS_WRAPPER_MARK "# Written by kcsadm hook install: kcs's OCI hooks around runc."

struct kcs_hook_install {
	enum kcs_runtime runtime;
	const char *dir;	/* NULL: the runtime's default */
	const char *exe;	/* kcsadm as the runtime runs it */
	const char *base;	/* containerd: the spec to add hooks to, or NULL */
	int fail_open;		/* oci-hook --fail-open */
};

struct kcs_hook_file {
	char path[PATH_MAX];
	char *content;		/* malloc'ed, ends with a newline */
	mode_t mode;
};

#define KCS_HOOK_FILES_MAX	2

/* The files for @o (*@n of them). 0, or -1 with @err. */
int kcs_hook_files(const struct kcs_hook_install *o,
		   struct kcs_hook_file f[KCS_HOOK_FILES_MAX], size_t *n,
		   struct kcs_err *err);
void kcs_hook_files_free(struct kcs_hook_file *f, size_t n);

/* Whether the text @s (@len bytes) is a file kcsadm wrote. */
int kcs_hook_text_ours(const char *s, size_t len);

enum kcs_hook_change { KCS_HOOK_WRITTEN, KCS_HOOK_UNCHANGED,
		       KCS_HOOK_REMOVED, KCS_HOOK_ABSENT };

/* 0 when @path is absent or kcsadm's (or @force): what write and remove
 * would replace; else -1 with @err. */
int kcs_hook_file_check(const char *path, int force, struct kcs_err *err);

/* Write @f atomically; an existing file that is not kcsadm's is kept
 * unless @force (exit 1). */
int kcs_hook_file_write(const struct kcs_hook_file *f, int force,
			enum kcs_hook_change *done, struct kcs_err *err);
/* Remove @path if kcsadm's (or @force); a missing file is ABSENT. */
int kcs_hook_file_remove(const char *path, int force,
			 enum kcs_hook_change *done, struct kcs_err *err);

const char *kcs_hook_change_name(enum kcs_hook_change c);

#endif /* KCS_HOOK_INSTALL_H */
