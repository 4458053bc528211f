// SPDX-License-Identifier: GPL-2.0
/* kcsadm policy apply|list|show|delete|explain: runtime policies, kept in
 * $KCS_CONFDIR/policies (no kernel involved). */
#include <string.h>

#include "caps.h"
#include "cmds.h"
#include "names.h"
#include "policy_eval.h"
#include "policy_store.h"
#include "readfile.h"

extern const struct cli_cmd cmd_policy_apply, cmd_policy_list,
	cmd_policy_show, cmd_policy_delete, cmd_policy_explain;

/* ---- summaries ---- */

/* The profiles a policy maps to, each once, in order of appearance. */
static json_t *profiles_json(const struct kcs_policy *p)
{
	json_t *a = json_array();
	size_t m, k, i;

	for (m = 0; a && m < p->nmappings; m++)
		for (k = 0; k < p->mappings[m].nprofiles; k++) {
			const char *name = p->mappings[m].profiles[k];

			for (i = 0; i < json_array_size(a); i++)
				if (!strcmp(json_string_value(json_array_get(a, i)), name))
					break;
			if (i == json_array_size(a))
				json_array_append_new(a, json_string(name));
		}
	return a;
}

static json_t *checks_json(const struct kcs_policy *p)
{
	json_t *a = json_array();
	int c;

	for (c = 0; a && c < KCS_CHECK_COUNT; c++)
		if (p->checks.enabled & (1U << c))
			json_array_append_new(a, json_string(kcs_check_name(c)));
	return a;
}

static json_t *summary_json(const struct kcs_policy *p)
{
	return json_pack("{s:s,s:o,s:b,s:s,s:I,s:I,s:I,s:o,s:o}",
			 "name", p->name, "description",
			 p->description ? out_jstr(p->description) : json_null(),
			 "enabled", p->enabled, "mode", kcs_mode_name(p->mode),
			 "scope", (json_int_t)p->nscope,
			 "exclusions", (json_int_t)p->nexclusions,
			 "mappings", (json_int_t)p->nmappings,
			 "profiles", profiles_json(p), "checks", checks_json(p));
}

/* The JSON array @a of strings as "a, b, c" ("-" when empty). */
static void print_list(const json_t *a)
{
	size_t i;

	if (!json_array_size(a))
		fputs("-", stdout);
	for (i = 0; i < json_array_size(a); i++)
		printf("%s%s", i ? "," : "", json_string_value(json_array_get(a, i)));
}

/* ---- apply ---- */

struct apply_opts {
	const char *file;
};

static int apply_opt(struct cli *cli, const struct cli_cmd *cmd, int c,
		     const char *arg, void *st)
{
	(void)cli; (void)cmd;
	if (c == 'f')
		((struct apply_opts *)st)->file = arg;
	return CLI_CONTINUE;
}

static int run_apply(struct cli *cli, const struct cli_cmd *cmd, int argc,
		     char **argv)
{
	static const struct option opts[] = {
		{ "file", required_argument, NULL, 'f' },
		CLI_COMMON_OPTS, { 0 }
	};
	struct apply_opts o = { 0 };
	struct kcs_policy pol;
	struct kcs_err err;
	int ret, replaced;
	size_t len;
	char *buf;

	ret = cli_parse(cli, cmd, argc, argv, ":hf:", opts, apply_opt, &o);
	if (ret != CLI_CONTINUE)
		return ret;
	if (optind < argc)
		return cli_usage(cli, cmd, "unexpected argument '%s'", argv[optind]);
	if (!o.file)
		return cli_usage(cli, cmd, "missing -f FILE");
	buf = kcs_read_file(o.file, KCS_POLICY_FILE_MAX, &len, &err);
	if (!buf)
		return cli_fail(cli, &err);
	ret = kcs_policy_store_put(buf, len, strcmp(o.file, "-") ? o.file : "<stdin>",
				   &pol, &replaced, &err);
	free(buf);
	if (ret)
		return cli_fail(cli, &err);
	if (cli->json) {
		json_t *j = summary_json(&pol);

		if (j) {
			json_object_set_new(j, "applied", json_true());
			json_object_set_new(j, "replaced", json_boolean(replaced));
		}
		ret = out_json(j, 0);
	} else {
		printf("policy %s %s (%s, %s)\n", pol.name,
		       replaced ? "replaced" : "applied", kcs_mode_name(pol.mode),
		       pol.enabled ? "enabled" : "disabled");
	}
	kcs_policy_free(&pol);
	return ret;
}

