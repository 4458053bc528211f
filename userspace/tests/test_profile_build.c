// SPDX-License-Identifier: GPL-2.0
/*
 * Compiling profiles and building KCS_CMD_PROFILE_SET: pattern errors carry
 * their JSON location and byte position, compiled blobs pass the module's
 * own verifier (kmod/dfa.c) and match what they should, and blobs are split
 * into attributes of at most KCS_CHUNK_MAX bytes.
 */
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "dfa.h"
#include "nl.h"
#include "profile_build.h"
#include "tap.h"

static int parse(const char *json, struct kcs_profile_spec *s)
{
	struct kcs_err err = { 0 };
	int ret = kcs_profile_parse(json, strlen(json), "t", s, &err);

	if (ret)
		tap_diag("parse: %s", err.msg);
	return ret;
}

static void test_pattern_errors(void)
{
	static const struct {
		const char *json, *loc;
	} cases[] = {
		{ "{\"name\":\"x\",\"exec\":{\"mode\":\"block\",\"rules\":[\"/a\",\"/b\","
		  "{\"regex\":\"/opt/(a\"}]}}", "exec.rules[2]: regex error at byte " },
		{ "{\"name\":\"x\",\"exec\":{\"mode\":\"block\",\"rules\":[\"/a\"],"
		  "\"exclusions\":[\"/a\\\\q\"]}}", "exec.exclusions[0]: mask error at byte " },
		{ "{\"name\":\"x\",\"exec\":{\"mode\":\"allow\",\"allow\":["
		  "{\"regex\":\"/x\"},{\"regex\":\"[z-a]\"}]}}", "exec.allow[1]: regex error at byte " },
		{ "{\"name\":\"x\",\"files\":{\"deny_read\":[{\"mask\":\"/x\","
		  "\"program\":{\"regex\":\"/usr/(sbin\"}}]}}",
		  "files.deny_read[0].program: regex error at byte " },
		{ "{\"name\":\"x\",\"exec\":{\"mode\":\"block\",\"rules\":[\"/a\"],"
		  "\"exclusions\":[{\"mask\":\"/a\\\\q\",\"program\":\"/b\"}]}}",
		  "exec.exclusions[0]: mask error at byte " },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kcs_profile_spec s;
		struct kcs_compiled_profile cp;
		struct kcs_err err = { 0 };
		const char *p;
		int ret;

		if (!tap_ok(!parse(cases[i].json, &s), "pattern case %zu parses", i))
			continue;
		ret = kcs_profile_compile(&s, &cp, &err);
		tap_ok(ret == -1 && err.code == KCS_EXIT_INVALID,
		       "pattern case %zu: compile fails with exit 3", i);
		tap_ok(!strncmp(err.msg, cases[i].loc, strlen(cases[i].loc)),
		       "pattern case %zu names rule and position: %s", i, err.msg);
		/* "... at byte N: message", N a number followed by a message */
		p = err.msg + strlen(cases[i].loc);
		tap_ok(strspn(p, "0123456789") > 0 &&
		       !strncmp(p + strspn(p, "0123456789"), ": ", 2) &&
		       strlen(p + strspn(p, "0123456789")) > 2,
		       "pattern case %zu: position then message", i);
		tap_ok(!strstr(p, " at byte"), "pattern case %zu: position said once", i);
		kcs_profile_free(&s);
	}
}

/* Does the verified set @cs accept @path? 1 + pattern index, or 0. */
static unsigned int match(const struct kcs_compiled_set *cs, const char *path)
{
	struct kcs_dfa dfa;
	const char *why = "";

	if (kcs_dfa_verify(cs->dfa.data, cs->dfa.len, &dfa, &why)) {
		tap_diag("verify: %s", why);
		return ~0U;
	}
	return kcs_dfa_accept(&dfa, kcs_dfa_walk(&dfa, dfa.start, path,
						 strlen(path)));
}

