/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nfvswitch, the daemon:
 *
 *   nfvswitch [EAL options] -- -c CONFIG.json [options]
 *   nfvswitch -c CONFIG.json [options]      (EAL options from "eal")
 *
 * Order of work: options, the whole config validated (and the memory it
 * needs checked against EAL's "-m"), EAL, the switch (ports, pools, tables,
 * workers), the control loop until a signal or "nfvctl shutdown", then
 * everything taken down with every mbuf back in its pool. Any failure
 * before the loop runs logs one clear line and exits 1.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_version.h>

#include "config.h"
#include "flow.h"
#include "nfv_log.h"
#include "switch.h"

#define EAL_ARGS_MAX 128
#define NO_HUGE_DEFAULT_MB 64   /* what EAL gives --no-huge without -m */

struct options {
	const char *config_path;
	const char *control_socket;
	const char *log_level;
	bool check_only;
};

static struct nfv_switch *the_switch;
static volatile sig_atomic_t stop_requested;

static void
usage(FILE *f)
{
	fprintf(f,
		"Usage: nfvswitch [EAL options] -- -c CONFIG.json [options]\n"
		"       nfvswitch -c CONFIG.json [options]\n"
		"\n"
		"An OpenFlow switch on DPDK poll-mode workers. Without EAL\n"
		"options on the command line, the config's \"eal\" array is used.\n"
		"\n"
		"Options:\n"
		"  -c, --config FILE          configuration file (JSON)\n"
		"  -s, --control-socket PATH  override \"control_socket\"\n"
		"      --log-level LEVEL      nfvswitch log level (err, warning,\n"
		"                             notice, info, debug)\n"
		"      --check                validate the config and exit\n"
		"  -h, --help                 this help\n"
		"  -V, --version              print the version\n");
}

/* Parses nfvswitch's own options. Returns 0 to go on, 1 to exit 0 (help,
 * version), -1 on a usage error (already reported). */
static int
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option long_opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "control-socket", required_argument, NULL, 's' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "check", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:s:hV", long_opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->config_path = optarg;
			break;
		case 's':
			o->control_socket = optarg;
			break;
		case 'l':
			o->log_level = optarg;
			break;
		case 'k':
			o->check_only = true;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case 'V':
			printf("nfvswitch %s (%s)\n", NFV_VERSION,
			       rte_version());
			return 1;
		case ':':
			fprintf(stderr, "nfvswitch: option '%s' needs a value\n",
				argv[optind - 1]);
			return -1;
		default:
			fprintf(stderr, "nfvswitch: unknown option '%s' (EAL "
				"options go before '--'; see --help)\n",
				argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "nfvswitch: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	if (o->config_path == NULL) {
		fprintf(stderr, "nfvswitch: no config file (-c CONFIG.json); "
			"see --help\n");
		return -1;
	}
	return 0;
}

/* Megabytes that the EAL arguments give (-m, --socket-mem); 0 when they do
 * not say, so that EAL sizes memory dynamically from hugepages. */
static uint64_t
eal_memory_mb(int argc, char **argv)
{
	uint64_t mb = 0;
	bool no_huge = false;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = NULL;

		if (strcmp(a, "--no-huge") == 0)
			no_huge = true;
		else if (strcmp(a, "-m") == 0 || strcmp(a, "--socket-mem") == 0)
			v = i + 1 < argc ? argv[i + 1] : NULL;
		else if (strncmp(a, "-m", 2) == 0)
			v = a + 2;
		else if (strncmp(a, "--socket-mem=", 13) == 0)
			v = a + 13;
		while (v != NULL && *v) {
			char *end;

			mb += strtoull(v, &end, 10);
			v = *end == ',' ? end + 1 : NULL;
		}
	}
	if (mb == 0 && no_huge)
		mb = NO_HUGE_DEFAULT_MB;
	return mb;
}

static int
flow_port_by_name(void *arg, const char *name)
{
	int i = nfv_config_port_index(arg, name);

	return i < 0 ? -ENOENT : i + 1;
}

/* Checks the config's flows before anything starts: same parser and the
 * same port names the switch will use. */
