// SPDX-License-Identifier: GPL-2.0
/* nfnetlink listener plumbing (nfnl.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netfilter/nfnetlink.h>

#include "netns.h"
#include "nfnl.h"

struct nlmsghdr *kcs_nfnl_header(char *buf, uint8_t subsys, uint8_t type,
				 uint16_t res_id, uint16_t flags, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *g;

	nlh->nlmsg_type = (uint16_t)(subsys << 8 | type);
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = AF_UNSPEC;
	g->version = NFNETLINK_V0;
	g->res_id = htons(res_id);
	return nlh;
}

struct mnl_socket *kcs_nfnl_listener(int nsfd, const char *path, int rcvbuf,
				     struct kcs_err *err)
{
	struct timeval tv = { .tv_sec = 5 };
	struct mnl_socket *nl = kcs_netns_socket(nsfd, path, NETLINK_NETFILTER,
						 err);
	int fd;

	if (!nl)
		return NULL;
	fd = mnl_socket_get_fd(nl);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	return nl;
}

/* Send request @nlh (NLM_F_ACK set) on @nl and wait for its ack: 0 or a
 * negative errno. */
static int request(struct mnl_socket *nl, struct nlmsghdr *nlh)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	uint32_t portid = mnl_socket_get_portid(nl);
	ssize_t n;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		n = mnl_cb_run(buf, (size_t)n, nlh->nlmsg_seq, portid, NULL, NULL);
		if (n <= MNL_CB_STOP)
			return n < 0 ? -errno : 0;
	}
}

int kcs_nfnl_bind(struct mnl_socket *nl, struct nlmsghdr *nlh,
		  const char *path, const char *what, const char *busy,
		  const char *module, struct kcs_err *err)
{
	int ret = request(nl, nlh);

	if (!ret)
		return 0;
	/* EPERM: another socket's instance; EBUSY: ours already. */
	if (ret == -EPERM || ret == -EBUSY)
		return kcs_err_set(err, KCS_EXIT_BUSY,
				   "netns %s: %s: %s (another listener has it: %s)",
				   path, what, strerror(-ret), busy);
	return kcs_err_set(err, KCS_EXIT_FAILED, "netns %s: %s: %s%s%s%s", path,
			   what, strerror(-ret),
			   ret == -ENOENT || ret == -EOPNOTSUPP ? " (is " : "",
			   ret == -ENOENT || ret == -EOPNOTSUPP ? module : "",
			   ret == -ENOENT || ret == -EOPNOTSUPP ? " available?)" : "");
}

int kcs_nfnl_drain(struct mnl_socket *nl, void *buf, size_t size,
		   int (*fn)(const struct nlmsghdr *h, void *arg), void *arg)
{
	for (;;) {
		ssize_t n = recv(mnl_socket_get_fd(nl), buf, size, MSG_DONTWAIT);
		const struct nlmsghdr *h = buf;
		int left = (int)n;

		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -errno;
		for (; mnl_nlmsg_ok(h, left); h = mnl_nlmsg_next(h, &left))
			if (fn(h, arg))
				return 1;
	}
}
