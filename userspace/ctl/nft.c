// SPDX-License-Identifier: GPL-2.0
/*
 * Ingress through nftables (libmnl + libnftnl), see nft.h.
 *
 * The table, in the container's network namespace:
 *
 *   table inet kcs {
 *     set <kind>_v4_tcp { type ipv4_addr . inet_service; flags interval; }
 *     ... (v4/v6 x tcp/udp, kind block/except/allow)
 *     set fqdn_<kind>_v4_tcp { ...; flags interval,timeout; }
 *     ... (only for kinds with FQDN rules)
 *     chain input { type filter hook input priority filter; policy accept;
 *       ct state new ip saddr . tcp dport @except_v4_tcp accept
 *       ...
 *       ct state new ip saddr . tcp dport @block_v4_tcp counter jump deny
 *       ...
 *     }
 *     chain deny {                       (audit: chain audit, no drop)
 *       limit rate 100/second burst 100 packets
 *         log prefix "kcs-ingress enforce block ..." group 1714 snaplen 256
 *       drop
 *     }
 *   }
 *
 * Elements come from the compiled rule blob: every (address interval,
 * port range) pair whose rule covers the protocol is one concatenated
 * interval element, and those are disjoint by construction. FQDN
 * elements come from ingress_fqdn.c, each with a timeout.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

#include "ingress_fqdn.h"
#include "netm.h"
#include "netns.h"
#include "nft.h"
#include "nft_batch.h"

/* nftables' datatype numbers (concatenation: type1 << 6 | type2). */
#define NFT_TYPE_IPADDR		7
#define NFT_TYPE_IP6ADDR	8
#define NFT_TYPE_INET_SERVICE	13
#define NFT_CT_NEW_BIT		8	/* NF_CT_STATE_BIT(IP_CT_NEW) */
#define ELEMS_PER_MSG		256

/* ---- building the batch ---- */







/* meta nfproto F meta l4proto P ct state new */
static void e_match(struct nftnl_rule *r, int v6, uint8_t l4, int nfproto)
{
	uint8_t fam = v6 ? NFPROTO_IPV6 : NFPROTO_IPV4;

	if (nfproto) {
		nftb_expr_meta(r, NFT_META_NFPROTO, NFT_REG_1);
		nftb_expr_cmp(r, NFT_REG_1, NFT_CMP_EQ, &fam, 1);
	}
	nftb_expr_meta(r, NFT_META_L4PROTO, NFT_REG_1);
	nftb_expr_cmp(r, NFT_REG_1, NFT_CMP_EQ, &l4, 1);
	nftb_expr_ct_state(r, NFT_CT_NEW_BIT);
}

/* ip saddr . th dport @set */
static void e_lookup(struct nftnl_rule *r, int v6, const char *set,
		     uint32_t set_id)
{
	struct nftnl_expr *e;

	nftb_expr_payload(r, NFT_PAYLOAD_NETWORK_HEADER, v6 ? 8 : 12, v6 ? 16 : 4,
		  NFT_REG32_00);
	nftb_expr_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2,
		  v6 ? NFT_REG32_04 : NFT_REG32_01);
	e = nftnl_expr_alloc("lookup");
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, NFT_REG32_00);
	nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, set);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SET_ID, set_id);
	nftb_add_expr(r, e);
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
	if (id)
		nftnl_set_set_u32(s, NFTNL_SET_ID, id);
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, NFPROTO_INET);
	return s;
}

/* Elements are sent ELEMS_PER_MSG per message (into set @name). */
struct elems {
	struct nftb *bt;
	const char *name;
	uint32_t id, klen;
	struct nftnl_set *s;
	uint32_t n;
};

static void elems_flush(struct elems *el)
{
	struct nlmsghdr *nlh;

	if (!el->s)
		return;
	nlh = nftb_msg_begin(el->bt, NFT_MSG_NEWSETELEM, NFPROTO_INET, NLM_F_CREATE);
	nftnl_set_elems_nlmsg_build_payload(nlh, el->s);
	nftnl_set_free(el->s);
	nftb_msg_end(el->bt);
	el->s = NULL;
	el->n = 0;
}

/* Add (@a .. @b) to the set, with @timeout_ms unless 0. */
static void elems_add(struct elems *el, const uint8_t *a, const uint8_t *b,
		      uint64_t timeout_ms)
{
	struct nftnl_set_elem *e = nftnl_set_elem_alloc();

	if (!el->s)
		el->s = new_set(el->name, el->id);
	nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, a, el->klen);
	nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY_END, b, el->klen);
	if (timeout_ms)
		nftnl_set_elem_set_u64(e, NFTNL_SET_ELEM_TIMEOUT, timeout_ms);
	nftnl_set_elem_add(el->s, e);
	if (++el->n == ELEMS_PER_MSG)
		elems_flush(el);
}

