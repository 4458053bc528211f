// SPDX-License-Identifier: GPL-2.0
/*
 * Syntax tree to Thompson NFA. Every fragment ends in a fresh epsilon state
 * whose 'out' is patched by the caller, which keeps the construction
 * index-based (the state array moves when it grows). Epsilon states cost a
 * little memory but vanish in subset construction, which keeps only the
 * byte-consuming and accepting states of each closure.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "pipeline.h"

struct frag {
	uint32_t start, end;
};

struct builder {
	struct nfa *nfa;
	const struct ast *a;
	size_t limit;		/* state count this pattern must stay under */
	int too_big, nomem;
};

static uint32_t hash_set(const struct byteset *s)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL;
	int k;

	for (k = 0; k < 4; k++)
		h = (h ^ s->w[k]) * 0xff51afd7ed558ccdULL;
	return (uint32_t)(h >> 32);
}

/* Id of @s in the NFA's table of distinct sets, adding it if new. */
static int set_id(struct nfa *nfa, const struct byteset *s, uint32_t *id)
{
	size_t mask, i;

	if (nfa->nsets * 2 >= nfa->set_tab_size) {
		size_t size = nfa->set_tab_size ? nfa->set_tab_size * 2 : 256;
		uint32_t *tab = calloc(size, sizeof(*tab));
		size_t k;

		if (!tab)
			return -1;
		for (k = 0; k < nfa->nsets; k++) {
			i = hash_set(&nfa->sets[k]) & (size - 1);
			while (tab[i])
				i = (i + 1) & (size - 1);
			tab[i] = (uint32_t)k + 1;
		}
		free(nfa->set_tab);
		nfa->set_tab = tab;
		nfa->set_tab_size = size;
	}
	mask = nfa->set_tab_size - 1;
	for (i = hash_set(s) & mask; nfa->set_tab[i]; i = (i + 1) & mask) {
		if (!memcmp(&nfa->sets[nfa->set_tab[i] - 1], s, sizeof(*s))) {
			*id = nfa->set_tab[i] - 1;
			return 0;
		}
	}
	if (grow((void **)&nfa->sets, &nfa->setcap, nfa->nsets + 1,
		 sizeof(*nfa->sets)))
		return -1;
	nfa->sets[nfa->nsets] = *s;
	nfa->set_tab[i] = (uint32_t)nfa->nsets + 1;
	*id = (uint32_t)nfa->nsets++;
	return 0;
}

static uint32_t new_state(struct builder *b, enum nfa_kind kind)
{
	struct nfa *nfa = b->nfa;
	struct nfa_state *st;

	/* Sticky failure: checking the last of several calls is enough. */
	if (b->too_big || b->nomem)
		return NFA_NONE;
	if (nfa->n >= b->limit) {
		b->too_big = 1;
		return NFA_NONE;
	}
	if (grow((void **)&nfa->st, &nfa->cap, nfa->n + 1, sizeof(*nfa->st))) {
		b->nomem = 1;
		return NFA_NONE;
	}
	st = &nfa->st[nfa->n];
	st->kind = kind;
	st->out = st->out2 = NFA_NONE;
	st->arg = 0;
	return (uint32_t)nfa->n++;
}

#define ST(b, i) ((b)->nfa->st[i])

static int emit(struct builder *b, uint32_t node, struct frag *f);

static int emit_empty(struct builder *b, struct frag *f)
{
	f->start = f->end = new_state(b, NFA_EPS);
	return f->start == NFA_NONE ? -1 : 0;
}

static int emit_set(struct builder *b, const struct byteset *set,
		    struct frag *f)
{
	uint32_t id;

	if (set_id(b->nfa, set, &id)) {
		b->nomem = 1;
		return -1;
	}
	f->start = new_state(b, NFA_CHAR);
	f->end = new_state(b, NFA_EPS);
	if (f->end == NFA_NONE)
		return -1;
	ST(b, f->start).arg = id;
	ST(b, f->start).out = f->end;
	return 0;
}

static int emit_cat(struct builder *b, uint32_t child, struct frag *f)
{
	struct frag c;

	if (child == AST_NONE)
		return emit_empty(b, f);
	if (emit(b, child, f))
		return -1;
	for (child = b->a->nodes[child].next; child != AST_NONE;
	     child = b->a->nodes[child].next) {
		if (emit(b, child, &c))
			return -1;
		ST(b, f->end).out = c.start;
		f->end = c.end;
	}
	return 0;
}

