// SPDX-License-Identifier: GPL-2.0
/*
 * Application rules ("syscalls"): the JSON validation (every error names
 * its location), and the compiler + the module's own verifier and decision
 * (../kmod/sysrule.c, built here as it is) on the cases a user writes:
 * first match wins, conditions, programs, the default, the io_uring
 * guards, 32-bit entries without comparable arguments, and the narrowing
 * of an argument to its type. The verifier also refuses corrupted blobs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile_build.h"
#include "sysrule.h"
#include "tap.h"

struct bad_case {
	const char *sys;	/* value of "syscalls" */
	const char *want;
};

static const struct bad_case bad[] = {
	{ "[]", "syscalls: expected an object, got an array" },
	{ "{}", "syscalls.rules: needs an array of at least one rule" },
	{ "{\"rule\":[]}", "syscalls: unknown key \"rule\"" },
	{ "{\"rules\":[{\"syscall\":\"unshar\",\"action\":\"deny\"}]}",
	  "syscalls.rules[0].syscall: \"unshar\" is not a system call of the x86-64 table" },
	{ "{\"rules\":[{\"syscall\":\"exit_group\",\"action\":\"deny\"}]}",
	  "syscalls.rules[0].syscall: \"exit_group\" cannot be ruled" },
	{ "{\"rules\":[{\"syscall\":\"unshare\"}]}",
	  "syscalls.rules[0]: missing key \"action\"" },
	{ "{\"rules\":[{\"syscall\":\"unshare\",\"action\":\"block\"}]}",
	  "syscalls.rules[0].action: unknown action \"block\"" },
	{ "{\"default\":\"kill\",\"rules\":[{\"syscall\":\"unshare\",\"action\":\"deny\"}]}",
	  "syscalls.default: unknown action \"kill\"" },
	{ "{\"rules\":[{\"syscall\":\"unshare\",\"action\":\"deny\",\"args\":[]}]}",
	  "syscalls.rules[0].args: expected an array of 1 to 3 conditions" },
	{ "{\"rules\":[{\"syscall\":\"unshare\",\"action\":\"deny\",\"args\":[{\"index\":6,\"op\":\"eq\",\"value\":1}]}]}",
	  "syscalls.rules[0].args[0].index: expected 0 to 5" },
	{ "{\"rules\":[{\"syscall\":\"unshare\",\"action\":\"deny\",\"args\":[{\"index\":0,\"op\":\"and\",\"value\":1}]}]}",
	  "syscalls.rules[0].args[0].op: unknown operator \"and\"" },
	{ "{\"rules\":[{\"syscall\":\"unshare\",\"action\":\"deny\",\"args\":[{\"index\":0,\"op\":\"eq\",\"value\":\"0xZZ\"}]}]}",
	  "syscalls.rules[0].args[0].value: \"0xZZ\" is not a number" },
	{ "{\"rules\":[{\"syscall\":\"unshare\",\"action\":\"deny\",\"args\":[{\"index\":0,\"op\":\"eq\"}]}]}",
	  "syscalls.rules[0].args[0]: needs \"index\", \"op\" and \"value\"" },
	{ "{\"rules\":[{\"syscall\":\"unshare\",\"action\":\"deny\",\"program\":\"bin/sh\"}]}",
	  "syscalls.rules[0].program: mask \"bin/sh\" must be an absolute path" },
	{ "{\"rules\":[{\"syscall\":\"mount\",\"action\":\"deny\",\"program\":{\"regex\":\"/a(\"}}]}",
	  "syscalls.rules[0].program: regex error at byte 2: unmatched '('" },
	{ "{\"ignore\":[\"getpid\"],\"rules\":[{\"syscall\":\"unshare\",\"action\":\"deny\"}]}",
	  "syscalls.ignore[0]: \"getpid\" is named by no rule" },
	{ "{\"ignore\":[\"unshare\",\"unshare\"],\"rules\":[{\"syscall\":\"unshare\",\"action\":\"deny\"}]}",
	  "syscalls.ignore[1]: \"unshare\" is listed twice" },
};

