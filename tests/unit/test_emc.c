/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the exact-match cache in src/pipeline/emc.c: hits, misses
 * and stale entries against hand-made megaflows (no megaflow cache needed:
 * the EMC only reads 'live', 'dead' and 'gen'), a differential test
 * against a plain map, and the adaptive insertion policy driven by
 * synthetic traffic: few flows, a flood of distinct flows, recovery after
 * the flood, and a pinned insertion rate.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "emc.h"
#include "mfc.h"

#define WINDOW 16384    /* the EMC's decision window, in lookups */

/* A distinct key for flow 'id': an IPv4/UDP 5-tuple on port 1. */
static void
make_key(struct nfv_flow_key *key, uint32_t id)
{
	memset(key, 0, sizeof(*key));
	key->in_port = 1;
	key->eth_type = 0x0008;         /* 0x0800, network order */
	key->ip_proto = 17;
	key->ipv4_src = id;
	key->ipv4_dst = 0x0100000a;
	key->tp_src = (uint16_t)(id * 7);
	key->tp_dst = 0x3500;
}

static void
make_mf(struct nfv_megaflow *mf, uint32_t gen)
{
	memset(mf, 0, sizeof(*mf));
	mf->live = true;
	mf->gen = gen;
}

struct traffic {
	uint64_t lookups;
	uint64_t hits;
	uint64_t inserts_offered;
};

/* Sends 'n' packets cycling over flows base .. base + n_flows - 1
 * (starting at flow 'start' of the cycle), the way the worker does: look
 * up, and offer the megaflow on a miss. */
static void
run_traffic(struct nfv_emc *e, struct nfv_megaflow *mf, uint32_t base,
	    uint32_t n_flows, uint32_t start, uint64_t n, struct traffic *t)
{
	struct nfv_flow_key key;
	uint32_t f = start % n_flows;

	memset(t, 0, sizeof(*t));
	for (uint64_t i = 0; i < n; i++) {
		uint32_t h;

		make_key(&key, base + f);
		h = nfv_key_hash(&key);
		t->lookups++;
		if (nfv_emc_lookup(e, &key, h)) {
			t->hits++;
		} else {
			nfv_emc_insert(e, &key, h, mf);
			t->inserts_offered++;
		}
		if (++f == n_flows)
			f = 0;
	}
}

static struct nfv_emc *
emc_new(unsigned int n_entries, unsigned int inv_prob)
{
	struct nfv_emc *e = NULL;

	assert_int_equal(nfv_emc_create(n_entries, inv_prob, &e), 0);
	assert_non_null(e);
	return e;
}

static void
test_emc_size_is_rounded_up(void **state)
{
	struct nfv_emc_stats st;
	struct nfv_emc *e;

	(void)state;
	e = emc_new(1000, 0);
	nfv_emc_get_stats(e, &st);
	assert_int_equal(st.n_entries, 1024);
	nfv_emc_destroy(e);

	e = emc_new(3, 0);
	nfv_emc_get_stats(e, &st);
	assert_int_equal(st.n_entries, 16);
	assert_int_equal(st.mode, NFV_EMC_ALWAYS);
	assert_int_equal(st.lookups, 0);
	nfv_emc_destroy(e);
	nfv_emc_destroy(NULL);
}

static void
test_emc_hit_after_insert(void **state)
{
	struct nfv_megaflow mf;
	struct nfv_flow_key key;
	struct nfv_emc_stats st;
	struct nfv_emc *e;
	uint32_t h;

	(void)state;
	e = emc_new(64, 0);
	make_mf(&mf, 7);
	make_key(&key, 42);
	h = nfv_key_hash(&key);
	assert_null(nfv_emc_lookup(e, &key, h));
	nfv_emc_insert(e, &key, h, &mf);
	assert_ptr_equal(nfv_emc_lookup(e, &key, h), &mf);
	assert_ptr_equal(nfv_emc_lookup(e, &key, h), &mf);

	nfv_emc_get_stats(e, &st);
	assert_int_equal(st.lookups, 3);
	assert_int_equal(st.hits, 2);
	assert_int_equal(st.inserts, 1);
	nfv_emc_destroy(e);
}

