// SPDX-License-Identifier: GPL-2.0
/*
 * Network rules: the JSON validation (every error names the location), and
 * the compiler + the module's own verifier and lookup (../kmod/netm.c)
 * against a naive first-match reference on many random rule sets and
 * addresses; the verifier also refuses corrupted blobs.
 */
#include <stdlib.h>
#include <string.h>

#include "dfa.h"
#include "netgroup.h"
#include "netm.h"
#include "profile_build.h"
#include "tap.h"

struct bad_case {
	const char *net;	/* value of "network" */
	const char *want;
};

static const struct bad_case bad[] = {
	{ "{\"ingress\":{\"mode\":\"block\",\"rules\":[{\"cidr\":\"192.0.2.1\",\"program\":\"/x\"}]}}",
	  "network.ingress.rules[0].program: ingress rules cannot name a program" },
	{ "{\"egress\":{\"mode\":\"block\",\"rules\":[{\"cidr\":\"192.0.2.1\",\"program\":\"x\"}]}}",
	  "network.egress.rules[0].program" },
	{ "{\"listen\":{\"mode\":\"block\",\"ports\":\"80\",\"exclusions\":[{\"cidr\":\"192.0.2.1\"}]}}",
	  "network.listen.exclusions[0]: a listen exclusion names \"ports\"" },
	{ "{\"listen\":{\"monitor\":true,\"exclusions\":[{\"ports\":\"80\"}]}}",
	  "network.listen: \"ports\"/\"protocol\"/\"exclusions\" need \"mode\": \"block\"" },
	{ "{\"egress\":{\"mode\":\"block\",\"rules\":[{\"cidr\":\"192.0.2.1\",\"program\":\"/x\"},"
	  "{\"cidr\":\"192.0.2.1\",\"program\":\"/x\"}]}}",
	  "network.egress.rules[1]: duplicates network.egress.rules[0] (192.0.2.1 tcp,udp * (program /x))" },
	{ "[]", "network: expected an object, got an array" },
	{ "{\"egres\":{}}", "network: unknown key \"egres\"" },
	{ "{\"egress\":{}}", "network.egress: missing key \"mode\"" },
	{ "{\"egress\":{\"mode\":\"deny\"}}", "network.egress.mode: unknown mode \"deny\"" },
	{ "{\"egress\":{\"mode\":\"block\"}}", "network.egress: missing key \"rules\"" },
	{ "{\"egress\":{\"mode\":\"block\",\"rules\":[]}}",
	  "network.egress.rules: must hold at least one rule" },
	{ "{\"egress\":{\"mode\":\"block\",\"rules\":[{\"cidr\":\"192.0.2.0/33\"}]}}",
	  "network.egress.rules[0].cidr: invalid CIDR: \"192.0.2.0/33\": prefix length must be 0..32" },
	{ "{\"egress\":{\"mode\":\"block\",\"rules\":[{\"cidr\":\"192.0.2.1/24\"}]}}",
	  "network.egress.rules[0].cidr: invalid CIDR: \"192.0.2.1/24\" has host bits set" },
	{ "{\"egress\":{\"mode\":\"block\",\"rules\":[{\"cidr\":\"192.0.2.300\"}]}}",
	  "network.egress.rules[0].cidr: invalid CIDR: \"192.0.2.300\" is not an IPv4 or IPv6 address" },
	{ "{\"egress\":{\"mode\":\"block\",\"rules\":[{\"cidr\":\"2001:db8::/129\"}]}}",
	  "prefix length must be 0..128" },
	{ "{\"egress\":{\"mode\":\"block\",\"rules\":[{\"cidr\":\"192.0.2.0/\"}]}}",
	  "prefix length must be 0..32" },
	{ "{\"egress\":{\"mode\":\"block\",\"rules\":[{\"cidr\":\"192.0.2.0/24\",\"ports\":\"70000\"}]}}",
	  "network.egress.rules[0].ports: port \"70000\" out of range" },
	{ "{\"egress\":{\"mode\":\"block\",\"rules\":[{\"ports\":[80,\"90-85\"]}]}}",
	  "network.egress.rules[0].ports[1]: port range \"90-85\" is reversed" },
	{ "{\"egress\":{\"mode\":\"block\",\"rules\":[{\"ports\":[-1]}]}}",
	  "network.egress.rules[0].ports[0]: port -1 out of range" },
	{ "{\"egress\":{\"mode\":\"block\",\"rules\":[{\"ports\":\"http\"}]}}",
	  "network.egress.rules[0].ports: \"http\" is not a port or port range" },
	{ "{\"egress\":{\"mode\":\"block\",\"rules\":[{\"fqdn\":\"\"}]}}",
	  "network.egress.rules[0].fqdn: empty fqdn" },
	{ "{\"egress\":{\"mode\":\"block\",\"rules\":[{\"fqdn\":\"a..example.com\"}]}}",
	  "network.egress.rules[0].fqdn: invalid name \"a..example.com\": bad label" },
	{ "{\"egress\":{\"mode\":\"block\",\"rules\":[{\"fqdn\":\"a_b.example.com\"}]}}",
	  "network.egress.rules[0].fqdn: invalid name \"a_b.example.com\": character 2 ('_') not allowed" },
	{ "{\"egress\":{\"mode\":\"block\",\"rules\":[{\"fqdn\":\"db.example.com\",\"cidr\":\"192.0.2.0/24\"}]}}",
	  "network.egress.rules[0]: \"fqdn\" and \"cidr\" exclude each other" },
	{ "{\"ingress\":{\"mode\":\"block\",\"rules\":[{\"fqdn\":\"db.example.com\"},{\"fqdn\":\"DB.example.com\"}]}}",
	  "network.ingress.rules[1]: duplicates network.ingress.rules[0] (db.example.com tcp,udp *)" },
	{ "{\"ingress\":{\"mode\":\"allow\",\"allow\":[{\"fqdn\":\"-a.example.com\"}]}}",
	  "network.ingress.allow[0].fqdn: invalid name \"-a.example.com\"" },
	{ "{\"egress\":{\"mode\":\"block\",\"rules\":[{\"fqdn\":\"DB.example.com\"},{\"fqdn\":\"db.example.com\"}]}}",
	  "network.egress.rules[1]: duplicates network.egress.rules[0] (db.example.com tcp,udp *)" },
	{ "{\"egress\":{\"mode\":\"block\",\"rules\":[{\"protocol\":\"tcp\"}]}}",
	  "network.egress.rules[0]: a rule needs \"cidr\", \"fqdn\", \"ports\" or \"program\"" },
	{ "{\"egress\":{\"mode\":\"block\",\"rules\":[{\"ports\":\"80\",\"protocol\":\"icmp\"}]}}",
	  "network.egress.rules[0].protocol: unknown protocol \"icmp\"" },
	{ "{\"egress\":{\"mode\":\"block\",\"rules\":[{\"cidr\":\"192.0.2.0/24\",\"port\":80}]}}",
	  "network.egress.rules[0]: unknown key \"port\"" },
	{ "{\"egress\":{\"mode\":\"block\",\"rules\":[{\"cidr\":\"192.0.2.0/24\"},{\"cidr\":\"192.0.2.0/24\"}]}}",
	  "network.egress.rules[1]: duplicates network.egress.rules[0]" },
	{ "{\"egress\":{\"mode\":\"block\",\"rules\":[{\"cidr\":\"192.0.2.0/24\"}],\"exclusions\":[{\"cidr\":\"192.0.2.0/24\"}]}}",
	  "network.egress.exclusions[0]: conflicts with network.egress.rules[0]" },
	{ "{\"egress\":{\"mode\":\"allow\",\"rules\":[{\"cidr\":\"192.0.2.0/24\"}]}}",
	  "network.egress.rules: not allowed with mode \"allow\"" },
	{ "{\"egress\":{\"mode\":\"allow\",\"allow\":[{\"cidr\":\"x\"}]}}",
	  "network.egress.allow[0].cidr: invalid CIDR" },
	{ "{\"ingress\":{\"mode\":\"allow\",\"rules\":[{\"cidr\":\"192.0.2.0/24\"}]}}",
	  "network.ingress.rules: not allowed with mode \"allow\"" },
	{ "{\"ingress\":{\"mode\":\"block\",\"rules\":[{\"cidr\":\"192.0.2.0/2\"}]}}",
	  "network.ingress.rules[0].cidr: invalid CIDR" },
	{ "{\"egress\":{\"mode\":\"block\",\"rules\":[{\"cidr\":\"::ffff:198.51.100.0/64\"}]}}",
	  "network.egress.rules[0].cidr: invalid CIDR: \"::ffff:198.51.100.0/64\": an IPv4-mapped prefix shorter than /96 is no IPv4 network; write the IPv4 form (198.51.100.0/LEN)" },
	{ "{\"ingress\":{\"mode\":\"block\",\"rules\":[{\"cidr\":\"::ffff:198.51.100.1/120\"}]}}",
	  "network.ingress.rules[0].cidr: invalid CIDR: \"::ffff:198.51.100.1/120\" has host bits set past the /120 prefix" },
	{ "{\"egress\":{\"mode\":\"block\",\"rules\":[{\"cidr\":\"198.51.100.0/24\"},{\"cidr\":\"::ffff:198.51.100.0/120\"}]}}",
	  "network.egress.rules[1]: duplicates network.egress.rules[0] (198.51.100.0/24 tcp,udp *)" },
	{ "{\"listen\":{\"mode\":\"allow\"}}", "network.listen.mode: expected \"block\"" },
	{ "{\"listen\":{\"ports\":[22]}}", "network.listen: \"ports\"/\"protocol\"/\"exclusions\" need \"mode\"" },
	{ "{\"listen\":{\"monitor\":1}}", "network.listen.monitor: expected a boolean" },
	{ "{\"listen\":{\"mode\":\"block\",\"ports\":[\"1-99999\"]}}",
	  "network.listen.ports[0]: port \"1-99999\" out of range" },
};

