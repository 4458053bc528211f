// SPDX-License-Identifier: GPL-2.0
/*
 * Differential test of the pattern compiler against independent oracles:
 * glibc's regexec (REG_EXTENDED, the pattern wrapped as ^(...)$) for
 * regexes and a tiny wildcard matcher for masks (both in ref_match.c,
 * shared with the fuzzer). Every blob goes through
 * the kernel's own verifier and walker (kmod/dfa.c), so what is tested is
 * exactly what the module would decide, including which pattern (the
 * lowest index) is reported.
 *
 * Patterns are hand-written edge cases plus random ones from a seeded PRNG
 * (argv[1] overrides the seed; it is printed so a failure can be replayed).
 * Random regexes come from a small grammar so that most are valid, and are
 * then sometimes mutated one byte at a time to hit the error paths: the
 * compiler may refuse what glibc accepts (a documented subset), but must
 * never accept what glibc refuses.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kcs.h>

#include "compile.h"
#include "dfa.h"
#include "ref_match.h"
#include "tap.h"

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)((rng_state >> 11) % n);
}

/* A pattern of the pool, with its oracle (ref_match.h). */
struct pat {
	enum kcs_pattern_kind kind;
	char text[128];
	struct ref_pattern ref;	/* set up only when valid */
	int valid;		/* kcs_compile accepted it alone */
};

/* ---- random patterns with sample matches ---- */

#define PATH_MAX_LEN 48

static const char path_bytes[] = "/ab.-*c\xe9";

static void put(char *buf, size_t *n, size_t cap, const char *s)
{
	size_t l = strlen(s);

	if (*n + l < cap) {
		memcpy(buf + *n, s, l);
		*n += l;
		buf[*n] = 0;
	}
}

/*
 * Render a random regex of nesting @depth into @pat and, in parallel, one
 * string it very likely matches into @sample. The sample only steers the
 * test towards interesting inputs; the oracle decides what matches.
 */
static void gen_regex(int depth, char *pat, size_t *pn, char *sample,
		      size_t *sn);

static void gen_atom(int depth, char *pat, size_t *pn, char *sample,
		     size_t *sn)
{
	static const char *const brackets[][2] = {
		{ "[ab]", "b" }, { "[^a]", "/" }, { "[a-c]", "c" },
		{ "[/-a]", "." }, { "[-a]", "-" }, { "[a-]", "a" },
		{ "[]a]", "a" }, { "[^/]", "\xe9" }, { "[[:alpha:]]", "c" },
		{ "[.*]", "*" }, { "[^[:alpha:]/]", "-" }, { "[[:punct:]]", "." },
	};
	static const char *const escapes[][2] = {
		{ "\\.", "." }, { "\\*", "*" }, { "\\/", "/" }, { "\\-", "-" },
		{ "\\[", "[" },
	};
	char c[2] = { 0, 0 };
	uint32_t k;

	switch (depth > 0 ? rnd(10) : rnd(7)) {
	case 0: case 1: case 2: case 3:
		c[0] = "/abc-"[rnd(5)];
		put(pat, pn, 128, c);
		put(sample, sn, PATH_MAX_LEN, c);
		break;
	case 4:
		c[0] = path_bytes[rnd(sizeof(path_bytes) - 1)];
		put(pat, pn, 128, ".");
		put(sample, sn, PATH_MAX_LEN, c);
		break;
	case 5:
		k = rnd(sizeof(brackets) / sizeof(brackets[0]));
		put(pat, pn, 128, brackets[k][0]);
		put(sample, sn, PATH_MAX_LEN, brackets[k][1]);
		break;
	case 6:
		k = rnd(sizeof(escapes) / sizeof(escapes[0]));
		put(pat, pn, 128, escapes[k][0]);
		put(sample, sn, PATH_MAX_LEN, escapes[k][1]);
		break;
	default:
		put(pat, pn, 128, "(");
		gen_regex(depth - 1, pat, pn, sample, sn);
		put(pat, pn, 128, ")");
	}
}

