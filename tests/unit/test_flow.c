/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the ovs-ofctl flow syntax in src/pipeline/flow.c: parsing
 * good flows, a table of malformed flows with the error each must give,
 * formatting and parse/format round trips, and the del-flows filter and
 * strict match comparisons. Ports come from a fake name table.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "flow.h"

static const struct {
	const char *name;
	uint32_t port;
} fake_ports[] = {
	{ "p1", 1 },
	{ "p2", 2 },
	{ "vm1", 3 },
};

static int
fake_by_name(void *arg, const char *name)
{
	size_t i;

	(void)arg;
	for (i = 0; i < NFV_ARRAY_SIZE(fake_ports); i++)
		if (!strcmp(fake_ports[i].name, name))
			return fake_ports[i].port;
	return -ENOENT;
}

static const char *
fake_name_of(void *arg, uint32_t port)
{
	size_t i;

	(void)arg;
	for (i = 0; i < NFV_ARRAY_SIZE(fake_ports); i++)
		if (fake_ports[i].port == port)
			return fake_ports[i].name;
	return NULL;
}

/* Parses 'text' with the fake ports and fails the test on an error. */
static void
parse_ok(const char *text, enum nfv_flow_parse_mode mode,
	 struct nfv_flow_spec *spec)
{
	char err[NFV_FLOW_ERR_MAX];
	int ret;

	ret = nfv_flow_parse(text, mode, fake_by_name, NULL, spec, err);
	if (ret != 0)
		fail_msg("'%s': %s", text, err);
	assert_string_equal(err, "");
}

static void
assert_output(const struct nfv_flow_spec *spec, unsigned int i,
	      uint32_t port)
{
	assert_true(i < spec->n_actions);
	assert_int_equal(spec->actions[i].type, NFV_ACT_OUTPUT);
	assert_int_equal(spec->actions[i].arg.port, port);
}

static void
test_flow_parse_defaults(void **state)
{
	struct nfv_flow_spec spec;

	(void)state;
	parse_ok("actions=drop", NFV_FLOW_PARSE_ADD, &spec);
	assert_int_equal(spec.table_id, 0);
	assert_int_equal(spec.priority, 32768);
	assert_int_equal(spec.cookie, 0);
	assert_int_equal(spec.cookie_mask, 0);
	assert_int_equal(spec.idle_timeout, 0);
	assert_int_equal(spec.hard_timeout, 0);
	assert_int_equal(spec.match.mask.in_port, 0);
	assert_int_equal(spec.match.key.in_port, 0);
	assert_int_equal(spec.n_actions, 0);
	assert_false(spec.has_table);
	assert_false(spec.has_priority);
	assert_true(spec.has_actions);
}

static void
test_flow_parse_every_field(void **state)
{
	struct nfv_flow_spec spec;

	(void)state;
	parse_ok("table=3,priority=10,cookie=0x1f,idle_timeout=30,"
		 "hard_timeout=65535,in_port=2,actions=output:3",
		 NFV_FLOW_PARSE_ADD, &spec);
	assert_int_equal(spec.table_id, 3);
	assert_true(spec.has_table);
	assert_int_equal(spec.priority, 10);
	assert_true(spec.has_priority);
	assert_int_equal(spec.cookie, 0x1f);
	assert_int_equal(spec.cookie_mask, 0);
	assert_int_equal(spec.idle_timeout, 30);
	assert_int_equal(spec.hard_timeout, 65535);
	assert_int_equal(spec.match.key.in_port, 2);
	assert_int_equal(spec.match.mask.in_port, 0xffffffff);
	assert_int_equal(spec.n_actions, 1);
	assert_output(&spec, 0, 3);
}

static void
test_flow_parse_port_names_and_numbers(void **state)
{
	struct nfv_flow_spec spec;

	(void)state;
	parse_ok("in_port=vm1,actions=output:p2,output=1,p1,7",
		 NFV_FLOW_PARSE_ADD, &spec);
	assert_int_equal(spec.match.key.in_port, 3);
	assert_int_equal(spec.n_actions, 4);
	assert_output(&spec, 0, 2);
	assert_output(&spec, 1, 1);
	assert_output(&spec, 2, 1);
	assert_output(&spec, 3, 7);
}

static void
test_flow_parse_hex_and_limits(void **state)
{
	struct nfv_flow_spec spec;

	(void)state;
	parse_ok("table=253,priority=0xffff,cookie=18446744073709551615,"
		 "in_port=0xffffff00,actions=output:0X10",
		 NFV_FLOW_PARSE_ADD, &spec);
	assert_int_equal(spec.table_id, 253);
	assert_int_equal(spec.priority, 65535);
	assert_true(spec.cookie == UINT64_MAX);
	assert_int_equal(spec.match.key.in_port, 0xffffff00);
	assert_output(&spec, 0, 16);

	parse_ok("priority=0,in_port=1,actions=drop", NFV_FLOW_PARSE_ADD,
		 &spec);
	assert_int_equal(spec.priority, 0);
	assert_true(spec.has_priority);
}

static void
test_flow_parse_allows_whitespace(void **state)
{
	struct nfv_flow_spec spec;

	(void)state;
	parse_ok("  table=1 ,  priority=5\tin_port=p1 ,\n"
		 "actions= output:p2 , flood  all\t",
		 NFV_FLOW_PARSE_ADD, &spec);
	assert_int_equal(spec.table_id, 1);
	assert_int_equal(spec.priority, 5);
	assert_int_equal(spec.match.key.in_port, 1);
	assert_int_equal(spec.n_actions, 3);
	assert_output(&spec, 0, 2);
	assert_output(&spec, 1, NFV_OFPP_FLOOD);
	assert_output(&spec, 2, NFV_OFPP_ALL);
}

static void
test_flow_parse_reserved_port_actions(void **state)
{
	struct nfv_flow_spec spec;

	(void)state;
	parse_ok("actions=in_port,FLOOD,All,output:IN_PORT,OUTPUT:flood",
		 NFV_FLOW_PARSE_ADD, &spec);
	assert_int_equal(spec.n_actions, 5);
	assert_output(&spec, 0, NFV_OFPP_IN_PORT);
	assert_output(&spec, 1, NFV_OFPP_FLOOD);
	assert_output(&spec, 2, NFV_OFPP_ALL);
	assert_output(&spec, 3, NFV_OFPP_IN_PORT);
	assert_output(&spec, 4, NFV_OFPP_FLOOD);
}

static void
test_flow_parse_takes_max_actions(void **state)
{
	char text[256] = "actions=1";
	struct nfv_flow_spec spec;
	unsigned int i;

	(void)state;
	for (i = 2; i <= NFV_FLOW_MAX_ACTIONS; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 ",%u", i);
	parse_ok(text, NFV_FLOW_PARSE_ADD, &spec);
	assert_int_equal(spec.n_actions, NFV_FLOW_MAX_ACTIONS);
	for (i = 0; i < NFV_FLOW_MAX_ACTIONS; i++)
		assert_output(&spec, i, i + 1);

	strcat(text, ",17");
	assert_int_equal(nfv_flow_parse(text, NFV_FLOW_PARSE_ADD, NULL, NULL,
					&spec, NULL), -EINVAL);
}

static void
test_flow_parse_match_mode(void **state)
{
	struct nfv_flow_spec spec;

	(void)state;
	parse_ok("", NFV_FLOW_PARSE_MATCH, &spec);
	assert_int_equal(spec.match.mask.in_port, 0);
	assert_int_equal(spec.cookie_mask, 0);
	assert_false(spec.has_table);
	assert_false(spec.has_actions);

	parse_ok(" \t ", NFV_FLOW_PARSE_MATCH, &spec);

	parse_ok("table=2,priority=5,idle_timeout=1,hard_timeout=2,"
		 "cookie=0x10/0xf0,in_port=p2", NFV_FLOW_PARSE_MATCH, &spec);
	assert_true(spec.has_table);
	assert_int_equal(spec.table_id, 2);
	assert_true(spec.has_priority);
	assert_int_equal(spec.priority, 5);
	assert_int_equal(spec.cookie, 0x10);
	assert_int_equal(spec.cookie_mask, 0xf0);
	assert_int_equal(spec.match.key.in_port, 2);
	assert_false(spec.has_actions);

	parse_ok("cookie=5", NFV_FLOW_PARSE_MATCH, &spec);
	assert_int_equal(spec.cookie, 5);
	assert_true(spec.cookie_mask == UINT64_MAX);
}

static void
test_flow_parse_without_name_resolver(void **state)
{
	char err[NFV_FLOW_ERR_MAX];
	struct nfv_flow_spec spec;

	(void)state;
	assert_int_equal(nfv_flow_parse("in_port=1,actions=2,flood",
					NFV_FLOW_PARSE_ADD, NULL, NULL, &spec,
					err), 0);
	assert_int_equal(spec.match.key.in_port, 1);
	assert_int_equal(spec.n_actions, 2);

	assert_int_equal(nfv_flow_parse("in_port=p1,actions=drop",
					NFV_FLOW_PARSE_ADD, NULL, NULL, &spec,
					err), -EINVAL);
	assert_string_equal(err, "in_port=p1: no such port 'p1'");
}

