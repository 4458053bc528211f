// SPDX-License-Identifier: GPL-2.0
/*
 * drop_cap: run a command as root without one capability: it is dropped
 * from the bounding set, so the exec gives the command every capability of
 * root but that one (busybox has no capsh).
 *
 *   drop_cap CAPNUM CMD [ARG...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: drop_cap CAPNUM CMD [ARG...]\n");
		return 2;
	}
	if (prctl(PR_CAPBSET_DROP, atoi(argv[1]), 0, 0, 0)) {
		perror("drop_cap: PR_CAPBSET_DROP");
		return 2;
	}
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
