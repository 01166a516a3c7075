/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Action execution and transmission on a worker (see exec.h).
 *
 * Sharing a packet between several outputs: an output that is the last
 * action touching the packet hands the mbuf itself over ("consume"); an
 * output followed only by other outputs takes a reference (the mbuf is
 * sent several times, unmodified); an output followed by header edits
 * sends a copy, because the tx buffer would otherwise see the later edits.
 * The common case, a megaflow whose only action is one output to a
 * port, moves the whole batch into the tx buffer at once.
 */
#include <errno.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "exec.h"
#include "group.h"
#include "mac_learn.h"
#include "mfc.h"
#include "pkt_edit.h"
#include "port.h"
#include "table.h"

#define GROUP_MAX_DEPTH 4

enum share {
	SHARE_CONSUME,  /* hand the mbuf over */
	SHARE_REF,      /* send it and keep using it, unmodified */
	SHARE_COPY,     /* send a copy; the original will be edited */
};

/* One packet on its way through an action list. */
struct pkt_ctx {
	struct rte_mbuf *m;
	struct nfv_flow_key *key;
	struct nfv_pkt_meta *meta;
	uint32_t in_port;
	bool sent;              /* went to at least one output */
	bool skipped_in_port;   /* an output was its own input port */
};

void
nfv_exec_drop(struct nfv_worker *w, struct rte_mbuf *m,
	      enum nfv_drop_reason why)
{
	rte_pktmbuf_free(m);
	w->stats.drops[why]++;
}

/* Sends what is buffered for 'ofport'; frees and counts what the device
 * did not take. */
static void
tx_flush(struct nfv_worker *w, uint32_t ofport)
{
	struct nfv_txbuf *b = &w->tx[ofport];
	struct nfv_port *port = &w->dp->ports[ofport - 1];
	uint16_t q = w->id % port->n_txq;
	uint16_t sent;

	if (unlikely(port->txq_shared)) {
		rte_spinlock_lock(&port->txq_lock[q]);
		sent = rte_eth_tx_burst(port->port_id, q, b->pkts, b->n);
		rte_spinlock_unlock(&port->txq_lock[q]);
	} else {
		sent = rte_eth_tx_burst(port->port_id, q, b->pkts, b->n);
	}
	w->stats.tx_packets += sent;
	if (unlikely(sent < b->n)) {
		uint16_t n_left = b->n - sent;

		rte_pktmbuf_free_bulk(&b->pkts[sent], n_left);
		w->stats.drops[NFV_DROP_TX_FULL] += n_left;
		w->stats.tx_dropped[ofport] += n_left;
	}
	b->n = 0;
}

void
nfv_worker_flush(struct nfv_worker *w)
{
	uint64_t pending = w->tx_pending;

	while (pending) {
		unsigned int bit = __builtin_ctzll(pending);

		pending &= pending - 1;
		tx_flush(w, bit + 1);
	}
	w->tx_pending = 0;
}

static inline void
tx_enqueue(struct nfv_worker *w, uint32_t ofport, struct rte_mbuf *m)
{
	struct nfv_txbuf *b = &w->tx[ofport];

	w->tx_pending |= UINT64_C(1) << (ofport - 1);
	b->pkts[b->n++] = m;
	if (unlikely(b->n == NFV_BURST_MAX))
		tx_flush(w, ofport);
}

void
nfv_exec_output_burst(struct nfv_worker *w, uint32_t ofport,
		      struct rte_mbuf **pkts, uint16_t n)
{
	struct nfv_txbuf *b = &w->tx[ofport];

	/* Nothing buffered: hand the burst to the device as it is. */
	if (b->n == 0 && n == NFV_BURST_MAX) {
		memcpy(b->pkts, pkts, n * sizeof(pkts[0]));
		b->n = n;
		tx_flush(w, ofport);
		return;
	}
	for (uint16_t i = 0; i < n; i++)
		tx_enqueue(w, ofport, pkts[i]);
}

