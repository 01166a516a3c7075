/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the DHCP lease store (src/apps/lease_store.c): allocation
 * order (existing lease, requested address, lowest free), fixed
 * reservations, offer timeout, REQUEST checks, RELEASE and DECLINE,
 * expiry, a full pool, pool parameter checks, and persistence: a save and
 * load round trip, a missing file, and a table of corrupt files that must
 * be rejected with a message and leave the pools empty. Time is a plain
 * number passed to every call.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lease_store.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))
#define T0 1700000000ull
#define LEASE 3600

static const uint8_t mac_a[6] = { 2, 0, 0, 0, 0, 0xa };
static const uint8_t mac_b[6] = { 2, 0, 0, 0, 0, 0xb };
static const uint8_t mac_c[6] = { 2, 0, 0, 0, 0, 0xc };
static const uint8_t mac_fixed[6] = { 2, 0, 0, 0, 0, 0xf };

static const struct nfv_lease_fixed fixed[] = {
	{ { 2, 0, 0, 0, 0, 0xf }, IP(10, 0, 0, 11) },   /* inside the range */
	{ { 2, 0, 0, 0, 0, 0xe }, IP(10, 0, 0, 200) },  /* outside */
};

struct fixture {
	struct nfv_lease_store *s;
	struct nfv_lease_pool *p;
	char path[64];
};

/* Range 10.0.0.10 - 10.0.0.13, of which .11 is reserved. */
static int
setup(void **state)
{
	struct nfv_lease_pool_params params = {
		.name = "lan",
		.start = IP(10, 0, 0, 10),
		.end = IP(10, 0, 0, 13),
		.lease_time = LEASE,
		.fixed = fixed,
		.n_fixed = 2,
	};
	struct fixture *f = calloc(1, sizeof(*f));
	char err[NFV_LEASE_ERR_MAX];

	if (f == NULL || nfv_lease_store_create(&f->s) < 0)
		return -1;
	if (nfv_lease_pool_add(f->s, &params, &f->p, err) < 0)
		return -1;
	snprintf(f->path, sizeof(f->path), "/tmp/test_lease_store.%d",
		 (int)getpid());
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char tmp[80];

	unlink(f->path);
	snprintf(tmp, sizeof(tmp), "%s.tmp", f->path);
	unlink(tmp);
	nfv_lease_store_destroy(f->s);
	free(f);
	return 0;
}

static uint32_t
offer(struct fixture *f, const uint8_t *mac, uint32_t req, uint64_t now)
{
	uint32_t ip = 0;

	assert_int_equal(nfv_lease_offer(f->p, mac, req, now, &ip), 0);
	return ip;
}

static void
test_lease_offers_lowest_free_skipping_reserved(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(offer(f, mac_a, 0, T0), IP(10, 0, 0, 10));
	assert_int_equal(offer(f, mac_b, 0, T0), IP(10, 0, 0, 12));
	assert_int_equal(offer(f, mac_c, 0, T0), IP(10, 0, 0, 13));
}

static void
test_lease_offer_prefers_existing_then_requested(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(offer(f, mac_a, IP(10, 0, 0, 13), T0),
			 IP(10, 0, 0, 13));
	/* Same client again: same address, whatever it asks for now. */
	assert_int_equal(offer(f, mac_a, IP(10, 0, 0, 12), T0 + 1),
			 IP(10, 0, 0, 13));
	/* Requested but taken, reserved or outside: lowest free. */
	assert_int_equal(offer(f, mac_b, IP(10, 0, 0, 13), T0),
			 IP(10, 0, 0, 10));
	assert_int_equal(offer(f, mac_c, IP(10, 0, 0, 11), T0),
			 IP(10, 0, 0, 12));
}

static void
test_lease_fixed_reservation(void **state)
{
	struct fixture *f = *state;
	const uint8_t mac_e[6] = { 2, 0, 0, 0, 0, 0xe };
	struct nfv_lease l;
	uint64_t exp;

	assert_int_equal(offer(f, mac_fixed, IP(10, 0, 0, 12), T0),
			 IP(10, 0, 0, 11));
	assert_int_equal(offer(f, mac_e, 0, T0), IP(10, 0, 0, 200));
	assert_int_equal(nfv_lease_request(f->p, mac_fixed, IP(10, 0, 0, 12),
					   T0, &exp), -EINVAL);
	assert_int_equal(nfv_lease_request(f->p, mac_a, IP(10, 0, 0, 11),
					   T0, &exp), -EBUSY);
	assert_int_equal(nfv_lease_request(f->p, mac_fixed, IP(10, 0, 0, 11),
					   T0, &exp), 0);
	assert_int_equal(exp, T0 + LEASE);
	assert_int_equal(nfv_lease_lookup_ip(f->p, IP(10, 0, 0, 11), T0, &l),
			 0);
	assert_int_equal(l.state, NFV_LEASE_BOUND);
	assert_true(l.fixed);
	assert_memory_equal(l.mac, mac_fixed, 6);
}

