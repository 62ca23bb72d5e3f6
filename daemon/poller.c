/*
 * poller.c: the life of a poll.  A feed's timer fires; its URL and
 * validators come from the store; the fetcher gets and parses it; the
 * outcome, the next poll time and its reason commit in one transaction;
 * the new items are announced.  Errors never stop a feed: they back off
 * and show on the feed, except 410 Gone, which disables it.
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
#include "loop.h"
#include "poller.h"
#include "sched.h"
#include "store.h"
#include "writer.h"
#include "xmalloc.h"

/* Feeds overdue at start are spread over at most this many seconds. */
#define POLLER_SPREAD_MAX	300
/* An imported feed's first poll waits this long for a "poll --wait". */
#define POLLER_IMPORT_DELAY	30
/*
 * A feed whose row could not be read (a busy or broken database, not a
 * removed feed) is tried again this much later: it stays scheduled.
 */
#define POLLER_READ_RETRY	5
/*
 * Seconds between two readings of every feed when other nodes add or
 * change feeds (poller_feeds_heard()): an import of a thousand on
 * another node is a thousand announcements, read here a few times.
 */
#define POLLER_REARM_EVERY	1
/*
 * Finished fetches commit together, each still all or nothing, in the
 * writer thread: one transaction for a crowd of polls is what makes 1,000
 * feeds cheap (bench/poll).  While the writer commits one batch the next
 * one gathers; past this many waiting, the fetcher starts nothing new
 * until half are committed, so parsed documents never pile up in memory.
 */
#define POLLER_BACKLOG_MAX	128
/*
 * The writer's page cache.  Each new item lands at a random place in the
 * link index (items_canon), and the item indexes reach 34 MiB at 350,000
 * items, far past sqlite's 2 MB default.  bench/poll at 10,000 feeds,
 * three interleaved runs: 16 MiB polled at 1,328-1,383 feeds/s with
 * 7.9-8.6 s of CPU, 8 MiB at 1,278-1,328 with 8.9-9.2 s, for 6-7 MiB
 * more peak RSS (45 MiB).  (Before the indexer waited for pauses, the
 * log never started over in a first poll and 16 MiB made no difference.)
 */
#define POLLER_WRITER_CACHE	(16u << 20)

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
	struct writer		*writer;
	struct poller_batch	*gathering;	/* filling */
	struct poller_batch	*committing;	/* with the writer */
	struct poller_batch	*spent;		/* committed, to free */
	struct event		*flush_ev;
	struct event		*free_ev;
	char			*store_error;	/* the last commit's, if failed */
	struct poller_check	*checks;	/* feeds.add fetches under way */
	int64_t			 next_check;	/* their ids: -1, -2, ... */
	struct poller_adopted	*adopted;	/* their first polls, until
						   stored */
	int64_t			*manual;	/* asked for by feeds.poll */
	size_t			 nmanual;
	/*
	 * Feeds whose timers fired in this turn of the loop: claimed
	 * together once the turn's timers have run, so several nodes on
	 * one database pay one round trip for a crowd of due feeds.
	 */
	int64_t			*firing;
	int			*firing_manual;
	size_t			 nfiring;
	size_t			 firing_cap;
	struct event		*claim_ev;
	/* The claimer's thread and connection (main()'s), or NULL: the
	 * claim is made on the loop's store.  The claim under way there. */
	struct writer		*claimer;
	struct poller_claim	*claiming;
	/* Claims failed in a row: the first is logged, the rest only
	 * counted (a database away for a minute fails hundreds). */
	size_t			 claims_failed;
	/*
	 * Feeds a claim left because their host was at max_per_host across
	 * the nodes, with the time each was put off to and its host's key.
	 * Every fetch of this node's that ends frees a slot of its host
	 * (the claim does not count its lease while its poll waits to be
	 * stored), so as many of those hosts' put-off feeds fire again at
	 * once: a node reuses the slots its own polls free as fast as one
	 * node alone would, and sees slots the other nodes free when they
	 * commit (peers.h) or the put-off time comes.  Only as many as
	 * were freed: a claim costs the database in proportion to the
	 * feeds it is asked for, and a host with a thousand feeds waiting
	 * would otherwise be asked for all of them at every fetch.
	 */
	struct poller_wait	*host_wait;
	size_t			 nhost_wait;
	size_t			 host_wait_cap;
	size_t			 host_wait_live;	/* at the last sweep */
	/* The feeds being polled under the bound, with their hosts' keys:
	 * each holds its host's slot until its fetch ends, and its lease
	 * until its poll is stored. */
	struct poller_slot	*slots;
	size_t			 nslots;
	size_t			 slots_cap;
	/* Hosts' keys of the slots freed in this turn of the loop: their
	 * put-off feeds fire once the turn's fetches are all in. */
	uint32_t		*freed;
	size_t			 nfreed;
	size_t			 freed_cap;
	struct event		*refire_ev;
	/* Other nodes added or changed feeds: every feed is read again. */
	struct event		*rearm_ev;
};

struct poller_wait {
	int64_t			 id;
	int64_t			 when;
	uint32_t		 host;
};

struct poller_slot {
	int64_t			 id;
	uint32_t		 host;
	int			 fetched;	/* its poll waits to be stored */
};

/* A fetch of a URL nothing is subscribed to yet (poller_check). */
struct poller_check {
	int64_t			 id;
	poller_check_cb		 cb;
	void			*arg;
	struct poller_check	*next;
};

/* A first poll that a feeds.add answers after (poller_adopt). */
struct poller_adopted {
	int64_t			 id;
	poller_adopt_cb		 cb;
	void			*arg;
	struct poller_adopted	*next;
};

static void	poller_fire_cb(int64_t, void *);
static void	poller_fetched_cb(struct fetch_result *, void *);
static void	poller_flush_cb(evutil_socket_t, short, void *);
static void	poller_committed_cb(void *, void *);
static void	poller_free_cb(evutil_socket_t, short, void *);
static void	poller_claim_cb(evutil_socket_t, short, void *);
static size_t	poller_backlog(struct poller *);
static void	poller_host_wait(struct poller *, int64_t, int64_t, uint32_t);
static void	poller_slot_add(struct poller *, int64_t, uint32_t);
static uint32_t	poller_slot_take(struct poller *, int64_t);
static uint32_t	poller_slot_fetched(struct poller *, int64_t);
static void	poller_refire_cb(evutil_socket_t, short, void *);
static void	poller_rearm_cb(evutil_socket_t, short, void *);
static void	poller_host_refire(struct poller *, const uint32_t *, size_t,
		    int64_t);
static char	*poller_moved_twin(struct poller *,
		    const struct store_feed *, const char *);

/* xorshift64: jitter needs spread, not secrecy. */
static uint32_t
poller_random(struct poller *p)
{
	p->rng ^= p->rng << 13;
	p->rng ^= p->rng >> 7;
	p->rng ^= p->rng << 17;
	return ((uint32_t)(p->rng >> 16));
}

/*
 * The writer and the fetcher are main()'s, handed over: the poller hears
 * of their commits and results until poller_free, and frees neither.
 */
