// SPDX-License-Identifier: GPL-2.0
/*
 * Event encoding: the attributes of one event message and a bound on
 * their size. Nothing here knows the genetlink family, the counters or
 * the rate limit (event.c sends), so KUnit can build and parse events on
 * their own (tests/event_kunit.c).
 *
 * The size functions are upper bounds: the task's comm and the profile
 * name are counted at their largest, and a network address at 16 bytes.
 * A fill either adds every attribute of the event or, when the skb is too
 * small, nothing at all: it trims what it added and returns -EMSGSIZE.
 */
#include <linux/cred.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uidgid.h>
#include <net/netlink.h>
#include "kcs.h"

static size_t kcs_evf_str_size(const char *s)
{
	return s ? nla_total_size(strlen(s) + 1) : 0;
}

/* What kcs_evf_task() adds. */
static size_t kcs_evf_task_size(void)
{
	return nla_total_size_64bit(8) * 5 +	/* seq time cgid bound dropped */
	       nla_total_size(4) * 7 +		/* hook verdict mode pid tgid ppid uid */
	       nla_total_size(TASK_COMM_LEN) +
	       nla_total_size(KCS_NAME_MAX);	/* profile name */
}

size_t kcs_event_exec_size(const struct kcs_exec_event *ev)
{
	return kcs_evf_task_size() + nla_total_size(4) +	/* rule kind */
	       kcs_evf_str_size(ev->path) + kcs_evf_str_size(ev->invoked) +
	       kcs_evf_str_size(ev->applet) + kcs_evf_str_size(ev->rule);
}

size_t kcs_event_net_size(const struct kcs_net_event *ev)
{
	return kcs_evf_task_size() +
	       nla_total_size(4) * 4 +		/* family proto port rule kind */
	       nla_total_size(16) +		/* address */
	       kcs_evf_str_size(ev->rule);
}

/* The fields every event has: who, where, which profile, which verdict. */
static int kcs_evf_task(struct sk_buff *skb, const struct kcs_bound *b,
			u32 hook, u32 verdict, u64 seq, u64 dropped)
{
	char comm[TASK_COMM_LEN];
	pid_t ppid;

	rcu_read_lock();
	ppid = task_tgid_nr(rcu_dereference(current->real_parent));
	rcu_read_unlock();
	get_task_comm(comm, current);

	if (nla_put_u64_64bit(skb, KCS_A_EV_SEQ, seq, KCS_A_PAD) ||
	    nla_put_u64_64bit(skb, KCS_A_EV_TIME_NS, ktime_get_real_ns(),
			      KCS_A_PAD) ||
	    nla_put_u32(skb, KCS_A_EV_HOOK, hook) ||
	    nla_put_u32(skb, KCS_A_EV_VERDICT, verdict) ||
	    nla_put_u32(skb, KCS_A_MODE, b->mode) ||
	    nla_put_u32(skb, KCS_A_EV_PID, task_pid_nr(current)) ||
	    nla_put_u32(skb, KCS_A_EV_TGID, task_tgid_nr(current)) ||
	    nla_put_u32(skb, KCS_A_EV_PPID, ppid) ||
	    nla_put_u32(skb, KCS_A_EV_UID,
			from_kuid_munged(&init_user_ns, current_uid())) ||
	    nla_put_string(skb, KCS_A_EV_COMM, comm) ||
	    nla_put_u64_64bit(skb, KCS_A_CGROUP_ID, b->cgroup_id, KCS_A_PAD) ||
	    nla_put_u64_64bit(skb, KCS_A_EV_BOUND_CGROUP_ID,
			      b->bound_cgroup_id, KCS_A_PAD) ||
	    nla_put_string(skb, KCS_A_PROFILE_NAME, b->profile->name) ||
	    nla_put_u64_64bit(skb, KCS_A_EV_DROPPED, dropped, KCS_A_PAD))
		return -EMSGSIZE;
	return 0;
}

int kcs_event_exec_fill(struct sk_buff *skb, const struct kcs_exec_event *ev,
			u64 seq, u64 dropped)
{
	unsigned char *mark = skb_tail_pointer(skb);

	if (kcs_evf_task(skb, ev->bound, ev->hook ?: KCS_HOOK_EXEC,
			 ev->verdict, seq, dropped) ||
	    nla_put_string(skb, KCS_A_EV_PATH, ev->path) ||
	    nla_put_string(skb, KCS_A_EV_INVOKED, ev->invoked) ||
	    (ev->applet && nla_put_string(skb, KCS_A_EV_APPLET, ev->applet)) ||
	    nla_put_u32(skb, KCS_A_EV_RULE_KIND, ev->rule_kind) ||
	    (ev->rule && nla_put_string(skb, KCS_A_EV_RULE, ev->rule))) {
		nlmsg_trim(skb, mark);
		return -EMSGSIZE;
	}
	return 0;
}

