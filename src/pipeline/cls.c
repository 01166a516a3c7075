/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The tuple-space search classifier (cls.h has the API and the thread
 * contract that the owner keeps).
 *
 * A classifier is a vector of subtables, one per distinct mask, sorted by
 * the highest priority each holds. A subtable is an open addressing hash
 * table with linear probing over the masked keys of its rules: slot i holds
 * a 32-bit tag (the hash of the key, or EMPTY, or TOMB for a removed key)
 * and the head of the list of rules with that key, highest priority first.
 * Equal keys with equal priorities are refused, so the head is the
 * subtable's answer for its key and lookups never walk the lists (only the
 * writer does, through 'next').
 *
 * Why not chains through the rules: growing a chained table relinks rules
 * that lookups may be walking, and a lookup diverted to another chain could
 * miss a rule that was never removed. Here a resize fills a new slot array
 * beside the old one without touching any rule, publishes it with one
 * release store and retires the old array through defer_free. The slot
 * tags also keep probes off the rules: a miss usually reads one cache line
 * of tags and no rule at all.
 *
 * What lookups can observe, and how each change reaches them:
 *  - classifier 'vec': replaced whole (copy on write) when a subtable
 *    appears, disappears or changes its highest priority;
 *  - subtable 'table': replaced whole by a resize;
 *  - a slot's tag: EMPTY or TOMB -> hash (its rule stored first), or
 *    hash -> TOMB; a slot's rule: one head -> another of the same key.
 * Every other field a lookup reads is written before the pointer that
 * leads to it is published. A slot whose tag went from hash to TOMB keeps
 * its stale rule pointer: only a lookup that read the tag before the
 * change can follow it, and the rule outlives that lookup (cls.h).
 */
#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cls.h"

#define CLS_MIN_SLOTS 8         /* slots of a new subtable */
#define CLS_MIN_MAP 8           /* buckets of the subtable map */
#define CLS_TAG_EMPTY 0u        /* slot unused since the array was built */
#define CLS_TAG_TOMB 1u         /* slot whose key was removed */
#define CLS_HASH_BASIS 0x2545f491u

/* Keys and masks are read as words whatever their fields' types. */
typedef uint64_t cls_word __attribute__((may_alias));

/* The slot array of a subtable; immutable size, published whole. */
struct cls_table {
	uint32_t mask;                  /* slots - 1; slots a power of 2 */
	struct nfv_cls_rule **rules;    /* [slots], inside this allocation */
	uint32_t tags[];                /* [slots]: hash, EMPTY or TOMB */
};

/* Distinct priorities of a subtable and how many rules have each. */
struct cls_prio {
	uint16_t priority;
	uint32_t n_rules;
};

struct cls_subtable {
	/* Read by lookups: immutable once published except 'table', which
	 * the writer replaces with a release store. The words of 'mask' that
	 * L2-L4 matches use share the first cache line with 'table'. */
	struct cls_table *table;
	uint8_t first;                  /* first nonzero word of 'mask' */
	uint8_t end;                    /* one past the last nonzero word */
	cls_word mask[NFV_KEY_WORDS];
	/* Writer only, on their own cache line. */
	struct cls_subtable *map_next __attribute__((aligned(64)));
	uint64_t id;                    /* creation order: ties in the vector */
	uint32_t mask_hash;
	unsigned int n_rules;
	unsigned int n_keys;            /* slots holding a key */
	unsigned int n_tombs;           /* slots holding TOMB */
	struct cls_prio *prios;         /* descending */
	unsigned int n_prios;
	unsigned int prios_cap;
};

/* The subtables that hold rules, by descending 'max_priority'. */
struct cls_vec {
	unsigned int n;
	struct cls_vec_entry {
		struct cls_subtable *st;
		unsigned int max_priority;      /* at publication, or higher */
	} entries[];
};

