// SPDX-License-Identifier: GPL-2.0
/*
 * Hook liveness: proof that each hooked entry point really fires.
 *
 * A hook can be registered and still never be called: the LSM chain may
 * stop calling a BPF-LSM stub (static keys per hook, a bpf LSM dropped from
 * lsm=), a call path may move to another function. Nothing would say so;
 * the containers would just run unchecked. So bindings wait for proof.
 *
 * kcsadm load starts a probe for one of its children (KCS_CMD_PROBE with a
 * pid): every hook is registered and the ftrace callback notes which hook
 * numbers fire for that task, before anything else and whether or not the
 * task is bound. The child execs, connects, sends, binds, listens, maps
 * and mprotects; the probe's end (KCS_CMD_PROBE without a pid) reports per
 * hook whether it fired, and every kind whose entry points all fired is
 * proven for the module's lifetime. kcs_hooks_add() refuses a binding that
 * needs an unproven kind, so a module loaded by other means (modprobe at
 * boot) takes no binding until a probe has run.
 *
 * SCTP is exempt from the requirement: proving it needs the sctp module,
 * which kcsadm loads for nobody; it probes it when the protocol is there.
 *
 * Cost outside a probe: a static branch in the callback, patched out.
 */
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/bitmap.h>
#include <net/genetlink.h>
#include "kcs.h"

DEFINE_STATIC_KEY_FALSE(kcs_probe_on);

/* The watched task's pid: compared only (the callback never follows it). */
static struct pid *kcs_probe_pid;
/* Under kcs_config_lock: the reference and since when it is held. */
static struct pid *kcs_probe_held;
static unsigned long kcs_probe_since;
static unsigned long kcs_probe_hits;	/* bit per hook number */
static u32 kcs_proven;			/* BIT(enum kcs_hook), only grows */

#define KCS_PROBE_STALE	(10 * HZ)	/* a probe whose client died */

/* From the ftrace callback, atomic: a compare and a bit, nothing else. */
void notrace kcs_probe_note(unsigned int i)
{
	if (task_tgid(current) == READ_ONCE(kcs_probe_pid))
		set_bit(i, &kcs_probe_hits);
}

/* Stop watching. After it, no callback still sees the old pid. */
static unsigned long kcs_probe_stop(void)
{
	lockdep_assert_held(&kcs_config_lock);
	if (!kcs_probe_held)
		return 0;
	WRITE_ONCE(kcs_probe_pid, NULL);
	static_branch_disable(&kcs_probe_on);
	/* Callbacks run with preemption off: this waits for any in flight. */
	synchronize_rcu();
	put_pid(kcs_probe_held);
	kcs_probe_held = NULL;
	return READ_ONCE(kcs_probe_hits);
}

/**
 * kcs_probe_begin() - start watching task @nr (in the caller's pid ns)
 * @nr: the task that will exercise every hook
 * @extack: for the reason of a refusal
 *
 * Registers every hook, proven or not, until kcs_probe_end().
 * Return: 0, -ESRCH, -EBUSY while another client's probe runs, or the
 * error of a hook registration.
 */
int kcs_probe_begin(pid_t nr, struct netlink_ext_ack *extack)
{
	struct pid *pid = find_get_pid(nr);
	int err;

	if (!pid) {
		kcs_extack_set(extack, "no such process");
		return -ESRCH;
	}
	mutex_lock(&kcs_config_lock);
	if (kcs_probe_held &&
	    time_before(jiffies, kcs_probe_since + KCS_PROBE_STALE)) {
		kcs_extack_set(extack, "another hook probe is running");
		err = -EBUSY;
		goto out;
	}
	kcs_probe_stop();
	err = kcs_hooks_register_mask(KCS_HOOKS_PROBE_ALL, extack);
	if (err)
		goto out;
	WRITE_ONCE(kcs_probe_hits, 0);
	kcs_probe_held = pid;
	kcs_probe_since = jiffies;
	pid = NULL;
	WRITE_ONCE(kcs_probe_pid, kcs_probe_held);
	static_branch_enable(&kcs_probe_on);
out:
	mutex_unlock(&kcs_config_lock);
	put_pid(pid);
	return err;
}

