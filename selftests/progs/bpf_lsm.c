// SPDX-License-Identifier: GPL-2.0
/*
 * A BPF-LSM program on an LSM stub, as Tetragon or KubeArmor attach one,
 * to test kcs beside it (both hook the same function).
 *
 *   bpf_lsm STUB DENY_CGROUP COUNT_CGROUP
 *
 * Attaches to STUB (e.g. bpf_lsm_bprm_check_security) a program that
 * returns -EPERM for tasks of cgroup DENY_CGROUP and counts its calls from
 * tasks of COUNT_CGROUP (cgroup v2 directories). Prints "attached" once
 * it is in place; on SIGUSR1 prints "count N" (calls counted so far), on
 * SIGTERM too, and exits (which detaches).
 * Written as raw instructions: no compiler for BPF is needed.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include "btf.h"

#define INSN(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
			    .off = (o), .imm = (i) })
#define CALL(f)		INSN(BPF_JMP | BPF_CALL, 0, 0, 0, f)
#define MOV_REG(d, s)	INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define MOV_IMM(d, i)	INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define ADD_IMM(d, i)	INSN(BPF_ALU64 | BPF_ADD | BPF_K, d, 0, 0, i)
#define ST_W(d, o, i)	INSN(BPF_ST | BPF_MEM | BPF_W, d, 0, o, i)
#define LDX_DW(d, s, o)	INSN(BPF_LDX | BPF_MEM | BPF_DW, d, s, o, 0)
#define JEQ_IMM(d, i, o) INSN(BPF_JMP | BPF_JEQ | BPF_K, d, 0, o, i)
#define JNE_REG(d, s, o) INSN(BPF_JMP | BPF_JNE | BPF_X, d, s, o, 0)
#define XADD_DW(d, s, o) INSN(BPF_STX | BPF_ATOMIC | BPF_DW, d, s, o, BPF_ADD)
#define MAP_FD(d, fd)	INSN(BPF_LD | BPF_IMM | BPF_DW, d, BPF_PSEUDO_MAP_FD, 0, fd), \
			INSN(0, 0, 0, 0, 0)
#define EXIT()		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

enum { SLOT_DENY, SLOT_COUNT, SLOT_CALLS, NSLOTS };

static volatile sig_atomic_t stop, report;

static void on_signal(int sig)
{
	if (sig == SIGTERM)
		stop = 1;
	report = 1;
}

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static int map_set(int map, __u32 key, __u64 val)
{
	union bpf_attr a = { .map_fd = map, .key = (__u64)(unsigned long)&key,
			     .value = (__u64)(unsigned long)&val };

	return sys_bpf(BPF_MAP_UPDATE_ELEM, &a);
}

static __u64 map_get(int map, __u32 key)
{
	union bpf_attr a = { .map_fd = map, .key = (__u64)(unsigned long)&key };
	__u64 val = 0;

	a.value = (__u64)(unsigned long)&val;
	sys_bpf(BPF_MAP_LOOKUP_ELEM, &a);
	return val;
}

static __u64 cgroup_id(const char *dir)
{
	struct stat st;

	if (stat(dir, &st)) {
		perror(dir);
		exit(2);
	}
	return st.st_ino;
}

int main(int argc, char **argv)
{
	static char log[65536];
	sigset_t mask, old;
	struct kcs_btf btf;
	union bpf_attr a;
	__u32 btf_id;
	int map, prog, link;

	if (argc != 4) {
		fprintf(stderr, "usage: %s STUB DENY_CGROUP COUNT_CGROUP\n", argv[0]);
		return 2;
	}
	if (kcs_btf_load(&btf, KCS_BTF_VMLINUX)) {
		perror(KCS_BTF_VMLINUX);
		return 1;
	}
	btf_id = kcs_btf_find_func(&btf, argv[1]);
	kcs_btf_free(&btf);
	if (!btf_id) {
		fprintf(stderr, "%s: not in the kernel's BTF\n", argv[1]);
		return 1;
	}

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = sizeof(__u32);
	a.value_size = sizeof(__u64);
	a.max_entries = NSLOTS;
	map = sys_bpf(BPF_MAP_CREATE, &a);
	if (map < 0 || map_set(map, SLOT_DENY, cgroup_id(argv[2])) ||
	    map_set(map, SLOT_COUNT, cgroup_id(argv[3]))) {
		perror("bpf map");
		return 1;
	}

	struct bpf_insn insns[] = {
		/* 0 */ CALL(BPF_FUNC_get_current_cgroup_id),
		/* 1 */ MOV_REG(BPF_REG_6, BPF_REG_0),
		/* count: if map[COUNT] == cgroup, map[CALLS] += 1 */
		/* 2 */ ST_W(BPF_REG_10, -4, SLOT_COUNT),
		/* 3 */ MOV_REG(BPF_REG_2, BPF_REG_10),
		/* 4 */ ADD_IMM(BPF_REG_2, -4),
		/* 5 */ MAP_FD(BPF_REG_1, map),
		/* 7 */ CALL(BPF_FUNC_map_lookup_elem),
		/* 8 */ JEQ_IMM(BPF_REG_0, 0, 11),		/* -> 20 */
		/* 9 */ LDX_DW(BPF_REG_1, BPF_REG_0, 0),
		/* 10 */ JNE_REG(BPF_REG_1, BPF_REG_6, 9),	/* -> 20 */
		/* 11 */ ST_W(BPF_REG_10, -4, SLOT_CALLS),
		/* 12 */ MOV_REG(BPF_REG_2, BPF_REG_10),
		/* 13 */ ADD_IMM(BPF_REG_2, -4),
		/* 14 */ MAP_FD(BPF_REG_1, map),
		/* 16 */ CALL(BPF_FUNC_map_lookup_elem),
		/* 17 */ JEQ_IMM(BPF_REG_0, 0, 2),		/* -> 20 */
		/* 18 */ MOV_IMM(BPF_REG_1, 1),
		/* 19 */ XADD_DW(BPF_REG_0, BPF_REG_1, 0),
		/* deny: if map[DENY] == cgroup, return -EPERM */
		/* 20 */ ST_W(BPF_REG_10, -4, SLOT_DENY),
		/* 21 */ MOV_REG(BPF_REG_2, BPF_REG_10),
		/* 22 */ ADD_IMM(BPF_REG_2, -4),
		/* 23 */ MAP_FD(BPF_REG_1, map),
		/* 25 */ CALL(BPF_FUNC_map_lookup_elem),
		/* 26 */ JEQ_IMM(BPF_REG_0, 0, 4),		/* -> 31 */
		/* 27 */ LDX_DW(BPF_REG_1, BPF_REG_0, 0),
		/* 28 */ JNE_REG(BPF_REG_1, BPF_REG_6, 2),	/* -> 31 */
		/* 29 */ MOV_IMM(BPF_REG_0, -EPERM),
		/* 30 */ EXIT(),
		/* 31 */ MOV_IMM(BPF_REG_0, 0),
		/* 32 */ EXIT(),
	};

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_LSM;
	a.expected_attach_type = BPF_LSM_MAC;
	a.attach_btf_id = btf_id;
	a.insns = (__u64)(unsigned long)insns;
	a.insn_cnt = sizeof(insns) / sizeof(insns[0]);
	a.license = (__u64)(unsigned long)"GPL";
	a.log_buf = (__u64)(unsigned long)log;
	a.log_size = sizeof(log);
	a.log_level = 1;
	prog = sys_bpf(BPF_PROG_LOAD, &a);
	if (prog < 0) {
		fprintf(stderr, "BPF_PROG_LOAD: %s\n%s\n", strerror(errno), log);
		return 1;
	}
	memset(&a, 0, sizeof(a));
	a.raw_tracepoint.prog_fd = prog;
	link = sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &a);
	if (link < 0) {
		fprintf(stderr, "attach to %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	/* Blocked but while waiting: no signal slips between test and wait. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGUSR1);
	sigprocmask(SIG_BLOCK, &mask, &old);
	signal(SIGTERM, on_signal);
	signal(SIGUSR1, on_signal);
	printf("attached\n");
	fflush(stdout);
	for (;;) {
		if (report) {
			report = 0;
			printf("count %llu\n",
			       (unsigned long long)map_get(map, SLOT_CALLS));
			fflush(stdout);
		}
		if (stop)
			return 0;
		sigsuspend(&old);
	}
}
