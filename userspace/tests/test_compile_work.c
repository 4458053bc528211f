// SPDX-License-Identifier: GPL-2.0
/*
 * The compiler's work limit: a group that can match the empty string,
 * repeated many times, makes every DFA state's closure span most of the
 * NFA. Such a pattern must be refused after a bounded number of counted
 * steps (err.work; never a timing), blamed by index, while legitimate sets
 * with the same kind of cost spread over many patterns ("/<star>/name")
 * still compile. Also: the same input gives the same count, and refusing
 * a set costs a bounded amount of work however many patterns it has.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kcs.h>

#include "compile.h"
#include "dfa.h"
#include "profile_build.h"
#include "tap.h"

#define R KCS_PATTERN_REGEX
#define M KCS_PATTERN_MASK

/*
 * What refusing these patterns may cost in all. The per-pattern limit is
 * on the members of its closures (beyond the first 1024 of each, and these
 * have thousands); each member costs a few steps to reach, and sorting and
 * hashing the closure add a log factor.
 */
#define PATTERN_REFUSAL_MAX	(KCS_COMPILE_PATTERN_WORK * 64)

/* The most steps a refusal took in test_bombs_refused(). */
static uint64_t bomb_work;

static const char *const bombs[] = {
	"((a|b|){255}){255}",
	"/x((a|b|c|){255}){255}",
	"(((a|b|c|){40}){40}){40}/y",
	"((a|b|){255}){8}",
};

/* Patterns that look alike but are fine: one level of repeat, or small. */
static const char *const fine[] = {
	"(a|b|){255}",
	"(a|b|){0,255}",
	"((a|b|c|){15}){15}",
	"(((a|b|c|){6}){6}){6}",
	"/opt/(a|b|)*/(x|y|)+",
};

static struct kcs_compile_error compile(const struct kcs_pattern *p,
					size_t n,
					const struct kcs_compile_limits *lim,
					int *ret)
{
	struct kcs_compile_error err;
	struct kcs_blob dfa = { (void *)1, 1 }, text = { (void *)1, 1 };

	*ret = kcs_compile(p, n, lim, &dfa, &text, &err);
	if (*ret && (dfa.data || dfa.len || text.data || text.len)) {
		tap_diag("blobs left after a refusal");
		*ret = -2;
	}
	kcs_blob_free(&dfa);
	kcs_blob_free(&text);
	return err;
}

static void test_bombs_refused(void)
{
	struct kcs_pattern set[3] = { { M, "/ok/first", NULL, 0 }, { M, "/usr/*", NULL, 0 } };
	struct kcs_compile_error err;
	size_t i;
	int r;

	for (i = 0; i < sizeof(bombs) / sizeof(bombs[0]); i++) {
		set[2].kind = R;
		set[2].text = bombs[i];
		err = compile(set, 3, NULL, &r);
		tap_ok(r == -1 && err.index == 2 && err.pos == 0 &&
		       strstr(err.msg, "too costly to determinize"),
		       "'%s' refused, blamed on pattern 2: %s", bombs[i], err.msg);
		if (err.work > bomb_work)
			bomb_work = err.work;
		tap_ok(err.work > KCS_COMPILE_PATTERN_WORK &&
		       err.work <= PATTERN_REFUSAL_MAX,
		       "'%s' refused after %llu steps (at most %llu)", bombs[i],
		       (unsigned long long)err.work,
		       (unsigned long long)PATTERN_REFUSAL_MAX);
	}
}

/* The first pattern at fault is named, wherever it is in a large set. */
static void test_bomb_in_large_set(void)
{
	enum { N = 2000, BAD = 1234 };
	struct kcs_pattern *set = calloc(N, sizeof(*set));
	char (*buf)[48] = calloc(N, sizeof(*buf));
	struct kcs_compile_error err;
	size_t i;
	int r;

	if (!tap_ok(set && buf, "allocate a large set")) {
		free(set);
		free(buf);
		return;
	}
	for (i = 0; i < N; i++) {
		snprintf(buf[i], sizeof(buf[i]), "/usr/lib/app%zu/bin/tool%zu",
			 i * 7919 % 100000, i % 97);
		set[i].kind = M;
		set[i].text = buf[i];
	}
	set[BAD].kind = R;
	set[BAD].text = bombs[0];
	err = compile(set, N, NULL, &r);
	tap_ok(r == -1 && err.index == BAD &&
	       strstr(err.msg, "too costly to determinize"),
	       "bomb at %d of %d blamed: index %ld, %s", BAD, N, err.index,
	       err.msg);
	tap_ok(err.work <= PATTERN_REFUSAL_MAX,
	       "refused after %llu steps", (unsigned long long)err.work);
	free(set);
	free(buf);
}