struct poller *
poller_new(struct event_base *base, struct store *store, struct writer *w,
    struct fetcher *fetcher, const struct sched_opts *so, char **cause)
{
	struct poller	*p;

	if (store_set_cache(writer_store(w), POLLER_WRITER_CACHE, cause) != 0)
		return (NULL);
	p = xcalloc(1, sizeof(*p));
	p->writer = w;
	writer_set_done(w, poller_committed_cb, p);
	p->store = store;
	p->rng = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid() ^
	    0x9e3779b97f4a7c15ULL;
	p->fetcher = fetcher;
	fetch_set_done(fetcher, poller_fetched_cb, p);
	p->sched = sched_new(base, so, poller_fire_cb, p);
	p->flush_ev = evtimer_new(base, poller_flush_cb, p);
	p->free_ev = event_new(base, -1, 0, poller_free_cb, p);
	event_priority_set(p->free_ev, LOOP_PRIO_DEFAULT);
	p->refire_ev = event_new(base, -1, 0, poller_refire_cb, p);
	event_priority_set(p->refire_ev, LOOP_PRIO_DEFAULT);
	p->rearm_ev = evtimer_new(base, poller_rearm_cb, p);
	p->claim_ev = event_new(base, -1, 0, poller_claim_cb, p);
	event_priority_set(p->claim_ev, LOOP_PRIO_DEFAULT);
	return (p);
}

void
poller_set_opts(struct poller *p, const struct fetch_opts *fo,
    const struct sched_opts *so)
{
	fetch_set_opts(p->fetcher, fo);
	sched_set_opts(p->sched, so);
}

/*
 * Where several nodes share the database, main() hands the poller a
 * writer of its own for claims ("claimer"): its connection claims due
 * feeds in the node's name, on its thread, so the loop neither writes
 * nor waits for the server there.  The poller does not free it.
 */
