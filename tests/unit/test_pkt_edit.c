/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the packet editing actions in src/pipeline/pkt_edit.c:
 * set_field for every settable field, VLAN push and pop, TTL decrement and
 * set, the error cases (missing header, headers past the first segment, no
 * headroom), and a randomized run of edit sequences.
 *
 * Packets are built by hand into a flat buffer with checksums computed from
 * scratch, then copied into mbufs (one or two segments). After every edit
 * the test recomputes every checksum from scratch (IPv4 header, TCP, UDP,
 * ICMP, ICMPv6 with pseudo-headers; SCTP CRC32c with a bitwise reference)
 * and compares the key and offsets the edit left with those the parser
 * (parse.c) gives for the edited packet.
 */

#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_eal.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "nfv_common.h"
#include "pkt_edit.h"

#define PKT_MAX 1024
#define ETH_IPV4 0x0800
#define ETH_IPV6 0x86dd
#define ETH_ARP 0x0806

static struct rte_mempool *pool;
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t
rng(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static void
rng_fill(uint8_t *p, unsigned int n)
{
	while (n-- > 0)
		*p++ = rng() >> 56;
}

static uint16_t
be16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

/* ---- Reference checksums, from scratch. ---- */

static uint32_t
ref_sum(const uint8_t *p, uint32_t len, uint32_t sum)
{
	uint32_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t
ref_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* Bitwise CRC32c (Castagnoli, reflected 0x82f63b78), as in RFC 9260. */
static uint32_t
ref_crc32c(const uint8_t *p, uint32_t len)
{
	uint32_t crc = 0xffffffff;
	uint32_t i;
	int b;

	for (i = 0; i < len; i++) {
		crc ^= p[i];
		for (b = 0; b < 8; b++)
			crc = (crc >> 1) ^ (0x82f63b78 & (0u - (crc & 1)));
	}
	return ~crc;
}

/* ---- Checksum verification and filling. ---- */

/* The pseudo-header destination of the IPv6 packet at 'l3': the final
 * destination from a routing header with segments left, else the
 * destination address. */
static const uint8_t *
ipv6_pseudo_dst(const uint8_t *buf, uint32_t l3, uint32_t l4)
{
	uint8_t next = buf[l3 + 6], h;
	uint32_t o = l3 + 40;

	while (o < l4) {
		if (next == 43 && buf[o + 3] != 0)
			return buf + o + 8 + 16 * (buf[o + 1] / 2 - 1);
		h = buf[o];
		o += next == 44 ? 8 : (buf[o + 1] + 1) * 8;
		next = h;
	}
	return buf + l3 + 24;
}

/* Sum of the pseudo-header of the L4 message at meta->l4_ofs, and its
 * length in '*l4_len'. */
static uint32_t
pseudo_sum(const uint8_t *buf, const struct nfv_flow_key *key,
	   const struct nfv_pkt_meta *meta, uint32_t *l4_len)
{
	const uint8_t *ip = buf + meta->l3_ofs;
	uint32_t sum = 0;

	if (key->eth_type == htons(ETH_IPV4)) {
		*l4_len = be16_at(ip + 2) - (meta->l4_ofs - meta->l3_ofs);
		sum = ref_sum(ip + 12, 8, 0);
	} else {
		*l4_len = meta->l3_ofs + 40 + be16_at(ip + 4) - meta->l4_ofs;
		sum = ref_sum(ip + 8, 16, 0);
		sum = ref_sum(ipv6_pseudo_dst(buf, meta->l3_ofs, meta->l4_ofs),
			      16, sum);
	}
	return sum + key->ip_proto + (*l4_len >> 16) + (*l4_len & 0xffff);
}

/* Where the checksum of the L4 header is, relative to it (-1: none). */
static int
l4_cksum_ofs(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return 16;
	case IPPROTO_UDP:
		return 6;
	case IPPROTO_SCTP:
		return 8;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		return 2;
	}
	return -1;
}

/* Fills every checksum of 'buf' from scratch (UDP: leaves a 0 if
 * 'udp_zero'). */
static void
fill_csums(uint8_t *buf, uint32_t len, bool udp_zero)
{
	struct nfv_flow_key key;
	struct nfv_pkt_meta meta;
	uint32_t l4_len, sum = 0, crc;
	uint8_t *l4;
	int c;

	nfv_parse_buf(buf, len, 0, &key, &meta);
	if (key.eth_type == htons(ETH_IPV4)) {
		uint8_t *ip = buf + meta.l3_ofs;

		put16(ip + 10, 0);
		put16(ip + 10, ~ref_fold(ref_sum(ip, (ip[0] & 0xf) * 4, 0)));
	}
	if (meta.l4_ofs == 0 || (c = l4_cksum_ofs(key.ip_proto)) < 0)
		return;
	l4 = buf + meta.l4_ofs;
	memset(l4 + c, 0, key.ip_proto == IPPROTO_SCTP ? 4 : 2);
	if (key.ip_proto == IPPROTO_UDP && udp_zero)
		return;
	if (key.ip_proto == IPPROTO_SCTP) {
		pseudo_sum(buf, &key, &meta, &l4_len);
		crc = ref_crc32c(l4, l4_len);
		l4[8] = crc & 0xff;
		l4[9] = (crc >> 8) & 0xff;
		l4[10] = (crc >> 16) & 0xff;
		l4[11] = crc >> 24;
		return;
	}
	if (key.ip_proto != IPPROTO_ICMP)
		sum = pseudo_sum(buf, &key, &meta, &l4_len);
	else
		l4_len = be16_at(buf + meta.l3_ofs + 2) -
			 (meta.l4_ofs - meta.l3_ofs);
	sum = ~ref_fold(ref_sum(l4, l4_len, sum)) & 0xffff;
	if (key.ip_proto == IPPROTO_UDP && sum == 0)
		sum = 0xffff;
	put16(l4 + c, sum);
}

/* Asserts that every checksum of 'buf' is right. */
static void
assert_csums_valid(const uint8_t *buf, const struct nfv_flow_key *key,
		   const struct nfv_pkt_meta *meta)
{
	const uint8_t *l4;
	uint32_t l4_len, sum = 0, crc;

	if (key->eth_type == htons(ETH_IPV4)) {
		const uint8_t *ip = buf + meta->l3_ofs;

		if (ref_fold(ref_sum(ip, (ip[0] & 0xf) * 4, 0)) != 0xffff)
			fail_msg("bad IPv4 header checksum %04x",
				 be16_at(ip + 10));
	}
	if (meta->l4_ofs == 0 || (key->ip_frag & NFV_FRAG_ANY) ||
	    l4_cksum_ofs(key->ip_proto) < 0)
		return;
	l4 = buf + meta->l4_ofs;
	if (key->ip_proto == IPPROTO_SCTP) {
		uint8_t copy[PKT_MAX];

		pseudo_sum(buf, key, meta, &l4_len);
		memcpy(copy, l4, l4_len);
		memset(copy + 8, 0, 4);
		crc = ref_crc32c(copy, l4_len);
		if (l4[8] != (crc & 0xff) || l4[9] != ((crc >> 8) & 0xff) ||
		    l4[10] != ((crc >> 16) & 0xff) || l4[11] != crc >> 24)
			fail_msg("bad SCTP CRC32c (want %08x)", crc);
		return;
	}
	if (key->ip_proto == IPPROTO_UDP && be16_at(l4 + 6) == 0)
		return;         /* no checksum */
	if (key->ip_proto != IPPROTO_ICMP)
		sum = pseudo_sum(buf, key, meta, &l4_len);
	else
		l4_len = be16_at(buf + meta->l3_ofs + 2) -
			 (meta->l4_ofs - meta->l3_ofs);
	if (ref_fold(ref_sum(l4, l4_len, sum)) != 0xffff)
		fail_msg("bad L4 (proto %u) checksum %04x", key->ip_proto,
			 be16_at(l4 + l4_cksum_ofs(key->ip_proto)));
}

/* ---- Packet building. ---- */

enum l3_kind { L3_NONE, L3_IPV4, L3_IPV6, L3_ARP };

struct pkt_desc {
	uint8_t n_vlans;
	uint16_t tpid[2];
	uint16_t tci[2];        /* as on the wire */
	enum l3_kind l3;
	uint8_t proto;
	uint8_t ttl;
	bool ipv4_opts;         /* IHL 6: one 4-byte option */
	bool first_frag;        /* IPv4 MF set, offset 0 */
	bool later_frag;        /* IPv4 offset 185 */
	bool ipv6_hop;          /* hop-by-hop options header */
	bool ipv6_route;        /* routing header with one address */
	uint8_t route_left;     /* its segments left */
	uint8_t icmp_type;
	const uint8_t *nd_opts; /* ND option types, 0-terminated */
	bool udp_zero;          /* UDP checksum 0 */
	uint16_t payload_len;
	uint16_t eth_pad;       /* bytes after the IP packet */
};

static struct pkt_desc
desc_l4(enum l3_kind l3, uint8_t proto)
{
	struct pkt_desc d = {
		.l3 = l3, .proto = proto, .ttl = 64, .payload_len = 37,
		.icmp_type = 8,
	};

	return d;
}

static uint32_t
build_l4(const struct pkt_desc *d, uint8_t *p)
{
	static const uint8_t no_opts[] = { 0 };
	const uint8_t *opt;
	uint32_t n = 0;

	switch (d->proto) {
	case IPPROTO_TCP:
		rng_fill(p, 20);
		p[12] = 5 << 4;
		p[13] = 0x18;
		n = 20;
		break;
	case IPPROTO_UDP:
		rng_fill(p, 8);
		n = 8;
		break;
	case IPPROTO_SCTP:
		rng_fill(p, 12);
		n = 12;
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		rng_fill(p, 8);
		p[0] = d->icmp_type;
		p[1] = 0;
		n = 8;
		if (d->icmp_type != 135 && d->icmp_type != 136)
			break;
		rng_fill(p + 8, 16);    /* target */
		n = 24;
		for (opt = d->nd_opts ? d->nd_opts : no_opts; *opt; opt++) {
			rng_fill(p + n, 8);
			p[n] = *opt;
			p[n + 1] = 1;
			n += 8;
		}
		return n;       /* no payload: it would be read as options */
	}
	rng_fill(p + n, d->payload_len);
	n += d->payload_len;
	if (d->proto == IPPROTO_UDP)
		put16(p + 4, n);
	return n;
}

/* Builds the packet 'd' describes into 'buf' with valid checksums. Returns
 * its length. */
static uint32_t
build(const struct pkt_desc *d, uint8_t *buf)
{
	uint32_t ofs = 12, l3, n;
	unsigned int i;

	rng_fill(buf, 12);
	buf[0] &= ~1;   /* unicast */
	for (i = 0; i < d->n_vlans; i++) {
		put16(buf + ofs, d->tpid[i] ? d->tpid[i] : 0x8100);
		put16(buf + ofs + 2, d->tci[i]);
		ofs += 4;
	}
	l3 = ofs + 2;
	switch (d->l3) {
	case L3_IPV4: {
		uint8_t *ip = buf + l3;
		uint32_t hl = d->ipv4_opts ? 24 : 20;

		put16(buf + ofs, ETH_IPV4);
		rng_fill(ip, hl);
		ip[0] = 0x40 | hl / 4;
		put16(ip + 6, d->later_frag ? 185 : d->first_frag ? 0x2000 : 0);
		ip[8] = d->ttl;
		ip[9] = d->proto;
		if (d->ipv4_opts)
			memset(ip + 20, 1, 4);  /* NOPs */
		n = hl + build_l4(d, ip + hl);
		put16(ip + 2, n);
		break;
	}
	case L3_IPV6: {
		uint8_t *ip = buf + l3;
		uint32_t o = 40;
		uint8_t *next = ip + 6;

		put16(buf + ofs, ETH_IPV6);
		rng_fill(ip, 40);
		ip[0] = 0x60 | (ip[0] & 0x0f);
		ip[7] = d->ttl;
		if (d->ipv6_hop) {
			*next = 0;
			next = ip + o;
			rng_fill(ip + o, 8);
			ip[o + 1] = 0;
			ip[o + 2] = 1;          /* PadN, 4 bytes */
			ip[o + 3] = 4;
			o += 8;
		}
		if (d->ipv6_route) {
			*next = 43;
			next = ip + o;
			rng_fill(ip + o, 24);
			ip[o + 1] = 2;
			ip[o + 2] = 0;
			ip[o + 3] = d->route_left;
			o += 24;
		}
		*next = d->proto;
		n = o + build_l4(d, ip + o);
		put16(ip + 4, n - 40);
		break;
	}
	case L3_ARP: {
		uint8_t *a = buf + l3;

		put16(buf + ofs, ETH_ARP);
		rng_fill(a, 28);
		put16(a, 1);
		put16(a + 2, ETH_IPV4);
		a[4] = 6;
		a[5] = 4;
		put16(a + 6, 1);
		n = 28;
		break;
	}
	default:
		put16(buf + ofs, 0x88b5);
		n = d->payload_len;
		rng_fill(buf + l3, n);
		break;
	}
	rng_fill(buf + l3 + n, d->eth_pad);
	n += l3 + d->eth_pad;
	fill_csums(buf, n, d->udp_zero);
	return n;
}

/* An mbuf holding 'buf'; with 'split' != 0, the bytes from 'split' on are
 * in a second segment. */
static struct rte_mbuf *
mbuf_from(const uint8_t *buf, uint32_t len, uint32_t split)
{
	struct rte_mbuf *m, *m2;
	uint32_t first = split ? split : len;

	m = rte_pktmbuf_alloc(pool);
	assert_non_null(m);
	memcpy(rte_pktmbuf_append(m, first), buf, first);
	if (split == 0)
		return m;
	m2 = rte_pktmbuf_alloc(pool);
	assert_non_null(m2);
	memcpy(rte_pktmbuf_append(m2, len - split), buf + split, len - split);
	assert_int_equal(rte_pktmbuf_chain(m, m2), 0);
	return m;
}

/* Copies the packet out of 'm' into 'buf'; returns its length. */
static uint32_t
flatten(const struct rte_mbuf *m, uint8_t *buf)
{
	uint32_t len = rte_pktmbuf_pkt_len(m);
	const void *data;

	assert_true(len <= PKT_MAX);
	data = rte_pktmbuf_read(m, 0, len, buf);
	assert_non_null(data);
	if (data != buf)
		memcpy(buf, data, len);
	return len;
}

/* Asserts that 'key' and 'meta' are what a fresh parse of 'm' gives and
 * that every checksum of 'm' is right. */
static void
assert_consistent(const struct rte_mbuf *m, const struct nfv_flow_key *key,
		  const struct nfv_pkt_meta *meta)
{
	uint8_t buf[PKT_MAX];
	struct nfv_flow_key fresh;
	struct nfv_pkt_meta fmeta;
	uint32_t len = flatten(m, buf);
	unsigned int i;

	nfv_parse_buf(buf, len, key->in_port, &fresh, &fmeta);
	for (i = 0; i < NFV_F_N; i++) {
		union nfv_field_value a, b;

		nfv_field_get(&nfv_fields[i], key, &a);
		nfv_field_get(&nfv_fields[i], &fresh, &b);
		if (memcmp(&a, &b, sizeof(a)) != 0)
			fail_msg("key field %s differs from a fresh parse",
				 nfv_fields[i].name);
	}
	assert_memory_equal(key, &fresh, sizeof(fresh));
	assert_int_equal(meta->l3_ofs, fmeta.l3_ofs);
	assert_int_equal(meta->l4_ofs, fmeta.l4_ofs);
	assert_int_equal(meta->vlan_ofs, fmeta.vlan_ofs);
	assert_int_equal(meta->n_vlans, fmeta.n_vlans);
	assert_int_equal(meta->flags, fmeta.flags);
	assert_csums_valid(buf, &fresh, &fmeta);
}

/* One built packet in an mbuf, with its parsed key and offsets and a copy
 * of its bytes before any edit. */
struct pkt {
	struct rte_mbuf *m;
	struct nfv_flow_key key;
	struct nfv_pkt_meta meta;
	uint8_t before[PKT_MAX];
	uint8_t after[PKT_MAX];
	uint32_t len;
};

static void
pkt_make(struct pkt *p, const struct pkt_desc *d, uint32_t split)
{
	p->len = build(d, p->before);
	p->m = mbuf_from(p->before, p->len, split);
	assert_true(nfv_parse_mbuf(p->m, 0, &p->key, &p->meta));
	assert_consistent(p->m, &p->key, &p->meta);
}

/* Copies the packet into p->after and returns its length. */
static uint32_t
pkt_snap(struct pkt *p)
{
	return flatten(p->m, p->after);
}

static void
pkt_free(struct pkt *p)
{
	rte_pktmbuf_free(p->m);
	p->m = NULL;
}

/* The value 'x' for field 'f' (right-aligned, network order). */
static union nfv_field_value
val_int(enum nfv_field_id f, uint64_t x)
{
	union nfv_field_value v;
	int i;

	memset(&v, 0, sizeof(v));
	for (i = nfv_field_value_len(&nfv_fields[f]) - 1; i >= 0; i--) {
		v.u8[i] = x & 0xff;
		x >>= 8;
	}
	return v;
}

static union nfv_field_value
val_bytes(const void *bytes, unsigned int n)
{
	union nfv_field_value v;

	memset(&v, 0, sizeof(v));
	memcpy(v.u8, bytes, n);
	return v;
}

/* Sets 'f' to 'v' in 'p', expecting success: checks the key holds exactly
 * the old key with 'f' set, that it matches a fresh parse, that every
 * checksum is right, and that only the bytes in [ofs, ofs + n) and the
 * checksum fields changed. Leaves the new bytes in p->after. */
static void
set_ok(struct pkt *p, enum nfv_field_id f, const union nfv_field_value *v,
       uint32_t ofs, uint32_t n)
{
	struct nfv_flow_key want = p->key;
	uint32_t len, i, cks_ip = 0, cks_l4 = 0;
	int c;

	nfv_field_set(&nfv_fields[f], &want, v);
	assert_int_equal(nfv_pkt_set_field(p->m, &p->key, &p->meta, f, v), 0);
	/* ICMPv6 type and code decide whether the key has ND fields. */
	if (f != NFV_F_ICMPV6_TYPE && f != NFV_F_ICMPV6_CODE)
		assert_memory_equal(&p->key, &want, sizeof(want));
	assert_consistent(p->m, &p->key, &p->meta);

	len = pkt_snap(p);
	assert_int_equal(len, p->len);
	if (p->key.eth_type == htons(ETH_IPV4))
		cks_ip = p->meta.l3_ofs + 10;
	c = l4_cksum_ofs(p->key.ip_proto);
	if (p->meta.l4_ofs != 0 && c >= 0)
		cks_l4 = p->meta.l4_ofs + c;
	for (i = 0; i < len; i++) {
		if (i >= ofs && i < ofs + n)
			continue;
		if (cks_ip && i >= cks_ip && i < cks_ip + 2)
			continue;
		if (cks_l4 && i >= cks_l4 &&
		    i < cks_l4 + (p->key.ip_proto == IPPROTO_SCTP ? 4 : 2))
			continue;
		if (p->before[i] != p->after[i])
			fail_msg("byte %u changed (%02x -> %02x) setting %s",
				 i, p->before[i], p->after[i],
				 nfv_fields[f].name);
	}
	memcpy(p->before, p->after, len);
}

/* Sets 'f' to 'v', expecting 'err' and no change to packet or key. */
static void
set_fails(struct pkt *p, enum nfv_field_id f, const union nfv_field_value *v,
	  int err)
{
	struct nfv_flow_key key = p->key;
	struct nfv_pkt_meta meta = p->meta;

	assert_int_equal(nfv_pkt_set_field(p->m, &p->key, &p->meta, f, v),
			 err);
	assert_memory_equal(&p->key, &key, sizeof(key));
	assert_memory_equal(&p->meta, &meta, sizeof(meta));
	assert_int_equal(pkt_snap(p), p->len);
	assert_memory_equal(p->after, p->before, p->len);
}

/* ---- Tests. ---- */

static void
test_reference_crc32c_matches_known_answer(void **state)
{
	static const uint8_t zeros[32];

	(void)state;
	assert_int_equal(ref_crc32c((const uint8_t *)"123456789", 9),
			 0xe3069283);
	/* RFC 3720 B.4: 32 bytes of zeros. */
	assert_int_equal(ref_crc32c(zeros, 32), 0x8a9136aa);
}

static void
test_set_eth_src_and_dst(void **state)
{
	static const uint8_t src[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	static const uint8_t dst[6] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee };
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_TCP);
	union nfv_field_value v;
	struct pkt p;

	(void)state;
	pkt_make(&p, &d, 0);
	v = val_bytes(src, 6);
	set_ok(&p, NFV_F_ETH_SRC, &v, 6, 6);
	assert_memory_equal(p.after + 6, src, 6);
	v = val_bytes(dst, 6);
	set_ok(&p, NFV_F_ETH_DST, &v, 0, 6);
	assert_memory_equal(p.after, dst, 6);
	pkt_free(&p);
}

