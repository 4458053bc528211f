// SPDX-License-Identifier: GPL-2.0
/*
 * kcsadm netwatch: keep a profile's FQDN rules current. Resolves every
 * "fqdn" of the profile's rules through DNS; egress: applies the profile
 * with those addresses (an atomic replace in the kernel) whenever they
 * change; ingress: after every resolution, replaces the timed nftables
 * elements in each namespace bound to the profile (new timeouts, new
 * addresses, one atomic batch per namespace). Resolves again when the
 * shortest TTL of the answers runs out.
 *
 * It follows the profile file rather than the copy it read at start
 * (profile_watch.h): applying that copy again would silently revert a
 * newer `kcsadm profile apply` of the same file. The file is looked at
 * every second and read before every resolution; a new valid version of
 * the same profile is resolved and applied at once.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

#include "cmds.h"
#include "dns_follow.h"
#include "ingress_refresh.h"
#include "ops.h"
#include "profile.h"
#include "profile_build.h"
#include "profile_state.h"
#include "profile_watch.h"

struct nw_opts {
	const char *file;
	int once;
	unsigned long long min_s, max_s, grace_s;
	char *dns_netns[KCS_DNS_MAX_NETNS];
	size_t ndns;
	struct kcs_net_rule servers[KCS_DNS_MAX_SERVERS];
	size_t nservers;
};

enum { OPT_ONCE = OPT_FIRST_PRIVATE, OPT_MIN, OPT_MAX, OPT_GRACE, OPT_DNS,
       OPT_DNS_SERVER };

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int nw_opt(struct cli *cli, const struct cli_cmd *cmd, int c,
		  const char *arg, void *st)
{
	struct nw_opts *o = st;

	switch (c) {
	case 'f':
		o->file = arg;
		break;
	case OPT_ONCE:
		o->once = 1;
		break;
	case OPT_DNS:
		if (o->ndns == KCS_DNS_MAX_NETNS)
			return cli_usage(cli, cmd, "at most %d --dns-netns",
					 KCS_DNS_MAX_NETNS);
		o->dns_netns[o->ndns++] = (char *)arg;
		break;
	case OPT_DNS_SERVER: {
		char why[128];

		if (o->nservers == KCS_DNS_MAX_SERVERS)
			return cli_usage(cli, cmd, "at most %d --dns-server",
					 KCS_DNS_MAX_SERVERS);
		if (kcs_net_parse_cidr(arg, &o->servers[o->nservers], why, sizeof(why)))
			return cli_usage(cli, cmd, "--dns-server %s: %s", arg, why);
		o->nservers++;
		break;
	}
	case OPT_GRACE:
		if (cli_parse_u64(arg, &o->grace_s) || o->grace_s > 3600)
			return cli_usage(cli, cmd, "--grace needs 0..3600 seconds, not '%s'",
					 arg);
		break;
	case OPT_MIN:
	case OPT_MAX:
		if (cli_parse_u64(arg, c == OPT_MIN ? &o->min_s : &o->max_s) ||
		    !(c == OPT_MIN ? o->min_s : o->max_s) ||
		    (c == OPT_MIN ? o->min_s : o->max_s) > 86400)
			return cli_usage(cli, cmd, "%s needs 1..86400 seconds, not '%s'",
					 c == OPT_MIN ? "--min-interval" :
					 "--max-interval", arg);
		break;
	}
	return CLI_CONTINUE;
}

static void addr_str(const struct kcs_net_resolved *a, char *buf, size_t len)
{
	uint32_t be[4];
	int j;

	for (j = 0; j < 4; j++)
		be[j] = htonl(a->w[j]);
	inet_ntop(a->v6 ? AF_INET6 : AF_INET, a->v6 ? (void *)be : (void *)&be[3],
		  buf, len);
}

/* Text: a line per FQDN rule. JSON: its objects appended to @arr. */
static void print_addrs(const struct kcs_net_ruleset *set, json_t *arr)
{
	size_t i, k;

	for (i = 0; i < set->n; i++) {
		const struct kcs_net_rule *r = &set->rules[i];
		char buf[INET6_ADDRSTRLEN], where[256];
		json_t *addrs = NULL;

		if (!r->fqdn)
			continue;
		if (arr) {
			addrs = json_array();
			snprintf(where, sizeof(where), "%s[%zu]", set->where, i);
		} else {
			printf("  %s[%zu] %s ->", set->where, i, r->fqdn);
			if (!r->naddrs)
				printf(" (no address)");
		}
		for (k = 0; k < r->naddrs; k++) {
			addr_str(&r->addrs[k], buf, sizeof(buf));
			if (arr)
				json_array_append_new(addrs, json_pack("{s:s,s:I}",
					"address", buf, "ttl", (json_int_t)r->addrs[k].ttl));
			else
				printf(" %s (ttl %" PRIu32 ")", buf, r->addrs[k].ttl);
		}
		if (arr)
			json_array_append_new(arr, json_pack("{s:s,s:s,s:o}", "rule",
				where, "fqdn", r->fqdn, "addresses", addrs));
		else
			printf("\n");
	}
}

