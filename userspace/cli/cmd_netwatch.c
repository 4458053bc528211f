// SPDX-License-Identifier: GPL-2.0
/*
 * kcsadm netwatch: keep a profile's FQDN rules current. Resolves every
 * "fqdn" of the profile's rules through DNS; egress: applies the profile
 * with those addresses (an atomic replace in the kernel) whenever they
 * change; ingress: after every resolution, replaces the timed nftables
 * elements in each namespace bound to the profile (new timeouts, new
 * addresses, one atomic batch per namespace). Resolves again when the
 * shortest TTL of the answers runs out.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

#include "cmds.h"
#include "ingress_refresh.h"
#include "ops.h"
#include "profile.h"
#include "profile_build.h"

struct nw_opts {
	const char *file;
	int once;
	unsigned long long min_s, max_s, grace_s;
};

enum { OPT_ONCE = OPT_FIRST_PRIVATE, OPT_MIN, OPT_MAX, OPT_GRACE };

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

static void print_addrs(const struct kcs_net_ruleset *set)
{
	size_t i, k;

	for (i = 0; i < set->n; i++) {
		const struct kcs_net_rule *r = &set->rules[i];

		if (!r->fqdn)
			continue;
		printf("  %s[%zu] %s ->", set->where, i, r->fqdn);
		if (!r->naddrs)
			printf(" (no address)");
		for (k = 0; k < r->naddrs; k++) {
			char buf[INET6_ADDRSTRLEN];
			uint32_t be[4];
			int j;

			for (j = 0; j < 4; j++)
				be[j] = htonl(r->addrs[k].w[j]);
			inet_ntop(r->addrs[k].v6 ? AF_INET6 : AF_INET,
				  r->addrs[k].v6 ? (void *)be : (void *)&be[3],
				  buf, sizeof(buf));
			printf(" %s (ttl %" PRIu32 ")", buf, r->addrs[k].ttl);
		}
		printf("\n");
	}
}

static int apply(const struct kcs_profile_spec *spec, struct kcs_err *err)
{
	struct kcs_compiled_profile cp;
	struct kcs_nl nl;
	int ret;

	if (kcs_profile_compile(spec, &cp, err))
		return -1;
	ret = kcs_nl_open(&nl, err);
	if (!ret) {
		ret = kcs_profile_set(&nl, &cp, err);
		kcs_nl_close(&nl);
	}
	kcs_compiled_free(&cp);
	return ret;
}

static void on_refresh(const char *netns, int nelems, const struct kcs_err *err,
		       void *arg)
{
	const char *name = arg;

	if (nelems < 0) {
		fprintf(stderr, "kcsadm: netwatch: profile %s: netns %s: %s\n", name,
			netns, err->msg);
		return;
	}
	printf("profile %s: ingress netns %s: %d FQDN element%s\n", name, netns,
	       nelems, nelems == 1 ? "" : "s");
}

/*
 * The ingress half of a round: the state file bind --netns reads, then
 * the timed elements of every namespace bound to the profile.
 */
static int refresh_ingress(const struct kcs_profile_spec *spec,
			   const struct nw_opts *o, struct kcs_err *err)
{
	struct kcs_fqdn_timing t = { (uint32_t)o->min_s, (uint32_t)o->max_s,
				     (uint32_t)o->grace_s };
	uint64_t now = kcs_now_ms();
	struct kcs_ingress in;
	int ret;

	if (kcs_ingress_build(&spec->net.ingress, &t, now, &in, err))
		return -1;
	ret = kcs_ingress_save(spec->name, &in, err);
	if (!ret)
		kcs_ingress_refresh(spec->name, &in, now, on_refresh,
				    (void *)spec->name);
	kcs_ingress_free(&in);
	return ret;
}