void
poller_set_claimer(struct poller *p, struct writer *claimer)
{
	p->claimer = claimer;
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

/*
 * Fetches and parses "url" as a poll would, for a feed not subscribed
 * yet: feeds.add checks there is a feed before it subscribes.  Untrusted
 * (a client's URL): the private-address rules apply.  The body comes
 * back when it is no feed, for autodiscovery.  "cb" gets the result,
 * even at shutdown (aborted), and owns it.
 */
void
poller_check(struct poller *p, const char *url, const char *options,
    poller_check_cb cb, void *arg)
{
	struct poller_check	*c;
	struct fetch_req	 req;

	c = xcalloc(1, sizeof(*c));
	c->id = --p->next_check;
	c->cb = cb;
	c->arg = arg;
	c->next = p->checks;
	p->checks = c;
	memset(&req, 0, sizeof(req));
	req.feed_id = c->id;
	req.url = url;
	req.keep_body = 1;
	req.options = options;
	log_debug("poll: %s: checking for a feed", url);
	fetch_start(p->fetcher, &req);
}

static void
poller_check_done(struct poller *p, struct fetch_result *r)
{
	struct poller_check	**pp, *c;

	for (pp = &p->checks; (c = *pp) != NULL; pp = &c->next) {
		if (c->id == r->feed_id) {
			*pp = c->next;
			c->cb(r, c->arg);
			free(c);
			return;
		}
	}
	fetch_result_free(r);
}

/* Checks whose fetch never reported (shutdown) hear it now. */
static void
poller_checks_abort(struct poller *p)
{
	struct fetch_result	*r;

	while (p->checks != NULL) {
		r = xcalloc(1, sizeof(*r));
		r->feed_id = p->checks->id;
		r->aborted = 1;
		r->retry_after = DATE_NONE;
		r->expires = DATE_NONE;
		r->max_age = -1;
		r->error = xstrdup("aborted at shutdown");
		poller_check_done(p, r);
	}
}

/*
 * Feed "id"'s adopted poll is over, "cause" NULL when it was committed:
 * its waiter hears it, once.  A feed has one poll at a time, so the
 * first outcome for "id" is the adopted poll's.
 */
static void
poller_adopted_done(struct poller *p, int64_t id, const char *cause)
{
	struct poller_adopted	**pp, *a;

	for (pp = &p->adopted; (a = *pp) != NULL; pp = &a->next) {
		if (a->id == id) {
			*pp = a->next;
			a->cb(id, cause, a->arg);
			free(a);
			return;
		}
	}
}

/*
 * The check's fetch becomes the new feed's first poll: committed as if
 * the feed's own timer had fetched it, so adding a feed costs one GET.
 * "cb" hears when it is committed, or why it was not, so that feeds.add
 * answers once the items can be read.
 */
void
poller_adopt(struct poller *p, int64_t id, struct fetch_result *r,
    poller_adopt_cb cb, void *arg)
{
	struct poller_adopted	*a;

	a = xcalloc(1, sizeof(*a));
	a->id = id;
	a->cb = cb;
	a->arg = arg;
	a->next = p->adopted;
	p->adopted = a;
	r->feed_id = id;
	sched_busy(p->sched, id, 1);
	p->in_flight++;
	poller_fetched_cb(r, p);
}

/* Shutdown: first polls not stored by now never will be. */
static void
poller_adopted_abort(struct poller *p)
{
	while (p->adopted != NULL)
		poller_adopted_done(p, p->adopted->id,
		    "the daemon is shutting down");
}

/* Whether feed "id" was asked for by hand; forgets it. */
static int
poller_take_manual(struct poller *p, int64_t id)
{
	size_t	i;

	for (i = 0; i < p->nmanual; i++) {
		if (p->manual[i] == id) {
			p->manual[i] = p->manual[--p->nmanual];
			return (1);
		}
	}
	return (0);
}

/* Feed "id"'s next claim is one asked for (feeds.poll), listed once. */
static void
poller_ask_later(struct poller *p, int64_t id)
{
	if (!poller_take_manual(p, id))
		p->manual = xreallocarray(p->manual, p->nmanual + 1,
		    sizeof(*p->manual));
	p->manual[p->nmanual++] = id;
}

/* Why a feed asked for is not polled, in the words "feeds" uses. */
static const char *
poller_not_polled(const struct store_feed *f)
{
	if (f == NULL)
		return ("the feed was removed");
	if (f->last_status == 410)
		return ("the feed is gone (410 Gone): it is not polled");
	if (f->last_status == 301 || f->last_status == 308)
		return ("the feed moved to one polled already: it is not "
		    "polled");
	if (f->origin == STORE_ORIGIN_CONFIG)
		return ("the feed is disabled by its [feed] section");
	return ("the feed is paused (\"feedctl edit FEED --resume\")");
}

/*
 * Feed "id" is ours to poll: its fetch starts.  "f" and "options" are
 * its row and settings as the claim read them (taken over; "f" NULL: no
 * such feed, or "read_error" if its row could not be read).
 */
static void
poller_begin(struct poller *p, int64_t id, struct store_feed *f,
    char *options, const char *read_error)
{
	struct fetch_req	 req;

	if (f == NULL && read_error != NULL) {
		log_warnx("poll: feed %" PRId64 ": %s; trying again in %d s",
		    id, read_error, POLLER_READ_RETRY);
		poller_slot_take(p, id);
		sched_busy(p->sched, id, 0);
		sched_at(p->sched, id, (int64_t)time(NULL) +
		    POLLER_READ_RETRY);
		free(options);
		return;
	}
	if (f == NULL || !f->enabled) {
		/* A feeds.poll waiting for it hears why it ended. */
		if (p->done != NULL)
			p->done(id, poller_not_polled(f), p->done_arg);
		poller_slot_take(p, id);
		sched_remove(p->sched, id);
		store_feed_free(f);
		free(options);
		return;
	}
	memset(&req, 0, sizeof(req));
	req.feed_id = id;
	req.url = f->url;
	req.etag = f->etag;
	req.last_modified = f->last_modified;
	req.trusted = f->origin == STORE_ORIGIN_CONFIG;
	req.options = options;
	sched_busy(p->sched, id, 1);
	p->in_flight++;
	log_debug("poll: %s: start", f->url);
	fetch_start(p->fetcher, &req);
	free(options);
	store_feed_free(f);
}

/*
 * One claim of the feeds that fired in a turn: made on the claimer's
 * thread and connection where there is one (the database is shared, and
 * a claim is a write and a round trip), then answered on the loop.
 */
struct poller_claim {
	struct poller		 *p;
	size_t			  n;
	int64_t			 *ids;
	int			 *manual;
	int64_t			  now;
	struct store_host_bound	  bound;
	int64_t			 *fetched;	/* bound.fetched's */
	int			 *claimed;
	int64_t			 *retry;
	uint32_t		 *host;
	int			  rc;
	char			 *cause;
	/* Read on the claimer's connection, for the feeds claimed: */
	struct store_feed	**feeds;
	char			**options;
	char			**read_errors;
};

static struct poller_claim *
poller_claim_new(struct poller *p, int64_t now)
{
	struct poller_claim	*c = xcalloc(1, sizeof(*c));
	size_t			 i;

	c->p = p;
	c->ids = p->firing;
	c->manual = p->firing_manual;
	c->n = p->nfiring;
	p->firing = NULL;
	p->firing_manual = NULL;
	p->nfiring = p->firing_cap = 0;
	c->now = now;
	c->bound.per_host = fetch_max_per_host(p->fetcher);
	c->fetched = xcalloc(p->nslots > 0 ? p->nslots : 1,
	    sizeof(*c->fetched));
	for (i = 0; i < p->nslots; i++)
		if (p->slots[i].fetched)
			c->fetched[c->bound.nfetched++] = p->slots[i].id;
	c->bound.fetched = c->fetched;
	c->claimed = xcalloc(c->n, sizeof(*c->claimed));
	c->retry = xcalloc(c->n, sizeof(*c->retry));
	c->host = xcalloc(c->n, sizeof(*c->host));
	return (c);
}

static void
poller_claim_free(struct poller_claim *c)
{
	size_t	i;

	if (c->feeds != NULL)
		for (i = 0; i < c->n; i++) {
			store_feed_free(c->feeds[i]);
			free(c->options[i]);
			free(c->read_errors[i]);
		}
	free(c->feeds);
	free(c->options);
	free(c->read_errors);
	free(c->ids);
	free(c->manual);
	free(c->fetched);
	free(c->claimed);
	free(c->retry);
	free(c->host);
	free(c->cause);
	free(c);
}

/*
 * The claim, and the rows of the feeds won (which a backend that claims
 * has read already): on the claimer's thread, or at once on the loop.
 */
static void
poller_claim_run(struct store *store, void *arg)
{
	struct poller_claim	*c = arg;
	const char		*err;
	size_t			 i;

	c->rc = store_feeds_claim(store, c->n, c->ids, c->manual, c->now,
	    &c->bound, c->claimed, c->retry, c->host, &c->cause);
	if (c->rc != 0)
		return;
	c->feeds = xcalloc(c->n, sizeof(*c->feeds));
	c->options = xcalloc(c->n, sizeof(*c->options));
	c->read_errors = xcalloc(c->n, sizeof(*c->read_errors));
	for (i = 0; i < c->n; i++) {
		if (c->claimed[i] != 1)
			continue;
		if ((c->feeds[i] = store_feed_state(store, c->ids[i])) ==
		    NULL) {
			if ((err = store_read_error(store)) != NULL)
				c->read_errors[i] = xstrdup(err);
			continue;
		}
		c->options[i] = store_feed_options(store, c->ids[i]);
	}
}

/*
 * A poll asked for of a feed that is busy.  Fired and not yet sent to be
 * claimed: its claim becomes one asked for.  In a claim under way that
 * its timer made: that claim may lose (the feed is not due in the
 * database, another node polled it), so the poll asked for is kept, to
 * be claimed on its own then (poller_claim_answer()).  Otherwise its
 * poll is under way and is the one asked for.
 */
static void
poller_ask_busy(struct poller *p, int64_t id)
{
	struct poller_claim	*c = p->claiming;
	size_t			 i;

	for (i = 0; i < p->nfiring; i++)
		if (p->firing[i] == id) {
			p->firing_manual[i] = 1;
			return;
		}
	for (i = 0; c != NULL && i < c->n; i++)
		if (c->ids[i] == id && !c->manual[i]) {
			poller_ask_later(p, id);
			return;
		}
}

/* On the loop: each feed starts, waits for its host, or is left. */
static void
poller_claim_answer(struct poller_claim *c)
{
	struct poller	*p = c->p;
	size_t		 i;
	int		 rc = c->rc;

	if (rc < 0) {
		if (p->claims_failed++ == 0)
			log_warnx("poll: claiming %zu feeds: %s (further "
			    "failures logged when claims work again)", c->n,
			    c->cause);
		else
			log_debug("poll: claiming %zu feeds: %s", c->n,
			    c->cause);
	} else if (p->claims_failed > 0) {
		log_info("poll: claiming feeds works again after %zu failed "
		    "claims", p->claims_failed);
		p->claims_failed = 0;
	}
	for (i = 0; i < c->n; i++) {
		if (p->stopping)
			sched_busy(p->sched, c->ids[i], 0);
		else if (rc == 0 && c->claimed[i] == STORE_CLAIM_WAIT) {
			/* Its host is busy on the other nodes: soon, and a
			 * poll asked for stays asked for. */
			if (c->manual[i])
				poller_ask_later(p, c->ids[i]);
			sched_busy(p->sched, c->ids[i], 0);
			sched_at(p->sched, c->ids[i], c->retry[i]);
			poller_host_wait(p, c->ids[i], c->retry[i],
			    c->host[i]);
		} else if (rc == 0 && c->claimed[i]) {
			/* A poll asked for meanwhile: this is it. */
			poller_take_manual(p, c->ids[i]);
			if (c->host[i] != 0)
				poller_slot_add(p, c->ids[i], c->host[i]);
			/* poller_begin() takes the row and options. */
			poller_begin(p, c->ids[i], c->feeds[i], c->options[i],
			    c->read_errors[i]);
			c->feeds[i] = NULL;
			c->options[i] = NULL;
		} else if (rc == 0 && !c->manual[i] &&
		    poller_take_manual(p, c->ids[i])) {
			/* Not due here, but a poll was asked for meanwhile:
			 * it is claimed on its own, at once. */
			log_debug("poll: feed %" PRId64 ": not due here; "
			    "claiming the poll asked for", c->ids[i]);
			poller_ask_later(p, c->ids[i]);
			sched_busy(p->sched, c->ids[i], 0);
			sched_at(p->sched, c->ids[i], c->now);
		} else {
			poller_take_manual(p, c->ids[i]);
			if (rc < 0)
				c->retry[i] = c->now +
				    sched_get_opts(p->sched)->min_interval;
			else
				log_debug("poll: feed %" PRId64 ": another "
				    "node's until %" PRId64, c->ids[i],
				    c->retry[i]);
			if (p->done != NULL)
				p->done(c->ids[i], rc < 0 ? "store error" :
				    POLLER_POLLED_ELSEWHERE, p->done_arg);
			sched_busy(p->sched, c->ids[i], 0);
			sched_at(p->sched, c->ids[i], c->retry[i]);
		}
	}
}

/* The claimer's answer is back: the feeds fired meanwhile are next. */
static void
poller_claim_done(void *arg)
{
	struct poller_claim	*c = arg;
	struct poller		*p = c->p;

	p->claiming = NULL;
	poller_claim_answer(c);
	poller_claim_free(c);
	if (p->nfiring > 0)
		event_active(p->claim_ev, 0, 0);
}

/*
 * The feeds that fired in this turn, claimed in one call.  Several
 * nodes on one database: the one that claims a feed polls it; the
 * others look again when it is next due.  With a claimer, one claim at
 * a time is under way; feeds that fire meanwhile wait for its answer.
 */
static void
poller_claim_cb(evutil_socket_t fd, short what, void *arg)
{
	struct poller		*p = arg;
	struct poller_claim	*c;

	if (p->nfiring == 0 || p->claiming != NULL)
		return;
	c = poller_claim_new(p, (int64_t)time(NULL));
	if (p->claimer != NULL) {
		p->claiming = c;
		writer_task(p->claimer, poller_claim_run, poller_claim_done,
		    c);
		return;
	}
	poller_claim_run(p->store, c);
	poller_claim_answer(c);
	poller_claim_free(c);
}

/*
 * A feed put off for its host.  Entries a feed's schedule has since moved
 * past are dropped whenever the list has doubled since the last sweep, so
 * a node that commits nothing for a while (its hosts busy on the other
 * nodes) does not pile up one entry per put-off.
 */
static void
poller_host_wait(struct poller *p, int64_t id, int64_t when, uint32_t host)
{
	size_t	i, live;

	if (p->nhost_wait >= 2 * p->host_wait_live + 64) {
		for (i = live = 0; i < p->nhost_wait; i++)
			if (sched_when(p->sched, p->host_wait[i].id) ==
			    p->host_wait[i].when)
				p->host_wait[live++] = p->host_wait[i];
		p->nhost_wait = p->host_wait_live = live;
	}
	if (p->nhost_wait == p->host_wait_cap) {
		p->host_wait_cap = p->host_wait_cap ? p->host_wait_cap * 2 : 64;
		p->host_wait = xreallocarray(p->host_wait, p->host_wait_cap,
		    sizeof(*p->host_wait));
	}
	p->host_wait[p->nhost_wait].id = id;
	p->host_wait[p->nhost_wait].when = when;
	p->host_wait[p->nhost_wait++].host = host;
}

/* Feed "id" holds a slot of host "host" until its fetch ends. */
static void
poller_slot_add(struct poller *p, int64_t id, uint32_t host)
{
	if (p->nslots == p->slots_cap) {
		p->slots_cap = p->slots_cap ? p->slots_cap * 2 : 64;
		p->slots = xreallocarray(p->slots, p->slots_cap,
		    sizeof(*p->slots));
	}
	p->slots[p->nslots].id = id;
	p->slots[p->nslots].fetched = 0;
	p->slots[p->nslots++].host = host;
}

/*
 * Feed "id"'s fetch is over: its host's slot is free, though its lease
 * stays until its poll is stored.  Its host's key, 0 if it held none.
 */
static uint32_t
poller_slot_fetched(struct poller *p, int64_t id)
{
	size_t	i;

	for (i = 0; i < p->nslots; i++)
		if (p->slots[i].id == id && !p->slots[i].fetched) {
			p->slots[i].fetched = 1;
			return (p->slots[i].host);
		}
	return (0);
}

/* Feed "id"'s lease is gone: its host's key, 0 if it held none. */
static uint32_t
poller_slot_take(struct poller *p, int64_t id)
{
	uint32_t	host;
	size_t		i;

	for (i = 0; i < p->nslots; i++) {
		if (p->slots[i].id == id) {
			host = p->slots[i].host;
			p->slots[i] = p->slots[--p->nslots];
			return (host);
		}
	}
	return (0);
}

/*
 * Slots were freed, one of each host in "freed" (a key per slot,
 * repeated as often as slots were freed; NULL: every host, without
 * bound): as many of the feeds put off for those hosts fire now, the
 * longest put off first.  Entries whose schedule has moved since
 * (polled, removed, put off again: "when" no longer matches) or that are
 * due anyway go; the rest wait for the next slot freed or their put-off
 * time.  The list is read only until the slots are spent: a fetch ends
 * many times a second, and the list can hold every feed of a host.
 */
static void
poller_host_refire(struct poller *p, const uint32_t *freed, size_t nfreed,
    int64_t now)
{
	struct poller_wait	*w;
	uint32_t		*budget = NULL;
	size_t			 i, j, kept, left = nfreed, n = p->nhost_wait;

	if ((freed != NULL && nfreed == 0) || n == 0)
		return;
	if (freed != NULL) {
		budget = xreallocarray(NULL, nfreed, sizeof(*budget));
		memcpy(budget, freed, nfreed * sizeof(*budget));
	}
	for (i = kept = 0; i < n && (budget == NULL || left > 0); i++) {
		w = &p->host_wait[i];
		if (sched_when(p->sched, w->id) != w->when || w->when <= now ||
		    sched_busy(p->sched, w->id, -1))
			continue;
		for (j = 0; budget != NULL && j < nfreed; j++)
			if (budget[j] != 0 && budget[j] == w->host)
				break;
		if (budget == NULL || j < nfreed) {
			if (budget != NULL) {
				budget[j] = 0;
				left--;
			}
			sched_at(p->sched, w->id, now);
			continue;
		}
		p->host_wait[kept++] = *w;
	}
	memmove(&p->host_wait[kept], &p->host_wait[i],
	    (n - i) * sizeof(*p->host_wait));
	p->nhost_wait = kept + (n - i);
	/* Every entry read is live; the rest were at the last sweep. */
	if (i == n || p->host_wait_live > p->nhost_wait)
		p->host_wait_live = p->nhost_wait;
	free(budget);
}

/* The slots this node's fetches freed in this turn of the loop. */
static void
poller_refire_cb(evutil_socket_t fd, short what, void *arg)
{
	struct poller	*p = arg;

	if (!p->stopping)
		poller_host_refire(p, p->freed, p->nfreed,
		    (int64_t)time(NULL));
	p->nfreed = 0;
}

/*
 * Another node's polls freed host slots (peers.h): as many of the feeds
 * put off for those hosts fire now as for this node's own; with "all",
 * every one put off.  The claim decides again, across the nodes.
 */
void
poller_hosts_freed(const uint32_t *hosts, size_t n, int all, void *arg)
{
	struct poller	*p = arg;

	if (p->stopping || p->nhost_wait == 0)
		return;
	poller_host_refire(p, all ? NULL : hosts, all ? 0 : n,
	    (int64_t)time(NULL));
}

/* A feed's timer fired: it joins this turn's claim (busy till then). */
static void
poller_fire_cb(int64_t id, void *arg)
{
	struct poller	*p = arg;

	if (p->stopping || sched_busy(p->sched, id, -1))
		return;
	if (p->nfiring == p->firing_cap) {
		p->firing_cap = p->firing_cap ? p->firing_cap * 2 : 64;
		p->firing = xreallocarray(p->firing, p->firing_cap,
		    sizeof(*p->firing));
		p->firing_manual = xreallocarray(p->firing_manual,
		    p->firing_cap, sizeof(*p->firing_manual));
	}
	p->firing[p->nfiring] = id;
	p->firing_manual[p->nfiring++] = poller_take_manual(p, id);
	sched_busy(p->sched, id, 1);
	if (p->nfiring == 1)
		event_active(p->claim_ev, 0, 0);
}

static void
poller_log(const struct store_feed *f, const struct fetch_result *r,
    const struct store_poll_result *res, const char *error, int64_t next,
    const char *reason, int disabled)
{
	int64_t	in = next - (int64_t)time(NULL);

	/* A disabled feed has no next poll to announce. */
	if (disabled)
		log_warnx("poll: %s: %s; not polled again until feedctl edit "
		    "%" PRId64 " --resume", f->url, error, f->id);
	else if (error != NULL)
		log_warnx("poll: %s: %s (%d in a row; next in %" PRId64
		    "s: %s)", f->url, error, f->errors + 1, in, reason);
	else if (r->status == 304)
		log_info("poll: %s: not modified; next in %" PRId64 "s (%s)",
		    f->url, in, reason);
	else if (res->ndropped > 0)
		log_info("poll: %s: %zu new, %zu updated, %zu dropped by "
		    "rules; next in %" PRId64 "s (%s)", f->url, res->nids,
		    res->nupdated, res->ndropped, in, reason);
	else
		log_info("poll: %s: %zu new, %zu updated; next in %" PRId64
		    "s (%s)", f->url, res->nids, res->nupdated, in, reason);
	if (!disabled && r->moved_to != NULL && strcmp(r->moved_to,
	    f->url) != 0)
		log_info("poll: %s: moved permanently to %s", f->url,
		    r->moved_to);
	/* Once, when it happens: why a document of new GUIDs stored none. */
	if (error == NULL && res->storm)
		log_notice("poll: %s: most items came back with new GUIDs (a "
		    "GUID storm): not stored again; the feed's items are keyed "
		    "by their links from now on", f->url);
}

/* What one finished fetch becomes: its store_poll and next poll time. */
struct poller_job {
	struct fetch_result	*r;
	struct store_prep	*prep;
	struct store_feed	*f;
	struct store_poll	 sp;
	struct sched_opts	 opts;		/* for poller_replan_cb() */
	struct sched_input	 in;
	int64_t			 next_poll;	/* as planned last */
	char			 reason[SCHED_REASON_MAX];
	char			*gone;
	const char		*error;
};

/*
 * What the feed says of its own schedule: this answer's document when
 * whole, else what the store kept from the last whole one, since a 304
 * carries none and the store is all that outlives a restart or a pause
 * (store_poll stores them on the same rule).
 */
static const struct feed_hints *
poller_hints(const struct poller_job *j)
{
	if (j->r->doc != NULL && !j->r->partial)
		return (&j->r->doc->hints);
	return (&j->f->hints);
}

/*
 * The least time a sample of the feed's item rate spans: the interval
 * planned at its last poll.  A poll sooner than that (asked for, or at
 * start) finds the items published over the whole interval, not over
 * the seconds since.  Not known (never planned, or resumed): the
 * default; after an error the backoff was no publishing interval, and
 * the time since the last success is long enough.
 */
static int64_t
poller_rate_gap(const struct sched_opts *o, const struct store_feed *f)
{
	int64_t	gap;

	if (f->errors > 0)
		gap = o->min_interval;
	else if (f->last_poll != DATE_NONE && f->next_poll != DATE_NONE &&
	    f->next_poll > f->last_poll)
		gap = f->next_poll - f->last_poll;
	else
		gap = o->default_interval;
	if (gap < o->min_interval)
		gap = o->min_interval;
	return (gap > o->max_interval ? o->max_interval : gap);
}

/*
 * The store's plan callback: the next poll from the item rate with this
 * poll's new items in it.  On the writer's thread: it reads only the
 * job's copies, made before the job was handed over.
 */
static void
poller_replan_cb(double rate, int64_t *next, const char **reason, void *arg)
{
	struct poller_job	*j = arg;
	struct sched_input	 in = j->in;

	in.item_rate = rate;
	j->next_poll = sched_next_poll(&j->opts, &in, j->reason,
	    sizeof(j->reason));
	*next = j->next_poll;
	*reason = j->reason;
}

static void
poller_plan(struct poller *p, struct poller_job *j, int64_t now)
{
	struct fetch_result	*r = j->r;
	struct sched_input	*in = &j->in;
	const struct store_feed	*f = j->f;

	j->error = r->error;
	if (r->status == 410) {
		j->gone = xstrdup("HTTP 410 Gone: the feed was disabled");
		j->error = j->gone;
	} else if (r->error == NULL && r->moved_to != NULL &&
	    strcmp(r->moved_to, f->url) != 0 &&
	    (j->gone = poller_moved_twin(p, f, r->moved_to)) != NULL)
		j->error = j->gone;
	j->opts = *sched_get_opts(p->sched);
	memset(in, 0, sizeof(*in));
	in->now = now;
	in->interval = f->interval;
	in->item_rate = f->item_rate;
	in->hints = poller_hints(j);
	in->max_age = r->max_age;
	in->expires = r->expires;
	in->errors = j->error != NULL ? f->errors + 1 : 0;
	in->retry_after = r->retry_after;
	in->jitter = poller_random(p);

	memset(&j->sp, 0, sizeof(j->sp));
	j->sp.now = now;
	j->sp.doc = r->doc;
	j->sp.prep = j->prep;
	/* A transfer that broke off was no answer, whatever its headers
	 * said: the feed's last poll reads "failed", not "200". */
	j->sp.http_status = r->incomplete ? 0 : (int)r->status;
	j->sp.etag = r->etag;
	j->sp.last_modified = r->last_modified;
	j->sp.keep_validators = r->partial;
	j->sp.moved_to = r->moved_to;
	j->sp.error = j->error;
	j->sp.rate_gap = poller_rate_gap(&j->opts, f);
	/*
	 * The rate the store keeps after this poll: planning from the one
	 * before it made a 304 plan shorter than the poll with the new
	 * items did.  Without a document no item can be new, so it is
	 * known now; with one, the store knows only once it has found
	 * which are new, and plans again through poller_replan_cb().
	 */
	if (j->error == NULL && r->doc == NULL && j->sp.http_status == 304)
		in->item_rate = store_item_rate(f->item_rate, f->last_success,
		    now, 0, j->sp.rate_gap);
	j->next_poll = sched_next_poll(&j->opts, in, j->reason,
	    sizeof(j->reason));
	j->sp.next_poll = j->next_poll;
	j->sp.next_poll_reason = j->reason;
	j->sp.plan = poller_replan_cb;
	j->sp.plan_arg = j;
	j->sp.retry_after = r->retry_after;
	j->sp.disable = r->status == 410;
	if (j->gone != NULL && r->status != 410) {
		/* Its items are the other feed's: stored there, once. */
		j->sp.doc = NULL;
		j->sp.moved_to = NULL;
		j->sp.http_status = (int)r->moved_status;
		j->sp.disable = 1;
	}
}

/*
 * Feed "f" moved for good to "url", which another feed polls already: two
 * feeds would store and announce every item of one document twice.  The
 * error that disables this one, naming the other, or NULL.
 */
static char *
poller_moved_twin(struct poller *p, const struct store_feed *f,
    const char *url)
{
	struct store_feed	*twin;
	char			*why = NULL;

	if ((twin = store_feed_find(p->store, url)) == NULL)
		return (NULL);
	/* Found by an old URL of its own: that feed is no longer there. */
	if (twin->id != f->id && strcmp(twin->url, url) == 0)
		xasprintf(&why, "moved permanently to %s, which is feed %"
		    PRId64 " (polled there; feedctl remove %" PRId64 " ends "
		    "this one): the feed was disabled", url, twin->id, f->id);
	store_feed_free(twin);
	return (why);
}

/* A poll the store could not record: back off as after any error. */
static void
poller_store_failed(struct poller *p, struct poller_job *j, const char *cause,
    int64_t now)
{
	struct sched_input	in;
	char			reason[SCHED_REASON_MAX];
	int64_t			next;
	int			n;

	n = sched_store_errors(p->sched, j->r->feed_id, -1) + 1;
	sched_store_errors(p->sched, j->r->feed_id, n);
	free(p->store_error);
	p->store_error = xstrdup(cause);
	memset(&in, 0, sizeof(in));
	in.now = now;
	in.interval = j->f->interval;
	in.item_rate = j->f->item_rate;
	in.hints = poller_hints(j);
	in.max_age = j->r->max_age;
	in.expires = j->r->expires;
	in.errors = j->f->errors + n;
	in.retry_after = j->r->retry_after;
	in.jitter = poller_random(p);
	next = sched_next_poll(sched_get_opts(p->sched), &in, reason,
	    sizeof(reason));
	log_warnx("poll: %s: cannot store the poll: %s (%d in a row; next in "
	    "%" PRId64 "s: %s)", j->f->url, cause, j->f->errors + n,
	    next - now, reason);
	p->stats.errors++;
	sched_at(p->sched, j->r->feed_id, next);
}

/*
 * What "feeds" and "status" show of a feed whose last polls could not be
 * stored: the store still has the state before them.
 */
void
poller_feed_overlay(struct poller *p, struct store_feed *f)
{
	int	n;

	if ((n = sched_store_errors(p->sched, f->id, -1)) == 0)
		return;
	f->errors += n;
	if (f->last_poll == DATE_NONE)
		f->last_poll = time(NULL);	/* polled, not "new" */
	free(f->last_error);
	xasprintf(&f->last_error, "cannot store the poll: %s",
	    p->store_error != NULL ? p->store_error : "store failed");
}

/* Why the store could not record the last commit, or NULL. */
const char *
poller_store_error(struct poller *p)
{
	return (p->store_error);
}

/* After the commit: log, count, announce, and arm the next poll. */
static void
poller_after(struct poller *p, struct poller_job *j,
    struct store_poll_result *res, char *cause, int64_t now)
{
	struct fetch_result	*r = j->r;

	if (cause != NULL) {
		/*
		 * Nothing was recorded, not even the error: the store cannot
		 * write (a full disk).  It is an error of the feed all the
		 * same, which backs off (polling again at once downloaded a
		 * big feed every 2 s) and shows (poller_feed_overlay()).
		 */
		poller_store_failed(p, j, cause, now);
	} else {
		sched_store_errors(p->sched, r->feed_id, 0);
		free(p->store_error);
		p->store_error = NULL;
		poller_log(j->f, r, res, j->error, j->next_poll, j->reason,
		    j->sp.disable);
		p->stats.polls++;
		p->stats.bytes += r->bytes;
		p->stats.new_items += res->nids;
		if (j->error != NULL)
			p->stats.errors++;
		if (r->status == 304)
			p->stats.not_modified++;
		if ((res->nids > 0 || res->nupdated > 0) &&
		    p->announce != NULL)
			p->announce(r->feed_id, res->ids, res->nids,
			    p->announce_arg);
		if (j->sp.disable)
			sched_remove(p->sched, r->feed_id);
		else
			sched_at(p->sched, r->feed_id, j->next_poll);
	}
	poller_adopted_done(p, r->feed_id, cause);
	if (p->done != NULL)
		p->done(r->feed_id, cause != NULL ? cause : j->error,
		    p->done_arg);
}

/* Finished fetches on their way to the store, and what they became. */
struct poller_batch {
	size_t				 n;
	size_t				 cap;
	struct fetch_result		**results;
	struct store_prep		**preps;	/* of each result */
	struct poller_job		*jobs;
	int64_t				*ids;
	const struct store_poll		**polls;
	struct store_poll_result	*res;
	char				**causes;
	size_t				 njobs;
	struct writer_job		 wjob;
	struct poller_batch		*next;		/* on "spent" */
};

static size_t
poller_backlog(struct poller *p)
{
	return ((p->gathering != NULL ? p->gathering->n : 0) +
	    (p->committing != NULL ? p->committing->n : 0));
}

static void
poller_batch_free(struct poller_batch *b)
{
	size_t	i;

	for (i = 0; i < b->njobs; i++) {
		store_poll_result_clear(&b->res[i]);
		free(b->causes[i]);
		store_feed_free(b->jobs[i].f);
		fetch_result_free(b->jobs[i].r);
		store_prep_free(b->jobs[i].prep);
		free(b->jobs[i].gone);
	}
	for (i = b->njobs; i < b->n; i++)
		if (b->results[i] != NULL) {
			fetch_result_free(b->results[i]);
			store_prep_free(b->preps[i]);
		}
	free(b->results);
	free(b->preps);
	free(b->jobs);
	free(b->ids);
	free(b->polls);
	free(b->res);
	free(b->causes);
	free(b);
}

/* Plans each poll of the batch and hands the batch to the writer. */
static void
poller_submit(struct poller *p)
{
	struct poller_batch	*b = p->gathering;
	struct poller_job	*j;
	struct store_feed	**states;
	int64_t			 now = (int64_t)time(NULL);
	size_t			 i;
	int			 unread;

	p->gathering = NULL;
	b->jobs = xcalloc(b->n, sizeof(*b->jobs));
	b->ids = xcalloc(b->n, sizeof(*b->ids));
	b->polls = xcalloc(b->n, sizeof(*b->polls));
	b->res = xcalloc(b->n, sizeof(*b->res));
	b->causes = xcalloc(b->n, sizeof(*b->causes));
	/* Planned from the feeds' rows as they are now, read in one go. */
	states = xcalloc(b->n, sizeof(*states));
	for (i = 0; i < b->n; i++)
		b->ids[i] = b->results[i]->feed_id;
	unread = store_feeds_state_of(p->store, b->n, b->ids, states) != 0;
	for (i = 0; i < b->n; i++) {
		j = &b->jobs[b->njobs];
		j->r = b->results[i];
		j->prep = b->preps[i];
		b->results[i] = NULL;
		b->preps[i] = NULL;
		if ((j->f = states[i]) == NULL) {
			sched_busy(p->sched, j->r->feed_id, 0);
			/* Then every row is unread, and nothing has read
			 * since to change store_read_error(). */
			if (unread) {
				/* Not removed: polled again a little later. */
				log_warnx("poll: feed %" PRId64 ": %s; polling "
				    "again in %d s", j->r->feed_id,
				    store_read_error(p->store),
				    POLLER_READ_RETRY);
				sched_at(p->sched, j->r->feed_id,
				    (int64_t)time(NULL) + POLLER_READ_RETRY);
				poller_adopted_done(p, j->r->feed_id,
				    store_read_error(p->store));
				if (p->done != NULL)
					p->done(j->r->feed_id, "the feed "
					    "could not be read", p->done_arg);
			/* Removed while it was fetched. */
			} else {
				poller_adopted_done(p, j->r->feed_id, "the "
				    "feed was removed while it was polled");
				if (p->done != NULL)
					p->done(j->r->feed_id, "the feed was "
					    "removed while it was polled",
					    p->done_arg);
			}
			fetch_result_free(j->r);
			store_prep_free(j->prep);
			j->r = NULL;
			j->prep = NULL;
			continue;
		}
		poller_plan(p, j, now);
		b->ids[b->njobs] = j->r->feed_id;
		b->polls[b->njobs] = &j->sp;
		b->njobs++;
	}
	free(states);
	b->wjob.n = b->njobs;
	b->wjob.feed_ids = b->ids;
	b->wjob.polls = b->polls;
	b->wjob.res = b->res;
	b->wjob.causes = b->causes;
	b->wjob.arg = b;
	p->committing = b;
	writer_submit(p->writer, &b->wjob);
}

/* The writer committed a batch: announce it, start the next one. */
static void
poller_committed_cb(void *arg, void *parg)
{
	struct poller		*p = parg;
	struct poller_batch	*b = arg;
	int64_t			 now = (int64_t)time(NULL);
	size_t			 i;

	p->committing = NULL;
	for (i = 0; i < b->njobs; i++) {
		/* Its host's slot was freed when its fetch ended. */
		poller_slot_take(p, b->jobs[i].r->feed_id);
		sched_busy(p->sched, b->jobs[i].r->feed_id, 0);
		poller_after(p, &b->jobs[i], &b->res[i], b->causes[i], now);
	}
	if (p->gathering != NULL && p->gathering->n > 0)
		poller_submit(p);
	/*
	 * Freeing a batch's parsed feeds took 36 ms of each 1,000-feed
	 * first poll (bench/notify), here, in an urgent callback, with the
	 * writer waiting for its next batch: later, in a turn of its own.
	 */
	b->next = p->spent;
	p->spent = b;
	event_active(p->free_ev, 0, 0);
	if (poller_backlog(p) < POLLER_BACKLOG_MAX / 2)
		fetch_hold(p->fetcher, 0);
}

static void
poller_free_cb(evutil_socket_t fd, short what, void *arg)
{
	struct poller		*p = arg;
	struct poller_batch	*b;

	while ((b = p->spent) != NULL) {
		p->spent = b->next;
		poller_batch_free(b);
	}
}

static void
poller_flush_cb(evutil_socket_t fd, short what, void *arg)
{
	struct poller	*p = arg;

	if (p->committing == NULL && p->gathering != NULL &&
	    p->gathering->n > 0)
		poller_submit(p);
}

/* The fetcher is done with a feed: gather it for the next commit. */
static void
poller_fetched_cb(struct fetch_result *r, void *arg)
{
	struct poller		*p = arg;
	struct poller_batch	*b;
	struct timeval		 now = { 0, 0 };
	uint32_t		 host;

	if (r->feed_id < 0) {
		poller_check_done(p, r);
		return;
	}
	p->in_flight--;
	if (r->aborted || p->stopping) {
		poller_slot_take(p, r->feed_id);
		sched_busy(p->sched, r->feed_id, 0);
		poller_adopted_done(p, r->feed_id,
		    "the daemon is shutting down");
		fetch_result_free(r);
		return;
	}
	if ((host = poller_slot_fetched(p, r->feed_id)) != 0) {
		if (p->nfreed == p->freed_cap) {
			p->freed_cap = p->freed_cap ? p->freed_cap * 2 : 64;
			p->freed = xreallocarray(p->freed, p->freed_cap,
			    sizeof(*p->freed));
		}
		p->freed[p->nfreed++] = host;
		if (p->nfreed == 1)
			event_active(p->refire_ev, 0, 0);
	}
	if ((b = p->gathering) == NULL)
		b = p->gathering = xcalloc(1, sizeof(*b));
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->results = xreallocarray(b->results, b->cap,
		    sizeof(*b->results));
		b->preps = xreallocarray(b->preps, b->cap,
		    sizeof(*b->preps));
	}
	/* Here, while the writer commits the batch before. */
	b->preps[b->n] = store_prep_new(r->doc);
	b->results[b->n++] = r;
	if (poller_backlog(p) >= POLLER_BACKLOG_MAX)
		fetch_hold(p->fetcher, 1);
	/* At the end of this loop turn, unless the writer is busy. */
	if (b->n == 1 && p->committing == NULL)
		evtimer_add(p->flush_ev, &now);
}

