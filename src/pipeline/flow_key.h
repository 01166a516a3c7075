/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The flow key: every OpenFlow 1.3 match field that nfvswitch parses from a
 * packet, plus in_port and metadata, in a fixed 128-byte layout that the
 * parser fills, the EMC compares exactly and the classifier and megaflow
 * cache compare under a mask.
 *
 * Packet fields are kept in network byte order, as they are on the wire;
 * in_port and metadata are in host order. Fields whose prerequisites make
 * them mutually exclusive share storage, as in Open vSwitch: ARP spa/tpa use
 * the IPv4 addresses, ICMP type/code use the L4 ports, ARP sha/tha and ND
 * sll/tll use the same two MAC slots.
 *
 * The field table (struct nfv_field, nfv_fields[]) describes every field
 * once: name, where it lives in the key, width, prerequisites, whether it can
 * be masked or set, and its OXM number. The flow syntax parser, the
 * prerequisite checks, set_field on keys and packets, and the OpenFlow codec
 * all use it, so adding a field is one table entry.
 *
 * Pure code: no DPDK, no threads.
 */
#ifndef NFV_FLOW_KEY_H
#define NFV_FLOW_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NFV_KEY_WORDS 16        /* 64-bit words in struct nfv_flow_key */

/* vlan_tci in the key: the 802.1Q TCI of the outer tag with the CFI bit
 * (0x1000) set to mean "a tag is present", i.e. OXM vlan_vid semantics
 * (OFPVID_PRESENT) in the low 13 bits and the PCP in the top 3.
 * 0 means untagged. */
#define NFV_VLAN_PRESENT 0x1000
#define NFV_VLAN_VID_MASK 0x0fff
#define NFV_VLAN_PCP_SHIFT 13

/* ip_frag bits. */
#define NFV_FRAG_ANY 0x01       /* a fragment (first or later) */
#define NFV_FRAG_LATER 0x02     /* not the first fragment: no L4 fields */

/* ipv6_exthdr bits (OXM OFPIEH_*). */
enum nfv_ipv6_exthdr {
	NFV_IEH_NONEXT = 1 << 0,
	NFV_IEH_ESP = 1 << 1,
	NFV_IEH_AUTH = 1 << 2,
	NFV_IEH_DEST = 1 << 3,
	NFV_IEH_FRAG = 1 << 4,
	NFV_IEH_ROUTER = 1 << 5,
	NFV_IEH_HOP = 1 << 6,
	NFV_IEH_UNREP = 1 << 7,
	NFV_IEH_UNSEQ = 1 << 8,
};

struct nfv_flow_key {
	/* Words 0-1: pipeline metadata and L2 header fields. */
	uint64_t metadata;              /* host order */
	uint32_t in_port;               /* host order, OpenFlow port */
	uint16_t eth_type;              /* after VLAN tags; 0 if none (802.2) */
	uint16_t vlan_tci;              /* see NFV_VLAN_PRESENT */
	/* Words 2-3. */
	uint8_t eth_dst[6];
	uint8_t eth_src[6];
	uint8_t ip_proto;               /* IPv4 proto / IPv6 next header */
	uint8_t ip_tos;                 /* DSCP << 2 | ECN (IPv6 traffic class) */
	uint8_t ip_ttl;                 /* IPv4 TTL / IPv6 hop limit */
	uint8_t ip_frag;                /* NFV_FRAG_* */
	/* Words 4-5. */
	uint32_t ipv4_src;              /* also arp_spa */
	uint32_t ipv4_dst;              /* also arp_tpa */
	uint16_t tp_src;                /* TCP/UDP/SCTP port; ICMP type */
	uint16_t tp_dst;                /* TCP/UDP/SCTP port; ICMP code */
	uint16_t tcp_flags;             /* low 12 bits of the TCP flags */
	uint16_t arp_op;
	/* Words 6-7. */
	uint8_t arp_sha[6];             /* also IPv6 ND sll */
	uint8_t arp_tha[6];             /* also IPv6 ND tll */
	uint32_t ipv6_label;            /* low 20 bits */
	/* Words 8-15: IPv6. */
	uint8_t ipv6_src[16];
	uint8_t ipv6_dst[16];
	uint8_t nd_target[16];
	uint16_t ipv6_exthdr;           /* host order, NFV_IEH_* */
	uint8_t pad[14];                /* always zero */
};

_Static_assert(sizeof(struct nfv_flow_key) == NFV_KEY_WORDS * 8,
	       "flow key layout");

struct nfv_match {
	struct nfv_flow_key key;        /* key & mask == key, always */
	struct nfv_flow_key mask;       /* set bits are matched */
};

/* Prerequisites of a field (OpenFlow 1.3 section 7.2.3.6). */
enum nfv_prereq {
	NFV_PRQ_NONE,
	NFV_PRQ_VLAN,           /* vlan_vid present */
	NFV_PRQ_IP,             /* eth_type 0x0800 or 0x86dd */
	NFV_PRQ_IPV4,
	NFV_PRQ_IPV6,
	NFV_PRQ_ARP,
	NFV_PRQ_TCP,            /* IP and ip_proto 6 */
	NFV_PRQ_UDP,            /* IP and ip_proto 17 */
	NFV_PRQ_SCTP,           /* IP and ip_proto 132 */
	NFV_PRQ_ICMPV4,         /* IPv4 and ip_proto 1 */
	NFV_PRQ_ICMPV6,         /* IPv6 and ip_proto 58 */
	NFV_PRQ_ND,             /* ICMPv6 type 135 or 136 */
	NFV_PRQ_ND_NS,          /* ICMPv6 type 135 */
	NFV_PRQ_ND_NA,          /* ICMPv6 type 136 */
};

