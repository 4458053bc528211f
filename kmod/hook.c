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
 * Only the exec hook is registered for the module's lifetime. The socket
 * hooks are registered while some binding's profile needs them (see
 * kcs_hooks_add()), so that a host whose containers have no network rules
 * does not pay an ftrace call on every sendmsg(), connect(), bind() and
 * listen(). Where to hook is still decided once, at load, so that a kernel
 * where a socket hook is impossible refuses the module then, not later.
 *
 * Unload: unregister_ftrace_function() does not wait for tasks already
 * inside a replacement (one may sleep in the original). Each redirect takes
 * a module reference that its replacement drops, so delete_module() fails
 * with EAGAIN while a task is inside one (kcsadm unload retries, bounded
 * and interruptible) instead of hanging; RCU-tasks grace periods cover the
 * few instructions between the module_put() and the return. See
 * kcs_hooks_exit(). A socket hook
 * unregistered earlier is covered the same way: its replacement stays in
 * the module until then.
 */
#include <linux/module.h>
#include <linux/kprobes.h>
#include <linux/ftrace.h>
#include <linux/kallsyms.h>
#include <linux/uaccess.h>
#include <linux/delay.h>
#include <linux/binfmts.h>
#include <linux/net.h>
#include <linux/mman.h>
#include <linux/personality.h>
#include <linux/security.h>
#include <linux/bpf_lsm.h>
#include "kcs.h"
#include "compat.h"
#include "hook_ftrace.h"

static atomic_long_t kcs_inflight = ATOMIC_LONG_INIT(0);
/* Between load and unload: on-demand hooks may be registered. */
static bool kcs_hooks_live;

static int kcs_bprm_check_security(struct linux_binprm *bprm);
static int kcs_socket_connect(struct socket *sock, struct sockaddr *sa,
			      int len);
static int kcs_socket_sendmsg(struct socket *sock, struct msghdr *msg,
			      int size);
static int kcs_socket_bind(struct socket *sock, struct sockaddr *sa, int len);
static int kcs_socket_listen(struct socket *sock, int backlog);
static int kcs_sctp_bind_connect(struct sock *sk, int optname,
				 struct sockaddr *addrs, int len);
static int kcs_mmap_file(struct file *file, unsigned long reqprot,
			 unsigned long prot, unsigned long flags);
static int kcs_security_mmap_file(struct file *file, unsigned long prot,
				  unsigned long flags);
static int kcs_file_mprotect(struct vm_area_struct *vma, unsigned long reqprot,
			     unsigned long prot);
static int kcs_capable(const struct cred *cred, struct user_namespace *ns,
		       int cap, unsigned int opts);
static int kcs_file_open(struct file *file);
#ifdef CONFIG_SECURITY_PATH
static int kcs_path_truncate(const struct path *path);
static int kcs_path_unlink(const struct path *dir, struct dentry *dentry);
static int kcs_path_rmdir(const struct path *dir, struct dentry *dentry);
static int kcs_path_rename(const struct path *old_dir,
			   struct dentry *old_dentry,
			   const struct path *new_dir,
			   struct dentry *new_dentry, unsigned int flags);
static int kcs_path_link(struct dentry *old_dentry, const struct path *new_dir,
			 struct dentry *new_dentry);
static int kcs_path_symlink(const struct path *dir, struct dentry *dentry,
			    const char *old_name);
static int kcs_path_mknod(const struct path *dir, struct dentry *dentry,
			  umode_t mode, unsigned int dev);
static int kcs_path_mkdir(const struct path *dir, struct dentry *dentry,
			  umode_t mode);
#endif

enum {
	KCS_HOOK_IDX_EXEC,
	KCS_HOOK_IDX_CONNECT,
	KCS_HOOK_IDX_SENDMSG,
	KCS_HOOK_IDX_BIND,
	KCS_HOOK_IDX_LISTEN,
	KCS_HOOK_IDX_SCTP,
	KCS_HOOK_IDX_MMAP,
	KCS_HOOK_IDX_MPROTECT,
	KCS_HOOK_IDX_CAPABLE,
	KCS_HOOK_IDX_SYS_PROBE64,
#ifdef CONFIG_IA32_EMULATION
	KCS_HOOK_IDX_SYS_PROBE32,
#endif
	KCS_HOOK_IDX_FILE_OPEN,
#ifdef CONFIG_SECURITY_PATH
	KCS_HOOK_IDX_PATH_TRUNCATE,
	KCS_HOOK_IDX_PATH_UNLINK,
	KCS_HOOK_IDX_PATH_RMDIR,
	KCS_HOOK_IDX_PATH_RENAME,
	KCS_HOOK_IDX_PATH_LINK,
	KCS_HOOK_IDX_PATH_SYMLINK,
	KCS_HOOK_IDX_PATH_MKNOD,
	KCS_HOOK_IDX_PATH_MKDIR,
#endif
};

#define KCS_SIG_MMAP_STUB "int(struct file *, unsigned long, unsigned long, unsigned long)"
#define KCS_SIG_MPROTECT "int(struct vm_area_struct *, unsigned long, unsigned long)"
#define KCS_SIG_RENAME \
	"int(const struct path *, struct dentry *, const struct path *, struct dentry *, unsigned int)"