/*
 * Commits everything fetched so far and waits for it (shutdown).  A
 * commit's report submits the batch gathered meanwhile, and a writer
 * task's (a feeds.add) adopts a fetch: both are waited for too, so a
 * first poll is stored, or heard of as not, before the poller stops.
 */
static void
poller_drain(struct poller *p)
{
	for (;;) {
		writer_wait(p->writer);
		if (p->committing != NULL)
			continue;
		if (p->gathering == NULL || p->gathering->n == 0)
			break;
		poller_submit(p);
	}
	if (p->gathering != NULL) {
		poller_batch_free(p->gathering);
		p->gathering = NULL;
	}
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

	if (store_feeds_states(p->store, &v, &n) != 0)
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
	log_info("poll: %zu feed%s scheduled, %zu overdue spread over %"
	    PRId64 "s", n, n == 1 ? "" : "s", overdue, spread);
	store_feeds_free(v, n);
	return (0);
}

/*
 * Another node added feeds or changed their schedules (peers.h): every
 * feed is read again, at most once every POLLER_REARM_EVERY seconds.
 */
void
poller_feeds_heard(void *arg)
{
	struct poller	*p = arg;
	struct timeval	 tv = { POLLER_REARM_EVERY, 0 };

	if (!p->stopping && !evtimer_pending(p->rearm_ev, NULL))
		evtimer_add(p->rearm_ev, &tv);
}

