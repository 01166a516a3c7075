/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DHCP lease store for the DHCP app: named per-subnet pools, each a
 * dynamic range [start, end] plus fixed MAC -> IP reservations, with
 * offers, bound leases, declined addresses and expiry, and persistence of
 * the bound leases to a text state file written atomically. Time is always
 * passed in by the caller as wall-clock seconds since the epoch, so the
 * store has no clock of its own and tests control it. Addresses are in
 * host byte order. Control thread only; no locking.
 *
 * State file: a header line, then one lease per line:
 *   # nfvswitch dhcp leases v1
 *   <subnet> <mac aa:bb:cc:dd:ee:ff> <a.b.c.d> <expiry epoch seconds>
 */
#ifndef NFV_LEASE_STORE_H
#define NFV_LEASE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NFV_LEASE_POOL_NAME_MAX 32      /* including the NUL */
#define NFV_LEASE_POOL_SIZE_MAX 65536   /* addresses in one dynamic range */
#define NFV_LEASE_ERR_MAX 256
#define NFV_LEASE_OFFER_TIME 30         /* default seconds an offer holds */
#define NFV_LEASE_DECLINE_TIME 600      /* default seconds a bad IP rests */

struct nfv_lease_store;
struct nfv_lease_pool;

struct nfv_lease_fixed {
	uint8_t mac[6];
	uint32_t ip;
};

struct nfv_lease_pool_params {
	const char *name;               /* no blanks, < POOL_NAME_MAX chars */
	uint32_t start;                 /* dynamic range, inclusive */
	uint32_t end;                   /* start > end: no dynamic range */
	uint32_t lease_time;            /* seconds, > 0 */
	uint32_t offer_time;            /* 0: NFV_LEASE_OFFER_TIME */
	uint32_t decline_time;          /* 0: NFV_LEASE_DECLINE_TIME */
	const struct nfv_lease_fixed *fixed;
	size_t n_fixed;
};

enum nfv_lease_state {
	NFV_LEASE_FREE,
	NFV_LEASE_OFFERED,
	NFV_LEASE_BOUND,
	NFV_LEASE_DECLINED,
};

/* A copy of one address's state, as returned by the lookups. */
struct nfv_lease {
	enum nfv_lease_state state;
	uint8_t mac[6];
	uint32_t ip;
	uint64_t expiry;                /* epoch seconds */
	bool fixed;
};

struct nfv_lease_pool_stats {
	uint32_t n_addrs;               /* dynamic range plus fixed */
	uint32_t n_offered;
	uint32_t n_bound;
	uint32_t n_declined;
	uint64_t n_full;                /* offers refused: pool exhausted */
	uint64_t n_expired;
};

/* Allocates an empty store into '*out'. Returns 0 or -ENOMEM. */
int nfv_lease_store_create(struct nfv_lease_store **out);

/* Frees 's' and its pools; NULL is a no-op. */
void nfv_lease_store_destroy(struct nfv_lease_store *s);

/*
 * Adds a pool described by 'p' to 's' and stores it in '*out' (may be
 * NULL). Returns 0, -EINVAL (bad name, range or reservation, with the
 * reason in 'err' of NFV_LEASE_ERR_MAX bytes), -EEXIST (name taken) or
 * -ENOMEM.
 */
int nfv_lease_pool_add(struct nfv_lease_store *s,
		       const struct nfv_lease_pool_params *p,
		       struct nfv_lease_pool **out, char *err);

/* Returns the pool named 'name', or NULL. */
struct nfv_lease_pool *nfv_lease_pool_lookup(const struct nfv_lease_store *s,
					     const char *name);

/*
 * Chooses an address for 'mac' and holds it as an offer until now +
 * offer_time: the MAC's fixed reservation; else its current offer or
 * lease; else 'requested' (0 for none) if in the range and free; else the
 * lowest free address of the range. Stores it in '*ip'. Returns 0,
 * -ENOSPC if the pool is full (counted in n_full) or -EBUSY if the MAC's
 * reservation is declined.
 */
int nfv_lease_offer(struct nfv_lease_pool *pool, const uint8_t mac[6],
		    uint32_t requested, uint64_t now, uint32_t *ip);

/*
 * Binds 'ip' to 'mac' until now + lease_time (REQUEST): it must be offered
 * or leased to 'mac', or free (INIT-REBOOT after a restart). Stores the
 * expiry in '*expiry' (may be NULL). Returns 0, -EINVAL if 'ip' is not in
 * this pool or is not the MAC's reservation (answer NAK), or -EBUSY if it
 * belongs to another client or was declined (answer NAK).
 */
int nfv_lease_request(struct nfv_lease_pool *pool, const uint8_t mac[6],
		      uint32_t ip, uint64_t now, uint64_t *expiry);

/* Frees 'ip' if held by 'mac' (RELEASE). Returns 0 or -ENOENT. */
int nfv_lease_release(struct nfv_lease_pool *pool, const uint8_t mac[6],
		      uint32_t ip, uint64_t now);

/*
 * Marks 'ip' unusable until now + decline_time (DECLINE: the client found
 * it in use). Only the client holding it may decline it. Returns 0,
 * -EINVAL if 'ip' is not in the pool or -ENOENT if 'mac' does not hold it.
 */
int nfv_lease_decline(struct nfv_lease_pool *pool, const uint8_t mac[6],
		      uint32_t ip, uint64_t now);

/*
 * Frees every offer, lease and decline of every pool whose time is over
 * at 'now'. Returns how many leases and offers expired.
 */
unsigned int nfv_lease_store_expire(struct nfv_lease_store *s, uint64_t now);

/* Fills '*out' with the state of 'ip' at 'now'. Returns 0 or -EINVAL. */
int nfv_lease_lookup_ip(const struct nfv_lease_pool *pool, uint32_t ip,
			uint64_t now, struct nfv_lease *out);

/*
 * Fills '*out' with the offer or lease 'mac' holds at 'now'. Returns 0 or
 * -ENOENT.
 */
int nfv_lease_lookup_mac(const struct nfv_lease_pool *pool,
			 const uint8_t mac[6], uint64_t now,
			 struct nfv_lease *out);

/* Fills '*stats' for 'pool' at 'now'. */
void nfv_lease_pool_stats(const struct nfv_lease_pool *pool, uint64_t now,
			  struct nfv_lease_pool_stats *stats);

/*
 * Writes the bound leases of every pool to 'path' atomically: a
 * temporary file beside it, fsync, rename, fsync of the directory.
 * Returns 0 or a negative errno with the reason in 'err'.
 */
int nfv_lease_store_save(const struct nfv_lease_store *s, const char *path,
			 char *err);

/*
 * Reads leases from 'path' into the pools of 's' (added beforehand). A
 * missing file is not an error. Leases that expired by 'now', name an
 * unknown pool or an address the pool no longer has are skipped and
 * counted in '*n_skipped' (may be NULL). A corrupt file is rejected as a
 * whole: every pool is left empty, the file and line are named in 'err'
 * and -EINVAL is returned. Other failures return a negative errno.
 */
int nfv_lease_store_load(struct nfv_lease_store *s, const char *path,
			 uint64_t now, unsigned int *n_skipped, char *err);

/* Formats 'mac' as "aa:bb:cc:dd:ee:ff" into 'buf' (18 bytes). */
void nfv_lease_mac_format(const uint8_t mac[6], char buf[18]);

#endif /* NFV_LEASE_STORE_H */
