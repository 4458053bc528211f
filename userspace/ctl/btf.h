/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The running kernel's BTF (/sys/kernel/btf/vmlinux): find a function by
 * name and spell its type the way C does, e.g. "int(struct socket *, int)".
 * kcsadm load compares the hooked functions' types with the module's; the
 * selftests find BPF attach points with it. No library: the format is a
 * plain array of records (include/uapi/linux/btf.h).
 */
#ifndef KCS_BTF_H
#define KCS_BTF_H

#include <stddef.h>
#include <stdint.h>

#define KCS_BTF_VMLINUX "/sys/kernel/btf/vmlinux"

struct kcs_btf {
	unsigned char *data;
	size_t size;
	const char *strs;	/* string section */
	uint32_t str_len;
	const struct btf_type **types;	/* by id; types[0] is void (NULL) */
	uint32_t ntypes;	/* ids 1..ntypes-1 */
};

/* Read and index @path. Returns 0, or -1 with errno (EINVAL: malformed). */
int kcs_btf_load(struct kcs_btf *b, const char *path);
void kcs_btf_free(struct kcs_btf *b);

/* The id of the BTF_KIND_FUNC named @name, or 0 when there is none. */
uint32_t kcs_btf_find_func(const struct kcs_btf *b, const char *name);

/*
 * Spell function @id's type into @buf: "RET(ARG, ARG)". Returns 0, or -1
 * when it does not fit or the records are malformed.
 */
int kcs_btf_func_type(const struct kcs_btf *b, uint32_t id, char *buf,
		      size_t len);

#endif /* KCS_BTF_H */
