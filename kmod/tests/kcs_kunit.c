// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the kernel-side logic of kcs that does not need a live
 * task: the DFA verifier (including every malformed variant of a valid
 * blob we can make byte by byte), matching, multi-call applet selection,
 * and the composition of "<path>/<applet>" in a pattern set.
 *
 * Built as kcs_kunit.ko only against kernels with CONFIG_KUNIT. The code
 * under test is compiled into this module from the same sources as kcs.ko
 * (see kunit_sources.c), so kcs.ko need not export anything.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "../kcs.h"

/*
 * Build a DFA blob accepting exactly @n literal strings (pattern i accepts
 * with value i + 1), as an uncompressed trie: every state owns a full row.
 * Not what kcsadm produces (minimized, comb-packed) but a valid blob, and
 * simple enough to be obviously right.
 */
struct trie {
	u32 nstates;
	u32 next[64][256];
	u32 accept[64];
	bool star[64];		/* accepts, and stays on every byte */
};

static void *make_blob(struct kunit *test, const char *const *lits, u32 n,
		       size_t *lenp)
{
	struct trie *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct kcs_dfa_hdr *h;
	u32 s, c, i, nclasses = 256, *accept, *base, *dflt, *next, *check;
	size_t len;
	u8 *p;

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->nstates = 2;		/* 0 dead, 1 start */
	for (i = 0; i < n; i++) {
		const char *q;

		for (s = 1, q = lits[i]; *q; q++) {
			/* '\x01' stands for NUL: program-scoped patterns. */
			u8 b = *q == '\x01' ? 0 : *q;

			/* '\x02' ends a literal as "*" ends a mask. */
			if (*q == '\x02') {
				t->star[s] = true;
				break;
			}

			if (!t->next[s][b]) {
				KUNIT_ASSERT_LT(test, t->nstates, 64U);
				t->next[s][b] = t->nstates++;
			}
			s = t->next[s][b];
		}
		if (!t->accept[s])
			t->accept[s] = i + 1;
	}
	len = sizeof(*h) + 256 + 12 * t->nstates + 8 * t->nstates * nclasses;
	p = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	h = (void *)p;
	h->magic = KCS_DFA_MAGIC;
	h->version = KCS_DFA_VERSION;
	h->hdr_len = sizeof(*h);
	h->nstates = t->nstates;
	h->nclasses = nclasses;
	h->start = 1;
	h->ntrans = t->nstates * nclasses;
	h->naccept = n;
	for (c = 0; c < 256; c++)
		p[sizeof(*h) + c] = c;		/* one class per byte */
	accept = (u32 *)(p + sizeof(*h) + 256);
	base = accept + t->nstates;
	dflt = base + t->nstates;
	next = dflt + t->nstates;
	check = next + h->ntrans;
	for (s = 0; s < t->nstates; s++) {
		accept[s] = t->accept[s];
		base[s] = s * nclasses;
		dflt[s] = 0;
		for (c = 0; c < nclasses; c++) {
			next[s * nclasses + c] = t->star[s] ? s : t->next[s][c];
			check[s * nclasses + c] = s;
		}
	}
	*lenp = len;
	return p;
}

static const char *const lits[] = { "/bin/sh", "/bin/busybox/wget", "/bin" };

static u32 match(const struct kcs_dfa *d, const char *s)
{
	return kcs_dfa_accept(d, kcs_dfa_walk(d, d->start, s, strlen(s)));
}

static void dfa_valid_blob(struct kunit *test)
{
	struct kcs_dfa d;
	const char *why = NULL;
	size_t len;
	void *b = make_blob(test, lits, ARRAY_SIZE(lits), &len);

	KUNIT_ASSERT_EQ(test, kcs_dfa_verify(b, len, &d, &why), 0);
	KUNIT_EXPECT_EQ(test, match(&d, "/bin/sh"), 1U);
	KUNIT_EXPECT_EQ(test, match(&d, "/bin/busybox/wget"), 2U);
	KUNIT_EXPECT_EQ(test, match(&d, "/bin"), 3U);
	KUNIT_EXPECT_EQ(test, match(&d, "/bin/s"), 0U);
	KUNIT_EXPECT_EQ(test, match(&d, "/bin/shx"), 0U);
	KUNIT_EXPECT_EQ(test, match(&d, ""), 0U);
	KUNIT_EXPECT_EQ(test, match(&d, "/bin/busybox"), 0U);
}

