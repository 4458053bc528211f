// SPDX-License-Identifier: GPL-2.0
/*
 * Event subscribers: the sockets events are delivered to.
 *
 * Events name every container's programs, files and peers. A genetlink
 * multicast group cannot refuse a listener by who it is on 6.1 (no bind
 * callback, no per-listener filter): a privileged task inside a bound
 * cgroup could join it. So there is no group. A socket subscribes with
 * KCS_CMD_SUBSCRIBE, a request checked like every other one (capabilities,
 * and never from a bound cgroup), and kcs keeps a reference to that very
 * socket and queues each event on it. Holding the socket, not its port id,
 * means no other socket can inherit a subscription by binding a port id
 * freed by a closing monitor.
 *
 * Readers (the hooks, any context) walk the table under RCU; writers
 * (subscribe, the socket's release notifier, unload) hold kcs_sub_lock.
 */
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include "kcs.h"

struct kcs_sub {
	struct sock *sk;	/* referenced */
	u32 portid;		/* to recognise its release notification */
	struct rcu_head rcu;
};

static struct kcs_sub __rcu *kcs_subs[KCS_MAX_SUBSCRIBERS];
static DEFINE_MUTEX(kcs_sub_lock);
static atomic_t kcs_nsubs = ATOMIC_INIT(0);

bool kcs_event_subscribed(void)
{
	return atomic_read(&kcs_nsubs) > 0;
}

unsigned int kcs_event_subscribers(void)
{
	return atomic_read(&kcs_nsubs);
}

static void kcs_sub_free_rcu(struct rcu_head *head)
{
	struct kcs_sub *s = container_of(head, struct kcs_sub, rcu);

	sock_put(s->sk);
	kfree(s);
}

/* Caller holds kcs_sub_lock. */
static void kcs_sub_remove(int i)
{
	struct kcs_sub *s = rcu_dereference_protected(kcs_subs[i],
					lockdep_is_held(&kcs_sub_lock));

	RCU_INIT_POINTER(kcs_subs[i], NULL);
	atomic_dec(&kcs_nsubs);
	call_rcu(&s->rcu, kcs_sub_free_rcu);
}

/**
 * kcs_event_subscribe() - deliver events to @sk from now on
 * @sk: the requesting netlink socket (NETLINK_CB(skb).sk of the request)
 * @portid: its port id
 * @extack: for the reason of a refusal
 *
 * The caller has checked the sender (kcs_request_ok()). Subscribing a
 * socket twice is not an error. Dead sockets still in the table (their
 * release notification may not have run yet) are dropped first.
 *
 * Return: 0, or -ENOSPC when KCS_MAX_SUBSCRIBERS sockets listen.
 */
int kcs_event_subscribe(struct sock *sk, u32 portid,
			struct netlink_ext_ack *extack)
{
	struct kcs_sub *s, *new;
	int i, free = -1, err = 0;

	new = kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	mutex_lock(&kcs_sub_lock);
	for (i = 0; i < KCS_MAX_SUBSCRIBERS; i++) {
		s = rcu_dereference_protected(kcs_subs[i],
					      lockdep_is_held(&kcs_sub_lock));
		if (s && sock_flag(s->sk, SOCK_DEAD)) {
			kcs_sub_remove(i);
			s = NULL;
		}
		if (s && s->sk == sk)
			goto out;	/* already */
		if (!s && free < 0)
			free = i;
	}
	if (free < 0) {
		kcs_extack_set(extack, "too many event listeners");
		err = -ENOSPC;
		goto out;
	}
	sock_hold(sk);
	new->sk = sk;
	new->portid = portid;
	rcu_assign_pointer(kcs_subs[free], new);
	atomic_inc(&kcs_nsubs);
	new = NULL;
out:
	mutex_unlock(&kcs_sub_lock);
	kfree(new);
	return err;
}

/*
 * Tell the reader it lost events, as netlink does for a multicast listener
 * that overran: its next recv() fails with ENOBUFS once. Set only when no
 * error is pending, so a flood does not wake the reader per lost event.
 */
static void kcs_sub_overrun(struct sock *sk)
{
	if (READ_ONCE(sk->sk_err))
		return;
	WRITE_ONCE(sk->sk_err, ENOBUFS);
	sk_error_report(sk);
}

/**
 * kcs_event_deliver() - queue one event on every subscribed socket
 * @skb: the finished message, consumed
 *
 * Never sleeps and never waits for a reader: a socket whose receive buffer
 * is full misses the event (the caller counts it; the event's sequence
 * number shows the gap to that reader).
 *
 * Return: 0 when every subscriber got it, -ESRCH when there was none,
 * -ENOBUFS when at least one did not get it.
 */
/* Queue @skb (consumed) on @sk; false when @sk's buffer is full. */
static bool kcs_sub_queue(struct sock *sk, struct sk_buff *skb)
{
	if (skb && !sock_queue_rcv_skb(sk, skb))
		return true;
	kfree_skb(skb);
	kcs_sub_overrun(sk);
	return false;
}

int kcs_event_deliver(struct sk_buff *skb)
{
	int i, delivered = 0, failed = 0;
	struct sock *prev = NULL;
	struct kcs_sub *s;

	/*
	 * Each subscriber but the last gets a clone, the last the message
	 * itself: the usual case, one monitor, costs no copy.
	 */
	rcu_read_lock();
	for (i = 0; i < KCS_MAX_SUBSCRIBERS; i++) {
		s = rcu_dereference(kcs_subs[i]);
		if (!s || sock_flag(s->sk, SOCK_DEAD))
			continue;
		if (prev) {
			if (kcs_sub_queue(prev, skb_clone(skb, GFP_NOWAIT |
							  __GFP_NOWARN)))
				delivered++;
			else
				failed++;
		}
		prev = s->sk;
	}
	if (prev) {
		if (kcs_sub_queue(prev, skb))
			delivered++;
		else
			failed++;
	} else {
		consume_skb(skb);
	}
	rcu_read_unlock();
	if (failed)
		return -ENOBUFS;
	return delivered ? 0 : -ESRCH;
}

/* A closed socket's subscription goes with it (process context). */
static int kcs_sub_release(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
	struct netlink_notify *n = ptr;
	struct kcs_sub *s;
	int i;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !net_eq(n->net, &init_net))
		return NOTIFY_DONE;
	mutex_lock(&kcs_sub_lock);
	for (i = 0; i < KCS_MAX_SUBSCRIBERS; i++) {
		s = rcu_dereference_protected(kcs_subs[i],
					      lockdep_is_held(&kcs_sub_lock));
		if (s && s->portid == n->portid && sock_flag(s->sk, SOCK_DEAD))
			kcs_sub_remove(i);
	}
	mutex_unlock(&kcs_sub_lock);
	return NOTIFY_DONE;
}

static struct notifier_block kcs_sub_notifier = {
	.notifier_call = kcs_sub_release,
};

int kcs_event_sub_init(void)
{
	return netlink_register_notifier(&kcs_sub_notifier);
}

/* After the family is gone (no new subscriber) and the hooks (no sender). */
void kcs_event_sub_exit(void)
{
	int i;

	netlink_unregister_notifier(&kcs_sub_notifier);
	mutex_lock(&kcs_sub_lock);
	for (i = 0; i < KCS_MAX_SUBSCRIBERS; i++)
		if (rcu_access_pointer(kcs_subs[i]))
			kcs_sub_remove(i);
	mutex_unlock(&kcs_sub_lock);
	/* The frees run module code: the caller's rcu_barrier() waits. */
}
