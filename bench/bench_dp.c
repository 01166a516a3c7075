/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Datapath micro-benchmark: the cost of each stage a worker runs
 * (src/pmd/worker.c), measured on the real code of src/pipeline without
 * EAL or ports, and the cost of a large flow table on the control side.
 *
 *  - parse: nfv_parse_buf() of 64-byte Ethernet/IPv4/UDP frames (60 bytes
 *    without FCS), 1024 distinct frames, all in L1/L2;
 *  - EMC hit: nfv_key_hash() + nfv_emc_lookup() of 1024 cached flows
 *    with random source addresses and ports; then the same with sources
 *    that count up (as a traffic generator makes them), whose hit rate
 *    shows how evenly the hash spreads such keys over the 2-way sets;
 *  - megaflow hit: nfv_mfc_lookup() with every entry under one mask
 *    (in_port, eth_type, ipv4_dst/24: an L3 route), then spread over 8
 *    masks (different in_port and prefix length each), the packets spread
 *    evenly over them, so a lookup probes 4.5 subtables on average;
 *  - table walk: nfv_xlate() through 4 tables chained by goto_table, a few
 *    hundred rules each (classify by source into metadata, an ACL on
 *    metadata and UDP port, an L3 route that rewrites MACs and decrements
 *    the TTL, an L2 table on the rewritten destination MAC);
 *  - flow_mod: --rules rules (default 1,000,000) parsed from text by
 *    nfv_flow_parse() and added to table 0 by nfv_pipeline_add() (no RCU
 *    readers: qsbr NULL), then nfv_pipeline_commit(); rates of each step,
 *    and the memory per rule from the growth of RSS (/proc/self/statm).
 *
 * Per-packet figures are rdtsc cycles per operation: RUNS timed runs of a
 * loop over the same inputs, the median (and the fastest) printed. Nothing
 * is asserted: figures depend on the machine and its noise; the sanity
 * checks (every lookup hits, every walk outputs) only guard the
 * measurement itself. Usage: bench_dp [--rules N].
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

#include "emc.h"
#include "flow.h"
#include "mfc.h"
#include "nfv_config.h"
#include "parse.h"
#include "table.h"
#include "xlate.h"

#define FRAME_LEN 60            /* 64 bytes on the wire, FCS not stored */
#define N_FLOWS 1024            /* distinct packets of the per-packet tests */
#define RUNS 15                 /* timed runs; the median is printed */
#define OPS_PER_RUN 65536       /* operations per timed run */
#define N_ROUTES 1000           /* /24 routes of the one-mask megaflow test */
#define N_MASKS 8
#define WALK_RULES 300          /* rules per table of the table walk */
#define FLOWMOD_CHUNK 4096      /* specs parsed before they are added */
#define DEFAULT_RULES 1000000

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t
tsc(void)
{
#if defined(__x86_64__) || defined(__i386__)
	return __rdtsc();
#else
	return 0;
#endif
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Cycles per operation of RUNS runs: median and fastest. */
struct cycles {
	double median;
	double best;
};

static struct cycles
cycles_of(double *runs)
{
	qsort(runs, RUNS, sizeof(*runs), cmp_double);
	return (struct cycles){ .median = runs[RUNS / 2], .best = runs[0] };
}

static void
print_cycles(const char *what, struct cycles c, const char *note)
{
	printf("  %-28s %8.1f cycles/pkt (fastest run %.1f)%s%s\n", what,
	       c.median, c.best, note[0] ? "  " : "", note);
}

/* Ports "p1".."p4" are OpenFlow ports 1..4. */
static int
port_by_name(void *arg, const char *name)
{
	(void)arg;
	if (name[0] == 'p' && name[1] >= '1' && name[1] <= '4' &&
	    name[2] == '\0')
		return name[1] - '0';
	return -ENOENT;
}

/* Parses 'text' into 'spec'; on error prints why and returns false. */
static bool
parse_flow(const char *text, struct nfv_flow_spec *spec)
{
	char err[NFV_FLOW_ERR_MAX];

	if (nfv_flow_parse(text, NFV_FLOW_PARSE_ADD, port_by_name, NULL, spec,
			   err) == 0)
		return true;
	fprintf(stderr, "bench_dp: %s: %s\n", text, err);
	return false;
}

static bool
add_flow(struct nfv_pipeline *p, const char *text)
{
	struct nfv_flow_spec spec;
	int ret;

	if (!parse_flow(text, &spec))
		return false;
	ret = nfv_pipeline_add(p, &spec);
	if (ret < 0) {
		fprintf(stderr, "bench_dp: add %s: %s\n", text, strerror(-ret));
		return false;
	}
	return true;
}

/* Internet checksum of 'len' bytes (even). */
static uint16_t
csum(const uint8_t *data, size_t len)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)data[i] << 8 | data[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return htons(~s & 0xffff);
}

