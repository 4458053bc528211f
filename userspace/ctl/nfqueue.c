// SPDX-License-Identifier: GPL-2.0
/* nfnetlink_queue listeners in network namespaces (nfqueue.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>

#include "netns.h"
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

static struct nlmsghdr *put_header(char *buf, uint16_t type, uint16_t num,
				   uint16_t flags, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *g;

	nlh->nlmsg_type = (NFNL_SUBSYS_QUEUE << 8) | type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = AF_UNSPEC;
	g->version = NFNETLINK_V0;
	g->res_id = htons(num);
	return nlh;
}

struct mnl_socket *kcs_nfq_open(int nsfd, const char *path, uint16_t num,
				struct kcs_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nfqnl_msg_config_cmd cmd = { .command = NFQNL_CFG_CMD_BIND };
	struct nfqnl_msg_config_params params = {
		.copy_range = htonl(NFQ_COPY),
		.copy_mode = NFQNL_COPY_PACKET,
	};
	struct timeval tv = { .tv_sec = 5 };
	struct mnl_socket *nl = kcs_netns_socket(nsfd, path, NETLINK_NETFILTER,
						 err);
	struct nlmsghdr *nlh;
	int sz = NFQ_RCVBUF, ret;

	if (!nl)
		return NULL;
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv,
		   sizeof(tv));
	if (setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUFFORCE, &sz,
		       sizeof(sz)))
		setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUF, &sz,
			   sizeof(sz));
	nlh = put_header(buf, NFQNL_MSG_CONFIG, num, NLM_F_ACK,
			 (uint32_t)time(NULL));
	mnl_attr_put(nlh, NFQA_CFG_CMD, sizeof(cmd), &cmd);
	mnl_attr_put(nlh, NFQA_CFG_PARAMS, sizeof(params), &params);
	ret = kcs_netns_request(nl, nlh);
	if (ret) {
		kcs_err_set(err, ret == -EPERM || ret == -EBUSY ? KCS_EXIT_BUSY :
			    KCS_EXIT_FAILED,
			    "netns %s: nfqueue %u: %s%s", path, num, strerror(-ret),
			    ret == -EPERM || ret == -EBUSY ?
			    " (another listener has it: another kcsadm netwatch?)" :
			    ret == -ENOENT || ret == -EOPNOTSUPP ?
			    " (is nfnetlink_queue available?)" : "");
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
	struct nlmsghdr *nlh = put_header(buf, NFQNL_MSG_VERDICT, num, 0, 0);

	mnl_attr_put(nlh, NFQA_VERDICT_HDR, sizeof(vh), &vh);
	return mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0 ? -errno : 0;
}

int kcs_nfq_read(struct mnl_socket *nl, uint16_t num,
		 void (*fn)(const struct kcs_nfq_pkt *p, void *arg), void *arg,
		 struct kcs_err *err)
{
	static char buf[NFQ_COPY + 4096];

	for (;;) {
		ssize_t n = recv(mnl_socket_get_fd(nl), buf, sizeof(buf),
				 MSG_DONTWAIT);
		const struct nlmsghdr *h = (const void *)buf;
		int left = (int)n;

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;
			if (errno == ENOBUFS)
				return -ENOBUFS;
			return kcs_err_set(err, KCS_EXIT_FAILED, "nfqueue: receiving: %s",
					   strerror(errno));
		}
		for (; mnl_nlmsg_ok(h, left); h = mnl_nlmsg_next(h, &left)) {
			struct kcs_nfq_pkt p;
			int r = kcs_nfq_parse(h, &p);

			if (r == 1)
				fn(&p, arg);
			else if (r < 0 && p.id)
				kcs_nfq_verdict(nl, num, p.id, NF_ACCEPT);
		}
	}
}