/* ---- list / show / delete ---- */

/* Common options and the operand count; CLI_CONTINUE or an exit code. */
static int begin(struct cli *cli, const struct cli_cmd *cmd, int argc,
		 char **argv, int operands)
{
	static const struct option opts[] = { CLI_COMMON_OPTS, { 0 } };
	int ret;

	ret = cli_parse(cli, cmd, argc, argv, ":h", opts, NULL, NULL);
	if (ret != CLI_CONTINUE)
		return ret;
	if (argc - optind < operands)
		return cli_usage(cli, cmd, "missing NAME");
	if (argc - optind > operands)
		return cli_usage(cli, cmd, "unexpected argument '%s'",
				 argv[optind + operands]);
	return CLI_CONTINUE;
}

#define LIST_FMT "%-32s %-8s %-7s %5s %10s %8s  %s\n"

static int run_list(struct cli *cli, const struct cli_cmd *cmd, int argc,
		    char **argv)
{
	struct kcs_policy_set set;
	struct kcs_err err;
	json_t *arr;
	size_t i;
	int ret;

	ret = begin(cli, cmd, argc, argv, 0);
	if (ret != CLI_CONTINUE)
		return ret;
	if (kcs_policy_store_load(&set, &err))
		return cli_fail(cli, &err);
	arr = json_array();
	for (i = 0; arr && i < set.n; i++)
		json_array_append_new(arr, summary_json(&set.v[i]));
	if (cli->json) {
		kcs_policy_set_free(&set);
		return out_json(arr ? json_pack("{s:o}", "policies", arr) : NULL, 0);
	}
	printf(LIST_FMT, "NAME", "MODE", "ENABLED", "SCOPE", "EXCLUSIONS",
	       "MAPPINGS", "CHECKS");
	for (i = 0; arr && i < set.n; i++) {
		const struct kcs_policy *p = &set.v[i];

		printf("%-32s %-8s %-7s %5zu %10zu %8zu  ", p->name,
		       kcs_mode_name(p->mode), p->enabled ? "yes" : "no", p->nscope,
		       p->nexclusions, p->nmappings);
		print_list(json_object_get(json_array_get(arr, i), "checks"));
		putchar('\n');
	}
	json_decref(arr);
	kcs_policy_set_free(&set);
	return KCS_EXIT_OK;
}

static int run_show(struct cli *cli, const struct cli_cmd *cmd, int argc,
		    char **argv)
{
	struct kcs_policy pol;
	struct kcs_err err;
	json_t *j, *doc;
	char *text;
	int ret;

	ret = begin(cli, cmd, argc, argv, 1);
	if (ret != CLI_CONTINUE)
		return ret;
	if (kcs_policy_store_get(argv[optind], &text, &pol, &err))
		return cli_fail(cli, &err);
	j = summary_json(&pol);
	if (cli->json) {
		/* Validated just now: it parses. */
		doc = json_loads(text, 0, NULL);
		if (j && doc)
			json_object_set_new(j, "document", doc);
		else
			json_decref(doc);
		ret = out_json(j, 0);
	} else {
		printf("name: %s\nmode: %s\nenabled: %s\n", pol.name,
		       kcs_mode_name(pol.mode), pol.enabled ? "yes" : "no");
		if (pol.description) {
			fputs("description: ", stdout);
			out_text_str(stdout, pol.description);
			putchar('\n');
		}
		printf("scope: %s\nexclusions: %zu\nmappings: %zu\nprofiles: ",
		       pol.nscope ? "selectors" : "every container", pol.nexclusions,
		       pol.nmappings);
		print_list(json_object_get(j, "profiles"));
		fputs("\nchecks: ", stdout);
		print_list(json_object_get(j, "checks"));
		printf("\n\n%s", text);
		if (*text && text[strlen(text) - 1] != '\n')
			putchar('\n');
		json_decref(j);
		ret = KCS_EXIT_OK;
	}
	free(text);
	kcs_policy_free(&pol);
	return ret;
}

static int run_delete(struct cli *cli, const struct cli_cmd *cmd, int argc,
		      char **argv)
{
	struct kcs_err err;
	int ret;

	ret = begin(cli, cmd, argc, argv, 1);
	if (ret != CLI_CONTINUE)
		return ret;
	if (kcs_policy_store_del(argv[optind], &err))
		return cli_fail(cli, &err);
	if (cli->json)
		return out_json(json_pack("{s:s}", "deleted", argv[optind]), 0);
	printf("policy %s deleted\n", argv[optind]);
	return KCS_EXIT_OK;
}

