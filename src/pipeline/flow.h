/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Flows as the rest of nfvswitch sees them: a match (key and mask over the
 * flow key), a priority, timeouts, a cookie and a list of actions. This file
 * also declares the parser and formatter of the ovs-ofctl flow syntax
 * ("table=0,priority=10,in_port=p1,actions=output:p2") used by the config's
 * "flows" and by nfvctl. Pure code: no DPDK, no threads.
 *
 * Match fields come from the field table in flow_key.h; actions and
 * instructions are tables in flow_parse_actions.c, so a new one is one
 * table entry. flow_parse.c and flow_lex.c parse, flow_format.c prints and
 * compares; flow_priv.h is what they share.
 */
#ifndef NFV_FLOW_H
#define NFV_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow_key.h"
#include "nfv_common.h"

#define NFV_FLOW_MAX_ACTIONS 16
#define NFV_FLOW_ERR_MAX 256
#define NFV_FLOW_STR_MAX 2048   /* longest formatted flow */
#define NFV_FLOW_DEFAULT_PRIORITY 32768

enum nfv_action_type {
	NFV_ACT_OUTPUT,         /* arg.port: OpenFlow port or NFV_OFPP_*;
				 * max_len for NFV_OFPP_CONTROLLER */
	NFV_ACT_GROUP,          /* arg.group_id */
	NFV_ACT_SET_FIELD,      /* field, arg.value (see flow_key.h) */
	NFV_ACT_PUSH_VLAN,      /* ethertype: 0x8100 or 0x88a8 */
	NFV_ACT_POP_VLAN,
	NFV_ACT_DEC_NW_TTL,
	NFV_ACT_SET_NW_TTL,     /* arg.ttl */
};

struct nfv_action {
	enum nfv_action_type type;
	uint16_t max_len;       /* OUTPUT:CONTROLLER, bytes of packet sent */
	uint16_t ethertype;     /* PUSH_VLAN */
	enum nfv_field_id field; /* SET_FIELD */
	union {
		uint32_t port;
		uint32_t group_id;
		uint8_t ttl;
		union nfv_field_value value;
	} arg;
};

/* Flow flags (OpenFlow 1.3 ofp_flow_mod_flags values). */
enum nfv_flow_flags {
	NFV_FF_SEND_FLOW_REM = 1 << 0,
	NFV_FF_CHECK_OVERLAP = 1 << 1,
	NFV_FF_RESET_COUNTS = 1 << 2,
	NFV_FF_NO_PKT_COUNTS = 1 << 3,
	NFV_FF_NO_BYT_COUNTS = 1 << 4,
};

/* A parsed flow ("flow spec"); what add-flow / mod-flows / del-flows carry.
 * The instructions: apply-actions ('actions', what ovs-ofctl's "actions="
 * list holds before any instruction keyword), clear-actions,
 * write-actions, write-metadata and goto-table. */
struct nfv_flow_spec {
	uint8_t table_id;
	uint16_t priority;      /* default NFV_FLOW_DEFAULT_PRIORITY */
	uint16_t flags;         /* NFV_FF_* */
	uint64_t cookie;
	uint64_t cookie_mask;   /* filters: "cookie=V/M"; else 0 */
	uint16_t idle_timeout;  /* seconds, 0 = none */
	uint16_t hard_timeout;
	uint32_t out_port;      /* filters: NFV_OFPP_ANY = no filter */
	uint32_t out_group;     /* filters: NFV_OFPG_ANY = no filter */
	struct nfv_match match;
	/* Instructions. */
	unsigned int n_actions; /* apply-actions; 0 and nothing else = drop */
	struct nfv_action actions[NFV_FLOW_MAX_ACTIONS];
	unsigned int n_write_actions;
	struct nfv_action write_actions[NFV_FLOW_MAX_ACTIONS];
	bool has_write_actions;
	bool clear_actions;
	bool has_write_metadata;
	uint64_t write_metadata;
	uint64_t write_metadata_mask;
	bool has_goto;
	uint8_t goto_table;
	/* Which of the optional fields the text named. */
	bool has_table;
	bool has_priority;
	bool has_actions;
};

#define NFV_OFPG_ANY 0xffffffffu
#define NFV_OFPG_MAX 0xffffff00u

/* Parses all 'len' bytes of 's' as a decimal or "0x" hexadecimal number.
 * Returns 0, -EINVAL if it is not a number, -ERANGE past 64 bits. */
int nfv_parse_number(const char *s, size_t len, uint64_t *out);

