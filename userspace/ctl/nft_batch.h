/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One nftables transaction built with libnftnl: messages appended to a
 * batch (begin ... end), the expressions kcs's rules are made of, and the
 * batch sent through a NETLINK_NETFILTER socket made inside a network
 * namespace, waiting for every ack. Shared by the ingress table (nft.c)
 * and the DNS queue table (dns_nft.c).
 */
#ifndef KCS_NFT_BATCH_H
#define KCS_NFT_BATCH_H

#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>

#include "err.h"

struct nftb {
	const char *table;		/* the table rules and chains go to */
	const char *what, *hint;	/* for messages */
	uint32_t next_id;		/* set ids within the batch */
	char *buf;
	size_t cap;
	struct mnl_nlmsg_batch *b;
	uint32_t seq;
	unsigned int nacks;	/* messages that will be acked */
	int oom;
};

/* Start a batch of @cap bytes for table @bt->table: 0, or -1 (no memory). */
int nftb_batch_start(struct nftb *bt, size_t cap);
/* Close it: 0, or -1 when it overflowed. */
int nftb_batch_end(struct nftb *bt);
void nftb_batch_free(struct nftb *bt);

/* A message of @type (acked), to be filled, then nftb_msg_end(). */
struct nlmsghdr *nftb_msg_begin(struct nftb *bt, uint16_t type,
				uint16_t family, uint16_t flags);
void nftb_msg_end(struct nftb *bt);

void nftb_add_expr(struct nftnl_rule *r, struct nftnl_expr *e);
/* meta @key into @reg */
void nftb_expr_meta(struct nftnl_rule *r, uint32_t key, uint32_t reg);
/* compare @reg with @data */
void nftb_expr_cmp(struct nftnl_rule *r, uint32_t reg, uint32_t op,
		   const void *data, uint32_t len);
/* @len bytes at @off of header @base into @reg */
void nftb_expr_payload(struct nftnl_rule *r, uint32_t base, uint32_t off,
		       uint32_t len, uint32_t reg);
/* ct state & @mask (NF_CT_STATE_BIT()s) != 0, through register 1 */
void nftb_expr_ct_state(struct nftnl_rule *r, uint32_t mask);
/* A verdict: accept, drop, or jump to @chain. */
void nftb_expr_verdict(struct nftnl_rule *r, int verdict, const char *chain);

/* Append rule @r (freed) to @chain of the batch's table (inet). */
void nftb_put_rule(struct nftb *bt, struct nftnl_rule *r, const char *chain);
/* Chain @name; @base: a filter chain on the input hook at @prio, policy
 * accept. */
void nftb_put_chain(struct nftb *bt, const char *name, int base, int prio);

/* Send the batch in namespace @nsfd (@path in messages) and wait for
 * every ack: 0, or -1 with @err naming @bt->what (and @bt->hint). */
int nftb_run(int nsfd, const char *path, struct nftb *bt, struct kcs_err *err);

#endif /* KCS_NFT_BATCH_H */
