/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The action list of the ovs-ofctl flow syntax (see flow.h), the part after
 * "actions=": OpenFlow 1.3 actions (output, group, set_field and the
 * ovs-ofctl mod_* forms, VLAN push/pop, TTL) and, as ovs-ofctl writes them
 * in the same list, the instructions clear_actions, write_actions(...),
 * write_metadata and goto_table, in that order after the apply-actions.
 * Each action or instruction is one table entry. Actions are checked
 * against the flow's match as earlier actions leave it (push_vlan adds a
 * tag, pop_vlan removes it): a set_field needs its field's prerequisites,
 * as OpenFlow 1.3 requires. A bare action list (a group bucket) has no
 * match and skips those checks. Pure code: no DPDK, no threads, no
 * allocation.
 */

#include <errno.h>
#include <string.h>

#include "flow.h"
#include "flow_priv.h"

#define FLOW_CONTROLLER_MAX_LEN 65535   /* "controller": the whole packet */

static const char *const flow_stage_names[] = {
	[FLOW_STAGE_APPLY] = "actions",
	[FLOW_STAGE_CLEAR] = "clear_actions",
	[FLOW_STAGE_WRITE] = "write_actions",
	[FLOW_STAGE_METADATA] = "write_metadata",
	[FLOW_STAGE_GOTO] = "goto_table",
};

/* Where a list of actions goes: apply-actions or the write-actions set. */
struct flow_alist {
	struct nfv_action *actions;
	unsigned int *n;
	bool is_set;                    /* one action of each kind */
};

typedef int flow_action_fn(struct flow_parser *p, const struct flow_token *tok,
			   struct flow_alist *l, int arg);

struct flow_action {
	const char *name;               /* case-insensitive, as in ovs-ofctl */
	flow_action_fn *parse;
	int arg;
	enum flow_stage stage;          /* FLOW_STAGE_APPLY: an action */
};

/* Action names ovs-ofctl knows that nfvswitch does not support. */
static const char *const flow_unsupported_actions[] = {
	"enqueue", "set_queue", "move", "push_mpls", "pop_mpls",
	"set_mpls_label", "set_mpls_tc", "set_mpls_ttl", "dec_mpls_ttl",
	"copy_ttl_in", "copy_ttl_out", "set_tunnel", "set_tunnel64", "meter",
	"resubmit", "learn", "note", "ct", "ct_clear", "exit", "multipath",
	"bundle", "bundle_load", "output_reg", "sample", "clone",
	"fin_timeout", "conjunction",
};

/* Actions. */

/* Appends an action to 'l'; returns it zeroed, or NULL (error set). */
static struct nfv_action *
flow_action_new(struct flow_parser *p, const struct flow_token *tok,
		struct flow_alist *l, enum nfv_action_type type)
{
	struct nfv_action *a;

	if (*l->n == NFV_FLOW_MAX_ACTIONS) {
		nfv_flow_error(p, tok, "too many actions (at most %d)",
			       NFV_FLOW_MAX_ACTIONS);
		return NULL;
	}
	a = &l->actions[(*l->n)++];
	memset(a, 0, sizeof(*a));
	a->type = type;
	return a;
}

/* An action set holds one action of each kind and one set_field per field
 * (OpenFlow 1.3 section 5.10): reject a second one in write_actions. */
static int
flow_action_check_set(struct flow_parser *p, const struct flow_token *tok,
		      const struct flow_alist *l)
{
	const struct nfv_action *a = &l->actions[*l->n - 1];
	unsigned int i;

	if (!l->is_set)
		return 0;
	for (i = 0; i + 1 < *l->n; i++)
		if (l->actions[i].type == a->type &&
		    (a->type != NFV_ACT_SET_FIELD ||
		     l->actions[i].field == a->field))
			break;
	if (i + 1 == *l->n)
		return 0;
	if (a->type == NFV_ACT_SET_FIELD)
		return nfv_flow_error(p, tok,
				      "write_actions has one set_field per field");
	return nfv_flow_error(p, tok,
			      "write_actions has one action of each kind");
}

static int
flow_add_output(struct flow_parser *p, const struct flow_token *tok,
		struct flow_alist *l, uint32_t port, uint16_t max_len)
{
	struct nfv_action *a = flow_action_new(p, tok, l, NFV_ACT_OUTPUT);