/*
 * One status line. Text: "profile NAME: @text", then the FQDN rules of
 * @a and @b if given. --json: {"profile","event":@event, @extra...,
 * "fqdns":[...]} on one line, so that stdout stays JSON lines.
 */
static void status(const struct cli *cli, const char *profile,
		   const char *event, json_t *extra, const char *text,
		   const struct kcs_net_ruleset *a,
		   const struct kcs_net_ruleset *b)
{
	json_t *j, *fqdns;

	if (!cli->json) {
		printf("profile %s: %s\n", profile, text);
		if (a)
			print_addrs(a, NULL);
		if (b)
			print_addrs(b, NULL);
		json_decref(extra);
		return;
	}
	j = json_pack("{s:s,s:s}", "profile", profile, "event", event);
	if (j && extra)
		json_object_update(j, extra);
	json_decref(extra);
	if (j && a) {
		fqdns = json_array();
		print_addrs(a, fqdns);
		if (b)
			print_addrs(b, fqdns);
		json_object_set_new(j, "fqdns", fqdns);
	}
	out_json(j, 1);
}

/* A failure netwatch lives with (it retries): stderr, and with --json a
 * line {"profile","event":"error","exit","message"} on stdout. */
static void warn(const struct cli *cli, const char *profile,
		 const struct kcs_err *err)
{
	fprintf(stderr, "kcsadm: netwatch: %s\n", err->msg);
	if (cli->json)
		out_json(json_pack("{s:s,s:s,s:i,s:o}", "profile", profile,
				   "event", "error", "exit", (int)err->code,
				   "message", out_jstr(err->msg)), 1);
}

/*
 * Apply @spec with the addresses learned from containers' DNS answers
 * (@learned, maybe empty) laid over its egress FQDN rules; the record
 * `profile show` reads holds them too.
 */
static int apply(struct kcs_profile_spec *spec,
		 const struct kcs_dns_learned *learned, struct kcs_err *err)
{
	struct kcs_dns_overlay ov[2];
	struct kcs_compiled_profile cp;
	uint64_t now = kcs_now_ms();
	struct kcs_err rerr;
	struct kcs_nl nl;
	int ret = -1;

	if (kcs_dns_learned_overlay(learned, &spec->net.egress.rules, now, &ov[0]))
		return kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
	if (kcs_dns_learned_overlay(learned, &spec->net.egress.except, now, &ov[1])) {
		kcs_dns_overlay_restore(&ov[0]);
		return kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
	}
	if (kcs_profile_compile(spec, &cp, err))
		goto out;
	ret = kcs_nl_open(&nl, err);
	if (!ret) {
		ret = kcs_profile_set(&nl, &cp, err);
		/* The addresses now in force, for `profile show`; enforcement
		 * is done either way, so a failure here is only a warning. */
		if (!ret && kcs_profile_record(&nl, spec, &rerr))
			fprintf(stderr, "kcsadm: netwatch: warning: %s\n", rerr.msg);
		kcs_nl_close(&nl);
	}
	kcs_compiled_free(&cp);
out:
	kcs_dns_overlay_restore(&ov[1]);
	kcs_dns_overlay_restore(&ov[0]);
	return ret;
}

