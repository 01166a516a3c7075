/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Parser of the ovs-ofctl flow syntax for OpenFlow 1.3 (see flow.h): the
 * flow attributes (table, priority, cookie, timeouts, flags, and out_port /
 * out_group for filters) and the match, then the instructions through
 * flow_parse_actions.c. Tokens and values come from flow_lex.c.
 *
 * Match fields are those of the field table (flow_key.h), by name or alias,
 * each value in its field's format. On top of the table this file knows
 * only ovs-ofctl's own words: shorthands ("tcp" is eth_type=0x0800 and
 * ip_proto=6) and legacy names whose meaning depends on the rest of the
 * match (tp_src, icmp_type) or that scale the value (nw_tos, dl_vlan). The
 * match is complete and its prerequisites checked before the actions are
 * read, because set_field, mod_tp_src and goto_table are checked against
 * it. Pure code: no DPDK, no threads, no allocation.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "flow.h"
#include "flow_priv.h"

/* Parses the value of 'tok'; 'arg' is the table entry's. */
typedef int flow_parse_fn(struct flow_parser *p, const struct flow_token *tok,
			  int arg);

struct flow_keyword {
	const char *name;               /* case-sensitive, as in ovs-ofctl */
	flow_parse_fn *parse;
	int arg;
};

/* Match field names ovs-ofctl knows that nfvswitch does not support. */
static const char *const flow_unsupported_fields[] = {
	"in_phy_port", "tun_id", "tunnel_id", "vlan_tci", "mpls", "mplsm",
	"mpls_label", "mpls_tc", "mpls_bos", "pbb_isid", "importance",
	"pkt_mark", "skb_priority", "conj_id", "ct_state", "ct_zone",
	"ct_mark", "ct_label", "actset_output", "packet_type",
};

/* Match fields. */

/* Adds "'f' == 'v' under 'mask'" to the match, set by 'name' (a field when
 * 'given', else a shorthand). A field may be set once; a shorthand may
 * repeat what another shorthand or a field says ("tcp,nw_proto=6"), but
 * nothing may contradict it, nor set a field that shares its bits
 * ("tcp_src" and "udp_src"). */
static int
flow_match_put(struct flow_parser *p, struct flow_slice name,
	       const struct nfv_field *f, const union nfv_field_value *v,
	       const union nfv_field_value *mask, bool given)
{
	struct nfv_match *m = &p->spec->match;
	unsigned int len = nfv_field_value_len(f);
	unsigned int id = f - nfv_fields;

	for (unsigned int i = 0; i < NFV_F_N; i++) {
		const struct nfv_field *g = &nfv_fields[i];
		union nfv_field_value cur, cur_mask, want;

		if (!p->field_set[i] || !nfv_flow_fields_share(f, g))
			continue;
		if (i == id && given && p->field_given[i] &&
		    flow_slices_eq(name, p->field_name[i]))
			return nfv_flow_error(p, NULL,
					      "field '%.*s' given twice",
					      flow_qlen(name), name.s);
		if (i != id || (given && p->field_given[i]))
			return nfv_flow_error(p, NULL,
					      "'%.*s' conflicts with '%.*s'",
					      flow_qlen(name), name.s,
					      flow_qlen(p->field_name[i]),
					      p->field_name[i].s);
		nfv_match_get(m, f, &cur, &cur_mask);
		for (unsigned int b = 0; b < len; b++)
			want.u8[b] = v->u8[b] & mask->u8[b];
		if (memcmp(cur.u8, want.u8, len) ||
		    memcmp(cur_mask.u8, mask->u8, len))
			return nfv_flow_error(p, NULL,
					      "'%.*s' conflicts with '%.*s'",
					      flow_qlen(name), name.s,
					      flow_qlen(p->field_name[i]),
					      p->field_name[i].s);
		if (given) {
			p->field_given[i] = true;
			p->field_name[i] = name;
		}
		return 0;
	}
	nfv_match_set(m, f, v, mask);
	p->field_set[id] = true;
	p->field_given[id] = given;
	p->field_name[id] = name;
	p->field_order[p->n_fields++] = id;
	return 0;
}

