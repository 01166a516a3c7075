/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the OpenFlow 1.3 codec (src/ofproto/ofp_codec*.c): framing,
 * HELLO negotiation, encode -> decode round trips of every message both
 * directions handle, hand-written wire messages (as ovs-ofctl sends them,
 * reconstructed from the OpenFlow 1.3.5 spec) decoding to the expected
 * flow, tables of malformed messages with the exact error each must get,
 * the switch-to-controller encoders checked byte by byte, the multipart
 * reply writer (splitting, flags, decoding back) and OXM match round trips.
 * Flow specs come from the ovs-ofctl flow syntax (nfv_flow_parse()).
 * Pure code: no EAL.
 */

#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flow.h"
#include "flow_key.h"
#include "group.h"
#include "ofp_codec.h"

/* struct ofp_msg is large: keep them out of the stack. */
static struct ofp_msg msg_in, msg_out;
static uint8_t buf[OFP_MSG_MAX];

/* Big-endian reads of encoded bytes. */
static uint16_t
be16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint64_t
be64_at(const uint8_t *p)
{
	return (uint64_t)be32_at(p) << 32 | be32_at(p + 4);
}

/* Hand-written wire messages: hex text ("0004 0018", spaces ignored)
 * appended to a buffer, with helpers for the header, an OXM match and an
 * apply-actions instruction that patch their own lengths. */
struct wire {
	uint8_t b[8192];
	size_t n;
};

static struct wire w;

static void
w_hex(struct wire *wr, const char *hex)
{
	const char *s = hex;
	unsigned int v;

	while (*s) {
		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		if (!isxdigit((unsigned char)s[0]) ||
		    !isxdigit((unsigned char)s[1]) ||
		    sscanf(s, "%2x", &v) != 1)
			fail_msg("bad hex at '%s'", s);
		assert_true(wr->n < sizeof(wr->b));
		wr->b[wr->n++] = v;
		s += 2;
	}
}

static void
w_u8(struct wire *wr, uint8_t v)
{
	assert_true(wr->n < sizeof(wr->b));
	wr->b[wr->n++] = v;
}

static void
w_u16(struct wire *wr, uint16_t v)
{
	w_u8(wr, v >> 8);
	w_u8(wr, v);
}

static void
w_u32(struct wire *wr, uint32_t v)
{
	w_u16(wr, v >> 16);
	w_u16(wr, v);
}

static void
w_u64(struct wire *wr, uint64_t v)
{
	w_u32(wr, v >> 32);
	w_u32(wr, v);
}

static void
w_zeros(struct wire *wr, size_t n)
{
	while (n--)
		w_u8(wr, 0);
}

static void
w_patch16(struct wire *wr, size_t at, uint16_t v)
{
	wr->b[at] = v >> 8;
	wr->b[at + 1] = v;
}

/* Starts a message: version 4, 'type', length to patch, xid 0x1234. */
static void
w_header(struct wire *wr, uint8_t type)
{
	wr->n = 0;
	w_u8(wr, OFP_VERSION);
	w_u8(wr, type);
	w_u16(wr, 0);
	w_u32(wr, 0x1234);
}

/* Patches the header's length to the bytes written; returns it. */
static size_t
w_done(struct wire *wr)
{
	w_patch16(wr, 2, wr->n);
	return wr->n;
}

/* An ofp_match of type OXM holding the TLVs 'oxms', padded to 8. */
static void
w_match(struct wire *wr, const char *oxms)
{
	size_t start = wr->n;

	w_u16(wr, OFPMT_OXM);
	w_u16(wr, 0);
	w_hex(wr, oxms);
	w_patch16(wr, start + 2, wr->n - start);
	while ((wr->n - start) % 8)
		w_u8(wr, 0);
}

/* An instruction of 'type' holding the actions 'acts'. */
static void
w_inst_actions(struct wire *wr, uint16_t type, const char *acts)
{
	size_t start = wr->n;

	w_u16(wr, type);
	w_u16(wr, 0);
	w_zeros(wr, 4);
	w_hex(wr, acts);
	w_patch16(wr, start + 2, wr->n - start);
}

/* The fixed part of a FLOW_MOD (ofp_flow_mod up to the match). */
static void
w_flow_mod_fixed(struct wire *wr, uint8_t table_id, uint8_t command,
		 uint16_t priority)
{
	w_header(wr, OFPT_FLOW_MOD);
	w_u64(wr, 0);                   /* cookie */
	w_u64(wr, 0);                   /* cookie_mask */
	w_u8(wr, table_id);
	w_u8(wr, command);
	w_u16(wr, 0);                   /* idle_timeout */
	w_u16(wr, 0);                   /* hard_timeout */
	w_u16(wr, priority);
	w_u32(wr, OFP_NO_BUFFER);
	w_u32(wr, NFV_OFPP_ANY);        /* out_port */
	w_u32(wr, NFV_OFPG_ANY);        /* out_group */
	w_u16(wr, 0);                   /* flags */
	w_zeros(wr, 2);
}

/* A FLOW_MOD ADD in 'table_id' with match 'oxms' and raw instructions. */
static size_t
w_flow_mod(struct wire *wr, uint8_t table_id, const char *oxms,
	   const char *insts)
{
	w_flow_mod_fixed(wr, table_id, OFPFC_ADD, 10);
	w_match(wr, oxms);
	w_hex(wr, insts);
	return w_done(wr);
}

/* A FLOW_MOD ADD in table 0 whose only instruction applies 'acts'. */
static size_t
w_flow_mod_apply(struct wire *wr, const char *oxms, const char *acts)
{
	w_flow_mod_fixed(wr, 0, OFPFC_ADD, 10);
	w_match(wr, oxms);
	w_inst_actions(wr, OFPIT_APPLY_ACTIONS, acts);
	return w_done(wr);
}

/* OXM TLVs (class 0x8000, field << 1 | hasmask, length, value [mask]). */
#define OXM_IN_PORT_1           "80000004 00000001"
#define OXM_ETH_TYPE_IP         "80000a02 0800"
#define OXM_ETH_TYPE_IPV6       "80000a02 86dd"
#define OXM_ETH_TYPE_ARP        "80000a02 0806"
#define OXM_IP_PROTO_TCP        "80001401 06"
#define OXM_IP_PROTO_UDP        "80001401 11"
#define OXM_TCP_DST_80          "80001c02 0050"
#define OXM_VLAN_VID_10         "80000c02 100a"

/* Decoding and flows. */

static void
decode_ok(const void *data, size_t len, struct ofp_msg *m)
{
	struct ofp_error err = { 0xeeee, 0xeeee };
	int ret;

	ret = ofp_decode(data, len, m, &err);
	if (ret != 0)
		fail_msg("decode failed: %s / %s",
			 ofp_error_type_name(err.type),
			 ofp_error_code_name(err));
}

static void
decode_fails(const void *data, size_t len, uint16_t type, uint16_t code)
{
	struct ofp_error err = { 0xeeee, 0xeeee };
	int ret;

	ret = ofp_decode(data, len, &msg_out, &err);
	if (ret != -EBADMSG)
		fail_msg("decoded (%d), expected %s / %s", ret,
			 ofp_error_type_name(type),
			 ofp_error_code_name((struct ofp_error){ type, code }));
	if (err.type != type || err.code != code)
		fail_msg("got %s / %s, expected %s / %s",
			 ofp_error_type_name(err.type),
			 ofp_error_code_name(err), ofp_error_type_name(type),
			 ofp_error_code_name((struct ofp_error){ type, code }));
}

/* Encodes 'in' into 'buf', checks the header, decodes it into
 * 'msg_out'. Returns the length. */
static int
round_trip(const struct ofp_msg *in)
{
	int len;

	len = ofp_encode(in, buf, sizeof(buf));
	assert_true(len >= OFP_HEADER_LEN);
	assert_int_equal(buf[0], OFP_VERSION);
	assert_int_equal(buf[1], in->type);
	assert_int_equal(be16_at(buf + 2), len);
	assert_int_equal(be32_at(buf + 4), in->xid);
	assert_int_equal(ofp_frame_len(buf, len), len);
	decode_ok(buf, len, &msg_out);
	assert_int_equal(msg_out.version, OFP_VERSION);
	assert_int_equal(msg_out.type, in->type);
	assert_int_equal(msg_out.xid, in->xid);
	return len;
}

static void
init_msg(struct ofp_msg *m, uint8_t type, uint32_t xid)
{
	memset(m, 0, sizeof(*m));
	m->version = OFP_VERSION;
	m->type = type;
	m->xid = xid;
}

static void
parse_flow(const char *text, enum nfv_flow_parse_mode mode,
	   struct nfv_flow_spec *spec)
{
	char err[NFV_FLOW_ERR_MAX];

	if (nfv_flow_parse(text, mode, NULL, NULL, spec, err) != 0)
		fail_msg("'%s': %s", text, err);
}

static void
parse_actions(const char *text, struct nfv_action *acts, unsigned int *n)
{
	char err[NFV_FLOW_ERR_MAX];

	if (nfv_flow_parse_action_list(text, NULL, NULL, acts, n, err) != 0)
		fail_msg("'%s': %s", text, err);
}

static void
assert_match_equal(const struct nfv_match *a, const struct nfv_match *b)
{
	if (memcmp(&a->mask, &b->mask, sizeof(a->mask)) ||
	    memcmp(&a->key, &b->key, sizeof(a->key))) {
		struct nfv_flow_spec sa, sb;
		char ta[NFV_FLOW_STR_MAX], tb[NFV_FLOW_STR_MAX];

		nfv_flow_spec_init(&sa);
		nfv_flow_spec_init(&sb);
		sa.match = *a;
		sb.match = *b;
		nfv_flow_format_match(&sa, NULL, NULL, ta, sizeof(ta));
		nfv_flow_format_match(&sb, NULL, NULL, tb, sizeof(tb));
		fail_msg("matches differ: '%s' vs '%s'", ta, tb);
	}
}

static void
assert_action_equal(const struct nfv_action *a, const struct nfv_action *b)
{
	assert_int_equal(a->type, b->type);
	switch (a->type) {
	case NFV_ACT_OUTPUT:
		assert_int_equal(a->arg.port, b->arg.port);
		assert_int_equal(a->max_len, b->max_len);
		break;
	case NFV_ACT_GROUP:
		assert_int_equal(a->arg.group_id, b->arg.group_id);
		break;
	case NFV_ACT_SET_FIELD:
		assert_int_equal(a->field, b->field);
		assert_memory_equal(a->arg.value.u8, b->arg.value.u8,
				    nfv_field_value_len(&nfv_fields[a->field]));
		break;
	case NFV_ACT_PUSH_VLAN:
		assert_int_equal(a->ethertype, b->ethertype);
		break;
	case NFV_ACT_SET_NW_TTL:
		assert_int_equal(a->arg.ttl, b->arg.ttl);
		break;
	case NFV_ACT_POP_VLAN:
	case NFV_ACT_DEC_NW_TTL:
		break;
	}
}

static void
assert_actions_equal(const struct nfv_action *a, unsigned int na,
		     const struct nfv_action *b, unsigned int nb)
{
	assert_int_equal(na, nb);
	for (unsigned int i = 0; i < na; i++)
		assert_action_equal(&a[i], &b[i]);
}

/* The match and the instructions. */
static void
assert_flow_equal(const struct nfv_flow_spec *a, const struct nfv_flow_spec *b)
{
	assert_match_equal(&a->match, &b->match);
	assert_actions_equal(a->actions, a->n_actions, b->actions,
			     b->n_actions);
	assert_int_equal(a->has_write_actions, b->has_write_actions);
	assert_actions_equal(a->write_actions, a->n_write_actions,
			     b->write_actions, b->n_write_actions);
	assert_int_equal(a->clear_actions, b->clear_actions);
	assert_int_equal(a->has_write_metadata, b->has_write_metadata);
	if (a->has_write_metadata) {
		assert_int_equal(a->write_metadata, b->write_metadata);
		assert_int_equal(a->write_metadata_mask,
				 b->write_metadata_mask);
	}
	assert_int_equal(a->has_goto, b->has_goto);
	if (a->has_goto)
		assert_int_equal(a->goto_table, b->goto_table);
}

/* Everything a FLOW_MOD carries. */
static void
assert_spec_equal(const struct nfv_flow_spec *a, const struct nfv_flow_spec *b)
{
	assert_int_equal(a->table_id, b->table_id);
	assert_int_equal(a->priority, b->priority);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->cookie, b->cookie);
	assert_int_equal(a->cookie_mask, b->cookie_mask);
	assert_int_equal(a->idle_timeout, b->idle_timeout);
	assert_int_equal(a->hard_timeout, b->hard_timeout);
	assert_int_equal(a->out_port, b->out_port);
	assert_int_equal(a->out_group, b->out_group);
	assert_flow_equal(a, b);
}

/* Framing. */

static void
test_frame_len_needs_a_whole_header(void **state)
{
	static const uint8_t hdr[8] = { 4, 0, 0, 16, 0, 0, 0, 1 };

	(void)state;
	for (size_t n = 0; n < OFP_HEADER_LEN; n++)
		assert_int_equal(ofp_frame_len(hdr, n), 0);
	assert_int_equal(ofp_frame_len(hdr, 8), 16);
}

static void
test_frame_len_rejects_length_below_header(void **state)
{
	uint8_t hdr[8] = { 4, 0, 0, 0, 0, 0, 0, 1 };

	(void)state;
	for (unsigned int len = 0; len < OFP_HEADER_LEN; len++) {
		hdr[3] = len;
		assert_int_equal(ofp_frame_len(hdr, sizeof(hdr)), -EBADMSG);
	}
}

static void
test_frame_len_gives_exact_length(void **state)
{
	uint8_t hdr[16] = { 4, 2, 0, 8, 0, 0, 0, 1 };

	(void)state;
	assert_int_equal(ofp_frame_len(hdr, 8), 8);
	assert_int_equal(ofp_frame_len(hdr, 16), 8);
	hdr[2] = 0xff;
	hdr[3] = 0xff;
	assert_int_equal(ofp_frame_len(hdr, 8), 65535);
	hdr[2] = 0x01;
	hdr[3] = 0x02;
	/* Only the header is looked at: the rest may still be on its way. */
	assert_int_equal(ofp_frame_len(hdr, 9), 0x102);
}

/* HELLO. */

static void
test_hello_without_bitmap(void **state)
{
	static const uint8_t v13[] = { 4, 0, 0, 8, 0, 0, 0, 7 };
	static const uint8_t v10[] = { 1, 0, 0, 8, 0, 0, 0, 7 };
	static const uint8_t v15[] = { 6, 0, 0, 8, 0, 0, 0, 7 };

	(void)state;
	decode_ok(v13, sizeof(v13), &msg_in);
	assert_int_equal(msg_in.type, OFPT_HELLO);
	assert_int_equal(msg_in.xid, 7);
	assert_false(msg_in.u.hello.has_bitmap);
	assert_true(ofp_hello_accepts_13(&msg_in));
	/* An OpenFlow 1.0 switch: any version is decoded as HELLO. */
	decode_ok(v10, sizeof(v10), &msg_in);
	assert_int_equal(msg_in.version, 1);
	assert_false(ofp_hello_accepts_13(&msg_in));
	/* A newer peer without a bitmap: both speak 1.3. */
	decode_ok(v15, sizeof(v15), &msg_in);
	assert_int_equal(msg_in.version, 6);
	assert_true(ofp_hello_accepts_13(&msg_in));
}