static const struct {
	enum nfv_flow_parse_mode mode;
	const char *text;
	const char *error;      /* substring of the message */
} malformed_flows[] = {
	{ NFV_FLOW_PARSE_ADD, "foo=1,actions=drop", "unknown field 'foo'" },
	{ NFV_FLOW_PARSE_ADD, "Priority=1,actions=drop",
	  "unknown field 'Priority'" },
	{ NFV_FLOW_PARSE_ADD, "mpls_label=1,actions=drop",
	  "field 'mpls_label' is not supported" },
	{ NFV_FLOW_PARSE_MATCH, "vlan_tci=0x1005",
	  "field 'vlan_tci' is not supported" },
	{ NFV_FLOW_PARSE_ADD, "priority=abc,actions=drop",
	  "priority=abc: invalid number 'abc'" },
	{ NFV_FLOW_PARSE_ADD, "priority=10junk,actions=drop",
	  "priority=10junk: invalid number '10junk'" },
	{ NFV_FLOW_PARSE_ADD, "priority=-1,actions=drop", "invalid number" },
	{ NFV_FLOW_PARSE_ADD, "priority=0x,actions=drop", "invalid number" },
	{ NFV_FLOW_PARSE_ADD, "priority=0xfg,actions=drop",
	  "invalid number" },
	{ NFV_FLOW_PARSE_ADD, "priority=70000,actions=drop",
	  "priority=70000: value out of range 0..65535" },
	{ NFV_FLOW_PARSE_ADD, "table=254,actions=drop",
	  "table=254: value out of range 0..253" },
	{ NFV_FLOW_PARSE_ADD, "idle_timeout=65536,actions=drop",
	  "value out of range 0..65535" },
	{ NFV_FLOW_PARSE_ADD,
	  "hard_timeout=99999999999999999999999,actions=drop",
	  "value out of range 0..65535" },
	{ NFV_FLOW_PARSE_ADD, "cookie=0x10000000000000000,actions=drop",
	  "value out of range" },
	{ NFV_FLOW_PARSE_ADD, "cookie=1/0xff,actions=drop",
	  "cookie mask is only allowed when matching" },
	{ NFV_FLOW_PARSE_MATCH, "cookie=1/", "invalid number ''" },
	{ NFV_FLOW_PARSE_ADD, "in_port=1", "missing actions=" },
	{ NFV_FLOW_PARSE_ADD, "", "missing actions=" },
	{ NFV_FLOW_PARSE_ADD, "in_port=1,actions=", "empty action list" },
	{ NFV_FLOW_PARSE_ADD, "actions=  \t", "empty action list" },
	{ NFV_FLOW_PARSE_ADD, "in_port=1,actions", "empty action list" },
	{ NFV_FLOW_PARSE_ADD, "actions=drop,output:1",
	  "'drop' must not be combined" },
	{ NFV_FLOW_PARSE_ADD, "actions=output:1,drop",
	  "'drop' must not be combined" },
	{ NFV_FLOW_PARSE_ADD, "actions=drop,drop",
	  "'drop' must not be combined" },
	{ NFV_FLOW_PARSE_ADD, "actions=drop:1", "drop:1: unexpected argument" },
	{ NFV_FLOW_PARSE_ADD,
	  "actions=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17",
	  "17: too many actions (at most 16)" },
	{ NFV_FLOW_PARSE_ADD, "in_port=vm9,actions=drop",
	  "in_port=vm9: no such port 'vm9'" },
	{ NFV_FLOW_PARSE_ADD, "actions=output:vm9",
	  "output:vm9: no such port 'vm9'" },
	{ NFV_FLOW_PARSE_ADD, "actions=vm9", "unknown action 'vm9'" },
	{ NFV_FLOW_PARSE_ADD, "actions=flood:1",
	  "flood:1: unexpected argument" },
	{ NFV_FLOW_PARSE_ADD, "actions=output", "output: missing port" },
	{ NFV_FLOW_PARSE_ADD, "in_port=IN_PORT,actions=drop",
	  "no such port 'IN_PORT'" },
	{ NFV_FLOW_PARSE_ADD, "in_port=0,actions=drop",
	  "in_port=0: port number out of range 1..0xffffff00" },
	{ NFV_FLOW_PARSE_ADD, "in_port=4294967041,actions=drop",
	  "port number out of range" },
	{ NFV_FLOW_PARSE_ADD, "actions=output:0", "port number out of range" },
	{ NFV_FLOW_PARSE_ADD, "actions=0xfffffffb", "port number out of range" },
	{ NFV_FLOW_PARSE_ADD, "actions=output:TABLE",
	  "port 'TABLE' is only valid in packet-out" },
	{ NFV_FLOW_PARSE_ADD, "in_port=1,in_port=2,actions=drop",
	  "field 'in_port' given twice" },
	{ NFV_FLOW_PARSE_ADD, "priority=1 priority=1,actions=drop",
	  "field 'priority' given twice" },
	{ NFV_FLOW_PARSE_ADD, "actions(drop),actions=drop",
	  "field 'actions' given twice" },
	{ NFV_FLOW_PARSE_MATCH, "in_port=1,actions=drop",
	  "actions are not allowed when matching" },
	{ NFV_FLOW_PARSE_ADD, "actions=dec_ttl",
	  "dec_ttl: needs eth_type=0x0800 or 0x86dd (add 'ip' or 'ipv6')" },
	{ NFV_FLOW_PARSE_ADD, "actions=resubmit(,1)",
	  "action 'resubmit' is not supported" },
	{ NFV_FLOW_PARSE_ADD, "in_port=1 junk,actions=drop",
	  "unknown field 'junk'" },
	{ NFV_FLOW_PARSE_ADD, "actions=output(1)x",
	  "unexpected text after ')' in 'output(1)x'" },
	{ NFV_FLOW_PARSE_ADD, "in_port=1),actions=drop",
	  "unbalanced ')' in 'in_port=1)'" },
	{ NFV_FLOW_PARSE_ADD, "actions=learn(a=[1)",
	  "unbalanced ')' in 'learn(a=[1)'" },
	{ NFV_FLOW_PARSE_ADD, "actions=output(1", "unbalanced '('" },
	{ NFV_FLOW_PARSE_ADD, "actions=1,learn([a=1)", "unbalanced ')'" },
	{ NFV_FLOW_PARSE_ADD, "in_port=1,,actions=drop",
	  "empty field after 'in_port=1'" },
	{ NFV_FLOW_PARSE_ADD, "in_port=1, ,actions=drop", "empty field after" },
	{ NFV_FLOW_PARSE_ADD, ",in_port=1,actions=drop", "empty field at start" },
	{ NFV_FLOW_PARSE_MATCH, "in_port=1,", "empty field after 'in_port=1'" },
	{ NFV_FLOW_PARSE_ADD, "actions=output:1,,output:2",
	  "empty action after 'output:1'" },
	{ NFV_FLOW_PARSE_ADD, "actions=,output:1", "empty action at start" },
	{ NFV_FLOW_PARSE_ADD, "in_port=1,actions=drop,",
	  "empty action after 'drop'" },
	{ NFV_FLOW_PARSE_ADD, "in_port=,actions=drop", "in_port=: missing value" },
	{ NFV_FLOW_PARSE_ADD, "in_port,actions=drop", "in_port: missing value" },
	{ NFV_FLOW_PARSE_ADD, "in_port= 1,actions=drop", "missing value" },
	{ NFV_FLOW_PARSE_ADD, "=1,actions=drop", "missing field name in '=1'" },
	{ NFV_FLOW_PARSE_ADD, "in[port]=1,actions=drop",
	  "invalid field name in 'in[port]=1'" },
	/* Values. */
	{ NFV_FLOW_PARSE_ADD, "dl_src=00:11:22:33:44,actions=drop",
	  "dl_src=00:11:22:33:44: invalid Ethernet address '00:11:22:33:44'" },
	{ NFV_FLOW_PARSE_ADD, "dl_src=00:11:22:33:44:55:66,actions=drop",
	  "invalid Ethernet address" },
	{ NFV_FLOW_PARSE_ADD, "dl_dst=00:11:22:33:44:5g,actions=drop",
	  "invalid Ethernet address" },
	{ NFV_FLOW_PARSE_ADD, "dl_dst=001:1:2:3:4:5,actions=drop",
	  "invalid Ethernet address" },
	{ NFV_FLOW_PARSE_ADD,
	  "dl_dst=00:11:22:33:44:55/ff:ff:ff,actions=drop",
	  "invalid Ethernet address 'ff:ff:ff'" },
	{ NFV_FLOW_PARSE_ADD, "ip,nw_src=10.0.0.256,actions=drop",
	  "nw_src=10.0.0.256: invalid IPv4 address '10.0.0.256'" },
	{ NFV_FLOW_PARSE_ADD, "ip,nw_src=10.0.0,actions=drop",
	  "invalid IPv4 address '10.0.0'" },
	{ NFV_FLOW_PARSE_ADD, "ip,nw_dst=10.0.0.1/33,actions=drop",
	  "invalid prefix length '33' (0..32)" },
	{ NFV_FLOW_PARSE_ADD, "ip,nw_dst=10.0.0.1/255.0.0.x,actions=drop",
	  "invalid IPv4 address '255.0.0.x'" },
	{ NFV_FLOW_PARSE_ADD, "ip,nw_dst=10.0.0.1/,actions=drop",
	  "invalid IPv4 address ''" },
	{ NFV_FLOW_PARSE_ADD, "ipv6,ipv6_src=fe80:::1,actions=drop",
	  "invalid IPv6 address 'fe80:::1'" },
	{ NFV_FLOW_PARSE_ADD, "ipv6,ipv6_dst=fe80::/129,actions=drop",
	  "invalid prefix length '129' (0..128)" },
	{ NFV_FLOW_PARSE_ADD, "vlan_vid=0x2000,actions=drop",
	  "vlan_vid=0x2000: value out of range 0..8191" },
	{ NFV_FLOW_PARSE_ADD, "ip,ip_dscp=64,actions=drop",
	  "value out of range 0..63" },
	{ NFV_FLOW_PARSE_ADD, "ip,ip_ecn=4,actions=drop",
	  "value out of range 0..3" },
	{ NFV_FLOW_PARSE_ADD, "dl_vlan=1,vlan_pcp=8,actions=drop",
	  "value out of range 0..7" },
	{ NFV_FLOW_PARSE_ADD, "ipv6,ipv6_label=0x100000,actions=drop",
	  "value out of range 0..0xfffff" },
	{ NFV_FLOW_PARSE_ADD, "ipv6,ipv6_exthdr=0x200,actions=drop",
	  "value out of range 0..0x1ff" },
	{ NFV_FLOW_PARSE_ADD, "dl_type=0x10000,actions=drop",
	  "value out of range 0..0xffff" },
	{ NFV_FLOW_PARSE_ADD, "tcp,tp_dst=65536,actions=drop",
	  "tp_dst=65536: value out of range 0..65535" },
	{ NFV_FLOW_PARSE_ADD, "tcp,tp_dst=1/0x10000,actions=drop",
	  "mask out of range 0..65535" },
	{ NFV_FLOW_PARSE_ADD, "metadata=0x1/0x10000000000000000,actions=drop",
	  "mask out of range" },
	{ NFV_FLOW_PARSE_ADD, "ip,nw_tos=185,actions=drop",
	  "nw_tos=185: the low 2 bits (ECN) must be 0" },
	{ NFV_FLOW_PARSE_ADD, "dl_vlan=4096,actions=drop",
	  "VLAN ID out of range 0..4095" },
	{ NFV_FLOW_PARSE_ADD, "tcp,tcp_flags=+syn+syn,actions=drop",
	  "TCP flag 'syn' given twice" },
	{ NFV_FLOW_PARSE_ADD, "tcp,tcp_flags=+foo,actions=drop",
	  "unknown TCP flag 'foo'" },
	{ NFV_FLOW_PARSE_ADD, "tcp,tcp_flags=syn+ack,actions=drop",
	  "expected '|' between TCP flags" },
	{ NFV_FLOW_PARSE_ADD, "ip,ip_frag=maybe,actions=drop",
	  "ip_frag=maybe: expected no, yes, first, later or not_later" },
	/* Masks on fields that cannot be masked. */
	{ NFV_FLOW_PARSE_ADD, "dl_type=0x0800/0xffff,actions=drop",
	  "dl_type=0x0800/0xffff: field 'dl_type' cannot be masked" },
	{ NFV_FLOW_PARSE_ADD, "in_port=1/1,actions=drop",
	  "field 'in_port' cannot be masked" },
	{ NFV_FLOW_PARSE_ADD, "ip,nw_proto=6/0xff,actions=drop",
	  "field 'nw_proto' cannot be masked" },
	{ NFV_FLOW_PARSE_ADD, "ip,ip_dscp=1/1,actions=drop",
	  "field 'ip_dscp' cannot be masked" },
	{ NFV_FLOW_PARSE_ADD, "ip,nw_tos=4/4,actions=drop",
	  "field 'nw_tos' cannot be masked" },
	{ NFV_FLOW_PARSE_ADD, "dl_vlan=1/2,actions=drop",
	  "field 'dl_vlan' cannot be masked" },
	{ NFV_FLOW_PARSE_ADD, "arp,arp_op=1/1,actions=drop",
	  "field 'arp_op' cannot be masked" },
	/* Prerequisites. */
	{ NFV_FLOW_PARSE_ADD, "tcp_dst=80,actions=drop",
	  "field 'tcp_dst' needs ip_proto=6 (add 'tcp')" },
	{ NFV_FLOW_PARSE_ADD, "ipv6,udp_src=1,actions=drop",
	  "field 'udp_src' needs ip_proto=17 (add 'udp6')" },
	{ NFV_FLOW_PARSE_ADD, "nw_src=10.0.0.1,actions=drop",
	  "field 'nw_src' needs eth_type=0x0800 (add 'ip')" },
	{ NFV_FLOW_PARSE_ADD, "ip,ipv6_src=::1,actions=drop",
	  "field 'ipv6_src' needs eth_type=0x86dd (add 'ipv6')" },
	{ NFV_FLOW_PARSE_ADD, "nw_proto=6,actions=drop",
	  "field 'nw_proto' needs eth_type=0x0800 or 0x86dd (add 'ip' or 'ipv6')" },
	{ NFV_FLOW_PARSE_ADD, "nw_ttl=1,actions=drop",
	  "field 'nw_ttl' needs eth_type=0x0800 or 0x86dd" },
	{ NFV_FLOW_PARSE_ADD, "arp_op=1,actions=drop",
	  "field 'arp_op' needs eth_type=0x0806 (add 'arp')" },
	{ NFV_FLOW_PARSE_ADD, "ip,arp_spa=10.0.0.1,actions=drop",
	  "field 'arp_spa' needs eth_type=0x0806 (add 'arp')" },
	{ NFV_FLOW_PARSE_ADD, "vlan_pcp=1,actions=drop",
	  "field 'vlan_pcp' needs a VLAN tag (add 'dl_vlan=N' or 'vlan_vid=0x1000/0x1000')" },
	{ NFV_FLOW_PARSE_ADD, "icmp_type=8,actions=drop",
	  "field 'icmp_type' needs eth_type=0x0800 and ip_proto=1 (add 'icmp')" },
	{ NFV_FLOW_PARSE_ADD, "ipv6,icmp_code=1,actions=drop",
	  "field 'icmp_code' needs eth_type=0x86dd and ip_proto=58 (add 'icmp6')" },
	{ NFV_FLOW_PARSE_ADD, "icmp6,nd_target=::1,actions=drop",
	  "field 'nd_target' needs icmpv6_type=135 or 136" },
	{ NFV_FLOW_PARSE_ADD, "icmp6,icmp_type=136,nd_sll=0:0:0:0:0:1,actions=drop",
	  "field 'nd_sll' needs icmpv6_type=135 (add 'icmp6,icmp_type=135')" },
	{ NFV_FLOW_PARSE_ADD, "icmp6,icmp_type=135,nd_tll=0:0:0:0:0:1,actions=drop",
	  "field 'nd_tll' needs icmpv6_type=136" },
	{ NFV_FLOW_PARSE_ADD, "tcp_flags=+syn,actions=drop",
	  "field 'tcp_flags' needs ip_proto=6 (add 'tcp')" },
	{ NFV_FLOW_PARSE_ADD, "ipv6_exthdr=1,actions=drop",
	  "field 'ipv6_exthdr' needs eth_type=0x86dd" },
	{ NFV_FLOW_PARSE_ADD, "tp_src=1,actions=drop",
	  "field 'tp_src' needs ip_proto=6, 17 or 132 (add 'tcp', 'udp' or 'sctp')" },
	{ NFV_FLOW_PARSE_ADD, "ipv6,tp_dst=1,actions=drop",
	  "(add 'tcp6', 'udp6' or 'sctp6')" },
	{ NFV_FLOW_PARSE_ADD, "icmp,tp_dst=1,actions=drop",
	  "field 'tp_dst' needs ip_proto=6, 17 or 132" },
	{ NFV_FLOW_PARSE_MATCH, "tcp_dst=80",
	  "field 'tcp_dst' needs ip_proto=6 (add 'tcp')" },
	/* Shorthands and fields that contradict each other. */
	{ NFV_FLOW_PARSE_ADD, "tcp,udp,actions=drop",
	  "'udp' conflicts with 'tcp'" },
	{ NFV_FLOW_PARSE_ADD, "ipv6,tcp,actions=drop",
	  "'tcp' conflicts with 'ipv6'" },
	{ NFV_FLOW_PARSE_ADD, "ip,ipv6,actions=drop",
	  "'ipv6' conflicts with 'ip'" },
	{ NFV_FLOW_PARSE_ADD, "arp,ip,actions=drop",
	  "'ip' conflicts with 'arp'" },
	{ NFV_FLOW_PARSE_ADD, "tcp,nw_proto=17,actions=drop",
	  "'nw_proto' conflicts with 'tcp'" },
	{ NFV_FLOW_PARSE_ADD, "nw_proto=17,tcp,actions=drop",
	  "'tcp' conflicts with 'nw_proto'" },
	{ NFV_FLOW_PARSE_ADD, "dl_type=0x86dd,tcp,actions=drop",
	  "'tcp' conflicts with 'dl_type'" },
	{ NFV_FLOW_PARSE_ADD, "tcp,nw_proto=6,ip_proto=6,actions=drop",
	  "'ip_proto' conflicts with 'nw_proto'" },
	{ NFV_FLOW_PARSE_ADD, "tcp,tcp_src=1,tp_src=2,actions=drop",
	  "'tp_src' conflicts with 'tcp_src'" },
	{ NFV_FLOW_PARSE_ADD, "tcp,tcp_src=1,udp_src=2,actions=drop",
	  "'udp_src' conflicts with 'tcp_src'" },
	{ NFV_FLOW_PARSE_ADD, "dl_src=0:0:0:0:0:1,eth_src=0:0:0:0:0:2,actions=drop",
	  "'eth_src' conflicts with 'dl_src'" },
	{ NFV_FLOW_PARSE_ADD, "ip,nw_tos=4,ip_dscp=1,actions=drop",
	  "'ip_dscp' conflicts with 'nw_tos'" },
	{ NFV_FLOW_PARSE_ADD, "dl_vlan=1,vlan_vid=0x1001,actions=drop",
	  "'vlan_vid' conflicts with 'dl_vlan'" },
	{ NFV_FLOW_PARSE_ADD, "ip,nw_src=1.1.1.1,ip_src=1.1.1.1,actions=drop",
	  "'ip_src' conflicts with 'nw_src'" },
	{ NFV_FLOW_PARSE_ADD, "arp,arp_spa=1.1.1.1,nw_src=1.1.1.1,actions=drop",
	  "'nw_src' conflicts with 'arp_spa'" },
	{ NFV_FLOW_PARSE_ADD, "tcp,tp_src=1,tp_src=2,actions=drop",
	  "field 'tp_src' given twice" },
	{ NFV_FLOW_PARSE_ADD, "ip,nw_src=1.1.1.1,nw_src=1.1.1.1,actions=drop",
	  "field 'nw_src' given twice" },
	{ NFV_FLOW_PARSE_ADD, "tcp=1,actions=drop", "tcp=1: unexpected value" },
	{ NFV_FLOW_PARSE_ADD, "TCP,actions=drop", "unknown field 'TCP'" },
	{ NFV_FLOW_PARSE_ADD, "tcp4,actions=drop", "unknown field 'tcp4'" },
	{ NFV_FLOW_PARSE_ADD, "ip,nw_src,actions=drop", "nw_src: missing value" },
	/* Flags, attributes. */
	{ NFV_FLOW_PARSE_ADD, "flags=foo,actions=drop",
	  "flags=foo: unknown flag 'foo'" },
	{ NFV_FLOW_PARSE_ADD, "flags=send_flow_rem|send_flow_rem,actions=drop",
	  "flag 'send_flow_rem' given twice" },
	{ NFV_FLOW_PARSE_ADD, "check_overlap,flags=check_overlap,actions=drop",
	  "flag 'check_overlap' given twice" },
	{ NFV_FLOW_PARSE_ADD, "flags=reset_counts,flags=no_byte_counts,actions=drop",
	  "field 'flags' given twice" },
	{ NFV_FLOW_PARSE_ADD, "send_flow_rem=1,actions=drop",
	  "send_flow_rem=1: unexpected value" },
	{ NFV_FLOW_PARSE_ADD, "out_port=1,actions=drop",
	  "'out_port' is only allowed when matching flows" },
	{ NFV_FLOW_PARSE_ADD, "out_group=1,actions=drop",
	  "'out_group' is only allowed when matching flows" },
	{ NFV_FLOW_PARSE_MATCH, "out_port=vm9", "out_port=vm9: no such port 'vm9'" },
	{ NFV_FLOW_PARSE_MATCH, "out_group=0xffffff01",
	  "value out of range 0..4294967040" },
	{ NFV_FLOW_PARSE_ADD, "importance=1,actions=drop",
	  "field 'importance' is not supported" },
	/* Actions. */
	{ NFV_FLOW_PARSE_ADD, "actions=set_field:1->eth_type",
	  "set_field:1->eth_type: field 'eth_type' cannot be set" },
	{ NFV_FLOW_PARSE_ADD, "ip,actions=set_field:6->ip_proto",
	  "field 'ip_proto' cannot be set" },
	{ NFV_FLOW_PARSE_ADD, "actions=set_field:1->metadata",
	  "field 'metadata' cannot be set" },
	{ NFV_FLOW_PARSE_ADD, "actions=set_field:1->in_port",
	  "field 'in_port' cannot be set" },
	{ NFV_FLOW_PARSE_ADD, "tcp,actions=set_field:0x2->tcp_flags",
	  "field 'tcp_flags' cannot be set" },
	{ NFV_FLOW_PARSE_ADD, "actions=set_field:1->foo",
	  "set_field:1->foo: unknown field 'foo'" },
	{ NFV_FLOW_PARSE_ADD, "tcp,actions=set_field:1->tp_src",
	  "unknown field 'tp_src'" },
	{ NFV_FLOW_PARSE_ADD, "actions=set_field:1",
	  "set_field:1: expected set_field:VALUE->FIELD" },
	{ NFV_FLOW_PARSE_ADD, "ip,actions=set_field:->nw_src", "missing value" },
	{ NFV_FLOW_PARSE_ADD, "ip,actions=set_field:10.0.0.1/8->nw_src",
	  "masked set_field is not supported" },
	{ NFV_FLOW_PARSE_ADD, "actions=set_field:10.0.0.1->nw_src",
	  "set_field:10.0.0.1->nw_src: field 'ipv4_src' needs eth_type=0x0800 (add 'ip')" },
	{ NFV_FLOW_PARSE_ADD, "actions=mod_nw_src:10.0.0.1",
	  "mod_nw_src:10.0.0.1: field 'ipv4_src' needs eth_type=0x0800 (add 'ip')" },
	{ NFV_FLOW_PARSE_ADD, "ip,actions=set_field:::1->ipv6_src",
	  "field 'ipv6_src' needs eth_type=0x86dd" },
	{ NFV_FLOW_PARSE_ADD, "udp,actions=set_field:1->tcp_src",
	  "field 'tcp_src' needs ip_proto=6 (add 'tcp')" },
	{ NFV_FLOW_PARSE_ADD, "arp,actions=mod_nw_tos:4",
	  "field 'ip_dscp' needs eth_type=0x0800 or 0x86dd" },
	{ NFV_FLOW_PARSE_ADD, "ip,actions=mod_nw_tos:3",
	  "mod_nw_tos:3: the low 2 bits (ECN) must be 0" },
	{ NFV_FLOW_PARSE_ADD, "ip,actions=mod_tp_src:1",
	  "mod_tp_src:1: needs ip_proto=6, 17 or 132 (add 'tcp', 'udp' or 'sctp')" },
	{ NFV_FLOW_PARSE_ADD, "icmp,actions=mod_tp_dst:1",
	  "needs ip_proto=6, 17 or 132" },
	{ NFV_FLOW_PARSE_ADD, "actions=mod_dl_src:00:11:22:33:44",
	  "mod_dl_src:00:11:22:33:44: invalid Ethernet address" },
	{ NFV_FLOW_PARSE_ADD, "actions=mod_dl_dst", "mod_dl_dst: missing value" },
	{ NFV_FLOW_PARSE_ADD, "actions=mod_vlan_vid:4096",
	  "mod_vlan_vid:4096: value out of range 0..4095" },
	{ NFV_FLOW_PARSE_ADD, "actions=set_field:5->vlan_vid",
	  "vlan_vid needs the present bit 0x1000" },
	{ NFV_FLOW_PARSE_ADD, "dl_vlan=1,actions=mod_vlan_pcp:8",
	  "value out of range 0..7" },
	{ NFV_FLOW_PARSE_ADD, "actions=mod_vlan_pcp:1",
	  "mod_vlan_pcp:1: field 'vlan_pcp' needs a VLAN tag" },
	{ NFV_FLOW_PARSE_ADD, "vlan_vid=0,actions=mod_vlan_pcp:1",
	  "field 'vlan_pcp' needs a VLAN tag" },
	{ NFV_FLOW_PARSE_ADD, "actions=pop_vlan",
	  "pop_vlan: needs a VLAN tag (add 'dl_vlan=N' or 'vlan_vid=0x1000/0x1000')" },
	{ NFV_FLOW_PARSE_ADD, "dl_vlan=1,actions=pop_vlan,pop_vlan",
	  "pop_vlan: needs a VLAN tag" },
	{ NFV_FLOW_PARSE_ADD, "dl_vlan=1,actions=pop_vlan,mod_vlan_pcp:1",
	  "mod_vlan_pcp:1: field 'vlan_pcp' needs a VLAN tag" },
	{ NFV_FLOW_PARSE_ADD, "actions=push_vlan:0x800",
	  "push_vlan:0x800: ethertype must be 0x8100 or 0x88a8" },
	{ NFV_FLOW_PARSE_ADD, "actions=push_vlan", "push_vlan: missing ethertype" },
	{ NFV_FLOW_PARSE_ADD, "actions=dec_ttl(1)", "dec_ttl(1): unexpected argument" },
	{ NFV_FLOW_PARSE_ADD, "arp,actions=mod_nw_ttl:1",
	  "mod_nw_ttl:1: needs eth_type=0x0800 or 0x86dd" },
	{ NFV_FLOW_PARSE_ADD, "ip,actions=set_nw_ttl:256",
	  "value out of range 0..255" },
	{ NFV_FLOW_PARSE_ADD, "actions=load:1->NXM_OF_IN_PORT[]",
	  "action 'load' is not supported; use set_field" },
	{ NFV_FLOW_PARSE_ADD, "actions=set_queue:1",
	  "action 'set_queue' is not supported" },
	{ NFV_FLOW_PARSE_ADD, "actions=meter:1", "action 'meter' is not supported" },
	{ NFV_FLOW_PARSE_ADD, "actions=controller:70000",
	  "controller:70000: value out of range 0..65535" },
	{ NFV_FLOW_PARSE_ADD, "actions=controller(reason=no_match)",
	  "only controller(max_len=N) is supported" },
	{ NFV_FLOW_PARSE_ADD, "actions=controller(max_len=)", "invalid number ''" },
	{ NFV_FLOW_PARSE_ADD, "actions=group", "group: missing group id" },
	{ NFV_FLOW_PARSE_ADD, "actions=group:0xffffff01",
	  "value out of range 0..4294967040" },
	{ NFV_FLOW_PARSE_ADD, "actions=output:ANY", "port 'ANY' is not an output port" },
	/* Instructions. */
	{ NFV_FLOW_PARSE_ADD, "actions=goto_table:0",
	  "goto_table:0: must go to a later table than 0" },
	{ NFV_FLOW_PARSE_ADD, "table=3,actions=goto_table:2",
	  "goto_table:2: must go to a later table than 3" },
	{ NFV_FLOW_PARSE_ADD, "actions=goto_table:254",
	  "goto_table:254: value out of range 0..253" },
	{ NFV_FLOW_PARSE_ADD, "actions=goto_table", "goto_table: missing table" },
	{ NFV_FLOW_PARSE_ADD, "actions=goto_table:1,output:1",
	  "output:1: nothing may follow goto_table" },
	{ NFV_FLOW_PARSE_ADD, "actions=goto_table:1,write_metadata:1",
	  "nothing may follow goto_table" },
	{ NFV_FLOW_PARSE_ADD, "actions=write_actions(output:1),output:2",
	  "output:2: actions must come before write_actions" },
	{ NFV_FLOW_PARSE_ADD, "actions=clear_actions,p1",
	  "p1: actions must come before clear_actions" },
	{ NFV_FLOW_PARSE_ADD, "actions=write_actions(output:1),clear_actions",
	  "clear_actions: clear_actions must come before write_actions" },
	{ NFV_FLOW_PARSE_ADD, "actions=write_metadata:1,write_actions(output:1)",
	  "write_actions must come before write_metadata" },
	{ NFV_FLOW_PARSE_ADD, "actions=clear_actions,clear_actions",
	  "instruction 'clear_actions' given twice" },
	{ NFV_FLOW_PARSE_ADD, "actions=write_actions(1),write_actions(2)",
	  "instruction 'write_actions' given twice" },
	{ NFV_FLOW_PARSE_ADD, "actions=write_actions(output:1",
	  "unbalanced '(' in 'write_actions(output:1'" },
	{ NFV_FLOW_PARSE_ADD, "actions=write_actions(output:1)x",
	  "unexpected text after ')'" },
	{ NFV_FLOW_PARSE_ADD, "actions=write_actions:output:1",
	  "write_actions:output:1: expected write_actions(ACTIONS)" },
	{ NFV_FLOW_PARSE_ADD, "actions=write_actions(output:1,output:2)",
	  "output:2: write_actions has one action of each kind" },
	{ NFV_FLOW_PARSE_ADD,
	  "ip,actions=write_actions(mod_nw_src:1.1.1.1,mod_nw_src:1.1.1.2)",
	  "write_actions has one set_field per field" },
	{ NFV_FLOW_PARSE_ADD, "actions=write_actions(goto_table:1)",
	  "goto_table:1: instructions are not allowed in write_actions" },
	{ NFV_FLOW_PARSE_ADD, "actions=write_actions(drop)",
	  "drop: 'drop' is not allowed in write_actions" },
	{ NFV_FLOW_PARSE_ADD, "actions=write_actions(output:1,,output:2)",
	  "empty action after 'output:1'" },
	{ NFV_FLOW_PARSE_ADD, "actions=write_actions(mod_tp_src:1)",
	  "mod_tp_src:1: needs ip_proto=6, 17 or 132" },
	{ NFV_FLOW_PARSE_ADD, "actions=write_metadata", "write_metadata: missing value" },
	{ NFV_FLOW_PARSE_ADD, "actions=write_metadata:0x1/0x1ffffffffffffffff",
	  "value out of range" },
	{ NFV_FLOW_PARSE_ADD, "actions=clear_actions:1",
	  "clear_actions:1: unexpected argument" },
	{ NFV_FLOW_PARSE_ADD, "actions=drop,goto_table:1",
	  "'drop' must not be combined with other actions" },
	{ NFV_FLOW_PARSE_ADD, "actions=drop,write_actions(output:1)",
	  "'drop' must not be combined" },
};

