/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One ftrace-redirected entry point, shared by hook.c (the LSM entry
 * points) and hook_sys.c (the system calls application rules name).
 */
#ifndef KCS_HOOK_FTRACE_H
#define KCS_HOOK_FTRACE_H

#include <linux/ftrace.h>

struct kcs_ftrace_hook {
	const char *name;		/* the security_*() entry point */
	const char *stub;		/* its BPF-LSM stub: preferred */
	const char *target;		/* the one hooked */
	void *replacement;
	/* For the security_*() function, when its signature is not the stub's. */
	void *replacement_fallback;
	/*
	 * The C type of the stub, and of the security_*() function when it
	 * differs: kcsadm compares the one hooked with the kernel's BTF.
	 */
	const char *sig;
	const char *sig_fallback;
	u32 kind;			/* enum kcs_hook: its bit in a mask */
	bool on_demand;			/* registered only while needed */
	bool probe_only;		/* registered only while a probe runs */
	unsigned long orig;		/* function start: what we call */
	unsigned long site;		/* its ftrace call site */
	struct ftrace_ops ops;
	bool filtered;			/* ops filter set to site */
	bool registered;		/* under kcs_config_lock after init */
};

/*
 * Resolve @name into @hook's orig and site (a function start that may be
 * called indirectly, and its ftrace site). 0, or a negative errno (-ENOENT
 * and friends when there is no such function).
 */
int kcs_resolve(struct kcs_ftrace_hook *hook, const char *name);
/* Only the ftrace site of @name, for a hook that never calls it. */
int kcs_resolve_site(struct kcs_ftrace_hook *hook, const char *name);
/* (Un)register @hook's ops, already filtered to its site: under kcs_config_lock. */
int kcs_hook_register(struct kcs_ftrace_hook *hook);
void kcs_hook_unregister(struct kcs_ftrace_hook *hook);
/* Unregister and drop the ops' filter. */
void kcs_hook_remove(struct kcs_ftrace_hook *hook);

#endif /* KCS_HOOK_FTRACE_H */
