// SPDX-License-Identifier: GPL-2.0
/*
 * Matching a path, and a multi-call binary's "<path>/<applet>", against a
 * verified pattern set. Pure table walking: no locks, no allocation.
 */
#include "kcs.h"

/* The state @path leads to (0: none, or an empty set); *@hit its pattern. */
static u32 kcs_pset_walk(const struct kcs_pset *ps, const char *path,
			 size_t plen, u32 *hit)
{
	const struct kcs_dfa *dfa = &ps->dfa;
	u32 s;

	*hit = 0;
	if (!ps->blob)
		return 0;
	s = kcs_dfa_walk(dfa, dfa->start, path, plen);
	*hit = kcs_dfa_accept(dfa, s);
	return s;
}

u32 kcs_pset_match(const struct kcs_pset *ps, const char *path, size_t plen,
		   const char *applet, size_t alen)
{
	u32 hit, s = kcs_pset_walk(ps, path, plen, &hit);

	if (hit || !applet || !s)
		return hit;
	/* "<path>/<applet>" continues from where the path left off. */
	s = kcs_dfa_step(&ps->dfa, s, '/');
	s = kcs_dfa_walk(&ps->dfa, s, applet, alen);
	return kcs_dfa_accept(&ps->dfa, s);
}

/**
 * kcs_pset_match_tree() - the pattern that names a path, or any path under it
 * @ps: the pattern set
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
u32 kcs_pset_match_tree(const struct kcs_pset *ps, const char *path,
			size_t plen, bool tree)
{
	u32 hit, s = kcs_pset_walk(ps, path, plen, &hit);

	if (hit || !tree || !s)
		return hit;
	if (!plen || path[plen - 1] != '/')	/* "/" is already a directory's */
		s = kcs_dfa_step(&ps->dfa, s, '/');
	return s ? KCS_PSET_TREE_HIT : 0;
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