/*
 * Arms each enabled feed this node lacks, or has armed later than its
 * row says (another node's edit), so that every node polls it when the
 * node that took the command is gone.  A feed paused or removed there
 * leaves this node at its next claim.
 */
static void
poller_rearm_cb(evutil_socket_t fd, short what, void *arg)
{
	struct poller		 *p = arg;
	struct store_feed	**v;
	struct timeval		  tv = { POLLER_READ_RETRY, 0 };
	size_t			  n, i, armed = 0;
	int64_t			  now = (int64_t)time(NULL), when, first;

	if (p->stopping)
		return;
	if (store_feeds_states(p->store, &v, &n) != 0) {
		log_warnx("poll: reading the feeds other nodes changed: %s; "
		    "trying again in %d s", store_read_error(p->store) != NULL ?
		    store_read_error(p->store) : "store error",
		    POLLER_READ_RETRY);
		evtimer_add(p->rearm_ev, &tv);
		return;
	}
	for (i = 0; i < n; i++) {
		if (!v[i]->enabled || sched_busy(p->sched, v[i]->id, -1))
			continue;
		when = sched_when(p->sched, v[i]->id);
		first = poller_first(p, v[i], now, 0);
		if (when == DATE_NONE || first < when) {
			sched_at(p->sched, v[i]->id, first);
			armed++;
		}
	}
	if (armed > 0)
		log_info("poll: %zu feed%s added or changed by other nodes "
		    "armed", armed, armed == 1 ? "" : "s");
	store_feeds_free(v, n);
}