static void
test_lease_offer_times_out(void **state)
{
	struct fixture *f = *state;
	struct nfv_lease l;

	assert_int_equal(offer(f, mac_a, 0, T0), IP(10, 0, 0, 10));
	assert_int_equal(nfv_lease_lookup_mac(f->p, mac_a, T0 + 29, &l), 0);
	assert_int_equal(l.state, NFV_LEASE_OFFERED);
	assert_int_equal(nfv_lease_lookup_mac(f->p, mac_a, T0 + 30, &l),
			 -ENOENT);
	/* After the offer lapsed another client may take the address. */
	assert_int_equal(offer(f, mac_b, 0, T0 + 30), IP(10, 0, 0, 10));
	assert_int_equal(nfv_lease_request(f->p, mac_a, IP(10, 0, 0, 10),
					   T0 + 31, NULL), -EBUSY);
}

static void
test_lease_request_binds_and_renews(void **state)
{
	struct fixture *f = *state;
	struct nfv_lease_pool_stats st;
	uint64_t exp;

	offer(f, mac_a, 0, T0);
	assert_int_equal(nfv_lease_request(f->p, mac_a, IP(10, 0, 0, 10), T0,
					   &exp), 0);
	assert_int_equal(exp, T0 + LEASE);
	/* A bound lease outlives the offer time and renews. */
	assert_int_equal(nfv_lease_request(f->p, mac_a, IP(10, 0, 0, 10),
					   T0 + 1000, &exp), 0);
	assert_int_equal(exp, T0 + 1000 + LEASE);
	/* INIT-REBOOT for a free address with no offer. */
	assert_int_equal(nfv_lease_request(f->p, mac_b, IP(10, 0, 0, 13),
					   T0, NULL), 0);
	assert_int_equal(nfv_lease_request(f->p, mac_c, IP(10, 0, 0, 13),
					   T0, NULL), -EBUSY);
	assert_int_equal(nfv_lease_request(f->p, mac_c, IP(10, 0, 1, 1),
					   T0, NULL), -EINVAL);
	/* Moving to another address frees the old one. */
	assert_int_equal(nfv_lease_request(f->p, mac_b, IP(10, 0, 0, 12),
					   T0, NULL), 0);
	nfv_lease_pool_stats(f->p, T0, &st);
	assert_int_equal(st.n_bound, 2);
	assert_int_equal(st.n_addrs, 5);
}

static void
test_lease_release_frees(void **state)
{
	struct fixture *f = *state;
	struct nfv_lease l;

	offer(f, mac_a, 0, T0);
	assert_int_equal(nfv_lease_request(f->p, mac_a, IP(10, 0, 0, 10), T0,
					   NULL), 0);
	assert_int_equal(nfv_lease_release(f->p, mac_b, IP(10, 0, 0, 10), T0),
			 -ENOENT);
	assert_int_equal(nfv_lease_release(f->p, mac_a, IP(10, 0, 0, 10), T0),
			 0);
	assert_int_equal(nfv_lease_lookup_ip(f->p, IP(10, 0, 0, 10), T0, &l),
			 0);
	assert_int_equal(l.state, NFV_LEASE_FREE);
	assert_int_equal(nfv_lease_release(f->p, mac_a, IP(10, 0, 0, 10), T0),
			 -ENOENT);
	assert_int_equal(offer(f, mac_b, 0, T0), IP(10, 0, 0, 10));
}

