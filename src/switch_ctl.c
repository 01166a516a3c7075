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

#include "emc.h"
#include "group.h"
#include "mac_learn.h"
#include "mfc.h"
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
			    (json_int_t)nfv_pipeline_n_rules(sw->pipeline, -1),
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
		json_t *stages = json_object();
		for (unsigned int g = 0; g < NFV_STAGE_N; g++)
			json_object_set_new(stages, nfv_stage_name(g),
				json_real(st.rx_packets ?
					  (double)st.stage_cycles[g] /
					  st.rx_packets : 0.0));
		struct nfv_emc_stats es;
		nfv_emc_get_stats(w->emc, &es);
		json_t *o = json_pack(
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
			"drops", drops);
		json_object_update_new(o, json_pack(
			"{s:I, s:I, s:I, s:I, s:I, s:o, s:s, s:I, s:I, s:I}",
			"emc_hits", (json_int_t)st.emc_hits,
			"megaflow_hits", (json_int_t)st.mfc_hits,
			"upcalls", (json_int_t)st.upcalls,
			"pktin", (json_int_t)st.pktin,
			"malformed", (json_int_t)st.malformed,
			"cycles_per_stage", stages,
			"emc_mode", es.insert_inv_prob > 1 &&
				    es.mode == NFV_EMC_SAMPLED ?
				    "sampled" : nfv_emc_mode_name(es.mode),
			"emc_insert_inv_prob", (json_int_t)es.insert_inv_prob,
			"megaflows", (json_int_t)nfv_mfc_count(w->mfc),
			"megaflow_masks", (json_int_t)nfv_mfc_n_masks(w->mfc)));
		json_array_append_new(workers, o);
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
	char text[3 * NFV_FLOW_STR_MAX], timeouts[160] = "", cookie[24];
	uint64_t n_packets, n_bytes, age_ms = d->now_ms - rule->created_ms;
	int n;

	nfv_rule_counters(d->sw->pipeline, rule, &n_packets, &n_bytes);
	nfv_flow_format_match(s, nfv_switch_port_name, d->sw, match,
			      sizeof(match));
	nfv_flow_format_actions(s, nfv_switch_port_name, d->sw, actions,
				sizeof(actions));
	snprintf(cookie, sizeof(cookie), "0x%" PRIx64, s->cookie);
	n = nfv_flow_format_flags(s, timeouts, sizeof(timeouts));
	if (n > 0 && (size_t)n + 2 < sizeof(timeouts))
		n += snprintf(timeouts + n, sizeof(timeouts) - n, ", ");
	else
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

static bool
arg_strict(json_t *args)
{
	const char *v = json_string_value(json_object_get(args, "strict"));

	return v != NULL && strcmp(v, "true") == 0;
}

/* Parses the flow of "add-flow" / "mod-flows". */
static int
flow_arg(struct nfv_switch *sw, json_t *args, struct nfv_flow_spec *spec,
	 char *err)
{
	const char *text = json_string_value(json_object_get(args, "flow"));
	char why[NFV_FLOW_ERR_MAX];

	if (nfv_switch_parse_flow(sw, text, NFV_FLOW_PARSE_ADD, spec,
				  why) < 0) {
		snprintf(err, NFV_CTL_ERR_MAX, "%s", why);
		return -EINVAL;
	}
	return 0;
}

static int
cmd_add_flow(void *ctx, json_t *args, json_t **result, char *err)
{
	struct nfv_switch *sw = ctx;
	struct nfv_flow_spec spec;
	int ret = flow_arg(sw, args, &spec, err);

	if (ret < 0)
		return ret;
	ret = nfv_pipeline_add(sw->pipeline, &spec);
	if (ret == -EEXIST) {
		snprintf(err, NFV_CTL_ERR_MAX, "flow not added: it overlaps a "
			 "flow of the same priority (check_overlap)");
		return ret;
	}
	if (ret < 0) {
		snprintf(err, NFV_CTL_ERR_MAX, "flow not added: %s",
			 strerror(-ret));
		return ret;
	}
	/* Returns once no packet can be forwarded by the old rules. */
	nfv_pipeline_commit(sw->pipeline);
	*result = NULL;
	return 0;
}

static int
cmd_mod_flows(void *ctx, json_t *args, json_t **result, char *err)
{
	struct nfv_switch *sw = ctx;
	struct nfv_flow_spec spec;
	int ret = flow_arg(sw, args, &spec, err);

	if (ret < 0)
		return ret;
	ret = nfv_pipeline_modify(sw->pipeline, &spec, arg_strict(args));
	nfv_pipeline_commit(sw->pipeline);
	if (ret < 0) {
		snprintf(err, NFV_CTL_ERR_MAX, "flows not modified: %s",
			 strerror(-ret));
		return ret;
	}
	*result = json_pack("{s:i}", "modified", ret);
	return 0;
}

