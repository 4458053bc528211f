// SPDX-License-Identifier: GPL-2.0
/*
 * Bindings: cgroup v2 id -> up to KCS_BIND_PROFILES_MAX (profile slot,
 * mode) pairs, every one of which decides (see struct kcs_bound).
 *
 * A binding covers its cgroup and every descendant; the nearest bound
 * ancestor wins, so a task's lookup walks from its own cgroup up to the
 * root. Readers are hooks under RCU; writers hold kcs_config_lock. While
 * nothing is bound a static key keeps every task off this path entirely.
 */
#include <linux/cgroup.h>
#include <linux/hashtable.h>
#include <linux/jump_label.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <net/netlink.h>
#include "kcs.h"

struct kcs_binding {
	struct hlist_node node;
	u64 cgid;
	u64 caps;			/* KCS_A_CAPS_BLOCK, under mode[0] */
	unsigned int n;			/* slot[0..n), mode[0..n) */
	struct kcs_slot *slot[KCS_BIND_PROFILES_MAX];
	u32 mode[KCS_BIND_PROFILES_MAX];
	struct kcs_rate events;		/* event_rate_cgroup's budget */
	/*
	 * The container's root (see exec_root.c): set at bind, or once by the
	 * first exec, swapped for KCS_ROOT_GONE when the binding goes. The
	 * binding holds a reference; cmpxchg/xchg order the initialisation.
	 */
	struct kcs_root *root;
	struct rcu_head rcu;
};

/* A removed binding's root: no capture may install one any more. */
#define KCS_ROOT_GONE	((struct kcs_root *)1)

#define KCS_BIND_HASH_BITS 12	/* 4,096 buckets: at most 4 bindings a chain, on average */
static DEFINE_HASHTABLE(kcs_bindings, KCS_BIND_HASH_BITS);
static unsigned int kcs_nbindings;
/* Bindings that block capabilities: the capable hook is needed while > 0. */
static unsigned int kcs_ncaps;
static DEFINE_STATIC_KEY_FALSE(kcs_any_binding);

static struct kcs_binding *kcs_binding_find(u64 cgid)
{
	struct kcs_binding *b;

	hash_for_each_possible_rcu(kcs_bindings, b, node, cgid,
				   lockdep_is_held(&kcs_config_lock))
		if (b->cgid == cgid)
			return b;
	return NULL;
}

/* Under RCU: the binding that covers @cgrp, or NULL. */
static struct kcs_binding *kcs_binding_covering(struct cgroup *cgrp)
{
	struct kcs_binding *b;

	for (; cgrp; cgrp = cgroup_parent(cgrp)) {
		b = kcs_binding_find(cgroup_id(cgrp));
		if (b)
			return b;
	}
	return NULL;
}

/*
 * Each binding has its own event budget, so that one flooding container
 * cannot use up the events of the others. Looked up again by id rather
 * than carried in struct kcs_bound: the binding may be replaced or freed
 * between the decision and the event, its id stays meaningful.
 */
bool kcs_binding_rate_take(u64 bound_cgid, unsigned int rate)
{
	struct kcs_binding *b;
	bool ok = true;

	if (!rate)
		return true;
	rcu_read_lock();
	b = kcs_binding_find(bound_cgid);
	if (b)
		ok = kcs_rate_take(&b->events, rate);
	rcu_read_unlock();
	return ok;
}

/* Called from the ftrace callback: atomic, must stay cheap. */
bool kcs_current_maybe_bound(void)
{
	bool bound;

	if (!static_branch_unlikely(&kcs_any_binding))
		return false;
	rcu_read_lock();
	bound = !!kcs_binding_covering(task_dfl_cgroup(current));
	rcu_read_unlock();
	return bound;
}

/**
 * kcs_binding_get_current() - the binding covering the current task
 * @out: filled with every profile of the binding, referenced, the first
 *	 one selected (kcs_bound_select())
 *
 * Return: false when the task is not bound; otherwise true, and the
 * caller must kcs_bound_put(@out).
 */