/* The verifier's promise: whatever it accepts, no walk leaves the table. */
static void expect_walks_in_bounds(struct kunit *test, const struct kcs_dfa *d)
{
	u32 s, c, n;

	for (s = 0; s < d->nstates; s++)
		for (c = 0; c < 256; c++) {
			n = kcs_dfa_step(d, s, c);
			KUNIT_ASSERT_LT(test, n, d->nstates);
			KUNIT_ASSERT_LE(test, kcs_dfa_accept(d, n), d->naccept);
		}
	KUNIT_EXPECT_EQ(test, kcs_dfa_accept(d, 0), 0U);
	KUNIT_EXPECT_EQ(test, kcs_dfa_step(d, 0, 'a'), 0U);
}

static void dfa_malformed_bytes(struct kunit *test)
{
	static const u8 vals[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
	const char *const one[] = { "/a" };
	size_t len, off;
	void *good = make_blob(test, one, 1, &len);
	u8 *bad = kunit_kmalloc(test, len, GFP_KERNEL);
	u32 rejected = 0, accepted = 0;
	struct kcs_dfa d;
	const char *why;
	int v;

	KUNIT_ASSERT_NOT_NULL(test, bad);
	for (off = 0; off < len; off++) {
		for (v = -1; v < (int)ARRAY_SIZE(vals); v++) {
			memcpy(bad, good, len);
			bad[off] = v < 0 ? bad[off] ^ 0x01 : vals[v];
			if (kcs_dfa_verify(bad, len, &d, &why)) {
				KUNIT_EXPECT_NOT_NULL(test, why);
				rejected++;
				continue;
			}
			accepted++;
			expect_walks_in_bounds(test, &d);
		}
	}
	/* Header damage must be caught; table noise may stay valid. */
	KUNIT_EXPECT_GT(test, rejected, 100U);
	kunit_info(test, "%zu bytes mutated: %u rejected, %u still valid",
		   len, rejected, accepted);
}

static void dfa_truncated_and_misaligned(struct kunit *test)
{
	const char *const one[] = { "/a" };
	size_t len, l;
	void *good = make_blob(test, one, 1, &len);
	u8 *big = kunit_kzalloc(test, len + 8, GFP_KERNEL);
	struct kcs_dfa d;
	const char *why;

	KUNIT_ASSERT_NOT_NULL(test, big);
	for (l = 0; l < len; l++)
		KUNIT_EXPECT_NE(test, kcs_dfa_verify(good, l, &d, &why), 0);
	memcpy(big, good, len);
	KUNIT_EXPECT_NE(test, kcs_dfa_verify(big, len + 4, &d, &why), 0);
	memcpy(big + 1, good, len);
	KUNIT_EXPECT_NE(test, kcs_dfa_verify(big + 1, len, &d, &why), 0);
}

static void dfa_field_limits(struct kunit *test)
{
	const char *const one[] = { "/a" };
	size_t len;
	u8 *b = make_blob(test, one, 1, &len);
	struct kcs_dfa_hdr *h = (void *)b;
	u32 *accept = (u32 *)(b + sizeof(*h) + 256);
	struct kcs_dfa d;
	const char *why;

	h->start = h->nstates;
	KUNIT_EXPECT_NE(test, kcs_dfa_verify(b, len, &d, &why), 0);
	h->start = 1;
	accept[0] = 1;		/* the dead state may not accept */
	KUNIT_EXPECT_NE(test, kcs_dfa_verify(b, len, &d, &why), 0);
	accept[0] = 0;
	accept[1] = 2;		/* more than naccept */
	KUNIT_EXPECT_NE(test, kcs_dfa_verify(b, len, &d, &why), 0);
	accept[1] = 0;
	h->nstates = KCS_DFA_MAX_STATES + 1;
	KUNIT_EXPECT_NE(test, kcs_dfa_verify(b, len, &d, &why), 0);
}

static void text_verify(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, kcs_text_verify("a\0bc\0", 5, 2), 0);
	KUNIT_EXPECT_NE(test, kcs_text_verify("a\0bc\0", 5, 1), 0);
	KUNIT_EXPECT_NE(test, kcs_text_verify("a\0bc", 4, 2), 0);
	KUNIT_EXPECT_EQ(test, kcs_text_verify("", 0, 0), 0);
}

