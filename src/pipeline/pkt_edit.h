/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet editing: what the header-changing OpenFlow actions (set_field,
 * push_vlan, pop_vlan, dec_nw_ttl, set_nw_ttl) do to a packet. The actions
 * executor calls these on a worker, one packet at a time, with the flow key
 * and header offsets the parser (parse.h) produced; every edit keeps the
 * packet's checksums right and updates the key and the offsets to match the
 * edited packet, so later actions and tables see what a fresh parse would.
 *
 * Nothing here allocates, logs or blocks. Edits are made in place, so the
 * caller must own the packet data (no indirect or shared mbuf). The headers
 * an edit touches must lie in the first segment of the mbuf; payload may be
 * anywhere.
 */
#ifndef NFV_PKT_EDIT_H
#define NFV_PKT_EDIT_H

#include <stdint.h>

#include "flow_key.h"
#include "parse.h"

struct rte_mbuf;

/* Sets field 'f' of packet 'm' to 'v' (a settable field of nfv_fields[],
 * value as in union nfv_field_value) and updates 'key' to match. The IPv4
 * header checksum and the TCP, UDP, ICMP and ICMPv6 checksums are updated
 * incrementally (RFC 1624), pseudo-header included, so a checksum that was
 * wrong stays wrong; a UDP checksum of 0 ("none") stays 0. SCTP's CRC32c is
 * adjusted the same way. vlan_vid changes only the 12-bit VID and needs
 * NFV_VLAN_PRESENT in 'v'. nd_target, nd_sll and nd_tll need an ND message
 * the parser read (code 0, options well formed); nd_sll changes the first
 * SLL option of an NS, nd_tll the first TLL option of an NA, as the parser
 * reads them. Changing the ICMPv6 type or code of an ND message, or into
 * one, parses the packet again so that the key's ND fields (and meta->flags)
 * follow; otherwise 'meta' does not change.
 * Returns 0;
 * -EINVAL if the packet lacks the header (set tcp_src on UDP, vlan_vid on
 *  an untagged packet, nd_sll without that option, an L4 field of a later
 *  fragment), if 'f' is not settable, or if vlan_vid lacks the present bit;
 * -ENOTSUP if the headers are not in the first segment, or for an SCTP
 *  port of a fragment (its CRC covers bytes this packet does not hold).
 * On error the packet, key and meta are unchanged. Worker context. */
int nfv_pkt_set_field(struct rte_mbuf *m, struct nfv_flow_key *key,
		      struct nfv_pkt_meta *meta, enum nfv_field_id f,
		      const union nfv_field_value *v);

/* Pushes a VLAN tag with TPID 'tpid' (0x8100 or 0x88a8, host order) after
 * the MAC addresses. As OpenFlow 1.3 says, the new tag copies the VID and
 * PCP of the outer tag if there is one (DEI 0), else VID 0 and PCP 0.
 * Updates key->vlan_tci and the offsets in 'meta'. A third tag is more
 * than the parser reads: then the packet is parsed again, and the key, as
 * for any triple-tagged packet, has the innermost TPID as eth_type and no
 * L3 fields. Returns 0, -ENOSPC if 'm' has less than 4 bytes of headroom,
 * -ENOTSUP if the Ethernet header is not in the first segment. Worker
 * context. */
int nfv_pkt_push_vlan(struct rte_mbuf *m, struct nfv_flow_key *key,
		      struct nfv_pkt_meta *meta, uint16_t tpid);

/* Pops the outer VLAN tag of 'm'. key->vlan_tci becomes the next tag's TCI
 * (with NFV_VLAN_PRESENT) if there was a second tag, else 0; the offsets in
 * 'meta' move back 4 bytes. If the parser saw more than two tags (eth_type
 * a TPID), the packet is parsed again. Returns 0, -EINVAL if 'm' is
 * untagged, -ENOTSUP if the tags are not in the first segment. Worker
 * context. */
int nfv_pkt_pop_vlan(struct rte_mbuf *m, struct nfv_flow_key *key,
		     struct nfv_pkt_meta *meta);

/* Decrements the IPv4 TTL (header checksum updated) or IPv6 hop limit of
 * 'm' and key->ip_ttl. Returns 0; -ETIMEDOUT, changing nothing, if the TTL
 * is 0 or 1 (expired: the caller drops the packet or sends it to the
 * controller); -EINVAL if 'm' is not IP; -ENOTSUP if the IP header is not
 * in the first segment. Worker context. */
int nfv_pkt_dec_ttl(struct rte_mbuf *m, struct nfv_flow_key *key,
		    struct nfv_pkt_meta *meta);

/* Sets the IPv4 TTL (header checksum updated) or IPv6 hop limit of 'm' and
 * key->ip_ttl to 'ttl'. Returns 0, -EINVAL if 'm' is not IP, -ENOTSUP if
 * the IP header is not in the first segment. Worker context. */
int nfv_pkt_set_ttl(struct rte_mbuf *m, struct nfv_flow_key *key,
		    struct nfv_pkt_meta *meta, uint8_t ttl);

#endif /* NFV_PKT_EDIT_H */
