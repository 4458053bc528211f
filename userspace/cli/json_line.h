/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One JSON object on one line: the bytes jansson's compact dump would
 * give for the same object built in the same order, without building it.
 * For the monitor's event lines, where building and dumping a jansson
 * object cost five times the rest of the line (docs/bench/README.md).
 * The line is assembled in memory and written with one fwrite().
 */
#ifndef KCS_JSON_LINE_H
#define KCS_JSON_LINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct json_line {
	FILE *f;
	char *p;		/* small, or malloc'ed once the line outgrows it */
	size_t len, cap;
	int fields;
	int failed;		/* out of memory: the line is not written */
	char small[2048];
};

void jl_begin(struct json_line *j, FILE *f);
/* @key is a literal: written as is. @v NULL: null. @v need not be UTF-8:
 * an invalid byte is written as the four characters \xNN, as out_jstr(). */
void jl_str(struct json_line *j, const char *key, const char *v);
void jl_int(struct json_line *j, const char *key, int64_t v);
void jl_null(struct json_line *j, const char *key);
/* Close the object and the line, write it. Returns an exit code. */
int jl_end(struct json_line *j);

#endif /* KCS_JSON_LINE_H */