/* An entry may take KCS_TEXT_ENTRY_MAX bytes with its NUL, not one more. */
static void text_verify_entry_max(struct kunit *test)
{
	size_t len = KCS_TEXT_ENTRY_MAX + 2;
	char *b = kunit_kzalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, b);
	memset(b, 'a', KCS_TEXT_ENTRY_MAX - 1);	/* "a...a\0" + "\0" */
	KUNIT_EXPECT_EQ(test, kcs_text_verify(b, KCS_TEXT_ENTRY_MAX + 1, 2), 0);
	memset(b, 'a', KCS_TEXT_ENTRY_MAX);		/* one byte longer */
	KUNIT_EXPECT_NE(test, kcs_text_verify(b, KCS_TEXT_ENTRY_MAX + 1, 1), 0);
	/* The limit is per entry: the long one second, after a short one. */
	b[0] = '\0';
	KUNIT_EXPECT_EQ(test, kcs_text_verify(b, KCS_TEXT_ENTRY_MAX + 1, 2), 0);
	b[1] = 'a';
	b[len - 1] = '\0';
	b[len - 2] = 'a';
	KUNIT_EXPECT_NE(test, kcs_text_verify(b, len, 2), 0);
}

struct applet_case {
	const char *args;	/* argv strings, NUL-separated */
	size_t len;
	int argc;
	u8 result;		/* enum kcs_applet_result */
	const char *want;	/* the applet, for KCS_APPLET_FOUND */
};

#define A(s, argc, res, want) { s, sizeof(s) - 1, argc, KCS_APPLET_##res, want }
static const struct applet_case applet_cases[] = {
	A("wget\0-q\0", 2, FOUND, "wget"),
	A("/bin/wget\0", 1, FOUND, "wget"),
	A("./wget\0", 1, FOUND, "wget"),
	A("-sh\0", 1, FOUND, "sh"),			/* login shell */
	A("-/bin/sh\0", 1, FOUND, "sh"),
	A("busybox\0wget\0x\0", 3, FOUND, "wget"),
	A("/bin/busybox\0/usr/bin/wget\0", 2, FOUND, "wget"),
	A("busybox.static\0ls\0", 2, FOUND, "ls"),
	A("busybox\0busybox\0wget\0", 3, FOUND, "wget"),	/* nested */
	A("sh\0busybox\0", 2, FOUND, "sh"),	/* argv[1] of an applet */
	A("busybox\0/x/busybox\0busyboxY\0nc\0", 4, FOUND, "nc"),
	A("busybox\0--help\0wget\0", 3, FOUND, "wget"),	/* its usage */
	A("busybox\0--help\0busybox\0", 3, NONE, NULL),	/* help text */
	A("busybox\0--help\0", 2, NONE, NULL),
	A("busybox\0--list\0", 2, NONE, NULL),
	A("busybox\0--list-full\0", 2, NONE, NULL),
	A("busybox\0--install\0-s\0", 3, NONE, NULL),
	A("busybox\0--installx\0", 2, FOUND, "--installx"),
	A("busybox\0", 1, NONE, NULL),
	A("busybox\0busybox\0", 2, NONE, NULL),
	A("busybox\0-wget\0", 2, FOUND, "-wget"),	/* no '-' dropped */
	A("\0", 1, NONE, NULL),			/* empty argv[0] */
	A("/bin/\0", 1, NONE, NULL),
	A("wge", 1, MORE, NULL),			/* cut short */
	A("busybox\0wge", 2, MORE, NULL),		/* argv[1] cut short */
	A("/x/-wget\0", 1, FOUND, "-wget"),		/* '-' only at the start */
	A("wget\0", 0, NONE, NULL),			/* argc 0 */
};