static void test_bad(void)
{
	struct kcs_profile_spec spec;
	struct kcs_err err;
	char json[1024];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(json, sizeof(json), "{\"name\":\"p\",\"syscalls\":%s}",
			 bad[i].sys);
		memset(&err, 0, sizeof(err));
		if (!kcs_profile_parse(json, strlen(json), "t", &spec, &err)) {
			/* Valid JSON, refused by the compiler: the exact message. */
			struct kcs_compiled_profile cp;

			tap_ok(kcs_profile_compile(&spec, &cp, &err) &&
			       err.code == KCS_EXIT_INVALID, "refused: %s", bad[i].sys);
			tap_is_str(err.msg, bad[i].want, "  says: %s", bad[i].want);
			kcs_profile_free(&spec);
			continue;
		}
		tap_ok(err.code == KCS_EXIT_INVALID, "refused: %s", bad[i].sys);
		tap_has(err.msg, bad[i].want, "  says: %s", bad[i].want);
	}
}

/* Parse, compile and verify @sys with the module's own verifier. */
static int build(const char *sys, struct kcs_compiled_profile *cp,
		 struct kcs_sysset *s)
{
	struct kcs_profile_spec spec;
	struct kcs_err err = { 0 };
	const char *why = "";
	char json[4096];
	int ret;

	snprintf(json, sizeof(json), "{\"name\":\"p\",\"syscalls\":%s}", sys);
	memset(s, 0, sizeof(*s));
	if (kcs_profile_parse(json, strlen(json), "t", &spec, &err)) {
		tap_diag("parse: %s", err.msg);
		return -1;
	}
	ret = kcs_profile_compile(&spec, cp, &err);
	kcs_profile_free(&spec);
	if (ret) {
		tap_diag("compile: %s", err.msg);
		return -1;
	}
	s->blob = cp->sys.rules.data;
	s->progs_blob = cp->sys.programs.data;
	ret = kcs_sysset_verify(s, cp->sys.rules.len, cp->sys.programs.len, &why);
	if (ret)
		tap_diag("verify: %s", why);
	return ret;
}

static const char *outcome_name(u32 o)
{
	static const char *const n[] = { "allow", "deny", "audit", "undecidable" };

	return o < 4 ? n[o] : "?";
}

/* The outcome and deciding rule of @name with @args (NULL: 32-bit entry). */
static void expect(const struct kcs_sysset *s, const char *name,
		   const u64 *args, const char *prog, u32 outcome, u32 rule,
		   const char *what)
{
	struct kcs_sys_result res = { 0 };
	int ni = kcs_sysset_find(s, name);

	if (ni < 0) {
		tap_ok(0, "%s: %s is named", what, name);
		return;
	}
	kcs_sys_decide(s, (u32)ni, args, prog, &res);
	if (!tap_ok(res.outcome == outcome && res.rule == rule, "%s", what))
		tap_diag("got %s by rule %d, want %s by rule %d",
			 outcome_name(res.outcome), (int)res.rule,
			 outcome_name(outcome), (int)rule);
}

