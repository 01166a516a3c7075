/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the packet parser (src/pipeline/parse.c). Frames are built
 * by hand with the small builders below and every parse is checked against
 * a complete expected flow key (all 128 bytes, padding included) and the
 * expected header offsets: Ethernet, 802.1Q/QinQ and 802.3, ARP, IPv4 with
 * options and fragments, IPv6 with every extension header and the
 * ipv6_exthdr bits of a table of chains, TCP, UDP, SCTP, ICMPv4, ICMPv6 and
 * neighbour discovery; a table of malformed and truncated frames, each with
 * its flag and the fields that stay valid; random frames that must never be
 * read out of bounds (NFV_PARSE_ITERS sets the count; run under valgrind
 * with a smaller one). The second group starts EAL without hugepages and
 * checks that multi-segment mbufs give the same key as the flat frame.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "nfv_common.h"
#include "parse.h"

#define IN_PORT 7
#define FRAME_MAX 1024
#define TOS 0xba                /* DSCP 46, ECN 2 */
#define TTL 64
#define FLOW_LABEL 0x12345
#define RANDOM_ITERS 200000     /* default of NFV_PARSE_ITERS */

static const uint8_t mac_dst[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t mac_src[6] = { 0x02, 0x66, 0x77, 0x88, 0x99, 0xaa };
static const uint8_t mac_ll[6] = { 0x02, 0xde, 0xad, 0xbe, 0xef, 0x01 };
static const uint8_t mac_ll2[6] = { 0x02, 0xde, 0xad, 0xbe, 0xef, 0x02 };
static const uint32_t ip4_src = 0x0a000001;     /* 10.0.0.1 */
static const uint32_t ip4_dst = 0xc0a80102;     /* 192.168.1.2 */
static const uint8_t ip6_src[16] = {
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
};
static const uint8_t ip6_dst[16] = {
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0xa, 0xb, 0xc, 0xd,
};
static const uint8_t ip6_target[16] = {
	0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x00, 0x11, 0x22, 0xff, 0xfe, 0, 0, 0x42,
};

/* ---- frame builders ---- */

struct frame {
	uint8_t b[FRAME_MAX];
	uint32_t len;
};

static void
put(struct frame *f, const void *p, size_t n)
{
	assert_true(f->len + n <= sizeof(f->b));
	memcpy(f->b + f->len, p, n);
	f->len += n;
}

static void
put8(struct frame *f, uint8_t v)
{
	put(f, &v, 1);
}

static void
put16(struct frame *f, uint16_t v)
{
	v = htons(v);
	put(f, &v, 2);
}

static void
put32(struct frame *f, uint32_t v)
{
	v = htonl(v);
	put(f, &v, 4);
}

static void
put_fill(struct frame *f, uint8_t byte, size_t n)
{
	assert_true(f->len + n <= sizeof(f->b));
	memset(f->b + f->len, byte, n);
	f->len += n;
}

static void
set16(struct frame *f, uint32_t ofs, uint16_t v)
{
	f->b[ofs] = v >> 8;
	f->b[ofs + 1] = v & 0xff;
}

static void
put_eth(struct frame *f, uint16_t type)
{
	f->len = 0;
	put(f, mac_dst, 6);
	put(f, mac_src, 6);
	put16(f, type);
}

/* Ethernet with one tag: 'tpid' 'tci' then 'type'. */
static void
put_eth_vlan(struct frame *f, uint16_t tpid, uint16_t tci, uint16_t type)
{
	put_eth(f, tpid);
	put16(f, tci);
	put16(f, type);
}

/* An IPv4 header with 'n_opt_words' words of NOP options; returns its
 * offset for end_ipv4(). */
static uint32_t
put_ipv4(struct frame *f, uint8_t proto, unsigned int n_opt_words,
	 uint16_t frag)
{
	uint32_t ofs = f->len;

	put8(f, 0x40 | (5 + n_opt_words));
	put8(f, TOS);
	put16(f, 0);            /* total length: end_ipv4() */
	put16(f, 0x1234);
	put16(f, frag);
	put8(f, TTL);
	put8(f, proto);
	put16(f, 0);
	put32(f, ip4_src);
	put32(f, ip4_dst);
	put_fill(f, 0x01, n_opt_words * 4);
	return ofs;
}

static void
end_ipv4(struct frame *f, uint32_t ofs)
{
	set16(f, ofs + 2, f->len - ofs);
}

static uint32_t
put_ipv6(struct frame *f, uint8_t nh)
{
	uint32_t ofs = f->len;

	put32(f, 6u << 28 | (uint32_t)TOS << 20 | FLOW_LABEL);
	put16(f, 0);            /* payload length: end_ipv6() */
	put8(f, nh);
	put8(f, TTL);
	put(f, ip6_src, 16);
	put(f, ip6_dst, 16);
	return ofs;
}

static void
end_ipv6(struct frame *f, uint32_t ofs)
{
	set16(f, ofs + 4, f->len - ofs - 40);
}

/* A hop-by-hop, destination options or routing header of (len8 + 1) * 8
 * bytes, padded with a PadN option. */
static void
put_ext(struct frame *f, uint8_t nh, uint8_t len8)
{
	put8(f, nh);
	put8(f, len8);
	put8(f, 0x01);
	put8(f, (len8 + 1) * 8 - 4);
	put_fill(f, 0, (len8 + 1) * 8 - 4);
}

static void
put_frag6(struct frame *f, uint8_t nh, uint16_t offset, bool more)
{
	put8(f, nh);
	put8(f, 0);
	put16(f, offset << 3 | more);
	put32(f, 0xcafe);
}

/* An authentication header of 24 bytes (12 bytes of ICV). */
static void
put_ah(struct frame *f, uint8_t nh)
{
	put8(f, nh);
	put8(f, 4);
	put16(f, 0);
	put32(f, 0x100);        /* SPI */
	put32(f, 1);            /* sequence number */
	put_fill(f, 0x5a, 12);
}

static void
put_esp(struct frame *f)
{
	put32(f, 0x200);
	put32(f, 1);
	put_fill(f, 0xe5, 24);
}

static void
put_tcp(struct frame *f, uint16_t sport, uint16_t dport, uint8_t doff,
	uint16_t flags)
{
	put16(f, sport);
	put16(f, dport);
	put32(f, 1000);
	put32(f, 2000);
	put16(f, (uint16_t)(doff << 12) | flags);
	put16(f, 8192);
	put16(f, 0);
	put16(f, 0);
	if (doff > 5)
		put_fill(f, 0x01, (doff - 5) * 4);
}

static void
put_udp(struct frame *f, uint16_t sport, uint16_t dport)
{
	put16(f, sport);
	put16(f, dport);
	put16(f, 8);
	put16(f, 0);
}

static void
put_sctp(struct frame *f, uint16_t sport, uint16_t dport)
{
	put16(f, sport);
	put16(f, dport);
	put32(f, 0x11223344);
	put32(f, 0);
}

static void
put_icmp(struct frame *f, uint8_t type, uint8_t code)
{
	put8(f, type);
	put8(f, code);
	put16(f, 0);
	put32(f, 0x00010002);
}

/* ND NS or NA header with the target; options follow with put_nd_opt(). */
static void
put_nd(struct frame *f, uint8_t type)
{
	put_icmp(f, type, 0);
	put(f, ip6_target, 16);
}

static void
put_nd_opt(struct frame *f, uint8_t type, const uint8_t mac[6])
{
	put8(f, type);
	put8(f, 1);
	put(f, mac, 6);
}

/* ---- expected keys ---- */

static void
exp_l2(struct nfv_flow_key *k, uint16_t eth_type)
{
	memset(k, 0, sizeof(*k));
	k->in_port = IN_PORT;
	memcpy(k->eth_dst, mac_dst, 6);
	memcpy(k->eth_src, mac_src, 6);
	k->eth_type = htons(eth_type);
}

static void
exp_ipv4(struct nfv_flow_key *k, uint8_t proto)
{
	k->ip_proto = proto;
	k->ip_tos = TOS;
	k->ip_ttl = TTL;
	k->ipv4_src = htonl(ip4_src);
	k->ipv4_dst = htonl(ip4_dst);
}

static void
exp_ipv6(struct nfv_flow_key *k, uint8_t proto, uint16_t exthdr)
{
	k->ip_proto = proto;
	k->ip_tos = TOS;
	k->ip_ttl = TTL;
	k->ipv6_label = htonl(FLOW_LABEL);
	memcpy(k->ipv6_src, ip6_src, 16);
	memcpy(k->ipv6_dst, ip6_dst, 16);
	k->ipv6_exthdr = exthdr;
}

static void
exp_ports(struct nfv_flow_key *k, uint16_t src, uint16_t dst)
{
	k->tp_src = htons(src);
	k->tp_dst = htons(dst);
}

static const struct {
	const char *name;
	size_t ofs, size;
} key_members[] = {
#define KM(m) { #m, offsetof(struct nfv_flow_key, m), \
		sizeof(((struct nfv_flow_key *)0)->m) }
	KM(metadata), KM(in_port), KM(eth_type), KM(vlan_tci), KM(eth_dst),
	KM(eth_src), KM(ip_proto), KM(ip_tos), KM(ip_ttl), KM(ip_frag),
	KM(ipv4_src), KM(ipv4_dst), KM(tp_src), KM(tp_dst), KM(tcp_flags),
	KM(arp_op), KM(arp_sha), KM(arp_tha), KM(ipv6_label), KM(ipv6_src),
	KM(ipv6_dst), KM(nd_target), KM(ipv6_exthdr), KM(pad),
#undef KM
};

static void
hex(char *out, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

/* Compares all 128 bytes and names the first member that differs. */
static void
assert_key_equal(const struct nfv_flow_key *exp,
		 const struct nfv_flow_key *got)
{
	char e[40], g[40];
	size_t i;

	if (memcmp(exp, got, sizeof(*exp)) == 0)
		return;
	for (i = 0; i < NFV_ARRAY_SIZE(key_members); i++) {
		const uint8_t *a = (const uint8_t *)exp + key_members[i].ofs;
		const uint8_t *b = (const uint8_t *)got + key_members[i].ofs;

		if (memcmp(a, b, key_members[i].size) != 0) {
			hex(e, a, key_members[i].size);
			hex(g, b, key_members[i].size);
			fail_msg("key.%s: expected %s, got %s",
				 key_members[i].name, e, g);
		}
	}
	fail_msg("keys differ outside the listed members");
}

static void
assert_meta(const struct nfv_pkt_meta *m, uint16_t l3_ofs, uint16_t l4_ofs,
	    uint16_t vlan_ofs, uint8_t n_vlans, uint8_t flags)
{
	assert_int_equal(m->l3_ofs, l3_ofs);
	assert_int_equal(m->l4_ofs, l4_ofs);
	assert_int_equal(m->vlan_ofs, vlan_ofs);
	assert_int_equal(m->n_vlans, n_vlans);
	assert_int_equal(m->flags, flags);
}

/* Parses 'f' into a key prefilled with garbage (the parser must write all
 * of it) and expects success. */
static void
parse_ok(const struct frame *f, struct nfv_flow_key *key,
	 struct nfv_pkt_meta *meta)
{
	memset(key, 0xa5, sizeof(*key));
	memset(meta, 0xa5, sizeof(*meta));
	assert_true(nfv_parse_buf(f->b, f->len, IN_PORT, key, meta));
}

/* Ethernet/IPv4/UDP from port 1 to port 2, no payload. */
static void
ipv4_udp_frame(struct frame *f)
{
	uint32_t ip;

	put_eth(f, 0x0800);
	ip = put_ipv4(f, IPPROTO_UDP, 0, 0);
	put_udp(f, 1, 2);
	end_ipv4(f, ip);
}

/* ---- Ethernet and VLAN ---- */

static void
test_parse_untagged_ipv4_udp(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t ip;

	(void)state;
	put_eth(&f, 0x0800);
	ip = put_ipv4(&f, IPPROTO_UDP, 0, 0);
	put_udp(&f, 5353, 53);
	put_fill(&f, 0x77, 10);
	end_ipv4(&f, ip);
	parse_ok(&f, &key, &meta);

	exp_l2(&exp, 0x0800);
	exp_ipv4(&exp, IPPROTO_UDP);
	exp_ports(&exp, 5353, 53);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 14, 34, 0, 0, 0);
}

