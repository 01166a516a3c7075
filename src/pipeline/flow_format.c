/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Formatter of the ovs-ofctl flow syntax (see flow.h), the names it shares
 * with the parser (flow_priv.h), and the comparisons of flows that add-flow,
 * del-flows and dump-flows need.
 *
 * The match prints as ovs-ofctl dump-flows does: the shorthand first
 * ("tcp", "icmp6", else dl_type and nw_proto), then every matched field of
 * the field table in a fixed order under its ovs-ofctl name (dl_src, nw_src,
 * tp_dst, ...), masks as "/MASK" or as a prefix length. Of the fields that
 * share storage (tcp_src and icmp_type, nw_src and arp_spa, ...) the one
 * whose prerequisites the match meets is printed. Whatever is printed
 * parses back to the same flow. Pure code: no DPDK, no threads.
 */

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "flow.h"
#include "flow_priv.h"

/* Names shared with the parser. */

const struct nfv_flow_port_name nfv_flow_port_names[] = {
	{ "IN_PORT", NFV_OFPP_IN_PORT, NULL },
	{ "TABLE", NFV_OFPP_TABLE, "is only valid in packet-out" },
	{ "NORMAL", NFV_OFPP_NORMAL, NULL },
	{ "FLOOD", NFV_OFPP_FLOOD, NULL },
	{ "ALL", NFV_OFPP_ALL, NULL },
	{ "CONTROLLER", NFV_OFPP_CONTROLLER, NULL },
	/* nfvswitch has no local port: output to LOCAL drops. */
	{ "LOCAL", NFV_OFPP_LOCAL, NULL },
	{ "ANY", NFV_OFPP_ANY, "is not an output port" },
	{ "NONE", NFV_OFPP_ANY, "is not an output port" },
};

const size_t nfv_flow_n_port_names = NFV_ARRAY_SIZE(nfv_flow_port_names);

/* Most specific first within an eth_type: the formatter prints the first
 * that fits. */
const struct nfv_flow_shorthand nfv_flow_shorthands[] = {
	{ "icmp", 0x0800, 1 },
	{ "tcp", 0x0800, 6 },
	{ "udp", 0x0800, 17 },
	{ "sctp", 0x0800, 132 },
	{ "ip", 0x0800, -1 },
	{ "icmp6", 0x86dd, 58 },
	{ "tcp6", 0x86dd, 6 },
	{ "udp6", 0x86dd, 17 },
	{ "sctp6", 0x86dd, 132 },
	{ "ipv6", 0x86dd, -1 },
	{ "arp", 0x0806, -1 },
	{ "rarp", 0x8035, -1 },
};

const size_t nfv_flow_n_shorthands = NFV_ARRAY_SIZE(nfv_flow_shorthands);

const struct nfv_flow_bit_name nfv_flow_flag_names[] = {
	{ "send_flow_rem", NFV_FF_SEND_FLOW_REM },
	{ "check_overlap", NFV_FF_CHECK_OVERLAP },
	{ "reset_counts", NFV_FF_RESET_COUNTS },
	{ "no_packet_counts", NFV_FF_NO_PKT_COUNTS },
	{ "no_byte_counts", NFV_FF_NO_BYT_COUNTS },
};

const size_t nfv_flow_n_flag_names = NFV_ARRAY_SIZE(nfv_flow_flag_names);

const struct nfv_flow_bit_name nfv_flow_tcp_flag_names[] = {
	{ "fin", 0x001 },
	{ "syn", 0x002 },
	{ "rst", 0x004 },
	{ "psh", 0x008 },
	{ "ack", 0x010 },
	{ "urg", 0x020 },
	{ "ece", 0x040 },
	{ "cwr", 0x080 },
	{ "ns", 0x100 },
};

const size_t nfv_flow_n_tcp_flag_names =
	NFV_ARRAY_SIZE(nfv_flow_tcp_flag_names);

/* As Open vSwitch defines them on its two bits (NFV_FRAG_ANY = 1,
 * NFV_FRAG_LATER = 2). */