static void test_json(void)
{
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kcs_profile_spec spec;
		struct kcs_err err = { 0 };
		char buf[1024];
		int r;

		snprintf(buf, sizeof(buf), "{\"name\":\"n\",\"network\":%s}", bad[i].net);
		r = kcs_profile_parse(buf, strlen(buf), "t.json", &spec, &err);
		tap_ok(r == -1 && err.code == KCS_EXIT_INVALID &&
		       strstr(err.msg, bad[i].want),
		       "refused: %s", bad[i].want);
		if (r != -1 || !strstr(err.msg, bad[i].want))
			tap_diag("got: %s", err.msg);
		if (!r)
			kcs_profile_free(&spec);
	}
}

static void test_good(void)
{
	static const char *good =
		"{\"name\":\"n\",\"network\":{\"egress\":{\"mode\":\"block\","
		"\"rules\":[{\"cidr\":\"192.0.2.0/24\",\"ports\":[\"80\",\"8000-8100\"],\"protocol\":\"tcp\"},"
		"{\"cidr\":\"2001:db8::/32\"},{\"ports\":\"\",\"cidr\":\"198.51.100.7\"}],"
		"\"exclusions\":[{\"cidr\":\"192.0.2.128/25\"}]},"
		"\"listen\":{\"mode\":\"block\",\"ports\":[22],\"monitor\":true}}}";
	struct kcs_compiled_profile cp;
	struct kcs_profile_spec spec;
	struct kcs_err err = { 0 };
	struct kcs_netm m;
	struct kcs_net_addr a = { 0 };
	const char *why = "";

	tap_ok(!kcs_profile_parse(good, strlen(good), "t", &spec, &err),
	       "a full network section parses");
	tap_diag("%s", err.msg);
	tap_is_str(spec.net.egress.rules.rules[0].text, "192.0.2.0/24 tcp 80,8000-8100",
		   "rule description");
	tap_is_str(spec.net.egress.rules.rules[2].text, "198.51.100.7 tcp,udp *",
		   "bare address, all ports, both protocols");
	tap_ok(spec.net.flags == KCS_NET_F_MONITOR_LISTEN, "monitor flag");
	tap_ok(!kcs_profile_compile(&spec, &cp, &err), "compiles");
	tap_ok(cp.egress_kind == KCS_NET_BLOCK && cp.egress[0].len &&
	       cp.egress[1].len && cp.listen.len, "egress, exclusions, listen blobs");
	tap_ok(!kcs_netm_verify(cp.egress[0].data, cp.egress[0].len, &m, &why),
	       "the module's verifier accepts it (%s)", why);
	a.w[3] = 0xc0000205;	/* 192.0.2.5 */
	tap_ok(kcs_netm_lookup(&m, &a, 8050, KCS_NET_PROTO_TCP) == 0, "192.0.2.5:8050/tcp -> rule 0");
	tap_ok(kcs_netm_lookup(&m, &a, 8050, KCS_NET_PROTO_UDP) == KCS_NET_NO_RULE, "udp: no rule");
	tap_ok(kcs_netm_lookup(&m, &a, 81, KCS_NET_PROTO_TCP) == KCS_NET_NO_RULE, "port 81: no rule");
	a.v6 = true;
	a.w[0] = 0x20010db8;
	a.w[3] = 1;
	tap_ok(kcs_netm_lookup(&m, &a, 1, KCS_NET_PROTO_UDP) == 1, "2001:db8::1 -> rule 1");
	a.w[0] = 0;
	a.w[2] = 0xffff;
	a.w[3] = 0xc6336407;
	kcs_net_addr_unmap(&a);
	tap_ok(!a.v6 && kcs_netm_lookup(&m, &a, 9, KCS_NET_PROTO_UDP) == 2,
	       "::ffff:198.51.100.7 is looked up as IPv4 -> rule 2");
	kcs_compiled_free(&cp);
	kcs_profile_free(&spec);
}

