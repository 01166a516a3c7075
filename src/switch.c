/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Lifecycle of the switch: build it from a config (pools, ports, tables,
 * rx queue assignment), start the workers and the control socket, run the
 * control loop with its periodic work (link state, flow timeouts), and
 * take it all down again with every mbuf back in its pool.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "apps.h"
#include "emc.h"
#include "exec.h"
#include "group.h"
#include "mac_learn.h"
#include "mfc.h"
#include "nfv_log.h"
#include "ofproto.h"
#include "switch.h"
#include "xlate.h"

#define SWITCH_TICK_MS 1000
#define SWITCH_POOL_CACHE 256
#define SWITCH_PKTIN_RING 1024
#define SWITCH_PKTIN_MS 1

int
nfv_switch_port_by_name(void *arg, const char *name)
{
	struct nfv_switch *sw = arg;

	for (unsigned int i = 0; i < sw->n_ports; i++)
		if (strcmp(sw->ports[i].name, name) == 0)
			return (int)sw->ports[i].ofport;
	return -ENOENT;
}

const char *
nfv_switch_port_name(void *arg, uint32_t ofport)
{
	struct nfv_switch *sw = arg;

	if (ofport == 0 || ofport > sw->n_ports)
		return NULL;
	return sw->ports[ofport - 1].name;
}

int
nfv_switch_parse_flow(struct nfv_switch *sw, const char *text,
		      enum nfv_flow_parse_mode mode,
		      struct nfv_flow_spec *spec, char *err)
{
	int ret = nfv_flow_parse(text, mode, nfv_switch_port_by_name, sw, spec,
				 err);

	if (ret < 0)
		return ret;
	for (unsigned int i = 0; i < spec->n_actions; i++) {
		uint32_t port = spec->actions[i].arg.port;

		if (spec->actions[i].type == NFV_ACT_OUTPUT &&
		    port < NFV_OFPP_MAX && (port == 0 || port > sw->n_ports)) {
			snprintf(err, NFV_FLOW_ERR_MAX,
				 "output:%u: no such port (ports are 1..%u)",
				 port, sw->n_ports);
			return -EINVAL;
		}
	}
	return 0;
}

void
nfv_switch_run_packet(struct nfv_switch *sw, struct rte_mbuf *m,
		      uint32_t in_port, const struct nfv_action *acts,
		      unsigned int n_acts)
{
	struct nfv_worker *w = sw->control;
	struct nfv_megaflow *mf = &w->uncached;
	struct nfv_flow_key key;
	struct nfv_pkt_meta meta;
	bool to_table = false;
	uint16_t idx = 0;

	nfv_parse_mbuf(m, in_port, &key, &meta);
	w->now_ms = nfv_now_ms();
	for (unsigned int i = 0; i < n_acts; i++)
		if (acts[i].type == NFV_ACT_OUTPUT &&
		    acts[i].arg.port == NFV_OFPP_TABLE)
			to_table = true;
	if (to_table) {
		/* Through the pipeline as if it had come in on 'in_port';
		 * other actions of the list are ignored, as Open vSwitch does
		 * when output:TABLE is given. */
		nfv_xlate(sw->pipeline, &key, 0, &w->xlate);
		nfv_exec_uncached(w, in_port, &m, &key, &meta, 0);
	} else {
		mf->n_actions = n_acts;
		memcpy(mf->actions, acts, n_acts * sizeof(mf->actions[0]));
		mf->n_pktin = 0;
		mf->miss = false;
		nfv_exec_megaflow(w, in_port, mf, &m, &key, &meta, &idx, 1);
	}
	nfv_worker_flush(w);
}

