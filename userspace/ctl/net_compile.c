// SPDX-License-Identifier: GPL-2.0
/*
 * Compiling network rules into the kernel's lookup structure (struct
 * kcs_net_hdr, uapi/linux/kcs.h): per address family, the address space is
 * cut at every rule boundary into disjoint intervals; each interval gets
 * the disjoint port ranges that some rule covering it covers, with the
 * lowest-numbered rule per protocol. Adjacent intervals with identical port
 * lists are merged. The kernel then answers "which rule?" with two binary
 * searches, whatever the number of rules.
 */
#include <stdlib.h>
#include <string.h>

#include "net.h"

/* A 128-bit address as four words, most significant first. */
typedef struct { uint32_t w[4]; } a128;

static int acmp(const a128 *a, const a128 *b)
{
	int i;

	for (i = 0; i < 4; i++)
		if (a->w[i] != b->w[i])
			return a->w[i] < b->w[i] ? -1 : 1;
	return 0;
}

/* a + 1; returns 1 on wrap-around (a was the maximum). */
static int ainc(a128 *a)
{
	int i;

	for (i = 3; i >= 0; i--)
		if (++a->w[i])
			return 0;
	return 1;
}

static int adec(a128 *a)
{
	int i;

	for (i = 3; i >= 0; i--)
		if (a->w[i]--)
			return 0;
	return 1;
}

static int acmp_q(const void *x, const void *y)
{
	return acmp(x, y);
}

struct part {			/* one rule's address range in one family */
	a128 lo, hi;
	const struct kcs_net_rule *r;
	uint32_t idx;
};

static int part_cmp(const void *x, const void *y)
{
	return acmp(&((const struct part *)x)->lo, &((const struct part *)y)->lo);
}

struct vec {
	void *p;
	size_t n, cap, sz;
};

static void *vpush(struct vec *v)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		void *np = realloc(v->p, cap * v->sz);

		if (!np)
			return NULL;
		v->p = np;
		v->cap = cap;
	}
	return (char *)v->p + v->n++ * v->sz;
}

/* The port entries for the rules in @act (@nact of them), into @out. */
static int port_list(struct part **act, size_t nact, struct vec *out)
{
	uint32_t cuts[2 * 64 + 2], *c = cuts;
	size_t nc = 0, cap = sizeof(cuts) / sizeof(cuts[0]), i, j, k;
	int ret = -1;

	for (i = 0; i < nact; i++)
		nc += act[i]->r->nports ? 2 * act[i]->r->nports : 2;
	if (nc > cap) {
		c = malloc(nc * sizeof(*c));
		if (!c)
			return -1;
	}
	nc = 0;
	for (i = 0; i < nact; i++) {
		const struct kcs_net_rule *r = act[i]->r;

		if (!r->nports) {
			c[nc++] = 0;
			c[nc++] = 65536;
		}
		for (j = 0; j < r->nports; j++) {
			c[nc++] = r->ports[j].lo;
			c[nc++] = (uint32_t)r->ports[j].hi + 1;
		}
	}
	/* Sort (small n: insertion) and deduplicate. */
	for (i = 1; i < nc; i++) {
		uint32_t x = c[i];

		for (j = i; j > 0 && c[j - 1] > x; j--)
			c[j] = c[j - 1];
		c[j] = x;
	}
	for (i = 0, k = 0; i < nc; i++)
		if (!k || c[k - 1] != c[i])
			c[k++] = c[i];
	nc = k;
	for (i = 0; i + 1 < nc; i++) {
		uint32_t lo = c[i], hi = c[i + 1] - 1;
		uint32_t tcp = KCS_NET_NO_RULE, udp = KCS_NET_NO_RULE;
		struct kcs_net_port *prev, *e;

		for (j = 0; j < nact; j++) {
			const struct kcs_net_rule *r = act[j]->r;
			uint32_t idx = act[j]->idx;
			int cov = !r->nports;

			for (k = 0; !cov && k < r->nports; k++)
				cov = r->ports[k].lo <= lo && hi <= r->ports[k].hi;
			if (!cov)
				continue;
			if ((r->proto & KCS_NET_PROTO_TCP) && idx < tcp)
				tcp = idx;
			if ((r->proto & KCS_NET_PROTO_UDP) && idx < udp)
				udp = idx;
		}
		if (tcp == KCS_NET_NO_RULE && udp == KCS_NET_NO_RULE)
			continue;
		prev = out->n ? (struct kcs_net_port *)out->p + out->n - 1 : NULL;
		if (prev && prev->hi + 1U == lo && prev->rule_tcp == tcp &&
		    prev->rule_udp == udp) {
			prev->hi = (uint16_t)hi;
			continue;
		}
		e = vpush(out);
		if (!e)
			goto out;
		e->lo = (uint16_t)lo;
		e->hi = (uint16_t)hi;
		e->rule_tcp = tcp;
		e->rule_udp = udp;
	}
	ret = 0;
out:
	if (c != cuts)
		free(c);
	return ret;
}

