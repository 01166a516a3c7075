/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Translation: the walk of one packet's flow key through the OpenFlow
 * tables (goto_table, write_metadata, apply/write/clear actions), producing
 * what the datapath caches and executes: the megaflow mask (exactly the
 * bits the walk consulted), a flat list of actions in execution order, the
 * rules that were hit (for their counters), and what invalidation needs to
 * decide whether a later table change can affect the result.
 *
 * Runs on a worker, inside an RCU read-side section: it reads the tables as
 * the control thread changes them, and everything it returns stays valid
 * until the worker's next quiescent state.
 */
#ifndef NFV_XLATE_H
#define NFV_XLATE_H

#include <stdbool.h>
#include <stdint.h>

#include "flow.h"
#include "flow_key.h"

struct nfv_pipeline;
struct nfv_rule;

#define NFV_XLATE_MAX_ACTIONS 32
#define NFV_XLATE_MAX_RULES 16  /* tables visited by one walk */
#define NFV_XLATE_MAX_PKTIN 4
#define NFV_XLATE_MAX_VERSIONS 4

/* Packet-in reasons (OpenFlow 1.3 ofp_packet_in_reason). */
enum nfv_pktin_reason {
	NFV_PKTIN_NO_MATCH = 0,
	NFV_PKTIN_ACTION = 1,
	NFV_PKTIN_INVALID_TTL = 2,
};

/* What a packet-in sent by OUTPUT:CONTROLLER action 'action_idx' says. */
struct nfv_pktin_info {
	uint8_t action_idx;
	uint8_t reason;         /* enum nfv_pktin_reason */
	uint8_t table_id;
	uint64_t cookie;
	uint64_t metadata;      /* pipeline metadata when it was sent */
};

/* The key one or more tables were looked up with: the packet's key with
 * some fields rewritten by earlier actions (set_field, write_metadata).
 * 'mask' = the megaflow mask plus every bit rewritten so far: under it,
 * 'key' is the same for every packet of the megaflow. */
struct nfv_xlate_version {
	uint64_t tables[4];     /* bitmap of tables looked up with it */
	struct nfv_flow_key key;
	struct nfv_flow_key mask;
};

struct nfv_xlate_out {
	struct nfv_flow_key wc;         /* megaflow mask */
	unsigned int n_actions;         /* 0 = drop */
	struct nfv_action actions[NFV_XLATE_MAX_ACTIONS];
	unsigned int n_pktin;
	struct nfv_pktin_info pktin[NFV_XLATE_MAX_PKTIN];
	unsigned int n_rules;
	const struct nfv_rule *rules[NFV_XLATE_MAX_RULES];
	unsigned int n_versions;
	struct nfv_xlate_version versions[NFV_XLATE_MAX_VERSIONS];
	/* More versions than fit: any table change invalidates it. */
	bool any_change_invalidates;
	/* The walk ended in a table miss without a table-miss rule. */
	bool miss;
	/* Translation gave up (too many actions or tables): drop. */
	bool error;
};

/* Walks 'key' through the tables of 'p' from table 'table_id' and fills
 * 'out'. Worker context (or control thread for packet-out). */
void nfv_xlate(const struct nfv_pipeline *p, const struct nfv_flow_key *key,
	       uint8_t table_id, struct nfv_xlate_out *out);

/* True if a rule change in table 'table_id' with match 'm' can change the
 * result of the walk described by 'versions' (the overlap test). */
bool nfv_xlate_affected(const struct nfv_xlate_version *versions,
			unsigned int n_versions, bool any_change,
			uint8_t table_id, const struct nfv_match *m);

#endif /* NFV_XLATE_H */
