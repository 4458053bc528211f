// SPDX-License-Identifier: GPL-2.0
/*
 * File rules: files a bound task may not read, files it may not change,
 * and files whose every open is reported (docs/files.md); and, under a
 * default other than allow, the files it may read and change: any other
 * is denied (or reported, under a default of audit).
 *
 * A deny list is only worth something if the same file cannot be reached,
 * or replaced, under another name. So besides open() (and its O_TRUNC and
 * O_CREAT), every operation that changes what a name holds is judged as a
 * write of that name: truncate() by name, unlink() and rmdir(), rename()
 * from and to, link() and the creation of a symlink, node or directory.
 * A hard link or a rename *from* a protected name would give its file a
 * second, unprotected name, so those are judged as a read too. And a
 * directory is judged by what lies under it: renaming or removing one
 * under which some rule could name a file (its DFA state after "dir/" is
 * not the dead one) is judged like the file itself, or "mv /etc /x" would
 * move every protected name at once.
 *
 * Names are the container's, as for exec (exec_root.c): an open is judged
 * by the name that leads to its file from the container's root, verified
 * by a lookup from there; the name-changing operations run under their
 * directory's lock, where no lookup may be made, and use
 * kcs_path_name_locked(). A file without such a name (a chroot's, a mount
 * of the container's own, unlinked) is KCS_RULE_UNDECIDABLE: denied under
 * Enforce when a profile has rules of that access, unless the open is the
 * kernel's own (overlayfs's copy-up and listings: kcs_file_kernel_open()).
 * Files with no path at all (pipes, sockets, anonymous inodes, memfd:
 * internal mounts) and an O_TMPFILE (it has no name until link() gives it
 * one, which is judged) are not judged.
 *
 * Only from the binding's first exec on (like capabilities): before it,
 * the container runtime sets the container up in its cgroup, from the
 * host's root.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/path.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include "kcs.h"

static bool kcs_file_applies(const struct kcs_profile *p)
{
	return p->file_read.blob || p->file_write.blob ||
	       p->file_monitor.blob || p->file_dflt != KCS_SYS_ALLOW;
}

u32 kcs_file_hooks(const struct kcs_profile *p)
{
	return kcs_file_applies(p) ? BIT(KCS_HOOK_FILE) : 0;
}

/* What one file operation is: its op, the access judged, its name. */
struct kcs_file_op_info {
	u32 op;			/* enum kcs_file_op */
	u32 access;		/* KCS_FILE_ACC_* */
	bool dir;		/* a directory: judge what lies under it too */
	const char *name;	/* ERR_PTR: no trusted name */
	const char *prog;	/* the task's program, for scoped patterns */
};

static u32 kcs_file_match(const struct kcs_pset *ps,
			  const struct kcs_file_op_info *fo, bool dir)
{
	return kcs_pset_match_tree(ps, fo->prog, fo->name, strlen(fo->name),
				   dir);
}

/* Whether some file pattern of @p is scoped to the program doing it. */
static bool kcs_file_scoped(const struct kcs_profile *p)
{
	return kcs_pset_scoped(&p->file_read) ||
	       kcs_pset_scoped(&p->file_write) ||
	       kcs_pset_scoped(&p->file_monitor) ||
	       kcs_pset_scoped(&p->file_read_ok) ||
	       kcs_pset_scoped(&p->file_write_ok);
}

/*
 * Give @fo the task's program when a profile of @bound scopes file
 * patterns to programs (kcs_program_name()); none when no profile does or
 * the program has no name in the container. Out of memory, @fo loses its
 * name too: judged undecidable, it fails closed. kfree() fo->prog after.
 */
static void kcs_file_program(struct kcs_file_op_info *fo,
			     const struct kcs_bound *bound,
			     const struct kcs_root *root)
{
	char *prog = NULL;
	bool enforce;

	if (root && kcs_bound_any(bound, kcs_file_scoped, &enforce))
		prog = kcs_program_name(root);
	if (IS_ERR(prog)) {
		fo->name = ERR_CAST(prog);
		prog = NULL;
	}
	fo->prog = prog;
}

