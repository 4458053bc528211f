/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A profile's ingress rules as kcsadm keeps them for nftables (the kernel
 * never holds them): the compiled rule sets (struct kcs_net_hdr, the
 * module's own format, verified with kmod/netm.c), the rule texts events
 * quote, and the FQDN rules with the addresses their names resolved to and
 * when each address expires. See docs/network.md.
 *
 * The compiled sets hold CIDR rules only: FQDN addresses change, so they
 * go to nftables as timed set elements (ingress_fqdn.c) and are looked up
 * beside the compiled sets (kcs_ingress_rule()).
 */
#ifndef KCS_INGRESS_H
#define KCS_INGRESS_H

#include <stdint.h>
#include <stdio.h>
#include <linux/kcs.h>

#include "compile.h"
#include "err.h"
#include "net.h"
#include "netm.h"

#define KCS_STATE_DIR_DEFAULT	"/run/kcs"
/* Bounds on what a state file may claim (it is read back and trusted). */
#define KCS_INGRESS_MAX_ADDRS	4096	/* per FQDN rule */

enum { KCS_INGRESS_RULES, KCS_INGRESS_EXCEPT };	/* which rule set */

struct kcs_ingress_addr {
	int v6;
	uint32_t w[4];			/* as struct kcs_net_rule */
	uint32_t ttl;			/* the DNS answer's */
	uint64_t expires_ms;		/* CLOCK_REALTIME, ms since the epoch */
};

/* One FQDN rule of the ingress rules or exclusions. */
struct kcs_ingress_fqdn {
	uint32_t set;			/* KCS_INGRESS_RULES or _EXCEPT */
	uint32_t rule;			/* index in that set */
	uint32_t proto;			/* KCS_NET_PROTO_* mask */
	uint32_t nports;		/* 0: every port */
	struct kcs_port_range *ports;
	uint32_t naddrs;
	struct kcs_ingress_addr *addrs;
};

struct kcs_ingress {
	enum kcs_net_kind kind;		/* KCS_NET_NONE: no ingress rules */
	struct kcs_blob rules;		/* block rules or the allow list */
	struct kcs_blob rules_text;	/* their texts, NUL-terminated */
	struct kcs_blob except;		/* block exclusions, may be empty */
	struct kcs_netm rules_m;	/* rules, verified (set by build/read) */
	struct kcs_ingress_fqdn *fqdn;
	size_t nfqdn;
};

/* How long FQDN addresses stay in nftables: clamp(TTL, min, max) + grace. */
struct kcs_fqdn_timing {
	uint32_t min_s, max_s, grace_s;
};
#define KCS_FQDN_TIMING_DEFAULT { 1, 300, 5 }

/* CLOCK_REALTIME in ms since the epoch (what expiries are in). */
uint64_t kcs_now_ms(void);

/* The state directory: $KCS_STATE_DIR or KCS_STATE_DIR_DEFAULT. */
const char *kcs_state_dir(void);
/* mkdir $KCS_STATE_DIR/@sub (and the state dir) with mode 0700. */
int kcs_state_mkdir(const char *sub, struct kcs_err *err);

/*
 * Build @out from a parsed ingress section: compile its CIDR rules, keep
 * the texts and the FQDN rules' current addresses, each expiring
 * clamp(ttl) + grace seconds after @now_ms.
 */
int kcs_ingress_build(const struct kcs_net_dir *d,
		      const struct kcs_fqdn_timing *t, uint64_t now_ms,
		      struct kcs_ingress *out, struct kcs_err *err);
void kcs_ingress_free(struct kcs_ingress *in);
/* 1 when set @set (KCS_INGRESS_*) has FQDN rules. */
int kcs_ingress_has_fqdn(const struct kcs_ingress *in, uint32_t set);

/* Serialized form (state files, namespace records). read verifies it all. */
int kcs_ingress_write(FILE *f, const struct kcs_ingress *in);
int kcs_ingress_read(FILE *f, struct kcs_ingress *in, const char **why);

/* $KCS_STATE_DIR/ingress/NAME: save (kind != NONE) or remove (NONE). */
int kcs_ingress_save(const char *name, const struct kcs_ingress *in,
		     struct kcs_err *err);
/* Load it; kind NONE when the profile has none. Free with _free. */
int kcs_ingress_load(const char *name, struct kcs_ingress *in,
		     struct kcs_err *err);

/*
 * The lowest-numbered ingress rule covering source @a, local port @port
 * and @proto (KCS_NET_PROTO_TCP/_UDP), CIDR and FQDN rules alike (FQDN:
 * any address it has, expired or not), or KCS_NET_NO_RULE. Only the
 * rules/allow set: what a block rule hit is reported with.
 */
uint32_t kcs_ingress_rule(const struct kcs_ingress *in, int v6,
			  const uint32_t w[4], uint16_t port, uint32_t proto);
/* Rule @idx's text, or NULL. */
const char *kcs_ingress_rule_text(const struct kcs_ingress *in, uint32_t idx);

/* Write the file @path atomically (temporary file + rename) with @fn. */
int kcs_write_atomic(const char *path, int (*fn)(FILE *f, const void *arg),
		     const void *arg, struct kcs_err *err);

#endif /* KCS_INGRESS_H */
