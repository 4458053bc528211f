/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The profiles of one binding, as the kernel keeps them (KCS_CMD_BIND with
 * KCS_A_BIND_MORE) and as the hook, sync and the listings report them.
 */
#ifndef KCS_BOUND_PROFILES_H
#define KCS_BOUND_PROFILES_H

#include <stddef.h>
#include <stdint.h>
#include <linux/kcs.h>

/*
 * Up to KCS_BIND_PROFILES_MAX profiles, each in its mode; every one of
 * them decides. The first one's mode is the one the blocked capabilities
 * follow (kcsadm puts the strictest first).
 */
struct kcs_profiles {
	unsigned int n;
	char name[KCS_BIND_PROFILES_MAX][KCS_NAME_MAX];
	uint32_t mode[KCS_BIND_PROFILES_MAX];	/* enum kcs_mode */
};

/* Room for kcs_profiles_text(): each name, " (enforce)" and ", ". */
#define KCS_PROFILES_TEXT_MAX	(KCS_BIND_PROFILES_MAX * (KCS_NAME_MAX + 12))

/* "a (enforce), b (audit)" into @buf; returns @buf. */
char *kcs_profiles_text(const struct kcs_profiles *p, char *buf, size_t len);

#endif /* KCS_BOUND_PROFILES_H */
