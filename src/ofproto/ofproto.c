/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OpenFlow 1.3 semantics (see ofproto.h). Each connection has a decoded
 * message and a multipart writer of its own (they are large), its role
 * and its asynchronous configuration.
 *
 * Table changes made by FLOW_MOD reach the classifiers at once; they are
 * committed (see table.h: after that no packet is forwarded by an old
 * rule) before any BARRIER_REPLY and at least every millisecond, so a burst
 * of flow_mods pays for one commit, not one each.
 *
 * PACKET_OUT runs on the control thread through the same action code as
 * the workers, as a pseudo-worker with its own tx queue on each port.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_version.h>

#include "exec.h"
#include "group.h"
#include "mfc.h"
#include "nfv_log.h"
#include "ofp_codec.h"
#include "ofp_conn.h"
#include "ofproto.h"
#include "parse.h"
#include "switch.h"
#include "xlate.h"

#define OFPROTO_COMMIT_MS 1
#define OFPROTO_N_BUFFERS 256           /* packets held for packet-in */
#define OFPROTO_BUFFER_MS 5000          /* how long one is held */
#define FAIL_OPEN_COOKIE UINT64_C(0xfa110fe4)

/* Per connection. */
struct ofconn {
	struct nfv_ofproto *o;
	uint32_t role;                  /* OFPCR_ROLE_* */
	struct ofp_async async;
	struct ofp_msg msg;             /* the message being handled */
	struct ofp_mp_writer mp;        /* a multipart reply being built */
	uint8_t out[OFP_MSG_MAX];       /* one encoded message */
};

/* A packet held for a controller: PACKET_IN says its buffer_id, and a
 * FLOW_MOD or PACKET_OUT naming it releases it (a reactive controller
 * does not lose the first packet of a flow). The id's low bits are the
 * slot, the high bits a generation, so a stale id names nothing. */
struct pkt_buffer {
	struct rte_mbuf *m;
	uint32_t in_port;
	uint32_t gen;
	uint64_t expires_ms;
};

struct nfv_ofproto {
	struct nfv_switch *sw;
	struct pkt_buffer buffers[OFPROTO_N_BUFFERS];
	unsigned int next_buffer;
	struct nfv_ofp_connmgr *mgr;
	uint16_t config_flags;          /* SET_CONFIG */
	uint16_t miss_send_len;
	bool generation_set;
	uint64_t generation_id;
	uint32_t port_config[NFV_MAX_PORTS + 1]; /* PORT_MOD: OFPPC_* */
	bool fail_open_installed;
	uint64_t n_packet_in, n_packet_in_dropped;
	uint8_t out[OFP_MSG_MAX];       /* async messages */
};

static const struct ofp_async default_async = {
	/* OpenFlow 1.3 section 7.3.10: a master or equal controller gets
	 * packet-ins for table misses and actions, every port status and
	 * every flow removal; a slave only port status. */
	.packet_in_mask = { (1 << OFPR_NO_MATCH) | (1 << OFPR_ACTION), 0 },
	.port_status_mask = { 0x7, 0x7 },
	.flow_removed_mask = { 0xf, 0 },
};

static int
conn_send(struct nfv_ofp_conn *c, const void *msg, int len)
{
	if (len < 0)
		return len;
	return nfv_ofp_conn_send(c, msg, (size_t)len);
}

static void
send_error(struct nfv_ofp_conn *c, uint32_t xid, uint16_t type,
	   uint16_t code, const uint8_t *req, size_t req_len)
{
	struct ofconn *oc = nfv_ofp_conn_data(c);
	struct ofp_error e = { .type = type, .code = code };

	conn_send(c, oc->out, ofp_encode_error(oc->out, sizeof(oc->out), xid,
					       e, req, req_len));
}

static int
mp_send(void *arg, const void *msg, size_t len)
{
	return nfv_ofp_conn_send_reply(arg, msg, len);
}

/* Is the rule's action list using only ports and groups that exist? */
static bool
actions_valid(struct nfv_ofproto *o, const struct nfv_action *acts,
	      unsigned int n, uint16_t *code)
{
	struct nfv_switch *sw = o->sw;

	for (unsigned int i = 0; i < n; i++) {
		const struct nfv_action *a = &acts[i];

		if (a->type == NFV_ACT_OUTPUT && a->arg.port < NFV_OFPP_MAX &&
		    (a->arg.port == 0 || a->arg.port > sw->n_ports)) {
			*code = OFPBAC_BAD_OUT_PORT;
			return false;
		}
		if (a->type == NFV_ACT_GROUP &&
		    nfv_groups_lookup(sw->groups, a->arg.group_id) == NULL) {
			*code = OFPBAC_BAD_OUT_GROUP;
			return false;
		}
	}
	return true;
}

/* Holds 'm' and returns its buffer_id, or OFP_NO_BUFFER if every slot
 * holds a packet that has not expired. */
static uint32_t
buffer_hold(struct nfv_ofproto *o, struct rte_mbuf *m, uint32_t in_port)
{
	uint64_t now = nfv_now_ms();

	for (unsigned int k = 0; k < OFPROTO_N_BUFFERS; k++) {
		unsigned int i = (o->next_buffer + k) % OFPROTO_N_BUFFERS;
		struct pkt_buffer *b = &o->buffers[i];

		if (b->m != NULL && b->expires_ms > now)
			continue;
		rte_pktmbuf_free(b->m);
		b->m = m;
		b->in_port = in_port;
		b->gen = (b->gen + 1) & 0xffffff;
		b->expires_ms = now + OFPROTO_BUFFER_MS;
		o->next_buffer = (i + 1) % OFPROTO_N_BUFFERS;
		return b->gen << 8 | i;
	}
	return OFP_NO_BUFFER;
}

