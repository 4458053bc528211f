/* SPDX-License-Identifier: GPL-2.0 */
/* Turning a logged ingress packet into a kcs event (ingress_event.c). */
#ifndef KCS_INGRESS_EVENT_H
#define KCS_INGRESS_EVENT_H

#include "events.h"
#include "netns_reg.h"
#include "nflog.h"

/* An event and what its strings point to. */
struct kcs_ingress_ev {
	struct kcs_event ev;
	struct kcs_nflog_tag tag;
};

/*
 * Build the event for packet @p logged in the namespace of record @rec
 * (NULL: unknown). The prefix decides profile, mode, kind and cgroup; the
 * rule is looked up in @rec's rules when @rec wrote that table (same
 * generation and profile), else it is left out. @now_ns: the time when the
 * packet has no timestamp. Returns 0, or -1 with a static reason in *@why
 * when the packet is not one of kcs's (foreign prefix, unparsable).
 * ev.rule points into @rec: valid while @rec is.
 */
int kcs_ingress_event(const struct kcs_nflog_pkt *p,
		      const struct kcs_netns_rec *rec, uint64_t now_ns,
		      struct kcs_ingress_ev *out, const char **why);

#endif /* KCS_INGRESS_EVENT_H */
