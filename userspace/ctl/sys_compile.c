// SPDX-License-Identifier: GPL-2.0
/*
 * Application rules -> the KCS_A_SYS_RULES blob (uapi/linux/kcs.h): one
 * entry per named system call, sorted by name, owning its rules in their
 * JSON order (for one call the first matching rule decides, so that order
 * is the only one that matters); each rule's program compiled into a DFA
 * of its own; and, unless the profile names them, the io_uring calls as
 * guards (io_uring would run the named calls without entering them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile_build.h"
#include "sys.h"

static const char *const uring_calls[] = { "io_uring_enter", "io_uring_setup" };

struct name_slot {
	char name[KCS_SYS_NAME_MAX];
	uint32_t flags;
};

static int cmp_slot(const void *a, const void *b)
{
	return strcmp(((const struct name_slot *)a)->name,
		      ((const struct name_slot *)b)->name);
}

static int has_name(const struct name_slot *s, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s[i].name, name))
			return 1;
	return 0;
}

/* "deny unshare (program /usr/bin/x) if arg0 mask_any 0x10000000" */
static int rule_text(const struct kcs_sys_rule_spec *r, char *buf, size_t len)
{
	size_t off;

	off = (size_t)snprintf(buf, len, "%s %s", kcs_sys_action_name(r->action),
			       r->name);
	if (r->program.text && off < len)
		off += (size_t)snprintf(buf + off, len - off, " (program %s%s)",
					r->program.kind == KCS_PATTERN_REGEX ?
					"regex " : "", r->program.text);
	for (uint32_t k = 0; k < r->nconds && off < len; k++)
		off += (size_t)snprintf(buf + off, len - off, "%s arg%u %s 0x%llx",
					k ? " and" : " if", r->conds[k].index,
					kcs_sys_op_name(r->conds[k].op),
					(unsigned long long)r->conds[k].value);
	return off < len ? 0 : -1;
}

static int blob_append(struct kcs_blob *b, const void *data, size_t len)
{
	void *n = realloc(b->data, b->len + len);

	if (!n)
		return -1;
	memcpy((char *)n + b->len, data, len);
	b->data = n;
	b->len += len;
	return 0;
}

/* Rule @i's program, compiled alone, appended as (u32 length, DFA). */
static int add_program(const struct kcs_sys_rule_spec *r, size_t i,
		       struct kcs_sys_compiled *out, struct kcs_err *err)
{
	struct kcs_compile_limits limits = { .max_states = KCS_DFA_MAX_STATES };
	struct kcs_compile_error cerr = { .index = -1 };
	struct kcs_blob dfa = { 0 }, text = { 0 };
	uint32_t len;
	int ret;

	if (kcs_compile(&r->program, 1, &limits, &dfa, &text, &cerr)) {
		kcs_compile_strip_pos(cerr.msg, cerr.pos);
		return kcs_err_set(err, KCS_EXIT_INVALID,
				   "syscalls.rules[%zu].program: %s error at byte %zu: %s",
				   i, r->program.kind == KCS_PATTERN_REGEX ?
				   "regex" : "mask", cerr.pos, cerr.msg);
	}
	len = (uint32_t)dfa.len;
	ret = len % 4 || blob_append(&out->programs, &len, sizeof(len)) ||
	      blob_append(&out->programs, dfa.data, dfa.len);
	kcs_blob_free(&dfa);
	kcs_blob_free(&text);
	if (ret)
		return kcs_err_set(err, KCS_EXIT_FAILED, "syscalls: out of memory");
	out->nprograms++;
	return 0;
}

static int fill_rule(const struct kcs_sys_rule_spec *r, size_t i,
		     struct kcs_sys_rule *kr, struct kcs_sys_compiled *out,
		     struct kcs_err *err)
{
	char text[KCS_TEXT_ENTRY_MAX];

