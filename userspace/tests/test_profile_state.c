// SPDX-License-Identifier: GPL-2.0
/*
 * What `profile apply` records for `profile show` and `profile export`
 * (profile_state.h): SHA-256 against the FIPS 180-2 vectors, the
 * canonical form, the state file round trip in a scratch $KCS_STATE_DIR,
 * stale, missing and edited records refused rather than shown, records
 * saved by several processes at once (oci-hooks) read whole, and what
 * `profile show --resolve` adds and prints.
 * Run from userspace/ (reads ../examples).
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "profile.h"
#include "profile_fmt.h"
#include "profile_state.h"
#include "sha256.h"
#include "tap.h"

static void sha_vectors(void)
{
	static const struct { const char *in, *hex; } v[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
		{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	};
	static const char million[] =
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	struct kcs_sha256 s;
	char chunk[997], hex[65];
	uint8_t d[32];
	size_t i, left;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		kcs_sha256_hex(v[i].in, strlen(v[i].in), hex);
		tap_ok(!strcmp(hex, v[i].hex), "sha256 of a %zu-byte vector", strlen(v[i].in));
	}
	/* A million 'a' in odd-sized pieces: the buffering across blocks. */
	memset(chunk, 'a', sizeof(chunk));
	kcs_sha256_init(&s);
	for (left = 1000000; left; left -= i) {
		i = left < sizeof(chunk) ? left : sizeof(chunk);
		kcs_sha256_update(&s, chunk, i);
	}
	kcs_sha256_final(&s, d);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	tap_ok(!strcmp(hex, million), "sha256 of a million 'a', 997 bytes at a time");
}

static const char *const same[] = {
	"{\"name\":\"p\",\"exec\":{\"mode\":\"block\",\"rules\":[\"/bin/sh\",{\"regex\":\"/usr/bin/.*\"}]}}",
	"{ \"exec\" : {\n  \"rules\": [ \"/bin/sh\", { \"regex\": \"/usr/bin/.*\" } ],\n  \"mode\": \"block\" },\n \"name\": \"p\" }\n",
};
static const char want_canon[] =
	"{\"exec\":{\"mode\":\"block\",\"rules\":[\"/bin/sh\",{\"regex\":\"/usr/bin/.*\"}]},\"name\":\"p\"}";

static void canonical(void)
{
	struct kcs_profile_spec a, b, c;
	struct kcs_err err;

	if (!tap_ok(!kcs_profile_parse(same[0], strlen(same[0]), "a", &a, &err) &&
		    !kcs_profile_parse(same[1], strlen(same[1]), "b", &b, &err),
		    "two spellings of one profile parse"))
		return;
	tap_ok(!strcmp(a.canonical, want_canon), "canonical: sorted keys, no whitespace (%s)",
	       a.canonical);
	tap_ok(!strcmp(a.canonical, b.canonical), "key order and whitespace do not change it");
	tap_ok(!kcs_profile_parse(a.canonical, strlen(a.canonical), "c", &c, &err) &&
	       !strcmp(c.canonical, a.canonical), "the canonical form is a fixed point");
	kcs_profile_free(&a);
	kcs_profile_free(&b);
	kcs_profile_free(&c);
}

static struct kcs_profile_info kernel_info(const char *name)
{
	struct kcs_profile_info p = { .kind = KCS_EXEC_ALLOW, .nrules = 3,
		.nexcept = 0, .generation = 7, .egress_kind = KCS_NET_ALLOW,
		.egress_rules = 4 };

	snprintf(p.name, sizeof(p.name), "%s", name);
	return p;
}

/* Gives the first FQDN rule of egress one address, as a resolve would. */
static void fake_resolve(struct kcs_profile_spec *spec)
{
	struct kcs_net_ruleset *set = &spec->net.egress.rules;
	struct kcs_net_resolved *r = calloc(1, sizeof(*r));
	size_t i;

	r->w[3] = 0xc0000201;	/* 192.0.2.1 */
	r->ttl = 60;
	for (i = 0; i < set->n; i++)
		if (set->rules[i].fqdn) {
			kcs_net_rule_take_addrs(&set->rules[i], r, 1);
			return;
		}
	free(r);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
}