/* Takes the packet of 'buffer_id' out of its buffer, or returns NULL. */
static struct rte_mbuf *
buffer_take(struct nfv_ofproto *o, uint32_t buffer_id, uint32_t *in_port)
{
	struct pkt_buffer *b = &o->buffers[buffer_id & 0xff];
	struct rte_mbuf *m = b->m;

	if (m == NULL || b->gen != buffer_id >> 8 ||
	    b->expires_ms <= nfv_now_ms())
		return NULL;
	b->m = NULL;
	*in_port = b->in_port;
	return m;
}

static void
buffers_free(struct nfv_ofproto *o)
{
	for (unsigned int i = 0; i < OFPROTO_N_BUFFERS; i++) {
		rte_pktmbuf_free(o->buffers[i].m);
		o->buffers[i].m = NULL;
	}
}

static void
handle_flow_mod(struct nfv_ofp_conn *c, struct ofconn *oc, const uint8_t *req,
		size_t len)
{
	struct nfv_ofproto *o = oc->o;
	struct ofp_flow_mod *fm = &oc->msg.u.flow_mod;
	struct nfv_pipeline *p = o->sw->pipeline;
	uint32_t xid = oc->msg.xid;
	uint16_t code;
	int ret;

	if (fm->command == OFPFC_ADD || fm->command == OFPFC_MODIFY ||
	    fm->command == OFPFC_MODIFY_STRICT) {
		if (!actions_valid(o, fm->spec.actions, fm->spec.n_actions,
				   &code) ||
		    !actions_valid(o, fm->spec.write_actions,
				   fm->spec.n_write_actions, &code)) {
			send_error(c, xid, OFPET_BAD_ACTION, code, req, len);
			return;
		}
	}
	switch (fm->command) {
	case OFPFC_ADD:
		ret = nfv_pipeline_add(p, &fm->spec);
		if (ret == -EEXIST) {
			send_error(c, xid, OFPET_FLOW_MOD_FAILED,
				   OFPFMFC_OVERLAP, req, len);
			return;
		} else if (ret < 0) {
			send_error(c, xid, OFPET_FLOW_MOD_FAILED,
				   OFPFMFC_TABLE_FULL, req, len);
			return;
		}
		break;
	case OFPFC_MODIFY:
	case OFPFC_MODIFY_STRICT:
		fm->spec.has_table = fm->table_id != OFPTT_ALL;
		ret = nfv_pipeline_modify(p, &fm->spec,
					  fm->command == OFPFC_MODIFY_STRICT);
		if (ret < 0) {
			send_error(c, xid, OFPET_FLOW_MOD_FAILED,
				   OFPFMFC_TABLE_FULL, req, len);
			return;
		}
		break;
	case OFPFC_DELETE:
	case OFPFC_DELETE_STRICT:
		nfv_pipeline_del(p, &fm->spec,
				 fm->command == OFPFC_DELETE_STRICT);
		break;
	}
	/* A buffered packet goes through the tables with the new rule in
	 * force (OpenFlow 1.3, 6.4: as a packet-out to output:TABLE). */
	if (fm->buffer_id != OFP_NO_BUFFER && fm->command != OFPFC_DELETE &&
	    fm->command != OFPFC_DELETE_STRICT) {
		struct nfv_action table = {
			.type = NFV_ACT_OUTPUT, .arg.port = NFV_OFPP_TABLE,
		};
		uint32_t in_port;
		struct rte_mbuf *m = buffer_take(o, fm->buffer_id, &in_port);

		if (m == NULL) {
			send_error(c, xid, OFPET_BAD_REQUEST,
				   OFPBRC_BUFFER_UNKNOWN, req, len);
			return;
		}
		nfv_ofproto_commit(o);
		nfv_switch_run_packet(o->sw, m, in_port, &table, 1);
	}
}

static void
handle_group_mod(struct nfv_ofp_conn *c, struct ofconn *oc,
		 const uint8_t *req, size_t len)
{
	struct nfv_ofproto *o = oc->o;
	struct ofp_group_mod *gm = &oc->msg.u.group_mod;
	char why[NFV_FLOW_ERR_MAX];
	uint16_t code = 0;
	int ret = 0;

	switch (gm->command) {
	case OFPGC_ADD:
		ret = nfv_group_add(o->sw->groups, &gm->spec, why);
		code = ret == -EEXIST ? OFPGMFC_GROUP_EXISTS :
					OFPGMFC_INVALID_GROUP;
		break;
	case OFPGC_MODIFY:
		ret = nfv_group_modify(o->sw->groups, &gm->spec, why);
		code = ret == -ENOENT ? OFPGMFC_UNKNOWN_GROUP :
					OFPGMFC_INVALID_GROUP;
		break;
	case OFPGC_DELETE:
		nfv_switch_group_del(o->sw, gm->spec.group_id);
		return;
	}
	if (ret < 0) {
		send_error(c, oc->msg.xid, OFPET_GROUP_MOD_FAILED, code, req,
			   len);
		return;
	}
	nfv_groups_commit(o->sw->groups);
}