#define KCS_SIG_CAPABLE "int(const struct cred *, struct user_namespace *, int, unsigned int)"
#define KCS_SIG_SYSCALL "long(const struct pt_regs *)"

static struct kcs_ftrace_hook kcs_hooks[] = {
	[KCS_HOOK_IDX_EXEC] = { .name = "security_bprm_check",
				.stub = "bpf_lsm_bprm_check_security",
				.replacement = kcs_bprm_check_security,
				.sig = "int(struct linux_binprm *)",
				.kind = KCS_HOOK_EXEC },
	[KCS_HOOK_IDX_CONNECT] = { .name = "security_socket_connect",
				   .stub = "bpf_lsm_socket_connect",
				   .replacement = kcs_socket_connect,
				   .sig = "int(struct socket *, struct sockaddr *, int)",
				   .kind = KCS_HOOK_CONNECT, .on_demand = true },
	[KCS_HOOK_IDX_SENDMSG] = { .name = "security_socket_sendmsg",
				   .stub = "bpf_lsm_socket_sendmsg",
				   .replacement = kcs_socket_sendmsg,
				   .sig = "int(struct socket *, struct msghdr *, int)",
				   .kind = KCS_HOOK_SENDMSG, .on_demand = true },
	[KCS_HOOK_IDX_BIND] = { .name = "security_socket_bind",
				.stub = "bpf_lsm_socket_bind",
				.replacement = kcs_socket_bind,
				.sig = "int(struct socket *, struct sockaddr *, int)",
				.kind = KCS_HOOK_BIND, .on_demand = true },
	[KCS_HOOK_IDX_LISTEN] = { .name = "security_socket_listen",
				  .stub = "bpf_lsm_socket_listen",
				  .replacement = kcs_socket_listen,
				  .sig = "int(struct socket *, int)",
				  .kind = KCS_HOOK_LISTEN, .on_demand = true },
	[KCS_HOOK_IDX_SCTP] = { .name = "security_sctp_bind_connect",
				.stub = "bpf_lsm_sctp_bind_connect",
				.replacement = kcs_sctp_bind_connect,
				.sig = "int(struct sock *, int, struct sockaddr *, int)",
				.kind = KCS_HOOK_SCTP, .on_demand = true },
	/*
	 * The stub has the LSM hook's arguments (reqprot, prot), the
	 * security_*() function only the requested ones: its own replacement.
	 */
	[KCS_HOOK_IDX_MMAP] = { .name = "security_mmap_file",
				.stub = "bpf_lsm_mmap_file",
				.replacement = kcs_mmap_file,
				.replacement_fallback = kcs_security_mmap_file,
				.sig = KCS_SIG_MMAP_STUB,
				.sig_fallback = "int(struct file *, unsigned long, unsigned long)",
				.kind = KCS_HOOK_MMAP, .on_demand = true },
	[KCS_HOOK_IDX_MPROTECT] = { .name = "security_file_mprotect",
				    .stub = "bpf_lsm_file_mprotect",
				    .replacement = kcs_file_mprotect,
				    .sig = KCS_SIG_MPROTECT,
				    .kind = KCS_HOOK_MMAP, .on_demand = true },
	[KCS_HOOK_IDX_CAPABLE] = { .name = "security_capable",
				   .stub = "bpf_lsm_capable",
				   .replacement = kcs_capable,
				   .sig = KCS_SIG_CAPABLE,
				   .kind = KCS_HOOK_CAPABLE, .on_demand = true },
	/*
	 * System call entry points are hooked per name (hook_sys.c). These
	 * two only prove, during a probe, that redirecting a syscall entry
	 * works on this kernel at all: its 64-bit one and its 32-bit one
	 * (int 0x80). They redirect nothing.
	 */
	[KCS_HOOK_IDX_SYS_PROBE64] = { .name = "__x64_sys_getpgid",
				       .stub = "__x64_sys_getpgid",
				       .sig = KCS_SIG_SYSCALL,
				       .kind = KCS_HOOK_SYSCALL,
				       .on_demand = true, .probe_only = true },
#ifdef CONFIG_IA32_EMULATION
	[KCS_HOOK_IDX_SYS_PROBE32] = { .name = "__ia32_sys_getpgid",
				       .stub = "__ia32_sys_getpgid",
				       .sig = KCS_SIG_SYSCALL,
				       .kind = KCS_HOOK_SYSCALL,
				       .on_demand = true, .probe_only = true },
#endif
	/* File rules (file.c): opens, and every change of what a name holds. */
#define KCS_FILE_HOOK(idx, fn, s) \
	[KCS_HOOK_IDX_##idx] = { .name = "security_" #fn, \
				 .stub = "bpf_lsm_" #fn, \
				 .replacement = kcs_##fn, .sig = s, \
				 .kind = KCS_HOOK_FILE, .on_demand = true }
	KCS_FILE_HOOK(FILE_OPEN, file_open, "int(struct file *)"),
	/* Without them a name change is not judged: see file.c. */
#ifdef CONFIG_SECURITY_PATH
	KCS_FILE_HOOK(PATH_TRUNCATE, path_truncate, "int(const struct path *)"),
	KCS_FILE_HOOK(PATH_UNLINK, path_unlink,
		      "int(const struct path *, struct dentry *)"),
	KCS_FILE_HOOK(PATH_RMDIR, path_rmdir,
		      "int(const struct path *, struct dentry *)"),
	KCS_FILE_HOOK(PATH_RENAME, path_rename,
		      KCS_SIG_RENAME),
	KCS_FILE_HOOK(PATH_LINK, path_link,
		      "int(struct dentry *, const struct path *, struct dentry *)"),
	KCS_FILE_HOOK(PATH_SYMLINK, path_symlink,
		      "int(const struct path *, struct dentry *, const char *)"),
	KCS_FILE_HOOK(PATH_MKNOD, path_mknod,
		      "int(const struct path *, struct dentry *, umode_t, unsigned int)"),
	KCS_FILE_HOOK(PATH_MKDIR, path_mkdir,
		      "int(const struct path *, struct dentry *, umode_t)"),
#endif
#undef KCS_FILE_HOOK
};

