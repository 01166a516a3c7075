/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ARP codec (see arp_codec.h): bounds-checked parsing of Ethernet/IPv4 ARP
 * payloads (RFC 826) into a struct nfv_arp, the names of the reasons one
 * is dropped, and the gratuitous / probe (RFC 5227) predicates. Used by
 * the ARP and L3 apps; the frames they send are built by pkt_build.c. No
 * DPDK, no state.
 */
#include <string.h>

#include "arp_codec.h"
#include "wire.h"

/* Offsets in the Ethernet/IPv4 ARP payload. */
#define OFF_HTYPE 0
#define OFF_PTYPE 2
#define OFF_HLEN 4
#define OFF_PLEN 5
#define OFF_OP 6
#define OFF_SHA 8
#define OFF_SPA 14
#define OFF_THA 18
#define OFF_TPA 24

#define ARP_HTYPE_ETHER 1
#define ARP_PTYPE_IPV4 0x0800
#define ARP_HLEN_ETHER 6
#define ARP_PLEN_IPV4 4

static const char *const err_strs[] = {
#define ERR_STR(name, text) text,
	NFV_ARP_ERRORS(ERR_STR)
#undef ERR_STR
};

/* Counter names, in the order of NFV_ARP_ERRORS. */
static const char *const err_names[] = {
	"ok", "short", "bad-htype", "bad-ptype", "bad-hlen", "bad-plen",
	"bad-op", "bad-sha",
};

_Static_assert(sizeof(err_strs) / sizeof(err_strs[0]) == NFV_ARP_N_ERRORS,
	       "err_strs does not match NFV_ARP_ERRORS");
_Static_assert(sizeof(err_names) / sizeof(err_names[0]) == NFV_ARP_N_ERRORS,
	       "err_names does not match NFV_ARP_ERRORS");

const char *
nfv_arp_err_str(enum nfv_arp_err err)
{
	if ((unsigned int)err >= NFV_ARP_N_ERRORS)
		return "unknown error";
	return err_strs[err];
}

const char *
nfv_arp_err_name(enum nfv_arp_err err)
{
	if ((unsigned int)err >= NFV_ARP_N_ERRORS)
		return "?";
	return err_names[err];
}

/* True when 'mac' may be a sender: not all-zero, not group (multicast,
 * which includes broadcast). */
static bool
arp_sha_valid(const uint8_t mac[6])
{
	static const uint8_t zero[6];

	if (mac[0] & 0x01)
		return false;
	return memcmp(mac, zero, sizeof(zero)) != 0;
}

enum nfv_arp_err
nfv_arp_parse(const uint8_t *data, size_t len, struct nfv_arp *arp)
{
	uint16_t op;

	if (data == NULL || len < NFV_ARP_LEN)
		return NFV_ARP_ERR_SHORT;
	if (get_be16(data + OFF_HTYPE) != ARP_HTYPE_ETHER)
		return NFV_ARP_ERR_BAD_HTYPE;
	if (get_be16(data + OFF_PTYPE) != ARP_PTYPE_IPV4)
		return NFV_ARP_ERR_BAD_PTYPE;
	if (data[OFF_HLEN] != ARP_HLEN_ETHER)
		return NFV_ARP_ERR_BAD_HLEN;
	if (data[OFF_PLEN] != ARP_PLEN_IPV4)
		return NFV_ARP_ERR_BAD_PLEN;
	op = get_be16(data + OFF_OP);
	if (op != NFV_ARP_OP_REQUEST && op != NFV_ARP_OP_REPLY)
		return NFV_ARP_ERR_BAD_OP;
	if (!arp_sha_valid(data + OFF_SHA))
		return NFV_ARP_ERR_BAD_SHA;

	arp->op = op;
	memcpy(arp->sha, data + OFF_SHA, sizeof(arp->sha));
	arp->spa = get_be32(data + OFF_SPA);
	memcpy(arp->tha, data + OFF_THA, sizeof(arp->tha));
	arp->tpa = get_be32(data + OFF_TPA);
	return NFV_ARP_ERR_OK;
}

/* A probe (spa 0) is not an announcement, so spa must be set too. */
bool
nfv_arp_is_gratuitous(const struct nfv_arp *arp)
{
	if (arp->op != NFV_ARP_OP_REQUEST && arp->op != NFV_ARP_OP_REPLY)
		return false;
	return arp->spa != 0 && arp->spa == arp->tpa;
}

bool
nfv_arp_is_probe(const struct nfv_arp *arp)
{
	return arp->op == NFV_ARP_OP_REQUEST && arp->spa == 0;
}
