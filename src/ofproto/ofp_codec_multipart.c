/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Multipart messages (OpenFlow 1.3 section 7.3.5): decoding and encoding
 * requests, the reply writer that streams entries into messages of at
 * most 65535 bytes with OFPMPF_REPLY_MORE on all but the last, the
 * encoders of every reply body nfvswitch sends, and, for tests and tools,
 * decoding of replies' flow stats. Table features are derived from
 * nfv_fields[] and from the instructions and actions ofp_codec_actions.c
 * accepts, so what the switch advertises is what it takes.
 *
 * Multipart requests spread over several messages (OFPMPF_REQ_MORE) are
 * refused with OFPBRC_MULTIPART_BUFFER_OVERFLOW: only table features
 * requests may use it, and nfvswitch refuses to change table features.
 * A TABLE_FEATURES request with a body (a set request) is answered
 * OFPET_TABLE_FEATURES_FAILED / OFPTFFC_EPERM, as Open vSwitch answers it.
 */

#include <string.h>

#include "ofp_codec_priv.h"

/* Requests. */

static int
mp_bad_len(struct ofp_error *err)
{
	return ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
}

/* FLOW and AGGREGATE: ofp_flow_stats_request. */
static int
mp_decode_flow_filter(const uint8_t *b, size_t blen, struct ofp_mp_request *mp,
		      struct ofp_error *err)
{
	struct nfv_flow_spec *f = &mp->filter;
	size_t match_len;
	int ret;

	if (blen < OFP_FLOW_STATS_REQ_LEN + OFP_MATCH_MIN_LEN)
		return mp_bad_len(err);
	mp->table_id = b[0];
	if (mp->table_id >= NFV_N_TABLES && mp->table_id != OFPTT_ALL)
		return ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_TABLE_ID);
	f->table_id = mp->table_id;
	f->has_table = mp->table_id != OFPTT_ALL;
	f->out_port = ofp_get32(b + 4);
	f->out_group = ofp_get32(b + 8);
	f->cookie = ofp_get64(b + 16);
	f->cookie_mask = ofp_get64(b + 24);
	ret = ofp_decode_match(b + OFP_FLOW_STATS_REQ_LEN,
			       blen - OFP_FLOW_STATS_REQ_LEN, &f->match,
			       &match_len, err);
	if (ret < 0)
		return ret;
	if (OFP_FLOW_STATS_REQ_LEN + match_len != blen)
		return mp_bad_len(err);
	return 0;
}

int
ofp_mp_request_decode(const uint8_t *body, size_t len,
		      struct ofp_mp_request *mp, struct ofp_error *err)
{
	const uint8_t *b = body + 8;
	size_t blen;

	memset(mp, 0, offsetof(struct ofp_mp_request, filter));
	ofp_flow_spec_init(&mp->filter);
	mp->port_no = mp->queue_id = mp->group_id = mp->meter_id = 0;
	if (len < 8)
		return mp_bad_len(err);
	blen = len - 8;
	mp->type = ofp_get16(body);
	mp->flags = ofp_get16(body + 2);
	switch (mp->type) {
	case OFPMP_TABLE_FEATURES:
		if (blen || mp->flags & OFPMPF_REQ_MORE)
			return ofp_fail(err, OFPET_TABLE_FEATURES_FAILED,
					OFPTFFC_EPERM);
		break;
	case OFPMP_DESC:
	case OFPMP_TABLE:
	case OFPMP_GROUP_DESC:
	case OFPMP_GROUP_FEATURES:
	case OFPMP_METER_FEATURES:
	case OFPMP_PORT_DESC:
	case OFPMP_FLOW:
	case OFPMP_AGGREGATE:
	case OFPMP_PORT_STATS:
	case OFPMP_QUEUE:
	case OFPMP_GROUP:
	case OFPMP_METER:
	case OFPMP_METER_CONFIG:
		break;
	case OFPMP_EXPERIMENTER:
		return ofp_fail(err, OFPET_BAD_REQUEST,
				OFPBRC_BAD_EXPERIMENTER);
	default:
		return ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_MULTIPART);
	}
	if (mp->flags & OFPMPF_REQ_MORE)
		return ofp_fail(err, OFPET_BAD_REQUEST,
				OFPBRC_MULTIPART_BUFFER_OVERFLOW);
	/* Other flag bits are reserved: ignored, and not encoded. */
	mp->flags = 0;
	switch (mp->type) {
	case OFPMP_FLOW:
	case OFPMP_AGGREGATE:
		return mp_decode_flow_filter(b, blen, mp, err);
	case OFPMP_PORT_STATS:
		if (blen != 8)
			return mp_bad_len(err);
		mp->port_no = ofp_get32(b);
		return 0;
	case OFPMP_QUEUE:
		if (blen != 8)
			return mp_bad_len(err);
		mp->port_no = ofp_get32(b);
		mp->queue_id = ofp_get32(b + 4);
		return 0;
	case OFPMP_GROUP:
		if (blen != 8)
			return mp_bad_len(err);
		mp->group_id = ofp_get32(b);
		return 0;
	case OFPMP_METER:
	case OFPMP_METER_CONFIG:
		if (blen != 8)
			return mp_bad_len(err);
		mp->meter_id = ofp_get32(b);
		return 0;
	default:
		return blen ? mp_bad_len(err) : 0;
	}
}

