// SPDX-License-Identifier: GPL-2.0
/* Applied profiles on disk (profile_state.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingress.h"
#include "names.h"
#include "profile_state.h"
#include "readfile.h"
#include "sha256.h"

/* A state file holds one profile, which profile_json.c bounds already. */
#define STATE_FILE_MAX	(512U << 20)

void kcs_profile_hash(const char *canonical, char out[65])
{
	kcs_sha256_hex(canonical, strlen(canonical), out);
}

static int state_path(const char *name, char *buf, size_t len)
{
	/* The name is checked before it becomes part of a path. */
	if (!kcs_profile_name_valid(name))
		return -1;
	return snprintf(buf, len, "%s/profiles/%s.json", kcs_state_dir(),
			name) >= (int)len ? -1 : 0;
}

/* Appends the FQDN rules of @set to @arr: what they matched when applied. */
static int fqdn_rules(json_t *arr, const char *dir,
		      const struct kcs_net_ruleset *set)
{
	size_t i, j;

	for (i = 0; i < set->n; i++) {
		const struct kcs_net_rule *r = &set->rules[i];
		json_t *addrs, *o;

		if (!r->fqdn)
			continue;
		addrs = json_array();
		o = json_pack("{s:s,s:s,s:s,s:o}", "direction", dir, "rule",
			      r->text ? r->text : r->fqdn, "name", r->fqdn,
			      "addresses", addrs);
		if (!o || json_array_append_new(arr, o))
			return -1;
		for (j = 0; j < r->naddrs; j++) {
			char txt[64];

			kcs_net_addr_text(&r->addrs[j], txt, sizeof(txt));
			if (json_array_append_new(addrs, json_string(txt)))
				return -1;
		}
	}
	return 0;
}

int kcs_profile_state_build(const struct kcs_profile_spec *spec,
			    const struct kcs_profile_info *info,
			    struct kcs_profile_state *st, struct kcs_err *err)
{
	const struct kcs_net_spec *n = &spec->net;

	memset(st, 0, sizeof(*st));
	if (!spec->canonical)
		return kcs_err_set(err, KCS_EXIT_FAILED,
				   "profile \"%s\": no canonical form", spec->name);
	snprintf(st->name, sizeof(st->name), "%s", spec->name);
	st->canonical = strdup(spec->canonical);
	st->fqdn = json_array();
	if (!st->canonical || !st->fqdn ||
	    fqdn_rules(st->fqdn, "egress", &n->egress.rules) ||
	    fqdn_rules(st->fqdn, "egress", &n->egress.except) ||
	    fqdn_rules(st->fqdn, "ingress", &n->ingress.rules) ||
	    fqdn_rules(st->fqdn, "ingress", &n->ingress.except)) {
		kcs_profile_state_free(st);
		return kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
	}
	kcs_profile_hash(st->canonical, st->sha256);
	st->generation = info->generation;
	st->kind = info->kind;
	st->nrules = info->nrules;
	st->nexcept = info->nexcept;
	st->egress_kind = info->egress_kind;
	st->egress_rules = info->egress_rules;
	st->file_rules = info->file_rules;
	st->recorded_ms = kcs_now_ms();
	return 0;
}

static int write_state(FILE *f, const void *arg)
{
	const char *text = arg;

	return fputs(text, f) < 0 || fputc('\n', f) == EOF ? -1 : 0;
}

int kcs_profile_state_save(const struct kcs_profile_state *st,
			   struct kcs_err *err)
{
	json_error_t jerr;
	char path[4096];
	json_t *prof, *j;
	char *text;
	int ret;

