// SPDX-License-Identifier: GPL-2.0
/*
 * Byte equivalence classes. Two bytes that belong to exactly the same NFA
 * sets can never lead to different states, so the DFA only needs one column
 * per class. Each set refines the partition once: O(256 * distinct sets).
 * Byte 0 is in no set, so its class is one that every state sends to dead.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "pipeline.h"

int alphabet_build(const struct nfa *nfa, struct alphabet *ab)
{
	uint8_t rep[256];		/* lowest byte of each class */
	uint16_t remap[2 * 256];
	unsigned int b, n = 1, k;
	size_t s, total = 0;

	memset(ab, 0, sizeof(*ab));
	for (s = 0; s < nfa->nsets; s++) {
		unsigned int nn = 0;

		memset(remap, 0xff, sizeof(remap));
		for (b = 0; b < 256; b++) {
			unsigned int key = ab->classmap[b] * 2u +
					   (unsigned int)bs_has(&nfa->sets[s], b);

			if (remap[key] == 0xffff)
				remap[key] = (uint16_t)nn++;
			ab->classmap[b] = (uint8_t)remap[key];
		}
		n = nn;
	}
	ab->nclasses = n;
	/* Classes are numbered by first byte, so rep[] fills in order. */
	for (b = 0, k = 0; b < 256; b++)
		if (ab->classmap[b] == k)
			rep[k++] = (uint8_t)b;

	ab->off = malloc((nfa->nsets + 1) * sizeof(*ab->off));
	if (!ab->off)
		return -1;
	for (s = 0; s < nfa->nsets; s++)
		for (k = 0; k < n; k++)
			total += (size_t)bs_has(&nfa->sets[s], rep[k]);
	ab->cls = malloc(total ? total : 1);
	if (!ab->cls) {
		alphabet_free(ab);
		return -1;
	}
	total = 0;
	for (s = 0; s < nfa->nsets; s++) {
		ab->off[s] = (uint32_t)total;
		for (k = 0; k < n; k++)
			if (bs_has(&nfa->sets[s], rep[k]))
				ab->cls[total++] = (uint8_t)k;
	}
	ab->off[nfa->nsets] = (uint32_t)total;
	return 0;
}

void alphabet_free(struct alphabet *ab)
{
	free(ab->off);
	free(ab->cls);
	ab->off = NULL;
	ab->cls = NULL;
}
