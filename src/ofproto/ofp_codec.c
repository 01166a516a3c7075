/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The OpenFlow 1.3 codec's entry points (see ofp_codec.h): framing, the
 * header checks, the bodies of every message except multipart (in
 * ofp_codec_multipart.c), and the generic encoder. Matches, actions and
 * instructions are in ofp_codec_match.c and ofp_codec_actions.c. Each body
 * decoder checks its length first (fixed-size bodies must be exact), then
 * its fields in wire order, and fills its member of struct ofp_msg from
 * zero.
 */

#include <string.h>

#include "ofp_codec_priv.h"

#define OFPHET_VERSIONBITMAP 1

void
ofp_flow_spec_init(struct nfv_flow_spec *spec)
{
	memset(spec, 0, sizeof(*spec));
	spec->priority = NFV_FLOW_DEFAULT_PRIORITY;
	spec->out_port = NFV_OFPP_ANY;
	spec->out_group = NFV_OFPG_ANY;
}

int
ofp_frame_len(const void *buf, size_t avail)
{
	const uint8_t *p = buf;
	uint16_t len;

	if (avail < OFP_HEADER_LEN)
		return 0;
	len = ofp_get16(p + 2);
	return len < OFP_HEADER_LEN ? -EBADMSG : len;
}

static int
bad_len(struct ofp_error *err)
{
	return ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
}

/* Fixed-size bodies must be exactly 'want' bytes. */
static int
check_exact(size_t blen, size_t want, struct ofp_error *err)
{
	return blen == want ? 0 : bad_len(err);
}

/* HELLO: elements only exist from 1.3 on; older versions' bodies are
 * ignored, as are unknown elements. The padding after the last element
 * may be missing (some peers leave it out). */
static int
decode_hello(const uint8_t *p, size_t blen, uint8_t version,
	     struct ofp_hello *h, struct ofp_error *err)
{
	size_t off = 0, elen;

	memset(h, 0, sizeof(*h));
	if (version < OFP_VERSION)
		return 0;
	while (blen - off >= 4) {
		elen = ofp_get16(p + off + 2);
		if (elen < 4 || elen > blen - off)
			return bad_len(err);
		if (ofp_get16(p + off) == OFPHET_VERSIONBITMAP) {
			if (elen % 4)
				return bad_len(err);
			h->has_bitmap = true;
			h->bitmap = elen >= 8 ? ofp_get32(p + off + 4) : 0;
		}
		off += ofp_pad8(elen) < blen - off ? ofp_pad8(elen) : blen - off;
	}
	return 0;
}

bool
ofp_hello_accepts_13(const struct ofp_msg *hello)
{
	if (hello->u.hello.has_bitmap)
		return hello->u.hello.bitmap & 1u << OFP_VERSION;
	return hello->version >= OFP_VERSION;
}

static int
decode_error(const uint8_t *p, size_t blen, struct ofp_error_msg *e,
	     struct ofp_error *err)
{
	size_t fixed = 4;

	memset(e, 0, sizeof(*e));
	if (blen < 4)
		return bad_len(err);
	e->error.type = ofp_get16(p);
	e->error.code = ofp_get16(p + 2);
	if (e->error.type == OFPET_EXPERIMENTER) {
		if (blen < 8)
			return bad_len(err);
		e->experimenter = ofp_get32(p + 4);
		fixed = 8;
	}
	e->data_len = blen - fixed;
	e->data = e->data_len ? p + fixed : NULL;
	return 0;
}

static int
decode_set_config(const uint8_t *p, size_t blen, struct ofp_switch_config *c,
		  struct ofp_error *err)
{
	memset(c, 0, sizeof(*c));
	if (check_exact(blen, 4, err))
		return -EBADMSG;
	c->flags = ofp_get16(p);
	c->miss_send_len = ofp_get16(p + 2);
	if (c->flags & ~OFPC_FRAG_MASK)
		return ofp_fail(err, OFPET_SWITCH_CONFIG_FAILED,
				OFPSCFC_BAD_FLAGS);
	if (c->miss_send_len > OFPCML_MAX &&
	    c->miss_send_len != OFPCML_NO_BUFFER)
		return ofp_fail(err, OFPET_SWITCH_CONFIG_FAILED,
				OFPSCFC_BAD_LEN);
	return 0;
}

static int
decode_packet_out(const uint8_t *p, size_t blen, struct ofp_packet_out *po,
		  struct ofp_error *err)
{
	size_t fixed = OFP_PACKET_OUT_LEN - OFP_HEADER_LEN;
	uint16_t actions_len;
	int ret;

	memset(po, 0, sizeof(*po));
	if (blen < fixed)
		return bad_len(err);
	po->buffer_id = ofp_get32(p);
	po->in_port = ofp_get32(p + 4);
	actions_len = ofp_get16(p + 8);
	if (actions_len > blen - fixed)
		return bad_len(err);
	if (po->in_port == 0 ||
	    (po->in_port > NFV_OFPP_MAX &&
	     po->in_port != NFV_OFPP_CONTROLLER &&
	     po->in_port != NFV_OFPP_LOCAL && po->in_port != NFV_OFPP_ANY))
		return ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_PORT);
	ret = ofp_actions_decode(p + fixed, actions_len, OFP_ACT_PACKET_OUT,
				 NULL, po->actions, &po->n_actions, err);
	if (ret < 0)
		return ret;
	po->data_len = blen - fixed - actions_len;
	po->data = po->data_len ? p + fixed + actions_len : NULL;
	return 0;
}

static int
flow_mod_bad(struct ofp_error *err, uint16_t code)
{
	return ofp_fail(err, OFPET_FLOW_MOD_FAILED, code);
}

