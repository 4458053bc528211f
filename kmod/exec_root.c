// SPDX-License-Identifier: GPL-2.0
/*
 * Which name an executed file has, as the container sees it.
 *
 * A task names files from its own root, and a process inside a container
 * can change what that means: chroot() into a directory of its own (Docker
 * keeps CAP_SYS_CHROOT), or, unprivileged, a new user and mount namespace
 * where it mounts any file over an allowed name. Either way a file would
 * run under a name a rule allows, or not under the name a rule blocks.
 *
 * So each binding keeps the container's root: the root of the task given
 * at bind time (kcsadm bind passes the cgroup's first task, or
 * --root-pid), else that of the first task to exec in the binding. A name
 * is trusted only if looking it up from that root, in the mount namespace
 * the root belongs to, leads to the very file being executed. That
 * defeats both tricks: a chroot's "/bin/x" is the container's /bin/x or
 * nothing, and a mount made in a namespace of the container's own is not
 * on the lookup's way. A name that cannot be produced or trusted (too
 * long, deleted, unreachable from the root, memfd, a detached mount) is
 * "undecidable": denied under Enforce, reported under Audit.
 */
#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <linux/percpu.h>
#include "kcs.h"
#include "compat.h"

struct kcs_root {
	struct kref ref;
	struct path path;
	/* path_put() may sleep: the last put frees in a work item. */
	struct rcu_work free_work;
};

static struct workqueue_struct *kcs_root_wq;

static void kcs_root_free(struct work_struct *work)
{
	struct kcs_root *r = container_of(to_rcu_work(work), struct kcs_root,
					  free_work);

	path_put(&r->path);
	kfree(r);
}

static void kcs_root_release(struct kref *ref)
{
	struct kcs_root *r = container_of(ref, struct kcs_root, ref);

	/* Readers may hold the pointer under RCU: free after a grace period. */
	INIT_RCU_WORK(&r->free_work, kcs_root_free);
	queue_rcu_work(kcs_root_wq, &r->free_work);
}

void kcs_root_put(struct kcs_root *r)
{
	if (r)
		kref_put(&r->ref, kcs_root_release);
}

struct kcs_root *kcs_root_get(struct kcs_root *r)
{
	return r && kref_get_unless_zero(&r->ref) ? r : NULL;
}

static struct kcs_root *kcs_root_of(struct task_struct *t)
{
	struct kcs_root *r = kzalloc(sizeof(*r), GFP_KERNEL);

	if (!r)
		return NULL;
	task_lock(t);
	if (!t->fs) {			/* exiting */
		task_unlock(t);
		kfree(r);
		return NULL;
	}
	get_fs_root(t->fs, &r->path);
	task_unlock(t);
	kref_init(&r->ref);
	return r;
}

const struct path *kcs_root_path(const struct kcs_root *r)
{
	return &r->path;
}

/* The root of the calling task, referenced (NULL: no memory). */
struct kcs_root *kcs_root_current(void)
{
	return kcs_root_of(current);
}

/* The root of task @nr in the caller's pid namespace: -ESRCH, -ENOMEM. */
struct kcs_root *kcs_root_of_pid(pid_t nr)
{
	struct task_struct *t;
	struct kcs_root *r;

	rcu_read_lock();
	t = pid_task(find_vpid(nr), PIDTYPE_PID);
	if (t)
		get_task_struct(t);
	rcu_read_unlock();
	if (!t)
		return ERR_PTR(-ESRCH);
	r = kcs_root_of(t);
	put_task_struct(t);
	return r ?: ERR_PTR(-ESRCH);
}

/* Whether the calling task's root is @root: no chroot, no mount namespace of its own. */
static bool kcs_root_is_current(const struct kcs_root *root)
{
	struct path cur;
	bool same;

	get_fs_root(current->fs, &cur);
	same = path_equal(&cur, &root->path);
	path_put(&cur);
	return same;
}

