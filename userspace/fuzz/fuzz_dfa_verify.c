// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the kernel's blob verifiers (kmod/dfa.c) on arbitrary
 * bytes. kcs_dfa_verify() is all that stands between a root-supplied blob
 * and the exec hook, and it promises that once it accepts, every walk
 * stays inside the tables with no further checks. So when it accepts, we
 * walk pseudo-random paths (seeded from the input) from the start and
 * from other states, and abort as soon as a state, a table index or an
 * accept value leaves its range; ASan catches any read the promise
 * should have prevented.
 *
 * The same input is also a text blob for kcs_text_verify(), whose answer
 * is compared with a direct count (first byte: the count claimed) and
 * the longest entry.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kcs.h>

#include "dfa.h"

#define NWALKS		16
#define WALK_LEN	64

static uint64_t rng;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 32);
}

static void walk_from(const struct kcs_dfa *d, u32 state)
{
	char path[WALK_LEN];
	u32 s = state, i, n = rnd() % WALK_LEN;

	for (i = 0; i < n; i++) {
		u8 c = (u8)rnd();
		u64 slot = (u64)d->base[s] + d->classmap[c];

		path[i] = (char)c;
		if (slot >= d->ntrans)
			abort();
		s = kcs_dfa_step(d, s, c);
		if (s >= d->nstates || kcs_dfa_accept(d, s) > d->naccept)
			abort();
	}
	/* kcs_dfa_walk() stops at the dead state, which never leaves. */
	if (kcs_dfa_walk(d, state, path, n) != s)
		abort();
}

static void check_dfa(const uint8_t *data, size_t size)
{
	struct kcs_dfa d;
	const char *why = NULL;
	void *blob;
	u32 k;

	/* The verifier wants 4-byte alignment; malloc gives more. */
	blob = malloc(size ? size : 1);
	if (!blob)
		return;
	memcpy(blob, data, size);
	if (kcs_dfa_verify(blob, size, &d, &why) == 0) {
		rng = 0x9e3779b97f4a7c15ULL ^ size;
		for (k = 0; k < size && k < 64; k++)
			rng = (rng ^ data[k]) * 0x100000001b3ULL;
		if (!rng)
			rng = 1;
		if (d.start >= d.nstates || d.dflt[0] || d.accept[0])
			abort();
		for (k = 0; k < NWALKS; k++)
			walk_from(&d, k & 1 ? rnd() % d.nstates : d.start);
	} else if (!why || !*why) {
		abort();	/* every refusal names its reason */
	}
	free(blob);
}

static void check_text(const uint8_t *data, size_t size)
{
	u32 count = size ? data[0] : 0, nuls = 0;
	size_t i, longest = 0, run = 0;
	int want;

	for (i = 0; i < size; i++) {
		run++;
		if (data[i] == 0) {
			nuls++;
			if (run > longest)
				longest = run;
			run = 0;
		}
	}
	want = (size == 0 || data[size - 1] == 0) && nuls == count &&
	       longest <= KCS_TEXT_ENTRY_MAX ? 0 : -1;
	if ((kcs_text_verify((const char *)data, size, count) == 0) !=
	    (want == 0))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_dfa(data, size);
	check_text(data, size);
	return 0;
}
