/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the frame builders (src/apps/pkt_build.c): the RFC 1071
 * checksum against known vectors and a plain reference sum; ARP frames
 * byte by byte; UDP and ICMP frames whose IPv4, UDP (with pseudo-header)
 * and ICMP checksums are verified with the reference sum; ICMP errors:
 * the quote, the destination, IP options, short originals, and every case
 * RFC 1122 3.2.2 forbids; every builder refusing a buffer one byte short
 * and NULL addresses.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pkt_build.h"
#include "wire.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))
#define FRAME_MAX 2048
#define L3 NFV_ETH_HLEN                         /* IPv4 header offset */
#define L4 (NFV_ETH_HLEN + NFV_IPV4_HLEN)       /* UDP/ICMP offset */

static const uint8_t mac_a[6] = { 0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc };
static const uint8_t mac_b[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t mac_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t mac_zero[6];

/* The folded one's complement sum of 'len' bytes, the slow and obvious
 * way: a header with a right checksum sums to 0xffff. */
static uint16_t
ref_sum(const uint8_t *p, size_t len)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < len; i++)
		sum += (i & 1) ? p[i] : (uint32_t)p[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The sum of the pseudo-header and the UDP datagram of the frame 'f'. */
static uint16_t
udp_sum(const uint8_t *f)
{
	static uint8_t tmp[12 + 65536];
	size_t udp_len = get_be16(f + L4 + 4);

	memcpy(tmp, f + L3 + 12, 8);            /* source, destination */
	tmp[8] = 0;
	tmp[9] = 17;
	put_be16(tmp + 10, (uint16_t)udp_len);
	memcpy(tmp + 12, f + L4, udp_len);
	return ref_sum(tmp, 12 + udp_len);
}

/* Checks the Ethernet and IPv4 headers the builders write. */
static void
check_ipv4(const uint8_t *f, size_t frame_len, uint8_t proto, uint32_t src,
	   uint32_t dst)
{
	assert_memory_equal(f, mac_b, 6);
	assert_memory_equal(f + 6, mac_a, 6);
	assert_int_equal(get_be16(f + 12), 0x0800);
	assert_int_equal(f[L3], 0x45);
	assert_int_equal(f[L3 + 1], 0);                 /* TOS */
	assert_int_equal(get_be16(f + L3 + 2), frame_len - NFV_ETH_HLEN);
	assert_int_equal(get_be16(f + L3 + 4), 0);         /* id */
	assert_int_equal(get_be16(f + L3 + 6), 0);         /* flags, offset */
	assert_int_equal(f[L3 + 8], NFV_BUILD_TTL);
	assert_int_equal(f[L3 + 9], proto);
	assert_int_equal(get_be32(f + L3 + 12), src);
	assert_int_equal(get_be32(f + L3 + 16), dst);
	assert_int_equal(ref_sum(f + L3, NFV_IPV4_HLEN), 0xffff);
	assert_int_equal(nfv_inet_csum(f + L3, NFV_IPV4_HLEN), 0);
}

/* ---- checksum ---- */

static void
test_csum_rfc1071_example(void **state)
{
	static const uint8_t data[] = {
		0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7,
	};
	uint16_t csum = nfv_inet_csum(data, sizeof(data));
	uint8_t stored[2];

	(void)state;
	/* RFC 1071 1.3: the sum is 0xddf2, the checksum its complement. */
	assert_int_equal(ref_sum(data, sizeof(data)), 0xddf2);
	memcpy(stored, &csum, 2);
	assert_int_equal(stored[0], 0x22);
	assert_int_equal(stored[1], 0x0d);
	assert_int_equal(ntohs(csum), 0x220d);
}

static void
test_csum_ipv4_header_vector(void **state)
{
	/* A captured header; its checksum field (b8 61) is at 10. */
	uint8_t hdr[20] = {
		0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00,
		0x40, 0x11, 0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01,
		0xc0, 0xa8, 0x00, 0xc7,
	};
	uint16_t csum;

	(void)state;
	assert_int_equal(nfv_inet_csum(hdr, sizeof(hdr)), 0);
	hdr[10] = hdr[11] = 0;
	csum = nfv_inet_csum(hdr, sizeof(hdr));
	memcpy(hdr + 10, &csum, 2);
	assert_int_equal(hdr[10], 0xb8);
	assert_int_equal(hdr[11], 0x61);
}

static void
test_csum_odd_length(void **state)
{
	static const uint8_t data[] = {
		0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6,
	};
	static const uint8_t one[] = { 0xab };
	uint16_t csum;

	(void)state;
	/* The odd byte is the high half of a zero-padded word:
	 * 0x0001 + 0xf203 + 0xf4f5 + 0xf600 = 0x2dcf9 -> 0xdcfb. */
	csum = nfv_inet_csum(data, sizeof(data));
	assert_int_equal(ntohs(csum), (uint16_t)~0xdcfb);
	assert_int_equal(ntohs(nfv_inet_csum(one, 1)), (uint16_t)~0xab00);
	/* Nothing sums to 0, whose checksum is 0xffff. */
	assert_int_equal(nfv_inet_csum(one, 0), 0xffff);
}

static void
test_csum_matches_reference(void **state)
{
	static uint8_t big[200001];
	uint8_t buf[300];
	size_t len, off, i;
	int round;

	(void)state;
	srand(1071);
	for (round = 0; round < 20; round++) {
		for (i = 0; i < sizeof(buf); i++)
			buf[i] = rand();
		/* Unaligned starts and every length up to 257. */
		for (off = 0; off < 4; off++)
			for (len = 0; len <= 257; len++)
				assert_int_equal(ntohs(nfv_inet_csum(buf + off,
								     len)),
						 (uint16_t)~ref_sum(buf + off,
								    len));
	}
	/* Long runs of 0xff (more than 2^32 / 0xffff words): the sum must
	 * keep folding its carries. */
	memset(big, 0xff, sizeof(big));
	assert_int_equal(nfv_inet_csum(big, sizeof(big) - 1), 0);
	big[0] = 0xfe;
	assert_int_equal(ntohs(nfv_inet_csum(big, sizeof(big) - 1)), 0x0100);
	big[0] = 0xff;
	assert_int_equal(ntohs(nfv_inet_csum(big, sizeof(big))),
			 (uint16_t)~ref_sum(big, sizeof(big)));
}

/* ---- ARP ---- */

static void
test_build_arp_exact_bytes(void **state)
{
	static const uint8_t expect[42] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,     /* eth dst */
		0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc,     /* eth src */
		0x08, 0x06,                             /* ARP */
		0x00, 0x01, 0x08, 0x00, 0x06, 0x04,     /* htype ptype hl pl */
		0x00, 0x01,                             /* request */
		0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc,     /* sha */
		0x0a, 0x00, 0x00, 0x01,                 /* spa */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* tha */
		0x0a, 0x00, 0x00, 0x63,                 /* tpa */
	};
	uint8_t f[64];

	(void)state;
	memset(f, 0xee, sizeof(f));
	assert_int_equal(nfv_build_arp(f, sizeof(f), mac_bcast, mac_a, 1,
				       mac_a, IP(10, 0, 0, 1), mac_zero,
				       IP(10, 0, 0, 99)), 42);
	assert_memory_equal(f, expect, sizeof(expect));
	/* Nothing written past the frame (no padding). */
	assert_int_equal(f[42], 0xee);

	/* A reply, unicast, exactly sized buffer. */
	assert_int_equal(nfv_build_arp(f, 42, mac_b, mac_a, 2, mac_a,
				       IP(10, 0, 0, 1), mac_b,
				       IP(10, 0, 0, 2)), 42);
	assert_memory_equal(f, mac_b, 6);
	assert_int_equal(get_be16(f + 12), 0x0806);
	assert_int_equal(get_be16(f + 20), 2);
	assert_memory_equal(f + 32, mac_b, 6);
	assert_int_equal(get_be32(f + 28), IP(10, 0, 0, 1));
	assert_int_equal(get_be32(f + 38), IP(10, 0, 0, 2));
}