static const char *kcs_file_rule(const struct kcs_pset *ps, u32 hit)
{
	return hit == KCS_PSET_TREE_HIT ? "(a rule names files under it)" :
	       kcs_pset_text(ps, hit);
}

/* Whether @p may deny a @read or @write access (one of a nameless file). */
static bool kcs_file_denies(const struct kcs_profile *p, bool read, bool write)
{
	return p->file_dflt == KCS_SYS_DENY ||
	       (read && p->file_read.blob) || (write && p->file_write.blob);
}

/*
 * Whether the allow list @ps takes @fo. A directory that moves takes its
 * every name under it along: all of them must be allowed.
 */
static bool kcs_file_allowed(const struct kcs_pset *ps,
			     const struct kcs_file_op_info *fo)
{
	size_t len = strlen(fo->name);

	if (fo->dir && (fo->op == KCS_FILE_OP_RENAME_FROM ||
			fo->op == KCS_FILE_OP_RENAME_TO))
		return kcs_pset_match_all_under(ps, fo->prog, fo->name, len);
	return kcs_pset_match_tree(ps, fo->prog, fo->name, len, false);
}

/*
 * The allow list @fo misses under a default other than allow, as the
 * text of the event's rule; NULL when the allow lists take it.
 */
static const char *kcs_file_not_allowed(const struct kcs_profile *p,
					const struct kcs_file_op_info *fo)
{
	if (p->file_dflt == KCS_SYS_ALLOW)
		return NULL;
	if ((fo->access & KCS_FILE_ACC_WRITE) &&
	    !kcs_file_allowed(&p->file_write_ok, fo))
		return "(not in allow_write)";
	if ((fo->access & KCS_FILE_ACC_READ) &&
	    !kcs_file_allowed(&p->file_read_ok, fo))
		return "(not in allow_read)";
	return NULL;
}

/* Report an access the default audits: an event, never a denial. */
static void kcs_file_report(struct kcs_file_event *ev, const char *rule)
{
	ev->rule_kind = KCS_RULE_MONITOR;
	ev->rule = rule;
	ev->verdict = KCS_VERDICT_ALLOW;
	kcs_stat_inc(KCS_STAT_FILE_REPORTED);
	if (kcs_event_wanted())
		kcs_event_file(ev);
}

/*
 * One profile's verdict: a denial (-EACCES under Enforce, KCS_AUDITED
 * under Audit, an event either way), a report (monitor, or a default of
 * audit), or nothing. Deny lists first, then the allow lists and the
 * default, then monitor.
 */
static int kcs_file_decide(const struct kcs_bound *b,
			   const struct kcs_file_op_info *fo)
{
	const struct kcs_profile *p = b->profile;
	struct kcs_file_event ev = {
		.bound = b, .op = fo->op, .access = fo->access,
		.path = IS_ERR(fo->name) ? "" : fo->name,
	};
	bool read = fo->access & KCS_FILE_ACC_READ;
	bool write = fo->access & KCS_FILE_ACC_WRITE;
	const struct kcs_pset *ps = NULL;
	u32 hit = 0;
	int ret;

	if (IS_ERR(fo->name)) {
		if (!kcs_file_denies(p, read, write)) {
			if (p->file_dflt == KCS_SYS_AUDIT)
				kcs_file_report(&ev, "(default: audit)");
			return 0;
		}
		ev.rule_kind = KCS_RULE_UNDECIDABLE;
	} else {
		ev.rule_kind = KCS_RULE_BLOCK;
		if (write) {
			ps = &p->file_write;
			hit = kcs_file_match(ps, fo, fo->dir);
		}
		if (!hit && read) {
			ps = &p->file_read;
			hit = kcs_file_match(ps, fo, fo->dir);
		}
		if (hit) {
			ev.rule = kcs_file_rule(ps, hit);
		} else {
			ev.rule = kcs_file_not_allowed(p, fo);
			if (ev.rule && p->file_dflt == KCS_SYS_AUDIT) {
				kcs_file_report(&ev, ev.rule);
				return 0;
			}
			ev.rule_kind = KCS_RULE_NOT_ALLOWED;
		}
		if (!ev.rule) {
			hit = kcs_file_match(&p->file_monitor, fo, false);
			if (!hit)
				return 0;
			kcs_file_report(&ev,
					kcs_file_rule(&p->file_monitor, hit));
			return 0;
		}
	}
	ret = kcs_denial(b->mode, -EACCES, &ev.verdict);
	if (kcs_event_wanted())
		kcs_event_file(&ev);
	return ret;
}

