/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The frame of the local-controller apps: builds the tenant model from the
 * config, installs the base pipeline (tables 0, 1 and 30, and the defaults
 * of 20), hands packet-ins to the app whose cookie sent them, and gives
 * the apps their helpers: flows through the same pipeline calls as
 * OpenFlow FLOW_MOD, packets out through the PACKET_OUT path.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_mbuf.h>

#include "app_priv.h"
#include "flow.h"
#include "nfv_log.h"
#include "switch.h"
#include "worker.h"

uint64_t
app_now_s(void)
{
	return nfv_now_ms() / 1000;
}

const char *
app_ip_str(uint32_t ip, char buf[16])
{
	snprintf(buf, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff,
		 (ip >> 8) & 0xff, ip & 0xff);
	return buf;
}

const char *
app_mac_str(const uint8_t mac[6], char buf[18])
{
	nfv_lease_mac_format(mac, buf);
	return buf;
}

/* Parses flow text built by an app; the app's cookie goes first. */
static int
app_flow_parse(struct nfv_apps *a, enum nfv_app_id app,
	       enum nfv_flow_parse_mode mode, const char *fmt, va_list ap,
	       struct nfv_flow_spec *spec)
{
	char text[1024], why[NFV_FLOW_ERR_MAX];
	int n, ret;

	n = snprintf(text, sizeof(text), "cookie=0x%llx%s,",
		     (unsigned long long)NFV_APP_COOKIE(app),
		     mode == NFV_FLOW_PARSE_MATCH ? "/-1" : "");
	vsnprintf(text + n, sizeof(text) - n, fmt, ap);
	ret = nfv_switch_parse_flow(a->sw, text, mode, spec, why);
	if (ret < 0)
		NFV_LOG(ERR, "apps: bad flow '%s': %s", text, why);
	return ret;
}

int
app_flow_add(struct nfv_apps *a, enum nfv_app_id app, const char *fmt, ...)
{
	struct nfv_flow_spec spec;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = app_flow_parse(a, app, NFV_FLOW_PARSE_ADD, fmt, ap, &spec);
	va_end(ap);
	if (ret < 0)
		return ret;
	ret = nfv_pipeline_add(a->sw->pipeline, &spec);
	if (ret < 0) {
		NFV_LOG(WARNING, "apps: cannot add a flow to table %u: %s",
			spec.table_id, strerror(-ret));
		return ret;
	}
	a->dirty = true;
	return 0;
}

void
app_flow_del(struct nfv_apps *a, enum nfv_app_id app, bool strict,
	     const char *fmt, ...)
{
	struct nfv_flow_spec spec;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = app_flow_parse(a, app, NFV_FLOW_PARSE_MATCH, fmt, ap, &spec);
	va_end(ap);
	if (ret == 0 && nfv_pipeline_del(a->sw->pipeline, &spec, strict))
		a->dirty = true;
}

void
app_send(struct nfv_apps *a, const uint8_t *frame, size_t len,
	 uint32_t port)
{
	struct nfv_action out = {
		.type = NFV_ACT_OUTPUT, .arg.port = port,
	};
	struct rte_mbuf *m = rte_pktmbuf_alloc(a->sw->dp.copy_pool);
	char *data;

	if (m == NULL)
		return;
	data = rte_pktmbuf_append(m, len);
	if (data == NULL) {
		rte_pktmbuf_free(m);
		return;
	}
	memcpy(data, frame, len);
	nfv_switch_run_packet(a->sw, m, NFV_OFPP_CONTROLLER, &out, 1);
}

void
app_flood(struct nfv_apps *a, unsigned int net, const uint8_t *frame,
	  size_t len, uint32_t except)
{
	const struct app_net *n = &a->nets[net];

	for (unsigned int i = 0; i < n->n_ports; i++)
		if (n->ports[i] != except)
			app_send(a, frame, len, n->ports[i]);
}

void
app_send_later(struct nfv_apps *a, struct rte_mbuf *m, uint32_t in_port)
{
	if (a->n_later == APP_MAX_LATER) {
		rte_pktmbuf_free(m);
		return;
	}
	a->later[a->n_later].m = m;
	a->later[a->n_later].in_port = in_port;
	a->n_later++;
}

struct app_subnet *
app_subnet_of(struct nfv_apps *a, unsigned int net, uint32_t ip)
{
	struct app_net *n = &a->nets[net];

	for (unsigned int i = 0; i < n->cfg->n_subnets; i++)
		if ((ip & n->subnets[i].mask) == n->subnets[i].cfg->addr)
			return &n->subnets[i];
	return NULL;
}

static uint32_t
prefix_mask(uint8_t len)
{
	return len == 0 ? 0 : 0xffffffffu << (32 - len);
}

