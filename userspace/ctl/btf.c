// SPDX-License-Identifier: GPL-2.0
/* Reading the kernel's BTF: see btf.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/btf.h>

#include "btf.h"

/* /sys/kernel/btf/vmlinux reports size 4096 or the real one: read to EOF. */
static int read_all(const char *path, unsigned char **out, size_t *len)
{
	size_t cap = 1 << 20, n = 0;
	unsigned char *buf = malloc(cap), *grown;
	ssize_t r;
	int fd, e;

	if (!buf)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		goto fail;
	for (;;) {
		if (n == cap) {
			if (cap >= (size_t)256 << 20) {
				errno = EFBIG;
				goto fail_fd;
			}
			grown = realloc(buf, cap * 2);
			if (!grown)
				goto fail_fd;
			buf = grown;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto fail_fd;
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*out = buf;
	*len = n;
	return 0;
fail_fd:
	e = errno;
	close(fd);
	errno = e;
fail:
	e = errno;
	free(buf);
	errno = e;
	return -1;
}

/* Bytes that follow a type record of @t's kind (its members, params...). */
static long extra_len(const struct btf_type *t)
{
	long vlen = BTF_INFO_VLEN(t->info);

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT:
		return 4;
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return vlen * (long)sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return vlen * (long)sizeof(struct btf_enum);
	case BTF_KIND_FUNC_PROTO:
		return vlen * (long)sizeof(struct btf_param);
	case BTF_KIND_VAR:
		return sizeof(struct btf_var);
	case BTF_KIND_DATASEC:
		return vlen * (long)sizeof(struct btf_var_secinfo);
	case BTF_KIND_DECL_TAG:
		return sizeof(struct btf_decl_tag);
	case BTF_KIND_ENUM64:
		return vlen * 12L;
	case BTF_KIND_PTR: case BTF_KIND_FWD: case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE: case BTF_KIND_CONST: case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC: case BTF_KIND_FLOAT: case BTF_KIND_TYPE_TAG:
		return 0;
	default:
		return -1;	/* a kind we cannot step over */
	}
}

static int index_types(struct kcs_btf *b, const struct btf_header *h)
{
	const unsigned char *p = b->data + h->hdr_len + h->type_off;
	const unsigned char *end = p + h->type_len;
	uint32_t cap = 1024, n = 1;
	const struct btf_type **v = calloc(cap, sizeof(*v)), **grown;

	if (!v)
		return -1;
	while (p < end) {
		const struct btf_type *t = (const void *)p;
		long extra;

		if ((size_t)(end - p) < sizeof(*t) ||
		    (extra = extra_len(t)) < 0 ||
		    (size_t)(end - p) < sizeof(*t) + (size_t)extra)
			goto bad;
		if (n == cap) {
			grown = realloc(v, 2 * cap * sizeof(*v));
			if (!grown)
				goto fail;
			v = grown;
			cap *= 2;
		}
		v[n++] = t;
		p += sizeof(*t) + (size_t)extra;
	}
	b->types = v;
	b->ntypes = n;
	return 0;
bad:
	errno = EINVAL;
fail:
	free(v);
	return -1;
}

int kcs_btf_load(struct kcs_btf *b, const char *path)
{
	const struct btf_header *h;

	memset(b, 0, sizeof(*b));
	if (read_all(path, &b->data, &b->size))
		return -1;
	h = (const void *)b->data;
	if (b->size < sizeof(*h) || h->magic != BTF_MAGIC ||
	    h->hdr_len < sizeof(*h) || h->hdr_len > b->size ||
	    (h->type_off & 3) ||
	    (uint64_t)h->type_off + h->type_len > b->size - h->hdr_len ||
	    (uint64_t)h->str_off + h->str_len > b->size - h->hdr_len ||
	    !h->str_len)
		goto bad;
	b->strs = (const char *)b->data + h->hdr_len + h->str_off;
	b->str_len = h->str_len;
	if (b->strs[b->str_len - 1])
		goto bad;
	if (index_types(b, h))
		goto fail;
	return 0;
bad:
	errno = EINVAL;
fail:
	{
		int e = errno;

		kcs_btf_free(b);
		errno = e;
	}
	return -1;
}

void kcs_btf_free(struct kcs_btf *b)
{
	free(b->types);
	free(b->data);
	memset(b, 0, sizeof(*b));
}

static const char *name_of(const struct kcs_btf *b, const struct btf_type *t)
{
	return t->name_off < b->str_len ? b->strs + t->name_off : "";
}

uint32_t kcs_btf_find_func(const struct kcs_btf *b, const char *name)
{
	uint32_t id;

	for (id = 1; id < b->ntypes; id++) {
		const struct btf_type *t = b->types[id];

		if (BTF_INFO_KIND(t->info) == BTF_KIND_FUNC &&
		    !strcmp(name_of(b, t), name))
			return id;
	}
	return 0;
}

struct spell {
	char *buf;
	size_t len, at;
	int bad;
};

static void put(struct spell *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (s->bad)
		return;
	va_start(ap, fmt);
	n = vsnprintf(s->buf + s->at, s->len - s->at, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= s->len - s->at)
		s->bad = 1;
	else
		s->at += (size_t)n;
}

/* The compiler's spelling of integer types, as C code writes them. */
static const char *int_name(const char *n)
{
	if (!strcmp(n, "long unsigned int"))
		return "unsigned long";
	if (!strcmp(n, "long int"))
		return "long";
	if (!strcmp(n, "long long unsigned int"))
		return "unsigned long long";
	if (!strcmp(n, "long long int"))
		return "long long";
	if (!strcmp(n, "short unsigned int"))
		return "unsigned short";
	if (!strcmp(n, "short int"))
		return "short";
	if (!strcmp(n, "_Bool"))
		return "bool";
	return n;
}

static void spell_type(const struct kcs_btf *b, uint32_t id, struct spell *s,
		       int depth)
{
	const struct btf_type *t;

	if (!id) {
		put(s, "void");
		return;
	}
	if (id >= b->ntypes || depth > 16) {
		s->bad = 1;
		return;
	}
	t = b->types[id];
	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
		put(s, "%s", int_name(name_of(b, t)));
		break;
	case BTF_KIND_TYPEDEF:
		put(s, "%s", name_of(b, t));
		break;
	case BTF_KIND_STRUCT:
		put(s, "struct %s", name_of(b, t));
		break;
	case BTF_KIND_UNION:
		put(s, "union %s", name_of(b, t));
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		put(s, "enum %s", name_of(b, t));
		break;
	case BTF_KIND_FWD:
		put(s, "%s %s", BTF_INFO_KFLAG(t->info) ? "union" : "struct",
		    name_of(b, t));
		break;
	case BTF_KIND_CONST:
		put(s, "const ");
		spell_type(b, t->type, s, depth + 1);
		break;
	case BTF_KIND_VOLATILE:
		put(s, "volatile ");
		spell_type(b, t->type, s, depth + 1);
		break;
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		spell_type(b, t->type, s, depth + 1);
		break;
	case BTF_KIND_PTR:
		spell_type(b, t->type, s, depth + 1);
		put(s, s->at && s->buf[s->at - 1] == '*' ? "*" : " *");
		break;
	default:
		s->bad = 1;	/* arrays and function pointers: not in our hooks */
	}
}

int kcs_btf_func_type(const struct kcs_btf *b, uint32_t id, char *buf,
		      size_t len)
{
	struct spell s = { .buf = buf, .len = len };
	const struct btf_type *fn, *proto;
	const struct btf_param *p;
	uint32_t i, n;

	if (!len || !id || id >= b->ntypes)
		return -1;
	buf[0] = 0;
	fn = b->types[id];
	if (BTF_INFO_KIND(fn->info) != BTF_KIND_FUNC || !fn->type ||
	    fn->type >= b->ntypes)
		return -1;
	proto = b->types[fn->type];
	if (BTF_INFO_KIND(proto->info) != BTF_KIND_FUNC_PROTO)
		return -1;
	spell_type(b, proto->type, &s, 0);
	put(&s, "(");
	p = (const void *)(proto + 1);
	n = BTF_INFO_VLEN(proto->info);
	for (i = 0; i < n; i++) {
		if (i)
			put(&s, ", ");
		if (!p[i].type && i == n - 1)
			put(&s, "...");
		else
			spell_type(b, p[i].type, &s, 0);
	}
	put(&s, ")");
	return s.bad ? -1 : 0;
}
