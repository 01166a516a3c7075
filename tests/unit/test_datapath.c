/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Differential tests of the datapath: random rule sets and random packets,
 * and the answer of the real thing compared with a naive reference written
 * here.
 *
 * The reference keeps each table as a plain array of flow specs in
 * insertion order; a lookup is a linear scan for the highest priority rule
 * that matches (ties: the earliest inserted, a replaced rule keeping its
 * place), and the walk applies OpenFlow 1.3 instructions from table 0:
 * apply-actions are appended in order and simulated on the key,
 * write-metadata rewrites the metadata, clear/write-actions edit an action
 * set that runs when the walk ends (pop, push, dec_ttl, set_ttl, set_field
 * by field id, group or else output), and a table miss stops the walk
 * without running the action set.
 *
 * The system under test is a fake worker: the real tables (nfv_pipeline,
 * no RCU), one megaflow cache and one EMC, used the way src/pmd/worker.c
 * uses them (EMC, then megaflow cache, then nfv_xlate() and an insert),
 * with the invalidation callback that src/switch.c registers.
 *
 * Properties, each a test: with fixed rules every packet gets the
 * reference answer (EMC hits, megaflow hits and upcalls alike); after
 * random changes and nfv_pipeline_commit() it gets the answer of the rules
 * in force (no stale cache entry), before the commit that of some state
 * since the last one; after a commit every live megaflow gives the
 * reference answer anywhere under its mask; commits keep the megaflows
 * their changes cannot affect. Rare cases have their own tests. The
 * classifier alone is compared with a linear scan in test_cls.c.
 *
 * The seed is fixed and printed; NFV_TEST_SEED=<n> picks another and
 * NFV_TEST_SCALE=<n> multiplies the iteration counts.
 */

#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "emc.h"
#include "flow.h"
#include "flow_key.h"
#include "mfc.h"
#include "table.h"
#include "xlate.h"

#define N_TABLES 5              /* tables used: more than the 4 versions */
#define MAX_RULES 40            /* per table */
#define N_POOL 384              /* recurring packets */
#define MFC_ENTRIES 1024
#define EMC_ENTRIES 1024
#define MAX_BATCH 3             /* changes per commit */
#define ROUNDS 600              /* commits per change test (x scale) */
#define ROUNDS_PER_SET 15       /* commits on one rule set */

/* ---- Randomness, seed and scale ---- */

#define DEFAULT_SEED UINT64_C(20240611)

static uint64_t seed = DEFAULT_SEED;
static unsigned int scale = 1;
static uint64_t rng;