static void
test_parse_8021q_tag_sets_vlan_tci(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t ip;

	(void)state;
	/* PCP 5, DEI set on the wire, VID 100. */
	put_eth_vlan(&f, 0x8100, 5 << 13 | 0x1000 | 100, 0x0800);
	ip = put_ipv4(&f, IPPROTO_TCP, 0, 0);
	put_tcp(&f, 40000, 443, 5, 0x002);
	end_ipv4(&f, ip);
	parse_ok(&f, &key, &meta);

	exp_l2(&exp, 0x0800);
	exp.vlan_tci = htons(5 << 13 | NFV_VLAN_PRESENT | 100);
	exp_ipv4(&exp, IPPROTO_TCP);
	exp_ports(&exp, 40000, 443);
	exp.tcp_flags = htons(0x002);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 18, 38, 12, 1, 0);
}

static void
test_parse_dei_bit_replaced_by_present_marker(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;

	(void)state;
	/* VID 0, PCP 0, DEI clear: still tagged (priority tag). */
	put_eth_vlan(&f, 0x8100, 0, 0x88cc);
	put_fill(&f, 0, 46);
	parse_ok(&f, &key, &meta);

	exp_l2(&exp, 0x88cc);
	exp.vlan_tci = htons(NFV_VLAN_PRESENT);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 0, 0, 12, 1, 0);
}

static void
test_parse_qinq_outer_tag_matched_inner_skipped(void **state)
{
	static const uint16_t tpids[][2] = {
		{ 0x88a8, 0x8100 }, { 0x8100, 0x8100 }, { 0x88a8, 0x88a8 },
	};
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t ip;
	size_t i;

	(void)state;
	for (i = 0; i < NFV_ARRAY_SIZE(tpids); i++) {
		put_eth_vlan(&f, tpids[i][0], 3 << 13 | 10, tpids[i][1]);
		put16(&f, 7 << 13 | 20);
		put16(&f, 0x0800);
		ip = put_ipv4(&f, IPPROTO_UDP, 0, 0);
		put_udp(&f, 67, 68);
		end_ipv4(&f, ip);
		parse_ok(&f, &key, &meta);

		exp_l2(&exp, 0x0800);
		exp.vlan_tci = htons(3 << 13 | NFV_VLAN_PRESENT | 10);
		exp_ipv4(&exp, IPPROTO_UDP);
		exp_ports(&exp, 67, 68);
		assert_key_equal(&exp, &key);
		assert_meta(&meta, 22, 42, 12, 2, 0);
	}
}

static void
test_parse_third_tag_is_the_eth_type(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;

	(void)state;
	put_eth_vlan(&f, 0x88a8, 10, 0x8100);
	put16(&f, 20);
	put16(&f, 0x8100);
	put16(&f, 30);
	put16(&f, 0x0800);
	put_fill(&f, 0x45, 40);
	parse_ok(&f, &key, &meta);

	exp_l2(&exp, 0x8100);
	exp.vlan_tci = htons(NFV_VLAN_PRESENT | 10);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 0, 0, 12, 2, 0);
}

static void
test_parse_8023_length_frame_gets_type_05ff(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;

	(void)state;
	/* 802.2 LLC (STP): a length, not a type. */
	put_eth(&f, 46);
	put8(&f, 0x42);
	put8(&f, 0x42);
	put8(&f, 0x03);
	put_fill(&f, 0, 43);
	parse_ok(&f, &key, &meta);
	exp_l2(&exp, 0x05ff);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 0, 0, 0, 0, 0);

	/* 0x05ff, 1500, 0x0500 and 0 are lengths too; 0x0600 is a type. */
	set16(&f, 12, 0x05ff);
	parse_ok(&f, &key, &meta);
	assert_key_equal(&exp, &key);
	set16(&f, 12, 1500);
	parse_ok(&f, &key, &meta);
	assert_key_equal(&exp, &key);
	set16(&f, 12, 0x0500);
	parse_ok(&f, &key, &meta);
	assert_key_equal(&exp, &key);
	set16(&f, 12, 0);
	parse_ok(&f, &key, &meta);
	assert_key_equal(&exp, &key);
	set16(&f, 12, 0x0600);
	parse_ok(&f, &key, &meta);
	exp_l2(&exp, 0x0600);
	assert_key_equal(&exp, &key);

	/* Behind a tag. */
	put_eth_vlan(&f, 0x8100, 42, 100);
	put_fill(&f, 0, 42);
	parse_ok(&f, &key, &meta);
	exp_l2(&exp, 0x05ff);
	exp.vlan_tci = htons(NFV_VLAN_PRESENT | 42);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 0, 0, 12, 1, 0);
}

static void
test_parse_unknown_ethertype_is_l2_only(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;

	(void)state;
	put_eth(&f, 0x88cc);
	put_fill(&f, 0x45, 46);
	parse_ok(&f, &key, &meta);
	exp_l2(&exp, 0x88cc);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 0, 0, 0, 0, 0);

	/* A bare Ethernet header is well-formed. */
	f.len = 14;
	parse_ok(&f, &key, &meta);
	assert_key_equal(&exp, &key);
}

/* ---- ARP ---- */

static void
put_arp(struct frame *f, uint16_t op, const uint8_t sha[6], uint32_t spa,
	const uint8_t tha[6], uint32_t tpa)
{
	put_eth(f, 0x0806);
	put16(f, 1);
	put16(f, 0x0800);
	put8(f, 6);
	put8(f, 4);
	put16(f, op);
	put(f, sha, 6);
	put32(f, spa);
	put(f, tha, 6);
	put32(f, tpa);
	put_fill(f, 0, 18);     /* Ethernet padding */
}

static void
test_parse_arp_request(void **state)
{
	static const uint8_t zero[6];
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;

	(void)state;
	put_arp(&f, 1, mac_src, ip4_src, zero, ip4_dst);
	parse_ok(&f, &key, &meta);

	exp_l2(&exp, 0x0806);
	exp.arp_op = htons(1);
	memcpy(exp.arp_sha, mac_src, 6);
	exp.ipv4_src = htonl(ip4_src);
	exp.ipv4_dst = htonl(ip4_dst);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 14, 0, 0, 0, 0);
}

static void
test_parse_arp_reply(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;

	(void)state;
	put_arp(&f, 2, mac_ll, ip4_dst, mac_src, ip4_src);
	f.len -= 18;            /* no padding: exactly 42 bytes */
	parse_ok(&f, &key, &meta);

	exp_l2(&exp, 0x0806);
	exp.arp_op = htons(2);
	memcpy(exp.arp_sha, mac_ll, 6);
	memcpy(exp.arp_tha, mac_src, 6);
	exp.ipv4_src = htonl(ip4_dst);
	exp.ipv4_dst = htonl(ip4_src);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 14, 0, 0, 0, 0);
}

static void
test_parse_arp_not_ethernet_ipv4_has_no_fields(void **state)
{
	static const uint32_t patch[][2] = {
		{ 14, 6 },      /* htype IEEE 802 */
		{ 16, 0x86dd }, /* ptype */
	};
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	size_t i;

	(void)state;
	exp_l2(&exp, 0x0806);
	for (i = 0; i < NFV_ARRAY_SIZE(patch); i++) {
		put_arp(&f, 1, mac_src, ip4_src, mac_ll, ip4_dst);
		set16(&f, patch[i][0], patch[i][1]);
		parse_ok(&f, &key, &meta);
		assert_key_equal(&exp, &key);
		assert_meta(&meta, 0, 0, 0, 0, 0);
	}
	put_arp(&f, 1, mac_src, ip4_src, mac_ll, ip4_dst);
	f.b[18] = 8;            /* hlen */
	parse_ok(&f, &key, &meta);
	assert_key_equal(&exp, &key);
	put_arp(&f, 1, mac_src, ip4_src, mac_ll, ip4_dst);
	f.b[19] = 16;           /* plen */
	parse_ok(&f, &key, &meta);
	assert_key_equal(&exp, &key);
}

/* ---- IPv4 ---- */

static void
test_parse_ipv4_options_skipped(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t ip;

	(void)state;
	put_eth(&f, 0x0800);
	ip = put_ipv4(&f, IPPROTO_TCP, 10, 0);  /* IHL 15: 40 bytes of options */
	put_tcp(&f, 1234, 22, 5, 0x010);
	end_ipv4(&f, ip);
	parse_ok(&f, &key, &meta);

	exp_l2(&exp, 0x0800);
	exp_ipv4(&exp, IPPROTO_TCP);
	exp_ports(&exp, 1234, 22);
	exp.tcp_flags = htons(0x010);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 14, 14 + 60, 0, 0, 0);
}

static void
test_parse_ipv4_ethernet_padding_not_parsed(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t ip;

	(void)state;
	/* A 60-byte frame with a 28-byte datagram: 18 bytes of padding. */
	put_eth(&f, 0x0800);
	ip = put_ipv4(&f, IPPROTO_UDP, 0, 0);
	put_udp(&f, 1, 2);
	end_ipv4(&f, ip);
	put_fill(&f, 0, 18);
	parse_ok(&f, &key, &meta);
	exp_l2(&exp, 0x0800);
	exp_ipv4(&exp, IPPROTO_UDP);
	exp_ports(&exp, 1, 2);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 14, 34, 0, 0, 0);
}

static void
test_parse_ipv4_dont_fragment_is_not_a_fragment(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t ip;

	(void)state;
	put_eth(&f, 0x0800);
	ip = put_ipv4(&f, IPPROTO_UDP, 0, 0x4000);
	put_udp(&f, 1, 2);
	end_ipv4(&f, ip);
	parse_ok(&f, &key, &meta);
	exp_l2(&exp, 0x0800);
	exp_ipv4(&exp, IPPROTO_UDP);
	exp_ports(&exp, 1, 2);
	assert_key_equal(&exp, &key);
}

