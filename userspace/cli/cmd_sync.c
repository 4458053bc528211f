// SPDX-License-Identifier: GPL-2.0
/*
 * kcsadm sync: bind the containers that run already (see oci_sync.h).
 * kcsadm restore: what a boot needs after kcsadm load: every profile of
 * $KCS_CONFDIR/profiles into the kernel, then sync.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "names.h"
#include "oci_state.h"
#include "oci_sync.h"
#include "policy_store.h"
#include "profile_file.h"
#include "profile_state.h"

enum { OPT_ROOT = OPT_FIRST_PRIVATE };

#define MAX_ROOTS	64

struct sync_opts {
	const char *roots[MAX_ROOTS + 1];
	size_t nroots;
	int too_many;
};

static int sync_opt(struct cli *cli, const struct cli_cmd *cmd, int c,
		    const char *arg, void *st)
{
	struct sync_opts *o = st;

	(void)cli; (void)cmd;
	if (c == OPT_ROOT) {
		if (o->nroots == MAX_ROOTS)
			o->too_many = 1;
		else
			o->roots[o->nroots++] = arg;
	}
	return CLI_CONTINUE;
}

static json_t *item_json(const struct kcs_sync_item *it)
{
	json_t *j = json_pack("{s:o,s:o,s:s}", "id", out_jstr(it->id),
			      "runtime", it->runtime ? json_string(it->runtime) : json_null(),
			      "action", kcs_sync_action_name(it->action));

	if (!j)
		return NULL;
	if (it->pid)
		json_object_set_new(j, "pid", json_integer(it->pid));
	if (it->profiles.n) {
		json_object_set_new(j, "profile", json_string(it->profiles.name[0]));
		json_object_set_new(j, "mode",
				    json_string(kcs_mode_name(it->profiles.mode[0])));
		json_object_set_new(j, "profiles", out_profiles_json(&it->profiles));
	}
	if (it->cgroup_id)
		json_object_set_new(j, "cgroup_id", json_integer((json_int_t)it->cgroup_id));
	if (it->nfindings)
		json_object_set_new(j, "findings", json_integer((json_int_t)it->nfindings));
	if (it->action == KCS_SYNC_FAILED)
		json_object_set_new(j, "error", json_pack("{s:i,s:o}", "exit",
				    (int)it->err.code, "message", out_jstr(it->err.msg)));
	return j;
}

static void item_text(const struct kcs_sync_item *it)
{
	char buf[KCS_PROFILES_TEXT_MAX];

	out_text_str(stdout, it->id);
	printf(" %s %s", it->runtime ? it->runtime : "-",
	       kcs_sync_action_name(it->action));
	if (it->action == KCS_SYNC_BOUND || it->action == KCS_SYNC_ALREADY_BOUND)
		printf(" %s", kcs_profiles_text(&it->profiles, buf, sizeof(buf)));
	else if (it->action == KCS_SYNC_FORGOTTEN && it->cgroup_id)
		printf(" (its cgroup %" PRIu64 " is gone)", it->cgroup_id);
	else if (it->action == KCS_SYNC_FORGOTTEN)
		printf(" (an entry without a cgroup id)");
	else if (it->action == KCS_SYNC_FAILED) {
		printf(": ");
		out_text_str(stdout, it->err.msg);
	}
	if (it->nfindings)
		printf(", %zu start-check finding%s logged", it->nfindings,
		       it->nfindings == 1 ? "" : "s");
	printf("\n");
}

/* Run sync; *@arr (JSON, or NULL for text) gets its items, text goes to
 * stdout. Returns the exit code: the first failed container's, or 0. */
static int do_sync(struct cli *cli, const struct sync_opts *so, json_t *arr)
{
	const char *const *roots = so->nroots ? so->roots : kcs_oci_default_roots;
	struct kcs_hook_opts ho = { 0 };
	size_t i, n = 0, nfailed = 0;
	struct kcs_sync_list l;
	struct kcs_err err;
	int code = KCS_EXIT_OK;

	while (roots[n])
		n++;
	if (kcs_sync(roots, n, &ho, &l, &err))
		return cli_fail(cli, &err);
	for (i = 0; i < l.n; i++) {
		const struct kcs_sync_item *it = &l.v[i];

		if (arr)
			json_array_append_new(arr, item_json(it));
		else
			item_text(it);
		if (it->action == KCS_SYNC_FAILED) {
			nfailed++;
			if (!code)
				code = it->err.code ? (int)it->err.code : KCS_EXIT_FAILED;
		}
	}
	if (nfailed)
		fprintf(stderr, "kcsadm: sync: %zu container%s failed\n", nfailed,
			nfailed == 1 ? "" : "s");
	kcs_sync_list_free(&l);
	return code;
}