static void applet_check(struct kunit *test, const struct applet_case *c,
			 struct kcs_applet_scan *s, size_t i)
{
	KUNIT_EXPECT_EQ_MSG(test, s->result, c->result, "case %zu", i);
	if (c->want && s->result == KCS_APPLET_FOUND)
		KUNIT_EXPECT_STREQ_MSG(test, s->name, c->want, "case %zu", i);
}

/* Fed whole, and fed a byte at a time: pieces never change the answer. */
static void applet_parse(struct kunit *test)
{
	struct kcs_applet_scan *s;
	size_t i, j;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	for (i = 0; i < ARRAY_SIZE(applet_cases); i++) {
		const struct applet_case *c = &applet_cases[i];

		kcs_applet_scan_init(s, c->argc);
		kcs_applet_scan_feed(s, c->args, c->len);
		applet_check(test, c, s, i);
		kcs_applet_scan_init(s, c->argc);
		for (j = 0; j < c->len && s->result == KCS_APPLET_MORE; j++)
			kcs_applet_scan_feed(s, c->args + j, 1);
		applet_check(test, c, s, i);
	}
}

/*
 * Strings of any length: a path prefix of 64 KiB before "wget", and a
 * basename longer than any applet name (no such applet: cannot be told).
 */
static void applet_long(struct kunit *test)
{
	size_t big = 65536, len;
	struct kcs_applet_scan *s;
	char *buf;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	buf = kunit_kzalloc(test, big + 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_NOT_NULL(test, buf);

	memset(buf, '/', big);
	len = big + sprintf(buf + big, "wget") + 1;
	kcs_applet_scan_init(s, 1);
	KUNIT_EXPECT_EQ(test, kcs_applet_scan_feed(s, buf, len), len);
	KUNIT_EXPECT_EQ(test, s->result, KCS_APPLET_FOUND);
	KUNIT_EXPECT_STREQ(test, s->name, "wget");

	/* "busybox" then argv[1] = 64 KiB of 'x/' then "nc" */
	len = sprintf(buf, "busybox") + 1;
	memset(buf + len, '/', big);
	len += big;
	len += sprintf(buf + len, "nc") + 1;
	kcs_applet_scan_init(s, 2);
	kcs_applet_scan_feed(s, buf, len);
	KUNIT_EXPECT_EQ(test, s->result, KCS_APPLET_FOUND);
	KUNIT_EXPECT_STREQ(test, s->name, "nc");

	memset(buf, 'a', KCS_APPLET_MAX + 1);
	buf[KCS_APPLET_MAX + 1] = '\0';
	kcs_applet_scan_init(s, 1);
	kcs_applet_scan_feed(s, buf, KCS_APPLET_MAX + 2);
	KUNIT_EXPECT_EQ(test, s->result, KCS_APPLET_UNKNOWN);
	buf[KCS_APPLET_MAX] = '\0';
	kcs_applet_scan_init(s, 1);
	kcs_applet_scan_feed(s, buf, KCS_APPLET_MAX + 1);
	KUNIT_EXPECT_EQ(test, s->result, KCS_APPLET_FOUND);
	KUNIT_EXPECT_EQ(test, strlen(s->name), (size_t)KCS_APPLET_MAX);
}

/*
 * Program-scoped patterns match "\0" PROGRAM "\0" PATH, only in a set
 * flagged KCS_DFA_F_PROGRAM and only for a task with a program.
 */
static void pset_program_scoped(struct kunit *test)
{
	static const char *const slits[] = {
		"/bin/sh", "\x01/usr/sbin/nginx\x01/usr/bin/curl",
		"\x01/usr/sbin/nginx\x01/etc",
	};
	struct kcs_pset ps = { };
	struct kcs_dfa_hdr *h;
	const char *why, *ng = "/usr/sbin/nginx", *curl = "/usr/bin/curl";
	size_t len;

	h = make_blob(test, slits, ARRAY_SIZE(slits), &len);
	ps.blob = h;
	KUNIT_ASSERT_EQ(test, kcs_dfa_verify(h, len, &ps.dfa, &why), 0);
	/* Without the flag, no scoped pattern is looked at. */
	KUNIT_EXPECT_FALSE(test, kcs_pset_scoped(&ps));
	KUNIT_EXPECT_EQ(test, kcs_pset_match(&ps, ng, curl, 13, NULL, 0), 0U);
	h->flags = KCS_DFA_F_PROGRAM;
	KUNIT_ASSERT_EQ(test, kcs_dfa_verify(h, len, &ps.dfa, &why), 0);
	KUNIT_EXPECT_TRUE(test, kcs_pset_scoped(&ps));
	KUNIT_EXPECT_EQ(test, kcs_pset_match(&ps, ng, curl, 13, NULL, 0), 2U);
	KUNIT_EXPECT_EQ(test, kcs_pset_match(&ps, NULL, curl, 13, NULL, 0), 0U);
	KUNIT_EXPECT_EQ(test, kcs_pset_match(&ps, "/bin/sh", curl, 13, NULL, 0),
			0U);
	KUNIT_EXPECT_EQ(test, kcs_pset_match(&ps, "/usr/sbin/nginx2", curl, 13,
					     NULL, 0), 0U);
	KUNIT_EXPECT_EQ(test, kcs_pset_match(&ps, "/usr/sbin/ngin", curl, 13,
					     NULL, 0), 0U);
	/* An unscoped pattern matches whatever the program. */
	KUNIT_EXPECT_EQ(test, kcs_pset_match(&ps, ng, "/bin/sh", 7, NULL, 0), 1U);
	KUNIT_EXPECT_EQ(test, kcs_pset_match(&ps, NULL, "/bin/sh", 7, NULL, 0),
			1U);
	/* "<path>/<applet>" and the tree question, scoped too. */
	KUNIT_EXPECT_EQ(test, kcs_pset_match(&ps, ng, "/usr/bin", 8, "curl", 4),
			2U);
	KUNIT_EXPECT_EQ(test, kcs_pset_match_tree(&ps, ng, "/etc", 4, false), 3U);
	KUNIT_EXPECT_EQ(test, kcs_pset_match_tree(&ps, ng, "/usr", 4, true),
			KCS_PSET_TREE_HIT);
	KUNIT_EXPECT_EQ(test, kcs_pset_match_tree(&ps, "/bin/sh", "/usr", 4,
						  true), 0U);
	/* Unknown flags are refused. */
	h->flags = 2;
	KUNIT_EXPECT_NE(test, kcs_dfa_verify(h, len, &ps.dfa, &why), 0);
}

static void multicall(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, kcs_is_multicall("/bin/busybox"));
	KUNIT_EXPECT_TRUE(test, kcs_is_multicall("/usr/bin/busybox.static"));
	KUNIT_EXPECT_FALSE(test, kcs_is_multicall("/bin/ls"));
	KUNIT_EXPECT_FALSE(test, kcs_is_multicall("/busy/box"));
	KUNIT_EXPECT_FALSE(test, kcs_is_multicall("busybox"));
}

