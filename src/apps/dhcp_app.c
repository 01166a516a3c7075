/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DHCP app: a DHCPv4 server per subnet with "dhcp.enabled", answering on
 * the port the request came in on. DISCOVER -> OFFER, REQUEST -> ACK or
 * NAK, RELEASE, DECLINE, INFORM (RFC 2131); config endpoints get their
 * fixed address, other clients one of the range. Messages are decoded and
 * built by dhcp_codec, addresses held by lease_store; bound leases are
 * saved to the state file (at most once a second, and at exit) and read
 * back at start. A lease is also an ARP binding (the ARP app answers for
 * the host and table 30 delivers to it).
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "app_priv.h"
#include "dhcp_codec.h"
#include "nfv_log.h"
#include "parse.h"
#include "pkt_build.h"

#define DHCP_MSG_MAX 1500
#define DHCP_LOG_EVERY 1000             /* pool-full warnings */

static const uint8_t bcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* Lease times are wall-clock: they are written to the state file. */
static uint64_t
wall_s(void)
{
	return (uint64_t)time(NULL);
}

/* The endpoint of the config with 'mac' in network 'net', or NULL. */
static const struct nfv_endpoint_config *
endpoint_of(const struct nfv_apps *a, unsigned int net, const uint8_t mac[6])
{
	for (unsigned int i = 0; i < a->cfg->n_endpoints; i++) {
		const struct nfv_endpoint_config *e = &a->cfg->endpoints[i];

		if (e->network == net && memcmp(e->mac, mac, 6) == 0)
			return e;
	}
	return NULL;
}

/* The subnet of network 'net' serving 'mac': its endpoint's, the one
 * holding 'want' (0: none), or the first with a dynamic range. */
static struct app_subnet *
dhcp_subnet(struct nfv_apps *a, unsigned int net, const uint8_t mac[6],
	    uint32_t want)
{
	const struct nfv_endpoint_config *e = endpoint_of(a, net, mac);
	struct app_net *n = &a->nets[net];
	struct app_subnet *s;

	if (e != NULL) {
		s = &n->subnets[e->subnet];
		return s->pool != NULL ? s : NULL;
	}
	if (want != 0) {
		s = app_subnet_of(a, net, want);
		return s != NULL && s->pool != NULL ? s : NULL;
	}
	for (unsigned int i = 0; i < n->cfg->n_subnets; i++) {
		s = &n->subnets[i];
		if (s->pool != NULL && s->cfg->dhcp.range_given)
			return s;
	}
	return NULL;
}

static void
spec_fill(const struct app_subnet *s, uint8_t type, uint32_t yiaddr,
	  struct nfv_dhcp_reply_spec *spec)
{
	const struct nfv_dhcp_config *d = &s->cfg->dhcp;

	memset(spec, 0, sizeof(*spec));
	spec->msg_type = type;
	spec->yiaddr = yiaddr;
	spec->server_id = s->cfg->gateway;
	spec->subnet_mask = s->mask;
	spec->router = s->cfg->gateway;
	for (unsigned int i = 0; i < d->n_dns && i < NFV_DHCP_DNS_MAX; i++)
		spec->dns[spec->n_dns++] = d->dns[i];
	spec->domain_name = d->domain;
	spec->lease_time = d->lease_seconds;
	spec->mtu = d->mtu;
	spec->broadcast = s->cfg->addr | ~s->mask;
	/* A client that takes option 121 ignores option 3 (RFC 3442): the
	 * default route has to be in it too. */
	spec->routes[0].dst = 0;
	spec->routes[0].prefix_len = 0;
	spec->routes[0].gateway = s->cfg->gateway;
	spec->n_routes = 1;
}

static void
dhcp_send(struct nfv_apps *a, const struct app_subnet *s,
	  const struct nfv_dhcp_msg *req, const uint8_t *req_src_mac,
	  const struct nfv_dhcp_reply_spec *spec, uint32_t in_port)
{
	uint8_t msg[DHCP_MSG_MAX], frame[APP_FRAME_MAX];
	struct nfv_dhcp_dest dest;
	const uint8_t *eth_dst;
	size_t len, flen;

	if (nfv_dhcp_build_reply(req, spec, msg, sizeof(msg), &len) < 0) {
		a->dhcp.dropped++;
		return;
	}
	nfv_dhcp_reply_dest(req, spec->msg_type, spec->yiaddr, &dest);
	if (dest.l2_broadcast)
		eth_dst = bcast_mac;
	else if (dest.kind == NFV_DHCP_DEST_RELAY)
		eth_dst = req_src_mac;
	else
		eth_dst = req->chaddr;
	flen = nfv_build_udp4(frame, sizeof(frame), eth_dst, s->mac,
			      spec->server_id, dest.ip, NFV_DHCP_SERVER_PORT,
			      dest.port, msg, len);
	if (flen == 0) {
		a->dhcp.dropped++;
		return;
	}
	app_send(a, frame, flen, in_port);
	switch (spec->msg_type) {
	case NFV_DHCP_OFFER:
		a->dhcp.offer++;
		break;
	case NFV_DHCP_ACK:
		a->dhcp.ack++;
		break;
	case NFV_DHCP_NAK:
		a->dhcp.nak++;
		break;
	}
}

