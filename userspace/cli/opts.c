// SPDX-License-Identifier: GPL-2.0
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgroup.h"
#include "cli.h"

int cli_usage(struct cli *cli, const struct cli_cmd *cmd, const char *fmt, ...)
{
	struct kcs_err err = { .code = KCS_EXIT_USAGE };
	char msg[sizeof(err.msg) - 64];
	va_list ap;

	/* kcsadm itself (global options) is the command with no name: its
	 * errors read "kcsadm: MSG", not "kcsadm: : MSG". */
	if (cmd && !cmd->name[0])
		cmd = NULL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(err.msg, sizeof(err.msg), "%s%s%s", cmd ? cmd->name : "",
		 cmd ? ": " : "", msg);
	cli_fail(cli, &err);
	fprintf(stderr, "Try 'kcsadm %s%s--help'.\n", cmd ? cmd->name : "",
		cmd ? " " : "");
	return KCS_EXIT_USAGE;
}

int cli_fail(struct cli *cli, const struct kcs_err *err)
{
	fprintf(stderr, "kcsadm: %s\n", err->msg);
	if (cli->json) {
		json_t *j = json_pack("{s:{s:i,s:o}}", "error", "exit",
				      (int)err->code, "message",
				      out_jstr(err->msg));

		out_json(j, cli->lines);
	}
	return err->code;
}

int cli_parse(struct cli *cli, const struct cli_cmd *cmd, int argc,
	      char **argv, const char *shortopts, const struct option *longopts,
	      cli_opt_fn fn, void *st)
{
	int c, ret;

	if (cli->complete)
		return cli_complete_opts(argc, argv, shortopts, longopts);
	optind = 0;	/* glibc: full re-initialization for each command */
	opterr = 0;	/* we report errors ourselves (text or JSON) */
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(cmd->usage, stdout);
			return KCS_EXIT_OK;
		case OPT_JSON:
			cli->json = 1;
			break;
		case ':':
			return cli_usage(cli, cmd, "option '%s' needs a value",
					 argv[optind - 1]);
		case '?':
			/* glibc sets optopt to the option's value when a long
			 * option that takes none is given one (--help=1). */
			if (optopt && !strncmp(argv[optind - 1], "--", 2) &&
			    strchr(argv[optind - 1], '='))
				return cli_usage(cli, cmd, "option '%.*s' takes no value",
						 (int)(strchr(argv[optind - 1], '=') -
						       argv[optind - 1]), argv[optind - 1]);
			if (optopt && optopt < 0x100)
				return cli_usage(cli, cmd, "unknown option '-%c'", optopt);
			return cli_usage(cli, cmd, "unknown option '%s'",
					 argv[optind - 1]);
		default:
			ret = fn ? fn(cli, cmd, c, optarg, st) : CLI_CONTINUE;
			if (ret != CLI_CONTINUE)
				return ret;
		}
	}
	return CLI_CONTINUE;
}

int cli_parse_u64(const char *s, unsigned long long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}

int64_t cli_monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int cli_cgroup_target(struct cli *cli, const struct cli_cmd *cmd, int argc,
		      char **argv, int have_id, unsigned long long id_opt,
		      char *mnt, char *path, uint64_t *id)
{
	struct kcs_err err;

	path[0] = mnt[0] = '\0';
	if (argc - optind > 1)
		return cli_usage(cli, cmd, "unexpected argument '%s'", argv[optind + 1]);
	if (have_id) {
		if (argc - optind == 1)
			return cli_usage(cli, cmd, "give either CGROUP or --id, not both");
		*id = id_opt;
		return CLI_CONTINUE;
	}
	if (argc - optind < 1)
		return cli_usage(cli, cmd, "missing CGROUP");
	if (kcs_cgroup2_mount(KCS_MOUNTINFO, mnt, PATH_MAX, &err) ||
	    kcs_cgroup_resolve(mnt, argv[optind], 1, path, id, &err))
		return cli_fail(cli, &err);
	return CLI_CONTINUE;
}
