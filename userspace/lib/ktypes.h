/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's fixed-width type names, for the kernel files (kmod/dfa.c)
 * that userspace builds and tests as they are.
 */
#ifndef KCS_KTYPES_H
#define KCS_KTYPES_H

#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;

#endif /* KCS_KTYPES_H */
