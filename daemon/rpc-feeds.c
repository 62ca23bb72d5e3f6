/*
 * rpc-feeds.c: the feeds.* methods: list, add (through subscribe.c's
 * check), edit, remove, poll (with "wait": answered when every feed
 * asked for was polled) and explain.
 */
#include <sys/stat.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "conf.h"
#include "feedopt.h"
#include "item.h"
#include "indexer.h"
#include "json.h"
#include "poller.h"
#include "rpc-int.h"
#include "rpc.h"
#include "rules.h"
#include "server.h"
#include "store-json.h"
#include "store.h"
#include "subscribe.h"
#include "url.h"
#include "xmalloc.h"

static json_t	*rpc_feed_json(struct rpc *, const struct store_feed *);

int
rpc_feeds_list(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct store_feed	**v;
	const char		 *tag = NULL;
	json_t			 *a;
	size_t			  n, i;

	if (rpc_str(params, "tag", &tag) < 0)
		return (rpc_bad(message, "%s must be a string", "tag"));
	if (store_feeds_list(r->store, tag, &v, &n) != 0)
		return (rpc_store_failed(r, "cannot list feeds", message));
	if (tag != NULL && n == 0) {
		store_feeds_free(v, n);
		return (rpc_bad(message, "no feed has tag \"%s\"", tag));
	}
	a = json_array();
	for (i = 0; i < n; i++) {
		poller_feed_overlay(r->poller, v[i]);
		json_array_append_new(a, rpc_feed_json(r, v[i]));
	}
	store_feeds_free(v, n);
	*result = json_pack("{s:o}", "feeds", a);
	return (0);
}

/*
 * A feed's own interval, "interval" of the request: seconds or a
 * duration ("15m"), and for "edit" also "default" (-1: the schedule's).
 * It must lie within min_interval and max_interval, as in a [feed]
 * section, rather than be clamped unsaid.  0 when absent or good
 * ("*interval" set when given); -1 with "*message" set.
 */
static int
rpc_interval(struct rpc *r, json_t *params, int edit, int64_t *interval,
    char **message)
{
	json_t		*j = json_object_get(params, "interval");
	char		 a[32], b[32];

	if (edit && json_is_string(j) && strcmp(json_string_value(j),
	    "default") == 0) {
		*interval = -1;
		return (0);
	}
	if (json_is_string(j)) {
		if (conf_parse_duration(json_string_value(j), interval) != 0) {
			xasprintf(message, "%s: want a duration like 15m%s",
			    "interval", edit ? ", or default" : "");
			return (-1);
		}
	} else if (rpc_int(params, "interval", interval, 1) < 0) {
		xasprintf(message, "%s: want seconds or a duration",
		    "interval");
		return (-1);
	} else if (j == NULL || json_is_null(j))
		return (0);
	if (*interval < r->conf->min_interval) {
		xasprintf(message, "interval %s is less than min_interval %s",
		    conf_duration_str(*interval, a, sizeof(a)),
		    conf_duration_str(r->conf->min_interval, b, sizeof(b)));
		return (-1);
	}
	if (*interval > r->conf->max_interval) {
		xasprintf(message, "interval %s is greater than max_interval "
		    "%s", conf_duration_str(*interval, a, sizeof(a)),
		    conf_duration_str(r->conf->max_interval, b, sizeof(b)));
		return (-1);
	}
	return (0);
}

/*
 * A feed's settings: "options" of the request (an object of feedopt.h's
 * keys; null unsets one) over "stored", the feed's (NULL: none).  A URL's
 * user name and password move into them, "*url" made clean.  "*out" is
 * what to store (NULL: nothing set).
 */
