/*
 * notify.c: the notifiers and their queues, on the loop.  The router
 * that fills the queues runs on the writer thread (notify-route.c); each
 * kind of delivery has its starter (notify-exec.c, notify-mail.c,
 * notify-webhook.c), and this file reads the outbox, starts deliveries,
 * and records their outcomes through the writer.
 *
 * Delivery, per notifier: the due outbox rows, oldest first, a few at a
 * time (one at a time for chat formats, which keeps a channel in order);
 * on success the row goes, on failure it backs off (retry_initial
 * doubling up to retry_max, or the server's Retry-After) and the notifier
 * pauses for a while, so a receiver that is down sees one probe per pause
 * rather than the whole queue; after max_attempts the row is parked.
 * A digest notifier sends everything due once per digest_interval.
 */
#include <sys/queue.h>

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <event2/event.h>
#include <jansson.h>

#include "argv.h"
#include "buf.h"
#include "conf.h"
#include "date.h"
#include "http.h"
#include "item.h"
#include "log.h"
#include "loop.h"
#include "notify-int.h"
#include "notify.h"
#include "spawn.h"
#include "store.h"
#include "webhook.h"
#include "writer.h"
#include "xmalloc.h"

#define NOTIFY_PARALLEL_EXEC	4	/* children of one notifier */
#define NOTIFY_PARALLEL_MAIL	2
#define NOTIFY_CHILDREN_MAX	16	/* of all notifiers together */
/*
 * Requests of a json notifier under way at once (chat formats: 1, in
 * order); notify-webhook.c says which of them go before the feeds.
 */
#define NOTIFY_PARALLEL_HTTP	64
#define NOTIFY_DIGEST_MAX	1000	/* items in one digest message */
#define NOTIFY_READY_MAX	64	/* due rows read ahead per query */
#define NOTIFY_RETRY_AFTER_MAX	86400
/*
 * Outcomes wait this long for others before they go to the writer: one
 * transaction for a burst of deliveries rather than one per loop turn.
 * bench/notify, a webhook for every item: 2,246 transactions and 726 ms
 * of the writer's time before, 170 and 260 ms after (with 64 requests
 * under way); one feed in 20: 75-88 and 9-11 ms before, 19-22 and 5-6
 * ms after.  Rows stay busy meanwhile; after a crash in between they are
 * delivered again.
 */
#define NOTIFY_FLUSH_MS		20

/* A delivery's outcome, for the writer to record. */
struct outcome {
	char			*notifier;
	int64_t			 id;
	int			 delivered;
	int64_t			 next_attempt;
	int			 max_attempts;
	char			*error;
};

struct batch {
	struct notify		*n;
	struct outcome		*v;
	size_t			 len;
	size_t			 cap;
	char			*failure;	/* the writer's, if any */
};

static void	notify_pump(struct notifier *);
static void	notify_flush_cb(evutil_socket_t, short, void *);

/* --- notifiers --- */

static struct notifier *
notify_find(struct notify *n, const char *name)
{
	struct notifier	*nf;

	TAILQ_FOREACH(nf, &n->notifiers, entry)
		if (strcmp(nf->name, name) == 0)
			return (nf);
	return (NULL);
}

static void
notify_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct notifier	*nf = arg;

	nf->unread = 1;
	notify_pump(nf);
}

static void
notify_delivery_clear(struct store_delivery *d)
{
	free(d->feed_url);
	free(d->feed_title);
	feed_item_free(d->item.item);
	memset(d, 0, sizeof(*d));
}

static void
notify_ready_drop(struct notifier *nf)
{
	while (nf->ready_next < nf->nready)
		notify_delivery_clear(&nf->ready[nf->ready_next++]);
	free(nf->ready);
	nf->ready = NULL;
	nf->nready = nf->ready_next = 0;
}

static void
notify_free_notifier(struct notifier *nf)
{
	struct notify	*n = nf->n;

	n->gone_stats.delivered += nf->stats.delivered;
	n->gone_stats.retried += nf->stats.retried;
	n->gone_stats.failed += nf->stats.failed;
	TAILQ_REMOVE(&n->notifiers, nf, entry);
	event_free(nf->timer);
	argv_free(nf->argv);
	notify_ready_drop(nf);
	free(nf->busy);
	free(nf->last_error);
	free(nf->name);
	free(nf);
}

/* The config's settings; the notifier may be new or reloaded. */
static void
notify_configure(struct notifier *nf, struct conf_notify *cn)
{
	const char	*why = NULL;
	size_t		 argc;
	int		 was_digest = nf->digest;

	nf->cn = cn;
	argv_free(nf->argv);
	nf->argv = NULL;
	nf->digest = 0;
	if (strcmp(cn->type, "exec") == 0) {
		nf->type = NOTIFY_EXEC;
		nf->argv = argv_split(cn->command, &argc, &why);
		nf->parallel = NOTIFY_PARALLEL_EXEC;
	} else if (strcmp(cn->type, "mail") == 0) {
		nf->type = NOTIFY_MAIL;
		nf->argv = argv_split(cn->sendmail, &argc, &why);
		nf->digest = strcmp(cn->mode, "digest") == 0;
		nf->parallel = nf->digest ? 1 : NOTIFY_PARALLEL_MAIL;
	} else {
		nf->type = NOTIFY_WEBHOOK;
		nf->parallel = strcmp(cn->format, "json") == 0 ?
		    NOTIFY_PARALLEL_HTTP : 1;
	}
	if (nf->type != NOTIFY_WEBHOOK && nf->argv == NULL)
		log_warnx("notify %s: %s", nf->name, why);	/* conf.c checks */
	if (nf->digest && !was_digest)
		nf->next_digest = (int64_t)time(NULL) + cn->digest_interval;
}