/* ---- explain ---- */

struct explain_opts {
	const char *state;
	const char *image;
};

enum { OPT_STATE = OPT_FIRST_PRIVATE, OPT_IMAGE };

static int explain_opt(struct cli *cli, const struct cli_cmd *cmd, int c,
		       const char *arg, void *st)
{
	struct explain_opts *o = st;

	(void)cli; (void)cmd;
	if (c == OPT_STATE)
		o->state = arg;
	else if (c == OPT_IMAGE)
		o->image = arg;
	return CLI_CONTINUE;
}

static json_t *str_or_null(const char *s)
{
	return s ? out_jstr(s) : json_null();
}

static json_t *container_json(const struct kcs_container *c)
{
	json_t *ns = json_array(), *j;
	int t;

	for (t = 0; ns && t < KCS_NS_COUNT; t++)
		if (c->ns_host & (1U << t))
			json_array_append_new(ns, json_string(kcs_ns_name(t)));
	j = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:o,s:I,s:I,s:b}",
		      "id", str_or_null(c->id), "bundle", str_or_null(c->bundle),
		      "image", c->image_valid ? json_string(c->ref.full) : json_null(),
		      "image_given", str_or_null(c->image),
		      "image_source", str_or_null(c->image_source),
		      "namespace", str_or_null(c->k8s_namespace),
		      "pod", str_or_null(c->pod_name),
		      "name", str_or_null(c->container_name),
		      "cgroups_path", str_or_null(c->cgroups_path),
		      "privileged", c->privileged, "host_namespaces", ns,
		      "uid", (json_int_t)c->uid, "host_uid", (json_int_t)c->host_uid,
		      "no_new_privileges", c->no_new_privs);
	if (j && c->image && !c->image_valid)
		json_object_set_new(j, "image_error", json_string(c->image_error));
	return j;
}

static json_t *eval_json(const struct kcs_container *c,
			 const struct kcs_eval *ev)
{
	json_t *pols = json_array(), *profs = json_array(), *finds = json_array();
	json_t *checks = json_object();
	size_t i;
	int ch;

	for (i = 0; pols && i < ev->npolicies; i++) {
		const struct kcs_policy_result *r = &ev->policies[i];

		json_array_append_new(pols, json_pack("{s:s,s:s,s:b,s:s}",
			"name", r->policy->name, "mode", kcs_mode_name(r->policy->mode),
			"applies", r->applies, "why", r->why));
	}
	for (i = 0; profs && i < ev->nprofiles; i++)
		json_array_append_new(profs, json_pack("{s:s,s:s,s:s}",
			"name", ev->profiles[i].name,
			"mode", kcs_mode_name(ev->profiles[i].mode),
			"from", ev->profiles[i].from));
	for (ch = 0; checks && ch < KCS_CHECK_COUNT; ch++)
		json_object_set_new(checks, kcs_check_name(ch),
				    json_string(kcs_start_name(ev->checks[ch])));
	for (i = 0; finds && i < ev->nfindings; i++) {
		const struct kcs_finding *f = &ev->findings[i];

		json_array_append_new(finds, json_pack("{s:s,s:s,s:s,s:s,s:o}",
			"check", kcs_check_name(f->check), "policy", f->policy->name,
			"mode", kcs_mode_name(f->policy->mode),
			"verdict", f->policy->mode == KCS_MODE_ENFORCE ? "deny" : "audit",
			"reason", out_jstr(f->reason)));
	}
	return json_pack("{s:o,s:o,s:o,s:s,s:o,s:o,s:s}",
			 "container", container_json(c), "policies", pols,
			 "profiles", profs, "mode", kcs_mode_name(ev->mode),
			 "checks", checks, "findings", finds,
			 "start", kcs_start_name(ev->start));
}

/* A reason: our sentence around paths from config.json. Control bytes
 * escaped so a path cannot forge a line; no quotes around the sentence. */
static void print_reason(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			printf("\\x%02x", *p);
		else
			putchar(*p);
}