/*
 * An IPv4-mapped IPv6 CIDR (prefix /96 or longer) is the IPv4 network it
 * maps: the module looks IPv4 peers of IPv6 sockets up as IPv4, so kept
 * as IPv6 it could never match.
 */
static void test_mapped(void)
{
	static const char *good =
		"{\"name\":\"n\",\"network\":{\"egress\":{\"mode\":\"block\","
		"\"rules\":[{\"cidr\":\"::ffff:198.51.100.0/120\",\"ports\":443},"
		"{\"cidr\":\"::FFFF:c000:0201\"},{\"cidr\":\"::ffff:0:0/96\"}]}}}";
	struct kcs_compiled_profile cp;
	struct kcs_profile_spec spec;
	struct kcs_err err = { 0 };
	struct kcs_net_rule *r;
	struct kcs_netm m;
	struct kcs_net_addr a = { 0 };
	const char *why = "";

	if (!tap_ok(!kcs_profile_parse(good, strlen(good), "t", &spec, &err),
		    "IPv4-mapped CIDRs parse")) {
		tap_diag("%s", err.msg);
		return;
	}
	r = spec.net.egress.rules.rules;
	tap_ok(!r[0].v6 && r[0].lo[3] == 0xc6336400 && r[0].hi[3] == 0xc63364ff &&
	       !r[0].lo[2] && !r[0].hi[2],
	       "::ffff:198.51.100.0/120 is 198.51.100.0/24");
	tap_is_str(r[0].text, "198.51.100.0/24 tcp,udp 443",
		   "its description is the IPv4 form");
	tap_ok(!r[1].v6 && r[1].lo[3] == 0xc0000201 && r[1].hi[3] == 0xc0000201,
	       "a bare mapped address is a /32");
	tap_is_str(r[1].text, "192.0.2.1/32 tcp,udp *", "described as a /32");
	tap_ok(!r[2].v6 && !r[2].lo[3] && r[2].hi[3] == 0xffffffff,
	       "::ffff:0:0/96 is 0.0.0.0/0");
	tap_ok(!kcs_profile_compile(&spec, &cp, &err), "compiles");
	tap_ok(!kcs_netm_verify(cp.egress[0].data, cp.egress[0].len, &m, &why),
	       "the module's verifier accepts it (%s)", why);
	/* What an IPv6 socket's IPv4 peer becomes before the lookup. */
	a.v6 = true;
	a.w[2] = 0xffff;
	a.w[3] = 0xc6336407;
	kcs_net_addr_unmap(&a);
	tap_ok(kcs_netm_lookup(&m, &a, 443, KCS_NET_PROTO_TCP) == 0,
	       "::ffff:198.51.100.7 port 443 matches the translated rule");
	kcs_compiled_free(&cp);
	kcs_profile_free(&spec);
}

