/*
 * feedd.c: the daemon's main(): options, configuration, start and stop
 * order, signals.  The data flow reads from here down:
 *
 *	config -> store (feeds synced) -> poller (sched -> fetch -> parse ->
 *	store_apply_poll, the router adding outbox rows) -> announce ->
 *	watchers, notify (outbox -> exec, mail, webhook), indexer (search)
 *
 * feedd always runs in the foreground (systemd Type=notify).
 */
#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "argv.h"
#include "conf.h"
#include "fetch.h"
#include "http.h"
#include "indexer.h"
#include "item.h"
#include "log.h"
#include "loop.h"
#include "notify.h"
#include "peers.h"
#include "poller.h"
#include "rpc.h"
#include "rules.h"
#include "sched.h"
#include "sdnotify.h"
#include "server.h"
#include "spawn.h"
#include "store.h"
#include "writer.h"
#include "xmalloc.h"

#define FEEDD_CONFIG_DEFAULT	FEEDD_SYSCONFDIR "/feedd/feedd.conf"
#define FEEDD_STATUS_EVERY	10	/* seconds between STATUS= lines */
#define FEEDD_RETENTION_EVERY	3600
/* The node's heartbeat: STORE_NODE_BEAT (store.h). */

struct feedd {
	const char		*conf_path;
	struct conf		*conf;
	struct event_base	*base;
	struct store		*store;		/* the loop's: read-only */
	struct writer		*writer;	/* every write but claims */
	struct writer		*claimer;	/* PostgreSQL: claims, or NULL */
	struct http		*http;		/* HTTP: feeds and webhooks */
	struct fetcher		*fetcher;	/* feed polls, on http */
	struct conf		*syncing;	/* a sync task reads it */
	struct poller		*poller;
	struct notify		*notify;
	struct rules		*rules;
	struct indexer		*indexer;
	struct server		*server;
	struct rpc		 rpc;
	struct peers		*peers;		/* NULL: one node (sqlite) */
	struct event		*sig_hup;
	struct event		*sig_term;
	struct event		*sig_int;
	struct event		*status_ev;
	struct event		*watchdog_ev;
	struct event		*retention_ev;
	struct event		*beat_ev;
	int			 beating;	/* a beat is queued */
	struct store_retention	 retention;	/* the pass under way */
	int			 retaining;
	int			 stopping;
	time_t			 started;
};

/*
 * 0 for sendmail or msmtp told nothing of the recipients, which feedd
 * gives only in the message's headers; 1 for them with -t (or msmtp's
 * --read-recipients), and for any other program, which may well read
 * the headers.
 */
static int
feedd_reads_recipients(char **argv, size_t argc)
{
	const char	*prog = strrchr(argv[0], '/');
	size_t		 i;

	prog = prog != NULL ? prog + 1 : argv[0];
	if (strcmp(prog, "sendmail") != 0 && strcmp(prog, "msmtp") != 0)
		return (1);
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "-t") == 0 || strcmp(argv[i], "-ti") ==
		    0 || strcmp(argv[i], "-it") == 0 ||
		    strcmp(argv[i], "--read-recipients") == 0)
			return (1);
	return (0);
}

/*
 * The programs the exec and mail notifiers run, looked for as a delivery
 * would: one that is missing is a warning (it may be installed before
 * the first delivery), said at --check-config, start and reload rather
 * than at the first item.
 */
static void
feedd_check_programs(const struct conf *c)
{
	const struct conf_notify	*n;
	const char			*cmd, *why;
	char				**argv;
	size_t				 i, argc;
	int				 err;

	for (i = 0; i < c->nnotifiers; i++) {
		n = &c->notifiers[i];
		cmd = strcmp(n->type, "exec") == 0 ? n->command :
		    strcmp(n->type, "mail") == 0 ? n->sendmail : NULL;
		if (cmd == NULL || (argv = argv_split(cmd, &argc, &why)) ==
		    NULL)
			continue;	/* the config's check said why */
		if (argc > 0 && (err = spawn_findable(argv[0])) != 0)
			log_warnx("%s:%u: warning: notifier %s: %s: %s (its "
			    "deliveries would fail)", c->path, n->line, n->name,
			    argv[0], strerror(err));
		else if (argc > 0 && strcmp(n->type, "mail") == 0 &&
		    !feedd_reads_recipients(argv, argc))
			log_warnx("%s:%u: warning: notifier %s: %s without -t "
			    "(the recipients are in the message's To header "
			    "only)", c->path, n->line, n->name, argv[0]);
		argv_free(argv);
	}
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: feedd [-c FILE] [--check-config] [-v] [--version] "
	    "[--help]\n"
	    "  -c, --config FILE   configuration (default $FEEDD_CONFIG, else "
	    "%s)\n"
	    "  -n, --check-config  check the configuration and exit 0 or 1\n"
	    "  -v, --verbose       log more: -v each poll's outcome, -vv "
	    "debug\n"
	    "  -V, --version       print the version and exit\n"
	    "  -h, --help          print this and exit\n",
	    FEEDD_CONFIG_DEFAULT);
}