static void
test_set_vlan_vid_keeps_pcp_and_dei(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_UDP);
	union nfv_field_value v;
	struct pkt p;

	(void)state;
	d.n_vlans = 1;
	d.tci[0] = 0xb064;      /* PCP 5, DEI 1, VID 100 */
	pkt_make(&p, &d, 0);
	v = val_int(NFV_F_VLAN_VID, NFV_VLAN_PRESENT | 0xabc);
	set_ok(&p, NFV_F_VLAN_VID, &v, 14, 2);
	assert_int_equal(be16_at(p.after + 14), 0xbabc);
	assert_int_equal(ntohs(p.key.vlan_tci), 0xa000 | 0x1000 | 0xabc);
	pkt_free(&p);
}

static void
test_set_vlan_vid_on_untagged_is_einval(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_UDP);
	union nfv_field_value v = val_int(NFV_F_VLAN_VID, 0x1005);
	struct pkt p;

	(void)state;
	pkt_make(&p, &d, 0);
	set_fails(&p, NFV_F_VLAN_VID, &v, -EINVAL);
	v = val_int(NFV_F_VLAN_PCP, 3);
	set_fails(&p, NFV_F_VLAN_PCP, &v, -EINVAL);
	pkt_free(&p);
}

static void
test_set_vlan_vid_without_present_bit_is_einval(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_UDP);
	union nfv_field_value v = val_int(NFV_F_VLAN_VID, 0x0005);
	struct pkt p;

	(void)state;
	d.n_vlans = 1;
	d.tci[0] = 0x0064;
	pkt_make(&p, &d, 0);
	set_fails(&p, NFV_F_VLAN_VID, &v, -EINVAL);
	pkt_free(&p);
}

