/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The benchmarks' pattern mix (bench_compile.c, bench_match.c): mostly
 * literal paths, some directory masks, some regexes, drawn from a fixed
 * xorshift sequence so that every run compiles the same profile.
 */
#ifndef KCS_BENCH_PATTERNS_H
#define KCS_BENCH_PATTERNS_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "compile.h"

#define BENCH_TEXT_LEN 96
#define BENCH_SEED 0x62656e6368ULL

static uint64_t bench_rng = BENCH_SEED;

static inline uint32_t bench_rnd(uint32_t n)
{
	bench_rng ^= bench_rng << 13;
	bench_rng ^= bench_rng >> 7;
	bench_rng ^= bench_rng << 17;
	return (uint32_t)((bench_rng >> 11) % n);
}

/* Pattern @i of the mix: 85% literals, 10% masks of one directory, 5% regexes. */
static inline void bench_pattern(size_t i, struct kcs_pattern *p, char *buf)
{
	static const char *const dirs[] = {
		"/usr/lib", "/usr/local/lib", "/opt", "/srv/apps", "/var/lib",
	};
	static const char *const tools[] = {
		"tool", "run", "daemon", "helper", "cli", "sh",
	};
	uint32_t r = bench_rnd(100), d = bench_rnd(5), t = bench_rnd(6);
	uint32_t id = bench_rnd(100000);

	p->kind = KCS_PATTERN_MASK;
	if (r < 85) {
		snprintf(buf, BENCH_TEXT_LEN, "%s/app%u/bin/%s%u", dirs[d], id,
			 tools[t], (unsigned int)i % 97);
	} else if (r < 95) {
		snprintf(buf, BENCH_TEXT_LEN, "%s/pkg%u/*", dirs[d], id);
	} else {
		p->kind = KCS_PATTERN_REGEX;
		switch (r % 3) {
		case 0:
			snprintf(buf, BENCH_TEXT_LEN,
				 "/opt/[a-z]+/bin/run%u[0-9]{1,3}", id);
			break;
		case 1:
			snprintf(buf, BENCH_TEXT_LEN,
				 "%s/svc%u/(bin|sbin)/[a-z_]+", dirs[d], id);
			break;
		default:
			snprintf(buf, BENCH_TEXT_LEN,
				 "/usr/lib/app%u/.*\\.so(\\.[0-9]+)*", id);
		}
	}
	p->text = buf;
}

static inline double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif /* KCS_BENCH_PATTERNS_H */