static void
feedd_fetch_opts(const struct conf *c, struct fetch_opts *fo)
{
	memset(fo, 0, sizeof(*fo));
	fo->user_agent = c->user_agent;
	fo->max_parallel = c->max_parallel;
	fo->max_per_host = c->max_per_host;
	fo->timeout = c->timeout;
	fo->max_size = c->max_feed_size;
	fo->allow_private = c->allow_private;
	fo->allow_hosts = (const char *const *)c->allow_hosts;
	fo->nallow_hosts = c->nallow_hosts;
	fo->proxy = c->proxy;
}

static void
feedd_sched_opts(const struct conf *c, struct sched_opts *so)
{
	so->default_interval = c->default_interval;
	so->min_interval = c->min_interval;
	so->max_interval = c->max_interval;
}

static int
feedd_tags_equal(const struct conf_feed *cf, const struct store_feed *sf)
{
	size_t	i, j;

	if (cf->ntags != sf->ntags)
		return (0);
	for (i = 0; i < cf->ntags; i++) {
		for (j = 0; j < sf->ntags; j++)
			if (strcmp(cf->tags[i], sf->tags[j]) == 0)
				break;
		if (j == sf->ntags)
			return (0);
	}
	return (1);
}

static int
feedd_id_cmp(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x < y ? -1 : x > y);
}

/* A sync of the store with one config, on the writer. */
struct feedd_sync {
	struct feedd		*d;
	struct conf		*conf;
	int64_t			*keep;		/* the config's feeds */
	size_t			 nkeep;
	int64_t			*gone;		/* removed */
	size_t			 ngone;
};

/*
 * A config feed that the config no longer names, but with starred items:
 * kept, paused, as a feed added at run time rather than removed with
 * them, since mending a URL in the config must not cost what was starred
 * under the old one.  1 when kept, 0 when it has none, -1 on an error
 * (logged; the feed stays as it was).
 */
static int
feedd_sync_keep_starred(struct store *store, int64_t id, const char *path)
{
	struct store_query	 q;
	struct store_item	*items;
	struct store_feed_conf	 sc;
	struct store_feed	*f;
	size_t			 n;
	char			*cause = NULL;
	int			 rc = -1;

	memset(&q, 0, sizeof(q));
	q.feed_id = id;
	q.starred = 1;
	q.limit = 1;
	if (store_items_list(store, &q, &items, &n, &cause) != 0) {
		log_warnx("config: feed %" PRId64 ": %s", id, cause);
		free(cause);
		return (-1);
	}
	store_items_free(items, n);
	if (n == 0)
		return (0);
	if ((f = store_feed_get(store, id)) == NULL)
		return (-1);
	memset(&sc, 0, sizeof(sc));
	sc.url = f->url;
	sc.title = f->title_set ? f->title : NULL;
	sc.tags = (const char *const *)f->tags;
	sc.ntags = f->ntags;
	sc.interval = f->interval;
	sc.enabled = 0;
	sc.origin = STORE_ORIGIN_RUNTIME;
	if (store_feed_update(store, id, &sc, &cause) != 0) {
		log_warnx("config: %s: %s", f->url, cause);
		free(cause);
	} else {
		log_warnx("config: %s is no longer in %s, but has starred "
		    "items: kept, paused, as a feed added at run time "
		    "(feedctl remove %" PRId64 " deletes it)", f->url, path,
		    id);
		rc = 1;
	}
	store_feed_free(f);
	return (rc);
}

/*
 * The store follows the config's [feed] sections: new ones added,
 * changed ones updated, config feeds no longer there removed (but for
 * those with starred items: feedd_sync_keep_starred()).  Feeds
 * added over the socket are left alone.  A feed that moved (301/308) is
 * found under its old URL too.  On the writer thread, with its
 * connection: the loop's only reads.
 */
