/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OpenFlow 1.3 actions, instructions and group buckets to and from the
 * pipeline's struct nfv_action, struct nfv_flow_spec and struct
 * nfv_bucket. The actions nfvswitch executes are output, group,
 * set_field, push_vlan, pop_vlan, dec_nw_ttl and set_nw_ttl; the other
 * OpenFlow actions are answered OFPBAC_BAD_TYPE. Actions of a flow are
 * checked against its match as earlier actions leave it, as the flow
 * syntax parser (src/pipeline/flow_parse_actions.c) checks them: set_field
 * needs its field's prerequisites, pop_vlan a tag, the TTL actions IP.
 * Write-actions is an action set: a later action of the same kind replaces
 * the earlier one, and the set runs in the order of spec 5.10 (pop, push,
 * TTL, set_field, group / output) whatever the order it was written in, so
 * its checks follow that order. Group buckets and packet-out have no match
 * and skip those checks.
 */

#include <string.h>

#include "ofp_codec_priv.h"

static int
act_bad(struct ofp_error *err, uint16_t code)
{
	return ofp_fail(err, OFPET_BAD_ACTION, code);
}

/* Output ports OpenFlow allows: any port number and the reserved ports
 * that make sense as an output; TABLE only in a packet-out. */
static bool
act_output_port_ok(uint32_t port, enum ofp_act_where where)
{
	if (port == 0)
		return false;
	if (port <= NFV_OFPP_MAX)
		return true;
	switch (port) {
	case NFV_OFPP_IN_PORT:
	case NFV_OFPP_NORMAL:
	case NFV_OFPP_FLOOD:
	case NFV_OFPP_ALL:
	case NFV_OFPP_CONTROLLER:
	case NFV_OFPP_LOCAL:
		return true;
	case NFV_OFPP_TABLE:
		return where == OFP_ACT_PACKET_OUT;
	default:
		return false;
	}
}

/* Adds 'a' to the list: appended, or in an action set replacing the
 * action of the same kind (the same field for set_field). */
static int
act_add(struct nfv_action *acts, unsigned int *n, enum ofp_act_where where,
	const struct nfv_action *a, struct ofp_error *err)
{
	if (where == OFP_ACT_WRITE) {
		for (unsigned int i = 0; i < *n; i++) {
			if (acts[i].type == a->type &&
			    (a->type != NFV_ACT_SET_FIELD ||
			     acts[i].field == a->field)) {
				acts[i] = *a;
				return 0;
			}
		}
	}
	if (*n >= NFV_FLOW_MAX_ACTIONS)
		return act_bad(err, OFPBAC_TOO_MANY);
	acts[(*n)++] = *a;
	return 0;
}

/* set_field: one OXM TLV without a mask, padded to 8 bytes. */
static int
act_set_field(const uint8_t *p, size_t alen, struct nfv_action *a,
	      struct ofp_error *err)
{
	uint32_t header = ofp_get32(p + 4);
	unsigned int field = header >> 9 & 0x7f;
	unsigned int olen = header & 0xff;
	const struct nfv_field *f;

	if (header >> 16 != OFPXMC_OPENFLOW_BASIC)
		return act_bad(err, OFPBAC_BAD_SET_TYPE);
	f = ofp_field_by_oxm(field);
	if (!f || !f->settable)
		return act_bad(err, OFPBAC_BAD_SET_TYPE);
	if (header >> 8 & 1)
		return act_bad(err, OFPBAC_BAD_SET_ARGUMENT);
	if (olen != ofp_oxm_len(field) || ofp_pad8(8 + olen) != alen)
		return act_bad(err, OFPBAC_BAD_SET_LEN);
	if (!ofp_oxm_to_value(f, p + 8, olen, &a->arg.value))
		return act_bad(err, OFPBAC_BAD_SET_ARGUMENT);
	/* OpenFlow 1.3: the VID of a tag, never "untagged". */
	if (f == &nfv_fields[NFV_F_VLAN_VID] &&
	    !(a->arg.value.u8[0] << 8 & NFV_VLAN_PRESENT))
		return act_bad(err, OFPBAC_BAD_SET_ARGUMENT);
	a->type = NFV_ACT_SET_FIELD;
	a->field = f - nfv_fields;
	return 0;
}

