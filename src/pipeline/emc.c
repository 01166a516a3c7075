/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The exact-match cache (see emc.h): a 2-way set-associative table from
 * full flow keys to megaflow cache entries, owned by one worker, and the
 * adaptive insertion policy that keeps it useful when the active flows far
 * outnumber its entries. An entry holds a pointer into the megaflow cache's
 * slot array and the slot's generation; the slot memory lives as long as
 * the megaflow cache, so a stale entry is detected by a generation, 'live'
 * or 'dead' check and never dereferences freed memory.
 *
 * Pure C: no DPDK, no locks, no allocation after create.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "emc.h"
#include "mfc.h"

/*
 * Layout. Each set is 32 bytes holding both ways' hash, megaflow generation
 * and megaflow pointer, two sets per cache line; the keys live in a
 * separate array, 128 bytes (two cache lines) per way. A lookup reads one
 * line of set metadata and, only when a stored hash equals the key's, the
 * key lines of that way. A miss therefore costs one cache line, where a
 * direct-mapped table with a second probe at 'hash >> 16' (Open vSwitch's
 * choice) touches two whole entries. Two choices per key within a set
 * conflict slightly more than two independent locations, but with random
 * replacement and a table that is mostly about avoiding the megaflow
 * lookup, the memory traffic matters more.
 */
#define EMC_WAYS 2
#define EMC_MIN_ENTRIES 16u
#define EMC_MAX_ENTRIES (1u << 30)

struct emc_set {
	uint32_t hash[EMC_WAYS];
	uint32_t mf_gen[EMC_WAYS];
	struct nfv_megaflow *mf[EMC_WAYS];      /* NULL: way empty */
};

_Static_assert(sizeof(struct emc_set) == 32, "two sets per cache line");

/*
 * Adaptive insertion. The EMC counts lookups and hits over windows of
 * EMC_WINDOW lookups and, at the end of each window, picks the insertion
 * mode for the next one:
 *
 *   ALWAYS  --(hit rate < EMC_ALWAYS_MIN_PCT)------------------> SAMPLED
 *   SAMPLED --(hit rate < EMC_BYPASS_BELOW_PCT)----------------> BYPASS
 *   SAMPLED --('trial_wait' windows spent in SAMPLED)----------> ALWAYS trial
 *   BYPASS  --(EMC_BYPASS_WINDOWS * EMC_WINDOW lookups later)--> ALWAYS trial
 *   ALWAYS trial --(EMC_TRIAL_WINDOWS windows >= the minimum)--> ALWAYS
 *
 * The window (16384 lookups, about 1.6 ms at 10 Mpps) is long enough for a
 * stable estimate and short enough to react within milliseconds; the
 * decision costs one cold call per window.
 *
 * SAMPLED inserts one miss in EMC_SAMPLED_INV_PROB (100, Open vSwitch's
 * emc-insert-inv-prob default). A flow that keeps coming back gets in after
 * about 100 misses and then stays, because the other flows rarely get a
 * chance to evict it: the EMC holds a stable subset of the flows, biased
 * towards the busy ones, instead of the last few seen. With more flows
 * than entries that beats ALWAYS by far (1600 flows cycling over 1024
 * entries: ~31% hits in ALWAYS, ~60% in SAMPLED). SAMPLED only loses where
 * flows are short (a flow of 20 packets never gets in) or when a new
 * working set must be loaded quickly.
 *
 * So ALWAYS must earn its keep: it is left as soon as fewer than half of
 * the lookups hit (EMC_ALWAYS_MIN_PCT, 50%), because then most lookups end
 * in an insert (a 128-byte key copy, a dirtied cache line) that evicts an
 * entry which was still useful. Open vSwitch's experience is that churn,
 * not the hit rate alone, is what costs.
 *
 * Since SAMPLED cannot show what ALWAYS would do, it tries: after
 * 'trial_wait' windows in SAMPLED the EMC switches to ALWAYS on trial, and
 * keeps it if EMC_TRIAL_WINDOWS windows in a row reach the minimum. A
 * failed trial doubles 'trial_wait' (1, 2, 4 ... EMC_TRIAL_WAIT_MAX
 * windows), a successful one resets it, so traffic that suits SAMPLED pays
 * for one window of churn in 65 at worst, and traffic that suits ALWAYS
 * (short flows, a small new working set) is back in ALWAYS within 100 ms.
 *
 * SAMPLED goes to BYPASS below 5% hits: then even the lookup (a hash
 * compare and a cache line) costs more than it saves, e.g. under a flood of
 * new flows. BYPASS returns NULL at once for EMC_BYPASS_WINDOWS windows'
 * worth of lookups (about 100 ms at 10 Mpps) and then tries ALWAYS, not
 * SAMPLED: after a flood of short flows SAMPLED would never see a hit, and
 * a failed trial goes through one SAMPLED window back to BYPASS, so a
 * lasting flood costs two windows of inserts in 66.
 *
 * An operator who pins the insertion rate (insert_inv_prob > 0) disables
 * all of this: the mode never changes.
 */
