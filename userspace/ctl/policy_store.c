// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "imageref.h"
#include "policy_store.h"
#include "profile.h"	/* kcs_profile_name_valid */
#include "readfile.h"

#define IMAGES_FILE	"images"
#define IMAGES_MAX	(16U << 20)
#define IMAGES_HEADER	"# kcs registered images: one normalised reference or digest a line.\n" \
			"# Written by kcsadm image register/delete; see docs/policy-format.md.\n"

const char *kcs_conf_dir(void)
{
	const char *d = getenv("KCS_CONFDIR");

	return d && *d ? d : KCS_CONFDIR_DEFAULT;
}

static int sys_err(struct kcs_err *err, const char *what)
{
	return kcs_err_set(err, errno == ENOENT ? KCS_EXIT_NOTFOUND :
			   kcs_exit_from_errno(errno), "%s: %s", what,
			   strerror(errno));
}

/* $KCS_CONFDIR/@sub (sub may be ""), created when @create. */
static int conf_path(char *out, size_t size, const char *sub, int create,
		     struct kcs_err *err)
{
	if (snprintf(out, size, "%s%s%s", kcs_conf_dir(), *sub ? "/" : "", sub) >=
	    (int)size)
		return kcs_err_set(err, KCS_EXIT_FAILED, "%s: path too long",
				   kcs_conf_dir());
	if (!create)
		return 0;
	if (mkdir(kcs_conf_dir(), 0755) && errno != EEXIST)
		return sys_err(err, kcs_conf_dir());
	if (*sub && mkdir(out, 0755) && errno != EEXIST)
		return sys_err(err, out);
	return 0;
}

static int fsync_dir(const char *path)
{
	char dir[4096], *slash;
	int fd, ret;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = fsync(fd);
	close(fd);
	return ret;
}

/* @path replaced by @len bytes of @data: a temporary file in the same
 * directory, synced, renamed over it; the directory synced so the rename
 * survives a crash before the next boot reads it. */
static int write_atomic(const char *path, const char *data, size_t len,
			struct kcs_err *err)
{
	char tmp[4200];
	size_t off = 0;
	ssize_t w;
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path) >= (int)sizeof(tmp))
		return kcs_err_set(err, KCS_EXIT_FAILED, "%s: path too long", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return sys_err(err, tmp);
	while (off < len) {
		w = write(fd, data + off, len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		off += (size_t)w;
	}
	if (fchmod(fd, 0644) || fsync(fd))
		goto fail;
	if (close(fd)) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path))
		goto fail;
	fsync_dir(path);
	return 0;
fail:
	sys_err(err, tmp);
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return -1;
}

/* An exclusive lock on $KCS_CONFDIR/.lock for read-modify-write updates;
 * returns the fd (close to unlock) or -1. */
static int conf_lock(struct kcs_err *err)
{
	char path[4096];
	int fd;

	if (conf_path(path, sizeof(path), ".lock", 0, err))
		return -1;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return sys_err(err, path);
	if (flock(fd, LOCK_EX)) {
		sys_err(err, path);
		close(fd);
		return -1;
	}
	return fd;
}

/* ---- policies ---- */

static int policy_path(char *out, size_t size, const char *name, int create,
		       struct kcs_err *err)
{
	char dir[4096];

	if (!kcs_profile_name_valid(name))
		return kcs_err_set(err, KCS_EXIT_USAGE,
				   "'%s' is not a valid policy name (1..%d of A-Z a-z 0-9 . _ -)",
				   name, KCS_NAME_MAX - 1);
	if (conf_path(dir, sizeof(dir), "policies", create, err))
		return -1;
	if (snprintf(out, size, "%s/%s.json", dir, name) >= (int)size)
		return kcs_err_set(err, KCS_EXIT_FAILED, "%s: path too long", dir);
	return 0;
}

int kcs_policy_store_put(const char *buf, size_t len, const char *origin,
			 struct kcs_policy *pol, int *replaced,
			 struct kcs_err *err)
{
	char path[4200];

