/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for the config loader (src/config.c): a full config with every
 * key, the defaults, a table of malformed configs each with the exact error
 * it must give (and a zeroed cfg after it), loading from files, and the
 * mbuf sizing and memory check. JSON in this file is written with single
 * quotes for readability; json_text() turns them into double quotes. Run
 * under valgrind to check that no error path leaks.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"

/* Returns a copy of 'text' with ' replaced by ", for test JSON. */
static char *
json_text(const char *text)
{
	char *s = strdup(text), *c;

	assert_non_null(s);
	for (c = s; *c != '\0'; c++)
		if (*c == '\'')
			*c = '"';
	return s;
}

/* Parses the single-quoted JSON 'text' into 'cfg'. */
static int
parse(const char *text, struct nfv_config *cfg, char *err)
{
	char *s = json_text(text);
	int ret;

	ret = nfv_config_parse(s, strlen(s), cfg, err);
	free(s);
	return ret;
}

static bool
cfg_is_zero(const struct nfv_config *cfg)
{
	static const struct nfv_config zero;

	return memcmp(cfg, &zero, sizeof(zero)) == 0;
}

static const char good_config[] =
	"{\n"
	"  'eal': ['-l', '0-2', '--no-huge', '-m', '1024', '--no-pci'],\n"
	"  'pmd_cores': [2, 1],\n"
	"  'control_socket': '/tmp/nfv-test.sock',\n"
	"  'mbufs': 100000,\n"
	"  'ports': [\n"
	"    {'name': 'vm1', 'devargs': 'net_af_packet0,iface=veth-vm1'},\n"
	"    {'name': 'uplink', 'devargs': '0000:03:00.0', 'rx_queues': 2,\n"
	"     'rx_desc': 2048, 'tx_desc': 512, 'mtu': 9000}\n"
	"  ],\n"
	"  'flows': ['table=0,priority=10,in_port=vm1,actions=output:uplink',\n"
	"            'table=0,priority=0,actions=drop'],\n"
	"  'openflow': {'listen': ['ptcp:6653:127.0.0.1', 'ptcp:6654'],\n"
	"               'controllers': ['tcp:10.0.0.1:6653',\n"
	"                               'tcp:ctl.example.org:6633'],\n"
	"               'fail_mode': 'standalone'}\n"
	"}\n";

static void
test_config_parses_every_key(void **state)
{
	struct nfv_config cfg;
	char err[NFV_CONFIG_ERR_MAX];

	(void)state;
	assert_int_equal(parse(good_config, &cfg, err), 0);
	assert_string_equal(err, "");

	assert_int_equal(cfg.eal_argc, 6);
	assert_string_equal(cfg.eal_argv[0], "-l");
	assert_string_equal(cfg.eal_argv[1], "0-2");
	assert_string_equal(cfg.eal_argv[2], "--no-huge");
	assert_string_equal(cfg.eal_argv[3], "-m");
	assert_string_equal(cfg.eal_argv[4], "1024");
	assert_string_equal(cfg.eal_argv[5], "--no-pci");
	assert_null(cfg.eal_argv[6]);

	assert_int_equal(cfg.n_pmd_cores, 2);
	assert_int_equal(cfg.pmd_cores[0], 2);
	assert_int_equal(cfg.pmd_cores[1], 1);
	assert_string_equal(cfg.control_socket, "/tmp/nfv-test.sock");
	assert_int_equal(cfg.n_mbufs, 100000);

	assert_int_equal(cfg.n_ports, 2);
	assert_string_equal(cfg.ports[0].name, "vm1");
	assert_string_equal(cfg.ports[0].devargs,
			    "net_af_packet0,iface=veth-vm1");
	assert_int_equal(cfg.ports[0].rx_queues, 1);
	assert_int_equal(cfg.ports[0].rx_desc, 1024);
	assert_int_equal(cfg.ports[0].tx_desc, 1024);
	assert_int_equal(cfg.ports[0].mtu, 1500);
	assert_string_equal(cfg.ports[1].name, "uplink");
	assert_string_equal(cfg.ports[1].devargs, "0000:03:00.0");
	assert_int_equal(cfg.ports[1].rx_queues, 2);
	assert_int_equal(cfg.ports[1].rx_desc, 2048);
	assert_int_equal(cfg.ports[1].tx_desc, 512);
	assert_int_equal(cfg.ports[1].mtu, 9000);

	assert_int_equal(cfg.n_flows, 2);
	assert_string_equal(cfg.flows[0],
			    "table=0,priority=10,in_port=vm1,actions=output:uplink");
	assert_string_equal(cfg.flows[1], "table=0,priority=0,actions=drop");

	assert_int_equal(cfg.n_openflow_listen, 2);
	assert_string_equal(cfg.openflow_listen[0], "ptcp:6653:127.0.0.1");
	assert_string_equal(cfg.openflow_listen[1], "ptcp:6654");
	assert_int_equal(cfg.n_openflow_controllers, 2);
	assert_string_equal(cfg.openflow_controllers[0], "tcp:10.0.0.1:6653");
	assert_string_equal(cfg.openflow_controllers[1],
			    "tcp:ctl.example.org:6633");
	assert_string_equal(cfg.fail_mode, "standalone");

	nfv_config_fini(&cfg);
	assert_true(cfg_is_zero(&cfg));
}

static void
test_config_applies_defaults(void **state)
{
	struct nfv_config cfg;
	char err[NFV_CONFIG_ERR_MAX];

	(void)state;
	assert_int_equal(parse("{'ports': [{'name': 'p0', 'devargs': 'net_null0'}]}",
			       &cfg, err), 0);
	assert_null(cfg.eal_argv);
	assert_int_equal(cfg.eal_argc, 0);
	assert_int_equal(cfg.n_pmd_cores, 1);
	assert_int_equal(cfg.pmd_cores[0], 1);
	assert_string_equal(cfg.control_socket, NFV_DEFAULT_SOCKET);
	assert_int_equal(cfg.n_mbufs, 0);
	assert_int_equal(cfg.n_ports, 1);
	assert_string_equal(cfg.ports[0].name, "p0");
	assert_string_equal(cfg.ports[0].devargs, "net_null0");
	assert_int_equal(cfg.ports[0].rx_queues, NFV_PORT_DEFAULT_RX_QUEUES);
	assert_int_equal(cfg.ports[0].rx_desc, NFV_PORT_DEFAULT_RX_DESC);
	assert_int_equal(cfg.ports[0].tx_desc, NFV_PORT_DEFAULT_TX_DESC);
	assert_int_equal(cfg.ports[0].mtu, NFV_PORT_DEFAULT_MTU);
	assert_null(cfg.flows);
	assert_int_equal(cfg.n_flows, 0);
	assert_int_equal(cfg.n_openflow_listen, 1);
	assert_string_equal(cfg.openflow_listen[0], "ptcp:6653:127.0.0.1");
	assert_int_equal(cfg.n_openflow_controllers, 0);
	assert_string_equal(cfg.fail_mode, "secure");
	assert_null(cfg.networks);
	assert_int_equal(cfg.n_networks, 0);
	assert_null(cfg.routers);
	assert_int_equal(cfg.n_routers, 0);
	assert_null(cfg.endpoints);
	assert_int_equal(cfg.n_endpoints, 0);
	assert_string_equal(cfg.dhcp_state_file, NFV_DHCP_DEFAULT_STATE_FILE);
	assert_int_equal(cfg.flow_idle_timeout, NFV_APPS_DEFAULT_FLOW_IDLE);
	assert_int_equal(cfg.arp_aging, NFV_APPS_DEFAULT_ARP_AGING);
	assert_int_equal(cfg.arp_retries, NFV_APPS_DEFAULT_ARP_RETRIES);
	assert_int_equal(cfg.app_pktin_rate, NFV_CONFIG_DEFAULT_PKTIN_RATE);
	assert_int_equal(cfg.app_pktin_burst, NFV_CONFIG_DEFAULT_PKTIN_BURST);
	nfv_config_fini(&cfg);

	/* "apps" knobs, and "datapath" ones of the same name kept apart. */
	assert_int_equal(parse("{'ports': [{'name': 'p0', 'devargs': 'n'}], "
			       "'datapath': {'pktin_rate': 5}, "
			       "'apps': {'flow_idle_timeout': 7, "
			       "'arp_aging': 10, 'arp_retries': 10, "
			       "'pktin_rate': 1000000, 'pktin_burst': 1}}",
			       &cfg, err), 0);
	assert_int_equal(cfg.flow_idle_timeout, 7);
	assert_int_equal(cfg.arp_aging, 10);
	assert_int_equal(cfg.arp_retries, 10);
	assert_int_equal(cfg.app_pktin_rate, 1000000);
	assert_int_equal(cfg.app_pktin_burst, 1);
	assert_int_equal(cfg.pktin_rate, 5);
	nfv_config_fini(&cfg);
}

static void
test_config_accepts_boundary_values(void **state)
{
	struct nfv_config cfg;
	char err[NFV_CONFIG_ERR_MAX];

	(void)state;
	assert_int_equal(parse("{'pmd_cores': [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 1023],"
			       " 'eal': [], 'flows': [], 'mbufs': 4294967295,"
			       " 'control_socket': '/a',"
			       " 'openflow': {'listen': [], 'controllers': [],"
			       "  'fail_mode': 'secure'},"
			       " 'ports': [{'name': 'a-B_9.x', 'devargs': 'd',"
			       "  'rx_queues': 16, 'rx_desc': 64,"
			       "  'tx_desc': 16384, 'mtu': 68},"
			       " {'name': 'p1', 'devargs': 'e', 'rx_queues': 1,"
			       "  'mtu': 9600, 'rx_desc': 16384, 'tx_desc': 64}]}",
			       &cfg, err), 0);
	assert_int_equal(cfg.n_pmd_cores, NFV_MAX_WORKERS);
	assert_int_equal(cfg.pmd_cores[15], 1023);
	assert_int_equal(cfg.n_mbufs, UINT32_MAX);
	assert_int_equal(cfg.eal_argc, 0);
	assert_non_null(cfg.eal_argv);
	assert_null(cfg.eal_argv[0]);
	assert_string_equal(cfg.ports[0].name, "a-B_9.x");
	assert_int_equal(cfg.ports[0].rx_queues, 16);
	assert_int_equal(cfg.ports[0].mtu, 68);
	assert_int_equal(cfg.ports[1].mtu, 9600);
	assert_int_equal(cfg.ports[1].rx_desc, 16384);
	nfv_config_fini(&cfg);
}

