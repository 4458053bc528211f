// SPDX-License-Identifier: GPL-2.0
/* kcsadm bind / unbind / bindings: profiles <-> cgroup v2 subtrees. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "caps.h"
#include "cgroup.h"
#include "cmds.h"
#include "names.h"
#include "ops.h"
#include "profile.h"
#include "netns_bind.h"
#include "netns_reg.h"
#include "nft.h"

struct bind_opts {
	const char *netns;
	unsigned int nprofiles;
	char profile[KCS_BIND_PROFILES_MAX][KCS_NAME_MAX];
	int pmode[KCS_BIND_PROFILES_MAX];	/* -1: --mode's */
	int mode;
	int have_id;
	unsigned long long id;
	int have_root_pid;
	unsigned long long root_pid;
	uint64_t caps;
};

enum { OPT_ID = OPT_FIRST_PRIVATE, OPT_NETNS, OPT_ROOT_PID, OPT_BLOCK_CAPS };

/* "CAP_SYS_ADMIN,NET_RAW" or "ALL" into a mask; -1 on an unknown name. */
static int caps_parse(const char *arg, uint64_t *mask)
{
	char buf[1024], *tok, *save = NULL;
	int cap;

	if (!strcasecmp(arg, "ALL")) {
		*mask = (1ULL << KCS_CAP_COUNT) - 1;
		return 0;
	}
	if (snprintf(buf, sizeof(buf), "%s", arg) >= (int)sizeof(buf))
		return -1;
	*mask = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		cap = kcs_cap_parse(tok);
		if (cap < 0)
			return -1;
		*mask |= 1ULL << cap;
	}
	return *mask ? 0 : -1;
}

/* --profile NAME or NAME:MODE, repeatable up to KCS_BIND_PROFILES_MAX. */
static int profile_opt(struct cli *cli, const struct cli_cmd *cmd,
		       const char *arg, struct bind_opts *o)
{
	const char *colon = strchr(arg, ':');
	size_t len = colon ? (size_t)(colon - arg) : strlen(arg);
	char *name;
	unsigned int i;

	if (o->nprofiles == KCS_BIND_PROFILES_MAX)
		return cli_usage(cli, cmd, "at most %d --profile options",
				 KCS_BIND_PROFILES_MAX);
	name = o->profile[o->nprofiles];
	if (len >= KCS_NAME_MAX)
		return cli_usage(cli, cmd, "'%s' is not a valid profile name", arg);
	memcpy(name, arg, len);
	name[len] = '\0';
	if (!kcs_profile_name_valid(name))
		return cli_usage(cli, cmd, "'%s' is not a valid profile name", arg);
	o->pmode[o->nprofiles] = -1;
	if (colon) {
		o->pmode[o->nprofiles] = kcs_mode_parse(colon + 1);
		if (o->pmode[o->nprofiles] < 0)
			return cli_usage(cli, cmd,
					 "--profile %s: the mode after ':' must be audit or enforce",
					 arg);
	}
	for (i = 0; i < o->nprofiles; i++)
		if (!strcmp(o->profile[i], name))
			return cli_usage(cli, cmd, "profile %s is given twice", name);
	o->nprofiles++;
	return CLI_CONTINUE;
}

static int bind_opt(struct cli *cli, const struct cli_cmd *cmd, int c,
		    const char *arg, void *st)
{
	struct bind_opts *o = st;

	switch (c) {
	case 'p':
		return profile_opt(cli, cmd, arg, o);
	case 'm':
		o->mode = kcs_mode_parse(arg);
		if (o->mode < 0)
			return cli_usage(cli, cmd,
					 "--mode must be audit or enforce, not '%s'", arg);
		break;
	case OPT_NETNS:
		o->netns = arg;
		break;
	case OPT_ID:
		if (cli_parse_u64(arg, &o->id) || !o->id)
			return cli_usage(cli, cmd, "--id needs a cgroup id (a positive number), not '%s'",
					 arg);
		o->have_id = 1;
		break;
	case OPT_BLOCK_CAPS:
		if (caps_parse(arg, &o->caps))
			return cli_usage(cli, cmd, "--block-caps needs capability names (CAP_SYS_ADMIN,NET_RAW,...) or ALL, not '%s'",
					 arg);
		break;
	case OPT_ROOT_PID:
		if (cli_parse_u64(arg, &o->root_pid) || !o->root_pid ||
		    o->root_pid > INT32_MAX)
			return cli_usage(cli, cmd, "--root-pid needs a process id, not '%s'",
					 arg);
		o->have_root_pid = 1;
		break;
	}
	return CLI_CONTINUE;
}