struct iv {
	a128 lo, hi;
	uint32_t first, count;
};

/* Sweep one family's parts, appending intervals to @iv, ports to @ports. */
static int sweep(struct part *parts, size_t n, struct vec *ivs,
		 struct vec *ports)
{
	struct part **act = NULL;
	a128 *cuts = NULL;
	size_t ncut = 0, i, k, nact = 0, next = 0;
	struct vec tmp = { .sz = sizeof(struct kcs_net_port) };
	int ret = -1;

	if (!n)
		return 0;
	qsort(parts, n, sizeof(*parts), part_cmp);
	cuts = malloc(2 * n * sizeof(*cuts));
	act = malloc(n * sizeof(*act));
	if (!cuts || !act)
		goto out;
	for (i = 0; i < n; i++) {
		a128 e = parts[i].hi;

		cuts[ncut++] = parts[i].lo;
		if (!ainc(&e))
			cuts[ncut++] = e;
	}
	qsort(cuts, ncut, sizeof(*cuts), acmp_q);
	for (i = 0, k = 0; i < ncut; i++)
		if (!k || acmp(&cuts[k - 1], &cuts[i]))
			cuts[k++] = cuts[i];
	ncut = k;

	for (i = 0; i < ncut; i++) {
		a128 lo = cuts[i], hi;
		struct iv *prev, *e;
		size_t j;

		if (i + 1 < ncut) {
			hi = cuts[i + 1];
			adec(&hi);
		} else {
			memset(&hi, 0xff, sizeof(hi));
		}
		/* Drop parts that ended, add those that start here. */
		for (j = 0, k = 0; j < nact; j++)
			if (acmp(&act[j]->hi, &lo) >= 0)
				act[k++] = act[j];
		nact = k;
		while (next < n && acmp(&parts[next].lo, &lo) <= 0)
			act[nact++] = &parts[next++];
		if (!nact)
			continue;
		tmp.n = 0;
		if (port_list(act, nact, &tmp))
			goto out;
		if (!tmp.n)
			continue;
		prev = ivs->n ? (struct iv *)ivs->p + ivs->n - 1 : NULL;
		if (prev && prev->count == tmp.n &&
		    prev->first + prev->count == ports->n &&
		    !memcmp((struct kcs_net_port *)ports->p + prev->first,
			    tmp.p, tmp.n * tmp.sz)) {
			a128 end = prev->hi;

			if (!ainc(&end) && !acmp(&end, &lo)) {
				prev->hi = hi;
				continue;
			}
		}
		e = vpush(ivs);
		if (!e)
			goto out;
		e->lo = lo;
		e->hi = hi;
		e->first = (uint32_t)ports->n;
		e->count = (uint32_t)tmp.n;
		for (j = 0; j < tmp.n; j++) {
			void *d = vpush(ports);

			if (!d)
				goto out;
			memcpy(d, (struct kcs_net_port *)tmp.p + j, tmp.sz);
		}
		if (ports->n > KCS_NET_MAX_ENTRIES || ivs->n > KCS_NET_MAX_ENTRIES)
			goto out;
	}
	ret = 0;
out:
	free(tmp.p);
	free(cuts);
	free(act);
	return ret;
}

#define CUT_MARK ",..."

/*
 * How much of a rule's text goes into the text blob, which events quote:
 * at most KCS_TEXT_ENTRY_MAX bytes with the NUL (uapi kcs.h). A rule that
 * lists thousands of ports is cut after the last whole port that fits,
 * and CUT_MARK follows; *@cut says whether it was.
 */