static void
test_config_parses_only_len_bytes(void **state)
{
	static const char text[] =
		"{\"ports\": [{\"name\": \"a\", \"devargs\": \"b\"}]} garbage";
	struct nfv_config cfg;
	char err[NFV_CONFIG_ERR_MAX];

	(void)state;
	assert_int_equal(nfv_config_parse(text, strlen(text) - 8, &cfg, err),
			 0);
	assert_int_equal(cfg.n_ports, 1);
	nfv_config_fini(&cfg);
	assert_int_equal(nfv_config_parse(text, strlen(text), &cfg, err),
			 -EINVAL);
	assert_string_equal(err,
			    "line 1, column 50: end of file expected near 'garbage'");
}

/* A minimal valid port, to build bad configs around. */
#define P(name, dev) "{'name': '" name "', 'devargs': '" dev "'}"
#define PORTS "'ports': [" P("a", "d") "]"

struct bad_case {
	const char *json;
	const char *err;        /* expected substring of the error */
};

static const struct bad_case bad_cases[] = {
	/* Top level. */
	{ "[]", "config: expected a JSON object, got array" },
	{ "42", "config: expected a JSON object, got integer" },
	{ "{}", "ports: missing required key" },
	{ "{" PORTS ", 'tenants': []}", "tenants: unknown key" },
	{ "{'Ports': []}", "Ports: unknown key" },
	{ "{" PORTS ", 'a\\nb': 1}", "a?b: unknown key" },
	/* JSON syntax and duplicate keys. */
	{ "{\n 'ports': [\n  {'name': 'a',,}\n ]\n}",
	  "line 3, column 16: string or '}' expected near ','" },
	{ "{'ports': [], 'ports': []}",
	  "line 1, column 21: duplicate object key near '\"ports\"'" },
	{ "{" PORTS ", 'openflow': {'listen': [], 'listen': []}}",
	  "duplicate object key" },
	{ "", "line 1, column 0: " },
	{ "{" PORTS ", 'mbufs': 99999999999999999999}", "too big integer" },
	/* eal */
	{ "{" PORTS ", 'eal': '-l 0'}", "eal: expected array, got string" },
	{ "{" PORTS ", 'eal': ['-l', 0]}", "eal[1]: expected string, got integer" },
	/* pmd_cores */
	{ "{" PORTS ", 'pmd_cores': 1}", "pmd_cores: expected array, got integer" },
	{ "{" PORTS ", 'pmd_cores': []}", "pmd_cores: expected 1..16 entries, got 0" },
	{ "{" PORTS ", 'pmd_cores': [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]}",
	  "pmd_cores: expected 1..16 entries, got 17" },
	{ "{" PORTS ", 'pmd_cores': [2, 3, 3]}",
	  "pmd_cores[2]: duplicate core 3 (also pmd_cores[1])" },
	{ "{" PORTS ", 'pmd_cores': [-1]}",
	  "pmd_cores[0]: expected integer 0..1023, got -1" },
	{ "{" PORTS ", 'pmd_cores': [1024]}",
	  "pmd_cores[0]: expected integer 0..1023, got 1024" },
	{ "{" PORTS ", 'pmd_cores': ['1']}",
	  "pmd_cores[0]: expected integer 0..1023, got string" },
	{ "{" PORTS ", 'pmd_cores': [1.0]}",
	  "pmd_cores[0]: expected integer 0..1023, got real" },
	/* control_socket */
	{ "{" PORTS ", 'control_socket': 5}",
	  "control_socket: expected non-empty string, got integer" },
	{ "{" PORTS ", 'control_socket': ''}",
	  "control_socket: expected non-empty string, got \"\"" },
	{ "{" PORTS ", 'control_socket': 'run/x.sock'}",
	  "control_socket: expected an absolute path, got 'run/x.sock'" },
	{ "{" PORTS ", 'control_socket': '/0123456789012345678901234567890123456789"
	  "0123456789012345678901234567890123456789012345678901234567890123456'}",
	  "control_socket: expected a path shorter than 108 characters, got 108" },
	/* mbufs */
	{ "{" PORTS ", 'mbufs': 0}", "mbufs: expected integer 1..4294967295, got 0" },
	{ "{" PORTS ", 'apps': []}", "apps: expected object, got array" },
	{ "{" PORTS ", 'apps': {'idle': 3}}", "apps.idle: unknown key" },
	{ "{" PORTS ", 'apps': {'flow_idle_timeout': 0}}",
	  "apps.flow_idle_timeout: expected integer 1..65535, got 0" },
	{ "{" PORTS ", 'apps': {'flow_idle_timeout': 65536}}",
	  "apps.flow_idle_timeout: expected integer 1..65535, got 65536" },
	{ "{" PORTS ", 'apps': {'arp_aging': 9}}",
	  "apps.arp_aging: expected integer 10..86400, got 9" },
	{ "{" PORTS ", 'apps': {'arp_retries': 11}}",
	  "apps.arp_retries: expected integer 1..10, got 11" },
	{ "{" PORTS ", 'apps': {'pktin_rate': '5'}}",
	  "apps.pktin_rate: expected integer 1..1000000, got string" },
	{ "{" PORTS ", 'apps': {'pktin_burst': 0}}",
	  "apps.pktin_burst: expected integer 1..100000, got 0" },
	{ "{" PORTS ", 'datapath': {'flow_idle_timeout': 3}}",
	  "datapath.flow_idle_timeout: unknown key" },
	{ "{" PORTS ", 'mbufs': 4294967296}",
	  "mbufs: expected integer 1..4294967295, got 4294967296" },
	{ "{" PORTS ", 'mbufs': true}", "mbufs: expected integer 1..4294967295, got true" },
	{ "{" PORTS ", 'mbufs': null}", "mbufs: expected integer 1..4294967295, got null" },
	/* ports */
	{ "{'ports': {}}", "ports: expected array, got object" },
	{ "{'ports': []}", "ports: expected 1..64 entries, got 0" },
	{ "{'ports': ['a']}", "ports[0]: expected object, got string" },
	{ "{'ports': [" P("a", "d") ", {'devargs': 'e'}]}",
	  "ports[1].name: missing required key" },
	{ "{'ports': [{'name': 'a'}]}", "ports[0].devargs: missing required key" },
	{ "{'ports': [" P("a", "d") ", {'name': 'b', 'devargs': 7}]}",
	  "ports[1].devargs: expected non-empty string, got integer" },
	{ "{'ports': [{'name': 'a', 'devargs': ''}]}",
	  "ports[0].devargs: expected non-empty string, got \"\"" },
	{ "{'ports': [{'name': 'a', 'devargs': 'bus=vdev,name=net_ring0'}]}",
	  "ports[0].devargs: expected a device name first" },
	{ "{'ports': [{'name': 'a', 'devargs': 'd', 'colour': 'red'}]}",
	  "ports[0].colour: unknown key" },
	{ "{'ports': [" P("vm1", "d0") ", " P("vm2", "d1") ", " P("vm1", "d2") "]}",
	  "ports[2].name: duplicate port name 'vm1' (also ports[0])" },
	{ "{'ports': [" P("a", "net_null0") ", " P("b", "net_null0") "]}",
	  "ports[1].devargs: duplicate devargs 'net_null0' (also ports[0])" },
	{ "{'ports': [{'name': 1, 'devargs': 'd'}]}",
	  "ports[0].name: expected string, got integer" },
	{ "{'ports': [" P("", "d") "]}",
	  "ports[0].name: expected 1..31 characters of A-Z a-z 0-9 _ . -, got ''" },
	{ "{'ports': [" P("vm 1", "d") "]}",
	  "ports[0].name: expected 1..31 characters of A-Z a-z 0-9 _ . -, got 'vm 1'" },
	{ "{'ports': [" P("vm/1", "d") "]}",
	  "ports[0].name: expected 1..31 characters of A-Z a-z 0-9 _ . -, got 'vm/1'" },
	{ "{'ports': [" P("abcdefghijklmnopqrstuvwxyz012345", "d") "]}",
	  "ports[0].name: expected 1..31 characters of A-Z a-z 0-9 _ . -, got 'abcdefghijklmnopqrstuvwxyz012345'" },
	{ "{'ports': [" P("42", "d") "]}",
	  "ports[0].name: '42' is all digits; numbers denote OpenFlow port numbers" },
	{ "{'ports': [" P("local", "d") "]}",
	  "ports[0].name: 'local' is a reserved OpenFlow port name" },
	{ "{'ports': [" P("CONTROLLER", "d") "]}",
	  "ports[0].name: 'CONTROLLER' is a reserved OpenFlow port name" },
	{ "{'ports': [{'name': 'a', 'devargs': 'd', 'rx_queues': 0}]}",
	  "ports[0].rx_queues: expected integer 1..16, got 0" },
	{ "{'ports': [{'name': 'a', 'devargs': 'd', 'rx_queues': 17}]}",
	  "ports[0].rx_queues: expected integer 1..16, got 17" },
	{ "{'ports': [{'name': 'a', 'devargs': 'd', 'rx_queues': '2'}]}",
	  "ports[0].rx_queues: expected integer 1..16, got string" },
	{ "{'ports': [{'name': 'a', 'devargs': 'd', 'rx_desc': 100}]}",
	  "ports[0].rx_desc: expected power of two 64..16384, got 100" },
	{ "{'ports': [{'name': 'a', 'devargs': 'd', 'rx_desc': 32}]}",
	  "ports[0].rx_desc: expected power of two 64..16384, got 32" },
	{ "{'ports': [{'name': 'a', 'devargs': 'd', 'tx_desc': 32768}]}",
	  "ports[0].tx_desc: expected power of two 64..16384, got 32768" },
	{ "{'ports': [{'name': 'a', 'devargs': 'd', 'tx_desc': 1024.0}]}",
	  "ports[0].tx_desc: expected power of two 64..16384, got real" },
	{ "{'ports': [{'name': 'a', 'devargs': 'd', 'mtu': 70000}]}",
	  "ports[0].mtu: expected integer 68..9600, got 70000" },
	{ "{'ports': [{'name': 'a', 'devargs': 'd', 'mtu': 67}]}",
	  "ports[0].mtu: expected integer 68..9600, got 67" },
	{ "{'ports': [{'name': 'a', 'devargs': 'd', 'mtu': 1500.5}]}",
	  "ports[0].mtu: expected integer 68..9600, got real" },
	{ "{'ports': [{'name': 'a', 'devargs': 'd', 'mtu': false}]}",
	  "ports[0].mtu: expected integer 68..9600, got false" },
	{ "{'ports': [{'name': 'a', 'devargs': 'd', 'mtu': -9223372036854775808}]}",
	  "ports[0].mtu: expected integer 68..9600, got -9223372036854775808" },
	/* flows */
	{ "{" PORTS ", 'flows': 'actions=drop'}", "flows: expected array, got string" },
	{ "{" PORTS ", 'flows': ['actions=drop', {}]}",
	  "flows[1]: expected string, got object" },
	{ "{" PORTS ", 'flows': ['']}", "flows[0]: expected non-empty string, got \"\"" },
	/* openflow */
	{ "{" PORTS ", 'openflow': []}", "openflow: expected object, got array" },
	{ "{" PORTS ", 'openflow': {'listen': [], 'mode': 1}}",
	  "openflow.mode: unknown key" },
	{ "{" PORTS ", 'openflow': {'listen': 'ptcp:6653'}}",
	  "openflow.listen: expected array, got string" },
	{ "{" PORTS ", 'openflow': {'listen': [6653]}}",
	  "openflow.listen[0]: expected string, got integer" },
	{ "{" PORTS ", 'openflow': {'listen': ['tcp:6653']}}",
	  "openflow.listen[0]: expected ptcp:PORT[:IPv4ADDR] with PORT 1..65535, got 'tcp:6653'" },
	{ "{" PORTS ", 'openflow': {'listen': ['ptcp:']}}",
	  "openflow.listen[0]: expected ptcp:PORT[:IPv4ADDR] with PORT 1..65535, got 'ptcp:'" },
	{ "{" PORTS ", 'openflow': {'listen': ['ptcp:0']}}",
	  "openflow.listen[0]: expected ptcp:PORT[:IPv4ADDR] with PORT 1..65535, got 'ptcp:0'" },
	{ "{" PORTS ", 'openflow': {'listen': ['ptcp:6653', 'ptcp:65536']}}",
	  "openflow.listen[1]: expected ptcp:PORT[:IPv4ADDR] with PORT 1..65535, got 'ptcp:65536'" },
	{ "{" PORTS ", 'openflow': {'listen': ['ptcp:66a']}}",
	  "openflow.listen[0]: expected ptcp:PORT[:IPv4ADDR] with PORT 1..65535, got 'ptcp:66a'" },
	{ "{" PORTS ", 'openflow': {'listen': ['ptcp:6653:']}}",
	  "openflow.listen[0]: expected ptcp:PORT[:IPv4ADDR] with PORT 1..65535, got 'ptcp:6653:'" },
	{ "{" PORTS ", 'openflow': {'listen': ['ptcp:6653:1.2.3']}}",
	  "openflow.listen[0]: expected ptcp:PORT[:IPv4ADDR] with PORT 1..65535, got 'ptcp:6653:1.2.3'" },
	{ "{" PORTS ", 'openflow': {'listen': ['ptcp:6653:256.0.0.1']}}",
	  "got 'ptcp:6653:256.0.0.1'" },
	{ "{" PORTS ", 'openflow': {'listen': ['ptcp:6653:localhost']}}",
	  "got 'ptcp:6653:localhost'" },
	{ "{" PORTS ", 'openflow': {'listen': ['ptcp:1', 'ptcp:2', 'ptcp:3', 'ptcp:4',"
	  " 'ptcp:5', 'ptcp:6', 'ptcp:7', 'ptcp:8', 'ptcp:9']}}",
	  "openflow.listen: expected at most 8 entries, got 9" },
	{ "{" PORTS ", 'openflow': {'controllers': 'tcp:1.2.3.4:6653'}}",
	  "openflow.controllers: expected array, got string" },
	{ "{" PORTS ", 'openflow': {'controllers': ['tcp:1.2.3.4']}}",
	  "openflow.controllers[0]: expected tcp:HOST:PORT with PORT 1..65535, got 'tcp:1.2.3.4'" },
	{ "{" PORTS ", 'openflow': {'controllers': ['tcp::6653']}}",
	  "openflow.controllers[0]: expected tcp:HOST:PORT with PORT 1..65535, got 'tcp::6653'" },
	{ "{" PORTS ", 'openflow': {'controllers': ['ssl:h:6653']}}",
	  "openflow.controllers[0]: expected tcp:HOST:PORT with PORT 1..65535, got 'ssl:h:6653'" },
	{ "{" PORTS ", 'openflow': {'controllers': ['tcp:h_1:6653']}}",
	  "openflow.controllers[0]: expected tcp:HOST:PORT with PORT 1..65535, got 'tcp:h_1:6653'" },
	{ "{" PORTS ", 'openflow': {'fail_mode': 'open'}}",
	  "openflow.fail_mode: expected 'secure' or 'standalone', got 'open'" },
	{ "{" PORTS ", 'openflow': {'fail_mode': true}}",
	  "openflow.fail_mode: expected string, got true" },
};

