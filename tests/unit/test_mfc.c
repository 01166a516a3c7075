/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the megaflow cache in src/pipeline/mfc.c: exact and
 * wildcard entries, replacement, subtables, eviction, dead and idle
 * entries, foreach and kills, slot reuse, a differential test against a
 * plain list of (mask, masked key) entries, and a smoke test of a worker
 * thread changing the cache while a control thread dumps and kills.
 * Translations are made by hand: an entry's id is its first action's port.
 */

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mfc.h"

/* Too big for the stack of every test; each test starts with xlate_init. */
static struct nfv_xlate_out xo;

static void
xlate_init(struct nfv_xlate_out *x, const struct nfv_flow_key *wc,
	   uint32_t id)
{
	memset(x, 0, sizeof(*x));
	x->wc = *wc;
	x->n_actions = 1;
	x->actions[0].type = NFV_ACT_OUTPUT;
	x->actions[0].arg.port = id;
}

static uint32_t
mf_id(const struct nfv_megaflow *mf)
{
	return mf->actions[0].arg.port;
}

static uint64_t *
words(struct nfv_flow_key *k)
{
	return (uint64_t *)k;
}

static const uint64_t *
cwords(const struct nfv_flow_key *k)
{
	return (const uint64_t *)k;
}

/* An IPv4/UDP key on port 1. */
static void
make_key(struct nfv_flow_key *key, uint32_t src, uint32_t dst,
	 uint16_t sport)
{
	memset(key, 0, sizeof(*key));
	key->in_port = 1;
	key->eth_type = 0x0008;         /* 0x0800, network order */
	key->ip_proto = 17;
	key->ipv4_src = src;
	key->ipv4_dst = dst;
	key->tp_src = sport;
	key->tp_dst = 0x3500;
}

/* Every bit. */
static void
mask_exact(struct nfv_flow_key *m)
{
	memset(m, 0xff, sizeof(*m));
}

/* in_port, eth_type and the first three bytes of ipv4_dst (a /24). */
static void
mask_dst24(struct nfv_flow_key *m)
{
	memset(m, 0, sizeof(*m));
	m->in_port = UINT32_MAX;
	m->eth_type = UINT16_MAX;
	m->ipv4_dst = 0x00ffffff;       /* network order */
}

/* in_port and ipv4_src. */
static void
mask_src(struct nfv_flow_key *m)
{
	memset(m, 0, sizeof(*m));
	m->in_port = UINT32_MAX;
	m->ipv4_src = UINT32_MAX;
}

static struct nfv_mfc *
mfc_new(unsigned int n)
{
	struct nfv_mfc *c = NULL;

	assert_int_equal(nfv_mfc_create(n, &c), 0);
	assert_non_null(c);
	return c;
}

static struct nfv_megaflow *
insert(struct nfv_mfc *c, const struct nfv_flow_key *key,
       const struct nfv_flow_key *mask, uint32_t id, uint64_t now)
{
	struct nfv_megaflow *mf;

	xlate_init(&xo, mask, id);
	mf = nfv_mfc_insert(c, key, &xo, now);
	assert_non_null(mf);
	assert_true(mf->live);
	assert_int_equal(mf_id(mf), id);
	return mf;
}

static void
test_mfc_create_rejects_bad_sizes(void **state)
{
	struct nfv_mfc *c = NULL;

	(void)state;
	assert_int_equal(nfv_mfc_create(0, &c), -EINVAL);
	assert_int_equal(nfv_mfc_create(1u << 21, &c), -EINVAL);
	assert_int_equal(nfv_mfc_create(UINT32_MAX, &c), -EINVAL);
	assert_null(c);
	nfv_mfc_destroy(NULL);
	c = mfc_new(1);
	assert_int_equal(nfv_mfc_count(c), 0);
	assert_int_equal(nfv_mfc_n_masks(c), 0);
	nfv_mfc_destroy(c);
}

static void
test_mfc_exact_entry_hits_only_its_key(void **state)
{
	struct nfv_flow_key key, mask, other;
	struct nfv_megaflow *mf;
	struct nfv_mfc *c;

	(void)state;
	c = mfc_new(64);
	make_key(&key, 0x0101a8c0, 0x0201a8c0, 1000);
	mask_exact(&mask);
	assert_null(nfv_mfc_lookup(c, &key));
	mf = insert(c, &key, &mask, 7, 5);
	assert_ptr_equal(nfv_mfc_lookup(c, &key), mf);
	assert_memory_equal(&mf->match.key, &key, sizeof(key));
	assert_memory_equal(&mf->match.mask, &mask, sizeof(mask));
	assert_int_equal(nfv_mfc_count(c), 1);
	assert_int_equal(nfv_mfc_n_masks(c), 1);

	for (unsigned int w = 0; w < NFV_KEY_WORDS; w++) {
		for (unsigned int b = 0; b < 64; b += 13) {
			other = key;
			words(&other)[w] ^= 1ull << b;
			assert_null(nfv_mfc_lookup(c, &other));
		}
	}
	nfv_mfc_destroy(c);
}

