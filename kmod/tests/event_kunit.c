// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for event encoding (event_fill.c): exec and network events
 * are encoded into an skb of exactly the size the size function gives,
 * parsed back with nla_parse() against a policy written from the types
 * uapi/linux/kcs.h documents, and every attribute is checked. Then every
 * smaller buffer must fail with -EMSGSIZE, leave the skb as it was and
 * not write past its end.
 */
#include <kunit/test.h>
#include <linux/cred.h>
#include <linux/in.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include "../kcs.h"

/* The attributes of KCS_CMD_EVENT, typed as the uapi header says. */
static const struct nla_policy ev_policy[KCS_A_MAX + 1] = {
	[KCS_A_PAD]			= { .type = NLA_BINARY },
	[KCS_A_PROFILE_NAME]		= { .type = NLA_NUL_STRING,
					    .len = KCS_NAME_MAX - 1 },
	[KCS_A_CGROUP_ID]		= { .type = NLA_U64 },
	[KCS_A_MODE]			= { .type = NLA_U32 },
	[KCS_A_EV_SEQ]			= { .type = NLA_U64 },
	[KCS_A_EV_TIME_NS]		= { .type = NLA_U64 },
	[KCS_A_EV_HOOK]			= { .type = NLA_U32 },
	[KCS_A_EV_VERDICT]		= { .type = NLA_U32 },
	[KCS_A_EV_PID]			= { .type = NLA_U32 },
	[KCS_A_EV_TGID]			= { .type = NLA_U32 },
	[KCS_A_EV_PPID]			= { .type = NLA_U32 },
	[KCS_A_EV_UID]			= { .type = NLA_U32 },
	[KCS_A_EV_COMM]			= { .type = NLA_NUL_STRING,
					    .len = TASK_COMM_LEN - 1 },
	[KCS_A_EV_BOUND_CGROUP_ID]	= { .type = NLA_U64 },
	[KCS_A_EV_PATH]			= { .type = NLA_NUL_STRING },
	[KCS_A_EV_INVOKED]		= { .type = NLA_NUL_STRING },
	[KCS_A_EV_APPLET]		= { .type = NLA_NUL_STRING },
	[KCS_A_EV_RULE_KIND]		= { .type = NLA_U32 },
	[KCS_A_EV_RULE]			= { .type = NLA_NUL_STRING },
	[KCS_A_EV_DROPPED]		= { .type = NLA_U64 },
	[KCS_A_EV_NET_FAMILY]		= { .type = NLA_U32 },
	[KCS_A_EV_NET_PROTO]		= { .type = NLA_U32 },
	[KCS_A_EV_NET_ADDR]		= { .type = NLA_BINARY, .len = 16 },
	[KCS_A_EV_NET_PORT]		= { .type = NLA_U32 },
};

/* What every event carries, exec or network. */
static const int task_attrs[] = {
	KCS_A_EV_SEQ, KCS_A_EV_TIME_NS, KCS_A_EV_HOOK, KCS_A_EV_VERDICT,
	KCS_A_MODE, KCS_A_EV_PID, KCS_A_EV_TGID, KCS_A_EV_PPID, KCS_A_EV_UID,
	KCS_A_EV_COMM, KCS_A_CGROUP_ID, KCS_A_EV_BOUND_CGROUP_ID,
	KCS_A_PROFILE_NAME, KCS_A_EV_DROPPED,
};

#define EV_SEQ		0x8000000000000001ULL
#define EV_DROPPED	0x0000123456789abcULL
#define EV_CGID		0x1122334455667788ULL
#define EV_BOUND_CGID	0x99aabbccddeeff00ULL
/* In front of the attributes in a real message. */
#define EV_PREFIX	(NLMSG_HDRLEN + GENL_HDRLEN)

struct exec_case {
	const char *desc;
	u32 mode, verdict, rule_kind;
	const char *path, *invoked, *applet, *rule;
	bool longest;	/* longest path, applet, rule and profile name */
};