static void
test_lease_decline_quarantines_address(void **state)
{
	struct fixture *f = *state;
	struct nfv_lease l;

	offer(f, mac_a, 0, T0);
	assert_int_equal(nfv_lease_decline(f->p, mac_b, IP(10, 0, 0, 10), T0),
			 -ENOENT);
	assert_int_equal(nfv_lease_decline(f->p, mac_a, IP(10, 0, 1, 10), T0),
			 -EINVAL);
	assert_int_equal(nfv_lease_decline(f->p, mac_a, IP(10, 0, 0, 10), T0),
			 0);
	assert_int_equal(nfv_lease_lookup_ip(f->p, IP(10, 0, 0, 10), T0, &l),
			 0);
	assert_int_equal(l.state, NFV_LEASE_DECLINED);
	/* The decliner gets another address; nobody gets .10 for a while. */
	assert_int_equal(offer(f, mac_a, IP(10, 0, 0, 10), T0 + 1),
			 IP(10, 0, 0, 12));
	assert_int_equal(nfv_lease_request(f->p, mac_b, IP(10, 0, 0, 10),
					   T0 + 1, NULL), -EBUSY);
	assert_int_equal(offer(f, mac_b, 0, T0 + NFV_LEASE_DECLINE_TIME),
			 IP(10, 0, 0, 10));
}

static void
test_lease_expiry(void **state)
{
	struct fixture *f = *state;
	struct nfv_lease_pool_stats st;

	offer(f, mac_a, 0, T0);
	nfv_lease_request(f->p, mac_a, IP(10, 0, 0, 10), T0, NULL);
	offer(f, mac_b, 0, T0);
	assert_int_equal(nfv_lease_store_expire(f->s, T0 + 29), 0);
	assert_int_equal(nfv_lease_store_expire(f->s, T0 + 30), 1);
	assert_int_equal(nfv_lease_store_expire(f->s, T0 + LEASE - 1), 0);
	assert_int_equal(nfv_lease_store_expire(f->s, T0 + LEASE), 1);
	nfv_lease_pool_stats(f->p, T0 + LEASE, &st);
	assert_int_equal(st.n_bound, 0);
	assert_int_equal(st.n_offered, 0);
	assert_int_equal(st.n_expired, 2);
	/* A returning client gets its old address back if still free. */
	assert_int_equal(offer(f, mac_b, 0, T0 + LEASE), IP(10, 0, 0, 12));
	assert_int_equal(offer(f, mac_a, 0, T0 + LEASE), IP(10, 0, 0, 10));
}

static void
test_lease_full_pool(void **state)
{
	struct fixture *f = *state;
	struct nfv_lease_pool_stats st;
	uint32_t ip;

	offer(f, mac_a, 0, T0);
	offer(f, mac_b, 0, T0);
	offer(f, mac_c, 0, T0);
	assert_int_equal(nfv_lease_offer(f->p, (const uint8_t *)"\2\0\0\0\0\x9",
					 0, T0, &ip), -ENOSPC);
	nfv_lease_pool_stats(f->p, T0, &st);
	assert_int_equal(st.n_full, 1);
	assert_int_equal(st.n_offered, 3);
	/* Reserved clients are unaffected by a full range. */
	assert_int_equal(offer(f, mac_fixed, 0, T0), IP(10, 0, 0, 11));
}

static void
test_lease_pool_params_checked(void **state)
{
	struct fixture *f = *state;
	char err[NFV_LEASE_ERR_MAX];
	struct nfv_lease_fixed dup[2] = {
		{ { 2, 0, 0, 0, 0, 1 }, IP(10, 1, 0, 5) },
		{ { 2, 0, 0, 0, 0, 2 }, IP(10, 1, 0, 5) },
	};
	struct nfv_lease_pool_params p = {
		.name = "lan", .start = IP(10, 1, 0, 1), .end = IP(10, 1, 0, 9),
		.lease_time = 60,
	};

	assert_int_equal(nfv_lease_pool_add(f->s, &p, NULL, err), -EEXIST);
	p.name = "has space";
	assert_int_equal(nfv_lease_pool_add(f->s, &p, NULL, err), -EINVAL);
	p.name = "big";
	p.end = IP(10, 2, 0, 1);        /* 65537 addresses */
	assert_int_equal(nfv_lease_pool_add(f->s, &p, NULL, err), -EINVAL);
	assert_non_null(strstr(err, "big"));
	p.end = IP(10, 1, 0, 9);
	p.fixed = dup;
	p.n_fixed = 2;
	assert_int_equal(nfv_lease_pool_add(f->s, &p, NULL, err), -EINVAL);
	p.n_fixed = 1;
	assert_int_equal(nfv_lease_pool_add(f->s, &p, NULL, err), 0);
	assert_non_null(nfv_lease_pool_lookup(f->s, "big"));
	assert_null(nfv_lease_pool_lookup(f->s, "nope"));
}

