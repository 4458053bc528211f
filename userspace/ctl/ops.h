/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kcs commands as C calls: one function per request of uapi/linux/kcs.h.
 * Every function returns 0, or -1 with @err set (exit code and message).
 */
#ifndef KCS_OPS_H
#define KCS_OPS_H

#include <stdint.h>

#include "bound_profiles.h"
#include "nl.h"
#include "profile_build.h"

/* Stats the module may report; more than KCS_STAT_MAX when it is newer. */
#define KCS_STATUS_MAX_STATS	64

struct kcs_status {
	uint32_t abi_version;
	uint32_t nprofiles;
	uint32_t nbindings;
	uint32_t hooks_proven;	/* BIT(enum kcs_hook); 0 from an older module */
	uint32_t nsubscribers;	/* sockets receiving events */
	size_t nstats;
	struct { uint16_t type; uint64_t value; } stats[KCS_STATUS_MAX_STATS];
};

int kcs_status_get(struct kcs_nl *nl, struct kcs_status *st,
		   struct kcs_err *err);

struct kcs_profile_info {
	char name[KCS_NAME_MAX];
	uint32_t kind;		/* enum kcs_exec_kind */
	uint32_t nrules;
	uint32_t nexcept;
	uint32_t nbindings;
	uint64_t mem;		/* bytes of kernel memory */
	uint64_t generation;
	uint32_t egress_kind;	/* enum kcs_net_kind */
	uint32_t egress_rules;
	uint32_t net_flags;	/* KCS_NET_F_* */
	uint32_t file_rules;	/* file patterns: deny_read + deny_write + monitor */
	uint32_t syscall_rules;	/* application rules */
};

int kcs_profile_set(struct kcs_nl *nl, const struct kcs_compiled_profile *cp,
		    struct kcs_err *err);
int kcs_profile_del(struct kcs_nl *nl, const char *name, struct kcs_err *err);
int kcs_profile_get(struct kcs_nl *nl, const char *name,
		    struct kcs_profile_info *info, struct kcs_err *err);

/* Called per profile/binding of a dump; return -1 (with @err) to fail. */
typedef int (*kcs_profile_fn)(const struct kcs_profile_info *p, void *arg,
			      struct kcs_err *err);
int kcs_profile_list(struct kcs_nl *nl, kcs_profile_fn fn, void *arg,
		     struct kcs_err *err);

struct kcs_binding {
	uint64_t cgroup_id;
	struct kcs_profiles profiles;	/* n >= 1 */
	uint64_t caps_block;	/* 1 << CAP_*; 0 from an older module */
};

/* What a bind asks for. @root_pid: whose root is the container's (0: the
 * first exec's); @caps: 1 << CAP_* the bound tasks may not use (0: none). */
struct kcs_bind_req {
	uint64_t cgroup_id;
	unsigned int nprofiles;	/* 1..KCS_BIND_PROFILES_MAX */
	const char *profile[KCS_BIND_PROFILES_MAX];
	uint32_t mode[KCS_BIND_PROFILES_MAX];
	uint32_t root_pid;
	uint64_t caps;
};

int kcs_bind_req(struct kcs_nl *nl, const struct kcs_bind_req *req,
		 struct kcs_err *err);
/* One profile: a kcs_bind_req of one. */
int kcs_bind(struct kcs_nl *nl, uint64_t cgroup_id, const char *profile,
	     uint32_t mode, uint32_t root_pid, struct kcs_err *err);
int kcs_bind_caps(struct kcs_nl *nl, uint64_t cgroup_id, const char *profile,
		  uint32_t mode, uint32_t root_pid, uint64_t caps,
		  struct kcs_err *err);
int kcs_unbind(struct kcs_nl *nl, uint64_t cgroup_id, struct kcs_err *err);

typedef int (*kcs_binding_fn)(const struct kcs_binding *b, void *arg,
			      struct kcs_err *err);
int kcs_bind_list(struct kcs_nl *nl, kcs_binding_fn fn, void *arg,
		  struct kcs_err *err);

/* Every binding in one array: kcs_bind_list(nl, kcs_binding_collect, &vec,
 * err); the caller frees vec.v. */
struct kcs_binding_vec {
	struct kcs_binding *v;
	size_t n, cap;
};
int kcs_binding_collect(const struct kcs_binding *b, void *arg,
			struct kcs_err *err);

/* Reply helper: fails with a "malformed reply" error when @type is absent. */
int kcs_need(struct nlattr **tb, int type, const char *name,
	     struct kcs_err *err);

#endif /* KCS_OPS_H */
