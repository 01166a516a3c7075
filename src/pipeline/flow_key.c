/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The field table and the generic field accessors over the flow key (see
 * flow_key.h). Integer-sized storage (1, 2, 4, 8 bytes) is read as one host
 * order integer so that sub-byte fields are a mask and a shift; MACs and
 * IPv6 addresses are copied as bytes.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <string.h>

#include "flow_key.h"

#define KOFF(m) offsetof(struct nfv_flow_key, m)
#define KLEN(m) sizeof(((struct nfv_flow_key *)0)->m)

#define F(id_, name_, alias_, member_, bits_, smask_, shift_, host_, mask_,  \
	  set_, prq_, fmt_, oxm_)                                            \
	[NFV_F_##id_] = {                                                    \
		.name = name_, .alias = alias_, .offset = KOFF(member_),     \
		.n_bytes = KLEN(member_), .n_bits = bits_,                   \
		.storage_mask = smask_, .shift = shift_, .host_order = host_, \
		.maskable = mask_, .settable = set_, .prereq = NFV_PRQ_##prq_, \
		.fmt = NFV_FMT_##fmt_, .oxm_field = oxm_,                    \
	}

/* name, alias, storage, bits, storage mask, shift, host order, maskable,
 * settable, prerequisite, format, OXM field number. */
const struct nfv_field nfv_fields[NFV_F_N] = {
	F(IN_PORT, "in_port", NULL, in_port, 32, 0, 0, 1, 0, 0, NONE, PORT, 0),
	F(METADATA, "metadata", NULL, metadata, 64, 0, 0, 1, 1, 0, NONE, HEX, 2),
	F(ETH_DST, "eth_dst", "dl_dst", eth_dst, 48, 0, 0, 0, 1, 1, NONE, MAC, 3),
	F(ETH_SRC, "eth_src", "dl_src", eth_src, 48, 0, 0, 0, 1, 1, NONE, MAC, 4),
	F(ETH_TYPE, "eth_type", "dl_type", eth_type, 16, 0, 0, 0, 0, 0, NONE, HEX, 5),
	F(VLAN_VID, "vlan_vid", NULL, vlan_tci, 13, 0x1fff, 0, 0, 1, 1, NONE, DEC, 6),
	F(VLAN_PCP, "vlan_pcp", "dl_vlan_pcp", vlan_tci, 3, 0xe000, 13, 0, 0, 1, VLAN, DEC, 7),
	F(IP_DSCP, "ip_dscp", NULL, ip_tos, 6, 0xfc, 2, 0, 0, 1, IP, DEC, 8),
	F(IP_ECN, "ip_ecn", "nw_ecn", ip_tos, 2, 0x03, 0, 0, 0, 1, IP, DEC, 9),
	F(IP_PROTO, "ip_proto", "nw_proto", ip_proto, 8, 0, 0, 0, 0, 0, IP, DEC, 10),
	F(IPV4_SRC, "ipv4_src", "nw_src", ipv4_src, 32, 0, 0, 0, 1, 1, IPV4, IPV4, 11),
	F(IPV4_DST, "ipv4_dst", "nw_dst", ipv4_dst, 32, 0, 0, 0, 1, 1, IPV4, IPV4, 12),
	F(TCP_SRC, "tcp_src", NULL, tp_src, 16, 0, 0, 0, 1, 1, TCP, DEC, 13),
	F(TCP_DST, "tcp_dst", NULL, tp_dst, 16, 0, 0, 0, 1, 1, TCP, DEC, 14),
	F(UDP_SRC, "udp_src", NULL, tp_src, 16, 0, 0, 0, 1, 1, UDP, DEC, 15),
	F(UDP_DST, "udp_dst", NULL, tp_dst, 16, 0, 0, 0, 1, 1, UDP, DEC, 16),
	F(SCTP_SRC, "sctp_src", NULL, tp_src, 16, 0, 0, 0, 1, 1, SCTP, DEC, 17),
	F(SCTP_DST, "sctp_dst", NULL, tp_dst, 16, 0, 0, 0, 1, 1, SCTP, DEC, 18),
	F(ICMPV4_TYPE, "icmp_type", "icmpv4_type", tp_src, 8, 0x00ff, 0, 0, 0, 1, ICMPV4, DEC, 19),
	F(ICMPV4_CODE, "icmp_code", "icmpv4_code", tp_dst, 8, 0x00ff, 0, 0, 0, 1, ICMPV4, DEC, 20),
	F(ARP_OP, "arp_op", NULL, arp_op, 16, 0, 0, 0, 0, 1, ARP, DEC, 21),
	F(ARP_SPA, "arp_spa", NULL, ipv4_src, 32, 0, 0, 0, 1, 1, ARP, IPV4, 22),
	F(ARP_TPA, "arp_tpa", NULL, ipv4_dst, 32, 0, 0, 0, 1, 1, ARP, IPV4, 23),
	F(ARP_SHA, "arp_sha", NULL, arp_sha, 48, 0, 0, 0, 1, 1, ARP, MAC, 24),
	F(ARP_THA, "arp_tha", NULL, arp_tha, 48, 0, 0, 0, 1, 1, ARP, MAC, 25),
	F(IPV6_SRC, "ipv6_src", NULL, ipv6_src, 128, 0, 0, 0, 1, 1, IPV6, IPV6, 26),
	F(IPV6_DST, "ipv6_dst", NULL, ipv6_dst, 128, 0, 0, 0, 1, 1, IPV6, IPV6, 27),
	F(IPV6_FLABEL, "ipv6_label", NULL, ipv6_label, 20, 0x000fffff, 0, 0, 1, 1, IPV6, HEX, 28),
	F(ICMPV6_TYPE, "icmpv6_type", NULL, tp_src, 8, 0x00ff, 0, 0, 0, 1, ICMPV6, DEC, 29),
	F(ICMPV6_CODE, "icmpv6_code", NULL, tp_dst, 8, 0x00ff, 0, 0, 0, 1, ICMPV6, DEC, 30),
	F(IPV6_ND_TARGET, "nd_target", NULL, nd_target, 128, 0, 0, 0, 1, 1, ND, IPV6, 31),
	F(IPV6_ND_SLL, "nd_sll", NULL, arp_sha, 48, 0, 0, 0, 1, 1, ND_NS, MAC, 32),
	F(IPV6_ND_TLL, "nd_tll", NULL, arp_tha, 48, 0, 0, 0, 1, 1, ND_NA, MAC, 33),
	F(IPV6_EXTHDR, "ipv6_exthdr", NULL, ipv6_exthdr, 9, 0x01ff, 0, 1, 1, 0, IPV6, HEX, 39),
	F(TCP_FLAGS, "tcp_flags", NULL, tcp_flags, 12, 0x0fff, 0, 0, 1, 0, TCP, HEX, -1),
	F(IP_TTL, "nw_ttl", "ip_ttl", ip_ttl, 8, 0, 0, 0, 0, 1, IP, DEC, -1),
	F(IP_FRAG, "ip_frag", "nw_frag", ip_frag, 2, 0x03, 0, 0, 1, 0, IP, HEX, -1),
};

