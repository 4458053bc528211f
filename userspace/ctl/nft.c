// SPDX-License-Identifier: GPL-2.0
/*
 * Ingress through nftables (libmnl + libnftnl), see nft.h.
 *
 * The table, in the container's network namespace:
 *
 *   table inet kcs {
 *     set <kind>_v4_tcp { type ipv4_addr . inet_service; flags interval; }
 *     ... (v4/v6 x tcp/udp, kind block/except/allow)
 *     chain input { type filter hook input priority filter; policy accept;
 *       meta nfproto ipv4 meta l4proto tcp ct state new
 *         ip saddr . tcp dport @except_v4_tcp accept
 *       meta nfproto ipv4 meta l4proto tcp ct state new
 *         ip saddr . tcp dport @block_v4_tcp counter drop   (audit: log group)
 *       ...
 *     }
 *   }
 *
 * Elements come from the compiled rule blob: every (address interval,
 * port range) pair whose rule covers the protocol is one concatenated
 * interval element, and those are disjoint by construction.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>

#include "netm.h"
#include "nft.h"

/* nftables' datatype numbers (concatenation: type1 << 6 | type2). */
#define NFT_TYPE_IPADDR		7
#define NFT_TYPE_IP6ADDR	8
#define NFT_TYPE_INET_SERVICE	13
#define NFT_CT_NEW_BIT		8	/* NF_CT_STATE_BIT(IP_CT_NEW) */
#define ELEMS_PER_MSG		256

const char *kcs_state_dir(void)
{
	const char *d = getenv("KCS_STATE_DIR");

	return d && *d ? d : KCS_STATE_DIR_DEFAULT;
}

/* ---- the ingress state file: "KCSI", kind, two lengths, two blobs ---- */

struct ingress_file_hdr {
	char magic[4];
	uint32_t kind, rules_len, except_len;
};

static int state_path(const char *name, char *buf, size_t len)
{
	return snprintf(buf, len, "%s/ingress/%s", kcs_state_dir(), name) >=
	       (int)len ? -1 : 0;
}

int kcs_ingress_save(const char *name, const struct kcs_ingress *in,
		     struct kcs_err *err)
{
	struct ingress_file_hdr h = { { 'K', 'C', 'S', 'I' }, in->kind,
				      (uint32_t)in->rules.len,
				      (uint32_t)in->except.len };
	char path[4096], tmp[4200], dir[4096];
	FILE *f;

	if (state_path(name, path, sizeof(path)))
		return kcs_err_set(err, KCS_EXIT_FAILED, "state path too long");
	if (in->kind == KCS_NET_NONE) {
		if (unlink(path) && errno != ENOENT)
			return kcs_err_set(err, KCS_EXIT_FAILED, "%s: %s", path,
					   strerror(errno));
		return 0;
	}
	snprintf(dir, sizeof(dir), "%s", kcs_state_dir());
	mkdir(dir, 0700);
	snprintf(dir, sizeof(dir), "%s/ingress", kcs_state_dir());
	if (mkdir(dir, 0700) && errno != EEXIST)
		return kcs_err_set(err, KCS_EXIT_FAILED, "%s: %s", dir,
				   strerror(errno));
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	f = fopen(tmp, "w");
	if (!f)
		return kcs_err_set(err, KCS_EXIT_FAILED, "%s: %s", tmp,
				   strerror(errno));
	if (fwrite(&h, sizeof(h), 1, f) != 1 ||
	    (in->rules.len && fwrite(in->rules.data, in->rules.len, 1, f) != 1) ||
	    (in->except.len && fwrite(in->except.data, in->except.len, 1, f) != 1) ||
	    fclose(f)) {
		unlink(tmp);
		return kcs_err_set(err, KCS_EXIT_FAILED, "%s: write failed", tmp);
	}
	if (rename(tmp, path)) {
		unlink(tmp);
		return kcs_err_set(err, KCS_EXIT_FAILED, "%s: %s", path,
				   strerror(errno));
	}
	return 0;
}

