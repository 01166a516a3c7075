/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The megaflow cache (see mfc.h): a fixed array of megaflow slots and a
 * tuple-space index over them. Each distinct megaflow mask has a subtable,
 * an open-addressing hash of the slots whose entries carry that mask, keyed
 * by the masked key over the mask's nonzero words. A lookup masks the key
 * with each subtable's mask in turn, busiest subtable first, and probes.
 * The EMC (emc.c) sits in front and points into the slot array; the
 * control thread reads slots through nfv_mfc_foreach() only.
 *
 * Pure C: no DPDK, no locks, no allocation after create.
 */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mfc.h"

/*
 * Distinct masks. Tuple-space search costs one probe per subtable on a
 * miss, so past a few dozen masks the cache stops paying for itself. An
 * insert that needs a 65th mask is refused (NULL): the packet is still
 * forwarded by the caller from its translation, only not cached. Subtables
 * go away with their last entry (eviction, idle sweep), so a burst of odd
 * masks does not block new ones for long.
 */
#define MFC_MAX_MASKS 64

/*
 * A bucket is 0 (empty) or (tag << MFC_SLOT_BITS | (slot + 1)), the tag
 * being the top 11 bits of the entry's hash: a probe that meets another
 * entry rejects it without touching the slot's cache line 2047 times in
 * 2048. Hence at most 2^21 - 1 entries (2.7 KB each: beyond any sensible
 * cache size; the config allows 2^20).
 */
#define MFC_SLOT_BITS 21
#define MFC_SLOT_MASK ((1u << MFC_SLOT_BITS) - 1)
#define MFC_MAX_ENTRIES MFC_SLOT_MASK

/* Lookups between re-sorts of the subtables by hits. */
#define MFC_SORT_INTERVAL 1024

/* Slots examined to find a victim when the cache is full. */
#define MFC_EVICT_CANDIDATES 8

/* Times nfv_mfc_foreach() tries to copy a slot that keeps changing. */
#define MFC_READ_TRIES 4

/*
 * The index of one mask. Its buckets hold at most n_slots entries in
 * 'bucket_mask + 1' >= 2 * n_slots buckets, so the load stays <= 0.5 and
 * linear probing always finds an empty bucket. Deletion shifts later
 * entries of the cluster back (Knuth's algorithm R) instead of leaving
 * tombstones, so probe lengths never degrade and a subtable whose last
 * entry goes is all empty again. All MFC_MAX_MASKS bucket arrays are
 * allocated at create: 512 to 1024 bytes per entry, against 2.7 KB for
 * the entry itself.
 */
struct mfc_subtable {
	uint64_t hits;                  /* decayed at each re-sort */
	uint32_t *buckets;
	uint32_t n_entries;
	uint8_t first;                  /* nonzero mask words [first, end) */
	uint8_t end;
	bool in_use;
	struct nfv_flow_key mask;
};

/*
 * Written by the owning worker only, except the slots (see mfc.h: the
 * control thread reads them under their sequence lock and stores 'dead').
 * The control thread also reads 'slots' and 'n_slots', which never change
 * after create, and may read the counts racily for display.
 */
struct nfv_mfc {
	/* Read by every lookup. */
	struct nfv_megaflow *slots;
	uint32_t bucket_mask;
	uint32_t sort_countdown;
	unsigned int n_subtables;
	uint8_t order[MFC_MAX_MASKS];   /* subtable indexes, busiest first */
	struct nfv_flow_key mask_union; /* OR of every subtable's mask */
	/* Insert, remove and sweep. */
	uint8_t *slot_st;               /* subtable index of each live slot */
	uint32_t *free_slots;           /* stack of free slot indexes */
	uint32_t n_free;
	uint32_t n_slots;
	uint32_t n_live;
	uint32_t sweep_cursor;
	uint64_t rng;
	uint32_t *bucket_mem;           /* MFC_MAX_MASKS bucket arrays */
	struct mfc_subtable subtables[MFC_MAX_MASKS];
};

static void *
mfc_alloc(size_t size)
{
	void *p;

	size = (size + 63) & ~(size_t)63;
	p = aligned_alloc(64, size);
	if (p)
		memset(p, 0, size);
	return p;
}

