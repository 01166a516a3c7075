/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Classifier micro-benchmark (src/pipeline/cls.c): builds tables of L3
 * rules (in_port, eth_type and an ipv4_dst prefix; priority = prefix
 * length, as a router's table would have them) spread over 1, 4 and 16
 * masks, and prints the insert and remove rates, the memory per rule and
 * the cost of a lookup that hits and of one that misses. A last table puts
 * every rule at the same priority: hits then probe every subtable, since a
 * later subtable may hold an earlier rule of equal priority.
 *
 * Hits are measured twice: over keys drawn from all rules (each lookup
 * misses the CPU caches, as a big table does in production) and over 1024
 * hot keys (the compute cost alone). Misses use in_ports that no rule has
 * and probe every subtable. Nothing is asserted: figures depend on the
 * machine. Usage: bench_cls [n_rules], default 1000000.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

#include "cls.h"

#define N_PORTS 4096            /* in_ports of the rules: 1..N_PORTS */
#define N_KEYS (1u << 18)       /* keys for the lookups */
#define CHUNK 8192              /* lookups per measurement */
#define N_HOT 1024
#define LOOKUP_CHUNKS 128       /* measurements; the best one counts */

struct scenario {
	const char *name;
	unsigned int n_masks;   /* prefix lengths 32, 31, ... or 32, 24... */
	unsigned int plen_step;
	bool same_priority;
};

static const struct scenario scenarios[] = {
	{ "1 subtable", 1, 8, false },
	{ "4 subtables", 4, 8, false },
	{ "16 subtables", 16, 1, false },
	{ "16 subtables, equal prio", 16, 1, true },
};

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

static uint32_t
prefix_mask(unsigned int plen)
{
	return plen == 0 ? 0 : htonl(UINT32_MAX << (32 - plen));
}

/* Rule 'i' of 'n': mask number i % n_masks; distinct keys per mask. */
static void
make_rule(struct nfv_cls_rule *r, const struct scenario *s, unsigned int i)
{
	unsigned int plen = 32 - (i % s->n_masks) * s->plen_step;
	unsigned int j = i / s->n_masks;
	uint64_t v = (uint64_t)(j / N_PORTS) * 2654435761u;
	uint32_t addr;

	/* Distinct (in_port, prefix) pairs: the prefix is j / N_PORTS
	 * scrambled by an odd multiplier, a bijection modulo 2^plen. */
	memset(r, 0, sizeof(*r));
	addr = (uint32_t)((v & ((1ull << plen) - 1)) << (32 - plen));
	r->match.key.in_port = 1 + j % N_PORTS;
	r->match.mask.in_port = UINT32_MAX;
	r->match.key.eth_type = htons(0x0800);
	r->match.mask.eth_type = 0xffff;
	r->match.mask.ipv4_dst = prefix_mask(plen);
	r->match.key.ipv4_dst = htonl(addr) & r->match.mask.ipv4_dst;
	r->priority = s->same_priority ? 100 : plen;
}

/* A packet that 'r' matches, with random bits where it wildcards. */
static void
key_for_rule(struct nfv_flow_key *k, const struct nfv_cls_rule *r)
{
	memset(k, 0, sizeof(*k));
	k->in_port = r->match.key.in_port;
	k->eth_type = r->match.key.eth_type;
	k->ip_proto = 17;
	k->ipv4_src = (uint32_t)rnd();
	k->ipv4_dst = r->match.key.ipv4_dst |
		      ((uint32_t)rnd() & ~r->match.mask.ipv4_dst);
	k->tp_src = (uint16_t)rnd();
	k->tp_dst = htons(53);
}

struct result {
	double ns;
	double cycles;
	double hit_ratio;
};

/* Runs LOOKUP_CHUNKS chunks of CHUNK lookups over 'keys' (cycling over
 * the first 'n_keys') and keeps the fastest chunk: the machine may be
 * shared, and other work only ever slows a chunk down; a chunk is short
 * enough (milliseconds) to often run undisturbed. */
static struct result
run_lookups(const struct nfv_cls *c, const struct nfv_flow_key *keys,
	    unsigned int n_keys)
{
	struct result best = { .ns = 1e30 };
	unsigned int hits = 0;

	for (unsigned int i = 0; i < n_keys; i++)       /* warm up */
		hits += nfv_cls_lookup(c, &keys[i], NULL) != NULL;
	for (unsigned int chunk = 0, k = 0; chunk < LOOKUP_CHUNKS; chunk++) {
		uint64_t c0, c1;
		double t0, t1;

		hits = 0;
		t0 = now_s();
		c0 = tsc();
		for (unsigned int i = 0; i < CHUNK; i++) {
			struct nfv_flow_key wc;

			memset(&wc, 0, sizeof(wc));
			hits += nfv_cls_lookup(c, &keys[k], &wc) != NULL;
			if (++k == n_keys)
				k = 0;
		}
		c1 = tsc();
		t1 = now_s();
		if ((t1 - t0) * 1e9 / CHUNK < best.ns) {
			best.ns = (t1 - t0) * 1e9 / CHUNK;
			best.cycles = (double)(c1 - c0) / CHUNK;
			best.hit_ratio = (double)hits / CHUNK;
		}
	}
	return best;
}

static void
print_result(const char *what, struct result r)
{
	printf("    lookup %-16s %7.1f ns/op %7.0f cycles/op  (%.0f%% hits)\n",
	       what, r.ns, r.cycles, r.hit_ratio * 100);
}

int
main(int argc, char **argv)
{
	unsigned int n_rules = argc > 1 ? (unsigned int)atoi(argv[1]) : 1000000;
	struct nfv_cls_rule *rules = calloc(n_rules, sizeof(*rules));
	struct nfv_flow_key *keys = calloc(N_KEYS, sizeof(*keys));

	if (n_rules == 0 || rules == NULL || keys == NULL) {
		fprintf(stderr, "bench_cls: cannot allocate %u rules\n",
			n_rules);
		return 1;
	}
	printf("%u rules (in_port + eth_type + ipv4_dst prefix), "
	       "sizeof(struct nfv_cls_rule) = %zu bytes\n",
	       n_rules, sizeof(struct nfv_cls_rule));
	for (unsigned int si = 0; si < sizeof(scenarios) / sizeof(scenarios[0]);
	     si++) {
		const struct scenario *s = &scenarios[si];
		struct nfv_cls *c;
		double t0, t_insert, t_remove;
		size_t mem;

		if (nfv_cls_create(NULL, NULL, &c) < 0)
			return 1;
		for (unsigned int i = 0; i < n_rules; i++)
			make_rule(&rules[i], s, i);
		t0 = now_s();
		for (unsigned int i = 0; i < n_rules; i++) {
			if (nfv_cls_insert(c, &rules[i]) < 0) {
				fprintf(stderr, "bench_cls: insert %u failed\n",
					i);
				return 1;
			}
		}
		t_insert = now_s() - t0;
		mem = nfv_cls_memory(c);
		printf("%s (%u subtables):\n", s->name, nfv_cls_n_subtables(c));
		printf("    insert %.2f Mrules/s, memory %.1f bytes/rule "
		       "(internal %.1f + rule %zu)\n",
		       n_rules / t_insert / 1e6,
		       (double)mem / n_rules + sizeof(struct nfv_cls_rule),
		       (double)mem / n_rules, sizeof(struct nfv_cls_rule));

		for (unsigned int i = 0; i < N_KEYS; i++)
			key_for_rule(&keys[i], &rules[rnd() % n_rules]);
		print_result("hit", run_lookups(c, keys, N_KEYS));
		print_result("hit (hot keys)", run_lookups(c, keys, N_HOT));
		for (unsigned int i = 0; i < N_KEYS; i++)
			keys[i].in_port = N_PORTS + 1 + rnd() % N_PORTS;
		print_result("miss", run_lookups(c, keys, N_KEYS));

		t0 = now_s();
		for (unsigned int i = 0; i < n_rules; i++)
			nfv_cls_remove(c, &rules[i]);
		t_remove = now_s() - t0;
		printf("    remove %.2f Mrules/s\n", n_rules / t_remove / 1e6);
		nfv_cls_destroy(c);
	}
	free(keys);
	free(rules);
	return 0;
}
