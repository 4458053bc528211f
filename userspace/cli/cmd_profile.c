// SPDX-License-Identifier: GPL-2.0
/* kcsadm profile check|apply|list|show|export|delete */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmds.h"
#include "ingress.h"
#include "names.h"
#include "ops.h"
#include "profile.h"
#include "profile_build.h"
#include "profile_file.h"
#include "profile_fmt.h"
#include "profile_state.h"

extern const struct cli_cmd cmd_profile_check, cmd_profile_apply,
	cmd_profile_list, cmd_profile_show, cmd_profile_export,
	cmd_profile_delete;

/* ---- check / apply ---- */

struct file_opts {
	const char *file;
};

static int file_opt(struct cli *cli, const struct cli_cmd *cmd, int c,
		    const char *arg, void *st)
{
	struct file_opts *o = st;

	(void)cli; (void)cmd;
	if (c == 'f')
		o->file = arg;
	return CLI_CONTINUE;
}

/* Parse, validate and compile -f FILE: everything short of the kernel. */
static int prepare(struct cli *cli, const struct cli_cmd *cmd, int argc,
		   char **argv, struct kcs_profile_spec *spec,
		   struct kcs_compiled_profile *cp, int resolve)
{
	static const struct option opts[] = {
		{ "file", required_argument, NULL, 'f' },
		CLI_COMMON_OPTS, { 0 }
	};
	struct file_opts o = { 0 };
	struct kcs_err err;
	int ret;

	ret = cli_parse(cli, cmd, argc, argv, ":hf:", opts, file_opt, &o);
	if (ret != CLI_CONTINUE)
		return ret;
	if (optind < argc)
		return cli_usage(cli, cmd, "unexpected argument '%s'", argv[optind]);
	if (!o.file)
		return cli_usage(cli, cmd, "missing -f FILE");
	if (kcs_profile_prepare(o.file, resolve, spec, cp, &err))
		return cli_fail(cli, &err);
	return CLI_CONTINUE;
}

static json_t *set_json(const struct kcs_compiled_set *s)
{
	return json_pack("{s:I,s:I,s:I,s:I,s:I}",
			 "patterns", (json_int_t)s->npatterns,
			 "program_scoped", (json_int_t)s->nscoped,
			 "dfa_states", (json_int_t)s->nstates,
			 "dfa_bytes", (json_int_t)s->dfa.len,
			 "text_bytes", (json_int_t)s->text.len);
}

static void set_text(const char *label, const struct kcs_compiled_set *s)
{
	printf("  %s: %" PRIu32 " pattern%s", label, s->npatterns,
	       s->npatterns == 1 ? "" : "s");
	if (s->nscoped)
		printf(" (%" PRIu32 " program-scoped)", s->nscoped);
	printf(", %" PRIu32 " DFA states, %zu DFA bytes, %zu text bytes\n",
	       s->nstates, s->dfa.len, s->text.len);
}

/* The summary both check and apply print. */
static json_t *nset_json(size_t nrules, const struct kcs_blob *b)
{
	return json_pack("{s:I,s:I}", "rules", (json_int_t)nrules,
			 "bytes", (json_int_t)b->len);
}

/* "network": {"egress_mode", "egress": {...}, "exclusions", "listen", "monitor"} */
/* Groups in the KCS_A_NET_GROUPS blob (0: none). */
static uint32_t net_ngroups(const struct kcs_compiled_profile *cp)
{
	const struct kcs_net_groups_hdr *h = cp->net_groups.data;

	return cp->net_groups.len >= sizeof(*h) ? h->ngroups : 0;
}

