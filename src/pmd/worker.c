/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The PMD worker: the poll loop and the classification stages of a burst
 * (see worker.h). Actions are in exec.c. Nothing here allocates (except
 * mbufs from pools), takes a lock (except a shared tx queue, see port.h),
 * logs or makes a system call per packet.
 *
 * Miss path budget: at most dp->upcall_budget table walks per iteration.
 * Packets beyond it are dropped and counted (upcall-budget), not queued:
 * the next packets of those flows will walk in a later iteration, while
 * established flows (EMC and megaflow hits) keep their cycles.
 */
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_prefetch.h>
#include <rte_rcu_qsbr.h>

#include "emc.h"
#include "exec.h"
#include "mfc.h"
#include "parse.h"
#include "port.h"
#include "table.h"
#include "worker.h"
#include "xlate.h"

#define PREFETCH_AHEAD 3
#define MFC_SWEEP_BUDGET 16     /* slots per millisecond */

static const char *const drop_names[NFV_DROP_N] = {
#define NFV_DROP_NAME(id, name, doc) [NFV_DROP_##id] = name,
	NFV_DROP_REASONS(NFV_DROP_NAME)
#undef NFV_DROP_NAME
};

static const char *const stage_names[NFV_STAGE_N] = {
	[NFV_STAGE_RX] = "rx", [NFV_STAGE_PARSE] = "parse",
	[NFV_STAGE_LOOKUP] = "lookup", [NFV_STAGE_UPCALL] = "upcall",
	[NFV_STAGE_ACTIONS] = "actions", [NFV_STAGE_TX] = "tx",
};

const char *
nfv_drop_reason_name(enum nfv_drop_reason r)
{
	return r < NFV_DROP_N ? drop_names[r] : "unknown";
}

const char *
nfv_stage_name(enum nfv_stage s)
{
	return s < NFV_STAGE_N ? stage_names[s] : "unknown";
}

static int pktin_dynfield_offset = -1;

int
nfv_pktin_dynfield_register(void)
{
	static const struct rte_mbuf_dynfield desc = {
		.name = "nfv_pktin_meta",
		.size = sizeof(struct nfv_pktin_meta),
		.align = __alignof__(struct nfv_pktin_meta),
	};
	int off = rte_mbuf_dynfield_register(&desc);

	if (off < 0)
		return -rte_errno;
	pktin_dynfield_offset = off;
	return 0;
}

struct nfv_pktin_meta *
nfv_pktin_meta(struct rte_mbuf *m)
{
	return RTE_MBUF_DYNFIELD(m, pktin_dynfield_offset,
				 struct nfv_pktin_meta *);
}

/* Per-burst scratch: lives on the worker's stack. */
struct burst {
	uint16_t n;
	struct rte_mbuf **pkts;
	struct nfv_flow_key keys[NFV_BURST_MAX];
	struct nfv_pkt_meta metas[NFV_BURST_MAX];
	struct nfv_megaflow *mfs[NFV_BURST_MAX];
	uint32_t gens[NFV_BURST_MAX];   /* generation of mfs[i] when found */
};

static inline void
stage_end(struct nfv_worker *w, enum nfv_stage s, uint64_t *t)
{
	uint64_t now = rte_rdtsc();

	w->stats.stage_cycles[s] += now - *t;
	*t = now;
}

static void
parse_burst(struct nfv_worker *w, uint32_t in_port, struct burst *b)
{
	for (uint16_t i = 0; i < b->n && i < PREFETCH_AHEAD; i++)
		rte_prefetch0(rte_pktmbuf_mtod(b->pkts[i], void *));
	for (uint16_t i = 0; i < b->n; i++) {
		if (i + PREFETCH_AHEAD < b->n)
			rte_prefetch0(rte_pktmbuf_mtod(
				b->pkts[i + PREFETCH_AHEAD], void *));
		if (unlikely(!nfv_parse_mbuf(b->pkts[i], in_port, &b->keys[i],
					     &b->metas[i])))
			w->stats.malformed++;
	}
}

/* OFPC_FRAG_DROP: IP fragments never reach the tables. */
static __rte_noinline void
drop_fragments(struct nfv_worker *w, struct burst *b)
{
	uint16_t kept = 0;

	for (uint16_t i = 0; i < b->n; i++) {
		if (b->keys[i].ip_frag & NFV_FRAG_ANY) {
			nfv_exec_drop(w, b->pkts[i], NFV_DROP_FRAG);
			continue;
		}
		b->pkts[kept] = b->pkts[i];
		b->keys[kept] = b->keys[i];
		b->metas[kept] = b->metas[i];
		kept++;
	}
	b->n = kept;
}