static void
test_build_arp_rejects(void **state)
{
	uint8_t f[64];

	(void)state;
	assert_int_equal(nfv_build_arp(f, 41, mac_bcast, mac_a, 1, mac_a, 1,
				       mac_zero, 2), 0);
	assert_int_equal(nfv_build_arp(f, 0, mac_bcast, mac_a, 1, mac_a, 1,
				       mac_zero, 2), 0);
	assert_int_equal(nfv_build_arp(f, sizeof(f), NULL, mac_a, 1, mac_a,
				       1, mac_zero, 2), 0);
	assert_int_equal(nfv_build_arp(f, sizeof(f), mac_bcast, NULL, 1,
				       mac_a, 1, mac_zero, 2), 0);
	assert_int_equal(nfv_build_arp(f, sizeof(f), mac_bcast, mac_a, 1,
				       NULL, 1, mac_zero, 2), 0);
	assert_int_equal(nfv_build_arp(f, sizeof(f), mac_bcast, mac_a, 1,
				       mac_a, 1, NULL, 2), 0);
	/* Only requests and replies (what the ARP codec accepts). */
	assert_int_equal(nfv_build_arp(f, sizeof(f), mac_bcast, mac_a, 0,
				       mac_a, 1, mac_zero, 2), 0);
	assert_int_equal(nfv_build_arp(f, sizeof(f), mac_bcast, mac_a, 3,
				       mac_a, 1, mac_zero, 2), 0);
}