	if (state_path(st->name, path, sizeof(path)))
		return kcs_err_set(err, KCS_EXIT_FAILED, "state path too long");
	prof = json_loads(st->canonical, 0, &jerr);
	j = json_pack("{s:i,s:s,s:s,s:I,s:s,s:I,s:I,s:s,s:I,s:I,s:I,s:O,s:o}",
		      "format", KCS_PROFILE_STATE_FORMAT, "name", st->name,
		      "sha256", st->sha256, "generation", (json_int_t)st->generation,
		      "exec_mode", kcs_exec_kind_name(st->kind),
		      "rules", (json_int_t)st->nrules,
		      "exclusions", (json_int_t)st->nexcept,
		      "egress_mode", kcs_exec_kind_name(st->egress_kind),
		      "egress_rules", (json_int_t)st->egress_rules,
		      "file_rules", (json_int_t)st->file_rules,
		      "recorded_ms", (json_int_t)st->recorded_ms,
		      "fqdn", st->fqdn, "profile", prof);
	text = j ? json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
	json_decref(j);
	if (!text)
		return kcs_err_set(err, KCS_EXIT_FAILED, "%s: out of memory", path);
	ret = kcs_state_mkdir("profiles", err);
	if (!ret)
		ret = kcs_write_atomic(path, write_state, text, err);
	free(text);
	return ret;
}

static int bad(struct kcs_err *err, const char *path, const char *why)
{
	return kcs_err_set(err, KCS_EXIT_FAILED,
			   "%s: %s (apply the profile again: kcsadm profile apply)",
			   path, why);
}

/* A u32 field's value, the kernel's attribute size. */
static int get_u32(const json_t *j, const char *key, uint32_t *v)
{
	const json_t *x = json_object_get(j, key);

	if (!json_is_integer(x) || json_integer_value(x) < 0 ||
	    json_integer_value(x) > UINT32_MAX)
		return -1;
	*v = (uint32_t)json_integer_value(x);
	return 0;
}

static int get_mode(const json_t *j, const char *key, uint32_t *v)
{
	const char *s = json_string_value(json_object_get(j, key));
	uint32_t i;

	/* Stored by name, as shown; kcs_exec_kind and kcs_net_kind share
	 * none/block/allow (0..2). */
	for (i = 0; s && i < 3; i++) {
		if (!strcmp(s, kcs_exec_kind_name(i))) {
			*v = i;
			return 0;
		}
	}
	return -1;
}

static int from_json(const json_t *j, struct kcs_profile_state *st,
		     const char **why)
{
	const json_t *prof = json_object_get(j, "profile");
	const char *name = json_string_value(json_object_get(j, "name"));
	const char *sha = json_string_value(json_object_get(j, "sha256"));
	const json_t *gen = json_object_get(j, "generation");
	const json_t *rec = json_object_get(j, "recorded_ms");
	const json_t *fqdn = json_object_get(j, "fqdn");
	json_int_t format = json_integer_value(json_object_get(j, "format"));

	*why = "not a profile state file";
	if (!json_is_object(j) || !json_is_object(prof) || !name || !sha ||
	    !json_is_integer(gen) || !json_is_array(fqdn))
		return -1;
	if (format != KCS_PROFILE_STATE_FORMAT) {
		*why = "written by another kcsadm version (unknown format)";
		return -1;
	}
	if (strcmp(name, st->name)) {
		*why = "holds another profile";
		return -1;
	}
	if (get_u32(j, "rules", &st->nrules) ||
	    get_u32(j, "exclusions", &st->nexcept) ||
	    get_u32(j, "egress_rules", &st->egress_rules) ||
	    get_mode(j, "exec_mode", &st->kind) ||
	    get_mode(j, "egress_mode", &st->egress_kind))
		return -1;
	if (!json_object_get(j, "file_rules"))
		st->file_rules = KCS_STATE_NO_COUNT;
	else if (get_u32(j, "file_rules", &st->file_rules))
		return -1;
	st->generation = (uint64_t)json_integer_value(gen);
	st->recorded_ms = (uint64_t)json_integer_value(rec);
	st->canonical = json_dumps(prof, JSON_SORT_KEYS | JSON_COMPACT);
	st->fqdn = json_incref((json_t *)fqdn);
	if (!st->canonical) {
		*why = "out of memory";
		return -1;
	}
	kcs_profile_hash(st->canonical, st->sha256);
	/* An edited file must not pass for what was applied. */
	if (strcmp(sha, st->sha256)) {
		*why = "its sha256 does not match its profile (edited?)";
		return -1;
	}
	return 0;
}