/* Create set @name for family @v6; @timeout: its elements time out. */
static void put_set_decl(struct nftb *bt, const char *name, int v6,
			 uint32_t id, int timeout)
{
	uint8_t fl[2] = { v6 ? 16 : 4, 2 };
	struct nftnl_set *s = new_set(name, id);
	struct nlmsghdr *nlh;

	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, v6 ? 20 : 8);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE,
			  (v6 ? NFT_TYPE_IP6ADDR : NFT_TYPE_IPADDR) << 6 |
			  NFT_TYPE_INET_SERVICE);
	nftnl_set_set_u32(s, NFTNL_SET_FLAGS, NFT_SET_INTERVAL | NFT_SET_CONCAT |
			  (timeout ? NFT_SET_TIMEOUT : 0));
	nftnl_set_set_data(s, NFTNL_SET_DESC_CONCAT, fl, sizeof(fl));
	nlh = nftb_msg_begin(bt, NFT_MSG_NEWSET, NFPROTO_INET, NLM_F_CREATE);
	nftnl_set_nlmsg_build_payload(nlh, s);
	nftnl_set_free(s);
	nftb_msg_end(bt);
}

/* The elements of the compiled set @m for @v6 and @proto. */
static void put_blob_elems(struct elems *el, int v6, uint32_t proto,
			   const struct kcs_netm *m)
{
	uint32_t i, k, n = v6 ? m->n6 : m->n4;

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

			if (rule == KCS_NET_NO_RULE)
				continue;
			elem_key(a, v6, lo, p->lo);
			elem_key(b, v6, hi, p->hi);
			elems_add(el, a, b, 0);
		}
	}
}

/* FQDN elements of rule set @set for @v6 and @proto, timing out. */
static int put_fqdn_elems(struct elems *el, const struct kcs_ingress *in,
			  uint32_t set, int v6, uint32_t proto,
			  uint64_t now_ms)
{
	struct kcs_fqdn_elem *v;
	ssize_t n = kcs_fqdn_elems(in, set, v6, proto, now_ms, &v), i;

	if (n < 0)
		return -1;
	for (i = 0; i < n; i++) {
		uint8_t a[20], b[20];

		elem_key(a, v6, v[i].w, v[i].lo);
		elem_key(b, v6, v[i].w, v[i].hi);
		elems_add(el, a, b, v[i].expires_ms - now_ms);
	}
	free(v);
	return (int)n;
}

static const char *const fam_name[2] = { "v4", "v6" };
static const char *const proto_name[2] = { "tcp", "udp" };
static const char *const kind_name[2][2] = {
	{ "block", "except" }, { "allow", "allow" },	/* [allow mode][set] */
};

static void set_name(char *buf, size_t len, int fqdn, const char *kind,
		     int v6, int pi)
{
	snprintf(buf, len, "%s%s_%s_%s", fqdn ? "fqdn_" : "", kind,
		 fam_name[v6], proto_name[pi]);
}

/*
 * Sets and rules of one kind for every family and protocol: the CIDR sets
 * of @m (NULL: none), or with @fqdn the timed FQDN sets of rule set @set.
 * A hit accepts (@deny_chain NULL) or counts and jumps to @deny_chain.
 */
static int put_kind(struct nftb *bt, const char *kind, const struct kcs_netm *m,
		    const struct kcs_ingress *in, int fqdn, uint32_t set,
		    uint64_t now_ms, const char *deny_chain)
{
	int v6, pi;

	for (v6 = 0; v6 < 2; v6++)
		for (pi = 0; pi < 2; pi++) {
			uint32_t proto = pi ? KCS_NET_PROTO_UDP : KCS_NET_PROTO_TCP;
			struct elems el = { .bt = bt, .id = bt->next_id++,
					    .klen = v6 ? 20 : 8 };
			struct nftnl_rule *r;
			char name[40];

			set_name(name, sizeof(name), fqdn, kind, v6, pi);
			el.name = name;
			put_set_decl(bt, name, v6, el.id, fqdn);
			if (fqdn) {
				if (put_fqdn_elems(&el, in, set, v6, proto, now_ms) < 0)
					return -1;
			} else {
				put_blob_elems(&el, v6, proto, m);
			}
			elems_flush(&el);
			r = nftnl_rule_alloc();
			e_match(r, v6, pi ? IPPROTO_UDP : IPPROTO_TCP, 1);
			e_lookup(r, v6, name, el.id);
			if (deny_chain) {
				nftb_add_expr(r, nftnl_expr_alloc("counter"));
				nftb_expr_verdict(r, NFT_JUMP, deny_chain);
			} else {
				nftb_expr_verdict(r, NF_ACCEPT, NULL);
			}
			nftb_put_rule(bt, r, "input");
		}
	return 0;
}