/* A feed was added, enabled, disabled or changed by the config. */
void
poller_feed_changed(struct poller *p, int64_t id)
{
	struct store_feed	*f;
	int64_t			 when;

	if ((f = store_feed_get(p->store, id)) == NULL &&
	    store_read_error(p->store) != NULL) {
		/* Unread is not removed: its schedule stays as it was. */
		log_warnx("poll: feed %" PRId64 ": %s", id,
		    store_read_error(p->store));
		return;
	}
	if (f == NULL || !f->enabled) {
		sched_remove(p->sched, id);
		store_feed_free(f);
		return;
	}
	when = sched_when(p->sched, id);
	if (when == DATE_NONE && !sched_busy(p->sched, id, -1))
		sched_at(p->sched, id, poller_first(p, f, time(NULL), 0));
	else if (when != DATE_NONE && f->next_poll != DATE_NONE &&
	    f->next_poll < when)
		/* Planned sooner (a lowered interval): the timer follows. */
		sched_at(p->sched, id, f->next_poll);
	store_feed_free(f);
}

/*
 * A feed just imported, the "nth" of its list: first polled a little
 * later (POLLER_IMPORT_DELAY, then 20 a second) instead of at once, so
 * that a "poll" right after the import is its first poll and not a
 * second GET of a feed fetched a moment before.
 */