static void state_files(const char *dir)
{
	struct kcs_profile_spec spec, back;
	struct kcs_profile_state st, got;
	struct kcs_profile_info info, k;
	char path[4200], why[1024], sha[65];
	struct kcs_err err;
	const json_t *f;

	if (!tap_ok(!kcs_profile_load("../examples/net-allow.json", &spec, &err),
		    "load examples/net-allow.json"))
		return;
	fake_resolve(&spec);
	info = kernel_info(spec.name);
	tap_ok(kcs_profile_state_load(spec.name, &got, &err) == 1,
	       "nothing recorded: load says so (1)");
	tap_ok(!kcs_profile_state_build(&spec, &info, &st, &err) &&
	       !kcs_profile_state_save(&st, &err), "build and save a state");
	tap_ok(!kcs_profile_state_load(spec.name, &got, &err), "load it back");
	tap_ok(!strcmp(got.canonical, spec.canonical) &&
	       !strcmp(got.sha256, st.sha256) && got.generation == 7 &&
	       got.nrules == 3 && got.egress_rules == 4 &&
	       got.kind == KCS_EXEC_ALLOW && got.egress_kind == KCS_NET_ALLOW,
	       "the round trip keeps profile, hash, generation and counts");
	kcs_profile_hash(spec.canonical, sha);
	tap_ok(!strcmp(sha, got.sha256), "the hash is that of the canonical profile");
	f = json_array_get(got.fqdn, 0);
	tap_ok(f && !strcmp(json_string_value(json_object_get(f, "name")), "db.example.com") &&
	       !strcmp(json_string_value(json_array_get(json_object_get(f, "addresses"), 0)),
		       "192.0.2.1"), "FQDN addresses as resolved are kept");
	tap_ok(!kcs_profile_state_check(&got, &info, why, sizeof(why)),
	       "current when the kernel agrees");
	k = info;
	k.generation = 8;
	tap_ok(kcs_profile_state_check(&got, &k, why, sizeof(why)) == 1 &&
	       strstr(why, "generation 8"), "stale after another replace: %s", why);
	k = info;
	k.nrules = 2;
	tap_ok(kcs_profile_state_check(&got, &k, why, sizeof(why)) == 1 &&
	       strstr(why, "counts"), "stale when the counts differ: %s", why);
	k = info;
	k.file_rules = 5;
	tap_ok(kcs_profile_state_check(&got, &k, why, sizeof(why)) == 1,
	       "stale when the file rule count differs");
	got.file_rules = KCS_STATE_NO_COUNT;	/* a record from before files */
	tap_ok(!kcs_profile_state_check(&got, &k, why, sizeof(why)),
	       "a record without file_rules does not judge them");
	got.file_rules = 0;
	/* Export then apply: the same profile and the same hash. */
	tap_ok(!kcs_profile_parse(got.canonical, strlen(got.canonical), "export",
				  &back, &err) && !strcmp(back.canonical, spec.canonical),
	       "what export writes parses as the same profile");
	kcs_profile_free(&back);
	kcs_profile_state_free(&got);

	/* An edited record must not pass for what was applied. */
	snprintf(path, sizeof(path), "%s/profiles/%s.json", dir, spec.name);
	{
		size_t len;
		char *text;
		char *p;
		FILE *fp = fopen(path, "r");

		fseek(fp, 0, SEEK_END);
		len = (size_t)ftell(fp);
		rewind(fp);
		text = calloc(1, len + 1);
		tap_ok(fread(text, 1, len, fp) == len, "read the state file");
		fclose(fp);
		/* In the profile, not in "fqdn" (addresses change on refresh
		 * and are not part of the hash). */
		p = strstr(text, "\"profile\"");
		p = p ? strstr(p, "db.example.com") : NULL;
		if (p)
			p[0] = 'x';
		write_file(path, text);
		free(text);
	}
	tap_ok(kcs_profile_state_load(spec.name, &got, &err) == -1 &&
	       strstr(err.msg, "sha256 does not match"), "an edited record is refused: %s",
	       err.msg);
	write_file(path, "{\"format\":99,\"name\":\"x\",\"sha256\":\"\",\"generation\":1,\"fqdn\":[],\"profile\":{}}");
	tap_ok(kcs_profile_state_load(spec.name, &got, &err) == -1 &&
	       strstr(err.msg, "unknown format"), "another format is refused: %s", err.msg);
	write_file(path, "not json");
	tap_ok(kcs_profile_state_load(spec.name, &got, &err) == -1 &&
	       strstr(err.msg, "apply the profile again"), "garbage is refused: %s", err.msg);
	tap_ok(!kcs_profile_state_remove(spec.name, &err) &&
	       kcs_profile_state_load(spec.name, &got, &err) == 1 &&
	       !kcs_profile_state_remove(spec.name, &err), "remove, and remove again");
	tap_ok(kcs_profile_state_load("../x", &got, &err) == -1,
	       "a name that is no profile name never becomes a path");
	kcs_profile_state_free(&st);
	kcs_profile_free(&spec);
}