/* A 60-byte Ethernet/IPv4/UDP frame from 'src' to 'dst' (host order). */
static void
make_frame(uint8_t *f, uint32_t src, uint32_t dst, uint16_t sport,
	   uint16_t dport)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };
	uint8_t *ip = f + 14, *udp = ip + 20;
	uint16_t v;
	uint32_t a;

	memset(f, 0, FRAME_LEN);
	memcpy(f, macs, sizeof(macs));
	f[12] = 0x08;
	ip[0] = 0x45;
	v = htons(FRAME_LEN - 14);
	memcpy(ip + 2, &v, 2);
	ip[6] = 0x40;                   /* DF */
	ip[8] = 64;
	ip[9] = 17;
	a = htonl(src);
	memcpy(ip + 12, &a, 4);
	a = htonl(dst);
	memcpy(ip + 16, &a, 4);
	v = csum(ip, 20);
	memcpy(ip + 10, &v, 2);
	v = htons(sport);
	memcpy(udp, &v, 2);
	v = htons(dport);
	memcpy(udp + 2, &v, 2);
	v = htons(FRAME_LEN - 14 - 20);
	memcpy(udp + 4, &v, 2);
}

/* Flow i of the per-packet tests: 10.0.0.0/8 -> 10.X.Y.0/24 (route
 * i % N_ROUTES), UDP to port 53. With 'sequential', the source address and
 * port count up with i, as a traffic generator makes them; else they are
 * random (the same every run). */
static void
make_flow_frame(uint8_t *f, unsigned int i, bool sequential)
{
	unsigned int route = i % N_ROUTES;
	uint32_t src = sequential ? i : (uint32_t)rnd();
	uint16_t sport = sequential ? 1024 + i : (uint16_t)rnd();

	make_frame(f, 0x0a000000 | (src & 0xffffff),
		   0x0a000000 | route << 8 | (src & 0xff), sport, 53);
}

/* Keys of N_FLOWS flows received on port 1. */
static bool
flow_keys(struct nfv_flow_key *keys, bool sequential)
{
	uint8_t f[FRAME_LEN];
	struct nfv_pkt_meta meta;

	for (unsigned int i = 0; i < N_FLOWS; i++) {
		make_flow_frame(f, i, sequential);
		if (!nfv_parse_buf(f, FRAME_LEN, 1, &keys[i], &meta)) {
			fprintf(stderr, "bench_dp: frame %u does not parse\n",
				i);
			return false;
		}
	}
	return true;
}

static void
bench_parse(void)
{
	static uint8_t frames[N_FLOWS][64] __attribute__((aligned(64)));
	double runs[RUNS];
	unsigned int bad = 0;

	for (unsigned int i = 0; i < N_FLOWS; i++)
		make_flow_frame(frames[i], i, false);
	for (unsigned int r = 0; r < RUNS; r++) {
		uint64_t c0 = tsc();

		for (unsigned int i = 0; i < OPS_PER_RUN; i++) {
			struct nfv_flow_key key;
			struct nfv_pkt_meta meta;

			bad += !nfv_parse_buf(frames[i % N_FLOWS], FRAME_LEN,
					      1, &key, &meta);
			/* Keep the key alive: the compiler must not drop
			 * the stores of a parse whose result is unused. */
			__asm__ volatile("" : : "r"(&key) : "memory");
		}
		runs[r] = (double)(tsc() - c0) / OPS_PER_RUN;
	}
	print_cycles("parse (64 B IPv4/UDP)", cycles_of(runs),
		     bad ? "(MALFORMED frames!)" : "");
}

