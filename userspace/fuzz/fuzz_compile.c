// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the pattern compiler against independent oracles.
 *
 * The input is split on '\n'. The chunks up to the first empty one (at
 * most MAX_PATS) are patterns: the chunk's first byte picks the kind (odd:
 * regex, even: mask) and the rest is the text; with bit 1 of that byte
 * set and a '\t' in the text, the pattern is scoped to a program: the
 * program before the '\t', the path after it, both of that kind. Further
 * chunks are paths to try, besides some derived from the patterns, each
 * tried for no program and for each program text (and its derivations). When
 * kcs_compile() accepts the set, its blobs must pass the kernel's own
 * verifier (kmod/dfa.c) and, for every path tried, the lowest pattern the
 * DFA reports (walked as kmod/match.c walks it) must be the lowest pattern
 * the reference matchers of tests/ref_match.c accept (a scoped one: its
 * program and its path both) (glibc regexec on ^(...)$, the mask walker).
 * Accepting a regex glibc refuses is a failure too. Any failure aborts.
 *
 * A small state limit and short inputs keep each run around a millisecond:
 * the fuzzer's strength is the number of runs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kcs.h>

#include "compile.h"
#include "dfa.h"
#include "ref_match.h"

#define MAX_INPUT	512	/* bytes; longer inputs are ignored */
#define MAX_PATS	6
#define MAX_PATHS	24
#define MAX_PROGS	9
#define MAX_STATES	2000
/*
 * Largest product of the counts of {m,n} in one regex (a bound on how
 * much nesting can expand it). Big counts over groups that can match
 * empty make every DFA state's closure span the whole expanded NFA:
 * correct, but a second per run uninstrumented and tens of seconds under
 * the fuzzer, which then spends its time on a few inputs.
 */
#define MAX_COUNT	64

struct input {
	char *pat_text[MAX_PATS];
	char *prog_text[MAX_PATS];
	struct kcs_pattern pats[MAX_PATS];
	size_t npats;
	char *paths[MAX_PATHS];
	size_t npaths;
	char *progs[MAX_PROGS];
	size_t nprogs;
};

/* A NUL-terminated copy of @len bytes (stops at an embedded NUL). */
static char *dup_chunk(const uint8_t *p, size_t len)
{
	char *s = malloc(len + 1);

	if (!s)
		abort();
	memcpy(s, p, len);
	s[len] = 0;
	return s;
}

static void add_path(struct input *in, char *s)
{
	if (in->npaths < MAX_PATHS)
		in->paths[in->npaths++] = s;
	else
		free(s);
}

/* @s without the bytes in @drop, with each '*' replaced by @star. */
static char *rewrite(const char *s, const char *drop, const char *star)
{
	size_t n = 0, sl = strlen(star);
	char *out = malloc(strlen(s) * (sl + 1) + 1);

	if (!out)
		abort();
	for (; *s; s++) {
		if (*s == '*') {
			memcpy(out + n, star, sl);
			n += sl;
		} else if (!strchr(drop, *s)) {
			out[n++] = *s;
		}
	}
	out[n] = 0;
	return out;
}

static void split(struct input *in, const uint8_t *data, size_t size)
{
	size_t start = 0, i;
	int paths = 0;

	memset(in, 0, sizeof(*in));
	for (i = 0; i <= size; i++) {
		if (i < size && data[i] != '\n')
			continue;
		if (!paths && (i == start || in->npats == MAX_PATS))
			paths = 1;
		if (!paths) {
			struct kcs_pattern *p = &in->pats[in->npats];

			char *t, *tab;

			p->kind = data[start] & 1 ? KCS_PATTERN_REGEX :
						    KCS_PATTERN_MASK;
			t = dup_chunk(data + start + 1, i - start - 1);
			tab = strchr(t, '\t');
			if ((data[start] & 2) && tab) {
				*tab = 0;
				in->prog_text[in->npats] = t;
				p->program = t;
				p->program_kind = p->kind;
				t = strdup(tab + 1);
				if (!t)
					abort();
			}
			in->pat_text[in->npats] = t;
			p->text = in->pat_text[in->npats++];
		} else if (i > start || i < size) {
			add_path(in, dup_chunk(data + start, i - start));
		}
		start = i + 1;
	}
	/*
	 * Paths the patterns themselves suggest: a literal pattern matches
	 * its own text, and with the metacharacters dropped or the stars
	 * expanded many regexes and masks match (or just miss) too.
	 */
	add_path(in, dup_chunk((const uint8_t *)"", 0));
	add_path(in, dup_chunk((const uint8_t *)"/", 1));
	for (i = 0; i < in->npats; i++) {
		const char *t = in->pats[i].text;

		add_path(in, dup_chunk((const uint8_t *)t, strlen(t)));
		add_path(in, rewrite(t, "\\()[]{}|?+^$", ""));
		add_path(in, rewrite(t, "\\", "a/b"));
	}
	/* Programs: the same derivations of each program text. */
	for (i = 0; i < in->npats; i++) {
		const char *t = in->prog_text[i];

		if (!t || in->nprogs + 3 > MAX_PROGS)
			continue;
		in->progs[in->nprogs++] = dup_chunk((const uint8_t *)t,
						    strlen(t));
		in->progs[in->nprogs++] = rewrite(t, "\\()[]{}|?+^$", "");
		in->progs[in->nprogs++] = rewrite(t, "\\", "a/b");
	}
}

