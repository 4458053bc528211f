// SPDX-License-Identifier: GPL-2.0
/*
 * Verify and match network rule groups (netgroup.h): each group is a
 * complete network rule set (netm.c) with its texts and, optionally, the
 * DFA of the program it is limited to (dfa.c). Verification is all that
 * stands between the blob and the socket hooks, so every length, offset
 * and padding byte is checked before a pointer is taken.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#endif

#include "netgroup.h"

static int kcs_ng_fail(const char **why, const char *reason)
{
	*why = reason;
	return -EINVAL;
}

static u64 kcs_ng_pad8(u64 n)
{
	return (n + 7) & ~7ULL;
}

/* The padding of a part: zeros up to the next multiple of 8. */
static bool kcs_ng_zero(const unsigned char *p, u64 from, u64 to)
{
	for (; from < to; from++)
		if (p[from])
			return false;
	return true;
}

/* One group at @off of @len bytes; *@off moves past it. */
static int kcs_ng_one(const unsigned char *p, size_t len, u64 *off,
		      struct kcs_net_grp *g, const char **why)
{
	const struct kcs_net_group *h;
	u64 o = *off, end;
	int err;

	if (len - o < sizeof(*h))
		return kcs_ng_fail(why, "net group truncated");
	h = (const void *)(p + o);
	o += sizeof(*h);
	if (h->set >= __KCS_NETG_SET_MAX)
		return kcs_ng_fail(why, "net group names an unknown set");
	memset(g, 0, sizeof(*g));
	g->set = h->set;
	/* Each part: present, padded with zeros, within the blob. */
	end = o + kcs_ng_pad8(h->prog_len);
	if (end > len || !kcs_ng_zero(p, o + h->prog_len, end))
		return kcs_ng_fail(why, "net group program truncated or badly padded");
	if (h->prog_len) {
		err = kcs_dfa_verify(p + o, h->prog_len, &g->prog, why);
		if (err)
			return err;
		if (g->prog.naccept != 1 || g->prog.flags)
			return kcs_ng_fail(why,
					   "net group program DFA has one pattern and no flags");
		g->scoped = true;
	}
	o = end;
	end = o + kcs_ng_pad8(h->net_len);
	if (end > len || !kcs_ng_zero(p, o + h->net_len, end))
		return kcs_ng_fail(why, "net group rule set truncated or badly padded");
	err = kcs_netm_verify(p + o, h->net_len, &g->m, why);
	if (err)
		return err;
	o = end;
	end = o + kcs_ng_pad8(h->text_len);
	if (end > len || !kcs_ng_zero(p, o + h->text_len, end))
		return kcs_ng_fail(why, "net group texts truncated or badly padded");
	if (kcs_text_verify((const char *)p + o, h->text_len, g->m.nrules))
		return kcs_ng_fail(why, "net group texts do not match its rule count");
	g->text = (const char *)p + o;
	g->text_len = h->text_len;
	*off = end;
	return 0;
}

int kcs_ngroups_verify(const void *blob, size_t len, struct kcs_net_grp *g,
		       u32 *n, const char **why)
{
	const struct kcs_net_groups_hdr *h = blob;
	u64 off = sizeof(*h);
	u32 i;
	int err;

	*n = 0;
	if (((unsigned long)blob & 7) != 0)
		return kcs_ng_fail(why, "net groups blob is not 8-byte aligned");
	if (len < sizeof(*h))
		return kcs_ng_fail(why, "net groups blob shorter than its header");
	if (len > KCS_DFA_MAX_BYTES)
		return kcs_ng_fail(why, "net groups blob larger than KCS_DFA_MAX_BYTES");
	if (h->magic != KCS_NETG_MAGIC)
		return kcs_ng_fail(why, "net groups blob has a bad magic");
	if (h->version != KCS_NETG_VERSION)
		return kcs_ng_fail(why, "net groups blob has an unsupported version");
	if (h->hdr_len != sizeof(*h) || h->reserved)
		return kcs_ng_fail(why, "net groups header has a bad length or reserved bits");
	if (h->ngroups < 1 || h->ngroups > KCS_NETG_MAX)
		return kcs_ng_fail(why, "net group count out of range");
	for (i = 0; i < h->ngroups; i++) {
		err = kcs_ng_one(blob, len, &off, &g[i], why);
		if (err)
			return err;
	}
	if (off != len)
		return kcs_ng_fail(why, "net groups blob has trailing bytes");
	*n = h->ngroups;
	return 0;
}

bool kcs_ngroup_applies(const struct kcs_net_grp *g, const char *prog)
{
	if (!g->scoped)
		return true;
	if (!prog)
		return false;
	return kcs_dfa_accept(&g->prog, kcs_dfa_walk(&g->prog, g->prog.start,
						      prog, strlen(prog))) != 0;
}