/* The cgroup operand or --id: exactly one of them (cli_cgroup_target()). */
static int target(struct cli *cli, const struct cli_cmd *cmd, int argc,
		  char **argv, const struct bind_opts *o, char path[PATH_MAX],
		  uint64_t *id)
{
	char mnt[PATH_MAX];

	return cli_cgroup_target(cli, cmd, argc, argv, o->have_id, o->id, mnt,
				 path, id);
}

static int print_binding(struct cli *cli, const char *verb, const char *path,
			 uint64_t id, const struct kcs_profiles *ps)
{
	char names[KCS_PROFILES_TEXT_MAX];

	if (cli->json) {
		json_t *j = json_pack("{s:o,s:I}", "cgroup",
				      path[0] ? out_jstr(path) : json_null(),
				      "cgroup_id", (json_int_t)id);

		if (j && ps) {
			json_object_set_new(j, "profile", json_string(ps->name[0]));
			json_object_set_new(j, "mode",
					    json_string(kcs_mode_name(ps->mode[0])));
			json_object_set_new(j, "profiles", out_profiles_json(ps));
		}
		return out_json(j, 0);
	}
	printf("cgroup ");
	if (path[0]) {
		out_text_str(stdout, path);
		printf(" (id %" PRIu64 ")", id);
	} else {
		printf("id %" PRIu64, id);
	}
	if (ps && ps->n == 1)
		printf(" %s to profile %s, mode %s\n", verb, ps->name[0],
		       kcs_mode_name(ps->mode[0]));
	else if (ps)
		printf(" %s to profiles %s\n", verb,
		       kcs_profiles_text(ps, names, sizeof(names)));
	else
		printf(" %s\n", verb);
	return KCS_EXIT_OK;
}

/* --netns as an absolute path (the registry outlives our cwd). */
static int netns_path(const char *arg, char *buf, size_t len,
		      struct kcs_err *err)
{
	char cwd[PATH_MAX];

	if (arg[0] == '/') {
		if (snprintf(buf, len, "%s", arg) >= (int)len)
			goto long_path;
		return 0;
	}
	if (!getcwd(cwd, sizeof(cwd)) ||
	    snprintf(buf, len, "%s/%s", cwd, arg) >= (int)len)
		goto long_path;
	return 0;
long_path:
	return kcs_err_set(err, KCS_EXIT_USAGE, "--netns %s: path too long", arg);
}