/* 1 when the counts of some regex of @in multiply past MAX_COUNT. */
static int big_count(const struct input *in)
{
	size_t i;

	for (i = 0; i < in->npats; i++) {
		const char *t = in->pats[i].text;
		unsigned long prod = 1;

		if (in->pats[i].kind != KCS_PATTERN_REGEX)
			continue;
		for (; *t; t++) {
			unsigned long v = 0;

			if (*t != '{' && *t != ',')
				continue;
			while (t[1] >= '0' && t[1] <= '9' && v <= MAX_COUNT)
				v = v * 10 + (unsigned long)(*++t - '0');
			if (v > 1)
				prod *= v;
			if (prod > MAX_COUNT)
				return 1;
		}
	}
	return 0;
}

static void free_input(struct input *in)
{
	size_t i;

	for (i = 0; i < in->npats; i++) {
		free(in->pat_text[i]);
		free(in->prog_text[i]);
	}
	for (i = 0; i < in->npaths; i++)
		free(in->paths[i]);
	for (i = 0; i < in->nprogs; i++)
		free(in->progs[i]);
}

static void die(const char *what, const struct input *in, const char *path,
		u32 got, u32 want)
{
	size_t i;

	fprintf(stderr, "fuzz_compile: %s", what);
	if (path)
		fprintf(stderr, " on \"%s\": got %u, want %u", path, got, want);
	fputs("; set:", stderr);
	for (i = 0; i < in->npats; i++)
		fprintf(stderr, " %s'%s'%s%s", in->pats[i].kind == KCS_PATTERN_MASK ?
			"m:" : "r:", in->pats[i].text,
			in->pats[i].program ? " program " : "",
			in->pats[i].program ? in->pats[i].program : "");
	fputc('\n', stderr);
	abort();
}

/* The lower of two hits (1 + pattern index), 0 being none. */
static u32 first_hit(u32 a, u32 b)
{
	return !a || (b && b < a) ? b : a;
}

/* What kmod/match.c finds for @prog (NULL: none) and @path. */
static u32 dfa_match(const struct kcs_dfa *d, const char *prog,
		     const char *path)
{
	u32 hit = kcs_dfa_accept(d, kcs_dfa_walk(d, d->start, path,
						 strlen(path)));
	u32 s;

	if (!prog || !(d->flags & KCS_DFA_F_PROGRAM))
		return hit;
	s = kcs_dfa_step(d, d->start, 0);
	s = kcs_dfa_walk(d, s, prog, strlen(prog));
	s = s ? kcs_dfa_step(d, s, 0) : 0;
	if (!s)
		return hit;
	return first_hit(hit, kcs_dfa_accept(d, kcs_dfa_walk(d, s, path,
							     strlen(path))));
}

static void check(const struct input *in, const struct kcs_blob *dfa,
		  const struct kcs_blob *text)
{
	struct ref_pattern ref[MAX_PATS], pref[MAX_PATS];
	const char *why = NULL;
	int scoped = 0;
	struct kcs_dfa d;
	size_t i, k, j;

	if (kcs_dfa_verify(dfa->data, dfa->len, &d, &why))
		die(why, in, NULL, 0, 0);
	if (d.naccept != in->npats ||
	    kcs_text_verify(text->data, text->len, (u32)in->npats))
		die("text blob or naccept wrong", in, NULL, 0, 0);
	for (i = 0; i < in->npats; i++) {
		const struct kcs_pattern *p = &in->pats[i];

		scoped |= !!p->program;
		if (ref_init(&ref[i], p->kind, p->text) ||
		    (p->program &&
		     ref_init(&pref[i], p->program_kind, p->program))) {
			die("accepted a regex regcomp refuses", in, NULL, 0, 0);
		}
	}
	if (!!(d.flags & KCS_DFA_F_PROGRAM) != scoped)
		die("KCS_DFA_F_PROGRAM does not say whether patterns are scoped",
		    in, NULL, 0, 0);
	for (j = 0; j <= in->nprogs; j++) {
		const char *prog = j ? in->progs[j - 1] : NULL;

		for (k = 0; k < in->npaths; k++) {
			const char *s = in->paths[k];
			u32 want = 0, got;

			for (i = 0; i < in->npats && !want; i++)
				if ((!in->pats[i].program ||
				     (prog && ref_match(&pref[i], prog))) &&
				    ref_match(&ref[i], s))
					want = (u32)i + 1;
			got = dfa_match(&d, prog, s);
			if (got != want)
				die("mismatch", in, s, got, want);
		}
	}
	for (i = 0; i < in->npats; i++) {
		ref_free(&ref[i]);
		if (in->pats[i].program)
			ref_free(&pref[i]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kcs_compile_limits lim = { .max_states = MAX_STATES };
	struct kcs_compile_error err;
	struct kcs_blob dfa, text;
	struct input in;

	if (size > MAX_INPUT)
		return -1;	/* not added to the corpus */
	split(&in, data, size);
	if (big_count(&in)) {
		free_input(&in);
		return -1;
	}
	if (kcs_compile(in.pats, in.npats, &lim, &dfa, &text, &err) == 0) {
		check(&in, &dfa, &text);
		kcs_blob_free(&dfa);
		kcs_blob_free(&text);
	} else if (dfa.data || dfa.len || text.data || text.len ||
		   !memchr(err.msg, 0, sizeof(err.msg)) || !err.msg[0] ||
		   err.index < -1 || err.index >= (long)in.npats) {
		die("failure left blobs or a bad error", &in, NULL, 0, 0);
	}
	free_input(&in);
	return 0;
}
