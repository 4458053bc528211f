// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the binding table (kmod/binding.c): the cgroup id ->
 * binding hash, "nearest bound ancestor wins", rebinding in place, the
 * KCS_MAX_BINDINGS limit, the slot counts (several profiles in one
 * binding), the static key and each binding's own event budget.
 *
 * binding.c is compiled into this file, so its static functions are
 * reachable and its table is this module's own. It needs no live cgroup:
 * the lookup reads only cgroup_id() (cgrp->kn->id) and cgroup_parent()
 * (cgrp->self.parent), so a few zeroed struct cgroup with those two fields
 * set make a tree. What binding.c needs from the rest of kcs.ko (slots,
 * hooks, extack) is stubbed below; kcs_bind() itself, which also checks a
 * real cgroup id, is left to the selftests.
 */
#include <kunit/test.h>
#include <linux/cgroup.h>
#include <linux/delay.h>
#include <linux/kernfs.h>
#include "../binding.c"

/* ---- stubs for the rest of kcs.ko */
struct kcs_slot {
	u32 nbindings;
	const char *name;
};

/* As in profile.c: what binding.c's writers must hold. */
DEFINE_MUTEX(kcs_config_lock);

struct kcs_slot *kcs_slot_find(const char *name)
{
	return NULL;
}

struct kcs_profile *kcs_slot_get_profile(struct kcs_slot *slot)
{
	return NULL;
}

void kcs_profile_put(struct kcs_profile *p)
{
}

void kcs_slot_bind_count(struct kcs_slot *slot, int delta)
{
	slot->nbindings += delta;
}

const char *kcs_slot_name(struct kcs_slot *slot)
{
	return slot->name;
}

u32 kcs_slot_hooks(struct kcs_slot *slot)
{
	return 0;
}

u32 kcs_bound_hooks(void)
{
	return 0;
}

int kcs_hooks_add(u32 need, struct netlink_ext_ack *extack)
{
	return 0;
}

void kcs_hooks_trim(u32 keep)
{
}

struct kcs_profile *kcs_slot_profile_locked(struct kcs_slot *slot)
{
	return NULL;
}

int kcs_sys_hooks_add(const struct kcs_profile *p,
		      struct netlink_ext_ack *extack)
{
	return 0;
}

void kcs_extack_set(struct netlink_ext_ack *extack, const char *msg)
{
}

/* No container roots here: bindings made without one keep none. */
struct kcs_root *kcs_root_current(void)
{
	return NULL;
}

struct kcs_root *kcs_root_get(struct kcs_root *r)
{
	return r;
}

void kcs_root_put(struct kcs_root *r)
{
}

/* ---- helpers */
static struct cgroup *fake_cgroup(struct kunit *test, u64 id,
				  struct cgroup *parent)
{
	struct cgroup *cg = kunit_kzalloc(test, sizeof(*cg), GFP_KERNEL);
	struct kernfs_node *kn = kunit_kzalloc(test, sizeof(*kn), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, cg);
	KUNIT_ASSERT_NOT_NULL(test, kn);
	kn->id = id;
	cg->kn = kn;
	cg->self.parent = parent ? &parent->self : NULL;
	KUNIT_ASSERT_EQ(test, cgroup_id(cg), id);
	KUNIT_ASSERT_PTR_EQ(test, cgroup_parent(cg), parent);
	return cg;
}

static int bind_id(u64 cgid, struct kcs_slot *slot, u32 mode)
{
	int err;

	mutex_lock(&kcs_config_lock);
	err = kcs_binding_set(cgid, &slot, &mode, 1, 0, NULL, NULL);
	mutex_unlock(&kcs_config_lock);
	return err;
}

static int unbind_id(u64 cgid)
{
	int err;

	mutex_lock(&kcs_config_lock);
	err = kcs_unbind(cgid, NULL);
	mutex_unlock(&kcs_config_lock);
	return err;
}

/* The cgroup id of the binding covering @cg (0: none), its mode and slot. */
static u64 covering(struct cgroup *cg, u32 *mode, struct kcs_slot **slot)
{
	struct kcs_binding *b;
	u64 id = 0;

	rcu_read_lock();
	b = kcs_binding_covering(cg);
	if (b) {
		id = b->cgid;
		*mode = b->mode[0];
		*slot = b->slot[0];
	}
	rcu_read_unlock();
	return id;
}