static json_t *net_json(const struct kcs_profile_spec *spec,
			const struct kcs_compiled_profile *cp)
{
	const struct kcs_net_spec *n = &spec->net;
	json_t *j = json_pack("{s:s,s:b}", "egress_mode",
			      kcs_exec_kind_name(cp->egress_kind),
			      "monitor_listen",
			      !!(cp->net_flags & KCS_NET_F_MONITOR_LISTEN));

	if (j && cp->egress[0].len)
		json_object_set_new(j, "egress", nset_json(n->egress.rules.n,
							   &cp->egress[0]));
	if (j && cp->egress[1].len)
		json_object_set_new(j, "egress_exclusions",
				    nset_json(n->egress.except.n, &cp->egress[1]));
	if (j && cp->listen.len)
		json_object_set_new(j, "listen", nset_json(n->listen.n, &cp->listen));
	if (j && n->listen_except.n)
		json_object_set_new(j, "listen_exclusions",
				    json_integer((json_int_t)n->listen_except.n));
	if (j && cp->net_groups.len)
		json_object_set_new(j, "groups",
				    json_pack("{s:I,s:I}", "count",
					      (json_int_t)net_ngroups(cp), "bytes",
					      (json_int_t)cp->net_groups.len));
	if (j && cp->ingress.kind != KCS_NET_NONE)
		json_object_set_new(j, "ingress_mode",
				    json_string(kcs_exec_kind_name(cp->ingress.kind)));
	return j;
}

static void net_text(const struct kcs_profile_spec *spec,
		     const struct kcs_compiled_profile *cp)
{
	const struct kcs_net_spec *n = &spec->net;

	/* kcs_net_kind and kcs_exec_kind share none/block/allow. */
	printf("  egress mode: %s\n", kcs_exec_kind_name(cp->egress_kind));
	if (cp->egress[0].len)
		printf("  egress %s: %zu rules, %zu bytes\n",
		       cp->egress_kind == KCS_NET_ALLOW ? "allow" : "rules",
		       n->egress.rules.n, cp->egress[0].len);
	if (cp->egress[1].len)
		printf("  egress exclusions: %zu rules, %zu bytes\n",
		       n->egress.except.n, cp->egress[1].len);
	if (cp->listen.len)
		printf("  listen: blocked ports (%s), %zu bytes\n",
		       n->listen.rules[0].text, cp->listen.len);
	if (n->listen_except.n)
		printf("  listen exclusions: %zu rules\n", n->listen_except.n);
	if (cp->net_groups.len)
		printf("  network rule groups (rules for a program, listen exclusions): %" PRIu32
		       ", %zu bytes\n", net_ngroups(cp), cp->net_groups.len);
	if (cp->net_flags & KCS_NET_F_MONITOR_LISTEN)
		printf("  listen: monitored\n");
	if (cp->ingress.kind != KCS_NET_NONE)
		printf("  ingress mode: %s (nftables, applied by bind --netns)\n",
		       kcs_exec_kind_name(cp->ingress.kind));
}

