// SPDX-License-Identifier: GPL-2.0
/*
 * The entry points of the system calls that application rules name,
 * hooked with ftrace while some bound profile names them: a host whose
 * profiles name no system call pays nothing on any, one that names
 * unshare pays one ftrace call per unshare().
 *
 * A call is reached through more than its 64-bit entry (__x64_sys_<e>,
 * found through the kernel's metadata: sys_meta.c). 32-bit tasks, and
 * 64-bit ones through int 0x80, enter the ia32 table, whose entries for
 * the same call may be the same function's ia32 wrapper, a compat variant,
 * or a variant under another name (16-bit ids, 64-bit offsets split in two,
 * old structures, time32). Every entry that exists under the names below
 * is hooked with the 64-bit one; the two multiplexers (socketcall, ipc)
 * are hooked when a named call is one of their sub-calls. docs/syscalls.md
 * lists the forms; a 32-bit entry under a name none of them gives is not
 * hooked (docs/design.md).
 *
 * The ftrace callback decides (syscall.c) and, to refuse, points the
 * entry at kcs_sys_refused(), which returns -EPERM without running the
 * call; otherwise the call runs untouched, outside this module. Nothing is
 * called back into the original, so no task stays inside the module's text
 * for the duration of a call (see syscall.c).
 *
 * Sites (one per hooked name) are kept, unregistered, once no profile
 * needs them, and freed only at unload: a task redirected by a site's
 * callback may still be on its way into kcs_sys_refused().
 */
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/ptrace.h>
#include <net/genetlink.h>
#include "kcs.h"
#include "compat.h"
#include "hook_ftrace.h"

#define KCS_SYS_SITES_MAX	128	/* names hooked since load */
#define KCS_SYS_SITE_HOOKS	24	/* entry points of one name */
#define KCS_SYS_SYM_MAX		(KCS_SYS_NAME_MAX + 32)

struct kcs_sys_site;

struct kcs_sys_hook {
	struct kcs_ftrace_hook fh;
	const struct kcs_sys_site *site;
	u32 abi;			/* enum kcs_sys_abi */
	char sym[KCS_SYS_SYM_MAX];
};

struct kcs_sys_site {
	struct list_head node;
	char name[KCS_SYS_NAME_MAX];	/* as the rules name it; "" for a mux */
	u32 mux;			/* KCS_SYS_ABI_SOCKETCALL, _IPC or 0 */
	bool wanted;			/* scratch for kcs_sys_hooks_trim() */
	bool registered;
	unsigned int n;
	struct kcs_sys_hook hooks[KCS_SYS_SITE_HOOKS];
};

/* Under kcs_config_lock. */
static LIST_HEAD(kcs_sys_sites);
static unsigned int kcs_sys_nsites;

static long kcs_sys_refused(const struct pt_regs *regs)
{
	return -EPERM;
}

static void notrace kcs_sys_thunk(unsigned long ip, unsigned long parent_ip,
				  struct ftrace_ops *ops,
				  struct ftrace_regs *fregs)
{
	struct kcs_sys_hook *h = container_of(ops, struct kcs_sys_hook, fh.ops);
	struct pt_regs *regs = ftrace_get_regs(fregs);

	if (!regs || !kcs_current_maybe_bound())
		return;
	/* The entry's one argument: the caller's saved registers. */
	if (kcs_sys_check(h->site->name, h->abi, (const struct pt_regs *)regs->di))
		kcs_ftrace_set_ip(fregs, (unsigned long)kcs_sys_refused);
}

static bool kcs_sys_site_hooked(unsigned long ip)
{
	struct kcs_sys_site *site;
	unsigned int i;

	list_for_each_entry(site, &kcs_sys_sites, node)
		for (i = 0; i < site->n; i++)
			if (site->hooks[i].fh.site == ip)
				return true;
	return false;
}