/* A translation with one output and mask 'wc', for nfv_mfc_insert(). */
static void
xlate_output(struct nfv_xlate_out *x, const struct nfv_flow_key *wc,
	     uint32_t port)
{
	memset(x, 0, sizeof(*x));
	x->wc = *wc;
	x->n_actions = 1;
	x->actions[0].type = NFV_ACT_OUTPUT;
	x->actions[0].arg.port = port;
}

/* Megaflow mask: in_port, eth_type and ipv4_dst/'plen'. */
static void
route_mask(struct nfv_flow_key *m, unsigned int plen)
{
	memset(m, 0, sizeof(*m));
	m->in_port = UINT32_MAX;
	m->eth_type = 0xffff;
	m->ipv4_dst = htonl(UINT32_MAX << (32 - plen));
}

/* Runs RUNS timed runs of lookups of 'keys' in 'c'; counts misses. */
static struct cycles
time_mfc(struct nfv_mfc *c, const struct nfv_flow_key *keys,
	 unsigned int *misses)
{
	double runs[RUNS];

	*misses = 0;
	for (unsigned int r = 0; r < RUNS; r++) {
		uint64_t c0 = tsc();

		for (unsigned int i = 0; i < OPS_PER_RUN; i++)
			*misses += nfv_mfc_lookup(c, &keys[i % N_FLOWS]) ==
				   NULL;
		runs[r] = (double)(tsc() - c0) / OPS_PER_RUN;
	}
	return cycles_of(runs);
}

/* One megaflow per /24 route (one mask), as an L3 table makes them;
 * 'mfs' gets each key's. */
static int
cache_routes(struct nfv_mfc *c, const struct nfv_flow_key *keys,
	     struct nfv_megaflow **mfs)
{
	static struct nfv_xlate_out x;
	struct nfv_flow_key mask;

	route_mask(&mask, 24);
	xlate_output(&x, &mask, 2);
	for (unsigned int i = 0; i < N_FLOWS; i++) {
		mfs[i] = nfv_mfc_lookup(c, &keys[i]);
		if (mfs[i] == NULL)
			mfs[i] = nfv_mfc_insert(c, &keys[i], &x, 0);
		if (mfs[i] == NULL)
			return -ENOSPC;
	}
	return 0;
}

/* Caches every key in 'e' and times hash + lookup of them all; prints
 * the cycles and the hit rate: a 2-way set refuses a third key, so the
 * rate shows how well nfv_key_hash() spreads these keys. */
static void
time_emc(struct nfv_emc *e, const struct nfv_flow_key *keys,
	 struct nfv_megaflow **mfs, const char *what)
{
	unsigned int misses = 0;
	double runs[RUNS];
	char note[64];

	nfv_emc_flush(e);
	for (unsigned int i = 0; i < N_FLOWS; i++)
		nfv_emc_insert(e, &keys[i], nfv_key_hash(&keys[i]), mfs[i]);
	for (unsigned int r = 0; r < RUNS; r++) {
		uint64_t c0 = tsc();

		for (unsigned int i = 0; i < OPS_PER_RUN; i++) {
			const struct nfv_flow_key *k = &keys[i % N_FLOWS];

			misses += nfv_emc_lookup(e, k, nfv_key_hash(k)) ==
				  NULL;
		}
		runs[r] = (double)(tsc() - c0) / OPS_PER_RUN;
	}
	snprintf(note, sizeof(note), "%u flows, %.1f%% hits", N_FLOWS,
		 100.0 - 100.0 * misses / ((double)RUNS * OPS_PER_RUN));
	print_cycles(what, cycles_of(runs), note);
}