static void
notify_pump_all_cb(evutil_socket_t fd, short what, void *arg)
{
	struct notify	*n = arg;
	struct notifier	*nf, *next;

	for (nf = TAILQ_FIRST(&n->notifiers); nf != NULL; nf = next) {
		next = TAILQ_NEXT(nf, entry);
		notify_pump(nf);
	}
}

struct notify *
notify_new(struct event_base *base, struct store *store, struct http *http,
    struct writer *w)
{
	struct notify	*n;

	n = xcalloc(1, sizeof(*n));
	n->base = base;
	n->store = store;
	n->http = http;
	n->writer = w;
	xasprintf(&n->user_agent, "feedd/%s", FEEDD_VERSION);
	n->flush_ev = event_new(base, -1, 0, notify_flush_cb, n);
	event_priority_set(n->flush_ev, NOTIFY_PRIO);
	n->spawner = spawner_new(base);
	TAILQ_INIT(&n->notifiers);
	pthread_mutex_init(&n->lock, NULL);
	n->pump_ev = event_new(base, -1, 0, notify_pump_all_cb, n);
	event_priority_set(n->pump_ev, NOTIFY_PRIO);
	return (n);
}

/*
 * Where several nodes share the database, reading due rows leases them
 * (a write and a round trip): main() hands over a writer of its own for
 * that ("claimer", the one that claims feeds), whose thread reads them
 * in the node's name while the loop goes on.  Not freed here.
 */
void
notify_set_claimer(struct notify *n, struct writer *claimer)
{
	n->claimer = claimer;
}

/* notify_prune's job on the writer: the names are its own copies. */
struct notify_prune {
	char			**keep;
	size_t			  nkeep;
};

static void
notify_prune_run(struct store *s, void *arg)
{
	struct notify_prune	*p = arg;
	size_t			 dropped;
	char			*cause = NULL;

	if (store_outbox_prune(s, (const char *const *)p->keep, p->nkeep,
	    &dropped, &cause) != 0) {
		log_warnx("notify: %s", cause);
		free(cause);
	} else if (dropped > 0)
		log_warnx("notify: dropped %zu queued deliveries of notifiers "
		    "no longer in the configuration", dropped);
}

static void
notify_prune_done(void *arg)
{
	struct notify_prune	*p = arg;
	size_t			 i;

	for (i = 0; i < p->nkeep; i++)
		free(p->keep[i]);
	free(p->keep);
	free(p);
}

/* Rows of notifiers not in "keep" go, on the writer. */
static void
notify_prune(struct notify *n, const char **keep, size_t nkeep)
{
	struct notify_prune	*p = xcalloc(1, sizeof(*p));
	size_t			 i;

	p->keep = xcalloc(nkeep + 1, sizeof(*p->keep));
	for (i = 0; i < nkeep; i++)
		p->keep[i] = xstrdup(keep[i]);
	p->nkeep = nkeep;
	writer_task(n->writer, notify_prune_run, notify_prune_done, p);
}

/*
 * The config's notifiers replace the running ones: kept by name (their
 * queue state and counters stay), new ones added, removed ones dropped
 * once their deliveries in flight end.  Queued rows of a notifier no
 * longer configured are deleted: nothing would ever deliver them, and
 * they would keep their items from retention.
 */
void
notify_set_conf(struct notify *n, const struct conf *c)
{
	struct routes	*old;
	struct notifier	*nf, *next;
	const char	**keep;
	size_t		  i;

	pthread_mutex_lock(&n->lock);
	old = n->routes;
	n->routes = notify_routes_make(c);
	pthread_mutex_unlock(&n->lock);
	notify_routes_free(old);
	/* Webhooks say who they are the way polls do ([daemon] user_agent;
	 * curl copies it, so a delivery under way keeps its own). */
	if (c->user_agent != NULL) {
		free(n->user_agent);
		n->user_agent = xstrdup(c->user_agent);
	}

	TAILQ_FOREACH(nf, &n->notifiers, entry)
		nf->cn = NULL;
	keep = xcalloc(c->nnotifiers + 1, sizeof(*keep));
	for (i = 0; i < c->nnotifiers; i++) {
		keep[i] = c->notifiers[i].name;
		if ((nf = notify_find(n, c->notifiers[i].name)) == NULL) {
			nf = xcalloc(1, sizeof(*nf));
			nf->n = n;
			nf->name = xstrdup(c->notifiers[i].name);
			nf->timer = evtimer_new(n->base, notify_timer_cb, nf);
			event_priority_set(nf->timer, NOTIFY_PRIO);
			TAILQ_INIT(&nf->deliveries);
			TAILQ_INSERT_TAIL(&n->notifiers, nf, entry);
		}
		notify_configure(nf, &c->notifiers[i]);
	}
	for (nf = TAILQ_FIRST(&n->notifiers); nf != NULL; nf = next) {
		next = TAILQ_NEXT(nf, entry);
		if (nf->cn == NULL && TAILQ_EMPTY(&nf->deliveries))
			notify_free_notifier(nf);
	}
	notify_prune(n, keep, c->nnotifiers);
	free(keep);
	notify_kick(n);
}