int kcs_profile_state_load(const char *name, struct kcs_profile_state *st,
			   struct kcs_err *err)
{
	struct kcs_err rerr;
	json_error_t jerr;
	const char *why;
	char path[4096];
	size_t len;
	char *buf;
	json_t *j;
	int ret;

	memset(st, 0, sizeof(*st));
	if (state_path(name, path, sizeof(path)))
		return kcs_err_set(err, KCS_EXIT_FAILED,
				   "bad profile name or state path too long");
	snprintf(st->name, sizeof(st->name), "%s", name);
	buf = kcs_read_file(path, STATE_FILE_MAX, &len, &rerr);
	if (!buf) {
		if (rerr.code == KCS_EXIT_NOTFOUND)
			return 1;
		if (err)
			*err = rerr;
		return -1;
	}
	j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	free(buf);
	if (!j)
		return bad(err, path, "not JSON");
	ret = from_json(j, st, &why);
	json_decref(j);
	if (ret) {
		kcs_profile_state_free(st);
		return bad(err, path, why);
	}
	return 0;
}

int kcs_profile_state_check(const struct kcs_profile_state *st,
			    const struct kcs_profile_info *info, char *why,
			    size_t len)
{
	/* Every replace bumps the generation; the counts catch a module
	 * reloaded since, whose generations start over. */
	if (st->generation != info->generation)
		snprintf(why, len, "the kernel's profile is generation %llu, kcsadm recorded generation %llu",
			 (unsigned long long)info->generation,
			 (unsigned long long)st->generation);
	else if (st->kind != info->kind || st->nrules != info->nrules ||
		 st->nexcept != info->nexcept ||
		 st->egress_kind != info->egress_kind ||
		 st->egress_rules != info->egress_rules ||
		 (st->file_rules != KCS_STATE_NO_COUNT &&
		  st->file_rules != info->file_rules))
		snprintf(why, len, "the kernel's rule counts differ from those kcsadm recorded");
	else
		return 0;
	return 1;
}

int kcs_profile_state_remove(const char *name, struct kcs_err *err)
{
	char path[4096];

	if (state_path(name, path, sizeof(path)))
		return kcs_err_set(err, KCS_EXIT_FAILED, "state path too long");
	if (unlink(path) && errno != ENOENT)
		return kcs_err_set(err, KCS_EXIT_FAILED, "%s: %s", path,
				   strerror(errno));
	return 0;
}

void kcs_profile_state_free(struct kcs_profile_state *st)
{
	free(st->canonical);
	st->canonical = NULL;
	json_decref(st->fqdn);
	st->fqdn = NULL;
}

int kcs_profile_record(struct kcs_nl *nl, const struct kcs_profile_spec *spec,
		       struct kcs_err *err)
{
	struct kcs_profile_info info;
	struct kcs_profile_state st;
	int ret;

	if (kcs_profile_get(nl, spec->name, &info, err) ||
	    kcs_profile_state_build(spec, &info, &st, err))
		return -1;
	ret = kcs_profile_state_save(&st, err);
	kcs_profile_state_free(&st);
	return ret;
}

/* ---- profile show --resolve ---- */

/* @arr holds string @addr. Anything but strings (an edited record) is
 * skipped rather than trusted. */
static int has_addr(const json_t *arr, const char *addr)
{
	const json_t *x;
	size_t i;

	json_array_foreach(arr, i, x)
		if (json_is_string(x) && !strcmp(json_string_value(x), addr))
			return 1;
	return 0;
}