/* Returns the pool for NUMA socket 'socket', creating it on first use. */
static struct rte_mempool *
pool_for_socket(struct nfv_switch *sw, int socket, char *err)
{
	const struct nfv_config *cfg = sw->cfg;
	char name[RTE_MEMPOOL_NAMESIZE];
	struct rte_mempool *mp;
	size_t elt = nfv_config_mbuf_size(cfg);
	/* nfv_config_mbuf_size() counts the mbuf header, the headroom and
	 * the mempool's own header; what is left is the data room. */
	uint16_t data_room = elt - sizeof(struct rte_mbuf) - 64;

	for (unsigned int i = 0; i < sw->n_pools; i++)
		if (sw->pools[i]->socket_id == socket)
			return sw->pools[i];
	snprintf(name, sizeof(name), "nfv_mbuf_s%d", socket);
	mp = rte_pktmbuf_pool_create(name,
				     nfv_config_mbufs_needed(cfg, sw->n_workers + 1),
				     SWITCH_POOL_CACHE, 0, data_room, socket);
	if (mp == NULL) {
		snprintf(err, NFV_CONFIG_ERR_MAX,
			 "cannot create mbuf pool of %u mbufs of %zu bytes on "
			 "socket %d: %s",
			 nfv_config_mbufs_needed(cfg, sw->n_workers + 1), elt,
			 socket, rte_strerror(rte_errno));
		return NULL;
	}
	sw->pools[sw->n_pools++] = mp;
	return mp;
}