/* What push_vlan / pop_vlan leave for later actions to see. */
static void
act_state_vlan(struct nfv_match *state, bool tagged)
{
	const struct nfv_field *vid = &nfv_fields[NFV_F_VLAN_VID];
	union nfv_field_value v, mask;

	memset(&v, 0, sizeof(v));
	memset(&mask, 0, sizeof(mask));
	if (tagged) {
		v.u8[0] = NFV_VLAN_PRESENT >> 8;
		mask.u8[0] = NFV_VLAN_PRESENT >> 8;
	} else {
		nfv_match_set(state, &nfv_fields[NFV_F_VLAN_PCP], &v, &mask);
	}
	nfv_match_set(state, vid, &v, &mask);
}

/* Checks 'a' against 'state', the match as earlier actions leave it, and
 * updates 'state' for the actions after it: set_field needs its field's
 * prerequisites, pop_vlan a tag, the TTL actions IP. */
static int
act_check_state(const struct nfv_action *a, struct nfv_match *state,
		struct ofp_error *err)
{
	enum nfv_prereq ip = nfv_fields[NFV_F_IP_TTL].prereq;

	switch (a->type) {
	case NFV_ACT_SET_FIELD:
		if (!nfv_match_prereq_ok(state, nfv_fields[a->field].prereq))
			return act_bad(err, OFPBAC_MATCH_INCONSISTENT);
		return 0;
	case NFV_ACT_PUSH_VLAN:
		act_state_vlan(state, true);
		return 0;
	case NFV_ACT_POP_VLAN:
		if (!nfv_match_prereq_ok(state, NFV_PRQ_VLAN))
			return act_bad(err, OFPBAC_MATCH_INCONSISTENT);
		act_state_vlan(state, false);
		return 0;
	case NFV_ACT_SET_NW_TTL:
	case NFV_ACT_DEC_NW_TTL:
		if (!nfv_match_prereq_ok(state, ip))
			return act_bad(err, OFPBAC_MATCH_INCONSISTENT);
		return 0;
	case NFV_ACT_OUTPUT:
	case NFV_ACT_GROUP:
		return 0;
	}
	return 0;
}

/* One action of 'alen' bytes (a multiple of 8, at least 8) at 'p',
 * without the checks against the match (act_check_state()). */
static int
act_decode_one(const uint8_t *p, size_t alen, enum ofp_act_where where,
	       struct nfv_action *a, struct ofp_error *err)
{
	uint16_t type = ofp_get16(p);
	uint16_t ethertype;

