// SPDX-License-Identifier: GPL-2.0
/*
 * Application rules (KCS_A_SYS_RULES): the verifier of the compiled rule
 * set and the decision for one call. Nothing here touches a task, a hook
 * or the kernel's syscall metadata (sys_meta.c gives that): the decision is
 * a pure function of the verified set, so KUnit runs it as it is.
 *
 * For one call of a named system call, the rules of that name are tried in
 * order and the first whose program and argument conditions match decides;
 * when none does, the set's default action. A rule for a program matches
 * only a task whose program has a name in the container that the rule's
 * pattern accepts (no name: no match, as for program-scoped patterns).
 *
 * Arguments the hook cannot compare (a 32-bit entry: see syscall.c) make a
 * rule with conditions unusable. Such a rule then never allows or audits,
 * but a deny rule makes the call undecidable: it may have matched.
 */
#ifdef __KERNEL__
#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#else
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#define kvcalloc(n, size, gfp)	calloc(n, size)
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif
#include "sysrule.h"

static int kcs_sys_fail(const char **why, const char *reason)
{
	*why = reason;
	return -EINVAL;
}

/* Calls whose refusal would leave the task stuck or corrupt it. */
bool kcs_sys_unrefusable(const char *name)
{
	static const char *const names[] = {
		"exit", "exit_group", "rt_sigreturn",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

static int kcs_sys_name_verify(const struct kcs_sys_name *n,
			       const struct kcs_sys_name *prev, u32 first,
			       u32 nrules, const char **why)
{
	size_t len = strnlen(n->name, KCS_SYS_NAME_MAX), i;

	if (!len || len == KCS_SYS_NAME_MAX)
		return kcs_sys_fail(why, "system call name empty or not terminated");
	for (i = 0; i < len; i++)
		if (!islower(n->name[i]) && !isdigit(n->name[i]) &&
		    n->name[i] != '_')
			return kcs_sys_fail(why, "system call name has a byte outside [a-z0-9_]");
	for (; i < KCS_SYS_NAME_MAX; i++)
		if (n->name[i])
			return kcs_sys_fail(why, "system call name not NUL-padded");
	if (prev && strcmp(prev->name, n->name) >= 0)
		return kcs_sys_fail(why, "system call names not strictly ascending");
	if (n->flags & ~KCS_SYS_N_ALL)
		return kcs_sys_fail(why, "unknown system call name flags");
	if (n->first != first || n->count > nrules - first)
		return kcs_sys_fail(why, "system call rule ranges do not tile the rules");
	if ((n->flags & KCS_SYS_N_GUARD) &&
	    (n->count || strncmp(n->name, "io_uring_", 9)))
		return kcs_sys_fail(why, "a guard is an io_uring call without rules");
	if (kcs_sys_unrefusable(n->name))
		return kcs_sys_fail(why, "exit, exit_group and rt_sigreturn cannot be ruled");
	return 0;
}

static int kcs_sys_rule_verify(const struct kcs_sys_rule *r, u32 nprograms,
			       const char **why)
{
	u32 i;

	if (r->action >= __KCS_SYS_ACTION_MAX)
		return kcs_sys_fail(why, "unknown application rule action");
	if (r->program != KCS_SYS_NO_PROGRAM && r->program >= nprograms)
		return kcs_sys_fail(why, "application rule program out of range");
	if (r->nargs > KCS_SYS_MAX_ARGS || r->pad)
		return kcs_sys_fail(why, "application rule has too many conditions");
	for (i = 0; i < KCS_SYS_MAX_ARGS; i++) {
		const struct kcs_sys_arg *a = &r->args[i];

		if (i >= r->nargs) {
			if (a->index || a->op || a->value)
				return kcs_sys_fail(why, "unused condition not zero");
			continue;
		}
		if (a->index >= KCS_SYS_ARGS || a->op >= __KCS_SYS_OP_MAX)
			return kcs_sys_fail(why, "condition on no argument, or unknown operator");
	}
	return 0;
}

/* The programs' DFAs: nprograms of (u32 length, DFA), nothing trailing. */
static int kcs_sys_progs_verify(struct kcs_sysset *s, size_t plen,
				const char **why)
{
	u32 n = s->hdr->nprograms, i;
	size_t off = 0;
	int err;

	if (!n)
		return plen ? kcs_sys_fail(why, "programs given but no rule names one") : 0;
	if (!s->progs_blob || plen % 4)
		return kcs_sys_fail(why, "programs blob missing or not 4-byte sized");
	s->progs = kvcalloc(n, sizeof(*s->progs), GFP_KERNEL_ACCOUNT);
	if (!s->progs)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		u32 len;

		if (plen - off < sizeof(u32))
			return kcs_sys_fail(why, "programs blob truncated");
		memcpy(&len, s->progs_blob + off, sizeof(len));
		off += sizeof(len);
		if (len % 4 || len > plen - off)
			return kcs_sys_fail(why, "program DFA length bad");
		err = kcs_dfa_verify(s->progs_blob + off, len, &s->progs[i], why);
		if (err)
			return err;
		if (s->progs[i].naccept != 1 || s->progs[i].flags)
			return kcs_sys_fail(why, "a program DFA has one pattern and no flags");
		off += len;
	}
	return off == plen ? 0 : kcs_sys_fail(why, "programs blob has trailing bytes");
}

/**
 * kcs_sysset_verify() - check every field of a compiled application rule set
 * @s: ->blob (@len bytes) and ->progs_blob (@plen bytes) set; on success
 *     ->hdr, ->names, ->rules and ->progs point into them
 * @len: bytes of the rule set
 * @plen: bytes of the programs blob
 * @why: a static reason on failure
 *
 * Return: 0, -ENOMEM or -EINVAL.
 */
int kcs_sysset_verify(struct kcs_sysset *s, size_t len, size_t plen,
		      const char **why)
{
	const struct kcs_sys_hdr *h = s->blob;
	bool uring_setup = false, uring_enter = false;
	u32 i, first = 0;
	u64 need;
	int err;

	if (((unsigned long)s->blob & 7) || len < sizeof(*h))
		return kcs_sys_fail(why, "application rules shorter than their header");
	if (h->magic != KCS_SYS_MAGIC || h->version != KCS_SYS_VERSION ||
	    h->hdr_len != sizeof(*h))
		return kcs_sys_fail(why, "application rules: bad magic, version or header length");
	if (!h->nnames || h->nnames > KCS_SYS_MAX_NAMES ||
	    h->nrules > KCS_SYS_MAX_RULES || h->nprograms > h->nrules ||
	    h->dflt >= __KCS_SYS_ACTION_MAX)
		return kcs_sys_fail(why, "application rules: counts or default out of range");
	need = sizeof(*h) + (u64)h->nnames * sizeof(struct kcs_sys_name) +
	       (u64)h->nrules * sizeof(struct kcs_sys_rule);
	if (need != len)
		return kcs_sys_fail(why, "application rules: size does not match the counts");
	s->hdr = h;
	s->names = (const void *)(h + 1);
	s->rules = (const void *)(s->names + h->nnames);
	for (i = 0; i < h->nnames; i++) {
		const struct kcs_sys_name *n = &s->names[i];

		err = kcs_sys_name_verify(n, i ? n - 1 : NULL, first,
					  h->nrules, why);
		if (err)
			return err;
		first += n->count;
		uring_setup |= !strcmp(n->name, "io_uring_setup");
		uring_enter |= !strcmp(n->name, "io_uring_enter");
	}
	if (first != h->nrules)
		return kcs_sys_fail(why, "system call rule ranges do not tile the rules");
	/* io_uring makes calls without entering them: see syscall.c. */
	if (!uring_setup || !uring_enter)
		return kcs_sys_fail(why,
				    "application rules must name io_uring_setup and io_uring_enter");
	for (i = 0; i < h->nrules; i++) {
		err = kcs_sys_rule_verify(&s->rules[i], h->nprograms, why);
		if (err)
			return err;
	}
	return kcs_sys_progs_verify(s, plen, why);
}

/* The index of @name among the set's names, or -1. */
int kcs_sysset_find(const struct kcs_sysset *s, const char *name)
{
	int lo = 0, hi = (int)s->hdr->nnames - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		int c = strcmp(name, s->names[mid].name);

		if (!c)
			return mid;
		if (c < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return -1;
}

/*
 * A raw argument as a parameter of @width bytes sees it: the low bytes,
 * sign-extended for a signed type. What a call does with a value it
 * narrows is what a condition must compare, or 0x100000001 passes a rule
 * on an int argument of 1.
 */
u64 kcs_sys_arg_narrow(u64 raw, u8 width, bool sign)
{
	unsigned int bits = width * 8;

	if (bits >= 64 || !bits)
		return raw;
	raw &= (1ULL << bits) - 1;
	if (sign && (raw & (1ULL << (bits - 1))))
		raw |= ~((1ULL << bits) - 1);
	return raw;
}

static bool kcs_sys_cond(const struct kcs_sys_arg *c, u64 v, bool sign)
{
	s64 sv = (s64)v, sc = (s64)c->value;

	switch (c->op) {
	case KCS_SYS_OP_EQ:
		return v == c->value;
	case KCS_SYS_OP_NE:
		return v != c->value;
	case KCS_SYS_OP_LT:
		return sign ? sv < sc : v < c->value;
	case KCS_SYS_OP_LE:
		return sign ? sv <= sc : v <= c->value;
	case KCS_SYS_OP_GT:
		return sign ? sv > sc : v > c->value;
	case KCS_SYS_OP_GE:
		return sign ? sv >= sc : v >= c->value;
	case KCS_SYS_OP_MASK_ALL:
		return (v & c->value) == c->value;
	case KCS_SYS_OP_MASK_ANY:
		return (v & c->value) != 0;
	case KCS_SYS_OP_MASK_NONE:
		return (v & c->value) == 0;
	}
	return false;	/* verified: not reached */
}

static bool kcs_sys_program_matches(const struct kcs_sysset *s, u32 prog,
				    const char *name)
{
	const struct kcs_dfa *dfa;

	if (prog == KCS_SYS_NO_PROGRAM)
		return true;
	if (!name)
		return false;
	dfa = &s->progs[prog];
	return kcs_dfa_accept(dfa, kcs_dfa_walk(dfa, dfa->start, name,
						strlen(name))) != 0;
}

static u32 kcs_sys_action_outcome(u32 action)
{
	switch (action) {
	case KCS_SYS_DENY:
		return KCS_SYS_RES_DENY;
	case KCS_SYS_AUDIT:
		return KCS_SYS_RES_AUDIT;
	default:
		return KCS_SYS_RES_ALLOW;
	}
}

/**
 * kcs_sys_decide() - what a verified set says about one call
 * @s: the set
 * @ni: the call's index among its names (kcs_sysset_find())
 * @args: the arguments, narrowed (kcs_sys_arg_narrow()); NULL when the
 *	  entry point gives none that can be compared
 * @prog: the acting task's program in the container, or NULL for none
 * @res: the outcome and the deciding rule
 */
void kcs_sys_decide(const struct kcs_sysset *s, u32 ni, const u64 *args,
		    const char *prog, struct kcs_sys_result *res)
{
	const struct kcs_sys_name *n = &s->names[ni];
	const struct kcs_sys_call_info *info = s->info ? &s->info[ni] : NULL;
	u32 i, k;

	res->rule = KCS_SYS_NO_RULE;
	if (n->flags & KCS_SYS_N_GUARD) {
		res->outcome = KCS_SYS_RES_UNDECIDABLE;
		return;
	}
	for (i = n->first; i < n->first + n->count; i++) {
		const struct kcs_sys_rule *r = &s->rules[i];
		bool match = true;

		if (!kcs_sys_program_matches(s, r->program, prog))
			continue;
		if (r->nargs && !args) {
			if (r->action != KCS_SYS_DENY)
				continue;
			res->outcome = KCS_SYS_RES_UNDECIDABLE;
			res->rule = i;
			return;
		}
		for (k = 0; k < r->nargs && match; k++) {
			const struct kcs_sys_arg *c = &r->args[k];

			match = kcs_sys_cond(c, args[c->index],
					     info && info->sign[c->index]);
		}
		if (!match)
			continue;
		res->outcome = kcs_sys_action_outcome(r->action);
		res->rule = i;
		return;
	}
	res->outcome = kcs_sys_action_outcome(s->hdr->dflt);
}