void
ofp_mp_request_encode(struct ofp_wbuf *b, const struct ofp_mp_request *mp)
{
	const struct nfv_flow_spec *f = &mp->filter;

	ofp_put16(b, mp->type);
	ofp_put16(b, mp->flags);
	ofp_put_zeros(b, 4);
	switch (mp->type) {
	case OFPMP_FLOW:
	case OFPMP_AGGREGATE:
		ofp_put8(b, mp->table_id);
		ofp_put_zeros(b, 3);
		ofp_put32(b, f->out_port);
		ofp_put32(b, f->out_group);
		ofp_put_zeros(b, 4);
		ofp_put64(b, f->cookie);
		ofp_put64(b, f->cookie_mask);
		ofp_put_match(b, &f->match);
		break;
	case OFPMP_PORT_STATS:
		ofp_put32(b, mp->port_no);
		ofp_put_zeros(b, 4);
		break;
	case OFPMP_QUEUE:
		ofp_put32(b, mp->port_no);
		ofp_put32(b, mp->queue_id);
		break;
	case OFPMP_GROUP:
		ofp_put32(b, mp->group_id);
		ofp_put_zeros(b, 4);
		break;
	case OFPMP_METER:
	case OFPMP_METER_CONFIG:
		ofp_put32(b, mp->meter_id);
		ofp_put_zeros(b, 4);
		break;
	default:
		break;
	}
}

/* The reply writer. */

static void
mp_start(struct ofp_mp_writer *w)
{
	uint8_t *p = w->buf;

	memset(p, 0, OFP_MP_HEADER_LEN);
	p[0] = OFP_VERSION;
	p[1] = OFPT_MULTIPART_REPLY;
	ofp_set32(p + 4, w->xid);
	ofp_set16(p + 8, w->type);
	w->len = OFP_MP_HEADER_LEN;
	w->n_entries = 0;
}

static int
mp_flush(struct ofp_mp_writer *w, bool more)
{
	int ret;

	ofp_set16(w->buf + 2, w->len);
	ofp_set16(w->buf + 10, more ? OFPMPF_REPLY_MORE : 0);
	ret = w->send(w->arg, w->buf, w->len);
	w->n_msgs++;
	if (ret < 0)
		w->error = ret;
	mp_start(w);
	return ret < 0 ? ret : 0;
}

void
ofp_mp_writer_init(struct ofp_mp_writer *w, uint16_t type, uint32_t xid,
		   ofp_send_fn *send, void *arg)
{
	w->send = send;
	w->arg = arg;
	w->xid = xid;
	w->type = type;
	w->error = 0;
	w->n_msgs = 0;
	mp_start(w);
}

typedef int mp_entry_fn(struct ofp_wbuf *b, const void *entry);

/* Encodes one entry with 'fn' into the current message, or into a new
 * one when it does not fit. */
static int
mp_add(struct ofp_mp_writer *w, mp_entry_fn *fn, const void *entry)
{
	struct ofp_wbuf b;
	int ret;

	if (w->error)
		return w->error;
	for (;;) {
		ofp_wbuf_init(&b, w->buf + w->len, OFP_MSG_MAX - w->len);
		ret = fn(&b, entry);
		if (ret < 0)
			return ret;
		if (!b.full) {
			w->len += b.len;
			w->n_entries++;
			return 0;
		}
		if (!w->n_entries)
			return -EMSGSIZE;
		ret = mp_flush(w, true);
		if (ret < 0)
			return ret;
	}
}

