// SPDX-License-Identifier: GPL-2.0
/*
 * kcsadm's ingress state without a kernel: which rule an ingress event
 * quotes (against the naive first-match reference, CIDR and FQDN rules
 * alike), the timed FQDN elements for nftables, the state file and the
 * namespace registry (round trips, and corrupted files refused).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingress.h"
#include "ingress_fqdn.h"
#include "netns_reg.h"
#include "tap.h"

static uint32_t rnd(void)
{
	return (uint32_t)random() << 16 ^ (uint32_t)random();
}

/* Random rules clustered in a small space; some FQDN with addresses. */
static void random_rule(struct kcs_net_rule *r, char *text)
{
	int plen = 0, w;

	memset(r, 0, sizeof(*r));
	r->text = text;
	r->proto = 1 + rnd() % 3;
	r->v6 = rnd() % 2;
	if (rnd() % 4 == 0) {
		size_t k, n = rnd() % 4;

		r->fqdn = text;
		r->addrs = calloc(n + 1, sizeof(*r->addrs));
		for (k = 0; k < n; k++) {
			r->addrs[k].v6 = rnd() % 2;
			r->addrs[k].w[0] = r->addrs[k].v6 ? 0x20010db8 : 0;
			r->addrs[k].w[3] = r->addrs[k].v6 ? rnd() & 0x3f :
					   0xc0000200 | (rnd() & 0x3f);
			r->addrs[k].ttl = rnd() % 400;
		}
		r->naddrs = n;
	} else if (rnd() % 8) {
		r->has_cidr = 1;
		plen = r->v6 ? 122 + rnd() % 7 : 26 + rnd() % 7;
		r->lo[0] = r->v6 ? 0x20010db8 : 0;
		r->lo[3] = r->v6 ? rnd() & 0x3f : 0xc0000200 | (rnd() & 0x3f);
		memcpy(r->hi, r->lo, sizeof(r->hi));
		w = (r->v6 ? 128 : 32) - plen;
		r->lo[3] &= ~((1U << w) - 1);
		r->hi[3] = r->lo[3] | ((1U << w) - 1);
	}
	r->nports = rnd() % 3;
	if (r->nports) {
		size_t k;

		r->ports = calloc(r->nports, sizeof(*r->ports));
		for (k = 0; k < r->nports; k++) {
			r->ports[k].lo = (uint16_t)(rnd() % 30);
			r->ports[k].hi = (uint16_t)(r->ports[k].lo + rnd() % 8);
		}
	}
}

static void free_set(struct kcs_net_ruleset *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->rules[i].ports);
		free(s->rules[i].addrs);
	}
	free(s->rules);
}

static const struct kcs_fqdn_timing timing = KCS_FQDN_TIMING_DEFAULT;

static void test_lookup(void)
{
	static char text[] = "r";
	int round, mism = 0, fail = 0;
	long n_lookups = 0;

	srandom(4242);
	for (round = 0; round < 200; round++) {
		struct kcs_net_dir d = { .kind = KCS_NET_BLOCK };
		struct kcs_ingress in;
		struct kcs_err err;
		size_t i, n = 1 + rnd() % 16;
		int q;

		d.rules.where = "network.ingress.rules";
		d.rules.rules = calloc(n, sizeof(*d.rules.rules));
		d.rules.n = n;
		for (i = 0; i < n; i++)
			random_rule(&d.rules.rules[i], text);
		if (kcs_ingress_build(&d, &timing, 1000, &in, &err)) {
			fail++;
			tap_diag("round %d: %s", round, err.msg);
		} else {
			for (q = 0; q < 300; q++) {
				uint32_t w[4] = { 0 }, proto = 1 + rnd() % 2, want, got;
				uint16_t port = (uint16_t)(rnd() % 40);
				int v6 = rnd() % 2;

				w[0] = v6 ? 0x20010db8 : 0;
				w[3] = v6 ? rnd() & 0x3f : 0xc0000200 | (rnd() & 0x3f);
				want = kcs_net_ref_lookup(&d.rules, v6, w, port, proto);
				got = kcs_ingress_rule(&in, v6, w, port, proto);
				n_lookups++;
				if (want != got && mism++ < 5)
					tap_diag("round %d: v6 %d %08x port %u proto %u: want %u got %u",
						 round, v6, w[3], port, proto, want, got);
			}
			kcs_ingress_free(&in);
		}
		free_set(&d.rules);
	}
	tap_ok(!fail, "200 random ingress rule sets build");
	tap_ok(!mism, "%ld lookups name the reference's rule, CIDR and FQDN (%d differ)",
	       n_lookups, mism);
}

