// SPDX-License-Identifier: GPL-2.0
/*
 * Matching a path, and a multi-call binary's "<path>/<applet>", against a
 * verified pattern set. Pure table walking: no locks, no allocation.
 */
#include "kcs.h"

/*
 * Where a program-scoped pattern's input starts: after "\0" @prog "\0"
 * (see KCS_DFA_F_PROGRAM). 0 when the set has no such patterns or there is
 * no program (the task runs no file named in the container): then no
 * scoped pattern applies.
 */
static u32 kcs_pset_prog_start(const struct kcs_pset *ps, const char *prog)
{
	const struct kcs_dfa *dfa = &ps->dfa;
	u32 s;

	if (!ps->blob || !prog || !(dfa->flags & KCS_DFA_F_PROGRAM))
		return 0;
	s = kcs_dfa_step(dfa, dfa->start, 0);
	s = kcs_dfa_walk(dfa, s, prog, strlen(prog));
	return s ? kcs_dfa_step(dfa, s, 0) : 0;
}

/* The lower of two hits (1 + pattern index), 0 being none. */
static u32 kcs_hit_first(u32 a, u32 b)
{
	if (!a)
		return b;
	return b && b < a ? b : a;
}

/* From state @s over @path: the state reached, and in *@hit its pattern. */
static u32 kcs_pset_walk_from(const struct kcs_pset *ps, u32 s,
			      const char *path, size_t plen, u32 *hit)
{
	*hit = 0;
	if (!s)
		return 0;
	s = kcs_dfa_walk(&ps->dfa, s, path, plen);
	*hit = kcs_dfa_accept(&ps->dfa, s);
	return s;
}

/* From @s: the pattern @path (or "<path>/<applet>") leads to. */
static u32 kcs_pset_match_from(const struct kcs_pset *ps, u32 s,
			       const char *path, size_t plen,
			       const char *applet, size_t alen)
{
	u32 hit;

	s = kcs_pset_walk_from(ps, s, path, plen, &hit);
	if (hit || !applet || !s)
		return hit;
	/* "<path>/<applet>" continues from where the path left off. */
	s = kcs_dfa_step(&ps->dfa, s, '/');
	s = kcs_dfa_walk(&ps->dfa, s, applet, alen);
	return kcs_dfa_accept(&ps->dfa, s);
}

/**
 * kcs_pset_match() - the pattern that names a path
 * @ps: the pattern set
 * @prog: the acting task's program, for program-scoped patterns (NULL:
 *        none of those applies)
 * @path: the path
 * @plen: its length
 * @applet: a multi-call binary's applet, or NULL: "<path>/<applet>" too
 * @alen: its length
 *
 * Return: 1 + the index of the lowest pattern that matches, or 0.
 */
u32 kcs_pset_match(const struct kcs_pset *ps, const char *prog,
		   const char *path, size_t plen, const char *applet,
		   size_t alen)
{
	u32 hit;

	if (!ps->blob)
		return 0;
	hit = kcs_pset_match_from(ps, ps->dfa.start, path, plen, applet, alen);
	return kcs_hit_first(hit, kcs_pset_match_from(ps,
			kcs_pset_prog_start(ps, prog), path, plen, applet, alen));
}

/* From @s: the pattern that names @path, or (@tree) one under it. */
static u32 kcs_pset_tree_from(const struct kcs_pset *ps, u32 s,
			      const char *path, size_t plen, bool tree)
{
	u32 hit;

	s = kcs_pset_walk_from(ps, s, path, plen, &hit);
	if (hit || !tree || !s)
		return hit;
	if (!plen || path[plen - 1] != '/')	/* "/" is already a directory's */
		s = kcs_dfa_step(&ps->dfa, s, '/');
	return s ? KCS_PSET_TREE_HIT : 0;
}

