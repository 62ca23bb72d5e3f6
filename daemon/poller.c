/*
 * poller.c: the life of a poll.  A feed's timer fires; its URL and
 * validators come from the store; the fetcher gets and parses it; the
 * outcome, the next poll time and its reason commit in one transaction;
 * the new items are announced.  Errors never stop a feed: they back off
 * and show on the feed (DESIGN.md), except 410 Gone, which disables it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "fetch.h"
#include "item.h"
#include "log.h"
#include "poller.h"
#include "sched.h"
#include "store.h"
#include "xmalloc.h"

/* Feeds overdue at start are spread over at most this many seconds. */
#define POLLER_SPREAD_MAX	300
/*
 * Finished fetches wait for the end of the loop turn and commit together
 * (each still all or nothing): one transaction for a crowd of polls is
 * what makes 1,000 feeds cheap (bench/poll).  This many commit at once
 * at most, so announcing never waits long.
 */
#define POLLER_BATCH_MAX	64

struct poller {
	struct store		*store;
	struct fetcher		*fetcher;
	struct sched		*sched;
	poller_announce_cb	 announce;
	void			*announce_arg;
	poller_done_cb		 done;
	void			*done_arg;
	struct poller_stats	 stats;
	size_t			 in_flight;
	int			 stopping;
	uint64_t		 rng;
	struct fetch_result	*batch[POLLER_BATCH_MAX];
	size_t			 nbatch;
	struct event		*flush_ev;
};

static void	poller_fire_cb(int64_t, void *);
static void	poller_fetched_cb(struct fetch_result *, void *);
static void	poller_flush_cb(evutil_socket_t, short, void *);

/* xorshift64: jitter needs spread, not secrecy. */
static uint32_t
poller_random(struct poller *p)
{
	p->rng ^= p->rng << 13;
	p->rng ^= p->rng >> 7;
	p->rng ^= p->rng << 17;
	return ((uint32_t)(p->rng >> 16));
}

struct poller *
poller_new(struct event_base *base, struct store *store,
    const struct fetch_opts *fo, const struct sched_opts *so)
{
	struct poller	*p;

	p = xcalloc(1, sizeof(*p));
	p->store = store;
	p->rng = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid() ^
	    0x9e3779b97f4a7c15ULL;
	p->fetcher = fetch_new(base, fo, poller_fetched_cb, p);
	p->sched = sched_new(base, so, poller_fire_cb, p);
	p->flush_ev = evtimer_new(base, poller_flush_cb, p);
	return (p);
}

void
poller_set_opts(struct poller *p, const struct fetch_opts *fo,
    const struct sched_opts *so)
{
	fetch_set_opts(p->fetcher, fo);
	sched_set_opts(p->sched, so);
}

void
poller_set_announce(struct poller *p, poller_announce_cb cb, void *arg)
{
	p->announce = cb;
	p->announce_arg = arg;
}

void
poller_set_done(struct poller *p, poller_done_cb cb, void *arg)
{
	p->done = cb;
	p->done_arg = arg;
}

static void
poller_begin(struct poller *p, int64_t id)
{
	struct store_feed	*f;
	struct fetch_req	 req;

	if (p->stopping || sched_busy(p->sched, id, -1))
		return;
	if ((f = store_feed_state(p->store, id)) == NULL || !f->enabled) {
		sched_remove(p->sched, id);
		store_feed_free(f);
		return;
	}
	memset(&req, 0, sizeof(req));
	req.feed_id = id;
	req.url = f->url;
	req.etag = f->etag;
	req.last_modified = f->last_modified;
	req.trusted = f->origin == STORE_ORIGIN_CONFIG;
	sched_busy(p->sched, id, 1);
	p->in_flight++;
	log_debug("poll: %s: start", f->url);
	fetch_start(p->fetcher, &req);
	store_feed_free(f);
}

static void
poller_fire_cb(int64_t id, void *arg)
{
	poller_begin(arg, id);
}

static void
poller_log(const struct store_feed *f, const struct fetch_result *r,
    const struct store_poll_result *res, const char *error, int64_t next,
    const char *reason)
{
	int64_t	in = next - (int64_t)time(NULL);

	if (error != NULL)
		log_warnx("poll: %s: %s (%d in a row; next in %" PRId64
		    "s: %s)", f->url, error, f->errors + 1, in, reason);
	else if (r->status == 304)
		log_debug("poll: %s: not modified; next in %" PRId64 "s",
		    f->url, in);
	else
		log_info("poll: %s: %zu new, %zu updated; next in %" PRId64
		    "s (%s)", f->url, res->nids, res->nupdated, in, reason);
	if (r->moved_to != NULL && strcmp(r->moved_to, f->url) != 0)
		log_info("poll: %s: moved permanently to %s", f->url,
		    r->moved_to);
}

