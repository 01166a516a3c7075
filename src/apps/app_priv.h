/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the local-controller apps share (apps.c, arp_app.c, dhcp_app.c,
 * l3_app.c, apps_ctl.c): the tenant model resolved for quick lookups, the
 * helpers that add and delete flows and send packets, and each app's entry
 * points. Control thread only; nothing here is seen by the workers.
 *
 * Pipeline (DESIGN.md): table 0 classifies ports into networks
 * (metadata = network index + 1), 1 splits ARP / DHCP / the rest, 10 is
 * ARP, 11 DHCP, 20 the routers, 30 L2 within a network.
 */
#ifndef NFV_APP_PRIV_H
#define NFV_APP_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "apps.h"
#include "config.h"
#include "lease_store.h"

struct nfv_switch;

#define APP_TABLE_L3 20                 /* the routers' table */

#define APP_MAX_BINDINGS 65536          /* ARP app, all networks */
#define APP_MAX_LATER 1024              /* packets sent after a commit */
#define APP_FRAME_MAX 1600              /* frames the apps build */

/* A subnet of a network, with what the apps derived from the config. */
struct app_subnet {
	const struct nfv_subnet_config *cfg;
	unsigned int net;               /* index into nfv_apps.nets */
	int router;                     /* index into nfv_apps.routers, -1 */
	uint32_t mask;                  /* host order */
	uint8_t mac[6];                 /* router MAC or a local one (DHCP) */
	struct nfv_lease_pool *pool;    /* NULL: DHCP off */
};

struct app_net {
	const struct nfv_network_config *cfg;
	uint64_t metadata;              /* index + 1 */
	struct app_subnet *subnets;     /* cfg->n_subnets */
	uint32_t ports[NFV_MAX_PORTS];  /* OpenFlow ports */
	unsigned int n_ports;
};

struct app_router {
	const struct nfv_router_config *cfg;
	struct app_subnet **subnets;    /* cfg->n_subnets */
};

/* Where a binding came from; the first two answer ARP for the host. */
enum app_bind_src {
	APP_BIND_STATIC,                /* "endpoints" */
	APP_BIND_DHCP,                  /* leased by the DHCP app */
	APP_BIND_ARP,                   /* learned from ARP */
};

/* An IP -> MAC, port binding inside one network. */
struct app_binding {
	struct app_binding *next;       /* chain of bind_hash */
	struct app_binding *next_mac;   /* chain of mac_hash */
	unsigned int net;
	uint32_t ip;                    /* host order */
	uint8_t mac[6];
	uint32_t port;                  /* OpenFlow port */
	enum app_bind_src src;
	uint64_t learned_s;             /* monotonic seconds */
	uint64_t expires_s;             /* monotonic; 0: never */
};

struct app_arp_stats {
	uint64_t packet_in, requests, replies, learned, moved, aged;
	uint64_t malformed, dropped, table_full, refused;
};

struct app_dhcp_stats {
	uint64_t packet_in, discover, offer, request, ack, nak, release;
	uint64_t decline, inform, malformed, pool_full, dropped;
};

struct app_l3_stats {
	uint64_t packet_in, flows_installed, arp_requests, held, released;
	uint64_t echo_replies, unreachable, time_exceeded, dropped;
};

struct app_later {
	struct rte_mbuf *m;
	uint32_t in_port;
};

struct app_pending;

struct nfv_apps {
	struct nfv_switch *sw;
	const struct nfv_config *cfg;
	struct app_net *nets;
	unsigned int n_nets;
	struct app_router *routers;
	unsigned int n_routers;
	int port_net[NFV_MAX_PORTS + 1];        /* ofport -> net, or -1 */
	/* ARP app: bindings hashed by (net, ip). */
	struct app_binding **bind_hash;         /* by (net, ip) */
	struct app_binding **mac_hash;          /* by (net, mac) */
	unsigned int bind_buckets;              /* power of two, each */
	unsigned int n_bindings;
	struct app_arp_stats arp;
	/* DHCP app. */
	struct nfv_lease_store *leases;
	bool leases_dirty;
	uint64_t last_save_s;
	struct app_dhcp_stats dhcp;
	/* L3 app: packets waiting for an ARP reply. */
	struct app_pending *pending;
	struct app_l3_stats l3;
	/* Flows added since the last commit; packets to send after it. */
	bool dirty;
	struct app_later later[APP_MAX_LATER];
	unsigned int n_later;
};

/* Seconds of CLOCK_MONOTONIC. */
uint64_t app_now_s(void);

/* Adds the flow of text 'fmt' (ovs-ofctl syntax, no cookie: the app's is
 * prepended) for app 'app'. Committed by nfv_apps_flush(). Returns 0 or
 * -errno (logged: the apps' flows are built, not typed). */
int app_flow_add(struct nfv_apps *a, enum nfv_app_id app, const char *fmt,
		 ...) __attribute__((format(printf, 3, 4)));

