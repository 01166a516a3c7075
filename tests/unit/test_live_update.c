/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Live rule changes under traffic, end to end: the real switch (EAL, ports,
 * one PMD worker on lcore 1, EMC, megaflow cache, RCU) forwards a stream of
 * numbered UDP packets while this thread, acting as the control thread,
 * changes the rules thousands of times the way nfvctl's handlers do
 * (nfv_switch_parse_flow, then nfv_pipeline_add / modify / del, then
 * nfv_pipeline_commit). The property, from the issue: once the control
 * thread reports a change applied (commit returned), no packet is forwarded
 * by a stale entry. Every output packet is checked against the rules in
 * force when it was forwarded.
 *
 * Harness. Ports src, a, b, c are plain net_ring vdevs that the switch
 * probes itself from their devargs (a net_ring without arguments is a
 * loopback: what it sends comes back on its own rx queue). The test injects
 * into src with rte_eth_tx_burst() on src's tx queue, which the worker never
 * uses (no rule outputs to src), so the worker receives the packets on src.
 * The worker's own output to a, b, c comes back on their rx queues, where an
 * ethdev rx callback (running on the worker) moves it to a capture ring per
 * port and hands the worker nothing: the test dequeues from the capture
 * rings. (rte_eth_from_rings() ports with separate rings would do as well,
 * and the switch adopts them when devargs is the ethdev name
 * "net_ring_<name>", but that function lives in librte_net_ring, which the
 * unit tests do not link.)
 *
 * Rules. R1 "priority=10,in_port=src" sends everything to one of a, b, c;
 * the subset rules S1, S2 "priority=20,udp,in_port=src,tp_dst=2001 / 2003"
 * send some UDP destination ports elsewhere, so that cached megaflows
 * depend on tp_dst while they exist and only on in_port when they do not
 * (then the worker's in_port fast path serves whole bursts). The traffic
 * has 128 flows (16 source ports x 8 destination ports) that recur within
 * the packets between two changes, and the EMC inserts every miss, so the
 * EMC, the megaflow cache and the table walks all serve it. Every change
 * installs a new instance of a rule with a new output port and, most of
 * the time, a unique tag written into the packet's Ethernet source address
 * (mod_dl_src:02:00:TAG): an output packet then names the exact rule
 * instance that forwarded it. The changes are mod-flows --strict, add-flow
 * replacing a rule, add-flow / del-flows (strict and not) of a subset rule,
 * and mod-flows (not strict) of every rule at once; one test makes them in
 * table 1 behind a goto_table of table 0.
 *
 * Oracle. The test keeps the rule set after every change k (state k) and
 * B[k], the sequence number of the first packet injected after change k
 * was acknowledged (commit returned). A packet with sequence number s
 * follows some state j with lo <= j <= hi, where lo is the largest k with
 * B[k] <= s (injected after change lo was acknowledged) and hi is the
 * number of changes made when the test read the packet (it cannot have
 * been forwarded by a later one): the rule that state j selects for the
 * packet must have its output port and tag. A packet that only an older
 * state explains was forwarded by a stale entry.
 *
 * Properties, each a test: no stale forwarding for each kind of change,
 * for all of them mixed, and for all of them in a second table; the
 * oracle does catch stale forwarding when the
 * changes are made without nfv_pipeline_commit() (negative control: the
 * checks are not vacuous); every injected packet comes out exactly once,
 * unmodified except for the tag, or is counted in the worker's drop
 * counters; and every mbuf comes back to its pool once the switch is
 * destroyed.
 *
 * The seed is fixed and printed; NFV_TEST_SEED=<n> picks another and
 * NFV_TEST_SCALE=<n> multiplies the run time and change counts.
 */

#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>
#include <rte_udp.h>

#include "config.h"
#include "flow.h"
#include "switch.h"
#include "table.h"
#include "worker.h"

/* ---- Parameters ---- */

#define N_OUT 3                 /* output ports a, b, c */
#define N_SUB 2                 /* subset rules S1, S2 */
#define OFPORT_SRC 1
#define OFPORT_A 2              /* a, b, c are OpenFlow ports 2, 3, 4 */
#define N_SRC_PORTS 16
#define N_DST_PORTS 8
#define UDP_SRC_BASE 10000
#define UDP_DST_BASE 2000       /* S_i matches 2001, 2003 */
#define FRAME_LEN 64
#define PAYLOAD_OFF (RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr) + \
		     sizeof(struct rte_udp_hdr))
#define MAX_WINDOW 128          /* packets injected between two changes */
#define MAX_OUTSTANDING 640     /* injected, not yet out or dropped */
#define CAPTURE_RING 16384
#define POOL_MBUFS 4095
#define DRAIN_TIMEOUT_MS 5000
#define SESSION_MS 1400         /* per session (x scale) */
#define SESSION_CHANGES 20000   /* at most, per session (x scale) */
#define MIN_CHANGES 200         /* a session that made fewer proves little */
#define SESSION_GRACE_MS 10000  /* beyond SESSION_MS to reach MIN_CHANGES */

static const char *const out_names[N_OUT] = { "a", "b", "c" };
static const uint8_t tag_prefix[2] = { 0x02, 0x00 };
static const struct rte_ether_addr untagged_src = {
	{ 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f } };
static const struct rte_ether_addr pkt_dst = {
	{ 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee } };

/* ---- Randomness, seed and scale (as test_datapath.c) ---- */

#define DEFAULT_SEED UINT64_C(20240917)

static uint64_t seed = DEFAULT_SEED;
static unsigned int scale = 1;
static uint64_t rng;