struct refresh_ctx {
	const struct cli *cli;
	const char *profile;
};

static void on_refresh(const char *netns, int nelems, const struct kcs_err *err,
		       void *arg)
{
	const struct refresh_ctx *c = arg;
	char text[512];

	if (nelems < 0) {
		struct kcs_err e = *err;

		kcs_err_prefix(&e, "profile %s: netns %s", c->profile, netns);
		warn(c->cli, c->profile, &e);
		return;
	}
	snprintf(text, sizeof(text), "ingress netns %s: %d FQDN element%s",
		 netns, nelems, nelems == 1 ? "" : "s");
	status(c->cli, c->profile, "ingress",
	       json_pack("{s:o,s:i}", "netns", out_jstr(netns), "elements", nelems),
	       text, NULL, NULL);
}

/*
 * The ingress half of a round: the state file bind --netns reads, then
 * the timed elements of every namespace bound to the profile.
 */
static int refresh_ingress(const struct cli *cli,
			   const struct kcs_profile_spec *spec,
			   const struct nw_opts *o, struct kcs_err *err)
{
	struct refresh_ctx c = { cli, spec->name };
	struct kcs_fqdn_timing t = { (uint32_t)o->min_s, (uint32_t)o->max_s,
				     (uint32_t)o->grace_s };
	uint64_t now = kcs_now_ms();
	struct kcs_ingress in;
	int ret;

	if (kcs_ingress_build(&spec->net.ingress, &t, now, &in, err))
		return -1;
	ret = kcs_ingress_save(spec->name, &in, err);
	if (!ret)
		kcs_ingress_refresh(spec->name, &in, now, on_refresh, &c);
	kcs_ingress_free(&in);
	return ret;
}

/* What the DNS callbacks need. */
struct dns_ctx {
	const struct cli *cli;
	struct kcs_profile_spec *spec;
	struct kcs_dns_follow *f;
};

static int dns_apply(void *arg, struct kcs_err *err)
{
	struct dns_ctx *c = arg;

	return apply(c->spec, &c->f->learned, err);
}

static void dns_report(void *arg, const char *netns,
		       const struct kcs_dns_answer *a, int fresh,
		       const struct kcs_err *err)
{
	struct dns_ctx *c = arg;
	char text[1024], buf[INET6_ADDRSTRLEN];
	json_t *addrs;
	size_t i, o;

	if (err) {
		struct kcs_err e = *err;

		kcs_err_prefix(&e, "netns %s%s%s", netns, a ? ": " : "",
			       a ? a->qname : "");
		warn(c->cli, c->spec->name, &e);
		return;
	}
	addrs = json_array();
	o = (size_t)snprintf(text, sizeof(text), "dns netns %s: %s ->", netns,
			     a->qname);
	for (i = 0; i < a->naddrs; i++) {
		addr_str(&a->addrs[i], buf, sizeof(buf));
		json_array_append_new(addrs, json_pack("{s:s,s:I}", "address", buf,
				      "ttl", (json_int_t)a->addrs[i].ttl));
		if (o < sizeof(text))
			o += (size_t)snprintf(text + o, sizeof(text) - o, " %s (ttl %u)",
					      buf, a->addrs[i].ttl);
	}
	if (o < sizeof(text))
		snprintf(text + o, sizeof(text) - o, "%s, %d new%s",
			 a->naddrs ? "" : " (no address)", fresh,
			 fresh ? ", applied before the answer went on" : "");
	status(c->cli, c->spec->name, "dns_answer",
	       json_pack("{s:o,s:s,s:o,s:i}", "netns", out_jstr(netns),
			 "name", a->qname, "addresses", addrs, "new", fresh),
	       text, NULL, NULL);
}

