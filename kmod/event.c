// SPDX-License-Identifier: GPL-2.0
/*
 * Events: one generic netlink message per reported decision (exec,
 * socket, file, capability, system call), queued on every subscribed
 * socket (event_sub.c); under a flood several messages share one skb.
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
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
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
 * Batching. Under a flood, what an event costs is mostly per message: an
 * skb allocation, queueing it on the listener and waking the listener,
 * and the listener's recvmsg(). So an event is sent at once only when
 * nothing has been sent in the current jiffy; after that, events of the
 * same tick are appended, as complete generic netlink messages one after
 * the other, to one skb of KCS_EVENT_BATCH_BYTES, sent when the next
 * event does not fit or, at the latest, by the work one tick later.
 * A quiet host sees every event immediately; a flood sees its events at
 * most about two ticks late (8 ms at HZ=250), a few dozen per message.
 *
 * One batch for the host, under one lock, in which sequence numbers are
 * also taken: messages leave in the order of their numbers, so a listener
 * that sees a number lower than the last one knows the module restarted
 * (events.c in kcsadm), and a hole is exactly a loss. The lock is taken
 * with interrupts off: a capability check can come from any context.
 */
#define KCS_EVENT_BATCH_BYTES	SKB_WITH_OVERHEAD(16384)

static struct {
	spinlock_t lock;	/* all of these, and the numbering */
	struct sk_buff *skb;	/* the events waiting, or NULL */
	unsigned int count;	/* how many */
	unsigned long sent;	/* jiffies of the last send, */
	bool sent_once;		/* if there was one */
} kcs_batch = {
	.lock = __SPIN_LOCK_UNLOCKED(kcs_batch.lock),
};

static void kcs_batch_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(kcs_batch_work, kcs_batch_work_fn);

/* Deliver @skb holding @n events and count them. Under kcs_batch.lock. */
static void kcs_event_send(struct sk_buff *skb, unsigned int n)
{
	int err = kcs_event_deliver(skb);

	kcs_batch.sent = jiffies;
	kcs_batch.sent_once = true;
	/* -ESRCH: the last subscriber left meanwhile; not a drop. */
	if (err == -ESRCH)
		kcs_stat_add(KCS_STAT_EVENTS_NO_LISTENER, n);
	else if (err)	/* a listener's buffer was full */
		kcs_stat_add(KCS_STAT_EVENTS_FAILED, n);
	else
		kcs_stat_add(KCS_STAT_EVENTS_SENT, n);
}

/* Send the waiting events, if any. Under kcs_batch.lock. */
static void kcs_batch_flush(void)
{
	struct sk_buff *skb = kcs_batch.skb;

	if (!skb)
		return;
	kcs_batch.skb = NULL;
	kcs_event_send(skb, kcs_batch.count);
	kcs_batch.count = 0;
}

static void kcs_batch_work_fn(struct work_struct *work)
{
	unsigned long flags;

	spin_lock_irqsave(&kcs_batch.lock, flags);
	kcs_batch_flush();
	spin_unlock_irqrestore(&kcs_batch.lock, flags);
}

/*
 * The skb to add a message of @need bytes to: the batch (made if there is
 * none), or, when the event is sent at once, is too large for a batch or
 * no batch memory is to be had, one of its own (*@alone set). NULL: no
 * memory. Under kcs_batch.lock.
 */
static struct sk_buff *kcs_batch_room(size_t need, bool *alone)
{
	bool now = !kcs_batch.skb && (!kcs_batch.sent_once ||
				      time_after(jiffies, kcs_batch.sent));

	*alone = false;
	if (kcs_batch.skb && skb_tailroom(kcs_batch.skb) < need)
		kcs_batch_flush();
	if (!now && !kcs_batch.skb && need <= KCS_EVENT_BATCH_BYTES)
		kcs_batch.skb = alloc_skb(KCS_EVENT_BATCH_BYTES,
					  GFP_NOWAIT | __GFP_NOWARN);
	if (kcs_batch.skb && skb_tailroom(kcs_batch.skb) >= need)
		return kcs_batch.skb;
	/* Alone: first send the batch, which holds lower numbers. */
	kcs_batch_flush();
	*alone = true;
	return nlmsg_new(need, GFP_NOWAIT | __GFP_NOWARN);
}

typedef int (*kcs_event_fill_fn)(struct sk_buff *skb, const void *ev,
				 u64 seq, u64 dropped);

