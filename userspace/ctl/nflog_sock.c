// SPDX-License-Identifier: GPL-2.0
/* nflog listeners in network namespaces (nflog_sock.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>

#include "netns.h"
#include "nflog_sock.h"

#define NFLOG_RCVBUF	(4 << 20)

static struct nlmsghdr *config_msg(char *buf, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *g;

	nlh->nlmsg_type = (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_CONFIG;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = AF_UNSPEC;
	g->version = NFNETLINK_V0;
	g->res_id = htons(KCS_NFLOG_GROUP);
	return nlh;
}

struct mnl_socket *kcs_nflog_open(int nsfd, const char *path,
				  struct kcs_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nfulnl_msg_config_cmd cmd = { NFULNL_CFG_CMD_BIND };
	struct nfulnl_msg_config_mode mode = {
		.copy_range = htonl(KCS_NFLOG_SNAPLEN),
		.copy_mode = NFULNL_COPY_PACKET,
	};
	struct timeval tv = { .tv_sec = 5 };
	struct mnl_socket *nl = kcs_netns_socket(nsfd, path, NETLINK_NETFILTER,
						 err);
	struct nlmsghdr *nlh;
	int sz = NFLOG_RCVBUF, ret;

	if (!nl)
		return NULL;
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv,
		   sizeof(tv));
	/* Past rmem_max when permitted; the default otherwise. */
	if (setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUFFORCE, &sz,
		       sizeof(sz)))
		setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUF, &sz,
			   sizeof(sz));
	nlh = config_msg(buf, (uint32_t)time(NULL));
	mnl_attr_put(nlh, NFULA_CFG_CMD, sizeof(cmd), &cmd);
	mnl_attr_put(nlh, NFULA_CFG_MODE, sizeof(mode), &mode);
	mnl_attr_put_u32(nlh, NFULA_CFG_QTHRESH, htonl(1));
	mnl_attr_put_u16(nlh, NFULA_CFG_FLAGS, htons(NFULNL_CFG_F_SEQ));
	ret = kcs_netns_request(nl, nlh);
	if (ret) {
		/* EPERM: another socket's instance; EBUSY: ours already. */
		kcs_err_set(err, ret == -EPERM || ret == -EBUSY ? KCS_EXIT_BUSY :
			    KCS_EXIT_FAILED,
			    "netns %s: nflog group %d: %s%s", path,
			    KCS_NFLOG_GROUP, strerror(-ret),
			    ret == -EPERM || ret == -EBUSY ?
			    " (another listener has it: another kcsadm monitor, ulogd or tcpdump)" :
			    ret == -ENOENT || ret == -EOPNOTSUPP ?
			    " (is nfnetlink_log available?)" : "");
		mnl_socket_close(nl);
		return NULL;
	}
	return nl;
}

int kcs_nflog_read(struct mnl_socket *nl,
		   int (*fn)(const struct kcs_nflog_pkt *p, void *arg),
		   void *arg, struct kcs_err *err)
{
	static char buf[1 << 16];

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
			return kcs_err_set(err, KCS_EXIT_FAILED, "nflog: receiving: %s",
					   strerror(errno));
		}
		for (; mnl_nlmsg_ok(h, left); h = mnl_nlmsg_next(h, &left)) {
			struct kcs_nflog_pkt p;

			/* Malformed or foreign messages are skipped. */
			if (kcs_nflog_parse(h, &p) == 1 && fn(&p, arg))
				return 1;
		}
	}
}
