/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the classifier in src/pipeline/cls.c: insert, lookup,
 * remove, replace and find_exact on small hand-made tables; priorities,
 * ties and the megaflow mask (wc) bit by bit; overlap iteration; resizes
 * and memory accounting with many rules; a differential test against a
 * linear scan over random rules that also checks that every wc is sound;
 * and a smoke test of one writer against two concurrent readers with a
 * small epoch scheme standing in for RCU.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cls.h"
#include "nfv_common.h"

/* Keys read as words, whatever their fields' types. */
typedef uint64_t word_t __attribute__((may_alias));

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

/* Match and key builders: host order in, the key's byte order out. */

static void
rule_init(struct nfv_cls_rule *r, uint16_t priority)
{
	memset(r, 0, sizeof(*r));
	r->priority = priority;
}

static void
match_in_port(struct nfv_match *m, uint32_t port)
{
	m->key.in_port = port;
	m->mask.in_port = UINT32_MAX;
}

static void
match_eth_type(struct nfv_match *m, uint16_t type)
{
	m->key.eth_type = htons(type);
	m->mask.eth_type = 0xffff;
}

static void
match_vlan_vid(struct nfv_match *m, uint16_t vid)
{
	m->mask.vlan_tci = htons(NFV_VLAN_PRESENT | NFV_VLAN_VID_MASK);
	m->key.vlan_tci = htons(vid) & m->mask.vlan_tci;
}

static uint32_t
prefix_mask(unsigned int plen)
{
	return plen == 0 ? 0 : htonl(UINT32_MAX << (32 - plen));
}

static void
match_ipv4_dst(struct nfv_match *m, uint32_t addr, unsigned int plen)
{
	m->mask.ipv4_dst = prefix_mask(plen);
	m->key.ipv4_dst = htonl(addr) & m->mask.ipv4_dst;
}

static void
match_ipv4_src(struct nfv_match *m, uint32_t addr, unsigned int plen)
{
	m->mask.ipv4_src = prefix_mask(plen);
	m->key.ipv4_src = htonl(addr) & m->mask.ipv4_src;
}

static void
match_tp_dst(struct nfv_match *m, uint16_t port)
{
	m->key.tp_dst = htons(port);
	m->mask.tp_dst = 0xffff;
}

static struct nfv_flow_key
ip_packet(uint32_t in_port, uint32_t src, uint32_t dst, uint16_t tp_dst)
{
	struct nfv_flow_key k;

	memset(&k, 0, sizeof(k));
	k.in_port = in_port;
	k.eth_type = htons(0x0800);
	k.ip_proto = 17;
	k.ipv4_src = htonl(src);
	k.ipv4_dst = htonl(dst);
	k.tp_src = htons(12345);
	k.tp_dst = htons(tp_dst);
	return k;
}

static bool
key_equal(const struct nfv_flow_key *a, const struct nfv_flow_key *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* Fixture: a classifier whose defer_free counts and frees at once (no
 * concurrent readers in these tests). */

struct fixture {
	struct nfv_cls *cls;
	unsigned int n_deferred;
};

static void
count_and_free(void *arg, void *ptr)
{
	struct fixture *f = arg;

	f->n_deferred++;
	free(ptr);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL || nfv_cls_create(count_and_free, f, &f->cls) < 0) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	nfv_cls_destroy(f->cls);
	free(f);
	return 0;
}

static void
test_cls_empty_table_matches_nothing(void **state)
{
	struct fixture *f = *state;
	struct nfv_flow_key k = ip_packet(1, IP(10, 0, 0, 1), IP(10, 0, 0, 2),
					  80);
	struct nfv_flow_key wc, zero;

	memset(&wc, 0, sizeof(wc));
	memset(&zero, 0, sizeof(zero));
	assert_null(nfv_cls_lookup(f->cls, &k, &wc));
	assert_true(key_equal(&wc, &zero));
	assert_int_equal(nfv_cls_count(f->cls), 0);
	assert_int_equal(nfv_cls_n_subtables(f->cls), 0);
	nfv_cls_destroy(NULL);
}

static void
test_cls_insert_lookup_remove(void **state)
{
	struct fixture *f = *state;
	struct nfv_flow_key k1 = ip_packet(1, 0, 0, 0);
	struct nfv_flow_key k2 = ip_packet(2, 0, 0, 0);
	struct nfv_cls_rule a;

	rule_init(&a, 10);
	match_in_port(&a.match, 1);
	assert_int_equal(nfv_cls_insert(f->cls, &a), 0);
	assert_int_equal(nfv_cls_count(f->cls), 1);
	assert_int_equal(nfv_cls_n_subtables(f->cls), 1);
	assert_ptr_equal(nfv_cls_lookup(f->cls, &k1, NULL), &a);
	assert_null(nfv_cls_lookup(f->cls, &k2, NULL));

	nfv_cls_remove(f->cls, &a);
	assert_null(nfv_cls_lookup(f->cls, &k1, NULL));
	assert_int_equal(nfv_cls_count(f->cls), 0);
	assert_int_equal(nfv_cls_n_subtables(f->cls), 0);
}

static void
test_cls_match_all_rule_matches_everything(void **state)
{
	struct fixture *f = *state;
	struct nfv_flow_key k = ip_packet(7, IP(1, 2, 3, 4), IP(5, 6, 7, 8), 9);
	struct nfv_flow_key wc, zero;
	struct nfv_cls_rule miss, a;

	rule_init(&miss, 0);
	rule_init(&a, 5);
	match_in_port(&a.match, 1);
	assert_int_equal(nfv_cls_insert(f->cls, &miss), 0);
	assert_int_equal(nfv_cls_insert(f->cls, &a), 0);
	memset(&wc, 0, sizeof(wc));
	memset(&zero, 0, sizeof(zero));
	assert_ptr_equal(nfv_cls_lookup(f->cls, &k, &wc), &miss);
	/* Only in_port was consulted: the empty mask adds nothing. */
	zero.in_port = UINT32_MAX;
	assert_true(key_equal(&wc, &zero));
}

