/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Flows as the rest of nfvswitch sees them: a match (key and mask over the
 * flow key), a priority, timeouts, a cookie and a list of actions. This file
 * also declares the parser and formatter of the ovs-ofctl flow syntax
 * ("table=0,priority=10,in_port=p1,actions=output:p2") used by the config's
 * "flows" and by nfvctl. Pure code: no DPDK, no threads.
 *
 * The flow key holds only in_port today; the datapath issue grows it to every
 * OpenFlow 1.3 match field. Parser tables are organised so that a field or an
 * action is one new table entry.
 */
#ifndef NFV_FLOW_H
#define NFV_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nfv_common.h"

#define NFV_FLOW_MAX_ACTIONS 16
#define NFV_FLOW_ERR_MAX 256
#define NFV_FLOW_STR_MAX 1024   /* longest formatted flow */

/* Fields a packet is classified on. Compared as a whole under a mask. */
struct nfv_flow_key {
	uint32_t in_port;       /* OpenFlow port number */
	uint32_t pad;           /* zero */
};

struct nfv_match {
	struct nfv_flow_key key;        /* key & mask == key, always */
	struct nfv_flow_key mask;       /* set bits are matched */
};

enum nfv_action_type {
	NFV_ACT_OUTPUT,         /* arg.port: OpenFlow port or NFV_OFPP_* */
};

struct nfv_action {
	enum nfv_action_type type;
	union {
		uint32_t port;
	} arg;
};

/* A parsed flow ("flow spec"); what add-flow / del-flows carry. */
struct nfv_flow_spec {
	uint8_t table_id;
	uint16_t priority;      /* default 32768 as in ovs-ofctl */
	uint64_t cookie;
	uint64_t cookie_mask;   /* for del-flows "cookie=V/M"; else 0 */
	uint16_t idle_timeout;  /* seconds, 0 = none */
	uint16_t hard_timeout;
	struct nfv_match match;
	unsigned int n_actions; /* 0 = drop */
	struct nfv_action actions[NFV_FLOW_MAX_ACTIONS];
	/* Which of the optional fields the text named. */
	bool has_table;
	bool has_priority;
	bool has_actions;
};

/* Resolves a port name to its OpenFlow number (> 0), or returns -ENOENT. */
typedef int nfv_port_by_name_fn(void *arg, const char *name);
/* Returns the name of OpenFlow port 'port', or NULL if it has none. */
typedef const char *nfv_port_name_fn(void *arg, uint32_t port);

enum nfv_flow_parse_mode {
	NFV_FLOW_PARSE_ADD,     /* add-flow: "actions=" required */
	NFV_FLOW_PARSE_MATCH,   /* del-flows / dump-flows filter: no actions */
};

/* Parses 'text' in the ovs-ofctl flow syntax into 'spec'. Ports are numbers
 * or names resolved through 'by_name' (may be NULL: numbers only).
 * Returns 0, or -EINVAL with a one-line message in 'err'
 * (NFV_FLOW_ERR_MAX bytes) that quotes the offending part of 'text'. */
int nfv_flow_parse(const char *text, enum nfv_flow_parse_mode mode,
		   nfv_port_by_name_fn *by_name, void *arg,
		   struct nfv_flow_spec *spec, char *err);

/* Writes the match of 'spec' as ovs-ofctl prints it ("priority=10,in_port=p1"
 * with port names from 'name_of' when it knows them) into 'buf' of 'size'
 * bytes. Returns the length that the full text needs (as snprintf). */
int nfv_flow_format_match(const struct nfv_flow_spec *spec,
			  nfv_port_name_fn *name_of, void *arg,
			  char *buf, size_t size);

/* Writes the actions of 'spec' ("output:p2", "drop") into 'buf'. */
int nfv_flow_format_actions(const struct nfv_flow_spec *spec,
			    nfv_port_name_fn *name_of, void *arg,
			    char *buf, size_t size);

/* True if 'rule' is selected by the non-strict filter 'filter' (OpenFlow
 * delete semantics: every field that 'filter' matches is matched by 'rule'
 * at least as specifically, with the same value; table and cookie filters
 * apply when present). */
bool nfv_flow_filter_selects(const struct nfv_flow_spec *filter,
			     const struct nfv_flow_spec *rule);

/* True if the two matches and priorities are identical (strict equality). */
bool nfv_flow_same_match(const struct nfv_flow_spec *a,
			 const struct nfv_flow_spec *b);

#endif /* NFV_FLOW_H */