static void
test_parse_ipv4_first_fragment_has_l4(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t ip;

	(void)state;
	put_eth(&f, 0x0800);
	ip = put_ipv4(&f, IPPROTO_UDP, 0, 0x2000);      /* MF, offset 0 */
	put_udp(&f, 4000, 4001);
	put_fill(&f, 0x33, 64);
	end_ipv4(&f, ip);
	parse_ok(&f, &key, &meta);

	exp_l2(&exp, 0x0800);
	exp_ipv4(&exp, IPPROTO_UDP);
	exp.ip_frag = NFV_FRAG_ANY;
	exp_ports(&exp, 4000, 4001);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 14, 34, 0, 0, 0);
}

static void
test_parse_ipv4_later_fragment_has_no_l4(void **state)
{
	static const uint16_t frags[] = {
		0x2000 | 9,     /* MF, offset 72 */
		0x0000 | 9,     /* last fragment */
		0x4000 | 1,     /* DF with an offset: still a later fragment */
	};
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t ip;
	size_t i;

	(void)state;
	for (i = 0; i < NFV_ARRAY_SIZE(frags); i++) {
		put_eth(&f, 0x0800);
		ip = put_ipv4(&f, IPPROTO_TCP, 0, frags[i]);
		put_fill(&f, 0x44, 8);  /* would be a truncated TCP header */
		end_ipv4(&f, ip);
		parse_ok(&f, &key, &meta);

		exp_l2(&exp, 0x0800);
		exp_ipv4(&exp, IPPROTO_TCP);
		exp.ip_frag = NFV_FRAG_ANY | NFV_FRAG_LATER;
		assert_key_equal(&exp, &key);
		assert_meta(&meta, 14, 0, 0, 0, 0);
	}
}

static void
test_parse_ipv4_other_protocol_has_no_l4(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t ip;

	(void)state;
	put_eth(&f, 0x0800);
	ip = put_ipv4(&f, IPPROTO_GRE, 0, 0);
	put_fill(&f, 0, 4);
	end_ipv4(&f, ip);
	parse_ok(&f, &key, &meta);
	exp_l2(&exp, 0x0800);
	exp_ipv4(&exp, IPPROTO_GRE);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 14, 0, 0, 0, 0);

	/* ICMPv6 is not parsed over IPv4. */
	put_eth(&f, 0x0800);
	ip = put_ipv4(&f, IPPROTO_ICMPV6, 0, 0);
	put_icmp(&f, 128, 0);
	end_ipv4(&f, ip);
	parse_ok(&f, &key, &meta);
	exp_ipv4(&exp, IPPROTO_ICMPV6);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 14, 0, 0, 0, 0);
}

/* ---- TCP, UDP, SCTP, ICMP ---- */

static void
test_parse_tcp_flags_low_12_bits(void **state)
{
	static const uint16_t flags[] = { 0x000, 0x002, 0x012, 0x011, 0x018,
					  0x004, 0x0c2, 0x100, 0xfff };
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t ip;
	size_t i;

	(void)state;
	for (i = 0; i < NFV_ARRAY_SIZE(flags); i++) {
		put_eth(&f, 0x0800);
		ip = put_ipv4(&f, IPPROTO_TCP, 0, 0);
		put_tcp(&f, 33000, 80, 5, flags[i]);
		end_ipv4(&f, ip);
		parse_ok(&f, &key, &meta);

		exp_l2(&exp, 0x0800);
		exp_ipv4(&exp, IPPROTO_TCP);
		exp_ports(&exp, 33000, 80);
		exp.tcp_flags = htons(flags[i]);
		assert_key_equal(&exp, &key);
		assert_meta(&meta, 14, 34, 0, 0, 0);
	}
}

static void
test_parse_tcp_with_options(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t ip;

	(void)state;
	put_eth(&f, 0x0800);
	ip = put_ipv4(&f, IPPROTO_TCP, 0, 0);
	put_tcp(&f, 1, 65535, 15, 0x0ab);       /* 40 bytes of options */
	end_ipv4(&f, ip);
	parse_ok(&f, &key, &meta);

	exp_l2(&exp, 0x0800);
	exp_ipv4(&exp, IPPROTO_TCP);
	exp_ports(&exp, 1, 65535);
	exp.tcp_flags = htons(0x0ab);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 14, 34, 0, 0, 0);
}

static void
test_parse_udp(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t ip;

	(void)state;
	/* Exactly the 8-byte header, no payload. */
	put_eth(&f, 0x0800);
	ip = put_ipv4(&f, IPPROTO_UDP, 0, 0);
	put_udp(&f, 0, 0xffff);
	end_ipv4(&f, ip);
	parse_ok(&f, &key, &meta);

	exp_l2(&exp, 0x0800);
	exp_ipv4(&exp, IPPROTO_UDP);
	exp_ports(&exp, 0, 0xffff);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 14, 34, 0, 0, 0);
}

static void
test_parse_sctp(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t ip;

	(void)state;
	put_eth(&f, 0x0800);
	ip = put_ipv4(&f, IPPROTO_SCTP, 0, 0);
	put_sctp(&f, 2905, 3868);
	end_ipv4(&f, ip);
	parse_ok(&f, &key, &meta);

	exp_l2(&exp, 0x0800);
	exp_ipv4(&exp, IPPROTO_SCTP);
	exp_ports(&exp, 2905, 3868);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 14, 34, 0, 0, 0);
}

static void
test_parse_icmpv4_type_and_code(void **state)
{
	static const uint8_t tc[][2] = { { 8, 0 }, { 0, 0 }, { 3, 4 },
					 { 11, 1 }, { 255, 255 } };
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t ip;
	size_t i;

	(void)state;
	for (i = 0; i < NFV_ARRAY_SIZE(tc); i++) {
		put_eth(&f, 0x0800);
		ip = put_ipv4(&f, IPPROTO_ICMP, 0, 0);
		put_icmp(&f, tc[i][0], tc[i][1]);
		put_fill(&f, 0x61, 32);
		end_ipv4(&f, ip);
		parse_ok(&f, &key, &meta);

		exp_l2(&exp, 0x0800);
		exp_ipv4(&exp, IPPROTO_ICMP);
		exp.tp_src = htons(tc[i][0]);
		exp.tp_dst = htons(tc[i][1]);
		assert_key_equal(&exp, &key);
		assert_meta(&meta, 14, 34, 0, 0, 0);
	}
}

/* ---- IPv6 ---- */

static void
test_parse_ipv6_tcp(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t ip;

	(void)state;
	put_eth(&f, 0x86dd);
	ip = put_ipv6(&f, IPPROTO_TCP);
	put_tcp(&f, 50000, 443, 8, 0x018);
	put_fill(&f, 0x20, 100);
	end_ipv6(&f, ip);
	parse_ok(&f, &key, &meta);

	exp_l2(&exp, 0x86dd);
	exp_ipv6(&exp, IPPROTO_TCP, 0);
	exp_ports(&exp, 50000, 443);
	exp.tcp_flags = htons(0x018);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 14, 54, 0, 0, 0);
}

static void
test_parse_ipv6_traffic_class_and_flow_label(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t ip;

	(void)state;
	put_eth_vlan(&f, 0x8100, 7, 0x86dd);
	ip = put_ipv6(&f, IPPROTO_UDP);
	/* Traffic class 0xff, flow label 0xfffff. */
	f.b[ip] = 0x6f;
	f.b[ip + 1] = 0xff;
	f.b[ip + 2] = 0xff;
	f.b[ip + 3] = 0xff;
	put_udp(&f, 546, 547);
	end_ipv6(&f, ip);
	parse_ok(&f, &key, &meta);

	exp_l2(&exp, 0x86dd);
	exp.vlan_tci = htons(NFV_VLAN_PRESENT | 7);
	exp_ipv6(&exp, IPPROTO_UDP, 0);
	exp.ip_tos = 0xff;
	exp.ipv6_label = htonl(0xfffff);
	exp_ports(&exp, 546, 547);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 18, 58, 12, 1, 0);
}

static void
test_parse_ipv6_payload_padding_not_parsed(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t ip;

	(void)state;
	/* An NS without options, then padding that would be a zero-length
	 * option (malformed) if it were parsed. */
	put_eth(&f, 0x86dd);
	ip = put_ipv6(&f, IPPROTO_ICMPV6);
	put_nd(&f, 135);
	end_ipv6(&f, ip);
	put_fill(&f, 0, 8);
	parse_ok(&f, &key, &meta);
	exp_l2(&exp, 0x86dd);
	exp_ipv6(&exp, IPPROTO_ICMPV6, 0);
	exp.tp_src = htons(135);
	memcpy(exp.nd_target, ip6_target, 16);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 14, 54, 0, 0, 0);
}

struct ext_case {
	const char *name;
	uint8_t hdrs[8];        /* extension headers in order */
	unsigned int n_hdrs;
	uint8_t upper;          /* next header after the last one */
	uint16_t exthdr;        /* expected ipv6_exthdr */
	uint8_t proto;          /* expected ip_proto */
	uint8_t frag;           /* expected ip_frag */
	bool l4;                /* ports (and TCP flags) expected */
};