/* What one finished fetch becomes: its store_poll and next poll time. */
struct poller_job {
	struct fetch_result	*r;
	struct store_feed	*f;
	struct store_poll	 sp;
	char			 reason[SCHED_REASON_MAX];
	char			*gone;
	const char		*error;
};

static void
poller_plan(struct poller *p, struct poller_job *j, int64_t now)
{
	struct fetch_result	*r = j->r;
	struct sched_input	 in;
	struct feed_hints	 hints;

	if (r->doc != NULL)
		sched_set_hints(p->sched, r->feed_id, &r->doc->hints);
	j->error = r->error;
	if (r->status == 410) {
		j->gone = xstrdup("HTTP 410 Gone: the feed was disabled");
		j->error = j->gone;
	}
	memset(&in, 0, sizeof(in));
	in.now = now;
	in.interval = j->f->interval;
	in.item_rate = j->f->item_rate;
	in.hints = sched_get_hints(p->sched, r->feed_id, &hints) == 0 ?
	    &hints : NULL;
	in.max_age = r->max_age;
	in.expires = r->expires;
	in.errors = j->error != NULL ? j->f->errors + 1 : 0;
	in.retry_after = r->retry_after;
	in.jitter = poller_random(p);

	memset(&j->sp, 0, sizeof(j->sp));
	j->sp.now = now;
	j->sp.doc = r->doc;
	j->sp.http_status = (int)r->status;
	j->sp.etag = r->etag;
	j->sp.last_modified = r->last_modified;
	j->sp.keep_validators = r->partial;
	j->sp.moved_to = r->moved_to;
	j->sp.error = j->error;
	j->sp.next_poll = sched_next_poll(sched_get_opts(p->sched), &in,
	    j->reason, sizeof(j->reason));
	j->sp.next_poll_reason = j->reason;
	j->sp.retry_after = r->retry_after;
	j->sp.disable = r->status == 410;
}

/* After the commit: log, count, announce, and arm the next poll. */
static void
poller_after(struct poller *p, struct poller_job *j,
    struct store_poll_result *res, char *cause, int64_t now)
{
	struct fetch_result	*r = j->r;

	if (cause != NULL) {
		/* Nothing was recorded: try again soon, with the old state. */
		log_warnx("poll: %s: %s", j->f->url, cause);
		p->stats.errors++;
		sched_at(p->sched, r->feed_id,
		    now + sched_get_opts(p->sched)->min_interval);
	} else {
		poller_log(j->f, r, res, j->error, j->sp.next_poll, j->reason);
		p->stats.polls++;
		p->stats.bytes += r->bytes;
		p->stats.new_items += res->nids;
		if (j->error != NULL)
			p->stats.errors++;
		if (r->status == 304)
			p->stats.not_modified++;
		if (res->nids > 0 && p->announce != NULL)
			p->announce(r->feed_id, res->ids, res->nids,
			    p->announce_arg);
		if (j->sp.disable) {
			log_warnx("poll: %s: 410 Gone: feed disabled",
			    j->f->url);
			sched_remove(p->sched, r->feed_id);
		} else
			sched_at(p->sched, r->feed_id, j->sp.next_poll);
	}
	if (p->done != NULL)
		p->done(r->feed_id, cause != NULL ? cause : j->error,
		    p->done_arg);
}

/* Commits every finished fetch waiting in the batch, together. */
static void
poller_flush(struct poller *p)
{
	struct poller_job		 jobs[POLLER_BATCH_MAX];
	struct store_poll_result	 res[POLLER_BATCH_MAX];
	const struct store_poll		*polls[POLLER_BATCH_MAX];
	int64_t				 ids[POLLER_BATCH_MAX];
	char				*causes[POLLER_BATCH_MAX];
	int64_t				 now = (int64_t)time(NULL);
	size_t				 i, n = 0, nb = p->nbatch;

	p->nbatch = 0;
	evtimer_del(p->flush_ev);
	for (i = 0; i < nb; i++) {
		memset(&jobs[n], 0, sizeof(jobs[n]));
		jobs[n].r = p->batch[i];
		sched_busy(p->sched, jobs[n].r->feed_id, 0);
		jobs[n].f = store_feed_state(p->store, jobs[n].r->feed_id);
		if (jobs[n].f == NULL) {
			/* Removed while it was fetched. */
			fetch_result_free(jobs[n].r);
			continue;
		}
		poller_plan(p, &jobs[n], now);
		ids[n] = jobs[n].r->feed_id;
		polls[n] = &jobs[n].sp;
		n++;
	}
	store_apply_polls(p->store, n, ids, polls, res, causes);
	for (i = 0; i < n; i++) {
		poller_after(p, &jobs[i], &res[i], causes[i], now);
		store_poll_result_clear(&res[i]);
		free(causes[i]);
		store_feed_free(jobs[i].f);
		fetch_result_free(jobs[i].r);
		free(jobs[i].gone);
	}
}

