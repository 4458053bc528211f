// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family: the control plane of uapi/linux/kcs.h.
 *
 * Every operation needs CAP_NET_ADMIN in the initial user namespace
 * (GENL_ADMIN_PERM checks the sender's credentials there), CAP_MAC_ADMIN,
 * and a sender outside every bound cgroup (kcs_sender_ok()); the family
 * exists only in the initial network namespace, so root in a container is
 * refused either way. Requests are validated by the attribute policy, then
 * by the handlers; errors carry an extack message.
 */
#include <linux/ctype.h>
#include <linux/module.h>
#include <net/genetlink.h>
#include "kcs.h"
#include "compat.h"

void kcs_extack_set(struct netlink_ext_ack *extack, const char *msg)
{
	/* NL_SET_ERR_MSG() wants a literal; our messages are static too. */
	if (extack)
		extack->_msg = msg;
}

/* One more profile of a binding (KCS_A_BIND_PROFILE). */
static const struct nla_policy kcs_bind_profile_policy[KCS_A_MAX + 1] = {
	[KCS_A_PROFILE_NAME] = { .type = NLA_NUL_STRING,
				 .len = KCS_NAME_MAX - 1 },
	[KCS_A_MODE] = NLA_POLICY_RANGE(NLA_U32, KCS_MODE_AUDIT,
					KCS_MODE_ENFORCE),
};

static const struct nla_policy kcs_policy[KCS_A_MAX + 1] = {
	[KCS_A_PROFILE_NAME] = { .type = NLA_NUL_STRING,
				 .len = KCS_NAME_MAX - 1 },
	[KCS_A_EXEC_KIND] = NLA_POLICY_MAX(NLA_U32, __KCS_EXEC_KIND_MAX - 1),
	[KCS_A_EXEC_RULES_DFA] = { .type = NLA_BINARY, .len = KCS_CHUNK_MAX },
	[KCS_A_EXEC_RULES_TEXT] = { .type = NLA_BINARY, .len = KCS_CHUNK_MAX },
	[KCS_A_EXEC_EXCEPT_DFA] = { .type = NLA_BINARY, .len = KCS_CHUNK_MAX },
	[KCS_A_EXEC_EXCEPT_TEXT] = { .type = NLA_BINARY, .len = KCS_CHUNK_MAX },
	[KCS_A_CGROUP_ID] = { .type = NLA_U64 },
	[KCS_A_MODE] = NLA_POLICY_RANGE(NLA_U32, KCS_MODE_AUDIT,
					KCS_MODE_ENFORCE),
	[KCS_A_NET_EGRESS_KIND] = NLA_POLICY_MAX(NLA_U32,
						 __KCS_NET_KIND_MAX - 1),
	[KCS_A_NET_EGRESS_RULES] = { .type = NLA_BINARY, .len = KCS_CHUNK_MAX },
	[KCS_A_NET_EGRESS_RULES_TEXT] = { .type = NLA_BINARY,
					  .len = KCS_CHUNK_MAX },
	[KCS_A_NET_EGRESS_EXCEPT] = { .type = NLA_BINARY, .len = KCS_CHUNK_MAX },
	[KCS_A_NET_EGRESS_EXCEPT_TEXT] = { .type = NLA_BINARY,
					   .len = KCS_CHUNK_MAX },
	[KCS_A_NET_LISTEN_RULES] = { .type = NLA_BINARY, .len = KCS_CHUNK_MAX },
	[KCS_A_NET_LISTEN_RULES_TEXT] = { .type = NLA_BINARY,
					  .len = KCS_CHUNK_MAX },
	[KCS_A_NET_FLAGS] = NLA_POLICY_MASK(NLA_U32, KCS_NET_F_ALL),
	[KCS_A_ROOT_PID] = NLA_POLICY_MIN(NLA_U32, 1),
	[KCS_A_EXEC_LIBS_DFA] = { .type = NLA_BINARY, .len = KCS_CHUNK_MAX },
	[KCS_A_EXEC_LIBS_TEXT] = { .type = NLA_BINARY, .len = KCS_CHUNK_MAX },
	[KCS_A_PROBE_PID] = NLA_POLICY_MIN(NLA_U32, 1),
	[KCS_A_CAPS_BLOCK] = { .type = NLA_U64 },
	[KCS_A_BIND_MORE] = NLA_POLICY_NESTED_ARRAY(kcs_bind_profile_policy),
	[KCS_A_FILE_READ_DFA] = { .type = NLA_BINARY, .len = KCS_CHUNK_MAX },
	[KCS_A_FILE_READ_TEXT] = { .type = NLA_BINARY, .len = KCS_CHUNK_MAX },
	[KCS_A_FILE_WRITE_DFA] = { .type = NLA_BINARY, .len = KCS_CHUNK_MAX },
	[KCS_A_FILE_WRITE_TEXT] = { .type = NLA_BINARY, .len = KCS_CHUNK_MAX },
	[KCS_A_FILE_MONITOR_DFA] = { .type = NLA_BINARY, .len = KCS_CHUNK_MAX },
	[KCS_A_FILE_MONITOR_TEXT] = { .type = NLA_BINARY,
				      .len = KCS_CHUNK_MAX },
	[KCS_A_SYS_RULES] = { .type = NLA_BINARY, .len = KCS_CHUNK_MAX },
	[KCS_A_SYS_RULES_TEXT] = { .type = NLA_BINARY, .len = KCS_CHUNK_MAX },
	[KCS_A_SYS_PROGRAMS] = { .type = NLA_BINARY, .len = KCS_CHUNK_MAX },
	[KCS_A_FILE_READ_ALLOW_DFA] = { .type = NLA_BINARY,
					.len = KCS_CHUNK_MAX },
	[KCS_A_FILE_READ_ALLOW_TEXT] = { .type = NLA_BINARY,
					 .len = KCS_CHUNK_MAX },
	[KCS_A_FILE_WRITE_ALLOW_DFA] = { .type = NLA_BINARY,
					 .len = KCS_CHUNK_MAX },
	[KCS_A_FILE_WRITE_ALLOW_TEXT] = { .type = NLA_BINARY,
					  .len = KCS_CHUNK_MAX },
	[KCS_A_FILE_DEFAULT] = NLA_POLICY_MAX(NLA_U32, __KCS_SYS_ACTION_MAX - 1),
	[KCS_A_NET_GROUPS] = { .type = NLA_BINARY, .len = KCS_CHUNK_MAX },
};

/*
 * Every request, read or write, before anything else. Generic netlink runs
 * a request in the sender's own context, so current is the sender.
 *  - CAP_MAC_ADMIN: this is security policy, as for every LSM. CAP_NET_ADMIN
 *    in the initial namespaces (GENL_ADMIN_PERM) is not enough: host-network
 *    containers and CNI agents hold it.
 *  - No task inside a bound cgroup, whatever it holds: a container must not
 *    change, or read, the policy that confines it (or its neighbours').
 */
static int kcs_sender_ok(const struct genlmsghdr *hdr,
			 struct netlink_ext_ack *extack)
{
	if (!capable(CAP_MAC_ADMIN)) {
		kcs_extack_set(extack, "kcs requests need CAP_MAC_ADMIN");
		return -EPERM;
	}
	if (kcs_current_maybe_bound()) {
		kcs_extack_set(extack,
			       "kcs refuses requests from a task inside a bound cgroup");
		return -EPERM;
	}
	if (hdr->version == KCS_GENL_VERSION)
		return 0;
	kcs_extack_set(extack, "kcsadm and kcs.ko speak different ABI versions");
	return -EPROTONOSUPPORT;
}

static int kcs_request_ok(struct genl_info *info)
{
	return kcs_sender_ok(info->genlhdr, info->extack);
}

/* Dumps: the request's genetlink header is checked before the first part. */
static int kcs_dump_start(struct netlink_callback *cb)
{
	return kcs_sender_ok(nlmsg_data(cb->nlh), cb->extack);
}

static int kcs_require(struct genl_info *info, int type, const char *msg)
{
	if (info->attrs[type])
		return 0;
	kcs_extack_set(info->extack, msg);
	return -EINVAL;
}

static int kcs_name_check(struct genl_info *info)
{
	const char *s;
	int err;

	err = kcs_require(info, KCS_A_PROFILE_NAME, "profile name missing");
	if (err)
		return err;
	s = nla_data(info->attrs[KCS_A_PROFILE_NAME]);
	if (!*s)
		goto bad;
	/* isalnum() alone would take Latin-1 letters (0xc0-0xff) too. */
	for (; *s; s++)
		if (!isascii(*s) ||
		    (!isalnum(*s) && *s != '.' && *s != '_' && *s != '-'))
			goto bad;
	return 0;
bad:
	kcs_extack_set(info->extack,
		       "profile name must be 1-63 of [A-Za-z0-9._-]");
	return -EINVAL;
}

static struct sk_buff *kcs_reply_new(struct genl_info *info, u8 cmd,
				     void **hdr)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);

	if (!skb)
		return NULL;
	*hdr = genlmsg_put_reply(skb, info, &kcs_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

static int kcs_nl_status(struct sk_buff *unused, struct genl_info *info)
{
	struct nlattr *nest;
	struct sk_buff *skb;
	void *hdr;
	int i, err;

	err = kcs_request_ok(info);
	if (err)
		return err;
	/* The bindings count is of live cgroups. */
	mutex_lock(&kcs_config_lock);
	kcs_bindings_sweep();
	mutex_unlock(&kcs_config_lock);
	skb = kcs_reply_new(info, KCS_CMD_STATUS, &hdr);
	if (!skb)
		return -ENOMEM;
	if (nla_put_u32(skb, KCS_A_ABI_VERSION, KCS_GENL_VERSION) ||
	    nla_put_u32(skb, KCS_A_NPROFILES, kcs_profile_count()) ||
	    nla_put_u32(skb, KCS_A_NBINDINGS, kcs_binding_count()) ||
	    nla_put_u32(skb, KCS_A_HOOKS_PROVEN, kcs_hooks_proven()) ||
	    nla_put_u32(skb, KCS_A_NSUBSCRIBERS, kcs_event_subscribers()))
		goto too_big;
	nest = nla_nest_start(skb, KCS_A_STATS);
	if (!nest)
		goto too_big;
	for (i = KCS_STAT_EXEC_CHECKED; i <= KCS_STAT_MAX; i++)
		if (nla_put_u64_64bit(skb, i, kcs_stat_read(i), KCS_STAT_PAD))
			goto too_big;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return genlmsg_reply(skb, info);
too_big:
	nlmsg_free(skb);
	return -EMSGSIZE;
}

static int kcs_nl_profile_set(struct sk_buff *unused, struct genl_info *info)
{
	int err;

	err = kcs_request_ok(info) ?:
	      kcs_name_check(info) ?:
	      kcs_require(info, KCS_A_EXEC_KIND, "exec kind missing");
	if (err)
		return err;
	return kcs_profile_set(info);
}

static int kcs_nl_profile_del(struct sk_buff *unused, struct genl_info *info)
{
	int err;

	err = kcs_request_ok(info) ?: kcs_name_check(info);
	if (err)
		return err;
	mutex_lock(&kcs_config_lock);
	err = kcs_profile_del(nla_data(info->attrs[KCS_A_PROFILE_NAME]),
			      info->extack);
	mutex_unlock(&kcs_config_lock);
	return err;
}

/* Egress rules (or allowed entries), those for a program included. */
static u32 kcs_egress_nrules(const struct kcs_profile *p)
{
	u32 n = p->egress.m.nrules, i;

	for (i = 0; i < p->ngroups.n; i++)
		if (p->ngroups.g[i].set == KCS_NETG_EGRESS)
			n += p->ngroups.g[i].m.nrules;
	return n;
}

static int kcs_profile_fill(struct sk_buff *skb, struct kcs_slot *slot,
			    u32 portid, u32 seq, int flags)
{
	struct kcs_profile *p;
	void *hdr;

	p = kcs_slot_profile_locked(slot);
	hdr = genlmsg_put(skb, portid, seq, &kcs_family, flags,
			  KCS_CMD_PROFILE_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, KCS_A_PROFILE_NAME, kcs_slot_name(slot)) ||
	    nla_put_u32(skb, KCS_A_EXEC_KIND, p->exec_kind) ||
	    nla_put_u32(skb, KCS_A_NRULES, p->rules.dfa.naccept) ||
	    nla_put_u32(skb, KCS_A_NEXCEPT, p->except.dfa.naccept) ||
	    nla_put_u64_64bit(skb, KCS_A_PROFILE_MEM, p->mem, KCS_A_PAD) ||
	    nla_put_u32(skb, KCS_A_NBINDINGS, kcs_slot_bind_total(slot)) ||
	    nla_put_u64_64bit(skb, KCS_A_GENERATION, p->generation,
			      KCS_A_PAD) ||
	    nla_put_u32(skb, KCS_A_NET_EGRESS_KIND, p->net_kind) ||
	    nla_put_u32(skb, KCS_A_NET_NRULES, kcs_egress_nrules(p)) ||
	    nla_put_u32(skb, KCS_A_NET_FLAGS, p->net_flags) ||
	    nla_put_u32(skb, KCS_A_FILE_NRULES, p->file_read.dfa.naccept +
			p->file_write.dfa.naccept +
			p->file_monitor.dfa.naccept +
			p->file_read_ok.dfa.naccept +
			p->file_write_ok.dfa.naccept) ||
	    nla_put_u32(skb, KCS_A_SYS_NRULES,
			p->sys.blob ? p->sys.hdr->nrules : 0)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int kcs_nl_profile_get(struct sk_buff *unused, struct genl_info *info)
{
	struct kcs_slot *slot;
	struct sk_buff *skb;
	int err;

	err = kcs_request_ok(info) ?: kcs_name_check(info);
	if (err)
		return err;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	mutex_lock(&kcs_config_lock);
	slot = kcs_slot_find(nla_data(info->attrs[KCS_A_PROFILE_NAME]));
	if (!slot) {
		kcs_extack_set(info->extack, "no profile with this name");
		err = -ENOENT;
	} else {
		err = kcs_profile_fill(skb, slot, info->snd_portid,
				       info->snd_seq, 0);
	}
	mutex_unlock(&kcs_config_lock);
	if (err) {
		nlmsg_free(skb);
		return err;
	}
	return genlmsg_reply(skb, info);
}

static int kcs_nl_profile_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	unsigned long idx = cb->args[0];
	struct kcs_slot *slot;

	mutex_lock(&kcs_config_lock);
	for (; (slot = kcs_slot_at(idx)); idx++)
		if (kcs_profile_fill(skb, slot, NETLINK_CB(cb->skb).portid,
				     cb->nlh->nlmsg_seq, NLM_F_MULTI))
			break;
	mutex_unlock(&kcs_config_lock);
	cb->args[0] = idx;
	return skb->len;
}

/* KCS_A_BIND_MORE's profiles into @spec, after the first one. */
static int kcs_bind_more(struct genl_info *info, struct kcs_bind_spec *spec)
{
	struct nlattr *tb[KCS_A_MAX + 1], *e;
	int rem, err;

	if (!info->attrs[KCS_A_BIND_MORE])
		return 0;
	nla_for_each_nested(e, info->attrs[KCS_A_BIND_MORE], rem) {
		if (nla_type(e) != KCS_A_BIND_PROFILE) {
			kcs_extack_set(info->extack,
				       "KCS_A_BIND_MORE holds KCS_A_BIND_PROFILE only");
			return -EINVAL;
		}
		if (spec->n == KCS_BIND_PROFILES_MAX) {
			kcs_extack_set(info->extack,
				       "more than KCS_BIND_PROFILES_MAX profiles");
			return -E2BIG;
		}
		err = nla_parse_nested(tb, KCS_A_MAX, e,
				       kcs_bind_profile_policy, info->extack);
		if (err)
			return err;
		if (!tb[KCS_A_PROFILE_NAME] || !tb[KCS_A_MODE]) {
			kcs_extack_set(info->extack,
				       "KCS_A_BIND_PROFILE needs a name and a mode");
			return -EINVAL;
		}
		spec->name[spec->n] = nla_data(tb[KCS_A_PROFILE_NAME]);
		spec->mode[spec->n++] = nla_get_u32(tb[KCS_A_MODE]);
	}
	return 0;
}

static int kcs_nl_bind(struct sk_buff *unused, struct genl_info *info)
{
	struct kcs_bind_spec spec = { .n = 1 };
	struct kcs_root *root = NULL;
	int err;

	err = kcs_request_ok(info) ?:
	      kcs_name_check(info) ?:
	      kcs_require(info, KCS_A_CGROUP_ID, "cgroup id missing") ?:
	      kcs_require(info, KCS_A_MODE, "mode missing");
	if (err)
		return err;
	spec.name[0] = nla_data(info->attrs[KCS_A_PROFILE_NAME]);
	spec.mode[0] = nla_get_u32(info->attrs[KCS_A_MODE]);
	if (info->attrs[KCS_A_CAPS_BLOCK])
		spec.caps = nla_get_u64(info->attrs[KCS_A_CAPS_BLOCK]);
	err = kcs_bind_more(info, &spec);
	if (err)
		return err;
	/* The container's root: that task's, or the first exec's (NULL). */
	if (info->attrs[KCS_A_ROOT_PID]) {
		root = kcs_root_of_pid(nla_get_u32(info->attrs[KCS_A_ROOT_PID]));
		if (IS_ERR(root)) {
			kcs_extack_set(info->extack,
				       "no task with this root pid");
			return PTR_ERR(root);
		}
	}
	mutex_lock(&kcs_config_lock);
	err = kcs_bind(nla_get_u64(info->attrs[KCS_A_CGROUP_ID]), &spec,
		       root, info->extack);
	mutex_unlock(&kcs_config_lock);
	return err;
}

static int kcs_nl_unbind(struct sk_buff *unused, struct genl_info *info)
{
	int err;

	err = kcs_request_ok(info) ?:
	      kcs_require(info, KCS_A_CGROUP_ID, "cgroup id missing");
	if (err)
		return err;
	mutex_lock(&kcs_config_lock);
	err = kcs_unbind(nla_get_u64(info->attrs[KCS_A_CGROUP_ID]),
			 info->extack);
	mutex_unlock(&kcs_config_lock);
	return err;
}

/* Hook liveness: start watching a task, or stop and say what fired. */
/*
 * Events go to the requesting socket itself (event_sub.c), not to a
 * multicast group any privileged task could join: the sender passed
 * kcs_request_ok(), so no task inside a bound cgroup ever reads them.
 */
static int kcs_nl_subscribe(struct sk_buff *skb, struct genl_info *info)
{
	int err = kcs_request_ok(info), i;

	if (err)
		return err;
	/* Nothing to say yet: an attribute is a client's mistake. */
	for (i = 1; i <= KCS_A_MAX; i++) {
		if (info->attrs[i]) {
			kcs_extack_set(info->extack,
				       "KCS_CMD_SUBSCRIBE takes no attribute");
			return -EINVAL;
		}
	}
	return kcs_event_subscribe(NETLINK_CB(skb).sk, info->snd_portid,
				   info->extack);
}

static int kcs_nl_probe(struct sk_buff *unused, struct genl_info *info)
{
	struct sk_buff *skb;
	void *hdr;
	int err;

	err = kcs_request_ok(info);
	if (err)
		return err;
	if (info->attrs[KCS_A_PROBE_PID])
		return kcs_probe_begin(nla_get_u32(info->attrs[KCS_A_PROBE_PID]),
				       info->extack);
	skb = kcs_reply_new(info, KCS_CMD_PROBE, &hdr);
	if (!skb)
		return -ENOMEM;
	err = kcs_probe_end(skb, info->extack);
	if (err) {
		nlmsg_free(skb);
		return err;
	}
	genlmsg_end(skb, hdr);
	return genlmsg_reply(skb, info);
}

/* One binding's dump message; -EMSGSIZE when it does not fit. */
static int kcs_bind_fill(struct sk_buff *skb, const struct kcs_bind_info *bi)
{
	struct nlattr *more, *one;
	unsigned int k;

	if (nla_put_u64_64bit(skb, KCS_A_CGROUP_ID, bi->cgid, KCS_A_PAD) ||
	    nla_put_string(skb, KCS_A_PROFILE_NAME, bi->name[0]) ||
	    nla_put_u32(skb, KCS_A_MODE, bi->mode[0]) ||
	    nla_put_u64_64bit(skb, KCS_A_CAPS_BLOCK, bi->caps, KCS_A_PAD))
		return -EMSGSIZE;
	if (bi->n < 2)
		return 0;
	more = nla_nest_start(skb, KCS_A_BIND_MORE);
	if (!more)
		return -EMSGSIZE;
	for (k = 1; k < bi->n; k++) {
		one = nla_nest_start(skb, KCS_A_BIND_PROFILE);
		if (!one ||
		    nla_put_string(skb, KCS_A_PROFILE_NAME, bi->name[k]) ||
		    nla_put_u32(skb, KCS_A_MODE, bi->mode[k]))
			return -EMSGSIZE;
		nla_nest_end(skb, one);
	}
	nla_nest_end(skb, more);
	return 0;
}

/* cb->args: [0] bucket, [1] position in it, [2] 1 once started. */
static int kcs_nl_bind_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kcs_bind_cursor cur = { cb->args[0], cb->args[1] }, at;
	struct kcs_bind_info *bi;
	void *hdr;

	bi = kmalloc(sizeof(*bi), GFP_KERNEL);
	if (!bi)
		return -ENOMEM;
	mutex_lock(&kcs_config_lock);
	if (!cb->args[2])
		kcs_bindings_sweep();
	cb->args[2] = 1;
	for (at = cur; kcs_binding_next(&cur, bi); at = cur) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &kcs_family, NLM_F_MULTI,
				  KCS_CMD_BIND_GET);
		if (hdr && !kcs_bind_fill(skb, bi)) {
			genlmsg_end(skb, hdr);
			continue;
		}
		if (hdr)
			genlmsg_cancel(skb, hdr);
		cur = at;	/* it goes in the next part */
		break;
	}
	mutex_unlock(&kcs_config_lock);
	kfree(bi);
	cb->args[0] = cur.bkt;
	cb->args[1] = cur.pos;
	return skb->len;
}