static void
test_cls_priority_across_subtables(void **state)
{
	struct fixture *f = *state;
	struct nfv_flow_key k = ip_packet(1, IP(1, 1, 1, 1), IP(10, 1, 2, 3),
					  80);
	struct nfv_cls_rule a, b, c;

	rule_init(&a, 10);
	match_in_port(&a.match, 1);
	rule_init(&b, 20);
	match_eth_type(&b.match, 0x0800);
	match_ipv4_dst(&b.match, IP(10, 0, 0, 0), 8);
	rule_init(&c, 5);
	match_eth_type(&c.match, 0x0800);
	/* Lowest priority first, so insertion order cannot explain it. */
	assert_int_equal(nfv_cls_insert(f->cls, &c), 0);
	assert_int_equal(nfv_cls_insert(f->cls, &a), 0);
	assert_int_equal(nfv_cls_insert(f->cls, &b), 0);
	assert_int_equal(nfv_cls_n_subtables(f->cls), 3);

	assert_ptr_equal(nfv_cls_lookup(f->cls, &k, NULL), &b);
	nfv_cls_remove(f->cls, &b);
	assert_ptr_equal(nfv_cls_lookup(f->cls, &k, NULL), &a);
	nfv_cls_remove(f->cls, &a);
	assert_ptr_equal(nfv_cls_lookup(f->cls, &k, NULL), &c);
	assert_int_equal(nfv_cls_n_subtables(f->cls), 1);
}

static void
test_cls_priority_within_subtable(void **state)
{
	struct fixture *f = *state;
	struct nfv_flow_key k = ip_packet(1, 0, 0, 0);
	struct nfv_cls_rule lo, hi, mid, other;

	rule_init(&lo, 1);
	match_in_port(&lo.match, 1);
	rule_init(&hi, 100);
	match_in_port(&hi.match, 1);
	rule_init(&mid, 50);
	match_in_port(&mid.match, 1);
	rule_init(&other, 200);
	match_in_port(&other.match, 2);

	assert_int_equal(nfv_cls_insert(f->cls, &lo), 0);
	assert_ptr_equal(nfv_cls_lookup(f->cls, &k, NULL), &lo);
	assert_int_equal(nfv_cls_insert(f->cls, &hi), 0);
	assert_int_equal(nfv_cls_insert(f->cls, &other), 0);
	assert_ptr_equal(nfv_cls_lookup(f->cls, &k, NULL), &hi);
	assert_int_equal(nfv_cls_insert(f->cls, &mid), 0);
	assert_ptr_equal(nfv_cls_lookup(f->cls, &k, NULL), &hi);
	assert_int_equal(nfv_cls_n_subtables(f->cls), 1);

	nfv_cls_remove(f->cls, &hi);
	assert_ptr_equal(nfv_cls_lookup(f->cls, &k, NULL), &mid);
	nfv_cls_remove(f->cls, &lo);
	assert_ptr_equal(nfv_cls_lookup(f->cls, &k, NULL), &mid);
	nfv_cls_remove(f->cls, &mid);
	assert_null(nfv_cls_lookup(f->cls, &k, NULL));
	assert_int_equal(nfv_cls_count(f->cls), 1);
}

static void
test_cls_ties_go_to_first_inserted(void **state)
{
	struct fixture *f = *state;
	struct nfv_flow_key k = ip_packet(1, 0, 0, 0);
	struct nfv_cls_rule x, a, b, a2;

	/* The eth_type subtable exists first, so it comes first among
	 * subtables of equal priority; the tie must still go to 'a'. */
	rule_init(&x, 7);
	match_eth_type(&x.match, 0x86dd);
	rule_init(&a, 7);
	match_in_port(&a.match, 1);
	rule_init(&b, 7);
	match_eth_type(&b.match, 0x0800);
	assert_int_equal(nfv_cls_insert(f->cls, &x), 0);
	assert_int_equal(nfv_cls_insert(f->cls, &a), 0);
	assert_int_equal(nfv_cls_insert(f->cls, &b), 0);
	assert_ptr_equal(nfv_cls_lookup(f->cls, &k, NULL), &a);

	/* A replacement keeps its place in the order. */
	rule_init(&a2, 7);
	a2.match = a.match;
	nfv_cls_replace(f->cls, &a, &a2);
	assert_ptr_equal(nfv_cls_lookup(f->cls, &k, NULL), &a2);

	/* Reinserted after 'b', it loses the tie. */
	nfv_cls_remove(f->cls, &a2);
	assert_ptr_equal(nfv_cls_lookup(f->cls, &k, NULL), &b);
	assert_int_equal(nfv_cls_insert(f->cls, &a), 0);
	assert_ptr_equal(nfv_cls_lookup(f->cls, &k, NULL), &b);
}

static void
test_cls_insert_duplicate_returns_eexist(void **state)
{
	struct fixture *f = *state;
	struct nfv_cls_rule a, dup, other_prio, other_mask;

	rule_init(&a, 10);
	match_in_port(&a.match, 1);
	match_ipv4_dst(&a.match, IP(10, 0, 0, 0), 8);
	dup = a;
	other_prio = a;
	other_prio.priority = 11;
	other_mask = a;
	match_ipv4_dst(&other_mask.match, IP(10, 0, 0, 0), 16);

	assert_int_equal(nfv_cls_insert(f->cls, &a), 0);
	assert_int_equal(nfv_cls_insert(f->cls, &dup), -EEXIST);
	assert_int_equal(nfv_cls_count(f->cls), 1);
	assert_int_equal(nfv_cls_insert(f->cls, &other_prio), 0);
	assert_int_equal(nfv_cls_insert(f->cls, &other_mask), 0);
	assert_int_equal(nfv_cls_count(f->cls), 3);
	assert_int_equal(nfv_cls_n_subtables(f->cls), 2);
}

