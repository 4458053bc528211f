// SPDX-License-Identifier: GPL-2.0
/*
 * Which program a busybox-style multi-call binary will run. Pure string
 * work on bytes already copied from the new program's argv, so KUnit tests
 * it directly.
 */
#include <linux/string.h>
#include "kcs.h"

bool kcs_is_multicall(const char *path)
{
	const char *base = strrchr(path, '/');

	return base && !strncmp(base + 1, "busybox", 7);
}

static const char *kcs_basename(const char *s)
{
	const char *slash = strrchr(s, '/');

	return slash ? slash + 1 : s;
}

/*
 * @args holds @len bytes of the argv strings (argv[0] first, NUL-separated,
 * possibly cut short) in a buffer of at least @len + 1 bytes. Returns the
 * applet busybox will run, pointing into @args: the basename of argv[0]
 * after a login shell's leading '-'; if that names busybox itself, the
 * basename of argv[1] unless it is an option (busybox --list). NULL when
 * there is none or a string was cut short.
 */
const char *kcs_applet_parse(char *args, size_t len, int argc)
{
	const char *a0 = args, *a1, *name;
	size_t l0;

	if (!len || argc < 1)
		return NULL;
	args[len] = '\0';
	l0 = strnlen(a0, len);
	if (l0 == len)
		return NULL;		/* argv[0] longer than we read */
	name = kcs_basename(*a0 == '-' ? a0 + 1 : a0);
	if (!strncmp(name, "busybox", 7)) {
		if (argc < 2)
			return NULL;
		a1 = a0 + l0 + 1;
		if (strnlen(a1, len - l0 - 1) == len - l0 - 1)
			return NULL;	/* argv[1] cut short */
		if (*a1 == '-')
			return NULL;	/* busybox --list and friends */
		name = kcs_basename(a1);
	}
	if (!*name || strlen(name) > KCS_APPLET_MAX)
		return NULL;
	return name;
}
