// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the kernel's network rule group verifier (kmod/
 * netgroup.c) on arbitrary blobs. kcs_ngroups_verify() is all that stands
 * between a root-supplied groups blob and the socket hooks, which then
 * walk each group's program DFA and rule set with no bounds checks. So
 * when it accepts, every group must name a known set, every program walk
 * and rule lookup must stay in the blob (ASan), a lookup must name a rule
 * below the group's count, and that rule's text must lie inside the
 * group's texts.
 *
 * Input: the blob as is, copied to an 8-byte aligned buffer (the module's
 * gathered attributes are). Seeds in corpus/fuzz_netgroups_verify/ are
 * real blobs from kcsadm's compiler.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kcs.h>

#include "netgroup.h"

static void exercise(const struct kcs_net_grp *g, u32 n, const uint8_t *data,
		     size_t size)
{
	static const char *const progs[] = { NULL, "/bin/curl", "/usr/sbin/nginx", "" };
	struct kcs_net_addr a = { 0 };
	u32 i, k, r, proto;
	const char *t;

	if (size >= 4)
		memcpy(&a.w[3], data, 4);
	for (i = 0; i < n; i++) {
		if (g[i].set >= __KCS_NETG_SET_MAX)
			abort();
		for (k = 0; k < sizeof(progs) / sizeof(progs[0]); k++)
			(void)kcs_ngroup_applies(&g[i], progs[k]);
		for (proto = KCS_NET_PROTO_TCP; proto <= KCS_NET_PROTO_UDP; proto++) {
			r = kcs_netm_lookup(&g[i].m, &a, (u16)(size * 257), proto);
			if (r == KCS_NET_NO_RULE)
				continue;
			if (r >= g[i].m.nrules)
				abort();
			for (t = g[i].text; r--; t += strlen(t) + 1)
				;
			if (t < g[i].text || t >= g[i].text + g[i].text_len)
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kcs_net_grp g[KCS_NETG_MAX];
	const char *why;
	uint64_t *blob;
	u32 n;

	blob = malloc(size ? size : 1);
	if (!blob)
		return 0;
	memcpy(blob, data, size);
	if (!kcs_ngroups_verify(blob, size, g, &n, &why))
		exercise(g, n, data, size);
	free(blob);
	return 0;
}
