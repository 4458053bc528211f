// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <netlink/attr.h>

#include "names.h"
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
	struct kcs_bind_req req = {
		.cgroup_id = cgroup_id, .nprofiles = 1, .profile = { profile },
		.mode = { mode }, .root_pid = root_pid, .caps = caps,
	};

	return kcs_bind_req(nl, &req, err);
}

/* The profiles after the first: KCS_A_BIND_MORE (see uapi/linux/kcs.h). */
static int put_more(struct nl_msg *msg, const struct kcs_bind_req *req)
{
	struct nlattr *more, *one;
	unsigned int i;

	if (req->nprofiles < 2)
		return 0;
	more = nla_nest_start(msg, KCS_A_BIND_MORE);
	if (!more)
		return -1;
	for (i = 1; i < req->nprofiles; i++) {
		one = nla_nest_start(msg, KCS_A_BIND_PROFILE);
		if (!one ||
		    nla_put_string(msg, KCS_A_PROFILE_NAME, req->profile[i]) < 0 ||
		    nla_put_u32(msg, KCS_A_MODE, req->mode[i]) < 0)
			return -1;
		nla_nest_end(msg, one);
	}
	nla_nest_end(msg, more);
	return 0;
}

int kcs_bind_req(struct kcs_nl *nl, const struct kcs_bind_req *req,
		 struct kcs_err *err)
{
	char what[64];
	struct nl_msg *msg;

	if (!req->nprofiles || req->nprofiles > KCS_BIND_PROFILES_MAX)
		return kcs_err_set(err, KCS_EXIT_USAGE,
				   "a binding has 1 to %d profiles, not %u",
				   KCS_BIND_PROFILES_MAX, req->nprofiles);
	msg = kcs_nl_msg(nl, KCS_CMD_BIND, 0, 128 + 96 * req->nprofiles, err);
	if (!msg)
		return -1;
	if (nla_put_u64(msg, KCS_A_CGROUP_ID, req->cgroup_id) < 0 ||
	    nla_put_string(msg, KCS_A_PROFILE_NAME, req->profile[0]) < 0 ||
	    nla_put_u32(msg, KCS_A_MODE, req->mode[0]) < 0 ||
	    (req->root_pid && nla_put_u32(msg, KCS_A_ROOT_PID, req->root_pid) < 0) ||
	    (req->caps && nla_put_u64(msg, KCS_A_CAPS_BLOCK, req->caps) < 0) ||
	    put_more(msg, req)) {
		nlmsg_free(msg);
		return kcs_err_set(err, KCS_EXIT_FAILED, "building the request failed");
	}
	snprintf(what, sizeof(what), "bind cgroup %" PRIu64, req->cgroup_id);
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

char *kcs_profiles_text(const struct kcs_profiles *p, char *buf, size_t len)
{
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < p->n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s (%s)",
					i ? ", " : "", p->name[i],
					kcs_mode_name(p->mode[i]));
	return buf;
}

struct list_ctx {
	kcs_binding_fn fn;
	void *arg;
};

/* KCS_A_BIND_MORE of a dump reply into @b's profiles 1..n. */
static int get_more(struct nlattr *more, struct kcs_profiles *b,
		    struct kcs_err *err)
{
	static struct nla_policy pol[KCS_A_MAX + 1] = {
		[KCS_A_PROFILE_NAME] = { .type = NLA_STRING, .maxlen = KCS_NAME_MAX },
		[KCS_A_MODE] = { .type = NLA_U32 },
	};
	struct nlattr *tb[KCS_A_MAX + 1], *e;
	int rem;

	nla_for_each_nested(e, more, rem) {
		if (nla_type(e) != KCS_A_BIND_PROFILE)
			continue;
		if (b->n == KCS_BIND_PROFILES_MAX ||
		    nla_parse_nested(tb, KCS_A_MAX, e, pol) < 0 ||
		    !tb[KCS_A_PROFILE_NAME] || !tb[KCS_A_MODE])
			return kcs_err_set(err, KCS_EXIT_FAILED,
					   "malformed reply: KCS_A_BIND_MORE");
		snprintf(b->name[b->n], KCS_NAME_MAX, "%s",
			 nla_get_string(tb[KCS_A_PROFILE_NAME]));
		b->mode[b->n++] = nla_get_u32(tb[KCS_A_MODE]);
	}
	return 0;
}

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
	snprintf(b.profiles.name[0], KCS_NAME_MAX, "%s",
		 nla_get_string(tb[KCS_A_PROFILE_NAME]));
	b.profiles.mode[0] = nla_get_u32(tb[KCS_A_MODE]);
	b.profiles.n = 1;
	if (tb[KCS_A_CAPS_BLOCK])
		b.caps_block = nla_get_u64(tb[KCS_A_CAPS_BLOCK]);
	if (tb[KCS_A_BIND_MORE] &&
	    get_more(tb[KCS_A_BIND_MORE], &b.profiles, err))
		return -1;
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