/*
 * The replacements are called in place of these functions, and call them:
 * the headers we build against must give them the same types. A kernel
 * whose hook changed fails to build here, not at run time; the load-time
 * check (kcsadm, against BTF) covers a module built on other headers.
 */
#ifdef CONFIG_BPF_LSM
static_assert(__same_type(&bpf_lsm_bprm_check_security, &kcs_bprm_check_security));
static_assert(__same_type(&bpf_lsm_socket_connect, &kcs_socket_connect));
static_assert(__same_type(&bpf_lsm_socket_sendmsg, &kcs_socket_sendmsg));
static_assert(__same_type(&bpf_lsm_socket_bind, &kcs_socket_bind));
static_assert(__same_type(&bpf_lsm_socket_listen, &kcs_socket_listen));
static_assert(__same_type(&bpf_lsm_sctp_bind_connect, &kcs_sctp_bind_connect));
static_assert(__same_type(&bpf_lsm_mmap_file, &kcs_mmap_file));
static_assert(__same_type(&bpf_lsm_file_mprotect, &kcs_file_mprotect));
static_assert(__same_type(&bpf_lsm_capable, &kcs_capable));
static_assert(__same_type(&bpf_lsm_file_open, &kcs_file_open));
#endif
#if defined(CONFIG_BPF_LSM) && defined(CONFIG_SECURITY_PATH)
static_assert(__same_type(&bpf_lsm_path_truncate, &kcs_path_truncate));
static_assert(__same_type(&bpf_lsm_path_unlink, &kcs_path_unlink));
static_assert(__same_type(&bpf_lsm_path_rmdir, &kcs_path_rmdir));
static_assert(__same_type(&bpf_lsm_path_rename, &kcs_path_rename));
static_assert(__same_type(&bpf_lsm_path_link, &kcs_path_link));
static_assert(__same_type(&bpf_lsm_path_symlink, &kcs_path_symlink));
static_assert(__same_type(&bpf_lsm_path_mknod, &kcs_path_mknod));
static_assert(__same_type(&bpf_lsm_path_mkdir, &kcs_path_mkdir));
#endif
#ifdef CONFIG_SECURITY_PATH
static_assert(__same_type(&security_path_truncate, &kcs_path_truncate));
static_assert(__same_type(&security_path_unlink, &kcs_path_unlink));
static_assert(__same_type(&security_path_rmdir, &kcs_path_rmdir));
static_assert(__same_type(&security_path_rename, &kcs_path_rename));
static_assert(__same_type(&security_path_link, &kcs_path_link));
static_assert(__same_type(&security_path_symlink, &kcs_path_symlink));
static_assert(__same_type(&security_path_mknod, &kcs_path_mknod));
static_assert(__same_type(&security_path_mkdir, &kcs_path_mkdir));
#endif
static_assert(__same_type(&security_file_open, &kcs_file_open));
#ifdef CONFIG_SECURITY_NETWORK
static_assert(__same_type(&security_socket_connect, &kcs_socket_connect));
static_assert(__same_type(&security_socket_sendmsg, &kcs_socket_sendmsg));
static_assert(__same_type(&security_socket_bind, &kcs_socket_bind));
static_assert(__same_type(&security_socket_listen, &kcs_socket_listen));
static_assert(__same_type(&security_sctp_bind_connect, &kcs_sctp_bind_connect));
#endif
static_assert(__same_type(&security_bprm_check, &kcs_bprm_check_security));
static_assert(__same_type(&security_mmap_file, &kcs_security_mmap_file));
static_assert(__same_type(&security_file_mprotect, &kcs_file_mprotect));
static_assert(__same_type(&security_capable, &kcs_capable));

unsigned int kcs_hooks_count(void)
{
	return ARRAY_SIZE(kcs_hooks);
}

/* What hook number @i is, for the liveness probe's reply. */
void kcs_hook_describe(unsigned int i, const char **target, const char **sig,
		       u32 *kind)
{
	const struct kcs_ftrace_hook *hook = &kcs_hooks[i];

	*target = hook->target;
	*sig = hook->sig_fallback && hook->replacement == hook->replacement_fallback ?
	       hook->sig_fallback : hook->sig;
	*kind = hook->kind;
}