static void
test_cls_replace_swaps_rule_in_place(void **state)
{
	struct fixture *f = *state;
	struct nfv_flow_key k = ip_packet(1, 0, 0, 0);
	struct nfv_cls_rule hi, lo, hi2, lo2;

	rule_init(&hi, 20);
	match_in_port(&hi.match, 1);
	rule_init(&lo, 10);
	match_in_port(&lo.match, 1);
	hi2 = hi;
	lo2 = lo;
	assert_int_equal(nfv_cls_insert(f->cls, &hi), 0);
	assert_int_equal(nfv_cls_insert(f->cls, &lo), 0);

	nfv_cls_replace(f->cls, &hi, &hi2);     /* the head of its key */
	assert_ptr_equal(nfv_cls_lookup(f->cls, &k, NULL), &hi2);
	assert_ptr_equal(nfv_cls_find_exact(f->cls, &hi.match, 20), &hi2);
	nfv_cls_replace(f->cls, &lo, &lo2);     /* below the head */
	assert_ptr_equal(nfv_cls_find_exact(f->cls, &lo.match, 10), &lo2);
	assert_int_equal(nfv_cls_count(f->cls), 2);

	nfv_cls_remove(f->cls, &hi2);
	assert_ptr_equal(nfv_cls_lookup(f->cls, &k, NULL), &lo2);
	nfv_cls_remove(f->cls, &lo2);
	assert_null(nfv_cls_lookup(f->cls, &k, NULL));
	assert_int_equal(nfv_cls_count(f->cls), 0);
	assert_int_equal(nfv_cls_n_subtables(f->cls), 0);
}

static void
test_cls_find_exact_needs_same_match_and_priority(void **state)
{
	struct fixture *f = *state;
	struct nfv_cls_rule a;
	struct nfv_match m;

	rule_init(&a, 10);
	match_eth_type(&a.match, 0x0800);
	match_ipv4_dst(&a.match, IP(10, 1, 0, 0), 16);
	assert_null(nfv_cls_find_exact(f->cls, &a.match, 10));
	assert_int_equal(nfv_cls_insert(f->cls, &a), 0);

	assert_ptr_equal(nfv_cls_find_exact(f->cls, &a.match, 10), &a);
	assert_null(nfv_cls_find_exact(f->cls, &a.match, 11));
	m = a.match;
	match_ipv4_dst(&m, IP(10, 2, 0, 0), 16);
	assert_null(nfv_cls_find_exact(f->cls, &m, 10));
	m = a.match;
	match_ipv4_dst(&m, IP(10, 1, 0, 0), 24);
	assert_null(nfv_cls_find_exact(f->cls, &m, 10));

	nfv_cls_remove(f->cls, &a);
	assert_null(nfv_cls_find_exact(f->cls, &a.match, 10));
}

static void
test_cls_wc_holds_probed_masks_only(void **state)
{
	struct fixture *f = *state;
	struct nfv_flow_key wc, want, k;
	struct nfv_cls_rule a, b, c, c2;

	/* A: in_port + eth_type @100; B: ipv4_dst/24 @50; C: tp_dst @10. */
	rule_init(&a, 100);
	match_in_port(&a.match, 1);
	match_eth_type(&a.match, 0x0800);
	rule_init(&b, 50);
	match_ipv4_dst(&b.match, IP(10, 1, 2, 0), 24);
	rule_init(&c, 10);
	match_tp_dst(&c.match, 80);
	assert_int_equal(nfv_cls_insert(f->cls, &c), 0);
	assert_int_equal(nfv_cls_insert(f->cls, &b), 0);
	assert_int_equal(nfv_cls_insert(f->cls, &a), 0);

	/* Hit in A: B and C cannot win, so their masks stay out. wc is
	 * OR-ed into, not overwritten: metadata stays. */
	k = ip_packet(1, IP(9, 9, 9, 9), IP(10, 1, 2, 3), 80);
	memset(&wc, 0, sizeof(wc));
	wc.metadata = 0xff;
	assert_ptr_equal(nfv_cls_lookup(f->cls, &k, &wc), &a);
	want = a.match.mask;
	want.metadata = 0xff;
	assert_true(key_equal(&wc, &want));

	/* Miss in A, hit in B: C is pruned. */
	k.in_port = 2;
	memset(&wc, 0, sizeof(wc));
	assert_ptr_equal(nfv_cls_lookup(f->cls, &k, &wc), &b);
	memset(&want, 0, sizeof(want));
	want.in_port = UINT32_MAX;
	want.eth_type = 0xffff;
	want.ipv4_dst = prefix_mask(24);
	assert_true(key_equal(&wc, &want));

	/* Miss in A and B: all three. */
	k.ipv4_dst = htonl(IP(11, 0, 0, 1));
	memset(&wc, 0, sizeof(wc));
	assert_ptr_equal(nfv_cls_lookup(f->cls, &k, &wc), &c);
	want.tp_dst = 0xffff;
	assert_true(key_equal(&wc, &want));

	/* A subtable whose best equals the hit's priority is probed: it
	 * could hold an earlier rule of that priority. */
	rule_init(&c2, 50);
	match_tp_dst(&c2.match, 443);
	assert_int_equal(nfv_cls_insert(f->cls, &c2), 0);
	k.ipv4_dst = htonl(IP(10, 1, 2, 3));
	memset(&wc, 0, sizeof(wc));
	assert_ptr_equal(nfv_cls_lookup(f->cls, &k, &wc), &b);
	assert_true(key_equal(&wc, &want));
}

struct visited {
	struct nfv_cls_rule **rules;
	unsigned int n_rules;
	unsigned int seen;      /* bit i: rules[i] was visited */
	unsigned int n_calls;
};

static void
visit(void *arg, struct nfv_cls_rule *r)
{
	struct visited *v = arg;

	v->n_calls++;
	for (unsigned int i = 0; i < v->n_rules; i++)
		if (v->rules[i] == r)
			v->seen |= 1u << i;
}

static unsigned int
overlapping(const struct nfv_cls *c, const struct nfv_match *m,
	    struct nfv_cls_rule **rules, unsigned int n_rules)
{
	struct visited v = { .rules = rules, .n_rules = n_rules };

