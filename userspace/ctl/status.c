// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <netlink/attr.h>

#include "ops.h"

int kcs_need(struct nlattr **tb, int type, const char *name,
	     struct kcs_err *err)
{
	if (tb[type])
		return 0;
	return kcs_err_set(err, KCS_EXIT_FAILED,
			   "malformed reply from the kcs module: no %s", name);
}

static int status_reply(struct nlattr **tb, void *arg, struct kcs_err *err)
{
	struct kcs_status *st = arg;
	struct nlattr *a;
	int rem;

	if (kcs_need(tb, KCS_A_ABI_VERSION, "KCS_A_ABI_VERSION", err) ||
	    kcs_need(tb, KCS_A_STATS, "KCS_A_STATS", err) ||
	    kcs_need(tb, KCS_A_NPROFILES, "KCS_A_NPROFILES", err) ||
	    kcs_need(tb, KCS_A_NBINDINGS, "KCS_A_NBINDINGS", err))
		return -1;
	st->abi_version = nla_get_u32(tb[KCS_A_ABI_VERSION]);
	st->nprofiles = nla_get_u32(tb[KCS_A_NPROFILES]);
	st->nbindings = nla_get_u32(tb[KCS_A_NBINDINGS]);
	if (tb[KCS_A_HOOKS_PROVEN])
		st->hooks_proven = nla_get_u32(tb[KCS_A_HOOKS_PROVEN]);
	if (tb[KCS_A_NSUBSCRIBERS])
		st->nsubscribers = nla_get_u32(tb[KCS_A_NSUBSCRIBERS]);
	/* Kept in the kernel's order and by type, so a newer module's extra
	 * stats are shown (by number) rather than dropped. */
	nla_for_each_nested(a, tb[KCS_A_STATS], rem) {
		int type = nla_type(a);

		if (type == KCS_STAT_PAD || type == KCS_STAT_UNSPEC)
			continue;
		if (nla_len(a) != sizeof(uint64_t))
			return kcs_err_set(err, KCS_EXIT_FAILED,
					   "malformed reply from the kcs module: stat %d is %d bytes, not 8",
					   type, nla_len(a));
		if (st->nstats == KCS_STATUS_MAX_STATS)
			break;
		st->stats[st->nstats].type = (uint16_t)type;
		st->stats[st->nstats].value = nla_get_u64(a);
		st->nstats++;
	}
	return 0;
}

int kcs_status_get(struct kcs_nl *nl, struct kcs_status *st,
		   struct kcs_err *err)
{
	struct nl_msg *msg;

	memset(st, 0, sizeof(*st));
	msg = kcs_nl_msg(nl, KCS_CMD_STATUS, 0, 0, err);
	if (!msg)
		return -1;
	return kcs_nl_call(nl, msg, status_reply, st, "status", err);
}