static void
test_hello_with_bitmap(void **state)
{
	size_t len;

	(void)state;
	/* Version bitmap { 1.0, 1.3 } (bits 1 and 4). */
	w.n = 0;
	w_hex(&w, "05 00 0010 00000009 0001 0008 00000012");
	decode_ok(w.b, w.n, &msg_in);
	assert_true(msg_in.u.hello.has_bitmap);
	assert_int_equal(msg_in.u.hello.bitmap, 0x12);
	assert_true(ofp_hello_accepts_13(&msg_in));
	/* { 1.0, 1.4 }: no 1.3, whatever the header's version. */
	w.n = 0;
	w_hex(&w, "05 00 0010 00000009 0001 0008 00000022");
	decode_ok(w.b, w.n, &msg_in);
	assert_int_equal(msg_in.u.hello.bitmap, 0x22);
	assert_false(ofp_hello_accepts_13(&msg_in));
	/* An unknown element first, then a two-word bitmap (12 bytes,
	 * padded to 16). */
	w.n = 0;
	w_hex(&w, "04 00 0000 00000009 00aa 0005 ff000000"
		  "0001 000c 00000010 00000000 00000000");
	len = w_done(&w);
	decode_ok(w.b, len, &msg_in);
	assert_true(msg_in.u.hello.has_bitmap);
	assert_int_equal(msg_in.u.hello.bitmap, 0x10);
	assert_true(ofp_hello_accepts_13(&msg_in));
	/* The padding after the last element may be missing. */
	w.n = 0;
	w_hex(&w, "04 00 0000 00000009 0001 000c 00000010 00000000");
	len = w_done(&w);
	decode_ok(w.b, len, &msg_in);
	assert_int_equal(msg_in.u.hello.bitmap, 0x10);
	/* An element longer than the message. */
	w.n = 0;
	w_hex(&w, "04 00 0000 00000009 0001 0010 00000010");
	len = w_done(&w);
	decode_fails(w.b, len, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
}

static void
test_hello_encodes_version_bitmap(void **state)
{
	static const uint8_t want[] = {
		0x04, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x2a,
		0x00, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x10,
	};
	int len;

	(void)state;
	len = ofp_encode_hello(buf, sizeof(buf), 42);
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	decode_ok(buf, len, &msg_in);
	assert_true(ofp_hello_accepts_13(&msg_in));
	/* Through ofp_encode() too. */
	init_msg(&msg_in, OFPT_HELLO, 42);
	msg_in.u.hello.has_bitmap = true;
	msg_in.u.hello.bitmap = 1u << OFP_VERSION;
	round_trip(&msg_in);
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(ofp_encode_hello(buf, 15, 42), -ENOSPC);
}

/* Round trips. */

static void
test_echo_round_trip(void **state)
{
	static const uint8_t payload[] = "are you there?";
	int len;

	(void)state;
	init_msg(&msg_in, OFPT_ECHO_REQUEST, 99);
	msg_in.u.echo.data = payload;
	msg_in.u.echo.data_len = sizeof(payload);
	len = round_trip(&msg_in);
	assert_int_equal(len, 8 + sizeof(payload));
	assert_int_equal(msg_out.u.echo.data_len, sizeof(payload));
	assert_memory_equal(msg_out.u.echo.data, payload, sizeof(payload));
	/* The payload points into the decoded buffer. */
	assert_ptr_equal(msg_out.u.echo.data, buf + 8);

	len = ofp_encode_echo(buf, sizeof(buf), OFPT_ECHO_REPLY, 99,
			      payload, sizeof(payload));
	assert_int_equal(len, 8 + sizeof(payload));
	decode_ok(buf, len, &msg_out);
	assert_int_equal(msg_out.type, OFPT_ECHO_REPLY);
	assert_memory_equal(msg_out.u.echo.data, payload, sizeof(payload));

	len = ofp_encode_echo(buf, sizeof(buf), OFPT_ECHO_REQUEST, 5, NULL, 0);
	assert_int_equal(len, 8);
	decode_ok(buf, len, &msg_out);
	assert_int_equal(msg_out.u.echo.data_len, 0);
}

static void
test_empty_messages_round_trip(void **state)
{
	static const uint8_t types[] = {
		OFPT_FEATURES_REQUEST, OFPT_GET_CONFIG_REQUEST,
		OFPT_BARRIER_REQUEST, OFPT_GET_ASYNC_REQUEST,
	};

	(void)state;
	for (size_t i = 0; i < NFV_ARRAY_SIZE(types); i++) {
		init_msg(&msg_in, types[i], 1000 + i);
		assert_int_equal(round_trip(&msg_in), 8);
		assert_int_equal(ofp_encode_empty(buf, sizeof(buf), types[i],
						  1000 + i), 8);
		decode_ok(buf, 8, &msg_out);
		assert_int_equal(msg_out.type, types[i]);
		/* They have no body. */
		w_header(&w, types[i]);
		w_zeros(&w, 8);
		decode_fails(w.b, w_done(&w), OFPET_BAD_REQUEST,
			     OFPBRC_BAD_LEN);
	}
}

static void
test_features_reply_encodes(void **state)
{
	static const uint8_t want[] = {
		0x04, 0x06, 0x00, 0x20, 0x00, 0x00, 0x00, 0x05,
		0x00, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66,
		0x00, 0x00, 0x00, 0x00, 0xfe, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x4f, 0x00, 0x00, 0x00, 0x00,
	};
	int len;

	(void)state;
	init_msg(&msg_in, OFPT_FEATURES_REPLY, 5);
	msg_in.u.features.datapath_id = 0x112233445566ull;
	msg_in.u.features.n_buffers = 0;
	msg_in.u.features.n_tables = 254;
	msg_in.u.features.capabilities = OFPC_FLOW_STATS |
		OFPC_TABLE_STATS | OFPC_PORT_STATS | OFPC_GROUP_STATS |
		OFPC_QUEUE_STATS;
	len = ofp_encode(&msg_in, buf, sizeof(buf));
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	/* A switch never receives one. */
	decode_fails(buf, len, OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE);
}

static void
test_set_config_round_trip(void **state)
{
	static const uint8_t want[] = {
		0x04, 0x09, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x03,
		0x00, 0x01, 0x00, 0x80,
	};
	int len;

	(void)state;
	init_msg(&msg_in, OFPT_SET_CONFIG, 3);
	msg_in.u.config.flags = OFPC_FRAG_DROP;
	msg_in.u.config.miss_send_len = 128;
	len = round_trip(&msg_in);
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(msg_out.u.config.flags, OFPC_FRAG_DROP);
	assert_int_equal(msg_out.u.config.miss_send_len, 128);

	msg_in.u.config.flags = OFPC_FRAG_NORMAL;
	msg_in.u.config.miss_send_len = OFPCML_NO_BUFFER;
	round_trip(&msg_in);
	assert_int_equal(msg_out.u.config.miss_send_len, OFPCML_NO_BUFFER);

	/* GET_CONFIG_REPLY has the same body. */
	msg_in.type = OFPT_GET_CONFIG_REPLY;
	len = ofp_encode(&msg_in, buf, sizeof(buf));
	assert_int_equal(len, 12);
	assert_int_equal(buf[1], OFPT_GET_CONFIG_REPLY);
	assert_int_equal(be16_at(buf + 10), 0xffff);
}

/* A FLOW_MOD from flow text, through encode and decode. */
static void
flow_mod_round_trip(const char *text, uint8_t command)
{
	enum nfv_flow_parse_mode mode = command == OFPFC_DELETE ||
					command == OFPFC_DELETE_STRICT ?
					NFV_FLOW_PARSE_MATCH :
					NFV_FLOW_PARSE_ADD;
	struct ofp_flow_mod *fm = &msg_in.u.flow_mod;

	init_msg(&msg_in, OFPT_FLOW_MOD, 77);
	parse_flow(text, mode, &fm->spec);
	fm->command = command;
	fm->table_id = fm->spec.has_table ? fm->spec.table_id : 0;
	if (mode == NFV_FLOW_PARSE_MATCH && !fm->spec.has_table)
		fm->table_id = OFPTT_ALL;
	fm->spec.table_id = fm->table_id;
	fm->buffer_id = OFP_NO_BUFFER;
	round_trip(&msg_in);
	assert_int_equal(msg_out.u.flow_mod.command, command);
	assert_int_equal(msg_out.u.flow_mod.table_id, fm->table_id);
	assert_int_equal(msg_out.u.flow_mod.buffer_id, OFP_NO_BUFFER);
	if (command == OFPFC_ADD) {
		/* cookie_mask, out_port and out_group mean nothing in an
		 * add. */
		fm->spec.cookie_mask = 0;
		fm->spec.out_port = NFV_OFPP_ANY;
		fm->spec.out_group = NFV_OFPG_ANY;
	} else if (command == OFPFC_MODIFY ||
		   command == OFPFC_MODIFY_STRICT) {
		fm->spec.out_port = NFV_OFPP_ANY;
		fm->spec.out_group = NFV_OFPG_ANY;
	}
	assert_spec_equal(&msg_out.u.flow_mod.spec, &fm->spec);
	assert_int_equal(msg_out.u.flow_mod.spec.has_table,
			 fm->table_id != OFPTT_ALL);
	assert_true(msg_out.u.flow_mod.spec.has_priority);
}

static void
test_flow_mod_add_round_trip(void **state)
{
	static const char *const flows[] = {
		"table=0,priority=10,ip,nw_dst=10.0.0.0/24,actions=output:2",
		"table=3,priority=65535,cookie=0x123456789abcdef0,"
		"idle_timeout=30,hard_timeout=300,send_flow_rem,check_overlap,"
		"tcp,in_port=7,dl_src=00:11:22:33:44:55,"
		"dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,"
		"nw_src=192.168.0.0/16,nw_dst=10.1.2.3,ip_dscp=46,ip_ecn=1,"
		"tcp_src=1024/0xfc00,tcp_dst=443,metadata=0x5/0xff,"
		"actions=set_field:10.0.0.1->ipv4_dst,set_field:8080->tcp_dst,"
		"dec_ttl,set_nw_ttl:9,output:CONTROLLER,group:4,output:3",
		"priority=1,dl_vlan=10,dl_vlan_pcp=3,"
		"actions=pop_vlan,push_vlan:0x88a8,set_field:4097->vlan_vid,"
		"set_field:5->vlan_pcp,output:IN_PORT",
		"priority=2,vlan_vid=0x1000/0x1000,actions=output:FLOOD",
		"priority=2,vlan_vid=0,actions=push_vlan:0x8100,"
		"set_field:4100->vlan_vid,output:ALL",
		"table=1,priority=5,udp,udp_src=53,udp_dst=1000/0xff00,"
		"actions=output:NORMAL,write_actions(set_field:3->ip_ecn,"
		"output:4),write_metadata:0x10/0xf0,goto_table:2",
		"table=2,arp,arp_op=1,arp_spa=10.0.0.0/8,arp_tpa=10.0.0.1,"
		"arp_sha=00:00:00:00:00:01,arp_tha=00:00:00:00:00:00/ff:00:00:00:00:00,"
		"actions=clear_actions,goto_table:253",
		"ipv6,ipv6_src=2001:db8::/32,ipv6_dst=fe80::1,"
		"ipv6_label=0x12345,ip_proto=132,sctp_src=9,sctp_dst=10,"
		"actions=output:LOCAL",
		"icmp6,icmpv6_type=135,icmpv6_code=0,nd_target=2001:db8::1,"
		"nd_sll=00:11:22:33:44:55,actions=output:1",
		"icmp6,icmpv6_type=136,nd_tll=00:11:22:33:44:66,"
		"ipv6_exthdr=0x4/0x4,actions=output:1",
		"icmp,icmp_type=8,icmp_code=0,actions=set_field:3->ip_dscp,"
		"output:1",
		"actions=drop",
		"table=253,priority=0,actions=clear_actions,"
		"write_actions(group:1)",
	};

	(void)state;
	for (size_t i = 0; i < NFV_ARRAY_SIZE(flows); i++)
		flow_mod_round_trip(flows[i], OFPFC_ADD);
}

static void
test_flow_mod_modify_round_trip(void **state)
{
	(void)state;
	flow_mod_round_trip("table=4,cookie=0x10,tcp,tp_dst=22,"
			    "actions=output:1", OFPFC_MODIFY);
	flow_mod_round_trip("table=4,priority=7,tcp,tp_dst=22,"
			    "actions=write_actions(output:2)",
			    OFPFC_MODIFY_STRICT);
	/* Modifies select by cookie under cookie_mask. */
	msg_in.u.flow_mod.spec.cookie = 0x10;
	msg_in.u.flow_mod.spec.cookie_mask = 0xff;
	round_trip(&msg_in);
	assert_int_equal(msg_out.u.flow_mod.spec.cookie, 0x10);
	assert_int_equal(msg_out.u.flow_mod.spec.cookie_mask, 0xff);
	/* ...but an add has no cookie_mask. */
	msg_in.u.flow_mod.command = OFPFC_ADD;
	round_trip(&msg_in);
	assert_int_equal(msg_out.u.flow_mod.spec.cookie_mask, 0);
}

static void
test_flow_mod_delete_round_trip(void **state)
{
	(void)state;
	flow_mod_round_trip("table=4,cookie=0x10/0xff,out_port=3,udp",
			    OFPFC_DELETE);
	flow_mod_round_trip("out_group=9", OFPFC_DELETE);
	flow_mod_round_trip("", OFPFC_DELETE);
	flow_mod_round_trip("table=1,priority=9,ip,nw_src=1.2.3.4",
			    OFPFC_DELETE_STRICT);
	/* A delete in every table has no table in its spec. */
	assert_int_equal(msg_out.u.flow_mod.table_id, 1);
	flow_mod_round_trip("ip,nw_src=1.2.3.4", OFPFC_DELETE_STRICT);
	assert_int_equal(msg_out.u.flow_mod.table_id, OFPTT_ALL);
	assert_false(msg_out.u.flow_mod.spec.has_table);
	assert_false(msg_out.u.flow_mod.spec.has_actions);
}

static void
test_flow_mod_instructions_decode_in_any_order(void **state)
{
	size_t len;

	(void)state;
	/* goto_table, write_metadata, clear, apply: the apply-actions still
	 * become the spec's actions. */
	w_flow_mod_fixed(&w, 1, OFPFC_ADD, 10);
	w_match(&w, "");
	w_hex(&w, "0001 0008 05 000000");
	w_hex(&w, "0002 0018 00000000 0000000000000001 00000000000000ff");
	w_hex(&w, "0005 0008 00000000");
	w_inst_actions(&w, OFPIT_APPLY_ACTIONS,
		       "0000 0010 00000002 0000 000000000000");
	len = w_done(&w);
	decode_ok(w.b, len, &msg_in);
	assert_true(msg_in.u.flow_mod.spec.has_goto);
	assert_int_equal(msg_in.u.flow_mod.spec.goto_table, 5);
	assert_true(msg_in.u.flow_mod.spec.clear_actions);
	assert_int_equal(msg_in.u.flow_mod.spec.write_metadata, 1);
	assert_int_equal(msg_in.u.flow_mod.spec.write_metadata_mask, 0xff);
	assert_int_equal(msg_in.u.flow_mod.spec.n_actions, 1);
	assert_int_equal(msg_in.u.flow_mod.spec.actions[0].arg.port, 2);
}

static void
test_flow_mod_write_actions_keep_one_per_kind(void **state)
{
	const struct nfv_flow_spec *s = &msg_in.u.flow_mod.spec;
	size_t len;

	(void)state;
	/* The action set holds one output and one set_field per field:
	 * the later one wins (spec 5.10). */
	w_flow_mod_fixed(&w, 0, OFPFC_ADD, 10);
	w_match(&w, OXM_ETH_TYPE_IP);
	w_inst_actions(&w, OFPIT_WRITE_ACTIONS,
		       "0000 0010 00000001 0000 000000000000"
		       "0019 0010 80001604 01020304 00000000"
		       "0000 0010 00000002 0000 000000000000"
		       "0019 0010 80001604 05060708 00000000");
	len = w_done(&w);
	decode_ok(w.b, len, &msg_in);
	assert_true(s->has_write_actions);
	assert_int_equal(s->n_write_actions, 2);
	assert_int_equal(s->write_actions[0].type, NFV_ACT_OUTPUT);
	assert_int_equal(s->write_actions[0].arg.port, 2);
	assert_int_equal(s->write_actions[1].type, NFV_ACT_SET_FIELD);
	assert_int_equal(s->write_actions[1].field, NFV_F_IPV4_SRC);
	assert_int_equal(be32_at(s->write_actions[1].arg.value.u8),
			 0x05060708);
}

static void
test_flow_mod_write_actions_checked_in_execution_order(void **state)
{
	const struct nfv_flow_spec *s = &msg_in.u.flow_mod.spec;
	struct nfv_flow_spec expect;
	size_t len;

	(void)state;
	/* The action set runs pop, push, TTL, set_field, output whatever
	 * order it was written in (spec 5.10): set_field:vlan_pcp before
	 * push_vlan is fine on an untagged packet. */
	w_flow_mod_fixed(&w, 0, OFPFC_ADD, 10);
	w_match(&w, "");
	w_inst_actions(&w, OFPIT_WRITE_ACTIONS,
		       "0019 0010 80000e01 05 000000 00000000"
		       "0011 0008 8100 0000"
		       "0000 0010 00000002 0000 000000000000");
	len = w_done(&w);
	decode_ok(w.b, len, &msg_in);
	assert_int_equal(s->n_write_actions, 3);

	/* ...and set_field:vlan_pcp with pop_vlan written after it is not:
	 * the pop runs first. */
	w_flow_mod_fixed(&w, 0, OFPFC_ADD, 10);
	w_match(&w, OXM_VLAN_VID_10);
	w_inst_actions(&w, OFPIT_WRITE_ACTIONS,
		       "0019 0010 80000e01 05 000000 00000000"
		       "0012 0008 00000000");
	len = w_done(&w);
	decode_fails(w.b, len, OFPET_BAD_ACTION, OFPBAC_MATCH_INCONSISTENT);

	/* Duplicates replaced in place must leave a set that decodes the
	 * same once encoded again: push, pop, push (replaces the first),
	 * set_field:vlan_pcp on a tagged match is [push, pop, set_field],
	 * which runs as pop, push, set_field. Checked in wire order, the
	 * re-encoded set would pop before set_field and be refused. */
	w_flow_mod_fixed(&w, 0, OFPFC_ADD, 10);
	w_match(&w, OXM_VLAN_VID_10);
	w_inst_actions(&w, OFPIT_WRITE_ACTIONS,
		       "0011 0008 8100 0000"
		       "0012 0008 00000000"
		       "0011 0008 88a8 0000"
		       "0019 0010 80000e01 05 000000 00000000");
	len = w_done(&w);
	decode_ok(w.b, len, &msg_in);
	assert_int_equal(s->n_write_actions, 3);
	assert_int_equal(s->write_actions[0].type, NFV_ACT_PUSH_VLAN);
	assert_int_equal(s->write_actions[0].ethertype, 0x88a8);
	assert_int_equal(s->write_actions[1].type, NFV_ACT_POP_VLAN);
	expect = *s;
	round_trip(&msg_in);
	assert_spec_equal(&msg_out.u.flow_mod.spec, &expect);
	/* On an untagged match the same set pops a tag that is not there. */
	w_flow_mod_fixed(&w, 0, OFPFC_ADD, 10);
	w_match(&w, "");
	w_inst_actions(&w, OFPIT_WRITE_ACTIONS,
		       "0011 0008 8100 0000"
		       "0012 0008 00000000"
		       "0011 0008 88a8 0000"
		       "0019 0010 80000e01 05 000000 00000000");
	len = w_done(&w);
	decode_fails(w.b, len, OFPET_BAD_ACTION, OFPBAC_MATCH_INCONSISTENT);

	/* The TTL actions need IP in the action set too. */
	w_flow_mod_fixed(&w, 0, OFPFC_ADD, 10);
	w_match(&w, "");
	w_inst_actions(&w, OFPIT_WRITE_ACTIONS, "0018 0008 00000000");
	len = w_done(&w);
	decode_fails(w.b, len, OFPET_BAD_ACTION, OFPBAC_MATCH_INCONSISTENT);

	/* The set sees the packet as apply-actions leave it. */
	w_flow_mod_fixed(&w, 0, OFPFC_ADD, 10);
	w_match(&w, "");
	w_inst_actions(&w, OFPIT_WRITE_ACTIONS,
		       "0019 0010 80000e01 05 000000 00000000");
	w_inst_actions(&w, OFPIT_APPLY_ACTIONS, "0011 0008 8100 0000");
	len = w_done(&w);
	decode_ok(w.b, len, &msg_in);
}

/* As "ovs-ofctl -O OpenFlow13 add-flow br0
 * 'table=0,priority=10,ip,nw_dst=10.0.0.0/24,actions=output:2'" sends it. */
static void
test_flow_mod_from_ovs_ofctl_decodes(void **state)
{
	struct nfv_flow_spec expect;

	(void)state;
	w.n = 0;
	w_hex(&w,
	      "04 0e 0060 00000002"
	      "0000000000000000"                /* cookie */
	      "0000000000000000"                /* cookie_mask */
	      "00 00 0000 0000 000a"            /* table, ADD, timeouts, prio */
	      "ffffffff ffffffff ffffffff"      /* buffer, out_port/group */
	      "0000 0000"                       /* flags, pad */
	      "0001 0016"                       /* OXM match, 22 bytes */
	      "80000a02 0800"                   /* eth_type=0x0800 */
	      "80001908 0a000000 ffffff00"      /* ipv4_dst/mask */
	      "0000"                            /* pad to 24 */
	      "0004 0018 00000000"              /* apply-actions */
	      "0000 0010 00000002 0000 000000000000"); /* output:2 */
	assert_int_equal(w.n, 0x60);
	decode_ok(w.b, w.n, &msg_in);
	assert_int_equal(msg_in.type, OFPT_FLOW_MOD);
	assert_int_equal(msg_in.xid, 2);
	assert_int_equal(msg_in.u.flow_mod.command, OFPFC_ADD);
	assert_int_equal(msg_in.u.flow_mod.table_id, 0);
	assert_int_equal(msg_in.u.flow_mod.buffer_id, OFP_NO_BUFFER);
	parse_flow("table=0,priority=10,ip,nw_dst=10.0.0.0/24,"
		   "actions=output:2", NFV_FLOW_PARSE_ADD, &expect);
	assert_spec_equal(&msg_in.u.flow_mod.spec, &expect);
	assert_true(msg_in.u.flow_mod.spec.has_table);
	assert_true(msg_in.u.flow_mod.spec.has_actions);

	/* Our encoding of that flow is byte for byte what ovs-ofctl sends. */
	init_msg(&msg_out, OFPT_FLOW_MOD, 2);
	msg_out.u.flow_mod.command = OFPFC_ADD;
	msg_out.u.flow_mod.buffer_id = OFP_NO_BUFFER;
	msg_out.u.flow_mod.spec = expect;
	assert_int_equal(ofp_encode(&msg_out, buf, sizeof(buf)), 0x60);
	assert_memory_equal(buf, w.b, 0x60);
}

static void
test_flow_mod_with_instructions_from_wire_decodes(void **state)
{
	struct nfv_flow_spec expect;

	(void)state;
	/* "table=1,priority=300,cookie=0x99,tcp,tp_dst=80,
	 *  actions=mod_nw_dst:10.0.0.9,write_metadata:0x1/0xff,
	 *  goto_table:2" */
	w.n = 0;
	w_hex(&w,
	      "04 0e 0080 00000003"
	      "0000000000000099 0000000000000000"
	      "01 00 0000 0000 012c"
	      "ffffffff ffffffff ffffffff 0000 0000"
	      "0001 0015 80000a02 0800 80001401 06 80001c02 0050 000000"
	      "0004 0018 00000000"
	      "0019 0010 80001804 0a000009 00000000"
	      "0002 0018 00000000 0000000000000001 00000000000000ff"
	      "0001 0008 02 000000");
	assert_int_equal(w.n, 0x80);
	decode_ok(w.b, w.n, &msg_in);
	parse_flow("table=1,priority=300,cookie=0x99,tcp,tp_dst=80,"
		   "actions=mod_nw_dst:10.0.0.9,write_metadata:0x1/0xff,"
		   "goto_table:2", NFV_FLOW_PARSE_ADD, &expect);
	assert_spec_equal(&msg_in.u.flow_mod.spec, &expect);
}

/* A group spec of 'type' with 'n' buckets of the given action lists. */
static void
make_group(struct nfv_group_spec *g, uint32_t id, enum nfv_group_type type,
	   const char *const *bucket_actions, unsigned int n)
{
	memset(g, 0, sizeof(*g));
	g->group_id = id;
	g->type = type;
	g->n_buckets = n;
	for (unsigned int i = 0; i < n; i++) {
		struct nfv_bucket *b = &g->buckets[i];

		b->weight = type == NFV_GT_SELECT ? 10 * (i + 1) : 0;
		b->watch_port = NFV_OFPP_ANY;
		b->watch_group = NFV_OFPG_ANY;
		parse_actions(bucket_actions[i], b->actions, &b->n_actions);
	}
}

static void
assert_group_equal(const struct nfv_group_spec *a,
		   const struct nfv_group_spec *b)
{
	assert_int_equal(a->group_id, b->group_id);
	assert_int_equal(a->type, b->type);
	assert_int_equal(a->n_buckets, b->n_buckets);
	for (unsigned int i = 0; i < a->n_buckets; i++) {
		const struct nfv_bucket *x = &a->buckets[i];
		const struct nfv_bucket *y = &b->buckets[i];

		assert_int_equal(x->weight, y->weight);
		assert_int_equal(x->watch_port, y->watch_port);
		assert_int_equal(x->watch_group, y->watch_group);
		assert_actions_equal(x->actions, x->n_actions, y->actions,
				     y->n_actions);
	}
}

static void
group_mod_round_trip(uint16_t command, const struct nfv_group_spec *g)
{
	init_msg(&msg_in, OFPT_GROUP_MOD, 55);
	msg_in.u.group_mod.command = command;
	msg_in.u.group_mod.spec = *g;
	round_trip(&msg_in);
	assert_int_equal(msg_out.u.group_mod.command, command);
	assert_group_equal(&msg_out.u.group_mod.spec, g);
}

static void
test_group_mod_round_trip(void **state)
{
	static const char *const acts[] = {
		"output:1",
		"set_field:00:00:00:00:00:02->eth_dst,output:2",
		"push_vlan:0x8100,set_field:4097->vlan_vid,group:7",
		"dec_ttl,set_nw_ttl:3,pop_vlan,output:CONTROLLER",
	};
	static struct nfv_group_spec g;

	(void)state;
	make_group(&g, 1, NFV_GT_ALL, acts, 4);
	group_mod_round_trip(OFPGC_ADD, &g);
	group_mod_round_trip(OFPGC_MODIFY, &g);

	make_group(&g, 2, NFV_GT_SELECT, acts, 3);
	g.buckets[2].weight = 65535;
	group_mod_round_trip(OFPGC_ADD, &g);
	assert_int_equal(msg_out.u.group_mod.spec.buckets[0].weight, 10);
	assert_int_equal(msg_out.u.group_mod.spec.buckets[2].weight, 65535);

	make_group(&g, NFV_OFPG_MAX, NFV_GT_INDIRECT, acts + 2, 1);
	group_mod_round_trip(OFPGC_ADD, &g);

	make_group(&g, 4, NFV_GT_FF, acts, 3);
	g.buckets[0].watch_port = 1;
	g.buckets[1].watch_group = 5;
	g.buckets[2].watch_port = 2;
	g.buckets[2].watch_group = 6;
	group_mod_round_trip(OFPGC_ADD, &g);
	assert_int_equal(msg_out.u.group_mod.spec.buckets[0].watch_port, 1);
	assert_int_equal(msg_out.u.group_mod.spec.buckets[0].watch_group,
			 NFV_OFPG_ANY);
	assert_int_equal(msg_out.u.group_mod.spec.buckets[1].watch_group, 5);

	/* As many buckets as a group holds. */
	make_group(&g, 9, NFV_GT_ALL, acts, 0);
	g.n_buckets = NFV_GROUP_MAX_BUCKETS;
	for (unsigned int i = 0; i < NFV_GROUP_MAX_BUCKETS; i++) {
		g.buckets[i].watch_port = NFV_OFPP_ANY;
		g.buckets[i].watch_group = NFV_OFPG_ANY;
		parse_actions(acts[i % 4], g.buckets[i].actions,
			      &g.buckets[i].n_actions);
	}
	group_mod_round_trip(OFPGC_ADD, &g);

	/* Delete: no buckets, possibly every group. */
	make_group(&g, 3, NFV_GT_ALL, acts, 0);
	group_mod_round_trip(OFPGC_DELETE, &g);
	g.group_id = NFV_OFPG_ALL;
	group_mod_round_trip(OFPGC_DELETE, &g);
}

static void
test_group_mod_from_wire_decodes(void **state)
{
	const struct nfv_group_spec *g = &msg_in.u.group_mod.spec;

	(void)state;
	/* "group_id=5,type=select,bucket=weight:3,output:1,
	 *  bucket=weight:1,output:2" */
	w.n = 0;
	w_hex(&w,
	      "04 0f 0050 00000001"
	      "0000 01 00 00000005"
	      "0020 0003 ffffffff ffffffff 00000000"
	      "0000 0010 00000001 0000 000000000000"
	      "0020 0001 ffffffff ffffffff 00000000"
	      "0000 0010 00000002 0000 000000000000");
	decode_ok(w.b, w.n, &msg_in);
	assert_int_equal(msg_in.u.group_mod.command, OFPGC_ADD);
	assert_int_equal(g->group_id, 5);
	assert_int_equal(g->type, NFV_GT_SELECT);
	assert_int_equal(g->n_buckets, 2);
	assert_int_equal(g->buckets[0].weight, 3);
	assert_int_equal(g->buckets[1].weight, 1);
	assert_int_equal(g->buckets[1].n_actions, 1);
	assert_int_equal(g->buckets[1].actions[0].arg.port, 2);
}

static void
test_port_mod_round_trip(void **state)
{
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x03 };
	int len;

	(void)state;
	init_msg(&msg_in, OFPT_PORT_MOD, 8);
	msg_in.u.port_mod.port_no = 3;
	memcpy(msg_in.u.port_mod.hw_addr, mac, 6);
	msg_in.u.port_mod.config = OFPPC_PORT_DOWN | OFPPC_NO_PACKET_IN;
	msg_in.u.port_mod.mask = OFPPC_PORT_DOWN | OFPPC_NO_PACKET_IN |
				 OFPPC_NO_FWD;
	msg_in.u.port_mod.advertise = OFPPF_1GB_FD | OFPPF_COPPER;
	len = round_trip(&msg_in);
	assert_int_equal(len, 40);
	assert_int_equal(be32_at(buf + 8), 3);
	assert_memory_equal(buf + 16, mac, 6);
	assert_int_equal(msg_out.u.port_mod.port_no, 3);
	assert_memory_equal(msg_out.u.port_mod.hw_addr, mac, 6);
	assert_int_equal(msg_out.u.port_mod.config,
			 OFPPC_PORT_DOWN | OFPPC_NO_PACKET_IN);
	assert_int_equal(msg_out.u.port_mod.mask, msg_in.u.port_mod.mask);
	assert_int_equal(msg_out.u.port_mod.advertise,
			 OFPPF_1GB_FD | OFPPF_COPPER);
}