/* ---- UDP ---- */

static void
test_build_udp4_fields_and_checksums(void **state)
{
	static const size_t lens[] = { 0, 1, 2, 7, 300, 1472 };
	uint8_t payload[1472];
	uint8_t f[FRAME_MAX];
	size_t i, j, len, n;

	(void)state;
	for (j = 0; j < sizeof(payload); j++)
		payload[j] = j * 7 + 3;
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		len = lens[i];
		memset(f, 0xee, sizeof(f));
		n = nfv_build_udp4(f, sizeof(f), mac_b, mac_a,
				   IP(10, 0, 0, 1), IP(10, 0, 0, 200), 67, 68,
				   len ? payload : NULL, len);
		assert_int_equal(n, L4 + NFV_UDP_HLEN + len);
		check_ipv4(f, n, 17, IP(10, 0, 0, 1), IP(10, 0, 0, 200));
		assert_int_equal(get_be16(f + L4), 67);
		assert_int_equal(get_be16(f + L4 + 2), 68);
		assert_int_equal(get_be16(f + L4 + 4), NFV_UDP_HLEN + len);
		assert_int_not_equal(get_be16(f + L4 + 6), 0);
		assert_int_equal(udp_sum(f), 0xffff);
		if (len)
			assert_memory_equal(f + L4 + NFV_UDP_HLEN, payload,
					    len);
		assert_int_equal(f[n], 0xee);
	}
}

static void
test_build_udp4_zero_checksum_sent_as_ffff(void **state)
{
	uint8_t payload[2] = { 0, 0 };
	uint8_t f[128];
	size_t n;

	(void)state;
	/* With the payload word equal to the checksum of a zero payload,
	 * the sum becomes 0xffff and the computed checksum 0. */
	n = nfv_build_udp4(f, sizeof(f), mac_b, mac_a, IP(10, 0, 0, 1),
			   IP(255, 255, 255, 255), 67, 68, payload, 2);
	assert_int_equal(n, L4 + 10);
	memcpy(payload, f + L4 + 6, 2);
	n = nfv_build_udp4(f, sizeof(f), mac_b, mac_a, IP(10, 0, 0, 1),
			   IP(255, 255, 255, 255), 67, 68, payload, 2);
	assert_int_equal(n, L4 + 10);
	assert_int_equal(get_be16(f + L4 + 6), 0xffff);
	assert_int_equal(udp_sum(f), 0xffff);
}

static void
test_build_udp4_payload_in_place(void **state)
{
	uint8_t f[256], copy[100];
	size_t j;

	(void)state;
	for (j = 0; j < sizeof(copy); j++)
		copy[j] = f[L4 + NFV_UDP_HLEN + j] = 255 - j;
	assert_int_equal(nfv_build_udp4(f, sizeof(f), mac_b, mac_a,
					IP(10, 0, 0, 1), IP(10, 0, 0, 2), 67,
					68, f + L4 + NFV_UDP_HLEN,
					sizeof(copy)),
			 L4 + NFV_UDP_HLEN + sizeof(copy));
	assert_memory_equal(f + L4 + NFV_UDP_HLEN, copy, sizeof(copy));
	assert_int_equal(udp_sum(f), 0xffff);
}

