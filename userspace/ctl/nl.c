// SPDX-License-Identifier: GPL-2.0
/*
 * The kcs generic netlink client: resolve the family, send one request and
 * drive libnl's receive loop until the request's ACK or the dump's DONE.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/errno.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>
#include <netlink/handlers.h>
#include <netlink/socket.h>

#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Slack above a message's size for the kernel's own accounting (it refuses
 * a message when len > sk_sndbuf - 32) and for libnl's headers. */
#define SNDBUF_SLACK	(64 * 1024)

/*
 * What kcsadm accepts from the kernel. A wrong-sized attribute makes the
 * whole reply malformed instead of being read out of bounds; attributes
 * appended by a newer module (type > KCS_A_MAX) are ignored by nla_parse.
 */
static struct nla_policy reply_policy[KCS_A_MAX + 1] = {
	[KCS_A_ABI_VERSION]	= { .type = NLA_U32 },
	[KCS_A_STATS]		= { .type = NLA_NESTED },
	[KCS_A_NPROFILES]	= { .type = NLA_U32 },
	[KCS_A_NBINDINGS]	= { .type = NLA_U32 },
	[KCS_A_PROFILE_NAME]	= { .type = NLA_STRING, .maxlen = KCS_NAME_MAX },
	[KCS_A_EXEC_KIND]	= { .type = NLA_U32 },
	[KCS_A_NRULES]		= { .type = NLA_U32 },
	[KCS_A_NEXCEPT]		= { .type = NLA_U32 },
	[KCS_A_PROFILE_MEM]	= { .type = NLA_U64 },
	[KCS_A_GENERATION]	= { .type = NLA_U64 },
	[KCS_A_CGROUP_ID]	= { .type = NLA_U64 },
	[KCS_A_MODE]		= { .type = NLA_U32 },
	[KCS_A_EV_SEQ]		= { .type = NLA_U64 },
	[KCS_A_EV_TIME_NS]	= { .type = NLA_U64 },
	[KCS_A_EV_HOOK]		= { .type = NLA_U32 },
	[KCS_A_EV_VERDICT]	= { .type = NLA_U32 },
	[KCS_A_EV_PID]		= { .type = NLA_U32 },
	[KCS_A_EV_TGID]		= { .type = NLA_U32 },
	[KCS_A_EV_PPID]		= { .type = NLA_U32 },
	[KCS_A_EV_UID]		= { .type = NLA_U32 },
	[KCS_A_EV_COMM]		= { .type = NLA_STRING },
	[KCS_A_EV_BOUND_CGROUP_ID] = { .type = NLA_U64 },
	[KCS_A_EV_PATH]		= { .type = NLA_STRING },
	[KCS_A_EV_INVOKED]	= { .type = NLA_STRING },
	[KCS_A_EV_APPLET]	= { .type = NLA_STRING },
	[KCS_A_EV_RULE_KIND]	= { .type = NLA_U32 },
	[KCS_A_EV_RULE]		= { .type = NLA_STRING },
	[KCS_A_EV_DROPPED]	= { .type = NLA_U64 },
	[KCS_A_NET_EGRESS_KIND]	= { .type = NLA_U32 },
	[KCS_A_NET_FLAGS]	= { .type = NLA_U32 },
	[KCS_A_NET_NRULES]	= { .type = NLA_U32 },
	[KCS_A_EV_NET_FAMILY]	= { .type = NLA_U32 },
	[KCS_A_EV_NET_PROTO]	= { .type = NLA_U32 },
	[KCS_A_EV_NET_ADDR]	= { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 16 },
	[KCS_A_EV_NET_PORT]	= { .type = NLA_U32 },
	[KCS_A_HOOKS_PROVEN]	= { .type = NLA_U32 },
	[KCS_A_PROBE_HOOKS]	= { .type = NLA_NESTED },
	[KCS_A_PROBE_TARGET]	= { .type = NLA_STRING, .maxlen = 128 },
	[KCS_A_PROBE_SIGNATURE]	= { .type = NLA_STRING, .maxlen = 256 },
	[KCS_A_PROBE_FIRED]	= { .type = NLA_U32 },
	[KCS_A_CAPS_BLOCK]	= { .type = NLA_U64 },
	[KCS_A_EV_CAP]		= { .type = NLA_U32 },
	[KCS_A_NSUBSCRIBERS]	= { .type = NLA_U32 },
	[KCS_A_BIND_MORE]	= { .type = NLA_NESTED },
	[KCS_A_FILE_NRULES]	= { .type = NLA_U32 },
	[KCS_A_SYS_NRULES]	= { .type = NLA_U32 },
	[KCS_A_EV_SYSCALL]	= { .type = NLA_STRING },
	[KCS_A_EV_SYS_ARGS]	= { .type = NLA_UNSPEC },
	[KCS_A_EV_SYS_COMPAT]	= { .type = NLA_U32 },
	[KCS_A_EV_FILE_OP]	= { .type = NLA_U32 },
	[KCS_A_EV_FILE_ACCESS]	= { .type = NLA_U32 },
};