static void
test_set_vlan_pcp_keeps_vid(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV6, IPPROTO_TCP);
	union nfv_field_value v = val_int(NFV_F_VLAN_PCP, 6);
	struct pkt p;

	(void)state;
	d.n_vlans = 2;
	d.tpid[0] = 0x88a8;
	d.tci[0] = 0x3123;
	d.tci[1] = 0x0456;
	pkt_make(&p, &d, 0);
	set_ok(&p, NFV_F_VLAN_PCP, &v, 14, 2);
	assert_int_equal(be16_at(p.after + 14), 0xd123);
	assert_int_equal(be16_at(p.after + 18), 0x0456);
	pkt_free(&p);
}

static void
test_set_ip_dscp_and_ecn_ipv4_fixes_header_checksum(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_TCP);
	union nfv_field_value v;
	struct pkt p;

	(void)state;
	pkt_make(&p, &d, 0);
	v = val_int(NFV_F_IP_DSCP, 46);
	set_ok(&p, NFV_F_IP_DSCP, &v, 15, 1);
	assert_int_equal(p.after[15] >> 2, 46);
	v = val_int(NFV_F_IP_ECN, 3);
	set_ok(&p, NFV_F_IP_ECN, &v, 15, 1);
	assert_int_equal(p.after[15], 46 << 2 | 3);
	assert_int_equal(p.key.ip_tos, 46 << 2 | 3);
	pkt_free(&p);
}

static void
test_set_ip_dscp_and_ecn_ipv6_traffic_class(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV6, IPPROTO_UDP);
	union nfv_field_value v;
	struct pkt p;
	uint32_t vtc;

	(void)state;
	pkt_make(&p, &d, 0);
	v = val_int(NFV_F_IP_DSCP, 10);
	set_ok(&p, NFV_F_IP_DSCP, &v, 14, 2);
	v = val_int(NFV_F_IP_ECN, 1);
	set_ok(&p, NFV_F_IP_ECN, &v, 14, 2);
	vtc = (uint32_t)be16_at(p.after + 14) << 16 | be16_at(p.after + 16);
	assert_int_equal(vtc >> 28, 6);
	assert_int_equal((vtc >> 20) & 0xff, 10 << 2 | 1);
	assert_int_equal(vtc & 0xfffff, ntohl(p.key.ipv6_label));
	pkt_free(&p);
}

/* Sets ipv4_src and ipv4_dst on a packet of 'd'. */
static void
check_set_ipv4_addrs(const struct pkt_desc *d)
{
	static const uint8_t src[4] = { 10, 1, 2, 3 };
	static const uint8_t dst[4] = { 192, 168, 200, 254 };
	union nfv_field_value v;
	struct pkt p;

	pkt_make(&p, d, 0);
	v = val_bytes(src, 4);
	set_ok(&p, NFV_F_IPV4_SRC, &v, p.meta.l3_ofs + 12, 4);
	assert_memory_equal(p.after + p.meta.l3_ofs + 12, src, 4);
	v = val_bytes(dst, 4);
	set_ok(&p, NFV_F_IPV4_DST, &v, p.meta.l3_ofs + 16, 4);
	assert_memory_equal(p.after + p.meta.l3_ofs + 16, dst, 4);
	pkt_free(&p);
}

static void
test_set_ipv4_addrs_fix_tcp_checksum(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_TCP);

	(void)state;
	check_set_ipv4_addrs(&d);
	d.ipv4_opts = true;
	check_set_ipv4_addrs(&d);
}

static void
test_set_ipv4_addrs_fix_udp_checksum(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_UDP);

	(void)state;
	check_set_ipv4_addrs(&d);
	d.eth_pad = 7;
	check_set_ipv4_addrs(&d);
}

static void
test_set_ipv4_addrs_keep_udp_zero_checksum(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_UDP);
	union nfv_field_value v = val_int(NFV_F_IPV4_SRC, 0x0a000001);
	struct pkt p;

	(void)state;
	d.udp_zero = true;
	pkt_make(&p, &d, 0);
	set_ok(&p, NFV_F_IPV4_SRC, &v, p.meta.l3_ofs + 12, 4);
	v = val_int(NFV_F_UDP_DST, 53);
	set_ok(&p, NFV_F_UDP_DST, &v, p.meta.l4_ofs + 2, 2);
	assert_int_equal(be16_at(p.after + p.meta.l4_ofs + 6), 0);
	pkt_free(&p);
}

static void
test_set_ipv4_addrs_leave_icmp_and_sctp_checksums(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_ICMP);

	(void)state;
	check_set_ipv4_addrs(&d);
	d = desc_l4(L3_IPV4, IPPROTO_SCTP);
	check_set_ipv4_addrs(&d);
}

