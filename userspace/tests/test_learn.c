// SPDX-License-Identifier: GPL-2.0
/*
 * Behavioural learning (ctl/learn.c): events of the learning profile for
 * the learned cgroup are taken, others ignored; the profile made from them
 * allows exactly what was seen (checked by compiling it and matching), is
 * valid for kcsadm profile apply, collapses crowded directories but never
 * a multi-call binary's applets, escapes mask metacharacters, and blocks
 * every port but those listened on. Memory is bounded.
 */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/kcs.h>

#include "dfa.h"
#include "learn.h"
#include "profile.h"
#include "profile_build.h"
#include "tap.h"

#define CG 4242

static struct kcs_event ev_exec(const char *path, const char *applet)
{
	struct kcs_event e = { .src = KCS_EV_SRC_KERNEL, .hook = KCS_HOOK_EXEC,
			       .rule_kind = KCS_RULE_NOT_ALLOWED,
			       .bound_cgroup_id = CG, .profile = "kcs-learn-1",
			       .path = path, .applet = applet };
	return e;
}

static struct kcs_event ev_net(uint32_t hook, uint32_t family, uint32_t proto,
			       const char *addr, uint32_t port)
{
	struct kcs_event e = { .src = KCS_EV_SRC_KERNEL, .hook = hook,
			       .rule_kind = KCS_RULE_BLOCK,
			       .bound_cgroup_id = CG, .profile = "kcs-learn-1",
			       .family = family, .proto = proto, .port = port };

	snprintf(e.addr, sizeof(e.addr), "%s", addr);
	return e;
}

/* Parse and compile @j as kcsadm profile apply would; 0 when valid. */
static int valid(json_t *j, struct kcs_profile_spec *spec,
		 struct kcs_compiled_profile *cp)
{
	char *s = json_dumps(j, 0);
	struct kcs_err err = { 0 };
	int r = -1;

	if (s && !kcs_profile_parse(s, strlen(s), "learned", spec, &err) &&
	    !kcs_profile_compile(spec, cp, &err))
		r = 0;
	if (r)
		tap_diag("%s: %s", s ? s : "(null)", err.msg);
	free(s);
	return r;
}

