/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Thompson NFA of a whole pattern set, the byte classes it induces, and the
 * stages that turn it into the blob: subset construction, minimization and
 * comb packing. Each stage lives in its own file; this header is the
 * contract between them.
 */
#ifndef KCS_LIB_PIPELINE_H
#define KCS_LIB_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "compile.h"

#define NFA_NONE	UINT32_MAX

enum nfa_kind {
	NFA_CHAR,	/* one byte of sets[arg], then out */
	NFA_EPS,	/* out, consuming nothing */
	NFA_SPLIT,	/* out and out2, consuming nothing */
	NFA_ACCEPT,	/* pattern arg has matched */
};

struct nfa_state {
	uint32_t kind;
	uint32_t out, out2;
	uint32_t arg;
};

struct nfa {
	struct nfa_state *st;
	size_t n, cap;
	struct byteset *sets;	/* distinct sets used by NFA_CHAR states */
	size_t nsets, setcap;
	uint32_t *set_tab;	/* hash table of sets: id + 1, 0 empty */
	size_t set_tab_size;
	uint32_t *starts;	/* start state of each pattern */
	size_t nstarts, startcap;
};

/*
 * Append pattern @index (its tree in @a). A pattern may expand (through
 * counted repeats) to at most @max_states NFA states. Returns 0, or -1 with
 * @err filled (pos 0 for "too large"). A pattern's states are contiguous
 * and its NFA_ACCEPT state is the last of them.
 */
int nfa_add(struct nfa *nfa, const struct ast *a, uint32_t index,
	    size_t max_states, struct kcs_compile_error *err);
void nfa_free(struct nfa *nfa);

/*
 * Byte classes: bytes that no set of the NFA tells apart share a class.
 * cls[off[k] .. off[k + 1]) lists the classes set k contains.
 */
struct alphabet {
	uint8_t classmap[256];
	unsigned int nclasses;
	uint32_t *off;
	uint8_t *cls;
};

int alphabet_build(const struct nfa *nfa, struct alphabet *ab);
void alphabet_free(struct alphabet *ab);

/* A DFA over classes, transitions grouped by source state (toff). */
struct dfa {
	uint32_t nstates;
	uint32_t start;
	uint32_t *accept;	/* 0, or 1 + lowest pattern index */
	uint32_t *toff;		/* nstates + 1 offsets into tcls/tto */
	uint8_t *tcls;
	uint32_t *tto;
};

void dfa_free(struct dfa *d);

enum subset_result {
	SUBSET_OK, SUBSET_NOMEM, SUBSET_STATES, SUBSET_TRANS,
	SUBSET_WORK,		/* the set as a whole took too many steps */
	SUBSET_PATTERN_WORK,	/* one pattern's NFA states did */
};

struct subset_limits {
	size_t max_states;
	size_t max_trans;
	/* Steps, plus work_per_state for each state built... */
	uint64_t work;
	uint64_t work_cap;	/* ...but never more than this */
	/*
	 * A pattern's members in closures, beyond work_per_state in each
	 * closure, summed.
	 */
	uint64_t pattern_work;
	uint64_t work_per_state;
};

struct subset_work {
	uint64_t steps;		/* added to, whatever the result */
	uint32_t pattern;	/* SUBSET_PATTERN_WORK: its index */
};

/*
 * Subset construction. The result has no dead state: a missing transition
 * leads nowhere. Stops with SUBSET_STATES as soon as more than max_states
 * states exist, with SUBSET_TRANS past max_trans transitions, and with
 * SUBSET_WORK or SUBSET_PATTERN_WORK past a work limit. Steps (NFA states
 * visited by closures, transitions scanned, members sorted and hashed)
 * measure time deterministically; the charge to each pattern catches a
 * single costly pattern long before the whole set's limit.
 */
enum subset_result subset_build(const struct nfa *nfa,
				const struct alphabet *ab,
				const struct subset_limits *lim,
				struct subset_work *work, struct dfa *out);

/*
 * Minimize @in into @out, whose state 0 is the dead state and whose other
 * states are numbered breadth-first from the start. Returns 0 or -1 (ENOMEM).
 */
int dfa_minimize(const struct dfa *in, struct dfa *out);

/*
 * Lay @d out as a blob of uapi/linux/kcs.h (naccept patterns). Returns 0 or
 * -1 (ENOMEM); the caller checks the size limits.
 */
int comb_pack(const struct dfa *d, const struct alphabet *ab,
	      uint32_t naccept, void **blob, size_t *len);

#endif /* KCS_LIB_PIPELINE_H */