/* @n addresses for kcs_net_rule_take_addrs (which takes the buffer). */
static struct kcs_net_resolved *addrs(size_t n, const struct kcs_net_resolved *v)
{
	struct kcs_net_resolved *p = malloc(n * sizeof(*p));

	if (p)
		memcpy(p, v, n * sizeof(*p));
	return p;
}

/*
 * netwatch re-applies a profile when an FQDN's addresses change: answers
 * that only come in another order (round-robin DNS) or repeat an address
 * are no change, and the kept set is sorted and distinct.
 */
static void test_resolved_sets(void)
{
	static const struct kcs_net_resolved a = { 0, { 0, 0, 0, 0xc6336401 }, 60 },
		b = { 0, { 0, 0, 0, 0xc0000201 }, 30 },
		c = { 1, { 0x20010db8, 0, 0, 1 }, 90 },
		b4as6 = { 1, { 0, 0, 0, 0xc0000201 }, 30 },
		b_mapped = { 1, { 0, 0, 0xffff, 0xc0000201 }, 20 };
	const struct kcs_net_resolved abc[] = { a, b, c }, cab[] = { c, a, b },
		bcab[] = { b, c, a, b }, ab[] = { a, b }, abb6[] = { a, b, b4as6 },
		mapped[] = { b_mapped, b, a };
	struct kcs_net_rule r = { 0 };

	tap_ok(kcs_net_rule_take_addrs(&r, addrs(3, abc), 3) == 1,
	       "first addresses: a change");
	tap_ok(r.naddrs == 3 && !r.addrs[0].v6 && r.addrs[0].w[3] == b.w[3] &&
	       r.addrs[1].w[3] == a.w[3] && r.addrs[2].v6,
	       "kept sorted: IPv4 by address, then IPv6");
	tap_ok(kcs_net_rule_take_addrs(&r, addrs(3, cab), 3) == 0,
	       "the same addresses in another order: no change");
	tap_ok(kcs_net_rule_take_addrs(&r, addrs(4, bcab), 4) == 0 && r.naddrs == 3,
	       "an address repeated: no change, kept once");
	tap_ok(r.addrs[0].ttl == 30, "a repeated address keeps its shorter TTL");
	tap_ok(kcs_net_rule_take_addrs(&r, addrs(2, ab), 2) == 1 && r.naddrs == 2,
	       "one address fewer: a change");
	tap_ok(kcs_net_rule_take_addrs(&r, addrs(3, abb6), 3) == 1 && r.naddrs == 3,
	       "an IPv6 address with an IPv4 one's words is another address");
	tap_ok(kcs_net_rule_take_addrs(&r, NULL, 0) == 1 && !r.naddrs,
	       "no address any more: a change");
	tap_ok(kcs_net_rule_take_addrs(&r, NULL, 0) == 0, "still none: no change");
	tap_ok(kcs_net_rule_take_addrs(&r, addrs(3, mapped), 3) == 1 &&
	       r.naddrs == 2 && !r.addrs[0].v6 && !r.addrs[0].w[2] &&
	       r.addrs[0].w[3] == b.w[3] && r.addrs[0].ttl == 20,
	       "an IPv4-mapped AAAA answer is its IPv4 address (merged with the A answer)");
	free(r.addrs);
}

