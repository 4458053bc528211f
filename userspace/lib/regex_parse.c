// SPDX-License-Identifier: GPL-2.0
/*
 * POSIX extended regular expressions (the regcomp(REG_EXTENDED) dialect) to
 * syntax tree. The whole path must match, so a leading '^' and a trailing
 * '$' are accepted and change nothing; anywhere else they could only make a
 * branch unmatchable or be a GNU-ism, so they are rejected, as are
 * back-references, GNU escapes (\w, \<, ...), equivalence classes and
 * collating symbols. Where POSIX leaves a construct undefined (a quantifier
 * on a quantifier, "a{,3}", a stray ')') we refuse it rather than guess.
 * Bytes are matched as bytes: ranges use byte order, classes the C locale.
 */
#include <stdio.h>
#include <string.h>

#include "ast.h"
#include "internal.h"

#define MAX_DEPTH	256	/* nested groups; bounds the parser's recursion */
#define MAX_REPEAT	255	/* largest count in {m,n} */

struct rp {
	const unsigned char *s;
	size_t len, i;
	struct ast *a;
	struct kcs_compile_error *err;
	unsigned int depth;
};

static uint32_t fail(struct rp *p, size_t pos, const char *what)
{
	err_set(p->err, -1, pos, "%s at byte %zu", what, pos);
	return AST_NONE;
}

static uint32_t new_node(struct rp *p, enum ast_kind kind)
{
	uint32_t n = ast_new(p->a, kind);

	if (n == AST_NONE)
		err_set(p->err, -1, p->i, "out of memory");
	return n;
}

static struct ast_node *node(struct rp *p, uint32_t n)
{
	return &p->a->nodes[n];
}

/* [:name:] in the C locale; NUL is never included. */
static int add_class(struct byteset *set, const char *name, size_t len)
{
	static const char *const names[] = {
		"alpha", "digit", "alnum", "upper", "lower", "space",
		"blank", "punct", "print", "graph", "cntrl", "xdigit",
	};
	unsigned int k, b;

	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (strlen(names[k]) == len && !memcmp(names[k], name, len))
			break;
	for (b = 1; b < 128; b++) {
		int up = b >= 'A' && b <= 'Z', lo = b >= 'a' && b <= 'z';
		int dig = b >= '0' && b <= '9';
		int graph = b > 0x20 && b < 0x7f;
		int in;

		switch (k) {
		case 0: in = up || lo; break;
		case 1: in = dig; break;
		case 2: in = up || lo || dig; break;
		case 3: in = up; break;
		case 4: in = lo; break;
		case 5: in = b == ' ' || (b >= '\t' && b <= '\r'); break;
		case 6: in = b == ' ' || b == '\t'; break;
		case 7: in = graph && !up && !lo && !dig; break;
		case 8: in = graph || b == ' '; break;
		case 9: in = graph; break;
		case 10: in = b < 0x20 || b == 0x7f; break;
		case 11: in = dig || (b >= 'a' && b <= 'f') ||
			     (b >= 'A' && b <= 'F'); break;
		default: return -1;
		}
		if (in)
			bs_add(set, b);
	}
	return 0;
}