static int
rpc_options(struct rpc *r, json_t *params, const char *stored, char **url,
    char **out, char **message)
{
	struct feedopt	 o;
	struct stat	 sb;
	json_t		*j = json_object_get(params, "options"), *v;
	const char	*key;
	char		*clean, *cause = NULL;
	uid_t		 uid;

	*out = NULL;
	if (j != NULL && !json_is_null(j) && !json_is_object(j)) {
		xasprintf(message, "%s: want an object of feed settings",
		    "options");
		return (-1);
	}
	if (feedopt_from_json(stored, &o, &cause) != 0) {
		free(cause);
		feedopt_init(&o);
	}
	json_object_foreach(j, key, v) {
		if (feedopt_set_json(&o, key, v, &cause) != 0) {
			xasprintf(message, "options: %s", cause);
			free(cause);
			feedopt_clear(&o);
			return (-1);
		}
	}
	/*
	 * The daemon reads it and sends it to the feed's host: a client
	 * names only a file of its own, not one of the daemon's.
	 */
	if (o.password_file != NULL && json_object_get(j, "password_file") !=
	    NULL && r->conn != NULL && (uid = server_conn_uid(r->conn)) != 0 &&
	    (stat(o.password_file, &sb) != 0 || sb.st_uid != uid)) {
		xasprintf(message, "options: password_file %s: not a file of "
		    "yours", o.password_file);
		feedopt_clear(&o);
		return (-1);
	}
	if (url != NULL && *url != NULL) {
		clean = feedopt_take_userinfo(&o, *url);
		free(*url);
		*url = clean;
	}
	*out = feedopt_to_json(&o);
	feedopt_clear(&o);
	return (0);
}

/* A feed as clients see it: its record and its settings, masked. */
static json_t *
rpc_feed_json(struct rpc *r, const struct store_feed *f)
{
	json_t	*j = store_json_feed(f);
	char	*o = store_feed_options(r->store, f->id);

	json_object_set_new(j, "options", feedopt_public_json(o));
	free(o);
	return (j);
}

/*
 * The file config feed "f" comes from, for a refusal: this node's when
 * it lists the feed (by its URL or an old one, as stored), else another
 * node's (several nodes on one PostgreSQL database, configs differing).
 */
static char *
rpc_feed_source(struct rpc *r, const struct store_feed *f)
{
	const char	*why;
	char		*norm, *where = NULL;
	size_t		 i, k;

	for (i = 0; i < r->conf->nfeeds && where == NULL; i++) {
		if ((norm = url_feed(r->conf->feeds[i].url, &why)) == NULL)
			norm = xstrdup(r->conf->feeds[i].url);
		if (strcmp(norm, f->url) == 0)
			where = xstrdup(r->conf->path);
		for (k = 0; k < f->nold_urls && where == NULL; k++)
			if (strcmp(norm, f->old_urls[k]) == 0)
				where = xstrdup(r->conf->path);
		free(norm);
	}
	if (where == NULL)
		xasprintf(&where, "another node's configuration file (it is "
		    "not in this node's, %s)", r->conf->path);
	return (where);
}

/* feeds.add's check and add are done (subscribe.c). */
static void
rpc_feeds_add_done(json_t *result, const char *error, void *arg)
{
	rpc_write_finish(arg, result, error);
}

