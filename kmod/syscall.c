// SPDX-License-Identifier: GPL-2.0
/*
 * Application rules at the entry of a named system call (docs/syscalls.md).
 *
 * hook_sys.c calls kcs_sys_check() from its ftrace callback, before the
 * system call's own function runs, with the caller's registers: atomic
 * context (preemption off), so nothing here sleeps. A refused call never
 * starts; the callback points the entry at a stub returning -EPERM. That
 * is also why the check may not sleep: deciding inside a replacement that
 * then calls the original would keep every task blocked in a named call
 * (read, accept, wait4) inside the module's text, and a call that never
 * returns (exit) would hold it for ever.
 *
 * Arguments are compared only at a 64-bit entry (__x64_sys_*), narrowed to
 * their parameters' types. A 32-bit entry (int 0x80 works from 64-bit code
 * too) has other registers, compat types and multiplexers (socketcall,
 * ipc): rules without conditions apply there as they are, and a deny rule
 * with conditions makes the call undecidable (kcs_sys_decide()).
 *
 * io_uring runs openat, connect, accept, send, read... from the kernel's
 * workers, never through these entries: every rule set names
 * io_uring_setup and io_uring_enter, undecidable unless the profile rules
 * them itself (uapi: KCS_SYS_N_GUARD).
 *
 * Only from the binding's first exec on, as file rules: before it, the
 * container runtime sets the container up in its cgroup (unshare, mount,
 * pivot_root) with every call it needs.
 */
#include <linux/net.h>
#include <linux/percpu.h>
#include <linux/ptrace.h>
#include <linux/sched/mm.h>
#include <linux/limits.h>
#include "kcs.h"

static bool kcs_sys_applies(const struct kcs_profile *p)
{
	return p->sys.blob;
}

u32 kcs_sys_hooks(const struct kcs_profile *p)
{
	return kcs_sys_applies(p) ? BIT(KCS_HOOK_SYSCALL) : 0;
}

/* The sub-calls of the 32-bit multiplexers, by their call numbers. */
static const char *const kcs_socketcall_names[] = {
	[1] = "socket", [2] = "bind", [3] = "connect", [4] = "listen",
	[5] = "accept", [6] = "getsockname", [7] = "getpeername",
	[8] = "socketpair", [9] = "sendto", [10] = "recvfrom",
	[11] = "sendto", [12] = "recvfrom", [13] = "shutdown",
	[14] = "setsockopt", [15] = "getsockopt", [16] = "sendmsg",
	[17] = "recvmsg", [18] = "accept4", [19] = "recvmmsg",
	[20] = "sendmmsg",
};

static const char *const kcs_ipc_names[] = {
	[1] = "semop", [2] = "semget", [3] = "semctl", [4] = "semtimedop",
	[11] = "msgsnd", [12] = "msgrcv", [13] = "msgget", [14] = "msgctl",
	[21] = "shmat", [22] = "shmdt", [23] = "shmget", [24] = "shmctl",
};

/* The name a multiplexed 32-bit call performs, or NULL. */
const char *kcs_sys_mux_name(u32 abi, unsigned long call)
{
	if (abi == KCS_SYS_ABI_SOCKETCALL)
		return call < ARRAY_SIZE(kcs_socketcall_names) ?
		       kcs_socketcall_names[call] : NULL;
	call &= 0xffff;		/* the high half is ipc()'s version */
	return call < ARRAY_SIZE(kcs_ipc_names) ? kcs_ipc_names[call] : NULL;
}

/* The caller's raw arguments, as its entry point passes them. */
static void kcs_sys_raw_args(u32 abi, const struct pt_regs *r, u64 *args)
{
	if (abi == KCS_SYS_ABI_64) {
		args[0] = r->di;
		args[1] = r->si;
		args[2] = r->dx;
		args[3] = r->r10;
		args[4] = r->r8;
		args[5] = r->r9;
		return;
	}
	args[0] = (u32)r->bx;
	args[1] = (u32)r->cx;
	args[2] = (u32)r->dx;
	args[3] = (u32)r->si;
	args[4] = (u32)r->di;
	args[5] = (u32)r->bp;
}

static bool kcs_sys_scoped(const struct kcs_sysset *s, int ni)
{
	return ni >= 0 && s->info[ni].scoped;
}

struct kcs_sys_call {
	const char *name;	/* the call as the rules name it */
	u32 abi;		/* enum kcs_sys_abi */
	u64 raw[KCS_SYS_ARGS];
	const char *prog;	/* formed once, when a scoped rule needs it */
	bool prog_done;
};

