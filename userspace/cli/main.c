// SPDX-License-Identifier: GPL-2.0
/* kcsadm: the controller of the kcs kernel module. */
#include <string.h>
#include <linux/kcs.h>

#include "cmds.h"

static const char usage[] =
"Usage: kcsadm [--json] COMMAND [ARGS...]\n"
"       kcsadm COMMAND --help\n"
"\n"
"Control kcs, the container exec enforcer (kernel module kcs.ko).\n"
"\n"
"Commands:\n"
"  load [--module PATH]     load the kcs module\n"
"  unload                   unload the kcs module\n"
"  status                   ABI version, statistics, counts\n"
"  profile check -f FILE    validate and compile a profile (no kernel)\n"
"  profile apply -f FILE    create or replace a profile in the kernel\n"
"  profile list             list the kernel's profiles\n"
"  profile show NAME        show one profile\n"
"  profile export NAME      the profile as applied, JSON for profile apply\n"
"  profile delete NAME      delete a profile (must not be bound)\n"
"  binding add CGROUP --profile NAME --mode audit|enforce [--netns PATH]\n"
"                           apply a profile to a cgroup v2 subtree (and\n"
"                           its ingress rules to a network namespace)\n"
"  binding delete CGROUP | --id ID\n"
"                           remove a cgroup's binding\n"
"  binding list             list bindings\n"
"  monitor [--count N] [--timeout SECONDS] [--output FILE] [--syslog]\n"
"          [--journal]      print events (exec, network, ingress) as they\n"
"                           happen, or send them to files and logs\n"
"  metrics [--textfile DIR] statistics and bindings as Prometheus metrics\n"
"  netwatch -f FILE         keep a profile's FQDN rules resolved\n"
"  learn CGROUP --duration SECONDS [-o FILE]\n"
"                           learn a profile from what a container does\n"
"  policy apply -f FILE | list | show NAME | delete NAME\n"
"                           manage runtime policies (no kernel)\n"
"  policy explain BUNDLE [--state FILE]\n"
"                           which policies, profiles and start checks\n"
"                           apply to an OCI bundle's container\n"
"  image register REF | list | delete REF\n"
"                           manage registered images\n"
"  oci-hook createRuntime|poststop [--fail-open]\n"
"                           run as a container runtime's OCI hook: admit\n"
"                           the container and bind its profile\n"
"  sync [--root DIR]...     bind the containers that run already\n"
"  restore                  at boot, after load: apply the profiles of\n"
"                           $KCS_CONFDIR/profiles, then sync\n"
"  hook install|uninstall --runtime podman|crio|containerd|docker\n"
"                           make a runtime run kcsadm oci-hook\n"
"\n"
"Aliases (kept for existing scripts): bind = binding add,\n"
"  unbind = binding delete, bindings = binding list\n"
"\n"
"Global options:\n"
"  --json      machine-readable output on stdout (also accepted after the\n"
"              command); errors are then also printed there as\n"
"              {\"error\":{\"exit\":N,\"message\":\"...\"}}\n"
"  --help      this text\n"
"  --version   kcsadm and protocol version\n"
"\n"
"Exit codes:\n"
"  0  success\n"
"  1  operation failed (kernel or system error not listed below)\n"
"  2  usage error\n"
"  3  invalid input (profile, policy, pattern, image reference or JSON)\n"
"  4  permission denied (needs root on the host)\n"
"  5  kcs module not loaded\n"
"  6  not found (profile, policy, image, binding, cgroup, file)\n"
"  7  busy (e.g. profile still bound, module in use)\n"
"  8  container refused (oci-hook: a policy or kcs failing closed)\n"
"\n"
"Environment: KCS_CONFDIR  policies, images, profiles (default /etc/kcs)\n"
"             KCS_RUNDIR   bindings made by oci-hook and sync (default /run/kcs)\n"
"\n"
"Documentation: docs/kcsadm.md, docs/profile-format.md, docs/policy-format.md,\n"
"               docs/runtime-hooks.md\n";

static const struct cli_cmd cmd_main = { .name = "", .usage = usage };

static const struct cli_cmd *const commands[] = {
	&cmd_load, &cmd_unload, &cmd_status, &cmd_profile, &cmd_binding,
	&cmd_bind, &cmd_unbind, &cmd_bindings, &cmd_monitor, &cmd_metrics,
	&cmd_netwatch, &cmd_learn, &cmd_policy,
	&cmd_image, &cmd_oci_hook, &cmd_sync, &cmd_restore,
	&cmd_hook, NULL
};

int cli_dispatch(struct cli *cli, const struct cli_cmd *group,
		 const struct cli_cmd *const *table, int argc, char **argv)
{
	const struct cli_cmd *const *c;

	if (argc < 1)
		return cli_usage(cli, group->name[0] ? group : NULL,
				 "missing command");
	for (c = table; *c; c++) {
		const char *last = strrchr((*c)->name, ' ');

		if (!strcmp(last ? last + 1 : (*c)->name, argv[0]))
			return (*c)->run(cli, *c, argc, argv);
	}
	return cli_usage(cli, group->name[0] ? group : NULL,
			 "unknown command '%s'", argv[0]);
}

int cli_run_group(struct cli *cli, const struct cli_cmd *group,
		  const struct cli_cmd *const *table, int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTS, { 0 } };
	int ret;

	if (cli->complete)
		return cli_complete_group(cli, table, opts, argc, argv);
	ret = cli_parse(cli, group, argc, argv, "+:h", opts, NULL, NULL);
	if (ret != CLI_CONTINUE)
		return ret;
	return cli_dispatch(cli, group, table, argc - optind, argv + optind);
}

enum { OPT_VERSION = OPT_FIRST_PRIVATE };

static int main_opt(struct cli *cli, const struct cli_cmd *cmd, int c,
		    const char *arg, void *st)
{
	(void)cli; (void)cmd; (void)arg;
	/* Answered once all global options are read: --json may follow. */
	if (c == OPT_VERSION)
		*(int *)st = 1;
	return CLI_CONTINUE;
}

static int version(const struct cli *cli)
{
	if (cli->json)
		return out_json(json_pack("{s:s,s:i}", "program", "kcsadm",
					  "genl_version", KCS_GENL_VERSION), 0);
	printf("kcsadm, kcs generic netlink protocol version %d\n",
	       KCS_GENL_VERSION);
	return KCS_EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTS,
		{ "version", no_argument, NULL, OPT_VERSION },
		{ 0 }
	};
	struct cli cli = { 0 };
	int ret, want_version = 0;

	/* Hidden: shell completion (contrib/completion/kcsadm). */
	if (argc > 1 && !strcmp(argv[1], "__complete")) {
		cli.complete = 1;
		return cli_complete_group(&cli, commands, opts, argc - 1,
					  argv + 1);
	}
	/* '+': global options end at the command name. */
	ret = cli_parse(&cli, &cmd_main, argc, argv, "+:h", opts, main_opt,
			&want_version);
	if (ret == CLI_CONTINUE && want_version)
		ret = version(&cli);
	else if (ret == CLI_CONTINUE)
		ret = cli_dispatch(&cli, &cmd_main, commands, argc - optind,
				   argv + optind);
	/* A full disk or closed pipe must not pass for success. */
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "kcsadm: writing output: %s\n", strerror(errno));
		if (!ret)
			ret = KCS_EXIT_FAILED;
	}
	return ret;
}