const struct nfv_field *
nfv_field_by_name(const char *name)
{
	for (unsigned int i = 0; i < NFV_F_N; i++) {
		const struct nfv_field *f = &nfv_fields[i];

		if (strcmp(f->name, name) == 0 ||
		    (f->alias != NULL && strcmp(f->alias, name) == 0))
			return f;
	}
	return NULL;
}

unsigned int
nfv_field_value_len(const struct nfv_field *f)
{
	return (f->n_bits + 7) / 8;
}

static bool
field_is_int(const struct nfv_field *f)
{
	return f->n_bytes == 1 || f->n_bytes == 2 || f->n_bytes == 4 ||
	       f->n_bytes == 8;
}

/* Storage of 'f' in 'base' as a host order integer. */
static uint64_t
storage_load(const struct nfv_field *f, const void *base)
{
	const uint8_t *p = (const uint8_t *)base + f->offset;
	uint64_t v = 0;

	if (f->host_order) {
		switch (f->n_bytes) {
		case 2: { uint16_t x; memcpy(&x, p, 2); return x; }
		case 4: { uint32_t x; memcpy(&x, p, 4); return x; }
		case 8: { uint64_t x; memcpy(&x, p, 8); return x; }
		default: return *p;
		}
	}
	for (unsigned int i = 0; i < f->n_bytes; i++)
		v = v << 8 | p[i];
	return v;
}

static void
storage_store(const struct nfv_field *f, void *base, uint64_t v)
{
	uint8_t *p = (uint8_t *)base + f->offset;

	if (f->host_order) {
		switch (f->n_bytes) {
		case 2: { uint16_t x = v; memcpy(p, &x, 2); return; }
		case 4: { uint32_t x = v; memcpy(p, &x, 4); return; }
		case 8: memcpy(p, &v, 8); return;
		default: *p = v; return;
		}
	}
	for (int i = f->n_bytes - 1; i >= 0; i--) {
		p[i] = v & 0xff;
		v >>= 8;
	}
}