const struct nfv_flow_frag_name nfv_flow_frag_names[] = {
	{ "no", 0, NFV_FRAG_ANY | NFV_FRAG_LATER },
	{ "yes", NFV_FRAG_ANY, NFV_FRAG_ANY },
	{ "first", NFV_FRAG_ANY, NFV_FRAG_ANY | NFV_FRAG_LATER },
	{ "later", NFV_FRAG_ANY | NFV_FRAG_LATER,
	  NFV_FRAG_ANY | NFV_FRAG_LATER },
	{ "not_later", 0, NFV_FRAG_LATER },
};

const size_t nfv_flow_n_frag_names = NFV_ARRAY_SIZE(nfv_flow_frag_names);

/* Output buffer. */

/* Where nfv_flow_format_*() write; 'len' is what the full text needs. */
struct flow_out {
	char *buf;
	size_t size;
	size_t len;
	nfv_port_name_fn *name_of;
	void *arg;
};

static void
flow_out_init(struct flow_out *o, char *buf, size_t size,
	      nfv_port_name_fn *name_of, void *arg)
{
	o->buf = buf;
	o->size = size;
	o->len = 0;
	o->name_of = name_of;
	o->arg = arg;
	if (size)
		buf[0] = '\0';
}

static void __attribute__((format(printf, 2, 3)))
flow_out_printf(struct flow_out *o, const char *fmt, ...)
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

/* Separates items with commas. */
static void
flow_out_sep(struct flow_out *o, size_t start)
{
	if (o->len > start)
		flow_out_printf(o, ",");
}

static void
flow_out_port(struct flow_out *o, uint32_t port)
{
	const char *name = NULL;
	size_t i;

	for (i = 0; i < nfv_flow_n_port_names; i++) {
		if (nfv_flow_port_names[i].port == port) {
			name = nfv_flow_port_names[i].name;
			break;
		}
	}
	if (!name && o->name_of)
		name = o->name_of(o->arg, port);
	if (name)
		flow_out_printf(o, "%s", name);
	else
		flow_out_printf(o, "%" PRIu32, port);
}

static int
flow_out_len(const struct flow_out *o)
{
	return o->len < INT32_MAX ? (int)o->len : INT32_MAX;
}

/* Field values. */

static void
flow_out_mac(struct flow_out *o, const uint8_t *mac)
{
	flow_out_printf(o, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
			mac[2], mac[3], mac[4], mac[5]);
}

static void
flow_out_ip(struct flow_out *o, int af, const uint8_t *addr)
{
	char buf[INET6_ADDRSTRLEN];

	if (inet_ntop(af, addr, buf, sizeof(buf)))
		flow_out_printf(o, "%s", buf);
}

/* Prints the value 'v' of 'f' in the field's format. */
static void
flow_out_value(struct flow_out *o, const struct nfv_field *f,
	       const union nfv_field_value *v)
{
	switch (f->fmt) {
	case NFV_FMT_DEC:
		flow_out_printf(o, "%" PRIu64, nfv_flow_value_u64(f, v));
		break;
	case NFV_FMT_HEX:
		flow_out_printf(o, "0x%" PRIx64, nfv_flow_value_u64(f, v));
		break;
	case NFV_FMT_MAC:
		flow_out_mac(o, v->u8);
		break;
	case NFV_FMT_IPV4:
		flow_out_ip(o, AF_INET, v->u8);
		break;
	case NFV_FMT_IPV6:
		flow_out_ip(o, AF_INET6, v->u8);
		break;
	case NFV_FMT_PORT:
		flow_out_port(o, nfv_flow_value_u64(f, v));
		break;
	}
}

/* The prefix length of an address mask, or -1 if it is not a prefix. */
static int
flow_prefix_len(const uint8_t *mask, unsigned int n_bytes)
{
	unsigned int len = 0, i = 0;

	while (i < n_bytes && mask[i] == 0xff) {
		len += 8;
		i++;
	}
	if (i < n_bytes) {
		uint8_t b = mask[i++];

		while (b & 0x80) {
			len++;
			b <<= 1;
		}
		if (b)
			return -1;
	}
	for (; i < n_bytes; i++)
		if (mask[i])
			return -1;
	return len;
}

/* Prints "VALUE" or "VALUE/MASK" of 'f': numbers under a mask in hex,
 * address masks that are prefixes as a prefix length. */