static void
test_flow_parse_rejects_malformed(void **state)
{
	struct nfv_flow_spec spec;
	char err[NFV_FLOW_ERR_MAX];
	size_t i;
	int ret;

	(void)state;
	for (i = 0; i < NFV_ARRAY_SIZE(malformed_flows); i++) {
		const char *text = malformed_flows[i].text;

		memset(err, 'x', sizeof(err));
		ret = nfv_flow_parse(text, malformed_flows[i].mode,
				     fake_by_name, NULL, &spec, err);
		if (ret != -EINVAL)
			fail_msg("'%s': returned %d, expected -EINVAL", text,
				 ret);
		assert_non_null(memchr(err, '\0', sizeof(err)));
		if (!strstr(err, malformed_flows[i].error))
			fail_msg("'%s': error '%s' lacks '%s'", text, err,
				 malformed_flows[i].error);
	}
}

static void
test_flow_parse_error_is_one_line(void **state)
{
	char text[600], err[NFV_FLOW_ERR_MAX];
	struct nfv_flow_spec spec;

	(void)state;
	assert_int_equal(nfv_flow_parse("actions=output(1,\n2",
					NFV_FLOW_PARSE_ADD, fake_by_name, NULL,
					&spec, err), -EINVAL);
	assert_null(strchr(err, '\n'));
	assert_non_null(strstr(err, "unbalanced '('"));

	/* A long token is quoted in part and the message still fits. */
	memset(text, 'a', sizeof(text));
	memcpy(text, "in_port=", 8);
	strcpy(text + 500, ",actions=drop");
	assert_int_equal(nfv_flow_parse(text, NFV_FLOW_PARSE_ADD, fake_by_name,
					NULL, &spec, err), -EINVAL);
	assert_true(strlen(err) < NFV_FLOW_ERR_MAX);
	assert_non_null(strstr(err, "...: no such port 'aaa"));
}