static void eval_text(const struct kcs_container *c, const struct kcs_eval *ev)
{
	size_t i;
	int ch;

	fputs("container: ", stdout);
	out_text_str(stdout, c->id ? c->id : "-");
	fputs(" (bundle ", stdout);
	out_text_str(stdout, c->bundle);
	fputs(")\nimage: ", stdout);
	if (c->image_valid) {
		printf("%s (from %s)\n", c->ref.full, c->image_source);
	} else if (c->image) {
		print_reason(c->image_error);
		putchar('\n');
	} else {
		puts("unknown (no image annotation)");
	}
	puts("policies:");
	if (!ev->npolicies)
		puts("  (none)");
	for (i = 0; i < ev->npolicies; i++)
		printf("  %-32s %-8s %s: %s\n", ev->policies[i].policy->name,
		       kcs_mode_name(ev->policies[i].policy->mode),
		       ev->policies[i].applies ? "applies" : "skipped",
		       ev->policies[i].why);
	puts("profiles:");
	if (!ev->nprofiles)
		puts("  (none)");
	for (i = 0; i < ev->nprofiles; i++)
		printf("  %-32s %-8s from %s\n", ev->profiles[i].name,
		       kcs_mode_name(ev->profiles[i].mode), ev->profiles[i].from);
	printf("mode: %s\nchecks:\n", kcs_mode_name(ev->mode));
	for (ch = 0; ch < KCS_CHECK_COUNT; ch++)
		printf("  %-20s %s\n", kcs_check_name(ch),
		       kcs_start_name(ev->checks[ch]));
	for (i = 0; i < ev->nfindings; i++) {
		const struct kcs_finding *f = &ev->findings[i];

		printf("  %s: %s: ",
		       f->policy->mode == KCS_MODE_ENFORCE ? "deny" : "audit",
		       kcs_check_name(f->check));
		print_reason(f->reason);
		putchar('\n');
	}
	printf("start: %s%s\n", kcs_start_name(ev->start),
	       ev->start == KCS_START_DENY ? " (the container would not start)" :
	       ev->start == KCS_START_AUDIT ? " (it starts; events report the failures)" : "");
}

static int run_explain(struct cli *cli, const struct cli_cmd *cmd, int argc,
		       char **argv)
{
	static const struct option opts[] = {
		{ "state", required_argument, NULL, OPT_STATE },
		{ "image", required_argument, NULL, OPT_IMAGE },
		CLI_COMMON_OPTS, { 0 }
	};
	struct explain_opts o = { 0 };
	struct kcs_policy_set set;
	struct kcs_image_list imgs;
	struct kcs_eval_opts eo = { .resolve_paths = 1 };
	struct kcs_container c;
	struct kcs_eval ev;
	struct kcs_err err;
	int ret;

	ret = cli_parse(cli, cmd, argc, argv, ":h", opts, explain_opt, &o);
	if (ret != CLI_CONTINUE)
		return ret;
	if (argc - optind > 1)
		return cli_usage(cli, cmd, "unexpected argument '%s'", argv[optind + 1]);
	if (argc == optind && !o.state)
		return cli_usage(cli, cmd, "missing BUNDLE (or --state FILE)");
	if (kcs_container_load(argc > optind ? argv[optind] : NULL, o.state, &c, &err))
		return err.code == KCS_EXIT_USAGE ? cli_usage(cli, cmd, "%s", err.msg) :
						    cli_fail(cli, &err);
	if (o.image && kcs_container_set_image(&c, o.image, "--image")) {
		kcs_container_free(&c);
		kcs_err_set(&err, KCS_EXIT_FAILED, "out of memory");
		return cli_fail(cli, &err);
	}
	if (o.image && !c.image_valid) {
		kcs_err_set(&err, KCS_EXIT_INVALID, "--image: %s", c.image_error);
		kcs_container_free(&c);
		return cli_fail(cli, &err);
	}
	if (kcs_policy_store_load(&set, &err)) {
		kcs_container_free(&c);
		return cli_fail(cli, &err);
	}
	if (kcs_images_load(&imgs, &err)) {
		kcs_policy_set_free(&set);
		kcs_container_free(&c);
		return cli_fail(cli, &err);
	}
	eo.registered = imgs.v;
	eo.nregistered = imgs.n;
	ret = kcs_policy_eval(set.v, set.n, &c, &eo, &ev, &err);
	if (ret) {
		ret = cli_fail(cli, &err);
	} else {
		if (cli->json)
			ret = out_json(eval_json(&c, &ev), 0);
		else
			eval_text(&c, &ev);
		kcs_eval_free(&ev);
	}
	kcs_images_free(&imgs);
	kcs_policy_set_free(&set);
	kcs_container_free(&c);
	return ret;
}

