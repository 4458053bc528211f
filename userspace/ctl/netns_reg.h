/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The namespace registry: which network namespaces hold a kcs ingress
 * table, and what that table was built from. One file per namespace,
 * $KCS_STATE_DIR/netns/<dev>-<ino> (the nsfs identity, hex), written by
 * `kcsadm bind --netns` (atomically: a rebind replaces it), rewritten by
 * netwatch when it refreshes FQDN elements, removed by `unbind`. Read by
 * `kcsadm monitor` (which namespaces to listen to for nflog, and the rules
 * to name in events) and by netwatch (which namespaces to refresh).
 */
#ifndef KCS_NETNS_REG_H
#define KCS_NETNS_REG_H

#include <limits.h>
#include <stdint.h>
#include <linux/kcs.h>

#include "ingress.h"
#include "netns.h"

struct kcs_netns_rec {
	struct kcs_netns_id id;
	char path[PATH_MAX];		/* as given to bind --netns */
	uint64_t cgroup_id;		/* the binding that wrote the table */
	uint32_t mode;			/* KCS_MODE_AUDIT or _ENFORCE */
	uint32_t gen;			/* table generation, in the log prefix */
	char profile[KCS_NAME_MAX];
	struct kcs_ingress in;		/* what the table was built from */
};

/* The record file name of @id ("<dev>-<ino>", hex) into @buf. */
void kcs_netns_rec_name(const struct kcs_netns_id *id, char *buf, size_t len);

int kcs_netns_rec_save(const struct kcs_netns_rec *r, struct kcs_err *err);
/* Load record file @name (a file name in the registry). */
int kcs_netns_rec_load(const char *name, struct kcs_netns_rec *r,
		       struct kcs_err *err);
void kcs_netns_rec_free(struct kcs_netns_rec *r);

/* Remove the record of namespace @id (none: success). */
int kcs_netns_rec_remove(const struct kcs_netns_id *id, struct kcs_err *err);
/* Remove every record written for cgroup @cgroup_id; returns how many. */
int kcs_netns_rec_remove_cgroup(uint64_t cgroup_id, struct kcs_err *err);

/*
 * Call @fn for every record file name in the registry (a missing registry
 * has none). @fn returns 0 to go on, nonzero to stop (returned).
 */
int kcs_netns_rec_each(int (*fn)(const char *name, void *arg), void *arg);

/* The registry directory: $KCS_STATE_DIR/netns. */
int kcs_netns_rec_dir(char *buf, size_t len);

#endif /* KCS_NETNS_REG_H */