static void
feedd_sync_run(struct store *store, void *arg)
{
	struct feedd_sync	*sy = arg;
	struct conf		*conf = sy->conf;
	struct store_feed_conf	  sc;
	struct store_feed	**v, *f;
	const struct conf_feed	 *cf;
	int64_t			 *keep, id;
	size_t			  n, i, nkeep = 0;
	size_t			  nadded = 0, nupdated = 0, nremoved = 0;
	int			  rc;
	char			 *cause = NULL, *opts = NULL, *old;

	keep = xcalloc(conf->nfeeds + 1, sizeof(*keep));
	/* One commit for the whole config: 10,000 feeds are one write. */
	if (store_batch_begin(store, &cause) != 0) {
		log_warnx("config: %s", cause);
		free(cause);
		cause = NULL;
	}
	for (i = 0; i < conf->nfeeds; i++) {
		cf = &conf->feeds[i];
		memset(&sc, 0, sizeof(sc));
		sc.url = cf->url;
		sc.title = cf->title;
		sc.tags = (const char *const *)cf->tags;
		sc.ntags = cf->ntags;
		sc.interval = cf->interval;
		sc.enabled = cf->enabled;
		sc.origin = STORE_ORIGIN_CONFIG;
		free(opts);
		sc.options = opts = feedopt_to_json(&cf->opts);
		if ((f = store_feed_find(store, cf->url)) == NULL) {
			if (store_feed_add(store, &sc, &id, &cause) == 0) {
				log_info("config: added %s", cf->url);
				nadded++;
			}
			/*
			 * Several nodes on one database syncing one config:
			 * another added it since (the store's INSERT ... ON
			 * CONFLICT DO NOTHING waited for its commit).  Found
			 * now, it gets this config's settings like any feed
			 * found, so the nodes neither fail nor fight.
			 */
			else if ((f = store_feed_find(store, cf->url)) ==
			    NULL) {
				log_warnx("config: %s:%u: %s", conf->path,
				    cf->line, cause);
				free(cause);
				cause = NULL;
				continue;
			}
			free(cause);
			cause = NULL;
		}
		if (f != NULL) {
			id = f->id;
			/* Disabled by a 410, or by a move onto a feed polled
			 * already, it stays so until the config changes its
			 * URL: a reload must not revive it. */
			if (!f->enabled && (f->last_status == 410 ||
			    f->last_status == 301 || f->last_status == 308))
				sc.enabled = 0;
			/* Without -v too: the config names an old URL. */
			if (strcmp(f->url, cf->url) != 0)
				log_notice("config: %s moved permanently to %s; "
				    "consider updating %s", cf->url, f->url,
				    conf->path);
			old = store_feed_options(store, id);
			if (f->origin != STORE_ORIGIN_CONFIG ||
			    (old == NULL) != (opts == NULL) ||
			    (old != NULL && strcmp(old, opts) != 0) ||
			    f->enabled != sc.enabled ||
			    f->interval != cf->interval ||
			    !feedd_tags_equal(cf, f) ||
			    (cf->title != NULL) != f->title_set ||
			    (cf->title != NULL && strcmp(cf->title,
			    f->title) != 0)) {
				if (store_feed_update(store, id, &sc,
				    &cause) != 0) {
					log_warnx("config: %s: %s", cf->url,
					    cause);
					free(cause);
					cause = NULL;
				} else {
					log_info("config: updated %s", cf->url);
					nupdated++;
				}
			}
			free(old);
			store_feed_free(f);
		}
		keep[nkeep++] = id;
	}
	sy->gone = xcalloc(1, sizeof(*sy->gone));

	/* Sorted: a walk over "keep" per stored feed was quadratic. */
	qsort(keep, nkeep, sizeof(*keep), feedd_id_cmp);
	if (store_feeds_states(store, &v, &n) == 0) {
		for (i = 0; i < n; i++) {
			if (v[i]->origin != STORE_ORIGIN_CONFIG)
				continue;
			if (bsearch(&v[i]->id, keep, nkeep, sizeof(*keep),
			    feedd_id_cmp) != NULL)
				continue;
			/* Added at run time before the config named it: it
			 * stays, with its items, as a runtime feed. */
			rc = store_feed_release(store, v[i]->id, &cause);
			if (rc == 1) {
				log_info("config: %s is no longer in %s; kept "
				    "as a feed added at run time", v[i]->url,
				    conf->path);
				continue;
			}
			if (rc != 0) {
				log_warnx("config: releasing %s: %s",
				    v[i]->url, cause);
				free(cause);
				cause = NULL;
				continue;
			}
			if (feedd_sync_keep_starred(store, v[i]->id,
			    conf->path) != 0)
				continue;
			if (store_feed_remove(store, v[i]->id, &cause) !=
			    0) {
				log_warnx("config: removing %s: %s",
				    v[i]->url, cause);
				free(cause);
				cause = NULL;
				continue;
			}
			log_info("config: removed %s (no longer in %s)",
			    v[i]->url, conf->path);
			nremoved++;
			sy->gone = xreallocarray(sy->gone, sy->ngone + 1,
			    sizeof(*sy->gone));
			sy->gone[sy->ngone++] = v[i]->id;
		}
		store_feeds_free(v, n);
	}
	if (store_batch_end(store, &cause) != 0) {
		log_warnx("config: %s", cause);
		free(cause);
		nkeep = 0;
		sy->ngone = 0;
	} else if (nadded + nupdated + nremoved > 0)
		/* Each feed's line is for -v; the change itself is news. */
		log_notice("config: %zu feed%s added, %zu updated, %zu removed "
		    "(%s)", nadded, nadded == 1 ? "" : "s", nupdated, nremoved,
		    conf->path);
	free(opts);
	sy->keep = keep;
	sy->nkeep = nkeep;
}

