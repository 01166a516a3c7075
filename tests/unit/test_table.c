/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the OpenFlow tables (src/pipeline/table.c): add and
 * replace, check_overlap, modify with and without reset_counts, strict and
 * non-strict delete, hard and idle timeouts with their removal reasons, and
 * the changes handed to the invalidation callback at commit. No workers:
 * the pipeline is created without RCU state.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "table.h"

struct removed_log {
	unsigned int n;
	enum nfv_rule_removed_reason reasons[16];
	uint64_t packets[16];
};

struct inval_log {
	unsigned int calls;
	unsigned int n_changes;
	bool all;
};

static int
by_name(void *arg, const char *name)
{
	(void)arg;
	if (strcmp(name, "p1") == 0)
		return 1;
	if (strcmp(name, "p2") == 0)
		return 2;
	if (strcmp(name, "p3") == 0)
		return 3;
	return -1;
}

static void
spec_of(const char *text, enum nfv_flow_parse_mode mode,
	struct nfv_flow_spec *spec)
{
	char err[NFV_FLOW_ERR_MAX];

	if (nfv_flow_parse(text, mode, by_name, NULL, spec, err) != 0)
		fail_msg("%s: %s", text, err);
}

static void
add(struct nfv_pipeline *p, const char *text)
{
	struct nfv_flow_spec spec;

	spec_of(text, NFV_FLOW_PARSE_ADD, &spec);
	assert_int_equal(nfv_pipeline_add(p, &spec), 0);
}

static void
on_removed(void *arg, const struct nfv_rule *rule,
	   enum nfv_rule_removed_reason reason, uint64_t n_packets,
	   uint64_t n_bytes)
{
	struct removed_log *log = arg;

	(void)rule;
	(void)n_bytes;
	if (log->n < 16) {
		log->reasons[log->n] = reason;
		log->packets[log->n] = n_packets;
	}
	log->n++;
}

static void
on_inval(void *arg, const struct nfv_table_change *changes,
	 unsigned int n_changes, bool all)
{
	struct inval_log *log = arg;

	(void)changes;
	log->calls++;
	log->n_changes += n_changes;
	log->all |= all;
}

static const struct nfv_rule *
lookup_port(struct nfv_pipeline *p, uint32_t in_port)
{
	struct nfv_flow_key key, wc;

	memset(&key, 0, sizeof(key));
	memset(&wc, 0, sizeof(wc));
	key.in_port = in_port;
	return nfv_pipeline_lookup(p, 0, &key, &wc);
}

static struct nfv_pipeline *
pipeline(void)
{
	struct nfv_pipeline *p;

	assert_int_equal(nfv_pipeline_create(1, NULL, &p), 0);
	return p;
}

static void
test_table_add_with_same_match_replaces(void **state)
{
	struct nfv_pipeline *p = pipeline();
	const struct nfv_rule *r;

	(void)state;
	add(p, "priority=5,in_port=p1,actions=output:p2");
	add(p, "priority=5,in_port=p1,actions=output:p3");
	nfv_pipeline_commit(p);
	assert_int_equal(nfv_pipeline_n_rules(p, -1), 1);
	r = lookup_port(p, 1);
	assert_non_null(r);
	assert_int_equal(r->spec.actions[0].arg.port, 3);
	nfv_pipeline_destroy(p);
}

static void
test_table_check_overlap_refuses_same_priority(void **state)
{
	struct nfv_pipeline *p = pipeline();
	struct nfv_flow_spec spec;

	(void)state;
	add(p, "priority=5,in_port=p1,actions=output:p2");
	spec_of("priority=5,flags=check_overlap,actions=output:p3",
		NFV_FLOW_PARSE_ADD, &spec);
	assert_int_equal(nfv_pipeline_add(p, &spec), -EEXIST);
	spec_of("priority=6,flags=check_overlap,actions=output:p3",
		NFV_FLOW_PARSE_ADD, &spec);
	assert_int_equal(nfv_pipeline_add(p, &spec), 0);
	assert_int_equal(nfv_pipeline_n_rules(p, 0), 2);
	nfv_pipeline_destroy(p);
}

static void
test_table_modify_keeps_counters_unless_reset(void **state)
{
	struct nfv_pipeline *p = pipeline();
	struct nfv_flow_spec spec;
	const struct nfv_rule *r;
	uint64_t n;

	(void)state;
	add(p, "priority=5,in_port=p1,actions=output:p2");
	nfv_pipeline_commit(p);
	nfv_rule_stats_add(lookup_port(p, 1), 0, 7, 700);

	spec_of("priority=5,in_port=p1,actions=output:p3", NFV_FLOW_PARSE_ADD,
		&spec);
	assert_int_equal(nfv_pipeline_modify(p, &spec, true), 1);
	nfv_pipeline_commit(p);
	r = lookup_port(p, 1);
	assert_int_equal(r->spec.actions[0].arg.port, 3);
	nfv_rule_counters(p, r, &n, NULL);
	assert_int_equal(n, 7);

	spec_of("priority=5,in_port=p1,flags=reset_counts,actions=output:p2",
		NFV_FLOW_PARSE_ADD, &spec);
	assert_int_equal(nfv_pipeline_modify(p, &spec, false), 1);
	nfv_pipeline_commit(p);
	r = lookup_port(p, 1);
	assert_int_equal(r->spec.actions[0].arg.port, 2);
	nfv_rule_counters(p, r, &n, NULL);
	assert_int_equal(n, 0);
	nfv_pipeline_destroy(p);
}

