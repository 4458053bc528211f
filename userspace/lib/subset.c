// SPDX-License-Identifier: GPL-2.0
/*
 * Subset construction over byte classes. A DFA state is the sorted set of
 * the NFA states that consume a byte or accept (epsilon states are only
 * followed, never stored, so sets that differ only by them coincide). For
 * each state we bucket the successors of its members by class and close
 * each bucket once, so the cost is proportional to the members' transitions
 * rather than to 256 * members.
 *
 * That cost is not bounded by the number of states. A group that can match
 * the empty string, repeated many times, makes almost every closure span
 * most of the pattern's NFA: few states, each costing as much as the whole
 * NFA. So every step is counted, and the construction stops past a
 * budget that grows with the states built (many patterns with loops, such
 * as "/<star>/name", each put a member in every state: legitimate, costly,
 * and within the budget). And the members of each closure are charged to
 * their pattern, beyond a number each closure lets go free: one pattern
 * that puts many members in many states is refused early, and named.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "pipeline.h"

struct sb {
	const struct nfa *nfa;
	const struct alphabet *ab;
	struct dfa *d;
	size_t cap_states, cap_trans;

	uint32_t *pool;		/* members of every DFA state, back to back */
	size_t npool, cap_pool;
	uint32_t *off;		/* state i is pool[off[i] .. off[i + 1]) */
	uint32_t *hash;
	size_t cap_off, cap_hash;
	uint32_t *tab;		/* open addressing: state + 1, 0 empty */
	size_t tab_size;

	uint32_t *stamp, gen;	/* closure: visited in this round */
	uint32_t *stack, *set;	/* closure scratch, nfa->n each */

	size_t cap_tcls, cap_tto, cap_toff;

	const struct subset_limits *lim;
	uint64_t work;		/* steps so far */
	uint32_t *owner;	/* NFA state -> pattern slot (order in nfa) */
	uint64_t *charged;	/* per pattern slot, see charge() */
	uint64_t wlimit;	/* work limit for the current state count */
	uint32_t culprit;	/* slot charged too much, or NFA_NONE */
};

/*
 * Closures of at most this many members are not charged to patterns (they
 * could only lower a charge) nor followed by a check of the limits: it
 * keeps the common case fast.
 */
#define CHARGE_MIN	32

