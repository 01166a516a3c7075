/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OXM matches (OpenFlow 1.3 section 7.2.3) to and from struct nfv_match.
 * Fields come from the pipeline's field table (nfv_fields[], by their
 * oxm_field number), so a field nfvswitch learns is one table entry there;
 * this file only adds the OXM payload widths the spec fixes (ipv6_flabel
 * is 20 bits carried in 4 bytes). Decoding checks class, field, length,
 * duplicates, masks, values and prerequisites, each with its own
 * OFPET_BAD_MATCH code; encoding writes matched fields in table order,
 * which puts every prerequisite before the fields that need it.
 */

#include <string.h>

#include "ofp_codec_priv.h"

#define OXM_N_FIELDS 40         /* OFPXMT_OFB_IN_PORT .. IPV6_EXTHDR */

/* Payload bytes of each OpenFlow basic field (spec table 12). */
static const uint8_t oxm_lens[OXM_N_FIELDS] = {
	[0] = 4,        /* in_port */
	[1] = 4,        /* in_phy_port */
	[2] = 8,        /* metadata */
	[3] = 6, [4] = 6,
	[5] = 2,        /* eth_type */
	[6] = 2,        /* vlan_vid */
	[7] = 1, [8] = 1, [9] = 1, [10] = 1,
	[11] = 4, [12] = 4,
	[13] = 2, [14] = 2, [15] = 2, [16] = 2, [17] = 2, [18] = 2,
	[19] = 1, [20] = 1,
	[21] = 2,       /* arp_op */
	[22] = 4, [23] = 4,
	[24] = 6, [25] = 6,
	[26] = 16, [27] = 16,
	[28] = 4,       /* ipv6_flabel */
	[29] = 1, [30] = 1,
	[31] = 16,      /* nd_target */
	[32] = 6, [33] = 6,
	[34] = 4,       /* mpls_label */
	[35] = 1, [36] = 1,
	[37] = 3,       /* pbb_isid */
	[38] = 8,       /* tunnel_id */
	[39] = 2,       /* ipv6_exthdr */
};

unsigned int
ofp_oxm_len(unsigned int oxm_field)
{
	return oxm_field < OXM_N_FIELDS ? oxm_lens[oxm_field] : 0;
}

const struct nfv_field *
ofp_field_by_oxm(unsigned int oxm_field)
{
	for (unsigned int i = 0; i < NFV_F_N; i++)
		if (nfv_fields[i].oxm_field >= 0 &&
		    (unsigned int)nfv_fields[i].oxm_field == oxm_field)
			return &nfv_fields[i];
	return NULL;
}

uint32_t
ofp_oxm_header(const struct nfv_field *f, bool hasmask)
{
	uint32_t len = ofp_oxm_len(f->oxm_field);

	return (uint32_t)OFPXMC_OPENFLOW_BASIC << 16 |
	       (uint32_t)f->oxm_field << 9 | (uint32_t)hasmask << 8 |
	       (hasmask ? 2 * len : len);
}

bool
ofp_oxm_to_value(const struct nfv_field *f, const uint8_t *p,
		 unsigned int wire_len, union nfv_field_value *v)
{
	unsigned int len = nfv_field_value_len(f);
	unsigned int lead, rem = f->n_bits % 8;

	memset(v, 0, sizeof(*v));
	if (wire_len < len || len > sizeof(v->u8))
		return false;
	lead = wire_len - len;
	for (unsigned int i = 0; i < lead; i++)
		if (p[i])
			return false;
	memcpy(v->u8, p + lead, len);
	return !rem || !(v->u8[0] >> rem);
}

void
ofp_put_oxm_value(struct ofp_wbuf *b, const struct nfv_field *f,
		  const union nfv_field_value *v)
{
	unsigned int len = nfv_field_value_len(f);
	unsigned int wire_len = ofp_oxm_len(f->oxm_field);

	ofp_put_zeros(b, wire_len - len);
	ofp_put_bytes(b, v->u8, len);
}

