/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OpenFlow tables, control side: rule storage, add/delete/expire, and the
 * publication of immutable snapshots to workers under RCU (see table.h for
 * the invariant that commit keeps).
 *
 * Rules live in one array per table, kept in lookup order (priority
 * descending, then insertion order). Edits only touch these arrays and a
 * list of removed rules; workers never see them until commit.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_rcu_qsbr.h>

#include "table.h"

struct rule_array {
	struct nfv_rule **rules;
	unsigned int n;
	unsigned int cap;
};

struct nfv_pipeline {
	/* Read by workers (release/acquire). */
	const struct nfv_table_snap *snap;
	/* Control thread only. */
	struct rte_rcu_qsbr *qsbr;
	unsigned int n_workers;
	uint64_t next_seq;
	bool dirty;                     /* edits since the last commit */
	struct rule_array tables[NFV_N_TABLES];
	struct rule_array removed;      /* freed after the next commit */
};

uint64_t
nfv_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int
rules_push(struct rule_array *a, struct nfv_rule *r)
{
	if (a->n == a->cap) {
		unsigned int cap = a->cap ? a->cap * 2 : 16;
		struct nfv_rule **rules = realloc(a->rules,
						  cap * sizeof(*rules));

		if (rules == NULL)
			return -ENOMEM;
		a->rules = rules;
		a->cap = cap;
	}
	a->rules[a->n++] = r;
	return 0;
}

static void
rule_free(struct nfv_rule *r)
{
	if (r == NULL)
		return;
	free(r->stats);
	free(r);
}

static void
rules_free_all(struct rule_array *a)
{
	for (unsigned int i = 0; i < a->n; i++)
		rule_free(a->rules[i]);
	free(a->rules);
	memset(a, 0, sizeof(*a));
}

int
nfv_pipeline_create(unsigned int n_workers, struct rte_rcu_qsbr *qsbr,
		    struct nfv_pipeline **out)
{
	struct nfv_pipeline *p = calloc(1, sizeof(*p));
	struct nfv_table_snap *snap = calloc(1, sizeof(*snap));

	if (p == NULL || snap == NULL) {
		free(p);
		free(snap);
		return -ENOMEM;
	}
	p->snap = snap;
	p->qsbr = qsbr;
	p->n_workers = n_workers ? n_workers : 1;
	*out = p;
	return 0;
}

void
nfv_pipeline_destroy(struct nfv_pipeline *p)
{
	if (p == NULL)
		return;
	for (unsigned int t = 0; t < NFV_N_TABLES; t++)
		rules_free_all(&p->tables[t]);
	rules_free_all(&p->removed);
	free((void *)(uintptr_t)p->snap);
	free(p);
}

/* True if 'a' goes before 'b' in lookup order. */
static bool
rule_before(const struct nfv_rule *a, const struct nfv_rule *b)
{
	if (a->spec.priority != b->spec.priority)
		return a->spec.priority > b->spec.priority;
	return a->seq < b->seq;
}

/* Moves rule 'i' of 'a' to the removed list. */
static void
rules_remove_at(struct nfv_pipeline *p, struct rule_array *a, unsigned int i)
{
	struct nfv_rule *r = a->rules[i];

	memmove(&a->rules[i], &a->rules[i + 1],
		(a->n - i - 1) * sizeof(a->rules[0]));
	a->n--;
	if (rules_push(&p->removed, r) < 0) {
		/* Cannot defer the free: wait for the workers right now. */
		if (p->qsbr != NULL)
			rte_rcu_qsbr_synchronize(p->qsbr,
						 RTE_QSBR_THRID_INVALID);
		rule_free(r);
	}
	p->dirty = true;
}

int
nfv_pipeline_add(struct nfv_pipeline *p, const struct nfv_flow_spec *spec)
{
	struct rule_array *a = &p->tables[spec->table_id];
	struct nfv_rule *r = calloc(1, sizeof(*r));
	unsigned int pos;

	if (r == NULL)
		return -ENOMEM;
	r->stats = aligned_alloc(64, p->n_workers * sizeof(r->stats[0]));
	if (r->stats == NULL) {
		free(r);
		return -ENOMEM;
	}
	memset(r->stats, 0, p->n_workers * sizeof(r->stats[0]));
	r->spec = *spec;
	r->seq = p->next_seq++;
	r->created_ms = nfv_now_ms();
	r->idle_since_ms = r->created_ms;

	/* Make room first so that a failure leaves the table unchanged. */
	if (rules_push(a, r) < 0) {
		rule_free(r);
		return -ENOMEM;
	}
	a->n--;
	for (unsigned int i = 0; i < a->n; i++) {
		if (nfv_flow_same_match(&a->rules[i]->spec, spec)) {
			rules_remove_at(p, a, i);
			break;
		}
	}
	for (pos = 0; pos < a->n && rule_before(a->rules[pos], r); pos++)
		;
	memmove(&a->rules[pos + 1], &a->rules[pos],
		(a->n - pos) * sizeof(a->rules[0]));
	a->rules[pos] = r;
	a->n++;
	p->dirty = true;
	return 0;
}