	if (!a)
		return -EINVAL;
	a->arg.port = port;
	a->max_len = port == NFV_OFPP_CONTROLLER ? max_len : 0;
	return flow_action_check_set(p, tok, l);
}

/* output:PORT. "output:LOCAL" is accepted as OpenFlow allows it, but
 * nfvswitch has no local port, so such packets are dropped. */
static int
flow_parse_output(struct flow_parser *p, const struct flow_token *tok,
		  struct flow_alist *l, int arg)
{
	uint32_t port;
	int ret;

	(void)arg;
	if (!tok->value.len)
		return nfv_flow_error(p, tok, "missing port");
	ret = nfv_flow_parse_port(p, tok, tok->value, FLOW_PORT_OUTPUT, &port);
	if (ret < 0)
		return ret;
	return flow_add_output(p, tok, l, port, FLOW_CONTROLLER_MAX_LEN);
}

/* A bare port ("2", "p1", "IN_PORT", "normal") outputs to that port. */
static int
flow_parse_port_action(struct flow_parser *p, const struct flow_token *tok,
		       struct flow_alist *l)
{
	uint32_t port;
	int ret;

	ret = nfv_flow_lookup_port(p, tok, tok->key, FLOW_PORT_OUTPUT, &port);
	if (ret == -ENOENT)
		return nfv_flow_error(p, NULL, "unknown action '%.*s'",
				      flow_qlen(tok->key), tok->key.s);
	if (ret < 0)
		return ret;
	if (tok->value.s)
		return nfv_flow_error(p, tok, "unexpected argument");
	return flow_add_output(p, tok, l, port, FLOW_CONTROLLER_MAX_LEN);
}

/* controller, controller:MAX_LEN, controller(max_len=MAX_LEN): a packet-in
 * with the first MAX_LEN bytes (default: the whole packet). */
static int
flow_parse_controller(struct flow_parser *p, const struct flow_token *tok,
		      struct flow_alist *l, int arg)
{
	uint64_t max_len = FLOW_CONTROLLER_MAX_LEN;
	struct flow_slice v = tok->value, key, value;
	int ret;

	(void)arg;
	if (tok->sep == '(' && !v.len) {
		v.s = NULL;
	} else if (tok->sep == '(') {
		if (!flow_slice_split(v, "=", &key, &value) ||
		    !flow_slice_eq(key, "max_len"))
			return nfv_flow_error(p, tok,
					      "only controller(max_len=N) is supported");
		v = value;
	}
	if (v.s) {
		ret = nfv_flow_parse_uint(p, tok, v, UINT16_MAX, &max_len);
		if (ret < 0)
			return ret;
	}
	return flow_add_output(p, tok, l, NFV_OFPP_CONTROLLER, max_len);
}

static int
flow_parse_drop(struct flow_parser *p, const struct flow_token *tok,
		struct flow_alist *l, int arg)
{
	(void)arg;
	if (tok->value.s)
		return nfv_flow_error(p, tok, "unexpected argument");
	if (l->is_set)
		return nfv_flow_error(p, tok,
				      "'drop' is not allowed in write_actions");
	p->drop = true;
	return 0;
}

static int
flow_parse_group(struct flow_parser *p, const struct flow_token *tok,
		 struct flow_alist *l, int arg)
{
	struct nfv_action *a;
	uint64_t id;
	int ret;

	(void)arg;
	if (!tok->value.len)
		return nfv_flow_error(p, tok, "missing group id");
	ret = nfv_flow_parse_uint(p, tok, tok->value, NFV_OFPG_MAX, &id);
	if (ret < 0)
		return ret;
	a = flow_action_new(p, tok, l, NFV_ACT_GROUP);
	if (!a)
		return -EINVAL;
	a->arg.group_id = id;
	return flow_action_check_set(p, tok, l);
}

/* Adds set_field 'f' := 'v', which the match (as the earlier actions
 * leave it) must allow. */