static void
test_flow_format_match(void **state)
{
	struct nfv_flow_spec spec;
	char buf[NFV_FLOW_STR_MAX];
	int len;

	(void)state;
	parse_ok("table=4,cookie=9,idle_timeout=5,priority=10,in_port=vm1,"
		 "actions=drop", NFV_FLOW_PARSE_ADD, &spec);
	len = nfv_flow_format_match(&spec, fake_name_of, NULL, buf,
				    sizeof(buf));
	assert_string_equal(buf, "priority=10,in_port=vm1");
	assert_int_equal(len, strlen(buf));

	nfv_flow_format_match(&spec, NULL, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "priority=10,in_port=3");

	parse_ok("in_port=9,actions=drop", NFV_FLOW_PARSE_ADD, &spec);
	nfv_flow_format_match(&spec, fake_name_of, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "in_port=9");

	parse_ok("priority=32768,actions=drop", NFV_FLOW_PARSE_ADD, &spec);
	len = nfv_flow_format_match(&spec, fake_name_of, NULL, buf,
				    sizeof(buf));
	assert_string_equal(buf, "");
	assert_int_equal(len, 0);

	parse_ok("priority=0,actions=drop", NFV_FLOW_PARSE_ADD, &spec);
	nfv_flow_format_match(&spec, fake_name_of, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "priority=0");
}

static void
test_flow_format_actions(void **state)
{
	struct nfv_flow_spec spec;
	char buf[NFV_FLOW_STR_MAX];
	int len;

	(void)state;
	parse_ok("actions=drop", NFV_FLOW_PARSE_ADD, &spec);
	len = nfv_flow_format_actions(&spec, fake_name_of, NULL, buf,
				      sizeof(buf));
	assert_string_equal(buf, "drop");
	assert_int_equal(len, 4);

	parse_ok("actions=p2,output:3,9,in_port,flood,all",
		 NFV_FLOW_PARSE_ADD, &spec);
	nfv_flow_format_actions(&spec, fake_name_of, NULL, buf, sizeof(buf));
	assert_string_equal(buf,
			    "output:p2,output:vm1,output:9,IN_PORT,FLOOD,ALL");
	nfv_flow_format_actions(&spec, NULL, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "output:2,output:3,output:9,IN_PORT,FLOOD,ALL");
}

static void
test_flow_format_truncates_like_snprintf(void **state)
{
	struct nfv_flow_spec spec;
	char buf[8];
	int len;

	(void)state;
	parse_ok("priority=10,in_port=vm1,actions=output:p1,output:p2",
		 NFV_FLOW_PARSE_ADD, &spec);
	len = nfv_flow_format_match(&spec, fake_name_of, NULL, buf,
				    sizeof(buf));
	assert_int_equal(len, strlen("priority=10,in_port=vm1"));
	assert_string_equal(buf, "priorit");

	len = nfv_flow_format_actions(&spec, fake_name_of, NULL, buf,
				      sizeof(buf));
	assert_int_equal(len, strlen("output:p1,output:p2"));
	assert_string_equal(buf, "output:");

	len = nfv_flow_format_actions(&spec, fake_name_of, NULL, NULL, 0);
	assert_int_equal(len, strlen("output:p1,output:p2"));
}

static void
test_flow_format_round_trip(void **state)
{
	static const char *const flows[] = {
		"actions=drop",
		"priority=10,in_port=vm1,actions=output:p2,output:3",
		"in_port=0xffffff00,actions=in_port,FLOOD,all",
		"priority=0,in_port=p1,actions=p2",
		"priority=65535,actions=output:4294967040",
		"priority=32768,in_port=7,actions=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16",
	};
	struct nfv_flow_spec a, b;
	char match[NFV_FLOW_STR_MAX], actions[NFV_FLOW_STR_MAX];
	char text[2 * NFV_FLOW_STR_MAX + 16];
	size_t i;

	(void)state;
	for (i = 0; i < NFV_ARRAY_SIZE(flows); i++) {
		parse_ok(flows[i], NFV_FLOW_PARSE_ADD, &a);
		nfv_flow_format_match(&a, fake_name_of, NULL, match,
				      sizeof(match));
		nfv_flow_format_actions(&a, fake_name_of, NULL, actions,
					sizeof(actions));
		snprintf(text, sizeof(text), "%s%sactions=%s", match,
			 match[0] ? "," : "", actions);
		parse_ok(text, NFV_FLOW_PARSE_ADD, &b);
		if (!nfv_flow_same_match(&a, &b))
			fail_msg("'%s' came back as '%s'", flows[i], text);
		assert_int_equal(a.n_actions, b.n_actions);
		assert_memory_equal(a.actions, b.actions,
				    a.n_actions * sizeof(a.actions[0]));
	}
}

/* Parses a rule in add mode and a filter in match mode. */
static void
parse_rule_and_filter(const char *rule_text, const char *filter_text,
		      struct nfv_flow_spec *rule, struct nfv_flow_spec *filter)
{
	parse_ok(rule_text, NFV_FLOW_PARSE_ADD, rule);
	parse_ok(filter_text, NFV_FLOW_PARSE_MATCH, filter);
}

static bool
selects(const char *filter_text, const char *rule_text)
{
	struct nfv_flow_spec rule, filter;

	parse_rule_and_filter(rule_text, filter_text, &rule, &filter);
	return nfv_flow_filter_selects(&filter, &rule);
}

static void
test_flow_filter_empty_selects_all(void **state)
{
	(void)state;
	assert_true(selects("", "actions=drop"));
	assert_true(selects("", "table=7,priority=1,in_port=2,cookie=5,"
			    "actions=1"));
	assert_true(selects("priority=9,idle_timeout=3", "in_port=1,"
			    "actions=drop"));
}

static void
test_flow_filter_in_port_selects_matching_rules(void **state)
{
	(void)state;
	assert_true(selects("in_port=p1", "in_port=1,actions=drop"));
	assert_true(selects("in_port=p1", "priority=3,in_port=p1,actions=2"));
	assert_false(selects("in_port=p1", "in_port=2,actions=drop"));
	/* A rule that matches any port is less specific than the filter. */
	assert_false(selects("in_port=p1", "actions=drop"));
}

static void
test_flow_filter_table(void **state)
{
	(void)state;
	assert_true(selects("table=3", "table=3,in_port=1,actions=drop"));
	assert_false(selects("table=3", "table=4,in_port=1,actions=drop"));
	assert_false(selects("table=0", "table=4,actions=drop"));
	assert_true(selects("table=0", "actions=drop"));
	assert_true(selects("in_port=1", "table=200,in_port=1,actions=drop"));
}

static void
test_flow_filter_cookie_mask(void **state)
{
	(void)state;
	assert_true(selects("cookie=0x12", "cookie=0x12,actions=drop"));
	assert_false(selects("cookie=0x12", "cookie=0x13,actions=drop"));
	assert_true(selects("cookie=0x10/0xf0", "cookie=0x1f,actions=drop"));
	assert_false(selects("cookie=0x10/0xf0", "cookie=0x2f,actions=drop"));
	assert_true(selects("cookie=0/0", "cookie=0xabc,actions=drop"));
	assert_true(selects("", "cookie=0xabc,actions=drop"));
}

static void
test_flow_same_match(void **state)
{
	struct nfv_flow_spec a, b;

	(void)state;
	parse_ok("priority=5,in_port=1,cookie=1,actions=drop",
		 NFV_FLOW_PARSE_ADD, &a);
	parse_ok("in_port=p1,priority=5,idle_timeout=9,actions=output:2",
		 NFV_FLOW_PARSE_ADD, &b);
	assert_true(nfv_flow_same_match(&a, &b));

	parse_ok("priority=6,in_port=1,actions=drop", NFV_FLOW_PARSE_ADD, &b);
	assert_false(nfv_flow_same_match(&a, &b));
	parse_ok("priority=5,in_port=2,actions=drop", NFV_FLOW_PARSE_ADD, &b);
	assert_false(nfv_flow_same_match(&a, &b));
	parse_ok("priority=5,actions=drop", NFV_FLOW_PARSE_ADD, &b);
	assert_false(nfv_flow_same_match(&a, &b));
	parse_ok("table=1,priority=5,in_port=1,actions=drop",
		 NFV_FLOW_PARSE_ADD, &b);
	assert_false(nfv_flow_same_match(&a, &b));
}

/* Decodes the hex string 'hex' ("0a000001") into 'out'; returns bytes. */
static size_t
hex_bytes(const char *hex, uint8_t *out, size_t size)
{
	size_t n = 0;

	while (hex[0] && hex[1] && n < size) {
		unsigned int b;

		assert_int_equal(sscanf(hex, "%2x", &b), 1);
		out[n++] = b;
		hex += 2;
	}
	assert_int_equal(hex[0], '\0');
	return n;
}

/* A field that a test expects in a match: its value and mask as hex bytes
 * in the layout of union nfv_field_value (mask NULL: exact). */
struct field_expect {
	enum nfv_field_id id;
	const char *value;      /* NULL ends a list */
	const char *mask;
};

#define FIELD_EXPECT_MAX 5

/* What shorthands add to an expected match. */
#define EXP_IP { NFV_F_ETH_TYPE, "0800", NULL }
#define EXP_IPV6 { NFV_F_ETH_TYPE, "86dd", NULL }
#define EXP_ARP { NFV_F_ETH_TYPE, "0806", NULL }
#define EXP_TCP { NFV_F_IP_PROTO, "06", NULL }
#define EXP_UDP { NFV_F_IP_PROTO, "11", NULL }

static void
build_match(struct nfv_match *m, const struct field_expect *fe)
{
	memset(m, 0, sizeof(*m));
	for (unsigned int i = 0; i < FIELD_EXPECT_MAX && fe[i].value; i++) {
		const struct nfv_field *f = &nfv_fields[fe[i].id];
		union nfv_field_value v, mask;

		memset(&v, 0, sizeof(v));
		memset(&mask, 0, sizeof(mask));
		assert_int_equal(hex_bytes(fe[i].value, v.u8, sizeof(v.u8)),
				 nfv_field_value_len(f));
		if (fe[i].mask)
			assert_int_equal(hex_bytes(fe[i].mask, mask.u8,
						   sizeof(mask.u8)),
					 nfv_field_value_len(f));
		nfv_match_set(m, f, &v, fe[i].mask ? &mask : NULL);
	}
}

/* Each match (with ",actions=drop" added) and the fields it must set,
 * nothing else. Together they cover every field of the table. */