/* p->i is at '['. */
static uint32_t parse_bracket(struct rp *p)
{
	const unsigned char *s = p->s;
	size_t open = p->i, len = p->len;
	struct byteset set = { { 0 } };
	int neg = 0, first = 1;
	uint32_t n;

	p->i++;
	if (p->i < len && s[p->i] == '^') {
		neg = 1;
		p->i++;
	}
	for (;;) {
		size_t at = p->i;
		unsigned int lo, hi;

		if (at >= len)
			return fail(p, open, "unmatched '['");
		if (s[at] == ']' && !first) {
			p->i++;
			break;
		}
		first = 0;
		if (s[at] == '[' && at + 1 < len &&
		    (s[at + 1] == '=' || s[at + 1] == '.'))
			return fail(p, at, "equivalence classes and collating symbols are not supported");
		if (s[at] == '[' && at + 1 < len && s[at + 1] == ':') {
			size_t end = at + 2;

			while (end + 1 < len &&
			       !(s[end] == ':' && s[end + 1] == ']'))
				end++;
			if (end + 1 >= len)
				return fail(p, at, "unterminated character class");
			if (add_class(&set, (const char *)s + at + 2,
				      end - at - 2))
				return fail(p, at, "unknown character class");
			p->i = end + 2;
			if (p->i + 1 < len && s[p->i] == '-' &&
			    s[p->i + 1] != ']')
				return fail(p, p->i, "a character class cannot start a range");
			continue;
		}
		/* '-' is literal only first or last; elsewhere it is ambiguous. */
		if (s[at] == '-' && at != open + 1 + neg &&
		    at + 1 < len && s[at + 1] != ']')
			return fail(p, at, "'-' must be first or last in a bracket expression");
		lo = s[at];
		p->i++;
		if (p->i + 1 < len && s[p->i] == '-' && s[p->i + 1] != ']') {
			hi = s[p->i + 1];
			if (hi == '[' && p->i + 2 < len &&
			    (s[p->i + 2] == '.' || s[p->i + 2] == '=' ||
			     s[p->i + 2] == ':'))
				return fail(p, p->i + 1, "invalid range end");
			if (hi < lo)
				return fail(p, at, "invalid range (end before start)");
			p->i += 2;
		} else {
			hi = lo;
		}
		bs_add_range(&set, lo, hi);
	}
	if (neg) {
		unsigned int k;

		for (k = 0; k < 4; k++)
			set.w[k] = ~set.w[k];
	}
	set.w[0] &= ~1ULL;	/* never NUL */
	n = new_node(p, AST_SET);
	if (n != AST_NONE)
		node(p, n)->set = set;
	return n;
}

static uint32_t literal(struct rp *p, unsigned int c)
{
	uint32_t n = new_node(p, AST_SET);

	if (n != AST_NONE)
		bs_add(&node(p, n)->set, c);
	return n;
}

static uint32_t parse_alt(struct rp *p);

static uint32_t parse_atom(struct rp *p)
{
	const unsigned char *s = p->s;
	size_t at = p->i;
	unsigned int c = s[at];
	uint32_t n;

	switch (c) {
	case '(':
		if (++p->depth > MAX_DEPTH)
			return fail(p, at, "groups nested too deeply");
		p->i++;
		n = parse_alt(p);
		if (n == AST_NONE)
			return n;
		if (p->i >= p->len || s[p->i] != ')')
			return fail(p, at, "unmatched '('");
		p->i++;
		p->depth--;
		return n;
	case '*': case '+': case '?': case '{':
		return fail(p, at, "quantifier follows nothing");
	case '[':
		return parse_bracket(p);
	case '.':
		n = new_node(p, AST_SET);
		if (n != AST_NONE)
			bs_any(&node(p, n)->set);
		p->i++;
		return n;
	case '\\':
		if (at + 1 >= p->len)
			return fail(p, at, "trailing backslash");
		c = s[at + 1];
		if (c >= '1' && c <= '9')
			return fail(p, at, "back-references are not supported");
		/*
		 * glibc gives letters and digits, and the punctuation of its
		 * anchors \< \> \` \', meanings of its own (fuzz_compile
		 * found \` taken as a literal where glibc anchors): refuse
		 * them all rather than match something else.
		 */
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || (c && strchr("<>`'", c)))
			return fail(p, at, "unsupported escape");
		p->i += 2;
		return literal(p, c);
	case '^':
		return fail(p, at, "'^' is only allowed at the start");
	case '$':
		return fail(p, at, "'$' is only allowed at the end");
	default:
		p->i++;
		return literal(p, c);
	}
}

static int parse_count(struct rp *p, unsigned int *out)
{
	unsigned long v = 0;
	size_t start = p->i;

	while (p->i < p->len && p->s[p->i] >= '0' && p->s[p->i] <= '9') {
		if (v <= MAX_REPEAT)
			v = v * 10 + (p->s[p->i] - '0');
		p->i++;
	}
	if (p->i == start)
		return 0;
	if (v > MAX_REPEAT) {
		err_set(p->err, -1, start,
			"repeat count exceeds %d at byte %zu", MAX_REPEAT,
			start);
		return -1;
	}
	*out = (unsigned int)v;
	return 1;
}