static void
flow_out_masked(struct flow_out *o, const struct nfv_field *f,
		const union nfv_field_value *v,
		const union nfv_field_value *mask)
{
	int len;

	if (nfv_flow_mask_is_full(f, mask)) {
		flow_out_value(o, f, v);
		return;
	}
	switch (f->fmt) {
	case NFV_FMT_MAC:
		flow_out_mac(o, v->u8);
		flow_out_printf(o, "/");
		flow_out_mac(o, mask->u8);
		return;
	case NFV_FMT_IPV4:
	case NFV_FMT_IPV6:
		flow_out_value(o, f, v);
		len = flow_prefix_len(mask->u8, f->n_bits / 8);
		if (len >= 0) {
			flow_out_printf(o, "/%d", len);
		} else {
			flow_out_printf(o, "/");
			flow_out_value(o, f, mask);
		}
		return;
	default:
		flow_out_printf(o, "0x%" PRIx64 "/0x%" PRIx64,
				nfv_flow_value_u64(f, v),
				nfv_flow_value_u64(f, mask));
		return;
	}
}

/* Match. */

struct flow_print;
typedef void flow_print_fn(struct flow_out *o, const struct flow_print *pr,
			   const union nfv_field_value *v,
			   const union nfv_field_value *mask);

/* How one field prints in the match. */
struct flow_print {
	enum nfv_field_id id;
	const char *name;               /* ovs-ofctl dump-flows name */
	flow_print_fn *print;           /* NULL: name=VALUE[/MASK] */
};

static void
flow_print_generic(struct flow_out *o, const struct flow_print *pr,
		   const union nfv_field_value *v,
		   const union nfv_field_value *mask)
{
	flow_out_printf(o, "%s=", pr->name);
	flow_out_masked(o, &nfv_fields[pr->id], v, mask);
}

/* dl_type=0x88cc, four digits as ovs-ofctl prints it. */
static void
flow_print_eth_type(struct flow_out *o, const struct flow_print *pr,
		    const union nfv_field_value *v,
		    const union nfv_field_value *mask)
{
	(void)mask;
	flow_out_printf(o, "%s=0x%04" PRIx64, pr->name,
			nfv_flow_value_u64(&nfv_fields[pr->id], v));
}

/* dl_vlan=5 for a tag with VID 5; any other match as the raw OXM value:
 * vlan_vid=0 (untagged), vlan_vid=0x1000/0x1000 (any tag). */
static void
flow_print_vlan_vid(struct flow_out *o, const struct flow_print *pr,
		    const union nfv_field_value *v,
		    const union nfv_field_value *mask)
{
	const struct nfv_field *f = &nfv_fields[pr->id];
	uint64_t vid = nfv_flow_value_u64(f, v);

	if (nfv_flow_mask_is_full(f, mask) && (vid & NFV_VLAN_PRESENT)) {
		flow_out_printf(o, "dl_vlan=%" PRIu64, vid & NFV_VLAN_VID_MASK);
		return;
	}
	flow_print_generic(o, pr, v, mask);
}

/* nw_tos=184 for ip_dscp 46. */
static void
flow_print_nw_tos(struct flow_out *o, const struct flow_print *pr,
		  const union nfv_field_value *v,
		  const union nfv_field_value *mask)
{
	(void)mask;
	flow_out_printf(o, "%s=%" PRIu64, pr->name,
			nfv_flow_value_u64(&nfv_fields[pr->id], v) << 2);
}

/* ip_frag=first; other value/mask pairs as numbers. */
static void
flow_print_ip_frag(struct flow_out *o, const struct flow_print *pr,
		   const union nfv_field_value *v,
		   const union nfv_field_value *mask)
{
	const struct nfv_field *f = &nfv_fields[pr->id];
	uint64_t value = nfv_flow_value_u64(f, v);
	uint64_t bits = nfv_flow_value_u64(f, mask);

	for (size_t i = 0; i < nfv_flow_n_frag_names; i++) {
		const struct nfv_flow_frag_name *w = &nfv_flow_frag_names[i];

		if (w->value == value && w->mask == bits) {
			flow_out_printf(o, "%s=%s", pr->name, w->name);
			return;
		}
	}
	flow_print_generic(o, pr, v, mask);
}

