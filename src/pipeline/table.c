/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OpenFlow tables, control side: add (with replace and check_overlap),
 * modify, delete, expiry, dump, and the commit that makes changes safe to
 * acknowledge (see table.h for the invariant and its two grace periods).
 *
 * Each table is a classifier that workers read while rules change; each
 * table also keeps a plain list of its rules for the control thread's
 * scans (dump, non-strict delete, expiry). Every change is logged as
 * (table, match) for the owner's precise cache invalidation.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_rcu_qsbr.h>

#include "table.h"

/* Past this many changes in one commit, invalidation is "everything":
 * testing each cached megaflow against each change would cost more than
 * rebuilding the caches. */
#define TABLE_MAX_CHANGES 1024

struct ptr_array {
	void **ptrs;
	unsigned int n;
	unsigned int cap;
};

struct rule_list {
	struct nfv_rule *head, *tail;
	unsigned int n;
};

struct nfv_pipeline {
	struct nfv_cls *cls[NFV_N_TABLES];
	struct rule_list lists[NFV_N_TABLES];
	struct rte_rcu_qsbr *qsbr;
	unsigned int n_workers;
	uint64_t next_seq;
	/* Since the last commit. */
	struct nfv_table_change *changes;
	unsigned int n_changes;
	bool all_changed;
	struct ptr_array removed;       /* rules to free */
	struct ptr_array deferred;      /* classifier memory to free */
	/* Owner's callbacks. */
	nfv_pipeline_inval_fn *inval;
	nfv_rule_removed_fn *removed_cb;
	void *cb_arg;
};

uint64_t
nfv_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int
ptrs_push(struct ptr_array *a, void *p)
{
	if (a->n == a->cap) {
		unsigned int cap = a->cap ? a->cap * 2 : 64;
		void **ptrs = realloc(a->ptrs, cap * sizeof(*ptrs));

		if (ptrs == NULL)
			return -ENOMEM;
		a->ptrs = ptrs;
		a->cap = cap;
	}
	a->ptrs[a->n++] = p;
	return 0;
}

static void
rule_free(struct nfv_rule *r)
{
	if (r == NULL)
		return;
	if (r->owns_stats)
		free(r->stats);
	free(r);
}

static void
sync_readers(struct nfv_pipeline *p)
{
	if (p->qsbr != NULL)
		rte_rcu_qsbr_synchronize(p->qsbr, RTE_QSBR_THRID_INVALID);
}

/* Frees 'ptr' once no worker can hold it; if the list cannot grow, waits
 * for the workers right away instead. */
static void
defer_free(void *arg, void *ptr)
{
	struct nfv_pipeline *p = arg;

	if (ptrs_push(&p->deferred, ptr) < 0) {
		sync_readers(p);
		free(ptr);
	}
}

static void
defer_rule_free(struct nfv_pipeline *p, struct nfv_rule *r)
{
	if (ptrs_push(&p->removed, r) < 0) {
		sync_readers(p);
		rule_free(r);
	}
}

int
nfv_pipeline_create(unsigned int n_workers, struct rte_rcu_qsbr *qsbr,
		    struct nfv_pipeline **out)
{
	struct nfv_pipeline *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return -ENOMEM;
	p->qsbr = qsbr;
	p->n_workers = n_workers ? n_workers : 1;
	for (unsigned int t = 0; t < NFV_N_TABLES; t++) {
		if (nfv_cls_create(defer_free, p, &p->cls[t]) < 0) {
			nfv_pipeline_destroy(p);
			return -ENOMEM;
		}
	}
	*out = p;
	return 0;
}

static void
free_pending(struct nfv_pipeline *p)
{
	for (unsigned int i = 0; i < p->removed.n; i++)
		rule_free(p->removed.ptrs[i]);
	p->removed.n = 0;
	for (unsigned int i = 0; i < p->deferred.n; i++)
		free(p->deferred.ptrs[i]);
	p->deferred.n = 0;
}

void
nfv_pipeline_destroy(struct nfv_pipeline *p)
{
	if (p == NULL)
		return;
	for (unsigned int t = 0; t < NFV_N_TABLES; t++) {
		struct nfv_rule *r = p->lists[t].head;

		while (r != NULL) {
			struct nfv_rule *next = r->next;

			rule_free(r);
			r = next;
		}
		nfv_cls_destroy(p->cls[t]);
	}
	free_pending(p);
	free(p->removed.ptrs);
	free(p->deferred.ptrs);
	free(p->changes);
	free(p);
}