static size_t quoted_len(const char *s, int *cut)
{
	size_t n = strlen(s);

	*cut = n >= KCS_TEXT_ENTRY_MAX;
	if (!*cut)
		return n;
	n = KCS_TEXT_ENTRY_MAX - sizeof(CUT_MARK);
	while (n && s[n] != ',')
		n--;
	return n;
}

/* @cidr_only: FQDN rules cover nothing (their addresses go elsewhere). */
static int net_compile(const struct kcs_net_ruleset *set, int cidr_only,
		       struct kcs_blob *blob, struct kcs_blob *text,
		       struct kcs_err *err)
{
	struct vec iv4 = { .sz = sizeof(struct iv) }, iv6 = iv4;
	struct vec ports = { .sz = sizeof(struct kcs_net_port) };
	struct part *p4 = NULL, *p6 = NULL;
	size_t n4 = 0, n6 = 0, i, tlen = 0, len;
	struct kcs_net_hdr *h;
	unsigned char *b;
	char *t;
	int ret = -1, cut;

	memset(blob, 0, sizeof(*blob));
	memset(text, 0, sizeof(*text));
	for (i = 0, len = 1; i < set->n; i++)
		len += set->rules[i].fqdn ? set->rules[i].naddrs : 1;
	p4 = calloc(len, sizeof(*p4));
	p6 = calloc(len, sizeof(*p6));
	if (!p4 || !p6)
		goto oom;
	for (i = 0; i < set->n; i++) {
		const struct kcs_net_rule *r = &set->rules[i];
		struct part *p;
		size_t k;

		tlen += quoted_len(r->text, &cut) + (cut ? strlen(CUT_MARK) : 0) + 1;
		/* An FQDN rule covers exactly the addresses it resolved to. */
		for (k = 0; r->fqdn && !cidr_only && k < r->naddrs; k++) {
			const struct kcs_net_resolved *ra = &r->addrs[k];

			p = ra->v6 ? &p6[n6++] : &p4[n4++];
			memset(p, 0, sizeof(*p));
			if (ra->v6)
				memcpy(p->lo.w, ra->w, sizeof(p->lo.w));
			else
				p->lo.w[3] = ra->w[3];
			p->hi = p->lo;
			p->r = r;
			p->idx = (uint32_t)i;
		}
		if (r->fqdn)
			continue;
		if (!r->has_cidr || !r->v6) {
			p = &p4[n4++];
			memset(p, 0, sizeof(*p));
			p->hi.w[3] = 0xffffffffU;
			if (r->has_cidr) {
				p->lo.w[3] = r->lo[3];
				p->hi.w[3] = r->hi[3];
			}
			p->r = r;
			p->idx = (uint32_t)i;
		}
		if (!r->has_cidr || r->v6) {
			p = &p6[n6++];
			memset(p, 0, sizeof(*p));
			memset(&p->hi, 0xff, sizeof(p->hi));
			if (r->has_cidr) {
				memcpy(p->lo.w, r->lo, sizeof(p->lo.w));
				memcpy(p->hi.w, r->hi, sizeof(p->hi.w));
			}
			p->r = r;
			p->idx = (uint32_t)i;
		}
	}
	/* Port entries are laid out v4 intervals first: the verifier wants
	 * them in interval order. */
	if (sweep(p4, n4, &iv4, &ports) || sweep(p6, n6, &iv6, &ports)) {
		if (ports.n > KCS_NET_MAX_ENTRIES || iv4.n > KCS_NET_MAX_ENTRIES ||
		    iv6.n > KCS_NET_MAX_ENTRIES)
			kcs_err_set(err, KCS_EXIT_INVALID,
				    "%s: the rules compile to more than KCS_NET_MAX_ENTRIES (%u) entries",
				    set->where, KCS_NET_MAX_ENTRIES);
		else
			goto oom;
		goto out;
	}
	len = sizeof(*h) + iv4.n * sizeof(struct kcs_net_v4) +
	      iv6.n * sizeof(struct kcs_net_v6) +
	      ports.n * sizeof(struct kcs_net_port);
	b = calloc(1, len);
	t = malloc(tlen ? tlen : 1);
	if (!b || !t) {
		free(b);
		free(t);
		goto oom;
	}
	h = (struct kcs_net_hdr *)b;
	h->magic = KCS_NET_MAGIC;
	h->version = KCS_NET_VERSION;
	h->hdr_len = sizeof(*h);
	h->nrules = (uint32_t)set->n;
	h->n4 = (uint32_t)iv4.n;
	h->n6 = (uint32_t)iv6.n;
	h->nports = (uint32_t)ports.n;
	b += sizeof(*h);
	for (i = 0; i < iv4.n; i++) {
		const struct iv *v = (struct iv *)iv4.p + i;
		struct kcs_net_v4 *o = (struct kcs_net_v4 *)b + i;

		o->lo = v->lo.w[3];
		o->hi = v->hi.w[3];
		o->first = v->first;
		o->count = v->count;
	}
	b += iv4.n * sizeof(struct kcs_net_v4);
	for (i = 0; i < iv6.n; i++) {
		const struct iv *v = (struct iv *)iv6.p + i;
		struct kcs_net_v6 *o = (struct kcs_net_v6 *)b + i;

		memcpy(o->lo, v->lo.w, sizeof(o->lo));
		memcpy(o->hi, v->hi.w, sizeof(o->hi));
		o->first = v->first;
		o->count = v->count;
	}
	b += iv6.n * sizeof(struct kcs_net_v6);
	if (ports.n)
		memcpy(b, ports.p, ports.n * sizeof(struct kcs_net_port));
	blob->data = h;
	blob->len = len;
	for (i = 0, tlen = 0; i < set->n; i++) {
		size_t l = quoted_len(set->rules[i].text, &cut);

		memcpy(t + tlen, set->rules[i].text, l);
		tlen += l;
		if (cut) {
			memcpy(t + tlen, CUT_MARK, strlen(CUT_MARK));
			tlen += strlen(CUT_MARK);
		}
		t[tlen++] = '\0';
	}
	text->data = t;
	text->len = tlen;
	ret = 0;
	goto out;
oom:
	kcs_err_set(err, KCS_EXIT_FAILED, "%s: out of memory compiling rules",
		    set->where);
out:
	free(p4);
	free(p6);
	free(iv4.p);
	free(iv6.p);
	free(ports.p);
	return ret;
}

