/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The table walk (see xlate.h). OpenFlow 1.3 semantics: apply-actions run
 * in order as each rule is hit (here: appended to the output list and
 * simulated on a working copy of the key, so that later tables see their
 * effect), clear-actions / write-actions edit the action set, which runs
 * when the walk ends without goto_table, in the order of section 5.10:
 * pop, push, TTL, set_field, group, output (group wins over output).
 * A table miss without a table-miss rule drops the packet (the action set
 * is not run).
 */
#include <string.h>

#include "table.h"
#include "xlate.h"

/* The action set: at most one action of each kind, set_field one per
 * field, kept in execution order by slot. */
struct action_set {
	bool has_pop, has_push, has_dec_ttl, has_set_ttl, has_group;
	bool has_output;
	struct nfv_action pop, push, dec_ttl, set_ttl, group, output;
	bool has_field[NFV_F_N];
	struct nfv_action fields[NFV_F_N];
};

struct xlate_ctx {
	const struct nfv_pipeline *p;
	struct nfv_xlate_out *out;
	struct nfv_flow_key key;        /* as rewritten by actions so far */
	struct nfv_flow_key mod;        /* bits rewritten to constants */
	bool mod_since_version;         /* 'key' differs from the version */
	struct action_set set;
};

static void
mask_or(struct nfv_flow_key *dst, const struct nfv_flow_key *src)
{
	uint64_t *d = (uint64_t *)dst;
	const uint64_t *s = (const uint64_t *)src;

	for (unsigned int i = 0; i < NFV_KEY_WORDS; i++)
		d[i] |= s[i];
}

static void
mark_modified(struct xlate_ctx *x, enum nfv_field_id f)
{
	struct nfv_match m;
	union nfv_field_value zero;

	memset(&m, 0, sizeof(m));
	memset(&zero, 0, sizeof(zero));
	nfv_match_set(&m, &nfv_fields[f], &zero, NULL);
	mask_or(&x->mod, &m.mask);
	x->mod_since_version = true;
}

static void
emit(struct xlate_ctx *x, const struct nfv_action *a, uint8_t table_id,
     const struct nfv_rule *r)
{
	struct nfv_xlate_out *out = x->out;

	if (out->n_actions == NFV_XLATE_MAX_ACTIONS) {
		out->error = true;
		return;
	}
	if (a->type == NFV_ACT_OUTPUT && a->arg.port == NFV_OFPP_CONTROLLER) {
		struct nfv_pktin_info *pi;

		if (out->n_pktin == NFV_XLATE_MAX_PKTIN) {
			out->error = true;
			return;
		}
		pi = &out->pktin[out->n_pktin++];
		pi->action_idx = out->n_actions;
		/* OpenFlow 1.3: a table-miss rule's packet-ins say no_match. */
		pi->reason = r->is_table_miss ? NFV_PKTIN_NO_MATCH :
						NFV_PKTIN_ACTION;
		pi->table_id = table_id;
		pi->cookie = r->spec.cookie;
		pi->metadata = x->key.metadata;
	}
	out->actions[out->n_actions++] = *a;
}

/* Simulates 'a' on the working key so later lookups see its effect. */
static void
simulate(struct xlate_ctx *x, const struct nfv_action *a)
{
	struct nfv_flow_key *k = &x->key;

	switch (a->type) {
	case NFV_ACT_SET_FIELD:
		nfv_field_set(&nfv_fields[a->field], k, &a->arg.value);
		mark_modified(x, a->field);
		break;
	case NFV_ACT_PUSH_VLAN:
		/* The new tag copies the outer one's VID and PCP, or is 0:
		 * a function of the packet's TCI, which therefore becomes
		 * part of the megaflow, so the result is a constant. */
		x->out->wc.vlan_tci = UINT16_MAX;
		k->vlan_tci |= __builtin_bswap16(NFV_VLAN_PRESENT);
		mark_modified(x, NFV_F_VLAN_VID);
		mark_modified(x, NFV_F_VLAN_PCP);
		break;
	case NFV_ACT_POP_VLAN:
		/* An inner tag is not in the key: later tables see none. */
		k->vlan_tci = 0;
		mark_modified(x, NFV_F_VLAN_VID);
		mark_modified(x, NFV_F_VLAN_PCP);
		break;
	case NFV_ACT_SET_NW_TTL:
		k->ip_ttl = a->arg.ttl;
		mark_modified(x, NFV_F_IP_TTL);
		break;
	case NFV_ACT_DEC_NW_TTL:
		/* Still a function of the packet's TTL: not a constant. */
		if (k->ip_ttl)
			k->ip_ttl--;
		x->mod_since_version = true;
		break;
	case NFV_ACT_OUTPUT:
	case NFV_ACT_GROUP:
		break;
	}
}

static void
set_write(struct action_set *s, const struct nfv_action *a)
{
	switch (a->type) {
	case NFV_ACT_POP_VLAN:
		s->has_pop = true;
		s->pop = *a;
		break;
	case NFV_ACT_PUSH_VLAN:
		s->has_push = true;
		s->push = *a;
		break;
	case NFV_ACT_DEC_NW_TTL:
		s->has_dec_ttl = true;
		s->dec_ttl = *a;
		break;
	case NFV_ACT_SET_NW_TTL:
		s->has_set_ttl = true;
		s->set_ttl = *a;
		break;
	case NFV_ACT_SET_FIELD:
		s->has_field[a->field] = true;
		s->fields[a->field] = *a;
		break;
	case NFV_ACT_GROUP:
		s->has_group = true;
		s->group = *a;
		break;
	case NFV_ACT_OUTPUT:
		s->has_output = true;
		s->output = *a;
		break;
	}
}