static void
handle_port_mod(struct nfv_ofp_conn *c, struct ofconn *oc,
		const uint8_t *req, size_t len)
{
	struct nfv_ofproto *o = oc->o;
	const struct ofp_port_mod *pm = &oc->msg.u.port_mod;
	struct nfv_port_dp *st;
	uint32_t cfg;

	if (pm->port_no == 0 || pm->port_no > o->sw->n_ports) {
		send_error(c, oc->msg.xid, OFPET_PORT_MOD_FAILED,
			   OFPPMFC_BAD_PORT, req, len);
		return;
	}
	cfg = (o->port_config[pm->port_no] & ~pm->mask) |
	      (pm->config & pm->mask);
	o->port_config[pm->port_no] = cfg;
	st = &o->sw->dp.port_state[pm->port_no];
	/* Workers read these flags per packet; a byte store is atomic. */
	st->no_fwd = cfg & (OFPPC_NO_FWD | OFPPC_PORT_DOWN);
	st->no_flood = cfg & OFPPC_NO_FWD;
	st->no_recv = cfg & (OFPPC_NO_RECV | OFPPC_PORT_DOWN);
	nfv_ofproto_port_changed(o, pm->port_no);
}

static void
handle_packet_out(struct nfv_ofp_conn *c, struct ofconn *oc,
		  const uint8_t *req, size_t len)
{
	struct nfv_ofproto *o = oc->o;
	struct ofp_packet_out *po = &oc->msg.u.packet_out;
	uint32_t in_port = po->in_port;
	struct rte_mbuf *m;
	uint16_t code;
	char *data;

	if (!actions_valid(o, po->actions, po->n_actions, &code)) {
		send_error(c, oc->msg.xid, OFPET_BAD_ACTION, code, req, len);
		return;
	}
	if (po->buffer_id != OFP_NO_BUFFER) {
		m = buffer_take(o, po->buffer_id, &in_port);
		if (m == NULL) {
			send_error(c, oc->msg.xid, OFPET_BAD_REQUEST,
				   OFPBRC_BUFFER_UNKNOWN, req, len);
			return;
		}
		nfv_switch_run_packet(o->sw, m, in_port, po->actions,
				      po->n_actions);
		return;
	}
	m = rte_pktmbuf_alloc(o->sw->dp.copy_pool);
	if (m == NULL)
		return;
	data = rte_pktmbuf_append(m, po->data_len);
	if (data == NULL) {
		rte_pktmbuf_free(m);
		send_error(c, oc->msg.xid, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
			   req, len);
		return;
	}
	memcpy(data, po->data, po->data_len);
	nfv_switch_run_packet(o->sw, m, in_port, po->actions, po->n_actions);
}

/* MULTIPART. */

struct mp_flow_ctx {
	struct nfv_ofproto *o;
	struct ofconn *oc;
	uint64_t now_ms;
	struct ofp_aggregate_stats agg;
	bool aggregate;
};

static void
mp_flow_visit(void *arg, const struct nfv_rule *rule)
{
	struct mp_flow_ctx *ctx = arg;
	struct ofp_flow_stats fs;
	uint64_t age = ctx->now_ms - rule->created_ms;

	nfv_rule_counters(ctx->o->sw->pipeline, rule, &fs.packet_count,
			  &fs.byte_count);
	if (ctx->aggregate) {
		ctx->agg.packet_count += fs.packet_count;
		ctx->agg.byte_count += fs.byte_count;
		ctx->agg.flow_count++;
		return;
	}
	fs.duration_sec = age / 1000;
	fs.duration_nsec = (age % 1000) * 1000000;
	fs.spec = rule->spec;
	ofp_mp_add_flow_stats(&ctx->oc->mp, &fs);
}

static void
port_of(struct nfv_ofproto *o, uint32_t ofport, struct ofp_port *p)
{
	const struct nfv_port *port = &o->sw->ports[ofport - 1];
	struct rte_ether_addr mac;

	memset(p, 0, sizeof(*p));
	p->port_no = ofport;
	if (rte_eth_macaddr_get(port->port_id, &mac) == 0)
		memcpy(p->hw_addr, mac.addr_bytes, 6);
	snprintf(p->name, sizeof(p->name), "%s", port->name);
	p->config = o->port_config[ofport];
	p->state = port->link_up ? OFPPS_LIVE : OFPPS_LINK_DOWN;
	p->curr_speed = port->link_speed * 1000;
	p->max_speed = p->curr_speed;
}

static void
mp_port_stats(struct nfv_ofproto *o, struct ofconn *oc, uint32_t port_no)
{
	struct nfv_switch *sw = o->sw;
	uint64_t age = nfv_now_ms() - sw->start_ms;

	for (uint32_t p = 1; p <= sw->n_ports; p++) {
		struct nfv_port_stats st;
		struct ofp_port_stats ps;

		if (port_no != NFV_OFPP_ANY && port_no != p)
			continue;
		memset(&st, 0, sizeof(st));
		nfv_port_read_stats(&sw->ports[p - 1], &st);
		for (unsigned int w = 0; w < sw->n_workers; w++)
			st.tx_dropped += sw->workers[w]->stats.tx_dropped[p];
		memset(&ps, 0, sizeof(ps));
		ps.port_no = p;
		ps.rx_packets = st.rx_packets;
		ps.tx_packets = st.tx_packets;
		ps.rx_bytes = st.rx_bytes;
		ps.tx_bytes = st.tx_bytes;
		ps.rx_dropped = st.rx_dropped;
		ps.tx_dropped = st.tx_dropped;
		ps.rx_errors = st.rx_errors;
		ps.tx_errors = st.tx_errors;
		ps.duration_sec = age / 1000;
		ps.duration_nsec = (age % 1000) * 1000000;
		ofp_mp_add_port_stats(&oc->mp, &ps);
	}
}