static int read_blob(FILE *f, struct kcs_blob *b, uint32_t len)
{
	if (!len)
		return 0;
	if (len > KCS_DFA_MAX_BYTES)
		return -1;
	b->data = malloc(len);
	if (!b->data || fread(b->data, len, 1, f) != 1)
		return -1;
	b->len = len;
	return 0;
}

int kcs_ingress_load(const char *name, struct kcs_ingress *in,
		     struct kcs_err *err)
{
	struct ingress_file_hdr h;
	struct kcs_netm m;
	const char *why = "";
	char path[4096];
	FILE *f;

	memset(in, 0, sizeof(*in));
	if (state_path(name, path, sizeof(path)))
		return kcs_err_set(err, KCS_EXIT_FAILED, "state path too long");
	f = fopen(path, "r");
	if (!f)
		return errno == ENOENT ? 0 :
		       kcs_err_set(err, KCS_EXIT_FAILED, "%s: %s", path,
				   strerror(errno));
	if (fread(&h, sizeof(h), 1, f) != 1 || memcmp(h.magic, "KCSI", 4) ||
	    (h.kind != KCS_NET_BLOCK && h.kind != KCS_NET_ALLOW) ||
	    read_blob(f, &in->rules, h.rules_len) ||
	    read_blob(f, &in->except, h.except_len) || fgetc(f) != EOF) {
		fclose(f);
		kcs_ingress_free(in);
		return kcs_err_set(err, KCS_EXIT_FAILED,
				   "%s: not a kcs ingress state file", path);
	}
	fclose(f);
	in->kind = h.kind;
	/* Verified like the kernel verifies its blobs: it is a file. */
	if (kcs_netm_verify(in->rules.data, in->rules.len, &m, &why) ||
	    (in->except.len &&
	     kcs_netm_verify(in->except.data, in->except.len, &m, &why))) {
		kcs_ingress_free(in);
		return kcs_err_set(err, KCS_EXIT_FAILED, "%s: %s", path, why);
	}
	return 0;
}

void kcs_ingress_free(struct kcs_ingress *in)
{
	kcs_blob_free(&in->rules);
	kcs_blob_free(&in->except);
	in->kind = KCS_NET_NONE;
}

/* ---- building the batch ---- */

struct batch {
	char *buf;
	size_t cap;
	struct mnl_nlmsg_batch *b;
	uint32_t seq;
	unsigned int nacks;	/* messages that will be acked */
	int oom;
};

static struct nlmsghdr *msg_begin(struct batch *bt, uint16_t type,
				  uint16_t family, uint16_t flags)
{
	bt->nacks++;
	return nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(bt->b), type,
				     family, flags | NLM_F_ACK, bt->seq++);
}

static void msg_end(struct batch *bt)
{
	if (!mnl_nlmsg_batch_next(bt->b))
		bt->oom = 1;	/* sized generously: should not happen */
}

static void add_expr(struct nftnl_rule *r, struct nftnl_expr *e)
{
	nftnl_rule_add_expr(r, e);
}

static void e_meta(struct nftnl_rule *r, uint32_t key, uint32_t reg)
{
	struct nftnl_expr *e = nftnl_expr_alloc("meta");

	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, reg);
	add_expr(r, e);
}

static void e_cmp(struct nftnl_rule *r, uint32_t reg, uint32_t op,
		  const void *data, uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("cmp");

	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, reg);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, op);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
	add_expr(r, e);
}

static void e_payload(struct nftnl_rule *r, uint32_t base, uint32_t off,
		      uint32_t len, uint32_t reg)
{
	struct nftnl_expr *e = nftnl_expr_alloc("payload");

	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, reg);
	add_expr(r, e);
}