static void
dhcp_nak(struct nfv_apps *a, const struct app_subnet *s,
	 const struct nfv_dhcp_msg *req, const uint8_t *src_mac,
	 const char *why, uint32_t in_port)
{
	struct nfv_dhcp_reply_spec spec;

	spec_fill(s, NFV_DHCP_NAK, 0, &spec);
	spec.message = why;
	dhcp_send(a, s, req, src_mac, &spec, in_port);
}

static void
dhcp_discover(struct nfv_apps *a, unsigned int net,
	      const struct nfv_dhcp_msg *req, const uint8_t *src_mac,
	      uint32_t in_port)
{
	uint32_t want = req->has_requested_ip ? req->requested_ip : 0;
	struct app_subnet *s = dhcp_subnet(a, net, req->chaddr, 0);
	struct nfv_dhcp_reply_spec spec;
	uint32_t ip;
	int ret;

	if (s == NULL) {
		a->dhcp.dropped++;
		return;
	}
	if (want != 0 && app_subnet_of(a, net, want) != s)
		want = 0;
	ret = nfv_lease_offer(s->pool, req->chaddr, want, wall_s(), &ip);
	if (ret == -ENOSPC) {
		if (a->dhcp.pool_full++ % DHCP_LOG_EVERY == 0)
			NFV_LOG(WARNING, "dhcp: subnet %s: no free address "
				"(%s, %" PRIu64 " times so far)",
				s->cfg->name, app_mac_str(req->chaddr,
							  (char[18]){ 0 }),
				a->dhcp.pool_full);
		return;
	}
	if (ret < 0) {
		a->dhcp.dropped++;
		return;
	}
	spec_fill(s, NFV_DHCP_OFFER, ip, &spec);
	dhcp_send(a, s, req, src_mac, &spec, in_port);
}

static void
dhcp_request(struct nfv_apps *a, unsigned int net,
	     const struct nfv_dhcp_msg *req, const uint8_t *src_mac,
	     uint32_t in_port)
{
	uint32_t ip = req->has_requested_ip ? req->requested_ip : req->ciaddr;
	struct app_subnet *s = dhcp_subnet(a, net, req->chaddr, ip);
	struct nfv_dhcp_reply_spec spec;
	uint64_t expiry;
	int ret;

	if (s == NULL) {
		/* An address of no subnet here (INIT-REBOOT after a move):
		 * tell the client, from the network's first DHCP subnet. */
		s = dhcp_subnet(a, net, req->chaddr, 0);
		if (s != NULL && ip != 0)
			dhcp_nak(a, s, req, src_mac, "wrong network", in_port);
		else
			a->dhcp.dropped++;
		return;
	}
	if (req->has_server_id && req->server_id != s->cfg->gateway) {
		/* The client chose another server's offer. */
		a->dhcp.dropped++;
		return;
	}
	if (ip == 0) {
		a->dhcp.dropped++;
		return;
	}
	ret = nfv_lease_request(s->pool, req->chaddr, ip, wall_s(), &expiry);
	if (ret < 0) {
		dhcp_nak(a, s, req, src_mac,
			 ret == -EBUSY ? "address in use" :
					 "address not available", in_port);
		return;
	}
	spec_fill(s, NFV_DHCP_ACK, ip, &spec);
	dhcp_send(a, s, req, src_mac, &spec, in_port);
	a->leases_dirty = true;
	arp_learn(a, net, ip, req->chaddr, in_port, APP_BIND_DHCP,
		  app_now_s() + (expiry - wall_s()));
}

static void
dhcp_release(struct nfv_apps *a, unsigned int net,
	     const struct nfv_dhcp_msg *req, bool decline)
{
	uint32_t ip = decline ? req->requested_ip : req->ciaddr;
	struct app_subnet *s = app_subnet_of(a, net, ip);
	int ret;

	if (s == NULL || s->pool == NULL ||
	    (decline && !req->has_requested_ip)) {
		a->dhcp.dropped++;
		return;
	}
	if (decline) {
		ret = nfv_lease_decline(s->pool, req->chaddr, ip, wall_s());
		if (ret == 0)
			NFV_LOG(WARNING, "dhcp: subnet %s: client %s declined "
				"%s: address in use by someone else",
				s->cfg->name,
				app_mac_str(req->chaddr, (char[18]){ 0 }),
				app_ip_str(ip, (char[16]){ 0 }));
	} else {
		ret = nfv_lease_release(s->pool, req->chaddr, ip, wall_s());
	}
	if (ret < 0) {
		a->dhcp.dropped++;
		return;
	}
	a->leases_dirty = true;
	arp_forget(a, net, ip, APP_BIND_DHCP);
}

