/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network namespaces named by a file (/proc/PID/ns/net, /run/netns/NAME):
 * their identity (the nsfs device and inode, stable while the namespace
 * lives) and netlink sockets created inside them. A socket stays bound to
 * the namespace it was created in, so kcsadm enters the namespace only
 * for socket() and returns at once (setns there and back).
 */
#ifndef KCS_NETNS_H
#define KCS_NETNS_H

#include <stdint.h>
#include <libmnl/libmnl.h>

#include "err.h"

struct kcs_netns_id {
	uint64_t dev, ino;
};

/*
 * Open the namespace file @path (O_RDONLY) and fill @id. Returns the
 * descriptor, or -1 with @err (KCS_EXIT_NOTFOUND when @path does not
 * exist). @what names the option or record in messages ("--netns").
 */
int kcs_netns_open(const char *path, const char *what,
		   struct kcs_netns_id *id, struct kcs_err *err);

/* The identity of @path without keeping it open; -1 when it is gone. */
int kcs_netns_stat(const char *path, struct kcs_netns_id *id);

/*
 * A netlink socket of @bus (NETLINK_NETFILTER) created inside the network
 * namespace @nsfd, bound (automatic port id). The caller's namespace is
 * restored before returning; if that fails, nothing is returned.
 */
struct mnl_socket *kcs_netns_socket(int nsfd, const char *path, int bus,
				    struct kcs_err *err);

#endif /* KCS_NETNS_H */