int
ofp_mp_writer_finish(struct ofp_mp_writer *w)
{
	if (w->error)
		return w->error;
	return mp_flush(w, false);
}

/* Raw entries: 'entry' is a struct ofp_wbuf describing the bytes. */
static int
mp_put_raw(struct ofp_wbuf *b, const void *entry)
{
	const struct ofp_wbuf *raw = entry;

	ofp_put_bytes(b, raw->data, raw->len);
	return 0;
}

int
ofp_mp_add_raw(struct ofp_mp_writer *w, const void *entry, size_t len)
{
	struct ofp_wbuf raw = { (uint8_t *)entry, len, len, false };

	return mp_add(w, mp_put_raw, &raw);
}

/* A NUL-padded string field of 'width' bytes. */
static void
mp_put_str(struct ofp_wbuf *b, const char *s, size_t width)
{
	uint8_t *p = ofp_put(b, width);

	if (p)
		memcpy(p, s, strnlen(s, width - 1));
}

static int
mp_put_desc(struct ofp_wbuf *b, const void *entry)
{
	const struct ofp_desc *d = entry;

	mp_put_str(b, d->mfr_desc, OFP_DESC_STR_LEN);
	mp_put_str(b, d->hw_desc, OFP_DESC_STR_LEN);
	mp_put_str(b, d->sw_desc, OFP_DESC_STR_LEN);
	mp_put_str(b, d->serial_num, OFP_SERIAL_NUM_LEN);
	mp_put_str(b, d->dp_desc, OFP_DESC_STR_LEN);
	return 0;
}

int
ofp_mp_add_desc(struct ofp_mp_writer *w, const struct ofp_desc *d)
{
	return mp_add(w, mp_put_desc, d);
}

static int
mp_put_flow_stats(struct ofp_wbuf *b, const void *entry)
{
	const struct ofp_flow_stats *fs = entry;
	const struct nfv_flow_spec *spec = &fs->spec;
	size_t start = b->len;
	int ret;

	ofp_put16(b, 0);
	ofp_put8(b, spec->table_id);
	ofp_put8(b, 0);
	ofp_put32(b, fs->duration_sec);
	ofp_put32(b, fs->duration_nsec);
	ofp_put16(b, spec->priority);
	ofp_put16(b, spec->idle_timeout);
	ofp_put16(b, spec->hard_timeout);
	ofp_put16(b, spec->flags);
	ofp_put_zeros(b, 4);
	ofp_put64(b, spec->cookie);
	ofp_put64(b, fs->packet_count);
	ofp_put64(b, fs->byte_count);
	ofp_put_match(b, &spec->match);
	ret = ofp_instructions_encode(b, spec);
	if (ret < 0)
		return ret;
	ofp_patch16(b, start, b->len - start);
	return 0;
}

int
ofp_mp_add_flow_stats(struct ofp_mp_writer *w, const struct ofp_flow_stats *fs)
{
	return mp_add(w, mp_put_flow_stats, fs);
}

static int
mp_put_aggregate(struct ofp_wbuf *b, const void *entry)
{
	const struct ofp_aggregate_stats *as = entry;

	ofp_put64(b, as->packet_count);
	ofp_put64(b, as->byte_count);
	ofp_put32(b, as->flow_count);
	ofp_put_zeros(b, 4);
	return 0;
}

int
ofp_mp_add_aggregate(struct ofp_mp_writer *w,
		     const struct ofp_aggregate_stats *as)
{
	return mp_add(w, mp_put_aggregate, as);
}

static int
mp_put_table_stats(struct ofp_wbuf *b, const void *entry)
{
	const struct ofp_table_stats *ts = entry;

	ofp_put8(b, ts->table_id);
	ofp_put_zeros(b, 3);
	ofp_put32(b, ts->active_count);
	ofp_put64(b, ts->lookup_count);
	ofp_put64(b, ts->matched_count);
	return 0;
}

int
ofp_mp_add_table_stats(struct ofp_mp_writer *w,
		       const struct ofp_table_stats *ts)
{
	return mp_add(w, mp_put_table_stats, ts);
}

