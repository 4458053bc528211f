// SPDX-License-Identifier: GPL-2.0
/*
 * crun and runc state files -> struct kcs_oci_running (see oci_state.h).
 * Formats, from the runtimes' sources: crun's libcrun/status.c writes
 * {"pid", "process-start-time", "cgroup-path", "rootfs", "bundle",
 * "created", ...}; runc's libcontainer writes state.json with
 * "init_process_pid", "init_process_start" and the bundle only as the
 * config label "bundle=DIR".
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>

#include "json_check.h"
#include "oci_state.h"
#include "readfile.h"

#define STATE_FILE_MAX	(16U << 20)

const char *const kcs_oci_default_roots[] = {
	"/run/crun", "/run/runc",
	"/run/containerd/runc/k8s.io", "/run/containerd/runc/moby",
	"/run/containerd/runc/default", "/run/docker/runtime-runc/moby",
	NULL
};

static json_t *load(const char *text, size_t len, const char *what,
		    struct kcs_err *err)
{
	json_error_t jerr;
	json_t *j = json_loadb(text, len, 0, &jerr);

	if (!j) {
		kcs_json_bad(err, "%s: line %d, column %d: %s", what, jerr.line,
			     jerr.column, jerr.text);
		return NULL;
	}
	if (!json_is_object(j)) {
		kcs_json_bad(err, "%s: expected an object, got %s", what,
			     kcs_json_type_name(j));
		json_decref(j);
		return NULL;
	}
	return j;
}

static int get_pid(const json_t *j, const char *key, const char *what,
		   long *pid, struct kcs_err *err)
{
	const json_t *v = json_object_get(j, key);

	if (!json_is_integer(v) || json_integer_value(v) <= 0 ||
	    json_integer_value(v) > 0x7fffffff)
		return kcs_json_bad(err, "%s: %s: expected a pid", what, key);
	*pid = (long)json_integer_value(v);
	return 0;
}

/* A start time: a number, or (runc before 1.0) a decimal string. Absent
 * is 0, unknown: older crun does not write it. */
static int get_start(const json_t *j, const char *key, const char *what,
		     uint64_t *out, struct kcs_err *err)
{
	const json_t *v = json_object_get(j, key);
	const char *s;
	char *end;

	*out = 0;
	if (!v)
		return 0;
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*out = (uint64_t)json_integer_value(v);
		return 0;
	}
	s = json_string_value(v);
	if (s && isdigit((unsigned char)*s)) {
		errno = 0;
		*out = strtoull(s, &end, 10);
		if (!errno && !*end)
			return 0;
	}
	return kcs_json_bad(err, "%s: %s: expected a start time", what, key);
}

static int set_bundle(struct kcs_oci_running *r, const char *b,
		      const char *what, struct kcs_err *err)
{
	if (!b || *b != '/')
		return kcs_json_bad(err, "%s: no absolute bundle directory", what);
	r->bundle = strdup(b);
	return r->bundle ? 0 : kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
}

int kcs_oci_parse_crun(const char *text, size_t len,
		       struct kcs_oci_running *r, struct kcs_err *err)
{
	json_t *j = load(text, len, "crun status", err);
	int ret;

	if (!j)
		return -1;
	r->runtime = "crun";
	ret = get_pid(j, "pid", "crun status", &r->pid, err) ||
	      get_start(j, "process-start-time", "crun status", &r->start_time, err) ||
	      set_bundle(r, json_string_value(json_object_get(j, "bundle")),
			 "crun status", err);
	json_decref(j);
	return ret ? -1 : 0;
}

int kcs_oci_parse_runc(const char *text, size_t len,
		       struct kcs_oci_running *r, struct kcs_err *err)
{
	json_t *j = load(text, len, "runc state.json", err), *labels, *v;
	const char *bundle = NULL, *s;
	size_t i;
	int ret;