	nfv_cls_foreach_overlapping(c, m, visit, &v);
	assert_int_equal(v.n_calls, __builtin_popcount(v.seen));
	return v.seen;
}

static void
test_cls_foreach_overlapping_visits_overlapping_rules(void **state)
{
	struct fixture *f = *state;
	struct nfv_cls_rule r[7];
	struct nfv_cls_rule *rules[7];
	struct nfv_match m;

	for (unsigned int i = 0; i < 7; i++) {
		rule_init(&r[i], 10);
		rules[i] = &r[i];
	}
	match_in_port(&r[0].match, 1);
	match_in_port(&r[1].match, 2);
	match_ipv4_dst(&r[2].match, IP(10, 0, 0, 0), 8);
	match_ipv4_dst(&r[3].match, IP(11, 0, 0, 0), 8);
	match_in_port(&r[4].match, 1);
	match_ipv4_dst(&r[4].match, IP(10, 1, 0, 0), 16);
	/* r[5] matches everything; r[6] is r[0] at another priority. */
	r[6].match = r[0].match;
	r[6].priority = 20;
	for (unsigned int i = 0; i < 7; i++)
		assert_int_equal(nfv_cls_insert(f->cls, &r[i]), 0);

	memset(&m, 0, sizeof(m));
	match_in_port(&m, 1);
	assert_int_equal(overlapping(f->cls, &m, rules, 7),
			 1 << 0 | 1 << 2 | 1 << 3 | 1 << 4 | 1 << 5 | 1 << 6);
	match_ipv4_dst(&m, IP(11, 0, 0, 0), 8);
	assert_int_equal(overlapping(f->cls, &m, rules, 7),
			 1 << 0 | 1 << 3 | 1 << 5 | 1 << 6);
	memset(&m, 0, sizeof(m));
	match_ipv4_dst(&m, IP(10, 1, 2, 3), 32);
	assert_int_equal(overlapping(f->cls, &m, rules, 7),
			 1 << 0 | 1 << 1 | 1 << 2 | 1 << 4 | 1 << 5 | 1 << 6);
	memset(&m, 0, sizeof(m));
	assert_int_equal(overlapping(f->cls, &m, rules, 7), 0x7f);
	match_in_port(&m, 3);
	match_ipv4_dst(&m, IP(12, 0, 0, 0), 8);
	assert_int_equal(overlapping(f->cls, &m, rules, 7), 1 << 5);
}

static void
test_cls_resize_keeps_every_rule(void **state)
{
	enum { N = 100000 };
	struct fixture *f = *state;
	struct nfv_cls_rule *r = calloc(N, sizeof(*r));
	struct nfv_flow_key k;

	assert_non_null(r);
	for (unsigned int i = 0; i < N; i++) {
		r[i].priority = 10;
		match_in_port(&r[i].match, 1 + i % 4);
		match_ipv4_dst(&r[i].match, IP(10, 0, 0, 0) + i, 32);
		assert_int_equal(nfv_cls_insert(f->cls, &r[i]), 0);
	}
	assert_int_equal(nfv_cls_count(f->cls), N);
	assert_int_equal(nfv_cls_n_subtables(f->cls), 1);
	/* The slot array grew from 8 to 2^18 slots, retiring each one. */
	assert_true(f->n_deferred >= 15);
	for (unsigned int i = 0; i < N; i++) {
		k = ip_packet(1 + i % 4, 0, IP(10, 0, 0, 0) + i, 0);
		assert_ptr_equal(nfv_cls_lookup(f->cls, &k, NULL), &r[i]);
		k.in_port = 5;
		assert_null(nfv_cls_lookup(f->cls, &k, NULL));
	}
	/* Leave 1 in 16: the array shrinks, and tombstones go with it. */
	for (unsigned int i = 0; i < N; i++)
		if (i % 16 != 0)
			nfv_cls_remove(f->cls, &r[i]);
	for (unsigned int i = 0; i < N; i++) {
		k = ip_packet(1 + i % 4, 0, IP(10, 0, 0, 0) + i, 0);
		if (i % 16 == 0)
			assert_ptr_equal(nfv_cls_lookup(f->cls, &k, NULL),
					 &r[i]);
		else
			assert_null(nfv_cls_lookup(f->cls, &k, NULL));
	}
	for (unsigned int i = 0; i < N; i += 16)
		nfv_cls_remove(f->cls, &r[i]);
	assert_int_equal(nfv_cls_count(f->cls), 0);
	assert_int_equal(nfv_cls_n_subtables(f->cls), 0);
	free(r);
}

static void
test_cls_churn_reuses_tombstones(void **state)
{
	struct fixture *f = *state;
	struct nfv_cls_rule r[64];
	struct nfv_flow_key k;
	size_t mem;

	/* A steady table with insert/remove churn must not grow. */
	for (unsigned int i = 0; i < 32; i++) {
		rule_init(&r[i], 1);
		match_ipv4_dst(&r[i].match, IP(10, 0, 0, 0) + i, 32);
		assert_int_equal(nfv_cls_insert(f->cls, &r[i]), 0);
	}
	mem = 0;
	for (unsigned int round = 0; round < 1100; round++) {
		struct nfv_cls_rule *x = &r[32 + round % 32];

		/* Settled after the first purge of tombstones. */
		if (round == 100)
			mem = nfv_cls_memory(f->cls);

		rule_init(x, 1);
		match_ipv4_dst(&x->match, IP(11, 0, 0, 0) + round, 32);
		assert_int_equal(nfv_cls_insert(f->cls, x), 0);
		k = ip_packet(0, 0, IP(11, 0, 0, 0) + round, 0);
		assert_ptr_equal(nfv_cls_lookup(f->cls, &k, NULL), x);
		nfv_cls_remove(f->cls, x);
		assert_null(nfv_cls_lookup(f->cls, &k, NULL));
	}
	assert_int_equal(nfv_cls_memory(f->cls), mem);
	assert_true(f->n_deferred > 10);        /* purged in place */
	for (unsigned int i = 0; i < 32; i++) {
		k = ip_packet(0, 0, IP(10, 0, 0, 0) + i, 0);
		assert_ptr_equal(nfv_cls_lookup(f->cls, &k, NULL), &r[i]);
	}
}

