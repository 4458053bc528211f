// SPDX-License-Identifier: GPL-2.0
/*
 * FQDN rules: resolving names through DNS answers, which carry the TTL the
 * addresses are good for (getaddrinfo() hides it). res_nquery() asks the
 * system's resolvers (/etc/resolv.conf) for A and AAAA records; the answer
 * section is walked with ns_parserr(), following nothing itself: the
 * recursive resolver has already chased CNAMEs, and only A/AAAA records
 * are taken.
 */
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"

struct found {
	struct kcs_net_resolved *v;
	size_t n, cap;
	uint32_t min_ttl;
};

static int push(struct found *f, const struct kcs_net_resolved *a)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 8;
		struct kcs_net_resolved *v = realloc(f->v, cap * sizeof(*v));

		if (!v)
			return -1;
		f->v = v;
		f->cap = cap;
	}
	f->v[f->n++] = *a;
	if (a->ttl < f->min_ttl)
		f->min_ttl = a->ttl;
	return 0;
}

/* 0 (answers added, maybe none), or -1: the resolver gave no answer. */
static int query(res_state rs, const char *name, int type, struct found *f)
{
	unsigned char buf[4096];
	ns_msg msg;
	int len, i;

	len = res_nquery(rs, name, ns_c_in, type, buf, sizeof(buf));
	if (len < 0)
		/* The name or the record type does not exist: no addresses. */
		return rs->res_h_errno == HOST_NOT_FOUND ||
		       rs->res_h_errno == NO_DATA ? 0 : -1;
	if (ns_initparse(buf, len, &msg) < 0)
		return -1;
	for (i = 0; i < ns_msg_count(msg, ns_s_an); i++) {
		struct kcs_net_resolved a = { 0 };
		const unsigned char *d;
		ns_rr rr;
		int k;

		if (ns_parserr(&msg, ns_s_an, i, &rr) < 0)
			return -1;
		if (ns_rr_class(rr) != ns_c_in || (int)ns_rr_type(rr) != type)
			continue;
		d = ns_rr_rdata(rr);
		a.ttl = ns_rr_ttl(rr);
		if (type == ns_t_a && ns_rr_rdlen(rr) == 4) {
			a.w[3] = (uint32_t)d[0] << 24 | d[1] << 16 | d[2] << 8 | d[3];
		} else if (type == ns_t_aaaa && ns_rr_rdlen(rr) == 16) {
			a.v6 = 1;
			for (k = 0; k < 4; k++)
				a.w[k] = (uint32_t)d[4 * k] << 24 | d[4 * k + 1] << 16 |
					 d[4 * k + 2] << 8 | d[4 * k + 3];
		} else {
			continue;
		}
		if (push(f, &a))
			return -1;
	}
	return 0;
}

/* By family, then address; TTLs aside. */
static int addr_cmp(const void *pa, const void *pb)
{
	const struct kcs_net_resolved *a = pa, *b = pb;
	int i;

	if (a->v6 != b->v6)
		return a->v6 - b->v6;
	for (i = 0; i < 4; i++)
		if (a->w[i] != b->w[i])
			return a->w[i] < b->w[i] ? -1 : 1;
	return 0;
}

void kcs_net_addrs_normalize(struct kcs_net_resolved *v, size_t *n)
{
	size_t i, k = 0;

	if (!*n)
		return;
	/* An AAAA answer ::ffff:a.b.c.d is the IPv4 address to the module
	 * (it looks mapped peers up as IPv4): kept as IPv6 it would never
	 * match. */
	for (i = 0; i < *n; i++)
		if (v[i].v6 && !v[i].w[0] && !v[i].w[1] && v[i].w[2] == 0xffff) {
			v[i].v6 = 0;
			v[i].w[2] = 0;
		}
	qsort(v, *n, sizeof(*v), addr_cmp);
	for (i = 1; i < *n; i++) {
		if (!addr_cmp(&v[k], &v[i])) {
			/* The same address twice: good for the shorter TTL. */
			if (v[i].ttl < v[k].ttl)
				v[k].ttl = v[i].ttl;
			continue;
		}
		v[++k] = v[i];
	}
	*n = k + 1;
}

int kcs_net_rule_take_addrs(struct kcs_net_rule *r, struct kcs_net_resolved *v,
			    size_t n)
{
	int changed;
	size_t i;

	/*
	 * Resolvers rotate their answers (round-robin DNS) and may repeat
	 * one: in order, every refresh of a busy name would look like a
	 * change and apply the profile again. Kept addresses are sorted and
	 * distinct, so a plain walk compares the sets.
	 */
	kcs_net_addrs_normalize(v, &n);
	changed = r->naddrs != n;
	for (i = 0; i < n && !changed; i++)
		changed = addr_cmp(&r->addrs[i], &v[i]) != 0;
	/* The same set still takes the new TTLs. */
	free(r->addrs);
	r->addrs = v;
	r->naddrs = n;
	return changed;
}

