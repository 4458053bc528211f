// SPDX-License-Identifier: GPL-2.0
/*
 * Ingress events from nflog, without a kernel: hand-built nfnetlink_log
 * messages are parsed (attributes, prefix, packet headers), turned into
 * events against a namespace record built from a profile, and printed the
 * way `kcsadm monitor` prints them.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>

#include "event_capture.h"
#include "ingress_event.h"
#include "nflog.h"
#include "profile.h"
#include "tap.h"

/* ---- prefixes ---- */

static void test_tag(void)
{
	struct kcs_nflog_tag t = { KCS_MODE_ENFORCE, KCS_RULE_BLOCK, 8812,
				   0x5f3a09c1, "web" }, u;
	char buf[KCS_NFLOG_PREFIX_MAX];
	static const char *const bad[] = {
		"", "kcs-ingress", "kcs-ingress enforce block 8812 5f3a09c1",
		"kcs-ingres enforce block 8812 5f3a09c1 web",
		"kcs-ingress Enforce block 8812 5f3a09c1 web",
		"kcs-ingress enforce allow 8812 5f3a09c1 web",
		"kcs-ingress enforce block -1 5f3a09c1 web",
		"kcs-ingress enforce block 8812 5f3a09c web",
		"kcs-ingress enforce block 8812 5f3a09cg web",
		"kcs-ingress enforce block 8812 5f3a09c1 web ",
		"kcs-ingress enforce block 8812 5f3a09c1 web x",
		"kcs-ingress enforce block 8812 5f3a09c1 w/b",
		"kcs-ingress  enforce block 8812 5f3a09c1 web",
		"kcs-ingress enforce block 18446744073709551616 5f3a09c1 web",
	};
	size_t i;

	tap_ok(!kcs_nflog_tag_format(&t, buf, sizeof(buf)), "prefix formats");
	tap_is_str(buf, "kcs-ingress enforce block 8812 5f3a09c1 web", "prefix text");
	tap_ok(!kcs_nflog_tag_parse(buf, &u) && u.mode == t.mode &&
	       u.rule_kind == t.rule_kind && u.cgroup_id == 8812 &&
	       u.gen == 0x5f3a09c1 && !strcmp(u.profile, "web"), "prefix round-trips");
	t.mode = KCS_MODE_AUDIT;
	t.rule_kind = KCS_RULE_NOT_ALLOWED;
	t.cgroup_id = UINT64_MAX;
	t.gen = 0;
	memset(t.profile, 'p', KCS_NAME_MAX - 1);
	t.profile[KCS_NAME_MAX - 1] = '\0';
	tap_ok(!kcs_nflog_tag_format(&t, buf, sizeof(buf)) &&
	       strlen(buf) <= 127 && !kcs_nflog_tag_parse(buf, &u) &&
	       u.cgroup_id == UINT64_MAX && u.gen == 0 &&
	       u.rule_kind == KCS_RULE_NOT_ALLOWED,
	       "the longest prefix (%zu bytes) fits nftables' 127", strlen(buf));
	strcpy(t.profile, "a b");
	tap_ok(kcs_nflog_tag_format(&t, buf, sizeof(buf)) < 0,
	       "an invalid profile name is refused");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!kcs_nflog_tag_parse(bad[i], &u))
			break;
	tap_ok(i == sizeof(bad) / sizeof(bad[0]), "%zu foreign or malformed prefixes refused%s%s",
	       sizeof(bad) / sizeof(bad[0]), i < sizeof(bad) / sizeof(bad[0]) ? ": accepted " : "",
	       i < sizeof(bad) / sizeof(bad[0]) ? bad[i] : "");
}

/* ---- packets ---- */

/* IPv4 + TCP or UDP header: src, dst as "a.b.c.d", ports. Returns length. */
static size_t ip4(uint8_t *p, const char *src, const char *dst, uint8_t proto,
		  uint16_t sport, uint16_t dport, int ihl)
{
	size_t h = (size_t)ihl * 4;

	memset(p, 0, h + 20);
	p[0] = (uint8_t)(0x40 | ihl);
	p[9] = proto;
	inet_pton(AF_INET, src, p + 12);
	inet_pton(AF_INET, dst, p + 16);
	p[h] = (uint8_t)(sport >> 8);
	p[h + 1] = (uint8_t)sport;
	p[h + 2] = (uint8_t)(dport >> 8);
	p[h + 3] = (uint8_t)dport;
	return h + 20;
}