static const struct ext_case ext_cases[] = {
	{ "hop-by-hop", { 0 }, 1, IPPROTO_TCP, NFV_IEH_HOP, 6, 0, true },
	{ "destination", { 60 }, 1, IPPROTO_TCP, NFV_IEH_DEST, 6, 0, true },
	{ "routing", { 43 }, 1, IPPROTO_TCP, NFV_IEH_ROUTER, 6, 0, true },
	{ "fragment", { 44 }, 1, IPPROTO_TCP, NFV_IEH_FRAG, 6,
	  NFV_FRAG_ANY, true },
	{ "auth", { 51 }, 1, IPPROTO_TCP, NFV_IEH_AUTH, 6, 0, true },
	{ "esp stops", { 50 }, 1, IPPROTO_TCP, NFV_IEH_ESP, 50, 0, false },
	{ "no next header", { 0 }, 0, IPPROTO_NONE, NFV_IEH_NONEXT, 59, 0,
	  false },
	{ "hop, no next", { 0 }, 1, IPPROTO_NONE,
	  NFV_IEH_HOP | NFV_IEH_NONEXT, 59, 0, false },
	{ "preferred order", { 0, 60, 43, 44, 51, 60 }, 6, IPPROTO_TCP,
	  NFV_IEH_HOP | NFV_IEH_DEST | NFV_IEH_ROUTER | NFV_IEH_FRAG |
	  NFV_IEH_AUTH, 6, NFV_FRAG_ANY, true },
	{ "hop dest routing auth esp", { 0, 60, 43, 51, 50 }, 5, IPPROTO_TCP,
	  NFV_IEH_HOP | NFV_IEH_DEST | NFV_IEH_ROUTER | NFV_IEH_AUTH |
	  NFV_IEH_ESP, 50, 0, false },
	{ "dest around routing", { 60, 43, 60 }, 3, IPPROTO_UDP,
	  NFV_IEH_DEST | NFV_IEH_ROUTER, 17, 0, true },
	{ "two dest", { 60, 60 }, 2, IPPROTO_TCP, NFV_IEH_DEST, 6, 0, true },
	{ "final dest after auth", { 51, 60 }, 2, IPPROTO_TCP,
	  NFV_IEH_AUTH | NFV_IEH_DEST, 6, 0, true },
	{ "three dest", { 60, 43, 60, 60 }, 4, IPPROTO_TCP,
	  NFV_IEH_DEST | NFV_IEH_ROUTER | NFV_IEH_UNREP, 6, 0, true },
	{ "hop twice", { 0, 0 }, 2, IPPROTO_TCP,
	  NFV_IEH_HOP | NFV_IEH_UNREP, 6, 0, true },
	{ "routing twice", { 43, 43 }, 2, IPPROTO_TCP,
	  NFV_IEH_ROUTER | NFV_IEH_UNREP, 6, 0, true },
	{ "fragment twice", { 44, 44 }, 2, IPPROTO_TCP,
	  NFV_IEH_FRAG | NFV_IEH_UNREP, 6, NFV_FRAG_ANY, true },
	{ "auth twice", { 51, 51 }, 2, IPPROTO_TCP,
	  NFV_IEH_AUTH | NFV_IEH_UNREP, 6, 0, true },
	{ "hop not first", { 60, 0 }, 2, IPPROTO_TCP,
	  NFV_IEH_DEST | NFV_IEH_HOP | NFV_IEH_UNSEQ, 6, 0, true },
	{ "routing after fragment", { 44, 43 }, 2, IPPROTO_TCP,
	  NFV_IEH_FRAG | NFV_IEH_ROUTER | NFV_IEH_UNSEQ, 6, NFV_FRAG_ANY,
	  true },
	{ "fragment after auth", { 51, 44 }, 2, IPPROTO_TCP,
	  NFV_IEH_AUTH | NFV_IEH_FRAG | NFV_IEH_UNSEQ, 6, NFV_FRAG_ANY, true },
	{ "routing after final dest", { 51, 60, 43 }, 3, IPPROTO_TCP,
	  NFV_IEH_AUTH | NFV_IEH_DEST | NFV_IEH_ROUTER | NFV_IEH_UNSEQ, 6, 0,
	  true },
	{ "repeat and out of order", { 43, 0, 43 }, 3, IPPROTO_TCP,
	  NFV_IEH_ROUTER | NFV_IEH_HOP | NFV_IEH_UNREP | NFV_IEH_UNSEQ, 6, 0,
	  true },
};

/* Ethernet/IPv6 with the chain of 'c' and, if it ends in TCP, a TCP
 * header; returns the offset of the upper-layer header. */
static uint32_t
build_ext_chain(struct frame *f, const struct ext_case *c)
{
	uint32_t ip, l4;
	unsigned int i;

	put_eth(f, 0x86dd);
	ip = put_ipv6(f, c->n_hdrs ? c->hdrs[0] : c->upper);
	for (i = 0; i < c->n_hdrs; i++) {
		uint8_t nh = i + 1 < c->n_hdrs ? c->hdrs[i + 1] : c->upper;

		switch (c->hdrs[i]) {
		case IPPROTO_FRAGMENT:
			put_frag6(f, nh, 0, true);
			break;
		case IPPROTO_AH:
			put_ah(f, nh);
			break;
		case IPPROTO_ESP:
			put_esp(f);
			i = c->n_hdrs;  /* nothing readable follows */
			break;
		default:
			put_ext(f, nh, i % 3);
			break;
		}
	}
	l4 = f->len;
	if (c->upper == IPPROTO_TCP)
		put_tcp(f, 7000, 8000, 5, 0x010);
	else if (c->upper == IPPROTO_UDP)
		put_udp(f, 7000, 8000);
	end_ipv6(f, ip);
	return l4;
}

static void
test_parse_ipv6_exthdr_chains(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t l4;
	size_t i;

	(void)state;
	for (i = 0; i < NFV_ARRAY_SIZE(ext_cases); i++) {
		const struct ext_case *c = &ext_cases[i];

		l4 = build_ext_chain(&f, c);
		memset(&key, 0xa5, sizeof(key));
		if (!nfv_parse_buf(f.b, f.len, IN_PORT, &key, &meta))
			fail_msg("%s: flags %u", c->name, meta.flags);
		exp_l2(&exp, 0x86dd);
		exp_ipv6(&exp, c->proto, c->exthdr);
		exp.ip_frag = c->frag;
		if (c->l4) {
			exp_ports(&exp, 7000, 8000);
			if (c->upper == IPPROTO_TCP)
				exp.tcp_flags = htons(0x010);
		}
		if (key.ipv6_exthdr != c->exthdr)
			fail_msg("%s: exthdr %#x, expected %#x", c->name,
				 key.ipv6_exthdr, c->exthdr);
		assert_key_equal(&exp, &key);
		assert_meta(&meta, 14, c->l4 ? l4 : 0, 0, 0, 0);
	}
}

static void
test_parse_ipv6_later_fragment_has_no_l4(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t ip;

	(void)state;
	put_eth(&f, 0x86dd);
	ip = put_ipv6(&f, IPPROTO_HOPOPTS);
	put_ext(&f, IPPROTO_FRAGMENT, 0);
	put_frag6(&f, IPPROTO_UDP, 185, true);
	put_fill(&f, 0x99, 4);  /* not even a whole UDP header */
	end_ipv6(&f, ip);
	parse_ok(&f, &key, &meta);

	exp_l2(&exp, 0x86dd);
	exp_ipv6(&exp, IPPROTO_UDP, NFV_IEH_HOP | NFV_IEH_FRAG);
	exp.ip_frag = NFV_FRAG_ANY | NFV_FRAG_LATER;
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 14, 0, 0, 0, 0);

	/* The last fragment (no M flag) is a later fragment too. */
	f.b[14 + 40 + 8 + 3] &= ~1;
	parse_ok(&f, &key, &meta);
	assert_key_equal(&exp, &key);
}

static void
test_parse_ipv6_atomic_fragment_is_a_fragment(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t ip;

	(void)state;
	/* Offset 0 and no M flag (RFC 6946): ANY, with L4. */
	put_eth(&f, 0x86dd);
	ip = put_ipv6(&f, IPPROTO_FRAGMENT);
	put_frag6(&f, IPPROTO_UDP, 0, false);
	put_udp(&f, 9, 10);
	end_ipv6(&f, ip);
	parse_ok(&f, &key, &meta);
	exp_l2(&exp, 0x86dd);
	exp_ipv6(&exp, IPPROTO_UDP, NFV_IEH_FRAG);
	exp.ip_frag = NFV_FRAG_ANY;
	exp_ports(&exp, 9, 10);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 14, 62, 0, 0, 0);
}

static void
test_parse_icmpv4_not_parsed_over_ipv6(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t ip;

	(void)state;
	put_eth(&f, 0x86dd);
	ip = put_ipv6(&f, IPPROTO_ICMP);
	put_icmp(&f, 8, 0);
	end_ipv6(&f, ip);
	parse_ok(&f, &key, &meta);
	exp_l2(&exp, 0x86dd);
	exp_ipv6(&exp, IPPROTO_ICMP, 0);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 14, 0, 0, 0, 0);
}

static void
test_parse_sctp_over_ipv6(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t ip;

	(void)state;
	put_eth(&f, 0x86dd);
	ip = put_ipv6(&f, IPPROTO_DSTOPTS);
	put_ext(&f, IPPROTO_SCTP, 1);
	put_sctp(&f, 36412, 36412);
	end_ipv6(&f, ip);
	parse_ok(&f, &key, &meta);
	exp_l2(&exp, 0x86dd);
	exp_ipv6(&exp, IPPROTO_SCTP, NFV_IEH_DEST);
	exp_ports(&exp, 36412, 36412);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 14, 70, 0, 0, 0);
}

/* ---- ICMPv6 and ND ---- */

static void
test_parse_icmpv6_echo(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t ip;

	(void)state;
	put_eth(&f, 0x86dd);
	ip = put_ipv6(&f, IPPROTO_ICMPV6);
	put_icmp(&f, 128, 0);
	put_fill(&f, 0x61, 56);
	end_ipv6(&f, ip);
	parse_ok(&f, &key, &meta);

	exp_l2(&exp, 0x86dd);
	exp_ipv6(&exp, IPPROTO_ICMPV6, 0);
	exp.tp_src = htons(128);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 14, 54, 0, 0, 0);

	f.b[54] = 129;          /* echo reply */
	parse_ok(&f, &key, &meta);
	exp.tp_src = htons(129);
	assert_key_equal(&exp, &key);
}

static void
test_parse_nd_ns_with_sll(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t ip;

	(void)state;
	put_eth(&f, 0x86dd);
	ip = put_ipv6(&f, IPPROTO_ICMPV6);
	put_nd(&f, 135);
	put_nd_opt(&f, 1, mac_ll);
	end_ipv6(&f, ip);
	parse_ok(&f, &key, &meta);

	exp_l2(&exp, 0x86dd);
	exp_ipv6(&exp, IPPROTO_ICMPV6, 0);
	exp.tp_src = htons(135);
	memcpy(exp.nd_target, ip6_target, 16);
	memcpy(exp.arp_sha, mac_ll, 6);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 14, 54, 0, 0, 0);
}

static void
test_parse_nd_ns_without_options(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t ip;

	(void)state;
	/* Duplicate address detection: no SLL option. */
	put_eth(&f, 0x86dd);
	ip = put_ipv6(&f, IPPROTO_ICMPV6);
	put_nd(&f, 135);
	end_ipv6(&f, ip);
	parse_ok(&f, &key, &meta);

	exp_l2(&exp, 0x86dd);
	exp_ipv6(&exp, IPPROTO_ICMPV6, 0);
	exp.tp_src = htons(135);
	memcpy(exp.nd_target, ip6_target, 16);
	assert_key_equal(&exp, &key);
}

static void
test_parse_nd_na_with_tll(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t ip;

	(void)state;
	put_eth(&f, 0x86dd);
	ip = put_ipv6(&f, IPPROTO_ICMPV6);
	put_nd(&f, 136);
	f.b[ip + 40 + 4] = 0x60;        /* solicited, override */
	put_nd_opt(&f, 2, mac_ll);
	end_ipv6(&f, ip);
	parse_ok(&f, &key, &meta);

	exp_l2(&exp, 0x86dd);
	exp_ipv6(&exp, IPPROTO_ICMPV6, 0);
	exp.tp_src = htons(136);
	memcpy(exp.nd_target, ip6_target, 16);
	memcpy(exp.arp_tha, mac_ll, 6);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 14, 54, 0, 0, 0);
}

