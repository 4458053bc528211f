/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DNS queue table: in a container's network namespace, every DNS
 * answer it receives from outside (UDP or TCP from port 53, a reply to a
 * connection it opened, not from a loopback device) goes to nfqueue
 * @num, where netwatch reads it (nfqueue.h):
 *
 *   table inet kcs_dns {
 *     chain input { type filter hook input priority 100; policy accept;
 *       meta iiftype != loopback meta l4proto udp th sport 53
 *         ct state established queue num 1715
 *       (the same for tcp)
 *     }
 *   }
 *
 * No "bypass": with nobody reading the queue, answers are dropped, so that
 * a container never acts on an answer kcs has not seen (it fails closed:
 * names do not resolve while netwatch is down).
 */
#ifndef KCS_DNS_NFT_H
#define KCS_DNS_NFT_H

#include <stdint.h>

#include "err.h"

#define KCS_DNS_NFT_TABLE	"kcs_dns"
#define KCS_DNS_QUEUE		1715	/* kcsadm's, not the ABI's */

/* Install the table (replacing one there) with @on, delete it without. */
int kcs_dns_nft_apply(int nsfd, const char *path, uint16_t num, int on,
		      struct kcs_err *err);

#endif /* KCS_DNS_NFT_H */
