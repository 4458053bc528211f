/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Addresses learned from the DNS answers containers receive, per FQDN of
 * a profile's egress rules, each until its TTL (at least the minimum
 * interval) plus a grace has passed. netwatch lays them over the addresses
 * the node resolves (kcs_dns_learned_overlay) before every apply, so the
 * kernel holds both. Bounded: only the profile's names, at most
 * KCS_DNS_LEARN_MAX addresses each (the one expiring first makes room).
 */
#ifndef KCS_DNS_LEARN_H
#define KCS_DNS_LEARN_H

#include <stddef.h>
#include <stdint.h>

#include "dns_answer.h"
#include "net.h"

#define KCS_DNS_LEARN_MAX	256

struct kcs_dns_learned_addr {
	struct kcs_net_resolved a;
	uint64_t expires_ms;
};

struct kcs_dns_name {
	char *fqdn;			/* as in the rules: lower case */
	struct kcs_dns_learned_addr *v;
	size_t n;
};

struct kcs_dns_learned {
	struct kcs_dns_name *names;
	size_t n;
	uint32_t min_s, grace_s;	/* shortest TTL honoured; grace */
};

/*
 * Follow the egress FQDN names of @spec; addresses learned for names
 * @l had and @spec still has are kept (a new version of the profile),
 * others dropped. @l zeroed the first time. 0, or -1 (no memory; @l
 * unchanged).
 */
int kcs_dns_learned_retarget(struct kcs_dns_learned *l,
			     const struct kcs_net_spec *spec);
void kcs_dns_learned_free(struct kcs_dns_learned *l);

/*
 * Learn the addresses of answer @a at @now_ms. Returns how many are new
 * to the name (the kernel must hear of them before the answer is
 * released), 0 when only expiries moved, -1 when the name asked is not
 * one of the profile's.
 */
int kcs_dns_learned_add(struct kcs_dns_learned *l,
			const struct kcs_dns_answer *a, uint64_t now_ms);

/* Forget addresses expired at @now_ms; returns how many. */
size_t kcs_dns_learned_expire(struct kcs_dns_learned *l, uint64_t now_ms);

/* When the next address expires (UINT64_MAX: none). */
uint64_t kcs_dns_learned_next(const struct kcs_dns_learned *l);

/* What kcs_dns_learned_overlay() replaced, for the restore. */
struct kcs_dns_overlay {
	struct kcs_net_ruleset *set;
	struct kcs_net_resolved **addrs;
	size_t *naddrs;
	size_t done;			/* rules remembered */
};

/*
 * Give every FQDN rule of @set the union of its own addresses and those
 * learned for its name (TTL: what remains at @now_ms), remembering its
 * own in @o; kcs_dns_overlay_restore() puts them back. 0, or -1 (no
 * memory, @set untouched).
 */
int kcs_dns_learned_overlay(const struct kcs_dns_learned *l,
			    struct kcs_net_ruleset *set, uint64_t now_ms,
			    struct kcs_dns_overlay *o);
void kcs_dns_overlay_restore(struct kcs_dns_overlay *o);

#endif /* KCS_DNS_LEARN_H */
