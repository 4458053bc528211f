// SPDX-License-Identifier: GPL-2.0
/*
 * Decision-cost benchmark (figures, not a test): the module's own matchers
 * (../kmod/dfa.c, ../kmod/netm.c, built for userspace) timed natively on
 * this machine, because inside a TCG guest an exec costs milliseconds and
 * the hook's few hundred nanoseconds drown in the emulator's noise.
 *
 * - exec: the path walk + accept lookup kcs.ko does per exec of a bound
 *   task, over a mix of executable paths (none of which the profile's
 *   rules name), against profiles of 10, 1,000 and 10,000 patterns
 *   (bench_patterns.h: the same mix as bench_compile);
 * - connect: the interval lookup per connect(), against 10 and 10,000
 *   CIDR rules shaped like bench/exec.t.sh's.
 * Prints ns per decision; the ratio 10,000 : 10 is the scaling figure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kcs.h>

#include "bench_patterns.h"
#include "compile.h"
#include "dfa.h"
#include "net.h"
#include "netm.h"

#define LOOKUPS 4000000UL

static const char *const paths[] = {
	"/usr/bin/python3.11", "/bin/busybox", "/usr/local/bin/node",
	"/usr/sbin/nginx", "/bin/sh", "/opt/app/bin/server",
	"/usr/lib/jvm/java-17-openjdk-amd64/bin/java", "/usr/bin/env",
};
#define NPATHS (sizeof(paths) / sizeof(paths[0]))

static volatile unsigned long sink;

static int bench_exec(size_t n, double *ns)
{
	struct kcs_pattern *pats = calloc(n, sizeof(*pats));
	char *texts = malloc(n * BENCH_TEXT_LEN);
	size_t lens[NPATHS], i;
	struct kcs_compile_error err;
	struct kcs_blob dfa = { 0 }, text = { 0 };
	struct kcs_dfa d;
	const char *why;
	unsigned long k, acc = 0;
	double t0;
	int ret = -1;

	if (!pats || !texts)
		goto out;
	bench_rng = BENCH_SEED;
	for (i = 0; i < n; i++)
		bench_pattern(i, &pats[i], texts + i * BENCH_TEXT_LEN);
	if (kcs_compile(pats, n, NULL, &dfa, &text, &err) ||
	    kcs_dfa_verify(dfa.data, dfa.len, &d, &why))
		goto out;
	for (i = 0; i < NPATHS; i++)
		lens[i] = strlen(paths[i]);
	t0 = bench_now();
	for (k = 0; k < LOOKUPS; k++) {
		size_t p = k % NPATHS;

		acc += kcs_dfa_accept(&d, kcs_dfa_walk(&d, d.start, paths[p],
							lens[p]));
	}
	*ns = (bench_now() - t0) * 1e9 / LOOKUPS;
	sink = acc;
	ret = acc ? -1 : 0;	/* no path of the mix is named by a rule */
out:
	kcs_blob_free(&dfa);
	kcs_blob_free(&text);
	free(pats);
	free(texts);
	return ret;
}

/* @n /32 rules of TCP to one port each, as bench/exec.t.sh's gennet. */
static int bench_connect(size_t n, double *ns)
{
	static const uint32_t nets[] = { 0xc0000200, 0xc6336400, 0xcb007100 };
	struct kcs_net_rule *rules = calloc(n, sizeof(*rules));
	struct kcs_port_range *ports = calloc(n, sizeof(*ports));
	struct kcs_net_ruleset set = { .where = "bench", .rules = rules, .n = n };
	struct kcs_blob blob = { 0 }, text = { 0 };
	struct kcs_net_addr a = { .v6 = false };
	struct kcs_err err = { 0 };
	struct kcs_netm m;
	const char *why;
	unsigned long k, acc = 0;
	double t0;
	size_t i;
	int ret = -1;

	if (!rules || !ports)
		goto out;
	for (i = 0; i < n; i++) {
		struct kcs_net_rule *r = &rules[i];

		r->text = "bench";
		r->has_cidr = 1;
		r->lo[3] = r->hi[3] = nets[i % 3] + (uint32_t)(i / 3 % 256);
		ports[i].lo = ports[i].hi = (uint16_t)(1000 + i / 768);
		r->ports = &ports[i];
		r->nports = 1;
		r->proto = KCS_NET_PROTO_TCP;
	}
	if (kcs_net_compile(&set, &blob, &text, &err) ||
	    kcs_netm_verify(blob.data, blob.len, &m, &why))
		goto out;
	t0 = bench_now();
	for (k = 0; k < LOOKUPS; k++) {
		/* loopback (as the VM loop) and the rules' own networks */
		a.w[3] = k & 1 ? 0x7f000001 : nets[k % 3] + (uint32_t)(k % 256);
		acc += kcs_netm_lookup(&m, &a, 7777, KCS_NET_PROTO_TCP) !=
		       KCS_NET_NO_RULE;
	}
	*ns = (bench_now() - t0) * 1e9 / LOOKUPS;
	sink = acc;
	ret = acc ? -1 : 0;	/* port 7777 is in no rule */
out:
	kcs_blob_free(&blob);
	kcs_blob_free(&text);
	free(rules);
	free(ports);
	return ret;
}

int main(void)
{
	static const size_t exec_sizes[] = { 10, 1000, 10000 };
	static const size_t net_sizes[] = { 10, 10000 };
	double ns[3];
	size_t i;

	for (i = 0; i < 3; i++) {
		if (bench_exec(exec_sizes[i], &ns[i])) {
			printf("exec %zu patterns: benchmark failed\n", exec_sizes[i]);
			return 1;
		}
		printf("exec decision, %5zu patterns: %7.1f ns  (x%.3f of 10)\n",
		       exec_sizes[i], ns[i], ns[i] / ns[0]);
	}
	for (i = 0; i < 2; i++) {
		if (bench_connect(net_sizes[i], &ns[i])) {
			printf("connect %zu rules: benchmark failed\n", net_sizes[i]);
			return 1;
		}
		printf("connect decision, %5zu CIDR rules: %7.1f ns  (x%.3f of 10)\n",
		       net_sizes[i], ns[i], ns[i] / ns[0]);
	}
	return 0;
}