static void
test_table_mod_round_trip(void **state)
{
	(void)state;
	init_msg(&msg_in, OFPT_TABLE_MOD, 9);
	msg_in.u.table_mod.table_id = 7;
	msg_in.u.table_mod.config = 3;
	assert_int_equal(round_trip(&msg_in), 16);
	assert_int_equal(msg_out.u.table_mod.table_id, 7);
	assert_int_equal(msg_out.u.table_mod.config, 3);
	msg_in.u.table_mod.table_id = OFPTT_ALL;
	round_trip(&msg_in);
	assert_int_equal(msg_out.u.table_mod.table_id, OFPTT_ALL);
}

static void
test_packet_out_round_trip(void **state)
{
	static uint8_t frame[60];
	struct ofp_packet_out *po = &msg_in.u.packet_out;
	int len;

	(void)state;
	for (size_t i = 0; i < sizeof(frame); i++)
		frame[i] = i * 7;
	init_msg(&msg_in, OFPT_PACKET_OUT, 10);
	po->buffer_id = OFP_NO_BUFFER;
	po->in_port = NFV_OFPP_CONTROLLER;
	po->n_actions = 1;
	po->actions[0].type = NFV_ACT_OUTPUT;
	po->actions[0].arg.port = NFV_OFPP_TABLE;
	po->data = frame;
	po->data_len = sizeof(frame);
	len = round_trip(&msg_in);
	assert_int_equal(len, 24 + 16 + sizeof(frame));
	assert_int_equal(be16_at(buf + 16), 16);        /* actions_len */
	assert_int_equal(msg_out.u.packet_out.buffer_id, OFP_NO_BUFFER);
	assert_int_equal(msg_out.u.packet_out.in_port, NFV_OFPP_CONTROLLER);
	assert_actions_equal(msg_out.u.packet_out.actions,
			     msg_out.u.packet_out.n_actions, po->actions,
			     po->n_actions);
	assert_int_equal(msg_out.u.packet_out.actions[0].arg.port,
			 NFV_OFPP_TABLE);
	assert_int_equal(msg_out.u.packet_out.data_len, sizeof(frame));
	assert_memory_equal(msg_out.u.packet_out.data, frame, sizeof(frame));

	/* No match, so no prerequisites: any action goes. */
	po->in_port = 3;
	parse_actions("set_field:10.0.0.1->ipv4_src,dec_ttl,pop_vlan,output:1,"
		      "output:2", po->actions, &po->n_actions);
	po->data = NULL;
	po->data_len = 0;
	round_trip(&msg_in);
	assert_int_equal(msg_out.u.packet_out.in_port, 3);
	assert_actions_equal(msg_out.u.packet_out.actions,
			     msg_out.u.packet_out.n_actions, po->actions,
			     po->n_actions);
	assert_int_equal(msg_out.u.packet_out.data_len, 0);

	/* output:TABLE only makes sense in a packet-out. */
	w_flow_mod_apply(&w, "", "0000 0010 fffffff9 0000 000000000000");
	decode_fails(w.b, w.n, OFPET_BAD_ACTION, OFPBAC_BAD_OUT_PORT);
}

static void
mp_request_round_trip(const struct ofp_mp_request *mp)
{
	init_msg(&msg_in, OFPT_MULTIPART_REQUEST, 12);
	msg_in.u.mp_request = *mp;
	round_trip(&msg_in);
	assert_int_equal(msg_out.u.mp_request.type, mp->type);
	assert_int_equal(msg_out.u.mp_request.flags, 0);
}

static void
test_multipart_request_round_trip(void **state)
{
	static const uint16_t bodiless[] = {
		OFPMP_DESC, OFPMP_TABLE, OFPMP_GROUP_DESC,
		OFPMP_GROUP_FEATURES, OFPMP_METER_FEATURES,
		OFPMP_TABLE_FEATURES, OFPMP_PORT_DESC,
	};
	static struct ofp_mp_request mp;
	const struct ofp_mp_request *out = &msg_out.u.mp_request;

	(void)state;
	for (size_t i = 0; i < NFV_ARRAY_SIZE(bodiless); i++) {
		memset(&mp, 0, sizeof(mp));
		mp.type = bodiless[i];
		mp_request_round_trip(&mp);
		assert_int_equal(be16_at(buf + 2), 16);
	}

	memset(&mp, 0, sizeof(mp));
	mp.type = OFPMP_FLOW;
	parse_flow("table=3,cookie=0x10/0xff,out_port=2,out_group=7,tcp,"
		   "tp_dst=22", NFV_FLOW_PARSE_MATCH, &mp.filter);
	mp.table_id = 3;
	mp_request_round_trip(&mp);
	assert_int_equal(out->table_id, 3);
	assert_true(out->filter.has_table);
	assert_int_equal(out->filter.table_id, 3);
	assert_int_equal(out->filter.out_port, 2);
	assert_int_equal(out->filter.out_group, 7);
	assert_int_equal(out->filter.cookie, 0x10);
	assert_int_equal(out->filter.cookie_mask, 0xff);
	assert_match_equal(&out->filter.match, &mp.filter.match);

	memset(&mp, 0, sizeof(mp));
	mp.type = OFPMP_AGGREGATE;
	parse_flow("", NFV_FLOW_PARSE_MATCH, &mp.filter);
	mp.table_id = OFPTT_ALL;
	mp_request_round_trip(&mp);
	assert_int_equal(out->table_id, OFPTT_ALL);
	assert_false(out->filter.has_table);
	assert_int_equal(out->filter.out_port, NFV_OFPP_ANY);
	assert_int_equal(out->filter.out_group, NFV_OFPG_ANY);
	assert_match_equal(&out->filter.match, &mp.filter.match);

	memset(&mp, 0, sizeof(mp));
	mp.type = OFPMP_PORT_STATS;
	mp.port_no = NFV_OFPP_ANY;
	mp_request_round_trip(&mp);
	assert_int_equal(out->port_no, NFV_OFPP_ANY);
	mp.port_no = 4;
	mp_request_round_trip(&mp);
	assert_int_equal(out->port_no, 4);

	memset(&mp, 0, sizeof(mp));
	mp.type = OFPMP_QUEUE;
	mp.port_no = 2;
	mp.queue_id = OFPQ_ALL;
	mp_request_round_trip(&mp);
	assert_int_equal(out->port_no, 2);
	assert_int_equal(out->queue_id, OFPQ_ALL);

	memset(&mp, 0, sizeof(mp));
	mp.type = OFPMP_GROUP;
	mp.group_id = NFV_OFPG_ALL;
	mp_request_round_trip(&mp);
	assert_int_equal(out->group_id, NFV_OFPG_ALL);

	memset(&mp, 0, sizeof(mp));
	mp.type = OFPMP_METER;
	mp.meter_id = OFPM_ALL;
	mp_request_round_trip(&mp);
	assert_int_equal(out->meter_id, OFPM_ALL);
	mp.type = OFPMP_METER_CONFIG;
	mp.meter_id = 17;
	mp_request_round_trip(&mp);
	assert_int_equal(out->meter_id, 17);
}