static void kcs_sys_report(const struct kcs_bound *b, const struct kcs_sys_call *c,
			   const struct kcs_sys_name *n, u32 verdict, u32 kind,
			   const char *rule)
{
	struct kcs_sys_event ev = {
		.bound = b, .verdict = verdict, .rule_kind = kind,
		.rule = rule, .name = c->name,
		.compat = c->abi != KCS_SYS_ABI_64,
	};

	if (n->flags & KCS_SYS_N_IGNORE) {
		kcs_stat_inc(KCS_STAT_SYS_IGNORED);
		return;
	}
	memcpy(ev.args, c->raw, sizeof(ev.args));
	if (kcs_event_wanted())
		kcs_event_sys(&ev);
}

static const char *kcs_sys_rule_text(const struct kcs_sysset *s, u32 rule)
{
	return rule == KCS_SYS_NO_RULE ? NULL : s->text + s->text_off[rule];
}

/* One profile's verdict: -EPERM, KCS_AUDITED, or 0. */
static int kcs_sys_decide_one(const struct kcs_bound *b, struct kcs_sys_call *c)
{
	const struct kcs_sysset *s = &b->profile->sys;
	int ni = kcs_sysset_find(s, c->name);
	const struct kcs_sys_name *n;
	struct kcs_sys_result res;
	u64 args[KCS_SYS_ARGS];
	u32 verdict, kind, i;
	const char *rule;
	int ret;

	if (ni < 0)
		return 0;
	n = &s->names[ni];
	if (kcs_sys_scoped(s, ni) && !c->prog_done) {
		c->prog = kcs_program_name_cpu(b->bound_cgroup_id);
		c->prog_done = true;
	}
	for (i = 0; i < KCS_SYS_ARGS; i++)
		args[i] = kcs_sys_arg_narrow(c->raw[i], s->info[ni].width[i],
					     s->info[ni].sign[i]);
	kcs_sys_decide(s, ni, c->abi == KCS_SYS_ABI_64 ? args : NULL, c->prog,
		       &res);
	rule = kcs_sys_rule_text(s, res.rule);
	switch (res.outcome) {
	case KCS_SYS_RES_ALLOW:
		return 0;
	case KCS_SYS_RES_AUDIT:
		kcs_stat_inc(KCS_STAT_SYS_REPORTED);
		kcs_sys_report(b, c, n, KCS_VERDICT_ALLOW, KCS_RULE_MONITOR,
			       rule ?: "(default: audit)");
		return 0;
	case KCS_SYS_RES_DENY:
		kind = res.rule == KCS_SYS_NO_RULE ? KCS_RULE_NOT_ALLOWED :
		       KCS_RULE_BLOCK;
		break;
	default:
		kind = KCS_RULE_UNDECIDABLE;
		if (n->flags & KCS_SYS_N_GUARD)
			rule = "io_uring (would bypass the application rules)";
		else if (c->abi != KCS_SYS_ABI_64)
			rule = rule ? rule : "(32-bit entry)";
		break;
	}
	ret = kcs_denial(b->mode, -EPERM, &verdict);
	kcs_sys_report(b, c, n, verdict, kind, rule);
	return ret;
}

/**
 * kcs_sys_check() - judge a call of a named system call by the current task
 * @name: its name in the 64-bit table, or NULL for a multiplexer
 * @abi: enum kcs_sys_abi of the entry point hooked
 * @uregs: the caller's registers, as the entry point receives them
 *
 * Atomic context. Return: true when the call is refused (-EPERM).
 */
bool kcs_sys_check(const char *name, u32 abi, const struct pt_regs *uregs)
{
	struct kcs_sys_call c = { .name = name, .abi = abi };
	struct kcs_tally t = { };
	struct kcs_bound b;
	bool enforce;
	unsigned int i;

	if (!kcs_binding_get_current(&b))
		return false;
	if (!b.started || !kcs_bound_any(&b, kcs_sys_applies, &enforce))
		goto out;
	kcs_sys_raw_args(abi, uregs, c.raw);
	if (abi == KCS_SYS_ABI_SOCKETCALL || abi == KCS_SYS_ABI_IPC) {
		c.name = kcs_sys_mux_name(abi, c.raw[0]);
		if (!c.name)
			goto out;
	}
	kcs_stat_inc(KCS_STAT_SYS_CHECKED);
	for (i = 0; i < b.n; i++) {
		kcs_bound_select(&b, i);
		if (kcs_sys_applies(b.profile))
			kcs_tally_add(&t, kcs_sys_decide_one(&b, &c));
	}
	kcs_tally_end(&t, KCS_STAT_SYS_DENIED, KCS_STAT_SYS_AUDITED);
out:
	kcs_bound_put(&b);
	return t.ret < 0;
}
