/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A profile file into the kernel, as kcsadm profile apply and kcsadm
 * restore do it: parsed, validated, FQDNs resolved, compiled, then sent,
 * and its ingress rules kept for kcsadm bind --netns.
 */
#ifndef KCS_PROFILE_FILE_H
#define KCS_PROFILE_FILE_H

#include "nl.h"
#include "profile.h"
#include "profile_build.h"

/* Load @file ("-": stdin) and compile it into @cp; @resolve: resolve its
 * FQDN rules first. 0 (free @spec and @cp), or -1 with @err. */
int kcs_profile_prepare(const char *file, int resolve,
			struct kcs_profile_spec *spec,
			struct kcs_compiled_profile *cp, struct kcs_err *err);

/* Create or replace @cp in the kernel and keep its ingress rules. */
int kcs_profile_push(struct kcs_nl *nl, const struct kcs_compiled_profile *cp,
		     struct kcs_err *err);

#endif /* KCS_PROFILE_FILE_H */