static int
bench_caches(void)
{
	static struct nfv_flow_key keys[N_FLOWS];
	static struct nfv_megaflow *mfs[N_FLOWS];
	static struct nfv_xlate_out x;
	struct nfv_flow_key mask;
	struct nfv_mfc *c;
	struct nfv_emc *e;
	struct cycles cyc;
	unsigned int misses;
	char note[64];
	int ret;

	if (nfv_mfc_create(NFV_MFC_DEFAULT_ENTRIES, &c) < 0)
		return -ENOMEM;
	ret = nfv_emc_create(NFV_EMC_DEFAULT_ENTRIES, 0, &e);
	if (ret < 0)
		goto out_mfc;

	/* Random sources first: the cost of a hit. */
	ret = flow_keys(keys, false) ? cache_routes(c, keys, mfs) : -EINVAL;
	if (ret < 0)
		goto out_emc;
	time_emc(e, keys, mfs, "EMC hit (hash + lookup)");
	cyc = time_mfc(c, keys, &misses);
	snprintf(note, sizeof(note), "%u entries", nfv_mfc_count(c));
	print_cycles("megaflow hit, 1 mask", cyc, misses ? "(MISSES!)" : note);

	/* Sources counting up, as a traffic generator's: the spread. */
	nfv_mfc_flush(c);
	ret = flow_keys(keys, true) ? cache_routes(c, keys, mfs) : -EINVAL;
	if (ret < 0)
		goto out_emc;
	time_emc(e, keys, mfs, "EMC, sequential src IP+port");

	/* Eight masks: flow i comes in on port 1 + i % 8 and hits an entry
	 * of mask i % 8 (in_port and a prefix length of its own), so entries
	 * of different masks never overlap. */
	nfv_mfc_flush(c);
	if (!flow_keys(keys, false)) {
		ret = -EINVAL;
		goto out_emc;
	}
	for (unsigned int i = 0; i < N_FLOWS; i++) {
		static const unsigned int plens[N_MASKS] = {
			32, 30, 28, 26, 24, 22, 20, 16,
		};

		keys[i].in_port = 1 + i % N_MASKS;
		route_mask(&mask, plens[i % N_MASKS]);
		xlate_output(&x, &mask, 2);
		if (nfv_mfc_lookup(c, &keys[i]) == NULL &&
		    nfv_mfc_insert(c, &keys[i], &x, 0) == NULL) {
			ret = -ENOSPC;
			goto out_emc;
		}
	}
	cyc = time_mfc(c, keys, &misses);
	snprintf(note, sizeof(note), "%u entries, %u masks", nfv_mfc_count(c),
		 nfv_mfc_n_masks(c));
	print_cycles("megaflow hit, 8 masks", cyc, misses ? "(MISSES!)" : note);

out_emc:
	nfv_emc_destroy(e);
out_mfc:
	nfv_mfc_destroy(c);
	return ret;
}

/*
 * Four tables, WALK_RULES rules each, every packet visiting all four:
 *   0: in_port + source /24 -> write_metadata (a tenant id), goto 1
 *   1: metadata + UDP destination port (an ACL), goto 2; default goto 2
 *   2: destination /24 -> set MACs, dec_ttl, goto 3
 *   3: destination MAC (as rewritten by table 2) -> output
 */
