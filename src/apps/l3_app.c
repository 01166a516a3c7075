/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * L3 app: the routers of the config, served reactively. A packet to a
 * router's MAC that no table-20 flow takes reaches the app, which picks
 * the connected subnet or static route of its destination, finds the next
 * hop's binding (ARP app), installs a per-destination flow with an idle
 * timeout (set MACs, dec_ttl, output) and sends the packet on through it;
 * later packets stay in the datapath. With no binding it ARPs from the
 * router's address on that subnet and holds a few packets; no answer after
 * "arp_retries" seconds -> ICMP host unreachable. It also answers ICMP
 * echo to its gateway addresses and sends ICMP time exceeded.
 *
 * Table 20 for each network N a router R joins (priorities):
 *   4000  echo request to a gateway of R     -> app
 *   3900  other IP to a gateway of R         -> drop
 *   2000  reactive: one destination host     -> dec_ttl, rewrite, output
 *   1000 + prefix  a connected subnet of R   -> app
 *    500 + prefix  reactive: a static route  -> rewrite, output
 *    100  any other IP to R                  -> app (route or unreachable)
 * A TTL that dec_ttl finds expired comes back as an invalid-TTL packet-in
 * (the datapath's ttl_to_apps), the first packet of a flow is checked
 * here: both get ICMP time exceeded.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "app_priv.h"
#include "nfv_log.h"
#include "parse.h"
#include "pkt_build.h"
#include "switch.h"
#include "table.h"

#define L3_PENDING_MAX 64               /* destinations being resolved */
#define L3_HOLD_MAX 4                   /* packets held per destination */
#define L3_QUOTE_MAX (60 + NFV_ICMP_QUOTE_MAX)

#define PRIO_ECHO 4000
#define PRIO_TO_ROUTER 3900
#define PRIO_HOST 2000
#define PRIO_CONNECTED 1000
#define PRIO_ROUTE 500
#define PRIO_DEFAULT 100

struct app_held {
	struct rte_mbuf *m;
	uint32_t in_port;
	unsigned int net;               /* the sender's network */
};

struct app_pending {
	bool used;
	unsigned int net;               /* of the next hop */
	uint32_t ip;                    /* the next hop */
	const struct app_subnet *subnet;        /* where to ARP */
	unsigned int tries;
	uint64_t next_ms;
	unsigned int n_held;
	struct app_held held[L3_HOLD_MAX];
};

/* Does router 'r' join network 'net'? */
static bool
router_on_net(const struct app_router *r, unsigned int net)
{
	for (unsigned int i = 0; i < r->cfg->n_subnets; i++)
		if (r->subnets[i]->net == net)
			return true;
	return false;
}

bool
l3_is_gateway(const struct nfv_apps *a, unsigned int net, uint32_t ip,
	      const uint8_t **mac)
{
	const struct app_net *n = &a->nets[net];

	for (unsigned int i = 0; i < n->cfg->n_subnets; i++) {
		const struct app_subnet *s = &n->subnets[i];

		if (s->router >= 0 && s->cfg->gateway == ip) {
			if (mac != NULL)
				*mac = a->routers[s->router].cfg->mac;
			return true;
		}
	}
	return false;
}

/* The router that network 'net' reaches at 'mac', or NULL. */
static struct app_router *
router_of(struct nfv_apps *a, unsigned int net, const uint8_t mac[6])
{
	for (unsigned int r = 0; r < a->n_routers; r++)
		if (memcmp(a->routers[r].cfg->mac, mac, 6) == 0 &&
		    router_on_net(&a->routers[r], net))
			return &a->routers[r];
	return NULL;
}

/* The address router 'r' speaks from towards 'ip' of network 'net': the
 * gateway of its subnet holding 'ip', else its first one on 'net'. */
static uint32_t
router_addr_towards(const struct app_router *r, unsigned int net,
		    uint32_t ip)
{
	uint32_t first = 0;

	for (unsigned int i = 0; i < r->cfg->n_subnets; i++) {
		const struct app_subnet *s = r->subnets[i];

		if (s->net != net)
			continue;
		if ((ip & s->mask) == s->cfg->addr)
			return s->cfg->gateway;
		if (first == 0)
			first = s->cfg->gateway;
	}
	return first;
}

/* Sends ICMP error 'type'/'code' about 'm' (IPv4 at 'l3_ofs') back to
 * its sender through 'in_port'. */
static void
icmp_error(struct nfv_apps *a, const struct app_router *r, unsigned int net,
	   struct rte_mbuf *m, uint16_t l3_ofs, uint32_t in_port,
	   uint8_t type, uint8_t code)
{
	uint8_t quote[L3_QUOTE_MAX], frame[128];
	const struct rte_ether_hdr *eth;
	const uint8_t *orig;
	uint32_t len = RTE_MIN(rte_pktmbuf_pkt_len(m) - l3_ofs,
			       (uint32_t)sizeof(quote));
	uint32_t src;
	size_t flen;

	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	orig = rte_pktmbuf_read(m, l3_ofs, len, quote);
	if (orig == NULL || len < 20)
		return;
	src = router_addr_towards(r, net, rte_be_to_cpu_32(
		*(const rte_be32_t *)(orig + 12)));
	flen = nfv_build_icmp4_error(frame, sizeof(frame),
				     eth->src_addr.addr_bytes, r->cfg->mac,
				     src, type, code, orig, len);
	if (flen == 0)
		return;
	app_send(a, frame, flen, in_port);
	if (type == NFV_ICMP_TIME_EXCEEDED)
		a->l3.time_exceeded++;
	else
		a->l3.unreachable++;
}

static void
echo_reply(struct nfv_apps *a, const struct app_router *r,
	   struct rte_mbuf *m, const struct nfv_flow_key *key,
	   const struct nfv_pkt_meta *meta, uint32_t in_port)
{
	static uint8_t frame[APP_FRAME_MAX], data[APP_FRAME_MAX];
	uint32_t len = rte_pktmbuf_pkt_len(m) - meta->l4_ofs;
	const uint8_t *icmp;
	uint32_t rest;
	size_t flen;

	if (meta->l4_ofs == 0 || len < NFV_ICMP_HLEN ||
	    len > sizeof(data) - NFV_ETH_HLEN - NFV_IPV4_HLEN) {
		a->l3.dropped++;
		return;
	}
	icmp = rte_pktmbuf_read(m, meta->l4_ofs, len, data);
	if (icmp == NULL) {
		a->l3.dropped++;
		return;
	}
	memcpy(&rest, icmp + 4, 4);
	flen = nfv_build_icmp4(frame, sizeof(frame), key->eth_src, r->cfg->mac,
			       rte_be_to_cpu_32(key->ipv4_dst),
			       rte_be_to_cpu_32(key->ipv4_src),
			       NFV_ICMP_ECHO_REPLY, 0, rest,
			       icmp + NFV_ICMP_HLEN, len - NFV_ICMP_HLEN);
	if (flen == 0) {
		a->l3.dropped++;
		return;
	}
	app_send(a, frame, flen, in_port);
	a->l3.echo_replies++;
}

/* The flow that sends traffic of network 'net' for 'dst'/'plen' through
 * router 'r' to the host of binding 'b'. */
static void
flow_install(struct nfv_apps *a, const struct app_router *r,
	     unsigned int net, uint32_t dst, uint8_t plen,
	     const struct app_binding *b)
{
	char rmac[18], hmac[18], ip[16];

	if (app_flow_add(a, NFV_APP_L3, "table=20,priority=%u,"
			 "idle_timeout=%u,metadata=0x%llx,ip,dl_dst=%s,"
			 "nw_dst=%s/%u,actions=dec_ttl,"
			 "set_field:%s->eth_src,set_field:%s->eth_dst,"
			 "output:%u",
			 plen == 32 ? PRIO_HOST : PRIO_ROUTE + plen,
			 a->cfg->flow_idle_timeout,
			 (unsigned long long)a->nets[net].metadata,
			 app_mac_str(r->cfg->mac, rmac), app_ip_str(dst, ip),
			 plen, rmac, app_mac_str(b->mac, hmac),
			 b->port) == 0)
		a->l3.flows_installed++;
}

static struct app_pending *
pending_find(struct nfv_apps *a, unsigned int net, uint32_t ip)
{
	for (unsigned int i = 0; i < L3_PENDING_MAX; i++)
		if (a->pending[i].used && a->pending[i].net == net &&
		    a->pending[i].ip == ip)
			return &a->pending[i];
	return NULL;
}

/* Holds 'm' until next hop 'ip' of subnet 's' answers ARP. */
static void
hold(struct nfv_apps *a, const struct app_subnet *s, uint32_t ip,
     struct rte_mbuf *m, unsigned int net, uint32_t in_port)
{
	struct app_pending *p = pending_find(a, s->net, ip);

	if (p == NULL) {
		for (unsigned int i = 0; i < L3_PENDING_MAX && p == NULL; i++)
			if (!a->pending[i].used)
				p = &a->pending[i];
		if (p == NULL) {
			a->l3.dropped++;
			rte_pktmbuf_free(m);
			return;
		}
		memset(p, 0, sizeof(*p));
		p->used = true;
		p->net = s->net;
		p->ip = ip;
		p->subnet = s;
		p->tries = 1;
		p->next_ms = nfv_now_ms() + 1000;
		arp_send_request(a, s, ip);
		a->l3.arp_requests++;
	}
	if (p->n_held == L3_HOLD_MAX) {
		a->l3.dropped++;
		rte_pktmbuf_free(m);
		return;
	}
	p->held[p->n_held].m = m;
	p->held[p->n_held].in_port = in_port;
	p->held[p->n_held].net = net;
	p->n_held++;
	a->l3.held++;
}

/* True if table 20 already has a reactive flow for 'key' (of network
 * 'net'): a packet that was on its way before the flow was committed.
 * Adding the flow again would replace it and invalidate its megaflows,
 * and under a flood that would never settle. */
static bool
flow_exists(struct nfv_apps *a, unsigned int net,
	    const struct nfv_flow_key *pkt_key)
{
	struct nfv_flow_key key = *pkt_key, wc;
	const struct nfv_rule *rule;

	key.metadata = a->nets[net].metadata;
	memset(&wc, 0, sizeof(wc));
	rule = nfv_pipeline_lookup(a->sw->pipeline, APP_TABLE_L3, &key, &wc);
	return rule != NULL && rule->spec.idle_timeout != 0 &&
	       rule->spec.cookie == NFV_APP_COOKIE(NFV_APP_L3);
}

/* Routes 'm' (IPv4 for 'dst', from network 'net') through router 'r'. */
static void
forward(struct nfv_apps *a, struct app_router *r, unsigned int net,
	struct rte_mbuf *m, const struct nfv_flow_key *key, uint16_t l3_ofs,
	uint32_t in_port, uint32_t dst)
{
	const struct app_subnet *s = NULL;
	const struct app_binding *b;
	uint32_t next_hop = dst;
	uint32_t fdst = dst;
	int plen = -1;

	for (unsigned int i = 0; i < r->cfg->n_subnets; i++) {
		const struct app_subnet *c = r->subnets[i];

		if ((dst & c->mask) == c->cfg->addr &&
		    (int)c->cfg->prefix_len > plen) {
			s = c;
			plen = c->cfg->prefix_len;
		}
	}
	if (s != NULL) {
		plen = 32;
	} else {
		for (unsigned int i = 0; i < r->cfg->n_routes; i++) {
			const struct nfv_route_config *rt = &r->cfg->routes[i];
			uint32_t mask = rt->prefix_len ?
				0xffffffffu << (32 - rt->prefix_len) : 0;

			if ((dst & mask) == rt->addr &&
			    (int)rt->prefix_len > plen) {
				plen = rt->prefix_len;
				next_hop = rt->next_hop;
				fdst = rt->addr;
				s = r->subnets[rt->subnet];
			}
		}
	}
	if (s == NULL) {
		icmp_error(a, r, net, m, l3_ofs, in_port, NFV_ICMP_UNREACH,
			   NFV_ICMP_UNREACH_NET);
		a->l3.dropped++;
		rte_pktmbuf_free(m);
		return;
	}
	b = arp_lookup(a, s->net, next_hop);
	if (b == NULL) {
		hold(a, s, next_hop, m, net, in_port);
		return;
	}
	if (!flow_exists(a, net, key))
		flow_install(a, r, net, fdst, plen, b);
	app_send_later(a, m, in_port);
}

/* Runs 'm' through the router as a packet-in of 'net' would be. */
static void
route_packet(struct nfv_apps *a, struct rte_mbuf *m, unsigned int net,
	     uint32_t in_port)
{
	struct nfv_flow_key key;
	struct nfv_pkt_meta meta;
	struct app_router *r;
	uint32_t dst;

	nfv_parse_mbuf(m, in_port, &key, &meta);
	r = router_of(a, net, key.eth_dst);
	if (r == NULL || meta.l3_ofs == 0 || meta.n_vlans != 0 ||
	    key.eth_type != RTE_BE16(RTE_ETHER_TYPE_IPV4) ||
	    (meta.flags & NFV_PARSE_MALFORMED)) {
		a->l3.dropped++;
		rte_pktmbuf_free(m);
		return;
	}
	dst = rte_be_to_cpu_32(key.ipv4_dst);
	for (unsigned int i = 0; i < r->cfg->n_subnets; i++) {
		if (r->subnets[i]->cfg->gateway != dst)
			continue;
		if (key.ip_proto == IPPROTO_ICMP &&
		    key.tp_src == RTE_BE16(NFV_ICMP_ECHO_REQUEST))
			echo_reply(a, r, m, &key, &meta, in_port);
		else
			a->l3.dropped++;
		rte_pktmbuf_free(m);
		return;
	}
	if (key.ip_ttl <= 1) {
		icmp_error(a, r, net, m, meta.l3_ofs, in_port,
			   NFV_ICMP_TIME_EXCEEDED, NFV_ICMP_TTL_EXCEEDED);
		rte_pktmbuf_free(m);
		return;
	}
	forward(a, r, net, m, &key, meta.l3_ofs, in_port, dst);
}

bool
l3_app_ttl_expired(struct nfv_apps *a, struct rte_mbuf *m, unsigned int net,
		   uint32_t in_port)
{
	struct nfv_flow_key key;
	struct nfv_pkt_meta meta;
	struct app_router *r;

	nfv_parse_mbuf(m, in_port, &key, &meta);
	r = router_of(a, net, key.eth_dst);
	if (r == NULL || meta.l3_ofs == 0 ||
	    key.eth_type != RTE_BE16(RTE_ETHER_TYPE_IPV4))
		return false;
	a->l3.packet_in++;
	icmp_error(a, r, net, m, meta.l3_ofs, in_port, NFV_ICMP_TIME_EXCEEDED,
		   NFV_ICMP_TTL_EXCEEDED);
	rte_pktmbuf_free(m);
	return true;
}

void
l3_app_packet_in(struct nfv_apps *a, struct rte_mbuf *m, unsigned int net,
		 uint32_t in_port)
{
	a->l3.packet_in++;
	route_packet(a, m, net, in_port);
}

/* The held packets of 'p' go on (resolved) or get ICMP unreachable. */
static void
pending_end(struct nfv_apps *a, struct app_pending *p, bool resolved)
{
	for (unsigned int i = 0; i < p->n_held; i++) {
		struct app_held *h = &p->held[i];

		if (resolved) {
			a->l3.released++;
			route_packet(a, h->m, h->net, h->in_port);
			continue;
		}
		struct nfv_flow_key key;
		struct nfv_pkt_meta meta;
		struct app_router *r;

		nfv_parse_mbuf(h->m, h->in_port, &key, &meta);
		r = router_of(a, h->net, key.eth_dst);
		if (r != NULL)
			icmp_error(a, r, h->net, h->m, meta.l3_ofs,
				   h->in_port, NFV_ICMP_UNREACH,
				   NFV_ICMP_UNREACH_HOST);
		a->l3.dropped++;
		rte_pktmbuf_free(h->m);
	}
	p->used = false;
	p->n_held = 0;
}

void
l3_binding_changed(struct nfv_apps *a, unsigned int net, uint32_t ip,
		   const struct app_binding *b)
{
	struct app_pending *p;
	char ipbuf[16];

	if (a->pending == NULL)
		return;
	if (b != NULL) {
		p = pending_find(a, net, ip);
		if (p != NULL)
			pending_end(a, p, true);
		return;
	}
	/* Gone or moving: flows to it (as a host or a next hop) go too;
	 * the next packet finds the new binding. */
	app_flow_del(a, NFV_APP_L3, false, "table=20,ip,nw_dst=%s",
		     app_ip_str(ip, ipbuf));
	for (unsigned int r = 0; r < a->n_routers; r++) {
		const struct app_router *rt = &a->routers[r];

		for (unsigned int i = 0; i < rt->cfg->n_routes; i++) {
			const struct nfv_route_config *ro = &rt->cfg->routes[i];
			char cidr[16], rmac[18];

			if (ro->next_hop != ip ||
			    rt->subnets[ro->subnet]->net != net)
				continue;
			for (unsigned int n = 0; n < a->n_nets; n++)
				if (router_on_net(rt, n))
					app_flow_del(a, NFV_APP_L3, true,
						     "table=20,priority=%u,"
						     "metadata=0x%llx,ip,"
						     "dl_dst=%s,nw_dst=%s/%u",
						     PRIO_ROUTE + ro->prefix_len,
						     (unsigned long long)
						     a->nets[n].metadata,
						     app_mac_str(rt->cfg->mac,
								 rmac),
						     app_ip_str(ro->addr, cidr),
						     ro->prefix_len);
		}
	}
}

void
l3_app_tick(struct nfv_apps *a, uint64_t now_ms)
{
	for (unsigned int i = 0; i < L3_PENDING_MAX; i++) {
		struct app_pending *p = &a->pending[i];

		if (!p->used || now_ms < p->next_ms)
			continue;
		if (p->tries >= a->cfg->arp_retries) {
			pending_end(a, p, false);
			continue;
		}
		p->tries++;
		p->next_ms = now_ms + 1000;
		arp_send_request(a, p->subnet, p->ip);
		a->l3.arp_requests++;
	}
}

/* Visits the held destinations (route-show). */
void
l3_pending_foreach(const struct nfv_apps *a,
		   void (*fn)(void *arg, unsigned int net, uint32_t ip,
			      unsigned int n_held, unsigned int tries),
		   void *arg)
{
	for (unsigned int i = 0; i < L3_PENDING_MAX; i++) {
		const struct app_pending *p = &a->pending[i];

		if (p->used)
			fn(arg, p->net, p->ip, p->n_held, p->tries);
	}
}

int
l3_app_init(struct nfv_apps *a)
{
	a->pending = calloc(L3_PENDING_MAX, sizeof(a->pending[0]));
	return a->pending != NULL ? 0 : -ENOMEM;
}

void
l3_app_fini(struct nfv_apps *a)
{
	if (a->pending == NULL)
		return;
	for (unsigned int i = 0; i < L3_PENDING_MAX; i++)
		for (unsigned int j = 0; j < a->pending[i].n_held; j++)
			rte_pktmbuf_free(a->pending[i].held[j].m);
	free(a->pending);
	a->pending = NULL;
}

/* The proactive part of table 20 for router 'r' on network 'n'. */
static void
install_router_net(struct nfv_apps *a, const struct app_router *r,
		   const struct app_net *n)
{
	unsigned long long md = n->metadata;
	char rmac[18], ip[16];

	app_mac_str(r->cfg->mac, rmac);
	for (unsigned int i = 0; i < r->cfg->n_subnets; i++) {
		const struct app_subnet *s = r->subnets[i];

		app_ip_str(s->cfg->gateway, ip);
		app_flow_add(a, NFV_APP_L3, "table=20,priority=%u,"
			     "metadata=0x%llx,icmp,icmp_type=8,dl_dst=%s,"
			     "nw_dst=%s,actions=controller", PRIO_ECHO, md,
			     rmac, ip);
		app_flow_add(a, NFV_APP_L3, "table=20,priority=%u,"
			     "metadata=0x%llx,ip,dl_dst=%s,nw_dst=%s,"
			     "actions=drop", PRIO_TO_ROUTER, md, rmac, ip);
		app_flow_add(a, NFV_APP_L3, "table=20,priority=%u,"
			     "metadata=0x%llx,ip,dl_dst=%s,nw_dst=%s/%u,"
			     "actions=controller",
			     PRIO_CONNECTED + s->cfg->prefix_len, md, rmac,
			     app_ip_str(s->cfg->addr, ip), s->cfg->prefix_len);
	}
	app_flow_add(a, NFV_APP_L3, "table=20,priority=%u,metadata=0x%llx,"
		     "ip,dl_dst=%s,actions=controller", PRIO_DEFAULT, md,
		     rmac);
}

void
l3_app_install(struct nfv_apps *a)
{
	for (unsigned int r = 0; r < a->n_routers; r++)
		for (unsigned int n = 0; n < a->n_nets; n++)
			if (router_on_net(&a->routers[r], n))
				install_router_net(a, &a->routers[r],
						   &a->nets[n]);
}
