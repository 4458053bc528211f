// SPDX-License-Identifier: GPL-2.0
/*
 * The hook probe (see probe.h): a child exercises each hook the module
 * has, once, while the module watches that child.
 *
 * Every operation is harmless: loopback only (the discard port, an
 * ephemeral bind, a listen on an unbound socket), a mapping of our own
 * executable, a setuid() to the uid it has, file operations inside a
 * private directory of its own under /tmp (create, truncate, link, rename,
 * symlink, mkdir, then every name removed; /run, /dev/shm or /var/tmp
 * where /tmp is read-only), an exec of ourselves that
 * prints the version. The child is
 * held on a pipe until the module watches it, so nothing is missed.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/sctp.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "btf.h"
#include "names.h"
#include "ops.h"
#include "probe.h"

#define SCTP_KIND	__KCS_HOOK_MAX	/* registration-only kind, see uapi */

const char *kcs_probe_kind_name(uint32_t kind)
{
	return kind == SCTP_KIND ? "sctp" : kcs_hook_name(kind);
}

/* SCTP only when its module is in: the probe loads nothing for anybody. */
static int sctp_present(void)
{
	char line[256];
	FILE *f = fopen("/proc/net/protocols", "re");
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, "SCTP ", 5);
	fclose(f);
	return found;
}

static void loopback(struct sockaddr_in *sin, int port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

/*
 * Each file entry point once (KCS_HOOK_FILE), in a directory nobody else
 * knows. A failure only leaves the kind unproven, which the module reports.
 */
static void exercise_files(void)
{
	/* Where a node lets root make a directory: the first that works. */
	static const char *const bases[] = { "/tmp", "/run", "/dev/shm",
					     "/var/tmp" };
	char dir[64], a[80], b[80], c[80];
	size_t i;
	int fd;

	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		snprintf(dir, sizeof(dir), "%s/kcs-probe.XXXXXX", bases[i]);
		if (mkdtemp(dir))
			break;
	}
	if (i == sizeof(bases) / sizeof(bases[0]))
		return;
	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/b", dir);
	snprintf(c, sizeof(c), "%s/c", dir);
	fd = open(a, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);	/* mknod, open */
	if (fd >= 0)
		close(fd);
	(void)!truncate(a, 0);
	(void)!link(a, b);
	(void)!rename(b, c);
	(void)!unlink(c);
	(void)!symlink("a", b);
	(void)!unlink(b);
	(void)!mkdir(c, 0700);
	(void)!rmdir(c);
	(void)!unlink(a);
	(void)!rmdir(dir);
}

/*
 * getpgid(0) through the 32-bit system call table (int 0x80 works from
 * 64-bit code): what an attacker would use to walk around a 64-bit entry
 * point. A call with an argument, so that its two entry points are two
 * functions (a call without any has one body under both names). The
 * kernel zeroes r8-r11 on that path; the rest it keeps, but say so.
 */
static long ia32_getpgid(void)
{
#ifdef __x86_64__
	long ret = 132;	/* __NR_getpgid of the i386 table */

	__asm__ volatile("int $0x80" : "+a"(ret) : "b"(0L) :
			 "r8", "r9", "r10", "r11", "memory", "cc");
	return ret;
#else
	return -1;
#endif
}

static sigjmp_buf ia32_jmp;

static void ia32_fault(int sig)
{
	(void)sig;
	siglongjmp(ia32_jmp, 1);
}

/*
 * The system call entries (KCS_HOOK_SYSCALL): getpgid through both tables,
 * the 32-bit one only when ia32_calls_work() found it usable here: where
 * 32-bit calls are disabled (ia32_emulation=0) int 0x80 faults, and a
 * seccomp filter allowing the native ABI only (systemd's
 * SystemCallArchitectures=native) kills the process.
 */
static void exercise_syscalls(int ia32)
{
	struct sigaction sa = { .sa_handler = ia32_fault }, old_segv, old_ill;

	(void)syscall(SYS_getpgid, 0);
	if (!ia32)
		return;
	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGILL, &sa, &old_ill);
	if (!sigsetjmp(ia32_jmp, 1))
		(void)ia32_getpgid();
	sigaction(SIGSEGV, &old_segv, NULL);
	sigaction(SIGILL, &old_ill, NULL);
}

/* Whether 32-bit system calls work here: asked in a child of its own. */
static int ia32_calls_work(void)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return 1;	/* cannot tell: expect the hook, fail closed */
	if (!pid)
		_exit(ia32_getpgid() == getpgid(0) ? 0 : 1);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* The child: each operation once; failures are the module's to report. */
