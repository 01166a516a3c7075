/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OpenFlow tables, control side: the rules of the 254 tables, each table a
 * classifier (cls.h) that workers look up concurrently while the control
 * thread changes it.
 *
 * Threads and the invariant this module keeps: only the control thread
 * calls the functions below (except nfv_pipeline_lookup() and
 * nfv_rule_stats_add(), which workers call inside their RCU read side).
 * Rule changes reach the classifiers at once; nfv_pipeline_commit() then
 * (1) waits until every worker has passed a quiescent state, so every walk
 * that may have seen the old rules is over and its megaflow is in a cache,
 * (2) asks the owner to kill the cached megaflows that the changes can
 * affect (the 'invalidate' callback: precise, by overlap with each changed
 * rule's match), (3) waits again, so no worker still uses a killed megaflow
 * or a removed rule, and (4) frees what was removed. When commit returns,
 * every packet is forwarded by the rules in force: the caller may then
 * acknowledge the change (barrier, nfvctl reply).
 */
#ifndef NFV_TABLE_H
#define NFV_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "cls.h"
#include "flow.h"

struct rte_rcu_qsbr;

/* Counters of one rule on one worker; written only by that worker. */
struct nfv_rule_stats {
	uint64_t n_packets;
	uint64_t n_bytes;
} __attribute__((aligned(64)));

struct nfv_rule {
	/* Immutable while published (workers read it). */
	struct nfv_cls_rule cls;        /* match and priority */
	struct nfv_flow_spec spec;
	bool is_table_miss;             /* priority 0, matches everything */
	/* One slot per worker; shared with the rule that replaces this one
	 * by a modify (counters continue unless reset_counts). */
	struct nfv_rule_stats *stats;
	/* Control thread only. */
	bool owns_stats;                /* frees 'stats' when freed */
	uint64_t seq;                   /* insertion order */
	uint64_t created_ms;            /* CLOCK_MONOTONIC, for duration */
	struct nfv_rule *prev, *next;   /* the table's list */
	uint64_t idle_seen_packets;     /* n_packets at last activity */
	uint64_t idle_since_ms;         /* last time n_packets changed */
};

/* A change that cached translations may depend on. */
struct nfv_table_change {
	uint8_t table_id;
	struct nfv_match match;
};

/* Why rules left a table (OpenFlow flow_removed reasons). */
enum nfv_rule_removed_reason {
	NFV_RR_IDLE_TIMEOUT = 0,
	NFV_RR_HARD_TIMEOUT = 1,
	NFV_RR_DELETE = 2,
	NFV_RR_GROUP_DELETE = 3,
};

/* Called by commit between its two grace periods with the changes since
 * the last commit ('all' true: too many to list, treat everything as
 * changed). The owner kills affected cached megaflows. */
typedef void nfv_pipeline_inval_fn(void *arg,
				   const struct nfv_table_change *changes,
				   unsigned int n_changes, bool all);
/* Called for each rule removed by delete or expiry, before it is freed,
 * with its final counters (for OpenFlow flow_removed). */
typedef void nfv_rule_removed_fn(void *arg, const struct nfv_rule *rule,
				 enum nfv_rule_removed_reason reason,
				 uint64_t n_packets, uint64_t n_bytes);

struct nfv_pipeline;

/* Creates empty tables for 'n_workers' workers that report quiescent
 * states on 'qsbr' (NULL: no concurrent readers). Returns 0 or -ENOMEM. */
int nfv_pipeline_create(unsigned int n_workers, struct rte_rcu_qsbr *qsbr,
			struct nfv_pipeline **out);
/* Destroys 'p' and all rules (NULL-safe); workers must be stopped. */
void nfv_pipeline_destroy(struct nfv_pipeline *p);

/* Sets the owner's callbacks (either may be NULL). */
void nfv_pipeline_set_callbacks(struct nfv_pipeline *p,
				nfv_pipeline_inval_fn *inval,
				nfv_rule_removed_fn *removed, void *arg);

/* OpenFlow add: inserts 'spec', replacing a rule with the same table,
 * priority and match (its counters restart, as in OpenFlow 1.3). With
 * NFV_FF_CHECK_OVERLAP, returns -EEXIST if a rule of the same priority
 * overlaps, an identical one included. Returns 0 or -errno. */
int nfv_pipeline_add(struct nfv_pipeline *p, const struct nfv_flow_spec *spec);

/* OpenFlow modify / modify_strict: replaces the instructions of the rules
 * that 'spec' selects (as a filter: table, match, cookie/mask; strict also
 * priority), keeping counters unless NFV_FF_RESET_COUNTS. Returns the number
 * of rules modified (0 is not an error: OpenFlow 1.3 then adds nothing). */
int nfv_pipeline_modify(struct nfv_pipeline *p,
			const struct nfv_flow_spec *spec, bool strict);

/* OpenFlow delete / delete_strict. Returns how many rules were deleted. */
unsigned int nfv_pipeline_del(struct nfv_pipeline *p,
			      const struct nfv_flow_spec *filter, bool strict);

/* Deletes rules whose hard or idle timeout passed at 'now_ms'. Returns how
 * many. Idle time is measured from the last change of the rule's packet
 * count, sampled here: call it about once a second. */
unsigned int nfv_pipeline_expire(struct nfv_pipeline *p, uint64_t now_ms);

/* Makes pending changes safe to acknowledge (see the top of this file).
 * No-op without pending changes. */
void nfv_pipeline_commit(struct nfv_pipeline *p);

/* Calls 'fn' for each rule selected by 'filter' (NULL: all), by table and
 * then by descending priority. */
typedef void nfv_rule_visit_fn(void *arg, const struct nfv_rule *rule);
void nfv_pipeline_dump(const struct nfv_pipeline *p,
		       const struct nfv_flow_spec *filter,
		       nfv_rule_visit_fn *fn, void *arg);

/* Sums a rule's per-worker counters. */
void nfv_rule_counters(const struct nfv_pipeline *p, const struct nfv_rule *r,
		       uint64_t *n_packets, uint64_t *n_bytes);

/* Number of rules in table 'table_id', or in all tables if it is -1. */
unsigned int nfv_pipeline_n_rules(const struct nfv_pipeline *p, int table_id);

/* Per-table lookup counters would go here; the classifier of a table: */
const struct nfv_cls *nfv_pipeline_table(const struct nfv_pipeline *p,
					 uint8_t table_id);

/* Worker: the highest-priority rule of table 'table_id' matching 'key',
 * OR-ing the consulted bits into 'wc'. */
static inline const struct nfv_rule *
nfv_pipeline_lookup(const struct nfv_pipeline *p, uint8_t table_id,
		    const struct nfv_flow_key *key, struct nfv_flow_key *wc)
{
	const struct nfv_cls *c = nfv_pipeline_table(p, table_id);
	const struct nfv_cls_rule *r = nfv_cls_lookup(c, key, wc);

	return r == NULL ? NULL :
	       (const struct nfv_rule *)((const char *)r -
					 offsetof(struct nfv_rule, cls));
}

/* Worker 'worker' credits 'n_packets' / 'n_bytes' to 'r'. */
static inline void
nfv_rule_stats_add(const struct nfv_rule *r, unsigned int worker,
		   uint64_t n_packets, uint64_t n_bytes)
{
	r->stats[worker].n_packets += n_packets;
	r->stats[worker].n_bytes += n_bytes;
}

/* CLOCK_MONOTONIC in milliseconds. */
uint64_t nfv_now_ms(void);

#endif /* NFV_TABLE_H */