/* The mbuf to hand to an output under 'share', or NULL (counted). */
static struct rte_mbuf *
share_pkt(struct nfv_worker *w, struct rte_mbuf *m, enum share share)
{
	struct rte_mbuf *c;

	switch (share) {
	case SHARE_REF:
		rte_mbuf_refcnt_update(m, 1);
		return m;
	case SHARE_COPY:
		c = rte_pktmbuf_copy(m, w->dp->copy_pool, 0, UINT32_MAX);
		if (unlikely(c == NULL))
			w->stats.drops[NFV_DROP_NO_MBUF]++;
		return c;
	case SHARE_CONSUME:
	default:
		return m;
	}
}

/* Sends the packet out of real port 'port' (1..n_ports). */
static void
send_port(struct nfv_worker *w, struct pkt_ctx *p, uint32_t port,
	  enum share share)
{
	const struct nfv_dp *dp = w->dp;
	struct rte_mbuf *m;

	if (unlikely(port == 0 || port > dp->n_ports ||
		     dp->port_state[port].no_fwd)) {
		if (share == SHARE_CONSUME)
			nfv_exec_drop(w, p->m, NFV_DROP_NO_PORT);
		return;
	}
	m = share_pkt(w, p->m, share);
	if (m != NULL) {
		tx_enqueue(w, port, m);
		p->sent = true;
	}
}

/* Sends to every port but the input port (FLOOD also skips no_flood). */
static void
send_flood(struct nfv_worker *w, struct pkt_ctx *p, bool all,
	   enum share share)
{
	const struct nfv_dp *dp = w->dp;
	uint32_t last = 0;

	for (uint32_t port = 1; port <= dp->n_ports; port++) {
		if (port == p->in_port || dp->port_state[port].no_fwd ||
		    (!all && dp->port_state[port].no_flood))
			continue;
		if (last)
			send_port(w, p, last, share == SHARE_COPY ?
					      SHARE_COPY : SHARE_REF);
		last = port;
	}
	if (last)
		send_port(w, p, last, share);
	else if (share == SHARE_CONSUME)
		nfv_exec_drop(w, p->m, NFV_DROP_NO_PORT);
}

/* NORMAL: learn the source, forward to the known port of the
 * destination or flood within the VLAN. */
static void
send_normal(struct nfv_worker *w, struct pkt_ctx *p, enum share share)
{
	const struct nfv_flow_key *k = p->key;
	uint16_t vid = (rte_be_to_cpu_16(k->vlan_tci) & NFV_VLAN_PRESENT) ?
		       rte_be_to_cpu_16(k->vlan_tci) & NFV_VLAN_VID_MASK : 0;
	uint32_t now_s = w->now_ms / 1000, port;

	nfv_mac_learn(w->dp->macs, k->eth_src, vid, p->in_port, now_s);
	if (!(k->eth_dst[0] & 1)) {
		port = nfv_mac_lookup(w->dp->macs, k->eth_dst, vid, now_s);
		if (port == p->in_port) {
			/* The destination sits behind the input port. */
			p->skipped_in_port = true;
			if (share == SHARE_CONSUME)
				nfv_exec_drop(w, p->m, NFV_DROP_IN_PORT);
			return;
		}
		if (port) {
			send_port(w, p, port, share);
			return;
		}
	}
	send_flood(w, p, false, share);
}

/* Queues a packet-in for the control thread, under the rate limit. */
static void
send_controller(struct nfv_worker *w, struct pkt_ctx *p,
		const struct nfv_pktin_info *pi, uint16_t max_len,
		enum share share)
{
	const struct nfv_dp *dp = w->dp;
	struct nfv_pktin_meta *meta;
	uint8_t reason = pi != NULL ? pi->reason : NFV_PKTIN_ACTION;
	enum nfv_app_id app = pi != NULL ? nfv_app_of_cookie(pi->cookie) :
					   NFV_APP_NONE;
	unsigned int bucket = app != NFV_APP_NONE ?
			      NFV_PKTIN_N_REASONS + app :
			      reason % NFV_PKTIN_N_REASONS;
	struct nfv_token_bucket *tb = &w->pktin_tb[bucket];
	uint64_t elapsed = w->now_ms - tb->last_ms;
	uint64_t rate = app != NFV_APP_NONE ? dp->app_pktin_rate :
					      dp->pktin_rate;
	uint64_t cap = (uint64_t)(app != NFV_APP_NONE ? dp->app_pktin_burst :
					dp->pktin_burst) * 1000;
	struct rte_mbuf *m;

