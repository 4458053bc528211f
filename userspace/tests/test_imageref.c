// SPDX-License-Identifier: GPL-2.0
/*
 * Image reference normalisation against the distribution/reference rules
 * (the cases follow its documented behaviour: default domain, library/,
 * index.docker.io, default tag, tag plus digest, lower-case paths, length
 * limits), templates and registries.
 */
#include <string.h>

#include "imageref.h"
#include "tap.h"

#define D64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static const struct { const char *in, *full, *domain, *path, *tag; } good[] = {
	{ "ubuntu", "docker.io/library/ubuntu:latest", "docker.io", "library/ubuntu", "latest" },
	{ "ubuntu:focal", "docker.io/library/ubuntu:focal", "docker.io", "library/ubuntu", "focal" },
	{ "docker.io/library/ubuntu:focal", "docker.io/library/ubuntu:focal", "docker.io", "library/ubuntu", "focal" },
	{ "docker.io/ubuntu", "docker.io/library/ubuntu:latest", "docker.io", "library/ubuntu", "latest" },
	{ "index.docker.io/library/ubuntu", "docker.io/library/ubuntu:latest", "docker.io", "library/ubuntu", "latest" },
	{ "index.docker.io/ubuntu:22.04", "docker.io/library/ubuntu:22.04", "docker.io", "library/ubuntu", "22.04" },
	{ "bitnami/nginx", "docker.io/bitnami/nginx:latest", "docker.io", "bitnami/nginx", "latest" },
	{ "a/b/c", "docker.io/a/b/c:latest", "docker.io", "a/b/c", "latest" },
	{ "localhost/foo", "localhost/foo:latest", "localhost", "foo", "latest" },
	{ "localhost:5000/foo/bar:v1", "localhost:5000/foo/bar:v1", "localhost:5000", "foo/bar", "v1" },
	{ "localhost:5000", "docker.io/library/localhost:5000", "docker.io", "library/localhost", "5000" },
	{ "quay.io/coreos/etcd:v3.5.0", "quay.io/coreos/etcd:v3.5.0", "quay.io", "coreos/etcd", "v3.5.0" },
	{ "registry.example.com:443/team/app", "registry.example.com:443/team/app:latest", "registry.example.com:443", "team/app", "latest" },
	{ "Registry.Example.com/app", "Registry.Example.com/app:latest", "Registry.Example.com", "app", "latest" },
	{ "Foo/bar", "Foo/bar:latest", "Foo", "bar", "latest" },
	{ "[::1]:5000/foo", "[::1]:5000/foo:latest", "[::1]:5000", "foo", "latest" },
	{ "[2001:db8::1]/foo:t", "[2001:db8::1]/foo:t", "[2001:db8::1]", "foo", "t" },
	{ "10.0.0.1:5000/x", "10.0.0.1:5000/x:latest", "10.0.0.1:5000", "x", "latest" },
	{ "my-registry/app", "docker.io/my-registry/app:latest", "docker.io", "my-registry/app", "latest" },
	{ "a.b_c__d-e--f", "docker.io/library/a.b_c__d-e--f:latest", "docker.io", "library/a.b_c__d-e--f", "latest" },
	{ "nginx:Tag_1.2-rc", "docker.io/library/nginx:Tag_1.2-rc", "docker.io", "library/nginx", "Tag_1.2-rc" },
	{ "nginx:_x", "docker.io/library/nginx:_x", "docker.io", "library/nginx", "_x" },
	{ "nginx@sha256:" D64, "docker.io/library/nginx@sha256:" D64, "docker.io", "library/nginx", "" },
	{ "nginx:1.25@sha256:" D64, "docker.io/library/nginx:1.25@sha256:" D64, "docker.io", "library/nginx", "1.25" },
	{ "localhost:5000/a@sha256:" D64, "localhost:5000/a@sha256:" D64, "localhost:5000", "a", "" },
	{ "x@sha512:" D64 D64, "docker.io/library/x@sha512:" D64 D64, "docker.io", "library/x", "" },
};

