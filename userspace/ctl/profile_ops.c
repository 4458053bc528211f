// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/errno.h>

#include "ops.h"

int kcs_profile_set(struct kcs_nl *nl, const struct kcs_compiled_profile *cp,
		    struct kcs_err *err)
{
	char what[KCS_NAME_MAX + 32];
	struct nl_msg *msg;

	msg = kcs_nl_msg(nl, KCS_CMD_PROFILE_SET, 0,
			 kcs_profile_attrs_size(cp), err);
	if (!msg)
		return -1;
	if (kcs_profile_put_attrs(msg, cp, err)) {
		nlmsg_free(msg);
		return -1;
	}
	snprintf(what, sizeof(what), "profile apply \"%s\"", cp->name);
	return kcs_nl_call(nl, msg, NULL, NULL, what, err);
}

int kcs_profile_del(struct kcs_nl *nl, const char *name, struct kcs_err *err)
{
	char what[KCS_NAME_MAX + 32];
	struct nl_msg *msg;

	msg = kcs_nl_msg(nl, KCS_CMD_PROFILE_DEL, 0, KCS_NAME_MAX, err);
	if (!msg)
		return -1;
	if (nla_put_string(msg, KCS_A_PROFILE_NAME, name) < 0) {
		nlmsg_free(msg);
		return kcs_err_set(err, KCS_EXIT_FAILED, "building the request failed");
	}
	snprintf(what, sizeof(what), "profile delete \"%s\"", name);
	return kcs_nl_call(nl, msg, NULL, NULL, what, err);
}

static int to_info(struct nlattr **tb, struct kcs_profile_info *p,
		   struct kcs_err *err)
{
	memset(p, 0, sizeof(*p));
	if (kcs_need(tb, KCS_A_PROFILE_NAME, "KCS_A_PROFILE_NAME", err) ||
	    kcs_need(tb, KCS_A_EXEC_KIND, "KCS_A_EXEC_KIND", err))
		return -1;
	snprintf(p->name, sizeof(p->name), "%s",
		 nla_get_string(tb[KCS_A_PROFILE_NAME]));
	p->kind = nla_get_u32(tb[KCS_A_EXEC_KIND]);
	/* Counters are informational: absent reads as 0 rather than failing
	 * a listing. */
	if (tb[KCS_A_NRULES])
		p->nrules = nla_get_u32(tb[KCS_A_NRULES]);
	if (tb[KCS_A_NEXCEPT])
		p->nexcept = nla_get_u32(tb[KCS_A_NEXCEPT]);
	if (tb[KCS_A_NBINDINGS])
		p->nbindings = nla_get_u32(tb[KCS_A_NBINDINGS]);
	if (tb[KCS_A_PROFILE_MEM])
		p->mem = nla_get_u64(tb[KCS_A_PROFILE_MEM]);
	if (tb[KCS_A_GENERATION])
		p->generation = nla_get_u64(tb[KCS_A_GENERATION]);
	if (tb[KCS_A_NET_EGRESS_KIND])
		p->egress_kind = nla_get_u32(tb[KCS_A_NET_EGRESS_KIND]);
	if (tb[KCS_A_NET_NRULES])
		p->egress_rules = nla_get_u32(tb[KCS_A_NET_NRULES]);
	if (tb[KCS_A_NET_FLAGS])
		p->net_flags = nla_get_u32(tb[KCS_A_NET_FLAGS]);
	if (tb[KCS_A_FILE_NRULES])
		p->file_rules = nla_get_u32(tb[KCS_A_FILE_NRULES]);
	if (tb[KCS_A_SYS_NRULES])
		p->syscall_rules = nla_get_u32(tb[KCS_A_SYS_NRULES]);
	return 0;
}

struct get_one {
	struct kcs_profile_info *info;
	int seen;
};

static int get_reply(struct nlattr **tb, void *arg, struct kcs_err *err)
{
	struct get_one *g = arg;

	if (to_info(tb, g->info, err))
		return -1;
	g->seen = 1;
	return 0;
}

int kcs_profile_get(struct kcs_nl *nl, const char *name,
		    struct kcs_profile_info *info, struct kcs_err *err)
{
	char what[KCS_NAME_MAX + 32];
	struct get_one g = { .info = info };
	struct nl_msg *msg;

	msg = kcs_nl_msg(nl, KCS_CMD_PROFILE_GET, 0, KCS_NAME_MAX, err);
	if (!msg)
		return -1;
	if (nla_put_string(msg, KCS_A_PROFILE_NAME, name) < 0) {
		nlmsg_free(msg);
		return kcs_err_set(err, KCS_EXIT_FAILED, "building the request failed");
	}
	snprintf(what, sizeof(what), "profile show \"%s\"", name);
	if (kcs_nl_call(nl, msg, get_reply, &g, what, err))
		return -1;
	if (!g.seen)
		return kcs_err_set(err, KCS_EXIT_FAILED,
				   "%s: the kcs module acknowledged without a reply", what);
	return 0;
}

struct list_ctx {
	kcs_profile_fn fn;
	void *arg;
};

static int list_reply(struct nlattr **tb, void *arg, struct kcs_err *err)
{
	struct list_ctx *l = arg;
	struct kcs_profile_info p;

	if (to_info(tb, &p, err))
		return -1;
	return l->fn(&p, l->arg, err);
}

int kcs_profile_list(struct kcs_nl *nl, kcs_profile_fn fn, void *arg,
		     struct kcs_err *err)
{
	struct list_ctx l = { .fn = fn, .arg = arg };
	struct nl_msg *msg;

	msg = kcs_nl_msg(nl, KCS_CMD_PROFILE_GET, NLM_F_DUMP, 0, err);
	if (!msg)
		return -1;
	return kcs_nl_call(nl, msg, list_reply, &l, "profile list", err);
}