/*
 * The chain every denial jumps to: a rate-limited log (one budget for the
 * whole namespace, so a flood costs little), then drop in enforce mode.
 * Audit falls off the end and returns: the packet goes on to "accept".
 */
static void put_deny_chain(struct nftb *bt, const char *name,
			   const char *prefix, int enforce)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nftnl_expr *e;

	nftb_put_chain(bt, name, 0, 0);
	e = nftnl_expr_alloc("limit");
	nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_RATE, KCS_NFT_LOG_RATE);
	nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_UNIT, 1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_BURST, KCS_NFT_LOG_BURST);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_TYPE, NFT_LIMIT_PKTS);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_FLAGS, 0);
	nftb_add_expr(r, e);
	e = nftnl_expr_alloc("log");
	nftnl_expr_set_u16(e, NFTNL_EXPR_LOG_GROUP, KCS_NFLOG_GROUP);
	nftnl_expr_set_str(e, NFTNL_EXPR_LOG_PREFIX, prefix);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOG_SNAPLEN, KCS_NFLOG_SNAPLEN);
	nftb_add_expr(r, e);
	nftb_put_rule(bt, r, name);
	if (enforce) {
		r = nftnl_rule_alloc();
		nftb_expr_verdict(r, NF_DROP, NULL);
		nftb_put_rule(bt, r, name);
	}
}

static size_t batch_estimate(const struct kcs_ingress *in)
{
	size_t n = 0, i;
	const struct kcs_blob *b[2] = { &in->rules, &in->except };

	for (i = 0; i < 2; i++)
		if (b[i]->len)
			n += ((const struct kcs_net_hdr *)b[i]->data)->nports;
	/* FQDN: at most one element per port range, address and protocol. */
	for (i = 0; i < in->nfqdn; i++)
		n += (size_t)in->fqdn[i].naddrs *
		     (in->fqdn[i].nports ? 2 * in->fqdn[i].nports + 1 : 1) * 2;
	/* Per element: two keys, attributes; per message: headers. */
	return 65536 + n * 2 * 160;
}




static int build(struct nftb *bt, const struct kcs_ingress *in,
		 const struct kcs_nflog_tag *tag, uint64_t now_ms)
{
	const char *deny = tag && tag->mode == KCS_MODE_ENFORCE ? "deny" : "audit";
	int allow = in && in->kind == KCS_NET_ALLOW, ret = -1;
	char prefix[KCS_NFLOG_PREFIX_MAX];
	struct kcs_nflog_tag t;
	struct nftnl_table *tb;
	struct nlmsghdr *nlh;
	struct kcs_netm m;
	const char *why;

	if (nftb_batch_start(bt, in ? batch_estimate(in) : 65536))
		return -1;
	/* Create-if-absent then delete: the old table goes, whatever it had. */
	tb = nftnl_table_alloc();
	nftnl_table_set_str(tb, NFTNL_TABLE_NAME, KCS_NFT_TABLE);
	nftnl_table_set_u32(tb, NFTNL_TABLE_FAMILY, NFPROTO_INET);
	nlh = nftb_msg_begin(bt, NFT_MSG_NEWTABLE, NFPROTO_INET, NLM_F_CREATE);
	nftnl_table_nlmsg_build_payload(nlh, tb);
	nftb_msg_end(bt);
	nlh = nftb_msg_begin(bt, NFT_MSG_DELTABLE, NFPROTO_INET, 0);
	nftnl_table_nlmsg_build_payload(nlh, tb);
	nftb_msg_end(bt);
	if (!in || in->kind == KCS_NET_NONE)
		goto done;

	t = *tag;
	t.rule_kind = allow ? KCS_RULE_NOT_ALLOWED : KCS_RULE_BLOCK;
	if (kcs_nflog_tag_format(&t, prefix, sizeof(prefix)))
		goto out;
	nlh = nftb_msg_begin(bt, NFT_MSG_NEWTABLE, NFPROTO_INET, NLM_F_CREATE);
	nftnl_table_nlmsg_build_payload(nlh, tb);
	nftb_msg_end(bt);
	nftb_put_chain(bt, "input", 1, 0);
	put_deny_chain(bt, deny, prefix, tag->mode == KCS_MODE_ENFORCE);
	if (!allow) {
		if (in->except.len) {
			if (kcs_netm_verify(in->except.data, in->except.len, &m, &why))
				goto out;
			put_kind(bt, "except", &m, in, 0, 0, now_ms, NULL);
		}
		if (kcs_ingress_has_fqdn(in, KCS_INGRESS_EXCEPT) &&
		    put_kind(bt, "except", NULL, in, 1, KCS_INGRESS_EXCEPT, now_ms,
			     NULL))
			goto out;
	}
	if (kcs_netm_verify(in->rules.data, in->rules.len, &m, &why))
		goto out;
	put_kind(bt, kind_name[allow][0], &m, in, 0, 0, now_ms,
		 allow ? NULL : deny);
	if (kcs_ingress_has_fqdn(in, KCS_INGRESS_RULES) &&
	    put_kind(bt, kind_name[allow][0], NULL, in, 1, KCS_INGRESS_RULES,
		     now_ms, allow ? NULL : deny))
		goto out;
	if (allow) {
		int pi;

		/* Every other new TCP/UDP connection; ICMP, ND untouched. */
		for (pi = 0; pi < 2; pi++) {
			struct nftnl_rule *r = nftnl_rule_alloc();

			e_match(r, 0, pi ? IPPROTO_UDP : IPPROTO_TCP, 0);
			nftb_add_expr(r, nftnl_expr_alloc("counter"));
			nftb_expr_verdict(r, NFT_JUMP, deny);
			nftb_put_rule(bt, r, "input");
		}
	}
done:
	ret = nftb_batch_end(bt);
out:
	nftnl_table_free(tb);
	return ret;
}



