// SPDX-License-Identifier: GPL-2.0
/* Ingress rules into a network namespace, and their record (netns_bind.h). */
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>

#include "netns_bind.h"
#include "nft.h"

int kcs_netns_bind(int nsfd, struct kcs_netns_rec *rec, struct kcs_err *err)
{
	struct kcs_nflog_tag tag = { .mode = rec->mode,
				     .cgroup_id = rec->cgroup_id };

	/* The generation tells monitor which record a logged packet's table
	 * was built from; any value differing from the last one will do. */
	if (getrandom(&rec->gen, sizeof(rec->gen), GRND_NONBLOCK) !=
	    sizeof(rec->gen))
		rec->gen = (uint32_t)time(NULL) ^ (uint32_t)getpid() << 16;
	tag.gen = rec->gen;
	memcpy(tag.profile, rec->profile, sizeof(tag.profile));
	if (kcs_nft_apply(nsfd, rec->path, &rec->in, &tag, kcs_now_ms(), err))
		return -1;
	if (rec->in.kind == KCS_NET_NONE)
		return kcs_netns_rec_remove(&rec->id, err);
	if (kcs_netns_rec_save(rec, err)) {
		kcs_nft_apply(nsfd, rec->path, NULL, NULL, 0, NULL);
		return -1;
	}
	return 0;
}

void kcs_netns_bind_undo(int nsfd, const struct kcs_netns_rec *rec)
{
	if (rec->in.kind == KCS_NET_NONE)
		return;
	kcs_nft_apply(nsfd, rec->path, NULL, NULL, 0, NULL);
	kcs_netns_rec_remove(&rec->id, NULL);
}

int kcs_ingress_pick(const struct kcs_profiles *ps, struct kcs_ingress *in,
		     struct kcs_err *err)
{
	struct kcs_ingress tmp;
	int found = -1;
	unsigned int i;

	for (i = 0; i < ps->n; i++) {
		memset(&tmp, 0, sizeof(tmp));
		if (kcs_ingress_load(ps->name[i], &tmp, err)) {
			kcs_ingress_free(in);
			return -2;
		}
		if (tmp.kind == KCS_NET_NONE) {
			kcs_ingress_free(&tmp);
			continue;
		}
		if (found >= 0) {
			kcs_ingress_free(&tmp);
			kcs_ingress_free(in);
			kcs_err_set(err, KCS_EXIT_INVALID,
				    "profiles %s and %s both have ingress rules; a network namespace holds the ingress rules of one profile",
				    ps->name[found], ps->name[i]);
			return -2;
		}
		found = (int)i;
		*in = tmp;
	}
	return found;
}