/*
 * A listen rule of 10,000 ports: its description is far longer than the
 * KCS_TEXT_ENTRY_MAX that events quote. The text blob carries it cut after
 * the last whole port that fits, marked with ",...", and the module's
 * verifier takes it; every port is still blocked.
 */
static void test_long_text(void)
{
	size_t cap = 64 + 10000 * 7, n, i;
	char *json = malloc(cap);
	struct kcs_compiled_profile cp;
	struct kcs_profile_spec spec;
	struct kcs_err err = { 0 };
	struct kcs_net_addr a = { 0 };
	const char *t, *why = "";
	struct kcs_netm m;
	size_t l;

	if (!json) {
		tap_ok(0, "out of memory");
		return;
	}
	n = (size_t)snprintf(json, cap, "{\"name\":\"l\",\"network\":{\"listen\":{\"mode\":\"block\",\"ports\":[");
	for (i = 0; i < 10000; i++)
		n += (size_t)snprintf(json + n, cap - n, "%s%zu", i ? "," : "", 20000 + 2 * i);
	snprintf(json + n, cap - n, "]}}}");
	tap_ok(!kcs_profile_parse(json, strlen(json), "t", &spec, &err) &&
	       !kcs_profile_compile(&spec, &cp, &err), "10,000 listen ports compile");
	tap_diag("%s", err.msg);
	t = cp.listen_text.data;
	l = t ? strlen(t) : 0;
	tap_ok(t && kcs_text_verify(t, cp.listen_text.len, 1) == 0,
	       "the module's text verifier takes its text (%zu bytes)", l);
	tap_ok(l < KCS_TEXT_ENTRY_MAX && l > KCS_TEXT_ENTRY_MAX - 16 &&
	       !strcmp(t + l - 4, ",...") && t[l - 5] >= '0' && t[l - 5] <= '9',
	       "cut after a whole port, marked \",...\"");
	tap_ok(t && !strncmp(t, spec.net.listen.rules[0].text, l - 4),
	       "what is kept is the rule's own description");
	tap_ok(!kcs_netm_verify(cp.listen.data, cp.listen.len, &m, &why) &&
	       kcs_netm_lookup(&m, &a, 20000 + 2 * 9999, KCS_NET_PROTO_TCP) == 0 &&
	       kcs_netm_lookup(&m, &a, 20001, KCS_NET_PROTO_TCP) == KCS_NET_NO_RULE,
	       "the last port is still blocked, the ports between are not");
	kcs_compiled_free(&cp);
	kcs_profile_free(&spec);
	free(json);
}

static uint32_t rnd(void)
{
	return (uint32_t)random() << 16 ^ (uint32_t)random();
}

/* Random rules clustered in a small space, so they overlap a lot. */
static void random_rule(struct kcs_net_rule *r, char *text)
{
	int plen, i;
	uint32_t base[4];

	memset(r, 0, sizeof(*r));
	r->text = text;
	r->proto = 1 + rnd() % 3;
	r->has_cidr = rnd() % 8 != 0;
	r->v6 = rnd() % 2;
	for (i = 0; i < 4; i++)
		base[i] = r->v6 && i < 3 ? (i == 0 ? 0x20010db8 : 0) : 0;
	base[3] = r->v6 ? rnd() & 0xff : 0xc0000200 | (rnd() & 0xff);
	if (rnd() % 16 == 0)
		base[3] = rnd();
	plen = r->v6 ? 120 + rnd() % 9 : 24 + rnd() % 9;
	if (rnd() % 20 == 0)
		plen = rnd() % (r->v6 ? 129 : 33);
	if (r->has_cidr) {
		int bits = r->v6 ? 128 : 32, first, w;

		memcpy(r->lo, base, sizeof(base));
		for (w = r->v6 ? 0 : 3; w < 4; w++) {
			uint32_t host;

			first = (bits == 32 ? 96 : 0) + plen;
			host = first >= 32 * w + 32 ? 0 : first <= 32 * w ?
			       0xffffffffU : 0xffffffffU >> (first - 32 * w);
			r->lo[w] &= ~host;
			r->hi[w] = r->lo[w] | host;
		}
		if (!r->v6)
			r->lo[0] = r->lo[1] = r->lo[2] = r->hi[0] = r->hi[1] = r->hi[2] = 0;
	}
	/* Some FQDN rules, "resolved" to a few addresses. */
	if (rnd() % 8 == 0) {
		size_t k, n = rnd() % 4;

		r->has_cidr = 0;
		r->fqdn = text;
		r->addrs = calloc(n + 1, sizeof(*r->addrs));
		for (k = 0; k < n; k++) {
			r->addrs[k].v6 = rnd() % 2;
			r->addrs[k].w[0] = r->addrs[k].v6 ? 0x20010db8 : 0;
			r->addrs[k].w[3] = r->addrs[k].v6 ? rnd() & 0x1ff :
					   0xc0000200 | (rnd() & 0x1ff);
		}
		r->naddrs = n;
	}
	r->nports = rnd() % 4;
	if (r->nports) {
		size_t k;

		r->ports = calloc(r->nports, sizeof(*r->ports));
		for (k = 0; k < r->nports; k++) {
			uint16_t lo = (uint16_t)(rnd() % 40), hi = (uint16_t)(lo + rnd() % 10);

			if (rnd() % 10 == 0)
				hi = 65535;
			r->ports[k].lo = lo;
			r->ports[k].hi = hi;
		}
	}
}

