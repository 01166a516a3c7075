/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frame builders for the local-controller apps (see pkt_build.h): the
 * RFC 1071 checksum, Ethernet + ARP, and Ethernet + IPv4 carrying UDP,
 * ICMP or an ICMP error that follows RFC 1122 3.2.2. Everything is written
 * into the caller's buffer with explicit byte stores, so no alignment is
 * assumed. The ARP payload written here is what arp_codec.c parses. No
 * DPDK, no state.
 */
#include <stdbool.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "arp_codec.h"
#include "pkt_build.h"
#include "wire.h"

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806
#define IPV4_MAX_LEN 0xffff
#define IPV4_FRAG_OFF_MASK 0x1fff

/* Offsets in the IPv4 header. */
#define IP_OFF_VER_IHL 0
#define IP_OFF_TOT_LEN 2
#define IP_OFF_FRAG 6
#define IP_OFF_PROTO 9
#define IP_OFF_CSUM 10
#define IP_OFF_SRC 12
#define IP_OFF_DST 16

/* The highest ICMP type with a known meaning (address mask reply); like
 * Linux, a type above it is taken for an error, so it is not answered. */
#define ICMP_TYPE_KNOWN_MAX 18

/* Adds 'len' bytes at 'data', as big-endian 16-bit words, to 'sum'. An odd
 * last byte is the high half of a word, so only the last chunk of a
 * checksum may have an odd length. */
static uint32_t
csum_add(uint32_t sum, const uint8_t *data, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2) {
		sum += get_be16(data + i);
		/* Fold early: 'len' may exceed what 32 bits can carry. */
		if (sum & 0x80000000u)
			sum = (sum & 0xffff) + (sum >> 16);
	}
	if (len & 1)
		sum += (uint32_t)data[len - 1] << 8;
	return sum;
}

/* The checksum field for the one's complement sum 'sum', in network
 * order. */