/* A field of the table: "nw_src=10.0.0.0/8". 'arg' is its id. */
static int
flow_parse_field(struct flow_parser *p, const struct flow_token *tok, int arg)
{
	const struct nfv_field *f = &nfv_fields[arg];
	union nfv_field_value v, mask;
	int ret;

	ret = nfv_flow_parse_masked(p, tok, f, tok->value, &v, &mask);
	if (ret < 0)
		return ret;
	return flow_match_put(p, tok->key, f, &v, &mask, true);
}

/* tp_src, tp_dst, icmp_type, icmp_code: kept until the whole match is
 * read. */
static int
flow_parse_deferred(struct flow_parser *p, const struct flow_token *tok,
		    int arg)
{
	if (p->deferred_set[arg])
		return nfv_flow_error(p, NULL, "field '%.*s' given twice",
				      flow_qlen(tok->key), tok->key.s);
	p->deferred_set[arg] = true;
	p->deferred[arg] = *tok;
	return 0;
}

/* nw_tos=N: the DSCP in the upper 6 bits of the old TOS byte, so
 * nw_tos=184 is ip_dscp=46; the ECN bits must be 0. */
static int
flow_parse_nw_tos(struct flow_parser *p, const struct flow_token *tok,
		  int arg)
{
	const struct nfv_field *f = &nfv_fields[NFV_F_IP_DSCP];
	union nfv_field_value v, mask;
	uint64_t tos;
	int ret;

	(void)arg;
	if (memchr(tok->value.s, '/', tok->value.len))
		return nfv_flow_error(p, tok,
				      "field 'nw_tos' cannot be masked");
	ret = nfv_flow_parse_uint(p, tok, tok->value, UINT8_MAX, &tos);
	if (ret < 0)
		return ret;
	if (tos & 0x03)
		return nfv_flow_error(p, tok,
				      "the low 2 bits (ECN) must be 0; use nw_ecn for them");
	nfv_flow_value_from_u64(f, &v, tos >> 2);
	nfv_flow_full_mask(f, &mask);
	return flow_match_put(p, tok->key, f, &v, &mask, true);
}

/* dl_vlan=N is ovs-ofctl's VLAN ID 0..4095 of a tagged packet (vlan_vid
 * 0x1000|N); dl_vlan=0xffff means untagged (vlan_vid=0). vlan_vid=N itself
 * takes the raw OXM value, with OFPVID_PRESENT (0x1000): "vlan_vid=0x1005"
 * is VID 5, "vlan_vid=0" untagged, "vlan_vid=0x1000/0x1000" any tag. */
static int
flow_parse_dl_vlan(struct flow_parser *p, const struct flow_token *tok,
		   int arg)
{
	const struct nfv_field *f = &nfv_fields[NFV_F_VLAN_VID];
	union nfv_field_value v, mask;
	uint64_t vid;
	int ret;

	(void)arg;
	if (memchr(tok->value.s, '/', tok->value.len))
		return nfv_flow_error(p, tok,
				      "field 'dl_vlan' cannot be masked");
	ret = nfv_flow_parse_uint(p, tok, tok->value, UINT16_MAX, &vid);
	if (ret < 0)
		return ret;
	if (vid == 0xffff)
		vid = 0;
	else if (vid > NFV_VLAN_VID_MASK)
		return nfv_flow_error(p, tok,
				      "VLAN ID out of range 0..4095 (0xffff: untagged)");
	else
		vid |= NFV_VLAN_PRESENT;
	nfv_flow_value_from_u64(f, &v, vid);
	nfv_flow_full_mask(f, &mask);
	return flow_match_put(p, tok->key, f, &v, &mask, true);
}