int
nfv_mfc_create(unsigned int n_entries, struct nfv_mfc **out)
{
	struct nfv_mfc *c;
	size_t n_buckets = 16;

	if (n_entries == 0 || n_entries > MFC_MAX_ENTRIES)
		return -EINVAL;
	while (n_buckets < 2 * (size_t)n_entries)
		n_buckets <<= 1;

	c = mfc_alloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->slots = mfc_alloc(n_entries * sizeof(*c->slots));
	c->slot_st = mfc_alloc(n_entries * sizeof(*c->slot_st));
	c->free_slots = mfc_alloc(n_entries * sizeof(*c->free_slots));
	c->bucket_mem = mfc_alloc(MFC_MAX_MASKS * n_buckets *
				  sizeof(*c->bucket_mem));
	if (!c->slots || !c->slot_st || !c->free_slots || !c->bucket_mem) {
		nfv_mfc_destroy(c);
		return -ENOMEM;
	}
	c->n_slots = n_entries;
	c->bucket_mask = n_buckets - 1;
	c->sort_countdown = MFC_SORT_INTERVAL;
	c->rng = 0x2545f4914f6cdd1dull;     /* any nonzero seed */
	for (unsigned int i = 0; i < MFC_MAX_MASKS; i++)
		c->subtables[i].buckets = c->bucket_mem + i * n_buckets;
	/* Slot 0 on top, so a fresh cache fills from the start. */
	for (uint32_t i = 0; i < n_entries; i++)
		c->free_slots[i] = n_entries - 1 - i;
	c->n_free = n_entries;
	*out = c;
	return 0;
}

void
nfv_mfc_destroy(struct nfv_mfc *c)
{
	if (!c)
		return;
	free(c->slots);
	free(c->slot_st);
	free(c->free_slots);
	free(c->bucket_mem);
	free(c);
}

/* CRC32C of words [first, end) of 'w' (see nfv_key_hash() for the
 * fallback). Masks usually span a few words, so one chain is enough. */
