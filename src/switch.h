/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The switch as a whole: the glue that owns the ports, the mbuf pools, the
 * OpenFlow tables, the workers, the control loop and the control socket,
 * built from a validated config. main.c creates it after EAL init, runs it
 * and destroys it. Control thread only.
 */
#ifndef NFV_SWITCH_H
#define NFV_SWITCH_H

#include <signal.h>
#include <stdint.h>

#include "config.h"
#include "ctl_server.h"
#include "loop.h"
#include "port.h"
#include "table.h"
#include "worker.h"

struct nfv_apps;
struct rte_mbuf;
struct rte_mempool;
struct rte_rcu_qsbr;

struct nfv_switch {
	const struct nfv_config *cfg;
	uint64_t start_ms;
	struct nfv_port ports[NFV_MAX_PORTS];   /* OpenFlow port p: [p - 1] */
	unsigned int n_ports;
	struct rte_mempool *pools[NFV_MAX_PORTS]; /* one per NUMA socket */
	unsigned int n_pools;
	struct rte_rcu_qsbr *qsbr;
	struct nfv_pipeline *pipeline;
	struct nfv_groups *groups;
	struct nfv_mac_table *macs;
	struct nfv_dp dp;
	uint64_t n_pktin;               /* packet-ins taken from workers */
	uint64_t n_invalidated;         /* megaflows killed by changes */
	struct nfv_worker *workers[NFV_MAX_WORKERS];
	unsigned int n_workers;
	/* The control thread's pseudo-worker for packet-out: id n_workers,
	 * its own tx queue on each port, never launched. */
	struct nfv_worker *control;
	uint64_t datapath_id;
	struct nfv_ofproto *ofproto;
	struct nfv_apps *apps;          /* NULL without networks */
	bool workers_running;
	bool workers_ran;
	/* What "pmd-stats-clear" subtracts; workers' counters never reset. */
	struct nfv_worker_stats baseline[NFV_MAX_WORKERS];
	struct nfv_loop *loop;
	struct nfv_ctl_server *ctl;
};

/* Builds the switch of 'cfg' (which must outlive it): probes and starts
 * ports, creates pools, tables and the config's flows, assigns rx queues to
 * workers. EAL must be initialised. Returns 0, or -errno with a message
 * in 'err' (NFV_CONFIG_ERR_MAX bytes) and nothing left allocated. */
int nfv_switch_create(const struct nfv_config *cfg, struct nfv_switch **out,
		      char *err);

/* Opens the control socket and launches the workers. Returns 0 or -errno
 * with a message in 'err'. */
int nfv_switch_start(struct nfv_switch *sw, char *err);

/* Runs the control loop until nfv_switch_stop(), a "shutdown" request or
 * '*stop' becomes true (set by a signal handler: it wakes the loop within
 * its 100 ms wait). */
void nfv_switch_run(struct nfv_switch *sw, volatile sig_atomic_t *stop);

/* Asks the control loop to return; async-signal-safe. */
void nfv_switch_stop(struct nfv_switch *sw);

/* Stops the workers, drains and closes the ports, checks that every mbuf
 * came back to its pool, frees everything (NULL-safe). Returns the number
 * of mbufs that did not come back (0 when all is well). */
unsigned int nfv_switch_destroy(struct nfv_switch *sw);

/* Parses flow text 'text' with this switch's port names, checking that
 * output ports exist. Returns 0 or -EINVAL with a message in 'err'
 * (NFV_FLOW_ERR_MAX bytes). */
int nfv_switch_parse_flow(struct nfv_switch *sw, const char *text,
			  enum nfv_flow_parse_mode mode,
			  struct nfv_flow_spec *spec, char *err);

/* Deletes group 'group_id' (NFV_OFPG_ALL: every group) and, first, the
 * flows that use it, and commits both. Returns the number of groups. */
unsigned int nfv_switch_group_del(struct nfv_switch *sw, uint32_t group_id);

/* Runs 'm' (received on 'in_port', from the controller or an app)
 * through the actions 'acts' on the control thread's pseudo-worker and
 * sends what comes out; output:TABLE sends it through the tables instead.
 * Consumes 'm'. What OpenFlow PACKET_OUT and the apps use. */
void nfv_switch_run_packet(struct nfv_switch *sw, struct rte_mbuf *m,
			   uint32_t in_port, const struct nfv_action *acts,
			   unsigned int n_acts);

/* Registers the switch's nfvctl commands (switch_ctl.c). */
int nfv_switch_ctl_register(struct nfv_switch *sw);

/* OpenFlow number of the port named 'name', or -ENOENT. */
int nfv_switch_port_by_name(void *sw, const char *name);

/* Port name of OpenFlow port 'ofport', or NULL. */
const char *nfv_switch_port_name(void *sw, uint32_t ofport);

#endif /* NFV_SWITCH_H */
