/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcsadm's exit codes. They are a stable interface (scripts and the
 * selftests branch on them), documented in docs/kcsadm.md and in
 * `kcsadm --help`: only ever append.
 */
#ifndef KCS_EXITCODES_H
#define KCS_EXITCODES_H

#include <errno.h>

enum kcs_exit {
	KCS_EXIT_OK		= 0,	/* success */
	KCS_EXIT_FAILED		= 1,	/* operation failed, no better code */
	KCS_EXIT_USAGE		= 2,	/* bad command line */
	KCS_EXIT_INVALID	= 3,	/* invalid profile, pattern or JSON */
	KCS_EXIT_PERM		= 4,	/* EPERM/EACCES */
	KCS_EXIT_NOMODULE	= 5,	/* family "kcs" not registered */
	KCS_EXIT_NOTFOUND	= 6,	/* profile, binding or cgroup */
	KCS_EXIT_BUSY		= 7,	/* EBUSY, e.g. profile still bound */
	KCS_EXIT_REFUSED	= 8,	/* oci-hook: the container may not start */
};

/* Exit code for a failed operation that reported @errnum (positive). */
static inline enum kcs_exit kcs_exit_from_errno(int errnum)
{
	switch (errnum) {
	case EPERM:
	case EACCES:
		return KCS_EXIT_PERM;
	case ENOENT:
	case ESRCH:
		return KCS_EXIT_NOTFOUND;
	case EBUSY:
		return KCS_EXIT_BUSY;
	case EINVAL:
	case E2BIG:
	case ERANGE:
		/* The kernel refused what we sent: the input is at fault. */
		return KCS_EXIT_INVALID;
	default:
		return KCS_EXIT_FAILED;
	}
}

#endif /* KCS_EXITCODES_H */