/* EMC, then megaflow cache. Returns the number of misses, whose indices
 * are written to 'misses'. With a single megaflow mask the megaflow
 * lookup is cheaper than the EMC's (one short hash and compare against a
 * full-key hash and a 128-byte compare: bench_dp), so the EMC is skipped. */
static uint16_t
lookup_burst(struct nfv_worker *w, struct burst *b, uint16_t *misses)
{
	bool use_emc = nfv_mfc_n_masks(w->mfc) > 1;
	uint32_t hashes[NFV_BURST_MAX];
	uint16_t n_miss = 0;

	if (use_emc) {
		for (uint16_t i = 0; i < b->n; i++) {
			hashes[i] = nfv_key_hash(&b->keys[i]);
			nfv_emc_prefetch(w->emc, hashes[i]);
		}
	}
	for (uint16_t i = 0; i < b->n; i++) {
		const struct nfv_flow_key *key = &b->keys[i];
		struct nfv_megaflow *mf = NULL;

		if (use_emc)
			mf = nfv_emc_lookup(w->emc, key, hashes[i]);
		if (likely(mf != NULL)) {
			w->stats.emc_hits++;
		} else {
			mf = nfv_mfc_lookup(w->mfc, key);
			if (mf != NULL) {
				w->stats.mfc_hits++;
				if (use_emc)
					nfv_emc_insert(w->emc, key, hashes[i],
						       mf);
			} else {
				misses[n_miss++] = i;
			}
		}
		b->mfs[i] = mf;
		if (mf != NULL) {
			b->gens[i] = mf->gen;
			/* The actions stage reads the counters and actions
			 * lines; a lookup only touched the match. */
			rte_prefetch0((char *)mf + 64);
			rte_prefetch0((char *)mf + 128);
		}
	}
	return n_miss;
}

/* The miss path: walks the tables and installs megaflows, within the
 * iteration's budget. Packets left without a megaflow are dropped here. */
static __rte_noinline void
upcall_burst(struct nfv_worker *w, struct burst *b, const uint16_t *misses,
	     uint16_t n_miss)
{
	const struct nfv_dp *dp = w->dp;
	struct nfv_xlate_out *x = &w->xlate;
	bool installed = false;

	for (uint16_t k = 0; k < n_miss; k++) {
		uint16_t i = misses[k];
		const struct nfv_flow_key *key = &b->keys[i];
		struct nfv_megaflow *mf = NULL;

		/* An earlier packet of this burst may have installed it. */
		if (installed)
			mf = nfv_mfc_lookup(w->mfc, key);
		if (mf == NULL) {
			if (w->upcalls_left == 0) {
				nfv_exec_drop(w, b->pkts[i],
					      NFV_DROP_UPCALL_BUDGET);
				continue;
			}
			w->upcalls_left--;
			w->stats.upcalls++;
			nfv_xlate(dp->pipeline, key, 0, x);
			if (unlikely(x->error)) {
				nfv_exec_drop(w, b->pkts[i], NFV_DROP_XLATE);
				continue;
			}
			mf = nfv_mfc_insert(w->mfc, key, x, w->now_ms);
			if (unlikely(mf == NULL)) {
				nfv_exec_drop(w, b->pkts[i], NFV_DROP_MFC_FULL);
				continue;
			}
			for (unsigned int r = 0; r < mf->n_rules; r++)
				mf->rule_stats[r] = &x->rules[r]->stats[w->id];
			installed = true;
		}
		nfv_emc_insert(w->emc, key, nfv_key_hash(key), mf);
		b->mfs[i] = mf;
		b->gens[i] = mf->gen;
	}
}

/* An insertion may have evicted a megaflow that an earlier packet of the
 * burst was given (or reused a slot freed as dead): such a packet would
 * run another flow's actions. Gives it its megaflow again, or handles it
 * alone through an uncached walk. */
static __rte_noinline void
revalidate_burst(struct nfv_worker *w, uint32_t in_port, struct burst *b)
{
	for (uint16_t i = 0; i < b->n; i++) {
		struct nfv_megaflow *mf = b->mfs[i];

		if (mf == NULL || (mf->live && mf->gen == b->gens[i]))
			continue;
		mf = nfv_mfc_lookup(w->mfc, &b->keys[i]);
		if (mf != NULL) {
			b->mfs[i] = mf;
			b->gens[i] = mf->gen;
			continue;
		}
		b->mfs[i] = NULL;
		nfv_xlate(w->dp->pipeline, &b->keys[i], 0, &w->xlate);
		nfv_exec_uncached(w, in_port, b->pkts, b->keys, b->metas, i);
	}
}