struct mp_group_ctx {
	struct nfv_ofproto *o;
	struct ofconn *oc;
	uint32_t group_id;
	bool desc;
};

static void
count_rule(void *arg, const struct nfv_rule *rule)
{
	(void)rule;
	(*(uint32_t *)arg)++;
}

/* How many flows point at group 'id' (OpenFlow's ref_count). */
static uint32_t
group_ref_count(struct nfv_ofproto *o, uint32_t id)
{
	struct nfv_flow_spec filter;
	uint32_t n = 0;

	nfv_flow_spec_init(&filter);
	filter.out_group = id;
	nfv_pipeline_dump(o->sw->pipeline, &filter, count_rule, &n);
	return n;
}

static void
mp_group_visit(void *arg, const struct nfv_group *g)
{
	struct mp_group_ctx *ctx = arg;
	struct nfv_group_stats st;
	struct ofp_group_stats gs;
	uint64_t age = nfv_now_ms() - g->created_ms;

	if (ctx->group_id != NFV_OFPG_ALL && ctx->group_id != g->spec.group_id)
		return;
	if (ctx->desc) {
		ofp_mp_add_group_desc(&ctx->oc->mp, &g->spec);
		return;
	}
	nfv_group_counters(ctx->o->sw->groups, g, &st);
	memset(&gs, 0, sizeof(gs));
	gs.group_id = g->spec.group_id;
	gs.packet_count = st.n_packets;
	gs.byte_count = st.n_bytes;
	gs.duration_sec = age / 1000;
	gs.duration_nsec = (age % 1000) * 1000000;
	gs.n_buckets = g->spec.n_buckets;
	for (unsigned int i = 0; i < g->spec.n_buckets; i++) {
		gs.buckets[i].packet_count = st.bucket_packets[i];
		gs.buckets[i].byte_count = st.bucket_bytes[i];
	}
	gs.ref_count = group_ref_count(ctx->o, g->spec.group_id);
	ofp_mp_add_group_stats(&ctx->oc->mp, &gs);
}

static void
handle_multipart(struct nfv_ofp_conn *c, struct ofconn *oc)
{
	struct nfv_ofproto *o = oc->o;
	struct nfv_switch *sw = o->sw;
	struct ofp_mp_request *rq = &oc->msg.u.mp_request;
	struct ofp_mp_writer *mp = &oc->mp;

	ofp_mp_writer_init(mp, rq->type, oc->msg.xid, mp_send, c);
	switch (rq->type) {
	case OFPMP_DESC: {
		struct ofp_desc d;

		memset(&d, 0, sizeof(d));
		snprintf(d.mfr_desc, sizeof(d.mfr_desc), "nfvswitch project");
		snprintf(d.hw_desc, sizeof(d.hw_desc), "DPDK userspace datapath (%s)",
			 rte_version());
		snprintf(d.sw_desc, sizeof(d.sw_desc), "nfvswitch %s",
			 NFV_VERSION);
		snprintf(d.serial_num, sizeof(d.serial_num), "None");
		snprintf(d.dp_desc, sizeof(d.dp_desc), "nfvswitch");
		ofp_mp_add_desc(mp, &d);
		break;
	}
	case OFPMP_FLOW:
	case OFPMP_AGGREGATE: {
		struct mp_flow_ctx ctx = {
			.o = o, .oc = oc, .now_ms = nfv_now_ms(),
			.aggregate = rq->type == OFPMP_AGGREGATE,
		};

		nfv_pipeline_dump(sw->pipeline, &rq->filter, mp_flow_visit,
				  &ctx);
		if (ctx.aggregate)
			ofp_mp_add_aggregate(mp, &ctx.agg);
		break;
	}
	case OFPMP_TABLE:
		for (unsigned int t = 0; t < NFV_N_TABLES; t++) {
			struct ofp_table_stats ts = {
				.table_id = t,
				.active_count = nfv_pipeline_n_rules(
					sw->pipeline, t),
			};

			ofp_mp_add_table_stats(mp, &ts);
		}
		break;
	case OFPMP_PORT_STATS:
		mp_port_stats(o, oc, rq->port_no);
		break;
	case OFPMP_PORT_DESC:
		for (uint32_t p = 1; p <= sw->n_ports; p++) {
			struct ofp_port port;

			port_of(o, p, &port);
			ofp_mp_add_port_desc(mp, &port);
		}
		break;
	case OFPMP_GROUP:
	case OFPMP_GROUP_DESC: {
		struct mp_group_ctx ctx = {
			.o = o, .oc = oc, .group_id = rq->group_id,
			.desc = rq->type == OFPMP_GROUP_DESC,
		};

		if (ctx.desc)
			ctx.group_id = NFV_OFPG_ALL;
		nfv_groups_dump(sw->groups, mp_group_visit, &ctx);
		break;
	}
	case OFPMP_GROUP_FEATURES: {
		struct ofp_group_features gf;

		memset(&gf, 0, sizeof(gf));
		gf.types = 0xf;
		gf.capabilities = OFPGFC_SELECT_WEIGHT |
				  OFPGFC_SELECT_LIVENESS | OFPGFC_CHAINING;
		for (int t = 0; t < 4; t++) {
			gf.max_groups[t] = NFV_GROUP_MAX;
			gf.actions[t] = 1 << 0 | 1 << 11 | 1 << 12 | 1 << 17 |
					1 << 18 | 1 << 22 | 1 << 23 | 1 << 25;
		}
		ofp_mp_add_group_features(mp, &gf);
		break;
	}
	case OFPMP_METER_FEATURES: {
		/* No meters: METER_MOD is refused, and this says so. */
		struct ofp_meter_features mf;

		memset(&mf, 0, sizeof(mf));
		ofp_mp_add_meter_features(mp, &mf);
		break;
	}
	case OFPMP_TABLE_FEATURES:
		for (unsigned int t = 0; t < NFV_N_TABLES; t++) {
			struct ofp_table_features tf;

			memset(&tf, 0, sizeof(tf));
			tf.table_id = t;
			snprintf(tf.name, sizeof(tf.name), "table%u", t);
			tf.metadata_match = UINT64_MAX;
			tf.metadata_write = UINT64_MAX;
			tf.max_entries = 1000000;
			tf.n_tables = NFV_N_TABLES;
			ofp_mp_add_table_features(mp, &tf);
		}
		break;
	default:
		/* QUEUE, METER, METER_CONFIG: nfvswitch has none; the reply
		 * is empty. */
		break;
	}
	ofp_mp_writer_finish(mp);
}