static int
flow_add_set_field(struct flow_parser *p, const struct flow_token *tok,
		   struct flow_alist *l, const struct nfv_field *f,
		   const union nfv_field_value *v)
{
	struct flow_slice name = flow_slice_of(f->name);
	struct nfv_action *a;

	if (!f->settable)
		return nfv_flow_error(p, tok,
				      "field '%s' cannot be set", f->name);
	if (!p->actions_only && !nfv_match_prereq_ok(&p->state, f->prereq))
		return nfv_flow_prereq_error(p, tok, &name, f->prereq,
					     &p->state);
	a = flow_action_new(p, tok, l, NFV_ACT_SET_FIELD);
	if (!a)
		return -EINVAL;
	a->field = f - nfv_fields;
	a->arg.value = *v;
	return flow_action_check_set(p, tok, l);
}

/* A value of 'f' without a mask. */
static int
flow_parse_set_value(struct flow_parser *p, const struct flow_token *tok,
		     const struct nfv_field *f, struct flow_slice text,
		     union nfv_field_value *v)
{
	if (!text.len)
		return nfv_flow_error(p, tok, "missing value");
	if (memchr(text.s, '/', text.len))
		return nfv_flow_error(p, tok,
				      "masked set_field is not supported");
	return nfv_flow_parse_value(p, tok, f, text, "value", v);
}

/* mod_dl_src, mod_nw_dst, mod_vlan_pcp, ...: set field 'arg'. */
static int
flow_parse_mod_field(struct flow_parser *p, const struct flow_token *tok,
		     struct flow_alist *l, int arg)
{
	const struct nfv_field *f = &nfv_fields[arg];
	union nfv_field_value v;
	int ret;

	ret = flow_parse_set_value(p, tok, f, tok->value, &v);
	if (ret < 0)
		return ret;
	return flow_add_set_field(p, tok, l, f, &v);
}

/* mod_nw_tos:TOS sets the DSCP to TOS >> 2 (see nw_tos). */
static int
flow_parse_mod_nw_tos(struct flow_parser *p, const struct flow_token *tok,
		      struct flow_alist *l, int arg)
{
	const struct nfv_field *f = &nfv_fields[NFV_F_IP_DSCP];
	union nfv_field_value v;
	uint64_t tos;
	int ret;

	(void)arg;
	if (!tok->value.len)
		return nfv_flow_error(p, tok, "missing value");
	ret = nfv_flow_parse_uint(p, tok, tok->value, UINT8_MAX, &tos);
	if (ret < 0)
		return ret;
	if (tos & 0x03)
		return nfv_flow_error(p, tok,
				      "the low 2 bits (ECN) must be 0; use mod_nw_ecn for them");
	nfv_flow_value_from_u64(f, &v, tos >> 2);
	return flow_add_set_field(p, tok, l, f, &v);
}

/* mod_tp_src / mod_tp_dst ('arg' 0 / 1): the TCP, UDP or SCTP port, as
 * the match's ip_proto says. */
static int
flow_parse_mod_tp(struct flow_parser *p, const struct flow_token *tok,
		  struct flow_alist *l, int arg)
{
	const struct nfv_field *f = nfv_flow_l4_port_field(&p->state, arg);

	if (f)
		return flow_parse_mod_field(p, tok, l, f - nfv_fields);
	if (p->actions_only)
		return nfv_flow_error(p, tok,
				      "without a match, use set_field:N->tcp_src (udp_, sctp_)");
	return nfv_flow_error(p, tok,
			      "needs ip_proto=6, 17 or 132 (add 'tcp', 'udp' or 'sctp')");
}

/* mod_vlan_vid:VID sets the VLAN ID (0..4095) of the outer tag. */
static int
flow_parse_mod_vlan_vid(struct flow_parser *p, const struct flow_token *tok,
			struct flow_alist *l, int arg)
{
	const struct nfv_field *f = &nfv_fields[NFV_F_VLAN_VID];
	union nfv_field_value v;
	uint64_t vid;
	int ret;

	(void)arg;
	if (!tok->value.len)
		return nfv_flow_error(p, tok, "missing value");
	ret = nfv_flow_parse_uint(p, tok, tok->value, NFV_VLAN_VID_MASK, &vid);
	if (ret < 0)
		return ret;
	nfv_flow_value_from_u64(f, &v, vid | NFV_VLAN_PRESENT);
	return flow_add_set_field(p, tok, l, f, &v);
}

