// SPDX-License-Identifier: GPL-2.0
/*
 * config.json (runtime-spec) and the hook state JSON -> struct
 * kcs_container. Lenient about what it does not use (the runtime owns the
 * format and adds to it), strict about the types of what it does: a field
 * it cannot read would be judged as absent, and absent often means "the
 * host's" (namespaces) or "none" (capabilities), so malformed input is an
 * error rather than a guess.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <linux/capability.h>

#include "caps.h"
#include "container_spec.h"
#include "json_check.h"
#include "readfile.h"

#define SPEC_FILE_MAX	(16U << 20)

/* Annotations runtimes set with the image the container was made from,
 * in the order trusted: the runtimes' own keys first, so that an
 * annotation a user may pass through (io.kcs.image) cannot override what
 * the runtime itself says it pulled. */
static const char *const image_keys[] = {
	"io.kubernetes.cri.image-name",		/* containerd CRI */
	"io.kubernetes.cri-o.ImageName",	/* CRI-O: the name asked for */
	"io.kubernetes.cri-o.Image",		/* CRI-O */
	"io.kcs.image",				/* kcs: set it where nothing else does */
	NULL
};
static const char *const ns_keys[] = {
	"io.kubernetes.pod.namespace", "io.kubernetes.cri.sandbox-namespace", NULL
};
static const char *const pod_keys[] = {
	"io.kubernetes.pod.name", "io.kubernetes.cri.sandbox-name", NULL
};
static const char *const cname_keys[] = {
	"io.kubernetes.container.name", "io.kubernetes.cri.container-name", NULL
};
#define CRIO_LABELS	"io.kubernetes.cri-o.Labels"
#define KCS_LABEL_PREFIX "io.kcs.label."

/* Where runtimes keep a container's own files (hosts, resolv.conf,
 * secrets...); a source two components below one of these belongs to one
 * container, not to the host. */
static const char *const runtime_roots[] = {
	"/var/lib/docker/containers", "/var/lib/containerd", "/run/containerd",
	"/var/lib/kubelet/pods", "/var/lib/containers/storage",
	"/run/containers/storage", "/var/run/containerd",
	"/var/run/containers/storage", NULL
};

static const char *const capset_names[KCS_CAPSET_COUNT] = {
	[KCS_CAPSET_BOUNDING] = "bounding",
	[KCS_CAPSET_EFFECTIVE] = "effective",
	[KCS_CAPSET_PERMITTED] = "permitted",
	[KCS_CAPSET_INHERITABLE] = "inheritable",
	[KCS_CAPSET_AMBIENT] = "ambient",
};

/* runtime-spec namespace type names. */
static const char *const ns_names[KCS_NS_COUNT] = {
	[KCS_NS_PID] = "pid",
	[KCS_NS_NETWORK] = "network",
	[KCS_NS_IPC] = "ipc",
	[KCS_NS_UTS] = "uts",
	[KCS_NS_MOUNT] = "mount",
	[KCS_NS_USER] = "user",
	[KCS_NS_CGROUP] = "cgroup",
};

const char *kcs_capset_name(enum kcs_capset s)
{
	return s < KCS_CAPSET_COUNT ? capset_names[s] : "unknown";
}

const char *kcs_ns_name(enum kcs_nstype t)
{
	return t < KCS_NS_COUNT ? ns_names[t] : "unknown";
}

const char *kcs_container_annotation(const struct kcs_container *c,
				     const char *key)
{
	size_t i;

	for (i = 0; i < c->nannotations; i++)
		if (!strcmp(c->annotations[i].key, key))
			return c->annotations[i].value;
	return NULL;
}

static int bad_oom(struct kcs_err *err)
{
	return kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
}

/* The JSON string at @key of @obj, or NULL when absent; -1 on a type
 * error. */
static int opt_str(const json_t *obj, const char *key, const char *where,
		   const char **out, struct kcs_err *err)
{
	const json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return kcs_json_bad(err, "%s%s: expected a string, got %s", where,
				    key, kcs_json_type_name(v));
	*out = json_string_value(v);
	return 0;
}

static int opt_obj(const json_t *obj, const char *key, const char *where,
		   const json_t **out, struct kcs_err *err)
{
	const json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return kcs_json_bad(err, "%s%s: expected an object, got %s", where,
				    key, kcs_json_type_name(v));
	*out = v;
	return 0;
}