/* A slot is free: the notifiers go on with the rows they hold. */
void
notify_pump_soon(struct notify *n)
{
	if (!TAILQ_EMPTY(&n->notifiers))
		event_active(n->pump_ev, 0, 0);
}

/* New outbox rows were committed (or anything else worth a look). */
void
notify_kick(struct notify *n)
{
	struct notifier	*nf;

	TAILQ_FOREACH(nf, &n->notifiers, entry)
		nf->unread = 1;
	notify_pump_soon(n);
}

/* --- finishing --- */

static void
notify_set_error(struct notifier *nf, const char *error)
{
	free(nf->last_error);
	nf->last_error = error != NULL ? xstrdup(error) : NULL;
}

static void
notify_unbusy(struct notifier *nf, int64_t id)
{
	size_t	i;

	for (i = 0; i < nf->nbusy; i++)
		if (nf->busy[i] == id) {
			nf->busy[i] = nf->busy[--nf->nbusy];
			return;
		}
}

static void
notify_busy_add(struct notifier *nf, int64_t id)
{
	if (nf->nbusy == nf->busycap) {
		nf->busycap = nf->busycap ? nf->busycap * 2 : 64;
		nf->busy = xreallocarray(nf->busy, nf->busycap,
		    sizeof(*nf->busy));
	}
	nf->busy[nf->nbusy++] = id;
}

/* retry_initial doubling with each failure, up to retry_max. */
static int64_t
notify_backoff(const struct conf_notify *cn, int attempts)
{
	int64_t	d = cn->retry_initial;

	while (attempts-- > 0 && d < cn->retry_max)
		d *= 2;
	return (d < cn->retry_max ? d : cn->retry_max);
}

static void
notify_delivery_free(struct delivery *dl)
{
	if (dl->easy != NULL) {
		http_cancel(dl->nf->n->http, dl->easy);
		curl_easy_cleanup(dl->easy);
		notify_webhook_ended(dl->nf->n);
	}
	curl_slist_free_all(dl->headers);
	webhook_req_clear(&dl->req);
	buf_free(&dl->resp);
	free(dl->ids);
	free(dl);
}

/* --- recording outcomes: through the writer thread --- */

static void
notify_batch_free(struct batch *b)
{
	size_t	i;

	for (i = 0; i < b->len; i++) {
		free(b->v[i].notifier);
		free(b->v[i].error);
	}
	free(b->v);
	free(b->failure);
	free(b);
}

static void
notify_record(struct notify *n, const char *notifier, int64_t id,
    int delivered, int64_t next, int max, const char *error)
{
	struct batch	*b;
	struct outcome	*o;
	struct timeval	 tv = { 0, NOTIFY_FLUSH_MS * 1000 };

	if (n->batch == NULL) {
		n->batch = xcalloc(1, sizeof(*n->batch));
		n->batch->n = n;
		event_add(n->flush_ev, &tv);
	}
	b = n->batch;
	if (b->len == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 32;
		b->v = xreallocarray(b->v, b->cap, sizeof(*b->v));
	}
	o = &b->v[b->len++];
	o->notifier = xstrdup(notifier);
	o->id = id;
	o->delivered = delivered;
	o->next_attempt = next;
	o->max_attempts = max;
	o->error = error != NULL ? xstrdup(error) : NULL;
}

/* On the writer thread: delivered rows go, in one transaction. */
static void
notify_batch_run(struct store *s, void *arg)
{
	struct batch	*b = arg;
	int64_t		*ids = xcalloc(b->len + 1, sizeof(*ids));
	size_t		 i, n = 0;
	char		*cause = NULL;

	for (i = 0; i < b->len; i++)
		if (b->v[i].delivered)
			ids[n++] = b->v[i].id;
	if (store_outbox_done(s, ids, n, &cause) != 0 && b->failure == NULL)
		b->failure = cause;
	else
		free(cause);
	cause = NULL;
	for (i = 0; i < b->len; i++) {
		if (b->v[i].delivered)
			continue;
		if (store_outbox_retry(s, &b->v[i].id, 1,
		    b->v[i].next_attempt, b->v[i].max_attempts,
		    b->v[i].error, &cause) != 0 && b->failure == NULL)
			b->failure = cause;
		else
			free(cause);
		cause = NULL;
	}
	free(ids);
}

/*
 * Back on the loop: the rows are settled, so they may be read again
 * (a retry when it is due).  A row whose outcome could not be recorded
 * is delivered again later: at least once.
 */
static void
notify_batch_done(void *arg)
{
	struct batch	*b = arg;
	struct notifier	*nf;
	size_t		 i;

	if (b->failure != NULL)
		log_warnx("notify: recording deliveries: %s", b->failure);
	for (i = 0; i < b->len; i++)
		if ((nf = notify_find(b->n, b->v[i].notifier)) != NULL)
			notify_unbusy(nf, b->v[i].id);
	notify_kick(b->n);
	notify_batch_free(b);
}

