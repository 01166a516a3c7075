/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The OpenFlow group table: the control side (add, modify, delete, commit,
 * dump, counters), the worker-side lookup, and the parser and formatter of
 * the ovs-ofctl group syntax used by the config and nfvctl.
 *
 * The control thread keeps the groups in an array sorted by id and edits it
 * freely. Workers never see that array: nfv_groups_commit() copies it into
 * an immutable snapshot (sorted ids beside the group pointers) and publishes
 * the snapshot with a release store; workers binary-search it after an
 * acquire load. A group is never changed once allocated: modify puts a new
 * object in its place. Replaced and deleted groups wait on a retired list
 * until the commit after which no worker can hold them (QSBR grace period).
 *
 * Two snapshots of the largest size are allocated up front and swapped at
 * each commit, so publishing never allocates and cannot fail.
 *
 * Bucket action lists are parsed by nfv_flow_parse(), so buckets accept the
 * same actions as flows. Apart from rte_rcu_qsbr_synchronize() this is pure
 * code: no EAL is needed when 'qsbr' is NULL.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <rte_rcu_qsbr.h>

#include "group.h"

#define GROUP_QUOTE_MAX 64              /* longest quote in a message */
#define GROUP_BUCKET_KEY "bucket="

/* A group as the control thread allocates it. Workers only ever see 'grp'. */
struct group_node {
	struct nfv_group grp;
	struct group_node *next_retired;        /* control thread only */
};

/* What workers search: immutable once published. */
struct group_snap {
	unsigned int n;
	uint32_t ids[NFV_GROUP_MAX];            /* sorted, ids[i] is groups[i] */
	const struct nfv_group *groups[NFV_GROUP_MAX];
};

struct nfv_groups {
	/* Written by the control thread with a release store in
	 * nfv_groups_commit(); read by workers with an acquire load. The
	 * snapshot it points to is never written while published. */
	struct group_snap *published __attribute__((aligned(64)));

	/* Control thread only. */
	struct group_snap *spare __attribute__((aligned(64)));
	struct rte_rcu_qsbr *qsbr;
	unsigned int n_workers;
	unsigned int max_groups;
	struct group_node **nodes;              /* sorted by group id */
	unsigned int n_nodes;
	unsigned int cap_nodes;
	struct group_node *retired;             /* freed at the next commit */
	bool dirty;                             /* 'nodes' differs from published */
};

/* Parser state of nfv_group_parse(). */
struct group_parser {
	nfv_port_by_name_fn *by_name;
	void *arg;
	struct nfv_group_spec *spec;
	char *err;                              /* NFV_FLOW_ERR_MAX bytes */
	int bucket;                             /* being parsed, or -1 */
};

/* A piece of the parsed text; not NUL-terminated. */
struct group_slice {
	const char *s;
	size_t len;
};

/* One item of a list of "key=value" or "key:value" items separated by
 * commas and/or white space. */
struct group_item {
	struct group_slice text;        /* the whole item, for messages */
	struct group_slice key;
	struct group_slice value;       /* .s is NULL without '=' or ':' */
};

/* Where nfv_group_format() writes; 'len' is what the full text needs. */
struct group_out {
	char *buf;
	size_t size;
	size_t len;
};

static const char *const group_type_names[] = {
	[NFV_GT_ALL] = "all",
	[NFV_GT_SELECT] = "select",
	[NFV_GT_INDIRECT] = "indirect",
	[NFV_GT_FF] = "ff",
};

/* Group fields ovs-ofctl knows that nfvswitch does not parse yet. */
static const char *const group_unsupported_fields[] = {
	"command_bucket_id", "selection_method", "selection_method_param",
	"fields",
};

/* Messages. */

static int
group_qlen(struct group_slice s)
{
	return s.len < GROUP_QUOTE_MAX ? (int)s.len : GROUP_QUOTE_MAX;
}

/* Writes a one-line message into 'err' (NFV_FLOW_ERR_MAX bytes) and
 * returns 'ret'. */