static int print_compiled(struct cli *cli, const struct kcs_profile_spec *spec,
			  const struct kcs_compiled_profile *cp, int applied)
{
	/* The JSON key of a set is its key in the profile: rules/allow. */
	const char *rules_key = cp->kind == KCS_EXEC_ALLOW ? "allow" : "rules";
	char sha[65];
	json_t *j;

	kcs_profile_hash(spec->canonical, sha);
	if (!cli->json) {
		printf("profile %s: %s\n", cp->name, applied ? "applied" : "valid");
		printf("  exec mode: %s\n", kcs_exec_kind_name(cp->kind));
		if (cp->kind != KCS_EXEC_NONE)
			set_text(rules_key, &cp->rules);
		if (cp->except.dfa.len)
			set_text("exclusions", &cp->except);
		if (cp->libs.dfa.len)
			set_text("libraries", &cp->libs);
		if (spec->net.present)
			net_text(spec, cp);
		for (int i = 0; i < KCS_FILE_SETS; i++)
			if (cp->files[i].dfa.len) {
				char label[32];

				snprintf(label, sizeof(label), "files %s",
					 kcs_file_set_keys[i]);
				set_text(label, &cp->files[i]);
			}
		if (cp->file_default != KCS_SYS_ALLOW)
			printf("  files default: %s\n",
			       kcs_sys_action_name(cp->file_default));
		if (cp->sys.rules.len)
			printf("  syscalls: %" PRIu32 " rules over %" PRIu32
			       " system calls (io_uring's included), default %s, %" PRIu32
			       " program-scoped, %zu bytes\n",
			       cp->sys.nrules, cp->sys.nnames,
			       kcs_sys_action_name(spec->sys.dflt),
			       cp->sys.nprograms, cp->sys.rules.len);
		printf("  sha256: %s\n", sha);
		return KCS_EXIT_OK;
	}
	j = json_pack("{s:s,s:o,s:s,s:b}", "name", cp->name, "description",
		      spec->description ? out_jstr(spec->description) : json_null(),
		      "exec_mode", kcs_exec_kind_name(cp->kind), "applied", applied);
	if (j && cp->kind != KCS_EXEC_NONE)
		json_object_set_new(j, rules_key, set_json(&cp->rules));
	if (j && cp->except.dfa.len)
		json_object_set_new(j, "exclusions", set_json(&cp->except));
	if (j && cp->libs.dfa.len)
		json_object_set_new(j, "libraries", set_json(&cp->libs));
	if (j && spec->net.present)
		json_object_set_new(j, "network", net_json(spec, cp));
	for (int i = 0; j && i < KCS_FILE_SETS; i++) {
		json_t *files = json_object_get(j, "files");

		if (!cp->files[i].dfa.len)
			continue;
		if (!files) {
			files = json_object();
			json_object_set_new(j, "files", files);
		}
		json_object_set_new(files, kcs_file_set_keys[i],
				    set_json(&cp->files[i]));
	}
	if (j && cp->file_default != KCS_SYS_ALLOW) {
		json_t *files = json_object_get(j, "files");

		if (!files) {
			files = json_object();
			json_object_set_new(j, "files", files);
		}
		json_object_set_new(files, "default",
				    json_string(kcs_sys_action_name(cp->file_default)));
	}
	if (j && cp->sys.rules.len)
		json_object_set_new(j, "syscalls",
				    json_pack("{s:I,s:I,s:s,s:I,s:I}",
					      "rules", (json_int_t)cp->sys.nrules,
					      "system_calls", (json_int_t)cp->sys.nnames,
					      "default", kcs_sys_action_name(spec->sys.dflt),
					      "program_scoped", (json_int_t)cp->sys.nprograms,
					      "bytes", (json_int_t)cp->sys.rules.len));
	if (j)
		json_object_set_new(j, "sha256", json_string(sha));
	return out_json(j, 0);
}

static int run_check(struct cli *cli, const struct cli_cmd *cmd, int argc,
		     char **argv)
{
	struct kcs_profile_spec spec;
	struct kcs_compiled_profile cp;
	int ret;

	ret = prepare(cli, cmd, argc, argv, &spec, &cp, 0);
	if (ret != CLI_CONTINUE)
		return ret;
	ret = print_compiled(cli, &spec, &cp, 0);
	kcs_compiled_free(&cp);
	kcs_profile_free(&spec);
	return ret;
}

static int run_apply(struct cli *cli, const struct cli_cmd *cmd, int argc,
		     char **argv)
{
	struct kcs_profile_spec spec;
	struct kcs_compiled_profile cp;
	struct kcs_err err;
	struct kcs_nl nl;
	int ret;

	ret = prepare(cli, cmd, argc, argv, &spec, &cp, 1);
	if (ret != CLI_CONTINUE)
		return ret;
	ret = kcs_nl_open(&nl, &err);
	if (!ret) {
		ret = kcs_profile_push(&nl, &cp, &err);
		/* Applied either way: a state not recorded only means `profile
		 * show` cannot give the rules back, which it will say. */
		if (!ret && kcs_profile_record(&nl, &spec, &err))
			fprintf(stderr, "kcsadm: warning: profile %s applied, but not recorded for profile show/export: %s\n",
				cp.name, err.msg);
		kcs_nl_close(&nl);
	}
	ret = ret ? cli_fail(cli, &err) : print_compiled(cli, &spec, &cp, 1);
	kcs_compiled_free(&cp);
	kcs_profile_free(&spec);
	return ret;
}

