/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared only by the ofp_codec*.c files: big-endian loads, an output
 * buffer that remembers when it ran out of room (so encoders write
 * straight through and check once), the error helper, and the functions
 * one codec file offers the others (matches, actions, instructions,
 * group buckets, multipart requests).
 */
#ifndef NFV_OFP_CODEC_PRIV_H
#define NFV_OFP_CODEC_PRIV_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ofp_codec.h"

/* Fixed sizes of the wire structures. */
#define OFP_MATCH_MIN_LEN 8             /* empty ofp_match with padding */
#define OFP_FLOW_MOD_LEN 48             /* before the match */
#define OFP_FLOW_STATS_LEN 48           /* before the match */
#define OFP_FLOW_STATS_REQ_LEN 32       /* body, before the match */
#define OFP_FLOW_REMOVED_LEN 48         /* before the match */
#define OFP_PACKET_IN_LEN 24            /* before the match */
#define OFP_PACKET_OUT_LEN 24
#define OFP_GROUP_MOD_LEN 16
#define OFP_BUCKET_LEN 16
#define OFP_MP_HEADER_LEN 16            /* header + type, flags, pad */
#define OFP_PORT_LEN 64
#define OFP_INSTRUCTION_ACTIONS_LEN 8
#define OFP_ACTION_HEADER_LEN 8

static inline uint16_t
ofp_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
ofp_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t
ofp_get64(const uint8_t *p)
{
	return (uint64_t)ofp_get32(p) << 32 | ofp_get32(p + 4);
}

static inline size_t
ofp_pad8(size_t len)
{
	return (len + 7) & ~(size_t)7;
}

/* Stores 'e' in '*err' and returns -EBADMSG, the decoders' failure. */
static inline int
ofp_fail(struct ofp_error *err, uint16_t type, uint16_t code)
{
	err->type = type;
	err->code = code;
	return -EBADMSG;
}

/* An output buffer. Writes past 'size' are dropped and set 'full'; the
 * encoder checks once at the end. */
struct ofp_wbuf {
	uint8_t *data;
	size_t size;
	size_t len;
	bool full;
};

static inline void
ofp_wbuf_init(struct ofp_wbuf *b, void *data, size_t size)
{
	b->data = data;
	b->size = size;
	b->len = 0;
	b->full = false;
}

/* Returns 'n' zeroed bytes at the end of 'b', or NULL when full. */
static inline uint8_t *
ofp_put(struct ofp_wbuf *b, size_t n)
{
	uint8_t *p;

	if (b->full || n > b->size - b->len) {
		b->full = true;
		return NULL;
	}
	p = b->data + b->len;
	memset(p, 0, n);
	b->len += n;
	return p;
}

static inline void
ofp_put8(struct ofp_wbuf *b, uint8_t v)
{
	uint8_t *p = ofp_put(b, 1);

	if (p)
		p[0] = v;
}

static inline void
ofp_set16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static inline void
ofp_set32(uint8_t *p, uint32_t v)
{
	ofp_set16(p, v >> 16);
	ofp_set16(p + 2, v);
}

static inline void
ofp_set64(uint8_t *p, uint64_t v)
{
	ofp_set32(p, v >> 32);
	ofp_set32(p + 4, v);
}

static inline void
ofp_put16(struct ofp_wbuf *b, uint16_t v)
{
	uint8_t *p = ofp_put(b, 2);

	if (p)
		ofp_set16(p, v);
}

static inline void
ofp_put32(struct ofp_wbuf *b, uint32_t v)
{
	uint8_t *p = ofp_put(b, 4);

	if (p)
		ofp_set32(p, v);
}

static inline void
ofp_put64(struct ofp_wbuf *b, uint64_t v)
{
	uint8_t *p = ofp_put(b, 8);

	if (p)
		ofp_set64(p, v);
}

static inline void
ofp_put_zeros(struct ofp_wbuf *b, size_t n)
{
	ofp_put(b, n);
}

static inline void
ofp_put_bytes(struct ofp_wbuf *b, const void *src, size_t n)
{
	uint8_t *p = ofp_put(b, n);

	if (p && n)
		memcpy(p, src, n);
}

/* Pads 'b' with zeros to a multiple of 8 bytes from 'start'. */
static inline void
ofp_put_pad8(struct ofp_wbuf *b, size_t start)
{
	size_t n = b->len - start;

	ofp_put_zeros(b, ofp_pad8(n) - n);
}

/* Writes a 16-bit length at offset 'at' of 'b' (if that is in 'b'). */
static inline void
ofp_patch16(struct ofp_wbuf *b, size_t at, uint16_t v)
{
	if (at + 2 <= b->len)
		ofp_set16(b->data + at, v);
}

/* Starts a message: the header with its length to patch. Returns where it
 * starts. */
