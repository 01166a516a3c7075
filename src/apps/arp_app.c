/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ARP app: answers ARP requests for router gateways and for hosts whose
 * address the switch knows for sure (config endpoints, DHCP leases), so
 * those broadcasts stop at the switch; learns IP -> MAC, port bindings
 * from every ARP (a copy reaches it while table 30 floods the original)
 * and from DHCP, with aging; and keeps table 30's per-MAC flows and table
 * 10's answer flows in step with the bindings. A binding belongs to one
 * network and never leaves it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "app_priv.h"
#include "arp_codec.h"
#include "nfv_log.h"
#include "parse.h"
#include "pkt_build.h"

#define ARP_BUCKETS 16384
#define ARP_PROBE_S 3                   /* seconds before aging */

static const uint8_t bcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

const char *
arp_src_name(enum app_bind_src src)
{
	switch (src) {
	case APP_BIND_STATIC:
		return "static";
	case APP_BIND_DHCP:
		return "dhcp";
	case APP_BIND_ARP:
		return "arp";
	}
	return "?";
}

static unsigned int
bind_hash(const struct nfv_apps *a, unsigned int net, uint32_t ip)
{
	uint32_t h = ip * 0x9e3779b1u ^ net * 0x85ebca6bu;

	return (h ^ h >> 15) & (a->bind_buckets - 1);
}

static unsigned int
mac_hash(const struct nfv_apps *a, unsigned int net, const uint8_t mac[6])
{
	uint32_t h = net * 0x85ebca6bu;

	for (int i = 0; i < 6; i++)
		h = (h ^ mac[i]) * 0x9e3779b1u;
	return (h ^ h >> 15) & (a->bind_buckets - 1);
}

/* A binding of network 'net' other than 'self' with MAC 'mac' that is
 * sure (static or DHCP) or, if 'any', of any source; NULL if none. */
static const struct app_binding *
mac_other(const struct nfv_apps *a, unsigned int net, const uint8_t mac[6],
	  const struct app_binding *self, bool any)
{
	for (const struct app_binding *o = a->mac_hash[mac_hash(a, net, mac)];
	     o != NULL; o = o->next_mac)
		if (o != self && o->net == net &&
		    memcmp(o->mac, mac, 6) == 0 &&
		    (any || o->src != APP_BIND_ARP))
			return o;
	return NULL;
}

static struct app_binding **
bind_slot(const struct nfv_apps *a, unsigned int net, uint32_t ip)
{
	struct app_binding **pp = &a->bind_hash[bind_hash(a, net, ip)];

	while (*pp != NULL && ((*pp)->net != net || (*pp)->ip != ip))
		pp = &(*pp)->next;
	return pp;
}

const struct app_binding *
arp_lookup(const struct nfv_apps *a, unsigned int net, uint32_t ip)
{
	return *bind_slot(a, net, ip);
}

void
arp_foreach(const struct nfv_apps *a,
	    void (*fn)(void *arg, const struct app_binding *b), void *arg)
{
	for (unsigned int i = 0; i < a->bind_buckets; i++)
		for (const struct app_binding *b = a->bind_hash[i]; b != NULL;
		     b = b->next)
			fn(arg, b);
}

/* Flows of a binding: L2 delivery, and ARP answers for sure ones. */
static void
binding_flows_add(struct nfv_apps *a, const struct app_binding *b)
{
	uint64_t md = a->nets[b->net].metadata;
	char mac[18], ip[16];

	app_flow_add(a, NFV_APP_ARP, "table=30,priority=100,metadata=0x%llx,"
		     "dl_dst=%s,actions=output:%u", (unsigned long long)md,
		     app_mac_str(b->mac, mac), b->port);
	if (b->src != APP_BIND_ARP)
		app_flow_add(a, NFV_APP_ARP, "table=10,priority=100,"
			     "metadata=0x%llx,arp,arp_op=1,arp_tpa=%s,"
			     "actions=controller", (unsigned long long)md,
			     app_ip_str(b->ip, ip));
}

/* Deletes a binding's flows; the L2 flow only if no other binding of the
 * network still uses the MAC. */
static void
binding_flows_del(struct nfv_apps *a, const struct app_binding *b)
{
	uint64_t md = a->nets[b->net].metadata;
	char mac[18], ip[16];

	if (mac_other(a, b->net, b->mac, b, true) == NULL)
		app_flow_del(a, NFV_APP_ARP, true, "table=30,priority=100,"
			     "metadata=0x%llx,dl_dst=%s",
			     (unsigned long long)md, app_mac_str(b->mac, mac));
	if (b->src != APP_BIND_ARP)
		app_flow_del(a, NFV_APP_ARP, true, "table=10,priority=100,"
			     "metadata=0x%llx,arp,arp_op=1,arp_tpa=%s",
			     (unsigned long long)md, app_ip_str(b->ip, ip));
}