static void
notify_flush_cb(evutil_socket_t fd, short what, void *arg)
{
	struct notify	*n = arg;
	struct batch	*b = n->batch;

	n->batch = NULL;
	if (b != NULL)
		writer_task(n->writer, notify_batch_run, notify_batch_done, b);
}

/*
 * A delivery ended.  Its outcome goes to the writer (a row leaves the
 * outbox only once delivered); the notifier looks for more work.
 */
void
notify_finish(struct delivery *dl, int outcome, const char *error,
    int64_t retry_after)
{
	struct notifier		*nf = dl->nf;
	const struct conf_notify *cn = nf->cn;
	int64_t			 now = (int64_t)time(NULL), delay, hold;
	size_t			 i;
	int			 max;

	TAILQ_REMOVE(&nf->deliveries, dl, entry);
	if (dl->test_cb != NULL) {
		log_info("notify %s: test %s%s%s", nf->name,
		    outcome == OUTCOME_DELIVERED ? "delivered" : "failed",
		    error != NULL ? ": " : "", error != NULL ? error : "");
		dl->test_cb(outcome == OUTCOME_DELIVERED ? NULL :
		    error != NULL ? error : "failed", dl->test_arg);
		goto done;
	}
	nf->nflight--;
	if (outcome == OUTCOME_DELIVERED) {
		for (i = 0; i < dl->nids; i++)
			notify_record(nf->n, nf->name, dl->ids[i], 1, 0, 0,
			    NULL);
		nf->stats.delivered += dl->nids;
		log_debug("notify %s: delivered %zu item%s", nf->name,
		    dl->nids, dl->nids == 1 ? "" : "s");
	} else if (cn == NULL) {
		/* Removed from the config meanwhile: its rows are gone. */
	} else {
		delay = notify_backoff(cn, dl->attempts);
		/*
		 * Times are whole seconds and "now" is rounded down: one
		 * second more keeps the retry from coming before the
		 * receiver's Retry-After, whatever the fraction was.
		 */
		if (retry_after > 0)
			delay = (retry_after < NOTIFY_RETRY_AFTER_MAX ?
			    retry_after : NOTIFY_RETRY_AFTER_MAX) + 1;
		max = outcome == OUTCOME_FAILED ? 0 : cn->max_attempts;
		for (i = 0; i < dl->nids; i++)
			notify_record(nf->n, nf->name, dl->ids[i], 0,
			    now + delay, max, error);
		notify_set_error(nf, error);
		if (outcome == OUTCOME_FAILED || dl->attempts + 1 >= max) {
			nf->stats.failed += dl->nids;
			log_warnx("notify %s: giving up on %zu item%s after "
			    "%d attempt%s: %s (\"feedctl notify retry %s\" "
			    "tries again)", nf->name, dl->nids,
			    dl->nids == 1 ? "" : "s", dl->attempts + 1,
			    dl->attempts == 0 ? "" : "s", error, nf->name);
		} else {
			nf->stats.retried += dl->nids;
			/* A pause for the notifier: one probe per pause
			 * while its receiver is down. */
			hold = retry_after > 0 ? delay : cn->retry_initial;
			if (now + hold > nf->held_until)
				nf->held_until = now + hold;
			log_warnx("notify %s: %s; retrying in %" PRId64 "s",
			    nf->name, error, delay);
		}
	}
done:
	notify_delivery_free(dl);
	if (nf->cn == NULL && TAILQ_EMPTY(&nf->deliveries))
		notify_free_notifier(nf);
	else
		notify_pump(nf);
}

/* --- starting deliveries --- */

void
notify_spawn_done(const struct spawn_result *r, void *arg)
{
	struct delivery	*dl = arg;
	char		*why;

	dl->child = NULL;
	/* A child slot is free: notifiers held by the limit may go on. */
	notify_pump_soon(dl->nf->n);
	if (r->code == 0 && !r->timed_out && r->signal == 0) {
		notify_finish(dl, OUTCOME_DELIVERED, NULL, 0);
		return;
	}
	/* The delivery's own: a reload may have changed or removed cn. */
	why = spawn_describe(r, dl->timeout);
	notify_finish(dl, OUTCOME_RETRY, why, 0);
	free(why);
}

static struct delivery *
notify_delivery_new(struct notifier *nf, const struct store_delivery *d,
    size_t n)
{
	struct delivery	*dl = xcalloc(1, sizeof(*dl));
	size_t		 i;

	dl->nf = nf;
	dl->ids = xcalloc(n ? n : 1, sizeof(*dl->ids));
	for (i = 0; i < n; i++) {
		dl->ids[i] = d[i].id;
		if (d[i].attempts > dl->attempts)
			dl->attempts = d[i].attempts;
	}
	dl->nids = n;
	nf->nflight++;
	TAILQ_INSERT_TAIL(&nf->deliveries, dl, entry);
	return (dl);
}

/* Starts the delivery of "n" rows (a digest) or of one. */
static void
notify_start(struct delivery *dl, const struct store_delivery *d, size_t n)
{
	struct notifier	*nf = dl->nf;
	char		*cause = NULL;
	int		 rc;

	if (nf->type == NOTIFY_EXEC)
		rc = notify_exec_start(dl, d, &cause);
	else if (nf->type == NOTIFY_MAIL)
		rc = notify_mail_start(dl, d, n, &cause);
	else
		rc = notify_webhook_start(dl, d, &cause);
	if (rc != 0) {
		notify_finish(dl, OUTCOME_RETRY, cause, 0);
		free(cause);
	}
}