#define OFP_FLOW_MOD_FLAGS (NFV_FF_SEND_FLOW_REM | NFV_FF_CHECK_OVERLAP | \
			    NFV_FF_RESET_COUNTS | NFV_FF_NO_PKT_COUNTS |   \
			    NFV_FF_NO_BYT_COUNTS)

static int
decode_flow_mod(const uint8_t *p, size_t blen, struct ofp_flow_mod *fm,
		struct ofp_error *err)
{
	size_t fixed = OFP_FLOW_MOD_LEN - OFP_HEADER_LEN, match_len;
	struct nfv_flow_spec *spec = &fm->spec;
	bool del;
	int ret;

	memset(fm, 0, offsetof(struct ofp_flow_mod, spec));
	ofp_flow_spec_init(spec);
	if (blen < fixed + OFP_MATCH_MIN_LEN)
		return bad_len(err);
	fm->table_id = p[16];
	fm->command = p[17];
	fm->buffer_id = ofp_get32(p + 24);
	if (fm->command > OFPFC_DELETE_STRICT)
		return flow_mod_bad(err, OFPFMFC_BAD_COMMAND);
	del = fm->command == OFPFC_DELETE ||
	      fm->command == OFPFC_DELETE_STRICT;
	if (fm->table_id == OFPTT_ALL ? !del : fm->table_id >= NFV_N_TABLES)
		return flow_mod_bad(err, OFPFMFC_BAD_TABLE_ID);
	spec->flags = ofp_get16(p + 36);
	if (spec->flags & ~OFP_FLOW_MOD_FLAGS)
		return flow_mod_bad(err, OFPFMFC_BAD_FLAGS);
	spec->table_id = fm->table_id;
	spec->has_table = fm->table_id != OFPTT_ALL;
	spec->cookie = ofp_get64(p);
	/* The spec ignores cookie_mask for ADD, out_port and out_group
	 * for everything but the deletes. */
	if (fm->command != OFPFC_ADD)
		spec->cookie_mask = ofp_get64(p + 8);
	spec->idle_timeout = ofp_get16(p + 18);
	spec->hard_timeout = ofp_get16(p + 20);
	spec->priority = ofp_get16(p + 22);
	spec->has_priority = true;
	if (del) {
		spec->out_port = ofp_get32(p + 28);
		spec->out_group = ofp_get32(p + 32);
	}
	spec->has_actions = !del;
	ret = ofp_decode_match(p + fixed, blen - fixed, &spec->match,
			       &match_len, err);
	if (ret < 0)
		return ret;
	return ofp_instructions_decode(p + fixed + match_len,
				       blen - fixed - match_len, fm->table_id,
				       spec, err);
}

static int
group_mod_bad(struct ofp_error *err, uint16_t code)
{
	return ofp_fail(err, OFPET_GROUP_MOD_FAILED, code);
}

static int
decode_group_mod(const uint8_t *p, size_t blen, struct ofp_group_mod *gm,
		 struct ofp_error *err)
{
	size_t fixed = OFP_GROUP_MOD_LEN - OFP_HEADER_LEN;
	struct nfv_group_spec *spec = &gm->spec;
	uint32_t id;
	int ret;

	gm->command = 0;
	memset(spec, 0, offsetof(struct nfv_group_spec, buckets));
	if (blen < fixed)
		return bad_len(err);
	gm->command = ofp_get16(p);
	if (gm->command > OFPGC_DELETE)
		return group_mod_bad(err, OFPGMFC_BAD_COMMAND);
	if (p[2] > NFV_GT_FF)
		return group_mod_bad(err, OFPGMFC_BAD_TYPE);
	spec->type = p[2];
	id = ofp_get32(p + 4);
	if (id > NFV_OFPG_MAX &&
	    (gm->command != OFPGC_DELETE || id != NFV_OFPG_ALL))
		return group_mod_bad(err, OFPGMFC_INVALID_GROUP);
	spec->group_id = id;
	ret = ofp_buckets_decode(p + fixed, blen - fixed, spec, err);
	if (ret < 0)
		return ret;
	if (gm->command != OFPGC_DELETE && spec->type == NFV_GT_INDIRECT &&
	    spec->n_buckets != 1)
		return group_mod_bad(err, OFPGMFC_INVALID_GROUP);
	return 0;
}

#define OFP_PORT_CONFIG_BITS (OFPPC_PORT_DOWN | OFPPC_NO_RECV | \
			      OFPPC_NO_FWD | OFPPC_NO_PACKET_IN)

static int
decode_port_mod(const uint8_t *p, size_t blen, struct ofp_port_mod *pm,
		struct ofp_error *err)
{
	memset(pm, 0, sizeof(*pm));
	if (check_exact(blen, 32, err))
		return -EBADMSG;
	pm->port_no = ofp_get32(p);
	memcpy(pm->hw_addr, p + 8, 6);
	pm->config = ofp_get32(p + 16);
	pm->mask = ofp_get32(p + 20);
	pm->advertise = ofp_get32(p + 24);
	if (pm->port_no == 0 ||
	    (pm->port_no > NFV_OFPP_MAX && pm->port_no != NFV_OFPP_LOCAL))
		return ofp_fail(err, OFPET_PORT_MOD_FAILED, OFPPMFC_BAD_PORT);
	if ((pm->config | pm->mask) & ~OFP_PORT_CONFIG_BITS)
		return ofp_fail(err, OFPET_PORT_MOD_FAILED,
				OFPPMFC_BAD_CONFIG);
	if (pm->advertise & ~0xffffu)
		return ofp_fail(err, OFPET_PORT_MOD_FAILED,
				OFPPMFC_BAD_ADVERTISE);
	return 0;
}