	/* A token bucket per consumer, in milli-packets ('rate' per
	 * second): a flood of table misses cannot starve the packet-ins
	 * that rules ask for explicitly, a DHCP flood cannot starve the
	 * router, and so on. */
	tb->tokens = RTE_MIN(cap, tb->tokens + elapsed * rate);
	tb->last_ms = w->now_ms;
	if (tb->tokens < 1000) {
		w->stats.pktin_app_limited[app] += app != NFV_APP_NONE;
		if (share == SHARE_CONSUME)
			nfv_exec_drop(w, p->m, NFV_DROP_PKTIN_RATE);
		else
			w->stats.drops[NFV_DROP_PKTIN_RATE]++;
		return;
	}
	tb->tokens -= 1000;
	/* The control thread keeps the packet: never a shared mbuf. */
	m = share == SHARE_CONSUME ? p->m :
	    share_pkt(w, p->m, SHARE_COPY);
	if (m == NULL)
		return;
	meta = nfv_pktin_meta(m);
	meta->cookie = pi != NULL ? pi->cookie : 0;
	meta->metadata = pi != NULL ? pi->metadata : 0;
	meta->in_port = p->in_port;
	meta->max_len = max_len;
	meta->reason = pi != NULL ? pi->reason : NFV_PKTIN_ACTION;
	meta->table_id = pi != NULL ? pi->table_id : 0;
	if (unlikely(rte_ring_sp_enqueue(w->pktin_ring, m) != 0)) {
		nfv_exec_drop(w, m, NFV_DROP_PKTIN_FULL);
		return;
	}
	w->stats.pktin++;
	p->sent = true;
}

static void
output(struct nfv_worker *w, struct pkt_ctx *p, const struct nfv_action *a,
       const struct nfv_pktin_info *pi, enum share share)
{
	uint32_t port = a->arg.port;

	switch (port) {
	case NFV_OFPP_IN_PORT:
		send_port(w, p, p->in_port, share);
		break;
	case NFV_OFPP_FLOOD:
	case NFV_OFPP_ALL:
		send_flood(w, p, port == NFV_OFPP_ALL, share);
		break;
	case NFV_OFPP_NORMAL:
		send_normal(w, p, share);
		break;
	case NFV_OFPP_CONTROLLER:
		send_controller(w, p, pi, a->max_len, share);
		break;
	default:
		if (port == p->in_port) {
			/* OpenFlow sends back out of the input port only
			 * through IN_PORT. */
			p->skipped_in_port = true;
			if (share == SHARE_CONSUME)
				nfv_exec_drop(w, p->m, NFV_DROP_IN_PORT);
		} else if (port <= NFV_OFPP_MAX) {
			send_port(w, p, port, share);
		} else if (share == SHARE_CONSUME) {
			/* LOCAL, TABLE, ANY: nothing to send to here. */
			nfv_exec_drop(w, p->m, NFV_DROP_NO_PORT);
		}
		break;
	}
}

static bool
action_edits(const struct nfv_action *a)
{
	return a->type != NFV_ACT_OUTPUT && a->type != NFV_ACT_GROUP;
}

/* Index of the last output or group of 'acts', or -1. */
static int
last_output(const struct nfv_action *acts, unsigned int n)
{
	for (int i = (int)n - 1; i >= 0; i--)
		if (!action_edits(&acts[i]))
			return i;
	return -1;
}

/* True if an action after 'i' may edit the packet: a header edit, or a
 * group (its buckets may edit; they work on the packet they are given). */
static bool
edits_after(const struct nfv_action *acts, unsigned int n, unsigned int i)
{
	for (unsigned int j = i + 1; j < n; j++)
		if (action_edits(&acts[j]) || acts[j].type == NFV_ACT_GROUP)
			return true;
	return false;
}