static void pset_applet_composition(struct kunit *test)
{
	static const char text[] = "/bin/sh\0/bin/busybox/wget\0/bin";
	struct kcs_pset ps = { };
	const char *why;
	size_t len;
	u32 off[3] = { 0, 8, 26 };

	ps.blob = make_blob(test, lits, ARRAY_SIZE(lits), &len);
	ps.text = text;
	ps.text_off = off;
	KUNIT_ASSERT_EQ(test, kcs_dfa_verify(ps.blob, len, &ps.dfa, &why), 0);
	KUNIT_EXPECT_EQ(test, kcs_pset_match(&ps, NULL, "/bin/busybox", 12, "wget", 4), 2U);
	KUNIT_EXPECT_STREQ(test, kcs_pset_text(&ps, 2), "/bin/busybox/wget");
	KUNIT_EXPECT_EQ(test, kcs_pset_match(&ps, NULL, "/bin/busybox", 12, "ls", 2), 0U);
	KUNIT_EXPECT_EQ(test, kcs_pset_match(&ps, NULL, "/bin/busybox", 12, NULL, 0), 0U);
	/* The plain path wins when it matches by itself. */
	KUNIT_EXPECT_EQ(test, kcs_pset_match(&ps, NULL, "/bin", 4, "sh", 2), 3U);
	KUNIT_EXPECT_EQ(test, kcs_pset_match(&ps, NULL, "/bin/sh", 7, NULL, 0), 1U);
	KUNIT_EXPECT_NULL(test, kcs_pset_text(&ps, 0));
	ps.blob = NULL;		/* an empty set matches nothing */
	KUNIT_EXPECT_EQ(test, kcs_pset_match(&ps, NULL, "/bin/sh", 7, NULL, 0), 0U);
}