/* ---- hooks recording at the same time ---- */

/* A writer process: @n saves of @st, each a little different. */
static void saver(struct kcs_profile_state *st, int id, int n)
{
	struct kcs_err err;
	int i, bad = 0;

	for (i = 0; i < n; i++) {
		st->generation = (uint64_t)id * 1000 + (uint64_t)i;
		bad |= kcs_profile_state_save(st, &err);
	}
	kcs_profile_state_free(st);
	_exit(bad ? 1 : 0);
}

/*
 * oci-hooks for several containers may record the same profile at once:
 * a reader never sees half a file, and no temporary file stays behind.
 */
static void concurrent_saves(const char *dir)
{
	enum { WRITERS = 4, SAVES = 150 };
	struct kcs_profile_spec spec;
	struct kcs_profile_state st, got;
	struct kcs_profile_info info;
	int i, status, loads = 0, failed = 0, writers_ok = 1;
	char path[4200], why[1024] = "";
	struct kcs_err err;
	struct dirent *de;
	pid_t pid[WRITERS];
	DIR *d;

	if (!tap_ok(!kcs_profile_load("../examples/net-allow.json", &spec, &err),
		    "load examples/net-allow.json"))
		return;
	fake_resolve(&spec);
	info = kernel_info(spec.name);
	if (!tap_ok(!kcs_profile_state_build(&spec, &info, &st, &err) &&
		    !kcs_profile_state_save(&st, &err), "a first record")) {
		kcs_profile_free(&spec);
		return;
	}
	fflush(stdout);
	for (i = 0; i < WRITERS; i++) {
		pid[i] = fork();
		if (!pid[i])
			saver(&st, i + 1, SAVES);
	}
	/* Read while they write: each load whole, or the test fails. */
	for (i = 0; i < WRITERS; ) {
		if (kcs_profile_state_load(spec.name, &got, &err)) {
			if (!failed++)
				snprintf(why, sizeof(why), "%s", err.msg);
		} else {
			kcs_profile_state_free(&got);
		}
		loads++;
		if (waitpid(pid[i], &status, WNOHANG) == pid[i]) {
			writers_ok &= WIFEXITED(status) && !WEXITSTATUS(status);
			i++;
		}
	}
	tap_ok(writers_ok, "%d processes saved the record %d times each", WRITERS, SAVES);
	tap_ok(!failed, "%d loads meanwhile, each a whole record (%d failed%s%s)",
	       loads, failed, failed ? ": " : "", why);
	tap_ok(!kcs_profile_state_load(spec.name, &got, &err) &&
	       got.generation % 1000 == SAVES - 1,
	       "the record is one writer's last save");
	kcs_profile_state_free(&got);
	snprintf(path, sizeof(path), "%s/profiles", dir);
	d = opendir(path);
	i = 0;
	while (d && (de = readdir(d)))
		i += strstr(de->d_name, ".tmp") != NULL;
	if (d)
		closedir(d);
	tap_ok(d && !i, "no temporary file left (%d)", i);
	kcs_profile_state_remove(spec.name, &err);
	kcs_profile_state_free(&st);
	kcs_profile_free(&spec);
}

/* ---- profile show --resolve ---- */