void
nfv_pipeline_set_callbacks(struct nfv_pipeline *p,
			   nfv_pipeline_inval_fn *inval,
			   nfv_rule_removed_fn *removed, void *arg)
{
	p->inval = inval;
	p->removed_cb = removed;
	p->cb_arg = arg;
}

const struct nfv_cls *
nfv_pipeline_table(const struct nfv_pipeline *p, uint8_t table_id)
{
	return p->cls[table_id];
}

static void
log_change(struct nfv_pipeline *p, uint8_t table_id,
	   const struct nfv_match *m)
{
	if (p->all_changed)
		return;
	if (p->changes == NULL) {
		p->changes = malloc(TABLE_MAX_CHANGES * sizeof(*p->changes));
		if (p->changes == NULL) {
			p->all_changed = true;
			return;
		}
	}
	if (p->n_changes == TABLE_MAX_CHANGES) {
		p->all_changed = true;
		return;
	}
	p->changes[p->n_changes].table_id = table_id;
	p->changes[p->n_changes].match = *m;
	p->n_changes++;
}

static void
list_append(struct rule_list *l, struct nfv_rule *r)
{
	r->next = NULL;
	r->prev = l->tail;
	if (l->tail != NULL)
		l->tail->next = r;
	else
		l->head = r;
	l->tail = r;
	l->n++;
}

static void
list_unlink(struct rule_list *l, struct nfv_rule *r)
{
	if (r->prev != NULL)
		r->prev->next = r->next;
	else
		l->head = r->next;
	if (r->next != NULL)
		r->next->prev = r->prev;
	else
		l->tail = r->prev;
	l->n--;
}

/* Puts 'new' in the list position of 'old'. */
static void
list_replace(struct rule_list *l, struct nfv_rule *old, struct nfv_rule *new)
{
	new->prev = old->prev;
	new->next = old->next;
	if (old->prev != NULL)
		old->prev->next = new;
	else
		l->head = new;
	if (old->next != NULL)
		old->next->prev = new;
	else
		l->tail = new;
}

static bool
match_is_empty(const struct nfv_match *m)
{
	const uint64_t *w = (const uint64_t *)&m->mask;

	for (unsigned int i = 0; i < NFV_KEY_WORDS; i++)
		if (w[i])
			return false;
	return true;
}

static struct nfv_rule *
rule_create(struct nfv_pipeline *p, const struct nfv_flow_spec *spec,
	    struct nfv_rule_stats *shared_stats)
{
	struct nfv_rule *r = calloc(1, sizeof(*r));
	size_t stats_size = p->n_workers * sizeof(struct nfv_rule_stats);

	if (r == NULL)
		return NULL;
	if (shared_stats != NULL) {
		r->stats = shared_stats;
	} else {
		r->stats = aligned_alloc(64, stats_size);
		if (r->stats == NULL) {
			free(r);
			return NULL;
		}
		memset(r->stats, 0, stats_size);
		r->owns_stats = true;
	}
	r->spec = *spec;
	r->cls.match = spec->match;
	r->cls.priority = spec->priority;
	r->is_table_miss = spec->priority == 0 && match_is_empty(&spec->match);
	r->seq = p->next_seq++;
	r->created_ms = nfv_now_ms();
	r->idle_since_ms = r->created_ms;
	return r;
}

static struct nfv_rule *
rule_of(struct nfv_cls_rule *c)
{
	return c == NULL ? NULL :
	       (struct nfv_rule *)((char *)c - offsetof(struct nfv_rule, cls));
}

struct overlap_ctx {
	uint16_t priority;
	bool found;
};

static void
overlap_visit(void *arg, struct nfv_cls_rule *r)
{
	struct overlap_ctx *o = arg;

	if (r->priority == o->priority)
		o->found = true;
}

