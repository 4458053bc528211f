/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An nflog listener in a network namespace: a NETLINK_NETFILTER socket
 * created there, bound to group KCS_NFLOG_GROUP with packet copies of
 * KCS_NFLOG_SNAPLEN bytes, per-instance sequence numbers (so losses show)
 * and no batching (each packet is sent at once).
 */
#ifndef KCS_NFLOG_SOCK_H
#define KCS_NFLOG_SOCK_H

#include <libmnl/libmnl.h>

#include "err.h"
#include "nflog.h"

/*
 * Open a listener in namespace @nsfd (@path in messages). Fails with
 * KCS_EXIT_BUSY when another socket has the group in that namespace
 * (another kcsadm monitor, ulogd, tcpdump -i nflog:1714): nflog groups
 * have one listener each.
 */
struct mnl_socket *kcs_nflog_open(int nsfd, const char *path,
				  struct kcs_err *err);

/*
 * Read what is queued on @nl (non-blocking) and call @fn per logged
 * packet. Returns 0 when drained, 1 when @fn asked to stop, -ENOBUFS once
 * when the socket overran (packets were lost; read again), or -1 with
 * @err.
 */
int kcs_nflog_read(struct mnl_socket *nl,
		   int (*fn)(const struct kcs_nflog_pkt *p, void *arg),
		   void *arg, struct kcs_err *err);

#endif /* KCS_NFLOG_SOCK_H */