	if (kcs_policy_parse(buf, len, origin, pol, err))
		return -1;
	if (policy_path(path, sizeof(path), pol->name, 1, err))
		goto fail;
	*replaced = !access(path, F_OK);
	/* The text as written (key order, spacing): what `show` gives back. */
	if (write_atomic(path, buf, len, err))
		goto fail;
	return 0;
fail:
	kcs_policy_free(pol);
	return -1;
}

int kcs_policy_store_get(const char *name, char **text,
			 struct kcs_policy *pol, struct kcs_err *err)
{
	char path[4200], *buf;
	size_t len;
	int ret;

	memset(pol, 0, sizeof(*pol));
	if (text)
		*text = NULL;
	if (policy_path(path, sizeof(path), name, 0, err))
		return -1;
	buf = kcs_read_file(path, KCS_POLICY_FILE_MAX, &len, err);
	if (!buf) {
		if (err->code == KCS_EXIT_NOTFOUND)
			kcs_err_set(err, KCS_EXIT_NOTFOUND, "no policy \"%s\" (%s)",
				    name, path);
		return -1;
	}
	ret = kcs_policy_parse(buf, len, path, pol, err);
	if (!ret && strcmp(pol->name, name)) {
		kcs_err_set(err, KCS_EXIT_INVALID, "%s: holds policy \"%s\", not \"%s\"",
			    path, pol->name, name);
		kcs_policy_free(pol);
		ret = -1;
	}
	if (!ret && text)
		*text = buf;
	else
		free(buf);
	return ret;
}

int kcs_policy_store_del(const char *name, struct kcs_err *err)
{
	char path[4200];

	if (policy_path(path, sizeof(path), name, 0, err))
		return -1;
	if (unlink(path)) {
		if (errno == ENOENT)
			return kcs_err_set(err, KCS_EXIT_NOTFOUND, "no policy \"%s\" (%s)",
					   name, path);
		return sys_err(err, path);
	}
	fsync_dir(path);
	return 0;
}

static int pol_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kcs_policy *)a)->name,
		      ((const struct kcs_policy *)b)->name);
}

int kcs_policy_store_load(struct kcs_policy_set *set, struct kcs_err *err)
{
	char dir[4096], name[KCS_NAME_MAX + 8];
	struct kcs_policy *nv;
	struct dirent *de;
	DIR *d;
	int ret = 0;

	memset(set, 0, sizeof(*set));
	if (conf_path(dir, sizeof(dir), "policies", 0, err))
		return -1;
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : sys_err(err, dir);
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);

		/* Temporary files of a write in progress end in .tmp.XXXXXX. */
		if (de->d_name[0] == '.' || n <= 5 || strcmp(de->d_name + n - 5, ".json"))
			continue;
		if (n - 5 >= KCS_NAME_MAX) {
			ret = kcs_err_set(err, KCS_EXIT_INVALID, "%s/%s: not a policy name",
					  dir, de->d_name);
			break;
		}
		memcpy(name, de->d_name, n - 5);
		name[n - 5] = '\0';
		nv = realloc(set->v, (set->n + 1) * sizeof(*nv));
		if (!nv) {
			ret = kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
			break;
		}
		set->v = nv;
		if (kcs_policy_store_get(name, NULL, &set->v[set->n], err)) {
			ret = -1;
			break;
		}
		set->n++;
	}
	closedir(d);
	if (ret) {
		kcs_policy_set_free(set);
		return -1;
	}
	if (set->n)
		qsort(set->v, set->n, sizeof(*set->v), pol_cmp);
	return 0;
}

void kcs_policy_set_free(struct kcs_policy_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		kcs_policy_free(&set->v[i]);
	free(set->v);
	memset(set, 0, sizeof(*set));
}

/* ---- registered images ---- */