struct nfv_cls {
	/* Read by lookups: replaced with release stores; NULL when empty. */
	struct cls_vec *vec;
	/* Writer only, on their own cache line. */
	nfv_cls_defer_free_fn *defer_free __attribute__((aligned(64)));
	void *defer_arg;
	struct cls_subtable **map;      /* every subtable, by mask */
	unsigned int map_mask;          /* buckets - 1 */
	unsigned int n_subtables;       /* in 'map', empty ones included */
	unsigned int n_nonempty;        /* with rules: in 'vec' unless stale */
	unsigned int n_rules;
	bool vec_stale;                 /* a publication failed: 'vec' lags */
	uint64_t next_seq;
	uint64_t next_id;
	size_t memory;
};

/* Hashing and comparing keys under a mask. */

static inline uint64_t
cls_hash_word(uint64_t h, uint64_t w)
{
#ifdef __SSE4_2__
	return __builtin_ia32_crc32di(h, w);
#else
	h = (h ^ w) * 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
#endif
}

/* Spreads the bits (CRC is linear, and linear probing uses the low bits)
 * and keeps clear of the EMPTY and TOMB tags. */
static inline uint32_t
cls_hash_finish(uint64_t h)
{
	uint32_t x = (uint32_t)(h ^ (h >> 32));

	x ^= x >> 16;
	x *= 0x7feb352du;
	x ^= x >> 15;
	return x > CLS_TAG_TOMB ? x : x + 2;
}

static inline uint32_t
cls_hash_masked(const cls_word *key, const cls_word *mask,
		unsigned int first, unsigned int end)
{
	uint64_t h = CLS_HASH_BASIS;

	for (unsigned int i = first; i < end; i++)
		h = cls_hash_word(h, key[i] & mask[i]);
	return cls_hash_finish(h);
}

/* True if 'key' under the mask of 'st' is the key of 'r', a rule of 'st'. */
static inline bool
cls_key_equal(const struct nfv_cls_rule *r, const cls_word *key,
	      const struct cls_subtable *st)
{
	const cls_word *rk = (const cls_word *)&r->match.key;

	for (unsigned int i = st->first; i < st->end; i++)
		if ((key[i] & st->mask[i]) != rk[i])
			return false;
	return true;
}

/* True if 'a' beats 'b': higher priority, or equal and inserted first. */
static inline bool
cls_rule_before(const struct nfv_cls_rule *a, const struct nfv_cls_rule *b)
{
	return a->priority > b->priority ||
	       (a->priority == b->priority && a->seq < b->seq);
}

/* Lookup. */

/* A subtable probe in flight: its hash and slot array, loaded and
 * prefetched a few subtables ahead of the probe itself. */
struct cls_probe {
	uint32_t hash;
	const struct cls_table *table;
};

/* Subtables hashed and prefetched ahead of the one being probed: their
 * slot arrays are usually cache misses, and this many overlap. Lookups
 * that stop early waste at most this many hashes. */
#define CLS_LOOKAHEAD 4

static inline void
probe_start(struct cls_probe *p, const struct cls_subtable *st,
	    const cls_word *key)
{
	uint32_t i;

	p->hash = cls_hash_masked(key, st->mask, st->first, st->end);
	p->table = __atomic_load_n(&st->table, __ATOMIC_ACQUIRE);
	i = p->hash & p->table->mask;
	__builtin_prefetch(&p->table->tags[i]);
	__builtin_prefetch(&p->table->rules[i]);
}

/* The rule of 'st' for 'key', or NULL. Linear probing ends at an EMPTY
 * tag; every slot array keeps at least a quarter of its slots EMPTY. */
static inline const struct nfv_cls_rule *
probe_finish(const struct cls_probe *p, const struct cls_subtable *st,
	     const cls_word *key)
{
	const struct cls_table *t = p->table;
	uint32_t i = p->hash & t->mask;

	for (;;) {
		uint32_t tag = __atomic_load_n(&t->tags[i], __ATOMIC_ACQUIRE);

		if (tag == p->hash) {
			const struct nfv_cls_rule *r =
				__atomic_load_n(&t->rules[i], __ATOMIC_ACQUIRE);

			if (cls_key_equal(r, key, st))
				return r;
		} else if (tag == CLS_TAG_EMPTY) {
			return NULL;
		}
		i = (i + 1) & t->mask;
	}
}