static void
test_multipart_request_refuses_req_more(void **state)
{
	(void)state;
	w_header(&w, OFPT_MULTIPART_REQUEST);
	w_hex(&w, "0000 0001 00000000");
	decode_fails(w.b, w_done(&w), OFPET_BAD_REQUEST,
		     OFPBRC_MULTIPART_BUFFER_OVERFLOW);
	/* A table features request that sets features. */
	w_header(&w, OFPT_MULTIPART_REQUEST);
	w_hex(&w, "000c 0000 00000000 0040 00 0000000000");
	w_zeros(&w, 58);
	decode_fails(w.b, w_done(&w), OFPET_TABLE_FEATURES_FAILED,
		     OFPTFFC_EPERM);
	/* Reserved flag bits are ignored. */
	w_header(&w, OFPT_MULTIPART_REQUEST);
	w_hex(&w, "0000 8000 00000000");
	decode_ok(w.b, w_done(&w), &msg_in);
	assert_int_equal(msg_in.u.mp_request.flags, 0);
}

static void
test_queue_get_config_request_round_trip(void **state)
{
	(void)state;
	init_msg(&msg_in, OFPT_QUEUE_GET_CONFIG_REQUEST, 13);
	msg_in.u.queue_get_config.port = NFV_OFPP_ANY;
	assert_int_equal(round_trip(&msg_in), 16);
	assert_int_equal(msg_out.u.queue_get_config.port, NFV_OFPP_ANY);
	/* The reply (no queues) has the same body. */
	msg_in.type = OFPT_QUEUE_GET_CONFIG_REPLY;
	msg_in.u.queue_get_config.port = 2;
	assert_int_equal(ofp_encode(&msg_in, buf, sizeof(buf)), 16);
	assert_int_equal(be32_at(buf + 8), 2);
}

static void
test_role_request_round_trip(void **state)
{
	static const uint8_t want[] = {
		0x04, 0x18, 0x00, 0x18, 0x00, 0x00, 0x00, 0x0e,
		0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
		0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
	};

	(void)state;
	init_msg(&msg_in, OFPT_ROLE_REQUEST, 14);
	msg_in.u.role.role = OFPCR_ROLE_MASTER;
	msg_in.u.role.generation_id = 0x1122334455667788ull;
	assert_int_equal(round_trip(&msg_in), sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(msg_out.u.role.role, OFPCR_ROLE_MASTER);
	assert_int_equal(msg_out.u.role.generation_id,
			 0x1122334455667788ull);
	/* The reply has the same body. */
	msg_in.type = OFPT_ROLE_REPLY;
	assert_int_equal(ofp_encode(&msg_in, buf, sizeof(buf)), sizeof(want));
	assert_int_equal(buf[1], OFPT_ROLE_REPLY);
	assert_memory_equal(buf + 8, want + 8, sizeof(want) - 8);
	decode_fails(buf, sizeof(want), OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE);
}

static void
test_set_async_round_trip(void **state)
{
	const struct ofp_async *a = &msg_out.u.async;

	(void)state;
	init_msg(&msg_in, OFPT_SET_ASYNC, 15);
	msg_in.u.async.packet_in_mask[0] = 0x7;
	msg_in.u.async.packet_in_mask[1] = 0x1;
	msg_in.u.async.port_status_mask[0] = 0x6;
	msg_in.u.async.port_status_mask[1] = 0x5;
	msg_in.u.async.flow_removed_mask[0] = 0xf;
	msg_in.u.async.flow_removed_mask[1] = 0x8;
	assert_int_equal(round_trip(&msg_in), 32);
	assert_int_equal(be32_at(buf + 8), 0x7);
	assert_int_equal(be32_at(buf + 28), 0x8);
	assert_int_equal(a->packet_in_mask[0], 0x7);
	assert_int_equal(a->packet_in_mask[1], 0x1);
	assert_int_equal(a->port_status_mask[0], 0x6);
	assert_int_equal(a->port_status_mask[1], 0x5);
	assert_int_equal(a->flow_removed_mask[0], 0xf);
	assert_int_equal(a->flow_removed_mask[1], 0x8);
	msg_in.type = OFPT_GET_ASYNC_REPLY;
	assert_int_equal(ofp_encode(&msg_in, buf, sizeof(buf)), 32);
	assert_int_equal(buf[1], OFPT_GET_ASYNC_REPLY);
}

static void
test_meter_mod_round_trip(void **state)
{
	struct ofp_meter_mod *mm = &msg_in.u.meter_mod;
	const struct ofp_meter_mod *out = &msg_out.u.meter_mod;

	(void)state;
	init_msg(&msg_in, OFPT_METER_MOD, 16);
	mm->command = OFPMC_ADD;
	mm->flags = OFPMF_KBPS | OFPMF_BURST | OFPMF_STATS;
	mm->meter_id = 7;
	mm->n_bands = 3;
	mm->bands[0] = (struct ofp_meter_band){
		.type = OFPMBT_DROP, .rate = 1000, .burst_size = 100,
	};
	mm->bands[1] = (struct ofp_meter_band){
		.type = OFPMBT_DSCP_REMARK, .rate = 2000, .burst_size = 200,
		.prec_level = 2,
	};
	mm->bands[2] = (struct ofp_meter_band){
		.type = OFPMBT_EXPERIMENTER, .rate = 3, .burst_size = 4,
		.experimenter = 0x2320,
	};
	assert_int_equal(round_trip(&msg_in), 16 + 3 * 16);
	assert_int_equal(out->command, OFPMC_ADD);
	assert_int_equal(out->flags, mm->flags);
	assert_int_equal(out->meter_id, 7);
	assert_int_equal(out->n_bands, 3);
	for (unsigned int i = 0; i < 3; i++) {
		assert_int_equal(out->bands[i].type, mm->bands[i].type);
		assert_int_equal(out->bands[i].rate, mm->bands[i].rate);
		assert_int_equal(out->bands[i].burst_size,
				 mm->bands[i].burst_size);
	}
	assert_int_equal(out->bands[1].prec_level, 2);
	assert_int_equal(out->bands[2].experimenter, 0x2320);

	mm->command = OFPMC_DELETE;
	mm->meter_id = OFPM_ALL;
	mm->n_bands = 0;
	assert_int_equal(round_trip(&msg_in), 16);
	assert_int_equal(out->meter_id, OFPM_ALL);
	assert_int_equal(out->n_bands, 0);
}

static void
test_error_round_trip(void **state)
{
	static const uint8_t req[20] = { 4, 14, 0, 20, 1, 2, 3, 4 };
	const struct ofp_error_msg *e = &msg_out.u.error;

	(void)state;
	init_msg(&msg_in, OFPT_ERROR, 17);
	msg_in.u.error.error = (struct ofp_error){ OFPET_BAD_MATCH,
						   OFPBMC_BAD_PREREQ };
	msg_in.u.error.data = req;
	msg_in.u.error.data_len = sizeof(req);
	assert_int_equal(round_trip(&msg_in), 12 + sizeof(req));
	assert_int_equal(e->error.type, OFPET_BAD_MATCH);
	assert_int_equal(e->error.code, OFPBMC_BAD_PREREQ);
	assert_int_equal(e->data_len, sizeof(req));
	assert_memory_equal(e->data, req, sizeof(req));

	msg_in.u.error.error = (struct ofp_error){ OFPET_EXPERIMENTER, 3 };
	msg_in.u.error.experimenter = 0x4f4e4600;
	assert_int_equal(round_trip(&msg_in), 16 + sizeof(req));
	assert_int_equal(be16_at(buf + 8), 0xffff);
	assert_int_equal(be16_at(buf + 10), 3);
	assert_int_equal(be32_at(buf + 12), 0x4f4e4600);
	assert_int_equal(e->error.type, OFPET_EXPERIMENTER);
	assert_int_equal(e->error.code, 3);
	assert_int_equal(e->experimenter, 0x4f4e4600);
	assert_memory_equal(e->data, req, sizeof(req));
}

/* Malformed messages. */

struct bad_case {
	const char *name;
	const char *hex;        /* the whole message; length patched unless
				 * 'raw' */
	bool raw;
	uint16_t type;
	uint16_t code;
};

static void
run_bad_cases(const struct bad_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct bad_case *c = &cases[i];

		print_message("  %s\n", c->name);
		w.n = 0;
		w_hex(&w, c->hex);
		if (!c->raw)
			w_done(&w);
		decode_fails(w.b, w.n, c->type, c->code);
	}
}

