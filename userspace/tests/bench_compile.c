// SPDX-License-Identifier: GPL-2.0
/*
 * Compile-time benchmark: a realistic mix of mostly literal paths, some
 * directory masks and some regexes, at 10, 1,000 and 10,000 patterns, then
 * the case that motivated per-state default transitions: 10,000 literals
 * under /usr/lib plus the mask "/usr/<star>", whose every trie state sends
 * almost all bytes to the broad rule's state.
 * Prints time, DFA states, classes, table entries and blob bytes for each.
 * The target is 10,000 patterns in at most one second; exits 1 if that is
 * missed or a blob fails the kernel verifier. argv[1] overrides the
 * largest size of both sets.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/kcs.h>

#include "bench_patterns.h"
#include "compile.h"
#include "dfa.h"

#define TEXT_LEN BENCH_TEXT_LEN

/* Pattern @n - 1 is the broad mask, all others literals under it. */
static void make_broad(size_t i, size_t n, struct kcs_pattern *p, char *buf)
{
	static const char *const tools[] = {
		"tool", "run", "daemon", "helper", "cli", "sh",
	};

	uint32_t id = bench_rnd(100000), t = bench_rnd(6);

	p->kind = KCS_PATTERN_MASK;
	if (i + 1 == n)
		snprintf(buf, TEXT_LEN, "/usr/*");
	else
		snprintf(buf, TEXT_LEN, "/usr/lib/app%u/bin/%s%u", id,
			 tools[t], (unsigned int)i % 97);
	p->text = buf;
}

static int bench(size_t n, int broad, double *secs)
{
	struct kcs_pattern *pats = calloc(n, sizeof(*pats));
	char *texts = malloc(n * TEXT_LEN);
	struct kcs_compile_error err;
	struct kcs_blob dfa, text;
	struct kcs_dfa d;
	const char *why;
	double t0;
	size_t i;
	int ret = -1;

	if (!pats || !texts)
		goto out;
	bench_rng = BENCH_SEED;
	for (i = 0; i < n; i++)
		if (broad)
			make_broad(i, n, &pats[i], texts + i * TEXT_LEN);
		else
			bench_pattern(i, &pats[i], texts + i * TEXT_LEN);
	t0 = bench_now();
	if (kcs_compile(pats, n, NULL, &dfa, &text, &err)) {
		printf("%6zu patterns%s: error (pattern %ld, byte %zu): %s\n",
		       n, broad ? " (broad)" : "", err.index, err.pos, err.msg);
		goto out;
	}
	*secs = bench_now() - t0;
	if (kcs_dfa_verify(dfa.data, dfa.len, &d, &why)) {
		printf("%6zu patterns%s: blob rejected: %s\n", n,
		       broad ? " (broad)" : "", why);
	} else {
		printf("%6zu patterns%s: %8.3f s  %8u states  %3u classes  %9u table entries  %10zu blob bytes  %9zu text bytes\n",
		       n, broad ? " (broad)" : "", *secs, d.nstates,
		       d.nclasses, d.ntrans, dfa.len, text.len);
		ret = 0;
	}
	kcs_blob_free(&dfa);
	kcs_blob_free(&text);
out:
	free(pats);
	free(texts);
	return ret;
}

int main(int argc, char **argv)
{
	size_t big = argc > 1 ? strtoul(argv[1], NULL, 0) : 10000;
	size_t sizes[] = { 10, 1000, big }, k;
	double secs = 0, broad_secs = 0;
	int ret = 0;

	for (k = 0; k < 3; k++)
		if (bench(sizes[k], 0, &secs))
			ret = 1;
	/* big literals plus the broad mask. */
	if (bench(big + 1, 1, &broad_secs))
		ret = 1;
	if (!ret && secs > 1.0) {
		printf("# %zu patterns took %.3f s, over the 1 s target\n",
		       big, secs);
		ret = 1;
	}
	return ret;
}