bool kcs_binding_get_current(struct kcs_bound *out)
{
	struct kcs_binding *b;
	struct cgroup *cgrp;
	struct kcs_profile *p;
	unsigned int i;

	if (!static_branch_unlikely(&kcs_any_binding))
		return false;
	out->n = 0;
	rcu_read_lock();
	cgrp = task_dfl_cgroup(current);
	b = kcs_binding_covering(cgrp);
	if (b) {
		for (i = 0; i < b->n; i++) {
			/* A bound slot always has a profile (no delete). */
			p = kcs_slot_get_profile(b->slot[i]);
			if (!p)
				continue;
			out->profiles[out->n] = p;
			out->modes[out->n++] = b->mode[i];
		}
		out->cgroup_id = cgroup_id(cgrp);
		out->bound_cgroup_id = b->cgid;
		out->caps_block = b->caps;
		out->started = !!READ_ONCE(b->root);
	}
	rcu_read_unlock();
	if (!out->n)
		return false;
	kcs_bound_select(out, 0);
	return true;
}

void kcs_bound_put(struct kcs_bound *b)
{
	unsigned int i;

	for (i = 0; i < b->n; i++)
		kcs_profile_put(b->profiles[i]);
	b->n = 0;
}

/* The live cgroup with this id, referenced, or NULL (none, or removed). */
static struct cgroup *kcs_cgroup_live(u64 cgid)
{
	struct cgroup *cgrp = cgroup_get_from_id(cgid);

	if (IS_ERR(cgrp))
		return NULL;
	if (!(READ_ONCE(cgrp->self.flags) & CSS_ONLINE)) {	/* rmdir'd */
		cgroup_put(cgrp);
		return NULL;
	}
	return cgrp;
}

static int kcs_cgroup_check(u64 cgid, struct netlink_ext_ack *extack)
{
	struct cgroup *cgrp = kcs_cgroup_live(cgid);
	bool root;

	if (!cgrp) {
		kcs_extack_set(extack, "no cgroup v2 directory has this id");
		return -ENOENT;
	}
	root = !cgroup_parent(cgrp);
	cgroup_put(cgrp);
	if (root) {
		/* Every task of the host, kcsadm and init included. */
		kcs_extack_set(extack,
			       "the root cgroup cannot be bound: bind a container's cgroup");
		return -EINVAL;
	}
	return 0;
}

/* Take a going binding's root (NULL if it had none); none can come later. */
static struct kcs_root *kcs_binding_take_root(struct kcs_binding *b)
{
	struct kcs_root *r = xchg(&b->root, KCS_ROOT_GONE);

	return r == KCS_ROOT_GONE ? NULL : r;
}

/*
 * The table part of a bind: add or replace the binding of @cgid. Pure
 * bookkeeping on the hash table, the slot counts and the static key (the
 * KUnit suite in tests/binding_kunit.c runs it without cgroups or hooks).
 * @root: the container's root, or NULL to keep the one a rebind finds (a
 * new binding captures it at its first exec); consumed either way.
 */
static int kcs_binding_set(u64 cgid, struct kcs_slot *const *slot,
			   const u32 *mode, unsigned int n, u64 caps,
			   struct kcs_root *root,
			   struct netlink_ext_ack *extack)
{
	struct kcs_binding *old, *b;
	struct kcs_root *old_root;
	unsigned int i;

	lockdep_assert_held(&kcs_config_lock);
	old = kcs_binding_find(cgid);
	if (!old && kcs_nbindings >= KCS_MAX_BINDINGS) {
		kcs_extack_set(extack, "too many bindings (KCS_MAX_BINDINGS)");
		kcs_root_put(root);
		return -ENOSPC;
	}
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b) {
		kcs_root_put(root);
		return -ENOMEM;
	}
	b->cgid = cgid;
	b->caps = caps;
	b->n = n;
	for (i = 0; i < n; i++) {
		b->slot[i] = slot[i];
		b->mode[i] = mode[i];
		kcs_slot_bind_count(slot[i], 1);
	}
	b->root = root;
	kcs_ncaps += !!caps;
	if (old) {
		/* A profile or mode change keeps the container's root. */
		old_root = kcs_binding_take_root(old);
		if (!b->root)
			b->root = old_root;
		else
			kcs_root_put(old_root);
		/* Readers see the old binding or the new one, never none. */
		hlist_replace_rcu(&old->node, &b->node);
		for (i = 0; i < old->n; i++)
			kcs_slot_bind_count(old->slot[i], -1);
		kcs_ncaps -= !!old->caps;
		kfree_rcu(old, rcu);
		return 0;
	}
	hash_add_rcu(kcs_bindings, &b->node, cgid);
	if (kcs_nbindings++ == 0)
		static_branch_enable(&kcs_any_binding);
	return 0;
}