/* meta nfproto F meta l4proto P ct state new */
static void e_match(struct nftnl_rule *r, int v6, uint8_t l4, int nfproto)
{
	uint8_t fam = v6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
	uint32_t mask = NFT_CT_NEW_BIT, zero = 0;
	struct nftnl_expr *e;

	if (nfproto) {
		e_meta(r, NFT_META_NFPROTO, NFT_REG_1);
		e_cmp(r, NFT_REG_1, NFT_CMP_EQ, &fam, 1);
	}
	e_meta(r, NFT_META_L4PROTO, NFT_REG_1);
	e_cmp(r, NFT_REG_1, NFT_CMP_EQ, &l4, 1);
	e = nftnl_expr_alloc("ct");
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, NFT_CT_STATE);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_DREG, NFT_REG_1);
	add_expr(r, e);
	e = nftnl_expr_alloc("bitwise");
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, 4);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, &mask, 4);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, &zero, 4);
	add_expr(r, e);
	e_cmp(r, NFT_REG_1, NFT_CMP_NEQ, &zero, 4);
}

/* ip saddr . th dport @set */
static void e_lookup(struct nftnl_rule *r, int v6, const char *set,
		     uint32_t set_id)
{
	struct nftnl_expr *e;

	e_payload(r, NFT_PAYLOAD_NETWORK_HEADER, v6 ? 8 : 12, v6 ? 16 : 4,
		  NFT_REG32_00);
	e_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2,
		  v6 ? NFT_REG32_04 : NFT_REG32_01);
	e = nftnl_expr_alloc("lookup");
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, NFT_REG32_00);
	nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, set);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SET_ID, set_id);
	add_expr(r, e);
}

static void e_verdict(struct nftnl_rule *r, int verdict, int enforce)
{
	struct nftnl_expr *e;

	if (verdict == NF_DROP) {
		add_expr(r, nftnl_expr_alloc("counter"));
		if (!enforce) {	/* audit: log, and let it through */
			e = nftnl_expr_alloc("log");
			nftnl_expr_set_u16(e, NFTNL_EXPR_LOG_GROUP, KCS_NFLOG_GROUP);
			nftnl_expr_set_str(e, NFTNL_EXPR_LOG_PREFIX, "kcs-ingress-audit ");
			add_expr(r, e);
			return;
		}
	}
	e = nftnl_expr_alloc("immediate");
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, verdict);
	add_expr(r, e);
}

static void put_rule(struct batch *bt, struct nftnl_rule *r)
{
	struct nlmsghdr *nlh;

	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, KCS_NFT_TABLE);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, "input");
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, NFPROTO_INET);
	nlh = msg_begin(bt, NFT_MSG_NEWRULE, NFPROTO_INET,
			NLM_F_APPEND | NLM_F_CREATE);
	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	msg_end(bt);
}

/* Key of one element end: address (network order) . port (padded to 4). */
static void elem_key(uint8_t *k, int v6, const uint32_t *w, uint16_t port)
{
	int i, n = v6 ? 4 : 1;

	for (i = 0; i < n; i++) {
		uint32_t be = htonl(w[v6 ? i : 3]);

		memcpy(k + 4 * i, &be, 4);
	}
	memset(k + 4 * n, 0, 4);
	k[4 * n] = (uint8_t)(port >> 8);
	k[4 * n + 1] = (uint8_t)port;
}

static struct nftnl_set *new_set(const char *name, uint32_t id)
{
	struct nftnl_set *s = nftnl_set_alloc();

	nftnl_set_set_str(s, NFTNL_SET_TABLE, KCS_NFT_TABLE);
	nftnl_set_set_str(s, NFTNL_SET_NAME, name);
	nftnl_set_set_u32(s, NFTNL_SET_ID, id);
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, NFPROTO_INET);
	return s;
}

