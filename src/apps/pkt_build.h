/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frames the local-controller apps send: ARP requests and replies, IPv4
 * UDP (DHCP replies), ICMP echo replies and ICMP errors. Pure functions
 * that write into a caller's buffer, with every checksum filled in; the
 * apps copy the result into an mbuf. IPv4 addresses are in host byte
 * order; MAC addresses are 6 bytes in wire order.
 *
 * Each builder returns the frame length, or 0 when 'size' is too small or
 * the request is invalid (nothing useful is left in 'buf' then). Frames
 * are not padded to 60 bytes: the NIC (or the kernel on a veth) pads.
 */
#ifndef NFV_PKT_BUILD_H
#define NFV_PKT_BUILD_H

#include <stddef.h>
#include <stdint.h>

#define NFV_ETH_HLEN 14
#define NFV_IPV4_HLEN 20                /* what the builders write */
#define NFV_UDP_HLEN 8
#define NFV_ICMP_HLEN 8
#define NFV_BUILD_TTL 64
#define NFV_ICMP_QUOTE_MAX 8            /* bytes after the quoted header */

/* ICMPv4 types and codes the apps send. */
#define NFV_ICMP_ECHO_REPLY 0
#define NFV_ICMP_UNREACH 3
#define NFV_ICMP_UNREACH_NET 0
#define NFV_ICMP_UNREACH_HOST 1
#define NFV_ICMP_ECHO_REQUEST 8
#define NFV_ICMP_TIME_EXCEEDED 11
#define NFV_ICMP_TTL_EXCEEDED 0

/* The Internet checksum (RFC 1071) of 'len' bytes, in network order as
 * stored in a header: a header whose checksum field holds this value
 * sums to 0xffff. */
uint16_t nfv_inet_csum(const void *data, size_t len);

/* Ethernet + ARP (42 bytes). */
size_t nfv_build_arp(uint8_t *buf, size_t size, const uint8_t eth_dst[6],
		     const uint8_t eth_src[6], uint16_t op,
		     const uint8_t sha[6], uint32_t spa,
		     const uint8_t tha[6], uint32_t tpa);

/* Ethernet + IPv4 (TTL 64, DF clear, id 0) + UDP with checksum, carrying
 * 'len' bytes of 'payload'. */
size_t nfv_build_udp4(uint8_t *buf, size_t size, const uint8_t eth_dst[6],
		      const uint8_t eth_src[6], uint32_t ip_src,
		      uint32_t ip_dst, uint16_t sport, uint16_t dport,
		      const uint8_t *payload, size_t len);

/* Ethernet + IPv4 + ICMP of 'type'/'code' whose 4 bytes after the
 * checksum are 'rest' (identifier and sequence of an echo, in network
 * order as they came; 0 for errors), then 'len' bytes of 'payload'. */
size_t nfv_build_icmp4(uint8_t *buf, size_t size, const uint8_t eth_dst[6],
		       const uint8_t eth_src[6], uint32_t ip_src,
		       uint32_t ip_dst, uint8_t type, uint8_t code,
		       uint32_t rest, const uint8_t *payload, size_t len);

/*
 * An ICMP error ('type'/'code') about the IPv4 packet 'orig' ('orig_len'
 * bytes, starting at its IP header), from 'ip_src' to the original
 * packet's source: quotes the original IP header (with options) and up to
 * NFV_ICMP_QUOTE_MAX bytes after it. Returns 0 (sends nothing), as RFC
 * 1122 3.2.2 requires, when the original is not a valid IPv4 header, is
 * itself an ICMP error, is a fragment other than the first, or came from
 * 0.0.0.0, a broadcast, multicast or loopback address.
 */
size_t nfv_build_icmp4_error(uint8_t *buf, size_t size,
			     const uint8_t eth_dst[6],
			     const uint8_t eth_src[6], uint32_t ip_src,
			     uint8_t type, uint8_t code,
			     const uint8_t *orig, size_t orig_len);

#endif /* NFV_PKT_BUILD_H */