static uint16_t
csum_finish(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

uint16_t
nfv_inet_csum(const void *data, size_t len)
{
	return csum_finish(csum_add(0, data, len));
}

/* Writes an Ethernet header; returns the bytes written. */
static size_t
put_eth(uint8_t *p, const uint8_t dst[6], const uint8_t src[6],
	uint16_t ethertype)
{
	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	put_be16(p + 12, ethertype);
	return NFV_ETH_HLEN;
}

/* Writes an IPv4 header without options for 'l4_len' bytes of 'proto',
 * checksum included; returns the bytes written. */
static size_t
put_ipv4(uint8_t *p, uint8_t proto, size_t l4_len, uint32_t src,
	 uint32_t dst)
{
	uint16_t csum;

	p[IP_OFF_VER_IHL] = 0x45;
	p[1] = 0;                               /* TOS */
	put_be16(p + IP_OFF_TOT_LEN, (uint16_t)(NFV_IPV4_HLEN + l4_len));
	put_be16(p + 4, 0);                     /* identification */
	put_be16(p + IP_OFF_FRAG, 0);
	p[8] = NFV_BUILD_TTL;
	p[IP_OFF_PROTO] = proto;
	put_be16(p + IP_OFF_CSUM, 0);
	put_be32(p + IP_OFF_SRC, src);
	put_be32(p + IP_OFF_DST, dst);
	csum = nfv_inet_csum(p, NFV_IPV4_HLEN);
	memcpy(p + IP_OFF_CSUM, &csum, sizeof(csum));
	return NFV_IPV4_HLEN;
}

/* The frame length for 'l4_len' bytes over IPv4, or 0 when it does not
 * fit 'size' or the IPv4 total length. */
static size_t
ipv4_frame_len(size_t size, size_t l4_len)
{
	size_t frame_len;

	if (l4_len > IPV4_MAX_LEN - NFV_IPV4_HLEN)
		return 0;
	frame_len = NFV_ETH_HLEN + NFV_IPV4_HLEN + l4_len;
	return frame_len <= size ? frame_len : 0;
}

/* The op is checked so that the ARP app never sends what the ARP codec
 * would drop. */
size_t
nfv_build_arp(uint8_t *buf, size_t size, const uint8_t eth_dst[6],
	      const uint8_t eth_src[6], uint16_t op,
	      const uint8_t sha[6], uint32_t spa,
	      const uint8_t tha[6], uint32_t tpa)
{
	const size_t frame_len = NFV_ETH_HLEN + NFV_ARP_LEN;
	uint8_t *p;

	if (buf == NULL || size < frame_len || eth_dst == NULL ||
	    eth_src == NULL || sha == NULL || tha == NULL)
		return 0;
	if (op != NFV_ARP_OP_REQUEST && op != NFV_ARP_OP_REPLY)
		return 0;

	p = buf + put_eth(buf, eth_dst, eth_src, ETHERTYPE_ARP);
	put_be16(p, 1);                         /* htype: Ethernet */
	put_be16(p + 2, ETHERTYPE_IPV4);        /* ptype */
	p[4] = 6;                               /* hlen */
	p[5] = 4;                               /* plen */
	put_be16(p + 6, op);
	memcpy(p + 8, sha, 6);
	put_be32(p + 14, spa);
	memcpy(p + 18, tha, 6);
	put_be32(p + 24, tpa);
	return frame_len;
}

/*
 * Ethernet + IPv4 header for 'l4_len' bytes of protocol 'proto', with the
 * 'len' bytes of 'payload' moved to 'l4_hlen' bytes into the L4 header
 * first, so the payload may already sit where it belongs in 'buf'. Returns
 * the L4 header (still to be written) and the frame length in '*frame_len',
 * or NULL when the arguments are invalid or 'size' is too small.
 */
static uint8_t *
ipv4_frame_start(uint8_t *buf, size_t size, const uint8_t eth_dst[6],
		 const uint8_t eth_src[6], uint8_t proto, uint32_t ip_src,
		 uint32_t ip_dst, size_t l4_hlen, const uint8_t *payload,
		 size_t len, size_t *frame_len)
{
	uint8_t *l4;

	if (buf == NULL || eth_dst == NULL || eth_src == NULL ||
	    (payload == NULL && len > 0) || len > IPV4_MAX_LEN - l4_hlen)
		return NULL;
	*frame_len = ipv4_frame_len(size, l4_hlen + len);
	if (*frame_len == 0)
		return NULL;
	l4 = buf + NFV_ETH_HLEN + NFV_IPV4_HLEN;
	if (len > 0)
		memmove(l4 + l4_hlen, payload, len);
	put_eth(buf, eth_dst, eth_src, ETHERTYPE_IPV4);
	put_ipv4(buf + NFV_ETH_HLEN, proto, l4_hlen + len, ip_src, ip_dst);
	return l4;
}

size_t
nfv_build_udp4(uint8_t *buf, size_t size, const uint8_t eth_dst[6],
	       const uint8_t eth_src[6], uint32_t ip_src,
	       uint32_t ip_dst, uint16_t sport, uint16_t dport,
	       const uint8_t *payload, size_t len)
{
	size_t frame_len, udp_len = NFV_UDP_HLEN + len;
	uint8_t pseudo[12];
	uint8_t *udp;
	uint32_t sum;
	uint16_t csum;

	udp = ipv4_frame_start(buf, size, eth_dst, eth_src, IPPROTO_UDP,
			       ip_src, ip_dst, NFV_UDP_HLEN, payload, len,
			       &frame_len);
	if (udp == NULL)
		return 0;
	put_be16(udp, sport);
	put_be16(udp + 2, dport);
	put_be16(udp + 4, (uint16_t)udp_len);
	put_be16(udp + 6, 0);

	put_be32(pseudo, ip_src);
	put_be32(pseudo + 4, ip_dst);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_UDP;
	put_be16(pseudo + 10, (uint16_t)udp_len);
	sum = csum_add(0, pseudo, sizeof(pseudo));
	sum = csum_add(sum, udp, udp_len);
	csum = csum_finish(sum);
	/* 0 means "no checksum" in UDP; its other encoding is all ones. */
	if (csum == 0)
		csum = 0xffff;
	memcpy(udp + 6, &csum, sizeof(csum));
	return frame_len;
}

size_t
nfv_build_icmp4(uint8_t *buf, size_t size, const uint8_t eth_dst[6],
		const uint8_t eth_src[6], uint32_t ip_src,
		uint32_t ip_dst, uint8_t type, uint8_t code,
		uint32_t rest, const uint8_t *payload, size_t len)
{
	size_t frame_len;
	uint8_t *icmp;
	uint16_t csum;

	icmp = ipv4_frame_start(buf, size, eth_dst, eth_src, IPPROTO_ICMP,
				ip_src, ip_dst, NFV_ICMP_HLEN, payload, len,
				&frame_len);
	if (icmp == NULL)
		return 0;
	icmp[0] = type;
	icmp[1] = code;
	put_be16(icmp + 2, 0);
	memcpy(icmp + 4, &rest, sizeof(rest));
	csum = nfv_inet_csum(icmp, NFV_ICMP_HLEN + len);
	memcpy(icmp + 2, &csum, sizeof(csum));
	return frame_len;
}

/* True when 'addr' may not be the source of a packet we answer with an
 * ICMP error: 0.0.0.0, loopback, multicast, class E (which holds the
 * limited broadcast). A subnet's directed broadcast is not known here. */
static bool
icmp_bad_src(uint32_t addr)
{
	return addr == 0 || (addr >> 24) == 127 ||
	       (addr >> 28) == 0xe || (addr >> 28) == 0xf;
}

/* True when the ICMP message of type 'type' is an error (or of a type not
 * known to be anything else). */
static bool
icmp_type_is_error(uint8_t type)
{
	switch (type) {
	case 3:                                 /* destination unreachable */
	case 4:                                 /* source quench */
	case 5:                                 /* redirect */
	case 11:                                /* time exceeded */
	case 12:                                /* parameter problem */
		return true;
	default:
		return type > ICMP_TYPE_KNOWN_MAX;
	}
}

/*
 * Besides what pkt_build.h lists, RFC 1122 3.2.2 also forbids an error
 * about a packet sent to a broadcast or multicast address: the limited
 * broadcast and 224/4 destinations are refused too. The quote stops at the
 * original's total length when that is shorter than 'orig_len' (Ethernet
 * padding is not quoted). All of 'orig' is read before 'buf' is written.
 */
size_t
nfv_build_icmp4_error(uint8_t *buf, size_t size,
		      const uint8_t eth_dst[6],
		      const uint8_t eth_src[6], uint32_t ip_src,
		      uint8_t type, uint8_t code,
		      const uint8_t *orig, size_t orig_len)
{
	size_t hlen, end, quote_len;
	uint32_t src, dst;
	uint16_t tot_len;

	if (orig == NULL || orig_len < NFV_IPV4_HLEN)
		return 0;
	if ((orig[IP_OFF_VER_IHL] >> 4) != 4)
		return 0;
	hlen = (size_t)(orig[IP_OFF_VER_IHL] & 0x0f) * 4;
	if (hlen < NFV_IPV4_HLEN || hlen > orig_len)
		return 0;
	if (get_be16(orig + IP_OFF_FRAG) & IPV4_FRAG_OFF_MASK)
		return 0;
	src = get_be32(orig + IP_OFF_SRC);
	dst = get_be32(orig + IP_OFF_DST);
	if (icmp_bad_src(src))
		return 0;
	if (dst == 0xffffffffu || (dst >> 28) == 0xe)
		return 0;

	end = orig_len;
	tot_len = get_be16(orig + IP_OFF_TOT_LEN);
	if (tot_len >= hlen && tot_len < end)
		end = tot_len;
	/* Without its type, an ICMP original might be an error: no answer. */
	if (orig[IP_OFF_PROTO] == IPPROTO_ICMP &&
	    (end <= hlen || icmp_type_is_error(orig[hlen])))
		return 0;

	quote_len = end - hlen;
	if (quote_len > NFV_ICMP_QUOTE_MAX)
		quote_len = NFV_ICMP_QUOTE_MAX;
	quote_len += hlen;
	return nfv_build_icmp4(buf, size, eth_dst, eth_src, ip_src, src, type,
			       code, 0, orig, quote_len);
}
