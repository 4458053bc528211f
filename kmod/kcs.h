/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces between the parts of kcs.ko. Each part has its own
 * file; this header is the map of who calls whom.
 */
#ifndef KCS_KCS_H
#define KCS_KCS_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/kref.h>
#include <linux/jump_label.h>
#include <linux/rcupdate.h>
#include <linux/kcs.h>
#include "dfa.h"
#include "netm.h"

struct linux_binprm;
struct socket;
struct sockaddr;
struct msghdr;
struct genl_info;
struct netlink_ext_ack;
struct genl_family;

/* ---- stats.c: per-cpu counters, summed by KCS_CMD_STATUS. */
void kcs_stat_inc(enum kcs_stat stat);
void kcs_stat_add(enum kcs_stat stat, unsigned int n);

/* pathbuf.c: name buffers for the checks that may sleep, not zeroed. */
void *kcs_pathbuf_alloc(size_t size, gfp_t gfp);
void kcs_pathbuf_free(void *buf, size_t size);
int kcs_pathbuf_init(void);
void kcs_pathbuf_exit(void);
u64 kcs_stat_read(enum kcs_stat stat);

/* ---- profile.c: named profiles, replaced atomically under RCU. */
struct kcs_pset {		/* one verified pattern set */
	struct kcs_dfa dfa;
	void *blob;		/* NULL: empty set, matches nothing */
	const char *text;
	u32 *text_off;		/* offset of pattern i's text in text */
};

struct kcs_nset {		/* one verified network rule set */
	struct kcs_netm m;
	void *blob;		/* NULL: empty set, matches nothing */
	const char *text;
	u32 *text_off;		/* offset of rule i's text in text */
};

/* ---- netgroup.c: program-scoped network rule groups, verified. */
#include "netgroup.h"

struct kcs_ngroups {		/* a profile's verified network rule groups */
	void *blob;		/* NULL: none */
	struct kcs_net_grp *g;
	u32 n;
};

/* ---- sysrule.c: application rules, verified, and their decision. */
#include "sysrule.h"

/* ---- sys_meta.c: the kernel's own description of a system call. */
int kcs_sys_meta(const char *name, u32 nr, struct kcs_sys_call_info *info,
		 const char **why);
bool kcs_sys_native(const char *entry);

struct kcs_profile {
	struct kref ref;
	struct rcu_head rcu;
	u32 exec_kind;		/* enum kcs_exec_kind */
	struct kcs_pset rules;
	struct kcs_pset except;
	struct kcs_pset libs;	/* ALLOW: mappable; empty: mappings free */
	u32 net_kind;		/* enum kcs_net_kind: egress */
	u32 net_flags;		/* KCS_NET_F_* */
	struct kcs_nset egress;
	struct kcs_nset egress_except;
	struct kcs_nset listen;
	struct kcs_ngroups ngroups;	/* scoped rules, listen exclusions */
	struct kcs_pset file_read;	/* files not to open for reading */
	struct kcs_pset file_write;	/* files not to change */
	struct kcs_pset file_monitor;	/* files whose opens are reported */
	struct kcs_pset file_read_ok;	/* files to read (file_dflt not ALLOW) */
	struct kcs_pset file_write_ok;	/* files to change */
	u32 file_dflt;			/* enum kcs_sys_action */
	struct kcs_sysset sys;		/* application rules */
	u64 generation;
	size_t mem;
	char name[KCS_NAME_MAX];
};

struct kcs_slot;

int kcs_profile_set(struct genl_info *info);
int kcs_profile_del(const char *name, struct netlink_ext_ack *extack);
struct kcs_slot *kcs_slot_find(const char *name);
struct kcs_profile *kcs_slot_get_profile(struct kcs_slot *slot);
struct kcs_profile *kcs_slot_profile_locked(struct kcs_slot *slot);
void kcs_slot_bind_count(struct kcs_slot *slot, int delta);
u32 kcs_slot_bind_total(struct kcs_slot *slot);
const char *kcs_slot_name(struct kcs_slot *slot);
struct kcs_slot *kcs_slot_at(unsigned long idx);
unsigned int kcs_profile_count(void);
/* Socket hooks needed, as masks of BIT(enum kcs_hook), under the lock. */
u32 kcs_slot_hooks(struct kcs_slot *slot);
u32 kcs_bound_hooks(void);
void kcs_profile_put(struct kcs_profile *p);
void kcs_profiles_free_all(void);
u32 kcs_pset_match(const struct kcs_pset *ps, const char *prog,
		   const char *path, size_t plen, const char *applet,
		   size_t alen);
