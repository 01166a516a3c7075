/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nfvctl commands of the local-controller apps: arp-show, dhcp-leases,
 * route-show and app-stats. Read-only views of the apps' state and of the
 * table-20 flows they installed; schemas are what src/ctl/nfvctl.c prints.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <rte_byteorder.h>

#include "app_priv.h"
#include "ctl_server.h"
#include "flow.h"
#include "switch.h"
#include "table.h"
#include "worker.h"

/* What the visitors of a dump fill: rows of one JSON array. */
struct dump {
	const struct nfv_apps *a;
	json_t *rows;
	uint64_t now;                   /* seconds or ms, as the dump needs */
};

static void
arp_visit(void *arg, const struct app_binding *b)
{
	struct dump *d = arg;
	char ip[16], mac[18];
	const char *port = nfv_switch_port_name(d->a->sw, b->port);

	json_array_append_new(d->rows, json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:I, s:o}",
		"network", d->a->nets[b->net].cfg->name,
		"ip", app_ip_str(b->ip, ip),
		"mac", app_mac_str(b->mac, mac),
		"port", port != NULL ? port : "?",
		"source", arp_src_name(b->src),
		"age", (json_int_t)(d->now - b->learned_s),
		"expires_in", b->expires_s == 0 ? json_null() :
			json_integer(b->expires_s > d->now ?
				     (json_int_t)(b->expires_s - d->now) : 0)));
}

static int
cmd_arp_show(void *ctx, json_t *args, json_t **result, char *err)
{
	struct dump d = { .a = ctx, .rows = json_array(),
			      .now = app_now_s() };

	(void)args;
	(void)err;
	arp_foreach(d.a, arp_visit, &d);
	*result = json_pack("{s:o}", "bindings", d.rows);
	return 0;
}

static const char *
lease_state_name(enum nfv_lease_state s)
{
	switch (s) {
	case NFV_LEASE_FREE:
		return "free";
	case NFV_LEASE_OFFERED:
		return "offered";
	case NFV_LEASE_BOUND:
		return "bound";
	case NFV_LEASE_DECLINED:
		return "declined";
	}
	return "?";
}

static void
lease_row(json_t *rows, const struct app_subnet *s, const char *net,
	  uint32_t ip, uint64_t now)
{
	struct nfv_lease l;
	char ipb[16], mac[18];

	if (nfv_lease_lookup_ip(s->pool, ip, now, &l) < 0 ||
	    l.state == NFV_LEASE_FREE)
		return;
	json_array_append_new(rows, json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:b, s:I}",
		"subnet", s->cfg->name, "network", net,
		"ip", app_ip_str(ip, ipb), "mac", app_mac_str(l.mac, mac),
		"state", lease_state_name(l.state), "fixed", l.fixed,
		"expires_in", (json_int_t)(l.expiry > now ? l.expiry - now :
					   0)));
}

static int
cmd_dhcp_leases(void *ctx, json_t *args, json_t **result, char *err)
{
	struct nfv_apps *a = ctx;
	json_t *leases = json_array(), *pools = json_array();
	uint64_t now = (uint64_t)time(NULL);

	(void)args;
	(void)err;
	for (unsigned int i = 0; i < a->n_nets; i++) {
		const struct app_net *n = &a->nets[i];

		for (unsigned int j = 0; j < n->cfg->n_subnets; j++) {
			const struct app_subnet *s = &n->subnets[j];
			const struct nfv_dhcp_config *d = &s->cfg->dhcp;
			struct nfv_lease_pool_stats st;
			char lo[16], hi[16], range[40] = "";

			if (s->pool == NULL)
				continue;
			/* Fixed addresses first, then the range. */
			for (unsigned int e = 0; e < a->cfg->n_endpoints; e++)
				if (a->cfg->endpoints[e].network == i &&
				    a->cfg->endpoints[e].subnet == j &&
				    (!d->range_given ||
				     a->cfg->endpoints[e].ip < d->range_start ||
				     a->cfg->endpoints[e].ip > d->range_end))
					lease_row(leases, s, n->cfg->name,
						  a->cfg->endpoints[e].ip, now);
			if (d->range_given) {
				for (uint64_t ip = d->range_start;
				     ip <= d->range_end; ip++)
					lease_row(leases, s, n->cfg->name,
						  (uint32_t)ip, now);
				snprintf(range, sizeof(range), "%s-%s",
					 app_ip_str(d->range_start, lo),
					 app_ip_str(d->range_end, hi));
			}
			nfv_lease_pool_stats(s->pool, now, &st);
			json_array_append_new(pools, json_pack(
				"{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I}",
				"subnet", s->cfg->name,
				"network", n->cfg->name, "range", range,
				"size", (json_int_t)st.n_addrs,
				"bound", (json_int_t)st.n_bound,
				"offered", (json_int_t)st.n_offered,
				"declined", (json_int_t)st.n_declined,
				"full", (json_int_t)st.n_full));
		}
	}
	*result = json_pack("{s:o, s:o}", "leases", leases, "pools", pools);
	return 0;
}

