// SPDX-License-Identifier: GPL-2.0
/*
 * The exec decision, made in the exec'ing task's own context from
 * security_bprm_check (see hook.c).
 *
 * What is matched is bprm->file, the file really being executed, by the
 * name that leads to it from the container's root (see exec_root.c: a
 * chroot or a mount of the container's own cannot rename it): symlinks are
 * already resolved, relative names and fexecve()/execveat() are covered,
 * and the check runs once for a #! script and again for its interpreter.
 * For busybox-style multi-call binaries the program that will run is
 * chosen by argv, so "<path>/<applet>" is matched too, with the applet
 * taken from argv exactly the way busybox takes it.
 * When the name or the applet cannot be told (no name leads to the file
 * from the container's root, argv unreadable), the exec is denied under
 * Enforce and reported under Audit with KCS_RULE_UNDECIDABLE: kcs fails
 * closed.
 */
#include <linux/binfmts.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "kcs.h"
#include "compat.h"

struct kcs_exec_buf {
	char path[PATH_MAX];
	struct kcs_applet_scan applet;
};

/*
 * The applet a multi-call binary will run (see applet.c): the new
 * program's argv strings are fed to the scanner page by page, straight
 * from its stack, for as long as busybox's logic needs them, whatever
 * their length. A string that cannot be read makes it KCS_APPLET_UNKNOWN.
 */
static void kcs_applet(struct linux_binprm *bprm, struct kcs_applet_scan *s)
{
	unsigned long pos = bprm->p;

	kcs_applet_scan_init(s, bprm->argc);
	while (s->result == KCS_APPLET_MORE) {
		size_t off = pos & ~PAGE_MASK, n = PAGE_SIZE - off;
		struct page *page;
		char *kaddr;
		long got;

		if (fatal_signal_pending(current))
			break;
		mmap_read_lock(bprm->mm);
		got = kcs_gup_remote_one(bprm->mm, pos, &page);
		mmap_read_unlock(bprm->mm);
		if (got <= 0)
			break;
		kaddr = kmap_local_page(page);
		kcs_applet_scan_feed(s, kaddr + off, n);
		kunmap_local(kaddr);
		put_page(page);
		pos += n;
		cond_resched();
	}
	if (s->result == KCS_APPLET_MORE)
		s->result = KCS_APPLET_UNKNOWN;
}

/*
 * The exec rules' verdict on @path (and "<path>/<applet>"), run by the
 * program @prog (NULL: none, or not asked for; see kcs_program_name()).
 */
void kcs_exec_decide(const struct kcs_profile *p, const char *prog,
		     const char *path, const char *applet,
		     struct kcs_verdict_info *v)
{
	size_t plen = strlen(path), alen = applet ? strlen(applet) : 0;
	u32 hit;

	hit = kcs_pset_match(&p->rules, prog, path, plen, applet, alen);
	if (p->exec_kind == KCS_EXEC_ALLOW) {
		v->deny = !hit;
		v->rule_kind = KCS_RULE_NOT_ALLOWED;
		v->rule = NULL;
		return;
	}
	v->deny = hit &&
		  !kcs_pset_match(&p->except, prog, path, plen, applet, alen);
	v->rule_kind = KCS_RULE_BLOCK;
	v->rule = kcs_pset_text(&p->rules, hit);
}

/*
 * One profile's denial of the exec rules (an exec, or a mapping): an
 * event, and -EPERM under Enforce, KCS_AUDITED under Audit (for the
 * caller's kcs_tally: counted once per exec or mapping).
 */
int kcs_exec_report(struct kcs_exec_event *ev)
{
	int ret = kcs_denial(ev->bound->mode, -EPERM, &ev->verdict);

	if (kcs_event_wanted())
		kcs_event_exec(ev);
	return ret;
}

static bool kcs_exec_applies(const struct kcs_profile *p)
{
	return p->exec_kind != KCS_EXEC_NONE;
}

