/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Containers that run already, found in the state directories OCI
 * runtimes keep (kcsadm sync): crun's ROOT/ID/status and runc's
 * ROOT/ID/state.json. runc's format is also what containerd's and
 * Docker's runc shims and CRI-O write, under their own roots. The files
 * are the runtimes' own, read leniently: only what kcs needs, and a
 * container whose file cannot be read is reported, not guessed at.
 */
#ifndef KCS_OCI_STATE_H
#define KCS_OCI_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Roots searched when kcsadm sync is given no --root: where crun, runc,
 * containerd (namespaces moby, k8s.io, default) and Docker keep state. */
extern const char *const kcs_oci_default_roots[];

struct kcs_oci_running {
	char *id;		/* the state directory's name */
	const char *runtime;	/* "crun" or "runc" (the file's format) */
	char *root;		/* the root it was found under */
	long pid;		/* the container's init, on the host */
	uint64_t start_time;	/* its /proc/PID/stat starttime; 0: unknown */
	char *bundle;		/* absolute; NULL when the state has none */
	struct kcs_err err;	/* code != 0: the state could not be read */
};

/* Parse crun's status file / runc's state.json text into @r (id and root
 * are the caller's). 0, or -1 with @err (exit 3). */
int kcs_oci_parse_crun(const char *text, size_t len,
		       struct kcs_oci_running *r, struct kcs_err *err);
int kcs_oci_parse_runc(const char *text, size_t len,
		       struct kcs_oci_running *r, struct kcs_err *err);

struct kcs_oci_list {
	struct kcs_oci_running *v;
	size_t n;
};

/*
 * Append every container under @root (one directory per container, its
 * format told by the file it holds) to @l. A container whose state does
 * not parse is appended with its err set. A missing @root adds nothing;
 * -1 with @err for an unreadable root or no memory.
 */
int kcs_oci_scan(const char *root, struct kcs_oci_list *l,
		 struct kcs_err *err);
void kcs_oci_list_free(struct kcs_oci_list *l);

/* Whether @pid runs and, when @start_time is not 0, is the task started
 * then (not a later one given the same pid). Zombies do not run. */
int kcs_oci_pid_alive(long pid, uint64_t start_time);

/* The OCI state a createRuntime hook would get for @r (id, pid, bundle,
 * status "running"), as malloc'ed JSON text, or NULL (no memory). */
char *kcs_oci_state_json(const struct kcs_oci_running *r);

#endif /* KCS_OCI_STATE_H */
