// SPDX-License-Identifier: GPL-2.0
/*
 * Comb compression and serialization of a minimized DFA (the layout of
 * struct kcs_dfa_hdr in uapi/linux/kcs.h, version 2).
 *
 * Every state gets a default target, dflt[s]: the target most of its row
 * goes to. Only the other entries of the row (its "exceptions") are stored.
 * That is what keeps a broad rule cheap: under "/usr/" plus thousands of
 * literals, every trie state sends almost every byte to the state of the
 * broad rule, and a dead-only default would store all of them.
 *
 * The exceptions of each state are dropped into one shared next/check table
 * at an offset (base) where they all land on free slots; check[] records
 * the owner of every slot, so rows may interleave and even share a base.
 * States go in by decreasing exception count (first-fit decreasing): the
 * dense rows find room while the table is empty and the many one-entry
 * rows then fill the holes.
 */
#include <stdlib.h>
#include <string.h>

#include <linux/kcs.h>

#include "internal.h"
#include "pipeline.h"

/* Candidate bases tried per row before it goes past everything placed. */
#define MAX_TRIES	1024
/* A row that needed more tries than this moves its size's search start. */
#define HINT_TRIES	32

/* The rows to pack: per state its default and its exceptions. */
struct rows {
	uint32_t *dflt;		/* nstates */
	uint32_t *off;		/* nstates + 1 offsets into cls/to */
	uint8_t *cls;		/* exception classes, ascending per state */
	uint32_t *to;
};

static void rows_free(struct rows *r)
{
	free(r->dflt);
	free(r->off);
	free(r->cls);
	free(r->to);
}

/*
 * Choose each state's default and list the rest of its row. A row of the
 * minimized DFA lists only live targets; every unlisted class goes to the
 * dead state, which therefore competes for the default like any target
 * and wins ties (so a sparse row packs exactly as it would without
 * defaults). The default covers at least the dead entries' count, so a
 * state never has more exceptions than listed transitions.
 */
static int rows_build(const struct dfa *d, unsigned int nclasses,
		      struct rows *r)
{
	uint32_t n = d->nstates, s, k, c, e = 0;
	uint32_t *count, row[256];
	size_t m = d->toff[n];

	r->dflt = malloc(((size_t)n + 1) * sizeof(*r->dflt));
	r->off = malloc(((size_t)n + 1) * sizeof(*r->off));
	r->cls = malloc(m + 1);
	r->to = malloc((m + 1) * sizeof(*r->to));
	/* Per-target tallies, zeroed again after each row: O(m) in all. */
	count = calloc((size_t)n + 1, sizeof(*count));
	if (!r->dflt || !r->off || !r->cls || !r->to || !count) {
		free(count);
		rows_free(r);
		return -1;
	}
	for (s = 0; s < n; s++) {
		uint32_t best = 0, bestn = nclasses - (d->toff[s + 1] - d->toff[s]);

		for (k = d->toff[s]; k < d->toff[s + 1]; k++)
			if (++count[d->tto[k]] > bestn) {
				bestn = count[d->tto[k]];
				best = d->tto[k];
			}
		memset(row, 0, nclasses * sizeof(row[0]));
		for (k = d->toff[s]; k < d->toff[s + 1]; k++) {
			count[d->tto[k]] = 0;
			row[d->tcls[k]] = d->tto[k];
		}
		r->dflt[s] = best;
		r->off[s] = e;
		for (c = 0; c < nclasses; c++)
			if (row[c] != best) {
				r->cls[e] = (uint8_t)c;
				r->to[e++] = row[c];
			}
	}
	r->off[n] = e;
	free(count);
	return 0;
}

struct table {
	uint32_t *next, *check;
	uint32_t *free_from;	/* union-find: a free slot at or after i */
	size_t cap;
};

static void table_free(struct table *t)
{
	free(t->next);
	free(t->check);
	free(t->free_from);
}

static int table_reserve(struct table *t, size_t need)
{
	size_t old = t->cap, cap = old;

	if (need <= old)
		return 0;
	if (grow((void **)&t->check, &cap, need, sizeof(*t->check)))
		return -1;
	cap = old;
	if (grow((void **)&t->next, &cap, need, sizeof(*t->next)))
		return -1;
	cap = old;
	if (grow((void **)&t->free_from, &cap, need, sizeof(*t->free_from)))
		return -1;
	if (cap > UINT32_MAX)
		return -1;
	memset(t->check + old, 0xff, (cap - old) * sizeof(*t->check));
	memset(t->next + old, 0, (cap - old) * sizeof(*t->next));
	for (; old < cap; old++)
		t->free_from[old] = (uint32_t)old;
	t->cap = cap;
	return 0;
}

/* First free slot at or after @i (path halving keeps this near O(1)). */
static size_t free_slot(struct table *t, size_t i)
{
	while (t->free_from[i] != i) {
		t->free_from[i] = t->free_from[t->free_from[i]];
		i = t->free_from[i];
	}
	return i;
}

static int fits(const struct table *t, size_t base, const uint8_t *cls,
		size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (t->check[base + cls[k]] != KCS_DFA_NO_STATE)
			return 0;
	return 1;
}