static void random_addr(int *v6, uint32_t w[4])
{
	*v6 = rnd() % 2;
	memset(w, 0, 16);
	if (*v6) {
		w[0] = rnd() % 8 ? 0x20010db8 : rnd();
		w[3] = rnd() % 8 ? rnd() & 0x1ff : rnd();
	} else {
		w[3] = rnd() % 8 ? 0xc0000200 | (rnd() & 0x1ff) : rnd();
	}
}

static void test_random(void)
{
	static char text[] = "r";
	int round, mism = 0, vfail = 0;
	long lookups = 0;

	srandom(12345);
	for (round = 0; round < 300; round++) {
		struct kcs_net_ruleset set = { .where = "random" };
		struct kcs_blob blob, tb;
		struct kcs_err err = { 0 };
		struct kcs_netm m;
		const char *why = "";
		size_t i, n = 1 + rnd() % (round < 250 ? 12 : 200);
		int q;

		set.rules = calloc(n, sizeof(*set.rules));
		set.n = n;
		for (i = 0; i < n; i++)
			random_rule(&set.rules[i], text);
		if (kcs_net_compile(&set, &blob, &tb, &err) ||
		    kcs_netm_verify(blob.data, blob.len, &m, &why)) {
			vfail++;
			tap_diag("round %d: %s %s", round, err.msg, why);
		} else {
			for (q = 0; q < 400; q++) {
				struct kcs_net_addr a = { 0 };
				int v6;
				uint16_t port = (uint16_t)(rnd() % 8 ? rnd() % 60 : rnd());
				uint32_t proto = 1 + rnd() % 2, want, got;

				random_addr(&v6, a.w);
				a.v6 = v6;
				want = kcs_net_ref_lookup(&set, v6, a.w, port, proto);
				got = kcs_netm_lookup(&m, &a, port, proto);
				lookups++;
				if (want != got && mism++ < 5)
					tap_diag("round %d: v6 %d %08x..%08x port %u proto %u: want %u got %u",
						 round, v6, a.w[0], a.w[3], port, proto, want, got);
			}
			kcs_blob_free(&blob);
			kcs_blob_free(&tb);
		}
		for (i = 0; i < n; i++) {
			free(set.rules[i].ports);
			free(set.rules[i].addrs);
		}
		free(set.rules);
	}
	tap_ok(!vfail, "300 random rule sets compile and verify");
	tap_ok(!mism, "%ld random lookups agree with the naive matcher (%d differ)",
	       lookups, mism);
}