#define OFPTC_DEPRECATED_MASK 3

static int
decode_table_mod(const uint8_t *p, size_t blen, struct ofp_table_mod *tm,
		 struct ofp_error *err)
{
	memset(tm, 0, sizeof(*tm));
	if (check_exact(blen, 8, err))
		return -EBADMSG;
	tm->table_id = p[0];
	tm->config = ofp_get32(p + 4);
	if (tm->table_id >= NFV_N_TABLES && tm->table_id != OFPTT_ALL)
		return ofp_fail(err, OFPET_TABLE_MOD_FAILED,
				OFPTMFC_BAD_TABLE);
	if (tm->config & ~OFPTC_DEPRECATED_MASK)
		return ofp_fail(err, OFPET_TABLE_MOD_FAILED,
				OFPTMFC_BAD_CONFIG);
	return 0;
}

static int
decode_queue_get_config(const uint8_t *p, size_t blen,
			struct ofp_queue_get_config *q, struct ofp_error *err)
{
	memset(q, 0, sizeof(*q));
	if (check_exact(blen, 8, err))
		return -EBADMSG;
	q->port = ofp_get32(p);
	if (q->port == 0 ||
	    (q->port > NFV_OFPP_MAX && q->port != NFV_OFPP_ANY))
		return ofp_fail(err, OFPET_QUEUE_OP_FAILED, OFPQOFC_BAD_PORT);
	return 0;
}

static int
decode_role(const uint8_t *p, size_t blen, struct ofp_role *r,
	    struct ofp_error *err)
{
	memset(r, 0, sizeof(*r));
	if (check_exact(blen, 16, err))
		return -EBADMSG;
	r->role = ofp_get32(p);
	r->generation_id = ofp_get64(p + 8);
	if (r->role > OFPCR_ROLE_SLAVE)
		return ofp_fail(err, OFPET_ROLE_REQUEST_FAILED,
				OFPRRFC_BAD_ROLE);
	return 0;
}

static int
decode_async(const uint8_t *p, size_t blen, struct ofp_async *a,
	     struct ofp_error *err)
{
	memset(a, 0, sizeof(*a));
	if (check_exact(blen, 24, err))
		return -EBADMSG;
	for (int i = 0; i < 2; i++) {
		a->packet_in_mask[i] = ofp_get32(p + 4 * i);
		a->port_status_mask[i] = ofp_get32(p + 8 + 4 * i);
		a->flow_removed_mask[i] = ofp_get32(p + 16 + 4 * i);
	}
	return 0;
}

static int
meter_bad(struct ofp_error *err, uint16_t code)
{
	return ofp_fail(err, OFPET_METER_MOD_FAILED, code);
}

#define OFP_METER_FLAGS (OFPMF_KBPS | OFPMF_PKTPS | OFPMF_BURST | OFPMF_STATS)
#define OFP_METER_BAND_LEN 16

static int
decode_meter_mod(const uint8_t *p, size_t blen, struct ofp_meter_mod *mm,
		 struct ofp_error *err)
{
	size_t off, band_len;

	memset(mm, 0, sizeof(*mm));
	if (blen < 8)
		return bad_len(err);
	mm->command = ofp_get16(p);
	mm->flags = ofp_get16(p + 2);
	mm->meter_id = ofp_get32(p + 4);
	if (mm->command > OFPMC_DELETE)
		return meter_bad(err, OFPMMFC_BAD_COMMAND);
	if (mm->flags & ~OFP_METER_FLAGS)
		return meter_bad(err, OFPMMFC_BAD_FLAGS);
	if (mm->meter_id == 0)
		return meter_bad(err, OFPMMFC_INVALID_METER);
	for (off = 8; off < blen; off += band_len) {
		struct ofp_meter_band *b;

		if (blen - off < OFP_METER_BAND_LEN)
			return bad_len(err);
		band_len = ofp_get16(p + off + 2);
		if (band_len < OFP_METER_BAND_LEN || band_len % 8 ||
		    band_len > blen - off)
			return bad_len(err);
		if (mm->n_bands >= OFP_METER_MAX_BANDS)
			return meter_bad(err, OFPMMFC_OUT_OF_BANDS);
		b = &mm->bands[mm->n_bands];
		b->type = ofp_get16(p + off);
		b->rate = ofp_get32(p + off + 4);
		b->burst_size = ofp_get32(p + off + 8);
		switch (b->type) {
		case OFPMBT_DROP:
			break;
		case OFPMBT_DSCP_REMARK:
			b->prec_level = p[off + 12];
			break;
		case OFPMBT_EXPERIMENTER:
			b->experimenter = ofp_get32(p + off + 12);
			break;
		default:
			return meter_bad(err, OFPMMFC_BAD_BAND);
		}
		if (b->type != OFPMBT_EXPERIMENTER &&
		    band_len != OFP_METER_BAND_LEN)
			return bad_len(err);
		mm->n_bands++;
	}
	return 0;
}