static int
cmd_del_flows(void *ctx, json_t *args, json_t **result, char *err)
{
	struct nfv_switch *sw = ctx;
	const struct nfv_flow_spec *filter;
	struct nfv_flow_spec spec;
	unsigned int n;
	int ret = filter_arg(sw, args, &spec, &filter, err);

	if (ret < 0)
		return ret;
	if (filter == NULL) {
		ret = nfv_switch_parse_flow(sw, "", NFV_FLOW_PARSE_MATCH, &spec,
					    err);
		if (ret < 0)
			return ret;
		filter = &spec;
	}
	n = nfv_pipeline_del(sw->pipeline, filter, arg_strict(args));
	nfv_pipeline_commit(sw->pipeline);
	*result = json_pack("{s:I}", "deleted", (json_int_t)n);
	return 0;
}

struct mf_dump_ctx {
	struct nfv_switch *sw;
	const struct nfv_worker *w;
	json_t *megaflows;
	uint64_t now_ms;
};

/* Writes the fields that 'm' matches, "field=value/mask", comma-separated. */
static void
megaflow_match_text(struct nfv_switch *sw, const struct nfv_match *m,
		    char *buf, size_t size)
{
	struct nfv_flow_spec spec;

	memset(&spec, 0, sizeof(spec));
	spec.priority = NFV_FLOW_DEFAULT_PRIORITY;
	spec.match = *m;
	nfv_flow_format_match(&spec, nfv_switch_port_name, sw, buf, size);
}

static bool
megaflow_visit(void *arg, const struct nfv_megaflow *mf)
{
	struct mf_dump_ctx *d = arg;
	struct nfv_flow_spec acts;
	char match[NFV_FLOW_STR_MAX], actions[NFV_FLOW_STR_MAX];
	char text[3 * NFV_FLOW_STR_MAX];
	unsigned int n = mf->n_actions;

	megaflow_match_text(d->sw, &mf->match, match, sizeof(match));
	memset(&acts, 0, sizeof(acts));
	if (n > NFV_FLOW_MAX_ACTIONS)
		n = NFV_FLOW_MAX_ACTIONS;
	acts.n_actions = n;
	memcpy(acts.actions, mf->actions, n * sizeof(acts.actions[0]));
	nfv_flow_format_actions(&acts, nfv_switch_port_name, d->sw, actions,
				sizeof(actions));
	snprintf(text, sizeof(text),
		 "pmd %u: %s, packets:%" PRIu64 ", bytes:%" PRIu64
		 ", used:%.3fs, actions:%s%s", d->w->id, match, mf->n_packets,
		 mf->n_bytes, (d->now_ms - mf->used_ms) / 1000.0,
		 mf->n_actions ? actions : "drop",
		 mf->miss ? " (table miss)" : "");
	json_array_append_new(d->megaflows, json_pack(
		"{s:s, s:I, s:s, s:s, s:I, s:I, s:b}", "text", text,
		"worker", (json_int_t)d->w->id, "match", match,
		"actions", mf->n_actions ? actions : "drop",
		"packets", (json_int_t)mf->n_packets,
		"bytes", (json_int_t)mf->n_bytes, "miss", mf->miss));
	return false;
}

static int
cmd_dump_megaflows(void *ctx, json_t *args, json_t **result, char *err)
{
	struct mf_dump_ctx d = { .sw = ctx, .now_ms = nfv_now_ms() };

	(void)args;
	(void)err;
	d.megaflows = json_array();
	for (unsigned int i = 0; i < d.sw->n_workers; i++) {
		d.w = d.sw->workers[i];
		nfv_mfc_foreach(d.w->mfc, megaflow_visit, &d);
	}
	*result = json_pack("{s:o}", "megaflows", d.megaflows);
	return 0;
}

static int
group_arg(struct nfv_switch *sw, json_t *args, bool filter_only,
	  struct nfv_group_spec *spec, char *err)
{
	const char *text = json_string_value(json_object_get(args, "group"));
	char why[NFV_FLOW_ERR_MAX];

	if (nfv_group_parse(text != NULL ? text : "", filter_only,
			    nfv_switch_port_by_name, sw, spec, why) < 0) {
		snprintf(err, NFV_CTL_ERR_MAX, "%s", why);
		return -EINVAL;
	}
	return 0;
}

static int
group_change(void *ctx, json_t *args, json_t **result, char *err, bool add)
{
	struct nfv_switch *sw = ctx;
	struct nfv_group_spec spec;
	char why[NFV_FLOW_ERR_MAX];
	int ret = group_arg(sw, args, false, &spec, err);

	if (ret < 0)
		return ret;
	ret = add ? nfv_group_add(sw->groups, &spec, why) :
		    nfv_group_modify(sw->groups, &spec, why);
	if (ret < 0) {
		if (ret == -EEXIST)
			snprintf(why, sizeof(why), "group %u exists",
				 spec.group_id);
		else if (ret == -ENOENT)
			snprintf(why, sizeof(why), "group %u: no such group",
				 spec.group_id);
		else if (ret != -EINVAL)
			snprintf(why, sizeof(why), "%s", strerror(-ret));
		snprintf(err, NFV_CTL_ERR_MAX, "%s", why);
		return ret;
	}
	nfv_groups_commit(sw->groups);
	*result = NULL;
	return 0;
}

