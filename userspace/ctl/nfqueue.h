/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An nfnetlink_queue listener in a network namespace: packets an nftables
 * "queue" rule hands to userspace, held by the kernel until a verdict.
 * netwatch queues the DNS answers a container receives (dns_nft.h) and
 * releases each once the addresses it carries are in force.
 */
#ifndef KCS_NFQUEUE_H
#define KCS_NFQUEUE_H

#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#include "err.h"

/* One queued packet. Pointers point into the message. */
struct kcs_nfq_pkt {
	uint32_t id;			/* for the verdict */
	const uint8_t *payload;		/* from the network header on */
	size_t paylen;
};

/*
 * Parse one message of a queue socket: 1 and @p filled for an
 * NFQNL_MSG_PACKET, 0 for anything else, -1 when a packet message is
 * malformed (no header, no payload).
 */
int kcs_nfq_parse(const struct nlmsghdr *nlh, struct kcs_nfq_pkt *p);

/*
 * Bind queue @num in namespace @nsfd (@path in messages), whole packets
 * copied. KCS_EXIT_BUSY when another socket holds the queue there.
 */
struct mnl_socket *kcs_nfq_open(int nsfd, const char *path, uint16_t num,
				struct kcs_err *err);

/*
 * Read what is queued on @nl (non-blocking) and call @fn per packet; @fn
 * must give each packet its verdict (kcs_nfq_verdict). A packet message
 * that does not parse is accepted at once, so that nothing stays held.
 * Returns 0 when drained, -ENOBUFS once when the socket overran (the
 * kernel dropped packets it could not deliver), or -1 with @err.
 */
int kcs_nfq_read(struct mnl_socket *nl, uint16_t num,
		 void (*fn)(const struct kcs_nfq_pkt *p, void *arg), void *arg,
		 struct kcs_err *err);

/* Release packet @id of queue @num with @verdict (NF_ACCEPT, NF_DROP):
 * 0, or a negative errno. */
int kcs_nfq_verdict(struct mnl_socket *nl, uint16_t num, uint32_t id,
		    uint32_t verdict);

#endif /* KCS_NFQUEUE_H */