static void
test_config_rejects_bad_configs(void **state)
{
	struct nfv_config cfg;
	char err[NFV_CONFIG_ERR_MAX];
	unsigned int i;
	int ret;

	(void)state;
	for (i = 0; i < NFV_ARRAY_SIZE(bad_cases); i++) {
		memset(&cfg, 0xa5, sizeof(cfg));
		ret = parse(bad_cases[i].json, &cfg, err);
		if (ret != -EINVAL || strstr(err, bad_cases[i].err) == NULL ||
		    strchr(err, '\n') != NULL || !cfg_is_zero(&cfg))
			fail_msg("case %u: %s\n  ret %d, error '%s'\n  expected '%s'",
				 i, bad_cases[i].json, ret, err,
				 bad_cases[i].err);
	}
}

/* The table must hold every error form the brief lists as an example. */
static void
test_config_error_names_key_path(void **state)
{
	struct nfv_config cfg;
	char err[NFV_CONFIG_ERR_MAX];

	(void)state;
	assert_int_equal(parse("{'ports': [" P("a", "x") ", {'name': 'b', 'devargs': []}]}",
			       &cfg, err), -EINVAL);
	assert_string_equal(err, "ports[1].devargs: expected non-empty string, got array");
	assert_int_equal(parse("{'ports': [{'name': 'a', 'devargs': 'd', 'mtu': 70000}]}",
			       &cfg, err), -EINVAL);
	assert_string_equal(err, "ports[0].mtu: expected integer 68..9600, got 70000");
	assert_int_equal(parse("{" PORTS ", 'network': []}", &cfg, err), -EINVAL);
	assert_string_equal(err, "network: unknown key");
}

/* Tenant model ------------------------------------------------------ */

/* Keys in an order that puts every reference before what it names: the
 * loader must resolve names only after the whole file is read. */
static const char tenant_config[] =
	"{\n"
	"  'endpoints': [\n"
	"    {'port': 'vm1', 'mac': '52:54:00:00:00:01', 'ip': '10.0.1.10'},\n"
	"    {'ip': '10.0.2.20', 'mac': '52:54:00:00:00:02', 'port': 'vm2'},\n"
	"    {'port': 'vm3', 'mac': '52:54:00:00:00:03', 'ip': '10.0.1.10'}\n"
	"  ],\n"
	"  'routers': [\n"
	"    {'name': 'r1', 'mac': '02:00:00:00:01:01',\n"
	"     'subnets': ['a-web', 'a-db'],\n"
	"     'routes': [{'cidr': '0.0.0.0/0', 'next_hop': '10.0.2.10'},\n"
	"                {'next_hop': '10.0.1.5', 'cidr': '192.168.0.0/16'}]},\n"
	"    {'name': 'r2', 'mac': '02:00:00:00:02:01', 'subnets': ['b-web']}\n"
	"  ],\n"
	"  'networks': [\n"
	"    {'name': 'tenant-a', 'segment_id': 100, 'ports': ['vm1', 'vm2'],\n"
	"     'subnets': [\n"
	"       {'name': 'a-web', 'cidr': '10.0.1.0/24', 'gateway': '10.0.1.1',\n"
	"        'dhcp': {'enabled': true, 'range': ['10.0.1.100', '10.0.1.200'],\n"
	"                 'dns': ['10.0.1.2', '8.8.8.8'], 'domain': 'a.example',\n"
	"                 'lease_seconds': 3600, 'mtu': 1450}},\n"
	"       {'gateway': '10.0.2.254', 'name': 'a-db', 'cidr': '10.0.2.0/24'}]},\n"
	"    {'name': 'tenant-b', 'segment_id': 16777215, 'ports': ['vm3'],\n"
	"     'subnets': [{'name': 'b-web', 'cidr': '10.0.1.0/24',\n"
	"                  'gateway': '10.0.1.1',\n"
	"                  'dhcp': {'range': ['10.0.1.2', '10.0.1.2']}}]},\n"
	"    {'name': 'empty', 'segment_id': 0}\n"
	"  ],\n"
	"  'dhcp_state_file': '/tmp/nfv-leases',\n"
	"  'ports': [\n"
	"    {'name': 'vm1', 'devargs': 'net_null0'},\n"
	"    {'name': 'vm2', 'devargs': 'net_null1'},\n"
	"    {'name': 'vm3', 'devargs': 'net_null2'},\n"
	"    {'name': 'uplink', 'devargs': 'net_null3'}\n"
	"  ]\n"
	"}\n";