static void
test_cls_memory_accounting(void **state)
{
	enum { N = 10000 };
	struct fixture *f = *state;
	struct nfv_cls_rule *r = calloc(N, sizeof(*r));
	size_t empty, base, one, full;

	assert_non_null(r);
	empty = nfv_cls_memory(f->cls);
	assert_true(empty > 0 && empty <= 256);
	for (unsigned int i = 0; i < N; i++) {
		r[i].priority = i % 3;
		match_in_port(&r[i].match, 1);
		match_ipv4_dst(&r[i].match, IP(10, 0, 0, 0) + i, 32);
	}
	/* The subtable map stays once created: that is the base. */
	assert_int_equal(nfv_cls_insert(f->cls, &r[0]), 0);
	one = nfv_cls_memory(f->cls);
	nfv_cls_remove(f->cls, &r[0]);
	base = nfv_cls_memory(f->cls);
	assert_true(base > empty && base < one);

	for (unsigned int i = 0; i < N; i++)
		assert_int_equal(nfv_cls_insert(f->cls, &r[i]), 0);
	full = nfv_cls_memory(f->cls);
	/* 12-byte slots, 3/8 to 3/4 full: 16 to 32 bytes per key. */
	assert_true(full - base >= 16 * N && full - base <= 40 * N);
	for (unsigned int i = 0; i < N; i++)
		nfv_cls_remove(f->cls, &r[i]);
	assert_int_equal(nfv_cls_memory(f->cls), base);
	free(r);
}

static void
test_cls_empty_subtable_is_retired(void **state)
{
	struct fixture *f = *state;
	struct nfv_cls_rule a, b;
	unsigned int before;

	rule_init(&a, 1);
	match_in_port(&a.match, 1);
	rule_init(&b, 1);
	match_tp_dst(&b.match, 80);
	assert_int_equal(nfv_cls_insert(f->cls, &a), 0);
	assert_int_equal(nfv_cls_insert(f->cls, &b), 0);
	assert_int_equal(nfv_cls_n_subtables(f->cls), 2);
	before = f->n_deferred;
	nfv_cls_remove(f->cls, &b);
	assert_int_equal(nfv_cls_n_subtables(f->cls), 1);
	/* The old vector, the subtable and its slot array. */
	assert_int_equal(f->n_deferred - before, 3);
	assert_int_equal(nfv_cls_insert(f->cls, &b), 0);
	assert_int_equal(nfv_cls_n_subtables(f->cls), 2);
}

/* Differential test against a linear scan. */

#define DIFF_POOL 40000
#define DIFF_RULES 5000
#define DIFF_PACKETS 10000
#define DIFF_ROUNDS 4

struct drule {
	struct nfv_cls_rule cls;
	uint64_t order;         /* the model's insertion order */
	bool live;
};

static uint64_t rng;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned int
rnd_below(unsigned int n)
{
	return rnd() % n;
}

enum {
	SH_IN_PORT = 1 << 0,
	SH_ETH_TYPE = 1 << 1,
	SH_VLAN = 1 << 2,
	SH_DST = 1 << 3,
	SH_SRC = 1 << 4,
	SH_TP_DST = 1 << 5,
};

static const struct {
	unsigned int fields;
	uint8_t dst_plen;
	uint8_t src_plen;
} shapes[] = {
	{ 0, 0, 0 },
	{ SH_IN_PORT, 0, 0 },
	{ SH_ETH_TYPE, 0, 0 },
	{ SH_IN_PORT | SH_ETH_TYPE, 0, 0 },
	{ SH_IN_PORT | SH_VLAN, 0, 0 },
	{ SH_ETH_TYPE | SH_DST, 8, 0 },
	{ SH_ETH_TYPE | SH_DST, 16, 0 },
	{ SH_ETH_TYPE | SH_DST, 24, 0 },
	{ SH_ETH_TYPE | SH_DST, 32, 0 },
	{ SH_IN_PORT | SH_ETH_TYPE | SH_DST | SH_TP_DST, 24, 0 },
	{ SH_VLAN | SH_ETH_TYPE | SH_SRC, 0, 16 },
	{ SH_ETH_TYPE | SH_SRC | SH_DST | SH_TP_DST, 32, 32 },
	{ SH_ETH_TYPE | SH_TP_DST, 0, 0 },
	{ SH_IN_PORT | SH_ETH_TYPE | SH_SRC | SH_DST, 8, 24 },
};

static uint32_t
random_addr(void)
{
	return IP(10 + rnd_below(2), rnd_below(4), rnd_below(4),
		  rnd_below(4));
}

static void
random_packet(struct nfv_flow_key *k)
{
	static const uint16_t vids[] = { 0, NFV_VLAN_PRESENT | 10,
					 NFV_VLAN_PRESENT | 20 };
	static const uint16_t ports[] = { 53, 80, 443, 8080 };

	memset(k, 0, sizeof(*k));
	k->in_port = 1 + rnd_below(4);
	k->eth_type = htons(rnd_below(4) ? 0x0800 : 0x86dd);
	k->vlan_tci = htons(vids[rnd_below(3)]);
	k->ip_proto = rnd_below(2) ? 6 : 17;
	k->ipv4_src = htonl(random_addr());
	k->ipv4_dst = htonl(random_addr());
	k->tp_src = htons(rnd_below(65536));
	k->tp_dst = htons(ports[rnd_below(4)]);
	k->metadata = rnd();
}