int kcs_event_net_fill(struct sk_buff *skb, const struct kcs_net_event *ev,
		       u64 seq, u64 dropped)
{
	unsigned char *mark = skb_tail_pointer(skb);

	if (kcs_evf_task(skb, ev->bound, ev->hook, ev->verdict, seq,
			 dropped) ||
	    nla_put_u32(skb, KCS_A_EV_NET_FAMILY, ev->family) ||
	    nla_put_u32(skb, KCS_A_EV_NET_PROTO, ev->proto) ||
	    nla_put(skb, KCS_A_EV_NET_ADDR, ev->family == AF_INET6 ? 16 : 4,
		    ev->addr) ||
	    nla_put_u32(skb, KCS_A_EV_NET_PORT, ev->port) ||
	    nla_put_u32(skb, KCS_A_EV_RULE_KIND, ev->rule_kind) ||
	    (ev->rule && nla_put_string(skb, KCS_A_EV_RULE, ev->rule))) {
		nlmsg_trim(skb, mark);
		return -EMSGSIZE;
	}
	return 0;
}

size_t kcs_event_cap_size(const struct kcs_cap_event *ev)
{
	return kcs_evf_task_size() + nla_total_size(4) * 2;	/* cap, rule kind */
}

int kcs_event_cap_fill(struct sk_buff *skb, const struct kcs_cap_event *ev,
		       u64 seq, u64 dropped)
{
	unsigned char *mark = skb_tail_pointer(skb);

	if (kcs_evf_task(skb, ev->bound, KCS_HOOK_CAPABLE, ev->verdict, seq,
			 dropped) ||
	    nla_put_u32(skb, KCS_A_EV_CAP, ev->cap) ||
	    nla_put_u32(skb, KCS_A_EV_RULE_KIND, KCS_RULE_BLOCK)) {
		nlmsg_trim(skb, mark);
		return -EMSGSIZE;
	}
	return 0;
}

size_t kcs_event_file_size(const struct kcs_file_event *ev)
{
	return kcs_evf_task_size() +
	       nla_total_size(4) * 3 +		/* op access rule kind */
	       kcs_evf_str_size(ev->path) + kcs_evf_str_size(ev->rule);
}

int kcs_event_file_fill(struct sk_buff *skb, const struct kcs_file_event *ev,
			u64 seq, u64 dropped)
{
	unsigned char *mark = skb_tail_pointer(skb);

	if (kcs_evf_task(skb, ev->bound, KCS_HOOK_FILE, ev->verdict, seq,
			 dropped) ||
	    nla_put_string(skb, KCS_A_EV_PATH, ev->path) ||
	    nla_put_u32(skb, KCS_A_EV_FILE_OP, ev->op) ||
	    nla_put_u32(skb, KCS_A_EV_FILE_ACCESS, ev->access) ||
	    nla_put_u32(skb, KCS_A_EV_RULE_KIND, ev->rule_kind) ||
	    (ev->rule && nla_put_string(skb, KCS_A_EV_RULE, ev->rule))) {
		nlmsg_trim(skb, mark);
		return -EMSGSIZE;
	}
	return 0;
}

size_t kcs_event_sys_size(const struct kcs_sys_event *ev)
{
	return kcs_evf_task_size() +
	       nla_total_size(4) * 2 +		/* rule kind, compat */
	       nla_total_size(sizeof(ev->args)) +
	       kcs_evf_str_size(ev->name) + kcs_evf_str_size(ev->rule);
}

int kcs_event_sys_fill(struct sk_buff *skb, const struct kcs_sys_event *ev,
		       u64 seq, u64 dropped)
{
	unsigned char *mark = skb_tail_pointer(skb);

	if (kcs_evf_task(skb, ev->bound, KCS_HOOK_SYSCALL, ev->verdict, seq,
			 dropped) ||
	    nla_put_string(skb, KCS_A_EV_SYSCALL, ev->name) ||
	    nla_put(skb, KCS_A_EV_SYS_ARGS, sizeof(ev->args), ev->args) ||
	    nla_put_u32(skb, KCS_A_EV_SYS_COMPAT, ev->compat) ||
	    nla_put_u32(skb, KCS_A_EV_RULE_KIND, ev->rule_kind) ||
	    (ev->rule && nla_put_string(skb, KCS_A_EV_RULE, ev->rule))) {
		nlmsg_trim(skb, mark);
		return -EMSGSIZE;
	}
	return 0;
}
