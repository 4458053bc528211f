/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Verifier and matcher for the compiled pattern sets of uapi/linux/kcs.h.
 * Written to build both in the kernel and in userspace (kcsadm's tests run
 * this very code against the compiler), so it uses nothing but fixed-width
 * types and needs no allocation: a verified dfa points into the blob.
 */
#ifndef KCS_DFA_H
#define KCS_DFA_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include "ktypes.h"	/* userspace builds: u8..u64 and size_t */
#endif

struct kcs_dfa {
	u32 nstates;
	u32 nclasses;
	u32 start;
	u32 ntrans;
	u32 naccept;
	u32 flags;		/* KCS_DFA_F_* */
	const u8 *classmap;
	const u32 *accept;
	const u32 *base;
	const u32 *dflt;
	const u32 *next;
	const u32 *check;
};

/*
 * Check every field and every table entry of @blob (4-byte aligned, @len
 * bytes) and fill @dfa on success. Returns 0, or a negative errno with a
 * static reason in *@why. Runs once per profile load, never in a hook.
 */
int kcs_dfa_verify(const void *blob, size_t len, struct kcs_dfa *dfa,
		   const char **why);

/* One transition; @state must come from this dfa. */
static inline u32 kcs_dfa_step(const struct kcs_dfa *dfa, u32 state, u8 c)
{
	u32 i = dfa->base[state] + dfa->classmap[c];

	return dfa->check[i] == state ? dfa->next[i] : dfa->dflt[state];
}

/* Feed @len bytes of @s from @state; returns the state reached. */
u32 kcs_dfa_walk(const struct kcs_dfa *dfa, u32 state, const char *s,
		 size_t len);

/* 0, or 1 + index of the lowest pattern accepting at @state. */
static inline u32 kcs_dfa_accept(const struct kcs_dfa *dfa, u32 state)
{
	return dfa->accept[state];
}

/*
 * Check a text blob: exactly @count NUL-terminated strings filling @len
 * bytes, none longer than KCS_TEXT_ENTRY_MAX with its NUL. Returns 0 or
 * -EINVAL.
 */
int kcs_text_verify(const char *blob, size_t len, u32 count);

#endif /* KCS_DFA_H */