static void
random_rule(struct drule *r)
{
	unsigned int s = rnd_below(NFV_ARRAY_SIZE(shapes));
	struct nfv_flow_key k;

	memset(r, 0, sizeof(*r));
	random_packet(&k);
	r->cls.priority = rnd_below(32);
	if (shapes[s].fields & SH_IN_PORT)
		match_in_port(&r->cls.match, k.in_port);
	if (shapes[s].fields & SH_ETH_TYPE)
		match_eth_type(&r->cls.match, ntohs(k.eth_type));
	if (shapes[s].fields & SH_VLAN)
		match_vlan_vid(&r->cls.match, ntohs(k.vlan_tci));
	if (shapes[s].fields & SH_DST)
		match_ipv4_dst(&r->cls.match, ntohl(k.ipv4_dst),
			       shapes[s].dst_plen);
	if (shapes[s].fields & SH_SRC)
		match_ipv4_src(&r->cls.match, ntohl(k.ipv4_src),
			       shapes[s].src_plen);
	if (shapes[s].fields & SH_TP_DST)
		match_tp_dst(&r->cls.match, ntohs(k.tp_dst));
}

/* A random packet that 'm' matches. */
static void
packet_matching(struct nfv_flow_key *k, const struct nfv_match *m)
{
	word_t *kw = (word_t *)k;
	const word_t *mk = (const word_t *)&m->key;
	const word_t *mm = (const word_t *)&m->mask;

	random_packet(k);
	for (unsigned int i = 0; i < NFV_KEY_WORDS; i++)
		kw[i] = (kw[i] & ~mm[i]) | mk[i];
}

struct diff {
	struct nfv_cls *cls;
	struct drule *pool;
	unsigned int n_used;            /* pool entries handed out */
	struct drule **live;            /* by priority desc, order asc */
	unsigned int n_live;
	uint64_t next_order;
};

