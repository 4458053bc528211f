// SPDX-License-Identifier: GPL-2.0
/*
 * Name buffers for the checks that may sleep (exec, mappings, files, the
 * program's name): room for one name (PATH_MAX and a little more, for the
 * exec check's applet scanner) or three.
 *
 * Not kmalloc(): Debian's kernels zero every kmalloc'ed object
 * (CONFIG_INIT_ON_ALLOC_DEFAULT_ON), and zeroing 4 to 12 KiB on every
 * exec of a bound task was half of what kcs added to it (make bench:
 * about 8,800 of 17,000 instructions, docs/bench/README.md). Objects of a
 * cache with a constructor are not zeroed on allocation. Nothing depends
 * on the zeroes: every user writes a NUL-terminated name (d_path() and
 * dentry_path_raw() from the end of the buffer) before reading it, and no
 * buffer is copied out whole, only the names in it.
 */
#include <linux/limits.h>
#include <linux/slab.h>
#include "kcs.h"

#define KCS_PATHBUF_ONE		(PATH_MAX + 512)
#define KCS_PATHBUF_THREE	(3 * PATH_MAX)

static struct kmem_cache *kcs_pathbuf_one, *kcs_pathbuf_three;

/* Nothing to set up: its presence is what spares the zeroing. */
static void kcs_pathbuf_ctor(void *obj)
{
}

static struct kmem_cache *kcs_pathbuf_cache(size_t size)
{
	if (size <= KCS_PATHBUF_ONE)
		return kcs_pathbuf_one;
	if (!WARN_ON_ONCE(size > KCS_PATHBUF_THREE))
		return kcs_pathbuf_three;
	return NULL;
}

/**
 * kcs_pathbuf_alloc() - a buffer of at least @size bytes, not zeroed
 * @size: at most 3 * PATH_MAX
 * @gfp: allocation flags (the callers may sleep: GFP_KERNEL)
 *
 * Return: the buffer, or NULL (no memory, or @size too large).
 */
void *kcs_pathbuf_alloc(size_t size, gfp_t gfp)
{
	struct kmem_cache *c = kcs_pathbuf_cache(size);

	return c ? kmem_cache_alloc(c, gfp) : NULL;
}

/* Free what kcs_pathbuf_alloc(@size) returned; NULL is nothing. */
void kcs_pathbuf_free(void *buf, size_t size)
{
	if (buf)
		kmem_cache_free(kcs_pathbuf_cache(size), buf);
}

int kcs_pathbuf_init(void)
{
	kcs_pathbuf_one = kmem_cache_create("kcs_name", KCS_PATHBUF_ONE, 0, 0,
					    kcs_pathbuf_ctor);
	kcs_pathbuf_three = kmem_cache_create("kcs_names3", KCS_PATHBUF_THREE,
					      0, 0, kcs_pathbuf_ctor);
	if (kcs_pathbuf_one && kcs_pathbuf_three)
		return 0;
	kcs_pathbuf_exit();
	return -ENOMEM;
}

void kcs_pathbuf_exit(void)
{
	kmem_cache_destroy(kcs_pathbuf_one);
	kmem_cache_destroy(kcs_pathbuf_three);
	kcs_pathbuf_one = NULL;
	kcs_pathbuf_three = NULL;
}