#define IP4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static void
test_config_parses_tenant_model(void **state)
{
	static const uint8_t r1_mac[6] = { 2, 0, 0, 0, 1, 1 };
	static const uint8_t ep1_mac[6] = { 0x52, 0x54, 0, 0, 0, 2 };
	const struct nfv_network_config *net;
	const struct nfv_subnet_config *sn;
	const struct nfv_router_config *r;
	const struct nfv_endpoint_config *ep;
	struct nfv_config cfg;
	char err[NFV_CONFIG_ERR_MAX];

	(void)state;
	assert_int_equal(parse(tenant_config, &cfg, err), 0);
	assert_string_equal(err, "");
	assert_string_equal(cfg.dhcp_state_file, "/tmp/nfv-leases");

	assert_int_equal(cfg.n_networks, 3);
	net = &cfg.networks[0];
	assert_string_equal(net->name, "tenant-a");
	assert_int_equal(net->segment_id, 100);
	assert_int_equal(net->n_ports, 2);
	assert_int_equal(net->ports[0], 0);
	assert_int_equal(net->ports[1], 1);
	assert_int_equal(net->n_subnets, 2);
	sn = &net->subnets[0];
	assert_string_equal(sn->name, "a-web");
	assert_int_equal(sn->addr, IP4(10, 0, 1, 0));
	assert_int_equal(sn->prefix_len, 24);
	assert_int_equal(sn->gateway, IP4(10, 0, 1, 1));
	assert_true(sn->dhcp.enabled);
	assert_true(sn->dhcp.range_given);
	assert_int_equal(sn->dhcp.range_start, IP4(10, 0, 1, 100));
	assert_int_equal(sn->dhcp.range_end, IP4(10, 0, 1, 200));
	assert_int_equal(sn->dhcp.n_dns, 2);
	assert_int_equal(sn->dhcp.dns[0], IP4(10, 0, 1, 2));
	assert_int_equal(sn->dhcp.dns[1], IP4(8, 8, 8, 8));
	assert_string_equal(sn->dhcp.domain, "a.example");
	assert_int_equal(sn->dhcp.lease_seconds, 3600);
	assert_int_equal(sn->dhcp.mtu, 1450);
	sn = &net->subnets[1];
	assert_string_equal(sn->name, "a-db");
	assert_int_equal(sn->addr, IP4(10, 0, 2, 0));
	assert_int_equal(sn->prefix_len, 24);
	assert_int_equal(sn->gateway, IP4(10, 0, 2, 254));
	/* No "dhcp": off, with the defaults. */
	assert_false(sn->dhcp.enabled);
	assert_false(sn->dhcp.range_given);
	assert_int_equal(sn->dhcp.n_dns, 0);
	assert_null(sn->dhcp.domain);
	assert_int_equal(sn->dhcp.lease_seconds,
			 NFV_DHCP_DEFAULT_LEASE_SECONDS);
	assert_int_equal(sn->dhcp.mtu, 0);

	net = &cfg.networks[1];
	assert_string_equal(net->name, "tenant-b");
	assert_int_equal(net->segment_id, 16777215);
	assert_int_equal(net->n_ports, 1);
	assert_int_equal(net->ports[0], 2);
	assert_int_equal(net->n_subnets, 1);
	sn = &net->subnets[0];
	assert_string_equal(sn->name, "b-web");
	assert_int_equal(sn->addr, IP4(10, 0, 1, 0));
	assert_false(sn->dhcp.enabled);
	assert_true(sn->dhcp.range_given);
	assert_int_equal(sn->dhcp.range_start, IP4(10, 0, 1, 2));
	assert_int_equal(sn->dhcp.range_end, IP4(10, 0, 1, 2));
	assert_int_equal(sn->dhcp.lease_seconds, 86400);

	net = &cfg.networks[2];
	assert_string_equal(net->name, "empty");
	assert_int_equal(net->segment_id, 0);
	assert_int_equal(net->n_ports, 0);
	assert_null(net->ports);
	assert_int_equal(net->n_subnets, 0);
	assert_null(net->subnets);

	assert_int_equal(cfg.n_routers, 2);
	r = &cfg.routers[0];
	assert_string_equal(r->name, "r1");
	assert_memory_equal(r->mac, r1_mac, 6);
	assert_int_equal(r->n_subnets, 2);
	assert_int_equal(r->subnets[0].network, 0);
	assert_int_equal(r->subnets[0].subnet, 0);
	assert_int_equal(r->subnets[1].network, 0);
	assert_int_equal(r->subnets[1].subnet, 1);
	assert_int_equal(r->n_routes, 2);
	assert_int_equal(r->routes[0].addr, 0);
	assert_int_equal(r->routes[0].prefix_len, 0);
	assert_int_equal(r->routes[0].next_hop, IP4(10, 0, 2, 10));
	assert_int_equal(r->routes[0].subnet, 1);
	assert_int_equal(r->routes[1].addr, IP4(192, 168, 0, 0));
	assert_int_equal(r->routes[1].prefix_len, 16);
	assert_int_equal(r->routes[1].next_hop, IP4(10, 0, 1, 5));
	assert_int_equal(r->routes[1].subnet, 0);
	r = &cfg.routers[1];
	assert_string_equal(r->name, "r2");
	assert_int_equal(r->n_subnets, 1);
	assert_int_equal(r->subnets[0].network, 1);
	assert_int_equal(r->subnets[0].subnet, 0);
	assert_int_equal(r->n_routes, 0);
	assert_null(r->routes);

	assert_int_equal(cfg.n_endpoints, 3);
	ep = &cfg.endpoints[0];
	assert_int_equal(ep->port, 0);
	assert_int_equal(ep->ip, IP4(10, 0, 1, 10));
	assert_int_equal(ep->network, 0);
	assert_int_equal(ep->subnet, 0);
	ep = &cfg.endpoints[1];
	assert_int_equal(ep->port, 1);
	assert_memory_equal(ep->mac, ep1_mac, 6);
	assert_int_equal(ep->ip, IP4(10, 0, 2, 20));
	assert_int_equal(ep->network, 0);
	assert_int_equal(ep->subnet, 1);
	/* The same address in another network is another endpoint. */
	ep = &cfg.endpoints[2];
	assert_int_equal(ep->port, 2);
	assert_int_equal(ep->ip, IP4(10, 0, 1, 10));
	assert_int_equal(ep->network, 1);
	assert_int_equal(ep->subnet, 0);

	nfv_config_fini(&cfg);
	assert_true(cfg_is_zero(&cfg));
}

static void
test_config_accepts_tenant_boundaries(void **state)
{
	struct nfv_config cfg;
	char err[NFV_CONFIG_ERR_MAX];

	(void)state;
	assert_int_equal(parse("{'ports': [" P("vm1", "d") "],"
			       " 'networks': [], 'routers': [], 'endpoints': [],"
			       " 'dhcp_state_file': '/x'}", &cfg, err), 0);
	assert_int_equal(cfg.n_networks, 0);
	assert_null(cfg.networks);
	assert_string_equal(cfg.dhcp_state_file, "/x");
	nfv_config_fini(&cfg);

	assert_int_equal(parse("{'ports': [" P("vm1", "d") "],"
			       " 'networks': [{'name': 'n', 'segment_id': 1, 'ports': ['vm1'],"
			       "  'subnets': [{'name': 's', 'cidr': '10.0.0.0/30',"
			       "   'gateway': '10.0.0.2', 'dhcp': {'enabled': true,"
			       "   'range': ['10.0.0.1', '10.0.0.1'], 'dns': [],"
			       "   'lease_seconds': 60, 'mtu': 68}},"
			       "  {'name': 't', 'cidr': '10.0.0.4/30', 'gateway': '10.0.0.5',"
			       "   'dhcp': {'enabled': false, 'lease_seconds': 31536000,"
			       "   'mtu': 9600, 'dns': ['1.1.1.1', '1.0.0.1', '8.8.8.8', '8.8.4.4']}}]}],"
			       " 'endpoints': [{'port': 'vm1', 'mac': '02:00:00:00:00:00',"
			       "  'ip': '10.0.0.6'}]}", &cfg, err), 0);
	assert_int_equal(cfg.networks[0].subnets[0].prefix_len, 30);
	assert_int_equal(cfg.networks[0].subnets[0].dhcp.lease_seconds, 60);
	assert_int_equal(cfg.networks[0].subnets[1].dhcp.n_dns, 4);
	assert_int_equal(cfg.networks[0].subnets[1].dhcp.mtu, 9600);
	assert_int_equal(cfg.endpoints[0].subnet, 1);
	nfv_config_fini(&cfg);
}

/* Three ports, vm4 in no network; tenant-a (vm1, vm2) has a-web
 * 10.0.1.0/24 and a-db 10.0.2.0/24, tenant-b (vm3) has b-web 10.0.1.0/24. */
#define TPORTS "'ports': [" P("vm1", "d1") ", " P("vm2", "d2") ", " \
	P("vm3", "d3") ", " P("vm4", "d4") "]"
#define SN(name, cidr, gw) \
	"{'name': '" name "', 'cidr': '" cidr "', 'gateway': '" gw "'}"