static int
mp_put_port_stats(struct ofp_wbuf *b, const void *entry)
{
	const struct ofp_port_stats *ps = entry;
	const uint64_t counters[] = {
		ps->rx_packets, ps->tx_packets, ps->rx_bytes, ps->tx_bytes,
		ps->rx_dropped, ps->tx_dropped, ps->rx_errors, ps->tx_errors,
		ps->rx_frame_err, ps->rx_over_err, ps->rx_crc_err,
		ps->collisions,
	};

	ofp_put32(b, ps->port_no);
	ofp_put_zeros(b, 4);
	for (size_t i = 0; i < NFV_ARRAY_SIZE(counters); i++)
		ofp_put64(b, counters[i]);
	ofp_put32(b, ps->duration_sec);
	ofp_put32(b, ps->duration_nsec);
	return 0;
}

int
ofp_mp_add_port_stats(struct ofp_mp_writer *w, const struct ofp_port_stats *ps)
{
	return mp_add(w, mp_put_port_stats, ps);
}

static int
mp_put_queue_stats(struct ofp_wbuf *b, const void *entry)
{
	const struct ofp_queue_stats *qs = entry;

	ofp_put32(b, qs->port_no);
	ofp_put32(b, qs->queue_id);
	ofp_put64(b, qs->tx_bytes);
	ofp_put64(b, qs->tx_packets);
	ofp_put64(b, qs->tx_errors);
	ofp_put32(b, qs->duration_sec);
	ofp_put32(b, qs->duration_nsec);
	return 0;
}

int
ofp_mp_add_queue_stats(struct ofp_mp_writer *w,
		       const struct ofp_queue_stats *qs)
{
	return mp_add(w, mp_put_queue_stats, qs);
}

static int
mp_put_group_stats(struct ofp_wbuf *b, const void *entry)
{
	const struct ofp_group_stats *gs = entry;
	size_t start = b->len;

	if (gs->n_buckets > NFV_GROUP_MAX_BUCKETS)
		return -EINVAL;
	ofp_put16(b, 0);
	ofp_put_zeros(b, 2);
	ofp_put32(b, gs->group_id);
	ofp_put32(b, gs->ref_count);
	ofp_put_zeros(b, 4);
	ofp_put64(b, gs->packet_count);
	ofp_put64(b, gs->byte_count);
	ofp_put32(b, gs->duration_sec);
	ofp_put32(b, gs->duration_nsec);
	for (unsigned int i = 0; i < gs->n_buckets; i++) {
		ofp_put64(b, gs->buckets[i].packet_count);
		ofp_put64(b, gs->buckets[i].byte_count);
	}
	ofp_patch16(b, start, b->len - start);
	return 0;
}

int
ofp_mp_add_group_stats(struct ofp_mp_writer *w,
		       const struct ofp_group_stats *gs)
{
	return mp_add(w, mp_put_group_stats, gs);
}

static int
mp_put_group_desc(struct ofp_wbuf *b, const void *entry)
{
	const struct nfv_group_spec *g = entry;
	size_t start = b->len;
	int ret;

	ofp_put16(b, 0);
	ofp_put8(b, g->type);
	ofp_put8(b, 0);
	ofp_put32(b, g->group_id);
	ret = ofp_buckets_encode(b, g);
	if (ret < 0)
		return ret;
	ofp_patch16(b, start, b->len - start);
	return 0;
}

int
ofp_mp_add_group_desc(struct ofp_mp_writer *w, const struct nfv_group_spec *g)
{
	return mp_add(w, mp_put_group_desc, g);
}

static int
mp_put_group_features(struct ofp_wbuf *b, const void *entry)
{
	const struct ofp_group_features *gf = entry;

	ofp_put32(b, gf->types);
	ofp_put32(b, gf->capabilities);
	for (int i = 0; i < 4; i++)
		ofp_put32(b, gf->max_groups[i]);
	for (int i = 0; i < 4; i++)
		ofp_put32(b, gf->actions[i]);
	return 0;
}

int
ofp_mp_add_group_features(struct ofp_mp_writer *w,
			  const struct ofp_group_features *gf)
{
	return mp_add(w, mp_put_group_features, gf);
}