static const struct { const char *in, *want; } bad[] = {
	{ "", "empty image reference" },
	{ "Ubuntu", "must be lower case" },
	{ "docker.io/Library/ubuntu", "must be lower case" },
	{ "ubuntu:", "empty tag" },
	{ "ubuntu:-x", "must start with a letter, digit or '_'" },
	{ "ubuntu:.x", "must start with a letter, digit or '_'" },
	{ "ubuntu:a+b", "invalid character '+'" },
	{ "ubuntu@", "has no ':'" },
	{ "ubuntu@sha256:abc", "sha256 needs 64 hex digits, got 3" },
	{ "ubuntu@sha256:" D64 "0", "got 65" },
	{ "ubuntu@md5:" D64, "unsupported algorithm \"md5\"" },
	{ "ubuntu@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", "lower case" },
	{ "ubuntu@sha256:g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "not a hex digit" },
	{ "a@sha256:" D64 "@x", "more than one '@'" },
	{ D64, "image ID, not a reference" },
	{ "-ubuntu", "must start and end with a lower-case letter or digit" },
	{ "ubuntu-", "must start and end" },
	{ "a//b", "empty path component" },
	{ "example.com/", "empty path component" },
	{ "/ubuntu", "empty path component" },
	{ "a/b/", "empty path component" },
	{ "a..b", "invalid separator \"..\"" },
	{ "a___b", "invalid separator \"___\"" },
	{ "a._b", "invalid separator" },
	{ "a b", "invalid character ' '" },
	{ "a$b", "invalid character '$'" },
	{ "ex_ample.com/app", "invalid host name" },
	{ "-example.com/app", "invalid host name" },
	{ "example..com/app", "invalid host name" },
	{ "example.com:/app", "port must be a number" },
	{ "example.com:ab/app", "port must be a number" },
	{ "[zz]:5000/app", "invalid IPv6" },
	{ "[::1]x/app", "unexpected text after ']'" },
	{ ":tag", "missing repository name" },
	{ "@sha256:" D64, "missing repository name" },
};

static void test_good(void)
{
	struct kcs_imageref r;
	struct kcs_err err;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (!tap_ok(!kcs_imageref_parse(good[i].in, &r, &err),
			    "\"%s\" parses", good[i].in)) {
			tap_diag("%s", err.msg);
			continue;
		}
		tap_is_str(r.full, good[i].full, "\"%s\" normalised", good[i].in);
		tap_ok(!strcmp(r.domain, good[i].domain) &&
		       !strcmp(r.path, good[i].path) && !strcmp(r.tag, good[i].tag),
		       "\"%s\": domain, path, tag", good[i].in);
	}
	/* Normalising the normal form changes nothing. */
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct kcs_imageref again;

		if (kcs_imageref_parse(good[i].in, &r, &err))
			continue;
		tap_ok(!kcs_imageref_parse(r.full, &again, &err) &&
		       !strcmp(again.full, r.full), "\"%s\" is a fixed point", r.full);
	}
}

static void test_bad(void)
{
	struct kcs_imageref r;
	struct kcs_err err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err.msg[0] = '\0';
		tap_ok(kcs_imageref_parse(bad[i].in, &r, &err) == -1 &&
		       err.code == KCS_EXIT_INVALID, "\"%s\" refused", bad[i].in);
		tap_has(err.msg, bad[i].want, "\"%s\": reason", bad[i].in);
	}
}

static void test_lengths(void)
{
	char s[600], tag[200];
	struct kcs_imageref r;
	struct kcs_err err;

	/* 255 for the name after normalisation: docker.io/library/ is 18. */
	memset(s, 'a', 237);
	s[237] = '\0';
	tap_ok(!kcs_imageref_parse(s, &r, &err) && strlen(r.name) == 255,
	       "a name of 255 characters after normalisation is accepted");
	memset(s, 'a', 238);
	s[238] = '\0';
	tap_ok(kcs_imageref_parse(s, &r, &err) == -1, "256 characters are refused");
	tap_has(err.msg, "more than 255", "length reason");
	memset(tag, 'x', 128);
	tag[128] = '\0';
	snprintf(s, sizeof(s), "a:%s", tag);
	tap_ok(!kcs_imageref_parse(s, &r, &err), "a 128-character tag is accepted");
	snprintf(s, sizeof(s), "a:%sx", tag);
	tap_ok(kcs_imageref_parse(s, &r, &err) == -1, "a 129-character tag is refused");
	tap_has(err.msg, "more than 128", "tag length reason");
	memset(s, 'a', 599);
	s[599] = '\0';
	tap_ok(kcs_imageref_parse(s, &r, &err) == -1, "a very long input is refused");
}

static int tpl_matches(const char *tpl, const char *ref)
{
	struct kcs_imagetpl t;
	struct kcs_imageref r;
	struct kcs_err err;

	if (kcs_imagetpl_parse(tpl, &t, &err) || kcs_imageref_parse(ref, &r, &err)) {
		tap_diag("%s", err.msg);
		return -1;
	}
	return kcs_imagetpl_match(&t, &r);
}

