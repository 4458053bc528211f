// SPDX-License-Identifier: GPL-2.0
/* kcsadm hook install|uninstall: make a container runtime run kcsadm
 * oci-hook (see hook_install.h, docs/runtime-hooks.md). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "hook_install.h"

extern const struct cli_cmd cmd_hook_install, cmd_hook_uninstall;

enum { OPT_RUNTIME = OPT_FIRST_PRIVATE, OPT_DIR, OPT_FAIL_OPEN, OPT_DRY_RUN,
       OPT_FORCE, OPT_EXE, OPT_BASE };

struct hook_opts {
	struct kcs_hook_install in;
	const char *runtime;
	int dry_run, force;
};

static int hook_opt(struct cli *cli, const struct cli_cmd *cmd, int c,
		    const char *arg, void *st)
{
	struct hook_opts *o = st;

	(void)cli; (void)cmd;
	switch (c) {
	case OPT_RUNTIME: o->runtime = arg; break;
	case OPT_DIR: o->in.dir = arg; break;
	case OPT_FAIL_OPEN: o->in.fail_open = 1; break;
	case OPT_DRY_RUN: o->dry_run = 1; break;
	case OPT_FORCE: o->force = 1; break;
	case OPT_EXE: o->in.exe = arg; break;
	case OPT_BASE: o->in.base = arg; break;
	}
	return CLI_CONTINUE;
}

/* What the runtime needs besides the files. */
static const char *next_step(enum kcs_runtime rt, int install)
{
	switch (rt) {
	case KCS_RT_PODMAN:
	case KCS_RT_CRIO:
		return install ? "read by each new container (CRI-O: if crio.conf sets hooks_dir, it must list this directory)" :
				 "new containers run without kcs";
	case KCS_RT_CONTAINERD:
		return install ? "set base_runtime_spec to this file for the runc runtime in /etc/containerd/config.toml, then restart containerd (see docs/runtime-hooks.md)" :
				 "remove base_runtime_spec from /etc/containerd/config.toml first, or containerd cannot create containers";
	case KCS_RT_DOCKER:
		return install ? "register it in /etc/docker/daemon.json: {\"runtimes\": {\"kcs\": {\"path\": FILE}}, \"default-runtime\": \"kcs\"}, then restart docker (see docs/runtime-hooks.md)" :
				 "remove the kcs runtime from /etc/docker/daemon.json first, or docker cannot start containers";
	}
	return "";
}

static int parse(struct cli *cli, const struct cli_cmd *cmd, int argc,
		 char **argv, struct hook_opts *o, char exe[PATH_MAX],
		 int install)
{
	static const struct option install_opts[] = {
		{ "runtime", required_argument, NULL, OPT_RUNTIME },
		{ "dir", required_argument, NULL, OPT_DIR },
		{ "fail-open", no_argument, NULL, OPT_FAIL_OPEN },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "exe", required_argument, NULL, OPT_EXE },
		{ "base", required_argument, NULL, OPT_BASE },
		CLI_COMMON_OPTS, { 0 }
	};
	/* What the files say (--exe, --base, --fail-open) is no removal's
	 * business: refused rather than silently ignored. */
	static const struct option uninstall_opts[] = {
		{ "runtime", required_argument, NULL, OPT_RUNTIME },
		{ "dir", required_argument, NULL, OPT_DIR },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "force", no_argument, NULL, OPT_FORCE },
		CLI_COMMON_OPTS, { 0 }
	};
	int ret, rt;

	ret = cli_parse(cli, cmd, argc, argv, ":h",
			install ? install_opts : uninstall_opts, hook_opt, o);
	if (ret != CLI_CONTINUE)
		return ret;
	if (optind < argc)
		return cli_usage(cli, cmd, "unexpected argument '%s'", argv[optind]);
	if (!o->runtime)
		return cli_usage(cli, cmd, "missing --runtime podman|crio|containerd|docker");
	rt = kcs_runtime_parse(o->runtime);
	if (rt < 0)
		return cli_usage(cli, cmd, "unknown runtime '%s' (podman, crio, containerd or docker)",
				 o->runtime);
	o->in.runtime = (enum kcs_runtime)rt;
	if (o->in.base && rt != KCS_RT_CONTAINERD)
		return cli_usage(cli, cmd, "--base is for --runtime containerd");
	/* The hook runs this kcsadm unless told otherwise. */
	if (!o->in.exe) {
		if (!realpath("/proc/self/exe", exe))
			snprintf(exe, PATH_MAX, "/usr/sbin/kcsadm");
		o->in.exe = exe;
	}
	return CLI_CONTINUE;
}

static int run_hook_cmd(struct cli *cli, const struct cli_cmd *cmd, int argc,
			char **argv, int install)
{
	struct kcs_hook_file f[KCS_HOOK_FILES_MAX];
	struct hook_opts o = { .dry_run = 0 };
	json_t *files = NULL;
	char exe[PATH_MAX];
	enum kcs_hook_change done;
	struct kcs_err err;
	size_t i, n;
	int ret;

	ret = parse(cli, cmd, argc, argv, &o, exe, install);
	if (ret != CLI_CONTINUE)
		return ret;
	if (kcs_hook_files(&o.in, f, &n, &err))
		return cli_fail(cli, &err);
	/* All or nothing: a file that is not ours stops before any change. */
	for (i = 0; i < n && !o.dry_run; i++)
		if (kcs_hook_file_check(f[i].path, o.force, &err)) {
			kcs_hook_files_free(f, n);
			return cli_fail(cli, &err);
		}
	if (cli->json)
		files = json_array();
	for (i = 0, ret = 0; i < n && !ret; i++) {
		const char *what;

		if (o.dry_run) {
			what = install ? "would write" : "would remove";
		} else {
			ret = install ? kcs_hook_file_write(&f[i], o.force, &done, &err) :
					kcs_hook_file_remove(f[i].path, o.force, &done, &err);
			if (ret)
				break;
			what = kcs_hook_change_name(done);
		}
		if (files) {
			json_t *j = json_pack("{s:o,s:s}", "path", out_jstr(f[i].path),
					      "action", what);

			if (j && o.dry_run && install)
				json_object_set_new(j, "content", out_jstr(f[i].content));
			json_array_append_new(files, j);
			continue;
		}
		out_text_str(stdout, f[i].path);
		printf(" %s\n", what);
		if (o.dry_run && install)
			fputs(f[i].content, stdout);
	}
	if (!ret && files)
		out_json(json_pack("{s:s,s:o,s:s}", "runtime", o.runtime, "files",
				   files, "next", next_step(o.in.runtime, install)), 0);
	else if (!ret)
		printf("next: %s\n", next_step(o.in.runtime, install));
	else
		json_decref(files);
	kcs_hook_files_free(f, n);
	return ret ? cli_fail(cli, &err) : KCS_EXIT_OK;
}