/* ---- list / show / export / delete ---- */

/* What kcsadm recorded when it applied a profile, checked against what
 * the kernel reports now: only "current" gives rules back. */
struct applied {
	struct kcs_profile_state st;
	const char *state;	/* current, stale, unrecorded, unreadable */
	char why[1400];
};

static void applied_load(const struct kcs_profile_info *p, struct applied *a)
{
	struct kcs_err err;
	int ret;

	a->why[0] = '\0';
	ret = kcs_profile_state_load(p->name, &a->st, &err);
	if (ret < 0) {
		a->state = "unreadable";
		snprintf(a->why, sizeof(a->why), "%s", err.msg);
	} else if (ret > 0) {
		a->state = "unrecorded";
		snprintf(a->why, sizeof(a->why),
			 "kcsadm recorded no rules for this profile (applied by an older kcsadm or another path, or the record could not be written); apply it again with kcsadm profile apply");
	} else if (kcs_profile_state_check(&a->st, p, a->why, 1024)) {
		a->state = "stale";
		strcat(a->why, ": replaced since kcsadm recorded it; apply it again with kcsadm profile apply");
	} else {
		a->state = "current";
	}
}

static int applied_current(const struct applied *a)
{
	return !strcmp(a->state, "current");
}

/* The fields show and list add after the kernel's. */
static void applied_json(json_t *j, const struct applied *a, int full)
{
	int cur = applied_current(a);
	json_error_t jerr;

	json_object_set_new(j, "sha256", cur ? json_string(a->st.sha256) : json_null());
	json_object_set_new(j, "state", json_string(a->state));
	if (!full)
		return;
	json_object_set_new(j, "state_detail", a->why[0] ? out_jstr(a->why) : json_null());
	json_object_set_new(j, "recorded_ms", cur ?
			    json_integer((json_int_t)a->st.recorded_ms) : json_null());
	json_object_set_new(j, "profile", cur ?
			    json_loads(a->st.canonical, 0, &jerr) : json_null());
	json_object_set_new(j, "fqdn", cur ? json_incref(a->st.fqdn) : json_null());
}

static void applied_text(const struct applied *a)
{
	json_error_t jerr;
	json_t *prof;
	char *text, *line, *save = NULL;
	char when[64] = "?";
	time_t t;
	struct tm tm;

	printf("state: %s\n", a->state);
	if (!applied_current(a)) {
		printf("sha256: unknown\nrules as applied: unknown: %s\n", a->why);
		return;
	}
	t = (time_t)(a->st.recorded_ms / 1000);
	if (gmtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	printf("sha256: %s\nrecorded: %s\n", a->st.sha256, when);
	prof = json_loads(a->st.canonical, 0, &jerr);
	text = prof ? json_dumps(prof, JSON_SORT_KEYS | JSON_INDENT(2)) : NULL;
	json_decref(prof);
	printf("rules as applied:\n");
	for (line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save))
		printf("  %s\n", line);
	free(text);
	profile_fqdn_text(stdout, a->st.fqdn);
}

static json_t *info_json(const struct kcs_profile_info *p)
{
	return json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:s,s:I,s:b,s:I,s:I}",
			 "name", p->name,
			 "exec_mode", kcs_exec_kind_name(p->kind),
			 "rules", (json_int_t)p->nrules,
			 "exclusions", (json_int_t)p->nexcept,
			 "bindings", (json_int_t)p->nbindings,
			 "memory_bytes", (json_int_t)p->mem,
			 "generation", (json_int_t)p->generation,
			 /* kcs_net_kind shares none/block/allow with exec */
			 "egress_mode", kcs_exec_kind_name(p->egress_kind),
			 "egress_rules", (json_int_t)p->egress_rules,
			 "monitor_listen",
			 !!(p->net_flags & KCS_NET_F_MONITOR_LISTEN),
			 "file_rules", (json_int_t)p->file_rules,
			 "syscall_rules", (json_int_t)p->syscall_rules);
}