/* Groups the burst's packets by megaflow (in one pass, through a small
 * open-addressed table keyed by the megaflow pointer) and runs each
 * group's actions once for all its packets, in order of first arrival. */
static void
actions_burst(struct nfv_worker *w, uint32_t in_port, struct burst *b)
{
	enum { SLOTS = 2 * NFV_BURST_MAX };
	uint8_t slot_batch[SLOTS];
	struct {
		struct nfv_megaflow *mf;
		uint16_t cnt;
		uint64_t bytes;
		uint16_t idx[NFV_BURST_MAX];
	} batches[NFV_BURST_MAX];
	unsigned int n_batches = 0;

	memset(slot_batch, 0xff, sizeof(slot_batch));
	for (uint16_t i = 0; i < b->n; i++) {
		struct nfv_megaflow *mf = b->mfs[i];
		unsigned int s;

		if (mf == NULL)
			continue;
		s = ((uintptr_t)mf >> 6) % SLOTS;
		while (slot_batch[s] != 0xff && batches[slot_batch[s]].mf != mf)
			s = (s + 1) % SLOTS;
		if (slot_batch[s] == 0xff) {
			slot_batch[s] = n_batches;
			batches[n_batches].mf = mf;
			batches[n_batches].cnt = 0;
			batches[n_batches].bytes = 0;
			n_batches++;
		}
		batches[slot_batch[s]].idx[batches[slot_batch[s]].cnt++] = i;
		batches[slot_batch[s]].bytes += rte_pktmbuf_pkt_len(b->pkts[i]);
	}
	for (unsigned int k = 0; k < n_batches; k++) {
		struct nfv_megaflow *mf = batches[k].mf;
		uint16_t cnt = batches[k].cnt;
		uint64_t bytes = batches[k].bytes;

		mf->n_packets += cnt;
		mf->n_bytes += bytes;
		mf->used_ms = w->now_ms;
		for (unsigned int r = 0; r < mf->n_rules; r++) {
			mf->rule_stats[r]->n_packets += cnt;
			mf->rule_stats[r]->n_bytes += bytes;
		}
		nfv_exec_megaflow(w, in_port, mf, b->pkts, b->keys, b->metas,
				  batches[k].idx, cnt);
	}
}

/* True if no cached megaflow looks at anything but in_port: then the
 * megaflow of a burst (all from one port) is found without parsing. */
static inline bool
mfc_in_port_only(const struct nfv_mfc *c)
{
	const uint64_t *u = (const uint64_t *)nfv_mfc_mask_union(c);
	uint64_t other = u[0];

	for (unsigned int i = 2; i < NFV_KEY_WORDS; i++)
		other |= u[i];
	/* Word 1 holds in_port (32 bits), eth_type and vlan_tci. */
	return other == 0 &&
	       (u[1] & ~(uint64_t)UINT32_MAX) == 0 && (uint32_t)u[1] != 0;
}

/* The megaflow for a whole burst from 'in_port' when the cache only
 * looks at in_port, if it is a single output to another port; its
 * packets then need neither parsing nor a per-packet lookup. Returns
 * false to take the general path. */
static inline bool
burst_fast_path(struct nfv_worker *w, uint32_t in_port,
		struct rte_mbuf **pkts, uint16_t n)
{
	struct nfv_flow_key key;
	struct nfv_megaflow *mf;
	const struct nfv_action *a;
	uint64_t bytes = 0;

	if (w->dp->frag_drop || !mfc_in_port_only(w->mfc))
		return false;
	memset(&key, 0, sizeof(key));
	key.in_port = in_port;
	mf = nfv_mfc_lookup(w->mfc, &key);
	if (mf == NULL || mf->n_actions != 1)
		return false;
	a = &mf->actions[0];
	if (a->type != NFV_ACT_OUTPUT || a->arg.port == in_port ||
	    a->arg.port == 0 || a->arg.port > w->dp->n_ports ||
	    w->dp->port_state[a->arg.port].no_fwd)
		return false;
	for (uint16_t i = 0; i < n; i++)
		bytes += rte_pktmbuf_pkt_len(pkts[i]);
	w->stats.mfc_hits += n;
	mf->n_packets += n;
	mf->n_bytes += bytes;
	mf->used_ms = w->now_ms;
	for (unsigned int r = 0; r < mf->n_rules; r++) {
		mf->rule_stats[r]->n_packets += n;
		mf->rule_stats[r]->n_bytes += bytes;
	}
	nfv_exec_output_burst(w, a->arg.port, pkts, n);
	return true;
}