/* The all-ones mask of 'f' as a value. */
static void
match_full_mask(const struct nfv_field *f, union nfv_field_value *m)
{
	unsigned int len = nfv_field_value_len(f);
	unsigned int rem = f->n_bits % 8;

	memset(m, 0, sizeof(*m));
	memset(m->u8, 0xff, len);
	if (rem)
		m->u8[0] = (1u << rem) - 1;
}

static bool
match_value_eq(const struct nfv_field *f, const union nfv_field_value *a,
	       const union nfv_field_value *b)
{
	return !memcmp(a->u8, b->u8, nfv_field_value_len(f));
}

/* The storage bits of 'f' in its bytes of the key (integer storage). */
static uint64_t
match_storage_bits(const struct nfv_field *f)
{
	if (f->storage_mask)
		return f->storage_mask;
	if (f->n_bytes >= 8)
		return UINT64_MAX;
	return (UINT64_C(1) << (8 * f->n_bytes)) - 1;
}

/* True if 'f' and 'g' (different fields) use some of the same key bits,
 * e.g. tcp_src and icmp_type, ipv4_src and arp_spa. */
static bool
match_fields_share(const struct nfv_field *f, const struct nfv_field *g)
{
	if (f->offset != g->offset || f->n_bytes != g->n_bytes)
		return false;
	return (match_storage_bits(f) & match_storage_bits(g)) != 0;
}

/* Whether the encoder writes matched field 'f' of 'm': fields that share
 * storage all look matched, so write the ones whose prerequisites hold,
 * or, in a match that meets none (not one we decoded), the first. */
static bool
match_field_shown(const struct nfv_match *m, const struct nfv_field *f)
{
	union nfv_field_value v, mask;
	bool earlier = false;

	if (nfv_match_prereq_ok(m, f->prereq))
		return true;
	for (unsigned int i = 0; i < NFV_F_N; i++) {
		const struct nfv_field *g = &nfv_fields[i];

		if (g == f || g->oxm_field < 0 || !match_fields_share(f, g) ||
		    !nfv_match_get(m, g, &v, &mask))
			continue;
		if (nfv_match_prereq_ok(m, g->prereq))
			return false;
		if (g < f)
			earlier = true;
	}
	return !earlier;
}

void
ofp_put_match(struct ofp_wbuf *b, const struct nfv_match *m)
{
	size_t start = b->len;

	ofp_put16(b, OFPMT_OXM);
	ofp_put16(b, 0);
	for (unsigned int i = 0; i < NFV_F_N; i++) {
		const struct nfv_field *f = &nfv_fields[i];
		union nfv_field_value v, mask, full;
		bool exact;

		if (f->oxm_field < 0 || !nfv_match_get(m, f, &v, &mask) ||
		    !match_field_shown(m, f))
			continue;
		match_full_mask(f, &full);
		exact = match_value_eq(f, &mask, &full);
		ofp_put32(b, ofp_oxm_header(f, !exact));
		ofp_put_oxm_value(b, f, &v);
		if (!exact)
			ofp_put_oxm_value(b, f, &mask);
	}
	ofp_patch16(b, start + 2, b->len - start);
	ofp_put_pad8(b, start);
}

int
ofp_encode_match(const struct nfv_match *m, void *buf, size_t size)
{
	struct ofp_wbuf b;

	ofp_wbuf_init(&b, buf, size);
	ofp_put_match(&b, m);
	return b.full ? -ENOSPC : (int)b.len;
}

static int
match_bad(struct ofp_error *err, uint16_t code)
{
	return ofp_fail(err, OFPET_BAD_MATCH, code);
}

/* vlan_vid: without OFPVID_PRESENT (where the mask looks at it) the only
 * meaningful value is 0, "no tag". */
static bool
match_vlan_vid_ok(const union nfv_field_value *v,
		  const union nfv_field_value *mask)
{
	uint16_t vid = v->u8[0] << 8 | v->u8[1];
	uint16_t m = mask->u8[0] << 8 | mask->u8[1];

	return !(m & NFV_VLAN_PRESENT) || (vid & NFV_VLAN_PRESENT) ||
	       !(vid & NFV_VLAN_VID_MASK);
}

