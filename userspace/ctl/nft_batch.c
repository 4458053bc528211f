// SPDX-License-Identifier: GPL-2.0
/* nftables transactions through libmnl + libnftnl (nft_batch.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>

#include "netns.h"
#include "nft_batch.h"


struct nlmsghdr *nftb_msg_begin(struct nftb *bt, uint16_t type,
				  uint16_t family, uint16_t flags)
{
	bt->nacks++;
	return nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(bt->b), type,
				     family, flags | NLM_F_ACK, bt->seq++);
}

void nftb_msg_end(struct nftb *bt)
{
	if (!mnl_nlmsg_batch_next(bt->b))
		bt->oom = 1;	/* sized generously: should not happen */
}

void nftb_add_expr(struct nftnl_rule *r, struct nftnl_expr *e)
{
	nftnl_rule_add_expr(r, e);
}

void nftb_expr_meta(struct nftnl_rule *r, uint32_t key, uint32_t reg)
{
	struct nftnl_expr *e = nftnl_expr_alloc("meta");

	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, reg);
	nftb_add_expr(r, e);
}

void nftb_expr_cmp(struct nftnl_rule *r, uint32_t reg, uint32_t op,
		  const void *data, uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("cmp");

	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, reg);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, op);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
	nftb_add_expr(r, e);
}

void nftb_expr_payload(struct nftnl_rule *r, uint32_t base, uint32_t off,
		      uint32_t len, uint32_t reg)
{
	struct nftnl_expr *e = nftnl_expr_alloc("payload");

	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, reg);
	nftb_add_expr(r, e);
}

/* A verdict: accept, drop, or jump to @chain. */
void nftb_expr_verdict(struct nftnl_rule *r, int verdict, const char *chain)
{
	struct nftnl_expr *e = nftnl_expr_alloc("immediate");

	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, (uint32_t)verdict);
	if (chain)
		nftnl_expr_set_str(e, NFTNL_EXPR_IMM_CHAIN, chain);
	nftb_add_expr(r, e);
}

void nftb_put_rule(struct nftb *bt, struct nftnl_rule *r, const char *chain)
{
	struct nlmsghdr *nlh;

	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, bt->table);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, NFPROTO_INET);
	nlh = nftb_msg_begin(bt, NFT_MSG_NEWRULE, NFPROTO_INET,
			NLM_F_APPEND | NLM_F_CREATE);
	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	nftb_msg_end(bt);
}

void nftb_put_chain(struct nftb *bt, const char *name, int base, int prio)
{
	struct nftnl_chain *c = nftnl_chain_alloc();
	struct nlmsghdr *nlh;

	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, bt->table);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, name);
	nftnl_chain_set_u32(c, NFTNL_CHAIN_FAMILY, NFPROTO_INET);
	if (base) {
		nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "filter");
		nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, NF_INET_LOCAL_IN);
		nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, prio);
		nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	}
	nlh = nftb_msg_begin(bt, NFT_MSG_NEWCHAIN, NFPROTO_INET, NLM_F_CREATE);
	nftnl_chain_nlmsg_build_payload(nlh, c);
	nftnl_chain_free(c);
	nftb_msg_end(bt);
}

int nftb_batch_start(struct nftb *bt, size_t cap)
{
	bt->cap = cap;
	bt->buf = malloc(bt->cap);
	if (!bt->buf)
		return -1;
	bt->b = mnl_nlmsg_batch_start(bt->buf, bt->cap);
	bt->seq = (uint32_t)time(NULL);
	bt->next_id = 1;
	nftnl_batch_begin(mnl_nlmsg_batch_current(bt->b), bt->seq++);
	mnl_nlmsg_batch_next(bt->b);
	return 0;
}

int nftb_batch_end(struct nftb *bt)
{
	nftnl_batch_end(mnl_nlmsg_batch_current(bt->b), bt->seq++);
	mnl_nlmsg_batch_next(bt->b);
	return bt->oom ? -1 : 0;
}

void nftb_batch_free(struct nftb *bt)
{
	if (bt->b)
		mnl_nlmsg_batch_stop(bt->b);
	free(bt->buf);
}

int nftb_send_batch(struct mnl_socket *nl, struct nftb *bt,
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
	if (mnl_socket_sendto(nl, mnl_nlmsg_batch_head(bt->b), len) < 0)
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
						   "nftables: the kernel refused the %s: %s%s",
						   bt->what, strerror(-e->error),
						   bt->hint ? bt->hint : "");
			acked++;
		}
	}
	return 0;
}

int nftb_run(int nsfd, const char *path, struct nftb *bt,
		     struct kcs_err *err)
{
	struct mnl_socket *nl = kcs_netns_socket(nsfd, path, NETLINK_NETFILTER,
						 err);
	int ret;

	if (!nl)
		return -1;
	ret = nftb_send_batch(nl, bt, err);
	mnl_socket_close(nl);
	return ret;
}

void nftb_expr_ct_state(struct nftnl_rule *r, uint32_t mask)
{
	struct nftnl_expr *e = nftnl_expr_alloc("ct");
	uint32_t zero = 0;

	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, NFT_CT_STATE);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_DREG, NFT_REG_1);
	nftb_add_expr(r, e);
	e = nftnl_expr_alloc("bitwise");
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, 4);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, &mask, 4);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, &zero, 4);
	nftb_add_expr(r, e);
	nftb_expr_cmp(r, NFT_REG_1, NFT_CMP_NEQ, &zero, 4);
}