#define EMC_WINDOW 16384u
#define EMC_ALWAYS_MIN_PCT 50u
#define EMC_BYPASS_BELOW_PCT 5u
#define EMC_SAMPLED_INV_PROB 100u
#define EMC_BYPASS_WINDOWS 64u
#define EMC_TRIAL_WINDOWS 4u
#define EMC_TRIAL_WAIT_MAX 64u

/* Hits in a window that make 'pct' percent (no division at run time). */
#define EMC_PCT_OF_WINDOW(pct) ((EMC_WINDOW * (pct)) / 100u)

struct nfv_emc {
	/* Read on every lookup; written only by the owning worker. */
	struct emc_set *sets;
	struct nfv_flow_key *keys;      /* way w of set s: keys[2 * s + w] */
	uint32_t set_mask;
	enum nfv_emc_mode mode;
	uint32_t inv_prob;              /* of the SAMPLED mode */
	uint32_t win_lookups;
	uint32_t win_hits;
	uint32_t bypass_left;           /* lookups until BYPASS ends */
	/* Counters: written by the worker, read racily by get_stats. */
	uint64_t lookups;
	uint64_t hits;
	uint64_t inserts;
	/* Insertion policy state (cold). */
	uint64_t rng;
	uint32_t n_entries;
	uint32_t windows_in_mode;
	uint32_t trial_wait;            /* SAMPLED windows before a trial */
	bool on_trial;                  /* ALWAYS, not yet confirmed */
	bool pinned;
};

static void *
emc_alloc(size_t size)
{
	void *p;

	size = (size + 63) & ~(size_t)63;
	p = aligned_alloc(64, size);
	if (p)
		memset(p, 0, size);
	return p;
}

int
nfv_emc_create(unsigned int n_entries, unsigned int insert_inv_prob,
	       struct nfv_emc **out)
{
	struct nfv_emc *e;
	uint32_t n = EMC_MIN_ENTRIES;

	if (n_entries > EMC_MAX_ENTRIES)
		return -ENOMEM;
	while (n < n_entries)
		n <<= 1;

	e = emc_alloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->sets = emc_alloc((size_t)n / EMC_WAYS * sizeof(*e->sets));
	e->keys = emc_alloc((size_t)n * sizeof(*e->keys));
	if (!e->sets || !e->keys) {
		nfv_emc_destroy(e);
		return -ENOMEM;
	}
	e->n_entries = n;
	e->set_mask = n / EMC_WAYS - 1;
	e->rng = 0x9e3779b97f4a7c15ull;     /* any nonzero seed */
	e->trial_wait = 1;
	if (insert_inv_prob > 0) {
		e->pinned = true;
		e->inv_prob = insert_inv_prob;
		e->mode = insert_inv_prob == 1 ? NFV_EMC_ALWAYS
					       : NFV_EMC_SAMPLED;
	} else {
		e->inv_prob = EMC_SAMPLED_INV_PROB;
		e->mode = NFV_EMC_ALWAYS;
	}
	*out = e;
	return 0;
}

void
nfv_emc_destroy(struct nfv_emc *e)
{
	if (!e)
		return;
	free(e->sets);
	free(e->keys);
	free(e);
}

/*
 * CRC32C of the 16 key words in four independent lanes of four words, then
 * the four lane values folded by two more CRC steps. The crc32 instruction
 * has a latency of 3 cycles and a throughput of 1 per cycle, so a single
 * chain of 16 would take ~48 cycles; four lanes take ~18 and hash just as
 * well for a table index. The low bits (the set index) are as good as the
 * high ones. Without SSE4.2 a multiply-xorshift mix stands in; hashes are
 * never stored beyond the process, so the two need not agree.
 */