/*
 * Back on the loop, after the commit: the poller hears of each change.
 * A config that a later reload replaced is freed here, when the last
 * task that reads it is done.
 */
static void
feedd_sync_done(void *arg)
{
	struct feedd_sync	*sy = arg;
	struct feedd		*d = sy->d;
	size_t			 i;

	/* At start the poller reads the store itself (poller_start). */
	if (d->started != 0 && !d->stopping) {
		for (i = 0; i < sy->nkeep; i++)
			poller_feed_changed(d->poller, sy->keep[i]);
		for (i = 0; i < sy->ngone; i++) {
			poller_feed_removed(d->poller, sy->gone[i]);
			rpc_poll_done(sy->gone[i], "the feed was removed "
			    "from the configuration", &d->rpc);
		}
	}
	/* Removed feeds' items leave the search index too. */
	if (sy->ngone > 0 && d->indexer != NULL)
		indexer_kick(d->indexer);
	if (d->syncing == sy->conf)
		d->syncing = NULL;
	if (sy->conf != d->conf)
		conf_free(sy->conf);
	free(sy->keep);
	free(sy->gone);
	free(sy);
}

static void
feedd_sync_feeds(struct feedd *d)
{
	struct feedd_sync	*sy = xcalloc(1, sizeof(*sy));

	sy->d = d;
	sy->conf = d->syncing = d->conf;
	writer_task(d->writer, feedd_sync_run, feedd_sync_done, sy);
}

static void	feedd_status_line(struct feedd *, char *, size_t);
static void	feedd_retention_cb(evutil_socket_t, short, void *);

/* SIGHUP: a config that does not load leaves the running one in force. */
static void
feedd_reload(struct feedd *d)
{
	struct fetch_opts	 fo;
	struct sched_opts	 so;
	struct conf		*c;
	char			*cause = NULL, *shown, line[256];

	sdnotify_reloading();
	if ((c = conf_load(d->conf_path, &cause)) == NULL) {
		log_warnx("reload: %s; keeping the running configuration",
		    cause);
		rpc_reloaded(&d->rpc, cause);
		free(cause);
		sdnotify_status("reload failed; running on the old "
		    "configuration");
		sdnotify_ready("running");
		return;
	}
	/*
	 * The running paths stay in the configuration kept, so the next
	 * reload compares with what is in use (it took the refused ones,
	 * and then claimed they were in use).
	 */
	if (strcmp(c->database, d->conf->database) != 0) {
		shown = store_display_name(d->conf->database);
		log_warnx("reload: database changes need a restart; still "
		    "using %s", shown);
		free(shown);
		free(c->database);
		c->database = xstrdup(d->conf->database);
	}
	if (strcmp(c->socket, d->conf->socket) != 0) {
		log_warnx("reload: socket changes need a restart; still "
		    "listening on %s", d->conf->socket);
		free(c->socket);
		c->socket = xstrdup(d->conf->socket);
	}
	rpc_reloaded(&d->rpc, NULL);
	feedd_check_programs(c);
	notify_set_conf(d->notify, c);
	rules_set_conf(d->rules, c);
	/* A sync under way still reads the old one: it frees it. */
	if (d->syncing != d->conf)
		conf_free(d->conf);
	d->conf = c;
	d->rpc.conf = c;
	feedd_fetch_opts(c, &fo);
	feedd_sched_opts(c, &so);
	poller_set_opts(d->poller, &fo, &so);
	feedd_sync_feeds(d);
	log_notice("reload: %s loaded (%zu feed%s)", c->path, c->nfeeds,
	    c->nfeeds == 1 ? "" : "s");
	/* A retention setting changed takes effect now, not within the
	 * hour; the pass is a no-op for a store within its limits. */
	feedd_retention_cb(-1, 0, d);
	feedd_status_line(d, line, sizeof(line));
	sdnotify_ready(line);
}