unsigned int
nfv_pipeline_del(struct nfv_pipeline *p, const struct nfv_flow_spec *filter,
		 bool strict)
{
	unsigned int n_deleted = 0;

	for (unsigned int t = 0; t < NFV_N_TABLES; t++) {
		struct rule_array *a = &p->tables[t];

		if (filter->has_table && filter->table_id != t)
			continue;
		for (unsigned int i = 0; i < a->n;) {
			const struct nfv_flow_spec *s = &a->rules[i]->spec;
			bool hit = strict ? nfv_flow_same_match(filter, s) :
					    nfv_flow_filter_selects(filter, s);

			if (hit) {
				rules_remove_at(p, a, i);
				n_deleted++;
			} else {
				i++;
			}
		}
	}
	return n_deleted;
}

void
nfv_rule_counters(const struct nfv_pipeline *p, const struct nfv_rule *r,
		  uint64_t *n_packets, uint64_t *n_bytes)
{
	uint64_t packets = 0, bytes = 0;

	for (unsigned int w = 0; w < p->n_workers; w++) {
		packets += __atomic_load_n(&r->stats[w].n_packets,
					   __ATOMIC_RELAXED);
		bytes += __atomic_load_n(&r->stats[w].n_bytes,
					 __ATOMIC_RELAXED);
	}
	*n_packets = packets;
	if (n_bytes != NULL)
		*n_bytes = bytes;
}

static bool
rule_expired(const struct nfv_pipeline *p, struct nfv_rule *r, uint64_t now)
{
	const struct nfv_flow_spec *s = &r->spec;
	uint64_t n_packets;

	if (s->hard_timeout &&
	    now >= r->created_ms + (uint64_t)s->hard_timeout * 1000)
		return true;
	if (!s->idle_timeout)
		return false;
	nfv_rule_counters(p, r, &n_packets, NULL);
	if (n_packets != r->idle_seen_packets) {
		r->idle_seen_packets = n_packets;
		r->idle_since_ms = now;
		return false;
	}
	return now >= r->idle_since_ms + (uint64_t)s->idle_timeout * 1000;
}

unsigned int
nfv_pipeline_expire(struct nfv_pipeline *p, uint64_t now_ms)
{
	unsigned int n_expired = 0;

	for (unsigned int t = 0; t < NFV_N_TABLES; t++) {
		struct rule_array *a = &p->tables[t];

		for (unsigned int i = 0; i < a->n;) {
			if (rule_expired(p, a->rules[i], now_ms)) {
				rules_remove_at(p, a, i);
				n_expired++;
			} else {
				i++;
			}
		}
	}
	return n_expired;
}

/* Resolves table 0 for every in_port: the first rule in lookup order whose
 * match the port satisfies. Exact while the key holds only in_port. */
static void
snap_build(const struct nfv_pipeline *p, struct nfv_table_snap *snap)
{
	const struct rule_array *a = &p->tables[0];

	for (uint32_t port = 1; port <= NFV_MAX_PORTS; port++) {
		snap->by_in_port[port] = NULL;
		for (unsigned int i = 0; i < a->n; i++) {
			const struct nfv_match *m = &a->rules[i]->spec.match;

			if ((port & m->mask.in_port) == m->key.in_port) {
				snap->by_in_port[port] = a->rules[i];
				break;
			}
		}
	}
}

int
nfv_pipeline_commit(struct nfv_pipeline *p)
{
	struct nfv_table_snap *snap, *old;

	if (!p->dirty)
		return 0;
	snap = calloc(1, sizeof(*snap));
	if (snap == NULL)
		return -ENOMEM;
	snap_build(p, snap);

	old = (struct nfv_table_snap *)(uintptr_t)p->snap;
	__atomic_store_n(&p->snap, snap, __ATOMIC_RELEASE);
	/* After this, every worker has finished the iteration that may have
	 * read 'old' or a removed rule: nothing stale can be forwarded. */
	if (p->qsbr != NULL)
		rte_rcu_qsbr_synchronize(p->qsbr, RTE_QSBR_THRID_INVALID);
	free(old);
	for (unsigned int i = 0; i < p->removed.n; i++)
		rule_free(p->removed.rules[i]);
	p->removed.n = 0;
	p->dirty = false;
	return 0;
}

void
nfv_pipeline_dump(const struct nfv_pipeline *p,
		  const struct nfv_flow_spec *filter,
		  nfv_rule_visit_fn *fn, void *arg)
{
	for (unsigned int t = 0; t < NFV_N_TABLES; t++) {
		const struct rule_array *a = &p->tables[t];

		for (unsigned int i = 0; i < a->n; i++) {
			if (filter == NULL ||
			    nfv_flow_filter_selects(filter, &a->rules[i]->spec))
				fn(arg, a->rules[i]);
		}
	}
}

unsigned int
nfv_pipeline_n_rules(const struct nfv_pipeline *p)
{
	unsigned int n = 0;

	for (unsigned int t = 0; t < NFV_N_TABLES; t++)
		n += p->tables[t].n;
	return n;
}

const struct nfv_table_snap *
nfv_pipeline_snap(const struct nfv_pipeline *p)
{
	return __atomic_load_n(&p->snap, __ATOMIC_ACQUIRE);
}