/* "tcp" is eth_type=0x0800,ip_proto=6. 'arg' indexes nfv_flow_shorthands. */
static int
flow_parse_shorthand(struct flow_parser *p, const struct flow_token *tok,
		     int arg)
{
	const struct nfv_flow_shorthand *sh = &nfv_flow_shorthands[arg];
	const struct nfv_field *f;
	union nfv_field_value v, mask;
	int ret;

	if (tok->value.s)
		return nfv_flow_error(p, tok, "unexpected value");
	f = &nfv_fields[NFV_F_ETH_TYPE];
	nfv_flow_value_from_u64(f, &v, sh->eth_type);
	nfv_flow_full_mask(f, &mask);
	ret = flow_match_put(p, tok->key, f, &v, &mask, false);
	if (ret < 0 || sh->ip_proto < 0)
		return ret;
	f = &nfv_fields[NFV_F_IP_PROTO];
	nfv_flow_value_from_u64(f, &v, sh->ip_proto);
	nfv_flow_full_mask(f, &mask);
	return flow_match_put(p, tok->key, f, &v, &mask, false);
}

/* Flow attributes. */

static int
flow_parse_table(struct flow_parser *p, const struct flow_token *tok, int arg)
{
	uint64_t v;
	int ret;

	(void)arg;
	ret = nfv_flow_parse_uint(p, tok, tok->value, NFV_N_TABLES - 1, &v);
	if (ret < 0)
		return ret;
	p->spec->table_id = v;
	p->spec->has_table = true;
	return 0;
}

static int
flow_parse_priority(struct flow_parser *p, const struct flow_token *tok,
		    int arg)
{
	uint64_t v;
	int ret;

	(void)arg;
	ret = nfv_flow_parse_uint(p, tok, tok->value, UINT16_MAX, &v);
	if (ret < 0)
		return ret;
	p->spec->priority = v;
	p->spec->has_priority = true;
	return 0;
}

/* "cookie=V" sets the cookie of a new flow, or selects flows whose cookie
 * is V; "cookie=V/M" selects flows whose cookie matches V under mask M. */
static int
flow_parse_cookie(struct flow_parser *p, const struct flow_token *tok,
		  int arg)
{
	struct flow_slice v = tok->value, m;
	uint64_t cookie, mask = UINT64_MAX;
	int ret;

	(void)arg;
	if (flow_slice_split(tok->value, "/", &v, &m)) {
		if (p->mode != NFV_FLOW_PARSE_MATCH)
			return nfv_flow_error(p, tok,
					      "cookie mask is only allowed when matching flows");
		ret = nfv_flow_parse_uint(p, tok, m, UINT64_MAX, &mask);
		if (ret < 0)
			return ret;
	}
	ret = nfv_flow_parse_uint(p, tok, v, UINT64_MAX, &cookie);
	if (ret < 0)
		return ret;
	p->spec->cookie = cookie;
	if (p->mode == NFV_FLOW_PARSE_MATCH)
		p->spec->cookie_mask = mask;
	return 0;
}

/* idle_timeout ('arg' 0) and hard_timeout (1). */
static int
flow_parse_timeout(struct flow_parser *p, const struct flow_token *tok,
		   int arg)
{
	uint64_t v;
	int ret;

	ret = nfv_flow_parse_uint(p, tok, tok->value, UINT16_MAX, &v);
	if (ret < 0)
		return ret;
	if (arg)
		p->spec->hard_timeout = v;
	else
		p->spec->idle_timeout = v;
	return 0;
}

/* out_port=PORT, a del-flows / dump-flows filter: flows that output to
 * PORT ("ANY" or "NONE": no filter). */
static int
flow_parse_out_port(struct flow_parser *p, const struct flow_token *tok,
		    int arg)
{
	(void)arg;
	if (p->mode != NFV_FLOW_PARSE_MATCH)
		return nfv_flow_error(p, NULL,
				      "'out_port' is only allowed when matching flows");
	return nfv_flow_parse_port(p, tok, tok->value, FLOW_PORT_FILTER,
				   &p->spec->out_port);
}