/* The body of a message whose header is good. */
static int
decode_body(const uint8_t *p, size_t blen, struct ofp_msg *msg,
	    struct ofp_error *err)
{
	switch (msg->type) {
	case OFPT_HELLO:
		return decode_hello(p, blen, msg->version, &msg->u.hello, err);
	case OFPT_ERROR:
		return decode_error(p, blen, &msg->u.error, err);
	case OFPT_ECHO_REQUEST:
	case OFPT_ECHO_REPLY:
		msg->u.echo.data_len = blen;
		msg->u.echo.data = blen ? p : NULL;
		return 0;
	case OFPT_EXPERIMENTER:
		if (blen < 8)
			return bad_len(err);
		return ofp_fail(err, OFPET_BAD_REQUEST,
				OFPBRC_BAD_EXPERIMENTER);
	case OFPT_FEATURES_REQUEST:
	case OFPT_GET_CONFIG_REQUEST:
	case OFPT_BARRIER_REQUEST:
	case OFPT_GET_ASYNC_REQUEST:
		return check_exact(blen, 0, err);
	case OFPT_SET_CONFIG:
		return decode_set_config(p, blen, &msg->u.config, err);
	case OFPT_PACKET_OUT:
		return decode_packet_out(p, blen, &msg->u.packet_out, err);
	case OFPT_FLOW_MOD:
		return decode_flow_mod(p, blen, &msg->u.flow_mod, err);
	case OFPT_GROUP_MOD:
		return decode_group_mod(p, blen, &msg->u.group_mod, err);
	case OFPT_PORT_MOD:
		return decode_port_mod(p, blen, &msg->u.port_mod, err);
	case OFPT_TABLE_MOD:
		return decode_table_mod(p, blen, &msg->u.table_mod, err);
	case OFPT_MULTIPART_REQUEST:
		return ofp_mp_request_decode(p, blen, &msg->u.mp_request, err);
	case OFPT_QUEUE_GET_CONFIG_REQUEST:
		return decode_queue_get_config(p, blen,
					       &msg->u.queue_get_config, err);
	case OFPT_ROLE_REQUEST:
		return decode_role(p, blen, &msg->u.role, err);
	case OFPT_SET_ASYNC:
		return decode_async(p, blen, &msg->u.async, err);
	case OFPT_METER_MOD:
		return decode_meter_mod(p, blen, &msg->u.meter_mod, err);
	default:
		/* Unknown, or only ever sent by a switch. */
		return ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE);
	}
}

int
ofp_decode(const void *buf, size_t len, struct ofp_msg *msg,
	   struct ofp_error *err)
{
	const uint8_t *p = buf;

	msg->version = 0;
	msg->type = 0;
	msg->xid = 0;
	if (len < OFP_HEADER_LEN)
		return bad_len(err);
	msg->version = p[0];
	msg->type = p[1];
	msg->xid = ofp_get32(p + 4);
	if (msg->version != OFP_VERSION && msg->type != OFPT_HELLO)
		return ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_VERSION);
	if (ofp_get16(p + 2) != len)
		return bad_len(err);
	return decode_body(p + OFP_HEADER_LEN, len - OFP_HEADER_LEN, msg, err);
}

/* Encoders. */

static void
put_hello(struct ofp_wbuf *b, const struct ofp_hello *h)
{
	if (!h->has_bitmap)
		return;
	ofp_put16(b, OFPHET_VERSIONBITMAP);
	ofp_put16(b, 8);
	ofp_put32(b, h->bitmap);
}

static void
put_error(struct ofp_wbuf *b, const struct ofp_error_msg *e)
{
	ofp_put16(b, e->error.type);
	ofp_put16(b, e->error.code);
	if (e->error.type == OFPET_EXPERIMENTER)
		ofp_put32(b, e->experimenter);
	ofp_put_bytes(b, e->data, e->data_len);
}

static void
put_features(struct ofp_wbuf *b, const struct ofp_features *f)
{
	ofp_put64(b, f->datapath_id);
	ofp_put32(b, f->n_buffers);
	ofp_put8(b, f->n_tables);
	ofp_put8(b, f->auxiliary_id);
	ofp_put_zeros(b, 2);
	ofp_put32(b, f->capabilities);
	ofp_put32(b, 0);
}

static void
put_flow_removed(struct ofp_wbuf *b, const struct ofp_flow_removed *fr)
{
	ofp_put64(b, fr->cookie);
	ofp_put16(b, fr->priority);
	ofp_put8(b, fr->reason);
	ofp_put8(b, fr->table_id);
	ofp_put32(b, fr->duration_sec);
	ofp_put32(b, fr->duration_nsec);
	ofp_put16(b, fr->idle_timeout);
	ofp_put16(b, fr->hard_timeout);
	ofp_put64(b, fr->packet_count);
	ofp_put64(b, fr->byte_count);
	ofp_put_match(b, &fr->match);
}

void
ofp_put_port(struct ofp_wbuf *b, const struct ofp_port *port)
{
	uint8_t *name;

	ofp_put32(b, port->port_no);
	ofp_put_zeros(b, 4);
	ofp_put_bytes(b, port->hw_addr, 6);
	ofp_put_zeros(b, 2);
	name = ofp_put(b, OFP_MAX_PORT_NAME_LEN);
	if (name)
		memcpy(name, port->name,
		       strnlen(port->name, OFP_MAX_PORT_NAME_LEN - 1));
	ofp_put32(b, port->config);
	ofp_put32(b, port->state);
	ofp_put32(b, port->curr);
	ofp_put32(b, port->advertised);
	ofp_put32(b, port->supported);
	ofp_put32(b, port->peer);
	ofp_put32(b, port->curr_speed);
	ofp_put32(b, port->max_speed);
}

static int
put_packet_out(struct ofp_wbuf *b, const struct ofp_packet_out *po)
{
	size_t at;
	int ret;

	ofp_put32(b, po->buffer_id);
	ofp_put32(b, po->in_port);
	at = b->len;
	ofp_put16(b, 0);
	ofp_put_zeros(b, 6);
	ret = ofp_actions_encode(b, po->actions, po->n_actions);
	if (ret < 0)
		return ret;
	ofp_patch16(b, at, b->len - at - 8);
	ofp_put_bytes(b, po->data, po->data_len);
	return 0;
}