static void test_compile_ok(void)
{
	const char *j =
		"{\"name\":\"web\",\"exec\":{\"mode\":\"block\",\"rules\":["
		"\"/usr/bin/wget\",{\"mask\":\"/bin/*\"},{\"regex\":\"/opt/[a-z]+/bin/.*\"}],"
		"\"exclusions\":[\"/bin/cat\",\"/bin/busybox/cat\"]}}";
	static const char want_text[] =
		"/usr/bin/wget\0/bin/*\0/opt/[a-z]+/bin/.*";
	struct kcs_profile_spec s;
	struct kcs_compiled_profile cp;
	struct kcs_err err = { 0 };
	struct kcs_dfa dfa;
	const char *why = "";

	if (!tap_ok(!parse(j, &s), "block profile parses"))
		return;
	if (!tap_ok(!kcs_profile_compile(&s, &cp, &err), "block profile compiles")) {
		tap_diag("%s", err.msg);
		kcs_profile_free(&s);
		return;
	}
	tap_is_str(cp.name, "web", "compiled name");
	tap_ok(cp.kind == KCS_EXEC_BLOCK, "compiled kind block");
	tap_ok(cp.rules.npatterns == 3 && cp.except.npatterns == 2,
	       "pattern counts from the DFA headers");
	tap_ok(cp.rules.nstates > 1 && cp.except.nstates > 1, "states reported");
	tap_ok(kcs_dfa_verify(cp.rules.dfa.data, cp.rules.dfa.len, &dfa, &why) == 0,
	       "rules DFA passes the module's verifier");
	tap_ok(kcs_dfa_verify(cp.except.dfa.data, cp.except.dfa.len, &dfa, &why) == 0,
	       "exclusions DFA passes the module's verifier");
	tap_ok(cp.rules.text.len == sizeof(want_text) &&
	       !memcmp(cp.rules.text.data, want_text, sizeof(want_text)),
	       "rules text blob: texts, NUL-terminated, in order");
	tap_ok(kcs_text_verify(cp.except.text.data, cp.except.text.len, 2) == 0,
	       "exclusions text blob passes the module's check");
	tap_ok(match(&cp.rules, "/usr/bin/wget") == 1, "wget hits rule 0");
	tap_ok(match(&cp.rules, "/bin/sh") == 2, "/bin/sh hits the /bin/* mask");
	tap_ok(match(&cp.rules, "/opt/tool/bin/x") == 3, "regex rule matches");
	tap_ok(match(&cp.rules, "/usr/bin/curl") == 0, "curl matches no rule");
	tap_ok(match(&cp.except, "/bin/busybox/cat") == 2,
	       "busybox applet path matches its exclusion");
	kcs_compiled_free(&cp);
	kcs_profile_free(&s);
}

/* Collect the attributes of @msg after the genl header. */
struct seen {
	int type[64];
	int len[64];
	int n;
};

static void attrs_of(struct nl_msg *msg, struct seen *sn)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *a;
	int rem;

	sn->n = 0;
	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		if (sn->n < 64) {
			sn->type[sn->n] = nla_type(a);
			sn->len[sn->n] = nla_len(a);
		}
		sn->n++;
	}
}

static void test_chunking(void)
{
	static const size_t sizes[] = {
		0, 1, KCS_CHUNK_MAX - 1, KCS_CHUNK_MAX, KCS_CHUNK_MAX + 1,
		3 * KCS_CHUNK_MAX + 5,
	};
	struct kcs_nl fake = { .family = 0x42 };
	unsigned char *data = malloc(4 * KCS_CHUNK_MAX);
	size_t i, k;

	if (!tap_ok(data != NULL, "allocated chunk data"))
		return;
	for (k = 0; k < 4 * KCS_CHUNK_MAX; k++)
		data[k] = (unsigned char)(k * 7 + 3);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t len = sizes[i], want = len ? (len + KCS_CHUNK_MAX - 1) / KCS_CHUNK_MAX : 1;
		struct nl_msg *msg = kcs_nl_msg(&fake, KCS_CMD_PROFILE_SET, 0,
						kcs_chunked_size(len), NULL);
		struct nlmsghdr *nlh;
		unsigned char *back = malloc(len + 1);
		struct nlattr *a;
		size_t off = 0, n = 0, before;
		int rem, ok = 1;

		if (!msg || !back) {
			tap_ok(0, "allocated message for %zu bytes", len);
			nlmsg_free(msg);
			free(back);
			continue;
		}
		nlh = nlmsg_hdr(msg);
		before = nlh->nlmsg_len;
		tap_ok(kcs_put_chunked(msg, KCS_A_EXEC_RULES_DFA, data, len) == 0,
		       "%zu bytes: put", len);
		nlh = nlmsg_hdr(msg);
		tap_ok(nlh->nlmsg_len - before == kcs_chunked_size(len),
		       "%zu bytes: kcs_chunked_size is exact", len);
		nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlh), 0),
				  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
			if (nla_type(a) != KCS_A_EXEC_RULES_DFA ||
			    nla_len(a) > KCS_CHUNK_MAX || off + nla_len(a) > len) {
				ok = 0;
				break;
			}
			memcpy(back + off, nla_data(a), nla_len(a));
			off += nla_len(a);
			n++;
		}
		tap_ok(ok && n == want, "%zu bytes: %zu attributes of <= KCS_CHUNK_MAX",
		       len, want);
		tap_ok(off == len && !memcmp(back, data, len),
		       "%zu bytes: chunks concatenate to the blob", len);
		free(back);
		nlmsg_free(msg);
	}
	free(data);
}