static void
test_parse_nd_first_matching_option_used(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t ip;

	(void)state;
	/* NS: a TLL (ignored in NS), an unknown option, a 16-byte SLL (not
	 * Ethernet: ignored), the SLL that counts, then a second SLL. */
	put_eth(&f, 0x86dd);
	ip = put_ipv6(&f, IPPROTO_ICMPV6);
	put_nd(&f, 135);
	put_nd_opt(&f, 2, mac_ll2);
	put8(&f, 14);
	put8(&f, 1);
	put_fill(&f, 0xee, 6);
	put8(&f, 1);
	put8(&f, 2);
	put_fill(&f, 0xdd, 14);
	put_nd_opt(&f, 1, mac_ll);
	put_nd_opt(&f, 1, mac_ll2);
	end_ipv6(&f, ip);
	parse_ok(&f, &key, &meta);

	exp_l2(&exp, 0x86dd);
	exp_ipv6(&exp, IPPROTO_ICMPV6, 0);
	exp.tp_src = htons(135);
	memcpy(exp.nd_target, ip6_target, 16);
	memcpy(exp.arp_sha, mac_ll, 6);
	assert_key_equal(&exp, &key);

	/* NA: the SLL is ignored, the first TLL counts. */
	f.b[54] = 136;
	parse_ok(&f, &key, &meta);
	exp.tp_src = htons(136);
	memset(exp.arp_sha, 0, 6);
	memcpy(exp.arp_tha, mac_ll2, 6);
	assert_key_equal(&exp, &key);
}

static void
test_parse_nd_nonzero_code_is_plain_icmpv6(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t ip;

	(void)state;
	put_eth(&f, 0x86dd);
	ip = put_ipv6(&f, IPPROTO_ICMPV6);
	put_nd(&f, 135);
	f.b[55] = 1;
	put8(&f, 1);            /* an option of length 0 is not looked at */
	put8(&f, 0);
	put_fill(&f, 0, 6);
	end_ipv6(&f, ip);
	parse_ok(&f, &key, &meta);

	exp_l2(&exp, 0x86dd);
	exp_ipv6(&exp, IPPROTO_ICMPV6, 0);
	exp.tp_src = htons(135);
	exp.tp_dst = htons(1);
	assert_key_equal(&exp, &key);
}

static void
test_parse_nd_behind_extension_headers(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct frame f;
	uint32_t ip;

	(void)state;
	put_eth_vlan(&f, 0x8100, 1, 0x86dd);
	ip = put_ipv6(&f, IPPROTO_HOPOPTS);
	put_ext(&f, IPPROTO_ICMPV6, 0);
	put_nd(&f, 136);
	put_nd_opt(&f, 2, mac_ll);
	end_ipv6(&f, ip);
	parse_ok(&f, &key, &meta);

	exp_l2(&exp, 0x86dd);
	exp.vlan_tci = htons(NFV_VLAN_PRESENT | 1);
	exp_ipv6(&exp, IPPROTO_ICMPV6, NFV_IEH_HOP);
	exp.tp_src = htons(136);
	memcpy(exp.nd_target, ip6_target, 16);
	memcpy(exp.arp_tha, mac_ll, 6);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 18, 18 + 48, 12, 1, 0);
}

static void
test_parse_key_needs_only_8_byte_alignment(void **state)
{
	_Alignas(16) uint8_t raw[sizeof(struct nfv_flow_key) + 8];
	struct nfv_flow_key *key = (struct nfv_flow_key *)(raw + 8);
	struct nfv_flow_key exp;
	struct nfv_pkt_meta meta;
	struct frame f;

	(void)state;
	ipv4_udp_frame(&f);
	memset(raw, 0xa5, sizeof(raw));
	assert_true(nfv_parse_buf(f.b, f.len, IN_PORT, key, &meta));
	exp_l2(&exp, 0x0800);
	exp_ipv4(&exp, IPPROTO_UDP);
	exp_ports(&exp, 1, 2);
	assert_key_equal(&exp, key);
}

/* ---- malformed and truncated frames ---- */

struct bad_case {
	const char *name;
	/* Builds the frame and the key and meta expected from it. */
	void (*build)(struct frame *f, struct nfv_flow_key *exp,
		      struct nfv_pkt_meta *m);
	uint8_t flags;
};

static void
set_meta(struct nfv_pkt_meta *m, uint16_t l3, uint16_t l4, uint8_t n_vlans)
{
	m->l3_ofs = l3;
	m->l4_ofs = l4;
	m->vlan_ofs = n_vlans ? 12 : 0;
	m->n_vlans = n_vlans;
}

static void
bad_empty(struct frame *f, struct nfv_flow_key *exp, struct nfv_pkt_meta *m)
{
	f->len = 0;
	memset(exp, 0, sizeof(*exp));
	exp->in_port = IN_PORT;
	set_meta(m, 0, 0, 0);
}

static void
bad_runt_eth(struct frame *f, struct nfv_flow_key *exp,
	     struct nfv_pkt_meta *m)
{
	put_eth(f, 0x0800);
	f->len = 13;
	memset(exp, 0, sizeof(*exp));
	exp->in_port = IN_PORT;
	set_meta(m, 0, 0, 0);
}

static void
bad_trunc_vlan(struct frame *f, struct nfv_flow_key *exp,
	       struct nfv_pkt_meta *m)
{
	put_eth_vlan(f, 0x8100, 100, 0x0800);
	f->len = 17;            /* TCI but only half the type */
	exp_l2(exp, 0);
	set_meta(m, 0, 0, 0);
}

static void
bad_trunc_inner_vlan(struct frame *f, struct nfv_flow_key *exp,
		     struct nfv_pkt_meta *m)
{
	put_eth_vlan(f, 0x88a8, 100, 0x8100);
	put16(f, 200);
	f->len = 20;
	exp_l2(exp, 0);
	exp->vlan_tci = htons(NFV_VLAN_PRESENT | 100);
	set_meta(m, 0, 0, 1);
}

static void
bad_trunc_arp(struct frame *f, struct nfv_flow_key *exp,
	      struct nfv_pkt_meta *m)
{
	put_arp(f, 1, mac_src, ip4_src, mac_ll, ip4_dst);
	f->len = 14 + 27;
	exp_l2(exp, 0x0806);
	set_meta(m, 0, 0, 0);
}

/* Ethernet/IPv4/UDP with 'pay' payload bytes; the IPv4 header at 14. */
static void
ipv4_udp(struct frame *f, struct nfv_flow_key *exp, uint32_t pay)
{
	uint32_t ip;

	put_eth(f, 0x0800);
	ip = put_ipv4(f, IPPROTO_UDP, 0, 0);
	put_udp(f, 1, 2);
	put_fill(f, 0x11, pay);
	end_ipv4(f, ip);
	exp_l2(exp, 0x0800);
}

static void
bad_runt_ipv4(struct frame *f, struct nfv_flow_key *exp,
	      struct nfv_pkt_meta *m)
{
	ipv4_udp(f, exp, 0);
	f->len = 14 + 19;
	set_meta(m, 0, 0, 0);
}

static void
bad_ipv4_version(struct frame *f, struct nfv_flow_key *exp,
		 struct nfv_pkt_meta *m)
{
	ipv4_udp(f, exp, 0);
	f->b[14] = 0x65;
	set_meta(m, 0, 0, 0);
}

static void
bad_ipv4_ihl_below_5(struct frame *f, struct nfv_flow_key *exp,
		     struct nfv_pkt_meta *m)
{
	ipv4_udp(f, exp, 0);
	f->b[14] = 0x44;
	set_meta(m, 0, 0, 0);
}

static void
bad_ipv4_total_below_ihl(struct frame *f, struct nfv_flow_key *exp,
			 struct nfv_pkt_meta *m)
{
	ipv4_udp(f, exp, 0);
	set16(f, 16, 19);
	set_meta(m, 0, 0, 0);
}

static void
bad_ipv4_total_past_packet(struct frame *f, struct nfv_flow_key *exp,
			   struct nfv_pkt_meta *m)
{
	ipv4_udp(f, exp, 10);
	set16(f, 16, f->len - 14 + 1);
	set_meta(m, 0, 0, 0);
}

static void
bad_ipv4_options_past_packet(struct frame *f, struct nfv_flow_key *exp,
			     struct nfv_pkt_meta *m)
{
	ipv4_udp(f, exp, 0);
	f->b[14] = 0x4f;        /* 60-byte header in a 28-byte datagram */
	set16(f, 16, 60);
	set_meta(m, 0, 0, 0);
}

static void
ipv4_tcp(struct frame *f, struct nfv_flow_key *exp, uint8_t doff)
{
	uint32_t ip;

	put_eth(f, 0x0800);
	ip = put_ipv4(f, IPPROTO_TCP, 0, 0);
	put_tcp(f, 1, 2, doff, 0x002);
	end_ipv4(f, ip);
	exp_l2(exp, 0x0800);
	exp_ipv4(exp, IPPROTO_TCP);
}

static void
bad_trunc_tcp(struct frame *f, struct nfv_flow_key *exp,
	      struct nfv_pkt_meta *m)
{
	ipv4_tcp(f, exp, 5);
	f->len -= 1;
	set16(f, 16, f->len - 14);
	set_meta(m, 14, 0, 0);
}

static void
bad_tcp_in_padding(struct frame *f, struct nfv_flow_key *exp,
		   struct nfv_pkt_meta *m)
{
	/* The datagram holds 10 bytes of TCP; the rest of the header lies
	 * in the Ethernet padding and does not count. */
	ipv4_tcp(f, exp, 5);
	set16(f, 16, 20 + 10);
	set_meta(m, 14, 0, 0);
}

static void
bad_tcp_doff_below_5(struct frame *f, struct nfv_flow_key *exp,
		     struct nfv_pkt_meta *m)
{
	ipv4_tcp(f, exp, 5);
	f->b[34 + 12] = 0x40;
	set_meta(m, 14, 0, 0);
}

static void
bad_tcp_doff_past_segment(struct frame *f, struct nfv_flow_key *exp,
			  struct nfv_pkt_meta *m)
{
	ipv4_tcp(f, exp, 5);
	f->b[34 + 12] = 0x60;   /* 24 bytes in a 20-byte segment */
	set_meta(m, 14, 0, 0);
}

static void
bad_trunc_udp(struct frame *f, struct nfv_flow_key *exp,
	      struct nfv_pkt_meta *m)
{
	ipv4_udp(f, exp, 0);
	f->len -= 1;
	set16(f, 16, f->len - 14);
	exp_ipv4(exp, IPPROTO_UDP);
	set_meta(m, 14, 0, 0);
}

static void
bad_trunc_sctp(struct frame *f, struct nfv_flow_key *exp,
	       struct nfv_pkt_meta *m)
{
	uint32_t ip;

	put_eth(f, 0x0800);
	ip = put_ipv4(f, IPPROTO_SCTP, 0, 0);
	put_sctp(f, 1, 2);
	f->len -= 1;
	end_ipv4(f, ip);
	exp_l2(exp, 0x0800);
	exp_ipv4(exp, IPPROTO_SCTP);
	set_meta(m, 14, 0, 0);
}

static void
bad_trunc_icmp(struct frame *f, struct nfv_flow_key *exp,
	       struct nfv_pkt_meta *m)
{
	uint32_t ip;

	put_eth(f, 0x0800);
	ip = put_ipv4(f, IPPROTO_ICMP, 0, 0);
	put_icmp(f, 8, 0);
	f->len -= 1;
	end_ipv4(f, ip);
	exp_l2(exp, 0x0800);
	exp_ipv4(exp, IPPROTO_ICMP);
	set_meta(m, 14, 0, 0);
}

static void
bad_trunc_first_fragment_l4(struct frame *f, struct nfv_flow_key *exp,
			    struct nfv_pkt_meta *m)
{
	uint32_t ip;