static void gen_piece(int depth, char *pat, size_t *pn, char *sample,
		      size_t *sn)
{
	static const char *const quants[] = {
		"*", "+", "?", "{2}", "{0,1}", "{1,}", "{0}", "{1,3}", "{2,2}",
	};
	static const int qmin[] = { 0, 1, 0, 2, 0, 1, 0, 1, 2 };
	static const int qmax[] = { 3, 3, 1, 2, 1, 3, 0, 3, 2 };
	size_t p0 = *pn, s0 = *sn, slen;
	char one[PATH_MAX_LEN];
	uint32_t q, reps, k;

	gen_atom(depth, pat, pn, sample, sn);
	if (rnd(3))
		return;
	q = rnd(sizeof(quants) / sizeof(quants[0]));
	put(pat, pn, 128, quants[q]);
	/* Replay the atom's sample a count the quantifier allows. */
	slen = *sn - s0;
	memcpy(one, sample + s0, slen);
	one[slen] = 0;
	(void)p0;
	*sn = s0;
	sample[s0] = 0;
	reps = (uint32_t)qmin[q] + rnd((uint32_t)(qmax[q] - qmin[q] + 1));
	for (k = 0; k < reps; k++)
		put(sample, sn, PATH_MAX_LEN, one);
}

static void gen_regex(int depth, char *pat, size_t *pn, char *sample,
		      size_t *sn)
{
	uint32_t nalt = rnd(4) == 0 ? 2 + rnd(2) : 1, chosen = rnd(nalt), a;

	for (a = 0; a < nalt; a++) {
		char tmp[PATH_MAX_LEN + 1] = "";
		size_t tn = 0;
		uint32_t npieces = 1 + rnd(4), i;

		if (a)
			put(pat, pn, 128, "|");
		for (i = 0; i < npieces; i++)
			gen_piece(depth, pat, pn, tmp, &tn);
		if (a == chosen)
			put(sample, sn, PATH_MAX_LEN, tmp);
	}
}

static void gen_mask(char *pat, char *sample)
{
	size_t pn = 0, sn = 0;
	uint32_t len = 1 + rnd(7), i;

	put(pat, &pn, 128, "/");
	put(sample, &sn, PATH_MAX_LEN, "/");
	for (i = 0; i < len; i++) {
		uint32_t r = rnd(10);
		char c[2] = { "/ab."[rnd(4)], 0 };

		if (r < 2) {
			uint32_t k, n = rnd(4);

			put(pat, &pn, 128, "*");
			for (k = 0; k < n; k++) {
				c[0] = path_bytes[rnd(sizeof(path_bytes) - 1)];
				put(sample, &sn, PATH_MAX_LEN, c);
			}
		} else if (r == 2) {
			put(pat, &pn, 128, "\\*");
			put(sample, &sn, PATH_MAX_LEN, "*");
		} else {
			put(pat, &pn, 128, c);
			put(sample, &sn, PATH_MAX_LEN, c);
		}
	}
}

/* Change, insert or delete one byte: usually breaks the syntax. */
static void mutate(char *pat)
{
	static const char meta[] = "()[]{}|*+?^$\\.-,0123ab/";
	size_t n = strlen(pat), at = rnd((uint32_t)n + 1);

	switch (rnd(3)) {
	case 0:
		if (at < n)
			pat[at] = meta[rnd(sizeof(meta) - 1)];
		break;
	case 1:
		if (n + 1 < 128) {
			memmove(pat + at + 1, pat + at, n - at + 1);
			pat[at] = meta[rnd(sizeof(meta) - 1)];
		}
		break;
	default:
		if (at < n)
			memmove(pat + at, pat + at + 1, n - at);
	}
}

/* ---- running blobs ---- */

#define MAX_PATHS 4096

static char *paths[MAX_PATHS];
static size_t npaths;

static void add_path(const char *s)
{
	if (npaths < MAX_PATHS)
		paths[npaths++] = strdup(s);
}

static void random_paths(size_t count)
{
	size_t i, k;

	for (i = 0; i < count; i++) {
		char s[PATH_MAX_LEN + 1];
		size_t len = rnd(10);

		for (k = 0; k < len; k++)
			s[k] = path_bytes[rnd(sizeof(path_bytes) - 1)];
		if (len && rnd(2))
			s[0] = '/';
		s[len] = 0;
		add_path(s);
	}
}

static unsigned int mismatches_shown;

