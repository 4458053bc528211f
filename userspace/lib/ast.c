// SPDX-License-Identifier: GPL-2.0
/* Node allocation for the syntax tree shared by the front ends. */
#include <stdlib.h>

#include "ast.h"
#include "internal.h"

uint32_t ast_new(struct ast *a, enum ast_kind kind)
{
	struct ast_node *nd;

	/* Indices must stay below AST_NONE. */
	if (a->n >= AST_NONE - 1 ||
	    grow((void **)&a->nodes, &a->cap, a->n + 1, sizeof(*a->nodes)))
		return AST_NONE;
	nd = &a->nodes[a->n];
	memset(nd, 0, sizeof(*nd));
	nd->kind = (uint8_t)kind;
	nd->child = AST_NONE;
	nd->next = AST_NONE;
	return (uint32_t)a->n++;
}

void ast_free(struct ast *a)
{
	free(a->nodes);
	a->nodes = NULL;
	a->n = a->cap = 0;
}
