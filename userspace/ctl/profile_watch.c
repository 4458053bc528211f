// SPDX-License-Identifier: GPL-2.0
/* Following a profile file (profile_watch.h). */
#include <stdlib.h>
#include <string.h>

#include "profile_watch.h"
#include "readfile.h"

/* As much as kcsadm reads for any profile (profile_json.c). */
#define WATCH_FILE_MAX	(256U << 20)

static int same_stat(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	       a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	       a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* The file's bytes now, and its stat() from just before reading them (a
 * write after that moves the stat again: seen at the next poll). */
static char *read_now(const struct kcs_profile_watch *w, struct stat *st,
		      size_t *len, struct kcs_err *err)
{
	if (stat(w->path, st))
		memset(st, 0, sizeof(*st));
	return kcs_read_file(w->path, WATCH_FILE_MAX, len, err);
}

int kcs_profile_watch_init(struct kcs_profile_watch *w, const char *path,
			   struct kcs_profile_spec *spec, struct kcs_err *err)
{
	memset(w, 0, sizeof(*w));
	memset(spec, 0, sizeof(*spec));
	w->path = path;
	w->data = read_now(w, &w->st, &w->len, err);
	if (!w->data)
		return -1;
	if (kcs_profile_parse(w->data, w->len,
			      strcmp(path, "-") ? path : "<stdin>", spec, err)) {
		kcs_profile_watch_free(w);
		return -1;
	}
	return 0;
}

int kcs_profile_watch_poll(struct kcs_profile_watch *w, int force,
			   struct kcs_profile_spec *spec, struct kcs_err *err)
{
	struct kcs_profile_spec next;
	struct stat st;
	size_t len;
	char *data;

	if (!strcmp(w->path, "-"))
		return 0;
	if (!force && !stat(w->path, &st) && same_stat(&st, &w->st))
		return 0;
	data = read_now(w, &st, &len, err);
	if (!data) {
		/* Gone or unreadable: keep what is in force; say so once. */
		if (w->st.st_ino == 0 && w->st.st_dev == 0)
			return 0;
		memset(&w->st, 0, sizeof(w->st));
		return kcs_err_prefix(err, "cannot follow the profile file, keeping the profile read before");
	}
	w->st = st;
	if (len == w->len && !memcmp(data, w->data, len)) {
		free(data);
		return 0;
	}
	/* New bytes: remembered even if refused, so that they are reported
	 * once, not at every poll. */
	free(w->data);
	w->data = data;
	w->len = len;
	if (kcs_profile_parse(data, len, w->path, &next, err))
		return kcs_err_prefix(err, "the profile file changed but is not valid, keeping the profile read before");
	if (strcmp(next.name, spec->name)) {
		kcs_err_set(err, KCS_EXIT_INVALID,
			    "%s: now holds profile \"%s\", not \"%s\": keeping \"%s\" (run another netwatch for \"%s\")",
			    w->path, next.name, spec->name, spec->name, next.name);
		kcs_profile_free(&next);
		return -1;
	}
	kcs_profile_free(spec);
	*spec = next;
	return 1;
}

void kcs_profile_watch_free(struct kcs_profile_watch *w)
{
	free(w->data);
	w->data = NULL;
	w->len = 0;
}
