/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DHCP lease store (see lease_store.h). Each pool keeps one entry per
 * address of its dynamic range, indexed by offset from 'start', plus one
 * entry per fixed reservation; a range address that is also reserved is
 * never handed out dynamically. Expiry is lazy (an entry whose time is
 * over reads as free) and also explicit (nfv_lease_store_expire) so that
 * counters move. Lookups by MAC scan the range: pools are at most
 * NFV_LEASE_POOL_SIZE_MAX addresses and this runs on the control thread
 * once per DHCP message. An entry keeps the MAC of its last holder after
 * release or expiry so that a returning client gets its old address back.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lease_store.h"
#include "nfv_common.h"

#define STATE_HEADER "# nfvswitch dhcp leases v1"
#define STATE_LINE_MAX 256

struct lease_entry {
	uint8_t state;                  /* enum nfv_lease_state */
	bool reserved;                  /* range slot owned by a fixed entry */
	uint8_t mac[6];
	uint64_t expiry;
};

struct nfv_lease_pool {
	struct nfv_lease_pool *next;
	char name[NFV_LEASE_POOL_NAME_MAX];
	uint32_t start;
	uint32_t n_range;
	uint32_t lease_time;
	uint32_t offer_time;
	uint32_t decline_time;
	struct lease_entry *range;      /* n_range entries */
	struct nfv_lease_fixed *fixed;  /* n_fixed reservations */
	struct lease_entry *fixed_e;    /* their state */
	size_t n_fixed;
	uint64_t n_full;
	uint64_t n_expired;
};

struct nfv_lease_store {
	struct nfv_lease_pool *pools;   /* in the order they were added */
};

/* One parsed line of a state file. */
struct lease_rec {
	char name[NFV_LEASE_POOL_NAME_MAX];
	uint8_t mac[6];
	uint32_t ip;
	uint64_t expiry;
};

static const uint8_t zero_mac[6];

