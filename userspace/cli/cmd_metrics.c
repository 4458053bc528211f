// SPDX-License-Identifier: GPL-2.0
/*
 * kcsadm metrics: kcsadm status and the bindings as Prometheus metrics,
 * on stdout or into DIR/kcs.prom for node_exporter's textfile collector
 * (metrics_file.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "metrics.h"
#include "ops.h"

struct metrics_opts {
	const char *dir;
};

enum { OPT_TEXTFILE = OPT_FIRST_PRIVATE };

static int metrics_opt(struct cli *cli, const struct cli_cmd *cmd, int c,
		       const char *arg, void *st)
{
	struct metrics_opts *o = st;

	(void)cli;
	(void)cmd;
	if (c == OPT_TEXTFILE)
		o->dir = arg;
	return CLI_CONTINUE;
}

static int run_metrics(struct cli *cli, const struct cli_cmd *cmd, int argc,
		       char **argv)
{
	static const struct option opts[] = {
		{ "textfile", required_argument, NULL, OPT_TEXTFILE },
		CLI_COMMON_OPTS, { 0 }
	};
	struct metrics_opts o = { 0 };
	struct kcs_binding_vec b = { 0 };
	struct kcs_status st;
	struct kcs_err err;
	struct kcs_nl nl;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int ret;

	ret = cli_parse(cli, cmd, argc, argv, ":h", opts, metrics_opt, &o);
	if (ret != CLI_CONTINUE)
		return ret;
	if (optind < argc)
		return cli_usage(cli, cmd, "unexpected argument '%s'", argv[optind]);
	if (kcs_nl_open(&nl, &err))
		return cli_fail(cli, &err);
	ret = kcs_status_get(&nl, &st, &err);
	if (!ret)
		ret = kcs_bind_list(&nl, kcs_binding_collect, &b, &err);
	kcs_nl_close(&nl);
	if (ret) {
		free(b.v);
		return cli_fail(cli, &err);
	}
	f = open_memstream(&buf, &len);
	ret = f ? metrics_fmt(f, &st, b.v, b.n) : KCS_EXIT_FAILED;
	if (f && fclose(f))
		ret = KCS_EXIT_FAILED;
	free(b.v);
	if (ret) {
		free(buf);
		kcs_err_set(&err, KCS_EXIT_FAILED, "metrics: out of memory");
		return cli_fail(cli, &err);
	}
	if (o.dir)
		ret = metrics_write_textfile(o.dir, buf, len, &err);
	else if (fwrite(buf, 1, len, stdout) != len || fflush(stdout))
		ret = kcs_err_set(&err, KCS_EXIT_FAILED, "metrics: writing output: %s",
				  strerror(errno));
	free(buf);
	return ret ? cli_fail(cli, &err) : KCS_EXIT_OK;
}

const struct cli_cmd cmd_metrics = {
	.name = "metrics",
	.run = run_metrics,
	.usage =
"Usage: kcsadm metrics [--textfile DIR]\n"
"\n"
"Print the statistics of kcsadm status and the bindings as Prometheus\n"
"metrics (text exposition format; names in docs/kcsadm.md): a counter\n"
"kcs_NAME_total per statistic, gauges for profiles, bindings, event\n"
"subscribers and proven hooks, and kcs_binding_info per binding.\n"
"Exits 5 when the module is not loaded.\n"
"\n"
"Options:\n"
"      --textfile DIR  write DIR/kcs.prom instead (replaced atomically),\n"
"                      for node_exporter's textfile collector\n"
"      --json          errors as JSON on stdout (the metrics stay text:\n"
"                      Prometheus' format has no JSON form)\n"
"  -h, --help          this text\n",
};
