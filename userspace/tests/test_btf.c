// SPDX-License-Identifier: GPL-2.0
/*
 * The BTF reader kcsadm load checks hook types with: functions found by
 * name and spelled as C writes them, from BTF laid out as the kernel lays
 * it out; malformed BTF refused, never read past its end.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/btf.h>

#include "btf.h"
#include "tap.h"

/* The record info word (kind, kind flag, vlen), as the kernel packs it. */
#define INFO(kind, vlen) ((uint32_t)(kind) << 24 | (uint32_t)(vlen))

struct blob {
	unsigned char types[1024];
	size_t ntypes_len;
	char strs[512];
	size_t strs_len;
};

static uint32_t str(struct blob *b, const char *s)
{
	uint32_t off = (uint32_t)b->strs_len;

	memcpy(b->strs + off, s, strlen(s) + 1);
	b->strs_len += strlen(s) + 1;
	return off;
}

static void put(struct blob *b, const void *p, size_t n)
{
	memcpy(b->types + b->ntypes_len, p, n);
	b->ntypes_len += n;
}

static void type(struct blob *b, const char *name, int kind, int vlen,
		 uint32_t size_or_type)
{
	struct btf_type t = { .name_off = name ? str(b, name) : 0,
			      .info = INFO(kind, vlen),
			      .type = size_or_type };

	put(b, &t, sizeof(t));
}

/* The test's types, ids from 1. */
static void build(struct blob *b)
{
	uint32_t enc = 0;
	struct btf_param p;

	memset(b, 0, sizeof(*b));
	str(b, "");
	type(b, "int", BTF_KIND_INT, 0, 4);			/* 1 */
	enc = BTF_INT_SIGNED << 24 | 32;
	put(b, &enc, 4);
	type(b, "long unsigned int", BTF_KIND_INT, 0, 8);	/* 2 */
	enc = 64;
	put(b, &enc, 4);
	type(b, "linux_binprm", BTF_KIND_STRUCT, 0, 0);		/* 3 */
	type(b, NULL, BTF_KIND_PTR, 0, 3);			/* 4 */
	type(b, NULL, BTF_KIND_FUNC_PROTO, 2, 1);		/* 5 */
	p = (struct btf_param){ .name_off = str(b, "bprm"), .type = 4 };
	put(b, &p, sizeof(p));
	p = (struct btf_param){ .name_off = str(b, "flags"), .type = 2 };
	put(b, &p, sizeof(p));
	type(b, "bpf_lsm_x", BTF_KIND_FUNC, 0, 5);		/* 6 */
	type(b, NULL, BTF_KIND_CONST, 0, 3);			/* 7 */
	type(b, NULL, BTF_KIND_PTR, 0, 7);			/* 8 */
	type(b, NULL, BTF_KIND_PTR, 0, 4);			/* 9 */
	type(b, NULL, BTF_KIND_FUNC_PROTO, 2, 0);		/* 10 */
	p = (struct btf_param){ .type = 8 };
	put(b, &p, sizeof(p));
	p = (struct btf_param){ .type = 9 };
	put(b, &p, sizeof(p));
	type(b, "f2", BTF_KIND_FUNC, 0, 10);			/* 11 */
	type(b, "some_var", BTF_KIND_VAR, 0, 1);		/* 12 */
	enc = 1;
	put(b, &enc, 4);
}

/* Write @b to a file as the kernel lays BTF out; @mangle breaks it. */
static char *write_blob(const struct blob *b, void (*mangle)(unsigned char *, size_t *))
{
	static char path[] = "/tmp/kcs-test-btf.XXXXXX";
	unsigned char buf[4096];
	struct btf_header h = { .magic = BTF_MAGIC, .version = BTF_VERSION,
				.hdr_len = sizeof(h), .type_off = 0,
				.type_len = (uint32_t)b->ntypes_len,
				.str_off = (uint32_t)b->ntypes_len,
				.str_len = (uint32_t)b->strs_len };
	size_t n = 0;
	FILE *f;
	int fd;

	memcpy(buf, &h, sizeof(h));
	n += sizeof(h);
	memcpy(buf + n, b->types, b->ntypes_len);
	n += b->ntypes_len;
	memcpy(buf + n, b->strs, b->strs_len);
	n += b->strs_len;
	if (mangle)
		mangle(buf, &n);
	strcpy(path, "/tmp/kcs-test-btf.XXXXXX");
	fd = mkstemp(path);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f || fwrite(buf, 1, n, f) != n || fclose(f)) {
		perror("btf test file");
		exit(1);
	}
	return path;
}