static int run_bind(struct cli *cli, const struct cli_cmd *cmd, int argc,
		    char **argv)
{
	static const struct option opts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "mode", required_argument, NULL, 'm' },
		{ "id", required_argument, NULL, OPT_ID },
		{ "netns", required_argument, NULL, OPT_NETNS },
		{ "root-pid", required_argument, NULL, OPT_ROOT_PID },
		{ "block-caps", required_argument, NULL, OPT_BLOCK_CAPS },
		CLI_COMMON_OPTS, { 0 }
	};
	struct bind_opts o = { .mode = -1 };
	struct kcs_bind_req req = { 0 };
	struct kcs_netns_rec rec;
	struct kcs_profiles ps;
	int root_pid = 0, k;
	unsigned int i;
	char path[PATH_MAX];
	struct kcs_err err;
	struct kcs_nl nl;
	int ret, nsfd = -1;
	uint64_t id;

	memset(&rec, 0, sizeof(rec));
	ret = cli_parse(cli, cmd, argc, argv, ":hp:m:", opts, bind_opt, &o);
	if (ret != CLI_CONTINUE)
		return ret;
	if (!o.nprofiles)
		return cli_usage(cli, cmd, "missing --profile NAME");
	memset(&ps, 0, sizeof(ps));
	for (i = 0; i < o.nprofiles; i++) {
		if (o.pmode[i] < 0 && o.mode < 0)
			return cli_usage(cli, cmd, "missing --mode audit|enforce (or --profile %s:MODE)",
					 o.profile[i]);
		snprintf(ps.name[i], KCS_NAME_MAX, "%s", o.profile[i]);
		ps.mode[i] = (uint32_t)(o.pmode[i] < 0 ? o.mode : o.pmode[i]);
		req.profile[i] = ps.name[i];
		req.mode[i] = ps.mode[i];
	}
	ps.n = req.nprofiles = o.nprofiles;
	ret = target(cli, cmd, argc, argv, &o, path, &id);
	if (ret != CLI_CONTINUE)
		return ret;
	if (o.netns && netns_path(o.netns, rec.path, sizeof(rec.path), &err))
		return cli_fail(cli, &err);
	/*
	 * The container's root, that exec names are trusted from: --root-pid's,
	 * else the cgroup's oldest task's (its init), else, for a cgroup with
	 * no task yet, the root of the first task to exec in it.
	 */
	if (o.have_root_pid)
		root_pid = (int)o.root_pid;
	else if (path[0] && kcs_cgroup_oldest_task(path, &root_pid, &err))
		return cli_fail(cli, &err);
	if (kcs_nl_open(&nl, &err))
		return cli_fail(cli, &err);
	/*
	 * Ingress first (it can fail on things the kernel never sees), then
	 * the binding; a refused binding takes the new table away again.
	 */
	if (o.netns) {
		rec.cgroup_id = id;
		k = kcs_ingress_pick(&ps, &rec.in, &err);
		if (k < -1) {
			ret = -1;
			goto out;
		}
		/* None: the profile named first, whose table is no table. */
		rec.mode = ps.mode[k < 0 ? 0 : k];
		snprintf(rec.profile, sizeof(rec.profile), "%s", ps.name[k < 0 ? 0 : k]);
		nsfd = kcs_netns_open(rec.path, "--netns", &rec.id, &err);
		if (nsfd < 0 || kcs_netns_bind(nsfd, &rec, &err)) {
			ret = -1;
			goto out;
		}
	}
	req.cgroup_id = id;
	req.root_pid = (uint32_t)root_pid;
	req.caps = o.caps;
	ret = kcs_bind_req(&nl, &req, &err);
	if (ret && nsfd >= 0)
		kcs_netns_bind_undo(nsfd, &rec);
out:
	kcs_nl_close(&nl);
	if (nsfd >= 0)
		close(nsfd);
	kcs_netns_rec_free(&rec);
	if (ret)
		return cli_fail(cli, &err);
	return print_binding(cli, "bound", path, id, &ps);
}

static int run_unbind(struct cli *cli, const struct cli_cmd *cmd, int argc,
		      char **argv)
{
	static const struct option opts[] = {
		{ "id", required_argument, NULL, OPT_ID },
		{ "netns", required_argument, NULL, OPT_NETNS },
		CLI_COMMON_OPTS, { 0 }
	};
	struct bind_opts o = { .mode = -1 };
	struct kcs_netns_id nsid;
	char path[PATH_MAX], nspath[PATH_MAX];
	struct kcs_err err;
	struct kcs_nl nl;
	uint64_t id;
	int ret, nsfd;

	ret = cli_parse(cli, cmd, argc, argv, ":h", opts, bind_opt, &o);
	if (ret != CLI_CONTINUE)
		return ret;
	ret = target(cli, cmd, argc, argv, &o, path, &id);
	if (ret != CLI_CONTINUE)
		return ret;
	if (o.netns && netns_path(o.netns, nspath, sizeof(nspath), &err))
		return cli_fail(cli, &err);
	if (kcs_nl_open(&nl, &err))
		return cli_fail(cli, &err);
	ret = kcs_unbind(&nl, id, &err);
	kcs_nl_close(&nl);
	/* The cgroup's namespace records go (monitor stops listening there). */
	if (!ret && kcs_netns_rec_remove_cgroup(id, &err) < 0)
		ret = -1;
	if (!ret && o.netns) {
		nsfd = kcs_netns_open(nspath, "--netns", &nsid, &err);
		ret = nsfd < 0 ? -1 :
		      kcs_nft_apply(nsfd, nspath, NULL, NULL, 0, &err) ?:
		      kcs_netns_rec_remove(&nsid, &err);
		if (nsfd >= 0)
			close(nsfd);
	}
	if (ret)
		return cli_fail(cli, &err);
	return print_binding(cli, "unbound", path, id, NULL);
}

