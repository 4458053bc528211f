// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup paths <-> ids: finding the cgroup2 mount in mountinfo, resolving
 * user-given paths safely, and walking a tree back to paths. Uses scratch
 * files and directories; the real cgroup2 mount only when this host has one.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "tap.h"

static char scratch[] = "/tmp/kcs-test-cgroup.XXXXXX";

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void test_mountinfo(void)
{
	char mi[PATH_MAX], mnt[PATH_MAX];
	struct kcs_err err = { 0 };

	snprintf(mi, sizeof(mi), "%s/mountinfo", scratch);
	/* Hybrid layout as on this kind of host, with an escaped space. */
	write_file(mi,
		"30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
		"31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
		"40 30 0:37 / /sys/fs/cgroup/uni\\040fied rw,relatime shared:9 master:2 - cgroup2 cgroup2 rw\n");
	tap_ok(kcs_cgroup2_mount(mi, mnt, sizeof(mnt), &err) == 0, "cgroup2 found");
	tap_is_str(mnt, "/sys/fs/cgroup/uni fied", "optional fields skipped, \\040 unescaped");

	/* A namespaced mount of a sub-cgroup loses against the real root. */
	write_file(mi,
		"50 22 0:37 /kubepods /run/x rw - cgroup2 cgroup2 rw\n"
		"51 22 0:37 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
	tap_ok(kcs_cgroup2_mount(mi, mnt, sizeof(mnt), &err) == 0 &&
	       !strcmp(mnt, "/sys/fs/cgroup"), "mount of the root preferred");

	write_file(mi, "50 22 0:37 /kubepods /run/x rw - cgroup2 cgroup2 rw\n");
	tap_ok(kcs_cgroup2_mount(mi, mnt, sizeof(mnt), &err) == 0 &&
	       !strcmp(mnt, "/run/x"), "sub-cgroup mount used when alone");

	write_file(mi, "31 30 0:28 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"
		       "garbage\n");
	tap_ok(kcs_cgroup2_mount(mi, mnt, sizeof(mnt), &err) == -1 &&
	       err.code == KCS_EXIT_NOTFOUND, "no cgroup2: not found");
	tap_has(err.msg, "no cgroup2", "no cgroup2: said so");
}

static uint64_t ino_of(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : st.st_ino;
}

static void test_resolve(void)
{
	char root[256], p[PATH_MAX], abs[PATH_MAX], file[PATH_MAX];
	struct kcs_err err = { 0 };
	uint64_t id = 0;

	snprintf(root, sizeof(root), "%s/cg", scratch);
	mkdir(root, 0755);
	snprintf(p, sizeof(p), "%s/a", root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/a/b c", root);
	mkdir(p, 0755);
	snprintf(file, sizeof(file), "%s/a/file", root);
	write_file(file, "x");

	tap_ok(kcs_cgroup_resolve(root, "a/b c", 0, abs, &id, &err) == 0 &&
	       !strcmp(abs, p) && id == ino_of(p), "relative path resolved");
	tap_ok(kcs_cgroup_resolve(root, p, 0, abs, &id, &err) == 0 &&
	       id == ino_of(p), "absolute path under the mount resolved");
	tap_ok(kcs_cgroup_resolve(root, "a/../a/./b c/", 0, abs, &id, &err) == 0 &&
	       !strcmp(abs, p), "path canonicalized");
	tap_ok(kcs_cgroup_resolve(root, ".", 0, abs, &id, &err) == 0 &&
	       id == ino_of(root), "the mount itself is the root cgroup");
	tap_ok(kcs_cgroup_resolve(root, "../", 0, abs, &id, &err) == -1 &&
	       err.code == KCS_EXIT_INVALID, "'..' out of the mount refused");
	tap_has(err.msg, "not under the cgroup2 mount", "escape explained");
	tap_ok(kcs_cgroup_resolve(root, "/tmp", 0, abs, &id, &err) == -1 &&
	       err.code == KCS_EXIT_INVALID, "absolute path elsewhere refused");
	tap_ok(kcs_cgroup_resolve(root, "nope", 0, abs, &id, &err) == -1 &&
	       err.code == KCS_EXIT_NOTFOUND, "missing cgroup: not found");
	tap_ok(kcs_cgroup_resolve(root, "a/file", 0, abs, &id, &err) == -1 &&
	       err.code == KCS_EXIT_INVALID, "a file is not a cgroup");
	tap_ok(kcs_cgroup_resolve(root, "a", 1, abs, &id, &err) == -1 &&
	       err.code == KCS_EXIT_INVALID, "tmp dir is not cgroup2 when checked");
	tap_has(err.msg, "not a cgroup v2 directory", "fs check explained");
	unlink(file);
}

static void test_paths(void)
{
	char root[256], p[PATH_MAX];
	uint64_t ids[4];
	char *paths[4];
	size_t i;

	snprintf(root, sizeof(root), "%s/cg", scratch);
	snprintf(p, sizeof(p), "%s/a/b c", root);
	ids[0] = ino_of(p);
	ids[1] = 1;		/* inode 1 exists nowhere in a tmp tree */
	ids[2] = ino_of(root);
	snprintf(p, sizeof(p), "%s/a", root);
	ids[3] = ino_of(p);
	tap_ok(kcs_cgroup_paths(root, ids, 4, paths, 1000) == 3, "3 of 4 ids found");
	snprintf(p, sizeof(p), "%s/a/b c", root);
	tap_is_str(paths[0], p, "nested path found");
	tap_ok(paths[1] == NULL, "unknown id: NULL");
	tap_is_str(paths[2], root, "root found");
	for (i = 0; i < 4; i++)
		free(paths[i]);

	tap_ok(kcs_cgroup_paths(root, ids, 1, paths, 1) == 0 && !paths[0],
	       "walk bound respected");
	free(paths[0]);
}

/* The real thing, when this host has cgroup2. */
static void test_host(void)
{
	char mnt[PATH_MAX], abs[PATH_MAX];
	struct kcs_err err = { 0 };
	uint64_t id = 0;

	if (kcs_cgroup2_mount(KCS_MOUNTINFO, mnt, sizeof(mnt), &err)) {
		tap_ok(1, "# SKIP no cgroup2 mounted here");
		return;
	}
	tap_ok(kcs_cgroup_resolve(mnt, ".", 1, abs, &id, &err) == 0 && id == ino_of(mnt),
	       "host cgroup2 root resolves with the fs check");
}

int main(void)
{
	char cmd[PATH_MAX + 16];

	if (!mkdtemp(scratch)) {
		tap_ok(0, "scratch directory");
		return tap_done();
	}
	test_mountinfo();
	test_resolve();
	test_paths();
	test_host();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
	if (system(cmd))
		tap_diag("could not remove %s", scratch);
	return tap_done();
}