/* IPv6 with extension headers @ext (next-header values, 8 bytes each). */
static size_t ip6(uint8_t *p, const char *src, const char *dst, uint8_t proto,
		  uint16_t sport, uint16_t dport, const uint8_t *ext, int next)
{
	size_t off = 40;
	int i;

	memset(p, 0, 40 + 8 * (size_t)next + 20);
	p[0] = 0x60;
	p[6] = next ? ext[0] : proto;
	inet_pton(AF_INET6, src, p + 8);
	inet_pton(AF_INET6, dst, p + 24);
	for (i = 0; i < next; i++) {
		p[off] = i + 1 < next ? ext[i + 1] : proto;
		off += 8;
	}
	p[off] = (uint8_t)(sport >> 8);
	p[off + 1] = (uint8_t)sport;
	p[off + 2] = (uint8_t)(dport >> 8);
	p[off + 3] = (uint8_t)dport;
	return off + 20;
}

static void test_pkt(void)
{
	static const uint8_t hop_frag[] = { 0, 44 };
	struct kcs_pkt_tuple t;
	const char *why;
	uint8_t p[256];
	size_t n;

	n = ip4(p, "198.51.100.1", "192.0.2.2", 6, 40000, 8080, 5);
	tap_ok(!kcs_pkt_parse(p, n, &t, &why) && !t.v6 && t.src[3] == 0xc6336401 &&
	       t.dst[3] == 0xc0000202 && !t.src[0] && t.proto == 6 &&
	       t.sport == 40000 && t.dport == 8080, "IPv4 TCP");
	n = ip4(p, "198.51.100.1", "192.0.2.2", 17, 5000, 53, 7);
	tap_ok(!kcs_pkt_parse(p, n, &t, &why) && t.proto == 17 && t.dport == 53,
	       "IPv4 UDP with options");
	tap_ok(kcs_pkt_parse(p, 30, &t, &why) < 0 && strstr(why, "truncated"),
	       "IPv4: ports past the copy are refused");
	n = ip4(p, "198.51.100.1", "192.0.2.2", 17, 5000, 53, 5);
	p[6] = 0x00;
	p[7] = 0x10;
	tap_ok(kcs_pkt_parse(p, n, &t, &why) < 0 && strstr(why, "fragment"),
	       "IPv4: a non-first fragment has no ports");
	n = ip4(p, "198.51.100.1", "192.0.2.2", 1, 0, 0, 5);
	tap_ok(kcs_pkt_parse(p, n, &t, &why) < 0, "ICMP is not judged");
	n = ip6(p, "2001:db8:1::1", "2001:db8::2", 17, 1234, 5353, NULL, 0);
	tap_ok(!kcs_pkt_parse(p, n, &t, &why) && t.v6 && t.src[0] == 0x20010db8 &&
	       t.src[1] == 0x00010000 && t.src[3] == 1 && t.dst[3] == 2 &&
	       t.proto == 17 && t.sport == 1234 && t.dport == 5353, "IPv6 UDP");
	n = ip6(p, "2001:db8:1::1", "2001:db8::2", 6, 1234, 22, hop_frag, 2);
	tap_ok(!kcs_pkt_parse(p, n, &t, &why) && t.proto == 6 && t.dport == 22,
	       "IPv6 TCP after hop-by-hop and a first fragment header");
	p[40 + 8 + 3] = 0x08;	/* fragment offset 1 */
	tap_ok(kcs_pkt_parse(p, n, &t, &why) < 0 && strstr(why, "fragment"),
	       "IPv6: a non-first fragment has no ports");
	tap_ok(kcs_pkt_parse(p, 39, &t, &why) < 0, "IPv6: truncated header");
	p[0] = 0x50;
	tap_ok(kcs_pkt_parse(p, n, &t, &why) < 0, "IP version 5 refused");
	tap_ok(kcs_pkt_parse(p, 0, &t, &why) < 0, "empty payload refused");
}

/* ---- nflog messages ---- */

struct msgopts {
	const char *prefix;
	int prefix_len;			/* -1: strlen + 1 */
	const uint8_t *payload;
	size_t paylen;
	int seq;			/* -1: none */
	int ts;
	int extra;			/* an attribute a newer kernel might add */
	uint16_t type;
};

