/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The megaflow cache of one worker: wildcard entries (key under mask ->
 * translated actions) looked up by tuple-space search over the distinct
 * megaflow masks. One entry serves every packet that takes the same path
 * through the tables, because its mask is exactly what that walk consulted.
 *
 * Threads: the owning worker is the only writer (insert, remove, evict,
 * sweep). The control thread reads entries to dump them and to invalidate
 * them, through nfv_mfc_foreach(), which copies each live entry under its
 * sequence lock, and it kills entries by setting 'dead' (a relaxed atomic
 * byte store). The worker treats a dead entry as a miss and frees its slot
 * later. Entries live in a fixed slot array allocated at create time: a
 * slot's memory is never freed while the cache exists, so a concurrent
 * reader can never touch freed memory; 'gen' tells reuse apart.
 */
#ifndef NFV_MFC_H
#define NFV_MFC_H

#include <stdbool.h>
#include <stdint.h>

#include "flow_key.h"
#include "xlate.h"

struct nfv_rule_stats;

#define NFV_MFC_DEFAULT_ENTRIES 8192

struct nfv_megaflow {
	/* Worker-written; read by the control thread under 'seq'. Laid out
	 * for a hit: the first line holds what every packet reads, the
	 * actions follow, the match and the cold invalidation data last. */
	uint32_t seq;           /* odd while the worker writes the slot */
	uint32_t gen;           /* incremented at every reuse of the slot */
	bool live;              /* in the cache (not free) */
	uint8_t dead;           /* set by the control thread: do not use */
	bool miss;              /* ends in a table miss (drop reason) */
	uint8_t n_actions;
	uint8_t n_pktin;
	uint8_t n_rules;
	uint32_t hash;          /* of match.key, for its mask's subtable */
	/* Counters, written by the worker on hits. */
	uint64_t n_packets;
	uint64_t n_bytes;
	uint64_t used_ms;       /* last hit (or creation) */
	uint64_t created_ms;
	/* What the worker executes and credits on a hit. */
	struct nfv_action actions[NFV_XLATE_MAX_ACTIONS];
	struct nfv_pktin_info pktin[NFV_XLATE_MAX_PKTIN];
	/* The owning worker's counter slot of each rule, filled by the
	 * worker after insertion: a hit credits them without loading the
	 * rules. */
	struct nfv_rule_stats *rule_stats[NFV_XLATE_MAX_RULES];
	const struct nfv_rule *rules[NFV_XLATE_MAX_RULES];
	struct nfv_match match;
	/* Cold: what invalidation tests (see xlate.h). */
	bool any_change_invalidates;
	unsigned int n_versions;
	struct nfv_xlate_version versions[NFV_XLATE_MAX_VERSIONS];
} __attribute__((aligned(64)));

struct nfv_mfc;

/* Creates a cache of at most 'n_entries' megaflows (all memory allocated
 * now). Returns 0 or -ENOMEM. */
int nfv_mfc_create(unsigned int n_entries, struct nfv_mfc **out);
/* Destroys 'c' (NULL-safe). No reader may remain. */
void nfv_mfc_destroy(struct nfv_mfc *c);

/* Worker: returns the live, not dead entry matching 'key', or NULL. A dead
 * entry found on the way is removed. */
struct nfv_megaflow *nfv_mfc_lookup(struct nfv_mfc *c,
				    const struct nfv_flow_key *key);

/* Worker: inserts a megaflow for 'key' translated as 'x' (its mask is
 * x->wc), evicting the least recently used of a few candidates if the cache
 * is full, and returns it; NULL only if no slot could be had. If an entry
 * with the same masked key and mask exists it is replaced. */
struct nfv_megaflow *nfv_mfc_insert(struct nfv_mfc *c,
				    const struct nfv_flow_key *key,
				    const struct nfv_xlate_out *x,
				    uint64_t now_ms);

/* Worker: removes 'mf' from the cache. */
void nfv_mfc_remove(struct nfv_mfc *c, struct nfv_megaflow *mf);

/* Worker: examines up to 'budget' slots from where the last call stopped,
 * removing dead entries and entries unused for 'idle_ms'. Returns how many
 * were removed. Call it every iteration with a small budget. */
unsigned int nfv_mfc_sweep(struct nfv_mfc *c, uint64_t now_ms,
			   uint64_t idle_ms, unsigned int budget);

/* Worker: removes every entry. */
void nfv_mfc_flush(struct nfv_mfc *c);

/* Control thread: calls 'fn' with a consistent copy of each live, not
 * dead entry. If 'fn' returns true the entry is killed (marked dead, unless
 * the worker reused the slot meanwhile). Returns the number killed. */
typedef bool nfv_mfc_visit_fn(void *arg, const struct nfv_megaflow *copy);
unsigned int nfv_mfc_foreach(struct nfv_mfc *c, nfv_mfc_visit_fn *fn,
			     void *arg);

/* Worker: the OR of the masks of all live entries: the only bits of a
 * key that a lookup can depend on. */
const struct nfv_flow_key *nfv_mfc_mask_union(const struct nfv_mfc *c);

/* Number of live entries and of distinct masks (worker's view; the
 * control thread may read them racily for display). */
unsigned int nfv_mfc_count(const struct nfv_mfc *c);
unsigned int nfv_mfc_n_masks(const struct nfv_mfc *c);

#endif /* NFV_MFC_H */