/*
 * Hook @i proves nothing its kind needs when it does not fire: the 32-bit
 * syscall entry, which a prober under a native-only seccomp filter (or
 * with 32-bit calls disabled) cannot reach. The 64-bit one proves that
 * syscall entries can be hooked; kcsadm load requires the 32-bit one
 * wherever its own int 0x80 works.
 */
bool kcs_hook_proof_optional(unsigned int i)
{
#ifdef CONFIG_IA32_EMULATION
	return i == KCS_HOOK_IDX_SYS_PROBE32;
#else
	return false;
#endif
}

/*
 * On a BPF-LSM stub the replacement does not call the original. The stub's
 * body is only "return 0" (the LSM default of every hook kcs takes, see
 * lsm_hook_defs.h), and the BPF programs attached to it have already run:
 * their trampoline calls our replacement in the stub's place. Calling the
 * stub again would run every BPF-LSM program (Tetragon's, KubeArmor's) a
 * second time. The security_*() functions run the other LSMs: called.
 */
static bool kcs_on_stubs;
#define KCS_CALL_ORIG(call) (kcs_on_stubs ? 0 : (call))

long kcs_hooks_inflight(void)
{
	return atomic_long_read(&kcs_inflight);
}

/*
 * The start and end of every replacement. Inside, a task holds the module,
 * so delete_module() fails with EAGAIN (kcsadm unload retries) rather than
 * waiting, unkillable, for a task inside a hook. Once the module is going
 * no reference is to be had: the in-flight count, which kcs_hooks_exit()
 * waits for, covers the task then. What runs after the decrement up to the
 * return is covered by the RCU-tasks grace period there.
 */
static bool kcs_hook_enter(void)
{
	atomic_long_inc(&kcs_inflight);
	return try_module_get(THIS_MODULE);
}

static void kcs_hook_leave(bool held)
{
	atomic_long_dec(&kcs_inflight);
	if (held)
		module_put(THIS_MODULE);
}

static int kcs_bprm_check_security(struct linux_binprm *bprm)
{
	int (*orig)(struct linux_binprm *bprm) =
		(void *)kcs_hooks[KCS_HOOK_IDX_EXEC].orig;
	bool held;
	int ret;

	held = kcs_hook_enter();
	ret = KCS_CALL_ORIG(orig(bprm));
	if (!ret)
		ret = kcs_exec_check(bprm);
	kcs_hook_leave(held);
	return ret;
}

/*
 * The socket replacements: like the exec one, the original first (other
 * LSMs decide as before), then kcs, inside the in-flight count.
 */
static int kcs_socket_connect(struct socket *sock, struct sockaddr *sa,
			      int len)
{
	int (*orig)(struct socket *sock, struct sockaddr *sa, int len) =
		(void *)kcs_hooks[KCS_HOOK_IDX_CONNECT].orig;
	bool held;
	int ret;

	held = kcs_hook_enter();
	ret = KCS_CALL_ORIG(orig(sock, sa, len));
	if (!ret)
		ret = kcs_net_connect(sock, sa, len);
	kcs_hook_leave(held);
	return ret;
}

static int kcs_socket_sendmsg(struct socket *sock, struct msghdr *msg,
			      int size)
{
	int (*orig)(struct socket *sock, struct msghdr *msg, int size) =
		(void *)kcs_hooks[KCS_HOOK_IDX_SENDMSG].orig;
	bool held;
	int ret;

	held = kcs_hook_enter();
	ret = KCS_CALL_ORIG(orig(sock, msg, size));
	if (!ret)
		ret = kcs_net_sendmsg(sock, msg);
	kcs_hook_leave(held);
	return ret;
}

static int kcs_socket_bind(struct socket *sock, struct sockaddr *sa, int len)
{
	int (*orig)(struct socket *sock, struct sockaddr *sa, int len) =
		(void *)kcs_hooks[KCS_HOOK_IDX_BIND].orig;
	bool held;
	int ret;

	held = kcs_hook_enter();
	ret = KCS_CALL_ORIG(orig(sock, sa, len));
	if (!ret)
		ret = kcs_net_bind(sock, sa, len);
	kcs_hook_leave(held);
	return ret;
}

static int kcs_socket_listen(struct socket *sock, int backlog)
{
	int (*orig)(struct socket *sock, int backlog) =
		(void *)kcs_hooks[KCS_HOOK_IDX_LISTEN].orig;
	bool held;
	int ret;

	held = kcs_hook_enter();
	ret = KCS_CALL_ORIG(orig(sock, backlog));
	if (!ret)
		ret = kcs_net_listen(sock);
	kcs_hook_leave(held);
	return ret;
}

static int kcs_sctp_bind_connect(struct sock *sk, int optname,
				 struct sockaddr *addrs, int len)
{
	int (*orig)(struct sock *sk, int optname, struct sockaddr *addrs,
		    int len) = (void *)kcs_hooks[KCS_HOOK_IDX_SCTP].orig;
	bool held;
	int ret;

	held = kcs_hook_enter();
	ret = KCS_CALL_ORIG(orig(sk, optname, addrs, len));
	if (!ret)
		ret = kcs_net_sctp(sk, optname, addrs, len);
	kcs_hook_leave(held);
	return ret;
}

