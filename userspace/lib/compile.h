/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pattern compiler: turns a set of path patterns (masks and POSIX EREs) into
 * one minimized DFA in the blob format of uapi/linux/kcs.h, plus the text
 * blob that names each pattern.
 */
#ifndef KCS_COMPILE_H
#define KCS_COMPILE_H

#include <stddef.h>
#include <stdint.h>

enum kcs_pattern_kind {
	KCS_PATTERN_MASK,	/* literal path; '*' matches any string, '/' included */
	KCS_PATTERN_REGEX,	/* POSIX ERE matched against the whole path */
};

/*
 * A pattern, optionally scoped to a program: then it matches the string
 * "\0" PROGRAM "\0" PATH, PROGRAM matched by @program (a mask or a
 * regex of its own), and the set is flagged KCS_DFA_F_PROGRAM. Its text
 * in the text blob is "TEXT (program PROGRAM)".
 */
struct kcs_pattern {
	enum kcs_pattern_kind kind;
	const char *text;	/* NUL-terminated */
	const char *program;	/* NULL: any program (unscoped) */
	enum kcs_pattern_kind program_kind;
};

/*
 * Work limits. Determinizing takes steps (NFA states visited, transitions
 * scanned, state members sorted and hashed) that the number of DFA states
 * does not bound: a group that can match the empty string, repeated many
 * times, gives states that each span most of the pattern's NFA.
 * Compilation stops once the set's steps exceed max_work plus
 * KCS_COMPILE_WORK_PER_STATE for each DFA state built, or once the NFA
 * states of one pattern that DFA states hold, beyond
 * KCS_COMPILE_WORK_PER_STATE in each, add up to more than
 * max_pattern_work. Counted, not timed: a set compiles or not the same on
 * every machine.
 */
#define KCS_COMPILE_WORK		(1ULL << 31)
#define KCS_COMPILE_PATTERN_WORK	(1ULL << 20)
#define KCS_COMPILE_WORK_PER_STATE	1024U

struct kcs_compile_limits {
	size_t max_states;	/* 0: KCS_DFA_MAX_STATES */
	uint64_t max_work;	/* 0: KCS_COMPILE_WORK */
	uint64_t max_pattern_work;	/* 0: KCS_COMPILE_PATTERN_WORK */
};

struct kcs_compile_error {
	long index;		/* pattern at fault, or -1 for the whole set */
	size_t pos;		/* byte offset in that pattern's text */
	int in_program;		/* the fault is in the pattern's program */
	char msg[256];		/* human-readable, no trailing newline */
	uint64_t work;		/* steps taken; set on success too */
};

struct kcs_blob {
	void *data;		/* malloc'ed; free with kcs_blob_free() */
	size_t len;
};

/*
 * Compile @n patterns. On success returns 0 and fills @dfa and @text (text:
 * the patterns' texts, NUL-terminated, in order). On failure returns -1,
 * fills @err and leaves both blobs empty. @limits may be NULL.
 */
int kcs_compile(const struct kcs_pattern *pats, size_t n,
		const struct kcs_compile_limits *limits,
		struct kcs_blob *dfa, struct kcs_blob *text,
		struct kcs_compile_error *err);

void kcs_blob_free(struct kcs_blob *b);

#endif /* KCS_COMPILE_H */
