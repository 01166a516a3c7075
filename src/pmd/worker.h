/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PMD workers: one poll-mode thread per configured core. Each iteration
 * polls the worker's rx queues in bursts and runs every burst through the
 * stages of the datapath:
 *
 *   parse -> EMC (exact key) -> megaflow cache (wildcard) -> table walk
 *   (miss path, under a per-iteration budget) -> actions, batched per
 *   megaflow -> per-port tx buffers, flushed once per iteration
 *
 * and then reports an RCU quiescent state: between two of them it may hold
 * pointers into the tables, the megaflows and the groups, never after.
 *
 * A worker's struct is written only by that worker once it runs, except
 * 'stop' (control thread). The control thread reads the counters to show
 * them and keeps its own baseline to "clear" them; it reads and kills the
 * worker's megaflows only through mfc.h's seqlock protocol.
 */
#ifndef NFV_WORKER_H
#define NFV_WORKER_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_mbuf.h>

#include "apps.h"
#include "nfv_common.h"
#include "mfc.h"
#include "xlate.h"

struct nfv_port;
struct nfv_pipeline;
struct nfv_groups;
struct nfv_mac_table;
struct nfv_emc;
struct nfv_mfc;
struct rte_rcu_qsbr;
struct rte_ring;
struct rte_mempool;

/* Why a packet was dropped; the names are what nfvctl prints. */
#define NFV_DROP_REASONS(X)                                                 \
	X(NO_MATCH, "no-match", "table miss without a table-miss rule")    \
	X(ACTION_DROP, "action-drop", "rule with no output (drop)")        \
	X(TX_FULL, "tx-full", "tx queue did not take the packet")          \
	X(IN_PORT, "in-port", "output to the input port without IN_PORT")  \
	X(TTL, "ttl-expired", "dec_ttl on a TTL of 0 or 1")                \
	X(UPCALL_BUDGET, "upcall-budget", "table walks over the iteration budget") \
	X(MFC_FULL, "mfc-full", "no megaflow slot for a new flow")         \
	X(XLATE, "xlate-error", "walk too long or too many actions")       \
	X(EDIT, "edit-failed", "header edit impossible on this packet")    \
	X(NO_MBUF, "no-mbuf", "no mbuf to copy a packet for an output")    \
	X(PKTIN_RATE, "pktin-rate", "packet-in over the rate limit")       \
	X(PKTIN_FULL, "pktin-full", "packet-in ring full")                 \
	X(NO_PORT, "no-port", "output to a port that cannot send")         \
	X(GROUP, "group", "group missing or without a live bucket")        \
	X(FRAG, "ip-fragment", "IP fragment, dropped by OFPC_FRAG_DROP")   \
	X(NO_RECV, "port-no-recv", "received on a port set no-receive")

enum nfv_drop_reason {
#define NFV_DROP_ENUM(id, name, doc) NFV_DROP_##id,
	NFV_DROP_REASONS(NFV_DROP_ENUM)
#undef NFV_DROP_ENUM
	NFV_DROP_N
};

/* Returns the short name of 'r' ("no-match"). */
const char *nfv_drop_reason_name(enum nfv_drop_reason r);

/* Stages whose cycles are counted per worker. */
enum nfv_stage {
	NFV_STAGE_RX,
	NFV_STAGE_PARSE,
	NFV_STAGE_LOOKUP,       /* EMC and megaflow cache */
	NFV_STAGE_UPCALL,       /* table walks */
	NFV_STAGE_ACTIONS,
	NFV_STAGE_TX,
	NFV_STAGE_N
};
const char *nfv_stage_name(enum nfv_stage s);

struct nfv_worker_stats {
	uint64_t rx_packets;
	uint64_t tx_packets;
	uint64_t busy_cycles;   /* iterations that received packets */
	uint64_t idle_cycles;   /* iterations that received nothing */
	uint64_t emc_hits;
	uint64_t mfc_hits;
	uint64_t upcalls;       /* table walks */
	uint64_t pktin;         /* packets sent to the control thread */
	uint64_t malformed;     /* packets the parser flagged */
	uint64_t stage_cycles[NFV_STAGE_N];
	uint64_t drops[NFV_DROP_N];
	uint64_t tx_dropped[NFV_MAX_PORTS + 1]; /* per OpenFlow port */
	uint64_t pktin_app_limited[NFV_APP_N];  /* over an app's rate */
};

struct nfv_rxq_ref {
	struct nfv_port *port;
	uint16_t queue;
};

struct nfv_txbuf {
	uint16_t n;
	struct rte_mbuf *pkts[NFV_BURST_MAX];
};