static void test_corrupt(void)
{
	static const char *good =
		"{\"name\":\"n\",\"network\":{\"egress\":{\"mode\":\"block\","
		"\"rules\":[{\"cidr\":\"192.0.2.0/24\",\"ports\":[\"80\",\"8000-8100\"]},"
		"{\"cidr\":\"198.51.100.0/24\",\"ports\":\"443\"},{\"cidr\":\"2001:db8::/32\"}]}}}";
	struct kcs_compiled_profile cp;
	struct kcs_profile_spec spec;
	struct kcs_err err = { 0 };
	struct kcs_net_hdr *h;
	struct kcs_net_v4 *v4;
	struct kcs_net_port *p;
	struct kcs_netm m;
	const char *why;
	unsigned char *save;
	size_t len, i;
	int caught = 0, total = 0;

	if (kcs_profile_parse(good, strlen(good), "t", &spec, &err) ||
	    kcs_profile_compile(&spec, &cp, &err)) {
		tap_ok(0, "corrupt: setup: %s", err.msg);
		return;
	}
	h = cp.egress[0].data;
	len = cp.egress[0].len;
	save = malloc(len);
	memcpy(save, h, len);
	v4 = (struct kcs_net_v4 *)(h + 1);
	p = (struct kcs_net_port *)((char *)h + len) - h->nports;
#define TRY(desc, stmt, l) do {						\
		memcpy(h, save, len);					\
		stmt;							\
		total++;						\
		why = NULL;						\
		if (kcs_netm_verify(h, (l), &m, &why))			\
			caught++;					\
		else							\
			tap_diag("not caught: %s", desc);		\
	} while (0)
	TRY("magic", h->magic++, len);
	TRY("version", h->version++, len);
	TRY("short", (void)0, len - 4);
	TRY("n4 grows", h->n4++, len);
	TRY("nrules 0", h->nrules = 0, len);
	TRY("reversed v4", v4[0].hi = v4[0].lo - 1, len);
	TRY("unsorted v4", v4[1].lo = v4[0].lo, len);
	TRY("count 0", v4[0].count = 0, len);
	TRY("first skips", v4[1].first++, len);
	TRY("count past end", v4[h->n4 - 1].count = 1000, len);
	TRY("port reversed", p[0].lo = 9000, len);
	TRY("no rule", (p[0].rule_tcp = KCS_NET_NO_RULE, p[0].rule_udp = KCS_NET_NO_RULE), len);
	TRY("rule out of range", p[0].rule_udp = 7, len);
	TRY("overlapping ports", p[1].lo = p[0].hi, len);
	tap_ok(caught == total, "verifier refuses %d of %d corruptions", caught, total);
	memcpy(h, save, len);
	tap_ok(!kcs_netm_verify(h, len, &m, &why), "the untouched blob verifies");
	for (i = 0; i < len; i++) {	/* any single-byte change is either caught or harmless */
		struct kcs_net_addr a = { 0 };

		memcpy(h, save, len);
		((unsigned char *)h)[i] ^= 0x5a;
		if (!kcs_netm_verify(h, len, &m, &why))
			(void)kcs_netm_lookup(&m, &a, 80, KCS_NET_PROTO_TCP);
	}
	tap_ok(1, "single-byte corruptions: verified or refused, lookups stay in bounds (ASan)");
	free(save);
	kcs_compiled_free(&cp);
	kcs_profile_free(&spec);
}

/* The first group of @set applying to @prog that covers @a/@port/@proto. */
static const char *group_hit(const struct kcs_net_grp *g, uint32_t n,
			     uint32_t set, const char *prog,
			     const struct kcs_net_addr *a, uint16_t port,
			     uint32_t proto)
{
	uint32_t i, r;

	for (i = 0; i < n; i++) {
		if (g[i].set != set || !kcs_ngroup_applies(&g[i], prog))
			continue;
		r = kcs_netm_lookup(&g[i].m, a, port, proto);
		if (r != KCS_NET_NO_RULE) {
			const char *t = g[i].text;

			while (r--)
				t += strlen(t) + 1;
			return t;
		}
	}
	return NULL;
}

/*
 * Program-scoped rules and listen exclusions: each program's rules become
 * a group the module's own verifier (../kmod/netgroup.c) accepts; the
 * set's own blob keeps only the unscoped rules; a group applies to its
 * program only; corruptions are refused.
 */