static void
binding_remove(struct nfv_apps *a, struct app_binding **pp)
{
	struct app_binding *b = *pp;
	struct app_binding **mp = &a->mac_hash[mac_hash(a, b->net, b->mac)];

	*pp = b->next;
	while (*mp != b)
		mp = &(*mp)->next_mac;
	*mp = b->next_mac;
	a->n_bindings--;
	binding_flows_del(a, b);
	l3_binding_changed(a, b->net, b->ip, NULL);
	free(b);
}

void
arp_learn(struct nfv_apps *a, unsigned int net, uint32_t ip,
	  const uint8_t mac[6], uint32_t port, enum app_bind_src src,
	  uint64_t expires_s)
{
	struct app_binding **pp = bind_slot(a, net, ip);
	struct app_binding *b = *pp;
	uint64_t now = app_now_s();

	const struct app_binding *owner;
	unsigned int mh;

	if (l3_is_gateway(a, net, ip, NULL))
		return;                 /* nobody else may claim those */
	/* A MAC that the switch knows for sure behind one port is not
	 * believed behind another: no stealing of a neighbour's traffic
	 * with a forged ARP. */
	owner = mac_other(a, net, mac, NULL, false);
	if (owner != NULL && owner->port != port && src == APP_BIND_ARP) {
		a->arp.refused++;
		return;
	}
	if (b != NULL) {
		bool same = memcmp(b->mac, mac, 6) == 0 && b->port == port;

		if (src > b->src)       /* weaker: refresh only */
			return;
		if (same && src == b->src) {
			b->learned_s = now;
			b->expires_s = expires_s;
			return;
		}
		/* Moved, or a stronger source: replace it. */
		if (!same)
			a->arp.moved++;
		binding_remove(a, pp);
		pp = bind_slot(a, net, ip);
	}
	if (a->n_bindings >= APP_MAX_BINDINGS) {
		a->arp.table_full++;
		return;
	}
	b = calloc(1, sizeof(*b));
	if (b == NULL) {
		a->arp.table_full++;
		return;
	}
	b->net = net;
	b->ip = ip;
	memcpy(b->mac, mac, 6);
	b->port = port;
	b->src = src;
	b->learned_s = now;
	b->expires_s = expires_s;
	*pp = b;
	mh = mac_hash(a, net, mac);
	b->next_mac = a->mac_hash[mh];
	a->mac_hash[mh] = b;
	a->n_bindings++;
	a->arp.learned++;
	binding_flows_add(a, b);
	l3_binding_changed(a, net, ip, b);
}

void
arp_forget(struct nfv_apps *a, unsigned int net, uint32_t ip,
	   enum app_bind_src src)
{
	struct app_binding **pp = bind_slot(a, net, ip);

	if (*pp != NULL && (*pp)->src == src)
		binding_remove(a, pp);
}

void
arp_send_request(struct nfv_apps *a, const struct app_subnet *s,
		 uint32_t ip)
{
	static const uint8_t zero[6];
	uint8_t frame[64];
	size_t len;

	len = nfv_build_arp(frame, sizeof(frame), bcast_mac, s->mac,
			    NFV_ARP_OP_REQUEST, s->mac, s->cfg->gateway, zero,
			    ip);
	if (len > 0)
		app_flood(a, s->net, frame, len, 0);
}

/* Answers 'req' with 'mac' as the owner of its target address. */
static void
arp_reply(struct nfv_apps *a, const struct nfv_arp *req,
	  const uint8_t mac[6], uint32_t in_port)
{
	uint8_t frame[64];
	size_t len;

	len = nfv_build_arp(frame, sizeof(frame), req->sha, mac,
			    NFV_ARP_OP_REPLY, mac, req->tpa, req->sha,
			    req->spa);
	if (len > 0) {
		app_send(a, frame, len, in_port);
		a->arp.replies++;
	}
}