int
rpc_feeds_add(struct rpc *r, json_t *params, json_t **result, char **message)
{
	struct subscribe_req	 sr;
	struct rpc_write	*w;
	const char		*url = NULL, *title = NULL, *why;
	char			**tags, *clean = NULL, *options = NULL, *norm;
	size_t			 ntags;
	int64_t			 interval = -1, pick = 0;
	int			 no_check = 0;

	if (rpc_str(params, "url", &url) != 1)
		return (rpc_bad(message, "%s (a string) is required", "url"));
	if (strncasecmp(url, "http://", 7) != 0 &&
	    strncasecmp(url, "https://", 8) != 0)
		return (rpc_bad(message, "%s must be http:// or https:// "
		    "(file: feeds belong in the config file)", "url"));
	if ((norm = url_feed(url, &why)) == NULL)
		return (rpc_bad(message, "%s: %s", "url", why));
	free(norm);	/* store_feed_add() stores this form */
	if (rpc_str(params, "title", &title) < 0)
		return (rpc_bad(message, "%s must be a string", "title"));
	if (rpc_bool(params, "no_check", &no_check) < 0)
		return (rpc_bad(message, "%s must be true or false",
		    "no_check"));
	if (rpc_int(params, "pick", &pick, 1) < 0)
		return (rpc_bad(message, "%s: want a number from 1", "pick"));
	/* It chooses among the feeds the check finds: never ignored. */
	if (pick > 0 && no_check)
		return (rpc_bad(message, "%s needs the check: not with "
		    "no_check", "pick"));
	if (rpc_interval(r, params, 0, &interval, message) != 0)
		return (RPC_INVALID_PARAMS);
	clean = xstrdup(url);
	if (rpc_options(r, params, NULL, &clean, &options, message) != 0) {
		free(clean);
		return (RPC_INVALID_PARAMS);
	}
	if (rpc_tags(params, &tags, &ntags) != 0) {
		rpc_tags_free(tags, ntags);
		free(clean);
		free(options);
		return (rpc_bad(message, "%s: want a list of strings", "tags"));
	}
	memset(&sr, 0, sizeof(sr));
	sr.url = clean;
	sr.options = options;
	sr.title = title;
	sr.tags = (const char *const *)tags;
	sr.ntags = ntags;
	sr.interval = interval;
	sr.check = !no_check;
	sr.pick = pick;
	w = rpc_write_new(r, params);
	TAILQ_INSERT_TAIL(&r->writes, w, entry);
	/* The answer may come at once (already subscribed). */
	subscribe_start(r->store, r->writer, r->poller, &sr,
	    rpc_feeds_add_done, w);
	rpc_tags_free(tags, ntags);
	free(clean);
	free(options);
	return (RPC_DEFERRED);
}

/* Tags in "key" (like rpc_tags) added to or taken from v[0..*n). */
static int
rpc_tags_apply(json_t *params, const char *key, int add, char ***v,
    size_t *n)
{
	json_t	*sub;
	char	**t;
	size_t	  nt, i, k;

	sub = json_pack("{s:O?}", "tags", json_object_get(params, key));
	i = rpc_tags(sub, &t, &nt);
	json_decref(sub);
	if (i != 0) {
		rpc_tags_free(t, nt);
		return (-1);
	}
	for (i = 0; i < nt; i++) {
		for (k = 0; k < *n; k++)
			if (strcmp((*v)[k], t[i]) == 0)
				break;
		if (add && k == *n) {
			*v = xreallocarray(*v, *n + 2, sizeof(**v));
			(*v)[(*n)++] = xstrdup(t[i]);
			(*v)[*n] = NULL;
		} else if (!add && k < *n) {
			free((*v)[k]);
			memmove(&(*v)[k], &(*v)[k + 1], (*n - k) * sizeof(**v));
			(*n)--;
		}
	}
	rpc_tags_free(t, nt);
	return (0);
}

static int
rpc_feeds_edit_run(struct store *s, struct rpc_write *w, char **cause)
{
	return (store_feed_edit(s, w->feed_id, &w->sc, w->url, w->revive,
	    cause));
}

/* Committed: the poller hears of it, the client gets the feed as is. */
static int
rpc_feeds_edit_done(struct rpc_write *w, json_t **result, char **message)
{
	struct rpc		*r = w->rpc;
	struct store_feed	*f;

	poller_feed_changed(r->poller, w->feed_id);
	if (w->url != NULL && w->sc.enabled)
		poller_poll_now(r->poller, w->feed_id, DATE_NONE, 1);
	if ((f = store_feed_get(r->store, w->feed_id)) == NULL)
		return (rpc_failed(message, xstrdup("feed vanished")));
	*result = rpc_feed_json(r, f);
	store_feed_free(f);
	return (0);
}

/*
 * feeds.edit: a runtime feed's title, tags, interval, URL, paused or
 * not; "paused": false also revives a feed that a 410 disabled.  A feed
 * of the config is changed in the config.
 */
