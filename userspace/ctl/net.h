/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "network" section of a profile (docs/profile-format.md): parsed and
 * validated rules, and their compilation into the struct kcs_net_hdr blobs
 * of uapi/linux/kcs.h that kmod/netm.c verifies and searches.
 */
#ifndef KCS_NET_H
#define KCS_NET_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <linux/kcs.h>

#include "compile.h"
#include "err.h"

struct kcs_port_range {
	uint16_t lo, hi;
};

/* An address an FQDN resolved to, with the answer's TTL. */
struct kcs_net_resolved {
	int v6;
	uint32_t w[4];			/* as in struct kcs_net_rule */
	uint32_t ttl;
};

/* One rule. Addresses are four host-order words, most significant first;
 * IPv4 lives in w[3]. */
struct kcs_net_rule {
	char *text;			/* description, quoted by events */
	char *fqdn;			/* NULL, or a name: see addrs */
	struct kcs_net_resolved *addrs;	/* what fqdn resolved to (maybe none) */
	size_t naddrs;
	int has_cidr;
	int v6;
	uint32_t lo[4], hi[4];		/* with has_cidr */
	struct kcs_port_range *ports;	/* NULL, nports 0: every port */
	size_t nports;
	uint32_t proto;			/* KCS_NET_PROTO_* mask, never 0 */
	const char *program;		/* NULL, or the program it is for */
	enum kcs_pattern_kind program_kind;
};

struct kcs_net_ruleset {
	const char *where;		/* JSON location, e.g. "network.egress.rules" */
	struct kcs_net_rule *rules;
	size_t n;
};

struct kcs_net_dir {			/* egress or ingress */
	enum kcs_net_kind kind;		/* KCS_NET_NONE when absent */
	struct kcs_net_ruleset rules;	/* block rules, or the allow list */
	struct kcs_net_ruleset except;	/* block exclusions */
};

struct kcs_net_spec {
	int present;			/* the profile has a "network" key */
	struct kcs_net_dir egress;
	struct kcs_net_dir ingress;
	struct kcs_net_ruleset listen;	/* ports nobody may bind or listen on */
	struct kcs_net_ruleset listen_except;	/* lifted (for a program) */
	uint32_t flags;			/* KCS_NET_F_* */
};

/* Parse and validate @net (the value of "network"). -1 with a message
 * naming the JSON location on error; free with kcs_net_spec_free(). */
int kcs_net_parse(const json_t *net, struct kcs_net_spec *spec,
		  struct kcs_err *err);
void kcs_net_spec_free(struct kcs_net_spec *spec);

/*
 * Compile the program-scoped rules of @set (and, with @all, its others
 * too) into groups of set @gset (enum kcs_net_group_set), one per program,
 * appended to @groups (a KCS_A_NET_GROUPS blob being built: *@ngroups
 * groups so far; kcs_net_groups_finish() completes it). net_groups.c.
 */
int kcs_net_groups_add(const struct kcs_net_ruleset *set, uint32_t gset,
		       int all, struct kcs_blob *groups, uint32_t *ngroups,
		       struct kcs_err *err);

/* Put the header in front of @groups (@ngroups groups); none: empty. */
int kcs_net_groups_finish(struct kcs_blob *groups, uint32_t ngroups,
			  struct kcs_err *err);

/* The rules of @set without a program, as a set of their own (shallow:
 * free only ->rules). */
int kcs_net_unscoped(const struct kcs_net_ruleset *set,
		     struct kcs_net_ruleset *out, struct kcs_err *err);

/* Compile @set into a struct kcs_net_hdr blob and its text blob. */
int kcs_net_compile(const struct kcs_net_ruleset *set, struct kcs_blob *blob,
		    struct kcs_blob *text, struct kcs_err *err);

/* The same with FQDN rules covering nothing: their rule indices and texts
 * stay, their addresses are left to the caller (ingress: timed nftables
 * set elements). */
int kcs_net_compile_cidr(const struct kcs_net_ruleset *set,
			 struct kcs_blob *blob, struct kcs_blob *text,
			 struct kcs_err *err);

/*
 * Naive reference: the lowest-numbered rule of @set covering the address
 * (@v6, @w as in struct kcs_net_rule), @port and @proto, or
 * KCS_NET_NO_RULE. For tests.
 */
uint32_t kcs_net_ref_lookup(const struct kcs_net_ruleset *set, int v6,
			    const uint32_t w[4], uint16_t port, uint32_t proto);

#define KCS_NET_EGRESS_FQDN	0x1
#define KCS_NET_INGRESS_FQDN	0x2

/*
 * Resolve every FQDN rule of @spec's egress and ingress rules and
 * exclusions (A and AAAA through the system resolver, res_nquery()),
 * replacing their addresses. A name that does not exist or has no address
 * resolves to none. *@min_ttl: the shortest TTL seen (UINT32_MAX if
 * none). Returns KCS_NET_EGRESS_FQDN and/or KCS_NET_INGRESS_FQDN for the
 * directions where some address set changed (0: none), or -1 when the
 * resolver failed for some name (no answer, SERVFAIL): that rule keeps its
 * previous addresses, the others are resolved all the same.
 */
int kcs_net_resolve(struct kcs_net_spec *spec, uint32_t *min_ttl,
		    struct kcs_err *err);

/*
 * Resolve @name now as kcs_net_resolve() resolves a rule's (A and AAAA,
 * normalized as below), changing nothing: *@v (malloc'ed, NULL when
 * none) holds *@n addresses. 0, or -1 with @err when the resolver gave
 * no answer. For `profile show --resolve`.
 */
int kcs_net_resolve_name(const char *name, struct kcs_net_resolved **v,
			 size_t *n, struct kcs_err *err);

/* @a as text, as inet_ntop() writes it (@len: INET6_ADDRSTRLEN will do). */
void kcs_net_addr_text(const struct kcs_net_resolved *a, char *buf,
		       size_t len);

/* Sort @v (by family, then address) and merge repeated addresses, keeping
 * the shorter TTL; *@n becomes the number of distinct addresses. IPv4-mapped
 * IPv6 addresses become IPv4 ones first. */
void kcs_net_addrs_normalize(struct kcs_net_resolved *v, size_t *n);

/*
 * Give FQDN rule @r the @n addresses of @v (malloc'ed; @r owns it now),
 * normalized as above, and return 1 if they are another set than it had,
 * 0 if the same (in any order, repeated or not: only TTLs changed). @r's
 * addresses must be normalized already (as this function leaves them).
 */
int kcs_net_rule_take_addrs(struct kcs_net_rule *r, struct kcs_net_resolved *v,
			    size_t n);

/* KCS_NET_EGRESS_FQDN | KCS_NET_INGRESS_FQDN: the directions of @spec
 * that have FQDN rules (0: none). */
int kcs_net_has_fqdn(const struct kcs_net_spec *spec);

/* Parse "192.0.2.0/24", "2001:db8::/32" or a bare address into @r.
 * Returns 0, or -1 with a reason in @why. */
int kcs_net_parse_cidr(const char *s, struct kcs_net_rule *r, char *why,
		       size_t whylen);

#endif /* KCS_NET_H */