int kcs_nl_parse(struct nlmsghdr *nlh, struct nlattr **tb)
{
	return genlmsg_parse(nlh, 0, tb, KCS_A_MAX, reply_policy);
}

int kcs_nl_enable_ext_ack(struct nl_sock *sk)
{
	int one = 1, fd = nl_socket_get_fd(sk);

	/*
	 * libnl 3.7 has no nl_socket_set_ext_ack(), so set the option
	 * directly. CAP_ACK keeps the kernel from echoing a whole (possibly
	 * 100 MB) PROFILE_SET request back inside its error message.
	 */
	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) < 0)
		return -1;
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return 0;
}

void kcs_nl_grow_buffers(struct nl_sock *sk, int rx, int tx)
{
	int fd = nl_socket_get_fd(sk);

	/*
	 * The plain options are capped by net.core.[rw]mem_max; the FORCE
	 * variants are not but need CAP_NET_ADMIN, which every kcs command
	 * needs anyway. A failing FORCE is fine: the plain value stands and
	 * the kernel reports EMSGSIZE/ENOBUFS if it really is too small.
	 * (nl_socket_set_buffer_size treats 0 as "32 KiB", so a direction
	 * left alone gets exactly that default.)
	 */
	nl_socket_set_buffer_size(sk, rx, tx);
	if (rx > 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rx, sizeof(rx));
	if (tx > 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &tx, sizeof(tx));
}

int kcs_nl_open(struct kcs_nl *nl, struct kcs_err *err)
{
	int ret;

	memset(nl, 0, sizeof(*nl));
	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		return kcs_err_set(err, KCS_EXIT_FAILED, "netlink: out of memory");
	ret = genl_connect(nl->sk);
	if (ret < 0) {
		kcs_err_set(err, KCS_EXIT_FAILED, "netlink: cannot connect: %s",
			    nl_geterror(ret));
		goto fail;
	}
	if (kcs_nl_enable_ext_ack(nl->sk) < 0) {
		kcs_err_set(err, KCS_EXIT_FAILED,
			    "netlink: cannot enable extended acks: %s",
			    strerror(errno));
		goto fail;
	}
	/* Never cached: a reloaded module gets a new family id. */
	ret = genl_ctrl_resolve(nl->sk, KCS_GENL_NAME);
	if (ret < 0) {
		if (ret == -NLE_OBJ_NOTFOUND)
			kcs_err_set(err, KCS_EXIT_NOMODULE,
				    "kcs module not loaded (generic netlink family \"%s\" not found; it is only visible in the initial network namespace); load it with `kcsadm load`",
				    KCS_GENL_NAME);
		else
			kcs_err_set(err, KCS_EXIT_FAILED,
				    "netlink: resolving family \"%s\": %s",
				    KCS_GENL_NAME, nl_geterror(ret));
		goto fail;
	}
	nl->family = ret;
	nl->policy = reply_policy;
	return 0;
fail:
	kcs_nl_close(nl);
	return -1;
}

void kcs_nl_close(struct kcs_nl *nl)
{
	nl_socket_free(nl->sk);	/* NULL-safe */
	nl->sk = NULL;
}

struct nl_msg *kcs_nl_msg(const struct kcs_nl *nl, uint8_t cmd, int flags,
			  size_t payload, struct kcs_err *err)
{
	struct nl_msg *msg;

	msg = nlmsg_alloc_size(NLMSG_SPACE(GENL_HDRLEN + payload));
	if (!msg) {
		kcs_err_set(err, KCS_EXIT_FAILED,
			    "netlink: cannot allocate a %zu byte message", payload);
		return NULL;
	}
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags,
			 cmd, KCS_GENL_VERSION)) {
		nlmsg_free(msg);
		kcs_err_set(err, KCS_EXIT_FAILED, "netlink: message too small");
		return NULL;
	}
	return msg;
}

struct call {
	const struct nla_policy *policy;
	kcs_nl_reply_fn fn;
	void *arg;
	struct kcs_err *err;
	int done;		/* ACK or DONE seen */
	int failed;		/* fn failed or the reply was malformed */
	int kerr;		/* errno from the kernel, positive */
	unsigned int seq;	/* the request's */
	struct kcs_extack ext;
};

/*
 * Replies carry the request's sequence number. A socket subscribed to
 * events also receives events (sequence number 0) before the reply: they
 * are not this call's, so skipped. Anything else is a protocol error.
 */