/* Deletes app 'app's flows selected by filter text 'fmt' (strict: also
 * the priority). */
void app_flow_del(struct nfv_apps *a, enum nfv_app_id app, bool strict,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Sends 'len' bytes of 'frame' out of OpenFlow port 'port'. */
void app_send(struct nfv_apps *a, const uint8_t *frame, size_t len,
	      uint32_t port);

/* Sends 'frame' out of every port of network 'net' but 'except'. */
void app_flood(struct nfv_apps *a, unsigned int net, const uint8_t *frame,
	       size_t len, uint32_t except);

/* Sends 'm' through the tables as if received on 'in_port', once the
 * flows added so far are committed. Consumes 'm'. */
void app_send_later(struct nfv_apps *a, struct rte_mbuf *m, uint32_t in_port);

/* The subnet of network 'net' that holds 'ip', or NULL. */
struct app_subnet *app_subnet_of(struct nfv_apps *a, unsigned int net,
				 uint32_t ip);

/* Formats an IPv4 address (host order) into 'buf' (16 bytes). */
const char *app_ip_str(uint32_t ip, char buf[16]);

/* Formats a MAC into 'buf' (18 bytes). */
const char *app_mac_str(const uint8_t mac[6], char buf[18]);

/* ARP app (arp_app.c). */
int arp_app_init(struct nfv_apps *a);
void arp_app_fini(struct nfv_apps *a);
void arp_app_install(struct nfv_apps *a);
void arp_app_packet_in(struct nfv_apps *a, struct rte_mbuf *m,
		       unsigned int net, uint32_t in_port);
void arp_app_tick(struct nfv_apps *a, uint64_t now_s);
/* The binding of 'ip' in 'net', or NULL. */
const struct app_binding *arp_lookup(const struct nfv_apps *a,
				     unsigned int net, uint32_t ip);
/* Records that 'ip' of 'net' is at 'mac' behind 'port' (from 'src',
 * until 'expires_s', 0 = never); a stronger source is not overridden
 * by a weaker one. Installs the L2 flow (and the ARP answer flow for
 * static and DHCP bindings) and tells the L3 app. */
void arp_learn(struct nfv_apps *a, unsigned int net, uint32_t ip,
	       const uint8_t mac[6], uint32_t port, enum app_bind_src src,
	       uint64_t expires_s);
/* Forgets the binding of 'ip' in 'net' if it came from 'src' (DHCP
 * release or decline). */
void arp_forget(struct nfv_apps *a, unsigned int net, uint32_t ip,
		enum app_bind_src src);
/* Broadcasts "who has 'ip'" from the router port of subnet 's'. */
void arp_send_request(struct nfv_apps *a, const struct app_subnet *s,
		      uint32_t ip);
/* Visits every binding. */
void arp_foreach(const struct nfv_apps *a,
		 void (*fn)(void *arg, const struct app_binding *b),
		 void *arg);
const char *arp_src_name(enum app_bind_src src);

/* DHCP app (dhcp_app.c). */
int dhcp_app_init(struct nfv_apps *a, char *err);
void dhcp_app_fini(struct nfv_apps *a);
void dhcp_app_install(struct nfv_apps *a);
void dhcp_app_packet_in(struct nfv_apps *a, struct rte_mbuf *m,
			unsigned int net, uint32_t in_port);
void dhcp_app_tick(struct nfv_apps *a, uint64_t now_s);

/* L3 app (l3_app.c). */
int l3_app_init(struct nfv_apps *a);
void l3_app_fini(struct nfv_apps *a);
void l3_app_install(struct nfv_apps *a);
void l3_app_packet_in(struct nfv_apps *a, struct rte_mbuf *m,
		      unsigned int net, uint32_t in_port);
void l3_app_tick(struct nfv_apps *a, uint64_t now_ms);
/* Sends ICMP time exceeded for 'm', whose TTL dec_ttl found expired, and
 * frees it, if it was on its way through a router; else returns false
 * and leaves 'm' to OpenFlow. */
bool l3_app_ttl_expired(struct nfv_apps *a, struct rte_mbuf *m,
			unsigned int net, uint32_t in_port);
/* A binding of 'net' appeared, moved or went away ('b' NULL). */
void l3_binding_changed(struct nfv_apps *a, unsigned int net, uint32_t ip,
			const struct app_binding *b);
/* Visits the destinations waiting for an ARP reply (route-show). */
void l3_pending_foreach(const struct nfv_apps *a,
			void (*fn)(void *arg, unsigned int net, uint32_t ip,
				   unsigned int n_held, unsigned int tries),
			void *arg);
/* True if 'ip' is the gateway of a router's subnet in network 'net';
 * '*mac' (may be NULL) then gets the router's MAC. */
bool l3_is_gateway(const struct nfv_apps *a, unsigned int net, uint32_t ip,
		   const uint8_t **mac);

/* nfvctl commands (apps_ctl.c). */
int apps_ctl_register(struct nfv_apps *a);

#endif /* NFV_APP_PRIV_H */
