// SPDX-License-Identifier: GPL-2.0
/*
 * Profile JSON -> struct kcs_profile_spec, with strict validation: anything
 * not described in docs/profile-format.md is an error, and every error names
 * the JSON location at fault, because a typo silently ignored in a security
 * policy ("regx", "exclusion") is a hole nobody notices.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "json_check.h"
#include "profile.h"

/* Files larger than this are refused before parsing (the ABI's limits would
 * refuse their compiled form anyway). */
#define PROFILE_FILE_MAX	(256U << 20)

int kcs_profile_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n >= KCS_NAME_MAX)
		return 0;
	return strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			    "0123456789._-") == n;
}

/* A pattern's text: a mask must be absolute, nothing may be empty. */
static int pattern_text(const json_t *text, enum kcs_pattern_kind kind,
			const char *where, const char **out,
			struct kcs_err *err)
{
	const char *s;

	if (!json_is_string(text))
		return kcs_json_bad(err, "%s: %s must be a string, got %s", where,
			   kind == KCS_PATTERN_MASK ? "mask" : "regex",
			   kcs_json_type_name(text));
	s = json_string_value(text);
	if (!*s)
		return kcs_json_bad(err, "%s: empty pattern", where);
	/* The module matches absolute paths only: a relative mask would
	 * never match and give a false sense of protection. */
	if (kind == KCS_PATTERN_MASK && s[0] != '/')
		return kcs_json_bad(err, "%s: mask \"%s\" must be an absolute path (start with '/')",
			   where, s);
	*out = strdup(s);
	if (!*out)
		return kcs_json_bad(err, "%s: out of memory", where);
	return 0;
}

int kcs_json_program(const json_t *v, const char *loc,
		     enum kcs_pattern_kind *kind, const char **text,
		     struct kcs_err *err)
{
	static const char *const keys[] = { "mask", "regex", NULL };
	const json_t *t = v;

	*kind = KCS_PATTERN_MASK;
	if (json_is_object(v)) {
		if (kcs_json_only_keys(v, loc, keys, err))
			return -1;
		if (json_object_size(v) != 1)
			return kcs_json_bad(err, "%s: needs exactly one of \"mask\" or \"regex\"",
				   loc);
		t = json_object_get(v, "mask");
		if (!t) {
			t = json_object_get(v, "regex");
			*kind = KCS_PATTERN_REGEX;
		}
	} else if (!json_is_string(v)) {
		return kcs_json_bad(err, "%s: expected a string or an object, got %s",
			   loc, kcs_json_type_name(v));
	}
	return pattern_text(t, *kind, loc, text, err);
}

/* A pattern's "program", matched against the acting task's executable. */
static int parse_program(const json_t *v, const char *where,
			 struct kcs_pattern *p, struct kcs_err *err)
{
	char loc[96];

	snprintf(loc, sizeof(loc), "%s.program", where);
	return kcs_json_program(v, loc, &p->program_kind, &p->program, err);
}

/*
 * One pattern: "text" (a mask), {"mask": "text"} or {"regex": "text"},
 * the object with an optional "program" where @scoped allows it.
 */
static int parse_pattern(const json_t *v, const char *where, int scoped,
			 struct kcs_pattern *p, struct kcs_err *err)
{
	static const char *const keys[] = { "mask", "regex", "program", NULL };
	static const char *const unscoped_keys[] = { "mask", "regex", NULL };
	const json_t *text = v, *prog = NULL;

	p->kind = KCS_PATTERN_MASK;
	if (json_is_object(v)) {
		if (kcs_json_only_keys(v, where, scoped ? keys : unscoped_keys,
				       err))
			return -1;
		prog = json_object_get(v, "program");
		if (json_object_size(v) != 1u + !!prog)
			return kcs_json_bad(err, "%s: needs exactly one of \"mask\" or \"regex\"",
				   where);
		text = json_object_get(v, "mask");
		if (!text) {
			text = json_object_get(v, "regex");
			p->kind = KCS_PATTERN_REGEX;
		}
	} else if (!json_is_string(v)) {
		return kcs_json_bad(err, "%s: expected a string or an object, got %s",
			   where, kcs_json_type_name(v));
	}
	if (pattern_text(text, p->kind, where, &p->text, err))
		return -1;
	return prog ? parse_program(prog, where, p, err) : 0;
}

