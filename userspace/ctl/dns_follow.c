// SPDX-License-Identifier: GPL-2.0
/* FQDN rules following containers' own DNS answers (dns_follow.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/netfilter.h>

#include "dns_follow.h"
#include "dns_nft.h"
#include "netns.h"
#include "nfqueue.h"

int kcs_dns_follow_start(struct kcs_dns_follow *f, char *const *paths,
			 size_t n, const struct kcs_net_spec *spec,
			 struct kcs_err *err)
{
	struct kcs_netns_id id;
	size_t i;

	if (n > KCS_DNS_MAX_NETNS)
		return kcs_err_set(err, KCS_EXIT_INVALID,
				   "at most %d namespaces to follow DNS in, not %zu",
				   KCS_DNS_MAX_NETNS, n);
	if (kcs_dns_learned_retarget(&f->learned, spec))
		return kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
	for (i = 0; i < n; i++) {
		struct kcs_dns_netns *ns = &f->ns[f->nns];

		ns->nsfd = kcs_netns_open(paths[i], "--dns-netns", &id, err);
		if (ns->nsfd < 0)
			goto fail;
		ns->path = strdup(paths[i]);
		f->nns++;
		if (!ns->path) {
			kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
			goto fail;
		}
		/* The queue first: a rule without a reader drops answers. */
		ns->q = kcs_nfq_open(ns->nsfd, paths[i], KCS_DNS_QUEUE, err);
		if (!ns->q)
			goto fail;
		if (kcs_dns_nft_apply(ns->nsfd, paths[i], KCS_DNS_QUEUE, 1, err))
			goto fail;
		ns->table = 1;
	}
	return 0;
fail:
	kcs_err_prefix(err, "--dns-netns %s", paths[i]);
	kcs_dns_follow_stop(f);
	return -1;
}

void kcs_dns_follow_stop(struct kcs_dns_follow *f)
{
	struct kcs_err err;
	size_t i;

	for (i = 0; i < f->nns; i++) {
		struct kcs_dns_netns *ns = &f->ns[i];

		/* The table before the queue: no answer dropped between. */
		if (ns->table && kcs_dns_nft_apply(ns->nsfd, ns->path,
						   KCS_DNS_QUEUE, 0, &err) &&
		    f->report)
			f->report(f->arg, ns->path, NULL, 0, &err);
		if (ns->q)
			mnl_socket_close(ns->q);
		if (ns->nsfd >= 0)
			close(ns->nsfd);
		free(ns->path);
		memset(ns, 0, sizeof(*ns));
	}
	f->nns = 0;
	kcs_dns_learned_free(&f->learned);
}

size_t kcs_dns_follow_fds(const struct kcs_dns_follow *f, struct pollfd *pfd)
{
	size_t i;

	for (i = 0; i < f->nns; i++) {
		pfd[i].fd = mnl_socket_get_fd(f->ns[i].q);
		pfd[i].events = POLLIN;
		pfd[i].revents = 0;
	}
	return f->nns;
}

/* Compare host-order address words, most significant first. */
static int words_cmp(const uint32_t *a, const uint32_t *b)
{
	int i;

	for (i = 0; i < 4; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

/* Is @t's source one of the trusted resolvers? */
static int from_server(const struct kcs_dns_follow *f,
		       const struct kcs_pkt_tuple *t)
{
	size_t i;

	for (i = 0; i < f->nservers; i++) {
		const struct kcs_net_rule *s = &f->servers[i];

		if (s->v6 == t->v6 && words_cmp(s->lo, t->src) <= 0 &&
		    words_cmp(t->src, s->hi) <= 0)
			return 1;
	}
	return 0;
}

struct read_ctx {
	struct kcs_dns_follow *f;
	struct kcs_dns_netns *ns;
	uint64_t now_ms;
};

/*
 * One queued answer: learned and applied first when it comes from a
 * trusted resolver and carries new addresses for one of the profile's
 * names, then released. A failed apply
 * releases it all the same: the addresses are not in the kernel, so a
 * connect to them is judged as the profile stands (an allowed name's new
 * address denied: closed, not open).
 */
static void on_packet(const struct kcs_nfq_pkt *p, void *arg)
{
	struct read_ctx *c = arg;
	struct kcs_dns_follow *f = c->f;
	static struct kcs_dns_answer a;
	struct kcs_pkt_tuple t;
	const uint8_t *msg;
	struct kcs_err err;
	size_t mlen;
	int fresh;

	if (!kcs_dns_from_packet(p->payload, p->paylen, &msg, &mlen, &t) &&
	    from_server(f, &t) && kcs_dns_answer_parse(msg, mlen, &a) == 1 &&
	    (fresh = kcs_dns_learned_add(&f->learned, &a, c->now_ms)) >= 0) {
		if (fresh && f->apply(f->arg, &err))
			f->report(f->arg, c->ns->path, &a, fresh, &err);
		else
			f->report(f->arg, c->ns->path, &a, fresh, NULL);
	}
	if (kcs_nfq_verdict(c->ns->q, KCS_DNS_QUEUE, p->id, NF_ACCEPT) < 0) {
		kcs_err_set(&err, KCS_EXIT_FAILED, "nfqueue: verdict: %s",
			    strerror(errno));
		f->report(f->arg, c->ns->path, NULL, 0, &err);
	}
}

void kcs_dns_follow_read(struct kcs_dns_follow *f, uint64_t now_ms)
{
	struct kcs_err err;
	size_t i;

	for (i = 0; i < f->nns; i++) {
		struct read_ctx c = { f, &f->ns[i], now_ms };
		int r = kcs_nfq_read(f->ns[i].q, KCS_DNS_QUEUE, on_packet, &c,
				     &err);

		if (r == -ENOBUFS)
			kcs_err_set(&err, KCS_EXIT_FAILED,
				    "nfqueue: the socket overran: the kernel dropped answers (the container's resolver retries)");
		if (r)
			f->report(f->arg, f->ns[i].path, NULL, 0, &err);
	}
}

int kcs_dns_follow_expire(struct kcs_dns_follow *f, uint64_t now_ms)
{
	return kcs_dns_learned_expire(&f->learned, now_ms) > 0;
}