/* Not on a case's stack: the exit hook still counts on them after a failure. */
static struct kcs_slot s1 = { .name = "one" }, s2 = { .name = "two" };

static int binding_init(struct kunit *test)
{
	s1.nbindings = 0;
	s2.nbindings = 0;
	return 0;
}

static void binding_exit(struct kunit *test)
{
	kcs_bindings_free_all();
}

/* ---- cases */
static void binding_nearest_ancestor(struct kunit *test)
{
	struct cgroup *root, *a, *b, *c, *d;
	struct kcs_slot *slot = NULL;
	u32 mode = 0;

	/* root(1) -> a(100) -> b(101) -> c(102); root -> d(200) */
	root = fake_cgroup(test, 1, NULL);
	a = fake_cgroup(test, 100, root);
	b = fake_cgroup(test, 101, a);
	c = fake_cgroup(test, 102, b);
	d = fake_cgroup(test, 200, root);

	KUNIT_EXPECT_FALSE(test, static_key_enabled(&kcs_any_binding));
	KUNIT_EXPECT_EQ(test, covering(c, &mode, &slot), 0ULL);

	KUNIT_ASSERT_EQ(test, bind_id(100, &s1, KCS_MODE_AUDIT), 0);
	KUNIT_EXPECT_TRUE(test, static_key_enabled(&kcs_any_binding));
	KUNIT_EXPECT_EQ(test, covering(a, &mode, &slot), 100ULL);
	KUNIT_EXPECT_EQ(test, covering(c, &mode, &slot), 100ULL);
	KUNIT_EXPECT_EQ(test, mode, (u32)KCS_MODE_AUDIT);
	KUNIT_EXPECT_PTR_EQ(test, slot, &s1);
	KUNIT_EXPECT_EQ(test, covering(d, &mode, &slot), 0ULL);
	KUNIT_EXPECT_EQ(test, covering(root, &mode, &slot), 0ULL);

	/* A nearer binding wins below it, not above or beside it. */
	KUNIT_ASSERT_EQ(test, bind_id(101, &s2, KCS_MODE_ENFORCE), 0);
	KUNIT_EXPECT_EQ(test, covering(c, &mode, &slot), 101ULL);
	KUNIT_EXPECT_EQ(test, mode, (u32)KCS_MODE_ENFORCE);
	KUNIT_EXPECT_PTR_EQ(test, slot, &s2);
	KUNIT_EXPECT_EQ(test, covering(b, &mode, &slot), 101ULL);
	KUNIT_EXPECT_EQ(test, covering(a, &mode, &slot), 100ULL);
	KUNIT_EXPECT_EQ(test, covering(d, &mode, &slot), 0ULL);

	/* The root covers what nothing nearer does. */
	KUNIT_ASSERT_EQ(test, bind_id(1, &s1, KCS_MODE_AUDIT), 0);
	KUNIT_EXPECT_EQ(test, covering(d, &mode, &slot), 1ULL);
	KUNIT_EXPECT_EQ(test, covering(c, &mode, &slot), 101ULL);
	KUNIT_EXPECT_EQ(test, kcs_binding_count(), 3U);
	KUNIT_EXPECT_EQ(test, s1.nbindings, 2U);
	KUNIT_EXPECT_EQ(test, s2.nbindings, 1U);

	/* Unbinding the nearest uncovers the next one up. */
	KUNIT_EXPECT_EQ(test, unbind_id(101), 0);
	KUNIT_EXPECT_EQ(test, covering(c, &mode, &slot), 100ULL);
	KUNIT_EXPECT_EQ(test, unbind_id(101), -ENOENT);
	KUNIT_EXPECT_EQ(test, unbind_id(100), 0);
	KUNIT_EXPECT_EQ(test, covering(c, &mode, &slot), 1ULL);
	KUNIT_EXPECT_EQ(test, unbind_id(1), 0);
	KUNIT_EXPECT_EQ(test, covering(c, &mode, &slot), 0ULL);
	KUNIT_EXPECT_EQ(test, kcs_binding_count(), 0U);
	KUNIT_EXPECT_EQ(test, s1.nbindings, 0U);
	KUNIT_EXPECT_EQ(test, s2.nbindings, 0U);
	KUNIT_EXPECT_FALSE(test, static_key_enabled(&kcs_any_binding));
}