/*
 * Fill base[] and the table with the exceptions of @r; returns ntrans or 0
 * on allocation failure. A state without exceptions gets base 0: no slot
 * is checked for it, so every lookup falls to its default.
 */
static size_t pack(const struct rows *r, uint32_t n, unsigned int nclasses,
		   uint32_t *base, struct table *t)
{
	uint32_t s, *order, cnt[258] = { 0 };
	size_t firstfree = 0, hiwater = 0, ntrans = nclasses, i, k;
	size_t hint[257] = { 0 };	/* per row size: where to search from */

	order = malloc(((size_t)n + 1) * sizeof(*order));
	if (!order || table_reserve(t, nclasses))
		goto fail;
	/* Counting sort by decreasing exception count. */
	for (s = 0; s < n; s++)
		cnt[nclasses - (r->off[s + 1] - r->off[s]) + 1]++;
	for (k = 1; k < 258; k++)
		cnt[k] += cnt[k - 1];
	for (s = 0; s < n; s++)
		order[cnt[nclasses - (r->off[s + 1] - r->off[s])]++] = s;

	for (i = 0; i < n; i++) {
		const uint8_t *cls;
		size_t deg, b, tries = 0;

		s = order[i];
		deg = r->off[s + 1] - r->off[s];
		base[s] = 0;
		if (!deg)
			continue;
		cls = r->cls + r->off[s];
		b = firstfree > cls[0] ? firstfree - cls[0] : 0;
		/*
		 * A row of this size had a hard time finding room below
		 * hint[deg]: what is left there is mostly holes too small for
		 * it, which wait for the smaller rows that come later.
		 * Searching them again for every row would exhaust the tries
		 * each time, for thousands of rows such as "NUL to dead, one
		 * byte to the next trie state" (quadratic time, and each row
		 * pushed past the end).
		 */
		if (hint[deg] > b)
			b = hint[deg];
		/* Everything this row can touch, fallback included. */
		if (table_reserve(t, (b > hiwater ? b : hiwater) + nclasses + 1))
			goto fail;
		for (;;) {
			/* Only bases where the first entry lands free. */
			b = free_slot(t, b + cls[0]) - cls[0];
			if (fits(t, b, cls, deg))
				break;
			if (++tries > MAX_TRIES) {
				b = hiwater;	/* all free from here on */
				break;
			}
			b++;
		}
		if (tries > HINT_TRIES)
			hint[deg] = b;
		base[s] = (uint32_t)b;
		for (k = 0; k < deg; k++) {
			t->check[b + cls[k]] = s;
			t->next[b + cls[k]] = r->to[r->off[s] + k];
			t->free_from[b + cls[k]] = (uint32_t)(b + cls[k] + 1);
		}
		/* Classes ascend, so the last one is the row's highest slot. */
		if (b + cls[deg - 1] + 1 > hiwater)
			hiwater = b + cls[deg - 1] + 1;
		if (b + nclasses > ntrans)
			ntrans = b + nclasses;
		firstfree = free_slot(t, firstfree);
	}
	free(order);
	return ntrans;
fail:
	free(order);
	return 0;
}

/* Append @n words of @src at *@p. */
static void put_words(uint32_t **p, const uint32_t *src, size_t n)
{
	memcpy(*p, src, n * sizeof(**p));
	*p += n;
}

int comb_pack(const struct dfa *d, const struct alphabet *ab,
	      uint32_t naccept, void **blob, size_t *len)
{
	struct table t = { 0 };
	struct rows r;
	struct kcs_dfa_hdr *h;
	uint32_t *base = NULL, *p;
	size_t ntrans = 0, bytes;
	uint8_t *out = NULL;

	*blob = NULL;
	*len = 0;
	if (rows_build(d, ab->nclasses, &r))
		return -1;
	base = malloc(((size_t)d->nstates + 1) * sizeof(*base));
	if (base)
		ntrans = pack(&r, d->nstates, ab->nclasses, base, &t);
	bytes = sizeof(*h) + 256 + 12 * (size_t)d->nstates + 8 * ntrans;
	if (ntrans && ntrans <= UINT32_MAX)
		out = malloc(bytes);
	if (!out)
		goto out;
	h = (struct kcs_dfa_hdr *)out;
	memset(h, 0, sizeof(*h));
	h->magic = KCS_DFA_MAGIC;
	h->version = KCS_DFA_VERSION;
	h->hdr_len = sizeof(*h);
	h->nstates = d->nstates;
	h->nclasses = ab->nclasses;
	h->start = d->start;
	h->ntrans = (uint32_t)ntrans;
	h->naccept = naccept;
	memcpy(out + sizeof(*h), ab->classmap, 256);
	p = (uint32_t *)(out + sizeof(*h) + 256);
	put_words(&p, d->accept, d->nstates);
	put_words(&p, base, d->nstates);
	put_words(&p, r.dflt, d->nstates);
	put_words(&p, t.next, ntrans);
	put_words(&p, t.check, ntrans);
	*blob = out;
	*len = bytes;
out:
	rows_free(&r);
	table_free(&t);
	free(base);
	return out ? 0 : -1;
}
