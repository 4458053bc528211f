// SPDX-License-Identifier: GPL-2.0
/*
 * Hooking the LSM entry points from a loadable module.
 *
 * Stock kernels offer modules no LSM registration, so kcs redirects the
 * security_* functions with ftrace (IPMODIFY): the ftrace callback, which
 * runs atomically, only decides whether the current task is of interest and
 * if so points the saved ip at our replacement. The replacement then runs
 * in the caller's ordinary context (it may sleep), calls the original
 * function, and adds its own verdict. Tasks of no interest are never
 * redirected, which keeps unbound tasks at the cost of one ftrace call.
 *
 * Calling the original fires ftrace again; the callback recognises that by
 * parent_ip lying inside this module, so the replacements must not be
 * tail-calls (Kbuild builds this file with -fno-optimize-sibling-calls).
 *
 * Unload: unregister_ftrace_function() does not wait for tasks already
 * inside a replacement (one may sleep in the original for long). An
 * in-flight count covers the body; RCU-tasks grace periods cover the few
 * instructions between the redirect and the increment, and between the
 * decrement and the return. See kcs_hooks_exit().
 */
#include <linux/module.h>
#include <linux/kprobes.h>
#include <linux/ftrace.h>
#include <linux/kallsyms.h>
#include <linux/uaccess.h>
#include <linux/delay.h>
#include <linux/binfmts.h>
#include "kcs.h"
#include "compat.h"

struct kcs_ftrace_hook {
	const char *name;
	void *replacement;
	unsigned long orig;		/* function start: what we call */
	unsigned long site;		/* its ftrace call site */
	struct ftrace_ops ops;
	bool registered;
};

static atomic_long_t kcs_inflight = ATOMIC_LONG_INIT(0);

static int kcs_bprm_check_security(struct linux_binprm *bprm);

static struct kcs_ftrace_hook kcs_hooks[] = {
	{ .name = "security_bprm_check",
	  .replacement = kcs_bprm_check_security },
};

enum { KCS_HOOK_IDX_EXEC };

long kcs_hooks_inflight(void)
{
	return atomic_long_read(&kcs_inflight);
}

static int kcs_bprm_check_security(struct linux_binprm *bprm)
{
	int (*orig)(struct linux_binprm *bprm) =
		(void *)kcs_hooks[KCS_HOOK_IDX_EXEC].orig;
	int ret;

	atomic_long_inc(&kcs_inflight);
	ret = orig(bprm);
	if (!ret)
		ret = kcs_exec_check(bprm);
	atomic_long_dec(&kcs_inflight);
	return ret;
}

static void notrace kcs_ftrace_thunk(unsigned long ip, unsigned long parent_ip,
				     struct ftrace_ops *ops,
				     struct ftrace_regs *fregs)
{
	struct kcs_ftrace_hook *hook = container_of(ops, struct kcs_ftrace_hook, ops);

	if (within_module(parent_ip, THIS_MODULE))
		return;		/* our replacement calling the original */
	if (!kcs_current_maybe_bound())
		return;
	kcs_ftrace_set_ip(fregs, (unsigned long)hook->replacement);
}

/*
 * The address to call the original at. A kprobe resolves the symbol for us
 * (kallsyms_lookup_name is not exported); with IBT the probe sits after the
 * function's ENDBR64, and an indirect call must land on the ENDBR, so step
 * back over it. sprint_symbol() then proves we have the function's start.
 */
static int kcs_resolve(struct kcs_ftrace_hook *hook)
{
	static const u32 endbr64 = 0xfa1e0ff3;	/* f3 0f 1e fa */
	struct kprobe kp = { .symbol_name = hook->name };
	char sym[KSYM_SYMBOL_LEN];
	unsigned long addr;
	u32 insn;
	int err;

	err = register_kprobe(&kp);
	if (err)
		return err;
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
	hook->site = addr;

	if (!copy_from_kernel_nofault(&insn, (void *)(addr - 4), 4) &&
	    insn == endbr64)
		addr -= 4;
	sprint_symbol(sym, addr);
	if (strncmp(sym, hook->name, strlen(hook->name)) ||
	    strncmp(sym + strlen(hook->name), "+0x0/", 5)) {
		pr_err("kcs: %s resolved to %s, not its start\n",
		       hook->name, sym);
		return -ENOENT;
	}
	hook->orig = addr;
	return 0;
}

static int kcs_hook_install(struct kcs_ftrace_hook *hook)
{
	int err;

	err = kcs_resolve(hook);
	if (err) {
		pr_err("kcs: cannot find %s: %d\n", hook->name, err);
		return err;
	}
	hook->ops.func = kcs_ftrace_thunk;
	hook->ops.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_RECURSION |
			  FTRACE_OPS_FL_IPMODIFY;
	err = ftrace_set_filter_ip(&hook->ops, hook->site, 0, 0);
	if (err) {
		pr_err("kcs: cannot trace %s: %d\n", hook->name, err);
		return err;
	}
	err = register_ftrace_function(&hook->ops);
	if (err) {
		pr_err("kcs: cannot hook %s: %d (livepatch or another IPMODIFY user?)\n",
		       hook->name, err);
		ftrace_set_filter_ip(&hook->ops, hook->site, 1, 0);
		return err;
	}
	hook->registered = true;
	return 0;
}

static void kcs_hook_remove(struct kcs_ftrace_hook *hook)
{
	if (!hook->registered)
		return;
	unregister_ftrace_function(&hook->ops);
	ftrace_set_filter_ip(&hook->ops, hook->site, 1, 0);
	hook->registered = false;
}

void kcs_hooks_exit(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(kcs_hooks); i++)
		kcs_hook_remove(&kcs_hooks[i]);
	/*
	 * No new redirects now. A task redirected but not yet counted is not
	 * at a voluntary switch; wait until every task has passed one.
	 */
	synchronize_rcu_tasks();
	/* Tasks inside a replacement (possibly asleep in the original). */
	while (atomic_long_read(&kcs_inflight))
		msleep(20);
	/* And the instructions after the decrement, up to the return. */
	synchronize_rcu_tasks();
}

int kcs_hooks_init(void)
{
	int i, err;

	for (i = 0; i < ARRAY_SIZE(kcs_hooks); i++) {
		err = kcs_hook_install(&kcs_hooks[i]);
		if (err) {
			kcs_hooks_exit();
			return err;
		}
	}
	return 0;
}