static uint64_t
rnd(void)
{
	/* splitmix64 */
	uint64_t z = (rng += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint32_t
rnd_below(uint32_t n)
{
	return (uint32_t)(rnd() % n);
}

static bool
chance(unsigned int num, unsigned int den)
{
	return rnd_below(den) < num;
}

#define PICK(a) ((a)[rnd_below(NFV_ARRAY_SIZE(a))])

/* Each test starts from its own stream of the same seed. */
static void
reseed(uint64_t test_id)
{
	rng = seed ^ (test_id * UINT64_C(0x2545f4914f6cdd1d));
}

/* ---- Field helpers (values as integers, host order) ---- */

static union nfv_field_value
fv(enum nfv_field_id id, uint64_t x)
{
	union nfv_field_value v;
	unsigned int len = nfv_field_value_len(&nfv_fields[id]);

	memset(&v, 0, sizeof(v));
	for (unsigned int i = 0; i < len && i < 8; i++)
		v.u8[len - 1 - i] = (uint8_t)(x >> (8 * i));
	return v;
}

static uint64_t
fv_int(enum nfv_field_id id, const union nfv_field_value *v)
{
	unsigned int len = nfv_field_value_len(&nfv_fields[id]);
	uint64_t x = 0;

	for (unsigned int i = 0; i < len; i++)
		x = x << 8 | v->u8[i];
	return x;
}

static void
key_set(struct nfv_flow_key *k, enum nfv_field_id id, uint64_t x)
{
	union nfv_field_value v = fv(id, x);

	nfv_field_set(&nfv_fields[id], k, &v);
}

static uint64_t
key_get(const struct nfv_flow_key *k, enum nfv_field_id id)
{
	union nfv_field_value v;

	nfv_field_get(&nfv_fields[id], k, &v);
	return fv_int(id, &v);
}

static void
match_exact(struct nfv_match *m, enum nfv_field_id id, uint64_t x)
{
	union nfv_field_value v = fv(id, x);

	nfv_match_set(m, &nfv_fields[id], &v, NULL);
}

static void
match_masked(struct nfv_match *m, enum nfv_field_id id, uint64_t x,
	     uint64_t mask)
{
	union nfv_field_value v = fv(id, x), mv = fv(id, mask);

	nfv_match_set(m, &nfv_fields[id], &v, &mv);
}

static void
match_clear(struct nfv_match *m, enum nfv_field_id id)
{
	match_masked(m, id, 0, 0);
}

static bool
match_has(const struct nfv_match *m, enum nfv_field_id id)
{
	union nfv_field_value v, mask;

	return nfv_match_get(m, &nfv_fields[id], &v, &mask);
}

static bool
matches_overlap(const struct nfv_match *a, const struct nfv_match *b)
{
	const uint64_t *ak = (const uint64_t *)&a->key;
	const uint64_t *am = (const uint64_t *)&a->mask;
	const uint64_t *bk = (const uint64_t *)&b->key;
	const uint64_t *bm = (const uint64_t *)&b->mask;

	for (unsigned int w = 0; w < NFV_KEY_WORDS; w++)
		if ((ak[w] ^ bk[w]) & am[w] & bm[w])
			return false;
	return true;
}

/* The key 'k' with the bits of 'mask' taken from 'fixed'. */
static void
key_blend(struct nfv_flow_key *k, const struct nfv_flow_key *fixed,
	  const struct nfv_flow_key *mask)
{
	uint64_t *kw = (uint64_t *)k;
	const uint64_t *fw = (const uint64_t *)fixed;
	const uint64_t *mw = (const uint64_t *)mask;

	for (unsigned int w = 0; w < NFV_KEY_WORDS; w++)
		kw[w] = (kw[w] & ~mw[w]) | (fw[w] & mw[w]);
}

/* ---- Value pools: small, so that rules and packets meet often ---- */

static const uint32_t ip_pool[] = {
	0x0a010203, 0x0a010307, 0x0a020009, 0xc0a8010a,
};
static const uint8_t prefix_pool[] = { 8, 16, 24, 32 };
static const uint64_t mac_pool[] = {
	0x020000000001, 0x020000000002, 0x020000000003,
};
static const uint16_t vid_pool[] = { 10, 20, 30 };
static const uint16_t tp_pool[] = { 22, 80, 443 };
static const uint8_t ttl_pool[] = { 0, 1, 63, 64 };
static const uint64_t meta_vals[] = { 0, 1, 2, 0x100, 0x201 };
static const uint64_t meta_masks[] = { 0xff, 0xff00, UINT64_MAX };

/* ---- Random packets ---- */

static void
gen_packet(struct nfv_flow_key *k)
{
	memset(k, 0, sizeof(*k));
	key_set(k, NFV_F_IN_PORT, 1 + rnd_below(4));
	key_set(k, NFV_F_ETH_DST, chance(3, 4) ? PICK(mac_pool) :
			rnd() & UINT64_C(0xfeffffffffff));
	key_set(k, NFV_F_ETH_SRC, 0x020000000100 + rnd_below(4));
	if (chance(1, 2)) {
		uint16_t vid = chance(4, 5) ? PICK(vid_pool) : 40;

		key_set(k, NFV_F_VLAN_VID, NFV_VLAN_PRESENT | vid);
		key_set(k, NFV_F_VLAN_PCP, rnd_below(8));
	}
	if (chance(4, 5)) {
		uint32_t dst = PICK(ip_pool);
		static const uint32_t noise[] = { 0, 0xff, 0xffff, 0xffffff };

		dst ^= (uint32_t)rnd() & PICK(noise);
		key_set(k, NFV_F_ETH_TYPE, 0x0800);
		key_set(k, NFV_F_IPV4_SRC, 0x0a000000 + rnd_below(8));
		key_set(k, NFV_F_IPV4_DST, dst);
		key_set(k, NFV_F_IP_TTL, chance(1, 2) ? 64 : PICK(ttl_pool));
		switch (rnd_below(3)) {
		case 0:
			key_set(k, NFV_F_IP_PROTO, 6);
			key_set(k, NFV_F_TCP_SRC, 1024 + rnd_below(4));
			key_set(k, NFV_F_TCP_DST, chance(3, 4) ?
					PICK(tp_pool) : rnd_below(65536));
			break;
		case 1:
			key_set(k, NFV_F_IP_PROTO, 17);
			key_set(k, NFV_F_UDP_SRC, 1024 + rnd_below(4));
			key_set(k, NFV_F_UDP_DST, chance(1, 2) ? 53 : 443);
			break;
		default:
			key_set(k, NFV_F_IP_PROTO, 1);
			key_set(k, NFV_F_ICMPV4_TYPE, 8);
			break;
		}
	} else if (chance(1, 2)) {
		key_set(k, NFV_F_ETH_TYPE, 0x0806);
		key_set(k, NFV_F_ARP_OP, 1);
		key_set(k, NFV_F_ARP_TPA, PICK(ip_pool));
	} else {
		key_set(k, NFV_F_ETH_TYPE, 0x86dd);
		key_set(k, NFV_F_IP_PROTO, 17);
		key_set(k, NFV_F_IP_TTL, PICK(ttl_pool));
		k->ipv6_dst[0] = 0xfe;
		k->ipv6_dst[15] = (uint8_t)rnd_below(4);
	}
}

/* ---- Random rules ---- */

/* What a rule's match guarantees, i.e. which actions it may carry. */
struct prereqs {
	bool ip;        /* eth_type 0x0800 */
	bool vlan;      /* a VLAN tag is present */
};

/* Which kinds of fields the rules of a table match on. Tables that match
 * on few kinds give narrow megaflows (few bits consulted), which is where
 * mistakes in the megaflow masks and in invalidation show. */
enum {
	SH_PORT = 1 << 0,       /* in_port */
	SH_IP = 1 << 1,         /* eth_type, ipv4_dst prefix, ip_proto, tcp_dst */
	SH_VLAN = 1 << 2,       /* vlan_vid: exact, untagged or any tag */
	SH_MAC = 1 << 3,        /* eth_dst */
	SH_META = 1 << 4,       /* metadata under a mask */
	SH_TTL = 1 << 5,        /* nw_ttl (with an IP eth_type) */
	SH_ALL = (1 << 6) - 1,
};

static unsigned int table_shapes[N_TABLES];
/* Priorities of a table's rules are below this: few priorities make ties
 * and shadowing, many let the classifier stop early (narrower megaflows). */
static unsigned int table_prios[N_TABLES];

static void
gen_table_shapes(void)
{
	for (unsigned int t = 0; t < N_TABLES; t++) {
		table_prios[t] = chance(2, 3) ? 6 : 1000;
		table_shapes[t] = chance(1, 3) ? SH_ALL : 0;
		while (table_shapes[t] == 0)
			table_shapes[t] = (unsigned int)rnd() & SH_ALL &
					  (unsigned int)rnd();
	}
}

static bool
match_is_empty(const struct nfv_match *m)
{
	static const struct nfv_flow_key zero;

	return !memcmp(&m->mask, &zero, sizeof(zero));
}

static void
gen_match_once(struct nfv_match *m, struct prereqs *pr, unsigned int shapes,
	       bool first_table)
{
	memset(m, 0, sizeof(*m));
	memset(pr, 0, sizeof(*pr));
	if ((shapes & SH_PORT) && chance(1, 2))
		match_exact(m, NFV_F_IN_PORT, 1 + rnd_below(4));
	if (!(shapes & SH_IP)) {
		/* nothing */
	} else if (chance(2, 3)) {
		match_exact(m, NFV_F_ETH_TYPE, 0x0800);
		pr->ip = true;
		if (chance(2, 3)) {
			unsigned int len = PICK(prefix_pool);
			uint32_t mask = (uint32_t)(UINT64_C(0xffffffff) <<
						   (32 - len));

			match_masked(m, NFV_F_IPV4_DST, PICK(ip_pool) & mask,
				     mask);
		}
		if (chance(1, 3)) {
			match_exact(m, NFV_F_IP_PROTO, 6);
			if (chance(2, 3))
				match_exact(m, NFV_F_TCP_DST, PICK(tp_pool));
		} else if (chance(1, 6)) {
			match_exact(m, NFV_F_IP_PROTO, 17);
		}
	} else if (chance(1, 6)) {
		match_exact(m, NFV_F_ETH_TYPE, 0x86dd);
	}
	if ((shapes & SH_TTL) && chance(1, 3)) {
		if (!match_has(m, NFV_F_ETH_TYPE)) {
			match_exact(m, NFV_F_ETH_TYPE, 0x0800);
			pr->ip = true;
		}
		match_exact(m, NFV_F_IP_TTL, PICK(ttl_pool));
	}
	switch ((shapes & SH_VLAN) ? rnd_below(5) : 0) {
	case 1:
		match_exact(m, NFV_F_VLAN_VID,
			    NFV_VLAN_PRESENT | PICK(vid_pool));
		pr->vlan = true;
		break;
	case 2:
		match_exact(m, NFV_F_VLAN_VID, 0);     /* untagged */
		break;
	case 3:
		match_masked(m, NFV_F_VLAN_VID, NFV_VLAN_PRESENT,
			     NFV_VLAN_PRESENT);
		pr->vlan = true;
		break;
	default:
		break;
	}
	if ((shapes & SH_MAC) && chance(1, 4))
		match_exact(m, NFV_F_ETH_DST, PICK(mac_pool));
	/* Packets enter with metadata 0: in table 0 a metadata match is a
	 * catch-all in disguise. */
	if ((shapes & SH_META) && chance(1, 3) && !first_table) {
		uint64_t mask = PICK(meta_masks);

		match_masked(m, NFV_F_METADATA, PICK(meta_vals) & mask, mask);
	}
}

/* A random match on the kinds of fields 'shapes', not empty (rules that
 * match everything are made on purpose, as table-miss rules). */
static void
gen_match(struct nfv_match *m, struct prereqs *pr, unsigned int shapes,
	  bool first_table)
{
	if (first_table && shapes == SH_META)
		shapes = SH_ALL;
	do
		gen_match_once(m, pr, shapes, first_table);
	while (match_is_empty(m));
}

static struct nfv_action
act_output(uint32_t port)
{
	struct nfv_action a;

	memset(&a, 0, sizeof(a));
	a.type = NFV_ACT_OUTPUT;
	a.arg.port = port;
	if (port == NFV_OFPP_CONTROLLER)
		a.max_len = 128;
	return a;
}

static struct nfv_action
act_simple(enum nfv_action_type type)
{
	struct nfv_action a;

	memset(&a, 0, sizeof(a));
	a.type = type;
	return a;
}

static struct nfv_action
act_set(enum nfv_field_id id, uint64_t x)
{
	struct nfv_action a = act_simple(NFV_ACT_SET_FIELD);

	a.field = id;
	a.arg.value = fv(id, x);
	return a;
}

/* A random action that the prerequisites 'pr' allow. */
static struct nfv_action
gen_action(const struct prereqs *pr)
{
	struct nfv_action a;

	for (;;) {
		switch (rnd_below(12)) {
		case 0: case 1: case 2: case 3:
			return act_output(1 + rnd_below(4));
		case 4:
			if (chance(1, 3))
				return act_output(NFV_OFPP_CONTROLLER);
			a = act_simple(NFV_ACT_GROUP);
			a.arg.group_id = 1 + rnd_below(3);
			return a;
		case 5:
			return act_set(NFV_F_ETH_DST, PICK(mac_pool));
		case 6:
			if (!pr->ip)
				continue;
			return act_set(NFV_F_IPV4_DST, PICK(ip_pool) ^
				       (chance(1, 2) ? rnd_below(256) : 0));
		case 7:
			if (!pr->vlan)
				continue;
			return act_set(NFV_F_VLAN_VID,
				       NFV_VLAN_PRESENT | PICK(vid_pool));
		case 8:
			a = act_simple(NFV_ACT_PUSH_VLAN);
			a.ethertype = chance(1, 4) ? 0x88a8 : 0x8100;
			return a;
		case 9:
			if (!pr->vlan)
				continue;
			return act_simple(NFV_ACT_POP_VLAN);
		case 10:
			if (!pr->ip)
				continue;
			return act_simple(NFV_ACT_DEC_NW_TTL);
		default:
			if (!pr->ip)
				continue;
			a = act_simple(NFV_ACT_SET_NW_TTL);
			a.arg.ttl = (uint8_t)(1 + rnd_below(64));
			return a;
		}
	}
}

/* Random instructions for a rule of table spec->table_id. */
static void
gen_instructions(struct nfv_flow_spec *s, const struct prereqs *pr)
{
	s->n_actions = rnd_below(4);
	for (unsigned int i = 0; i < s->n_actions; i++)
		s->actions[i] = gen_action(pr);
	s->clear_actions = chance(1, 6);
	/* Repeats are fine: a later action of a kind replaces the earlier
	 * one in the set, on both sides. */
	s->n_write_actions = chance(1, 3) ? 1 + rnd_below(3) : 0;
	for (unsigned int i = 0; i < s->n_write_actions; i++)
		s->write_actions[i] = gen_action(pr);
	s->has_write_actions = s->n_write_actions > 0;
	s->has_write_metadata = chance(1, 4);
	if (s->has_write_metadata) {
		s->write_metadata_mask = PICK(meta_masks);
		s->write_metadata = PICK(meta_vals) & s->write_metadata_mask;
	} else {
		s->write_metadata = 0;
		s->write_metadata_mask = 0;
	}
	s->has_goto = s->table_id + 1 < N_TABLES && chance(2, 3);
	s->goto_table = !s->has_goto ? 0 :
		chance(1, 2) ? (uint8_t)(s->table_id + 1) :
		(uint8_t)(s->table_id + 1 +
			  rnd_below(N_TABLES - 1 - s->table_id));
}

static void
spec_init(struct nfv_flow_spec *s, uint8_t table_id)
{
	nfv_flow_spec_init(s);          /* all bytes: matches are memcmp'd */
	s->table_id = table_id;
	s->has_table = true;
	s->has_priority = true;
	s->has_actions = true;
}

/* A random rule for table 'table_id' that matches on the kinds of fields
 * 'shapes'. */
static void
gen_rule_shaped(struct nfv_flow_spec *s, uint8_t table_id, unsigned int shapes)
{
	struct prereqs pr;

	spec_init(s, table_id);
	s->cookie = rnd_below(1000);
	if (chance(1, 10)) {
		/* A table-miss rule. */
		memset(&pr, 0, sizeof(pr));
		s->priority = 0;
	} else {
		gen_match(&s->match, &pr, shapes, table_id == 0);
		s->priority = (uint16_t)rnd_below(table_prios[table_id]);
	}
	gen_instructions(s, &pr);
}

static void
gen_rule(struct nfv_flow_spec *s, uint8_t table_id)
{
	gen_rule_shaped(s, table_id, table_shapes[table_id]);
}

/* The prerequisites that 'm' guarantees. */
static struct prereqs
prereqs_of(const struct nfv_match *m)
{
	union nfv_field_value v, mask;
	struct prereqs pr = { false, false };

	if (nfv_match_get(m, &nfv_fields[NFV_F_ETH_TYPE], &v, &mask) &&
	    fv_int(NFV_F_ETH_TYPE, &mask) == 0xffff &&
	    fv_int(NFV_F_ETH_TYPE, &v) == 0x0800)
		pr.ip = true;
	if (nfv_match_get(m, &nfv_fields[NFV_F_VLAN_VID], &v, &mask) &&
	    (fv_int(NFV_F_VLAN_VID, &mask) & NFV_VLAN_PRESENT) &&
	    (fv_int(NFV_F_VLAN_VID, &v) & NFV_VLAN_PRESENT))
		pr.vlan = true;
	return pr;
}

/* ---- Results and their comparison ---- */

struct result {
	bool error;
	bool miss;
	unsigned int n_actions;
	struct nfv_action actions[NFV_XLATE_MAX_ACTIONS];
	unsigned int n_pktin;
	struct nfv_pktin_info pktin[NFV_XLATE_MAX_PKTIN];
};

static bool
action_eq(const struct nfv_action *a, const struct nfv_action *b)
{
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case NFV_ACT_OUTPUT:
		return a->arg.port == b->arg.port &&
		       (a->arg.port != NFV_OFPP_CONTROLLER ||
			a->max_len == b->max_len);
	case NFV_ACT_GROUP:
		return a->arg.group_id == b->arg.group_id;
	case NFV_ACT_SET_FIELD:
		return a->field == b->field &&
		       !memcmp(a->arg.value.u8, b->arg.value.u8,
			       nfv_field_value_len(&nfv_fields[a->field]));
	case NFV_ACT_PUSH_VLAN:
		return a->ethertype == b->ethertype;
	case NFV_ACT_SET_NW_TTL:
		return a->arg.ttl == b->arg.ttl;
	case NFV_ACT_POP_VLAN:
	case NFV_ACT_DEC_NW_TTL:
		return true;
	}
	return false;
}

static bool
result_eq(const struct result *a, const struct result *b)
{
	if (a->error || b->error)
		return a->error == b->error;
	if (a->miss != b->miss || a->n_actions != b->n_actions ||
	    a->n_pktin != b->n_pktin)
		return false;
	for (unsigned int i = 0; i < a->n_actions; i++)
		if (!action_eq(&a->actions[i], &b->actions[i]))
			return false;
	for (unsigned int i = 0; i < a->n_pktin; i++) {
		const struct nfv_pktin_info *x = &a->pktin[i];
		const struct nfv_pktin_info *y = &b->pktin[i];

		if (x->action_idx != y->action_idx || x->reason != y->reason ||
		    x->table_id != y->table_id || x->cookie != y->cookie ||
		    x->metadata != y->metadata)
			return false;
	}
	return true;
}

/* Actions as ovs-ofctl prints them, 'n' may exceed a flow's maximum. */
static void
print_actions(FILE *f, const struct nfv_action *a, unsigned int n)
{
	struct nfv_flow_spec spec;
	char buf[NFV_FLOW_STR_MAX];

	nfv_flow_spec_init(&spec);
	do {
		spec.n_actions = n < NFV_FLOW_MAX_ACTIONS ?
				 n : NFV_FLOW_MAX_ACTIONS;
		memcpy(spec.actions, a, spec.n_actions * sizeof(*a));
		nfv_flow_format_actions(&spec, NULL, NULL, buf, sizeof(buf));
		a += spec.n_actions;
		n -= spec.n_actions;
		fprintf(f, "%s%s", buf, n ? "," : "");
	} while (n > 0);
}

static void
print_result(FILE *f, const char *what, const struct result *r)
{
	fprintf(f, "  %s: %s%s", what, r->error ? "ERROR " : "",
		r->miss ? "(miss) " : "");
	print_actions(f, r->actions, r->n_actions);
	for (unsigned int i = 0; i < r->n_pktin; i++)
		fprintf(f, " [pktin idx=%u reason=%u table=%u cookie=%" PRIu64
			" metadata=0x%" PRIx64 "]", r->pktin[i].action_idx,
			r->pktin[i].reason, r->pktin[i].table_id,
			r->pktin[i].cookie, r->pktin[i].metadata);
	fprintf(f, "\n");
}

/* True if the storage of field 'i' is within that of an earlier field,
 * printed instead (udp_dst for tcp_dst, arp_tpa for ipv4_dst, ...). */
static bool
field_is_alias(unsigned int i)
{
	for (unsigned int j = 0; j < i; j++)
		if (nfv_fields[j].offset == nfv_fields[i].offset &&
		    (nfv_fields[j].storage_mask == 0 ||
		     (nfv_fields[i].storage_mask &
		      ~nfv_fields[j].storage_mask) == 0))
			return true;
	return false;
}

/* A key: in_port and its other nonzero fields, as field=0xvalue. */
static void
print_key(FILE *f, const char *what, const struct nfv_flow_key *k)
{
	fprintf(f, "  %s: ", what);
	for (unsigned int i = 0; i < NFV_F_N; i++) {
		const struct nfv_field *fd = &nfv_fields[i];
		unsigned int len = nfv_field_value_len(fd);
		union nfv_field_value v;
		bool zero = true;

		nfv_field_get(fd, k, &v);
		for (unsigned int b = 0; b < len; b++)
			zero &= v.u8[b] == 0;
		if ((zero && i != NFV_F_IN_PORT) || field_is_alias(i))
			continue;
		fprintf(f, "%s%s=0x", i ? "," : "", fd->name);
		for (unsigned int b = 0; b < len; b++)
			fprintf(f, "%02x", v.u8[b]);
	}
	fprintf(f, "\n");
}

/* A rule as ovs-ofctl prints it (a megaflow: its match only). */
static void
print_spec(FILE *f, const struct nfv_flow_spec *s, bool with_actions)
{
	char match[NFV_FLOW_STR_MAX], actions[NFV_FLOW_STR_MAX];

	nfv_flow_format_match(s, NULL, NULL, match, sizeof(match));
	nfv_flow_format_actions(s, NULL, NULL, actions, sizeof(actions));
	fprintf(f, "    table=%u,cookie=%" PRIu64 ",%s", s->table_id,
		s->cookie, match);
	if (with_actions)
		fprintf(f, " actions=%s", actions);
	fprintf(f, "\n");
}

/* ---- The reference pipeline ---- */

struct ref_table {
	unsigned int n;
	struct nfv_flow_spec rules[MAX_RULES];  /* in insertion order */
};

struct ref {
	struct ref_table t[N_TABLES];
};

static void
print_ref(FILE *f, const struct ref *ref)
{
	fprintf(f, "  rules (insertion order):\n");
	for (unsigned int t = 0; t < N_TABLES; t++)
		for (unsigned int i = 0; i < ref->t[t].n; i++)
			print_spec(f, &ref->t[t].rules[i], true);
}

static const struct nfv_flow_spec *
ref_lookup(const struct ref *ref, uint8_t table_id,
	   const struct nfv_flow_key *key)
{
	const struct ref_table *t = &ref->t[table_id];
	const struct nfv_flow_spec *best = NULL;

	for (unsigned int i = 0; i < t->n; i++) {
		const struct nfv_flow_spec *s = &t->rules[i];

		if (nfv_match_matches(&s->match, key) &&
		    (best == NULL || s->priority > best->priority))
			best = s;
	}
	return best;
}

static void
ref_emit(struct result *res, const struct nfv_action *a, uint8_t table_id,
	 const struct nfv_flow_spec *rule, const struct nfv_flow_key *key)
{
	if (res->n_actions == NFV_XLATE_MAX_ACTIONS) {
		res->error = true;
		return;
	}
	if (a->type == NFV_ACT_OUTPUT && a->arg.port == NFV_OFPP_CONTROLLER) {
		struct nfv_pktin_info *pi;

		if (res->n_pktin == NFV_XLATE_MAX_PKTIN) {
			res->error = true;
			return;
		}
		pi = &res->pktin[res->n_pktin++];
		memset(pi, 0, sizeof(*pi));
		pi->action_idx = (uint8_t)res->n_actions;
		/* Table-miss rules send no_match. */
		pi->reason = rule->priority == 0 &&
			     match_is_empty(&rule->match) ?
			     NFV_PKTIN_NO_MATCH : NFV_PKTIN_ACTION;
		pi->table_id = table_id;
		pi->cookie = rule->cookie;
		pi->metadata = key->metadata;
	}
	res->actions[res->n_actions++] = *a;
}

/* What an apply-action does to the key that later tables see. */
static void
ref_apply(struct nfv_flow_key *key, const struct nfv_action *a)
{
	switch (a->type) {
	case NFV_ACT_SET_FIELD:
		nfv_field_set(&nfv_fields[a->field], key, &a->arg.value);
		break;
	case NFV_ACT_PUSH_VLAN:
		/* The new outer tag copies the VID and PCP of the old outer
		 * tag (0 if there was none). */
		key_set(key, NFV_F_VLAN_VID,
			key_get(key, NFV_F_VLAN_VID) | NFV_VLAN_PRESENT);
		break;
	case NFV_ACT_POP_VLAN:
		/* Inner tags are not in the key. */
		key_set(key, NFV_F_VLAN_VID, 0);
		key_set(key, NFV_F_VLAN_PCP, 0);
		break;
	case NFV_ACT_DEC_NW_TTL:
		if (key->ip_ttl > 0)
			key->ip_ttl--;
		break;
	case NFV_ACT_SET_NW_TTL:
		key->ip_ttl = a->arg.ttl;
		break;
	case NFV_ACT_OUTPUT:
	case NFV_ACT_GROUP:
		break;
	}
}

/* The action set: at most one action per kind, set_field per field. */
struct ref_set {
	bool has[NFV_ACT_SET_NW_TTL + 1];
	struct nfv_action a[NFV_ACT_SET_NW_TTL + 1];
	bool has_field[NFV_F_N];
	struct nfv_action field[NFV_F_N];
};

static void
ref_set_write(struct ref_set *set, const struct nfv_action *a)
{
	if (a->type == NFV_ACT_SET_FIELD) {
		set->has_field[a->field] = true;
		set->field[a->field] = *a;
	} else {
		set->has[a->type] = true;
		set->a[a->type] = *a;
	}
}

static void
ref_walk(const struct ref *ref, const struct nfv_flow_key *pkt,
	 struct result *res)
{
	struct nfv_flow_key key = *pkt;
	const struct nfv_flow_spec *r = NULL;
	struct ref_set set;
	uint8_t table_id = 0;

	memset(res, 0, sizeof(*res));
	memset(&set, 0, sizeof(set));
	for (;;) {
		r = ref_lookup(ref, table_id, &key);
		if (r == NULL) {
			/* Table miss: stop, the action set is not run. */
			res->miss = true;
			goto out;
		}
		for (unsigned int i = 0; i < r->n_actions; i++) {
			ref_emit(res, &r->actions[i], table_id, r, &key);
			ref_apply(&key, &r->actions[i]);
		}
		if (r->clear_actions)
			memset(&set, 0, sizeof(set));
		for (unsigned int i = 0; i < r->n_write_actions; i++)
			ref_set_write(&set, &r->write_actions[i]);
		if (r->has_write_metadata)
			key.metadata = (key.metadata & ~r->write_metadata_mask) |
				       (r->write_metadata &
					r->write_metadata_mask);
		if (!r->has_goto)
			break;
		table_id = r->goto_table;
	}
	/* The action set, in the order of OpenFlow 1.3 section 5.10. */
	{
		static const enum nfv_action_type order[] = {
			NFV_ACT_POP_VLAN, NFV_ACT_PUSH_VLAN,
			NFV_ACT_DEC_NW_TTL, NFV_ACT_SET_NW_TTL,
		};

		for (unsigned int i = 0; i < NFV_ARRAY_SIZE(order); i++)
			if (set.has[order[i]])
				ref_emit(res, &set.a[order[i]], table_id, r,
					 &key);
		for (unsigned int f = 0; f < NFV_F_N; f++)
			if (set.has_field[f])
				ref_emit(res, &set.field[f], table_id, r, &key);
		if (set.has[NFV_ACT_GROUP])
			ref_emit(res, &set.a[NFV_ACT_GROUP], table_id, r, &key);
		else if (set.has[NFV_ACT_OUTPUT])
			ref_emit(res, &set.a[NFV_ACT_OUTPUT], table_id, r,
				 &key);
	}
out:
	if (res->error) {
		res->n_actions = 0;
		res->n_pktin = 0;
	}
}

static int
ref_find_exact(const struct ref_table *t, const struct nfv_flow_spec *s)
{
	for (unsigned int i = 0; i < t->n; i++)
		if (t->rules[i].priority == s->priority &&
		    !memcmp(&t->rules[i].match, &s->match, sizeof(s->match)))
			return (int)i;
	return -1;
}

/* OpenFlow 1.3 add (6.4): an identical rule (same match and priority)
 * is replaced in place; with check_overlap, any rule of its priority that
 * overlaps it, identical ones included, refuses it. */
static int
ref_add(struct ref *ref, const struct nfv_flow_spec *s)
{
	struct ref_table *t = &ref->t[s->table_id];
	int i = ref_find_exact(t, s);

	if (i >= 0 && (s->flags & NFV_FF_CHECK_OVERLAP))
		return -EEXIST;
	if (i >= 0) {
		t->rules[i] = *s;       /* keeps its place */
		return 0;
	}
	if (s->flags & NFV_FF_CHECK_OVERLAP)
		for (unsigned int j = 0; j < t->n; j++)
			if (t->rules[j].priority == s->priority &&
			    matches_overlap(&t->rules[j].match, &s->match))
				return -EEXIST;
	assert_true(t->n < MAX_RULES);
	t->rules[t->n++] = *s;
	return 0;
}

/* Does filter 'f' select rule 'r' (table already checked)? */
static bool
ref_selects(const struct nfv_flow_spec *f, const struct nfv_flow_spec *r,
	    bool strict)
{
	const uint8_t *fk = (const uint8_t *)&f->match.key;
	const uint8_t *fm = (const uint8_t *)&f->match.mask;
	const uint8_t *rk = (const uint8_t *)&r->match.key;
	const uint8_t *rm = (const uint8_t *)&r->match.mask;

	if ((f->cookie ^ r->cookie) & f->cookie_mask)
		return false;
	if (strict)
		return f->priority == r->priority &&
		       !memcmp(&f->match, &r->match, sizeof(f->match));
	/* Every bit the filter matches, the rule matches with that value. */
	for (unsigned int b = 0; b < sizeof(struct nfv_flow_key); b++)
		if ((rm[b] & fm[b]) != fm[b] || ((rk[b] ^ fk[b]) & fm[b]))
			return false;
	return true;
}

static unsigned int
ref_modify(struct ref *ref, const struct nfv_flow_spec *f, bool strict)
{
	struct ref_table *t = &ref->t[f->table_id];
	unsigned int n = 0;

	for (unsigned int i = 0; i < t->n; i++) {
		struct nfv_flow_spec *r = &t->rules[i];

		if (!ref_selects(f, r, strict))
			continue;
		/* Instructions only: match, priority, cookie, timeouts and
		 * flags stay. */
		r->n_actions = f->n_actions;
		memcpy(r->actions, f->actions, sizeof(r->actions));
		r->n_write_actions = f->n_write_actions;
		memcpy(r->write_actions, f->write_actions,
		       sizeof(r->write_actions));
		r->has_write_actions = f->has_write_actions;
		r->clear_actions = f->clear_actions;
		r->has_write_metadata = f->has_write_metadata;
		r->write_metadata = f->write_metadata;
		r->write_metadata_mask = f->write_metadata_mask;
		r->has_goto = f->has_goto;
		r->goto_table = f->goto_table;
		n++;
	}
	return n;
}

static unsigned int
ref_del(struct ref *ref, const struct nfv_flow_spec *f, bool strict)
{
	struct ref_table *t = &ref->t[f->table_id];
	unsigned int n = 0, j = 0;

	for (unsigned int i = 0; i < t->n; i++) {
		if (ref_selects(f, &t->rules[i], strict)) {
			n++;
			continue;
		}
		if (j != i)
			t->rules[j] = t->rules[i];
		j++;
	}
	t->n = j;
	return n;
}

/* ---- The system under test: a fake worker ---- */

struct sut {
	struct nfv_pipeline *p;
	struct nfv_mfc *mfc;
	struct nfv_emc *emc;
	struct nfv_xlate_out x;
	uint64_t now_ms;
	/* Paths taken. */
	uint64_t n_packets;
	uint64_t n_fast;        /* found from in_port alone */
	uint64_t n_emc_hits;
	uint64_t n_mfc_hits;
	uint64_t n_upcalls;
	uint64_t n_uncached;    /* nfv_mfc_insert() gave NULL */
	uint64_t n_errors;      /* translation errors */
	/* Invalidation, summed over commits. */
	uint64_t n_commits;
	uint64_t n_inval_calls;
	uint64_t n_inval_all;
	uint64_t n_visited;
	uint64_t n_killed;
	uint64_t n_commits_with_survivors;
	uint64_t n_commits_with_kills;
	uint64_t n_any_change;  /* megaflows seen with any_change_invalidates */
	/* Of the commit in progress. */
	uint64_t cur_visited;
	const struct nfv_table_change *cur_changes;
	unsigned int cur_n_changes;
	bool cur_all;
	struct nfv_megaflow *last_mf;   /* of the last packet, if cached */
};

static bool
inval_visit(void *arg, const struct nfv_megaflow *mf)
{
	struct sut *s = arg;

	s->cur_visited++;
	if (mf->any_change_invalidates)
		s->n_any_change++;
	if (s->cur_all)
		return true;
	for (unsigned int i = 0; i < s->cur_n_changes; i++)
		if (nfv_xlate_affected(mf->versions, mf->n_versions,
				       mf->any_change_invalidates,
				       s->cur_changes[i].table_id,
				       &s->cur_changes[i].match))
			return true;
	return false;
}

/* What src/switch.c's invalidate() does, for our one worker. */
static void
sut_invalidate(void *arg, const struct nfv_table_change *changes,
	       unsigned int n_changes, bool all)
{
	struct sut *s = arg;
	unsigned int killed;

	s->n_inval_calls++;
	s->n_inval_all += all;
	s->cur_visited = 0;
	s->cur_changes = changes;
	s->cur_n_changes = n_changes;
	s->cur_all = all;
	killed = nfv_mfc_foreach(s->mfc, inval_visit, s);
	s->n_visited += s->cur_visited;
	s->n_killed += killed;
	if (killed)
		s->n_commits_with_kills++;
	if (s->cur_visited > killed)
		s->n_commits_with_survivors++;
}

/* Empty tables and caches. */
static void
sut_open(struct sut *s)
{
	assert_int_equal(nfv_pipeline_create(1, NULL, &s->p), 0);
	assert_int_equal(nfv_mfc_create(MFC_ENTRIES, &s->mfc), 0);
	/* Insert every miss: the adaptive policy is test_emc's business. */
	assert_int_equal(nfv_emc_create(EMC_ENTRIES, 1, &s->emc), 0);
	nfv_pipeline_set_callbacks(s->p, sut_invalidate, NULL, s);
}

static void
sut_destroy(struct sut *s)
{
	nfv_pipeline_destroy(s->p);
	nfv_mfc_destroy(s->mfc);
	nfv_emc_destroy(s->emc);
}

static void
sut_create(struct sut *s)
{
	memset(s, 0, sizeof(*s));
	s->now_ms = 1000;
	sut_open(s);
}

/* A new start; the counters go on. */
static void
sut_reset(struct sut *s)
{
	sut_destroy(s);
	sut_open(s);
}

static void
sut_commit(struct sut *s)
{
	s->n_commits++;
	nfv_pipeline_commit(s->p);
}

static void
result_from_mf(const struct nfv_megaflow *mf, struct result *res)
{
	memset(res, 0, sizeof(*res));
	res->miss = mf->miss;
	res->n_actions = mf->n_actions;
	memcpy(res->actions, mf->actions,
	       mf->n_actions * sizeof(mf->actions[0]));
	res->n_pktin = mf->n_pktin;
	memcpy(res->pktin, mf->pktin, mf->n_pktin * sizeof(mf->pktin[0]));
}

static void
result_from_xlate(const struct nfv_xlate_out *x, struct result *res)
{
	memset(res, 0, sizeof(*res));
	res->error = x->error;
	res->miss = x->miss;
	res->n_actions = x->n_actions;
	memcpy(res->actions, x->actions, x->n_actions * sizeof(x->actions[0]));
	res->n_pktin = x->n_pktin;
	memcpy(res->pktin, x->pktin, x->n_pktin * sizeof(x->pktin[0]));
}

/* The worker's burst fast path: while no cached megaflow looks at more
 * than in_port, the megaflow is found from in_port alone, without parsing
 * (the worker takes it for single outputs only; any answer must do). */
static struct nfv_megaflow *
in_port_only_lookup(struct sut *s, const struct nfv_flow_key *key)
{
	const uint64_t *u = (const uint64_t *)nfv_mfc_mask_union(s->mfc);
	struct nfv_flow_key port_key;

	for (unsigned int w = 0; w < NFV_KEY_WORDS; w++)
		if (u[w] & ~(w == 1 ? (uint64_t)UINT32_MAX : 0))
			return NULL;
	if ((uint32_t)u[1] == 0)
		return NULL;
	memset(&port_key, 0, sizeof(port_key));
	port_key.in_port = key->in_port;
	return nfv_mfc_lookup(s->mfc, &port_key);
}

/* One packet through the in_port-only path, the EMC, the megaflow cache
 * and, on a miss, the tables, as src/pmd/worker.c does it. */
static void
sut_classify(struct sut *s, const struct nfv_flow_key *key, struct result *res)
{
	uint32_t hash = nfv_key_hash(key);
	struct nfv_megaflow *mf;

	s->n_packets++;
	s->now_ms++;
	s->last_mf = NULL;
	mf = in_port_only_lookup(s, key);
	if (mf != NULL) {
		s->n_fast++;
	} else if ((mf = nfv_emc_lookup(s->emc, key, hash)) != NULL) {
		s->n_emc_hits++;
	} else {
		mf = nfv_mfc_lookup(s->mfc, key);
		if (mf != NULL) {
			s->n_mfc_hits++;
			nfv_emc_insert(s->emc, key, hash, mf);
		} else {
			s->n_upcalls++;
			nfv_xlate(s->p, key, 0, &s->x);
			if (s->x.error) {
				s->n_errors++;
				result_from_xlate(&s->x, res);
				return;
			}
			mf = nfv_mfc_insert(s->mfc, key, &s->x, s->now_ms);
			if (mf == NULL) {
				/* Too many masks: mfc.h says the caller
				 * forwards from the translation. */
				s->n_uncached++;
				result_from_xlate(&s->x, res);
				return;
			}
			nfv_emc_insert(s->emc, key, hash, mf);
		}
	}
	assert_true(mf->live && !mf->dead);
	assert_true(nfv_match_matches(&mf->match, key));
	result_from_mf(mf, res);
	s->last_mf = mf;
}

/* After the answer was checked: what the worker does next with the
 * megaflow. Crediting its rules is a use after free (visible under ASan)
 * if it outlived one of them. */
static void
sut_credit(struct sut *s)
{
	struct nfv_megaflow *mf = s->last_mf;

	if (mf != NULL) {
		mf->n_packets++;
		mf->used_ms = s->now_ms;
		for (unsigned int r = 0; r < mf->n_rules; r++)
			nfv_rule_stats_add(mf->rules[r], 0, 1, 64);
	}
	if ((s->n_packets & 63) == 0)
		nfv_mfc_sweep(s->mfc, s->now_ms, UINT64_MAX, 64);
}

/* ---- Rule sets: the same change on both sides ---- */

static void
both_add(struct sut *s, struct ref *ref, const struct nfv_flow_spec *spec)
{
	int want = ref_add(ref, spec);

	assert_int_equal(nfv_pipeline_add(s->p, spec), want);
}

static void
populate(struct sut *s, struct ref *ref)
{
	memset(ref, 0, sizeof(*ref));
	gen_table_shapes();
	for (uint8_t t = 0; t < N_TABLES; t++) {
		unsigned int n = 1 + rnd_below(12);

		for (unsigned int i = 0; i < n; i++) {
			struct nfv_flow_spec spec;

			gen_rule(&spec, t);
			both_add(s, ref, &spec);
		}
	}
	sut_commit(s);
}

static void
check_rule_counts(const struct sut *s, const struct ref *ref)
{
	for (unsigned int t = 0; t < N_TABLES; t++)
		assert_int_equal(nfv_pipeline_n_rules(s->p, (int)t),
				 ref->t[t].n);
}

/* A filter that selects 'r' non-strictly: its match with some fields
 * dropped. */
static void
gen_loose_filter(struct nfv_flow_spec *f, const struct nfv_flow_spec *r)
{
	static const enum nfv_field_id fields[] = {
		NFV_F_IN_PORT, NFV_F_METADATA, NFV_F_ETH_DST, NFV_F_VLAN_VID,
		NFV_F_IPV4_DST, NFV_F_TCP_DST,
	};
	enum nfv_field_id drop = PICK(fields);

	spec_init(f, r->table_id);
	f->match = r->match;
	/* One field fewer (with what depends on it): a filter that selects
	 * 'r' and maybe some of its neighbours, rarely the whole table. */
	match_clear(&f->match, drop);
	if (drop == NFV_F_IPV4_DST && chance(1, 2) &&
	    !match_has(&f->match, NFV_F_IP_PROTO)) {
		match_clear(&f->match, NFV_F_ETH_TYPE);
	} else if (drop == NFV_F_TCP_DST && chance(1, 2)) {
		match_clear(&f->match, NFV_F_IP_PROTO);
	}
	if (chance(1, 5)) {
		f->cookie = r->cookie;
		f->cookie_mask = UINT64_MAX;
	}
}

static const struct nfv_flow_spec *
random_rule(const struct ref *ref)
{
	unsigned int total = 0, k;

	for (unsigned int t = 0; t < N_TABLES; t++)
		total += ref->t[t].n;
	if (total == 0)
		return NULL;
	k = rnd_below(total);
	for (unsigned int t = 0; t < N_TABLES; t++) {
		if (k < ref->t[t].n)
			return &ref->t[t].rules[k];
		k -= ref->t[t].n;
	}
	return NULL;
}

struct change_stats {
	unsigned int n[8];
	unsigned int n_eexist;
};

static const char *const change_names[] = {
	"add", "add_check_overlap", "add_replace", "del_strict",
	"modify_strict", "del_loose", "modify_loose", "missing_strict",
};

/* One random change, made to both sides. */
static void
random_change(struct sut *s, struct ref *ref, struct change_stats *cs)
{
	const struct nfv_flow_spec *victim = random_rule(ref);
	struct nfv_flow_spec spec;
	unsigned int kind = rnd_below(8), want;
	uint8_t t = (uint8_t)rnd_below(N_TABLES);
	bool strict;

	if (kind <= 1 && ref->t[t].n >= MAX_RULES - 1)
		kind = 3;       /* table full: make room instead */
	if (victim == NULL)
		kind = 0;
	strict = kind == 3 || kind == 4;
	cs->n[kind]++;
	switch (kind) {
	case 0:         /* add a new (or identical: replacing) rule */
	case 1: {       /* add with check_overlap */
		int ret;

		/* Now and then a kind of field new to the table: a new
		 * subtable, and a bit that megaflows did not consult. */
		gen_rule_shaped(&spec, t, table_shapes[t] |
				(chance(1, 2) ? 1u << rnd_below(6) : 0));
		if (kind == 1)
			spec.flags |= NFV_FF_CHECK_OVERLAP;
		ret = ref_add(ref, &spec);
		cs->n_eexist += ret == -EEXIST;
		assert_int_equal(nfv_pipeline_add(s->p, &spec), ret);
		break;
	}
	case 2: {       /* add over an existing rule: same match+priority */
		struct prereqs pr = prereqs_of(&victim->match);

		spec = *victim;
		spec.cookie = rnd_below(1000);
		gen_instructions(&spec, &pr);
		both_add(s, ref, &spec);
		break;
	}
	case 3:         /* delete strict */
	case 4:         /* modify strict */
	case 5:         /* delete non-strict */
	case 6: {       /* modify non-strict: prerequisite-free actions */
		struct prereqs pr = { false, false };

		if (strict) {
			spec_init(&spec, victim->table_id);
			spec.priority = victim->priority;
			spec.match = victim->match;
			pr = prereqs_of(&victim->match);
			if (chance(1, 4)) {
				spec.cookie = victim->cookie;
				spec.cookie_mask = UINT64_MAX;
			}
		} else {
			gen_loose_filter(&spec, victim);
		}
		if (kind == 4 || kind == 6) {
			gen_instructions(&spec, &pr);
			want = ref_modify(ref, &spec, strict);
			assert_int_equal(nfv_pipeline_modify(s->p, &spec,
							     strict),
					 (int)want);
		} else {
			want = ref_del(ref, &spec, strict);
			assert_int_equal(nfv_pipeline_del(s->p, &spec, strict),
					 want);
		}
		assert_true(strict ? want == 1 : want >= 1);
		break;
	}
	default:        /* strict delete / modify of a rule that is not
			 * there: nothing happens */
		spec = *victim;
		spec.priority = (uint16_t)(50000 + rnd_below(1000));
		assert_int_equal(ref_del(ref, &spec, true), 0);
		assert_int_equal(nfv_pipeline_del(s->p, &spec, true), 0);
		assert_int_equal(nfv_pipeline_modify(s->p, &spec, true), 0);
		break;
	}
	check_rule_counts(s, ref);
}

/* ---- Checking ---- */

static void
report_mismatch(const char *what, const struct ref *ref,
		const struct nfv_flow_key *key, const struct result *want,
		const struct result *got)
{
	fprintf(stderr, "MISMATCH (%s), seed=%" PRIu64 "\n", what, seed);
	print_key(stderr, "packet", key);
	print_result(stderr, "reference", want);
	print_result(stderr, "datapath ", got);
	print_ref(stderr, ref);
}

/* Classifies 'key' and checks the answer against 'ref'. */
static void
check_packet(struct sut *s, const struct ref *ref,
	     const struct nfv_flow_key *key, const char *what)
{
	struct result want, got;

	sut_classify(s, key, &got);
	ref_walk(ref, key, &want);
	if (!result_eq(&want, &got)) {
		report_mismatch(what, ref, key, &want, &got);
		fail_msg("datapath differs from the reference (%s)", what);
	}
	sut_credit(s);
}

/* Between a change and its commit: the answer of one of 'states'. */
static void
check_packet_any(struct sut *s, struct ref *const *states,
		 unsigned int n_states, const struct nfv_flow_key *key)
{
	struct result want, got;

	sut_classify(s, key, &got);
	for (unsigned int i = 0; i < n_states; i++) {
		ref_walk(states[i], key, &want);
		if (result_eq(&want, &got)) {
			sut_credit(s);
			return;
		}
	}
	for (unsigned int i = 0; i < n_states; i++) {
		ref_walk(states[i], key, &want);
		fprintf(stderr, "state %u of %u:\n", i, n_states);
		report_mismatch("before commit", states[i], key, &want, &got);
	}
	fail_msg("datapath gave the answer of no state since the last commit");
}

struct audit {
	const struct ref *ref;
	unsigned int per_megaflow;
	uint64_t n_megaflows;
	uint64_t n_points;
	bool failed;
};

/* Every key under a live megaflow's mask must get its answer. */
static bool
audit_visit(void *arg, const struct nfv_megaflow *mf)
{
	struct audit *a = arg;
	struct result want, got;

	if (a->failed)
		return false;
	a->n_megaflows++;
	result_from_mf(mf, &got);
	for (unsigned int i = 0; i <= a->per_megaflow; i++) {
		struct nfv_flow_key k;

		if (i == 0)
			memset(&k, 0, sizeof(k));
		else
			gen_packet(&k);
		key_blend(&k, &mf->match.key, &mf->match.mask);
		a->n_points++;
		ref_walk(a->ref, &k, &want);
		if (!result_eq(&want, &got)) {
			struct nfv_flow_spec spec;

			nfv_flow_spec_init(&spec);
			spec.match = mf->match;
			fprintf(stderr, "live megaflow (%u versions%s):\n",
				mf->n_versions, mf->any_change_invalidates ?
				", any change invalidates" : "");
			print_spec(stderr, &spec, false);
			report_mismatch("live megaflow after commit", a->ref,
					&k, &want, &got);
			a->failed = true;
			return false;
		}
	}
	return false;
}

static void
audit_megaflows(struct sut *s, const struct ref *ref, struct audit *a)
{
	a->ref = ref;
	nfv_mfc_foreach(s->mfc, audit_visit, a);
	if (a->failed)
		fail_msg("a live megaflow disagrees with the rules in force");
}

static unsigned int
env_uint(const char *name, unsigned int dflt)
{
	const char *v = getenv(name);

	return v != NULL && *v ? (unsigned int)strtoul(v, NULL, 0) : dflt;
}

static void
print_sut(const char *test, const struct sut *s)
{
	printf("[ %s ] packets %" PRIu64 ": in_port only %" PRIu64
	       ", emc hits %" PRIu64
	       ", megaflow hits %" PRIu64 ", upcalls %" PRIu64
	       " (uncached %" PRIu64 ", errors %" PRIu64 "), "
	       "megaflows %u in %u masks\n", test, s->n_packets, s->n_fast,
	       s->n_emc_hits, s->n_mfc_hits, s->n_upcalls, s->n_uncached,
	       s->n_errors, nfv_mfc_count(s->mfc), nfv_mfc_n_masks(s->mfc));
	if (s->n_visited > 0)
		printf("[ %s ] commits %" PRIu64 ": megaflows examined %" PRIu64
		       ", killed %" PRIu64 ", kept %" PRIu64
		       "; commits that kept some %" PRIu64
		       ", that killed some %" PRIu64 ", 'all' %" PRIu64
		       ", any-change megaflows seen %" PRIu64 "\n", test,
		       s->n_commits, s->n_visited, s->n_killed,
		       s->n_visited - s->n_killed, s->n_commits_with_survivors,
		       s->n_commits_with_kills, s->n_inval_all,
		       s->n_any_change);
}

/* ---- The change loop shared by the tests after rule changes ---- */

struct loop_out {
	uint64_t n_checked_after_commit;
	uint64_t n_checked_before_commit;
	uint64_t n_audited_megaflows;
	uint64_t n_audited_points;
	struct change_stats cs;
};

static void
run_change_loop(struct sut *s, bool audit, struct loop_out *lo)
{
	struct ref *states[MAX_BATCH + 1];
	struct nfv_flow_key *pool = calloc(N_POOL, sizeof(*pool));
	unsigned int rounds = ROUNDS * scale;
	struct audit a;

	assert_non_null(pool);
	for (unsigned int i = 0; i <= MAX_BATCH; i++) {
		states[i] = calloc(1, sizeof(struct ref));
		assert_non_null(states[i]);
	}
	memset(lo, 0, sizeof(*lo));
	memset(&a, 0, sizeof(a));
	a.per_megaflow = 3;

	for (unsigned int round = 0; round < rounds; round++) {
		unsigned int n_changes = 1 + rnd_below(MAX_BATCH);
		unsigned int n_states = 1;

		if (round % ROUNDS_PER_SET == 0) {
			/* A new rule set (and new caches) now and then: the
			 * shapes of the tables, and so the kinds of
			 * megaflows, vary more than along one history. */
			sut_reset(s);
			populate(s, states[0]);
			for (unsigned int i = 0; i < N_POOL; i++)
				gen_packet(&pool[i]);
			for (unsigned int i = 0; i < N_POOL; i++)
				check_packet(s, states[0], &pool[i], "initial");
		}
		for (unsigned int c = 0; c < n_changes; c++) {
			*states[n_states] = *states[n_states - 1];
			random_change(s, states[n_states], &lo->cs);
			n_states++;
			/* Traffic between the change and its commit: stale
			 * answers are allowed, but only of these states. */
			for (unsigned int i = 0; i < 16; i++) {
				check_packet_any(s, states, n_states,
						 &pool[rnd_below(N_POOL)]);
				lo->n_checked_before_commit++;
			}
		}
		sut_commit(s);
		*states[0] = *states[n_states - 1];

		if (audit)
			audit_megaflows(s, states[0], &a);
		/* Every recurring packet (most from the caches, where a
		 * stale entry would be) and some new ones. */
		for (unsigned int i = 0; i < N_POOL; i++)
			check_packet(s, states[0], &pool[i], "after commit");
		for (unsigned int i = 0; i < 32; i++) {
			struct nfv_flow_key k;

			gen_packet(&k);
			check_packet(s, states[0], &k, "after commit, new");
		}
		lo->n_checked_after_commit += N_POOL + 32;
		for (unsigned int i = 0; i < 8; i++)
			gen_packet(&pool[rnd_below(N_POOL)]);
	}
	lo->n_audited_megaflows = a.n_megaflows;
	lo->n_audited_points = a.n_points;

	for (unsigned int i = 0; i <= MAX_BATCH; i++)
		free(states[i]);
	free(pool);
}

/* ---- Tests ---- */

/* Fixed rules: every packet gets the reference's answer, whether from the
 * EMC, the megaflow cache or an upcall (and all three happen). */
static void
test_datapath_matches_reference(void **state)
{
	struct ref *ref = calloc(1, sizeof(*ref));
	struct nfv_flow_key *pool = calloc(N_POOL, sizeof(*pool));
	struct sut s;

	(void)state;
	assert_non_null(ref);
	assert_non_null(pool);
	reseed(2);
	sut_create(&s);
	for (unsigned int set = 0; set < 10 * scale; set++) {
		sut_reset(&s);
		populate(&s, ref);
		for (unsigned int i = 0; i < N_POOL; i++)
			gen_packet(&pool[i]);
		for (unsigned int i = 0; i < 4000; i++) {
			struct nfv_flow_key k;

			if (chance(3, 4))
				k = pool[rnd_below(N_POOL)];
			else
				gen_packet(&k);
			check_packet(&s, ref, &k, "fixed rules");
		}
	}
	print_sut("fixed", &s);
	assert_true(s.n_emc_hits > 0);
	assert_true(s.n_mfc_hits > 0);
	assert_true(s.n_upcalls > 0);
	sut_destroy(&s);
	free(pool);
	free(ref);
}

/* Random changes, each batch committed: once commit returns, every packet
 * gets the answer of the rules in force; before it, the answer of some
 * state since the last commit. */
static void
test_no_stale_entry_after_commit(void **state)
{
	struct loop_out lo;
	struct sut s;

	(void)state;
	reseed(3);
	sut_create(&s);
	run_change_loop(&s, false, &lo);
	print_sut("no stale", &s);
	printf("[ no stale ] changes:");
	for (unsigned int i = 0; i < NFV_ARRAY_SIZE(change_names); i++)
		printf(" %s %u", change_names[i], lo.cs.n[i]);
	printf(" (refused by check_overlap %u)\n", lo.cs.n_eexist);
	assert_true(lo.n_checked_after_commit > 0);
	assert_true(lo.n_checked_before_commit > 0);
	assert_true(s.n_emc_hits > 0);
	assert_true(s.n_mfc_hits > 0);
	assert_true(s.n_killed > 0);
	for (unsigned int i = 0; i < NFV_ARRAY_SIZE(lo.cs.n); i++)
		assert_true(lo.cs.n[i] > 0);
	sut_destroy(&s);
}

/* After each commit, every live megaflow agrees with the rules in force
 * on random keys anywhere under its mask, not only on the packets that
 * happen to hit it. */
static void
test_live_megaflows_agree_with_rules_after_commit(void **state)
{
	struct loop_out lo;
	struct sut s;

	(void)state;
	reseed(4);
	sut_create(&s);
	run_change_loop(&s, true, &lo);
	printf("[ audit ] %" PRIu64 " live megaflows audited at %" PRIu64
	       " points\n", lo.n_audited_megaflows, lo.n_audited_points);
	assert_true(lo.n_audited_megaflows > 0);
	sut_destroy(&s);
}

/* Invalidation is precise, not a flush: over the run, commits keep
 * megaflows that their changes cannot affect (while the answers stay
 * right, as the loop checks). */
static void
test_invalidation_is_precise(void **state)
{
	struct loop_out lo;
	struct sut s;

	(void)state;
	reseed(5);
	sut_create(&s);
	run_change_loop(&s, false, &lo);
	print_sut("precise", &s);
	assert_true(s.n_inval_calls > 0);
	assert_true(s.n_killed > 0);
	assert_true(s.n_visited > s.n_killed);
	assert_true(s.n_commits_with_survivors > s.n_commits / 4);
	assert_int_equal(s.n_inval_all, 0);
	sut_destroy(&s);
}

/* push_vlan keeps the packet's VID, which is no constant: a megaflow for
 * VLAN 10 that never looked at the VLAN also served VLAN 20, and a later
 * rule for VLAN 20 after the push killed nothing (fixed in xlate.c). */
static void
test_push_vlan_then_vlan_rule_in_later_table(void **state)
{
	struct ref *ref = calloc(1, sizeof(*ref));
	struct nfv_flow_spec spec;
	struct nfv_flow_key a, b;
	struct sut s;

	(void)state;
	assert_non_null(ref);
	sut_create(&s);
	/* table=0,in_port=1 actions=push_vlan:0x8100,goto_table:1 */
	spec_init(&spec, 0);
	spec.priority = 1;
	match_exact(&spec.match, NFV_F_IN_PORT, 1);
	spec.n_actions = 1;
	spec.actions[0] = act_simple(NFV_ACT_PUSH_VLAN);
	spec.actions[0].ethertype = 0x8100;
	spec.has_goto = true;
	spec.goto_table = 1;
	both_add(&s, ref, &spec);
	/* table=1 actions=output:1 */
	spec_init(&spec, 1);
	spec.priority = 1;
	spec.n_actions = 1;
	spec.actions[0] = act_output(1);
	both_add(&s, ref, &spec);
	sut_commit(&s);

	/* Two packets of one megaflow: VLAN 10 and VLAN 20. */
	memset(&a, 0, sizeof(a));
	key_set(&a, NFV_F_IN_PORT, 1);
	key_set(&a, NFV_F_ETH_TYPE, 0x0800);
	b = a;
	key_set(&a, NFV_F_VLAN_VID, NFV_VLAN_PRESENT | 10);
	key_set(&b, NFV_F_VLAN_VID, NFV_VLAN_PRESENT | 20);
	check_packet(&s, ref, &a, "push_vlan, before");
	check_packet(&s, ref, &b, "push_vlan, before");

	/* table=1,priority=5,vlan_vid=0x1014 actions=output:2 */
	spec_init(&spec, 1);
	spec.priority = 5;
	match_exact(&spec.match, NFV_F_VLAN_VID, NFV_VLAN_PRESENT | 20);
	spec.n_actions = 1;
	spec.actions[0] = act_output(2);
	both_add(&s, ref, &spec);
	sut_commit(&s);
	check_packet(&s, ref, &b, "push_vlan, after");
	check_packet(&s, ref, &a, "push_vlan, after");
	sut_destroy(&s);
	free(ref);
}

/* A rule with only 'actions' (apply) and maybe a goto, on both sides. */
static void
add_simple(struct sut *s, struct ref *ref, uint8_t table_id,
	   uint16_t priority, const struct nfv_match *m,
	   const struct nfv_action *actions, unsigned int n_actions,
	   int goto_table)
{
	struct nfv_flow_spec spec;

	spec_init(&spec, table_id);
	spec.priority = priority;
	if (m != NULL)
		spec.match = *m;
	spec.n_actions = n_actions;
	for (unsigned int i = 0; i < n_actions; i++)
		spec.actions[i] = actions[i];
	if (goto_table >= 0) {
		spec.has_goto = true;
		spec.goto_table = (uint8_t)goto_table;
	}
	both_add(s, ref, &spec);
}

/* A walk that rewrites the key before more tables than there are
 * versions cannot tell which changes matter: any change must kill it. */
static void
test_walk_with_too_many_versions_dies_on_any_change(void **state)
{
	struct ref *ref = calloc(1, sizeof(*ref));
	struct nfv_flow_key pkt;
	struct nfv_match m;
	struct nfv_action out1 = act_output(1), out2 = act_output(2);
	struct sut s;

	(void)state;
	assert_non_null(ref);
	sut_create(&s);
	/* Tables 0-3 each write the metadata and go on: five lookups with
	 * four rewrites in between need five versions. */
	for (uint8_t t = 0; t + 1 < N_TABLES; t++) {
		struct nfv_flow_spec spec;

		spec_init(&spec, t);
		spec.priority = 1;
		if (t == 0)
			match_exact(&spec.match, NFV_F_IN_PORT, 1);
		spec.has_write_metadata = true;
		spec.write_metadata = t + 1u;
		spec.write_metadata_mask = 0xff;
		spec.has_goto = true;
		spec.goto_table = t + 1;
		both_add(&s, ref, &spec);
	}
	memset(&m, 0, sizeof(m));
	match_exact(&m, NFV_F_ETH_TYPE, 0x0800);
	add_simple(&s, ref, N_TABLES - 1, 1, &m, &out1, 1, -1);
	sut_commit(&s);

	memset(&pkt, 0, sizeof(pkt));
	key_set(&pkt, NFV_F_IN_PORT, 1);
	key_set(&pkt, NFV_F_ETH_TYPE, 0x0800);
	check_packet(&s, ref, &pkt, "versions, before");
	check_packet(&s, ref, &pkt, "versions, before (cached)");

	/* In the last table, which no version records. */
	memset(&m, 0, sizeof(m));
	match_masked(&m, NFV_F_METADATA, N_TABLES - 1, 0xff);
	add_simple(&s, ref, N_TABLES - 1, 5, &m, &out2, 1, -1);
	sut_commit(&s);
	assert_true(s.n_any_change > 0);
	check_packet(&s, ref, &pkt, "versions, after");
	sut_destroy(&s);
	free(ref);
}

/* More changes in one commit than the pipeline lists: invalidation is
 * told 'all' and every megaflow dies. */
static void
test_too_many_changes_kill_every_megaflow(void **state)
{
	struct ref *ref = calloc(1, sizeof(*ref));
	struct nfv_flow_key *pool = calloc(N_POOL, sizeof(*pool));
	struct nfv_match m;
	struct sut s;
	uint64_t visited, killed;

	(void)state;
	assert_non_null(ref);
	assert_non_null(pool);
	reseed(6);
	sut_create(&s);
	populate(&s, ref);
	for (unsigned int i = 0; i < N_POOL; i++) {
		gen_packet(&pool[i]);
		check_packet(&s, ref, &pool[i], "many changes, before");
	}
	assert_true(nfv_mfc_count(s.mfc) > 0);
	/* 1100 replacements of one rule, output:1 and output:2 in turn. */
	memset(&m, 0, sizeof(m));
	match_exact(&m, NFV_F_IN_PORT, 3);
	for (unsigned int i = 0; i < 1100; i++) {
		struct nfv_action out = act_output(1 + i % 2);

		add_simple(&s, ref, 0, 7, &m, &out, 1, -1);
	}
	visited = s.n_visited;
	killed = s.n_killed;
	sut_commit(&s);
	assert_int_equal(s.n_inval_all, 1);
	assert_true(s.n_visited > visited);
	assert_int_equal(s.n_visited - visited, s.n_killed - killed);
	for (unsigned int i = 0; i < N_POOL; i++)
		check_packet(&s, ref, &pool[i], "many changes, after");
	sut_destroy(&s);
	free(pool);
	free(ref);
}

/* Five packet-ins in one walk are more than a translation holds: it fails,
 * the packet is dropped and nothing is cached. */
static void
test_translation_error_drops_and_is_not_cached(void **state)
{
	struct ref *ref = calloc(1, sizeof(*ref));
	struct nfv_action acts[NFV_XLATE_MAX_PKTIN + 1];
	struct nfv_flow_key pkt;
	struct sut s;

	(void)state;
	assert_non_null(ref);
	sut_create(&s);
	for (unsigned int i = 0; i < NFV_ARRAY_SIZE(acts); i++)
		acts[i] = act_output(NFV_OFPP_CONTROLLER);
	add_simple(&s, ref, 0, 1, NULL, acts, NFV_ARRAY_SIZE(acts), -1);
	sut_commit(&s);
	memset(&pkt, 0, sizeof(pkt));
	key_set(&pkt, NFV_F_IN_PORT, 2);
	check_packet(&s, ref, &pkt, "translation error");
	check_packet(&s, ref, &pkt, "translation error, again");
	assert_int_equal(s.n_errors, 2);
	assert_int_equal(s.n_upcalls, 2);
	assert_int_equal(nfv_mfc_count(s.mfc), 0);
	sut_destroy(&s);
	free(ref);
}

/* While every megaflow looks at in_port only, a packet's megaflow is
 * found from its in_port alone; a rule on another field ends that. */
static void
test_in_port_only_megaflows_until_a_rule_needs_more(void **state)
{
	struct ref *ref = calloc(1, sizeof(*ref));
	struct nfv_action out = act_output(3);
	struct nfv_flow_key pkt[4];
	struct nfv_match m;
	struct sut s;

	(void)state;
	assert_non_null(ref);
	sut_create(&s);
	for (uint32_t port = 1; port <= 2; port++) {
		struct nfv_action o = act_output(3 - port);

		memset(&m, 0, sizeof(m));
		match_exact(&m, NFV_F_IN_PORT, port);
		add_simple(&s, ref, 0, 10, &m, &o, 1, -1);
	}
	sut_commit(&s);
	for (unsigned int i = 0; i < NFV_ARRAY_SIZE(pkt); i++) {
		memset(&pkt[i], 0, sizeof(pkt[i]));
		key_set(&pkt[i], NFV_F_IN_PORT, 1 + i % 2);
		key_set(&pkt[i], NFV_F_ETH_TYPE, 0x0800);
		key_set(&pkt[i], NFV_F_IPV4_DST, ip_pool[i]);
	}
	for (unsigned int i = 0; i < NFV_ARRAY_SIZE(pkt); i++)
		check_packet(&s, ref, &pkt[i], "in_port only");
	assert_int_equal(s.n_upcalls, 2);
	assert_int_equal(s.n_fast, 2);

	/* table=0,priority=20,ip,nw_dst=10.1.3.7 actions=output:3 */
	memset(&m, 0, sizeof(m));
	match_exact(&m, NFV_F_ETH_TYPE, 0x0800);
	match_exact(&m, NFV_F_IPV4_DST, ip_pool[1]);
	add_simple(&s, ref, 0, 20, &m, &out, 1, -1);
	sut_commit(&s);
	for (unsigned int i = 0; i < 2 * NFV_ARRAY_SIZE(pkt); i++)
		check_packet(&s, ref, &pkt[i % NFV_ARRAY_SIZE(pkt)],
			     "in_port only, after");
	assert_int_equal(s.n_fast, 2);
	sut_destroy(&s);
	free(ref);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_push_vlan_then_vlan_rule_in_later_table),
		cmocka_unit_test(
			test_walk_with_too_many_versions_dies_on_any_change),
		cmocka_unit_test(test_too_many_changes_kill_every_megaflow),
		cmocka_unit_test(test_translation_error_drops_and_is_not_cached),
		cmocka_unit_test(
			test_in_port_only_megaflows_until_a_rule_needs_more),
		cmocka_unit_test(test_datapath_matches_reference),
		cmocka_unit_test(test_no_stale_entry_after_commit),
		cmocka_unit_test(test_live_megaflows_agree_with_rules_after_commit),
		cmocka_unit_test(test_invalidation_is_precise),
	};
	const char *s = getenv("NFV_TEST_SEED");

	if (s != NULL && *s)
		seed = strtoull(s, NULL, 0);
	scale = env_uint("NFV_TEST_SCALE", 1);
	if (scale == 0)
		scale = 1;
	printf("test_datapath: seed %" PRIu64 " (NFV_TEST_SEED), scale %u "
	       "(NFV_TEST_SCALE)\n", seed, scale);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