static uint32_t hash_members(const uint32_t *m, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ n;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ m[i]) * 0x100000001b3ULL;
	return (uint32_t)(h ^ (h >> 32));
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static void sort_u32(uint32_t *v, size_t n)
{
	size_t i, j;

	if (n > 24) {
		qsort(v, n, sizeof(*v), cmp_u32);
		return;
	}
	for (i = 1; i < n; i++) {
		uint32_t x = v[i];

		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* What sort_u32() costs, roughly: n log2 n comparisons, or n when short. */
static uint64_t sort_cost(size_t n)
{
	return n > 24 ? (uint64_t)n * (64 - __builtin_clzll(n)) : n;
}

/* @base plus work_per_state for each state built so far, saturating. */
static uint64_t work_limit(const struct sb *sb, uint64_t base)
{
	uint64_t extra = sb->lim->work_per_state * sb->d->nstates;

	return base > UINT64_MAX - extra ? UINT64_MAX : base + extra;
}

/* The set's limit for the number of states built so far. */
static void set_limit(struct sb *sb)
{
	sb->wlimit = work_limit(sb, sb->lim->work);
	if (sb->wlimit > sb->lim->work_cap)
		sb->wlimit = sb->lim->work_cap;
}

static enum subset_result over_work(const struct sb *sb)
{
	if (sb->culprit != NFA_NONE)
		return SUBSET_PATTERN_WORK;
	return sb->work > sb->wlimit ? SUBSET_WORK : SUBSET_OK;
}

/*
 * Charge the @n members in sb->set to their patterns: a leaky bucket, each
 * closure lets work_per_state of a pattern's members go free and charges
 * the rest, and a pattern whose charge passes pattern_work is the culprit.
 * So a pattern may have many members in a few closures, or a few in every
 * closure (a loop such as "/usr/<star>"), but not many in many. A pattern's
 * NFA states are contiguous, so its members are too in the sorted set.
 */
static void charge(struct sb *sb, size_t n)
{
	uint64_t allowance = sb->lim->work_per_state, c;
	size_t i = 0, j;
	uint32_t o;

	while (i < n) {
		o = sb->owner[sb->set[i]];
		for (j = i + 1; j < n && sb->owner[sb->set[j]] == o; j++)
			;
		c = sb->charged[o] + (j - i);
		c = c > allowance ? c - allowance : 0;
		sb->charged[o] = c;
		if (c > sb->lim->pattern_work && sb->culprit == NFA_NONE)
			sb->culprit = o;
		i = j;
	}
}

/* Epsilon closure of @seeds into sb->set (sorted); returns its size. */
static size_t closure(struct sb *sb, const uint32_t *seeds, size_t nseeds)
{
	const struct nfa_state *st = sb->nfa->st;
	size_t sp = 0, n = 0, i, popped = 0;

	if (++sb->gen == 0) {	/* wrapped: forget every old stamp */
		memset(sb->stamp, 0, sb->nfa->n * sizeof(*sb->stamp));
		sb->gen = 1;
	}
	/* Each state is pushed at most once, so nfa->n slots suffice. */
	for (i = 0; i < nseeds; i++) {
		if (sb->stamp[seeds[i]] != sb->gen) {
			sb->stamp[seeds[i]] = sb->gen;
			sb->stack[sp++] = seeds[i];
		}
	}
	while (sp) {
		uint32_t x = sb->stack[--sp], y[2];
		int k, ny = 0;

		popped++;
		switch (st[x].kind) {
		case NFA_CHAR:
		case NFA_ACCEPT:
			sb->set[n++] = x;
			continue;
		case NFA_SPLIT:
			y[ny++] = st[x].out2;
			/* fall through */
		default:
			y[ny++] = st[x].out;
		}
		for (k = 0; k < ny; k++) {
			if (sb->stamp[y[k]] != sb->gen) {
				sb->stamp[y[k]] = sb->gen;
				sb->stack[sp++] = y[k];
			}
		}
	}
	sort_u32(sb->set, n);
	sb->work += nseeds + popped + sort_cost(n);
	if (n > CHARGE_MIN)
		charge(sb, n);
	return n;
}

static int tab_grow(struct sb *sb)
{
	size_t size = sb->tab_size ? sb->tab_size * 2 : 1024, i;
	uint32_t *tab = calloc(size, sizeof(*tab)), s;

	if (!tab)
		return -1;
	for (s = 0; s < sb->d->nstates; s++) {
		for (i = sb->hash[s] & (size - 1); tab[i]; i = (i + 1) & (size - 1))
			;
		tab[i] = s + 1;
	}
	free(sb->tab);
	sb->tab = tab;
	sb->tab_size = size;
	return 0;
}

/* State for the members in sb->set[0..n), creating it if new. */
static enum subset_result lookup(struct sb *sb, size_t n, uint32_t *state)
{
	struct dfa *d = sb->d;
	uint32_t h = hash_members(sb->set, n), s;
	size_t i, mask = sb->tab_size - 1;

	sb->work += n;
	for (i = h & mask; sb->tab[i]; i = (i + 1) & mask) {
		s = sb->tab[i] - 1;
		if (sb->hash[s] == h && sb->off[s + 1] - sb->off[s] == n &&
		    !memcmp(sb->pool + sb->off[s], sb->set, n * sizeof(*sb->set))) {
			*state = s;
			return SUBSET_OK;
		}
	}
	if (d->nstates >= sb->cap_states)
		return SUBSET_STATES;
	if (sb->npool + n > UINT32_MAX ||
	    grow((void **)&sb->pool, &sb->cap_pool, sb->npool + n,
		 sizeof(*sb->pool)) ||
	    grow((void **)&sb->off, &sb->cap_off, d->nstates + 2,
		 sizeof(*sb->off)) ||
	    grow((void **)&sb->hash, &sb->cap_hash, d->nstates + 1,
		 sizeof(*sb->hash)))
		return SUBSET_NOMEM;
	s = d->nstates++;
	memcpy(sb->pool + sb->npool, sb->set, n * sizeof(*sb->set));
	sb->npool += n;
	set_limit(sb);
	sb->off[s + 1] = (uint32_t)sb->npool;
	sb->hash[s] = h;
	sb->tab[i] = s + 1;
	if (d->nstates * 2 > sb->tab_size && tab_grow(sb))
		return SUBSET_NOMEM;
	*state = s;
	return SUBSET_OK;
}

static uint32_t accept_of(const struct nfa *nfa, const uint32_t *m, size_t n)
{
	uint32_t best = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct nfa_state *x = &nfa->st[m[i]];

		if (x->kind == NFA_ACCEPT && (!best || x->arg + 1 < best))
			best = x->arg + 1;
	}
	return best;
}

/* Successors of state @s, one per class that leads anywhere. */
static enum subset_result expand(struct sb *sb, uint32_t s, uint32_t *cnt,
				 uint32_t *pos, uint8_t *touched,
				 uint32_t **tgt, size_t *cap_tgt)
{
	const struct nfa *nfa = sb->nfa;
	const struct alphabet *ab = sb->ab;
	struct dfa *d = sb->d;
	size_t i, k, ntouched = 0, total = 0;
	uint32_t from = sb->off[s], to = sb->off[s + 1], next;
	enum subset_result r;

	for (i = from; i < to; i++) {
		const struct nfa_state *x = &nfa->st[sb->pool[i]];

		if (x->kind != NFA_CHAR)
			continue;
		for (k = ab->off[x->arg]; k < ab->off[x->arg + 1]; k++) {
			if (cnt[ab->cls[k]]++ == 0)
				touched[ntouched++] = ab->cls[k];
			total++;
		}
	}
	sb->work += (to - from) + total;
	/* Class order makes the output deterministic and sorted. */
	for (i = 1; i < ntouched; i++) {
		uint8_t c = touched[i];

		for (k = i; k > 0 && touched[k - 1] > c; k--)
			touched[k] = touched[k - 1];
		touched[k] = c;
	}
	if (grow((void **)tgt, cap_tgt, total, sizeof(**tgt)))
		return SUBSET_NOMEM;
	for (i = 0, total = 0; i < ntouched; i++) {
		pos[touched[i]] = (uint32_t)total;
		total += cnt[touched[i]];
	}
	for (i = from; i < to; i++) {
		const struct nfa_state *x = &nfa->st[sb->pool[i]];

		if (x->kind != NFA_CHAR)
			continue;
		for (k = ab->off[x->arg]; k < ab->off[x->arg + 1]; k++)
			(*tgt)[pos[ab->cls[k]]++] = x->out;
	}
	for (i = 0; i < ntouched; i++) {
		uint8_t c = touched[i];
		size_t n = closure(sb, *tgt + pos[c] - cnt[c], cnt[c]);

		cnt[c] = 0;
		if (!n)
			continue;
		/* Small closures cost little: checked once per state. */
		r = n > CHARGE_MIN ? over_work(sb) : SUBSET_OK;
		if (r == SUBSET_OK)
			r = lookup(sb, n, &next);
		if (r != SUBSET_OK) {
			for (k = i + 1; k < ntouched; k++)
				cnt[touched[k]] = 0;
			return r;
		}
		k = d->toff[s + 1];
		if (k >= sb->cap_trans)
			return SUBSET_TRANS;
		if (grow((void **)&d->tcls, &sb->cap_tcls, k + 1, 1) ||
		    grow((void **)&d->tto, &sb->cap_tto, k + 1, sizeof(*d->tto)))
			return SUBSET_NOMEM;
		d->tcls[k] = c;
		d->tto[k] = next;
		d->toff[s + 1] = (uint32_t)k + 1;
	}
	return SUBSET_OK;
}

/* Which pattern owns each NFA state: each one's states end at its accept. */
static int owners(struct sb *sb)
{
	const struct nfa *nfa = sb->nfa;
	uint32_t slot = (uint32_t)nfa->nstarts;
	size_t x = nfa->n;

	sb->owner = malloc((nfa->n + 1) * sizeof(*sb->owner));
	sb->charged = calloc(nfa->nstarts + 1, sizeof(*sb->charged));
	if (!sb->owner || !sb->charged)
		return -1;
	while (x--) {
		if (nfa->st[x].kind == NFA_ACCEPT && slot)
			slot--;
		sb->owner[x] = slot;
	}
	return 0;
}

/* NFA index of the pattern in @slot: its accept state's argument. */
static uint32_t slot_pattern(const struct sb *sb, uint32_t slot)
{
	size_t x;

	for (x = 0; x < sb->nfa->n; x++)
		if (sb->owner[x] == slot && sb->nfa->st[x].kind == NFA_ACCEPT)
			return sb->nfa->st[x].arg;
	return NFA_NONE;
}

enum subset_result subset_build(const struct nfa *nfa,
				const struct alphabet *ab,
				const struct subset_limits *lim,
				struct subset_work *work, struct dfa *out)
{
	struct sb sb = {
		.nfa = nfa, .ab = ab, .d = out, .lim = lim,
		.culprit = NFA_NONE,
	};
	size_t max_states = lim->max_states, max_trans = lim->max_trans;
	uint32_t cnt[256] = { 0 }, pos[256], *tgt = NULL, s;
	size_t cap_tgt = 0, n;
	uint8_t touched[256];
	enum subset_result r = SUBSET_NOMEM;

	memset(out, 0, sizeof(*out));
	sb.cap_states = max_states < UINT32_MAX - 1 ? max_states : UINT32_MAX - 2;
	sb.cap_trans = max_trans < UINT32_MAX ? max_trans : UINT32_MAX - 1;
	set_limit(&sb);
	sb.stamp = calloc(nfa->n + 1, sizeof(*sb.stamp));
	sb.stack = malloc((nfa->n + 1) * sizeof(*sb.stack));
	sb.set = malloc((nfa->n + 1) * sizeof(*sb.set));
	if (!sb.stamp || !sb.stack || !sb.set || owners(&sb) || tab_grow(&sb) ||
	    grow((void **)&sb.off, &sb.cap_off, 1, sizeof(*sb.off)))
		goto out;
	sb.off[0] = 0;

	n = closure(&sb, nfa->starts, nfa->nstarts);
	r = SUBSET_OK;
	if (n)
		r = lookup(&sb, n, &s);
	for (s = 0; r == SUBSET_OK && s < out->nstates; s++) {
		if (grow((void **)&out->toff, &sb.cap_toff, (size_t)s + 2,
			 sizeof(*out->toff))) {
			r = SUBSET_NOMEM;
			break;
		}
		if (s == 0)
			out->toff[0] = 0;
		out->toff[s + 1] = out->toff[s];
		r = over_work(&sb);
		if (r == SUBSET_OK)
			r = expand(&sb, s, cnt, pos, touched, &tgt, &cap_tgt);
	}
	if (r == SUBSET_OK) {
		out->accept = malloc(((size_t)out->nstates + 1) *
				     sizeof(*out->accept));
		if (!out->toff)
			out->toff = calloc(1, sizeof(*out->toff));
		if (!out->accept || !out->toff)
			r = SUBSET_NOMEM;
	}
	for (s = 0; r == SUBSET_OK && s < out->nstates; s++)
		out->accept[s] = accept_of(nfa, sb.pool + sb.off[s],
					   sb.off[s + 1] - sb.off[s]);
out:
	work->steps += sb.work;
	if (r == SUBSET_PATTERN_WORK)
		work->pattern = slot_pattern(&sb, sb.culprit);
	if (r != SUBSET_OK)
		dfa_free(out);
	free(tgt);
	free(sb.pool);
	free(sb.off);
	free(sb.hash);
	free(sb.tab);
	free(sb.stamp);
	free(sb.stack);
	free(sb.set);
	free(sb.owner);
	free(sb.charged);
	return r;
}

void dfa_free(struct dfa *d)
{
	free(d->accept);
	free(d->toff);
	free(d->tcls);
	free(d->tto);
	memset(d, 0, sizeof(*d));
}