static void __attribute__((noreturn)) exercise(int go, int sctp, int ia32)
{
	static char *const argv[] = { "kcsadm", "--version", NULL };
	struct sockaddr_in sin;
	char c;
	void *p;
	int fd;

	if (read(go, &c, 1) != 1)
		_exit(1);
	loopback(&sin, 9);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		(void)!connect(fd, (struct sockaddr *)&sin, sizeof(sin));
		close(fd);
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		(void)!sendto(fd, "", 0, MSG_DONTWAIT, (struct sockaddr *)&sin,
			      sizeof(sin));
		loopback(&sin, 0);
		(void)!bind(fd, (struct sockaddr *)&sin, sizeof(sin));
		close(fd);
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		(void)!listen(fd, 1);
		close(fd);
	}
	if (sctp) {
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_SCTP);
		if (fd >= 0) {
			loopback(&sin, 0);
			(void)!setsockopt(fd, IPPROTO_SCTP, SCTP_SOCKOPT_BINDX_ADD,
					  &sin, sizeof(sin));
			close(fd);
		}
	}
	fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
		if (p != MAP_FAILED) {
			(void)!mprotect(p, 4096, PROT_READ);
			munmap(p, 4096);
		}
		close(fd);
	}
	exercise_files();
	exercise_syscalls(ia32);
	/* A capability check: setuid() asks for CAP_SETUID whatever the uid. */
	(void)!setuid(geteuid());
	fd = open("/dev/null", O_WRONLY);
	if (fd >= 0)
		dup2(fd, STDOUT_FILENO);
	execv("/proc/self/exe", argv);
	_exit(1);
}

static int probe_start(struct kcs_nl *nl, pid_t pid, struct kcs_err *err)
{
	struct nl_msg *msg = kcs_nl_msg(nl, KCS_CMD_PROBE, 0,
					nla_total_size(sizeof(uint32_t)), err);

	if (!msg)
		return -1;
	if (nla_put_u32(msg, KCS_A_PROBE_PID, (uint32_t)pid) < 0) {
		nlmsg_free(msg);
		return kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
	}
	return kcs_nl_call(nl, msg, NULL, NULL, "start the hook probe", err);
}

static int copy_str(char *dst, size_t len, struct nlattr *a)
{
	if (!a)
		return -1;
	snprintf(dst, len, "%s", (const char *)nla_data(a));
	return 0;
}

static struct nla_policy hook_policy[KCS_A_MAX + 1] = {
	[KCS_A_EV_HOOK]		= { .type = NLA_U32 },
	[KCS_A_PROBE_TARGET]	= { .type = NLA_STRING, .maxlen = 128 },
	[KCS_A_PROBE_SIGNATURE]	= { .type = NLA_STRING, .maxlen = 256 },
	[KCS_A_PROBE_FIRED]	= { .type = NLA_U32 },
};

static int probe_reply(struct nlattr **tb, void *arg, struct kcs_err *err)
{
	struct kcs_probe_result *r = arg;
	struct nlattr *a, *h[KCS_A_MAX + 1];
	int rem;

	if (kcs_need(tb, KCS_A_HOOKS_PROVEN, "KCS_A_HOOKS_PROVEN", err) ||
	    kcs_need(tb, KCS_A_PROBE_HOOKS, "KCS_A_PROBE_HOOKS", err))
		return -1;
	r->proven = nla_get_u32(tb[KCS_A_HOOKS_PROVEN]);
	nla_for_each_nested(a, tb[KCS_A_PROBE_HOOKS], rem) {
		struct kcs_probe_hook *hk = &r->hooks[r->n];

		if (r->n == KCS_PROBE_MAX_HOOKS)
			break;
		if (nla_parse_nested(h, KCS_A_MAX, a, hook_policy) < 0 ||
		    !h[KCS_A_EV_HOOK] || !h[KCS_A_PROBE_FIRED] ||
		    copy_str(hk->target, sizeof(hk->target), h[KCS_A_PROBE_TARGET]) ||
		    copy_str(hk->sig, sizeof(hk->sig), h[KCS_A_PROBE_SIGNATURE]))
			return kcs_err_set(err, KCS_EXIT_FAILED,
					   "malformed reply from the kcs module: a probed hook without its fields");
		hk->kind = nla_get_u32(h[KCS_A_EV_HOOK]);
		hk->fired = !!nla_get_u32(h[KCS_A_PROBE_FIRED]);
		r->n++;
	}
	return 0;
}

