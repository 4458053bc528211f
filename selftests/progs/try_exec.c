// SPDX-License-Identifier: GPL-2.0
/*
 * try_exec: execute a program the way the test asks and report how exec
 * failed, so tests can assert the exact errno a user would get.
 *
 *   try_exec [--fd|--unlinked|--memfd|--at DIR|--deep N] PATH [ARGV0 [ARG...]]
 *
 * Default: execve(PATH, argv). --fd: fexecve(open(PATH)). --unlinked: the
 * same with PATH unlinked before the exec. --memfd: fexecve() of a memfd
 * holding a copy of PATH. --at DIR: execveat(open(DIR), PATH, ...) with
 * PATH relative to DIR. --deep N: copy PATH to ./x under N nested new
 * directories of 200-byte names (a name longer than PATH_MAX for N >= 21)
 * and execve("./x"). ARGV0 defaults
 * to PATH. On failure prints "exec failed: <ERRNO NAME>" to stderr and
 * exits 126 (EPERM) or 127 (anything else). With TRY_EXEC_PIDFILE set, first
 * writes "PID PPID" there, for tests that check an event's process fields.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

static const char *errname(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ENOENT: return "ENOENT";
	case ENOEXEC: return "ENOEXEC";
	case ENOMEM: return "ENOMEM";
	default: return strerror(e);
	}
}

/* Copy the file @path into @fd (open for writing; -1: failed to open). */
static int copy_to(const char *path, int fd)
{
	int src = open(path, O_RDONLY | O_CLOEXEC);
	char buf[65536];
	ssize_t n;

	if (src < 0 || fd < 0) {
		perror("open");
		return -1;
	}
	while ((n = read(src, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n) {
			perror("write");
			return -1;
		}
	close(src);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = "path", *dir = NULL, *path;
	int depth = 0;
	char **args;
	int i = 1, fd;

	if (i < argc && (!strcmp(argv[i], "--fd") ||
			 !strcmp(argv[i], "--unlinked") ||
			 !strcmp(argv[i], "--memfd"))) {
		mode = argv[i] + 2;
		i++;
	} else if (i + 1 < argc && !strcmp(argv[i], "--deep")) {
		mode = "deep";
		depth = atoi(argv[i + 1]);
		i += 2;
	} else if (i + 1 < argc && !strcmp(argv[i], "--at")) {
		mode = "at";
		dir = argv[i + 1];
		i += 2;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: try_exec [--fd|--at DIR] PATH [ARGV0 [ARG...]]\n");
		return 2;
	}
	path = argv[i];
	if (getenv("TRY_EXEC_PIDFILE")) {
		FILE *f = fopen(getenv("TRY_EXEC_PIDFILE"), "w");

		if (!f) {
			perror("TRY_EXEC_PIDFILE");
			return 2;
		}
		fprintf(f, "%d %d\n", (int)getpid(), (int)getppid());
		fclose(f);
	}
	args = argv + i + 1;
	if (!*args)
		args = argv + i;	/* argv[0] = PATH */

	if (!strcmp(mode, "fd") || !strcmp(mode, "unlinked")) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			perror("open");
			return 2;
		}
		if (!strcmp(mode, "unlinked") && unlink(path)) {
			perror("unlink");
			return 2;
		}
		fexecve(fd, args, environ);
	} else if (!strcmp(mode, "deep")) {
		char name[201];
		int k;

		memset(name, 'd', 200);
		name[200] = '\0';
		for (k = 0; k < depth; k++)
			if (mkdir(name, 0755) || chdir(name)) {
				perror("mkdir/chdir");
				return 2;
			}
		fd = open("x", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
		if (copy_to(path, fd))
			return 2;
		close(fd);
		execve("./x", args, environ);
	} else if (!strcmp(mode, "memfd")) {
		fd = memfd_create("try_exec", MFD_CLOEXEC);
		if (copy_to(path, fd))
			return 2;
		fexecve(fd, args, environ);
	} else if (!strcmp(mode, "at")) {
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			perror("open");
			return 2;
		}
		syscall(SYS_execveat, fd, path, args, environ, 0);
	} else {
		execve(path, args, environ);
	}
	fprintf(stderr, "exec failed: %s\n", errname(errno));
	return errno == EPERM ? 126 : 127;
}