static void test_learn(void)
{
	struct kcs_learn l = { .cgroup_id = CG, .profile = "kcs-learn-1" };
	struct kcs_learn_opts o = { .name = "web-learned", .description = "d",
				    .collapse = 3 };
	struct kcs_profile_spec spec;
	struct kcs_compiled_profile cp;
	struct kcs_event e;
	json_t *j, *allow;
	char *s;

	e = ev_exec("/usr/sbin/httpd", NULL);
	kcs_learn_event(&l, &e);
	kcs_learn_event(&l, &e);	/* twice: one entry */
	e = ev_exec("/bin/busybox", "ls");
	kcs_learn_event(&l, &e);
	e = ev_exec("/bin/busybox", "cat");
	kcs_learn_event(&l, &e);
	e = ev_exec("/bin/busybox", "wc");
	kcs_learn_event(&l, &e);
	e = ev_exec("/opt/t/a", NULL);
	kcs_learn_event(&l, &e);
	e = ev_exec("/opt/t/b", NULL);
	kcs_learn_event(&l, &e);
	e = ev_exec("/opt/t/sub/c", NULL);
	kcs_learn_event(&l, &e);
	e = ev_exec("/odd/st*r\\", NULL);
	kcs_learn_event(&l, &e);
	e = ev_exec("", NULL);
	e.rule_kind = KCS_RULE_UNDECIDABLE;
	kcs_learn_event(&l, &e);
	e = ev_exec("/other/cgroup", NULL);
	e.bound_cgroup_id = CG + 1;
	kcs_learn_event(&l, &e);
	e = ev_exec("/other/profile", NULL);
	e.profile = "web";
	kcs_learn_event(&l, &e);
	e = ev_net(KCS_HOOK_CONNECT, AF_INET, IPPROTO_TCP, "198.51.100.7", 443);
	kcs_learn_event(&l, &e);
	e = ev_net(KCS_HOOK_CONNECT, AF_INET, IPPROTO_TCP, "198.51.100.7", 80);
	kcs_learn_event(&l, &e);
	e = ev_net(KCS_HOOK_SENDMSG, AF_INET6, IPPROTO_UDP, "2001:db8::53", 53);
	kcs_learn_event(&l, &e);
	e = ev_net(KCS_HOOK_LISTEN, AF_INET, IPPROTO_TCP, "0.0.0.0", 8080);
	kcs_learn_event(&l, &e);
	e = ev_net(KCS_HOOK_BIND, AF_INET, IPPROTO_UDP, "0.0.0.0", 5353);
	kcs_learn_event(&l, &e);

	tap_ok(l.events == 15 && l.undecidable == 1,
	       "15 events of the container and its learning profile taken, 1 undecidable");
	tap_ok(l.execs.n == 8 && l.ndests == 3 && l.nlisten == 2,
	       "8 programs, 3 destinations, 2 listening ports");

	j = kcs_learn_profile(&l, &o);
	s = j ? json_dumps(j, JSON_COMPACT) : NULL;
	tap_diag("%s", s ? s : "(null)");
	allow = json_object_get(json_object_get(j, "exec"), "allow");
	free(s);
	s = allow ? json_dumps(allow, JSON_COMPACT) : NULL;
	tap_is_str(s, "[\"/bin/busybox/cat\",\"/bin/busybox/ls\",\"/bin/busybox/wc\","
		   "\"/odd/st\\\\*r\\\\\\\\\",{\"mask\":\"/opt/t/*\"},\"/usr/sbin/httpd\"]",
		   "exec allow: applets kept apart, /opt/t collapsed, metacharacters escaped");
	free(s);
	s = json_dumps(json_object_get(j, "network"), JSON_COMPACT | JSON_SORT_KEYS);
	tap_is_str(s, "{\"egress\":{\"allow\":[{\"cidr\":\"198.51.100.7\",\"ports\":[\"80\",\"443\"],"
		   "\"protocol\":\"tcp\"},{\"cidr\":\"2001:db8::53\",\"ports\":[\"53\"],"
		   "\"protocol\":\"udp\"}],\"mode\":\"allow\"},\"listen\":{\"mode\":\"block\","
		   "\"ports\":[\"1-5352\",\"5354-8079\",\"8081-65535\"]}}",
		   "egress allow per address and protocol; listen blocks all but 5353 and 8080");
	free(s);
	tap_ok(!valid(j, &spec, &cp), "the learned profile is valid and compiles");
	kcs_profile_free(&spec);
	kcs_compiled_free(&cp);
	json_decref(j);

	o.collapse = 0;
	j = kcs_learn_profile(&l, &o);
	tap_ok(json_array_size(json_object_get(json_object_get(j, "exec"),
					       "allow")) == 8,
	       "collapse 0: every program listed");
	json_decref(j);
	kcs_learn_free(&l);

	/* Nothing seen: a profile of no rules (binding it denies nothing). */
	memset(&l, 0, sizeof(l));
	j = kcs_learn_profile(&l, &o);
	tap_ok(j && json_object_size(j) == 2, "nothing learned: name and description only");
	tap_ok(!valid(j, &spec, &cp), "  and valid");
	kcs_profile_free(&spec);
	kcs_compiled_free(&cp);
	json_decref(j);
}