/* Rules built by hand: two FQDN rules sharing an address. */
static void fqdn_dir(struct kcs_net_dir *d, struct kcs_net_rule *r,
		     struct kcs_net_resolved *a, struct kcs_port_range *p)
{
	static char t0[] = "a.example tcp 10-20", t1[] = "b.example tcp,udp 15-30",
		    t2[] = "192.0.2.0/24 tcp,udp *", t3[] = "c.example tcp *";

	memset(d, 0, sizeof(*d));
	memset(r, 0, 4 * sizeof(*r));
	d->kind = KCS_NET_BLOCK;
	d->rules.where = "network.ingress.rules";
	d->rules.rules = r;
	d->rules.n = 3;
	d->except.where = "network.ingress.exclusions";
	d->except.rules = r + 3;
	d->except.n = 1;
	p[0] = (struct kcs_port_range){ 10, 20 };
	p[1] = (struct kcs_port_range){ 15, 30 };
	/* a.example -> 198.51.100.1 (ttl 10), 2001:db8::1 (ttl 5000) */
	a[0] = (struct kcs_net_resolved){ 0, { 0, 0, 0, 0xc6336401 }, 10 };
	a[1] = (struct kcs_net_resolved){ 1, { 0x20010db8, 0, 0, 1 }, 5000 };
	/* b.example -> 198.51.100.1 (ttl 100) */
	a[2] = (struct kcs_net_resolved){ 0, { 0, 0, 0, 0xc6336401 }, 100 };
	/* c.example -> 198.51.100.9 (ttl 0) */
	a[3] = (struct kcs_net_resolved){ 0, { 0, 0, 0, 0xc6336409 }, 0 };
	r[0] = (struct kcs_net_rule){ .text = t0, .fqdn = t0, .addrs = a,
				      .naddrs = 2, .ports = &p[0], .nports = 1,
				      .proto = KCS_NET_PROTO_TCP };
	r[1] = (struct kcs_net_rule){ .text = t1, .fqdn = t1, .addrs = a + 2,
				      .naddrs = 1, .ports = &p[1], .nports = 1,
				      .proto = KCS_NET_PROTO_TCP | KCS_NET_PROTO_UDP };
	r[2] = (struct kcs_net_rule){ .text = t2, .has_cidr = 1,
				      .lo = { 0, 0, 0, 0xc0000200 },
				      .hi = { 0, 0, 0, 0xc00002ff },
				      .proto = KCS_NET_PROTO_TCP | KCS_NET_PROTO_UDP };
	r[3] = (struct kcs_net_rule){ .text = t3, .fqdn = t3, .addrs = a + 3,
				      .naddrs = 1, .proto = KCS_NET_PROTO_TCP };
}

static void test_elems(void)
{
	struct kcs_net_rule r[4];
	struct kcs_net_resolved a[4];
	struct kcs_port_range p[2];
	struct kcs_net_dir d;
	struct kcs_ingress in;
	struct kcs_fqdn_elem *e;
	struct kcs_err err;
	uint64_t now = 1000000;
	ssize_t n;
	uint32_t w[4] = { 0, 0, 0, 0xc6336401 };

	fqdn_dir(&d, r, a, p);
	if (kcs_ingress_build(&d, &timing, now, &in, &err)) {
		tap_ok(0, "FQDN rules build: %s", err.msg);
		return;
	}
	tap_ok(in.nfqdn == 3 && in.fqdn[0].set == KCS_INGRESS_RULES &&
	       in.fqdn[2].set == KCS_INGRESS_EXCEPT && in.fqdn[2].rule == 0,
	       "three FQDN entries, the exclusion's in its own set");
	tap_ok(in.fqdn[0].addrs[0].expires_ms == now + (10 + 5) * 1000 &&
	       in.fqdn[0].addrs[1].expires_ms == now + (300 + 5) * 1000 &&
	       in.fqdn[2].addrs[0].expires_ms == now + (1 + 5) * 1000,
	       "expiry: TTL clamped to 1..300 s, plus 5 s grace");
	n = kcs_fqdn_elems(&in, KCS_INGRESS_RULES, 0, KCS_NET_PROTO_TCP, now, &e);
	tap_ok(n == 2 && e[0].lo == 10 && e[0].hi == 14 &&
	       e[0].expires_ms == now + 15000 && e[1].lo == 15 && e[1].hi == 30 &&
	       e[1].expires_ms == now + 105000 && e[0].w[3] == 0xc6336401,
	       "overlapping rules on one address: disjoint pieces, the longer expiry wins (and merges)");
	free(e);
	n = kcs_fqdn_elems(&in, KCS_INGRESS_RULES, 0, KCS_NET_PROTO_UDP, now, &e);
	tap_ok(n == 1 && e[0].lo == 15 && e[0].hi == 30, "UDP: only the tcp,udp rule");
	free(e);
	n = kcs_fqdn_elems(&in, KCS_INGRESS_RULES, 0, KCS_NET_PROTO_TCP,
			   now + 20000, &e);
	tap_ok(n == 1 && e[0].lo == 15, "expired answers leave their pieces out");
	free(e);
	n = kcs_fqdn_elems(&in, KCS_INGRESS_RULES, 1, KCS_NET_PROTO_TCP, now, &e);
	tap_ok(n == 1 && e[0].w[0] == 0x20010db8 && e[0].w[3] == 1, "IPv6 element");
	free(e);
	n = kcs_fqdn_elems(&in, KCS_INGRESS_EXCEPT, 0, KCS_NET_PROTO_TCP, now, &e);
	tap_ok(n == 1 && e[0].lo == 0 && e[0].hi == 65535, "exclusion: every port");
	free(e);
	tap_ok(kcs_ingress_rule(&in, 0, w, 12, KCS_NET_PROTO_TCP) == 0 &&
	       kcs_ingress_rule(&in, 0, w, 16, KCS_NET_PROTO_UDP) == 1 &&
	       kcs_ingress_rule(&in, 0, w, 40, KCS_NET_PROTO_TCP) == KCS_NET_NO_RULE,
	       "lookup: the lowest FQDN rule covering it");
	w[3] = 0xc0000205;
	tap_is_str(kcs_ingress_rule_text(&in, kcs_ingress_rule(&in, 0, w, 1,
								KCS_NET_PROTO_UDP)),
		   "192.0.2.0/24 tcp,udp *", "lookup: a CIDR rule and its text");
	kcs_ingress_free(&in);
}