/* out_group=N: flows that send to group N ("ANY": no filter). */
static int
flow_parse_out_group(struct flow_parser *p, const struct flow_token *tok,
		     int arg)
{
	uint64_t v;
	int ret;

	(void)arg;
	if (p->mode != NFV_FLOW_PARSE_MATCH)
		return nfv_flow_error(p, NULL,
				      "'out_group' is only allowed when matching flows");
	if (flow_slice_caseeq(tok->value, "any")) {
		p->spec->out_group = NFV_OFPG_ANY;
		return 0;
	}
	ret = nfv_flow_parse_uint(p, tok, tok->value, NFV_OFPG_MAX, &v);
	if (ret < 0)
		return ret;
	p->spec->out_group = v;
	return 0;
}

static int
flow_add_flag(struct flow_parser *p, const struct flow_token *tok,
	      struct flow_slice name)
{
	const struct nfv_flow_bit_name *flag;

	flag = nfv_flow_bit_by_name(nfv_flow_flag_names, nfv_flow_n_flag_names,
				    name);
	if (!flag)
		return nfv_flow_error(p, tok, "unknown flag '%.*s'",
				      flow_qlen(name), name.s);
	if (p->seen_flags & flag->bit)
		return nfv_flow_error(p, NULL,
				      "flag '%s' given twice", flag->name);
	p->seen_flags |= flag->bit;
	p->spec->flags |= flag->bit;
	return 0;
}

/* flags=send_flow_rem|check_overlap. */
static int
flow_parse_flags(struct flow_parser *p, const struct flow_token *tok, int arg)
{
	struct flow_slice rest = tok->value, name;
	int ret;

	(void)arg;
	while (flow_slice_split(rest, "|", &name, &rest)) {
		ret = flow_add_flag(p, tok, name);
		if (ret < 0)
			return ret;
	}
	return flow_add_flag(p, tok, rest);
}

/* A bare "send_flow_rem", as ovs-ofctl writes flags. */
static int
flow_parse_flag_word(struct flow_parser *p, const struct flow_token *tok,
		     int arg)
{
	(void)arg;
	if (tok->value.s)
		return nfv_flow_error(p, tok, "unexpected value");
	return flow_add_flag(p, tok, tok->key);
}

/* Attributes of the flow, each given at most once. */
static const struct flow_keyword flow_attrs[] = {
	{ "table", flow_parse_table, 0 },
	{ "priority", flow_parse_priority, 0 },
	{ "cookie", flow_parse_cookie, 0 },
	{ "idle_timeout", flow_parse_timeout, 0 },
	{ "hard_timeout", flow_parse_timeout, 1 },
	{ "out_port", flow_parse_out_port, 0 },
	{ "out_group", flow_parse_out_group, 0 },
	{ "flags", flow_parse_flags, 0 },
};

_Static_assert(NFV_ARRAY_SIZE(flow_attrs) <= 32,
	       "flow_parser.seen_attrs has one bit per attribute");

/* ovs-ofctl names that are not in the field table, or mean something else
 * there. */
static const struct flow_keyword flow_legacy_fields[] = {
	{ "tp_src", flow_parse_deferred, FLOW_DEFER_TP_SRC },
	{ "tp_dst", flow_parse_deferred, FLOW_DEFER_TP_DST },
	{ "icmp_type", flow_parse_deferred, FLOW_DEFER_ICMP_TYPE },
	{ "icmp_code", flow_parse_deferred, FLOW_DEFER_ICMP_CODE },
	{ "nw_tos", flow_parse_nw_tos, 0 },
	{ "dl_vlan", flow_parse_dl_vlan, 0 },
	{ "ip_src", flow_parse_field, NFV_F_IPV4_SRC },
	{ "ip_dst", flow_parse_field, NFV_F_IPV4_DST },
};

