/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KCS_CMD_EVENT: the subscription (KCS_CMD_SUBSCRIBE), decoded events, and gap
 * accounting (events this listener never saw).
 */
#ifndef KCS_EVENTS_H
#define KCS_EVENTS_H

#include <stdint.h>

#include "names.h"
#include "nl.h"

/* Where an event comes from. */
enum kcs_event_src {
	KCS_EV_SRC_KERNEL,	/* a KCS_CMD_EVENT of the module */
	KCS_EV_SRC_NFLOG,	/* an ingress rule's nflog message: no task,
				 * no seq, no kernel drop count */
};

struct kcs_event {
	enum kcs_event_src src;
	uint64_t seq;
	uint64_t time_ns;		/* CLOCK_REALTIME */
	uint32_t hook, verdict, mode, rule_kind;
	uint32_t pid, tgid, ppid, uid;
	uint64_t cgroup_id, bound_cgroup_id;
	uint64_t dropped;		/* kernel's running total */
	/* Point into the message; valid during the callback only. NULL when
	 * the optional attribute is absent. */
	const char *comm, *path, *invoked, *applet, *profile, *rule;
	/* Network hooks: family 0 when absent. addr: the destination for
	 * egress, the local address for bind/listen, as text. */
	uint32_t family, proto, port;
	char addr[64];
	/* Ingress: the local address and port the packet was sent to. */
	uint32_t lport;
	char laddr[64];
	/* KCS_HOOK_CAPABLE: the capability (CAP_*) used. */
	int has_cap;
	uint32_t cap;
	/* KCS_HOOK_FILE: the operation and the access judged. */
	uint32_t file_op, file_access;
	/* KCS_HOOK_SYSCALL: the call, its arguments, its entry's ABI. */
	const char *syscall;
	uint64_t sys_args[6];
	uint32_t sys_compat;
};

/* Fills @ev from a KCS_CMD_EVENT message's parsed attributes. */
int kcs_event_from_attrs(struct nlattr **tb, struct kcs_event *ev,
			 struct kcs_err *err);

/*
 * What the listener infers from consecutive events: events missing from
 * the sequence (@lost, the first missing seq @first), and how much the
 * module's global drop counter grew meanwhile (@dropped, up to
 * @dropped_total). @restarted: seq went backwards, i.e. the module was
 * reloaded, and counting starts over.
 */
struct kcs_gap {
	uint64_t lost, first;
	uint64_t dropped, dropped_total;
	int restarted;
};

struct kcs_seq_tracker {
	uint64_t last_seq;	/* 0: nothing seen yet */
	uint64_t last_dropped;
};

/* Account @ev; returns 1 and fills @gap when there is something to report. */
int kcs_seq_track(struct kcs_seq_tracker *t, const struct kcs_event *ev,
		  struct kcs_gap *gap);

struct kcs_monitor {
	struct kcs_nl nl;	/* its socket is the subscribed one */
	struct nl_sock *sk;	/* nl.sk */
	int family;		/* nl.family */
	struct nl_cb *cb;
};

/*
 * Subscribe to events (KCS_CMD_SUBSCRIBE) with a receive buffer of
 * @rcvbuf bytes. Events from before the subscription is confirmed are not
 * delivered: they precede the monitor.
 */
int kcs_monitor_open(struct kcs_monitor *m, int rcvbuf, struct kcs_err *err);
void kcs_monitor_close(struct kcs_monitor *m);

/*
 * Called per event, or with @ev NULL when the socket overran (the kernel
 * dropped messages for us: the next event's seq tells how many).
 * Return 0 to continue, 1 to stop, -1 (with @err) to fail.
 */
typedef int (*kcs_event_fn)(const struct kcs_event *ev, void *arg,
			    struct kcs_err *err);

/* The socket to poll for POLLIN. */
int kcs_monitor_fd(const struct kcs_monitor *m);

/* Messages kcs_monitor_recv() reads at most per call. */
#define KCS_MONITOR_BATCH	256
/* Its receive buffer: larger than any event. */
#define KCS_MONITOR_MSGBUF	(32 << 10)

/*
 * Hand what is queued on the socket (up to KCS_MONITOR_BATCH messages) to
 * @fn, without waiting. Returns 1 when @fn asked to stop, 0 otherwise, -1
 * on error.
 */
int kcs_monitor_recv(struct kcs_monitor *m, kcs_event_fn fn, void *arg,
		     struct kcs_err *err);

/*
 * Wait up to @timeout_ms (-1: forever) for events and hand each to @fn.
 * Returns 1 when @fn asked to stop, 0 on timeout or EINTR, -1 on error.
 */
int kcs_monitor_poll(struct kcs_monitor *m, int timeout_ms, kcs_event_fn fn,
		     void *arg, struct kcs_err *err);

#endif /* KCS_EVENTS_H */