#define NET_A "{'name': 'tenant-a', 'segment_id': 100, 'ports': ['vm1', 'vm2']," \
	" 'subnets': [" SN("a-web", "10.0.1.0/24", "10.0.1.1") ", " \
	SN("a-db", "10.0.2.0/24", "10.0.2.1") "]}"
#define NET_B "{'name': 'tenant-b', 'segment_id': 200, 'ports': ['vm3']," \
	" 'subnets': [" SN("b-web", "10.0.1.0/24", "10.0.1.1") "]}"
/* The good tenants plus 'rest' (", 'key': ..."). */
#define T(rest) "{" TPORTS ", 'networks': [" NET_A ", " NET_B "]" rest "}"
/* A config whose only network is 'net'. */
#define N(net) "{" TPORTS ", 'networks': [" net "]}"
/* A config whose only network has the one subnet 'sn'. */
#define S(sn) N("{'name': 'n', 'segment_id': 1, 'subnets': [" sn "]}")
/* A subnet 10.0.1.0/24 via 10.0.1.1 with the "dhcp" object 'dhcp'. */
#define D(dhcp) S("{'name': 's', 'cidr': '10.0.1.0/24', 'gateway': '10.0.1.1'," \
		  " 'dhcp': " dhcp "}")
/* The good tenants with the one router 'r'. */
#define R(r) T(", 'routers': [" r "]")
#define RT(routes) R("{'name': 'r1', 'mac': '02:00:00:00:01:01'," \
		     " 'subnets': ['a-web', 'a-db'], 'routes': [" routes "]}")
/* The good tenants with two good endpoints and 'ep' as endpoints[2]. */
#define E(ep) T(", 'endpoints': [" \
	"{'port': 'vm1', 'mac': '52:54:00:00:00:01', 'ip': '10.0.1.10'}, " \
	"{'port': 'vm3', 'mac': '52:54:00:00:00:03', 'ip': '10.0.1.10'}, " \
	ep "]")

