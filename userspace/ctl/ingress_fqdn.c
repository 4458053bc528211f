// SPDX-License-Identifier: GPL-2.0
/*
 * The timed nftables set elements of ingress FQDN rules: per rule set,
 * family and protocol, one (address . port range) element per address and
 * disjoint port range, timing out when the DNS answers behind it expire.
 * nftables refuses overlapping elements in an interval set, so ranges of
 * several rules resolving to the same address are cut into disjoint
 * pieces; a piece expires with the longest-lived answer covering it.
 */
#include <stdlib.h>
#include <string.h>

#include "ingress_fqdn.h"

struct hit {			/* one FQDN rule's claim on one address */
	const struct kcs_ingress_fqdn *q;
	const struct kcs_ingress_addr *a;
};

static int hit_cmp(const void *x, const void *y)
{
	const struct hit *a = x, *b = y;

	return memcmp(a->a->w, b->a->w, sizeof(a->a->w));
}

static int u32_cmp(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return a < b ? -1 : a > b;
}

struct vec {
	struct kcs_fqdn_elem *v;
	size_t n, cap;
};

static int push(struct vec *v, const struct kcs_fqdn_elem *e)
{
	if (v->n && v->v[v->n - 1].hi + 1U == e->lo &&
	    v->v[v->n - 1].expires_ms == e->expires_ms &&
	    !memcmp(v->v[v->n - 1].w, e->w, sizeof(e->w))) {
		v->v[v->n - 1].hi = e->hi;	/* adjacent, same expiry */
		return 0;
	}
	if (v->n == v->cap) {
		size_t cap = v->cap ? 2 * v->cap : 16;
		struct kcs_fqdn_elem *nv = realloc(v->v, cap * sizeof(*nv));

		if (!nv)
			return -1;
		v->v = nv;
		v->cap = cap;
	}
	v->v[v->n++] = *e;
	return 0;
}

/* Elements for the hits h[0..n) (all one address) into @out. */
static int one_addr(const struct hit *h, size_t n, struct vec *out)
{
	uint32_t *cut;
	size_t nc = 0, i, j, k;
	int ret = -1;

	for (i = 0; i < n; i++)
		nc += h[i].q->nports ? 2 * h[i].q->nports : 2;
	cut = malloc(nc * sizeof(*cut));
	if (!cut)
		return -1;
	nc = 0;
	for (i = 0; i < n; i++) {
		if (!h[i].q->nports) {
			cut[nc++] = 0;
			cut[nc++] = 65536;
		}
		for (k = 0; k < h[i].q->nports; k++) {
			cut[nc++] = h[i].q->ports[k].lo;
			cut[nc++] = (uint32_t)h[i].q->ports[k].hi + 1;
		}
	}
	qsort(cut, nc, sizeof(*cut), u32_cmp);
	for (i = 0, k = 0; i < nc; i++)
		if (!k || cut[k - 1] != cut[i])
			cut[k++] = cut[i];
	nc = k;
	for (i = 0; i + 1 < nc; i++) {
		struct kcs_fqdn_elem e = { .v6 = h[0].a->v6, .lo = (uint16_t)cut[i],
					   .hi = (uint16_t)(cut[i + 1] - 1) };

		memcpy(e.w, h[0].a->w, sizeof(e.w));
		for (j = 0; j < n; j++) {
			const struct kcs_ingress_fqdn *q = h[j].q;
			int in = !q->nports;

			for (k = 0; !in && k < q->nports; k++)
				in = q->ports[k].lo <= e.lo && e.hi <= q->ports[k].hi;
			if (in && h[j].a->expires_ms > e.expires_ms)
				e.expires_ms = h[j].a->expires_ms;
		}
		if (e.expires_ms && push(out, &e))
			goto out;
	}
	ret = 0;
out:
	free(cut);
	return ret;
}

ssize_t kcs_fqdn_elems(const struct kcs_ingress *in, uint32_t set, int v6,
		       uint32_t proto, uint64_t now_ms,
		       struct kcs_fqdn_elem **elems)
{
	struct vec out = { 0 };
	struct hit *h = NULL;
	size_t n = 0, i, k, start;

	*elems = NULL;
	for (i = 0; i < in->nfqdn; i++)
		n += in->fqdn[i].naddrs;
	if (!n)
		return 0;
	h = malloc(n * sizeof(*h));
	if (!h)
		return -1;
	n = 0;
	for (i = 0; i < in->nfqdn; i++) {
		const struct kcs_ingress_fqdn *q = &in->fqdn[i];

		if (q->set != set || !(q->proto & proto))
			continue;
		for (k = 0; k < q->naddrs; k++)
			if (q->addrs[k].v6 == v6 && q->addrs[k].expires_ms > now_ms)
				h[n++] = (struct hit){ q, &q->addrs[k] };
	}
	qsort(h, n, sizeof(*h), hit_cmp);
	for (start = 0; start < n; start = i) {
		for (i = start + 1; i < n && !hit_cmp(&h[start], &h[i]); i++)
			;
		if (one_addr(h + start, i - start, &out)) {
			free(out.v);
			free(h);
			return -1;
		}
	}
	free(h);
	*elems = out.v;
	return (ssize_t)out.n;
}