static void
test_mfc_wildcard_entry_serves_agreeing_keys(void **state)
{
	struct nfv_flow_key key, mask, rk;
	struct nfv_megaflow *mf;
	unsigned int n_hits = 0, n_misses = 0;
	struct nfv_mfc *c;

	(void)state;
	srandom(2);
	c = mfc_new(64);
	make_key(&key, 0x0101a8c0, 0x0202000a, 1000);
	mask_dst24(&mask);
	mf = insert(c, &key, &mask, 9, 0);
	/* The entry holds the masked key. */
	assert_int_equal(mf->match.key.ipv4_dst, 0x0002000a);
	assert_int_equal(mf->match.key.ipv4_src, 0);
	assert_true(nfv_match_matches(&mf->match, &key));

	for (unsigned int i = 0; i < 20000; i++) {
		bool agrees = true;

		for (unsigned int w = 0; w < NFV_KEY_WORDS; w++) {
			words(&rk)[w] = (uint64_t)random() << 33 ^
					(uint64_t)random() << 11 ^ random();
			/* Half of the keys agree with 'key' under the mask. */
			if (i & 1)
				words(&rk)[w] = (words(&rk)[w] &
						 ~words(&mask)[w]) |
						(words(&key)[w] &
						 words(&mask)[w]);
			if ((words(&rk)[w] & words(&mask)[w]) !=
			    (words(&key)[w] & words(&mask)[w]))
				agrees = false;
		}
		if (agrees) {
			assert_ptr_equal(nfv_mfc_lookup(c, &rk), mf);
			n_hits++;
		} else {
			assert_null(nfv_mfc_lookup(c, &rk));
			n_misses++;
		}
	}
	assert_int_equal(n_hits, 10000);
	assert_int_equal(n_misses, 10000);
	nfv_mfc_destroy(c);
}

static void
test_mfc_empty_mask_matches_every_key(void **state)
{
	struct nfv_flow_key key, mask;
	struct nfv_megaflow *mf;
	struct nfv_mfc *c;

	(void)state;
	c = mfc_new(16);
	memset(&mask, 0, sizeof(mask));
	make_key(&key, 1, 2, 3);
	mf = insert(c, &key, &mask, 1, 0);
	for (uint32_t i = 0; i < 100; i++) {
		make_key(&key, i * 77, i, i);
		key.metadata = i;
		assert_ptr_equal(nfv_mfc_lookup(c, &key), mf);
	}
	nfv_mfc_destroy(c);
}

static void
test_mfc_insert_identical_replaces(void **state)
{
	struct nfv_megaflow *mf, *mf2;
	struct nfv_flow_key k1, k2, k3, mask;
	struct nfv_mfc *c;
	uint32_t gen;

	(void)state;
	c = mfc_new(64);
	mask_dst24(&mask);
	make_key(&k1, 0x0101a8c0, 0x0202000a, 1000);
	make_key(&k2, 0x0909a8c0, 0x0902000a, 2000);    /* same under mask */
	make_key(&k3, 0x0101a8c0, 0x0203000a, 1000);    /* differs under it */
	mf = insert(c, &k1, &mask, 1, 10);
	mf->n_packets = 5;
	gen = mf->gen;

	mf2 = insert(c, &k2, &mask, 2, 20);
	assert_ptr_equal(mf2, mf);
	assert_int_equal(nfv_mfc_count(c), 1);
	assert_int_not_equal(mf->gen, gen);
	assert_int_equal(mf->n_packets, 0);
	assert_int_equal(mf->created_ms, 20);
	assert_ptr_equal(nfv_mfc_lookup(c, &k1), mf);
	assert_int_equal(mf_id(nfv_mfc_lookup(c, &k1)), 2);

	mf2 = insert(c, &k3, &mask, 3, 30);
	assert_ptr_not_equal(mf2, mf);
	assert_int_equal(nfv_mfc_count(c), 2);
	assert_int_equal(nfv_mfc_n_masks(c), 1);
	nfv_mfc_destroy(c);
}