/* The set @name (@v6, protocol @proto) holding @m's elements. */
static void put_set(struct batch *bt, const char *name, int v6,
		    uint32_t proto, uint32_t id, const struct kcs_netm *m)
{
	uint8_t fl[2] = { v6 ? 16 : 4, 2 };
	uint32_t klen = v6 ? 20 : 8, i, n = v6 ? m->n6 : m->n4, k, nel = 0;
	struct nftnl_set *s = new_set(name, id);
	struct nlmsghdr *nlh;

	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, klen);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE,
			  (v6 ? NFT_TYPE_IP6ADDR : NFT_TYPE_IPADDR) << 6 |
			  NFT_TYPE_INET_SERVICE);
	nftnl_set_set_u32(s, NFTNL_SET_FLAGS, NFT_SET_INTERVAL | NFT_SET_CONCAT);
	nftnl_set_set_data(s, NFTNL_SET_DESC_CONCAT, fl, sizeof(fl));
	nlh = msg_begin(bt, NFT_MSG_NEWSET, NFPROTO_INET, NLM_F_CREATE);
	nftnl_set_nlmsg_build_payload(nlh, s);
	nftnl_set_free(s);
	msg_end(bt);

	s = NULL;
	for (i = 0; i < n; i++) {
		uint32_t lo4[4] = { 0, 0, 0, v6 ? 0 : m->v4[i].lo };
		uint32_t hi4[4] = { 0, 0, 0, v6 ? 0 : m->v4[i].hi };
		const uint32_t *lo = v6 ? m->v6[i].lo : lo4;
		const uint32_t *hi = v6 ? m->v6[i].hi : hi4;
		uint32_t first = v6 ? m->v6[i].first : m->v4[i].first;
		uint32_t count = v6 ? m->v6[i].count : m->v4[i].count;

		for (k = first; k < first + count; k++) {
			const struct kcs_net_port *p = &m->ports[k];
			uint32_t rule = proto == KCS_NET_PROTO_TCP ?
					p->rule_tcp : p->rule_udp;
			uint8_t a[20], b[20];
			struct nftnl_set_elem *e;

			if (rule == KCS_NET_NO_RULE)
				continue;
			if (!s)
				s = new_set(name, id);
			elem_key(a, v6, lo, p->lo);
			elem_key(b, v6, hi, p->hi);
			e = nftnl_set_elem_alloc();
			nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, a, klen);
			nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY_END, b, klen);
			nftnl_set_elem_add(s, e);
			if (++nel == ELEMS_PER_MSG) {
				nlh = msg_begin(bt, NFT_MSG_NEWSETELEM,
						NFPROTO_INET, NLM_F_CREATE);
				nftnl_set_elems_nlmsg_build_payload(nlh, s);
				nftnl_set_free(s);
				msg_end(bt);
				s = NULL;
				nel = 0;
			}
		}
	}
	if (s) {
		nlh = msg_begin(bt, NFT_MSG_NEWSETELEM, NFPROTO_INET,
				NLM_F_CREATE);
		nftnl_set_elems_nlmsg_build_payload(nlh, s);
		nftnl_set_free(s);
		msg_end(bt);
	}
}

static const char *const fam_name[2] = { "v4", "v6" };
static const char *const proto_name[2] = { "tcp", "udp" };

/* Sets and rules of one kind ("block", "except", "allow") for every family
 * and protocol; @verdict is what a hit does. */
static void put_kind(struct batch *bt, const char *kind,
		     const struct kcs_netm *m, uint32_t *next_id, int verdict,
		     int enforce)
{
	int v6, pi;

	for (v6 = 0; v6 < 2; v6++)
		for (pi = 0; pi < 2; pi++) {
			uint32_t proto = pi ? KCS_NET_PROTO_UDP : KCS_NET_PROTO_TCP;
			uint32_t id = (*next_id)++;
			struct nftnl_rule *r = nftnl_rule_alloc();
			char name[32];

			snprintf(name, sizeof(name), "%s_%s_%s", kind,
				 fam_name[v6], proto_name[pi]);
			put_set(bt, name, v6, proto, id, m);
			e_match(r, v6, pi ? IPPROTO_UDP : IPPROTO_TCP, 1);
			e_lookup(r, v6, name, id);
			e_verdict(r, verdict, enforce);
			put_rule(bt, r);
		}
}