/*
 * A poll committed new items: watchers and notifiers hear of them.  New
 * or changed, the search index takes them in.
 */
static void
feedd_announce_cb(int64_t feed_id, const int64_t *ids, size_t n, void *arg)
{
	struct feedd	*d = arg;

	if (n > 0) {
		rpc_announce(feed_id, ids, n, &d->rpc);
		notify_kick(d->notify);
	}
	indexer_kick(d->indexer);
}

static void
feedd_signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct feedd	*d = arg;

	switch (sig) {
	case SIGHUP:
		feedd_reload(d);
		break;
	case SIGTERM:
	case SIGINT:
		/* Transfers are aborted; what was committed stays. */
		log_notice("feedd: signal %d: stopping", (int)sig);
		sdnotify_stopping();
		poller_stop(d->poller);
		notify_stop(d->notify);
		http_abort(d->http);
		event_base_loopbreak(d->base);
		break;
	}
}

static void
feedd_status_line(struct feedd *d, char *buf, size_t len)
{
	struct poller_stats	st;

	poller_get_stats(d->poller, &st);
	/* Every feed polled, the config's and those added at run time. */
	snprintf(buf, len, "%zu feed%s scheduled; %zu polling; %" PRIu64
	    " poll%s, %" PRIu64 " error%s, %" PRIu64 " new item%s since start",
	    st.scheduled, st.scheduled == 1 ? "" : "s",
	    poller_in_flight(d->poller), st.polls, st.polls == 1 ? "" : "s",
	    st.errors, st.errors == 1 ? "" : "s", st.new_items,
	    st.new_items == 1 ? "" : "s");
}

static void
feedd_status_cb(evutil_socket_t fd, short what, void *arg)
{
	struct feedd	*d = arg;
	char		 line[256];

	feedd_status_line(d, line, sizeof(line));
	sdnotify_status("%s", line);
}

static void
feedd_ready_cb(evutil_socket_t fd, short what, void *arg)
{
	struct feedd	*d = arg;
	char		 line[256], *shown;

	feedd_status_line(d, line, sizeof(line));
	sdnotify_ready(line);
	shown = store_display_name(d->conf->database);
	log_notice("feedd %s: running (config %s, database %s, socket %s)",
	    FEEDD_VERSION, d->conf->path, shown, d->conf->socket);
	free(shown);
}

static void
feedd_watchdog_cb(evutil_socket_t fd, short what, void *arg)
{
	sdnotify_watchdog();
}

/*
 * Retention runs on the writer a step at a time (a short transaction
 * each): a poll's commit waits for one step at most, and the loop never
 * waits for the write lock.
 */
static void
feedd_retention_run(struct store *s, void *arg)
{
	struct feedd	*d = arg;
	char		*cause = NULL;

	if (store_retention_step(s, &d->retention, STORE_RETENTION_CHUNK,
	    &cause) != 0) {
		log_warnx("retention: %s", cause);
		free(cause);
		d->retention.done = 1;		/* the next pass tries again */
	}
}

/* On the loop: the next step, or the pass is over. */
static void
feedd_retention_done(void *arg)
{
	struct feedd	*d = arg;

	if (!d->retention.done && !d->stopping) {
		writer_task(d->writer, feedd_retention_run,
		    feedd_retention_done, d);
		return;
	}
	d->retaining = 0;
	if (d->retention.removed > 0) {
		log_notice("retention: %zu items removed", d->retention.removed);
		if (d->indexer != NULL)
			indexer_kick(d->indexer);
	}
}

static void
feedd_retention_cb(evutil_socket_t fd, short what, void *arg)
{
	struct feedd	*d = arg;

	if ((d->conf->retention_age < 0 && d->conf->retention_items < 0) ||
	    d->retaining)
		return;
	memset(&d->retention, 0, sizeof(d->retention));
	d->retention.max_age = d->conf->retention_age;
	d->retention.max_items = d->conf->retention_items;
	d->retention.now = (int64_t)time(NULL);
	d->retaining = 1;
	writer_task(d->writer, feedd_retention_run,
	    feedd_retention_done, d);
}

/*
 * The node's row in a database several nodes share, refreshed on the
 * writer like retention, so the loop never waits on the server for it.
 * The id is the loop's store's; the claimer claims feeds and outbox
 * rows in its name, so the leases "status" counts are the node's.
 */
static void
feedd_beat_run(struct store *s, void *arg)
{
	struct feedd	*d = arg;
	char		*cause = NULL;

	if (store_node_beat(s, store_node_id(d->store), FEEDD_VERSION,
	    (int64_t)d->started, (int64_t)time(NULL), &cause) != 0) {
		log_warnx("heartbeat: %s", cause);
		free(cause);
	}
}

