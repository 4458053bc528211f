// SPDX-License-Identifier: GPL-2.0
/*
 * kcsadm __complete WORD...: the words that may follow WORD... on a kcsadm
 * command line, one per line, for contrib/completion/kcsadm. Taken from
 * the command table and each command's own getopt options (the run()
 * functions are called with cli->complete set: cli_parse prints their
 * options instead of parsing), so completion cannot drift from what
 * kcsadm accepts. This relies on every run() calling cli_parse (or
 * cli_run_group) before it does anything. Hidden: not in --help, not a
 * stable interface.
 *
 * Output: after a command group, its subcommands and options; after a
 * command, its long options; nothing after an option that needs a value
 * (the shell completes file names then) or an unknown command.
 */
#include <string.h>

#include "cmds.h"

static const struct option *find_long(const struct option *o, const char *w)
{
	size_t len = strcspn(w, "=");

	for (; o && o->name; o++)
		if (strlen(o->name) == len && !strncmp(o->name, w, len))
			return o;
	return NULL;
}

/* Does word @w (an option) take the next word as its value? */
static int takes_value(const char *w, const char *shortopts,
		       const struct option *longopts)
{
	const struct option *o;
	const char *s;

	if (w[1] == '-') {
		o = find_long(longopts, w + 2);
		return o && o->has_arg == required_argument && !strchr(w, '=');
	}
	/* -xyz: a short option with a value ends the cluster. */
	for (w++; *w; w++) {
		s = shortopts ? strchr(shortopts + 1, *w) : NULL;
		if (s && *w != ':' && s[1] == ':')
			return w[1] == '\0';
	}
	return 0;
}

static void print_opts(const struct option *o)
{
	for (; o && o->name; o++)
		printf("--%s\n", o->name);
}

int cli_complete_opts(int argc, char **argv, const char *shortopts,
		      const struct option *longopts)
{
	/* argv[0] is the command; the words typed after it follow. */
	if (argc > 1 && argv[argc - 1][0] == '-' &&
	    takes_value(argv[argc - 1], shortopts, longopts))
		return KCS_EXIT_OK;
	print_opts(longopts);
	return KCS_EXIT_OK;
}

int cli_complete_group(struct cli *cli, const struct cli_cmd *const *table,
		       const struct option *longopts, int argc, char **argv)
{
	const struct cli_cmd *const *c;
	int i;

	for (i = 1; i < argc; i++) {
		const char *w = argv[i];

		if (w[0] == '-' && w[1]) {
			if (takes_value(w, "+:h", longopts))
				i++;
			continue;
		}
		for (c = table; *c; c++) {
			const char *last = strrchr((*c)->name, ' ');

			if (!strcmp(last ? last + 1 : (*c)->name, w))
				return (*c)->run(cli, *c, argc - i, argv + i);
		}
		return KCS_EXIT_OK;	/* unknown command: nothing to offer */
	}
	if (argc > 1 && argv[argc - 1][0] == '-' &&
	    takes_value(argv[argc - 1], "+:h", longopts))
		return KCS_EXIT_OK;
	for (c = table; *c; c++) {
		const char *last = strrchr((*c)->name, ' ');

		printf("%s\n", last ? last + 1 : (*c)->name);
	}
	print_opts(longopts);
	return KCS_EXIT_OK;
}
