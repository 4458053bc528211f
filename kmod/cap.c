// SPDX-License-Identifier: GPL-2.0
/*
 * Capabilities a binding blocks (KCS_A_CAPS_BLOCK): the runtime half of a
 * policy's capabilities block. The start check keeps a container holding a
 * listed capability from starting; this keeps a bound task from using one
 * it gets later: through a user namespace of its own (unshare -U gives
 * every capability inside it, and with it mounts of its own), a setuid or
 * file-capability program without no_new_privs, or a container started
 * under Audit.
 *
 * The check runs on every capable() of a bound task while some binding
 * blocks capabilities (the hook is registered on demand), possibly in
 * atomic context: nothing here sleeps, events are built with GFP_NOWAIT.
 * Only the task's own use is judged (cred is its current cred), only in
 * task context, and only from the binding's first exec on: before it, the
 * container runtime's init is setting the container up (mounts,
 * pivot_root) in the container's cgroup with every capability it needs.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/security.h>
#include "kcs.h"

/*
 * Set while this CPU builds a capability event: a capable() inside that
 * is ours, not the task's.
 */
static DEFINE_PER_CPU(bool, kcs_cap_busy);

static void kcs_cap_report(const struct kcs_bound *b, int cap, u32 verdict)
{
	struct kcs_cap_event ev = { .bound = b, .cap = cap, .verdict = verdict };

	preempt_disable();
	if (!__this_cpu_read(kcs_cap_busy)) {
		__this_cpu_write(kcs_cap_busy, true);
		if (kcs_event_wanted())
			kcs_event_cap(&ev);
		__this_cpu_write(kcs_cap_busy, false);
	}
	preempt_enable();
}

/**
 * kcs_cap_check() - judge a capability used by the current task
 * @cred: the credentials being checked
 * @cap: the capability (CAP_*)
 * @opts: CAP_OPT_*; with CAP_OPT_NOAUDIT the caller only asks (no event)
 *
 * Return: 0, or -EPERM when a binding under Enforce blocks @cap.
 */
int kcs_cap_check(const struct cred *cred, int cap, unsigned int opts)
{
	struct kcs_bound b;
	int ret = 0;

	if (!in_task() || cred != current_cred() || cap < 0 || cap > 63 ||
	    this_cpu_read(kcs_cap_busy))
		return 0;
	if (!kcs_binding_get_current(&b))
		return 0;
	if ((b.caps_block & BIT_ULL(cap)) && b.started) {
		/* The binding's first profile's mode (selected; events name it). */
		if (b.mode == KCS_MODE_ENFORCE) {
			ret = -EPERM;
			kcs_stat_inc(KCS_STAT_CAP_DENIED);
		} else {
			kcs_stat_inc(KCS_STAT_CAP_AUDITED);
		}
		if (!(opts & CAP_OPT_NOAUDIT))
			kcs_cap_report(&b, cap, ret ? KCS_VERDICT_DENY : KCS_VERDICT_ALLOW);
	}
	kcs_bound_put(&b);
	return ret;
}