/* Sleep @s seconds unless a signal says stop. */
static void nap(unsigned long long s)
{
	struct timespec ts = { .tv_sec = 1 };

	while (s-- && !stop)
		nanosleep(&ts, NULL);
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
		CLI_COMMON_OPTS, { 0 }
	};
	struct nw_opts o = { .min_s = 1, .max_s = 300, .grace_s = 5 };
	struct sigaction sa = { .sa_handler = on_signal };
	struct kcs_profile_spec spec;
	struct kcs_err err;
	int ret, applied = 0, dirs;

	ret = cli_parse(cli, cmd, argc, argv, ":hf:", opts, nw_opt, &o);
	if (ret != CLI_CONTINUE)
		return ret;
	if (optind < argc)
		return cli_usage(cli, cmd, "unexpected argument '%s'", argv[optind]);
	if (!o.file)
		return cli_usage(cli, cmd, "missing -f FILE");
	if (o.min_s > o.max_s)
		return cli_usage(cli, cmd, "--min-interval is above --max-interval");
	if (kcs_profile_load(o.file, &spec, &err))
		return cli_fail(cli, &err);
	dirs = kcs_net_has_fqdn(&spec.net);
	if (!dirs) {
		kcs_profile_free(&spec);
		kcs_err_set(&err, KCS_EXIT_INVALID, "%s: no fqdn rules to watch", o.file);
		return cli_fail(cli, &err);
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (!stop) {
		uint32_t ttl;
		unsigned long long next;
		int r = kcs_net_resolve(&spec.net, &ttl, &err);

		if (r < 0) {
			/* Keep the addresses in force; retry soon. */
			fprintf(stderr, "kcsadm: netwatch: %s\n", err.msg);
			if (!applied && o.once) {
				ret = KCS_EXIT_FAILED;
				break;
			}
			next = o.min_s;
			/* Ingress: the kept addresses get min-interval more. */
			if (applied && (dirs & KCS_NET_INGRESS_FQDN) &&
			    refresh_ingress(&spec, &o, &err))
				fprintf(stderr, "kcsadm: netwatch: %s\n", err.msg);
		} else {
			if ((r & KCS_NET_EGRESS_FQDN) || !applied) {
				if (apply(&spec, &err)) {
					ret = cli_fail(cli, &err);
					break;
				}
				applied = 1;
				printf("profile %s: applied\n", spec.name);
				print_addrs(&spec.net.egress.rules);
				print_addrs(&spec.net.egress.except);
			}
			if (dirs & KCS_NET_INGRESS_FQDN) {
				if (r & KCS_NET_INGRESS_FQDN)
					printf("profile %s: ingress addresses changed\n",
					       spec.name);
				print_addrs(&spec.net.ingress.rules);
				print_addrs(&spec.net.ingress.except);
				if (refresh_ingress(&spec, &o, &err)) {
					ret = cli_fail(cli, &err);
					break;
				}
			}
			next = ttl == UINT32_MAX ? o.max_s : ttl;
			if (next < o.min_s)
				next = o.min_s;
			if (next > o.max_s)
				next = o.max_s;
			printf("profile %s: %s, next resolution in %llu s\n",
			       spec.name, r & KCS_NET_EGRESS_FQDN ?
			       "addresses changed" : "resolved", next);
		}
		if (o.once)
			break;
		nap(next);
	}
	kcs_profile_free(&spec);
	return ret == CLI_CONTINUE ? KCS_EXIT_OK : ret;
}

const struct cli_cmd cmd_netwatch = {
	.name = "netwatch",
	.run = run_netwatch,
	.usage =
"Usage: kcsadm netwatch -f FILE [--once] [--min-interval S] [--max-interval S]\n"
"                        [--grace S]\n"
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
"Options:\n"
"  -f, --file FILE        the profile (as for profile apply)\n"
"      --once             resolve and apply once, then exit\n"
"      --min-interval S   shortest wait between resolutions (1)\n"
"      --max-interval S   longest wait between resolutions (300)\n"
"      --grace S          ingress elements outlive their TTL by S (5)\n"
"  -h, --help             this text\n",
};