static const struct exec_case exec_cases[] = {
	{ "enforce, applet and rule", KCS_MODE_ENFORCE, KCS_VERDICT_DENY,
	  KCS_RULE_BLOCK, "/bin/busybox", "/usr/bin/wget", "wget",
	  "/bin/busybox/wget" },
	{ "audit, no applet, no rule", KCS_MODE_AUDIT, KCS_VERDICT_ALLOW,
	  KCS_RULE_NOT_ALLOWED, "/usr/bin/curl", "curl", NULL, NULL },
	{ "applet, no rule", KCS_MODE_ENFORCE, KCS_VERDICT_DENY,
	  KCS_RULE_NOT_ALLOWED, "/bin/busybox", "sh", "sh", NULL },
	{ "rule, no applet", KCS_MODE_AUDIT, KCS_VERDICT_ALLOW,
	  KCS_RULE_BLOCK, "/usr/bin/nc", "./nc", NULL, "/usr/bin/n?" },
	{ "longest strings", KCS_MODE_ENFORCE, KCS_VERDICT_DENY,
	  KCS_RULE_BLOCK, NULL, "", NULL, NULL, true },
};

struct net_case {
	const char *desc;
	u32 hook, verdict, rule_kind, family, proto;
	u8 addr[16];
	u16 port;
	const char *rule;
};

static const struct net_case net_cases[] = {
	{ "IPv4 connect, rule", KCS_HOOK_CONNECT, KCS_VERDICT_DENY,
	  KCS_RULE_BLOCK, AF_INET, IPPROTO_TCP, { 192, 0, 2, 1 }, 443,
	  "192.0.2.0/24 tcp 443" },
	{ "IPv4 sendmsg, no rule", KCS_HOOK_SENDMSG, KCS_VERDICT_ALLOW,
	  KCS_RULE_NOT_ALLOWED, AF_INET, IPPROTO_UDP, { 198, 51, 100, 7 },
	  53, NULL },
	{ "IPv6 bind, rule", KCS_HOOK_BIND, KCS_VERDICT_DENY, KCS_RULE_BLOCK,
	  AF_INET6, IPPROTO_UDP,
	  { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }, 65535, "listen udp 65535" },
	{ "IPv6 listen, no rule", KCS_HOOK_LISTEN, KCS_VERDICT_ALLOW,
	  KCS_RULE_MONITOR, AF_INET6, IPPROTO_TCP,
	  { 0xfe, 0x80, [8] = 0xff, [15] = 0xfe }, 0, NULL },
};