static const struct {
	const char *match;
	struct field_expect f[FIELD_EXPECT_MAX];
} field_cases[] = {
	/* in_port, metadata. */
	{ "in_port=p2", { { NFV_F_IN_PORT, "00000002", NULL } } },
	{ "in_port=0x10", { { NFV_F_IN_PORT, "00000010", NULL } } },
	{ "metadata=0x1234", { { NFV_F_METADATA, "0000000000001234", NULL } } },
	{ "metadata=0x10/0xf0",
	  { { NFV_F_METADATA, "0000000000000010", "00000000000000f0" } } },
	{ "metadata=18446744073709551615",
	  { { NFV_F_METADATA, "ffffffffffffffff", NULL } } },
	/* Ethernet. */
	{ "dl_dst=00:11:22:33:44:55",
	  { { NFV_F_ETH_DST, "001122334455", NULL } } },
	{ "eth_dst=01:00:00:00:00:00/01:00:00:00:00:00",
	  { { NFV_F_ETH_DST, "010000000000", "010000000000" } } },
	{ "dl_src=AA:bb:Cc:dd:ee:ff",
	  { { NFV_F_ETH_SRC, "aabbccddeeff", NULL } } },
	{ "eth_src=a:b:c:d:e:f", { { NFV_F_ETH_SRC, "0a0b0c0d0e0f", NULL } } },
	{ "dl_src=00:11:22:33:44:55/ff:ff:ff:00:00:00",
	  { { NFV_F_ETH_SRC, "001122000000", "ffffff000000" } } },
	{ "dl_type=0x88cc", { { NFV_F_ETH_TYPE, "88cc", NULL } } },
	{ "eth_type=2054", { EXP_ARP } },
	/* VLAN: vlan_vid raw (OXM), dl_vlan as ovs-ofctl. */
	{ "vlan_vid=0x1005", { { NFV_F_VLAN_VID, "1005", NULL } } },
	{ "vlan_vid=4101", { { NFV_F_VLAN_VID, "1005", NULL } } },
	{ "vlan_vid=0", { { NFV_F_VLAN_VID, "0000", NULL } } },
	{ "vlan_vid=0x1000/0x1000", { { NFV_F_VLAN_VID, "1000", "1000" } } },
	{ "dl_vlan=5", { { NFV_F_VLAN_VID, "1005", NULL } } },
	{ "dl_vlan=0", { { NFV_F_VLAN_VID, "1000", NULL } } },
	{ "dl_vlan=4095", { { NFV_F_VLAN_VID, "1fff", NULL } } },
	{ "dl_vlan=0xffff", { { NFV_F_VLAN_VID, "0000", NULL } } },
	{ "dl_vlan=5,vlan_pcp=3",
	  { { NFV_F_VLAN_VID, "1005", NULL },
	    { NFV_F_VLAN_PCP, "03", NULL } } },
	{ "vlan_vid=0x1000/0x1000,dl_vlan_pcp=7",
	  { { NFV_F_VLAN_VID, "1000", "1000" },
	    { NFV_F_VLAN_PCP, "07", NULL } } },
	/* Shorthands. */
	{ "ip", { EXP_IP } },
	{ "ipv6", { EXP_IPV6 } },
	{ "arp", { EXP_ARP } },
	{ "rarp", { { NFV_F_ETH_TYPE, "8035", NULL } } },
	{ "icmp", { EXP_IP, { NFV_F_IP_PROTO, "01", NULL } } },
	{ "tcp", { EXP_IP, EXP_TCP } },
	{ "udp", { EXP_IP, EXP_UDP } },
	{ "sctp", { EXP_IP, { NFV_F_IP_PROTO, "84", NULL } } },
	{ "icmp6", { EXP_IPV6, { NFV_F_IP_PROTO, "3a", NULL } } },
	{ "tcp6", { EXP_IPV6, EXP_TCP } },
	{ "udp6", { EXP_IPV6, EXP_UDP } },
	{ "sctp6", { EXP_IPV6, { NFV_F_IP_PROTO, "84", NULL } } },
	/* Shorthands that agree with each other or with a field. */
	{ "ip,tcp", { EXP_IP, EXP_TCP } },
	{ "tcp,tcp", { EXP_IP, EXP_TCP } },
	{ "tcp,nw_proto=6", { EXP_IP, EXP_TCP } },
	{ "dl_type=0x0800,nw_proto=17,udp", { EXP_IP, EXP_UDP } },
	/* IP. */
	{ "ip,ip_proto=47", { EXP_IP, { NFV_F_IP_PROTO, "2f", NULL } } },
	{ "ipv6,nw_proto=0", { EXP_IPV6, { NFV_F_IP_PROTO, "00", NULL } } },
	{ "ip,ip_dscp=46", { EXP_IP, { NFV_F_IP_DSCP, "2e", NULL } } },
	{ "ip,nw_tos=184", { EXP_IP, { NFV_F_IP_DSCP, "2e", NULL } } },
	{ "ipv6,ip_ecn=3", { EXP_IPV6, { NFV_F_IP_ECN, "03", NULL } } },
	{ "ip,nw_tos=4,nw_ecn=1",
	  { EXP_IP, { NFV_F_IP_DSCP, "01", NULL },
	    { NFV_F_IP_ECN, "01", NULL } } },
	{ "ip,nw_ttl=64", { EXP_IP, { NFV_F_IP_TTL, "40", NULL } } },
	{ "ipv6,ip_ttl=1", { EXP_IPV6, { NFV_F_IP_TTL, "01", NULL } } },
	{ "ip,ip_frag=no", { EXP_IP, { NFV_F_IP_FRAG, "00", "03" } } },
	{ "ip,ip_frag=yes", { EXP_IP, { NFV_F_IP_FRAG, "01", "01" } } },
	{ "ip,ip_frag=first", { EXP_IP, { NFV_F_IP_FRAG, "01", "03" } } },
	{ "ipv6,ip_frag=later", { EXP_IPV6, { NFV_F_IP_FRAG, "03", "03" } } },
	{ "ip,nw_frag=not_later", { EXP_IP, { NFV_F_IP_FRAG, "00", "02" } } },
	{ "ip,ip_frag=0x2/0x2", { EXP_IP, { NFV_F_IP_FRAG, "02", "02" } } },
	/* IPv4 addresses, masks and prefixes. */
	{ "ip,nw_src=10.0.0.1",
	  { EXP_IP, { NFV_F_IPV4_SRC, "0a000001", NULL } } },
	{ "ip,nw_src=10.1.2.3/8",
	  { EXP_IP, { NFV_F_IPV4_SRC, "0a000000", "ff000000" } } },
	{ "ip,ipv4_src=10.0.0.0/24",
	  { EXP_IP, { NFV_F_IPV4_SRC, "0a000000", "ffffff00" } } },
	{ "ip,nw_dst=192.168.1.2/255.255.0.255",
	  { EXP_IP, { NFV_F_IPV4_DST, "c0a80002", "ffff00ff" } } },
	{ "ip,ip_dst=192.168.1.2/32",
	  { EXP_IP, { NFV_F_IPV4_DST, "c0a80102", NULL } } },
	{ "ip,ip_src=1.2.3.4",
	  { EXP_IP, { NFV_F_IPV4_SRC, "01020304", NULL } } },
	{ "ip,nw_dst=10.0.0.0/0", { EXP_IP } },
	/* L4 ports: by name, and tp_src/tp_dst by ip_proto. */
	{ "tcp,tcp_src=80",
	  { EXP_IP, EXP_TCP, { NFV_F_TCP_SRC, "0050", NULL } } },
	{ "tcp,tcp_dst=0x1000/0xf000",
	  { EXP_IP, EXP_TCP, { NFV_F_TCP_DST, "1000", "f000" } } },
	{ "tp_dst=443,tcp",
	  { EXP_IP, EXP_TCP, { NFV_F_TCP_DST, "01bb", NULL } } },
	{ "tcp6,tp_src=22",
	  { EXP_IPV6, EXP_TCP, { NFV_F_TCP_SRC, "0016", NULL } } },
	{ "udp,udp_src=68,udp_dst=67",
	  { EXP_IP, EXP_UDP, { NFV_F_UDP_SRC, "0044", NULL },
	    { NFV_F_UDP_DST, "0043", NULL } } },
	{ "udp6,tp_src=546,tp_dst=547",
	  { EXP_IPV6, EXP_UDP, { NFV_F_UDP_SRC, "0222", NULL },
	    { NFV_F_UDP_DST, "0223", NULL } } },
	{ "sctp,sctp_src=1,sctp_dst=2",
	  { EXP_IP, { NFV_F_IP_PROTO, "84", NULL },
	    { NFV_F_SCTP_SRC, "0001", NULL },
	    { NFV_F_SCTP_DST, "0002", NULL } } },
	{ "sctp6,tp_dst=9/0xff",
	  { EXP_IPV6, { NFV_F_IP_PROTO, "84", NULL },
	    { NFV_F_SCTP_DST, "0009", "00ff" } } },
	{ "ip,nw_proto=6,tp_src=1",
	  { EXP_IP, EXP_TCP, { NFV_F_TCP_SRC, "0001", NULL } } },
	{ "tcp,tcp_flags=0x012",
	  { EXP_IP, EXP_TCP, { NFV_F_TCP_FLAGS, "0012", NULL } } },
	{ "tcp,tcp_flags=+syn-ack",
	  { EXP_IP, EXP_TCP, { NFV_F_TCP_FLAGS, "0002", "0012" } } },
	{ "tcp,tcp_flags=-fin-rst+ns",
	  { EXP_IP, EXP_TCP, { NFV_F_TCP_FLAGS, "0100", "0105" } } },
	{ "tcp,tcp_flags=syn|ack",
	  { EXP_IP, EXP_TCP, { NFV_F_TCP_FLAGS, "0012", "0fff" } } },
	{ "tcp6,tcp_flags=0x800/0x800",
	  { EXP_IPV6, EXP_TCP, { NFV_F_TCP_FLAGS, "0800", "0800" } } },
	/* ICMP: icmp_type/icmp_code follow the IP version. */
	{ "icmp,icmp_type=8,icmp_code=0",
	  { EXP_IP, { NFV_F_IP_PROTO, "01", NULL },
	    { NFV_F_ICMPV4_TYPE, "08", NULL },
	    { NFV_F_ICMPV4_CODE, "00", NULL } } },
	{ "icmp,icmpv4_type=3,icmpv4_code=1",
	  { EXP_IP, { NFV_F_IP_PROTO, "01", NULL },
	    { NFV_F_ICMPV4_TYPE, "03", NULL },
	    { NFV_F_ICMPV4_CODE, "01", NULL } } },
	{ "icmp6,icmp_type=128,icmp_code=0",
	  { EXP_IPV6, { NFV_F_IP_PROTO, "3a", NULL },
	    { NFV_F_ICMPV6_TYPE, "80", NULL },
	    { NFV_F_ICMPV6_CODE, "00", NULL } } },
	{ "icmp6,icmpv6_type=1,icmpv6_code=4",
	  { EXP_IPV6, { NFV_F_IP_PROTO, "3a", NULL },
	    { NFV_F_ICMPV6_TYPE, "01", NULL },
	    { NFV_F_ICMPV6_CODE, "04", NULL } } },
	/* ARP. */
	{ "arp,arp_op=1,arp_spa=10.0.0.1,arp_tpa=10.0.0.0/24",
	  { EXP_ARP, { NFV_F_ARP_OP, "0001", NULL },
	    { NFV_F_ARP_SPA, "0a000001", NULL },
	    { NFV_F_ARP_TPA, "0a000000", "ffffff00" } } },
	{ "arp,arp_sha=00:11:22:33:44:55,"
	  "arp_tha=00:11:22:33:44:55/ff:ff:ff:00:00:00",
	  { EXP_ARP, { NFV_F_ARP_SHA, "001122334455", NULL },
	    { NFV_F_ARP_THA, "001122000000", "ffffff000000" } } },
	/* IPv6. */
	{ "ipv6,ipv6_src=fe80::1",
	  { EXP_IPV6,
	    { NFV_F_IPV6_SRC, "fe800000000000000000000000000001", NULL } } },
	{ "ipv6,ipv6_dst=fe80::/10",
	  { EXP_IPV6,
	    { NFV_F_IPV6_DST, "fe800000000000000000000000000000",
	      "ffc00000000000000000000000000000" } } },
	{ "ipv6,ipv6_src=2001:db8::1/ffff:ffff::ffff",
	  { EXP_IPV6,
	    { NFV_F_IPV6_SRC, "20010db8000000000000000000000001",
	      "ffffffff00000000000000000000ffff" } } },
	{ "ipv6,ipv6_dst=::ffff:10.0.0.1",
	  { EXP_IPV6,
	    { NFV_F_IPV6_DST, "00000000000000000000ffff0a000001", NULL } } },
	{ "ipv6,ipv6_label=0x12345",
	  { EXP_IPV6, { NFV_F_IPV6_FLABEL, "012345", NULL } } },
	{ "ipv6,ipv6_label=1/0xf",
	  { EXP_IPV6, { NFV_F_IPV6_FLABEL, "000001", "00000f" } } },
	{ "ipv6,ipv6_exthdr=0x40/0x1c0",
	  { EXP_IPV6, { NFV_F_IPV6_EXTHDR, "0040", "01c0" } } },
	{ "ipv6,ipv6_exthdr=1",
	  { EXP_IPV6, { NFV_F_IPV6_EXTHDR, "0001", NULL } } },
	/* Neighbour discovery. */
	{ "icmp6,icmp_type=135,nd_target=fe80::2,nd_sll=00:11:22:33:44:55",
	  { EXP_IPV6, { NFV_F_IP_PROTO, "3a", NULL },
	    { NFV_F_ICMPV6_TYPE, "87", NULL },
	    { NFV_F_IPV6_ND_TARGET, "fe800000000000000000000000000002", NULL },
	    { NFV_F_IPV6_ND_SLL, "001122334455", NULL } } },
	{ "icmp6,icmp_type=136,nd_target=fe80::/64,nd_tll=0:0:0:0:0:1",
	  { EXP_IPV6, { NFV_F_IP_PROTO, "3a", NULL },
	    { NFV_F_ICMPV6_TYPE, "88", NULL },
	    { NFV_F_IPV6_ND_TARGET, "fe800000000000000000000000000000",
	      "ffffffffffffffff0000000000000000" },
	    { NFV_F_IPV6_ND_TLL, "000000000001", NULL } } },
};

static void
test_flow_parse_every_match_field(void **state)
{
	struct nfv_flow_spec spec;
	struct nfv_match want;
	char text[512];
	size_t i;

	(void)state;
	for (i = 0; i < NFV_ARRAY_SIZE(field_cases); i++) {
		build_match(&want, field_cases[i].f);
		snprintf(text, sizeof(text), "%s,actions=drop",
			 field_cases[i].match);
		parse_ok(text, NFV_FLOW_PARSE_ADD, &spec);
		if (memcmp(&spec.match, &want, sizeof(want)))
			fail_msg("'%s': match differs", text);
		assert_true(nfv_match_prereqs_ok(&spec.match, NULL));
		/* The same match as a del-flows / dump-flows filter. */
		parse_ok(field_cases[i].match, NFV_FLOW_PARSE_MATCH, &spec);
		if (memcmp(&spec.match, &want, sizeof(want)))
			fail_msg("'%s' (filter): match differs",
				 field_cases[i].match);
	}
}

static void
test_flow_field_cases_cover_every_field(void **state)
{
	bool seen[NFV_F_N] = { false };
	size_t i;

	(void)state;
	for (i = 0; i < NFV_ARRAY_SIZE(field_cases); i++)
		for (unsigned int j = 0; j < FIELD_EXPECT_MAX &&
					 field_cases[i].f[j].value; j++)
			seen[field_cases[i].f[j].id] = true;
	for (i = 0; i < NFV_F_N; i++)
		if (!seen[i])
			fail_msg("no test case for field '%s'",
				 nfv_fields[i].name);
}

/* The prerequisite check sees fields that share storage by their bits:
 * "tcp_src=80" also sets the bits of udp_src and icmp_type. */
static void
test_flow_prereqs_with_shared_storage(void **state)
{
	const struct nfv_field *bad = NULL;
	struct nfv_flow_spec spec;
	union nfv_field_value v;

	(void)state;
	parse_ok("tcp,tcp_src=80,tcp_dst=0x50/0xff,actions=drop",
		 NFV_FLOW_PARSE_ADD, &spec);
	assert_true(nfv_match_prereqs_ok(&spec.match, &bad));
	assert_true(nfv_match_prereq_ok(&spec.match, NFV_PRQ_TCP));
	assert_false(nfv_match_prereq_ok(&spec.match, NFV_PRQ_UDP));
	parse_ok("icmp,icmp_type=8,actions=drop", NFV_FLOW_PARSE_ADD, &spec);
	assert_true(nfv_match_prereqs_ok(&spec.match, NULL));
	parse_ok("arp,arp_spa=10.0.0.1,arp_sha=0:0:0:0:0:1,actions=drop",
		 NFV_FLOW_PARSE_ADD, &spec);
	assert_true(nfv_match_prereqs_ok(&spec.match, NULL));
	parse_ok("icmp6,icmp_type=135,nd_sll=0:0:0:0:0:1,actions=drop",
		 NFV_FLOW_PARSE_ADD, &spec);
	assert_true(nfv_match_prereqs_ok(&spec.match, NULL));

	/* The port without ip_proto: no field that owns the bits is valid. */
	parse_ok("ip,actions=drop", NFV_FLOW_PARSE_ADD, &spec);
	memset(&v, 0, sizeof(v));
	v.u8[1] = 80;
	nfv_match_set(&spec.match, &nfv_fields[NFV_F_UDP_SRC], &v, NULL);
	assert_false(nfv_match_prereqs_ok(&spec.match, &bad));
	assert_ptr_equal(bad, &nfv_fields[NFV_F_TCP_SRC]);

	/* ICMP bits in a TCP match would be the port's low byte: fine. */
	parse_ok("tcp,actions=drop", NFV_FLOW_PARSE_ADD, &spec);
	nfv_match_set(&spec.match, &nfv_fields[NFV_F_ICMPV4_TYPE], &v, NULL);
	assert_true(nfv_match_prereqs_ok(&spec.match, NULL));
}

