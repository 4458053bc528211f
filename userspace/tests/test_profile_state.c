// SPDX-License-Identifier: GPL-2.0
/*
 * What `profile apply` records for `profile show` and `profile export`
 * (profile_state.h): SHA-256 against the FIPS 180-2 vectors, the
 * canonical form, the state file round trip in a scratch $KCS_STATE_DIR,
 * and stale, missing and edited records refused rather than shown.
 * Run from userspace/ (reads ../examples).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "profile.h"
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

int main(void)
{
	char dir[] = "/tmp/kcs-state-test.XXXXXX", sub[64];

	sha_vectors();
	canonical();
	if (!mkdtemp(dir))
		return 1;
	setenv("KCS_STATE_DIR", dir, 1);
	state_files(dir);
	snprintf(sub, sizeof(sub), "%s/profiles", dir);
	rmdir(sub);
	rmdir(dir);
	return tap_done();
}