/* tcp_flags=+syn-ack when only named flags are matched, tcp_flags=syn|ack
 * when all are, else numbers. */
static void
flow_print_tcp_flags(struct flow_out *o, const struct flow_print *pr,
		     const union nfv_field_value *v,
		     const union nfv_field_value *mask)
{
	const struct nfv_field *f = &nfv_fields[pr->id];
	uint64_t value = nfv_flow_value_u64(f, v);
	uint64_t bits = nfv_flow_value_u64(f, mask);
	bool full = nfv_flow_mask_is_full(f, mask);
	const char *sep = "";

	if (full ? (!value || (value & ~NFV_FLOW_TCP_FLAGS_NAMED)) :
		   (bits & ~NFV_FLOW_TCP_FLAGS_NAMED) != 0) {
		flow_print_generic(o, pr, v, mask);
		return;
	}
	flow_out_printf(o, "%s=", pr->name);
	for (size_t i = 0; i < nfv_flow_n_tcp_flag_names; i++) {
		const struct nfv_flow_bit_name *b = &nfv_flow_tcp_flag_names[i];

		if (full && (value & b->bit)) {
			flow_out_printf(o, "%s%s", sep, b->name);
			sep = "|";
		} else if (!full && (bits & b->bit)) {
			flow_out_printf(o, "%c%s", value & b->bit ? '+' : '-',
					b->name);
		}
	}
}

/* Every field once, in the order printed. */
static const struct flow_print flow_prints[] = {
	{ NFV_F_IN_PORT, "in_port", NULL },
	{ NFV_F_METADATA, "metadata", NULL },
	{ NFV_F_VLAN_VID, "vlan_vid", flow_print_vlan_vid },
	{ NFV_F_VLAN_PCP, "dl_vlan_pcp", NULL },
	{ NFV_F_ETH_SRC, "dl_src", NULL },
	{ NFV_F_ETH_DST, "dl_dst", NULL },
	{ NFV_F_ETH_TYPE, "dl_type", flow_print_eth_type },
	{ NFV_F_IPV4_SRC, "nw_src", NULL },
	{ NFV_F_IPV4_DST, "nw_dst", NULL },
	{ NFV_F_ARP_SPA, "arp_spa", NULL },
	{ NFV_F_ARP_TPA, "arp_tpa", NULL },
	{ NFV_F_IPV6_SRC, "ipv6_src", NULL },
	{ NFV_F_IPV6_DST, "ipv6_dst", NULL },
	{ NFV_F_IPV6_FLABEL, "ipv6_label", NULL },
	{ NFV_F_IP_PROTO, "nw_proto", NULL },
	{ NFV_F_IP_DSCP, "nw_tos", flow_print_nw_tos },
	{ NFV_F_IP_ECN, "nw_ecn", NULL },
	{ NFV_F_IP_TTL, "nw_ttl", NULL },
	{ NFV_F_IP_FRAG, "ip_frag", flow_print_ip_frag },
	{ NFV_F_ARP_OP, "arp_op", NULL },
	{ NFV_F_ARP_SHA, "arp_sha", NULL },
	{ NFV_F_ARP_THA, "arp_tha", NULL },
	{ NFV_F_ICMPV4_TYPE, "icmp_type", NULL },
	{ NFV_F_ICMPV4_CODE, "icmp_code", NULL },
	{ NFV_F_ICMPV6_TYPE, "icmp_type", NULL },
	{ NFV_F_ICMPV6_CODE, "icmp_code", NULL },
	{ NFV_F_IPV6_ND_TARGET, "nd_target", NULL },
	{ NFV_F_IPV6_ND_SLL, "nd_sll", NULL },
	{ NFV_F_IPV6_ND_TLL, "nd_tll", NULL },
	{ NFV_F_TCP_SRC, "tp_src", NULL },
	{ NFV_F_TCP_DST, "tp_dst", NULL },
	{ NFV_F_UDP_SRC, "tp_src", NULL },
	{ NFV_F_UDP_DST, "tp_dst", NULL },
	{ NFV_F_SCTP_SRC, "tp_src", NULL },
	{ NFV_F_SCTP_DST, "tp_dst", NULL },
	{ NFV_F_TCP_FLAGS, "tcp_flags", flow_print_tcp_flags },
	{ NFV_F_IPV6_EXTHDR, "ipv6_exthdr", NULL },
};

