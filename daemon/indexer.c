/*
 * indexer.c: one pass of store_index_update() at a time on the indexer's
 * writer thread.  "kicks" counts what asked for a pass; a pass covers the
 * kicks made before it started, and a waiter is answered by the first
 * complete pass that started after it asked.  A pass goes in steps of
 * INDEXER_STEP items, each a transaction of its own.
 */
#include <sys/queue.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "indexer.h"
#include "log.h"
#include "store.h"
#include "writer.h"
#include "xmalloc.h"

/*
 * New items per pass: a rebuild of a large database goes in passes of
 * about a second each, so shutdown and waiters never wait long.
 */
#define INDEXER_PASS_MAX	10000
/*
 * Items a step of a pass reads in one snapshot, and what a pass takes
 * while commits keep coming.  While the snapshot is older than the last
 * commit, the writer's checkpoints cannot let the log start over, so a
 * step holds it (and a core) only briefly, and a pass that no search
 * waits for gives way after the step under way once a commit comes in:
 * a pause in a first poll's commits is often only the writer's
 * checkpoint, not the end of the burst (bench/README.md, "indexer").
 */
#define INDEXER_STEP		1000
/*
 * The indexer thread's nice value: it yields the CPU to the loop and the
 * writer, whose work is what a poll waits for, and catches up after
 * (bench/poll at 10,000 feeds: 1-2 s after the end of a first poll).
 */
#define INDEXER_NICE		10
/* A search waits at most this long, then answers from the index as is. */
#define INDEXER_WAIT_SEC	2
/*
 * A pass starts once commits have paused INDEXER_QUIET_MS, or once the
 * oldest commit it is for has waited INDEXER_DELAY_MAX_MS.  A pass reads
 * the items in one snapshot, and while a reader holds a snapshot older
 * than the last commit, no checkpoint can finish and sqlite cannot start
 * the log over.  With a pass after every commit of a first poll, the log
 * grew to 366 MiB at 10,000 feeds, and the poll ran at 1,040-1,070
 * feeds/s; with passes in pauses or once a second, at 1,290-1,360
 * (bench/poll, interleaved runs).  The price: the index catches up after
 * the burst (searchable 14 s after the start instead of 10-11 s).
 * Searches do not wait for a pause: a waiter starts a pass at once.
 */
#define INDEXER_QUIET_MS	200
#define INDEXER_DELAY_MAX_MS	1000

struct indexer_waiter {
	struct indexer			*ix;
	indexer_ready_cb		 cb;
	void				*arg;
	uint64_t			 kick;	/* answered by a pass after it */
	struct event			*timer;
	TAILQ_ENTRY(indexer_waiter)	 entry;
};
TAILQ_HEAD(indexer_waiters, indexer_waiter);

struct indexer {
	struct event_base	*base;
	struct writer		*writer;
	uint64_t		 kicks;
	uint64_t		 pass_kick;	/* kicks when the pass began */
	struct event		*delay_ev;	/* the next pass, put off */
	int64_t			 first_ms;	/* oldest kick it is for */
	int64_t			 last_ms;	/* the latest kick */
	size_t			 pass_max;	/* new items, this pass */
	int			 running;
	int			 stopping;
	int			 niced;		/* the thread's, once */
	int			 for_waiter;	/* the pass is for a search */
	atomic_int		 committed;	/* since the pass began */
	/* The pass's outcome: written on the thread, read after "done". */
	int			 more;
	char			*cause;
	char			*last_error;	/* logged once until it heals */
	struct indexer_waiters	 waiters;
};

static void	indexer_start(struct indexer *, size_t);
static void	indexer_defer(struct indexer *);

static int64_t
indexer_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static void
indexer_answer(struct indexer_waiter *w)
{
	TAILQ_REMOVE(&w->ix->waiters, w, entry);
	event_free(w->timer);
	w->cb(w->arg);
	free(w);
}

static void
indexer_pass_run(struct store *store, void *arg)
{
	struct indexer	*ix = arg;
	size_t		 done;

	/* Background work: the loop and the writer come first. */
	if (!ix->niced) {
		ix->niced = 1;
		/* So top -H and ps tell it from the poll writer. */
		pthread_setname_np(pthread_self(), "feedd-index");
		if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid),
		    INDEXER_NICE) != 0)
			log_debug("search: setpriority: %s", strerror(errno));
	}
	ix->cause = NULL;
	for (done = 0; done < ix->pass_max; done += INDEXER_STEP) {
		if (store_index_update(store, INDEXER_STEP, &ix->more,
		    &ix->cause) != 0) {
			ix->more = 0;
			break;
		}
		if (!ix->more || (!ix->for_waiter &&
		    atomic_load(&ix->committed)))
			break;
	}
}

