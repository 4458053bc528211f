// SPDX-License-Identifier: GPL-2.0
/*
 * Minimality of the compiled DFA. Hand-checked state counts for small sets,
 * equal counts for equivalent sets written differently, and for random
 * sets an independent check: expanding the blob back into a full table and
 * refining it with plain Moore rounds (slow, obviously correct, fine at
 * this size) must not merge any two states, and every state must be
 * reachable from the start.
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

/* Compile and verify; returns the state count, 0 on any failure. */
static u32 states_of(const struct kcs_pattern *p, size_t n,
		     struct kcs_blob *keep)
{
	struct kcs_compile_error err;
	struct kcs_blob dfa, text;
	struct kcs_dfa d;
	const char *why;
	u32 ns = 0;

	if (kcs_compile(p, n, NULL, &dfa, &text, &err)) {
		printf("# compile failed: pattern %ld: %s\n", err.index, err.msg);
		return 0;
	}
	if (kcs_dfa_verify(dfa.data, dfa.len, &d, &why) == 0)
		ns = d.nstates;
	else
		printf("# verify failed: %s\n", why);
	kcs_blob_free(&text);
	if (keep)
		*keep = dfa;
	else
		kcs_blob_free(&dfa);
	return ns;
}

static void test_hand_counted(void)
{
	/* Every leaf accepts a different pattern: no suffix can be shared. */
	static const struct kcs_pattern lits[] = {
		{ M, "/bin/sh", NULL, 0 }, { M, "/bin/bash", NULL, 0 }, { M, "/usr/bin/sh", NULL, 0 },
	};
	/*
	 * One pattern: "sbin" joins "bin" after its 's', and "sh" joins
	 * "dash" after "da". start / u us usr usr/ usr/s b bi bin bin/ d da
	 * s(=das) sh(accept), plus dead: 16.
	 */
	static const struct kcs_pattern shared[] = {
		{ R, "/usr/(bin|sbin)/(sh|dash)", NULL, 0 },
	};
	static const struct kcs_pattern bits[] = { { R, "(a|b)*a(a|b){3}", NULL, 0 } };
	/* A duplicate and a shadowed pattern add nothing. */
	static const struct kcs_pattern dup[] = {
		{ M, "/bin/*", NULL, 0 }, { M, "/bin/sh", NULL, 0 }, { R, "/bin/.*", NULL, 0 },
	};
	u32 n;

	n = states_of(lits, 3, NULL);
	tap_ok(n == 23, "literal trie {/bin/sh,/bin/bash,/usr/bin/sh}: %u states, want 23", n);
	n = states_of(shared, 1, NULL);
	tap_ok(n == 16, "shared suffixes in /usr/(bin|sbin)/(sh|dash): %u states, want 16", n);
	n = states_of(bits, 1, NULL);
	tap_ok(n == 17, "(a|b)*a(a|b){3}: %u states, want 2^4 + dead", n);
	/* start / b bi bin bin/(accept, loops on itself) + dead */
	n = states_of(dup, 3, NULL);
	tap_ok(n == 7, "/bin/* shadowing /bin/sh and /bin/.*: %u states, want 7", n);
}

static void test_equivalent(void)
{
	static const struct {
		struct kcs_pattern a, b;
	} eq[] = {
		{ { M, "/a/*", NULL, 0 }, { R, "/a/.*", NULL, 0 } },
		{ { M, "/bin/*", NULL, 0 }, { R, "^/bin/(.*)$", NULL, 0 } },
		{ { R, "(a|b)*", NULL, 0 }, { R, "[ab]*", NULL, 0 } },
		{ { R, "/x/(a|b|c)", NULL, 0 }, { R, "/x/[a-c]", NULL, 0 } },
		{ { R, "a{2,4}", NULL, 0 }, { R, "aa|aaa|aaaa", NULL, 0 } },
		{ { R, "(a+)+", NULL, 0 }, { R, "a+", NULL, 0 } },
		{ { R, "(a*)*b", NULL, 0 }, { R, "a*b", NULL, 0 } },
		{ { M, "/a**b", NULL, 0 }, { M, "/a*b", NULL, 0 } },
		{ { R, "x(ab)?(ab)?", NULL, 0 }, { R, "x(ab){0,2}", NULL, 0 } },
	};
	size_t i;

	for (i = 0; i < sizeof(eq) / sizeof(eq[0]); i++) {
		u32 na = states_of(&eq[i].a, 1, NULL);
		u32 nb = states_of(&eq[i].b, 1, NULL);

		tap_ok(na && na == nb, "'%s' and '%s': %u and %u states",
		   eq[i].a.text, eq[i].b.text, na, nb);
	}
}

/*
 * Moore refinement on the expanded blob: returns the number of classes of
 * equivalent states, or 0 if some state is unreachable from the start.
 */