static u32 kcs_kinds_proven_by(unsigned long hits)
{
	u32 kinds = 0, failed = 0, kind;
	const char *target, *sig;
	unsigned int i;

	for (i = 0; i < kcs_hooks_count(); i++) {
		kcs_hook_describe(i, &target, &sig, &kind);
		if (test_bit(i, &hits))
			kinds |= BIT(kind);
		else if (!kcs_hook_proof_optional(i))
			failed |= BIT(kind);
	}
	return kinds & ~failed;
}

static int kcs_probe_fill(struct sk_buff *skb, unsigned long hits)
{
	const char *target, *sig;
	struct nlattr *all, *nest;
	unsigned int i;
	u32 kind;

	if (nla_put_u32(skb, KCS_A_HOOKS_PROVEN, kcs_hooks_proven()))
		return -EMSGSIZE;
	all = nla_nest_start(skb, KCS_A_PROBE_HOOKS);
	if (!all)
		return -EMSGSIZE;
	for (i = 0; i < kcs_hooks_count(); i++) {
		kcs_hook_describe(i, &target, &sig, &kind);
		nest = nla_nest_start(skb, i + 1);
		if (!nest ||
		    nla_put_u32(skb, KCS_A_EV_HOOK, kind) ||
		    nla_put_string(skb, KCS_A_PROBE_TARGET, target) ||
		    nla_put_string(skb, KCS_A_PROBE_SIGNATURE, sig) ||
		    nla_put_u32(skb, KCS_A_PROBE_FIRED, test_bit(i, &hits)))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	nla_nest_end(skb, all);
	return 0;
}

/**
 * kcs_probe_end() - stop the probe, record what it proved, describe it
 * @skb: the reply, filled with KCS_A_HOOKS_PROVEN and KCS_A_PROBE_HOOKS
 * @extack: for the reason of a refusal
 *
 * Return: 0, -ENOENT when no probe runs, -EMSGSIZE.
 */
int kcs_probe_end(struct sk_buff *skb, struct netlink_ext_ack *extack)
{
	unsigned long hits;

	mutex_lock(&kcs_config_lock);
	if (!kcs_probe_held) {
		mutex_unlock(&kcs_config_lock);
		kcs_extack_set(extack, "no hook probe is running");
		return -ENOENT;
	}
	hits = kcs_probe_stop();
	WRITE_ONCE(kcs_proven, kcs_proven | kcs_kinds_proven_by(hits));
	kcs_hooks_trim(kcs_bound_hooks());
	mutex_unlock(&kcs_config_lock);
	return kcs_probe_fill(skb, hits);
}

/* Whether a probe runs now (its probe-only hooks stay). Under kcs_config_lock. */
bool kcs_probe_running(void)
{
	lockdep_assert_held(&kcs_config_lock);
	return kcs_probe_held;
}

u32 kcs_hooks_proven(void)
{
	return READ_ONCE(kcs_proven);
}

/* Exec always, and what @need names, except SCTP (see the top). */
int kcs_hooks_proven_check(u32 need, struct netlink_ext_ack *extack)
{
	u32 missing = (need | BIT(KCS_HOOK_EXEC)) & ~BIT(KCS_HOOK_SCTP) &
		      ~kcs_hooks_proven();

	if (!missing)
		return 0;
	kcs_extack_set(extack,
		       "kcs.ko's hooks are not proven to fire yet: run \"kcsadm load\" (it proves them) and see the kernel log");
	return -EOPNOTSUPP;
}

/* At unload, once the hooks are gone. */
void kcs_probe_exit(void)
{
	mutex_lock(&kcs_config_lock);
	kcs_probe_stop();
	mutex_unlock(&kcs_config_lock);
}
