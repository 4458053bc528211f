// SPDX-License-Identifier: GPL-2.0
/*
 * FQDN rules following containers' DNS answers, without a kernel: DNS
 * responses built by hand inside IPv4/IPv6 UDP and TCP packets are
 * parsed (dns_answer.c), learned for a profile's names with their expiry
 * (dns_learn.c) and laid over the rules netwatch compiles.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "dns_answer.h"
#include "dns_learn.h"
#include "net.h"
#include "tap.h"

/* ---- building messages ---- */

struct msg {
	uint8_t b[2048];
	size_t n;
};

static void put8(struct msg *m, uint8_t v)
{
	m->b[m->n++] = v;
}

static void put16(struct msg *m, uint16_t v)
{
	put8(m, (uint8_t)(v >> 8));
	put8(m, (uint8_t)v);
}

static void put32(struct msg *m, uint32_t v)
{
	put16(m, (uint16_t)(v >> 16));
	put16(m, (uint16_t)v);
}

/* "a.b.c" as labels. */
static void put_name(struct msg *m, const char *name)
{
	while (*name) {
		const char *dot = strchr(name, '.');
		size_t l = dot ? (size_t)(dot - name) : strlen(name);

		put8(m, (uint8_t)l);
		memcpy(m->b + m->n, name, l);
		m->n += l;
		name += l + (dot ? 1 : 0);
	}
	put8(m, 0);
}

/* A response header and its question. */
static void begin(struct msg *m, uint16_t flags, uint16_t qd, uint16_t an,
		  const char *q, uint16_t qtype)
{
	m->n = 0;
	put16(m, 0x1234);
	put16(m, flags);
	put16(m, qd);
	put16(m, an);
	put16(m, 0);
	put16(m, 0);
	if (qd) {
		put_name(m, q);
		put16(m, qtype);
		put16(m, 1);
	}
}

/* An answer owned by @owner (NULL: a pointer to the question's name). */
static void rr_head(struct msg *m, const char *owner, uint16_t type,
		    uint32_t ttl)
{
	if (owner) {
		put_name(m, owner);
	} else {
		put8(m, 0xc0);
		put8(m, 12);
	}
	put16(m, type);
	put16(m, 1);
	put32(m, ttl);
}

/* An A (@af AF_INET) or AAAA record. */
static void rr_addr(struct msg *m, const char *owner, int af, const char *addr,
		    uint32_t ttl)
{
	uint8_t a[16];
	uint16_t n = af == AF_INET ? 4 : 16;

	inet_pton(af, addr, a);
	rr_head(m, owner, af == AF_INET ? 1 : 28, ttl);
	put16(m, n);
	memcpy(m->b + m->n, a, n);
	m->n += n;
}

#define rr_a(m, owner, addr, ttl) rr_addr(m, owner, AF_INET, addr, ttl)
#define rr_aaaa(m, owner, addr, ttl) rr_addr(m, owner, AF_INET6, addr, ttl)

static void rr_cname(struct msg *m, const char *owner, const char *target)
{
	struct msg t = { .n = 0 };

	put_name(&t, target);
	rr_head(m, owner, 5, 300);
	put16(m, (uint16_t)t.n);
	memcpy(m->b + m->n, t.b, t.n);
	m->n += t.n;
}

/* @m inside an IPv4 (or IPv6) UDP packet from port @sport. */
static size_t udp_pkt(uint8_t *p, int v6, uint16_t sport, const struct msg *m)
{
	size_t ip = v6 ? 40 : 20, l = 8 + m->n;

	memset(p, 0, ip + l);
	if (v6) {
		p[0] = 0x60;
		p[4] = (uint8_t)(l >> 8);
		p[5] = (uint8_t)l;
		p[6] = 17;
	} else {
		p[0] = 0x45;
		p[2] = (uint8_t)((ip + l) >> 8);
		p[3] = (uint8_t)(ip + l);
		p[9] = 17;
	}
	p[ip] = (uint8_t)(sport >> 8);
	p[ip + 1] = (uint8_t)sport;
	p[ip + 3] = 40;
	memcpy(p + ip + 8, m->b, m->n);
	return ip + l;
}

/* @m as one length-prefixed message in an IPv4 TCP segment from 53. */
static size_t tcp_pkt(uint8_t *p, const struct msg *m, size_t cut)
{
	size_t l = 20 + 2 + m->n - cut;

	memset(p, 0, 20 + l);
	p[0] = 0x45;
	p[2] = (uint8_t)((20 + l) >> 8);
	p[3] = (uint8_t)(20 + l);
	p[9] = 6;
	p[21] = 53;
	p[20 + 12] = 5 << 4;
	p[40] = (uint8_t)(m->n >> 8);
	p[41] = (uint8_t)m->n;
	memcpy(p + 42, m->b, m->n - cut);
	return 20 + l;
}