/* Add entry point @sym, if this kernel has it. */
static void kcs_sys_site_try(struct kcs_sys_site *site, const char *sym,
			     u32 abi)
{
	struct kcs_sys_hook *h;
	unsigned int i;

	if (site->n == KCS_SYS_SITE_HOOKS)
		return;
	for (i = 0; i < site->n; i++)
		if (!strcmp(site->hooks[i].sym, sym))
			return;
	h = &site->hooks[site->n];
	strscpy(h->sym, sym, sizeof(h->sym));
	if (kcs_resolve_site(&h->fh, h->sym))
		return;
	/*
	 * A call without arguments has one body under all its entry names
	 * (aliases): one site, one ops (two IPMODIFY ops on one function
	 * cannot be). Judged as the 64-bit entry: there is no argument.
	 */
	for (i = 0; i < site->n; i++)
		if (site->hooks[i].fh.site == h->fh.site)
			break;
	if (i < site->n || kcs_sys_site_hooked(h->fh.site)) {
		memset(h, 0, sizeof(*h));
		return;
	}
	h->site = site;
	h->abi = abi;
	h->fh.kind = KCS_HOOK_SYSCALL;
	h->fh.ops.func = kcs_sys_thunk;
	h->fh.ops.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_RECURSION |
			  FTRACE_OPS_FL_IPMODIFY;
	if (ftrace_set_filter_ip(&h->fh.ops, h->fh.site, 0, 0)) {
		memset(h, 0, sizeof(*h));
		return;
	}
	h->fh.filtered = true;
	site->n++;
}

/* 32-bit entries of the same call under other names (see the top). */
static const struct {
	const char *name;
	const char *alias[4];
} kcs_sys_ia32_aliases[] = {
	{ "mmap", { "mmap_pgoff", "ia32_mmap", "old_mmap" } },
	{ "rt_sigaction", { "sigaction", "signal" } },
	{ "rt_sigprocmask", { "sigprocmask", "sgetmask", "ssetmask" } },
	{ "rt_sigsuspend", { "sigsuspend" } },
	{ "rt_sigpending", { "sigpending" } },
	{ "wait4", { "waitpid" } },
	{ "getdents", { "old_readdir" } },
	{ "umount2", { "oldumount" } },
	{ "uname", { "olduname", "uname", "gethostname" } },
	{ "stat", { "stat", "stat64", "ia32_stat64" } },
	{ "lstat", { "lstat", "lstat64", "ia32_lstat64" } },
	{ "fstat", { "fstat", "fstat64", "ia32_fstat64" } },
	{ "newfstatat", { "fstatat64", "ia32_fstatat64" } },
	{ "lseek", { "llseek" } },
	{ "fadvise64", { "fadvise64_64", "ia32_fadvise64_64" } },
	{ "sendfile", { "sendfile", "sendfile64" } },
	{ "preadv2", { "preadv64v2" } },
	{ "pwritev2", { "pwritev64v2" } },
	{ "recvfrom", { "recv" } },
	{ "sendto", { "send" } },
	{ "setpriority", { "nice" } },
	{ "settimeofday", { "stime", "stime32" } },
	{ "sync_file_range", { "sync_file_range2" } },
};

static void kcs_sys_site_ia32(struct kcs_sys_site *site,
			      const struct kcs_sys_call_info *info)
{
	static const char *const forms[] = {
		"%s", "%s16", "%s32", "%s64", "ia32_%s", "ia32_%s64",
		"%s_time32", "%s_time64", "old_%s",
	};
	static const char *const prefixes[] = {
		"__ia32_sys_", "__ia32_compat_sys_",
	};
	const char *bases[2] = { info->entry, site->name };
	char form[KCS_SYS_SYM_MAX], sym[KCS_SYS_SYM_MAX];
	unsigned int p, f, b, i, k;

	for (p = 0; p < ARRAY_SIZE(prefixes); p++) {
		for (b = 0; b < ARRAY_SIZE(bases); b++) {
			for (f = 0; f < ARRAY_SIZE(forms); f++) {
				snprintf(form, sizeof(form), "%s", forms[f]);
				snprintf(sym, sizeof(sym), form, bases[b]);
				/* "getdents" + "64" is a call of its own. */
				if (strcmp(sym, info->entry) &&
				    kcs_sys_native(sym))
					continue;
				snprintf(form, sizeof(form), "%s%s", prefixes[p],
					 sym);
				kcs_sys_site_try(site, form, KCS_SYS_ABI_32);
			}
		}
		for (i = 0; i < ARRAY_SIZE(kcs_sys_ia32_aliases); i++) {
			if (strcmp(kcs_sys_ia32_aliases[i].name, site->name))
				continue;
			for (k = 0; k < 4 && kcs_sys_ia32_aliases[i].alias[k]; k++) {
				snprintf(sym, sizeof(sym), "%s%s", prefixes[p],
					 kcs_sys_ia32_aliases[i].alias[k]);
				kcs_sys_site_try(site, sym, KCS_SYS_ABI_32);
			}
		}
	}
}