static int opt_arr(const json_t *obj, const char *key, const char *where,
		   const json_t **out, struct kcs_err *err)
{
	const json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return kcs_json_bad(err, "%s%s: expected an array, got %s", where,
				    key, kcs_json_type_name(v));
	*out = v;
	return 0;
}

/* ---- key/value lists ---- */

static int kv_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kcs_kv *)a)->key,
		      ((const struct kcs_kv *)b)->key);
}

static int kv_add(struct kcs_kv **kv, size_t *n, const char *key,
		  const char *value)
{
	struct kcs_kv *nk;
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*kv)[i].key, key))
			return 0;	/* the first source wins */
	nk = realloc(*kv, (*n + 1) * sizeof(**kv));
	if (!nk)
		return -1;
	*kv = nk;
	nk[*n].key = strdup(key);
	nk[*n].value = strdup(value);
	(*n)++;
	return nk[*n - 1].key && nk[*n - 1].value ? 0 : -1;
}

/* "annotations": {"k": "v"} of config.json or the state. */
static int read_annotations(const json_t *obj, const char *where,
			    struct kcs_container *c, struct kcs_err *err)
{
	const json_t *a, *v;
	const char *key;

	if (opt_obj(obj, "annotations", where, &a, err))
		return -1;
	if (!a)
		return 0;
	json_object_foreach((json_t *)a, key, v) {
		if (!json_is_string(v))
			return kcs_json_bad(err, "%sannotations.%s: expected a string, got %s",
					    where, key, kcs_json_type_name(v));
		if (kv_add(&c->annotations, &c->nannotations, key,
			   json_string_value(v)))
			return bad_oom(err);
	}
	return 0;
}

/* Pod labels: CRI-O's JSON annotation, then io.kcs.label.KEY. A label
 * annotation that is not a JSON object of strings gives no labels: labels
 * only select, and a selector that cannot match does not widen a policy. */
static int read_labels(struct kcs_container *c, struct kcs_err *err)
{
	const char *crio = kcs_container_annotation(c, CRIO_LABELS), *key;
	size_t i, plen = strlen(KCS_LABEL_PREFIX);
	json_t *j, *v;

	if (crio) {
		j = json_loads(crio, 0, NULL);
		if (json_is_object(j)) {
			json_object_foreach(j, key, v)
				if (json_is_string(v) &&
				    kv_add(&c->labels, &c->nlabels, key,
					   json_string_value(v))) {
					json_decref(j);
					return bad_oom(err);
				}
		}
		json_decref(j);
	}
	for (i = 0; i < c->nannotations; i++) {
		const struct kcs_kv *a = &c->annotations[i];

		if (!strncmp(a->key, KCS_LABEL_PREFIX, plen) && a->key[plen] &&
		    kv_add(&c->labels, &c->nlabels, a->key + plen, a->value))
			return bad_oom(err);
	}
	if (c->nlabels)
		qsort(c->labels, c->nlabels, sizeof(*c->labels), kv_cmp);
	return 0;
}

static int first_annotation(const struct kcs_container *c,
			    const char *const *keys, char **out,
			    const char **which)
{
	const char *v;

	for (; *keys; keys++) {
		v = kcs_container_annotation(c, *keys);
		if (v) {
			*out = strdup(v);
			if (which)
				*which = *keys;
			return *out ? 0 : -1;
		}
	}
	return 0;
}

int kcs_container_set_image(struct kcs_container *c, const char *ref,
			    const char *source)
{
	struct kcs_err e;

	free(c->image);
	free(c->image_source);
	c->image = strdup(ref);
	c->image_source = strdup(source);
	if (!c->image || !c->image_source)
		return -1;
	c->image_valid = !kcs_imageref_parse(ref, &c->ref, &e);
	c->image_error[0] = '\0';
	if (!c->image_valid)
		memcpy(c->image_error, e.msg, sizeof(c->image_error));
	return 0;
}

static int read_identity(struct kcs_container *c, struct kcs_err *err)
{
	const char *key = NULL;
	char *img = NULL;

	if (first_annotation(c, image_keys, &img, &key) ||
	    first_annotation(c, ns_keys, &c->k8s_namespace, NULL) ||
	    first_annotation(c, pod_keys, &c->pod_name, NULL) ||
	    first_annotation(c, cname_keys, &c->container_name, NULL)) {
		free(img);
		return bad_oom(err);
	}
	if (img) {
		int ret = kcs_container_set_image(c, img, key);

		free(img);
		if (ret)
			return bad_oom(err);
	}
	return read_labels(c, err);
}

