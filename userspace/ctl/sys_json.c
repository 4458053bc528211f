// SPDX-License-Identifier: GPL-2.0
/*
 * The "syscalls" section of a profile (docs/syscalls.md), strictly
 * validated like the rest: a misspelt system call, action or operator is
 * an error naming its JSON location, never a rule that silently matches
 * nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_check.h"
#include "profile.h"
#include "sys.h"

int kcs_json_action(const json_t *v, const char *where,
		    enum kcs_sys_action *out, struct kcs_err *err)
{
	const char *s;
	unsigned int i;

	if (!json_is_string(v))
		return kcs_json_bad(err, "%s: expected a string, got %s", where,
				    kcs_json_type_name(v));
	s = json_string_value(v);
	for (i = 0; i < __KCS_SYS_ACTION_MAX; i++) {
		if (!strcmp(s, kcs_sys_action_name(i))) {
			*out = (enum kcs_sys_action)i;
			return 0;
		}
	}
	return kcs_json_bad(err, "%s: unknown action \"%s\" (expected \"allow\", \"deny\" or \"audit\")",
			    where, s);
}

/* A system call name of the x86-64 table that kcs may rule. */
static int parse_name(const json_t *v, const char *where,
		      char name[KCS_SYS_NAME_MAX], struct kcs_err *err)
{
	const char *s;

	if (!json_is_string(v))
		return kcs_json_bad(err, "%s: expected a string, got %s", where,
				    kcs_json_type_name(v));
	s = json_string_value(v);
	if (strlen(s) >= KCS_SYS_NAME_MAX || kcs_sys_number(s) < 0)
		return kcs_json_bad(err, "%s: \"%s\" is not a system call of the x86-64 table",
				    where, s);
	/* Refusing them would leave the task stuck (see kmod/sysrule.c). */
	if (!strcmp(s, "exit") || !strcmp(s, "exit_group") ||
	    !strcmp(s, "rt_sigreturn"))
		return kcs_json_bad(err, "%s: \"%s\" cannot be ruled (a refusal would leave the task stuck)",
				    where, s);
	strcpy(name, s);	/* length checked above */
	return 0;
}

/* An integer, or a string "0x..." / decimal; negative means two's complement. */
static int parse_value(const json_t *v, const char *where, uint64_t *out,
		       struct kcs_err *err)
{
	const char *s;
	char *end;

	if (json_is_integer(v)) {
		*out = (uint64_t)json_integer_value(v);
		return 0;
	}
	if (!json_is_string(v))
		return kcs_json_bad(err, "%s: expected an integer or a string such as \"0x10000000\", got %s",
				    where, kcs_json_type_name(v));
	s = json_string_value(v);
	errno = 0;
	*out = strtoull(s, &end, 0);
	if (!*s || *end || errno || *s == '-' || *s == ' ')
		return kcs_json_bad(err, "%s: \"%s\" is not a number (decimal, 0x hex or 0 octal)",
				    where, s);
	return 0;
}

/* @where: at most 127 bytes ("syscalls.rules[N].args[K]"). */
static int parse_cond(const json_t *v, const char *where,
		      struct kcs_sys_cond *c, struct kcs_err *err)
{
	static const char *const keys[] = { "index", "op", "value", NULL };
	const json_t *idx, *op, *val;
	char loc[160];
	unsigned int i;

	if (!json_is_object(v))
		return kcs_json_bad(err, "%s: expected an object, got %s", where,
				    kcs_json_type_name(v));
	if (kcs_json_only_keys(v, where, keys, err))
		return -1;
	idx = json_object_get(v, "index");
	op = json_object_get(v, "op");
	val = json_object_get(v, "value");
	if (!idx || !op || !val)
		return kcs_json_bad(err, "%s: needs \"index\", \"op\" and \"value\"", where);
	if (!json_is_integer(idx) || json_integer_value(idx) < 0 ||
	    json_integer_value(idx) > 5)
		return kcs_json_bad(err, "%s.index: expected 0 to 5 (the argument's position)",
				    where);
	c->index = (uint32_t)json_integer_value(idx);
	snprintf(loc, sizeof(loc), "%s.op", where);
	if (!json_is_string(op))
		return kcs_json_bad(err, "%s: expected a string, got %s", loc,
				    kcs_json_type_name(op));
	for (i = 0; i < __KCS_SYS_OP_MAX; i++)
		if (!strcmp(json_string_value(op), kcs_sys_op_name(i)))
			break;
	if (i == __KCS_SYS_OP_MAX)
		return kcs_json_bad(err, "%s: unknown operator \"%s\" (eq, ne, lt, le, gt, ge, mask_all, mask_any, mask_none)",
				    loc, json_string_value(op));
	c->op = (enum kcs_sys_op)i;
	snprintf(loc, sizeof(loc), "%s.value", where);
	return parse_value(val, loc, &c->value, err);
}

static int parse_rule(const json_t *v, const char *where,
		      struct kcs_sys_rule_spec *r, struct kcs_err *err)
{
	static const char *const keys[] = {
		"syscall", "action", "program", "args", NULL
	};
	const json_t *x;
	char loc[128];
	size_t i;

