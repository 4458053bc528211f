// SPDX-License-Identifier: GPL-2.0
/*
 * Policy JSON -> struct kcs_policy, as strict as the profile parser:
 * unknown keys, wrong types, empty lists and duplicates are refused with
 * the JSON location, because a misspelt check ("volume_blocked") silently
 * ignored would let every container start.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>

#include "caps.h"
#include "json_check.h"
#include "names.h"
#include "policy.h"
#include "profile.h"	/* kcs_profile_name_valid */

#define LOC_MAX	256

/* NULL-terminated: also the keys start_checks may hold. */
static const char *const check_names[KCS_CHECK_COUNT + 1] = {
	[KCS_CHECK_CAPABILITIES] = "capabilities_block",
	[KCS_CHECK_PRIVILEGES] = "privileges",
	[KCS_CHECK_VOLUMES] = "volumes_blocked",
	[KCS_CHECK_REGISTRIES] = "registries_allowed",
	[KCS_CHECK_UNREGISTERED] = "unregistered_images",
};

static const char *const priv_names[KCS_PRIV_COUNT] = {
	[KCS_PRIV_PRIVILEGED] = "privileged",
	[KCS_PRIV_HOST_PID] = "host_pid",
	[KCS_PRIV_HOST_NET] = "host_net",
	[KCS_PRIV_HOST_IPC] = "host_ipc",
	[KCS_PRIV_NO_NEW_PRIVS] = "no_new_privs",
	[KCS_PRIV_WRITABLE_HOST_MOUNTS] = "writable_host_mounts",
	[KCS_PRIV_ROOT_USER] = "root_user",
};

const char *kcs_check_name(enum kcs_check c)
{
	return c < KCS_CHECK_COUNT ? check_names[c] : "unknown";
}

const char *kcs_priv_name(enum kcs_priv p)
{
	return p < KCS_PRIV_COUNT ? priv_names[p] : "unknown";
}

/* A JSON location "where.key[i]": cut rather than fail when absurdly
 * deep (messages only). */
