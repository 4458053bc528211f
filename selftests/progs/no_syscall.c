// SPDX-License-Identifier: GPL-2.0
/*
 * no_syscall: run a command with one system call failing with EPERM
 * before the kernel looks at it (seccomp), so the LSM hooks behind that
 * call never run: how a test makes a hook "not fire".
 *
 *   no_syscall NAME CMD [ARG]...     NAME: connect, sendto, bind, listen,
 *                                    mmap, mprotect, or "native": none
 *
 * Any call of another ABI than x86-64's (int 0x80) kills the process, as
 * systemd's SystemCallArchitectures=native does.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

static const struct { const char *name; int nr; } calls[] = {
	{ "connect", SYS_connect }, { "sendto", SYS_sendto },
	{ "bind", SYS_bind }, { "listen", SYS_listen },
	{ "mmap", SYS_mmap }, { "mprotect", SYS_mprotect },
	{ "native", 0x7fffffff },	/* no such call: the ABI check only */
};

int main(int argc, char **argv)
{
	int nr = -1;
	size_t i;

	for (i = 0; argc > 2 && i < sizeof(calls) / sizeof(calls[0]); i++)
		if (!strcmp(argv[1], calls[i].name))
			nr = calls[i].nr;
	if (nr < 0) {
		fprintf(stderr, "usage: no_syscall connect|sendto|bind|listen|mmap|mprotect|native CMD [ARG]...\n");
		return 2;
	}
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(filter) / sizeof(filter[0]),
				   .filter = filter };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) {
		perror("seccomp");
		return 1;
	}
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
