/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The exact-match cache of one worker: full flow key -> megaflow, in front
 * of the megaflow cache. Owned and used by one worker only.
 *
 * It must not collapse when active flows far outnumber its entries: it
 * measures its own hit rate over windows of lookups and adapts. With a good
 * hit rate every miss is inserted; when insertions only evict each other
 * (thrashing) it inserts one miss in N; when even that does not help it
 * stops looking up for a while (bypass) so that no cycles are wasted, and
 * probes again later. An operator may pin the insertion rate instead.
 */
#ifndef NFV_EMC_H
#define NFV_EMC_H

#include <stdbool.h>
#include <stdint.h>

#include "flow_key.h"

struct nfv_megaflow;

enum nfv_emc_mode {
	NFV_EMC_ALWAYS,         /* insert every miss */
	NFV_EMC_SAMPLED,        /* insert one miss in 'insert_inv_prob' */
	NFV_EMC_BYPASS,         /* no lookups, no inserts (probing later) */
};

struct nfv_emc_stats {
	uint64_t lookups;
	uint64_t hits;
	uint64_t inserts;
	enum nfv_emc_mode mode;
	uint32_t insert_inv_prob;       /* 1 = always */
	uint32_t n_entries;
};

struct nfv_emc;

/* Creates an EMC of 'n_entries' (rounded up to a power of two, >= 16).
 * 'insert_inv_prob' 0 means adaptive; N > 0 pins "insert one miss in N".
 * Returns 0 or -ENOMEM. */
int nfv_emc_create(unsigned int n_entries, unsigned int insert_inv_prob,
		   struct nfv_emc **out);
void nfv_emc_destroy(struct nfv_emc *e);

/* Hash of a whole key (the EMC's and anyone's who needs one). */
uint32_t nfv_key_hash(const struct nfv_flow_key *key);

/* Returns the megaflow cached for 'key' (hash 'hash') if it is still live,
 * not dead and the same generation, else NULL. Counts the lookup. In bypass
 * mode returns NULL without looking. */
struct nfv_megaflow *nfv_emc_lookup(struct nfv_emc *e,
				    const struct nfv_flow_key *key,
				    uint32_t hash);

/* Starts loading what a lookup of 'hash' will read (call it for a whole
 * burst before the lookups). */
void nfv_emc_prefetch(const struct nfv_emc *e, uint32_t hash);

/* Offers 'mf' for 'key' after a miss; the EMC decides whether to insert. */
void nfv_emc_insert(struct nfv_emc *e, const struct nfv_flow_key *key,
		    uint32_t hash, struct nfv_megaflow *mf);

/* Removes every entry. */
void nfv_emc_flush(struct nfv_emc *e);

/* Reads the counters and the current decision. */
void nfv_emc_get_stats(const struct nfv_emc *e, struct nfv_emc_stats *st);

/* Name of 'mode' ("always", "sampled", "bypass"). */
const char *nfv_emc_mode_name(enum nfv_emc_mode mode);

#endif /* NFV_EMC_H */