static void
test_flow_parse_defaults_of_new_fields(void **state)
{
	struct nfv_flow_spec spec, init;

	(void)state;
	parse_ok("actions=drop", NFV_FLOW_PARSE_ADD, &spec);
	assert_int_equal(spec.flags, 0);
	assert_int_equal(spec.out_port, NFV_OFPP_ANY);
	assert_int_equal(spec.out_group, NFV_OFPG_ANY);
	assert_false(spec.has_write_actions);
	assert_false(spec.clear_actions);
	assert_false(spec.has_write_metadata);
	assert_false(spec.has_goto);
	assert_int_equal(spec.n_write_actions, 0);

	parse_ok("", NFV_FLOW_PARSE_MATCH, &spec);
	nfv_flow_spec_init(&init);
	assert_memory_equal(&spec, &init, sizeof(spec));
	assert_int_equal(init.priority, NFV_FLOW_DEFAULT_PRIORITY);
}

static void
test_flow_parse_flags(void **state)
{
	struct nfv_flow_spec spec;

	(void)state;
	parse_ok("flags=send_flow_rem|check_overlap,actions=drop",
		 NFV_FLOW_PARSE_ADD, &spec);
	assert_int_equal(spec.flags,
			 NFV_FF_SEND_FLOW_REM | NFV_FF_CHECK_OVERLAP);
	parse_ok("flags=reset_counts|no_packet_counts|no_byte_counts,"
		 "actions=drop", NFV_FLOW_PARSE_ADD, &spec);
	assert_int_equal(spec.flags, NFV_FF_RESET_COUNTS |
				     NFV_FF_NO_PKT_COUNTS |
				     NFV_FF_NO_BYT_COUNTS);
	parse_ok("send_flow_rem,priority=3,check_overlap reset_counts,"
		 "actions=drop", NFV_FLOW_PARSE_ADD, &spec);
	assert_int_equal(spec.flags, NFV_FF_SEND_FLOW_REM |
				     NFV_FF_CHECK_OVERLAP |
				     NFV_FF_RESET_COUNTS);
	assert_int_equal(spec.priority, 3);
	parse_ok("no_packet_counts,flags=no_byte_counts,actions=drop",
		 NFV_FLOW_PARSE_ADD, &spec);
	assert_int_equal(spec.flags,
			 NFV_FF_NO_PKT_COUNTS | NFV_FF_NO_BYT_COUNTS);
}