static void
dhcp_inform(struct nfv_apps *a, unsigned int net,
	    const struct nfv_dhcp_msg *req, const uint8_t *src_mac,
	    uint32_t in_port)
{
	struct app_subnet *s = app_subnet_of(a, net, req->ciaddr);
	struct nfv_dhcp_reply_spec spec;

	if (req->ciaddr == 0 || s == NULL || s->pool == NULL) {
		a->dhcp.dropped++;
		return;
	}
	/* RFC 2131 3.4: no lease time, no yiaddr. */
	spec_fill(s, NFV_DHCP_ACK, 0, &spec);
	spec.lease_time = 0;
	dhcp_send(a, s, req, src_mac, &spec, in_port);
}

void
dhcp_app_packet_in(struct nfv_apps *a, struct rte_mbuf *m, unsigned int net,
		   uint32_t in_port)
{
	static uint8_t buf[DHCP_MSG_MAX];
	struct nfv_dhcp_msg req;
	struct nfv_flow_key key;
	struct nfv_pkt_meta meta;
	const uint8_t *p;
	uint32_t ofs, len;
	uint8_t src_mac[6];
	const struct nfv_endpoint_config *e_cfg;
	enum nfv_dhcp_err e;

	a->dhcp.packet_in++;
	nfv_parse_mbuf(m, in_port, &key, &meta);
	if (meta.l4_ofs == 0 || meta.n_vlans != 0 ||
	    key.eth_type != RTE_BE16(RTE_ETHER_TYPE_IPV4) ||
	    key.ip_proto != IPPROTO_UDP ||
	    key.tp_dst != RTE_BE16(NFV_DHCP_SERVER_PORT)) {
		a->dhcp.dropped++;
		goto out;
	}
	ofs = meta.l4_ofs + NFV_UDP_HLEN;
	if (rte_pktmbuf_pkt_len(m) < ofs) {
		a->dhcp.malformed++;
		goto out;
	}
	len = RTE_MIN(rte_pktmbuf_pkt_len(m) - ofs, (uint32_t)sizeof(buf));
	p = rte_pktmbuf_read(m, ofs, len, buf);
	e = p != NULL ? nfv_dhcp_parse(p, len, &req) : NFV_DHCP_ERR_SHORT;
	if (e != NFV_DHCP_ERR_OK || req.op != NFV_BOOTREQUEST ||
	    req.htype != 1 || req.hlen != 6) {
		a->dhcp.malformed++;
		goto out;
	}
	memcpy(src_mac, key.eth_src, 6);
	e_cfg = endpoint_of(a, net, req.chaddr);
	if (e_cfg != NULL && e_cfg->port + 1 != in_port) {
		/* A known endpoint's MAC on another port: not its owner. */
		a->dhcp.dropped++;
		goto out;
	}
	switch (req.msg_type) {
	case NFV_DHCP_DISCOVER:
		a->dhcp.discover++;
		dhcp_discover(a, net, &req, src_mac, in_port);
		break;
	case NFV_DHCP_REQUEST:
		a->dhcp.request++;
		dhcp_request(a, net, &req, src_mac, in_port);
		break;
	case NFV_DHCP_RELEASE:
		a->dhcp.release++;
		dhcp_release(a, net, &req, false);
		break;
	case NFV_DHCP_DECLINE:
		a->dhcp.decline++;
		dhcp_release(a, net, &req, true);
		break;
	case NFV_DHCP_INFORM:
		a->dhcp.inform++;
		dhcp_inform(a, net, &req, src_mac, in_port);
		break;
	default:                        /* OFFER, ACK, NAK: not for us */
		a->dhcp.dropped++;
		break;
	}
out:
	rte_pktmbuf_free(m);
}

static void
dhcp_save(struct nfv_apps *a)
{
	char err[NFV_LEASE_ERR_MAX];

	if (nfv_lease_store_save(a->leases, a->cfg->dhcp_state_file,
				 err) < 0)
		NFV_LOG(ERR, "dhcp: cannot save leases: %s", err);
	a->leases_dirty = false;
}

