/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Policies and registered images on disk, under $KCS_CONFDIR (default
 * /etc/kcs, read at boot): policies/NAME.json, one policy each, and
 * images, the registered images one per line. Every write is a new file
 * renamed over the old one, after validation: a reader (a hook starting a
 * container) sees the old state or the new, never half of one, and an
 * invalid policy never reaches the directory.
 */
#ifndef KCS_POLICY_STORE_H
#define KCS_POLICY_STORE_H

#include <stddef.h>

#include "err.h"
#include "policy.h"

#define KCS_CONFDIR_DEFAULT	"/etc/kcs"
/* Larger policy documents are refused before parsing. */
#define KCS_POLICY_FILE_MAX	(4U << 20)

/* $KCS_CONFDIR or KCS_CONFDIR_DEFAULT. */
const char *kcs_conf_dir(void);

/* Validate @buf as a policy and store it as policies/NAME.json; @pol gets
 * the parsed policy (free it). @replaced: whether NAME existed. */
int kcs_policy_store_put(const char *buf, size_t len, const char *origin,
			 struct kcs_policy *pol, int *replaced,
			 struct kcs_err *err);

/* Read policy @name: its text (malloc'ed, may be NULL) and parsed form. */
int kcs_policy_store_get(const char *name, char **text,
			 struct kcs_policy *pol, struct kcs_err *err);

int kcs_policy_store_del(const char *name, struct kcs_err *err);

struct kcs_policy_set {
	struct kcs_policy *v;	/* by name */
	size_t n;
};

/* Every stored policy; one that does not parse fails the whole (exit 3,
 * naming the file): judging containers by some of the policies would be
 * judging them by a policy nobody wrote. */
int kcs_policy_store_load(struct kcs_policy_set *set, struct kcs_err *err);
void kcs_policy_set_free(struct kcs_policy_set *set);

/* ---- registered images ---- */

struct kcs_image_list {
	char **v;		/* sorted, unique */
	size_t n;
};

/* The list; no file is an empty list. */
int kcs_images_load(struct kcs_image_list *l, struct kcs_err *err);
void kcs_images_free(struct kcs_image_list *l);

/* Add/remove one normalised entry (a reference or a digest). @changed:
 * 0 when it was there already (add) ; del fails with exit 6 when absent. */
int kcs_images_add(const char *entry, int *changed, struct kcs_err *err);
int kcs_images_del(const char *entry, struct kcs_err *err);

#endif /* KCS_POLICY_STORE_H */