static void test_decide(void)
{
	struct kcs_compiled_profile cp;
	struct kcs_sysset s;
	u64 flags_user[6] = { 0x10000000 }, flags_none[6] = { 0 };
	u64 pers_query[6] = { 0xffffffff }, pers_set[6] = { 0x40000 };

	if (!tap_ok(!build("{\"ignore\":[\"personality\"],\"rules\":["
			   "{\"syscall\":\"unshare\",\"action\":\"deny\",\"args\":[{\"index\":0,\"op\":\"mask_any\",\"value\":\"0x10000000\"}]},"
			   "{\"syscall\":\"personality\",\"action\":\"deny\",\"args\":[{\"index\":0,\"op\":\"eq\",\"value\":\"0x40000\"}]},"
			   "{\"syscall\":\"getpid\",\"action\":\"audit\"},"
			   "{\"syscall\":\"socket\",\"program\":\"/opt/app/*\",\"action\":\"allow\"},"
			   "{\"syscall\":\"socket\",\"action\":\"deny\"},"
			   "{\"syscall\":\"unshare\",\"action\":\"audit\"}]}", &cp, &s),
		    "a rule set compiles and the module's verifier accepts it"))
		goto out;
	tap_ok(s.hdr->nnames == 6 && s.hdr->nrules == 6 && s.hdr->nprograms == 1,
	       "six names (io_uring's two added), six rules, one program");
	tap_ok(kcs_sysset_find(&s, "io_uring_setup") >= 0 &&
	       (s.names[kcs_sysset_find(&s, "io_uring_setup")].flags & KCS_SYS_N_GUARD),
	       "io_uring_setup is a guard");
	tap_ok(s.names[kcs_sysset_find(&s, "personality")].flags & KCS_SYS_N_IGNORE,
	       "personality is ignored");
	tap_is_str(s.names[kcs_sysset_find(&s, "unshare")].name, "unshare",
		   "names are sorted and found");

	expect(&s, "unshare", flags_user, NULL, KCS_SYS_RES_DENY, 4,
	       "unshare(CLONE_NEWUSER): the first rule denies");
	expect(&s, "unshare", flags_none, NULL, KCS_SYS_RES_AUDIT, 5,
	       "unshare(0): its next rule (in JSON order) audits");
	expect(&s, "personality", pers_set, NULL, KCS_SYS_RES_DENY, 1,
	       "personality(0x40000): denied");
	expect(&s, "personality", pers_query, NULL, KCS_SYS_RES_ALLOW,
	       KCS_SYS_NO_RULE, "personality(query): the default allows");
	expect(&s, "getpid", flags_none, NULL, KCS_SYS_RES_AUDIT, 0,
	       "getpid: audited");
	expect(&s, "socket", flags_none, "/opt/app/runner", KCS_SYS_RES_ALLOW, 2,
	       "socket by /opt/app/runner: its allow rule");
	expect(&s, "socket", flags_none, "/opt/application", KCS_SYS_RES_DENY, 3,
	       "socket by /opt/application (not under /opt/app/): denied");
	expect(&s, "socket", flags_none, NULL, KCS_SYS_RES_DENY, 3,
	       "socket by a task without a program name: denied");
	expect(&s, "io_uring_setup", flags_none, NULL, KCS_SYS_RES_UNDECIDABLE,
	       KCS_SYS_NO_RULE, "io_uring_setup: undecidable (the guard)");
	/* A 32-bit entry: no comparable arguments. */
	expect(&s, "unshare", NULL, NULL, KCS_SYS_RES_UNDECIDABLE, 4,
	       "32-bit unshare: the deny rule with a condition makes it undecidable");
	expect(&s, "socket", NULL, "/opt/app/x", KCS_SYS_RES_ALLOW, 2,
	       "32-bit socket by /opt/app/x: the allow rule has no condition");
	expect(&s, "personality", NULL, NULL, KCS_SYS_RES_UNDECIDABLE, 1,
	       "32-bit personality: undecidable");
	tap_ok(kcs_sysset_find(&s, "read") < 0, "an unnamed call is not found");
out:
	free(s.progs);
	kcs_compiled_free(&cp);
}

static void test_default_and_texts(void)
{
	struct kcs_compiled_profile cp;
	struct kcs_sysset s;
	u64 none[6] = { 0 };
	const char *t;

	if (!tap_ok(!build("{\"default\":\"deny\",\"rules\":["
			   "{\"syscall\":\"mount\",\"program\":{\"regex\":\"/usr/bin/(u)?mount\"},\"action\":\"allow\"},"
			   "{\"syscall\":\"io_uring_setup\",\"action\":\"allow\"}]}", &cp, &s),
		    "a default-deny set compiles and verifies"))
		goto out;
	expect(&s, "mount", none, "/usr/bin/mount", KCS_SYS_RES_ALLOW, 1,
	       "mount by /usr/bin/mount: allowed (regex program)");
	expect(&s, "mount", none, "/bin/busybox", KCS_SYS_RES_DENY,
	       KCS_SYS_NO_RULE, "mount by busybox: the default denies");
	expect(&s, "io_uring_setup", none, NULL, KCS_SYS_RES_ALLOW, 0,
	       "io_uring_setup named by the profile: its rule decides, no guard");
	expect(&s, "io_uring_enter", none, NULL, KCS_SYS_RES_UNDECIDABLE,
	       KCS_SYS_NO_RULE, "io_uring_enter still guarded");
	t = cp.sys.text.data;
	tap_is_str(t, "allow io_uring_setup", "rule texts in blob order");
	tap_is_str(t + strlen(t) + 1, "allow mount (program regex /usr/bin/(u)?mount)",
		   "  with the program");
out:
	free(s.progs);
	kcs_compiled_free(&cp);
}

