/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PMD workers: one poll-mode thread per configured core. Each polls its rx
 * queues in bursts, classifies against the current table snapshot, runs
 * the actions, buffers output per port and transmits per burst, then
 * reports an RCU quiescent state.
 *
 * A worker's struct is written only by that worker once it runs, except
 * 'stop' (control thread, relaxed store). The control thread reads the
 * counters to show them and keeps its own baseline to "clear" them.
 */
#ifndef NFV_WORKER_H
#define NFV_WORKER_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_mbuf.h>

#include "nfv_common.h"

struct nfv_port;
struct nfv_pipeline;
struct rte_rcu_qsbr;

/* Why a packet was dropped; the names are what nfvctl prints. */
#define NFV_DROP_REASONS(X)                                                 \
	X(NO_MATCH, "no-match", "table miss without a table-miss rule")    \
	X(ACTION_DROP, "action-drop", "rule with no output (drop)")        \
	X(TX_FULL, "tx-full", "tx queue did not take the packet")          \
	X(IN_PORT, "in-port", "output to the input port without IN_PORT")

enum nfv_drop_reason {
#define NFV_DROP_ENUM(id, name, doc) NFV_DROP_##id,
	NFV_DROP_REASONS(NFV_DROP_ENUM)
#undef NFV_DROP_ENUM
	NFV_DROP_N
};

/* Returns the short name of 'r' ("no-match"). */
const char *nfv_drop_reason_name(enum nfv_drop_reason r);

struct nfv_worker_stats {
	uint64_t rx_packets;
	uint64_t tx_packets;
	uint64_t busy_cycles;   /* iterations that received packets */
	uint64_t idle_cycles;   /* iterations that received nothing */
	uint64_t drops[NFV_DROP_N];
	uint64_t tx_dropped[NFV_MAX_PORTS + 1]; /* per OpenFlow port */
};

struct nfv_rxq_ref {
	struct nfv_port *port;
	uint16_t queue;
};

struct nfv_txbuf {
	uint16_t n;
	struct rte_mbuf *pkts[NFV_BURST_MAX];
};

/* What the workers share, read-only while they run. */
struct nfv_dp {
	struct nfv_port *ports;         /* OpenFlow port p is ports[p - 1] */
	unsigned int n_ports;
	struct nfv_pipeline *pipeline;
	struct rte_rcu_qsbr *qsbr;      /* thread id = worker id */
};

struct nfv_worker {
	/* Set before launch, read-only afterwards. */
	unsigned int id;
	unsigned int lcore;
	int socket;
	const struct nfv_dp *dp;
	unsigned int n_rxq;
	struct nfv_rxq_ref rxqs[NFV_MAX_PORTS * NFV_MAX_RXQ_PER_PORT];
	/* Written by the control thread, read by the worker. */
	volatile bool stop;
	/* Written by the worker only. */
	struct nfv_worker_stats stats __rte_cache_aligned;
	uint64_t tx_pending;            /* bitmap of ports with buffered tx */
	struct nfv_txbuf tx[NFV_MAX_PORTS + 1] __rte_cache_aligned;
} __rte_cache_aligned;

/* The worker thread's main function (rte_eal_remote_launch) with a
 * struct nfv_worker * argument. Returns 0 when 'stop' is set, after it has
 * transmitted or freed every packet it held. */
int nfv_worker_main(void *arg);

#endif /* NFV_WORKER_H */
