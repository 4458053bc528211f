// SPDX-License-Identifier: GPL-2.0
/*
 * kcs_compile(): the pipeline front to back, plus the limits that keep a
 * hostile or careless pattern set from eating the machine:
 *
 *   parse (regex_parse.c, mask.c) -> Thompson NFA (nfa.c) -> byte classes
 *   (alphabet.c) -> subset construction (subset.c) -> minimization
 *   (minimize.c) -> comb packing (comb.c).
 *
 * The state limit applies to the unminimized DFA, which is what costs
 * memory while we build it; the result never has more states.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kcs.h>

#include "ast.h"
#include "internal.h"
#include "pipeline.h"

/* NFA states one pattern may expand to (counted repeats multiply). */
#define MAX_NFA_PER_PATTERN	(1u << 20)
/*
 * Transitions of the unminimized DFA. The blob holds at most
 * KCS_DFA_MAX_BYTES / 8 table entries, and minimization needs ~40 bytes per
 * transition, so beyond this the set could not load anyway in practice.
 */
#define MAX_DFA_TRANS		((size_t)KCS_DFA_MAX_BYTES / 8)
/* Work limits are capped so that no sum of them can wrap. */
#define MAX_WORK		(1ULL << 60)
/*
 * Finding the pattern to blame for a failed set may take as many steps as
 * the failed attempt plus this many times one pattern's work limit, so a
 * refusal costs a bounded amount of work however many patterns there are.
 */
#define EXPLAIN_WORK		2

/* The text the text blob holds for @p (see struct kcs_pattern). */
static size_t text_len(const struct kcs_pattern *p)
{
	return strlen(p->text) +
	       (p->program ? strlen(" (program )") + strlen(p->program) : 0);
}

static int parse_text(enum kcs_pattern_kind kind, const char *text,
		      struct ast *a, uint32_t index,
		      struct kcs_compile_error *err)
{
	if (kind == KCS_PATTERN_MASK)
		return mask_parse(text, a, err);
	if (kind == KCS_PATTERN_REGEX)
		return regex_parse(text, a, err);
	return err_set(err, index, 0, "unknown pattern kind %d", (int)kind);
}

static uint32_t nul_node(struct ast *a)
{
	uint32_t n = ast_new(a, AST_SET);

	if (n != AST_NONE)
		bs_add(&a->nodes[n].set, 0);
	return n;
}

/*
 * @a holds the tree of @p's path: make it "\0" PROGRAM "\0" PATH. The
 * program's tree is parsed into @b and its nodes appended to @a's.
 */
static int scope_to_program(struct ast *a, struct ast *b,
			    const struct kcs_pattern *p, uint32_t index,
			    struct kcs_compile_error *err)
{
	uint32_t off = (uint32_t)a->n, path = a->root, prog, nul1, nul2, cat;
	size_t i;

	if (parse_text(p->program_kind, p->program, b, index, err)) {
		err->in_program = 1;
		return -1;
	}
	for (i = 0; i < b->n; i++) {
		struct ast_node *nd;
		uint32_t k = ast_new(a, AST_EMPTY);

		if (k == AST_NONE)
			return err_set(err, index, 0, "out of memory");
		nd = &a->nodes[k];
		*nd = b->nodes[i];
		if (nd->child != AST_NONE)
			nd->child += off;
		if (nd->next != AST_NONE)
			nd->next += off;
	}
	prog = b->root + off;
	nul1 = nul_node(a);
	nul2 = nul_node(a);
	cat = ast_new(a, AST_CAT);
	if (nul1 == AST_NONE || nul2 == AST_NONE || cat == AST_NONE)
		return err_set(err, index, 0, "out of memory");
	a->nodes[cat].child = nul1;
	a->nodes[nul1].next = prog;
	a->nodes[prog].next = nul2;
	a->nodes[nul2].next = path;
	a->root = cat;
	return 0;
}

static int add_pattern(struct nfa *nfa, struct ast *a, struct ast *b,
		       const struct kcs_pattern *p, uint32_t index,
		       struct kcs_compile_error *err)
{
	if (!p->text)
		return err_set(err, index, 0, "pattern text is missing");
	/* Events quote the pattern that decided, whole (uapi kcs.h). */
	if (text_len(p) >= KCS_TEXT_ENTRY_MAX)
		return err_set(err, index, 0,
			       "pattern is %zu bytes long, more than the %u allowed",
			       text_len(p), KCS_TEXT_ENTRY_MAX - 1);
	if (parse_text(p->kind, p->text, a, index, err) ||
	    (p->program && scope_to_program(a, b, p, index, err))) {
		err->index = index;
		return -1;
	}
	return nfa_add(nfa, a, index, MAX_NFA_PER_PATTERN, err);
}

