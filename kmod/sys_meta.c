// SPDX-License-Identifier: GPL-2.0
/*
 * What the kernel itself says about a system call: which function its
 * 64-bit table entry calls, and the C types of its parameters. Both come
 * from the syscall trace events' metadata (CONFIG_FTRACE_SYSCALLS, on in
 * Debian's kernels), reached through the exported trace_get_event_file().
 *
 * Names are not enough to find an entry point: the table's "uname" calls
 * sys_newuname, and a __x64_sys_uname exists too (the old call, reached
 * only from 32-bit tasks). Hooking that one would judge nothing. So kcsadm
 * sends each name with its 64-bit number, and a candidate entry is taken
 * only when the metadata says the table's slot of that number calls it.
 *
 * The parameter types give each argument's width and sign, which is how
 * the call itself reads it (kcs_sys_arg_narrow()). A type this file cannot
 * size leaves its argument unknown, and a condition on it is refused when
 * the profile is loaded: guessing a width would let 0x100000001 pass a
 * rule on an int of 1.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/trace_events.h>
#include <trace/syscall.h>
#include "kcs.h"

struct kcs_sys_type {
	const char *name;
	u8 width;
	bool sign;
};

static const struct kcs_sys_type kcs_sys_types[] = {
	{ "int", 4, true }, { "pid_t", 4, true }, { "key_serial_t", 4, true },
	{ "clockid_t", 4, true }, { "timer_t", 4, true }, { "mqd_t", 4, true },
	{ "rwf_t", 4, true }, { "key_t", 4, true }, { "s32", 4, true },
	{ "__s32", 4, true },
	{ "unsigned int", 4, false }, { "unsigned", 4, false },
	{ "u32", 4, false }, { "__u32", 4, false }, { "uid_t", 4, false },
	{ "gid_t", 4, false }, { "qid_t", 4, false },
	{ "umode_t", 2, false }, { "unsigned short", 2, false },
	{ "old_uid_t", 2, false }, { "old_gid_t", 2, false },
	{ "u16", 2, false },
	{ "long", 8, true }, { "loff_t", 8, true }, { "off_t", 8, true },
	{ "ssize_t", 8, true }, { "long long", 8, true }, { "s64", 8, true },
	{ "__s64", 8, true }, { "__kernel_old_time_t", 8, true },
	{ "unsigned long", 8, false }, { "size_t", 8, false },
	{ "u64", 8, false }, { "__u64", 8, false },
	{ "unsigned long long", 8, false }, { "aio_context_t", 8, false },
	{ "cap_user_header_t", 8, false }, { "cap_user_data_t", 8, false },
};

/* Width and sign of C type @t ("const char __user *", "int", ...). */
static void kcs_sys_type_size(const char *t, u8 *width, bool *sign)
{
	unsigned int i;

	*width = 0;
	*sign = false;
	if (strchr(t, '*')) {		/* a pointer: compared as an address */
		*width = 8;
		return;
	}
	if (!strncmp(t, "const ", 6))
		t += 6;
	for (i = 0; i < ARRAY_SIZE(kcs_sys_types); i++) {
		if (!strcmp(t, kcs_sys_types[i].name)) {
			*width = kcs_sys_types[i].width;
			*sign = kcs_sys_types[i].sign;
			return;
		}
	}
}

/*
 * Try @entry as the function slot @nr of the 64-bit table calls. *@seen:
 * the kernel has a table entry of that name (at some number).
 */
/*
 * The metadata of @entry when it is a call of the 64-bit table (its trace
 * event exists and is mapped to a number), else NULL. On success the
 * caller trace_put_event_file()s *@file once done with it.
 */
static struct syscall_metadata *kcs_sys_table_meta(const char *entry,
						   struct trace_event_file **file)
{
	struct syscall_metadata *meta;
	char event[KCS_SYS_NAME_MAX + 48];

	snprintf(event, sizeof(event), "sys_enter_%s", entry);
	*file = trace_get_event_file(NULL, "syscalls", event);
	if (IS_ERR_OR_NULL(*file))
		return NULL;
	meta = (*file)->event_call->data;
	if (meta && meta->syscall_nr >= 0)
		return meta;
	trace_put_event_file(*file);
	return NULL;
}

static bool kcs_sys_meta_try(const char *entry, u32 nr,
			     struct kcs_sys_call_info *info, bool *seen)
{
	struct trace_event_file *file;
	struct syscall_metadata *meta;
	bool ok = false;
	int i;

	if (strlen(entry) >= sizeof(info->entry))
		return false;
	meta = kcs_sys_table_meta(entry, &file);
	if (!meta)
		return false;
	*seen = true;
	if ((u32)meta->syscall_nr == nr && meta->nb_args >= 0 &&
	    meta->nb_args <= KCS_SYS_ARGS) {
		strscpy(info->entry, entry, sizeof(info->entry));
		info->nargs = meta->nb_args;
		for (i = 0; i < meta->nb_args; i++)
			kcs_sys_type_size(meta->types[i], &info->width[i],
					  &info->sign[i]);
		ok = true;
	}
	trace_put_event_file(file);
	return ok;
}

/*
 * Whether @entry is a call of the 64-bit table in its own right: then a
 * 32-bit form of another name that spells it ("getdents" + "64") is that
 * other call, not a variant.
 */
bool kcs_sys_native(const char *entry)
{
	struct trace_event_file *file;

	if (!kcs_sys_table_meta(entry, &file))
		return false;
	trace_put_event_file(file);
	return true;
}

static const char kcs_sys_not_in_table[] =
	"a named system call is not in this kernel's 64-bit table at its number";
static const char kcs_sys_no_metadata[] =
	"no syscall metadata in this kernel (CONFIG_FTRACE_SYSCALLS): application rules unusable";

/**
 * kcs_sys_meta() - find the entry point and parameter types of a call
 * @name: its name in the 64-bit table ("uname")
 * @nr: its 64-bit number, as kcsadm was built with
 * @info: filled on success
 * @why: a static reason on failure
 *
 * A call this kernel does not implement (configured out: its slot is
 * sys_ni_syscall, which fails with ENOSYS by itself) has no entry to hook:
 * @info->entry stays empty and its rules have nothing to judge, so that
 * one profile serves kernels built with and without, say, CONFIG_KEXEC.
 *
 * Return: 0, or -EOPNOTSUPP when an entry of that name sits at another
 * number than @nr, or the kernel has no syscall metadata at all.
 */
int kcs_sys_meta(const char *name, u32 nr, struct kcs_sys_call_info *info,
		 const char **why)
{
	static const char *const forms[] = { "%s", "new%s", "%s64" };
	char entry[KCS_SYS_NAME_MAX + 8];
	unsigned int i;

	bool seen = false;

	memset(info, 0, sizeof(*info));
	for (i = 0; i < ARRAY_SIZE(forms); i++) {
		snprintf(entry, sizeof(entry), forms[i], name);
		if (kcs_sys_meta_try(entry, nr, info, &seen))
			return 0;
	}
	/* The one whose entry is not named after it by any of the forms. */
	if (!strcmp(name, "umount2") &&
	    kcs_sys_meta_try("umount", nr, info, &seen))
		return 0;
	/* No such call here at all: not implemented (see above). */
	if (IS_ENABLED(CONFIG_FTRACE_SYSCALLS) && !seen &&
	    kcs_sys_native("getpid"))
		return 0;
	*why = IS_ENABLED(CONFIG_FTRACE_SYSCALLS) ? kcs_sys_not_in_table :
	       kcs_sys_no_metadata;
	return -EOPNOTSUPP;
}