/*
 * Wait @s seconds unless a signal says stop or the profile file changes
 * (looked at every second: a stat(), its bytes when that moved), serving
 * the DNS queues meanwhile and applying again when learned addresses
 * expire. 1: the file changed, now in @c->spec; 0: waited.
 */
static int nap(struct dns_ctx *c, struct kcs_profile_watch *w,
	       unsigned long long s)
{
	uint64_t now = kcs_now_ms(), until = now + s * 1000, file = now + 1000;
	struct pollfd pfd[KCS_DNS_MAX_NETNS];
	struct kcs_err err;
	int r;

	while (!stop && (now = kcs_now_ms()) < until) {
		uint64_t wake = until < file ? until : file,
			 next = kcs_dns_learned_next(&c->f->learned);
		size_t n = kcs_dns_follow_fds(c->f, pfd);

		if (next < wake)
			wake = next;
		r = poll(pfd, n, wake > now ? (int)(wake - now) : 0);
		if (r < 0 && errno != EINTR) {
			kcs_err_set(&err, KCS_EXIT_FAILED, "poll: %s", strerror(errno));
			warn(c->cli, c->spec->name, &err);
		}
		if (r > 0)
			kcs_dns_follow_read(c->f, kcs_now_ms());
		now = kcs_now_ms();
		if (kcs_dns_follow_expire(c->f, now)) {
			/* Learned addresses past their TTL leave the kernel. */
			if (apply(c->spec, &c->f->learned, &err))
				warn(c->cli, c->spec->name, &err);
			else
				status(c->cli, c->spec->name, "dns_expired", NULL,
				       "learned addresses expired: applied",
				       &c->spec->net.egress.rules,
				       &c->spec->net.egress.except);
		}
		if (now >= file) {
			file = now + 1000;
			r = kcs_profile_watch_poll(w, 0, c->spec, &err);
			if (r < 0)
				warn(c->cli, c->spec->name, &err);
			if (r > 0)
				return 1;
		}
	}
	return 0;
}