static void
test_decode_rejects_bad_headers(void **state)
{
	static const struct bad_case cases[] = {
		{ "empty", "", true, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
		{ "7 bytes", "04 02 0008 000000", true, OFPET_BAD_REQUEST,
		  OFPBRC_BAD_LEN },
		{ "version 1.0", "01 02 0008 00000001", true,
		  OFPET_BAD_REQUEST, OFPBRC_BAD_VERSION },
		{ "version 1.4", "05 0e 0008 00000001", true,
		  OFPET_BAD_REQUEST, OFPBRC_BAD_VERSION },
		{ "unknown type", "04 1e 0008 00000001", true,
		  OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE },
		{ "type 255", "04 ff 0008 00000001", true, OFPET_BAD_REQUEST,
		  OFPBRC_BAD_TYPE },
		{ "packet_in to a switch", "04 0a 0008 00000001", true,
		  OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE },
		{ "multipart reply to a switch",
		  "04 13 0010 00000001 0000 0000 00000000", true,
		  OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE },
		{ "header length < 8", "04 02 0004 00000001", true,
		  OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
		{ "header length > buffer", "04 02 0010 00000001 0000", true,
		  OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
		{ "header length < buffer", "04 02 0008 00000001 0000", true,
		  OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
		{ "experimenter message",
		  "04 04 0000 00000001 00002320 00000001", false,
		  OFPET_BAD_REQUEST, OFPBRC_BAD_EXPERIMENTER },
		{ "short experimenter message", "04 04 0000 00000001 0000",
		  false, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
	};
	struct ofp_error err;

	(void)state;
	run_bad_cases(cases, NFV_ARRAY_SIZE(cases));
	/* The xid is known for the error reply even when the version is
	 * wrong. */
	w.n = 0;
	w_hex(&w, "01 0e 0008 abcdef01");
	assert_int_equal(ofp_decode(w.b, w.n, &msg_out, &err), -EBADMSG);
	assert_int_equal(msg_out.xid, 0xabcdef01);
	assert_int_equal(msg_out.type, OFPT_FLOW_MOD);
	assert_int_equal(msg_out.version, 1);
}

static void
test_decode_rejects_truncated_flow_mod(void **state)
{
	size_t full;

	(void)state;
	full = w_flow_mod_apply(&w, OXM_ETH_TYPE_IP OXM_IP_PROTO_TCP
				OXM_TCP_DST_80,
				"0000 0010 00000002 0000 000000000000");
	decode_ok(w.b, full, &msg_in);
	/* Every shorter length, the header saying so. */
	for (size_t len = OFP_HEADER_LEN; len < full; len++) {
		struct ofp_error err;
		uint16_t want_type;

		w_patch16(&w, 2, len);
		if (len == 72) {
			/* Just the match: no instructions, a drop flow. */
			decode_ok(w.b, len, &msg_out);
			continue;
		}
		assert_int_equal(ofp_decode(w.b, len, &msg_out, &err),
				 -EBADMSG);
		if (len < 56)           /* fixed part + empty match */
			want_type = OFPET_BAD_REQUEST;
		else if (len < 72)      /* inside the 24-byte match */
			want_type = OFPET_BAD_MATCH;
		else                    /* inside the instruction */
			want_type = OFPET_BAD_INSTRUCTION;
		if (err.type != want_type)
			fail_msg("length %zu: %s / %s", len,
				 ofp_error_type_name(err.type),
				 ofp_error_code_name(err));
		assert_int_equal(err.code, want_type == OFPET_BAD_REQUEST ?
				 OFPBRC_BAD_LEN : want_type == OFPET_BAD_MATCH ?
				 OFPBMC_BAD_LEN : OFPBIC_BAD_LEN);
	}
}

static void
test_decode_rejects_bad_flow_mod_fields(void **state)
{
	(void)state;
	w_flow_mod_fixed(&w, 0, 5, 10);
	w_match(&w, "");
	decode_fails(w.b, w_done(&w), OFPET_FLOW_MOD_FAILED,
		     OFPFMFC_BAD_COMMAND);
	w_flow_mod_fixed(&w, 254, OFPFC_ADD, 10);
	w_match(&w, "");
	decode_fails(w.b, w_done(&w), OFPET_FLOW_MOD_FAILED,
		     OFPFMFC_BAD_TABLE_ID);
	/* OFPTT_ALL is for deletes only. */
	w_flow_mod_fixed(&w, OFPTT_ALL, OFPFC_MODIFY, 10);
	w_match(&w, "");
	decode_fails(w.b, w_done(&w), OFPET_FLOW_MOD_FAILED,
		     OFPFMFC_BAD_TABLE_ID);
	w_flow_mod_fixed(&w, OFPTT_ALL, OFPFC_DELETE, 10);
	w_match(&w, "");
	decode_ok(w.b, w_done(&w), &msg_in);
	/* Flags beyond OFPFF_NO_BYT_COUNTS. */
	w_flow_mod_fixed(&w, 0, OFPFC_ADD, 10);
	w_patch16(&w, 44, 0x0020);
	w_match(&w, "");
	decode_fails(w.b, w_done(&w), OFPET_FLOW_MOD_FAILED,
		     OFPFMFC_BAD_FLAGS);
}

/* A FLOW_MOD with match 'oxms' and no instructions. */
struct bad_match {
	const char *name;
	const char *oxms;
	uint16_t code;          /* OFPET_BAD_MATCH */
};

static void
test_decode_rejects_bad_matches(void **state)
{
	static const struct bad_match cases[] = {
		{ "OXM class 0x0000 (NXM_0)", "00000004 00000001",
		  OFPBMC_BAD_FIELD },
		{ "OXM class 0xffff (experimenter)",
		  "ffff0008 00002320 00000001", OFPBMC_BAD_FIELD },
		{ "in_phy_port, not supported", "80000204 00000001",
		  OFPBMC_BAD_FIELD },
		{ "tunnel_id, not supported", "80004c08 0000000000000001",
		  OFPBMC_BAD_FIELD },
		{ "field 40, unknown", "80005004 00000001",
		  OFPBMC_BAD_FIELD },
		{ "field 127, unknown", "8000fe04 00000001",
		  OFPBMC_BAD_FIELD },
		{ "eth_type of 3 bytes", "80000a03 080000", OFPBMC_BAD_LEN },
		{ "in_port of 8 bytes", "80000008 0000000000000001",
		  OFPBMC_BAD_LEN },
		{ "masked ipv4_src of 4 bytes",
		  OXM_ETH_TYPE_IP "80001704 0a000000", OFPBMC_BAD_LEN },
		{ "TLV past the match", "80000004 0000", OFPBMC_BAD_LEN },
		{ "half a TLV header", "8000", OFPBMC_BAD_LEN },
		{ "mask on eth_type", "80000b04 0800ffff", OFPBMC_BAD_MASK },
		{ "mask on in_port", "80000108 00000001 ffffffff",
		  OFPBMC_BAD_MASK },
		{ "mask on ip_proto",
		  OXM_ETH_TYPE_IP "80001502 06ff", OFPBMC_BAD_MASK },
		{ "ipv4_dst value outside its mask",
		  OXM_ETH_TYPE_IP "80001908 0a000001 ffffff00",
		  OFPBMC_BAD_WILDCARDS },
		{ "eth_src value outside its mask",
		  "8000090c 020000000001 ffffffffff00", OFPBMC_BAD_WILDCARDS },
		{ "vlan_vid above 13 bits", "80000c02 2001",
		  OFPBMC_BAD_VALUE },
		{ "vlan_vid VID without OFPVID_PRESENT", "80000c02 0005",
		  OFPBMC_BAD_VALUE },
		{ "vlan_pcp 8", OXM_VLAN_VID_10 "80000e01 08",
		  OFPBMC_BAD_VALUE },
		{ "ip_dscp 64", OXM_ETH_TYPE_IP "80001001 40",
		  OFPBMC_BAD_VALUE },
		{ "ipv6_flabel above 20 bits",
		  OXM_ETH_TYPE_IPV6 "80003804 00100000", OFPBMC_BAD_VALUE },
		{ "ipv6_flabel mask above 20 bits",
		  OXM_ETH_TYPE_IPV6 "80003908 00000001 00100001",
		  OFPBMC_BAD_MASK },
		{ "eth_type twice", OXM_ETH_TYPE_IP OXM_ETH_TYPE_IP,
		  OFPBMC_DUP_FIELD },
		{ "in_port twice", OXM_IN_PORT_1 "80000004 00000002",
		  OFPBMC_DUP_FIELD },
		{ "tcp_dst without ip_proto",
		  OXM_ETH_TYPE_IP OXM_TCP_DST_80, OFPBMC_BAD_PREREQ },
		{ "tcp_dst with ip_proto udp",
		  OXM_ETH_TYPE_IP OXM_IP_PROTO_UDP OXM_TCP_DST_80,
		  OFPBMC_BAD_PREREQ },
		{ "ip_proto without eth_type", OXM_IP_PROTO_TCP,
		  OFPBMC_BAD_PREREQ },
		{ "ipv4_src on IPv6", OXM_ETH_TYPE_IPV6 "80001604 0a000001",
		  OFPBMC_BAD_PREREQ },
		{ "arp_op on IPv4", OXM_ETH_TYPE_IP "80002a02 0001",
		  OFPBMC_BAD_PREREQ },
		{ "vlan_pcp without a tag", "80000e01 03",
		  OFPBMC_BAD_PREREQ },
		{ "ipv4_src on ARP (arp_spa's storage)",
		  OXM_ETH_TYPE_ARP "80001604 0a000001", OFPBMC_BAD_PREREQ },
		{ "arp_sha on ICMPv6 NS (nd_sll's storage)",
		  OXM_ETH_TYPE_IPV6 "80001401 3a 80003a01 87"
		  "80003006 001122334455", OFPBMC_BAD_PREREQ },
		{ "icmp_type on TCP",
		  OXM_ETH_TYPE_IP OXM_IP_PROTO_TCP "80002601 08",
		  OFPBMC_BAD_PREREQ },
		{ "nd_target without an ND type",
		  OXM_ETH_TYPE_IPV6 "80001401 3a"
		  "80003e10 20010db8000000000000000000000001",
		  OFPBMC_BAD_PREREQ },
	};

	(void)state;
	for (size_t i = 0; i < NFV_ARRAY_SIZE(cases); i++) {
		print_message("  %s\n", cases[i].name);
		w_flow_mod(&w, 0, cases[i].oxms, "");
		decode_fails(w.b, w.n, OFPET_BAD_MATCH, cases[i].code);
	}

	/* Match type OFPMT_STANDARD (1.1) and a match length past the
	 * message. */
	w_flow_mod_fixed(&w, 0, OFPFC_ADD, 10);
	w_hex(&w, "0000 0008 00000000");
	decode_fails(w.b, w_done(&w), OFPET_BAD_MATCH, OFPBMC_BAD_TYPE);
	w_flow_mod_fixed(&w, 0, OFPFC_ADD, 10);
	w_hex(&w, "0001 0010 00000000");
	decode_fails(w.b, w_done(&w), OFPET_BAD_MATCH, OFPBMC_BAD_LEN);
	w_flow_mod_fixed(&w, 0, OFPFC_ADD, 10);
	w_hex(&w, "0001 0003 00000000");
	decode_fails(w.b, w_done(&w), OFPET_BAD_MATCH, OFPBMC_BAD_LEN);
}

static void
test_decode_accepts_prerequisites_in_any_order(void **state)
{
	(void)state;
	w_flow_mod(&w, 0, OXM_TCP_DST_80 OXM_IP_PROTO_TCP OXM_ETH_TYPE_IP, "");
	decode_ok(w.b, w.n, &msg_in);
	assert_int_equal(msg_in.u.flow_mod.spec.match.key.tp_dst,
			 __builtin_bswap16(80));
}

/* A FLOW_MOD with match 'oxms' and raw instructions 'insts'. */
struct bad_inst {
	const char *name;
	uint8_t table_id;
	const char *oxms;
	const char *insts;
	uint16_t type;
	uint16_t code;
};

#define APPLY_OUTPUT_2 "0004 0018 00000000 0000 0010 00000002 0000 000000000000"

static void
test_decode_rejects_bad_instructions(void **state)
{
	static const struct bad_inst cases[] = {
		{ "goto_table of 16 bytes", 0, "",
		  "0001 0010 01000000 0000000000000000", OFPET_BAD_INSTRUCTION,
		  OFPBIC_BAD_LEN },
		{ "write_metadata of 16 bytes", 0, "",
		  "0002 0010 00000000 0000000000000001",
		  OFPET_BAD_INSTRUCTION, OFPBIC_BAD_LEN },
		{ "clear_actions of 16 bytes", 0, "",
		  "0005 0010 00000000 0000000000000000",
		  OFPET_BAD_INSTRUCTION, OFPBIC_BAD_LEN },
		{ "instruction of 4 bytes", 0, "", "0005 0004 00000000",
		  OFPET_BAD_INSTRUCTION, OFPBIC_BAD_LEN },
		{ "instruction of 12 bytes", 0, "",
		  "0004 000c 00000000 00000000", OFPET_BAD_INSTRUCTION,
		  OFPBIC_BAD_LEN },
		{ "instruction past the message", 0, "",
		  "0004 0020 00000000 0000 0010 00000002 0000 000000000000",
		  OFPET_BAD_INSTRUCTION, OFPBIC_BAD_LEN },
		{ "trailing half instruction", 0, "",
		  APPLY_OUTPUT_2 "0005 0008", OFPET_BAD_INSTRUCTION,
		  OFPBIC_BAD_LEN },
		{ "apply_actions twice", 0, "",
		  APPLY_OUTPUT_2 APPLY_OUTPUT_2, OFPET_BAD_INSTRUCTION,
		  OFPBIC_DUP_INST },
		{ "goto_table twice", 0, "",
		  "0001 0008 01000000 0001 0008 02000000",
		  OFPET_BAD_INSTRUCTION, OFPBIC_DUP_INST },
		{ "clear_actions twice", 0, "",
		  "0005 0008 00000000 0005 0008 00000000",
		  OFPET_BAD_INSTRUCTION, OFPBIC_DUP_INST },
		{ "goto_table to an earlier table", 5, "",
		  "0001 0008 03000000", OFPET_BAD_INSTRUCTION,
		  OFPBIC_BAD_TABLE_ID },
		{ "goto_table to its own table", 5, "", "0001 0008 05000000",
		  OFPET_BAD_INSTRUCTION, OFPBIC_BAD_TABLE_ID },
		{ "goto_table to table 254", 0, "", "0001 0008 fe000000",
		  OFPET_BAD_INSTRUCTION, OFPBIC_BAD_TABLE_ID },
		{ "meter instruction", 0, "", "0006 0008 00000001",
		  OFPET_BAD_INSTRUCTION, OFPBIC_UNSUP_INST },
		{ "unknown instruction 7", 0, "", "0007 0008 00000000",
		  OFPET_BAD_INSTRUCTION, OFPBIC_UNKNOWN_INST },
		{ "experimenter instruction", 0, "",
		  "ffff 0008 00002320", OFPET_BAD_INSTRUCTION,
		  OFPBIC_UNKNOWN_INST },
	};

	(void)state;
	for (size_t i = 0; i < NFV_ARRAY_SIZE(cases); i++) {
		print_message("  %s\n", cases[i].name);
		w_flow_mod(&w, cases[i].table_id, cases[i].oxms,
			   cases[i].insts);
		decode_fails(w.b, w.n, cases[i].type, cases[i].code);
	}
	/* A later table is fine, and so is the last one. */
	w_flow_mod(&w, 5, "", "0001 0008 06000000");
	decode_ok(w.b, w.n, &msg_in);
	w_flow_mod(&w, 5, "", "0001 0008 fd000000");
	decode_ok(w.b, w.n, &msg_in);
}

/* Apply-actions 'acts' after match 'oxms'. */
struct bad_action {
	const char *name;
	const char *oxms;
	const char *acts;
	uint16_t code;          /* OFPET_BAD_ACTION */
};

static void
test_decode_rejects_bad_actions(void **state)
{
	static const struct bad_action cases[] = {
		{ "copy_ttl_out, not supported", "", "000b 0008 00000000",
		  OFPBAC_BAD_TYPE },
		{ "set_queue, not supported", "", "0015 0008 00000001",
		  OFPBAC_BAD_TYPE },
		{ "unknown type 99", "", "0063 0008 00000000",
		  OFPBAC_BAD_TYPE },
		{ "experimenter action", "", "ffff 0010 00002320 00000000"
		  "00000000", OFPBAC_BAD_EXPERIMENTER },
		{ "output of 12 bytes", "",
		  "0000 000c 00000002 00000000 00000000",
		  OFPBAC_BAD_LEN },
		{ "output of 8 bytes", "", "0000 0008 00000002",
		  OFPBAC_BAD_LEN },
		{ "pop_vlan of 12 bytes", OXM_VLAN_VID_10,
		  "0012 000c 00000000 00000000 00000000", OFPBAC_BAD_LEN },
		{ "action of 4 bytes", "", "0012 0004 00000000",
		  OFPBAC_BAD_LEN },
		{ "action past the list", "",
		  "0000 0018 00000002 0000 000000000000", OFPBAC_BAD_LEN },
		{ "group of 16 bytes", "",
		  "0016 0010 00000001 00000000 00000000", OFPBAC_BAD_LEN },
		{ "output to port 0", "",
		  "0000 0010 00000000 0000 000000000000",
		  OFPBAC_BAD_OUT_PORT },
		{ "output to OFPP_ANY", "",
		  "0000 0010 ffffffff 0000 000000000000",
		  OFPBAC_BAD_OUT_PORT },
		{ "group OFPG_ALL", "", "0016 0008 fffffffc",
		  OFPBAC_BAD_OUT_GROUP },
		{ "set_field with a mask", OXM_ETH_TYPE_IP,
		  "0019 0010 80001908 0a000000 ffffff00",
		  OFPBAC_BAD_SET_ARGUMENT },
		{ "set_field on eth_type", "",
		  "0019 0010 80000a02 0800 000000000000",
		  OFPBAC_BAD_SET_TYPE },
		{ "set_field on in_port", "",
		  "0019 0010 80000004 00000001 00000000",
		  OFPBAC_BAD_SET_TYPE },
		{ "set_field on ip_proto", OXM_ETH_TYPE_IP,
		  "0019 0010 80001401 06 000000 00000000",
		  OFPBAC_BAD_SET_TYPE },
		{ "set_field on tunnel_id", "",
		  "0019 0010 80004c08 0000000000000001",
		  OFPBAC_BAD_SET_TYPE },
		{ "set_field of another class", "",
		  "0019 0010 00010004 00000001 00000000",
		  OFPBAC_BAD_SET_TYPE },
		{ "set_field with a wrong OXM length", OXM_ETH_TYPE_IP,
		  "0019 0010 80001805 0a00000100 000000",
		  OFPBAC_BAD_SET_LEN },
		{ "set_field padded too far", OXM_ETH_TYPE_IP,
		  "0019 0018 80001804 0a000001 00000000 0000000000000000",
		  OFPBAC_BAD_SET_LEN },
		{ "set_field vlan_vid without OFPVID_PRESENT", "",
		  "0019 0010 80000c02 000a 000000000000",
		  OFPBAC_BAD_SET_ARGUMENT },
		{ "set_field vlan_pcp 8", OXM_VLAN_VID_10,
		  "0019 0010 80000e01 08 000000 00000000",
		  OFPBAC_BAD_SET_ARGUMENT },
		{ "set_field ipv4_dst without IPv4", "",
		  "0019 0010 80001804 0a000001 00000000",
		  OFPBAC_MATCH_INCONSISTENT },
		{ "set_field tcp_dst on UDP",
		  OXM_ETH_TYPE_IP OXM_IP_PROTO_UDP,
		  "0019 0010 80001c02 0050 000000000000",
		  OFPBAC_MATCH_INCONSISTENT },
		{ "push_vlan 0x0800", "", "0011 0008 0800 0000",
		  OFPBAC_BAD_ARGUMENT },
		{ "push_vlan 0x8847", "", "0011 0008 8847 0000",
		  OFPBAC_BAD_ARGUMENT },
		{ "pop_vlan on untagged packets", "", "0012 0008 00000000",
		  OFPBAC_MATCH_INCONSISTENT },
		{ "pop_vlan twice", OXM_VLAN_VID_10,
		  "0012 0008 00000000 0012 0008 00000000",
		  OFPBAC_MATCH_INCONSISTENT },
		{ "set_field vlan_pcp after pop_vlan", OXM_VLAN_VID_10,
		  "0012 0008 00000000 0019 0010 80000e01 03 000000 00000000",
		  OFPBAC_MATCH_INCONSISTENT },
		{ "dec_nw_ttl without IP", "", "0018 0008 00000000",
		  OFPBAC_MATCH_INCONSISTENT },
		{ "set_nw_ttl on ARP", OXM_ETH_TYPE_ARP,
		  "0017 0008 40000000", OFPBAC_MATCH_INCONSISTENT },
	};
	char acts[1024];

	(void)state;
	for (size_t i = 0; i < NFV_ARRAY_SIZE(cases); i++) {
		print_message("  %s\n", cases[i].name);
		w_flow_mod_apply(&w, cases[i].oxms, cases[i].acts);
		decode_fails(w.b, w.n, OFPET_BAD_ACTION, cases[i].code);
	}
	/* After push_vlan, pop_vlan and set_field:vlan_pcp are fine. */
	w_flow_mod_apply(&w, "", "0011 0008 8100 0000 "
			 "0019 0010 80000e01 03 000000 00000000 "
			 "0012 0008 00000000");
	decode_ok(w.b, w.n, &msg_in);
	/* 16 actions fit, 17 do not. */
	acts[0] = '\0';
	for (int i = 0; i < 16; i++)
		strcat(acts, "0016 0008 00000001 ");
	w_flow_mod_apply(&w, "", acts);
	decode_ok(w.b, w.n, &msg_in);
	assert_int_equal(msg_in.u.flow_mod.spec.n_actions, 16);
	strcat(acts, "0016 0008 00000001");
	w_flow_mod_apply(&w, "", acts);
	decode_fails(w.b, w.n, OFPET_BAD_ACTION, OFPBAC_TOO_MANY);
}

static void
test_decode_rejects_bad_group_mods(void **state)
{
	static const struct bad_case cases[] = {
		{ "short body", "04 0f 0000 00000001 0000 00 00 0000",
		  false, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
		{ "bad command", "04 0f 0000 00000001 0003 00 00 00000001",
		  false, OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_COMMAND },
		{ "bad type", "04 0f 0000 00000001 0000 04 00 00000001",
		  false, OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_TYPE },
		{ "group id OFPG_ANY", "04 0f 0000 00000001 0000 00 00 ffffffff",
		  false, OFPET_GROUP_MOD_FAILED, OFPGMFC_INVALID_GROUP },
		{ "add OFPG_ALL", "04 0f 0000 00000001 0000 00 00 fffffffc",
		  false, OFPET_GROUP_MOD_FAILED, OFPGMFC_INVALID_GROUP },
		{ "bucket length not a multiple of 8",
		  "04 0f 0000 00000001 0000 00 00 00000001"
		  "0014 0000 ffffffff ffffffff 00000000 00000000",
		  false, OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_BUCKET },
		{ "bucket length past the message",
		  "04 0f 0000 00000001 0000 00 00 00000001"
		  "0020 0000 ffffffff ffffffff 00000000",
		  false, OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_BUCKET },
		{ "bucket length below 16",
		  "04 0f 0000 00000001 0000 00 00 00000001"
		  "0008 0000 ffffffff ffffffff 00000000",
		  false, OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_BUCKET },
		{ "half a bucket",
		  "04 0f 0000 00000001 0000 00 00 00000001 0010 0000",
		  false, OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_BUCKET },
		{ "select bucket of weight 0",
		  "04 0f 0000 00000001 0000 01 00 00000001"
		  "0010 0000 ffffffff ffffffff 00000000",
		  false, OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_BUCKET },
		{ "indirect group with two buckets",
		  "04 0f 0000 00000001 0000 02 00 00000001"
		  "0010 0000 ffffffff ffffffff 00000000"
		  "0010 0000 ffffffff ffffffff 00000000",
		  false, OFPET_GROUP_MOD_FAILED, OFPGMFC_INVALID_GROUP },
		{ "fast failover bucket without a watch",
		  "04 0f 0000 00000001 0000 03 00 00000001"
		  "0010 0000 ffffffff ffffffff 00000000",
		  false, OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_WATCH },
		{ "fast failover watching itself",
		  "04 0f 0000 00000001 0000 03 00 00000001"
		  "0010 0000 ffffffff 00000001 00000000",
		  false, OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_WATCH },
		{ "bucket chaining to its own group",
		  "04 0f 0000 00000001 0000 00 00 00000001"
		  "0018 0000 ffffffff ffffffff 00000000 0016 0008 00000001",
		  false, OFPET_GROUP_MOD_FAILED, OFPGMFC_LOOP },
		{ "bucket with a bad action",
		  "04 0f 0000 00000001 0000 00 00 00000001"
		  "0018 0000 ffffffff ffffffff 00000000 0011 0008 0800 0000",
		  false, OFPET_BAD_ACTION, OFPBAC_BAD_ARGUMENT },
	};
	char hex[4096];

	(void)state;
	run_bad_cases(cases, NFV_ARRAY_SIZE(cases));
	/* 32 buckets fit, 33 do not. */
	strcpy(hex, "04 0f 0000 00000001 0000 00 00 00000001");
	for (int i = 0; i < NFV_GROUP_MAX_BUCKETS; i++)
		strcat(hex, "0010 0000 ffffffff ffffffff 00000000");
	w.n = 0;
	w_hex(&w, hex);
	decode_ok(w.b, w_done(&w), &msg_in);
	assert_int_equal(msg_in.u.group_mod.spec.n_buckets,
			 NFV_GROUP_MAX_BUCKETS);
	strcat(hex, "0010 0000 ffffffff ffffffff 00000000");
	w.n = 0;
	w_hex(&w, hex);
	decode_fails(w.b, w_done(&w), OFPET_GROUP_MOD_FAILED,
		     OFPGMFC_OUT_OF_BUCKETS);
}

static void
test_decode_rejects_bad_bodies(void **state)
{
	static const struct bad_case cases[] = {
		{ "unknown multipart type 14",
		  "04 12 0000 00000001 000e 0000 00000000", false,
		  OFPET_BAD_REQUEST, OFPBRC_BAD_MULTIPART },
		{ "unknown multipart type 0x1000",
		  "04 12 0000 00000001 1000 0000 00000000", false,
		  OFPET_BAD_REQUEST, OFPBRC_BAD_MULTIPART },
		{ "experimenter multipart",
		  "04 12 0000 00000001 ffff 0000 00000000 00002320 00000000",
		  false, OFPET_BAD_REQUEST, OFPBRC_BAD_EXPERIMENTER },
		{ "multipart without type", "04 12 0000 00000001 0000",
		  false, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
		{ "desc request with a body",
		  "04 12 0000 00000001 0000 0000 00000000 00000000", false,
		  OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
		{ "port stats request of 4 bytes",
		  "04 12 0000 00000001 0004 0000 00000000 ffffffff", false,
		  OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
		{ "flow stats request without a match",
		  "04 12 0000 00000001 0001 0000 00000000"
		  "ff000000 ffffffff ffffffff 00000000"
		  "0000000000000000 0000000000000000", false,
		  OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
		{ "flow stats request with trailing bytes",
		  "04 12 0000 00000001 0001 0000 00000000"
		  "ff000000 ffffffff ffffffff 00000000"
		  "0000000000000000 0000000000000000"
		  "0001 0004 00000000 0000000000000000", false,
		  OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
		{ "flow stats request for table 254",
		  "04 12 0000 00000001 0001 0000 00000000"
		  "fe000000 ffffffff ffffffff 00000000"
		  "0000000000000000 0000000000000000 0001 0004 00000000",
		  false, OFPET_BAD_REQUEST, OFPBRC_BAD_TABLE_ID },
		{ "flow stats request with a bad match",
		  "04 12 0000 00000001 0001 0000 00000000"
		  "ff000000 ffffffff ffffffff 00000000"
		  "0000000000000000 0000000000000000"
		  "0001 000a 80001c02 0050 000000000000", false,
		  OFPET_BAD_MATCH, OFPBMC_BAD_PREREQ },
		{ "packet_out actions_len past the message",
		  "04 0d 0000 00000001 ffffffff fffffffd 0018 000000000000"
		  "0000 0010 00000001 0000 000000000000", false,
		  OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
		{ "packet_out shorter than its fixed part",
		  "04 0d 0000 00000001 ffffffff fffffffd 0000", false,
		  OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
		{ "packet_out from port 0",
		  "04 0d 0000 00000001 ffffffff 00000000 0000 000000000000",
		  false, OFPET_BAD_REQUEST, OFPBRC_BAD_PORT },
		{ "packet_out from OFPP_TABLE",
		  "04 0d 0000 00000001 ffffffff fffffff9 0000 000000000000",
		  false, OFPET_BAD_REQUEST, OFPBRC_BAD_PORT },
		{ "packet_out actions_len cuts an action",
		  "04 0d 0000 00000001 ffffffff fffffffd 0008 000000000000"
		  "0000 0010 00000001 0000 000000000000", false,
		  OFPET_BAD_ACTION, OFPBAC_BAD_LEN },
		{ "set_config of 8 bytes",
		  "04 09 0000 00000001 0000 0080 00000000", false,
		  OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
		{ "set_config flags 4", "04 09 0000 00000001 0004 0080",
		  false, OFPET_SWITCH_CONFIG_FAILED, OFPSCFC_BAD_FLAGS },
		{ "set_config miss_send_len 0xfff0",
		  "04 09 0000 00000001 0000 fff0", false,
		  OFPET_SWITCH_CONFIG_FAILED, OFPSCFC_BAD_LEN },
		{ "port_mod of 24 bytes",
		  "04 10 0000 00000001 00000001 00000000 020000000001 0000"
		  "00000000 00000000", false, OFPET_BAD_REQUEST,
		  OFPBRC_BAD_LEN },
		{ "port_mod of port 0",
		  "04 10 0000 00000001 00000000 00000000 020000000001 0000"
		  "00000001 00000001 00000000 00000000", false,
		  OFPET_PORT_MOD_FAILED, OFPPMFC_BAD_PORT },
		{ "port_mod config bit 3",
		  "04 10 0000 00000001 00000001 00000000 020000000001 0000"
		  "00000008 00000008 00000000 00000000", false,
		  OFPET_PORT_MOD_FAILED, OFPPMFC_BAD_CONFIG },
		{ "port_mod advertise bit 16",
		  "04 10 0000 00000001 00000001 00000000 020000000001 0000"
		  "00000000 00000000 00010000 00000000", false,
		  OFPET_PORT_MOD_FAILED, OFPPMFC_BAD_ADVERTISE },
		{ "table_mod of table 254",
		  "04 11 0000 00000001 fe 000000 00000000", false,
		  OFPET_TABLE_MOD_FAILED, OFPTMFC_BAD_TABLE },
		{ "table_mod config 4",
		  "04 11 0000 00000001 00 000000 00000004", false,
		  OFPET_TABLE_MOD_FAILED, OFPTMFC_BAD_CONFIG },
		{ "role request of 8 bytes",
		  "04 18 0000 00000001 00000002 00000000", false,
		  OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
		{ "role 4",
		  "04 18 0000 00000001 00000004 00000000 0000000000000000",
		  false, OFPET_ROLE_REQUEST_FAILED, OFPRRFC_BAD_ROLE },
		{ "set_async of 20 bytes",
		  "04 1c 0000 00000001 00000000 00000000 00000000 00000000"
		  "00000000", false, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
		{ "queue_get_config of port 0",
		  "04 16 0000 00000001 00000000 00000000", false,
		  OFPET_QUEUE_OP_FAILED, OFPQOFC_BAD_PORT },
		{ "meter_mod bad command",
		  "04 1d 0000 00000001 0003 0001 00000001", false,
		  OFPET_METER_MOD_FAILED, OFPMMFC_BAD_COMMAND },
		{ "meter_mod bad flags",
		  "04 1d 0000 00000001 0000 0010 00000001", false,
		  OFPET_METER_MOD_FAILED, OFPMMFC_BAD_FLAGS },
		{ "meter_mod meter 0",
		  "04 1d 0000 00000001 0000 0001 00000000", false,
		  OFPET_METER_MOD_FAILED, OFPMMFC_INVALID_METER },
		{ "meter_mod unknown band",
		  "04 1d 0000 00000001 0000 0001 00000001"
		  "0003 0010 00000001 00000001 00000000", false,
		  OFPET_METER_MOD_FAILED, OFPMMFC_BAD_BAND },
		{ "meter_mod band past the message",
		  "04 1d 0000 00000001 0000 0001 00000001"
		  "0001 0018 00000001 00000001 00000000", false,
		  OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
		{ "meter_mod drop band of 24 bytes",
		  "04 1d 0000 00000001 0000 0001 00000001"
		  "0001 0018 00000001 00000001 00000000 0000000000000000",
		  false, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
		{ "error without a code", "04 01 0000 00000001 0001", false,
		  OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
		{ "experimenter error without experimenter",
		  "04 01 0000 00000001 ffff 0001 0000", false,
		  OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
	};

	(void)state;
	run_bad_cases(cases, NFV_ARRAY_SIZE(cases));
}

/* Switch-to-controller encoders. */

static void
test_packet_in_clamps_to_max_len(void **state)
{
	static uint8_t frame[1500];
	struct ofp_packet_in pin = {
		.buffer_id = OFP_NO_BUFFER,
		.reason = OFPR_ACTION,
		.table_id = 3,
		.cookie = 0x0102030405060708ull,
		.in_port = 5,
		.max_len = 128,
		.data = frame,
		.packet_len = sizeof(frame),
	};
	static const uint8_t head[] = {
		0x04, 0x0a, 0x00, 0xaa, 0x00, 0x00, 0x00, 0x21,
		0xff, 0xff, 0xff, 0xff, 0x05, 0xdc, 0x01, 0x03,
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
		/* match: in_port=5, padded to 16 */
		0x00, 0x01, 0x00, 0x0c, 0x80, 0x00, 0x00, 0x04,
		0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00,                     /* pad */
	};
	int len;

	(void)state;
	for (size_t i = 0; i < sizeof(frame); i++)
		frame[i] = i;
	len = ofp_encode_packet_in(buf, sizeof(buf), 0x21, &pin);
	assert_int_equal(len, sizeof(head) + 128);
	assert_memory_equal(buf, head, sizeof(head));
	assert_memory_equal(buf + sizeof(head), frame, 128);
	/* Through ofp_encode() too. */
	init_msg(&msg_in, OFPT_PACKET_IN, 0x21);
	msg_in.u.packet_in = pin;
	assert_int_equal(ofp_encode(&msg_in, buf, sizeof(buf)), len);
	assert_memory_equal(buf, head, sizeof(head));
	/* A switch never receives one. */
	decode_fails(buf, len, OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE);
}

static void
test_packet_in_no_buffer_sends_whole_packet(void **state)
{
	static uint8_t frame[70000];
	struct ofp_packet_in pin = {
		.buffer_id = OFP_NO_BUFFER,
		.reason = OFPR_NO_MATCH,
		.in_port = 1,
		.metadata = 0xabcdef,
		.max_len = OFPCML_NO_BUFFER,
		.data = frame,
		.packet_len = 1500,
	};
	struct nfv_match m;
	struct ofp_error err;
	size_t mlen;
	int len;

	(void)state;
	for (size_t i = 0; i < sizeof(frame); i++)
		frame[i] = i * 3;
	len = ofp_encode_packet_in(buf, sizeof(buf), 1, &pin);
	/* The match carries in_port and metadata: 4 + 8 + 12 = 24. */
	assert_int_equal(len, 24 + 24 + 2 + 1500);
	assert_int_equal(be16_at(buf + 12), 1500);
	assert_int_equal(buf[14], OFPR_NO_MATCH);
	assert_int_equal(ofp_decode_match(buf + 24, len - 24, &m, &mlen,
					  &err), 0);
	assert_int_equal(mlen, 24);
	assert_int_equal(m.key.in_port, 1);
	assert_int_equal(m.key.metadata, 0xabcdef);
	assert_int_equal(m.mask.metadata, UINT64_MAX);
	assert_memory_equal(buf + 50, frame, 1500);

	/* max_len larger than the packet: the packet. */
	pin.max_len = 2000;
	len = ofp_encode_packet_in(buf, sizeof(buf), 1, &pin);
	assert_int_equal(len, 50 + 1500);

	/* A packet larger than a message: what fits, total_len clamped. */
	pin.max_len = OFPCML_NO_BUFFER;
	pin.packet_len = sizeof(frame);
	len = ofp_encode_packet_in(buf, sizeof(buf), 1, &pin);
	assert_int_equal(len, OFP_MSG_MAX);
	assert_int_equal(be16_at(buf + 2), OFP_MSG_MAX);
	assert_int_equal(be16_at(buf + 12), 65535);
	assert_memory_equal(buf + 50, frame, OFP_MSG_MAX - 50);

	assert_int_equal(ofp_encode_packet_in(buf, 100, 1, &pin), -ENOSPC);
}

static void
test_flow_removed_encodes(void **state)
{
	static const uint8_t want[] = {
		0x04, 0x0b, 0x00, 0x48, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xbe, 0xef,
		0x00, 0x64, 0x02, 0x00,         /* priority, reason, table */
		0x00, 0x00, 0x00, 0x0a, 0x1d, 0xcd, 0x65, 0x00,
		0x00, 0x05, 0x00, 0x06,         /* idle, hard */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xc0,
		/* match: eth_type=0x0800, ipv4_dst=10.0.0.0/8 */
		0x00, 0x01, 0x00, 0x16,
		0x80, 0x00, 0x0a, 0x02, 0x08, 0x00,
		0x80, 0x00, 0x19, 0x08, 0x0a, 0x00, 0x00, 0x00,
		0xff, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	struct ofp_flow_removed *fr = &msg_in.u.flow_removed;
	struct nfv_flow_spec spec;
	int len;

	(void)state;
	parse_flow("ip,nw_dst=10.0.0.0/8", NFV_FLOW_PARSE_MATCH, &spec);
	init_msg(&msg_in, OFPT_FLOW_REMOVED, 0);
	fr->cookie = 0xbeef;
	fr->priority = 100;
	fr->reason = OFPRR_DELETE;
	fr->table_id = 0;
	fr->duration_sec = 10;
	fr->duration_nsec = 500000000;
	fr->idle_timeout = 5;
	fr->hard_timeout = 6;
	fr->packet_count = 7;
	fr->byte_count = 448;
	fr->match = spec.match;
	len = ofp_encode(&msg_in, buf, sizeof(buf));
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	decode_fails(buf, len, OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE);
}

static void
test_port_status_encodes(void **state)
{
	static const uint8_t want[] = {
		0x04, 0x0c, 0x00, 0x50, 0x00, 0x00, 0x00, 0x00,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00,
		0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 0x00, 0x00,
		/* name cut to 15 characters and a NUL */
		'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h',
		'i', 'j', 'k', 'l', 'm', 'n', 'o', 0,
		0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x04,
		0x00, 0x00, 0x30, 0x40, 0x00, 0x00, 0x20, 0x40,
		0x00, 0x00, 0x30, 0x40, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x98, 0x96, 0x80, 0x00, 0x98, 0x96, 0x80,
	};
	struct ofp_port *p = &msg_in.u.port_status.desc;
	int len;

	(void)state;
	init_msg(&msg_in, OFPT_PORT_STATUS, 0);
	msg_in.u.port_status.reason = OFPPR_MODIFY;
	p->port_no = 7;
	memcpy(p->hw_addr, "\x02\x11\x22\x33\x44\x55", 6);
	memcpy(p->name, "abcdefghijklmnopqrstuvwxyz", OFP_MAX_PORT_NAME_LEN);
	p->config = OFPPC_PORT_DOWN;
	p->state = OFPPS_LIVE;
	p->curr = OFPPF_10GB_FD | OFPPF_FIBER | OFPPF_AUTONEG;
	p->advertised = OFPPF_10GB_FD | OFPPF_AUTONEG;
	p->supported = p->curr;
	p->peer = 0;
	p->curr_speed = 10000000;
	p->max_speed = 10000000;
	len = ofp_encode(&msg_in, buf, sizeof(buf));
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

static void
test_error_encodes_at_most_64_bytes_of_data(void **state)
{
	static uint8_t req[100];
	struct ofp_error e = { OFPET_BAD_ACTION, OFPBAC_BAD_OUT_PORT };
	int len;

	(void)state;
	for (size_t i = 0; i < sizeof(req); i++)
		req[i] = 0x80 + i;
	len = ofp_encode_error(buf, sizeof(buf), 0x55, e, req, sizeof(req));
	assert_int_equal(len, 12 + OFP_ERROR_DATA_MAX);
	assert_int_equal(buf[1], OFPT_ERROR);
	assert_int_equal(be16_at(buf + 2), len);
	assert_int_equal(be32_at(buf + 4), 0x55);
	assert_int_equal(be16_at(buf + 8), OFPET_BAD_ACTION);
	assert_int_equal(be16_at(buf + 10), OFPBAC_BAD_OUT_PORT);
	assert_memory_equal(buf + 12, req, OFP_ERROR_DATA_MAX);
	decode_ok(buf, len, &msg_out);
	assert_int_equal(msg_out.u.error.data_len, OFP_ERROR_DATA_MAX);

	/* Shorter data goes whole; a HELLO_FAILED reason is text. */
	len = ofp_encode_error(buf, sizeof(buf), 0, (struct ofp_error){
		OFPET_HELLO_FAILED, OFPHFC_INCOMPATIBLE }, "1.3 only", 8);
	assert_int_equal(len, 20);
	assert_memory_equal(buf + 12, "1.3 only", 8);
	len = ofp_encode_error(buf, sizeof(buf), 0, e, NULL, 0);
	assert_int_equal(len, 12);
}

static void
test_encode_refuses_what_it_cannot_carry(void **state)
{
	static uint8_t big[OFP_MSG_MAX], payload[OFP_MSG_MAX];
	static uint8_t huge[2 * OFP_MSG_MAX];
	struct ofp_packet_out *po = &msg_in.u.packet_out;

	(void)state;
	init_msg(&msg_in, OFPT_EXPERIMENTER, 1);
	assert_int_equal(ofp_encode(&msg_in, buf, sizeof(buf)), -EINVAL);
	init_msg(&msg_in, OFPT_MULTIPART_REPLY, 1);
	assert_int_equal(ofp_encode(&msg_in, buf, sizeof(buf)), -EINVAL);
	init_msg(&msg_in, 77, 1);
	assert_int_equal(ofp_encode(&msg_in, buf, sizeof(buf)), -EINVAL);

	/* nw_ttl has no OXM number: set_field cannot carry it. */
	init_msg(&msg_in, OFPT_FLOW_MOD, 1);
	nfv_flow_spec_init(&msg_in.u.flow_mod.spec);
	msg_in.u.flow_mod.spec.n_actions = 1;
	msg_in.u.flow_mod.spec.actions[0].type = NFV_ACT_SET_FIELD;
	msg_in.u.flow_mod.spec.actions[0].field = NFV_F_IP_TTL;
	assert_int_equal(ofp_encode(&msg_in, buf, sizeof(buf)), -EINVAL);
	msg_in.u.flow_mod.spec.actions[0].field = NFV_F_N;
	assert_int_equal(ofp_encode(&msg_in, buf, sizeof(buf)), -EINVAL);

	/* Too small a buffer. */
	init_msg(&msg_in, OFPT_ROLE_REQUEST, 1);
	assert_int_equal(ofp_encode(&msg_in, buf, 23), -ENOSPC);
	assert_int_equal(ofp_encode(&msg_in, buf, 24), 24);

	/* A message past 65535 bytes, whatever the buffer. */
	init_msg(&msg_in, OFPT_PACKET_OUT, 1);
	po->buffer_id = OFP_NO_BUFFER;
	po->in_port = NFV_OFPP_CONTROLLER;
	po->data = payload;
	po->data_len = OFP_MSG_MAX;
	assert_int_equal(ofp_encode(&msg_in, huge, sizeof(huge)),
			 -EMSGSIZE);
	assert_int_equal(ofp_encode(&msg_in, big, sizeof(big)), -EMSGSIZE);
	/* The largest one fits in OFP_MSG_MAX bytes. */
	po->data_len = OFP_MSG_MAX - 24;
	assert_int_equal(ofp_encode(&msg_in, big, sizeof(big)), OFP_MSG_MAX);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(ofp_type_name(OFPT_FLOW_MOD), "FLOW_MOD");
	assert_string_equal(ofp_type_name(OFPT_METER_MOD), "METER_MOD");
	assert_string_equal(ofp_type_name(30), "unknown");
	assert_string_equal(ofp_error_type_name(OFPET_BAD_MATCH),
			    "OFPET_BAD_MATCH");
	assert_string_equal(ofp_error_type_name(OFPET_EXPERIMENTER),
			    "OFPET_EXPERIMENTER");
	assert_string_equal(ofp_error_type_name(14), "unknown");
	assert_string_equal(ofp_error_code_name((struct ofp_error){
		OFPET_BAD_MATCH, OFPBMC_BAD_PREREQ }), "OFPBMC_BAD_PREREQ");
	assert_string_equal(ofp_error_code_name((struct ofp_error){
		OFPET_BAD_INSTRUCTION, OFPBIC_DUP_INST }), "OFPBIC_DUP_INST");
	assert_string_equal(ofp_error_code_name((struct ofp_error){
		OFPET_TABLE_FEATURES_FAILED, OFPTFFC_EPERM }),
		"OFPTFFC_EPERM");
	assert_string_equal(ofp_error_code_name((struct ofp_error){
		OFPET_BAD_MATCH, 12 }), "unknown");
	assert_string_equal(ofp_error_code_name((struct ofp_error){
		OFPET_EXPERIMENTER, 0 }), "unknown");
}

/* The multipart writer. Sent messages are kept for the test to read. */

struct sent {
	uint8_t **msgs;
	size_t *lens;
	size_t n, cap;
	int fail_after;         /* fail the send after this many, -1 never */
};

static int
collect(void *arg, const void *m, size_t len)
{
	struct sent *s = arg;

	if (s->fail_after >= 0 && s->n >= (size_t)s->fail_after)
		return -EPIPE;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->msgs = realloc(s->msgs, s->cap * sizeof(*s->msgs));
		s->lens = realloc(s->lens, s->cap * sizeof(*s->lens));
		assert_non_null(s->msgs);
		assert_non_null(s->lens);
	}
	s->msgs[s->n] = malloc(len);
	assert_non_null(s->msgs[s->n]);
	memcpy(s->msgs[s->n], m, len);
	s->lens[s->n++] = len;
	return 0;
}

static void
sent_free(struct sent *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->msgs[i]);
	free(s->msgs);
	free(s->lens);
	memset(s, 0, sizeof(*s));
}

static struct ofp_mp_writer *writer;
static struct sent sent;

static int
setup_writer(void **state)
{
	(void)state;
	writer = malloc(sizeof(*writer));
	memset(&sent, 0, sizeof(sent));
	sent.fail_after = -1;
	return writer ? 0 : -1;
}

static int
teardown_writer(void **state)
{
	(void)state;
	free(writer);
	writer = NULL;
	sent_free(&sent);
	return 0;
}

/* Checks the headers of every sent message: MULTIPART_REPLY of 'type'
 * to 'xid', REPLY_MORE on all but the last. */
static void
check_reply_headers(uint16_t type, uint32_t xid)
{
	struct ofp_mp_reply r;
	struct ofp_error err;

	assert_true(sent.n > 0);
	for (size_t i = 0; i < sent.n; i++) {
		assert_true(sent.lens[i] <= OFP_MSG_MAX);
		assert_int_equal(ofp_decode_mp_reply(sent.msgs[i],
						     sent.lens[i], &r, &err),
				 0);
		assert_int_equal(r.xid, xid);
		assert_int_equal(r.type, type);
		assert_int_equal(r.flags, i + 1 < sent.n ?
				 OFPMPF_REPLY_MORE : 0);
		assert_ptr_equal(r.body, sent.msgs[i] + 16);
		assert_int_equal(r.body_len, sent.lens[i] - 16);
	}
}

#define N_FLOW_STATS 10000

static void
make_flow_stats(struct ofp_flow_stats *fs, const struct nfv_flow_spec *base,
		unsigned int i)
{
	union nfv_field_value v;

	memset(fs, 0, offsetof(struct ofp_flow_stats, spec));
	fs->spec = *base;
	fs->duration_sec = i;
	fs->duration_nsec = i * 1000;
	fs->packet_count = (uint64_t)i * 3;
	fs->byte_count = (uint64_t)i * 3 * 64;
	fs->spec.table_id = i % 8;
	fs->spec.priority = i;
	fs->spec.cookie = 0x100000000ull + i;
	fs->spec.idle_timeout = i % 100;
	fs->spec.flags = i % 2 ? NFV_FF_SEND_FLOW_REM : 0;
	memset(&v, 0, sizeof(v));
	v.u8[0] = i >> 8;
	v.u8[1] = i;
	nfv_match_set(&fs->spec.match, &nfv_fields[NFV_F_TCP_DST], &v, NULL);
	memset(&v, 0, sizeof(v));
	v.u8[3] = i % 64 + 1;
	nfv_match_set(&fs->spec.match, &nfv_fields[NFV_F_IN_PORT], &v, NULL);
	fs->spec.actions[0].arg.port = i % 64 + 1;
}

static void
test_mp_writer_splits_10000_flow_stats(void **state)
{
	static struct ofp_flow_stats fs, got;
	struct nfv_flow_spec base;
	size_t entry_len = 0, total = 0;
	unsigned int next = 0;

	(void)state;
	parse_flow("tcp,in_port=1,tp_dst=1,actions=output:1",
		   NFV_FLOW_PARSE_ADD, &base);
	ofp_mp_writer_init(writer, OFPMP_FLOW, 0x77, collect, &sent);
	for (unsigned int i = 0; i < N_FLOW_STATS; i++) {
		make_flow_stats(&fs, &base, i);
		assert_int_equal(ofp_mp_add_flow_stats(writer, &fs), 0);
	}
	assert_int_equal(ofp_mp_writer_finish(writer), 0);
	assert_int_equal(writer->n_msgs, sent.n);
	check_reply_headers(OFPMP_FLOW, 0x77);
	assert_true(sent.n > 1);

	for (size_t m = 0; m < sent.n; m++) {
		struct ofp_mp_reply r;
		struct ofp_error err;
		const uint8_t *body;
		size_t len;
		int ret;

		assert_int_equal(ofp_decode_mp_reply(sent.msgs[m],
						     sent.lens[m], &r, &err),
				 0);
		body = r.body;
		len = r.body_len;
		while ((ret = ofp_decode_flow_stats(&body, &len, &got,
						    &err)) == 1) {
			if (!entry_len)
				entry_len = be16_at(r.body);
			make_flow_stats(&fs, &base, next++);
			assert_int_equal(got.duration_sec, fs.duration_sec);
			assert_int_equal(got.duration_nsec, fs.duration_nsec);
			assert_int_equal(got.packet_count, fs.packet_count);
			assert_int_equal(got.byte_count, fs.byte_count);
			assert_int_equal(got.spec.table_id, fs.spec.table_id);
			assert_int_equal(got.spec.priority, fs.spec.priority);
			assert_int_equal(got.spec.cookie, fs.spec.cookie);
			assert_int_equal(got.spec.idle_timeout,
					 fs.spec.idle_timeout);
			assert_int_equal(got.spec.flags, fs.spec.flags);
			assert_flow_equal(&got.spec, &fs.spec);
		}
		assert_int_equal(ret, 0);
		assert_int_equal(len, 0);
		total += r.body_len;
		/* Every message but the last is as full as it can be. */
		if (m + 1 < sent.n)
			assert_true(sent.lens[m] + entry_len > OFP_MSG_MAX);
	}
	assert_int_equal(next, N_FLOW_STATS);
	assert_int_equal(total, N_FLOW_STATS * entry_len);
}

static void
test_mp_writer_empty_reply_is_one_message(void **state)
{
	static const uint8_t want[] = {
		0x04, 0x13, 0x00, 0x10, 0x00, 0x00, 0x00, 0x09,
		0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	struct ofp_flow_stats fs;
	struct ofp_mp_reply r;
	struct ofp_error err;
	const uint8_t *body;
	size_t len;

	(void)state;
	ofp_mp_writer_init(writer, OFPMP_FLOW, 9, collect, &sent);
	assert_int_equal(ofp_mp_writer_finish(writer), 0);
	assert_int_equal(sent.n, 1);
	assert_int_equal(sent.lens[0], sizeof(want));
	assert_memory_equal(sent.msgs[0], want, sizeof(want));
	assert_int_equal(ofp_decode_mp_reply(sent.msgs[0], sent.lens[0], &r,
					     &err), 0);
	assert_int_equal(r.flags, 0);
	body = r.body;
	len = r.body_len;
	assert_int_equal(ofp_decode_flow_stats(&body, &len, &fs, &err), 0);
}

static void
test_mp_writer_reports_send_errors(void **state)
{
	static struct ofp_table_stats ts;
	int ret = 0;

	(void)state;
	sent.fail_after = 1;
	ofp_mp_writer_init(writer, OFPMP_TABLE, 1, collect, &sent);
	/* 24-byte entries: the second message fails. */
	for (unsigned int i = 0; i < 10000 && ret == 0; i++)
		ret = ofp_mp_add_table_stats(writer, &ts);
	assert_int_equal(ret, -EPIPE);
	assert_int_equal(sent.n, 1);
	/* Later calls do nothing and give the first error. */
	assert_int_equal(ofp_mp_add_table_stats(writer, &ts), -EPIPE);
	assert_int_equal(ofp_mp_writer_finish(writer), -EPIPE);
	assert_int_equal(sent.n, 1);
}

static void
test_mp_writer_refuses_entry_larger_than_a_message(void **state)
{
	static uint8_t big[OFP_MSG_MAX];

	(void)state;
	ofp_mp_writer_init(writer, OFPMP_DESC, 1, collect, &sent);
	assert_int_equal(ofp_mp_add_raw(writer, big, OFP_MSG_MAX - 15),
			 -EMSGSIZE);
	assert_int_equal(ofp_mp_add_raw(writer, big, OFP_MSG_MAX - 16), 0);
	assert_int_equal(ofp_mp_writer_finish(writer), 0);
	assert_int_equal(sent.n, 1);
	assert_int_equal(sent.lens[0], OFP_MSG_MAX);
}

static void
test_mp_writer_entry_sizes(void **state)
{
	static struct ofp_desc desc;
	static struct ofp_group_stats gs = { .n_buckets = 3 };
	static struct nfv_group_spec g;
	static const struct ofp_aggregate_stats as = { 1, 2, 3 };
	static const struct ofp_table_stats ts = { 1, 2, 3, 4 };
	static const struct ofp_port_stats ps = { .port_no = 1 };
	static const struct ofp_queue_stats qs = { .port_no = 1 };
	static const struct ofp_group_features gf = { .types = 0xf };
	static const struct ofp_meter_features mf = { .max_meter = 0 };
	static const struct ofp_port port = { .port_no = 1, .name = "p1" };
	static const char *const acts[] = { "output:1" };
	const struct {
		uint16_t type;
		size_t len;
	} want[] = {
		{ OFPMP_DESC, 1056 }, { OFPMP_AGGREGATE, 24 },
		{ OFPMP_TABLE, 24 }, { OFPMP_PORT_STATS, 112 },
		{ OFPMP_QUEUE, 40 }, { OFPMP_GROUP, 40 + 3 * 16 },
		{ OFPMP_GROUP_DESC, 8 + 16 + 16 },
		{ OFPMP_GROUP_FEATURES, 40 }, { OFPMP_METER_FEATURES, 16 },
		{ OFPMP_PORT_DESC, 64 },
	};

	(void)state;
	strcpy(desc.mfr_desc, "nfvswitch");
	/* Not NUL-terminated: cut to 31 characters. */
	memset(desc.serial_num, 'x', sizeof(desc.serial_num));
	make_group(&g, 1, NFV_GT_INDIRECT, acts, 1);
	for (size_t i = 0; i < NFV_ARRAY_SIZE(want); i++) {
		int ret = 0;

		sent_free(&sent);
		sent.fail_after = -1;
		ofp_mp_writer_init(writer, want[i].type, 1, collect, &sent);
		switch (want[i].type) {
		case OFPMP_DESC:
			ret = ofp_mp_add_desc(writer, &desc);
			break;
		case OFPMP_AGGREGATE:
			ret = ofp_mp_add_aggregate(writer, &as);
			break;
		case OFPMP_TABLE:
			ret = ofp_mp_add_table_stats(writer, &ts);
			break;
		case OFPMP_PORT_STATS:
			ret = ofp_mp_add_port_stats(writer, &ps);
			break;
		case OFPMP_QUEUE:
			ret = ofp_mp_add_queue_stats(writer, &qs);
			break;
		case OFPMP_GROUP:
			ret = ofp_mp_add_group_stats(writer, &gs);
			break;
		case OFPMP_GROUP_DESC:
			ret = ofp_mp_add_group_desc(writer, &g);
			break;
		case OFPMP_GROUP_FEATURES:
			ret = ofp_mp_add_group_features(writer, &gf);
			break;
		case OFPMP_METER_FEATURES:
			ret = ofp_mp_add_meter_features(writer, &mf);
			break;
		case OFPMP_PORT_DESC:
			ret = ofp_mp_add_port_desc(writer, &port);
			break;
		}
		assert_int_equal(ret, 0);
		assert_int_equal(ofp_mp_writer_finish(writer), 0);
		assert_int_equal(sent.n, 1);
		assert_int_equal(sent.lens[0], 16 + want[i].len);
		check_reply_headers(want[i].type, 1);
	}
	/* Strings are NUL-terminated within their width. */
	sent_free(&sent);
	sent.fail_after = -1;
	ofp_mp_writer_init(writer, OFPMP_DESC, 1, collect, &sent);
	assert_int_equal(ofp_mp_add_desc(writer, &desc), 0);
	assert_int_equal(ofp_mp_writer_finish(writer), 0);
	assert_string_equal((const char *)sent.msgs[0] + 16, "nfvswitch");
	assert_int_equal(sent.msgs[0][16 + 3 * 256 + 31], 0);
	assert_memory_equal(sent.msgs[0] + 16 + 3 * 256, desc.serial_num, 31);
	assert_int_equal(sent.msgs[0][16 + 3 * 256 + 32], 0);
	/* Group stats with more buckets than a group has. */
	gs.n_buckets = NFV_GROUP_MAX_BUCKETS + 1;
	ofp_mp_writer_init(writer, OFPMP_GROUP, 1, collect, &sent);
	assert_int_equal(ofp_mp_add_group_stats(writer, &gs), -EINVAL);
	gs.n_buckets = 3;
}

static void
test_mp_writer_group_desc_matches_group_mod(void **state)
{
	static const char *const acts[] = {
		"output:1", "set_field:10.0.0.1->ipv4_dst,output:2",
	};
	static struct nfv_group_spec g;
	int len;

	(void)state;
	/* A group desc entry is a group_mod body with a length in front:
	 * length, type, pad, group_id, buckets. */
	make_group(&g, 42, NFV_GT_SELECT, acts, 2);
	ofp_mp_writer_init(writer, OFPMP_GROUP_DESC, 1, collect, &sent);
	assert_int_equal(ofp_mp_add_group_desc(writer, &g), 0);
	assert_int_equal(ofp_mp_writer_finish(writer), 0);
	init_msg(&msg_in, OFPT_GROUP_MOD, 1);
	msg_in.u.group_mod.command = OFPGC_ADD;
	msg_in.u.group_mod.spec = g;
	len = ofp_encode(&msg_in, buf, sizeof(buf));
	assert_int_equal(sent.lens[0], 16 + len - 8);
	assert_int_equal(be16_at(sent.msgs[0] + 16), len - 8);
	assert_int_equal(sent.msgs[0][18], NFV_GT_SELECT);
	assert_memory_equal(sent.msgs[0] + 20, buf + 12, len - 12);
}

/* Walks the properties of one table features entry at 'p' ('len'
 * bytes): each has a type, a length without padding, and is padded to 8.
 * Returns the bitmap of property types seen. */
static uint32_t
check_tf_props(const uint8_t *p, size_t len, uint8_t table_id)
{
	uint32_t seen = 0;
	size_t off = 64;

	while (off < len) {
		uint16_t type = be16_at(p + off);
		uint16_t plen = be16_at(p + off + 2);

		assert_true(plen >= 4);
		assert_true(off + ((plen + 7u) & ~7u) <= len);
		seen |= 1u << type;
		if (type == 2) {        /* NEXT_TABLES */
			assert_int_equal(plen - 4, NFV_N_TABLES - 1 - table_id);
			for (unsigned int i = 0; i < plen - 4u; i++)
				assert_int_equal(p[off + 4 + i],
						 table_id + 1 + i);
		} else if (type == 0) { /* INSTRUCTIONS: goto needs a next */
			bool has_goto = false;

			for (unsigned int i = 4; i < plen; i += 4) {
				assert_int_equal(be16_at(p + off + i + 2), 4);
				has_goto |= be16_at(p + off + i) ==
					    OFPIT_GOTO_TABLE;
			}
			assert_int_equal(has_goto,
					 table_id + 1 < NFV_N_TABLES);
		} else if (type == 8) { /* MATCH: OXM ids */
			assert_int_equal((plen - 4) % 4, 0);
			for (unsigned int i = 4; i < plen; i += 4)
				assert_int_equal(be16_at(p + off + i),
						 OFPXMC_OPENFLOW_BASIC);
		}
		off += (plen + 7u) & ~7u;
	}
	assert_int_equal(off, len);
	return seen;
}

static void
test_mp_writer_table_features_for_254_tables(void **state)
{
	static struct ofp_table_features tf;
	unsigned int next = 0;

	(void)state;
	ofp_mp_writer_init(writer, OFPMP_TABLE_FEATURES, 3, collect, &sent);
	for (unsigned int t = 0; t < NFV_N_TABLES; t++) {
		memset(&tf, 0, sizeof(tf));
		tf.table_id = t;
		snprintf(tf.name, sizeof(tf.name), "table%u", t);
		tf.metadata_match = UINT64_MAX;
		tf.metadata_write = UINT64_MAX;
		tf.max_entries = 1000000;
		tf.n_tables = NFV_N_TABLES;
		assert_int_equal(ofp_mp_add_table_features(writer, &tf), 0);
	}
	assert_int_equal(ofp_mp_writer_finish(writer), 0);
	assert_true(sent.n > 1);
	check_reply_headers(OFPMP_TABLE_FEATURES, 3);
	for (size_t m = 0; m < sent.n; m++) {
		const uint8_t *p = sent.msgs[m] + 16;
		size_t left = sent.lens[m] - 16;

		assert_true(left > 0);
		while (left) {
			size_t elen = be16_at(p);
			char name[OFP_MAX_TABLE_NAME_LEN + 1] = "";
			char want[OFP_MAX_TABLE_NAME_LEN];
			uint32_t props;

			assert_true(elen >= 64 && elen % 8 == 0);
			assert_true(elen <= left);
			assert_int_equal(p[2], next);
			memcpy(name, p + 8, OFP_MAX_TABLE_NAME_LEN);
			snprintf(want, sizeof(want), "table%u", next);
			assert_string_equal(name, want);
			assert_int_equal(be64_at(p + 40), UINT64_MAX);
			assert_int_equal(be32_at(p + 60), 1000000);
			props = check_tf_props(p, elen, next);
			/* instructions, next tables, write and apply
			 * actions, match, wildcards, write and apply
			 * set-field */
			assert_int_equal(props, 0x5555);
			p += elen;
			left -= elen;
			next++;
		}
	}
	assert_int_equal(next, NFV_N_TABLES);
}

/* Matches. */

static void
match_round_trip(const struct nfv_match *m)
{
	static uint8_t mb[2048];
	struct nfv_match got;
	struct ofp_error err;
	size_t mlen;
	int len;

	len = ofp_encode_match(m, mb, sizeof(mb));
	assert_true(len >= 8);
	assert_int_equal(len % 8, 0);
	assert_int_equal(be16_at(mb), OFPMT_OXM);
	assert_int_equal((be16_at(mb + 2) + 7) & ~7, len);
	assert_int_equal(ofp_decode_match(mb, len, &got, &mlen, &err), 0);
	assert_int_equal(mlen, len);
	assert_match_equal(&got, m);
	assert_int_equal(ofp_encode_match(m, mb, len - 1), -ENOSPC);
}

static void
test_match_round_trip(void **state)
{
	static const char *const matches[] = {
		"",
		"in_port=1",
		"in_port=4294967040",
		"metadata=0x123456789abcdef0",
		"metadata=0xf0/0xf0",
		"dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb",
		"dl_dst=01:00:00:00:00:00/01:00:00:00:00:00",
		"dl_type=0x88cc",
		"dl_vlan=100",
		"dl_vlan=100,dl_vlan_pcp=7",
		"vlan_vid=0",
		"vlan_vid=0x1000/0x1000",
		"vlan_vid=0x1005/0x1fff",
		"vlan_vid=0x0005/0x0fff",
		"ip",
		"ip,nw_src=10.0.0.1,nw_dst=10.0.0.0/8,ip_dscp=63,ip_ecn=3",
		"ip,nw_src=0.0.0.0/0.0.0.1",
		"tcp,tp_src=80,tp_dst=8080",
		"tcp,tcp_src=0x8000/0x8000,tcp_dst=1024/0xfc00",
		"udp,udp_src=53,udp_dst=5353",
		"udp,tp_dst=0x10/0xf0",
		"sctp,sctp_src=1,sctp_dst=2",
		"icmp,icmp_type=8,icmp_code=0",
		"icmp,icmp_type=3",
		"arp,arp_op=2,arp_spa=10.0.0.1,arp_tpa=10.0.0.0/24",
		"arp,arp_sha=00:11:22:33:44:55,arp_tha=ff:ff:ff:ff:ff:ff",
		"ipv6,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::/64",
		"ipv6,ipv6_label=0xfffff",
		"ipv6,ipv6_label=0x10000/0xf0000",
		"tcp6,tp_dst=443",
		"udp6,udp_src=546",
		"icmp6,icmpv6_type=128,icmpv6_code=0",
		"icmp6,icmpv6_type=135,nd_target=fe80::1,"
		"nd_sll=00:00:00:00:00:01",
		"icmp6,icmpv6_type=136,nd_target=fe80::/10,"
		"nd_tll=00:00:00:00:00:02",
		"ipv6,ipv6_exthdr=0x1ff",
		"ipv6,ipv6_exthdr=0x40/0x40",
		"in_port=3,dl_vlan=5,dl_vlan_pcp=1,tcp,nw_src=1.2.3.4,"
		"nw_dst=5.6.7.8/30,tp_src=1,tp_dst=2,metadata=0x1/0x1,"
		"dl_src=00:00:00:00:00:01/00:00:00:00:00:ff",
	};
	struct nfv_flow_spec spec;

	(void)state;
	for (size_t i = 0; i < NFV_ARRAY_SIZE(matches); i++) {
		print_message("  %s\n", matches[i]);
		parse_flow(matches[i], NFV_FLOW_PARSE_MATCH, &spec);
		match_round_trip(&spec.match);
	}
}

/* Random masks on every maskable field, with the prerequisites each
 * needs. */
static void
test_match_round_trip_random_masks(void **state)
{
	static const char *const bases[] = {
		"tcp", "udp", "sctp", "arp", "ipv6", "icmp6,icmpv6_type=135",
		"icmp6,icmpv6_type=136", "dl_vlan=1",
	};
	struct nfv_flow_spec spec;
	uint32_t seed = 12345;

	(void)state;
	for (unsigned int round = 0; round < 2000; round++) {
		parse_flow(bases[round % NFV_ARRAY_SIZE(bases)],
			   NFV_FLOW_PARSE_MATCH, &spec);
		for (unsigned int i = 0; i < NFV_F_N; i++) {
			const struct nfv_field *f = &nfv_fields[i];
			union nfv_field_value v, mask;
			unsigned int len = nfv_field_value_len(f);

			if (f->oxm_field < 0 || !f->maskable ||
			    !nfv_match_prereq_ok(&spec.match, f->prereq))
				continue;
			/* Fields sharing storage with one already set. */
			if (nfv_match_get(&spec.match, f, &v, &mask))
				continue;
			seed = seed * 1103515245 + 12345;
			if (seed >> 30)
				continue;
			memset(&v, 0, sizeof(v));
			memset(&mask, 0, sizeof(mask));
			for (unsigned int b = 0; b < len; b++) {
				seed = seed * 1103515245 + 12345;
				v.u8[b] = seed >> 16;
				mask.u8[b] = seed >> 8;
			}
			if (f->n_bits % 8) {
				v.u8[0] &= (1u << f->n_bits % 8) - 1;
				mask.u8[0] &= (1u << f->n_bits % 8) - 1;
			}
			if (i == NFV_F_VLAN_VID)
				continue;       /* the base sets it */
			if (i == NFV_F_IN_PORT)
				continue;
			nfv_match_set(&spec.match, f, &v, &mask);
		}
		match_round_trip(&spec.match);
	}
}

/* The OXM field numbers in the encoded match, in order. */
static size_t
encoded_fields(const char *text, unsigned int *fields, size_t max)
{
	static uint8_t mb[2048];
	struct nfv_flow_spec spec;
	size_t n = 0, mlen;
	int len;

	parse_flow(text, NFV_FLOW_PARSE_MATCH, &spec);
	len = ofp_encode_match(&spec.match, mb, sizeof(mb));
	assert_true(len > 0);
	mlen = be16_at(mb + 2);
	for (size_t off = 4; off < mlen; off += 4 + mb[off + 3]) {
		assert_int_equal(be16_at(mb + off), OFPXMC_OPENFLOW_BASIC);
		assert_true(n < max);
		fields[n++] = mb[off + 2] >> 1;
	}
	return n;
}

static void
test_match_shared_fields_named_by_prerequisite(void **state)
{
	static const struct {
		const char *text;
		unsigned int fields[6];
		size_t n;
	} cases[] = {
		{ "tcp,tp_src=1,tp_dst=2", { 5, 10, 13, 14 }, 4 },
		{ "udp,tp_src=1,tp_dst=2", { 5, 10, 15, 16 }, 4 },
		{ "sctp,tp_src=1,tp_dst=2", { 5, 10, 17, 18 }, 4 },
		{ "icmp,icmp_type=1,icmp_code=2", { 5, 10, 19, 20 }, 4 },
		{ "icmp6,icmpv6_type=1,icmpv6_code=2", { 5, 10, 29, 30 }, 4 },
		{ "tcp6,tp_dst=2", { 5, 10, 14 }, 3 },
		{ "arp,arp_spa=1.2.3.4,arp_tpa=1.2.3.5", { 5, 22, 23 }, 3 },
		{ "ip,nw_src=1.2.3.4,nw_dst=1.2.3.5", { 5, 11, 12 }, 3 },
		{ "arp,arp_sha=00:00:00:00:00:01,arp_tha=00:00:00:00:00:02",
		  { 5, 24, 25 }, 3 },
		{ "icmp6,icmpv6_type=135,nd_sll=00:00:00:00:00:01",
		  { 5, 10, 29, 32 }, 4 },
		{ "icmp6,icmpv6_type=136,nd_tll=00:00:00:00:00:01",
		  { 5, 10, 29, 33 }, 4 },
	};
	unsigned int got[32];

	(void)state;
	for (size_t i = 0; i < NFV_ARRAY_SIZE(cases); i++) {
		size_t n;

		print_message("  %s\n", cases[i].text);
		n = encoded_fields(cases[i].text, got, NFV_ARRAY_SIZE(got));
		assert_int_equal(n, cases[i].n);
		for (size_t j = 0; j < n; j++)
			assert_int_equal(got[j], cases[i].fields[j]);
	}
}

static void
test_match_decodes_from_wire(void **state)
{
	struct nfv_flow_spec expect;
	struct nfv_match m;
	struct ofp_error err;
	size_t mlen;

	(void)state;
	/* The OXM form of "udp,in_port=2,nw_src=10.0.0.0/8,udp_dst=53". */
	w.n = 0;
	w_match(&w, "80000004 00000002 80000a02 0800 80001401 11"
		    "80001708 0a000000 ff000000 80002002 0035");
	assert_int_equal(w.n, 48);
	assert_int_equal(ofp_decode_match(w.b, w.n, &m, &mlen, &err), 0);
	assert_int_equal(mlen, 48);
	parse_flow("udp,in_port=2,nw_src=10.0.0.0/8,udp_dst=53",
		   NFV_FLOW_PARSE_MATCH, &expect);
	assert_match_equal(&m, &expect.match);
	/* A length that leaves out the padding is refused. */
	assert_int_equal(ofp_decode_match(w.b, 44, &m, &mlen, &err),
			 -EBADMSG);
	assert_int_equal(err.type, OFPET_BAD_MATCH);
	assert_int_equal(err.code, OFPBMC_BAD_LEN);
	assert_int_equal(ofp_decode_match(w.b, 3, &m, &mlen, &err), -EBADMSG);
	assert_int_equal(err.code, OFPBMC_BAD_LEN);
	/* An all-ones mask is an exact match. */
	w.n = 0;
	w_match(&w, "80000a02 0800 80001908 0a000001 ffffffff");
	assert_int_equal(ofp_decode_match(w.b, w.n, &m, &mlen, &err), 0);
	parse_flow("ip,nw_dst=10.0.0.1", NFV_FLOW_PARSE_MATCH, &expect);
	assert_match_equal(&m, &expect.match);
}

static void
test_flow_stats_decoder_rejects_bad_entries(void **state)
{
	static struct ofp_flow_stats fs;
	struct ofp_error err;
	const uint8_t *body;
	size_t len;

	(void)state;
	/* length 48 + empty match + output:2 */
	w.n = 0;
	w_hex(&w, "0050 03 00 00000001 00000002 0064 0000 0000 0000 00000000"
		  "0000000000000005 0000000000000006 0000000000000007"
		  "0001 0004 00000000"
		  "0004 0018 00000000 0000 0010 00000002 0000 000000000000");
	assert_int_equal(w.n, 0x50);
	body = w.b;
	len = w.n;
	assert_int_equal(ofp_decode_flow_stats(&body, &len, &fs, &err), 1);
	assert_int_equal(len, 0);
	assert_int_equal(fs.spec.table_id, 3);
	assert_int_equal(fs.spec.priority, 100);
	assert_int_equal(fs.spec.cookie, 5);
	assert_int_equal(fs.packet_count, 6);
	assert_int_equal(fs.byte_count, 7);
	assert_int_equal(fs.spec.n_actions, 1);
	/* An entry longer than the body. */
	w_patch16(&w, 0, 0x58);
	body = w.b;
	len = w.n;
	assert_int_equal(ofp_decode_flow_stats(&body, &len, &fs, &err),
			 -EBADMSG);
	assert_int_equal(err.type, OFPET_BAD_REQUEST);
	assert_int_equal(err.code, OFPBRC_BAD_LEN);
	/* Not a multiple of 8. */
	w_patch16(&w, 0, 0x4c);
	body = w.b;
	len = w.n;
	assert_int_equal(ofp_decode_flow_stats(&body, &len, &fs, &err),
			 -EBADMSG);
	/* A trailing fragment. */
	w_patch16(&w, 0, 0x50);
	body = w.b;
	len = 60;
	assert_int_equal(ofp_decode_flow_stats(&body, &len, &fs, &err),
			 -EBADMSG);
	/* A reply header with a wrong length or type. */
	w.n = 0;
	w_hex(&w, "04 13 0011 00000001 0001 0000 00000000");
	assert_int_equal(ofp_decode_mp_reply(w.b, 16, &(struct ofp_mp_reply){ 0 },
					     &err), -EBADMSG);
	assert_int_equal(err.code, OFPBRC_BAD_LEN);
	w.b[3] = 0x10;
	w.b[1] = OFPT_MULTIPART_REQUEST;
	assert_int_equal(ofp_decode_mp_reply(w.b, 16, &(struct ofp_mp_reply){ 0 },
					     &err), -EBADMSG);
	assert_int_equal(err.code, OFPBRC_BAD_TYPE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frame_len_needs_a_whole_header),
		cmocka_unit_test(test_frame_len_rejects_length_below_header),
		cmocka_unit_test(test_frame_len_gives_exact_length),
		cmocka_unit_test(test_hello_without_bitmap),
		cmocka_unit_test(test_hello_with_bitmap),
		cmocka_unit_test(test_hello_encodes_version_bitmap),
		cmocka_unit_test(test_echo_round_trip),
		cmocka_unit_test(test_empty_messages_round_trip),
		cmocka_unit_test(test_features_reply_encodes),
		cmocka_unit_test(test_set_config_round_trip),
		cmocka_unit_test(test_flow_mod_add_round_trip),
		cmocka_unit_test(test_flow_mod_modify_round_trip),
		cmocka_unit_test(test_flow_mod_delete_round_trip),
		cmocka_unit_test(test_flow_mod_instructions_decode_in_any_order),
		cmocka_unit_test(test_flow_mod_write_actions_keep_one_per_kind),
		cmocka_unit_test(test_flow_mod_write_actions_checked_in_execution_order),
		cmocka_unit_test(test_flow_mod_from_ovs_ofctl_decodes),
		cmocka_unit_test(test_flow_mod_with_instructions_from_wire_decodes),
		cmocka_unit_test(test_group_mod_round_trip),
		cmocka_unit_test(test_group_mod_from_wire_decodes),
		cmocka_unit_test(test_port_mod_round_trip),
		cmocka_unit_test(test_table_mod_round_trip),
		cmocka_unit_test(test_packet_out_round_trip),
		cmocka_unit_test(test_multipart_request_round_trip),
		cmocka_unit_test(test_multipart_request_refuses_req_more),
		cmocka_unit_test(test_queue_get_config_request_round_trip),
		cmocka_unit_test(test_role_request_round_trip),
		cmocka_unit_test(test_set_async_round_trip),
		cmocka_unit_test(test_meter_mod_round_trip),
		cmocka_unit_test(test_error_round_trip),
		cmocka_unit_test(test_decode_rejects_bad_headers),
		cmocka_unit_test(test_decode_rejects_truncated_flow_mod),
		cmocka_unit_test(test_decode_rejects_bad_flow_mod_fields),
		cmocka_unit_test(test_decode_rejects_bad_matches),
		cmocka_unit_test(test_decode_accepts_prerequisites_in_any_order),
		cmocka_unit_test(test_decode_rejects_bad_instructions),
		cmocka_unit_test(test_decode_rejects_bad_actions),
		cmocka_unit_test(test_decode_rejects_bad_group_mods),
		cmocka_unit_test(test_decode_rejects_bad_bodies),
		cmocka_unit_test(test_packet_in_clamps_to_max_len),
		cmocka_unit_test(test_packet_in_no_buffer_sends_whole_packet),
		cmocka_unit_test(test_flow_removed_encodes),
		cmocka_unit_test(test_port_status_encodes),
		cmocka_unit_test(test_error_encodes_at_most_64_bytes_of_data),
		cmocka_unit_test(test_encode_refuses_what_it_cannot_carry),
		cmocka_unit_test(test_names),
		cmocka_unit_test_setup_teardown(
			test_mp_writer_splits_10000_flow_stats,
			setup_writer, teardown_writer),
		cmocka_unit_test_setup_teardown(
			test_mp_writer_empty_reply_is_one_message,
			setup_writer, teardown_writer),
		cmocka_unit_test_setup_teardown(
			test_mp_writer_reports_send_errors,
			setup_writer, teardown_writer),
		cmocka_unit_test_setup_teardown(
			test_mp_writer_refuses_entry_larger_than_a_message,
			setup_writer, teardown_writer),
		cmocka_unit_test_setup_teardown(test_mp_writer_entry_sizes,
						setup_writer, teardown_writer),
		cmocka_unit_test_setup_teardown(
			test_mp_writer_group_desc_matches_group_mod,
			setup_writer, teardown_writer),
		cmocka_unit_test_setup_teardown(
			test_mp_writer_table_features_for_254_tables,
			setup_writer, teardown_writer),
		cmocka_unit_test(test_match_round_trip),
		cmocka_unit_test(test_match_round_trip_random_masks),
		cmocka_unit_test(test_match_shared_fields_named_by_prerequisite),
		cmocka_unit_test(test_match_decodes_from_wire),
		cmocka_unit_test(test_flow_stats_decoder_rejects_bad_entries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
