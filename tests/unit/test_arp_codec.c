/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the ARP codec (src/apps/arp_codec.c): requests, replies,
 * gratuitous ARPs and RFC 5227 probes built by hand and parsed field by
 * field; Ethernet padding ignored; a table of malformed payloads, one or
 * more per error; every truncation; the error names and texts; a round
 * trip through nfv_build_arp() (pkt_build.c); random payloads checked
 * against a plain model of the rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arp_codec.h"
#include "pkt_build.h"
#include "wire.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))
#define N_RANDOM 200000

static const uint8_t mac_a[6] = { 0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc };
static const uint8_t mac_b[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t mac_zero[6];
static const uint8_t mac_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* ---- payload builder ---- */

/* A well-formed Ethernet/IPv4 ARP payload at 'p' (28 bytes). */
static void
arp_put(uint8_t *p, uint16_t op, const uint8_t sha[6], uint32_t spa,
	const uint8_t tha[6], uint32_t tpa)
{
	put_be16(p, 1);
	put_be16(p + 2, 0x0800);
	p[4] = 6;
	p[5] = 4;
	put_be16(p + 6, op);
	memcpy(p + 8, sha, 6);
	put_be32(p + 14, spa);
	memcpy(p + 18, tha, 6);
	put_be32(p + 24, tpa);
}

/* ---- well-formed payloads ---- */

static void
test_parse_request(void **state)
{
	uint8_t p[NFV_ARP_LEN];
	struct nfv_arp arp;

	(void)state;
	arp_put(p, NFV_ARP_OP_REQUEST, mac_a, IP(10, 0, 0, 1), mac_zero,
		IP(10, 0, 0, 2));
	assert_int_equal(nfv_arp_parse(p, sizeof(p), &arp), NFV_ARP_ERR_OK);
	assert_int_equal(arp.op, NFV_ARP_OP_REQUEST);
	assert_memory_equal(arp.sha, mac_a, 6);
	assert_int_equal(arp.spa, IP(10, 0, 0, 1));
	assert_memory_equal(arp.tha, mac_zero, 6);
	assert_int_equal(arp.tpa, IP(10, 0, 0, 2));
	assert_false(nfv_arp_is_gratuitous(&arp));
	assert_false(nfv_arp_is_probe(&arp));
}

static void
test_parse_reply(void **state)
{
	uint8_t p[NFV_ARP_LEN];
	struct nfv_arp arp;

	(void)state;
	arp_put(p, NFV_ARP_OP_REPLY, mac_b, IP(192, 168, 1, 254), mac_a,
		IP(192, 168, 1, 7));
	assert_int_equal(nfv_arp_parse(p, sizeof(p), &arp), NFV_ARP_ERR_OK);
	assert_int_equal(arp.op, NFV_ARP_OP_REPLY);
	assert_memory_equal(arp.sha, mac_b, 6);
	assert_int_equal(arp.spa, IP(192, 168, 1, 254));
	assert_memory_equal(arp.tha, mac_a, 6);
	assert_int_equal(arp.tpa, IP(192, 168, 1, 7));
	assert_false(nfv_arp_is_gratuitous(&arp));
	assert_false(nfv_arp_is_probe(&arp));
}

static void
test_parse_gratuitous_request_and_reply(void **state)
{
	uint8_t p[NFV_ARP_LEN];
	struct nfv_arp arp;

	(void)state;
	/* RFC 5227 announcement: a request, tha zero. */
	arp_put(p, NFV_ARP_OP_REQUEST, mac_a, IP(10, 1, 2, 3), mac_zero,
		IP(10, 1, 2, 3));
	assert_int_equal(nfv_arp_parse(p, sizeof(p), &arp), NFV_ARP_ERR_OK);
	assert_true(nfv_arp_is_gratuitous(&arp));
	assert_false(nfv_arp_is_probe(&arp));

	/* The reply form, tha broadcast (or the sender's own). */
	arp_put(p, NFV_ARP_OP_REPLY, mac_a, IP(10, 1, 2, 3), mac_bcast,
		IP(10, 1, 2, 3));
	assert_int_equal(nfv_arp_parse(p, sizeof(p), &arp), NFV_ARP_ERR_OK);
	assert_int_equal(arp.op, NFV_ARP_OP_REPLY);
	assert_memory_equal(arp.tha, mac_bcast, 6);
	assert_true(nfv_arp_is_gratuitous(&arp));
	assert_false(nfv_arp_is_probe(&arp));
}

static void
test_parse_probe(void **state)
{
	uint8_t p[NFV_ARP_LEN];
	struct nfv_arp arp;

	(void)state;
	arp_put(p, NFV_ARP_OP_REQUEST, mac_a, 0, mac_zero, IP(169, 254, 9, 9));
	assert_int_equal(nfv_arp_parse(p, sizeof(p), &arp), NFV_ARP_ERR_OK);
	assert_int_equal(arp.spa, 0);
	assert_int_equal(arp.tpa, IP(169, 254, 9, 9));
	assert_true(nfv_arp_is_probe(&arp));
	assert_false(nfv_arp_is_gratuitous(&arp));

	/* A reply from 0.0.0.0 is not a probe. */
	arp_put(p, NFV_ARP_OP_REPLY, mac_a, 0, mac_b, IP(169, 254, 9, 9));
	assert_int_equal(nfv_arp_parse(p, sizeof(p), &arp), NFV_ARP_ERR_OK);
	assert_false(nfv_arp_is_probe(&arp));
}

static void
test_predicates_on_hand_filled_struct(void **state)
{
	struct nfv_arp arp;

	(void)state;
	memset(&arp, 0, sizeof(arp));
	/* spa == tpa == 0 announces nothing; it is a probe. */
	arp.op = NFV_ARP_OP_REQUEST;
	assert_false(nfv_arp_is_gratuitous(&arp));
	assert_true(nfv_arp_is_probe(&arp));
	/* Neither request nor reply: neither. */
	arp.op = 3;
	arp.spa = arp.tpa = IP(10, 0, 0, 1);
	assert_false(nfv_arp_is_gratuitous(&arp));
	arp.spa = 0;
	assert_false(nfv_arp_is_probe(&arp));
}

static void
test_parse_ignores_padding(void **state)
{
	uint8_t frame[60];
	struct nfv_arp arp;
	size_t len;

	(void)state;
	/* A minimum Ethernet frame: 14 bytes header, 28 ARP, 18 padding. */
	memset(frame, 0xa5, sizeof(frame));
	arp_put(frame + NFV_ETH_HLEN, NFV_ARP_OP_REQUEST, mac_b,
		IP(10, 0, 0, 9), mac_zero, IP(10, 0, 0, 1));
	len = sizeof(frame) - NFV_ETH_HLEN;
	assert_int_equal(len, 46);
	assert_int_equal(nfv_arp_parse(frame + NFV_ETH_HLEN, len, &arp),
			 NFV_ARP_ERR_OK);
	assert_int_equal(arp.op, NFV_ARP_OP_REQUEST);
	assert_memory_equal(arp.sha, mac_b, 6);
	assert_int_equal(arp.spa, IP(10, 0, 0, 9));
	assert_memory_equal(arp.tha, mac_zero, 6);
	assert_int_equal(arp.tpa, IP(10, 0, 0, 1));
}

/* ---- malformed payloads ---- */

struct bad_case {
	const char *what;
	size_t off;                     /* byte to overwrite */
	size_t n;                       /* how many bytes of 'val' */
	uint8_t val[6];
	enum nfv_arp_err err;
};

static const struct bad_case bad_cases[] = {
	{ "htype 0", 0, 2, { 0, 0 }, NFV_ARP_ERR_BAD_HTYPE },
	{ "htype 6 (IEEE 802)", 0, 2, { 0, 6 }, NFV_ARP_ERR_BAD_HTYPE },
	{ "htype 0x0100 (byte-swapped)", 0, 2, { 1, 0 },
	  NFV_ARP_ERR_BAD_HTYPE },
	{ "ptype IPv6", 2, 2, { 0x86, 0xdd }, NFV_ARP_ERR_BAD_PTYPE },
	{ "ptype 0x0008 (byte-swapped)", 2, 2, { 0x00, 0x08 },
	  NFV_ARP_ERR_BAD_PTYPE },
	{ "ptype ARP", 2, 2, { 0x08, 0x06 }, NFV_ARP_ERR_BAD_PTYPE },
	{ "hlen 0", 4, 1, { 0 }, NFV_ARP_ERR_BAD_HLEN },
	{ "hlen 8 (EUI-64)", 4, 1, { 8 }, NFV_ARP_ERR_BAD_HLEN },
	{ "plen 16", 5, 1, { 16 }, NFV_ARP_ERR_BAD_PLEN },
	{ "plen 0", 5, 1, { 0 }, NFV_ARP_ERR_BAD_PLEN },
	{ "op 0", 6, 2, { 0, 0 }, NFV_ARP_ERR_BAD_OP },
	{ "op 3 (RARP request)", 6, 2, { 0, 3 }, NFV_ARP_ERR_BAD_OP },
	{ "op 0x0100 (byte-swapped)", 6, 2, { 1, 0 }, NFV_ARP_ERR_BAD_OP },
	{ "op 0x0101", 6, 2, { 1, 1 }, NFV_ARP_ERR_BAD_OP },
	{ "sha zero", 8, 6, { 0, 0, 0, 0, 0, 0 }, NFV_ARP_ERR_BAD_SHA },
	{ "sha broadcast", 8, 6, { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	  NFV_ARP_ERR_BAD_SHA },
	{ "sha IPv4 multicast", 8, 6, { 0x01, 0x00, 0x5e, 0, 0, 1 },
	  NFV_ARP_ERR_BAD_SHA },
	{ "sha IPv6 multicast", 8, 6, { 0x33, 0x33, 0, 0, 0, 1 },
	  NFV_ARP_ERR_BAD_SHA },
	{ "sha group bit only", 8, 6, { 0x01, 0, 0, 0, 0, 0 },
	  NFV_ARP_ERR_BAD_SHA },
};

static void
test_parse_rejects_malformed(void **state)
{
	bool hit[NFV_ARP_N_ERRORS] = { false };
	uint8_t p[NFV_ARP_LEN];
	struct nfv_arp arp;
	enum nfv_arp_err err;
	size_t i;
	int e;

	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];

		arp_put(p, NFV_ARP_OP_REQUEST, mac_a, IP(10, 0, 0, 1),
			mac_zero, IP(10, 0, 0, 2));
		memcpy(p + c->off, c->val, c->n);
		memset(&arp, 0x5a, sizeof(arp));
		err = nfv_arp_parse(p, sizeof(p), &arp);
		if (err != c->err)
			fail_msg("%s: got %s, expected %s", c->what,
				 nfv_arp_err_name(err),
				 nfv_arp_err_name(c->err));
		hit[c->err] = true;
	}
	/* SHORT has its own test; OK is every good payload. */
	hit[NFV_ARP_ERR_OK] = hit[NFV_ARP_ERR_SHORT] = true;
	for (e = 0; e < NFV_ARP_N_ERRORS; e++)
		if (!hit[e])
			fail_msg("no malformed case for %s",
				 nfv_arp_err_name(e));
}