static void test_groups(void)
{
	static const char *j =
		"{\"name\":\"g\",\"network\":{\"egress\":{\"mode\":\"block\","
		"\"rules\":[{\"cidr\":\"192.0.2.0/24\"},"
		"{\"cidr\":\"198.51.100.7\",\"program\":\"/bin/curl\"},"
		"{\"cidr\":\"198.51.100.8\",\"program\":{\"regex\":\"/usr/s?bin/nc\"}},"
		"{\"cidr\":\"198.51.100.9\",\"program\":\"/bin/curl\"}],"
		"\"exclusions\":[{\"cidr\":\"192.0.2.7\",\"program\":\"/app/*\"}]},"
		"\"listen\":{\"mode\":\"block\",\"ports\":\"1-65535\",\"exclusions\":["
		"{\"ports\":\"443\",\"program\":\"/usr/sbin/nginx\"},{\"ports\":\"8080\"}]}}}";
	struct kcs_net_grp g[KCS_NETG_MAX];
	struct kcs_compiled_profile cp;
	struct kcs_profile_spec spec;
	struct kcs_err err = { 0 };
	struct kcs_net_addr a = { 0 };
	struct kcs_netm m;
	const char *why = "";
	unsigned char *save;
	uint32_t n = 0;
	size_t i;

	if (!tap_ok(!kcs_profile_parse(j, strlen(j), "t", &spec, &err) &&
		    !kcs_profile_compile(&spec, &cp, &err),
		    "program-scoped rules and listen exclusions compile")) {
		tap_diag("%s", err.msg);
		return;
	}
	tap_is_str(spec.net.egress.rules.rules[2].text,
		   "198.51.100.8 tcp,udp * (program regex /usr/s?bin/nc)",
		   "a scoped rule's text names its program");
	tap_ok(!kcs_netm_verify(cp.egress[0].data, cp.egress[0].len, &m, &why) &&
	       m.nrules == 1 && !cp.egress[1].len,
	       "the set's own blob: the one unscoped rule, no unscoped exclusion");
	tap_ok(!kcs_ngroups_verify(cp.net_groups.data, cp.net_groups.len, g, &n, &why) &&
	       n == 5, "the module's verifier accepts 5 groups (%s)", why);
	a.w[3] = 0xc6336407;	/* 198.51.100.7 */
	tap_is_str(group_hit(g, n, KCS_NETG_EGRESS, "/bin/curl", &a, 443,
			     KCS_NET_PROTO_TCP),
		   "198.51.100.7 tcp,udp * (program /bin/curl)", "curl to .7: its rule");
	a.w[3] = 0xc6336409;	/* 198.51.100.9: the same program's group */
	tap_is_str(group_hit(g, n, KCS_NETG_EGRESS, "/bin/curl", &a, 1,
			     KCS_NET_PROTO_UDP),
		   "198.51.100.9 tcp,udp * (program /bin/curl)", "curl to .9: one group per program");
	tap_ok(!group_hit(g, n, KCS_NETG_EGRESS, "/bin/wget", &a, 1, KCS_NET_PROTO_UDP) &&
	       !group_hit(g, n, KCS_NETG_EGRESS, NULL, &a, 1, KCS_NET_PROTO_UDP),
	       "another program, or none: curl's rules do not apply");
	a.w[3] = 0xc6336408;
	tap_ok(group_hit(g, n, KCS_NETG_EGRESS, "/usr/sbin/nc", &a, 1, KCS_NET_PROTO_TCP) &&
	       group_hit(g, n, KCS_NETG_EGRESS, "/usr/bin/nc", &a, 1, KCS_NET_PROTO_TCP) &&
	       !group_hit(g, n, KCS_NETG_EGRESS, "/usr/bin/ncat", &a, 1, KCS_NET_PROTO_TCP),
	       "a regex program: matched whole");
	a.w[3] = 0xc0000207;	/* 192.0.2.7 */
	tap_ok(group_hit(g, n, KCS_NETG_EGRESS_EXCEPT, "/app/server", &a, 5, KCS_NET_PROTO_TCP) &&
	       !group_hit(g, n, KCS_NETG_EGRESS_EXCEPT, "/bin/sh", &a, 5, KCS_NET_PROTO_TCP),
	       "a scoped exclusion: for its program only");
	tap_ok(group_hit(g, n, KCS_NETG_LISTEN_EXCEPT, "/usr/sbin/nginx", &a, 443, KCS_NET_PROTO_TCP) &&
	       !group_hit(g, n, KCS_NETG_LISTEN_EXCEPT, "/bin/sh", &a, 443, KCS_NET_PROTO_TCP) &&
	       group_hit(g, n, KCS_NETG_LISTEN_EXCEPT, NULL, &a, 8080, KCS_NET_PROTO_UDP) &&
	       !group_hit(g, n, KCS_NETG_LISTEN_EXCEPT, "/usr/sbin/nginx", &a, 444, KCS_NET_PROTO_TCP),
	       "listen exclusions: 443 for nginx, 8080 for every program (none too)");
	/* Corruptions: refused, or verified and safe to look up in. */
	save = malloc(cp.net_groups.len);
	memcpy(save, cp.net_groups.data, cp.net_groups.len);
	for (i = 0; i < cp.net_groups.len; i++) {
		memcpy(cp.net_groups.data, save, cp.net_groups.len);
		((unsigned char *)cp.net_groups.data)[i] ^= 0xa5;
		if (!kcs_ngroups_verify(cp.net_groups.data, cp.net_groups.len, g, &n, &why))
			(void)group_hit(g, n, KCS_NETG_EGRESS, "/bin/curl", &a, 80,
					KCS_NET_PROTO_TCP);
	}
	tap_ok(1, "single-byte corruptions: verified or refused, lookups in bounds (ASan)");
	memcpy(cp.net_groups.data, save, cp.net_groups.len);
	tap_ok(kcs_ngroups_verify(cp.net_groups.data, cp.net_groups.len - 8, g, &n, &why) &&
	       kcs_ngroups_verify((char *)cp.net_groups.data + 4, cp.net_groups.len - 4, g, &n, &why),
	       "truncated or misaligned: refused (%s)", why);
	((struct kcs_net_groups_hdr *)cp.net_groups.data)->ngroups = KCS_NETG_MAX + 1;
	tap_ok(kcs_ngroups_verify(cp.net_groups.data, cp.net_groups.len, g, &n, &why),
	       "more than KCS_NETG_MAX groups: refused");
	free(save);
	kcs_compiled_free(&cp);
	kcs_profile_free(&spec);
}

int main(void)
{
	test_json();
	test_groups();
	test_good();
	test_mapped();
	test_resolved_sets();
	test_long_text();
	test_random();
	test_corrupt();
	return tap_done();
}