static const struct { const char *tpl, *ref; int match; } tpls[] = {
	{ "ubuntu:focal", "docker.io/library/ubuntu:focal", 1 },
	{ "docker.io/library/ubuntu:focal", "ubuntu:focal", 1 },
	{ "ubuntu", "ubuntu:latest", 1 },
	{ "ubuntu", "ubuntu:focal", 0 },
	{ "ubuntu:*", "ubuntu:focal", 1 },
	{ "ubuntu:*", "ubuntu@sha256:" D64, 1 },
	{ "ubuntu:focal", "ubuntu:focal@sha256:" D64, 1 },
	{ "ubuntu:focal", "ubuntu@sha256:" D64, 0 },
	{ "ubuntu@sha256:" D64, "ubuntu:any@sha256:" D64, 1 },
	{ "ubuntu@sha256:" D64, "ubuntu:any", 0 },
	{ "ubuntu@*", "ubuntu:x", 0 },
	{ "ubuntu@*", "ubuntu@sha256:" D64, 1 },
	{ "docker.io/library/nginx:*", "nginx:1.25", 1 },
	{ "docker.io/library/nginx:1.*", "nginx:1.25", 1 },
	{ "docker.io/library/nginx:1.*", "nginx:2.0", 0 },
	{ "nginx*", "nginx-exporter:v1", 1 },
	{ "nginx*", "bitnami/nginx", 0 },
	{ "registry.example.com/*", "registry.example.com/team/app:1.0", 1 },
	{ "registry.example.com/*", "registry.example.com/app@sha256:" D64, 1 },
	{ "registry.example.com/*", "registry.example.com.evil.io/app", 0 },
	{ "registry.example.com/team/*", "registry.example.com/other/app", 0 },
	{ "*.example.com/*", "registry.example.com/app", 1 },
	{ "*.example.com/*", "example.com/app", 0 },
	{ "REGISTRY.example.com/app", "registry.example.com/app", 1 },
	{ "*", "nginx", 1 },
	{ "*", "bitnami/nginx:1", 1 },
	{ "*", "quay.io/nginx", 0 },
	{ "*/*", "quay.io/a/b:c", 1 },
	{ "*/*", "nginx", 1 },
	{ "index.docker.io/library/redis:7", "redis:7", 1 },
};

static void test_templates(void)
{
	struct kcs_imagetpl t;
	struct kcs_err err;
	size_t i;

	for (i = 0; i < sizeof(tpls) / sizeof(tpls[0]); i++)
		tap_ok(tpl_matches(tpls[i].tpl, tpls[i].ref) == tpls[i].match,
		       "template \"%s\" %s \"%s\"", tpls[i].tpl,
		       tpls[i].match ? "matches" : "does not match", tpls[i].ref);
	tap_ok(!kcs_imagetpl_parse("ubuntu", &t, &err), "template ubuntu");
	tap_is_str(t.text, "docker.io/library/ubuntu:latest", "template normalised");
	tap_ok(!kcs_imagetpl_parse("registry.example.com/*", &t, &err) && t.any_tag,
	       "a path ending in '*' leaves the tag open");
	tap_ok(kcs_imagetpl_parse("Ubuntu:*", &t, &err) == -1, "upper-case template refused");
	tap_has(err.msg, "image template \"Ubuntu:*\"", "template error names it");
	tap_ok(kcs_imagetpl_parse("nginx:*+", &t, &err) == -1, "bad tag glob refused");
	tap_ok(kcs_imagetpl_parse("nginx@sha256:*X", &t, &err) == -1, "bad digest glob refused");
	tap_ok(kcs_imagetpl_parse("", &t, &err) == -1, "empty template refused");
}

static void test_registries(void)
{
	char out[KCS_IMAGE_NAME_MAX + 1];
	struct kcs_imageref r;
	struct kcs_err err;

	tap_ok(!kcs_registry_parse("index.docker.io", out, &err) &&
	       !strcmp(out, "docker.io"), "index.docker.io is docker.io");
	kcs_imageref_parse("nginx", &r, &err);
	tap_ok(kcs_registry_match("docker.io", &r), "nginx comes from docker.io");
	kcs_imageref_parse("localhost:5000/x", &r, &err);
	tap_ok(!kcs_registry_match("localhost", &r), "localhost does not allow localhost:5000");
	tap_ok(kcs_registry_match("localhost:*", &r), "localhost:* does");
	kcs_imageref_parse("Registry.Example.com/app", &r, &err);
	tap_ok(kcs_registry_match("registry.example.com", &r), "registry hosts compare without case");
	tap_ok(kcs_registry_parse("quay.io/org", out, &err) == -1, "a path is refused");
	tap_has(err.msg, "without a path", "registry path reason");
	tap_ok(kcs_registry_parse("bad_host", out, &err) == -1, "bad host refused");
	tap_ok(kcs_registry_parse("", out, &err) == -1, "empty registry refused");
}

static void test_glob(void)
{
	tap_ok(kcs_glob_match("a*b*c", "axxbyyc", 0), "glob: two stars");
	tap_ok(!kcs_glob_match("a*b*c", "axxbyy", 0), "glob: missing tail");
	tap_ok(kcs_glob_match("*", "", 0), "glob: star matches empty");
	tap_ok(kcs_glob_match("**a", "a", 0), "glob: stars collapse");
	tap_ok(!kcs_glob_match("a", "A", 0) && kcs_glob_match("a", "A", 1), "glob: case");
	tap_ok(!kcs_glob_match("*aaaaaaaaaaaaaaaaaaaab",
			       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0),
	       "glob: backtracking input ends");
}

int main(void)
{
	test_good();
	test_bad();
	test_lengths();
	test_templates();
	test_registries();
	test_glob();
	return tap_done();
}