/*
 * A network rule set by hand: rule 0 = 192.0.2.0/24 tcp 80 and 8000-8100,
 * rule 1 = 198.51.100.7 udp (every port), rule 2 = 2001:db8::/32 tcp+udp 443.
 */
struct net_blob {
	struct kcs_net_hdr h;
	struct kcs_net_v4 v4[2];
	struct kcs_net_v6 v6[1];
	struct kcs_net_port p[4];
};

static void make_net(struct net_blob *b)
{
	const u32 no = KCS_NET_NO_RULE;

	memset(b, 0, sizeof(*b));
	b->h = (struct kcs_net_hdr){ .magic = KCS_NET_MAGIC,
		.version = KCS_NET_VERSION, .hdr_len = sizeof(b->h),
		.nrules = 3, .n4 = 2, .n6 = 1, .nports = 4 };
	b->v4[0] = (struct kcs_net_v4){ 0xc0000200, 0xc00002ff, 0, 2 };
	b->v4[1] = (struct kcs_net_v4){ 0xc6336407, 0xc6336407, 2, 1 };
	b->v6[0] = (struct kcs_net_v6){ { 0x20010db8, 0, 0, 0 },
		{ 0x20010db8, ~0U, ~0U, ~0U }, 3, 1 };
	b->p[0] = (struct kcs_net_port){ 80, 80, 0, no };
	b->p[1] = (struct kcs_net_port){ 8000, 8100, 0, no };
	b->p[2] = (struct kcs_net_port){ 0, 65535, no, 1 };
	b->p[3] = (struct kcs_net_port){ 443, 443, 2, 2 };
}

static void net_lookup(struct kunit *test)
{
	struct net_blob *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct kcs_net_addr a = { };
	struct kcs_netm m;
	const char *why = NULL;

	KUNIT_ASSERT_NOT_NULL(test, b);
	make_net(b);
	KUNIT_ASSERT_EQ(test, kcs_netm_verify(b, sizeof(*b), &m, &why), 0);
	a.w[3] = 0xc0000205;
	KUNIT_EXPECT_EQ(test, kcs_netm_lookup(&m, &a, 80, KCS_NET_PROTO_TCP), 0U);
	KUNIT_EXPECT_EQ(test, kcs_netm_lookup(&m, &a, 8100, KCS_NET_PROTO_TCP), 0U);
	KUNIT_EXPECT_EQ(test, kcs_netm_lookup(&m, &a, 8101, KCS_NET_PROTO_TCP),
			KCS_NET_NO_RULE);
	KUNIT_EXPECT_EQ(test, kcs_netm_lookup(&m, &a, 80, KCS_NET_PROTO_UDP),
			KCS_NET_NO_RULE);
	a.w[3] = 0xc0000300;
	KUNIT_EXPECT_EQ(test, kcs_netm_lookup(&m, &a, 80, KCS_NET_PROTO_TCP),
			KCS_NET_NO_RULE);
	a.w[3] = 0xc6336407;
	KUNIT_EXPECT_EQ(test, kcs_netm_lookup(&m, &a, 1, KCS_NET_PROTO_UDP), 1U);
	/* ::ffff:198.51.100.7 is the IPv4 address. */
	a = (struct kcs_net_addr){ .v6 = true, .w = { 0, 0, 0xffff, 0xc6336407 } };
	kcs_net_addr_unmap(&a);
	KUNIT_EXPECT_FALSE(test, a.v6);
	KUNIT_EXPECT_EQ(test, kcs_netm_lookup(&m, &a, 53, KCS_NET_PROTO_UDP), 1U);
	a = (struct kcs_net_addr){ .v6 = true, .w = { 0x20010db8, 5, 0, 1 } };
	KUNIT_EXPECT_EQ(test, kcs_netm_lookup(&m, &a, 443, KCS_NET_PROTO_UDP), 2U);
	KUNIT_EXPECT_EQ(test, kcs_netm_lookup(&m, &a, 444, KCS_NET_PROTO_UDP),
			KCS_NET_NO_RULE);
	a.w[0] = 0x20010db9;
	KUNIT_EXPECT_EQ(test, kcs_netm_lookup(&m, &a, 443, KCS_NET_PROTO_TCP),
			KCS_NET_NO_RULE);
}