static void test_fine_compiles(void)
{
	struct kcs_pattern p = { R, NULL, NULL, 0 };
	struct kcs_compile_error err;
	struct kcs_blob dfa, text;
	struct kcs_dfa d;
	const char *why = "";
	size_t i;
	int r;

	for (i = 0; i < sizeof(fine) / sizeof(fine[0]); i++) {
		p.text = fine[i];
		r = kcs_compile(&p, 1, NULL, &dfa, &text, &err);
		tap_ok(r == 0 && !kcs_dfa_verify(dfa.data, dfa.len, &d, &why) &&
		       err.work > 0 && err.work < PATTERN_REFUSAL_MAX,
		       "'%s' compiles in %llu steps%s%s", fine[i],
		       (unsigned long long)err.work, r ? ": " : "",
		       r ? err.msg : "");
		kcs_blob_free(&dfa);
		kcs_blob_free(&text);
	}
	/* And the result is right: 255 of a|b at most, then nothing. */
	p.text = fine[0];
	if (kcs_compile(&p, 1, NULL, &dfa, &text, &err) == 0 &&
	    kcs_dfa_verify(dfa.data, dfa.len, &d, &why) == 0) {
		char s[300];

		memset(s, 'a', sizeof(s));
		tap_ok(kcs_dfa_accept(&d, kcs_dfa_walk(&d, d.start, s, 255)) == 1 &&
		       kcs_dfa_accept(&d, kcs_dfa_walk(&d, d.start, s, 0)) == 1 &&
		       kcs_dfa_accept(&d, kcs_dfa_walk(&d, d.start, s, 256)) == 0,
		       "(a|b|){255} matches 0..255 letters, not 256");
	} else {
		tap_ok(0, "(a|b|){255} compiles: %s", err.msg);
	}
	kcs_blob_free(&dfa);
	kcs_blob_free(&text);
}

/*
 * N patterns with a loop each ("/<star>/toolI"): every DFA state holds a
 * member of each, so the set's cost grows as N squared, but no pattern
 * has many members in a state. Such a set compiles although it costs
 * more steps than refusing a bomb did. With the set's limit lowered it is
 * the combination that is refused, and trying the patterns alone is cheap.
 */
static void test_spread_cost(void)
{
	enum { N = 300 };
	struct kcs_pattern set[N] = { 0 };
	char buf[N][24];
	struct kcs_compile_limits lim = { 0 };
	struct kcs_compile_error err, again;
	uint64_t full;
	size_t i;
	int r;

	for (i = 0; i < N; i++) {
		snprintf(buf[i], sizeof(buf[i]), "/*/tool%zu", i);
		set[i].kind = M;
		set[i].text = buf[i];
	}
	err = compile(set, N, NULL, &r);
	full = err.work;
	tap_ok(r == 0 && full > bomb_work,
	       "%d looping masks compile in %llu steps, more than a refusal (%llu)",
	       N, (unsigned long long)full, (unsigned long long)bomb_work);

	lim.max_work = full / 4;
	lim.max_states = 100000;
	err = compile(set, N, &lim, &r);
	tap_ok(r == -1 && err.index == -1 && strstr(err.msg, "combination") &&
	       strstr(err.msg, "steps"),
	       "with a quarter of the steps: the combination is blamed: %s",
	       err.msg);
	/* The attempt, then each pattern alone (cheap), nothing else. */
	tap_ok(err.work < full / 4 + full / 8,
	       "refusal took %llu steps, below the limit plus an eighth",
	       (unsigned long long)err.work);
	again = compile(set, N, &lim, &r);
	tap_ok(again.work == err.work && !strcmp(again.msg, err.msg),
	       "the count is the same every time (%llu)",
	       (unsigned long long)again.work);
}

/*
 * Blaming costs a bounded amount: with many patterns that are each
 * costly alone but within the limit, the search for the culprit gives up
 * and blames the combination instead of trying them all.
 */
static void test_explain_bounded(void)
{
	enum { N = 200 };
	struct kcs_pattern set[N] = { 0 };
	struct kcs_compile_limits lim = {
		.max_work = 1 << 20, .max_pattern_work = 1 << 20,
	};
	struct kcs_compile_error one, err;
	size_t i;
	int r;

	for (i = 0; i < N; i++) {
		set[i].kind = R;
		set[i].text = "(a|b|){100}";
	}
	one = compile(set, 1, &lim, &r);
	tap_ok(r == 0 && one.work > 1000, "one alone compiles in %llu steps",
	       (unsigned long long)one.work);
	err = compile(set, N, &lim, &r);
	tap_ok(r == -1 && err.index == -1 && strstr(err.msg, "combination"),
	       "%d of them: the combination is blamed: %s", N, err.msg);
	/* Attempt (limit + one state's overshoot), twice that, 2 limits. */
	tap_ok(err.work < 8 * (1 << 20) && err.work < N * one.work,
	       "blaming stopped early: %llu steps, not %d tries",
	       (unsigned long long)err.work, N);
}

/* Through kcsadm's profile compiler: exit code 3, JSON location, byte 0. */
static void test_profile_error(void)
{
	static const char json[] =
		"{\"name\":\"x\",\"exec\":{\"mode\":\"block\",\"rules\":[\"/a\","
		"{\"regex\":\"((a|b|){255}){255}\"}]}}";
	static const char loc[] = "exec.rules[1]: regex error at byte 0: ";
	struct kcs_profile_spec s;
	struct kcs_compiled_profile cp;
	struct kcs_err err = { 0 };
	int ret;

	ret = kcs_profile_parse(json, strlen(json), "t", &s, &err);
	if (!tap_ok(ret == 0, "bomb profile parses: %s", err.msg))
		return;
	ret = kcs_profile_compile(&s, &cp, &err);
	tap_ok(ret == -1 && err.code == KCS_EXIT_INVALID,
	       "bomb profile fails with exit %d", KCS_EXIT_INVALID);
	tap_ok(!strncmp(err.msg, loc, strlen(loc)) &&
	       strstr(err.msg, "too costly to determinize"),
	       "names the rule: %s", err.msg);
	kcs_profile_free(&s);
}

int main(void)
{
	test_bombs_refused();
	test_bomb_in_large_set();
	test_fine_compiles();
	test_spread_cost();
	test_explain_bounded();
	test_profile_error();
	printf("# %d passed, %d failed\n", tap_n - tap_failed, tap_failed);
	return tap_done();
}