static int
flows_check(const struct nfv_config *cfg, char *err)
{
	for (unsigned int i = 0; i < cfg->n_flows; i++) {
		struct nfv_flow_spec spec;
		char why[NFV_FLOW_ERR_MAX];

		if (nfv_flow_parse(cfg->flows[i], NFV_FLOW_PARSE_ADD,
				   flow_port_by_name, (void *)cfg, &spec,
				   why) < 0) {
			snprintf(err, NFV_CONFIG_ERR_MAX, "flows[%u]: %s", i,
				 why);
			return -EINVAL;
		}
		for (unsigned int a = 0; a < spec.n_actions; a++) {
			uint32_t port = spec.actions[a].arg.port;

			if (spec.actions[a].type == NFV_ACT_OUTPUT &&
			    port < NFV_OFPP_MAX &&
			    (port == 0 || port > cfg->n_ports)) {
				snprintf(err, NFV_CONFIG_ERR_MAX,
					 "flows[%u]: output:%u: no such port "
					 "(ports are 1..%u)", i, port,
					 cfg->n_ports);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* Only sets a flag: the switch may be being destroyed when a second
 * signal arrives. The control loop sees it within its 100 ms wait. */
static void
on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static int
log_level_parse(const char *s)
{
	static const char *const names[] = {
		[RTE_LOG_EMERG] = "emerg", [RTE_LOG_ALERT] = "alert",
		[RTE_LOG_CRIT] = "crit", [RTE_LOG_ERR] = "err",
		[RTE_LOG_WARNING] = "warning", [RTE_LOG_NOTICE] = "notice",
		[RTE_LOG_INFO] = "info", [RTE_LOG_DEBUG] = "debug",
	};

	for (int i = RTE_LOG_EMERG; i <= (int)RTE_LOG_DEBUG; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

int
main(int argc, char **argv)
{
	char *eal_argv[EAL_ARGS_MAX];
	int eal_argc = 0, own_first = 1, dashdash = -1, ret, level = -1;
	struct options opts = { 0 };
	struct nfv_config cfg;
	char err[NFV_CONFIG_ERR_MAX];
	unsigned int n_lost;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			dashdash = i;
			break;
		}
	}
	if (dashdash > 0)
		own_first = dashdash + 1;
	argv[own_first - 1] = argv[0];
	ret = parse_options(argc - own_first + 1, &argv[own_first - 1], &opts);
	if (ret != 0)
		return ret > 0 ? 0 : 1;
	if (opts.log_level != NULL) {
		level = log_level_parse(opts.log_level);
		if (level < 0) {
			fprintf(stderr, "nfvswitch: --log-level: unknown level "
				"'%s' (err, warning, notice, info, debug)\n",
				opts.log_level);
			return 1;
		}
	}

	if (nfv_config_load(opts.config_path, &cfg, err) < 0 ||
	    flows_check(&cfg, err) < 0) {
		fprintf(stderr, "nfvswitch: %s\n", err);
		nfv_config_fini(&cfg);
		return 1;
	}
	if (opts.control_socket != NULL) {
		free(cfg.control_socket);
		cfg.control_socket = strdup(opts.control_socket);
	}

	eal_argv[eal_argc++] = argv[0];
	if (dashdash > 0) {
		for (int i = 1; i < dashdash && eal_argc < EAL_ARGS_MAX; i++)
			eal_argv[eal_argc++] = argv[i];
	} else {
		for (int i = 0; i < cfg.eal_argc && eal_argc < EAL_ARGS_MAX;
		     i++)
			eal_argv[eal_argc++] = cfg.eal_argv[i];
	}
	uint64_t mem_mb = eal_memory_mb(eal_argc, eal_argv);
	if (mem_mb && nfv_config_check_memory(&cfg, cfg.n_pmd_cores + 1, mem_mb,
					      err) < 0) {
		fprintf(stderr, "nfvswitch: %s\n", err);
		nfv_config_fini(&cfg);
		return 1;
	}
	if (opts.check_only) {
		printf("%s: config is valid\n", opts.config_path);
		nfv_config_fini(&cfg);
		return 0;
	}

	if (rte_eal_init(eal_argc, eal_argv) < 0) {
		fprintf(stderr, "nfvswitch: EAL initialisation failed: %s\n",
			rte_strerror(rte_errno));
		nfv_config_fini(&cfg);
		return 1;
	}
	if (level >= 0)
		rte_log_set_level_pattern("nfv.*", level);

	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	ret = nfv_switch_create(&cfg, &the_switch, err);
	if (ret == 0 && nfv_switch_start(the_switch, err) < 0)
		ret = -1;
	if (ret < 0) {
		fprintf(stderr, "nfvswitch: %s\n", err);
		nfv_switch_destroy(the_switch);
		the_switch = NULL;
		rte_eal_cleanup();
		nfv_config_fini(&cfg);
		return 1;
	}
	nfv_switch_run(the_switch, &stop_requested);

	NFV_LOG(NOTICE, "stopping");
	n_lost = nfv_switch_destroy(the_switch);
	the_switch = NULL;
	rte_eal_cleanup();
	nfv_config_fini(&cfg);
	if (n_lost) {
		fprintf(stderr, "nfvswitch: %u mbufs were not returned to "
			"their pools\n", n_lost);
		return 1;
	}
	return 0;
}