bool kcs_pset_scoped(const struct kcs_pset *ps);
const char *kcs_pset_text(const struct kcs_pset *ps, u32 hit);
#define KCS_PSET_TREE_HIT	U32_MAX
u32 kcs_pset_match_all_under(const struct kcs_pset *ps, const char *prog,
			     const char *path, size_t plen);
u32 kcs_pset_match_tree(const struct kcs_pset *ps, const char *prog,
			const char *path, size_t plen, bool tree);
u32 kcs_nset_lookup(const struct kcs_nset *ns, const struct kcs_net_addr *a,
		    u16 port, u32 proto);
const char *kcs_nset_text(const struct kcs_nset *ns, u32 rule);

/* Profiles and bindings change only under this mutex. */
extern struct mutex kcs_config_lock;

/* ---- binding.c: cgroup v2 id -> (profile, mode), nearest ancestor wins. */
/*
 * A task's binding as a hook sees it: every profile of the binding, each
 * referenced, and the one deciding now (@profile, @mode: what events
 * report), chosen with kcs_bound_select(). Released with kcs_bound_put().
 */
struct kcs_bound {
	struct kcs_profile *profile;	/* the profile deciding now */
	u32 mode;			/* its mode */
	u64 cgroup_id;			/* the task's own cgroup */
	u64 bound_cgroup_id;		/* where the binding is */
	u64 caps_block;			/* 1ULL << CAP_*, under modes[0] */
	bool started;			/* the binding's first exec happened */
	unsigned int n;			/* profiles[0..n) */
	struct kcs_profile *profiles[KCS_BIND_PROFILES_MAX];
	u32 modes[KCS_BIND_PROFILES_MAX];
};

static inline void kcs_bound_select(struct kcs_bound *b, unsigned int i)
{
	b->profile = b->profiles[i];
	b->mode = b->modes[i];
}

/*
 * Whether a rule type of some profile of @b applies (@applies), and
 * whether one of those is under Enforce (@enforce: then what cannot be
 * checked fails). Inline so that @applies is a direct call.
 */
static inline bool kcs_bound_any(const struct kcs_bound *b,
				 bool (*applies)(const struct kcs_profile *),
				 bool *enforce)
{
	bool any = false;
	unsigned int i;

	*enforce = false;
	for (i = 0; i < b->n; i++) {
		if (!applies(b->profiles[i]))
			continue;
		any = true;
		*enforce |= b->modes[i] == KCS_MODE_ENFORCE;
	}
	return any;
}

/* A profile's report of a denial that Audit lets through. */
#define KCS_AUDITED	1

/*
 * What the profiles of a binding said about one operation: the first
 * Enforce denial's errno, and whether an Audit profile denied it.
 */
struct kcs_tally {
	int ret;
	bool audited;
};

/*
 * A profile's denial in its mode: @err and KCS_VERDICT_DENY under Enforce,
 * KCS_AUDITED and KCS_VERDICT_ALLOW (it went ahead) under Audit.
 */
static inline int kcs_denial(u32 mode, int err, u32 *verdict)
{
	if (mode == KCS_MODE_ENFORCE) {
		*verdict = KCS_VERDICT_DENY;
		return err;
	}
	*verdict = KCS_VERDICT_ALLOW;
	return KCS_AUDITED;
}

/* Add one profile's report: -errno (denied), KCS_AUDITED, or 0. */
static inline void kcs_tally_add(struct kcs_tally *t, int r)
{
	if (r < 0 && !t->ret)
		t->ret = r;
	t->audited |= r == KCS_AUDITED;
}

/*
 * Count the operation once, whatever the number of profiles: as @denied
 * when it fails, else as @audited when an Audit profile denied it.
 * Returns what the hook returns.
 */
static inline int kcs_tally_end(const struct kcs_tally *t,
				enum kcs_stat denied, enum kcs_stat audited)
{
	if (t->ret)
		kcs_stat_inc(denied);
	else if (t->audited)
		kcs_stat_inc(audited);
	return t->ret;
}

/* What one bind asks for: the profiles by name, each in its mode. */
struct kcs_bind_spec {
	unsigned int n;
	const char *name[KCS_BIND_PROFILES_MAX];
	u32 mode[KCS_BIND_PROFILES_MAX];
	u64 caps;
};