/* set_field:VALUE->FIELD, any settable field. */
static int
flow_parse_set_field(struct flow_parser *p, const struct flow_token *tok,
		     struct flow_alist *l, int arg)
{
	struct flow_slice value, name;
	const struct nfv_field *f;
	union nfv_field_value v;
	char buf[32];
	int ret;

	(void)arg;
	if (!tok->value.len || !flow_slice_split(tok->value, "->", &value,
						 &name))
		return nfv_flow_error(p, tok,
				      "expected set_field:VALUE->FIELD");
	f = flow_slice_cstr(name, buf, sizeof(buf)) ? nfv_field_by_name(buf) :
						      NULL;
	if (!f)
		return nfv_flow_error(p, tok, "unknown field '%.*s'",
				      flow_qlen(name), name.s);
	ret = flow_parse_set_value(p, tok, f, value, &v);
	if (ret < 0)
		return ret;
	/* As OpenFlow 1.3 and ovs-ofctl: the VID of a tag, never "untagged". */
	if (f == &nfv_fields[NFV_F_VLAN_VID] &&
	    !(nfv_flow_value_u64(f, &v) & NFV_VLAN_PRESENT))
		return nfv_flow_error(p, tok,
				      "vlan_vid needs the present bit 0x1000 (or mod_vlan_vid:N)");
	return flow_add_set_field(p, tok, l, f, &v);
}

/* push_vlan:ETHERTYPE (0x8100 or 0x88a8); later actions see a tag. */
static int
flow_parse_push_vlan(struct flow_parser *p, const struct flow_token *tok,
		     struct flow_alist *l, int arg)
{
	const struct nfv_field *f = &nfv_fields[NFV_F_VLAN_VID];
	union nfv_field_value v, mask;
	struct nfv_action *a;
	uint64_t ethertype;
	int ret;

	(void)arg;
	if (!tok->value.len)
		return nfv_flow_error(p, tok, "missing ethertype");
	ret = nfv_flow_parse_uint(p, tok, tok->value, UINT16_MAX, &ethertype);
	if (ret < 0)
		return ret;
	if (ethertype != 0x8100 && ethertype != 0x88a8)
		return nfv_flow_error(p, tok,
				      "ethertype must be 0x8100 or 0x88a8");
	a = flow_action_new(p, tok, l, NFV_ACT_PUSH_VLAN);
	if (!a)
		return -EINVAL;
	a->ethertype = ethertype;
	nfv_flow_value_from_u64(f, &v, NFV_VLAN_PRESENT);
	nfv_flow_value_from_u64(f, &mask, NFV_VLAN_PRESENT);
	nfv_match_set(&p->state, f, &v, &mask);
	return flow_action_check_set(p, tok, l);
}

/* pop_vlan (ovs-ofctl's strip_vlan): needs a tag that the match or an
 * earlier push_vlan guarantees, as OpenFlow 1.3 does; an inner tag is not
 * known, so later actions see none. */
static int
flow_parse_pop_vlan(struct flow_parser *p, const struct flow_token *tok,
		    struct flow_alist *l, int arg)
{
	union nfv_field_value zero;

	(void)arg;
	if (tok->value.s)
		return nfv_flow_error(p, tok, "unexpected argument");
	if (!p->actions_only && !nfv_match_prereq_ok(&p->state, NFV_PRQ_VLAN))
		return nfv_flow_prereq_error(p, tok, NULL, NFV_PRQ_VLAN,
					     &p->state);
	if (!flow_action_new(p, tok, l, NFV_ACT_POP_VLAN))
		return -EINVAL;
	memset(&zero, 0, sizeof(zero));
	nfv_match_set(&p->state, &nfv_fields[NFV_F_VLAN_VID], &zero, &zero);
	nfv_match_set(&p->state, &nfv_fields[NFV_F_VLAN_PCP], &zero, &zero);
	return flow_action_check_set(p, tok, l);
}

/* The TTL actions need IP, like the nw_ttl field. */
static int
flow_check_ttl(struct flow_parser *p, const struct flow_token *tok)
{
	enum nfv_prereq prereq = nfv_fields[NFV_F_IP_TTL].prereq;

	if (p->actions_only || nfv_match_prereq_ok(&p->state, prereq))
		return 0;
	return nfv_flow_prereq_error(p, tok, NULL, prereq, &p->state);
}