static int kcs_mmap_file(struct file *file, unsigned long reqprot,
			 unsigned long prot, unsigned long flags)
{
	int (*orig)(struct file *file, unsigned long reqprot,
		    unsigned long prot, unsigned long flags) =
		(void *)kcs_hooks[KCS_HOOK_IDX_MMAP].orig;
	bool held;
	int ret;

	held = kcs_hook_enter();
	ret = KCS_CALL_ORIG(orig(file, reqprot, prot, flags));
	if (!ret)
		ret = kcs_mmap_check(file, prot);
	kcs_hook_leave(held);
	return ret;
}

/*
 * security_mmap_file() sees the requested protection; READ_IMPLIES_EXEC
 * adds PROT_EXEC to a readable mapping later on: judge that one as such.
 */
static int kcs_security_mmap_file(struct file *file, unsigned long prot,
				  unsigned long flags)
{
	int (*orig)(struct file *file, unsigned long prot,
		    unsigned long flags) =
		(void *)kcs_hooks[KCS_HOOK_IDX_MMAP].orig;
	unsigned long eff = prot;
	bool held;
	int ret;

	if ((prot & PROT_READ) &&
	    (current->personality & READ_IMPLIES_EXEC))
		eff |= PROT_EXEC;
	held = kcs_hook_enter();
	ret = KCS_CALL_ORIG(orig(file, prot, flags));
	if (!ret)
		ret = kcs_mmap_check(file, eff);
	kcs_hook_leave(held);
	return ret;
}

static int kcs_file_mprotect(struct vm_area_struct *vma, unsigned long reqprot,
			     unsigned long prot)
{
	int (*orig)(struct vm_area_struct *vma, unsigned long reqprot,
		    unsigned long prot) =
		(void *)kcs_hooks[KCS_HOOK_IDX_MPROTECT].orig;
	bool held;
	int ret;

	held = kcs_hook_enter();
	ret = KCS_CALL_ORIG(orig(vma, reqprot, prot));
	if (!ret)
		ret = kcs_mprotect_check(vma, prot);
	kcs_hook_leave(held);
	return ret;
}

/* Possibly in atomic context: kcs_cap_check() never sleeps. */
static int kcs_capable(const struct cred *cred, struct user_namespace *ns,
		       int cap, unsigned int opts)
{
	int (*orig)(const struct cred *cred, struct user_namespace *ns,
		    int cap, unsigned int opts) =
		(void *)kcs_hooks[KCS_HOOK_IDX_CAPABLE].orig;
	bool held;
	int ret;

	held = kcs_hook_enter();
	ret = KCS_CALL_ORIG(orig(cred, ns, cap, opts));
	if (!ret)
		ret = kcs_cap_check(cred, cap, opts);
	kcs_hook_leave(held);
	return ret;
}

/*
 * The file replacements (file.c decides). The path hooks run with the
 * directory's inode lock held: file.c makes no lookup there.
 */
#define KCS_ORIG(idx, type) ((type)kcs_hooks[KCS_HOOK_IDX_##idx].orig)

static int kcs_file_open(struct file *file)
{
	bool held = kcs_hook_enter();
	int ret;

	ret = KCS_CALL_ORIG(KCS_ORIG(FILE_OPEN, int (*)(struct file *))(file));
	if (!ret)
		ret = kcs_file_open_check(file);
	kcs_hook_leave(held);
	return ret;
}

#ifdef CONFIG_SECURITY_PATH
static int kcs_path_truncate(const struct path *path)
{
	bool held = kcs_hook_enter();
	int ret;

	ret = KCS_CALL_ORIG(KCS_ORIG(PATH_TRUNCATE,
				     int (*)(const struct path *))(path));
	if (!ret)
		ret = kcs_file_truncate_check(path);
	kcs_hook_leave(held);
	return ret;
}

static int kcs_path_unlink(const struct path *dir, struct dentry *dentry)
{
	bool held = kcs_hook_enter();
	int ret;

	ret = KCS_CALL_ORIG(KCS_ORIG(PATH_UNLINK,
				     int (*)(const struct path *,
					     struct dentry *))(dir, dentry));
	if (!ret)
		ret = kcs_file_path_check(KCS_FILE_OP_UNLINK, dir, dentry,
					  false);
	kcs_hook_leave(held);
	return ret;
}

static int kcs_path_rmdir(const struct path *dir, struct dentry *dentry)
{
	bool held = kcs_hook_enter();
	int ret;

	ret = KCS_CALL_ORIG(KCS_ORIG(PATH_RMDIR,
				     int (*)(const struct path *,
					     struct dentry *))(dir, dentry));
	if (!ret)
		ret = kcs_file_path_check(KCS_FILE_OP_UNLINK, dir, dentry,
					  true);
	kcs_hook_leave(held);
	return ret;
}

/*
 * Both names of a rename change: the source goes (judged as a read too:
 * its file gets another name), the target comes. A directory carries
 * every name under it. RENAME_EXCHANGE moves both ways.
 */
static int kcs_path_rename(const struct path *old_dir,
			   struct dentry *old_dentry,
			   const struct path *new_dir,
			   struct dentry *new_dentry, unsigned int flags)
{
	bool held = kcs_hook_enter(), odir = d_is_dir(old_dentry);
	bool ndir = d_is_dir(new_dentry);
	int ret;