static void
test_mfc_entry_copies_translation(void **state)
{
	const struct nfv_rule *r1 = (const struct nfv_rule *)0x1000;
	const struct nfv_rule *r2 = (const struct nfv_rule *)0x2000;
	struct nfv_flow_key key, mask;
	struct nfv_megaflow *mf;
	struct nfv_mfc *c;

	(void)state;
	c = mfc_new(16);
	make_key(&key, 1, 2, 3);
	mask_src(&mask);
	xlate_init(&xo, &mask, 4);
	xo.n_actions = 3;
	xo.actions[1].type = NFV_ACT_DEC_NW_TTL;
	xo.actions[2].type = NFV_ACT_OUTPUT;
	xo.actions[2].arg.port = NFV_OFPP_CONTROLLER;
	xo.n_pktin = 1;
	xo.pktin[0].action_idx = 2;
	xo.pktin[0].cookie = 0xabcd;
	xo.n_rules = 2;
	xo.rules[0] = r1;
	xo.rules[1] = r2;
	xo.n_versions = 2;
	xo.versions[1].tables[0] = 6;
	xo.versions[1].key.metadata = 99;
	xo.any_change_invalidates = true;
	xo.miss = true;
	mf = nfv_mfc_insert(c, &key, &xo, 1234);
	assert_non_null(mf);

	assert_int_equal(mf->n_actions, 3);
	assert_memory_equal(mf->actions, xo.actions, 3 * sizeof(xo.actions[0]));
	assert_int_equal(mf->n_pktin, 1);
	assert_int_equal(mf->pktin[0].cookie, 0xabcd);
	assert_int_equal(mf->n_rules, 2);
	assert_ptr_equal(mf->rules[0], r1);
	assert_ptr_equal(mf->rules[1], r2);
	assert_int_equal(mf->n_versions, 2);
	assert_int_equal(mf->versions[1].tables[0], 6);
	assert_int_equal(mf->versions[1].key.metadata, 99);
	assert_true(mf->any_change_invalidates);
	assert_true(mf->miss);
	assert_int_equal(mf->n_packets, 0);
	assert_int_equal(mf->n_bytes, 0);
	assert_int_equal(mf->used_ms, 1234);
	assert_int_equal(mf->created_ms, 1234);
	assert_int_equal(mf->dead, 0);
	assert_int_equal(mf->seq & 1, 0);
	nfv_mfc_destroy(c);
}

static void
test_mfc_subtables_created_and_removed(void **state)
{
	struct nfv_megaflow *a, *b, *d;
	struct nfv_flow_key k, m1, m2;
	struct nfv_mfc *c;

	(void)state;
	c = mfc_new(64);
	mask_dst24(&m1);
	mask_src(&m2);
	make_key(&k, 0x0101a8c0, 0x0202000a, 1);
	a = insert(c, &k, &m1, 1, 0);
	make_key(&k, 0x0101a8c0, 0x0203000a, 1);
	b = insert(c, &k, &m1, 2, 0);
	assert_int_equal(nfv_mfc_n_masks(c), 1);
	make_key(&k, 0x0201a8c0, 0x0202000a, 1);
	d = insert(c, &k, &m2, 3, 0);
	assert_int_equal(nfv_mfc_n_masks(c), 2);
	assert_int_equal(nfv_mfc_count(c), 3);

	/* Only under the second mask. */
	make_key(&k, 0x0201a8c0, 0x0204000a, 1);
	assert_ptr_equal(nfv_mfc_lookup(c, &k), d);

	nfv_mfc_remove(c, d);
	assert_false(d->live);
	assert_int_equal(nfv_mfc_n_masks(c), 1);
	assert_null(nfv_mfc_lookup(c, &k));
	make_key(&k, 0x0101a8c0, 0x0202000a, 1);
	assert_ptr_equal(nfv_mfc_lookup(c, &k), a);
	nfv_mfc_remove(c, a);
	assert_int_equal(nfv_mfc_n_masks(c), 1);
	nfv_mfc_remove(c, a);   /* already gone: nothing happens */
	assert_int_equal(nfv_mfc_count(c), 1);
	nfv_mfc_remove(c, b);
	assert_int_equal(nfv_mfc_n_masks(c), 0);
	assert_int_equal(nfv_mfc_count(c), 0);
	assert_null(nfv_mfc_lookup(c, &k));

	a = insert(c, &k, &m2, 4, 0);
	assert_int_equal(nfv_mfc_n_masks(c), 1);
	assert_ptr_equal(nfv_mfc_lookup(c, &k), a);
	nfv_mfc_destroy(c);
}

/* 64 masks fit; the 65th is refused until one goes away. */
static void
test_mfc_too_many_masks_refused(void **state)
{
	struct nfv_megaflow *mfs[64];
	struct nfv_flow_key k, m;
	struct nfv_mfc *c;

	(void)state;
	c = mfc_new(256);
	make_key(&k, 1, 2, 3);
	k.metadata = UINT64_MAX;
	for (unsigned int i = 0; i < 64; i++) {
		memset(&m, 0, sizeof(m));
		m.metadata = 1ull << i;
		mfs[i] = insert(c, &k, &m, i, 0);
	}
	assert_int_equal(nfv_mfc_n_masks(c), 64);
	memset(&m, 0, sizeof(m));
	m.in_port = UINT32_MAX;
	xlate_init(&xo, &m, 100);
	assert_null(nfv_mfc_insert(c, &k, &xo, 0));
	assert_int_equal(nfv_mfc_count(c), 64);

	/* An existing mask still takes new entries. */
	k.metadata = 0;
	memset(&m, 0, sizeof(m));
	m.metadata = 1;
	insert(c, &k, &m, 101, 0);
	assert_int_equal(nfv_mfc_count(c), 65);

	nfv_mfc_remove(c, mfs[10]);
	m.metadata = 0;
	m.in_port = UINT32_MAX;
	insert(c, &k, &m, 102, 0);
	assert_int_equal(nfv_mfc_n_masks(c), 64);
	nfv_mfc_destroy(c);
}