static void
notify_arm(struct notifier *nf, int64_t when, int64_t now)
{
	struct timeval	tv;

	if (when == DATE_NONE)
		return;
	tv.tv_sec = when > now ? (time_t)(when - now) : 0;
	tv.tv_usec = 0;
	evtimer_add(nf->timer, &tv);
}

/*
 * A read of a notifier's due rows that are not busy (notify_read).  Where
 * nodes share the database it leases them, so it runs on the claimer's
 * thread and connection and is answered on the loop.
 */
struct notify_read {
	struct notify		*n;
	char			*name;
	int64_t			 now;
	size_t			 limit;
	int64_t			*skip;		/* the busy rows, copied */
	size_t			 nskip;
	struct store_delivery	*d;
	size_t			 nd;
	int			 rc;
	char			*cause;
};

static void	notify_digest_start(struct notifier *, struct store_delivery *,
		    size_t, int64_t);

static void
notify_read_run(struct store *s, void *arg)
{
	struct notify_read	*rd = arg;

	rd->rc = store_outbox_due(s, rd->name, rd->now, rd->limit, rd->skip,
	    rd->nskip, &rd->d, &rd->nd, &rd->cause);
}

/*
 * The answer, on the loop: the rows become busy and the ones read ahead
 * (a digest: the digest), and the notifier pumps.  The notifier may have
 * gone with a reload meanwhile (its rows go with it) or feedd be
 * stopping: rows read then stay leased to this node, which frees them as
 * it ends.
 */
static void
notify_read_done(void *arg)
{
	struct notify_read	*rd = arg;
	struct notifier		*nf;
	size_t			 i;

	nf = rd->n->stopping ? NULL : notify_find(rd->n, rd->name);
	if (nf != NULL)
		nf->reading = 0;
	if (nf == NULL || nf->cn == NULL)
		store_deliveries_free(rd->d, rd->nd);
	else if (rd->rc != 0) {
		store_deliveries_free(rd->d, rd->nd);
		log_warnx("notify %s: %s", nf->name, rd->cause);
		nf->unread = 1;
		notify_arm(nf, rd->now + 1, (int64_t)time(NULL));
	} else {
		for (i = 0; i < rd->nd; i++)
			notify_busy_add(nf, rd->d[i].id);
		if (nf->digest)
			notify_digest_start(nf, rd->d, rd->nd,
			    (int64_t)time(NULL));
		else {
			if (rd->nd >= rd->limit)
				nf->unread = 1;
			if (rd->nd > 0) {
				nf->ready = rd->d;
				nf->nready = rd->nd;
				nf->ready_next = 0;
			} else
				free(rd->d);
			notify_pump(nf);
		}
	}
	free(rd->skip);
	free(rd->name);
	free(rd->cause);
	free(rd);
}

/*
 * Reads up to "limit" due rows: on the claimer where there is one (the
 * answer comes later), else at once on the loop's connection.
 */
static void
notify_read(struct notifier *nf, int64_t now, size_t limit)
{
	struct notify_read	*rd;

	if (nf->reading)
		return;
	nf->reading = 1;
	/* The read sees every commit before it; one after kicks again. */
	nf->unread = 0;
	rd = xcalloc(1, sizeof(*rd));
	rd->n = nf->n;
	rd->name = xstrdup(nf->name);
	rd->now = now;
	rd->limit = limit;
	if (nf->nbusy > 0) {
		rd->skip = xreallocarray(NULL, nf->nbusy, sizeof(*rd->skip));
		memcpy(rd->skip, nf->busy, nf->nbusy * sizeof(*rd->skip));
		rd->nskip = nf->nbusy;
	}
	if (nf->n->claimer != NULL) {
		writer_task(nf->n->claimer, notify_read_run, notify_read_done,
		    rd);
		return;
	}
	notify_read_run(nf->n->store, rd);
	notify_read_done(rd);
}

/* A digest of the "n" rows read. */
static void
notify_digest_start(struct notifier *nf, struct store_delivery *d, size_t n,
    int64_t now)
{
	struct delivery	*dl;

	nf->next_digest = now + nf->cn->digest_interval;
	if (n == 0) {
		free(d);
		notify_arm(nf, nf->next_digest, now);
		return;
	}
	dl = notify_delivery_new(nf, d, n);
	notify_start(dl, d, n);
	store_deliveries_free(d, n);
}

static void
notify_pump_digest(struct notifier *nf, int64_t now)
{
	if (nf->nflight > 0 || nf->reading ||
	    spawner_running(nf->n->spawner) >= NOTIFY_CHILDREN_MAX)
		return;
	if (now < nf->next_digest) {
		notify_arm(nf, nf->next_digest, now);
		return;
	}
	notify_read(nf, now, NOTIFY_DIGEST_MAX);
}

/*
 * Starts what the notifier's parallelism allows from the rows read
 * ahead, reading more when they run out; with nothing due, arms its
 * timer for when something will be.
 */
