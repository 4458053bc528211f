// SPDX-License-Identifier: GPL-2.0
/*
 * Masks to syntax tree. A mask is a literal absolute path in which '*'
 * matches any run of bytes, empty and '/' included: the mask /bin/<star>
 * matches "/bin/", "/bin/sh" and "/bin/x/y" but not "/bin". The only escapes are
 * "\*" (a literal star) and "\\" (a literal backslash); any other backslash
 * is refused so that a mask never means something its author did not see.
 */
#include <string.h>

#include "ast.h"
#include "internal.h"

int mask_parse(const char *text, struct ast *a, struct kcs_compile_error *err)
{
	const unsigned char *s = (const unsigned char *)text;
	uint32_t cat, last = AST_NONE, n;
	int prev_star = 0;
	size_t i;

	a->n = 0;
	if (!s[0])
		return err_set(err, -1, 0, "empty pattern");
	if (s[0] != '/')
		return err_set(err, -1, 0, "mask must start with '/'");
	cat = ast_new(a, AST_CAT);
	if (cat == AST_NONE)
		return err_set(err, -1, 0, "out of memory");
	for (i = 0; s[i]; i++) {
		unsigned int c = s[i];
		int star = 0;

		if (c == '\\') {
			if (s[i + 1] != '*' && s[i + 1] != '\\')
				return err_set(err, -1, i,
					       "'\\' in a mask must be followed by '*' or '\\' at byte %zu",
					       i);
			c = s[++i];
		} else if (c == '*') {
			/* "**" is "*"; one loop keeps the automaton small. */
			if (prev_star)
				continue;
			star = 1;
		}
		prev_star = star;
		n = ast_new(a, AST_SET);
		if (n == AST_NONE)
			return err_set(err, -1, i, "out of memory");
		if (star) {
			uint32_t rep = ast_new(a, AST_REPEAT);

			if (rep == AST_NONE)
				return err_set(err, -1, i, "out of memory");
			bs_any(&a->nodes[n].set);
			a->nodes[rep].min = 0;
			a->nodes[rep].max = AST_INF;
			a->nodes[rep].child = n;
			n = rep;
		} else {
			bs_add(&a->nodes[n].set, c);
		}
		if (last == AST_NONE)
			a->nodes[cat].child = n;
		else
			a->nodes[last].next = n;
		last = n;
	}
	a->root = cat;
	return 0;
}
