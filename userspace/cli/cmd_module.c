// SPDX-License-Identifier: GPL-2.0
/* kcsadm load / unload: the module's lifetime, through libkmod. */
#include "cmds.h"
#include "kmodctl.h"

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

static int run_load(struct cli *cli, const struct cli_cmd *cmd, int argc,
		    char **argv)
{
	static const struct option opts[] = {
		{ "module", required_argument, NULL, 'm' },
		CLI_COMMON_OPTS, { 0 }
	};
	struct load_opts o = { 0 };
	struct kcs_err err;
	int ret, was;

	ret = cli_parse(cli, cmd, argc, argv, ":hm:", opts, load_opt, &o);
	if (ret != CLI_CONTINUE)
		return ret;
	if (optind < argc)
		return cli_usage(cli, cmd, "unexpected argument '%s'", argv[optind]);
	if (kcs_module_load(o.path, &was, &err))
		return cli_fail(cli, &err);
	if (cli->json)
		return out_json(json_pack("{s:s,s:b,s:o}", "module", KCS_MODULE_NAME,
					  "already_loaded", was, "path",
					  o.path ? out_jstr(o.path) : json_null()),
				0);
	printf(was ? "kcs module already loaded\n" : "kcs module loaded\n");
	return KCS_EXIT_OK;
}

static int run_unload(struct cli *cli, const struct cli_cmd *cmd, int argc,
		      char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTS, { 0 } };
	struct kcs_err err;
	int ret, was;

	ret = cli_parse(cli, cmd, argc, argv, ":h", opts, NULL, NULL);
	if (ret != CLI_CONTINUE)
		return ret;
	if (optind < argc)
		return cli_usage(cli, cmd, "unexpected argument '%s'", argv[optind]);
	if (kcs_module_unload(&was, &err))
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
"Usage: kcsadm unload\n"
"\n"
"Remove the kcs kernel module. Succeeds (and says so) when it is not\n"
"loaded; exits 7 when the module is in use.\n"
"\n"
"Options:\n"
"      --json   JSON output: {\"module\",\"was_loaded\"}\n"
"  -h, --help   this text\n",
};