static bool
build_walk_tables(struct nfv_pipeline *p)
{
	char text[256];
	bool ok = true;

	for (unsigned int i = 0; ok && i < WALK_RULES; i++) {
		snprintf(text, sizeof(text),
			 "table=0,priority=10,ip,in_port=p1,nw_src=172.%u.%u.0/24,actions=write_metadata:%u/0xffff,goto_table:1",
			 16 + i / 256, i % 256, i + 1);
		ok = add_flow(p, text);
		snprintf(text, sizeof(text),
			 "table=1,priority=20,udp,metadata=%u/0xffff,tp_dst=%u,actions=goto_table:2",
			 i + 1, 5000 + i % 16);
		ok = ok && add_flow(p, text);
		snprintf(text, sizeof(text),
			 "table=2,priority=24,ip,nw_dst=10.%u.%u.0/24,actions=mod_dl_src:02:00:00:00:00:01,mod_dl_dst:02:00:00:00:%02x:%02x,dec_ttl,goto_table:3",
			 i / 256, i % 256, i / 256, i % 256);
		ok = ok && add_flow(p, text);
		snprintf(text, sizeof(text),
			 "table=3,priority=10,dl_dst=02:00:00:00:%02x:%02x,actions=output:p%u",
			 i / 256, i % 256, 2 + i % 3);
		ok = ok && add_flow(p, text);
	}
	return ok && add_flow(p, "table=1,priority=0,actions=goto_table:2");
}

static int
bench_walk(void)
{
	static struct nfv_flow_key keys[N_FLOWS];
	static struct nfv_xlate_out x;
	struct nfv_pipeline *p;
	double runs[RUNS];
	unsigned int bad = 0, n_rules = 0;
	char note[64];

	if (nfv_pipeline_create(1, NULL, &p) < 0)
		return -ENOMEM;
	if (!build_walk_tables(p)) {
		nfv_pipeline_destroy(p);
		return -EINVAL;
	}
	nfv_pipeline_commit(p);
	for (unsigned int i = 0; i < N_FLOWS; i++) {
		uint8_t f[FRAME_LEN];
		struct nfv_pkt_meta meta;
		unsigned int t = rnd() % WALK_RULES;
		unsigned int r = rnd() % WALK_RULES;

		make_frame(f, 0xac000000 | (16 + t / 256) << 16 |
			   (t % 256) << 8 | (i & 0xff),
			   0x0a000000 | (r / 256) << 16 | (r % 256) << 8 | 1,
			   1024 + i, 5000 + i % 32);
		nfv_parse_buf(f, FRAME_LEN, 1, &keys[i], &meta);
	}
	for (unsigned int r = 0; r < RUNS; r++) {
		uint64_t c0 = tsc();

		for (unsigned int i = 0; i < OPS_PER_RUN / 8; i++) {
			nfv_xlate(p, &keys[i % N_FLOWS], 0, &x);
			bad += x.error || x.miss || x.n_rules != 4;
		}
		runs[r] = (double)(tsc() - c0) / (OPS_PER_RUN / 8);
	}
	for (unsigned int t = 0; t < 4; t++)
		n_rules += nfv_pipeline_n_rules(p, t);
	snprintf(note, sizeof(note), "%u rules", n_rules);
	print_cycles("table walk, 4 tables", cycles_of(runs),
		     bad ? "(WALKS THAT DID NOT OUTPUT!)" : note);
	nfv_pipeline_destroy(p);
	return 0;
}

/* Resident set size in bytes, from /proc/self/statm. */
static long
rss_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long size = 0, resident = 0;

	if (f == NULL)
		return 0;
	if (fscanf(f, "%ld %ld", &size, &resident) != 2)
		resident = 0;
	fclose(f);
	return resident * sysconf(_SC_PAGESIZE);
}

/* Rule i of the flow_mod test: nine in ten are /32s (10.0.0.0 up), one in
 * ten a /24 (20.0.0.0/24 up); priority = prefix length, as a router's. */