/* The tenant model of the config, with indexes resolved for lookups. */
static int
model_build(struct nfv_apps *a)
{
	const struct nfv_config *cfg = a->cfg;

	for (unsigned int p = 0; p <= NFV_MAX_PORTS; p++)
		a->port_net[p] = -1;
	a->nets = calloc(cfg->n_networks, sizeof(a->nets[0]));
	a->routers = calloc(cfg->n_routers ? cfg->n_routers : 1,
			    sizeof(a->routers[0]));
	if (a->nets == NULL || a->routers == NULL)
		return -ENOMEM;
	a->n_nets = cfg->n_networks;
	for (unsigned int i = 0; i < cfg->n_networks; i++) {
		const struct nfv_network_config *nc = &cfg->networks[i];
		struct app_net *n = &a->nets[i];

		n->cfg = nc;
		n->metadata = i + 1;
		n->subnets = calloc(nc->n_subnets ? nc->n_subnets : 1,
				    sizeof(n->subnets[0]));
		if (n->subnets == NULL)
			return -ENOMEM;
		for (unsigned int j = 0; j < nc->n_ports; j++) {
			uint32_t ofport = nc->ports[j] + 1;

			n->ports[n->n_ports++] = ofport;
			a->port_net[ofport] = i;
		}
		for (unsigned int j = 0; j < nc->n_subnets; j++) {
			struct app_subnet *s = &n->subnets[j];

			s->cfg = &nc->subnets[j];
			s->net = i;
			s->router = -1;
			s->mask = prefix_mask(s->cfg->prefix_len);
			/* A locally administered MAC for the DHCP server
			 * of a subnet that no router joins. */
			s->mac[0] = 0x02;
			s->mac[1] = 0x4e;
			s->mac[2] = 0x46;
			s->mac[3] = i >> 8;
			s->mac[4] = i & 0xff;
			s->mac[5] = j;
		}
	}
	a->n_routers = cfg->n_routers;
	for (unsigned int r = 0; r < cfg->n_routers; r++) {
		const struct nfv_router_config *rc = &cfg->routers[r];
		struct app_router *rt = &a->routers[r];

		rt->cfg = rc;
		rt->subnets = calloc(rc->n_subnets ? rc->n_subnets : 1,
				     sizeof(rt->subnets[0]));
		if (rt->subnets == NULL)
			return -ENOMEM;
		for (unsigned int j = 0; j < rc->n_subnets; j++) {
			struct app_subnet *s =
				&a->nets[rc->subnets[j].network]
					 .subnets[rc->subnets[j].subnet];

			s->router = r;
			memcpy(s->mac, rc->mac, 6);
			rt->subnets[j] = s;
		}
	}
	return 0;
}

/* Tables 0, 1 and 30, and the defaults of 20; tables 10, 11 and the rest
 * of 20 belong to the apps. */
static void
base_install(struct nfv_apps *a)
{
	const enum nfv_app_id B = NFV_APP_BASE;

	for (unsigned int i = 0; i < a->n_nets; i++) {
		const struct app_net *n = &a->nets[i];

		for (unsigned int j = 0; j < n->n_ports; j++)
			app_flow_add(a, B, "table=0,priority=100,in_port=%u,"
				     "actions=write_metadata:0x%llx,"
				     "goto_table:1", n->ports[j],
				     (unsigned long long)n->metadata);
	}
	app_flow_add(a, B, "table=1,priority=100,arp,actions=goto_table:10");
	app_flow_add(a, B, "table=1,priority=100,udp,udp_src=68,udp_dst=67,"
		     "actions=goto_table:11");
	app_flow_add(a, B, "table=1,priority=0,actions=goto_table:20");
	app_flow_add(a, B, "table=20,priority=0,actions=goto_table:30");
	/* L2: flood within the network, never back to the input port.
	 * Known MACs get priority-100 flows from the ARP app. */
	for (unsigned int i = 0; i < a->n_nets; i++) {
		const struct app_net *n = &a->nets[i];

		for (unsigned int j = 0; j < n->n_ports; j++) {
			char acts[NFV_MAX_PORTS * 12] = "";
			size_t len = 0;

			for (unsigned int k = 0; k < n->n_ports; k++)
				if (k != j)
					len += snprintf(acts + len,
							sizeof(acts) - len,
							"%soutput:%u",
							len ? "," : "",
							n->ports[k]);
			app_flow_add(a, B, "table=30,priority=10,"
				     "metadata=0x%llx,in_port=%u,actions=%s",
				     (unsigned long long)n->metadata,
				     n->ports[j], len ? acts : "drop");
		}
	}
	/* Frames to a router that no table took are not flooded. */
	for (unsigned int r = 0; r < a->n_routers; r++) {
		char mac[18];

		app_flow_add(a, B, "table=30,priority=50,dl_dst=%s,"
			     "actions=drop",
			     app_mac_str(a->routers[r].cfg->mac, mac));
	}
}

