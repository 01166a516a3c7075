/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The switch's nfvctl commands: thin handlers that parse their arguments,
 * call the same functions the config loader uses and fill a JSON reply.
 * Worker counters are only read here (summed, minus the clear baseline).
 * Result schemas are what src/ctl/nfvctl.c formats.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mempool.h>
#include <rte_version.h>

#include "nfv_log.h"
#include "switch.h"

static int
cmd_version(void *ctx, json_t *args, json_t **result, char *err)
{
	(void)ctx;
	(void)args;
	(void)err;
	*result = json_pack("{s:s, s:s}", "version", NFV_VERSION,
			    "dpdk", rte_version());
	return 0;
}

/* Device counters plus the tx drops that the workers counted. */
static void
port_stats(const struct nfv_switch *sw, const struct nfv_port *port,
	   struct nfv_port_stats *st)
{
	memset(st, 0, sizeof(*st));
	nfv_port_read_stats(port, st);
	for (unsigned int w = 0; w < sw->n_workers; w++)
		st->tx_dropped += sw->workers[w]->stats.tx_dropped[port->ofport];
}

static json_t *
port_stats_json(const struct nfv_switch *sw, const struct nfv_port *port)
{
	struct nfv_port_stats st;

	port_stats(sw, port, &st);
	return json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
			 "name", port->name,
			 "ofport", (json_int_t)port->ofport,
			 "rx_packets", (json_int_t)st.rx_packets,
			 "rx_bytes", (json_int_t)st.rx_bytes,
			 "rx_dropped", (json_int_t)st.rx_dropped,
			 "rx_errors", (json_int_t)st.rx_errors,
			 "tx_packets", (json_int_t)st.tx_packets,
			 "tx_bytes", (json_int_t)st.tx_bytes,
			 "tx_dropped", (json_int_t)st.tx_dropped,
			 "tx_errors", (json_int_t)st.tx_errors);
}

static int
cmd_show(void *ctx, json_t *args, json_t **result, char *err)
{
	struct nfv_switch *sw = ctx;
	json_t *ports = json_array(), *pools = json_array();

	(void)args;
	(void)err;
	for (unsigned int i = 0; i < sw->n_ports; i++) {
		const struct nfv_port *port = &sw->ports[i];
		json_t *o = port_stats_json(sw, port);

		json_object_update_new(o, json_pack(
			"{s:s, s:s, s:b, s:I, s:I, s:I, s:I, s:b}",
			"devargs", port->devargs, "driver", port->driver,
			"link_up", port->link_up,
			"speed_mbps", (json_int_t)port->link_speed,
			"mtu", (json_int_t)port->mtu,
			"rx_queues", (json_int_t)port->n_rxq,
			"tx_queues", (json_int_t)port->n_txq,
			"tx_queues_shared", port->txq_shared));
		json_array_append_new(ports, o);
	}
	for (unsigned int i = 0; i < sw->n_pools; i++) {
		const struct rte_mempool *mp = sw->pools[i];

		json_array_append_new(pools, json_pack(
			"{s:s, s:i, s:I, s:I, s:I}", "name", mp->name,
			"socket", mp->socket_id, "size", (json_int_t)mp->size,
			"in_use", (json_int_t)rte_mempool_in_use_count(mp),
			"avail", (json_int_t)rte_mempool_avail_count(mp)));
	}
	*result = json_pack("{s:I, s:I, s:I, s:o, s:o}",
			    "workers", (json_int_t)sw->n_workers,
			    "flows",
			    (json_int_t)nfv_pipeline_n_rules(sw->pipeline),
			    "uptime_s",
			    (json_int_t)((nfv_now_ms() - sw->start_ms) / 1000),
			    "ports", ports, "pools", pools);
	return 0;
}

static const struct nfv_port *
port_lookup(const struct nfv_switch *sw, const char *name)
{
	for (unsigned int i = 0; i < sw->n_ports; i++)
		if (strcmp(sw->ports[i].name, name) == 0)
			return &sw->ports[i];
	return NULL;
}