int
rpc_feeds_edit(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct store_feed_conf	 sc;
	struct store_feed	*f;
	struct rpc_write	*w;
	json_t			*j;
	const char		*s;
	char			**tags = NULL, *title = NULL, *url = NULL;
	char			*stored, *options = NULL, *where;
	size_t			 ntags = 0, i;
	int64_t			 interval;
	int			 paused = -1, rc = RPC_INVALID_PARAMS;

	if ((f = rpc_feed(r, json_object_get(params, "feed"))) == NULL)
		return (rpc_no_feed(r, json_object_get(params, "feed"),
		    message));
	if (f->origin == STORE_ORIGIN_CONFIG) {
		where = rpc_feed_source(r, f);
		xasprintf(message, "feed %" PRId64 " (%s) comes from %s; "
		    "change it there and reload", f->id, f->url, where);
		free(where);
		store_feed_free(f);
		return (RPC_FAILED);
	}
	interval = f->interval;
	j = json_object_get(params, "title");
	if (j != NULL && !json_is_null(j) && !json_is_string(j)) {
		xasprintf(message, "%s must be a string (\"\": the feed's "
		    "own)", "title");
		goto out;
	}
	if (json_is_string(j))
		title = json_string_length(j) > 0 ?
		    xstrdup(json_string_value(j)) : NULL;
	else if (f->title_set)
		title = xstrdup(f->title);
	if (json_object_get(params, "tags") != NULL) {
		if (rpc_tags(params, &tags, &ntags) != 0) {
			xasprintf(message, "%s: want a list of strings",
			    "tags");
			goto out;
		}
	} else {
		tags = xcalloc(f->ntags + 1, sizeof(*tags));
		for (i = 0; i < f->ntags; i++)
			tags[ntags++] = xstrdup(f->tags[i]);
	}
	if (rpc_tags_apply(params, "add_tags", 1, &tags, &ntags) != 0 ||
	    rpc_tags_apply(params, "remove_tags", 0, &tags, &ntags) != 0) {
		xasprintf(message, "%s: want a list of strings",
		    "add_tags/remove_tags");
		goto out;
	}
	if (rpc_interval(r, params, 1, &interval, message) != 0)
		goto out;
	if (rpc_bool(params, "paused", &paused) < 0) {
		xasprintf(message, "%s must be true or false", "paused");
		goto out;
	}
	if ((i = (size_t)rpc_str(params, "url", &s)) == (size_t)-1 ||
	    (i == 1 && (url = url_normalize(NULL, s, 0)) == NULL)) {
		xasprintf(message, "%s: want an absolute http:// or https:// "
		    "URL", "url");
		goto out;
	}
	stored = store_feed_options(r->store, f->id);
	i = (size_t)rpc_options(r, params, stored, &url, &options,
	    message);
	free(stored);
	if (i != 0)
		goto out;
	memset(&sc, 0, sizeof(sc));
	sc.url = f->url;
	sc.title = title;
	sc.tags = (const char *const *)tags;
	sc.ntags = ntags;
	sc.interval = interval;
	sc.enabled = paused == -1 ? f->enabled : !paused;
	sc.origin = f->origin;
	sc.options = options;
	/* The request owns what "sc" points to from here. */
	w = rpc_write_new(r, params);
	w->feed_id = f->id;
	w->revive = paused == 0;
	w->sc = sc;
	w->sc.url = w->feed_url = xstrdup(f->url);
	w->title = title;
	w->tags = tags;
	w->ntags = ntags;
	w->options = options;
	w->url = url;
	tags = NULL;
	ntags = 0;
	title = url = options = NULL;
	rc = rpc_write_submit(w, rpc_feeds_edit_run, rpc_feeds_edit_done);
out:
	store_feed_free(f);
	rpc_tags_free(tags, ntags);
	free(title);
	free(url);
	free(options);
	return (rc);
}

static int
rpc_feeds_remove_run(struct store *s, struct rpc_write *w, char **cause)
{
	return (store_feed_remove(s, w->feed_id, cause));
}

static int
rpc_feeds_remove_done(struct rpc_write *w, json_t **result, char **message)
{
	struct rpc	*r = w->rpc;

	poller_feed_removed(r->poller, w->feed_id);
	/* A poll of it about to start never will: waits hear it now. */
	rpc_poll_done(w->feed_id, "the feed was removed", r);
	/* Its items leave the search index too. */
	if (r->indexer != NULL)
		indexer_kick(r->indexer);
	*result = json_pack("{s:I}", "removed", (json_int_t)w->feed_id);
	return (0);
}