uint32_t
nfv_key_hash(const struct nfv_flow_key *key)
{
	const uint64_t *w = (const uint64_t *)key;
#ifdef __SSE4_2__
	unsigned long long a = 0x1234567u, b = 0x89abcdefu;
	unsigned long long c = 0x2468aceu, d = 0x13579bdfu;

	for (unsigned int i = 0; i < NFV_KEY_WORDS; i += 4) {
		a = __builtin_ia32_crc32di(a, w[i]);
		b = __builtin_ia32_crc32di(b, w[i + 1]);
		c = __builtin_ia32_crc32di(c, w[i + 2]);
		d = __builtin_ia32_crc32di(d, w[i + 3]);
	}
	a = __builtin_ia32_crc32di(a, b << 32 | c);
	a = __builtin_ia32_crc32di(a, d);
	/* CRC is linear: keys that count up together (addresses and ports
	 * of a test generator) would share sets. A finaliser mixes them. */
	a = (uint32_t)a * 0x85ebca6bu;
	a ^= (uint32_t)a >> 16;
	return (uint32_t)a;
#else
	uint64_t h = 0x9e3779b97f4a7c15ull;

	for (unsigned int i = 0; i < NFV_KEY_WORDS; i++) {
		h = (h ^ w[i]) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	h *= 0xc4ceb9fe1a85ec53ull;
	return (uint32_t)(h ^ (h >> 29));
#endif
}

static inline bool
emc_key_equal(const struct nfv_flow_key *a, const struct nfv_flow_key *b)
{
	const uint64_t *x = (const uint64_t *)a;
	const uint64_t *y = (const uint64_t *)b;
	uint64_t diff = 0;

	/* No early exit: 16 xor/or vectorise and the keys are in cache. */
	for (unsigned int i = 0; i < NFV_KEY_WORDS; i++)
		diff |= x[i] ^ y[i];
	return diff == 0;
}

/* True if 'mf' may still be used by an entry that saw generation 'gen'.
 * 'dead' is written by the control thread; 'live' and 'gen' only by this
 * worker (in the megaflow cache). */
static inline bool
emc_mf_valid(const struct nfv_megaflow *mf, uint32_t gen)
{
	return mf->live && !__atomic_load_n(&mf->dead, __ATOMIC_RELAXED) &&
	       mf->gen == gen;
}

/* xorshift64*: cheap, and plenty for sampling and victim choice. */
static inline uint32_t
emc_random(struct nfv_emc *e)
{
	e->rng ^= e->rng >> 12;
	e->rng ^= e->rng << 25;
	e->rng ^= e->rng >> 27;
	return (uint32_t)((e->rng * 0x2545f4914f6cdd1dull) >> 32);
}

static void
emc_set_mode(struct nfv_emc *e, enum nfv_emc_mode mode, bool on_trial)
{
	e->mode = mode;
	e->on_trial = on_trial;
	e->windows_in_mode = 0;
	if (mode == NFV_EMC_BYPASS)
		e->bypass_left = EMC_BYPASS_WINDOWS * EMC_WINDOW;
}

/* End of a window of EMC_WINDOW lookups with 'win_hits' hits: picks the
 * next mode (see the comment at the top). */
static void __attribute__((noinline, cold))
emc_window_end(struct nfv_emc *e)
{
	uint32_t hits = e->win_hits;

	e->win_lookups = 0;
	e->win_hits = 0;
	if (e->pinned)
		return;
	e->windows_in_mode++;

	switch (e->mode) {
	case NFV_EMC_ALWAYS:
		if (hits < EMC_PCT_OF_WINDOW(EMC_ALWAYS_MIN_PCT)) {
			/* A failed trial backs off; an established ALWAYS
			 * that fails means the traffic changed. */
			if (!e->on_trial)
				e->trial_wait = 1;
			else if (e->trial_wait < EMC_TRIAL_WAIT_MAX)
				e->trial_wait *= 2;
			emc_set_mode(e, NFV_EMC_SAMPLED, false);
		} else if (e->on_trial &&
			   e->windows_in_mode >= EMC_TRIAL_WINDOWS) {
			e->on_trial = false;
			e->trial_wait = 1;
		}
		break;
	case NFV_EMC_SAMPLED:
		if (hits < EMC_PCT_OF_WINDOW(EMC_BYPASS_BELOW_PCT))
			emc_set_mode(e, NFV_EMC_BYPASS, false);
		else if (e->windows_in_mode >= e->trial_wait)
			emc_set_mode(e, NFV_EMC_ALWAYS, true);
		break;
	case NFV_EMC_BYPASS:
		/* Left by counting lookups, not windows. */
		break;
	}
}

static void __attribute__((noinline, cold))
emc_bypass_end(struct nfv_emc *e)
{
	e->win_lookups = 0;
	e->win_hits = 0;
	emc_set_mode(e, NFV_EMC_ALWAYS, true);
}

/* The entry of 'key' if it is still valid, else NULL. */
static inline struct nfv_megaflow *
emc_find(const struct nfv_emc *e, const struct nfv_flow_key *key,
	 uint32_t hash)
{
	uint32_t s = hash & e->set_mask;
	const struct emc_set *set = &e->sets[s];

	for (unsigned int w = 0; w < EMC_WAYS; w++) {
		struct nfv_megaflow *mf = set->mf[w];

		if (set->hash[w] != hash || !mf)
			continue;
		if (!emc_key_equal(&e->keys[s * EMC_WAYS + w], key))
			continue;
		/* A stale entry is a miss; the insert that follows the
		 * megaflow lookup overwrites it. */
		return emc_mf_valid(mf, set->mf_gen[w]) ? mf : NULL;
	}
	return NULL;
}

void
nfv_emc_prefetch(const struct nfv_emc *e, uint32_t hash)
{
	uint32_t s = hash & e->set_mask;

	if (e->mode == NFV_EMC_BYPASS)
		return;
	__builtin_prefetch(&e->sets[s]);
	__builtin_prefetch(&e->keys[s * EMC_WAYS]);
	__builtin_prefetch((const char *)&e->keys[s * EMC_WAYS] + 64);
}

struct nfv_megaflow *
nfv_emc_lookup(struct nfv_emc *e, const struct nfv_flow_key *key,
	       uint32_t hash)
{
	struct nfv_megaflow *mf;

	e->lookups++;
	if (__builtin_expect(e->mode == NFV_EMC_BYPASS, 0)) {
		if (--e->bypass_left == 0)
			emc_bypass_end(e);
		return NULL;
	}
	mf = emc_find(e, key, hash);
	if (mf) {
		e->hits++;
		e->win_hits++;
	}
	if (__builtin_expect(++e->win_lookups == EMC_WINDOW, 0))
		emc_window_end(e);
	return mf;
}

static inline bool
emc_sample(struct nfv_emc *e)
{
	if (e->inv_prob <= 1)
		return true;
	/* One in 'inv_prob' by multiply-shift: no division. */
	return ((uint64_t)emc_random(e) * e->inv_prob) >> 32 == 0;
}

void
nfv_emc_insert(struct nfv_emc *e, const struct nfv_flow_key *key,
	       uint32_t hash, struct nfv_megaflow *mf)
{
	struct emc_set *set;
	unsigned int w, victim = EMC_WAYS;
	uint32_t s;

	switch (e->mode) {
	case NFV_EMC_ALWAYS:
		break;
	case NFV_EMC_SAMPLED:
		if (!emc_sample(e))
			return;
		break;
	case NFV_EMC_BYPASS:
		return;
	}

	s = hash & e->set_mask;
	set = &e->sets[s];
	/* The same key (a stale entry for it), else an empty or stale way,
	 * else a random one. */
	for (w = 0; w < EMC_WAYS; w++) {
		if (set->mf[w] && set->hash[w] == hash &&
		    emc_key_equal(&e->keys[s * EMC_WAYS + w], key)) {
			victim = w;
			break;
		}
	}
	for (w = 0; victim == EMC_WAYS && w < EMC_WAYS; w++)
		if (!set->mf[w] || !emc_mf_valid(set->mf[w], set->mf_gen[w]))
			victim = w;
	if (victim == EMC_WAYS)
		victim = emc_random(e) & (EMC_WAYS - 1);

	set->hash[victim] = hash;
	set->mf_gen[victim] = mf->gen;
	set->mf[victim] = mf;
	e->keys[s * EMC_WAYS + victim] = *key;
	e->inserts++;
}

void
nfv_emc_flush(struct nfv_emc *e)
{
	memset(e->sets, 0, (size_t)(e->set_mask + 1) * sizeof(*e->sets));
}

void
nfv_emc_get_stats(const struct nfv_emc *e, struct nfv_emc_stats *st)
{
	st->lookups = e->lookups;
	st->hits = e->hits;
	st->inserts = e->inserts;
	st->mode = e->mode;
	st->insert_inv_prob = e->mode == NFV_EMC_ALWAYS ? 1 : e->inv_prob;
	st->n_entries = e->n_entries;
}

const char *
nfv_emc_mode_name(enum nfv_emc_mode mode)
{
	switch (mode) {
	case NFV_EMC_ALWAYS:
		return "always";
	case NFV_EMC_SAMPLED:
		return "sampled";
	case NFV_EMC_BYPASS:
		return "bypass";
	}
	return "unknown";
}
