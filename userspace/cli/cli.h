/* SPDX-License-Identifier: GPL-2.0 */
/* kcsadm's command-line plumbing: the command table, option parsing and
 * how results and errors are printed (text or --json). */
#ifndef KCS_CLI_H
#define KCS_CLI_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>

#include "err.h"

struct cli {
	int json;	/* --json: machine output on stdout */
	int complete;	/* kcsadm __complete: list options, run nothing */
	int lines;	/* a stream (monitor, netwatch): with --json, one
			 * object per line, errors included */
};

struct cli_cmd {
	const char *name;	/* as typed, e.g. "profile check" */
	const char *summary;	/* one line for the command list */
	const char *usage;	/* full --help text */
	int (*run)(struct cli *cli, const struct cli_cmd *cmd, int argc,
		   char **argv);
};

/* Long-only option values shared by every command. */
enum { OPT_JSON = 0x100, OPT_FIRST_PRIVATE };

#define CLI_COMMON_OPTS \
	{ "help", no_argument, NULL, 'h' }, \
	{ "json", no_argument, NULL, OPT_JSON }

/* Returned by option callbacks and cli_parse when the command goes on. */
#define CLI_CONTINUE	(-1)

typedef int (*cli_opt_fn)(struct cli *cli, const struct cli_cmd *cmd, int c,
			  const char *arg, void *st);

/*
 * getopt_long over @argv with the common options handled (--help prints
 * @cmd's usage). Returns CLI_CONTINUE with optind at the first operand, or
 * an exit code to return right away. @shortopts must start with ':' and
 * include 'h'. Under kcsadm __complete it prints @longopts and returns 0:
 * a command's run() calls it before doing anything.
 */
int cli_parse(struct cli *cli, const struct cli_cmd *cmd, int argc,
	      char **argv, const char *shortopts, const struct option *longopts,
	      cli_opt_fn fn, void *st);

/* Report a usage error for @cmd ("kcsadm CMD: msg", hint; NULL or the
 * nameless main command: "kcsadm: msg"); returns 2. */
int cli_usage(struct cli *cli, const struct cli_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Report @err (stderr; with --json also on stdout, on one line when
 * cli->lines); returns its code. */
int cli_fail(struct cli *cli, const struct kcs_err *err);

/* ---- complete.c: kcsadm __complete (shell completion) ---- */

/* cli_parse's work under __complete: print @longopts (nothing when the
 * last word awaits an option's value). Returns 0. */
int cli_complete_opts(int argc, char **argv, const char *shortopts,
		      const struct option *longopts);

/* Parse a decimal unsigned number (whole string); 0 on success. */
int cli_parse_u64(const char *s, unsigned long long *out);

/* CLOCK_MONOTONIC in milliseconds, for deadlines. */
int64_t cli_monotonic_ms(void);

/*
 * The cgroup a command works on: its CGROUP operand (resolved under the
 * cgroup2 mount: *@id, @mnt and the canonical @path) or, with @have_id,
 * --id @id_opt (then @mnt and @path are empty); exactly one. Returns
 * CLI_CONTINUE, or an exit code (usage error, cgroup not found).
 */
int cli_cgroup_target(struct cli *cli, const struct cli_cmd *cmd, int argc,
		      char **argv, int have_id, unsigned long long id_opt,
		      char *mnt, char *path, uint64_t *id);

/* ---- out.c: output helpers ---- */

/* Print @v (stolen) as one JSON document and a newline. @compact: one line
 * (monitor); otherwise indented. Returns an exit code. */
int out_json(json_t *v, int compact);

/* A JSON string for bytes that may not be UTF-8 (paths, comm): invalid
 * bytes are written as the six characters \\xNN... see docs/kcsadm.md. */
json_t *out_jstr(const char *s);

/* Length of the valid UTF-8 sequence at @s, or 0. Overlong forms,
 * surrogates and code points above U+10FFFF are invalid (as for jansson). */
size_t out_utf8_len(const unsigned char *s);

/* [{"name","mode"}, ...] for a binding's profiles. */
struct kcs_profiles;
json_t *out_profiles_json(const struct kcs_profiles *p);

/* @s for a text line: as is when plain, else in double quotes with
 * backslash escapes, so untrusted names cannot forge lines. */
void out_text_str(FILE *f, const char *s);

#endif /* KCS_CLI_H */