/* Whether some exec pattern of @p is scoped to the program running it. */
static bool kcs_exec_scoped(const struct kcs_profile *p)
{
	return kcs_pset_scoped(&p->rules) || kcs_pset_scoped(&p->except);
}

/*
 * Every profile of the binding judges the exec, each in its own mode: an
 * Enforce denial by any of them denies (the first one's errno), and each
 * denial is an event naming its profile, so an Audit profile still
 * reports what an Enforce one denies.
 */
int kcs_exec_check(struct linux_binprm *bprm)
{
	const char *path, *applet = NULL;
	char *prog = NULL;
	struct kcs_exec_buf *buf;
	struct kcs_root *root;
	struct kcs_bound bound;
	struct kcs_tally t = { };
	bool undecidable = false, enforce, scoped_enforce;
	unsigned int i;
	int ret = 0;

	if (!kcs_binding_get_current(&bound))
		return 0;
	/*
	 * The binding's first exec gives it the container's root, whatever
	 * its profiles judge: file rules and blocked capabilities start there.
	 */
	if (!bound.started)
		kcs_root_put(kcs_binding_root(bound.bound_cgroup_id));
	if (!kcs_bound_any(&bound, kcs_exec_applies, &enforce))
		goto out_put;
	kcs_stat_inc(KCS_STAT_EXEC_CHECKED);

	buf = kcs_pathbuf_alloc(sizeof(*buf), GFP_KERNEL);
	if (!buf) {
		kcs_stat_inc(KCS_STAT_EXEC_ERRORS);
		/* Fail closed under Enforce: an unchecked exec is a hole. */
		ret = enforce ? -ENOMEM : 0;
		goto out_put;
	}
	root = kcs_binding_root(bound.bound_cgroup_id);
	path = root ? kcs_path_name(&bprm->file->f_path, root, buf->path,
				    sizeof(buf->path)) : ERR_PTR(-ENOMEM);
	/* The program exec'ing: until the point of no return, the old one. */
	if (root && kcs_bound_any(&bound, kcs_exec_scoped, &scoped_enforce))
		prog = kcs_program_name(root);
	kcs_root_put(root);
	if (IS_ERR(path)) {
		/* No name leads to this file from the container's root. */
		path = "";
		undecidable = true;
	} else if (kcs_is_multicall(path)) {
		kcs_applet(bprm, &buf->applet);
		if (buf->applet.result == KCS_APPLET_FOUND)
			applet = buf->applet.name;
		undecidable = buf->applet.result == KCS_APPLET_UNKNOWN;
	}
	if (IS_ERR(prog)) {
		prog = NULL;
		undecidable = true;
	}
	if (undecidable)
		kcs_stat_inc(KCS_STAT_EXEC_ERRORS);

	for (i = 0; i < bound.n; i++) {
		struct kcs_verdict_info v = { };

		kcs_bound_select(&bound, i);
		if (!kcs_exec_applies(bound.profile))
			continue;
		if (undecidable) {
			/* Denied under Enforce, never matched as another. */
			v.deny = true;
			v.rule_kind = KCS_RULE_UNDECIDABLE;
		} else {
			kcs_exec_decide(bound.profile, prog, path, applet, &v);
		}
		if (v.deny) {
			struct kcs_exec_event ev = {
				.bound = &bound,
				.hook = KCS_HOOK_EXEC,
				.rule_kind = v.rule_kind,
				.rule = v.rule,
				.path = path,
				.invoked = bprm->filename,
				.applet = applet,
			};

			kcs_tally_add(&t, kcs_exec_report(&ev));
		}
	}
	ret = kcs_tally_end(&t, KCS_STAT_EXEC_DENIED, KCS_STAT_EXEC_AUDITED);
	kfree(prog);
	kcs_pathbuf_free(buf, sizeof(*buf));
out_put:
	kcs_bound_put(&bound);
	return ret;
}