static int __attribute__((format(printf, 3, 4)))
group_error(char *err, int ret, const char *fmt, ...)
{
	va_list ap;
	char *c;

	va_start(ap, fmt);
	vsnprintf(err, NFV_FLOW_ERR_MAX, fmt, ap);
	va_end(ap);
	for (c = err; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	return ret;
}

/* Like group_error(), with "bucket N: " in front while parsing one.
 * Returns -EINVAL. */
static int __attribute__((format(printf, 2, 3)))
group_perror(struct group_parser *p, const char *fmt, ...)
{
	char msg[NFV_FLOW_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->bucket >= 0)
		return group_error(p->err, -EINVAL, "bucket %d: %s", p->bucket,
				   msg);
	return group_error(p->err, -EINVAL, "%s", msg);
}

/* Validation. */

static const char *
group_type_name(enum nfv_group_type type)
{
	if ((unsigned int)type < NFV_ARRAY_SIZE(group_type_names))
		return group_type_names[type];
	return "unknown";
}

static int
group_validate_bucket(const struct nfv_group_spec *spec, unsigned int i,
		      char *err)
{
	const struct nfv_bucket *b = &spec->buckets[i];
	uint32_t id = spec->group_id;
	unsigned int j;

	if (b->n_actions > NFV_FLOW_MAX_ACTIONS)
		return group_error(err, -EINVAL,
				   "group %" PRIu32 " bucket %u: too many actions (%u, at most %d)",
				   id, i, b->n_actions, NFV_FLOW_MAX_ACTIONS);
	/* Only a direct loop is caught here. A bucket may name a group that
	 * does not exist (yet) or one that leads back here through others;
	 * OpenFlow would answer OFPGMFC_CHAINING_UNSUPPORTED or LOOP, we
	 * leave it to the worker, which drops a missing group and bounds how
	 * deep it follows chained groups. */
	for (j = 0; j < b->n_actions; j++)
		if (b->actions[j].type == NFV_ACT_GROUP &&
		    b->actions[j].arg.group_id == id)
			return group_error(err, -EINVAL,
					   "group %" PRIu32 " bucket %u: group action refers to its own group",
					   id, i);
	switch (spec->type) {
	case NFV_GT_SELECT:
		if (!b->weight)
			return group_error(err, -EINVAL,
					   "group %" PRIu32 " bucket %u: select bucket weight must be at least 1",
					   id, i);
		break;
	case NFV_GT_FF:
		if (b->watch_port == NFV_OFPP_ANY &&
		    b->watch_group == NFV_OFPG_ANY)
			return group_error(err, -EINVAL,
					   "group %" PRIu32 " bucket %u: fast_failover bucket needs watch_port or watch_group",
					   id, i);
		if (b->watch_port != NFV_OFPP_ANY &&
		    (b->watch_port == 0 || b->watch_port > NFV_OFPP_MAX))
			return group_error(err, -EINVAL,
					   "group %" PRIu32 " bucket %u: watch_port 0x%" PRIx32 " is not a port",
					   id, i, b->watch_port);
		if (b->watch_group != NFV_OFPG_ANY &&
		    b->watch_group > NFV_OFPG_MAX)
			return group_error(err, -EINVAL,
					   "group %" PRIu32 " bucket %u: watch_group 0x%" PRIx32 " out of range",
					   id, i, b->watch_group);
		if (b->watch_group == id)
			return group_error(err, -EINVAL,
					   "group %" PRIu32 " bucket %u: bucket watches its own group",
					   id, i);
		break;
	default:
		/* ALL and INDIRECT ignore weights and watches. */
		break;
	}
	return 0;
}

/* Checks 'spec' against the rules of OpenFlow 1.3 and our limits. Returns
 * 0 or -EINVAL with a message in 'err'. */
static int
group_validate(const struct nfv_group_spec *spec, char *err)
{
	uint32_t id = spec->group_id;
	unsigned int i;
	int ret;

	if (id > NFV_OFPG_MAX)
		return group_error(err, -EINVAL,
				   "group_id 0x%" PRIx32 " out of range 0..0x%" PRIx32,
				   id, (uint32_t)NFV_OFPG_MAX);
	switch (spec->type) {
	case NFV_GT_ALL:
	case NFV_GT_SELECT:
	case NFV_GT_INDIRECT:
	case NFV_GT_FF:
		break;
	default:
		return group_error(err, -EINVAL,
				   "group %" PRIu32 ": unknown group type %d",
				   id, (int)spec->type);
	}
	if (spec->n_buckets > NFV_GROUP_MAX_BUCKETS)
		return group_error(err, -EINVAL,
				   "group %" PRIu32 ": too many buckets (%u, at most %d)",
				   id, spec->n_buckets, NFV_GROUP_MAX_BUCKETS);
	if (spec->type == NFV_GT_INDIRECT && spec->n_buckets != 1)
		return group_error(err, -EINVAL,
				   "group %" PRIu32 ": an indirect group needs exactly 1 bucket, not %u",
				   id, spec->n_buckets);
	for (i = 0; i < spec->n_buckets; i++) {
		ret = group_validate_bucket(spec, i, err);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* Control side. */

static uint64_t
group_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
group_node_free(struct group_node *node)
{
	if (!node)
		return;
	free(node->grp.stats);
	free(node);
}

/* Allocates a group for 'spec' (already validated) with zeroed counters. */
/* Spreads the NFV_GROUP_SELECT_SLOTS slots of a SELECT group over its
 * buckets in proportion to their weights, so a worker picks a bucket by a
 * hash with one table load instead of a division. */
static void
group_select_map(struct nfv_group *g)
{
	unsigned int slot = 0;
	uint64_t acc = 0;

	for (unsigned int i = 0; i < g->spec.n_buckets && g->total_weight; i++) {
		unsigned int end;

		acc += g->spec.buckets[i].weight;
		end = (unsigned int)(acc * NFV_GROUP_SELECT_SLOTS /
				     g->total_weight);
		while (slot < end)
			g->select_map[slot++] = i;
	}
}

static int
group_node_create(const struct nfv_groups *g,
		  const struct nfv_group_spec *spec, struct group_node **out)
{
	unsigned int n_stats = g->n_workers ? g->n_workers : 1;
	struct nfv_group_spec *s;
	struct group_node *node;
	unsigned int i;

	/* calloc: the unused buckets (most of the 17 kB) stay zero, and fresh
	 * pages that are never written are never touched. */
	node = calloc(1, sizeof(*node));
	if (!node)
		return -ENOMEM;
	node->grp.stats = aligned_alloc(64, n_stats *
					sizeof(struct nfv_group_stats));
	if (!node->grp.stats) {
		free(node);
		return -ENOMEM;
	}
	memset(node->grp.stats, 0, n_stats * sizeof(struct nfv_group_stats));

	s = &node->grp.spec;
	s->group_id = spec->group_id;
	s->type = spec->type;
	s->n_buckets = spec->n_buckets;
	memcpy(s->buckets, spec->buckets,
	       spec->n_buckets * sizeof(spec->buckets[0]));
	if (s->type == NFV_GT_SELECT) {
		for (i = 0; i < s->n_buckets; i++)
			node->grp.total_weight += s->buckets[i].weight;
		group_select_map(&node->grp);
	}
	node->grp.created_ms = group_now_ms();
	*out = node;
	return 0;
}

/* Returns the index of group 'id' in the control-side array, or where it
 * would be inserted; sets '*found'. */
static unsigned int
group_find(const struct nfv_groups *g, uint32_t id, bool *found)
{
	unsigned int lo = 0, hi = g->n_nodes;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (g->nodes[mid]->grp.spec.group_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < g->n_nodes && g->nodes[lo]->grp.spec.group_id == id;
	return lo;
}

/* Puts 'node' on the retired list: it may be in the published snapshot,
 * so it is freed only after the next commit's grace period. */
static void
group_retire(struct nfv_groups *g, struct group_node *node)
{
	node->next_retired = g->retired;
	g->retired = node;
	g->dirty = true;
}

static void
group_free_retired(struct nfv_groups *g)
{
	while (g->retired) {
		struct group_node *node = g->retired;

		g->retired = node->next_retired;
		group_node_free(node);
	}
}

int
nfv_groups_create(unsigned int n_workers, struct rte_rcu_qsbr *qsbr,
		  struct nfv_groups **out)
{
	struct nfv_groups *g;

	if (!out || n_workers > NFV_MAX_WORKERS)
		return -EINVAL;
	g = aligned_alloc(64, sizeof(*g));
	if (!g)
		return -ENOMEM;
	memset(g, 0, sizeof(*g));
	g->n_workers = n_workers;
	g->qsbr = qsbr;
	g->max_groups = NFV_GROUP_MAX;
	/* 1.5 MB each, but calloc'ed pages are only touched as groups come. */
	g->published = calloc(1, sizeof(*g->published));
	g->spare = calloc(1, sizeof(*g->spare));
	if (!g->published || !g->spare) {
		free(g->published);
		free(g->spare);
		free(g);
		return -ENOMEM;
	}
	*out = g;
	return 0;
}

void
nfv_groups_destroy(struct nfv_groups *g)
{
	unsigned int i;

	if (!g)
		return;
	for (i = 0; i < g->n_nodes; i++)
		group_node_free(g->nodes[i]);
	group_free_retired(g);
	free(g->nodes);
	free(g->published);
	free(g->spare);
	free(g);
}

int
nfv_groups_set_max(struct nfv_groups *g, unsigned int max)
{
	if (max > NFV_GROUP_MAX)
		return -EINVAL;
	g->max_groups = max;
	return 0;
}

/* Makes room for one more node in the control-side array. */
static int
group_reserve(struct nfv_groups *g)
{
	struct group_node **nodes;
	unsigned int cap;

	if (g->n_nodes < g->cap_nodes)
		return 0;
	cap = g->cap_nodes ? g->cap_nodes * 2 : 64;
	if (cap > NFV_GROUP_MAX)
		cap = NFV_GROUP_MAX;
	nodes = realloc(g->nodes, cap * sizeof(*nodes));
	if (!nodes)
		return -ENOMEM;
	g->nodes = nodes;
	g->cap_nodes = cap;
	return 0;
}

int
nfv_group_add(struct nfv_groups *g, const struct nfv_group_spec *spec,
	      char *err)
{
	char scratch[NFV_FLOW_ERR_MAX];
	struct group_node *node;
	unsigned int idx;
	bool found;
	int ret;

	if (!err)
		err = scratch;
	err[0] = '\0';
	ret = group_validate(spec, err);
	if (ret < 0)
		return ret;
	idx = group_find(g, spec->group_id, &found);
	if (found)
		return group_error(err, -EEXIST,
				   "group %" PRIu32 " already exists",
				   spec->group_id);
	if (g->n_nodes >= g->max_groups)
		return group_error(err, -ENOSPC,
				   "group table full (%u groups)",
				   g->max_groups);
	ret = group_reserve(g);
	if (ret < 0)
		return group_error(err, ret, "group %" PRIu32 ": %s",
				   spec->group_id, strerror(-ret));
	ret = group_node_create(g, spec, &node);
	if (ret < 0)
		return group_error(err, ret, "group %" PRIu32 ": %s",
				   spec->group_id, strerror(-ret));
	memmove(&g->nodes[idx + 1], &g->nodes[idx],
		(g->n_nodes - idx) * sizeof(g->nodes[0]));
	g->nodes[idx] = node;
	g->n_nodes++;
	g->dirty = true;
	return 0;
}

int
nfv_group_modify(struct nfv_groups *g, const struct nfv_group_spec *spec,
		 char *err)
{
	char scratch[NFV_FLOW_ERR_MAX];
	struct group_node *node;
	unsigned int idx;
	bool found;
	int ret;

	if (!err)
		err = scratch;
	err[0] = '\0';
	ret = group_validate(spec, err);
	if (ret < 0)
		return ret;
	idx = group_find(g, spec->group_id, &found);
	if (!found)
		return group_error(err, -ENOENT, "group %" PRIu32 " does not exist",
				   spec->group_id);
	ret = group_node_create(g, spec, &node);
	if (ret < 0)
		return group_error(err, ret, "group %" PRIu32 ": %s",
				   spec->group_id, strerror(-ret));
	group_retire(g, g->nodes[idx]);
	g->nodes[idx] = node;
	return 0;
}

unsigned int
nfv_group_del(struct nfv_groups *g, uint32_t group_id)
{
	unsigned int idx, n;
	bool found;

	if (group_id == NFV_OFPG_ALL) {
		n = g->n_nodes;
		for (idx = 0; idx < n; idx++)
			group_retire(g, g->nodes[idx]);
		g->n_nodes = 0;
		return n;
	}
	idx = group_find(g, group_id, &found);
	if (!found)
		return 0;
	group_retire(g, g->nodes[idx]);
	memmove(&g->nodes[idx], &g->nodes[idx + 1],
		(g->n_nodes - idx - 1) * sizeof(g->nodes[0]));
	g->n_nodes--;
	return 1;
}

void
nfv_groups_commit(struct nfv_groups *g)
{
	struct group_snap *next = g->spare;
	struct group_snap *old = g->published;
	unsigned int i;

	if (!g->dirty)
		return;
	for (i = 0; i < g->n_nodes; i++) {
		next->ids[i] = g->nodes[i]->grp.spec.group_id;
		next->groups[i] = &g->nodes[i]->grp;
	}
	next->n = g->n_nodes;
	/* Release: a worker that sees 'next' sees its contents and the
	 * groups it points to. */
	__atomic_store_n(&g->published, next, __ATOMIC_RELEASE);
	/* After the grace period no worker holds 'old' or a group that only
	 * 'old' points to: the snapshot can be reused, the groups freed. */
	if (g->qsbr)
		rte_rcu_qsbr_synchronize(g->qsbr, RTE_QSBR_THRID_INVALID);
	g->spare = old;
	group_free_retired(g);
	g->dirty = false;
}

const struct nfv_group *
nfv_groups_lookup(const struct nfv_groups *g, uint32_t id)
{
	/* Acquire pairs with the release store in nfv_groups_commit(). */
	const struct group_snap *s = __atomic_load_n(&g->published,
						     __ATOMIC_ACQUIRE);
	unsigned int lo = 0, hi = s->n;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (s->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->n && s->ids[lo] == id)
		return s->groups[lo];
	return NULL;
}

void
nfv_groups_dump(const struct nfv_groups *g, nfv_group_visit_fn *fn,
		void *arg)
{
	unsigned int i;

	for (i = 0; i < g->n_nodes; i++)
		fn(arg, &g->nodes[i]->grp);
}

unsigned int
nfv_groups_count(const struct nfv_groups *g)
{
	return g->n_nodes;
}

void
nfv_group_counters(const struct nfv_groups *g, const struct nfv_group *grp,
		   struct nfv_group_stats *st)
{
	unsigned int n_stats = g->n_workers ? g->n_workers : 1;
	unsigned int w, b;

	memset(st, 0, sizeof(*st));
	/* Workers keep writing; each 64-bit load is whole, and a sum that is
	 * a few packets behind is fine for a stats reply. */
	for (w = 0; w < n_stats; w++) {
		const struct nfv_group_stats *ws = &grp->stats[w];

		st->n_packets += ws->n_packets;
		st->n_bytes += ws->n_bytes;
		for (b = 0; b < NFV_GROUP_MAX_BUCKETS; b++) {
			st->bucket_packets[b] += ws->bucket_packets[b];
			st->bucket_bytes[b] += ws->bucket_bytes[b];
		}
	}
}

/* Parsing. */

static bool
group_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\v' || c == '\f';
}

static const char *
group_skip_space(const char *s, const char *end)
{
	while (s < end && group_is_space(*s))
		s++;
	return s;
}

static bool
group_slice_eq(struct group_slice sl, const char *s)
{
	return strlen(s) == sl.len && !memcmp(sl.s, s, sl.len);
}

static bool
group_slice_caseeq(struct group_slice sl, const char *s)
{
	return strlen(s) == sl.len && !strncasecmp(sl.s, s, sl.len);
}

/* Returns the next "bucket=" at or after 's' that starts a token outside
 * parentheses and brackets, or 'end'. 'text' is the start of the whole
 * text. */
static const char *
group_find_bucket(const char *text, const char *s, const char *end)
{
	size_t key_len = strlen(GROUP_BUCKET_KEY);
	unsigned int depth = 0;

	for (; s < end; s++) {
		if (*s == '(' || *s == '[') {
			depth++;
		} else if (*s == ')' || *s == ']') {
			if (depth)
				depth--;
		} else if (!depth &&
			   (s == text || s[-1] == ',' ||
			    group_is_space(s[-1])) &&
			   (size_t)(end - s) >= key_len &&
			   !memcmp(s, GROUP_BUCKET_KEY, key_len)) {
			return s;
		}
	}
	return end;
}

/* The end of the part of the text that runs up to 'next' (a "bucket=" or
 * the end of the text): the separator in front of a "bucket=", one comma
 * and any white space, is not part of it. */
static const char *
group_part_end(const char *start, const char *next, const char *end)
{
	const char *e = next;

	if (next == end)
		return end;
	while (e > start && group_is_space(e[-1]))
		e--;
	if (e > start && e[-1] == ',')
		e--;
	while (e > start && group_is_space(e[-1]))
		e--;
	return e;
}

/* Parses all of 'v' as a decimal or "0x" hexadecimal number up to 'max'.
 * Returns 0 or -EINVAL. */
static int
group_number(struct group_slice v, uint64_t max, uint64_t *out)
{
	uint64_t n;

	if (nfv_parse_number(v.s, v.len, &n) < 0 || n > max)
		return -EINVAL;
	*out = n;
	return 0;
}

static int
group_parse_uint(struct group_parser *p, struct group_slice tok,
		 struct group_slice v, uint64_t max, uint64_t *out)
{
	if (group_number(v, max, out) < 0)
		return group_perror(p, "%.*s: expected a number in 0..%" PRIu64,
				    group_qlen(tok), tok.s, max);
	return 0;
}

/* Splits the item at 's' (not at the end) into key and value. */
static void
group_item_at(const char *s, const char *end, struct group_item *it)
{
	const char *e, *k;

	memset(it, 0, sizeof(*it));
	for (k = s; k < end && !strchr("=:,(", *k) && !group_is_space(*k); k++)
		;
	for (e = k; e < end && *e != ',' && !group_is_space(*e); e++)
		;
	it->text = (struct group_slice){ s, e - s };
	it->key = (struct group_slice){ s, k - s };
	if (k < end && (*k == '=' || *k == ':'))
		it->value = (struct group_slice){ k + 1, e - k - 1 };
}

/* Moves '*pos' past the separator after item 'prev': white space, at most
 * one comma, white space. Returns 0, or -EINVAL on an empty item. */
static int
group_skip_sep(struct group_parser *p, const char **pos, const char *end,
	       struct group_slice prev)
{
	const char *s = group_skip_space(*pos, end);

	if (s < end && *s == ',')
		s = group_skip_space(s + 1, end);
	if (s < end && *s == ',')
		return group_perror(p, "empty item after '%.*s'",
				    group_qlen(prev), prev.s);
	*pos = s;
	return 0;
}

static int
group_parse_id(struct group_parser *p, const struct group_item *it,
	       bool filter_only)
{
	uint64_t v = 0;

	if (group_slice_caseeq(it->value, "all")) {
		if (!filter_only)
			return group_perror(p, "%.*s: group_id=all only selects groups",
					    group_qlen(it->text), it->text.s);
		p->spec->group_id = NFV_OFPG_ALL;
		return 0;
	}
	if (group_parse_uint(p, it->text, it->value, NFV_OFPG_MAX, &v) < 0)
		return -EINVAL;
	p->spec->group_id = v;
	return 0;
}

static int
group_parse_type(struct group_parser *p, const struct group_item *it)
{
	size_t i;

	for (i = 0; i < NFV_ARRAY_SIZE(group_type_names); i++) {
		if (group_slice_eq(it->value, group_type_names[i])) {
			p->spec->type = i;
			return 0;
		}
	}
	if (group_slice_eq(it->value, "fast_failover")) {
		p->spec->type = NFV_GT_FF;
		return 0;
	}
	return group_perror(p, "%.*s: unknown group type (all, select, indirect, ff or fast_failover)",
			    group_qlen(it->text), it->text.s);
}

/* Checks the name of group field 'it'. Returns 0 or -EINVAL. */
static int
group_check_field(struct group_parser *p, const struct group_item *it,
		  bool filter_only, bool *has_id, bool *has_type)
{
	bool *seen;
	size_t i;

	if (group_slice_eq(it->key, "group_id")) {
		seen = has_id;
	} else if (group_slice_eq(it->key, "type")) {
		if (filter_only)
			return group_perror(p, "%.*s: only group_id is allowed when selecting groups",
					    group_qlen(it->text), it->text.s);
		seen = has_type;
	} else {
		for (i = 0; i < NFV_ARRAY_SIZE(group_unsupported_fields); i++)
			if (group_slice_eq(it->key, group_unsupported_fields[i]))
				return group_perror(p, "field '%.*s' is not supported yet",
						    group_qlen(it->key), it->key.s);
		if (!it->key.len)
			return group_perror(p, "%.*s: missing field name",
					    group_qlen(it->text), it->text.s);
		return group_perror(p, "unknown field '%.*s'",
				    group_qlen(it->key), it->key.s);
	}
	if (*seen)
		return group_perror(p, "field '%.*s' given twice",
				    group_qlen(it->key), it->key.s);
	*seen = true;
	if (!it->value.len)
		return group_perror(p, "%.*s: missing value",
				    group_qlen(it->text), it->text.s);
	return 0;
}

/* The group fields in front of the first bucket. */
static int
group_parse_fields(struct group_parser *p, const char *s, const char *end,
		   bool filter_only, bool *has_id)
{
	bool has_type = false;
	struct group_item it;
	int ret;

	s = group_skip_space(s, end);
	if (s < end && *s == ',')
		return group_perror(p, "empty item at start");
	while (s < end) {
		group_item_at(s, end, &it);
		ret = group_check_field(p, &it, filter_only, has_id,
					&has_type);
		if (ret < 0)
			return ret;
		if (group_slice_eq(it.key, "group_id"))
			ret = group_parse_id(p, &it, filter_only);
		else
			ret = group_parse_type(p, &it);
		if (ret < 0)
			return ret;
		s = it.text.s + it.text.len;
		ret = group_skip_sep(p, &s, end, it.text);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* Resolves the watch_port value 'v': a number in 1..NFV_OFPP_MAX or a
 * port name. */
static int
group_parse_watch_port(struct group_parser *p, const struct group_item *it,
		       uint32_t *port)
{
	char name[NFV_PORT_NAME_MAX];
	struct group_slice v = it->value;
	uint64_t n;
	int ret = -ENOENT;

	if (group_number(v, UINT64_MAX, &n) == 0) {
		if (n < 1 || n > NFV_OFPP_MAX)
			return group_perror(p, "%.*s: port number out of range 1..0x%" PRIx32,
					    group_qlen(it->text), it->text.s,
					    (uint32_t)NFV_OFPP_MAX);
		*port = n;
		return 0;
	}
	if (p->by_name && v.len < sizeof(name)) {
		memcpy(name, v.s, v.len);
		name[v.len] = '\0';
		ret = p->by_name(p->arg, name);
	}
	if (ret <= 0 || (uint32_t)ret > NFV_OFPP_MAX)
		return group_perror(p, "%.*s: no such port '%.*s'",
				    group_qlen(it->text), it->text.s,
				    group_qlen(v), v.s);
	*port = ret;
	return 0;
}

enum group_bucket_field {
	GROUP_BF_WEIGHT,
	GROUP_BF_WATCH_PORT,
	GROUP_BF_WATCH_GROUP,
	GROUP_BF_BUCKET_ID,
};

static const char *const group_bucket_fields[] = {
	[GROUP_BF_WEIGHT] = "weight",
	[GROUP_BF_WATCH_PORT] = "watch_port",
	[GROUP_BF_WATCH_GROUP] = "watch_group",
	[GROUP_BF_BUCKET_ID] = "bucket_id",
};

/* Parses bucket field 'it' into 'b'. Returns 1 if it is one, 0 if it is
 * not (the action list starts there), or -EINVAL. '*seen' has a bit per
 * field already given. */
static int
group_parse_bucket_field(struct group_parser *p, const struct group_item *it,
			 unsigned int *seen, struct nfv_bucket *b)
{
	enum nfv_group_type type = p->spec->type;
	unsigned int f;
	uint64_t v = 0;

	for (f = 0; f < NFV_ARRAY_SIZE(group_bucket_fields); f++)
		if (group_slice_eq(it->key, group_bucket_fields[f]))
			break;
	if (f == NFV_ARRAY_SIZE(group_bucket_fields))
		return 0;
	if (!it->value.len)
		return group_perror(p, "%.*s: missing value",
				    group_qlen(it->text), it->text.s);
	if (*seen & (1u << f))
		return group_perror(p, "field '%s' given twice",
				    group_bucket_fields[f]);
	*seen |= 1u << f;
	if (f == GROUP_BF_WEIGHT && type != NFV_GT_SELECT)
		return group_perror(p, "%.*s: only select groups have bucket weights",
				    group_qlen(it->text), it->text.s);
	if ((f == GROUP_BF_WATCH_PORT || f == GROUP_BF_WATCH_GROUP) &&
	    type != NFV_GT_FF)
		return group_perror(p, "%.*s: only fast_failover buckets watch ports or groups",
				    group_qlen(it->text), it->text.s);

	switch (f) {
	case GROUP_BF_WEIGHT:
		if (group_parse_uint(p, it->text, it->value, UINT16_MAX, &v))
			return -EINVAL;
		b->weight = v;
		break;
	case GROUP_BF_WATCH_PORT:
		if (group_parse_watch_port(p, it, &b->watch_port) < 0)
			return -EINVAL;
		break;
	case GROUP_BF_WATCH_GROUP:
		if (group_parse_uint(p, it->text, it->value, NFV_OFPG_MAX, &v))
			return -EINVAL;
		b->watch_group = v;
		break;
	case GROUP_BF_BUCKET_ID:
		/* ovs-ofctl prints bucket ids for OpenFlow 1.5; OpenFlow 1.3
		 * has none, so the id is checked and dropped. */
		if (group_parse_uint(p, it->text, it->value, NFV_OFPG_MAX, &v))
			return -EINVAL;
		break;
	}
	return 1;
}

/* Parses action list 'list' into 'b' with the flow parser, so buckets
 * take the same actions as flows. */
static int
group_parse_actions(struct group_parser *p, struct group_slice list,
		    struct nfv_bucket *b)
{
	char ferr[NFV_FLOW_ERR_MAX];
	char *text;
	int ret;

	text = strndup(list.s, list.len);
	if (!text)
		return group_error(p->err, -ENOMEM, "bucket %d: %s", p->bucket,
				   strerror(ENOMEM));
	/* A bucket has no match: its actions are checked on their own
	 * (instructions such as goto_table are not actions and fail). */
	ret = nfv_flow_parse_action_list(text, p->by_name, p->arg, b->actions,
					 &b->n_actions, ferr);
	free(text);
	if (ret < 0)
		return group_perror(p, "%s", ferr);
	return 0;
}

/* Parses the text of a bucket (what follows "bucket=") into 'b': bucket
 * fields, then the action list with or without "actions=" in front. */
static int
group_parse_bucket(struct group_parser *p, const char *s, const char *end,
		   struct nfv_bucket *b)
{
	unsigned int seen = 0;
	struct group_item it;
	int ret;

	memset(b, 0, sizeof(*b));
	b->weight = p->spec->type == NFV_GT_SELECT ? 1 : 0;
	b->watch_port = NFV_OFPP_ANY;
	b->watch_group = NFV_OFPG_ANY;

	s = group_skip_space(s, end);
	if (s == end)
		return group_perror(p, "empty bucket");
	if (*s == ',')
		return group_perror(p, "empty item at start");
	for (;;) {
		group_item_at(s, end, &it);
		if (group_slice_eq(it.key, "actions") && it.value.s) {
			s = it.value.s;
			break;
		}
		ret = group_parse_bucket_field(p, &it, &seen, b);
		if (ret < 0)
			return ret;
		if (ret == 0)
			break;
		s = it.text.s + it.text.len;
		ret = group_skip_sep(p, &s, end, it.text);
		if (ret < 0)
			return ret;
		if (s == end)
			return group_perror(p, "missing actions; use actions=drop for a bucket that drops");
	}
	return group_parse_actions(p, (struct group_slice){ s, end - s }, b);
}

int
nfv_group_parse(const char *text, bool filter_only,
		nfv_port_by_name_fn *by_name, void *arg,
		struct nfv_group_spec *spec, char *err)
{
	char scratch[NFV_FLOW_ERR_MAX];
	struct group_parser p = {
		.by_name = by_name,
		.arg = arg,
		.spec = spec,
		.err = err ? err : scratch,
		.bucket = -1,
	};
	const char *end, *next;
	bool has_id = false;
	int ret;

	memset(spec, 0, sizeof(*spec));
	spec->type = NFV_GT_ALL;
	spec->group_id = NFV_OFPG_ALL;
	p.err[0] = '\0';
	if (!text) {
		if (filter_only)
			return 0;
		return group_perror(&p, "no group given");
	}

	end = text + strlen(text);
	next = group_find_bucket(text, text, end);
	ret = group_parse_fields(&p, text, group_part_end(text, next, end),
				 filter_only, &has_id);
	if (ret < 0)
		return ret;
	if (filter_only && next != end) {
		struct group_slice t = { next, end - next };

		return group_perror(&p, "%.*s: buckets are not allowed when selecting groups",
				    group_qlen(t), t.s);
	}
	if (filter_only)
		return 0;
	if (!has_id)
		return group_perror(&p, "missing group_id=");

	while (next != end) {
		const char *s = next + strlen(GROUP_BUCKET_KEY);

		if (spec->n_buckets == NFV_GROUP_MAX_BUCKETS)
			return group_error(p.err, -EINVAL,
					   "too many buckets (at most %d)",
					   NFV_GROUP_MAX_BUCKETS);
		p.bucket = spec->n_buckets;
		next = group_find_bucket(text, s, end);
		ret = group_parse_bucket(&p, s, group_part_end(s, next, end),
					 &spec->buckets[spec->n_buckets]);
		if (ret < 0)
			return ret;
		spec->n_buckets++;
	}
	return group_validate(spec, p.err);
}

/* Formatting. */

static void __attribute__((format(printf, 2, 3)))
group_out_printf(struct group_out *o, const char *fmt, ...)
{
	size_t room = o->len < o->size ? o->size - o->len : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += n;
}

int
nfv_group_format(const struct nfv_group_spec *spec,
		 nfv_port_name_fn *name_of, void *arg, char *buf,
		 size_t size)
{
	struct group_out o = { .buf = buf, .size = size };
	struct nfv_flow_spec fs;
	unsigned int i;

	memset(&fs, 0, sizeof(fs));
	if (size)
		buf[0] = '\0';
	group_out_printf(&o, "group_id=%" PRIu32 ",type=%s", spec->group_id,
			 group_type_name(spec->type));
	for (i = 0; i < spec->n_buckets && i < NFV_GROUP_MAX_BUCKETS; i++) {
		const struct nfv_bucket *b = &spec->buckets[i];
		size_t room;
		int n;

		group_out_printf(&o, ",bucket=");
		if (spec->type == NFV_GT_SELECT)
			group_out_printf(&o, "weight:%u,", b->weight);
		if (spec->type == NFV_GT_FF && b->watch_port != NFV_OFPP_ANY) {
			const char *name = name_of ?
					   name_of(arg, b->watch_port) : NULL;

			if (name)
				group_out_printf(&o, "watch_port:%s,", name);
			else
				group_out_printf(&o, "watch_port:%" PRIu32 ",",
						 b->watch_port);
		}
		if (spec->type == NFV_GT_FF && b->watch_group != NFV_OFPG_ANY)
			group_out_printf(&o, "watch_group:%" PRIu32 ",",
					 b->watch_group);
		group_out_printf(&o, "actions=");

		fs.n_actions = b->n_actions < NFV_FLOW_MAX_ACTIONS ?
				b->n_actions : NFV_FLOW_MAX_ACTIONS;
		memcpy(fs.actions, b->actions,
		       fs.n_actions * sizeof(fs.actions[0]));
		room = o.len < o.size ? o.size - o.len : 0;
		n = nfv_flow_format_actions(&fs, name_of, arg,
					    room ? o.buf + o.len : NULL, room);
		if (n > 0)
			o.len += n;
	}
	return o.len < INT32_MAX ? (int)o.len : INT32_MAX;
}
