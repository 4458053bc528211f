/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netwatch's DNS half: FQDN rules that follow the answers the containers
 * themselves receive. In each network namespace given, a queue table
 * (dns_nft.h) hands every DNS answer from outside to nfqueue; each answer
 * for one of the profile's egress names is learned (dns_learn.h), the
 * profile applied with the new addresses through @apply, and only then is
 * the answer released, so that the container's very first connect to what
 * it was told is judged with that address in the kernel.
 */
#ifndef KCS_DNS_FOLLOW_H
#define KCS_DNS_FOLLOW_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#include "dns_answer.h"
#include "dns_learn.h"
#include "err.h"

#define KCS_DNS_MAX_NETNS	64
#define KCS_DNS_MAX_SERVERS	16

struct kcs_dns_netns {
	char *path;
	int nsfd;
	struct mnl_socket *q;
	int table;			/* the queue table is installed */
};

struct kcs_dns_follow {
	struct kcs_dns_netns ns[KCS_DNS_MAX_NETNS];
	size_t nns;
	/*
	 * The resolvers trusted to answer (address ranges): an answer from
	 * any other source is released unlearned. Without this, a container
	 * allowed to ask any DNS server could ask its own for an allowed name
	 * and have kcs allow whatever address that server gives.
	 */
	struct kcs_net_rule servers[KCS_DNS_MAX_SERVERS];
	size_t nservers;
	struct kcs_dns_learned learned;
	/* Apply the profile with the learned addresses laid over (called
	 * before an answer with new addresses is released). */
	int (*apply)(void *arg, struct kcs_err *err);
	/* An answer learned (@fresh new addresses), or a failure (@err). */
	void (*report)(void *arg, const char *netns,
		       const struct kcs_dns_answer *a, int fresh,
		       const struct kcs_err *err);
	void *arg;
};

/*
 * Start following the answers in the @n namespaces @paths for the egress
 * FQDN names of @spec (@f's callbacks and learned.min_s/grace_s set by
 * the caller, the rest zeroed). 0, or -1 with @err and nothing left
 * behind.
 */
int kcs_dns_follow_start(struct kcs_dns_follow *f, char *const *paths,
			 size_t n, const struct kcs_net_spec *spec,
			 struct kcs_err *err);
/* Remove the queue tables (answers flow unseen again), close it all. */
void kcs_dns_follow_stop(struct kcs_dns_follow *f);

/* The queue descriptors, for poll(): how many were put in @pfd. */
size_t kcs_dns_follow_fds(const struct kcs_dns_follow *f, struct pollfd *pfd);
/* Read, learn and release every queued answer. */
void kcs_dns_follow_read(struct kcs_dns_follow *f, uint64_t now_ms);
/* Forget expired addresses; 1 when some went (apply again), else 0. */
int kcs_dns_follow_expire(struct kcs_dns_follow *f, uint64_t now_ms);

#endif /* KCS_DNS_FOLLOW_H */
