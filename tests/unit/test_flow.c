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
	{ NFV_FLOW_PARSE_ADD, "nw_src=10.0.0.1,actions=drop",
	  "field 'nw_src' is not supported yet" },
	{ NFV_FLOW_PARSE_ADD, "tcp,actions=drop",
	  "field 'tcp' is not supported yet" },
	{ NFV_FLOW_PARSE_MATCH, "dl_dst=00:11:22:33:44:55",
	  "field 'dl_dst' is not supported yet" },
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
	{ NFV_FLOW_PARSE_ADD, "actions=output:LOCAL",
	  "port 'LOCAL' is not supported yet" },
	{ NFV_FLOW_PARSE_ADD, "in_port=1,in_port=2,actions=drop",
	  "field 'in_port' given twice" },
	{ NFV_FLOW_PARSE_ADD, "priority=1 priority=1,actions=drop",
	  "field 'priority' given twice" },
	{ NFV_FLOW_PARSE_ADD, "actions(drop),actions=drop",
	  "field 'actions' given twice" },
	{ NFV_FLOW_PARSE_MATCH, "in_port=1,actions=drop",
	  "actions are not allowed when matching" },
	{ NFV_FLOW_PARSE_ADD, "actions=dec_ttl",
	  "action 'dec_ttl' is not supported yet" },
	{ NFV_FLOW_PARSE_ADD, "actions=output:1,mod_dl_src:00:11:22:33:44:55",
	  "action 'mod_dl_src' is not supported yet" },
	{ NFV_FLOW_PARSE_ADD, "actions=NORMAL",
	  "action 'NORMAL' is not supported yet" },
	{ NFV_FLOW_PARSE_ADD, "actions=resubmit(,1)",
	  "action 'resubmit' is not supported yet" },
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