	memset(kr, 0, sizeof(*kr));
	kr->action = r->action;
	kr->program = KCS_SYS_NO_PROGRAM;
	if (r->program.text) {
		kr->program = out->nprograms;
		if (add_program(r, i, out, err))
			return -1;
	}
	kr->nargs = r->nconds;
	for (uint32_t k = 0; k < r->nconds; k++) {
		kr->args[k].index = r->conds[k].index;
		kr->args[k].op = r->conds[k].op;
		kr->args[k].value = r->conds[k].value;
	}
	if (rule_text(r, text, sizeof(text)))
		return kcs_err_set(err, KCS_EXIT_INVALID,
				   "syscalls.rules[%zu]: its text is longer than KCS_TEXT_ENTRY_MAX",
				   i);
	if (blob_append(&out->text, text, strlen(text) + 1))
		return kcs_err_set(err, KCS_EXIT_FAILED, "syscalls: out of memory");
	return 0;
}

int kcs_sys_compile(const struct kcs_sys_spec *spec,
		    struct kcs_sys_compiled *out, struct kcs_err *err)
{
	struct name_slot *slots;
	struct kcs_sys_hdr *h;
	struct kcs_sys_name *kn;
	struct kcs_sys_rule *kr;
	size_t n = 0, i, k, r = 0, size;

	memset(out, 0, sizeof(*out));
	slots = calloc(spec->n + 2, sizeof(*slots));
	if (!slots)
		return kcs_err_set(err, KCS_EXIT_FAILED, "syscalls: out of memory");
	for (i = 0; i < spec->n; i++)
		if (!has_name(slots, n, spec->rules[i].name))
			strcpy(slots[n++].name, spec->rules[i].name);
	for (i = 0; i < 2; i++) {
		if (has_name(slots, n, uring_calls[i]))
			continue;
		strcpy(slots[n].name, uring_calls[i]);
		slots[n++].flags = KCS_SYS_N_GUARD;
	}
	if (n > KCS_SYS_MAX_NAMES) {
		free(slots);
		return kcs_err_set(err, KCS_EXIT_INVALID,
				   "syscalls.rules: %zu distinct system calls (with io_uring's), more than KCS_SYS_MAX_NAMES (%d)",
				   n, KCS_SYS_MAX_NAMES);
	}
	qsort(slots, n, sizeof(*slots), cmp_slot);
	for (i = 0; i < spec->nignore; i++)
		for (k = 0; k < n; k++)
			if (!strcmp(slots[k].name, spec->ignore[i]))
				slots[k].flags |= KCS_SYS_N_IGNORE;

	size = sizeof(*h) + n * sizeof(*kn) + spec->n * sizeof(*kr);
	out->rules.data = calloc(1, size);
	if (!out->rules.data) {
		free(slots);
		return kcs_err_set(err, KCS_EXIT_FAILED, "syscalls: out of memory");
	}
	out->rules.len = size;
	h = out->rules.data;
	kn = (struct kcs_sys_name *)(h + 1);
	kr = (struct kcs_sys_rule *)(kn + n);
	for (k = 0; k < n; k++) {
		strcpy(kn[k].name, slots[k].name);
		kn[k].nr = (uint32_t)kcs_sys_number(slots[k].name);
		kn[k].flags = slots[k].flags;
		kn[k].first = (uint32_t)r;
		for (i = 0; i < spec->n; i++) {
			if (strcmp(spec->rules[i].name, slots[k].name))
				continue;
			if (fill_rule(&spec->rules[i], i, &kr[r], out, err))
				goto fail;
			r++;
		}
		kn[k].count = (uint32_t)r - kn[k].first;
	}
	free(slots);
	h = out->rules.data;	/* fill_rule does not move it, but be plain */
	h->magic = KCS_SYS_MAGIC;
	h->version = KCS_SYS_VERSION;
	h->hdr_len = sizeof(*h);
	h->nnames = (uint32_t)n;
	h->nrules = (uint32_t)spec->n;
	h->nprograms = out->nprograms;
	h->dflt = spec->dflt;
	out->nnames = (uint32_t)n;
	out->nrules = (uint32_t)spec->n;
	return 0;
fail:
	free(slots);
	kcs_sys_compiled_free(out);
	return -1;
}

void kcs_sys_compiled_free(struct kcs_sys_compiled *c)
{
	kcs_blob_free(&c->rules);
	kcs_blob_free(&c->text);
	kcs_blob_free(&c->programs);
	memset(c, 0, sizeof(*c));
}