static void nfv_exec_generic(struct nfv_worker *w, uint32_t in_port,
			     const struct nfv_megaflow *mf,
			     struct rte_mbuf **pkts, struct nfv_flow_key *keys,
			     struct nfv_pkt_meta *metas, const uint16_t *idx,
			     uint16_t cnt);
static void run_actions(struct nfv_worker *w, struct pkt_ctx *p,
			const struct nfv_action *acts, unsigned int n,
			const struct nfv_pktin_info *pktin,
			unsigned int n_pktin, unsigned int depth);

/* Runs bucket 'b' on the packet under 'share': a bucket edits its own
 * copy of the packet unless it may consume the original. */
static void
run_bucket(struct nfv_worker *w, struct pkt_ctx *p, const struct nfv_bucket *b,
	   enum share share, unsigned int depth)
{
	struct nfv_flow_key key;
	struct nfv_pkt_meta meta;
	struct pkt_ctx c = *p;

	if (share != SHARE_CONSUME) {
		c.m = share_pkt(w, p->m, SHARE_COPY);
		if (c.m == NULL)
			return;
		key = *p->key;
		meta = *p->meta;
		c.key = &key;
		c.meta = &meta;
		c.sent = false;
	}
	run_actions(w, &c, b->actions, b->n_actions, NULL, 0, depth + 1);
	p->sent |= c.sent;
}

static bool group_live(const struct nfv_worker *w, uint32_t group_id,
		       unsigned int depth);

static bool
bucket_live(const struct nfv_worker *w, const struct nfv_bucket *b,
	    unsigned int depth)
{
	const struct nfv_dp *dp = w->dp;

	if (b->watch_port != NFV_OFPP_ANY &&
	    (b->watch_port == 0 || b->watch_port > dp->n_ports ||
	     !dp->port_state[b->watch_port].link_up ||
	     dp->port_state[b->watch_port].no_fwd))
		return false;
	if (b->watch_group != NFV_OFPG_ANY &&
	    !group_live(w, b->watch_group, depth + 1))
		return false;
	return true;
}

static bool
group_live(const struct nfv_worker *w, uint32_t group_id, unsigned int depth)
{
	const struct nfv_group *g = nfv_groups_lookup(w->dp->groups, group_id);

	if (g == NULL || depth > GROUP_MAX_DEPTH)
		return false;
	for (unsigned int i = 0; i < g->spec.n_buckets; i++)
		if (bucket_live(w, &g->spec.buckets[i], depth))
			return true;
	return false;
}

/* A flow hash for SELECT groups: the same 5-tuple always picks the same
 * bucket. */
static uint32_t
select_hash(const struct nfv_flow_key *k)
{
	uint64_t h = (uint64_t)k->ipv4_src << 32 | k->ipv4_dst;

	h ^= (uint64_t)k->tp_src << 24 ^ (uint64_t)k->tp_dst << 8 ^ k->ip_proto;
	for (int i = 0; i < 16; i += 8) {
		uint64_t a, b;

		memcpy(&a, &k->ipv6_src[i], 8);
		memcpy(&b, &k->ipv6_dst[i], 8);
		h ^= a ^ (b << 1);
	}
	h *= UINT64_C(0x9e3779b97f4a7c15);
	return (uint32_t)(h >> 32);
}

static void
run_group(struct nfv_worker *w, struct pkt_ctx *p, uint32_t group_id,
	  enum share share, unsigned int depth)
{
	const struct nfv_group *g = nfv_groups_lookup(w->dp->groups, group_id);
	const struct nfv_bucket *chosen = NULL;
	struct nfv_group_stats *st;