int
rpc_feeds_remove(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct store_feed	*f;
	struct rpc_write	*w;
	char			*where;

	if ((f = rpc_feed(r, json_object_get(params, "feed"))) == NULL)
		return (rpc_no_feed(r, json_object_get(params, "feed"),
		    message));
	if (f->origin == STORE_ORIGIN_CONFIG) {
		where = rpc_feed_source(r, f);
		xasprintf(message, "%s comes from %s; remove it there and "
		    "reload", f->url, where);
		free(where);
		store_feed_free(f);
		return (RPC_FAILED);
	}
	w = rpc_write_new(r, params);
	w->feed_id = f->id;
	store_feed_free(f);
	return (rpc_write_submit(w, rpc_feeds_remove_run,
	    rpc_feeds_remove_done));
}

/*
 * feeds.poll with "wait": the answer comes when every feed asked for has
 * been polled, with a "progress" notification after each, and lists each
 * feed's outcome.
 */
static void
rpc_wait_finish(struct rpc_write *w)
{
	rpc_write_finish(w, json_pack("{s:I, s:I, s:I, s:o, s:I, s:O}",
	    "polled", (json_int_t)w->total, "errors", (json_int_t)w->errors,
	    "held", (json_int_t)w->held, "held_until", w->held > 0 ?
	    json_date(w->held_until) : json_null(), "elsewhere",
	    (json_int_t)w->elsewhere, "feeds", w->outcomes), NULL);
}

/* poller's done callback: one feed's poll is over (committed or not). */
void
rpc_poll_done(int64_t feed_id, const char *error, void *arg)
{
	struct rpc		*r = arg;
	struct rpc_write	*w, *next;
	size_t			 i;
	/*
	 * Another node's poll of it was under way: not a failure (nodes
	 * share the feeds), though it may be stored after this answer.
	 */
	int			 elsewhere = error != NULL &&
			    strcmp(error, POLLER_POLLED_ELSEWHERE) == 0;

	for (w = TAILQ_FIRST(&r->writes); w != NULL; w = next) {
		next = TAILQ_NEXT(w, entry);
		if (w->outcomes == NULL)
			continue;	/* not a feeds.poll wait */
		for (i = 0; i < w->npolls; i++)
			if (w->polls[i] == feed_id)
				break;
		if (i == w->npolls)
			continue;
		w->polls[i] = w->polls[--w->npolls];
		if (elsewhere) {
			w->elsewhere++;
			json_array_append_new(w->outcomes, json_pack("{s:I, "
			    "s:n, s:b}", "feed", (json_int_t)feed_id, "error",
			    "elsewhere", 1));
		} else {
			if (error != NULL)
				w->errors++;
			json_array_append_new(w->outcomes, json_pack("{s:I, "
			    "s:o}", "feed", (json_int_t)feed_id, "error",
			    error != NULL ? json_string(error) : json_null()));
		}
		server_send(w->conn, json_pack("{s:s, s:s, s:{s:I, s:I, s:I, "
		    "s:I}}", "jsonrpc", "2.0", "method", "progress", "params",
		    "done", (json_int_t)(w->total - w->npolls), "total",
		    (json_int_t)w->total, "errors", (json_int_t)w->errors,
		    "held", (json_int_t)w->held));
		if (w->npolls == 0)
			rpc_wait_finish(w);
	}
}

/*
 * Shutdown, after the last commits were reported: polls still awaited
 * were aborted, and their waits hear that the daemon stops.
 */
void
rpc_poll_abort(struct rpc *r)
{
	struct rpc_write	*w, *next;

	for (w = TAILQ_FIRST(&r->writes); w != NULL; w = next) {
		next = TAILQ_NEXT(w, entry);
		if (w->outcomes != NULL)
			rpc_write_finish(w, NULL, "the daemon is shutting "
			    "down; the polls still under way were stopped");
	}
}