/* The claimer's first task: top -H and ps -L tell it from the writer. */
static void
feedd_claimer_name(struct store *s, void *arg)
{
	pthread_setname_np(pthread_self(), "feedd-claimer");
}

/* The node leaves the database's list: the writer's last task. */
static void
feedd_leave_run(struct store *s, void *arg)
{
	struct feedd	*d = arg;
	char		*cause = NULL;

	if (store_node_leave(s, store_node_id(d->store), &cause) != 0) {
		log_warnx("feedd: %s", cause);
		free(cause);
	}
}

static void
feedd_beat_done(void *arg)
{
	struct feedd	*d = arg;

	d->beating = 0;
}

static void
feedd_beat_cb(evutil_socket_t fd, short what, void *arg)
{
	struct feedd	*d = arg;

	/* A writer still busy with the last beat is not queued another. */
	if (d->beating || d->stopping || store_node_id(d->store) == NULL)
		return;
	d->beating = 1;
	writer_task(d->writer, feedd_beat_run, feedd_beat_done, d);
}

/* The database's folder is made if missing (a first run, the demo). */
static int
feedd_make_dirs(const char *path)
{
	char	*copy, *dir;
	int	 rc = 0;

	if (conf_database_is_pg(path))
		return (0);	/* a server's, not a folder */
	copy = xstrdup(path);
	dir = dirname(copy);
	if (mkdir(dir, 0750) == -1 && errno != EEXIST) {
		log_err("feedd: %s", dir);
		rc = -1;
	}
	free(copy);
	return (rc);
}

static struct event *
feedd_timer(struct feedd *d, event_callback_fn cb, int64_t every_usec)
{
	struct event	*ev;
	struct timeval	 tv;

	ev = event_new(d->base, -1, EV_PERSIST, cb, d);
	tv.tv_sec = (time_t)(every_usec / 1000000);
	tv.tv_usec = (suseconds_t)(every_usec % 1000000);
	event_add(ev, &tv);
	return (ev);
}

static void
feedd_event_log_cb(int severity, const char *msg)
{
	if (severity >= EVENT_LOG_WARN)
		log_warnx("libevent: %s", msg);
	else
		log_debug("libevent: %s", msg);
}

/*
 * The soft limit on open files goes up to the hard one (at most
 * FEEDD_NOFILE_MAX): each json notifier may have 64 requests under way,
 * beside max_parallel feeds and the socket's clients, and nothing here
 * uses select(), the reason for the usual 1024.
 */
#define FEEDD_NOFILE_MAX	65536