static void net_malformed(struct kunit *test)
{
	struct net_blob *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct kcs_netm m;
	const char *why = NULL;
	size_t i;

	KUNIT_ASSERT_NOT_NULL(test, b);
#define BAD(stmt, len) do {						\
		make_net(b);						\
		stmt;							\
		KUNIT_EXPECT_EQ(test, kcs_netm_verify(b, len, &m, &why), -EINVAL); \
	} while (0)
	BAD(b->h.magic++, sizeof(*b));
	BAD(b->h.version++, sizeof(*b));
	BAD((void)0, sizeof(*b) - 4);
	BAD(b->h.nrules = 2, sizeof(*b));
	BAD(b->h.n4 = KCS_NET_MAX_ENTRIES + 1, sizeof(*b));
	BAD(b->v4[0].hi = 0xc00001ff, sizeof(*b));
	BAD(b->v4[1].lo = 0xc00002ff, sizeof(*b));
	BAD(b->v4[0].count = 0, sizeof(*b));
	BAD(b->v4[1].first = 3, sizeof(*b));
	BAD(b->v6[0].count = 2, sizeof(*b));
	BAD(b->p[1].lo = 80, sizeof(*b));
	BAD(b->p[0].hi = 79, sizeof(*b));
	BAD(b->p[2].rule_udp = KCS_NET_NO_RULE, sizeof(*b));
	BAD(b->p[3].rule_tcp = 3, sizeof(*b));
	BAD(b->v6[0].hi[0] = 0x20010db7, sizeof(*b));
#undef BAD
	/* Every single-byte change is refused or leaves a safe table. */
	for (i = 0; i < sizeof(*b); i++) {
		struct kcs_net_addr a = { .w = { 0, 0, 0, 0xc0000205 } };

		make_net(b);
		((u8 *)b)[i] ^= 0xa5;
		if (!kcs_netm_verify(b, sizeof(*b), &m, &why))
			KUNIT_EXPECT_TRUE(test,
					  kcs_netm_lookup(&m, &a, 80, 1) == KCS_NET_NO_RULE ||
					  kcs_netm_lookup(&m, &a, 80, 1) < m.nrules);
	}
	make_net(b);
	KUNIT_EXPECT_EQ(test, kcs_netm_verify((u8 *)b + 1, sizeof(*b) - 1, &m,
					      &why), -EINVAL);
}

/*
 * File rules: a path, and a directory judged by what lies under it (a
 * state after "dir/" that is not dead: some pattern may still match).
 */
static u32 tree_match(const struct kcs_pset *ps, const char *p, bool tree)
{
	return kcs_pset_match_tree(ps, NULL, p, strlen(p), tree);
}