static int
put_flow_mod(struct ofp_wbuf *b, const struct ofp_flow_mod *fm)
{
	const struct nfv_flow_spec *spec = &fm->spec;

	ofp_put64(b, spec->cookie);
	ofp_put64(b, spec->cookie_mask);
	ofp_put8(b, fm->table_id);
	ofp_put8(b, fm->command);
	ofp_put16(b, spec->idle_timeout);
	ofp_put16(b, spec->hard_timeout);
	ofp_put16(b, spec->priority);
	ofp_put32(b, fm->buffer_id);
	ofp_put32(b, spec->out_port);
	ofp_put32(b, spec->out_group);
	ofp_put16(b, spec->flags);
	ofp_put_zeros(b, 2);
	ofp_put_match(b, &spec->match);
	return ofp_instructions_encode(b, spec);
}

static int
put_group_mod(struct ofp_wbuf *b, const struct ofp_group_mod *gm)
{
	ofp_put16(b, gm->command);
	ofp_put8(b, gm->spec.type);
	ofp_put8(b, 0);
	ofp_put32(b, gm->spec.group_id);
	return ofp_buckets_encode(b, &gm->spec);
}

static void
put_port_mod(struct ofp_wbuf *b, const struct ofp_port_mod *pm)
{
	ofp_put32(b, pm->port_no);
	ofp_put_zeros(b, 4);
	ofp_put_bytes(b, pm->hw_addr, 6);
	ofp_put_zeros(b, 2);
	ofp_put32(b, pm->config);
	ofp_put32(b, pm->mask);
	ofp_put32(b, pm->advertise);
	ofp_put_zeros(b, 4);
}

static void
put_meter_mod(struct ofp_wbuf *b, const struct ofp_meter_mod *mm)
{
	unsigned int n = mm->n_bands < OFP_METER_MAX_BANDS ?
			 mm->n_bands : OFP_METER_MAX_BANDS;

	ofp_put16(b, mm->command);
	ofp_put16(b, mm->flags);
	ofp_put32(b, mm->meter_id);
	for (unsigned int i = 0; i < n; i++) {
		const struct ofp_meter_band *band = &mm->bands[i];

		ofp_put16(b, band->type);
		ofp_put16(b, OFP_METER_BAND_LEN);
		ofp_put32(b, band->rate);
		ofp_put32(b, band->burst_size);
		if (band->type == OFPMBT_EXPERIMENTER) {
			ofp_put32(b, band->experimenter);
		} else {
			ofp_put8(b, band->type == OFPMBT_DSCP_REMARK ?
				 band->prec_level : 0);
			ofp_put_zeros(b, 3);
		}
	}
}

static void
put_async(struct ofp_wbuf *b, const struct ofp_async *a)
{
	for (int i = 0; i < 2; i++)
		ofp_put32(b, a->packet_in_mask[i]);
	for (int i = 0; i < 2; i++)
		ofp_put32(b, a->port_status_mask[i]);
	for (int i = 0; i < 2; i++)
		ofp_put32(b, a->flow_removed_mask[i]);
}

/* The body of 'msg'; 0 or -EINVAL. */
static int
put_body(struct ofp_wbuf *b, const struct ofp_msg *msg)
{
	const struct ofp_switch_config *c = &msg->u.config;

	switch (msg->type) {
	case OFPT_HELLO:
		put_hello(b, &msg->u.hello);
		return 0;
	case OFPT_ERROR:
		put_error(b, &msg->u.error);
		return 0;
	case OFPT_ECHO_REQUEST:
	case OFPT_ECHO_REPLY:
		ofp_put_bytes(b, msg->u.echo.data, msg->u.echo.data_len);
		return 0;
	case OFPT_FEATURES_REQUEST:
	case OFPT_GET_CONFIG_REQUEST:
	case OFPT_BARRIER_REQUEST:
	case OFPT_BARRIER_REPLY:
	case OFPT_GET_ASYNC_REQUEST:
		return 0;
	case OFPT_FEATURES_REPLY:
		put_features(b, &msg->u.features);
		return 0;
	case OFPT_SET_CONFIG:
	case OFPT_GET_CONFIG_REPLY:
		ofp_put16(b, c->flags);
		ofp_put16(b, c->miss_send_len);
		return 0;
	case OFPT_FLOW_REMOVED:
		put_flow_removed(b, &msg->u.flow_removed);
		return 0;
	case OFPT_PORT_STATUS:
		ofp_put8(b, msg->u.port_status.reason);
		ofp_put_zeros(b, 7);
		ofp_put_port(b, &msg->u.port_status.desc);
		return 0;
	case OFPT_PACKET_OUT:
		return put_packet_out(b, &msg->u.packet_out);
	case OFPT_FLOW_MOD:
		return put_flow_mod(b, &msg->u.flow_mod);
	case OFPT_GROUP_MOD:
		return put_group_mod(b, &msg->u.group_mod);
	case OFPT_PORT_MOD:
		put_port_mod(b, &msg->u.port_mod);
		return 0;
	case OFPT_TABLE_MOD:
		ofp_put8(b, msg->u.table_mod.table_id);
		ofp_put_zeros(b, 3);
		ofp_put32(b, msg->u.table_mod.config);
		return 0;
	case OFPT_MULTIPART_REQUEST:
		ofp_mp_request_encode(b, &msg->u.mp_request);
		return 0;
	case OFPT_QUEUE_GET_CONFIG_REQUEST:
	case OFPT_QUEUE_GET_CONFIG_REPLY:
		ofp_put32(b, msg->u.queue_get_config.port);
		ofp_put_zeros(b, 4);
		return 0;
	case OFPT_ROLE_REQUEST:
	case OFPT_ROLE_REPLY:
		ofp_put32(b, msg->u.role.role);
		ofp_put_zeros(b, 4);
		ofp_put64(b, msg->u.role.generation_id);
		return 0;
	case OFPT_SET_ASYNC:
	case OFPT_GET_ASYNC_REPLY:
		put_async(b, &msg->u.async);
		return 0;
	case OFPT_METER_MOD:
		put_meter_mod(b, &msg->u.meter_mod);
		return 0;
	default:
		/* EXPERIMENTER, MULTIPART_REPLY (see ofp_mp_writer) and
		 * unknown types. */
		return -EINVAL;
	}
}

