// SPDX-License-Identifier: GPL-2.0
/*
 * mnt_exec: in a mount namespace of its own, make one mount, then exec:
 * what a container process does to rename a file by mounting (busybox
 * unshare -m cannot run in a chroot: it insists on remounting "/").
 *
 *   mnt_exec [--bind SRC DST] [--tmpfs DIR] PROG [ARG...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int i = 1, e;

	if (unshare(CLONE_NEWNS)) {
		perror("mnt_exec: unshare");
		return 2;
	}
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--bind") && i + 2 < argc) {
			if (mount(argv[i + 1], argv[i + 2], NULL, MS_BIND, NULL)) {
				perror("mnt_exec: bind");
				return 2;
			}
			i += 2;
		} else if (!strcmp(argv[i], "--tmpfs") && i + 1 < argc) {
			if (mount("none", argv[i + 1], "tmpfs", 0, NULL)) {
				perror("mnt_exec: tmpfs");
				return 2;
			}
			i++;
		} else {
			fprintf(stderr, "usage: mnt_exec [--bind SRC DST] [--tmpfs DIR] PROG [ARG...]\n");
			return 2;
		}
	}
	if (i >= argc)
		return 2;
	execv(argv[i], argv + i);
	e = errno;
	perror(argv[i]);
	return e == EPERM ? 126 : 127;	/* as sh says */
}
