// SPDX-License-Identifier: GPL-2.0
/*
 * Image references after the grammar of distribution/reference
 * (reference.go, normalize.go) and go-digest, written from the grammar:
 *
 *   reference  := name [ ":" tag ] [ "@" digest ]
 *   name       := [ domain "/" ] path-component [ "/" path-component ]*
 *   domain     := host [ ":" port ]   host: DNS labels or "[" IPv6 "]"
 *   path-component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag        := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
 *   digest     := algorithm ":" hex   (sha256/384/512, lower-case hex)
 *
 * A registry that receives the normalised name is the one the runtime
 * pulled from, so policies must compare normalised forms only: "nginx" and
 * "index.docker.io/library/nginx:latest" are the same image, and a policy
 * that told them apart could be passed by spelling the name differently.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "imageref.h"
#include "json_check.h"	/* kcs_json_bad: invalid input, exit 3 */

#define DEFAULT_DOMAIN	"docker.io"
#define LEGACY_DOMAIN	"index.docker.io"
#define OFFICIAL_PREFIX	"library/"
#define DEFAULT_TAG	"latest"

static int is_lower_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static int is_word(int c)
{
	return isascii(c) && (isalnum(c) || c == '_');
}

/* ---- the parts ---- */

static int tag_check(const char *t, struct kcs_err *err)
{
	size_t i, n = strlen(t);

	if (!n)
		return kcs_json_bad(err, "empty tag after ':'");
	if (n > KCS_IMAGE_TAG_MAX)
		return kcs_json_bad(err, "tag is %zu characters, more than %d", n,
				    KCS_IMAGE_TAG_MAX);
	if (!is_word((unsigned char)t[0]))
		return kcs_json_bad(err, "tag \"%s\" must start with a letter, digit or '_'", t);
	for (i = 1; i < n; i++)
		if (!is_word((unsigned char)t[i]) && t[i] != '.' && t[i] != '-')
			return kcs_json_bad(err, "tag \"%s\": invalid character '%c' (letters, digits, '_', '.', '-')",
					    t, t[i]);
	return 0;
}

int kcs_digest_check(const char *s, struct kcs_err *err)
{
	static const struct { const char *alg; size_t hex; } algs[] = {
		{ "sha256", 64 }, { "sha384", 96 }, { "sha512", 128 },
	};
	const char *colon = strchr(s, ':'), *h;
	size_t i, alen;

	if (!colon)
		return kcs_json_bad(err, "digest \"%s\" has no ':' (algorithm:hex, e.g. sha256:...)", s);
	alen = (size_t)(colon - s);
	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
		if (strlen(algs[i].alg) == alen && !strncmp(s, algs[i].alg, alen))
			break;
	if (i == sizeof(algs) / sizeof(algs[0]))
		return kcs_json_bad(err, "digest \"%s\": unsupported algorithm \"%.*s\" (sha256, sha384 or sha512)",
				    s, (int)alen, s);
	for (h = colon + 1; *h; h++) {
		if (*h >= 'A' && *h <= 'F')
			return kcs_json_bad(err, "digest \"%s\": hex digits must be lower case", s);
		if (!isxdigit((unsigned char)*h))
			return kcs_json_bad(err, "digest \"%s\": '%c' is not a hex digit", s, *h);
	}
	if ((size_t)(h - colon - 1) != algs[i].hex)
		return kcs_json_bad(err, "digest \"%s\": %s needs %zu hex digits, got %zu",
				    s, algs[i].alg, algs[i].hex, (size_t)(h - colon - 1));
	return 0;
}

/* One DNS label of a registry host: [A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])? */
static int label_ok(const char *l, size_t n)
{
	size_t i;

	if (!n || !isalnum((unsigned char)l[0]) || !isalnum((unsigned char)l[n - 1]))
		return 0;
	for (i = 0; i < n; i++)
		if (!isascii((unsigned char)l[i]) ||
		    (!isalnum((unsigned char)l[i]) && l[i] != '-'))
			return 0;
	return 1;
}