static uint64_t
storage_bits(const struct nfv_field *f)
{
	if (f->storage_mask)
		return f->storage_mask;
	return f->n_bytes == 8 ? UINT64_MAX : (UINT64_C(1) << (8 * f->n_bytes)) - 1;
}

/* The value 'v' (network order, value_len bytes) as an integer. */
static uint64_t
value_load(const struct nfv_field *f, const union nfv_field_value *v)
{
	unsigned int len = nfv_field_value_len(f);
	uint64_t x = 0;

	for (unsigned int i = 0; i < len; i++)
		x = x << 8 | v->u8[i];
	return x;
}

static void
value_store(const struct nfv_field *f, union nfv_field_value *v, uint64_t x)
{
	unsigned int len = nfv_field_value_len(f);

	memset(v, 0, sizeof(*v));
	for (int i = len - 1; i >= 0; i--) {
		v->u8[i] = x & 0xff;
		x >>= 8;
	}
}

/* Reads field 'f' from a key-shaped buffer 'base'. */
static void
field_read(const struct nfv_field *f, const void *base,
	   union nfv_field_value *v)
{
	if (!field_is_int(f)) {
		memset(v, 0, sizeof(*v));
		memcpy(v->u8, (const uint8_t *)base + f->offset, f->n_bytes);
		return;
	}
	value_store(f, v, (storage_load(f, base) & storage_bits(f)) >>
		    f->shift);
}

/* Writes field 'f' into a key-shaped buffer 'base', keeping other bits. */
static void
field_write(const struct nfv_field *f, void *base,
	    const union nfv_field_value *v)
{
	uint64_t bits, s;

	if (!field_is_int(f)) {
		memcpy((uint8_t *)base + f->offset, v->u8, f->n_bytes);
		return;
	}
	bits = storage_bits(f);
	s = storage_load(f, base) & ~bits;
	s |= (value_load(f, v) << f->shift) & bits;
	storage_store(f, base, s);
}

void
nfv_field_get(const struct nfv_field *f, const struct nfv_flow_key *key,
	      union nfv_field_value *v)
{
	field_read(f, key, v);
}

void
nfv_field_set(const struct nfv_field *f, struct nfv_flow_key *key,
	      const union nfv_field_value *v)
{
	field_write(f, key, v);
}

void
nfv_match_set(struct nfv_match *m, const struct nfv_field *f,
	      const union nfv_field_value *v,
	      const union nfv_field_value *mask)
{
	union nfv_field_value full, val;
	unsigned int len = nfv_field_value_len(f);

	if (mask == NULL) {
		memset(&full, 0, sizeof(full));
		if (field_is_int(f))
			value_store(f, &full, storage_bits(f) >> f->shift);
		else
			memset(full.u8, 0xff, len);
		mask = &full;
	}
	val = *v;
	for (unsigned int i = 0; i < len; i++)
		val.u8[i] &= mask->u8[i];
	field_write(f, &m->mask, mask);
	field_write(f, &m->key, &val);
}

bool
nfv_match_get(const struct nfv_match *m, const struct nfv_field *f,
	      union nfv_field_value *v, union nfv_field_value *mask)
{
	bool any = false;

	field_read(f, &m->mask, mask);
	field_read(f, &m->key, v);
	for (unsigned int i = 0; i < sizeof(mask->u8); i++)
		any |= mask->u8[i] != 0;
	return any;
}

/* Is field 'id' matched exactly to 'value' (an integer field)? */
static bool
match_is(const struct nfv_match *m, enum nfv_field_id id, uint64_t value)
{
	const struct nfv_field *f = &nfv_fields[id];
	union nfv_field_value v, mask;

	nfv_match_get(m, f, &v, &mask);
	return value_load(f, &mask) == storage_bits(f) >> f->shift &&
	       value_load(f, &v) == value;
}

static bool
match_is_ip(const struct nfv_match *m)
{
	return match_is(m, NFV_F_ETH_TYPE, 0x0800) ||
	       match_is(m, NFV_F_ETH_TYPE, 0x86dd);
}

