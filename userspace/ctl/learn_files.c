// SPDX-License-Identifier: GPL-2.0
/*
 * Learning files: the file events of the learning profile ("default":
 * "audit": every open and every change of a name is reported) into the
 * sets of names read and changed, and those into the allow lists of a
 * profile whose file default is deny (docs/files.md).
 *
 * A name that differs from run to run must not be learned as it was
 * seen, or the workload fails under Enforce the next time:
 *  - a component of digits only (a pid under /proc, a pts number) becomes
 *    "[0-9]+" (the pattern turns into a regular expression);
 *  - anything under a temporary directory (/tmp, /var/tmp, /dev/shm)
 *    becomes the mask "DIR/<star>": names there are made up at run time;
 *  - a directory with @collapse or more names directly in it becomes
 *    "DIR/[^/]+", its direct entries only (not its subdirectories').
 * Everything else is allowed by its exact name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kcs.h>

#include "learn.h"

static const char *const temp_dirs[] = { "/tmp/", "/var/tmp/", "/dev/shm/" };

int kcs_learn_file(struct kcs_learn *l, const struct kcs_event *ev)
{
	json_t *utf8;
	int ret = 0;

	if (!ev->path || ev->path[0] != '/') {
		l->files_nameless++;
		return 0;
	}
	/* The profile is JSON: a name that is not UTF-8 cannot be written. */
	utf8 = json_string(ev->path);
	if (!utf8) {
		l->files_nameless++;
		return 0;
	}
	json_decref(utf8);
	if (ev->file_access & KCS_FILE_ACC_READ) {
		char *s = strdup(ev->path);

		ret = s ? kcs_learn_str_add(&l->reads, s, &l->over) : -1;
	}
	if (!ret && (ev->file_access & KCS_FILE_ACC_WRITE)) {
		char *s = strdup(ev->path);

		ret = s ? kcs_learn_str_add(&l->writes, s, &l->over) : -1;
	}
	return ret;
}

/* One learned name: its directory and base as regular expressions. */
struct fname {
	char *dir;		/* ends with '/' */
	char *base;		/* "" for "/" itself */
	const char *raw;	/* as seen */
	int general;		/* a component of digits became "[0-9]+" */
};

/* Append @n bytes of @s to @out (at *@len), regex-escaped. */
static void re_escape(char *out, size_t *len, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strchr(".[]()*+?{}|^$\\", s[i]))
			out[(*len)++] = '\\';
		out[(*len)++] = s[i];
	}
	out[*len] = '\0';
}

/* @n bytes of @s (whole components) as a regex, digits generalised. */
static char *re_of(const char *s, size_t n, int *general)
{
	char *out = malloc(2 * n + 8 * (n / 2 + 1) + 1);
	size_t len = 0, i = 0;

	if (!out)
		return NULL;
	out[0] = '\0';
	while (i < n) {
		size_t j = i;

		while (j < n && s[j] != '/')
			j++;
		if (j > i && strspn(s + i, "0123456789") >= j - i) {
			memcpy(out + len, "[0-9]+", 6);
			len += 6;
			out[len] = '\0';
			*general = 1;
		} else {
			re_escape(out, &len, s + i, j - i);
		}
		if (j < n)
			re_escape(out, &len, "/", 1);
		i = j + 1;
	}
	return out;
}

static int fname_cmp(const void *pa, const void *pb)
{
	const struct fname *a = pa, *b = pb;

	return strcmp(a->dir, b->dir) ?: strcmp(a->base, b->base);
}

static void fnames_free(struct fname *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(f[i].dir);
		free(f[i].base);
	}
	free(f);
}

/* The temporary directory @path lies under, or NULL. */
static const char *temp_dir(const char *path)
{
	size_t i;

	for (i = 0; i < sizeof(temp_dirs) / sizeof(temp_dirs[0]); i++)
		if (!strncmp(path, temp_dirs[i], strlen(temp_dirs[i])))
			return temp_dirs[i];
	return NULL;
}

static int append_pattern(json_t *a, const char *kind, const char *dir,
			  const char *base)
{
	return json_array_append_new(a, json_pack("{s:s+}", kind, dir, base));
}

/* One allow list from the sorted set @set. */
static json_t *allow_list(const struct kcs_learn_strs *set,
			  unsigned int collapse)
{
	struct fname *f = calloc(set->n ? set->n : 1, sizeof(*f));
	json_t *a = json_array();
	int temp_seen[3] = { 0 };
	size_t i, j, n = 0;

	if (!f || !a)
		goto fail;
	for (i = 0; i < set->n; i++) {
		const char *p = set->v[i], *t = temp_dir(p);
		size_t dl = (size_t)(strrchr(p, '/') - p) + 1;

		if (t) {
			size_t k = 0;

			while (temp_dirs[k] != t)
				k++;
			if (!temp_seen[k]++ &&
			    append_pattern(a, "mask", t, "*"))
				goto fail;
			continue;
		}
		f[n].raw = p;
		f[n].dir = re_of(p, dl, &f[n].general);
		f[n].base = re_of(p + dl, strlen(p + dl), &f[n].general);
		if (!f[n].dir || !f[n].base) {
			n++;
			goto fail;
		}
		n++;
	}
	qsort(f, n, sizeof(*f), fname_cmp);
	for (i = 0; i < n; i = j) {
		size_t uniq = 0, k;

		for (j = i; j < n && !strcmp(f[j].dir, f[i].dir); j++)
			uniq += j == i || strcmp(f[j].base, f[j - 1].base);
		if (collapse && uniq >= collapse) {
			if (append_pattern(a, "regex", f[i].dir, "[^/]+"))
				goto fail;
			continue;
		}
		for (k = i; k < j; k++) {
			char *m;

			if (k > i && !strcmp(f[k].base, f[k - 1].base))
				continue;
			if (f[k].general) {
				if (append_pattern(a, "regex", f[k].dir,
						   f[k].base))
					goto fail;
				continue;
			}
			m = kcs_learn_mask_escape(f[k].raw);
			if (!m || json_array_append_new(a, json_string(m))) {
				free(m);
				goto fail;
			}
			free(m);
		}
	}
	fnames_free(f, n);
	return a;
fail:
	fnames_free(f, n);
	json_decref(a);
	return NULL;
}

json_t *kcs_learn_files_json(const struct kcs_learn *l, unsigned int collapse)
{
	json_t *files = json_pack("{s:s}", "default", "deny"), *v;

	if (files && l->reads.n) {
		v = allow_list(&l->reads, collapse);
		if (!v || json_object_set_new(files, "allow_read", v))
			goto fail;
	}
	if (files && l->writes.n) {
		v = allow_list(&l->writes, collapse);
		if (!v || json_object_set_new(files, "allow_write", v))
			goto fail;
	}
	return files;
fail:
	json_decref(files);
	return NULL;
}