#define LIST_FMT "%-32s %-6s %8s %10s %8s %12s %10s\n"

static int list_one(const struct kcs_profile_info *p, void *arg,
		    struct kcs_err *err)
{
	json_t *arr = arg;

	if (arr) {
		json_t *j = info_json(p);
		struct applied a;

		if (j) {
			applied_load(p, &a);
			applied_json(j, &a, 0);
			kcs_profile_state_free(&a.st);
		}
		if (json_array_append_new(arr, j))
			return kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
		return 0;
	}
	printf("%-32s %-6s %8" PRIu32 " %10" PRIu32 " %8" PRIu32 " %12" PRIu64
	       " %10" PRIu64 "\n", p->name, kcs_exec_kind_name(p->kind),
	       p->nrules, p->nexcept, p->nbindings, p->mem, p->generation);
	return 0;
}

/* begin() for a command with options of its own (@opts, @fn, @st as for
 * cli_parse, short options ":h"). */
static int begin_opts(struct cli *cli, const struct cli_cmd *cmd, int argc,
		      char **argv, int operands, const struct option *opts,
		      cli_opt_fn fn, void *st, struct kcs_nl *nl)
{
	struct kcs_err err;
	int ret;

	ret = cli_parse(cli, cmd, argc, argv, ":h", opts, fn, st);
	if (ret != CLI_CONTINUE)
		return ret;
	if (argc - optind < operands)
		return cli_usage(cli, cmd, "missing NAME");
	if (argc - optind > operands)
		return cli_usage(cli, cmd, "unexpected argument '%s'",
				 argv[optind + operands]);
	if (operands && !kcs_profile_name_valid(argv[optind]))
		return cli_usage(cli, cmd,
				 "'%s' is not a valid profile name (1..%d of A-Z a-z 0-9 . _ -)",
				 argv[optind], KCS_NAME_MAX - 1);
	if (kcs_nl_open(nl, &err))
		return cli_fail(cli, &err);
	return CLI_CONTINUE;
}

/* Opens the family and checks the operand count; CLI_CONTINUE or exit. */
static int begin(struct cli *cli, const struct cli_cmd *cmd, int argc,
		 char **argv, int operands, struct kcs_nl *nl)
{
	static const struct option opts[] = { CLI_COMMON_OPTS, { 0 } };

	return begin_opts(cli, cmd, argc, argv, operands, opts, NULL, NULL, nl);
}

static int run_list(struct cli *cli, const struct cli_cmd *cmd, int argc,
		    char **argv)
{
	json_t *arr = NULL;
	struct kcs_err err;
	struct kcs_nl nl;
	int ret;

	ret = begin(cli, cmd, argc, argv, 0, &nl);
	if (ret != CLI_CONTINUE)
		return ret;
	if (cli->json) {
		arr = json_array();
		if (!arr) {
			kcs_nl_close(&nl);
			return out_json(NULL, 0);
		}
	} else {
		printf(LIST_FMT, "NAME", "EXEC", "RULES", "EXCLUSIONS", "BINDINGS",
		       "MEMORY", "GENERATION");
	}
	ret = kcs_profile_list(&nl, list_one, arr, &err);
	kcs_nl_close(&nl);
	if (ret) {
		json_decref(arr);
		return cli_fail(cli, &err);
	}
	return arr ? out_json(json_pack("{s:o}", "profiles", arr), 0) : 0;
}

enum { OPT_RESOLVE = OPT_FIRST_PRIVATE };