static void
handle_role(struct nfv_ofp_conn *c, struct ofconn *oc, const uint8_t *req,
	    size_t len)
{
	struct nfv_ofproto *o = oc->o;
	struct ofp_role *r = &oc->msg.u.role;

	if (r->role == OFPCR_ROLE_MASTER || r->role == OFPCR_ROLE_SLAVE) {
		if (o->generation_set &&
		    (int64_t)(r->generation_id - o->generation_id) < 0) {
			send_error(c, oc->msg.xid, OFPET_ROLE_REQUEST_FAILED,
				   OFPRRFC_STALE, req, len);
			return;
		}
		o->generation_set = true;
		o->generation_id = r->generation_id;
	}
	/* A new master demotes the others: see on_message(). */
	if (r->role != OFPCR_ROLE_NOCHANGE)
		oc->role = r->role;
	r->role = oc->role;
	r->generation_id = o->generation_id;
	oc->msg.type = OFPT_ROLE_REPLY;
	conn_send(c, oc->out, ofp_encode(&oc->msg, oc->out, sizeof(oc->out)));
}

static void
demote_other_masters(void *arg, struct nfv_ofp_conn *c)
{
	struct ofconn *oc = nfv_ofp_conn_data(c);

	if (oc != NULL && oc != arg && oc->role == OFPCR_ROLE_MASTER)
		oc->role = OFPCR_ROLE_SLAVE;
}

static void ofproto_update_ttl_policy(struct nfv_ofproto *o);