static uint64_t
rnd(void)
{
	uint64_t z = (rng += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint32_t
rnd_below(uint32_t n)
{
	return (uint32_t)(rnd() % n);
}

static void
reseed(uint64_t test_id)
{
	rng = seed ^ (test_id * UINT64_C(0x2545f4914f6cdd1d));
}

/* ---- The switch under test and the capture of its output ---- */

/* Output of one port, moved off its rx queue by the worker. */
struct capture {
	struct rte_ring *ring;
	uint64_t overflow;      /* worker-written: capture ring was full */
};

static struct {
	char dir[64];
	struct nfv_config cfg;
	struct nfv_switch *sw;
	struct rte_mempool *pool;
	struct capture cap[N_OUT];
	uint16_t src_port_id;
	bool destroyed;
} h;

static uint16_t
capture_cb(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts,
	   uint16_t n, uint16_t max, void *arg)
{
	struct capture *c = arg;
	unsigned int k;

	RTE_SET_USED(port_id);
	RTE_SET_USED(queue);
	RTE_SET_USED(max);
	if (n == 0)
		return 0;
	k = rte_ring_sp_enqueue_burst(c->ring, (void **)pkts, n, NULL);
	if (k == n)
		return 0;
	/* Never expected: the rest goes to the worker, which drops it as a
	 * table miss on in_port a/b/c; the test fails on 'overflow'. */
	memmove(pkts, pkts + k, (n - k) * sizeof(*pkts));
	c->overflow += n - k;
	return n - k;
}

static uint64_t
worker_drops(void)
{
	const struct nfv_worker *w = h.sw->workers[0];
	uint64_t n = 0;

	for (unsigned int i = 0; i < NFV_DROP_N; i++)
		n += __atomic_load_n(&w->stats.drops[i], __ATOMIC_RELAXED);
	return n;
}

static uint64_t
worker_stat(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static uint64_t
now_ms(void)
{
	return rte_get_timer_cycles() * 1000 / rte_get_timer_hz();
}

/* ---- Packets ---- */

static uint16_t
seq_udp_src(uint64_t seq)
{
	return UDP_SRC_BASE + (uint16_t)((seq / N_DST_PORTS) * 7 % N_SRC_PORTS);
}

static uint16_t
seq_udp_dst(uint64_t seq)
{
	return UDP_DST_BASE + (uint16_t)(seq % N_DST_PORTS);
}

static uint16_t
sub_tp_dst(unsigned int i)
{
	return UDP_DST_BASE + 1 + 2 * i;
}

/* Writes the frame of packet 'seq' (untagged) into 'p'. */
static void
frame_build(uint8_t *p, uint64_t seq)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)p;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	uint16_t ip_len = FRAME_LEN - RTE_ETHER_HDR_LEN;

	memset(p, 0, FRAME_LEN);
	eth->dst_addr = pkt_dst;
	eth->src_addr = untagged_src;
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(ip_len);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(RTE_IPV4(10, 0, 0, 1));
	ip->dst_addr = rte_cpu_to_be_32(RTE_IPV4(10, 0, 0, 2));
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = rte_cpu_to_be_16(seq_udp_src(seq));
	udp->dst_port = rte_cpu_to_be_16(seq_udp_dst(seq));
	udp->dgram_len = rte_cpu_to_be_16(ip_len - sizeof(*ip));
	memcpy(p + PAYLOAD_OFF, &seq, sizeof(seq));
}

/* ---- The model: rule instances and states ---- */

struct inst {
	bool present;
	uint8_t out;            /* OpenFlow port */
	uint32_t tag;           /* 0: no mod_dl_src */
};

/* r[0] is R1, r[1 + i] is S_{i+1}. */
struct state {
	struct inst r[1 + N_SUB];
};

static const struct inst *
state_select(const struct state *s, uint16_t tp_dst)
{
	for (unsigned int i = 0; i < N_SUB; i++)
		if (s->r[1 + i].present && tp_dst == sub_tp_dst(i))
			return &s->r[1 + i];
	return &s->r[0];
}

enum op {
	OP_MOD_STRICT_R1,       /* mod-flows --strict of R1 */
	OP_ADD_R1,              /* add-flow replacing R1 */
	OP_ADD_SUB,             /* add-flow of S_i (new, or replacing) */
	OP_MOD_STRICT_SUB,      /* mod-flows --strict of a present S_i */
	OP_DEL_STRICT_SUB,      /* del-flows --strict of a present S_i */
	OP_DEL_SUB,             /* del-flows (not strict) of a present S_i */
	OP_MOD_ALL,             /* mod-flows in_port=src: R1 and every S_i */
	OP_N
};

static const char *const op_names[OP_N] = {
	"mod-strict-R1", "add-R1", "add-S", "mod-strict-S", "del-strict-S",
	"del-S", "mod-all",
};

#define OPS(x) (1u << (x))

struct session_cfg {
	const char *name;
	unsigned int ops;               /* OPS() of the changes made */
	unsigned int init_subs;         /* bit i: S_{i+1} present at start */
	bool commit;                    /* false: negative control */
	unsigned int tag_pct;           /* changes that tag packets */
	unsigned int table;             /* of R1 and S_i; 1: table 0 has
					 * in_port=src,goto_table:1 */
	unsigned int ms;
	unsigned int max_changes;
};

struct session {
	const struct session_cfg *cfg;
	unsigned int max_changes;
	unsigned int n_changes;
	struct state *states;           /* [0..n_changes] */
	uint64_t *boundary;             /* B[k], [0..n_changes] */
	uint64_t next_seq;              /* also: packets injected */
	uint64_t max_packets;
	uint8_t *seen;                  /* bitmap by sequence number */
	unsigned int op_count[OP_N];
	/* Results. */
	uint64_t n_out;                 /* packets read back */
	uint64_t n_checked_after_ack;   /* lo >= 1 */
	uint64_t n_exact;               /* lo == hi: a single state allowed */
	uint64_t n_stale;               /* only an older state explains it */
	uint64_t n_wrong;               /* no state explains it */
	uint64_t n_dup;
	uint64_t n_corrupt;
	uint64_t n_tagged;
	uint64_t drops;                 /* worker drop counters, delta */
	uint64_t drop_by_reason[NFV_DROP_N];
	uint64_t emc_hits, mfc_hits, upcalls, invalidated;
	bool drained;                   /* everything accounted at the end */
	char first_bad[512];
	char model_err[1024];
	uint64_t elapsed_ms;
};

/* ---- Rule changes, as the nfvctl handlers make them ---- */

static unsigned int rules_table;        /* the session's cfg->table */

static void
actions_text(char *buf, size_t size, const struct inst *in)
{
	if (in->tag != 0)
		snprintf(buf, size, "mod_dl_src:%02x:%02x:%02x:%02x:%02x:%02x,"
			 "output:%s", tag_prefix[0], tag_prefix[1],
			 (in->tag >> 24) & 0xff, (in->tag >> 16) & 0xff,
			 (in->tag >> 8) & 0xff, in->tag & 0xff,
			 out_names[in->out - OFPORT_A]);
	else
		snprintf(buf, size, "output:%s", out_names[in->out - OFPORT_A]);
}

static void
r1_text(char *buf, size_t size, const struct inst *in)
{
	char act[128];

	actions_text(act, sizeof(act), in);
	snprintf(buf, size, "table=%u,priority=10,in_port=src,actions=%s",
		 rules_table, act);
}

static void
sub_text(char *buf, size_t size, unsigned int i, const struct inst *in)
{
	char act[128];

	actions_text(act, sizeof(act), in);
	snprintf(buf, size, "table=%u,priority=20,udp,in_port=src,tp_dst=%u,"
		 "actions=%s", rules_table, sub_tp_dst(i), act);
}

/* Parses 'text' like nfvctl does; on error says why in 'err'. */
static int
parse(const char *text, enum nfv_flow_parse_mode mode,
      struct nfv_flow_spec *spec, char *err, size_t err_size)
{
	char why[NFV_FLOW_ERR_MAX];

	if (nfv_switch_parse_flow(h.sw, text, mode, spec, why) < 0) {
		snprintf(err, err_size, "'%.200s': %.250s", text, why);
		return -EINVAL;
	}
	return 0;
}

static int
do_add(const char *text, char *err, size_t err_size)
{
	struct nfv_flow_spec spec;
	int ret = parse(text, NFV_FLOW_PARSE_ADD, &spec, err, err_size);

	if (ret == 0) {
		ret = nfv_pipeline_add(h.sw->pipeline, &spec);
		if (ret < 0)
			snprintf(err, err_size, "add '%s': %s", text,
				 strerror(-ret));
	}
	return ret;
}

static int
do_mod(const char *text, bool strict, int expect, char *err,
       size_t err_size)
{
	struct nfv_flow_spec spec;
	int ret = parse(text, NFV_FLOW_PARSE_ADD, &spec, err, err_size);

	if (ret < 0)
		return ret;
	ret = nfv_pipeline_modify(h.sw->pipeline, &spec, strict);
	if (ret != expect) {
		snprintf(err, err_size, "mod%s '%s' returned %d, expected %d",
			 strict ? " --strict" : "", text, ret, expect);
		return -EPROTO;
	}
	return 0;
}

static int
do_del(const char *text, bool strict, unsigned int expect, char *err,
       size_t err_size)
{
	struct nfv_flow_spec spec;
	unsigned int n;
	int ret = parse(text, NFV_FLOW_PARSE_MATCH, &spec, err, err_size);

	if (ret < 0)
		return ret;
	n = nfv_pipeline_del(h.sw->pipeline, &spec, strict);
	if (n != expect) {
		snprintf(err, err_size, "del%s '%s' deleted %u, expected %u",
			 strict ? " --strict" : "", text, n, expect);
		return -EPROTO;
	}
	return 0;
}

/* A new instance replacing 'old': another output port, and a tag (the
 * change's number) for 'tag_pct' percent of the changes. */
static struct inst
inst_new(const struct session *s, const struct inst *old, uint32_t k)
{
	struct inst in = { .present = true };
	uint8_t cur = old->present ? old->out : 0;

	do
		in.out = OFPORT_A + rnd_below(N_OUT);
	while (in.out == cur);
	in.tag = rnd_below(100) < s->cfg->tag_pct ? k : 0;
	return in;
}

/* Picks an index of a subset rule whose presence is 'present', or -1. */
static int
pick_sub(const struct state *st, bool present)
{
	unsigned int cand[N_SUB], n = 0;

	for (unsigned int i = 0; i < N_SUB; i++)
		if (st->r[1 + i].present == present)
			cand[n++] = i;
	return n == 0 ? -1 : (int)cand[rnd_below(n)];
}

/* Makes change 'k' (from state k - 1 to state k) on the switch. */
static int
change(struct session *s, uint32_t k, char *err, size_t err_size)
{
	const struct state *prev = &s->states[k - 1];
	struct state *next = &s->states[k];
	unsigned int allowed[OP_N], n_allowed = 0, n_present = 0;
	char text[256];
	enum op op;
	int i, ret = 0;

	*next = *prev;
	for (unsigned int j = 0; j < N_SUB; j++)
		n_present += prev->r[1 + j].present;
	for (unsigned int o = 0; o < OP_N; o++) {
		if (!(s->cfg->ops & OPS(o)))
			continue;
		if ((o == OP_MOD_STRICT_SUB || o == OP_DEL_STRICT_SUB ||
		     o == OP_DEL_SUB) && n_present == 0)
			continue;
		allowed[n_allowed++] = o;
	}
	if (n_allowed == 0) {
		/* Only deletions configured and nothing left: add back. */
		allowed[n_allowed++] = OP_ADD_SUB;
	}
	op = allowed[rnd_below(n_allowed)];
	s->op_count[op]++;

	switch (op) {
	case OP_MOD_STRICT_R1:
	case OP_ADD_R1:
		next->r[0] = inst_new(s, &prev->r[0], k);
		r1_text(text, sizeof(text), &next->r[0]);
		ret = op == OP_ADD_R1 ? do_add(text, err, err_size) :
		      do_mod(text, true, 1, err, err_size);
		break;
	case OP_ADD_SUB:
		i = rnd_below(N_SUB);
		next->r[1 + i] = inst_new(s, &prev->r[1 + i], k);
		sub_text(text, sizeof(text), i, &next->r[1 + i]);
		ret = do_add(text, err, err_size);
		break;
	case OP_MOD_STRICT_SUB:
		i = pick_sub(prev, true);
		next->r[1 + i] = inst_new(s, &prev->r[1 + i], k);
		sub_text(text, sizeof(text), i, &next->r[1 + i]);
		ret = do_mod(text, true, 1, err, err_size);
		break;
	case OP_DEL_STRICT_SUB:
	case OP_DEL_SUB:
		i = pick_sub(prev, true);
		next->r[1 + i].present = false;
		snprintf(text, sizeof(text), "table=%u,%sudp,in_port=src,"
			 "tp_dst=%u", rules_table,
			 op == OP_DEL_STRICT_SUB ? "priority=20," : "",
			 sub_tp_dst(i));
		ret = do_del(text, op == OP_DEL_STRICT_SUB, 1, err, err_size);
		break;
	case OP_MOD_ALL: {
		struct inst in = inst_new(s, &prev->r[0], k);
		char act[128];

		for (unsigned int j = 0; j < 1 + N_SUB; j++)
			if (prev->r[j].present)
				next->r[j] = in;
		actions_text(act, sizeof(act), &in);
		snprintf(text, sizeof(text), "table=%u,in_port=src,actions=%s",
			 rules_table, act);
		ret = do_mod(text, false, 1 + n_present, err, err_size);
		break;
	}
	case OP_N:
		break;
	}
	if (ret == 0 && s->cfg->commit)
		nfv_pipeline_commit(h.sw->pipeline);
	return ret;
}

/* Deletes every rule and installs the session's initial state 0. */
static int
rules_reset(struct session *s, char *err, size_t err_size)
{
	struct state *st = &s->states[0];
	struct nfv_flow_spec all;
	char text[256];
	int ret;

	memset(st, 0, sizeof(*st));
	nfv_flow_spec_init(&all);
	nfv_pipeline_del(h.sw->pipeline, &all, false);
	st->r[0] = (struct inst){ .present = true, .out = OFPORT_A };
	rules_table = s->cfg->table;
	r1_text(text, sizeof(text), &st->r[0]);
	ret = do_add(text, err, err_size);
	if (ret == 0 && rules_table != 0)
		ret = do_add("table=0,priority=5,in_port=src,"
			     "actions=goto_table:1", err, err_size);
	for (unsigned int i = 0; ret == 0 && i < N_SUB; i++) {
		if (!(s->cfg->init_subs & (1u << i)))
			continue;
		st->r[1 + i] = (struct inst){ .present = true,
					      .out = OFPORT_A + 1 + i % 2 };
		sub_text(text, sizeof(text), i, &st->r[1 + i]);
		ret = do_add(text, err, err_size);
	}
	nfv_pipeline_commit(h.sw->pipeline);
	return ret;
}

/* ---- Checking what comes out ---- */

/* Index of the last change acknowledged before packet 'seq' was
 * injected: the largest k with B[k] <= seq. */
static uint32_t
acked_before(const struct session *s, uint64_t seq)
{
	uint32_t lo = 0, hi = s->n_changes;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo + 1) / 2;

		if (s->boundary[mid] <= seq)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

static bool
inst_explains(const struct inst *in, uint8_t out, uint32_t tag)
{
	return in->out == out && in->tag == tag;
}

static void
check_packet(struct session *s, uint8_t out, struct rte_mbuf *m)
{
	uint8_t got[FRAME_LEN], want[FRAME_LEN];
	const struct rte_ether_hdr *eth;
	uint64_t seq;
	uint32_t tag = 0, lo, hi;
	uint16_t tp_dst;
	bool ok = false;
	int older = -1;

	s->n_out++;
	if (m->pkt_len != FRAME_LEN || m->nb_segs != 1) {
		s->n_corrupt++;
		return;
	}
	memcpy(got, rte_pktmbuf_mtod(m, void *), FRAME_LEN);
	memcpy(&seq, got + PAYLOAD_OFF, sizeof(seq));
	if (seq >= s->next_seq) {
		s->n_corrupt++;
		return;
	}
	/* Unchanged but for the tag in the Ethernet source address. */
	frame_build(want, seq);
	eth = (const struct rte_ether_hdr *)got;
	if (memcmp(&eth->src_addr, &untagged_src, RTE_ETHER_ADDR_LEN) != 0) {
		const uint8_t *a = eth->src_addr.addr_bytes;

		if (a[0] != tag_prefix[0] || a[1] != tag_prefix[1]) {
			s->n_corrupt++;
			return;
		}
		tag = (uint32_t)a[2] << 24 | (uint32_t)a[3] << 16 |
		      (uint32_t)a[4] << 8 | a[5];
		memcpy(got + RTE_ETHER_ADDR_LEN, &untagged_src,
		       RTE_ETHER_ADDR_LEN);
		s->n_tagged++;
	}
	if (memcmp(got, want, FRAME_LEN) != 0) {
		s->n_corrupt++;
		return;
	}
	if (s->seen[seq / 8] & (1u << (seq % 8))) {
		s->n_dup++;
		return;
	}
	s->seen[seq / 8] |= 1u << (seq % 8);

	tp_dst = seq_udp_dst(seq);
	lo = acked_before(s, seq);
	hi = s->n_changes;
	if (lo >= 1)
		s->n_checked_after_ack++;
	if (lo == hi)
		s->n_exact++;
	for (uint32_t j = lo; j <= hi && !ok; j++)
		ok = inst_explains(state_select(&s->states[j], tp_dst), out,
				   tag);
	if (ok)
		return;
	for (int j = (int)lo - 1; j >= 0 && older < 0; j--)
		if (inst_explains(state_select(&s->states[j], tp_dst), out,
				  tag))
			older = j;
	if (older >= 0)
		s->n_stale++;
	else
		s->n_wrong++;
	if (s->first_bad[0] == '\0') {
		const struct inst *e = state_select(&s->states[lo], tp_dst);

		snprintf(s->first_bad, sizeof(s->first_bad),
			 "packet %" PRIu64 " (udp dst %u) came out of %s "
			 "with tag %" PRIu32 "; it was injected after change %"
			 PRIu32 " was acknowledged and read after change %"
			 PRIu32 "; state %" PRIu32 " says %s tag %" PRIu32
			 "; %s%d",
			 seq, tp_dst, out_names[out - OFPORT_A], tag, lo, hi,
			 lo, out_names[e->out - OFPORT_A], e->tag,
			 older >= 0 ? "it follows the stale state " :
			 "no state explains it ", older);
	}
}

static void
drain(struct session *s)
{
	struct rte_mbuf *pkts[64];

	for (unsigned int p = 0; p < N_OUT; p++) {
		unsigned int n;

		do {
			n = rte_ring_sc_dequeue_burst(h.cap[p].ring,
						      (void **)pkts, 64, NULL);
			for (unsigned int i = 0; i < n; i++) {
				check_packet(s, OFPORT_A + p, pkts[i]);
				rte_pktmbuf_free(pkts[i]);
			}
		} while (n == 64);
	}
}

/* ---- A session: traffic and changes ---- */

static uint64_t drops_base;

static uint64_t
outstanding(const struct session *s)
{
	return s->next_seq - s->n_out - (worker_drops() - drops_base);
}

/* Injects up to 'n' packets into src (fewer if the pool or the bound on
 * packets in flight says so). */
static void
inject(struct session *s, unsigned int n)
{
	struct rte_mbuf *pkts[32];

	while (n > 0 && s->next_seq < s->max_packets) {
		unsigned int want = RTE_MIN(n, 32u), got;
		uint64_t t0 = now_ms();

		while (outstanding(s) + want > MAX_OUTSTANDING) {
			drain(s);
			if (now_ms() - t0 > DRAIN_TIMEOUT_MS)
				return;
		}
		want = RTE_MIN(want, s->max_packets - s->next_seq);
		if (rte_pktmbuf_alloc_bulk(h.pool, pkts, want) != 0)
			return;
		for (unsigned int i = 0; i < want; i++) {
			uint8_t *d = (uint8_t *)rte_pktmbuf_append(pkts[i],
								   FRAME_LEN);

			frame_build(d, s->next_seq + i);
		}
		got = rte_eth_tx_burst(h.src_port_id, 0, pkts, want);
		s->next_seq += got;
		if (got < want) {
			rte_pktmbuf_free_bulk(pkts + got, want - got);
			return;
		}
		n -= want;
	}
}

/* Waits until every packet injected is out or dropped. */
static void
settle(struct session *s)
{
	uint64_t deadline = now_ms() + DRAIN_TIMEOUT_MS;

	do
		drain(s);
	while (outstanding(s) != 0 && now_ms() < deadline);
}

static void
session_free(struct session *s)
{
	free(s->states);
	free(s->boundary);
	free(s->seen);
	memset(s, 0, sizeof(*s));
}

static void
session_run(const struct session_cfg *cfg, uint64_t test_id,
	    struct session *s)
{
	const struct nfv_worker *w = h.sw->workers[0];
	uint64_t emc0, mfc0, up0, inv0, drop0[NFV_DROP_N], t0, deadline,
		 hard_deadline;
	char err[512] = "";

	memset(s, 0, sizeof(*s));
	reseed(test_id);
	s->cfg = cfg;
	s->max_changes = cfg->max_changes * scale;
	s->max_packets = (uint64_t)(s->max_changes + 2) * MAX_WINDOW;
	s->states = calloc(s->max_changes + 1, sizeof(*s->states));
	s->boundary = calloc(s->max_changes + 1, sizeof(*s->boundary));
	s->seen = calloc(s->max_packets / 8 + 1, 1);
	assert_non_null(s->states);
	assert_non_null(s->boundary);
	assert_non_null(s->seen);

	if (rules_reset(s, err, sizeof(err)) < 0) {
		snprintf(s->model_err, sizeof(s->model_err), "%s", err);
		return;
	}
	drops_base = worker_drops();
	for (unsigned int i = 0; i < NFV_DROP_N; i++)
		drop0[i] = worker_stat(&w->stats.drops[i]);
	emc0 = worker_stat(&w->stats.emc_hits);
	mfc0 = worker_stat(&w->stats.mfc_hits);
	up0 = worker_stat(&w->stats.upcalls);
	inv0 = h.sw->n_invalidated;

	t0 = now_ms();
	deadline = t0 + (uint64_t)cfg->ms * scale;
	/* On a loaded machine (meson runs tests in parallel, and other
	 * tests poll on the same cores) commits wait for a worker that the
	 * kernel has preempted: take longer rather than prove too little. */
	hard_deadline = deadline + SESSION_GRACE_MS;
	while (s->n_changes < s->max_changes &&
	       (now_ms() < deadline ||
		(s->n_changes < MIN_CHANGES && now_ms() < hard_deadline))) {
		uint32_t k = s->n_changes + 1;

		/* Packets that race with change k; sometimes they are all
		 * out before it, and then only state k - 1 explains them. */
		inject(s, rnd_below(MAX_WINDOW + 1));
		if (rnd_below(4) == 0)
			settle(s);
		else
			drain(s);
		if (change(s, k, err, sizeof(err)) < 0) {
			snprintf(s->model_err, sizeof(s->model_err),
				 "change %" PRIu32 ": %s", k, err);
			break;
		}
		/* Acknowledged: what is injected from now on must follow
		 * state k or a later one. */
		s->n_changes = k;
		s->boundary[k] = s->next_seq;
		drain(s);
	}
	inject(s, MAX_WINDOW);
	if (!cfg->commit)
		nfv_pipeline_commit(h.sw->pipeline);
	/* Wait until every packet came out or was counted as dropped. */
	settle(s);
	s->drained = outstanding(s) == 0;
	s->elapsed_ms = now_ms() - t0;

	s->drops = worker_drops() - drops_base;
	for (unsigned int i = 0; i < NFV_DROP_N; i++)
		s->drop_by_reason[i] = worker_stat(&w->stats.drops[i]) -
				       drop0[i];
	s->emc_hits = worker_stat(&w->stats.emc_hits) - emc0;
	s->mfc_hits = worker_stat(&w->stats.mfc_hits) - mfc0;
	s->upcalls = worker_stat(&w->stats.upcalls) - up0;
	s->invalidated = h.sw->n_invalidated - inv0;
}

static void
session_print(const struct session *s)
{
	char ops[256] = "";
	size_t len = 0;

	for (unsigned int o = 0; o < OP_N; o++)
		if (s->op_count[o])
			len += snprintf(ops + len, sizeof(ops) - len, " %s=%u",
					op_names[o], s->op_count[o]);
	print_message("%s: %u changes (%s) in %" PRIu64 " ms; %" PRIu64
		      " packets in, %" PRIu64 " out (%" PRIu64 " tagged, %"
		      PRIu64 " injected after an ack, %" PRIu64
		      " with a single allowed state), %" PRIu64 " dropped\n",
		      s->cfg->name, s->n_changes, ops + 1, s->elapsed_ms,
		      s->next_seq, s->n_out, s->n_tagged,
		      s->n_checked_after_ack, s->n_exact, s->drops);
	print_message("%s: emc hits %" PRIu64 ", megaflow hits %" PRIu64
		      ", upcalls %" PRIu64 ", megaflows invalidated %" PRIu64
		      "; stale %" PRIu64 ", wrong %" PRIu64 ", duplicated %"
		      PRIu64 ", corrupt %" PRIu64 "\n", s->cfg->name,
		      s->emc_hits, s->mfc_hits, s->upcalls, s->invalidated,
		      s->n_stale, s->n_wrong, s->n_dup, s->n_corrupt);
	for (unsigned int i = 0; i < NFV_DROP_N; i++)
		if (s->drop_by_reason[i])
			print_message("%s: drop %s: %" PRIu64 "\n",
				      s->cfg->name, nfv_drop_reason_name(i),
				      s->drop_by_reason[i]);
	if (s->first_bad[0])
		print_message("%s: first bad packet: %s\n", s->cfg->name,
			      s->first_bad);
}

/* The session ran as designed: enough changes, traffic through every
 * cache, nothing left in flight. Without this the other checks could
 * pass vacuously. */
static void
assert_session_meaningful(const struct session *s)
{
	if (s->model_err[0])
		fail_msg("%s: %s", s->cfg->name, s->model_err);
	assert_true(s->drained);
	assert_true(s->n_changes >= MIN_CHANGES);
	assert_true(s->n_checked_after_ack > 10 * s->n_changes / 2);
	assert_true(s->n_exact > 0);
	/* With a single megaflow mask the worker skips the EMC (the
	 * megaflow lookup is cheaper then): sessions whose rules all have
	 * one shape exercise the megaflow cache alone. */
	assert_true(s->emc_hits + s->mfc_hits > 0);
	assert_true(s->mfc_hits > 0);
	assert_true(s->upcalls > 0);
	if (s->cfg->commit)
		assert_true(s->invalidated > 0);
}

static void
run_no_stale(const struct session_cfg *cfg, uint64_t test_id)
{
	struct session s;

	session_run(cfg, test_id, &s);
	session_print(&s);
	assert_session_meaningful(&s);
	if (s.n_stale || s.n_wrong)
		fail_msg("%s: %" PRIu64 " stale and %" PRIu64 " wrong packets; "
			 "first: %s", cfg->name, s.n_stale, s.n_wrong,
			 s.first_bad);
	assert_int_equal(s.n_corrupt, 0);
	session_free(&s);
}

/* ---- Tests ---- */

/* mod-flows --strict of the only rule: its megaflow looks at in_port
 * only, so untagged instances are served by the in_port fast path. */
static void
test_mod_strict_never_stale(void **state)
{
	static const struct session_cfg cfg = {
		.name = "mod-flows --strict", .ops = OPS(OP_MOD_STRICT_R1),
		.init_subs = 0, .commit = true, .tag_pct = 50,
		.ms = SESSION_MS, .max_changes = SESSION_CHANGES,
	};

	(void)state;
	run_no_stale(&cfg, 1);
}

/* add-flow replacing R1 or a subset rule while both subset rules
 * exist: megaflows depend on tp_dst. */
static void
test_add_replace_never_stale(void **state)
{
	static const struct session_cfg cfg = {
		.name = "add-flow (replace)",
		.ops = OPS(OP_ADD_R1) | OPS(OP_ADD_SUB),
		.init_subs = 3, .commit = true, .tag_pct = 70,
		.ms = SESSION_MS, .max_changes = SESSION_CHANGES,
	};

	(void)state;
	run_no_stale(&cfg, 2);
}

/* A higher-priority rule matching a subset of R1's packets comes and
 * goes: add, del-flows --strict and del-flows. */
static void
test_subset_add_del_never_stale(void **state)
{
	static const struct session_cfg cfg = {
		.name = "subset add/del",
		.ops = OPS(OP_ADD_SUB) | OPS(OP_DEL_STRICT_SUB) |
		       OPS(OP_DEL_SUB),
		.init_subs = 0, .commit = true, .tag_pct = 70,
		.ms = SESSION_MS, .max_changes = SESSION_CHANGES,
	};

	(void)state;
	run_no_stale(&cfg, 3);
}

/* Every kind of change, mixed. */
static void
test_mixed_never_stale(void **state)
{
	static const struct session_cfg cfg = {
		.name = "mixed", .ops = (1u << OP_N) - 1,
		.init_subs = 1, .commit = true, .tag_pct = 70,
		.ms = SESSION_MS, .max_changes = SESSION_CHANGES,
	};

	(void)state;
	run_no_stale(&cfg, 4);
}

/* Every kind of change, mixed, in table 1 behind a goto_table from
 * table 0: invalidation must follow the walk into the second table. */
static void
test_two_tables_never_stale(void **state)
{
	static const struct session_cfg cfg = {
		.name = "two tables", .ops = (1u << OP_N) - 1,
		.init_subs = 2, .commit = true, .tag_pct = 70, .table = 1,
		.ms = SESSION_MS / 2, .max_changes = SESSION_CHANGES / 2,
	};

	(void)state;
	run_no_stale(&cfg, 8);
}

/* Negative control: the same changes without nfv_pipeline_commit()
 * leave cached megaflows forwarding by old rules, and the oracle must
 * see it. */
static void
test_oracle_catches_uncommitted_changes(void **state)
{
	static const struct session_cfg cfg = {
		.name = "no commit (control)",
		.ops = OPS(OP_MOD_STRICT_R1) | OPS(OP_ADD_R1) |
		       OPS(OP_ADD_SUB) | OPS(OP_DEL_STRICT_SUB),
		.init_subs = 1, .commit = false, .tag_pct = 100,
		.ms = SESSION_MS / 4, .max_changes = SESSION_CHANGES / 4,
	};
	struct session s;

	(void)state;
	session_run(&cfg, 5, &s);
	session_print(&s);
	assert_session_meaningful(&s);
	assert_true(s.n_stale > 0);
	assert_int_equal(s.n_corrupt, 0);
	session_free(&s);
}

/* Every injected packet comes out exactly once, intact but for the
 * tag, or is counted as dropped by the worker (and none misses the
 * table: R1 is always there). */
static void
test_no_packet_lost_or_duplicated(void **state)
{
	static const struct session_cfg cfg = {
		.name = "accounting", .ops = (1u << OP_N) - 1,
		.init_subs = 2, .commit = true, .tag_pct = 50,
		.ms = SESSION_MS / 2, .max_changes = SESSION_CHANGES / 2,
	};
	struct session s;

	(void)state;
	session_run(&cfg, 6, &s);
	session_print(&s);
	assert_session_meaningful(&s);
	assert_int_equal(s.n_dup, 0);
	assert_int_equal(s.n_corrupt, 0);
	assert_int_equal(s.next_seq, s.n_out + s.drops);
	/* R1 matches every packet at all times, so a table miss means a
	 * replaced or modified rule was briefly absent. */
	assert_int_equal(s.drop_by_reason[NFV_DROP_NO_MATCH], 0);
	for (unsigned int p = 0; p < N_OUT; p++)
		assert_int_equal(h.cap[p].overflow, 0);
	session_free(&s);
}

/* After traffic and changes, destroying the switch finds every mbuf of
 * its pools back, and every mbuf of the test's pool is back too. */
static void
test_every_mbuf_returns(void **state)
{
	static const struct session_cfg cfg = {
		.name = "mbufs", .ops = (1u << OP_N) - 1,
		.init_subs = 1, .commit = true, .tag_pct = 50,
		.ms = SESSION_MS / 4, .max_changes = SESSION_CHANGES / 4,
	};
	struct session s;
	unsigned int lost;

	(void)state;
	session_run(&cfg, 7, &s);
	session_print(&s);
	assert_session_meaningful(&s);
	/* A last burst left in flight for destroy to drain. */
	inject(&s, MAX_WINDOW);
	lost = nfv_switch_destroy(h.sw);
	h.destroyed = true;
	drain(&s);
	assert_int_equal(lost, 0);
	assert_int_equal(rte_mempool_in_use_count(h.pool), 0);
	session_free(&s);
}

/* ---- Setup ---- */

static int
group_setup(void **state)
{
	char prefix[64], err[NFV_CONFIG_ERR_MAX], json[2048];
	char *argv[] = {
		"test_live_update", "--no-huge", "-m", "512", "--no-pci",
		"-l", "0-1", "--file-prefix", prefix,
		"--log-level=lib.*:error", "--log-level=nfv.*:warning", NULL,
	};
	const char *env;
	int ret;

	(void)state;
	env = getenv("NFV_TEST_SEED");
	if (env != NULL)
		seed = strtoull(env, NULL, 0);
	env = getenv("NFV_TEST_SCALE");
	if (env != NULL && atoi(env) > 0)
		scale = (unsigned int)atoi(env);
	print_message("seed %" PRIu64 " (NFV_TEST_SEED), scale %u\n", seed,
		      scale);

	snprintf(prefix, sizeof(prefix), "test_live_%d", (int)getpid());
	ret = rte_eal_init(NFV_ARRAY_SIZE(argv) - 1, argv);
	if (ret < 0) {
		print_error("rte_eal_init failed: %s\n",
			    rte_strerror(rte_errno));
		return -1;
	}

	snprintf(h.dir, sizeof(h.dir), "/tmp/test_live_XXXXXX");
	if (mkdtemp(h.dir) == NULL)
		return -1;
	snprintf(json, sizeof(json),
		 "{\"pmd_cores\": [1], \"openflow\": {},"
		 " \"control_socket\": \"%s/ctl.sock\","
		 " \"ports\": ["
		 "  {\"name\": \"src\", \"devargs\": \"net_ring_lusrc\","
		 "   \"rx_desc\": 256, \"tx_desc\": 256},"
		 "  {\"name\": \"a\", \"devargs\": \"net_ring_lua\","
		 "   \"rx_desc\": 256, \"tx_desc\": 256},"
		 "  {\"name\": \"b\", \"devargs\": \"net_ring_lub\","
		 "   \"rx_desc\": 256, \"tx_desc\": 256},"
		 "  {\"name\": \"c\", \"devargs\": \"net_ring_luc\","
		 "   \"rx_desc\": 256, \"tx_desc\": 256}],"
		 " \"datapath\": {\"emc_entries\": 1024,"
		 " \"emc_insert_inv_prob\": 1, \"megaflows\": 1024},"
		 " \"flows\": [\"priority=10,in_port=src,actions=output:a\"]}",
		 h.dir);
	if (nfv_config_parse(json, strlen(json), &h.cfg, err) < 0) {
		print_error("config: %s\n", err);
		return -1;
	}

	h.pool = rte_pktmbuf_pool_create("lu_pool", POOL_MBUFS, 64, 0,
					 RTE_PKTMBUF_HEADROOM + 256,
					 rte_socket_id());
	if (h.pool == NULL)
		return -1;
	for (unsigned int p = 0; p < N_OUT; p++) {
		char name[RTE_RING_NAMESIZE];

		snprintf(name, sizeof(name), "lu_cap_%s", out_names[p]);
		h.cap[p].ring = rte_ring_create(name, CAPTURE_RING,
						rte_socket_id(),
						RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (h.cap[p].ring == NULL)
			return -1;
	}

	if (nfv_switch_create(&h.cfg, &h.sw, err) < 0) {
		print_error("nfv_switch_create: %s\n", err);
		return -1;
	}
	h.src_port_id = h.sw->ports[OFPORT_SRC - 1].port_id;
	for (unsigned int p = 0; p < N_OUT; p++) {
		const struct nfv_port *port = &h.sw->ports[OFPORT_A - 1 + p];

		if (strcmp(port->name, out_names[p]) != 0 ||
		    rte_eth_add_rx_callback(port->port_id, 0, capture_cb,
					    &h.cap[p]) == NULL) {
			print_error("cannot capture port %s\n", port->name);
			return -1;
		}
	}
	if (nfv_switch_start(h.sw, err) < 0) {
		print_error("nfv_switch_start: %s\n", err);
		return -1;
	}
	return 0;
}

static int
group_teardown(void **state)
{
	char path[128];

	(void)state;
	if (h.sw != NULL && !h.destroyed)
		nfv_switch_destroy(h.sw);
	for (unsigned int p = 0; p < N_OUT; p++) {
		struct rte_mbuf *m;

		if (h.cap[p].ring == NULL)
			continue;
		while (rte_ring_sc_dequeue(h.cap[p].ring, (void **)&m) == 0)
			rte_pktmbuf_free(m);
		rte_ring_free(h.cap[p].ring);
	}
	rte_mempool_free(h.pool);
	nfv_config_fini(&h.cfg);
	snprintf(path, sizeof(path), "%s/ctl.sock", h.dir);
	unlink(path);
	rmdir(h.dir);
	rte_eal_cleanup();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mod_strict_never_stale),
		cmocka_unit_test(test_add_replace_never_stale),
		cmocka_unit_test(test_subset_add_del_never_stale),
		cmocka_unit_test(test_mixed_never_stale),
		cmocka_unit_test(test_two_tables_never_stale),
		cmocka_unit_test(test_oracle_catches_uncommitted_changes),
		cmocka_unit_test(test_no_packet_lost_or_duplicated),
		/* Last: destroys the switch. */
		cmocka_unit_test(test_every_mbuf_returns),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
