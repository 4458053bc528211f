// SPDX-License-Identifier: GPL-2.0
/*
 * System call names and numbers of the x86-64 table, generated at build
 * time from the kernel headers' <asm/unistd_64.h> (the Makefile writes
 * build/gen/syscall_table.h), and the words of the "syscalls" section.
 */
#include <stdlib.h>
#include <string.h>

#include "sys.h"

struct sys_entry {
	const char *name;
	int nr;
};

static const struct sys_entry table[] = {
#include "syscall_table.h"
};

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct sys_entry *)a)->name,
		      ((const struct sys_entry *)b)->name);
}

int kcs_sys_number(const char *name)
{
	struct sys_entry key = { .name = name };
	const struct sys_entry *e;

	/* The table is sorted by name (LC_ALL=C sort). */
	e = bsearch(&key, table, sizeof(table) / sizeof(table[0]),
		    sizeof(table[0]), cmp_entry);
	return e ? e->nr : -1;
}

static const char *const actions[] = {
	[KCS_SYS_ALLOW] = "allow",
	[KCS_SYS_DENY] = "deny",
	[KCS_SYS_AUDIT] = "audit",
};

static const char *const ops[] = {
	[KCS_SYS_OP_EQ] = "eq",
	[KCS_SYS_OP_NE] = "ne",
	[KCS_SYS_OP_LT] = "lt",
	[KCS_SYS_OP_LE] = "le",
	[KCS_SYS_OP_GT] = "gt",
	[KCS_SYS_OP_GE] = "ge",
	[KCS_SYS_OP_MASK_ALL] = "mask_all",
	[KCS_SYS_OP_MASK_ANY] = "mask_any",
	[KCS_SYS_OP_MASK_NONE] = "mask_none",
};

_Static_assert(sizeof(actions) / sizeof(actions[0]) == __KCS_SYS_ACTION_MAX,
	       "every action needs a name");
_Static_assert(sizeof(ops) / sizeof(ops[0]) == __KCS_SYS_OP_MAX,
	       "every operator needs a name");

const char *kcs_sys_action_name(unsigned int action)
{
	return action < __KCS_SYS_ACTION_MAX ? actions[action] : "?";
}

const char *kcs_sys_op_name(unsigned int op)
{
	return op < __KCS_SYS_OP_MAX ? ops[op] : "?";
}
