// SPDX-License-Identifier: GPL-2.0
/*
 * Events as `kcsadm monitor` sees them: decoding KCS_CMD_EVENT messages,
 * gap detection from KCS_A_EV_SEQ, and the text/JSON lines it prints
 * (hostile strings must not forge lines or break JSON).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "cli.h"
#include "event_capture.h"
#include "events.h"
#include "names.h"
#include "nl.h"
#include "tap.h"

static struct nl_msg *event_msg(const char *comm, const char *path,
				const char *applet, int bad_seq)
{
	struct nl_msg *m = nlmsg_alloc();

	genlmsg_put(m, 0, 0, 0x42, 0, 0, KCS_CMD_EVENT, KCS_GENL_VERSION);
	if (bad_seq)
		nla_put_u32(m, KCS_A_EV_SEQ, 7);	/* wrong width */
	else
		nla_put_u64(m, KCS_A_EV_SEQ, 7);
	nla_put_u64(m, KCS_A_EV_TIME_NS, 1700000000123456789ULL);
	nla_put_u32(m, KCS_A_EV_HOOK, KCS_HOOK_EXEC);
	nla_put_u32(m, KCS_A_EV_VERDICT, KCS_VERDICT_DENY);
	nla_put_u32(m, KCS_A_MODE, KCS_MODE_ENFORCE);
	nla_put_u32(m, KCS_A_EV_PID, 100);
	nla_put_u32(m, KCS_A_EV_TGID, 99);
	nla_put_u32(m, KCS_A_EV_PPID, 1);
	nla_put_u32(m, KCS_A_EV_UID, 1000);
	nla_put_string(m, KCS_A_EV_COMM, comm);
	nla_put_u64(m, KCS_A_CGROUP_ID, 4242);
	nla_put_u64(m, KCS_A_EV_BOUND_CGROUP_ID, 4200);
	nla_put_string(m, KCS_A_EV_PATH, path);
	nla_put_string(m, KCS_A_EV_INVOKED, "/proc/self/exe");
	if (applet)
		nla_put_string(m, KCS_A_EV_APPLET, applet);
	nla_put_string(m, KCS_A_PROFILE_NAME, "web");
	nla_put_u32(m, KCS_A_EV_RULE_KIND, KCS_RULE_BLOCK);
	nla_put_string(m, KCS_A_EV_RULE, "/bin/busybox/wget");
	nla_put_u64(m, KCS_A_EV_DROPPED, 3);
	/* An attribute from a newer module must be ignored. */
	nla_put_u32(m, KCS_A_MAX + 5, 1);
	return m;
}

static void test_decode(void)
{
	struct nlattr *tb[KCS_A_MAX + 1];
	struct kcs_event ev;
	struct kcs_err err;
	struct nl_msg *m = event_msg("sh", "/bin/busybox", "wget", 0);

	tap_ok(kcs_nl_parse(nlmsg_hdr(m), tb) == 0, "event parses");
	tap_ok(kcs_event_from_attrs(tb, &ev, &err) == 0, "event decodes");
	tap_ok(ev.seq == 7 && ev.time_ns == 1700000000123456789ULL &&
	       ev.pid == 100 && ev.tgid == 99 && ev.ppid == 1 && ev.uid == 1000 &&
	       ev.cgroup_id == 4242 && ev.bound_cgroup_id == 4200 &&
	       ev.dropped == 3, "numbers decoded");
	tap_ok(ev.verdict == KCS_VERDICT_DENY && ev.mode == KCS_MODE_ENFORCE &&
	       ev.hook == KCS_HOOK_EXEC && ev.rule_kind == KCS_RULE_BLOCK,
	       "enums decoded");
	tap_is_str(ev.applet, "wget", "applet decoded");
	tap_is_str(ev.rule, "/bin/busybox/wget", "rule decoded");
	nlmsg_free(m);

	m = event_msg("sh", "/bin/ls", NULL, 0);
	kcs_nl_parse(nlmsg_hdr(m), tb);
	tap_ok(kcs_event_from_attrs(tb, &ev, &err) == 0 && ev.applet == NULL,
	       "absent applet is NULL");
	nlmsg_free(m);

	m = event_msg("sh", "/bin/ls", NULL, 1);
	tap_ok(kcs_nl_parse(nlmsg_hdr(m), tb) < 0, "4-byte seq refused by policy");
	nlmsg_free(m);
}