static int show_opt(struct cli *cli, const struct cli_cmd *cmd, int c,
		    const char *arg, void *st)
{
	(void)cli; (void)cmd; (void)arg;
	if (c == OPT_RESOLVE)
		*(int *)st = 1;
	return CLI_CONTINUE;
}

static int run_show(struct cli *cli, const struct cli_cmd *cmd, int argc,
		    char **argv)
{
	static const struct option opts[] = {
		{ "resolve", no_argument, NULL, OPT_RESOLVE },
		CLI_COMMON_OPTS, { 0 }
	};
	struct kcs_profile_info p;
	struct applied a;
	struct kcs_err err;
	struct kcs_nl nl;
	int ret, resolve = 0;
	json_t *j;

	ret = begin_opts(cli, cmd, argc, argv, 1, opts, show_opt, &resolve, &nl);
	if (ret != CLI_CONTINUE)
		return ret;
	ret = kcs_profile_get(&nl, argv[optind], &p, &err);
	kcs_nl_close(&nl);
	if (ret)
		return cli_fail(cli, &err);
	applied_load(&p, &a);
	/* Only a current record names the FQDNs in force; a name that does
	 * not resolve is shown as such, not an error of show's. */
	if (resolve && applied_current(&a) &&
	    kcs_profile_state_resolve(&a.st, kcs_net_resolve_name)) {
		kcs_profile_state_free(&a.st);
		kcs_err_set(&err, KCS_EXIT_FAILED, "profile show \"%s\": out of memory",
			    p.name);
		return cli_fail(cli, &err);
	}
	if (cli->json) {
		j = info_json(&p);
		if (j)
			applied_json(j, &a, 1);
		kcs_profile_state_free(&a.st);
		return out_json(j, 0);
	}
	printf("name: %s\nexec_mode: %s\nrules: %" PRIu32 "\nexclusions: %" PRIu32
	       "\nbindings: %" PRIu32 "\nmemory_bytes: %" PRIu64
	       "\ngeneration: %" PRIu64 "\n", p.name, kcs_exec_kind_name(p.kind),
	       p.nrules, p.nexcept, p.nbindings, p.mem, p.generation);
	printf("egress_mode: %s\negress_rules: %" PRIu32 "\nmonitor_listen: %s\n"
	       "file_rules: %" PRIu32 "\nsyscall_rules: %" PRIu32 "\n",
	       kcs_exec_kind_name(p.egress_kind), p.egress_rules,
	       p.net_flags & KCS_NET_F_MONITOR_LISTEN ? "yes" : "no",
	       p.file_rules, p.syscall_rules);
	applied_text(&a);
	kcs_profile_state_free(&a.st);
	return KCS_EXIT_OK;
}

struct export_opts {
	const char *out;
};

static int export_opt(struct cli *cli, const struct cli_cmd *cmd, int c,
		      const char *arg, void *st)
{
	struct export_opts *o = st;

	(void)cli; (void)cmd;
	if (c == 'o')
		o->out = arg;
	return CLI_CONTINUE;
}

static int write_text(FILE *f, const void *arg)
{
	return fputs(arg, f) < 0 || fputc('\n', f) == EOF ? -1 : 0;
}