/* Resolves a port name to its OpenFlow number (> 0), or returns -ENOENT. */
typedef int nfv_port_by_name_fn(void *arg, const char *name);
/* Returns the name of OpenFlow port 'port', or NULL if it has none. */
typedef const char *nfv_port_name_fn(void *arg, uint32_t port);

enum nfv_flow_parse_mode {
	NFV_FLOW_PARSE_ADD,     /* add-flow: "actions=" required */
	NFV_FLOW_PARSE_MATCH,   /* del-flows / dump-flows filter: no actions */
};

/* Sets 'spec' to an empty flow: every field wildcarded, no instructions,
 * priority NFV_FLOW_DEFAULT_PRIORITY, out_port NFV_OFPP_ANY and out_group
 * NFV_OFPG_ANY (no filter). Use it for specs not made by nfv_flow_parse(),
 * e.g. a filter that selects every flow. Any thread. */
void nfv_flow_spec_init(struct nfv_flow_spec *spec);

/* Parses 'text' in the ovs-ofctl flow syntax for OpenFlow 1.3 into 'spec'
 * (which it first resets with nfv_flow_spec_init()). Ports are numbers or
 * names resolved through 'by_name' (may be NULL: numbers only). The match must
 * meet the OpenFlow prerequisites of its fields, and so must set_field and
 * the other actions; goto_table must go to a later table. Returns 0, or
 * -EINVAL with a one-line message in 'err' (NFV_FLOW_ERR_MAX bytes, may be
 * NULL) that quotes the offending part of 'text'. Any thread; no
 * allocation. */
int nfv_flow_parse(const char *text, enum nfv_flow_parse_mode mode,
		   nfv_port_by_name_fn *by_name, void *arg,
		   struct nfv_flow_spec *spec, char *err);

/* Parses 'text', a bare ovs-ofctl action list such as a group bucket's
 * ("mod_nw_src:10.0.0.1,output:p2"; "drop" is the empty list), into
 * 'actions' (NFV_FLOW_MAX_ACTIONS entries) and '*n_actions'. There is no
 * match, so prerequisites are not checked (the caller's flow must meet
 * them), mod_tp_src / mod_tp_dst need set_field:N->tcp_src etc. instead,
 * and instructions are errors. Returns 0, or -EINVAL with a one-line
 * message in 'err' (may be NULL); then 'actions' holds nothing useful.
 * Any thread; no allocation. */
int nfv_flow_parse_action_list(const char *text, nfv_port_by_name_fn *by_name,
			       void *arg, struct nfv_action *actions,
			       unsigned int *n_actions, char *err);

/* Writes the match of 'spec' as ovs-ofctl prints it
 * ("priority=10,tcp,in_port=p1,nw_dst=10.0.0.0/24,tp_dst=80", with port
 * names from 'name_of' when it knows them) into 'buf' of 'size' bytes; the
 * text parses back to the same match. Returns the length that the full text
 * needs (as snprintf). */
int nfv_flow_format_match(const struct nfv_flow_spec *spec,
			  nfv_port_name_fn *name_of, void *arg,
			  char *buf, size_t size);

/* Writes the instructions of 'spec' as an ovs-ofctl action list
 * ("output:p2,write_actions(group:1),goto_table:2", "drop") into 'buf';
 * returns as nfv_flow_format_match(). */
int nfv_flow_format_actions(const struct nfv_flow_spec *spec,
			    nfv_port_name_fn *name_of, void *arg,
			    char *buf, size_t size);

/* Writes the flags of 'spec' as ovs-ofctl words separated by commas
 * ("send_flow_rem,check_overlap"; "" for none), which nfv_flow_parse()
 * accepts among the fields; returns as nfv_flow_format_match(). */
int nfv_flow_format_flags(const struct nfv_flow_spec *spec, char *buf,
			  size_t size);

/* True if 'rule' is selected by the non-strict filter 'filter' (OpenFlow
 * delete semantics: every field that 'filter' matches is matched by 'rule'
 * at least as specifically, with the same value; table and cookie filters
 * apply when present; out_port / out_group other than NFV_OFPP_ANY /
 * NFV_OFPG_ANY require an output to that port / a group action to that
 * group among the rule's apply-actions or write-actions). */
bool nfv_flow_filter_selects(const struct nfv_flow_spec *filter,
			     const struct nfv_flow_spec *rule);

/* True if the two matches and priorities are identical (strict equality). */
bool nfv_flow_same_match(const struct nfv_flow_spec *a,
			 const struct nfv_flow_spec *b);

/* True if some flow key matches both 'a' and 'b' (what check_overlap
 * looks for among flows of the same priority). */
bool nfv_flow_matches_overlap(const struct nfv_match *a,
			      const struct nfv_match *b);

#endif /* NFV_FLOW_H */