static void
notify_pump(struct notifier *nf)
{
	struct store_outbox_stats	 os;
	struct store_delivery		*d;
	struct delivery			*dl;
	int64_t				 now = (int64_t)time(NULL);
	char				*cause = NULL;

	/*
	 * A start that fails at once ends in notify_finish(), which pumps:
	 * that inner call must not touch the rows this one is walking.
	 */
	if (nf->cn == NULL || nf->pumping || nf->n->stopping)
		return;
	evtimer_del(nf->timer);
	if (nf->held_until > now) {
		notify_arm(nf, nf->held_until, now);
		return;
	}
	nf->pumping = 1;
	if (nf->digest) {
		notify_pump_digest(nf, now);
		nf->pumping = 0;
		return;
	}
	while (nf->nflight < nf->parallel && nf->held_until <= now) {
		/* At the children limit: a child's end kicks every one. */
		if (nf->type != NOTIFY_WEBHOOK &&
		    spawner_running(nf->n->spawner) >= NOTIFY_CHILDREN_MAX) {
			nf->pumping = 0;
			return;
		}
		/* ... and at the webhooks' limit, a request's end. */
		if (nf->type == NOTIFY_WEBHOOK &&
		    nf->n->nhttp >= NOTIFY_HTTP_MAX) {
			nf->pumping = 0;
			return;
		}
		if (nf->ready_next == nf->nready) {
			notify_ready_drop(nf);
			/* Nothing committed or due since the last look. */
			if (!nf->unread || nf->reading)
				break;
			/* Read now (sqlite), or answered later. */
			notify_read(nf, now, NOTIFY_READY_MAX);
			if (nf->ready_next == nf->nready)
				break;
		}
		d = &nf->ready[nf->ready_next++];
		dl = notify_delivery_new(nf, d, 1);
		notify_start(dl, d, 1);
		notify_delivery_clear(d);
	}
	nf->pumping = 0;
	if (nf->nflight > 0 || nf->ready_next < nf->nready ||
	    nf->held_until > now || nf->reading)
		return;
	/* Nothing due now: wake for the first row that will be. */
	if (store_outbox_stats(nf->n->store, nf->name, &os, &cause) != 0) {
		log_warnx("notify %s: %s", nf->name, cause);
		free(cause);
		return;
	}
	/*
	 * Rows due now that this notifier holds wait for the writer to
	 * record their outcome; that kicks again (notify_batch_done).
	 */
	if (os.next_attempt > now || nf->nbusy == 0)
		notify_arm(nf, os.next_attempt, now);
	free(os.last_error);
}

/* --- tests, retries, status --- */

/* The seed article (config/samples): what "notify test" sends. */
static void
notify_sample(struct store_delivery *d)
{
	struct feed_item	*it;

	memset(d, 0, sizeof(*d));
	d->feed_url = xstrdup("https://www.devdiscourse.com/rss/world");
	d->feed_title = xstrdup("Devdiscourse - World News");
	d->item.item = it = feed_item_new();
	it->key = xstrdup("devdiscourse-3005012");
	it->guid = xstrdup("devdiscourse-3005012");
	it->title = xstrdup("North Korea and Russia Strengthen Military Ties "
	    "Amid Global Concerns");
	it->link = xstrdup("https://www.devdiscourse.com/article/headlines/"
	    "3005012-north-korea-and-russia-strengthen-military-ties-amid-"
	    "global-concerns");
	it->author = xstrdup("Devdiscourse News Desk");
	it->published = 1720486560;	/* 2024-07-09T00:56:00Z */
	it->summary = xstrdup("A North Korean military delegation led by Kim "
	    "Geum Chol has departed for Russia, marking the first military "
	    "exchange between the two nations since their leaders signed a "
	    "pact. This increased military cooperation is causing concern "
	    "among Seoul and Washington, who are wary of possible arms "
	    "transactions between the two countries.");
	feed_item_add_category(it, "Headlines");
	d->item.fetched = (int64_t)time(NULL);
}

/* Sends the sample item through notifier "name", outside the outbox. */
int
notify_test(struct notify *n, const char *name, notify_test_cb cb, void *arg,
    char **cause)
{
	struct store_delivery	 d;
	struct notifier		*nf;
	struct delivery		*dl;

	if (n->stopping) {
		*cause = xstrdup("feedd is stopping");
		return (-1);
	}
	if ((nf = notify_find(n, name)) == NULL || nf->cn == NULL) {
		xasprintf(cause, "no notifier \"%s\" in the configuration",
		    name);
		return (-1);
	}
	notify_sample(&d);
	dl = xcalloc(1, sizeof(*dl));
	dl->nf = nf;
	dl->test_cb = cb;
	dl->test_arg = arg;
	TAILQ_INSERT_TAIL(&nf->deliveries, dl, entry);
	log_info("notify %s: sending a test item", name);
	notify_start(dl, &d, 1);
	feed_item_free(d.item.item);
	free(d.feed_url);
	free(d.feed_title);
	return (0);
}

/* notify_retry's revive, on the writer thread. */
struct notify_revive {
	struct notify		*n;
	char			*name;
	size_t			 parked;
	size_t			 waiting;
	int			 rc;
	char			*cause;
	notify_retry_cb		 cb;
	void			*arg;
};

static void
notify_revive_run(struct store *s, void *arg)
{
	struct notify_revive	*rv = arg;

	rv->rc = store_outbox_revive(s, rv->name, (int64_t)time(NULL),
	    &rv->parked, &rv->waiting, &rv->cause);
}