static int run_netwatch(struct cli *cli, const struct cli_cmd *cmd, int argc,
			char **argv)
{
	static const struct option opts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "once", no_argument, NULL, OPT_ONCE },
		{ "min-interval", required_argument, NULL, OPT_MIN },
		{ "max-interval", required_argument, NULL, OPT_MAX },
		{ "grace", required_argument, NULL, OPT_GRACE },
		{ "dns-netns", required_argument, NULL, OPT_DNS },
		{ "dns-server", required_argument, NULL, OPT_DNS_SERVER },
		CLI_COMMON_OPTS, { 0 }
	};
	struct nw_opts o = { .min_s = 1, .max_s = 300, .grace_s = 5 };
	struct sigaction sa = { .sa_handler = on_signal };
	struct kcs_dns_follow f = { 0 };
	struct kcs_profile_watch w;
	struct kcs_profile_spec spec;
	struct dns_ctx dc = { cli, &spec, &f };
	struct kcs_err err;
	int ret, applied = 0, dirs, changed = 0;

	/* Its stdout is a stream: with --json, one object per line, each
	 * written as it happens (set before any output, as setvbuf needs). */
	cli->lines = 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	ret = cli_parse(cli, cmd, argc, argv, ":hf:", opts, nw_opt, &o);
	if (ret != CLI_CONTINUE)
		return ret;
	if (optind < argc)
		return cli_usage(cli, cmd, "unexpected argument '%s'", argv[optind]);
	if (!o.file)
		return cli_usage(cli, cmd, "missing -f FILE");
	if (o.min_s > o.max_s)
		return cli_usage(cli, cmd, "--min-interval is above --max-interval");
	if (o.ndns && o.once)
		return cli_usage(cli, cmd, "--dns-netns follows answers as they come: not with --once");
	if (!o.ndns != !o.nservers)
		return cli_usage(cli, cmd, o.ndns ?
				 "--dns-netns needs --dns-server: the resolvers whose answers to trust" :
				 "--dns-server goes with --dns-netns");
	if (kcs_profile_watch_init(&w, o.file, &spec, &err))
		return cli_fail(cli, &err);
	dirs = kcs_net_has_fqdn(&spec.net);
	if (!dirs || (o.ndns && !(dirs & KCS_NET_EGRESS_FQDN))) {
		kcs_profile_free(&spec);
		kcs_profile_watch_free(&w);
		kcs_err_set(&err, KCS_EXIT_INVALID, dirs ?
			    "%s: --dns-netns follows egress fqdn rules, and the profile has none" :
			    "%s: no fqdn rules to watch", o.file);
		return cli_fail(cli, &err);
	}
	f.learned.min_s = (uint32_t)o.min_s;
	f.learned.grace_s = (uint32_t)o.grace_s;
	memcpy(f.servers, o.servers, o.nservers * sizeof(o.servers[0]));
	f.nservers = o.nservers;
	f.apply = dns_apply;
	f.report = dns_report;
	f.arg = &dc;
	if (o.ndns) {
		if (kcs_dns_follow_start(&f, o.dns_netns, o.ndns, &spec.net, &err)) {
			kcs_profile_free(&spec);
			kcs_profile_watch_free(&w);
			return cli_fail(cli, &err);
		}
		status(cli, spec.name, "dns_follow",
		       json_pack("{s:i}", "namespaces", (int)o.ndns),
		       "following the DNS answers of the --dns-netns namespaces",
		       NULL, NULL);
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop) {
		uint32_t ttl;
		unsigned long long next;
		char text[128];
		int r;

		/*
		 * The file is the truth: never apply bytes older than its
		 * own, or this would revert a newer `profile apply` of it.
		 */
		r = kcs_profile_watch_poll(&w, 1, &spec, &err);
		if (r < 0)
			warn(cli, spec.name, &err);
		if (r > 0)
			changed = 1;
		if (changed) {
			/* Resolved and applied afresh, whatever the TTLs. */
			changed = 0;
			applied = 0;
			dirs = kcs_net_has_fqdn(&spec.net);
			/* Learned addresses of names still there stay. */
			if (kcs_dns_learned_retarget(&f.learned, &spec.net)) {
				kcs_err_set(&err, KCS_EXIT_FAILED, "out of memory");
				warn(cli, spec.name, &err);
			}
			status(cli, spec.name, "reloaded",
			       json_pack("{s:o}", "file", out_jstr(o.file)),
			       "the profile file changed: resolving and applying it",
			       NULL, NULL);
		}
		r = kcs_net_resolve(&spec.net, &ttl, &err);
		if (r < 0) {
			/* Keep the addresses in force; retry soon. */
			warn(cli, spec.name, &err);
			if (!applied && o.once) {
				ret = KCS_EXIT_FAILED;
				break;
			}
			next = o.min_s;
			/* Ingress: the kept addresses get min-interval more. */
			if (applied && (dirs & KCS_NET_INGRESS_FQDN) &&
			    refresh_ingress(cli, &spec, &o, &err))
				warn(cli, spec.name, &err);
		} else {
			if ((r & KCS_NET_EGRESS_FQDN) || !applied) {
				if (apply(&spec, &f.learned, &err)) {
					ret = cli_fail(cli, &err);
					break;
				}
				applied = 1;
				status(cli, spec.name, "applied", NULL, "applied",
				       &spec.net.egress.rules, &spec.net.egress.except);
			}
			if (dirs & KCS_NET_INGRESS_FQDN) {
				status(cli, spec.name, "ingress_addresses",
				       json_pack("{s:b}", "changed",
						 !!(r & KCS_NET_INGRESS_FQDN)),
				       r & KCS_NET_INGRESS_FQDN ?
				       "ingress addresses changed" :
				       "ingress addresses",
				       &spec.net.ingress.rules,
				       &spec.net.ingress.except);
				if (refresh_ingress(cli, &spec, &o, &err)) {
					ret = cli_fail(cli, &err);
					break;
				}
			}
			next = ttl == UINT32_MAX ? o.max_s : ttl;
			if (next < o.min_s)
				next = o.min_s;
			if (next > o.max_s)
				next = o.max_s;
			snprintf(text, sizeof(text), "%s, next resolution in %llu s",
				 r & KCS_NET_EGRESS_FQDN ? "addresses changed" :
				 "resolved", next);
			status(cli, spec.name, "resolved",
			       json_pack("{s:b,s:I}", "changed",
					 !!(r & KCS_NET_EGRESS_FQDN), "next_s",
					 (json_int_t)next),
			       text, NULL, NULL);
		}
		if (o.once)
			break;
		changed = nap(&dc, &w, next);
	}
	kcs_dns_follow_stop(&f);
	kcs_profile_free(&spec);
	kcs_profile_watch_free(&w);
	return ret == CLI_CONTINUE ? KCS_EXIT_OK : ret;
}