/* A full cache evicts the least recently used of a few candidates: the
 * fresh entries and an old entry that was hit lately survive. */
static void
test_mfc_full_cache_evicts_lru(void **state)
{
	struct nfv_megaflow *hot;
	struct nfv_flow_key k, m;
	unsigned int n_old = 0;
	struct nfv_mfc *c;

	(void)state;
	c = mfc_new(64);
	mask_exact(&m);
	for (uint32_t i = 0; i < 64; i++) {
		make_key(&k, i, 0, 0);
		insert(c, &k, &m, i, i);
	}
	assert_int_equal(nfv_mfc_count(c), 64);
	/* The worker credits a hit on the oldest entry. */
	make_key(&k, 0, 0, 0);
	hot = nfv_mfc_lookup(c, &k);
	assert_non_null(hot);
	hot->used_ms = 1000;
	hot->n_packets++;

	for (uint32_t i = 0; i < 16; i++) {
		make_key(&k, 1000 + i, 0, 0);
		insert(c, &k, &m, 1000 + i, 2000 + i);
		assert_int_equal(nfv_mfc_count(c), 64);
	}
	for (uint32_t i = 0; i < 16; i++) {
		make_key(&k, 1000 + i, 0, 0);
		assert_non_null(nfv_mfc_lookup(c, &k));
	}
	make_key(&k, 0, 0, 0);
	assert_ptr_equal(nfv_mfc_lookup(c, &k), hot);
	for (uint32_t i = 1; i < 64; i++) {
		make_key(&k, i, 0, 0);
		n_old += nfv_mfc_lookup(c, &k) != NULL;
	}
	assert_int_equal(n_old, 63 - 16);
	nfv_mfc_destroy(c);
}

static void
test_mfc_dead_entry_is_miss_and_removed(void **state)
{
	struct nfv_megaflow *mf;
	struct nfv_flow_key k, m;
	struct nfv_mfc *c;

	(void)state;
	c = mfc_new(16);
	mask_src(&m);
	make_key(&k, 1, 2, 3);
	mf = insert(c, &k, &m, 1, 0);
	__atomic_store_n(&mf->dead, 1, __ATOMIC_RELAXED);
	assert_int_equal(nfv_mfc_count(c), 1);
	assert_null(nfv_mfc_lookup(c, &k));
	assert_false(mf->live);
	assert_int_equal(nfv_mfc_count(c), 0);
	assert_int_equal(nfv_mfc_n_masks(c), 0);

	/* A dead entry does not hide a live one under another mask (the
	 * older subtable is searched first). */
	mf = insert(c, &k, &m, 3, 0);
	mask_dst24(&m);
	insert(c, &k, &m, 2, 0);
	__atomic_store_n(&mf->dead, 1, __ATOMIC_RELAXED);
	mf = nfv_mfc_lookup(c, &k);
	assert_non_null(mf);
	assert_int_equal(mf_id(mf), 2);
	assert_int_equal(nfv_mfc_n_masks(c), 1);
	nfv_mfc_destroy(c);
}

static void
test_mfc_sweep_removes_idle_and_dead(void **state)
{
	struct nfv_megaflow *mfs[10];
	struct nfv_flow_key k, m;
	struct nfv_mfc *c;

	(void)state;
	c = mfc_new(32);
	mask_exact(&m);
	for (uint32_t i = 0; i < 10; i++) {
		make_key(&k, i, 0, 0);
		mfs[i] = insert(c, &k, &m, i, i);
	}
	/* Idle for 95 ms at 100: used at 0..5. */
	assert_int_equal(nfv_mfc_sweep(c, 100, 95, 32), 6);
	assert_int_equal(nfv_mfc_count(c), 4);
	for (uint32_t i = 0; i < 10; i++) {
		make_key(&k, i, 0, 0);
		if (i < 6)
			assert_null(nfv_mfc_lookup(c, &k));
		else
			assert_ptr_equal(nfv_mfc_lookup(c, &k), mfs[i]);
	}
	/* A hit keeps an entry: at 102, 6 (hit at 100) stays, 7 goes. */
	mfs[6]->used_ms = 100;
	assert_int_equal(nfv_mfc_sweep(c, 102, 95, 32), 1);
	assert_true(mfs[6]->live);
	assert_false(mfs[7]->live);
	/* Dead goes whatever its age. */
	__atomic_store_n(&mfs[6]->dead, 1, __ATOMIC_RELAXED);
	assert_int_equal(nfv_mfc_sweep(c, 102, UINT64_MAX, 32), 1);
	assert_int_equal(nfv_mfc_count(c), 2);
	nfv_mfc_destroy(c);
}