static int domain_check(const char *d, struct kcs_err *err)
{
	const char *port = NULL, *p, *end;

	if (d[0] == '[') {
		end = strchr(d, ']');
		if (!end || end == d + 1 ||
		    strspn(d + 1, "0123456789abcdefABCDEF:") != (size_t)(end - d - 1))
			return kcs_json_bad(err, "registry \"%s\": invalid IPv6 address in brackets", d);
		if (end[1] && end[1] != ':')
			return kcs_json_bad(err, "registry \"%s\": unexpected text after ']'", d);
		port = end[1] ? end + 1 : NULL;
	} else {
		end = strchr(d, ':');
		if (!end)
			end = d + strlen(d);
		port = *end ? end : NULL;
		for (p = d; p <= end; ) {
			const char *dot = memchr(p, '.', (size_t)(end - p));
			const char *le = dot ? dot : end;

			if (!label_ok(p, (size_t)(le - p)))
				return kcs_json_bad(err, "registry \"%s\": invalid host name (labels of letters, digits and '-', not starting or ending with '-')",
						    d);
			p = le + 1;
		}
	}
	if (port && (!port[1] || strspn(port + 1, "0123456789") != strlen(port + 1)))
		return kcs_json_bad(err, "registry \"%s\": port must be a number", d);
	return 0;
}

/* One path component: lower-case letters and digits joined by '.', '_',
 * "__" or a run of '-'. */
static int component_check(const char *path, const char *c, size_t n,
			   struct kcs_err *err)
{
	size_t i = 0, j;

	if (!n)
		return kcs_json_bad(err, "repository \"%s\": empty path component", path);
	if (!is_lower_alnum((unsigned char)c[0]) ||
	    !is_lower_alnum((unsigned char)c[n - 1]))
		return kcs_json_bad(err, "repository \"%s\": component \"%.*s\" must start and end with a lower-case letter or digit",
				    path, (int)n, c);
	while (i < n) {
		if (is_lower_alnum((unsigned char)c[i])) {
			i++;
			continue;
		}
		for (j = i; j < n && !is_lower_alnum((unsigned char)c[j]); j++)
			;
		if (!((j - i == 1 && (c[i] == '.' || c[i] == '_')) ||
		      (j - i == 2 && c[i] == '_' && c[i + 1] == '_') ||
		      strspn(c + i, "-") >= j - i))
			return kcs_json_bad(err, "repository \"%s\": invalid separator \"%.*s\" (one of '.', '_', \"__\" or '-'s)",
					    path, (int)(j - i), c + i);
		i = j;
	}
	return 0;
}

static int path_check(const char *path, struct kcs_err *err)
{
	const char *p, *slash;

	for (p = path; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			return kcs_json_bad(err, "repository \"%s\" must be lower case", path);
		if (!is_lower_alnum((unsigned char)*p) && !strchr("._-/", *p))
			return kcs_json_bad(err, "repository \"%s\": invalid character '%c'",
					    path, *p);
	}
	for (p = path;; p = slash + 1) {
		slash = strchr(p, '/');
		if (component_check(path, p, slash ? (size_t)(slash - p) : strlen(p),
				    err))
			return -1;
		if (!slash)
			return 0;
	}
}

/* ---- splitting, shared by references and templates ---- */

struct parts {
	char name[KCS_IMAGE_REF_MAX + 1];	/* before the tag */
	const char *tag;			/* in name[] after a NUL, or NULL */
	const char *digest;
	char domain[KCS_IMAGE_NAME_MAX + 1];
	char path[KCS_IMAGE_REF_MAX + 1];
};