static const struct flow_keyword *
flow_keyword_find(const struct flow_keyword *table, size_t n,
		  struct flow_slice key)
{
	for (size_t i = 0; i < n; i++)
		if (flow_slice_eq(key, table[i].name))
			return &table[i];
	return NULL;
}

/* One token of the match part: an attribute, a field, a shorthand or a
 * flag. */
static int
flow_parse_match_token(struct flow_parser *p, const struct flow_token *tok)
{
	const struct flow_keyword *kw;
	const struct nfv_field *f;
	size_t i;

	kw = flow_keyword_find(flow_attrs, NFV_ARRAY_SIZE(flow_attrs),
			       tok->key);
	if (kw) {
		uint32_t bit = UINT32_C(1) << (kw - flow_attrs);

		if (p->seen_attrs & bit)
			return nfv_flow_error(p, NULL, "field '%s' given twice",
					      kw->name);
		p->seen_attrs |= bit;
		if (!tok->value.len)
			return nfv_flow_error(p, tok, "missing value");
		return kw->parse(p, tok, kw->arg);
	}
	for (i = 0; i < nfv_flow_n_shorthands; i++)
		if (flow_slice_eq(tok->key, nfv_flow_shorthands[i].name))
			return flow_parse_shorthand(p, tok, i);
	for (i = 0; i < nfv_flow_n_flag_names; i++)
		if (flow_slice_eq(tok->key, nfv_flow_flag_names[i].name))
			return flow_parse_flag_word(p, tok, 0);
	kw = flow_keyword_find(flow_legacy_fields,
			       NFV_ARRAY_SIZE(flow_legacy_fields), tok->key);
	f = NULL;
	if (!kw) {
		char name[32];

		if (flow_slice_cstr(tok->key, name, sizeof(name)))
			f = nfv_field_by_name(name);
	}
	if (!kw && !f) {
		if (flow_name_in(tok->key, flow_unsupported_fields,
				 NFV_ARRAY_SIZE(flow_unsupported_fields),
				 false))
			return nfv_flow_error(p, NULL,
					      "field '%.*s' is not supported",
					      flow_qlen(tok->key), tok->key.s);
		return nfv_flow_error(p, NULL, "unknown field '%.*s'",
				      flow_qlen(tok->key), tok->key.s);
	}
	if (!tok->value.len)
		return nfv_flow_error(p, tok, "missing value");
	if (kw)
		return kw->parse(p, tok, kw->arg);
	return flow_parse_field(p, tok, f - nfv_fields);
}

/* The field that a deferred tp_src/tp_dst (by ip_proto) or
 * icmp_type/icmp_code (by eth_type) means in the match read so far. */
static int
flow_resolve_deferred(struct flow_parser *p, enum flow_deferred d,
		      const struct nfv_field **f)
{
	const struct nfv_match *m = &p->spec->match;
	const struct flow_token *tok = &p->deferred[d];
	uint64_t eth_type = 0;
	bool is_v6;

	is_v6 = nfv_flow_match_exact(m, NFV_F_ETH_TYPE, &eth_type) &&
		eth_type == NFV_FLOW_ETH_TYPE_IPV6;
	if (d == FLOW_DEFER_ICMP_TYPE || d == FLOW_DEFER_ICMP_CODE) {
		if (d == FLOW_DEFER_ICMP_TYPE)
			*f = &nfv_fields[is_v6 ? NFV_F_ICMPV6_TYPE :
						 NFV_F_ICMPV4_TYPE];
		else
			*f = &nfv_fields[is_v6 ? NFV_F_ICMPV6_CODE :
						 NFV_F_ICMPV4_CODE];
		return 0;
	}
	*f = nfv_flow_l4_port_field(m, d == FLOW_DEFER_TP_DST);
	if (*f)
		return 0;
	return nfv_flow_error(p, NULL,
			      "field '%.*s' needs ip_proto=6, 17 or 132 (add %s)",
			      flow_qlen(tok->key), tok->key.s,
			      is_v6 ? "'tcp6', 'udp6' or 'sctp6'" :
			      "'tcp', 'udp' or 'sctp'");
}