static void pset_match_tree(struct kunit *test)
{
	static const char *const flits[] = { "/etc/passwd", "/keys/k1" };
	struct kcs_pset ps = { };
	const char *why;
	size_t len;

	ps.blob = make_blob(test, flits, ARRAY_SIZE(flits), &len);
	KUNIT_ASSERT_EQ(test, kcs_dfa_verify(ps.blob, len, &ps.dfa, &why), 0);
	KUNIT_EXPECT_EQ(test, tree_match(&ps, "/etc/passwd", false), 1U);
	KUNIT_EXPECT_EQ(test, tree_match(&ps, "/etc/passwd", true), 1U);
	KUNIT_EXPECT_EQ(test, tree_match(&ps, "/keys/k1", true), 2U);
	KUNIT_EXPECT_EQ(test, tree_match(&ps, "/etc", false), 0U);
	KUNIT_EXPECT_EQ(test, tree_match(&ps, "/etc", true), KCS_PSET_TREE_HIT);
	KUNIT_EXPECT_EQ(test, tree_match(&ps, "/keys", true), KCS_PSET_TREE_HIT);
	KUNIT_EXPECT_EQ(test, tree_match(&ps, "/", true), KCS_PSET_TREE_HIT);
	/* A prefix that is no directory of a protected name. */
	KUNIT_EXPECT_EQ(test, tree_match(&ps, "/et", true), 0U);
	KUNIT_EXPECT_EQ(test, tree_match(&ps, "/etc/pass", true), 0U);
	KUNIT_EXPECT_EQ(test, tree_match(&ps, "/home", true), 0U);
	KUNIT_EXPECT_EQ(test, tree_match(&ps, "/etc/passwd/x", true), 0U);
	ps.blob = NULL;
	KUNIT_EXPECT_EQ(test, kcs_pset_match_tree(&ps, NULL, "/etc", 4, true), 0U);
}

/*
 * Allow lists: a directory that moves is allowed only when its name and
 * every name under it are (the state after "dir/" accepts and loops).
 */
static u32 all_under(const struct kcs_pset *ps, const char *p)
{
	return kcs_pset_match_all_under(ps, NULL, p, strlen(p));
}

static void pset_match_all_under(struct kunit *test)
{
	static const char *const alits[] = {
		"/tmp/\x02", "/data/sub", "/data", "/opt\x02"
	};
	struct kcs_pset ps = { };
	const char *why;
	size_t len;

	ps.blob = make_blob(test, alits, ARRAY_SIZE(alits), &len);
	KUNIT_ASSERT_EQ(test, kcs_dfa_verify(ps.blob, len, &ps.dfa, &why), 0);
	KUNIT_EXPECT_EQ(test, all_under(&ps, "/tmp/d"), 1U);
	KUNIT_EXPECT_EQ(test, all_under(&ps, "/tmp/d/e"), 1U);
	KUNIT_EXPECT_EQ(test, all_under(&ps, "/tmp/"), 1U);
	KUNIT_EXPECT_EQ(test, all_under(&ps, "/opt"), 4U);
	KUNIT_EXPECT_EQ(test, all_under(&ps, "/optx"), 4U);
	/* Named, but not everything under it. */
	KUNIT_EXPECT_EQ(test, all_under(&ps, "/data/sub"), 0U);
	KUNIT_EXPECT_EQ(test, all_under(&ps, "/data"), 0U);
	KUNIT_EXPECT_EQ(test, tree_match(&ps, "/data/sub", false), 2U);
	/* Everything under it, but not its own name. */
	KUNIT_EXPECT_EQ(test, all_under(&ps, "/tmp"), 0U);
	KUNIT_EXPECT_EQ(test, all_under(&ps, "/home"), 0U);
	ps.blob = NULL;
	KUNIT_EXPECT_EQ(test, all_under(&ps, "/tmp/d"), 0U);
}

static struct kunit_case kcs_cases[] = {
	KUNIT_CASE(net_lookup),
	KUNIT_CASE(net_malformed),
	KUNIT_CASE(dfa_valid_blob),
	KUNIT_CASE(dfa_malformed_bytes),
	KUNIT_CASE(dfa_truncated_and_misaligned),
	KUNIT_CASE(dfa_field_limits),
	KUNIT_CASE(text_verify),
	KUNIT_CASE(text_verify_entry_max),
	KUNIT_CASE(applet_parse),
	KUNIT_CASE(applet_long),
	KUNIT_CASE(multicall),
	KUNIT_CASE(pset_applet_composition),
	KUNIT_CASE(pset_program_scoped),
	KUNIT_CASE(pset_match_tree),
	KUNIT_CASE(pset_match_all_under),
	{}
};

static struct kunit_suite kcs_suite = {
	.name = "kcs",
	.test_cases = kcs_cases,
};

kunit_test_suite(kcs_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for kcs");
