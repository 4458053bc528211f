/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SHA-256 (FIPS 180-4), for content hashes of applied profiles: kcsadm
 * links no crypto library and needs no more than this.
 */
#ifndef KCS_SHA256_H
#define KCS_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct kcs_sha256 {
	uint32_t h[8];
	uint64_t len;			/* bytes so far */
	uint8_t buf[64];
	size_t nbuf;
};

void kcs_sha256_init(struct kcs_sha256 *s);
void kcs_sha256_update(struct kcs_sha256 *s, const void *data, size_t len);
void kcs_sha256_final(struct kcs_sha256 *s, uint8_t out[32]);

/* The digest of @len bytes at @data as 64 lowercase hex digits and a NUL. */
void kcs_sha256_hex(const void *data, size_t len, char out[65]);

#endif /* KCS_SHA256_H */