static int
mp_put_meter_features(struct ofp_wbuf *b, const void *entry)
{
	const struct ofp_meter_features *mf = entry;

	ofp_put32(b, mf->max_meter);
	ofp_put32(b, mf->band_types);
	ofp_put32(b, mf->capabilities);
	ofp_put8(b, mf->max_bands);
	ofp_put8(b, mf->max_color);
	ofp_put_zeros(b, 2);
	return 0;
}

int
ofp_mp_add_meter_features(struct ofp_mp_writer *w,
			  const struct ofp_meter_features *mf)
{
	return mp_add(w, mp_put_meter_features, mf);
}

static int
mp_put_port(struct ofp_wbuf *b, const void *entry)
{
	ofp_put_port(b, entry);
	return 0;
}

int
ofp_mp_add_port_desc(struct ofp_mp_writer *w, const struct ofp_port *p)
{
	return mp_add(w, mp_put_port, p);
}

/* Table features. */

enum ofp_table_feature_prop_type {
	OFPTFPT_INSTRUCTIONS = 0,
	OFPTFPT_NEXT_TABLES = 2,
	OFPTFPT_WRITE_ACTIONS = 4,
	OFPTFPT_APPLY_ACTIONS = 6,
	OFPTFPT_MATCH = 8,
	OFPTFPT_WILDCARDS = 10,
	OFPTFPT_WRITE_SETFIELD = 12,
	OFPTFPT_APPLY_SETFIELD = 14,
};

/* What ofp_instructions_decode() accepts (goto_table only where there is
 * a later table) and what ofp_actions_decode() accepts. */
static const uint16_t tf_instructions[] = {
	OFPIT_GOTO_TABLE, OFPIT_WRITE_METADATA, OFPIT_WRITE_ACTIONS,
	OFPIT_APPLY_ACTIONS, OFPIT_CLEAR_ACTIONS,
};

static const uint16_t tf_actions[] = {
	OFPAT_OUTPUT, OFPAT_PUSH_VLAN, OFPAT_POP_VLAN, OFPAT_GROUP,
	OFPAT_SET_NW_TTL, OFPAT_DEC_NW_TTL, OFPAT_SET_FIELD,
};

/* Which fields a property of OXM ids lists. */
enum tf_oxm_kind {
	TF_MATCH,               /* every OXM field, HASMASK if maskable */
	TF_WILDCARDS,           /* every OXM field */
	TF_SETFIELD,            /* settable OXM fields */
};

static size_t
tf_prop_start(struct ofp_wbuf *b, uint16_t type)
{
	size_t start = b->len;

	ofp_put16(b, type);
	ofp_put16(b, 0);
	return start;
}

/* Patches the property's length (without padding) and pads it. */
static void
tf_prop_end(struct ofp_wbuf *b, size_t start)
{
	ofp_patch16(b, start + 2, b->len - start);
	ofp_put_pad8(b, start);
}

/* A list of instruction or action ids: type and length 4 each. */
static void
tf_put_ids(struct ofp_wbuf *b, uint16_t prop, const uint16_t *ids, size_t n)
{
	size_t start = tf_prop_start(b, prop);

	for (size_t i = 0; i < n; i++) {
		ofp_put16(b, ids[i]);
		ofp_put16(b, 4);
	}
	tf_prop_end(b, start);
}

static void
tf_put_oxms(struct ofp_wbuf *b, uint16_t prop, enum tf_oxm_kind kind)
{
	size_t start = tf_prop_start(b, prop);

	for (unsigned int i = 0; i < NFV_F_N; i++) {
		const struct nfv_field *f = &nfv_fields[i];

		if (f->oxm_field < 0 || (kind == TF_SETFIELD && !f->settable))
			continue;
		ofp_put32(b, ofp_oxm_header(f, kind == TF_MATCH &&
					    f->maskable));
	}
	tf_prop_end(b, start);
}