static void
test_emc_miss_for_other_keys(void **state)
{
	struct nfv_flow_key key, other;
	struct nfv_megaflow mf;
	struct nfv_emc *e;
	uint32_t h;

	(void)state;
	e = emc_new(64, 0);
	make_mf(&mf, 1);
	make_key(&key, 42);
	h = nfv_key_hash(&key);
	nfv_emc_insert(e, &key, h, &mf);

	/* One bit different in any word: a miss, even under the same
	 * hash (the full key is compared). */
	for (unsigned int w = 0; w < NFV_KEY_WORDS; w++) {
		other = key;
		((uint64_t *)&other)[w] ^= 1ull << (w * 3);
		assert_null(nfv_emc_lookup(e, &other, nfv_key_hash(&other)));
		assert_null(nfv_emc_lookup(e, &other, h));
	}
	/* The right key under a wrong hash is not found either. */
	assert_null(nfv_emc_lookup(e, &key, h ^ 0x80000000u));
	assert_ptr_equal(nfv_emc_lookup(e, &key, h), &mf);
	nfv_emc_destroy(e);
}

static void
test_emc_stale_after_megaflow_gen_change(void **state)
{
	struct nfv_megaflow mf;
	struct nfv_flow_key key;
	struct nfv_emc *e;
	uint32_t h;

	(void)state;
	e = emc_new(64, 0);
	make_mf(&mf, 3);
	make_key(&key, 1);
	h = nfv_key_hash(&key);
	nfv_emc_insert(e, &key, h, &mf);
	assert_ptr_equal(nfv_emc_lookup(e, &key, h), &mf);

	mf.gen++;       /* the megaflow cache reused the slot */
	assert_null(nfv_emc_lookup(e, &key, h));
	/* Offering the new entry replaces the stale one. */
	nfv_emc_insert(e, &key, h, &mf);
	assert_ptr_equal(nfv_emc_lookup(e, &key, h), &mf);
	nfv_emc_destroy(e);
}

static void
test_emc_stale_when_megaflow_dead(void **state)
{
	struct nfv_megaflow mf;
	struct nfv_flow_key key;
	struct nfv_emc *e;
	uint32_t h;

	(void)state;
	e = emc_new(64, 0);
	make_mf(&mf, 3);
	make_key(&key, 1);
	h = nfv_key_hash(&key);
	nfv_emc_insert(e, &key, h, &mf);
	__atomic_store_n(&mf.dead, 1, __ATOMIC_RELAXED);
	assert_null(nfv_emc_lookup(e, &key, h));
	nfv_emc_destroy(e);
}

static void
test_emc_stale_when_megaflow_not_live(void **state)
{
	struct nfv_megaflow mf;
	struct nfv_flow_key key;
	struct nfv_emc *e;
	uint32_t h;

	(void)state;
	e = emc_new(64, 0);
	make_mf(&mf, 3);
	make_key(&key, 1);
	h = nfv_key_hash(&key);
	nfv_emc_insert(e, &key, h, &mf);
	mf.live = false;
	assert_null(nfv_emc_lookup(e, &key, h));
	nfv_emc_destroy(e);
}

static void
test_emc_flush_removes_every_entry(void **state)
{
	struct nfv_megaflow mf;
	struct nfv_flow_key key;
	struct nfv_emc *e;

	(void)state;
	e = emc_new(1024, 0);
	make_mf(&mf, 1);
	for (uint32_t i = 0; i < 100; i++) {
		make_key(&key, i);
		nfv_emc_insert(e, &key, nfv_key_hash(&key), &mf);
	}
	make_key(&key, 5);
	assert_ptr_equal(nfv_emc_lookup(e, &key, nfv_key_hash(&key)), &mf);
	nfv_emc_flush(e);
	for (uint32_t i = 0; i < 100; i++) {
		make_key(&key, i);
		assert_null(nfv_emc_lookup(e, &key, nfv_key_hash(&key)));
	}
	nfv_emc_destroy(e);
}

