/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DNS answers a container receives while kcsadm learn watches it, so
 * that addresses it connects to can be written as the names it asked for
 * (learn.h). The answers pass through nfqueue KCS_LEARN_QUEUE in the
 * container's network namespace (the table of dns_nft.h) and are released
 * at once, whatever they hold: learning never blocks the workload for
 * longer than a read, and an answer kcsadm cannot parse still goes on.
 */
#ifndef KCS_LEARN_DNS_H
#define KCS_LEARN_DNS_H

#include <libmnl/libmnl.h>

#include "err.h"
#include "learn.h"

#define KCS_LEARN_QUEUE		1716	/* kcsadm's, not the ABI's */

struct kcs_learn_dns {
	int nsfd;			/* -1: not watching */
	char *path;
	struct mnl_socket *q;
	int table;			/* the queue table is installed */
};

/* Watch the namespace at @path: 0, or -1 with @err (nothing left). */
int kcs_learn_dns_start(struct kcs_learn_dns *d, const char *path,
			struct kcs_err *err);

/* The socket to poll, or -1. */
int kcs_learn_dns_fd(const struct kcs_learn_dns *d);

/* Take what is queued into @l. 0, or -1 with @err (lost answers:
 * *@lost set, not an error). */
int kcs_learn_dns_read(struct kcs_learn_dns *d, struct kcs_learn *l,
		       int *lost, struct kcs_err *err);

/* Remove the table, then the queue. 0, or -1 with @err. */
int kcs_learn_dns_stop(struct kcs_learn_dns *d, struct kcs_err *err);

#endif /* KCS_LEARN_DNS_H */
