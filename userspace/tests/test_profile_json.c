// SPDX-License-Identifier: GPL-2.0
/*
 * Profile JSON validation: every invalid input is refused with exit code 3
 * and a message naming the JSON location; the shipped examples are valid.
 * Run from userspace/ (reads ../examples).
 */
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "tap.h"

struct bad_case {
	const char *json;
	const char *want;	/* substring of the error message */
};

static const struct bad_case bad[] = {
	{ "", "line 1" },
	{ "{\"name\":\"x\",}", "line 1, column" },
	{ "[]", "(top level): expected an object, got an array" },
	{ "{}", "(top level): missing key \"name\"" },
	{ "{\"name\":\"x\",\"nmae\":1}", "(top level): unknown key \"nmae\"" },
	{ "{\"name\":\"x\",\"name\":\"y\"}", "duplicate object key" },
	{ "{\"name\":5}", "name: expected a string, got an integer" },
	{ "{\"name\":\"\"}", "name: \"\" is not a valid profile name" },
	{ "{\"name\":\"a b\"}", "name: \"a b\" is not a valid profile name" },
	{ "{\"name\":\"a/b\"}", "is not a valid profile name" },
	{ "{\"name\":\"x\",\"description\":[]}",
	  "description: expected a string, got an array" },
	{ "{\"name\":\"x\",\"exec\":[]}", "exec: expected an object, got an array" },
	{ "{\"name\":\"x\",\"exec\":{}}", "exec: missing key \"mode\"" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":1}}",
	  "exec.mode: expected a string, got an integer" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"deny\"}}",
	  "exec.mode: unknown mode \"deny\"" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"block\"}}",
	  "exec: missing key \"rules\"" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"block\",\"rules\":[\"/a\"],\"rule\":[]}}",
	  "exec: unknown key \"rule\"" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"block\",\"rules\":\"/a\"}}",
	  "exec.rules: expected an array, got a string" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"block\",\"rules\":[]}}",
	  "exec.rules: must hold at least one pattern" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"block\",\"rules\":[\"/a\",\"/b\",{\"regx\":\"/c\"}]}}",
	  "exec.rules[2]: unknown key \"regx\"" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"block\",\"rules\":[\"/a\",\"\"]}}",
	  "exec.rules[1]: empty pattern" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"block\",\"rules\":[{\"regex\":\"\"}]}}",
	  "exec.rules[0]: empty pattern" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"block\",\"rules\":[3]}}",
	  "exec.rules[0]: expected a string or an object, got an integer" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"block\",\"rules\":[{}]}}",
	  "exec.rules[0]: needs exactly one of \"mask\" or \"regex\"" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"block\",\"rules\":[{\"mask\":\"/a\",\"regex\":\"/b\"}]}}",
	  "exec.rules[0]: needs exactly one of \"mask\" or \"regex\"" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"block\",\"rules\":[{\"mask\":true}]}}",
	  "exec.rules[0]: mask must be a string, got a boolean" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"block\",\"rules\":[\"bin/sh\"]}}",
	  "exec.rules[0]: mask \"bin/sh\" must be an absolute path" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"block\",\"rules\":[\"/a\"],\"exclusions\":[null]}}",
	  "exec.exclusions[0]: expected a string or an object, got null" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"block\",\"rules\":[\"/a\"],\"allow\":[\"/b\"]}}",
	  "exec.allow: not allowed with mode \"block\"" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"allow\",\"allow\":[\"/a\"],\"exclusions\":[\"/b\"]}}",
	  "exec.exclusions: not allowed with mode \"allow\"" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"allow\",\"rules\":[\"/a\"]}}",
	  "exec.rules: not allowed with mode \"allow\"" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"allow\"}}",
	  "exec: missing key \"allow\"" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"allow\",\"allow\":[\"/a\",{\"regex\":5}]}}",
	  "exec.allow[1]: regex must be a string, got an integer" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"block\",\"rules\":[\"/a\\u0000b\"]}}",
	  "NUL" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"block\",\"rules\":[\"/a\"],\"libraries\":[\"/lib/*\"]}}",
	  "exec.libraries: not allowed with mode \"block\"" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"allow\",\"allow\":[\"/a\"],\"libraries\":[]}}",
	  "exec.libraries: must hold at least one pattern" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"allow\",\"allow\":[\"/a\"],\"libraries\":[\"lib\"]}}",
	  "exec.libraries[0]: mask \"lib\" must be an absolute path" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"allow\",\"allow\":[\"/a\"],\"libraries\":\"/lib\"}}",
	  "exec.libraries: expected an array, got a string" },
	{ "{\"name\":\"x\",\"files\":[]}", "files: expected an object, got an array" },
	{ "{\"name\":\"x\",\"files\":{}}",
	  "files: needs \"deny_read\", \"deny_write\", \"monitor\" or a \"default\" of \"deny\" or \"audit\"" },
	{ "{\"name\":\"x\",\"files\":{\"default\":\"allow\"}}",
	  "files: needs \"deny_read\", \"deny_write\", \"monitor\" or a \"default\" of \"deny\" or \"audit\"" },
	{ "{\"name\":\"x\",\"files\":{\"allow_read\":[\"/a\"]}}",
	  "files.allow_read: an allow list needs \"default\": \"deny\" or \"audit\"" },
	{ "{\"name\":\"x\",\"files\":{\"default\":\"allow\",\"allow_write\":[\"/a\"]}}",
	  "files.allow_write: an allow list needs \"default\": \"deny\" or \"audit\"" },
	{ "{\"name\":\"x\",\"files\":{\"default\":\"block\"}}",
	  "files.default: unknown action \"block\" (expected \"allow\", \"deny\" or \"audit\")" },
	{ "{\"name\":\"x\",\"files\":{\"default\":1}}",
	  "files.default: expected a string, got an integer" },
	{ "{\"name\":\"x\",\"files\":{\"default\":\"deny\",\"allow_read\":[]}}",
	  "files.allow_read: must hold at least one pattern" },
	{ "{\"name\":\"x\",\"files\":{\"deny\":[\"/a\"]}}", "files: unknown key \"deny\"" },
	{ "{\"name\":\"x\",\"files\":{\"deny_read\":[]}}",
	  "files.deny_read: must hold at least one pattern" },
	{ "{\"name\":\"x\",\"files\":{\"deny_write\":[\"/a\",\"etc/passwd\"]}}",
	  "files.deny_write[1]: mask \"etc/passwd\" must be an absolute path" },
	{ "{\"name\":\"x\",\"files\":{\"monitor\":\"/etc\"}}",
	  "files.monitor: expected an array, got a string" },
	{ "{\"name\":\"x\",\"files\":{\"deny_read\":[{\"regex\":\"/a\",\"mask\":\"/b\"}]}}",
	  "files.deny_read[0]: needs exactly one of \"mask\" or \"regex\"" },
	/* Program scoping. */
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"block\",\"rules\":[{\"program\":\"/a\"}]}}",
	  "exec.rules[0]: needs exactly one of \"mask\" or \"regex\"" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"block\",\"rules\":[{\"mask\":\"/a\",\"program\":\"sh\"}]}}",
	  "exec.rules[0].program: mask \"sh\" must be an absolute path" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"block\",\"rules\":[{\"mask\":\"/a\",\"program\":\"\"}]}}",
	  "exec.rules[0].program: empty pattern" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"block\",\"rules\":[{\"mask\":\"/a\",\"program\":7}]}}",
	  "exec.rules[0].program: expected a string or an object, got an integer" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"block\",\"rules\":[{\"mask\":\"/a\",\"program\":{\"mask\":\"/b\",\"regex\":\"/c\"}}]}}",
	  "exec.rules[0].program: needs exactly one of \"mask\" or \"regex\"" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"block\",\"rules\":[{\"mask\":\"/a\",\"program\":{\"path\":\"/b\"}}]}}",
	  "exec.rules[0].program: unknown key \"path\"" },
	{ "{\"name\":\"x\",\"exec\":{\"mode\":\"allow\",\"allow\":[\"/a\"],\"libraries\":[{\"mask\":\"/lib/*\",\"program\":\"/a\"}]}}",
	  "exec.libraries[0]: unknown key \"program\"" },
};