static inline uint32_t
mfc_hash(const uint64_t *w, unsigned int first, unsigned int end)
{
#ifdef __SSE4_2__
	unsigned long long h = 0x5bd1e995u;

	for (unsigned int i = first; i < end; i++)
		h = __builtin_ia32_crc32di(h, w[i]);
	return (uint32_t)h;
#else
	uint64_t h = 0x5bd1e995u;

	for (unsigned int i = first; i < end; i++) {
		h = (h ^ w[i]) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	h *= 0xc4ceb9fe1a85ec53ull;
	return (uint32_t)(h ^ (h >> 29));
#endif
}

/* xorshift64*: victims need only look random. */
static inline uint32_t
mfc_random(struct nfv_mfc *c)
{
	c->rng ^= c->rng >> 12;
	c->rng ^= c->rng << 25;
	c->rng ^= c->rng >> 27;
	return (uint32_t)((c->rng * 0x2545f4914f6cdd1dull) >> 32);
}

static void
mfc_mask_range(const uint64_t *m, uint8_t *first, uint8_t *end)
{
	unsigned int f = 0, e = NFV_KEY_WORDS;

	while (f < NFV_KEY_WORDS && !m[f])
		f++;
	if (f == NFV_KEY_WORDS) {
		*first = *end = 0;      /* matches everything */
		return;
	}
	while (!m[e - 1])
		e--;
	*first = f;
	*end = e;
}

/* Sequence lock, writer side (the worker is the only writer). */
static inline uint32_t
mfc_write_begin(struct nfv_megaflow *mf)
{
	uint32_t seq = mf->seq + 1;

	__atomic_store_n(&mf->seq, seq, __ATOMIC_RELAXED);
	/* The odd 'seq' is visible before any of the writes that follow. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	return seq;
}

static inline void
mfc_write_end(struct nfv_megaflow *mf, uint32_t seq)
{
	__atomic_store_n(&mf->seq, seq + 1, __ATOMIC_RELEASE);
}

static inline bool
mfc_words_equal(const struct nfv_flow_key *key, const uint64_t *mk,
		unsigned int first, unsigned int end)
{
	const uint64_t *k = (const uint64_t *)key;

	for (unsigned int w = first; w < end; w++)
		if (k[w] != mk[w])
			return false;
	return true;
}

/* The entry of subtable 'st' whose masked key is 'mk' (valid over the
 * subtable's words) and hash 'h', or NULL. */
static inline struct nfv_megaflow *
mfc_subtable_find(const struct nfv_mfc *c, const struct mfc_subtable *st,
		  const uint64_t *mk, uint32_t h)
{
	uint32_t i = h & c->bucket_mask;
	uint32_t tag = h >> MFC_SLOT_BITS;

	for (;;) {
		uint32_t b = st->buckets[i];
		struct nfv_megaflow *mf;

		if (!b)
			return NULL;
		if (b >> MFC_SLOT_BITS == tag) {
			mf = &c->slots[(b & MFC_SLOT_MASK) - 1];
			if (mf->hash == h &&
			    mfc_words_equal(&mf->match.key, mk, st->first,
					    st->end))
				return mf;
		}
		i = (i + 1) & c->bucket_mask;
	}
}

static void
mfc_subtable_add(struct nfv_mfc *c, struct mfc_subtable *st, uint32_t s,
		 uint32_t h)
{
	uint32_t i = h & c->bucket_mask;

	while (st->buckets[i])
		i = (i + 1) & c->bucket_mask;
	st->buckets[i] = (h >> MFC_SLOT_BITS) << MFC_SLOT_BITS | (s + 1);
	st->n_entries++;
}

/* Removes slot 's' (whose 'hash' is still its entry's) from 'st'. */
static void
mfc_subtable_del(struct nfv_mfc *c, struct mfc_subtable *st, uint32_t s)
{
	uint32_t m = c->bucket_mask;
	uint32_t *b = st->buckets;
	uint32_t i = c->slots[s].hash & m;

	while ((b[i] & MFC_SLOT_MASK) != s + 1) {
		assert(b[i]);
		i = (i + 1) & m;
	}
	/* Backward shift: move later entries of the cluster into the hole
	 * unless that would put them before their home bucket. */
	for (;;) {
		uint32_t j = i, home;

		for (;;) {
			j = (j + 1) & m;
			if (!b[j]) {
				b[i] = 0;
				st->n_entries--;
				return;
			}
			home = c->slots[(b[j] & MFC_SLOT_MASK) - 1].hash & m;
			if (((j - home) & m) >= ((j - i) & m))
				break;
		}
		b[i] = b[j];
		i = j;
	}
}

static struct mfc_subtable *
mfc_subtable_by_mask(struct nfv_mfc *c, const uint64_t *m, uint8_t first,
		     uint8_t end)
{
	for (unsigned int i = 0; i < c->n_subtables; i++) {
		struct mfc_subtable *st = &c->subtables[c->order[i]];
		const uint64_t *sm = (const uint64_t *)&st->mask;
		unsigned int w;

		if (st->first != first || st->end != end)
			continue;
		for (w = first; w < end; w++)
			if (sm[w] != m[w])
				break;
		if (w == end)
			return st;
	}
	return NULL;
}

static void
mfc_union_update(struct nfv_mfc *c)
{
	uint64_t *u = (uint64_t *)&c->mask_union;

	memset(u, 0, sizeof(c->mask_union));
	for (unsigned int i = 0; i < MFC_MAX_MASKS; i++) {
		const uint64_t *m = (const uint64_t *)&c->subtables[i].mask;

		if (!c->subtables[i].in_use)
			continue;
		for (unsigned int w = 0; w < NFV_KEY_WORDS; w++)
			u[w] |= m[w];
	}
}

/* Caller checked that fewer than MFC_MAX_MASKS subtables are in use. */
static struct mfc_subtable *
mfc_subtable_create(struct nfv_mfc *c, const struct nfv_flow_key *mask,
		    uint8_t first, uint8_t end)
{
	struct mfc_subtable *st = c->subtables;

	while (st->in_use)
		st++;
	assert(st < c->subtables + MFC_MAX_MASKS);
	st->in_use = true;
	st->mask = *mask;
	st->first = first;
	st->end = end;
	st->hits = 0;
	st->n_entries = 0;
	/* New masks start last: they have no hits yet. */
	c->order[c->n_subtables++] = st - c->subtables;
	mfc_union_update(c);
	return st;
}

static void
mfc_subtable_destroy(struct nfv_mfc *c, struct mfc_subtable *st)
{
	uint8_t idx = st - c->subtables;
	unsigned int i = 0;

	while (c->order[i] != idx)
		i++;
	memmove(&c->order[i], &c->order[i + 1],
		(c->n_subtables - i - 1) * sizeof(c->order[0]));
	c->n_subtables--;
	st->in_use = false;
	mfc_union_update(c);
}

/* Frees slot 's'. Returns true if its subtable went away with it. */
static bool
mfc_remove_slot(struct nfv_mfc *c, uint32_t s)
{
	struct nfv_megaflow *mf = &c->slots[s];
	struct mfc_subtable *st = &c->subtables[c->slot_st[s]];
	uint32_t seq;

	mfc_subtable_del(c, st, s);
	seq = mfc_write_begin(mf);
	__atomic_store_n(&mf->live, false, __ATOMIC_RELAXED);
	mfc_write_end(mf, seq);
	c->free_slots[c->n_free++] = s;
	c->n_live--;
	if (st->n_entries == 0) {
		mfc_subtable_destroy(c, st);
		return true;
	}
	return false;
}

/* Frees the least recently used of a few random slots (a dead one at
 * once). Only called when every slot is live. Returns as
 * mfc_remove_slot(). */
static bool
mfc_evict(struct nfv_mfc *c)
{
	uint32_t victim = 0;
	uint64_t oldest = UINT64_MAX;

	for (unsigned int i = 0; i < MFC_EVICT_CANDIDATES; i++) {
		uint32_t s = ((uint64_t)mfc_random(c) * c->n_slots) >> 32;
		const struct nfv_megaflow *mf = &c->slots[s];

		if (__atomic_load_n(&mf->dead, __ATOMIC_RELAXED)) {
			victim = s;
			break;
		}
		if (mf->used_ms < oldest) {
			oldest = mf->used_ms;
			victim = s;
		}
	}
	assert(c->slots[victim].live);
	return mfc_remove_slot(c, victim);
}

static inline unsigned int
mfc_min(unsigned int a, unsigned int b)
{
	return a < b ? a : b;
}

/* Writes a new entry into 'mf' under its sequence lock. */
static void
mfc_slot_fill(struct nfv_megaflow *mf, const uint64_t *mk, uint32_t h,
	      const struct nfv_xlate_out *x, uint64_t now_ms)
{
	uint32_t seq = mfc_write_begin(mf);

	__atomic_store_n(&mf->gen, mf->gen + 1, __ATOMIC_RELAXED);
	__atomic_store_n(&mf->live, true, __ATOMIC_RELAXED);
	__atomic_store_n(&mf->dead, 0, __ATOMIC_RELAXED);
	mf->hash = h;
	memcpy(&mf->match.key, mk, sizeof(mf->match.key));
	mf->match.mask = x->wc;
	mf->n_actions = mfc_min(x->n_actions, NFV_XLATE_MAX_ACTIONS);
	memcpy(mf->actions, x->actions,
	       mf->n_actions * sizeof(mf->actions[0]));
	mf->n_pktin = mfc_min(x->n_pktin, NFV_XLATE_MAX_PKTIN);
	memcpy(mf->pktin, x->pktin, mf->n_pktin * sizeof(mf->pktin[0]));
	mf->n_rules = mfc_min(x->n_rules, NFV_XLATE_MAX_RULES);
	memcpy(mf->rules, x->rules, mf->n_rules * sizeof(mf->rules[0]));
	mf->n_packets = 0;
	mf->n_bytes = 0;
	mf->used_ms = now_ms;
	mf->created_ms = now_ms;
	mf->miss = x->miss;
	mf->any_change_invalidates = x->any_change_invalidates;
	mf->n_versions = mfc_min(x->n_versions, NFV_XLATE_MAX_VERSIONS);
	memcpy(mf->versions, x->versions,
	       mf->n_versions * sizeof(mf->versions[0]));
	mfc_write_end(mf, seq);
}

/* Sorts the subtables by hits, busiest first, and halves the hits so that
 * the order follows the traffic. At most 64 entries, nearly sorted: an
 * insertion sort is the cheapest. */
static void __attribute__((noinline, cold))
mfc_resort(struct nfv_mfc *c)
{
	c->sort_countdown = MFC_SORT_INTERVAL;
	for (unsigned int i = 1; i < c->n_subtables; i++) {
		uint8_t idx = c->order[i];
		uint64_t hits = c->subtables[idx].hits;
		unsigned int j = i;

		while (j > 0 && c->subtables[c->order[j - 1]].hits < hits) {
			c->order[j] = c->order[j - 1];
			j--;
		}
		c->order[j] = idx;
	}
	for (unsigned int i = 0; i < c->n_subtables; i++)
		c->subtables[c->order[i]].hits >>= 1;
}

struct nfv_megaflow *
nfv_mfc_lookup(struct nfv_mfc *c, const struct nfv_flow_key *key)
{
	const uint64_t *k = (const uint64_t *)key;
	unsigned int i = 0;

	if (__builtin_expect(--c->sort_countdown == 0, 0))
		mfc_resort(c);

	while (i < c->n_subtables) {
		struct mfc_subtable *st = &c->subtables[c->order[i]];
		const uint64_t *m = (const uint64_t *)&st->mask;
		uint64_t mk[NFV_KEY_WORDS];
		struct nfv_megaflow *mf;

		for (unsigned int w = st->first; w < st->end; w++)
			mk[w] = k[w] & m[w];
		mf = mfc_subtable_find(c, st, mk,
				       mfc_hash(mk, st->first, st->end));
		if (!mf) {
			i++;
			continue;
		}
		if (__builtin_expect(
			    !__atomic_load_n(&mf->dead, __ATOMIC_RELAXED), 1)) {
			st->hits++;
			return mf;
		}
		/* Dead: free it and go on (another mask may match). If its
		 * subtable went away, order[i] is already the next one. */
		if (!mfc_remove_slot(c, mf - c->slots))
			i++;
	}
	return NULL;
}

struct nfv_megaflow *
nfv_mfc_insert(struct nfv_mfc *c, const struct nfv_flow_key *key,
	       const struct nfv_xlate_out *x, uint64_t now_ms)
{
	const uint64_t *k = (const uint64_t *)key;
	const uint64_t *m = (const uint64_t *)&x->wc;
	uint64_t mk[NFV_KEY_WORDS];
	struct mfc_subtable *st;
	struct nfv_megaflow *mf;
	uint8_t first, end;
	uint32_t h, s;

	for (unsigned int w = 0; w < NFV_KEY_WORDS; w++)
		mk[w] = k[w] & m[w];
	mfc_mask_range(m, &first, &end);
	h = mfc_hash(mk, first, end);

	st = mfc_subtable_by_mask(c, m, first, end);
	if (st) {
		mf = mfc_subtable_find(c, st, mk, h);
		if (mf) {
			/* Same mask and masked key: replace in place. */
			mfc_slot_fill(mf, mk, h, x, now_ms);
			return mf;
		}
	} else if (c->n_subtables == MFC_MAX_MASKS) {
		return NULL;    /* too many masks: see MFC_MAX_MASKS */
	}

	if (c->n_free == 0 && mfc_evict(c) && st && !st->in_use)
		st = NULL;      /* the victim was the last of our mask */
	s = c->free_slots[--c->n_free];
	if (!st)
		st = mfc_subtable_create(c, &x->wc, first, end);

	mf = &c->slots[s];
	mfc_slot_fill(mf, mk, h, x, now_ms);
	mfc_subtable_add(c, st, s, h);
	c->slot_st[s] = st - c->subtables;
	c->n_live++;
	return mf;
}

void
nfv_mfc_remove(struct nfv_mfc *c, struct nfv_megaflow *mf)
{
	assert(mf >= c->slots && mf < c->slots + c->n_slots);
	if (mf->live)
		mfc_remove_slot(c, mf - c->slots);
}

unsigned int
nfv_mfc_sweep(struct nfv_mfc *c, uint64_t now_ms, uint64_t idle_ms,
	      unsigned int budget)
{
	unsigned int n_removed = 0;

	if (budget > c->n_slots)
		budget = c->n_slots;
	while (budget-- > 0) {
		uint32_t s = c->sweep_cursor;
		const struct nfv_megaflow *mf = &c->slots[s];

		c->sweep_cursor = s + 1 == c->n_slots ? 0 : s + 1;
		if (!mf->live)
			continue;
		if (__atomic_load_n(&mf->dead, __ATOMIC_RELAXED) ||
		    (now_ms >= mf->used_ms &&
		     now_ms - mf->used_ms >= idle_ms)) {
			mfc_remove_slot(c, s);
			n_removed++;
		}
	}
	return n_removed;
}

void
nfv_mfc_flush(struct nfv_mfc *c)
{
	for (unsigned int i = 0; i < c->n_subtables; i++) {
		struct mfc_subtable *st = &c->subtables[c->order[i]];

		memset(st->buckets, 0,
		       ((size_t)c->bucket_mask + 1) * sizeof(st->buckets[0]));
		st->n_entries = 0;
		st->in_use = false;
	}
	c->n_subtables = 0;
	for (uint32_t s = 0; s < c->n_slots; s++) {
		struct nfv_megaflow *mf = &c->slots[s];
		uint32_t seq;

		if (!mf->live)
			continue;
		seq = mfc_write_begin(mf);
		__atomic_store_n(&mf->live, false, __ATOMIC_RELAXED);
		mfc_write_end(mf, seq);
	}
	for (uint32_t i = 0; i < c->n_slots; i++)
		c->free_slots[i] = c->n_slots - 1 - i;
	c->n_free = c->n_slots;
	c->n_live = 0;
	mfc_union_update(c);
}

/* Sequence lock, reader side: copies 'mf' into 'copy' if it is live and
 * a consistent copy can be had in a few tries. The hit counters
 * (n_packets, n_bytes, used_ms) are written by the worker without taking
 * the lock, so they may be torn or a hit behind in the copy; every other
 * field is consistent. */
static bool
mfc_read_slot(const struct nfv_megaflow *mf, struct nfv_megaflow *copy)
{
	for (unsigned int i = 0; i < MFC_READ_TRIES; i++) {
		uint32_t seq;

		if (!__atomic_load_n(&mf->live, __ATOMIC_RELAXED))
			return false;
		seq = __atomic_load_n(&mf->seq, __ATOMIC_ACQUIRE);
		if (seq & 1)
			continue;
		memcpy(copy, mf, sizeof(*copy));
		/* The copy is complete before 'seq' is read again. */
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&mf->seq, __ATOMIC_RELAXED) == seq)
			return copy->live;
	}
	return false;
}