static void
flow_visit(void *arg, const struct nfv_rule *rule)
{
	struct dump *d = arg;
	const struct nfv_flow_spec *sp = &rule->spec;
	const struct nfv_flow_key *k = &sp->match.key;
	const char *router = "?", *net = "?", *port = "?";
	uint32_t dst = rte_be_to_cpu_32(k->ipv4_dst);
	uint32_t dmask = rte_be_to_cpu_32(sp->match.mask.ipv4_dst);
	uint8_t mac[6] = { 0 };
	uint64_t n_packets, n_bytes, idle_ms;
	char ip[16], cidr[20], macb[18];
	int plen = 0;

	/* Only the reactive flows: they alone have an idle timeout. */
	if (sp->idle_timeout == 0)
		return;
	for (unsigned int i = 0; i < sp->n_actions; i++) {
		const struct nfv_action *act = &sp->actions[i];

		if (act->type == NFV_ACT_SET_FIELD &&
		    act->field == NFV_F_ETH_DST)
			memcpy(mac, act->arg.value.u8, 6);
		if (act->type == NFV_ACT_OUTPUT) {
			const char *p = nfv_switch_port_name(d->a->sw,
							     act->arg.port);

			if (p != NULL)
				port = p;
		}
	}
	for (unsigned int r = 0; r < d->a->n_routers; r++)
		if (memcmp(d->a->routers[r].cfg->mac, k->eth_dst, 6) == 0)
			router = d->a->routers[r].cfg->name;
	if (k->metadata >= 1 && k->metadata <= d->a->n_nets)
		net = d->a->nets[k->metadata - 1].cfg->name;
	while (plen < 32 && (dmask << plen) & 0x80000000u)
		plen++;
	if (plen == 32)
		app_ip_str(dst, cidr);
	else
		snprintf(cidr, sizeof(cidr), "%s/%d", app_ip_str(dst, ip),
			 plen);
	nfv_rule_counters(d->a->sw->pipeline, rule, &n_packets, &n_bytes);
	idle_ms = d->now - rule->idle_since_ms;
	json_array_append_new(d->rows, json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I}",
		"router", router, "network", net, "dst", cidr,
		"mac", app_mac_str(mac, macb), "port", port,
		"idle_timeout", (json_int_t)sp->idle_timeout,
		"idle_left", (json_int_t)(sp->idle_timeout * 1000 > idle_ms ?
					  (sp->idle_timeout * 1000 - idle_ms) /
					  1000 : 0),
		"packets", (json_int_t)n_packets));
}

static void
pending_visit(void *arg, unsigned int net, uint32_t ip, unsigned int n_held,
	      unsigned int tries)
{
	struct dump *d = arg;
	char ipb[16];

	json_array_append_new(d->rows, json_pack(
		"{s:s, s:s, s:I, s:I}", "network", d->a->nets[net].cfg->name,
		"ip", app_ip_str(ip, ipb), "packets", (json_int_t)n_held,
		"tries", (json_int_t)tries));
}