static void binding_rebind_in_place(struct kunit *test)
{
	struct cgroup *root = fake_cgroup(test, 1, NULL);
	struct cgroup *a = fake_cgroup(test, 7, root);
	struct kcs_slot *slot = NULL;
	struct kcs_bind_info bi = { .caps = 1 };
	struct kcs_bind_cursor cur = { };
	u32 mode = 0;
	bool found;

	KUNIT_ASSERT_EQ(test, bind_id(7, &s1, KCS_MODE_AUDIT), 0);
	KUNIT_ASSERT_EQ(test, bind_id(7, &s2, KCS_MODE_ENFORCE), 0);
	KUNIT_EXPECT_EQ(test, kcs_binding_count(), 1U);
	KUNIT_EXPECT_EQ(test, s1.nbindings, 0U);
	KUNIT_EXPECT_EQ(test, s2.nbindings, 1U);
	KUNIT_EXPECT_EQ(test, covering(a, &mode, &slot), 7ULL);
	KUNIT_EXPECT_EQ(test, mode, (u32)KCS_MODE_ENFORCE);
	KUNIT_EXPECT_PTR_EQ(test, slot, &s2);

	mutex_lock(&kcs_config_lock);
	found = kcs_binding_next(&cur, &bi);
	KUNIT_EXPECT_FALSE(test, kcs_binding_next(&cur, &bi));
	mutex_unlock(&kcs_config_lock);
	KUNIT_EXPECT_TRUE(test, found);
	KUNIT_EXPECT_EQ(test, bi.cgid, 7ULL);
	KUNIT_EXPECT_EQ(test, bi.caps, 0ULL);
	KUNIT_EXPECT_EQ(test, bi.n, 1U);
	KUNIT_EXPECT_STREQ(test, bi.name[0], "two");
	KUNIT_EXPECT_TRUE(test, static_key_enabled(&kcs_any_binding));
}

/* A binding of several profiles counts each; a rebind to one drops them. */
static void binding_several_profiles(struct kunit *test)
{
	struct kcs_slot *two[] = { &s1, &s2 };
	u32 modes[] = { KCS_MODE_ENFORCE, KCS_MODE_AUDIT };
	struct kcs_bind_info bi = { };
	struct kcs_bind_cursor cur = { };
	int err;

	mutex_lock(&kcs_config_lock);
	err = kcs_binding_set(9, two, modes, 2, 0, NULL, NULL);
	mutex_unlock(&kcs_config_lock);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, s1.nbindings, 1U);
	KUNIT_EXPECT_EQ(test, s2.nbindings, 1U);

	mutex_lock(&kcs_config_lock);
	KUNIT_EXPECT_TRUE(test, kcs_binding_next(&cur, &bi));
	mutex_unlock(&kcs_config_lock);
	KUNIT_EXPECT_EQ(test, bi.n, 2U);
	KUNIT_EXPECT_STREQ(test, bi.name[0], "one");
	KUNIT_EXPECT_EQ(test, bi.mode[0], (u32)KCS_MODE_ENFORCE);
	KUNIT_EXPECT_STREQ(test, bi.name[1], "two");
	KUNIT_EXPECT_EQ(test, bi.mode[1], (u32)KCS_MODE_AUDIT);

	KUNIT_ASSERT_EQ(test, bind_id(9, &s2, KCS_MODE_ENFORCE), 0);
	KUNIT_EXPECT_EQ(test, s1.nbindings, 0U);
	KUNIT_EXPECT_EQ(test, s2.nbindings, 1U);
	KUNIT_EXPECT_EQ(test, unbind_id(9), 0);
	KUNIT_EXPECT_EQ(test, s2.nbindings, 0U);
}

