// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the application rules' verifier and decision (sysrule.c)
 * as the kernel builds them: a rule set made here field by field, the
 * first-match order, conditions on narrowed arguments, the default, the
 * io_uring guard, a 32-bit entry (no comparable arguments), and blobs the
 * verifier must refuse. kcsadm's test_sys runs the same code on compiled
 * profiles, with programs.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "../kcs.h"

struct sys_blob {
	struct kcs_sys_hdr h;
	struct kcs_sys_name n[3];
	struct kcs_sys_rule r[3];
};

static void sys_name(struct kcs_sys_name *n, const char *name, u32 first,
		     u32 count, u32 flags)
{
	strscpy(n->name, name, sizeof(n->name));
	n->first = first;
	n->count = count;
	n->flags = flags;
}

/*
 * io_uring_enter and io_uring_setup (guards), unshare: deny if arg0 has
 * CLONE_NEWUSER; audit if arg0 == 0 (signed: -1 tested too); default deny.
 */
static struct sys_blob *sys_make(struct kunit *test)
{
	struct sys_blob *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, b);
	b->h.magic = KCS_SYS_MAGIC;
	b->h.version = KCS_SYS_VERSION;
	b->h.hdr_len = sizeof(b->h);
	b->h.nnames = 3;
	b->h.nrules = 3;
	b->h.dflt = KCS_SYS_DENY;
	sys_name(&b->n[0], "io_uring_enter", 0, 0, KCS_SYS_N_GUARD);
	sys_name(&b->n[1], "io_uring_setup", 0, 0, KCS_SYS_N_GUARD);
	sys_name(&b->n[2], "unshare", 0, 3, 0);
	b->r[0] = (struct kcs_sys_rule){ .action = KCS_SYS_DENY,
		.program = KCS_SYS_NO_PROGRAM, .nargs = 1,
		.args[0] = { .index = 0, .op = KCS_SYS_OP_MASK_ANY,
			     .value = 0x10000000 } };
	b->r[1] = (struct kcs_sys_rule){ .action = KCS_SYS_AUDIT,
		.program = KCS_SYS_NO_PROGRAM, .nargs = 1,
		.args[0] = { .index = 0, .op = KCS_SYS_OP_EQ, .value = 0 } };
	b->r[2] = (struct kcs_sys_rule){ .action = KCS_SYS_ALLOW,
		.program = KCS_SYS_NO_PROGRAM, .nargs = 1,
		.args[0] = { .index = 1, .op = KCS_SYS_OP_LT, .value = 0 } };
	return b;
}

static void sys_decide_cases(struct kunit *test)
{
	struct sys_blob *b = sys_make(test);
	struct kcs_sys_call_info info[3] = { };
	struct kcs_sysset s = { .blob = b, .info = info };
	struct kcs_sys_result res;
	u64 args[KCS_SYS_ARGS] = { };
	const char *why = NULL;

	KUNIT_ASSERT_EQ(test, kcs_sysset_verify(&s, sizeof(*b), 0, &why), 0);
	KUNIT_EXPECT_EQ(test, kcs_sysset_find(&s, "unshare"), 2);
	KUNIT_EXPECT_EQ(test, kcs_sysset_find(&s, "unshar"), -1);
	KUNIT_EXPECT_EQ(test, kcs_sysset_find(&s, "io_uring_enter"), 0);

	args[0] = 0x10000000;
	kcs_sys_decide(&s, 2, args, NULL, &res);
	KUNIT_EXPECT_EQ(test, res.outcome, (u32)KCS_SYS_RES_DENY);
	KUNIT_EXPECT_EQ(test, res.rule, 0U);
	args[0] = 0;
	kcs_sys_decide(&s, 2, args, NULL, &res);
	KUNIT_EXPECT_EQ(test, res.outcome, (u32)KCS_SYS_RES_AUDIT);
	KUNIT_EXPECT_EQ(test, res.rule, 1U);
	/* arg1 < 0: only for a signed parameter. */
	args[0] = 1;
	args[1] = kcs_sys_arg_narrow(0xffffffff, 4, true);
	info[2].sign[1] = true;
	kcs_sys_decide(&s, 2, args, NULL, &res);
	KUNIT_EXPECT_EQ(test, res.outcome, (u32)KCS_SYS_RES_ALLOW);
	KUNIT_EXPECT_EQ(test, res.rule, 2U);
	info[2].sign[1] = false;
	kcs_sys_decide(&s, 2, args, NULL, &res);
	KUNIT_EXPECT_EQ(test, res.outcome, (u32)KCS_SYS_RES_DENY);
	KUNIT_EXPECT_EQ(test, res.rule, KCS_SYS_NO_RULE);
	/* A 32-bit entry: the deny rule's condition cannot be compared. */
	kcs_sys_decide(&s, 2, NULL, NULL, &res);
	KUNIT_EXPECT_EQ(test, res.outcome, (u32)KCS_SYS_RES_UNDECIDABLE);
	KUNIT_EXPECT_EQ(test, res.rule, 0U);
	kcs_sys_decide(&s, 1, args, NULL, &res);
	KUNIT_EXPECT_EQ(test, res.outcome, (u32)KCS_SYS_RES_UNDECIDABLE);
	KUNIT_EXPECT_EQ(test, kcs_sys_arg_narrow(0x100040000ULL, 4, false),
			0x40000ULL);
}

static void sys_malformed(struct kunit *test)
{
	struct sys_blob *b;
	struct kcs_sysset s;
	const char *why;

#define REFUSED(mutate) do {						\
		b = sys_make(test);					\
		mutate;							\
		s = (struct kcs_sysset){ .blob = b };			\
		KUNIT_EXPECT_NE(test, kcs_sysset_verify(&s, sizeof(*b), 0, &why), 0); \
	} while (0)
	REFUSED(b->h.magic++);
	REFUSED(b->h.nnames = 0);
	REFUSED(b->h.nrules = 4);
	REFUSED(b->h.dflt = __KCS_SYS_ACTION_MAX);
	REFUSED(b->n[2].count = 2);
	REFUSED(b->n[1].name[0] = 'z');
	REFUSED(b->n[2].name[KCS_SYS_NAME_MAX - 1] = 'x');
	REFUSED(b->n[0].flags = 0x10);
	REFUSED(sys_name(&b->n[0], "exit", 0, 0, 0));
	REFUSED(b->r[0].action = 9);
	REFUSED(b->r[0].program = 0);
	REFUSED(b->r[0].nargs = 4);
	REFUSED(b->r[0].args[0].index = 6);
	REFUSED(b->r[0].args[0].op = __KCS_SYS_OP_MAX);
	REFUSED(b->r[0].args[1].value = 1);
	REFUSED(b->r[0].pad = 1);
#undef REFUSED
	b = sys_make(test);
	s = (struct kcs_sysset){ .blob = b };
	KUNIT_EXPECT_NE(test, kcs_sysset_verify(&s, sizeof(*b) - 8, 0, &why), 0);
}

static struct kunit_case sysrule_cases[] = {
	KUNIT_CASE(sys_decide_cases),
	KUNIT_CASE(sys_malformed),
	{}
};

static struct kunit_suite sysrule_suite = {
	.name = "kcs_sysrule",
	.test_cases = sysrule_cases,
};

kunit_test_suite(sysrule_suite);