int
ofp_encode(const struct ofp_msg *msg, void *buf, size_t size)
{
	struct ofp_wbuf b;
	size_t start;
	int ret;

	if (msg->type == OFPT_PACKET_IN)
		return ofp_encode_packet_in(buf, size, msg->xid,
					    &msg->u.packet_in);
	ofp_wbuf_init(&b, buf, size);
	start = ofp_put_header(&b, msg->type, msg->xid);
	ret = put_body(&b, msg);
	if (ret < 0)
		return ret;
	return ofp_finish_msg(&b, start);
}

int
ofp_encode_empty(void *buf, size_t size, uint8_t type, uint32_t xid)
{
	struct ofp_wbuf b;
	size_t start;

	ofp_wbuf_init(&b, buf, size);
	start = ofp_put_header(&b, type, xid);
	return ofp_finish_msg(&b, start);
}

int
ofp_encode_hello(void *buf, size_t size, uint32_t xid)
{
	struct ofp_hello h = {
		.has_bitmap = true,
		.bitmap = 1u << OFP_VERSION,
	};
	struct ofp_wbuf b;
	size_t start;

	ofp_wbuf_init(&b, buf, size);
	start = ofp_put_header(&b, OFPT_HELLO, xid);
	put_hello(&b, &h);
	return ofp_finish_msg(&b, start);
}

int
ofp_encode_error(void *buf, size_t size, uint32_t xid, struct ofp_error e,
		 const void *data, size_t len)
{
	struct ofp_error_msg em = {
		.error = e,
		.data = data,
		.data_len = len < OFP_ERROR_DATA_MAX ? len : OFP_ERROR_DATA_MAX,
	};
	struct ofp_wbuf b;
	size_t start;

	ofp_wbuf_init(&b, buf, size);
	start = ofp_put_header(&b, OFPT_ERROR, xid);
	put_error(&b, &em);
	return ofp_finish_msg(&b, start);
}

int
ofp_encode_echo(void *buf, size_t size, uint8_t type, uint32_t xid,
		const void *data, size_t len)
{
	struct ofp_wbuf b;
	size_t start;

	ofp_wbuf_init(&b, buf, size);
	start = ofp_put_header(&b, type, xid);
	ofp_put_bytes(&b, data, len);
	return ofp_finish_msg(&b, start);
}

int
ofp_encode_packet_in(void *buf, size_t size, uint32_t xid,
		     const struct ofp_packet_in *pin)
{
	union nfv_field_value v;
	struct nfv_match m;
	size_t start, data_len, fixed;
	struct ofp_wbuf b;

	memset(&m, 0, sizeof(m));
	memset(&v, 0, sizeof(v));
	ofp_set32(v.u8, pin->in_port);
	nfv_match_set(&m, &nfv_fields[NFV_F_IN_PORT], &v, NULL);
	if (pin->metadata) {
		memset(&v, 0, sizeof(v));
		ofp_set64(v.u8, pin->metadata);
		nfv_match_set(&m, &nfv_fields[NFV_F_METADATA], &v, NULL);
	}
	ofp_wbuf_init(&b, buf, size);
	start = ofp_put_header(&b, OFPT_PACKET_IN, xid);
	ofp_put32(&b, pin->buffer_id);
	ofp_put16(&b, pin->packet_len < UINT16_MAX ? pin->packet_len :
		  UINT16_MAX);
	ofp_put8(&b, pin->reason);
	ofp_put8(&b, pin->table_id);
	ofp_put64(&b, pin->cookie);
	ofp_put_match(&b, &m);
	ofp_put_zeros(&b, 2);
	fixed = b.len - start;
	data_len = pin->packet_len;
	if (pin->max_len != OFPCML_NO_BUFFER && data_len > pin->max_len)
		data_len = pin->max_len;
	if (data_len > OFP_MSG_MAX - fixed)
		data_len = OFP_MSG_MAX - fixed;
	ofp_put_bytes(&b, pin->data, data_len);
	return ofp_finish_msg(&b, start);
}

/* Names. */

