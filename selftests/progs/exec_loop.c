// SPDX-License-Identifier: GPL-2.0
/*
 * exec_loop: the benchmark's unit of work. Runs PROG N times (vfork +
 * execve + wait) and prints the mean wall time per iteration in ns.
 *
 *   exec_loop N PROG
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	long n, i;
	double ns;

	if (argc != 3 || (n = atol(argv[1])) <= 0) {
		fprintf(stderr, "usage: exec_loop N PROG\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		char *args[] = { argv[2], NULL };
		int status;
		pid_t pid = vfork();

		if (pid < 0) {
			perror("vfork");
			return 1;
		}
		if (pid == 0) {
			execve(argv[2], args, environ);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			fprintf(stderr, "exec_loop: %s failed\n", argv[2]);
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
	printf("%.0f\n", ns / n);
	return 0;
}