static int probe_end(struct kcs_nl *nl, struct kcs_probe_result *r,
		     struct kcs_err *err)
{
	struct nl_msg *msg = kcs_nl_msg(nl, KCS_CMD_PROBE, 0, 0, err);

	if (!msg)
		return -1;
	return kcs_nl_call(nl, msg, probe_reply, r, "end the hook probe", err);
}

/* Compare each hook's type with the kernel's BTF, when it has one. */
static void check_btf(struct kcs_probe_result *r)
{
	struct kcs_btf btf;
	unsigned int i;

	if (kcs_btf_load(&btf, KCS_BTF_VMLINUX))
		return;		/* no BTF: the build-time check is all */
	r->btf_checked = 1;
	for (i = 0; i < r->n; i++) {
		struct kcs_probe_hook *hk = &r->hooks[i];
		uint32_t id;

		/*
		 * Syscall entry wrappers are not in BTF; their type is the
		 * x86-64 wrapper ABI, long(const struct pt_regs *), since 4.17.
		 */
		if (hk->kind == KCS_HOOK_SYSCALL)
			continue;
		id = kcs_btf_find_func(&btf, hk->target);

		if (!id)
			hk->problem = hk->problem ?: "not in the kernel's BTF";
		else if (kcs_btf_func_type(&btf, id, hk->btf_sig, sizeof(hk->btf_sig)))
			hk->problem = hk->problem ?: "its BTF type cannot be read";
		else if (strcmp(hk->btf_sig, hk->sig))
			hk->problem = hk->problem ?: "its type differs from the one kcs.ko was built for";
	}
	kcs_btf_free(&btf);
}

static int run_child(struct kcs_nl *nl, int sctp, int ia32, struct kcs_err *err)
{
	int go[2], status, ret;
	pid_t pid;

	if (pipe2(go, O_CLOEXEC))
		return kcs_err_set(err, KCS_EXIT_FAILED, "pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(go[0]);
		close(go[1]);
		return kcs_err_set(err, KCS_EXIT_FAILED, "fork: %s", strerror(errno));
	}
	if (!pid) {
		close(go[1]);
		exercise(go[0], sctp, ia32);
	}
	close(go[0]);
	ret = probe_start(nl, pid, err);
	/* Started or not, the child must end: a closed pipe ends it early. */
	if (!ret && write(go[1], "g", 1) != 1)
		ret = kcs_err_set(err, KCS_EXIT_FAILED, "cannot start the probe's child");
	close(go[1]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return ret;
}

int kcs_probe_run(struct kcs_nl *nl, struct kcs_probe_result *r,
		  struct kcs_err *err)
{
	int sctp = sctp_present(), ia32 = ia32_calls_work();
	unsigned int i;

	memset(r, 0, sizeof(*r));
	if (run_child(nl, sctp, ia32, err)) {
		/* Stop a probe that may have started; its outcome is moot. */
		struct kcs_err ignored;

		probe_end(nl, r, &ignored);
		memset(r, 0, sizeof(*r));
		return -1;
	}
	if (probe_end(nl, r, err))
		return -1;
	for (i = 0; i < r->n; i++) {
		struct kcs_probe_hook *hk = &r->hooks[i];

		hk->required = hk->kind != SCTP_KIND || sctp;
		if (hk->kind == KCS_HOOK_SYSCALL &&
		    !strncmp(hk->target, "__ia32_", 7))
			hk->required = ia32;
		if (hk->required && !hk->fired)
			hk->problem = "did not fire for a real operation";
	}
	check_btf(r);
	for (i = 0; i < r->n; i++) {
		const struct kcs_probe_hook *hk = &r->hooks[i];
		char types[600] = "";

		if (!hk->problem)
			continue;
		if (hk->btf_sig[0] && strcmp(hk->btf_sig, hk->sig))
			snprintf(types, sizeof(types), " (kernel: %s; kcs.ko: %s)",
				 hk->btf_sig, hk->sig);
		return kcs_err_set(err, KCS_EXIT_FAILED,
				   "kcs.ko cannot enforce on this kernel: the %s hook on %s %s%s; refused rather than left with a hole",
				   kcs_probe_kind_name(hk->kind), hk->target,
				   hk->problem, types);
	}
	return 0;
}