static size_t batch_estimate(const struct kcs_ingress *in)
{
	size_t n = 0;
	const struct kcs_blob *b[2] = { &in->rules, &in->except };
	int i;

	for (i = 0; i < 2; i++)
		if (b[i]->len)
			n += ((const struct kcs_net_hdr *)b[i]->data)->nports;
	/* Per element: two keys, attributes; per message: headers. */
	return 65536 + n * 2 * 160;
}

static int build(struct batch *bt, const struct kcs_ingress *in, int enforce)
{
	struct nftnl_table *t;
	struct nftnl_chain *c;
	struct nlmsghdr *nlh;
	struct kcs_netm m;
	const char *why;
	uint32_t id = 1;

	bt->cap = in ? batch_estimate(in) : 65536;
	bt->buf = malloc(bt->cap);
	if (!bt->buf)
		return -1;
	bt->b = mnl_nlmsg_batch_start(bt->buf, bt->cap);
	bt->seq = (uint32_t)time(NULL);
	nftnl_batch_begin(mnl_nlmsg_batch_current(bt->b), bt->seq++);
	mnl_nlmsg_batch_next(bt->b);

	/* Create-if-absent then delete: the old table goes, whatever it had. */
	t = nftnl_table_alloc();
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, KCS_NFT_TABLE);
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, NFPROTO_INET);
	nlh = msg_begin(bt, NFT_MSG_NEWTABLE, NFPROTO_INET, NLM_F_CREATE);
	nftnl_table_nlmsg_build_payload(nlh, t);
	msg_end(bt);
	nlh = msg_begin(bt, NFT_MSG_DELTABLE, NFPROTO_INET, 0);
	nftnl_table_nlmsg_build_payload(nlh, t);
	msg_end(bt);

	if (in && in->kind != KCS_NET_NONE) {
		nlh = msg_begin(bt, NFT_MSG_NEWTABLE, NFPROTO_INET, NLM_F_CREATE);
		nftnl_table_nlmsg_build_payload(nlh, t);
		msg_end(bt);
		c = nftnl_chain_alloc();
		nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, KCS_NFT_TABLE);
		nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, "input");
		nftnl_chain_set_u32(c, NFTNL_CHAIN_FAMILY, NFPROTO_INET);
		nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "filter");
		nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, NF_INET_LOCAL_IN);
		nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, 0);
		nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
		nlh = msg_begin(bt, NFT_MSG_NEWCHAIN, NFPROTO_INET, NLM_F_CREATE);
		nftnl_chain_nlmsg_build_payload(nlh, c);
		nftnl_chain_free(c);
		msg_end(bt);
		if (in->kind == KCS_NET_BLOCK) {
			if (in->except.len &&
			    !kcs_netm_verify(in->except.data, in->except.len, &m, &why))
				put_kind(bt, "except", &m, &id, NF_ACCEPT, enforce);
			if (kcs_netm_verify(in->rules.data, in->rules.len, &m, &why))
				goto bad;
			put_kind(bt, "block", &m, &id, NF_DROP, enforce);
		} else {
			int pi;

			if (kcs_netm_verify(in->rules.data, in->rules.len, &m, &why))
				goto bad;
			put_kind(bt, "allow", &m, &id, NF_ACCEPT, enforce);
			/* Every other new TCP/UDP connection; ICMP, ND untouched. */
			for (pi = 0; pi < 2; pi++) {
				struct nftnl_rule *r = nftnl_rule_alloc();

				e_match(r, 0, pi ? IPPROTO_UDP : IPPROTO_TCP, 0);
				e_verdict(r, NF_DROP, enforce);
				put_rule(bt, r);
			}
		}
	}
	nftnl_table_free(t);
	nftnl_batch_end(mnl_nlmsg_batch_current(bt->b), bt->seq++);
	mnl_nlmsg_batch_next(bt->b);
	return bt->oom ? -1 : 0;
