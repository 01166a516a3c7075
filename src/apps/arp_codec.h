/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ARP codec for the ARP and L3 apps (RFC 826, Ethernet + IPv4 only). Pure:
 * it turns the ARP payload of a frame (what follows the Ethernet header
 * and any VLAN tags) into a validated struct nfv_arp or an enum
 * nfv_arp_err. Building ARP frames is in pkt_build.h. Addresses in the
 * struct are in host byte order.
 */
#ifndef NFV_ARP_CODEC_H
#define NFV_ARP_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NFV_ARP_LEN 28                  /* Ethernet/IPv4 ARP payload */
#define NFV_ARP_OP_REQUEST 1
#define NFV_ARP_OP_REPLY 2

/* Why an ARP payload was dropped; one counter each in the ARP app. */
#define NFV_ARP_ERRORS(X) \
	X(OK, "no error") \
	X(SHORT, "shorter than 28 bytes") \
	X(BAD_HTYPE, "hardware type is not Ethernet (1)") \
	X(BAD_PTYPE, "protocol type is not IPv4 (0x0800)") \
	X(BAD_HLEN, "hardware address length is not 6") \
	X(BAD_PLEN, "protocol address length is not 4") \
	X(BAD_OP, "operation is neither request (1) nor reply (2)") \
	X(BAD_SHA, "sender hardware address is zero, multicast or broadcast")

#define NFV_ARP_ERR_ENUM(name, text) NFV_ARP_ERR_##name,
enum nfv_arp_err {
	NFV_ARP_ERRORS(NFV_ARP_ERR_ENUM)
	NFV_ARP_N_ERRORS
};
#undef NFV_ARP_ERR_ENUM

struct nfv_arp {
	uint16_t op;                    /* NFV_ARP_OP_* */
	uint8_t sha[6];
	uint32_t spa;
	uint8_t tha[6];
	uint32_t tpa;
};

/* Parses the ARP payload 'data' of 'len' bytes (trailing bytes, such as
 * Ethernet padding, are ignored) into '*arp'. Never reads past
 * 'data + len'. Returns NFV_ARP_ERR_OK or why it is malformed. Any thread. */
enum nfv_arp_err nfv_arp_parse(const uint8_t *data, size_t len,
			       struct nfv_arp *arp);

/* One-line description of 'err' for logs and nfvctl. */
const char *nfv_arp_err_str(enum nfv_arp_err err);

/* Short name of 'err' for counters ("short", "bad-htype", ...). */
const char *nfv_arp_err_name(enum nfv_arp_err err);

/* True for a gratuitous ARP (request or reply announcing spa == tpa). */
bool nfv_arp_is_gratuitous(const struct nfv_arp *arp);

/* True for an ARP probe (RFC 5227: request with spa 0.0.0.0). */
bool nfv_arp_is_probe(const struct nfv_arp *arp);

#endif /* NFV_ARP_CODEC_H */
