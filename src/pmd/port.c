/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ports: probing devices by devargs, configuring queues, rings and MTU,
 * starting, link state and counters. Control thread only; workers use the
 * fields of struct nfv_port that port.h marks read-only.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_mempool.h>

#include "nfv_log.h"
#include "port.h"

#define PORT_ERR(err, port, ...)                                              \
	do {                                                                  \
		int n_ = snprintf(err, NFV_CONFIG_ERR_MAX, "port %s: ",       \
				  (port)->name);                              \
		snprintf(err + n_, NFV_CONFIG_ERR_MAX - n_, __VA_ARGS__);     \
	} while (0)

/* Finds the ethdev that 'devargs' created, or returns -ENODEV. */
static int
port_find(const char *devargs, uint16_t *port_id)
{
	struct rte_dev_iterator it;
	uint16_t id;

	RTE_ETH_FOREACH_MATCHING_DEV(id, devargs, &it) {
		*port_id = id;
		rte_eth_iterator_cleanup(&it);
		return 0;
	}
	return -ENODEV;
}

int
nfv_port_probe(const struct nfv_port_config *cfg, uint32_t ofport,
	       struct nfv_port *port, char *err)
{
	struct rte_eth_dev_info info;
	int ret;

	memset(port, 0, sizeof(*port));
	snprintf(port->name, sizeof(port->name), "%s", cfg->name);
	port->devargs = cfg->devargs;
	port->ofport = ofport;
	port->n_rxq = cfg->rx_queues;
	port->rx_desc = cfg->rx_desc;
	port->tx_desc = cfg->tx_desc;
	port->mtu = cfg->mtu;
	for (unsigned int i = 0; i < NFV_MAX_WORKERS; i++)
		rte_spinlock_init(&port->txq_lock[i]);

	/* A PCI device already probed at EAL init matches directly. */
	if (port_find(cfg->devargs, &port->port_id) < 0) {
		ret = rte_dev_probe(cfg->devargs);
		if (ret < 0) {
			PORT_ERR(err, port, "cannot probe device '%s': %s",
				 cfg->devargs, strerror(-ret));
			return ret;
		}
		port->probed = true;
		ret = port_find(cfg->devargs, &port->port_id);
		if (ret < 0) {
			PORT_ERR(err, port,
				 "device '%s' probed but has no ethdev port",
				 cfg->devargs);
			return ret;
		}
	}
	ret = rte_eth_dev_info_get(port->port_id, &info);
	if (ret < 0) {
		PORT_ERR(err, port, "cannot read device info: %s",
			 strerror(-ret));
		return ret;
	}
	snprintf(port->driver, sizeof(port->driver), "%s", info.driver_name);
	port->socket = rte_eth_dev_socket_id(port->port_id);
	if (port->socket < 0)
		port->socket = 0;
	return 0;
}

