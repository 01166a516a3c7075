/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OpenFlow tables: the rules that the control thread adds and deletes, and
 * the immutable snapshot of them that workers classify against.
 *
 * The control thread edits rules (add, delete, expire) and then commits:
 * commit builds a new snapshot, publishes it with a release store and waits
 * for every worker to pass a quiescent state (rte_rcu_qsbr) before it frees
 * the old snapshot and the removed rules. So when commit returns, no worker
 * can still forward a packet by a rule that is gone, and the caller may
 * acknowledge the change.
 *
 * The flow key holds only in_port today, so a snapshot resolves table 0 to
 * one winning rule per in_port at build time and a lookup is one load. The
 * datapath issue replaces the snapshot with a real classifier.
 */
#ifndef NFV_TABLE_H
#define NFV_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "flow.h"

struct rte_rcu_qsbr;

/* Counters of one rule on one worker; written only by that worker. */
struct nfv_rule_stats {
	uint64_t n_packets;
	uint64_t n_bytes;
} __attribute__((aligned(64)));

struct nfv_rule {
	/* Immutable once the rule is published. */
	struct nfv_flow_spec spec;
	uint64_t seq;           /* insertion order: ties in priority */
	uint64_t created_ms;    /* CLOCK_MONOTONIC, for duration */
	/* One slot per worker, each on its own cache line. */
	struct nfv_rule_stats *stats;
	/* Control thread only: timeout bookkeeping. */
	uint64_t idle_seen_packets;     /* n_packets at last activity */
	uint64_t idle_since_ms;         /* last time n_packets changed */
};

/* What workers read: immutable after publication. */
struct nfv_table_snap {
	const struct nfv_rule *by_in_port[NFV_MAX_PORTS + 1];
};

struct nfv_pipeline;

/* Creates empty tables for 'n_workers' workers that report quiescent
 * states on 'qsbr' (NULL: no workers, commit frees at once).
 * Returns 0 or -ENOMEM. Control thread. */
int nfv_pipeline_create(unsigned int n_workers, struct rte_rcu_qsbr *qsbr,
			struct nfv_pipeline **out);
/* Destroys 'p' and all rules (NULL-safe); workers must be stopped. */
void nfv_pipeline_destroy(struct nfv_pipeline *p);

/* Adds 'spec' as a rule, replacing a rule with the same table, priority
 * and match (its counters start again). Takes effect at the next commit.
 * Returns 0 or -ENOMEM. Control thread. */
int nfv_pipeline_add(struct nfv_pipeline *p, const struct nfv_flow_spec *spec);

/* Deletes the rules that 'filter' selects (non-strict) or that match it
 * exactly ('strict'). Returns how many. Takes effect at the next commit. */
unsigned int nfv_pipeline_del(struct nfv_pipeline *p,
			      const struct nfv_flow_spec *filter, bool strict);

/* Deletes rules whose hard or idle timeout passed at 'now_ms'. Returns how
 * many. Idle time is measured from the last change of the rule's packet
 * count, sampled here: call it about once a second. */
unsigned int nfv_pipeline_expire(struct nfv_pipeline *p, uint64_t now_ms);

/* Publishes pending changes to the workers and waits until none can still
 * use what was replaced, then frees it. No-op without pending changes.
 * Returns 0 or -ENOMEM (then nothing changed for the workers). */
int nfv_pipeline_commit(struct nfv_pipeline *p);

/* Calls 'fn' for each rule (committed or pending) selected by 'filter'
 * (NULL: all), in table then descending priority order. */
typedef void nfv_rule_visit_fn(void *arg, const struct nfv_rule *rule);
void nfv_pipeline_dump(const struct nfv_pipeline *p,
		       const struct nfv_flow_spec *filter,
		       nfv_rule_visit_fn *fn, void *arg);

/* Sums a rule's per-worker counters. */
void nfv_rule_counters(const struct nfv_pipeline *p, const struct nfv_rule *r,
		       uint64_t *n_packets, uint64_t *n_bytes);

/* Number of rules, committed or pending. */
unsigned int nfv_pipeline_n_rules(const struct nfv_pipeline *p);

/* Returns the snapshot workers read. Worker context, between quiescent
 * states; the pointer stays valid until the worker's next quiescent state. */
const struct nfv_table_snap *nfv_pipeline_snap(const struct nfv_pipeline *p);

/* CLOCK_MONOTONIC in milliseconds. */
uint64_t nfv_now_ms(void);

#endif /* NFV_TABLE_H */