static int
cmd_add_group(void *ctx, json_t *args, json_t **result, char *err)
{
	return group_change(ctx, args, result, err, true);
}

static int
cmd_mod_group(void *ctx, json_t *args, json_t **result, char *err)
{
	return group_change(ctx, args, result, err, false);
}

static int
cmd_del_groups(void *ctx, json_t *args, json_t **result, char *err)
{
	struct nfv_switch *sw = ctx;
	struct nfv_group_spec spec;
	unsigned int n;
	int ret = group_arg(sw, args, true, &spec, err);

	if (ret < 0)
		return ret;
	n = nfv_switch_group_del(sw, spec.group_id);
	*result = json_pack("{s:I}", "deleted", (json_int_t)n);
	return 0;
}

struct group_dump_ctx {
	struct nfv_switch *sw;
	json_t *groups;
};

static void
group_visit(void *arg, const struct nfv_group *grp)
{
	struct group_dump_ctx *d = arg;
	struct nfv_group_stats st;
	char spec[NFV_FLOW_STR_MAX], text[NFV_FLOW_STR_MAX + 128];

	nfv_group_counters(d->sw->groups, grp, &st);
	nfv_group_format(&grp->spec, nfv_switch_port_name, d->sw, spec,
			 sizeof(spec));
	snprintf(text, sizeof(text), " %s, packet_count=%" PRIu64
		 ", byte_count=%" PRIu64, spec, st.n_packets, st.n_bytes);
	json_array_append_new(d->groups, json_pack(
		"{s:s, s:I, s:I, s:I}", "text", text,
		"group_id", (json_int_t)grp->spec.group_id,
		"packet_count", (json_int_t)st.n_packets,
		"byte_count", (json_int_t)st.n_bytes));
}

static int
cmd_dump_groups(void *ctx, json_t *args, json_t **result, char *err)
{
	struct group_dump_ctx d = { .sw = ctx };

	(void)args;
	(void)err;
	d.groups = json_array();
	nfv_groups_dump(d.sw->groups, group_visit, &d);
	*result = json_pack("{s:o}", "groups", d.groups);
	return 0;
}

struct fdb_dump_ctx {
	struct nfv_switch *sw;
	json_t *entries;
};

static void
fdb_visit(void *arg, const uint8_t mac[6], uint16_t vid, uint32_t port,
	  uint32_t age_s)
{
	struct fdb_dump_ctx *d = arg;
	const char *name = nfv_switch_port_name(d->sw, port);
	char text[128], mac_text[18];

	snprintf(mac_text, sizeof(mac_text), "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	snprintf(text, sizeof(text), " %5s  %4u  %s  %3u",
		 name != NULL ? name : "?", vid, mac_text, age_s);
	json_array_append_new(d->entries, json_pack(
		"{s:s, s:s, s:I, s:I, s:I}", "text", text, "mac", mac_text,
		"port", (json_int_t)port, "vlan", (json_int_t)vid,
		"age", (json_int_t)age_s));
}

static int
cmd_fdb_show(void *ctx, json_t *args, json_t **result, char *err)
{
	struct fdb_dump_ctx d = { .sw = ctx };

	(void)args;
	(void)err;
	d.entries = json_array();
	json_array_append_new(d.entries, json_pack(
		"{s:s}", "text", " port  VLAN  MAC                Age"));
	nfv_mac_table_dump(d.sw->macs, nfv_now_ms() / 1000, fdb_visit, &d);
	*result = json_pack("{s:o}", "entries", d.entries);
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
	{ "mod-flows", "[--strict] FLOW", "change the actions of flows",
	  { "flow", "strict" }, 1, 2, true, cmd_mod_flows },
	{ "del-flows", "[--strict] [FILTER]",
	  "delete flows that FILTER selects",
	  { "filter", "strict" }, 0, 2, true, cmd_del_flows },
	{ "dump-megaflows", "", "cached megaflows of every worker",
	  { NULL }, 0, 0, false, cmd_dump_megaflows },
	{ "add-group", "GROUP", "add a group in ovs-ofctl syntax",
	  { "group" }, 1, 1, true, cmd_add_group },
	{ "mod-group", "GROUP", "replace the buckets of a group",
	  { "group" }, 1, 1, true, cmd_mod_group },
	{ "del-groups", "[GROUP]", "delete a group, or all",
	  { "group" }, 0, 1, true, cmd_del_groups },
	{ "dump-groups", "", "groups with their counters",
	  { NULL }, 0, 0, false, cmd_dump_groups },
	{ "fdb-show", "", "MAC table of the NORMAL action",
	  { NULL }, 0, 0, false, cmd_fdb_show },
	{ "shutdown", "", "stop the daemon",
	  { NULL }, 0, 0, true, cmd_shutdown },
};

int
nfv_switch_ctl_register(struct nfv_switch *sw)
{
	return nfv_ctl_register(sw->ctl, switch_cmds,
				NFV_ARRAY_SIZE(switch_cmds), sw);
}