static void kcs_binding_remove(struct kcs_binding *b)
{
	unsigned int i;

	kcs_root_put(kcs_binding_take_root(b));
	hash_del_rcu(&b->node);
	for (i = 0; i < b->n; i++)
		kcs_slot_bind_count(b->slot[i], -1);
	kcs_ncaps -= !!b->caps;
	kfree_rcu(b, rcu);
	if (--kcs_nbindings == 0)
		static_branch_disable(&kcs_any_binding);
}

/**
 * kcs_bindings_sweep() - drop the bindings of removed cgroups
 *
 * cgroup ids are never reused, so such a binding can never match again,
 * but it would hold one of KCS_MAX_BINDINGS and its profile for ever.
 * Called under kcs_config_lock before every bind and every listing.
 */
void kcs_bindings_sweep(void)
{
	struct hlist_node *tmp;
	struct kcs_binding *b;
	struct cgroup *cgrp;
	bool gone = false;
	int bkt;

	lockdep_assert_held(&kcs_config_lock);
	hash_for_each_safe(kcs_bindings, bkt, tmp, b, node) {
		cgrp = kcs_cgroup_live(b->cgid);
		if (cgrp) {
			cgroup_put(cgrp);
			continue;
		}
		kcs_binding_remove(b);
		gone = true;
	}
	if (gone)
		kcs_hooks_trim(kcs_bound_hooks());
}

/**
 * kcs_bind() - bind or rebind a cgroup to one or more profiles
 * @cgid: the cgroup v2 id
 * @spec: the profiles (1..KCS_BIND_PROFILES_MAX, no name twice), each with
 *	  its mode, and the capabilities blocked
 * @root: the container's root, or NULL (consumed)
 * @extack: where a refusal is explained
 *
 * All or nothing: a refused bind leaves the cgroup's binding as it was.
 *
 * Return: 0 or a negative errno.
 */
int kcs_bind(u64 cgid, const struct kcs_bind_spec *spec,
	     struct kcs_root *root, struct netlink_ext_ack *extack)
{
	struct kcs_slot *slot[KCS_BIND_PROFILES_MAX];
	u32 need = spec->caps ? BIT(KCS_HOOK_CAPABLE) : 0;
	unsigned int i, k;
	int err = -EINVAL;

	lockdep_assert_held(&kcs_config_lock);
	if (!spec->n || spec->n > KCS_BIND_PROFILES_MAX) {
		kcs_extack_set(extack,
			       "a binding has 1 to KCS_BIND_PROFILES_MAX profiles");
		goto err_put;
	}
	kcs_bindings_sweep();
	for (i = 0; i < spec->n; i++) {
		slot[i] = kcs_slot_find(spec->name[i]);
		if (!slot[i]) {
			kcs_extack_set(extack, "no profile with this name");
			err = -ENOENT;
			goto err_put;
		}
		for (k = 0; k < i; k++) {
			if (slot[k] == slot[i]) {
				kcs_extack_set(extack,
					       "a profile is named twice");
				goto err_put;
			}
		}
		need |= kcs_slot_hooks(slot[i]);
	}
	err = kcs_cgroup_check(cgid, extack);
	if (err)
		goto err_put;
	/* Hooks first: a published binding's tasks must not pass unchecked. */
	err = kcs_hooks_add(need, extack);
	for (i = 0; !err && i < spec->n; i++)
		err = kcs_sys_hooks_add(kcs_slot_profile_locked(slot[i]),
					extack);
	if (err) {
		kcs_hooks_trim(kcs_bound_hooks());
		goto err_put;
	}
	err = kcs_binding_set(cgid, slot, spec->mode, spec->n, spec->caps,
			      root, extack);
	/* A rebind may leave hooks unused; a failed bind added some for nothing. */
	kcs_hooks_trim(kcs_bound_hooks());
	return err;
err_put:
	kcs_root_put(root);
	return err;
}

/**
 * kcs_binding_root_peek() - the container root of a binding, if it has one
 * @bound_cgid: the binding's cgroup id (struct kcs_bound)
 *
 * Unlike kcs_binding_root() it never takes the caller's root: it allocates
 * nothing, for checks in atomic context.
 *
 * Return: the root (kcs_root_put() it), or NULL.
 */