static void exec_desc(const struct exec_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

static void net_desc(const struct net_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(exec, exec_cases, exec_desc);
KUNIT_ARRAY_PARAM(net, net_cases, net_desc);

/* A string of @len 'x's, freed with the test. */
static char *long_str(struct kunit *test, size_t len)
{
	char *s = kunit_kmalloc(test, len + 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	memset(s, 'x', len);
	s[len] = '\0';
	return s;
}

static void bound_init(struct kunit *test, struct kcs_bound *b, u32 mode,
		       bool longest)
{
	struct kcs_profile *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	if (longest)
		memset(p->name, 'n', KCS_NAME_MAX - 1);
	else
		strscpy(p->name, "web", sizeof(p->name));
	*b = (struct kcs_bound){ .profile = p, .mode = mode,
		.cgroup_id = EV_CGID, .bound_cgroup_id = EV_BOUND_CGID };
}

static void exec_event_init(struct kunit *test, struct kcs_exec_event *ev,
			    struct kcs_bound *b)
{
	const struct exec_case *c = test->param_value;

	bound_init(test, b, c->mode, c->longest);
	*ev = (struct kcs_exec_event){ .bound = b, .verdict = c->verdict,
		.rule_kind = c->rule_kind, .rule = c->rule, .path = c->path,
		.invoked = c->invoked, .applet = c->applet };
	if (c->longest) {
		ev->path = long_str(test, PATH_MAX - 1);
		ev->invoked = long_str(test, PATH_MAX - 1);
		ev->applet = long_str(test, KCS_APPLET_MAX);
		ev->rule = long_str(test, PATH_MAX - 1);
	}
}

static void net_event_init(struct kunit *test, struct kcs_net_event *ev,
			   struct kcs_bound *b)
{
	const struct net_case *c = test->param_value;

	bound_init(test, b, KCS_MODE_AUDIT, false);
	*ev = (struct kcs_net_event){ .bound = b, .hook = c->hook,
		.verdict = c->verdict, .rule_kind = c->rule_kind,
		.rule = c->rule, .family = c->family, .proto = c->proto,
		.port = c->port };
	memcpy(ev->addr, c->addr, sizeof(ev->addr));
}

static int skb_res_init(struct kunit_resource *res, void *skb)
{
	res->data = skb;
	return 0;
}

static void skb_res_free(struct kunit_resource *res)
{
	kfree_skb(res->data);
}

/* An skb with exactly @room bytes of tailroom; freed with the test. */
static struct sk_buff *room_skb(struct kunit *test, size_t room)
{
	struct sk_buff *skb = alloc_skb(room, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	if (!kunit_alloc_resource(test, skb_res_init, skb_res_free,
				  GFP_KERNEL, skb)) {
		kfree_skb(skb);
		KUNIT_ASSERT_FAILURE(test, "no memory for a test resource");
	}
	skb_reserve(skb, skb_tailroom(skb) - room);
	KUNIT_ASSERT_EQ(test, (size_t)skb_tailroom(skb), room);
	return skb;
}

/* Attributes in the skb, the 64-bit alignment pads aside. */
static int count_attrs(const struct sk_buff *skb)
{
	struct nlattr *a;
	int rem, n = 0;

	nla_for_each_attr(a, (struct nlattr *)skb->data, skb->len, rem)
		if (nla_type(a) != KCS_A_PAD)
			n++;
	return n;
}

static void parse(struct kunit *test, const struct sk_buff *skb,
		  struct nlattr **tb)
{
	KUNIT_ASSERT_EQ(test, nla_parse(tb, KCS_A_MAX,
					(struct nlattr *)skb->data, skb->len,
					ev_policy, NULL), 0);
}

static void expect_str(struct kunit *test, struct nlattr **tb, int type,
		       const char *want)
{
	if (!want) {
		KUNIT_EXPECT_NULL_MSG(test, tb[type], "attribute %d", type);
		return;
	}
	KUNIT_ASSERT_NOT_NULL_MSG(test, tb[type], "attribute %d", type);
	KUNIT_EXPECT_EQ_MSG(test, nla_len(tb[type]), (int)strlen(want) + 1,
			    "attribute %d", type);
	KUNIT_EXPECT_STREQ_MSG(test, (char *)nla_data(tb[type]), want,
			       "attribute %d", type);
}

/* The attributes every event has, as the current task and @b give them. */
static void expect_task(struct kunit *test, struct nlattr **tb,
			const struct kcs_bound *b, u32 hook, u32 verdict,
			u64 t0, u64 t1)
{
	char comm[TASK_COMM_LEN];
	u64 t;
	pid_t ppid;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(task_attrs); i++)
		KUNIT_ASSERT_NOT_NULL_MSG(test, tb[task_attrs[i]],
					  "attribute %d", task_attrs[i]);
	rcu_read_lock();
	ppid = task_tgid_nr(rcu_dereference(current->real_parent));
	rcu_read_unlock();
	get_task_comm(comm, current);

	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[KCS_A_EV_SEQ]), EV_SEQ);
	t = nla_get_u64(tb[KCS_A_EV_TIME_NS]);
	KUNIT_EXPECT_GE(test, t, t0);
	KUNIT_EXPECT_LE(test, t, t1);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[KCS_A_EV_HOOK]), hook);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[KCS_A_EV_VERDICT]), verdict);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[KCS_A_MODE]), b->mode);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[KCS_A_EV_PID]),
			(u32)task_pid_nr(current));
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[KCS_A_EV_TGID]),
			(u32)task_tgid_nr(current));
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[KCS_A_EV_PPID]), (u32)ppid);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[KCS_A_EV_UID]),
			(u32)from_kuid_munged(&init_user_ns, current_uid()));
	expect_str(test, tb, KCS_A_EV_COMM, comm);
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[KCS_A_CGROUP_ID]), EV_CGID);
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[KCS_A_EV_BOUND_CGROUP_ID]),
			EV_BOUND_CGID);
	expect_str(test, tb, KCS_A_PROFILE_NAME, b->profile->name);
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[KCS_A_EV_DROPPED]), EV_DROPPED);
}