static int
mp_put_table_features(struct ofp_wbuf *b, const void *entry)
{
	const struct ofp_table_features *tf = entry;
	unsigned int n_tables = tf->n_tables < OFPTT_MAX + 1 ?
				tf->n_tables : OFPTT_MAX + 1;
	bool has_next = tf->table_id + 1u < n_tables;
	size_t start = b->len, prop;

	ofp_put16(b, 0);
	ofp_put8(b, tf->table_id);
	ofp_put_zeros(b, 5);
	mp_put_str(b, tf->name, OFP_MAX_TABLE_NAME_LEN);
	ofp_put64(b, tf->metadata_match);
	ofp_put64(b, tf->metadata_write);
	ofp_put32(b, tf->config);
	ofp_put32(b, tf->max_entries);
	tf_put_ids(b, OFPTFPT_INSTRUCTIONS, tf_instructions + !has_next,
		   NFV_ARRAY_SIZE(tf_instructions) - !has_next);
	prop = tf_prop_start(b, OFPTFPT_NEXT_TABLES);
	for (unsigned int t = tf->table_id + 1u; t < n_tables; t++)
		ofp_put8(b, t);
	tf_prop_end(b, prop);
	tf_put_ids(b, OFPTFPT_WRITE_ACTIONS, tf_actions,
		   NFV_ARRAY_SIZE(tf_actions));
	tf_put_ids(b, OFPTFPT_APPLY_ACTIONS, tf_actions,
		   NFV_ARRAY_SIZE(tf_actions));
	tf_put_oxms(b, OFPTFPT_MATCH, TF_MATCH);
	tf_put_oxms(b, OFPTFPT_WILDCARDS, TF_WILDCARDS);
	tf_put_oxms(b, OFPTFPT_WRITE_SETFIELD, TF_SETFIELD);
	tf_put_oxms(b, OFPTFPT_APPLY_SETFIELD, TF_SETFIELD);
	ofp_patch16(b, start, b->len - start);
	return 0;
}

int
ofp_mp_add_table_features(struct ofp_mp_writer *w,
			  const struct ofp_table_features *tf)
{
	return mp_add(w, mp_put_table_features, tf);
}

/* Replies, as a controller reads them. */

int
ofp_decode_mp_reply(const void *buf, size_t len, struct ofp_mp_reply *r,
		    struct ofp_error *err)
{
	const uint8_t *p = buf;

	memset(r, 0, sizeof(*r));
	if (len < OFP_MP_HEADER_LEN || ofp_get16(p + 2) != len)
		return mp_bad_len(err);
	if (p[0] != OFP_VERSION)
		return ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_VERSION);
	if (p[1] != OFPT_MULTIPART_REPLY)
		return ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE);
	r->xid = ofp_get32(p + 4);
	r->type = ofp_get16(p + 8);
	r->flags = ofp_get16(p + 10);
	r->body = p + OFP_MP_HEADER_LEN;
	r->body_len = len - OFP_MP_HEADER_LEN;
	return 0;
}

int
ofp_decode_flow_stats(const uint8_t **body, size_t *len,
		      struct ofp_flow_stats *fs, struct ofp_error *err)
{
	const uint8_t *p = *body;
	struct nfv_flow_spec *spec = &fs->spec;
	size_t elen, match_len;
	int ret;

	memset(fs, 0, offsetof(struct ofp_flow_stats, spec));
	ofp_flow_spec_init(spec);
	if (!*len)
		return 0;
	if (*len < OFP_FLOW_STATS_LEN + OFP_MATCH_MIN_LEN)
		return mp_bad_len(err);
	elen = ofp_get16(p);
	if (elen < OFP_FLOW_STATS_LEN + OFP_MATCH_MIN_LEN || elen % 8 ||
	    elen > *len)
		return mp_bad_len(err);
	spec->table_id = p[2];
	spec->has_table = true;
	fs->duration_sec = ofp_get32(p + 4);
	fs->duration_nsec = ofp_get32(p + 8);
	spec->priority = ofp_get16(p + 12);
	spec->has_priority = true;
	spec->idle_timeout = ofp_get16(p + 14);
	spec->hard_timeout = ofp_get16(p + 16);
	spec->flags = ofp_get16(p + 18);
	spec->cookie = ofp_get64(p + 24);
	fs->packet_count = ofp_get64(p + 32);
	fs->byte_count = ofp_get64(p + 40);
	spec->has_actions = true;
	ret = ofp_decode_match(p + OFP_FLOW_STATS_LEN,
			       elen - OFP_FLOW_STATS_LEN, &spec->match,
			       &match_len, err);
	if (ret < 0)
		return ret;
	ret = ofp_instructions_decode(p + OFP_FLOW_STATS_LEN + match_len,
				      elen - OFP_FLOW_STATS_LEN - match_len,
				      spec->table_id, spec, err);
	if (ret < 0)
		return ret;
	*body += elen;
	*len -= elen;
	return 1;
}