struct kcs_root *kcs_binding_root_peek(u64 bound_cgid)
{
	struct kcs_root *r = NULL, *cur;
	struct kcs_binding *b;

	rcu_read_lock();
	b = kcs_binding_find(bound_cgid);
	if (b) {
		cur = READ_ONCE(b->root);
		if (cur && cur != KCS_ROOT_GONE)
			r = kcs_root_get(cur);
	}
	rcu_read_unlock();
	return r;
}

/**
 * kcs_binding_root() - the container root of a binding, referenced
 * @bound_cgid: the binding's cgroup id (struct kcs_bound)
 *
 * A binding made without one takes the root of the first task that execs
 * in it (see exec_root.c). A binding going away meanwhile lends the
 * caller its own root for this one decision.
 *
 * Return: the root (kcs_root_put() it), or NULL without memory.
 */
struct kcs_root *kcs_binding_root(u64 bound_cgid)
{
	struct kcs_root *r = kcs_binding_root_peek(bound_cgid), *mine, *cur;
	struct kcs_binding *b;

	if (r)
		return r;
	mine = kcs_root_current();
	if (!mine)
		return NULL;
	rcu_read_lock();
	b = kcs_binding_find(bound_cgid);
	if (b) {
		kcs_root_get(mine);	/* the binding's reference */
		cur = cmpxchg(&b->root, NULL, mine);
		if (cur) {		/* another exec won, or it is going */
			kcs_root_put(mine);
			if (cur != KCS_ROOT_GONE)
				r = kcs_root_get(cur);
		}
	}
	rcu_read_unlock();
	if (r) {
		kcs_root_put(mine);
		return r;
	}
	return mine;
}

int kcs_unbind(u64 cgid, struct netlink_ext_ack *extack)
{
	struct kcs_binding *b;

	lockdep_assert_held(&kcs_config_lock);
	b = kcs_binding_find(cgid);
	if (!b) {
		kcs_extack_set(extack, "this cgroup is not bound");
		return -ENOENT;
	}
	kcs_binding_remove(b);
	kcs_hooks_trim(kcs_bound_hooks());
	return 0;
}

unsigned int kcs_binding_count(void)
{
	return READ_ONCE(kcs_nbindings);
}

/**
 * kcs_binding_next() - the binding at a dump's cursor
 * @cur: the cursor: a hash bucket, and how many of its bindings were given
 * @info: filled with the binding
 *
 * A dump resumes where it stopped, in O(1) buckets, instead of counting
 * from the first binding again each time (which made a dump of n bindings
 * cost O(n^2) under the configuration lock). As with any netlink dump, a
 * binding added or removed between two parts may be missed or given twice.
 *
 * Return: true with @cur moved past the binding, false at the end.
 */
bool kcs_binding_next(struct kcs_bind_cursor *cur, struct kcs_bind_info *info)
{
	struct kcs_binding *b;
	unsigned long i;
	unsigned int k;

	lockdep_assert_held(&kcs_config_lock);
	for (; cur->bkt < HASH_SIZE(kcs_bindings); cur->bkt++, cur->pos = 0) {
		i = 0;
		hlist_for_each_entry(b, &kcs_bindings[cur->bkt], node) {
			if (i++ < cur->pos)
				continue;
			info->cgid = b->cgid;
			info->caps = b->caps;
			info->n = b->n;
			for (k = 0; k < b->n; k++) {
				info->mode[k] = b->mode[k];
				strscpy(info->name[k], kcs_slot_name(b->slot[k]),
					KCS_NAME_MAX);
			}
			cur->pos++;
			return true;
		}
	}
	return false;
}

/* The hooks the bindings themselves need (see kcs_bound_hooks()). */
u32 kcs_binding_hooks(void)
{
	lockdep_assert_held(&kcs_config_lock);
	return kcs_ncaps ? BIT(KCS_HOOK_CAPABLE) : 0;
}

/* At unload, after kcs_hooks_exit(): nothing left to trim. */
void kcs_bindings_free_all(void)
{
	struct hlist_node *tmp;
	struct kcs_binding *b;
	int bkt;

	mutex_lock(&kcs_config_lock);
	hash_for_each_safe(kcs_bindings, bkt, tmp, b, node)
		kcs_binding_remove(b);
	mutex_unlock(&kcs_config_lock);
}