/* The OXM TLV at 'p', whose length the caller checked; '*seen' has a bit
 * per field number already in the match. */
static int
match_entry(const uint8_t *p, struct nfv_match *m, uint64_t *seen,
	    struct ofp_error *err)
{
	uint32_t header = ofp_get32(p);
	unsigned int field = header >> 9 & 0x7f;
	bool hasmask = header >> 8 & 1;
	unsigned int olen = header & 0xff, wlen;
	union nfv_field_value v, mask, full;
	const struct nfv_field *f;

	if (header >> 16 != OFPXMC_OPENFLOW_BASIC)
		return match_bad(err, OFPBMC_BAD_FIELD);
	f = ofp_field_by_oxm(field);
	if (!f)
		return match_bad(err, OFPBMC_BAD_FIELD);
	wlen = ofp_oxm_len(field);
	if (olen != (hasmask ? 2 * wlen : wlen))
		return match_bad(err, OFPBMC_BAD_LEN);
	if (*seen & UINT64_C(1) << field)
		return match_bad(err, OFPBMC_DUP_FIELD);
	*seen |= UINT64_C(1) << field;
	if (hasmask && !f->maskable)
		return match_bad(err, OFPBMC_BAD_MASK);
	if (!ofp_oxm_to_value(f, p + 4, wlen, &v))
		return match_bad(err, OFPBMC_BAD_VALUE);
	match_full_mask(f, &full);
	if (hasmask) {
		if (!ofp_oxm_to_value(f, p + 4 + wlen, wlen, &mask))
			return match_bad(err, OFPBMC_BAD_MASK);
		for (unsigned int i = 0; i < sizeof(v.u8); i++)
			if (v.u8[i] & ~mask.u8[i])
				return match_bad(err, OFPBMC_BAD_WILDCARDS);
	} else {
		mask = full;
	}
	if (f == &nfv_fields[NFV_F_VLAN_VID] && !match_vlan_vid_ok(&v, &mask))
		return match_bad(err, OFPBMC_BAD_VALUE);
	nfv_match_set(m, f, &v, &mask);
	return 0;
}

int
ofp_decode_match(const void *buf, size_t len, struct nfv_match *m,
		 size_t *match_len, struct ofp_error *err)
{
	const uint8_t *p = buf;
	const struct nfv_field *bad;
	size_t mlen, off;
	uint64_t seen = 0;
	int ret;

	memset(m, 0, sizeof(*m));
	if (len < 4)
		return match_bad(err, OFPBMC_BAD_LEN);
	if (ofp_get16(p) != OFPMT_OXM)
		return match_bad(err, OFPBMC_BAD_TYPE);
	mlen = ofp_get16(p + 2);
	if (mlen < 4 || ofp_pad8(mlen) > len)
		return match_bad(err, OFPBMC_BAD_LEN);
	for (off = 4; off < mlen; off += 4 + (p[off + 3])) {
		if (mlen - off < 4 || p[off + 3] > mlen - off - 4)
			return match_bad(err, OFPBMC_BAD_LEN);
		ret = match_entry(p + off, m, &seen, err);
		if (ret < 0)
			return ret;
	}
	/* Each field named must meet its own prerequisites. The storage
	 * check below alone would let "udp,tcp_dst=80" through as udp_dst
	 * and "arp,ipv4_src=..." as arp_spa, since those share storage. */
	for (unsigned int i = 0; i < NFV_F_N; i++) {
		const struct nfv_field *f = &nfv_fields[i];

		if (f->oxm_field >= 0 && seen & UINT64_C(1) << f->oxm_field &&
		    !nfv_match_prereq_ok(m, f->prereq))
			return match_bad(err, OFPBMC_BAD_PREREQ);
	}
	if (!nfv_match_prereqs_ok(m, &bad))
		return match_bad(err, OFPBMC_BAD_PREREQ);
	*match_len = ofp_pad8(mlen);
	return 0;
}