static void
notify_revive_done(void *arg)
{
	struct notify_revive	*rv = arg;
	struct notifier		*nf;

	if (rv->rc == 0 && (nf = notify_find(rv->n, rv->name)) != NULL &&
	    nf->cn != NULL) {
		nf->held_until = 0;
		nf->unread = 1;
		log_info("notify %s: %zu %s due again (%zu parked, %zu "
		    "waiting)", rv->name, rv->parked + rv->waiting,
		    rv->parked + rv->waiting == 1 ? "delivery is" :
		    "deliveries are", rv->parked, rv->waiting);
		notify_pump(nf);
	}
	rv->cb(rv->parked, rv->waiting, rv->rc == 0 ? NULL : rv->cause,
	    rv->arg);
	free(rv->name);
	free(rv->cause);
	free(rv);
}

/*
 * Every queued row of "name" becomes due now: the parked ones with
 * fresh attempts, the waiting ones (a retry's backoff, a receiver's
 * Retry-After) with theirs; the pause is lifted.  The one who asks has
 * fixed the receiver, and a row that fails again only waits again.  The
 * rows change on the writer: "cb" hears how many after the commit.
 */
int
notify_retry(struct notify *n, const char *name, notify_retry_cb cb,
    void *arg, char **cause)
{
	struct notifier		*nf;
	struct notify_revive	*rv;

	if ((nf = notify_find(n, name)) == NULL || nf->cn == NULL) {
		xasprintf(cause, "no notifier \"%s\" in the configuration",
		    name);
		return (-1);
	}
	rv = xcalloc(1, sizeof(*rv));
	rv->n = n;
	rv->name = xstrdup(name);
	rv->cb = cb;
	rv->arg = arg;
	/* Outcomes waiting to be recorded go first: a failure recorded
	 * after the revive would hold its row again. */
	notify_flush_cb(-1, 0, n);
	writer_task(n->writer, notify_revive_run, notify_revive_done, rv);
	return (0);
}

static const char *
notify_type_name(const struct notifier *nf)
{
	if (nf->type == NOTIFY_EXEC)
		return ("exec");
	return (nf->type == NOTIFY_MAIL ? "mail" : "webhook");
}

/*
 * When the notifier next starts a delivery of a row that waits for it
 * ("row": the row's next attempt, DATE_NONE for none): not before its
 * pause ends nor, for a digest, the next digest, and not in the past.
 */
static int64_t
notify_next_attempt(const struct notifier *nf, int64_t row, int64_t now)
{
	if (row == DATE_NONE)
		return (DATE_NONE);
	if (nf->held_until > row)
		row = nf->held_until;
	if (nf->digest && nf->next_digest > row)
		row = nf->next_digest;
	return (row > now ? row : now);
}

/* "key": an RFC 3339 date, or null for DATE_NONE. */
static void
notify_set_date(json_t *o, const char *key, int64_t t)
{
	char	date[40];

	if (t == DATE_NONE) {
		json_object_set_new(o, key, json_null());
		return;
	}
	date_format_rfc3339(t, date, sizeof(date));
	json_object_set_new(o, key, json_string(date));
}

/*
 * The next attempt of the rows that wait: those not under way here
 * (nf->busy), nor on another node; DATE_NONE when none waits.
 */
static int64_t
notify_waiting_next(struct notifier *nf, int64_t pending, int64_t now)
{
	int64_t	 next;
	char	*cause = NULL;

	if (pending <= (int64_t)nf->nbusy)
		return (DATE_NONE);
	if (store_outbox_next(nf->n->store, nf->name, now, nf->busy,
	    nf->nbusy, &next, &cause) != 0) {
		log_warnx("notify %s: %s", nf->name, cause);
		free(cause);
		return (DATE_NONE);
	}
	return (notify_next_attempt(nf, next, now));
}

/* Each configured notifier and its queue, for "status". */
json_t *
notify_status(struct notify *n)
{
	struct store_outbox_stats	 os;
	struct notifier			*nf;
	json_t				*a = json_array(), *o;
	int64_t				 now = (int64_t)time(NULL), away;
	char				*cause = NULL;

	TAILQ_FOREACH(nf, &n->notifiers, entry) {
		if (nf->cn == NULL)
			continue;
		if (store_outbox_stats(n->store, nf->name, &os, &cause) != 0) {
			free(cause);
			cause = NULL;
			memset(&os, 0, sizeof(os));
			os.next_attempt = DATE_NONE;
		}
		/* In flight on every node sharing the database. */
		if (store_outbox_elsewhere(n->store, nf->name, now, &away,
		    &cause) != 0) {
			free(cause);
			cause = NULL;
			away = 0;
		}
		/*
		 * The store knows each queued row's last error, not which
		 * came last (it gives the row tried most); this node's own
		 * latest failure, while rows with errors are queued, did.
		 */
		o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:s?}",
		    "name", nf->name, "type", notify_type_name(nf),
		    "pending", (json_int_t)os.pending,
		    "failed", (json_int_t)os.failed,
		    "in_flight", (json_int_t)(nf->nbusy + away),
		    "delivered", (json_int_t)nf->stats.delivered,
		    "last_error", os.last_error != NULL &&
		    nf->last_error != NULL ? nf->last_error : os.last_error);
		notify_set_date(o, "paused_until", nf->held_until > now ?
		    nf->held_until : DATE_NONE);
		notify_set_date(o, "next_attempt", notify_waiting_next(nf,
		    os.pending, now));
		free(os.last_error);
		json_array_append_new(a, o);
	}
	return (a);
}