	if (!json_is_object(v))
		return kcs_json_bad(err, "%s: expected an object, got %s", where,
				    kcs_json_type_name(v));
	if (kcs_json_only_keys(v, where, keys, err))
		return -1;
	x = json_object_get(v, "syscall");
	if (!x)
		return kcs_json_bad(err, "%s: missing key \"syscall\"", where);
	snprintf(loc, sizeof(loc), "%s.syscall", where);
	if (parse_name(x, loc, r->name, err))
		return -1;
	x = json_object_get(v, "action");
	if (!x)
		return kcs_json_bad(err, "%s: missing key \"action\" (\"allow\", \"deny\" or \"audit\")",
				    where);
	snprintf(loc, sizeof(loc), "%s.action", where);
	if (kcs_json_action(x, loc, &r->action, err))
		return -1;
	x = json_object_get(v, "program");
	snprintf(loc, sizeof(loc), "%s.program", where);
	if (x && kcs_json_program(x, loc, &r->program.kind, &r->program.text,
				  err))
		return -1;
	x = json_object_get(v, "args");
	if (!x)
		return 0;
	snprintf(loc, sizeof(loc), "%s.args", where);
	if (!json_is_array(x) || !json_array_size(x) ||
	    json_array_size(x) > KCS_SYS_MAX_ARGS)
		return kcs_json_bad(err, "%s: expected an array of 1 to %d conditions",
				    loc, KCS_SYS_MAX_ARGS);
	for (i = 0; i < json_array_size(x); i++) {
		snprintf(loc, sizeof(loc), "%s.args[%zu]", where, i);
		if (parse_cond(json_array_get(x, i), loc, &r->conds[i], err))
			return -1;
		r->nconds++;
	}
	return 0;
}

static int named_by_rule(const struct kcs_sys_spec *spec, const char *name)
{
	for (size_t i = 0; i < spec->n; i++)
		if (!strcmp(spec->rules[i].name, name))
			return 1;
	return 0;
}

static int parse_ignore(const json_t *v, struct kcs_sys_spec *spec,
			struct kcs_err *err)
{
	char loc[64];
	size_t i, k;

	if (!json_is_array(v))
		return kcs_json_bad(err, "syscalls.ignore: expected an array, got %s",
				    kcs_json_type_name(v));
	spec->ignore = calloc(json_array_size(v) + 1, sizeof(*spec->ignore));
	if (!spec->ignore)
		return kcs_json_bad(err, "syscalls.ignore: out of memory");
	for (i = 0; i < json_array_size(v); i++) {
		snprintf(loc, sizeof(loc), "syscalls.ignore[%zu]", i);
		if (parse_name(json_array_get(v, i), loc, spec->ignore[i], err))
			return -1;
		for (k = 0; k < i; k++)
			if (!strcmp(spec->ignore[k], spec->ignore[i]))
				return kcs_json_bad(err, "%s: \"%s\" is listed twice",
						    loc, spec->ignore[i]);
		/* Only named calls are hooked: ignoring another does nothing. */
		if (!named_by_rule(spec, spec->ignore[i]))
			return kcs_json_bad(err, "%s: \"%s\" is named by no rule (only named calls are checked)",
					    loc, spec->ignore[i]);
		spec->nignore++;
	}
	return 0;
}

int kcs_sys_parse(const json_t *v, struct kcs_sys_spec *spec,
		  struct kcs_err *err)
{
	static const char *const keys[] = { "default", "ignore", "rules", NULL };
	const json_t *rules, *x;
	char loc[64];
	size_t i, n;

	memset(spec, 0, sizeof(*spec));
	spec->present = 1;
	if (!json_is_object(v))
		return kcs_json_bad(err, "syscalls: expected an object, got %s",
				    kcs_json_type_name(v));
	if (kcs_json_only_keys(v, "syscalls", keys, err))
		return -1;
	spec->dflt = KCS_SYS_ALLOW;
	x = json_object_get(v, "default");
	if (x && kcs_json_action(x, "syscalls.default", &spec->dflt, err))
		return -1;
	rules = json_object_get(v, "rules");
	if (!rules || !json_is_array(rules) || !json_array_size(rules))
		return kcs_json_bad(err, "syscalls.rules: needs an array of at least one rule (only the calls rules name are checked)");
	n = json_array_size(rules);
	if (n > KCS_SYS_MAX_RULES)
		return kcs_json_bad(err, "syscalls.rules: %zu rules, more than KCS_SYS_MAX_RULES (%d)",
				    n, KCS_SYS_MAX_RULES);
	spec->rules = calloc(n, sizeof(*spec->rules));
	if (!spec->rules)
		return kcs_json_bad(err, "syscalls.rules: out of memory");
	for (i = 0; i < n; i++) {
		snprintf(loc, sizeof(loc), "syscalls.rules[%zu]", i);
		spec->n++;	/* owns its program text, even a failed one's */
		if (parse_rule(json_array_get(rules, i), loc, &spec->rules[i], err))
			return -1;
	}
	x = json_object_get(v, "ignore");
	return x ? parse_ignore(x, spec, err) : 0;
}

void kcs_sys_spec_free(struct kcs_sys_spec *spec)
{
	for (size_t i = 0; i < spec->n; i++)
		free((char *)spec->rules[i].program.text);
	free(spec->rules);
	free(spec->ignore);
	memset(spec, 0, sizeof(*spec));
}