const struct cli_cmd cmd_netwatch = {
	.name = "netwatch",
	.run = run_netwatch,
	.usage =
"Usage: kcsadm netwatch -f FILE [--once] [--min-interval S] [--max-interval S]\n"
"                        [--grace S] [--dns-netns PATH --dns-server ADDR]...\n"
"\n"
"Keep the FQDN rules of profile FILE current: resolve every \"fqdn\" of its\n"
"network rules (A and AAAA, through /etc/resolv.conf); egress: apply the\n"
"profile with those addresses whenever they change (an atomic replace);\n"
"ingress: after every resolution, replace the timed nftables elements in\n"
"every namespace bound to the profile with --netns (each address times out\n"
"after its TTL, clamped to the intervals, plus --grace). Resolve again when\n"
"the shortest TTL of the answers has passed (clamped to\n"
"--min-interval..--max-interval, default 1..300 s; names without addresses\n"
"are retried after --max-interval). A resolver failure keeps the addresses\n"
"in force and retries after --min-interval. Runs until SIGINT/SIGTERM.\n"
"\n"
"FILE is followed: when its content changes (looked at every second, and\n"
"read before every resolution) and is a valid version of the same profile,\n"
"that version is resolved and applied at once, so that netwatch never\n"
"reverts a newer `kcsadm profile apply -f FILE`. An invalid version is\n"
"reported and the profile in force kept. Standard input is read once.\n"
"\n"
"--dns-netns PATH: egress FQDN rules also follow the DNS answers the\n"
"containers of network namespace PATH (/proc/PID/ns/net, /run/netns/NAME)\n"
"receive from their own resolvers, those --dns-server names (addresses\n"
"or CIDRs; answers from any other server teach nothing, or a container\n"
"could ask a server of its own). Each answer (UDP or TCP from port 53,\n"
"a reply from outside the namespace) is held in an nftables queue until\n"
"the addresses it gives a rule's name are in the kernel, then released;\n"
"they stay for the answer's TTL (at least --min-interval) plus --grace.\n"
"Answers are dropped while netwatch is not reading them; the queue table\n"
"is removed when it exits. Repeat for up to 64 namespaces.\n"
"\n"
"Options:\n"
"  -f, --file FILE        the profile (as for profile apply)\n"
"      --once             resolve and apply once, then exit\n"
"      --min-interval S   shortest wait between resolutions (1)\n"
"      --max-interval S   longest wait between resolutions (300)\n"
"      --grace S          ingress elements and learned addresses outlive\n"
"                         their TTL by S (5)\n"
"      --dns-netns PATH   follow the DNS answers received in namespace PATH\n"
"      --dns-server ADDR  a resolver whose answers --dns-netns trusts\n"
"                         (repeatable, up to 16)\n"
"      --json             one JSON object per line, errors included\n"
"                         (fields in docs/kcsadm.md)\n"
"  -h, --help             this text\n",
};