static void
on_message(void *arg, struct nfv_ofp_conn *c, const uint8_t *req, size_t len)
{
	struct nfv_ofproto *o = arg;
	struct ofconn *oc = nfv_ofp_conn_data(c);
	struct ofp_msg *msg = &oc->msg;
	struct ofp_error err;
	bool slave = oc->role == OFPCR_ROLE_SLAVE;

	if (ofp_decode(req, len, msg, &err) < 0) {
		send_error(c, msg->xid, err.type, err.code, req, len);
		return;
	}
	switch (msg->type) {
	case OFPT_FEATURES_REQUEST:
		msg->type = OFPT_FEATURES_REPLY;
		msg->u.features.datapath_id = o->sw->datapath_id;
		msg->u.features.n_buffers = OFPROTO_N_BUFFERS;
		msg->u.features.n_tables = NFV_N_TABLES;
		msg->u.features.auxiliary_id = 0;
		msg->u.features.capabilities = OFPC_FLOW_STATS |
			OFPC_TABLE_STATS | OFPC_PORT_STATS | OFPC_GROUP_STATS;
		conn_send(c, oc->out, ofp_encode(msg, oc->out,
						 sizeof(oc->out)));
		break;
	case OFPT_GET_CONFIG_REQUEST:
		msg->type = OFPT_GET_CONFIG_REPLY;
		msg->u.config.flags = o->config_flags;
		msg->u.config.miss_send_len = o->miss_send_len;
		conn_send(c, oc->out, ofp_encode(msg, oc->out,
						 sizeof(oc->out)));
		break;
	case OFPT_SET_CONFIG:
		o->config_flags = msg->u.config.flags;
		o->miss_send_len = msg->u.config.miss_send_len;
		o->sw->dp.miss_send_len = o->miss_send_len;
		/* Fragments: normal or drop; reassembly is not offered. */
		o->sw->dp.frag_drop = (o->config_flags & OFPC_FRAG_MASK) ==
				      OFPC_FRAG_DROP;
		break;
	case OFPT_FLOW_MOD:
	case OFPT_GROUP_MOD:
	case OFPT_PORT_MOD:
	case OFPT_PACKET_OUT:
	case OFPT_TABLE_MOD:
	case OFPT_METER_MOD:
		if (slave) {
			send_error(c, msg->xid, OFPET_BAD_REQUEST,
				   OFPBRC_IS_SLAVE, req, len);
			break;
		}
		if (msg->type == OFPT_FLOW_MOD)
			handle_flow_mod(c, oc, req, len);
		else if (msg->type == OFPT_GROUP_MOD)
			handle_group_mod(c, oc, req, len);
		else if (msg->type == OFPT_PORT_MOD)
			handle_port_mod(c, oc, req, len);
		else if (msg->type == OFPT_PACKET_OUT)
			handle_packet_out(c, oc, req, len);
		else if (msg->type == OFPT_METER_MOD)
			/* No meters (METER_FEATURES says max_meter 0). */
			send_error(c, msg->xid, OFPET_METER_MOD_FAILED,
				   OFPMMFC_OUT_OF_METERS, req, len);
		/* TABLE_MOD: 1.3 defines no table config to change. */
		break;
	case OFPT_MULTIPART_REQUEST:
		handle_multipart(c, oc);
		break;
	case OFPT_BARRIER_REQUEST:
		/* Every earlier message took effect: make it so in the
		 * datapath too before saying it. */
		nfv_ofproto_commit(o);
		conn_send(c, oc->out, ofp_encode_empty(oc->out, sizeof(oc->out),
						       OFPT_BARRIER_REPLY,
						       msg->xid));
		break;
	case OFPT_QUEUE_GET_CONFIG_REQUEST:
		msg->type = OFPT_QUEUE_GET_CONFIG_REPLY;
		conn_send(c, oc->out, ofp_encode(msg, oc->out,
						 sizeof(oc->out)));
		break;
	case OFPT_ROLE_REQUEST:
		handle_role(c, oc, req, len);
		if (oc->role == OFPCR_ROLE_MASTER)
			nfv_ofp_connmgr_foreach(o->mgr, demote_other_masters,
						oc);
		break;
	case OFPT_GET_ASYNC_REQUEST:
		msg->type = OFPT_GET_ASYNC_REPLY;
		msg->u.async = oc->async;
		conn_send(c, oc->out, ofp_encode(msg, oc->out,
						 sizeof(oc->out)));
		break;
	case OFPT_SET_ASYNC:
		oc->async = msg->u.async;
		ofproto_update_ttl_policy(o);
		break;
	default:
		/* ERROR, ECHO_REPLY and the like: nothing to do. */
		break;
	}
}

static void fail_open_update(struct nfv_ofproto *o);

static void
on_connected(void *arg, struct nfv_ofp_conn *c)
{
	struct nfv_ofproto *o = arg;
	struct ofconn *oc = calloc(1, sizeof(*oc));

	if (oc == NULL) {
		nfv_ofp_conn_close(c);
		return;
	}
	oc->o = o;
	oc->role = OFPCR_ROLE_EQUAL;
	oc->async = default_async;
	nfv_ofp_conn_set_data(c, oc);
	NFV_LOG(NOTICE, "openflow: %s connected", nfv_ofp_conn_name(c));
	fail_open_update(o);
}

static void
on_disconnected(void *arg, struct nfv_ofp_conn *c)
{
	struct nfv_ofproto *o = arg;

	NFV_LOG(NOTICE, "openflow: %s disconnected", nfv_ofp_conn_name(c));
	free(nfv_ofp_conn_data(c));
	nfv_ofp_conn_set_data(c, NULL);
	fail_open_update(o);
}

static void
count_ttl_wanted(void *arg, struct nfv_ofp_conn *c)
{
	struct ofconn *oc = nfv_ofp_conn_data(c);
	bool *wanted = arg;

	if (oc != NULL && (oc->async.packet_in_mask[
			oc->role == OFPCR_ROLE_SLAVE] & (1 << OFPR_INVALID_TTL)))
		*wanted = true;
}

/* OpenFlow 1.3 has no INVALID_TTL_TO_CONTROLLER flag: a controller asks
 * for those packet-ins through its asynchronous configuration. */
static void
ofproto_update_ttl_policy(struct nfv_ofproto *o)
{
	bool wanted = false;

	nfv_ofp_connmgr_foreach(o->mgr, count_ttl_wanted, &wanted);
	o->sw->dp.ttl_to_controller = wanted;
}

static void
count_connected(void *arg, struct nfv_ofp_conn *c)
{
	(void)c;
	(*(unsigned int *)arg)++;
}

/* fail_mode standalone: with no controller connected, the switch acts as
 * a learning switch, through a table-miss rule with the NORMAL action and
 * a cookie of its own, removed as soon as a controller connects. */
static void
fail_open_update(struct nfv_ofproto *o)
{
	struct nfv_switch *sw = o->sw;
	unsigned int n = 0;
	struct nfv_flow_spec spec;
	char err[NFV_FLOW_ERR_MAX];

	if (strcmp(sw->cfg->fail_mode, "standalone") != 0)
		return;
	nfv_ofp_connmgr_foreach(o->mgr, count_connected, &n);
	if (n == 0 && !o->fail_open_installed) {
		if (nfv_switch_parse_flow(sw, "table=0,priority=0,cookie=0xfa110fe4,actions=normal",
					  NFV_FLOW_PARSE_ADD, &spec, err) == 0 &&
		    nfv_pipeline_add(sw->pipeline, &spec) == 0)
			o->fail_open_installed = true;
	} else if (n > 0 && o->fail_open_installed) {
		if (nfv_switch_parse_flow(sw, "table=0,priority=0,cookie=0xfa110fe4/-1",
					  NFV_FLOW_PARSE_MATCH, &spec, err) == 0) {
			spec.cookie_mask = UINT64_MAX;
			nfv_pipeline_del(sw->pipeline, &spec, true);
		}
		o->fail_open_installed = false;
	}
	nfv_ofproto_commit(o);
}

