// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <strings.h>
#include <linux/capability.h>

#include "caps.h"

#define CAP(x) [CAP_##x] = "CAP_" #x

/* Indexed by the kernel's own constants, so a renumbering cannot shift a
 * name onto another capability. */
static const char *const names[KCS_CAP_COUNT] = {
	CAP(CHOWN), CAP(DAC_OVERRIDE), CAP(DAC_READ_SEARCH), CAP(FOWNER),
	CAP(FSETID), CAP(KILL), CAP(SETGID), CAP(SETUID), CAP(SETPCAP),
	CAP(LINUX_IMMUTABLE), CAP(NET_BIND_SERVICE), CAP(NET_BROADCAST),
	CAP(NET_ADMIN), CAP(NET_RAW), CAP(IPC_LOCK), CAP(IPC_OWNER),
	CAP(SYS_MODULE), CAP(SYS_RAWIO), CAP(SYS_CHROOT), CAP(SYS_PTRACE),
	CAP(SYS_PACCT), CAP(SYS_ADMIN), CAP(SYS_BOOT), CAP(SYS_NICE),
	CAP(SYS_RESOURCE), CAP(SYS_TIME), CAP(SYS_TTY_CONFIG), CAP(MKNOD),
	CAP(LEASE), CAP(AUDIT_WRITE), CAP(AUDIT_CONTROL), CAP(SETFCAP),
	CAP(MAC_OVERRIDE), CAP(MAC_ADMIN), CAP(SYSLOG), CAP(WAKE_ALARM),
	CAP(BLOCK_SUSPEND), CAP(AUDIT_READ), CAP(PERFMON), CAP(BPF),
	CAP(CHECKPOINT_RESTORE),
};

/* Headers with a capability this table lacks fail the build here rather
 * than let a policy name it and be told it does not exist. */
_Static_assert(CAP_LAST_CAP + 1 == KCS_CAP_COUNT,
	       "<linux/capability.h> has capabilities caps.c does not name");

int kcs_cap_parse(const char *name)
{
	int i;

	if (!strncasecmp(name, "CAP_", 4))
		name += 4;
	for (i = 0; i < KCS_CAP_COUNT; i++)
		if (!strcasecmp(names[i] + 4, name))
			return i;
	return -1;
}

const char *kcs_cap_name(int cap)
{
	return cap >= 0 && cap < KCS_CAP_COUNT ? names[cap] : NULL;
}
