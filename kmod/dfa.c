// SPDX-License-Identifier: GPL-2.0
/*
 * Verify and walk the compiled pattern sets described in uapi/linux/kcs.h.
 *
 * Verification is the only thing standing between a userspace blob and the
 * exec hook, so it checks every index the walker could ever follow: after it
 * succeeds, kcs_dfa_step() needs no bounds check at all.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#endif

#include <linux/kcs.h>
#include "dfa.h"

static int fail(const char **why, const char *reason)
{
	*why = reason;
	return -EINVAL;
}

int kcs_dfa_verify(const void *blob, size_t len, struct kcs_dfa *dfa,
		   const char **why)
{
	const struct kcs_dfa_hdr *h = blob;
	const unsigned char *p = blob;
	u64 need;
	u32 s, i;

	if (((unsigned long)blob & 3) != 0)
		return fail(why, "dfa blob is not 4-byte aligned");
	if (len < sizeof(*h))
		return fail(why, "dfa blob shorter than its header");
	if (len > KCS_DFA_MAX_BYTES)
		return fail(why, "dfa blob larger than KCS_DFA_MAX_BYTES");
	if (h->magic != KCS_DFA_MAGIC)
		return fail(why, "dfa blob has a bad magic");
	if (h->version != KCS_DFA_VERSION)
		return fail(why, "dfa blob has an unsupported version");
	if (h->hdr_len != sizeof(*h))
		return fail(why, "dfa blob header has a bad length");
	if (h->flags & ~KCS_DFA_F_PROGRAM)
		return fail(why, "dfa blob header has unknown flags");
	if (h->nstates < 1 || h->nstates > KCS_DFA_MAX_STATES)
		return fail(why, "dfa state count out of range");
	if (h->nclasses < 1 || h->nclasses > 256)
		return fail(why, "dfa class count out of range");
	if (h->start >= h->nstates)
		return fail(why, "dfa start state out of range");
	if (h->naccept > KCS_MAX_PATTERNS)
		return fail(why, "dfa pattern count out of range");

	/* 64-bit arithmetic: none of these products can overflow. */
	need = sizeof(*h) + 256 + 12ULL * h->nstates + 8ULL * h->ntrans;
	if (need != len)
		return fail(why, "dfa blob size does not match its header");

	dfa->nstates = h->nstates;
	dfa->nclasses = h->nclasses;
	dfa->start = h->start;
	dfa->ntrans = h->ntrans;
	dfa->naccept = h->naccept;
	dfa->flags = h->flags;
	p += sizeof(*h);
	dfa->classmap = p;
	p += 256;
	dfa->accept = (const u32 *)p;
	dfa->base = dfa->accept + h->nstates;
	dfa->dflt = dfa->base + h->nstates;
	dfa->next = dfa->dflt + h->nstates;
	dfa->check = dfa->next + h->ntrans;

	for (i = 0; i < 256; i++)
		if (dfa->classmap[i] >= dfa->nclasses)
			return fail(why, "dfa class map entry out of range");
	if (dfa->accept[0] != 0 || dfa->dflt[0] != 0)
		return fail(why, "dfa dead state accepts or has a way out");
	for (s = 0; s < dfa->nstates; s++) {
		if (dfa->accept[s] > dfa->naccept)
			return fail(why, "dfa accept value out of range");
		if ((u64)dfa->base[s] + dfa->nclasses > dfa->ntrans)
			return fail(why, "dfa row runs past the transition table");
		if (dfa->dflt[s] >= dfa->nstates)
			return fail(why, "dfa default state out of range");
	}
	for (i = 0; i < dfa->ntrans; i++) {
		u32 c = dfa->check[i];

		if (c == KCS_DFA_NO_STATE)
			continue;
		if (c >= dfa->nstates)
			return fail(why, "dfa check entry out of range");
		if (dfa->next[i] >= dfa->nstates)
			return fail(why, "dfa next state out of range");
		if (c == 0 && dfa->next[i] != 0)
			return fail(why, "dfa dead state has a way out");
	}
	return 0;
}

u32 kcs_dfa_walk(const struct kcs_dfa *dfa, u32 state, const char *s,
		 size_t len)
{
	size_t i;

	/* The dead state never leaves: stop early, most paths die young. */
	for (i = 0; i < len && state; i++)
		state = kcs_dfa_step(dfa, state, (u8)s[i]);
	return state;
}

int kcs_text_verify(const char *blob, size_t len, u32 count)
{
	size_t i, start = 0;
	u32 n = 0;

	if (len > KCS_TEXT_MAX_BYTES)
		return -EINVAL;
	if (len && blob[len - 1] != '\0')
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (blob[i] != '\0')
			continue;
		/* Events quote an entry whole, as one netlink attribute. */
		if (i + 1 - start > KCS_TEXT_ENTRY_MAX)
			return -EINVAL;
		start = i + 1;
		n++;
	}
	return n == count ? 0 : -EINVAL;
}