static void
test_set_ipv4_addrs_of_later_fragment_touch_only_ip(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_TCP);
	union nfv_field_value v = val_int(NFV_F_TCP_SRC, 80);
	struct pkt p;

	(void)state;
	d.later_frag = true;
	pkt_make(&p, &d, 0);
	assert_int_equal(p.meta.l4_ofs, 0);
	set_fails(&p, NFV_F_TCP_SRC, &v, -EINVAL);
	pkt_free(&p);
	/* set_ok checks that nothing past the IP header changed. */
	check_set_ipv4_addrs(&d);
}

/* The one's complement sum of the L4 message of 'buf' with its
 * pseudo-header, checksum included. */
static uint16_t
l4_total_sum(const uint8_t *buf, const struct nfv_flow_key *key,
	     const struct nfv_pkt_meta *meta)
{
	uint32_t l4_len, sum;

	sum = pseudo_sum(buf, key, meta, &l4_len);
	return ref_fold(ref_sum(buf + meta->l4_ofs, l4_len, sum));
}

static void
test_set_ipv4_addrs_of_first_fragment_fix_l4(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_UDP);
	union nfv_field_value v = val_int(NFV_F_IPV4_DST, 0x01020304);
	uint16_t sum;
	struct pkt p;

	(void)state;
	/* The L4 checksum of a first fragment covers the whole datagram, so
	 * it cannot be verified here; but the sum over what this fragment
	 * holds, pseudo-header and checksum included, must not move. */
	d.first_frag = true;
	d.proto = IPPROTO_TCP;
	pkt_make(&p, &d, 0);
	sum = l4_total_sum(p.before, &p.key, &p.meta);
	set_ok(&p, NFV_F_IPV4_DST, &v, p.meta.l3_ofs + 16, 4);
	assert_int_equal(l4_total_sum(p.after, &p.key, &p.meta), sum);
	pkt_free(&p);
}

/* Sets source and destination port field 'fsrc' / 'fsrc + 1' of 'd'. */
static void
check_set_ports(const struct pkt_desc *d, enum nfv_field_id fsrc)
{
	union nfv_field_value v;
	struct pkt p;

	pkt_make(&p, d, 0);
	v = val_int(fsrc, 4242);
	set_ok(&p, fsrc, &v, p.meta.l4_ofs, 2);
	assert_int_equal(be16_at(p.after + p.meta.l4_ofs), 4242);
	v = val_int(fsrc + 1, 65535);
	set_ok(&p, fsrc + 1, &v, p.meta.l4_ofs + 2, 2);
	assert_int_equal(be16_at(p.after + p.meta.l4_ofs + 2), 65535);
	pkt_free(&p);
}

static void
test_set_tcp_ports_fix_checksum(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_TCP);

	(void)state;
	check_set_ports(&d, NFV_F_TCP_SRC);
	d.l3 = L3_IPV6;
	check_set_ports(&d, NFV_F_TCP_SRC);
}

static void
test_set_udp_ports_fix_checksum(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_UDP);

	(void)state;
	check_set_ports(&d, NFV_F_UDP_SRC);
	d.l3 = L3_IPV6;
	check_set_ports(&d, NFV_F_UDP_SRC);
	d.udp_zero = true;
	check_set_ports(&d, NFV_F_UDP_SRC);
}

static void
test_set_udp_port_never_writes_zero_checksum(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_UDP);
	union nfv_field_value v;
	uint32_t l4_len, sum;
	uint16_t port;
	struct pkt p;

	(void)state;
	/* Choose the source port that makes the one's complement sum of
	 * the datagram 0xffff: its checksum is 0, which UDP must send as
	 * 0xffff. */
	do {
		pkt_make(&p, &d, 0);
		memset(p.before + p.meta.l4_ofs, 0, 2);
		memset(p.before + p.meta.l4_ofs + 6, 0, 2);
		sum = ref_fold(ref_sum(p.before + p.meta.l4_ofs,
				       be16_at(p.before + p.meta.l4_ofs + 4),
				       pseudo_sum(p.before, &p.key, &p.meta,
						  &l4_len)));
		port = ~sum & 0xffff;
		if (port != 0)
			break;
		pkt_free(&p);
	} while (true);
	memcpy(p.before, rte_pktmbuf_mtod(p.m, uint8_t *), p.len);
	v = val_int(NFV_F_UDP_SRC, port);
	set_ok(&p, NFV_F_UDP_SRC, &v, p.meta.l4_ofs, 2);
	assert_int_equal(be16_at(p.after + p.meta.l4_ofs + 6), 0xffff);
	pkt_free(&p);
}

static void
test_set_sctp_ports_fix_crc32c(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_SCTP);
	unsigned int len;

	(void)state;
	for (len = 0; len < 40; len += 3) {
		d.payload_len = len;
		d.l3 = L3_IPV4;
		d.eth_pad = len % 5;
		check_set_ports(&d, NFV_F_SCTP_SRC);
		d.l3 = L3_IPV6;
		check_set_ports(&d, NFV_F_SCTP_SRC);
	}
}

static void
test_set_sctp_port_keeps_bad_crc_bad(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_SCTP);
	union nfv_field_value v = val_int(NFV_F_SCTP_DST, 9);
	uint8_t buf[PKT_MAX];
	uint32_t l4_len, crc, stored;
	uint8_t *l4;
	struct pkt p;

	(void)state;
	pkt_make(&p, &d, 0);
	l4 = rte_pktmbuf_mtod_offset(p.m, uint8_t *, p.meta.l4_ofs);
	l4[8] ^= 0x5a;          /* corrupt the CRC */
	assert_int_equal(nfv_pkt_set_field(p.m, &p.key, &p.meta,
					   NFV_F_SCTP_DST, &v), 0);
	flatten(p.m, buf);
	pseudo_sum(buf, &p.key, &p.meta, &l4_len);
	memcpy(&stored, buf + p.meta.l4_ofs + 8, 4);
	memset(buf + p.meta.l4_ofs + 8, 0, 4);
	crc = ref_crc32c(buf + p.meta.l4_ofs, l4_len);
	assert_int_equal(stored ^ rte_cpu_to_le_32(crc), 0x5a);
	pkt_free(&p);
}

static void
test_set_sctp_port_of_fragment_is_enotsup(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_SCTP);
	union nfv_field_value v = val_int(NFV_F_SCTP_SRC, 9);
	struct pkt p;

	(void)state;
	d.first_frag = true;
	pkt_make(&p, &d, 0);
	set_fails(&p, NFV_F_SCTP_SRC, &v, -ENOTSUP);
	pkt_free(&p);
}

static void
test_set_sctp_port_with_payload_in_second_segment(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV6, IPPROTO_SCTP);
	union nfv_field_value v = val_int(NFV_F_SCTP_SRC, 7777);
	struct pkt p;

	(void)state;
	d.payload_len = 300;
	pkt_make(&p, &d, 14 + 40 + 12 + 5);
	set_ok(&p, NFV_F_SCTP_SRC, &v, p.meta.l4_ofs, 2);
	pkt_free(&p);
}

static void
test_set_icmp_type_and_code_fix_checksum(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_ICMP);
	union nfv_field_value v;
	struct pkt p;

	(void)state;
	pkt_make(&p, &d, 0);
	v = val_int(NFV_F_ICMPV4_TYPE, 0);
	set_ok(&p, NFV_F_ICMPV4_TYPE, &v, p.meta.l4_ofs, 1);
	v = val_int(NFV_F_ICMPV4_CODE, 3);
	set_ok(&p, NFV_F_ICMPV4_CODE, &v, p.meta.l4_ofs + 1, 1);
	assert_int_equal(p.after[p.meta.l4_ofs], 0);
	assert_int_equal(p.after[p.meta.l4_ofs + 1], 3);
	assert_int_equal(ntohs(p.key.tp_src), 0);
	assert_int_equal(ntohs(p.key.tp_dst), 3);
	pkt_free(&p);
}

static void
test_set_icmpv6_type_and_code_fix_checksum(void **state)
{
	static const uint8_t opts[] = { 1, 0 };
	static const uint8_t zero[16];
	struct pkt_desc d = desc_l4(L3_IPV6, IPPROTO_ICMPV6);
	union nfv_field_value v;
	struct pkt p;

	(void)state;
	d.icmp_type = 128;
	pkt_make(&p, &d, 0);
	v = val_int(NFV_F_ICMPV6_TYPE, 129);
	set_ok(&p, NFV_F_ICMPV6_TYPE, &v, p.meta.l4_ofs, 1);
	v = val_int(NFV_F_ICMPV6_CODE, 1);
	set_ok(&p, NFV_F_ICMPV6_CODE, &v, p.meta.l4_ofs + 1, 1);
	pkt_free(&p);

	/* The ND fields of the key follow the type and code: an NS with an
	 * SLL option, then echo (no ND fields), NA (the target; an SLL
	 * option is not read in an NA), NA with code 1 (not ND). */
	d.icmp_type = 135;
	d.nd_opts = opts;
	pkt_make(&p, &d, 0);
	assert_memory_not_equal(p.key.arp_sha, zero, 6);
	v = val_int(NFV_F_ICMPV6_TYPE, 128);
	set_ok(&p, NFV_F_ICMPV6_TYPE, &v, p.meta.l4_ofs, 1);
	assert_memory_equal(p.key.nd_target, zero, 16);
	assert_memory_equal(p.key.arp_sha, zero, 6);
	v = val_int(NFV_F_ICMPV6_TYPE, 136);
	set_ok(&p, NFV_F_ICMPV6_TYPE, &v, p.meta.l4_ofs, 1);
	assert_memory_equal(p.key.nd_target, p.after + p.meta.l4_ofs + 8, 16);
	assert_memory_equal(p.key.arp_sha, zero, 6);
	v = val_int(NFV_F_ICMPV6_CODE, 1);
	set_ok(&p, NFV_F_ICMPV6_CODE, &v, p.meta.l4_ofs + 1, 1);
	assert_memory_equal(p.key.nd_target, zero, 16);
	pkt_free(&p);
}