static int run_install(struct cli *cli, const struct cli_cmd *cmd, int argc,
		       char **argv)
{
	return run_hook_cmd(cli, cmd, argc, argv, 1);
}

static int run_uninstall(struct cli *cli, const struct cli_cmd *cmd, int argc,
			 char **argv)
{
	return run_hook_cmd(cli, cmd, argc, argv, 0);
}

static int run_group(struct cli *cli, const struct cli_cmd *cmd, int argc,
		     char **argv)
{
	static const struct cli_cmd *const sub[] = {
		&cmd_hook_install, &cmd_hook_uninstall, NULL
	};

	return cli_run_group(cli, cmd, sub, argc, argv);
}

const struct cli_cmd cmd_hook = {
	.name = "hook",
	.run = run_group,
	.usage =
"Usage: kcsadm hook install --runtime RUNTIME [--dir DIR] [--fail-open]\n"
"                           [--exe PATH] [--base FILE] [--force] [--dry-run]\n"
"       kcsadm hook uninstall --runtime RUNTIME [--dir DIR] [--force]\n"
"                             [--dry-run]\n"
"\n"
"Make a container runtime run kcsadm oci-hook for every container\n"
"(docs/runtime-hooks.md). RUNTIME: podman, crio, containerd or docker.\n"
"`kcsadm hook CMD --help` describes each command.\n",
};

#define HOOK_FILES \
"  podman, crio  DIR/kcs-createRuntime.json and DIR/kcs-poststop.json,\n" \
"                oci-hooks 1.0.0 files (\"when\": always); DIR defaults to\n" \
"                /etc/containers/oci/hooks.d\n" \
"  containerd    DIR/kcs-base-spec.json, a base runtime spec with the two\n" \
"                hooks for the CRI plugin's base_runtime_spec (containerd\n" \
"                1.6 has no NRI); DIR defaults to /etc/containerd\n" \
"  docker        DIR/kcs-runc, a runc wrapper to register as a runtime in\n" \
"                /etc/docker/daemon.json; it runs the hook's stages around\n" \
"                runc create and delete; DIR defaults to /usr/local/sbin\n"

const struct cli_cmd cmd_hook_install = {
	.name = "hook install",
	.run = run_install,
	.usage =
"Usage: kcsadm hook install --runtime RUNTIME [--dir DIR] [--fail-open]\n"
"                           [--exe PATH] [--base FILE] [--force] [--dry-run]\n"
"\n"
"Write the files that make RUNTIME run kcsadm oci-hook createRuntime\n"
"before each container's program and oci-hook poststop after it:\n"
"\n"
HOOK_FILES
"\n"
"Then prints what the runtime still needs (next: ...). Each file is\n"
"written to a temporary name and renamed; one that exists and was not\n"
"written by kcsadm is left alone (exit 1) unless --force. Writing the\n"
"same file again says unchanged.\n"
"\n"
"Options:\n"
"      --runtime R  podman, crio, containerd or docker\n"
"      --dir DIR    write there instead\n"
"      --fail-open  the hook starts containers kcs cannot enforce on\n"
"                   (oci-hook --fail-open; logged)\n"
"      --exe PATH   the kcsadm the runtime runs (default: this one)\n"
"      --base FILE  containerd: add the hooks to this spec (e.g. the output\n"
"                   of `ctr oci spec`) instead of containerd 1.6's default\n"
"      --force      replace files kcsadm did not write\n"
"      --dry-run    print the files (path, then content) instead\n"
"      --json       {\"runtime\",\"files\":[{\"path\",\"action\"(,\"content\")}],\n"
"                   \"next\"}\n"
"  -h, --help       this text\n",
};

const struct cli_cmd cmd_hook_uninstall = {
	.name = "hook uninstall",
	.run = run_uninstall,
	.usage =
"Usage: kcsadm hook uninstall --runtime RUNTIME [--dir DIR] [--force]\n"
"                             [--dry-run]\n"
"\n"
"Remove the files kcsadm hook install wrote for RUNTIME:\n"
"\n"
HOOK_FILES
"\n"
"A file that is not kcsadm's is left alone (exit 1) unless --force; a\n"
"missing one is reported as absent. Containerd and Docker must stop\n"
"referring to the file first (next: ...).\n"
"\n"
"Options:\n"
"      --runtime R  podman, crio, containerd or docker\n"
"      --dir DIR    remove from there instead\n"
"      --force      remove files kcsadm did not write\n"
"      --dry-run    only say what would be removed\n"
"      --json       {\"runtime\",\"files\":[{\"path\",\"action\"}],\"next\"}\n"
"  -h, --help       this text\n",
};