static void
rpc_poll_one(struct rpc *r, struct rpc_write *w, const struct store_feed *f,
    int force, int *started, int *deferred)
{
	int64_t	id = f->id;
	int	rc = poller_poll_now(r->poller, id, f->retry_after, force);

	if (rc == 1) {
		(*deferred)++;
		if (w == NULL)
			return;
		/*
		 * Not polled, so not failed: "held" tells it apart, and the
		 * "error" text stays for the clients that list it.
		 */
		w->held++;
		if (f->retry_after > w->held_until)
			w->held_until = f->retry_after;
		json_array_append_new(w->outcomes, json_pack("{s:I, s:s, s:b, "
		    "s:o}", "feed", (json_int_t)id, "error",
		    "held until Retry-After (force overrides)", "held", 1,
		    "retry_after", json_date(f->retry_after)));
		return;
	}
	(*started)++;
	if (w != NULL)
		w->polls[w->npolls++] = id;
}

int
rpc_feeds_poll(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct store_feed	**v, *f;
	struct rpc_write	 *w = NULL;
	json_t			 *feeds = json_object_get(params, "feeds"), *j;
	int64_t			 *seen;
	size_t			  n, i, k, nseen = 0;
	int			  force = 0, wait = 0, started = 0, deferred = 0;

	if (rpc_bool(params, "force", &force) < 0 ||
	    rpc_bool(params, "wait", &wait) < 0)
		return (rpc_bad(message, "%s must be true or false",
		    "force/wait"));
	if (feeds != NULL && !json_is_null(feeds) && !json_is_array(feeds))
		return (rpc_bad(message, "%s: want a list of ids or URLs",
		    "feeds"));
	if (feeds != NULL && json_is_array(feeds))
		json_array_foreach(feeds, i, j)
			if (!json_is_integer(j) && !json_is_string(j))
				return (rpc_bad(message, "%s: want a list of "
				    "ids or URLs", "feeds"));
	if (wait && r->id != NULL) {
		w = rpc_write_new(r, NULL);
		w->droppable = 1;
		w->outcomes = json_array();
	}
	if (feeds != NULL && !json_is_null(feeds)) {
		if (w != NULL)
			w->polls = xcalloc(json_array_size(feeds) + 1,
			    sizeof(*w->polls));
		seen = xcalloc(json_array_size(feeds) + 1, sizeof(*seen));
		json_array_foreach(feeds, i, j) {
			if ((f = rpc_feed(r, j)) == NULL) {
				free(seen);
				if (store_read_error(r->store) != NULL)
					*message = xstrdup(
					    store_read_error(r->store));
				else if (json_is_string(j))
					xasprintf(message, "no such feed: %s",
					    json_string_value(j));
				else
					xasprintf(message, "no such feed: %"
					    JSON_INTEGER_FORMAT,
					    json_integer_value(j));
				if (w != NULL) {
					w->conn = NULL;	/* answered here */
					TAILQ_INSERT_TAIL(&r->writes, w,
					    entry);
					rpc_write_finish(w, NULL, NULL);
				}
				return (RPC_FAILED);
			}
			/* A feed named twice (an id and its URL) is one poll. */
			for (k = 0; k < nseen && seen[k] != f->id; k++)
				;
			if (k == nseen) {
				seen[nseen++] = f->id;
				rpc_poll_one(r, w, f, force, &started,
				    &deferred);
			}
			store_feed_free(f);
		}
		free(seen);
	} else if (store_feeds_states(r->store, &v, &n) != 0) {
		/* Not read is not "no feeds": nothing was polled. */
		xasprintf(message, "reading the feeds: %s",
		    store_read_error(r->store) != NULL ?
		    store_read_error(r->store) : "store error");
		if (w != NULL) {
			w->conn = NULL;	/* answered here */
			TAILQ_INSERT_TAIL(&r->writes, w, entry);
			rpc_write_finish(w, NULL, NULL);
		}
		return (RPC_FAILED);
	} else {
		if (w != NULL)
			w->polls = xcalloc(n + 1, sizeof(*w->polls));
		for (i = 0; i < n; i++)
			if (v[i]->enabled)
				rpc_poll_one(r, w, v[i], force, &started,
				    &deferred);
		store_feeds_free(v, n);
	}
	if (w == NULL) {
		*result = json_pack("{s:i, s:i}", "started", started,
		    "held_by_retry_after", deferred);
		return (0);
	}
	w->total = w->npolls;
	w->errors = (size_t)deferred;
	TAILQ_INSERT_TAIL(&r->writes, w, entry);
	if (w->npolls == 0)
		rpc_wait_finish(w);
	return (RPC_DEFERRED);
}