/* Every profile of the binding judges, each in its own mode. */
static int kcs_file_judge(struct kcs_bound *bound,
			  const struct kcs_file_op_info *fo)
{
	struct kcs_tally t = { };
	unsigned int i;

	kcs_stat_inc(KCS_STAT_FILE_CHECKED);
	for (i = 0; i < bound->n; i++) {
		kcs_bound_select(bound, i);
		if (kcs_file_applies(bound->profile))
			kcs_tally_add(&t, kcs_file_decide(bound, fo));
	}
	return kcs_tally_end(&t, KCS_STAT_FILE_DENIED, KCS_STAT_FILE_AUDITED);
}

/*
 * The binding of the current task when its file rules apply: from its
 * first exec on, and with some profile that has file rules. @enforce: one
 * of those is under Enforce (what cannot be checked then fails).
 */
static bool kcs_file_bound(struct kcs_bound *bound, bool *enforce)
{
	if (!kcs_binding_get_current(bound))
		return false;
	if (bound->started &&
	    kcs_bound_any(bound, kcs_file_applies, enforce))
		return true;
	kcs_bound_put(bound);
	return false;
}

/* Internal mounts (pipes, sockets, anon inodes, memfd): no name to judge. */
static bool kcs_file_nameless(const struct path *path)
{
	return path->mnt->mnt_flags & MNT_INTERNAL;
}

/*
 * Does @cred hold CAP_SYS_ADMIN over @ns, judged by @caps (its effective
 * set, or the union of the sets it could raise)? cap_capable()'s rule: in
 * its own namespace by the set, in a child namespace it owns, everything.
 * Not security_capable(): that would run the capable hook, kcs's own among
 * them, for a check the task never asked for.
 */
static bool kcs_cred_sys_admin(const struct cred *cred,
			       struct user_namespace *ns, kernel_cap_t caps)
{
	for (;;) {
		if (ns == cred->user_ns)
			return cap_raised(caps, CAP_SYS_ADMIN);
		if (ns->level <= cred->user_ns->level)
			return false;
		if (ns->parent == cred->user_ns && uid_eq(ns->owner, cred->euid))
			return true;
		ns = ns->parent;
	}
}

/**
 * kcs_file_kernel_open() - is an open without a name the kernel's own?
 * @root: the binding's container root
 *
 * Overlayfs, the root of Docker's and Podman's containers, opens files of
 * its own in the task of its user: the layers' files behind a copy-up
 * (the first change of an image file: the lower file is read, a new upper
 * one written) and the layers' directories behind a directory listing.
 * Those files are on overlayfs's private mounts: they have no name in the
 * container, and would be undecidable, denied under Enforce. Overlayfs
 * makes them with its mounter's credentials in place of the task's.
 *
 * So an open is the kernel's when the credentials in use are not the
 * task's own and hold CAP_SYS_ADMIN over the container root's user
 * namespace, which the task's own cannot hold, nor ever gain (permitted
 * and bounding sets): the task cannot have made such credentials itself,
 * and an io_uring personality is credentials the task once had. What
 * overlayfs opens then is what the container asked for by a name that was
 * judged (the overlay file, the directory being listed). A privileged
 * container holds CAP_SYS_ADMIN itself: its overlay opens stay
 * undecidable (docs/files.md).
 *
 * Return: true when the current open is not the task's own.
 */