/* A and AAAA records of @name into @f: 0, or -1 (no answer; @f freed). */
static int query_name(res_state rs, const char *name, struct found *f)
{
	if (query(rs, name, ns_t_a, f) || query(rs, name, ns_t_aaaa, f)) {
		free(f->v);
		f->v = NULL;
		return -1;
	}
	return 0;
}

static int resolve_set(res_state rs, struct kcs_net_ruleset *set,
		       uint32_t *min_ttl, int *changed, struct kcs_err *err)
{
	int failed = 0;
	size_t i;

	for (i = 0; i < set->n; i++) {
		struct kcs_net_rule *r = &set->rules[i];
		struct found f = { .min_ttl = UINT32_MAX };

		if (!r->fqdn)
			continue;
		if (query_name(rs, r->fqdn, &f)) {
			/* Keep what it resolved to before; try again soon. */
			if (!failed)
				kcs_err_set(err, KCS_EXIT_FAILED,
					    "%s[%zu].fqdn: cannot resolve \"%s\" (no answer from the resolver)",
					    set->where, i, r->fqdn);
			failed = 1;
			continue;
		}
		if (f.min_ttl < *min_ttl)
			*min_ttl = f.min_ttl;
		if (kcs_net_rule_take_addrs(r, f.v, f.n))
			*changed = 1;
	}
	return failed ? -1 : 0;
}

static int set_has_fqdn(const struct kcs_net_ruleset *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->rules[i].fqdn)
			return 1;
	return 0;
}

int kcs_net_has_fqdn(const struct kcs_net_spec *spec)
{
	return (set_has_fqdn(&spec->egress.rules) ||
		set_has_fqdn(&spec->egress.except) ? KCS_NET_EGRESS_FQDN : 0) |
	       (set_has_fqdn(&spec->ingress.rules) ||
		set_has_fqdn(&spec->ingress.except) ? KCS_NET_INGRESS_FQDN : 0);
}

int kcs_net_resolve(struct kcs_net_spec *spec, uint32_t *min_ttl,
		    struct kcs_err *err)
{
	struct __res_state rs;
	int eg = 0, in = 0, failed;

	*min_ttl = UINT32_MAX;
	memset(&rs, 0, sizeof(rs));
	if (res_ninit(&rs))
		return kcs_err_set(err, KCS_EXIT_FAILED,
				   "cannot initialise the DNS resolver");
	failed = resolve_set(&rs, &spec->egress.rules, min_ttl, &eg, err);
	failed |= resolve_set(&rs, &spec->egress.except, min_ttl, &eg, err);
	failed |= resolve_set(&rs, &spec->ingress.rules, min_ttl, &in, err);
	failed |= resolve_set(&rs, &spec->ingress.except, min_ttl, &in, err);
	res_nclose(&rs);
	return failed ? -1 : (eg ? KCS_NET_EGRESS_FQDN : 0) |
			     (in ? KCS_NET_INGRESS_FQDN : 0);
}

int kcs_net_resolve_name(const char *name, struct kcs_net_resolved **v,
			 size_t *n, struct kcs_err *err)
{
	struct found f = { .min_ttl = UINT32_MAX };
	struct __res_state rs;
	int ret;

	*v = NULL;
	*n = 0;
	memset(&rs, 0, sizeof(rs));
	if (res_ninit(&rs))
		return kcs_err_set(err, KCS_EXIT_FAILED,
				   "cannot initialise the DNS resolver");
	ret = query_name(&rs, name, &f);
	res_nclose(&rs);
	if (ret)
		return kcs_err_set(err, KCS_EXIT_FAILED,
				   "cannot resolve \"%s\" (no answer from the resolver)",
				   name);
	/* As a rule's addresses are kept, so the two compare as sets. */
	kcs_net_addrs_normalize(f.v, &f.n);
	*v = f.v;
	*n = f.n;
	return 0;
}

void kcs_net_addr_text(const struct kcs_net_resolved *a, char *buf,
		       size_t len)
{
	uint32_t be[4];
	int i;

	for (i = 0; i < 4; i++)
		be[i] = htonl(a->w[i]);
	inet_ntop(a->v6 ? AF_INET6 : AF_INET,
		  a->v6 ? (void *)be : (void *)&be[3], buf, (socklen_t)len);
}