static int run_export(struct cli *cli, const struct cli_cmd *cmd, int argc,
		      char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		CLI_COMMON_OPTS, { 0 }
	};
	struct export_opts o = { 0 };
	struct kcs_profile_info p;
	struct applied a;
	struct kcs_err err;
	struct kcs_nl nl;
	const char *name;
	int ret;

	ret = cli_parse(cli, cmd, argc, argv, ":ho:", opts, export_opt, &o);
	if (ret != CLI_CONTINUE)
		return ret;
	if (optind >= argc)
		return cli_usage(cli, cmd, "missing NAME");
	if (optind + 1 < argc)
		return cli_usage(cli, cmd, "unexpected argument '%s'", argv[optind + 1]);
	name = argv[optind];
	if (!kcs_profile_name_valid(name))
		return cli_usage(cli, cmd,
				 "'%s' is not a valid profile name (1..%d of A-Z a-z 0-9 . _ -)",
				 name, KCS_NAME_MAX - 1);
	if (kcs_nl_open(&nl, &err))
		return cli_fail(cli, &err);
	ret = kcs_profile_get(&nl, name, &p, &err);
	kcs_nl_close(&nl);
	if (ret)
		return cli_fail(cli, &err);
	applied_load(&p, &a);
	/* Stale rules exported would pass for what is enforced. */
	if (!applied_current(&a))
		ret = kcs_err_set(&err, KCS_EXIT_FAILED, "profile export \"%s\": %s: %s",
				  name, a.state, a.why);
	else if (o.out && strcmp(o.out, "-"))
		ret = kcs_write_atomic(o.out, write_text, a.st.canonical, &err);
	else
		ret = write_text(stdout, a.st.canonical) ?
		      kcs_err_set(&err, KCS_EXIT_FAILED, "standard output: %s",
				  strerror(errno)) : 0;
	kcs_profile_state_free(&a.st);
	return ret ? cli_fail(cli, &err) : KCS_EXIT_OK;
}

static int run_delete(struct cli *cli, const struct cli_cmd *cmd, int argc,
		      char **argv)
{
	struct kcs_err err;
	struct kcs_nl nl;
	int ret;

	ret = begin(cli, cmd, argc, argv, 1, &nl);
	if (ret != CLI_CONTINUE)
		return ret;
	ret = kcs_profile_del(&nl, argv[optind], &err);
	kcs_nl_close(&nl);
	if (ret)
		return cli_fail(cli, &err);
	if (kcs_profile_state_remove(argv[optind], &err))
		fprintf(stderr, "kcsadm: warning: %s\n", err.msg);
	if (cli->json)
		return out_json(json_pack("{s:s}", "deleted", argv[optind]), 0);
	printf("profile %s deleted\n", argv[optind]);
	return KCS_EXIT_OK;
}

/* ---- the group ---- */

static int run_group(struct cli *cli, const struct cli_cmd *cmd, int argc,
		     char **argv)
{
	static const struct cli_cmd *const sub[] = {
		&cmd_profile_check, &cmd_profile_apply, &cmd_profile_list,
		&cmd_profile_show, &cmd_profile_export, &cmd_profile_delete, NULL
	};

	return cli_run_group(cli, cmd, sub, argc, argv);
}

const struct cli_cmd cmd_profile = {
	.name = "profile",
	.run = run_group,
	.usage =
"Usage: kcsadm profile check -f FILE\n"
"       kcsadm profile apply -f FILE\n"
"       kcsadm profile list\n"
"       kcsadm profile show NAME [--resolve]\n"
"       kcsadm profile export NAME [-o FILE]\n"
"       kcsadm profile delete NAME\n"
"\n"
"Manage profiles (docs/profile-format.md). `kcsadm profile CMD --help`\n"
"describes each command.\n",
};

#define FILE_HELP \
"  -f, --file FILE  the profile, JSON; \"-\" reads standard input\n"

#define SUMMARY_JSON \
"      --json       JSON output: {\"name\",\"description\",\"exec_mode\",\n" \
"                   \"applied\", \"rules\"|\"allow\", \"exclusions\"}, each set\n" \
"                   {\"patterns\",\"dfa_states\",\"dfa_bytes\",\"text_bytes\"},\n" \
"                   \"files\": {\"deny_read\",\"deny_write\",\"monitor\"} sets;\n" \
"                   last \"sha256\", the content hash (see profile show)\n"

const struct cli_cmd cmd_profile_check = {
	.name = "profile check",
	.run = run_check,
	.usage =
"Usage: kcsadm profile check -f FILE\n"
"\n"
"Validate and compile a profile without the kernel: exits 0 and prints\n"
"pattern counts, DFA states and sizes, or exits 3 naming the JSON\n"
"location at fault.\n"
"\n"
"Options:\n"
FILE_HELP SUMMARY_JSON
"  -h, --help       this text\n",
};