static void test_request(void)
{
	const char *j =
		"{\"name\":\"p\",\"exec\":{\"mode\":\"block\",\"rules\":[\"/a\"],"
		"\"exclusions\":[\"/b\"]}}";
	struct kcs_nl fake = { .family = 0x42 };
	struct kcs_profile_spec s;
	struct kcs_compiled_profile cp;
	struct kcs_err err = { 0 };
	struct genlmsghdr *gh;
	struct nl_msg *msg;
	struct seen sn;
	static const int want[] = {
		KCS_A_PROFILE_NAME, KCS_A_EXEC_KIND, KCS_A_EXEC_RULES_DFA,
		KCS_A_EXEC_RULES_TEXT, KCS_A_EXEC_EXCEPT_DFA, KCS_A_EXEC_EXCEPT_TEXT,
	};
	int i, ok;

	if (parse(j, &s) || kcs_profile_compile(&s, &cp, &err)) {
		tap_ok(0, "request profile compiles");
		return;
	}
	msg = kcs_nl_msg(&fake, KCS_CMD_PROFILE_SET, 0, kcs_profile_attrs_size(&cp), &err);
	tap_ok(msg && !kcs_profile_put_attrs(msg, &cp, &err), "request built");
	gh = nlmsg_data(nlmsg_hdr(msg));
	tap_ok(nlmsg_hdr(msg)->nlmsg_type == 0x42, "family id in nlmsg_type");
	tap_ok(gh->cmd == KCS_CMD_PROFILE_SET && gh->version == KCS_GENL_VERSION,
	       "genl header: command and KCS_GENL_VERSION");
	attrs_of(msg, &sn);
	ok = sn.n == 6;
	for (i = 0; ok && i < 6; i++)
		ok = sn.type[i] == want[i];
	tap_ok(ok, "block request: name, kind, rules DFA/TEXT, except DFA/TEXT");
	tap_ok(sn.len[0] == 2, "name sent NUL-terminated");
	nlmsg_free(msg);
	kcs_compiled_free(&cp);
	kcs_profile_free(&s);

	/* A profile without exec rules: only name and kind. */
	j = "{\"name\":\"none\"}";
	if (parse(j, &s) || kcs_profile_compile(&s, &cp, &err)) {
		tap_ok(0, "empty profile compiles");
		return;
	}
	msg = kcs_nl_msg(&fake, KCS_CMD_PROFILE_SET, 0, kcs_profile_attrs_size(&cp), &err);
	tap_ok(msg && !kcs_profile_put_attrs(msg, &cp, &err), "none request built");
	attrs_of(msg, &sn);
	tap_ok(sn.n == 2 && sn.type[0] == KCS_A_PROFILE_NAME &&
	       sn.type[1] == KCS_A_EXEC_KIND, "none request: name and kind only");
	nlmsg_free(msg);
	kcs_compiled_free(&cp);
	kcs_profile_free(&s);

	/* Allow list: RULES only, never EXCEPT. */
	j = "{\"name\":\"al\",\"exec\":{\"mode\":\"allow\",\"allow\":[\"/a\",\"/b\"]}}";
	if (parse(j, &s) || kcs_profile_compile(&s, &cp, &err)) {
		tap_ok(0, "allow profile compiles");
		return;
	}
	msg = kcs_nl_msg(&fake, KCS_CMD_PROFILE_SET, 0, kcs_profile_attrs_size(&cp), &err);
	tap_ok(msg && !kcs_profile_put_attrs(msg, &cp, &err), "allow request built");
	attrs_of(msg, &sn);
	tap_ok(sn.n == 4 && sn.type[2] == KCS_A_EXEC_RULES_DFA &&
	       sn.type[3] == KCS_A_EXEC_RULES_TEXT, "allow request: rules only");
	nlmsg_free(msg);
	kcs_compiled_free(&cp);
	kcs_profile_free(&s);

	/* Allow list with libraries: RULES, then LIBS. */
	j = "{\"name\":\"al\",\"exec\":{\"mode\":\"allow\",\"allow\":[\"/a\"],"
	    "\"libraries\":[{\"mask\":\"/lib/*\"},\"/lib64/ld.so\"]}}";
	if (parse(j, &s) || kcs_profile_compile(&s, &cp, &err)) {
		tap_ok(0, "allow profile with libraries compiles");
		return;
	}
	tap_ok(cp.libs.npatterns == 2, "2 library patterns compiled");
	msg = kcs_nl_msg(&fake, KCS_CMD_PROFILE_SET, 0, kcs_profile_attrs_size(&cp), &err);
	tap_ok(msg && !kcs_profile_put_attrs(msg, &cp, &err), "libraries request built");
	attrs_of(msg, &sn);
	tap_ok(sn.n == 6 && sn.type[4] == KCS_A_EXEC_LIBS_DFA &&
	       sn.type[5] == KCS_A_EXEC_LIBS_TEXT,
	       "allow request with libraries: rules, then LIBS DFA/TEXT");
	nlmsg_free(msg);
	kcs_compiled_free(&cp);
	kcs_profile_free(&s);

	/* File rules only: name, kind, then the sets given, in ABI order. */
	j = "{\"name\":\"fr\",\"files\":{\"monitor\":[\"/etc/passwd\"],"
	    "\"deny_read\":[\"/etc/shadow\",{\"mask\":\"/keys/*\"}]}}";
	if (parse(j, &s) || kcs_profile_compile(&s, &cp, &err)) {
		tap_ok(0, "file profile compiles");
		return;
	}
	tap_ok(cp.files[KCS_FILE_SET_READ].npatterns == 2 &&
	       !cp.files[KCS_FILE_SET_WRITE].dfa.len &&
	       cp.files[KCS_FILE_SET_MONITOR].npatterns == 1,
	       "2 deny_read and 1 monitor pattern compiled, no deny_write");
	msg = kcs_nl_msg(&fake, KCS_CMD_PROFILE_SET, 0, kcs_profile_attrs_size(&cp), &err);
	tap_ok(msg && !kcs_profile_put_attrs(msg, &cp, &err), "file request built");
	attrs_of(msg, &sn);
	tap_ok(sn.n == 6 && sn.type[2] == KCS_A_FILE_READ_DFA &&
	       sn.type[3] == KCS_A_FILE_READ_TEXT &&
	       sn.type[4] == KCS_A_FILE_MONITOR_DFA &&
	       sn.type[5] == KCS_A_FILE_MONITOR_TEXT,
	       "file request: READ DFA/TEXT, then MONITOR DFA/TEXT");
	nlmsg_free(msg);
	kcs_compiled_free(&cp);
	kcs_profile_free(&s);

	/* Allow lists and the default: after the deny lists, then DEFAULT. */
	j = "{\"name\":\"fa\",\"files\":{\"default\":\"deny\","
	    "\"allow_write\":[\"/tmp/*\"],\"deny_read\":[\"/s\"],"
	    "\"allow_read\":[{\"mask\":\"/etc/*\"},\"/x\"]}}";
	if (parse(j, &s) || kcs_profile_compile(&s, &cp, &err)) {
		tap_ok(0, "allow-list profile compiles");
		return;
	}
	tap_ok(cp.files[KCS_FILE_SET_READ_ALLOW].npatterns == 2 &&
	       cp.files[KCS_FILE_SET_WRITE_ALLOW].npatterns == 1 &&
	       cp.file_default == KCS_SYS_DENY,
	       "2 allow_read, 1 allow_write compiled, default deny");
	msg = kcs_nl_msg(&fake, KCS_CMD_PROFILE_SET, 0, kcs_profile_attrs_size(&cp), &err);
	tap_ok(msg && !kcs_profile_put_attrs(msg, &cp, &err), "allow-list request built");
	attrs_of(msg, &sn);
	tap_ok(sn.n == 9 && sn.type[2] == KCS_A_FILE_READ_DFA &&
	       sn.type[4] == KCS_A_FILE_READ_ALLOW_DFA &&
	       sn.type[5] == KCS_A_FILE_READ_ALLOW_TEXT &&
	       sn.type[6] == KCS_A_FILE_WRITE_ALLOW_DFA &&
	       sn.type[7] == KCS_A_FILE_WRITE_ALLOW_TEXT &&
	       sn.type[8] == KCS_A_FILE_DEFAULT,
	       "allow-list request: READ, READ_ALLOW, WRITE_ALLOW, then DEFAULT");
	nlmsg_free(msg);
	kcs_compiled_free(&cp);
	kcs_profile_free(&s);
}

int main(void)
{
	test_pattern_errors();
	test_compile_ok();
	test_chunking();
	test_request();
	return tap_done();
}