/*
 * Compile @set (indices into @pats), verify the blob with the kernel's
 * verifier and compare every path with the oracle. Returns the number of
 * disagreements, or -1 if the set did not compile.
 */
static long check_set(struct pat *pats, const size_t *set, size_t n,
		      size_t *checks)
{
	struct kcs_pattern *kp = calloc(n + 1, sizeof(*kp));
	struct kcs_compile_error err;
	struct kcs_blob dfa, text;
	struct kcs_dfa d;
	const char *why;
	long bad = 0;
	size_t i, k;

	for (i = 0; i < n; i++) {
		kp[i].kind = pats[set[i]].kind;
		kp[i].text = pats[set[i]].text;
	}
	if (kcs_compile(kp, n, NULL, &dfa, &text, &err)) {
		free(kp);
		return -1;
	}
	if (kcs_dfa_verify(dfa.data, dfa.len, &d, &why) ||
	    kcs_text_verify(text.data, text.len, (u32)n) ||
	    d.naccept != n) {
		printf("# blob rejected by the kernel verifier: %s\n",
		       why ? why : "text blob or naccept");
		bad = 1;
		goto out;
	}
	for (k = 0; k < npaths; k++) {
		u32 want = 0, got;

		for (i = 0; i < n && !want; i++)
			if (ref_match(&pats[set[i]].ref, paths[k]))
				want = (u32)i + 1;
		got = kcs_dfa_accept(&d, kcs_dfa_walk(&d, d.start, paths[k],
						      strlen(paths[k])));
		(*checks)++;
		if (got == want)
			continue;
		bad++;
		if (mismatches_shown++ < 20) {
			printf("# mismatch on \"%s\": got %u, want %u; set:",
			       paths[k], got, want);
			for (i = 0; i < n; i++)
				printf(" %s'%s'", pats[set[i]].kind ==
				       KCS_PATTERN_MASK ? "m:" : "r:",
				       pats[set[i]].text);
			putchar('\n');
		}
	}
out:
	kcs_blob_free(&dfa);
	kcs_blob_free(&text);
	free(kp);
	return bad;
}

/* ---- the pattern pool ---- */

#define MAX_PATS 1200

static struct pat pats[MAX_PATS];
static size_t npats;

static const char *const edge_regex[] = {
	"/bin/sh", "^/bin/sh$", "/usr/(s)?bin/[a-z]+", "a|b", "(a|)b", "()",
	"(a*)*", "(a|b)*a(a|b){3}", "a{0}", "a{0,0}b", "a{2,}", "(ab){1,3}",
	"[]]", "[^]a]", "[a-]", "[-a]", "[[:alpha:][:digit:]]+", "\\.\\*",
	".*", "/.*/", "x*", "^(a)?b", "[/-a]*", "[^/]+", "((a|b)(c|/))+",
	"(a+)+b", "\\(", "a\\|b", "[[:space:][:punct:]]", "[\\]", "[.]",
	"}", "a}", "/a$", "^$", "(((a)))", "a|b|c|", "[^a-z]",
};

static const char *const edge_mask[] = {
	"/bin/*", "/bin/sh", "/*", "/a*b", "/**", "/a\\*", "/a\\\\*", "/",
	"/a/*/b", "/*a*",
};

static int add_pat(enum kcs_pattern_kind kind, const char *text)
{
	struct pat *p = &pats[npats];
	struct kcs_pattern kp = { kind, text, NULL, 0 };
	struct kcs_compile_error err;
	struct kcs_blob dfa, text_blob;
	int glibc_ok;

	if (npats >= MAX_PATS || strlen(text) >= sizeof(p->text))
		return 0;
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	strcpy(p->text, text);
	p->valid = kcs_compile(&kp, 1, NULL, &dfa, &text_blob, &err) == 0;
	kcs_blob_free(&dfa);
	kcs_blob_free(&text_blob);
	if (!p->valid)
		return 0;
	/* Both the bare and the wrapped regex must be valid for glibc. */
	glibc_ok = ref_init(&p->ref, kind, p->text) == 0;
	if (!glibc_ok) {
		printf("# accepted '%s', which regcomp refuses\n", text);
		return -1;
	}
	npats++;
	return 1;
}