int kcs_net_compile(const struct kcs_net_ruleset *set, struct kcs_blob *blob,
		    struct kcs_blob *text, struct kcs_err *err)
{
	return net_compile(set, 0, blob, text, err);
}

int kcs_net_compile_cidr(const struct kcs_net_ruleset *set,
			 struct kcs_blob *blob, struct kcs_blob *text,
			 struct kcs_err *err)
{
	return net_compile(set, 1, blob, text, err);
}

uint32_t kcs_net_ref_lookup(const struct kcs_net_ruleset *set, int v6,
			    const uint32_t w[4], uint16_t port, uint32_t proto)
{
	size_t i, j;

	for (i = 0; i < set->n; i++) {
		const struct kcs_net_rule *r = &set->rules[i];
		int in = !r->nports;

		if (!(r->proto & proto))
			continue;
		if (r->fqdn) {
			size_t k;
			int hit = 0;

			for (k = 0; k < r->naddrs && !hit; k++)
				hit = r->addrs[k].v6 == v6 &&
				      (v6 ? !memcmp(r->addrs[k].w, w, 16) :
				       r->addrs[k].w[3] == w[3]);
			if (!hit)
				continue;
		} else if (r->has_cidr) {
			a128 a, lo, hi;

			if (r->v6 != v6)
				continue;
			memcpy(a.w, w, sizeof(a.w));
			memcpy(lo.w, r->lo, sizeof(lo.w));
			memcpy(hi.w, r->hi, sizeof(hi.w));
			if (!v6) {
				a.w[0] = a.w[1] = a.w[2] = 0;
				lo.w[0] = lo.w[1] = lo.w[2] = 0;
				hi.w[0] = hi.w[1] = hi.w[2] = 0;
			}
			if (acmp(&a, &lo) < 0 || acmp(&a, &hi) > 0)
				continue;
		}
		for (j = 0; !in && j < r->nports; j++)
			in = r->ports[j].lo <= port && port <= r->ports[j].hi;
		if (in)
			return (uint32_t)i;
	}
	return KCS_NET_NO_RULE;
}
