// SPDX-License-Identifier: GPL-2.0
/*
 * DFA minimization in O(m log n) for partial DFAs: the partition
 * refinement of Valmari and Lehtinen ("Efficient minimization of DFAs with
 * partial transition functions", 2008), implemented here from the paper's
 * description. States are refined by "cords" (transition sets, first one per
 * class) and cords by blocks; each split keeps the larger half in place and
 * queues the smaller, the Hopcroft trick that gives the log factor.
 *
 * The algorithm does not merge states with the missing (dead) state, so
 * states that cannot reach acceptance are trimmed first; what remains
 * refines to the minimal DFA minus its dead state, which we then add back
 * as state 0. The initial partition is by accept value, so two states merge
 * only if every input gives them the same lowest accepting pattern.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "pipeline.h"

/* A refinable partition of 0..n-1; marked elements sit at a set's front. */
struct part {
	uint32_t z;
	uint32_t *elems, *loc, *sidx, *first, *past, *marked, *touched;
	uint32_t nt;
};

static int part_alloc(struct part *p, size_t n)
{
	size_t k = n + 1;

	memset(p, 0, sizeof(*p));
	p->elems = malloc(k * sizeof(uint32_t));
	p->loc = malloc(k * sizeof(uint32_t));
	p->sidx = malloc(k * sizeof(uint32_t));
	p->first = malloc(k * sizeof(uint32_t));
	p->past = malloc(k * sizeof(uint32_t));
	p->marked = calloc(k, sizeof(uint32_t));
	p->touched = malloc(k * sizeof(uint32_t));
	return p->elems && p->loc && p->sidx && p->first && p->past &&
	       p->marked && p->touched ? 0 : -1;
}

static void part_free(struct part *p)
{
	free(p->elems);
	free(p->loc);
	free(p->sidx);
	free(p->first);
	free(p->past);
	free(p->marked);
	free(p->touched);
}

/* Sets are given as runs of elems[] with equal key; fill the rest. */
static void part_runs(struct part *p, size_t n, const uint32_t *key)
{
	size_t i;

	p->z = 0;
	for (i = 0; i < n; i++) {
		if (i == 0 || key[p->elems[i]] != key[p->elems[i - 1]]) {
			if (p->z)
				p->past[p->z - 1] = (uint32_t)i;
			p->first[p->z++] = (uint32_t)i;
		}
		p->loc[p->elems[i]] = (uint32_t)i;
		p->sidx[p->elems[i]] = p->z - 1;
	}
	if (p->z)
		p->past[p->z - 1] = (uint32_t)n;
}

static void mark(struct part *p, uint32_t e)
{
	uint32_t s = p->sidx[e], i = p->loc[e], j = p->first[s] + p->marked[s];

	if (i < j)
		return;
	p->elems[i] = p->elems[j];
	p->loc[p->elems[i]] = i;
	p->elems[j] = e;
	p->loc[e] = j;
	if (p->marked[s]++ == 0)
		p->touched[p->nt++] = s;
}

static void split(struct part *p)
{
	while (p->nt) {
		uint32_t s = p->touched[--p->nt], j = p->first[s] + p->marked[s];
		uint32_t z = p->z, i;

		if (j == p->past[s]) {
			p->marked[s] = 0;
			continue;
		}
		if (p->marked[s] <= p->past[s] - j) {
			p->first[z] = p->first[s];
			p->past[z] = p->first[s] = j;
		} else {
			p->past[z] = p->past[s];
			p->first[z] = p->past[s] = j;
		}
		for (i = p->first[z]; i < p->past[z]; i++)
			p->sidx[p->elems[i]] = z;
		p->marked[s] = p->marked[z] = 0;
		p->z++;
	}
}