/* The budget bounds the slots examined, and the next call goes on from
 * where the last one stopped. */
static void
test_mfc_sweep_budget_is_round_robin(void **state)
{
	struct nfv_flow_key k, m;
	struct nfv_mfc *c;

	(void)state;
	c = mfc_new(16);
	mask_exact(&m);
	for (uint32_t i = 0; i < 16; i++) {
		make_key(&k, i, 0, 0);
		insert(c, &k, &m, i, 0);
	}
	assert_int_equal(nfv_mfc_sweep(c, 10, 1, 3), 3);
	assert_int_equal(nfv_mfc_count(c), 13);
	assert_int_equal(nfv_mfc_sweep(c, 10, 1, 3), 3);
	assert_int_equal(nfv_mfc_count(c), 10);
	/* A budget beyond the size looks at each slot once. */
	assert_int_equal(nfv_mfc_sweep(c, 10, 1, 1000), 10);
	assert_int_equal(nfv_mfc_count(c), 0);
	assert_int_equal(nfv_mfc_sweep(c, 10, 1, 1000), 0);
	nfv_mfc_destroy(c);
}

struct visit {
	uint8_t seen[256];
	unsigned int n_seen;
	bool kill_even;
};

static bool
visit_record(void *arg, const struct nfv_megaflow *copy)
{
	struct visit *v = arg;
	uint32_t id = mf_id(copy);

	assert_true(id < 256);
	assert_true(copy->live);
	assert_int_equal(copy->dead, 0);
	v->seen[id]++;
	v->n_seen++;
	return v->kill_even && id % 2 == 0;
}

static void
test_mfc_foreach_sees_exactly_live_entries(void **state)
{
	struct nfv_megaflow *mfs[20];
	struct visit v = { 0 };
	struct nfv_flow_key k, m;
	struct nfv_mfc *c;

	(void)state;
	c = mfc_new(64);
	for (uint32_t i = 0; i < 20; i++) {
		if (i % 3)
			mask_exact(&m);
		else
			mask_src(&m);
		make_key(&k, i, 0, 0);
		mfs[i] = insert(c, &k, &m, i, 0);
	}
	for (uint32_t i = 0; i < 5; i++)
		nfv_mfc_remove(c, mfs[i]);
	for (uint32_t i = 5; i < 8; i++)
		__atomic_store_n(&mfs[i]->dead, 1, __ATOMIC_RELAXED);

	assert_int_equal(nfv_mfc_foreach(c, visit_record, &v), 0);
	assert_int_equal(v.n_seen, 12);
	for (uint32_t i = 0; i < 20; i++)
		assert_int_equal(v.seen[i], i >= 8);
	assert_int_equal(nfv_mfc_count(c), 15);
	nfv_mfc_destroy(c);
}

static void
test_mfc_foreach_kill_makes_misses(void **state)
{
	struct visit v = { .kill_even = true };
	struct nfv_flow_key k, m;
	struct nfv_mfc *c;

	(void)state;
	c = mfc_new(64);
	mask_exact(&m);
	for (uint32_t i = 0; i < 20; i++) {
		make_key(&k, i, 0, 0);
		insert(c, &k, &m, i, 0);
	}
	assert_int_equal(nfv_mfc_foreach(c, visit_record, &v), 10);
	for (uint32_t i = 0; i < 20; i++) {
		make_key(&k, i, 0, 0);
		if (i % 2)
			assert_non_null(nfv_mfc_lookup(c, &k));
		else
			assert_null(nfv_mfc_lookup(c, &k));
	}
	assert_int_equal(nfv_mfc_count(c), 10);

	/* Killed entries are not visited again. */
	memset(&v, 0, sizeof(v));
	assert_int_equal(nfv_mfc_foreach(c, visit_record, &v), 0);
	assert_int_equal(v.n_seen, 10);
	nfv_mfc_destroy(c);
}

static void
test_mfc_gen_changes_on_reuse(void **state)
{
	struct nfv_megaflow *a, *b;
	struct nfv_flow_key k, m;
	struct nfv_mfc *c;
	uint32_t gen;

	(void)state;
	c = mfc_new(4);
	mask_exact(&m);
	make_key(&k, 1, 0, 0);
	a = insert(c, &k, &m, 1, 0);
	gen = a->gen;
	nfv_mfc_remove(c, a);
	make_key(&k, 2, 0, 0);
	b = insert(c, &k, &m, 2, 0);
	assert_ptr_equal(b, a);         /* the freed slot is taken first */
	assert_int_not_equal(b->gen, gen);
	assert_int_equal(b->dead, 0);

	/* Reuse after a kill also resets 'dead'. */
	gen = b->gen;
	__atomic_store_n(&b->dead, 1, __ATOMIC_RELAXED);
	assert_null(nfv_mfc_lookup(c, &k));
	make_key(&k, 3, 0, 0);
	a = insert(c, &k, &m, 3, 0);
	assert_ptr_equal(a, b);
	assert_int_not_equal(a->gen, gen);
	assert_int_equal(a->dead, 0);
	assert_ptr_equal(nfv_mfc_lookup(c, &k), a);
	nfv_mfc_destroy(c);
}