/* A chain of splits, one per child but the last. */
static int emit_alt(struct builder *b, uint32_t child, struct frag *f)
{
	uint32_t prev = NFA_NONE, sp;
	struct frag c;

	f->end = new_state(b, NFA_EPS);
	if (f->end == NFA_NONE)
		return -1;
	for (; child != AST_NONE; child = b->a->nodes[child].next) {
		if (emit(b, child, &c))
			return -1;
		ST(b, c.end).out = f->end;
		sp = c.start;
		if (b->a->nodes[child].next != AST_NONE) {
			sp = new_state(b, NFA_SPLIT);
			if (sp == NFA_NONE)
				return -1;
			ST(b, sp).out = c.start;
		}
		if (prev == NFA_NONE)
			f->start = sp;
		else
			ST(b, prev).out2 = sp;
		prev = sp;
	}
	return 0;
}

/*
 * x{m,n}: m copies in a row, then either a loop (n unbounded) or n - m
 * nested optional copies, x(x(x)?)?, so no copy is reachable two ways.
 */
static int emit_repeat(struct builder *b, const struct ast_node *nd,
		       struct frag *f)
{
	unsigned int min = nd->min, max = nd->max, k;
	uint32_t child = nd->child, sp, end;
	struct frag c;

	if (emit_empty(b, f))
		return -1;
	for (k = 0; k < min; k++) {
		if (emit(b, child, &c))
			return -1;
		ST(b, f->end).out = c.start;
		f->end = c.end;
		if (max == AST_INF && k + 1 == min) {
			/* x+ for the last copy: loop back to its start. */
			sp = new_state(b, NFA_SPLIT);
			end = new_state(b, NFA_EPS);
			if (end == NFA_NONE)
				return -1;
			ST(b, f->end).out = sp;
			ST(b, sp).out = c.start;
			ST(b, sp).out2 = end;
			f->end = end;
			return 0;
		}
	}
	if (max == AST_INF) {	/* min == 0: x* */
		sp = new_state(b, NFA_SPLIT);
		end = new_state(b, NFA_EPS);
		if (end == NFA_NONE || emit(b, child, &c))
			return -1;
		ST(b, f->end).out = sp;
		ST(b, sp).out = c.start;
		ST(b, sp).out2 = end;
		ST(b, c.end).out = sp;
		f->end = end;
		return 0;
	}
	end = new_state(b, NFA_EPS);
	if (end == NFA_NONE)
		return -1;
	for (k = min; k < max; k++) {
		sp = new_state(b, NFA_SPLIT);
		if (sp == NFA_NONE || emit(b, child, &c))
			return -1;
		ST(b, f->end).out = sp;
		ST(b, sp).out = c.start;
		ST(b, sp).out2 = end;
		f->end = c.end;
	}
	ST(b, f->end).out = end;
	f->end = end;
	return 0;
}

static int emit(struct builder *b, uint32_t node, struct frag *f)
{
	const struct ast_node *nd = &b->a->nodes[node];

	switch (nd->kind) {
	case AST_EMPTY:
		return emit_empty(b, f);
	case AST_SET:
		return emit_set(b, &nd->set, f);
	case AST_CAT:
		return emit_cat(b, nd->child, f);
	case AST_ALT:
		return emit_alt(b, nd->child, f);
	default:
		return emit_repeat(b, nd, f);
	}
}

int nfa_add(struct nfa *nfa, const struct ast *a, uint32_t index,
	    size_t max_states, struct kcs_compile_error *err)
{
	struct builder b = { .nfa = nfa, .a = a };
	size_t before = nfa->n;
	uint32_t acc;
	struct frag f;

	/* Keep every index below NFA_NONE whatever the caller allows. */
	b.limit = nfa->n + max_states;
	if (b.limit > NFA_NONE - 1 || b.limit < nfa->n)
		b.limit = NFA_NONE - 1;
	if (emit(&b, a->root, &f) || (acc = new_state(&b, NFA_ACCEPT)) ==
	    NFA_NONE || grow((void **)&nfa->starts, &nfa->startcap,
			     nfa->nstarts + 1, sizeof(*nfa->starts))) {
		nfa->n = before;	/* drop the partial pattern */
		if (b.too_big)
			return err_set(err, index, 0,
				       "pattern too large: repeats expand to more than %zu automaton states",
				       max_states);
		return err_set(err, index, 0, "out of memory");
	}
	nfa->st[acc].arg = index;
	nfa->st[f.end].out = acc;
	nfa->starts[nfa->nstarts++] = f.start;
	return 0;
}

void nfa_free(struct nfa *nfa)
{
	free(nfa->st);
	free(nfa->sets);
	free(nfa->set_tab);
	free(nfa->starts);
	memset(nfa, 0, sizeof(*nfa));
}
