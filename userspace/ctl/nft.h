/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ingress rules through nftables: a table "inet kcs" in a container's
 * network namespace, written with libnftnl in one atomic batch (see
 * docs/network.md). The rules come from a profile's struct kcs_ingress
 * (ingress.h), which `kcsadm profile apply` keeps in the state directory
 * because the kernel does not hold ingress rules.
 */
#ifndef KCS_NFT_H
#define KCS_NFT_H

#include <stdint.h>
#include <linux/kcs.h>

#include "err.h"
#include "ingress.h"
#include "nflog.h"

#define KCS_NFT_TABLE		"kcs"
/* Log messages (events) per second and burst, per namespace. */
#define KCS_NFT_LOG_RATE	100
#define KCS_NFT_LOG_BURST	100

/*
 * In the network namespace @nsfd (@path in messages): replace table inet
 * kcs with @in's rules. Denials jump to a chain that logs to nflog group
 * KCS_NFLOG_GROUP with the prefix of @tag (rate limited) and, in enforce
 * mode (@tag->mode), drops. FQDN addresses become elements timing out at
 * their expiry (those expired at @now_ms are left out). With @in NULL or
 * kind NONE, delete the table. One atomic batch either way.
 */
int kcs_nft_apply(int nsfd, const char *path, const struct kcs_ingress *in,
		  const struct kcs_nflog_tag *tag, uint64_t now_ms,
		  struct kcs_err *err);

/*
 * Refresh the FQDN sets of a table built from @table_in with the
 * addresses of @in (the same rules, newly resolved): in one atomic batch,
 * flush each FQDN set and add the elements of @in not expired at @now_ms,
 * with their remaining time as timeout. Returns the number of elements
 * added, or -1.
 */
int kcs_nft_refresh_fqdn(int nsfd, const char *path,
			 const struct kcs_ingress *table_in,
			 const struct kcs_ingress *in, uint64_t now_ms,
			 struct kcs_err *err);

#endif /* KCS_NFT_H */
