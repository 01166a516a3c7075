/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the ARP codec (src/apps/arp_codec.c) and the frame
 * builders (src/apps/pkt_build.c). Every input is an ARP payload: parsing
 * must return a known error or an ARP that nfv_build_arp() rebuilds and
 * that parses back the same. Every input is also an IPv4 packet that may
 * draw an ICMP error: when one is built it must fit, quote the start of
 * the input and carry valid IPv4 and ICMP checksums. Never a crash or an
 * out-of-bounds read.
 */
#include <stdlib.h>
#include <string.h>

#include "arp_codec.h"
#include "pkt_build.h"

#define ICMP_ERROR_BUF 2048

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t fuzz_mac_a[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t fuzz_mac_b[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };

/* Parses 'data', and on success rebuilds the frame and parses it again. */
static void
fuzz_arp_round_trip(const uint8_t *data, size_t size)
{
	uint8_t frame[NFV_ETH_HLEN + NFV_ARP_LEN];
	struct nfv_arp arp, back;
	enum nfv_arp_err err;
	size_t len;

	err = nfv_arp_parse(data, size, &arp);
	if ((unsigned int)err >= NFV_ARP_N_ERRORS ||
	    strcmp(nfv_arp_err_name(err), "?") == 0 ||
	    strcmp(nfv_arp_err_str(err), "unknown error") == 0)
		abort();
	if (size < NFV_ARP_LEN && err != NFV_ARP_ERR_SHORT)
		abort();
	if (err != NFV_ARP_ERR_OK)
		return;

	len = nfv_build_arp(frame, sizeof(frame), fuzz_mac_b, fuzz_mac_a,
			    arp.op, arp.sha, arp.spa, arp.tha, arp.tpa);
	if (len != sizeof(frame))
		abort();
	/* The wire bytes are what was parsed (padding aside). */
	if (memcmp(frame + NFV_ETH_HLEN, data, NFV_ARP_LEN) != 0)
		abort();
	if (nfv_arp_parse(frame + NFV_ETH_HLEN, len - NFV_ETH_HLEN, &back) !=
	    NFV_ARP_ERR_OK)
		abort();
	if (back.op != arp.op || memcmp(back.sha, arp.sha, 6) != 0 ||
	    back.spa != arp.spa || memcmp(back.tha, arp.tha, 6) != 0 ||
	    back.tpa != arp.tpa)
		abort();
	if (nfv_arp_is_gratuitous(&back) != nfv_arp_is_gratuitous(&arp) ||
	    nfv_arp_is_probe(&back) != nfv_arp_is_probe(&arp))
		abort();
}

/* Builds an ICMP error about 'data' and checks what comes out. */
static void
fuzz_icmp_error(const uint8_t *data, size_t size)
{
	static uint8_t buf[ICMP_ERROR_BUF];
	const uint8_t *ip = buf + NFV_ETH_HLEN;
	size_t len, hlen, quote_len;

	len = nfv_build_icmp4_error(buf, sizeof(buf), fuzz_mac_b, fuzz_mac_a,
				    0x0a000001, NFV_ICMP_UNREACH,
				    NFV_ICMP_UNREACH_HOST, data, size);
	if (len == 0)
		return;
	if (len > sizeof(buf) ||
	    len < NFV_ETH_HLEN + NFV_IPV4_HLEN + NFV_ICMP_HLEN + NFV_IPV4_HLEN)
		abort();
	if (nfv_inet_csum(ip, NFV_IPV4_HLEN) != 0)
		abort();
	if (nfv_inet_csum(ip + NFV_IPV4_HLEN,
			  len - NFV_ETH_HLEN - NFV_IPV4_HLEN) != 0)
		abort();

	/* The quote is the original's header and at most 8 bytes more. */
	hlen = (size_t)(data[0] & 0x0f) * 4;
	quote_len = len - NFV_ETH_HLEN - NFV_IPV4_HLEN - NFV_ICMP_HLEN;
	if (quote_len < hlen || quote_len > hlen + NFV_ICMP_QUOTE_MAX ||
	    quote_len > size)
		abort();
	if (memcmp(ip + NFV_IPV4_HLEN + NFV_ICMP_HLEN, data, quote_len) != 0)
		abort();
	/* Sent back to the original's source. */
	if (memcmp(ip + 16, data + 12, 4) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_arp_round_trip(data, size);
	fuzz_icmp_error(data, size);
	return 0;
}