bad:
	nftnl_table_free(t);
	return -1;
}

/* A netfilter netlink socket in @netns; the caller's namespace is kept. */
static struct mnl_socket *open_in_netns(const char *netns, struct kcs_err *err)
{
	struct mnl_socket *nl = NULL;
	int self, target, saved;

	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	target = open(netns, O_RDONLY | O_CLOEXEC);
	if (self < 0 || target < 0) {
		kcs_err_set(err, errno == ENOENT ? KCS_EXIT_NOTFOUND : KCS_EXIT_FAILED,
			    "--netns %s: %s", netns, strerror(errno));
		goto out;
	}
	if (setns(target, CLONE_NEWNET)) {
		kcs_err_set(err, errno == EPERM ? KCS_EXIT_PERM : KCS_EXIT_FAILED,
			    "--netns %s: cannot enter: %s", netns, strerror(errno));
		goto out;
	}
	nl = mnl_socket_open(NETLINK_NETFILTER);
	saved = errno;
	if (setns(self, CLONE_NEWNET)) {
		/* Cannot go back: anything else we do would be in the wrong
		 * namespace. */
		kcs_err_set(err, KCS_EXIT_FAILED, "cannot return to the original network namespace: %s",
			    strerror(errno));
		if (nl)
			mnl_socket_close(nl);
		nl = NULL;
		goto out;
	}
	if (!nl)
		kcs_err_set(err, KCS_EXIT_FAILED, "netfilter netlink socket: %s",
			    strerror(saved));
out:
	if (self >= 0)
		close(self);
	if (target >= 0)
		close(target);
	return nl;
}

static int send_batch(struct mnl_socket *nl, struct batch *bt,
		      struct kcs_err *err)
{
	size_t len = mnl_nlmsg_batch_size(bt->b);
	char rbuf[MNL_SOCKET_BUFFER_SIZE];
	struct timeval tv = { .tv_sec = 10 };
	int sz = (int)len + 65536;
	unsigned int acked = 0;

	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_SNDBUFFORCE, &sz,
		   sizeof(sz));
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv,
		   sizeof(tv));
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_sendto(nl, mnl_nlmsg_batch_head(bt->b), len) < 0)
		return kcs_err_set(err, KCS_EXIT_FAILED, "nftables: sending: %s",
				   strerror(errno));
	while (acked < bt->nacks) {
		ssize_t n = mnl_socket_recvfrom(nl, rbuf, sizeof(rbuf));
		const struct nlmsghdr *h = (const void *)rbuf;
		int left = (int)n;

		if (n < 0)
			return kcs_err_set(err, KCS_EXIT_FAILED,
					   "nftables: waiting for the kernel: %s",
					   strerror(errno));
		for (; mnl_nlmsg_ok(h, left); h = mnl_nlmsg_next(h, &left)) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);

			if (h->nlmsg_type != NLMSG_ERROR)
				continue;
			if (e->error)
				return kcs_err_set(err, KCS_EXIT_FAILED,
						   "nftables: the kernel refused the ruleset: %s (are nf_tables, nft_ct and nfnetlink_log available?)",
						   strerror(-e->error));
			acked++;
		}
	}
	return 0;
}

int kcs_nft_apply(const char *netns, const struct kcs_ingress *in,
		  int enforce, struct kcs_err *err)
{
	struct batch bt = { 0 };
	struct mnl_socket *nl;
	int ret = -1;

	if (build(&bt, in, enforce)) {
		kcs_err_set(err, KCS_EXIT_FAILED,
			    "nftables: cannot build the ruleset (out of memory or a bad rule blob)");
		goto out;
	}
	nl = open_in_netns(netns, err);
	if (!nl)
		goto out;
	ret = send_batch(nl, &bt, err);
	mnl_socket_close(nl);
out:
	free(bt.buf);
	return ret;
}