	if (unlikely(g == NULL || depth > GROUP_MAX_DEPTH))
		goto drop;
	st = &g->stats[w->id];
	st->n_packets++;
	st->n_bytes += rte_pktmbuf_pkt_len(p->m);
	switch (g->spec.type) {
	case NFV_GT_ALL:
		for (unsigned int i = 0; i < g->spec.n_buckets; i++) {
			bool last = i + 1 == g->spec.n_buckets;

			st->bucket_packets[i]++;
			st->bucket_bytes[i] += rte_pktmbuf_pkt_len(p->m);
			run_bucket(w, p, &g->spec.buckets[i],
				   last ? share : SHARE_COPY, depth);
		}
		return;
	case NFV_GT_SELECT:
		if (g->total_weight) {
			uint32_t h = select_hash(p->key);
			uint8_t i = g->select_map[(h ^ h >> 8 ^ h >> 16 ^
						   h >> 24) & 0xff];

			chosen = &g->spec.buckets[i];
			st->bucket_packets[i]++;
			st->bucket_bytes[i] += rte_pktmbuf_pkt_len(p->m);
		}
		break;
	case NFV_GT_INDIRECT:
		if (g->spec.n_buckets) {
			chosen = &g->spec.buckets[0];
			st->bucket_packets[0]++;
			st->bucket_bytes[0] += rte_pktmbuf_pkt_len(p->m);
		}
		break;
	case NFV_GT_FF:
		for (unsigned int i = 0; i < g->spec.n_buckets; i++) {
			if (bucket_live(w, &g->spec.buckets[i], depth)) {
				chosen = &g->spec.buckets[i];
				st->bucket_packets[i]++;
				st->bucket_bytes[i] +=
					rte_pktmbuf_pkt_len(p->m);
				break;
			}
		}
		break;
	}
	if (chosen != NULL) {
		run_bucket(w, p, chosen, share, depth);
		return;
	}
drop:
	if (share == SHARE_CONSUME)
		nfv_exec_drop(w, p->m, NFV_DROP_GROUP);
	else
		w->stats.drops[NFV_DROP_GROUP]++;
}

/* Edits the packet; returns false if it was dropped (and freed). */
static bool
edit(struct nfv_worker *w, struct pkt_ctx *p, const struct nfv_action *a)
{
	int ret = 0;

	switch (a->type) {
	case NFV_ACT_SET_FIELD:
		ret = nfv_pkt_set_field(p->m, p->key, p->meta, a->field,
					&a->arg.value);
		break;
	case NFV_ACT_PUSH_VLAN:
		ret = nfv_pkt_push_vlan(p->m, p->key, p->meta, a->ethertype);
		break;
	case NFV_ACT_POP_VLAN:
		ret = nfv_pkt_pop_vlan(p->m, p->key, p->meta);
		break;
	case NFV_ACT_SET_NW_TTL:
		ret = nfv_pkt_set_ttl(p->m, p->key, p->meta, a->arg.ttl);
		break;
	case NFV_ACT_DEC_NW_TTL:
		ret = nfv_pkt_dec_ttl(p->m, p->key, p->meta);
		if (unlikely(ret == -ETIMEDOUT)) {
			if (w->dp->ttl_to_controller || w->dp->ttl_to_apps) {
				struct nfv_pktin_info pi = {
					.reason = NFV_PKTIN_INVALID_TTL,
				};

				send_controller(w, p, &pi,
						w->dp->miss_send_len,
						SHARE_CONSUME);
				return false;
			}
			nfv_exec_drop(w, p->m, NFV_DROP_TTL);
			return false;
		}
		break;
	case NFV_ACT_OUTPUT:
	case NFV_ACT_GROUP:
		break;
	}
	if (unlikely(ret < 0)) {
		nfv_exec_drop(w, p->m, NFV_DROP_EDIT);
		return false;
	}
	return true;
}

/* How each output or group of 'acts' shares the packet (see the top of
 * this file); returns the index of the last one, or -1. Computed once per
 * batch of packets, not per packet. */
static int
plan_actions(const struct nfv_action *acts, unsigned int n, uint8_t *share)
{
	int last = last_output(acts, n);

	for (int i = 0; i < last; i++)
		if (!action_edits(&acts[i]))
			share[i] = edits_after(acts, n, i) ? SHARE_COPY :
							     SHARE_REF;
	if (last >= 0)
		share[last] = SHARE_CONSUME;
	return last;
}