static void
test_table_strict_delete_needs_exact_match(void **state)
{
	struct nfv_pipeline *p = pipeline();
	struct nfv_flow_spec filter;

	(void)state;
	add(p, "priority=5,in_port=p1,actions=output:p2");
	add(p, "priority=6,in_port=p1,actions=output:p3");
	add(p, "priority=5,actions=drop");
	spec_of("priority=5", NFV_FLOW_PARSE_MATCH, &filter);
	assert_int_equal(nfv_pipeline_del(p, &filter, true), 1);
	assert_int_equal(nfv_pipeline_n_rules(p, -1), 2);
	spec_of("in_port=p1", NFV_FLOW_PARSE_MATCH, &filter);
	assert_int_equal(nfv_pipeline_del(p, &filter, false), 2);
	assert_int_equal(nfv_pipeline_n_rules(p, -1), 0);
	nfv_pipeline_commit(p);
	nfv_pipeline_destroy(p);
}

static void
test_table_hard_timeout_expires_with_reason(void **state)
{
	struct nfv_pipeline *p = pipeline();
	struct removed_log log = { 0 };
	uint64_t now = nfv_now_ms();

	(void)state;
	nfv_pipeline_set_callbacks(p, NULL, on_removed, &log);
	add(p, "priority=5,hard_timeout=2,in_port=p1,actions=output:p2");
	add(p, "priority=5,in_port=p2,actions=output:p1");
	assert_int_equal(nfv_pipeline_expire(p, now + 1000), 0);
	assert_int_equal(nfv_pipeline_expire(p, now + 2500), 1);
	assert_int_equal(log.n, 1);
	assert_int_equal(log.reasons[0], NFV_RR_HARD_TIMEOUT);
	assert_int_equal(nfv_pipeline_n_rules(p, -1), 1);
	nfv_pipeline_commit(p);
	nfv_pipeline_destroy(p);
}

static void
test_table_idle_timeout_restarts_on_traffic(void **state)
{
	struct nfv_pipeline *p = pipeline();
	struct removed_log log = { 0 };
	uint64_t now = nfv_now_ms();

	(void)state;
	nfv_pipeline_set_callbacks(p, NULL, on_removed, &log);
	add(p, "priority=5,idle_timeout=3,in_port=p1,actions=output:p2");
	nfv_pipeline_commit(p);
	assert_int_equal(nfv_pipeline_expire(p, now + 2000), 0);
	/* Traffic at 2 s: idle time counts from the next sample. */
	nfv_rule_stats_add(lookup_port(p, 1), 0, 1, 60);
	assert_int_equal(nfv_pipeline_expire(p, now + 2500), 0);
	assert_int_equal(nfv_pipeline_expire(p, now + 5000), 0);
	assert_int_equal(nfv_pipeline_expire(p, now + 5600), 1);
	assert_int_equal(log.reasons[0], NFV_RR_IDLE_TIMEOUT);
	assert_int_equal(log.packets[0], 1);
	nfv_pipeline_commit(p);
	nfv_pipeline_destroy(p);
}

static void
test_table_commit_reports_changes_once(void **state)
{
	struct nfv_pipeline *p = pipeline();
	struct inval_log log = { 0 };
	struct nfv_flow_spec filter;

	(void)state;
	nfv_pipeline_set_callbacks(p, on_inval, NULL, &log);
	add(p, "priority=5,in_port=p1,actions=output:p2");
	add(p, "priority=6,in_port=p2,actions=output:p1");
	nfv_pipeline_commit(p);
	assert_int_equal(log.calls, 1);
	assert_int_equal(log.n_changes, 2);
	nfv_pipeline_commit(p);
	assert_int_equal(log.calls, 1);
	spec_of("", NFV_FLOW_PARSE_MATCH, &filter);
	assert_int_equal(nfv_pipeline_del(p, &filter, false), 2);
	nfv_pipeline_commit(p);
	assert_int_equal(log.calls, 2);
	assert_int_equal(log.n_changes, 4);
	assert_false(log.all);
	nfv_pipeline_destroy(p);
}

static void
test_table_many_changes_invalidate_everything(void **state)
{
	struct nfv_pipeline *p = pipeline();
	struct inval_log log = { 0 };
	char text[128];

	(void)state;
	nfv_pipeline_set_callbacks(p, on_inval, NULL, &log);
	for (unsigned int i = 0; i < 3000; i++) {
		snprintf(text, sizeof(text),
			 "ip,nw_dst=10.%u.%u.0/24,actions=output:p1", i / 256,
			 i % 256);
		add(p, text);
	}
	nfv_pipeline_commit(p);
	assert_int_equal(log.calls, 1);
	assert_true(log.all);
	assert_int_equal(nfv_pipeline_n_rules(p, 0), 3000);
	nfv_pipeline_destroy(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_add_with_same_match_replaces),
		cmocka_unit_test(test_table_check_overlap_refuses_same_priority),
		cmocka_unit_test(test_table_modify_keeps_counters_unless_reset),
		cmocka_unit_test(test_table_strict_delete_needs_exact_match),
		cmocka_unit_test(test_table_hard_timeout_expires_with_reason),
		cmocka_unit_test(test_table_idle_timeout_restarts_on_traffic),
		cmocka_unit_test(test_table_commit_reports_changes_once),
		cmocka_unit_test(test_table_many_changes_invalidate_everything),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