/**
 * kcs_pset_match_tree() - the pattern that names a path, or any path under it
 * @ps: the pattern set
 * @prog: the acting task's program (see kcs_pset_match())
 * @path: the path
 * @plen: its length
 * @tree: also ask whether some pattern could name a path under @path
 *
 * kcsadm's DFAs are minimized, so state 0 is the only state from which no
 * pattern can match: any other state reached after "@path/" means some
 * pattern may name something under @path. (A table that is not minimal
 * only makes the answer "yes" more often.)
 *
 * Return: 1 + the index of the lowest pattern matching @path, else, with
 * @tree, KCS_PSET_TREE_HIT when a pattern could match under it, else 0.
 */
u32 kcs_pset_match_tree(const struct kcs_pset *ps, const char *prog,
			const char *path, size_t plen, bool tree)
{
	u32 hit;

	if (!ps->blob)
		return 0;
	hit = kcs_pset_tree_from(ps, ps->dfa.start, path, plen, tree);
	return kcs_hit_first(hit, kcs_pset_tree_from(ps,
			kcs_pset_prog_start(ps, prog), path, plen, tree));
}

/*
 * Whether @s accepts and stays on every byte a name may hold (all but
 * NUL, which patterns leave out): it names every suffix.
 */
static bool kcs_dfa_state_universal(const struct kcs_dfa *dfa, u32 s)
{
	unsigned int c;

	if (!s || !kcs_dfa_accept(dfa, s))
		return false;
	for (c = 1; c < 256; c++)
		if (kcs_dfa_step(dfa, s, c) != s)
			return false;
	return true;
}

/* From @s: the pattern naming @path, when it names all under it too. */
static u32 kcs_pset_all_under_from(const struct kcs_pset *ps, u32 s,
				   const char *path, size_t plen)
{
	u32 hit;

	s = kcs_pset_walk_from(ps, s, path, plen, &hit);
	if (!hit)
		return 0;
	if (!plen || path[plen - 1] != '/')
		s = kcs_dfa_step(&ps->dfa, s, '/');
	return kcs_dfa_state_universal(&ps->dfa, s) ? hit : 0;
}

/**
 * kcs_pset_match_all_under() - the pattern naming a path and all under it
 * @ps: the pattern set
 * @prog: the acting task's program (see kcs_pset_match())
 * @path: the path (a directory)
 * @plen: its length
 *
 * For an allow list, a directory that moves gives every name under it a
 * new name: it is allowed only when every one of them is. That is asked
 * of the DFA conservatively: the state after "@path/" must accept and
 * loop on every byte, as a trailing "*" leaves it. A set that names all
 * under @path some other way (several patterns together) reads as no.
 *
 * Return: 1 + the index of the pattern matching @path, or 0.
 */
u32 kcs_pset_match_all_under(const struct kcs_pset *ps, const char *prog,
			     const char *path, size_t plen)
{
	u32 hit;

	if (!ps->blob)
		return 0;
	hit = kcs_pset_all_under_from(ps, ps->dfa.start, path, plen);
	return kcs_hit_first(hit, kcs_pset_all_under_from(ps,
			kcs_pset_prog_start(ps, prog), path, plen));
}

/* Whether @ps has program-scoped patterns. */
bool kcs_pset_scoped(const struct kcs_pset *ps)
{
	return ps->blob && (ps->dfa.flags & KCS_DFA_F_PROGRAM);
}

const char *kcs_pset_text(const struct kcs_pset *ps, u32 hit)
{
	if (!hit || !ps->text_off || hit > ps->dfa.naccept)
		return NULL;
	return ps->text + ps->text_off[hit - 1];
}

u32 kcs_nset_lookup(const struct kcs_nset *ns, const struct kcs_net_addr *a,
		    u16 port, u32 proto)
{
	if (!ns->blob)
		return KCS_NET_NO_RULE;
	return kcs_netm_lookup(&ns->m, a, port, proto);
}

const char *kcs_nset_text(const struct kcs_nset *ns, u32 rule)
{
	if (!ns->text_off || rule >= ns->m.nrules)
		return NULL;
	return ns->text + ns->text_off[rule];
}