static int
cmd_port_stats(void *ctx, json_t *args, json_t **result, char *err)
{
	struct nfv_switch *sw = ctx;
	const char *name = json_string_value(json_object_get(args, "port"));
	json_t *ports = json_array();

	for (unsigned int i = 0; i < sw->n_ports; i++)
		if (name == NULL || strcmp(sw->ports[i].name, name) == 0)
			json_array_append_new(ports,
					      port_stats_json(sw, &sw->ports[i]));
	if (name != NULL && port_lookup(sw, name) == NULL) {
		json_decref(ports);
		snprintf(err, NFV_CTL_ERR_MAX, "port '%s': no such port", name);
		return -ENOENT;
	}
	*result = json_pack("{s:o}", "ports", ports);
	return 0;
}

/* Worker 'w''s counters since the last pmd-stats-clear. */
static void
worker_stats(const struct nfv_switch *sw, unsigned int w,
	     struct nfv_worker_stats *st)
{
	const uint64_t *now = (const uint64_t *)&sw->workers[w]->stats;
	const uint64_t *base = (const uint64_t *)&sw->baseline[w];
	uint64_t *out = (uint64_t *)st;

	for (size_t i = 0; i < sizeof(*st) / sizeof(uint64_t); i++)
		out[i] = __atomic_load_n(&now[i], __ATOMIC_RELAXED) - base[i];
}

static int
cmd_pmd_stats_show(void *ctx, json_t *args, json_t **result, char *err)
{
	struct nfv_switch *sw = ctx;
	json_t *workers = json_array();

	(void)args;
	(void)err;
	for (unsigned int i = 0; i < sw->n_workers; i++) {
		const struct nfv_worker *w = sw->workers[i];
		struct nfv_worker_stats st;
		json_t *drops = json_object();
		uint64_t dropped = 0, total;

		worker_stats(sw, i, &st);
		for (unsigned int r = 0; r < NFV_DROP_N; r++) {
			dropped += st.drops[r];
			json_object_set_new(drops, nfv_drop_reason_name(r),
					    json_integer(st.drops[r]));
		}
		total = st.busy_cycles + st.idle_cycles;
		json_array_append_new(workers, json_pack(
			"{s:I, s:I, s:i, s:I, s:I, s:I, s:I, s:I, s:f, s:f, "
			"s:o}",
			"id", (json_int_t)w->id, "lcore", (json_int_t)w->lcore,
			"socket", w->socket,
			"rx_packets", (json_int_t)st.rx_packets,
			"tx_packets", (json_int_t)st.tx_packets,
			"dropped", (json_int_t)dropped,
			"busy_cycles", (json_int_t)st.busy_cycles,
			"idle_cycles", (json_int_t)st.idle_cycles,
			"cycles_per_packet", st.rx_packets ?
				(double)st.busy_cycles / st.rx_packets : 0.0,
			"busy_pct", total ?
				100.0 * st.busy_cycles / total : 0.0,
			"drops", drops));
	}
	*result = json_pack("{s:o}", "workers", workers);
	return 0;
}

static int
cmd_pmd_stats_clear(void *ctx, json_t *args, json_t **result, char *err)
{
	struct nfv_switch *sw = ctx;

	(void)args;
	(void)err;
	for (unsigned int i = 0; i < sw->n_workers; i++) {
		const uint64_t *now = (const uint64_t *)&sw->workers[i]->stats;
		uint64_t *base = (uint64_t *)&sw->baseline[i];

		for (size_t k = 0; k < sizeof(sw->baseline[i]) / 8; k++)
			base[k] = __atomic_load_n(&now[k], __ATOMIC_RELAXED);
	}
	*result = NULL;
	return 0;
}