static void
test_mfc_flush_removes_every_entry(void **state)
{
	struct visit v = { 0 };
	struct nfv_flow_key k, m;
	struct nfv_mfc *c;

	(void)state;
	c = mfc_new(64);
	for (uint32_t i = 0; i < 50; i++) {
		if (i % 3 == 0)
			mask_exact(&m);
		else if (i % 3 == 1)
			mask_src(&m);
		else
			mask_dst24(&m);
		make_key(&k, i, i << 8, 0);
		insert(c, &k, &m, i, 0);
	}
	assert_int_equal(nfv_mfc_n_masks(c), 3);
	nfv_mfc_flush(c);
	assert_int_equal(nfv_mfc_count(c), 0);
	assert_int_equal(nfv_mfc_n_masks(c), 0);
	for (uint32_t i = 0; i < 50; i++) {
		make_key(&k, i, i << 8, 0);
		assert_null(nfv_mfc_lookup(c, &k));
	}
	assert_int_equal(nfv_mfc_foreach(c, visit_record, &v), 0);
	assert_int_equal(v.n_seen, 0);
	/* Usable again, to full size. */
	mask_exact(&m);
	for (uint32_t i = 0; i < 64; i++) {
		make_key(&k, i, 0, 0);
		insert(c, &k, &m, i, 0);
	}
	assert_int_equal(nfv_mfc_count(c), 64);
	nfv_mfc_destroy(c);
}

/*
 * Differential test. The model is a list of (mask, masked key, id, entry)
 * kept as the cache should: identical inserts replace, removes and kills
 * delete. Masks come from a pool of random masks over all 16 words (some
 * whole words, some half or scattered bits), key words from four values
 * each, so entries collide and overlap. A lookup must miss exactly when no
 * model entry matches; on a hit it may return any matching entry, and it
 * must be one the model has.
 */
#define MODEL_MAX 300
#define MODEL_MASKS 10

struct model_entry {
	struct nfv_flow_key mask;
	struct nfv_flow_key mkey;
	uint32_t id;
	struct nfv_megaflow *mf;
};

static struct model_entry model[MODEL_MAX];
static unsigned int n_model;
static struct nfv_flow_key model_masks[MODEL_MASKS];

static const uint64_t model_values[4] = {
	0, 0x0123456789abcdefull, UINT64_MAX, 0xdeadbeef00000000ull,
};

static void
model_random_key(struct nfv_flow_key *k)
{
	for (unsigned int w = 0; w < NFV_KEY_WORDS; w++)
		words(k)[w] = model_values[random() % 4] ^ w;
}

static void
model_make_masks(void)
{
	for (unsigned int i = 0; i < MODEL_MASKS; i++) {
		struct nfv_flow_key *m = &model_masks[i];
		bool again;

		do {
			bool nonzero = false;

			for (unsigned int w = 0; w < NFV_KEY_WORDS; w++) {
				unsigned int r = random() % 100;

				words(m)[w] = r < 82 ? 0 :
					      r < 92 ? UINT64_MAX :
					      r < 96 ? 0xffffffff00000000ull :
						       0x00ff00ff00ff00ffull;
				nonzero |= words(m)[w] != 0;
			}
			again = !nonzero;
			for (unsigned int j = 0; j < i; j++)
				if (!memcmp(m, &model_masks[j], sizeof(*m)))
					again = true;
		} while (again);
	}
}

static void
masked(struct nfv_flow_key *out, const struct nfv_flow_key *k,
       const struct nfv_flow_key *m)
{
	for (unsigned int w = 0; w < NFV_KEY_WORDS; w++)
		words(out)[w] = ((const uint64_t *)k)[w] &
				((const uint64_t *)m)[w];
}

static bool
model_entry_matches(const struct model_entry *me,
		    const struct nfv_flow_key *k)
{
	struct nfv_flow_key mk;

	masked(&mk, k, &me->mask);
	return !memcmp(&mk, &me->mkey, sizeof(mk));
}

static void
model_delete(unsigned int i)
{
	model[i] = model[--n_model];
}

static void
model_check_counts(struct nfv_mfc *c, unsigned int n_slots)
{
	unsigned int n_masks = 0;

	/* Sweeping every slot drops the dead entries not yet met. */
	nfv_mfc_sweep(c, 0, UINT64_MAX, n_slots);
	assert_int_equal(nfv_mfc_count(c), n_model);
	for (unsigned int i = 0; i < MODEL_MASKS; i++) {
		for (unsigned int j = 0; j < n_model; j++) {
			if (!memcmp(&model[j].mask, &model_masks[i],
				    sizeof(model_masks[i]))) {
				n_masks++;
				break;
			}
		}
	}
	assert_int_equal(nfv_mfc_n_masks(c), n_masks);
}

