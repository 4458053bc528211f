/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Container image references, parsed and normalised the way the
 * distribution/reference rules (Docker, containerd, CRI-O) do, so that
 * "ubuntu:focal" and "docker.io/library/ubuntu:focal" are one image; and
 * the templates policies select images with (docs/policy-format.md).
 */
#ifndef KCS_IMAGEREF_H
#define KCS_IMAGEREF_H

#include "err.h"

/* distribution/reference: a name (domain/path) is at most 255 bytes. */
#define KCS_IMAGE_NAME_MAX	255
#define KCS_IMAGE_TAG_MAX	128
/* "sha512:" and 128 hex digits, the longest digest accepted. */
#define KCS_IMAGE_DIGEST_MAX	136
#define KCS_IMAGE_REF_MAX	(KCS_IMAGE_NAME_MAX + 1 + KCS_IMAGE_TAG_MAX + \
				 1 + KCS_IMAGE_DIGEST_MAX)

struct kcs_imageref {
	char domain[KCS_IMAGE_NAME_MAX + 1];	/* "docker.io" */
	char path[KCS_IMAGE_NAME_MAX + 1];	/* "library/nginx" */
	char tag[KCS_IMAGE_TAG_MAX + 1];	/* "" only with a digest */
	char digest[KCS_IMAGE_DIGEST_MAX + 1];	/* "sha256:..." or "" */
	char name[KCS_IMAGE_NAME_MAX + 1];	/* domain/path */
	char full[KCS_IMAGE_REF_MAX + 1];	/* name[:tag][@digest] */
};

/*
 * Parse and normalise @s: the domain is docker.io unless the first
 * component has a '.' or ':', is "localhost" or has an upper-case letter;
 * index.docker.io is docker.io; a one-component docker.io path gets
 * "library/"; the tag is "latest" when there is neither tag nor digest.
 * Returns 0, or -1 with KCS_EXIT_INVALID and the reason in @err.
 */
int kcs_imageref_parse(const char *s, struct kcs_imageref *ref,
		       struct kcs_err *err);

/* A digest "algorithm:hex" (sha256, sha384, sha512, lower-case hex of the
 * algorithm's length). Returns 0 or -1 with @err set. */
int kcs_digest_check(const char *s, struct kcs_err *err);

/*
 * A template selects images: an image reference in which '*' matches any
 * run of characters (see docs/policy-format.md for the rules). Parsed
 * into its parts, each a glob; tag and digest NULL-like ("" with the
 * any_* flags) when they constrain nothing.
 */
struct kcs_imagetpl {
	char domain[KCS_IMAGE_NAME_MAX + 1];
	char path[KCS_IMAGE_NAME_MAX + 1];
	char tag[KCS_IMAGE_TAG_MAX + 1];
	char digest[KCS_IMAGE_DIGEST_MAX + 1];
	int any_tag;		/* no tag constraint */
	int any_digest;		/* no digest constraint */
	char text[KCS_IMAGE_REF_MAX + 1];	/* normalised, for messages */
};

int kcs_imagetpl_parse(const char *s, struct kcs_imagetpl *t,
		       struct kcs_err *err);
int kcs_imagetpl_match(const struct kcs_imagetpl *t,
		       const struct kcs_imageref *ref);

/*
 * A registry for "registries allowed": host[:port], '*' as in templates
 * ("*.example.com"); index.docker.io is docker.io. @out receives the
 * normalised text (KCS_IMAGE_NAME_MAX + 1 bytes).
 */
int kcs_registry_parse(const char *s, char *out, struct kcs_err *err);
int kcs_registry_match(const char *registry, const struct kcs_imageref *ref);

/* '*'-only glob over whole strings; @nocase folds ASCII case. */
int kcs_glob_match(const char *pat, const char *s, int nocase);

#endif /* KCS_IMAGEREF_H */