static void test_seq(void)
{
	struct kcs_seq_tracker t = { 0 };
	struct kcs_event ev = { 0 };
	struct kcs_gap g;

	ev.seq = 10;
	ev.dropped = 5;
	tap_ok(!kcs_seq_track(&t, &ev, &g), "first event: baseline, no gap");
	ev.seq = 11;
	tap_ok(!kcs_seq_track(&t, &ev, &g), "consecutive: no gap");
	ev.seq = 15;
	ev.dropped = 8;
	tap_ok(kcs_seq_track(&t, &ev, &g) && g.lost == 3 && g.first == 12 &&
	       g.dropped == 3 && g.dropped_total == 8, "12..14 lost, 3 dropped");
	ev.seq = 16;
	ev.dropped = 9;
	tap_ok(!kcs_seq_track(&t, &ev, &g),
	       "drop counter growth without a hole is not our loss");
	ev.seq = 1;
	ev.dropped = 0;
	tap_ok(kcs_seq_track(&t, &ev, &g) && g.restarted && !g.lost,
	       "seq going back: module reloaded");
	ev.seq = 2;
	tap_ok(!kcs_seq_track(&t, &ev, &g), "counting restarts after reload");
}

static void test_output(void)
{
	struct nlattr *tb[KCS_A_MAX + 1];
	struct kcs_event ev;
	struct kcs_err err;
	json_error_t jerr;
	json_t *j;
	char *out;
	struct nl_msg *m = event_msg("evil\nfake 1", "/tmp/a b\xff", "wget", 0);

	kcs_nl_parse(nlmsg_hdr(m), tb);
	kcs_event_from_attrs(tb, &ev, &err);

	out = event_capture(&ev, 0);
	tap_ok(out && strchr(out, '\n') == out + strlen(out) - 1,
	       "text: exactly one line despite a newline in comm");
	tap_has(out, "comm=\"evil\\x0afake 1\"", "text: comm escaped and quoted");
	tap_has(out, "path=\"/tmp/a b\xff\"", "text: path with space quoted");
	tap_has(out, "2023-11-14T22:13:20.123456789Z deny enforce pid=100",
		"text: time, verdict, mode, pid lead");
	tap_has(out, "applet=wget", "text: applet");
	tap_has(out, "rule=/bin/busybox/wget", "text: rule");
	free(out);

	out = event_capture(&ev, 1);
	j = out ? json_loads(out, 0, &jerr) : NULL;
	tap_ok(j != NULL, "json: line parses");
	tap_is_str(json_string_value(json_object_get(j, "type")), "event", "json: type");
	tap_is_str(json_string_value(json_object_get(j, "comm")), "evil\nfake 1",
		   "json: comm round-trips");
	tap_is_str(json_string_value(json_object_get(j, "path")), "/tmp/a b\\xff",
		   "json: invalid UTF-8 byte written as \\xff");
	tap_is_str(json_string_value(json_object_get(j, "verdict")), "deny", "json: verdict");
	tap_is_str(json_string_value(json_object_get(j, "profile")), "web", "json: profile");
	tap_ok(json_integer_value(json_object_get(j, "seq")) == 7 &&
	       json_integer_value(json_object_get(j, "bound_cgroup_id")) == 4200,
	       "json: numbers");
	tap_ok(out && strchr(out, '\n') == out + strlen(out) - 1, "json: one line");
	json_decref(j);
	free(out);
	nlmsg_free(m);

	m = event_msg("sh", "/bin/ls", NULL, 0);
	kcs_nl_parse(nlmsg_hdr(m), tb);
	kcs_event_from_attrs(tb, &ev, &err);
	out = event_capture(&ev, 1);
	j = out ? json_loads(out, 0, &jerr) : NULL;
	tap_ok(j && json_is_null(json_object_get(j, "applet")),
	       "json: absent applet is null");
	json_decref(j);
	free(out);
	nlmsg_free(m);
}