static int run_sync(struct cli *cli, const struct cli_cmd *cmd, int argc,
		    char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, OPT_ROOT },
		CLI_COMMON_OPTS, { 0 }
	};
	struct sync_opts so = { .nroots = 0 };
	json_t *arr;
	int ret;

	ret = cli_parse(cli, cmd, argc, argv, ":h", opts, sync_opt, &so);
	if (ret != CLI_CONTINUE)
		return ret;
	if (optind < argc)
		return cli_usage(cli, cmd, "unexpected argument '%s'", argv[optind]);
	if (so.too_many)
		return cli_usage(cli, cmd, "more than %d --root", MAX_ROOTS);
	arr = cli->json ? json_array() : NULL;
	ret = do_sync(cli, &so, arr);
	/* A failure of the whole was reported by do_sync already. */
	if (arr && (!ret || json_array_size(arr)))
		out_json(arr, 0);
	else
		json_decref(arr);
	return ret;
}

/* ---- restore ---- */

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The NAME.json files of $KCS_CONFDIR/profiles, sorted (*@n of them). */
static char **profile_files(size_t *n, struct kcs_err *err)
{
	char dir[PATH_MAX], **v = NULL, **nv;
	struct dirent *de;
	size_t len;
	DIR *d;

	*n = 0;
	snprintf(dir, sizeof(dir), "%s/profiles", kcs_conf_dir());
	d = opendir(dir);
	if (!d) {
		if (errno == ENOENT)
			return calloc(1, sizeof(*v));
		kcs_err_set(err, kcs_exit_from_errno(errno), "%s: %s", dir,
			    strerror(errno));
		return NULL;
	}
	while ((de = readdir(d))) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len <= 5 ||
		    strcmp(de->d_name + len - 5, ".json"))
			continue;
		nv = realloc(v, (*n + 2) * sizeof(*v));
		if (!nv || asprintf(&nv[*n], "%s/%s", dir, de->d_name) < 0) {
			v = nv ? nv : v;
			while (*n)
				free(v[--*n]);
			free(v);
			closedir(d);
			kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
			return NULL;
		}
		v = nv;
		v[++*n] = NULL;
	}
	closedir(d);
	if (!v)
		return calloc(1, sizeof(*v));
	qsort(v, *n, sizeof(*v), by_name);
	return v;
}

/* Apply one profile file; the profile must be named as the file is,
 * which is how oci-hook finds it. */
static int restore_one(struct kcs_nl *nl, const char *path, char *name,
		       size_t len, struct kcs_err *err)
{
	const char *base = strrchr(path, '/') + 1;
	struct kcs_compiled_profile cp;
	struct kcs_profile_spec spec;
	struct kcs_err rerr;
	int ret;

	snprintf(name, len, "%.*s", (int)(strlen(base) - 5), base);
	if (kcs_profile_prepare(path, 1, &spec, &cp, err))
		return -1;
	if (strcmp(cp.name, name))
		ret = kcs_err_set(err, KCS_EXIT_INVALID,
				  "%s holds profile \"%s\", not \"%s\"", path,
				  cp.name, name);
	else
		ret = kcs_profile_push(nl, &cp, err);
	/* Applied either way; only `profile show` would miss the rules. */
	if (!ret && kcs_profile_record(nl, &spec, &rerr))
		fprintf(stderr, "kcsadm: warning: %s\n", rerr.msg);
	kcs_compiled_free(&cp);
	kcs_profile_free(&spec);
	return ret;
}