int
nfv_port_start(struct nfv_port *port, unsigned int n_workers,
	       struct rte_mempool *pool, char *err)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	uint16_t id = port->port_id;
	uint16_t rx_desc = port->rx_desc, tx_desc = port->tx_desc;
	int ret;

	ret = rte_eth_dev_info_get(id, &info);
	if (ret < 0) {
		PORT_ERR(err, port, "cannot read device info: %s",
			 strerror(-ret));
		return ret;
	}
	if (port->n_rxq > info.max_rx_queues) {
		PORT_ERR(err, port,
			 "rx_queues is %u but device '%s' has at most %u",
			 port->n_rxq, port->devargs, info.max_rx_queues);
		return -EINVAL;
	}
	if (port->mtu > info.max_mtu || port->mtu < info.min_mtu) {
		PORT_ERR(err, port, "mtu %u is outside the device's %u..%u",
			 port->mtu, info.min_mtu, info.max_mtu);
		return -EINVAL;
	}
	port->n_txq = RTE_MIN(n_workers, (unsigned int)info.max_tx_queues);
	port->txq_shared = port->n_txq < n_workers;
	if (port->txq_shared)
		NFV_LOG(NOTICE, "port %s: %u tx queues for %u users (workers "
			"and the control thread): shared under a lock",
			port->name, port->n_txq, n_workers);

	conf.rxmode.mtu = port->mtu;
	if (port->n_rxq > 1) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf =
			(RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP) &
			info.flow_type_rss_offloads;
	}
	/* No MBUF_FAST_FREE: several outputs share an mbuf by refcount. */

	ret = rte_eth_dev_configure(id, port->n_rxq, port->n_txq, &conf);
	if (ret < 0) {
		PORT_ERR(err, port, "configure failed: %s", strerror(-ret));
		return ret;
	}
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(id, &rx_desc, &tx_desc);
	if (ret < 0) {
		PORT_ERR(err, port, "ring sizes rejected: %s", strerror(-ret));
		return ret;
	}
	for (uint16_t q = 0; q < port->n_rxq; q++) {
		ret = rte_eth_rx_queue_setup(id, q, rx_desc, port->socket,
					     NULL, pool);
		if (ret < 0) {
			PORT_ERR(err, port, "rx queue %u setup failed: %s", q,
				 strerror(-ret));
			return ret;
		}
	}
	for (uint16_t q = 0; q < port->n_txq; q++) {
		ret = rte_eth_tx_queue_setup(id, q, tx_desc, port->socket,
					     NULL);
		if (ret < 0) {
			PORT_ERR(err, port, "tx queue %u setup failed: %s", q,
				 strerror(-ret));
			return ret;
		}
	}
	ret = rte_eth_dev_start(id);
	if (ret < 0) {
		PORT_ERR(err, port, "start failed: %s", strerror(-ret));
		return ret;
	}
	port->started = true;
	/* Promiscuous mode is what a switch port needs; not every vdev has
	 * it, and those already see every frame. */
	rte_eth_promiscuous_enable(id);
	nfv_port_update_link(port);
	NFV_LOG(INFO, "port %s: ofport %u, %s (%s), %u rxq, %u txq, "
		"rings %u/%u, mtu %u, link %s", port->name, port->ofport,
		port->devargs, port->driver, port->n_rxq, port->n_txq,
		rx_desc, tx_desc, port->mtu, port->link_up ? "up" : "down");
	return 0;
}

void
nfv_port_close(struct nfv_port *port)
{
	struct rte_eth_dev_info info;
	struct rte_device *dev = NULL;

	if (!port->probed && !port->started)
		return;
	if (rte_eth_dev_info_get(port->port_id, &info) == 0)
		dev = info.device;
	if (port->started) {
		rte_eth_dev_stop(port->port_id);
		port->started = false;
	}
	rte_eth_dev_close(port->port_id);
	if (port->probed && dev != NULL)
		rte_dev_remove(dev);
	port->probed = false;
}

bool
nfv_port_update_link(struct nfv_port *port)
{
	struct rte_eth_link link;
	bool changed;

	if (rte_eth_link_get_nowait(port->port_id, &link) < 0)
		return false;
	changed = port->link_up != (link.link_status == RTE_ETH_LINK_UP);
	port->link_up = link.link_status == RTE_ETH_LINK_UP;
	port->link_speed = link.link_speed == RTE_ETH_SPEED_NUM_UNKNOWN ?
			   0 : link.link_speed;
	return changed;
}

int
nfv_port_read_stats(const struct nfv_port *port, struct nfv_port_stats *st)
{
	struct rte_eth_stats s;
	int ret = rte_eth_stats_get(port->port_id, &s);

	if (ret < 0)
		return ret;
	st->rx_packets = s.ipackets;
	st->rx_bytes = s.ibytes;
	st->rx_dropped = s.imissed + s.rx_nombuf;
	st->rx_errors = s.ierrors;
	st->tx_packets = s.opackets;
	st->tx_bytes = s.obytes;
	st->tx_dropped = 0;
	st->tx_errors = s.oerrors;
	return 0;
}