static const char resolve_profile[] =
	"{\"name\":\"rs\",\"network\":{\"egress\":{\"mode\":\"block\",\"rules\":["
	"{\"fqdn\":\"same.example\"},{\"fqdn\":\"moved.example\"},"
	"{\"fqdn\":\"down.example\"},{\"fqdn\":\"gone.example\"}],"
	"\"exclusions\":[{\"fqdn\":\"moved.example\",\"ports\":\"443\"}]}}}";

static int lookups;

static struct kcs_net_resolved v4(uint32_t w3)
{
	struct kcs_net_resolved a = { .w = { 0, 0, 0, w3 }, .ttl = 30 };

	return a;
}

static struct kcs_net_resolved v6(uint32_t w0, uint32_t w1, uint32_t w2,
				  uint32_t w3)
{
	struct kcs_net_resolved a = { .v6 = 1, .w = { w0, w1, w2, w3 }, .ttl = 30 };

	return a;
}

/* The resolver's answers now; unsorted, repeated, one IPv4-mapped, as a
 * resolver may give them. */
static int fake_now(const char *name, struct kcs_net_resolved **v, size_t *n,
		    struct kcs_err *err)
{
	struct kcs_net_resolved *a = calloc(4, sizeof(*a));

	lookups++;
	*v = a;
	*n = 0;
	if (!strcmp(name, "same.example")) {
		a[0] = v4(0xc0000201);			/* 192.0.2.1 */
		a[1] = v4(0xc0000201);
		*n = 2;
	} else if (!strcmp(name, "moved.example")) {
		a[0] = v6(0x20010db8, 0, 0, 2);		/* 2001:db8::2 */
		a[1] = v6(0, 0, 0xffff, 0xc0000203);	/* ::ffff:192.0.2.3 */
		*n = 2;
	} else if (!strcmp(name, "down.example")) {
		free(a);
		*v = NULL;
		return kcs_err_set(err, KCS_EXIT_FAILED,
				   "cannot resolve \"%s\" (no answer from the resolver)",
				   name);
	}
	return 0;
}

/* Rule @i of @set gets the @n addresses @a, as the last apply gave it. */
static void in_force(struct kcs_net_ruleset *set, size_t i,
		     const struct kcs_net_resolved *a, size_t n)
{
	struct kcs_net_resolved *v = calloc(n ? n : 1, sizeof(*v));

	memcpy(v, a, n * sizeof(*v));
	kcs_net_rule_take_addrs(&set->rules[i], v, n);
}

/* profile_fqdn_text() of @st, as profile show prints it. */
static char *fqdn_text(const struct kcs_profile_state *st)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	profile_fqdn_text(f, st->fqdn);
	fclose(f);
	return buf;
}

static const char *entry_str(const json_t *e, const char *key, size_t idx)
{
	return json_string_value(json_array_get(json_object_get(e, key), idx));
}