static u32 moore_blocks(const struct kcs_dfa *d)
{
	u32 ns = d->nstates, nc = d->nclasses, s, c, nb = 0, prev = 0;
	u32 *delta = malloc((size_t)ns * nc * sizeof(u32));
	u32 *blk = malloc(ns * sizeof(u32)), *nblk = malloc(ns * sizeof(u32));
	u32 *stack = malloc(ns * sizeof(u32)), sp = 0;
	uint8_t *seen = calloc(ns, 1);
	u32 rep[256];

	/* One representative byte per class (class 0 may be only NUL). */
	for (c = 0; c < nc; c++)
		rep[c] = 256;
	for (s = 0; s < 256; s++)
		if (rep[d->classmap[s]] == 256)
			rep[d->classmap[s]] = s;
	for (s = 0; s < ns; s++)
		for (c = 0; c < nc; c++)
			delta[(size_t)s * nc + c] =
				rep[c] < 256 ? kcs_dfa_step(d, s, (u8)rep[c]) : 0;

	/* Reachability (the dead state counts as reachable). */
	seen[0] = 1;
	stack[sp++] = d->start;
	seen[d->start] = 1;
	while (sp) {
		s = stack[--sp];
		for (c = 0; c < nc; c++) {
			u32 t = delta[(size_t)s * nc + c];

			if (!seen[t]) {
				seen[t] = 1;
				stack[sp++] = t;
			}
		}
	}
	for (s = 0; s < ns; s++)
		if (!seen[s])
			goto out;

	/* Round 0: by accept value. Each round: by (block, successor blocks). */
	for (s = 0; s < ns; s++)
		blk[s] = d->accept[s];
	for (;;) {
		nb = 0;
		for (s = 0; s < ns; s++) {
			u32 t;

			/* Quadratic search for an equal signature: fine here. */
			for (t = 0; t < s; t++) {
				if (blk[t] != blk[s])
					continue;
				for (c = 0; c < nc; c++)
					if (blk[delta[(size_t)t * nc + c]] !=
					    blk[delta[(size_t)s * nc + c]])
						break;
				if (c == nc)
					break;
			}
			nblk[s] = t < s ? nblk[t] : nb++;
		}
		memcpy(blk, nblk, ns * sizeof(u32));
		if (nb == prev)
			break;
		prev = nb;
	}
out:
	free(delta);
	free(blk);
	free(nblk);
	free(stack);
	free(seen);
	return nb;
}

static uint64_t rng_state = 0x6d696e696d616cULL;

static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)((rng_state >> 11) % n);
}

static void random_regex(char *buf, size_t cap)
{
	static const char *const atoms[] = {
		"a", "b", "/", "[ab]", ".", "(a|b)", "(ab|ba)", "(/a)", "[^a]",
	};
	static const char *const quants[] = { "", "", "*", "+", "?", "{1,2}" };
	uint32_t n = 1 + rnd(5), i;

	buf[0] = 0;
	for (i = 0; i < n; i++) {
		strncat(buf, atoms[rnd(9)], cap - strlen(buf) - 1);
		strncat(buf, quants[rnd(6)], cap - strlen(buf) - 1);
	}
}

static void test_random_minimal(void)
{
	char texts[8][64];
	size_t round, bad = 0, sets = 0;

	for (round = 0; round < 300; round++) {
		struct kcs_pattern p[8] = { 0 };
		size_t n = 1 + rnd(6), i;
		struct kcs_blob blob;
		struct kcs_dfa d;
		const char *why;
		u32 ns, nb;

		for (i = 0; i < n; i++) {
			p[i].kind = rnd(4) ? R : M;
			if (p[i].kind == R)
				random_regex(texts[i], sizeof(texts[i]));
			else
				snprintf(texts[i], sizeof(texts[i]), "/%s*%s",
					 rnd(2) ? "a" : "ab", rnd(2) ? "b" : "");
			p[i].text = texts[i];
		}
		ns = states_of(p, n, &blob);
		if (!ns) {
			bad++;
			continue;
		}
		sets++;
		kcs_dfa_verify(blob.data, blob.len, &d, &why);
		nb = moore_blocks(&d);
		if (nb != ns) {
			bad++;
			printf("# %u states but %u distinct; first pattern '%s'\n",
			       ns, nb, texts[0]);
		}
		kcs_blob_free(&blob);
	}
	tap_ok(bad == 0 && sets == 300,
	   "%zu random sets: every state reachable and distinct (%zu bad)",
	   sets, bad);
}

int main(void)
{
	test_hand_counted();
	test_equivalent();
	test_random_minimal();
	printf("# %d passed, %d failed\n", tap_n - tap_failed, tap_failed);
	return tap_done();
}
