/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the netlink-message fuzz targets (fuzz_nflog.c, fuzz_dns.c) share:
 * the input framed as one message a socket would deliver, and the check
 * that parsed pointers stay inside it.
 */
#ifndef KCS_FUZZ_NL_H
#define KCS_FUZZ_NL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>

/* Do @n bytes at @p lie inside @buf (@size bytes)? */
static inline int inside(const void *p, size_t n, const uint8_t *buf,
			 size_t size)
{
	const uint8_t *q = p;

	return q >= buf && n <= size && (size_t)(q - buf) <= size - n;
}

/*
 * The input as a netlink message: a copy padded to NLMSG_ALIGNTO (as the
 * kernel pads every message), its length field set to the input's size
 * (as mnl_nlmsg_ok() guarantees on a real socket) and its type to @type
 * unless byte 4 is odd. NULL when too short or out of memory; *@alloc is
 * the padded size (libmnl bounds the last attribute by it, as the
 * socket's buffer bounds it in kcsadm).
 */
static inline uint8_t *fuzz_nl_frame(const uint8_t *data, size_t size,
				     uint16_t type, size_t *alloc)
{
	struct nlmsghdr *nlh;
	uint8_t *buf;

	if (size < sizeof(*nlh) || size > UINT32_MAX)
		return NULL;
	*alloc = NLMSG_ALIGN(size);
	buf = calloc(1, *alloc);
	if (!buf)
		return NULL;
	memcpy(buf, data, size);
	nlh = (struct nlmsghdr *)buf;
	nlh->nlmsg_len = (uint32_t)size;
	if (!(data[4] & 1))
		nlh->nlmsg_type = type;
	return buf;
}

#endif /* KCS_FUZZ_NL_H */