static void
flowmod_text(char *buf, size_t size, unsigned int i)
{
	if (i % 10 == 9) {
		unsigned int n = i / 10;

		snprintf(buf, size,
			 "priority=24,ip,nw_dst=%u.%u.%u.0/24,actions=output:p3",
			 20 + (n >> 16), (n >> 8) & 0xff, n & 0xff);
	} else {
		uint32_t a = 0x0a000000 + i;

		snprintf(buf, size,
			 "priority=32,ip,nw_dst=%u.%u.%u.%u,actions=output:p2",
			 a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
	}
}

static int
bench_flowmod(unsigned int n_rules)
{
	struct nfv_flow_spec *specs = calloc(FLOWMOD_CHUNK, sizeof(*specs));
	double t_parse = 0, t_add = 0, t_commit, t0;
	struct nfv_pipeline *p;
	long rss0, rss1;
	char text[128];
	int ret = 0;

	if (specs == NULL || nfv_pipeline_create(1, NULL, &p) < 0) {
		free(specs);
		return -ENOMEM;
	}
	memset(specs, 0, FLOWMOD_CHUNK * sizeof(*specs));
	rss0 = rss_bytes();
	for (unsigned int base = 0; base < n_rules; base += FLOWMOD_CHUNK) {
		unsigned int n = n_rules - base < FLOWMOD_CHUNK ?
				 n_rules - base : FLOWMOD_CHUNK;

		t0 = now_s();
		for (unsigned int i = 0; i < n; i++) {
			flowmod_text(text, sizeof(text), base + i);
			if (!parse_flow(text, &specs[i])) {
				ret = -EINVAL;
				goto out_destroy;
			}
		}
		t_parse += now_s() - t0;
		t0 = now_s();
		for (unsigned int i = 0; i < n; i++) {
			ret = nfv_pipeline_add(p, &specs[i]);
			if (ret < 0) {
				fprintf(stderr, "bench_dp: add rule %u: %s\n",
					base + i, strerror(-ret));
				goto out_destroy;
			}
		}
		t_add += now_s() - t0;
	}
	t0 = now_s();
	nfv_pipeline_commit(p);
	t_commit = now_s() - t0;
	rss1 = rss_bytes();

	printf("  %u rules in table 0 (%u subtables), sizeof(struct nfv_rule) = %zu bytes\n",
	       nfv_pipeline_n_rules(p, 0),
	       nfv_cls_n_subtables(nfv_pipeline_table(p, 0)),
	       sizeof(struct nfv_rule));
	printf("  %-28s %8.0f rules/s\n", "parse (nfv_flow_parse)",
	       n_rules / t_parse);
	printf("  %-28s %8.0f rules/s\n", "add (nfv_pipeline_add)",
	       n_rules / t_add);
	printf("  %-28s %8.3f s\n", "commit", t_commit);
	printf("  %-28s %8.0f rules/s\n", "parse + add + commit",
	       n_rules / (t_parse + t_add + t_commit));
	printf("  %-28s %8.0f bytes/rule (RSS %+.1f MB)\n", "memory",
	       (double)(rss1 - rss0) / n_rules, (rss1 - rss0) / 1048576.0);

out_destroy:
	t0 = now_s();
	nfv_pipeline_destroy(p);
	if (ret == 0)
		printf("  %-28s %8.3f s\n", "destroy", now_s() - t0);
	free(specs);
	return ret;
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: bench_dp [--rules N]\n"
		"  --rules N  rules of the flow_mod test (default %u)\n",
		DEFAULT_RULES);
}

int
main(int argc, char **argv)
{
	unsigned long n_rules = DEFAULT_RULES;
	int ret;

	for (int i = 1; i < argc; i++) {
		char *end;

		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(argv[i], "--rules") != 0 || i + 1 == argc) {
			usage(stderr);
			return 2;
		}
		errno = 0;
		n_rules = strtoul(argv[++i], &end, 10);
		if (errno || *end || end == argv[i] || n_rules == 0 ||
		    n_rules > 10000000) {
			fprintf(stderr, "bench_dp: --rules %s: expected 1..10000000\n",
				argv[i]);
			return 2;
		}
	}

	printf("per packet (median of %u runs of %u operations):\n", RUNS,
	       OPS_PER_RUN);
	bench_parse();
	ret = bench_caches();
	if (ret == 0)
		ret = bench_walk();
	if (ret == 0) {
		printf("flow_mod, %lu rules:\n", n_rules);
		ret = bench_flowmod(n_rules);
	}
	if (ret < 0) {
		fprintf(stderr, "bench_dp: failed: %s\n", strerror(-ret));
		return 1;
	}
	return 0;
}
