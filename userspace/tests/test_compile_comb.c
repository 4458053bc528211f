// SPDX-License-Identifier: GPL-2.0
/*
 * The comb layout of DFA format version 2: per-state defaults. What the
 * matcher decides is tested differentially in test_compile.c; this checks
 * the promises of the packer itself, by expanding every row of the blob
 * through the kernel's own kcs_dfa_step():
 *
 *  - dflt[s] is a most common target of row s (ties may go either way),
 *  - the table holds exactly the row's other entries, no more (an entry
 *    equal to the default would only waste a slot),
 *  - a broad rule over thousands of literals ("/usr/<star>" under
 *    /usr/lib/...) costs a few entries per state, not a full row each:
 *    format version 1 stored 28 entries per state there (22 MB at 10,000
 *    literals),
 *  - the table stays dense: few slots are wasted between packed rows.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kcs.h>

#include "compile.h"
#include "dfa.h"
#include "tap.h"

#define R KCS_PATTERN_REGEX
#define M KCS_PATTERN_MASK

struct stats {
	size_t stored;		/* entries with check != KCS_DFA_NO_STATE */
	size_t exceptions;	/* row entries that differ from the default */
	size_t bad_dflt;	/* states whose default is not most common */
	size_t bad_stored;	/* states whose stored set is not exact */
};

/* Expand row @s (one representative byte per class) into @row. */
static void expand(const struct kcs_dfa *d, u32 s, const int *rep, u32 *row)
{
	u32 c;

	for (c = 0; c < d->nclasses; c++)
		row[c] = kcs_dfa_step(d, s, (u8)rep[c]);
}

static void check_rows(const struct kcs_dfa *d, struct stats *st)
{
	u32 *row = malloc(256 * sizeof(*row)), *owned;
	int rep[256];
	u32 s, c, k, i;

	/* Entries per owner, counted once over the table. */
	owned = calloc(d->nstates, sizeof(*owned));
	for (i = 0; i < d->ntrans; i++)
		if (d->check[i] != KCS_DFA_NO_STATE) {
			owned[d->check[i]]++;
			st->stored++;
		}
	for (c = 0; c < 256; c++)
		rep[c] = -1;
	for (c = 0; c < 256; c++)
		if (rep[d->classmap[c]] < 0)
			rep[d->classmap[c]] = (int)c;
	for (s = 0; s < d->nstates; s++) {
		u32 ndflt = 0, best = 0, nexc = 0;

		expand(d, s, rep, row);
		for (c = 0; c < d->nclasses; c++) {
			u32 same = 0;

			for (k = 0; k < d->nclasses; k++)
				same += row[k] == row[c];
			if (same > best)
				best = same;
			if (row[c] == d->dflt[s])
				ndflt++;
			else
				nexc++;
			/* An exception must be stored at its own slot. */
			if (row[c] != d->dflt[s] &&
			    d->check[d->base[s] + c] != s)
				st->bad_stored++;
		}
		if (ndflt != best)
			st->bad_dflt++;
		if (owned[s] != nexc)
			st->bad_stored++;
		st->exceptions += nexc;
	}
	free(owned);
	free(row);
}

/* Compile @n patterns, verify, check every row; 0 on success. */
static int compile_check(const struct kcs_pattern *p, size_t n,
			 struct kcs_blob *blob, struct kcs_dfa *d,
			 struct stats *st)
{
	struct kcs_compile_error err;
	struct kcs_blob text;
	const char *why;

	memset(st, 0, sizeof(*st));
	if (kcs_compile(p, n, NULL, blob, &text, &err)) {
		printf("# compile failed: pattern %ld: %s\n", err.index, err.msg);
		return -1;
	}
	kcs_blob_free(&text);
	if (kcs_dfa_verify(blob->data, blob->len, d, &why)) {
		printf("# verify failed: %s\n", why);
		kcs_blob_free(blob);
		return -1;
	}
	check_rows(d, st);
	return 0;
}