/* A binding, as dumps report it. */
struct kcs_bind_info {
	u64 cgid;
	u64 caps;
	unsigned int n;
	u32 mode[KCS_BIND_PROFILES_MAX];
	char name[KCS_BIND_PROFILES_MAX][KCS_NAME_MAX];
};

bool kcs_current_maybe_bound(void);
bool kcs_binding_get_current(struct kcs_bound *b);
void kcs_bound_put(struct kcs_bound *b);
struct kcs_root;
int kcs_bind(u64 cgid, const struct kcs_bind_spec *spec,
	     struct kcs_root *root, struct netlink_ext_ack *extack);
u32 kcs_binding_hooks(void);
struct kcs_root *kcs_binding_root(u64 bound_cgid);
int kcs_unbind(u64 cgid, struct netlink_ext_ack *extack);
void kcs_bindings_sweep(void);
unsigned int kcs_binding_count(void);
/* Iterate for dumps (netlink.c), resuming at a cursor. */
struct kcs_bind_cursor {	/* where a dump of the bindings stands */
	unsigned long bkt, pos;
};

bool kcs_binding_next(struct kcs_bind_cursor *cur, struct kcs_bind_info *info);
void kcs_bindings_free_all(void);

/* ---- exec_root.c: a container's root, and names trusted from it. */
struct file;
struct kcs_root *kcs_root_current(void);
struct kcs_root *kcs_root_of_pid(pid_t nr);
struct kcs_root *kcs_root_get(struct kcs_root *r);
void kcs_root_put(struct kcs_root *r);
struct path;
const struct path *kcs_root_path(const struct kcs_root *r);
const char *kcs_path_name(const struct path *path, const struct kcs_root *root,
			  char *buf, int len);
const char *kcs_path_name_locked(const struct path *path,
				 const struct kcs_root *root, char *buf,
				 bool other_fs);
char *kcs_program_name(const struct kcs_root *root);
const char *kcs_program_name_in(const struct kcs_root *root, char *buf);
const char *kcs_program_name_cpu(u64 bound_cgid);
struct kcs_root *kcs_binding_root_peek(u64 bound_cgid);
int kcs_roots_init(void);
void kcs_roots_exit(void);

/* ---- exec.c: the exec decision. */
int kcs_exec_check(struct linux_binprm *bprm);
struct kcs_verdict_info {
	bool deny;
	bool undecidable;	/* the name or the applet cannot be told */
	u32 rule_kind;
	const char *rule;
};

struct kcs_exec_event;
void kcs_exec_decide(const struct kcs_profile *p, const char *prog,
		     const char *path, const char *applet,
		     struct kcs_verdict_info *v);
int kcs_exec_report(struct kcs_exec_event *ev);

/* ---- mmap.c: executable file mappings. */
struct vm_area_struct;
int kcs_mmap_check(struct file *file, unsigned long prot);
int kcs_mprotect_check(struct vm_area_struct *vma, unsigned long prot);
u32 kcs_mmap_hooks(const struct kcs_profile *p);

/* ---- net.c: the socket decisions (connect, sendmsg, bind, listen). */
int kcs_net_connect(struct socket *sock, struct sockaddr *sa, int len);
int kcs_net_sendmsg(struct socket *sock, struct msghdr *msg);
int kcs_net_bind(struct socket *sock, struct sockaddr *sa, int len);
int kcs_net_listen(struct socket *sock);
struct sock;
int kcs_net_sctp(struct sock *sk, int optname, struct sockaddr *addrs,
		 int len);
/* Hook kinds of registration only, after the ABI's (events never name them). */
#define KCS_HOOK_SCTP	__KCS_HOOK_MAX	/* SCTP connectx/bindx/sendmsg */
u32 kcs_net_hooks(const struct kcs_profile *p);

/* ---- file.c: file opens and name changes. */
struct dentry;
u32 kcs_file_hooks(const struct kcs_profile *p);
int kcs_file_open_check(struct file *file);
int kcs_file_path_check(u32 op, const struct path *dir,
			struct dentry *dentry, bool tree);
int kcs_file_truncate_check(const struct path *path);

/* ---- applet.c: busybox applet selection, fed the argv bytes in pieces. */
#define KCS_APPLET_MAX	255
enum kcs_applet_result {
	KCS_APPLET_MORE,	/* feed more bytes */
	KCS_APPLET_NONE,	/* busybox itself runs: no applet */
	KCS_APPLET_FOUND,	/* the applet is in ->name */
	KCS_APPLET_UNKNOWN,	/* cannot be told: fail closed */
};