static void
test_set_arp_fields(void **state)
{
	static const uint8_t sha[6] = { 0x02, 1, 2, 3, 4, 5 };
	static const uint8_t tha[6] = { 0x02, 6, 7, 8, 9, 10 };
	struct pkt_desc d = desc_l4(L3_ARP, 0);
	union nfv_field_value v;
	struct pkt p;
	uint32_t a;

	(void)state;
	d.eth_pad = 18;
	pkt_make(&p, &d, 0);
	a = p.meta.l3_ofs;
	v = val_int(NFV_F_ARP_OP, 2);
	set_ok(&p, NFV_F_ARP_OP, &v, a + 6, 2);
	assert_int_equal(be16_at(p.after + a + 6), 2);
	v = val_bytes(sha, 6);
	set_ok(&p, NFV_F_ARP_SHA, &v, a + 8, 6);
	assert_memory_equal(p.after + a + 8, sha, 6);
	v = val_int(NFV_F_ARP_SPA, 0x0a000001);
	set_ok(&p, NFV_F_ARP_SPA, &v, a + 14, 4);
	assert_memory_equal(p.after + a + 14, "\x0a\x00\x00\x01", 4);
	v = val_bytes(tha, 6);
	set_ok(&p, NFV_F_ARP_THA, &v, a + 18, 6);
	assert_memory_equal(p.after + a + 18, tha, 6);
	v = val_int(NFV_F_ARP_TPA, 0x0a0000fe);
	set_ok(&p, NFV_F_ARP_TPA, &v, a + 24, 4);
	assert_memory_equal(p.after + a + 24, "\x0a\x00\x00\xfe", 4);
	pkt_free(&p);
}

/* Sets ipv6_src and ipv6_dst on a packet of 'd'. */
static void
check_set_ipv6_addrs(const struct pkt_desc *d)
{
	static const uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t dst[16] = { 0xfe, 0x80, [8] = 0xff, [15] = 0xfe };
	union nfv_field_value v;
	struct pkt p;

	pkt_make(&p, d, 0);
	v = val_bytes(src, 16);
	set_ok(&p, NFV_F_IPV6_SRC, &v, p.meta.l3_ofs + 8, 16);
	assert_memory_equal(p.after + p.meta.l3_ofs + 8, src, 16);
	v = val_bytes(dst, 16);
	set_ok(&p, NFV_F_IPV6_DST, &v, p.meta.l3_ofs + 24, 16);
	assert_memory_equal(p.after + p.meta.l3_ofs + 24, dst, 16);
	pkt_free(&p);
}

static void
test_set_ipv6_addrs_fix_l4_checksums(void **state)
{
	struct pkt_desc d;

	(void)state;
	d = desc_l4(L3_IPV6, IPPROTO_TCP);
	check_set_ipv6_addrs(&d);
	d = desc_l4(L3_IPV6, IPPROTO_UDP);
	check_set_ipv6_addrs(&d);
	d.ipv6_hop = true;
	check_set_ipv6_addrs(&d);
	d = desc_l4(L3_IPV6, IPPROTO_ICMPV6);
	d.icmp_type = 128;
	check_set_ipv6_addrs(&d);
	d = desc_l4(L3_IPV6, IPPROTO_SCTP);
	check_set_ipv6_addrs(&d);
}

static void
test_set_ipv6_dst_with_routing_header_uses_final_destination(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV6, IPPROTO_TCP);

	(void)state;
	/* With segments left, the pseudo-header holds the final destination
	 * from the routing header (the reference checker uses it too); with
	 * none left, the destination address. */
	d.ipv6_route = true;
	d.route_left = 1;
	check_set_ipv6_addrs(&d);
	d.ipv6_hop = true;
	d.proto = IPPROTO_UDP;
	check_set_ipv6_addrs(&d);
	d.route_left = 0;
	check_set_ipv6_addrs(&d);
}

static void
test_set_ipv6_label(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV6, IPPROTO_TCP);
	union nfv_field_value v = val_int(NFV_F_IPV6_FLABEL, 0xabcde);
	struct pkt p;
	uint8_t tc;

	(void)state;
	pkt_make(&p, &d, 0);
	tc = p.key.ip_tos;
	set_ok(&p, NFV_F_IPV6_FLABEL, &v, p.meta.l3_ofs + 1, 3);
	assert_int_equal(p.after[p.meta.l3_ofs + 1] & 0x0f, 0xa);
	assert_int_equal(be16_at(p.after + p.meta.l3_ofs + 2), 0xbcde);
	assert_int_equal(p.key.ip_tos, tc);
	pkt_free(&p);
}

static void
test_set_nd_target_fixes_checksum(void **state)
{
	static const uint8_t tgt[16] = { 0x20, 0x01, [14] = 0x12, 0x34 };
	struct pkt_desc d = desc_l4(L3_IPV6, IPPROTO_ICMPV6);
	union nfv_field_value v = val_bytes(tgt, 16);
	struct pkt p;

	(void)state;
	d.icmp_type = 136;
	pkt_make(&p, &d, 0);
	set_ok(&p, NFV_F_IPV6_ND_TARGET, &v, p.meta.l4_ofs + 8, 16);
	assert_memory_equal(p.after + p.meta.l4_ofs + 8, tgt, 16);
	pkt_free(&p);
}

static void
test_set_nd_sll_and_tll_find_their_options(void **state)
{
	static const uint8_t ns_opts[] = { 14, 2, 1, 0 };
	static const uint8_t na_opts[] = { 1, 2, 0 };
	static const uint8_t mac[6] = { 0x02, 0xde, 0xad, 0xbe, 0xef, 0x01 };
	struct pkt_desc d = desc_l4(L3_IPV6, IPPROTO_ICMPV6);
	union nfv_field_value v = val_bytes(mac, 6);
	struct pkt p;

	(void)state;
	/* NS: a nonce and a TLL option before the SLL option. */
	d.icmp_type = 135;
	d.nd_opts = ns_opts;
	pkt_make(&p, &d, 0);
	set_ok(&p, NFV_F_IPV6_ND_SLL, &v, p.meta.l4_ofs + 24 + 16 + 2, 6);
	assert_memory_equal(p.key.arp_sha, mac, 6);
	pkt_free(&p);

	d.icmp_type = 136;
	d.nd_opts = na_opts;
	pkt_make(&p, &d, 0);
	set_ok(&p, NFV_F_IPV6_ND_TLL, &v, p.meta.l4_ofs + 24 + 8 + 2, 6);
	assert_memory_equal(p.key.arp_tha, mac, 6);
	pkt_free(&p);
}

static void
test_set_nd_sll_without_option_is_einval(void **state)
{
	static const uint8_t opts[] = { 2, 0 };
	static const uint8_t sll[] = { 1, 0 };
	static const uint8_t mac[6] = { 0x02, 0xde, 0xad, 0xbe, 0xef, 0x01 };
	struct pkt_desc d = desc_l4(L3_IPV6, IPPROTO_ICMPV6);
	union nfv_field_value v = val_bytes(mac, 6);
	struct pkt p;

	(void)state;
	d.icmp_type = 135;
	d.nd_opts = opts;
	pkt_make(&p, &d, 0);
	set_fails(&p, NFV_F_IPV6_ND_SLL, &v, -EINVAL);
	pkt_free(&p);

	d.nd_opts = NULL;
	d.icmp_type = 136;
	pkt_make(&p, &d, 0);
	set_fails(&p, NFV_F_IPV6_ND_TLL, &v, -EINVAL);
	pkt_free(&p);

	/* An NA's SLL option is not nd_sll. */
	d.nd_opts = sll;
	pkt_make(&p, &d, 0);
	set_fails(&p, NFV_F_IPV6_ND_SLL, &v, -EINVAL);
	pkt_free(&p);

	/* An option of length 0 ends the walk; one of length 2 does not
	 * hold an Ethernet address. */
	d.nd_opts = opts;
	pkt_make(&p, &d, 0);
	rte_pktmbuf_mtod_offset(p.m, uint8_t *, p.meta.l4_ofs + 25)[0] = 0;
	p.before[p.meta.l4_ofs + 25] = 0;
	set_fails(&p, NFV_F_IPV6_ND_TLL, &v, -EINVAL);
	rte_pktmbuf_mtod_offset(p.m, uint8_t *, p.meta.l4_ofs + 25)[0] = 2;
	p.before[p.meta.l4_ofs + 25] = 2;
	set_fails(&p, NFV_F_IPV6_ND_TLL, &v, -EINVAL);
	pkt_free(&p);
}

/* Builds an NS with an SLL option, sets the byte at 'ofs' of its ICMPv6
 * message to 'value' (checksums made right again) and parses it. */