	if (!j)
		return -1;
	r->runtime = "runc";
	labels = json_object_get(json_object_get(j, "config"), "labels");
	json_array_foreach(labels, i, v) {
		s = json_string_value(v);
		if (s && !strncmp(s, "bundle=", 7))
			bundle = s + 7;
	}
	ret = get_pid(j, "init_process_pid", "runc state.json", &r->pid, err) ||
	      get_start(j, "init_process_start", "runc state.json", &r->start_time, err) ||
	      set_bundle(r, bundle, "runc state.json", err);
	json_decref(j);
	return ret ? -1 : 0;
}

static int add(struct kcs_oci_list *l, const char *root, const char *id,
	       struct kcs_oci_running **out, struct kcs_err *err)
{
	struct kcs_oci_running *v = realloc(l->v, (l->n + 1) * sizeof(*v));

	if (!v)
		return kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
	l->v = v;
	v = &l->v[l->n];
	memset(v, 0, sizeof(*v));
	v->id = strdup(id);
	v->root = strdup(root);
	if (!v->id || !v->root) {
		free(v->id);
		free(v->root);
		return kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
	}
	l->n++;
	*out = v;
	return 0;
}

/* Read ROOT/ID/FILE into @r (its err on failure). 0: not this format. */
static int try_format(const char *root, const char *id, const char *file,
		      int (*parse)(const char *, size_t, struct kcs_oci_running *,
				   struct kcs_err *),
		      struct kcs_oci_list *l, struct kcs_err *err)
{
	struct kcs_oci_running *r = NULL;
	char path[4096];
	size_t len;
	char *text;

	if (snprintf(path, sizeof(path), "%s/%s/%s", root, id, file) >=
	    (int)sizeof(path))
		return 0;
	if (access(path, F_OK))
		return 0;
	if (add(l, root, id, &r, err))
		return -1;
	text = kcs_read_file(path, STATE_FILE_MAX, &len, &r->err);
	if (text && parse(text, len, r, &r->err))
		kcs_err_prefix(&r->err, "%s", path);
	if (!r->runtime)	/* unreadable: still say which format */
		r->runtime = strcmp(file, "status") ? "runc" : "crun";
	free(text);
	return 1;
}

static int by_id(const void *a, const void *b)
{
	const struct kcs_oci_running *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	return c ? c : strcmp(x->root, y->root);
}

int kcs_oci_scan(const char *root, struct kcs_oci_list *l,
		 struct kcs_err *err)
{
	size_t first = l->n;
	struct dirent *de;
	DIR *d = opendir(root);

	if (!d) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		return kcs_err_set(err, kcs_exit_from_errno(errno), "%s: %s",
				   root, strerror(errno));
	}
	while ((de = readdir(d))) {
		/* Runtimes keep their own files beside: .empty-directory... */
		if (de->d_name[0] == '.')
			continue;
		if (try_format(root, de->d_name, "status", kcs_oci_parse_crun, l, err) < 0 ||
		    try_format(root, de->d_name, "state.json", kcs_oci_parse_runc, l, err) < 0) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	/* Directory order is the file system's: report in a stable one. */
	qsort(l->v + first, l->n - first, sizeof(*l->v), by_id);
	return 0;
}

void kcs_oci_list_free(struct kcs_oci_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].id);
		free(l->v[i].root);
		free(l->v[i].bundle);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int kcs_oci_pid_alive(long pid, uint64_t start_time)
{
	char path[64], buf[1024], *p;
	unsigned long long st;
	size_t n;
	FILE *f;
	int i;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	/* comm may hold spaces and parentheses: fields follow the last ')'. */
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ' || p[2] == 'Z' || p[2] == 'X')
		return 0;
	if (!start_time)
		return 1;
	/* p + 2 is field 3 (state); starttime is field 22. */
	for (p += 2, i = 3; i < 22 && p; i++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	return p && sscanf(p, "%llu", &st) == 1 && st == start_time;
}

char *kcs_oci_state_json(const struct kcs_oci_running *r)
{
	/* config.json's annotations are read from the bundle itself. */
	json_t *j = json_pack("{s:s,s:s,s:s,s:I,s:s?}", "ociVersion", "1.0.2",
			      "id", r->id, "status", "running",
			      "pid", (json_int_t)r->pid, "bundle", r->bundle);
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;

	json_decref(j);
	return s;
}