/**
 * kcs_event_emit() - number an event, fill it in and send or batch it
 * @b: the binding it belongs to (its rate limit)
 * @size: kcs_event_*_size() of the event
 * @fill: kcs_event_*_fill()
 * @ev: the event
 *
 * Every event is numbered, also one then dropped, so that a gap in the
 * numbers a listener sees is exactly its loss; every drop is counted.
 * Never sleeps.
 */
static void kcs_event_emit(const struct kcs_bound *b, size_t size,
			   kcs_event_fill_fn fill, const void *ev)
{
	size_t need = nlmsg_total_size(GENL_HDRLEN + size);
	struct sk_buff *skb;
	unsigned long flags;
	unsigned char *mark;
	u64 dropped, seq;
	bool alone;
	void *hdr;

	if (!kcs_rate_ok(b->bound_cgroup_id)) {
		atomic64_inc(&kcs_event_seq);
		kcs_stat_inc(KCS_STAT_EVENTS_RATELIMITED);
		return;
	}
	dropped = kcs_events_dropped();
	spin_lock_irqsave(&kcs_batch.lock, flags);
	skb = kcs_batch_room(need, &alone);
	seq = atomic64_inc_return(&kcs_event_seq);
	if (!skb)
		goto fail;
	mark = skb_tail_pointer(skb);
	hdr = genlmsg_put(skb, 0, 0, &kcs_family, 0, KCS_CMD_EVENT);
	if (!hdr || fill(skb, ev, seq, dropped)) {
		if (alone) {
			nlmsg_free(skb);
		} else {
			nlmsg_trim(skb, mark);
			/* Keep the batch as it was, and the work to send it. */
		}
		goto fail;
	}
	genlmsg_end(skb, hdr);
	if (alone) {
		kcs_event_send(skb, 1);
	} else {
		kcs_batch.count++;
		/* No-op when already queued: at most one send per tick. */
		schedule_delayed_work(&kcs_batch_work, 1);
	}
	spin_unlock_irqrestore(&kcs_batch.lock, flags);
	return;
fail:
	spin_unlock_irqrestore(&kcs_batch.lock, flags);
	kcs_stat_inc(KCS_STAT_EVENTS_FAILED);
}

/**
 * kcs_event_exit() - send what waits, once no hook can add to it
 *
 * Called at unload after the hooks are gone, before the subscribers are.
 */
void kcs_event_exit(void)
{
	unsigned long flags;

	cancel_delayed_work_sync(&kcs_batch_work);
	spin_lock_irqsave(&kcs_batch.lock, flags);
	kcs_batch_flush();
	spin_unlock_irqrestore(&kcs_batch.lock, flags);
}

static int kcs_fill_exec(struct sk_buff *skb, const void *ev, u64 seq,
			 u64 dropped)
{
	return kcs_event_exec_fill(skb, ev, seq, dropped);
}

static int kcs_fill_net(struct sk_buff *skb, const void *ev, u64 seq,
			u64 dropped)
{
	return kcs_event_net_fill(skb, ev, seq, dropped);
}

static int kcs_fill_cap(struct sk_buff *skb, const void *ev, u64 seq,
			u64 dropped)
{
	return kcs_event_cap_fill(skb, ev, seq, dropped);
}

static int kcs_fill_file(struct sk_buff *skb, const void *ev, u64 seq,
			 u64 dropped)
{
	return kcs_event_file_fill(skb, ev, seq, dropped);
}

static int kcs_fill_sys(struct sk_buff *skb, const void *ev, u64 seq,
			u64 dropped)
{
	return kcs_event_sys_fill(skb, ev, seq, dropped);
}

void kcs_event_exec(const struct kcs_exec_event *ev)
{
	kcs_event_emit(ev->bound, kcs_event_exec_size(ev), kcs_fill_exec, ev);
}

void kcs_event_net(const struct kcs_net_event *ev)
{
	kcs_event_emit(ev->bound, kcs_event_net_size(ev), kcs_fill_net, ev);
}

void kcs_event_cap(const struct kcs_cap_event *ev)
{
	kcs_event_emit(ev->bound, kcs_event_cap_size(ev), kcs_fill_cap, ev);
}

void kcs_event_file(const struct kcs_file_event *ev)
{
	kcs_event_emit(ev->bound, kcs_event_file_size(ev), kcs_fill_file, ev);
}

void kcs_event_sys(const struct kcs_sys_event *ev)
{
	kcs_event_emit(ev->bound, kcs_event_sys_size(ev), kcs_fill_sys, ev);
}