static bool
prereq_ok(const struct nfv_match *m, enum nfv_prereq p)
{
	switch (p) {
	case NFV_PRQ_NONE:
		return true;
	case NFV_PRQ_VLAN: {
		union nfv_field_value v, mask;

		/* The PRESENT bit must be matched and set. */
		nfv_match_get(m, &nfv_fields[NFV_F_VLAN_VID], &v, &mask);
		return (value_load(&nfv_fields[NFV_F_VLAN_VID], &mask) &
			NFV_VLAN_PRESENT) &&
		       (value_load(&nfv_fields[NFV_F_VLAN_VID], &v) &
			NFV_VLAN_PRESENT);
	}
	case NFV_PRQ_IP:
		return match_is_ip(m);
	case NFV_PRQ_IPV4:
		return match_is(m, NFV_F_ETH_TYPE, 0x0800);
	case NFV_PRQ_IPV6:
		return match_is(m, NFV_F_ETH_TYPE, 0x86dd);
	case NFV_PRQ_ARP:
		return match_is(m, NFV_F_ETH_TYPE, 0x0806);
	case NFV_PRQ_TCP:
		return match_is_ip(m) && match_is(m, NFV_F_IP_PROTO, 6);
	case NFV_PRQ_UDP:
		return match_is_ip(m) && match_is(m, NFV_F_IP_PROTO, 17);
	case NFV_PRQ_SCTP:
		return match_is_ip(m) && match_is(m, NFV_F_IP_PROTO, 132);
	case NFV_PRQ_ICMPV4:
		return prereq_ok(m, NFV_PRQ_IPV4) &&
		       match_is(m, NFV_F_IP_PROTO, 1);
	case NFV_PRQ_ICMPV6:
		return prereq_ok(m, NFV_PRQ_IPV6) &&
		       match_is(m, NFV_F_IP_PROTO, 58);
	case NFV_PRQ_ND:
		return prereq_ok(m, NFV_PRQ_ND_NS) ||
		       prereq_ok(m, NFV_PRQ_ND_NA);
	case NFV_PRQ_ND_NS:
		return prereq_ok(m, NFV_PRQ_ICMPV6) &&
		       match_is(m, NFV_F_ICMPV6_TYPE, 135);
	case NFV_PRQ_ND_NA:
		return prereq_ok(m, NFV_PRQ_ICMPV6) &&
		       match_is(m, NFV_F_ICMPV6_TYPE, 136);
	}
	return false;
}

bool
nfv_match_prereq_ok(const struct nfv_match *m, enum nfv_prereq p)
{
	return prereq_ok(m, p);
}

/* Fields that share storage (the IPv4 addresses and ARP spa/tpa, the L4
 * ports and ICMP type/code, ARP sha/tha and ND sll/tll) read each other's
 * bits, so a match on one looks like a match on all of them. The matched
 * bits of 'f' are valid if a field that owns all of them has its
 * prerequisites: "tcp,tcp_src=80" also matches the bits of udp_src. */
static bool
shared_prereq_ok(const struct nfv_match *m, const struct nfv_field *f)
{
	uint64_t bits = 0;

	if (field_is_int(f))
		bits = storage_load(f, &m->mask) & storage_bits(f);
	for (unsigned int i = 0; i < NFV_F_N; i++) {
		const struct nfv_field *g = &nfv_fields[i];

		if (g == f || g->offset != f->offset ||
		    g->n_bytes != f->n_bytes)
			continue;
		if (field_is_int(g) && (bits & ~storage_bits(g)) != 0)
			continue;
		if (prereq_ok(m, g->prereq))
			return true;
	}
	return false;
}

bool
nfv_match_prereqs_ok(const struct nfv_match *m, const struct nfv_field **bad)
{
	for (unsigned int i = 0; i < NFV_F_N; i++) {
		const struct nfv_field *f = &nfv_fields[i];
		union nfv_field_value v, mask;

		if (f->prereq == NFV_PRQ_NONE || !nfv_match_get(m, f, &v, &mask))
			continue;
		if (!prereq_ok(m, f->prereq) && !shared_prereq_ok(m, f)) {
			if (bad != NULL)
				*bad = f;
			return false;
		}
	}
	return true;
}

bool
nfv_match_matches(const struct nfv_match *m, const struct nfv_flow_key *key)
{
	const uint64_t *k = (const uint64_t *)key;
	const uint64_t *mk = (const uint64_t *)&m->key;
	const uint64_t *mm = (const uint64_t *)&m->mask;

	for (unsigned int i = 0; i < NFV_KEY_WORDS; i++)
		if ((k[i] & mm[i]) != mk[i])
			return false;
	return true;
}