	memset(a, 0, sizeof(*a));
	switch (type) {
	case OFPAT_OUTPUT:
		if (alen != 16)
			return act_bad(err, OFPBAC_BAD_LEN);
		a->type = NFV_ACT_OUTPUT;
		a->arg.port = ofp_get32(p + 4);
		if (!act_output_port_ok(a->arg.port, where))
			return act_bad(err, OFPBAC_BAD_OUT_PORT);
		if (a->arg.port == NFV_OFPP_CONTROLLER)
			a->max_len = ofp_get16(p + 8);
		return 0;
	case OFPAT_GROUP:
		if (alen != 8)
			return act_bad(err, OFPBAC_BAD_LEN);
		a->type = NFV_ACT_GROUP;
		a->arg.group_id = ofp_get32(p + 4);
		if (a->arg.group_id > NFV_OFPG_MAX)
			return act_bad(err, OFPBAC_BAD_OUT_GROUP);
		return 0;
	case OFPAT_SET_FIELD:
		return act_set_field(p, alen, a, err);
	case OFPAT_PUSH_VLAN:
		if (alen != 8)
			return act_bad(err, OFPBAC_BAD_LEN);
		ethertype = ofp_get16(p + 4);
		if (ethertype != 0x8100 && ethertype != 0x88a8)
			return act_bad(err, OFPBAC_BAD_ARGUMENT);
		a->type = NFV_ACT_PUSH_VLAN;
		a->ethertype = ethertype;
		return 0;
	case OFPAT_POP_VLAN:
		if (alen != 8)
			return act_bad(err, OFPBAC_BAD_LEN);
		a->type = NFV_ACT_POP_VLAN;
		return 0;
	case OFPAT_SET_NW_TTL:
	case OFPAT_DEC_NW_TTL:
		if (alen != 8)
			return act_bad(err, OFPBAC_BAD_LEN);
		if (type == OFPAT_DEC_NW_TTL) {
			a->type = NFV_ACT_DEC_NW_TTL;
		} else {
			a->type = NFV_ACT_SET_NW_TTL;
			a->arg.ttl = p[4];
		}
		return 0;
	case OFPAT_EXPERIMENTER:
		return act_bad(err, OFPBAC_BAD_EXPERIMENTER);
	default:
		/* Known but not executed by nfvswitch (copy_ttl_*, MPLS,
		 * PBB, set_queue) or unknown. */
		return act_bad(err, OFPBAC_BAD_TYPE);
	}
}

/* Checks an action set against 'state' in the order it runs (spec 5.10,
 * as xlate.c runs it): pop, push, the TTL actions, set_field; group and
 * output need nothing. */
static int
act_set_check(const struct nfv_action *acts, unsigned int n,
	      struct nfv_match *state, struct ofp_error *err)
{
	static const enum nfv_action_type order[] = {
		NFV_ACT_POP_VLAN, NFV_ACT_PUSH_VLAN, NFV_ACT_DEC_NW_TTL,
		NFV_ACT_SET_NW_TTL, NFV_ACT_SET_FIELD,
	};
	int ret;