_Static_assert(NFV_ARRAY_SIZE(flow_prints) == NFV_F_N,
	       "every field of the table is printed");

/* Of the fields that share the bits of 'f' (tcp_src, udp_src, icmp_type,
 * ...), the one the match means: the first whose prerequisites hold, else
 * the first. */
static const struct nfv_field *
flow_storage_owner(const struct nfv_match *m, const struct nfv_field *f)
{
	const struct nfv_field *first = NULL;

	for (unsigned int i = 0; i < NFV_F_N; i++) {
		const struct nfv_field *g = &nfv_fields[i];

		if (!nfv_flow_fields_share(f, g))
			continue;
		if (nfv_match_prereq_ok(m, g->prereq))
			return g;
		if (!first)
			first = g;
	}
	return first;
}

/* The shorthand that says what 'm' matches of eth_type and ip_proto, or
 * NULL. Sets '*covers_proto' if it also says the ip_proto. */
static const struct nfv_flow_shorthand *
flow_shorthand_of(const struct nfv_match *m, bool *covers_proto)
{
	uint64_t eth_type, proto;
	bool has_proto;

	*covers_proto = false;
	if (!nfv_flow_match_exact(m, NFV_F_ETH_TYPE, &eth_type))
		return NULL;
	has_proto = nfv_flow_match_exact(m, NFV_F_IP_PROTO, &proto);
	for (size_t i = 0; i < nfv_flow_n_shorthands; i++) {
		const struct nfv_flow_shorthand *sh = &nfv_flow_shorthands[i];

		if (sh->eth_type != eth_type)
			continue;
		if (sh->ip_proto < 0) {
			*covers_proto = false;
			return sh;
		}
		if (has_proto && (uint64_t)sh->ip_proto == proto) {
			*covers_proto = true;
			return sh;
		}
	}
	return NULL;
}

int
nfv_flow_format_match(const struct nfv_flow_spec *spec,
		      nfv_port_name_fn *name_of, void *arg,
		      char *buf, size_t size)
{
	const struct nfv_match *m = &spec->match;
	const struct nfv_flow_shorthand *sh;
	struct flow_out o;
	bool covers_proto;

	flow_out_init(&o, buf, size, name_of, arg);
	if (spec->priority != NFV_FLOW_DEFAULT_PRIORITY)
		flow_out_printf(&o, "priority=%u", spec->priority);
	sh = flow_shorthand_of(m, &covers_proto);
	if (sh) {
		flow_out_sep(&o, 0);
		flow_out_printf(&o, "%s", sh->name);
	}
	for (size_t i = 0; i < NFV_ARRAY_SIZE(flow_prints); i++) {
		const struct flow_print *pr = &flow_prints[i];
		const struct nfv_field *f = &nfv_fields[pr->id];
		union nfv_field_value v, mask;

		if ((sh && pr->id == NFV_F_ETH_TYPE) ||
		    (covers_proto && pr->id == NFV_F_IP_PROTO))
			continue;
		if (!nfv_match_get(m, f, &v, &mask) ||
		    flow_storage_owner(m, f) != f)
			continue;
		flow_out_sep(&o, 0);
		(pr->print ? pr->print : flow_print_generic)(&o, pr, &v, &mask);
	}
	return flow_out_len(&o);
}

int
nfv_flow_format_flags(const struct nfv_flow_spec *spec, char *buf,
		      size_t size)
{
	struct flow_out o;

	flow_out_init(&o, buf, size, NULL, NULL);
	for (size_t i = 0; i < nfv_flow_n_flag_names; i++) {
		if (!(spec->flags & nfv_flow_flag_names[i].bit))
			continue;
		flow_out_sep(&o, 0);
		flow_out_printf(&o, "%s", nfv_flow_flag_names[i].name);
	}
	return flow_out_len(&o);
}

/* Actions. */