int
nfv_pipeline_add(struct nfv_pipeline *p, const struct nfv_flow_spec *spec)
{
	struct nfv_cls *c = p->cls[spec->table_id];
	struct rule_list *l = &p->lists[spec->table_id];
	struct nfv_rule *old, *r;
	int ret;

	old = rule_of(nfv_cls_find_exact(c, &spec->match, spec->priority));
	/* OpenFlow 1.3, 6.4: with check_overlap, an identical rule is a
	 * conflict too, not something to replace. */
	if (old != NULL && (spec->flags & NFV_FF_CHECK_OVERLAP))
		return -EEXIST;
	if (old == NULL && (spec->flags & NFV_FF_CHECK_OVERLAP)) {
		struct overlap_ctx o = { .priority = spec->priority };

		nfv_cls_foreach_overlapping(c, &spec->match, overlap_visit, &o);
		if (o.found)
			return -EEXIST;
	}
	r = rule_create(p, spec, NULL);
	if (r == NULL)
		return -ENOMEM;
	if (old != NULL) {
		/* Readers see the old rule or the new one, never neither. */
		nfv_cls_replace(c, &old->cls, &r->cls);
		list_replace(l, old, r);
		defer_rule_free(p, old);
	} else {
		ret = nfv_cls_insert(c, &r->cls);
		if (ret < 0) {
			rule_free(r);
			return ret;
		}
		list_append(l, r);
	}
	log_change(p, spec->table_id, &spec->match);
	return 0;
}

/* Replaces the instructions of 'old' by those of 'spec'. */
static int
rule_modify(struct nfv_pipeline *p, struct nfv_rule *old,
	    const struct nfv_flow_spec *spec)
{
	bool reset = spec->flags & NFV_FF_RESET_COUNTS;
	struct nfv_flow_spec s = old->spec;
	struct nfv_rule *r;

	s.n_actions = spec->n_actions;
	memcpy(s.actions, spec->actions, sizeof(s.actions));
	s.n_write_actions = spec->n_write_actions;
	memcpy(s.write_actions, spec->write_actions, sizeof(s.write_actions));
	s.has_write_actions = spec->has_write_actions;
	s.clear_actions = spec->clear_actions;
	s.has_write_metadata = spec->has_write_metadata;
	s.write_metadata = spec->write_metadata;
	s.write_metadata_mask = spec->write_metadata_mask;
	s.has_goto = spec->has_goto;
	s.goto_table = spec->goto_table;

	r = rule_create(p, &s, reset ? NULL : old->stats);
	if (r == NULL)
		return -ENOMEM;
	if (!reset) {
		/* The counters carry over: the new rule owns them now. */
		r->owns_stats = old->owns_stats;
		old->owns_stats = false;
		r->created_ms = old->created_ms;
		r->idle_seen_packets = old->idle_seen_packets;
		r->idle_since_ms = old->idle_since_ms;
	}
	r->seq = old->seq;
	nfv_cls_replace(p->cls[s.table_id], &old->cls, &r->cls);
	list_replace(&p->lists[s.table_id], old, r);
	defer_rule_free(p, old);
	log_change(p, s.table_id, &s.match);
	return 0;
}

/* Does 'filter' select 'r'? Strict: same priority and match (in any
 * table unless the filter names one); both: cookie, out_port, out_group
 * and match containment as OpenFlow's delete and modify define them. */
static bool
rule_selected(const struct nfv_flow_spec *filter, const struct nfv_rule *r,
	      bool strict)
{
	if (strict && (filter->priority != r->spec.priority ||
		       memcmp(&filter->match, &r->spec.match,
			      sizeof(filter->match)) != 0))
		return false;
	return nfv_flow_filter_selects(filter, &r->spec);
}

int
nfv_pipeline_modify(struct nfv_pipeline *p, const struct nfv_flow_spec *spec,
		    bool strict)
{
	int n = 0;

	for (unsigned int t = 0; t < NFV_N_TABLES; t++) {
		struct nfv_rule *r, *next;

		if (spec->has_table && spec->table_id != t)
			continue;
		for (r = p->lists[t].head; r != NULL; r = next) {
			next = r->next;
			if (!rule_selected(spec, r, strict))
				continue;
			if (rule_modify(p, r, spec) < 0)
				return -ENOMEM;
			n++;
		}
	}
	return n;
}

static void
rule_remove(struct nfv_pipeline *p, struct nfv_rule *r,
	    enum nfv_rule_removed_reason reason)
{
	uint8_t t = r->spec.table_id;

	nfv_cls_remove(p->cls[t], &r->cls);
	list_unlink(&p->lists[t], r);
	log_change(p, t, &r->spec.match);
	if (p->removed_cb != NULL) {
		uint64_t n_packets, n_bytes;

		nfv_rule_counters(p, r, &n_packets, &n_bytes);
		p->removed_cb(p->cb_arg, r, reason, n_packets, n_bytes);
	}
	defer_rule_free(p, r);
}