static int
flow_parse_dec_ttl(struct flow_parser *p, const struct flow_token *tok,
		   struct flow_alist *l, int arg)
{
	int ret;

	(void)arg;
	if (tok->value.s)
		return nfv_flow_error(p, tok, "unexpected argument");
	ret = flow_check_ttl(p, tok);
	if (ret < 0)
		return ret;
	if (!flow_action_new(p, tok, l, NFV_ACT_DEC_NW_TTL))
		return -EINVAL;
	return flow_action_check_set(p, tok, l);
}

/* mod_nw_ttl:N, set_nw_ttl:N. */
static int
flow_parse_set_ttl(struct flow_parser *p, const struct flow_token *tok,
		   struct flow_alist *l, int arg)
{
	struct nfv_action *a;
	uint64_t ttl;
	int ret;

	(void)arg;
	if (!tok->value.len)
		return nfv_flow_error(p, tok, "missing value");
	ret = nfv_flow_parse_uint(p, tok, tok->value, UINT8_MAX, &ttl);
	if (ret < 0)
		return ret;
	ret = flow_check_ttl(p, tok);
	if (ret < 0)
		return ret;
	a = flow_action_new(p, tok, l, NFV_ACT_SET_NW_TTL);
	if (!a)
		return -EINVAL;
	a->arg.ttl = ttl;
	return flow_action_check_set(p, tok, l);
}

/* Instructions. */

static int flow_parse_action_list(struct flow_parser *p,
				  const struct flow_token *tok,
				  struct flow_alist *l, bool *empty);

/* write_actions(ACTIONS): the action set. */
static int
flow_parse_write_actions(struct flow_parser *p, const struct flow_token *tok,
			 struct flow_alist *l, int arg)
{
	struct nfv_flow_spec *spec = p->spec;
	struct flow_alist set = {
		.actions = spec->write_actions,
		.n = &spec->n_write_actions,
		.is_set = true,
	};
	bool empty;

	(void)l;
	(void)arg;
	if (tok->sep != '(')
		return nfv_flow_error(p, tok,
				      "expected write_actions(ACTIONS)");
	spec->has_write_actions = true;
	return flow_parse_action_list(p, tok, &set, &empty);
}

static int
flow_parse_clear_actions(struct flow_parser *p, const struct flow_token *tok,
			 struct flow_alist *l, int arg)
{
	(void)l;
	(void)arg;
	if (tok->value.s)
		return nfv_flow_error(p, tok, "unexpected argument");
	p->spec->clear_actions = true;
	return 0;
}

/* write_metadata:VALUE[/MASK]. */
static int
flow_parse_write_metadata(struct flow_parser *p, const struct flow_token *tok,
			  struct flow_alist *l, int arg)
{
	struct flow_slice v = tok->value, m;
	uint64_t value, mask = UINT64_MAX;
	int ret;

	(void)l;
	(void)arg;
	if (!tok->value.len)
		return nfv_flow_error(p, tok, "missing value");
	if (flow_slice_split(tok->value, "/", &v, &m)) {
		ret = nfv_flow_parse_uint(p, tok, m, UINT64_MAX, &mask);
		if (ret < 0)
			return ret;
	}
	ret = nfv_flow_parse_uint(p, tok, v, UINT64_MAX, &value);
	if (ret < 0)
		return ret;
	p->spec->has_write_metadata = true;
	p->spec->write_metadata = value & mask;
	p->spec->write_metadata_mask = mask;
	return 0;
}

/* goto_table:N, to a later table than the flow's. */
static int
flow_parse_goto_table(struct flow_parser *p, const struct flow_token *tok,
		      struct flow_alist *l, int arg)
{
	uint64_t table;
	int ret;

	(void)l;
	(void)arg;
	if (!tok->value.len)
		return nfv_flow_error(p, tok, "missing table");
	ret = nfv_flow_parse_uint(p, tok, tok->value, NFV_N_TABLES - 1, &table);
	if (ret < 0)
		return ret;
	if (table <= p->spec->table_id)
		return nfv_flow_error(p, tok,
				      "must go to a later table than %u",
				      p->spec->table_id);
	p->spec->has_goto = true;
	p->spec->goto_table = table;
	return 0;
}