static struct kcs_sys_site *kcs_sys_site_find(const char *name, u32 mux)
{
	struct kcs_sys_site *site;

	list_for_each_entry(site, &kcs_sys_sites, node)
		if (site->mux == mux && !strcmp(site->name, name))
			return site;
	return NULL;
}

/*
 * The site of @name (or of multiplexer @mux), made on first use: every
 * entry point resolved and filtered, none registered yet.
 */
static struct kcs_sys_site *kcs_sys_site_get(const char *name, u32 mux,
					     const struct kcs_sys_call_info *info,
					     struct netlink_ext_ack *extack)
{
	struct kcs_sys_site *site = kcs_sys_site_find(name, mux);
	char sym[KCS_SYS_SYM_MAX];

	if (site)
		return site;
	if (kcs_sys_nsites >= KCS_SYS_SITES_MAX) {
		kcs_extack_set(extack,
			       "too many distinct system calls hooked since kcs.ko was loaded");
		return ERR_PTR(-ENOSPC);
	}
	site = kzalloc(sizeof(*site), GFP_KERNEL);
	if (!site)
		return ERR_PTR(-ENOMEM);
	strscpy(site->name, name, sizeof(site->name));
	site->mux = mux;
	if (mux) {
		snprintf(sym, sizeof(sym), "__ia32_%s",
			 mux == KCS_SYS_ABI_SOCKETCALL ? "compat_sys_socketcall" :
			 "compat_sys_ipc");
		kcs_sys_site_try(site, sym, mux);
		snprintf(sym, sizeof(sym), "__ia32_sys_%s",
			 mux == KCS_SYS_ABI_SOCKETCALL ? "socketcall" : "ipc");
		kcs_sys_site_try(site, sym, mux);
	} else {
		snprintf(sym, sizeof(sym), "__x64_sys_%s", info->entry);
		kcs_sys_site_try(site, sym, KCS_SYS_ABI_64);
		if (!site->n) {
			kfree(site);
			kcs_extack_set(extack,
				       "a named system call's 64-bit entry point cannot be hooked (see the kernel log)");
			return ERR_PTR(-EOPNOTSUPP);
		}
		if (IS_ENABLED(CONFIG_IA32_EMULATION))
			kcs_sys_site_ia32(site, info);
	}
	list_add_tail(&site->node, &kcs_sys_sites);
	kcs_sys_nsites++;
	return site;
}

static int kcs_sys_site_register(struct kcs_sys_site *site)
{
	unsigned int i;
	int err;

	if (site->registered)
		return 0;
	for (i = 0; i < site->n; i++) {
		err = kcs_hook_register(&site->hooks[i].fh);
		if (err) {
			while (i--)
				kcs_hook_unregister(&site->hooks[i].fh);
			return err;
		}
	}
	site->registered = true;
	return 0;
}

static void kcs_sys_site_unregister(struct kcs_sys_site *site)
{
	unsigned int i;

	for (i = 0; i < site->n; i++)
		kcs_hook_unregister(&site->hooks[i].fh);
	site->registered = false;
}