/* Addresses a DNS answer named become fqdn rules, the others stay. */
static void test_names(void)
{
	struct kcs_learn l = { .cgroup_id = CG, .profile = "kcs-learn-1" };
	struct kcs_learn_opts o = { .name = "n" };
	struct kcs_dns_answer a = { .naddrs = 3 };
	struct kcs_profile_spec spec;
	struct kcs_compiled_profile cp;
	struct kcs_event e;
	json_t *j;
	char *s;

	snprintf(a.qname, sizeof(a.qname), "web.kcs.test");
	a.addrs[0].w[3] = 0xc6336407;		/* 198.51.100.7 */
	a.addrs[1].w[3] = 0xc6336408;		/* 198.51.100.8 */
	a.addrs[2].v6 = 1;			/* 2001:db8::7 */
	a.addrs[2].w[0] = 0x20010db8;
	a.addrs[2].w[3] = 7;
	tap_ok(!kcs_learn_dns(&l, &a) && l.nnames == 3, "an answer names 3 addresses");
	snprintf(a.qname, sizeof(a.qname), "other.kcs.test");
	a.naddrs = 1;
	tap_ok(!kcs_learn_dns(&l, &a) && l.nnames == 3,
	       "a second name for an address: the first stays");
	e = ev_net(KCS_HOOK_CONNECT, AF_INET, IPPROTO_TCP, "198.51.100.7", 443);
	kcs_learn_event(&l, &e);
	e = ev_net(KCS_HOOK_CONNECT, AF_INET, IPPROTO_TCP, "198.51.100.8", 443);
	kcs_learn_event(&l, &e);
	e = ev_net(KCS_HOOK_CONNECT, AF_INET6, IPPROTO_TCP, "2001:db8::7", 80);
	kcs_learn_event(&l, &e);
	e = ev_net(KCS_HOOK_CONNECT, AF_INET, IPPROTO_TCP, "203.0.113.9", 22);
	kcs_learn_event(&l, &e);
	j = kcs_learn_profile(&l, &o);
	s = json_dumps(json_object_get(json_object_get(j, "network"), "egress"),
		       JSON_COMPACT);
	tap_is_str(s, "{\"mode\":\"allow\",\"allow\":[{\"cidr\":\"203.0.113.9\","
		   "\"ports\":[\"22\"],\"protocol\":\"tcp\"},{\"fqdn\":\"web.kcs.test\","
		   "\"ports\":[\"80\",\"443\"],\"protocol\":\"tcp\"}]}",
		   "named addresses become one fqdn rule with all their ports");
	free(s);
	tap_ok(!valid(j, &spec, &cp), "  and the profile is valid");
	kcs_profile_free(&spec);
	kcs_compiled_free(&cp);
	json_decref(j);
	kcs_learn_free(&l);
}

static void test_bounded(void)
{
	struct kcs_learn l = { .cgroup_id = CG, .profile = "kcs-learn-1" };
	char p[32];
	struct kcs_event e;
	unsigned int i;

	for (i = 0; i < KCS_LEARN_MAX + 10; i++) {
		snprintf(p, sizeof(p), "/p/%u", i);
		e = ev_exec(p, NULL);
		if (kcs_learn_event(&l, &e))
			break;
	}
	tap_ok(l.execs.n == KCS_LEARN_MAX && l.over == 10,
	       "at most KCS_LEARN_MAX programs kept, the rest counted (%zu, %llu)",
	       l.execs.n, (unsigned long long)l.over);
	kcs_learn_free(&l);
}

/* The action the learned "syscalls" section gives @name, or NULL. */
static const char *sys_action(json_t *prof, const char *name)
{
	json_t *rules = json_object_get(json_object_get(prof, "syscalls"), "rules"), *r;
	size_t i;

	json_array_foreach(rules, i, r)
		if (!strcmp(json_string_value(json_object_get(r, "syscall")), name))
			return json_string_value(json_object_get(r, "action"));
	return NULL;
}