/* @tpl: a first component with '*' names a domain too. */
static int split(const char *s, struct parts *p, int tpl, struct kcs_err *err)
{
	char *at, *colon, *slash, *first_end;
	size_t flen;

	if (!*s)
		return kcs_json_bad(err, "empty image reference");
	if (strlen(s) >= sizeof(p->name))
		return kcs_json_bad(err, "longer than %d characters", KCS_IMAGE_REF_MAX);
	strcpy(p->name, s);
	p->tag = p->digest = NULL;
	at = strchr(p->name, '@');
	if (at) {
		*at = '\0';
		p->digest = at + 1;
		if (strchr(p->digest, '@'))
			return kcs_json_bad(err, "more than one '@'");
	}
	slash = strrchr(p->name, '/');
	colon = strrchr(p->name, ':');
	if (colon && (!slash || colon > slash)) {
		*colon = '\0';
		p->tag = colon + 1;
	}
	if (!p->name[0])
		return kcs_json_bad(err, "missing repository name");
	first_end = strchr(p->name, '/');
	flen = first_end ? (size_t)(first_end - p->name) : 0;
	if (first_end && (memchr(p->name, '.', flen) || memchr(p->name, ':', flen) ||
			  (flen == 9 && !strncmp(p->name, "localhost", 9)) ||
			  (tpl && memchr(p->name, '*', flen)) ||
			  /* upper case is never valid in a path */
			  strcspn(p->name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") < flen)) {
		if (flen > KCS_IMAGE_NAME_MAX)
			return kcs_json_bad(err, "registry name longer than %d characters",
					    KCS_IMAGE_NAME_MAX);
		memcpy(p->domain, p->name, flen);
		p->domain[flen] = '\0';
		strcpy(p->path, first_end + 1);
	} else {
		strcpy(p->domain, DEFAULT_DOMAIN);
		strcpy(p->path, p->name);
	}
	if (!strcmp(p->domain, LEGACY_DOMAIN))
		strcpy(p->domain, DEFAULT_DOMAIN);
	return 0;
}

/* docker.io's one-component names are its official images, "library/". */
static int add_library(struct parts *p, int tpl, struct kcs_err *err)
{
	if (strcmp(p->domain, DEFAULT_DOMAIN) || strchr(p->path, '/') ||
	    (tpl && !strcmp(p->path, "*")))
		return 0;
	if (strlen(p->path) + strlen(OFFICIAL_PREFIX) >= sizeof(p->path))
		return kcs_json_bad(err, "name longer than %d characters",
				    KCS_IMAGE_NAME_MAX);
	memmove(p->path + strlen(OFFICIAL_PREFIX), p->path, strlen(p->path) + 1);
	memcpy(p->path, OFFICIAL_PREFIX, strlen(OFFICIAL_PREFIX));
	return 0;
}

static int name_len_check(const struct parts *p, struct kcs_err *err)
{
	size_t n = strlen(p->domain) + 1 + strlen(p->path);

	if (n > KCS_IMAGE_NAME_MAX)
		return kcs_json_bad(err, "name \"%s/%s\" is %zu characters, more than %d",
				    p->domain, p->path, n, KCS_IMAGE_NAME_MAX);
	return 0;
}

static int is_image_id(const char *s)
{
	return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

int kcs_imageref_parse(const char *s, struct kcs_imageref *ref,
		       struct kcs_err *err)
{
	struct parts p;

	memset(ref, 0, sizeof(*ref));
	/* What `docker images` shows as IMAGE ID is not a name; Docker
	 * refuses it as a reference too. */
	if (is_image_id(s))
		return kcs_json_bad(err, "image reference \"%s\": a 64-digit hex string is an image ID, not a reference",
				    s);
	if (split(s, &p, 0, err) ||
	    (p.tag && tag_check(p.tag, err)) ||
	    (p.digest && kcs_digest_check(p.digest, err)) ||
	    domain_check(p.domain, err) || path_check(p.path, err) ||
	    add_library(&p, 0, err) || name_len_check(&p, err))
		return kcs_err_prefix(err, "image reference \"%s\"", s);
	strcpy(ref->domain, p.domain);
	strcpy(ref->path, p.path);
	/* Lengths checked above (name_len_check): never truncated. */
	if (snprintf(ref->name, sizeof(ref->name), "%s/%s", p.domain,
		     p.path) >= (int)sizeof(ref->name))
		return kcs_json_bad(err, "image reference \"%s\": name too long", s);
	if (p.tag)
		strcpy(ref->tag, p.tag);
	else if (!p.digest)
		strcpy(ref->tag, DEFAULT_TAG);
	if (p.digest)
		strcpy(ref->digest, p.digest);
	snprintf(ref->full, sizeof(ref->full), "%s%s%s%s%s", ref->name,
		 ref->tag[0] ? ":" : "", ref->tag, ref->digest[0] ? "@" : "",
		 ref->digest);
	return 0;
}

/* ---- templates ---- */

/* @s with every '*' as 'a', to check a glob against the grammar. */
static void unstar(char *dst, const char *s, size_t size)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < size; i++)
		dst[i] = s[i] == '*' ? 'a' : s[i];
	dst[i] = '\0';
}

int kcs_imagetpl_parse(const char *s, struct kcs_imagetpl *t,
		       struct kcs_err *err)
{
	char tmp[KCS_IMAGE_REF_MAX + 1];
	struct parts p;
	size_t pl;

	memset(t, 0, sizeof(*t));
	if (split(s, &p, 1, err))
		goto bad;
	if (p.tag) {
		unstar(tmp, p.tag, sizeof(tmp));
		if (tag_check(tmp, err))
			goto bad;
	}
	/* A digest with '*' can only be checked for its alphabet. */
	if (p.digest && !strchr(p.digest, '*') &&
	    kcs_digest_check(p.digest, err))
		goto bad;
	if (p.digest && strspn(p.digest, "abcdefghijklmnopqrstuvwxyz0123456789:*") !=
	    strlen(p.digest)) {
		kcs_json_bad(err, "digest \"%s\": only lower-case letters, digits, ':' and '*'",
			     p.digest);
		goto bad;
	}
	unstar(tmp, p.domain, sizeof(tmp));
	if (domain_check(tmp, err))
		goto bad;
	unstar(tmp, p.path, sizeof(tmp));
	if (path_check(tmp, err) || add_library(&p, 1, err) ||
	    name_len_check(&p, err))
		goto bad;
	strcpy(t->domain, p.domain);
	strcpy(t->path, p.path);
	pl = strlen(p.path);
	if (p.tag)
		strcpy(t->tag, p.tag);
	/* "nginx" is nginx:latest as for `docker run`; a path ending in
	 * '*' and a template by digest say nothing about the tag. */
	else if (p.digest || p.path[pl - 1] == '*')
		t->any_tag = 1;
	else
		strcpy(t->tag, DEFAULT_TAG);
	if (p.digest)
		strcpy(t->digest, p.digest);
	else
		t->any_digest = 1;
	if (snprintf(t->text, sizeof(t->text), "%s/%s%s%s%s%s", t->domain,
		     t->path, t->any_tag ? "" : ":", t->tag,
		     t->any_digest ? "" : "@", t->digest) >= (int)sizeof(t->text)) {
		kcs_json_bad(err, "longer than %d characters", KCS_IMAGE_REF_MAX);
		goto bad;
	}
	return 0;
bad:
	return kcs_err_prefix(err, "image template \"%s\"", s);
}

int kcs_glob_match(const char *pat, const char *s, int nocase)
{
	const char *star = NULL, *resume = NULL;

	/* Greedy with one backtrack point: the last '*' seen takes one more
	 * character each time the rest fails. Linear in practice, no
	 * recursion on hostile input. */
	while (*s) {
		if (*pat == '*') {
			star = ++pat;
			resume = s;
		} else if (*pat && (nocase ? tolower((unsigned char)*pat) ==
					     tolower((unsigned char)*s) :
					     *pat == *s)) {
			pat++;
			s++;
		} else if (star) {
			pat = star;
			s = ++resume;
		} else {
			return 0;
		}
	}
	while (*pat == '*')
		pat++;
	return !*pat;
}

int kcs_imagetpl_match(const struct kcs_imagetpl *t,
		       const struct kcs_imageref *ref)
{
	/* Host names are case-insensitive; paths and tags are not. */
	if (!kcs_glob_match(t->domain, ref->domain, 1) ||
	    !kcs_glob_match(t->path, ref->path, 0))
		return 0;
	if (!t->any_tag && !kcs_glob_match(t->tag, ref->tag, 0))
		return 0;
	if (!t->any_digest &&
	    (!ref->digest[0] || !kcs_glob_match(t->digest, ref->digest, 0)))
		return 0;
	return 1;
}

/* ---- registries ---- */

int kcs_registry_parse(const char *s, char *out, struct kcs_err *err)
{
	char tmp[KCS_IMAGE_NAME_MAX + 1];

	if (!*s)
		return kcs_json_bad(err, "empty registry");
	if (strlen(s) > KCS_IMAGE_NAME_MAX)
		return kcs_json_bad(err, "registry longer than %d characters",
				    KCS_IMAGE_NAME_MAX);
	if (strchr(s, '/'))
		return kcs_json_bad(err, "registry \"%s\": a registry is host[:port], without a path",
				    s);
	unstar(tmp, s, sizeof(tmp));
	if (domain_check(tmp, err))
		return -1;
	strcpy(out, strcmp(s, LEGACY_DOMAIN) ? s : DEFAULT_DOMAIN);
	return 0;
}

int kcs_registry_match(const char *registry, const struct kcs_imageref *ref)
{
	return kcs_glob_match(registry, ref->domain, 1);
}