/* Every id in a full table (chained buckets) finds its own binding. */
static void binding_full_table(struct kunit *test)
{
	struct kcs_binding *b;
	u64 id;
	u32 i;

	for (i = 0; i < KCS_MAX_BINDINGS; i++)
		KUNIT_ASSERT_EQ(test, bind_id(1000 + 3 * (u64)i, &s1,
					      KCS_MODE_AUDIT), 0);
	KUNIT_EXPECT_EQ(test, kcs_binding_count(), (unsigned int)KCS_MAX_BINDINGS);
	KUNIT_EXPECT_EQ(test, bind_id(999, &s1, KCS_MODE_AUDIT), -ENOSPC);
	/* A rebind adds nothing: allowed at the limit. */
	KUNIT_EXPECT_EQ(test, bind_id(1000, &s1, KCS_MODE_ENFORCE), 0);
	KUNIT_EXPECT_EQ(test, s1.nbindings, (u32)KCS_MAX_BINDINGS);

	rcu_read_lock();
	for (i = 0; i < KCS_MAX_BINDINGS; i++) {
		id = 1000 + 3 * (u64)i;
		b = kcs_binding_find(id);
		if (!b || b->cgid != id) {
			KUNIT_FAIL(test, "id %llu not found", id);
			break;
		}
		if (kcs_binding_find(id + 1)) {
			KUNIT_FAIL(test, "id %llu found, never bound", id + 1);
			break;
		}
	}
	rcu_read_unlock();

	KUNIT_EXPECT_EQ(test, unbind_id(1000 + 3 * 17), 0);
	KUNIT_EXPECT_EQ(test, bind_id(999, &s1, KCS_MODE_AUDIT), 0);
	kcs_bindings_free_all();
	KUNIT_EXPECT_EQ(test, kcs_binding_count(), 0U);
	KUNIT_EXPECT_EQ(test, s1.nbindings, 0U);
	KUNIT_EXPECT_FALSE(test, static_key_enabled(&kcs_any_binding));
}

/* Each binding has its own event budget; an id no binding has, none. */
static void binding_event_budget(struct kunit *test)
{
	int i;

	KUNIT_ASSERT_EQ(test, bind_id(100, &s1, KCS_MODE_AUDIT), 0);
	KUNIT_ASSERT_EQ(test, bind_id(200, &s2, KCS_MODE_AUDIT), 0);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_TRUE(test, kcs_binding_rate_take(100, 3));
	KUNIT_EXPECT_FALSE(test, kcs_binding_rate_take(100, 3));
	KUNIT_EXPECT_FALSE(test, kcs_binding_rate_take(100, 3));
	/* The other binding's budget is untouched by the first one's. */
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_TRUE(test, kcs_binding_rate_take(200, 3));
	KUNIT_EXPECT_FALSE(test, kcs_binding_rate_take(200, 3));
	/* No limit; no binding (it went between decision and event). */
	KUNIT_EXPECT_TRUE(test, kcs_binding_rate_take(100, 0));
	KUNIT_EXPECT_TRUE(test, kcs_binding_rate_take(300, 1));
	/* A window is one second: the next one has the budget again. */
	msleep(1100);
	KUNIT_EXPECT_TRUE(test, kcs_binding_rate_take(100, 3));
	/* Unbound and bound again: a new binding, a new budget. */
	KUNIT_EXPECT_EQ(test, unbind_id(200), 0);
	KUNIT_ASSERT_EQ(test, bind_id(200, &s2, KCS_MODE_AUDIT), 0);
	KUNIT_EXPECT_TRUE(test, kcs_binding_rate_take(200, 3));
}

static struct kunit_case binding_cases[] = {
	KUNIT_CASE(binding_nearest_ancestor),
	KUNIT_CASE(binding_rebind_in_place),
	KUNIT_CASE(binding_several_profiles),
	KUNIT_CASE(binding_full_table),
	KUNIT_CASE(binding_event_budget),
	{}
};

static struct kunit_suite binding_suite = {
	.name = "kcs_binding",
	.init = binding_init,
	.exit = binding_exit,
	.test_cases = binding_cases,
};

kunit_test_suite(binding_suite);