void
dhcp_app_tick(struct nfv_apps *a, uint64_t now_s)
{
	if (a->leases == NULL)
		return;
	if (nfv_lease_store_expire(a->leases, wall_s()) > 0)
		a->leases_dirty = true;
	if (a->leases_dirty && now_s != a->last_save_s) {
		dhcp_save(a);
		a->last_save_s = now_s;
	}
}

/* One pool per DHCP subnet, named after it, with the subnet's endpoints
 * as fixed addresses. */
static int
pool_add(struct nfv_apps *a, struct app_subnet *s, char *err)
{
	const struct nfv_dhcp_config *d = &s->cfg->dhcp;
	struct nfv_lease_fixed *fixed;
	struct nfv_lease_pool_params p = {
		.name = s->cfg->name,
		.start = d->range_given ? d->range_start : 1,
		.end = d->range_given ? d->range_end : 0,
		.lease_time = d->lease_seconds,
	};
	char why[NFV_LEASE_ERR_MAX];
	int ret;

	fixed = calloc(a->cfg->n_endpoints + 1, sizeof(*fixed));
	if (fixed == NULL)
		return -ENOMEM;
	for (unsigned int i = 0; i < a->cfg->n_endpoints; i++) {
		const struct nfv_endpoint_config *e = &a->cfg->endpoints[i];

		if (e->network != s->net ||
		    &a->nets[s->net].subnets[e->subnet] != s)
			continue;
		memcpy(fixed[p.n_fixed].mac, e->mac, 6);
		fixed[p.n_fixed].ip = e->ip;
		p.n_fixed++;
	}
	p.fixed = fixed;
	ret = nfv_lease_pool_add(a->leases, &p, &s->pool, why);
	free(fixed);
	if (ret < 0)
		snprintf(err, NFV_CONFIG_ERR_MAX, "subnet %s: DHCP pool: %s",
			 s->cfg->name, ret == -EINVAL ? why : strerror(-ret));
	return ret;
}

/* Creates the directory of the state file if it is missing (one level,
 * as /var/lib/nfvswitch is on a fresh install). */
static void
state_dir_create(const char *path)
{
	char dir[PATH_MAX];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir)
		return;
	*slash = '\0';
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		NFV_LOG(WARNING, "dhcp: cannot create %s: %s", dir,
			strerror(errno));
}

int
dhcp_app_init(struct nfv_apps *a, char *err)
{
	char why[NFV_LEASE_ERR_MAX];
	unsigned int n_skipped = 0;
	bool any = false;
	int ret;

	for (unsigned int i = 0; i < a->n_nets && !any; i++)
		for (unsigned int j = 0; j < a->nets[i].cfg->n_subnets; j++)
			any |= a->nets[i].subnets[j].cfg->dhcp.enabled;
	if (!any)
		return 0;
	if (nfv_lease_store_create(&a->leases) < 0) {
		snprintf(err, NFV_CONFIG_ERR_MAX, "dhcp: out of memory");
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < a->n_nets; i++)
		for (unsigned int j = 0; j < a->nets[i].cfg->n_subnets; j++) {
			struct app_subnet *s = &a->nets[i].subnets[j];

			if (!s->cfg->dhcp.enabled)
				continue;
			ret = pool_add(a, s, err);
			if (ret < 0)
				return ret;
		}
	state_dir_create(a->cfg->dhcp_state_file);
	ret = nfv_lease_store_load(a->leases, a->cfg->dhcp_state_file,
				   wall_s(), &n_skipped, why);
	if (ret < 0) {
		/* A corrupt file must not stop the network: start empty
		 * and say so; the next save replaces it. */
		NFV_LOG(ERR, "dhcp: leases not loaded: %s", why);
	} else {
		NFV_LOG(INFO, "dhcp: leases loaded from %s (%u skipped)",
			a->cfg->dhcp_state_file, n_skipped);
	}
	return 0;
}

void
dhcp_app_fini(struct nfv_apps *a)
{
	if (a->leases == NULL)
		return;
	dhcp_save(a);
	nfv_lease_store_destroy(a->leases);
	a->leases = NULL;
}

/* Table 11: every DHCP request to the app, on the networks it serves. */
void
dhcp_app_install(struct nfv_apps *a)
{
	for (unsigned int i = 0; i < a->n_nets; i++) {
		bool any = false;

		for (unsigned int j = 0; j < a->nets[i].cfg->n_subnets; j++)
			any |= a->nets[i].subnets[j].pool != NULL;
		if (any)
			app_flow_add(a, NFV_APP_DHCP, "table=11,priority=100,"
				     "metadata=0x%llx,actions=controller",
				     (unsigned long long)a->nets[i].metadata);
	}
	/* Networks without a DHCP server: DHCP is ordinary traffic. */
	app_flow_add(a, NFV_APP_DHCP, "table=11,priority=0,"
		     "actions=goto_table:30");
}