static void exec_roundtrip(struct kunit *test)
{
	const struct exec_case *c = test->param_value;
	struct nlattr *tb[KCS_A_MAX + 1];
	struct kcs_exec_event ev;
	struct kcs_bound b;
	struct sk_buff *skb;
	size_t size;
	u64 t0, t1;

	exec_event_init(test, &ev, &b);
	size = kcs_event_exec_size(&ev);
	skb = room_skb(test, size);
	t0 = ktime_get_real_ns();
	KUNIT_ASSERT_EQ(test, kcs_event_exec_fill(skb, &ev, EV_SEQ,
						  EV_DROPPED), 0);
	t1 = ktime_get_real_ns();
	KUNIT_ASSERT_LE(test, (size_t)skb->len, size);
	kunit_info(test, "%u bytes of %zu", skb->len, size);

	parse(test, skb, tb);
	expect_task(test, tb, &b, KCS_HOOK_EXEC, c->verdict, t0, t1);
	expect_str(test, tb, KCS_A_EV_PATH, ev.path);
	expect_str(test, tb, KCS_A_EV_INVOKED, ev.invoked);
	expect_str(test, tb, KCS_A_EV_APPLET, ev.applet);
	expect_str(test, tb, KCS_A_EV_RULE, ev.rule);
	KUNIT_ASSERT_NOT_NULL(test, tb[KCS_A_EV_RULE_KIND]);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[KCS_A_EV_RULE_KIND]),
			c->rule_kind);
	KUNIT_EXPECT_NULL(test, tb[KCS_A_EV_NET_ADDR]);
	/* Nothing else, and nothing twice (nla_parse keeps the last). */
	KUNIT_EXPECT_EQ(test, count_attrs(skb),
			(int)ARRAY_SIZE(task_attrs) + 3 + !!ev.applet +
			!!ev.rule);
}

static void net_roundtrip(struct kunit *test)
{
	const struct net_case *c = test->param_value;
	int alen = c->family == AF_INET6 ? 16 : 4;
	struct nlattr *tb[KCS_A_MAX + 1];
	struct kcs_net_event ev;
	struct kcs_bound b;
	struct sk_buff *skb;
	size_t size;
	u64 t0, t1;

	net_event_init(test, &ev, &b);
	size = kcs_event_net_size(&ev);
	skb = room_skb(test, size);
	t0 = ktime_get_real_ns();
	KUNIT_ASSERT_EQ(test, kcs_event_net_fill(skb, &ev, EV_SEQ,
						 EV_DROPPED), 0);
	t1 = ktime_get_real_ns();
	KUNIT_ASSERT_LE(test, (size_t)skb->len, size);
	kunit_info(test, "%u bytes of %zu", skb->len, size);

	parse(test, skb, tb);
	expect_task(test, tb, &b, c->hook, c->verdict, t0, t1);
	KUNIT_ASSERT_NOT_NULL(test, tb[KCS_A_EV_NET_FAMILY]);
	KUNIT_ASSERT_NOT_NULL(test, tb[KCS_A_EV_NET_PROTO]);
	KUNIT_ASSERT_NOT_NULL(test, tb[KCS_A_EV_NET_ADDR]);
	KUNIT_ASSERT_NOT_NULL(test, tb[KCS_A_EV_NET_PORT]);
	KUNIT_ASSERT_NOT_NULL(test, tb[KCS_A_EV_RULE_KIND]);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[KCS_A_EV_NET_FAMILY]), c->family);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[KCS_A_EV_NET_PROTO]), c->proto);
	KUNIT_ASSERT_EQ(test, nla_len(tb[KCS_A_EV_NET_ADDR]), alen);
	KUNIT_EXPECT_EQ(test, memcmp(nla_data(tb[KCS_A_EV_NET_ADDR]), c->addr,
				     alen), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[KCS_A_EV_NET_PORT]), (u32)c->port);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[KCS_A_EV_RULE_KIND]),
			c->rule_kind);
	expect_str(test, tb, KCS_A_EV_RULE, c->rule);
	KUNIT_EXPECT_NULL(test, tb[KCS_A_EV_PATH]);
	KUNIT_EXPECT_NULL(test, tb[KCS_A_EV_INVOKED]);
	KUNIT_EXPECT_NULL(test, tb[KCS_A_EV_APPLET]);
	KUNIT_EXPECT_EQ(test, count_attrs(skb),
			(int)ARRAY_SIZE(task_attrs) + 5 + !!c->rule);
}

