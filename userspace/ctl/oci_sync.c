// SPDX-License-Identifier: GPL-2.0
/*
 * kcsadm sync (see oci_sync.h). Which containers are bound is the
 * kernel's word (its bindings, by cgroup id), not the remembered files':
 * those vanish with /run at a reboot, the kernel's with the module, and
 * a binding made by hand is left alone too.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "netns_reg.h"
#include "oci_state.h"
#include "oci_sync.h"
#include "ops.h"
#include "readfile.h"

static const char *const action_names[] = {
	[KCS_SYNC_BOUND] = "bound",
	[KCS_SYNC_NOT_COVERED] = "not covered",
	[KCS_SYNC_ALREADY_BOUND] = "already bound",
	[KCS_SYNC_NOT_RUNNING] = "not running",
	[KCS_SYNC_FAILED] = "failed",
	[KCS_SYNC_FORGOTTEN] = "forgotten",
};

const char *kcs_sync_action_name(enum kcs_sync_action a)
{
	return a <= KCS_SYNC_FORGOTTEN ? action_names[a] : "unknown";
}

struct bindings {
	struct kcs_binding *v;
	size_t n, cap;
	int known;	/* the kernel answered */
};

static int collect(const struct kcs_binding *b, void *arg, struct kcs_err *err)
{
	struct bindings *bs = arg;

	if (bs->n == bs->cap) {
		size_t cap = bs->cap ? 2 * bs->cap : 64;
		struct kcs_binding *v = realloc(bs->v, cap * sizeof(*v));

		if (!v)
			return kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
		bs->v = v;
		bs->cap = cap;
	}
	bs->v[bs->n++] = *b;
	return 0;
}

/* Without the module nothing is bound, and the admission of a covered
 * container says why it cannot be: no error here. */
static void load_bindings(struct bindings *bs)
{
	struct kcs_err ignored;
	struct kcs_nl nl;

	if (kcs_nl_open(&nl, &ignored))
		return;
	bs->known = !kcs_bind_list(&nl, collect, bs, &ignored);
	kcs_nl_close(&nl);
}

static const struct kcs_binding *find_binding(const struct bindings *bs,
					      uint64_t cgid)
{
	size_t i;

	for (i = 0; i < bs->n; i++)
		if (bs->v[i].cgroup_id == cgid)
			return &bs->v[i];
	return NULL;
}

static struct kcs_sync_item *add_item(struct kcs_sync_list *l, const char *id,
				      struct kcs_err *err)
{
	struct kcs_sync_item *v = realloc(l->v, (l->n + 1) * sizeof(*v));

	if (!v) {
		kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
		return NULL;
	}
	l->v = v;
	v = &l->v[l->n];
	memset(v, 0, sizeof(*v));
	v->id = strdup(id);
	if (!v->id) {
		kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
		return NULL;
	}
	l->n++;
	return v;
}

/* One running container: already bound, or admitted as running. */
static int sync_one(const struct kcs_oci_running *r, struct bindings *bs,
		    const struct kcs_hook_opts *o, struct kcs_sync_item *it,
		    struct kcs_err *err)
{
	const struct kcs_binding *b;
	struct kcs_hook_result res;
	char dir[PATH_MAX], *state;
	uint64_t cgid;
	int ret;

	if (bs->known) {
		if (kcs_task_cgroup(r->pid, dir, &cgid, &it->err)) {
			it->action = KCS_SYNC_FAILED;
			return 0;
		}
		b = find_binding(bs, cgid);
		if (b) {
			it->action = KCS_SYNC_ALREADY_BOUND;
			it->cgroup_id = cgid;
			it->profiles = b->profiles;
			return 0;
		}
	}
	state = kcs_oci_state_json(r);
	if (!state)
		return kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
	ret = kcs_hook_admit(state, strlen(state), 1, o, &res, &it->err);
	free(state);
	it->nfindings = res.nfindings;
	if (ret) {
		it->action = KCS_SYNC_FAILED;
		return 0;
	}
	if (res.action != KCS_HOOK_BOUND) {
		it->action = KCS_SYNC_NOT_COVERED;
		return 0;
	}
	it->action = KCS_SYNC_BOUND;
	it->cgroup_id = res.cgroup_id;
	it->profiles = res.profiles;
	/* The same container under two roots is bound once. */
	if (bs->known) {
		struct kcs_binding nb = {
			.cgroup_id = res.cgroup_id, .profiles = res.profiles,
		};

		return collect(&nb, bs, err);
	}
	return 0;
}

