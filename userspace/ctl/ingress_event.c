// SPDX-License-Identifier: GPL-2.0
/* Events from ingress packets logged by nftables (ingress_event.h). */
#include <arpa/inet.h>
#include <string.h>

#include "ingress_event.h"

static void addr_text(int v6, const uint32_t w[4], char *buf, size_t len)
{
	uint32_t be[4];
	int i;

	for (i = 0; i < 4; i++)
		be[i] = htonl(w[i]);
	inet_ntop(v6 ? AF_INET6 : AF_INET, v6 ? (void *)be : (void *)&be[3],
		  buf, (socklen_t)len);
}

int kcs_ingress_event(const struct kcs_nflog_pkt *p,
		      const struct kcs_netns_rec *rec, uint64_t now_ns,
		      struct kcs_ingress_ev *out, const char **why)
{
	struct kcs_event *ev = &out->ev;
	struct kcs_pkt_tuple t;

	memset(out, 0, sizeof(*out));
	*why = "no prefix";
	if (!p->prefix)
		return -1;
	*why = "not a kcs ingress prefix";
	if (kcs_nflog_tag_parse(p->prefix, &out->tag))
		return -1;
	if (kcs_pkt_parse(p->payload, p->paylen, &t, why))
		return -1;
	ev->src = KCS_EV_SRC_NFLOG;
	ev->time_ns = p->has_time ? p->time_ns : now_ns;
	ev->hook = KCS_HOOK_INGRESS;
	ev->mode = out->tag.mode;
	/* As for the module's events: audit lets it through. */
	ev->verdict = out->tag.mode == KCS_MODE_ENFORCE ? KCS_VERDICT_DENY :
		      KCS_VERDICT_ALLOW;
	ev->rule_kind = out->tag.rule_kind;
	ev->bound_cgroup_id = out->tag.cgroup_id;
	ev->profile = out->tag.profile;
	ev->family = t.v6 ? AF_INET6 : AF_INET;
	ev->proto = t.proto;
	ev->port = t.sport;
	ev->lport = t.dport;
	addr_text(t.v6, t.src, ev->addr, sizeof(ev->addr));
	addr_text(t.v6, t.dst, ev->laddr, sizeof(ev->laddr));
	if (out->tag.rule_kind == KCS_RULE_BLOCK && rec &&
	    rec->gen == out->tag.gen && !strcmp(rec->profile, out->tag.profile)) {
		uint32_t r = kcs_ingress_rule(&rec->in, t.v6, t.src, t.dport,
					      t.proto == IPPROTO_TCP ?
					      KCS_NET_PROTO_TCP : KCS_NET_PROTO_UDP);

		if (r != KCS_NET_NO_RULE)
			ev->rule = kcs_ingress_rule_text(&rec->in, r);
	}
	return 0;
}