const struct nfv_cls_rule *
nfv_cls_lookup(const struct nfv_cls *c, const struct nfv_flow_key *key,
	       struct nfv_flow_key *wc)
{
	const struct cls_vec *v = __atomic_load_n(&c->vec, __ATOMIC_ACQUIRE);
	const cls_word *k = (const cls_word *)key;
	cls_word *w = (cls_word *)wc;
	const struct nfv_cls_rule *best = NULL;
	struct cls_probe probes[CLS_LOOKAHEAD];
	unsigned int n;

	if (v == NULL)
		return NULL;
	n = v->n;
	for (unsigned int i = 0; i < n && i < CLS_LOOKAHEAD; i++)
		probe_start(&probes[i], v->entries[i].st, k);
	for (unsigned int i = 0; i < n; i++) {
		const struct cls_vec_entry *e = &v->entries[i];
		const struct cls_subtable *st = e->st;
		struct cls_probe *p = &probes[i % CLS_LOOKAHEAD];
		const struct nfv_cls_rule *r;

		/* Strictly: a subtable whose best equals ours may hold a
		 * rule of that priority inserted earlier. Every later
		 * subtable has a lower or equal maximum, so stop. */
		if (best != NULL && best->priority > e->max_priority)
			break;
		if (w != NULL)
			for (unsigned int j = st->first; j < st->end; j++)
				w[j] |= st->mask[j];
		r = probe_finish(p, st, k);
		if (r != NULL && (best == NULL || cls_rule_before(r, best)))
			best = r;
		if (i + CLS_LOOKAHEAD < n)
			probe_start(p, v->entries[i + CLS_LOOKAHEAD].st, k);
	}
	return best;
}

/* Internal memory. */

static void *
cls_alloc(struct nfv_cls *c, size_t size)
{
	void *p = aligned_alloc(64, size);

	if (p != NULL)
		c->memory += size;
	return p;
}

static void
cls_free(struct nfv_cls *c, void *p, size_t size)
{
	c->memory -= size;
	free(p);
}

/* Hands 'p', which lookups may still hold, to the owner. */
static void
cls_retire(struct nfv_cls *c, void *p, size_t size)
{
	c->memory -= size;
	if (c->defer_free != NULL)
		c->defer_free(c->defer_arg, p);
	else
		free(p);
}

/* Slot arrays. */

static size_t
table_rules_offset(uint32_t n_slots)
{
	size_t off = sizeof(struct cls_table) + n_slots * sizeof(uint32_t);

	return (off + 7) & ~(size_t)7;
}

static size_t
table_size(uint32_t n_slots)
{
	size_t size = table_rules_offset(n_slots) +
		      n_slots * sizeof(struct nfv_cls_rule *);

	return (size + 63) & ~(size_t)63;
}

/* Keys plus tombstones a slot array of 'n_slots' takes before it must be
 * rebuilt: 3/4 keeps misses short and guarantees EMPTY slots. */
static unsigned int
table_capacity(const struct cls_table *t)
{
	return (t->mask + 1) / 4 * 3;
}

/* Slots for 'n_keys' keys right after a rebuild: at most half full. */
static uint32_t
table_slots_for(unsigned int n_keys)
{
	uint32_t n = CLS_MIN_SLOTS;

	while (n / 2 < n_keys)
		n <<= 1;
	return n;
}

static struct cls_table *
table_alloc(struct nfv_cls *c, uint32_t n_slots)
{
	struct cls_table *t = cls_alloc(c, table_size(n_slots));

	if (t == NULL)
		return NULL;
	t->mask = n_slots - 1;
	t->rules = (struct nfv_cls_rule **)((char *)t +
					    table_rules_offset(n_slots));
	memset(t->tags, 0, n_slots * sizeof(t->tags[0]));
	return t;
}

/* Moves the keys of 'st' to a new array of 'n_slots', dropping the
 * tombstones, and publishes it. The lists move whole: no rule changes.
 * Returns 0 or -ENOMEM (then nothing changed). */