/* ---- files ---- */

static char tmpdir[] = "/tmp/kcs-test-ingress.XXXXXX";

static int write_in(FILE *f, const void *arg)
{
	return kcs_ingress_write(f, arg);
}

static void test_state(void)
{
	struct kcs_net_rule r[4];
	struct kcs_net_resolved a[4];
	struct kcs_port_range p[2];
	struct kcs_net_dir d;
	struct kcs_ingress in, back;
	struct kcs_err err;
	char path[256], *buf = NULL;
	const char *why;
	size_t len = 0, cut, bad = 0, i;
	FILE *f;

	fqdn_dir(&d, r, a, p);
	if (kcs_ingress_build(&d, &timing, 5000, &in, &err)) {
		tap_ok(0, "build: %s", err.msg);
		return;
	}
	f = open_memstream(&buf, &len);
	kcs_ingress_write(f, &in);
	fclose(f);
	f = fmemopen(buf, len, "r");
	tap_ok(f && !kcs_ingress_read(f, &back, &why) && back.kind == in.kind &&
	       back.nfqdn == 3 && back.rules.len == in.rules.len &&
	       !memcmp(back.rules.data, in.rules.data, in.rules.len) &&
	       back.fqdn[0].naddrs == 2 && back.fqdn[0].addrs[1].v6 &&
	       back.fqdn[0].addrs[0].expires_ms == in.fqdn[0].addrs[0].expires_ms &&
	       back.fqdn[1].ports[0].hi == 30 && back.except.len == in.except.len,
	       "serialized ingress reads back the same");
	if (f)
		fclose(f);
	tap_is_str(kcs_ingress_rule_text(&back, 2), "192.0.2.0/24 tcp,udp *",
		   "texts read back");
	kcs_ingress_free(&back);
	for (cut = 0; cut < len; cut++) {
		f = fmemopen(buf, cut, "r");
		if (!f || !kcs_ingress_read(f, &back, &why)) {
			bad++;
			if (f)
				kcs_ingress_free(&back);
		}
		if (f)
			fclose(f);
	}
	tap_ok(!bad, "every truncation of %zu bytes refused", len);
	/* Flip bytes in the header and the FQDN entries. */
	for (i = 4, bad = 0; i < len; i += 7) {
		struct kcs_ingress x;
		char save = buf[i];

		buf[i] = (char)0xff;
		f = fmemopen(buf, len, "r");
		if (f && !kcs_ingress_read(f, &x, &why)) {
			/* Accepted: then it must still be self-consistent. */
			if (x.nfqdn && kcs_ingress_rule_text(&x, x.fqdn[0].rule) == NULL &&
			    x.fqdn[0].set == KCS_INGRESS_RULES)
				bad++;
			kcs_ingress_free(&x);
		}
		if (f)
			fclose(f);
		buf[i] = save;
	}
	tap_ok(!bad, "corrupted bytes are refused or stay consistent");
	free(buf);

	setenv("KCS_STATE_DIR", tmpdir, 1);
	tap_ok(!kcs_ingress_save("p1", &in, &err) &&
	       !kcs_ingress_load("p1", &back, &err) && back.nfqdn == 3,
	       "state file saved and loaded");
	kcs_ingress_free(&back);
	snprintf(path, sizeof(path), "%s/ingress/p1", tmpdir);
	f = fopen(path, "a");
	fputc('x', f);
	fclose(f);
	tap_ok(kcs_ingress_load("p1", &back, &err) < 0 &&
	       strstr(err.msg, "trailing bytes") && strstr(err.msg, "profile apply"),
	       "trailing bytes refused, with advice");
	kcs_write_atomic(path, write_in, &in, &err);
	kcs_ingress_free(&in);
	in.kind = KCS_NET_NONE;
	tap_ok(!kcs_ingress_save("p1", &in, &err) && access(path, F_OK) < 0 &&
	       !kcs_ingress_load("p1", &back, &err) && back.kind == KCS_NET_NONE,
	       "saving no ingress removes the file; loading none is kind NONE");
	/* A state "directory" that is a file holds no state: a profile
	 * without ingress rules needs none (the OCI hook loads such
	 * profiles with a broken state directory too). */
	snprintf(path, sizeof(path), "%s/not-a-dir", tmpdir);
	f = fopen(path, "w");
	fclose(f);
	setenv("KCS_STATE_DIR", path, 1);
	tap_ok(!kcs_ingress_save("p1", &in, &err) &&
	       !kcs_ingress_load("p1", &back, &err) && back.kind == KCS_NET_NONE,
	       "state dir not a directory: no ingress to save or load");
	setenv("KCS_STATE_DIR", tmpdir, 1);
}