/* Parse @n patterns starting at @first into one NFA and its classes. */
static int build_nfa(const struct kcs_pattern *pats, size_t first, size_t n,
		     struct nfa *nfa, struct alphabet *ab,
		     struct kcs_compile_error *err)
{
	struct ast a = { 0 }, b = { 0 };
	size_t i;
	int r = 0;

	memset(nfa, 0, sizeof(*nfa));
	memset(ab, 0, sizeof(*ab));
	for (i = first; i < first + n && !r; i++)
		r = add_pattern(nfa, &a, &b, &pats[i], (uint32_t)i, err);
	ast_free(&a);
	ast_free(&b);
	if (!r && alphabet_build(nfa, ab))
		r = err_set(err, -1, 0, "out of memory");
	if (r) {
		nfa_free(nfa);
		alphabet_free(ab);
	}
	return r;
}

/* Subset construction of patterns [first, first + n); fills @err on NOMEM. */
static enum subset_result determinize(const struct kcs_pattern *pats,
				      size_t first, size_t n,
				      const struct subset_limits *lim,
				      struct subset_work *work, struct dfa *d,
				      struct kcs_compile_error *err)
{
	struct alphabet ab;
	struct nfa nfa;
	enum subset_result r;

	if (build_nfa(pats, first, n, &nfa, &ab, err))
		return SUBSET_NOMEM;
	r = subset_build(&nfa, &ab, lim, work, d);
	nfa_free(&nfa);
	alphabet_free(&ab);
	if (r == SUBSET_NOMEM)
		err_set(err, -1, 0, "out of memory");
	return r;
}

static int too_big(struct kcs_compile_error *err, long index,
		   enum subset_result why, const struct subset_limits *lim)
{
	const char *who = index < 0 ? "the combination of patterns" :
			  "pattern alone";

	if (why == SUBSET_STATES)	/* the dead state comes on top */
		return err_set(err, index, 0, "%s needs more than %zu DFA states",
			       who, lim->max_states + 1);
	if (why == SUBSET_WORK)
		return err_set(err, index, 0,
			       "%s takes more than %llu steps plus %llu per DFA state to determinize",
			       who, (unsigned long long)lim->work,
			       (unsigned long long)lim->work_per_state);
	if (why == SUBSET_PATTERN_WORK)
		return err_set(err, index, 0,
			       "pattern is too costly to determinize: its NFA states in DFA states exceed %llu per DFA state by more than %llu in all (a repeated group that can match the empty string?)",
			       (unsigned long long)lim->work_per_state,
			       (unsigned long long)lim->pattern_work);
	return err_set(err, index, 0, "%s needs more than %zu DFA transitions",
		       who, MAX_DFA_TRANS);
}

/*
 * The set is too big. Name the first pattern that is too big alone, if
 * any, since that is the one to fix; otherwise blame the combination.
 * Patterns that fit alone are usually cheap to determinize; once trying
 * them has cost as much as the failed attempt plus EXPLAIN_WORK times one
 * pattern's work limit, the combination is blamed.
 */
static int explain_explosion(const struct kcs_pattern *pats, size_t n,
			     const struct subset_limits *lim,
			     enum subset_result why, struct subset_work *work,
			     struct kcs_compile_error *err)
{
	uint64_t cap = 2 * work->steps + EXPLAIN_WORK * lim->pattern_work;
	struct subset_limits one = *lim;
	enum subset_result r;
	uint64_t before;
	struct dfa d;
	size_t i;

	if (why == SUBSET_PATTERN_WORK)	/* charged to that pattern alone */
		return too_big(err, work->pattern, why, lim);
	if (n == 1)
		return too_big(err, 0, why, lim);
	for (i = 0; i < n && work->steps < cap; i++) {
		one.work_cap = cap - work->steps;
		if (one.work_cap > lim->work_cap)
			one.work_cap = lim->work_cap;
		before = work->steps;
		r = determinize(pats, i, 1, &one, work, &d, err);
		dfa_free(&d);
		if (r == SUBSET_NOMEM)
			return -1;
		if (r == SUBSET_WORK && one.work_cap < lim->work_cap &&
		    work->steps - before > one.work_cap)
			break;		/* out of budget: not known to be too big */
		if (r != SUBSET_OK)
			return too_big(err, (long)i, r, lim);
	}
	return too_big(err, -1, why, lim);
}