unsigned int
nfv_mfc_foreach(struct nfv_mfc *c, nfv_mfc_visit_fn *fn, void *arg)
{
	struct nfv_megaflow copy;
	unsigned int n_killed = 0;

	for (uint32_t s = 0; s < c->n_slots; s++) {
		struct nfv_megaflow *mf = &c->slots[s];

		if (!mfc_read_slot(mf, &copy) || copy.dead)
			continue;
		if (!fn(arg, &copy))
			continue;
		/* Best effort: the worker may reuse the slot between this
		 * check and the store, and the new entry is then killed
		 * too. That costs it one miss and a retranslation, never a
		 * wrong answer. A slot reused before the check is spared. */
		if (__atomic_load_n(&mf->gen, __ATOMIC_RELAXED) == copy.gen) {
			__atomic_store_n(&mf->dead, 1, __ATOMIC_RELAXED);
			n_killed++;
		}
	}
	return n_killed;
}

unsigned int
nfv_mfc_count(const struct nfv_mfc *c)
{
	return c->n_live;
}

unsigned int
nfv_mfc_n_masks(const struct nfv_mfc *c)
{
	return c->n_subtables;
}

const struct nfv_flow_key *
nfv_mfc_mask_union(const struct nfv_mfc *c)
{
	return &c->mask_union;
}
