// SPDX-License-Identifier: GPL-2.0
/*
 * Program-scoped network rules (docs/network.md): the module's network
 * matcher answers "the lowest rule covering this destination", one rule
 * per lookup, so a rule that applies to one program only cannot sit in
 * the same table as the others. Each program's rules become a group of
 * their own (uapi: struct kcs_net_group): the program's DFA, the group's
 * compiled rule set and its texts. The module looks the set's own rules
 * up first, then each group whose program is the acting task's.
 */
#include <stdlib.h>
#include <string.h>

#include <linux/kcs.h>

#include "net.h"
#include "profile_build.h"

static int append(struct kcs_blob *b, const void *data, size_t len)
{
	static const char zero[8];
	size_t pad = (8 - len % 8) % 8;
	char *n = realloc(b->data, b->len + len + pad);

	if (!n)
		return -1;
	if (len)
		memcpy(n + b->len, data, len);
	memcpy(n + b->len + len, zero, pad);
	b->data = n;
	b->len += len + pad;
	return 0;
}

static int same_program(const struct kcs_net_rule *a,
			const struct kcs_net_rule *b)
{
	if (!a->program || !b->program)
		return !a->program && !b->program;
	return a->program_kind == b->program_kind &&
	       !strcmp(a->program, b->program);
}

int kcs_net_unscoped(const struct kcs_net_ruleset *set,
		     struct kcs_net_ruleset *out, struct kcs_err *err)
{
	size_t i;

	out->where = set->where;
	out->n = 0;
	out->rules = calloc(set->n ? set->n : 1, sizeof(*out->rules));
	if (!out->rules)
		return kcs_err_set(err, KCS_EXIT_FAILED, "%s: out of memory",
				   set->where);
	for (i = 0; i < set->n; i++)
		if (!set->rules[i].program)
			out->rules[out->n++] = set->rules[i];
	return 0;
}

/* The group of @set's rules for the program of rule @first. */
static int add_group(const struct kcs_net_ruleset *set, size_t first,
		     uint32_t gset, struct kcs_blob *groups,
		     struct kcs_err *err)
{
	const struct kcs_net_rule *r0 = &set->rules[first];
	struct kcs_pattern prog = { .kind = r0->program_kind,
				    .text = r0->program };
	struct kcs_compile_limits limits = { .max_states = KCS_DFA_MAX_STATES };
	struct kcs_compile_error cerr = { .index = -1 };
	struct kcs_blob dfa = { 0 }, ptext = { 0 }, net = { 0 }, text = { 0 };
	struct kcs_net_ruleset sub = { .where = set->where };
	struct kcs_net_group g = { .set = gset };
	size_t i;
	int ret = -1;

	sub.rules = calloc(set->n, sizeof(*sub.rules));
	if (!sub.rules)
		return kcs_err_set(err, KCS_EXIT_FAILED, "%s: out of memory",
				   set->where);
	for (i = first; i < set->n; i++)
		if (same_program(&set->rules[i], r0))
			sub.rules[sub.n++] = set->rules[i];
	if (r0->program && kcs_compile(&prog, 1, &limits, &dfa, &ptext, &cerr)) {
		kcs_compile_strip_pos(cerr.msg, cerr.pos);
		kcs_err_set(err, KCS_EXIT_INVALID,
			    "%s[%zu].program: %s error at byte %zu: %s",
			    set->where, first,
			    prog.kind == KCS_PATTERN_REGEX ? "regex" : "mask",
			    cerr.pos, cerr.msg);
		goto out;
	}
	if (kcs_net_compile(&sub, &net, &text, err))
		goto out;
	g.prog_len = (uint32_t)dfa.len;
	g.net_len = (uint32_t)net.len;
	g.text_len = (uint32_t)text.len;
	if (append(groups, &g, sizeof(g)) || append(groups, dfa.data, dfa.len) ||
	    append(groups, net.data, net.len) ||
	    append(groups, text.data, text.len)) {
		kcs_err_set(err, KCS_EXIT_FAILED, "%s: out of memory", set->where);
		goto out;
	}
	ret = 0;
out:
	free(sub.rules);
	kcs_blob_free(&dfa);
	kcs_blob_free(&ptext);
	kcs_blob_free(&net);
	kcs_blob_free(&text);
	return ret;
}

int kcs_net_groups_add(const struct kcs_net_ruleset *set, uint32_t gset,
		       int all, struct kcs_blob *groups, uint32_t *ngroups,
		       struct kcs_err *err)
{
	size_t i, j;

	for (i = 0; i < set->n; i++) {
		if (!set->rules[i].program && !all)
			continue;
		for (j = 0; j < i && !same_program(&set->rules[j],
						    &set->rules[i]); j++)
			;
		if (j < i)	/* that program's group is made already */
			continue;
		if (*ngroups == KCS_NETG_MAX)
			return kcs_err_set(err, KCS_EXIT_INVALID,
					   "%s: rules for more than %u distinct programs (KCS_NETG_MAX, all sets together)",
					   set->where, KCS_NETG_MAX);
		if (add_group(set, i, gset, groups, err))
			return -1;
		(*ngroups)++;
	}
	return 0;
}

int kcs_net_groups_finish(struct kcs_blob *groups, uint32_t ngroups,
			  struct kcs_err *err)
{
	struct kcs_net_groups_hdr h = {
		.magic = KCS_NETG_MAGIC, .version = KCS_NETG_VERSION,
		.hdr_len = sizeof(h), .ngroups = ngroups,
	};
	char *n;

	if (!ngroups) {
		kcs_blob_free(groups);
		return 0;
	}
	n = malloc(sizeof(h) + groups->len);
	if (!n)
		return kcs_err_set(err, KCS_EXIT_FAILED, "network: out of memory");
	memcpy(n, &h, sizeof(h));
	memcpy(n + sizeof(h), groups->data, groups->len);
	free(groups->data);
	groups->data = n;
	groups->len += sizeof(h);
	return 0;
}