/**
 * kcs_path_name() - the name of @path as the container sees it
 * @path: a file being executed, opened or truncated (no lock held)
 * @root: the container's root
 * @buf: room for the name
 * @len: its size
 *
 * Return: the name, inside @buf, or an ERR_PTR when there is no name that
 * leads to @path's file from @root (-ENAMETOOLONG, -ENOENT, -EXDEV).
 */
const char *kcs_path_name(const struct path *path, const struct kcs_root *root,
			  char *buf, int len)
{
	/*
	 * Our fs_struct shared with no other task: then only we could change
	 * the root d_path() names from, and we are here. A thread sharing
	 * it could chroot() away and back while d_path() runs.
	 */
	bool alone = READ_ONCE(current->fs->users) == 1;
	struct path found;
	char *name;
	bool same;
	int err;

	name = d_path(path, buf, len);
	if (IS_ERR(name))
		return name;
	/* memfd, deleted: d_path() says " (deleted)", no lookup finds it. */
	if (d_unlinked(path->dentry) || *name != '/')
		return ERR_PTR(-ENOENT);
	/*
	 * At the container's own root (no chroot, no mount namespace of its
	 * own), for a file under it: d_path() walked from the file up to that
	 * very root, so the name is the container's. A lookup would add only
	 * a mount made since over part of the way, which leads to another
	 * file while this one is the one used: nothing to gain by it. Anything
	 * else (another root, a file outside it, a shared fs_struct) is looked
	 * up. Half the cost of a bound exec's name (docs/bench/README.md).
	 */
	if (alone && kcs_root_is_current(root) &&
	    path_is_under(path, &root->path))
		return name;
	err = vfs_path_lookup(root->path.dentry, root->path.mnt, name, 0,
			      &found);
	if (err)
		return ERR_PTR(err);
	same = d_inode(found.dentry) == d_inode(path->dentry);
	path_put(&found);
	return same ? name : ERR_PTR(-EXDEV);
}

/**
 * kcs_path_name_locked() - the container's name for @path where no lookup
 * may be made (under the mmap lock, or a directory's inode lock)
 * @path: the file, or a name in a locked directory (its dentry may be
 *        negative: a name being created)
 * @root: the container's root
 * @buf: room for 3 * PATH_MAX bytes
 * @other_fs: whether a name on another filesystem than the root's may be
 *            trusted by the task's own view (see below)
 *
 * On the root's filesystem the name is trusted when the dentry chain up to
 * the root spells the very name the task sees: then no chroot and no mount
 * made it, and nothing can race it. On another filesystem (a volume, a
 * tmpfs) there is no chain to follow from a module; with @other_fs the
 * name is taken from a task whose root is the container's, checked before
 * and after the name is formed.
 *
 * Return: the name, inside @buf, or an ERR_PTR (-EXDEV: not trusted).
 */
const char *kcs_path_name_locked(const struct path *path,
				 const struct kcs_root *root, char *buf,
				 bool other_fs)
{
	const char *name, *fpath, *rpath, *rest = NULL;
	const struct path *r = &root->path;
	size_t rlen;

	if (path->mnt->mnt_sb != r->mnt->mnt_sb) {
		if (!other_fs || !kcs_root_is_current(root))
			return ERR_PTR(-EXDEV);
		name = d_path(path, buf, PATH_MAX);
		if (IS_ERR(name))
			return name;
		if (*name != '/' || d_unlinked(path->dentry) ||
		    !kcs_root_is_current(root))
			return ERR_PTR(-EXDEV);
		return name;
	}
	name = d_path(path, buf, PATH_MAX);
	fpath = dentry_path_raw(path->dentry, buf + PATH_MAX, PATH_MAX);
	rpath = dentry_path_raw(r->dentry, buf + 2 * PATH_MAX, PATH_MAX);
	if (IS_ERR(name))
		return name;
	if (IS_ERR(fpath) || IS_ERR(rpath) || d_unlinked(path->dentry))
		return ERR_PTR(-EXDEV);
	rlen = strcmp(rpath, "/") ? strlen(rpath) : 0;
	if (path->dentry == r->dentry)
		rest = "/";
	else if (!strncmp(fpath, rpath, rlen) && fpath[rlen] == '/')
		rest = fpath + rlen;
	return rest && !strcmp(rest, name) ? name : ERR_PTR(-EXDEV);
}