/* Runs the action set at the end of the walk, in OpenFlow order. */
static void
set_execute(struct xlate_ctx *x, uint8_t table_id, const struct nfv_rule *r)
{
	struct action_set *s = &x->set;

	if (s->has_pop)
		emit(x, &s->pop, table_id, r);
	if (s->has_push)
		emit(x, &s->push, table_id, r);
	if (s->has_dec_ttl)
		emit(x, &s->dec_ttl, table_id, r);
	if (s->has_set_ttl)
		emit(x, &s->set_ttl, table_id, r);
	for (unsigned int f = 0; f < NFV_F_N; f++)
		if (s->has_field[f])
			emit(x, &s->fields[f], table_id, r);
	if (s->has_group)
		emit(x, &s->group, table_id, r);
	else if (s->has_output)
		emit(x, &s->output, table_id, r);
}

/* Starts a new version of the lookup key if actions rewrote it. */
static void
version_for_lookup(struct xlate_ctx *x, uint8_t table_id)
{
	struct nfv_xlate_out *out = x->out;
	struct nfv_xlate_version *v;

	if (out->n_versions == 0 || x->mod_since_version) {
		if (out->n_versions == NFV_XLATE_MAX_VERSIONS) {
			out->any_change_invalidates = true;
			return;
		}
		v = &out->versions[out->n_versions++];
		memset(v->tables, 0, sizeof(v->tables));
		v->key = x->key;
		/* The rewritten bits for now; commit adds the final wc. */
		v->mask = x->mod;
		x->mod_since_version = false;
	}
	v = &out->versions[out->n_versions - 1];
	v->tables[table_id / 64] |= UINT64_C(1) << (table_id % 64);
}

void
nfv_xlate(const struct nfv_pipeline *p, const struct nfv_flow_key *key,
	  uint8_t table_id, struct nfv_xlate_out *out)
{
	struct xlate_ctx x;
	const struct nfv_rule *r = NULL;
	unsigned int n_tables = 0;

	memset(&x, 0, sizeof(x));
	x.p = p;
	x.out = out;
	x.key = *key;
	out->n_actions = 0;
	out->n_pktin = 0;
	out->n_rules = 0;
	out->n_versions = 0;
	out->any_change_invalidates = false;
	out->error = false;
	out->miss = false;
	memset(&out->wc, 0, sizeof(out->wc));
	/* Megaflows are always per input port. */
	out->wc.in_port = UINT32_MAX;

	for (;;) {
		const struct nfv_flow_spec *s;

		if (n_tables++ == NFV_XLATE_MAX_RULES) {
			out->error = true;
			break;
		}
		version_for_lookup(&x, table_id);
		r = nfv_pipeline_lookup(p, table_id, &x.key, &out->wc);
		if (r == NULL)
			goto miss;
		out->rules[out->n_rules++] = r;
		s = &r->spec;
		for (unsigned int i = 0; i < s->n_actions; i++) {
			emit(&x, &s->actions[i], table_id, r);
			simulate(&x, &s->actions[i]);
		}
		if (s->clear_actions)
			memset(&x.set, 0, sizeof(x.set));
		for (unsigned int i = 0; i < s->n_write_actions; i++)
			set_write(&x.set, &s->write_actions[i]);
		if (s->has_write_metadata) {
			x.key.metadata = (x.key.metadata &
					  ~s->write_metadata_mask) |
					 (s->write_metadata &
					  s->write_metadata_mask);
			x.mod.metadata |= s->write_metadata_mask;
			x.mod_since_version = true;
		}
		if (!s->has_goto)
			break;
		table_id = s->goto_table;
	}
	set_execute(&x, table_id, r);
	goto finish;
miss:
	/* No rule: the packet stops here; the action set is not run, but
	 * what apply-actions of earlier tables did (outputs) stands. */
	out->miss = true;
finish:
	for (unsigned int i = 0; i < out->n_versions; i++) {
		struct nfv_xlate_version *v = &out->versions[i];
		uint64_t *k = (uint64_t *)&v->key;
		const uint64_t *m = (const uint64_t *)&v->mask;

		mask_or(&v->mask, &out->wc);
		for (unsigned int w = 0; w < NFV_KEY_WORDS; w++)
			k[w] &= m[w];
	}
	if (out->error) {
		out->n_actions = 0;
		out->n_pktin = 0;
	}
}

bool
nfv_xlate_affected(const struct nfv_xlate_version *versions,
		   unsigned int n_versions, bool any_change, uint8_t table_id,
		   const struct nfv_match *m)
{
	const uint64_t *mk = (const uint64_t *)&m->key;
	const uint64_t *mm = (const uint64_t *)&m->mask;

	if (any_change)
		return true;
	for (unsigned int i = 0; i < n_versions; i++) {
		const struct nfv_xlate_version *v = &versions[i];
		const uint64_t *vk = (const uint64_t *)&v->key;
		const uint64_t *vm = (const uint64_t *)&v->mask;
		bool overlap = true;

		if (!(v->tables[table_id / 64] & (UINT64_C(1) << (table_id % 64))))
			continue;
		/* Some packet of the megaflow can match 'm' at this table. */
		for (unsigned int w = 0; w < NFV_KEY_WORDS && overlap; w++)
			overlap = ((vk[w] ^ mk[w]) & vm[w] & mm[w]) == 0;
		if (overlap)
			return true;
	}
	return false;
}
