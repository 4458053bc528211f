/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Compiling a parsed profile into the blobs of KCS_CMD_PROFILE_SET, and
 * putting them into a request. Compilation happens entirely before any
 * netlink traffic, so a profile that does not compile never reaches the
 * kernel.
 */
#ifndef KCS_PROFILE_BUILD_H
#define KCS_PROFILE_BUILD_H

#include <stdint.h>
#include <netlink/msg.h>

#include "profile.h"
#include "ingress.h"

struct kcs_compiled_set {
	struct kcs_blob dfa;
	struct kcs_blob text;
	uint32_t npatterns;	/* hdr.naccept */
	uint32_t nstates;	/* hdr.nstates */
	uint32_t nscoped;	/* patterns scoped to a program */
};

struct kcs_compiled_profile {
	char name[KCS_NAME_MAX];
	enum kcs_exec_kind kind;
	struct kcs_compiled_set rules;	/* empty with KCS_EXEC_NONE */
	struct kcs_compiled_set except;	/* empty unless block w/ exclusions */
	struct kcs_compiled_set libs;	/* empty unless allow w/ libraries */
	enum kcs_net_kind egress_kind;
	struct kcs_blob egress[2], egress_text[2];	/* rules, exclusions */
	struct kcs_blob listen, listen_text;	/* empty: no listen rules */
	struct kcs_blob net_groups;	/* KCS_A_NET_GROUPS; empty: none */
	uint32_t net_flags;
	uint32_t egress_nrules;
	struct kcs_ingress ingress;	/* not for the kernel: nftables */
	struct kcs_compiled_set files[KCS_FILE_SETS];	/* empty: absent */
	enum kcs_sys_action file_default;	/* "files.default" */
	struct kcs_sys_compiled sys;	/* rules.len 0: no application rules */
};

/*
 * Compile every pattern set of @spec. Errors (KCS_EXIT_INVALID) name the
 * pattern's JSON location and byte position, or the ABI limit exceeded.
 */
int kcs_profile_compile(const struct kcs_profile_spec *spec,
			struct kcs_compiled_profile *out, struct kcs_err *err);

void kcs_compiled_free(struct kcs_compiled_profile *cp);

/* Drop a compiler message's " at byte @pos" tail: callers print it. */
void kcs_compile_strip_pos(char *msg, size_t pos);

/* Payload bytes the attributes of @cp take in a message (for buffer sizing). */
size_t kcs_profile_attrs_size(const struct kcs_compiled_profile *cp);

/* Add the KCS_CMD_PROFILE_SET attributes of @cp to @msg. */
int kcs_profile_put_attrs(struct nl_msg *msg,
			  const struct kcs_compiled_profile *cp,
			  struct kcs_err *err);

/*
 * Add @len bytes of @data as consecutive @type attributes of at most
 * KCS_CHUNK_MAX bytes each (at least one attribute, even when empty).
 */
int kcs_put_chunked(struct nl_msg *msg, int type, const void *data,
		    size_t len);

/* Bytes kcs_put_chunked() adds for @len bytes of payload. */
size_t kcs_chunked_size(size_t len);

#endif /* KCS_PROFILE_BUILD_H */
