// SPDX-License-Identifier: GPL-2.0
/*
 * mapx: map a file executable the ways native code gets loaded without an
 * exec of its own, and report what the call returned. Dynamically linked
 * (dlopen, and a target for LD_PRELOAD and the loader run directly).
 *
 *   mapx --mmap FILE       mmap(PROT_READ | PROT_EXEC) of FILE
 *   mapx --mprotect FILE   mmap(PROT_READ), then mprotect() adding PROT_EXEC
 *   mapx --dlopen FILE     dlopen(FILE, RTLD_NOW)
 *   mapx --hello           print "hello" (a program to preload into)
 *
 * Prints "ok" or the errno's name (dlopen: "DLERR" and the message on
 * stderr) and exits 0 (ok), 1 (EPERM, or dlopen failed) or 2.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int report(int ok)
{
	int e = errno;

	if (ok) {
		printf("ok\n");
		return 0;
	}
	printf("%s\n", e == EPERM ? "EPERM" : strerror(e));
	return e == EPERM ? 1 : 2;
}

int main(int argc, char **argv)
{
	void *p;
	int fd;

	if (argc == 2 && !strcmp(argv[1], "--hello")) {
		printf("hello\n");
		return 0;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: mapx --mmap|--mprotect|--dlopen FILE | --hello\n");
		return 3;
	}
	if (!strcmp(argv[1], "--dlopen")) {
		if (dlopen(argv[2], RTLD_NOW)) {
			printf("ok\n");
			return 0;
		}
		fprintf(stderr, "%s\n", dlerror());
		printf("DLERR\n");
		return 1;
	}
	fd = open(argv[2], O_RDONLY);
	if (fd < 0)
		return report(0);
	if (!strcmp(argv[1], "--mmap")) {
		p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
		return report(p != MAP_FAILED);
	}
	if (!strcmp(argv[1], "--mprotect")) {
		p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED)
			return report(0);
		return report(!mprotect(p, 4096, PROT_READ | PROT_EXEC));
	}
	return 3;
}
