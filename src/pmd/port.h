/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ports: any DPDK device named by devargs (a PCI address of a PF or an
 * SR-IOV VF, or a vdev such as net_af_packet, net_pcap, net_ring, net_null,
 * net_tap, net_vhost, net_memif), probed at start, configured with the
 * config's queues, rings and MTU, and numbered as OpenFlow ports 1..N.
 *
 * Tx queues: each worker wants its own tx queue on every port. A device
 * with fewer tx queues than workers (net_af_packet has one per qpair) gets
 * shared queues: worker w uses queue w % n_txq, and 'txq_shared' tells
 * workers to take that queue's spinlock around rte_eth_tx_burst(). The lock
 * is only ever taken by workers, never by the control thread.
 *
 * Everything here runs on the control thread.
 */
#ifndef NFV_PORT_H
#define NFV_PORT_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_spinlock.h>

#include "config.h"

struct rte_mempool;

struct nfv_port_stats {
	uint64_t rx_packets, rx_bytes, rx_dropped, rx_errors;
	uint64_t tx_packets, tx_bytes, tx_dropped, tx_errors;
};

struct nfv_port {
	/* Set at probe/start, read-only while workers run. */
	char name[NFV_PORT_NAME_MAX];
	char *devargs;
	char driver[32];
	uint32_t ofport;                /* OpenFlow port number, 1..N */
	uint16_t port_id;               /* DPDK ethdev port id */
	int socket;                     /* NUMA socket of the device */
	uint16_t n_rxq;
	uint16_t n_txq;
	uint16_t rx_desc, tx_desc;
	uint16_t mtu;
	bool txq_shared;                /* fewer tx queues than workers */
	bool probed, started;
	rte_spinlock_t txq_lock[NFV_MAX_WORKERS];
	/* Control thread: last link state seen. */
	bool link_up;
	uint32_t link_speed;            /* Mbps */
};

/* Probes the device of 'cfg' (hot-plugging a vdev or a PCI device) and
 * fills 'port' as OpenFlow port 'ofport'. Returns 0 or -errno with a
 * message naming the port in 'err' (NFV_CONFIG_ERR_MAX bytes). */
int nfv_port_probe(const struct nfv_port_config *cfg, uint32_t ofport,
		   struct nfv_port *port, char *err);

/* Configures and starts 'port' with its rx queues and up to 'n_workers'
 * tx queues (one per worker and one for the control thread's packet-outs:
 * the caller counts it in), taking rx buffers from 'pool'. Returns 0 or -errno with a
 * message in 'err'. */
int nfv_port_start(struct nfv_port *port, unsigned int n_workers,
		   struct rte_mempool *pool, char *err);

/* Stops, closes and detaches 'port' (whatever of that was done). */
void nfv_port_close(struct nfv_port *port);

/* Reads the link; returns true if its state changed since the last call. */
bool nfv_port_update_link(struct nfv_port *port);

/* Reads the device counters into 'st' (tx_dropped excludes the workers'
 * own tx drops, which the caller adds). Returns 0 or -errno. */
int nfv_port_read_stats(const struct nfv_port *port, struct nfv_port_stats *st);

#endif /* NFV_PORT_H */
