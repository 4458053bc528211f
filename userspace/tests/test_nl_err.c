// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel errors: the extack message is found in NLMSG_ERROR messages laid
 * out as the kernel lays them out (capped or not), and errnos map to the
 * documented exit codes and messages.
 */
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include <linux/netlink.h>

#include "nl.h"
#include "tap.h"

#define KCS_STR(x) #x
#define KCS_XSTR(x) KCS_STR(x)
#define KCS_VERSION_STR KCS_XSTR(KCS_GENL_VERSION)

/*
 * An NLMSG_ERROR answering a request with @req_payload bytes of payload,
 * as net/netlink/af_netlink.c:netlink_ack() builds it.
 */
static struct nl_msg *error_msg(int errnum, size_t req_payload, int capped,
				const char *text, int miss_type)
{
	struct nl_msg *msg = nlmsg_alloc_size(8192);
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;
	size_t payload = sizeof(*e) + (capped ? 0 : req_payload);

	nlh = nlmsg_put(msg, 0, 1, NLMSG_ERROR, (int)payload,
			capped ? NLM_F_CAPPED : 0);
	e = nlmsg_data(nlh);
	e->error = -errnum;
	e->msg.nlmsg_len = NLMSG_HDRLEN + req_payload;
	e->msg.nlmsg_type = 0x42;
	if (!capped)	/* the echoed request body: junk that must be skipped */
		memset(e + 1, 0xa5, req_payload);
	if (text || miss_type >= 0)
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	if (text)
		nla_put_string(msg, NLMSGERR_ATTR_MSG, text);
	if (miss_type >= 0)
		nla_put_u32(msg, NLMSGERR_ATTR_MISS_TYPE, (uint32_t)miss_type);
	return msg;
}

static void test_extack(void)
{
	static const size_t payloads[] = { 0, 3, 4, 37, 1000 };
	struct kcs_extack ext;
	struct nl_msg *m;
	size_t i;
	int capped;

	for (capped = 0; capped <= 1; capped++) {
		for (i = 0; i < sizeof(payloads) / sizeof(payloads[0]); i++) {
			m = error_msg(EBUSY, payloads[i], capped, "profile is bound", -1);
			tap_ok(kcs_extack_from_error(nlmsg_hdr(m), &ext) == 0,
			       "capped=%d payload=%zu parses", capped, payloads[i]);
			tap_is_str(ext.msg, "profile is bound",
				   "capped=%d payload=%zu message found", capped,
				   payloads[i]);
			nlmsg_free(m);
		}
	}
	m = error_msg(EINVAL, 12, 0, NULL, 7);
	tap_ok(kcs_extack_from_error(nlmsg_hdr(m), &ext) == 0 && ext.msg[0] == '\0' &&
	       ext.miss_type == 7, "missing-attribute type found");
	nlmsg_free(m);

	m = error_msg(EINVAL, 12, 0, NULL, -1);
	tap_ok(kcs_extack_from_error(nlmsg_hdr(m), &ext) == 0 && ext.msg[0] == '\0' &&
	       ext.miss_type == -1, "no TLVs: nothing found");
	nlmsg_free(m);

	/* A lying length must not send the parser past the message. */
	m = error_msg(EINVAL, 12, 0, "x", -1);
	((struct nlmsgerr *)nlmsg_data(nlmsg_hdr(m)))->msg.nlmsg_len = 100000;
	tap_ok(kcs_extack_from_error(nlmsg_hdr(m), &ext) == -1,
	       "echoed length beyond the message refused");
	nlmsg_free(m);
}

static void test_fail(void)
{
	static const struct {
		int errnum;
		enum kcs_exit code;
		const char *want;
	} cases[] = {
		{ EPERM, KCS_EXIT_PERM,
		  "needs CAP_NET_ADMIN and CAP_MAC_ADMIN in the initial user namespace, outside every bound cgroup (run as root on the host)" },
		{ EACCES, KCS_EXIT_PERM, "needs CAP_NET_ADMIN" },
		{ ENOENT, KCS_EXIT_NOTFOUND, "No such file or directory" },
		{ EBUSY, KCS_EXIT_BUSY, "busy" },
		{ EINVAL, KCS_EXIT_INVALID, "Invalid argument" },
		{ E2BIG, KCS_EXIT_INVALID, "too long" },
		{ EPROTONOSUPPORT, KCS_EXIT_FAILED, "does not speak protocol version " KCS_VERSION_STR },
		{ ENOMEM, KCS_EXIT_FAILED, "memory" },
		{ EIO, KCS_EXIT_FAILED, "error" },
	};
	struct kcs_extack ext = { .miss_type = -1 };
	struct kcs_err err;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tap_ok(kcs_nl_fail(&err, "op", cases[i].errnum, NULL) == -1 &&
		       err.code == cases[i].code, "errno %d -> exit %d",
		       cases[i].errnum, cases[i].code);
		tap_has(err.msg, cases[i].want, "errno %d message", cases[i].errnum);
		tap_ok(!strncmp(err.msg, "op: ", 4), "errno %d names the operation",
		       cases[i].errnum);
	}
	strcpy(ext.msg, "no profile with this name");
	kcs_nl_fail(&err, "profile show \"x\"", ENOENT, &ext);
	tap_has(err.msg, "(kernel: no profile with this name)", "extack shown");
	ext.msg[0] = '\0';
	ext.miss_type = KCS_A_MODE;
	kcs_nl_fail(&err, "bind", EINVAL, &ext);
	tap_has(err.msg, "missing attribute", "missing attribute shown");
}

int main(void)
{
	test_extack();
	test_fail();
	return tap_done();
}