static void
indexer_pass_done(void *arg)
{
	struct indexer		*ix = arg;
	struct indexer_waiter	*w, *next;

	ix->running = 0;
	if (ix->stopping) {
		free(ix->cause);
		ix->cause = NULL;
		return;
	}
	if (ix->cause != NULL) {
		if (ix->last_error == NULL ||
		    strcmp(ix->last_error, ix->cause) != 0)
			log_warnx("search: %s", ix->cause);
		free(ix->last_error);
		ix->last_error = ix->cause;
		ix->cause = NULL;
	} else if (ix->last_error != NULL) {
		log_info("search: indexing works again");
		free(ix->last_error);
		ix->last_error = NULL;
	}
	/* A failed pass answers too: the search runs on what is there. */
	if (!ix->more) {
		for (w = TAILQ_FIRST(&ix->waiters); w != NULL; w = next) {
			next = TAILQ_NEXT(w, entry);
			if (w->kick <= ix->pass_kick)
				indexer_answer(w);
		}
	}
	/* Someone is waiting: at once.  Otherwise in a pause, if any. */
	if (!TAILQ_EMPTY(&ix->waiters))
		indexer_start(ix, INDEXER_PASS_MAX);
	else if (ix->more || (ix->kicks > ix->pass_kick &&
	    ix->last_error == NULL)) {
		ix->first_ms = indexer_now_ms();
		indexer_defer(ix);
	}
}

static void
indexer_delay_cb(evutil_socket_t fd, short what, void *arg)
{
	indexer_defer(arg);
}

/* Starts the pass when commits pause, or when it has waited too long. */
static void
indexer_defer(struct indexer *ix)
{
	struct timeval	tv;
	int64_t		now = indexer_now_ms(), wait;

	if (ix->running)
		return;		/* its end decides */
	wait = INDEXER_QUIET_MS - (now - ix->last_ms);
	if (wait > ix->first_ms + INDEXER_DELAY_MAX_MS - now)
		wait = ix->first_ms + INDEXER_DELAY_MAX_MS - now;
	if (wait <= 0) {
		indexer_start(ix, now - ix->last_ms < INDEXER_QUIET_MS ?
		    INDEXER_STEP : INDEXER_PASS_MAX);
		return;
	}
	tv.tv_sec = wait / 1000;
	tv.tv_usec = (wait % 1000) * 1000;
	evtimer_add(ix->delay_ev, &tv);
}

static void
indexer_start(struct indexer *ix, size_t max)
{
	if (ix->running)
		return;
	evtimer_del(ix->delay_ev);
	ix->running = 1;
	ix->pass_max = max;
	ix->pass_kick = ix->kicks;
	ix->for_waiter = !TAILQ_EMPTY(&ix->waiters);
	atomic_store(&ix->committed, 0);
	writer_task(ix->writer, indexer_pass_run, indexer_pass_done, ix);
}

/*
 * "node": the node's id on a database that several share (store_node_id()
 * of its first connection), or NULL: this connection is then the node's,
 * not counted as another node.
 */
struct indexer *
indexer_new(struct event_base *base, const char *db, const char *node,
    char **cause)
{
	struct indexer	*ix;

	ix = xcalloc(1, sizeof(*ix));
	ix->base = base;
	TAILQ_INIT(&ix->waiters);
	if ((ix->writer = writer_new(base, db, NULL, NULL, cause)) == NULL) {
		free(ix);
		return (NULL);
	}
	if (node != NULL)
		store_set_node_id(writer_store(ix->writer), node);
	ix->delay_ev = evtimer_new(base, indexer_delay_cb, ix);
	/* Whatever an earlier run left unindexed, or a whole rebuild. */
	ix->kicks++;
	indexer_start(ix, INDEXER_PASS_MAX);
	return (ix);
}

/* Something was committed: a pass will take it in, soon. */
void
indexer_kick(struct indexer *ix)
{
	ix->last_ms = indexer_now_ms();
	atomic_store(&ix->committed, 1);
	if (ix->kicks++ == ix->pass_kick && !ix->running)
		ix->first_ms = ix->last_ms;	/* the first one waiting */
	indexer_defer(ix);
}

static void
indexer_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	indexer_answer(arg);
}

void
indexer_wait(struct indexer *ix, indexer_ready_cb cb, void *arg)
{
	struct indexer_waiter	*w;
	struct timeval		 tv = { INDEXER_WAIT_SEC, 0 };

	w = xcalloc(1, sizeof(*w));
	w->ix = ix;
	w->cb = cb;
	w->arg = arg;
	w->kick = ++ix->kicks;
	w->timer = evtimer_new(ix->base, indexer_timeout_cb, w);
	evtimer_add(w->timer, &tv);
	TAILQ_INSERT_TAIL(&ix->waiters, w, entry);
	indexer_start(ix, INDEXER_PASS_MAX);
}

/* Waits for the pass under way; waiters still waiting are answered. */
void
indexer_free(struct indexer *ix)
{
	if (ix == NULL)
		return;
	ix->stopping = 1;
	/* A long pass (a rebuild, a big removal) must not hold up a stop. */
	store_index_stop(writer_store(ix->writer));
	writer_free(ix->writer);
	event_free(ix->delay_ev);
	while (!TAILQ_EMPTY(&ix->waiters))
		indexer_answer(TAILQ_FIRST(&ix->waiters));
	free(ix->cause);
	free(ix->last_error);
	free(ix);
}
