/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The PMD worker loop: rx bursts from the worker's queues, one table lookup
 * per burst (the flow key is in_port only, so every packet of a burst from
 * one queue takes the same rule), actions, per-port tx buffers flushed at
 * the end of each iteration, and an RCU quiescent state per iteration.
 *
 * Nothing here allocates, locks (except a shared tx queue, see port.h),
 * logs or makes a system call per packet.
 */
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>

#include "port.h"
#include "table.h"
#include "worker.h"

static const char *const drop_names[NFV_DROP_N] = {
#define NFV_DROP_NAME(id, name, doc) [NFV_DROP_##id] = name,
	NFV_DROP_REASONS(NFV_DROP_NAME)
#undef NFV_DROP_NAME
};

const char *
nfv_drop_reason_name(enum nfv_drop_reason r)
{
	return r < NFV_DROP_N ? drop_names[r] : "unknown";
}

static inline void
drop_burst(struct nfv_worker *w, struct rte_mbuf **pkts, uint16_t n,
	   enum nfv_drop_reason why)
{
	rte_pktmbuf_free_bulk(pkts, n);
	w->stats.drops[why] += n;
}

/* Sends what is buffered for OpenFlow port 'ofport'; frees and counts what
 * the device did not take. */
static void
tx_flush(struct nfv_worker *w, uint32_t ofport)
{
	struct nfv_txbuf *b = &w->tx[ofport];
	struct nfv_port *port = &w->dp->ports[ofport - 1];
	uint16_t q = w->id % port->n_txq;
	uint16_t sent;

	if (unlikely(port->txq_shared)) {
		rte_spinlock_lock(&port->txq_lock[q]);
		sent = rte_eth_tx_burst(port->port_id, q, b->pkts, b->n);
		rte_spinlock_unlock(&port->txq_lock[q]);
	} else {
		sent = rte_eth_tx_burst(port->port_id, q, b->pkts, b->n);
	}
	w->stats.tx_packets += sent;
	if (unlikely(sent < b->n)) {
		uint16_t n_left = b->n - sent;

		rte_pktmbuf_free_bulk(&b->pkts[sent], n_left);
		w->stats.drops[NFV_DROP_TX_FULL] += n_left;
		w->stats.tx_dropped[ofport] += n_left;
	}
	b->n = 0;
}

static void
tx_flush_all(struct nfv_worker *w)
{
	uint64_t pending = w->tx_pending;

	while (pending) {
		unsigned int bit = __builtin_ctzll(pending);

		pending &= pending - 1;
		tx_flush(w, bit + 1);
	}
	w->tx_pending = 0;
}

/* Buffers 'n' packets for 'ofport', flushing whenever the buffer fills. */
static inline void
tx_enqueue(struct nfv_worker *w, uint32_t ofport, struct rte_mbuf **pkts,
	   uint16_t n)
{
	struct nfv_txbuf *b = &w->tx[ofport];

	w->tx_pending |= UINT64_C(1) << (ofport - 1);
	for (uint16_t i = 0; i < n; i++) {
		b->pkts[b->n++] = pkts[i];
		if (unlikely(b->n == NFV_BURST_MAX))
			tx_flush(w, ofport);
	}
}

/* Resolves output 'port' of a packet that came in on 'in_port' into the
 * OpenFlow ports it goes to. Returns how many were written to 'out'. */
static unsigned int
output_ports(const struct nfv_dp *dp, uint32_t port, uint32_t in_port,
	     uint32_t *out)
{
	unsigned int n = 0;

	switch (port) {
	case NFV_OFPP_IN_PORT:
		out[n++] = in_port;
		break;
	case NFV_OFPP_FLOOD:
	case NFV_OFPP_ALL:
		for (uint32_t p = 1; p <= dp->n_ports; p++)
			if (p != in_port)
				out[n++] = p;
		break;
	default:
		/* OpenFlow never sends a packet back out of its input port
		 * unless the action says IN_PORT; the parser guarantees the
		 * port exists. */
		if (port != in_port)
			out[n++] = port;
		break;
	}
	return n;
}

/* Runs 'rule' on a burst of 'n' packets that arrived on 'in_port'. */
static void
burst_run(struct nfv_worker *w, const struct nfv_rule *rule, uint32_t in_port,
	  struct rte_mbuf **pkts, uint16_t n)
{
	const struct nfv_flow_spec *spec = &rule->spec;
	struct nfv_rule_stats *rs = &rule->stats[w->id];
	uint32_t outs[NFV_MAX_PORTS * NFV_FLOW_MAX_ACTIONS];
	unsigned int n_outs = 0;
	uint64_t bytes = 0;

	for (uint16_t i = 0; i < n; i++)
		bytes += rte_pktmbuf_pkt_len(pkts[i]);
	rs->n_packets += n;
	rs->n_bytes += bytes;

	for (unsigned int a = 0; a < spec->n_actions; a++)
		n_outs += output_ports(w->dp, spec->actions[a].arg.port,
				       in_port, &outs[n_outs]);
	if (unlikely(n_outs == 0)) {
		drop_burst(w, pkts, n, spec->n_actions ? NFV_DROP_IN_PORT :
							 NFV_DROP_ACTION_DROP);
		return;
	}
	/* Every extra output shares the same mbufs: take references first,
	 * then hand one to each output. */
	if (n_outs > 1)
		for (uint16_t i = 0; i < n; i++)
			rte_mbuf_refcnt_update(pkts[i], n_outs - 1);
	for (unsigned int o = 0; o < n_outs; o++)
		tx_enqueue(w, outs[o], pkts, n);
}

int
nfv_worker_main(void *arg)
{
	struct nfv_worker *w = arg;
	const struct nfv_dp *dp = w->dp;
	struct rte_mbuf *pkts[NFV_BURST_MAX];

	rte_rcu_qsbr_thread_register(dp->qsbr, w->id);
	rte_rcu_qsbr_thread_online(dp->qsbr, w->id);

	while (!w->stop) {
		const struct nfv_table_snap *snap =
			nfv_pipeline_snap(dp->pipeline);
		uint64_t start = rte_rdtsc();
		uint32_t n_rx = 0;

		for (unsigned int q = 0; q < w->n_rxq; q++) {
			struct nfv_port *port = w->rxqs[q].port;
			const struct nfv_rule *rule;
			uint16_t n;

			n = rte_eth_rx_burst(port->port_id, w->rxqs[q].queue,
					     pkts, NFV_BURST_MAX);
			if (n == 0)
				continue;
			n_rx += n;
			rule = snap->by_in_port[port->ofport];
			if (unlikely(rule == NULL))
				drop_burst(w, pkts, n, NFV_DROP_NO_MATCH);
			else
				burst_run(w, rule, port->ofport, pkts, n);
		}
		if (w->tx_pending)
			tx_flush_all(w);
		/* Past this point the worker holds nothing from 'snap'. */
		rte_rcu_qsbr_quiescent(dp->qsbr, w->id);

		if (n_rx) {
			w->stats.rx_packets += n_rx;
			w->stats.busy_cycles += rte_rdtsc() - start;
		} else {
			w->stats.idle_cycles += rte_rdtsc() - start;
		}
	}

	rte_rcu_qsbr_thread_offline(dp->qsbr, w->id);
	rte_rcu_qsbr_thread_unregister(dp->qsbr, w->id);
	return 0;
}