int kcs_nft_apply(int nsfd, const char *path, const struct kcs_ingress *in,
		  const struct kcs_nflog_tag *tag, uint64_t now_ms,
		  struct kcs_err *err)
{
	struct nftb bt = {
		.table = KCS_NFT_TABLE,
		.what = "ruleset",
		.hint = " (are nf_tables, nft_ct, nft_limit, nft_log and nfnetlink_log available?)",
	};
	int ret = -1;

	if (build(&bt, in, tag, now_ms)) {
		kcs_err_set(err, KCS_EXIT_FAILED,
			    "nftables: cannot build the ruleset (out of memory, a bad rule blob or log prefix)");
		goto out;
	}
	ret = nftb_run(nsfd, path, &bt, err);
out:
	nftb_batch_free(&bt);
	return ret;
}

int kcs_nft_refresh_fqdn(int nsfd, const char *path,
			 const struct kcs_ingress *table_in,
			 const struct kcs_ingress *in, uint64_t now_ms,
			 struct kcs_err *err)
{
	struct nftb bt = {
		.table = KCS_NFT_TABLE,
		.what = "FQDN element update",
		.hint = " (was the table removed? bind again with kcsadm bind --netns)",
	};
	int allow = in->kind == KCS_NET_ALLOW, v6, pi, n, total = 0, ret = -1;
	uint32_t set;

	if (nftb_batch_start(&bt, batch_estimate(in)))
		goto oom;
	for (set = 0; set < 2; set++) {
		if (!kcs_ingress_has_fqdn(table_in, set))
			continue;
		for (v6 = 0; v6 < 2; v6++)
			for (pi = 0; pi < 2; pi++) {
				struct elems el = { .bt = &bt, .klen = v6 ? 20 : 8 };
				struct nlmsghdr *nlh;
				struct nftnl_set *s;
				char name[40];

				set_name(name, sizeof(name), 1, kind_name[allow][set],
					 v6, pi);
				el.name = name;
				/* No elements: flush the set. */
				s = new_set(name, 0);
				nlh = nftb_msg_begin(&bt, NFT_MSG_DELSETELEM, NFPROTO_INET, 0);
				nftnl_set_elems_nlmsg_build_payload(nlh, s);
				nftnl_set_free(s);
				nftb_msg_end(&bt);
				n = put_fqdn_elems(&el, in, set, v6,
						   pi ? KCS_NET_PROTO_UDP :
						   KCS_NET_PROTO_TCP, now_ms);
				if (n < 0)
					goto oom;
				elems_flush(&el);
				total += n;
			}
	}
	if (nftb_batch_end(&bt))
		goto oom;
	ret = nftb_run(nsfd, path, &bt, err);
	nftb_batch_free(&bt);
	return ret ? -1 : total;
oom:
	kcs_err_set(err, KCS_EXIT_FAILED, "nftables: out of memory");
	nftb_batch_free(&bt);
	return -1;
}