static void
test_build_udp4_rejects(void **state)
{
	static uint8_t f[70000];
	uint8_t payload[10] = { 1 };
	const size_t need = L4 + NFV_UDP_HLEN + sizeof(payload);

	(void)state;
	assert_int_equal(nfv_build_udp4(f, need, mac_b, mac_a, 1, 2, 3, 4,
					payload, sizeof(payload)), need);
	assert_int_equal(nfv_build_udp4(f, need - 1, mac_b, mac_a, 1, 2, 3,
					4, payload, sizeof(payload)), 0);
	assert_int_equal(nfv_build_udp4(f, L4 + NFV_UDP_HLEN - 1, mac_b,
					mac_a, 1, 2, 3, 4, NULL, 0), 0);
	assert_int_equal(nfv_build_udp4(f, sizeof(f), mac_b, mac_a, 1, 2, 3,
					4, NULL, 1), 0);
	assert_int_equal(nfv_build_udp4(f, sizeof(f), NULL, mac_a, 1, 2, 3,
					4, payload, sizeof(payload)), 0);
	assert_int_equal(nfv_build_udp4(f, sizeof(f), mac_b, NULL, 1, 2, 3,
					4, payload, sizeof(payload)), 0);
	/* The largest datagram IPv4 can carry, and one byte more. */
	assert_int_equal(nfv_build_udp4(f, sizeof(f), mac_b, mac_a, 1, 2, 3,
					4, f, 65535 - 28),
			 NFV_ETH_HLEN + 65535);
	assert_int_equal(nfv_build_udp4(f, sizeof(f), mac_b, mac_a, 1, 2, 3,
					4, f, 65535 - 27), 0);
	/* Lengths that would wrap the frame length around. */
	assert_int_equal(nfv_build_udp4(f, sizeof(f), mac_b, mac_a, 1, 2, 3,
					4, payload, SIZE_MAX - 3), 0);
	assert_int_equal(nfv_build_udp4(f, sizeof(f), mac_b, mac_a, 1, 2, 3,
					4, payload, SIZE_MAX - 30), 0);
}

/* ---- ICMP ---- */

static void
test_build_icmp4_echo_reply(void **state)
{
	/* Identifier 0x1234, sequence 7, as they sit in the request. */
	static const uint8_t id_seq[4] = { 0x12, 0x34, 0x00, 0x07 };
	uint8_t payload[57];
	uint8_t f[256];
	uint32_t rest;
	size_t j, n;

	(void)state;
	for (j = 0; j < sizeof(payload); j++)
		payload[j] = 0x10 + j;
	memcpy(&rest, id_seq, 4);
	memset(f, 0xee, sizeof(f));
	n = nfv_build_icmp4(f, sizeof(f), mac_b, mac_a, IP(10, 0, 0, 1),
			    IP(10, 0, 0, 7), NFV_ICMP_ECHO_REPLY, 0, rest,
			    payload, sizeof(payload));
	assert_int_equal(n, L4 + NFV_ICMP_HLEN + sizeof(payload));
	check_ipv4(f, n, 1, IP(10, 0, 0, 1), IP(10, 0, 0, 7));
	assert_int_equal(f[L4], NFV_ICMP_ECHO_REPLY);
	assert_int_equal(f[L4 + 1], 0);
	assert_memory_equal(f + L4 + 4, id_seq, 4);
	assert_memory_equal(f + L4 + 8, payload, sizeof(payload));
	assert_int_equal(ref_sum(f + L4, n - L4), 0xffff);
	assert_int_equal(f[n], 0xee);

	/* No payload at all. */
	n = nfv_build_icmp4(f, sizeof(f), mac_b, mac_a, IP(10, 0, 0, 1),
			    IP(10, 0, 0, 7), NFV_ICMP_ECHO_REPLY, 0, rest,
			    NULL, 0);
	assert_int_equal(n, L4 + NFV_ICMP_HLEN);
	assert_int_equal(ref_sum(f + L4, NFV_ICMP_HLEN), 0xffff);
}

