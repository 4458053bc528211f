// SPDX-License-Identifier: GPL-2.0
/*
 * Events: one genetlink multicast message per decision against an exec.
 *
 * Sending must never hold up the exec: nothing is built when no one
 * listens, allocation does not wait for reclaim, a full listener drops the
 * message (netlink never blocks a multicast sender) and a rate limit caps
 * the cost of a flood. Every message that was wanted but not delivered is
 * counted, and each event carries a sequence number and the running drop
 * count, so a listener can tell exactly how much it missed.
 */
#include <linux/atomic.h>
#include <linux/cred.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>
#include <linux/uidgid.h>
#include <net/genetlink.h>
#include "kcs.h"

static unsigned int event_rate = 250000;
module_param(event_rate, uint, 0644);
MODULE_PARM_DESC(event_rate, "Events per second before dropping (0: no limit)");

static atomic64_t kcs_event_seq = ATOMIC64_INIT(0);
static unsigned long kcs_rate_window;
static atomic_t kcs_rate_used = ATOMIC_INIT(0);

bool kcs_event_wanted(void)
{
	if (genl_has_listeners(&kcs_family, &init_net, 0))
		return true;
	kcs_stat_inc(KCS_STAT_EVENTS_NO_LISTENER);
	return false;
}

/* A one-second window, lock-free: a few extra events at a boundary is fine. */
static bool kcs_rate_ok(void)
{
	unsigned int rate = READ_ONCE(event_rate);
	unsigned long w = READ_ONCE(kcs_rate_window);

	if (!rate)
		return true;
	if (time_after_eq(jiffies, w + HZ) &&
	    cmpxchg(&kcs_rate_window, w, jiffies) == w)
		atomic_set(&kcs_rate_used, 0);
	return atomic_inc_return(&kcs_rate_used) <= rate;
}

static u64 kcs_events_dropped(void)
{
	return kcs_stat_read(KCS_STAT_EVENTS_RATELIMITED) +
	       kcs_stat_read(KCS_STAT_EVENTS_FAILED);
}

static size_t kcs_str_size(const char *s)
{
	return s ? nla_total_size(strlen(s) + 1) : 0;
}

static size_t kcs_event_size(const struct kcs_exec_event *ev)
{
	return nla_total_size_64bit(8) * 5 +	/* seq time cgid bound dropped */
	       nla_total_size(4) * 9 +
	       nla_total_size(TASK_COMM_LEN) +
	       kcs_str_size(ev->path) + kcs_str_size(ev->invoked) +
	       kcs_str_size(ev->applet) + kcs_str_size(ev->rule) +
	       nla_total_size(KCS_NAME_MAX);
}

/* The fields every event has: who, where, which profile, which verdict. */
static int kcs_event_fill_task(struct sk_buff *skb, const struct kcs_bound *b,
			       u32 hook, u32 verdict, u64 seq)
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
	    nla_put_u64_64bit(skb, KCS_A_EV_DROPPED, kcs_events_dropped(),
			      KCS_A_PAD))
		return -EMSGSIZE;
	return 0;
}

static int kcs_event_fill(struct sk_buff *skb, const void *arg, u64 seq)
{
	const struct kcs_exec_event *ev = arg;

	if (kcs_event_fill_task(skb, ev->bound, KCS_HOOK_EXEC, ev->verdict,
				seq) ||
	    nla_put_string(skb, KCS_A_EV_PATH, ev->path) ||
	    nla_put_string(skb, KCS_A_EV_INVOKED, ev->invoked) ||
	    (ev->applet && nla_put_string(skb, KCS_A_EV_APPLET, ev->applet)) ||
	    nla_put_u32(skb, KCS_A_EV_RULE_KIND, ev->rule_kind) ||
	    (ev->rule && nla_put_string(skb, KCS_A_EV_RULE, ev->rule)))
		return -EMSGSIZE;
	return 0;
}

static int kcs_event_fill_net(struct sk_buff *skb, const void *arg, u64 seq)
{
	const struct kcs_net_event *ev = arg;

	if (kcs_event_fill_task(skb, ev->bound, ev->hook, ev->verdict, seq) ||
	    nla_put_u32(skb, KCS_A_EV_NET_FAMILY, ev->family) ||
	    nla_put_u32(skb, KCS_A_EV_NET_PROTO, ev->proto) ||
	    nla_put(skb, KCS_A_EV_NET_ADDR, ev->family == AF_INET6 ? 16 : 4,
		    ev->addr) ||
	    nla_put_u32(skb, KCS_A_EV_NET_PORT, ev->port) ||
	    nla_put_u32(skb, KCS_A_EV_RULE_KIND, ev->rule_kind) ||
	    (ev->rule && nla_put_string(skb, KCS_A_EV_RULE, ev->rule)))
		return -EMSGSIZE;
	return 0;
}

static void kcs_event_send(size_t size,
			   int (*fill)(struct sk_buff *, const void *, u64),
			   const void *arg)
{
	u64 seq = atomic64_inc_return(&kcs_event_seq);
	struct sk_buff *skb;
	void *hdr;
	int err;

	if (!kcs_rate_ok()) {
		kcs_stat_inc(KCS_STAT_EVENTS_RATELIMITED);
		return;
	}
	skb = genlmsg_new(size, GFP_NOWAIT | __GFP_NOWARN);
	if (!skb)
		goto fail;
	hdr = genlmsg_put(skb, 0, 0, &kcs_family, 0, KCS_CMD_EVENT);
	if (!hdr || fill(skb, arg, seq)) {
		nlmsg_free(skb);
		goto fail;
	}
	genlmsg_end(skb, hdr);
	err = genlmsg_multicast(&kcs_family, skb, 0, 0,
				GFP_NOWAIT | __GFP_NOWARN);
	if (err == -ESRCH) {	/* the last listener left meanwhile */
		kcs_stat_inc(KCS_STAT_EVENTS_NO_LISTENER);
		return;
	}
	if (err)
		goto fail;	/* some listener's buffer was full */
	kcs_stat_inc(KCS_STAT_EVENTS_SENT);
	return;
fail:
	kcs_stat_inc(KCS_STAT_EVENTS_FAILED);
}

void kcs_event_exec(const struct kcs_exec_event *ev)
{
	kcs_event_send(kcs_event_size(ev), kcs_event_fill, ev);
}

void kcs_event_net(const struct kcs_net_event *ev)
{
	size_t size = nla_total_size_64bit(8) * 5 + nla_total_size(4) * 13 +
		      nla_total_size(TASK_COMM_LEN) + nla_total_size(16) +
		      kcs_str_size(ev->rule) + nla_total_size(KCS_NAME_MAX);

	kcs_event_send(size, kcs_event_fill_net, ev);
}
