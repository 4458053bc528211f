// SPDX-License-Identifier: GPL-2.0
/*
 * try_sys: make one system call the way the test asks, and report its
 * outcome as a user would see it: "ok" (exit 0) or "<NAME>: <ERRNO NAME>"
 * on stderr (exit 126 for EPERM, 1 otherwise). Every way of making the
 * same call is here, so a test can try each against the rules:
 *
 *   try_sys unshare FLAGS        unshare(FLAGS) (64-bit entry)
 *   try_sys personality VALUE    personality(VALUE), VALUE a full 64 bits
 *   try_sys getpid               getpid()
 *   try_sys int80-unshare FLAGS  unshare through int 0x80 (i386 table)
 *   try_sys socketcall           socket(AF_INET, SOCK_DGRAM) through the
 *                                i386 socketcall() multiplexer
 *   try_sys socket               socket(AF_INET, SOCK_DGRAM) (64-bit)
 *   try_sys io_uring             io_uring_setup(4, {0})
 *
 * Numbers are read with strtoull(..., 0): 0x for hex.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#define I386_UNSHARE		310
#define I386_SOCKETCALL		102
#define SYS_SOCKET_CALL		1	/* socketcall()'s SYS_SOCKET */

static long int80(long nr, long a, long b)
{
	long ret = nr;

	__asm__ volatile("int $0x80" : "+a"(ret) : "b"(a), "c"(b) :
			 "r8", "r9", "r10", "r11", "memory", "cc");
	return ret;
}

static int report(const char *what, long ret)
{
	int e;

	if (ret >= 0 || ret < -4095) {
		puts("ok");
		return 0;
	}
	e = (int)-ret;
	fprintf(stderr, "%s: %s\n", what, e == EPERM ? "EPERM" :
		e == ENOSYS ? "ENOSYS" : strerrorname_np(e) ?: "?");
	return e == EPERM ? 126 : 1;
}

/* The raw result of syscall(2): -errno on failure, not -1. */
static long sys(long nr, long a, long b, long c)
{
	long r = syscall(nr, a, b, c);

	return r == -1 ? -errno : r;
}

int main(int argc, char **argv)
{
	unsigned long long v = argc > 2 ? strtoull(argv[2], NULL, 0) : 0;
	/* socketcall(SYS_SOCKET, args): args as 32-bit words. */
	static unsigned int sargs[3] = { AF_INET, SOCK_DGRAM, 0 };
	unsigned char params[120] = { 0 };	/* struct io_uring_params */
	const char *op = argc > 1 ? argv[1] : "";

	if (!strcmp(op, "unshare"))
		return report(op, sys(SYS_unshare, (long)v, 0, 0));
	if (!strcmp(op, "personality"))
		return report(op, sys(SYS_personality, (long)v, 0, 0));
	if (!strcmp(op, "getpid"))
		return report(op, sys(SYS_getpid, 0, 0, 0));
	if (!strcmp(op, "int80-unshare"))
		return report(op, int80(I386_UNSHARE, (long)v, 0));
	if (!strcmp(op, "socketcall"))
		/* A static binary's data lies below 4 GiB: a 32-bit pointer. */
		return report(op, int80(I386_SOCKETCALL, SYS_SOCKET_CALL,
					(long)(unsigned long)sargs));
	if (!strcmp(op, "socket"))
		return report(op, sys(SYS_socket, AF_INET, SOCK_DGRAM, 0));
	if (!strcmp(op, "io_uring"))
		return report(op, sys(SYS_io_uring_setup, 4, (long)params, 0));
	fprintf(stderr, "usage: try_sys unshare|personality|getpid|int80-unshare|socketcall|socket|io_uring [VALUE]\n");
	return 2;
}
