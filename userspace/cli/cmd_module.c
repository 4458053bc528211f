// SPDX-License-Identifier: GPL-2.0
/* kcsadm load / unload: the module's lifetime, through libkmod. */
#include "cmds.h"
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include "kmodctl.h"
#include "probe.h"

struct load_opts {
	const char *path;
};

static int load_opt(struct cli *cli, const struct cli_cmd *cmd, int c,
		    const char *arg, void *st)
{
	struct load_opts *o = st;

	(void)cli; (void)cmd;
	if (c == 'm')
		o->path = arg;
	return CLI_CONTINUE;
}

/* Every hook must fire for a real task, with the type kcs.ko expects. */
static int prove_hooks(struct kcs_probe_result *r, struct kcs_err *err)
{
	struct kcs_nl nl;
	int ret;

	if (kcs_nl_open(&nl, err))
		return -1;
	ret = kcs_probe_run(&nl, r, err);
	kcs_nl_close(&nl);
	return ret;
}

static json_t *hooks_json(const struct kcs_probe_result *r)
{
	json_t *a = json_array();
	unsigned int i;

	for (i = 0; i < r->n; i++) {
		const struct kcs_probe_hook *hk = &r->hooks[i];

		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:b,s:o}",
			"kind", kcs_probe_kind_name(hk->kind),
			"target", hk->target, "type", hk->sig, "fired", hk->fired,
			"btf_type", r->btf_checked ? json_string(hk->btf_sig) : json_null()));
	}
	return a;
}

static void print_hooks(const struct kcs_probe_result *r)
{
	unsigned int i, fired = 0, skipped = 0;

	for (i = 0; i < r->n; i++) {
		fired += r->hooks[i].fired;
		skipped += !r->hooks[i].required;
	}
	printf("hooks proven: %u entry points fired for real operations%s%s\n",
	       fired,
	       r->btf_checked ? ", their types match the kernel's BTF" :
	       " (the kernel has no BTF: types checked at build time only)",
	       skipped ? "; SCTP is not loaded, its entry point not probed" : "");
}

static int run_load(struct cli *cli, const struct cli_cmd *cmd, int argc,
		    char **argv)
{
	static const struct option opts[] = {
		{ "module", required_argument, NULL, 'm' },
		CLI_COMMON_OPTS, { 0 }
	};
	struct load_opts o = { 0 };
	struct kcs_probe_result r;
	struct kcs_err err, ignored;
	int ret, was, unloaded;

	ret = cli_parse(cli, cmd, argc, argv, ":hm:", opts, load_opt, &o);
	if (ret != CLI_CONTINUE)
		return ret;
	if (optind < argc)
		return cli_usage(cli, cmd, "unexpected argument '%s'", argv[optind]);
	if (kcs_module_load(o.path, &was, &err))
		return cli_fail(cli, &err);
	if (prove_hooks(&r, &err)) {
		/* Ours to take back: a module that cannot enforce stays out. */
		if (!was && kcs_module_unload(&unloaded, &ignored))
			fprintf(stderr, "kcsadm: %s\n", ignored.msg);
		return cli_fail(cli, &err);
	}
	if (cli->json)
		return out_json(json_pack("{s:s,s:b,s:o,s:o}", "module", KCS_MODULE_NAME,
					  "already_loaded", was, "path",
					  o.path ? out_jstr(o.path) : json_null(),
					  "hooks", hooks_json(&r)),
				0);
	printf(was ? "kcs module already loaded\n" : "kcs module loaded\n");
	print_hooks(&r);
	return KCS_EXIT_OK;
}

struct unload_opts {
	double wait;		/* seconds to retry while in use */
};

static int unload_opt(struct cli *cli, const struct cli_cmd *cmd, int c,
		      const char *arg, void *st)
{
	struct unload_opts *o = st;
	char *end;

	if (c != 'w')
		return CLI_CONTINUE;
	errno = 0;
	o->wait = strtod(arg, &end);
	if (errno || end == arg || *end || !(o->wait >= 0 && o->wait <= 3600))
		return cli_usage(cli, cmd, "--wait: '%s' is not a number of seconds from 0 to 3600", arg);
	return CLI_CONTINUE;
}

/*
 * A task inside one of the module's hooks holds a reference to it, so the
 * kernel refuses the removal (EAGAIN) rather than waiting unkillably: try
 * again every 50 ms until --wait runs out. Ctrl-C ends the wait.
 */
static int unload_retrying(double wait, int *was, struct kcs_err *err)
{
	const struct timespec pause = { 0, 50 * 1000 * 1000 };
	long tries = (long)(wait * 20);
	int warned = 0;

	for (;;) {
		if (!kcs_module_unload(was, err))
			return 0;
		if (err->code != KCS_EXIT_BUSY || tries-- <= 0)
			return -1;
		if (!warned++)
			fprintf(stderr, "kcsadm: warning: kcs is in use (tasks inside its hooks); retrying for up to %g s\n",
				wait);
		nanosleep(&pause, NULL);
	}
}

static int run_unload(struct cli *cli, const struct cli_cmd *cmd, int argc,
		      char **argv)
{
	static const struct option opts[] = {
		{ "wait", required_argument, NULL, 'w' },
		CLI_COMMON_OPTS, { 0 }
	};
	struct unload_opts o = { .wait = 10 };
	struct kcs_err err;
	int ret, was;

	ret = cli_parse(cli, cmd, argc, argv, ":hw:", opts, unload_opt, &o);
	if (ret != CLI_CONTINUE)
		return ret;
	if (optind < argc)
		return cli_usage(cli, cmd, "unexpected argument '%s'", argv[optind]);
	if (unload_retrying(o.wait, &was, &err))
		return cli_fail(cli, &err);
	if (cli->json)
		return out_json(json_pack("{s:s,s:b}", "module", KCS_MODULE_NAME,
					  "was_loaded", was), 0);
	printf(was ? "kcs module unloaded\n" : "kcs module was not loaded\n");
	return KCS_EXIT_OK;
}

const struct cli_cmd cmd_load = {
	.name = "load",
	.run = run_load,
	.usage =
"Usage: kcsadm load [--module PATH]\n"
"\n"
"Load the kcs kernel module: the file PATH (e.g. kmod/kcs.ko), or the\n"
"module \"kcs\" installed for the running kernel (modprobe rules apply).\n"
"Loading an already loaded module succeeds and says so.\n"
"\n"
"Options:\n"
"  -m, --module PATH  module file to insert\n"
"      --json         JSON output: {\"module\",\"already_loaded\",\"path\"}\n"
"  -h, --help         this text\n",
};

const struct cli_cmd cmd_unload = {
	.name = "unload",
	.run = run_unload,
	.usage =
"Usage: kcsadm unload [--wait SECS]\n"
"\n"
"Remove the kcs kernel module. Succeeds (and says so) when it is not\n"
"loaded. While a task is inside one of its hooks the kernel refuses the\n"
"removal: kcsadm retries for up to SECS seconds (default 10, 0: once),\n"
"with a warning, then exits 7 (in use).\n"
"\n"
"Options:\n"
"  -w, --wait SECS  retry while in use for up to SECS seconds (0-3600)\n"
"      --json       JSON output: {\"module\",\"was_loaded\"}\n"
"  -h, --help       this text\n",
};
