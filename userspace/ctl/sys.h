/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "syscalls" section of a profile (application rules, docs/syscalls.md):
 * parsed and validated, and compiled into the struct kcs_sys_hdr blob of
 * uapi/linux/kcs.h that kmod/sysrule.c verifies.
 */
#ifndef KCS_SYS_H
#define KCS_SYS_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <linux/kcs.h>

#include "compile.h"
#include "err.h"

struct kcs_sys_cond {
	uint32_t index;			/* 0..5 */
	enum kcs_sys_op op;
	uint64_t value;
};

struct kcs_sys_rule_spec {
	char name[KCS_SYS_NAME_MAX];	/* the system call */
	enum kcs_sys_action action;
	struct kcs_pattern program;	/* .text NULL: every program */
	struct kcs_sys_cond conds[KCS_SYS_MAX_ARGS];
	uint32_t nconds;
};

struct kcs_sys_spec {
	int present;			/* the profile has a "syscalls" key */
	enum kcs_sys_action dflt;
	struct kcs_sys_rule_spec *rules;
	size_t n;
	char (*ignore)[KCS_SYS_NAME_MAX];
	size_t nignore;
};

/* The x86-64 number of system call @name, or -1 (unknown to this kcsadm). */
int kcs_sys_number(const char *name);
/* Names of the actions and operators, as the JSON spells them. */
const char *kcs_sys_action_name(unsigned int action);
const char *kcs_sys_op_name(unsigned int op);

/* An action ("allow", "deny", "audit") at @where: 0, or -1 with @err. */
int kcs_json_action(const json_t *v, const char *where,
		    enum kcs_sys_action *out, struct kcs_err *err);

/* Parse the "syscalls" object @v into @spec (KCS_EXIT_INVALID errors). */
int kcs_sys_parse(const json_t *v, struct kcs_sys_spec *spec,
		  struct kcs_err *err);
void kcs_sys_spec_free(struct kcs_sys_spec *spec);

struct kcs_sys_compiled {
	struct kcs_blob rules;		/* struct kcs_sys_hdr and arrays */
	struct kcs_blob text;		/* one text per rule, in blob order */
	struct kcs_blob programs;	/* (u32 length, DFA) per program */
	uint32_t nnames, nrules, nprograms;
};

/*
 * Compile @spec: names sorted, each name's rules in their JSON order, the
 * io_uring guards added where the profile does not name those calls.
 */
int kcs_sys_compile(const struct kcs_sys_spec *spec,
		    struct kcs_sys_compiled *out, struct kcs_err *err);
void kcs_sys_compiled_free(struct kcs_sys_compiled *c);

#endif /* KCS_SYS_H */