static int
drule_cmp(const void *a_, const void *b_)
{
	const struct drule *a = *(const struct drule *const *)a_;
	const struct drule *b = *(const struct drule *const *)b_;

	if (a->cls.priority != b->cls.priority)
		return a->cls.priority > b->cls.priority ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

static void
diff_collect(struct diff *d)
{
	d->n_live = 0;
	for (unsigned int i = 0; i < d->n_used; i++)
		if (d->pool[i].live)
			d->live[d->n_live++] = &d->pool[i];
	qsort(d->live, d->n_live, sizeof(d->live[0]), drule_cmp);
}

static const struct nfv_cls_rule *
model_lookup(const struct diff *d, const struct nfv_flow_key *k)
{
	for (unsigned int i = 0; i < d->n_live; i++)
		if (nfv_match_matches(&d->live[i]->cls.match, k))
			return &d->live[i]->cls;
	return NULL;
}

static void
diff_insert(struct diff *d, unsigned int n)
{
	while (n-- > 0) {
		struct drule *r = &d->pool[d->n_used];
		int ret;

		assert_true(d->n_used < DIFF_POOL);
		random_rule(r);
		ret = nfv_cls_insert(d->cls, &r->cls);
		if (ret == -EEXIST) {
			/* The model must agree that it is a duplicate. */
			assert_non_null(nfv_cls_find_exact(d->cls,
							   &r->cls.match,
							   r->cls.priority));
			continue;
		}
		assert_int_equal(ret, 0);
		r->live = true;
		r->order = d->next_order++;
		d->n_used++;
	}
}

/* Removes about 1 in 4 live rules and replaces about 1 in 4. */
static void
diff_churn(struct diff *d)
{
	diff_collect(d);
	for (unsigned int i = 0; i < d->n_live; i++) {
		struct drule *r = d->live[i], *n;

		switch (rnd_below(4)) {
		case 0:
			nfv_cls_remove(d->cls, &r->cls);
			r->live = false;
			break;
		case 1:
			assert_true(d->n_used < DIFF_POOL);
			n = &d->pool[d->n_used++];
			memset(n, 0, sizeof(*n));
			n->cls.match = r->cls.match;
			n->cls.priority = r->cls.priority;
			nfv_cls_replace(d->cls, &r->cls, &n->cls);
			n->order = r->order;
			n->live = true;
			r->live = false;
			break;
		default:
			break;
		}
	}
}

/* The match of a random live rule (there must be one). */
static const struct nfv_match *
diff_random_match(const struct diff *d)
{
	return &d->live[rnd_below(d->n_live)]->cls.match;
}

static void
diff_check(struct diff *d)
{
	diff_collect(d);
	assert_int_equal(nfv_cls_count(d->cls), d->n_live);
	for (unsigned int i = 0; i < DIFF_PACKETS; i++) {
		struct nfv_flow_key k, wc, other, k2;
		const struct nfv_cls_rule *got, *want;

		if (i % 2 == 0 && d->n_live > 0)
			packet_matching(&k, diff_random_match(d));
		else
			random_packet(&k);
		memset(&wc, 0, sizeof(wc));
		got = nfv_cls_lookup(d->cls, &k, &wc);
		want = model_lookup(d, &k);
		assert_ptr_equal(got, want);

		/* Megaflow soundness: any key that agrees with 'k' on the
		 * bits of 'wc' gets the same answer. */
		for (unsigned int j = 0; j < 2; j++) {
			word_t *kw2 = (word_t *)&k2;
			const word_t *kw = (const word_t *)&k;
			const word_t *ww = (const word_t *)&wc;
			const word_t *ow = (const word_t *)&other;

			if (j == 0 && d->n_live > 0)
				packet_matching(&other, diff_random_match(d));
			else
				random_packet(&other);
			for (unsigned int w = 0; w < NFV_KEY_WORDS; w++)
				kw2[w] = (kw[w] & ww[w]) | (ow[w] & ~ww[w]);
			assert_ptr_equal(model_lookup(d, &k2), got);
			assert_ptr_equal(nfv_cls_lookup(d->cls, &k2, NULL),
					 got);
		}
	}
}

static void
test_cls_matches_linear_scan(void **state)
{
	struct fixture *f = *state;
	struct diff d = { .cls = f->cls };

	rng = 0x9e3779b97f4a7c15ull;
	d.pool = calloc(DIFF_POOL, sizeof(*d.pool));
	d.live = calloc(DIFF_POOL, sizeof(*d.live));
	assert_non_null(d.pool);
	assert_non_null(d.live);

	diff_insert(&d, DIFF_RULES);
	assert_true(nfv_cls_n_subtables(f->cls) > 10);
	diff_check(&d);
	for (unsigned int round = 1; round < DIFF_ROUNDS; round++) {
		diff_churn(&d);
		diff_insert(&d, DIFF_RULES / 5);
		diff_check(&d);
	}
	/* Down to nothing, checking on the way. */
	diff_collect(&d);
	for (unsigned int i = 0; i < d.n_live; i++) {
		nfv_cls_remove(f->cls, &d.live[i]->cls);
		d.live[i]->live = false;
	}
	diff_check(&d);
	assert_int_equal(nfv_cls_n_subtables(f->cls), 0);
	free(d.live);
	free(d.pool);
}

/* Concurrency smoke test: one writer, two readers, and a minimal epoch
 * scheme in place of RCU so that memory really is freed (and reused)
 * while readers run. A reader announces the global epoch it has seen at
 * each quiescent point, between lookups; memory retired in epoch E is
 * freed once every reader has announced an epoch above E. */

#define CC_READERS 2
#define CC_ANCHORS 16
#define CC_OPS 200000
#define CC_MAGIC 0x5eedf00du

struct cc_rule {
	struct nfv_cls_rule cls;
	uint32_t magic;         /* CC_MAGIC until freed */
	int anchor;             /* anchor index, or -1 */
};

struct cc_retired {
	void *ptr;
	uint64_t epoch;
	bool rule;
};

struct cc {
	struct nfv_cls *cls;
	uint64_t epoch;                         /* atomic */
	uint64_t seen[CC_READERS];              /* atomic */
	bool stop;                              /* atomic */
	struct cc_retired *retired;
	unsigned int n_retired;
	unsigned int retired_cap;
	/* Reader results, atomic. */
	uint64_t n_lookups;
	uint64_t n_hits;
	uint64_t n_bad;                 /* wrong or dead rule returned */
	uint64_t n_anchor_lost;         /* an anchor key found nothing */
};

static void
cc_retire(struct cc *cc, void *ptr, bool rule)
{
	if (cc->n_retired == cc->retired_cap) {
		cc->retired_cap = cc->retired_cap ? 2 * cc->retired_cap : 1024;
		cc->retired = realloc(cc->retired,
				      cc->retired_cap * sizeof(*cc->retired));
		assert_non_null(cc->retired);
	}
	cc->retired[cc->n_retired].ptr = ptr;
	cc->retired[cc->n_retired].epoch =
		__atomic_load_n(&cc->epoch, __ATOMIC_RELAXED);
	cc->retired[cc->n_retired].rule = rule;
	cc->n_retired++;
}

static void
cc_free(struct cc_retired *x)
{
	if (x->rule)
		((struct cc_rule *)x->ptr)->magic = 0;
	free(x->ptr);
}

static void
cc_defer_free(void *arg, void *ptr)
{
	cc_retire(arg, ptr, false);
}

/* Ends the current epoch and frees what every reader is past. */
static void
cc_reclaim(struct cc *cc)
{
	uint64_t min = __atomic_add_fetch(&cc->epoch, 1, __ATOMIC_SEQ_CST);
	unsigned int n = 0;

	for (unsigned int i = 0; i < CC_READERS; i++) {
		uint64_t s = __atomic_load_n(&cc->seen[i], __ATOMIC_ACQUIRE);

		if (s < min)
			min = s;
	}
	for (unsigned int i = 0; i < cc->n_retired; i++) {
		if (cc->retired[i].epoch < min)
			cc_free(&cc->retired[i]);
		else
			cc->retired[n++] = cc->retired[i];
	}
	cc->n_retired = n;
}

static struct cc_rule *
cc_rule_new(uint16_t priority, int anchor)
{
	struct cc_rule *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	r->cls.priority = priority;
	r->magic = CC_MAGIC;
	r->anchor = anchor;
	return r;
}

static void
cc_anchor_match(struct nfv_match *m, unsigned int i)
{
	match_in_port(m, 100);
	match_eth_type(m, 0x0800);
	match_ipv4_dst(m, IP(192, 168, 0, i), 32);
}

struct cc_reader {
	struct cc *cc;
	unsigned int id;
	uint64_t rng;
};

static void *
cc_reader_main(void *arg)
{
	struct cc_reader *rd = arg;
	struct cc *cc = rd->cc;
	uint64_t n_lookups = 0, n_hits = 0, n_bad = 0, n_lost = 0;

	while (!__atomic_load_n(&cc->stop, __ATOMIC_ACQUIRE)) {
		for (unsigned int i = 0; i < 64; i++) {
			const struct nfv_cls_rule *r;
			const struct cc_rule *cr;
			struct nfv_flow_key k;
			unsigned int a = UINT32_MAX;
			uint64_t x;

			rd->rng ^= rd->rng << 13;
			rd->rng ^= rd->rng >> 7;
			rd->rng ^= rd->rng << 17;
			x = rd->rng;
			if (x & 1) {
				a = (x >> 8) % CC_ANCHORS;
				k = ip_packet(100, 0, IP(192, 168, 0, a), 0);
			} else {
				k = ip_packet(1 + (x >> 8) % 4, 0,
					      IP(10, 0, (x >> 16) & 7,
						 (x >> 24) & 255), 0);
			}
			r = nfv_cls_lookup(cc->cls, &k, NULL);
			n_lookups++;
			if (r == NULL) {
				n_lost += a != UINT32_MAX;
				continue;
			}
			n_hits++;
			cr = (const struct cc_rule *)r;
			if (cr->magic != CC_MAGIC ||
			    !nfv_match_matches(&r->match, &k) ||
			    (a != UINT32_MAX && cr->anchor != (int)a))
				n_bad++;
		}
		/* Quiescent: no rule or classifier pointer held here. */
		__atomic_store_n(&cc->seen[rd->id],
				 __atomic_load_n(&cc->epoch, __ATOMIC_ACQUIRE),
				 __ATOMIC_RELEASE);
	}
	__atomic_add_fetch(&cc->n_lookups, n_lookups, __ATOMIC_RELAXED);
	__atomic_add_fetch(&cc->n_hits, n_hits, __ATOMIC_RELAXED);
	__atomic_add_fetch(&cc->n_bad, n_bad, __ATOMIC_RELAXED);
	__atomic_add_fetch(&cc->n_anchor_lost, n_lost, __ATOMIC_RELAXED);
	/* Offline for good: never holds anything again. */
	__atomic_store_n(&cc->seen[rd->id], UINT64_MAX, __ATOMIC_RELEASE);
	return NULL;
}

static void
test_cls_concurrent_lookups_see_whole_changes(void **state)
{
	enum { MAX_CHURN = 4096 };
	struct cc_reader readers[CC_READERS];
	pthread_t threads[CC_READERS];
	struct cc_rule *anchors[CC_ANCHORS];
	struct cc_rule **churn = calloc(MAX_CHURN, sizeof(*churn));
	unsigned int n_churn = 0;
	struct cc cc = { 0 };
	const char *env = getenv("CLS_TEST_OPS");
	unsigned int n_ops = env != NULL ? (unsigned int)atoi(env) : CC_OPS;

	(void)state;
	assert_non_null(churn);
	assert_int_equal(nfv_cls_create(cc_defer_free, &cc, &cc.cls), 0);
	for (unsigned int i = 0; i < CC_ANCHORS; i++) {
		anchors[i] = cc_rule_new(1000, i);
		cc_anchor_match(&anchors[i]->cls.match, i);
		assert_int_equal(nfv_cls_insert(cc.cls, &anchors[i]->cls), 0);
	}
	for (unsigned int i = 0; i < CC_READERS; i++) {
		readers[i] = (struct cc_reader){ &cc, i,
						 0x1234567ull * (i + 1) };
		assert_int_equal(pthread_create(&threads[i], NULL,
						cc_reader_main, &readers[i]),
				 0);
	}

	rng = 42;
	for (unsigned int op = 0; op < n_ops; op++) {
		/* Alternate growing and shrinking phases so the slot arrays
		 * of the anchors' subtable grow and shrink under readers. */
		bool grow = (op / 5000) % 2 == 0;
		unsigned int what = rnd_below(8);

		if (what <= 1) {
			unsigned int i = rnd_below(CC_ANCHORS);
			struct cc_rule *n = cc_rule_new(1000, i);

			n->cls.match = anchors[i]->cls.match;
			nfv_cls_replace(cc.cls, &anchors[i]->cls, &n->cls);
			cc_retire(&cc, anchors[i], true);
			anchors[i] = n;
		} else if (what == 2 && n_churn > 0) {
			unsigned int i = rnd_below(n_churn);
			struct cc_rule *n = cc_rule_new(churn[i]->cls.priority,
							-1);

			n->cls.match = churn[i]->cls.match;
			nfv_cls_replace(cc.cls, &churn[i]->cls, &n->cls);
			cc_retire(&cc, churn[i], true);
			churn[i] = n;
		} else if ((grow ? what < 7 : what < 4) &&
			   n_churn < MAX_CHURN) {
			/* Same mask as the anchors (other in_ports), or an
			 * ipv4_dst prefix of random length: subtables come
			 * and go. */
			struct cc_rule *n = cc_rule_new(rnd_below(999), -1);

			if (rnd_below(2)) {
				match_in_port(&n->cls.match,
					      1 + rnd_below(4));
				match_eth_type(&n->cls.match, 0x0800);
				match_ipv4_dst(&n->cls.match,
					       IP(10, 0, rnd_below(8),
						  rnd_below(256)), 32);
			} else {
				match_eth_type(&n->cls.match, 0x0800);
				match_ipv4_dst(&n->cls.match,
					       IP(10, 0, rnd_below(8), 0),
					       8 + rnd_below(25));
			}
			if (nfv_cls_insert(cc.cls, &n->cls) == 0)
				churn[n_churn++] = n;
			else
				free(n);
		} else if (n_churn > 0) {
			unsigned int i = rnd_below(n_churn);

			nfv_cls_remove(cc.cls, &churn[i]->cls);
			cc_retire(&cc, churn[i], true);
			churn[i] = churn[--n_churn];
		}
		cc_reclaim(&cc);
	}
	__atomic_store_n(&cc.stop, true, __ATOMIC_RELEASE);
	for (unsigned int i = 0; i < CC_READERS; i++)
		pthread_join(threads[i], NULL);

	print_message("  %llu lookups, %llu hits, %u subtables at the end\n",
		      (unsigned long long)cc.n_lookups,
		      (unsigned long long)cc.n_hits,
		      nfv_cls_n_subtables(cc.cls));
	assert_true(cc.n_lookups > 0);
	assert_int_equal(cc.n_bad, 0);
	assert_int_equal(cc.n_anchor_lost, 0);

	cc_reclaim(&cc);
	assert_int_equal(cc.n_retired, 0);
	nfv_cls_destroy(cc.cls);
	for (unsigned int i = 0; i < CC_ANCHORS; i++)
		free(anchors[i]);
	for (unsigned int i = 0; i < n_churn; i++)
		free(churn[i]);
	free(churn);
	free(cc.retired);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_cls_empty_table_matches_nothing),
		T(test_cls_insert_lookup_remove),
		T(test_cls_match_all_rule_matches_everything),
		T(test_cls_priority_across_subtables),
		T(test_cls_priority_within_subtable),
		T(test_cls_ties_go_to_first_inserted),
		T(test_cls_insert_duplicate_returns_eexist),
		T(test_cls_replace_swaps_rule_in_place),
		T(test_cls_find_exact_needs_same_match_and_priority),
		T(test_cls_wc_holds_probed_masks_only),
		T(test_cls_foreach_overlapping_visits_overlapping_rules),
		T(test_cls_resize_keeps_every_rule),
		T(test_cls_churn_reuses_tombstones),
		T(test_cls_memory_accounting),
		T(test_cls_empty_subtable_is_retired),
		T(test_cls_matches_linear_scan),
		cmocka_unit_test(test_cls_concurrent_lookups_see_whole_changes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
