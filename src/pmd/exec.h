/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Action execution on a worker: runs a megaflow's actions on the packets
 * of a burst that hit it (outputs into the worker's tx buffers, header
 * edits, VLAN push/pop, TTL, groups, NORMAL, packet-ins to the control
 * thread). Every packet ends up transmitted or freed, and every drop is
 * counted with its reason.
 */
#ifndef NFV_EXEC_H
#define NFV_EXEC_H

#include <stdint.h>

#include <rte_mbuf.h>

#include "flow_key.h"
#include "parse.h"
#include "worker.h"

struct nfv_megaflow;

/* Runs 'mf' on the packets pkts[idx[0..cnt-1]] that came in on 'in_port';
 * 'keys' and 'metas' are their parsed headers (edited along). */
void nfv_exec_megaflow(struct nfv_worker *w, uint32_t in_port,
		       const struct nfv_megaflow *mf, struct rte_mbuf **pkts,
		       struct nfv_flow_key *keys, struct nfv_pkt_meta *metas,
		       const uint16_t *idx, uint16_t cnt);

/* Runs pkts[idx] through the actions of the walk in w->xlate without
 * caching them (a megaflow that could not be kept, a packet-out). */
void nfv_exec_uncached(struct nfv_worker *w, uint32_t in_port,
		       struct rte_mbuf **pkts, struct nfv_flow_key *keys,
		       struct nfv_pkt_meta *metas, uint16_t idx);

/* Buffers 'n' packets for transmission on port 'ofport' (1..n_ports). */
void nfv_exec_output_burst(struct nfv_worker *w, uint32_t ofport,
			   struct rte_mbuf **pkts, uint16_t n);

/* Frees 'm' and counts it under 'why'. */
void nfv_exec_drop(struct nfv_worker *w, struct rte_mbuf *m,
		   enum nfv_drop_reason why);

#endif /* NFV_EXEC_H */