/* ---- process ---- */

static int read_caps(const json_t *proc, struct kcs_container *c,
		     struct kcs_err *err)
{
	const json_t *caps, *set;
	size_t i, k;

	if (opt_obj(proc, "capabilities", "process.", &caps, err))
		return -1;
	if (!caps)
		return 0;
	for (i = 0; i < KCS_CAPSET_COUNT; i++) {
		if (opt_arr(caps, capset_names[i], "process.capabilities.", &set,
			    err))
			return -1;
		for (k = 0; set && k < json_array_size(set); k++) {
			const json_t *v = json_array_get(set, k);
			int cap;

			if (!json_is_string(v))
				return kcs_json_bad(err, "process.capabilities.%s[%zu]: expected a string, got %s",
						    capset_names[i], k,
						    kcs_json_type_name(v));
			cap = kcs_cap_parse(json_string_value(v));
			/* A capability newer than this kcsadm is still held. */
			if (cap < 0)
				c->caps_unknown |= 1U << i;
			else
				c->caps[i] |= 1ULL << cap;
		}
	}
	return 0;
}

static int read_uint(const json_t *obj, const char *key, const char *where,
		     unsigned long *out, struct kcs_err *err)
{
	const json_t *v = json_object_get(obj, key);

	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > 0xffffffffLL)
		return kcs_json_bad(err, "%s%s: expected an integer from 0 to 4294967295",
				    where, key);
	*out = (unsigned long)json_integer_value(v);
	return 0;
}

static int read_process(const json_t *root, struct kcs_container *c,
			struct kcs_err *err)
{
	const json_t *proc, *user, *v;

	if (opt_obj(root, "process", "", &proc, err))
		return -1;
	if (!proc)
		return 0;
	if (opt_obj(proc, "user", "process.", &user, err))
		return -1;
	/* No user is uid 0, as runtimes run it. */
	if (user && (read_uint(user, "uid", "process.user.", &c->uid, err) ||
		     read_uint(user, "gid", "process.user.", &c->gid, err)))
		return -1;
	v = json_object_get(proc, "noNewPrivileges");
	if (v && !json_is_boolean(v))
		return kcs_json_bad(err, "process.noNewPrivileges: expected a boolean, got %s",
				    kcs_json_type_name(v));
	c->no_new_privs = json_is_true(v);
	return read_caps(proc, c, err);
}

/* ---- linux ---- */

static int read_namespaces(const json_t *lx, struct kcs_container *c,
			   struct kcs_err *err)
{
	const json_t *nss;
	size_t i;
	int t;

	c->ns_host = (1U << KCS_NS_COUNT) - 1;
	if (opt_arr(lx, "namespaces", "linux.", &nss, err))
		return -1;
	for (i = 0; nss && i < json_array_size(nss); i++) {
		const json_t *ns = json_array_get(nss, i);
		const char *type, *path;
		char where[64];

		snprintf(where, sizeof(where), "linux.namespaces[%zu].", i);
		if (!json_is_object(ns))
			return kcs_json_bad(err, "linux.namespaces[%zu]: expected an object, got %s",
					    i, kcs_json_type_name(ns));
		if (opt_str(ns, "type", where, &type, err) ||
		    opt_str(ns, "path", where, &path, err))
			return -1;
		if (!type)
			return kcs_json_bad(err, "linux.namespaces[%zu]: missing key \"type\"", i);
		for (t = 0; t < KCS_NS_COUNT; t++)
			if (!strcmp(type, ns_names[t]))
				break;
		if (t == KCS_NS_COUNT)
			continue;	/* e.g. "time": not judged */
		/* Joining init's namespace by path is the host's too. */
		if (path && !strncmp(path, "/proc/1/ns/", 11))
			continue;
		c->ns_host &= ~(1U << t);
		if (path && *path)
			c->ns_joined |= 1U << t;
	}
	return 0;
}

/* The host uid of @c->uid through linux.uidMappings of a user namespace. */
static int read_host_uid(const json_t *lx, struct kcs_container *c,
			 struct kcs_err *err)
{
	const json_t *maps;
	size_t i;

