// SPDX-License-Identifier: GPL-2.0
/*
 * Counters. Per-cpu, so counting a decision never bounces a cache line
 * between cores; the status command sums them.
 */
#include <linux/percpu.h>
#include <linux/cpumask.h>
#include "kcs.h"

struct kcs_stats {
	u64 v[__KCS_STAT_MAX];
};

static DEFINE_PER_CPU(struct kcs_stats, kcs_stats);

void kcs_stat_inc(enum kcs_stat stat)
{
	this_cpu_inc(kcs_stats.v[stat]);
}

void kcs_stat_add(enum kcs_stat stat, unsigned int n)
{
	this_cpu_add(kcs_stats.v[stat], n);
}

u64 kcs_stat_read(enum kcs_stat stat)
{
	u64 sum = 0;
	int cpu;

	if (stat == KCS_STAT_HOOK_INFLIGHT)
		return kcs_hooks_inflight();
	for_each_possible_cpu(cpu)
		sum += per_cpu(kcs_stats, cpu).v[stat];
	return sum;
}