static void
pkt_make_spoiled_ns(struct pkt *p, uint32_t ofs, uint8_t value)
{
	static const uint8_t opts[] = { 1, 0 };
	struct pkt_desc d = desc_l4(L3_IPV6, IPPROTO_ICMPV6);
	uint32_t l4 = 14 + 40;

	d.icmp_type = 135;
	d.nd_opts = opts;
	p->len = build(&d, p->before);
	p->before[l4 + ofs] = value;
	fill_csums(p->before, p->len, false);
	p->m = mbuf_from(p->before, p->len, 0);
	nfv_parse_mbuf(p->m, 0, &p->key, &p->meta);
	assert_consistent(p->m, &p->key, &p->meta);
}

static void
test_set_nd_fields_the_parser_did_not_read_is_einval(void **state)
{
	static const uint8_t mac[6] = { 0x02, 0xde, 0xad, 0xbe, 0xef, 0x01 };
	union nfv_field_value v = val_bytes(mac, 6);
	struct pkt p;

	(void)state;
	/* Code 1: not ND to the parser. */
	pkt_make_spoiled_ns(&p, 1, 1);
	assert_int_equal(p.meta.flags, 0);
	set_fails(&p, NFV_F_IPV6_ND_SLL, &v, -EINVAL);
	set_fails(&p, NFV_F_IPV6_ND_TARGET, &v, -EINVAL);
	pkt_free(&p);
	/* An option of length 0: malformed, no ND fields in the key. */
	pkt_make_spoiled_ns(&p, 25, 0);
	assert_int_not_equal(p.meta.flags, 0);
	set_fails(&p, NFV_F_IPV6_ND_SLL, &v, -EINVAL);
	set_fails(&p, NFV_F_IPV6_ND_TARGET, &v, -EINVAL);
	pkt_free(&p);
}

static void
test_set_nw_ttl(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_UDP);
	union nfv_field_value v = val_int(NFV_F_IP_TTL, 7);
	struct pkt p;

	(void)state;
	pkt_make(&p, &d, 0);
	set_ok(&p, NFV_F_IP_TTL, &v, p.meta.l3_ofs + 8, 1);
	assert_int_equal(p.after[p.meta.l3_ofs + 8], 7);
	pkt_free(&p);
	d.l3 = L3_IPV6;
	pkt_make(&p, &d, 0);
	set_ok(&p, NFV_F_IP_TTL, &v, p.meta.l3_ofs + 7, 1);
	assert_int_equal(p.after[p.meta.l3_ofs + 7], 7);
	pkt_free(&p);
}

static void
test_set_field_on_missing_header_is_einval(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_UDP);
	union nfv_field_value v;
	struct pkt p;

	(void)state;
	pkt_make(&p, &d, 0);
	v = val_int(NFV_F_TCP_SRC, 1);
	set_fails(&p, NFV_F_TCP_SRC, &v, -EINVAL);
	v = val_int(NFV_F_SCTP_DST, 1);
	set_fails(&p, NFV_F_SCTP_DST, &v, -EINVAL);
	v = val_int(NFV_F_ICMPV4_TYPE, 1);
	set_fails(&p, NFV_F_ICMPV4_TYPE, &v, -EINVAL);
	v = val_int(NFV_F_ICMPV6_CODE, 1);
	set_fails(&p, NFV_F_ICMPV6_CODE, &v, -EINVAL);
	v = val_int(NFV_F_ARP_OP, 2);
	set_fails(&p, NFV_F_ARP_OP, &v, -EINVAL);
	v = val_int(NFV_F_IPV6_FLABEL, 1);
	set_fails(&p, NFV_F_IPV6_FLABEL, &v, -EINVAL);
	set_fails(&p, NFV_F_IPV6_SRC, &v, -EINVAL);
	set_fails(&p, NFV_F_IPV6_ND_TARGET, &v, -EINVAL);
	/* Not settable. */
	v = val_int(NFV_F_ETH_TYPE, ETH_IPV6);
	set_fails(&p, NFV_F_ETH_TYPE, &v, -EINVAL);
	v = val_int(NFV_F_IP_PROTO, 6);
	set_fails(&p, NFV_F_IP_PROTO, &v, -EINVAL);
	pkt_free(&p);

	d = desc_l4(L3_IPV6, IPPROTO_ICMPV6);
	d.icmp_type = 128;
	pkt_make(&p, &d, 0);
	v = val_int(NFV_F_IPV4_SRC, 1);
	set_fails(&p, NFV_F_IPV4_SRC, &v, -EINVAL);
	set_fails(&p, NFV_F_ARP_SPA, &v, -EINVAL);
	set_fails(&p, NFV_F_IPV6_ND_TARGET, &v, -EINVAL);
	set_fails(&p, NFV_F_ICMPV4_CODE, &v, -EINVAL);
	pkt_free(&p);

	d = desc_l4(L3_ARP, 0);
	pkt_make(&p, &d, 0);
	v = val_int(NFV_F_IP_DSCP, 1);
	set_fails(&p, NFV_F_IP_DSCP, &v, -EINVAL);
	set_fails(&p, NFV_F_IP_TTL, &v, -EINVAL);
	set_fails(&p, NFV_F_IPV4_DST, &v, -EINVAL);
	pkt_free(&p);
}

static void
test_headers_in_second_segment_are_enotsup(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_TCP);
	union nfv_field_value v;
	struct pkt p;

	(void)state;
	/* Only the Ethernet header in the first segment. */
	pkt_make(&p, &d, 14);
	v = val_int(NFV_F_IPV4_SRC, 0x0a000001);
	set_fails(&p, NFV_F_IPV4_SRC, &v, -ENOTSUP);
	v = val_int(NFV_F_TCP_DST, 80);
	set_fails(&p, NFV_F_TCP_DST, &v, -ENOTSUP);
	assert_int_equal(nfv_pkt_dec_ttl(p.m, &p.key, &p.meta), -ENOTSUP);
	assert_int_equal(nfv_pkt_set_ttl(p.m, &p.key, &p.meta, 9), -ENOTSUP);
	v = val_int(NFV_F_ETH_SRC, 0x020000000001);
	set_ok(&p, NFV_F_ETH_SRC, &v, 6, 6);
	pkt_free(&p);

	/* IP header in the first segment, TCP checksum in the second: the
	 * IP header must not be half edited. */
	pkt_make(&p, &d, 14 + 20 + 10);
	v = val_int(NFV_F_IPV4_SRC, 0x0a000001);
	set_fails(&p, NFV_F_IPV4_SRC, &v, -ENOTSUP);
	v = val_int(NFV_F_IP_DSCP, 8);
	set_ok(&p, NFV_F_IP_DSCP, &v, 15, 1);
	pkt_free(&p);

	/* Double tag split between the segments. */
	d.n_vlans = 2;
	pkt_make(&p, &d, 18);
	assert_int_equal(nfv_pkt_pop_vlan(p.m, &p.key, &p.meta), -ENOTSUP);
	pkt_free(&p);
}

static void
test_push_vlan_on_untagged(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_TCP);
	struct pkt p;
	uint32_t len;

	(void)state;
	pkt_make(&p, &d, 0);
	assert_int_equal(nfv_pkt_push_vlan(p.m, &p.key, &p.meta, 0x8100), 0);
	assert_consistent(p.m, &p.key, &p.meta);
	len = pkt_snap(&p);
	assert_int_equal(len, p.len + 4);
	assert_memory_equal(p.after, p.before, 12);
	assert_int_equal(be16_at(p.after + 12), 0x8100);
	assert_int_equal(be16_at(p.after + 14), 0);
	assert_memory_equal(p.after + 16, p.before + 12, p.len - 12);
	assert_int_equal(ntohs(p.key.vlan_tci), NFV_VLAN_PRESENT);
	assert_int_equal(p.meta.n_vlans, 1);
	assert_int_equal(p.meta.vlan_ofs, 12);
	assert_int_equal(p.meta.l3_ofs, 18);
	assert_int_equal(p.meta.l4_ofs, 38);
	pkt_free(&p);
}

static void
test_push_vlan_on_tagged_copies_vid_and_pcp(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV6, IPPROTO_UDP);
	struct pkt p;

	(void)state;
	d.n_vlans = 1;
	d.tci[0] = 0xb123;      /* PCP 5, DEI 1, VID 0x123 */
	pkt_make(&p, &d, 0);
	assert_int_equal(nfv_pkt_push_vlan(p.m, &p.key, &p.meta, 0x88a8), 0);
	assert_consistent(p.m, &p.key, &p.meta);
	pkt_snap(&p);
	assert_int_equal(be16_at(p.after + 12), 0x88a8);
	assert_int_equal(be16_at(p.after + 14), 0xa123);
	assert_memory_equal(p.after + 16, p.before + 12, p.len - 12);
	assert_int_equal(ntohs(p.key.vlan_tci), 0xb123);
	assert_int_equal(p.meta.n_vlans, 2);
	pkt_free(&p);
}

static void
test_push_vlan_without_headroom_is_enospc(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_UDP);
	struct nfv_flow_key key;
	struct nfv_pkt_meta meta;
	uint8_t buf[PKT_MAX];
	struct rte_mbuf *m;
	uint32_t len;

	(void)state;
	len = build(&d, buf);
	nfv_parse_buf(buf, len, 0, &key, &meta);
	m = rte_pktmbuf_alloc(pool);
	assert_non_null(m);
	m->data_off = 3;
	memcpy(rte_pktmbuf_append(m, len), buf, len);
	assert_int_equal(nfv_pkt_push_vlan(m, &key, &meta, 0x8100), -ENOSPC);
	assert_int_equal(rte_pktmbuf_pkt_len(m), len);
	assert_memory_equal(rte_pktmbuf_mtod(m, uint8_t *), buf, len);
	assert_consistent(m, &key, &meta);
	rte_pktmbuf_free(m);
}