static void
test_build_icmp4_rejects(void **state)
{
	uint8_t payload[56] = { 0 };
	uint8_t f[256];
	const size_t need = L4 + NFV_ICMP_HLEN + sizeof(payload);

	(void)state;
	assert_int_equal(nfv_build_icmp4(f, need, mac_b, mac_a, 1, 2, 0, 0, 0,
					 payload, sizeof(payload)), need);
	assert_int_equal(nfv_build_icmp4(f, need - 1, mac_b, mac_a, 1, 2, 0,
					 0, 0, payload, sizeof(payload)), 0);
	assert_int_equal(nfv_build_icmp4(f, L4 + NFV_ICMP_HLEN - 1, mac_b,
					 mac_a, 1, 2, 0, 0, 0, NULL, 0), 0);
	assert_int_equal(nfv_build_icmp4(f, sizeof(f), mac_b, mac_a, 1, 2, 0,
					 0, 0, NULL, 4), 0);
	assert_int_equal(nfv_build_icmp4(f, sizeof(f), NULL, mac_a, 1, 2, 0,
					 0, 0, payload, 4), 0);
	assert_int_equal(nfv_build_icmp4(f, sizeof(f), mac_b, NULL, 1, 2, 0,
					 0, 0, payload, 4), 0);
	assert_int_equal(nfv_build_icmp4(f, sizeof(f), mac_b, mac_a, 1, 2, 0,
					 0, 0, payload, 65535 - 27), 0);
	assert_int_equal(nfv_build_icmp4(f, sizeof(f), mac_b, mac_a, 1, 2, 0,
					 0, 0, payload, SIZE_MAX - 3), 0);
	assert_int_equal(nfv_build_icmp4(f, sizeof(f), mac_b, mac_a, 1, 2, 0,
					 0, 0, payload, SIZE_MAX - 30), 0);
}

/* ---- ICMP errors ---- */

/* An IPv4 packet of 'ihl' words carrying 'proto' from 'src' to 'dst' with
 * 'l4_len' bytes of a recognisable pattern; returns its length. */
static size_t
orig_put(uint8_t *p, unsigned int ihl, uint8_t proto, uint32_t src,
	 uint32_t dst, size_t l4_len)
{
	size_t hlen = ihl * 4, i;

	memset(p, 0, hlen);
	p[0] = 0x40 | ihl;
	put_be16(p + 2, (uint16_t)(hlen + l4_len));
	put_be16(p + 4, 0xbeef);
	p[8] = 1;
	p[9] = proto;
	put_be32(p + 12, src);
	put_be32(p + 16, dst);
	for (i = 20; i < hlen; i++)
		p[i] = 0x01;                    /* NOP options */
	put_be16(p + 10, 0);
	put_be16(p + 10, ntohs(nfv_inet_csum(p, hlen)));
	for (i = 0; i < l4_len; i++)
		p[hlen + i] = 0xc0 + i;
	return hlen + l4_len;
}

/* Builds a host-unreachable about 'orig' into 'f' (FRAME_MAX). */
static size_t
unreach(uint8_t *f, const uint8_t *orig, size_t orig_len)
{
	return nfv_build_icmp4_error(f, FRAME_MAX, mac_b, mac_a,
				     IP(10, 0, 0, 1), NFV_ICMP_UNREACH,
				     NFV_ICMP_UNREACH_HOST, orig, orig_len);
}

/* Checks an ICMP error in 'f' ('n' bytes) quoting 'quote_len' bytes of
 * 'orig'. */
static void
check_error(const uint8_t *f, size_t n, const uint8_t *orig,
	    size_t quote_len, uint8_t type, uint8_t code)
{
	assert_int_equal(n, L4 + NFV_ICMP_HLEN + quote_len);
	check_ipv4(f, n, 1, IP(10, 0, 0, 1), get_be32(orig + 12));
	assert_int_equal(f[L4], type);
	assert_int_equal(f[L4 + 1], code);
	assert_int_equal(get_be32(f + L4 + 4), 0);
	assert_memory_equal(f + L4 + NFV_ICMP_HLEN, orig, quote_len);
	assert_int_equal(ref_sum(f + L4, n - L4), 0xffff);
}

static void
test_icmp_error_quotes_header_and_8_bytes(void **state)
{
	uint8_t orig[200], f[FRAME_MAX];
	size_t orig_len, n;

	(void)state;
	orig_len = orig_put(orig, 5, 17, IP(10, 0, 0, 5), IP(10, 9, 9, 9),
			    120);
	memset(f, 0xee, sizeof(f));
	n = unreach(f, orig, orig_len);
	check_error(f, n, orig, 28, NFV_ICMP_UNREACH, NFV_ICMP_UNREACH_HOST);
	assert_int_equal(get_be32(f + L3 + 16), IP(10, 0, 0, 5));
	assert_int_equal(f[n], 0xee);

	/* Time exceeded, same rules. */
	n = nfv_build_icmp4_error(f, sizeof(f), mac_b, mac_a, IP(10, 0, 0, 1),
				  NFV_ICMP_TIME_EXCEEDED,
				  NFV_ICMP_TTL_EXCEEDED, orig, orig_len);
	check_error(f, n, orig, 28, NFV_ICMP_TIME_EXCEEDED,
		    NFV_ICMP_TTL_EXCEEDED);
}

