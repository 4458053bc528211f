// SPDX-License-Identifier: GPL-2.0
/*
 * Building struct kcs_ingress from a profile's parsed ingress section, and
 * answering "which rule?" for a logged packet the way the nftables sets
 * decided (ingress.h).
 */
#include <stdlib.h>
#include <string.h>

#include "ingress.h"

static uint64_t expiry(uint32_t ttl, const struct kcs_fqdn_timing *t,
		       uint64_t now_ms)
{
	uint32_t s = ttl < t->min_s ? t->min_s : ttl > t->max_s ? t->max_s : ttl;

	return now_ms + ((uint64_t)s + t->grace_s) * 1000;
}

static int add_fqdn(struct kcs_ingress *out, uint32_t set, uint32_t idx,
		    const struct kcs_net_rule *r, const struct kcs_fqdn_timing *t,
		    uint64_t now_ms)
{
	struct kcs_ingress_fqdn *q = &out->fqdn[out->nfqdn++];
	size_t k;

	q->set = set;
	q->rule = idx;
	q->proto = r->proto;
	q->nports = (uint32_t)r->nports;
	q->naddrs = (uint32_t)(r->naddrs > KCS_INGRESS_MAX_ADDRS ?
			       KCS_INGRESS_MAX_ADDRS : r->naddrs);
	if (q->nports) {
		q->ports = malloc(q->nports * sizeof(*q->ports));
		if (!q->ports)
			return -1;
		memcpy(q->ports, r->ports, q->nports * sizeof(*q->ports));
	}
	if (q->naddrs) {
		q->addrs = calloc(q->naddrs, sizeof(*q->addrs));
		if (!q->addrs)
			return -1;
	}
	for (k = 0; k < q->naddrs; k++) {
		q->addrs[k].v6 = r->addrs[k].v6;
		memcpy(q->addrs[k].w, r->addrs[k].w, sizeof(q->addrs[k].w));
		q->addrs[k].ttl = r->addrs[k].ttl;
		q->addrs[k].expires_ms = expiry(r->addrs[k].ttl, t, now_ms);
	}
	return 0;
}

int kcs_ingress_build(const struct kcs_net_dir *d,
		      const struct kcs_fqdn_timing *t, uint64_t now_ms,
		      struct kcs_ingress *out, struct kcs_err *err)
{
	const struct kcs_net_ruleset *sets[2] = { &d->rules, &d->except };
	struct kcs_blob text = { 0 };
	const char *why;
	size_t i, n = 0;
	uint32_t s;

	memset(out, 0, sizeof(*out));
	if (d->kind == KCS_NET_NONE)
		return 0;
	out->kind = d->kind;
	if (kcs_net_compile_cidr(&d->rules, &out->rules, &out->rules_text, err))
		goto fail;
	if (d->except.n) {
		if (kcs_net_compile_cidr(&d->except, &out->except, &text, err))
			goto fail;
		kcs_blob_free(&text);	/* exclusions are never quoted */
	}
	if (kcs_netm_verify(out->rules.data, out->rules.len, &out->rules_m,
			    &why)) {
		kcs_err_set(err, KCS_EXIT_FAILED, "%s: compiler output refused: %s",
			    d->rules.where, why);
		goto fail;
	}
	for (s = 0; s < 2; s++)
		for (i = 0; i < sets[s]->n; i++)
			n += !!sets[s]->rules[i].fqdn;
	if (n) {
		out->fqdn = calloc(n, sizeof(*out->fqdn));
		if (!out->fqdn)
			goto oom;
	}
	for (s = 0; s < 2; s++)
		for (i = 0; i < sets[s]->n; i++)
			if (sets[s]->rules[i].fqdn &&
			    add_fqdn(out, s, (uint32_t)i, &sets[s]->rules[i], t,
				     now_ms))
				goto oom;
	return 0;
oom:
	kcs_err_set(err, KCS_EXIT_FAILED, "%s: out of memory", d->rules.where);
fail:
	kcs_ingress_free(out);
	return -1;
}

int kcs_ingress_has_fqdn(const struct kcs_ingress *in, uint32_t set)
{
	size_t i;

	for (i = 0; i < in->nfqdn; i++)
		if (in->fqdn[i].set == set)
			return 1;
	return 0;
}

static int fqdn_covers(const struct kcs_ingress_fqdn *q, int v6,
		       const uint32_t w[4], uint16_t port, uint32_t proto)
{
	uint32_t k;
	int in = !q->nports;

	if (!(q->proto & proto))
		return 0;
	for (k = 0; !in && k < q->nports; k++)
		in = q->ports[k].lo <= port && port <= q->ports[k].hi;
	for (k = 0; in && k < q->naddrs; k++)
		if (q->addrs[k].v6 == v6 &&
		    (v6 ? !memcmp(q->addrs[k].w, w, 16) : q->addrs[k].w[3] == w[3]))
			return 1;
	return 0;
}

uint32_t kcs_ingress_rule(const struct kcs_ingress *in, int v6,
			  const uint32_t w[4], uint16_t port, uint32_t proto)
{
	struct kcs_net_addr a = { .v6 = v6 };
	uint32_t best = KCS_NET_NO_RULE;
	size_t i;

	if (in->kind == KCS_NET_NONE)
		return best;
	memcpy(a.w, w, sizeof(a.w));
	if (!v6)
		a.w[0] = a.w[1] = a.w[2] = 0;
	best = kcs_netm_lookup(&in->rules_m, &a, port, proto);
	for (i = 0; i < in->nfqdn; i++) {
		const struct kcs_ingress_fqdn *q = &in->fqdn[i];

		if (q->set == KCS_INGRESS_RULES && q->rule < best &&
		    fqdn_covers(q, v6, a.w, port, proto))
			best = q->rule;
	}
	return best;
}

const char *kcs_ingress_rule_text(const struct kcs_ingress *in, uint32_t idx)
{
	const char *p = in->rules_text.data, *end = p + in->rules_text.len;

	if (!p || idx >= in->rules_m.nrules)
		return NULL;
	while (idx-- && p < end)
		p += strlen(p) + 1;
	return p < end ? p : NULL;
}