static json_t *caps_json(uint64_t mask)
{
	json_t *a = json_array();
	int cap;

	for (cap = 0; cap < 64; cap++) {
		const char *name = cap < KCS_CAP_COUNT ? kcs_cap_name(cap) : NULL;
		char num[16];

		if (!(mask & (1ULL << cap)))
			continue;
		snprintf(num, sizeof(num), "%d", cap);
		json_array_append_new(a, json_string(name ? name : num));
	}
	return a;
}

static int print_bindings(struct cli *cli, const struct kcs_binding_vec *c,
			  char **paths)
{
	json_t *arr = cli->json ? json_array() : NULL;
	unsigned int k;
	size_t i;

	if (!cli->json)
		printf("%-12s %-8s %-32s %s\n", "CGROUP_ID", "MODE", "PROFILE", "PATH");
	for (i = 0; i < c->n; i++) {
		const struct kcs_binding *b = &c->v[i];

		if (arr) {
			json_array_append_new(arr, json_pack("{s:I,s:o,s:s,s:s,s:o,s:o}",
				"cgroup_id", (json_int_t)b->cgroup_id,
				"cgroup", paths[i] ? out_jstr(paths[i]) : json_null(),
				"profile", b->profiles.name[0],
				"mode", kcs_mode_name(b->profiles.mode[0]),
				"profiles", out_profiles_json(&b->profiles),
				"block_caps", caps_json(b->caps_block)));
			continue;
		}
		printf("%-12" PRIu64 " %-8s %-32s ", b->cgroup_id,
		       kcs_mode_name(b->profiles.mode[0]), b->profiles.name[0]);
		if (paths[i])
			out_text_str(stdout, paths[i]);
		else
			printf("-");
		printf("\n");
		/* The binding's other profiles, one line each, no id or path. */
		for (k = 1; k < b->profiles.n; k++)
			printf("%-12s %-8s %-32s\n", "+",
			       kcs_mode_name(b->profiles.mode[k]), b->profiles.name[k]);
	}
	if (!cli->json)
		return KCS_EXIT_OK;
	if (arr && json_array_size(arr) != c->n) {
		json_decref(arr);
		arr = NULL;
	}
	return out_json(arr ? json_pack("{s:o}", "bindings", arr) : NULL, 0);
}

static int run_bindings(struct cli *cli, const struct cli_cmd *cmd, int argc,
			char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTS, { 0 } };
	/* Collected first so that one walk of the cgroup tree finds every path. */
	struct kcs_binding_vec c = { 0 };
	char mnt[PATH_MAX], **paths;
	uint64_t *ids;
	struct kcs_err err;
	struct kcs_nl nl;
	size_t i;
	int ret;

	ret = cli_parse(cli, cmd, argc, argv, ":h", opts, NULL, NULL);
	if (ret != CLI_CONTINUE)
		return ret;
	if (optind < argc)
		return cli_usage(cli, cmd, "unexpected argument '%s'", argv[optind]);
	if (kcs_nl_open(&nl, &err))
		return cli_fail(cli, &err);
	ret = kcs_bind_list(&nl, kcs_binding_collect, &c, &err);
	kcs_nl_close(&nl);
	if (ret) {
		free(c.v);
		return cli_fail(cli, &err);
	}
	ids = calloc(c.n + 1, sizeof(*ids));
	paths = calloc(c.n + 1, sizeof(*paths));
	if (!ids || !paths) {
		ret = out_json(NULL, 0);
		goto out;
	}
	for (i = 0; i < c.n; i++)
		ids[i] = c.v[i].cgroup_id;
	/* Paths are a convenience: without cgroup2 the ids still print. */
	if (!kcs_cgroup2_mount(KCS_MOUNTINFO, mnt, sizeof(mnt), NULL))
		kcs_cgroup_paths(mnt, ids, c.n, paths, KCS_CGROUP_WALK_MAX);
	ret = print_bindings(cli, &c, paths);
	for (i = 0; i < c.n; i++)
		free(paths[i]);