static void
test_icmp_error_with_ip_options(void **state)
{
	uint8_t orig[200], f[FRAME_MAX];
	size_t orig_len, n;

	(void)state;
	orig_len = orig_put(orig, 6, 6, IP(10, 0, 0, 5), IP(10, 9, 9, 9),
			    40);
	n = unreach(f, orig, orig_len);
	check_error(f, n, orig, 24 + 8, NFV_ICMP_UNREACH,
		    NFV_ICMP_UNREACH_HOST);

	orig_len = orig_put(orig, 15, 6, IP(10, 0, 0, 5), IP(10, 9, 9, 9),
			    40);
	n = unreach(f, orig, orig_len);
	check_error(f, n, orig, 60 + 8, NFV_ICMP_UNREACH,
		    NFV_ICMP_UNREACH_HOST);
}

static void
test_icmp_error_short_original(void **state)
{
	uint8_t orig[200], f[FRAME_MAX];
	size_t orig_len, n, cut;

	(void)state;
	orig_len = orig_put(orig, 5, 17, IP(10, 0, 0, 5), IP(10, 9, 9, 9), 8);
	/* Truncated originals (a short packet-in): quote what exists. */
	for (cut = 0; cut <= 8; cut++) {
		n = unreach(f, orig, 20 + cut);
		check_error(f, n, orig, 20 + cut, NFV_ICMP_UNREACH,
			    NFV_ICMP_UNREACH_HOST);
	}
	/* A 3-byte datagram, complete. */
	orig_len = orig_put(orig, 5, 17, IP(10, 0, 0, 5), IP(10, 9, 9, 9), 3);
	n = unreach(f, orig, orig_len);
	check_error(f, n, orig, 23, NFV_ICMP_UNREACH, NFV_ICMP_UNREACH_HOST);
	/* Options, then 2 bytes. */
	orig_len = orig_put(orig, 7, 17, IP(10, 0, 0, 5), IP(10, 9, 9, 9), 2);
	n = unreach(f, orig, orig_len);
	check_error(f, n, orig, 30, NFV_ICMP_UNREACH, NFV_ICMP_UNREACH_HOST);
}

static void
test_icmp_error_ignores_ethernet_padding(void **state)
{
	uint8_t orig[46], f[FRAME_MAX];
	size_t n;

	(void)state;
	/* A 4-byte datagram padded to a minimum frame: the quote stops at
	 * the total length. */
	memset(orig, 0, sizeof(orig));
	orig_put(orig, 5, 17, IP(10, 0, 0, 5), IP(10, 9, 9, 9), 4);
	n = unreach(f, orig, sizeof(orig));
	check_error(f, n, orig, 24, NFV_ICMP_UNREACH, NFV_ICMP_UNREACH_HOST);
}

static void
test_icmp_error_original_in_place(void **state)
{
	uint8_t f[FRAME_MAX], copy[128];
	size_t orig_len, n;

	(void)state;
	/* The received frame's buffer reused: orig starts at its L3. */
	orig_len = orig_put(f + L3, 5, 17, IP(10, 0, 0, 5), IP(10, 9, 9, 9),
			    64);
	memcpy(copy, f + L3, orig_len);
	n = unreach(f, f + L3, orig_len);
	check_error(f, n, copy, 28, NFV_ICMP_UNREACH, NFV_ICMP_UNREACH_HOST);
}