/* ---- persistence ---- */

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void
test_lease_persistence_round_trip(void **state)
{
	struct fixture *f = *state;
	struct nfv_lease_pool_params params = {
		.name = "lan", .start = IP(10, 0, 0, 10), .end = IP(10, 0, 0, 13),
		.lease_time = LEASE, .fixed = fixed, .n_fixed = 2,
	};
	char err[NFV_LEASE_ERR_MAX];
	struct nfv_lease_store *s2;
	struct nfv_lease_pool *p2;
	struct nfv_lease l;
	unsigned int n_skipped;
	char tmp[80];

	offer(f, mac_a, 0, T0);
	nfv_lease_request(f->p, mac_a, IP(10, 0, 0, 10), T0, NULL);
	offer(f, mac_fixed, 0, T0);
	nfv_lease_request(f->p, mac_fixed, IP(10, 0, 0, 11), T0 + 5, NULL);
	offer(f, mac_b, 0, T0);         /* offers are not saved */
	assert_int_equal(nfv_lease_store_save(f->s, f->path, err), 0);
	snprintf(tmp, sizeof(tmp), "%s.tmp", f->path);
	assert_int_not_equal(access(tmp, F_OK), 0);

	assert_int_equal(nfv_lease_store_create(&s2), 0);
	assert_int_equal(nfv_lease_pool_add(s2, &params, &p2, err), 0);
	assert_int_equal(nfv_lease_store_load(s2, f->path, T0 + 10,
					      &n_skipped, err), 0);
	assert_int_equal(n_skipped, 0);
	assert_int_equal(nfv_lease_lookup_mac(p2, mac_a, T0 + 10, &l), 0);
	assert_int_equal(l.ip, IP(10, 0, 0, 10));
	assert_int_equal(l.state, NFV_LEASE_BOUND);
	assert_int_equal(l.expiry, T0 + LEASE);
	assert_int_equal(nfv_lease_lookup_mac(p2, mac_fixed, T0 + 10, &l), 0);
	assert_int_equal(l.expiry, T0 + 5 + LEASE);
	assert_int_equal(nfv_lease_lookup_mac(p2, mac_b, T0 + 10, &l),
			 -ENOENT);

	/* Loaded after mac_a's lease ran out: skipped. */
	assert_int_equal(nfv_lease_store_load(s2, f->path, T0 + LEASE + 10,
					      &n_skipped, err), 0);
	assert_int_equal(n_skipped, 2);
	nfv_lease_store_destroy(s2);
}

static void
test_lease_load_missing_file_is_empty(void **state)
{
	struct fixture *f = *state;
	char err[NFV_LEASE_ERR_MAX];
	unsigned int n_skipped = 99;

	assert_int_equal(nfv_lease_store_load(f->s, "/nonexistent/leases",
					      T0, &n_skipped, err), 0);
	assert_int_equal(n_skipped, 0);
}

static void
test_lease_load_skips_stale_entries(void **state)
{
	struct fixture *f = *state;
	char err[NFV_LEASE_ERR_MAX];
	unsigned int n_skipped;
	struct nfv_lease l;

	write_file(f->path, "# nfvswitch dhcp leases v1\n"
		   "lan 02:00:00:00:00:0a 10.0.0.12 1800000000\n"
		   "gone 02:00:00:00:00:0b 10.0.0.13 1800000000\n"
		   "lan 02:00:00:00:00:0c 10.0.9.9 1800000000\n"
		   "lan 02:00:00:00:00:0c 10.0.0.11 1800000000\n"
		   "\n# comment\n"
		   "lan 02:00:00:00:00:0b 10.0.0.12 1800000000\n");
	assert_int_equal(nfv_lease_store_load(f->s, f->path, T0, &n_skipped,
					      err), 0);
	assert_int_equal(n_skipped, 4);
	assert_int_equal(nfv_lease_lookup_ip(f->p, IP(10, 0, 0, 12), T0, &l),
			 0);
	assert_memory_equal(l.mac, mac_a, 6);
}