struct kcs_applet_scan {
	int left;		/* argv strings not started yet */
	u8 step;		/* what the current string is for */
	u8 result;		/* enum kcs_applet_result */
	size_t len;		/* the current string's length so far */
	size_t base_len;	/* ... and its basename's */
	char head[16];		/* its first bytes: options */
	char base[KCS_APPLET_MAX + 1];	/* its basename's first bytes */
	char name[KCS_APPLET_MAX + 1];
};

bool kcs_is_multicall(const char *path);
void kcs_applet_scan_init(struct kcs_applet_scan *s, int argc);
size_t kcs_applet_scan_feed(struct kcs_applet_scan *s, const char *buf,
			    size_t n);

/* ---- event.c: decisions reported to the event subscribers. */
struct kcs_exec_event {
	const struct kcs_bound *bound;
	u32 hook;		/* KCS_HOOK_EXEC, or KCS_HOOK_MMAP */
	u32 verdict;		/* enum kcs_verdict */
	u32 rule_kind;		/* enum kcs_rule_kind */
	const char *rule;	/* NULL when none */
	const char *path;
	const char *invoked;
	const char *applet;	/* NULL when none */
};

struct kcs_net_event {
	const struct kcs_bound *bound;
	u32 hook;		/* enum kcs_hook */
	u32 verdict;
	u32 rule_kind;
	const char *rule;	/* NULL when none */
	u32 family;		/* AF_INET or AF_INET6 */
	u32 proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	u8 addr[16];		/* network order, 4 or 16 bytes used */
	u16 port;
};

/*
 * A rate limit: at most @rate takes per one-second window (0: no limit).
 * Lock-free; a few extra at a window boundary is fine. The window is
 * judged by the jiffies difference, so a zeroed one starts at once.
 */
struct kcs_rate {
	unsigned long window;	/* jiffies at the window's start */
	atomic_t used;
};

static inline bool kcs_rate_take(struct kcs_rate *r, unsigned int rate)
{
	unsigned long now = jiffies, w = READ_ONCE(r->window);

	if (!rate)
		return true;
	if ((now - w >= HZ) && cmpxchg(&r->window, w, now) == w)
		atomic_set(&r->used, 0);
	return atomic_inc_return(&r->used) <= rate;
}

/* binding.c: take one from @bound_cgid's own budget (true if unbound). */
bool kcs_binding_rate_take(u64 bound_cgid, unsigned int rate);

struct sk_buff;
bool kcs_event_wanted(void);

/* event_sub.c: the sockets that subscribed to events (KCS_CMD_SUBSCRIBE). */
struct sock;
struct netlink_ext_ack;
bool kcs_event_subscribed(void);
unsigned int kcs_event_subscribers(void);
int kcs_event_subscribe(struct sock *sk, u32 portid,
			struct netlink_ext_ack *extack);
int kcs_event_deliver(struct sk_buff *skb);
int kcs_event_sub_init(void);
void kcs_event_sub_exit(void);
struct kcs_file_event {
	const struct kcs_bound *bound;
	u32 verdict;
	u32 rule_kind;
	const char *rule;	/* NULL when none */
	const char *path;	/* the name judged, "" when there is none */
	u32 op;			/* enum kcs_file_op */
	u32 access;		/* KCS_FILE_ACC_* */
};

struct kcs_cap_event {
	const struct kcs_bound *bound;
	int cap;		/* CAP_* */
	u32 verdict;
};

void kcs_event_exec(const struct kcs_exec_event *ev);
void kcs_event_net(const struct kcs_net_event *ev);
void kcs_event_cap(const struct kcs_cap_event *ev);
void kcs_event_file(const struct kcs_file_event *ev);
void kcs_event_exit(void);

/* event_fill.c: an event's attributes (all, or none and -EMSGSIZE). */
size_t kcs_event_exec_size(const struct kcs_exec_event *ev);
size_t kcs_event_net_size(const struct kcs_net_event *ev);
int kcs_event_exec_fill(struct sk_buff *skb, const struct kcs_exec_event *ev,
			u64 seq, u64 dropped);
int kcs_event_net_fill(struct sk_buff *skb, const struct kcs_net_event *ev,
		       u64 seq, u64 dropped);
size_t kcs_event_cap_size(const struct kcs_cap_event *ev);
int kcs_event_cap_fill(struct sk_buff *skb, const struct kcs_cap_event *ev,
		       u64 seq, u64 dropped);
