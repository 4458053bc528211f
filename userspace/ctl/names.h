/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stable names for the ABI's enums, as kcsadm prints them and accepts them.
 * Values the ABI may append later print as "unknown".
 */
#ifndef KCS_NAMES_H
#define KCS_NAMES_H

const char *kcs_exec_kind_name(unsigned int kind);	/* none block allow */
const char *kcs_mode_name(unsigned int mode);		/* none audit enforce */
const char *kcs_verdict_name(unsigned int verdict);	/* allow deny */
/* Not an ABI value: ingress decisions are made by nftables, not kcs.ko;
 * kcsadm's events from nflog carry it. */
#define KCS_HOOK_INGRESS	0x1000

const char *kcs_hook_name(unsigned int hook);		/* exec ... ingress */
const char *kcs_rule_kind_name(unsigned int kind);	/* block not-allowed */
const char *kcs_file_op_name(unsigned int op);		/* open unlink ... */
/* KCS_FILE_ACC_* as "read", "write", "read,write". */
const char *kcs_file_access_name(unsigned int acc);
/* enum kcs_stat as snake_case ("exec_checked"); NULL for UNSPEC/PAD. */
const char *kcs_stat_name(unsigned int stat);

/* KCS_MODE_AUDIT/ENFORCE for "audit"/"enforce", else -1. */
int kcs_mode_parse(const char *s);

#endif /* KCS_NAMES_H */