unsigned int
nfv_pipeline_del(struct nfv_pipeline *p, const struct nfv_flow_spec *filter,
		 bool strict)
{
	unsigned int n = 0;

	for (unsigned int t = 0; t < NFV_N_TABLES; t++) {
		struct nfv_rule *r, *next;

		if (filter->has_table && filter->table_id != t)
			continue;
		for (r = p->lists[t].head; r != NULL; r = next) {
			next = r->next;
			if (rule_selected(filter, r, strict)) {
				rule_remove(p, r, NFV_RR_DELETE);
				n++;
			}
		}
	}
	return n;
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

/* Returns the reason 'r' expired at 'now', or -1 if it did not. */
static int
rule_expired(const struct nfv_pipeline *p, struct nfv_rule *r, uint64_t now)
{
	const struct nfv_flow_spec *s = &r->spec;
	uint64_t n_packets;

	if (s->hard_timeout &&
	    now >= r->created_ms + (uint64_t)s->hard_timeout * 1000)
		return NFV_RR_HARD_TIMEOUT;
	if (!s->idle_timeout)
		return -1;
	nfv_rule_counters(p, r, &n_packets, NULL);
	if (n_packets != r->idle_seen_packets) {
		r->idle_seen_packets = n_packets;
		r->idle_since_ms = now;
		return -1;
	}
	if (now >= r->idle_since_ms + (uint64_t)s->idle_timeout * 1000)
		return NFV_RR_IDLE_TIMEOUT;
	return -1;
}

unsigned int
nfv_pipeline_expire(struct nfv_pipeline *p, uint64_t now_ms)
{
	unsigned int n = 0;

	for (unsigned int t = 0; t < NFV_N_TABLES; t++) {
		struct nfv_rule *r, *next;

		for (r = p->lists[t].head; r != NULL; r = next) {
			int reason = rule_expired(p, r, now_ms);

			next = r->next;
			if (reason >= 0) {
				rule_remove(p, r, reason);
				n++;
			}
		}
	}
	return n;
}

void
nfv_pipeline_commit(struct nfv_pipeline *p)
{
	bool changed = p->n_changes || p->all_changed;

	if (!changed && !p->removed.n && !p->deferred.n)
		return;
	if (changed && p->inval != NULL) {
		/* (1) Walks that may have seen the old rules are over. */
		sync_readers(p);
		/* (2) Kill what they cached that the changes can affect. */
		p->inval(p->cb_arg, p->changes, p->n_changes, p->all_changed);
	}
	/* (3) Nobody uses a killed megaflow or a removed rule any more. */
	sync_readers(p);
	free_pending(p);
	p->n_changes = 0;
	p->all_changed = false;
}

static int
rule_cmp(const void *a, const void *b)
{
	const struct nfv_rule *x = *(const struct nfv_rule *const *)a;
	const struct nfv_rule *y = *(const struct nfv_rule *const *)b;

	if (x->spec.priority != y->spec.priority)
		return x->spec.priority > y->spec.priority ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void
nfv_pipeline_dump(const struct nfv_pipeline *p,
		  const struct nfv_flow_spec *filter,
		  nfv_rule_visit_fn *fn, void *arg)
{
	for (unsigned int t = 0; t < NFV_N_TABLES; t++) {
		const struct rule_list *l = &p->lists[t];
		const struct nfv_rule **rules;
		unsigned int n = 0;

		if (l->n == 0 || (filter != NULL && filter->has_table &&
				  filter->table_id != t))
			continue;
		rules = malloc(l->n * sizeof(*rules));
		if (rules == NULL)
			return;
		for (const struct nfv_rule *r = l->head; r != NULL; r = r->next)
			if (filter == NULL ||
			    nfv_flow_filter_selects(filter, &r->spec))
				rules[n++] = r;
		qsort(rules, n, sizeof(*rules), rule_cmp);
		for (unsigned int i = 0; i < n; i++)
			fn(arg, rules[i]);
		free(rules);
	}
}

unsigned int
nfv_pipeline_n_rules(const struct nfv_pipeline *p, int table_id)
{
	unsigned int n = 0;

	if (table_id >= 0)
		return p->lists[table_id].n;
	for (unsigned int t = 0; t < NFV_N_TABLES; t++)
		n += p->lists[t].n;
	return n;
}