/* A file event: operation and access instead of invoked and applet. */
static void test_file_event(void)
{
	struct nlattr *tb[KCS_A_MAX + 1];
	struct nl_msg *m = nlmsg_alloc();
	struct kcs_event ev;
	struct kcs_err err;
	json_error_t jerr;
	json_t *j;
	char *out;

	genlmsg_put(m, 0, 0, 0x42, 0, 0, KCS_CMD_EVENT, KCS_GENL_VERSION);
	nla_put_u64(m, KCS_A_EV_SEQ, 9);
	nla_put_u32(m, KCS_A_EV_HOOK, KCS_HOOK_FILE);
	nla_put_u32(m, KCS_A_EV_VERDICT, KCS_VERDICT_DENY);
	nla_put_u32(m, KCS_A_MODE, KCS_MODE_ENFORCE);
	nla_put_string(m, KCS_A_EV_COMM, "cat");
	nla_put_string(m, KCS_A_EV_PATH, "/etc/shadow");
	nla_put_u32(m, KCS_A_EV_FILE_OP, KCS_FILE_OP_LINK_FROM);
	nla_put_u32(m, KCS_A_EV_FILE_ACCESS, KCS_FILE_ACC_READ | KCS_FILE_ACC_WRITE);
	nla_put_string(m, KCS_A_PROFILE_NAME, "web");
	nla_put_u32(m, KCS_A_EV_RULE_KIND, KCS_RULE_BLOCK);
	nla_put_string(m, KCS_A_EV_RULE, "/etc/shadow");
	tap_ok(kcs_nl_parse(nlmsg_hdr(m), tb) == 0 &&
	       kcs_event_from_attrs(tb, &ev, &err) == 0, "file event decodes");
	tap_ok(ev.hook == KCS_HOOK_FILE && ev.file_op == KCS_FILE_OP_LINK_FROM &&
	       ev.file_access == (KCS_FILE_ACC_READ | KCS_FILE_ACC_WRITE),
	       "file event: hook, operation, access");
	out = event_capture(&ev, 0);
	tap_has(out, " hook=file operation=link-from access=read,write path=/etc/shadow ",
		"text: operation, access, path");
	tap_ok(out && !strstr(out, "invoked="), "text: no invoked");
	free(out);
	out = event_capture(&ev, 1);
	j = out ? json_loads(out, 0, &jerr) : NULL;
	tap_is_str(json_string_value(json_object_get(j, "operation")), "link-from",
		   "json: operation");
	tap_is_str(json_string_value(json_object_get(j, "access")), "read,write",
		   "json: access");
	tap_ok(j && !json_object_get(j, "invoked"), "json: no invoked");
	json_decref(j);
	free(out);
	nlmsg_free(m);
	tap_is_str(kcs_file_op_name(__KCS_FILE_OP_MAX), "unknown",
		   "an operation of a newer module: unknown");
}

static void test_gap_output(void)
{
	struct kcs_gap g = { .lost = 3, .first = 12, .dropped = 2, .dropped_total = 9 };
	char *buf = NULL;
	size_t len = 0;
	json_error_t jerr;
	FILE *f = open_memstream(&buf, &len);
	json_t *j;

	event_out_gap(f, 0, &g);
	fclose(f);
	tap_has(buf, "# lost 3 events (seq 12..14)", "text gap line");
	free(buf);

	buf = NULL;
	f = open_memstream(&buf, &len);
	event_out_gap(f, 1, &g);
	fclose(f);
	j = json_loads(buf, 0, &jerr);
	tap_ok(j && !strcmp(json_string_value(json_object_get(j, "type")), "gap") &&
	       json_integer_value(json_object_get(j, "lost")) == 3 &&
	       json_integer_value(json_object_get(j, "first_seq")) == 12 &&
	       json_integer_value(json_object_get(j, "last_seq")) == 14,
	       "json gap object");
	json_decref(j);
	free(buf);
}

static void test_names(void)
{
	unsigned int i, k, ok = 1;

	for (i = KCS_STAT_EXEC_CHECKED; i <= KCS_STAT_MAX; i++) {
		if (!kcs_stat_name(i))
			ok = 0;
		for (k = KCS_STAT_EXEC_CHECKED; ok && k < i; k++)
			ok = strcmp(kcs_stat_name(i), kcs_stat_name(k)) != 0;
	}
	tap_ok(ok, "every stat has a unique name");
	tap_ok(!kcs_stat_name(KCS_STAT_PAD) && !kcs_stat_name(KCS_STAT_MAX + 1),
	       "pad and unknown stats have none");
	tap_is_str(kcs_mode_name(KCS_MODE_AUDIT), "audit", "mode name");
	tap_is_str(kcs_mode_name(99), "unknown", "unknown enum value");
	tap_ok(kcs_mode_parse("enforce") == KCS_MODE_ENFORCE &&
	       kcs_mode_parse("Enforce") == -1, "mode parse is exact");
}

/*
 * The event line is written field by field (json_line.c), not built with
 * jansson: it must be valid JSON with the same values, and byte for byte
 * what jansson's compact dump gives for the same object, for hostile
 * names too (control characters, quotes, backslashes, UTF-8 valid and
 * not) and for every kind of event.
 */