	/* A first fragment too short for its TCP header. */
	put_eth(f, 0x0800);
	ip = put_ipv4(f, IPPROTO_TCP, 0, 0x2000);
	put_fill(f, 0, 8);
	end_ipv4(f, ip);
	exp_l2(exp, 0x0800);
	exp_ipv4(exp, IPPROTO_TCP);
	exp->ip_frag = NFV_FRAG_ANY;
	set_meta(m, 14, 0, 0);
}

/* Ethernet/IPv6 with next header 'nh'; end_ipv6() at 14 afterwards. */
static void
ipv6_start(struct frame *f, struct nfv_flow_key *exp, uint8_t nh)
{
	put_eth(f, 0x86dd);
	put_ipv6(f, nh);
	exp_l2(exp, 0x86dd);
}

static void
bad_runt_ipv6(struct frame *f, struct nfv_flow_key *exp,
	      struct nfv_pkt_meta *m)
{
	ipv6_start(f, exp, IPPROTO_UDP);
	f->len = 14 + 39;
	set_meta(m, 0, 0, 0);
}

static void
bad_ipv6_version(struct frame *f, struct nfv_flow_key *exp,
		 struct nfv_pkt_meta *m)
{
	ipv6_start(f, exp, IPPROTO_UDP);
	put_udp(f, 1, 2);
	end_ipv6(f, 14);
	f->b[14] = 0x45;
	set_meta(m, 0, 0, 0);
}

static void
bad_ipv6_payload_past_packet(struct frame *f, struct nfv_flow_key *exp,
			     struct nfv_pkt_meta *m)
{
	ipv6_start(f, exp, IPPROTO_UDP);
	put_udp(f, 1, 2);
	end_ipv6(f, 14);
	set16(f, 18, 9);
	set_meta(m, 0, 0, 0);
}

static void
bad_trunc_ext_header(struct frame *f, struct nfv_flow_key *exp,
		     struct nfv_pkt_meta *m)
{
	/* A 16-byte hop-by-hop header in an 8-byte payload. */
	ipv6_start(f, exp, IPPROTO_HOPOPTS);
	put_ext(f, IPPROTO_TCP, 1);
	f->len -= 8;
	end_ipv6(f, 14);
	exp_ipv6(exp, 0, NFV_IEH_HOP);
	set_meta(m, 14, 0, 0);
}

static void
bad_trunc_ext_chain(struct frame *f, struct nfv_flow_key *exp,
		    struct nfv_pkt_meta *m)
{
	/* HOP, DEST, then 4 bytes where a routing header should be. */
	ipv6_start(f, exp, IPPROTO_HOPOPTS);
	put_ext(f, IPPROTO_DSTOPTS, 0);
	put_ext(f, IPPROTO_ROUTING, 2);
	put_fill(f, 0, 4);
	end_ipv6(f, 14);
	exp_ipv6(exp, 0, NFV_IEH_HOP | NFV_IEH_DEST | NFV_IEH_ROUTER);
	set_meta(m, 14, 0, 0);
}

static void
bad_trunc_frag_header(struct frame *f, struct nfv_flow_key *exp,
		      struct nfv_pkt_meta *m)
{
	ipv6_start(f, exp, IPPROTO_FRAGMENT);
	put_frag6(f, IPPROTO_UDP, 10, true);
	f->len -= 2;
	end_ipv6(f, 14);
	exp_ipv6(exp, 0, NFV_IEH_FRAG);
	set_meta(m, 14, 0, 0);
}

static void
bad_trunc_auth_header(struct frame *f, struct nfv_flow_key *exp,
		      struct nfv_pkt_meta *m)
{
	ipv6_start(f, exp, IPPROTO_AH);
	put_ah(f, IPPROTO_TCP);
	f->len -= 4;
	end_ipv6(f, 14);
	exp_ipv6(exp, 0, NFV_IEH_AUTH);
	set_meta(m, 14, 0, 0);
}

static void
bad_trunc_tcp_after_ext(struct frame *f, struct nfv_flow_key *exp,
			struct nfv_pkt_meta *m)
{
	ipv6_start(f, exp, IPPROTO_ROUTING);
	put_ext(f, IPPROTO_TCP, 0);
	put_tcp(f, 1, 2, 5, 0);
	f->len -= 10;
	end_ipv6(f, 14);
	exp_ipv6(exp, IPPROTO_TCP, NFV_IEH_ROUTER);
	set_meta(m, 14, 0, 0);
}

static void
bad_tcp6_doff_past_segment(struct frame *f, struct nfv_flow_key *exp,
			   struct nfv_pkt_meta *m)
{
	ipv6_start(f, exp, IPPROTO_TCP);
	put_tcp(f, 1, 2, 5, 0);
	end_ipv6(f, 14);
	f->b[54 + 12] = 0xf0;
	exp_ipv6(exp, IPPROTO_TCP, 0);
	set_meta(m, 14, 0, 0);
}

static void
bad_trunc_icmpv6(struct frame *f, struct nfv_flow_key *exp,
		 struct nfv_pkt_meta *m)
{
	ipv6_start(f, exp, IPPROTO_ICMPV6);
	put_icmp(f, 128, 0);
	f->len -= 4;
	end_ipv6(f, 14);
	exp_ipv6(exp, IPPROTO_ICMPV6, 0);
	set_meta(m, 14, 0, 0);
}

/* An ND message of 'type' with ICMPv6 fields expected; ND fields are
 * never expected in a bad frame. */
static void
nd_start(struct frame *f, struct nfv_flow_key *exp, uint8_t type)
{
	ipv6_start(f, exp, IPPROTO_ICMPV6);
	put_nd(f, type);
	exp_ipv6(exp, IPPROTO_ICMPV6, 0);
	exp->tp_src = htons(type);
}

static void
bad_trunc_nd(struct frame *f, struct nfv_flow_key *exp,
	     struct nfv_pkt_meta *m)
{
	nd_start(f, exp, 135);
	f->len -= 4;            /* a 12-byte target */
	end_ipv6(f, 14);
	set_meta(m, 14, 54, 0);
}

static void
bad_nd_option_len_0(struct frame *f, struct nfv_flow_key *exp,
		    struct nfv_pkt_meta *m)
{
	nd_start(f, exp, 135);
	put_nd_opt(f, 1, mac_ll);       /* valid, but dropped with the rest */
	put8(f, 1);
	put8(f, 0);
	put_fill(f, 0, 6);
	end_ipv6(f, 14);
	set_meta(m, 14, 54, 0);
}

static void
bad_nd_option_overrun(struct frame *f, struct nfv_flow_key *exp,
		      struct nfv_pkt_meta *m)
{
	nd_start(f, exp, 136);
	put8(f, 2);
	put8(f, 2);             /* 16 bytes, 8 left */
	put(f, mac_ll, 6);
	end_ipv6(f, 14);
	set_meta(m, 14, 54, 0);
}

static void
bad_nd_partial_option(struct frame *f, struct nfv_flow_key *exp,
		      struct nfv_pkt_meta *m)
{
	nd_start(f, exp, 136);
	put_nd_opt(f, 2, mac_ll);
	put_fill(f, 0, 4);
	end_ipv6(f, 14);
	set_meta(m, 14, 54, 0);
}

static void
bad_nd_option_in_padding(struct frame *f, struct nfv_flow_key *exp,
			 struct nfv_pkt_meta *m)
{
	/* Payload length stops mid-option; the rest is Ethernet padding. */
	nd_start(f, exp, 135);
	put_nd_opt(f, 1, mac_ll);
	end_ipv6(f, 14);
	set16(f, 18, 24 + 4);
	set_meta(m, 14, 54, 0);
}

static void
bad_headers_past_hdr_max(struct frame *f, struct nfv_flow_key *exp,
			 struct nfv_pkt_meta *m)
{
	/* TCP starts at 14 + 40 + 192 = 246 and ends past 256. */
	ipv6_start(f, exp, IPPROTO_HOPOPTS);
	put_ext(f, IPPROTO_TCP, 23);
	put_tcp(f, 1, 2, 5, 0);
	end_ipv6(f, 14);
	exp_ipv6(exp, IPPROTO_TCP, NFV_IEH_HOP);
	set_meta(m, 14, 0, 0);
}

static void
bad_ext_chain_past_hdr_max(struct frame *f, struct nfv_flow_key *exp,
			   struct nfv_pkt_meta *m)
{
	/* Extension headers up to byte 270. */
	ipv6_start(f, exp, IPPROTO_HOPOPTS);
	put_ext(f, IPPROTO_DSTOPTS, 15);
	put_ext(f, IPPROTO_UDP, 11);
	put_udp(f, 1, 2);
	end_ipv6(f, 14);
	exp_ipv6(exp, 0, NFV_IEH_HOP | NFV_IEH_DEST);
	set_meta(m, 14, 0, 0);
}

static void
bad_nd_options_past_hdr_max(struct frame *f, struct nfv_flow_key *exp,
			    struct nfv_pkt_meta *m)
{
	/* ND at 222, its options at 246 and 254: the second one is whole in
	 * the packet but ends past byte 256. */
	ipv6_start(f, exp, IPPROTO_HOPOPTS);
	put_ext(f, IPPROTO_ICMPV6, 20);
	put_nd(f, 135);
	put_nd_opt(f, 1, mac_ll);
	put_nd_opt(f, 2, mac_ll2);
	end_ipv6(f, 14);
	exp_ipv6(exp, IPPROTO_ICMPV6, NFV_IEH_HOP);
	exp->tp_src = htons(135);
	set_meta(m, 14, 222, 0);
}

