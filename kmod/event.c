// SPDX-License-Identifier: GPL-2.0
/*
 * Events: one generic netlink message per reported decision (exec,
 * socket, capability), queued on every subscribed socket (event_sub.c).
 *
 * Sending must never hold up the task: nothing is built when no one
 * listens, allocation does not wait for reclaim, a full listener drops the
 * message (a sender never waits for a reader) and rate limits cap
 * the cost of a flood, per bound cgroup and for the host. Every message
 * that was wanted but not delivered is counted, and each event carries a
 * sequence number and the running drop count, so a listener can tell
 * exactly how much it missed.
 *
 * This file sends; event_fill.c builds the attributes of one event.
 */
#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <net/genetlink.h>
#include "kcs.h"

static unsigned int event_rate = 250000;
module_param(event_rate, uint, 0644);
MODULE_PARM_DESC(event_rate, "Events per second before dropping (0: no limit)");

static unsigned int event_rate_cgroup = 25000;
module_param(event_rate_cgroup, uint, 0644);
MODULE_PARM_DESC(event_rate_cgroup,
		 "Events per second from one bound cgroup before dropping its events (0: no limit)");

static atomic64_t kcs_event_seq = ATOMIC64_INIT(0);
static struct kcs_rate kcs_rate_all;

bool kcs_event_wanted(void)
{
	if (kcs_event_subscribed())
		return true;
	kcs_stat_inc(KCS_STAT_EVENTS_NO_LISTENER);
	return false;
}

/*
 * The binding's own budget first, so that a container over its budget
 * does not spend the host's; then the host's, which bounds the total.
 */
static bool kcs_rate_ok(u64 bound_cgid)
{
	return kcs_binding_rate_take(bound_cgid, READ_ONCE(event_rate_cgroup)) &&
	       kcs_rate_take(&kcs_rate_all, READ_ONCE(event_rate));
}

static u64 kcs_events_dropped(void)
{
	return kcs_stat_read(KCS_STAT_EVENTS_RATELIMITED) +
	       kcs_stat_read(KCS_STAT_EVENTS_FAILED);
}

/*
 * Take the next sequence number (also for an event then dropped, so a gap
 * is exactly the loss), pass @b's and the host's rate limits and start a
 * message of @size bytes of attributes. NULL: dropped and counted.
 */
static struct sk_buff *kcs_event_begin(const struct kcs_bound *b,
				       size_t size, u64 *seq, void **hdr)
{
	struct sk_buff *skb;

	*seq = atomic64_inc_return(&kcs_event_seq);
	if (!kcs_rate_ok(b->bound_cgroup_id)) {
		kcs_stat_inc(KCS_STAT_EVENTS_RATELIMITED);
		return NULL;
	}
	skb = genlmsg_new(size, GFP_NOWAIT | __GFP_NOWARN);
	if (skb) {
		*hdr = genlmsg_put(skb, 0, 0, &kcs_family, 0, KCS_CMD_EVENT);
		if (*hdr)
			return skb;
		nlmsg_free(skb);
	}
	kcs_stat_inc(KCS_STAT_EVENTS_FAILED);
	return NULL;
}

/* Send what kcs_event_begin() started, once filled (@err: the fill's). */
static void kcs_event_end(struct sk_buff *skb, void *hdr, int err)
{
	if (err) {
		nlmsg_free(skb);
		goto fail;
	}
	genlmsg_end(skb, hdr);
	err = kcs_event_deliver(skb);
	/* -ESRCH: the last subscriber left meanwhile; not a drop. */
	if (err == -ESRCH) {
		kcs_stat_inc(KCS_STAT_EVENTS_NO_LISTENER);
		return;
	}
	if (err)
		goto fail;	/* a listener's buffer was full */
	kcs_stat_inc(KCS_STAT_EVENTS_SENT);
	return;
fail:
	kcs_stat_inc(KCS_STAT_EVENTS_FAILED);
}

void kcs_event_exec(const struct kcs_exec_event *ev)
{
	struct sk_buff *skb;
	void *hdr;
	u64 seq;

	skb = kcs_event_begin(ev->bound, kcs_event_exec_size(ev), &seq, &hdr);
	if (skb)
		kcs_event_end(skb, hdr, kcs_event_exec_fill(skb, ev, seq,
							    kcs_events_dropped()));
}

void kcs_event_net(const struct kcs_net_event *ev)
{
	struct sk_buff *skb;
	void *hdr;
	u64 seq;

	skb = kcs_event_begin(ev->bound, kcs_event_net_size(ev), &seq, &hdr);
	if (skb)
		kcs_event_end(skb, hdr, kcs_event_net_fill(skb, ev, seq,
							   kcs_events_dropped()));
}

void kcs_event_cap(const struct kcs_cap_event *ev)
{
	struct sk_buff *skb;
	void *hdr;
	u64 seq;

	skb = kcs_event_begin(ev->bound, kcs_event_cap_size(ev), &seq, &hdr);
	if (skb)
		kcs_event_end(skb, hdr, kcs_event_cap_fill(skb, ev, seq,
							   kcs_events_dropped()));
}

void kcs_event_file(const struct kcs_file_event *ev)
{
	struct sk_buff *skb;
	void *hdr;
	u64 seq;

	skb = kcs_event_begin(ev->bound, kcs_event_file_size(ev), &seq, &hdr);
	if (skb)
		kcs_event_end(skb, hdr, kcs_event_file_fill(skb, ev, seq,
							    kcs_events_dropped()));
}

void kcs_event_sys(const struct kcs_sys_event *ev)
{
	struct sk_buff *skb;
	void *hdr;
	u64 seq;

	skb = kcs_event_begin(ev->bound, kcs_event_sys_size(ev), &seq, &hdr);
	if (skb)
		kcs_event_end(skb, hdr, kcs_event_sys_fill(skb, ev, seq,
							   kcs_events_dropped()));
}