static void
feedd_raise_nofile(void)
{
	struct rlimit	rl;
	rlim_t		want;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	want = rl.rlim_max < FEEDD_NOFILE_MAX ? rl.rlim_max : FEEDD_NOFILE_MAX;
	if (rl.rlim_cur >= want)
		return;
	rl.rlim_cur = want;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		log_warn("feedd: raising the open files limit");
	else
		log_debug("feedd: open files limit %llu",
		    (unsigned long long)want);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct feedd		 d;
	struct fetch_opts	 fo;
	struct sched_opts	 so;
	struct server_opts	 sv;
	struct timeval		 now0 = { 0, 0 };
	uint64_t		 wd;
	char			*cause = NULL;
	int			 ch, verbose = 0, check = 0, db_lock = -1;

	memset(&d, 0, sizeof(d));
	while ((ch = getopt_long(argc, argv, "c:hnvV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			d.conf_path = optarg;
			break;
		case 'n':
			check = 1;
			break;
		case 'v':
			verbose++;
			break;
		case 'h':
			usage(stdout);
			return (0);
		case 'V':
			printf("feedd %s\n", FEEDD_VERSION);
			return (0);
		default:
			usage(stderr);
			return (2);
		}
	}
	if (optind != argc) {
		usage(stderr);
		return (2);
	}
	if (d.conf_path == NULL)
		d.conf_path = getenv("FEEDD_CONFIG");
	if (d.conf_path == NULL || *d.conf_path == '\0')
		d.conf_path = FEEDD_CONFIG_DEFAULT;
	/* --check-config answers a person (and an editor that jumps to
	 * FILE:LINE), not journald. */
	log_init(check ? NULL : "feedd", verbose);
	if (check)
		log_set_prefix(0);

	if ((d.conf = conf_load(d.conf_path, &cause)) == NULL) {
		log_errx("%s", cause);
		free(cause);
		return (1);
	}
	memset(&sv, 0, sizeof(sv));
	sv.path = d.conf->socket;
	sv.mode = d.conf->socket_mode;
	sv.group = d.conf->socket_group;
	/*
	 * Before the database is made: the config's error, not a start's,
	 * so with its line as every config error has (the socket_group is
	 * all server_check() looks at).
	 */
	if (server_check(&sv, &cause) != 0) {
		log_errx("%s:%u: %s", d.conf->path, d.conf->socket_group_line,
		    cause);
		free(cause);
		conf_free(d.conf);
		return (1);
	}
	feedd_check_programs(d.conf);
	if (check) {
		/* A PostgreSQL database is tried: reachable, ours, current. */
		if (store_check(d.conf->database, &cause) != 0) {
			log_errx("%s: %s", d.conf->path, cause);
			free(cause);
			conf_free(d.conf);
			return (1);
		}
		printf("%s: ok (%zu feed%s, %zu notifier%s)\n", d.conf->path,
		    d.conf->nfeeds, d.conf->nfeeds == 1 ? "" : "s",
		    d.conf->nnotifiers, d.conf->nnotifiers == 1 ? "" : "s");
		conf_free(d.conf);
		return (0);
	}

	signal(SIGPIPE, SIG_IGN);
	feedd_raise_nofile();
	event_set_log_callback(feedd_event_log_cb);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatalx("feedd: curl_global_init failed");
	if (feedd_make_dirs(d.conf->database) != 0)
		return (1);
	/* Before the database is made: a start that cannot bind makes none
	 * (the socket's folder may be the database's, made just above). */
	if (server_check_path(&sv, &cause) != 0) {
		log_errx("feedd: %s", cause);
		free(cause);
		conf_free(d.conf);
		curl_global_cleanup();
		return (1);
	}
	/* Before the store is opened: a second daemon migrates nothing. */
	if (store_lock(d.conf->database, &db_lock, &cause) != 0) {
		log_errx("feedd: %s", cause);
		free(cause);
		conf_free(d.conf);
		curl_global_cleanup();
		return (1);
	}
	if ((d.store = store_open(d.conf->database, &cause)) == NULL) {
		log_errx("feedd: %s", cause);
		free(cause);
		conf_free(d.conf);
		curl_global_cleanup();
		return (1);
	}

	d.base = loop_new();
	feedd_fetch_opts(d.conf, &fo);
	feedd_sched_opts(d.conf, &so);
	/*
	 * The writer thread and the HTTP engine are main()'s: the poller,
	 * the notifiers and the socket's methods are each handed them.
	 */
	if ((d.writer = writer_new(d.base, d.conf->database, NULL, NULL,
	    &cause)) == NULL) {
		log_errx("feedd: %s", cause);
		free(cause);
		return (1);
	}
	d.http = http_new(d.base);
	d.fetcher = fetch_new(d.base, d.http, &fo, NULL, NULL);
	if ((d.poller = poller_new(d.base, d.store, d.writer, d.fetcher, &so,
	    &cause)) == NULL) {
		log_errx("feedd: %s", cause);
		free(cause);
		return (1);
	}
	/*
	 * Nodes sharing a database claim a due feed before they poll it, a
	 * write and a round trip: on a connection and thread of their own,
	 * in the node's name, so the loop goes on meanwhile.  Every other
	 * connection is the node's too, not another node.
	 */
	if (store_node_id(d.store) != NULL) {
		store_set_node_id(writer_store(d.writer),
		    store_node_id(d.store));
		if ((d.claimer = writer_new(d.base, d.conf->database, NULL,
		    NULL, &cause)) == NULL) {
			log_errx("feedd: %s", cause);
			free(cause);
			return (1);
		}
		store_set_node_id(writer_store(d.claimer),
		    store_node_id(d.store));
		writer_task(d.claimer, feedd_claimer_name, NULL, NULL);
		poller_set_claimer(d.poller, d.claimer);
	}
	/*
	 * From here the loop's connection only reads: every write is a
	 * writer task, and one that creeps back fails at once.  The config
	 * goes into the store first, before the loop runs.
	 */
	if (store_set_readonly(d.store, &cause) != 0) {
		log_errx("feedd: %s", cause);
		free(cause);
		return (1);
	}
	feedd_sync_feeds(&d);
	writer_wait(d.writer);
	if ((d.indexer = indexer_new(d.base, d.conf->database,
	    store_node_id(d.store), &cause)) == NULL) {
		log_errx("feedd: %s", cause);
		free(cause);
		return (1);
	}
	/* The router runs where polls commit: on the writer's connection. */
	d.notify = notify_new(d.base, d.store, d.http, d.writer);
	notify_set_claimer(d.notify, d.claimer);
	store_set_router(writer_store(d.writer), notify_route, d.notify);
	notify_set_conf(d.notify, d.conf);
	/* The rules too: they decide before an item is stored. */
	d.rules = rules_new();
	rules_set_conf(d.rules, d.conf);
	store_set_filter(writer_store(d.writer), rules_filter, d.rules);
	rpc_init(&d.rpc);
	d.rpc.rules = d.rules;
	d.rpc.base = d.base;
	d.rpc.store = d.store;
	d.rpc.writer = d.writer;
	d.rpc.poller = d.poller;
	d.rpc.notify = d.notify;
	d.rpc.indexer = d.indexer;
	poller_set_announce(d.poller, feedd_announce_cb, &d);
	poller_set_done(d.poller, rpc_poll_done, &d.rpc);
	d.rpc.conf = d.conf;
	d.rpc.started = time(NULL);
	if ((d.server = server_new(d.base, &sv, rpc_request, &d.rpc,
	    &cause)) == NULL) {
		log_errx("feedd: %s", cause);
		free(cause);
		notify_free(d.notify);
		indexer_free(d.indexer);
		poller_free(d.poller);
		writer_free(d.claimer);
		writer_free(d.writer);
		fetch_free(d.fetcher);
		http_free(d.http);
		rules_free(d.rules);
		store_close(d.store);
		event_base_free(d.base);
		conf_free(d.conf);
		curl_global_cleanup();
		return (1);
	}
	server_set_gone(d.server, rpc_conn_gone, &d.rpc);
	/*
	 * The other nodes on the database: watchers hear of the items
	 * they store, the poller of the host slots their polls free.
	 */
	d.peers = peers_new(d.base, d.conf->database);
	peers_on_items(d.peers, rpc_watch_heard, &d.rpc);
	peers_on_hosts(d.peers, poller_hosts_freed, d.poller);
	peers_on_feeds(d.peers, poller_feeds_heard, d.poller);
	if (poller_start(d.poller) != 0)
		log_warnx("feedd: cannot read the feeds to schedule");

	d.sig_hup = evsignal_new(d.base, SIGHUP, feedd_signal_cb, &d);
	d.sig_term = evsignal_new(d.base, SIGTERM, feedd_signal_cb, &d);
	d.sig_int = evsignal_new(d.base, SIGINT, feedd_signal_cb, &d);
	event_add(d.sig_hup, NULL);
	event_add(d.sig_term, NULL);
	event_add(d.sig_int, NULL);
	event_base_once(d.base, -1, EV_TIMEOUT, feedd_ready_cb, &d, &now0);
	d.status_ev = feedd_timer(&d, feedd_status_cb,
	    FEEDD_STATUS_EVERY * 1000000LL);
	d.retention_ev = feedd_timer(&d, feedd_retention_cb,
	    FEEDD_RETENTION_EVERY * 1000000LL);
	if ((wd = sdnotify_watchdog_usec()) != 0)
		d.watchdog_ev = feedd_timer(&d, feedd_watchdog_cb,
		    (int64_t)wd / 2);
	d.started = time(NULL);
	feedd_retention_cb(-1, 0, &d);
	d.beat_ev = feedd_timer(&d, feedd_beat_cb,
	    STORE_NODE_BEAT * 1000000LL);
	feedd_beat_cb(-1, 0, &d);

	event_base_dispatch(d.base);
	d.stopping = 1;
	poller_settle(d.poller);
	rpc_poll_abort(&d.rpc);

	/* Stop order: clients, deliveries, transfers, timers, the store,
	 * the loop. */
	server_free(d.server);
	peers_free(d.peers);
	rpc_clear(&d.rpc);
	notify_free(d.notify);
	indexer_free(d.indexer);
	poller_free(d.poller);
	writer_free(d.claimer);
	/* After every beat queued (none is queued once stopping): no beat
	 * can bring the row back. */
	if (store_node_id(d.store) != NULL)
		writer_task(d.writer, feedd_leave_run, NULL, &d);
	writer_free(d.writer);
	fetch_free(d.fetcher);
	http_free(d.http);
	rules_free(d.rules);
	event_free(d.beat_ev);
	if (d.watchdog_ev != NULL)
		event_free(d.watchdog_ev);
	event_free(d.retention_ev);
	event_free(d.status_ev);
	event_free(d.sig_hup);
	event_free(d.sig_term);
	event_free(d.sig_int);
	store_close(d.store);
	if (db_lock != -1)
		close(db_lock);
	event_base_free(d.base);
	conf_free(d.conf);
	curl_global_cleanup();
	log_notice("feedd: stopped");
	return (0);
}