static void
poller_flush_cb(evutil_socket_t fd, short what, void *arg)
{
	poller_flush(arg);
}

/* The fetcher is done with a feed: queue it for the next commit. */
static void
poller_fetched_cb(struct fetch_result *r, void *arg)
{
	struct poller	*p = arg;
	struct timeval	 now = { 0, 0 };

	p->in_flight--;
	if (r->aborted || p->stopping) {
		fetch_result_free(r);
		return;
	}
	p->batch[p->nbatch++] = r;
	if (p->nbatch == POLLER_BATCH_MAX)
		poller_flush(p);
	else if (p->nbatch == 1)
		evtimer_add(p->flush_ev, &now);
}

/* When a feed should first be polled after start or after it appeared. */
static int64_t
poller_first(struct poller *p, const struct store_feed *f, int64_t now,
    int64_t spread)
{
	int64_t	when;

	if (f->last_poll == DATE_NONE)
		return (now);		/* never polled: right away */
	when = f->next_poll;
	if (f->retry_after != DATE_NONE && (when == DATE_NONE ||
	    f->retry_after > when))
		when = f->retry_after;
	if (when == DATE_NONE || when <= now)
		when = now + (spread > 0 ? poller_random(p) % spread : 0);
	return (when);
}

/* Arms every enabled feed from what the store remembers. */
int
poller_start(struct poller *p)
{
	struct store_feed	**v;
	size_t			  n, i, overdue = 0;
	int64_t			  now = (int64_t)time(NULL), spread;

	if (store_feeds_list(p->store, NULL, &v, &n) != 0)
		return (-1);
	for (i = 0; i < n; i++)
		if (v[i]->enabled && v[i]->last_poll != DATE_NONE &&
		    (v[i]->next_poll == DATE_NONE || v[i]->next_poll <= now))
			overdue++;
	/* About 20 overdue feeds a second, and never longer than 5 min. */
	spread = (int64_t)overdue / 20;
	if (spread > POLLER_SPREAD_MAX)
		spread = POLLER_SPREAD_MAX;
	for (i = 0; i < n; i++)
		if (v[i]->enabled)
			sched_at(p->sched, v[i]->id,
			    poller_first(p, v[i], now, spread));
	log_info("poll: %zu feeds scheduled, %zu overdue spread over %"
	    PRId64 "s", n, overdue, spread);
	store_feeds_free(v, n);
	return (0);
}

/* A feed was added, enabled, disabled or changed by the config. */
void
poller_feed_changed(struct poller *p, int64_t id)
{
	struct store_feed	*f;

	if ((f = store_feed_get(p->store, id)) == NULL || !f->enabled) {
		sched_remove(p->sched, id);
		store_feed_free(f);
		return;
	}
	if (sched_when(p->sched, id) == DATE_NONE &&
	    !sched_busy(p->sched, id, -1))
		sched_at(p->sched, id, poller_first(p, f, time(NULL), 0));
	store_feed_free(f);
}

void
poller_feed_removed(struct poller *p, int64_t id)
{
	sched_remove(p->sched, id);
}

/*
 * Poll now, past the timer but not past the per-host limits, nor past
 * Retry-After unless "force".  Returns 0 when started or already under
 * way, 1 when held back until Retry-After, -1 for no such feed.
 */
int
poller_poll_now(struct poller *p, int64_t id, int force)
{
	struct store_feed	*f;
	int64_t			 now = (int64_t)time(NULL);
	int			 rc = 0;

	if ((f = store_feed_get(p->store, id)) == NULL)
		return (-1);
	if (sched_busy(p->sched, id, -1))
		rc = 0;
	else if (!force && f->retry_after != DATE_NONE &&
	    f->retry_after > now) {
		sched_at(p->sched, id, f->retry_after);
		rc = 1;
	} else
		sched_at(p->sched, id, now);
	store_feed_free(f);
	return (rc);
}

size_t
poller_in_flight(struct poller *p)
{
	return (p->in_flight);
}

void
poller_get_stats(struct poller *p, struct poller_stats *st)
{
	*st = p->stats;
}

/* Shutdown: transfers in flight are aborted, nothing new starts. */
void
poller_stop(struct poller *p)
{
	/* What was fetched is committed (DESIGN.md), then nothing more. */
	if (p->nbatch > 0)
		poller_flush(p);
	p->stopping = 1;
	fetch_cancel_all(p->fetcher);
}

void
poller_free(struct poller *p)
{
	if (p == NULL)
		return;
	if (p->nbatch > 0)
		poller_flush(p);
	p->stopping = 1;
	fetch_free(p->fetcher);
	sched_free(p->sched);
	event_free(p->flush_ev);
	free(p);
}