/**
 * kcs_program_name() - the name of the current task's program in the
 * container, for program-scoped patterns
 * @root: the container's root
 *
 * The program is the file the task last executed (mm->exe_file), named
 * as kcs_path_name_locked() names files on the root's filesystem: by the
 * dentry chain up to the container's root, without a lookup, so the name
 * may be asked for in any hook, under a directory's lock too. A program
 * with no such name (the container runtime's own, before the container's
 * first exec or in "runc exec"; one run from a volume or a memfd) has
 * none: no program-scoped pattern applies to it.
 *
 * Return: a kmalloc'ed name, NULL when there is none, or
 * ERR_PTR(-ENOMEM).
 */
char *kcs_program_name(const struct kcs_root *root)
{
	const char *name;
	char *buf, *ret;

	buf = kcs_pathbuf_alloc(3 * PATH_MAX, GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	name = kcs_program_name_in(root, buf);
	ret = name ? kstrdup(name, GFP_KERNEL) ?: ERR_PTR(-ENOMEM) : NULL;
	kcs_pathbuf_free(buf, 3 * PATH_MAX);
	return ret;
}

/**
 * kcs_program_name_in() - kcs_program_name() formed in the caller's buffer
 * @root: the container's root
 * @buf: room for 3 * PATH_MAX bytes
 *
 * Allocates nothing and does not sleep: for the system call check, which
 * runs with preemption off.
 *
 * Return: the name, inside @buf, or NULL when there is none.
 */
const char *kcs_program_name_in(const struct kcs_root *root, char *buf)
{
	struct mm_struct *mm = current->mm;
	struct file *exe = mm ? kcs_mm_exe_file_get(mm) : NULL;
	const char *name;

	if (!exe)
		return NULL;
	name = kcs_path_name_locked(&exe->f_path, root, buf, false);
	fput(exe);
	return IS_ERR(name) ? NULL : name;
}

/* Room to form a program's name, per CPU, for checks that may not sleep. */
static char __percpu *kcs_prog_buf;
#define KCS_PROG_BUF	(3 * PATH_MAX)

/**
 * kcs_program_name_cpu() - kcs_program_name() formed in this CPU's buffer
 * @bound_cgid: the binding of the current task (struct kcs_bound)
 *
 * For checks in atomic context (the system call check) and for those that
 * choose not to sleep (the socket checks): allocates nothing. The caller
 * has preemption disabled, and is done with the name before enabling it.
 *
 * Return: the name, or NULL when the task's program has none (or the
 * binding no container root yet).
 */
const char *kcs_program_name_cpu(u64 bound_cgid)
{
	struct kcs_root *root = kcs_binding_root_peek(bound_cgid);
	const char *name = NULL;

	if (root) {
		name = kcs_program_name_in(root, this_cpu_ptr(kcs_prog_buf));
		kcs_root_put(root);
	}
	return name;
}

int kcs_roots_init(void)
{
	kcs_prog_buf = __alloc_percpu(KCS_PROG_BUF, 8);
	if (!kcs_prog_buf)
		return -ENOMEM;
	kcs_root_wq = alloc_workqueue("kcs_root", WQ_UNBOUND, 0);
	if (!kcs_root_wq) {
		free_percpu(kcs_prog_buf);
		return -ENOMEM;
	}
	return 0;
}

/* After every binding is gone and rcu_barrier(): frees what is queued. */
void kcs_roots_exit(void)
{
	destroy_workqueue(kcs_root_wq);
	free_percpu(kcs_prog_buf);
}