/* ---- the group ---- */

static int run_group(struct cli *cli, const struct cli_cmd *cmd, int argc,
		     char **argv)
{
	static const struct cli_cmd *const sub[] = {
		&cmd_policy_apply, &cmd_policy_list, &cmd_policy_show,
		&cmd_policy_delete, &cmd_policy_explain, NULL
	};

	return cli_run_group(cli, cmd, sub, argc, argv);
}

const struct cli_cmd cmd_policy = {
	.name = "policy",
	.run = run_group,
	.usage =
"Usage: kcsadm policy apply -f FILE\n"
"       kcsadm policy list\n"
"       kcsadm policy show NAME\n"
"       kcsadm policy delete NAME\n"
"       kcsadm policy explain BUNDLE [--state FILE] [--image REF]\n"
"\n"
"Manage runtime policies (docs/policy-format.md), stored as\n"
"$KCS_CONFDIR/policies/NAME.json (default /etc/kcs). `kcsadm policy CMD\n"
"--help` describes each command.\n",
};

#define SUMMARY_JSON \
"      --json       JSON output: {\"name\",\"description\",\"enabled\",\"mode\",\n" \
"                   \"scope\",\"exclusions\",\"mappings\" (counts),\"profiles\",\n" \
"                   \"checks\" (enabled checks)}\n"

const struct cli_cmd cmd_policy_apply = {
	.name = "policy apply",
	.run = run_apply,
	.usage =
"Usage: kcsadm policy apply -f FILE\n"
"\n"
"Validate a policy and store it, replacing the policy of the same name\n"
"atomically. An invalid policy exits 3 naming the JSON location at\n"
"fault and changes nothing.\n"
"\n"
"Options:\n"
"  -f, --file FILE  the policy, JSON; \"-\" reads standard input\n"
SUMMARY_JSON
"                   and \"applied\", \"replaced\"\n"
"  -h, --help       this text\n",
};

const struct cli_cmd cmd_policy_list = {
	.name = "policy list",
	.run = run_list,
	.usage =
"Usage: kcsadm policy list\n"
"\n"
"List the stored policies by name: mode, enabled, counts of scope\n"
"selectors, exclusions and mappings, enabled start checks. A stored\n"
"policy that does not parse fails the list (exit 3, naming the file).\n"
"\n"
"Options:\n"
"      --json   JSON output: {\"policies\":[...]}, each as in `policy apply`\n"
"  -h, --help   this text\n",
};

const struct cli_cmd cmd_policy_show = {
	.name = "policy show",
	.run = run_show,
	.usage =
"Usage: kcsadm policy show NAME\n"
"\n"
"Show one policy: a summary, then the document as applied. Exits 6 when\n"
"there is no such policy.\n"
"\n"
"Options:\n"
"      --json   JSON output: the summary of `policy list` and \"document\"\n"
"  -h, --help   this text\n",
};

const struct cli_cmd cmd_policy_delete = {
	.name = "policy delete",
	.run = run_delete,
	.usage =
"Usage: kcsadm policy delete NAME\n"
"\n"
"Delete a policy. Exits 6 when there is no such policy.\n"
"\n"
"Options:\n"
"      --json   JSON output: {\"deleted\":NAME}\n"
"  -h, --help   this text\n",
};

const struct cli_cmd cmd_policy_explain = {
	.name = "policy explain",
	.run = run_explain,
	.usage =
"Usage: kcsadm policy explain BUNDLE [--state FILE] [--image REF]\n"
"       kcsadm policy explain --state FILE\n"
"\n"
"Judge a container by the stored policies without starting it: reads\n"
"BUNDLE/config.json (and the runtime's state JSON, as a hook gets it on\n"
"stdin; its \"bundle\" when BUNDLE is not given) and prints which\n"
"policies apply and why, the profiles and mode the container gets, each\n"
"start check's verdict with its reasons, and whether it would start.\n"
"Exits 0 whatever the verdict.\n"
"\n"
"Options:\n"
"      --state FILE  the state JSON (\"-\": standard input)\n"
"      --image REF   judge as if the image were REF (for runtimes that do\n"
"                    not name it, e.g. Docker)\n"
"      --json        JSON output: {\"container\",\"policies\",\"profiles\",\n"
"                    \"mode\",\"checks\",\"findings\",\"start\"}\n"
"  -h, --help        this text\n",
};
