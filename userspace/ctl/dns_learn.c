// SPDX-License-Identifier: GPL-2.0
/* Addresses learned from containers' DNS answers (dns_learn.h). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dns_learn.h"

/* A rule's name and an answer's agree up to case and a final dot. */
static int same_name(const char *rule, const char *q)
{
	size_t n = strlen(rule);

	if (n && rule[n - 1] == '.')
		n--;
	return strlen(q) == n && !strncasecmp(rule, q, n);
}

static struct kcs_dns_name *find(const struct kcs_dns_learned *l,
				 const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (same_name(l->names[i].fqdn, name))
			return &l->names[i];
	return NULL;
}

/* Append @name to @v (of *@n) unless there: 0, or -1 (no memory). */
static int add_name(struct kcs_dns_name **v, size_t *n, const char *name)
{
	struct kcs_dns_name *nv;
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcasecmp((*v)[i].fqdn, name))
			return 0;
	nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv)
		return -1;
	*v = nv;
	memset(&nv[*n], 0, sizeof(nv[*n]));
	nv[*n].fqdn = strdup(name);
	if (!nv[*n].fqdn)
		return -1;
	(*n)++;
	return 0;
}

static void free_names(struct kcs_dns_name *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].fqdn);
		free(v[i].v);
	}
	free(v);
}

int kcs_dns_learned_retarget(struct kcs_dns_learned *l,
			     const struct kcs_net_spec *spec)
{
	const struct kcs_net_ruleset *sets[2] = { &spec->egress.rules,
						  &spec->egress.except };
	struct kcs_dns_name *v = NULL, *old;
	size_t n = 0, i, k;

	for (k = 0; k < 2; k++)
		for (i = 0; i < sets[k]->n; i++)
			if (sets[k]->rules[i].fqdn &&
			    add_name(&v, &n, sets[k]->rules[i].fqdn)) {
				free_names(v, n);
				return -1;
			}
	/* What was learned for a name the new version still has stays. */
	for (i = 0; i < n; i++) {
		old = find(l, v[i].fqdn);
		if (old) {
			v[i].v = old->v;
			v[i].n = old->n;
			old->v = NULL;
			old->n = 0;
		}
	}
	free_names(l->names, l->n);
	l->names = v;
	l->n = n;
	return 0;
}

void kcs_dns_learned_free(struct kcs_dns_learned *l)
{
	free_names(l->names, l->n);
	l->names = NULL;
	l->n = 0;
}

static int same_addr(const struct kcs_net_resolved *a,
		     const struct kcs_net_resolved *b)
{
	return a->v6 == b->v6 && !memcmp(a->w, b->w, sizeof(a->w));
}

int kcs_dns_learned_add(struct kcs_dns_learned *l,
			const struct kcs_dns_answer *a, uint64_t now_ms)
{
	struct kcs_dns_name *nm = find(l, a->qname);
	struct kcs_net_resolved addrs[KCS_DNS_MAX_ADDRS];
	size_t i, k, n = a->naddrs;
	int fresh = 0;

	if (!nm)
		return -1;
	/* Mapped AAAA answers become IPv4, as the node's resolution does. */
	memcpy(addrs, a->addrs, n * sizeof(addrs[0]));
	kcs_net_addrs_normalize(addrs, &n);
	for (i = 0; i < n; i++) {
		uint64_t ttl = addrs[i].ttl > l->min_s ? addrs[i].ttl : l->min_s;
		uint64_t until = now_ms + (ttl + l->grace_s) * 1000;
		struct kcs_dns_learned_addr *slot = NULL;

		for (k = 0; k < nm->n; k++)
			if (same_addr(&nm->v[k].a, &addrs[i]))
				slot = &nm->v[k];
		if (!slot && nm->n < KCS_DNS_LEARN_MAX) {
			struct kcs_dns_learned_addr *nv =
				realloc(nm->v, (nm->n + 1) * sizeof(*nv));

			if (nv) {
				nm->v = nv;
				slot = &nv[nm->n++];
				slot->expires_ms = 0;
			}
		}
		if (!slot && nm->n) {
			/* Full: the address expiring first makes room. */
			slot = &nm->v[0];
			for (k = 1; k < nm->n; k++)
				if (nm->v[k].expires_ms < slot->expires_ms)
					slot = &nm->v[k];
			slot->expires_ms = 0;
		}
		if (!slot)
			continue;
		if (!slot->expires_ms) {
			slot->a = addrs[i];
			fresh++;
		}
		if (until > slot->expires_ms)
			slot->expires_ms = until;
	}
	return fresh;
}

size_t kcs_dns_learned_expire(struct kcs_dns_learned *l, uint64_t now_ms)
{
	size_t i, k, j, gone = 0;

	for (i = 0; i < l->n; i++) {
		struct kcs_dns_name *nm = &l->names[i];

		for (k = j = 0; k < nm->n; k++) {
			if (nm->v[k].expires_ms <= now_ms) {
				gone++;
				continue;
			}
			nm->v[j++] = nm->v[k];
		}
		nm->n = j;
	}
	return gone;
}

uint64_t kcs_dns_learned_next(const struct kcs_dns_learned *l)
{
	uint64_t next = UINT64_MAX;
	size_t i, k;

	for (i = 0; i < l->n; i++)
		for (k = 0; k < l->names[i].n; k++)
			if (l->names[i].v[k].expires_ms < next)
				next = l->names[i].v[k].expires_ms;
	return next;
}

int kcs_dns_learned_overlay(const struct kcs_dns_learned *l,
			    struct kcs_net_ruleset *set, uint64_t now_ms,
			    struct kcs_dns_overlay *o)
{
	size_t i, k;

	o->set = set;
	o->done = 0;
	o->addrs = calloc(set->n ? set->n : 1, sizeof(*o->addrs));
	o->naddrs = calloc(set->n ? set->n : 1, sizeof(*o->naddrs));
	if (!o->addrs || !o->naddrs)
		goto oom;
	for (i = 0; i < set->n; i++) {
		struct kcs_net_rule *r = &set->rules[i];
		const struct kcs_dns_name *nm = r->fqdn ? find(l, r->fqdn) : NULL;
		struct kcs_net_resolved *v;
		size_t n;

		o->addrs[i] = r->addrs;
		o->naddrs[i] = r->naddrs;
		o->done = i + 1;
		if (!nm || !nm->n)
			continue;
		v = malloc((r->naddrs + nm->n) * sizeof(*v));
		if (!v)
			goto oom;
		if (r->naddrs)
			memcpy(v, r->addrs, r->naddrs * sizeof(*v));
		n = r->naddrs;
		for (k = 0; k < nm->n; k++) {
			v[n] = nm->v[k].a;
			v[n].ttl = nm->v[k].expires_ms > now_ms ?
				   (uint32_t)((nm->v[k].expires_ms - now_ms) / 1000) : 0;
			n++;
		}
		kcs_net_addrs_normalize(v, &n);
		r->addrs = v;
		r->naddrs = n;
	}
	return 0;
oom:
	kcs_dns_overlay_restore(o);
	return -1;
}

void kcs_dns_overlay_restore(struct kcs_dns_overlay *o)
{
	size_t i;

	/* Rules past a failure (i >= done) still have their own. */
	for (i = 0; i < o->done; i++) {
		struct kcs_net_rule *r = &o->set->rules[i];

		if (r->addrs != o->addrs[i]) {
			free(r->addrs);
			r->addrs = o->addrs[i];
			r->naddrs = o->naddrs[i];
		}
	}
	free(o->addrs);
	free(o->naddrs);
	o->addrs = NULL;
	o->naddrs = NULL;
}