static void free_pats(void)
{
	size_t i;

	for (i = 0; i < npats; i++)
		ref_free(&pats[i].ref);
	for (i = 0; i < npaths; i++)
		free(paths[i]);
}

static void run_singles(size_t from, size_t to, const char *name)
{
	size_t i, checks = 0;
	long bad = 0, r;

	for (i = from; i < to; i++) {
		r = check_set(pats, &i, 1, &checks);
		bad += r < 0 ? 1 : r;
	}
	tap_ok(bad == 0, "%s: %zu patterns singly, %zu path checks, %ld bad",
	   name, to - from, checks, bad);
}

static void run_random_sets(size_t count, size_t maxn)
{
	size_t set[64], i, k, checks = 0, skipped = 0;
	long bad = 0, r;

	for (i = 0; i < count; i++) {
		size_t n = 2 + rnd((uint32_t)maxn - 1);

		for (k = 0; k < n; k++)
			set[k] = rnd((uint32_t)npats);
		r = check_set(pats, set, n, &checks);
		if (r < 0)
			skipped++;	/* too many states: tested elsewhere */
		else
			bad += r;
	}
	tap_ok(bad == 0 && skipped < count / 10,
	   "%zu random sets of 2..%zu: %zu path checks, %ld bad, %zu too large",
	   count, maxn, checks, bad, skipped);
}

int main(int argc, char **argv)
{
	size_t i, nedge, refused = 0, mut_accepted = 0;
	char pat[128], sample[PATH_MAX_LEN + 1];
	int r, glibc_bad = 0;

	rng_state = argc > 1 ? strtoull(argv[1], NULL, 0) : 0x6b637321ULL;
	if (!rng_state)
		rng_state = 1;
	printf("# seed 0x%llx\n", (unsigned long long)rng_state);

	for (i = 0; i < sizeof(edge_regex) / sizeof(edge_regex[0]); i++) {
		r = add_pat(KCS_PATTERN_REGEX, edge_regex[i]);
		glibc_bad |= r < 0;
		if (r == 0)
			printf("# edge regex '%s' refused\n", edge_regex[i]);
		add_path(edge_regex[i]);
	}
	for (i = 0; i < sizeof(edge_mask) / sizeof(edge_mask[0]); i++) {
		if (add_pat(KCS_PATTERN_MASK, edge_mask[i]) <= 0)
			printf("# edge mask '%s' refused\n", edge_mask[i]);
		add_path(edge_mask[i]);
	}
	nedge = npats;
	tap_ok(nedge == sizeof(edge_regex) / sizeof(edge_regex[0]) +
	   sizeof(edge_mask) / sizeof(edge_mask[0]) && !glibc_bad,
	   "all %zu edge patterns accepted", nedge);

	for (i = 0; i < 700; i++) {
		size_t pn = 0, sn = 0;

		/* put() drops what does not fit: retry until it all did. */
		do {
			pn = sn = 0;
			pat[0] = sample[0] = 0;
			gen_regex(1 + (int)rnd(2), pat, &pn, sample, &sn);
		} while (pn > 100);
		add_path(sample);
		if (rnd(4) == 0) {
			mutate(pat);
			r = add_pat(KCS_PATTERN_REGEX, pat);
			mut_accepted += r > 0;
			refused += r == 0;
		} else {
			r = add_pat(KCS_PATTERN_REGEX, pat);
			refused += r == 0;
			if (r == 0)	/* the grammar only makes valid EREs */
				printf("# refused generated '%s'\n", pat);
			glibc_bad |= r == 0;
		}
		glibc_bad |= r < 0;
	}
	for (i = 0; i < 250; i++) {
		gen_mask(pat, sample);
		add_pat(KCS_PATTERN_MASK, pat);
		add_path(sample);
	}
	tap_ok(!glibc_bad, "never accepts a regex glibc refuses (%zu refused, %zu mutants accepted)",
	   refused, mut_accepted);
	random_paths(500);

	run_singles(0, nedge, "edge cases");
	run_singles(nedge, npats, "random patterns");
	run_random_sets(300, 8);
	run_random_sets(20, 40);

	free_pats();
	printf("# %d passed, %d failed\n", tap_n - tap_failed, tap_failed);
	return tap_done();
}
