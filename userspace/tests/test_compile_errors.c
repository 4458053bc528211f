// SPDX-License-Identifier: GPL-2.0
/*
 * Every way a pattern set can be refused: the error must name the right
 * pattern (index), the right byte (pos) and say what is wrong (a fragment
 * of msg). Also the state-explosion guard, which must stop early and blame
 * the one pattern that explodes on its own, or the combination.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kcs.h>

#include "compile.h"
#include "dfa.h"
#include "tap.h"

#define R KCS_PATTERN_REGEX
#define M KCS_PATTERN_MASK

struct bad {
	enum kcs_pattern_kind kind;
	const char *text;
	size_t pos;
	const char *msg;	/* must appear in err.msg */
};

static const struct bad bad[] = {
	{ R, "", 0, "empty pattern" },
	{ M, "", 0, "empty pattern" },
	{ M, "bin/*", 0, "mask must start with '/'" },
	{ M, "/bin/\\x", 5, "must be followed by '*' or '\\'" },
	{ M, "/bin\\", 4, "must be followed" },
	{ R, "/a(b", 2, "unmatched '(' at byte 2" },
	{ R, "/a(b(c)", 2, "unmatched '('" },
	{ R, "/a)b", 2, "unmatched ')'" },
	{ R, "/a[bc", 2, "unmatched '['" },
	{ R, "/a[[:alpha:]", 2, "unmatched '['" },
	{ R, "[[:alpah:]]", 1, "unknown character class" },
	{ R, "[[:alpha]", 1, "unterminated character class" },
	{ R, "[[=a=]]", 1, "equivalence classes" },
	{ R, "[[.a.]]", 1, "collating" },
	{ R, "[z-a]", 1, "invalid range" },
	{ R, "[a-c-e]", 4, "'-' must be first or last" },
	{ R, "a**", 2, "nested quantifier" },
	{ R, "a+?", 2, "nested quantifier" },
	{ R, "a{2}*", 4, "nested quantifier" },
	{ R, "*a", 0, "quantifier follows nothing" },
	{ R, "a|+b", 2, "quantifier follows nothing" },
	{ R, "(*a)", 1, "quantifier follows nothing" },
	{ R, "a{256}", 2, "repeat count exceeds 255" },
	{ R, "a{1,999999999999}", 4, "repeat count exceeds 255" },
	{ R, "a{3,2}", 1, "max below min" },
	{ R, "a{,2}", 1, "invalid interval" },
	{ R, "a{2", 1, "invalid interval" },
	{ R, "a{x}", 1, "invalid interval" },
	{ R, "(a)\\1", 3, "back-references are not supported" },
	{ R, "a\\w", 1, "unsupported escape" },
	/* GNU anchors, not literals (found by fuzz_compile). */
	{ R, "'\\`$", 1, "unsupported escape" },
	{ R, "a\\'", 1, "unsupported escape" },
	{ R, "\\<a", 0, "unsupported escape" },
	{ R, "a\\>", 1, "unsupported escape" },
	{ R, "a\\", 1, "trailing backslash" },
	{ R, "a^b", 1, "'^' is only allowed at the start" },
	{ R, "(^a)", 1, "'^' is only allowed at the start" },
	{ R, "a$b", 1, "'$' is only allowed at the end" },
	{ R, "(a$)", 2, "'$' is only allowed at the end" },
	{ R, "((((a))))))", 9, "unmatched ')'" },
};