	c->host_uid = (long)c->uid;
	if (c->ns_host & (1U << KCS_NS_USER))
		return 0;
	if (opt_arr(lx, "uidMappings", "linux.", &maps, err))
		return -1;
	if (!maps)
		return 0;	/* a joined user namespace: mappings unknown */
	c->host_uid = -1;	/* unmapped: the overflow uid, not root */
	for (i = 0; i < json_array_size(maps); i++) {
		const json_t *m = json_array_get(maps, i);
		unsigned long cid = 0, hid = 0, size = 0;
		char where[64];

		snprintf(where, sizeof(where), "linux.uidMappings[%zu].", i);
		if (!json_is_object(m))
			return kcs_json_bad(err, "linux.uidMappings[%zu]: expected an object", i);
		if (read_uint(m, "containerID", where, &cid, err) ||
		    read_uint(m, "hostID", where, &hid, err) ||
		    read_uint(m, "size", where, &size, err))
			return -1;
		if (c->uid >= cid && c->uid - cid < size) {
			c->host_uid = (long)(hid + (c->uid - cid));
			break;
		}
	}
	return 0;
}

static int read_linux(const json_t *root, struct kcs_container *c,
		      struct kcs_err *err)
{
	const json_t *lx, *v;
	const char *cg;

	c->ns_host = (1U << KCS_NS_COUNT) - 1;
	c->host_uid = (long)c->uid;
	if (opt_obj(root, "linux", "", &lx, err))
		return -1;
	if (!lx)
		return 0;
	if (read_namespaces(lx, c, err) || read_host_uid(lx, c, err))
		return -1;
	if (opt_str(lx, "cgroupsPath", "linux.", &cg, err))
		return -1;
	if (cg && !(c->cgroups_path = strdup(cg)))
		return bad_oom(err);
	v = json_object_get(lx, "seccomp");
	c->seccomp = v && !json_is_null(v);
	if (opt_arr(lx, "maskedPaths", "linux.", &v, err))
		return -1;
	c->masked_paths = v ? json_array_size(v) : 0;
	return 0;
}

/* ---- mounts ---- */

/* Lexical canonical form of a host path from the runtime: unlike policy
 * paths, ".." is resolved (the runtime would follow it). */
static void path_clean(const char *in, char *out, size_t size)
{
	size_t o = 0, n;
	const char *p = in, *e;

	while (*p) {
		while (*p == '/')
			p++;
		e = p + strcspn(p, "/");
		n = (size_t)(e - p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
		} else if (n && !(n == 1 && p[0] == '.') && o + 1 + n < size) {
			out[o++] = '/';
			memcpy(out + o, p, n);
			o += n;
		}
		p = e;
	}
	if (!o)
		out[o++] = '/';
	out[o] = '\0';
}

static int depth_below(const char *path, const char *root)
{
	const char *p;
	int n = 0;

	if (!kcs_path_within(path, root) || !strcmp(path, root))
		return 0;
	for (p = path + strlen(root); *p; p++)
		n += *p == '/';
	return n;
}

static int runtime_managed(const char *src, const char *bundle)
{
	const char *const *r;

	if (bundle && depth_below(src, bundle) >= 1)
		return 1;
	for (r = runtime_roots; *r; r++)
		if (depth_below(src, *r) >= 2)
			return 1;
	return 0;
}

static int read_mount(const json_t *m, size_t i, const char *bundle,
		      struct kcs_mount *mt, struct kcs_err *err)
{
	const char *dst, *src, *type;
	const json_t *opts;
	char where[64], raw[8192], buf[8192];
	size_t k;