	ret = KCS_CALL_ORIG(KCS_ORIG(PATH_RENAME,
				     int (*)(const struct path *,
					     struct dentry *,
					     const struct path *,
					     struct dentry *,
					     unsigned int))(old_dir, old_dentry,
							    new_dir, new_dentry,
							    flags));
	if (!ret)
		ret = kcs_file_path_check(KCS_FILE_OP_RENAME_FROM, old_dir,
					  old_dentry, odir);
	if (!ret)
		ret = kcs_file_path_check(KCS_FILE_OP_RENAME_TO, new_dir,
					  new_dentry, odir || ndir);
	if (!ret && (flags & RENAME_EXCHANGE))
		ret = kcs_file_path_check(KCS_FILE_OP_RENAME_FROM, new_dir,
					  new_dentry, ndir);
	kcs_hook_leave(held);
	return ret;
}

/* The new name is written; the file linked to gets a second name. */
static int kcs_path_link(struct dentry *old_dentry, const struct path *new_dir,
			 struct dentry *new_dentry)
{
	bool held = kcs_hook_enter();
	int ret;

	ret = KCS_CALL_ORIG(KCS_ORIG(PATH_LINK,
				     int (*)(struct dentry *,
					     const struct path *,
					     struct dentry *))(old_dentry,
							       new_dir,
							       new_dentry));
	/* link() refuses two mounts: @old_dentry is on @new_dir's. */
	if (!ret)
		ret = kcs_file_path_check(KCS_FILE_OP_LINK_FROM, new_dir,
					  old_dentry, false);
	if (!ret)
		ret = kcs_file_path_check(KCS_FILE_OP_LINK, new_dir,
					  new_dentry, false);
	kcs_hook_leave(held);
	return ret;
}

/* A symlink at a name leads every name under it elsewhere. */
static int kcs_path_symlink(const struct path *dir, struct dentry *dentry,
			    const char *old_name)
{
	bool held = kcs_hook_enter();
	int ret;

	ret = KCS_CALL_ORIG(KCS_ORIG(PATH_SYMLINK,
				     int (*)(const struct path *,
					     struct dentry *,
					     const char *))(dir, dentry,
							    old_name));
	if (!ret)
		ret = kcs_file_path_check(KCS_FILE_OP_CREATE, dir, dentry,
					  true);
	kcs_hook_leave(held);
	return ret;
}

/* Also open(O_CREAT) creating a file: before the file exists. */
static int kcs_path_mknod(const struct path *dir, struct dentry *dentry,
			  umode_t mode, unsigned int dev)
{
	bool held = kcs_hook_enter();
	int ret;

	ret = KCS_CALL_ORIG(KCS_ORIG(PATH_MKNOD,
				     int (*)(const struct path *,
					     struct dentry *, umode_t,
					     unsigned int))(dir, dentry, mode,
							    dev));
	if (!ret)
		ret = kcs_file_path_check(KCS_FILE_OP_CREATE, dir, dentry,
					  false);
	kcs_hook_leave(held);
	return ret;
}

static int kcs_path_mkdir(const struct path *dir, struct dentry *dentry,
			  umode_t mode)
{
	bool held = kcs_hook_enter();
	int ret;

	ret = KCS_CALL_ORIG(KCS_ORIG(PATH_MKDIR,
				     int (*)(const struct path *,
					     struct dentry *,
					     umode_t))(dir, dentry, mode));
	if (!ret)
		ret = kcs_file_path_check(KCS_FILE_OP_CREATE, dir, dentry,
					  false);
	kcs_hook_leave(held);
	return ret;
}
#endif /* CONFIG_SECURITY_PATH */

static void notrace kcs_ftrace_thunk(unsigned long ip, unsigned long parent_ip,
				     struct ftrace_ops *ops,
				     struct ftrace_regs *fregs)
{
	struct kcs_ftrace_hook *hook = container_of(ops, struct kcs_ftrace_hook, ops);

	if (within_module(parent_ip, THIS_MODULE))
		return;		/* our replacement calling the original */
	if (static_branch_unlikely(&kcs_probe_on))
		kcs_probe_note(hook - kcs_hooks);
	if (hook->probe_only || !kcs_current_maybe_bound())
		return;
	/*
	 * No module reference here: a BPF-LSM program on the same stub runs
	 * between this redirect and our replacement, and when it denies, its
	 * trampoline never calls the replacement (a reference taken here
	 * would never be dropped). The replacement takes it; kcs_hooks_exit()
	 * covers a task between the two.
	 */
	kcs_ftrace_set_ip(fregs, (unsigned long)hook->replacement);
}

/*
 * Where to hook. Each hook has two candidates with the same signature:
 *
 *  - the BPF-LSM stub (bpf_lsm_*): it sits inside the LSM chain, at the bpf
 *    LSM's place, so it runs only once every earlier LSM has allowed the
 *    operation, and it is an indirect-call target by design: its ENDBR64
 *    survives, so calling it is safe with IBT enforced. It is only called
 *    when "bpf" is in the active LSM list.
 *  - the security_*() function itself: always called, but on IBT kernels
 *    the kernel seals its ENDBR64 (nothing calls it indirectly), so an
 *    indirect call to it would fault on CPUs that enforce IBT.
 *
 * kcs uses the stubs whenever the bpf LSM is active (Debian enables it),
 * and falls back to the security_*() functions only where calling them is
 * safe; otherwise loading fails with a clear message.
 */