static void
commit_tick(void *arg)
{
	nfv_ofproto_commit(arg);
}

void
nfv_ofproto_commit(struct nfv_ofproto *o)
{
	nfv_pipeline_commit(o->sw->pipeline);
}

struct async_ctx {
	struct nfv_ofproto *o;
	const void *msg;
	int len;
	int kind;               /* 0 packet-in, 1 port status, 2 removed */
	uint8_t reason;
};

static void
async_send(void *arg, struct nfv_ofp_conn *c)
{
	struct async_ctx *a = arg;
	struct ofconn *oc = nfv_ofp_conn_data(c);
	const uint32_t *mask;

	if (oc == NULL)
		return;
	mask = a->kind == 0 ? oc->async.packet_in_mask :
	       a->kind == 1 ? oc->async.port_status_mask :
			      oc->async.flow_removed_mask;
	if (!(mask[oc->role == OFPCR_ROLE_SLAVE] & (1u << a->reason)))
		return;
	if (nfv_ofp_conn_send(c, a->msg, a->len) < 0 && a->kind == 0)
		a->o->n_packet_in_dropped++;
}

bool
nfv_ofproto_packet_in(struct nfv_ofproto *o, struct rte_mbuf *m)
{
	const struct nfv_pktin_meta *meta = nfv_pktin_meta(m);
	struct ofp_packet_in pin;
	uint8_t *data = rte_pktmbuf_mtod(m, uint8_t *);
	uint32_t len = rte_pktmbuf_pkt_len(m);
	uint8_t flat[RTE_MBUF_DEFAULT_DATAROOM];
	struct async_ctx a = { .o = o, .kind = 0 };

	if (m->nb_segs > 1) {
		len = RTE_MIN(len, (uint32_t)sizeof(flat));
		data = (uint8_t *)rte_pktmbuf_read(m, 0, len, flat);
	}
	memset(&pin, 0, sizeof(pin));
	pin.buffer_id = OFP_NO_BUFFER;
	pin.reason = meta->reason;
	pin.table_id = meta->table_id;
	pin.cookie = meta->reason == OFPR_NO_MATCH && meta->cookie == 0 ?
		     UINT64_MAX : meta->cookie;
	pin.in_port = meta->in_port;
	pin.metadata = meta->metadata;
	/* An output:CONTROLLER action says how much to send (a table-miss
	 * rule too); miss_send_len is for what no action sent: invalid TTL
	 * (OpenFlow 1.3, 7.3.7). */
	pin.max_len = meta->reason == OFPR_INVALID_TTL ? o->miss_send_len :
						       meta->max_len;
	pin.data = data;
	pin.packet_len = len;
	if (o->port_config[RTE_MIN(meta->in_port, (uint32_t)NFV_MAX_PORTS)] &
	    OFPPC_NO_PACKET_IN)
		return false;
	/* A controller that asked for part of the packet gets the rest
	 * through the buffer (OFPCML_NO_BUFFER asks for all of it). */
	if (pin.max_len != OFPCML_NO_BUFFER && len > pin.max_len)
		pin.buffer_id = buffer_hold(o, m, meta->in_port);
	a.len = ofp_encode_packet_in(o->out, sizeof(o->out), 0, &pin);
	if (a.len >= 0) {
		a.msg = o->out;
		a.reason = pin.reason;
		o->n_packet_in++;
		nfv_ofp_connmgr_foreach(o->mgr, async_send, &a);
	}
	return pin.buffer_id != OFP_NO_BUFFER;
}

void
nfv_ofproto_flow_removed(struct nfv_ofproto *o, const struct nfv_rule *rule,
			 enum nfv_rule_removed_reason reason,
			 uint64_t n_packets, uint64_t n_bytes)
{
	struct ofp_msg msg;
	struct async_ctx a = { .o = o, .kind = 2, .reason = reason };
	uint64_t age = nfv_now_ms() - rule->created_ms;

	if (!(rule->spec.flags & NFV_FF_SEND_FLOW_REM))
		return;
	memset(&msg, 0, sizeof(msg));
	msg.type = OFPT_FLOW_REMOVED;
	msg.u.flow_removed.cookie = rule->spec.cookie;
	msg.u.flow_removed.priority = rule->spec.priority;
	msg.u.flow_removed.reason = reason;
	msg.u.flow_removed.table_id = rule->spec.table_id;
	msg.u.flow_removed.duration_sec = age / 1000;
	msg.u.flow_removed.duration_nsec = (age % 1000) * 1000000;
	msg.u.flow_removed.idle_timeout = rule->spec.idle_timeout;
	msg.u.flow_removed.hard_timeout = rule->spec.hard_timeout;
	msg.u.flow_removed.packet_count = n_packets;
	msg.u.flow_removed.byte_count = n_bytes;
	msg.u.flow_removed.match = rule->spec.match;
	a.len = ofp_encode(&msg, o->out, sizeof(o->out));
	if (a.len < 0)
		return;
	a.msg = o->out;
	nfv_ofp_connmgr_foreach(o->mgr, async_send, &a);
}