static void test_bad(void)
{
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kcs_profile_spec spec;
		struct kcs_err err = { 0 };
		int ret;

		ret = kcs_profile_parse(bad[i].json, strlen(bad[i].json), "t.json",
					&spec, &err);
		tap_ok(ret == -1 && err.code == KCS_EXIT_INVALID,
		       "invalid #%zu refused with exit 3", i);
		tap_has(err.msg, bad[i].want, "invalid #%zu names the problem", i);
		tap_ok(!strncmp(err.msg, "t.json: ", 8),
		       "invalid #%zu names the input", i);
	}
}

static void test_valid(void)
{
	const char *j =
		"{\"name\":\"web.v2_x-1\",\"description\":\"d\",\"exec\":{"
		"\"mode\":\"block\",\"rules\":[\"/usr/bin/wget\",{\"mask\":\"/tmp/*\"},"
		"{\"regex\":\"/opt/[a-z]+/bin/.*\"}],\"exclusions\":[\"/usr/bin/curl\"]}}";
	struct kcs_profile_spec s;
	struct kcs_err err = { 0 };

	if (!tap_ok(!kcs_profile_parse(j, strlen(j), "v", &s, &err),
		    "block profile accepted"))
		tap_diag("%s", err.msg);
	tap_is_str(s.name, "web.v2_x-1", "name kept");
	tap_is_str(s.description, "d", "description kept");
	tap_ok(s.kind == KCS_EXEC_BLOCK, "mode block");
	tap_ok(s.rules.n == 3 && s.except.n == 1, "3 rules, 1 exclusion");
	tap_ok(s.rules.pats[0].kind == KCS_PATTERN_MASK &&
	       s.rules.pats[1].kind == KCS_PATTERN_MASK &&
	       s.rules.pats[2].kind == KCS_PATTERN_REGEX,
	       "bare string and mask are masks, regex is a regex");
	tap_is_str(s.rules.pats[2].text, "/opt/[a-z]+/bin/.*", "regex text kept");
	tap_is_str(s.rules.where, "exec.rules", "rules location");
	tap_is_str(s.except.where, "exec.exclusions", "exclusions location");
	kcs_profile_free(&s);

	j = "{\"name\":\"a\",\"exec\":{\"mode\":\"allow\",\"allow\":[\"/bin/sh\"]}}";
	tap_ok(!kcs_profile_parse(j, strlen(j), "v", &s, &err) &&
	       s.kind == KCS_EXEC_ALLOW && s.rules.n == 1 && s.except.n == 0,
	       "allow profile accepted, list goes to rules");
	tap_is_str(s.rules.where, "exec.allow", "allow location");
	tap_ok(s.libs.n == 0, "no libraries: mappings are not judged");
	kcs_profile_free(&s);

	j = "{\"name\":\"a\",\"exec\":{\"mode\":\"allow\",\"allow\":[\"/bin/sh\"],"
	    "\"libraries\":[{\"mask\":\"/lib/*\"},\"/lib64/ld-linux-x86-64.so.2\"]}}";
	if (!tap_ok(!kcs_profile_parse(j, strlen(j), "v", &s, &err) &&
		    s.kind == KCS_EXEC_ALLOW && s.libs.n == 2,
		    "allow profile with 2 libraries accepted"))
		tap_diag("%s", err.msg);
	tap_is_str(s.libs.where, "exec.libraries", "libraries location");
	kcs_profile_free(&s);

	j = "{\"name\":\"f\",\"files\":{\"deny_read\":[\"/etc/shadow\"],"
	    "\"deny_write\":[{\"mask\":\"/etc/*\"},{\"regex\":\"/usr/.*\"}],"
	    "\"monitor\":[\"/etc/passwd\"]}}";
	if (!tap_ok(!kcs_profile_parse(j, strlen(j), "v", &s, &err) &&
		    s.kind == KCS_EXEC_NONE &&
		    s.files[KCS_FILE_SET_READ].n == 1 &&
		    s.files[KCS_FILE_SET_WRITE].n == 2 &&
		    s.files[KCS_FILE_SET_MONITOR].n == 1,
		    "file rules accepted: 1 read, 2 write, 1 monitor"))
		tap_diag("%s", err.msg);
	tap_is_str(s.files[KCS_FILE_SET_WRITE].where, "files.deny_write",
		   "deny_write location");
	kcs_profile_free(&s);

	j = "{\"name\":\"f\",\"files\":{\"default\":\"deny\","
	    "\"allow_read\":[{\"mask\":\"/etc/*\"},\"/x\"],\"allow_write\":[\"/tmp/*\"]}}";
	if (!tap_ok(!kcs_profile_parse(j, strlen(j), "v", &s, &err) &&
		    s.file_default == KCS_SYS_DENY &&
		    s.files[KCS_FILE_SET_READ_ALLOW].n == 2 &&
		    s.files[KCS_FILE_SET_WRITE_ALLOW].n == 1 &&
		    !s.files[KCS_FILE_SET_READ].n,
		    "allow lists accepted under default deny: 2 read, 1 write"))
		tap_diag("%s", err.msg);
	tap_is_str(s.files[KCS_FILE_SET_READ_ALLOW].where, "files.allow_read",
		   "allow_read location");
	kcs_profile_free(&s);

	j = "{\"name\":\"f\",\"files\":{\"default\":\"audit\"}}";
	tap_ok(!kcs_profile_parse(j, strlen(j), "v", &s, &err) &&
	       s.file_default == KCS_SYS_AUDIT,
	       "a default of audit alone is a file section (report every access)");
	kcs_profile_free(&s);

	j = "{\"name\":\"f\",\"files\":{\"deny_read\":[\"/x\"]}}";
	tap_ok(!kcs_profile_parse(j, strlen(j), "v", &s, &err) &&
	       s.file_default == KCS_SYS_ALLOW,
	       "without \"default\", files default to allow (deny lists)");
	kcs_profile_free(&s);

	j = "{\"name\":\"p\",\"exec\":{\"mode\":\"block\",\"rules\":[\"/usr/bin/curl\"],"
	    "\"exclusions\":[{\"mask\":\"/usr/bin/curl\",\"program\":\"/usr/sbin/nginx\"}]},"
	    "\"files\":{\"deny_write\":[{\"regex\":\"/etc/.*\",\"program\":{\"regex\":\"/usr/s?bin/.*\"}}]}}";
	if (!tap_ok(!kcs_profile_parse(j, strlen(j), "v", &s, &err) &&
		    s.except.n == 1 && s.files[KCS_FILE_SET_WRITE].n == 1,
		    "program-scoped exclusion and file rule accepted"))
		tap_diag("%s", err.msg);
	tap_is_str(s.except.pats[0].program, "/usr/sbin/nginx", "exclusion's program kept");
	tap_ok(s.except.pats[0].program_kind == KCS_PATTERN_MASK &&
	       s.files[KCS_FILE_SET_WRITE].pats[0].program_kind == KCS_PATTERN_REGEX,
	       "a string program is a mask, {\"regex\"} a regex");
	tap_ok(!s.rules.pats[0].program, "an unscoped rule has no program");
	kcs_profile_free(&s);

	j = "{\"name\":\"n\"}";
	tap_ok(!kcs_profile_parse(j, strlen(j), "v", &s, &err) &&
	       s.kind == KCS_EXEC_NONE && !s.description && !s.rules.n,
	       "profile without exec is KCS_EXEC_NONE");
	kcs_profile_free(&s);
}

