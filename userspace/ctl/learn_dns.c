// SPDX-License-Identifier: GPL-2.0
/* DNS answers into kcsadm learn (learn_dns.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>		/* before <linux/netfilter.h>'s <linux/in.h> */
#include <linux/netfilter.h>

#include "dns_answer.h"
#include "dns_nft.h"
#include "learn_dns.h"
#include "netns.h"
#include "nfqueue.h"

int kcs_learn_dns_start(struct kcs_learn_dns *d, const char *path,
			struct kcs_err *err)
{
	struct kcs_netns_id id;

	memset(d, 0, sizeof(*d));
	d->nsfd = kcs_netns_open(path, "--dns-netns", &id, err);
	if (d->nsfd < 0)
		return -1;
	d->path = strdup(path);
	if (!d->path) {
		kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
		goto fail;
	}
	/* The queue first: a rule without a reader drops answers. */
	d->q = kcs_nfq_open(d->nsfd, path, KCS_LEARN_QUEUE, err);
	if (!d->q ||
	    kcs_dns_nft_apply(d->nsfd, path, KCS_LEARN_QUEUE, 1, err))
		goto fail;
	d->table = 1;
	return 0;
fail:
	kcs_err_prefix(err, "--dns-netns %s", path);
	kcs_learn_dns_stop(d, NULL);
	return -1;
}

int kcs_learn_dns_fd(const struct kcs_learn_dns *d)
{
	return d->q ? mnl_socket_get_fd(d->q) : -1;
}

struct read_ctx {
	struct kcs_learn_dns *d;
	struct kcs_learn *l;
	int nomem;
};

static void on_packet(const struct kcs_nfq_pkt *p, void *arg)
{
	struct read_ctx *c = arg;
	struct kcs_dns_answer a;
	struct kcs_pkt_tuple t;
	const uint8_t *msg;
	size_t mlen;

	if (!kcs_dns_from_packet(p->payload, p->paylen, &msg, &mlen, &t) &&
	    kcs_dns_answer_parse(msg, mlen, &a) == 1 && kcs_learn_dns(c->l, &a))
		c->nomem = 1;
	/* Released whatever it held; a failed verdict times out in the
	 * kernel's queue, which then drops the answer (the resolver retries). */
	kcs_nfq_verdict(c->d->q, KCS_LEARN_QUEUE, p->id, NF_ACCEPT);
}

int kcs_learn_dns_read(struct kcs_learn_dns *d, struct kcs_learn *l,
		       int *lost, struct kcs_err *err)
{
	struct read_ctx c = { d, l, 0 };
	int r = kcs_nfq_read(d->q, KCS_LEARN_QUEUE, on_packet, &c, err);

	if (r == -ENOBUFS) {
		*lost = 1;
		r = 0;
	}
	if (!r && c.nomem)
		r = kcs_err_set(err, KCS_EXIT_FAILED, "learn: out of memory");
	return r ? -1 : 0;
}

int kcs_learn_dns_stop(struct kcs_learn_dns *d, struct kcs_err *err)
{
	struct kcs_err e;
	int ret = 0;

	/* The table before the queue: no answer dropped between. */
	if (!d->path && !d->q && !d->table) {	/* never started */
		d->nsfd = -1;
		return 0;
	}
	if (d->table && kcs_dns_nft_apply(d->nsfd, d->path, KCS_LEARN_QUEUE, 0,
					  err ? err : &e))
		ret = -1;
	if (d->q)
		mnl_socket_close(d->q);
	if (d->nsfd >= 0)
		close(d->nsfd);
	free(d->path);
	memset(d, 0, sizeof(*d));
	d->nsfd = -1;
	return ret;
}