	snprintf(where, sizeof(where), "mounts[%zu].", i);
	if (!json_is_object(m))
		return kcs_json_bad(err, "mounts[%zu]: expected an object, got %s", i,
				    kcs_json_type_name(m));
	if (opt_str(m, "destination", where, &dst, err) ||
	    opt_str(m, "source", where, &src, err) ||
	    opt_str(m, "type", where, &type, err) ||
	    opt_arr(m, "options", where, &opts, err))
		return -1;
	if (!dst)
		return kcs_json_bad(err, "mounts[%zu]: missing key \"destination\"", i);
	mt->bind = type && !strcmp(type, "bind");
	for (k = 0; opts && k < json_array_size(opts); k++) {
		const json_t *o = json_array_get(opts, k);
		const char *s;

		if (!json_is_string(o))
			return kcs_json_bad(err, "mounts[%zu].options[%zu]: expected a string, got %s",
					    i, k, kcs_json_type_name(o));
		s = json_string_value(o);
		if (!strcmp(s, "bind") || !strcmp(s, "rbind"))
			mt->bind = 1;
		else if (!strcmp(s, "ro"))
			mt->ro = 1;
		else if (!strcmp(s, "rw"))
			mt->ro = 0;
	}
	if (mt->bind && src) {
		/* A relative bind source is relative to the bundle. */
		if (src[0] != '/' && bundle)
			snprintf(raw, sizeof(raw), "%s/%s", bundle, src);
		else
			snprintf(raw, sizeof(raw), "%s", src);
		path_clean(raw, buf, sizeof(buf));
		mt->source = strdup(buf);
		mt->runtime_managed = runtime_managed(buf, bundle);
	} else if (src) {
		mt->source = strdup(src);
	}
	mt->destination = strdup(dst);
	mt->type = type ? strdup(type) : NULL;
	if (!mt->destination || (src && !mt->source) || (type && !mt->type))
		return bad_oom(err);
	return 0;
}

static int read_mounts(const json_t *root, struct kcs_container *c,
		       struct kcs_err *err)
{
	const json_t *ms;
	size_t i, n;

	if (opt_arr(root, "mounts", "", &ms, err))
		return -1;
	n = ms ? json_array_size(ms) : 0;
	if (!n)
		return 0;
	c->mounts = calloc(n, sizeof(*c->mounts));
	if (!c->mounts)
		return bad_oom(err);
	for (i = 0; i < n; i++) {
		c->nmounts++;	/* zeroed: freeable if reading fails */
		if (read_mount(json_array_get(ms, i), i, c->bundle, &c->mounts[i],
			       err))
			return -1;
	}
	return 0;
}

/* ---- the whole ---- */

/*
 * Privileged, as `docker run --privileged` and Kubernetes' privileged:
 * true make a container: every capability of any kernel since 3.16 (up to
 * CAP_AUDIT_READ) in the bounding set, and without one of the two
 * confinements runtimes give every other container, a seccomp filter and
 * masked /proc paths. `--cap-add ALL` alone keeps both; capabilities_block
 * "ALL" is the check for it.
 */
static int is_privileged(const struct kcs_container *c)
{
	uint64_t all = (1ULL << (CAP_AUDIT_READ + 1)) - 1;

	return (c->caps[KCS_CAPSET_BOUNDING] & all) == all &&
	       (!c->seccomp || !c->masked_paths);
}

static int read_state(const char *state, size_t len, const char **bundle,
		      json_t **root, struct kcs_container *c,
		      struct kcs_err *err)
{
	json_error_t jerr;
	const json_t *v;
	const char *id;

	*root = json_loadb(state, len, 0, &jerr);
	if (!*root)
		return kcs_json_bad(err, "state: line %d, column %d: %s", jerr.line,
				    jerr.column, jerr.text);
	if (!json_is_object(*root))
		return kcs_json_bad(err, "state: expected an object, got %s",
				    kcs_json_type_name(*root));
	if (opt_str(*root, "id", "state: ", &id, err) ||
	    (!*bundle && opt_str(*root, "bundle", "state: ", bundle, err)))
		return -1;
	if (id && !(c->id = strdup(id)))
		return bad_oom(err);
	v = json_object_get(*root, "pid");
	if (v && (!json_is_integer(v) || json_integer_value(v) < 0))
		return kcs_json_bad(err, "state: pid: expected a positive integer");
	c->pid = v ? (long)json_integer_value(v) : 0;
	return read_annotations(*root, "state: ", c, err);
}

int kcs_container_parse(const char *cfg, size_t cfglen, const char *state,
			size_t statelen, const char *bundle,
			struct kcs_container *c, struct kcs_err *err)
{
	json_t *root = NULL, *sroot = NULL;
	json_error_t jerr;
	int ret = -1;