out:
	free(paths);
	free(ids);
	free(c.v);
	return ret;
}

/*
 * The commands are the group "binding add|delete|list", like "profile" and
 * "policy"; "bind", "unbind" and "bindings" are the same commands under
 * their first names, kept because scripts use them. Each pair shares its
 * run() and its text: only the synopsis differs.
 */
#define BIND_SYNOPSIS(c, pad) \
"Usage: kcsadm " c " CGROUP --profile NAME[:MODE]... [--mode audit|enforce]\n" \
"       " pad "[--netns PATH] [--root-pid PID] [--block-caps CAPS]\n" \
"       kcsadm " c " --id ID --profile NAME[:MODE]... [--mode audit|enforce]\n" \
"       " pad "[--netns PATH] [--root-pid PID] [--block-caps CAPS]\n"

#define BIND_HELP \
"\n" \
"Bind profiles to a cgroup v2 directory and everything below it, or\n" \
"change an existing binding. CGROUP is a path under the cgroup2 mount\n" \
"(e.g. /sys/fs/cgroup/kubepods.slice/...) or relative to it; its id is\n" \
"the directory's inode number. The root cgroup cannot be bound.\n" \
"`kcsadm bind` and `kcsadm binding add` are the same command.\n" \
"\n" \
"Several profiles (up to 4, --profile repeated): every one decides, in\n" \
"its own mode. What an enforce profile denies fails with EPERM, what\n" \
"only audit profiles deny runs; each profile that denies sends an event\n" \
"naming it. A rebind replaces them all at once, or nothing.\n" \
"\n" \
"Exec names are trusted only if they lead to the executed file from the\n" \
"container's root: that of --root-pid, else of the cgroup's oldest task,\n" \
"else (an empty cgroup, --id) of the first task that execs in it. A\n" \
"rebind without --root-pid keeps the root the binding has.\n" \
"\n" \
"--block-caps: capabilities the bound tasks may not use, also inside user\n" \
"namespaces of their own (denied with EPERM under enforce, reported under\n" \
"audit), from the binding's first exec on.\n" \
"\n" \
"Options:\n" \
"  -p, --profile NAME[:MODE]  profile to apply (must exist), in MODE or\n" \
"                      --mode's; repeatable, each profile once\n" \
"  -m, --mode MODE     audit: report would-be denials; enforce: deny (EPERM)\n" \
"                      (blocked capabilities: the first profile's mode)\n" \
"      --id ID         the cgroup by id instead of by path\n" \
"      --root-pid PID  the task whose root is the container's\n" \
"      --block-caps CAPS  comma-separated capabilities (CAP_SYS_ADMIN or\n" \
"                      SYS_ADMIN), or ALL\n" \
"      --netns PATH    also apply the profile's ingress rules as the\n" \
"                      nftables table inet kcs in that network namespace\n" \
"                      (/proc/PID/ns/net, /run/netns/NAME) and record it\n" \
"                      in $KCS_STATE_DIR/netns for kcsadm monitor and\n" \
"                      netwatch; without ingress rules, remove the table\n" \
"                      (one of the profiles at most may have them)\n" \
"      --json          JSON output: {\"cgroup\",\"cgroup_id\",\"profile\",\"mode\",\n" \
"                      \"profiles\":[{\"name\",\"mode\"}]}\n" \
"  -h, --help          this text\n"