size_t kcs_event_file_size(const struct kcs_file_event *ev);
int kcs_event_file_fill(struct sk_buff *skb, const struct kcs_file_event *ev,
			u64 seq, u64 dropped);

/* ---- syscall.c: the application rules' check, at a system call's entry. */
enum kcs_sys_abi {
	KCS_SYS_ABI_64,		/* __x64_sys_*: arguments known */
	KCS_SYS_ABI_32,		/* a 32-bit entry: arguments not compared */
	KCS_SYS_ABI_SOCKETCALL,	/* 32-bit socketcall(): the sub-call */
	KCS_SYS_ABI_IPC,	/* 32-bit ipc(): the sub-call */
};

struct pt_regs;
u32 kcs_sys_hooks(const struct kcs_profile *p);
bool kcs_sys_check(const char *name, u32 abi, const struct pt_regs *uregs);
const char *kcs_sys_mux_name(u32 abi, unsigned long call);

struct kcs_sys_event {
	const struct kcs_bound *bound;
	u32 verdict;
	u32 rule_kind;
	const char *rule;	/* NULL when none */
	const char *name;	/* the system call */
	bool compat;		/* entered as a 32-bit call */
	u64 args[KCS_SYS_ARGS];
};

void kcs_event_sys(const struct kcs_sys_event *ev);
size_t kcs_event_sys_size(const struct kcs_sys_event *ev);
int kcs_event_sys_fill(struct sk_buff *skb, const struct kcs_sys_event *ev,
		       u64 seq, u64 dropped);

/*
 * ---- hook_sys.c: the entry points of the named system calls, hooked
 * while a bound profile names them (under kcs_config_lock: add before a
 * change is published, trim after, like kcs_hooks_add()/_trim()).
 */
int kcs_sys_hooks_add(const struct kcs_profile *p,
		      struct netlink_ext_ack *extack);
void kcs_sys_hooks_trim(void);
void kcs_sys_hooks_remove(void);
void kcs_sys_hooks_exit(void);
/* profile.c: call @fn for every bound profile, under kcs_config_lock. */
void kcs_bound_profiles_each(void (*fn)(const struct kcs_profile *p,
					void *arg), void *arg);

/* ---- cap.c: capabilities a binding blocks. */
struct cred;
int kcs_cap_check(const struct cred *cred, int cap, unsigned int opts);

/* ---- netlink.c: the generic netlink family. */
extern struct genl_family kcs_family;
int kcs_netlink_init(void);
void kcs_netlink_exit(void);
void kcs_extack_set(struct netlink_ext_ack *extack, const char *msg);

/*
 * ---- hook.c: ftrace redirection of the LSM entry points. Exec is hooked
 * from load to unload; a socket hook only while some binding's profile
 * needs it. A change to bindings or profiles calls kcs_hooks_add() with
 * what it needs before it is published and kcs_hooks_trim() with
 * kcs_bound_hooks() after, both under kcs_config_lock.
 */
int kcs_hooks_init(void);
void kcs_hooks_exit(void);
long kcs_hooks_inflight(void);
int kcs_hooks_add(u32 need, struct netlink_ext_ack *extack);
/* Every hook, for a probe: probe-only ones too. */
#define KCS_HOOKS_PROBE_ALL	(~0U)
int kcs_hooks_register_mask(u32 need, struct netlink_ext_ack *extack);
void kcs_hooks_trim(u32 keep);
unsigned int kcs_hooks_count(void);
bool kcs_hook_proof_optional(unsigned int i);
void kcs_hook_describe(unsigned int i, const char **target, const char **sig,
		       u32 *kind);

/*
 * ---- hook_probe.c: proof that each hooked entry point fires (liveness).
 * The ftrace callback notes hook number @i for the watched task while a
 * probe runs; bindings need the kinds they use proven first.
 */
DECLARE_STATIC_KEY_FALSE(kcs_probe_on);
void kcs_probe_note(unsigned int i);
int kcs_probe_begin(pid_t nr, struct netlink_ext_ack *extack);
int kcs_probe_end(struct sk_buff *skb, struct netlink_ext_ack *extack);
int kcs_hooks_proven_check(u32 need, struct netlink_ext_ack *extack);
u32 kcs_hooks_proven(void);
bool kcs_probe_running(void);
void kcs_probe_exit(void);

#endif /* KCS_KCS_H */