static int has_addr(const struct kcs_dns_answer *a, const char *s, uint32_t ttl)
{
	struct kcs_net_rule r;
	char why[64];
	size_t i;

	if (kcs_net_parse_cidr(s, &r, why, sizeof(why)))
		return 0;
	for (i = 0; i < a->naddrs; i++)
		if (a->addrs[i].v6 == r.v6 && !memcmp(a->addrs[i].w, r.lo, 16) &&
		    a->addrs[i].ttl == ttl)
			return 1;
	return 0;
}

/* ---- parsing ---- */

static void test_parse(void)
{
	static uint8_t pkt[4096];
	struct kcs_pkt_tuple tu;
	struct kcs_dns_answer a;
	const uint8_t *msg;
	struct msg m;
	size_t n, mlen;

	begin(&m, 0x8180, 1, 3, "Web.KCS.test", 1);
	rr_a(&m, NULL, "198.51.100.7", 30);
	rr_a(&m, NULL, "198.51.100.8", 20);
	rr_aaaa(&m, NULL, "2001:db8::7", 40);
	n = udp_pkt(pkt, 0, 53, &m);
	tap_ok(!kcs_dns_from_packet(pkt, n, &msg, &mlen, &tu) && mlen == m.n &&
	       msg == pkt + 28 && tu.sport == 53 && !tu.v6,
	       "IPv4 UDP from 53: the message found, with its addresses");
	tap_ok(kcs_dns_answer_parse(msg, mlen, &a) == 1, "an answer parses");
	tap_is_str(a.qname, "web.kcs.test", "the name asked, lower case");
	tap_ok(a.naddrs == 3 && has_addr(&a, "198.51.100.7", 30) &&
	       has_addr(&a, "198.51.100.8", 20) && has_addr(&a, "2001:db8::7", 40),
	       "its A and AAAA records with their TTLs");

	n = udp_pkt(pkt, 1, 53, &m);
	tap_ok(!kcs_dns_from_packet(pkt, n, &msg, &mlen, &tu) && mlen == m.n,
	       "IPv6 UDP from 53: the message found");
	n = udp_pkt(pkt, 0, 5353, &m);
	tap_ok(kcs_dns_from_packet(pkt, n, &msg, &mlen, &tu) < 0,
	       "from another port: not DNS to kcs");
	n = tcp_pkt(pkt, &m, 0);
	tap_ok(!kcs_dns_from_packet(pkt, n, &msg, &mlen, &tu) && mlen == m.n &&
	       kcs_dns_answer_parse(msg, mlen, &a) == 1 && a.naddrs == 3,
	       "TCP: one whole length-prefixed message");
	n = tcp_pkt(pkt, &m, 10);
	tap_ok(kcs_dns_from_packet(pkt, n, &msg, &mlen, &tu) < 0,
	       "TCP: a message cut by the segment is not taken");

	/* The CNAME chain, listed out of order; a stray owner ignored. */
	begin(&m, 0x8180, 1, 5, "api.kcs.test", 1);
	rr_a(&m, "edge.cdn.test", "203.0.113.9", 60);
	rr_a(&m, "other.test", "203.0.113.66", 60);
	rr_cname(&m, "lb.kcs.test", "edge.cdn.test");
	rr_cname(&m, NULL, "lb.kcs.test");
	rr_aaaa(&m, "EDGE.cdn.test", "::ffff:203.0.113.10", 60);
	tap_ok(kcs_dns_answer_parse(m.b, m.n, &a) == 1 && a.naddrs == 2 &&
	       has_addr(&a, "203.0.113.9", 60) && !has_addr(&a, "203.0.113.66", 60),
	       "CNAMEs followed in any order; another owner's address is not the name's");

	/* A CNAME loop ends. */
	begin(&m, 0x8180, 1, 3, "loop.test", 1);
	rr_cname(&m, NULL, "b.test");
	rr_cname(&m, "b.test", "loop.test");
	rr_a(&m, "b.test", "203.0.113.1", 5);
	tap_ok(kcs_dns_answer_parse(m.b, m.n, &a) == 1 && a.naddrs == 1,
	       "a CNAME loop terminates");

	begin(&m, 0x0100, 1, 0, "web.kcs.test", 1);
	tap_ok(kcs_dns_answer_parse(m.b, m.n, &a) == 0, "a query: nothing to learn");
	begin(&m, 0x8183, 1, 0, "web.kcs.test", 1);
	tap_ok(kcs_dns_answer_parse(m.b, m.n, &a) == 0, "NXDOMAIN: nothing to learn");
	begin(&m, 0x8180, 2, 0, "web.kcs.test", 1);
	tap_ok(kcs_dns_answer_parse(m.b, m.n, &a) < 0 ||
	       kcs_dns_answer_parse(m.b, m.n, &a) == 0,
	       "two questions: not learned from");
	begin(&m, 0x8180, 1, 1, "web.kcs.test", 1);
	rr_a(&m, NULL, "198.51.100.7", 30);
	tap_ok(kcs_dns_answer_parse(m.b, m.n - 2, &a) < 0, "a truncated record: malformed");
	m.b[m.n - 5] = 3;	/* rdlength 3 for an A record */
	tap_ok(kcs_dns_answer_parse(m.b, m.n - 1, &a) == 1 && !a.naddrs,
	       "an A record of the wrong length is no address");
}

