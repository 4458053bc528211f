/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What `kcsadm monitor` listens to besides the module: one nflog listener
 * per namespace in the registry (netns_reg.h), kept in step with it by
 * kcs_iw_rescan() (new records get a listener, removed ones lose it,
 * rewritten ones are reloaded), and the events their packets make.
 */
#ifndef KCS_INGRESS_WATCH_H
#define KCS_INGRESS_WATCH_H

#include <poll.h>
#include <stddef.h>

#include "events.h"
#include "netns_reg.h"

struct kcs_iw_ops {
	/* An event; return 0 to go on, 1 to stop, -1 (with @err) to fail. */
	int (*event)(const struct kcs_event *ev, void *arg, struct kcs_err *err);
	/*
	 * Packets logged in namespace @netns that this listener missed: @lost
	 * of them (a hole in the nflog sequence), or @lost 0 when the socket
	 * overran (the next packet's sequence tells how many).
	 */
	int (*loss)(const char *netns, uint64_t lost, void *arg,
		    struct kcs_err *err);
	/* Something worth telling (a namespace that cannot be listened to). */
	void (*note)(const char *msg, void *arg);
};

struct kcs_iw_ns;

struct kcs_iw {
	struct kcs_iw_ns *ns;
	size_t n, cap;
	const struct kcs_iw_ops *ops;
	void *arg;
};

void kcs_iw_init(struct kcs_iw *w, const struct kcs_iw_ops *ops, void *arg);
void kcs_iw_close(struct kcs_iw *w);

/* Bring the listeners in line with the registry. Never fails: namespaces
 * that cannot be listened to are reported through ops->note, once. */
void kcs_iw_rescan(struct kcs_iw *w);

/* Fill up to @max poll entries (one per open listener); returns how many.
 * Entry i belongs to kcs_iw_read(w, i). */
size_t kcs_iw_pollfds(const struct kcs_iw *w, struct pollfd *pfd, size_t max);

/* Handle what listener @i has queued: 0, 1 (stop) or -1 (with @err). */
int kcs_iw_read(struct kcs_iw *w, size_t i, struct kcs_err *err);

#endif /* KCS_INGRESS_WATCH_H */