static const char *const type_names[] = {
	[OFPT_HELLO] = "HELLO",
	[OFPT_ERROR] = "ERROR",
	[OFPT_ECHO_REQUEST] = "ECHO_REQUEST",
	[OFPT_ECHO_REPLY] = "ECHO_REPLY",
	[OFPT_EXPERIMENTER] = "EXPERIMENTER",
	[OFPT_FEATURES_REQUEST] = "FEATURES_REQUEST",
	[OFPT_FEATURES_REPLY] = "FEATURES_REPLY",
	[OFPT_GET_CONFIG_REQUEST] = "GET_CONFIG_REQUEST",
	[OFPT_GET_CONFIG_REPLY] = "GET_CONFIG_REPLY",
	[OFPT_SET_CONFIG] = "SET_CONFIG",
	[OFPT_PACKET_IN] = "PACKET_IN",
	[OFPT_FLOW_REMOVED] = "FLOW_REMOVED",
	[OFPT_PORT_STATUS] = "PORT_STATUS",
	[OFPT_PACKET_OUT] = "PACKET_OUT",
	[OFPT_FLOW_MOD] = "FLOW_MOD",
	[OFPT_GROUP_MOD] = "GROUP_MOD",
	[OFPT_PORT_MOD] = "PORT_MOD",
	[OFPT_TABLE_MOD] = "TABLE_MOD",
	[OFPT_MULTIPART_REQUEST] = "MULTIPART_REQUEST",
	[OFPT_MULTIPART_REPLY] = "MULTIPART_REPLY",
	[OFPT_BARRIER_REQUEST] = "BARRIER_REQUEST",
	[OFPT_BARRIER_REPLY] = "BARRIER_REPLY",
	[OFPT_QUEUE_GET_CONFIG_REQUEST] = "QUEUE_GET_CONFIG_REQUEST",
	[OFPT_QUEUE_GET_CONFIG_REPLY] = "QUEUE_GET_CONFIG_REPLY",
	[OFPT_ROLE_REQUEST] = "ROLE_REQUEST",
	[OFPT_ROLE_REPLY] = "ROLE_REPLY",
	[OFPT_GET_ASYNC_REQUEST] = "GET_ASYNC_REQUEST",
	[OFPT_GET_ASYNC_REPLY] = "GET_ASYNC_REPLY",
	[OFPT_SET_ASYNC] = "SET_ASYNC",
	[OFPT_METER_MOD] = "METER_MOD",
};

const char *
ofp_type_name(uint8_t type)
{
	if (type < NFV_ARRAY_SIZE(type_names) && type_names[type])
		return type_names[type];
	return "unknown";
}

static const char *const error_type_names[] = {
	[OFPET_HELLO_FAILED] = "OFPET_HELLO_FAILED",
	[OFPET_BAD_REQUEST] = "OFPET_BAD_REQUEST",
	[OFPET_BAD_ACTION] = "OFPET_BAD_ACTION",
	[OFPET_BAD_INSTRUCTION] = "OFPET_BAD_INSTRUCTION",
	[OFPET_BAD_MATCH] = "OFPET_BAD_MATCH",
	[OFPET_FLOW_MOD_FAILED] = "OFPET_FLOW_MOD_FAILED",
	[OFPET_GROUP_MOD_FAILED] = "OFPET_GROUP_MOD_FAILED",
	[OFPET_PORT_MOD_FAILED] = "OFPET_PORT_MOD_FAILED",
	[OFPET_TABLE_MOD_FAILED] = "OFPET_TABLE_MOD_FAILED",
	[OFPET_QUEUE_OP_FAILED] = "OFPET_QUEUE_OP_FAILED",
	[OFPET_SWITCH_CONFIG_FAILED] = "OFPET_SWITCH_CONFIG_FAILED",
	[OFPET_ROLE_REQUEST_FAILED] = "OFPET_ROLE_REQUEST_FAILED",
	[OFPET_METER_MOD_FAILED] = "OFPET_METER_MOD_FAILED",
	[OFPET_TABLE_FEATURES_FAILED] = "OFPET_TABLE_FEATURES_FAILED",
};

const char *
ofp_error_type_name(uint16_t type)
{
	if (type == OFPET_EXPERIMENTER)
		return "OFPET_EXPERIMENTER";
	if (type < NFV_ARRAY_SIZE(error_type_names))
		return error_type_names[type];
	return "unknown";
}

