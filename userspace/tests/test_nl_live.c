// SPDX-License-Identifier: GPL-2.0
/*
 * kcs_nl_call() against a real kernel family: the generic netlink
 * controller ("nlctrl") is always there, so requests, replies, dumps, kernel
 * errors with extended acks and oversized requests are exercised end to end
 * even where kcs.ko cannot be loaded. Skips when netlink is unavailable.
 */
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>
#include <linux/genetlink.h>

#include "nl.h"
#include "tap.h"

static int count_reply(struct nlattr **tb, void *arg, struct kcs_err *err)
{
	(void)tb;
	(void)err;
	++*(int *)arg;
	return 0;
}

static int fail_reply(struct nlattr **tb, void *arg, struct kcs_err *err)
{
	(void)tb;
	++*(int *)arg;
	return kcs_err_set(err, KCS_EXIT_INVALID, "callback refused");
}

static int open_ctrl(struct kcs_nl *nl)
{
	nl->family = GENL_ID_CTRL;
	nl->policy = NULL;	/* nlctrl's replies are not kcs attributes */
	nl->sk = nl_socket_alloc();
	if (!nl->sk || genl_connect(nl->sk) < 0 ||
	    kcs_nl_enable_ext_ack(nl->sk) < 0) {
		kcs_nl_close(nl);
		return -1;
	}
	return 0;
}

static struct nl_msg *getfamily(struct kcs_nl *nl, int flags, const char *name)
{
	struct nl_msg *m = kcs_nl_msg(nl, CTRL_CMD_GETFAMILY, flags, 64, NULL);

	if (m && name)
		nla_put_string(m, CTRL_ATTR_FAMILY_NAME, name);
	return m;
}

int main(void)
{
	struct kcs_err err = { 0 };
	struct kcs_nl nl;
	struct nl_msg *m;
	int n, ret;
	char *junk;

	if (open_ctrl(&nl)) {
		tap_ok(1, "# SKIP no generic netlink here");
		return tap_done();
	}

	n = 0;
	ret = kcs_nl_call(&nl, getfamily(&nl, 0, "nlctrl"), count_reply, &n, "get", &err);
	tap_ok(ret == 0 && n == 1, "request: one reply, then the ACK ends it");

	n = 0;
	ret = kcs_nl_call(&nl, getfamily(&nl, NLM_F_DUMP, NULL), count_reply, &n,
			  "dump", &err);
	if (!tap_ok(ret == 0 && n >= 1, "dump: %d replies, NLMSG_DONE ends it", n)) tap_diag("%s", err.msg);

	n = 0;
	ret = kcs_nl_call(&nl, getfamily(&nl, NLM_F_DUMP, NULL), fail_reply, &n,
			  "dump", &err);
	tap_ok(ret == -1 && err.code == KCS_EXIT_INVALID && n == 1,
	       "a failing reply callback fails the call, once");
	/* The socket must still be in step after that early failure. */
	n = 0;
	ret = kcs_nl_call(&nl, getfamily(&nl, 0, "nlctrl"), count_reply, &n, "get", &err);
	tap_ok(ret == 0 && n == 1, "next request still works (dump was drained)");

	ret = kcs_nl_call(&nl, getfamily(&nl, 0, "kcsnosuch"), count_reply,
			  &n, "get missing", &err);
	if (!tap_ok(ret == -1 && err.code == KCS_EXIT_NOTFOUND, "ENOENT -> exit 6")) tap_diag("%d %s", err.code, err.msg);
	tap_has(err.msg, "get missing: ", "error names the operation");

	/* A u8 where the controller's policy wants a u16: the kernel says why
	 * in its extended ack. */
	m = kcs_nl_msg(&nl, CTRL_CMD_GETFAMILY, 0, 64, NULL);
	nla_put_u8(m, CTRL_ATTR_FAMILY_ID, 1);
	ret = kcs_nl_call(&nl, m, count_reply, &n, "bad attr", &err);
	tap_ok(ret == -1 && err.code == KCS_EXIT_INVALID, "policy violation -> exit 3");
	tap_has(err.msg, "(kernel: ", "extack message from the real kernel shown");

	/* 1 MiB request: more than the default send buffer takes. The kernel
	 * must receive it (and refuse it) instead of sendmsg failing, and the
	 * capped error must come back without echoing the request. */
	junk = calloc(1, KCS_CHUNK_MAX);
	m = kcs_nl_msg(&nl, CTRL_CMD_GETFAMILY, 0, 17 * (KCS_CHUNK_MAX + 4) + 64, NULL);
	nla_put_string(m, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	for (n = 0; n < 17; n++)
		nla_put(m, CTRL_ATTR_MAX + 10, KCS_CHUNK_MAX, junk);
	n = 0;
	ret = kcs_nl_call(&nl, m, count_reply, &n, "big", &err);
	tap_ok(ret == 0 || !strstr(err.msg, "sending"),
	       "1 MiB request reached the kernel (%s)", ret ? err.msg : "accepted");
	free(junk);

	kcs_nl_close(&nl);
	return tap_done();
}