static struct nlmsghdr *nflog_msg(char *buf, const struct msgopts *o)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfulnl_msg_packet_hdr ph = { htons(0x0800), 1, 0 };
	struct nfgenmsg *g;

	nlh->nlmsg_type = o->type ? o->type :
			  (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = AF_INET;
	g->res_id = htons(KCS_NFLOG_GROUP);
	mnl_attr_put(nlh, NFULA_PACKET_HDR, sizeof(ph), &ph);
	if (o->prefix)
		mnl_attr_put(nlh, NFULA_PREFIX, o->prefix_len < 0 ?
			     strlen(o->prefix) + 1 : (size_t)o->prefix_len,
			     o->prefix);
	if (o->seq >= 0)
		mnl_attr_put_u32(nlh, NFULA_SEQ, htonl((uint32_t)o->seq));
	if (o->ts) {
		struct nfulnl_msg_packet_timestamp ts = {
			htobe64(1700000000), htobe64(123456) };

		mnl_attr_put(nlh, NFULA_TIMESTAMP, sizeof(ts), &ts);
	}
	if (o->extra)
		mnl_attr_put_u32(nlh, NFULA_MAX + 3, 7);
	if (o->payload)
		mnl_attr_put(nlh, NFULA_PAYLOAD, o->paylen, o->payload);
	return nlh;
}