	memset(c, 0, sizeof(*c));
	c->ns_host = (1U << KCS_NS_COUNT) - 1;
	/* The state's annotations first: it is what the runtime passes the
	 * hook (the same as config.json's, unless something edited it). */
	if (state && read_state(state, statelen, &bundle, &sroot, c, err))
		goto out;
	if (bundle && !(c->bundle = strdup(bundle))) {
		bad_oom(err);
		goto out;
	}
	root = json_loadb(cfg, cfglen, 0, &jerr);
	if (!root) {
		kcs_json_bad(err, "config.json: line %d, column %d: %s", jerr.line,
			     jerr.column, jerr.text);
		goto out;
	}
	if (!json_is_object(root)) {
		kcs_json_bad(err, "config.json: expected an object, got %s",
			     kcs_json_type_name(root));
		goto out;
	}
	if (read_annotations(root, "", c, err) || read_process(root, c, err) ||
	    read_linux(root, c, err) || read_mounts(root, c, err) ||
	    read_identity(c, err)) {
		if (err->code == KCS_EXIT_INVALID && strncmp(err->msg, "state", 5))
			kcs_err_prefix(err, "config.json");
		goto out;
	}
	if (c->nannotations)
		qsort(c->annotations, c->nannotations, sizeof(*c->annotations),
		      kv_cmp);
	c->privileged = is_privileged(c);
	ret = 0;
out:
	json_decref(root);
	json_decref(sroot);
	if (ret)
		kcs_container_free(c);
	return ret;
}

/* kcs_container_load with the state's text at hand. */
static int load_bundle(const char *bundle, const char *state, size_t statelen,
		       struct kcs_container *c, struct kcs_err *err)
{
	char *cfg = NULL, *abs = NULL, path[4096];
	size_t cfglen = 0;
	json_t *sj = NULL;
	int ret = -1;

	memset(c, 0, sizeof(*c));
	/* Without a bundle argument the state names it. */
	if (!bundle && state) {
		sj = json_loadb(state, statelen, 0, NULL);
		if (json_is_string(json_object_get(sj, "bundle")))
			bundle = json_string_value(json_object_get(sj, "bundle"));
	}
	if (!bundle) {
		kcs_err_set(err, KCS_EXIT_USAGE, "no bundle: give BUNDLE or a state with \"bundle\"");
		goto out;
	}
	abs = realpath(bundle, NULL);
	if (!abs) {
		kcs_err_set(err, errno == ENOENT ? KCS_EXIT_NOTFOUND :
			    kcs_exit_from_errno(errno), "%s: %s", bundle,
			    strerror(errno));
		goto out;
	}
	if (snprintf(path, sizeof(path), "%s/config.json", abs) >= (int)sizeof(path)) {
		kcs_err_set(err, KCS_EXIT_INVALID, "%s: path too long", bundle);
		goto out;
	}
	cfg = kcs_read_file(path, SPEC_FILE_MAX, &cfglen, err);
	if (!cfg)
		goto out;
	ret = kcs_container_parse(cfg, cfglen, state, statelen, abs, c, err);
	if (ret)
		kcs_err_prefix(err, "%s", abs);
out:
	json_decref(sj);
	free(abs);
	free(cfg);
	return ret;
}

int kcs_container_load(const char *bundle, const char *state_path,
		       struct kcs_container *c, struct kcs_err *err)
{
	char *state = NULL;
	size_t statelen = 0;
	int ret;

	memset(c, 0, sizeof(*c));
	if (state_path) {
		state = kcs_read_file(state_path, SPEC_FILE_MAX, &statelen, err);
		if (!state)
			return -1;
	}
	ret = load_bundle(bundle, state, statelen, c, err);
	free(state);
	return ret;
}

int kcs_container_load_state(const char *state, size_t statelen,
			     struct kcs_container *c, struct kcs_err *err)
{
	return load_bundle(NULL, state, statelen, c, err);
}

static void free_kvs(struct kcs_kv *kv, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].value);
	}
	free(kv);
}

void kcs_container_free(struct kcs_container *c)
{
	size_t i;

	free(c->id);
	free(c->bundle);
	free_kvs(c->annotations, c->nannotations);
	free_kvs(c->labels, c->nlabels);
	free(c->image);
	free(c->image_source);
	free(c->k8s_namespace);
	free(c->pod_name);
	free(c->container_name);
	free(c->cgroups_path);
	for (i = 0; i < c->nmounts; i++) {
		free(c->mounts[i].destination);
		free(c->mounts[i].source);
		free(c->mounts[i].type);
	}
	free(c->mounts);
	memset(c, 0, sizeof(*c));
}