static void
test_push_vlan_third_tag_hides_l3_like_a_fresh_parse(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_TCP);
	union nfv_field_value v = val_int(NFV_F_IPV4_SRC, 0x0a000001);
	struct nfv_flow_key key;
	struct nfv_pkt_meta meta;
	struct pkt p;

	(void)state;
	d.n_vlans = 2;
	d.tci[0] = 0x0001;
	d.tci[1] = 0x0002;
	pkt_make(&p, &d, 0);
	key = p.key;
	meta = p.meta;
	/* The parser reads two tags: with three, the third TPID is the
	 * eth_type and there is no L3. */
	assert_int_equal(nfv_pkt_push_vlan(p.m, &p.key, &p.meta, 0x88a8), 0);
	assert_consistent(p.m, &p.key, &p.meta);
	assert_int_equal(ntohs(p.key.eth_type), 0x8100);
	assert_int_equal(ntohs(p.key.vlan_tci), 0x1001);
	assert_int_equal(p.meta.n_vlans, 2);
	assert_int_equal(p.meta.l3_ofs, 0);
	assert_int_equal(nfv_pkt_set_field(p.m, &p.key, &p.meta,
					   NFV_F_IPV4_SRC, &v), -EINVAL);
	/* Popping it brings the IPv4 header back into view. */
	assert_int_equal(nfv_pkt_pop_vlan(p.m, &p.key, &p.meta), 0);
	assert_consistent(p.m, &p.key, &p.meta);
	assert_memory_equal(&p.key, &key, sizeof(key));
	assert_memory_equal(&p.meta, &meta, sizeof(meta));
	assert_int_equal(pkt_snap(&p), p.len);
	assert_memory_equal(p.after, p.before, p.len);
	pkt_free(&p);
}

static void
test_pop_vlan_single_tag(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_UDP);
	struct pkt p;
	uint32_t len;

	(void)state;
	d.n_vlans = 1;
	d.tci[0] = 0x6064;
	pkt_make(&p, &d, 0);
	assert_int_equal(nfv_pkt_pop_vlan(p.m, &p.key, &p.meta), 0);
	assert_consistent(p.m, &p.key, &p.meta);
	len = pkt_snap(&p);
	assert_int_equal(len, p.len - 4);
	assert_memory_equal(p.after, p.before, 12);
	assert_memory_equal(p.after + 12, p.before + 16, len - 12);
	assert_int_equal(p.key.vlan_tci, 0);
	assert_int_equal(p.meta.n_vlans, 0);
	assert_int_equal(p.meta.vlan_ofs, 0);
	assert_int_equal(p.meta.l3_ofs, 14);
	assert_int_equal(nfv_pkt_pop_vlan(p.m, &p.key, &p.meta), -EINVAL);
	pkt_free(&p);
}

static void
test_pop_vlan_double_tag_exposes_inner(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV6, IPPROTO_TCP);
	struct pkt p;

	(void)state;
	d.n_vlans = 2;
	d.tpid[0] = 0x88a8;
	d.tci[0] = 0x2064;
	d.tci[1] = 0x30c8;      /* PCP 1, DEI 1, VID 200 */
	pkt_make(&p, &d, 0);
	assert_int_equal(nfv_pkt_pop_vlan(p.m, &p.key, &p.meta), 0);
	assert_consistent(p.m, &p.key, &p.meta);
	assert_int_equal(ntohs(p.key.vlan_tci), 0x30c8);
	assert_int_equal(p.meta.n_vlans, 1);
	assert_int_equal(p.meta.vlan_ofs, 12);
	assert_int_equal(p.meta.l3_ofs, 18);
	assert_int_equal(nfv_pkt_pop_vlan(p.m, &p.key, &p.meta), 0);
	assert_consistent(p.m, &p.key, &p.meta);
	assert_int_equal(p.key.vlan_tci, 0);
	assert_int_equal(p.meta.l4_ofs, 14 + 40);
	pkt_free(&p);
}

static void
test_pop_vlan_on_untagged_is_einval(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_UDP);
	struct pkt p;

	(void)state;
	pkt_make(&p, &d, 0);
	assert_int_equal(nfv_pkt_pop_vlan(p.m, &p.key, &p.meta), -EINVAL);
	assert_consistent(p.m, &p.key, &p.meta);
	pkt_free(&p);
}

static void
test_dec_ttl_ipv4_fixes_checksum(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_TCP);
	struct pkt p;

	(void)state;
	d.ttl = 2;
	pkt_make(&p, &d, 0);
	assert_int_equal(nfv_pkt_dec_ttl(p.m, &p.key, &p.meta), 0);
	assert_consistent(p.m, &p.key, &p.meta);
	pkt_snap(&p);
	assert_int_equal(p.after[p.meta.l3_ofs + 8], 1);
	assert_int_equal(p.key.ip_ttl, 1);
	assert_int_equal(nfv_pkt_dec_ttl(p.m, &p.key, &p.meta), -ETIMEDOUT);
	pkt_free(&p);
}

static void
test_dec_ttl_ipv6(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV6, IPPROTO_UDP);
	struct pkt p;

	(void)state;
	d.ttl = 255;
	pkt_make(&p, &d, 0);
	assert_int_equal(nfv_pkt_dec_ttl(p.m, &p.key, &p.meta), 0);
	assert_consistent(p.m, &p.key, &p.meta);
	pkt_snap(&p);
	assert_int_equal(p.after[p.meta.l3_ofs + 7], 254);
	assert_int_equal(p.key.ip_ttl, 254);
	pkt_free(&p);
}

/* dec_ttl on a packet of 'd' with TTL 'ttl' expires and changes nothing. */
static void
check_dec_ttl_expired(struct pkt_desc *d, uint8_t ttl)
{
	struct nfv_flow_key key;
	struct pkt p;

	d->ttl = ttl;
	pkt_make(&p, d, 0);
	key = p.key;
	assert_int_equal(nfv_pkt_dec_ttl(p.m, &p.key, &p.meta), -ETIMEDOUT);
	assert_memory_equal(&p.key, &key, sizeof(key));
	pkt_snap(&p);
	assert_memory_equal(p.after, p.before, p.len);
	pkt_free(&p);
}

static void
test_dec_ttl_expired_leaves_packet(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_TCP);

	(void)state;
	check_dec_ttl_expired(&d, 1);
	check_dec_ttl_expired(&d, 0);
	d.l3 = L3_IPV6;
	check_dec_ttl_expired(&d, 1);
	check_dec_ttl_expired(&d, 0);
}

static void
test_dec_ttl_not_ip_is_einval(void **state)
{
	struct pkt_desc d = desc_l4(L3_ARP, 0);
	struct pkt p;

	(void)state;
	pkt_make(&p, &d, 0);
	assert_int_equal(nfv_pkt_dec_ttl(p.m, &p.key, &p.meta), -EINVAL);
	assert_int_equal(nfv_pkt_set_ttl(p.m, &p.key, &p.meta, 3), -EINVAL);
	pkt_free(&p);
	d.l3 = L3_NONE;
	pkt_make(&p, &d, 0);
	assert_int_equal(nfv_pkt_dec_ttl(p.m, &p.key, &p.meta), -EINVAL);
	pkt_free(&p);
}

static void
test_set_ttl_ipv4_and_ipv6(void **state)
{
	struct pkt_desc d = desc_l4(L3_IPV4, IPPROTO_ICMP);
	struct pkt p;

	(void)state;
	pkt_make(&p, &d, 0);
	assert_int_equal(nfv_pkt_set_ttl(p.m, &p.key, &p.meta, 0), 0);
	assert_consistent(p.m, &p.key, &p.meta);
	pkt_snap(&p);
	assert_int_equal(p.after[p.meta.l3_ofs + 8], 0);
	pkt_free(&p);
	d = desc_l4(L3_IPV6, IPPROTO_TCP);
	pkt_make(&p, &d, 0);
	assert_int_equal(nfv_pkt_set_ttl(p.m, &p.key, &p.meta, 200), 0);
	assert_consistent(p.m, &p.key, &p.meta);
	assert_int_equal(p.key.ip_ttl, 200);
	pkt_free(&p);
}

/* A random TCP, UDP or SCTP packet over IPv4 or IPv6 with 0-2 tags. */
static struct pkt_desc
desc_random(void)
{
	static const uint8_t protos[] = {
		IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDP, IPPROTO_TCP,
		IPPROTO_SCTP,
	};
	struct pkt_desc d;
	unsigned int i;

	d = desc_l4(rng() & 1 ? L3_IPV4 : L3_IPV6, protos[rng() % 5]);
	d.n_vlans = rng() % 3;
	for (i = 0; i < d.n_vlans; i++) {
		d.tpid[i] = rng() & 1 ? 0x8100 : 0x88a8;
		d.tci[i] = rng();
	}
	d.ttl = rng() % 4 == 0 ? rng() % 3 : rng();
	d.ipv4_opts = rng() % 4 == 0;
	d.ipv6_hop = rng() % 4 == 0;
	d.udp_zero = d.l3 == L3_IPV4 && rng() % 4 == 0;
	d.payload_len = rng() % 400;
	d.eth_pad = rng() % 4 == 0 ? rng() % 20 : 0;
	return d;
}