/* Random keys, random megaflows, random invalidations: every hit must be
 * the megaflow last offered for that key, and still valid. */
static void
test_emc_matches_model(void **state)
{
	enum { N_KEYS = 600, N_MF = 8 };
	static struct nfv_megaflow mfs[N_MF];
	struct nfv_megaflow *model[N_KEYS] = { NULL };
	uint32_t model_gen[N_KEYS] = { 0 };
	struct nfv_flow_key key;
	struct nfv_emc *e;
	unsigned int n_hits = 0;

	(void)state;
	srandom(1);
	e = emc_new(256, 1);
	for (unsigned int i = 0; i < N_MF; i++)
		make_mf(&mfs[i], 1);
	for (unsigned int op = 0; op < 200000; op++) {
		uint32_t k = random() % N_KEYS;
		struct nfv_megaflow *mf;
		uint32_t h;

		make_key(&key, k);
		h = nfv_key_hash(&key);
		switch (random() % 8) {
		case 0: /* now and then the megaflow cache reuses a slot */
			if (random() % 16 == 0)
				mfs[random() % N_MF].gen++;
			break;
		case 1:
		case 2:
			mf = &mfs[random() % N_MF];
			nfv_emc_insert(e, &key, h, mf);
			model[k] = mf;
			model_gen[k] = mf->gen;
			break;
		default:
			mf = nfv_emc_lookup(e, &key, h);
			if (!mf)
				break;
			n_hits++;
			assert_ptr_equal(mf, model[k]);
			assert_int_equal(mf->gen, model_gen[k]);
			break;
		}
	}
	assert_true(n_hits > 10000);
	nfv_emc_destroy(e);
}

static void
test_emc_few_flows_stay_always(void **state)
{
	struct nfv_emc_stats st;
	struct nfv_megaflow mf;
	struct traffic t;
	struct nfv_emc *e;

	(void)state;
	e = emc_new(8192, 0);
	make_mf(&mf, 1);
	for (unsigned int i = 0; i < 64; i++) {
		run_traffic(e, &mf, 0, 100, i * WINDOW, WINDOW, &t);
		nfv_emc_get_stats(e, &st);
		assert_int_equal(st.mode, NFV_EMC_ALWAYS);
		assert_int_equal(st.insert_inv_prob, 1);
	}
	nfv_emc_get_stats(e, &st);
	assert_int_equal(st.lookups, 64 * WINDOW);
	assert_true(st.hits * 100 > st.lookups * 90);
	/* Only the first pass missed. */
	assert_int_equal(st.inserts, 100);
	nfv_emc_destroy(e);
}

/* Cycles over 1,000,000 flows on a 1024-entry EMC. */
static void
flood(struct nfv_emc *e, struct nfv_megaflow *mf, struct traffic *t)
{
	run_traffic(e, mf, 0x10000000, 1000000, 0, 3000000, t);
}