static void test_small(void)
{
	static const struct {
		struct kcs_pattern p[3];
		size_t n;
		u32 exceptions;	/* over all states, hand-counted */
	} cases[] = {
		/*
		 * start -/-> s1 -a-> s2 (accepting); every other entry is
		 * dead, the default: 2 exceptions in all.
		 */
		{ { { R, "/a", NULL, 0 } }, 1, 2 },
		/*
		 * start -/-> s1 (accepting), which sends every byte but NUL
		 * (which '*' never matches) back to itself: its default is
		 * itself and its one exception NUL -> dead.
		 */
		{ { { M, "/*", NULL, 0 } }, 1, 2 },
		/* As "/a", s1 looping on 'a' (s1 and "/a" are one state). */
		{ { { R, "/a*", NULL, 0 } }, 1, 2 },
		/*
		 * start -/-> s1; s1 sends 'a' to s2, NUL to dead and every
		 * other byte to s3; s2 and s3 loop like the first mask but accept
		 * different patterns. Exceptions: start 1, s1 2 (defaults to
		 * s3), s2 1, s3 1.
		 */
		{ { { M, "/a*", NULL, 0 }, { M, "/*", NULL, 0 } }, 2, 5 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kcs_blob blob;
		struct kcs_dfa d;
		struct stats st;

		if (compile_check(cases[i].p, cases[i].n, &blob, &d, &st)) {
			tap_ok(0, "case %zu compiles", i);
			continue;
		}
		tap_ok(st.exceptions == cases[i].exceptions &&
		       st.stored == st.exceptions && !st.bad_dflt &&
		       !st.bad_stored,
		   "%s '%s'%s: %zu exceptions stored (want %u), %zu bad defaults, %zu bad rows",
		   cases[i].p[0].kind == M ? "mask" : "regex",
		   cases[i].p[0].text, cases[i].n > 1 ? " and '/*'" : "",
		   st.stored, cases[i].exceptions,
		   st.bad_dflt, st.bad_stored);
		kcs_blob_free(&blob);
	}
}

static uint64_t rng_state = 0x636f6d62ULL;

static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)((rng_state >> 11) % n);
}

#define NLIT 2000

/*
 * @nlit literals under /usr/lib plus the mask "/usr/<star>" (last). Under
 * /usr/ every trie state sends all bytes but NUL to the mask's state, so
 * with defaults it stores 2 entries (NUL to dead, the next trie byte).
 */
static void test_broad(void)
{
	static char texts[NLIT + 1][64];
	static struct kcs_pattern p[NLIT + 1];
	struct kcs_blob blob;
	struct kcs_dfa d;
	struct stats st;
	size_t i;

	for (i = 0; i < NLIT; i++) {
		snprintf(texts[i], sizeof(texts[i]), "/usr/lib/app%u/bin/tool%u",
			 rnd(100000), (unsigned int)i % 97);
		p[i].kind = M;
		p[i].text = texts[i];
	}
	p[NLIT].kind = M;
	p[NLIT].text = "/usr/*";
	if (compile_check(p, NLIT + 1, &blob, &d, &st)) {
		tap_ok(0, "broad set compiles");
		return;
	}
	tap_ok(!st.bad_dflt && !st.bad_stored,
	   "broad set: every default most common, every row exact (%zu bad defaults, %zu bad rows)",
	   st.bad_dflt, st.bad_stored);
	tap_ok(st.exceptions <= 2 * (size_t)d.nstates,
	   "broad set: %zu exceptions for %u states (at most 2 each)",
	   st.exceptions, d.nstates);
	tap_ok(d.ntrans <= 3 * (size_t)d.nstates,
	   "broad set: %u table entries for %u states, %u classes (v1: a row each)",
	   d.ntrans, d.nstates, d.nclasses);
	tap_ok(d.ntrans <= st.stored + st.stored / 8 + d.nclasses,
	   "broad set: table %u entries for %zu stored (at most 1/8 wasted)",
	   d.ntrans, st.stored);
	kcs_blob_free(&blob);
}

/* Random mixes of literals, masks and regexes: the same promises. */
static void test_random(void)
{
	static const char *const atoms[] = {
		"a", "b", "/", "[ab]", ".", "(a|b)", "[^a]", "[^/]*", ".*",
	};
	size_t round, bad = 0, sets = 0, stored = 0, slots = 0;

	for (round = 0; round < 300; round++) {
		char texts[6][64];
		struct kcs_pattern p[6] = { 0 };
		size_t n = 1 + rnd(6), i, k;
		struct kcs_blob blob;
		struct kcs_dfa d;
		struct stats st;

		for (i = 0; i < n; i++) {
			texts[i][0] = 0;
			p[i].kind = rnd(3) ? R : M;
			if (p[i].kind == M) {
				snprintf(texts[i], sizeof(texts[i]), "/%s%s",
					 rnd(2) ? "a" : "*", rnd(2) ? "/*" : "b");
			} else {
				for (k = 1 + rnd(5); k > 0; k--)
					strncat(texts[i], atoms[rnd(9)],
						sizeof(texts[i]) -
						strlen(texts[i]) - 1);
			}
			p[i].text = texts[i];
		}
		if (compile_check(p, n, &blob, &d, &st)) {
			bad++;
			continue;
		}
		sets++;
		if (st.bad_dflt || st.bad_stored) {
			bad++;
			printf("# bad rows; first pattern '%s'\n", texts[0]);
		}
		stored += st.stored;
		slots += d.ntrans;
		kcs_blob_free(&blob);
	}
	tap_ok(!bad && sets == 300,
	   "%zu random sets: defaults most common, rows exact (%zu bad); %zu entries in %zu slots",
	   sets, bad, stored, slots);
}

int main(void)
{
	test_small();
	test_broad();
	test_random();
	printf("# %d passed, %d failed\n", tap_n - tap_failed, tap_failed);
	return tap_done();
}
