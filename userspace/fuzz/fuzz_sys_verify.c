// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the kernel's application rule verifier and decision
 * (kmod/sysrule.c) on arbitrary blobs. kcs_sysset_verify() is all that
 * stands between a root-supplied rule set and the system call hooks, and
 * kcs_sys_decide() then runs with no bounds checks. So when it accepts,
 * every name must be found by its own binary search, and every decision,
 * for any arguments, program or 32-bit entry, must stay in the tables
 * (ASan) and name a rule of that call or none.
 *
 * Input: byte 0 picks the layout. Even: the rest is the rule blob, and the
 * programs blob is empty. Odd: bytes 1-3 give nnames (mod 8), nrules (mod
 * 8) and the default; the header is made right and the rest fills the
 * arrays, so that mutations reach the name, range and rule checks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kcs.h>

#include "sysrule.h"

static void exercise(const struct kcs_sysset *s, const uint8_t *data,
		     size_t size)
{
	u64 args[KCS_SYS_ARGS] = { 0 };
	struct kcs_sys_result res;
	u32 i, k;

	for (i = 0; i < KCS_SYS_ARGS && i < size; i++)
		args[i] = (u64)data[i] * 0x0101010101010101ULL;
	for (i = 0; i < s->hdr->nnames; i++) {
		const struct kcs_sys_name *n = &s->names[i];

		if (kcs_sysset_find(s, n->name) != (int)i)
			abort();
		for (k = 0; k < 3; k++) {
			kcs_sys_decide(s, i, k == 2 ? NULL : args,
				       k ? "/bin/sh" : NULL, &res);
			if (res.rule != KCS_SYS_NO_RULE &&
			    (res.rule < n->first || res.rule >= n->first + n->count))
				abort();
			if (res.outcome > KCS_SYS_RES_UNDECIDABLE)
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kcs_sysset s = { 0 };
	struct kcs_sys_hdr *h;
	const char *why;
	size_t len;
	void *blob;

	if (size < 1)
		return 0;
	if (!(data[0] & 1)) {
		len = size - 1;
		blob = malloc(len ? len : 1);
		if (!blob)
			return 0;
		memcpy(blob, data + 1, len);
	} else {
		u32 nnames = size > 1 ? data[1] % 8 + 1 : 1;
		u32 nrules = size > 2 ? data[2] % 8 : 0;

		len = sizeof(*h) + nnames * sizeof(struct kcs_sys_name) +
		      nrules * sizeof(struct kcs_sys_rule);
		blob = calloc(1, len);
		if (!blob)
			return 0;
		if (size > 4)
			memcpy((char *)blob + sizeof(*h), data + 4,
			       size - 4 < len - sizeof(*h) ? size - 4 :
			       len - sizeof(*h));
		h = blob;
		h->magic = KCS_SYS_MAGIC;
		h->version = KCS_SYS_VERSION;
		h->hdr_len = sizeof(*h);
		h->nnames = nnames;
		h->nrules = nrules;
		h->dflt = size > 3 ? data[3] % 4 : 0;
	}
	s.blob = blob;
	if (!kcs_sysset_verify(&s, len, 0, &why))
		exercise(&s, data, size);
	free(s.progs);
	free(blob);
	return 0;
}