static inline size_t
ofp_put_header(struct ofp_wbuf *b, uint8_t type, uint32_t xid)
{
	size_t start = b->len;

	ofp_put8(b, OFP_VERSION);
	ofp_put8(b, type);
	ofp_put16(b, 0);
	ofp_put32(b, xid);
	return start;
}

/* Ends a message started at 'start': patches its length. Returns the
 * length, -ENOSPC or -EMSGSIZE (also when 'b' ran out of room but had
 * room for a message of OFP_MSG_MAX bytes: a bigger buffer would not
 * help). */
static inline int
ofp_finish_msg(struct ofp_wbuf *b, size_t start)
{
	size_t len;

	if (b->full)
		return b->size - start >= OFP_MSG_MAX ? -EMSGSIZE : -ENOSPC;
	len = b->len - start;
	if (len > OFP_MSG_MAX)
		return -EMSGSIZE;
	ofp_patch16(b, start + 2, len);
	return len;
}

/* ofp_codec_match.c */

/* The OXM payload length of OpenFlow basic field 'oxm_field', or 0 if
 * OpenFlow 1.3 defines no such field. */
unsigned int ofp_oxm_len(unsigned int oxm_field);
/* The nfvswitch field of OXM number 'oxm_field', or NULL. */
const struct nfv_field *ofp_field_by_oxm(unsigned int oxm_field);
/* The 32-bit OXM header of 'f', with 'hasmask' (doubled length). */
uint32_t ofp_oxm_header(const struct nfv_field *f, bool hasmask);
/* Converts the 'wire_len' bytes at 'p' into the value of 'f'. Returns
 * false if the wire value has bits beyond the field's width. */
bool ofp_oxm_to_value(const struct nfv_field *f, const uint8_t *p,
		      unsigned int wire_len, union nfv_field_value *v);
/* Writes value 'v' of 'f' as its OXM payload. */
void ofp_put_oxm_value(struct ofp_wbuf *b, const struct nfv_field *f,
		       const union nfv_field_value *v);
void ofp_put_match(struct ofp_wbuf *b, const struct nfv_match *m);

/* ofp_codec_actions.c */

/* Where an action list sits, which decides what it may hold. */
enum ofp_act_where {
	OFP_ACT_APPLY,          /* apply-actions: an ordered list */
	OFP_ACT_WRITE,          /* write-actions: a set, later one wins */
	OFP_ACT_BUCKET,         /* group bucket: no match known */
	OFP_ACT_PACKET_OUT,     /* packet-out: no match, OFPP_TABLE allowed */
};

/* Decodes the 'len' bytes of actions at 'p' into 'acts' / '*n' (which it
 * appends to). 'state' is the match as earlier actions leave it, updated
 * by push_vlan and pop_vlan (an action set, OFP_ACT_WRITE, is checked
 * once complete, in the order it runs); NULL for buckets and packet-out
 * (no prerequisite checks). Returns 0 or -EBADMSG. */
int ofp_actions_decode(const uint8_t *p, size_t len, enum ofp_act_where where,
		       struct nfv_match *state, struct nfv_action *acts,
		       unsigned int *n, struct ofp_error *err);
/* Encodes 'n' actions; -EINVAL for one OpenFlow cannot carry. */
int ofp_actions_encode(struct ofp_wbuf *b, const struct nfv_action *acts,
		       unsigned int n);
/* Decodes the instructions of a flow in table 'table_id' (OFPTT_ALL: no
 * goto_table order check) into 'spec', whose match is already set. */
int ofp_instructions_decode(const uint8_t *p, size_t len, uint8_t table_id,
			    struct nfv_flow_spec *spec, struct ofp_error *err);
int ofp_instructions_encode(struct ofp_wbuf *b,
			    const struct nfv_flow_spec *spec);
/* Group buckets of a group of 'spec->type', into 'spec'. */
int ofp_buckets_decode(const uint8_t *p, size_t len,
		       struct nfv_group_spec *spec, struct ofp_error *err);
int ofp_buckets_encode(struct ofp_wbuf *b, const struct nfv_group_spec *spec);

/* ofp_codec_multipart.c */

int ofp_mp_request_decode(const uint8_t *body, size_t len,
			  struct ofp_mp_request *mp, struct ofp_error *err);
void ofp_mp_request_encode(struct ofp_wbuf *b,
			   const struct ofp_mp_request *mp);

/* ofp_codec.c */

/* struct ofp_port (64 bytes), for PORT_STATUS and the port description. */
void ofp_put_port(struct ofp_wbuf *b, const struct ofp_port *port);

/* A flow spec with nothing matched and no instructions (as
 * nfv_flow_spec_init(), which lives in the flow syntax parser). */
void ofp_flow_spec_init(struct nfv_flow_spec *spec);

#endif /* NFV_OFP_CODEC_PRIV_H */