/* The strings of @a that @b lacks; NULL when out of memory. */
static json_t *minus(const json_t *a, const json_t *b)
{
	json_t *out = json_array(), *x;
	size_t i;

	json_array_foreach(a, i, x) {
		if (!out || !json_is_string(x) ||
		    has_addr(b, json_string_value(x)))
			continue;
		if (json_array_append(out, x)) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

/* What @name resolves to now, as text; NULL with @err when unresolved. */
static json_t *resolve_now(const char *name, kcs_resolve_fn resolve,
			   struct kcs_err *err)
{
	struct kcs_net_resolved *v;
	json_t *arr;
	size_t i, n;

	if (resolve(name, &v, &n, err))
		return NULL;
	/* As a rule's addresses were when recorded (kcs_net_resolve_name
	 * did it already; a stand-in may not): texts then compare as sets. */
	kcs_net_addrs_normalize(v, &n);
	arr = json_array();
	for (i = 0; arr && i < n; i++) {
		char txt[64];

		kcs_net_addr_text(&v[i], txt, sizeof(txt));
		if (json_array_append_new(arr, json_string(txt))) {
			json_decref(arr);
			arr = NULL;
		}
	}
	free(v);
	if (!arr)
		kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
	return arr;
}

/* Entry @f's fields for a name that could not be resolved (@why). */
static int unresolved(json_t *f, const char *why)
{
	return json_object_set_new(f, "addresses_now", json_null()) ||
	       json_object_set_new(f, "resolve_error", json_string(why)) ||
	       json_object_set_new(f, "differs", json_null()) ||
	       json_object_set_new(f, "added", json_null()) ||
	       json_object_set_new(f, "removed", json_null()) ? -1 : 0;
}

/* Entry @f's fields for a name that resolves to @now (not stolen). */
static int compare(json_t *f, json_t *now)
{
	const json_t *force = json_object_get(f, "addresses");
	json_t *added = minus(now, force), *removed = minus(force, now);
	int bad;

	bad = !added || !removed ||
	      json_object_set(f, "addresses_now", now) ||
	      json_object_set_new(f, "resolve_error", json_null()) ||
	      json_object_set_new(f, "differs",
				  json_boolean(json_array_size(added) ||
					       json_array_size(removed))) ||
	      json_object_set(f, "added", added) ||
	      json_object_set(f, "removed", removed);
	json_decref(added);
	json_decref(removed);
	return bad ? -1 : 0;
}

/* The first of the entries before @upto with @name: a name in several
 * rules gets one answer, not two queries that could disagree. */
static const json_t *resolved_before(const json_t *fqdn, size_t upto,
				     const char *name)
{
	const json_t *f;
	const char *n;
	size_t i;

	for (i = 0; i < upto; i++) {
		f = json_array_get(fqdn, i);
		n = json_string_value(json_object_get(f, "name"));
		if (n && !strcmp(n, name))
			return f;
	}
	return NULL;
}

/* Entry @f gets the answer entry @prev got. */
static int same_answer(json_t *f, const json_t *prev)
{
	json_t *now = json_object_get(prev, "addresses_now");
	const char *why = json_string_value(json_object_get(prev, "resolve_error"));

	return json_is_array(now) ? compare(f, now) : unresolved(f, why ? why : "");
}

int kcs_profile_state_resolve(struct kcs_profile_state *st,
			      kcs_resolve_fn resolve)
{
	const json_t *prev;
	struct kcs_err err;
	const char *name;
	json_t *f, *now;
	size_t i;
	int ret;

	json_array_foreach(st->fqdn, i, f) {
		name = json_string_value(json_object_get(f, "name"));
		if (!name)
			return -1;
		prev = resolved_before(st->fqdn, i, name);
		if (prev) {
			ret = same_answer(f, prev);
		} else {
			now = resolve_now(name, resolve, &err);
			ret = now ? compare(f, now) : unresolved(f, err.msg);
			json_decref(now);
		}
		if (ret)
			return -1;
	}
	return 0;
}