/* @scoped: its patterns may name a "program" (all but exec.libraries). */
static int parse_set(const json_t *arr, const char *where, int scoped,
		     struct kcs_pattern_set *set, struct kcs_err *err)
{
	size_t i, n;

	set->where = where;
	if (!json_is_array(arr))
		return kcs_json_bad(err, "%s: expected an array, got %s", where,
			   kcs_json_type_name(arr));
	n = json_array_size(arr);
	if (n == 0)
		return kcs_json_bad(err, "%s: must hold at least one pattern", where);
	if (n > KCS_MAX_PATTERNS)
		return kcs_json_bad(err, "%s: %zu patterns, more than KCS_MAX_PATTERNS (%u)",
			   where, n, (unsigned int)KCS_MAX_PATTERNS);
	set->pats = calloc(n, sizeof(*set->pats));
	if (!set->pats)
		return kcs_json_bad(err, "%s: out of memory", where);
	for (i = 0; i < n; i++) {
		char loc[64];

		snprintf(loc, sizeof(loc), "%s[%zu]", where, i);
		/* counts owned texts, for kcs_profile_free, even a failed one's */
		set->n++;
		if (parse_pattern(json_array_get(arr, i), loc, scoped,
				  &set->pats[i], err))
			return -1;
	}
	return 0;
}

static int parse_exec(const json_t *exec, struct kcs_profile_spec *spec,
		      struct kcs_err *err)
{
	static const char *const keys[] = {
		"mode", "rules", "exclusions", "allow", "libraries", NULL
	};
	const json_t *mode, *v;
	const char *m;

	if (!json_is_object(exec))
		return kcs_json_bad(err, "exec: expected an object, got %s", kcs_json_type_name(exec));
	if (kcs_json_only_keys(exec, "exec", keys, err))
		return -1;
	mode = json_object_get(exec, "mode");
	if (!mode)
		return kcs_json_bad(err, "exec: missing key \"mode\" (\"block\" or \"allow\")");
	if (!json_is_string(mode))
		return kcs_json_bad(err, "exec.mode: expected a string, got %s", kcs_json_type_name(mode));
	m = json_string_value(mode);

	if (!strcmp(m, "block")) {
		spec->kind = KCS_EXEC_BLOCK;
		if (json_object_get(exec, "allow"))
			return kcs_json_bad(err, "exec.allow: not allowed with mode \"block\" (use \"rules\")");
		if (json_object_get(exec, "libraries"))
			return kcs_json_bad(err, "exec.libraries: not allowed with mode \"block\" (block rules cover mappings already)");
		v = json_object_get(exec, "rules");
		if (!v)
			return kcs_json_bad(err, "exec: missing key \"rules\" (required with mode \"block\")");
		if (parse_set(v, "exec.rules", 1, &spec->rules, err))
			return -1;
		v = json_object_get(exec, "exclusions");
		if (v && parse_set(v, "exec.exclusions", 1, &spec->except, err))
			return -1;
		return 0;
	}
	if (!strcmp(m, "allow")) {
		spec->kind = KCS_EXEC_ALLOW;
		if (json_object_get(exec, "rules"))
			return kcs_json_bad(err, "exec.rules: not allowed with mode \"allow\" (use \"allow\")");
		if (json_object_get(exec, "exclusions"))
			return kcs_json_bad(err, "exec.exclusions: not allowed with mode \"allow\"");
		v = json_object_get(exec, "allow");
		if (!v)
			return kcs_json_bad(err, "exec: missing key \"allow\" (required with mode \"allow\")");
		if (parse_set(v, "exec.allow", 1, &spec->rules, err))
			return -1;
		v = json_object_get(exec, "libraries");
		return v ? parse_set(v, "exec.libraries", 0, &spec->libs, err) : 0;
	}
	return kcs_json_bad(err, "exec.mode: unknown mode \"%s\" (expected \"block\" or \"allow\")", m);
}

