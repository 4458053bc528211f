// SPDX-License-Identifier: GPL-2.0
/* Refreshing ingress FQDN elements in bound namespaces (ingress_refresh.h). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingress_refresh.h"
#include "netns_reg.h"
#include "nft.h"

struct ctx {
	const char *profile;
	const struct kcs_ingress *in;
	uint64_t now_ms;
	kcs_refresh_fn fn;
	void *arg;
	int done;
};

static int blob_eq(const struct kcs_blob *a, const struct kcs_blob *b)
{
	return a->len == b->len && (!a->len || !memcmp(a->data, b->data, a->len));
}

/* The same rules (texts name every rule, FQDN ones included). */
static int same_rules(const struct kcs_ingress *a, const struct kcs_ingress *b)
{
	return a->kind == b->kind && blob_eq(&a->rules, &b->rules) &&
	       blob_eq(&a->rules_text, &b->rules_text) &&
	       blob_eq(&a->except, &b->except);
}

/* A deep copy of @in's FQDN entries into @out (which has none). */
static int copy_fqdn(struct kcs_ingress *out, const struct kcs_ingress *in)
{
	size_t i;

	if (!in->nfqdn)
		return 0;
	out->fqdn = calloc(in->nfqdn, sizeof(*out->fqdn));
	if (!out->fqdn)
		return -1;
	for (i = 0; i < in->nfqdn; i++) {
		const struct kcs_ingress_fqdn *q = &in->fqdn[i];
		struct kcs_ingress_fqdn *o = &out->fqdn[i];

		*o = *q;
		o->ports = NULL;
		o->addrs = NULL;
		out->nfqdn = i + 1;
		if (q->nports) {
			o->ports = malloc(q->nports * sizeof(*o->ports));
			if (!o->ports)
				return -1;
			memcpy(o->ports, q->ports, q->nports * sizeof(*o->ports));
		}
		if (q->naddrs) {
			o->addrs = malloc(q->naddrs * sizeof(*o->addrs));
			if (!o->addrs)
				return -1;
			memcpy(o->addrs, q->addrs, q->naddrs * sizeof(*o->addrs));
		}
	}
	return 0;
}

static void drop_fqdn(struct kcs_ingress *in)
{
	size_t i;

	for (i = 0; i < in->nfqdn; i++) {
		free(in->fqdn[i].ports);
		free(in->fqdn[i].addrs);
	}
	free(in->fqdn);
	in->fqdn = NULL;
	in->nfqdn = 0;
}

static int one(const char *name, void *arg)
{
	struct ctx *c = arg;
	struct kcs_netns_rec r;
	struct kcs_netns_id id;
	struct kcs_err err = { 0 };
	int fd, n;

	if (kcs_netns_rec_load(name, &r, &err))
		return 0;
	if (strcmp(r.profile, c->profile)) {
		kcs_netns_rec_free(&r);
		return 0;
	}
	if (!same_rules(&r.in, c->in)) {
		kcs_err_set(&err, KCS_EXIT_FAILED,
			    "its table was built from other rules of profile %s; bind it again (kcsadm bind --netns) to follow them",
			    c->profile);
		c->fn(r.path, -1, &err, c->arg);
		kcs_netns_rec_free(&r);
		return 0;
	}
	fd = kcs_netns_open(r.path, "netns", &id, &err);
	if (fd >= 0 && (id.dev != r.id.dev || id.ino != r.id.ino)) {
		/* The path names another namespace now: this one is gone. */
		close(fd);
		kcs_netns_rec_free(&r);
		return 0;
	}
	if (fd < 0) {
		if (err.code != KCS_EXIT_NOTFOUND)
			c->fn(r.path, -1, &err, c->arg);
		kcs_netns_rec_free(&r);
		return 0;
	}
	n = kcs_nft_refresh_fqdn(fd, r.path, &r.in, c->in, c->now_ms, &err);
	close(fd);
	if (n >= 0) {
		drop_fqdn(&r.in);
		if (copy_fqdn(&r.in, c->in)) {
			kcs_err_set(&err, KCS_EXIT_FAILED, "out of memory");
			n = -1;
		} else if (kcs_netns_rec_save(&r, &err)) {
			n = -1;
		} else {
			c->done++;
		}
	}
	c->fn(r.path, n, n < 0 ? &err : NULL, c->arg);
	kcs_netns_rec_free(&r);
	return 0;
}

int kcs_ingress_refresh(const char *profile, const struct kcs_ingress *in,
			uint64_t now_ms, kcs_refresh_fn fn, void *arg)
{
	struct ctx c = { profile, in, now_ms, fn, arg, 0 };

	kcs_netns_rec_each(one, &c);
	return c.done;
}