static const struct {
	const char *name;
	const char *text;
} corrupt_files[] = {
	{ "empty", "" },
	{ "no header", "lan 02:00:00:00:00:0a 10.0.0.10 1800000000\n" },
	{ "wrong version", "# nfvswitch dhcp leases v2\n" },
	{ "three fields", "# nfvswitch dhcp leases v1\n"
	  "lan 02:00:00:00:00:0a 10.0.0.10\n" },
	{ "five fields", "# nfvswitch dhcp leases v1\n"
	  "lan 02:00:00:00:00:0a 10.0.0.10 1800000000 x\n" },
	{ "bad mac", "# nfvswitch dhcp leases v1\n"
	  "lan 02:00:00:00:00:zz 10.0.0.10 1800000000\n" },
	{ "short mac", "# nfvswitch dhcp leases v1\n"
	  "lan 02:00:00:00:00 10.0.0.10 1800000000\n" },
	{ "bad ip", "# nfvswitch dhcp leases v1\n"
	  "lan 02:00:00:00:00:0a 10.0.0.300 1800000000\n" },
	{ "negative expiry", "# nfvswitch dhcp leases v1\n"
	  "lan 02:00:00:00:00:0a 10.0.0.10 -1\n" },
	{ "expiry garbage", "# nfvswitch dhcp leases v1\n"
	  "lan 02:00:00:00:00:0a 10.0.0.10 18x\n" },
	{ "expiry overflow", "# nfvswitch dhcp leases v1\n"
	  "lan 02:00:00:00:00:0a 10.0.0.10 99999999999999999999999\n" },
	{ "long name", "# nfvswitch dhcp leases v1\n"
	  "abcdefghijklmnopqrstuvwxyz0123456789 02:00:00:00:00:0a 10.0.0.10 1\n" },
};

static void
test_lease_load_rejects_corrupt_file(void **state)
{
	struct fixture *f = *state;
	char err[NFV_LEASE_ERR_MAX];
	struct nfv_lease l;
	size_t i;

	for (i = 0; i < sizeof(corrupt_files) / sizeof(corrupt_files[0]); i++) {
		/* A lease from before must not survive a rejected file. */
		offer(f, mac_c, 0, T0);
		assert_int_equal(nfv_lease_request(f->p, mac_c,
						   IP(10, 0, 0, 10), T0, NULL),
				 0);
		write_file(f->path, corrupt_files[i].text);
		err[0] = '\0';
		if (nfv_lease_store_load(f->s, f->path, T0, NULL, err) !=
		    -EINVAL)
			fail_msg("case '%s' accepted", corrupt_files[i].name);
		assert_non_null(strstr(err, f->path));
		assert_non_null(strstr(err, "line"));
		assert_int_equal(nfv_lease_lookup_mac(f->p, mac_c, T0, &l),
				 -ENOENT);
	}
}

static void
test_lease_load_rejects_nul_and_long_lines(void **state)
{
	struct fixture *f = *state;
	char err[NFV_LEASE_ERR_MAX], line[400];
	FILE *fp;

	fp = fopen(f->path, "w");
	assert_non_null(fp);
	fputs("# nfvswitch dhcp leases v1\nlan 02:00:00:00:00:0a", fp);
	fputc('\0', fp);
	fputs(" 10.0.0.10 1800000000\n", fp);
	fclose(fp);
	assert_int_equal(nfv_lease_store_load(f->s, f->path, T0, NULL, err),
			 -EINVAL);

	memset(line, 'a', sizeof(line) - 2);
	line[sizeof(line) - 2] = '\n';
	line[sizeof(line) - 1] = '\0';
	fp = fopen(f->path, "w");
	assert_non_null(fp);
	fputs("# nfvswitch dhcp leases v1\n", fp);
	fputs(line, fp);
	fclose(fp);
	assert_int_equal(nfv_lease_store_load(f->s, f->path, T0, NULL, err),
			 -EINVAL);
}

static void
test_lease_save_fails_cleanly(void **state)
{
	struct fixture *f = *state;
	char err[NFV_LEASE_ERR_MAX];

	assert_int_equal(nfv_lease_store_save(f->s, "/nonexistent/dir/leases",
					      err), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/dir/leases.tmp"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_lease_offers_lowest_free_skipping_reserved),
		T(test_lease_offer_prefers_existing_then_requested),
		T(test_lease_fixed_reservation),
		T(test_lease_offer_times_out),
		T(test_lease_request_binds_and_renews),
		T(test_lease_release_frees),
		T(test_lease_decline_quarantines_address),
		T(test_lease_expiry),
		T(test_lease_full_pool),
		T(test_lease_pool_params_checked),
		T(test_lease_persistence_round_trip),
		T(test_lease_load_missing_file_is_empty),
		T(test_lease_load_skips_stale_entries),
		T(test_lease_load_rejects_corrupt_file),
		T(test_lease_load_rejects_nul_and_long_lines),
		T(test_lease_save_fails_cleanly),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