/* A random settable field that applies to the packet of 'p'. */
static enum nfv_field_id
field_random(const struct pkt *p)
{
	static const enum nfv_field_id common[] = {
		NFV_F_ETH_SRC, NFV_F_ETH_DST, NFV_F_IP_DSCP, NFV_F_IP_ECN,
		NFV_F_IP_TTL, NFV_F_VLAN_VID, NFV_F_VLAN_PCP,
	};
	bool v4 = p->key.eth_type == htons(ETH_IPV4);
	enum nfv_field_id f;

	switch (rng() % 4) {
	case 0:
		f = common[rng() % NFV_ARRAY_SIZE(common)];
		if (p->meta.n_vlans == 0 &&
		    (f == NFV_F_VLAN_VID || f == NFV_F_VLAN_PCP))
			f = NFV_F_ETH_SRC;
		return f;
	case 1:
		if (v4)
			return rng() & 1 ? NFV_F_IPV4_SRC : NFV_F_IPV4_DST;
		return rng() % 3 == 0 ? NFV_F_IPV6_FLABEL :
		       rng() & 1 ? NFV_F_IPV6_SRC : NFV_F_IPV6_DST;
	default:
		switch (p->key.ip_proto) {
		case IPPROTO_TCP:
			f = NFV_F_TCP_SRC;
			break;
		case IPPROTO_UDP:
			f = NFV_F_UDP_SRC;
			break;
		default:
			f = NFV_F_SCTP_SRC;
			break;
		}
		return f + (rng() & 1);
	}
}

static void
test_random_edits_keep_checksums_valid(void **state)
{
	unsigned int n_pkts, i, n_edits = 0, in_use;
	uint64_t seed = 0x1234abcdull;
	union nfv_field_value v;
	struct nfv_flow_key want;
	struct pkt_desc d;
	struct pkt p;
	uint8_t ttl;
	int ret;

	(void)state;
	in_use = rte_mempool_in_use_count(pool);
	rng_state = seed;
	for (n_pkts = 0; n_pkts < 2000; n_pkts++) {
		d = desc_random();
		pkt_make(&p, &d, 0);
		for (i = 0; i < 20; i++) {
			unsigned int op = rng() % 10;
			bool udp_zero = p.key.ip_proto == IPPROTO_UDP &&
				be16_at(rte_pktmbuf_mtod_offset(p.m, uint8_t *,
						p.meta.l4_ofs + 6)) == 0;

			want = p.key;
			if (op == 0 && p.meta.n_vlans < 2) {
				ret = nfv_pkt_push_vlan(p.m, &p.key, &p.meta,
							rng() & 1 ? 0x8100 :
								    0x88a8);
				assert_int_equal(ret, 0);
			} else if (op == 1 && p.meta.n_vlans > 0) {
				assert_int_equal(nfv_pkt_pop_vlan(p.m, &p.key,
								  &p.meta), 0);
			} else if (op == 2) {
				ttl = p.key.ip_ttl;
				ret = nfv_pkt_dec_ttl(p.m, &p.key, &p.meta);
				assert_int_equal(ret, ttl <= 1 ? -ETIMEDOUT : 0);
				want.ip_ttl = ttl <= 1 ? ttl : ttl - 1;
				assert_memory_equal(&p.key, &want,
						    sizeof(want));
			} else if (op == 3) {
				ttl = rng();
				assert_int_equal(nfv_pkt_set_ttl(p.m, &p.key,
								 &p.meta, ttl),
						 0);
			} else {
				enum nfv_field_id f = field_random(&p);

				memset(&v, 0, sizeof(v));
				rng_fill(v.u8,
					 nfv_field_value_len(&nfv_fields[f]));
				if (f == NFV_F_VLAN_VID)
					v.u8[0] |= NFV_VLAN_PRESENT >> 8;
				nfv_field_set(&nfv_fields[f], &want, &v);
				ret = nfv_pkt_set_field(p.m, &p.key, &p.meta,
							f, &v);
				if (ret != 0)
					fail_msg("seed %" PRIx64 " packet %u: "
						 "set %s: %d", seed, n_pkts,
						 nfv_fields[f].name, ret);
				assert_memory_equal(&p.key, &want,
						    sizeof(want));
			}
			assert_consistent(p.m, &p.key, &p.meta);
			if (udp_zero)
				assert_int_equal(be16_at(rte_pktmbuf_mtod_offset(
					p.m, uint8_t *, p.meta.l4_ofs + 6)), 0);
			n_edits++;
		}
		pkt_free(&p);
	}
	assert_true(n_edits == 2000 * 20);
	assert_int_equal(rte_mempool_in_use_count(pool), in_use);
}

/* ---- Fixtures. ---- */

static int
group_setup(void **state)
{
	char prefix[64];
	char *argv[] = {
		"test_pkt_edit", "--no-huge", "--no-pci", "-m", "64",
		"--file-prefix", prefix, "--log-level=lib.*:error", NULL,
	};

	(void)state;
	snprintf(prefix, sizeof(prefix), "test_pkt_edit_%d", (int)getpid());
	if (rte_eal_init(NFV_ARRAY_SIZE(argv) - 1, argv) < 0)
		return -1;
	pool = rte_pktmbuf_pool_create("test_pkt_edit", 255, 0, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE,
				       SOCKET_ID_ANY);
	return pool == NULL ? -1 : 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_crc32c_matches_known_answer),
		cmocka_unit_test(test_set_eth_src_and_dst),
		cmocka_unit_test(test_set_vlan_vid_keeps_pcp_and_dei),
		cmocka_unit_test(test_set_vlan_vid_on_untagged_is_einval),
		cmocka_unit_test(test_set_vlan_vid_without_present_bit_is_einval),
		cmocka_unit_test(test_set_vlan_pcp_keeps_vid),
		cmocka_unit_test(test_set_ip_dscp_and_ecn_ipv4_fixes_header_checksum),
		cmocka_unit_test(test_set_ip_dscp_and_ecn_ipv6_traffic_class),
		cmocka_unit_test(test_set_ipv4_addrs_fix_tcp_checksum),
		cmocka_unit_test(test_set_ipv4_addrs_fix_udp_checksum),
		cmocka_unit_test(test_set_ipv4_addrs_keep_udp_zero_checksum),
		cmocka_unit_test(test_set_ipv4_addrs_leave_icmp_and_sctp_checksums),
		cmocka_unit_test(test_set_ipv4_addrs_of_later_fragment_touch_only_ip),
		cmocka_unit_test(test_set_ipv4_addrs_of_first_fragment_fix_l4),
		cmocka_unit_test(test_set_tcp_ports_fix_checksum),
		cmocka_unit_test(test_set_udp_ports_fix_checksum),
		cmocka_unit_test(test_set_udp_port_never_writes_zero_checksum),
		cmocka_unit_test(test_set_sctp_ports_fix_crc32c),
		cmocka_unit_test(test_set_sctp_port_keeps_bad_crc_bad),
		cmocka_unit_test(test_set_sctp_port_of_fragment_is_enotsup),
		cmocka_unit_test(test_set_sctp_port_with_payload_in_second_segment),
		cmocka_unit_test(test_set_icmp_type_and_code_fix_checksum),
		cmocka_unit_test(test_set_icmpv6_type_and_code_fix_checksum),
		cmocka_unit_test(test_set_arp_fields),
		cmocka_unit_test(test_set_ipv6_addrs_fix_l4_checksums),
		cmocka_unit_test(test_set_ipv6_dst_with_routing_header_uses_final_destination),
		cmocka_unit_test(test_set_ipv6_label),
		cmocka_unit_test(test_set_nd_target_fixes_checksum),
		cmocka_unit_test(test_set_nd_sll_and_tll_find_their_options),
		cmocka_unit_test(test_set_nd_sll_without_option_is_einval),
		cmocka_unit_test(test_set_nd_fields_the_parser_did_not_read_is_einval),
		cmocka_unit_test(test_set_nw_ttl),
		cmocka_unit_test(test_set_field_on_missing_header_is_einval),
		cmocka_unit_test(test_headers_in_second_segment_are_enotsup),
		cmocka_unit_test(test_push_vlan_on_untagged),
		cmocka_unit_test(test_push_vlan_on_tagged_copies_vid_and_pcp),
		cmocka_unit_test(test_push_vlan_without_headroom_is_enospc),
		cmocka_unit_test(test_push_vlan_third_tag_hides_l3_like_a_fresh_parse),
		cmocka_unit_test(test_pop_vlan_single_tag),
		cmocka_unit_test(test_pop_vlan_double_tag_exposes_inner),
		cmocka_unit_test(test_pop_vlan_on_untagged_is_einval),
		cmocka_unit_test(test_dec_ttl_ipv4_fixes_checksum),
		cmocka_unit_test(test_dec_ttl_ipv6),
		cmocka_unit_test(test_dec_ttl_expired_leaves_packet),
		cmocka_unit_test(test_dec_ttl_not_ip_is_einval),
		cmocka_unit_test(test_set_ttl_ipv4_and_ipv6),
		cmocka_unit_test(test_random_edits_keep_checksums_valid),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