	for (size_t k = 0; k < NFV_ARRAY_SIZE(order); k++) {
		for (unsigned int i = 0; i < n; i++) {
			if (acts[i].type != order[k])
				continue;
			ret = act_check_state(&acts[i], state, err);
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

int
ofp_actions_decode(const uint8_t *p, size_t len, enum ofp_act_where where,
		   struct nfv_match *state, struct nfv_action *acts,
		   unsigned int *n, struct ofp_error *err)
{
	struct nfv_action a;
	size_t off, alen;
	int ret;

	for (off = 0; off < len; off += alen) {
		if (len - off < OFP_ACTION_HEADER_LEN)
			return act_bad(err, OFPBAC_BAD_LEN);
		alen = ofp_get16(p + off + 2);
		if (alen < OFP_ACTION_HEADER_LEN || alen % 8 ||
		    alen > len - off)
			return act_bad(err, OFPBAC_BAD_LEN);
		ret = act_decode_one(p + off, alen, where, &a, err);
		if (ret < 0)
			return ret;
		if (state && where != OFP_ACT_WRITE) {
			ret = act_check_state(&a, state, err);
			if (ret < 0)
				return ret;
		}
		ret = act_add(acts, n, where, &a, err);
		if (ret < 0)
			return ret;
	}
	/* The set as it stands once every duplicate was replaced. */
	if (state && where == OFP_ACT_WRITE)
		return act_set_check(acts, *n, state, err);
	return 0;
}

static void
act_put_simple(struct ofp_wbuf *b, uint16_t type)
{
	ofp_put16(b, type);
	ofp_put16(b, 8);
	ofp_put_zeros(b, 4);
}

static int
act_encode_one(struct ofp_wbuf *b, const struct nfv_action *a)
{
	const struct nfv_field *f;
	size_t start = b->len;

	switch (a->type) {
	case NFV_ACT_OUTPUT:
		ofp_put16(b, OFPAT_OUTPUT);
		ofp_put16(b, 16);
		ofp_put32(b, a->arg.port);
		ofp_put16(b, a->arg.port == NFV_OFPP_CONTROLLER ?
			  a->max_len : 0);
		ofp_put_zeros(b, 6);
		return 0;
	case NFV_ACT_GROUP:
		ofp_put16(b, OFPAT_GROUP);
		ofp_put16(b, 8);
		ofp_put32(b, a->arg.group_id);
		return 0;
	case NFV_ACT_SET_FIELD:
		if ((unsigned int)a->field >= NFV_F_N)
			return -EINVAL;
		f = &nfv_fields[a->field];
		if (f->oxm_field < 0)
			return -EINVAL;
		ofp_put16(b, OFPAT_SET_FIELD);
		ofp_put16(b, 0);
		ofp_put32(b, ofp_oxm_header(f, false));
		ofp_put_oxm_value(b, f, &a->arg.value);
		ofp_put_pad8(b, start);
		ofp_patch16(b, start + 2, b->len - start);
		return 0;
	case NFV_ACT_PUSH_VLAN:
		ofp_put16(b, OFPAT_PUSH_VLAN);
		ofp_put16(b, 8);
		ofp_put16(b, a->ethertype);
		ofp_put_zeros(b, 2);
		return 0;
	case NFV_ACT_POP_VLAN:
		act_put_simple(b, OFPAT_POP_VLAN);
		return 0;
	case NFV_ACT_DEC_NW_TTL:
		act_put_simple(b, OFPAT_DEC_NW_TTL);
		return 0;
	case NFV_ACT_SET_NW_TTL:
		ofp_put16(b, OFPAT_SET_NW_TTL);
		ofp_put16(b, 8);
		ofp_put8(b, a->arg.ttl);
		ofp_put_zeros(b, 3);
		return 0;
	}
	return -EINVAL;
}

int
ofp_actions_encode(struct ofp_wbuf *b, const struct nfv_action *acts,
		   unsigned int n)
{
	int ret;

	if (n > NFV_FLOW_MAX_ACTIONS)
		return -EINVAL;
	for (unsigned int i = 0; i < n; i++) {
		ret = act_encode_one(b, &acts[i]);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* Instructions. */

static int
inst_bad(struct ofp_error *err, uint16_t code)
{
	return ofp_fail(err, OFPET_BAD_INSTRUCTION, code);
}

/* Where the action lists of a flow's instructions are. */
struct inst_lists {
	const uint8_t *apply, *write;
	size_t apply_len, write_len;
};

/* One instruction of 'ilen' bytes at 'p'; '*seen' has a bit per type. */
static int
inst_decode_one(const uint8_t *p, size_t ilen, uint8_t table_id,
		unsigned int *seen, struct inst_lists *l,
		struct nfv_flow_spec *spec, struct ofp_error *err)
{
	uint16_t type = ofp_get16(p);
	uint8_t goto_id;

	if (type >= OFPIT_GOTO_TABLE && type <= OFPIT_METER) {
		if (*seen & 1u << type)
			return inst_bad(err, OFPBIC_DUP_INST);
		*seen |= 1u << type;
	}
	switch (type) {
	case OFPIT_GOTO_TABLE:
		if (ilen != 8)
			return inst_bad(err, OFPBIC_BAD_LEN);
		goto_id = p[4];
		if (goto_id >= NFV_N_TABLES ||
		    (table_id != OFPTT_ALL && goto_id <= table_id))
			return inst_bad(err, OFPBIC_BAD_TABLE_ID);
		spec->has_goto = true;
		spec->goto_table = goto_id;
		return 0;
	case OFPIT_WRITE_METADATA:
		if (ilen != 24)
			return inst_bad(err, OFPBIC_BAD_LEN);
		spec->has_write_metadata = true;
		spec->write_metadata_mask = ofp_get64(p + 16);
		/* As the flow syntax: bits outside the mask are not written. */
		spec->write_metadata = ofp_get64(p + 8) &
				       spec->write_metadata_mask;
		return 0;
	case OFPIT_WRITE_ACTIONS:
		l->write = p + OFP_INSTRUCTION_ACTIONS_LEN;
		l->write_len = ilen - OFP_INSTRUCTION_ACTIONS_LEN;
		spec->has_write_actions = true;
		return 0;
	case OFPIT_APPLY_ACTIONS:
		l->apply = p + OFP_INSTRUCTION_ACTIONS_LEN;
		l->apply_len = ilen - OFP_INSTRUCTION_ACTIONS_LEN;
		return 0;
	case OFPIT_CLEAR_ACTIONS:
		if (ilen != 8)
			return inst_bad(err, OFPBIC_BAD_LEN);
		spec->clear_actions = true;
		return 0;
	case OFPIT_METER:
		if (ilen != 8)
			return inst_bad(err, OFPBIC_BAD_LEN);
		return inst_bad(err, OFPBIC_UNSUP_INST);
	default:
		/* Unknown types and experimenter instructions. */
		return inst_bad(err, OFPBIC_UNKNOWN_INST);
	}
}

int
ofp_instructions_decode(const uint8_t *p, size_t len, uint8_t table_id,
			struct nfv_flow_spec *spec, struct ofp_error *err)
{
	struct inst_lists l = { NULL, NULL, 0, 0 };
	struct nfv_match state;
	unsigned int seen = 0;
	size_t off, ilen;
	int ret;

	for (off = 0; off < len; off += ilen) {
		if (len - off < 8)
			return inst_bad(err, OFPBIC_BAD_LEN);
		ilen = ofp_get16(p + off + 2);
		if (ilen < 8 || ilen % 8 || ilen > len - off)
			return inst_bad(err, OFPBIC_BAD_LEN);
		ret = inst_decode_one(p + off, ilen, table_id, &seen, &l, spec,
				      err);
		if (ret < 0)
			return ret;
	}
	/* Apply-actions run first whatever the order on the wire, and the
	 * action set sees the packet as they leave it. */
	state = spec->match;
	ret = ofp_actions_decode(l.apply, l.apply_len, OFP_ACT_APPLY, &state,
				 spec->actions, &spec->n_actions, err);
	if (ret < 0)
		return ret;
	return ofp_actions_decode(l.write, l.write_len, OFP_ACT_WRITE, &state,
				  spec->write_actions, &spec->n_write_actions,
				  err);
}

/* An actions instruction of 'type' holding 'n' actions. */
static int
inst_put_actions(struct ofp_wbuf *b, uint16_t type,
		 const struct nfv_action *acts, unsigned int n)
{
	size_t start = b->len;
	int ret;

	ofp_put16(b, type);
	ofp_put16(b, 0);
	ofp_put_zeros(b, 4);
	ret = ofp_actions_encode(b, acts, n);
	ofp_patch16(b, start + 2, b->len - start);
	return ret;
}

int
ofp_instructions_encode(struct ofp_wbuf *b, const struct nfv_flow_spec *spec)
{
	int ret;

	if (spec->n_actions) {
		ret = inst_put_actions(b, OFPIT_APPLY_ACTIONS, spec->actions,
				       spec->n_actions);
		if (ret < 0)
			return ret;
	}
	if (spec->clear_actions) {
		ofp_put16(b, OFPIT_CLEAR_ACTIONS);
		ofp_put16(b, 8);
		ofp_put_zeros(b, 4);
	}
	if (spec->has_write_actions) {
		ret = inst_put_actions(b, OFPIT_WRITE_ACTIONS,
				       spec->write_actions,
				       spec->n_write_actions);
		if (ret < 0)
			return ret;
	}
	if (spec->has_write_metadata) {
		ofp_put16(b, OFPIT_WRITE_METADATA);
		ofp_put16(b, 24);
		ofp_put_zeros(b, 4);
		ofp_put64(b, spec->write_metadata);
		ofp_put64(b, spec->write_metadata_mask);
	}
	if (spec->has_goto) {
		ofp_put16(b, OFPIT_GOTO_TABLE);
		ofp_put16(b, 8);
		ofp_put8(b, spec->goto_table);
		ofp_put_zeros(b, 3);
	}
	return 0;
}

/* Group buckets. */

static int
bucket_bad(struct ofp_error *err, uint16_t code)
{
	return ofp_fail(err, OFPET_GROUP_MOD_FAILED, code);
}

/* The type-specific rules of bucket 'b' in group 'spec'. */
static int
bucket_check(const struct nfv_group_spec *spec, const struct nfv_bucket *b,
	     struct ofp_error *err)
{
	for (unsigned int i = 0; i < b->n_actions; i++)
		if (b->actions[i].type == NFV_ACT_GROUP &&
		    b->actions[i].arg.group_id == spec->group_id)
			return bucket_bad(err, OFPGMFC_LOOP);
	switch (spec->type) {
	case NFV_GT_SELECT:
		/* The group table refuses weight 0 (never chosen). */
		if (!b->weight)
			return bucket_bad(err, OFPGMFC_BAD_BUCKET);
		return 0;
	case NFV_GT_FF:
		if (b->watch_port == NFV_OFPP_ANY &&
		    b->watch_group == NFV_OFPG_ANY)
			return bucket_bad(err, OFPGMFC_BAD_WATCH);
		if (b->watch_port != NFV_OFPP_ANY &&
		    (b->watch_port == 0 || b->watch_port > NFV_OFPP_MAX))
			return bucket_bad(err, OFPGMFC_BAD_WATCH);
		if (b->watch_group != NFV_OFPG_ANY &&
		    (b->watch_group > NFV_OFPG_MAX ||
		     b->watch_group == spec->group_id))
			return bucket_bad(err, OFPGMFC_BAD_WATCH);
		return 0;
	default:
		/* ALL and INDIRECT ignore weights and watches. */
		return 0;
	}
}

int
ofp_buckets_decode(const uint8_t *p, size_t len, struct nfv_group_spec *spec,
		   struct ofp_error *err)
{
	size_t off, blen;
	int ret;

	for (off = 0; off < len; off += blen) {
		struct nfv_bucket *b;

		if (len - off < OFP_BUCKET_LEN)
			return bucket_bad(err, OFPGMFC_BAD_BUCKET);
		blen = ofp_get16(p + off);
		if (blen < OFP_BUCKET_LEN || blen % 8 || blen > len - off)
			return bucket_bad(err, OFPGMFC_BAD_BUCKET);
		if (spec->n_buckets >= NFV_GROUP_MAX_BUCKETS)
			return bucket_bad(err, OFPGMFC_OUT_OF_BUCKETS);
		b = &spec->buckets[spec->n_buckets];
		memset(b, 0, sizeof(*b));
		b->weight = ofp_get16(p + off + 2);
		b->watch_port = ofp_get32(p + off + 4);
		b->watch_group = ofp_get32(p + off + 8);
		ret = ofp_actions_decode(p + off + OFP_BUCKET_LEN,
					 blen - OFP_BUCKET_LEN, OFP_ACT_BUCKET,
					 NULL, b->actions, &b->n_actions, err);
		if (ret < 0)
			return ret;
		ret = bucket_check(spec, b, err);
		if (ret < 0)
			return ret;
		spec->n_buckets++;
	}
	return 0;
}

int
ofp_buckets_encode(struct ofp_wbuf *b, const struct nfv_group_spec *spec)
{
	int ret;

	if (spec->n_buckets > NFV_GROUP_MAX_BUCKETS)
		return -EINVAL;
	for (unsigned int i = 0; i < spec->n_buckets; i++) {
		const struct nfv_bucket *bk = &spec->buckets[i];
		size_t start = b->len;

		ofp_put16(b, 0);
		ofp_put16(b, bk->weight);
		ofp_put32(b, bk->watch_port);
		ofp_put32(b, bk->watch_group);
		ofp_put_zeros(b, 4);
		ret = ofp_actions_encode(b, bk->actions, bk->n_actions);
		if (ret < 0)
			return ret;
		ofp_patch16(b, start, b->len - start);
	}
	return 0;
}