static void test_syscalls(void)
{
	struct kcs_learn l = { .cgroup_id = CG, .profile = "kcs-learn-1" };
	struct kcs_learn_opts o = { .name = "s" };
	struct kcs_event e = { .src = KCS_EV_SRC_KERNEL, .hook = KCS_HOOK_SYSCALL,
			       .rule_kind = KCS_RULE_MONITOR, .bound_cgroup_id = CG,
			       .profile = "kcs-learn-1" };
	struct kcs_profile_spec spec;
	struct kcs_compiled_profile cp;
	json_t *prof, *sys = kcs_learn_syscalls_json();
	char *text = sys ? json_dumps(sys, JSON_COMPACT) : NULL;

	tap_ok(text && strstr(text, "{\"syscall\":\"unshare\",\"action\":\"audit\"}") &&
	       strstr(text, "\"io_uring_setup\""),
	       "the learning profile audits the watched calls, io_uring's too");
	free(text);
	json_decref(sys);

	/* Not watched (a module without syscall metadata): no section. */
	prof = kcs_learn_profile(&l, &o);
	tap_ok(prof && !json_object_get(prof, "syscalls"),
	       "calls not watched: no syscalls section");
	json_decref(prof);

	l.syscalls_watched = 1;
	e.syscall = "personality";
	kcs_learn_event(&l, &e);
	e.syscall = "io_uring_setup";
	kcs_learn_event(&l, &e);
	e.syscall = "read";		/* not watched: not learned */
	kcs_learn_event(&l, &e);
	e.syscall = "unshare";
	e.profile = "another";		/* another profile's event */
	kcs_learn_event(&l, &e);
	prof = kcs_learn_profile(&l, &o);
	tap_ok(prof && !sys_action(prof, "personality"),
	       "a watched call made: no rule (the default allows it)");
	tap_is_str(sys_action(prof, "unshare"), "deny",
		   "a watched call never made (another profile's event aside): denied");
	tap_is_str(sys_action(prof, "io_uring_setup"), "allow",
		   "io_uring used: allowed by name, past the guard");
	tap_is_str(sys_action(prof, "io_uring_enter"), "deny",
		   "io_uring_enter not made: denied");
	tap_ok(!sys_action(prof, "read"), "an unwatched call: nothing");
	tap_ok(prof && !valid(prof, &spec, &cp) && cp.sys.nrules ==
	       kcs_learn_nsyscalls - 1,
	       "the learned profile is valid: one rule per watched call but personality");
	if (prof && cp.sys.rules.len) {
		kcs_compiled_free(&cp);
		kcs_profile_free(&spec);
	}
	json_decref(prof);
	kcs_learn_free(&l);
}

static struct kcs_event ev_file(const char *path, uint32_t access)
{
	struct kcs_event e = { .src = KCS_EV_SRC_KERNEL, .hook = KCS_HOOK_FILE,
			       .rule_kind = KCS_RULE_MONITOR,
			       .bound_cgroup_id = CG, .profile = "kcs-learn-1",
			       .path = path, .file_access = access };
	return e;
}

/* 1 when the compiled set @cs names @path, 0 when not, -1: a bad DFA. */
static int names(const struct kcs_compiled_set *cs, const char *path)
{
	const char *why;
	struct kcs_dfa d;

	if (kcs_dfa_verify(cs->dfa.data, cs->dfa.len, &d, &why))
		return -1;
	return kcs_dfa_accept(&d, kcs_dfa_walk(&d, d.start, path,
						strlen(path))) != 0;
}

/*
 * Files: what was read and changed becomes allow lists under default
 * deny; pids and other digit components, temporary directories and
 * crowded directories are generalised, nothing else is.
 */
