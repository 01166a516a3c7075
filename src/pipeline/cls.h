/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The classifier of one OpenFlow table: finds the highest-priority rule whose
 * match covers a flow key by tuple-space search. Rules with the same mask
 * share a subtable, a hash table of their masked keys; a lookup probes the
 * subtables in descending order of the highest priority each holds and stops
 * as soon as no later subtable can hold a better rule. It can report the
 * bits it looked at, so that the megaflow cache can reuse the answer for
 * every key that agrees with this one on those bits.
 *
 * Threads. The classifier has no idea threads exist; its owner (table.c)
 * keeps this contract:
 *
 *  - One writer: nfv_cls_lookup() is the only function that may run
 *    concurrently with the others, and only one thread at a time calls those.
 *  - Lookups take no locks. Every change they can observe is a single
 *    pointer store with release semantics of fully initialised memory, and
 *    lookups load with acquire, so a lookup that races with a change sees
 *    the table as it was before or after it: a rule being inserted is found
 *    or not, a rule being removed is found or not, and a rule being replaced
 *    is found in its old or new version, never neither.
 *  - Lookups are RCU (QSBR) readers. Internal memory that a lookup may
 *    still be using when it becomes unreachable (hash arrays after a resize,
 *    subtable vectors, emptied subtables) goes to the owner's defer_free
 *    callback, which must free() it only after a grace period: once every
 *    reader has passed a quiescent state since the call.
 *  - Rules are the caller's memory. After nfv_cls_remove(r), or
 *    nfv_cls_replace(old, new) for 'old', a lookup may still return the rule
 *    until the next grace period: free, modify or insert it again only after
 *    one.
 *
 * Costs: insert, remove and replace are amortised O(1) for a fixed number of
 * masks and priorities: O(subtables) more when a subtable appears,
 * disappears or changes its highest priority (a new vector), and
 * O(distinct priorities in the subtable) more when a priority value appears
 * in or leaves a subtable. A lookup costs one hash and about one cache line
 * per subtable probed, whatever the number of rules. Among subtables of
 * equal highest priority the search cannot stop early (ties go to the
 * oldest rule), so tables where most rules share one priority probe every
 * subtable on a hit, and their megaflow masks are wider.
 *
 * Pure code: C11 and GCC atomic builtins, no DPDK.
 */
#ifndef NFV_CLS_H
#define NFV_CLS_H

#include <stddef.h>
#include <stdint.h>

#include "flow_key.h"

struct nfv_cls;
struct cls_subtable;

/* A rule, embedded in the owner's rule struct. The caller sets 'match' and
 * 'priority' before nfv_cls_insert() and leaves the whole struct alone
 * while it is in the classifier (lookups read it without locks). */
struct nfv_cls_rule {
	uint16_t priority;              /* higher wins */
	/* Private to cls.c; kept next to the low key words so that a hit on
	 * a typical L2-L4 match reads one cache line of the rule. */
	uint32_t hash;                  /* hash of the masked key */
	uint64_t seq;                   /* insertion order: ties in priority */
	struct nfv_match match;         /* key & mask == key */
	/* Private to cls.c, writer only. */
	struct nfv_cls_rule *next;      /* same masked key, lower priority */
	struct cls_subtable *subtable;
};

/* Frees 'ptr' (memory from malloc() or aligned_alloc()) with free() once no
 * lookup can hold it. */
typedef void nfv_cls_defer_free_fn(void *arg, void *ptr);

/* Creates an empty classifier that retires memory through 'defer_free'
 * ('arg' is its first argument; NULL frees at once, for classifiers that
 * never have concurrent lookups). Returns 0 or -ENOMEM. Cheap: no memory is
 * allocated beyond the classifier itself until the first insert. */
int nfv_cls_create(nfv_cls_defer_free_fn *defer_free, void *arg,
		   struct nfv_cls **out);

/* Destroys 'c' and its internal memory at once (NULL-safe). No lookup may
 * be running; the rules are left to the caller. Writer. */
void nfv_cls_destroy(struct nfv_cls *c);

/* Inserts 'r' (its 'match' and 'priority' set). Returns 0, -EEXIST if a
 * rule with the same match and priority is in 'c' (nothing changes), or
 * -ENOMEM (nothing changes). Writer. */
int nfv_cls_insert(struct nfv_cls *c, struct nfv_cls_rule *r);

/* Replaces 'old', which is in 'c', by 'new', which has the same match and
 * priority and takes the place of 'old' in the insertion order: a
 * concurrent lookup finds one or the other, never neither. Cannot fail.
 * Writer. */
void nfv_cls_replace(struct nfv_cls *c, struct nfv_cls_rule *old,
		     struct nfv_cls_rule *new);

/* Removes 'r', which is in 'c'. Cannot fail. Writer. */
void nfv_cls_remove(struct nfv_cls *c, struct nfv_cls_rule *r);

/* Returns the rule of 'c' with exactly match 'm' and 'priority', or NULL.
 * Writer. */
struct nfv_cls_rule *nfv_cls_find_exact(const struct nfv_cls *c,
					const struct nfv_match *m,
					uint16_t priority);

/* Returns the highest-priority rule of 'c' matching 'key' (among equal
 * priorities, the one inserted first), or NULL. If 'wc' is not NULL, ORs
 * into it the mask of every subtable the search probed, hit or miss: the
 * answer depends on those bits of 'key' only, so it holds for every key
 * that agrees with 'key' on them (the megaflow mask). Any thread, without
 * locks, inside an RCU read-side section. */
const struct nfv_cls_rule *nfv_cls_lookup(const struct nfv_cls *c,
					  const struct nfv_flow_key *key,
					  struct nfv_flow_key *wc);

/* Number of rules in 'c'. Writer. */
unsigned int nfv_cls_count(const struct nfv_cls *c);

/* Number of subtables (distinct masks) in 'c'. Writer. */
unsigned int nfv_cls_n_subtables(const struct nfv_cls *c);

/* Bytes of internal memory of 'c', rules not included; memory handed to
 * defer_free no longer counts. Writer. */
size_t nfv_cls_memory(const struct nfv_cls *c);

/* Calls 'fn'('arg', rule) for every rule of 'c' whose match overlaps 'm'
 * (some key matches both), in no particular order, whatever its priority:
 * the caller filters (OFPFF_CHECK_OVERLAP looks for equal priorities).
 * 'fn' must not change 'c'. Writer. */
void nfv_cls_foreach_overlapping(const struct nfv_cls *c,
				 const struct nfv_match *m,
				 void (*fn)(void *arg, struct nfv_cls_rule *r),
				 void *arg);

#endif /* NFV_CLS_H */