static const struct genl_ops kcs_ops[] = {
	{ .cmd = KCS_CMD_STATUS, .doit = kcs_nl_status,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = KCS_CMD_PROFILE_SET, .doit = kcs_nl_profile_set,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = KCS_CMD_PROFILE_DEL, .doit = kcs_nl_profile_del,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = KCS_CMD_PROFILE_GET, .doit = kcs_nl_profile_get,
	  .start = kcs_dump_start, .dumpit = kcs_nl_profile_dump,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = KCS_CMD_BIND, .doit = kcs_nl_bind,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = KCS_CMD_UNBIND, .doit = kcs_nl_unbind,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = KCS_CMD_BIND_GET, .start = kcs_dump_start,
	  .dumpit = kcs_nl_bind_dump, .flags = GENL_ADMIN_PERM },
	{ .cmd = KCS_CMD_PROBE, .doit = kcs_nl_probe,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = KCS_CMD_SUBSCRIBE, .doit = kcs_nl_subscribe,
	  .flags = GENL_ADMIN_PERM },
};

struct genl_family kcs_family __ro_after_init = {
	.name = KCS_GENL_NAME,
	.version = KCS_GENL_VERSION,
	.maxattr = KCS_A_MAX,
	.policy = kcs_policy,
	.netnsok = false,
	.module = THIS_MODULE,
	.ops = kcs_ops,
	.n_ops = ARRAY_SIZE(kcs_ops),
};

int kcs_netlink_init(void)
{
	return genl_register_family(&kcs_family);
}

void kcs_netlink_exit(void)
{
	genl_unregister_family(&kcs_family);
}