/* ---- learning ---- */

static int parse_spec(const char *text, struct kcs_net_spec *spec)
{
	json_t *j = json_loads(text, 0, NULL);
	struct kcs_err err;
	int r = j ? kcs_net_parse(j, spec, &err) : -1;

	if (r)
		tap_diag("%s", j ? err.msg : "bad JSON");

	json_decref(j);
	return r;
}

static struct kcs_dns_answer *answer(const char *name, const char *addr,
				     uint32_t ttl)
{
	static struct kcs_dns_answer a;
	struct kcs_net_rule r;
	char why[64];

	memset(&a, 0, sizeof(a));
	snprintf(a.qname, sizeof(a.qname), "%s", name);
	if (addr && !kcs_net_parse_cidr(addr, &r, why, sizeof(why))) {
		a.addrs[0].v6 = r.v6;
		memcpy(a.addrs[0].w, r.lo, sizeof(r.lo));
		a.addrs[0].ttl = ttl;
		a.naddrs = 1;
	}
	return &a;
}

static void test_learn(void)
{
	struct kcs_dns_learned l = { .min_s = 2, .grace_s = 5 };
	struct kcs_net_spec spec;
	struct kcs_dns_overlay ov;
	struct kcs_net_rule *r;
	int i;

	tap_ok(!parse_spec("{\"egress\":{\"mode\":\"allow\",\"allow\":["
			   "{\"fqdn\":\"web.kcs.test\",\"ports\":\"80\"},"
			   "{\"cidr\":\"192.0.2.1/32\",\"ports\":\"53\"}]}}", &spec),
	       "a profile with an egress FQDN rule");
	tap_ok(!kcs_dns_learned_retarget(&l, &spec) && l.n == 1, "one name followed");
	tap_ok(kcs_dns_learned_add(&l, answer("other.test", "203.0.113.1", 9), 0) < 0,
	       "a name the profile lacks is not learned");
	tap_ok(kcs_dns_learned_add(&l, answer("web.kcs.test", "198.51.100.7", 10), 1000) == 1,
	       "a new address: 1 new");
	tap_ok(kcs_dns_learned_add(&l, answer("web.kcs.test", "198.51.100.7", 1), 2000) == 0,
	       "the same address again: nothing new");
	tap_ok(kcs_dns_learned_next(&l) == 1000 + 15000,
	       "it expires after its TTL plus grace (the longer expiry kept)");
	tap_ok(kcs_dns_learned_add(&l, answer("WEB.kcs.test", "::ffff:198.51.100.8", 0), 3000) == 1 &&
	       l.names[0].n == 2 && !l.names[0].v[1].a.v6,
	       "a mapped AAAA is learned as IPv4, the name matched whatever its case");
	tap_ok(kcs_dns_learned_next(&l) == 3000 + 7000,
	       "a TTL below --min-interval counts as --min-interval");

	r = &spec.egress.rules.rules[0];
	tap_ok(!kcs_dns_learned_overlay(&l, &spec.egress.rules, 4000, &ov) &&
	       r->naddrs == 2 && r->addrs[0].w[3] == 0xc6336407 &&
	       r->addrs[0].ttl == 12, "the overlay gives the rule both, TTLs remaining");
	kcs_dns_overlay_restore(&ov);
	tap_ok(r->naddrs == 0 && !r->addrs, "restored: the rule's own (none)");

	tap_ok(kcs_dns_learned_expire(&l, 10000) == 1 && l.names[0].n == 1,
	       "one address expires at its time");
	tap_ok(kcs_dns_learned_expire(&l, 16000) == 1 && !l.names[0].n &&
	       kcs_dns_learned_next(&l) == UINT64_MAX, "then the other");

	for (i = 0; i < KCS_DNS_LEARN_MAX + 10; i++) {
		char buf[32];

		snprintf(buf, sizeof(buf), "2001:db8::%x", i + 1);
		kcs_dns_learned_add(&l, answer("web.kcs.test", buf, (uint32_t)i), 0);
	}
	tap_ok(l.names[0].n == KCS_DNS_LEARN_MAX,
	       "bounded: at most %d addresses per name", KCS_DNS_LEARN_MAX);
	tap_ok(kcs_dns_learned_next(&l) == (10 + 5) * 1000,
	       "the ones expiring first made room");

	kcs_dns_learned_free(&l);
	kcs_net_spec_free(&spec);
}

int main(void)
{
	test_parse();
	test_learn();
	return tap_done();
}
