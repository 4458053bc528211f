/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hook liveness and signatures: prove, right after loading, that every
 * entry point kcs.ko hooks fires for a real task, and that each has the
 * type the module was built for (the kernel's BTF). See KCS_CMD_PROBE.
 */
#ifndef KCS_PROBE_H
#define KCS_PROBE_H

#include <stdint.h>
#include "nl.h"

#define KCS_PROBE_MAX_HOOKS 32

struct kcs_probe_hook {
	uint32_t kind;			/* enum kcs_hook, or internal */
	char target[128];		/* the function hooked */
	char sig[256];			/* its type, as the module expects it */
	char btf_sig[256];		/* as the kernel's BTF has it, or "" */
	int fired;			/* seen firing for the probe's child */
	int required;			/* the child exercised it */
	const char *problem;		/* NULL when fine */
};

struct kcs_probe_result {
	uint32_t proven;		/* BIT(enum kcs_hook) */
	int btf_checked;		/* 0: the kernel has no BTF */
	unsigned int n;
	struct kcs_probe_hook hooks[KCS_PROBE_MAX_HOOKS];
};

/*
 * Run the probe: a child exercises every hook while the module watches
 * it, then each hook is checked against BTF. Returns 0 when every hook
 * fired and matches; -1 with @err naming the first that does not (the
 * result is filled either way when the probe itself ran).
 */
int kcs_probe_run(struct kcs_nl *nl, struct kcs_probe_result *r,
		  struct kcs_err *err);

/* The name of a hook kind: kcs_hook_name()'s, and "sctp". */
const char *kcs_probe_kind_name(uint32_t kind);

#endif /* KCS_PROBE_H */
