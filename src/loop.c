/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control thread's event loop (see loop.h): one epoll instance for the
 * file descriptors, and a small array of periodic timers checked against
 * CLOCK_MONOTONIC on every nfv_loop_run_once(), whose epoll wait is cut short
 * by the nearest deadline.
 *
 * Each watched fd has a heap-allocated registration, and epoll carries a
 * pointer to it rather than the fd number. Deleting an fd from inside a
 * callback only marks its registration dead; it is freed once the current
 * batch of events has been dispatched. A stale event for a deleted fd (or
 * for a new fd that reused the number during the same batch) is therefore
 * recognised and skipped instead of reaching the wrong callback.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"

#define LOOP_MAX_EVENTS 64

struct loop_fd {
	struct loop_fd *next;
	int fd;
	bool dead;              /* deleted; freed after the current batch */
	nfv_loop_fd_fn *fn;
	void *arg;
};

struct loop_timer {
	uint64_t period_ns;
	uint64_t deadline_ns;   /* CLOCK_MONOTONIC */
	nfv_loop_timer_fn *fn;
	void *arg;
};

struct nfv_loop {
	int epfd;
	struct loop_fd *fds;    /* live registrations */
	struct loop_fd *dead;   /* deleted during dispatch, not yet freed */
	bool dispatching;
	struct loop_timer *timers;
	unsigned int n_timers;
	unsigned int timers_cap;
	volatile sig_atomic_t stopped;
};

static uint64_t
loop_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int
nfv_loop_create(struct nfv_loop **out)
{
	struct nfv_loop *loop;

	loop = calloc(1, sizeof(*loop));
	if (loop == NULL)
		return -ENOMEM;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0) {
		int ret = -errno;

		free(loop);
		return ret;
	}
	*out = loop;
	return 0;
}

static void
loop_free_list(struct loop_fd *r)
{
	while (r != NULL) {
		struct loop_fd *next = r->next;

		free(r);
		r = next;
	}
}

void
nfv_loop_destroy(struct nfv_loop *loop)
{
	if (loop == NULL)
		return;
	loop_free_list(loop->fds);
	loop_free_list(loop->dead);
	free(loop->timers);
	close(loop->epfd);
	free(loop);
}

/* Returns the live registration of 'fd', or NULL. */
static struct loop_fd *
loop_fd_lookup(const struct nfv_loop *loop, int fd)
{
	struct loop_fd *r;

	for (r = loop->fds; r != NULL; r = r->next)
		if (r->fd == fd)
			return r;
	return NULL;
}

int
nfv_loop_add_fd(struct nfv_loop *loop, int fd, uint32_t events,
		nfv_loop_fd_fn *fn, void *arg)
{
	struct epoll_event ev = { .events = events };
	struct loop_fd *r;

	if (fd < 0 || fn == NULL)
		return -EINVAL;
	if (loop_fd_lookup(loop, fd) != NULL)
		return -EEXIST;

	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return -ENOMEM;
	r->fd = fd;
	r->fn = fn;
	r->arg = arg;

	ev.data.ptr = r;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int ret = -errno;

		free(r);
		return ret;
	}
	r->next = loop->fds;
	loop->fds = r;
	return 0;
}

int
nfv_loop_mod_fd(struct nfv_loop *loop, int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events };
	struct loop_fd *r;

	r = loop_fd_lookup(loop, fd);
	if (r == NULL)
		return -ENOENT;
	ev.data.ptr = r;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_MOD, fd, &ev) < 0)
		return -errno;
	return 0;
}

void
nfv_loop_del_fd(struct nfv_loop *loop, int fd)
{
	struct loop_fd **p;
	struct loop_fd *r;

	for (p = &loop->fds; *p != NULL; p = &(*p)->next)
		if ((*p)->fd == fd)
			break;
	r = *p;
	if (r == NULL)
		return;
	*p = r->next;

	/* Fails harmlessly (EBADF) if the caller already closed 'fd'. */
	epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);

	if (loop->dispatching) {
		/* Events of this batch may still point at 'r'. */
		r->dead = true;
		r->next = loop->dead;
		loop->dead = r;
	} else {
		free(r);
	}
}

int
nfv_loop_add_timer(struct nfv_loop *loop, unsigned int period_ms,
		   nfv_loop_timer_fn *fn, void *arg)
{
	struct loop_timer *t;

	if (period_ms == 0 || fn == NULL)
		return -EINVAL;
	if (loop->n_timers == loop->timers_cap) {
		unsigned int cap = loop->timers_cap ? loop->timers_cap * 2 : 4;

		t = realloc(loop->timers, cap * sizeof(*t));
		if (t == NULL)
			return -ENOMEM;
		loop->timers = t;
		loop->timers_cap = cap;
	}
	t = &loop->timers[loop->n_timers++];
	t->period_ns = (uint64_t)period_ms * 1000000u;
	t->deadline_ns = loop_now_ns() + t->period_ns;
	t->fn = fn;
	t->arg = arg;
	return 0;
}

/* Returns how long epoll may wait: 'max_wait_ms' (negative: no limit) cut
 * down to the nearest timer deadline, rounded up so that we never wake up
 * just before a deadline and spin. */
static int
loop_wait_ms(const struct nfv_loop *loop, int max_wait_ms)
{
	uint64_t now = loop_now_ns();
	int wait = max_wait_ms;
	unsigned int i;

	for (i = 0; i < loop->n_timers; i++) {
		uint64_t deadline = loop->timers[i].deadline_ns;
		uint64_t left_ms;

		if (deadline <= now)
			return 0;
		left_ms = (deadline - now + 999999) / 1000000;
		if (wait < 0 || left_ms < (uint64_t)wait)
			wait = (int)left_ms;
	}
	return wait;
}

/* Runs every timer that is due. A timer that fell more than a period
 * behind (a slow callback, a suspended process) runs once, not once per
 * missed period. */
static void
loop_run_timers(struct nfv_loop *loop)
{
	uint64_t now = loop_now_ns();
	unsigned int i;

	/* By index: a callback may add a timer and move the array. */
	for (i = 0; i < loop->n_timers; i++) {
		struct loop_timer *t = &loop->timers[i];

		if (t->deadline_ns > now)
			continue;
		t->deadline_ns += t->period_ns;
		if (t->deadline_ns <= now)
			t->deadline_ns = now + t->period_ns;
		t->fn(t->arg);
	}
}

int
nfv_loop_run_once(struct nfv_loop *loop, int max_wait_ms)
{
	struct epoll_event events[LOOP_MAX_EVENTS];
	int n, i;

	n = epoll_wait(loop->epfd, events, LOOP_MAX_EVENTS,
		       loop_wait_ms(loop, max_wait_ms));
	if (n < 0) {
		if (errno != EINTR)
			return -errno;
		n = 0;
	}

	loop->dispatching = true;
	for (i = 0; i < n; i++) {
		struct loop_fd *r = events[i].data.ptr;

		if (!r->dead)
			r->fn(r->arg, r->fd, events[i].events);
	}
	loop->dispatching = false;
	loop_free_list(loop->dead);
	loop->dead = NULL;

	loop_run_timers(loop);
	return 0;
}

void
nfv_loop_stop(struct nfv_loop *loop)
{
	loop->stopped = 1;
}

bool
nfv_loop_stopped(const struct nfv_loop *loop)
{
	return loop->stopped != 0;
}