void
arp_app_packet_in(struct nfv_apps *a, struct rte_mbuf *m, unsigned int net,
		  uint32_t in_port)
{
	uint8_t buf[NFV_ARP_LEN];
	const uint8_t *p;
	const struct app_binding *b;
	struct nfv_flow_key key;
	struct nfv_pkt_meta meta;
	enum nfv_arp_err e;
	struct nfv_arp arp;
	const uint8_t *gw_mac;
	uint32_t len;

	a->arp.packet_in++;
	nfv_parse_mbuf(m, in_port, &key, &meta);
	if (meta.n_vlans != 0 ||
	    key.eth_type != RTE_BE16(RTE_ETHER_TYPE_ARP)) {
		a->arp.dropped++;
		goto out;
	}
	/* The codec judges the payload, whatever the parser made of it. */
	len = RTE_MIN((uint32_t)sizeof(buf),
		      rte_pktmbuf_pkt_len(m) - RTE_ETHER_HDR_LEN);
	p = rte_pktmbuf_pkt_len(m) > RTE_ETHER_HDR_LEN ?
	    rte_pktmbuf_read(m, RTE_ETHER_HDR_LEN, len, buf) : NULL;
	e = p != NULL ? nfv_arp_parse(p, len, &arp) : NFV_ARP_ERR_SHORT;
	if (e != NFV_ARP_ERR_OK) {
		a->arp.malformed++;
		goto out;
	}
	if (memcmp(arp.sha, key.eth_src, 6) != 0) {
		/* Said for someone else: neither learned nor answered. */
		a->arp.refused++;
		goto out;
	}
	/* Senders from outside the network's subnets are not learned. */
	if (arp.spa != 0 && app_subnet_of(a, net, arp.spa) != NULL)
		arp_learn(a, net, arp.spa, arp.sha, in_port, APP_BIND_ARP,
			  app_now_s() + a->cfg->arp_aging);
	if (arp.op != NFV_ARP_OP_REQUEST || nfv_arp_is_gratuitous(&arp))
		goto out;
	a->arp.requests++;
	if (l3_is_gateway(a, net, arp.tpa, &gw_mac)) {
		arp_reply(a, &arp, gw_mac, in_port);
		goto out;
	}
	b = arp_lookup(a, net, arp.tpa);
	if (b != NULL && b->src != APP_BIND_ARP &&
	    memcmp(b->mac, arp.sha, 6) != 0)
		arp_reply(a, &arp, b->mac, in_port);
out:
	rte_pktmbuf_free(m);
}

void
arp_app_tick(struct nfv_apps *a, uint64_t now_s)
{
	for (unsigned int i = 0; i < a->bind_buckets; i++) {
		struct app_binding **pp = &a->bind_hash[i];

		while (*pp != NULL) {
			struct app_binding *b = *pp;
			const struct app_subnet *s;

			if (b->expires_s != 0 && b->expires_s <= now_s) {
				a->arp.aged++;
				binding_remove(a, pp);
				continue;
			}
			/* A learned binding about to age out is asked
			 * first (from a router on its subnet): a host that
			 * is still there answers and keeps its flows. */
			if (b->src == APP_BIND_ARP &&
			    b->expires_s <= now_s + ARP_PROBE_S &&
			    (s = app_subnet_of(a, b->net, b->ip)) != NULL &&
			    s->router >= 0)
				arp_send_request(a, s, b->ip);
			pp = &b->next;
		}
	}
}

int
arp_app_init(struct nfv_apps *a)
{
	a->bind_buckets = ARP_BUCKETS;
	a->bind_hash = calloc(a->bind_buckets, sizeof(a->bind_hash[0]));
	a->mac_hash = calloc(a->bind_buckets, sizeof(a->mac_hash[0]));
	return a->bind_hash != NULL && a->mac_hash != NULL ? 0 : -ENOMEM;
}

void
arp_app_fini(struct nfv_apps *a)
{
	if (a->bind_hash == NULL)
		return;
	for (unsigned int i = 0; i < a->bind_buckets; i++)
		while (a->bind_hash[i] != NULL) {
			struct app_binding *b = a->bind_hash[i];

			a->bind_hash[i] = b->next;
			free(b);
		}
	free(a->bind_hash);
	free(a->mac_hash);
	a->bind_hash = NULL;
	a->mac_hash = NULL;
}

/* Table 10: requests for gateways are answered, every other ARP is copied
 * to the app (to learn) and flooded within the network by table 30. The
 * config's endpoints are known from the start. */
void
arp_app_install(struct nfv_apps *a)
{
	char ip[16];

	for (unsigned int i = 0; i < a->n_nets; i++) {
		const struct app_net *n = &a->nets[i];

		for (unsigned int j = 0; j < n->cfg->n_subnets; j++) {
			const struct app_subnet *s = &n->subnets[j];

			if (s->router < 0)
				continue;
			app_flow_add(a, NFV_APP_ARP, "table=10,priority=100,"
				     "metadata=0x%llx,arp,arp_op=1,"
				     "arp_tpa=%s,actions=controller",
				     (unsigned long long)n->metadata,
				     app_ip_str(s->cfg->gateway, ip));
		}
	}
	app_flow_add(a, NFV_APP_ARP, "table=10,priority=10,arp,"
		     "actions=controller,goto_table:30");
	for (unsigned int i = 0; i < a->cfg->n_endpoints; i++) {
		const struct nfv_endpoint_config *e = &a->cfg->endpoints[i];

		arp_learn(a, e->network, e->ip, e->mac, e->port + 1,
			  APP_BIND_STATIC, 0);
	}
}