static int on_seq(struct nl_msg *msg, void *arg)
{
	struct call *c = arg;
	unsigned int seq = nlmsg_hdr(msg)->nlmsg_seq;

	if (seq == c->seq)
		return NL_OK;
	if (seq == 0)
		return NL_SKIP;
	c->done = 1;
	c->failed = 1;
	kcs_err_set(c->err, KCS_EXIT_FAILED,
		    "netlink: a reply to another request (sequence %u, not %u)",
		    seq, c->seq);
	return NL_STOP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct call *c = arg;
	struct nlattr *tb[KCS_A_MAX + 1];

	if (c->failed || !c->fn)
		return NL_SKIP;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, KCS_A_MAX,
			  (struct nla_policy *)c->policy) < 0) {
		c->failed = 1;
		kcs_err_set(c->err, KCS_EXIT_FAILED,
			    "malformed reply from the kcs module");
		return NL_SKIP;	/* keep reading to the end of the dump */
	}
	if (c->fn(tb, c->arg, c->err) < 0)
		c->failed = 1;
	return NL_SKIP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct call *c = arg;

	(void)msg;
	c->done = 1;
	return NL_STOP;
}

/* NLMSG_DONE carries the dump's final status; a failed dump puts its errno
 * (negative) there, followed by extack TLVs. */
static int on_finish(struct nl_msg *msg, void *arg)
{
	struct call *c = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int len = nlmsg_datalen(nlh), status;

	c->done = 1;
	if (len >= (int)sizeof(int)) {
		memcpy(&status, nlmsg_data(nlh), sizeof(status));
		if (status < 0) {
			int off = NLMSG_ALIGN(sizeof(int));

			c->kerr = -status;
			if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && len > off)
				kcs_extack_from_tlvs((char *)nlmsg_data(nlh) + off,
						     len - off, &c->ext);
		}
	}
	return NL_STOP;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct call *c = arg;
	const struct nlmsghdr *nlh =
		(const struct nlmsghdr *)((const char *)e - NLMSG_HDRLEN);

	(void)nla;
	c->done = 1;
	c->kerr = e->error < 0 ? -e->error : e->error;
	kcs_extack_from_error(nlh, &c->ext);
	return NL_STOP;
}

/*
 * Make sure the kernel accepts a message of @len bytes from @sk: libnl's
 * default send buffer is 32 KiB (64 KiB once the kernel doubles it).
 */
static void fit_sndbuf(struct nl_sock *sk, size_t len)
{
	size_t want = len + SNDBUF_SLACK;

	if (len <= 16384)
		return;
	if (want > INT32_MAX / 2)
		want = INT32_MAX / 2;	/* the kernel doubles it */
	kcs_nl_grow_buffers(sk, 0, (int)want);
}

int kcs_nl_call(struct kcs_nl *nl, struct nl_msg *msg, kcs_nl_reply_fn fn,
		void *arg, const char *what, struct kcs_err *err)
{
	struct call c = { .policy = nl->policy, .fn = fn, .arg = arg,
			  .err = err };
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nl_cb *cb;
	unsigned int len;
	int ret;

	/* Dumps end with NLMSG_DONE; everything else asks for an ACK so
	 * that success is confirmed, not assumed. */
	if (!(nlh->nlmsg_flags & NLM_F_DUMP))
		nlh->nlmsg_flags |= NLM_F_ACK;
	len = nlh->nlmsg_len;
	fit_sndbuf(nl->sk, len);

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return kcs_err_set(err, KCS_EXIT_FAILED, "%s: out of memory", what);
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &c);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &c);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &c);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &c);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, on_seq, &c);

	errno = 0;
	ret = nl_send_auto(nl->sk, msg);
	c.seq = nlh->nlmsg_seq;	/* set by nl_send_auto */
	nlmsg_free(msg);
	if (ret < 0) {
		/* libnl folds some errnos (EMSGSIZE) into "unspecific". */
		int e = errno;

		nl_cb_put(cb);
		return kcs_err_set(err, KCS_EXIT_FAILED,
				   "%s: sending the %u-byte request: %s", what, len,
				   e ? strerror(e) : nl_geterror(ret));
	}
	while (!c.done) {
		ret = nl_recvmsgs(nl->sk, cb);
		if (ret < 0 && !c.kerr) {
			nl_cb_put(cb);
			return kcs_err_set(err, KCS_EXIT_FAILED,
					   "%s: receiving the reply: %s", what,
					   nl_geterror(ret));
		}
	}
	nl_cb_put(cb);
	if (c.kerr)
		return kcs_nl_fail(err, what, c.kerr, &c.ext);
	return c.failed ? -1 : 0;
}