void
nfv_ofproto_port_changed(struct nfv_ofproto *o, uint32_t ofport)
{
	struct ofp_msg msg;
	struct async_ctx a = { .o = o, .kind = 1, .reason = OFPPR_MODIFY };

	memset(&msg, 0, sizeof(msg));
	msg.type = OFPT_PORT_STATUS;
	msg.u.port_status.reason = OFPPR_MODIFY;
	port_of(o, ofport, &msg.u.port_status.desc);
	a.len = ofp_encode(&msg, o->out, sizeof(o->out));
	if (a.len < 0)
		return;
	a.msg = o->out;
	nfv_ofp_connmgr_foreach(o->mgr, async_send, &a);
}

/* nfvctl controller-show. */

static void
show_conn(void *arg, struct nfv_ofp_conn *c)
{
	static const char *const roles[] = { "nochange", "equal", "master",
					     "slave" };
	json_t *list = arg;
	struct ofconn *oc = nfv_ofp_conn_data(c);
	struct nfv_ofp_conn_stats st;

	nfv_ofp_conn_get_stats(c, &st);
	json_array_append_new(list, json_pack(
		"{s:s, s:s, s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:I}",
		"name", nfv_ofp_conn_name(c),
		"state", nfv_ofp_conn_state_name(nfv_ofp_conn_state(c)),
		"role", oc != NULL ? roles[oc->role & 3] : "-",
		"active", nfv_ofp_conn_is_active(c),
		"rx_msgs", (json_int_t)st.rx_msgs,
		"tx_msgs", (json_int_t)st.tx_msgs,
		"tx_dropped", (json_int_t)st.tx_dropped,
		"errors", (json_int_t)st.errors,
		"echo_probes", (json_int_t)st.echo_probes,
		"connects", (json_int_t)st.connects));
}

static int
cmd_controller_show(void *ctx, json_t *args, json_t **result, char *err)
{
	struct nfv_ofproto *o = ctx;
	json_t *list = json_array();

	(void)args;
	(void)err;
	nfv_ofp_connmgr_foreach_all(o->mgr, show_conn, list);
	*result = json_pack("{s:o, s:s, s:I, s:I}", "connections", list,
			    "fail_mode", o->sw->cfg->fail_mode,
			    "packet_in", (json_int_t)o->n_packet_in,
			    "packet_in_dropped",
			    (json_int_t)o->n_packet_in_dropped);
	return 0;
}

static const struct nfv_ctl_cmd ofproto_cmds[] = {
	{ "controller-show", "", "OpenFlow connections, roles, counters",
	  { NULL }, 0, 0, false, cmd_controller_show },
};

int
nfv_ofproto_create(struct nfv_switch *sw, struct nfv_ofproto **out, char *err)
{
	const struct nfv_config *cfg = sw->cfg;
	struct nfv_ofp_connmgr_params params = {
		.on_connected = on_connected,
		.on_message = on_message,
		.on_disconnected = on_disconnected,
	};
	struct nfv_ofproto *o = calloc(1, sizeof(*o));
	char why[256];
	int ret;

	if (o == NULL)
		return -ENOMEM;
	o->sw = sw;
	o->miss_send_len = 128;
	params.cb_arg = o;
	ret = nfv_ofp_connmgr_create(sw->loop, &params, &o->mgr);
	if (ret < 0)
		goto out_free;
	for (unsigned int i = 0; i < cfg->n_openflow_listen; i++) {
		ret = nfv_ofp_connmgr_listen(o->mgr, cfg->openflow_listen[i],
					     NULL, why);
		if (ret < 0) {
			snprintf(err, NFV_CONFIG_ERR_MAX,
				 "openflow.listen[%u]: %s", i, why);
			goto out_free;
		}
	}
	for (unsigned int i = 0; i < cfg->n_openflow_controllers; i++) {
		ret = nfv_ofp_connmgr_connect(o->mgr,
					      cfg->openflow_controllers[i],
					      NULL, why);
		if (ret < 0) {
			snprintf(err, NFV_CONFIG_ERR_MAX,
				 "openflow.controllers[%u]: %s", i, why);
			goto out_free;
		}
	}
	ret = nfv_loop_add_timer(sw->loop, OFPROTO_COMMIT_MS, commit_tick, o);
	if (ret == 0)
		ret = nfv_ctl_register(sw->ctl, ofproto_cmds,
				       NFV_ARRAY_SIZE(ofproto_cmds), o);
	if (ret < 0) {
		snprintf(err, NFV_CONFIG_ERR_MAX, "openflow: %s",
			 strerror(-ret));
		goto out_free;
	}
	fail_open_update(o);
	*out = o;
	return 0;

out_free:
	nfv_ofp_connmgr_destroy(o->mgr);
	free(o);
	if (err[0] == '\0')
		snprintf(err, NFV_CONFIG_ERR_MAX, "openflow: %s",
			 strerror(-ret));
	return ret;
}

void
nfv_ofproto_destroy(struct nfv_ofproto *o)
{
	if (o == NULL)
		return;
	nfv_ofp_connmgr_destroy(o->mgr);
	buffers_free(o);
	free(o);
}