static bool kcs_bpf_lsm_probe_hit;

static void notrace kcs_probe_thunk(unsigned long ip, unsigned long parent_ip,
				    struct ftrace_ops *ops,
				    struct ftrace_regs *fregs)
{
	WRITE_ONCE(kcs_bpf_lsm_probe_hit, true);
}

/* Is the bpf LSM active? Ask the LSM chain and watch whether it calls bpf. */
static bool kcs_bpf_lsm_active(void)
{
	static const char probe[] = KCS_BPF_PROBE_STUB;
	struct ftrace_ops ops = { .func = kcs_probe_thunk,
				  .flags = FTRACE_OPS_FL_RECURSION };
	bool hit;

	if (ftrace_set_filter(&ops, (unsigned char *)probe, strlen(probe), 1))
		return false;
	WRITE_ONCE(kcs_bpf_lsm_probe_hit, false);
	if (register_ftrace_function(&ops)) {
		ftrace_free_filter(&ops);
		return false;
	}
	kcs_lsm_probe_call(current);
	hit = READ_ONCE(kcs_bpf_lsm_probe_hit);
	unregister_ftrace_function(&ops);
	ftrace_free_filter(&ops);
	return hit;
}

/*
 * The address to call @name at. A kprobe resolves the symbol for us
 * (kallsyms_lookup_name is not exported); with IBT the probe sits after the
 * function's ENDBR64, and an indirect call must land on an ENDBR64, so we
 * step back over it and refuse a function whose ENDBR64 is gone (sealed).
 * sprint_symbol() then proves we have the function's start.
 */
int kcs_resolve(struct kcs_ftrace_hook *hook, const char *name)
{
	static const u32 endbr64 = 0xfa1e0ff3;	/* f3 0f 1e fa */
	struct kprobe kp = { .symbol_name = name };
	char sym[KSYM_SYMBOL_LEN];
	unsigned long addr;
	u32 insn = 0;
	int err;

	err = register_kprobe(&kp);
	if (err)
		return err;
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);

	if (!copy_from_kernel_nofault(&insn, (void *)(addr - 4), 4) &&
	    insn == endbr64)
		addr -= 4;
	sprint_symbol(sym, addr);
	if (strncmp(sym, name, strlen(name)) ||
	    strncmp(sym + strlen(name), "+0x0/", 5)) {
		pr_err("kcs: %s: entry at %s is not a valid call target (sealed ENDBR64 %08x?)\n",
		       name, sym, insn);
		return -EOPNOTSUPP;
	}
	hook->site = (unsigned long)kp.addr;
	hook->orig = addr;
	hook->target = name;
	return 0;
}

/*
 * Only the ftrace site of @name, for a hook whose callback never lets
 * anything call the function (the probe-only hooks, and the system call
 * entries of hook_sys.c): no call-target check, which an alias would fail
 * (a 0-argument system call's entries are aliases of its __do_sys_ body).
 */
int kcs_resolve_site(struct kcs_ftrace_hook *hook, const char *name)
{
	struct kprobe kp = { .symbol_name = name };
	int err;

	err = register_kprobe(&kp);
	if (err)
		return err;
	hook->site = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
	hook->orig = 0;
	hook->target = name;
	return 0;
}

/* At load: find the target and aim the ops at it; nothing is hooked yet. */
static int kcs_hook_prepare(struct kcs_ftrace_hook *hook, bool use_stub)
{
	int err;

	err = hook->probe_only ? kcs_resolve_site(hook, hook->name) :
	      kcs_resolve(hook, use_stub ? hook->stub : hook->name);
	if (err) {
		pr_err("kcs: cannot hook %s: %d%s\n", hook->name, err,
		       use_stub ? "" :
		       " (the bpf LSM is not active: add \"bpf\" to lsm= on the kernel command line)");
		return err;
	}
	if (!use_stub && hook->replacement_fallback)
		hook->replacement = hook->replacement_fallback;
	hook->ops.func = kcs_ftrace_thunk;
	hook->ops.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_RECURSION |
			  FTRACE_OPS_FL_IPMODIFY;
	err = ftrace_set_filter_ip(&hook->ops, hook->site, 0, 0);
	if (err) {
		pr_err("kcs: cannot trace %s: %d\n", hook->target, err);
		return err;
	}
	hook->filtered = true;
	return 0;
}

/* May sleep: under kcs_config_lock, or at load and unload. */
int kcs_hook_register(struct kcs_ftrace_hook *hook)
{
	int err;

	if (hook->registered)
		return 0;
	err = register_ftrace_function(&hook->ops);
	if (err) {
		pr_err("kcs: cannot hook %s: %d (livepatch or another IPMODIFY user?)\n",
		       hook->target, err);
		return err;
	}
	hook->registered = true;
	return 0;
}

/*
 * Once this returns no CPU runs the callback any more (ftrace waits for
 * that). A task it already redirected may still be on its way into the
 * replacement: harmless while the module stays, see kcs_hooks_exit().
 */