/* One line: a normalised reference (has a '/') or a digest. */
static int image_entry_ok(const char *s, struct kcs_err *err)
{
	struct kcs_imageref r;

	if (!strchr(s, '/'))
		return kcs_digest_check(s, err);
	if (kcs_imageref_parse(s, &r, err))
		return -1;
	if (strcmp(r.full, s))
		return kcs_err_set(err, KCS_EXIT_INVALID,
				   "\"%s\" is not in normalised form (%s)", s, r.full);
	return 0;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int kcs_images_load(struct kcs_image_list *l, struct kcs_err *err)
{
	char path[4096], *buf, *line, *next, **nv;
	size_t len, lineno = 0;
	int ret = 0;

	memset(l, 0, sizeof(*l));
	if (conf_path(path, sizeof(path), IMAGES_FILE, 0, err))
		return -1;
	buf = kcs_read_file(path, IMAGES_MAX, &len, err);
	if (!buf)
		return err->code == KCS_EXIT_NOTFOUND ? 0 : -1;
	for (line = buf; line && *line; line = next) {
		size_t n;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		n = strlen(line);
		while (n && (line[n - 1] == ' ' || line[n - 1] == '\t' ||
			     line[n - 1] == '\r'))
			line[--n] = '\0';
		if (!n || line[0] == '#')
			continue;
		if (image_entry_ok(line, err)) {
			ret = kcs_err_prefix(err, "%s:%zu", path, lineno);
			break;
		}
		nv = realloc(l->v, (l->n + 1) * sizeof(*nv));
		if (!nv || !(line = strdup(line))) {
			if (nv)
				l->v = nv;
			ret = kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
			break;
		}
		l->v = nv;
		l->v[l->n++] = line;
	}
	free(buf);
	if (ret) {
		kcs_images_free(l);
		return -1;
	}
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), str_cmp);
	return 0;
}

void kcs_images_free(struct kcs_image_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int images_write(const struct kcs_image_list *l, const char *skip,
			const char *add, struct kcs_err *err)
{
	char path[4096], *buf;
	size_t len = 0;
	FILE *m;
	size_t i;
	int ret;

	if (conf_path(path, sizeof(path), IMAGES_FILE, 0, err))
		return -1;
	m = open_memstream(&buf, &len);
	if (!m)
		return kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
	fputs(IMAGES_HEADER, m);
	/* Sorted, with @add in its place. */
	for (i = 0; i <= l->n; i++) {
		if (add && (i == l->n || strcmp(add, l->v[i]) < 0)) {
			fprintf(m, "%s\n", add);
			add = NULL;
		}
		if (i < l->n && (!skip || strcmp(skip, l->v[i])))
			fprintf(m, "%s\n", l->v[i]);
	}
	if (fclose(m)) {
		free(buf);
		return kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
	}
	ret = write_atomic(path, buf, len, err);
	free(buf);
	return ret;
}

static int images_update(const char *entry, int add, int *changed,
			 struct kcs_err *err)
{
	struct kcs_image_list l;
	char dir[4096];
	size_t i;
	int fd, ret;

	if (image_entry_ok(entry, err) ||
	    conf_path(dir, sizeof(dir), "", 1, err))	/* for the lock */
		return -1;
	fd = conf_lock(err);
	if (fd < 0)
		return -1;
	ret = kcs_images_load(&l, err);
	if (!ret) {
		for (i = 0; i < l.n; i++)
			if (!strcmp(l.v[i], entry))
				break;
		*changed = add ? i == l.n : i < l.n;
		if (!add && !*changed)
			ret = kcs_err_set(err, KCS_EXIT_NOTFOUND,
					  "image %s is not registered", entry);
		else if (*changed)
			ret = images_write(&l, add ? NULL : entry,
					   add ? entry : NULL, err);
		kcs_images_free(&l);
	}
	close(fd);
	return ret;
}

int kcs_images_add(const char *entry, int *changed, struct kcs_err *err)
{
	return images_update(entry, 1, changed, err);
}

int kcs_images_del(const char *entry, struct kcs_err *err)
{
	int changed;

	return images_update(entry, 0, &changed, err);
}