static void
test_emc_flood_leaves_always(void **state)
{
	struct nfv_emc_stats st;
	struct nfv_megaflow mf;
	struct traffic t;
	struct nfv_emc *e;
	uint64_t misses;

	(void)state;
	e = emc_new(1024, 0);
	make_mf(&mf, 1);
	flood(e, &mf, &t);
	nfv_emc_get_stats(e, &st);
	assert_int_not_equal(st.mode, NFV_EMC_ALWAYS);
	assert_int_equal(st.lookups, t.lookups);
	misses = st.lookups - st.hits;
	assert_int_equal(misses, t.inserts_offered);
	/* One window of ALWAYS, then a trickle: far below 5% of misses. */
	assert_true(st.inserts * 20 < misses);
	assert_true(st.inserts >= WINDOW);
	nfv_emc_destroy(e);

	/* In bypass nothing is found and nothing inserted: 100 flows that
	 * would all hit after their first pass get nothing. */
	e = emc_new(1024, 0);
	run_traffic(e, &mf, 0x10000000, 1000000, 0, 3 * WINDOW, &t);
	nfv_emc_get_stats(e, &st);
	assert_int_equal(st.mode, NFV_EMC_BYPASS);
	assert_string_equal(nfv_emc_mode_name(st.mode), "bypass");
	misses = st.inserts;
	run_traffic(e, &mf, 0, 100, 0, WINDOW, &t);
	assert_int_equal(t.hits, 0);
	nfv_emc_get_stats(e, &st);
	assert_int_equal(st.inserts, misses);
	assert_int_equal(st.mode, NFV_EMC_BYPASS);
	nfv_emc_destroy(e);
}

static void
test_emc_returns_to_always_after_flood(void **state)
{
	struct nfv_emc_stats st;
	struct nfv_megaflow mf;
	struct traffic t;
	struct nfv_emc *e;
	unsigned int windows = 0;

	(void)state;
	e = emc_new(1024, 0);
	make_mf(&mf, 1);
	flood(e, &mf, &t);
	nfv_emc_get_stats(e, &st);
	assert_int_not_equal(st.mode, NFV_EMC_ALWAYS);

	/* 100 flows come back: within the bypass period plus a few probe
	 * windows the EMC must be inserting every miss again. */
	do {
		run_traffic(e, &mf, 0, 100, windows * WINDOW, WINDOW, &t);
		nfv_emc_get_stats(e, &st);
		windows++;
	} while (st.mode != NFV_EMC_ALWAYS && windows < 64 + 8);
	assert_int_equal(st.mode, NFV_EMC_ALWAYS);

	run_traffic(e, &mf, 0, 100, 0, WINDOW, &t);
	assert_true(t.hits * 100 > t.lookups * 90);
	nfv_emc_get_stats(e, &st);
	assert_int_equal(st.mode, NFV_EMC_ALWAYS);
	nfv_emc_destroy(e);
}

/* Short flows after the flood: groups of 1000 concurrent flows of 20
 * packets each. SAMPLED would almost never insert one in time; the trial
 * of ALWAYS at the end of the bypass must find that ALWAYS works. */
static void
test_emc_short_flows_get_always_back(void **state)
{
	struct nfv_emc_stats st;
	struct nfv_megaflow mf;
	struct nfv_flow_key key;
	struct traffic t;
	struct nfv_emc *e;
	uint64_t i, hits = 0, lookups = 0;

	(void)state;
	e = emc_new(8192, 0);
	make_mf(&mf, 1);
	flood(e, &mf, &t);
	for (i = 0; i < (64 + 8) * (uint64_t)WINDOW; i++) {
		uint32_t f = 0x20000000 + i % 1000 + 1000 * (i / 20000);
		bool last = i >= (64 + 4) * (uint64_t)WINDOW;
		uint32_t h;

		make_key(&key, f);
		h = nfv_key_hash(&key);
		lookups += last;
		if (nfv_emc_lookup(e, &key, h))
			hits += last;
		else
			nfv_emc_insert(e, &key, h, &mf);
	}
	nfv_emc_get_stats(e, &st);
	assert_int_equal(st.mode, NFV_EMC_ALWAYS);
	/* One miss per flow of 20 packets, in the last four windows. */
	assert_true(hits * 100 > lookups * 90);
	nfv_emc_destroy(e);
}

/* A working set twice the EMC: SAMPLED keeps about half of it cached,
 * ALWAYS churns. The promotion back-off must keep the EMC mostly in
 * SAMPLED rather than flapping every other window. */
