/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet editing (see pkt_edit.h): set_field for every settable field,
 * VLAN push and pop, TTL set and decrement. The actions executor calls
 * these per packet on a worker after the parser has filled the flow key and
 * the header offsets (struct nfv_pkt_meta); each edit leaves the packet,
 * the key and the offsets in step.
 *
 * Checksums are fixed incrementally: every one's complement checksum (IPv4
 * header, TCP, UDP, ICMP, ICMPv6, with pseudo-headers) goes through one
 * RFC 1624 helper, csum_replace(). SCTP's CRC32c is linear over GF(2), so
 * it too is adjusted by the CRC of the difference (sctp_crc_fix()), which
 * reads no payload. Either way a checksum that arrived wrong stays wrong:
 * the switch never turns a corrupted packet into a valid one.
 *
 * Every function checks that the bytes it will touch are in the first
 * segment before it writes any, so an error leaves the packet as it was.
 * The key and offsets are updated by hand, except in two rare cases where
 * they are the parser's business and the packet is parsed again: an ICMPv6
 * type or code change that makes or unmakes an ND message, and VLAN tags
 * beyond the two the parser reads.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_hash_crc.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_sctp.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "pkt_edit.h"

#define VLAN_TAG_LEN 4
#define VLAN_DEI 0x1000                 /* in the 802.1Q TCI on the wire */
#define ICMP_HDR_LEN 4                  /* type, code, checksum */
#define ND_OPTS_OFS 24                  /* ICMPv6 header, reserved, target */
#define ND_OPT_SLL 1
#define ND_OPT_TLL 2
#define ND_NS 135
#define ND_NA 136

/* Offsets inside the ARP header (Ethernet/IPv4 ARP only). */
#define ARP_OP_OFS offsetof(struct rte_arp_hdr, arp_opcode)
#define ARP_DATA_OFS(m) (offsetof(struct rte_arp_hdr, arp_data) + \
			 offsetof(struct rte_arp_ipv4, m))

static inline uint16_t
load_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void
store_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static inline uint32_t
load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline void
store_be32(uint8_t *p, uint32_t v)
{
	store_be16(p, v >> 16);
	store_be16(p + 2, v & 0xffff);
}

/* 0 if bytes [0, 'end') of 'm' are in its first segment; -ENOTSUP if some
 * are in a later one; -EINVAL if the packet is shorter (the key promised a
 * header the packet does not have). */
static inline int
edit_reach(const struct rte_mbuf *m, uint32_t end)
{
	if (likely(end <= rte_pktmbuf_data_len(m)))
		return 0;
	return end <= rte_pktmbuf_pkt_len(m) ? -ENOTSUP : -EINVAL;
}

static inline uint8_t *
edit_at(struct rte_mbuf *m, uint32_t ofs)
{
	return rte_pktmbuf_mtod_offset(m, uint8_t *, ofs);
}

/* RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'): checksum 'cksum' (as stored)
 * after the 'len' bytes (even, at an even offset of the covered data)
 * 'old' became 'new'. Words are summed as stored, so no byte swapping is
 * needed: the one's complement sum does not care about byte order. */
