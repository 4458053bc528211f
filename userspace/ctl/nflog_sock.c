// SPDX-License-Identifier: GPL-2.0
/* nflog listeners in network namespaces (nflog_sock.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>

#include "nfnl.h"
#include "nflog_sock.h"

#define NFLOG_RCVBUF	(4 << 20)

struct mnl_socket *kcs_nflog_open(int nsfd, const char *path,
				  struct kcs_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], what[32];
	struct nfulnl_msg_config_cmd cmd = { NFULNL_CFG_CMD_BIND };
	struct nfulnl_msg_config_mode mode = {
		.copy_range = htonl(KCS_NFLOG_SNAPLEN),
		.copy_mode = NFULNL_COPY_PACKET,
	};
	struct mnl_socket *nl = kcs_nfnl_listener(nsfd, path, NFLOG_RCVBUF, err);
	struct nlmsghdr *nlh;

	if (!nl)
		return NULL;
	nlh = kcs_nfnl_header(buf, NFNL_SUBSYS_ULOG, NFULNL_MSG_CONFIG,
			      KCS_NFLOG_GROUP, NLM_F_ACK, (uint32_t)time(NULL));
	mnl_attr_put(nlh, NFULA_CFG_CMD, sizeof(cmd), &cmd);
	mnl_attr_put(nlh, NFULA_CFG_MODE, sizeof(mode), &mode);
	mnl_attr_put_u32(nlh, NFULA_CFG_QTHRESH, htonl(1));
	mnl_attr_put_u16(nlh, NFULA_CFG_FLAGS, htons(NFULNL_CFG_F_SEQ));
	snprintf(what, sizeof(what), "nflog group %d", KCS_NFLOG_GROUP);
	if (kcs_nfnl_bind(nl, nlh, path, what,
			  "another kcsadm monitor, ulogd or tcpdump",
			  "nfnetlink_log", err)) {
		mnl_socket_close(nl);
		return NULL;
	}
	return nl;
}

struct read_ctx {
	int (*fn)(const struct kcs_nflog_pkt *p, void *arg);
	void *arg;
};

static int on_msg(const struct nlmsghdr *h, void *arg)
{
	const struct read_ctx *c = arg;
	struct kcs_nflog_pkt p;

	/* Malformed or foreign messages are skipped. */
	return kcs_nflog_parse(h, &p) == 1 && c->fn(&p, c->arg);
}

int kcs_nflog_read(struct mnl_socket *nl,
		   int (*fn)(const struct kcs_nflog_pkt *p, void *arg),
		   void *arg, struct kcs_err *err)
{
	static char buf[1 << 16];
	struct read_ctx c = { fn, arg };
	int r = kcs_nfnl_drain(nl, buf, sizeof(buf), on_msg, &c);

	if (r >= 0 || r == -ENOBUFS)
		return r;
	return kcs_err_set(err, KCS_EXIT_FAILED, "nflog: receiving: %s",
			   strerror(-r));
}
