// SPDX-License-Identifier: GPL-2.0
/* The DNS queue table (dns_nft.h), one atomic nftables batch. */
#include <arpa/inet.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/table.h>

#include "dns_nft.h"
#include "nft_batch.h"

#define CT_ESTABLISHED_BIT	2	/* NF_CT_STATE_BIT(IP_CT_ESTABLISHED) */

/* meta iiftype != loopback meta l4proto @l4 th sport 53 ct state
 * established queue num @num */
static void put_queue_rule(struct nftb *bt, uint8_t l4, uint16_t num)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	uint16_t lo = ARPHRD_LOOPBACK, port = htons(53);
	struct nftnl_expr *e;

	nftb_expr_meta(r, NFT_META_IIFTYPE, NFT_REG_1);
	nftb_expr_cmp(r, NFT_REG_1, NFT_CMP_NEQ, &lo, sizeof(lo));
	nftb_expr_meta(r, NFT_META_L4PROTO, NFT_REG_1);
	nftb_expr_cmp(r, NFT_REG_1, NFT_CMP_EQ, &l4, 1);
	nftb_expr_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 2, NFT_REG_1);
	nftb_expr_cmp(r, NFT_REG_1, NFT_CMP_EQ, &port, 2);
	nftb_expr_ct_state(r, CT_ESTABLISHED_BIT);
	e = nftnl_expr_alloc("queue");
	nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_NUM, num);
	nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_TOTAL, 1);
	nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_FLAGS, 0);
	nftb_add_expr(r, e);
	nftb_put_rule(bt, r, "input");
}

int kcs_dns_nft_apply(int nsfd, const char *path, uint16_t num, int on,
		      struct kcs_err *err)
{
	struct nftb bt = {
		.table = KCS_DNS_NFT_TABLE,
		.what = "DNS queue table",
		.hint = " (are nf_tables, nft_ct and nft_queue available?)",
	};
	struct nftnl_table *tb;
	struct nlmsghdr *nlh;
	int ret = -1;

	if (nftb_batch_start(&bt, 16384))
		return kcs_err_set(err, KCS_EXIT_FAILED, "nftables: out of memory");
	/* Create-if-absent then delete: whatever was there goes. */
	tb = nftnl_table_alloc();
	nftnl_table_set_str(tb, NFTNL_TABLE_NAME, KCS_DNS_NFT_TABLE);
	nftnl_table_set_u32(tb, NFTNL_TABLE_FAMILY, NFPROTO_INET);
	nlh = nftb_msg_begin(&bt, NFT_MSG_NEWTABLE, NFPROTO_INET, NLM_F_CREATE);
	nftnl_table_nlmsg_build_payload(nlh, tb);
	nftb_msg_end(&bt);
	nlh = nftb_msg_begin(&bt, NFT_MSG_DELTABLE, NFPROTO_INET, 0);
	nftnl_table_nlmsg_build_payload(nlh, tb);
	nftb_msg_end(&bt);
	if (on) {
		nlh = nftb_msg_begin(&bt, NFT_MSG_NEWTABLE, NFPROTO_INET,
				     NLM_F_CREATE);
		nftnl_table_nlmsg_build_payload(nlh, tb);
		nftb_msg_end(&bt);
		nftb_put_chain(&bt, "input", 1, 100);
		put_queue_rule(&bt, IPPROTO_UDP, num);
		put_queue_rule(&bt, IPPROTO_TCP, num);
	}
	nftnl_table_free(tb);
	if (nftb_batch_end(&bt))
		kcs_err_set(err, KCS_EXIT_FAILED, "nftables: the batch overflowed");
	else
		ret = nftb_run(nsfd, path, &bt, err);
	nftb_batch_free(&bt);
	return ret;
}