static int
cmd_pmd_rxq_show(void *ctx, json_t *args, json_t **result, char *err)
{
	struct nfv_switch *sw = ctx;
	json_t *workers = json_array();

	(void)args;
	(void)err;
	for (unsigned int i = 0; i < sw->n_workers; i++) {
		const struct nfv_worker *w = sw->workers[i];
		json_t *rxqs = json_array();

		for (unsigned int q = 0; q < w->n_rxq; q++)
			json_array_append_new(rxqs, json_pack(
				"{s:s, s:i}", "port", w->rxqs[q].port->name,
				"queue", w->rxqs[q].queue));
		json_array_append_new(workers, json_pack(
			"{s:I, s:I, s:i, s:o}", "id", (json_int_t)w->id,
			"lcore", (json_int_t)w->lcore, "socket", w->socket,
			"rxqs", rxqs));
	}
	*result = json_pack("{s:o}", "workers", workers);
	return 0;
}

struct dump_ctx {
	struct nfv_switch *sw;
	json_t *flows;
	uint64_t now_ms;
};

static void
dump_one(void *arg, const struct nfv_rule *rule)
{
	struct dump_ctx *d = arg;
	const struct nfv_flow_spec *s = &rule->spec;
	char match[NFV_FLOW_STR_MAX], actions[NFV_FLOW_STR_MAX];
	char text[3 * NFV_FLOW_STR_MAX], timeouts[64] = "", cookie[24];
	uint64_t n_packets, n_bytes, age_ms = d->now_ms - rule->created_ms;
	int n;

	nfv_rule_counters(d->sw->pipeline, rule, &n_packets, &n_bytes);
	nfv_flow_format_match(s, nfv_switch_port_name, d->sw, match,
			      sizeof(match));
	nfv_flow_format_actions(s, nfv_switch_port_name, d->sw, actions,
				sizeof(actions));
	snprintf(cookie, sizeof(cookie), "0x%" PRIx64, s->cookie);
	n = 0;
	if (s->idle_timeout)
		n += snprintf(timeouts + n, sizeof(timeouts) - n,
			      "idle_timeout=%u, ", s->idle_timeout);
	if (s->hard_timeout)
		snprintf(timeouts + n, sizeof(timeouts) - n,
			 "hard_timeout=%u, ", s->hard_timeout);
	/* The layout of ovs-ofctl dump-flows. */
	snprintf(text, sizeof(text),
		 " cookie=0x%" PRIx64 ", duration=%" PRIu64 ".%03" PRIu64
		 "s, table=%u, n_packets=%" PRIu64 ", n_bytes=%" PRIu64
		 ", %s%s%sactions=%s", s->cookie, age_ms / 1000, age_ms % 1000,
		 s->table_id, n_packets, n_bytes, timeouts, match,
		 match[0] ? " " : "", actions);
	json_array_append_new(d->flows, json_pack(
		"{s:s, s:I, s:I, s:s, s:f, s:I, s:I, s:I, s:I, s:s, s:s}",
		"text", text, "table", (json_int_t)s->table_id,
		"priority", (json_int_t)s->priority,
		"cookie", cookie, "duration_s", age_ms / 1000.0,
		"idle_timeout", (json_int_t)s->idle_timeout,
		"hard_timeout", (json_int_t)s->hard_timeout,
		"n_packets", (json_int_t)n_packets,
		"n_bytes", (json_int_t)n_bytes,
		"match", match, "actions", actions));
}

/* Parses the optional "filter" argument; NULL filter when absent. */
static int
filter_arg(struct nfv_switch *sw, json_t *args, struct nfv_flow_spec *spec,
	   const struct nfv_flow_spec **filter, char *err)
{
	const char *text = json_string_value(json_object_get(args, "filter"));
	char why[NFV_FLOW_ERR_MAX];

	*filter = NULL;
	if (text == NULL)
		return 0;
	if (nfv_switch_parse_flow(sw, text, NFV_FLOW_PARSE_MATCH, spec,
				  why) < 0) {
		snprintf(err, NFV_CTL_ERR_MAX, "%s", why);
		return -EINVAL;
	}
	*filter = spec;
	return 0;
}

