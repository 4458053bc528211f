// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel errors: the extended ack the kernel appends to NLMSG_ERROR (and to
 * NLMSG_DONE of a failed dump), and errno -> exit code + message.
 */
#include <stdio.h>
#include <string.h>
#include <netlink/attr.h>
#include <linux/netlink.h>

#include "nl.h"

void kcs_extack_from_tlvs(const void *tlvs, size_t len, struct kcs_extack *ext)
{
	static struct nla_policy pol[NLMSGERR_ATTR_MAX + 1] = {
		[NLMSGERR_ATTR_MSG] = { .type = NLA_STRING },
		[NLMSGERR_ATTR_MISS_TYPE] = { .type = NLA_U32 },
	};
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];

	ext->msg[0] = '\0';
	ext->miss_type = -1;
	if (!len || len > INT32_MAX)
		return;
	/* A malformed TLV area loses the message, never the error itself. */
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)tlvs, (int)len,
		      pol) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(ext->msg, sizeof(ext->msg), "%s",
			 nla_get_string(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_MISS_TYPE])
		ext->miss_type = (int)nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
}

int kcs_extack_from_error(const struct nlmsghdr *nlh, struct kcs_extack *ext)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	size_t total = nlh->nlmsg_len, off;

	ext->msg[0] = '\0';
	ext->miss_type = -1;
	if (total < NLMSG_SPACE(sizeof(*e)))
		return -1;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	/*
	 * Layout: nlmsgerr, then (unless NLM_F_CAPPED) the payload of the
	 * request it answers, padded to NLMSG_ALIGNTO, then the TLVs.
	 */
	off = sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < NLMSG_HDRLEN)
			return -1;
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	}
	off = NLMSG_HDRLEN + NLMSG_ALIGN(off);
	if (off > total)
		return -1;
	kcs_extack_from_tlvs((const char *)nlh + off, total - off, ext);
	return 0;
}

int kcs_nl_fail(struct kcs_err *err, const char *what, int errnum,
		const struct kcs_extack *ext)
{
	char detail[600] = "";

	if (ext && ext->msg[0])
		snprintf(detail, sizeof(detail), " (kernel: %s)", ext->msg);
	else if (ext && ext->miss_type >= 0)
		snprintf(detail, sizeof(detail),
			 " (kernel: missing attribute %d)", ext->miss_type);

	switch (errnum) {
	case EPERM:
	case EACCES:
		return kcs_err_set(err, KCS_EXIT_PERM,
				   "%s: permission denied: needs CAP_NET_ADMIN and CAP_MAC_ADMIN in the initial user namespace, outside every bound cgroup (run as root on the host)%s",
				   what, detail);
	case EPROTONOSUPPORT:
		return kcs_err_set(err, KCS_EXIT_FAILED,
				   "%s: the loaded kcs module does not speak protocol version %d of this kcsadm; use matching versions%s",
				   what, KCS_GENL_VERSION, detail);
	default:
		return kcs_err_set(err, kcs_exit_from_errno(errnum), "%s: %s%s",
				   what, strerror(errnum), detail);
	}
}
