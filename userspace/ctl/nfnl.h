/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the nfnetlink listeners (nflog_sock.c, nfqueue.c) share: the
 * request header of a subsystem, a listener socket made inside a network
 * namespace with a large receive buffer, and draining what it queued.
 */
#ifndef KCS_NFNL_H
#define KCS_NFNL_H

#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#include "err.h"

/* A request of @subsys/@type for instance @res_id into @buf, with @flags
 * (NLM_F_REQUEST added) and @seq; attributes follow. */
struct nlmsghdr *kcs_nfnl_header(char *buf, uint8_t subsys, uint8_t type,
				 uint16_t res_id, uint16_t flags, uint32_t seq);

/* A NETLINK_NETFILTER socket inside namespace @nsfd with a 5 s receive
 * timeout (for acks) and a @rcvbuf bytes receive buffer (past rmem_max
 * when permitted). */
struct mnl_socket *kcs_nfnl_listener(int nsfd, const char *path, int rcvbuf,
				     struct kcs_err *err);

/*
 * Send the bind request @nlh on @nl and wait for the ack: 0, or -1 with
 * @err: "netns PATH: WHAT: reason", KCS_EXIT_BUSY when another socket
 * holds the instance (@busy says who might), else naming @module.
 */
int kcs_nfnl_bind(struct mnl_socket *nl, struct nlmsghdr *nlh,
		  const char *path, const char *what, const char *busy,
		  const char *module, struct kcs_err *err);

/*
 * Read what is queued on @nl into @buf without blocking and call @fn per
 * message; @fn returns nonzero to stop. Returns 0 when drained, 1 when
 * @fn stopped, -ENOBUFS when the socket overran, or another -errno.
 */
int kcs_nfnl_drain(struct mnl_socket *nl, void *buf, size_t size,
		   int (*fn)(const struct nlmsghdr *h, void *arg), void *arg);

#endif /* KCS_NFNL_H */