static void
test_icmp_error_refuses_icmp_errors(void **state)
{
	static const uint8_t errors[] = { 3, 4, 5, 11, 12, 19, 42, 255 };
	static const uint8_t others[] = { 0, 8, 9, 10, 13, 14, 17, 18 };
	uint8_t orig[200], f[FRAME_MAX];
	size_t orig_len, i, n;

	(void)state;
	for (i = 0; i < sizeof(errors); i++) {
		orig_len = orig_put(orig, 5, 1, IP(10, 0, 0, 5),
				    IP(10, 9, 9, 9), 36);
		orig[20] = errors[i];
		if (unreach(f, orig, orig_len) != 0)
			fail_msg("answered ICMP type %u", errors[i]);
	}
	for (i = 0; i < sizeof(others); i++) {
		orig_len = orig_put(orig, 5, 1, IP(10, 0, 0, 5),
				    IP(10, 9, 9, 9), 36);
		orig[20] = others[i];
		n = unreach(f, orig, orig_len);
		if (n == 0)
			fail_msg("refused ICMP type %u", others[i]);
		check_error(f, n, orig, 28, NFV_ICMP_UNREACH,
			    NFV_ICMP_UNREACH_HOST);
	}
	/* An ICMP original cut before its type cannot be told apart, even
	 * when the byte after the cut would be an echo request. */
	orig_len = orig_put(orig, 5, 1, IP(10, 0, 0, 5), IP(10, 9, 9, 9), 36);
	orig[20] = NFV_ICMP_ECHO_REQUEST;
	assert_int_equal(unreach(f, orig, 20), 0);
	put_be16(orig + 2, 20);                    /* total length: no ICMP */
	assert_int_equal(unreach(f, orig, orig_len), 0);
	/* An echo request behind options: the type is found after them. */
	orig_len = orig_put(orig, 6, 1, IP(10, 0, 0, 5), IP(10, 9, 9, 9), 36);
	orig[20] = 3;                           /* an option byte, not ICMP */
	orig[24] = NFV_ICMP_ECHO_REQUEST;
	n = unreach(f, orig, orig_len);
	check_error(f, n, orig, 32, NFV_ICMP_UNREACH, NFV_ICMP_UNREACH_HOST);
	orig[24] = NFV_ICMP_UNREACH;
	assert_int_equal(unreach(f, orig, orig_len), 0);
}

static void
test_icmp_error_refuses_later_fragments(void **state)
{
	uint8_t orig[200], f[FRAME_MAX];
	size_t orig_len;

	(void)state;
	orig_len = orig_put(orig, 5, 17, IP(10, 0, 0, 5), IP(10, 9, 9, 9),
			    64);
	/* First fragment (MF, offset 0): answered. */
	put_be16(orig + 6, 0x2000);
	assert_int_not_equal(unreach(f, orig, orig_len), 0);
	/* DF alone: answered. */
	put_be16(orig + 6, 0x4000);
	assert_int_not_equal(unreach(f, orig, orig_len), 0);
	/* Any non-zero offset, with or without MF: refused. */
	put_be16(orig + 6, 0x0001);
	assert_int_equal(unreach(f, orig, orig_len), 0);
	put_be16(orig + 6, 0x2001);
	assert_int_equal(unreach(f, orig, orig_len), 0);
	put_be16(orig + 6, 0x1fff);
	assert_int_equal(unreach(f, orig, orig_len), 0);
	put_be16(orig + 6, 0x0100);
	assert_int_equal(unreach(f, orig, orig_len), 0);
}

static void
test_icmp_error_refuses_bad_sources(void **state)
{
	static const uint32_t bad[] = {
		IP(0, 0, 0, 0), IP(255, 255, 255, 255),
		IP(224, 0, 0, 1), IP(239, 255, 255, 250),
		IP(127, 0, 0, 1), IP(127, 255, 255, 254),
		IP(240, 0, 0, 1), IP(250, 1, 2, 3),
	};
	static const uint32_t good[] = {
		IP(1, 0, 0, 0), IP(0, 0, 0, 1), IP(126, 255, 255, 255),
		IP(128, 0, 0, 1), IP(223, 255, 255, 255), IP(10, 0, 0, 255),
	};
	uint8_t orig[200], f[FRAME_MAX];
	size_t orig_len, i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		orig_len = orig_put(orig, 5, 17, bad[i], IP(10, 9, 9, 9), 8);
		if (unreach(f, orig, orig_len) != 0)
			fail_msg("answered source %08x", bad[i]);
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		orig_len = orig_put(orig, 5, 17, good[i], IP(10, 9, 9, 9), 8);
		if (unreach(f, orig, orig_len) == 0)
			fail_msg("refused source %08x", good[i]);
		assert_int_equal(get_be32(f + L3 + 16), good[i]);
	}
}

static void
test_icmp_error_refuses_broadcast_and_multicast_dest(void **state)
{
	uint8_t orig[200], f[FRAME_MAX];
	size_t orig_len;

	(void)state;
	orig_len = orig_put(orig, 5, 17, IP(10, 0, 0, 5),
			    IP(255, 255, 255, 255), 8);
	assert_int_equal(unreach(f, orig, orig_len), 0);
	orig_len = orig_put(orig, 5, 17, IP(10, 0, 0, 5), IP(224, 0, 0, 251),
			    8);
	assert_int_equal(unreach(f, orig, orig_len), 0);
	orig_len = orig_put(orig, 5, 17, IP(10, 0, 0, 5),
			    IP(239, 1, 1, 1), 8);
	assert_int_equal(unreach(f, orig, orig_len), 0);
	orig_len = orig_put(orig, 5, 17, IP(10, 0, 0, 5),
			    IP(223, 1, 1, 1), 8);
	assert_int_not_equal(unreach(f, orig, orig_len), 0);
}