void
nfv_lease_mac_format(const uint8_t mac[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

static void
ip_format(uint32_t ip, char buf[INET_ADDRSTRLEN])
{
	struct in_addr a = { .s_addr = htonl(ip) };

	inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

int
nfv_lease_store_create(struct nfv_lease_store **out)
{
	struct nfv_lease_store *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return -ENOMEM;
	*out = s;
	return 0;
}

static void
pool_free(struct nfv_lease_pool *p)
{
	free(p->range);
	free(p->fixed);
	free(p->fixed_e);
	free(p);
}

void
nfv_lease_store_destroy(struct nfv_lease_store *s)
{
	struct nfv_lease_pool *p, *next;

	if (s == NULL)
		return;
	for (p = s->pools; p != NULL; p = next) {
		next = p->next;
		pool_free(p);
	}
	free(s);
}

struct nfv_lease_pool *
nfv_lease_pool_lookup(const struct nfv_lease_store *s, const char *name)
{
	struct nfv_lease_pool *p;

	for (p = s->pools; p != NULL; p = p->next)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

static bool
name_valid(const char *name)
{
	size_t i, len;

	if (name == NULL)
		return false;
	len = strlen(name);
	if (len == 0 || len >= NFV_LEASE_POOL_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!isgraph((unsigned char)name[i]) || name[i] == '#')
			return false;
	return true;
}

static bool
in_range(const struct nfv_lease_pool *p, uint32_t ip)
{
	return ip - p->start < p->n_range;
}

static int
pool_check(const struct nfv_lease_pool_params *p, char *err)
{
	size_t i, j;

	if (!name_valid(p->name)) {
		snprintf(err, NFV_LEASE_ERR_MAX,
			 "pool name must be 1 to %d characters, no blanks or '#'",
			 NFV_LEASE_POOL_NAME_MAX - 1);
		return -EINVAL;
	}
	if (p->start <= p->end &&
	    (p->start == 0 ||
	     (uint64_t)p->end - p->start + 1 > NFV_LEASE_POOL_SIZE_MAX)) {
		snprintf(err, NFV_LEASE_ERR_MAX,
			 "pool %s: range must be non-zero, at most %d addresses",
			 p->name, NFV_LEASE_POOL_SIZE_MAX);
		return -EINVAL;
	}
	if (p->lease_time == 0) {
		snprintf(err, NFV_LEASE_ERR_MAX, "pool %s: lease time must be positive", p->name);
		return -EINVAL;
	}
	for (i = 0; i < p->n_fixed; i++) {
		if (p->fixed[i].ip == 0 ||
		    memcmp(p->fixed[i].mac, zero_mac, 6) == 0) {
			snprintf(err, NFV_LEASE_ERR_MAX,
				 "pool %s: reservation %zu has a zero address",
				 p->name, i);
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			if (p->fixed[j].ip == p->fixed[i].ip ||
			    memcmp(p->fixed[j].mac, p->fixed[i].mac, 6) == 0) {
				snprintf(err, NFV_LEASE_ERR_MAX,
					 "pool %s: reservations %zu and %zu share a MAC or address",
					 p->name, j, i);
				return -EINVAL;
			}
		}
	}
	return 0;
}

int
nfv_lease_pool_add(struct nfv_lease_store *s,
		   const struct nfv_lease_pool_params *p,
		   struct nfv_lease_pool **out, char *err)
{
	struct nfv_lease_pool *pool, **tail;
	size_t i;
	int ret;

	ret = pool_check(p, err);
	if (ret < 0)
		return ret;
	if (nfv_lease_pool_lookup(s, p->name) != NULL) {
		snprintf(err, NFV_LEASE_ERR_MAX, "pool %s: already exists", p->name);
		return -EEXIST;
	}
	pool = calloc(1, sizeof(*pool));
	if (pool == NULL)
		goto out_nomem;
	snprintf(pool->name, sizeof(pool->name), "%s", p->name);
	pool->start = p->start;
	pool->n_range = p->start <= p->end ? p->end - p->start + 1 : 0;
	pool->lease_time = p->lease_time;
	pool->offer_time = p->offer_time ? p->offer_time : NFV_LEASE_OFFER_TIME;
	pool->decline_time = p->decline_time ? p->decline_time :
			     NFV_LEASE_DECLINE_TIME;
	pool->range = calloc(pool->n_range ? pool->n_range : 1,
			     sizeof(*pool->range));
	pool->n_fixed = p->n_fixed;
	pool->fixed = calloc(p->n_fixed ? p->n_fixed : 1, sizeof(*pool->fixed));
	pool->fixed_e = calloc(p->n_fixed ? p->n_fixed : 1,
			       sizeof(*pool->fixed_e));
	if (pool->range == NULL || pool->fixed == NULL ||
	    pool->fixed_e == NULL)
		goto out_free_pool;
	for (i = 0; i < p->n_fixed; i++) {
		pool->fixed[i] = p->fixed[i];
		memcpy(pool->fixed_e[i].mac, p->fixed[i].mac, 6);
		if (in_range(pool, p->fixed[i].ip))
			pool->range[p->fixed[i].ip - pool->start].reserved = true;
	}

	for (tail = &s->pools; *tail != NULL; tail = &(*tail)->next)
		;
	*tail = pool;
	if (out != NULL)
		*out = pool;
	return 0;

out_free_pool:
	pool_free(pool);
out_nomem:
	snprintf(err, NFV_LEASE_ERR_MAX, "pool %s: %s", p->name, strerror(ENOMEM));
	return -ENOMEM;
}

/* The state of 'e' at 'now': anything whose time is over is free. */
static enum nfv_lease_state
entry_state(const struct lease_entry *e, uint64_t now)
{
	if (e->state != NFV_LEASE_FREE && e->expiry <= now)
		return NFV_LEASE_FREE;
	return e->state;
}

/* Held by 'mac' as an offer or a lease at 'now'. */
static bool
entry_held_by(const struct lease_entry *e, const uint8_t mac[6],
	      uint64_t now)
{
	enum nfv_lease_state st = entry_state(e, now);

	return (st == NFV_LEASE_OFFERED || st == NFV_LEASE_BOUND) &&
	       memcmp(e->mac, mac, 6) == 0;
}

static void
entry_set(struct lease_entry *e, enum nfv_lease_state state,
	  const uint8_t mac[6], uint64_t expiry)
{
	e->state = state;
	memcpy(e->mac, mac, 6);
	e->expiry = expiry;
}

static struct lease_entry *
fixed_of_mac(const struct nfv_lease_pool *p, const uint8_t mac[6],
	     uint32_t *ip)
{
	size_t i;

	for (i = 0; i < p->n_fixed; i++) {
		if (memcmp(p->fixed[i].mac, mac, 6) == 0) {
			*ip = p->fixed[i].ip;
			return &p->fixed_e[i];
		}
	}
	return NULL;
}

static struct lease_entry *
fixed_of_ip(const struct nfv_lease_pool *p, uint32_t ip)
{
	size_t i;

	for (i = 0; i < p->n_fixed; i++)
		if (p->fixed[i].ip == ip)
			return &p->fixed_e[i];
	return NULL;
}

/* The entry that tracks 'ip' (fixed first), or NULL if not in the pool. */
static struct lease_entry *
entry_of_ip(const struct nfv_lease_pool *p, uint32_t ip, bool *fixed)
{
	struct lease_entry *e = fixed_of_ip(p, ip);

	*fixed = e != NULL;
	if (e != NULL)
		return e;
	if (in_range(p, ip))
		return &p->range[ip - p->start];
	return NULL;
}

/*
 * The range slot 'mac' holds at 'now', or, if 'sticky', the free slot it
 * last held. Returns the offset or -1.
 */
static int64_t
range_slot_of_mac(const struct nfv_lease_pool *p, const uint8_t mac[6],
		  uint64_t now, bool sticky)
{
	uint32_t i;

	for (i = 0; i < p->n_range; i++) {
		const struct lease_entry *e = &p->range[i];

		if (entry_held_by(e, mac, now))
			return i;
		if (sticky && !e->reserved &&
		    entry_state(e, now) == NFV_LEASE_FREE &&
		    memcmp(e->mac, mac, 6) == 0)
			return i;
	}
	return -1;
}

static bool
slot_free(const struct lease_entry *e, uint64_t now)
{
	return !e->reserved && entry_state(e, now) == NFV_LEASE_FREE;
}

/* Holds 'e' as an offer to 'mac' unless it is already bound to 'mac'. */
static void
offer_slot(struct nfv_lease_pool *p, struct lease_entry *e,
	   const uint8_t mac[6], uint64_t now)
{
	if (entry_state(e, now) == NFV_LEASE_BOUND &&
	    memcmp(e->mac, mac, 6) == 0)
		return;
	entry_set(e, NFV_LEASE_OFFERED, mac, now + p->offer_time);
}

int
nfv_lease_offer(struct nfv_lease_pool *pool, const uint8_t mac[6],
		uint32_t requested, uint64_t now, uint32_t *ip)
{
	struct lease_entry *e;
	int64_t slot;
	uint32_t i;

	e = fixed_of_mac(pool, mac, ip);
	if (e != NULL) {
		if (entry_state(e, now) == NFV_LEASE_DECLINED)
			return -EBUSY;
		offer_slot(pool, e, mac, now);
		return 0;
	}

	slot = range_slot_of_mac(pool, mac, now, true);
	if (slot < 0 && requested != 0 && in_range(pool, requested) &&
	    slot_free(&pool->range[requested - pool->start], now))
		slot = requested - pool->start;
	for (i = 0; slot < 0 && i < pool->n_range; i++)
		if (slot_free(&pool->range[i], now))
			slot = i;
	if (slot < 0) {
		pool->n_full++;
		return -ENOSPC;
	}
	offer_slot(pool, &pool->range[slot], mac, now);
	*ip = pool->start + (uint32_t)slot;
	return 0;
}

int
nfv_lease_request(struct nfv_lease_pool *pool, const uint8_t mac[6],
		  uint32_t ip, uint64_t now, uint64_t *expiry)
{
	struct lease_entry *e;
	uint32_t fixed_ip;
	int64_t old;

	e = fixed_of_mac(pool, mac, &fixed_ip);
	if (e != NULL) {
		if (ip != fixed_ip)
			return -EINVAL;
		if (entry_state(e, now) == NFV_LEASE_DECLINED)
			return -EBUSY;
		goto out_bind;
	}
	if (fixed_of_ip(pool, ip) != NULL)
		return -EBUSY;
	if (!in_range(pool, ip))
		return -EINVAL;
	e = &pool->range[ip - pool->start];
	if (entry_state(e, now) == NFV_LEASE_DECLINED)
		return -EBUSY;
	if (entry_state(e, now) != NFV_LEASE_FREE &&
	    memcmp(e->mac, mac, 6) != 0)
		return -EBUSY;

	/* A client moving to another address gives up the old one. */
	old = range_slot_of_mac(pool, mac, now, false);
	if (old >= 0 && &pool->range[old] != e)
		pool->range[old].state = NFV_LEASE_FREE;

out_bind:
	entry_set(e, NFV_LEASE_BOUND, mac, now + pool->lease_time);
	if (expiry != NULL)
		*expiry = e->expiry;
	return 0;
}

int
nfv_lease_release(struct nfv_lease_pool *pool, const uint8_t mac[6],
		  uint32_t ip, uint64_t now)
{
	struct lease_entry *e;
	bool fixed;

	e = entry_of_ip(pool, ip, &fixed);
	if (e == NULL || !entry_held_by(e, mac, now))
		return -ENOENT;
	e->state = NFV_LEASE_FREE;
	return 0;
}

int
nfv_lease_decline(struct nfv_lease_pool *pool, const uint8_t mac[6],
		  uint32_t ip, uint64_t now)
{
	struct lease_entry *e;
	bool fixed;

	e = entry_of_ip(pool, ip, &fixed);
	if (e == NULL)
		return -EINVAL;
	if (!entry_held_by(e, mac, now))
		return -ENOENT;
	/* Forget the holder so the address is not handed back to it. */
	entry_set(e, NFV_LEASE_DECLINED, fixed ? mac : zero_mac,
		  now + pool->decline_time);
	return 0;
}

static unsigned int
entries_expire(struct lease_entry *es, size_t n, uint64_t now)
{
	unsigned int n_expired = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		struct lease_entry *e = &es[i];

		if (e->state == NFV_LEASE_FREE || e->expiry > now)
			continue;
		if (e->state != NFV_LEASE_DECLINED)
			n_expired++;
		e->state = NFV_LEASE_FREE;
	}
	return n_expired;
}

unsigned int
nfv_lease_store_expire(struct nfv_lease_store *s, uint64_t now)
{
	struct nfv_lease_pool *p;
	unsigned int total = 0, n;

	for (p = s->pools; p != NULL; p = p->next) {
		n = entries_expire(p->range, p->n_range, now);
		n += entries_expire(p->fixed_e, p->n_fixed, now);
		p->n_expired += n;
		total += n;
	}
	return total;
}

static void
lease_fill(const struct lease_entry *e, uint32_t ip, bool fixed,
	   uint64_t now, struct nfv_lease *out)
{
	memset(out, 0, sizeof(*out));
	out->state = entry_state(e, now);
	out->ip = ip;
	out->fixed = fixed;
	if (out->state != NFV_LEASE_FREE) {
		memcpy(out->mac, e->mac, 6);
		out->expiry = e->expiry;
	}
}

int
nfv_lease_lookup_ip(const struct nfv_lease_pool *pool, uint32_t ip,
		    uint64_t now, struct nfv_lease *out)
{
	const struct lease_entry *e;
	bool fixed;

	e = entry_of_ip(pool, ip, &fixed);
	if (e == NULL)
		return -EINVAL;
	lease_fill(e, ip, fixed, now, out);
	return 0;
}

int
nfv_lease_lookup_mac(const struct nfv_lease_pool *pool,
		     const uint8_t mac[6], uint64_t now,
		     struct nfv_lease *out)
{
	const struct lease_entry *e;
	uint32_t ip;
	int64_t slot;

	e = fixed_of_mac(pool, mac, &ip);
	if (e != NULL) {
		if (!entry_held_by(e, mac, now))
			return -ENOENT;
		lease_fill(e, ip, true, now, out);
		return 0;
	}
	slot = range_slot_of_mac(pool, mac, now, false);
	if (slot < 0)
		return -ENOENT;
	lease_fill(&pool->range[slot], pool->start + (uint32_t)slot, false,
		   now, out);
	return 0;
}

static void
stats_count(const struct lease_entry *es, size_t n, uint64_t now,
	    struct nfv_lease_pool_stats *st)
{
	size_t i;

	for (i = 0; i < n; i++) {
		switch (entry_state(&es[i], now)) {
		case NFV_LEASE_OFFERED:
			st->n_offered++;
			break;
		case NFV_LEASE_BOUND:
			st->n_bound++;
			break;
		case NFV_LEASE_DECLINED:
			st->n_declined++;
			break;
		default:
			break;
		}
	}
}

void
nfv_lease_pool_stats(const struct nfv_lease_pool *pool, uint64_t now,
		     struct nfv_lease_pool_stats *stats)
{
	uint32_t i, n_reserved = 0;

	memset(stats, 0, sizeof(*stats));
	for (i = 0; i < pool->n_range; i++)
		n_reserved += pool->range[i].reserved;
	stats->n_addrs = pool->n_range - n_reserved + (uint32_t)pool->n_fixed;
	stats_count(pool->range, pool->n_range, now, stats);
	stats_count(pool->fixed_e, pool->n_fixed, now, stats);
	stats->n_full = pool->n_full;
	stats->n_expired = pool->n_expired;
}

/* ---- persistence ---- */

static int
write_entries(FILE *f, const struct nfv_lease_pool *p,
	      const struct lease_entry *es, size_t n, bool fixed)
{
	char mac[18], ip[INET_ADDRSTRLEN];
	size_t i;

	for (i = 0; i < n; i++) {
		if (es[i].state != NFV_LEASE_BOUND)
			continue;
		nfv_lease_mac_format(es[i].mac, mac);
		ip_format(fixed ? p->fixed[i].ip : p->start + (uint32_t)i, ip);
		if (fprintf(f, "%s %s %s %llu\n", p->name, mac, ip,
			    (unsigned long long)es[i].expiry) < 0)
			return -EIO;
	}
	return 0;
}

static int
fsync_dir_of(const char *path)
{
	char *copy = strdup(path);
	int fd, ret = 0;

	if (copy == NULL)
		return -ENOMEM;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
	} else {
		if (fsync(fd) < 0)
			ret = -errno;
		close(fd);
	}
	free(copy);
	return ret;
}

int
nfv_lease_store_save(const struct nfv_lease_store *s, const char *path,
		     char *err)
{
	const struct nfv_lease_pool *p;
	char tmp[4096];
	FILE *f;
	int fd, ret;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
		snprintf(err, NFV_LEASE_ERR_MAX, "lease file %s: path too long", path);
		return -ENAMETOOLONG;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, NFV_LEASE_ERR_MAX, "lease file %s.tmp: %s", path, strerror(-ret));
		return ret;
	}
	f = fdopen(fd, "w");
	if (f == NULL) {
		ret = -errno;
		close(fd);
		goto out_unlink;
	}
	ret = fprintf(f, "%s\n", STATE_HEADER) < 0 ? -EIO : 0;
	for (p = s->pools; p != NULL && ret == 0; p = p->next) {
		ret = write_entries(f, p, p->fixed_e, p->n_fixed, true);
		if (ret == 0)
			ret = write_entries(f, p, p->range, p->n_range, false);
	}
	if (ret == 0 && fflush(f) != 0)
		ret = -errno;
	if (ret == 0 && fsync(fileno(f)) < 0)
		ret = -errno;
	if (fclose(f) != 0 && ret == 0)
		ret = -errno;
	if (ret < 0)
		goto out_unlink;
	if (rename(tmp, path) < 0) {
		ret = -errno;
		goto out_unlink;
	}
	ret = fsync_dir_of(path);
	if (ret < 0) {
		snprintf(err, NFV_LEASE_ERR_MAX, "lease file %s: directory sync failed: %s",
			 path, strerror(-ret));
		return ret;
	}
	return 0;

out_unlink:
	unlink(tmp);
	snprintf(err, NFV_LEASE_ERR_MAX, "lease file %s.tmp: %s", path, strerror(-ret));
	return ret;
}