static inline uint16_t
csum_replace(uint16_t cksum, const void *old, const void *new,
	     unsigned int len)
{
	const uint8_t *o = old;
	const uint8_t *n = new;
	uint32_t sum = (uint16_t)~cksum;
	unsigned int i;

	for (i = 0; i < len; i += 2) {
		uint16_t ow, nw;

		memcpy(&ow, o + i, 2);
		memcpy(&nw, n + i, 2);
		sum += (uint16_t)~ow + nw;
	}
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Folds the change of 'len' bytes from 'old' to 'new' into the checksum
 * stored at 'cksum'. For UDP ('udp'), 0 means "no checksum" and stays 0,
 * and a result of 0 is sent as 0xffff (RFC 768). */
static inline void
csum_fix(uint8_t *cksum, const void *old, const void *new, unsigned int len,
	 bool udp)
{
	uint16_t c;

	memcpy(&c, cksum, 2);
	if (udp && c == 0)
		return;
	c = csum_replace(c, old, new, len);
	if (udp && c == 0)
		c = 0xffff;
	memcpy(cksum, &c, 2);
}

static inline bool
key_is_ipv4(const struct nfv_flow_key *key, const struct nfv_pkt_meta *meta)
{
	return key->eth_type == RTE_BE16(RTE_ETHER_TYPE_IPV4) &&
	       meta->l3_ofs != 0;
}

static inline bool
key_is_ipv6(const struct nfv_flow_key *key, const struct nfv_pkt_meta *meta)
{
	return key->eth_type == RTE_BE16(RTE_ETHER_TYPE_IPV6) &&
	       meta->l3_ofs != 0;
}

/* Does the packet have more VLAN tags than the two the parser reads (its
 * eth_type is then a TPID)? */
static inline bool
key_has_hidden_tags(const struct nfv_flow_key *key)
{
	return key->eth_type == RTE_BE16(RTE_ETHER_TYPE_VLAN) ||
	       key->eth_type == RTE_BE16(RTE_ETHER_TYPE_QINQ);
}

/* Does the packet have an L4 header of protocol 'proto' (not a later
 * fragment)? */
static inline bool
key_has_l4(const struct nfv_flow_key *key, const struct nfv_pkt_meta *meta,
	   uint8_t proto)
{
	return (key_is_ipv4(key, meta) || key_is_ipv6(key, meta)) &&
	       key->ip_proto == proto && meta->l4_ofs != 0;
}

/* Finds the L4 checksum that covers the IP pseudo-header (TCP, UDP, and
 * ICMPv6 over IPv6): '*cksum' is NULL if there is none (SCTP, ICMPv4, no
 * L4 header as in a later fragment); '*udp' says whether it is UDP's.
 * Returns 0 or -ENOTSUP. */
static int
pseudo_csum_find(struct rte_mbuf *m, const struct nfv_flow_key *key,
		 const struct nfv_pkt_meta *meta, uint8_t **cksum, bool *udp)
{
	uint32_t ofs;
	int ret;

	*cksum = NULL;
	*udp = false;
	if (meta->l4_ofs == 0)
		return 0;
	switch (key->ip_proto) {
	case IPPROTO_TCP:
		ofs = offsetof(struct rte_tcp_hdr, cksum);
		break;
	case IPPROTO_UDP:
		ofs = offsetof(struct rte_udp_hdr, dgram_cksum);
		*udp = true;
		break;
	case IPPROTO_ICMPV6:
		if (key->eth_type != RTE_BE16(RTE_ETHER_TYPE_IPV6))
			return 0;
		ofs = offsetof(struct rte_icmp_hdr, icmp_cksum);
		break;
	default:
		return 0;
	}
	ofs += meta->l4_ofs;
	ret = edit_reach(m, ofs + 2);
	if (ret < 0)
		return ret;
	*cksum = edit_at(m, ofs);
	return 0;
}

static int
set_eth_addr(struct rte_mbuf *m, uint32_t ofs, const uint8_t *mac)
{
	int ret;

	ret = edit_reach(m, RTE_ETHER_HDR_LEN);
	if (ret < 0)
		return ret;
	memcpy(edit_at(m, ofs), mac, RTE_ETHER_ADDR_LEN);
	return 0;
}

/* Replaces the bits 'mask' of the outer tag's TCI with 'bits'. */
static int
set_vlan_tci(struct rte_mbuf *m, const struct nfv_pkt_meta *meta,
	     uint16_t mask, uint16_t bits)
{
	uint8_t *tci;
	int ret;

	if (meta->n_vlans == 0)
		return -EINVAL;
	ret = edit_reach(m, meta->vlan_ofs + VLAN_TAG_LEN);
	if (ret < 0)
		return ret;
	tci = edit_at(m, meta->vlan_ofs + 2);
	store_be16(tci, (load_be16(tci) & ~mask) | bits);
	return 0;
}

/* Replaces the bits 'mask' of the IPv4 TOS or IPv6 traffic class with
 * 'bits'. */
static int
set_ip_tos(struct rte_mbuf *m, const struct nfv_flow_key *key,
	   const struct nfv_pkt_meta *meta, uint8_t mask, uint8_t bits)
{
	uint8_t *ip, old[2];
	uint32_t vtc;
	int ret;

	if (key_is_ipv4(key, meta)) {
		ret = edit_reach(m, meta->l3_ofs + sizeof(struct rte_ipv4_hdr));
		if (ret < 0)
			return ret;
		/* TOS is the low byte of the header's first word. */
		ip = edit_at(m, meta->l3_ofs);
		memcpy(old, ip, 2);
		ip[1] = (ip[1] & ~mask) | bits;
		csum_fix(ip + offsetof(struct rte_ipv4_hdr, hdr_checksum),
			 old, ip, 2, false);
		return 0;
	}
	if (key_is_ipv6(key, meta)) {
		ret = edit_reach(m, meta->l3_ofs + sizeof(struct rte_ipv6_hdr));
		if (ret < 0)
			return ret;
		/* Version 4 bits, traffic class 8, flow label 20. */
		ip = edit_at(m, meta->l3_ofs);
		vtc = load_be32(ip);
		vtc = (vtc & ~((uint32_t)mask << 20)) | (uint32_t)bits << 20;
		store_be32(ip, vtc);
		return 0;
	}
	return -EINVAL;
}

static int
set_ipv4_addr(struct rte_mbuf *m, const struct nfv_flow_key *key,
	      const struct nfv_pkt_meta *meta, uint32_t field_ofs,
	      const uint8_t *addr)
{
	uint8_t *ip, *l4_cksum, old[4];
	bool udp;
	int ret;

	if (!key_is_ipv4(key, meta))
		return -EINVAL;
	ret = edit_reach(m, meta->l3_ofs + sizeof(struct rte_ipv4_hdr));
	if (ret < 0)
		return ret;
	ret = pseudo_csum_find(m, key, meta, &l4_cksum, &udp);
	if (ret < 0)
		return ret;
	ip = edit_at(m, meta->l3_ofs);
	memcpy(old, ip + field_ofs, 4);
	memcpy(ip + field_ofs, addr, 4);
	csum_fix(ip + offsetof(struct rte_ipv4_hdr, hdr_checksum), old,
		 addr, 4, false);
	if (l4_cksum != NULL)
		csum_fix(l4_cksum, old, addr, 4, udp);
	return 0;
}

/* True if the IPv6 extension headers between 'l3' and 'l4' of 'pkt'
 * include a routing header with segments left: then the pseudo-header
 * holds the final destination from that header, not the IPv6 destination
 * address (RFC 8200 section 8.1), and changing the latter leaves the L4
 * checksum alone. The caller has checked that [0, l4) is in 'pkt'. */
static bool
ipv6_route_pending(const uint8_t *pkt, uint32_t l3, uint32_t l4)
{
	uint8_t next = pkt[l3 + offsetof(struct rte_ipv6_hdr, proto)];
	uint32_t ofs = l3 + sizeof(struct rte_ipv6_hdr);

	while (ofs + 8 <= l4) {
		const uint8_t *h = pkt + ofs;

		switch (next) {
		case IPPROTO_ROUTING:
			return h[3] != 0;
		case IPPROTO_FRAGMENT:
			ofs += 8;
			break;
		case IPPROTO_AH:
			ofs += (h[1] + 2) * 4;
			break;
		default:        /* hop-by-hop and destination options */
			ofs += (h[1] + 1) * 8;
			break;
		}
		next = h[0];
	}
	return false;
}

static int
set_ipv6_addr(struct rte_mbuf *m, const struct nfv_flow_key *key,
	      const struct nfv_pkt_meta *meta, bool dst, const uint8_t *addr)
{
	uint8_t *ip, *l4_cksum, old[16];
	uint32_t field_ofs;
	bool udp;
	int ret;

	if (!key_is_ipv6(key, meta))
		return -EINVAL;
	ret = edit_reach(m, meta->l3_ofs + sizeof(struct rte_ipv6_hdr));
	if (ret < 0)
		return ret;
	ret = pseudo_csum_find(m, key, meta, &l4_cksum, &udp);
	if (ret < 0)
		return ret;
	if (dst && l4_cksum != NULL &&
	    (key->ipv6_exthdr & NFV_IEH_ROUTER) &&
	    ipv6_route_pending(edit_at(m, 0), meta->l3_ofs, meta->l4_ofs))
		l4_cksum = NULL;
	field_ofs = dst ? offsetof(struct rte_ipv6_hdr, dst_addr) :
			  offsetof(struct rte_ipv6_hdr, src_addr);
	ip = edit_at(m, meta->l3_ofs);
	memcpy(old, ip + field_ofs, 16);
	memcpy(ip + field_ofs, addr, 16);
	if (l4_cksum != NULL)
		csum_fix(l4_cksum, old, addr, 16, udp);
	return 0;
}

static int
set_ipv6_label(struct rte_mbuf *m, const struct nfv_flow_key *key,
	       const struct nfv_pkt_meta *meta, uint32_t label)
{
	uint8_t *ip;
	int ret;

	if (!key_is_ipv6(key, meta))
		return -EINVAL;
	ret = edit_reach(m, meta->l3_ofs + sizeof(struct rte_ipv6_hdr));
	if (ret < 0)
		return ret;
	ip = edit_at(m, meta->l3_ofs);
	store_be32(ip, (load_be32(ip) & ~UINT32_C(0xfffff)) |
		   (label & 0xfffff));
	return 0;
}

/* Bytes from the SCTP header at meta->l4_ofs to the end of the IP payload
 * (Ethernet padding excluded): what the CRC32c covers. */
static int
sctp_len(struct rte_mbuf *m, const struct nfv_flow_key *key,
	 const struct nfv_pkt_meta *meta, uint32_t *len)
{
	const uint8_t *ip = edit_at(m, meta->l3_ofs);
	uint32_t end;

	/* The CRC of a fragment covers the whole reassembled packet. */
	if (key->ip_frag & NFV_FRAG_ANY)
		return -ENOTSUP;
	if (key_is_ipv4(key, meta))
		end = meta->l3_ofs +
		      load_be16(ip + offsetof(struct rte_ipv4_hdr, total_length));
	else
		end = meta->l3_ofs + sizeof(struct rte_ipv6_hdr) +
		      load_be16(ip + offsetof(struct rte_ipv6_hdr, payload_len));
	if (end < meta->l4_ofs + sizeof(struct rte_sctp_hdr) ||
	    end > rte_pktmbuf_pkt_len(m))
		return -EINVAL;
	*len = end - meta->l4_ofs;
	return 0;
}

/* Adjusts the CRC32c of the SCTP packet at 'sctp' ('sctp_len' bytes) for
 * the change of 'len' bytes at offset 'ofs' from 'old' to 'new'.
 *
 * With R the raw CRC (no initial or final inversion), CRC32c is linear:
 * crc(M ^ D) = crc(M) ^ R(D) for messages of equal length. D, the XOR of
 * the old and new packet, is zero outside the edited bytes (the checksum
 * field counts as zero in both), and leading zeros leave R at 0, so R(D)
 * runs from the first edited byte to the end: over the difference, then
 * over zeros. This costs what a recomputation would, but reads no payload
 * (which may be in other segments) and keeps a wrong CRC wrong. */
static void
sctp_crc_fix(uint8_t *sctp, uint32_t sctp_len, uint32_t ofs,
	     const uint8_t *old, const uint8_t *new, unsigned int len)
{
	uint8_t *cksum = sctp + offsetof(struct rte_sctp_hdr, cksum);
	uint32_t crc = 0, stored, n;
	unsigned int i;

	for (i = 0; i < len; i++)
		crc = rte_hash_crc_1byte(old[i] ^ new[i], crc);
	for (n = sctp_len - ofs - len; n >= 8; n -= 8)
		crc = rte_hash_crc_8byte(0, crc);
	for (; n > 0; n--)
		crc = rte_hash_crc_1byte(0, crc);
	/* The CRC is stored least significant byte first (RFC 9260). */
	memcpy(&stored, cksum, 4);
	stored ^= rte_cpu_to_le_32(crc);
	memcpy(cksum, &stored, 4);
}

/* Sets the TCP, UDP or SCTP ('proto') source ('ofs' 0) or destination
 * ('ofs' 2) port. */
static int
set_l4_port(struct rte_mbuf *m, const struct nfv_flow_key *key,
	    const struct nfv_pkt_meta *meta, uint8_t proto, uint32_t ofs,
	    const uint8_t *port)
{
	uint32_t hdr_len, len = 0;
	uint8_t *l4, old[2];
	int ret;

	if (!key_has_l4(key, meta, proto))
		return -EINVAL;
	switch (proto) {
	case IPPROTO_TCP:
		hdr_len = sizeof(struct rte_tcp_hdr);
		break;
	case IPPROTO_UDP:
		hdr_len = sizeof(struct rte_udp_hdr);
		break;
	default:
		hdr_len = sizeof(struct rte_sctp_hdr);
		break;
	}
	ret = edit_reach(m, meta->l4_ofs + hdr_len);
	if (ret < 0)
		return ret;
	if (proto == IPPROTO_SCTP) {
		ret = sctp_len(m, key, meta, &len);
		if (ret < 0)
			return ret;
	}
	l4 = edit_at(m, meta->l4_ofs);
	memcpy(old, l4 + ofs, 2);
	memcpy(l4 + ofs, port, 2);
	switch (proto) {
	case IPPROTO_TCP:
		csum_fix(l4 + offsetof(struct rte_tcp_hdr, cksum), old, port,
			 2, false);
		break;
	case IPPROTO_UDP:
		csum_fix(l4 + offsetof(struct rte_udp_hdr, dgram_cksum), old,
			 port, 2, true);
		break;
	default:
		sctp_crc_fix(l4, len, ofs, old, port, 2);
		break;
	}
	return 0;
}

/* Sets the ICMP or ICMPv6 ('proto') type ('ofs' 0) or code ('ofs' 1). */
static int
set_icmp(struct rte_mbuf *m, const struct nfv_flow_key *key,
	 const struct nfv_pkt_meta *meta, uint8_t proto, uint32_t ofs,
	 uint8_t value)
{
	uint8_t *icmp, old[2];
	bool ip_ok;
	int ret;

	ip_ok = proto == IPPROTO_ICMP ? key_is_ipv4(key, meta) :
					key_is_ipv6(key, meta);
	if (!ip_ok || !key_has_l4(key, meta, proto))
		return -EINVAL;
	ret = edit_reach(m, meta->l4_ofs + ICMP_HDR_LEN);
	if (ret < 0)
		return ret;
	/* Type and code are one 16-bit word of the checksummed data. */
	icmp = edit_at(m, meta->l4_ofs);
	memcpy(old, icmp, 2);
	icmp[ofs] = value;
	csum_fix(icmp + offsetof(struct rte_icmp_hdr, icmp_cksum), old, icmp,
		 2, false);
	return 0;
}

static int
set_arp(struct rte_mbuf *m, const struct nfv_flow_key *key,
	const struct nfv_pkt_meta *meta, uint32_t ofs, const uint8_t *value,
	unsigned int len)
{
	int ret;

	if (key->eth_type != RTE_BE16(RTE_ETHER_TYPE_ARP) || meta->l3_ofs == 0)
		return -EINVAL;
	ret = edit_reach(m, meta->l3_ofs + sizeof(struct rte_arp_hdr));
	if (ret < 0)
		return ret;
	memcpy(edit_at(m, meta->l3_ofs + ofs), value, len);
	return 0;
}

/* Is 'key' an ICMPv6 message that the parser reads as ND? */
static inline bool
key_is_nd(const struct nfv_flow_key *key)
{
	return key->ip_proto == IPPROTO_ICMPV6 &&
	       (key->tp_src == RTE_BE16(ND_NS) ||
		key->tp_src == RTE_BE16(ND_NA)) &&
	       key->tp_dst == 0;
}

/* Checks that 'm' is an IPv6 neighbor solicitation or advertisement, as
 * the parser sees it: ICMPv6 type 135 or 136 (or only 'type' if not 0),
 * code 0, and options that parsed cleanly (else the key has no ND fields),
 * with the fixed part in the first segment. */
static int
nd_check(struct rte_mbuf *m, const struct nfv_flow_key *key,
	 const struct nfv_pkt_meta *meta, uint8_t type)
{
	if (!key_is_ipv6(key, meta) || !key_has_l4(key, meta, IPPROTO_ICMPV6) ||
	    !key_is_nd(key) || meta->flags != 0 ||
	    (type != 0 && key->tp_src != rte_cpu_to_be_16(type)))
		return -EINVAL;
	return edit_reach(m, meta->l4_ofs + ND_OPTS_OFS);
}

/* Finds the first ND option of type 'type' that holds an Ethernet address
 * and stores the address's offset in '*ofs'. Returns 0, -EINVAL if there
 * is none (or the options are malformed before it), -ENOTSUP if the walk
 * leaves the first segment first. nd_check() has passed. */
static int
nd_lla_find(struct rte_mbuf *m, const struct nfv_pkt_meta *meta,
	    uint8_t type, uint32_t *ofs)
{
	const uint8_t *ip = edit_at(m, meta->l3_ofs);
	uint32_t end, o;
	int ret;

	end = meta->l3_ofs + sizeof(struct rte_ipv6_hdr) +
	      load_be16(ip + offsetof(struct rte_ipv6_hdr, payload_len));
	if (end > rte_pktmbuf_pkt_len(m))
		return -EINVAL;
	for (o = meta->l4_ofs + ND_OPTS_OFS; o + 8 <= end; ) {
		const uint8_t *opt;

		ret = edit_reach(m, o + 8);
		if (ret < 0)
			return ret;
		opt = edit_at(m, o);
		if (opt[1] == 0)
			return -EINVAL;
		if (opt[0] == type && opt[1] == 1) {
			*ofs = o + 2;
			return 0;
		}
		o += opt[1] * 8;
	}
	return -EINVAL;
}

/* Writes 'len' bytes of 'value' at offset 'ofs' of an ND message, fixing
 * its ICMPv6 checksum. */
static void
nd_write(struct rte_mbuf *m, const struct nfv_pkt_meta *meta, uint32_t ofs,
	 const uint8_t *value, unsigned int len)
{
	uint8_t *icmp = edit_at(m, meta->l4_ofs);
	uint8_t *p = edit_at(m, ofs);
	uint8_t old[16];

	memcpy(old, p, len);
	memcpy(p, value, len);
	csum_fix(icmp + offsetof(struct rte_icmp_hdr, icmp_cksum), old, value,
		 len, false);
}

static int
set_nd_target(struct rte_mbuf *m, const struct nfv_flow_key *key,
	      const struct nfv_pkt_meta *meta, const uint8_t *addr)
{
	int ret;

	ret = nd_check(m, key, meta, 0);
	if (ret < 0)
		return ret;
	nd_write(m, meta, meta->l4_ofs + 8, addr, 16);
	return 0;
}

/* Sets the Ethernet address in the first SLL option of an NS or the first
 * TLL option of an NA ('type'), the one the parser puts in the key. */
static int
set_nd_lla(struct rte_mbuf *m, const struct nfv_flow_key *key,
	   const struct nfv_pkt_meta *meta, uint8_t type, const uint8_t *mac)
{
	uint32_t ofs;
	int ret;

	ret = nd_check(m, key, meta, type == ND_OPT_SLL ? ND_NS : ND_NA);
	if (ret < 0)
		return ret;
	ret = nd_lla_find(m, meta, type, &ofs);
	if (ret < 0)
		return ret;
	nd_write(m, meta, ofs, mac, RTE_ETHER_ADDR_LEN);
	return 0;
}

/* Parses the edited packet again into 'key' and 'meta', keeping the
 * pipeline fields (in_port, metadata). See the top of the file for when. */
static __rte_cold __rte_noinline void
edit_reparse(const struct rte_mbuf *m, struct nfv_flow_key *key,
	     struct nfv_pkt_meta *meta)
{
	uint64_t metadata = key->metadata;

	nfv_parse_mbuf(m, key->in_port, key, meta);
	key->metadata = metadata;
}

/* Finds the TTL / hop limit of 'm': '*ttl' points at it and '*ipv4_hdr'
 * at the IPv4 header (NULL for IPv6). */
static int
ttl_find(struct rte_mbuf *m, const struct nfv_flow_key *key,
	 const struct nfv_pkt_meta *meta, uint8_t **ttl, uint8_t **ipv4_hdr)
{
	uint8_t *ip;
	int ret;

	if (key_is_ipv4(key, meta)) {
		ret = edit_reach(m, meta->l3_ofs + sizeof(struct rte_ipv4_hdr));
		if (ret < 0)
			return ret;
		ip = edit_at(m, meta->l3_ofs);
		*ttl = ip + offsetof(struct rte_ipv4_hdr, time_to_live);
		*ipv4_hdr = ip;
		return 0;
	}
	if (key_is_ipv6(key, meta)) {
		ret = edit_reach(m, meta->l3_ofs + sizeof(struct rte_ipv6_hdr));
		if (ret < 0)
			return ret;
		ip = edit_at(m, meta->l3_ofs);
		*ttl = ip + offsetof(struct rte_ipv6_hdr, hop_limits);
		*ipv4_hdr = NULL;
		return 0;
	}
	return -EINVAL;
}

static void
ttl_write(uint8_t *ttl, uint8_t *ipv4_hdr, uint8_t value)
{
	uint8_t old[2];

	if (ipv4_hdr == NULL) {
		*ttl = value;
		return;
	}
	/* TTL is the high byte of the word it shares with the protocol. */
	memcpy(old, ttl, 2);
	*ttl = value;
	csum_fix(ipv4_hdr + offsetof(struct rte_ipv4_hdr, hdr_checksum), old,
		 ttl, 2, false);
}

static int
set_ttl(struct rte_mbuf *m, const struct nfv_flow_key *key,
	const struct nfv_pkt_meta *meta, uint8_t value)
{
	uint8_t *ttl, *ipv4_hdr;
	int ret;

	ret = ttl_find(m, key, meta, &ttl, &ipv4_hdr);
	if (ret < 0)
		return ret;
	ttl_write(ttl, ipv4_hdr, value);
	return 0;
}

int
nfv_pkt_set_field(struct rte_mbuf *m, struct nfv_flow_key *key,
		  struct nfv_pkt_meta *meta, enum nfv_field_id f,
		  const union nfv_field_value *v)
{
	const uint8_t *u8 = v->u8;
	bool was_nd = key_is_nd(key);
	int ret;

	switch (f) {
	case NFV_F_ETH_DST:
		ret = set_eth_addr(m, offsetof(struct rte_ether_hdr, dst_addr),
				   u8);
		break;
	case NFV_F_ETH_SRC:
		ret = set_eth_addr(m, offsetof(struct rte_ether_hdr, src_addr),
				   u8);
		break;
	case NFV_F_VLAN_VID:
		if (!(load_be16(u8) & NFV_VLAN_PRESENT))
			return -EINVAL;
		ret = set_vlan_tci(m, meta, NFV_VLAN_VID_MASK,
				   load_be16(u8) & NFV_VLAN_VID_MASK);
		break;
	case NFV_F_VLAN_PCP:
		ret = set_vlan_tci(m, meta, 0x7 << NFV_VLAN_PCP_SHIFT,
				   (u8[0] & 0x7) << NFV_VLAN_PCP_SHIFT);
		break;
	case NFV_F_IP_DSCP:
		ret = set_ip_tos(m, key, meta, 0xfc, (u8[0] & 0x3f) << 2);
		break;
	case NFV_F_IP_ECN:
		ret = set_ip_tos(m, key, meta, 0x03, u8[0] & 0x03);
		break;
	case NFV_F_IPV4_SRC:
		ret = set_ipv4_addr(m, key, meta,
				    offsetof(struct rte_ipv4_hdr, src_addr), u8);
		break;
	case NFV_F_IPV4_DST:
		ret = set_ipv4_addr(m, key, meta,
				    offsetof(struct rte_ipv4_hdr, dst_addr), u8);
		break;
	case NFV_F_TCP_SRC:
		ret = set_l4_port(m, key, meta, IPPROTO_TCP, 0, u8);
		break;
	case NFV_F_TCP_DST:
		ret = set_l4_port(m, key, meta, IPPROTO_TCP, 2, u8);
		break;
	case NFV_F_UDP_SRC:
		ret = set_l4_port(m, key, meta, IPPROTO_UDP, 0, u8);
		break;
	case NFV_F_UDP_DST:
		ret = set_l4_port(m, key, meta, IPPROTO_UDP, 2, u8);
		break;
	case NFV_F_SCTP_SRC:
		ret = set_l4_port(m, key, meta, IPPROTO_SCTP, 0, u8);
		break;
	case NFV_F_SCTP_DST:
		ret = set_l4_port(m, key, meta, IPPROTO_SCTP, 2, u8);
		break;
	case NFV_F_ICMPV4_TYPE:
		ret = set_icmp(m, key, meta, IPPROTO_ICMP, 0, u8[0]);
		break;
	case NFV_F_ICMPV4_CODE:
		ret = set_icmp(m, key, meta, IPPROTO_ICMP, 1, u8[0]);
		break;
	case NFV_F_ARP_OP:
		ret = set_arp(m, key, meta, ARP_OP_OFS, u8, 2);
		break;
	case NFV_F_ARP_SPA:
		ret = set_arp(m, key, meta, ARP_DATA_OFS(arp_sip), u8, 4);
		break;
	case NFV_F_ARP_TPA:
		ret = set_arp(m, key, meta, ARP_DATA_OFS(arp_tip), u8, 4);
		break;
	case NFV_F_ARP_SHA:
		ret = set_arp(m, key, meta, ARP_DATA_OFS(arp_sha), u8,
			      RTE_ETHER_ADDR_LEN);
		break;
	case NFV_F_ARP_THA:
		ret = set_arp(m, key, meta, ARP_DATA_OFS(arp_tha), u8,
			      RTE_ETHER_ADDR_LEN);
		break;
	case NFV_F_IPV6_SRC:
		ret = set_ipv6_addr(m, key, meta, false, u8);
		break;
	case NFV_F_IPV6_DST:
		ret = set_ipv6_addr(m, key, meta, true, u8);
		break;
	case NFV_F_IPV6_FLABEL:
		ret = set_ipv6_label(m, key, meta,
				     (uint32_t)u8[0] << 16 | u8[1] << 8 | u8[2]);
		break;
	case NFV_F_ICMPV6_TYPE:
		ret = set_icmp(m, key, meta, IPPROTO_ICMPV6, 0, u8[0]);
		break;
	case NFV_F_ICMPV6_CODE:
		ret = set_icmp(m, key, meta, IPPROTO_ICMPV6, 1, u8[0]);
		break;
	case NFV_F_IPV6_ND_TARGET:
		ret = set_nd_target(m, key, meta, u8);
		break;
	case NFV_F_IPV6_ND_SLL:
		ret = set_nd_lla(m, key, meta, ND_OPT_SLL, u8);
		break;
	case NFV_F_IPV6_ND_TLL:
		ret = set_nd_lla(m, key, meta, ND_OPT_TLL, u8);
		break;
	case NFV_F_IP_TTL:
		ret = set_ttl(m, key, meta, u8[0]);
		break;
	default:
		return -EINVAL;
	}
	if (ret < 0)
		return ret;
	nfv_field_set(&nfv_fields[f], key, v);
	if (unlikely((f == NFV_F_ICMPV6_TYPE || f == NFV_F_ICMPV6_CODE) &&
		     (was_nd || key_is_nd(key))))
		edit_reparse(m, key, meta);
	return 0;
}

int
nfv_pkt_push_vlan(struct rte_mbuf *m, struct nfv_flow_key *key,
		  struct nfv_pkt_meta *meta, uint16_t tpid)
{
	uint16_t tci = 0;
	uint8_t *eth;
	int ret;

	ret = edit_reach(m, RTE_ETHER_HDR_LEN);
	if (ret < 0)
		return ret;
	/* The key's TCI is the outer tag's, with the DEI bit standing for
	 * "present": exactly the VID and PCP to copy. */
	if (meta->n_vlans > 0)
		tci = rte_be_to_cpu_16(key->vlan_tci) & ~NFV_VLAN_PRESENT;
	if (rte_pktmbuf_headroom(m) < VLAN_TAG_LEN)
		return -ENOSPC;
	eth = (uint8_t *)rte_pktmbuf_prepend(m, VLAN_TAG_LEN);
	memmove(eth, eth + VLAN_TAG_LEN, 2 * RTE_ETHER_ADDR_LEN);
	store_be16(eth + 2 * RTE_ETHER_ADDR_LEN, tpid);
	store_be16(eth + 2 * RTE_ETHER_ADDR_LEN + 2, tci);

	if (unlikely(meta->n_vlans >= 2)) {
		edit_reparse(m, key, meta);     /* now past the parser's two */
		return 0;
	}
	key->vlan_tci = rte_cpu_to_be_16(tci | NFV_VLAN_PRESENT);
	meta->vlan_ofs = 2 * RTE_ETHER_ADDR_LEN;
	meta->n_vlans++;
	if (meta->l3_ofs != 0)
		meta->l3_ofs += VLAN_TAG_LEN;
	if (meta->l4_ofs != 0)
		meta->l4_ofs += VLAN_TAG_LEN;
	return 0;
}

int
nfv_pkt_pop_vlan(struct rte_mbuf *m, struct nfv_flow_key *key,
		 struct nfv_pkt_meta *meta)
{
	uint16_t next_tci = 0;
	uint8_t *eth;
	int ret;

	if (meta->n_vlans == 0)
		return -EINVAL;
	ret = edit_reach(m, meta->vlan_ofs +
			 VLAN_TAG_LEN * (meta->n_vlans > 1 ? 2 : 1));
	if (ret < 0)
		return ret;
	eth = rte_pktmbuf_mtod(m, uint8_t *);
	if (meta->n_vlans > 1)
		next_tci = load_be16(eth + meta->vlan_ofs + VLAN_TAG_LEN + 2);
	memmove(eth + VLAN_TAG_LEN, eth, 2 * RTE_ETHER_ADDR_LEN);
	rte_pktmbuf_adj(m, VLAN_TAG_LEN);

	if (unlikely(key_has_hidden_tags(key))) {
		edit_reparse(m, key, meta);     /* a hidden tag comes into view */
		return 0;
	}
	meta->n_vlans--;
	if (meta->n_vlans > 0) {
		key->vlan_tci = rte_cpu_to_be_16((next_tci & ~VLAN_DEI) |
						 NFV_VLAN_PRESENT);
	} else {
		key->vlan_tci = 0;
		meta->vlan_ofs = 0;
	}
	if (meta->l3_ofs != 0)
		meta->l3_ofs -= VLAN_TAG_LEN;
	if (meta->l4_ofs != 0)
		meta->l4_ofs -= VLAN_TAG_LEN;
	return 0;
}

int
nfv_pkt_dec_ttl(struct rte_mbuf *m, struct nfv_flow_key *key,
		struct nfv_pkt_meta *meta)
{
	uint8_t *ttl, *ipv4_hdr;
	int ret;

	ret = ttl_find(m, key, meta, &ttl, &ipv4_hdr);
	if (ret < 0)
		return ret;
	if (*ttl <= 1)
		return -ETIMEDOUT;
	ttl_write(ttl, ipv4_hdr, *ttl - 1);
	key->ip_ttl = *ttl;
	return 0;
}

int
nfv_pkt_set_ttl(struct rte_mbuf *m, struct nfv_flow_key *key,
		struct nfv_pkt_meta *meta, uint8_t ttl)
{
	int ret;

	ret = set_ttl(m, key, meta, ttl);
	if (ret < 0)
		return ret;
	key->ip_ttl = ttl;
	return 0;
}