static const struct bad_case bad_cases[] = {
	{ "empty frame", bad_empty, NFV_PARSE_TRUNCATED },
	{ "runt ethernet", bad_runt_eth, NFV_PARSE_TRUNCATED },
	{ "truncated vlan", bad_trunc_vlan, NFV_PARSE_TRUNCATED },
	{ "truncated inner vlan", bad_trunc_inner_vlan, NFV_PARSE_TRUNCATED },
	{ "truncated arp", bad_trunc_arp, NFV_PARSE_TRUNCATED },
	{ "runt ipv4", bad_runt_ipv4, NFV_PARSE_TRUNCATED },
	{ "ipv4 version 6", bad_ipv4_version, NFV_PARSE_MALFORMED },
	{ "ipv4 ihl < 5", bad_ipv4_ihl_below_5, NFV_PARSE_MALFORMED },
	{ "ipv4 total length < ihl", bad_ipv4_total_below_ihl,
	  NFV_PARSE_MALFORMED },
	{ "ipv4 total length > packet", bad_ipv4_total_past_packet,
	  NFV_PARSE_TRUNCATED },
	{ "ipv4 options > packet", bad_ipv4_options_past_packet,
	  NFV_PARSE_TRUNCATED },
	{ "truncated tcp", bad_trunc_tcp, NFV_PARSE_TRUNCATED },
	{ "tcp in ethernet padding", bad_tcp_in_padding, NFV_PARSE_TRUNCATED },
	{ "tcp data offset < 5", bad_tcp_doff_below_5, NFV_PARSE_MALFORMED },
	{ "tcp data offset > segment", bad_tcp_doff_past_segment,
	  NFV_PARSE_MALFORMED },
	{ "truncated udp", bad_trunc_udp, NFV_PARSE_TRUNCATED },
	{ "truncated sctp", bad_trunc_sctp, NFV_PARSE_TRUNCATED },
	{ "truncated icmp", bad_trunc_icmp, NFV_PARSE_TRUNCATED },
	{ "truncated l4 in first fragment", bad_trunc_first_fragment_l4,
	  NFV_PARSE_TRUNCATED },
	{ "runt ipv6", bad_runt_ipv6, NFV_PARSE_TRUNCATED },
	{ "ipv6 version 4", bad_ipv6_version, NFV_PARSE_MALFORMED },
	{ "ipv6 payload length > packet", bad_ipv6_payload_past_packet,
	  NFV_PARSE_TRUNCATED },
	{ "truncated ext header", bad_trunc_ext_header, NFV_PARSE_TRUNCATED },
	{ "truncated ext header chain", bad_trunc_ext_chain,
	  NFV_PARSE_TRUNCATED },
	{ "truncated fragment header", bad_trunc_frag_header,
	  NFV_PARSE_TRUNCATED },
	{ "truncated auth header", bad_trunc_auth_header,
	  NFV_PARSE_TRUNCATED },
	{ "truncated tcp after ext", bad_trunc_tcp_after_ext,
	  NFV_PARSE_TRUNCATED },
	{ "ipv6 tcp data offset > segment", bad_tcp6_doff_past_segment,
	  NFV_PARSE_MALFORMED },
	{ "truncated icmpv6", bad_trunc_icmpv6, NFV_PARSE_TRUNCATED },
	{ "truncated nd", bad_trunc_nd, NFV_PARSE_TRUNCATED },
	{ "nd option length 0", bad_nd_option_len_0, NFV_PARSE_MALFORMED },
	{ "nd option overrun", bad_nd_option_overrun, NFV_PARSE_MALFORMED },
	{ "nd partial option", bad_nd_partial_option, NFV_PARSE_MALFORMED },
	{ "nd option in padding", bad_nd_option_in_padding,
	  NFV_PARSE_MALFORMED },
	{ "l4 past NFV_PARSE_HDR_MAX", bad_headers_past_hdr_max,
	  NFV_PARSE_TRUNCATED },
	{ "ext chain past NFV_PARSE_HDR_MAX", bad_ext_chain_past_hdr_max,
	  NFV_PARSE_TRUNCATED },
	{ "nd options past NFV_PARSE_HDR_MAX", bad_nd_options_past_hdr_max,
	  NFV_PARSE_TRUNCATED },
};

static void
test_parse_malformed_frames_table(void **state)
{
	struct nfv_pkt_meta meta, exp_meta;
	struct nfv_flow_key key, exp;
	struct frame f;
	size_t i;

	(void)state;
	for (i = 0; i < NFV_ARRAY_SIZE(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];

		memset(&exp_meta, 0, sizeof(exp_meta));
		bad_cases[i].build(&f, &exp, &exp_meta);
		exp_meta.flags = c->flags;
		memset(&key, 0xa5, sizeof(key));
		memset(&meta, 0xa5, sizeof(meta));
		if (nfv_parse_buf(f.b, f.len, IN_PORT, &key, &meta))
			fail_msg("%s: parsed as well-formed", c->name);
		if (meta.flags != c->flags)
			fail_msg("%s: flags %u, expected %u", c->name,
				 meta.flags, c->flags);
		if (memcmp(&key, &exp, sizeof(key)) != 0) {
			print_error("case '%s'\n", c->name);
			assert_key_equal(&exp, &key);
		}
		if (memcmp(&meta, &exp_meta, sizeof(meta)) != 0) {
			print_error("case '%s'\n", c->name);
			assert_meta(&meta, exp_meta.l3_ofs, exp_meta.l4_ofs,
				    exp_meta.vlan_ofs, exp_meta.n_vlans,
				    exp_meta.flags);
		}
	}
}

/* ---- random frames ---- */

static uint64_t rng_state;

static uint32_t
rng(void)
{
	/* xorshift64*: deterministic, independent of libc. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dULL) >> 32);
}

#define N_TEMPLATES 16

/* Good frames of every kind, to mutate: random bytes alone rarely get
 * past the Ethernet type. */
static void
make_templates(struct frame *t)
{
	struct nfv_flow_key k;
	uint32_t ip;
	size_t i;

	ipv4_udp(&t[0], &k, 20);
	ipv4_tcp(&t[1], &k, 8);
	put_arp(&t[2], 1, mac_src, ip4_src, mac_ll, ip4_dst);
	put_eth_vlan(&t[3], 0x88a8, 5, 0x8100);
	put16(&t[3], 6);
	put16(&t[3], 0x0800);
	ip = put_ipv4(&t[3], IPPROTO_SCTP, 3, 0x2000);
	put_sctp(&t[3], 1, 2);
	end_ipv4(&t[3], ip);
	put_eth(&t[4], 0x0800);
	ip = put_ipv4(&t[4], IPPROTO_ICMP, 0, 0);
	put_icmp(&t[4], 8, 0);
	end_ipv4(&t[4], ip);
	for (i = 0; i < 6; i++)
		build_ext_chain(&t[5 + i], &ext_cases[i * 4 % NFV_ARRAY_SIZE(ext_cases)]);
	bad_nd_option_len_0(&t[11], &k, &(struct nfv_pkt_meta){ 0 });
	put_eth(&t[12], 0x86dd);
	ip = put_ipv6(&t[12], IPPROTO_ICMPV6);
	put_nd(&t[12], 136);
	put_nd_opt(&t[12], 2, mac_ll);
	put_nd_opt(&t[12], 1, mac_ll);
	end_ipv6(&t[12], ip);
	bad_headers_past_hdr_max(&t[13], &k, &(struct nfv_pkt_meta){ 0 });
	put_eth_vlan(&t[14], 0x8100, 1, 0x86dd);
	ip = put_ipv6(&t[14], IPPROTO_FRAGMENT);
	put_frag6(&t[14], IPPROTO_TCP, 0, true);
	put_tcp(&t[14], 1, 2, 6, 0x3f);
	end_ipv6(&t[14], ip);
	put_eth(&t[15], 0x0800);
	ip = put_ipv4(&t[15], IPPROTO_TCP, 1, 0x0010);
	put_fill(&t[15], 0, 30);
	end_ipv4(&t[15], ip);
}

/* A random frame: pure noise, or a template with a few bytes changed
 * (often to a value that matters to some length or type field) and cut or
 * extended at a random length. */
static void
random_frame(const struct frame *templates, struct frame *f)
{
	static const uint8_t interesting[] = { 0x00, 0x01, 0x02, 0x04, 0x05,
		0x06, 0x08, 0x0f, 0x11, 0x2c, 0x2b, 0x32, 0x33, 0x3a, 0x3b, 0x3c,
		0x40, 0x45, 0x4f, 0x50, 0x60, 0x81, 0x84, 0x86, 0x87, 0x88, 0x7f,
		0xa8, 0xdd, 0xf0, 0xff };
	uint32_t i, n, len;

	if (rng() % 4 == 0) {
		f->len = rng() % 320;
		for (i = 0; i < f->len; i++)
			f->b[i] = rng();
		return;
	}
	*f = templates[rng() % N_TEMPLATES];
	len = f->len;
	n = rng() % 5;
	for (i = 0; i < n; i++) {
		uint32_t at = rng() % len;

		f->b[at] = rng() % 2 ? interesting[rng() %
				       NFV_ARRAY_SIZE(interesting)] : rng();
	}
	f->len = rng() % (len + 24);
	for (i = len; i < f->len; i++)
		f->b[i] = rng();
}

/* Properties of every parse, valid or not. */
static void
check_invariants(const struct nfv_flow_key *k, const struct nfv_pkt_meta *m,
		 bool ok, uint32_t len)
{
	static const uint8_t zero[sizeof(k->pad)];
	uint32_t max = len < NFV_PARSE_HDR_MAX ? len : NFV_PARSE_HDR_MAX;

	assert_int_equal(ok, m->flags == 0);
	assert_true(m->flags == 0 || m->flags == NFV_PARSE_TRUNCATED ||
		    m->flags == NFV_PARSE_MALFORMED);
	assert_int_equal(k->in_port, IN_PORT);
	assert_int_equal(k->metadata, 0);
	assert_memory_equal(k->pad, zero, sizeof(zero));
	assert_true(m->n_vlans <= 2);
	assert_int_equal(m->vlan_ofs, m->n_vlans ? 12 : 0);
	assert_int_equal(k->vlan_tci != 0, m->n_vlans != 0);
	assert_true(m->l3_ofs == 0 || (m->l3_ofs >= 14 && m->l3_ofs < max));
	assert_true(m->l4_ofs == 0 ||
		    (m->l3_ofs != 0 && m->l4_ofs > m->l3_ofs &&
		     m->l4_ofs < max));
	assert_int_equal(k->tcp_flags & ~htons(0x0fff), 0);
	assert_int_equal(k->ipv6_label & ~htonl(0xfffff), 0);
	assert_true(k->ip_frag <= (NFV_FRAG_ANY | NFV_FRAG_LATER));
	assert_true(k->ipv6_exthdr < 0x200);
	if (k->ip_frag & NFV_FRAG_LATER)
		assert_int_equal(m->l4_ofs, 0);
}

static unsigned long
n_iterations(void)
{
	const char *s = getenv("NFV_PARSE_ITERS");

	return s != NULL ? strtoul(s, NULL, 0) : RANDOM_ITERS;
}

static void
test_parse_random_frames_stay_in_bounds(void **state)
{
	long page = sysconf(_SC_PAGESIZE);
	struct nfv_flow_key key, key2;
	struct nfv_pkt_meta meta, meta2;
	struct frame templates[N_TEMPLATES], f;
	unsigned long i, n = n_iterations(), n_ok = 0;
	uint8_t *area, *copy;
	bool ok;

	(void)state;
	/* Frames end at a PROT_NONE page, so a read past 'len' faults
	 * natively; the heap copy of exactly 'len' bytes is for valgrind. */
	area = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(area != MAP_FAILED);
	assert_int_equal(mprotect(area + page, page, PROT_NONE), 0);
	make_templates(templates);
	rng_state = 0x6e66767377697463ULL;
	for (i = 0; i < n; i++) {
		random_frame(templates, &f);
		/* The heap copy first, so that valgrind reports a bad read
		 * there before the guard page turns it into a fault. */
		copy = malloc(f.len ? f.len : 1);
		assert_non_null(copy);
		memcpy(copy, f.b, f.len);
		memset(&key, i & 0xff, sizeof(key));
		ok = nfv_parse_buf(copy, f.len, IN_PORT, &key, &meta);
		free(copy);
		check_invariants(&key, &meta, ok, f.len);
		n_ok += ok;

		copy = area + page - f.len;
		memcpy(copy, f.b, f.len);
		memset(&key2, ~i & 0xff, sizeof(key2));
		assert_int_equal(nfv_parse_buf(copy, f.len, IN_PORT, &key2,
					       &meta2), ok);
		assert_memory_equal(&key, &key2, sizeof(key));
		assert_memory_equal(&meta, &meta2, sizeof(meta));
	}
	munmap(area, 2 * page);
	/* The mutations must keep a fair share of frames well-formed. */
	assert_true(n < 1000 || n_ok > n / 10);
}

/* ---- mbufs (EAL) ---- */

static struct rte_mempool *pool;

static int
eal_setup(void **state)
{
	char prefix[64];
	char *argv[] = {
		"test_parse", "--no-huge", "--no-pci", "-m", "64", "-l", "0",
		"--file-prefix", prefix, "--log-level=lib.*:error", NULL,
	};

	(void)state;
	snprintf(prefix, sizeof(prefix), "test_parse_%d", (int)getpid());
	if (rte_eal_init(NFV_ARRAY_SIZE(argv) - 1, argv) < 0)
		return -1;
	pool = rte_pktmbuf_pool_create("test_parse", 255, 0, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE,
				       rte_socket_id());
	return pool != NULL ? 0 : -1;
}

static int
eal_teardown(void **state)
{
	(void)state;
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return 0;
}

/* An mbuf chain holding 'f' cut at the ascending offsets 'cuts'. */
static struct rte_mbuf *
mbuf_of(const struct frame *f, const uint32_t *cuts, unsigned int n_cuts)
{
	struct rte_mbuf *head = NULL, *seg;
	uint32_t start = 0, end;
	unsigned int i;
	char *p;

	for (i = 0; i <= n_cuts; i++) {
		end = i < n_cuts ? cuts[i] : f->len;
		seg = rte_pktmbuf_alloc(pool);
		assert_non_null(seg);
		p = rte_pktmbuf_append(seg, end - start);
		assert_non_null(p);
		memcpy(p, f->b + start, end - start);
		if (head == NULL)
			head = seg;
		else
			assert_int_equal(rte_pktmbuf_chain(head, seg), 0);
		start = end;
	}
	assert_int_equal(rte_pktmbuf_pkt_len(head), f->len);
	return head;
}

/* Parses 'f' flat and as an mbuf cut at 'cuts'; both must agree. */
static void
assert_mbuf_same_as_buf(const struct frame *f, const uint32_t *cuts,
			unsigned int n_cuts)
{
	struct nfv_flow_key key, mkey;
	struct nfv_pkt_meta meta, mmeta;
	struct rte_mbuf *m = mbuf_of(f, cuts, n_cuts);
	bool ok;

	ok = nfv_parse_buf(f->b, f->len, IN_PORT, &key, &meta);
	memset(&mkey, 0x5a, sizeof(mkey));
	assert_int_equal(nfv_parse_mbuf(m, IN_PORT, &mkey, &mmeta), ok);
	assert_key_equal(&key, &mkey);
	assert_memory_equal(&meta, &mmeta, sizeof(meta));
	rte_pktmbuf_free(m);
}

static void
test_parse_mbuf_single_segment(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta;
	struct rte_mbuf *m;
	struct frame f;

	(void)state;
	ipv4_tcp(&f, &exp, 6);
	m = mbuf_of(&f, NULL, 0);
	assert_true(nfv_parse_mbuf(m, IN_PORT, &key, &meta));
	exp_ports(&exp, 1, 2);
	exp.tcp_flags = htons(0x002);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 14, 34, 0, 0, 0);
	rte_pktmbuf_free(m);
}