/* Expected errors are compared whole. */
static const struct bad_case bad_tenant_cases[] = {
	/* networks: types and shapes */
	{ T(", 'tenants': []"), "tenants: unknown key" },
	{ "{" TPORTS ", 'networks': {}}", "networks: expected array, got object" },
	{ N("1"), "networks[0]: expected object, got integer" },
	{ N("{'segment_id': 1}"), "networks[0].name: missing required key" },
	{ N("{'name': 'n'}"), "networks[0].segment_id: missing required key" },
	{ N("{'name': 'n', 'segment_id': 1, 'vlan': 5}"),
	  "networks[0].vlan: unknown key" },
	{ N("{'name': 5, 'segment_id': 1}"),
	  "networks[0].name: expected string, got integer" },
	{ N("{'name': 'a b', 'segment_id': 1}"),
	  "networks[0].name: expected 1..31 characters of A-Z a-z 0-9 _ . -, got 'a b'" },
	{ N("{'name': '', 'segment_id': 1}"),
	  "networks[0].name: expected 1..31 characters of A-Z a-z 0-9 _ . -, got ''" },
	{ N("{'name': 'n', 'segment_id': '1'}"),
	  "networks[0].segment_id: expected integer 0..16777215, got string" },
	{ N("{'name': 'n', 'segment_id': 16777216}"),
	  "networks[0].segment_id: expected integer 0..16777215, got 16777216" },
	{ N("{'name': 'n', 'segment_id': -1}"),
	  "networks[0].segment_id: expected integer 0..16777215, got -1" },
	{ N("{'name': 'n', 'segment_id': 1, 'ports': 'vm1'}"),
	  "networks[0].ports: expected array, got string" },
	{ N("{'name': 'n', 'segment_id': 1, 'ports': ['vm1', 2]}"),
	  "networks[0].ports[1]: expected string, got integer" },
	{ N("{'name': 'n', 'segment_id': 1, 'subnets': {}}"),
	  "networks[0].subnets: expected array, got object" },
	{ S("'s'"), "networks[0].subnets[0]: expected object, got string" },
	/* subnets */
	{ S("{'cidr': '10.0.1.0/24', 'gateway': '10.0.1.1'}"),
	  "networks[0].subnets[0].name: missing required key" },
	{ S("{'name': 's', 'gateway': '10.0.1.1'}"),
	  "networks[0].subnets[0].cidr: missing required key" },
	{ S("{'name': 's', 'cidr': '10.0.1.0/24'}"),
	  "networks[0].subnets[0].gateway: missing required key" },
	{ S("{'name': 's', 'cidr': '10.0.1.0/24', 'gateway': '10.0.1.1', 'vlan': 1}"),
	  "networks[0].subnets[0].vlan: unknown key" },
	{ S("{'name': ['s'], 'cidr': '10.0.1.0/24', 'gateway': '10.0.1.1'}"),
	  "networks[0].subnets[0].name: expected string, got array" },
	{ S(SN("s/1", "10.0.1.0/24", "10.0.1.1")),
	  "networks[0].subnets[0].name: expected 1..31 characters of A-Z a-z 0-9 _ . -, got 's/1'" },
	{ S("{'name': 's', 'cidr': 10, 'gateway': '10.0.1.1'}"),
	  "networks[0].subnets[0].cidr: expected string, got integer" },
	{ S(SN("s", "10.0.1.0", "10.0.1.1")),
	  "networks[0].subnets[0].cidr: expected an IPv4 prefix a.b.c.d/n with n 0..32, got '10.0.1.0'" },
	{ S(SN("s", "10.0.1.0/33", "10.0.1.1")),
	  "networks[0].subnets[0].cidr: expected an IPv4 prefix a.b.c.d/n with n 0..32, got '10.0.1.0/33'" },
	{ S(SN("s", "10.0.1/24", "10.0.1.1")),
	  "networks[0].subnets[0].cidr: expected an IPv4 prefix a.b.c.d/n with n 0..32, got '10.0.1/24'" },
	{ S(SN("s", "10.0.1.0/", "10.0.1.1")),
	  "networks[0].subnets[0].cidr: expected an IPv4 prefix a.b.c.d/n with n 0..32, got '10.0.1.0/'" },
	{ S(SN("s", "10.0.1.0/2x", "10.0.1.1")),
	  "networks[0].subnets[0].cidr: expected an IPv4 prefix a.b.c.d/n with n 0..32, got '10.0.1.0/2x'" },
	{ S(SN("s", "10.0.1.0/-1", "10.0.1.1")),
	  "networks[0].subnets[0].cidr: expected an IPv4 prefix a.b.c.d/n with n 0..32, got '10.0.1.0/-1'" },
	{ S(SN("s", "10.0.1.1/24", "10.0.1.1")),
	  "networks[0].subnets[0].cidr: '10.0.1.1/24' has host bits set; the prefix is 10.0.1.0/24" },
	{ S(SN("s", "10.0.1.128/23", "10.0.1.1")),
	  "networks[0].subnets[0].cidr: '10.0.1.128/23' has host bits set; the prefix is 10.0.0.0/23" },
	{ S("{'name': 's', 'cidr': '10.0.1.0/24', 'gateway': true}"),
	  "networks[0].subnets[0].gateway: expected string, got true" },
	{ S(SN("s", "10.0.1.0/24", "10.0.1.256")),
	  "networks[0].subnets[0].gateway: expected an IPv4 address a.b.c.d, got '10.0.1.256'" },
	{ "{" TPORTS ", 'networks': [" NET_A ", {'name': 'n', 'segment_id': 1,"
	  " 'subnets': [" SN("s", "10.0.1.0/24", "10.0.2.1") "]}]}",
	  "networks[1].subnets[0].gateway: 10.0.2.1 is outside 10.0.1.0/24" },
	{ S(SN("s", "10.0.1.0/24", "10.0.1.0")),
	  "networks[0].subnets[0].gateway: 10.0.1.0 is the network address of 10.0.1.0/24" },
	{ S(SN("s", "10.0.1.0/24", "10.0.1.255")),
	  "networks[0].subnets[0].gateway: 10.0.1.255 is the broadcast address of 10.0.1.0/24" },
	{ S(SN("s", "10.0.1.7/32", "10.0.1.7")),
	  "networks[0].subnets[0].gateway: 10.0.1.7 is the network address of 10.0.1.7/32" },
	/* dhcp */
	{ D("'yes'"), "networks[0].subnets[0].dhcp: expected object, got string" },
	{ D("{'lease': 60}"), "networks[0].subnets[0].dhcp.lease: unknown key" },
	{ D("{'enabled': 1}"),
	  "networks[0].subnets[0].dhcp.enabled: expected true or false, got integer" },
	{ D("{'enabled': 'true'}"),
	  "networks[0].subnets[0].dhcp.enabled: expected true or false, got string" },
	{ D("{'enabled': true}"),
	  "networks[0].subnets[0].dhcp.range: required when dhcp is enabled" },
	{ D("{'range': '10.0.1.10-10.0.1.20'}"),
	  "networks[0].subnets[0].dhcp.range: expected [start, end], got string" },
	{ D("{'range': ['10.0.1.10']}"),
	  "networks[0].subnets[0].dhcp.range: expected [start, end], got 1 entries" },
	{ D("{'range': ['10.0.1.10', '10.0.1.20', '10.0.1.30']}"),
	  "networks[0].subnets[0].dhcp.range: expected [start, end], got 3 entries" },
	{ D("{'range': [10, '10.0.1.20']}"),
	  "networks[0].subnets[0].dhcp.range[0]: expected string, got integer" },
	{ D("{'range': ['10.0.1.10', 'x']}"),
	  "networks[0].subnets[0].dhcp.range[1]: expected an IPv4 address a.b.c.d, got 'x'" },
	{ D("{'range': ['10.0.0.10', '10.0.1.20']}"),
	  "networks[0].subnets[0].dhcp.range[0]: 10.0.0.10 is outside 10.0.1.0/24" },
	{ D("{'range': ['10.0.1.10', '10.0.2.5']}"),
	  "networks[0].subnets[0].dhcp.range[1]: 10.0.2.5 is outside 10.0.1.0/24" },
	{ D("{'range': ['10.0.1.0', '10.0.1.20']}"),
	  "networks[0].subnets[0].dhcp.range[0]: 10.0.1.0 is the network address of 10.0.1.0/24" },
	{ D("{'range': ['10.0.1.10', '10.0.1.255']}"),
	  "networks[0].subnets[0].dhcp.range[1]: 10.0.1.255 is the broadcast address of 10.0.1.0/24" },
	{ D("{'range': ['10.0.1.200', '10.0.1.100']}"),
	  "networks[0].subnets[0].dhcp.range: start 10.0.1.200 is after end 10.0.1.100" },
	{ D("{'range': ['10.0.1.1', '10.0.1.100']}"),
	  "networks[0].subnets[0].dhcp.range: 10.0.1.1..10.0.1.100 includes the gateway 10.0.1.1" },
	{ S("{'name': 's', 'cidr': '10.0.1.0/24', 'gateway': '10.0.1.150',"
	    " 'dhcp': {'enabled': true, 'range': ['10.0.1.100', '10.0.1.200']}}"),
	  "networks[0].subnets[0].dhcp.range: 10.0.1.100..10.0.1.200 includes the gateway 10.0.1.150" },
	{ D("{'dns': '10.0.1.2'}"),
	  "networks[0].subnets[0].dhcp.dns: expected array, got string" },
	{ D("{'dns': ['1.1.1.1', '1.1.1.2', '1.1.1.3', '1.1.1.4', '1.1.1.5']}"),
	  "networks[0].subnets[0].dhcp.dns: expected at most 4 entries, got 5" },
	{ D("{'dns': ['1.1.1.1', null]}"),
	  "networks[0].subnets[0].dhcp.dns[1]: expected string, got null" },
	{ D("{'dns': ['dns.example']}"),
	  "networks[0].subnets[0].dhcp.dns[0]: expected an IPv4 address a.b.c.d, got 'dns.example'" },
	{ D("{'domain': 5}"),
	  "networks[0].subnets[0].dhcp.domain: expected string, got integer" },
	{ D("{'domain': ''}"),
	  "networks[0].subnets[0].dhcp.domain: expected a domain name of 1..253 characters of A-Z a-z 0-9 . -, got ''" },
	{ D("{'domain': 'a b'}"),
	  "networks[0].subnets[0].dhcp.domain: expected a domain name of 1..253 characters of A-Z a-z 0-9 . -, got 'a b'" },
	{ D("{'lease_seconds': 59}"),
	  "networks[0].subnets[0].dhcp.lease_seconds: expected integer 60..31536000, got 59" },
	{ D("{'lease_seconds': 31536001}"),
	  "networks[0].subnets[0].dhcp.lease_seconds: expected integer 60..31536000, got 31536001" },
	{ D("{'lease_seconds': '3600'}"),
	  "networks[0].subnets[0].dhcp.lease_seconds: expected integer 60..31536000, got string" },
	{ D("{'mtu': 67}"),
	  "networks[0].subnets[0].dhcp.mtu: expected integer 68..9600, got 67" },
	{ D("{'mtu': 9601}"),
	  "networks[0].subnets[0].dhcp.mtu: expected integer 68..9600, got 9601" },
	{ D("{'mtu': 1500.0}"),
	  "networks[0].subnets[0].dhcp.mtu: expected integer 68..9600, got real" },
	/* networks: duplicates and overlap */
	{ "{" TPORTS ", 'networks': [" NET_A ", {'name': 'tenant-a', 'segment_id': 1}]}",
	  "networks[1].name: duplicate network name 'tenant-a' (also networks[0])" },
	{ "{" TPORTS ", 'networks': [" NET_A ", {'name': 'n', 'segment_id': 100}]}",
	  "networks[1].segment_id: duplicate segment_id 100 (also networks[0] 'tenant-a')" },
	{ S(SN("s", "10.0.1.0/24", "10.0.1.1") ", " SN("s", "10.0.2.0/24", "10.0.2.1")),
	  "networks[0].subnets[1].name: duplicate subnet name 's' (also networks[0].subnets[0])" },
	{ "{" TPORTS ", 'networks': [" NET_A ", {'name': 'n', 'segment_id': 1,"
	  " 'subnets': [" SN("x", "10.0.3.0/24", "10.0.3.1") ", "
	  SN("a-db", "10.0.2.0/24", "10.0.2.1") "]}]}",
	  "networks[1].subnets[1].name: duplicate subnet name 'a-db' (also networks[0].subnets[1])" },
	{ S(SN("s", "10.0.0.0/16", "10.0.0.1") ", " SN("t", "10.0.1.0/24", "10.0.1.1")),
	  "networks[0].subnets[1].cidr: overlaps 10.0.0.0/16 of subnet 's' (networks[0].subnets[0])" },
	{ S(SN("s", "10.0.1.0/24", "10.0.1.1") ", " SN("t", "10.0.1.0/24", "10.0.1.1")),
	  "networks[0].subnets[1].cidr: overlaps 10.0.1.0/24 of subnet 's' (networks[0].subnets[0])" },
	{ S(SN("s", "10.0.1.0/25", "10.0.1.1") ", " SN("t", "10.0.2.0/24", "10.0.2.1") ", "
	    SN("u", "10.0.0.0/8", "10.9.9.9")),
	  "networks[0].subnets[2].cidr: overlaps 10.0.1.0/25 of subnet 's' (networks[0].subnets[0])" },
	/* networks: ports */
	{ N("{'name': 'n', 'segment_id': 1, 'ports': ['vm1', 'vm9']}"),
	  "networks[0].ports[1]: no such port 'vm9'" },
	{ N("{'name': 'tenant-a', 'segment_id': 1, 'ports': ['vm2', 'vm2']}"),
	  "networks[0].ports[1]: port 'vm2' is already in network 'tenant-a'" },
	{ "{" TPORTS ", 'networks': [" NET_A ", " NET_B ", {'name': 'n', 'segment_id': 1,"
	  " 'ports': ['vm4', 'vm2']}]}",
	  "networks[2].ports[1]: port 'vm2' is already in network 'tenant-a'" },
	/* routers */
	{ T(", 'routers': {}"), "routers: expected array, got object" },
	{ R("'r1'"), "routers[0]: expected object, got string" },
	{ R("{'mac': '02:00:00:00:01:01'}"), "routers[0].name: missing required key" },
	{ R("{'name': 'r1'}"), "routers[0].mac: missing required key" },
	{ R("{'name': 'r1', 'mac': '02:00:00:00:01:01', 'ip': '10.0.1.1'}"),
	  "routers[0].ip: unknown key" },
	{ R("{'name': 1, 'mac': '02:00:00:00:01:01'}"),
	  "routers[0].name: expected string, got integer" },
	{ R("{'name': 'r 1', 'mac': '02:00:00:00:01:01'}"),
	  "routers[0].name: expected 1..31 characters of A-Z a-z 0-9 _ . -, got 'r 1'" },
	{ R("{'name': 'r1', 'mac': 2}"), "routers[0].mac: expected string, got integer" },
	{ R("{'name': 'r1', 'mac': '02:00:00:00:01'}"),
	  "routers[0].mac: expected a MAC address xx:xx:xx:xx:xx:xx, got '02:00:00:00:01'" },
	{ R("{'name': 'r1', 'mac': '02-00-00-00-01-01'}"),
	  "routers[0].mac: expected a MAC address xx:xx:xx:xx:xx:xx, got '02-00-00-00-01-01'" },
	{ R("{'name': 'r1', 'mac': '02:00:00:00:01:0g'}"),
	  "routers[0].mac: expected a MAC address xx:xx:xx:xx:xx:xx, got '02:00:00:00:01:0g'" },
	{ R("{'name': 'r1', 'mac': '01:00:5e:00:00:01'}"),
	  "routers[0].mac: 01:00:5e:00:00:01 is a multicast address; expected a unicast MAC" },
	{ R("{'name': 'r1', 'mac': 'ff:ff:ff:ff:ff:ff'}"),
	  "routers[0].mac: ff:ff:ff:ff:ff:ff is a multicast address; expected a unicast MAC" },
	{ R("{'name': 'r1', 'mac': '00:00:00:00:00:00'}"),
	  "routers[0].mac: 00:00:00:00:00:00 is not a usable MAC address" },
	{ R("{'name': 'r1', 'mac': '02:00:00:00:01:01', 'subnets': 'a-web'}"),
	  "routers[0].subnets: expected array, got string" },
	{ R("{'name': 'r1', 'mac': '02:00:00:00:01:01', 'subnets': ['a-web', {}]}"),
	  "routers[0].subnets[1]: expected string, got object" },
	{ R("{'name': 'r1', 'mac': '02:00:00:00:01:01', 'subnets': ['a-web', 'b-db']}"),
	  "routers[0].subnets[1]: no such subnet 'b-db'" },
	{ R("{'name': 'r1', 'mac': '02:00:00:00:01:01', 'subnets': ['a-web', 'a-web']}"),
	  "routers[0].subnets[1]: subnet 'a-web' is already on router 'r1'" },
	{ R("{'name': 'r1', 'mac': '02:00:00:00:01:01', 'subnets': ['a-web']},"
	    " {'name': 'r2', 'mac': '02:00:00:00:01:02', 'subnets': ['a-db', 'a-web']}"),
	  "routers[1].subnets[1]: subnet 'a-web' is already on router 'r1'" },
	{ R("{'name': 'r1', 'mac': '02:00:00:00:01:01', 'subnets': ['a-web', 'b-web']}"),
	  "routers[0].subnets[1]: subnet 'b-web' (10.0.1.0/24) overlaps subnet 'a-web' on the same router" },
	{ R("{'name': 'r1', 'mac': '02:00:00:00:01:01'},"
	    " {'name': 'r1', 'mac': '02:00:00:00:01:02'}"),
	  "routers[1].name: duplicate router name 'r1' (also routers[0])" },
	{ R("{'name': 'r1', 'mac': '02:00:00:00:01:01', 'routes': {}}"),
	  "routers[0].routes: expected array, got object" },
	{ RT("'0.0.0.0/0'"), "routers[0].routes[0]: expected object, got string" },
	{ RT("{'cidr': '0.0.0.0/0'}"), "routers[0].routes[0].next_hop: missing required key" },
	{ RT("{'next_hop': '10.0.1.9'}"), "routers[0].routes[0].cidr: missing required key" },
	{ RT("{'cidr': '0.0.0.0/0', 'next_hop': '10.0.1.9', 'metric': 1}"),
	  "routers[0].routes[0].metric: unknown key" },
	{ RT("{'cidr': 0, 'next_hop': '10.0.1.9'}"),
	  "routers[0].routes[0].cidr: expected string, got integer" },
	{ RT("{'cidr': 'default', 'next_hop': '10.0.1.9'}"),
	  "routers[0].routes[0].cidr: expected an IPv4 prefix a.b.c.d/n with n 0..32, got 'default'" },
	{ RT("{'cidr': '192.168.1.0/16', 'next_hop': '10.0.1.9'}"),
	  "routers[0].routes[0].cidr: '192.168.1.0/16' has host bits set; the prefix is 192.168.0.0/16" },
	{ RT("{'cidr': '0.0.0.0/0', 'next_hop': 10}"),
	  "routers[0].routes[0].next_hop: expected string, got integer" },
	{ RT("{'cidr': '0.0.0.0/0', 'next_hop': '10.0.1'}"),
	  "routers[0].routes[0].next_hop: expected an IPv4 address a.b.c.d, got '10.0.1'" },
	{ RT("{'cidr': '0.0.0.0/0', 'next_hop': '10.0.1.9'},"
	     " {'cidr': '0.0.0.0/0', 'next_hop': '10.0.2.9'}"),
	  "routers[0].routes[1].cidr: duplicate route 0.0.0.0/0 (also routers[0].routes[0])" },
	{ RT("{'cidr': '0.0.0.0/0', 'next_hop': '10.0.3.1'}"),
	  "routers[0].routes[0].next_hop: 10.0.3.1 is not in a subnet of router 'r1'" },
	{ R("{'name': 'r1', 'mac': '02:00:00:00:01:01',"
	    " 'routes': [{'cidr': '0.0.0.0/0', 'next_hop': '10.0.1.9'}]}"),
	  "routers[0].routes[0].next_hop: 10.0.1.9 is not in a subnet of router 'r1'" },
	{ RT("{'cidr': '0.0.0.0/0', 'next_hop': '10.0.2.255'}"),
	  "routers[0].routes[0].next_hop: 10.0.2.255 is the broadcast address of 10.0.2.0/24" },
	{ RT("{'cidr': '0.0.0.0/0', 'next_hop': '10.0.1.1'}"),
	  "routers[0].routes[0].next_hop: 10.0.1.1 is the router's own address on subnet 'a-web'" },
	/* endpoints */
	{ T(", 'endpoints': 'vm1'"), "endpoints: expected array, got string" },
	{ E("[]"), "endpoints[2]: expected object, got array" },
	{ E("{'mac': '52:54:00:00:00:09', 'ip': '10.0.1.9'}"),
	  "endpoints[2].port: missing required key" },
	{ E("{'port': 'vm2', 'ip': '10.0.1.9'}"), "endpoints[2].mac: missing required key" },
	{ E("{'port': 'vm2', 'mac': '52:54:00:00:00:09'}"),
	  "endpoints[2].ip: missing required key" },
	{ E("{'port': 'vm2', 'mac': '52:54:00:00:00:09', 'ip': '10.0.1.9', 'vlan': 1}"),
	  "endpoints[2].vlan: unknown key" },
	{ E("{'port': 2, 'mac': '52:54:00:00:00:09', 'ip': '10.0.1.9'}"),
	  "endpoints[2].port: expected string, got integer" },
	{ E("{'port': 'vm9', 'mac': '52:54:00:00:00:09', 'ip': '10.0.1.9'}"),
	  "endpoints[2].port: no such port 'vm9'" },
	{ E("{'port': 'vm4', 'mac': '52:54:00:00:00:09', 'ip': '10.0.1.9'}"),
	  "endpoints[2].port: port 'vm4' is in no network" },
	{ E("{'port': 'vm2', 'mac': false, 'ip': '10.0.1.9'}"),
	  "endpoints[2].mac: expected string, got false" },
	{ E("{'port': 'vm2', 'mac': '53:54:00:00:00:09', 'ip': '10.0.1.9'}"),
	  "endpoints[2].mac: 53:54:00:00:00:09 is a multicast address; expected a unicast MAC" },
	{ E("{'port': 'vm2', 'mac': '52:54:00:00:00:01', 'ip': '10.0.1.9'}"),
	  "endpoints[2].mac: duplicate MAC 52:54:00:00:00:01 (also endpoints[0])" },
	{ E("{'port': 'vm2', 'mac': '52:54:00:00:00:09', 'ip': 10}"),
	  "endpoints[2].ip: expected string, got integer" },
	{ E("{'port': 'vm2', 'mac': '52:54:00:00:00:09', 'ip': '10.0.1.09'}"),
	  "endpoints[2].ip: expected an IPv4 address a.b.c.d, got '10.0.1.09'" },
	{ E("{'port': 'vm2', 'mac': '52:54:00:00:00:09', 'ip': '10.0.3.9'}"),
	  "endpoints[2].ip: 10.0.3.9 is not in a subnet of network 'tenant-a'" },
	{ E("{'port': 'vm2', 'mac': '52:54:00:00:00:09', 'ip': '10.0.2.1'}"),
	  "endpoints[2].ip: 10.0.2.1 is the gateway of subnet 'a-db'" },
	{ E("{'port': 'vm2', 'mac': '52:54:00:00:00:09', 'ip': '10.0.2.0'}"),
	  "endpoints[2].ip: 10.0.2.0 is the network address of 10.0.2.0/24" },
	{ E("{'port': 'vm2', 'mac': '52:54:00:00:00:09', 'ip': '10.0.1.10'}"),
	  "endpoints[2].ip: 10.0.1.10 is already used by endpoints[0] in network 'tenant-a'" },
	/* dhcp_state_file */
	{ T(", 'dhcp_state_file': 5"),
	  "dhcp_state_file: expected non-empty string, got integer" },
	{ T(", 'dhcp_state_file': ''"),
	  "dhcp_state_file: expected non-empty string, got \"\"" },
	{ T(", 'dhcp_state_file': 'leases'"),
	  "dhcp_state_file: expected an absolute path, got 'leases'" },
};