static void
run_planned(struct nfv_worker *w, struct pkt_ctx *p,
	    const struct nfv_action *acts, int last, const uint8_t *shares,
	    const struct nfv_pktin_info *pktin, unsigned int n_pktin,
	    unsigned int depth)
{
	for (int i = 0; i <= last; i++) {
		const struct nfv_action *a = &acts[i];
		enum share share = shares[i];

		if (action_edits(a)) {
			if (!edit(w, p, a))
				return;
			continue;
		}
		if (a->type == NFV_ACT_GROUP) {
			run_group(w, p, a->arg.group_id, share, depth);
		} else {
			const struct nfv_pktin_info *pi = NULL;

			for (unsigned int k = 0; k < n_pktin; k++)
				if (pktin[k].action_idx == i)
					pi = &pktin[k];
			output(w, p, a, pi, share);
		}
	}
	if (last < 0) {
		/* Nothing consumed the packet. */
		nfv_exec_drop(w, p->m, NFV_DROP_ACTION_DROP);
	}
}

static void
run_actions(struct nfv_worker *w, struct pkt_ctx *p,
	    const struct nfv_action *acts, unsigned int n,
	    const struct nfv_pktin_info *pktin, unsigned int n_pktin,
	    unsigned int depth)
{
	uint8_t shares[NFV_XLATE_MAX_ACTIONS];
	int last = plan_actions(acts, n, shares);

	run_planned(w, p, acts, last, shares, pktin, n_pktin, depth);
}

void
nfv_exec_uncached(struct nfv_worker *w, uint32_t in_port,
		  struct rte_mbuf **pkts, struct nfv_flow_key *keys,
		  struct nfv_pkt_meta *metas, uint16_t idx)
{
	const struct nfv_xlate_out *x = &w->xlate;
	struct nfv_megaflow *one = &w->uncached;

	if (unlikely(x->error)) {
		nfv_exec_drop(w, pkts[idx], NFV_DROP_XLATE);
		return;
	}
	one->n_actions = x->n_actions;
	memcpy(one->actions, x->actions, x->n_actions * sizeof(x->actions[0]));
	one->n_pktin = x->n_pktin;
	memcpy(one->pktin, x->pktin, x->n_pktin * sizeof(x->pktin[0]));
	one->miss = x->miss;
	for (unsigned int r = 0; r < x->n_rules; r++)
		nfv_rule_stats_add(x->rules[r], w->id, 1,
				   rte_pktmbuf_pkt_len(pkts[idx]));
	nfv_exec_megaflow(w, in_port, one, pkts, keys, metas, &idx, 1);
}

/* True if 'mf' only rewrites MAC addresses, decrements the TTL and
 * outputs to one other port: what a router flow does. Such megaflows run
 * in route_batch(), without the generic per-action dispatch. */
static bool
is_route(const struct nfv_worker *w, uint32_t in_port,
	 const struct nfv_megaflow *mf)
{
	const struct nfv_action *out = &mf->actions[mf->n_actions - 1];

	if (mf->n_actions < 2 || mf->n_pktin || out->type != NFV_ACT_OUTPUT ||
	    out->arg.port == in_port || out->arg.port == 0 ||
	    out->arg.port > w->dp->n_ports ||
	    w->dp->port_state[out->arg.port].no_fwd)
		return false;
	for (unsigned int i = 0; i + 1 < mf->n_actions; i++) {
		const struct nfv_action *a = &mf->actions[i];

		if (a->type == NFV_ACT_DEC_NW_TTL)
			continue;
		if (a->type != NFV_ACT_SET_FIELD ||
		    (a->field != NFV_F_ETH_SRC && a->field != NFV_F_ETH_DST))
			return false;
	}
	return true;
}

/* Decrements the TTL of an IPv4 packet whose header the parser found in
 * the first segment, updating the checksum (RFC 1624). Returns false if
 * the TTL expired or the packet is not such a packet. */
static inline bool
route_dec_ttl(struct rte_mbuf *m, const struct nfv_flow_key *key,
	      const struct nfv_pkt_meta *meta)
{
	struct rte_ipv4_hdr *ip;
	uint32_t sum;

	if (key->eth_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) ||
	    meta->l3_ofs == 0 ||
	    rte_pktmbuf_data_len(m) < meta->l3_ofs + sizeof(*ip))
		return false;
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, meta->l3_ofs);
	if (ip->time_to_live <= 1)
		return false;
	ip->time_to_live--;
	/* The TTL is the high byte of its 16-bit word: the sum grows by
	 * 0x0100 in host order. */
	sum = rte_be_to_cpu_16(ip->hdr_checksum) + 0x0100;
	ip->hdr_checksum = rte_cpu_to_be_16((sum & 0xffff) + (sum >> 16));
	return true;
}