static int fill_exec(struct sk_buff *skb, const void *ev)
{
	return kcs_event_exec_fill(skb, ev, EV_SEQ, EV_DROPPED);
}

static int fill_net(struct sk_buff *skb, const void *ev)
{
	return kcs_event_net_fill(skb, ev, EV_SEQ, EV_DROPPED);
}

/*
 * Fill after EV_PREFIX bytes with @room bytes left: 0 and the attributes'
 * length in *@len, or the error, with the skb back as it was and the
 * shared info that follows its end untouched.
 */
static int fill_in(struct kunit *test,
		   int (*fill)(struct sk_buff *skb, const void *ev),
		   const void *ev, size_t room, unsigned int *len)
{
	size_t shsz = sizeof(struct skb_shared_info);
	struct sk_buff *skb = alloc_skb(EV_PREFIX + room, GFP_KERNEL);
	u8 *shinfo = kmalloc(shsz, GFP_KERNEL);
	int err = -ENOMEM;

	if (!skb || !shinfo) {
		KUNIT_FAIL(test, "out of memory");
		goto out;
	}
	skb_reserve(skb, skb_tailroom(skb) - (int)(EV_PREFIX + room));
	memset(skb_put(skb, EV_PREFIX), 0xa5, EV_PREFIX);
	memcpy(shinfo, skb_shinfo(skb), shsz);
	err = fill(skb, ev);
	*len = skb->len - EV_PREFIX;
	KUNIT_EXPECT_TRUE(test, skb_tail_pointer(skb) <= skb_end_pointer(skb));
	KUNIT_EXPECT_EQ(test, memcmp(shinfo, skb_shinfo(skb), shsz), 0);
	if (err)
		KUNIT_EXPECT_EQ_MSG(test, skb->len, (unsigned int)EV_PREFIX,
				    "room %zu: not trimmed", room);
out:
	kfree(shinfo);
	kfree_skb(skb);
	return err;
}

/*
 * The size function's bound fits, and so does the exact length; every
 * smaller room fails cleanly. For the longest event (thousands of rooms)
 * only every 61st room is tried, and the last 64.
 */
static void expect_sizes(struct kunit *test,
			 int (*fill)(struct sk_buff *skb, const void *ev),
			 const void *ev, size_t size, bool sweep)
{
	unsigned int len, l;
	size_t room;

	KUNIT_ASSERT_EQ(test, fill_in(test, fill, ev, size, &len), 0);
	KUNIT_ASSERT_LE(test, (size_t)len, size);
	/* An upper bound, not a gross one: comm, name, address at most. */
	KUNIT_EXPECT_LE(test, size, (size_t)len + TASK_COMM_LEN +
			KCS_NAME_MAX + 16);
	KUNIT_EXPECT_EQ(test, fill_in(test, fill, ev, len, &l), 0);
	KUNIT_EXPECT_EQ(test, l, len);
	for (room = 0; room < len; room += sweep || room + 64 >= len ? 1 : 61)
		KUNIT_EXPECT_EQ_MSG(test, fill_in(test, fill, ev, room, &l),
				    -EMSGSIZE, "room %zu of %u", room, len);
}

static void exec_sizes(struct kunit *test)
{
	const struct exec_case *c = test->param_value;
	struct kcs_exec_event ev;
	struct kcs_bound b;

	exec_event_init(test, &ev, &b);
	expect_sizes(test, fill_exec, &ev, kcs_event_exec_size(&ev),
		     !c->longest);
}

static void net_sizes(struct kunit *test)
{
	struct kcs_net_event ev;
	struct kcs_bound b;

	net_event_init(test, &ev, &b);
	expect_sizes(test, fill_net, &ev, kcs_event_net_size(&ev), true);
}

static struct kunit_case event_cases[] = {
	KUNIT_CASE_PARAM(exec_roundtrip, exec_gen_params),
	KUNIT_CASE_PARAM(exec_sizes, exec_gen_params),
	KUNIT_CASE_PARAM(net_roundtrip, net_gen_params),
	KUNIT_CASE_PARAM(net_sizes, net_gen_params),
	{}
};

static struct kunit_suite event_suite = {
	.name = "kcs_event",
	.test_cases = event_cases,
};

kunit_test_suite(event_suite);