static void test_spelling(void)
{
	struct kcs_btf btf;
	struct blob b;
	char sig[128], *path;
	uint32_t id;

	build(&b);
	path = write_blob(&b, NULL);
	if (!tap_ok(!kcs_btf_load(&btf, path), "well-formed BTF loads"))
		return;
	unlink(path);
	id = kcs_btf_find_func(&btf, "bpf_lsm_x");
	tap_ok(id == 6, "function found by name (id %u)", id);
	tap_ok(!kcs_btf_func_type(&btf, id, sig, sizeof(sig)), "its type spelled");
	tap_is_str(sig, "int(struct linux_binprm *, unsigned long)",
		   "pointers and the compiler's integer names as C writes them");
	id = kcs_btf_find_func(&btf, "f2");
	tap_ok(!kcs_btf_func_type(&btf, id, sig, sizeof(sig)), "second type spelled");
	tap_is_str(sig, "void(const struct linux_binprm *, struct linux_binprm **)",
		   "void, const and pointers to pointers");
	tap_ok(!kcs_btf_find_func(&btf, "some_var"), "a variable is not a function");
	tap_ok(!kcs_btf_find_func(&btf, "bpf_lsm"), "a prefix does not match");
	tap_ok(kcs_btf_func_type(&btf, 6, sig, 10) == -1, "a buffer too small fails");
	tap_ok(kcs_btf_func_type(&btf, 3, sig, sizeof(sig)) == -1,
	       "a struct is not a function");
	tap_ok(kcs_btf_func_type(&btf, 999, sig, sizeof(sig)) == -1,
	       "an id past the end fails");
	kcs_btf_free(&btf);
}

static void bad_magic(unsigned char *buf, size_t *n)
{
	(void)n;
	buf[0] ^= 0xff;
}

static void truncated(unsigned char *buf, size_t *n)
{
	(void)buf;
	*n -= 40;
}

static void unknown_kind(unsigned char *buf, size_t *n)
{
	struct btf_type *t = (void *)(buf + sizeof(struct btf_header));

	(void)n;
	t->info = INFO(31, 0);
}

static void huge_vlen(unsigned char *buf, size_t *n)
{
	struct btf_type *t = (void *)(buf + sizeof(struct btf_header) +
				      2 * (sizeof(*t) + 4) + sizeof(*t) * 2);

	(void)n;
	t->info = INFO(BTF_KIND_FUNC_PROTO, 0xffff);
}

static void strings_unterminated(unsigned char *buf, size_t *n)
{
	buf[*n - 1] = 'x';
}

static void test_malformed(void)
{
	static const struct {
		void (*mangle)(unsigned char *, size_t *);
		const char *what;
	} cases[] = {
		{ bad_magic, "wrong magic" },
		{ truncated, "sections past the end of the file" },
		{ unknown_kind, "a kind it cannot step over" },
		{ huge_vlen, "a record longer than its section" },
		{ strings_unterminated, "a string section without its last NUL" },
	};
	struct kcs_btf btf;
	struct blob b;
	size_t i;

	build(&b);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = write_blob(&b, cases[i].mangle);
		int ret = kcs_btf_load(&btf, path);

		tap_ok(ret == -1 && errno == EINVAL, "refused: %s", cases[i].what);
		unlink(path);
	}
	tap_ok(kcs_btf_load(&btf, "/nonexistent/btf") == -1 && errno == ENOENT,
	       "a missing file fails with ENOENT");
}

int main(void)
{
	test_spelling();
	test_malformed();
	return tap_done();
}