static void
test_emc_oversubscribed_does_not_flap(void **state)
{
	struct nfv_emc_stats st;
	struct nfv_megaflow mf;
	struct traffic t;
	struct nfv_emc *e;
	unsigned int n_always = 0, n_windows = 400;

	(void)state;
	e = emc_new(1024, 0);
	make_mf(&mf, 1);
	for (unsigned int i = 0; i < n_windows; i++) {
		run_traffic(e, &mf, 0, 1600, i * WINDOW, WINDOW, &t);
		nfv_emc_get_stats(e, &st);
		if (st.mode == NFV_EMC_ALWAYS)
			n_always++;
	}
	assert_true(n_always < n_windows / 10);
	/* And it still serves a good share of the traffic. */
	run_traffic(e, &mf, 0, 1600, 0, WINDOW, &t);
	assert_true(t.hits * 100 > t.lookups * 40);
	nfv_emc_destroy(e);
}

static void
test_emc_pinned_inv_prob_never_adapts(void **state)
{
	struct nfv_emc_stats st;
	struct nfv_megaflow mf;
	struct traffic t;
	struct nfv_emc *e;
	uint64_t misses;

	(void)state;
	make_mf(&mf, 1);

	/* One in 100 under a flood: sampled throughout, never bypassed. */
	e = emc_new(1024, 100);
	for (unsigned int i = 0; i < 64; i++) {
		run_traffic(e, &mf, 0x10000000, 1000000, i * WINDOW, WINDOW,
			    &t);
		nfv_emc_get_stats(e, &st);
		assert_int_equal(st.mode, NFV_EMC_SAMPLED);
		assert_int_equal(st.insert_inv_prob, 100);
	}
	misses = st.lookups - st.hits;
	assert_true(st.inserts * 50 < misses && st.inserts * 200 > misses);
	/* Few flows: still sampled (they all get in eventually). */
	run_traffic(e, &mf, 0, 100, 0, 8 * WINDOW, &t);
	nfv_emc_get_stats(e, &st);
	assert_int_equal(st.mode, NFV_EMC_SAMPLED);
	assert_true(t.hits * 100 > t.lookups * 80);
	nfv_emc_destroy(e);

	/* One in one: every miss inserted, even under a flood. */
	e = emc_new(1024, 1);
	run_traffic(e, &mf, 0x10000000, 1000000, 0, 64 * WINDOW, &t);
	nfv_emc_get_stats(e, &st);
	assert_int_equal(st.mode, NFV_EMC_ALWAYS);
	assert_int_equal(st.insert_inv_prob, 1);
	assert_int_equal(st.inserts, st.lookups - st.hits);
	nfv_emc_destroy(e);
}

static void
test_emc_mode_names(void **state)
{
	(void)state;
	assert_string_equal(nfv_emc_mode_name(NFV_EMC_ALWAYS), "always");
	assert_string_equal(nfv_emc_mode_name(NFV_EMC_SAMPLED), "sampled");
	assert_string_equal(nfv_emc_mode_name(NFV_EMC_BYPASS), "bypass");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_emc_size_is_rounded_up),
		cmocka_unit_test(test_emc_hit_after_insert),
		cmocka_unit_test(test_emc_miss_for_other_keys),
		cmocka_unit_test(test_emc_stale_after_megaflow_gen_change),
		cmocka_unit_test(test_emc_stale_when_megaflow_dead),
		cmocka_unit_test(test_emc_stale_when_megaflow_not_live),
		cmocka_unit_test(test_emc_flush_removes_every_entry),
		cmocka_unit_test(test_emc_matches_model),
		cmocka_unit_test(test_emc_few_flows_stay_always),
		cmocka_unit_test(test_emc_flood_leaves_always),
		cmocka_unit_test(test_emc_returns_to_always_after_flood),
		cmocka_unit_test(test_emc_short_flows_get_always_back),
		cmocka_unit_test(test_emc_oversubscribed_does_not_flap),
		cmocka_unit_test(test_emc_pinned_inv_prob_never_adapts),
		cmocka_unit_test(test_emc_mode_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