static void
test_config_rejects_bad_tenant_configs(void **state)
{
	struct nfv_config cfg;
	char err[NFV_CONFIG_ERR_MAX];
	unsigned int i;
	int ret;

	(void)state;
	/* The macros build a good config when nothing is wrong. */
	assert_int_equal(parse(T(""), &cfg, err), 0);
	nfv_config_fini(&cfg);
	assert_int_equal(parse(E("{'port': 'vm2', 'mac': '52:54:00:00:00:09', 'ip': '10.0.2.9'}"),
			       &cfg, err), 0);
	nfv_config_fini(&cfg);
	assert_int_equal(parse(RT("{'cidr': '0.0.0.0/0', 'next_hop': '10.0.1.9'}"),
			       &cfg, err), 0);
	nfv_config_fini(&cfg);
	assert_int_equal(parse(D("{'enabled': true, 'range': ['10.0.1.2', '10.0.1.254']}"),
			       &cfg, err), 0);
	nfv_config_fini(&cfg);

	for (i = 0; i < NFV_ARRAY_SIZE(bad_tenant_cases); i++) {
		memset(&cfg, 0xa5, sizeof(cfg));
		ret = parse(bad_tenant_cases[i].json, &cfg, err);
		if (ret != -EINVAL || strcmp(err, bad_tenant_cases[i].err) != 0 ||
		    !cfg_is_zero(&cfg))
			fail_msg("case %u: %s\n  ret %d, error '%s'\n  expected '%s'",
				 i, bad_tenant_cases[i].json, ret, err,
				 bad_tenant_cases[i].err);
	}
}

static void
test_config_rejects_too_many_ports_and_flows(void **state)
{
	struct nfv_config cfg;
	char err[NFV_CONFIG_ERR_MAX];
	size_t i, size = 2 * 1024 * 1024;
	char *s = malloc(size), *p = s;

	(void)state;
	assert_non_null(s);
	p += sprintf(p, "{\"ports\": [");
	for (i = 0; i <= NFV_MAX_PORTS; i++)
		p += sprintf(p, "%s{\"name\": \"p%zu\", \"devargs\": \"d%zu\"}",
			     i ? ", " : "", i, i);
	p += sprintf(p, "]}");
	assert_int_equal(nfv_config_parse(s, p - s, &cfg, err), -EINVAL);
	assert_string_equal(err, "ports: expected 1..64 entries, got 65");
	assert_true(cfg_is_zero(&cfg));

	p = s;
	p += sprintf(p, "{" "\"ports\": [{\"name\": \"a\", \"devargs\": \"d\"}],"
		     " \"flows\": [");
	for (i = 0; i <= NFV_CONFIG_MAX_FLOWS; i++)
		p += sprintf(p, "%s\"actions=drop\"", i ? "," : "");
	p += sprintf(p, "]}");
	assert_true((size_t)(p - s) < size);
	assert_int_equal(nfv_config_parse(s, p - s, &cfg, err), -EINVAL);
	assert_string_equal(err, "flows: expected at most 65536 entries, got 65537");
	assert_true(cfg_is_zero(&cfg));
	free(s);
}