static void test_json_exact(void)
{
	static char longname[5000];
	const char *names[] = {
		longname, "plain", "", "q\"uote\\back\x01\x1f\b\f\n\r\t\x7f/slash",
		"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		"bad\xff", "overlong\xc0\x80", "surrogate\xed\xa0\x80",
		"cut\xe2\x82", "above\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
	};
	static const unsigned int hooks[] = {
		KCS_HOOK_EXEC, KCS_HOOK_CONNECT, KCS_HOOK_CAPABLE,
		KCS_HOOK_SYSCALL, KCS_HOOK_FILE, KCS_HOOK_INGRESS,
	};
	const unsigned int nn = sizeof(names) / sizeof(names[0]);
	unsigned int i, h, bad = 0, n = 0;

	/* Longer than the line's first buffer, with escapes: it grows. */
	for (i = 0; i < sizeof(longname) - 1; i++)
		longname[i] = "a\x01\xc3\xa9\xff\"z"[i % 7];
	if ((unsigned char)longname[i - 1] == 0xc3)
		longname[i - 1] = 'a';
	for (h = 0; h < sizeof(hooks) / sizeof(hooks[0]); h++) {
		for (i = 0; i < nn; i++) {
			struct kcs_event ev = {
				.src = hooks[h] == KCS_HOOK_INGRESS ?
				       KCS_EV_SRC_NFLOG : KCS_EV_SRC_KERNEL,
				.seq = 1ULL << 40, .time_ns = 1700000000123456789ULL,
				.hook = hooks[h], .verdict = KCS_VERDICT_DENY,
				.mode = KCS_MODE_AUDIT, .pid = 7, .tgid = 7,
				.ppid = 1, .uid = 4294967294U,
				.cgroup_id = 9, .bound_cgroup_id = UINT64_MAX >> 1,
				.comm = names[i], .path = names[i],
				.invoked = names[(i + 1) % nn], .applet = NULL,
				.profile = names[(i + 2) % nn], .rule = names[i],
				.syscall = names[i], .dropped = 3,
			};
			json_error_t jerr;
			char *out, *again;
			json_t *j;

			if (hooks[h] == KCS_HOOK_CONNECT ||
			    hooks[h] == KCS_HOOK_INGRESS) {
				ev.family = 10;
				ev.proto = 6;
				ev.port = 443;
				ev.lport = 80;
				strcpy(ev.addr, "2001:db8::1");
				strcpy(ev.laddr, "2001:db8::2");
			}
			ev.has_cap = hooks[h] == KCS_HOOK_CAPABLE;
			ev.cap = 21;
			ev.file_op = 1;
			ev.file_access = 3;
			out = event_capture(&ev, 1);
			n++;
			if (!out || !*out || out[strlen(out) - 1] != '\n') {
				bad++;
				free(out);
				continue;
			}
			out[strlen(out) - 1] = '\0';
			j = json_loads(out, 0, &jerr);
			again = j ? json_dumps(j, JSON_COMPACT |
					       JSON_PRESERVE_ORDER) : NULL;
			if (!again || strcmp(again, out)) {
				bad++;
				tap_diag("hook %u name %u: %s", hooks[h], i, out);
				tap_diag("jansson:       %s", again ? again : jerr.text);
			}
			if (j && ev.hook == KCS_HOOK_EXEC) {
				json_t *want = out_jstr(names[i]);

				if (!json_equal(json_object_get(j, "path"), want))
					bad++;
				json_decref(want);
			}
			free(again);
			json_decref(j);
			free(out);
		}
	}
	tap_ok(!bad, "json: %u event lines, each jansson's exact bytes, hostile names round-trip", n);
}

/* IPv4 addresses are written by hand: the same text as inet_ntop(). */
static void test_v4_text(void)
{
	static const unsigned char oct[] = { 0, 1, 9, 10, 99, 100, 199, 200, 255 };
	unsigned int i, bad = 0, n = 0;

	for (i = 0; i < 9 * 9 * 9 * 9; i++) {
		unsigned char a[4] = { oct[i % 9], oct[i / 9 % 9],
				       oct[i / 81 % 9], oct[i / 729] };
		struct nl_msg *m = nlmsg_alloc();
		struct nlattr *tb[KCS_A_MAX + 1];
		struct kcs_event ev;
		struct kcs_err err;
		char want[INET_ADDRSTRLEN];

		genlmsg_put(m, 0, 0, 0x42, 0, 0, KCS_CMD_EVENT, KCS_GENL_VERSION);
		nla_put_u64(m, KCS_A_EV_SEQ, 1);
		nla_put_u32(m, KCS_A_EV_VERDICT, KCS_VERDICT_DENY);
		nla_put_u32(m, KCS_A_EV_NET_FAMILY, AF_INET);
		nla_put(m, KCS_A_EV_NET_ADDR, 4, a);
		inet_ntop(AF_INET, a, want, sizeof(want));
		if (kcs_nl_parse(nlmsg_hdr(m), tb) < 0 ||
		    kcs_event_from_attrs(tb, &ev, &err) < 0 ||
		    strcmp(ev.addr, want)) {
			if (!bad++)
				tap_diag("%s: got %s", want, ev.addr);
		}
		n++;
		nlmsg_free(m);
	}
	tap_ok(!bad, "IPv4 address text as inet_ntop's, %u addresses", n);
}

int main(void)
{
	test_decode();
	test_seq();
	test_output();
	test_file_event();
	test_gap_output();
	test_names();
	test_json_exact();
	test_v4_text();
	return tap_done();
}
