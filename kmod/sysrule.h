/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Application rules (uapi: KCS_A_SYS_RULES) as the module holds them once
 * verified, and their decision. Built in the kernel and in userspace
 * (kcsadm's tests and fuzzers run sysrule.c as it is), like dfa.h.
 */
#ifndef KCS_SYSRULE_H
#define KCS_SYSRULE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include "ktypes.h"
#endif
#include <linux/kcs.h>
#include "dfa.h"

#define KCS_SYS_ARGS	6	/* a system call's arguments */

/* What the kernel's syscall metadata says about one named call. */
struct kcs_sys_call_info {
	char entry[KCS_SYS_NAME_MAX];	/* its 64-bit entry: __x64_sys_<entry> */
	u8 nargs;
	u8 width[KCS_SYS_ARGS];		/* bytes as the call sees them; 0: unknown */
	bool sign[KCS_SYS_ARGS];	/* a signed type */
	bool scoped;			/* a rule of it names a program */
};

struct kcs_sysset {		/* a profile's verified application rules */
	void *blob;		/* NULL: none */
	void *progs_blob;
	const char *text;
	u32 *text_off;		/* offset of rule i's text in text */
	const struct kcs_sys_hdr *hdr;
	const struct kcs_sys_name *names;
	const struct kcs_sys_rule *rules;
	struct kcs_dfa *progs;	/* hdr->nprograms */
	struct kcs_sys_call_info *info;	/* hdr->nnames */
};

enum kcs_sys_outcome {
	KCS_SYS_RES_ALLOW,
	KCS_SYS_RES_DENY,
	KCS_SYS_RES_AUDIT,
	KCS_SYS_RES_UNDECIDABLE,
};

#define KCS_SYS_NO_RULE	0xffffffffU	/* decided by the default, or a guard */

struct kcs_sys_result {
	u32 outcome;		/* enum kcs_sys_outcome */
	u32 rule;		/* the deciding rule, or KCS_SYS_NO_RULE */
};

int kcs_sysset_verify(struct kcs_sysset *s, size_t len, size_t plen,
		      const char **why);
int kcs_sysset_find(const struct kcs_sysset *s, const char *name);
u64 kcs_sys_arg_narrow(u64 raw, u8 width, bool sign);
void kcs_sys_decide(const struct kcs_sysset *s, u32 ni, const u64 *args,
		    const char *prog, struct kcs_sys_result *res);
bool kcs_sys_unrefusable(const char *name);

#endif /* KCS_SYSRULE_H */
