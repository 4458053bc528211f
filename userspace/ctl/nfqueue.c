// SPDX-License-Identifier: GPL-2.0
/* nfnetlink_queue listeners in network namespaces (nfqueue.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>

#include "nfnl.h"
#include "nfqueue.h"

#define NFQ_RCVBUF	(4 << 20)
#define NFQ_COPY	65535	/* whole packets: DNS answers reach 64 KiB */

static int attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (mnl_attr_type_valid(a, NFQA_MAX) > 0)
		tb[type] = a;
	return MNL_CB_OK;
}

int kcs_nfq_parse(const struct nlmsghdr *nlh, struct kcs_nfq_pkt *p)
{
	const struct nlattr *tb[NFQA_MAX + 1] = { 0 };
	struct nfqnl_msg_packet_hdr ph;

	memset(p, 0, sizeof(*p));
	if (nlh->nlmsg_type != ((NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET))
		return 0;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(struct nfgenmsg)) ||
	    mnl_attr_parse(nlh, sizeof(struct nfgenmsg), attr_cb, tb) < 0 ||
	    !tb[NFQA_PACKET_HDR] ||
	    mnl_attr_get_payload_len(tb[NFQA_PACKET_HDR]) < sizeof(ph))
		return -1;
	memcpy(&ph, mnl_attr_get_payload(tb[NFQA_PACKET_HDR]), sizeof(ph));
	p->id = ntohl(ph.packet_id);
	if (!tb[NFQA_PAYLOAD])
		return -1;
	p->payload = mnl_attr_get_payload(tb[NFQA_PAYLOAD]);
	p->paylen = mnl_attr_get_payload_len(tb[NFQA_PAYLOAD]);
	return 1;
}

struct mnl_socket *kcs_nfq_open(int nsfd, const char *path, uint16_t num,
				struct kcs_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], what[32];
	struct nfqnl_msg_config_cmd cmd = { .command = NFQNL_CFG_CMD_BIND };
	struct nfqnl_msg_config_params params = {
		.copy_range = htonl(NFQ_COPY),
		.copy_mode = NFQNL_COPY_PACKET,
	};
	struct mnl_socket *nl = kcs_nfnl_listener(nsfd, path, NFQ_RCVBUF, err);
	struct nlmsghdr *nlh;

	if (!nl)
		return NULL;
	nlh = kcs_nfnl_header(buf, NFNL_SUBSYS_QUEUE, NFQNL_MSG_CONFIG, num,
			      NLM_F_ACK, (uint32_t)time(NULL));
	mnl_attr_put(nlh, NFQA_CFG_CMD, sizeof(cmd), &cmd);
	mnl_attr_put(nlh, NFQA_CFG_PARAMS, sizeof(params), &params);
	snprintf(what, sizeof(what), "nfqueue %u", num);
	if (kcs_nfnl_bind(nl, nlh, path, what, "another kcsadm netwatch?",
			  "nfnetlink_queue", err)) {
		mnl_socket_close(nl);
		return NULL;
	}
	return nl;
}

int kcs_nfq_verdict(struct mnl_socket *nl, uint16_t num, uint32_t id,
		    uint32_t verdict)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nfqnl_msg_verdict_hdr vh = {
		.verdict = htonl(verdict),
		.id = htonl(id),
	};
	struct nlmsghdr *nlh = kcs_nfnl_header(buf, NFNL_SUBSYS_QUEUE,
					       NFQNL_MSG_VERDICT, num, 0, 0);

	mnl_attr_put(nlh, NFQA_VERDICT_HDR, sizeof(vh), &vh);
	return mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0 ? -errno : 0;
}

struct read_ctx {
	struct mnl_socket *nl;
	uint16_t num;
	void (*fn)(const struct kcs_nfq_pkt *p, void *arg);
	void *arg;
};

static int on_msg(const struct nlmsghdr *h, void *arg)
{
	const struct read_ctx *c = arg;
	struct kcs_nfq_pkt p;
	int r = kcs_nfq_parse(h, &p);

	if (r == 1)
		c->fn(&p, c->arg);
	else if (r < 0 && p.id)
		kcs_nfq_verdict(c->nl, c->num, p.id, NF_ACCEPT);
	return 0;
}

int kcs_nfq_read(struct mnl_socket *nl, uint16_t num,
		 void (*fn)(const struct kcs_nfq_pkt *p, void *arg), void *arg,
		 struct kcs_err *err)
{
	static char buf[NFQ_COPY + 4096];
	struct read_ctx c = { nl, num, fn, arg };
	int r = kcs_nfnl_drain(nl, buf, sizeof(buf), on_msg, &c);

	if (r >= 0 || r == -ENOBUFS)
		return r > 0 ? 0 : r;
	return kcs_err_set(err, KCS_EXIT_FAILED, "nfqueue: receiving: %s",
			   strerror(-r));
}
