// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <netlink/attr.h>

#include "ops.h"

int kcs_bind(struct kcs_nl *nl, uint64_t cgroup_id, const char *profile,
	     uint32_t mode, uint32_t root_pid, struct kcs_err *err)
{
	return kcs_bind_caps(nl, cgroup_id, profile, mode, root_pid, 0, err);
}

int kcs_bind_caps(struct kcs_nl *nl, uint64_t cgroup_id, const char *profile,
		  uint32_t mode, uint32_t root_pid, uint64_t caps,
		  struct kcs_err *err)
{
	char what[64];
	struct nl_msg *msg;

	msg = kcs_nl_msg(nl, KCS_CMD_BIND, 0, 128, err);
	if (!msg)
		return -1;
	if (nla_put_u64(msg, KCS_A_CGROUP_ID, cgroup_id) < 0 ||
	    nla_put_string(msg, KCS_A_PROFILE_NAME, profile) < 0 ||
	    nla_put_u32(msg, KCS_A_MODE, mode) < 0 ||
	    (root_pid && nla_put_u32(msg, KCS_A_ROOT_PID, root_pid) < 0) ||
	    (caps && nla_put_u64(msg, KCS_A_CAPS_BLOCK, caps) < 0)) {
		nlmsg_free(msg);
		return kcs_err_set(err, KCS_EXIT_FAILED, "building the request failed");
	}
	snprintf(what, sizeof(what), "bind cgroup %" PRIu64, cgroup_id);
	return kcs_nl_call(nl, msg, NULL, NULL, what, err);
}

int kcs_unbind(struct kcs_nl *nl, uint64_t cgroup_id, struct kcs_err *err)
{
	char what[64];
	struct nl_msg *msg;

	msg = kcs_nl_msg(nl, KCS_CMD_UNBIND, 0, 32, err);
	if (!msg)
		return -1;
	if (nla_put_u64(msg, KCS_A_CGROUP_ID, cgroup_id) < 0) {
		nlmsg_free(msg);
		return kcs_err_set(err, KCS_EXIT_FAILED, "building the request failed");
	}
	snprintf(what, sizeof(what), "unbind cgroup %" PRIu64, cgroup_id);
	return kcs_nl_call(nl, msg, NULL, NULL, what, err);
}

struct list_ctx {
	kcs_binding_fn fn;
	void *arg;
};

static int bind_reply(struct nlattr **tb, void *arg, struct kcs_err *err)
{
	struct list_ctx *l = arg;
	struct kcs_binding b;

	if (kcs_need(tb, KCS_A_CGROUP_ID, "KCS_A_CGROUP_ID", err) ||
	    kcs_need(tb, KCS_A_PROFILE_NAME, "KCS_A_PROFILE_NAME", err) ||
	    kcs_need(tb, KCS_A_MODE, "KCS_A_MODE", err))
		return -1;
	memset(&b, 0, sizeof(b));
	b.cgroup_id = nla_get_u64(tb[KCS_A_CGROUP_ID]);
	snprintf(b.profile, sizeof(b.profile), "%s",
		 nla_get_string(tb[KCS_A_PROFILE_NAME]));
	b.mode = nla_get_u32(tb[KCS_A_MODE]);
	if (tb[KCS_A_CAPS_BLOCK])
		b.caps_block = nla_get_u64(tb[KCS_A_CAPS_BLOCK]);
	return l->fn(&b, l->arg, err);
}

int kcs_bind_list(struct kcs_nl *nl, kcs_binding_fn fn, void *arg,
		  struct kcs_err *err)
{
	struct list_ctx l = { .fn = fn, .arg = arg };
	struct nl_msg *msg;

	msg = kcs_nl_msg(nl, KCS_CMD_BIND_GET, NLM_F_DUMP, 0, err);
	if (!msg)
		return -1;
	return kcs_nl_call(nl, msg, bind_reply, &l, "bindings", err);
}

int kcs_binding_collect(const struct kcs_binding *b, void *arg,
			struct kcs_err *err)
{
	struct kcs_binding_vec *c = arg;

	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 64;
		struct kcs_binding *v = realloc(c->v, cap * sizeof(*v));

		if (!v)
			return kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n++] = *b;
	return 0;
}