static void
test_icmp_error_refuses_invalid_original(void **state)
{
	uint8_t orig[200], f[FRAME_MAX];
	size_t orig_len;

	(void)state;
	orig_len = orig_put(orig, 5, 17, IP(10, 0, 0, 5), IP(10, 9, 9, 9), 8);
	assert_int_equal(unreach(f, NULL, 0), 0);
	assert_int_equal(unreach(f, NULL, orig_len), 0);
	assert_int_equal(unreach(f, orig, 19), 0);
	assert_int_equal(unreach(f, orig, 0), 0);
	orig[0] = 0x65;                         /* version 6 */
	assert_int_equal(unreach(f, orig, orig_len), 0);
	orig[0] = 0x44;                         /* IHL 4 */
	assert_int_equal(unreach(f, orig, orig_len), 0);
	orig[0] = 0x40;                         /* IHL 0 */
	assert_int_equal(unreach(f, orig, orig_len), 0);
	orig[0] = 0x47;                         /* IHL 7 > 28 bytes */
	assert_int_equal(unreach(f, orig, 27), 0);
	assert_int_not_equal(unreach(f, orig, 28), 0);
	orig[0] = 0x45;
	assert_int_not_equal(unreach(f, orig, orig_len), 0);
}

static void
test_icmp_error_rejects_small_buffer_and_null_macs(void **state)
{
	uint8_t orig[200], f[FRAME_MAX];
	size_t orig_len, need;

	(void)state;
	orig_len = orig_put(orig, 5, 17, IP(10, 0, 0, 5), IP(10, 9, 9, 9),
			    64);
	need = L4 + NFV_ICMP_HLEN + 28;
	assert_int_equal(nfv_build_icmp4_error(f, need, mac_b, mac_a, 1, 3, 1,
					       orig, orig_len), need);
	assert_int_equal(nfv_build_icmp4_error(f, need - 1, mac_b, mac_a, 1,
					       3, 1, orig, orig_len), 0);
	assert_int_equal(nfv_build_icmp4_error(f, sizeof(f), NULL, mac_a, 1,
					       3, 1, orig, orig_len), 0);
	assert_int_equal(nfv_build_icmp4_error(f, sizeof(f), mac_b, NULL, 1,
					       3, 1, orig, orig_len), 0);
	assert_int_equal(nfv_build_icmp4_error(NULL, sizeof(f), mac_b, mac_a,
					       1, 3, 1, orig, orig_len), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csum_rfc1071_example),
		cmocka_unit_test(test_csum_ipv4_header_vector),
		cmocka_unit_test(test_csum_odd_length),
		cmocka_unit_test(test_csum_matches_reference),
		cmocka_unit_test(test_build_arp_exact_bytes),
		cmocka_unit_test(test_build_arp_rejects),
		cmocka_unit_test(test_build_udp4_fields_and_checksums),
		cmocka_unit_test(test_build_udp4_zero_checksum_sent_as_ffff),
		cmocka_unit_test(test_build_udp4_payload_in_place),
		cmocka_unit_test(test_build_udp4_rejects),
		cmocka_unit_test(test_build_icmp4_echo_reply),
		cmocka_unit_test(test_build_icmp4_rejects),
		cmocka_unit_test(test_icmp_error_quotes_header_and_8_bytes),
		cmocka_unit_test(test_icmp_error_with_ip_options),
		cmocka_unit_test(test_icmp_error_short_original),
		cmocka_unit_test(test_icmp_error_ignores_ethernet_padding),
		cmocka_unit_test(test_icmp_error_original_in_place),
		cmocka_unit_test(test_icmp_error_refuses_icmp_errors),
		cmocka_unit_test(test_icmp_error_refuses_later_fragments),
		cmocka_unit_test(test_icmp_error_refuses_bad_sources),
		cmocka_unit_test(
			test_icmp_error_refuses_broadcast_and_multicast_dest),
		cmocka_unit_test(test_icmp_error_refuses_invalid_original),
		cmocka_unit_test(
			test_icmp_error_rejects_small_buffer_and_null_macs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