static void loc_fmt(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void loc_fmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

/* ---- paths ---- */

int kcs_host_path_norm(const char *path, char *out, size_t size,
		       struct kcs_err *err)
{
	const char *p = path, *e;
	size_t o = 0, n;

	if (path[0] != '/')
		return kcs_json_bad(err, "\"%s\" is not an absolute path (start with '/')", path);
	while (*p) {
		while (*p == '/')
			p++;
		e = p + strcspn(p, "/");
		n = (size_t)(e - p);
		if (!n || (n == 1 && p[0] == '.')) {
			p = e;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return kcs_json_bad(err, "\"%s\": \"..\" is not allowed (write the path it means)",
					    path);
		if (o + 1 + n >= size)
			return kcs_json_bad(err, "\"%s\": longer than %zu characters", path,
					    size - 1);
		out[o++] = '/';
		memcpy(out + o, p, n);
		o += n;
		p = e;
	}
	if (!o)
		out[o++] = '/';
	out[o] = '\0';
	return 0;
}

int kcs_path_within(const char *path, const char *base)
{
	size_t n = strlen(base);

	if (!strcmp(base, "/"))
		return 1;
	return !strncmp(path, base, n) && (path[n] == '\0' || path[n] == '/');
}

/* ---- small typed getters: each names the location ---- */

static int get_bool(const json_t *obj, const char *key, const char *where,
		    int def, int *out, struct kcs_err *err)
{
	const json_t *v = json_object_get(obj, key);

	if (!v) {
		*out = def;
		return 0;
	}
	if (!json_is_boolean(v))
		return kcs_json_bad(err, "%s.%s: expected a boolean, got %s", where,
				    key, kcs_json_type_name(v));
	*out = json_is_true(v);
	return 0;
}

/* A non-empty array of at most KCS_POLICY_LIST_MAX entries. */
static int get_array(const json_t *v, const char *where, size_t *n,
		     struct kcs_err *err)
{
	if (!json_is_array(v))
		return kcs_json_bad(err, "%s: expected an array, got %s", where,
				    kcs_json_type_name(v));
	*n = json_array_size(v);
	if (!*n)
		return kcs_json_bad(err, "%s: must hold at least one entry", where);
	if (*n > KCS_POLICY_LIST_MAX)
		return kcs_json_bad(err, "%s: %zu entries, more than %d", where, *n,
				    KCS_POLICY_LIST_MAX);
	return 0;
}

/* Entry @i of an array, which must be a non-empty string. */
static const char *get_item_str(const json_t *arr, size_t i, const char *where,
				struct kcs_err *err)
{
	const json_t *v = json_array_get(arr, i);

	if (!json_is_string(v)) {
		kcs_json_bad(err, "%s[%zu]: expected a string, got %s", where, i,
			     kcs_json_type_name(v));
		return NULL;
	}
	if (!json_string_length(v)) {
		kcs_json_bad(err, "%s[%zu]: empty string", where, i);
		return NULL;
	}
	return json_string_value(v);
}

/* Entry @i equal to an earlier one? (lists are short; the order is kept
 * for messages and output). */
static int dup_before(const json_t *arr, size_t i)
{
	size_t k;

	for (k = 0; k < i; k++)
		if (json_equal(json_array_get(arr, k), json_array_get(arr, i)))
			return 1;
	return 0;
}

static void *calloc_or_bad(size_t n, size_t size, const char *where,
			   struct kcs_err *err)
{
	void *p = calloc(n, size);

	if (!p)
		kcs_json_bad(err, "%s: out of memory", where);
	return p;
}

/* ---- selectors ---- */

/* {"key": "value", ...}: every pair must match. */
static int parse_pairs(const json_t *v, const char *where, struct kcs_kv **out,
		       size_t *nout, struct kcs_err *err)
{
	const char *key;
	json_t *val;
	size_t n;

	if (!json_is_object(v))
		return kcs_json_bad(err, "%s: expected an object of \"key\": \"value\" pairs, got %s",
				    where, kcs_json_type_name(v));
	n = json_object_size(v);
	if (!n)
		return kcs_json_bad(err, "%s: must hold at least one pair", where);
	if (n > KCS_POLICY_LIST_MAX)
		return kcs_json_bad(err, "%s: %zu pairs, more than %d", where, n,
				    KCS_POLICY_LIST_MAX);
	*out = calloc_or_bad(n, sizeof(**out), where, err);
	if (!*out)
		return -1;
	json_object_foreach((json_t *)v, key, val) {
		struct kcs_kv *kv = &(*out)[*nout];

		if (!*key)
			return kcs_json_bad(err, "%s: empty key", where);
		if (!json_is_string(val))
			return kcs_json_bad(err, "%s.%s: expected a string, got %s", where,
					    key, kcs_json_type_name(val));
		kv->key = strdup(key);
		kv->value = strdup(json_string_value(val));
		(*nout)++;	/* counts owned strings, for the free */
		if (!kv->key || !kv->value)
			return kcs_json_bad(err, "%s: out of memory", where);
	}
	return 0;
}

static int parse_images(const json_t *v, const char *where,
			struct kcs_selector *sel, struct kcs_err *err)
{
	size_t i, n;

	if (get_array(v, where, &n, err))
		return -1;
	sel->images = calloc_or_bad(n, sizeof(*sel->images), where, err);
	if (!sel->images)
		return -1;
	for (i = 0; i < n; i++) {
		const char *s = get_item_str(v, i, where, err);

		if (!s)
			return -1;
		if (kcs_imagetpl_parse(s, &sel->images[i], err))
			return kcs_err_prefix(err, "%s[%zu]", where, i);
		sel->nimages++;
	}
	return 0;
}

static int parse_namespaces(const json_t *v, const char *where,
			    struct kcs_selector *sel, struct kcs_err *err)
{
	size_t i, n;

	if (get_array(v, where, &n, err))
		return -1;
	sel->namespaces = calloc_or_bad(n, sizeof(char *), where, err);
	if (!sel->namespaces)
		return -1;
	for (i = 0; i < n; i++) {
		const char *s = get_item_str(v, i, where, err);

		if (!s)
			return -1;
		sel->namespaces[i] = strdup(s);
		if (!sel->namespaces[i])
			return kcs_json_bad(err, "%s: out of memory", where);
		sel->nnamespaces++;
	}
	return 0;
}

static int parse_selector(const json_t *v, const char *where,
			  struct kcs_selector *sel, struct kcs_err *err)
{
	static const char *const keys[] = {
		"labels", "annotations", "images", "namespaces", NULL
	};
	char loc[LOC_MAX];
	const json_t *x;

	if (!json_is_object(v))
		return kcs_json_bad(err, "%s: expected an object, got %s", where,
				    kcs_json_type_name(v));
	if (kcs_json_only_keys(v, where, keys, err))
		return -1;
	/* An empty selector would match every container: say so with the
	 * absence of "scope" instead, where it is visible. */
	if (!json_object_size(v))
		return kcs_json_bad(err, "%s: empty selector (give labels, annotations, images or namespaces)",
				    where);
	x = json_object_get(v, "labels");
	loc_fmt(loc, sizeof(loc), "%s.labels", where);
	if (x && parse_pairs(x, loc, &sel->labels, &sel->nlabels, err))
		return -1;
	x = json_object_get(v, "annotations");
	loc_fmt(loc, sizeof(loc), "%s.annotations", where);
	if (x && parse_pairs(x, loc, &sel->annotations, &sel->nannotations, err))
		return -1;
	x = json_object_get(v, "images");
	loc_fmt(loc, sizeof(loc), "%s.images", where);
	if (x && parse_images(x, loc, sel, err))
		return -1;
	x = json_object_get(v, "namespaces");
	loc_fmt(loc, sizeof(loc), "%s.namespaces", where);
	return x ? parse_namespaces(x, loc, sel, err) : 0;
}

static int parse_selectors(const json_t *v, const char *where,
			   struct kcs_selector **out, size_t *nout,
			   struct kcs_err *err)
{
	size_t i, n;

	if (get_array(v, where, &n, err))
		return -1;
	*out = calloc_or_bad(n, sizeof(**out), where, err);
	if (!*out)
		return -1;
	for (i = 0; i < n; i++) {
		char loc[LOC_MAX];

		loc_fmt(loc, sizeof(loc), "%s[%zu]", where, i);
		(*nout)++;	/* zeroed: safe to free when parsing fails */
		if (parse_selector(json_array_get(v, i), loc, &(*out)[i], err))
			return -1;
	}
	return 0;
}

/* ---- mappings ---- */

static int parse_mapping(const json_t *v, const char *where,
			 struct kcs_mapping *m, struct kcs_err *err)
{
	static const char *const keys[] = { "selector", "profiles", NULL };
	char loc[LOC_MAX];
	const json_t *x;
	size_t i, n;

	if (!json_is_object(v))
		return kcs_json_bad(err, "%s: expected an object, got %s", where,
				    kcs_json_type_name(v));
	if (kcs_json_only_keys(v, where, keys, err))
		return -1;
	x = json_object_get(v, "selector");
	if (!x)
		return kcs_json_bad(err, "%s: missing key \"selector\"", where);
	loc_fmt(loc, sizeof(loc), "%s.selector", where);
	if (parse_selector(x, loc, &m->sel, err))
		return -1;
	x = json_object_get(v, "profiles");
	if (!x)
		return kcs_json_bad(err, "%s: missing key \"profiles\"", where);
	loc_fmt(loc, sizeof(loc), "%s.profiles", where);
	if (get_array(x, loc, &n, err))
		return -1;
	m->profiles = calloc_or_bad(n, sizeof(*m->profiles), loc, err);
	if (!m->profiles)
		return -1;
	for (i = 0; i < n; i++) {
		const char *s = get_item_str(x, i, loc, err);

		if (!s)
			return -1;
		if (!kcs_profile_name_valid(s))
			return kcs_json_bad(err, "%s[%zu]: \"%s\" is not a valid profile name (1..%d characters of A-Z a-z 0-9 . _ -)",
					    loc, i, s, KCS_NAME_MAX - 1);
		if (dup_before(x, i))
			return kcs_json_bad(err, "%s[%zu]: profile \"%s\" listed twice",
					    loc, i, s);
		strcpy(m->profiles[i], s);
		m->nprofiles++;
	}
	return 0;
}

static int parse_mappings(const json_t *v, struct kcs_policy *pol,
			  struct kcs_err *err)
{
	size_t i, n;

	if (get_array(v, "mappings", &n, err))
		return -1;
	pol->mappings = calloc_or_bad(n, sizeof(*pol->mappings), "mappings", err);
	if (!pol->mappings)
		return -1;
	for (i = 0; i < n; i++) {
		char loc[LOC_MAX];

		loc_fmt(loc, sizeof(loc), "mappings[%zu]", i);
		pol->nmappings++;
		if (parse_mapping(json_array_get(v, i), loc, &pol->mappings[i], err))
			return -1;
	}
	return 0;
}

/* ---- start checks ---- */

static int parse_caps(const json_t *v, const char *where,
		      struct kcs_checks *c, struct kcs_err *err)
{
	size_t i, n;

	if (json_is_string(v)) {
		if (strcmp(json_string_value(v), "ALL"))
			return kcs_json_bad(err, "%s: expected an array of capabilities or \"ALL\", got \"%s\"",
					    where, json_string_value(v));
		c->caps_all = 1;
		return 0;
	}
	if (get_array(v, where, &n, err))
		return -1;
	for (i = 0; i < n; i++) {
		const char *s = get_item_str(v, i, where, err);
		int cap;

		if (!s)
			return -1;
		if (!strcmp(s, "ALL"))
			return kcs_json_bad(err, "%s[%zu]: \"ALL\" must be the whole value (\"capabilities\": \"ALL\"), not an entry",
					    where, i);
		cap = kcs_cap_parse(s);
		if (cap < 0)
			return kcs_json_bad(err, "%s[%zu]: unknown capability \"%s\" (CAP_SYS_ADMIN or SYS_ADMIN, as in <linux/capability.h>)",
					    where, i, s);
		if (c->caps & (1ULL << cap))
			return kcs_json_bad(err, "%s[%zu]: %s listed twice", where, i,
					    kcs_cap_name(cap));
		c->caps |= 1ULL << cap;
	}
	return 0;
}

static int parse_privileges(const json_t *v, const char *where,
			    struct kcs_checks *c, struct kcs_err *err)
{
	int i, on;

	for (i = 0; i < KCS_PRIV_COUNT; i++) {
		if (get_bool(v, priv_names[i], where, 0, &on, err))
			return -1;
		if (on)
			c->priv |= 1U << i;
	}
	/* Switched on with nothing to check is a policy that looks strict
	 * and checks nothing. */
	if (!c->priv)
		return kcs_json_bad(err, "%s: no condition is true (privileged, host_pid, host_net, host_ipc, no_new_privs, writable_host_mounts, root_user)",
				    where);
	return 0;
}

static int parse_paths(const json_t *v, const char *where,
		       struct kcs_checks *c, struct kcs_err *err)
{
	char norm[4096];
	size_t i, k, n;

	if (get_array(v, where, &n, err))
		return -1;
	c->paths = calloc_or_bad(n, sizeof(char *), where, err);
	if (!c->paths)
		return -1;
	for (i = 0; i < n; i++) {
		const char *s = get_item_str(v, i, where, err);

		if (!s)
			return -1;
		if (kcs_host_path_norm(s, norm, sizeof(norm), err))
			return kcs_err_prefix(err, "%s[%zu]", where, i);
		for (k = 0; k < c->npaths; k++)
			if (!strcmp(c->paths[k], norm))
				return kcs_json_bad(err, "%s[%zu]: \"%s\" listed twice",
						    where, i, norm);
		c->paths[i] = strdup(norm);
		if (!c->paths[i])
			return kcs_json_bad(err, "%s: out of memory", where);
		c->npaths++;
	}
	return 0;
}

static int parse_registries(const json_t *v, const char *where,
			    struct kcs_checks *c, struct kcs_err *err)
{
	size_t i, k, n;

	if (get_array(v, where, &n, err))
		return -1;
	c->registries = calloc_or_bad(n, sizeof(*c->registries), where, err);
	if (!c->registries)
		return -1;
	for (i = 0; i < n; i++) {
		const char *s = get_item_str(v, i, where, err);

		if (!s)
			return -1;
		if (kcs_registry_parse(s, c->registries[i], err))
			return kcs_err_prefix(err, "%s[%zu]", where, i);
		for (k = 0; k < i; k++)
			if (!strcasecmp(c->registries[k], c->registries[i]))
				return kcs_json_bad(err, "%s[%zu]: \"%s\" listed twice",
						    where, i, c->registries[i]);
		c->nregistries++;
	}
	return 0;
}

/* One check: {"enabled": bool (default true), ...its own keys}. */
static int parse_check(const json_t *v, enum kcs_check which,
		       struct kcs_checks *c, struct kcs_err *err)
{
	static const char *const keys[KCS_CHECK_COUNT][KCS_PRIV_COUNT + 2] = {
		[KCS_CHECK_CAPABILITIES] = { "enabled", "capabilities", NULL },
		[KCS_CHECK_PRIVILEGES] = { "enabled", "privileged", "host_pid",
			"host_net", "host_ipc", "no_new_privs",
			"writable_host_mounts", "root_user", NULL },
		[KCS_CHECK_VOLUMES] = { "enabled", "paths", NULL },
		[KCS_CHECK_REGISTRIES] = { "enabled", "registries", NULL },
		[KCS_CHECK_UNREGISTERED] = { "enabled", NULL },
	};
	static const char *const list_key[KCS_CHECK_COUNT] = {
		[KCS_CHECK_CAPABILITIES] = "capabilities",
		[KCS_CHECK_VOLUMES] = "paths",
		[KCS_CHECK_REGISTRIES] = "registries",
	};
	char where[LOC_MAX], loc[LOC_MAX + 16];
	const json_t *x = NULL;
	int on, ret = 0;

	loc_fmt(where, sizeof(where), "start_checks.%s", check_names[which]);
	if (!json_is_object(v))
		return kcs_json_bad(err, "%s: expected an object, got %s", where,
				    kcs_json_type_name(v));
	if (kcs_json_only_keys(v, where, keys[which], err) ||
	    get_bool(v, "enabled", where, 1, &on, err))
		return -1;
	if (list_key[which]) {
		x = json_object_get(v, list_key[which]);
		if (!x)
			return kcs_json_bad(err, "%s: missing key \"%s\"", where,
					    list_key[which]);
		loc_fmt(loc, sizeof(loc), "%s.%s", where, list_key[which]);
	}
	/* A check switched off is still validated: switching it on later
	 * must not be the moment its mistakes are found. */
	switch (which) {
	case KCS_CHECK_CAPABILITIES:
		ret = parse_caps(x, loc, c, err);
		break;
	case KCS_CHECK_PRIVILEGES:
		ret = parse_privileges(v, where, c, err);
		break;
	case KCS_CHECK_VOLUMES:
		ret = parse_paths(x, loc, c, err);
		break;
	case KCS_CHECK_REGISTRIES:
		ret = parse_registries(x, loc, c, err);
		break;
	default:
		break;
	}
	c->present |= 1U << which;
	if (on)
		c->enabled |= 1U << which;
	return ret;
}

static int parse_checks(const json_t *v, struct kcs_checks *c,
			struct kcs_err *err)
{
	int i;

	if (!json_is_object(v))
		return kcs_json_bad(err, "start_checks: expected an object, got %s",
				    kcs_json_type_name(v));
	if (kcs_json_only_keys(v, "start_checks", check_names, err))
		return -1;
	if (!json_object_size(v))
		return kcs_json_bad(err, "start_checks: empty (omit it, or name a check)");
	for (i = 0; i < KCS_CHECK_COUNT; i++) {
		const json_t *x = json_object_get(v, check_names[i]);

		if (x && parse_check(x, i, c, err))
			return -1;
	}
	return 0;
}

/* ---- the document ---- */

static int parse_root(const json_t *root, struct kcs_policy *pol,
		      struct kcs_err *err)
{
	static const char *const keys[] = {
		"name", "description", "enabled", "mode", "scope",
		"exclusions", "mappings", "start_checks", NULL
	};
	const json_t *v;
	const char *s;

	if (!json_is_object(root))
		return kcs_json_bad(err, "(top level): expected an object, got %s",
				    kcs_json_type_name(root));
	if (kcs_json_only_keys(root, "(top level)", keys, err))
		return -1;

	v = json_object_get(root, "name");
	if (!v)
		return kcs_json_bad(err, "(top level): missing key \"name\"");
	if (!json_is_string(v))
		return kcs_json_bad(err, "name: expected a string, got %s",
				    kcs_json_type_name(v));
	s = json_string_value(v);
	if (!kcs_profile_name_valid(s))
		return kcs_json_bad(err, "name: \"%s\" is not a valid policy name (1..%d characters of A-Z a-z 0-9 . _ -)",
				    s, KCS_NAME_MAX - 1);
	strcpy(pol->name, s);

	v = json_object_get(root, "description");
	if (v) {
		if (!json_is_string(v))
			return kcs_json_bad(err, "description: expected a string, got %s",
					    kcs_json_type_name(v));
		pol->description = strdup(json_string_value(v));
		if (!pol->description)
			return kcs_json_bad(err, "description: out of memory");
	}
	if (get_bool(root, "enabled", "(top level)", 1, &pol->enabled, err))
		return -1;

	/* No default: which of the two a policy runs in is its most
	 * important property and must be written down. */
	v = json_object_get(root, "mode");
	if (!v)
		return kcs_json_bad(err, "(top level): missing key \"mode\" (\"audit\" or \"enforce\")");
	if (!json_is_string(v))
		return kcs_json_bad(err, "mode: expected a string, got %s",
				    kcs_json_type_name(v));
	pol->mode = kcs_mode_parse(json_string_value(v));
	if (pol->mode < 0)
		return kcs_json_bad(err, "mode: unknown mode \"%s\" (expected \"audit\" or \"enforce\")",
				    json_string_value(v));

	v = json_object_get(root, "scope");
	if (v && parse_selectors(v, "scope", &pol->scope, &pol->nscope, err))
		return -1;
	v = json_object_get(root, "exclusions");
	if (v && parse_selectors(v, "exclusions", &pol->exclusions,
				 &pol->nexclusions, err))
		return -1;
	v = json_object_get(root, "mappings");
	if (v && parse_mappings(v, pol, err))
		return -1;
	v = json_object_get(root, "start_checks");
	if (v && parse_checks(v, &pol->checks, err))
		return -1;
	if (!pol->nmappings && !pol->checks.present)
		return kcs_json_bad(err, "(top level): a policy needs \"mappings\" or \"start_checks\" (it would do nothing)");
	return 0;
}

int kcs_policy_parse(const char *buf, size_t len, const char *origin,
		     struct kcs_policy *pol, struct kcs_err *err)
{
	json_error_t jerr;
	json_t *root;
	int ret;

	memset(pol, 0, sizeof(*pol));
	/* Duplicate keys would let the last "mode" win silently. */
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return kcs_json_bad(err, "%s: line %d, column %d: %s", origin,
				    jerr.line, jerr.column, jerr.text);
	ret = parse_root(root, pol, err);
	json_decref(root);
	if (ret) {
		kcs_err_prefix(err, "%s", origin);
		kcs_policy_free(pol);
	}
	return ret;
}

static void free_pairs(struct kcs_kv *kv, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].value);
	}
	free(kv);
}

static void free_selector(struct kcs_selector *s)
{
	size_t i;

	free_pairs(s->labels, s->nlabels);
	free_pairs(s->annotations, s->nannotations);
	free(s->images);
	for (i = 0; i < s->nnamespaces; i++)
		free(s->namespaces[i]);
	free(s->namespaces);
}

static void free_selectors(struct kcs_selector *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free_selector(&s[i]);
	free(s);
}

void kcs_policy_free(struct kcs_policy *pol)
{
	size_t i;

	free(pol->description);
	free_selectors(pol->scope, pol->nscope);
	free_selectors(pol->exclusions, pol->nexclusions);
	for (i = 0; i < pol->nmappings; i++) {
		free_selector(&pol->mappings[i].sel);
		free(pol->mappings[i].profiles);
	}
	free(pol->mappings);
	for (i = 0; i < pol->checks.npaths; i++)
		free(pol->checks.paths[i]);
	free(pol->checks.paths);
	free(pol->checks.registries);
	memset(pol, 0, sizeof(*pol));
}
