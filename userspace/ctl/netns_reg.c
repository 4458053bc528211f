// SPDX-License-Identifier: GPL-2.0
/*
 * The namespace registry (netns_reg.h). A record file:
 *
 *   "KCR1" dev ino cgroup_id (u64) mode gen path_len profile_len (u32)
 *   path, profile (no NULs), then the serialized ingress (ingress_state.c)
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netns_reg.h"
#include "profile.h"

int kcs_netns_rec_dir(char *buf, size_t len)
{
	return snprintf(buf, len, "%s/netns", kcs_state_dir()) >= (int)len ?
	       -1 : 0;
}

void kcs_netns_rec_name(const struct kcs_netns_id *id, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRIx64 "-%" PRIx64, id->dev, id->ino);
}

static int rec_path(const char *name, char *buf, size_t len)
{
	char dir[4096];

	return kcs_netns_rec_dir(dir, sizeof(dir)) ||
	       snprintf(buf, len, "%s/%s", dir, name) >= (int)len ? -1 : 0;
}

static int write_rec(FILE *f, const void *arg)
{
	const struct kcs_netns_rec *r = arg;
	uint64_t h64[3] = { r->id.dev, r->id.ino, r->cgroup_id };
	uint32_t h32[4] = { r->mode, r->gen, (uint32_t)strlen(r->path),
			    (uint32_t)strlen(r->profile) };

	if (fwrite("KCR1", 4, 1, f) != 1 || fwrite(h64, sizeof(h64), 1, f) != 1 ||
	    fwrite(h32, sizeof(h32), 1, f) != 1 ||
	    (h32[2] && fwrite(r->path, h32[2], 1, f) != 1) ||
	    (h32[3] && fwrite(r->profile, h32[3], 1, f) != 1))
		return -1;
	return kcs_ingress_write(f, &r->in);
}

int kcs_netns_rec_save(const struct kcs_netns_rec *r, struct kcs_err *err)
{
	char name[64], path[4200];

	kcs_netns_rec_name(&r->id, name, sizeof(name));
	if (rec_path(name, path, sizeof(path)))
		return kcs_err_set(err, KCS_EXIT_FAILED, "state path too long");
	if (kcs_state_mkdir("netns", err))
		return -1;
	return kcs_write_atomic(path, write_rec, r, err);
}

static int read_rec(FILE *f, struct kcs_netns_rec *r, const char **why)
{
	uint64_t h64[3];
	uint32_t h32[4];
	char magic[4];

	*why = "truncated";
	if (fread(magic, 4, 1, f) != 1 || fread(h64, sizeof(h64), 1, f) != 1 ||
	    fread(h32, sizeof(h32), 1, f) != 1)
		return -1;
	*why = "not a kcs namespace record (KCR1)";
	if (memcmp(magic, "KCR1", 4) || h32[2] >= sizeof(r->path) ||
	    h32[3] >= sizeof(r->profile) ||
	    (h32[0] != KCS_MODE_AUDIT && h32[0] != KCS_MODE_ENFORCE))
		return -1;
	r->id.dev = h64[0];
	r->id.ino = h64[1];
	r->cgroup_id = h64[2];
	r->mode = h32[0];
	r->gen = h32[1];
	*why = "truncated";
	if ((h32[2] && fread(r->path, h32[2], 1, f) != 1) ||
	    (h32[3] && fread(r->profile, h32[3], 1, f) != 1))
		return -1;
	r->path[h32[2]] = '\0';
	r->profile[h32[3]] = '\0';
	*why = "bad path or profile name";
	if (!r->path[0] || strlen(r->path) != h32[2] ||
	    !kcs_profile_name_valid(r->profile))
		return -1;
	if (kcs_ingress_read(f, &r->in, why))
		return -1;
	if (fgetc(f) != EOF) {
		*why = "trailing bytes";
		kcs_ingress_free(&r->in);
		return -1;
	}
	return 0;
}

int kcs_netns_rec_load(const char *name, struct kcs_netns_rec *r,
		       struct kcs_err *err)
{
	const char *why = "";
	char path[4200];
	FILE *f;
	int ret;

	memset(r, 0, sizeof(*r));
	if (rec_path(name, path, sizeof(path)))
		return kcs_err_set(err, KCS_EXIT_FAILED, "state path too long");
	f = fopen(path, "r");
	if (!f)
		return kcs_err_set(err, errno == ENOENT ? KCS_EXIT_NOTFOUND :
				   KCS_EXIT_FAILED, "%s: %s", path, strerror(errno));
	ret = read_rec(f, r, &why);
	fclose(f);
	if (ret) {
		memset(r, 0, sizeof(*r));
		return kcs_err_set(err, KCS_EXIT_FAILED, "%s: %s", path, why);
	}
	return 0;
}

void kcs_netns_rec_free(struct kcs_netns_rec *r)
{
	kcs_ingress_free(&r->in);
}

int kcs_netns_rec_remove(const struct kcs_netns_id *id, struct kcs_err *err)
{
	char name[64], path[4200];

	kcs_netns_rec_name(id, name, sizeof(name));
	if (rec_path(name, path, sizeof(path)))
		return kcs_err_set(err, KCS_EXIT_FAILED, "state path too long");
	if (unlink(path) && errno != ENOENT)
		return kcs_err_set(err, KCS_EXIT_FAILED, "%s: %s", path,
				   strerror(errno));
	return 0;
}

/* Record file names look like "<hex>-<hex>"; temporary files do not. */
static int is_rec_name(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");

	return n && s[n] == '-' && s[n + 1] &&
	       !s[n + 1 + strspn(s + n + 1, "0123456789abcdef")];
}

int kcs_netns_rec_each(int (*fn)(const char *name, void *arg), void *arg)
{
	char dir[4096];
	struct dirent *de;
	DIR *d;
	int ret = 0;

	if (kcs_netns_rec_dir(dir, sizeof(dir)))
		return 0;
	d = opendir(dir);
	if (!d)
		return 0;
	while (!ret && (de = readdir(d)))
		if (is_rec_name(de->d_name))
			ret = fn(de->d_name, arg);
	closedir(d);
	return ret;
}

struct rm_cg {
	uint64_t cgroup_id;
	int removed;
	struct kcs_err *err;
	int failed;
};

static int rm_one(const char *name, void *arg)
{
	struct rm_cg *c = arg;
	struct kcs_netns_rec r;
	char path[4200];

	if (kcs_netns_rec_load(name, &r, NULL))
		return 0;	/* unreadable: not ours to judge */
	if (r.cgroup_id == c->cgroup_id && !rec_path(name, path, sizeof(path))) {
		if (unlink(path) && errno != ENOENT) {
			kcs_err_set(c->err, KCS_EXIT_FAILED, "%s: %s", path,
				    strerror(errno));
			c->failed = 1;
		} else {
			c->removed++;
		}
	}
	kcs_netns_rec_free(&r);
	return 0;
}

int kcs_netns_rec_remove_cgroup(uint64_t cgroup_id, struct kcs_err *err)
{
	struct rm_cg c = { .cgroup_id = cgroup_id, .err = err };

	kcs_netns_rec_each(rm_one, &c);
	return c.failed ? -1 : c.removed;
}