/* How a field's value is written in the flow syntax. */
enum nfv_field_fmt {
	NFV_FMT_DEC,            /* decimal (hex accepted) */
	NFV_FMT_HEX,            /* 0x... */
	NFV_FMT_MAC,
	NFV_FMT_IPV4,
	NFV_FMT_IPV6,
	NFV_FMT_PORT,           /* OpenFlow port: number or name */
};

enum nfv_field_id {
	NFV_F_IN_PORT,
	NFV_F_METADATA,
	NFV_F_ETH_DST,
	NFV_F_ETH_SRC,
	NFV_F_ETH_TYPE,
	NFV_F_VLAN_VID,
	NFV_F_VLAN_PCP,
	NFV_F_IP_DSCP,
	NFV_F_IP_ECN,
	NFV_F_IP_PROTO,
	NFV_F_IPV4_SRC,
	NFV_F_IPV4_DST,
	NFV_F_TCP_SRC,
	NFV_F_TCP_DST,
	NFV_F_UDP_SRC,
	NFV_F_UDP_DST,
	NFV_F_SCTP_SRC,
	NFV_F_SCTP_DST,
	NFV_F_ICMPV4_TYPE,
	NFV_F_ICMPV4_CODE,
	NFV_F_ARP_OP,
	NFV_F_ARP_SPA,
	NFV_F_ARP_TPA,
	NFV_F_ARP_SHA,
	NFV_F_ARP_THA,
	NFV_F_IPV6_SRC,
	NFV_F_IPV6_DST,
	NFV_F_IPV6_FLABEL,
	NFV_F_ICMPV6_TYPE,
	NFV_F_ICMPV6_CODE,
	NFV_F_IPV6_ND_TARGET,
	NFV_F_IPV6_ND_SLL,
	NFV_F_IPV6_ND_TLL,
	NFV_F_IPV6_EXTHDR,
	NFV_F_TCP_FLAGS,
	NFV_F_IP_TTL,           /* not OXM: ovs-ofctl's nw_ttl */
	NFV_F_IP_FRAG,          /* not OXM: ovs-ofctl's ip_frag */
	NFV_F_N
};

struct nfv_field {
	const char *name;       /* ovs-ofctl name: "eth_src" */
	const char *alias;      /* older ovs-ofctl name: "dl_src", or NULL */
	uint16_t offset;        /* in struct nfv_flow_key */
	uint8_t n_bytes;        /* bytes of storage in the key (1..16) */
	uint8_t n_bits;         /* width of the OpenFlow value */
	/* For fields narrower than their storage (vlan_vid, vlan_pcp,
	 * ip_dscp, ip_ecn, ipv6_label): the bits of the storage they own
	 * (host order value) and the shift of the value within it. */
	uint32_t storage_mask;  /* 0: all bits of the storage */
	uint8_t shift;
	bool host_order;        /* in_port, metadata, ipv6_exthdr */
	bool maskable;
	bool settable;          /* set_field allowed */
	enum nfv_prereq prereq;
	enum nfv_field_fmt fmt;
	int oxm_field;          /* OFPXMT_OFB_* number, -1 if not OXM */
};

extern const struct nfv_field nfv_fields[NFV_F_N];

/* Returns the field named 'name' (or its alias), or NULL. */
const struct nfv_field *nfv_field_by_name(const char *name);

/* Field values as the flow syntax and OpenFlow see them: up to 16 bytes in
 * network byte order, right-aligned to the field's OpenFlow width
 * (n_bits rounded up to bytes). E.g. vlan_vid 0x1005 is { 0x10, 0x05 },
 * ip_dscp 46 is { 46 }, eth_src is 6 bytes. */
union nfv_field_value {
	uint8_t u8[16];
	uint16_t be16;
	uint32_t be32;
	uint64_t be64;
};

/* Bytes of a value of 'f' (n_bits rounded up to whole bytes). */
unsigned int nfv_field_value_len(const struct nfv_field *f);

/* Reads field 'f' of 'key' into 'v'. */
void nfv_field_get(const struct nfv_field *f, const struct nfv_flow_key *key,
		   union nfv_field_value *v);
/* Writes 'v' into field 'f' of 'key' (other bits of shared storage kept). */
void nfv_field_set(const struct nfv_field *f, struct nfv_flow_key *key,
		   const union nfv_field_value *v);

/* Adds "field 'f' == 'v' under 'mask'" to 'm' ('mask' NULL: exact). */
void nfv_match_set(struct nfv_match *m, const struct nfv_field *f,
		   const union nfv_field_value *v,
		   const union nfv_field_value *mask);
/* Reads the value and mask of field 'f' in 'm'. Returns false if the field
 * is fully wildcarded. */
bool nfv_match_get(const struct nfv_match *m, const struct nfv_field *f,
		   union nfv_field_value *v, union nfv_field_value *mask);

/* Checks the OpenFlow prerequisites of every field that 'm' matches.
 * Fields that share storage are judged by their bits: the bits are fine if
 * any field that owns them has its prerequisites ("tcp,tcp_src=80" also
 * sets the bits of udp_src). Returns true if they hold; else stores the
 * first offending field in '*bad' (may be NULL). */
bool nfv_match_prereqs_ok(const struct nfv_match *m,
			  const struct nfv_field **bad);

/* True if prerequisite 'p' holds in 'm': what a set_field of a field with
 * prerequisite 'p' needs, or which of the fields sharing storage a match
 * means. */
bool nfv_match_prereq_ok(const struct nfv_match *m, enum nfv_prereq p);

/* True if 'key' matches 'm' (the reference definition, used by tests and
 * the slow paths; the classifier does the same word by word). */
bool nfv_match_matches(const struct nfv_match *m,
		       const struct nfv_flow_key *key);

#endif /* NFV_FLOW_KEY_H */