/* Which multiplexer, if any, performs @name for 32-bit tasks. */
static u32 kcs_sys_mux_of(const char *name)
{
	static const u32 muxes[] = { KCS_SYS_ABI_SOCKETCALL, KCS_SYS_ABI_IPC };
	const char *sub;
	unsigned int m, call;

	for (m = 0; m < ARRAY_SIZE(muxes); m++)
		for (call = 0; call < 32; call++) {
			sub = kcs_sys_mux_name(muxes[m], call);
			if (sub && !strcmp(sub, name))
				return muxes[m];
		}
	return 0;
}

static int kcs_sys_site_add(const char *name, u32 mux,
			    const struct kcs_sys_call_info *info,
			    struct netlink_ext_ack *extack)
{
	struct kcs_sys_site *site = kcs_sys_site_get(name, mux, info, extack);
	int err;

	if (IS_ERR(site))
		return PTR_ERR(site);
	err = kcs_sys_site_register(site);
	if (err)
		kcs_extack_set(extack,
			       "cannot hook a named system call (livepatch or another IPMODIFY user?)");
	return err;
}

/**
 * kcs_sys_hooks_add() - hook every call @p names, before @p becomes bound
 * @p: the profile
 * @extack: for the reason of a refusal
 *
 * Under kcs_config_lock. On failure what it registered stays until the
 * caller's kcs_hooks_trim(), which drops what no bound profile needs.
 *
 * Return: 0 or a negative errno.
 */
int kcs_sys_hooks_add(const struct kcs_profile *p,
		      struct netlink_ext_ack *extack)
{
	const struct kcs_sysset *s = &p->sys;
	u32 i, mux;
	int err;

	lockdep_assert_held(&kcs_config_lock);
	if (!s->blob)
		return 0;
	for (i = 0; i < s->hdr->nnames; i++) {
		if (!s->info[i].entry[0])
			continue;	/* not implemented by this kernel */
		err = kcs_sys_site_add(s->names[i].name, 0, &s->info[i], extack);
		mux = kcs_sys_mux_of(s->names[i].name);
		if (!err && mux && IS_ENABLED(CONFIG_IA32_EMULATION))
			err = kcs_sys_site_add("", mux, NULL, extack);
		if (err)
			return err;
	}
	return 0;
}

static void kcs_sys_want(const struct kcs_profile *p, void *arg)
{
	const struct kcs_sysset *s = &p->sys;
	struct kcs_sys_site *site;
	u32 i;

	if (!s->blob)
		return;
	for (i = 0; i < s->hdr->nnames; i++) {
		site = kcs_sys_site_find(s->names[i].name, 0);
		if (site)
			site->wanted = true;
		site = kcs_sys_site_find("", kcs_sys_mux_of(s->names[i].name));
		if (site)
			site->wanted = true;
	}
}

/* Unhook every call no bound profile names. Under kcs_config_lock. */
void kcs_sys_hooks_trim(void)
{
	struct kcs_sys_site *site;

	lockdep_assert_held(&kcs_config_lock);
	list_for_each_entry(site, &kcs_sys_sites, node)
		site->wanted = false;
	kcs_bound_profiles_each(kcs_sys_want, NULL);
	list_for_each_entry(site, &kcs_sys_sites, node)
		if (site->registered && !site->wanted)
			kcs_sys_site_unregister(site);
}

/* At unload, under kcs_config_lock: nothing is hooked after it. */
void kcs_sys_hooks_remove(void)
{
	struct kcs_sys_site *site;
	unsigned int i;

	lockdep_assert_held(&kcs_config_lock);
	list_for_each_entry(site, &kcs_sys_sites, node) {
		for (i = 0; i < site->n; i++)
			kcs_hook_remove(&site->hooks[i].fh);
		site->registered = false;
	}
}

/* At unload, once no task can be on its way into kcs_sys_refused(). */
void kcs_sys_hooks_exit(void)
{
	struct kcs_sys_site *site, *tmp;

	list_for_each_entry_safe(site, tmp, &kcs_sys_sites, node) {
		list_del(&site->node);
		kfree(site);
	}
	kcs_sys_nsites = 0;
}