static void test_bad_patterns(void)
{
	struct kcs_pattern set[3] = {
		{ M, "/ok/first", NULL, 0 }, { R, "/ok/second", NULL, 0 }, { 0, NULL, NULL, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kcs_compile_error err;
		struct kcs_blob dfa = { (void *)1, 1 }, text = { (void *)1, 1 };
		int r;

		/* The bad one goes last: the index must say which. */
		set[2].kind = bad[i].kind;
		set[2].text = bad[i].text;
		r = kcs_compile(set, 3, NULL, &dfa, &text, &err);
		tap_ok(r == -1 && err.index == 2 && err.pos == bad[i].pos &&
		   strstr(err.msg, bad[i].msg) && !dfa.data && !dfa.len &&
		   !text.data && !text.len,
		   "%s '%s' refused at byte %zu: %s", bad[i].kind == M ?
		   "mask" : "regex", bad[i].text, err.pos, err.msg);
	}
}

static void test_nesting(void)
{
	static char deep[2000];
	struct kcs_pattern p = { R, deep, NULL, 0 };
	struct kcs_compile_error err;
	struct kcs_blob dfa, text;
	size_t i;
	int r;

	/* Deep but allowed nesting compiles; deeper is refused, not a crash. */
	for (i = 0; i < 200; i++)
		deep[i] = '(';
	deep[200] = 'a';
	for (i = 0; i < 200; i++)
		deep[201 + i] = ')';
	deep[401] = 0;
	r = kcs_compile(&p, 1, NULL, &dfa, &text, &err);
	tap_ok(r == 0, "200 nested groups compile");
	kcs_blob_free(&dfa);
	kcs_blob_free(&text);
	for (i = 0; i < 900; i++)
		deep[i] = '(';
	deep[900] = 0;
	r = kcs_compile(&p, 1, NULL, &dfa, &text, &err);
	tap_ok(r == -1 && err.index == 0 && strstr(err.msg, "nested too deeply"),
	   "900 nested groups refused: %s", err.msg);

	/* Counted repeats multiply: refuse before allocating the world. */
	p.text = "((((a{255}){255}){255}){255})";
	r = kcs_compile(&p, 1, NULL, &dfa, &text, &err);
	tap_ok(r == -1 && err.index == 0 && strstr(err.msg, "pattern too large"),
	   "repeat expansion bomb refused: %s", err.msg);
}

static void test_explosion(void)
{
	/* The minimal DFA of (a|b)*a(a|b){n} has 2^(n+1) states. */
	struct kcs_pattern set[4] = {
		{ M, "/bin/*", NULL, 0 },
		{ R, "/x(a|b)*a(a|b){18}", NULL, 0 },
		{ R, "/usr/bin/[a-z]+", NULL, 0 },
		{ R, "/y(a|b)*a(a|b){3}", NULL, 0 },
	};
	struct kcs_compile_limits lim = { .max_states = 5000 };
	struct kcs_compile_error err;
	struct kcs_blob dfa, text;
	int r;

	r = kcs_compile(set, 4, &lim, &dfa, &text, &err);
	tap_ok(r == -1 && err.index == 1 && strstr(err.msg, "5000 DFA states"),
	   "explosion blamed on pattern 1: %s", err.msg);

	/* Small alone, too big together: the set is to blame. */
	set[1].text = "/(a|b)*a(a|b){8}";
	set[3].text = "/(a|b)*b(a|b){8}";
	lim.max_states = 1000;
	r = kcs_compile(set, 4, &lim, &dfa, &text, &err);
	tap_ok(r == -1 && err.index == -1 && strstr(err.msg, "combination"),
	   "combined explosion blamed on the set: %s", err.msg);

	/* Same set, default limit: compiles, and the kernel accepts it. */
	r = kcs_compile(set, 4, NULL, &dfa, &text, &err);
	if (r == 0) {
		struct kcs_dfa d;
		const char *why = "";

		r = kcs_dfa_verify(dfa.data, dfa.len, &d, &why);
		printf("# %u states\n", d.nstates);
	}
	tap_ok(r == 0, "same set within the default limit");
	kcs_blob_free(&dfa);
	kcs_blob_free(&text);
}

/*
 * Events quote the pattern that decided: one may be KCS_TEXT_ENTRY_MAX - 1
 * bytes long, not more, and a longer one is blamed by index.
 */
static void test_long_pattern(void)
{
	struct kcs_pattern p[2] = { { M, "/a", NULL, 0 }, { M, NULL, NULL, 0 } };
	char *s = malloc(KCS_TEXT_ENTRY_MAX + 1);
	struct kcs_compile_error err;
	struct kcs_blob dfa, text;
	int r;

	if (!s) {
		tap_ok(0, "out of memory");
		return;
	}
	memset(s, 'x', KCS_TEXT_ENTRY_MAX);
	s[0] = '/';
	s[KCS_TEXT_ENTRY_MAX - 1] = '\0';
	p[1].text = s;
	r = kcs_compile(p, 2, NULL, &dfa, &text, &err);
	tap_ok(r == 0 && kcs_text_verify(text.data, text.len, 2) == 0,
	       "a pattern of %u bytes compiles and its text verifies",
	       KCS_TEXT_ENTRY_MAX - 1);
	kcs_blob_free(&dfa);
	kcs_blob_free(&text);
	s[KCS_TEXT_ENTRY_MAX - 1] = 'x';
	s[KCS_TEXT_ENTRY_MAX] = '\0';
	r = kcs_compile(p, 2, NULL, &dfa, &text, &err);
	tap_ok(r == -1 && err.index == 1 && strstr(err.msg, "more than the 4095 allowed") &&
	       !dfa.data && !text.data,
	       "one byte longer is refused, blamed on pattern 1: %s", err.msg);
	free(s);
}

static void test_misc(void)
{
	struct kcs_pattern p[2] = { { M, "/a", NULL, 0 }, { R, NULL, NULL, 0 } };
	struct kcs_compile_error err;
	struct kcs_blob dfa, text;
	struct kcs_dfa d;
	const char *why;
	int r;

	r = kcs_compile(p, 2, NULL, &dfa, &text, &err);
	tap_ok(r == -1 && err.index == 1, "NULL text refused: %s", err.msg);
	p[1].kind = (enum kcs_pattern_kind)7;
	p[1].text = "/a";
	r = kcs_compile(p, 2, NULL, &dfa, &text, &err);
	tap_ok(r == -1 && err.index == 1 && strstr(err.msg, "unknown pattern kind"),
	   "unknown kind refused: %s", err.msg);

	/* The empty set is valid and matches nothing. */
	r = kcs_compile(NULL, 0, NULL, &dfa, &text, &err);
	tap_ok(r == 0 && kcs_dfa_verify(dfa.data, dfa.len, &d, &why) == 0 &&
	   d.nstates == 1 && d.naccept == 0 && text.len == 0 &&
	   kcs_text_verify(text.data, text.len, 0) == 0 &&
	   kcs_dfa_accept(&d, kcs_dfa_walk(&d, d.start, "/bin/sh", 7)) == 0,
	   "empty set: one dead state, accepts nothing");
	kcs_blob_free(&dfa);
	kcs_blob_free(&text);

	r = kcs_compile(p, KCS_MAX_PATTERNS + 1, NULL, &dfa, &text, &err);
	tap_ok(r == -1 && err.index == -1, "too many patterns: %s", err.msg);

	test_long_pattern();
}

int main(void)
{
	test_bad_patterns();
	test_nesting();
	test_explosion();
	test_misc();
	printf("# %d passed, %d failed\n", tap_n - tap_failed, tap_failed);
	return tap_done();
}