/* Completes the match once every field is read: resolves the deferred
 * fields and checks the prerequisites of each field, in the order given. */
static int
flow_finish_match(struct flow_parser *p)
{
	const struct nfv_match *m = &p->spec->match;
	const struct nfv_field *bad;
	int ret;

	for (int d = 0; d < FLOW_N_DEFERRED; d++) {
		const struct nfv_field *f = NULL;

		if (!p->deferred_set[d])
			continue;
		ret = flow_resolve_deferred(p, d, &f);
		if (ret < 0)
			return ret;
		ret = flow_parse_field(p, &p->deferred[d], f - nfv_fields);
		if (ret < 0)
			return ret;
	}
	for (unsigned int i = 0; i < p->n_fields; i++) {
		enum nfv_field_id id = p->field_order[i];
		const struct nfv_field *f = &nfv_fields[id];
		union nfv_field_value v, mask;

		if (f->prereq == NFV_PRQ_NONE ||
		    !nfv_match_get(m, f, &v, &mask))
			continue;
		if (!nfv_match_prereq_ok(m, f->prereq))
			return nfv_flow_prereq_error(p, NULL,
						     &p->field_name[id],
						     f->prereq, m);
	}
	/* The per-field checks above imply this one. */
	if (!nfv_match_prereqs_ok(m, &bad))
		return nfv_flow_error(p, NULL,
				      "field '%s' lacks its prerequisites",
				      bad->name);
	return 0;
}

/* Keeps the "actions=" token for after the match. */
static int
flow_note_actions(struct flow_parser *p, const struct flow_token *tok)
{
	if (p->mode != NFV_FLOW_PARSE_ADD)
		return nfv_flow_error(p, NULL,
				      "actions are not allowed when matching flows");
	if (p->has_actions_tok)
		return nfv_flow_error(p, NULL, "field 'actions' given twice");
	p->has_actions_tok = true;
	p->actions_tok = *tok;
	p->spec->has_actions = true;
	return 0;
}

void
nfv_flow_spec_init(struct nfv_flow_spec *spec)
{
	memset(spec, 0, sizeof(*spec));
	spec->priority = NFV_FLOW_DEFAULT_PRIORITY;
	spec->out_port = NFV_OFPP_ANY;
	spec->out_group = NFV_OFPG_ANY;
}

int
nfv_flow_parse(const char *text, enum nfv_flow_parse_mode mode,
	       nfv_port_by_name_fn *by_name, void *arg,
	       struct nfv_flow_spec *spec, char *err)
{
	char scratch[NFV_FLOW_ERR_MAX];
	struct flow_parser p = {
		.mode = mode,
		.by_name = by_name,
		.arg = arg,
		.spec = spec,
		.err = err ? err : scratch,
	};
	struct flow_lexer lx;
	struct flow_token tok;
	int ret;

	nfv_flow_spec_init(spec);
	p.err[0] = '\0';
	if (!text)
		return nfv_flow_error(&p, NULL, "no flow given");

	nfv_flow_lexer_init(&lx, "field", text, strlen(text));
	while ((ret = nfv_flow_lex_next(&p, &lx, "actions", &tok)) > 0) {
		if (flow_slice_eq(tok.key, "actions"))
			ret = flow_note_actions(&p, &tok);
		else
			ret = flow_parse_match_token(&p, &tok);
		if (ret < 0)
			return ret;
	}
	if (ret < 0)
		return ret;
	ret = flow_finish_match(&p);
	if (ret < 0)
		return ret;
	if (p.has_actions_tok)
		return nfv_flow_parse_actions(&p, &p.actions_tok);
	if (mode == NFV_FLOW_PARSE_ADD)
		return nfv_flow_error(&p, NULL, "missing actions=");
	return 0;
}
