// SPDX-License-Identifier: GPL-2.0
/*
 * as_user: run a command as an unprivileged uid/gid with no supplementary
 * groups and no capabilities (busybox's setpriv cannot change ids).
 *
 *   as_user UID GID CMD [ARG...]
 */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: as_user UID GID CMD [ARG...]\n");
		return 2;
	}
	if (setgroups(0, NULL) || setgid(atoi(argv[2])) || setuid(atoi(argv[1]))) {
		perror("as_user");
		return 2;
	}
	execvp(argv[3], argv + 3);
	perror(argv[3]);
	return 127;
}
