// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include "cgroup.h"

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
	char *d = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*d++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 |
				      (s[3] - '0'));
			s += 4;
		} else {
			*d++ = *s++;
		}
	}
	*d = '\0';
}

/*
 * One mountinfo line: "id parent maj:min root mountpoint opts [optional
 * fields...] - fstype source superopts". Sets @root and @mnt (in place)
 * when the filesystem is cgroup2.
 */
static int cgroup2_line(char *line, char **root, char **mnt)
{
	char *save, *f, *fields[5];
	int i;

	for (i = 0, f = strtok_r(line, " \n", &save); f && i < 5;
	     i++, f = strtok_r(NULL, " \n", &save))
		fields[i] = f;
	if (i < 5)
		return 0;
	/* Skip the options and the optional fields up to the separator. */
	while (f && strcmp(f, "-"))
		f = strtok_r(NULL, " \n", &save);
	f = f ? strtok_r(NULL, " \n", &save) : NULL;
	if (!f || strcmp(f, "cgroup2"))
		return 0;
	*root = fields[3];
	*mnt = fields[4];
	unescape(*root);
	unescape(*mnt);
	return 1;
}

int kcs_cgroup2_mount(const char *mountinfo, char *mnt, size_t len,
		      struct kcs_err *err)
{
	FILE *f = fopen(mountinfo, "re");
	char *line = NULL, *root, *m;
	size_t cap = 0;
	int found = 0;

	if (!f)
		return kcs_err_set(err, KCS_EXIT_FAILED, "%s: %s", mountinfo,
				   strerror(errno));
	while (getline(&line, &cap, f) > 0) {
		if (!cgroup2_line(line, &root, &m))
			continue;
		/* A mount of a sub-cgroup (e.g. inside a cgroup namespace)
		 * only does when nothing better exists. */
		if (!found || !strcmp(root, "/")) {
			snprintf(mnt, len, "%s", m);
			found = strcmp(root, "/") ? 1 : 2;
			if (found == 2)
				break;
		}
	}
	free(line);
	fclose(f);
	if (!found)
		return kcs_err_set(err, KCS_EXIT_NOTFOUND,
				   "no cgroup2 filesystem is mounted (see %s)",
				   mountinfo);
	return 0;
}

/* 1 when @path is @dir or below it (both canonical). */
static int is_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (n == 1 && dir[0] == '/')
		return 1;
	return !strncmp(path, dir, n) && (path[n] == '/' || path[n] == '\0');
}

int kcs_cgroup_resolve(const char *mnt, const char *arg, int check_fs,
		       char abs[PATH_MAX], uint64_t *id, struct kcs_err *err)
{
	char joined[PATH_MAX], rmnt[PATH_MAX];
	struct statfs sfs;
	struct stat st;

	if (!*arg)
		return kcs_err_set(err, KCS_EXIT_USAGE, "empty cgroup path");
	if (!realpath(mnt, rmnt))
		return kcs_err_set(err, KCS_EXIT_FAILED, "%s: %s", mnt,
				   strerror(errno));
	if (arg[0] != '/') {
		if ((size_t)snprintf(joined, sizeof(joined), "%s/%s", rmnt, arg) >=
		    sizeof(joined))
			return kcs_err_set(err, KCS_EXIT_INVALID,
					   "cgroup %s: path too long", arg);
		arg = joined;
	}
	if (!realpath(arg, abs))
		return kcs_err_set(err, errno == ENOENT || errno == ENOTDIR ?
				   KCS_EXIT_NOTFOUND : kcs_exit_from_errno(errno),
				   "cgroup %s: %s", arg, strerror(errno));
	/* Canonical paths, so ".." or symlinks cannot leave the hierarchy
	 * unnoticed. */
	if (!is_under(abs, rmnt))
		return kcs_err_set(err, KCS_EXIT_INVALID,
				   "cgroup %s: not under the cgroup2 mount %s (give a path under it, or relative to it)",
				   arg, rmnt);
	if (stat(abs, &st) < 0)
		return kcs_err_set(err, kcs_exit_from_errno(errno), "cgroup %s: %s",
				   abs, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return kcs_err_set(err, KCS_EXIT_INVALID,
				   "cgroup %s: not a directory", abs);
	if (check_fs && (statfs(abs, &sfs) < 0 ||
			 sfs.f_type != CGROUP2_SUPER_MAGIC))
		return kcs_err_set(err, KCS_EXIT_INVALID,
				   "cgroup %s: not a cgroup v2 directory", abs);
	*id = st.st_ino;
	return 0;
}

struct walk {
	const uint64_t *ids;
	size_t n, found, budget;
	char **paths;
	dev_t dev;
};

static void note(struct walk *w, uint64_t ino, const char *path)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		if (w->ids[i] != ino || w->paths[i])
			continue;
		w->paths[i] = strdup(path);
		if (w->paths[i])
			w->found++;
	}
}

/* Depth-first below @path (PATH_MAX buffer, modified and restored). */
static void walk_dir(struct walk *w, char *path, int depth)
{
	size_t len = strlen(path);
	/* Below "/" itself, children are "/x", not "//x". */
	size_t base = len == 1 ? 0 : len;
	struct dirent *de;
	DIR *d;

	if (depth > 64 || !(d = opendir(path)))
		return;
	while (w->found < w->n && w->budget && (de = readdir(d))) {
		struct stat st;

		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISDIR(st.st_mode) || st.st_dev != w->dev)
			continue;
		if (base + 1 + strlen(de->d_name) >= PATH_MAX)
			continue;
		w->budget--;
		snprintf(path + base, PATH_MAX - base, "/%s", de->d_name);
		note(w, st.st_ino, path);
		walk_dir(w, path, depth + 1);
		path[len] = '\0';
	}
	closedir(d);
}

size_t kcs_cgroup_paths(const char *mnt, const uint64_t *ids, size_t n,
			char **paths, size_t max_dirs)
{
	struct walk w = { .ids = ids, .n = n, .paths = paths,
			  .budget = max_dirs };
	char path[PATH_MAX];
	struct stat st;
	size_t i;

	for (i = 0; i < n; i++)
		paths[i] = NULL;
	if (!n || !realpath(mnt, path) || stat(path, &st) < 0)
		return 0;
	w.dev = st.st_dev;
	note(&w, st.st_ino, path);
	walk_dir(&w, path, 0);
	return w.found;
}

/* Field 22 of /proc/PID/stat (after the parenthesised comm): start time. */
static int task_start(int pid, unsigned long long *start)
{
	char path[64], buf[1024], *p;
	size_t n;
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p)
		return -1;
	/* ") S ppid ..." : field 3 is the state, 22 the start time. */
	for (i = 2; i < 22 && p; i++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p + 1, "%llu", start) != 1)
		return -1;
	return 0;
}

int kcs_cgroup_oldest_task(const char *dir, int *pid, struct kcs_err *err)
{
	unsigned long long start, best = 0;
	char path[PATH_MAX];
	FILE *f;
	int p;

	*pid = 0;
	if (snprintf(path, sizeof(path), "%s/cgroup.procs", dir) >=
	    (int)sizeof(path))
		return kcs_err_set(err, KCS_EXIT_USAGE, "%s: path too long", dir);
	f = fopen(path, "re");
	if (!f)
		return kcs_err_set(err, kcs_exit_from_errno(errno), "%s: %s",
				   path, strerror(errno));
	while (fscanf(f, "%d", &p) == 1)
		if (!task_start(p, &start) && (!*pid || start < best)) {
			*pid = p;
			best = start;
		}
	fclose(f);
	return 0;
}