/* set_field actions that ovs-ofctl writes with an older name. */
static const struct {
	enum nfv_field_id id;
	const char *name;
} flow_mod_names[] = {
	{ NFV_F_ETH_SRC, "mod_dl_src" },
	{ NFV_F_ETH_DST, "mod_dl_dst" },
	{ NFV_F_IPV4_SRC, "mod_nw_src" },
	{ NFV_F_IPV4_DST, "mod_nw_dst" },
	{ NFV_F_TCP_SRC, "mod_tp_src" },
	{ NFV_F_TCP_DST, "mod_tp_dst" },
	{ NFV_F_UDP_SRC, "mod_tp_src" },
	{ NFV_F_UDP_DST, "mod_tp_dst" },
	{ NFV_F_SCTP_SRC, "mod_tp_src" },
	{ NFV_F_SCTP_DST, "mod_tp_dst" },
	{ NFV_F_VLAN_PCP, "mod_vlan_pcp" },
};

static void
flow_format_set_field(struct flow_out *o, const struct nfv_action *a)
{
	const struct nfv_field *f;
	uint64_t vid;

	if (a->field >= NFV_F_N) {
		flow_out_printf(o, "set_field:?");
		return;
	}
	f = &nfv_fields[a->field];
	if (a->field == NFV_F_VLAN_VID) {
		vid = nfv_flow_value_u64(f, &a->arg.value);
		if (vid & NFV_VLAN_PRESENT) {
			flow_out_printf(o, "mod_vlan_vid:%" PRIu64,
					vid & NFV_VLAN_VID_MASK);
			return;
		}
	}
	for (size_t i = 0; i < NFV_ARRAY_SIZE(flow_mod_names); i++) {
		if (flow_mod_names[i].id == a->field) {
			flow_out_printf(o, "%s:", flow_mod_names[i].name);
			flow_out_value(o, f, &a->arg.value);
			return;
		}
	}
	flow_out_printf(o, "set_field:");
	flow_out_value(o, f, &a->arg.value);
	flow_out_printf(o, "->%s", f->name);
}

static void
flow_format_action(struct flow_out *o, const struct nfv_action *a)
{
	switch (a->type) {
	case NFV_ACT_OUTPUT:
		/* ovs-ofctl prints reserved ports bare: "IN_PORT". */
		if (a->arg.port == NFV_OFPP_CONTROLLER) {
			flow_out_printf(o, "CONTROLLER:%u", a->max_len);
			break;
		}
		if (a->arg.port <= NFV_OFPP_MAX)
			flow_out_printf(o, "output:");
		flow_out_port(o, a->arg.port);
		break;
	case NFV_ACT_GROUP:
		flow_out_printf(o, "group:%" PRIu32, a->arg.group_id);
		break;
	case NFV_ACT_SET_FIELD:
		flow_format_set_field(o, a);
		break;
	case NFV_ACT_PUSH_VLAN:
		flow_out_printf(o, "push_vlan:0x%04x", a->ethertype);
		break;
	case NFV_ACT_POP_VLAN:
		flow_out_printf(o, "pop_vlan");
		break;
	case NFV_ACT_DEC_NW_TTL:
		flow_out_printf(o, "dec_ttl");
		break;
	case NFV_ACT_SET_NW_TTL:
		flow_out_printf(o, "mod_nw_ttl:%u", a->arg.ttl);
		break;
	}
}

static void
flow_format_action_list(struct flow_out *o, const struct nfv_action *actions,
			unsigned int n, size_t start)
{
	if (n > NFV_FLOW_MAX_ACTIONS)
		n = NFV_FLOW_MAX_ACTIONS;
	for (unsigned int i = 0; i < n; i++) {
		flow_out_sep(o, start);
		flow_format_action(o, &actions[i]);
	}
}