/* live[s] = 1 when s reaches an accepting state. */
static int trim(const struct dfa *in, uint8_t *live)
{
	uint32_t n = in->nstates, m = in->toff[n], s, *roff, *rsrc, *queue;
	size_t k, qh = 0, qt = 0;

	roff = calloc((size_t)n + 1, sizeof(*roff));
	rsrc = malloc(((size_t)m + 1) * sizeof(*rsrc));
	queue = malloc(((size_t)n + 1) * sizeof(*queue));
	if (!roff || !rsrc || !queue) {
		free(roff);
		free(rsrc);
		free(queue);
		return -1;
	}
	for (k = 0; k < m; k++)
		roff[in->tto[k]]++;
	for (s = 0, k = 0; s < n; s++) {	/* roff[s]: end of s's run */
		k += roff[s];
		roff[s] = (uint32_t)k;
	}
	roff[n] = m;
	for (s = n; s-- > 0;)
		for (k = in->toff[s + 1]; k-- > in->toff[s];)
			rsrc[--roff[in->tto[k]]] = s;
	memset(live, 0, n);
	for (s = 0; s < n; s++)
		if (in->accept[s]) {
			live[s] = 1;
			queue[qt++] = s;
		}
	while (qh < qt) {
		uint32_t t = queue[qh++];

		for (k = roff[t]; k < roff[t + 1]; k++)
			if (!live[rsrc[k]]) {
				live[rsrc[k]] = 1;
				queue[qt++] = rsrc[k];
			}
	}
	free(roff);
	free(rsrc);
	free(queue);
	return 0;
}

struct mz {
	uint32_t n, m;		/* live states, transitions between them */
	uint32_t *tail, *head, *label, *accept;
	uint32_t *adj, *aoff;	/* incoming transitions per state */
	uint32_t *toff;		/* outgoing, as in the input */
	struct part B, C;
};

static void mz_free(struct mz *z)
{
	free(z->tail);
	free(z->head);
	free(z->label);
	free(z->accept);
	free(z->adj);
	free(z->aoff);
	free(z->toff);
	part_free(&z->B);
	part_free(&z->C);
}

/* Compact the live part of @in into @z; @id maps old states to new. */
static int mz_load(struct mz *z, const struct dfa *in, const uint8_t *live,
		   uint32_t *id)
{
	uint32_t s, k, cnt[257] = { 0 }, i, maxacc = 0, *acnt;

	z->n = z->m = 0;
	for (s = 0; s < in->nstates; s++)
		id[s] = live[s] ? z->n++ : UINT32_MAX;
	for (k = 0; k < in->toff[in->nstates]; k++)
		z->m += live[in->tto[k]];	/* a live target makes a live source */
	z->tail = malloc(((size_t)z->m + 1) * sizeof(uint32_t));
	z->head = malloc(((size_t)z->m + 1) * sizeof(uint32_t));
	z->label = malloc(((size_t)z->m + 1) * sizeof(uint32_t));
	z->accept = malloc(((size_t)z->n + 1) * sizeof(uint32_t));
	z->adj = malloc(((size_t)z->m + 1) * sizeof(uint32_t));
	z->aoff = calloc((size_t)z->n + 2, sizeof(uint32_t));
	z->toff = malloc(((size_t)z->n + 1) * sizeof(uint32_t));
	if (!z->tail || !z->head || !z->label || !z->accept || !z->adj ||
	    !z->aoff || !z->toff || part_alloc(&z->B, z->n) ||
	    part_alloc(&z->C, z->m))
		return -1;
	for (s = 0, i = 0; s < in->nstates; s++) {
		if (!live[s])
			continue;
		z->accept[id[s]] = in->accept[s];
		z->toff[id[s]] = i;
		for (k = in->toff[s]; k < in->toff[s + 1]; k++) {
			if (!live[in->tto[k]])
				continue;
			z->tail[i] = id[s];
			z->head[i] = id[in->tto[k]];
			z->label[i] = in->tcls[k];
			i++;
		}
	}
	z->toff[z->n] = i;

	/* Blocks: states grouped by accept value (counting sort). */
	for (s = 0; s < z->n; s++)
		maxacc = z->accept[s] > maxacc ? z->accept[s] : maxacc;
	acnt = calloc((size_t)maxacc + 2, sizeof(*acnt));
	if (!acnt)
		return -1;
	for (s = 0; s < z->n; s++)
		acnt[z->accept[s] + 1]++;
	for (k = 1; k <= maxacc + 1; k++)
		acnt[k] += acnt[k - 1];
	for (s = 0; s < z->n; s++)
		z->B.elems[acnt[z->accept[s]]++] = s;
	free(acnt);
	part_runs(&z->B, z->n, z->accept);

	/* Cords: transitions grouped by class (counting sort). */
	for (i = 0; i < z->m; i++)
		cnt[z->label[i] + 1]++;
	for (k = 1; k < 257; k++)
		cnt[k] += cnt[k - 1];
	for (i = 0; i < z->m; i++)
		z->C.elems[cnt[z->label[i]]++] = i;
	part_runs(&z->C, z->m, z->label);

	/* Incoming transitions of each state. */
	for (i = 0; i < z->m; i++)
		z->aoff[z->head[i] + 1]++;
	for (s = 0; s < z->n; s++)
		z->aoff[s + 1] += z->aoff[s];
	for (i = 0; i < z->m; i++)
		z->adj[z->aoff[z->head[i]]++] = i;
	for (s = z->n; s > 0; s--)
		z->aoff[s] = z->aoff[s - 1];
	z->aoff[0] = 0;
	return 0;
}