static void
test_parse_sha_unicast_with_local_bit_is_fine(void **state)
{
	static const uint8_t sha[6] = { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t p[NFV_ARP_LEN];
	struct nfv_arp arp;

	(void)state;
	/* Only the group bit matters: fe:ff:.. is a unicast address. */
	arp_put(p, NFV_ARP_OP_REPLY, sha, IP(10, 0, 0, 1), mac_a,
		IP(10, 0, 0, 2));
	assert_int_equal(nfv_arp_parse(p, sizeof(p), &arp), NFV_ARP_ERR_OK);
	assert_memory_equal(arp.sha, sha, 6);
}

static void
test_parse_every_truncation_is_short(void **state)
{
	uint8_t *p;
	struct nfv_arp arp;
	size_t len;

	(void)state;
	for (len = 0; len < NFV_ARP_LEN; len++) {
		/* Exactly 'len' bytes on the heap so ASan sees any overread. */
		p = malloc(len ? len : 1);
		assert_non_null(p);
		if (len > 0) {
			uint8_t full[NFV_ARP_LEN];

			arp_put(full, NFV_ARP_OP_REQUEST, mac_a,
				IP(10, 0, 0, 1), mac_zero, IP(10, 0, 0, 2));
			memcpy(p, full, len);
		}
		assert_int_equal(nfv_arp_parse(p, len, &arp),
				 NFV_ARP_ERR_SHORT);
		free(p);
	}
	assert_int_equal(nfv_arp_parse(NULL, 0, &arp), NFV_ARP_ERR_SHORT);
}

/* ---- names and texts ---- */

static void
test_err_names_and_texts(void **state)
{
	static const char *const names[] = {
		"ok", "short", "bad-htype", "bad-ptype", "bad-hlen",
		"bad-plen", "bad-op", "bad-sha",
	};
	static const char *const texts[] = {
#define TEXT(name, text) text,
		NFV_ARP_ERRORS(TEXT)
#undef TEXT
	};
	int e, f;

	(void)state;
	assert_int_equal(NFV_ARP_N_ERRORS, sizeof(names) / sizeof(names[0]));
	assert_int_equal(NFV_ARP_ERR_OK, 0);
	assert_int_equal(NFV_ARP_ERR_BAD_SHA, 7);
	for (e = 0; e < NFV_ARP_N_ERRORS; e++) {
		assert_string_equal(nfv_arp_err_name(e), names[e]);
		assert_string_equal(nfv_arp_err_str(e), texts[e]);
		for (f = 0; f < e; f++)
			assert_string_not_equal(nfv_arp_err_name(e),
						nfv_arp_err_name(f));
	}
	assert_string_equal(nfv_arp_err_str(NFV_ARP_ERR_SHORT),
			    "shorter than 28 bytes");
	assert_string_equal(nfv_arp_err_str(NFV_ARP_N_ERRORS),
			    "unknown error");
	assert_string_equal(nfv_arp_err_name(NFV_ARP_N_ERRORS), "?");
	assert_string_equal(nfv_arp_err_str((enum nfv_arp_err)-1),
			    "unknown error");
	assert_string_equal(nfv_arp_err_name((enum nfv_arp_err)-1), "?");
	assert_string_equal(nfv_arp_err_name((enum nfv_arp_err)1000), "?");
}

/* ---- round trip with pkt_build ---- */

static void
test_round_trip_with_build_arp(void **state)
{
	static const uint16_t ops[] = { NFV_ARP_OP_REQUEST, NFV_ARP_OP_REPLY };
	uint8_t frame[64];
	struct nfv_arp arp;
	size_t len, i;

	(void)state;
	for (i = 0; i < 2; i++) {
		memset(frame, 0xee, sizeof(frame));
		len = nfv_build_arp(frame, sizeof(frame), mac_bcast, mac_a,
				    ops[i], mac_a, IP(10, 9, 8, 7), mac_b,
				    IP(172, 16, 0, 1));
		assert_int_equal(len, NFV_ETH_HLEN + NFV_ARP_LEN);
		assert_int_equal(get_be16(frame + 12), 0x0806);
		assert_int_equal(nfv_arp_parse(frame + NFV_ETH_HLEN,
					       len - NFV_ETH_HLEN, &arp),
				 NFV_ARP_ERR_OK);
		assert_int_equal(arp.op, ops[i]);
		assert_memory_equal(arp.sha, mac_a, 6);
		assert_int_equal(arp.spa, IP(10, 9, 8, 7));
		assert_memory_equal(arp.tha, mac_b, 6);
		assert_int_equal(arp.tpa, IP(172, 16, 0, 1));
	}
}

/* ---- random payloads against a model ---- */

/* What the parser must say about 'p' ('len' >= 28), by RFC 826 and the
 * header's rules, in the header's order. */
static enum nfv_arp_err
model_err(const uint8_t *p)
{
	uint16_t op = get_be16(p + 6);

	if (get_be16(p) != 1)
		return NFV_ARP_ERR_BAD_HTYPE;
	if (get_be16(p + 2) != 0x0800)
		return NFV_ARP_ERR_BAD_PTYPE;
	if (p[4] != 6)
		return NFV_ARP_ERR_BAD_HLEN;
	if (p[5] != 4)
		return NFV_ARP_ERR_BAD_PLEN;
	if (op != 1 && op != 2)
		return NFV_ARP_ERR_BAD_OP;
	if ((p[8] & 1) || memcmp(p + 8, mac_zero, 6) == 0)
		return NFV_ARP_ERR_BAD_SHA;
	return NFV_ARP_ERR_OK;
}

static void
test_parse_random_payloads(void **state)
{
	unsigned int n_ok = 0, n_err[NFV_ARP_N_ERRORS] = { 0 };
	struct nfv_arp arp;
	enum nfv_arp_err err;
	size_t len, j;
	uint8_t *p;
	int i, e;

	(void)state;
	srand(0x41525021);
	for (i = 0; i < N_RANDOM; i++) {
		len = NFV_ARP_LEN + rand() % (64 - NFV_ARP_LEN + 1);
		p = malloc(len);
		assert_non_null(p);
		for (j = 0; j < len; j++)
			p[j] = rand();
		/* Mostly valid fixed fields, so that every later check is
		 * reached often; each is broken in about one case in 8. */
		if (rand() % 8)
			put_be16(p, 1);
		if (rand() % 8)
			put_be16(p + 2, 0x0800);
		if (rand() % 8)
			p[4] = 6;
		if (rand() % 8)
			p[5] = 4;
		if (rand() % 8)
			put_be16(p + 6, 1 + rand() % 2);
		if (rand() % 16 == 0)
			memset(p + 8, 0, 6);

		memset(&arp, 0x5a, sizeof(arp));
		err = nfv_arp_parse(p, len, &arp);
		assert_int_equal(err, model_err(p));
		n_err[err]++;
		if (err == NFV_ARP_ERR_OK) {
			n_ok++;
			assert_int_equal(arp.op, get_be16(p + 6));
			assert_memory_equal(arp.sha, p + 8, 6);
			assert_int_equal(arp.spa, get_be32(p + 14));
			assert_memory_equal(arp.tha, p + 18, 6);
			assert_int_equal(arp.tpa, get_be32(p + 24));
			assert_int_equal(nfv_arp_is_gratuitous(&arp),
					 arp.spa != 0 && arp.spa == arp.tpa);
			assert_int_equal(nfv_arp_is_probe(&arp),
					 arp.op == 1 && arp.spa == 0);
		}
		free(p);
	}
	/* The generator reaches every outcome but SHORT. */
	for (e = 0; e < NFV_ARP_N_ERRORS; e++)
		if (e != NFV_ARP_ERR_SHORT && n_err[e] == 0)
			fail_msg("random payloads never gave %s",
				 nfv_arp_err_name(e));
	assert_true(n_ok > N_RANDOM / 8);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_request),
		cmocka_unit_test(test_parse_reply),
		cmocka_unit_test(test_parse_gratuitous_request_and_reply),
		cmocka_unit_test(test_parse_probe),
		cmocka_unit_test(test_predicates_on_hand_filled_struct),
		cmocka_unit_test(test_parse_ignores_padding),
		cmocka_unit_test(test_parse_rejects_malformed),
		cmocka_unit_test(test_parse_sha_unicast_with_local_bit_is_fine),
		cmocka_unit_test(test_parse_every_truncation_is_short),
		cmocka_unit_test(test_err_names_and_texts),
		cmocka_unit_test(test_round_trip_with_build_arp),
		cmocka_unit_test(test_parse_random_payloads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
