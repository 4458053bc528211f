/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ingress rules through nftables: a table "inet kcs" in a container's
 * network namespace, written with libnftnl in one atomic batch (see
 * docs/network.md). The rules come from the compiled ingress blobs of a
 * profile (struct kcs_net_hdr, the kernel's own format, verified with
 * kmod/netm.c before use), which `kcsadm profile apply` keeps in the state
 * directory because the kernel does not hold ingress rules.
 */
#ifndef KCS_NFT_H
#define KCS_NFT_H

#include <stdint.h>
#include <linux/kcs.h>

#include "compile.h"
#include "err.h"

/* The nflog group Audit-mode ingress rules log to. kcsadm's, not the ABI's. */
#define KCS_NFLOG_GROUP		1714
#define KCS_NFT_TABLE		"kcs"
#define KCS_STATE_DIR_DEFAULT	"/run/kcs"

struct kcs_ingress {
	enum kcs_net_kind kind;		/* KCS_NET_NONE: no ingress rules */
	struct kcs_blob rules;		/* block rules or the allow list */
	struct kcs_blob except;		/* block exclusions, may be empty */
};

/* The state directory: $KCS_STATE_DIR or KCS_STATE_DIR_DEFAULT. */
const char *kcs_state_dir(void);

/* Save (kind != NONE) or remove (kind == NONE) profile @name's ingress. */
int kcs_ingress_save(const char *name, const struct kcs_ingress *in,
		     struct kcs_err *err);
/* Load it; kind NONE when the profile has none. Free with _free. */
int kcs_ingress_load(const char *name, struct kcs_ingress *in,
		     struct kcs_err *err);
void kcs_ingress_free(struct kcs_ingress *in);

/*
 * In the network namespace @netns (a path such as /proc/PID/ns/net):
 * replace table inet kcs with @in's rules, dropping (enforce) or logging
 * to KCS_NFLOG_GROUP (audit); with @in NULL or kind NONE, delete the table.
 * One atomic batch either way.
 */
int kcs_nft_apply(const char *netns, const struct kcs_ingress *in,
		  int enforce, struct kcs_err *err);

#endif /* KCS_NFT_H */
