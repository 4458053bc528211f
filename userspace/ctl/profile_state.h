/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What `profile apply` applied, kept in $KCS_STATE_DIR/profiles/NAME.json:
 * the kernel returns counts and a generation for a profile, never its
 * rules, so `profile show` and `profile export` read the rules back from
 * here and check them against the kernel's generation and counts, which
 * tells a profile replaced since (by an older kcsadm, oci-hook, another
 * host path, a module reload) from the one recorded.
 *
 *   {"format":1,"name","sha256","generation","exec_mode","rules",
 *    "exclusions","egress_mode","egress_rules","file_rules" (since file
 *    rules; absent in older records),"recorded_ms",
 *    "fqdn":[{"direction","rule","name","addresses":[...]}],
 *    "profile":{canonical profile}}
 */
#ifndef KCS_PROFILE_STATE_H
#define KCS_PROFILE_STATE_H

#include <stdint.h>
#include <jansson.h>

#include "ops.h"
#include "profile.h"

#define KCS_PROFILE_STATE_FORMAT	1
#define KCS_STATE_NO_COUNT		UINT32_MAX

struct kcs_profile_state {
	char name[KCS_NAME_MAX];
	char sha256[65];		/* of canonical */
	char *canonical;		/* malloc'ed: struct kcs_profile_spec */
	json_t *fqdn;			/* array as above (owned), never NULL */
	uint64_t generation;		/* the kernel's, read after applying */
	uint32_t kind, nrules, nexcept, egress_kind, egress_rules;
	/* File patterns; KCS_STATE_NO_COUNT in a record written before. */
	uint32_t file_rules;
	uint64_t recorded_ms;		/* CLOCK_REALTIME of the apply */
};

/* The content hash of a canonical profile (64 hex digits and a NUL). */
void kcs_profile_hash(const char *canonical, char out[65]);

/* A state from @spec (parsed, so canonical is set; FQDN rules resolved
 * or not) and the kernel's @info for it. */
int kcs_profile_state_build(const struct kcs_profile_spec *spec,
			    const struct kcs_profile_info *info,
			    struct kcs_profile_state *st, struct kcs_err *err);

/* Written atomically (rename), so a reader sees the old or the new one. */
int kcs_profile_state_save(const struct kcs_profile_state *st,
			   struct kcs_err *err);

/*
 * Reads profile @name's state. Returns 0, 1 when there is none (nothing
 * recorded: applied by something else), or -1 with @err when the file is
 * unreadable, malformed, or its hash does not match its profile.
 */
int kcs_profile_state_load(const char *name, struct kcs_profile_state *st,
			   struct kcs_err *err);

/* 0 when @st describes what the kernel reports in @info, else 1 with
 * the first difference in @why. */
int kcs_profile_state_check(const struct kcs_profile_state *st,
			    const struct kcs_profile_info *info, char *why,
			    size_t len);

/* Forgets profile @name's state (none is fine). */
int kcs_profile_state_remove(const char *name, struct kcs_err *err);

void kcs_profile_state_free(struct kcs_profile_state *st);

/* Resolves a name now: kcs_net_resolve_name(), or a test's stand-in. */
typedef int (*kcs_resolve_fn)(const char *name, struct kcs_net_resolved **v,
			      size_t *n, struct kcs_err *err);

/*
 * `profile show --resolve`: beside each FQDN entry's "addresses" (what
 * the last apply or netwatch refresh put in force) the addresses its name
 * resolves to now, for whoever asks whether a refresh is due. Adds to
 * each entry of @st->fqdn "addresses_now" (null when the name could not
 * be resolved), "resolve_error" (why, else null), "differs" (the two
 * sets differ; null when unresolved), "added" (now, not in force) and
 * "removed" (in force, not now; both null when unresolved). A name in
 * several rules is resolved once. Nothing is applied or saved. 0, or -1
 * when out of memory or @st->fqdn is malformed.
 */
int kcs_profile_state_resolve(struct kcs_profile_state *st,
			      kcs_resolve_fn resolve);

/* After applying @spec: reads the profile back from the kernel and
 * saves its state. */
int kcs_profile_record(struct kcs_nl *nl, const struct kcs_profile_spec *spec,
		       struct kcs_err *err);

#endif /* KCS_PROFILE_STATE_H */