static void show_resolve(void)
{
	const struct kcs_net_resolved same[] = { v4(0xc0000201) },
		moved[] = { v4(0xc0000202), v6(0x20010db8, 0, 0, 2) },
		down[] = { v4(0xc0000205) }, gone[] = { v4(0xc0000204) };
	struct kcs_profile_info info = kernel_info("rs");
	struct kcs_profile_spec spec;
	struct kcs_profile_state st;
	struct kcs_net_ruleset *rules;
	const json_t *e;
	struct kcs_err err;
	char *text;

	if (!tap_ok(!kcs_profile_parse(resolve_profile, strlen(resolve_profile),
				       "rs", &spec, &err), "parse a profile with FQDN rules"))
		return;
	rules = &spec.net.egress.rules;
	in_force(rules, 0, same, 1);
	in_force(rules, 1, moved, 2);
	in_force(rules, 2, down, 1);
	in_force(rules, 3, gone, 1);
	in_force(&spec.net.egress.except, 0, moved, 2);
	if (!tap_ok(!kcs_profile_state_build(&spec, &info, &st, &err),
		    "a record of what is in force")) {
		kcs_profile_free(&spec);
		return;
	}
	text = fqdn_text(&st);
	tap_is_str(text,
		   "fqdn egress same.example: 192.0.2.1\n"
		   "fqdn egress moved.example: 192.0.2.2 2001:db8::2\n"
		   "fqdn egress down.example: 192.0.2.5\n"
		   "fqdn egress gone.example: 192.0.2.4\n"
		   "fqdn egress moved.example: 192.0.2.2 2001:db8::2\n",
		   "without --resolve: the addresses in force, nothing else");
	free(text);
	tap_ok(!json_object_get(json_array_get(st.fqdn, 0), "addresses_now"),
	       "without --resolve: no field added");

	tap_ok(!kcs_profile_state_resolve(&st, fake_now), "resolve the names now");
	tap_ok(lookups == 4, "a name in two rules is looked up once (%d lookups)",
	       lookups);
	text = fqdn_text(&st);
	tap_is_str(text,
		   "fqdn egress same.example: 192.0.2.1\n"
		   "  resolves now: 192.0.2.1 (same)\n"
		   "fqdn egress moved.example: 192.0.2.2 2001:db8::2\n"
		   "  resolves now: 192.0.2.3 2001:db8::2 (differs: +192.0.2.3 -192.0.2.2)\n"
		   "fqdn egress down.example: 192.0.2.5\n"
		   "  resolves now: unknown: cannot resolve \"down.example\" (no answer from the resolver)\n"
		   "fqdn egress gone.example: 192.0.2.4\n"
		   "  resolves now: nothing (differs: -192.0.2.4)\n"
		   "fqdn egress moved.example: 192.0.2.2 2001:db8::2\n"
		   "  resolves now: 192.0.2.3 2001:db8::2 (differs: +192.0.2.3 -192.0.2.2)\n",
		   "with --resolve: each name's addresses now, and what differs");
	free(text);

	e = json_array_get(st.fqdn, 0);
	tap_ok(json_is_false(json_object_get(e, "differs")) &&
	       json_array_size(json_object_get(e, "addresses_now")) == 1 &&
	       !json_array_size(json_object_get(e, "added")) &&
	       !json_array_size(json_object_get(e, "removed")) &&
	       json_is_null(json_object_get(e, "resolve_error")),
	       "JSON, same: differs false, added and removed empty");
	e = json_array_get(st.fqdn, 1);
	tap_ok(json_is_true(json_object_get(e, "differs")) &&
	       !strcmp(entry_str(e, "addresses_now", 0) ?: "", "192.0.2.3") &&
	       !strcmp(entry_str(e, "addresses_now", 1) ?: "", "2001:db8::2") &&
	       !strcmp(entry_str(e, "added", 0) ?: "", "192.0.2.3") &&
	       !strcmp(entry_str(e, "removed", 0) ?: "", "192.0.2.2") &&
	       !strcmp(entry_str(e, "addresses", 0) ?: "", "192.0.2.2"),
	       "JSON, moved: addresses_now beside addresses, added, removed");
	e = json_array_get(st.fqdn, 2);
	tap_ok(json_is_null(json_object_get(e, "addresses_now")) &&
	       json_is_null(json_object_get(e, "differs")) &&
	       json_is_null(json_object_get(e, "added")) &&
	       strstr(json_string_value(json_object_get(e, "resolve_error")) ?: "",
		      "down.example"),
	       "JSON, unresolvable: addresses_now and differs null, resolve_error says why");
	e = json_array_get(st.fqdn, 3);
	tap_ok(json_is_true(json_object_get(e, "differs")) &&
	       json_is_array(json_object_get(e, "addresses_now")) &&
	       !json_array_size(json_object_get(e, "addresses_now")),
	       "JSON, resolves to nothing: an empty array, differs");
	kcs_profile_state_free(&st);
	kcs_profile_free(&spec);
}

int main(void)
{
	char dir[] = "/tmp/kcs-state-test.XXXXXX", sub[64];

	sha_vectors();
	canonical();
	if (!mkdtemp(dir))
		return 1;
	setenv("KCS_STATE_DIR", dir, 1);
	state_files(dir);
	concurrent_saves(dir);
	show_resolve();
	snprintf(sub, sizeof(sub), "%s/profiles", dir);
	rmdir(sub);
	rmdir(dir);
	return tap_done();
}