static void test_names(void)
{
	char name[KCS_NAME_MAX + 1];

	memset(name, 'a', sizeof(name));
	name[KCS_NAME_MAX - 1] = '\0';
	tap_ok(kcs_profile_name_valid(name), "63-character name valid");
	name[KCS_NAME_MAX - 1] = 'a';
	name[KCS_NAME_MAX] = '\0';
	tap_ok(!kcs_profile_name_valid(name), "64-character name refused");
	tap_ok(!kcs_profile_name_valid(""), "empty name refused");
	tap_ok(kcs_profile_name_valid("A-z_0.9"), "all allowed classes");
	tap_ok(!kcs_profile_name_valid("a\xc3\xa9"), "non-ASCII refused");
}

/* One pattern more than the ABI allows names the limit. */
static void test_too_many(void)
{
	size_t n = (size_t)KCS_MAX_PATTERNS + 1, i, len = 0;
	struct kcs_profile_spec s;
	struct kcs_err err = { 0 };
	char *buf = malloc(n * 5 + 128);
	int ret;

	if (!tap_ok(buf != NULL, "allocated big profile"))
		return;
	len += sprintf(buf, "{\"name\":\"big\",\"exec\":{\"mode\":\"block\",\"rules\":[");
	for (i = 0; i < n; i++)
		len += sprintf(buf + len, "%s\"/a\"", i ? "," : "");
	len += sprintf(buf + len, "]}}");
	ret = kcs_profile_parse(buf, len, "big", &s, &err);
	tap_ok(ret == -1 && err.code == KCS_EXIT_INVALID, "65537 patterns refused");
	tap_has(err.msg, "exec.rules: 65537 patterns, more than KCS_MAX_PATTERNS (65536)",
		"error names the limit");
	free(buf);
}

static void test_examples(void)
{
	glob_t g;
	size_t i;

	if (!tap_ok(glob("../examples/*.json", 0, NULL, &g) == 0 &&
		    g.gl_pathc >= 3, "found the examples"))
		return;
	for (i = 0; i < g.gl_pathc; i++) {
		struct kcs_profile_spec s;
		struct kcs_err err = { 0 };
		int ret = kcs_profile_load(g.gl_pathv[i], &s, &err);

		if (!tap_ok(ret == 0, "example %s is valid", g.gl_pathv[i]))
			tap_diag("%s", err.msg);
		if (!ret)
			kcs_profile_free(&s);
	}
	globfree(&g);
}

static void test_missing_file(void)
{
	struct kcs_profile_spec s;
	struct kcs_err err = { 0 };

	tap_ok(kcs_profile_load("/nonexistent/p.json", &s, &err) == -1 &&
	       err.code == KCS_EXIT_NOTFOUND, "missing file: exit 6");
	tap_has(err.msg, "/nonexistent/p.json", "missing file named");
}

int main(void)
{
	test_bad();
	test_valid();
	test_names();
	test_too_many();
	test_examples();
	test_missing_file();
	return tap_done();
}