static void
test_parse_mbuf_headers_straddling_segments(void **state)
{
	struct frame frames[5];
	struct nfv_flow_key k;
	uint32_t cuts[2], a, b;
	size_t i;

	(void)state;
	ipv4_tcp(&frames[0], &k, 15);
	put_eth_vlan(&frames[1], 0x88a8, 5, 0x8100);
	put16(&frames[1], 6);
	put16(&frames[1], 0x0800);
	a = put_ipv4(&frames[1], IPPROTO_UDP, 4, 0);
	put_udp(&frames[1], 3, 4);
	end_ipv4(&frames[1], a);
	build_ext_chain(&frames[2], &ext_cases[8]);     /* preferred order */
	nd_start(&frames[3], &k, 135);
	put_nd_opt(&frames[3], 1, mac_ll);
	end_ipv6(&frames[3], 14);
	put_arp(&frames[4], 2, mac_ll, ip4_dst, mac_src, ip4_src);

	for (i = 0; i < NFV_ARRAY_SIZE(frames); i++) {
		const struct frame *f = &frames[i];

		/* Every cut into two segments, including empty ones. */
		for (a = 0; a <= f->len; a++) {
			cuts[0] = a;
			assert_mbuf_same_as_buf(f, cuts, 1);
		}
		/* Three segments, the middle one a few bytes long. */
		for (a = 1; a < f->len; a += 3) {
			for (b = a; b < a + 9 && b < f->len; b++) {
				cuts[0] = a;
				cuts[1] = b;
				assert_mbuf_same_as_buf(f, cuts, 2);
			}
		}
	}
}

static void
test_parse_mbuf_headers_beyond_hdr_max_not_parsed(void **state)
{
	struct nfv_flow_key key, exp;
	struct nfv_pkt_meta meta, exp_meta = { 0 };
	struct rte_mbuf *m;
	uint32_t cuts[1];
	struct frame f;

	(void)state;
	/* In one segment (read in place) and cut at 100 (gathered). */
	bad_headers_past_hdr_max(&f, &exp, &exp_meta);
	put_fill(&f, 0x42, 300);
	end_ipv6(&f, 14);
	m = mbuf_of(&f, NULL, 0);
	assert_false(nfv_parse_mbuf(m, IN_PORT, &key, &meta));
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 14, 0, 0, 0, NFV_PARSE_TRUNCATED);
	rte_pktmbuf_free(m);

	cuts[0] = 100;
	m = mbuf_of(&f, cuts, 1);
	assert_false(nfv_parse_mbuf(m, IN_PORT, &key, &meta));
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 14, 0, 0, 0, NFV_PARSE_TRUNCATED);
	rte_pktmbuf_free(m);

	/* The datagram length is checked against the whole packet, not
	 * against the gathered headers. */
	ipv4_udp(&f, &exp, 600);
	cuts[0] = 40;
	m = mbuf_of(&f, cuts, 1);
	assert_true(nfv_parse_mbuf(m, IN_PORT, &key, &meta));
	exp_ipv4(&exp, IPPROTO_UDP);
	exp_ports(&exp, 1, 2);
	assert_key_equal(&exp, &key);
	assert_meta(&meta, 14, 34, 0, 0, 0);
	rte_pktmbuf_free(m);
}

static void
test_parse_mbuf_random_cuts_same_as_buf(void **state)
{
	struct frame templates[N_TEMPLATES], f;
	unsigned long i, n = n_iterations() / 20;
	uint32_t cuts[3];
	unsigned int n_cuts, j;

	(void)state;
	make_templates(templates);
	rng_state = 0x6d6275667365677aULL;
	for (i = 0; i < n; i++) {
		random_frame(templates, &f);
		n_cuts = rng() % 4;
		for (j = 0; j < n_cuts; j++)
			cuts[j] = f.len ? rng() % (f.len + 1) : 0;
		/* Sort the (at most three) cuts. */
		for (j = 1; j < n_cuts; j++) {
			uint32_t c = cuts[j];
			unsigned int k = j;

			for (; k > 0 && cuts[k - 1] > c; k--)
				cuts[k] = cuts[k - 1];
			cuts[k] = c;
		}
		assert_mbuf_same_as_buf(&f, cuts, n_cuts);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_untagged_ipv4_udp),
		cmocka_unit_test(test_parse_8021q_tag_sets_vlan_tci),
		cmocka_unit_test(test_parse_dei_bit_replaced_by_present_marker),
		cmocka_unit_test(test_parse_qinq_outer_tag_matched_inner_skipped),
		cmocka_unit_test(test_parse_third_tag_is_the_eth_type),
		cmocka_unit_test(test_parse_8023_length_frame_gets_type_05ff),
		cmocka_unit_test(test_parse_unknown_ethertype_is_l2_only),
		cmocka_unit_test(test_parse_arp_request),
		cmocka_unit_test(test_parse_arp_reply),
		cmocka_unit_test(test_parse_arp_not_ethernet_ipv4_has_no_fields),
		cmocka_unit_test(test_parse_ipv4_options_skipped),
		cmocka_unit_test(test_parse_ipv4_ethernet_padding_not_parsed),
		cmocka_unit_test(test_parse_ipv4_dont_fragment_is_not_a_fragment),
		cmocka_unit_test(test_parse_ipv4_first_fragment_has_l4),
		cmocka_unit_test(test_parse_ipv4_later_fragment_has_no_l4),
		cmocka_unit_test(test_parse_ipv4_other_protocol_has_no_l4),
		cmocka_unit_test(test_parse_tcp_flags_low_12_bits),
		cmocka_unit_test(test_parse_tcp_with_options),
		cmocka_unit_test(test_parse_udp),
		cmocka_unit_test(test_parse_sctp),
		cmocka_unit_test(test_parse_icmpv4_type_and_code),
		cmocka_unit_test(test_parse_ipv6_tcp),
		cmocka_unit_test(test_parse_ipv6_traffic_class_and_flow_label),
		cmocka_unit_test(test_parse_ipv6_payload_padding_not_parsed),
		cmocka_unit_test(test_parse_ipv6_exthdr_chains),
		cmocka_unit_test(test_parse_ipv6_later_fragment_has_no_l4),
		cmocka_unit_test(test_parse_ipv6_atomic_fragment_is_a_fragment),
		cmocka_unit_test(test_parse_icmpv4_not_parsed_over_ipv6),
		cmocka_unit_test(test_parse_sctp_over_ipv6),
		cmocka_unit_test(test_parse_icmpv6_echo),
		cmocka_unit_test(test_parse_nd_ns_with_sll),
		cmocka_unit_test(test_parse_nd_ns_without_options),
		cmocka_unit_test(test_parse_nd_na_with_tll),
		cmocka_unit_test(test_parse_nd_first_matching_option_used),
		cmocka_unit_test(test_parse_nd_nonzero_code_is_plain_icmpv6),
		cmocka_unit_test(test_parse_nd_behind_extension_headers),
		cmocka_unit_test(test_parse_key_needs_only_8_byte_alignment),
		cmocka_unit_test(test_parse_malformed_frames_table),
		cmocka_unit_test(test_parse_random_frames_stay_in_bounds),
	};
	const struct CMUnitTest mbuf_tests[] = {
		cmocka_unit_test(test_parse_mbuf_single_segment),
		cmocka_unit_test(test_parse_mbuf_headers_straddling_segments),
		cmocka_unit_test(test_parse_mbuf_headers_beyond_hdr_max_not_parsed),
		cmocka_unit_test(test_parse_mbuf_random_cuts_same_as_buf),
	};
	int failed;

	failed = cmocka_run_group_tests_name("parse", tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("parse_mbuf", mbuf_tests,
					      eal_setup, eal_teardown);
	return failed;
}