#define UNBIND_SYNOPSIS(c) \
"Usage: kcsadm " c " CGROUP [--netns PATH]\n" \
"       kcsadm " c " --id ID [--netns PATH]\n"

#define UNBIND_HELP \
"\n" \
"Remove a cgroup's binding. Use --id (see `kcsadm binding list`) when the\n" \
"cgroup directory no longer exists. Exits 6 when it is not bound. The\n" \
"cgroup's namespace records go ($KCS_STATE_DIR/netns: kcsadm monitor\n" \
"stops listening there); --netns PATH also removes the ingress table\n" \
"inet kcs in that namespace. `kcsadm unbind` and `kcsadm binding delete`\n" \
"are the same command.\n" \
"\n" \
"Options:\n" \
"      --id ID        the cgroup by id instead of by path\n" \
"      --netns PATH   also remove the ingress table in that namespace\n" \
"      --json         JSON output: {\"cgroup\",\"cgroup_id\"}\n" \
"  -h, --help         this text\n"

#define BINDINGS_HELP \
"\n" \
"List bindings: cgroup id, mode, profile, and the cgroup's path when it\n" \
"can be found under the cgroup2 mount (\"-\" otherwise); a binding's other\n" \
"profiles on \"+\" lines after it. `kcsadm bindings` and `kcsadm binding\n" \
"list` are the same command.\n" \
"\n" \
"Options:\n" \
"      --json   JSON output: {\"bindings\":[{\"cgroup_id\",\"cgroup\",\n" \
"               \"profile\",\"mode\",\"profiles\",\"block_caps\"}]},\n" \
"               \"cgroup\" null when not found\n" \
"  -h, --help   this text\n"

const struct cli_cmd cmd_bind = {
	.name = "bind",
	.run = run_bind,
	.usage = BIND_SYNOPSIS("bind", "            ") BIND_HELP,
};

const struct cli_cmd cmd_unbind = {
	.name = "unbind",
	.run = run_unbind,
	.usage = UNBIND_SYNOPSIS("unbind") UNBIND_HELP,
};

const struct cli_cmd cmd_bindings = {
	.name = "bindings",
	.run = run_bindings,
	.usage = "Usage: kcsadm bindings\n" BINDINGS_HELP,
};

/* ---- the group ---- */

static const struct cli_cmd cmd_binding_add = {
	.name = "binding add",
	.run = run_bind,
	.usage = BIND_SYNOPSIS("binding add", "                   ") BIND_HELP,
};

static const struct cli_cmd cmd_binding_delete = {
	.name = "binding delete",
	.run = run_unbind,
	.usage = UNBIND_SYNOPSIS("binding delete") UNBIND_HELP,
};

static const struct cli_cmd cmd_binding_list = {
	.name = "binding list",
	.run = run_bindings,
	.usage = "Usage: kcsadm binding list\n" BINDINGS_HELP,
};

static int run_group(struct cli *cli, const struct cli_cmd *cmd, int argc,
		     char **argv)
{
	static const struct cli_cmd *const sub[] = {
		&cmd_binding_add, &cmd_binding_delete, &cmd_binding_list, NULL
	};

	return cli_run_group(cli, cmd, sub, argc, argv);
}

const struct cli_cmd cmd_binding = {
	.name = "binding",
	.run = run_group,
	.usage =
"Usage: kcsadm binding add CGROUP --profile NAME[:MODE]... [--mode MODE] ...\n"
"       kcsadm binding delete CGROUP | --id ID\n"
"       kcsadm binding list\n"
"\n"
"Manage bindings of profiles to cgroups. `kcsadm binding CMD --help`\n"
"describes each command. Aliases, kept for existing scripts: `kcsadm bind`\n"
"(binding add), `kcsadm unbind` (binding delete), `kcsadm bindings`\n"
"(binding list).\n",
};