static int
table_rebuild(struct nfv_cls *c, struct cls_subtable *st, uint32_t n_slots)
{
	struct cls_table *old = st->table;
	struct cls_table *t = table_alloc(c, n_slots);

	if (t == NULL)
		return -ENOMEM;
	for (uint32_t i = 0; i <= old->mask; i++) {
		uint32_t tag = old->tags[i];
		uint32_t j;

		if (tag <= CLS_TAG_TOMB)
			continue;
		for (j = tag & t->mask; t->tags[j] != CLS_TAG_EMPTY;
		     j = (j + 1) & t->mask)
			;
		t->tags[j] = tag;
		t->rules[j] = old->rules[i];
	}
	__atomic_store_n(&st->table, t, __ATOMIC_RELEASE);
	st->n_tombs = 0;
	cls_retire(c, old, table_size(old->mask + 1));
	return 0;
}

/* Looks for masked key 'rk' (hash 'h') in 'st'. Returns true and its slot
 * in '*slot' if found; else false and in '*slot' where it would go: the
 * first tombstone on its probe sequence, or the EMPTY slot that ended it. */
static bool
table_find(const struct cls_subtable *st, const cls_word *rk, uint32_t h,
	   uint32_t *slot)
{
	const struct cls_table *t = st->table;
	bool have_tomb = false;
	uint32_t tomb = 0;

	for (uint32_t i = h & t->mask;; i = (i + 1) & t->mask) {
		uint32_t tag = t->tags[i];

		if (tag == h && cls_key_equal(t->rules[i], rk, st)) {
			*slot = i;
			return true;
		}
		if (tag == CLS_TAG_EMPTY) {
			*slot = have_tomb ? tomb : i;
			return false;
		}
		if (tag == CLS_TAG_TOMB && !have_tomb) {
			have_tomb = true;
			tomb = i;
		}
	}
}

/* The slot of the list that holds 'r', a rule of 'st'. */
static uint32_t
table_slot_of(const struct cls_subtable *st, const struct nfv_cls_rule *r)
{
	uint32_t slot = 0;
	bool found = table_find(st, (const cls_word *)&r->match.key, r->hash,
				&slot);

	assert(found);  /* 'r' is in 'st': the caller's promise */
	(void)found;
	return slot;
}

/* Priorities of a subtable. */