static int
cmd_route_show(void *ctx, json_t *args, json_t **result, char *err)
{
	struct nfv_apps *a = ctx;
	struct dump d = { .a = a, .now = nfv_now_ms() };
	struct nfv_flow_spec filter;
	json_t *routers = json_array(), *flows, *pending;

	(void)args;
	(void)err;
	for (unsigned int r = 0; r < a->n_routers; r++) {
		const struct app_router *rt = &a->routers[r];
		json_t *conn = json_array(), *routes = json_array();
		char mac[18], ip[16], gw[16], cidr[20];

		for (unsigned int i = 0; i < rt->cfg->n_subnets; i++) {
			const struct app_subnet *s = rt->subnets[i];

			snprintf(cidr, sizeof(cidr), "%s/%u",
				 app_ip_str(s->cfg->addr, ip),
				 s->cfg->prefix_len);
			json_array_append_new(conn, json_pack(
				"{s:s, s:s, s:s, s:s}", "subnet", s->cfg->name,
				"network", a->nets[s->net].cfg->name,
				"cidr", cidr,
				"gateway", app_ip_str(s->cfg->gateway, gw)));
		}
		for (unsigned int i = 0; i < rt->cfg->n_routes; i++) {
			const struct nfv_route_config *ro = &rt->cfg->routes[i];

			snprintf(cidr, sizeof(cidr), "%s/%u",
				 app_ip_str(ro->addr, ip), ro->prefix_len);
			json_array_append_new(routes, json_pack(
				"{s:s, s:s, s:b}", "cidr", cidr,
				"next_hop", app_ip_str(ro->next_hop, gw),
				"resolved", arp_lookup(a,
					rt->subnets[ro->subnet]->net,
					ro->next_hop) != NULL));
		}
		json_array_append_new(routers, json_pack(
			"{s:s, s:s, s:o, s:o}", "name", rt->cfg->name,
			"mac", app_mac_str(rt->cfg->mac, mac),
			"connected", conn, "routes", routes));
	}
	flows = d.rows = json_array();
	nfv_flow_spec_init(&filter);
	filter.table_id = APP_TABLE_L3;
	filter.has_table = true;
	filter.cookie = NFV_APP_COOKIE(NFV_APP_L3);
	filter.cookie_mask = UINT64_MAX;
	nfv_pipeline_dump(a->sw->pipeline, &filter, flow_visit, &d);
	pending = d.rows = json_array();
	l3_pending_foreach(a, pending_visit, &d);
	*result = json_pack("{s:o, s:o, s:o}", "routers", routers,
			    "flows", flows, "pending", pending);
	return 0;
}

static int
cmd_app_stats(void *ctx, json_t *args, json_t **result, char *err)
{
	struct nfv_apps *a = ctx;
	uint64_t limited[NFV_APP_N] = { 0 };

	(void)args;
	(void)err;
	for (unsigned int w = 0; w < a->sw->n_workers; w++)
		for (unsigned int i = 0; i < NFV_APP_N; i++)
			limited[i] += a->sw->workers[w]->stats
						.pktin_app_limited[i];
#define I(v) (json_int_t)(v)
	*result = json_pack(
		"{s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I},"
		" s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I,"
		"    s:I, s:I},"
		" s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}}",
		"arp",
		"packet_in", I(a->arp.packet_in), "requests", I(a->arp.requests),
		"replies", I(a->arp.replies), "learned", I(a->arp.learned),
		"moved", I(a->arp.moved), "aged", I(a->arp.aged),
		"malformed", I(a->arp.malformed),
		"dropped", I(a->arp.dropped),
		"table_full", I(a->arp.table_full),
		"refused", I(a->arp.refused),
		"rate_limited", I(limited[NFV_APP_ARP]),
		"dhcp",
		"packet_in", I(a->dhcp.packet_in),
		"discover", I(a->dhcp.discover), "offer", I(a->dhcp.offer),
		"request", I(a->dhcp.request), "ack", I(a->dhcp.ack),
		"nak", I(a->dhcp.nak), "release", I(a->dhcp.release),
		"decline", I(a->dhcp.decline), "inform", I(a->dhcp.inform),
		"malformed", I(a->dhcp.malformed),
		"pool_full", I(a->dhcp.pool_full),
		"dropped", I(a->dhcp.dropped),
		"rate_limited", I(limited[NFV_APP_DHCP]),
		"l3",
		"packet_in", I(a->l3.packet_in),
		"flows_installed", I(a->l3.flows_installed),
		"arp_requests", I(a->l3.arp_requests), "held", I(a->l3.held),
		"released", I(a->l3.released),
		"echo_replies", I(a->l3.echo_replies),
		"unreachable", I(a->l3.unreachable),
		"time_exceeded", I(a->l3.time_exceeded),
		"dropped", I(a->l3.dropped),
		"rate_limited", I(limited[NFV_APP_L3]));
#undef I
	return *result != NULL ? 0 : -ENOMEM;
}

static const struct nfv_ctl_cmd apps_cmds[] = {
	{ "arp-show", "", "IP/MAC bindings the ARP app knows",
	  { NULL }, 0, 0, false, cmd_arp_show },
	{ "dhcp-leases", "", "DHCP leases and pools",
	  { NULL }, 0, 0, false, cmd_dhcp_leases },
	{ "route-show", "", "routers, static routes and routed flows",
	  { NULL }, 0, 0, false, cmd_route_show },
	{ "app-stats", "", "packet-ins handled by the ARP, DHCP and L3 apps",
	  { NULL }, 0, 0, false, cmd_app_stats },
};

int
apps_ctl_register(struct nfv_apps *a)
{
	return nfv_ctl_register(a->sw->ctl, apps_cmds,
				NFV_ARRAY_SIZE(apps_cmds), a);
}