/*
 * notify.list: up to "limit" of the notifier's queued deliveries, oldest
 * first (only the parked ones with "parked"), read on the loop's
 * connection: the item, the attempts, the last error and when the next
 * attempt is (as status says it; null when parked or under way here),
 * and the queue's counts, so a shorter list says it is shorter.
 */
json_t *
notify_list(struct notify *n, const char *name, int parked, size_t limit,
    char **cause)
{
	struct store_outbox_stats	 os;
	struct store_outbox_row		*v;
	struct notifier			*nf;
	json_t				*a, *o;
	int64_t				 now = (int64_t)time(NULL);
	size_t				 nv, i, k;
	int				 flying;

	if ((nf = notify_find(n, name)) == NULL || nf->cn == NULL) {
		xasprintf(cause, "no notifier \"%s\" in the configuration",
		    name);
		return (NULL);
	}
	if (store_outbox_list(n->store, name, parked, limit, now, &v, &nv,
	    cause) != 0)
		return (NULL);
	if (store_outbox_stats(n->store, name, &os, cause) != 0) {
		store_outbox_rows_free(v, nv);
		return (NULL);
	}
	a = json_array();
	for (i = 0; i < nv; i++) {
		for (k = 0; k < nf->nbusy && nf->busy[k] != v[i].id; k++)
			;
		/* Under way here, or on another node. */
		flying = k < nf->nbusy || v[i].elsewhere;
		o = json_pack("{s:I, s:I, s:s?, s:i, s:b, s:b, s:s?}",
		    "item_id", (json_int_t)v[i].item_id,
		    "feed_id", (json_int_t)v[i].feed_id,
		    "title", v[i].title, "attempts", v[i].attempts,
		    "parked", v[i].parked, "in_flight", flying,
		    "last_error", v[i].last_error);
		notify_set_date(o, "next_attempt", v[i].parked || flying ?
		    DATE_NONE : notify_next_attempt(nf, v[i].next_attempt,
		    now));
		json_array_append_new(a, o);
	}
	store_outbox_rows_free(v, nv);
	free(os.last_error);
	return (json_pack("{s:s, s:I, s:I, s:o}", "notifier", name,
	    "pending", (json_int_t)os.pending, "failed", (json_int_t)os.failed,
	    "deliveries", a));
}

void
notify_get_stats(struct notify *n, struct notify_stats *st)
{
	struct notifier	*nf;

	*st = n->gone_stats;
	TAILQ_FOREACH(nf, &n->notifiers, entry) {
		st->delivered += nf->stats.delivered;
		st->retried += nf->stats.retried;
		st->failed += nf->stats.failed;
	}
	pthread_mutex_lock(&n->lock);
	st->match_limited = n->match_limited;
	pthread_mutex_unlock(&n->lock);
}

/* Ends every delivery in flight without a word to the store: how many
 * items they carried. */
static size_t
notify_abandon(struct notify *n)
{
	struct notifier	*nf;
	struct delivery	*dl;
	size_t		 abandoned = 0;

	TAILQ_FOREACH(nf, &n->notifiers, entry) {
		evtimer_del(nf->timer);
		while ((dl = TAILQ_FIRST(&nf->deliveries)) != NULL) {
			TAILQ_REMOVE(&nf->deliveries, dl, entry);
			if (dl->child != NULL)
				spawn_abandon(dl->child);
			if (dl->test_cb != NULL)
				dl->test_cb("feedd is stopping", dl->test_arg);
			else
				abandoned += dl->nids;
			notify_delivery_free(dl);
		}
		nf->nflight = 0;
	}
	return (abandoned);
}

/*
 * The stop begins: deliveries in flight are abandoned before the HTTP
 * engine aborts its transfers, so that feedd's own stop is neither an
 * attempt that failed nor a warning for each delivery.  Their rows stay
 * and go out after the restart (at least once); children are killed.
 */
void
notify_stop(struct notify *n)
{
	size_t	abandoned;

	if (n == NULL || n->stopping)
		return;
	n->stopping = 1;
	if ((abandoned = notify_abandon(n)) > 0)
		log_notice("notify: %zu deliver%s under way abandoned; %s at "
		    "the next start", abandoned, abandoned == 1 ? "y" : "ies",
		    abandoned == 1 ? "it goes out" : "they go out");
}

/* Shutdown, after notify_stop(). */
void
notify_free(struct notify *n)
{
	struct notifier	*nf;

	if (n == NULL)
		return;
	notify_stop(n);
	/* What was delivered is recorded before the notifiers go, and a
	 * read under way ends (its rows stay for the next start). */
	if (n->claimer != NULL)
		writer_wait(n->claimer);
	notify_flush_cb(-1, 0, n);
	writer_wait(n->writer);
	notify_abandon(n);
	while ((nf = TAILQ_FIRST(&n->notifiers)) != NULL)
		notify_free_notifier(nf);
	spawner_free(n->spawner);
	event_free(n->pump_ev);
	event_free(n->flush_ev);
	notify_routes_free(n->routes);
	pthread_mutex_destroy(&n->lock);
	free(n->user_agent);
	free(n);
}
