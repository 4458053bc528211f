// SPDX-License-Identifier: GPL-2.0
/*
 * kcsadm oci-hook STAGE: kcsadm run by a container runtime (crun, runc,
 * Podman, CRI-O, containerd) as an OCI hook; the state comes on stdin.
 * A refusal is a non-zero exit with the reason on stderr, which is what
 * the runtime reports to whoever started the container.
 */
#include <string.h>

#include "cmds.h"
#include "oci_hook.h"

enum { OPT_FAIL_OPEN = OPT_FIRST_PRIVATE, OPT_STATE };

static int hook_opt(struct cli *cli, const struct cli_cmd *cmd, int c,
		    const char *arg, void *st)
{
	struct kcs_hook_opts *o = st;

	(void)cli; (void)cmd;
	if (c == OPT_FAIL_OPEN)
		o->fail_open = 1;
	else if (c == OPT_STATE)
		o->state_path = arg;
	return CLI_CONTINUE;
}

static int run_oci_hook(struct cli *cli, const struct cli_cmd *cmd, int argc,
			char **argv)
{
	static const struct option opts[] = {
		{ "fail-open", no_argument, NULL, OPT_FAIL_OPEN },
		{ "state", required_argument, NULL, OPT_STATE },
		CLI_COMMON_OPTS, { 0 }
	};
	struct kcs_hook_opts o = { .state_path = "-" };
	const char *stage;
	struct kcs_err err;
	int ret;

	ret = cli_parse(cli, cmd, argc, argv, ":h", opts, hook_opt, &o);
	if (ret != CLI_CONTINUE)
		return ret;
	if (optind == argc)
		return cli_usage(cli, cmd, "missing STAGE");
	if (argc - optind > 1)
		return cli_usage(cli, cmd, "unexpected argument '%s'", argv[optind + 1]);
	stage = argv[optind];
	/* prestart runs where createRuntime does (older runtimes, Docker). */
	if (!strcmp(stage, "createRuntime") || !strcmp(stage, "prestart"))
		ret = kcs_hook_create_runtime(&o, &err);
	else if (!strcmp(stage, "poststop"))
		ret = kcs_hook_poststop(&o, &err);
	else
		return cli_usage(cli, cmd, "unknown STAGE '%s' (createRuntime, prestart or poststop)",
				 stage);
	if (ret)
		return cli_fail(cli, &err);
	return cli->json ? out_json(json_pack("{s:s,s:b}", "stage", stage, "admitted", 1), 0) :
			   KCS_EXIT_OK;
}

const struct cli_cmd cmd_oci_hook = {
	.name = "oci-hook",
	.run = run_oci_hook,
	.usage =
"Usage: kcsadm oci-hook createRuntime|prestart|poststop [--fail-open]\n"
"\n"
"Run by a container runtime as an OCI hook, the container's state on\n"
"standard input (see docs/runtime-hooks.md and kcsadm hook install).\n"
"\n"
"createRuntime (or prestart): judge the runtime policies on the bundle's\n"
"config.json. A start check that fails an Enforce policy refuses the\n"
"container: exit 8, the reason on stderr (the runtime shows it). Otherwise\n"
"the profile the policies give the container is bound to its cgroup before\n"
"its first program runs (loaded from $KCS_CONFDIR/profiles/NAME.json when\n"
"the kernel does not have it), and its ingress rules, if it has any,\n"
"become the nftables table inet kcs in the container's own network\n"
"namespace, as with bind --netns. When kcs cannot enforce an Enforce\n"
"policy (module not loaded, profile missing, several profiles, ingress\n"
"rules for a container in the host's network namespace or nftables\n"
"failing) the container is refused too, unless --fail-open. Audit\n"
"findings start the container and are logged (syslog, facility\n"
"authpriv).\n"
"\n"
"poststop: remove the container's binding and its namespace records.\n"
"Never fails the runtime.\n"
"\n"
"Options:\n"
"      --fail-open   start containers kcs cannot enforce on (logged)\n"
"      --state FILE  read the state from FILE instead of stdin\n"
"      --json        JSON output on success: {\"stage\",\"admitted\"}\n"
"  -h, --help        this text\n"
"\n"
"Environment: KCS_CONFDIR (default /etc/kcs), KCS_RUNDIR (default /run/kcs),\n"
"KCS_STATE_DIR (default /run/kcs)\n",
};
