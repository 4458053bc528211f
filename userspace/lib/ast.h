/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Syntax tree that both front ends (regex_parse.c, mask.c) produce and the
 * NFA builder (nfa.c) consumes. Concatenations and alternations are n-ary
 * (children linked through 'next') so that a long literal is a flat list and
 * no stage has to recurse once per byte of a pattern.
 */
#ifndef KCS_LIB_AST_H
#define KCS_LIB_AST_H

#include <stdint.h>
#include <string.h>

#include "compile.h"

/* A set of bytes; bit b of w[b / 64] is byte b. */
struct byteset {
	uint64_t w[4];
};

static inline void bs_add(struct byteset *s, unsigned int b)
{
	s->w[b >> 6] |= 1ULL << (b & 63);
}

static inline int bs_has(const struct byteset *s, unsigned int b)
{
	return (s->w[b >> 6] >> (b & 63)) & 1;
}

static inline void bs_add_range(struct byteset *s, unsigned int lo,
				unsigned int hi)
{
	for (; lo <= hi; lo++)
		bs_add(s, lo);
}

/* Paths never contain NUL, so no set ever matches it. */
static inline void bs_any(struct byteset *s)
{
	memset(s, 0xff, sizeof(*s));
	s->w[0] &= ~1ULL;
}

#define AST_NONE	UINT32_MAX
#define AST_INF		UINT16_MAX	/* no upper bound on a repeat */

enum ast_kind {
	AST_EMPTY,	/* matches the empty string */
	AST_SET,	/* one byte out of set */
	AST_CAT,	/* children in order */
	AST_ALT,	/* any one child */
	AST_REPEAT,	/* child repeated min..max times */
};

struct ast_node {
	uint8_t kind;
	uint16_t min, max;	/* AST_REPEAT */
	uint32_t child;		/* first child: AST_CAT, AST_ALT, AST_REPEAT */
	uint32_t next;		/* next sibling in the parent's list */
	struct byteset set;	/* AST_SET */
};

/* Reused across patterns: reset n to 0 between them. */
struct ast {
	struct ast_node *nodes;
	size_t n, cap;
	uint32_t root;
};

/* Returns the new node's index or AST_NONE when out of memory. */
uint32_t ast_new(struct ast *a, enum ast_kind kind);
void ast_free(struct ast *a);

/*
 * Front ends. Both fill @a (root included) and return 0, or return -1 with
 * err->pos and err->msg set; the caller fills err->index.
 */
int regex_parse(const char *text, struct ast *a,
		struct kcs_compile_error *err);
int mask_parse(const char *text, struct ast *a,
	       struct kcs_compile_error *err);

#endif /* KCS_LIB_AST_H */