const struct cli_cmd cmd_profile_apply = {
	.name = "profile apply",
	.run = run_apply,
	.usage =
"Usage: kcsadm profile apply -f FILE\n"
"\n"
"Validate and compile a profile, then create it in the kernel or replace\n"
"the profile of the same name atomically (bindings keep pointing to it).\n"
"\n"
"Options:\n"
FILE_HELP SUMMARY_JSON
"  -h, --help       this text\n",
};

const struct cli_cmd cmd_profile_list = {
	.name = "profile list",
	.run = run_list,
	.usage =
"Usage: kcsadm profile list\n"
"\n"
"List the kernel's profiles: name, exec mode, rule and exclusion counts,\n"
"number of bindings, kernel memory in bytes, generation.\n"
"\n"
"Options:\n"
"      --json   JSON output: {\"profiles\":[{\"name\",\"exec_mode\",\"rules\",\n"
"               \"exclusions\",\"bindings\",\"memory_bytes\",\"generation\",\n"
"               ...,\"sha256\",\"state\"}]} (sha256: null unless the\n"
"               state is current, see `profile show`)\n"
"  -h, --help   this text\n",
};

const struct cli_cmd cmd_profile_show = {
	.name = "profile show",
	.run = run_show,
	.usage =
"Usage: kcsadm profile show NAME [--resolve]\n"
"\n"
"Show one profile (fields as in `kcsadm profile list`), then the rules as\n"
"applied: what kcsadm recorded in $KCS_STATE_DIR/profiles when it applied\n"
"them (profile apply, restore, netwatch; oci-hook and sync when they load\n"
"a profile), their SHA-256 content hash and the addresses each FQDN rule\n"
"was given by the last apply or netwatch refresh. state: current when the\n"
"record matches the kernel's generation and counts; stale, unrecorded or\n"
"unreadable otherwise, and then no rules are shown. Exits 6 when there\n"
"is no such profile.\n"
"\n"
"Options:\n"
"      --resolve  also resolve each FQDN now (the node's resolver; nothing\n"
"                 is applied) and show those addresses beside the ones in\n"
"                 force: \"resolves now: ADDRESS... (same)\" or \"(differs:\n"
"                 +NEW -GONE)\", or \"resolves now: unknown: REASON\"\n"
"      --json     JSON output: one object as in `profile list --json`, and\n"
"                 \"state_detail\",\"recorded_ms\",\"profile\" (the rules),\n"
"                 \"fqdn\":[{\"direction\",\"rule\",\"name\",\"addresses\"}];\n"
"                 --resolve adds to each \"addresses_now\",\"differs\",\n"
"                 \"added\",\"removed\",\"resolve_error\"\n"
"  -h, --help     this text\n",
};

const struct cli_cmd cmd_profile_export = {
	.name = "profile export",
	.run = run_export,
	.usage =
"Usage: kcsadm profile export NAME [-o FILE]\n"
"\n"
"Write the profile as applied, in canonical JSON (sorted keys, no\n"
"whitespace) that `profile apply -f` accepts; its SHA-256 is the sha256\n"
"of `profile show`. Exits 1 when kcsadm's record of the profile is not\n"
"current (see `profile show`), 6 when there is no such profile.\n"
"\n"
"Options:\n"
"  -o, --output FILE  write FILE (atomically) instead of standard output\n"
"      --json         errors as JSON (the output is JSON anyway)\n"
"  -h, --help         this text\n",
};

const struct cli_cmd cmd_profile_delete = {
	.name = "profile delete",
	.run = run_delete,
	.usage =
"Usage: kcsadm profile delete NAME\n"
"\n"
"Delete a profile. Exits 7 while a cgroup is bound to it (unbind first),\n"
"6 when there is no such profile.\n"
"\n"
"Options:\n"
"      --json   JSON output: {\"deleted\":NAME}\n"
"  -h, --help   this text\n",
};