static void
model_lookup(struct nfv_mfc *c, const struct nfv_flow_key *k,
	     unsigned int *n_hits)
{
	struct nfv_megaflow *mf = nfv_mfc_lookup(c, k);
	bool any = false, found = false;

	for (unsigned int i = 0; i < n_model; i++) {
		if (!model_entry_matches(&model[i], k))
			continue;
		any = true;
		if (model[i].mf == mf) {
			found = true;
			assert_int_equal(mf_id(mf), model[i].id);
		}
	}
	if (!any) {
		assert_null(mf);
		return;
	}
	assert_non_null(mf);
	assert_true(found);
	assert_true(nfv_match_matches(&mf->match, k));
	(*n_hits)++;
}

static void
test_mfc_matches_model(void **state)
{
	enum { N_SLOTS = 1024 };
	unsigned int n_hits = 0, n_replaced = 0, n_checks = 0;
	uint32_t next_id = 1;
	struct nfv_flow_key k, mk;
	struct nfv_mfc *c;

	(void)state;
	srandom(3);
	n_model = 0;
	model_make_masks();
	c = mfc_new(N_SLOTS);

	for (unsigned int op = 0; op < 300000; op++) {
		unsigned int r = random() % 100, i;
		struct nfv_megaflow *mf;
		const struct nfv_flow_key *m;

		if (r < 30) {                   /* insert */
			m = &model_masks[random() % MODEL_MASKS];
			model_random_key(&k);
			masked(&mk, &k, m);
			for (i = 0; i < n_model; i++)
				if (!memcmp(&model[i].mask, m, sizeof(*m)) &&
				    !memcmp(&model[i].mkey, &mk, sizeof(mk)))
					break;
			if (i == n_model && n_model == MODEL_MAX)
				continue;
			mf = insert(c, &k, m, next_id, op);
			assert_memory_equal(&mf->match.key, &mk, sizeof(mk));
			assert_memory_equal(&mf->match.mask, m, sizeof(*m));
			if (i < n_model) {
				assert_ptr_equal(mf, model[i].mf);
				n_replaced++;
			} else {
				n_model++;
				model[i].mask = *m;
				model[i].mkey = mk;
			}
			model[i].mf = mf;
			model[i].id = next_id++;
		} else if (r < 38) {            /* remove */
			if (!n_model)
				continue;
			i = random() % n_model;
			nfv_mfc_remove(c, model[i].mf);
			assert_false(model[i].mf->live);
			model_delete(i);
		} else if (r < 43) {            /* kill, as foreach would */
			if (!n_model)
				continue;
			i = random() % n_model;
			__atomic_store_n(&model[i].mf->dead, 1,
					 __ATOMIC_RELAXED);
			model_delete(i);
		} else if (r < 45) {
			model_check_counts(c, N_SLOTS);
			n_checks++;
		} else if (r < 70 && n_model) { /* a key some entry matches */
			const struct model_entry *me =
				&model[random() % n_model];

			model_random_key(&k);
			for (unsigned int w = 0; w < NFV_KEY_WORDS; w++)
				words(&k)[w] = (words(&k)[w] &
						~cwords(&me->mask)[w]) |
					       cwords(&me->mkey)[w];
			model_lookup(c, &k, &n_hits);
		} else {                        /* any key */
			model_random_key(&k);
			model_lookup(c, &k, &n_hits);
		}
	}
	model_check_counts(c, N_SLOTS);
	assert_true(n_hits > 50000);
	assert_true(n_replaced > 100);
	assert_true(n_checks > 1000);
	assert_true(n_model > 100);
	nfv_mfc_destroy(c);
}

/*
 * Concurrency smoke test: this thread is the worker (lookups, inserts with
 * eviction, removes, sweeps, hit counters) on a small cache that churns
 * constantly; another thread dumps and kills in a loop. Every entry
 * carries a checksum of its masked key in each of its actions, and as many
 * actions as the checksum says: a copy mixing two entries fails the check.
 */
struct smoke {
	struct nfv_mfc *c;
	bool stop;
	unsigned long n_rounds;
	unsigned long n_visited;
	unsigned long n_killed;
	unsigned long n_bad;
};

static uint32_t
key_sum(const struct nfv_flow_key *k)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (unsigned int w = 0; w < NFV_KEY_WORDS; w++)
		h = (h ^ ((const uint64_t *)k)[w]) * 0x100000001b3ull;
	return (uint32_t)(h ^ h >> 32);
}

static bool
smoke_visit(void *arg, const struct nfv_megaflow *copy)
{
	struct smoke *s = arg;
	uint32_t sum = key_sum(&copy->match.key);
	bool ok = copy->live && !copy->dead &&
		  copy->n_actions == 1 + sum % NFV_XLATE_MAX_ACTIONS &&
		  copy->n_rules == 1 + sum % NFV_XLATE_MAX_RULES &&
		  nfv_match_matches(&copy->match, &copy->match.key);

	for (unsigned int i = 0; ok && i < copy->n_actions; i++)
		ok = copy->actions[i].arg.port == sum;
	for (unsigned int i = 0; ok && i < copy->n_rules; i++)
		ok = (uintptr_t)copy->rules[i] == sum;
	if (!ok)
		s->n_bad++;
	s->n_visited++;
	return sum % 4 == 0;
}