static const struct flow_action flow_actions[] = {
	{ "output", flow_parse_output, 0, FLOW_STAGE_APPLY },
	{ "controller", flow_parse_controller, 0, FLOW_STAGE_APPLY },
	{ "drop", flow_parse_drop, 0, FLOW_STAGE_APPLY },
	{ "group", flow_parse_group, 0, FLOW_STAGE_APPLY },
	{ "mod_dl_src", flow_parse_mod_field, NFV_F_ETH_SRC,
	  FLOW_STAGE_APPLY },
	{ "mod_dl_dst", flow_parse_mod_field, NFV_F_ETH_DST,
	  FLOW_STAGE_APPLY },
	{ "mod_nw_src", flow_parse_mod_field, NFV_F_IPV4_SRC,
	  FLOW_STAGE_APPLY },
	{ "mod_nw_dst", flow_parse_mod_field, NFV_F_IPV4_DST,
	  FLOW_STAGE_APPLY },
	{ "mod_nw_tos", flow_parse_mod_nw_tos, 0, FLOW_STAGE_APPLY },
	{ "mod_nw_ecn", flow_parse_mod_field, NFV_F_IP_ECN,
	  FLOW_STAGE_APPLY },
	{ "mod_tp_src", flow_parse_mod_tp, 0, FLOW_STAGE_APPLY },
	{ "mod_tp_dst", flow_parse_mod_tp, 1, FLOW_STAGE_APPLY },
	{ "mod_vlan_vid", flow_parse_mod_vlan_vid, 0, FLOW_STAGE_APPLY },
	{ "mod_vlan_pcp", flow_parse_mod_field, NFV_F_VLAN_PCP,
	  FLOW_STAGE_APPLY },
	{ "set_field", flow_parse_set_field, 0, FLOW_STAGE_APPLY },
	{ "push_vlan", flow_parse_push_vlan, 0, FLOW_STAGE_APPLY },
	{ "pop_vlan", flow_parse_pop_vlan, 0, FLOW_STAGE_APPLY },
	{ "strip_vlan", flow_parse_pop_vlan, 0, FLOW_STAGE_APPLY },
	{ "dec_ttl", flow_parse_dec_ttl, 0, FLOW_STAGE_APPLY },
	{ "mod_nw_ttl", flow_parse_set_ttl, 0, FLOW_STAGE_APPLY },
	{ "set_nw_ttl", flow_parse_set_ttl, 0, FLOW_STAGE_APPLY },
	{ "clear_actions", flow_parse_clear_actions, 0, FLOW_STAGE_CLEAR },
	{ "write_actions", flow_parse_write_actions, 0, FLOW_STAGE_WRITE },
	{ "write_metadata", flow_parse_write_metadata, 0,
	  FLOW_STAGE_METADATA },
	{ "goto_table", flow_parse_goto_table, 0, FLOW_STAGE_GOTO },
};

/* Checks that 'a' (NULL: a bare port) may come here: instructions in
 * their order, each once, goto_table last, actions first and instructions
 * only at the top level. */
static int
flow_check_stage(struct flow_parser *p, const struct flow_token *tok,
		 const struct flow_alist *l, const struct flow_action *a)
{
	enum flow_stage stage = a ? a->stage : FLOW_STAGE_APPLY;

	if (p->actions_only && stage != FLOW_STAGE_APPLY)
		return nfv_flow_error(p, tok,
				      "instructions are not allowed in an action list");
	if (l->is_set) {
		if (stage != FLOW_STAGE_APPLY)
			return nfv_flow_error(p, tok,
					      "instructions are not allowed in write_actions");
		return 0;
	}
	if (p->stage == FLOW_STAGE_GOTO)
		return nfv_flow_error(p, tok, "nothing may follow goto_table");
	if (stage == FLOW_STAGE_APPLY && p->stage != FLOW_STAGE_APPLY)
		return nfv_flow_error(p, tok, "actions must come before %s",
				      flow_stage_names[p->stage]);
	if (stage != FLOW_STAGE_APPLY && stage == p->stage)
		return nfv_flow_error(p, NULL, "instruction '%s' given twice",
				      flow_stage_names[stage]);
	if (stage < p->stage)
		return nfv_flow_error(p, tok, "%s must come before %s",
				      flow_stage_names[stage],
				      flow_stage_names[p->stage]);
	p->stage = stage;
	return 0;
}