/* Index of the first entry of 'st->prios' not above 'priority'. */
static unsigned int
prio_index(const struct cls_subtable *st, unsigned int priority)
{
	unsigned int lo = 0, hi = st->n_prios;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (st->prios[mid].priority > priority)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool
prio_present(const struct cls_subtable *st, unsigned int priority,
	     unsigned int *idx)
{
	*idx = prio_index(st, priority);
	return *idx < st->n_prios && st->prios[*idx].priority == priority;
}

/* Makes room for 'priority' so that prio_add() cannot fail. */
static int
prio_reserve(struct nfv_cls *c, struct cls_subtable *st, uint16_t priority)
{
	unsigned int i, cap;
	struct cls_prio *p;

	if (prio_present(st, priority, &i) || st->n_prios < st->prios_cap)
		return 0;
	cap = st->prios_cap ? st->prios_cap * 2 : 4;
	p = realloc(st->prios, cap * sizeof(*p));
	if (p == NULL)
		return -ENOMEM;
	c->memory += (cap - st->prios_cap) * sizeof(*p);
	st->prios = p;
	st->prios_cap = cap;
	return 0;
}

static void
prio_add(struct cls_subtable *st, uint16_t priority)
{
	unsigned int i;

	if (prio_present(st, priority, &i)) {
		st->prios[i].n_rules++;
		return;
	}
	memmove(&st->prios[i + 1], &st->prios[i],
		(st->n_prios - i) * sizeof(st->prios[0]));
	st->prios[i].priority = priority;
	st->prios[i].n_rules = 1;
	st->n_prios++;
}

static void
prio_del(struct cls_subtable *st, uint16_t priority)
{
	unsigned int i;

	if (!prio_present(st, priority, &i) || --st->prios[i].n_rules > 0)
		return;
	st->n_prios--;
	memmove(&st->prios[i], &st->prios[i + 1],
		(st->n_prios - i) * sizeof(st->prios[0]));
}

static unsigned int
subtable_max_priority(const struct cls_subtable *st)
{
	return st->n_prios > 0 ? st->prios[0].priority : 0;
}

/* Subtables. */

static uint32_t
mask_hash(const struct nfv_flow_key *mask)
{
	const cls_word *m = (const cls_word *)mask;
	uint64_t h = CLS_HASH_BASIS;

	for (unsigned int i = 0; i < NFV_KEY_WORDS; i++)
		h = cls_hash_word(h, m[i]);
	return cls_hash_finish(h);
}

static struct cls_subtable *
map_find(const struct nfv_cls *c, const struct nfv_flow_key *mask,
	 uint32_t h)
{
	struct cls_subtable *st;

	if (c->map == NULL)
		return NULL;
	for (st = c->map[h & c->map_mask]; st != NULL; st = st->map_next)
		if (st->mask_hash == h &&
		    memcmp(st->mask, mask, sizeof(st->mask)) == 0)
			return st;
	return NULL;
}

static size_t
map_size(unsigned int n_buckets)
{
	return n_buckets * sizeof(struct cls_subtable *);
}

/* Makes sure map_add() can add one subtable. A map that cannot grow just
 * gets longer chains; only a missing map is an error. */
static int
map_reserve(struct nfv_cls *c)
{
	unsigned int n = c->map_mask + 1;
	struct cls_subtable **map;

	if (c->map != NULL && c->n_subtables < n)
		return 0;
	if (c->map != NULL)
		n *= 2;
	else
		n = CLS_MIN_MAP;
	map = calloc(n, sizeof(*map));
	if (map == NULL)
		return c->map != NULL ? 0 : -ENOMEM;
	c->memory += map_size(n);
	if (c->map != NULL) {
		for (unsigned int i = 0; i <= c->map_mask; i++) {
			struct cls_subtable *st, *next;

			for (st = c->map[i]; st != NULL; st = next) {
				next = st->map_next;
				st->map_next = map[st->mask_hash & (n - 1)];
				map[st->mask_hash & (n - 1)] = st;
			}
		}
		cls_free(c, c->map, map_size(c->map_mask + 1));
	}
	c->map = map;
	c->map_mask = n - 1;
	return 0;
}

static void
map_add(struct nfv_cls *c, struct cls_subtable *st)
{
	struct cls_subtable **head = &c->map[st->mask_hash & c->map_mask];

	st->map_next = *head;
	*head = st;
	c->n_subtables++;
}

/* Creates an unpublished subtable for 'mask', with hash 'h'. */
static int
subtable_create(struct nfv_cls *c, const struct nfv_flow_key *mask,
		uint32_t h, struct cls_subtable **out)
{
	struct cls_subtable *st = cls_alloc(c, sizeof(*st));
	unsigned int first, end;

	if (st == NULL)
		return -ENOMEM;
	memset(st, 0, sizeof(*st));
	memcpy(st->mask, mask, sizeof(st->mask));
	for (first = 0; first < NFV_KEY_WORDS && st->mask[first] == 0; first++)
		;
	for (end = NFV_KEY_WORDS; end > first && st->mask[end - 1] == 0; end--)
		;
	if (first == NFV_KEY_WORDS)
		first = end = 0;        /* the empty mask: hash of nothing */
	st->first = first;
	st->end = end;
	st->table = table_alloc(c, CLS_MIN_SLOTS);
	if (st->table == NULL) {
		cls_free(c, st, sizeof(*st));
		return -ENOMEM;
	}
	st->mask_hash = h;
	st->id = c->next_id++;
	*out = st;
	return 0;
}

/* Frees 'st' at once ('retire' false: no lookup can reach it) or through
 * defer_free. Its priorities were only ever the writer's. */
static void
subtable_free(struct nfv_cls *c, struct cls_subtable *st, bool retire)
{
	size_t table_bytes = table_size(st->table->mask + 1);

	cls_free(c, st->prios, st->prios_cap * sizeof(st->prios[0]));
	if (retire) {
		cls_retire(c, st->table, table_bytes);
		cls_retire(c, st, sizeof(*st));
	} else {
		cls_free(c, st->table, table_bytes);
		cls_free(c, st, sizeof(*st));
	}
}

/* The subtable vector. */

static size_t
vec_size(unsigned int n)
{
	size_t size = sizeof(struct cls_vec) +
		      n * sizeof(struct cls_vec_entry);

	return (size + 63) & ~(size_t)63;       /* for aligned_alloc() */
}

/* Allocates in '*out' a vector for 'n' subtables for vec_publish() (none
 * for 0: NULL is the empty vector). Returns 0 or -ENOMEM. */
static int
vec_alloc(struct nfv_cls *c, unsigned int n, struct cls_vec **out)
{
	*out = NULL;
	if (n == 0)
		return 0;
	*out = cls_alloc(c, vec_size(n));
	if (*out == NULL)
		return -ENOMEM;
	(*out)->n = n;
	return 0;
}

static int
vec_entry_cmp(const void *a_, const void *b_)
{
	const struct cls_vec_entry *a = a_, *b = b_;

	if (a->max_priority != b->max_priority)
		return a->max_priority > b->max_priority ? -1 : 1;
	return a->st->id < b->st->id ? -1 : a->st->id > b->st->id;
}

/* Fills 'v', from vec_alloc(c, c->n_nonempty), with the subtables that
 * hold rules, publishes it and retires the previous vector. The empty
 * subtables are then out of reach of new lookups: retire them too. */
static void
vec_publish(struct nfv_cls *c, struct cls_vec *v)
{
	struct cls_vec *old = c->vec;
	unsigned int n = 0;

	for (unsigned int i = 0; v != NULL && i <= c->map_mask; i++) {
		for (struct cls_subtable *st = c->map[i]; st != NULL;
		     st = st->map_next) {
			if (st->n_rules == 0)
				continue;
			v->entries[n].st = st;
			v->entries[n].max_priority = subtable_max_priority(st);
			n++;
		}
	}
	assert(n == (v != NULL ? v->n : 0) && n == c->n_nonempty);
	if (v != NULL)
		qsort(v->entries, n, sizeof(v->entries[0]), vec_entry_cmp);
	__atomic_store_n(&c->vec, v, __ATOMIC_RELEASE);
	if (old != NULL)
		cls_retire(c, old, vec_size(old->n));
	c->vec_stale = false;

	for (unsigned int i = 0;
	     c->n_subtables > c->n_nonempty && i <= c->map_mask; i++) {
		struct cls_subtable **prev = &c->map[i], *st;

		while ((st = *prev) != NULL) {
			if (st->n_rules > 0) {
				prev = &st->map_next;
				continue;
			}
			*prev = st->map_next;
			c->n_subtables--;
			subtable_free(c, st, true);
		}
	}
}

/* Brings the vector up to date after a removal; if that is not possible
 * now, the old one stays: its maxima are too high, never too low, and its
 * subtables stay alive, so lookups stay right, just slower. */
static void
vec_refresh(struct nfv_cls *c)
{
	struct cls_vec *v;

	if (vec_alloc(c, c->n_nonempty, &v) < 0)
		c->vec_stale = true;
	else
		vec_publish(c, v);
}

/* API. */

int
nfv_cls_create(nfv_cls_defer_free_fn *defer_free, void *arg,
	       struct nfv_cls **out)
{
	struct nfv_cls *c = aligned_alloc(64, sizeof(*c));

	if (c == NULL)
		return -ENOMEM;
	memset(c, 0, sizeof(*c));
	c->defer_free = defer_free;
	c->defer_arg = arg;
	c->memory = sizeof(*c);
	*out = c;
	return 0;
}

void
nfv_cls_destroy(struct nfv_cls *c)
{
	if (c == NULL)
		return;
	for (unsigned int i = 0; c->map != NULL && i <= c->map_mask; i++) {
		struct cls_subtable *st, *next;

		for (st = c->map[i]; st != NULL; st = next) {
			next = st->map_next;
			subtable_free(c, st, false);
		}
	}
	free(c->map);
	free(c->vec);
	free(c);
}

int
nfv_cls_insert(struct nfv_cls *c, struct nfv_cls_rule *r)
{
	const cls_word *rk = (const cls_word *)&r->match.key;
	uint32_t mhash = mask_hash(&r->match.mask);
	struct cls_subtable *st = map_find(c, &r->match.mask, mhash);
	struct cls_subtable *new_st = NULL;
	struct nfv_cls_rule *head = NULL, *prev = NULL;
	struct cls_vec *v = NULL;
	bool found, publish;
	struct cls_table *t;
	uint32_t h, slot;
	int ret;

	if (st == NULL) {
		ret = map_reserve(c);
		if (ret < 0)
			return ret;
		ret = subtable_create(c, &r->match.mask, mhash, &new_st);
		if (ret < 0)
			return ret;
		st = new_st;
	}
	h = cls_hash_masked(rk, st->mask, st->first, st->end);
	found = table_find(st, rk, h, &slot);
	if (found) {
		head = st->table->rules[slot];
		for (struct nfv_cls_rule *n = head;
		     n != NULL && n->priority >= r->priority; n = n->next) {
			if (n->priority == r->priority)
				return -EEXIST;
			prev = n;
		}
	}
	ret = prio_reserve(c, st, r->priority);
	if (ret < 0)
		goto out_free_subtable;
	if (!found &&
	    st->n_keys + st->n_tombs + 1 > table_capacity(st->table)) {
		ret = table_rebuild(c, st, table_slots_for(st->n_keys + 1));
		if (ret < 0)
			goto out_free_subtable;
		table_find(st, rk, h, &slot);
	}
	/* Lookups must never see a maximum below the truth: publish a new
	 * vector whenever this rule raises it. */
	publish = c->vec_stale || st->n_rules == 0 ||
		  r->priority > subtable_max_priority(st);
	if (publish) {
		ret = vec_alloc(c, c->n_nonempty + (st->n_rules == 0), &v);
		if (ret < 0)
			goto out_free_subtable;
	}

	/* Nothing below fails. */
	r->hash = h;
	r->seq = c->next_seq++;
	r->subtable = st;
	if (new_st != NULL)
		map_add(c, new_st);
	t = st->table;
	if (found && prev == NULL) {
		r->next = head;
		__atomic_store_n(&t->rules[slot], r, __ATOMIC_RELEASE);
	} else if (found) {
		/* Below the head: invisible to lookups. */
		r->next = prev->next;
		prev->next = r;
	} else {
		r->next = NULL;
		if (t->tags[slot] == CLS_TAG_TOMB)
			st->n_tombs--;
		st->n_keys++;
		__atomic_store_n(&t->rules[slot], r, __ATOMIC_RELAXED);
		__atomic_store_n(&t->tags[slot], h, __ATOMIC_RELEASE);
	}
	if (st->n_rules++ == 0)
		c->n_nonempty++;
	c->n_rules++;
	prio_add(st, r->priority);
	if (publish)
		vec_publish(c, v);
	return 0;

out_free_subtable:
	if (new_st != NULL)
		subtable_free(c, new_st, false);
	return ret;
}

void
nfv_cls_replace(struct nfv_cls *c, struct nfv_cls_rule *old,
		struct nfv_cls_rule *new)
{
	struct cls_subtable *st = old->subtable;
	struct cls_table *t = st->table;
	uint32_t slot = table_slot_of(st, old);
	struct nfv_cls_rule *p = t->rules[slot];

	(void)c;
	assert(new->priority == old->priority &&
	       memcmp(&new->match, &old->match, sizeof(new->match)) == 0);
	new->hash = old->hash;
	new->seq = old->seq;
	new->subtable = st;
	new->next = old->next;
	if (p == old) {
		__atomic_store_n(&t->rules[slot], new, __ATOMIC_RELEASE);
		return;
	}
	while (p->next != old)
		p = p->next;
	p->next = new;
}

void
nfv_cls_remove(struct nfv_cls *c, struct nfv_cls_rule *r)
{
	struct cls_subtable *st = r->subtable;
	struct cls_table *t = st->table;
	unsigned int old_max = subtable_max_priority(st);
	uint32_t slot = table_slot_of(st, r);
	struct nfv_cls_rule *p = t->rules[slot];

	if (p == r && r->next != NULL) {
		__atomic_store_n(&t->rules[slot], r->next, __ATOMIC_RELEASE);
	} else if (p == r) {
		__atomic_store_n(&t->tags[slot], CLS_TAG_TOMB,
				 __ATOMIC_RELEASE);
		st->n_keys--;
		st->n_tombs++;
	} else {
		while (p->next != r)
			p = p->next;
		p->next = r->next;
	}
	r->subtable = NULL;
	prio_del(st, r->priority);
	c->n_rules--;
	if (--st->n_rules == 0) {
		c->n_nonempty--;
		vec_refresh(c);         /* retires 'st' */
		return;
	}
	if (c->vec_stale || subtable_max_priority(st) != old_max)
		vec_refresh(c);
	/* Shrink below 1/8 full; if that fails, the table stays as it is. */
	if (st->table->mask + 1 > CLS_MIN_SLOTS &&
	    st->n_keys < (st->table->mask + 1) / 8)
		table_rebuild(c, st, table_slots_for(st->n_keys));
}

struct nfv_cls_rule *
nfv_cls_find_exact(const struct nfv_cls *c, const struct nfv_match *m,
		   uint16_t priority)
{
	const cls_word *mk = (const cls_word *)&m->key;
	struct cls_subtable *st = map_find(c, &m->mask, mask_hash(&m->mask));
	struct nfv_cls_rule *r;
	uint32_t slot;

	if (st == NULL ||
	    !table_find(st, mk, cls_hash_masked(mk, st->mask, st->first,
						st->end), &slot))
		return NULL;
	for (r = st->table->rules[slot]; r != NULL && r->priority >= priority;
	     r = r->next)
		if (r->priority == priority)
			return r;
	return NULL;
}

unsigned int
nfv_cls_count(const struct nfv_cls *c)
{
	return c->n_rules;
}

unsigned int
nfv_cls_n_subtables(const struct nfv_cls *c)
{
	return c->n_nonempty;
}

size_t
nfv_cls_memory(const struct nfv_cls *c)
{
	return c->memory;
}

static void
foreach_in_list(struct nfv_cls_rule *r,
		void (*fn)(void *arg, struct nfv_cls_rule *r), void *arg)
{
	for (; r != NULL; r = r->next)
		fn(arg, r);
}

/* Calls 'fn' for the rules of 'st' that overlap match 'mk'/'mm'. Two
 * matches overlap if their keys agree on the bits both masks match. */
static void
subtable_foreach_overlapping(const struct cls_subtable *st,
			     const cls_word *mk, const cls_word *mm,
			     void (*fn)(void *arg, struct nfv_cls_rule *r),
			     void *arg)
{
	const struct cls_table *t = st->table;
	cls_word common[NFV_KEY_WORDS];
	bool covered = true;
	uint32_t slot;

	for (unsigned int i = 0; i < NFV_KEY_WORDS; i++) {
		common[i] = st->mask[i] & mm[i];
		covered &= common[i] == st->mask[i];
	}
	if (covered) {
		/* 'mm' covers our mask: only 'mk' under our mask overlaps. */
		if (table_find(st, mk, cls_hash_masked(mk, st->mask, st->first,
						       st->end), &slot))
			foreach_in_list(t->rules[slot], fn, arg);
		return;
	}
	for (uint32_t i = 0; i <= t->mask; i++) {
		const cls_word *rk;
		bool overlap = true;

		if (t->tags[i] <= CLS_TAG_TOMB)
			continue;
		rk = (const cls_word *)&t->rules[i]->match.key;
		for (unsigned int j = st->first; j < st->end && overlap; j++)
			overlap = ((rk[j] ^ mk[j]) & common[j]) == 0;
		if (overlap)
			foreach_in_list(t->rules[i], fn, arg);
	}
}

void
nfv_cls_foreach_overlapping(const struct nfv_cls *c,
			    const struct nfv_match *m,
			    void (*fn)(void *arg, struct nfv_cls_rule *r),
			    void *arg)
{
	const cls_word *mk = (const cls_word *)&m->key;
	const cls_word *mm = (const cls_word *)&m->mask;

	for (unsigned int i = 0; c->map != NULL && i <= c->map_mask; i++)
		for (const struct cls_subtable *st = c->map[i]; st != NULL;
		     st = st->map_next)
			if (st->n_rules > 0)
				subtable_foreach_overlapping(st, mk, mm, fn,
							     arg);
}
