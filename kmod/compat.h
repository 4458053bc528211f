/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels kcs builds against lives here,
 * chosen by what the headers provide (macros they define, probes of them
 * in Kbuild), never by version numbers: a distribution kernel with
 * backports gets what it really has.
 */
#ifndef KCS_COMPAT_H
#define KCS_COMPAT_H

#include <linux/version.h>
#include <linux/mm.h>
#include <linux/ftrace.h>
#include <net/genetlink.h>
#include <linux/security.h>

/*
 * get_user_pages_remote() lost its vmas argument in 6.5 (a Kbuild probe of
 * <linux/mm.h> sets KCS_GUP_REMOTE_VMAS where it still has it).
 */
static inline long kcs_gup_remote_one(struct mm_struct *mm, unsigned long addr,
				      struct page **page)
{
#ifdef KCS_GUP_REMOTE_VMAS
	return get_user_pages_remote(mm, addr, 1, FOLL_FORCE, page, NULL, NULL);
#else
	return get_user_pages_remote(mm, addr, 1, FOLL_FORCE, page, NULL);
#endif
}

/*
 * vfs_path_lookup() is exported on every kernel kcs supports, but before
 * 6.2 declared only in fs/internal.h. The same prototype, declared again,
 * is harmless where <linux/namei.h> has it.
 */
struct dentry;
struct vfsmount;
struct path;
int vfs_path_lookup(struct dentry *dentry, struct vfsmount *mnt,
		    const char *name, unsigned int flags, struct path *path);

/*
 * A reference to @mm's executable file (get_mm_exe_file() is not
 * exported). get_file_rcu() was a macro taking the file until 6.7, and
 * is since a function taking the __rcu pointer (files became
 * SLAB_TYPESAFE_BY_RCU, so it rechecks the pointer).
 */
static inline struct file *kcs_mm_exe_file_get(struct mm_struct *mm)
{
	struct file *exe;

	rcu_read_lock();
#ifdef get_file_rcu
	exe = rcu_dereference(mm->exe_file);
	if (exe && !get_file_rcu(exe))
		exe = NULL;
#else
	exe = get_file_rcu(&mm->exe_file);
#endif
	rcu_read_unlock();
	return exe;
}

/*
 * Redirect the traced function's return-to address (ftrace IPMODIFY). The
 * setter, a macro, was renamed in 6.7: whichever the headers define.
 */
static __always_inline void kcs_ftrace_set_ip(struct ftrace_regs *fregs,
					      unsigned long ip)
{
#ifdef ftrace_regs_set_instruction_pointer
	ftrace_regs_set_instruction_pointer(fregs, ip);
#else
	ftrace_instruction_pointer_set(fregs, ip);
#endif
}

/*
 * Any LSM entry point that reaches every active LSM, for the bpf probe:
 * KCS_BPF_PROBE_STUB must fire when it is called. Secids became struct
 * lsm_prop in 6.13 (a Kbuild probe of the headers sets KCS_HAVE_LSMPROP).
 */
#ifdef KCS_HAVE_LSMPROP
#define KCS_BPF_PROBE_STUB	"bpf_lsm_task_getlsmprop_obj"
static inline void kcs_lsm_probe_call(struct task_struct *p)
{
	struct lsm_prop prop;

	security_task_getlsmprop_obj(p, &prop);
}
#else
#define KCS_BPF_PROBE_STUB	"bpf_lsm_task_getsecid_obj"
static inline void kcs_lsm_probe_call(struct task_struct *p)
{
	u32 secid;

	security_task_getsecid_obj(p, &secid);
}
#endif

#endif /* KCS_COMPAT_H */