static int count_rec(const char *name, void *arg)
{
	(void)name;
	++*(int *)arg;
	return 0;
}

static void test_registry(void)
{
	struct kcs_net_rule r[4];
	struct kcs_net_resolved a[4];
	struct kcs_port_range p[2];
	struct kcs_net_dir d;
	struct kcs_netns_rec rec, back;
	struct kcs_err err;
	char name[64], path[512];
	int n = 0;
	FILE *f;

	setenv("KCS_STATE_DIR", tmpdir, 1);
	memset(&rec, 0, sizeof(rec));
	fqdn_dir(&d, r, a, p);
	kcs_ingress_build(&d, &timing, 5000, &rec.in, &err);
	rec.id = (struct kcs_netns_id){ 4, 0xf0000098 };
	snprintf(rec.path, sizeof(rec.path), "/proc/42/ns/net");
	snprintf(rec.profile, sizeof(rec.profile), "web");
	rec.cgroup_id = 8812;
	rec.mode = KCS_MODE_AUDIT;
	rec.gen = 0xabcdef01;
	kcs_netns_rec_name(&rec.id, name, sizeof(name));
	tap_is_str(name, "4-f0000098", "record name: the namespace's identity");
	tap_ok(!kcs_netns_rec_save(&rec, &err), "record saved");
	kcs_netns_rec_each(count_rec, &n);
	tap_ok(n == 1, "one record listed");
	tap_ok(!kcs_netns_rec_load(name, &back, &err) && back.cgroup_id == 8812 &&
	       back.mode == KCS_MODE_AUDIT && back.gen == 0xabcdef01 &&
	       !strcmp(back.path, "/proc/42/ns/net") && !strcmp(back.profile, "web") &&
	       back.id.ino == 0xf0000098 && back.in.nfqdn == 3,
	       "record loads back");
	kcs_netns_rec_free(&back);
	snprintf(path, sizeof(path), "%s/netns/%s.tmp.1", tmpdir, name);
	f = fopen(path, "w");
	fclose(f);
	n = 0;
	kcs_netns_rec_each(count_rec, &n);
	tap_ok(n == 1, "temporary files are not records");
	unlink(path);
	snprintf(path, sizeof(path), "%s/netns/%s", tmpdir, name);
	f = fopen(path, "r+");
	fwrite("KCRX", 4, 1, f);
	fclose(f);
	tap_ok(kcs_netns_rec_load(name, &back, &err) < 0 && strstr(err.msg, "KCR1"),
	       "a corrupted record is refused");
	kcs_netns_rec_save(&rec, &err);
	tap_ok(kcs_netns_rec_remove_cgroup(1, &err) == 0 &&
	       kcs_netns_rec_remove_cgroup(8812, &err) == 1 &&
	       access(path, F_OK) < 0, "records go with their cgroup");
	kcs_netns_rec_save(&rec, &err);
	tap_ok(!kcs_netns_rec_remove(&rec.id, &err) && access(path, F_OK) < 0 &&
	       !kcs_netns_rec_remove(&rec.id, &err), "record removed (twice: fine)");
	kcs_netns_rec_free(&rec);
}

int main(void)
{
	char cmd[128];

	if (!mkdtemp(tmpdir))
		return 1;
	test_lookup();
	test_elems();
	test_state();
	test_registry();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd))
		tap_diag("could not remove %s", tmpdir);
	return tap_done();
}