static void
route_batch(struct nfv_worker *w, uint32_t in_port,
	    const struct nfv_megaflow *mf, struct rte_mbuf **pkts,
	    struct nfv_flow_key *keys, struct nfv_pkt_meta *metas,
	    const uint16_t *idx, uint16_t cnt)
{
	const struct nfv_action *acts = mf->actions;
	unsigned int n_edits = mf->n_actions - 1;
	uint32_t port = acts[n_edits].arg.port;

	for (uint16_t j = 0; j < cnt; j++) {
		struct rte_mbuf *m = pkts[idx[j]];
		struct rte_ether_hdr *eth;
		bool ok = rte_pktmbuf_data_len(m) >= sizeof(*eth);

		eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
		for (unsigned int i = 0; i < n_edits && ok; i++) {
			const struct nfv_action *a = &acts[i];

			if (a->type == NFV_ACT_DEC_NW_TTL)
				ok = route_dec_ttl(m, &keys[idx[j]],
						   &metas[idx[j]]);
			else if (a->field == NFV_F_ETH_DST)
				memcpy(&eth->dst_addr, a->arg.value.u8, 6);
			else
				memcpy(&eth->src_addr, a->arg.value.u8, 6);
		}
		if (likely(ok)) {
			tx_enqueue(w, port, m);
			continue;
		}
		/* Expired TTL, IPv6 or an odd packet: the general path
		 * decides (drop, packet-in) from where it stands. */
		nfv_exec_generic(w, in_port, mf, pkts, keys, metas, &idx[j], 1);
	}
}

void
nfv_exec_megaflow(struct nfv_worker *w, uint32_t in_port,
		  const struct nfv_megaflow *mf, struct rte_mbuf **pkts,
		  struct nfv_flow_key *keys, struct nfv_pkt_meta *metas,
		  const uint16_t *idx, uint16_t cnt)
{
	if (mf->n_actions == 0) {
		enum nfv_drop_reason why = mf->miss ? NFV_DROP_NO_MATCH :
						      NFV_DROP_ACTION_DROP;

		for (uint16_t j = 0; j < cnt; j++)
			nfv_exec_drop(w, pkts[idx[j]], why);
		return;
	}
	if (is_route(w, in_port, mf)) {
		route_batch(w, in_port, mf, pkts, keys, metas, idx, cnt);
		return;
	}
	nfv_exec_generic(w, in_port, mf, pkts, keys, metas, idx, cnt);
}

static void
nfv_exec_generic(struct nfv_worker *w, uint32_t in_port,
		 const struct nfv_megaflow *mf, struct rte_mbuf **pkts,
		 struct nfv_flow_key *keys, struct nfv_pkt_meta *metas,
		 const uint16_t *idx, uint16_t cnt)
{
	const struct nfv_action *a = mf->actions;
	uint8_t shares[NFV_XLATE_MAX_ACTIONS];
	int last;

	/* The common case: one output to another port. */
	if (mf->n_actions == 1 && a->type == NFV_ACT_OUTPUT &&
	    a->arg.port <= w->dp->n_ports && a->arg.port != in_port &&
	    a->arg.port != 0 && !w->dp->port_state[a->arg.port].no_fwd) {
		for (uint16_t j = 0; j < cnt; j++)
			tx_enqueue(w, a->arg.port, pkts[idx[j]]);
		return;
	}
	last = plan_actions(mf->actions, mf->n_actions, shares);
	for (uint16_t j = 0; j < cnt; j++) {
		struct pkt_ctx p = {
			.m = pkts[idx[j]],
			.key = &keys[idx[j]],
			.meta = &metas[idx[j]],
			.in_port = in_port,
		};

		run_planned(w, &p, mf->actions, last, shares, mf->pktin,
			    mf->n_pktin, 0);
	}
}