static int
worker_caches_create(struct nfv_switch *sw, struct nfv_worker *w, char *err)
{
	const struct nfv_config *cfg = sw->cfg;
	char name[RTE_RING_NAMESIZE];

	snprintf(name, sizeof(name), "nfv_pktin_%u", w->id);
	w->pktin_ring = rte_ring_create(name, SWITCH_PKTIN_RING, w->socket,
					RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (nfv_emc_create(cfg->emc_entries, cfg->emc_insert_inv_prob,
			   &w->emc) < 0 ||
	    nfv_mfc_create(cfg->megaflows, &w->mfc) < 0 ||
	    w->pktin_ring == NULL) {
		snprintf(err, NFV_CONFIG_ERR_MAX,
			 "cannot allocate the caches of worker %u", w->id);
		return -ENOMEM;
	}
	return 0;
}

static void
worker_free(struct nfv_worker *w)
{
	struct rte_mbuf *m;

	if (w == NULL)
		return;
	nfv_emc_destroy(w->emc);
	nfv_mfc_destroy(w->mfc);
	if (w->pktin_ring != NULL) {
		while (rte_ring_sc_dequeue(w->pktin_ring, (void **)&m) == 0)
			rte_pktmbuf_free(m);
		rte_ring_free(w->pktin_ring);
	}
	rte_free(w);
}

static int
workers_create(struct nfv_switch *sw, char *err)
{
	const struct nfv_config *cfg = sw->cfg;
	size_t qsbr_size = rte_rcu_qsbr_get_memsize(cfg->n_pmd_cores);

	sw->qsbr = rte_zmalloc("nfv_qsbr", qsbr_size, RTE_CACHE_LINE_SIZE);
	if (sw->qsbr == NULL ||
	    rte_rcu_qsbr_init(sw->qsbr, cfg->n_pmd_cores) < 0) {
		snprintf(err, NFV_CONFIG_ERR_MAX, "cannot create RCU state");
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < cfg->n_pmd_cores; i++) {
		unsigned int lcore = cfg->pmd_cores[i];
		struct nfv_worker *w;

		if (!rte_lcore_is_enabled(lcore) ||
		    lcore == rte_get_main_lcore()) {
			snprintf(err, NFV_CONFIG_ERR_MAX,
				 "pmd_cores[%u]: core %u is not a worker lcore "
				 "of EAL (main lcore is %u; give EAL -l with "
				 "the pmd cores)", i, lcore,
				 rte_get_main_lcore());
			return -EINVAL;
		}
		w = rte_zmalloc_socket("nfv_worker", sizeof(*w),
				       RTE_CACHE_LINE_SIZE,
				       rte_lcore_to_socket_id(lcore));
		if (w == NULL) {
			snprintf(err, NFV_CONFIG_ERR_MAX,
				 "cannot allocate worker for core %u", lcore);
			return -ENOMEM;
		}
		w->id = i;
		w->lcore = lcore;
		w->socket = rte_lcore_to_socket_id(lcore);
		w->dp = &sw->dp;
		sw->workers[sw->n_workers++] = w;
		if (worker_caches_create(sw, w, err) < 0)
			return -ENOMEM;
	}
	sw->control = rte_zmalloc("nfv_control", sizeof(*sw->control),
				  RTE_CACHE_LINE_SIZE);
	if (sw->control == NULL) {
		snprintf(err, NFV_CONFIG_ERR_MAX,
			 "cannot allocate the control thread's datapath");
		return -ENOMEM;
	}
	sw->control->id = sw->n_workers;
	sw->control->lcore = rte_get_main_lcore();
	sw->control->dp = &sw->dp;
	if (worker_caches_create(sw, sw->control, err) < 0)
		return -ENOMEM;
	return 0;
}

/* Gives every rx queue of every port to exactly one worker, round-robin
 * (shown by pmd-rxq-show). */
static void
rxqs_assign(struct nfv_switch *sw)
{
	unsigned int next = 0;

	for (unsigned int p = 0; p < sw->n_ports; p++) {
		for (uint16_t q = 0; q < sw->ports[p].n_rxq; q++) {
			struct nfv_worker *w = sw->workers[next++ %
							   sw->n_workers];

			w->rxqs[w->n_rxq].port = &sw->ports[p];
			w->rxqs[w->n_rxq].queue = q;
			w->n_rxq++;
		}
	}
}

static int
flows_add(struct nfv_switch *sw, char *err)
{
	const struct nfv_config *cfg = sw->cfg;
	char why[NFV_FLOW_ERR_MAX];
	int ret;

	for (unsigned int i = 0; i < cfg->n_flows; i++) {
		struct nfv_flow_spec spec;

		ret = nfv_switch_parse_flow(sw, cfg->flows[i],
					    NFV_FLOW_PARSE_ADD, &spec, why);
		if (ret < 0) {
			snprintf(err, NFV_CONFIG_ERR_MAX, "flows[%u]: %s", i,
				 why);
			return ret;
		}
		ret = nfv_pipeline_add(sw->pipeline, &spec);
		if (ret < 0) {
			snprintf(err, NFV_CONFIG_ERR_MAX, "flows[%u]: %s", i,
				 strerror(-ret));
			return ret;
		}
	}
	nfv_pipeline_commit(sw->pipeline);
	return 0;
}

struct inval_ctx {
	const struct nfv_table_change *changes;
	unsigned int n_changes;
	bool all;
};

static bool
inval_visit(void *arg, const struct nfv_megaflow *mf)
{
	const struct inval_ctx *c = arg;

	if (c->all)
		return true;
	for (unsigned int i = 0; i < c->n_changes; i++)
		if (nfv_xlate_affected(mf->versions, mf->n_versions,
				       mf->any_change_invalidates,
				       c->changes[i].table_id,
				       &c->changes[i].match))
			return true;
	return false;
}

/* Kills every cached megaflow that a table change can affect (called by
 * nfv_pipeline_commit() between its two grace periods). */
static void
invalidate(void *arg, const struct nfv_table_change *changes,
	   unsigned int n_changes, bool all)
{
	struct nfv_switch *sw = arg;
	struct inval_ctx c = { changes, n_changes, all };

	for (unsigned int i = 0; i < sw->n_workers; i++)
		sw->n_invalidated += nfv_mfc_foreach(sw->workers[i]->mfc,
						     inval_visit, &c);
}

static void
rule_removed(void *arg, const struct nfv_rule *rule,
	     enum nfv_rule_removed_reason reason, uint64_t n_packets,
	     uint64_t n_bytes)
{
	struct nfv_switch *sw = arg;

	if (sw->ofproto != NULL)
		nfv_ofproto_flow_removed(sw->ofproto, rule, reason, n_packets,
					 n_bytes);
}

/* The datapath id: the first port's MAC address in the low 48 bits, as
 * Open vSwitch derives it, or 1. */
static uint64_t
datapath_id_of(const struct nfv_switch *sw)
{
	struct rte_ether_addr mac;
	uint64_t id = 0;

	if (sw->n_ports == 0 ||
	    rte_eth_macaddr_get(sw->ports[0].port_id, &mac) < 0)
		return 1;
	for (int i = 0; i < 6; i++)
		id = id << 8 | mac.addr_bytes[i];
	return id ? id : 1;
}

int
nfv_switch_create(const struct nfv_config *cfg, struct nfv_switch **out,
		  char *err)
{
	struct nfv_switch *sw = calloc(1, sizeof(*sw));
	int ret;

	if (sw == NULL) {
		snprintf(err, NFV_CONFIG_ERR_MAX, "out of memory");
		return -ENOMEM;
	}
	sw->cfg = cfg;
	sw->start_ms = nfv_now_ms();

	ret = workers_create(sw, err);
	if (ret < 0)
		goto out_destroy;
	for (unsigned int i = 0; i < cfg->n_ports; i++) {
		ret = nfv_port_probe(&cfg->ports[i], i + 1, &sw->ports[i], err);
		sw->n_ports = i + 1;
		if (ret < 0)
			goto out_destroy;
	}
	rxqs_assign(sw);
	for (unsigned int i = 0; i < sw->n_ports; i++) {
		struct rte_mempool *mp = pool_for_socket(sw,
							 sw->ports[i].socket,
							 err);

		if (mp == NULL) {
			ret = -ENOMEM;
			goto out_destroy;
		}
		/* One tx queue per worker, and one for the control thread's
		 * packet-outs. */
		ret = nfv_port_start(&sw->ports[i], sw->n_workers + 1, mp, err);
		if (ret < 0)
			goto out_destroy;
	}
	ret = nfv_pipeline_create(sw->n_workers + 1, sw->qsbr, &sw->pipeline);
	if (ret < 0) {
		snprintf(err, NFV_CONFIG_ERR_MAX, "cannot create tables");
		goto out_destroy;
	}
	nfv_pipeline_set_callbacks(sw->pipeline, invalidate, rule_removed, sw);
	if (nfv_groups_create(sw->n_workers + 1, sw->qsbr, &sw->groups) < 0 ||
	    nfv_mac_table_create(NFV_MAC_DEFAULT_ENTRIES, &sw->macs) < 0 ||
	    nfv_pktin_dynfield_register() < 0) {
		snprintf(err, NFV_CONFIG_ERR_MAX, "cannot create tables");
		ret = -ENOMEM;
		goto out_destroy;
	}
	sw->dp.ports = sw->ports;
	sw->dp.n_ports = sw->n_ports;
	for (unsigned int i = 0; i < sw->n_ports; i++)
		sw->dp.port_state[i + 1].link_up = sw->ports[i].link_up;
	sw->dp.pipeline = sw->pipeline;
	sw->dp.groups = sw->groups;
	sw->dp.macs = sw->macs;
	sw->dp.qsbr = sw->qsbr;
	sw->dp.copy_pool = sw->pools[0];
	sw->dp.upcall_budget = cfg->upcall_budget;
	sw->dp.mf_idle_ms = cfg->megaflow_idle_ms;
	sw->dp.pktin_rate = cfg->pktin_rate;
	sw->dp.pktin_burst = cfg->pktin_burst;
	sw->dp.app_pktin_rate = cfg->app_pktin_rate;
	sw->dp.app_pktin_burst = cfg->app_pktin_burst;
	sw->dp.miss_send_len = 128;
	sw->datapath_id = cfg->datapath_id ? cfg->datapath_id :
					     datapath_id_of(sw);
	ret = flows_add(sw, err);
	if (ret == 0)
		ret = nfv_apps_create(sw, &sw->apps, err);
	if (ret < 0)
		goto out_destroy;
	/* Routers answer expiring TTLs with ICMP time exceeded. */
	sw->dp.ttl_to_apps = sw->apps != NULL && cfg->n_routers > 0;
	*out = sw;
	return 0;

out_destroy:
	nfv_switch_destroy(sw);
	return ret;
}

struct group_ids {
	uint32_t *ids;
	unsigned int n, cap;
};

static void
group_id_visit(void *arg, const struct nfv_group *g)
{
	struct group_ids *gi = arg;

	if (gi->n < gi->cap)
		gi->ids[gi->n++] = g->spec.group_id;
}

unsigned int
nfv_switch_group_del(struct nfv_switch *sw, uint32_t group_id)
{
	struct group_ids gi = { .ids = &group_id, .n = 1, .cap = 1 };
	struct nfv_flow_spec filter;
	unsigned int n = 0;

	if (group_id == NFV_OFPG_ALL) {
		gi.cap = nfv_groups_count(sw->groups);
		gi.n = 0;
		gi.ids = malloc((gi.cap ? gi.cap : 1) * sizeof(gi.ids[0]));
		if (gi.ids == NULL)
			return 0;
		nfv_groups_dump(sw->groups, group_id_visit, &gi);
	}
	/* OpenFlow 1.3, 6.5: the flows that use a deleted group go too. */
	for (unsigned int i = 0; i < gi.n; i++) {
		nfv_flow_spec_init(&filter);
		filter.out_group = gi.ids[i];
		nfv_pipeline_del(sw->pipeline, &filter, false);
	}
	nfv_pipeline_commit(sw->pipeline);
	n = nfv_group_del(sw->groups, group_id);
	nfv_groups_commit(sw->groups);
	if (gi.ids != &group_id)
		free(gi.ids);
	return n;
}

/* Once a second: link state changes and flow timeouts. */
static void
switch_tick(void *arg)
{
	struct nfv_switch *sw = arg;
	unsigned int n_expired;

	for (unsigned int i = 0; i < sw->n_ports; i++) {
		struct nfv_port *port = &sw->ports[i];

		if (nfv_port_update_link(port)) {
			NFV_LOG(NOTICE, "port %s: link %s", port->name,
				port->link_up ? "up" : "down");
			sw->dp.port_state[port->ofport].link_up =
				port->link_up;
			if (sw->ofproto != NULL)
				nfv_ofproto_port_changed(sw->ofproto,
							 port->ofport);
		}
	}
	n_expired = nfv_pipeline_expire(sw->pipeline, nfv_now_ms());
	if (n_expired) {
		NFV_LOG(DEBUG, "%u flows expired", n_expired);
		nfv_pipeline_commit(sw->pipeline);
	}
	nfv_apps_tick(sw->apps);
}

/* Takes at most one ring's worth of packet-ins from worker 'w': under a
 * flood the worker refills the ring as fast as it is emptied, and the
 * control thread has other work (commits, the control socket). */
static void
pktin_drain_one(struct nfv_switch *sw, struct nfv_worker *w)
{
	struct rte_mbuf *pkts[NFV_BURST_MAX];
	unsigned int n, left = SWITCH_PKTIN_RING;

	do {
		n = rte_ring_sc_dequeue_burst(w->pktin_ring, (void **)pkts,
					      NFV_BURST_MAX, NULL);
		sw->n_pktin += n;
		for (unsigned int i = 0; i < n; i++)
			if (!nfv_apps_packet_in(sw->apps, pkts[i]) &&
			    (sw->ofproto == NULL ||
			     !nfv_ofproto_packet_in(sw->ofproto, pkts[i])))
				rte_pktmbuf_free(pkts[i]);
		left -= RTE_MIN(left, n);
	} while (n == NFV_BURST_MAX && left > 0);
}

/* Takes the packets that workers (and packet-outs) sent to the
 * controller and hands them to the local apps or the OpenFlow channel. */
static void
pktin_drain(void *arg)
{
	struct nfv_switch *sw = arg;

	for (unsigned int i = 0; i < sw->n_workers; i++)
		pktin_drain_one(sw, sw->workers[i]);
	if (sw->control != NULL)
		pktin_drain_one(sw, sw->control);
	nfv_apps_flush(sw->apps);
	/* What the apps sent through the tables may have come back. */
	if (sw->control != NULL)
		pktin_drain_one(sw, sw->control);
}

int
nfv_switch_start(struct nfv_switch *sw, char *err)
{
	int ret;

	ret = nfv_loop_create(&sw->loop);
	if (ret == 0)
		ret = nfv_loop_add_timer(sw->loop, SWITCH_TICK_MS,
					 switch_tick, sw);
	if (ret == 0)
		ret = nfv_loop_add_timer(sw->loop, SWITCH_PKTIN_MS,
					 pktin_drain, sw);
	if (ret == 0)
		ret = nfv_ctl_server_create(&sw->ctl);
	if (ret < 0) {
		snprintf(err, NFV_CONFIG_ERR_MAX, "cannot create control loop: "
			 "%s", strerror(-ret));
		return ret;
	}
	ret = nfv_switch_ctl_register(sw);
	if (ret == 0)
		ret = nfv_apps_ctl_register(sw->apps);
	if (ret < 0) {
		snprintf(err, NFV_CONFIG_ERR_MAX, "cannot register commands: "
			 "%s", strerror(-ret));
		return ret;
	}
	ret = nfv_ctl_server_listen(sw->ctl, sw->loop, sw->cfg->control_socket,
				    err);
	if (ret < 0)
		return ret;
	ret = nfv_ofproto_create(sw, &sw->ofproto, err);
	if (ret < 0)
		return ret;

	for (unsigned int i = 0; i < sw->n_workers; i++) {
		struct nfv_worker *w = sw->workers[i];

		ret = rte_eal_remote_launch(nfv_worker_main, w, w->lcore);
		if (ret < 0) {
			snprintf(err, NFV_CONFIG_ERR_MAX,
				 "cannot launch worker on core %u: %s",
				 w->lcore, strerror(-ret));
			return ret;
		}
		sw->workers_running = true;
		sw->workers_ran = true;
	}
	NFV_LOG(NOTICE, "%u ports, %u workers, %u flows; control socket %s",
		sw->n_ports, sw->n_workers,
		nfv_pipeline_n_rules(sw->pipeline, -1), sw->cfg->control_socket);
	return 0;
}

void
nfv_switch_run(struct nfv_switch *sw, volatile sig_atomic_t *stop)
{
	while (!nfv_loop_stopped(sw->loop) && !*stop) {
		int ret = nfv_loop_run_once(sw->loop, 100);

		if (ret < 0) {
			NFV_LOG(ERR, "control loop failed: %s", strerror(-ret));
			break;
		}
	}
}

void
nfv_switch_stop(struct nfv_switch *sw)
{
	if (sw != NULL && sw->loop != NULL)
		nfv_loop_stop(sw->loop);
}

static void
workers_stop(struct nfv_switch *sw)
{
	if (!sw->workers_running)
		return;
	for (unsigned int i = 0; i < sw->n_workers; i++)
		sw->workers[i]->stop = true;
	for (unsigned int i = 0; i < sw->n_workers; i++)
		rte_eal_wait_lcore(sw->workers[i]->lcore);
	sw->workers_running = false;
}

/* Frees what the rx queues still hold once workers stopped: a device like
 * net_ring keeps received mbufs in its ring and would lose them on close. */
static void
ports_drain(struct nfv_switch *sw)
{
	struct rte_mbuf *pkts[NFV_BURST_MAX];

	for (unsigned int i = 0; i < sw->n_ports; i++) {
		const struct nfv_port *port = &sw->ports[i];

		if (!port->started)
			continue;
		for (uint16_t q = 0; q < port->n_rxq; q++) {
			/* Bounded: a source such as net_pcap with infinite_rx
			 * never runs dry. */
			unsigned int left = port->rx_desc + NFV_BURST_MAX;
			uint16_t n;

			do {
				n = rte_eth_rx_burst(port->port_id, q, pkts,
						     NFV_BURST_MAX);
				rte_pktmbuf_free_bulk(pkts, n);
				left -= RTE_MIN(left, n);
			} while (n == NFV_BURST_MAX && left > 0);
		}
	}
}

unsigned int
nfv_switch_destroy(struct nfv_switch *sw)
{
	unsigned int n_lost = 0;

	if (sw == NULL)
		return 0;
	workers_stop(sw);
	if (sw->workers_ran)
		pktin_drain(sw);
	nfv_apps_destroy(sw->apps);
	sw->apps = NULL;
	nfv_ofproto_destroy(sw->ofproto);
	sw->ofproto = NULL;
	nfv_ctl_server_destroy(sw->ctl);
	nfv_loop_destroy(sw->loop);
	ports_drain(sw);
	for (unsigned int i = 0; i < sw->n_ports; i++)
		nfv_port_close(&sw->ports[i]);
	for (unsigned int i = 0; i < sw->n_pools; i++) {
		unsigned int in_use = rte_mempool_in_use_count(sw->pools[i]);

		if (in_use) {
			NFV_LOG(WARNING, "pool %s: %u mbufs not returned",
				sw->pools[i]->name, in_use);
			n_lost += in_use;
		}
		rte_mempool_free(sw->pools[i]);
	}
	nfv_pipeline_destroy(sw->pipeline);
	nfv_groups_destroy(sw->groups);
	nfv_mac_table_destroy(sw->macs);
	for (unsigned int i = 0; i < sw->n_workers; i++)
		worker_free(sw->workers[i]);
	worker_free(sw->control);
	rte_free(sw->qsbr);
	free(sw);
	return n_lost;
}