static void
test_flow_format_flags(void **state)
{
	struct nfv_flow_spec spec;
	char buf[128];
	int len;

	(void)state;
	parse_ok("actions=drop", NFV_FLOW_PARSE_ADD, &spec);
	assert_int_equal(nfv_flow_format_flags(&spec, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	parse_ok("check_overlap,send_flow_rem,no_byte_counts,actions=drop",
		 NFV_FLOW_PARSE_ADD, &spec);
	len = nfv_flow_format_flags(&spec, buf, sizeof(buf));
	assert_string_equal(buf, "send_flow_rem,check_overlap,no_byte_counts");
	assert_int_equal(len, strlen(buf));
	len = nfv_flow_format_flags(&spec, buf, 5);
	assert_string_equal(buf, "send");
	assert_int_equal(len, strlen("send_flow_rem,check_overlap,"
				     "no_byte_counts"));
}

static void
test_flow_parse_filter_out_port_and_group(void **state)
{
	struct nfv_flow_spec spec;

	(void)state;
	parse_ok("out_port=p2", NFV_FLOW_PARSE_MATCH, &spec);
	assert_int_equal(spec.out_port, 2);
	assert_int_equal(spec.out_group, NFV_OFPG_ANY);
	parse_ok("out_port=CONTROLLER,out_group=7", NFV_FLOW_PARSE_MATCH,
		 &spec);
	assert_int_equal(spec.out_port, NFV_OFPP_CONTROLLER);
	assert_int_equal(spec.out_group, 7);
	parse_ok("out_port=any,out_group=ANY", NFV_FLOW_PARSE_MATCH, &spec);
	assert_int_equal(spec.out_port, NFV_OFPP_ANY);
	assert_int_equal(spec.out_group, NFV_OFPG_ANY);
	parse_ok("out_port=in_port,out_group=0", NFV_FLOW_PARSE_MATCH, &spec);
	assert_int_equal(spec.out_port, NFV_OFPP_IN_PORT);
	assert_int_equal(spec.out_group, 0);
}

/* An action that a test expects. 'arg' is the port, group id, TTL or
 * ethertype; 'value' the set_field value as hex bytes. */
struct action_expect {
	enum nfv_action_type type;
	uint32_t arg;
	uint16_t max_len;
	enum nfv_field_id field;
	const char *value;
};

static const struct {
	const char *flow;
	unsigned int n;
	struct action_expect a[4];
} action_cases[] = {
	{ "actions=output:p1,p2,7", 3,
	  { { NFV_ACT_OUTPUT, 1, 0, 0, NULL },
	    { NFV_ACT_OUTPUT, 2, 0, 0, NULL },
	    { NFV_ACT_OUTPUT, 7, 0, 0, NULL } } },
	{ "actions=in_port,flood,all,normal", 4,
	  { { NFV_ACT_OUTPUT, NFV_OFPP_IN_PORT, 0, 0, NULL },
	    { NFV_ACT_OUTPUT, NFV_OFPP_FLOOD, 0, 0, NULL },
	    { NFV_ACT_OUTPUT, NFV_OFPP_ALL, 0, 0, NULL },
	    { NFV_ACT_OUTPUT, NFV_OFPP_NORMAL, 0, 0, NULL } } },
	{ "actions=LOCAL,output:local,output:NORMAL", 3,
	  { { NFV_ACT_OUTPUT, NFV_OFPP_LOCAL, 0, 0, NULL },
	    { NFV_ACT_OUTPUT, NFV_OFPP_LOCAL, 0, 0, NULL },
	    { NFV_ACT_OUTPUT, NFV_OFPP_NORMAL, 0, 0, NULL } } },
	{ "actions=controller,controller:128,controller(max_len=0)", 3,
	  { { NFV_ACT_OUTPUT, NFV_OFPP_CONTROLLER, 65535, 0, NULL },
	    { NFV_ACT_OUTPUT, NFV_OFPP_CONTROLLER, 128, 0, NULL },
	    { NFV_ACT_OUTPUT, NFV_OFPP_CONTROLLER, 0, 0, NULL } } },
	{ "actions=CONTROLLER:65535,output:controller,controller()", 3,
	  { { NFV_ACT_OUTPUT, NFV_OFPP_CONTROLLER, 65535, 0, NULL },
	    { NFV_ACT_OUTPUT, NFV_OFPP_CONTROLLER, 65535, 0, NULL },
	    { NFV_ACT_OUTPUT, NFV_OFPP_CONTROLLER, 65535, 0, NULL } } },
	{ "actions=group:0,group:4294967040", 2,
	  { { NFV_ACT_GROUP, 0, 0, 0, NULL },
	    { NFV_ACT_GROUP, NFV_OFPG_MAX, 0, 0, NULL } } },
	{ "actions=mod_dl_src:00:11:22:33:44:55,mod_dl_dst:a:b:c:d:e:f", 2,
	  { { NFV_ACT_SET_FIELD, 0, 0, NFV_F_ETH_SRC, "001122334455" },
	    { NFV_ACT_SET_FIELD, 0, 0, NFV_F_ETH_DST, "0a0b0c0d0e0f" } } },
	{ "ip,actions=mod_nw_src:10.0.0.1,mod_nw_dst:10.0.0.2", 2,
	  { { NFV_ACT_SET_FIELD, 0, 0, NFV_F_IPV4_SRC, "0a000001" },
	    { NFV_ACT_SET_FIELD, 0, 0, NFV_F_IPV4_DST, "0a000002" } } },
	{ "ipv6,actions=mod_nw_tos:184,mod_nw_ecn:3", 2,
	  { { NFV_ACT_SET_FIELD, 0, 0, NFV_F_IP_DSCP, "2e" },
	    { NFV_ACT_SET_FIELD, 0, 0, NFV_F_IP_ECN, "03" } } },
	{ "tcp,actions=mod_tp_src:1000,mod_tp_dst:80", 2,
	  { { NFV_ACT_SET_FIELD, 0, 0, NFV_F_TCP_SRC, "03e8" },
	    { NFV_ACT_SET_FIELD, 0, 0, NFV_F_TCP_DST, "0050" } } },
	{ "udp6,actions=mod_tp_src:1,mod_tp_dst:2", 2,
	  { { NFV_ACT_SET_FIELD, 0, 0, NFV_F_UDP_SRC, "0001" },
	    { NFV_ACT_SET_FIELD, 0, 0, NFV_F_UDP_DST, "0002" } } },
	{ "sctp,actions=mod_tp_dst:9", 1,
	  { { NFV_ACT_SET_FIELD, 0, 0, NFV_F_SCTP_DST, "0009" } } },
	{ "dl_vlan=1,actions=mod_vlan_vid:10,mod_vlan_pcp:7", 2,
	  { { NFV_ACT_SET_FIELD, 0, 0, NFV_F_VLAN_VID, "100a" },
	    { NFV_ACT_SET_FIELD, 0, 0, NFV_F_VLAN_PCP, "07" } } },
	{ "actions=mod_vlan_vid:0,set_field:0x1fff->vlan_vid", 2,
	  { { NFV_ACT_SET_FIELD, 0, 0, NFV_F_VLAN_VID, "1000" },
	    { NFV_ACT_SET_FIELD, 0, 0, NFV_F_VLAN_VID, "1fff" } } },
	{ "actions=push_vlan:0x8100,mod_vlan_pcp:1,push_vlan:0x88a8", 3,
	  { { NFV_ACT_PUSH_VLAN, 0x8100, 0, 0, NULL },
	    { NFV_ACT_SET_FIELD, 0, 0, NFV_F_VLAN_PCP, "01" },
	    { NFV_ACT_PUSH_VLAN, 0x88a8, 0, 0, NULL } } },
	{ "vlan_vid=0x1000/0x1000,actions=strip_vlan,push_vlan:0x8100,"
	  "pop_vlan", 3,
	  { { NFV_ACT_POP_VLAN, 0, 0, 0, NULL },
	    { NFV_ACT_PUSH_VLAN, 0x8100, 0, 0, NULL },
	    { NFV_ACT_POP_VLAN, 0, 0, 0, NULL } } },
	{ "ip,actions=dec_ttl,mod_nw_ttl:9,set_nw_ttl:255", 3,
	  { { NFV_ACT_DEC_NW_TTL, 0, 0, 0, NULL },
	    { NFV_ACT_SET_NW_TTL, 9, 0, 0, NULL },
	    { NFV_ACT_SET_NW_TTL, 255, 0, 0, NULL } } },
	{ "ip,actions=set_field:46->ip_dscp,set_field:1.2.3.4->nw_dst", 2,
	  { { NFV_ACT_SET_FIELD, 0, 0, NFV_F_IP_DSCP, "2e" },
	    { NFV_ACT_SET_FIELD, 0, 0, NFV_F_IPV4_DST, "01020304" } } },
	{ "ipv6,actions=set_field:fe80::1->ipv6_src,"
	  "set_field:0x12345->ipv6_label", 2,
	  { { NFV_ACT_SET_FIELD, 0, 0, NFV_F_IPV6_SRC,
	      "fe800000000000000000000000000001" },
	    { NFV_ACT_SET_FIELD, 0, 0, NFV_F_IPV6_FLABEL, "012345" } } },
	{ "arp,actions=set_field:2->arp_op,set_field:10.0.0.1->arp_spa,"
	  "set_field:0:0:0:0:0:1->arp_tha", 3,
	  { { NFV_ACT_SET_FIELD, 0, 0, NFV_F_ARP_OP, "0002" },
	    { NFV_ACT_SET_FIELD, 0, 0, NFV_F_ARP_SPA, "0a000001" },
	    { NFV_ACT_SET_FIELD, 0, 0, NFV_F_ARP_THA, "000000000001" } } },
	{ "icmp,actions=set_field:0->icmp_type,set_field:3->icmpv4_code", 2,
	  { { NFV_ACT_SET_FIELD, 0, 0, NFV_F_ICMPV4_TYPE, "00" },
	    { NFV_ACT_SET_FIELD, 0, 0, NFV_F_ICMPV4_CODE, "03" } } },
	{ "icmp6,icmp_type=136,actions=set_field:fe80::9->nd_target,"
	  "set_field:0:0:0:0:0:9->nd_tll,set_field:1->icmpv6_code", 3,
	  { { NFV_ACT_SET_FIELD, 0, 0, NFV_F_IPV6_ND_TARGET,
	      "fe800000000000000000000000000009" },
	    { NFV_ACT_SET_FIELD, 0, 0, NFV_F_IPV6_ND_TLL, "000000000009" },
	    { NFV_ACT_SET_FIELD, 0, 0, NFV_F_ICMPV6_CODE, "01" } } },
	{ "actions=set_field:00:11:22:33:44:55->eth_dst", 1,
	  { { NFV_ACT_SET_FIELD, 0, 0, NFV_F_ETH_DST, "001122334455" } } },
	{ "tcp,actions=SET_FIELD:7->tcp_dst,Output:p1", 2,
	  { { NFV_ACT_SET_FIELD, 0, 0, NFV_F_TCP_DST, "0007" },
	    { NFV_ACT_OUTPUT, 1, 0, 0, NULL } } },
};

static void
assert_action(const char *flow, const struct nfv_action *a,
	      const struct action_expect *e)
{
	if (a->type != e->type)
		fail_msg("'%s': action type %d, expected %d", flow, a->type,
			 e->type);
	switch (e->type) {
	case NFV_ACT_OUTPUT:
		assert_int_equal(a->arg.port, e->arg);
		assert_int_equal(a->max_len, e->max_len);
		break;
	case NFV_ACT_GROUP:
		assert_int_equal(a->arg.group_id, e->arg);
		break;
	case NFV_ACT_SET_NW_TTL:
		assert_int_equal(a->arg.ttl, e->arg);
		break;
	case NFV_ACT_PUSH_VLAN:
		assert_int_equal(a->ethertype, e->arg);
		break;
	case NFV_ACT_SET_FIELD: {
		union nfv_field_value v;

		memset(&v, 0, sizeof(v));
		hex_bytes(e->value, v.u8, sizeof(v.u8));
		if (a->field != e->field)
			fail_msg("'%s': set_field of '%s', expected '%s'",
				 flow, nfv_fields[a->field].name,
				 nfv_fields[e->field].name);
		assert_memory_equal(a->arg.value.u8, v.u8, sizeof(v.u8));
		break;
	}
	default:
		break;
	}
}

static void
test_flow_parse_every_action(void **state)
{
	struct nfv_flow_spec spec;
	size_t i;

	(void)state;
	for (i = 0; i < NFV_ARRAY_SIZE(action_cases); i++) {
		const char *flow = action_cases[i].flow;

		parse_ok(flow, NFV_FLOW_PARSE_ADD, &spec);
		if (spec.n_actions != action_cases[i].n)
			fail_msg("'%s': %u actions, expected %u", flow,
				 spec.n_actions, action_cases[i].n);
		for (unsigned int j = 0; j < spec.n_actions; j++)
			assert_action(flow, &spec.actions[j],
				      &action_cases[i].a[j]);
		assert_false(spec.has_write_actions || spec.has_goto ||
			     spec.clear_actions || spec.has_write_metadata);
	}
}

static void
test_flow_parse_instructions(void **state)
{
	struct nfv_flow_spec spec;

	(void)state;
	parse_ok("table=1,in_port=p1,ip,actions=output:p2,clear_actions,"
		 "write_actions(group:3,output:p1,set_field:1.1.1.1->nw_src),"
		 "write_metadata:0x12/0xff,goto_table:9",
		 NFV_FLOW_PARSE_ADD, &spec);
	assert_int_equal(spec.n_actions, 1);
	assert_output(&spec, 0, 2);
	assert_true(spec.clear_actions);
	assert_true(spec.has_write_actions);
	assert_int_equal(spec.n_write_actions, 3);
	assert_int_equal(spec.write_actions[0].type, NFV_ACT_GROUP);
	assert_int_equal(spec.write_actions[0].arg.group_id, 3);
	assert_int_equal(spec.write_actions[1].type, NFV_ACT_OUTPUT);
	assert_int_equal(spec.write_actions[1].arg.port, 1);
	assert_int_equal(spec.write_actions[2].type, NFV_ACT_SET_FIELD);
	assert_true(spec.has_write_metadata);
	assert_true(spec.write_metadata == 0x12);
	assert_true(spec.write_metadata_mask == 0xff);
	assert_true(spec.has_goto);
	assert_int_equal(spec.goto_table, 9);

	/* Instructions alone; the metadata mask defaults to all ones and
	 * the value is kept under it. */
	parse_ok("actions=write_metadata:0x1234/0xff00", NFV_FLOW_PARSE_ADD,
		 &spec);
	assert_int_equal(spec.n_actions, 0);
	assert_true(spec.write_metadata == 0x1200);
	parse_ok("actions=write_metadata:7", NFV_FLOW_PARSE_ADD, &spec);
	assert_true(spec.write_metadata == 7);
	assert_true(spec.write_metadata_mask == UINT64_MAX);
	parse_ok("table=252,actions=goto_table:253", NFV_FLOW_PARSE_ADD,
		 &spec);
	assert_int_equal(spec.goto_table, 253);
	parse_ok("actions=clear_actions", NFV_FLOW_PARSE_ADD, &spec);
	assert_true(spec.clear_actions);
	assert_false(spec.has_write_actions);
	parse_ok("actions=write_actions()", NFV_FLOW_PARSE_ADD, &spec);
	assert_true(spec.has_write_actions);
	assert_int_equal(spec.n_write_actions, 0);

	/* An action set has one action of each kind, but both a group and
	 * an output, and one set_field per field. */
	parse_ok("ip,dl_vlan=1,actions=write_actions(pop_vlan,push_vlan:0x8100,"
		 "dec_ttl,mod_nw_ttl:3,mod_nw_src:1.1.1.1,mod_nw_dst:2.2.2.2,"
		 "group:1,output:2)", NFV_FLOW_PARSE_ADD, &spec);
	assert_int_equal(spec.n_write_actions, 8);

	/* The match as apply-actions leave it applies to write_actions. */
	parse_ok("actions=push_vlan:0x8100,write_actions(mod_vlan_pcp:3)",
		 NFV_FLOW_PARSE_ADD, &spec);
	assert_int_equal(spec.n_write_actions, 1);
	/* And drop is no instruction at all. */
	parse_ok("actions=drop", NFV_FLOW_PARSE_ADD, &spec);
	assert_int_equal(spec.n_actions, 0);
	assert_false(spec.has_write_actions || spec.clear_actions ||
		     spec.has_write_metadata || spec.has_goto);
}

/* Flows and how nfv_flow_format_match() / _actions() print them. */
static const struct {
	const char *flow;
	const char *match;
	const char *actions;
} format_cases[] = {
	{ "priority=10,in_port=p1,tcp,nw_src=10.0.0.0/24,tp_dst=80,"
	  "actions=output:p2",
	  "priority=10,tcp,in_port=p1,nw_src=10.0.0.0/24,tp_dst=80",
	  "output:p2" },
	{ "dl_type=0x0800,nw_proto=17,udp_dst=53,actions=controller",
	  "udp,tp_dst=53", "CONTROLLER:65535" },
	{ "dl_type=0x88cc,eth_src=00:11:22:33:44:55/ff:ff:ff:00:00:00,"
	  "actions=drop", "dl_src=00:11:22:00:00:00/ff:ff:ff:00:00:00,"
	  "dl_type=0x88cc", "drop" },
	{ "ip,nw_proto=47,actions=drop", "ip,nw_proto=47", "drop" },
	{ "icmp,icmp_type=8,icmp_code=0,actions=controller:128",
	  "icmp,icmp_type=8,icmp_code=0", "CONTROLLER:128" },
	{ "icmp6,icmpv6_type=135,nd_target=fe80::1,actions=drop",
	  "icmp6,icmp_type=135,nd_target=fe80::1", "drop" },
	{ "arp,arp_op=2,arp_tpa=10.0.0.1,actions=flood",
	  "arp,arp_tpa=10.0.0.1,arp_op=2", "FLOOD" },
	{ "vlan_vid=0x1005,vlan_pcp=3,actions=strip_vlan,output:1",
	  "dl_vlan=5,dl_vlan_pcp=3", "pop_vlan,output:p1" },
	{ "vlan_vid=0,actions=push_vlan:0x88a8,mod_vlan_vid:10,output:2",
	  "vlan_vid=0", "push_vlan:0x88a8,mod_vlan_vid:10,output:p2" },
	{ "dl_vlan=0xffff,actions=drop", "vlan_vid=0", "drop" },
	{ "vlan_vid=0x1000/0x1000,actions=drop", "vlan_vid=0x1000/0x1000",
	  "drop" },
	{ "ip,ip_dscp=46,nw_ecn=1,nw_ttl=1,ip_frag=later,actions=dec_ttl,"
	  "mod_nw_ttl:9,mod_nw_tos:8,mod_nw_ecn:2",
	  "ip,nw_tos=184,nw_ecn=1,nw_ttl=1,ip_frag=later",
	  "dec_ttl,mod_nw_ttl:9,set_field:2->ip_dscp,set_field:2->ip_ecn" },
	{ "ip,nw_dst=192.168.0.1/255.255.0.255,actions=drop",
	  "ip,nw_dst=192.168.0.1/255.255.0.255", "drop" },
	{ "ip,nw_dst=192.168.0.1/32,actions=drop", "ip,nw_dst=192.168.0.1",
	  "drop" },
	{ "tcp,tcp_flags=+syn-ack,tcp_src=0x100/0xff00,actions=drop",
	  "tcp,tp_src=0x100/0xff00,tcp_flags=+syn-ack", "drop" },
	{ "tcp,tcp_flags=0x012,actions=drop", "tcp,tcp_flags=syn|ack",
	  "drop" },
	{ "tcp,tcp_flags=0/0xfff,actions=drop", "tcp,tcp_flags=0x0",
	  "drop" },
	{ "tcp,tcp_flags=0x800/0x800,actions=drop",
	  "tcp,tcp_flags=0x800/0x800", "drop" },
	{ "ipv6,ipv6_src=2001:db8::/32,ipv6_label=0x12345,"
	  "ipv6_exthdr=0x40/0x1c0,actions=set_field:fe80::2->ipv6_dst",
	  "ipv6,ipv6_src=2001:db8::/32,ipv6_label=0x12345,"
	  "ipv6_exthdr=0x40/0x1c0", "set_field:fe80::2->ipv6_dst" },
	{ "metadata=0x10/0xf0,in_port=9,actions=write_metadata:0x1/0xff,"
	  "goto_table:3", "in_port=9,metadata=0x10/0xf0",
	  "write_metadata:0x1/0xff,goto_table:3" },
	{ "table=2,actions=clear_actions,write_actions(output:p1,group:7),"
	  "write_metadata:5,goto_table:5", "",
	  "clear_actions,write_actions(output:p1,group:7),"
	  "write_metadata:0x5,goto_table:5" },
	{ "actions=write_actions()", "", "write_actions()" },
	{ "ip,actions=mod_nw_src:10.0.0.1,mod_dl_dst:00:00:00:00:00:02,"
	  "normal,local,in_port,all", "ip",
	  "mod_nw_src:10.0.0.1,mod_dl_dst:00:00:00:00:00:02,NORMAL,LOCAL,"
	  "IN_PORT,ALL" },
	{ "udp6,actions=mod_tp_src:5,group:1", "udp6",
	  "mod_tp_src:5,group:1" },
	{ "icmp6,actions=set_field:1->icmpv6_code", "icmp6",
	  "set_field:1->icmpv6_code" },
	{ "rarp,actions=drop", "rarp", "drop" },
};

static void
test_flow_format_cases(void **state)
{
	char match[NFV_FLOW_STR_MAX], actions[NFV_FLOW_STR_MAX];
	struct nfv_flow_spec spec;
	size_t i;

	(void)state;
	for (i = 0; i < NFV_ARRAY_SIZE(format_cases); i++) {
		parse_ok(format_cases[i].flow, NFV_FLOW_PARSE_ADD, &spec);
		nfv_flow_format_match(&spec, fake_name_of, NULL, match,
				      sizeof(match));
		nfv_flow_format_actions(&spec, fake_name_of, NULL, actions,
					sizeof(actions));
		if (strcmp(match, format_cases[i].match) ||
		    strcmp(actions, format_cases[i].actions))
			fail_msg("'%s' printed as '%s' 'actions=%s'",
				 format_cases[i].flow, match, actions);
	}
}

/* Prints 'spec' as one flow the parser reads back. */
static void
format_flow(const struct nfv_flow_spec *spec, char *text, size_t size)
{
	char flags[128], match[NFV_FLOW_STR_MAX], actions[NFV_FLOW_STR_MAX];

	nfv_flow_format_flags(spec, flags, sizeof(flags));
	nfv_flow_format_match(spec, fake_name_of, NULL, match, sizeof(match));
	nfv_flow_format_actions(spec, fake_name_of, NULL, actions,
				sizeof(actions));
	snprintf(text, size, "table=%u,%s%s%s%sactions=%s", spec->table_id,
		 flags, flags[0] ? "," : "", match, match[0] ? "," : "",
		 actions);
}

static void
assert_same_flow(const char *text, const struct nfv_flow_spec *a,
		 const struct nfv_flow_spec *b)
{
	if (!nfv_flow_same_match(a, b) || a->flags != b->flags ||
	    a->n_actions != b->n_actions ||
	    a->n_write_actions != b->n_write_actions ||
	    memcmp(a->actions, b->actions,
		   a->n_actions * sizeof(a->actions[0])) ||
	    memcmp(a->write_actions, b->write_actions,
		   a->n_write_actions * sizeof(a->write_actions[0])) ||
	    a->has_write_actions != b->has_write_actions ||
	    a->clear_actions != b->clear_actions ||
	    a->has_write_metadata != b->has_write_metadata ||
	    a->write_metadata != b->write_metadata ||
	    a->write_metadata_mask != b->write_metadata_mask ||
	    a->has_goto != b->has_goto || a->goto_table != b->goto_table)
		fail_msg("'%s' does not parse back to the same flow", text);
}

/* parse(format(parse(flow))) == parse(flow), and formatting it again gives
 * the same text. */
static void
round_trip(const char *flow)
{
	char text[3 * NFV_FLOW_STR_MAX], again[3 * NFV_FLOW_STR_MAX];
	struct nfv_flow_spec a, b;

	parse_ok(flow, NFV_FLOW_PARSE_ADD, &a);
	format_flow(&a, text, sizeof(text));
	parse_ok(text, NFV_FLOW_PARSE_ADD, &b);
	assert_same_flow(text, &a, &b);
	format_flow(&b, again, sizeof(again));
	assert_string_equal(text, again);
}

static const char *const round_trip_flows[] = {
	"send_flow_rem,check_overlap,priority=1,tcp,tp_dst=80,actions=drop",
	"flags=reset_counts|no_packet_counts|no_byte_counts,actions=p1",
	"tcp,tcp_src=1,tcp_dst=0x50/0xfff0,tcp_flags=-rst+fin,"
	"actions=mod_tp_src:9,mod_tp_dst:10,output:1",
	"udp,udp_src=68,udp_dst=67,actions=controller(max_len=64)",
	"sctp6,sctp_src=1,actions=write_actions(mod_tp_dst:2,output:2)",
	"icmp,icmp_type=0,icmp_code=0,actions=set_field:3->icmp_code,in_port",
	"icmp6,icmp_type=135,nd_target=fe80::/16,nd_sll=0:1:2:3:4:5,"
	"actions=set_field:::1->nd_target,set_field:0:0:0:0:0:7->nd_sll",
	"icmp6,icmp_type=136,nd_tll=0:1:2:3:4:5/ff:ff:ff:ff:ff:0,"
	"actions=set_field:0:0:0:0:0:7->nd_tll",
	"arp,arp_op=1,arp_spa=10.0.0.0/8,arp_tpa=10.0.0.1,"
	"arp_sha=0:0:0:0:0:1,arp_tha=0:0:0:0:0:2,"
	"actions=set_field:2->arp_op,set_field:1.1.1.1->arp_tpa,"
	"set_field:0:0:0:0:0:3->arp_sha,flood",
	"dl_vlan=5,dl_vlan_pcp=2,dl_src=1:2:3:4:5:6,dl_dst=1:0:0:0:0:0/1:0:0:0:0:0,"
	"actions=mod_vlan_vid:6,mod_vlan_pcp:1,pop_vlan,output:p2",
	"vlan_vid=0,actions=push_vlan:0x8100,mod_vlan_vid:4095,all",
	"vlan_vid=0x1000/0x1000,actions=write_actions(pop_vlan)",
	"ip,nw_src=10.0.0.1/255.0.255.0,nw_dst=0.0.0.0/1,nw_tos=252,nw_ecn=3,"
	"nw_ttl=255,ip_frag=not_later,actions=dec_ttl,mod_nw_tos:4",
	"ip,ip_frag=no,actions=set_field:3->ip_ecn,set_nw_ttl:1",
	"ip,ip_frag=yes,nw_proto=50,actions=mod_nw_dst:9.9.9.9,normal",
	"ip,ip_frag=first,actions=local",
	"ipv6,ipv6_src=::/0,ipv6_dst=::1,ipv6_label=0xfffff/0xf0000,"
	"ipv6_exthdr=0x1ff,ip_frag=0x1/0x1,"
	"actions=set_field:0x1->ipv6_label,set_field:1::2->ipv6_src",
	"metadata=0xffffffffffffffff,in_port=vm1,"
	"actions=write_metadata:0xffffffffffffffff/0x1,goto_table:200",
	"table=10,metadata=0/0x1,actions=clear_actions,goto_table:11",
	"table=252,actions=goto_table:253",
	"dl_type=0x88cc,actions=CONTROLLER:0",
	"rarp,dl_src=0:0:0:0:0:1,actions=drop",
	"priority=0,actions=controller",
	"priority=65535,tcp6,tp_src=1,actions=write_actions(group:1)",
	"in_port=p1,actions=group:4294967040,output:p2,CONTROLLER:100",
	"ip,actions=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,"
	"write_actions(set_field:1->ip_dscp,set_field:2->ip_ecn,"
	"mod_nw_ttl:2,mod_nw_src:1.1.1.1,mod_nw_dst:1.1.1.2,"
	"mod_dl_src:0:0:0:0:0:1,mod_dl_dst:0:0:0:0:0:2,dec_ttl,group:1,"
	"output:1),write_metadata:0x1,goto_table:1",
};

static void
test_flow_round_trip_table(void **state)
{
	char text[512];
	size_t i;

	(void)state;
	for (i = 0; i < NFV_ARRAY_SIZE(round_trip_flows); i++)
		round_trip(round_trip_flows[i]);
	for (i = 0; i < NFV_ARRAY_SIZE(field_cases); i++) {
		snprintf(text, sizeof(text), "%s,actions=drop",
			 field_cases[i].match);
		round_trip(text);
	}
	for (i = 0; i < NFV_ARRAY_SIZE(action_cases); i++)
		round_trip(action_cases[i].flow);
	for (i = 0; i < NFV_ARRAY_SIZE(format_cases); i++)
		round_trip(format_cases[i].flow);
}

/* Every prefix of valid flows is either a flow or a clean error. */
static void
test_flow_parse_truncated_flows(void **state)
{
	char text[1024], err[NFV_FLOW_ERR_MAX];
	struct nfv_flow_spec spec;
	size_t i, len;

	(void)state;
	for (i = 0; i < NFV_ARRAY_SIZE(round_trip_flows); i++) {
		for (len = 0; len <= strlen(round_trip_flows[i]); len++) {
			int ret;

			memcpy(text, round_trip_flows[i], len);
			text[len] = '\0';
			memset(err, 'x', sizeof(err));
			ret = nfv_flow_parse(text, NFV_FLOW_PARSE_ADD,
					     fake_by_name, NULL, &spec, err);
			assert_true(ret == 0 || ret == -EINVAL);
			assert_non_null(memchr(err, '\0', sizeof(err)));
			assert_null(strchr(err, '\n'));
			assert_true(ret != 0 || err[0] == '\0');
			assert_true(ret == 0 || err[0] != '\0');
		}
	}
}

static void
test_flow_filter_out_port(void **state)
{
	(void)state;
	assert_true(selects("out_port=p2", "actions=output:p2"));
	assert_true(selects("out_port=2", "actions=1,2,3"));
	assert_false(selects("out_port=p2", "actions=output:p1"));
	assert_false(selects("out_port=p2", "actions=drop"));
	assert_true(selects("out_port=p2",
			    "actions=output:1,write_actions(output:p2)"));
	assert_true(selects("out_port=CONTROLLER", "actions=controller:64"));
	assert_false(selects("out_port=CONTROLLER", "actions=flood"));
	assert_true(selects("out_port=flood", "actions=FLOOD"));
	assert_true(selects("out_port=ANY", "actions=drop"));
	assert_true(selects("out_port=p2,in_port=1",
			    "in_port=1,actions=output:2"));
	assert_false(selects("out_port=p2,in_port=2",
			     "in_port=1,actions=output:2"));
	/* An out_port filter does not look at group actions. */
	assert_false(selects("out_port=2", "actions=group:2"));
}

static void
test_flow_filter_out_group(void **state)
{
	(void)state;
	assert_true(selects("out_group=5", "actions=group:5"));
	assert_true(selects("out_group=5", "actions=write_actions(group:5)"));
	assert_false(selects("out_group=5", "actions=group:6"));
	assert_false(selects("out_group=5", "actions=output:5"));
	assert_true(selects("out_group=0", "actions=output:1,group:0"));
	assert_false(selects("out_group=0", "actions=output:1"));
	assert_true(selects("out_group=any", "actions=output:1"));
	assert_true(selects("out_group=5,out_port=1",
			    "actions=output:1,group:5"));
	assert_false(selects("out_group=5,out_port=2",
			     "actions=output:1,group:5"));
}

static void
test_flow_filter_with_new_fields(void **state)
{
	struct nfv_flow_spec all, rule;

	(void)state;
	assert_true(selects("tcp", "tcp,tp_dst=80,actions=drop"));
	assert_true(selects("ip", "tcp,tp_dst=80,actions=drop"));
	assert_false(selects("tcp", "ip,actions=drop"));
	assert_false(selects("udp", "tcp,actions=drop"));
	assert_true(selects("tcp,tp_dst=80", "tcp,tp_dst=80,actions=drop"));
	assert_false(selects("tcp,tp_dst=80", "tcp,tp_dst=81,actions=drop"));
	assert_true(selects("ip,nw_src=10.0.0.0/8",
			    "ip,nw_src=10.1.0.0/16,actions=drop"));
	assert_false(selects("ip,nw_src=10.1.0.0/16",
			     "ip,nw_src=10.0.0.0/8,actions=drop"));
	assert_true(selects("dl_vlan=5", "dl_vlan=5,dl_vlan_pcp=1,"
			    "actions=drop"));

	/* A spec set up by nfv_flow_spec_init() selects every flow. */
	nfv_flow_spec_init(&all);
	parse_ok("table=9,send_flow_rem,tcp,tp_dst=80,actions=group:1,"
		 "write_actions(output:2)", NFV_FLOW_PARSE_ADD, &rule);
	assert_true(nfv_flow_filter_selects(&all, &rule));
}

static bool
overlap(const char *a, const char *b)
{
	struct nfv_flow_spec x, y;
	bool ab, ba;

	parse_ok(a, NFV_FLOW_PARSE_MATCH, &x);
	parse_ok(b, NFV_FLOW_PARSE_MATCH, &y);
	ab = nfv_flow_matches_overlap(&x.match, &y.match);
	ba = nfv_flow_matches_overlap(&y.match, &x.match);
	assert_int_equal(ab, ba);
	return ab;
}

static void
test_flow_matches_overlap(void **state)
{
	(void)state;
	assert_true(overlap("", "tcp,tp_dst=80"));
	assert_true(overlap("ip", "tcp"));
	assert_true(overlap("in_port=1", "dl_src=0:0:0:0:0:1"));
	assert_true(overlap("tcp,tp_dst=80", "tcp,tp_src=80"));
	assert_false(overlap("tcp,tp_dst=80", "tcp,tp_dst=81"));
	assert_false(overlap("tcp", "udp"));
	assert_false(overlap("ip", "ipv6"));
	assert_true(overlap("ip,nw_src=10.0.0.0/8", "ip,nw_src=10.1.0.0/16"));
	assert_false(overlap("ip,nw_src=10.0.0.0/16",
			     "ip,nw_src=10.1.0.0/16"));
	assert_true(overlap("dl_vlan=5", "vlan_vid=0x1000/0x1000"));
	assert_false(overlap("dl_vlan=5", "vlan_vid=0"));
	assert_false(overlap("in_port=1", "in_port=2"));
}

/* Checks that the bare action list 'text' fails with 'error' in the
 * message. */
static void
action_list_fails(const char *text, const char *error)
{
	struct nfv_action actions[NFV_FLOW_MAX_ACTIONS];
	char err[NFV_FLOW_ERR_MAX];
	unsigned int n;

	if (nfv_flow_parse_action_list(text, NULL, NULL, actions, &n,
				       err) != -EINVAL)
		fail_msg("'%s': parsed", text);
	if (!strstr(err, error))
		fail_msg("'%s': error '%s' lacks '%s'", text, err, error);
}

static void
test_flow_parse_bare_action_list(void **state)
{
	struct nfv_action actions[NFV_FLOW_MAX_ACTIONS];
	char err[NFV_FLOW_ERR_MAX];
	unsigned int n = 99;

	(void)state;
	/* No match: actions that need one are taken as they are. */
	assert_int_equal(nfv_flow_parse_action_list(
		"mod_nw_src:10.0.0.1,dec_ttl,pop_vlan,mod_vlan_pcp:1,"
		"set_field:80->tcp_dst,output:p2", fake_by_name, NULL,
		actions, &n, err), 0);
	assert_string_equal(err, "");
	assert_int_equal(n, 6);
	assert_int_equal(actions[0].field, NFV_F_IPV4_SRC);
	assert_int_equal(actions[1].type, NFV_ACT_DEC_NW_TTL);
	assert_int_equal(actions[2].type, NFV_ACT_POP_VLAN);
	assert_int_equal(actions[4].field, NFV_F_TCP_DST);
	assert_int_equal(actions[5].arg.port, 2);
	assert_int_equal(nfv_flow_parse_action_list("drop", NULL, NULL,
						    actions, &n, err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(nfv_flow_parse_action_list("group:1,2", NULL, NULL,
						    actions, &n, NULL), 0);
	assert_int_equal(n, 2);

	action_list_fails("output:1,goto_table:1", "goto_table:1: "
			  "instructions are not allowed in an action list");
	action_list_fails("write_actions(output:1)",
			  "instructions are not allowed");
	action_list_fails("mod_tp_dst:80", "mod_tp_dst:80: without a match, "
			  "use set_field:N->tcp_src (udp_, sctp_)");
	action_list_fails("", "empty action list");
	action_list_fails("drop,1", "'drop' must not be combined");
	action_list_fails("set_field:1->eth_type", "cannot be set");
	action_list_fails(NULL, "no actions given");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flow_parse_defaults),
		cmocka_unit_test(test_flow_parse_every_field),
		cmocka_unit_test(test_flow_parse_port_names_and_numbers),
		cmocka_unit_test(test_flow_parse_hex_and_limits),
		cmocka_unit_test(test_flow_parse_allows_whitespace),
		cmocka_unit_test(test_flow_parse_reserved_port_actions),
		cmocka_unit_test(test_flow_parse_takes_max_actions),
		cmocka_unit_test(test_flow_parse_match_mode),
		cmocka_unit_test(test_flow_parse_without_name_resolver),
		cmocka_unit_test(test_flow_parse_rejects_malformed),
		cmocka_unit_test(test_flow_parse_error_is_one_line),
		cmocka_unit_test(test_flow_format_match),
		cmocka_unit_test(test_flow_format_actions),
		cmocka_unit_test(test_flow_format_truncates_like_snprintf),
		cmocka_unit_test(test_flow_format_round_trip),
		cmocka_unit_test(test_flow_filter_empty_selects_all),
		cmocka_unit_test(test_flow_filter_in_port_selects_matching_rules),
		cmocka_unit_test(test_flow_filter_table),
		cmocka_unit_test(test_flow_filter_cookie_mask),
		cmocka_unit_test(test_flow_same_match),
		cmocka_unit_test(test_flow_parse_every_match_field),
		cmocka_unit_test(test_flow_field_cases_cover_every_field),
		cmocka_unit_test(test_flow_prereqs_with_shared_storage),
		cmocka_unit_test(test_flow_parse_defaults_of_new_fields),
		cmocka_unit_test(test_flow_parse_flags),
		cmocka_unit_test(test_flow_format_flags),
		cmocka_unit_test(test_flow_parse_filter_out_port_and_group),
		cmocka_unit_test(test_flow_parse_every_action),
		cmocka_unit_test(test_flow_parse_instructions),
		cmocka_unit_test(test_flow_format_cases),
		cmocka_unit_test(test_flow_round_trip_table),
		cmocka_unit_test(test_flow_parse_truncated_flows),
		cmocka_unit_test(test_flow_filter_out_port),
		cmocka_unit_test(test_flow_filter_out_group),
		cmocka_unit_test(test_flow_filter_with_new_fields),
		cmocka_unit_test(test_flow_matches_overlap),
		cmocka_unit_test(test_flow_parse_bare_action_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
