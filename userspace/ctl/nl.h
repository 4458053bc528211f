/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink client for the kcs family: one request, its replies, and
 * errors mapped to exit codes with the kernel's extended-ack message.
 */
#ifndef KCS_NL_H
#define KCS_NL_H

#include <stddef.h>
#include <stdint.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <linux/kcs.h>

#include "err.h"

struct kcs_nl {
	struct nl_sock *sk;
	int family;		/* resolved by name on every open */
	/* Checks replies; kcs_nl_open sets the kcs policy (tests talking to
	 * another family set their own, or NULL). */
	const struct nla_policy *policy;
};

/*
 * Connect and resolve the family. Fails with KCS_EXIT_NOMODULE when the
 * family is not registered (module not loaded).
 */
int kcs_nl_open(struct kcs_nl *nl, struct kcs_err *err);
void kcs_nl_close(struct kcs_nl *nl);

/* A request for @cmd with KCS_GENL_VERSION; @flags adds e.g. NLM_F_DUMP. */
struct nl_msg *kcs_nl_msg(const struct kcs_nl *nl, uint8_t cmd, int flags,
			  size_t payload, struct kcs_err *err);

/*
 * Called for each reply message with its attributes parsed against the
 * reply policy (tb[KCS_A_MAX + 1]). Returns 0, or -1 with @err set.
 */
typedef int (*kcs_nl_reply_fn)(struct nlattr **tb, void *arg,
			       struct kcs_err *err);

/*
 * Send @msg (consumed) and wait for its completion: the ACK of a request,
 * or NLMSG_DONE of a dump. @what names the operation in error messages.
 */
int kcs_nl_call(struct kcs_nl *nl, struct nl_msg *msg, kcs_nl_reply_fn fn,
		void *arg, const char *what, struct kcs_err *err);

/* Parses a message's generic netlink attributes against the kcs reply
 * policy into tb[KCS_A_MAX + 1]. */
int kcs_nl_parse(struct nlmsghdr *nlh, struct nlattr **tb);

/* Raise @sk's send (@tx) or receive (@rx) buffer to @bytes, using the FORCE
 * variants when permitted (0 leaves that direction alone). */
void kcs_nl_grow_buffers(struct nl_sock *sk, int rx, int tx);

/* Turn on extended acks (and capped acks) on @sk. */
int kcs_nl_enable_ext_ack(struct nl_sock *sk);

/* ---- nl_err.c: errors ---- */

struct kcs_extack {
	char msg[512];		/* NLMSGERR_ATTR_MSG, "" when absent */
	int miss_type;		/* NLMSGERR_ATTR_MISS_TYPE, -1 when absent */
};

/*
 * Extract the extended ack of an NLMSG_ERROR message @nlh (whole message,
 * @nlh->nlmsg_len bytes). Returns 0, or -1 when @nlh is malformed.
 */
int kcs_extack_from_error(const struct nlmsghdr *nlh, struct kcs_extack *ext);

/* Same for the TLVs found at @tlvs (@len bytes). */
void kcs_extack_from_tlvs(const void *tlvs, size_t len, struct kcs_extack *ext);

/*
 * Fill @err for the kernel's answer @errnum (positive errno) to @what,
 * mapping it to an exit code and adding the extack message.
 */
int kcs_nl_fail(struct kcs_err *err, const char *what, int errnum,
		const struct kcs_extack *ext);

#endif /* KCS_NL_H */
