/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The packet parser: turns the headers of a received frame into a flow key
 * (flow_key.h) for the EMC, the megaflow cache and the OpenFlow tables, and
 * records where the headers start so that actions can edit them in place.
 *
 * Ethernet II and 802.3, up to two 802.1Q/802.1ad tags, ARP, IPv4, IPv6 with
 * extension headers, TCP, UDP, SCTP, ICMPv4, ICMPv6 and neighbour discovery.
 * A header either contributes all of its fields to the key or none: when a
 * header is truncated or fails validation, parsing stops there and the key
 * keeps the fields of the headers before it. Only the first
 * NFV_PARSE_HDR_MAX bytes of a packet are parsed, by both functions, so a
 * packet gives the same key however it is stored and the work per packet is
 * bounded.
 */
#ifndef NFV_PARSE_H
#define NFV_PARSE_H

#include <stdbool.h>
#include <stdint.h>

#include "flow_key.h"

struct rte_mbuf;

#define NFV_PARSE_HDR_MAX 256   /* bytes of headers parsed at most */

/* Where the headers start in the packet, for actions that edit them. */
struct nfv_pkt_meta {
	uint16_t l3_ofs;        /* offset of the IPv4/IPv6/ARP header; 0 if none */
	uint16_t l4_ofs;        /* offset of the TCP/UDP/SCTP/ICMP header; 0 if
				 * none (also for later fragments) */
	uint16_t vlan_ofs;      /* offset of the outer VLAN tag (12); 0 if untagged */
	uint8_t n_vlans;        /* 0..2 tags parsed */
	uint8_t flags;          /* NFV_PARSE_* below */
};

enum nfv_parse_flags {
	NFV_PARSE_TRUNCATED = 1,        /* a header runs past the packet */
	NFV_PARSE_MALFORMED = 2,        /* bad lengths / version / header field */
};

/* Parses 'len' bytes at 'data' received on OpenFlow port 'in_port' into
 * 'key' (fully written: unused fields and padding zero; metadata 0) and
 * 'meta'. Returns true if well-formed; false if truncated or malformed, and
 * then 'key' holds the fields that were valid (e.g. only L2 for a runt IPv4
 * header). Never reads past 'len'. Any thread. */
bool nfv_parse_buf(const uint8_t *data, uint32_t len, uint32_t in_port,
		   struct nfv_flow_key *key, struct nfv_pkt_meta *meta);

/* The same for an mbuf, single- or multi-segment: when the first segment
 * holds fewer than min(pkt_len, NFV_PARSE_HDR_MAX) bytes, the headers are
 * gathered with rte_pktmbuf_read() into a stack buffer first. Headers beyond
 * NFV_PARSE_HDR_MAX bytes are not parsed (flag TRUNCATED). Any thread. */
bool nfv_parse_mbuf(const struct rte_mbuf *m, uint32_t in_port,
		    struct nfv_flow_key *key, struct nfv_pkt_meta *meta);

#endif /* NFV_PARSE_H */
