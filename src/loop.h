/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control thread's event loop: epoll over non-blocking file descriptors
 * plus periodic timers. The control socket server, and later the OpenFlow
 * connections, register here; nothing in it ever blocks longer than the
 * wait that nfv_loop_run_once() is given. Control thread only.
 */
#ifndef NFV_LOOP_H
#define NFV_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct nfv_loop;

/* Called when 'fd' is ready; 'events' is the EPOLL* mask that fired. */
typedef void nfv_loop_fd_fn(void *arg, int fd, uint32_t events);
/* Called every period of its timer. */
typedef void nfv_loop_timer_fn(void *arg);

/* Creates an empty loop. Returns 0 or -errno. */
int nfv_loop_create(struct nfv_loop **out);
/* Destroys 'loop' (NULL-safe); registered fds are not closed. */
void nfv_loop_destroy(struct nfv_loop *loop);

/* Watches 'fd' for 'events' (EPOLLIN, EPOLLOUT...) and calls 'fn'.
 * Returns 0 or -errno (-EEXIST if already watched). */
int nfv_loop_add_fd(struct nfv_loop *loop, int fd, uint32_t events,
		    nfv_loop_fd_fn *fn, void *arg);
/* Changes the events watched on 'fd'. Returns 0 or -errno. */
int nfv_loop_mod_fd(struct nfv_loop *loop, int fd, uint32_t events);
/* Stops watching 'fd'. Safe to call from inside that fd's callback. */
void nfv_loop_del_fd(struct nfv_loop *loop, int fd);

/* Calls 'fn' every 'period_ms' milliseconds (first call one period from
 * now). Returns 0 or -errno. */
int nfv_loop_add_timer(struct nfv_loop *loop, unsigned int period_ms,
		       nfv_loop_timer_fn *fn, void *arg);

/* Waits up to 'max_wait_ms' for ready fds or due timers and runs their
 * callbacks. Returns 0, or -errno if epoll itself failed (EINTR is 0). */
int nfv_loop_run_once(struct nfv_loop *loop, int max_wait_ms);

/* Makes nfv_loop_stopped() true; async-signal-safe. */
void nfv_loop_stop(struct nfv_loop *loop);
bool nfv_loop_stopped(const struct nfv_loop *loop);

#endif /* NFV_LOOP_H */