static bool
mac_parse(const char *s, uint8_t mac[6])
{
	int i, hi, lo;

	if (strlen(s) != 17)
		return false;
	for (i = 0; i < 6; i++) {
		hi = nfv_hex_digit(s[3 * i]);
		lo = nfv_hex_digit(s[3 * i + 1]);
		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
			return false;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

/* Parses one lease line; returns NULL or what is wrong with it. */
static const char *
rec_parse(char *line, struct lease_rec *r)
{
	char *tok[5], *save = NULL, *end;
	struct in_addr a;
	int n;

	for (n = 0; n < 5; n++) {
		tok[n] = strtok_r(n == 0 ? line : NULL, " \t", &save);
		if (tok[n] == NULL)
			break;
	}
	if (n != 4)
		return "expected 4 fields: subnet, MAC, address, expiry";
	if (!name_valid(tok[0]))
		return "bad subnet name";
	snprintf(r->name, sizeof(r->name), "%s", tok[0]);
	if (!mac_parse(tok[1], r->mac))
		return "bad MAC address";
	if (inet_pton(AF_INET, tok[2], &a) != 1)
		return "bad IPv4 address";
	r->ip = ntohl(a.s_addr);
	if (!isdigit((unsigned char)tok[3][0]))
		return "bad expiry";
	errno = 0;
	r->expiry = strtoull(tok[3], &end, 10);
	if (errno != 0 || *end != '\0')
		return "bad expiry";
	return NULL;
}

static void
pools_clear(struct nfv_lease_store *s)
{
	struct nfv_lease_pool *p;
	size_t i;

	for (p = s->pools; p != NULL; p = p->next) {
		for (i = 0; i < p->n_range; i++) {
			p->range[i].state = NFV_LEASE_FREE;
			memset(p->range[i].mac, 0, 6);
		}
		for (i = 0; i < p->n_fixed; i++)
			p->fixed_e[i].state = NFV_LEASE_FREE;
	}
}

/* Binds one loaded lease; returns false if it no longer fits the pool. */
static bool
rec_apply(struct nfv_lease_store *s, const struct lease_rec *r, uint64_t now)
{
	struct nfv_lease_pool *p = nfv_lease_pool_lookup(s, r->name);
	struct lease_entry *e;
	uint32_t fixed_ip;

	if (p == NULL || r->expiry <= now)
		return false;
	e = fixed_of_mac(p, r->mac, &fixed_ip);
	if (e != NULL) {
		if (fixed_ip != r->ip)
			return false;
	} else {
		if (!in_range(p, r->ip) || p->range[r->ip - p->start].reserved)
			return false;
		e = &p->range[r->ip - p->start];
		if (range_slot_of_mac(p, r->mac, now, false) >= 0)
			return false;   /* one lease per MAC and pool */
	}
	if (entry_state(e, now) != NFV_LEASE_FREE)
		return false;
	entry_set(e, NFV_LEASE_BOUND, r->mac, r->expiry);
	return true;
}

int
nfv_lease_store_load(struct nfv_lease_store *s, const char *path,
		     uint64_t now, unsigned int *n_skipped, char *err)
{
	struct lease_rec *recs = NULL, *grown;
	size_t n_recs = 0, cap = 0, i, line_len = 0, lineno = 0;
	const char *why = NULL;
	unsigned int skipped = 0;
	char *line = NULL;
	ssize_t n;
	FILE *f;
	int ret = 0;

	if (n_skipped != NULL)
		*n_skipped = 0;
	f = fopen(path, "re");
	if (f == NULL) {
		if (errno == ENOENT)
			return 0;
		ret = -errno;
		snprintf(err, NFV_LEASE_ERR_MAX, "lease file %s: %s", path, strerror(-ret));
		return ret;
	}
	while ((n = getline(&line, &line_len, f)) >= 0) {
		lineno++;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n >= STATE_LINE_MAX || strlen(line) != (size_t)n) {
			why = "line too long or contains a NUL byte";
			break;
		}
		if (lineno == 1) {
			if (strcmp(line, STATE_HEADER) != 0) {
				why = "missing '" STATE_HEADER "' header";
				break;
			}
			continue;
		}
		if (n == 0 || line[0] == '#')
			continue;
		if (n_recs == cap) {
			cap = cap ? 2 * cap : 64;
			grown = realloc(recs, cap * sizeof(*recs));
			if (grown == NULL) {
				ret = -ENOMEM;
				break;
			}
			recs = grown;
		}
		why = rec_parse(line, &recs[n_recs]);
		if (why != NULL)
			break;
		n_recs++;
	}
	if (ret == 0 && why == NULL && ferror(f))
		ret = -EIO;
	if (ret == 0 && why == NULL && lineno == 0)
		why = "empty file";
	fclose(f);
	free(line);

	pools_clear(s);
	if (why != NULL) {
		snprintf(err, NFV_LEASE_ERR_MAX,
			 "lease file %s line %zu: %s; starting with no leases",
			 path, lineno, why);
		ret = -EINVAL;
	} else if (ret < 0) {
		snprintf(err, NFV_LEASE_ERR_MAX, "lease file %s: %s", path, strerror(-ret));
	} else {
		for (i = 0; i < n_recs; i++)
			if (!rec_apply(s, &recs[i], now))
				skipped++;
		if (n_skipped != NULL)
			*n_skipped = skipped;
	}
	free(recs);
	return ret;
}