static int run_restore(struct cli *cli, const struct cli_cmd *cmd, int argc,
		       char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, OPT_ROOT },
		CLI_COMMON_OPTS, { 0 }
	};
	struct sync_opts so = { .nroots = 0 };
	json_t *profiles = NULL, *containers = NULL;
	int ret, code = KCS_EXIT_OK;
	char **files, name[256];
	struct kcs_err err;
	struct kcs_nl nl;
	size_t i, n;

	ret = cli_parse(cli, cmd, argc, argv, ":h", opts, sync_opt, &so);
	if (ret != CLI_CONTINUE)
		return ret;
	if (optind < argc)
		return cli_usage(cli, cmd, "unexpected argument '%s'", argv[optind]);
	if (so.too_many)
		return cli_usage(cli, cmd, "more than %d --root", MAX_ROOTS);
	files = profile_files(&n, &err);
	if (!files)
		return cli_fail(cli, &err);
	if (kcs_nl_open(&nl, &err)) {
		for (i = 0; i < n; i++)
			free(files[i]);
		free(files);
		return cli_fail(cli, &err);
	}
	if (cli->json) {
		profiles = json_array();
		containers = json_array();
	}
	/* Each profile on its own: one bad file must not leave the node
	 * without the others. */
	for (i = 0; i < n; i++) {
		ret = restore_one(&nl, files[i], name, sizeof(name), &err);
		if (ret && !code)
			code = err.code;
		if (profiles) {
			json_t *j = json_pack("{s:o,s:o,s:b}", "name", out_jstr(name),
					      "file", out_jstr(files[i]), "applied", !ret);

			if (j && ret)
				json_object_set_new(j, "error", json_pack("{s:i,s:o}",
						    "exit", (int)err.code, "message",
						    out_jstr(err.msg)));
			json_array_append_new(profiles, j);
		} else {
			printf("profile ");
			out_text_str(stdout, name);
			printf(ret ? " failed: " : " applied\n");
		}
		if (ret && !profiles) {
			out_text_str(stdout, err.msg);
			printf("\n");
		}
		if (ret)
			fprintf(stderr, "kcsadm: %s\n", err.msg);
		free(files[i]);
	}
	free(files);
	kcs_nl_close(&nl);
	ret = do_sync(cli, &so, containers);
	if (!code)
		code = ret;
	if (cli->json)
		out_json(json_pack("{s:o,s:o}", "profiles", profiles,
				   "containers", containers), 0);
	return code;
}

const struct cli_cmd cmd_sync = {
	.name = "sync",
	.run = run_sync,
	.usage =
"Usage: kcsadm sync [--root DIR]...\n"
"\n"
"Bind the containers that run already (started before kcs was loaded, or\n"
"while its hook was not installed) as the oci-hook createRuntime stage\n"
"would have, found in the OCI runtimes' state directories: DIR/ID/status\n"
"(crun) or DIR/ID/state.json (runc and the runc shims of containerd,\n"
"Docker and CRI-O). Without --root: /run/crun, /run/runc,\n"
"/run/containerd/runc/{k8s.io,moby,default} and\n"
"/run/docker/runtime-runc/moby. Rootless Podman keeps its state\n"
"elsewhere (/run/user/UID/crun): give it with --root.\n"
"\n"
"A running container is never stopped: start-check findings are logged\n"
"(syslog, facility authpriv), and the profile its policies give it is\n"
"bound to its cgroup, with its init's root as the container's, and its\n"
"ingress rules, if any, to the container's network namespace (as the\n"
"hook does).\n"
"Containers whose cgroup has a binding are left alone, so running sync\n"
"again changes nothing. Bindings remembered in $KCS_RUNDIR/containers\n"
"for containers that are gone (not running, cgroup removed) are\n"
"forgotten.\n"
"\n"
"One line per container: ID RUNTIME ACTION, where ACTION is bound\n"
"PROFILE (MODE), not covered, already bound PROFILE (MODE), not running,\n"
"failed: REASON, or forgotten. Exit 0, or the exit code of the first\n"
"container that failed (e.g. 5: module not loaded).\n"
"\n"
"Options:\n"
"      --root DIR  a runtime state directory to search (repeatable;\n"
"                  replaces the defaults)\n"
"      --json      a JSON array, one object per container: id, runtime,\n"
"                  action, pid, profile, mode, cgroup_id, findings, error\n"
"  -h, --help      this text\n"
"\n"
"Environment: KCS_CONFDIR (default /etc/kcs), KCS_RUNDIR (default /run/kcs)\n",
};

const struct cli_cmd cmd_restore = {
	.name = "restore",
	.run = run_restore,
	.usage =
"Usage: kcsadm restore [--root DIR]...\n"
"\n"
"Bring a node back to its stored state, after kcsadm load at boot (see\n"
"contrib/systemd/kcs.service): apply every $KCS_CONFDIR/profiles/NAME.json\n"
"to the kernel as kcsadm profile apply -f does (the profile in it must\n"
"be named NAME), then run kcsadm sync. A profile that fails is reported\n"
"and the others are applied all the same. Runtime policies and\n"
"registered images need no restoring: they are read from $KCS_CONFDIR\n"
"when used.\n"
"\n"
"Output: one line per profile (profile NAME applied, or failed: REASON),\n"
"then sync's lines. Exit 0, or the first failed profile's exit code,\n"
"else sync's. Without the module: exit 5 before anything is applied.\n"
"\n"
"Options:\n"
"      --root DIR  as for kcsadm sync\n"
"      --json      {\"profiles\": [{name, file, applied, error}],\n"
"                  \"containers\": [as kcsadm sync --json]}\n"
"  -h, --help      this text\n"
"\n"
"Environment: KCS_CONFDIR (default /etc/kcs), KCS_RUNDIR (default /run/kcs)\n",
};