static int
flow_parse_action(struct flow_parser *p, const struct flow_token *tok,
		  struct flow_alist *l)
{
	const struct flow_action *a = NULL;
	size_t i;
	int ret;

	for (i = 0; i < NFV_ARRAY_SIZE(flow_actions); i++) {
		if (flow_slice_caseeq(tok->key, flow_actions[i].name)) {
			a = &flow_actions[i];
			break;
		}
	}
	if (!a && flow_slice_caseeq(tok->key, "load"))
		return nfv_flow_error(p, NULL,
				      "action 'load' is not supported; use set_field");
	if (!a && flow_name_in(tok->key, flow_unsupported_actions,
			       NFV_ARRAY_SIZE(flow_unsupported_actions), true))
		return nfv_flow_error(p, NULL, "action '%.*s' is not supported",
				      flow_qlen(tok->key), tok->key.s);
	ret = flow_check_stage(p, tok, l, a);
	if (ret < 0)
		return ret;
	if (!a)
		return flow_parse_port_action(p, tok, l);
	return a->parse(p, tok, l, a->arg);
}

/* Parses the list in the value of 'tok' into 'l'. Sets '*empty' if it
 * holds no action. */
static int
flow_parse_action_list(struct flow_parser *p, const struct flow_token *tok,
		       struct flow_alist *l, bool *empty)
{
	struct flow_lexer lx;
	struct flow_token act;
	int ret;

	nfv_flow_lexer_init(&lx, "action", tok->value.s ? tok->value.s : "",
			    tok->value.len);
	while ((ret = nfv_flow_lex_next(p, &lx, NULL, &act)) > 0) {
		ret = flow_parse_action(p, &act, l);
		if (ret < 0)
			return ret;
	}
	*empty = !lx.n_tokens;
	if (ret == 0 && p->drop && lx.n_tokens > 1)
		return nfv_flow_error(p, NULL,
				      "'drop' must not be combined with other actions");
	return ret;
}

/* The "actions=" field: the value is the whole action list. */
int
nfv_flow_parse_actions(struct flow_parser *p, const struct flow_token *tok)
{
	struct nfv_flow_spec *spec = p->spec;
	struct flow_alist apply = {
		.actions = spec->actions,
		.n = &spec->n_actions,
	};
	bool empty;
	int ret;

	p->state = spec->match;
	ret = flow_parse_action_list(p, tok, &apply, &empty);
	if (ret < 0)
		return ret;
	if (empty)
		return nfv_flow_error(p, tok,
				      "empty action list; use actions=drop to drop packets");
	return 0;
}

int
nfv_flow_parse_action_list(const char *text, nfv_port_by_name_fn *by_name,
			   void *arg, struct nfv_action *actions,
			   unsigned int *n_actions, char *err)
{
	char scratch[NFV_FLOW_ERR_MAX];
	struct nfv_flow_spec spec;
	struct flow_parser p = {
		.mode = NFV_FLOW_PARSE_ADD,
		.by_name = by_name,
		.arg = arg,
		.spec = &spec,
		.err = err ? err : scratch,
		.actions_only = true,
	};
	struct flow_alist l = { .actions = actions, .n = n_actions };
	struct flow_token tok;
	bool empty;
	int ret;

	nfv_flow_spec_init(&spec);
	*n_actions = 0;
	p.err[0] = '\0';
	if (!text)
		return nfv_flow_error(&p, NULL, "no actions given");
	memset(&tok, 0, sizeof(tok));
	tok.value = (struct flow_slice){ text, strlen(text) };
	tok.text = tok.value;
	ret = flow_parse_action_list(&p, &tok, &l, &empty);
	if (ret < 0)
		return ret;
	if (empty)
		return nfv_flow_error(&p, NULL,
				      "empty action list; use drop to drop packets");
	return 0;
}