static bool kcs_file_kernel_open(const struct kcs_root *root)
{
	const struct cred *cred = current_cred(), *own = current_real_cred();
	struct user_namespace *ns = kcs_root_path(root)->mnt->mnt_sb->s_user_ns;

	return cred != own &&
	       kcs_cred_sys_admin(cred, ns, cred->cap_effective) &&
	       !kcs_cred_sys_admin(own, ns, cap_combine(own->cap_permitted,
							own->cap_bset));
}

/* Judge @path (no lock held) for @op and @access. */
static int kcs_file_check_path(const struct path *path, u32 op, u32 access)
{
	struct kcs_file_op_info fo = { .op = op, .access = access };
	struct kcs_bound bound;
	struct kcs_root *root;
	bool enforce;
	char *buf;
	int ret;

	if (!kcs_file_bound(&bound, &enforce))
		return 0;
	buf = kcs_pathbuf_alloc(PATH_MAX, GFP_KERNEL);
	if (!buf) {
		ret = enforce ? -ENOMEM : 0;
		goto out_put;
	}
	root = kcs_binding_root(bound.bound_cgroup_id);
	fo.name = root ? kcs_path_name(path, root, buf, PATH_MAX) :
		  ERR_PTR(-ENOMEM);
	if (IS_ERR(fo.name) && root && kcs_file_kernel_open(root)) {
		ret = 0;
		goto out_free;
	}
	kcs_file_program(&fo, &bound, root);
	ret = kcs_file_judge(&bound, &fo);
	kfree(fo.prog);
out_free:
	kcs_root_put(root);
	kcs_pathbuf_free(buf, PATH_MAX);
out_put:
	kcs_bound_put(&bound);
	return ret;
}

/*
 * Overlayfs (the root of Docker's and Podman's containers) opens the real
 * file behind each file opened on it, as the same task: that open shows
 * the same name, which was judged a moment ago. Such "backing" files are
 * marked (FMODE_BACKING; before it, FMODE_NOACCOUNT, which only they and
 * cachefiles' own files have).
 */
static bool kcs_file_is_backing(const struct file *file)
{
#ifdef FMODE_BACKING
	if (file->f_mode & FMODE_BACKING)
		return true;
#endif
#ifdef FMODE_NOACCOUNT
	if (file->f_mode & FMODE_NOACCOUNT)
		return true;
#endif
	return false;
}

/**
 * kcs_file_open_check() - judge an open() of a bound task
 * @file: the file being opened (security_file_open)
 *
 * Reading is asked for by FMODE_READ; writing by FMODE_WRITE, O_TRUNC (it
 * truncates whatever the access mode) and the creation of the file.
 *
 * Return: 0, or -EACCES when a profile under Enforce denies it.
 */
int kcs_file_open_check(struct file *file)
{
	u32 access = 0;

	if (kcs_file_nameless(&file->f_path) || kcs_file_is_backing(file) ||
	    (file->f_flags & __O_TMPFILE) == __O_TMPFILE)
		return 0;
	if (file->f_mode & FMODE_READ)
		access |= KCS_FILE_ACC_READ;
	if ((file->f_mode & (FMODE_WRITE | FMODE_CREATED)) ||
	    (file->f_flags & O_TRUNC))
		access |= KCS_FILE_ACC_WRITE;
	if (!access)
		return 0;
	return kcs_file_check_path(&file->f_path, KCS_FILE_OP_OPEN, access);
}