static void test_msg(void)
{
	char buf[4096];
	uint8_t pkt[128];
	struct kcs_nflog_pkt p;
	struct msgopts o = { "kcs-ingress enforce block 1 00000001 web", -1,
			     pkt, 0, 41, 1, 1, 0 };
	struct nlmsghdr *nlh;

	o.paylen = ip4(pkt, "198.51.100.1", "192.0.2.2", 6, 40000, 8080, 5);
	nlh = nflog_msg(buf, &o);
	tap_ok(kcs_nflog_parse(nlh, &p) == 1, "packet message parses");
	tap_ok(p.has_seq && p.seq == 41, "sequence number");
	tap_ok(p.has_time && p.time_ns == 1700000000123456000ULL, "timestamp");
	tap_is_str(p.prefix, o.prefix, "prefix");
	tap_ok(p.payload && p.paylen == o.paylen && !memcmp(p.payload, pkt, p.paylen),
	       "payload");
	o.seq = -1;
	o.ts = 0;
	o.prefix = NULL;
	nlh = nflog_msg(buf, &o);
	tap_ok(kcs_nflog_parse(nlh, &p) == 1 && !p.has_seq && !p.has_time &&
	       !p.prefix, "optional attributes absent");
	o.prefix = "kcs-ingress";
	o.prefix_len = 11;		/* no NUL */
	nlh = nflog_msg(buf, &o);
	tap_ok(kcs_nflog_parse(nlh, &p) < 0, "prefix without NUL refused");
	o.prefix_len = -1;
	o.payload = NULL;
	nlh = nflog_msg(buf, &o);
	tap_ok(kcs_nflog_parse(nlh, &p) < 0, "packet without payload refused");
	o.type = NLMSG_DONE;
	nlh = nflog_msg(buf, &o);
	tap_ok(kcs_nflog_parse(nlh, &p) == 0, "NLMSG_DONE is not a packet");
	o.type = (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_CONFIG;
	nlh = nflog_msg(buf, &o);
	tap_ok(kcs_nflog_parse(nlh, &p) == 0, "a config message is not a packet");
	o.type = 0;
	o.payload = pkt;
	nlh = nflog_msg(buf, &o);
	nlh->nlmsg_len = mnl_nlmsg_size(2);
	tap_ok(kcs_nflog_parse(nlh, &p) < 0, "message shorter than nfgenmsg refused");
}

static void test_seq(void)
{
	struct kcs_nflog_seq s = { 0 };

	tap_ok(kcs_nflog_seq_track(&s, 7) == 0, "first packet: baseline");
	tap_ok(kcs_nflog_seq_track(&s, 8) == 0, "next: no loss");
	tap_ok(kcs_nflog_seq_track(&s, 12) == 3, "9..11 lost");
	s.next = 0xfffffffe;
	tap_ok(kcs_nflog_seq_track(&s, 1) == 3, "loss across the 2^32 wrap");
}

/* ---- events ---- */

static const char profile_json[] =
	"{\"name\":\"web\",\"network\":{\"ingress\":{\"mode\":\"block\","
	"\"rules\":[{\"cidr\":\"198.51.100.0/24\",\"ports\":\"8080\",\"protocol\":\"tcp\"},"
	"{\"cidr\":\"198.51.100.0/25\"},{\"cidr\":\"2001:db8:1::/48\",\"protocol\":\"udp\"}],"
	"\"exclusions\":[{\"cidr\":\"198.51.100.7\"}]}}}";

static int make_rec(struct kcs_netns_rec *rec, const char *json)
{
	static const struct kcs_fqdn_timing t = KCS_FQDN_TIMING_DEFAULT;
	struct kcs_profile_spec spec;
	struct kcs_err err;
	int ret;

	memset(rec, 0, sizeof(*rec));
	if (kcs_profile_parse(json, strlen(json), "t", &spec, &err)) {
		tap_diag("%s", err.msg);
		return -1;
	}
	ret = kcs_ingress_build(&spec.net.ingress, &t, 1000, &rec->in, &err);
	if (ret)
		tap_diag("%s", err.msg);
	snprintf(rec->profile, sizeof(rec->profile), "%s", spec.name);
	snprintf(rec->path, sizeof(rec->path), "/proc/42/ns/net");
	rec->gen = 0x5f3a09c1;
	rec->cgroup_id = 8812;
	rec->mode = KCS_MODE_ENFORCE;
	kcs_profile_free(&spec);
	return ret;
}

/* The event for a packet with @prefix and payload @pkt (@n bytes). */
static int event_for(const struct kcs_netns_rec *rec, const char *prefix,
		     const uint8_t *pkt, size_t n, struct kcs_ingress_ev *e)
{
	char buf[4096];
	struct msgopts o = { prefix, -1, pkt, n, 1, 0, 0, 0 };
	struct kcs_nflog_pkt p;
	const char *why;

	if (kcs_nflog_parse(nflog_msg(buf, &o), &p) != 1)
		return -1;
	return kcs_ingress_event(&p, rec, 1700000000000000000ULL, e, &why);
}

static void test_event(void)
{
	const char *pre = "kcs-ingress enforce block 8812 5f3a09c1 web";
	struct kcs_netns_rec rec;
	struct kcs_ingress_ev e;
	json_error_t jerr;
	uint8_t pkt[128];
	size_t n;
	char *out;
	json_t *j;

	if (make_rec(&rec, profile_json)) {
		tap_ok(0, "record from a profile");
		return;
	}
	n = ip4(pkt, "198.51.100.1", "192.0.2.2", 6, 40000, 8080, 5);
	tap_ok(!event_for(&rec, pre, pkt, n, &e), "event from a TCP packet");
	tap_is_str(e.ev.rule, "198.51.100.0/24 tcp 8080",
		   "the lowest-numbered rule covering it");
	tap_ok(e.ev.src == KCS_EV_SRC_NFLOG && e.ev.hook == KCS_HOOK_INGRESS &&
	       e.ev.verdict == KCS_VERDICT_DENY && e.ev.mode == KCS_MODE_ENFORCE &&
	       e.ev.rule_kind == KCS_RULE_BLOCK && e.ev.bound_cgroup_id == 8812 &&
	       e.ev.time_ns == 1700000000000000000ULL, "verdict, mode, kind, cgroup, time");
	tap_ok(!strcmp(e.ev.addr, "198.51.100.1") && e.ev.port == 40000 &&
	       !strcmp(e.ev.laddr, "192.0.2.2") && e.ev.lport == 8080 &&
	       e.ev.proto == 6 && e.ev.family == AF_INET, "addresses and ports");

	out = event_capture(&e.ev, 1);
	j = out ? json_loads(out, 0, &jerr) : NULL;
	tap_ok(j != NULL, "json: line parses");
	tap_is_str(json_string_value(json_object_get(j, "hook")), "ingress", "json: hook");
	tap_is_str(json_string_value(json_object_get(j, "direction")), "ingress",
		   "json: direction");
	tap_is_str(json_string_value(json_object_get(j, "local_addr")), "192.0.2.2",
		   "json: local_addr");
	tap_ok(json_integer_value(json_object_get(j, "local_port")) == 8080 &&
	       json_integer_value(json_object_get(j, "port")) == 40000 &&
	       json_integer_value(json_object_get(j, "bound_cgroup_id")) == 8812,
	       "json: ports, bound cgroup");
	tap_ok(json_is_null(json_object_get(j, "pid")) &&
	       json_is_null(json_object_get(j, "tgid")) &&
	       json_is_null(json_object_get(j, "ppid")) &&
	       json_is_null(json_object_get(j, "uid")) &&
	       json_is_null(json_object_get(j, "comm")) &&
	       json_is_null(json_object_get(j, "cgroup_id")) &&
	       json_is_null(json_object_get(j, "seq")) &&
	       json_is_null(json_object_get(j, "kernel_dropped_total")),
	       "json: no task, no seq, no kernel count: null");
	tap_is_str(json_string_value(json_object_get(j, "rule")),
		   "198.51.100.0/24 tcp 8080", "json: rule");
	json_decref(j);
	free(out);
	out = event_capture(&e.ev, 0);
	tap_has(out, " deny enforce pid=- tgid=- ppid=- uid=- comm=- hook=ingress "
		"src=198.51.100.1:40000 local=192.0.2.2:8080 protocol=tcp profile=web "
		"rule_kind=block rule=\"198.51.100.0/24 tcp 8080\" cgroup=- bound=8812 seq=-\n",
		"text line");
	free(out);

	n = ip4(pkt, "198.51.100.9", "192.0.2.2", 17, 40000, 53, 5);
	tap_ok(!event_for(&rec, pre, pkt, n, &e) &&
	       e.ev.rule && !strcmp(e.ev.rule, "198.51.100.0/25 tcp,udp *"),
	       "UDP: the /25 rule (rule 0 is TCP only)");
	n = ip6(pkt, "2001:db8:1::5", "2001:db8::2", 17, 1, 5353, NULL, 0);
	tap_ok(!event_for(&rec, pre, pkt, n, &e) && e.ev.rule &&
	       !strcmp(e.ev.rule, "2001:db8:1::/48 udp *") && e.ev.family == AF_INET6,
	       "IPv6 UDP: its rule");
	out = event_capture(&e.ev, 0);
	tap_has(out, "src=[2001:db8:1::5]:1 local=[2001:db8::2]:5353 protocol=udp",
		"text: IPv6 addresses in brackets");
	free(out);
	n = ip6(pkt, "2001:db8:1::5", "2001:db8::2", 6, 1, 5353, NULL, 0);
	tap_ok(!event_for(&rec, pre, pkt, n, &e) && !e.ev.rule,
	       "no covering rule (the table was built otherwise): rule left out");
	n = ip4(pkt, "198.51.100.1", "192.0.2.2", 6, 40000, 8080, 5);
	tap_ok(!event_for(&rec, "kcs-ingress enforce block 8812 00000002 web",
			  pkt, n, &e) && !e.ev.rule && e.ev.bound_cgroup_id == 8812,
	       "another table generation: no rule, the prefix still attributes");
	tap_ok(!event_for(&rec, "kcs-ingress audit not-allowed 7 5f3a09c1 web",
			  pkt, n, &e) && !e.ev.rule &&
	       e.ev.verdict == KCS_VERDICT_ALLOW && e.ev.mode == KCS_MODE_AUDIT &&
	       e.ev.rule_kind == KCS_RULE_NOT_ALLOWED, "audit, not allowed");
	tap_ok(event_for(&rec, "IN=eth0 someone else", pkt, n, &e) < 0,
	       "a foreign prefix is not an event");
	tap_ok(event_for(&rec, pre, pkt, 10, &e) < 0, "a truncated packet is not an event");
	tap_ok(!event_for(NULL, pre, pkt, n, &e) && !e.ev.rule,
	       "no record: an event without the rule");
	kcs_netns_rec_free(&rec);
}

static void test_loss_output(void)
{
	char *buf = NULL;
	size_t len = 0;
	json_error_t jerr;
	FILE *f = open_memstream(&buf, &len);
	json_t *j;

	event_out_nflog_loss(f, 0, "/proc/42/ns/net", 3);
	event_out_nflog_loss(f, 0, "/run/netns/a b", 0);
	fclose(f);
	tap_has(buf, "# lost 3 ingress events (nflog, netns /proc/42/ns/net)\n",
		"text: nflog gap");
	tap_has(buf, "# receive buffer overrun: ingress events lost (nflog, netns \"/run/netns/a b\")\n",
		"text: nflog overrun, path quoted");
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	event_out_nflog_loss(f, 1, "/proc/42/ns/net", 3);
	fclose(f);
	j = json_loads(buf, 0, &jerr);
	tap_ok(j && !strcmp(json_string_value(json_object_get(j, "type")), "gap") &&
	       !strcmp(json_string_value(json_object_get(j, "source")), "nflog") &&
	       json_integer_value(json_object_get(j, "lost")) == 3,
	       "json: nflog gap");
	json_decref(j);
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	event_out_nflog_loss(f, 1, "/proc/42/ns/net", 0);
	fclose(f);
	j = json_loads(buf, 0, &jerr);
	tap_ok(j && !strcmp(json_string_value(json_object_get(j, "type")), "overrun") &&
	       !strcmp(json_string_value(json_object_get(j, "netns")), "/proc/42/ns/net"),
	       "json: nflog overrun");
	json_decref(j);
	free(buf);
}

int main(void)
{
	test_tag();
	test_pkt();
	test_msg();
	test_seq();
	test_event();
	test_loss_output();
	return tap_done();
}