int
nfv_flow_format_actions(const struct nfv_flow_spec *spec,
			nfv_port_name_fn *name_of, void *arg,
			char *buf, size_t size)
{
	struct flow_out o;

	flow_out_init(&o, buf, size, name_of, arg);
	if (!spec->n_actions && !spec->clear_actions &&
	    !spec->has_write_actions && !spec->has_write_metadata &&
	    !spec->has_goto) {
		flow_out_printf(&o, "drop");
		return flow_out_len(&o);
	}
	flow_format_action_list(&o, spec->actions, spec->n_actions, 0);
	if (spec->clear_actions) {
		flow_out_sep(&o, 0);
		flow_out_printf(&o, "clear_actions");
	}
	if (spec->has_write_actions) {
		flow_out_sep(&o, 0);
		flow_out_printf(&o, "write_actions(");
		flow_format_action_list(&o, spec->write_actions,
					spec->n_write_actions, o.len);
		flow_out_printf(&o, ")");
	}
	if (spec->has_write_metadata) {
		flow_out_sep(&o, 0);
		flow_out_printf(&o, "write_metadata:0x%" PRIx64,
				spec->write_metadata);
		if (spec->write_metadata_mask != UINT64_MAX)
			flow_out_printf(&o, "/0x%" PRIx64,
					spec->write_metadata_mask);
	}
	if (spec->has_goto) {
		flow_out_sep(&o, 0);
		flow_out_printf(&o, "goto_table:%u", spec->goto_table);
	}
	return flow_out_len(&o);
}

/* Comparisons. */

_Static_assert(sizeof(struct nfv_flow_key) % sizeof(uint32_t) == 0,
	       "flow keys are compared as 32-bit words");

static uint32_t
flow_key_word(const struct nfv_flow_key *key, size_t i)
{
	uint32_t w;

	memcpy(&w, (const char *)key + i * sizeof(w), sizeof(w));
	return w;
}

/* True if one of the 'n' actions is an output to 'port' or a group action
 * to 'group'. */
static bool
flow_actions_reach(const struct nfv_action *actions, unsigned int n,
		   enum nfv_action_type type, uint32_t target)
{
	if (n > NFV_FLOW_MAX_ACTIONS)
		n = NFV_FLOW_MAX_ACTIONS;
	for (unsigned int i = 0; i < n; i++) {
		const struct nfv_action *a = &actions[i];

		uint32_t id = type == NFV_ACT_OUTPUT ? a->arg.port :
						       a->arg.group_id;

		if (a->type == type && id == target)
			return true;
	}
	return false;
}

static bool
flow_spec_reaches(const struct nfv_flow_spec *rule, enum nfv_action_type type,
		  uint32_t target)
{
	return flow_actions_reach(rule->actions, rule->n_actions, type,
				  target) ||
	       flow_actions_reach(rule->write_actions, rule->n_write_actions,
				  type, target);
}

bool
nfv_flow_filter_selects(const struct nfv_flow_spec *filter,
			const struct nfv_flow_spec *rule)
{
	const struct nfv_match *f = &filter->match;
	const struct nfv_match *r = &rule->match;
	size_t i;

	if (filter->has_table && filter->table_id != rule->table_id)
		return false;
	if ((filter->cookie ^ rule->cookie) & filter->cookie_mask)
		return false;
	if (filter->out_port != NFV_OFPP_ANY &&
	    !flow_spec_reaches(rule, NFV_ACT_OUTPUT, filter->out_port))
		return false;
	if (filter->out_group != NFV_OFPG_ANY &&
	    !flow_spec_reaches(rule, NFV_ACT_GROUP, filter->out_group))
		return false;
	for (i = 0; i < sizeof(struct nfv_flow_key) / sizeof(uint32_t); i++) {
		uint32_t fm = flow_key_word(&f->mask, i);

		if ((flow_key_word(&r->mask, i) & fm) != fm)
			return false;
		if ((flow_key_word(&r->key, i) ^ flow_key_word(&f->key, i)) &
		    fm)
			return false;
	}
	return true;
}

bool
nfv_flow_same_match(const struct nfv_flow_spec *a,
		    const struct nfv_flow_spec *b)
{
	return a->table_id == b->table_id && a->priority == b->priority &&
	       !memcmp(&a->match, &b->match, sizeof(a->match));
}

bool
nfv_flow_matches_overlap(const struct nfv_match *a, const struct nfv_match *b)
{
	for (size_t i = 0; i < sizeof(struct nfv_flow_key) / sizeof(uint32_t);
	     i++) {
		uint32_t both = flow_key_word(&a->mask, i) &
				flow_key_word(&b->mask, i);

		if ((flow_key_word(&a->key, i) ^ flow_key_word(&b->key, i)) &
		    both)
			return false;
	}
	return true;
}