static void refine(struct mz *z)
{
	uint32_t b = 0, c = 0, i, j;

	while (c < z->C.z) {
		for (i = z->C.first[c]; i < z->C.past[c]; i++)
			mark(&z->B, z->tail[z->C.elems[i]]);
		split(&z->B);
		c++;
		while (b < z->B.z) {
			for (i = z->B.first[b]; i < z->B.past[b]; i++) {
				uint32_t s = z->B.elems[i];

				for (j = z->aoff[s]; j < z->aoff[s + 1]; j++)
					mark(&z->C, z->adj[j]);
			}
			split(&z->C);
			b++;
		}
	}
}

/* Number blocks breadth-first from the start, dead state 0; emit. */
static int emit(const struct mz *z, uint32_t start, struct dfa *out)
{
	uint32_t nb = z->B.z, *num, *order, qh = 0, qt = 0, k, t = 0;

	out->nstates = nb + 1;
	num = calloc((size_t)nb + 1, sizeof(*num));
	order = malloc(((size_t)nb + 1) * sizeof(*order));
	out->accept = calloc((size_t)nb + 1, sizeof(uint32_t));
	out->toff = calloc((size_t)nb + 2, sizeof(uint32_t));
	/* A block's transitions are those of any one of its states. */
	out->tcls = malloc((size_t)z->m + 1);
	out->tto = malloc(((size_t)z->m + 1) * sizeof(uint32_t));
	if (!num || !order || !out->accept || !out->toff || !out->tcls ||
	    !out->tto) {
		free(num);
		free(order);
		return -1;
	}
	order[qt++] = z->B.sidx[start];
	num[z->B.sidx[start]] = 1;
	out->start = 1;
	while (qh < qt) {
		uint32_t blk = order[qh++];
		uint32_t rep = z->B.elems[z->B.first[blk]];

		out->accept[qh] = z->accept[rep];
		out->toff[qh] = t;
		for (k = z->toff[rep]; k < z->toff[rep + 1]; k++) {
			uint32_t hb = z->B.sidx[z->head[k]];

			if (!num[hb]) {
				num[hb] = qt + 1;
				order[qt++] = hb;
			}
			out->tcls[t] = (uint8_t)z->label[k];
			out->tto[t++] = num[hb];
		}
	}
	out->toff[qh + 1] = t;
	free(num);
	free(order);
	return 0;
}

int dfa_minimize(const struct dfa *in, struct dfa *out)
{
	struct mz z;
	uint8_t *live = NULL;
	uint32_t *id = NULL;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	memset(&z, 0, sizeof(z));
	live = malloc((size_t)in->nstates + 1);
	id = malloc(((size_t)in->nstates + 1) * sizeof(*id));
	if (!live || !id || trim(in, live))
		goto out;
	if (!in->nstates || !live[in->start]) {
		/* Nothing is ever accepted: the dead state alone. */
		out->nstates = 1;
		out->accept = calloc(1, sizeof(uint32_t));
		out->toff = calloc(2, sizeof(uint32_t));
		ret = out->accept && out->toff ? 0 : -1;
		goto out;
	}
	if (mz_load(&z, in, live, id))
		goto out;
	refine(&z);
	ret = emit(&z, id[in->start], out);
out:
	if (ret)
		dfa_free(out);
	mz_free(&z);
	free(live);
	free(id);
	return ret;
}
