/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cgroup v2 directories <-> the ids kcs binds (the directory's inode
 * number, which is what the kernel's cgroup_id() returns).
 */
#ifndef KCS_CGROUP_H
#define KCS_CGROUP_H

#include <stddef.h>
#include <stdint.h>
#include <limits.h>

#include "err.h"

/* Default source of mount information. */
#define KCS_MOUNTINFO	"/proc/self/mountinfo"

/*
 * Find the cgroup2 mount point in @mountinfo (a /proc/PID/mountinfo file),
 * preferring a mount of the hierarchy's root. Fails with
 * KCS_EXIT_NOTFOUND when cgroup2 is not mounted.
 */
int kcs_cgroup2_mount(const char *mountinfo, char *mnt, size_t len,
		      struct kcs_err *err);

/*
 * Resolve @arg (absolute under @mnt, or relative to @mnt) to its canonical
 * absolute path @abs and cgroup id. @check_fs: also require the directory
 * to be on cgroup2 (tests turn it off to use a scratch tree).
 */
int kcs_cgroup_resolve(const char *mnt, const char *arg, int check_fs,
		       char abs[PATH_MAX], uint64_t *id, struct kcs_err *err);

/*
 * The oldest task of the cgroup directory @dir (by start time in
 * /proc/PID/stat; the container's init when the cgroup is a container's):
 * its pid in *@pid, or 0 when the cgroup holds no task. The root kcs
 * trusts exec names from is that task's. -1 when cgroup.procs cannot be
 * read.
 */
int kcs_cgroup_oldest_task(const char *dir, int *pid, struct kcs_err *err);

/*
 * Find the paths of the @n cgroup @ids by walking the tree under @mnt,
 * visiting at most @max_dirs directories. paths[i] is a malloc'ed absolute
 * path, or NULL when not found (deleted, or beyond the bound). Returns the
 * number found.
 */
size_t kcs_cgroup_paths(const char *mnt, const uint64_t *ids, size_t n,
			char **paths, size_t max_dirs);

/* Default walk bound of the CLI: ample for hosts with thousands of pods. */
#define KCS_CGROUP_WALK_MAX	200000

#endif /* KCS_CGROUP_H */