static const char *const hello_failed_names[] = {
	"OFPHFC_INCOMPATIBLE", "OFPHFC_EPERM",
};
static const char *const bad_request_names[] = {
	"OFPBRC_BAD_VERSION", "OFPBRC_BAD_TYPE", "OFPBRC_BAD_MULTIPART",
	"OFPBRC_BAD_EXPERIMENTER", "OFPBRC_BAD_EXP_TYPE", "OFPBRC_EPERM",
	"OFPBRC_BAD_LEN", "OFPBRC_BUFFER_EMPTY", "OFPBRC_BUFFER_UNKNOWN",
	"OFPBRC_BAD_TABLE_ID", "OFPBRC_IS_SLAVE", "OFPBRC_BAD_PORT",
	"OFPBRC_BAD_PACKET", "OFPBRC_MULTIPART_BUFFER_OVERFLOW",
};
static const char *const bad_action_names[] = {
	"OFPBAC_BAD_TYPE", "OFPBAC_BAD_LEN", "OFPBAC_BAD_EXPERIMENTER",
	"OFPBAC_BAD_EXP_TYPE", "OFPBAC_BAD_OUT_PORT", "OFPBAC_BAD_ARGUMENT",
	"OFPBAC_EPERM", "OFPBAC_TOO_MANY", "OFPBAC_BAD_QUEUE",
	"OFPBAC_BAD_OUT_GROUP", "OFPBAC_MATCH_INCONSISTENT",
	"OFPBAC_UNSUPPORTED_ORDER", "OFPBAC_BAD_TAG", "OFPBAC_BAD_SET_TYPE",
	"OFPBAC_BAD_SET_LEN", "OFPBAC_BAD_SET_ARGUMENT",
};
static const char *const bad_instruction_names[] = {
	"OFPBIC_UNKNOWN_INST", "OFPBIC_UNSUP_INST", "OFPBIC_BAD_TABLE_ID",
	"OFPBIC_UNSUP_METADATA", "OFPBIC_UNSUP_METADATA_MASK",
	"OFPBIC_BAD_EXPERIMENTER", "OFPBIC_BAD_EXP_TYPE", "OFPBIC_BAD_LEN",
	"OFPBIC_EPERM", "OFPBIC_DUP_INST",
};
static const char *const bad_match_names[] = {
	"OFPBMC_BAD_TYPE", "OFPBMC_BAD_LEN", "OFPBMC_BAD_TAG",
	"OFPBMC_BAD_DL_ADDR_MASK", "OFPBMC_BAD_NW_ADDR_MASK",
	"OFPBMC_BAD_WILDCARDS", "OFPBMC_BAD_FIELD", "OFPBMC_BAD_VALUE",
	"OFPBMC_BAD_MASK", "OFPBMC_BAD_PREREQ", "OFPBMC_DUP_FIELD",
	"OFPBMC_EPERM",
};
static const char *const flow_mod_failed_names[] = {
	"OFPFMFC_UNKNOWN", "OFPFMFC_TABLE_FULL", "OFPFMFC_BAD_TABLE_ID",
	"OFPFMFC_OVERLAP", "OFPFMFC_EPERM", "OFPFMFC_BAD_TIMEOUT",
	"OFPFMFC_BAD_COMMAND", "OFPFMFC_BAD_FLAGS",
};
static const char *const group_mod_failed_names[] = {
	"OFPGMFC_GROUP_EXISTS", "OFPGMFC_INVALID_GROUP",
	"OFPGMFC_WEIGHT_UNSUPPORTED", "OFPGMFC_OUT_OF_GROUPS",
	"OFPGMFC_OUT_OF_BUCKETS", "OFPGMFC_CHAINING_UNSUPPORTED",
	"OFPGMFC_WATCH_UNSUPPORTED", "OFPGMFC_LOOP", "OFPGMFC_UNKNOWN_GROUP",
	"OFPGMFC_CHAINED_GROUP", "OFPGMFC_BAD_TYPE", "OFPGMFC_BAD_COMMAND",
	"OFPGMFC_BAD_BUCKET", "OFPGMFC_BAD_WATCH", "OFPGMFC_EPERM",
};
static const char *const port_mod_failed_names[] = {
	"OFPPMFC_BAD_PORT", "OFPPMFC_BAD_HW_ADDR", "OFPPMFC_BAD_CONFIG",
	"OFPPMFC_BAD_ADVERTISE", "OFPPMFC_EPERM",
};
static const char *const table_mod_failed_names[] = {
	"OFPTMFC_BAD_TABLE", "OFPTMFC_BAD_CONFIG", "OFPTMFC_EPERM",
};
static const char *const queue_op_failed_names[] = {
	"OFPQOFC_BAD_PORT", "OFPQOFC_BAD_QUEUE", "OFPQOFC_EPERM",
};
static const char *const switch_config_failed_names[] = {
	"OFPSCFC_BAD_FLAGS", "OFPSCFC_BAD_LEN", "OFPSCFC_EPERM",
};
static const char *const role_request_failed_names[] = {
	"OFPRRFC_STALE", "OFPRRFC_UNSUP", "OFPRRFC_BAD_ROLE",
};
static const char *const meter_mod_failed_names[] = {
	"OFPMMFC_UNKNOWN", "OFPMMFC_METER_EXISTS", "OFPMMFC_INVALID_METER",
	"OFPMMFC_UNKNOWN_METER", "OFPMMFC_BAD_COMMAND", "OFPMMFC_BAD_FLAGS",
	"OFPMMFC_BAD_RATE", "OFPMMFC_BAD_BURST", "OFPMMFC_BAD_BAND",
	"OFPMMFC_BAD_BAND_VALUE", "OFPMMFC_OUT_OF_METERS",
	"OFPMMFC_OUT_OF_BANDS",
};
static const char *const table_features_failed_names[] = {
	"OFPTFFC_BAD_TABLE", "OFPTFFC_BAD_METADATA", "OFPTFFC_BAD_TYPE",
	"OFPTFFC_BAD_LEN", "OFPTFFC_BAD_ARGUMENT", "OFPTFFC_EPERM",
};

#define CODE_NAMES(t, a) [t] = { a, NFV_ARRAY_SIZE(a) }

static const struct {
	const char *const *names;
	size_t n;
} code_names[] = {
	CODE_NAMES(OFPET_HELLO_FAILED, hello_failed_names),
	CODE_NAMES(OFPET_BAD_REQUEST, bad_request_names),
	CODE_NAMES(OFPET_BAD_ACTION, bad_action_names),
	CODE_NAMES(OFPET_BAD_INSTRUCTION, bad_instruction_names),
	CODE_NAMES(OFPET_BAD_MATCH, bad_match_names),
	CODE_NAMES(OFPET_FLOW_MOD_FAILED, flow_mod_failed_names),
	CODE_NAMES(OFPET_GROUP_MOD_FAILED, group_mod_failed_names),
	CODE_NAMES(OFPET_PORT_MOD_FAILED, port_mod_failed_names),
	CODE_NAMES(OFPET_TABLE_MOD_FAILED, table_mod_failed_names),
	CODE_NAMES(OFPET_QUEUE_OP_FAILED, queue_op_failed_names),
	CODE_NAMES(OFPET_SWITCH_CONFIG_FAILED, switch_config_failed_names),
	CODE_NAMES(OFPET_ROLE_REQUEST_FAILED, role_request_failed_names),
	CODE_NAMES(OFPET_METER_MOD_FAILED, meter_mod_failed_names),
	CODE_NAMES(OFPET_TABLE_FEATURES_FAILED, table_features_failed_names),
};

const char *
ofp_error_code_name(struct ofp_error e)
{
	if (e.type < NFV_ARRAY_SIZE(code_names) &&
	    e.code < code_names[e.type].n)
		return code_names[e.type].names[e.code];
	return "unknown";
}
