/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OpenFlow 1.3 semantics: what each message from a controller does to the
 * switch (flow_mod into the tables, group_mod, port_mod, packet_out,
 * statistics, barrier, roles, async configuration) and what the switch
 * tells controllers (packet_in, flow_removed, port_status). It sits
 * between the connections (ofp_conn.h), the codec (ofp_codec.h) and the
 * switch (switch.h). Control thread only.
 */
#ifndef NFV_OFPROTO_H
#define NFV_OFPROTO_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "table.h"

struct nfv_switch;
struct nfv_ofproto;

/* Opens the listeners and controller connections of the switch's config
 * and registers "controller-show". Returns 0 or -errno with 'err'
 * (NFV_CONFIG_ERR_MAX bytes). */
int nfv_ofproto_create(struct nfv_switch *sw, struct nfv_ofproto **out,
		       char *err);
/* Closes every connection (NULL-safe). */
void nfv_ofproto_destroy(struct nfv_ofproto *o);

/* Sends the packet-in that 'm' carries (see nfv_pktin_meta()) to the
 * controllers that want it. Returns true if it keeps 'm' (held in a
 * packet buffer for a later FLOW_MOD or PACKET_OUT), false if the caller
 * still owns it. */
bool nfv_ofproto_packet_in(struct nfv_ofproto *o, struct rte_mbuf *m);

/* Tells controllers that asked for it that 'rule' left its table. */
void nfv_ofproto_flow_removed(struct nfv_ofproto *o,
			      const struct nfv_rule *rule,
			      enum nfv_rule_removed_reason reason,
			      uint64_t n_packets, uint64_t n_bytes);

/* Tells controllers that OpenFlow port 'ofport' changed (link state). */
void nfv_ofproto_port_changed(struct nfv_ofproto *o, uint32_t ofport);

/* Publishes table changes that OpenFlow made (periodically and before a
 * barrier reply). */
void nfv_ofproto_commit(struct nfv_ofproto *o);

#endif /* NFV_OFPROTO_H */