/* Per-port state that workers read and the control thread writes. */
struct nfv_port_dp {
	bool no_fwd;            /* PORT_MOD: do not forward out of it */
	bool no_flood;          /* excluded from FLOOD */
	bool no_recv;           /* PORT_MOD: drop what it receives */
	bool link_up;
};

/* What the workers share, read-only while they run (except where noted). */
struct nfv_dp {
	struct nfv_port *ports;         /* OpenFlow port p is ports[p - 1] */
	unsigned int n_ports;
	struct nfv_port_dp port_state[NFV_MAX_PORTS + 1]; /* control writes */
	struct nfv_pipeline *pipeline;
	struct nfv_groups *groups;
	struct nfv_mac_table *macs;
	struct rte_rcu_qsbr *qsbr;      /* thread id = worker id */
	struct rte_mempool *copy_pool;  /* for packet copies */
	unsigned int upcall_budget;     /* table walks per iteration */
	uint64_t mf_idle_ms;            /* megaflow idle timeout */
	uint32_t pktin_rate;            /* packet-ins per second per worker */
	uint32_t pktin_burst;
	uint32_t app_pktin_rate;        /* per app per worker */
	uint32_t app_pktin_burst;
	bool ttl_to_controller;         /* invalid TTL -> packet-in */
	bool ttl_to_apps;               /* the same, for the L3 app */
	bool frag_drop;                 /* SET_CONFIG OFPC_FRAG_DROP */
	uint16_t miss_send_len;
};

/* Packet-ins are limited per consumer: per reason (no-match, action,
 * invalid TTL) for OpenFlow controllers, and per local-controller app
 * (by the rule's cookie), each with its own token bucket. */
#define NFV_PKTIN_N_REASONS 3
#define NFV_PKTIN_N_BUCKETS (NFV_PKTIN_N_REASONS + NFV_APP_N)

struct nfv_token_bucket {
	uint64_t tokens;        /* milli-packets */
	uint64_t last_ms;
};

/* Packet-in metadata, carried in an mbuf dynamic field. */
struct nfv_pktin_meta {
	uint64_t cookie;
	uint64_t metadata;
	uint32_t in_port;
	uint16_t max_len;
	uint8_t reason;
	uint8_t table_id;
};

/* Registers the mbuf dynamic field for packet-in metadata; once, before
 * workers start. Returns 0 or -errno. */
int nfv_pktin_dynfield_register(void);
/* The packet-in metadata of 'm'. */
struct nfv_pktin_meta *nfv_pktin_meta(struct rte_mbuf *m);

struct nfv_worker {
	/* Set before launch, read-only afterwards. */
	unsigned int id;
	unsigned int lcore;
	int socket;
	const struct nfv_dp *dp;
	struct nfv_emc *emc;
	struct nfv_mfc *mfc;
	struct rte_ring *pktin_ring;    /* worker -> control thread */
	unsigned int n_rxq;
	struct nfv_rxq_ref rxqs[NFV_MAX_PORTS * NFV_MAX_RXQ_PER_PORT];
	/* Written by the control thread, read by the worker. */
	volatile bool stop;
	volatile bool flush_caches;     /* empty EMC and megaflows */
	/* Written by the worker only. */
	struct nfv_worker_stats stats __rte_cache_aligned;
	uint64_t tx_pending;            /* bitmap of ports with buffered tx */
	uint64_t now_ms;                /* refreshed every iteration */
	uint64_t last_sweep_ms;
	uint64_t tsc_per_ms;
	struct nfv_token_bucket pktin_tb[NFV_PKTIN_N_BUCKETS];
	unsigned int upcalls_left;      /* this iteration */
	struct nfv_xlate_out xlate;     /* scratch for the miss path */
	struct nfv_megaflow uncached;   /* actions of an uncached walk */
	struct nfv_txbuf tx[NFV_MAX_PORTS + 1] __rte_cache_aligned;
} __rte_cache_aligned;

/* The worker thread's main function (rte_eal_remote_launch) with a
 * struct nfv_worker * argument. Returns 0 when 'stop' is set, after it has
 * transmitted or freed every packet it held. */
int nfv_worker_main(void *arg);

/* Runs 'n' packets received on OpenFlow port 'in_port' through the
 * datapath of worker 'w' (all stages up to the tx buffers). Exposed for
 * tests and packet-out; the worker loop calls it per rx burst. */
void nfv_worker_process(struct nfv_worker *w, uint32_t in_port,
			struct rte_mbuf **pkts, uint16_t n);

/* Sends what the tx buffers hold. */
void nfv_worker_flush(struct nfv_worker *w);

#endif /* NFV_WORKER_H */