/* truncate() by name (security_path_truncate): no lock held. */
int kcs_file_truncate_check(const struct path *path)
{
	if (kcs_file_nameless(path))
		return 0;
	return kcs_file_check_path(path, KCS_FILE_OP_TRUNCATE,
				   KCS_FILE_ACC_WRITE);
}

/*
 * The name of @dentry in the directory @dir (locked by the caller): the
 * directory's trusted name, "/", and the entry's name. Not formed from
 * @dentry itself: a name being created is not hashed yet, and d_path()
 * would call it deleted. link()'s source is a file of its own (its
 * directory is not the locked one): its own name. @buf: 3 * PATH_MAX.
 */
static const char *kcs_name_in_dir(u32 op, const struct path *dir,
				   struct dentry *dentry,
				   const struct kcs_root *root, char *buf)
{
	struct path path = { .mnt = dir->mnt, .dentry = dentry };
	const char *name;
	size_t len;

	if (op == KCS_FILE_OP_LINK_FROM)
		return kcs_path_name_locked(&path, root, buf, true);
	name = kcs_path_name_locked(dir, root, buf, true);
	if (IS_ERR(name))
		return name;
	/* @name lies at the end of the first PATH_MAX bytes of @buf. */
	len = strlen(name);
	memmove(buf, name, len + 1);
	if (len > 1)
		buf[len++] = '/';
	/* The directory is locked: the entry's name cannot change. */
	if (len + dentry->d_name.len >= PATH_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	memcpy(buf + len, dentry->d_name.name, dentry->d_name.len);
	buf[len + dentry->d_name.len] = '\0';
	return buf;
}

/**
 * kcs_file_path_check() - judge a name a bound task changes
 * @op: KCS_FILE_OP_UNLINK, _RENAME_FROM, _RENAME_TO, _LINK, _LINK_FROM or
 *      _CREATE
 * @dir: the directory the caller locked; its mount is @dentry's
 * @dentry: the name (negative when it is being created)
 * @tree: judge every name under it too (a directory that moves or goes,
 *        a symlink that comes)
 *
 * The name goes as a write; the source of a rename or a link also as a
 * read (it would give the file a second name). Under the directory's lock
 * no lookup may be made: see kcs_path_name_locked().
 *
 * Return: 0, or -EACCES when a profile under Enforce denies it.
 */
int kcs_file_path_check(u32 op, const struct path *dir, struct dentry *dentry,
			bool tree)
{
	struct kcs_file_op_info fo = { .op = op, .access = KCS_FILE_ACC_WRITE };
	struct kcs_bound bound;
	struct kcs_root *root;
	unsigned int nofs;
	bool enforce;
	char *buf;
	int ret;

	if (kcs_file_nameless(dir))
		return 0;
	if (op == KCS_FILE_OP_RENAME_FROM || op == KCS_FILE_OP_LINK_FROM)
		fo.access |= KCS_FILE_ACC_READ;
	fo.dir = tree;
	if (!kcs_file_bound(&bound, &enforce))
		return 0;
	/*
	 * A directory is locked: no allocation in here (ours, or a root's
	 * lent by a binding going away) may reclaim into a filesystem.
	 */
	nofs = memalloc_nofs_save();
	buf = kcs_pathbuf_alloc(3 * PATH_MAX, GFP_KERNEL);
	if (!buf) {
		ret = enforce ? -ENOMEM : 0;
		goto out_put;
	}
	root = kcs_binding_root(bound.bound_cgroup_id);
	fo.name = root ? kcs_name_in_dir(op, dir, dentry, root, buf) :
		  ERR_PTR(-ENOMEM);
	kcs_file_program(&fo, &bound, root);
	kcs_root_put(root);
	ret = kcs_file_judge(&bound, &fo);
	kfree(fo.prog);
	kcs_pathbuf_free(buf, 3 * PATH_MAX);
out_put:
	memalloc_nofs_restore(nofs);
	kcs_bound_put(&bound);
	return ret;
}
