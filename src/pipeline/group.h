/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OpenFlow groups: ALL, SELECT (by flow hash, weighted), INDIRECT and
 * FAST_FAILOVER. The control thread adds, modifies and deletes them and
 * publishes an immutable, sorted array of group pointers under RCU;
 * workers resolve a group action at execution time, so a group change
 * needs no megaflow invalidation: nfv_groups_commit() waits for the
 * workers before freeing what was replaced, and then acknowledging is safe.
 */
#ifndef NFV_GROUP_H
#define NFV_GROUP_H

#include <stdbool.h>
#include <stdint.h>

#include "flow.h"

struct rte_rcu_qsbr;

#define NFV_GROUP_MAX_BUCKETS 32
#define NFV_GROUP_MAX 65536     /* groups in one switch (default limit) */

enum nfv_group_type {
	NFV_GT_ALL = 0,
	NFV_GT_SELECT = 1,
	NFV_GT_INDIRECT = 2,
	NFV_GT_FF = 3,
};

struct nfv_bucket {
	uint16_t weight;        /* SELECT */
	uint32_t watch_port;    /* FAST_FAILOVER; NFV_OFPP_ANY if none */
	uint32_t watch_group;   /* FAST_FAILOVER; NFV_OFPG_ANY if none */
	unsigned int n_actions;
	struct nfv_action actions[NFV_FLOW_MAX_ACTIONS];
};

/* Per-worker counters of a group; written by that worker only. */
struct nfv_group_stats {
	uint64_t n_packets;
	uint64_t n_bytes;
	uint64_t bucket_packets[NFV_GROUP_MAX_BUCKETS];
	uint64_t bucket_bytes[NFV_GROUP_MAX_BUCKETS];
} __attribute__((aligned(64)));

struct nfv_group_spec {
	uint32_t group_id;      /* 0..NFV_OFPG_MAX */
	enum nfv_group_type type;
	unsigned int n_buckets;
	struct nfv_bucket buckets[NFV_GROUP_MAX_BUCKETS];
};

#define NFV_GROUP_SELECT_SLOTS 256

struct nfv_group {
	struct nfv_group_spec spec;     /* immutable while published */
	uint32_t total_weight;          /* SELECT */
	/* SELECT: bucket of each hash slot, weights respected. */
	uint8_t select_map[NFV_GROUP_SELECT_SLOTS];
	uint64_t created_ms;
	struct nfv_group_stats *stats;  /* one per worker */
};

struct nfv_groups;

/* Creates an empty group set whose groups count packets for 'n_workers'
 * workers (at most NFV_MAX_WORKERS). 'qsbr' is the RCU variable the
 * workers report quiescent states to; NULL when no worker reads the set
 * (tests, a switch without workers). Returns 0 with '*out', -EINVAL or
 * -ENOMEM. nfv_groups_destroy() frees everything; no worker may be using
 * the set by then. Control thread. */
int nfv_groups_create(unsigned int n_workers, struct rte_rcu_qsbr *qsbr,
		      struct nfv_groups **out);
void nfv_groups_destroy(struct nfv_groups *g);

/* OpenFlow GROUP_MOD add: -EEXIST if the id exists, -EINVAL for a bad
 * spec (message in 'err', NFV_FLOW_ERR_MAX bytes), -ENOSPC when full.
 * 'err' gets a message for every error and may be NULL; -ENOMEM is
 * possible. Workers see the change after nfv_groups_commit(). */
int nfv_group_add(struct nfv_groups *g, const struct nfv_group_spec *spec,
		  char *err);
/* GROUP_MOD modify: -ENOENT if the id does not exist. Counters restart. */
int nfv_group_modify(struct nfv_groups *g, const struct nfv_group_spec *spec,
		     char *err);
/* GROUP_MOD delete ('group_id' NFV_OFPG_ALL deletes every group). Returns
 * how many were deleted. */
#define NFV_OFPG_ALL 0xfffffffcu
unsigned int nfv_group_del(struct nfv_groups *g, uint32_t group_id);
/* Publishes changes and frees what was replaced once workers moved on.
 * Blocks in rte_rcu_qsbr_synchronize() until every online worker has
 * passed a quiescent state, so no worker holds a replaced group after it
 * returns. Until then workers keep seeing the previous commit. */
void nfv_groups_commit(struct nfv_groups *g);

/* Worker: the group 'id', or NULL. */
const struct nfv_group *nfv_groups_lookup(const struct nfv_groups *g,
					  uint32_t id);

/* Control thread: calls 'fn' for each group in id order. */
typedef void nfv_group_visit_fn(void *arg, const struct nfv_group *grp);
void nfv_groups_dump(const struct nfv_groups *g, nfv_group_visit_fn *fn,
		     void *arg);
unsigned int nfv_groups_count(const struct nfv_groups *g);
/* Control thread: sets how many groups nfv_group_add() accepts before it
 * returns -ENOSPC (NFV_GROUP_MAX by default). Groups already there stay.
 * Returns 0, or -EINVAL if 'max' is above NFV_GROUP_MAX. */
int nfv_groups_set_max(struct nfv_groups *g, unsigned int max);
/* Sums a group's per-worker counters into 'st'. */
void nfv_group_counters(const struct nfv_groups *g, const struct nfv_group *grp,
			struct nfv_group_stats *st);

/* Parses the ovs-ofctl group syntax
 * "group_id=1,type=select,bucket=weight:10,output:p1,bucket=output:p2"
 * into 'spec' ("type=" defaults to all; bucket fields weight:, watch_port:,
 * watch_group: come first in a bucket). In 'filter_only' mode (del-groups)
 * only group_id is allowed. Returns 0 or -EINVAL with 'err'.
 * Details: "type=" takes all, select, indirect, ff or fast_failover; the
 * action list may start with "actions="; weight: (default 1) is only for
 * select groups and watch_port:/watch_group: only for fast_failover;
 * bucket_id: is accepted and dropped. The spec is checked as
 * nfv_group_add() checks it. In 'filter_only' mode, no text, "" and
 * "group_id=all" select every group (group_id NFV_OFPG_ALL). 'err' may be
 * NULL; -ENOMEM is possible for huge action lists. Any thread. */
int nfv_group_parse(const char *text, bool filter_only,
		    nfv_port_by_name_fn *by_name, void *arg,
		    struct nfv_group_spec *spec, char *err);
/* Formats 'spec' as ovs-ofctl dump-groups prints it for OpenFlow 1.3
 * ("group_id=1,type=select,bucket=weight:10,actions=output:p1", type=ff for
 * fast failover, port names from 'name_of' when it knows them) into 'buf'
 * of 'size' bytes; nfv_group_parse() reads it back to the same spec.
 * Returns the length the full text needs (as snprintf). */
int nfv_group_format(const struct nfv_group_spec *spec,
		     nfv_port_name_fn *name_of, void *arg, char *buf,
		     size_t size);

#endif /* NFV_GROUP_H */