/*
 * What the feed's last whole document said of its schedule: ttl and
 * update_period in seconds (null: not said), the skipped UTC hours and
 * weekdays (0 = Sunday).
 */
static json_t *
rpc_hints_json(const struct feed_hints *h)
{
	json_t	*hours = json_array(), *days = json_array();
	int	 i;

	for (i = 0; i < 24; i++)
		if (h->skip_hours & (UINT32_C(1) << i))
			json_array_append_new(hours, json_integer(i));
	for (i = 0; i < 7; i++)
		if (h->skip_days & (1u << i))
			json_array_append_new(days, json_integer(i));
	return (json_pack("{s:o, s:o, s:o, s:o}",
	    "ttl", h->ttl > 0 ? json_integer(h->ttl) : json_null(),
	    "update_period", h->update_period > 0 ?
	    json_integer(h->update_period) : json_null(),
	    "skip_hours", hours, "skip_days", days));
}

/*
 * A plan made before the feed's interval was set or unset (feedctl edit,
 * a reload) still stands until the next poll: say so, or the reason
 * contradicts the interval shown beside it.  Only a plan with an interval
 * set is "the feed's interval" (sched_next_poll()).
 */
static json_t *
rpc_poll_reason(const struct store_feed *f)
{
	static const char *const without[] = { "default_interval",
	    "the feed's item rate", "the feed's ttl",
	    "the feed's sy:updatePeriod", "Cache-Control max-age", "Expires" };
	const char	*why = f->next_poll_reason;
	char		*s;
	json_t		*j;
	size_t		 i;
	int		 stale;

	if (!f->enabled)
		return (json_string(store_json_feed_not_polled_reason(f)));
	if (why == NULL)
		return (json_null());
	stale = f->interval <= 0 && strcmp(why, "the feed's interval") == 0;
	for (i = 0; i < sizeof(without) / sizeof(without[0]); i++)
		if (f->interval > 0 && strcmp(why, without[i]) == 0)
			stale = 1;
	if (!stale)
		return (json_string(why));
	xasprintf(&s, "%s (planned before the feed's interval changed, "
	    "which applies from the next poll)", why);
	j = json_string(s);
	free(s);
	return (j);
}

int
rpc_feeds_explain(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct store_feed	*f;

	if ((f = rpc_feed(r, json_object_get(params, "feed"))) == NULL)
		return (rpc_no_feed(r, json_object_get(params, "feed"),
		    message));
	*result = json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:i, s:o, s:o, "
	    "s:b}",
	    "id", (json_int_t)f->id,
	    "url", f->url,
	    "interval", f->interval > 0 ? json_integer(f->interval) :
	    json_null(),
	    "interval_source", json_string(f->interval > 0 ? "feed" :
	    "default_interval, adjusted by the feed's hints and item rate"),
	    "next_poll", f->enabled ? json_date(f->next_poll) : json_null(),
	    "next_poll_reason", rpc_poll_reason(f),
	    "errors", f->errors,
	    "last_error", f->last_error != NULL ?
	    json_string(f->last_error) : json_null(),
	    "retry_after", json_date(f->retry_after),
	    "enabled", f->enabled);
	json_object_set_new(*result, "hints", rpc_hints_json(&f->hints));
	json_object_set_new(*result, "items_matched_by", json_string(
	    f->key_mode == STORE_KEYS_LINK ? "link" : "key"));
	/* Which rules apply, and the items they dropped or marked lately. */
	if (r->rules != NULL)
		json_object_set_new(*result, "rules", rules_explain(r->rules,
		    f));
	store_feed_free(f);
	return (0);
}