static void test_narrow(void)
{
	tap_ok(kcs_sys_arg_narrow(0x100040000ULL, 4, false) == 0x40000,
	       "unsigned int: 0x1_0004_0000 is 0x40000");
	tap_ok(kcs_sys_arg_narrow(0xffffffffULL, 4, true) == ~0ULL,
	       "int: 0xffffffff is -1");
	tap_ok(kcs_sys_arg_narrow(0x12345ULL, 2, false) == 0x2345,
	       "umode_t: 16 bits");
	tap_ok(kcs_sys_arg_narrow(0x8000000000000000ULL, 8, true) ==
	       0x8000000000000000ULL, "long: unchanged");
}

static void setname(struct kcs_sys_name *n, const char *name)
{
	memset(n->name, 0, sizeof(n->name));
	memcpy(n->name, name, strlen(name));
}

/* Corrupt one field at a time: the verifier refuses each. */
static void test_verify_refuses(void)
{
	struct kcs_compiled_profile cp;
	struct kcs_sysset s;
	struct kcs_sys_hdr *h;
	struct kcs_sys_name *n;
	struct kcs_sys_rule *r;
	const char *why;
	unsigned char *copy;
	size_t len;

	if (build("{\"rules\":[{\"syscall\":\"unshare\",\"action\":\"deny\",\"program\":\"/x\","
		  "\"args\":[{\"index\":0,\"op\":\"eq\",\"value\":1}]}]}", &cp, &s)) {
		tap_ok(0, "a set to corrupt builds");
		return;
	}
	free(s.progs);
	len = cp.sys.rules.len;
	copy = malloc(len);
#define TRY(what, mutate) do {						\
		memcpy(copy, cp.sys.rules.data, len);			\
		h = (void *)copy;					\
		n = (void *)(h + 1);					\
		r = (void *)(n + h->nnames);				\
		(void)n; (void)r;					\
		mutate;							\
		memset(&s, 0, sizeof(s));				\
		s.blob = copy;						\
		s.progs_blob = cp.sys.programs.data;			\
		why = NULL;						\
		tap_ok(kcs_sysset_verify(&s, len, cp.sys.programs.len, &why) != 0, \
		       "refused: %s (%s)", what, why ? why : "accepted"); \
		free(s.progs);						\
	} while (0)
	TRY("bad magic", h->magic ^= 1);
	TRY("unknown default", h->dflt = 7);
	TRY("names unsorted", setname(&n[0], "zzz"));
	TRY("a name with a capital", n[0].name[0] = 'A');
	TRY("ranges not tiling", n[0].count++);
	TRY("unknown flag", n[0].flags = 0x80);
	TRY("a guard with rules", n[2].flags = KCS_SYS_N_GUARD);
	TRY("io_uring not named", (setname(&n[0], "aaa"), n[0].flags = 0));
	TRY("program out of range", r[0].program = 5);
	TRY("too many conditions", r[0].nargs = 4);
	TRY("argument index 6", r[0].args[0].index = 6);
	TRY("unknown operator", r[0].args[0].op = 99);
	TRY("unused condition not zero", r[0].args[2].value = 1);
	TRY("exit named", (setname(&n[0], "exit"), n[0].flags = 0));
	TRY("a name not NUL-padded", n[2].name[31] = 'x');
#undef TRY
	memset(&s, 0, sizeof(s));
	s.blob = cp.sys.rules.data;
	s.progs_blob = cp.sys.programs.data;
	tap_ok(kcs_sysset_verify(&s, len - 1, cp.sys.programs.len, &why) != 0,
	       "refused: one byte short");
	free(s.progs);
	memset(&s, 0, sizeof(s));
	s.blob = cp.sys.rules.data;
	s.progs_blob = cp.sys.programs.data;
	tap_ok(kcs_sysset_verify(&s, len, cp.sys.programs.len - 4, &why) != 0,
	       "refused: the programs blob cut");
	free(s.progs);
	free(copy);
	kcs_compiled_free(&cp);
}

int main(void)
{
	test_bad();
	test_decide();
	test_default_and_texts();
	test_narrow();
	test_verify_refuses();
	return tap_done();
}