void
poller_feed_later(struct poller *p, int64_t id, size_t nth)
{
	if (sched_when(p->sched, id) != DATE_NONE ||
	    sched_busy(p->sched, id, -1))
		return;
	sched_at(p->sched, id, (int64_t)time(NULL) + POLLER_IMPORT_DELAY +
	    (int64_t)(nth / 20));
}

void
poller_feed_removed(struct poller *p, int64_t id)
{
	sched_remove(p->sched, id);
}

/*
 * Poll feed "id" now, past the timer but not past the per-host limits,
 * nor past its Retry-After ("retry_after", as the caller read the feed:
 * a feeds.poll of every feed reads them all at once, and a read each
 * here cost the loop a round trip per feed on PostgreSQL) unless
 * "force".  A feed removed meanwhile ends at its claim.  Returns 0 when
 * started or already under way, 1 when held back until Retry-After.
 */
int
poller_poll_now(struct poller *p, int64_t id, int64_t retry_after, int force)
{
	int64_t	now = (int64_t)time(NULL);
	int	rc = 0;

	if (sched_busy(p->sched, id, -1))
		poller_ask_busy(p, id);
	else if (!force && retry_after != DATE_NONE && retry_after > now) {
		sched_at(p->sched, id, retry_after);
		rc = 1;
	} else {
		poller_ask_later(p, id);
		sched_at(p->sched, id, now);
	}
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
	st->scheduled = sched_count(p->sched);
}