static void test_files(void)
{
	static const char *const reads[] = {
		"/etc/hostname", "/proc/17/status", "/proc/18/status",
		"/tmp/abc", "/tmp/x/y", "/lib/a.so.1", "/lib/b.so", "/lib/c.so",
		"/lib/sub/d.so", "/", "/weird.[x]",
	};
	struct kcs_learn l = { .cgroup_id = CG, .profile = "kcs-learn-1" };
	struct kcs_learn_opts o = { .name = "f", .collapse = 3 };
	struct kcs_compiled_set *r, *w;
	struct kcs_profile_spec spec;
	struct kcs_compiled_profile cp;
	struct kcs_event e;
	json_t *j;
	char *s;
	size_t i;

	for (i = 0; i < sizeof(reads) / sizeof(reads[0]); i++) {
		e = ev_file(reads[i], KCS_FILE_ACC_READ);
		kcs_learn_event(&l, &e);
	}
	e = ev_file("/tmp/out", KCS_FILE_ACC_WRITE);
	kcs_learn_event(&l, &e);
	e = ev_file("/var/log/app.log", KCS_FILE_ACC_READ | KCS_FILE_ACC_WRITE);
	kcs_learn_event(&l, &e);
	e = ev_file("", KCS_FILE_ACC_READ);
	kcs_learn_event(&l, &e);
	e = ev_file("/bad/\xff", KCS_FILE_ACC_READ);	/* not UTF-8 */
	kcs_learn_event(&l, &e);
	tap_ok(l.reads.n == 12 && l.writes.n == 2 && l.files_nameless == 2,
	       "12 names read, 2 changed, 2 without a name (or not UTF-8)");

	j = kcs_learn_profile(&l, &o);
	s = j ? json_dumps(json_object_get(j, "files"), JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	tap_is_str(s, "{\"allow_read\":[{\"mask\":\"/tmp/*\"},\"/\","
		   "\"/weird.[x]\",\"/etc/hostname\",{\"regex\":\"/lib/[^/]+\"},"
		   "\"/lib/sub/d.so\",{\"regex\":\"/proc/[0-9]+/status\"},"
		   "\"/var/log/app.log\"],"
		   "\"allow_write\":[{\"mask\":\"/tmp/*\"},\"/var/log/app.log\"],"
		   "\"default\":\"deny\"}",
		   "files: default deny; /tmp, pids and the crowded /lib generalised, the rest exact");
	free(s);
	if (!tap_ok(!valid(j, &spec, &cp), "the learned file rules are valid and compile")) {
		json_decref(j);
		kcs_learn_free(&l);
		return;
	}
	r = &cp.files[KCS_FILE_SET_READ_ALLOW];
	w = &cp.files[KCS_FILE_SET_WRITE_ALLOW];
	tap_ok(names(r, "/etc/hostname") == 1 && names(r, "/") == 1 &&
	       names(r, "/weird.[x]") == 1 && names(r, "/lib/sub/d.so") == 1,
	       "read: every name seen is allowed");
	tap_ok(names(r, "/proc/4242/status") == 1 && names(r, "/lib/z.so") == 1 &&
	       names(r, "/tmp/new/deep") == 1,
	       "read: another pid, another file directly in /lib, anything in /tmp");
	tap_ok(!names(r, "/etc/passwd") && !names(r, "/proc/self/status") &&
	       !names(r, "/lib/sub/e.so") && !names(r, "/weirdx[x]") &&
	       !names(r, "/proc/1/2/status"),
	       "read: not /etc/passwd, a subdirectory of /lib, or what escaping keeps out");
	tap_ok(names(w, "/tmp/out2") == 1 && names(w, "/var/log/app.log") == 1 &&
	       !names(w, "/etc/hostname") && !names(w, "/var/log/other"),
	       "write: /tmp and the log, nothing read only");
	kcs_profile_free(&spec);
	kcs_compiled_free(&cp);
	json_decref(j);

	o.collapse = 0;
	j = kcs_learn_profile(&l, &o);
	s = j ? json_dumps(json_object_get(json_object_get(j, "files"), "allow_read"),
			   JSON_COMPACT) : NULL;
	tap_ok(s && strstr(s, "\"/lib/a.so.1\"") && !strstr(s, "[^/]"),
	       "collapse 0: each file of /lib listed");
	free(s);
	json_decref(j);
	kcs_learn_free(&l);
}

int main(void)
{
	test_learn();
	test_names();
	test_bounded();
	test_syscalls();
	test_files();
	printf("# %d passed, %d failed\n", tap_n - tap_failed, tap_failed);
	return tap_done();
}