/* p->i is at a quantifier; wrap @atom in a repeat node. */
static uint32_t parse_quant(struct rp *p, uint32_t atom)
{
	size_t at = p->i;
	unsigned int min = 0, max = AST_INF;
	uint32_t n;
	int r;

	switch (p->s[at]) {
	case '*': break;
	case '+': min = 1; break;
	case '?': max = 1; break;
	case '{':
		p->i++;
		r = parse_count(p, &min);
		if (r < 0)
			return AST_NONE;
		if (r == 0)
			return fail(p, at, "invalid interval (expected a count)");
		max = min;
		if (p->i < p->len && p->s[p->i] == ',') {
			p->i++;
			r = parse_count(p, &max);
			if (r < 0)
				return AST_NONE;
			if (r == 0)
				max = AST_INF;
		}
		if (p->i >= p->len || p->s[p->i] != '}')
			return fail(p, at, "unterminated or invalid interval");
		if (max < min)
			return fail(p, at, "invalid interval (max below min)");
		break;
	}
	p->i++;
	n = new_node(p, AST_REPEAT);
	if (n == AST_NONE)
		return n;
	node(p, n)->min = (uint16_t)min;
	node(p, n)->max = (uint16_t)max;
	node(p, n)->child = atom;
	return n;
}

static int is_quant(unsigned int c)
{
	return c == '*' || c == '+' || c == '?' || c == '{';
}

/* A sequence up to '|', ')' or the end; anchors handled here. */
static uint32_t parse_cat(struct rp *p)
{
	uint32_t first = AST_NONE, last = AST_NONE, n, cat;
	size_t count = 0;

	while (p->i < p->len && p->s[p->i] != '|' && p->s[p->i] != ')') {
		if (p->s[p->i] == '^' && p->i == 0) {
			p->i++;
			continue;
		}
		if (p->s[p->i] == '$' && p->i == p->len - 1) {
			p->i++;
			continue;
		}
		n = parse_atom(p);
		if (n == AST_NONE)
			return n;
		if (p->i < p->len && is_quant(p->s[p->i])) {
			n = parse_quant(p, n);
			if (n == AST_NONE)
				return n;
			if (p->i < p->len && is_quant(p->s[p->i]))
				return fail(p, p->i, "nested quantifier");
		}
		if (last == AST_NONE)
			first = n;
		else
			node(p, last)->next = n;
		last = n;
		count++;
	}
	if (count == 1)
		return first;
	cat = new_node(p, count ? AST_CAT : AST_EMPTY);
	if (cat != AST_NONE)
		node(p, cat)->child = first;
	return cat;
}

static uint32_t parse_alt(struct rp *p)
{
	uint32_t first, last, n, alt;

	first = parse_cat(p);
	if (first == AST_NONE || p->i >= p->len || p->s[p->i] != '|')
		return first;
	last = first;
	while (p->i < p->len && p->s[p->i] == '|') {
		p->i++;
		n = parse_cat(p);
		if (n == AST_NONE)
			return n;
		node(p, last)->next = n;
		last = n;
	}
	alt = new_node(p, AST_ALT);
	if (alt != AST_NONE)
		node(p, alt)->child = first;
	return alt;
}

int regex_parse(const char *text, struct ast *a,
		struct kcs_compile_error *err)
{
	struct rp p = {
		.s = (const unsigned char *)text, .len = strlen(text),
		.a = a, .err = err,
	};

	a->n = 0;
	if (p.len == 0)
		return err_set(err, -1, 0, "empty pattern");
	a->root = parse_alt(&p);
	if (a->root == AST_NONE)
		return -1;
	if (p.i < p.len) {	/* only a ')' stops parse_alt early */
		fail(&p, p.i, "unmatched ')'");
		return -1;
	}
	return 0;
}