static int make_text(const struct kcs_pattern *pats, size_t n,
		     struct kcs_blob *text, struct kcs_compile_error *err)
{
	size_t i, len = 0, l;
	char *p;

	for (i = 0; i < n; i++)
		len += text_len(&pats[i]) + 1;
	if (len > KCS_TEXT_MAX_BYTES)
		return err_set(err, -1, 0,
			       "pattern texts take %zu bytes, more than the %u allowed",
			       len, KCS_TEXT_MAX_BYTES);
	if (!len)
		return 0;
	p = malloc(len);
	if (!p)
		return err_set(err, -1, 0, "out of memory");
	text->data = p;
	text->len = len;
	for (i = 0; i < n; i++) {
		l = text_len(&pats[i]) + 1;
		if (pats[i].program)
			snprintf(p, l, "%s (program %s)", pats[i].text,
				 pats[i].program);
		else
			memcpy(p, pats[i].text, l);
		p += l;
	}
	return 0;
}

int kcs_compile(const struct kcs_pattern *pats, size_t n,
		const struct kcs_compile_limits *limits,
		struct kcs_blob *dfa, struct kcs_blob *text,
		struct kcs_compile_error *err)
{
	size_t max_states = KCS_DFA_MAX_STATES;
	struct subset_limits lim = {
		.max_trans = MAX_DFA_TRANS, .work = KCS_COMPILE_WORK,
		.pattern_work = KCS_COMPILE_PATTERN_WORK,
		.work_per_state = KCS_COMPILE_WORK_PER_STATE,
		.work_cap = MAX_WORK,
	};
	struct subset_work work = { 0 };
	struct dfa raw, min;
	struct alphabet ab;
	struct nfa nfa;
	enum subset_result r;
	int ret = -1;
	size_t i;

	memset(dfa, 0, sizeof(*dfa));
	memset(text, 0, sizeof(*text));
	memset(err, 0, sizeof(*err));
	err->index = -1;
	/* Never above what the module accepts; the dead state counts. */
	if (limits && limits->max_states && limits->max_states < max_states)
		max_states = limits->max_states;
	if (max_states < 2)	/* the dead state plus one */
		max_states = 2;
	lim.max_states = max_states - 1;
	if (limits && limits->max_work)
		lim.work = limits->max_work;
	if (limits && limits->max_pattern_work)
		lim.pattern_work = limits->max_pattern_work;
	if (lim.work > MAX_WORK)
		lim.work = MAX_WORK;
	if (lim.pattern_work > MAX_WORK)
		lim.pattern_work = MAX_WORK;
	if (n > KCS_MAX_PATTERNS)
		return err_set(err, -1, 0, "%zu patterns, more than the %u allowed",
			       n, KCS_MAX_PATTERNS);
	if (n && !pats)
		return err_set(err, -1, 0, "no pattern array");

	if (build_nfa(pats, 0, n, &nfa, &ab, err))
		return -1;
	r = subset_build(&nfa, &ab, &lim, &work, &raw);
	nfa_free(&nfa);
	if (r == SUBSET_NOMEM) {
		err_set(err, -1, 0, "out of memory");
		goto out_ab;
	}
	if (r != SUBSET_OK) {
		explain_explosion(pats, n, &lim, r, &work, err);
		goto out_ab;
	}
	ret = dfa_minimize(&raw, &min);
	dfa_free(&raw);
	if (ret) {
		err_set(err, -1, 0, "out of memory");
		goto out_ab;
	}
	ret = comb_pack(&min, &ab, (uint32_t)n, &dfa->data, &dfa->len);
	dfa_free(&min);
	if (ret) {
		err_set(err, -1, 0, "out of memory");
		goto out_ab;
	}
	if (dfa->len > KCS_DFA_MAX_BYTES) {
		ret = err_set(err, -1, 0,
			      "compiled set takes %zu bytes, more than the %u allowed",
			      dfa->len, KCS_DFA_MAX_BYTES);
		goto out_ab;
	}
	for (i = 0; i < n; i++)
		if (pats[i].program)
			((struct kcs_dfa_hdr *)dfa->data)->flags |=
				KCS_DFA_F_PROGRAM;
	ret = make_text(pats, n, text, err);
out_ab:
	alphabet_free(&ab);
	err->work = work.steps;
	if (ret) {
		kcs_blob_free(dfa);
		kcs_blob_free(text);
	}
	return ret;
}

void kcs_blob_free(struct kcs_blob *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
}