static int is_live(const struct kcs_sync_list *l, size_t nlive, const char *id)
{
	size_t i;

	for (i = 0; i < nlive; i++)
		if (l->v[i].pid && l->v[i].action != KCS_SYNC_NOT_RUNNING &&
		    !strcmp(l->v[i].id, id))
			return 1;
	return 0;
}

/*
 * Forget what $KCS_RUNDIR/containers remembers of containers that are
 * gone: not running under a root searched, and their cgroup removed
 * (a container under a root not searched keeps its cgroup, so its
 * entry stays, as does one whose cgroup outlives it for a while).
 */
static int forget_gone(struct kcs_sync_list *l, struct kcs_err *err)
{
	char dir[PATH_MAX], path[PATH_MAX + 256], mnt[PATH_MAX], *text;
	size_t nlive = l->n, n = 0, i, len;
	char **names = NULL, **paths = NULL;
	uint64_t *ids = NULL;
	struct kcs_err ignored;
	struct dirent *de;
	int have_mnt, ret = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/containers", kcs_run_dir());
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 :
		       kcs_err_set(err, kcs_exit_from_errno(errno), "%s: %s", dir,
				   strerror(errno));
	while ((de = readdir(d))) {
		char **nn;
		uint64_t *ni;

		/* Dot files: a hook's file being written. */
		if (de->d_name[0] == '.' || is_live(l, nlive, de->d_name))
			continue;
		nn = realloc(names, (n + 1) * sizeof(*names));
		if (nn)
			names = nn;
		ni = realloc(ids, (n + 1) * sizeof(*ids));
		if (ni)
			ids = ni;
		if (!nn || !ni || !(names[n] = strdup(de->d_name))) {
			ret = kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
			goto out;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		text = kcs_read_file(path, 64, &len, &ignored);
		/* An unreadable entry names no cgroup that could exist. */
		if (!text || sscanf(text, "%" SCNu64, &ids[n]) != 1)
			ids[n] = 0;
		free(text);
		n++;
	}
	paths = calloc(n + 1, sizeof(*paths));
	if (!paths) {
		ret = kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
		goto out;
	}
	/* Without cgroup2 no container cgroup can exist. */
	have_mnt = !kcs_cgroup2_mount(KCS_MOUNTINFO, mnt, sizeof(mnt), NULL);
	if (have_mnt && n)
		kcs_cgroup_paths(mnt, ids, n, paths, KCS_CGROUP_WALK_MAX);
	for (i = 0; i < n; i++) {
		struct kcs_sync_item *it;

		if (paths[i] && ids[i])
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (unlink(path) && errno != ENOENT) {
			ret = kcs_err_set(err, kcs_exit_from_errno(errno), "%s: %s",
					  path, strerror(errno));
			goto out;
		}
		/* As poststop: its namespace records go too (without a
		 * poststop hook, this is where they are forgotten). */
		if (ids[i])
			kcs_netns_rec_remove_cgroup(ids[i], NULL);
		it = add_item(l, names[i], err);
		if (!it) {
			ret = -1;
			goto out;
		}
		it->action = KCS_SYNC_FORGOTTEN;
		it->cgroup_id = ids[i];
	}
out:
	closedir(d);
	for (i = 0; i < n; i++) {
		free(names[i]);
		if (paths)
			free(paths[i]);
	}
	free(names);
	free(paths);
	free(ids);
	return ret;
}

int kcs_sync(const char *const *roots, size_t nroots,
	     const struct kcs_hook_opts *o, struct kcs_sync_list *out,
	     struct kcs_err *err)
{
	struct kcs_oci_list l = { 0 };
	struct bindings bs = { 0 };
	int ret = 0, loaded = 0;
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < nroots && !ret; i++)
		ret = kcs_oci_scan(roots[i], &l, err);
	for (i = 0; i < l.n && !ret; i++) {
		const struct kcs_oci_running *r = &l.v[i];
		struct kcs_sync_item *it = add_item(out, r->id, err);

		if (!it) {
			ret = -1;
			break;
		}
		it->runtime = r->runtime;
		it->pid = r->pid;
		if (r->err.code) {
			it->action = KCS_SYNC_FAILED;
			it->err = r->err;
			it->pid = 0;	/* not known to run */
			continue;
		}
		if (!kcs_oci_pid_alive(r->pid, r->start_time)) {
			it->action = KCS_SYNC_NOT_RUNNING;
			continue;
		}
		if (!loaded) {
			load_bindings(&bs);
			loaded = 1;
		}
		ret = sync_one(r, &bs, o, it, err);
	}
	if (!ret)
		ret = forget_gone(out, err);
	free(bs.v);
	kcs_oci_list_free(&l);
	if (ret)
		kcs_sync_list_free(out);
	return ret;
}

void kcs_sync_list_free(struct kcs_sync_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].id);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