/* Shutdown: transfers in flight are aborted, nothing new starts. */
void
poller_stop(struct poller *p)
{
	/* What was fetched is committed (feedd(8)), then nothing more. */
	fetch_settle(p->fetcher);
	poller_drain(p);
	p->stopping = 1;
	/* A claim under way is answered: its feeds are left, not begun. */
	if (p->claimer != NULL)
		writer_wait(p->claimer);
	fetch_cancel_all(p->fetcher);
	poller_checks_abort(p);
	poller_adopted_abort(p);
}

/*
 * At the loop's end, before the clients go: commits what was fetched or
 * handed over since poller_stop() (a subscription's first poll, once
 * the feed's row is written) and reports it, so an add waiting for its
 * first poll hears how it went.
 */
void
poller_settle(struct poller *p)
{
	fetch_settle(p->fetcher);
	poller_drain(p);
	poller_adopted_abort(p);
}

void
poller_free(struct poller *p)
{
	if (p == NULL)
		return;
	fetch_settle(p->fetcher);
	poller_drain(p);
	p->stopping = 1;
	if (p->claimer != NULL)
		writer_wait(p->claimer);
	/* The writer's last report may still touch the fetcher; transfers
	 * still under way end here, while the poller hears of them. */
	writer_wait(p->writer);
	writer_set_done(p->writer, NULL, NULL);
	fetch_cancel_all(p->fetcher);
	poller_checks_abort(p);
	poller_adopted_abort(p);
	poller_free_cb(-1, 0, p);
	sched_free(p->sched);
	event_free(p->flush_ev);
	event_free(p->free_ev);
	event_free(p->claim_ev);
	event_free(p->refire_ev);
	event_free(p->rearm_ev);
	free(p->freed);
	free(p->firing);
	free(p->firing_manual);
	free(p->store_error);
	free(p->manual);
	free(p->host_wait);
	free(p->slots);
	free(p);
}