/* Runs a burst through the stages; '*t' is the cycle counter at entry
 * and is advanced to the end of the last stage. */
static void
worker_process(struct nfv_worker *w, uint32_t in_port,
	       struct rte_mbuf **pkts, uint16_t n, uint64_t *tp)
{
	struct burst b;
	uint16_t misses[NFV_BURST_MAX], n_miss;
	uint64_t t = *tp;

	if (burst_fast_path(w, in_port, pkts, n)) {
		stage_end(w, NFV_STAGE_ACTIONS, tp);
		return;
	}

	b.n = n;
	b.pkts = pkts;
	parse_burst(w, in_port, &b);
	if (unlikely(w->dp->frag_drop))
		drop_fragments(w, &b);
	stage_end(w, NFV_STAGE_PARSE, &t);
	n_miss = lookup_burst(w, &b, misses);
	stage_end(w, NFV_STAGE_LOOKUP, &t);
	if (unlikely(n_miss)) {
		upcall_burst(w, &b, misses, n_miss);
		revalidate_burst(w, in_port, &b);
		stage_end(w, NFV_STAGE_UPCALL, &t);
	}
	actions_burst(w, in_port, &b);
	stage_end(w, NFV_STAGE_ACTIONS, &t);
	*tp = t;
}

void
nfv_worker_process(struct nfv_worker *w, uint32_t in_port,
		   struct rte_mbuf **pkts, uint16_t n)
{
	uint64_t t = rte_rdtsc();

	worker_process(w, in_port, pkts, n, &t);
}

/* Control-thread requests that the worker carries out itself. */
static void
worker_housekeeping(struct nfv_worker *w)
{
	if (unlikely(w->flush_caches)) {
		nfv_emc_flush(w->emc);
		nfv_mfc_flush(w->mfc);
		w->flush_caches = false;
	}
	/* Once a millisecond: a sweep touches a cache line per slot. */
	if (w->now_ms != w->last_sweep_ms) {
		w->last_sweep_ms = w->now_ms;
		nfv_mfc_sweep(w->mfc, w->now_ms, w->dp->mf_idle_ms,
			      MFC_SWEEP_BUDGET);
	}
}

int
nfv_worker_main(void *arg)
{
	struct nfv_worker *w = arg;
	const struct nfv_dp *dp = w->dp;
	struct rte_mbuf *pkts[NFV_BURST_MAX];
	uint64_t tsc_start = rte_rdtsc(), ms_start = nfv_now_ms();

	w->tsc_per_ms = rte_get_tsc_hz() / 1000;
	rte_rcu_qsbr_thread_register(dp->qsbr, w->id);
	rte_rcu_qsbr_thread_online(dp->qsbr, w->id);

	while (!w->stop) {
		uint64_t start = rte_rdtsc(), t = start;
		uint32_t n_rx = 0;

		w->now_ms = ms_start + (start - tsc_start) / w->tsc_per_ms;
		w->upcalls_left = dp->upcall_budget;
		for (unsigned int q = 0; q < w->n_rxq; q++) {
			struct nfv_port *port = w->rxqs[q].port;
			uint16_t n;

			n = rte_eth_rx_burst(port->port_id, w->rxqs[q].queue,
					     pkts, NFV_BURST_MAX);
			stage_end(w, NFV_STAGE_RX, &t);
			if (n == 0)
				continue;
			n_rx += n;
			if (unlikely(dp->port_state[port->ofport].no_recv)) {
				rte_pktmbuf_free_bulk(pkts, n);
				w->stats.drops[NFV_DROP_NO_RECV] += n;
				continue;
			}
			worker_process(w, port->ofport, pkts, n, &t);
		}
		if (w->tx_pending) {
			nfv_worker_flush(w);
			stage_end(w, NFV_STAGE_TX, &t);
		}
		worker_housekeeping(w);
		/* Past this point the worker holds nothing from the tables,
		 * the megaflows it may have seen killed, or the groups. */
		rte_rcu_qsbr_quiescent(dp->qsbr, w->id);

		/* Cycles up to the last stage boundary: rdtsc is not free,
		 * so every stage shares the readings. */
		if (n_rx) {
			w->stats.rx_packets += n_rx;
			w->stats.busy_cycles += t - start;
		} else {
			w->stats.idle_cycles += t - start;
		}
	}

	rte_rcu_qsbr_thread_offline(dp->qsbr, w->id);
	rte_rcu_qsbr_thread_unregister(dp->qsbr, w->id);
	return 0;
}
