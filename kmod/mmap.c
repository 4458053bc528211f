// SPDX-License-Identifier: GPL-2.0
/*
 * Executable file mappings: native code that runs without an exec of its
 * file. The dynamic loader run directly maps the program it is given,
 * LD_PRELOAD and dlopen() map libraries, and any process can mmap() a file
 * with PROT_EXEC or mprotect() a file mapping to it. Each is judged by the
 * exec rules, by the same trusted name as an exec (exec_root.c):
 *
 *  - block mode: a file the rules block (and the exclusions do not) is
 *    never mapped executable; a mapping without a trusted name (memfd, as
 *    JIT engines use) is let through: no block rule can name it;
 *  - allow mode, only with "libraries" (the profile opts in, so that allow
 *    lists written before keep working): a file is mapped executable only
 *    if the allow list or the libraries match it, and never without a
 *    trusted name.
 *
 * The program's own mappings at exec (the file is mm->exe_file) were
 * judged at exec. mprotect() runs under the mmap lock, where no path
 * lookup may be made: a mapping made executable there is judged by the
 * name the task sees, trusted only when the file's dentry chain up to the
 * container's root, on the same filesystem, spells that very name.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include "kcs.h"

static bool kcs_mmap_applies(const struct kcs_profile *p)
{
	return p->exec_kind == KCS_EXEC_BLOCK ||
	       (p->exec_kind == KCS_EXEC_ALLOW && p->libs.blob);
}

u32 kcs_mmap_hooks(const struct kcs_profile *p)
{
	return kcs_mmap_applies(p) ? BIT(KCS_HOOK_MMAP) : 0;
}

/* The file of the program itself, which its exec judged. */
static bool kcs_is_own_program(struct file *file)
{
	struct mm_struct *mm = current->mm;
	struct file *exe;
	bool same = false;

	if (!mm)
		return false;
	rcu_read_lock();
	exe = rcu_dereference(mm->exe_file);
	if (exe)
		same = file_inode(exe) == file_inode(file);
	rcu_read_unlock();
	return same;
}

/* Under the mmap lock: see kcs_path_name_locked(). @buf: 3 * PATH_MAX. */
static const char *kcs_mapped_name_locked(struct file *file, u64 bound_cgid,
					  char *buf)
{
	struct kcs_root *root = kcs_binding_root(bound_cgid);
	const char *name;

	if (!root)
		return ERR_PTR(-ENOMEM);
	name = kcs_path_name_locked(&file->f_path, root, buf, false);
	kcs_root_put(root);
	return name;
}

/* One profile's verdict on a mapping of @name (an ERR_PTR: no name). */
static void kcs_mapping_decide(const struct kcs_profile *p, const char *name,
			       struct kcs_verdict_info *v)
{
	if (IS_ERR(name)) {
		/* Nothing a block rule names; allow lists name all they allow. */
		v->deny = p->exec_kind == KCS_EXEC_ALLOW;
		v->rule_kind = KCS_RULE_UNDECIDABLE;
		return;
	}
	/* Mappings are judged for no program: scoped patterns never match. */
	kcs_exec_decide(p, NULL, name, NULL, v);
	if (v->deny && p->exec_kind == KCS_EXEC_ALLOW &&
	    kcs_pset_match(&p->libs, NULL, name, strlen(name), NULL, 0))
		v->deny = false;
}

/* Every profile of the binding judges, as for exec (see exec.c). */
static int kcs_mapping_check(struct file *file, bool locked)
{
	struct kcs_root *root;
	struct kcs_bound bound;
	const char *name;
	struct kcs_tally t = { };
	unsigned int i;
	bool enforce;
	size_t size;
	char *buf;
	int ret = 0;

	if (!kcs_binding_get_current(&bound))
		return 0;
	if (!kcs_bound_any(&bound, kcs_mmap_applies, &enforce) ||
	    kcs_is_own_program(file))
		goto out_put;
	size = locked ? 3 * PATH_MAX : PATH_MAX;
	buf = kcs_pathbuf_alloc(size, GFP_KERNEL);
	if (!buf) {
		kcs_stat_inc(KCS_STAT_EXEC_ERRORS);
		ret = enforce ? -ENOMEM : 0;
		goto out_put;
	}
	if (locked) {
		name = kcs_mapped_name_locked(file, bound.bound_cgroup_id, buf);
	} else {
		root = kcs_binding_root(bound.bound_cgroup_id);
		name = root ? kcs_path_name(&file->f_path, root, buf, PATH_MAX) :
		       ERR_PTR(-ENOMEM);
		kcs_root_put(root);
	}
	for (i = 0; i < bound.n; i++) {
		struct kcs_verdict_info v = { };

		kcs_bound_select(&bound, i);
		if (!kcs_mmap_applies(bound.profile))
			continue;
		kcs_mapping_decide(bound.profile, name, &v);
		if (v.deny) {
			struct kcs_exec_event ev = {
				.bound = &bound,
				.hook = KCS_HOOK_MMAP,
				.rule_kind = v.rule_kind,
				.rule = v.rule,
				.path = IS_ERR(name) ? "" : name,
				.invoked = "",
			};

			kcs_tally_add(&t, kcs_exec_report(&ev));
		}
	}
	ret = kcs_tally_end(&t, KCS_STAT_EXEC_DENIED, KCS_STAT_EXEC_AUDITED);
	kcs_pathbuf_free(buf, size);
out_put:
	kcs_bound_put(&bound);
	return ret;
}

/* security_mmap_file(): before the mmap lock is taken. */
int kcs_mmap_check(struct file *file, unsigned long prot)
{
	if (!file || !(prot & PROT_EXEC))
		return 0;
	return kcs_mapping_check(file, false);
}

/* security_file_mprotect(): a file mapping that becomes executable. */
int kcs_mprotect_check(struct vm_area_struct *vma, unsigned long prot)
{
	if (!(prot & PROT_EXEC) || (vma->vm_flags & VM_EXEC) || !vma->vm_file)
		return 0;
	return kcs_mapping_check(vma->vm_file, true);
}