int
nfv_apps_create(struct nfv_switch *sw, struct nfv_apps **out, char *err)
{
	const struct nfv_config *cfg = sw->cfg;
	struct nfv_apps *a;
	int ret;

	*out = NULL;
	if (cfg->n_networks == 0)
		return 0;
	a = calloc(1, sizeof(*a));
	if (a == NULL) {
		snprintf(err, NFV_CONFIG_ERR_MAX, "apps: out of memory");
		return -ENOMEM;
	}
	a->sw = sw;
	a->cfg = cfg;
	ret = model_build(a);
	if (ret == 0)
		ret = arp_app_init(a);
	if (ret == 0)
		ret = l3_app_init(a);
	if (ret < 0) {
		snprintf(err, NFV_CONFIG_ERR_MAX, "apps: out of memory");
		nfv_apps_destroy(a);
		return ret;
	}
	ret = dhcp_app_init(a, err);
	if (ret < 0) {
		nfv_apps_destroy(a);
		return ret;
	}
	base_install(a);
	arp_app_install(a);
	dhcp_app_install(a);
	l3_app_install(a);
	nfv_pipeline_commit(sw->pipeline);
	a->dirty = false;
	NFV_LOG(NOTICE, "apps: %u networks, %u routers, %u endpoints; "
		"%u flows", a->n_nets, a->n_routers, cfg->n_endpoints,
		nfv_pipeline_n_rules(sw->pipeline, -1));
	*out = a;
	return 0;
}

void
nfv_apps_destroy(struct nfv_apps *a)
{
	if (a == NULL)
		return;
	for (unsigned int i = 0; i < a->n_later; i++)
		rte_pktmbuf_free(a->later[i].m);
	dhcp_app_fini(a);
	l3_app_fini(a);
	arp_app_fini(a);
	for (unsigned int i = 0; i < a->n_nets; i++)
		free(a->nets[i].subnets);
	for (unsigned int r = 0; r < a->n_routers; r++)
		free(a->routers[r].subnets);
	free(a->nets);
	free(a->routers);
	free(a);
}

int
nfv_apps_ctl_register(struct nfv_apps *a)
{
	return a != NULL ? apps_ctl_register(a) : 0;
}

bool
nfv_apps_packet_in(struct nfv_apps *a, struct rte_mbuf *m)
{
	const struct nfv_pktin_meta *pm;
	enum nfv_app_id app;
	int net;

	if (a == NULL)
		return false;
	pm = nfv_pktin_meta(m);
	app = nfv_app_of_cookie(pm->cookie);
	net = pm->in_port <= NFV_MAX_PORTS ? a->port_net[pm->in_port] : -1;
	/* dec_ttl found a TTL of 0 or 1: a router's flow, if it came in on
	 * a network towards a router's MAC. */
	if (pm->reason == NFV_PKTIN_INVALID_TTL && net >= 0)
		return l3_app_ttl_expired(a, m, net, pm->in_port);
	if (app == NFV_APP_NONE)
		return false;
	if (net < 0 || pm->metadata != a->nets[net].metadata) {
		/* Our rule sent it, from a port outside our networks or
		 * after someone rewrote the metadata: not ours to serve. */
		rte_pktmbuf_free(m);
		return true;
	}
	switch (app) {
	case NFV_APP_ARP:
		arp_app_packet_in(a, m, net, pm->in_port);
		break;
	case NFV_APP_DHCP:
		dhcp_app_packet_in(a, m, net, pm->in_port);
		break;
	case NFV_APP_L3:
		l3_app_packet_in(a, m, net, pm->in_port);
		break;
	default:
		rte_pktmbuf_free(m);
		break;
	}
	return true;
}

void
nfv_apps_flush(struct nfv_apps *a)
{
	struct nfv_action table = {
		.type = NFV_ACT_OUTPUT, .arg.port = NFV_OFPP_TABLE,
	};

	if (a == NULL)
		return;
	if (a->dirty) {
		nfv_pipeline_commit(a->sw->pipeline);
		a->dirty = false;
	}
	for (unsigned int i = 0; i < a->n_later; i++)
		nfv_switch_run_packet(a->sw, a->later[i].m,
				      a->later[i].in_port, &table, 1);
	a->n_later = 0;
}

void
nfv_apps_tick(struct nfv_apps *a)
{
	uint64_t now_ms = nfv_now_ms();

	if (a == NULL)
		return;
	arp_app_tick(a, now_ms / 1000);
	dhcp_app_tick(a, now_ms / 1000);
	l3_app_tick(a, now_ms);
	nfv_apps_flush(a);
}