const char *const kcs_file_set_keys[KCS_FILE_SETS] = {
	"deny_read", "deny_write", "monitor", "allow_read", "allow_write"
};

static int parse_files(const json_t *files, struct kcs_profile_spec *spec,
		       struct kcs_err *err)
{
	static const char *const keys[] = {
		"deny_read", "deny_write", "monitor", "allow_read",
		"allow_write", "default", NULL
	};
	static const char *const where[KCS_FILE_SETS] = {
		"files.deny_read", "files.deny_write", "files.monitor",
		"files.allow_read", "files.allow_write"
	};
	const json_t *d;
	int i, any = 0;

	if (!json_is_object(files))
		return kcs_json_bad(err, "files: expected an object, got %s",
				    kcs_json_type_name(files));
	if (kcs_json_only_keys(files, "files", keys, err))
		return -1;
	spec->file_default = KCS_SYS_ALLOW;
	d = json_object_get(files, "default");
	if (d && kcs_json_action(d, "files.default", &spec->file_default, err))
		return -1;
	for (i = 0; i < KCS_FILE_SETS; i++) {
		const json_t *v = json_object_get(files, kcs_file_set_keys[i]);

		if (!v)
			continue;
		if (i >= KCS_FILE_SET_READ_ALLOW &&
		    spec->file_default == KCS_SYS_ALLOW)
			return kcs_json_bad(err, "%s: an allow list needs \"default\": \"deny\" or \"audit\" (with \"allow\", what it leaves out is allowed anyway)",
					    where[i]);
		if (parse_set(v, where[i], 1, &spec->files[i], err))
			return -1;
		any = 1;
	}
	if (!any && spec->file_default == KCS_SYS_ALLOW)
		return kcs_json_bad(err, "files: needs \"deny_read\", \"deny_write\", \"monitor\" or a \"default\" of \"deny\" or \"audit\"");
	return 0;
}

static int parse_root(const json_t *root, struct kcs_profile_spec *spec,
		      struct kcs_err *err)
{
	static const char *const keys[] = {
		"name", "description", "exec", "network", "files", "syscalls",
		NULL
	};
	const json_t *v;
	const char *name;

	if (!json_is_object(root))
		return kcs_json_bad(err, "(top level): expected an object, got %s",
			   kcs_json_type_name(root));
	if (kcs_json_only_keys(root, "(top level)", keys, err))
		return -1;

	v = json_object_get(root, "name");
	if (!v)
		return kcs_json_bad(err, "(top level): missing key \"name\"");
	if (!json_is_string(v))
		return kcs_json_bad(err, "name: expected a string, got %s", kcs_json_type_name(v));
	name = json_string_value(v);
	if (!kcs_profile_name_valid(name))
		return kcs_json_bad(err, "name: \"%s\" is not a valid profile name (1..%d characters of A-Z a-z 0-9 . _ -)",
			   name, KCS_NAME_MAX - 1);
	strcpy(spec->name, name);	/* length checked just above */

	v = json_object_get(root, "description");
	if (v) {
		if (!json_is_string(v))
			return kcs_json_bad(err, "description: expected a string, got %s",
				   kcs_json_type_name(v));
		spec->description = strdup(json_string_value(v));
		if (!spec->description)
			return kcs_json_bad(err, "description: out of memory");
	}

	spec->kind = KCS_EXEC_NONE;
	v = json_object_get(root, "exec");
	if (v && parse_exec(v, spec, err))
		return -1;
	v = json_object_get(root, "files");
	if (v && parse_files(v, spec, err))
		return -1;
	v = json_object_get(root, "syscalls");
	if (v && kcs_sys_parse(v, &spec->sys, err))
		return -1;
	v = json_object_get(root, "network");
	return v ? kcs_net_parse(v, &spec->net, err) : 0;
}