void kcs_hook_unregister(struct kcs_ftrace_hook *hook)
{
	if (!hook->registered)
		return;
	unregister_ftrace_function(&hook->ops);
	hook->registered = false;
}

/*
 * Register every socket hook in @need (a mask of BIT(enum kcs_hook)) that
 * is not registered yet. Callers hold kcs_config_lock and call this before
 * they publish a binding or profile that needs @need, so no bound task's
 * operation is ever left unchecked; on failure nothing it registered stays.
 * Refused while a kind in @need, or exec, has not been seen to fire (see
 * hook_probe.c): a binding never rests on a hook that does not work.
 */
int kcs_hooks_add(u32 need, struct netlink_ext_ack *extack)
{
	int err;

	lockdep_assert_held(&kcs_config_lock);
	err = kcs_hooks_proven_check(need, extack);
	return err ?: kcs_hooks_register_mask(need, extack);
}

/* Register the on-demand hooks in @need; proven or not (the probe's own). */
int kcs_hooks_register_mask(u32 need, struct netlink_ext_ack *extack)
{
	u32 added = 0;
	int i, err;

	lockdep_assert_held(&kcs_config_lock);
	if (!kcs_hooks_live) {
		/* An ops without its filter would trace every function. */
		kcs_extack_set(extack, "kcs.ko is loading or unloading");
		return -EAGAIN;
	}
	for (i = 0; i < ARRAY_SIZE(kcs_hooks); i++) {
		struct kcs_ftrace_hook *hook = &kcs_hooks[i];

		if (!hook->on_demand || hook->registered ||
		    !(need & BIT(hook->kind)) ||
		    (hook->probe_only && need != KCS_HOOKS_PROBE_ALL))
			continue;
		err = kcs_hook_register(hook);
		if (err) {
			kcs_extack_set(extack,
				       "cannot register a socket hook (see the kernel log)");
			kcs_hooks_trim(~added);
			return err;
		}
		added |= BIT(hook->kind);
	}
	return 0;
}

/*
 * Unregister every socket hook not in @keep. Callers hold kcs_config_lock
 * and call it after a change is published, with what the bindings still
 * need: a hook goes only once no bound profile relies on it.
 */
void kcs_hooks_trim(u32 keep)
{
	int i;

	lockdep_assert_held(&kcs_config_lock);
	for (i = 0; i < ARRAY_SIZE(kcs_hooks); i++) {
		struct kcs_ftrace_hook *hook = &kcs_hooks[i];

		if (!hook->on_demand)
			continue;
		if (hook->probe_only ? !kcs_probe_running() :
		    !(keep & BIT(hook->kind)))
			kcs_hook_unregister(hook);
	}
	kcs_sys_hooks_trim();
}

void kcs_hook_remove(struct kcs_ftrace_hook *hook)
{
	kcs_hook_unregister(hook);
	if (hook->filtered)
		ftrace_set_filter_ip(&hook->ops, hook->site, 1, 0);
	hook->filtered = false;
}

void kcs_hooks_exit(void)
{
	int i;

	/* The netlink family is still there: keep configuration out. */
	mutex_lock(&kcs_config_lock);
	kcs_hooks_live = false;
	for (i = 0; i < ARRAY_SIZE(kcs_hooks); i++)
		kcs_hook_remove(&kcs_hooks[i]);
	kcs_sys_hooks_remove();
	mutex_unlock(&kcs_config_lock);
	/*
	 * No new redirects now. A task redirected but not yet counted is not
	 * at a voluntary switch; wait until every task has passed one.
	 */
	/*
	 * A task redirected to a replacement may first run a sleepable
	 * BPF-LSM program attached to the same stub: that one sleeps inside
	 * an RCU-tasks-trace read section, and between its end and our
	 * replacement's start it does not sleep again.
	 */
	if (IS_ENABLED(CONFIG_TASKS_TRACE_RCU))
		synchronize_rcu_tasks_trace();
	synchronize_rcu_tasks();
	/*
	 * Every redirected task has entered its replacement now. Those that
	 * hold a module reference made unload fail with EAGAIN; what remains
	 * are tasks that entered once the module was going, or any task after
	 * a failed load (which frees the module whatever its references).
	 */
	while (atomic_long_read(&kcs_inflight))
		msleep(20);
	/* And the instructions after the decrement, up to the return. */
	synchronize_rcu_tasks();
	kcs_sys_hooks_exit();
}

int kcs_hooks_init(void)
{
	bool use_stub = kcs_bpf_lsm_active();
	int i, err;

	kcs_on_stubs = use_stub;

	for (i = 0; i < ARRAY_SIZE(kcs_hooks); i++) {
		err = kcs_hook_prepare(&kcs_hooks[i], use_stub);
		if (!err && !kcs_hooks[i].on_demand)
			err = kcs_hook_register(&kcs_hooks[i]);
		if (err) {
			kcs_hooks_exit();
			return err;
		}
	}
	mutex_lock(&kcs_config_lock);
	kcs_hooks_live = true;
	mutex_unlock(&kcs_config_lock);
	pr_info("kcs: hooked %s; socket hooks (%s, ...) while bound profiles need them\n",
		kcs_hooks[KCS_HOOK_IDX_EXEC].target,
		kcs_hooks[KCS_HOOK_IDX_CONNECT].target);
	return 0;
}