static int
cmd_dump_flows(void *ctx, json_t *args, json_t **result, char *err)
{
	struct dump_ctx d = { .sw = ctx, .now_ms = nfv_now_ms() };
	const struct nfv_flow_spec *filter;
	struct nfv_flow_spec spec;
	int ret = filter_arg(d.sw, args, &spec, &filter, err);

	if (ret < 0)
		return ret;
	d.flows = json_array();
	nfv_pipeline_dump(d.sw->pipeline, filter, dump_one, &d);
	*result = json_pack("{s:o}", "flows", d.flows);
	return 0;
}

static int
cmd_add_flow(void *ctx, json_t *args, json_t **result, char *err)
{
	struct nfv_switch *sw = ctx;
	const char *text = json_string_value(json_object_get(args, "flow"));
	struct nfv_flow_spec spec;
	char why[NFV_FLOW_ERR_MAX];
	int ret;

	if (nfv_switch_parse_flow(sw, text, NFV_FLOW_PARSE_ADD, &spec,
				  why) < 0) {
		snprintf(err, NFV_CTL_ERR_MAX, "%s", why);
		return -EINVAL;
	}
	ret = nfv_pipeline_add(sw->pipeline, &spec);
	if (ret == 0)
		ret = nfv_pipeline_commit(sw->pipeline);
	if (ret < 0) {
		snprintf(err, NFV_CTL_ERR_MAX, "flow not added: %s",
			 strerror(-ret));
		return ret;
	}
	*result = NULL;
	return 0;
}

static int
cmd_del_flows(void *ctx, json_t *args, json_t **result, char *err)
{
	struct nfv_switch *sw = ctx;
	const struct nfv_flow_spec *filter;
	struct nfv_flow_spec spec, all = { 0 };
	unsigned int n;
	int ret = filter_arg(sw, args, &spec, &filter, err);

	if (ret < 0)
		return ret;
	n = nfv_pipeline_del(sw->pipeline, filter ? filter : &all, false);
	ret = nfv_pipeline_commit(sw->pipeline);
	if (ret < 0) {
		snprintf(err, NFV_CTL_ERR_MAX, "flows not deleted: %s",
			 strerror(-ret));
		return ret;
	}
	*result = json_pack("{s:I}", "deleted", (json_int_t)n);
	return 0;
}

static int
cmd_shutdown(void *ctx, json_t *args, json_t **result, char *err)
{
	struct nfv_switch *sw = ctx;

	(void)args;
	(void)err;
	NFV_LOG(NOTICE, "shutdown requested over the control socket");
	nfv_switch_stop(sw);
	*result = NULL;
	return 0;
}

static const struct nfv_ctl_cmd switch_cmds[] = {
	{ "version", "", "show the version of nfvswitch and DPDK",
	  { NULL }, 0, 0, false, cmd_version },
	{ "show", "", "ports, links, counters and mbuf pools",
	  { NULL }, 0, 0, false, cmd_show },
	{ "port-stats", "[PORT]", "port counters",
	  { "port" }, 0, 1, false, cmd_port_stats },
	{ "pmd-stats-show", "", "per-worker packets, cycles and drops",
	  { NULL }, 0, 0, false, cmd_pmd_stats_show },
	{ "pmd-stats-clear", "", "reset per-worker counters",
	  { NULL }, 0, 0, false, cmd_pmd_stats_clear },
	{ "pmd-rxq-show", "", "rx queues of each worker",
	  { NULL }, 0, 0, false, cmd_pmd_rxq_show },
	{ "dump-flows", "[FILTER]", "flows, as ovs-ofctl dump-flows",
	  { "filter" }, 0, 1, false, cmd_dump_flows },
	{ "add-flow", "FLOW", "add a flow in ovs-ofctl syntax",
	  { "flow" }, 1, 1, true, cmd_add_flow },
	{ "del-flows", "[FILTER]", "delete flows that FILTER selects",
	  { "filter" }, 0, 1, true, cmd_del_flows },
	{ "shutdown", "", "stop the daemon",
	  { NULL }, 0, 0, true, cmd_shutdown },
};

int
nfv_switch_ctl_register(struct nfv_switch *sw)
{
	return nfv_ctl_register(sw->ctl, switch_cmds,
				NFV_ARRAY_SIZE(switch_cmds), sw);
}