int kcs_profile_parse(const char *buf, size_t len, const char *origin,
		      struct kcs_profile_spec *spec, struct kcs_err *err)
{
	json_error_t jerr;
	json_t *root;
	int ret;

	memset(spec, 0, sizeof(*spec));
	/* Duplicate keys would let the last "rules" win silently. */
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return kcs_json_bad(err, "%s: line %d, column %d: %s", origin, jerr.line,
			   jerr.column, jerr.text);
	ret = parse_root(root, spec, err);
	/* Validated, so any JSON equal to this one gives the same text. */
	if (!ret) {
		spec->canonical = json_dumps(root, JSON_SORT_KEYS | JSON_COMPACT);
		if (!spec->canonical)
			ret = kcs_json_bad(err, "out of memory");
	}
	json_decref(root);
	if (ret) {
		kcs_err_prefix(err, "%s", origin);
		kcs_profile_free(spec);
	}
	return ret;
}

/* Reads all of @f into a malloc'ed buffer. */
static char *slurp(FILE *f, size_t *len, struct kcs_err *err, const char *origin)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap), *nb;

	if (!buf) {
		kcs_err_set(err, KCS_EXIT_FAILED, "%s: out of memory", origin);
		return NULL;
	}
	for (;;) {
		size_t got = fread(buf + n, 1, cap - n, f);

		n += got;
		if (n < cap) {
			if (ferror(f)) {
				kcs_err_set(err, KCS_EXIT_FAILED, "%s: read error: %s",
					    origin, strerror(errno));
				free(buf);
				return NULL;
			}
			break;
		}
		if (cap >= PROFILE_FILE_MAX) {
			kcs_err_set(err, KCS_EXIT_INVALID, "%s: larger than %u MiB",
				    origin, PROFILE_FILE_MAX >> 20);
			free(buf);
			return NULL;
		}
		cap *= 2;
		nb = realloc(buf, cap);
		if (!nb) {
			kcs_err_set(err, KCS_EXIT_FAILED, "%s: out of memory", origin);
			free(buf);
			return NULL;
		}
		buf = nb;
	}
	*len = n;
	return buf;
}

int kcs_profile_load(const char *path, struct kcs_profile_spec *spec,
		     struct kcs_err *err)
{
	int is_stdin = !strcmp(path, "-");
	const char *origin = is_stdin ? "<stdin>" : path;
	FILE *f = is_stdin ? stdin : fopen(path, "r");
	size_t len = 0;
	char *buf;
	int ret;

	memset(spec, 0, sizeof(*spec));
	if (!f)
		return kcs_err_set(err, errno == ENOENT ? KCS_EXIT_NOTFOUND :
				   kcs_exit_from_errno(errno),
				   "%s: %s", path, strerror(errno));
	buf = slurp(f, &len, err, origin);
	if (!is_stdin)
		fclose(f);
	if (!buf)
		return -1;
	ret = kcs_profile_parse(buf, len, origin, spec, err);
	free(buf);
	return ret;
}

static void free_set(struct kcs_pattern_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		free((char *)set->pats[i].text);
		free((char *)set->pats[i].program);
	}
	free(set->pats);
	set->pats = NULL;
	set->n = 0;
}

void kcs_profile_free(struct kcs_profile_spec *spec)
{
	free(spec->description);
	spec->description = NULL;
	free(spec->canonical);
	spec->canonical = NULL;
	free_set(&spec->rules);
	free_set(&spec->except);
	free_set(&spec->libs);
	for (int i = 0; i < KCS_FILE_SETS; i++)
		free_set(&spec->files[i]);
	kcs_net_spec_free(&spec->net);
	kcs_sys_spec_free(&spec->sys);
}