static void *
smoke_reader(void *arg)
{
	struct smoke *s = arg;

	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
		s->n_killed += nfv_mfc_foreach(s->c, smoke_visit, s);
		__atomic_fetch_add(&s->n_rounds, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void
test_mfc_concurrent_foreach_smoke(void **state)
{
	enum { N_KEYS = 1000, N_MASKS = 4 };
	static struct nfv_flow_key keys[N_KEYS];
	struct nfv_flow_key masks[N_MASKS], mk;
	struct smoke s = { 0 };
	unsigned long n_hits = 0;
	pthread_t reader;

	(void)state;
	srandom(4);
	for (unsigned int i = 0; i < N_KEYS; i++)
		for (unsigned int w = 0; w < NFV_KEY_WORDS; w++)
			words(&keys[i])[w] = (uint64_t)random() << 32 |
					     random();
	for (unsigned int i = 0; i < N_MASKS; i++)
		for (unsigned int w = 0; w < NFV_KEY_WORDS; w++)
			words(&masks[i])[w] = random() % 3 ? UINT64_MAX : 0;

	s.c = mfc_new(256);
	assert_int_equal(pthread_create(&reader, NULL, smoke_reader, &s), 0);
	for (uint64_t it = 1; it <= 1000000 ||
	     __atomic_load_n(&s.n_rounds, __ATOMIC_RELAXED) < 100; it++) {
		const struct nfv_flow_key *k = &keys[random() % N_KEYS];
		struct nfv_megaflow *mf = nfv_mfc_lookup(s.c, k);
		uint32_t sum;

		if (mf) {
			assert_true(nfv_match_matches(&mf->match, k));
			mf->n_packets++;
			mf->n_bytes += 64;
			mf->used_ms = it;
			n_hits++;
			if (it % 13 == 0)
				nfv_mfc_remove(s.c, mf);
		} else {
			const struct nfv_flow_key *m =
				&masks[random() % N_MASKS];

			masked(&mk, k, m);
			sum = key_sum(&mk);
			xlate_init(&xo, m, sum);
			xo.n_actions = 1 + sum % NFV_XLATE_MAX_ACTIONS;
			for (unsigned int i = 0; i < xo.n_actions; i++)
				xo.actions[i].arg.port = sum;
			xo.n_rules = 1 + sum % NFV_XLATE_MAX_RULES;
			for (unsigned int i = 0; i < xo.n_rules; i++)
				xo.rules[i] = (const struct nfv_rule *)
					      (uintptr_t)sum;
			assert_non_null(nfv_mfc_insert(s.c, k, &xo, it));
		}
		if (it % 64 == 0)
			nfv_mfc_sweep(s.c, it, 5000, 8);
	}
	__atomic_store_n(&s.stop, true, __ATOMIC_RELEASE);
	assert_int_equal(pthread_join(reader, NULL), 0);

	print_message("smoke: %lu foreach rounds, %lu copies, %lu kills, "
		      "%lu worker hits\n", s.n_rounds, s.n_visited,
		      s.n_killed, n_hits);
	assert_int_equal(s.n_bad, 0);
	assert_true(s.n_visited > 0);
	assert_true(s.n_killed > 0);
	assert_true(n_hits > 0);
	nfv_mfc_destroy(s.c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mfc_create_rejects_bad_sizes),
		cmocka_unit_test(test_mfc_exact_entry_hits_only_its_key),
		cmocka_unit_test(
			test_mfc_wildcard_entry_serves_agreeing_keys),
		cmocka_unit_test(test_mfc_empty_mask_matches_every_key),
		cmocka_unit_test(test_mfc_insert_identical_replaces),
		cmocka_unit_test(test_mfc_entry_copies_translation),
		cmocka_unit_test(test_mfc_subtables_created_and_removed),
		cmocka_unit_test(test_mfc_too_many_masks_refused),
		cmocka_unit_test(test_mfc_full_cache_evicts_lru),
		cmocka_unit_test(test_mfc_dead_entry_is_miss_and_removed),
		cmocka_unit_test(test_mfc_sweep_removes_idle_and_dead),
		cmocka_unit_test(test_mfc_sweep_budget_is_round_robin),
		cmocka_unit_test(test_mfc_foreach_sees_exactly_live_entries),
		cmocka_unit_test(test_mfc_foreach_kill_makes_misses),
		cmocka_unit_test(test_mfc_gen_changes_on_reuse),
		cmocka_unit_test(test_mfc_flush_removes_every_entry),
		cmocka_unit_test(test_mfc_matches_model),
		cmocka_unit_test(test_mfc_concurrent_foreach_smoke),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