static void
test_config_port_index_finds_ports(void **state)
{
	struct nfv_config cfg;
	char err[NFV_CONFIG_ERR_MAX];

	(void)state;
	assert_int_equal(parse(good_config, &cfg, err), 0);
	assert_int_equal(nfv_config_port_index(&cfg, "vm1"), 0);
	assert_int_equal(nfv_config_port_index(&cfg, "uplink"), 1);
	assert_int_equal(nfv_config_port_index(&cfg, "vm2"), -1);
	assert_int_equal(nfv_config_port_index(&cfg, "VM1"), -1);
	assert_int_equal(nfv_config_port_index(&cfg, NULL), -1);
	assert_int_equal(nfv_config_port_index(NULL, "vm1"), -1);
	nfv_config_fini(&cfg);
}

static void
test_config_fini_is_null_safe(void **state)
{
	struct nfv_config cfg;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	nfv_config_fini(NULL);
	nfv_config_fini(&cfg);
	assert_true(cfg_is_zero(&cfg));
}

static void
test_config_load_missing_file(void **state)
{
	struct nfv_config cfg;
	char err[NFV_CONFIG_ERR_MAX];

	(void)state;
	memset(&cfg, 0xa5, sizeof(cfg));
	assert_int_equal(nfv_config_load("/nonexistent/nfv.json", &cfg, err),
			 -ENOENT);
	assert_string_equal(err,
			    "/nonexistent/nfv.json: No such file or directory");
	assert_true(cfg_is_zero(&cfg));
}

/* Writes the single-quoted JSON 'text' to a new temp file named in
 * 'path' (at least 64 bytes). */
static void
write_temp(char *path, const char *text)
{
	char *s = json_text(text);
	int fd;

	strcpy(path, "/tmp/test_config.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, s, strlen(s)), (ssize_t)strlen(s));
	assert_int_equal(close(fd), 0);
	free(s);
}

static void
test_config_load_reads_file(void **state)
{
	struct nfv_config cfg;
	char err[NFV_CONFIG_ERR_MAX], path[64];

	(void)state;
	write_temp(path, good_config);
	assert_int_equal(nfv_config_load(path, &cfg, err), 0);
	unlink(path);
	assert_int_equal(cfg.n_ports, 2);
	assert_string_equal(cfg.ports[1].name, "uplink");
	assert_int_equal(cfg.ports[1].mtu, 9000);
	assert_int_equal(cfg.n_flows, 2);
	nfv_config_fini(&cfg);
}

static void
test_config_load_prefixes_errors_with_path(void **state)
{
	struct nfv_config cfg;
	char err[NFV_CONFIG_ERR_MAX], path[64], want[NFV_CONFIG_ERR_MAX];

	(void)state;
	write_temp(path, "{\n  'ports': [\n    {'name': 'a' 'devargs': 'd'}\n]}\n");
	assert_int_equal(nfv_config_load(path, &cfg, err), -EINVAL);
	snprintf(want, sizeof(want),
		 "%s: line 3, column 26: '}' expected near '\"devargs\"'", path);
	assert_string_equal(err, want);
	assert_true(cfg_is_zero(&cfg));
	unlink(path);

	write_temp(path, "{'ports': [{'name': 'a', 'devargs': 'd', 'mtu': 1}]}");
	assert_int_equal(nfv_config_load(path, &cfg, err), -EINVAL);
	snprintf(want, sizeof(want),
		 "%s: ports[0].mtu: expected integer 68..9600, got 1", path);
	assert_string_equal(err, want);
	unlink(path);

	assert_int_equal(nfv_config_load("/", &cfg, err), -EISDIR);
	assert_string_equal(err, "/: Is a directory");
}

static void
test_config_mbuf_size_follows_largest_mtu(void **state)
{
	struct nfv_config cfg;
	char err[NFV_CONFIG_ERR_MAX];

	(void)state;
	/* 1500 + 26 fits the 2048 minimum: 128 + 128 + 2048 + 64. */
	assert_int_equal(parse("{'ports': [" P("a", "d") "]}", &cfg, err), 0);
	assert_int_equal(nfv_config_mbuf_size(&cfg), 2368);
	nfv_config_fini(&cfg);
	/* 9000 + 26 = 9026, rounded up to 9088. */
	assert_int_equal(parse(good_config, &cfg, err), 0);
	assert_int_equal(nfv_config_mbuf_size(&cfg), 128 + 128 + 9088 + 64);
	nfv_config_fini(&cfg);
	/* 2048 - 26 = 2022 is the largest MTU that fits 2048 bytes. */
	assert_int_equal(parse("{'ports': [{'name': 'a', 'devargs': 'd', 'mtu': 2023}]}",
			       &cfg, err), 0);
	assert_int_equal(nfv_config_mbuf_size(&cfg), 128 + 128 + 2112 + 64);
	nfv_config_fini(&cfg);
}

static void
test_config_mbufs_needed_counts_descriptors(void **state)
{
	struct nfv_config cfg;
	char err[NFV_CONFIG_ERR_MAX];

	(void)state;
	/* 1024 rx + 2 * 1024 tx + 1 * 32 * 4 + 2 * 512 + 1024 */
	assert_int_equal(parse("{'ports': [" P("a", "d") "]}", &cfg, err), 0);
	assert_int_equal(nfv_config_mbufs_needed(&cfg, 2), 5248);
	nfv_config_fini(&cfg);
	/* (1024 + 3 * 1024) + (2 * 2048 + 3 * 512) + 2 * 128 + 3 * 512
	 * + 1024 = 4096 + 5632 + 256 + 1536 + 1024; "mbufs" is smaller. */
	assert_int_equal(parse("{'pmd_cores': [1, 2], 'mbufs': 12000,"
			       " 'ports': [" P("a", "d") ","
			       " {'name': 'b', 'devargs': 'e', 'rx_queues': 2,"
			       "  'rx_desc': 2048, 'tx_desc': 512}]}",
			       &cfg, err), 0);
	assert_int_equal(nfv_config_mbufs_needed(&cfg, 3), 12544);
	/* A larger "mbufs" wins. */
	cfg.n_mbufs = 20000;
	assert_int_equal(nfv_config_mbufs_needed(&cfg, 3), 20000);
	nfv_config_fini(&cfg);
}

static void
test_config_check_memory_accepts_enough(void **state)
{
	struct nfv_config cfg;
	char err[NFV_CONFIG_ERR_MAX] = "";

	(void)state;
	/* 5248 * 2368 + 64 MiB = 79536128 bytes: 75.85 MiB, rounded to 76. */
	assert_int_equal(parse("{'ports': [" P("a", "d") "]}", &cfg, err), 0);
	assert_int_equal(nfv_config_check_memory(&cfg, 2, 76, err), 0);
	assert_int_equal(nfv_config_check_memory(&cfg, 2, UINT64_MAX, err), 0);
	nfv_config_fini(&cfg);
}

static void
test_config_check_memory_reports_shortage(void **state)
{
	struct nfv_config cfg;
	char err[NFV_CONFIG_ERR_MAX];

	(void)state;
	assert_int_equal(parse("{'ports': [" P("a", "d") "]}", &cfg, err), 0);
	assert_int_equal(nfv_config_check_memory(&cfg, 2, 75, err), -ENOMEM);
	assert_string_equal(err, "not enough memory for mbufs: need 76 MB (5248 mbufs of 2368 bytes for 1 port, plus 64 MB for EAL), EAL was given 75 MB (-m); raise \"-m\" or lower rx_desc/tx_desc/rx_queues");
	nfv_config_fini(&cfg);

	/* 12544 * 9408 + 64 MiB = 185125888 bytes: 176.55 MiB -> 177. */
	assert_int_equal(parse("{'pmd_cores': [1, 2], 'ports': [" P("a", "d") ","
			       " {'name': 'b', 'devargs': 'e', 'rx_queues': 2,"
			       "  'rx_desc': 2048, 'tx_desc': 512, 'mtu': 9000}]}",
			       &cfg, err), 0);
	assert_int_equal(nfv_config_check_memory(&cfg, 3, 177, err), 0);
	assert_int_equal(nfv_config_check_memory(&cfg, 3, 64, err), -ENOMEM);
	assert_non_null(strstr(err, "need 177 MB (12544 mbufs of 9408 bytes for 2 ports, plus 64 MB for EAL), EAL was given 64 MB (-m)"));
	nfv_config_fini(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_parses_every_key),
		cmocka_unit_test(test_config_applies_defaults),
		cmocka_unit_test(test_config_accepts_boundary_values),
		cmocka_unit_test(test_config_parses_only_len_bytes),
		cmocka_unit_test(test_config_rejects_bad_configs),
		cmocka_unit_test(test_config_error_names_key_path),
		cmocka_unit_test(test_config_parses_tenant_model),
		cmocka_unit_test(test_config_accepts_tenant_boundaries),
		cmocka_unit_test(test_config_rejects_bad_tenant_configs),
		cmocka_unit_test(test_config_rejects_too_many_ports_and_flows),
		cmocka_unit_test(test_config_port_index_finds_ports),
		cmocka_unit_test(test_config_fini_is_null_safe),
		cmocka_unit_test(test_config_load_missing_file),
		cmocka_unit_test(test_config_load_reads_file),
		cmocka_unit_test(test_config_load_prefixes_errors_with_path),
		cmocka_unit_test(test_config_mbuf_size_follows_largest_mtu),
		cmocka_unit_test(test_config_mbufs_needed_counts_descriptors),
		cmocka_unit_test(test_config_check_memory_accepts_enough),
		cmocka_unit_test(test_config_check_memory_reports_shortage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
