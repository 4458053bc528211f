// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json_line.h"

void jl_begin(struct json_line *j, FILE *f)
{
	j->f = f;
	j->p = j->small;
	j->cap = sizeof(j->small);
	j->len = 0;
	j->fields = 0;
	j->failed = 0;
	j->p[j->len++] = '{';
}

/* Grow for @n more bytes; false (and the line failed) when out of memory. */
static int jl_grow(struct json_line *j, size_t n)
{
	size_t cap = j->cap;
	char *p;

	if (j->failed)
		return 0;
	while (cap < j->len + n)
		cap *= 2;
	p = j->p == j->small ? malloc(cap) : realloc(j->p, cap);
	if (!p) {
		j->failed = 1;
		return 0;
	}
	if (j->p == j->small)
		memcpy(p, j->small, j->len);
	j->p = p;
	j->cap = cap;
	return 1;
}

/* Room for @n more bytes. */
static inline int jl_room(struct json_line *j, size_t n)
{
	return j->len + n <= j->cap || jl_grow(j, n);
}

static inline void jl_put(struct json_line *j, const void *s, size_t n)
{
	if (jl_room(j, n)) {
		memcpy(j->p + j->len, s, n);
		j->len += n;
	}
}

static void jl_key(struct json_line *j, const char *key)
{
	size_t n = strlen(key);

	if (!jl_room(j, n + 4))
		return;
	if (j->fields++)
		j->p[j->len++] = ',';
	j->p[j->len++] = '"';
	memcpy(j->p + j->len, key, n);
	j->len += n;
	j->p[j->len++] = '"';
	j->p[j->len++] = ':';
}

/*
 * jansson's escaping (dump.c, no JSON_ENSURE_ASCII, no JSON_ESCAPE_SLASH):
 * backslash, double quote and control characters; everything else, valid
 * UTF-8 included, as is. Over out_jstr()'s text: an invalid byte becomes
 * \xNN, whose backslash is then escaped.
 */
static void jl_string(struct json_line *j, const char *s)
{
	static const char hex[] = "0123456789ABCDEF", lhex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *run = p;
	char esc[8];
	size_t n;

	jl_put(j, "\"", 1);
	while (*p) {
		if (*p >= 0x20 && *p != '"' && *p != '\\' && *p < 0x80) {
			p++;
			continue;
		}
		jl_put(j, run, (size_t)(p - run));
		n = *p >= 0x80 ? out_utf8_len(p) : 1;
		if (n > 1) {
			jl_put(j, p, n);
			p += n;
			run = p;
			continue;
		}
		if (*p >= 0x80) {	/* \\xNN */
			memcpy(esc, "\\\\x", 3);
			esc[3] = lhex[*p >> 4];
			esc[4] = lhex[*p & 15];
			jl_put(j, esc, 5);
		} else if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*p;
			jl_put(j, esc, 2);
		} else {
			const char *short_esc = *p == '\b' ? "\\b" : *p == '\f' ? "\\f" :
				*p == '\n' ? "\\n" : *p == '\r' ? "\\r" :
				*p == '\t' ? "\\t" : NULL;

			if (short_esc) {
				jl_put(j, short_esc, 2);
			} else {
				memcpy(esc, "\\u00", 4);
				esc[4] = hex[*p >> 4];
				esc[5] = hex[*p & 15];
				jl_put(j, esc, 6);
			}
		}
		run = ++p;
	}
	jl_put(j, run, (size_t)(p - run));
	jl_put(j, "\"", 1);
}

void jl_str(struct json_line *j, const char *key, const char *v)
{
	jl_key(j, key);
	if (v)
		jl_string(j, v);
	else
		jl_put(j, "null", 4);
}

void jl_int(struct json_line *j, const char *key, int64_t v)
{
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	char t[24];
	size_t i = sizeof(t);

	jl_key(j, key);
	do {
		t[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		t[--i] = '-';
	jl_put(j, t + i, sizeof(t) - i);
}

void jl_null(struct json_line *j, const char *key)
{
	jl_key(j, key);
	jl_put(j, "null", 4);
}

int jl_end(struct json_line *j)
{
	int ret = 0;

	jl_put(j, "}\n", 2);
	if (j->failed || fwrite_unlocked(j->p, 1, j->len, j->f) != j->len ||
	    ferror(j->f))
		ret = KCS_EXIT_FAILED;
	if (j->p != j->small)
		free(j->p);
	j->p = j->small;
	return ret;
}
