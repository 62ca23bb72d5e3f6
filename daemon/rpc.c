/*
 * rpc.c: what each socket method does.  Params are checked here (wrong
 * types are -32602, not a crash); the work goes to the store and the
 * poller.  Nothing a client sends reaches a file or a method not listed,
 * but a password_file that belongs to the client.
 */
#include <sys/stat.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <event2/event.h>
#include <jansson.h>

#include "buf.h"
#include "conf.h"
#include "feedopt.h"
#include "indexer.h"
#include "item.h"
#include "json.h"
#include "notify.h"
#include "opml.h"
#include "poller.h"
#include "rpc.h"
#include "rules.h"
#include "server.h"
#include "store-json.h"
#include "store.h"
#include "subscribe.h"
#include "url.h"
#include "writer.h"
#include "xmalloc.h"

typedef int (*rpc_handler)(struct rpc *, json_t *, json_t **, char **);

struct rpc_method {
	const char	*name;
	rpc_handler	 handler;
	const char	*params;	/* every one it takes, space-separated */
};

static int	rpc_consumer_ack(struct rpc *, json_t *, json_t **, char **);
static int	rpc_consumer_fetch(struct rpc *, json_t *, json_t **, char **);
static int	rpc_feeds_add(struct rpc *, json_t *, json_t **, char **);
static int	rpc_feeds_edit(struct rpc *, json_t *, json_t **, char **);
static int	rpc_feeds_explain(struct rpc *, json_t *, json_t **, char **);
static int	rpc_feeds_list(struct rpc *, json_t *, json_t **, char **);
static int	rpc_feeds_poll(struct rpc *, json_t *, json_t **, char **);
static int	rpc_feeds_remove(struct rpc *, json_t *, json_t **, char **);
static int	rpc_items_get(struct rpc *, json_t *, json_t **, char **);
static int	rpc_items_list(struct rpc *, json_t *, json_t **, char **);
static int	rpc_items_mark(struct rpc *, json_t *, json_t **, char **);
static int	rpc_items_search(struct rpc *, json_t *, json_t **, char **);
static int	rpc_metrics(struct rpc *, json_t *, json_t **, char **);
static int	rpc_notify_retry(struct rpc *, json_t *, json_t **, char **);
static int	rpc_notify_test(struct rpc *, json_t *, json_t **, char **);
static int	rpc_opml_export(struct rpc *, json_t *, json_t **, char **);
static int	rpc_opml_import(struct rpc *, json_t *, json_t **, char **);
static int	rpc_status(struct rpc *, json_t *, json_t **, char **);
static int	rpc_watch(struct rpc *, json_t *, json_t **, char **);
static json_t	*rpc_feed_json(struct rpc *, const struct store_feed *);
static int	rpc_bad(char **, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));

/*
 * Keep sorted (strcmp): rpc_request() uses bsearch; a test checks.  The
 * third column lists every parameter a method takes (a new parameter is
 * a word here): any other is a -32602 error naming it, before the
 * handler runs.  test_rpc checks that every row has its list.
 */
static const struct rpc_method rpc_methods[] = {
	{ "consumer.ack", rpc_consumer_ack, "name id" },
	{ "consumer.fetch", rpc_consumer_fetch,
	    "name limit feed tag from_start" },
	{ "feeds.add", rpc_feeds_add,
	    "url title tags interval no_check pick options" },
	{ "feeds.edit", rpc_feeds_edit, "feed title tags add_tags remove_tags "
	    "interval url paused options" },
	{ "feeds.explain", rpc_feeds_explain, "feed" },
	{ "feeds.list", rpc_feeds_list, "tag" },
	{ "feeds.poll", rpc_feeds_poll, "feeds wait force" },
	{ "feeds.remove", rpc_feeds_remove, "feed" },
	{ "items.get", rpc_items_get, "id width" },
	{ "items.list", rpc_items_list,
	    "since feed tag unread starred limit reverse" },
	{ "items.mark", rpc_items_mark,
	    "ids read starred all feed tag before" },
	{ "items.search", rpc_items_search, "query limit" },
	{ "metrics", rpc_metrics, "" },
	{ "notify.retry", rpc_notify_retry, "name" },
	{ "notify.test", rpc_notify_test, "name" },
	{ "opml.export", rpc_opml_export, "" },
	{ "opml.import", rpc_opml_import, "opml" },
	{ "status", rpc_status, "" },
	{ "watch", rpc_watch, "since feed tag" },
};
#define RPC_NMETHODS	(sizeof(rpc_methods) / sizeof(rpc_methods[0]))

const char *
rpc_method_name(size_t i)
{
	return (i < RPC_NMETHODS ? rpc_methods[i].name : NULL);
}

/* The parameters method "i" takes, space-separated; NULL: not listed. */
const char *
rpc_method_params(size_t i)
{
	return (i < RPC_NMETHODS ? rpc_methods[i].params : NULL);
}

size_t
rpc_method_count(void)
{
	return (RPC_NMETHODS);
}

static int
rpc_cmp(const void *k, const void *m)
{
	return (strcmp(k, ((const struct rpc_method *)m)->name));
}

/*
 * Params must be an object of parameters "method" takes: an unknown one
 * (a typo, or a filter this feedd does not have) would otherwise be
 * ignored and the answer would look right.  -32602 naming it, else 0.
 */
int
rpc_check_params(const char *method, json_t *params, char **message)
{
	const struct rpc_method	*m;
	const char		*key, *p;
	json_t			*v;
	size_t			 len;

	m = bsearch(method, rpc_methods, RPC_NMETHODS, sizeof(*rpc_methods),
	    rpc_cmp);
	if (m == NULL) {
		xasprintf(message, "unknown method \"%.64s\"", method);
		return (RPC_METHOD_NOT_FOUND);
	}
	/* A row without its list (a merge left it out): test_rpc fails. */
	if (params == NULL || json_is_null(params) || m->params == NULL)
		return (0);
	if (!json_is_object(params)) {
		xasprintf(message, "params of %s must be an object", m->name);
		return (RPC_INVALID_PARAMS);
	}
	json_object_foreach(params, key, v) {
		len = strlen(key);
		for (p = m->params; *p != '\0'; p += strcspn(p, " ")) {
			p += strspn(p, " ");
			if (len > 0 && strncmp(p, key, len) == 0 &&
			    (p[len] == ' ' || p[len] == '\0'))
				break;
		}
		if (*p == '\0') {
			xasprintf(message, "unknown parameter \"%.64s\": %s "
			    "takes %s", key, m->name, *m->params != '\0' ?
			    m->params : "none");
			return (RPC_INVALID_PARAMS);
		}
	}
	return (0);
}

/* server.c's request callback. */
int
rpc_request(struct server_conn *c, const char *method, json_t *id,
    json_t *params, json_t **result, char **message, void *arg)
{
	const struct rpc_method	*m;
	json_t			*empty = NULL;
	int			 rc;

	if ((rc = rpc_check_params(method, params, message)) != 0)
		return (rc);
	m = bsearch(method, rpc_methods, RPC_NMETHODS, sizeof(*rpc_methods),
	    rpc_cmp);
	if (params == NULL || json_is_null(params))
		params = empty = json_object();
	((struct rpc *)arg)->conn = c;
	((struct rpc *)arg)->id = id;
	rc = m->handler(arg, params, result, message);
	((struct rpc *)arg)->conn = NULL;
	((struct rpc *)arg)->id = NULL;
	json_decref(empty);
	return (rc);
}

void
rpc_init(struct rpc *r)
{
	TAILQ_INIT(&r->watches);
	TAILQ_INIT(&r->waits);
	TAILQ_INIT(&r->searches);
	TAILQ_INIT(&r->writes);
}

static int
rpc_bad(char **message, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	if (vasprintf(message, fmt, ap) < 0)
		*message = NULL;
	va_end(ap);
	return (RPC_INVALID_PARAMS);
}

static int
rpc_failed(char **message, char *cause)
{
	*message = cause;
	return (RPC_FAILED);
}

/* An optional integer member; -1 on a wrong type. */
static int
rpc_int(json_t *params, const char *key, int64_t *v, int64_t min)
{
	json_t	*j = json_object_get(params, key);

	if (j == NULL || json_is_null(j))
		return (0);
	if (!json_is_integer(j) || json_integer_value(j) < min)
		return (-1);
	*v = json_integer_value(j);
	return (1);
}

static int
rpc_str(json_t *params, const char *key, const char **v)
{
	json_t	*j = json_object_get(params, key);

	if (j == NULL || json_is_null(j))
		return (0);
	if (!json_is_string(j) || json_string_length(j) == 0 ||
	    strlen(json_string_value(j)) != json_string_length(j))
		return (-1);
	*v = json_string_value(j);
	return (1);
}

static int
rpc_bool(json_t *params, const char *key, int *v)
{
	json_t	*j = json_object_get(params, key);

	if (j == NULL || json_is_null(j))
		return (0);
	if (!json_is_boolean(j))
		return (-1);
	*v = json_is_true(j);
	return (1);
}

/*
 * "limit": a positive integer up to what one answer may hold.  Above it
 * is an error, not a shorter list that would look like all there is.
 */
static int
rpc_limit(json_t *params, int64_t *limit, char **message)
{
	if (rpc_int(params, "limit", limit, 1) < 0)
		return (rpc_bad(message, "%s must be a positive integer",
		    "limit"));
	if (*limit > STORE_MAX_LIMIT)
		return (rpc_bad(message, "limit %" PRId64 " is over the "
		    "maximum of %d a call: page with since", *limit,
		    STORE_MAX_LIMIT));
	return (0);
}

/* "feed": an id or a URL (a moved feed's old URL too). */
static struct store_feed *
rpc_feed(struct rpc *r, json_t *j)
{
	if (json_is_integer(j))
		return (store_feed_get(r->store, json_integer_value(j)));
	if (json_is_string(j))
		return (store_feed_find(r->store, json_string_value(j)));
	return (NULL);
}

static json_t *
rpc_items_json(struct store_item *v, size_t n)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, store_json_item(&v[i]));
	store_items_free(v, n);
	return (json_pack("{s:o}", "items", a));
}

static int
rpc_status(struct rpc *r, json_t *params, json_t **result, char **message)
{
	struct store_stats	 st;
	struct store_feed	**v;
	size_t			 n, i, failing = 0;
	char			*cause = NULL;

	if (store_stats(r->store, &st, &cause) != 0)
		return (rpc_failed(message, cause));
	if (store_feeds_states(r->store, &v, &n) == 0) {
		for (i = 0; i < n; i++) {
			poller_feed_overlay(r->poller, v[i]);
			if (v[i]->enabled && v[i]->errors > 0)
				failing++;
		}
		store_feeds_free(v, n);
	}
	*result = json_pack("{s:s, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
	    "s:{s:I, s:I}, s:I}",
	    "version", FEEDD_VERSION,
	    "protocol", RPC_PROTOCOL,
	    "uptime", (json_int_t)(time(NULL) - r->started),
	    "feeds", (json_int_t)st.feeds,
	    "items", (json_int_t)st.items,
	    "unread", (json_int_t)st.unread,
	    "last_item", (json_int_t)st.max_id,
	    "polling", (json_int_t)poller_in_flight(r->poller),
	    "errors", (json_int_t)failing,
	    "notifier_queue", "pending", (json_int_t)st.outbox_pending,
	    "failed", (json_int_t)st.outbox_failed,
	    "search_lag", (json_int_t)st.search_lag);
	json_object_set_new(*result, "notifiers", r->notify != NULL ?
	    notify_status(r->notify) : json_array());
	/* Set while the last commit failed (a full disk): nothing is kept. */
	json_object_set_new(*result, "store_error",
	    poller_store_error(r->poller) != NULL ?
	    json_string(poller_store_error(r->poller)) : json_null());
	return (0);
}

/* The daemon's counters and gauges, in Prometheus text exposition. */
static int
rpc_metrics(struct rpc *r, json_t *params, json_t **result, char **message)
{
	static const struct {
		const char	*name;
		const char	*type;
		const char	*help;
	} m[] = {
		{ "feedd_uptime_seconds", "gauge", "Seconds since start." },
		{ "feedd_feeds", "gauge", "Subscribed feeds." },
		{ "feedd_items", "gauge", "Stored items." },
		{ "feedd_items_unread", "gauge", "Stored items not read." },
		{ "feedd_polls_in_flight", "gauge", "Polls under way." },
		{ "feedd_polls_total", "counter", "Polls finished." },
		{ "feedd_poll_errors_total", "counter", "Polls that failed." },
		{ "feedd_polls_not_modified_total", "counter",
		    "Polls answered 304." },
		{ "feedd_new_items_total", "counter", "Items stored new." },
		{ "feedd_fetched_bytes_total", "counter", "Body bytes read." },
		{ "feedd_outbox_pending", "gauge", "Deliveries waiting." },
		{ "feedd_outbox_failed", "gauge", "Deliveries given up on." },
		{ "feedd_notify_delivered_total", "counter",
		    "Items delivered by notifiers." },
		{ "feedd_notify_retries_total", "counter",
		    "Deliveries that failed and will be retried." },
		{ "feedd_notify_failed_total", "counter",
		    "Deliveries parked after their last attempt." },
		{ "feedd_search_lag", "gauge",
		    "Items and changes committed, not yet searchable." },
		{ "feedd_rule_dropped_total", "counter",
		    "New items dropped by rules (drop, or not kept)." },
		{ "feedd_rule_marked_read_total", "counter",
		    "New items stored read by mark_read rules." },
		{ "feedd_rule_limit_total", "counter",
		    "Rule matches that hit the match limit (no match)." },
		{ "feedd_notify_match_limited_total", "counter",
		    "Item texts whose match hit its limits (not matched)." },
	};
	struct rules_stats	 rst;
	struct notify_stats	 ns;
	struct poller_stats	 ps;
	struct store_stats	 st;
	struct buf		 b = { NULL, 0, 0 };
	char			*cause = NULL, line[256];
	uint64_t		 v[sizeof(m) / sizeof(m[0])];
	size_t			 i;

	if (store_stats(r->store, &st, &cause) != 0)
		return (rpc_failed(message, cause));
	poller_get_stats(r->poller, &ps);
	v[0] = (uint64_t)(time(NULL) - r->started);
	v[1] = (uint64_t)st.feeds;
	v[2] = (uint64_t)st.items;
	v[3] = (uint64_t)st.unread;
	v[4] = poller_in_flight(r->poller);
	v[5] = ps.polls;
	v[6] = ps.errors;
	v[7] = ps.not_modified;
	v[8] = ps.new_items;
	v[9] = ps.bytes;
	v[10] = (uint64_t)st.outbox_pending;
	v[11] = (uint64_t)st.outbox_failed;
	memset(&ns, 0, sizeof(ns));
	if (r->notify != NULL)
		notify_get_stats(r->notify, &ns);
	v[12] = ns.delivered;
	v[13] = ns.retried;
	v[14] = ns.failed;
	v[15] = (uint64_t)st.search_lag;
	memset(&rst, 0, sizeof(rst));
	if (r->rules != NULL)
		rules_get_stats(r->rules, &rst);
	v[16] = rst.dropped;
	v[17] = rst.marked_read;
	v[18] = rst.limit_hits;
	v[19] = ns.match_limited;
	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		snprintf(line, sizeof(line), "# HELP %s %s\n# TYPE %s %s\n"
		    "%s %" PRIu64 "\n", m[i].name, m[i].help, m[i].name,
		    m[i].type, m[i].name, v[i]);
		buf_adds(&b, line);
	}
	*result = json_pack("{s:s}", "text", b.data);
	buf_free(&b);
	return (0);
}

static int
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
		return (rpc_failed(message, xstrdup("cannot list feeds")));
	a = json_array();
	for (i = 0; i < n; i++) {
		poller_feed_overlay(r->poller, v[i]);
		json_array_append_new(a, rpc_feed_json(r, v[i]));
	}
	store_feeds_free(v, n);
	*result = json_pack("{s:o}", "feeds", a);
	return (0);
}

/* Tags: a list of strings, or one comma-separated string. */
static int
rpc_tags(json_t *params, char ***tags, size_t *ntags)
{
	json_t	*j = json_object_get(params, "tags"), *t;
	size_t	 i;

	*tags = NULL;
	*ntags = 0;
	if (j == NULL || json_is_null(j))
		return (0);
	if (json_is_string(j))
		return (conf_split_list(json_string_value(j), tags, ntags));
	if (!json_is_array(j))
		return (-1);
	*tags = xcalloc(json_array_size(j) + 1, sizeof(**tags));
	json_array_foreach(j, i, t) {
		if (!json_is_string(t) || json_string_length(t) == 0)
			return (-1);
		(*tags)[(*ntags)++] = xstrdup(json_string_value(t));
	}
	return (0);
}

static void
rpc_tags_free(char **tags, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(tags[i]);
	free(tags);
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
 * A request that changes data.  The loop's connection only reads: the
 * change runs on the writer thread ("run", between poll commits), and
 * the answer goes out on the loop after the commit ("done"), so a later
 * request on the same connection (server.c holds it meanwhile) sees it.
 * The loop never waits for sqlite's write lock.  "params" is held, so
 * the strings the arguments point to live as long as the request.  The
 * same object carries the other requests answered later: feeds.add
 * (its check), notify.test (its delivery), notify.retry.
 */
struct rpc_write;
typedef int (*rpc_write_run)(struct store *, struct rpc_write *, char **);
typedef int (*rpc_write_done)(struct rpc_write *, json_t **, char **);

struct rpc_write {
	struct rpc		*rpc;
	struct server_conn	*conn;		/* NULL: the client left */
	json_t			*id;
	json_t			*params;
	rpc_write_run		 run;		/* on the writer */
	rpc_write_done		 done;		/* on the loop; NULL: none */
	int			 rc;		/* run's */
	char			*cause;		/* run's error */

	/* The arguments, and what "run" found. */
	int64_t			 feed_id;
	int64_t			 item_id;
	int64_t			*ids;
	size_t			 n;
	struct store_query	 q;
	struct store_consumer	 consumer;
	struct store_feed_conf	 sc;
	char			*feed_url;
	char			*url;
	char			*title;
	char			**tags;
	size_t			 ntags;
	char			*options;
	int			 read;
	int			 starred;
	int			 revive;
	size_t			 changed;
	int64_t			 cursor;
	const char		*notifier;
	struct store_item	*items;
	size_t			 nitems;
	struct opml_outline	*outlines;
	size_t			 noutlines;
	json_t			*result;
	TAILQ_ENTRY(rpc_write)	 entry;
};

static struct rpc_write *
rpc_write_new(struct rpc *r, json_t *params)
{
	struct rpc_write	*w = xcalloc(1, sizeof(*w));

	w->rpc = r;
	w->conn = r->conn;
	w->id = r->id != NULL ? json_incref(r->id) : NULL;
	w->params = params != NULL ? json_incref(params) : NULL;
	return (w);
}

static void
rpc_write_run_cb(struct store *s, void *arg)
{
	struct rpc_write	*w = arg;

	w->rc = w->run(s, w, &w->cause);
}

static void
rpc_write_done_cb(void *arg)
{
	struct rpc_write	*w = arg;
	struct rpc		*r = w->rpc;
	json_t			*result = NULL;
	char			*message = NULL;
	int			 code = 0;

	if (w->rc != 0) {
		code = RPC_FAILED;
		message = w->cause;
		w->cause = NULL;
	} else if (w->done != NULL)
		code = w->done(w, &result, &message);
	else {
		result = w->result;
		w->result = NULL;
	}
	if (w->conn != NULL && w->id != NULL)
		server_answer(w->conn, w->id, result, code, message);
	else
		json_decref(result);
	free(message);
	TAILQ_REMOVE(&r->writes, w, entry);
	json_decref(w->id);
	json_decref(w->params);
	free(w->cause);
	free(w->ids);
	free(w->feed_url);
	free(w->url);
	free(w->title);
	rpc_tags_free(w->tags, w->ntags);
	free(w->options);
	store_items_free(w->items, w->nitems);
	opml_outlines_free(w->outlines, w->noutlines);
	json_decref(w->result);
	free(w);
}

/*
 * The outcome of work done elsewhere (subscribe.c's check, a notifier's
 * test delivery, notify.c's revive): "result" (taken) or "error".
 */
static void
rpc_write_finish(struct rpc_write *w, json_t *result, const char *error)
{
	json_decref(w->result);
	w->result = result;
	if (error != NULL) {
		w->rc = -1;
		free(w->cause);
		w->cause = xstrdup(error);
	}
	rpc_write_done_cb(w);
}

/* Hands "w" to the writer; the answer is deferred to its "done". */
static int
rpc_write_submit(struct rpc_write *w, rpc_write_run run, rpc_write_done done)
{
	struct rpc	*r = w->rpc;

	w->run = run;
	w->done = done;
	TAILQ_INSERT_TAIL(&r->writes, w, entry);
	writer_task(r->writer, rpc_write_run_cb, rpc_write_done_cb, w);
	return (RPC_DEFERRED);
}

/* feeds.add's check and add are done (subscribe.c). */
static void
rpc_feeds_add_done(json_t *result, const char *error, void *arg)
{
	rpc_write_finish(arg, result, error);
}

static int
rpc_feeds_add(struct rpc *r, json_t *params, json_t **result, char **message)
{
	struct subscribe_req	 sr;
	struct rpc_write	*w;
	json_t			*iv;
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
	iv = json_object_get(params, "interval");
	if (json_is_string(iv)) {
		if (conf_parse_duration(json_string_value(iv), &interval) != 0)
			return (rpc_bad(message, "%s: want a duration like "
			    "15m", "interval"));
	} else if (rpc_int(params, "interval", &interval, 1) < 0)
		return (rpc_bad(message, "%s: want seconds or a duration",
		    "interval"));
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
		poller_poll_now(r->poller, w->feed_id, 1);
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
static int
rpc_feeds_edit(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct store_feed_conf	 sc;
	struct store_feed	*f;
	struct rpc_write	*w;
	json_t			*j;
	const char		*s;
	char			**tags = NULL, *title = NULL, *url = NULL;
	char			*stored, *options = NULL;
	size_t			 ntags = 0, i;
	int64_t			 interval;
	int			 paused = -1, rc = RPC_INVALID_PARAMS;

	if ((f = rpc_feed(r, json_object_get(params, "feed"))) == NULL)
		return (rpc_failed(message, xstrdup("no such feed")));
	if (f->origin == STORE_ORIGIN_CONFIG) {
		xasprintf(message, "feed %" PRId64 " (%s) comes from %s; "
		    "change it there and reload", f->id, f->url,
		    r->conf->path);
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
	j = json_object_get(params, "interval");
	if (json_is_string(j) && strcmp(json_string_value(j), "default") == 0)
		interval = -1;
	else if (json_is_string(j)) {
		if (conf_parse_duration(json_string_value(j), &interval) != 0) {
			xasprintf(message, "%s: want a duration like 15m, or "
			    "default", "interval");
			goto out;
		}
	} else if (rpc_int(params, "interval", &interval, 1) < 0) {
		xasprintf(message, "%s: want seconds or a duration",
		    "interval");
		goto out;
	}
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
	*result = json_pack("{s:I}", "removed", (json_int_t)w->feed_id);
	return (0);
}

static int
rpc_feeds_remove(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct store_feed	*f;
	struct rpc_write	*w;

	if ((f = rpc_feed(r, json_object_get(params, "feed"))) == NULL)
		return (rpc_failed(message, xstrdup("no such feed")));
	if (f->origin == STORE_ORIGIN_CONFIG) {
		xasprintf(message, "%s comes from %s; remove it there and "
		    "reload", f->url, r->conf->path);
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
struct rpc_wait {
	struct server_conn	*conn;
	json_t			*id;
	int64_t			*feeds;		/* still waited for */
	size_t			 nfeeds;
	size_t			 total;
	size_t			 errors;
	json_t			*outcomes;
	TAILQ_ENTRY(rpc_wait)	 entry;
};

static void
rpc_wait_free(struct rpc *r, struct rpc_wait *w)
{
	TAILQ_REMOVE(&r->waits, w, entry);
	json_decref(w->id);
	json_decref(w->outcomes);
	free(w->feeds);
	free(w);
}

static void
rpc_wait_finish(struct rpc *r, struct rpc_wait *w)
{
	server_answer(w->conn, w->id, json_pack("{s:I, s:I, s:O}", "polled",
	    (json_int_t)w->total, "errors", (json_int_t)w->errors, "feeds",
	    w->outcomes), 0, NULL);
	rpc_wait_free(r, w);
}

/* poller's done callback: one feed's poll is over (committed or not). */
void
rpc_poll_done(int64_t feed_id, const char *error, void *arg)
{
	struct rpc	*r = arg;
	struct rpc_wait	*w, *next;
	size_t		 i;

	for (w = TAILQ_FIRST(&r->waits); w != NULL; w = next) {
		next = TAILQ_NEXT(w, entry);
		for (i = 0; i < w->nfeeds; i++)
			if (w->feeds[i] == feed_id)
				break;
		if (i == w->nfeeds)
			continue;
		w->feeds[i] = w->feeds[--w->nfeeds];
		if (error != NULL)
			w->errors++;
		json_array_append_new(w->outcomes, json_pack("{s:I, s:o}",
		    "feed", (json_int_t)feed_id, "error", error != NULL ?
		    json_string(error) : json_null()));
		server_send(w->conn, json_pack("{s:s, s:s, s:{s:I, s:I, s:I}}",
		    "jsonrpc", "2.0", "method", "progress", "params", "done",
		    (json_int_t)(w->total - w->nfeeds), "total",
		    (json_int_t)w->total, "errors", (json_int_t)w->errors));
		if (w->nfeeds == 0)
			rpc_wait_finish(r, w);
	}
}

/* server.c: a connection went away; nothing may point at it now. */
/* --- notifiers --- */

/* items.search waiting for the indexer (rpc_items_search). */
struct rpc_search {
	struct rpc		*rpc;
	struct server_conn	*conn;		/* NULL: the client left */
	json_t			*id;
	char			*query;
	size_t			 limit;
	TAILQ_ENTRY(rpc_search)	 entry;
};

static void
rpc_notify_test_done(const char *error, void *arg)
{
	struct rpc_write	*w = arg;

	rpc_write_finish(w, error != NULL ? NULL : json_pack("{s:s, s:b}",
	    "notifier", w->notifier, "delivered", 1), error);
}

/* The reply waits for the delivery: it says whether the sample got out. */
static int
rpc_notify_test(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct rpc_write	*w;
	const char		*name = NULL;
	char			*cause = NULL;

	if (rpc_str(params, "name", &name) <= 0)
		return (rpc_bad(message, "name must be a notifier's name"));
	w = rpc_write_new(r, params);
	w->notifier = name;
	TAILQ_INSERT_TAIL(&r->writes, w, entry);
	if (notify_test(r->notify, name, rpc_notify_test_done, w,
	    &cause) != 0) {
		w->conn = NULL;		/* answered here */
		rpc_write_finish(w, NULL, NULL);
		return (rpc_failed(message, cause));
	}
	return (RPC_DEFERRED);
}

static int
rpc_notify_retry_done(struct rpc_write *w, json_t **result, char **message)
{
	*result = json_pack("{s:s, s:I}", "notifier", w->notifier,
	    "retried", (json_int_t)w->changed);
	return (0);
}

/* The revive committed (notify.c ran it on the writer). */
static void
rpc_notify_retry_cb(size_t n, const char *error, void *arg)
{
	struct rpc_write	*w = arg;

	w->changed = n;
	rpc_write_finish(w, NULL, error);
}

static int
rpc_notify_retry(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct rpc_write	*w;
	const char		*name = NULL;
	char			*cause = NULL;

	if (rpc_str(params, "name", &name) <= 0)
		return (rpc_bad(message, "name must be a notifier's name"));
	w = rpc_write_new(r, params);
	w->notifier = name;
	w->done = rpc_notify_retry_done;
	TAILQ_INSERT_TAIL(&r->writes, w, entry);
	if (notify_retry(r->notify, name, rpc_notify_retry_cb, w,
	    &cause) != 0) {
		w->conn = NULL;		/* answered here */
		rpc_write_finish(w, NULL, NULL);
		return (rpc_failed(message, cause));
	}
	return (RPC_DEFERRED);
}

void
rpc_conn_gone(struct server_conn *c, void *arg)
{
	struct rpc	*r = arg;
	struct rpc_wait	*w, *next;
	struct rpc_search *s;
	struct rpc_write *wr;

	TAILQ_FOREACH(wr, &r->writes, entry)
		if (wr->conn == c)
			wr->conn = NULL;
	TAILQ_FOREACH(s, &r->searches, entry)
		if (s->conn == c)
			s->conn = NULL;

	for (w = TAILQ_FIRST(&r->waits); w != NULL; w = next) {
		next = TAILQ_NEXT(w, entry);
		if (w->conn == c)
			rpc_wait_free(r, w);
	}
}

static void
rpc_poll_one(struct rpc *r, struct rpc_wait *w, int64_t id, int force,
    int *started, int *deferred)
{
	int	rc = poller_poll_now(r->poller, id, force);

	if (rc == 1) {
		(*deferred)++;
		if (w != NULL)
			json_array_append_new(w->outcomes, json_pack(
			    "{s:I, s:s}", "feed", (json_int_t)id, "error",
			    "held until Retry-After (force overrides)"));
		return;
	}
	(*started)++;
	if (w != NULL)
		w->feeds[w->nfeeds++] = id;
}

static int
rpc_feeds_poll(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct store_feed	**v, *f;
	struct rpc_wait		 *w = NULL;
	json_t			 *feeds = json_object_get(params, "feeds"), *j;
	size_t			  n, i;
	int			  force = 0, wait = 0, started = 0, deferred = 0;

	if (rpc_bool(params, "force", &force) < 0 ||
	    rpc_bool(params, "wait", &wait) < 0)
		return (rpc_bad(message, "%s must be true or false",
		    "force/wait"));
	if (feeds != NULL && !json_is_null(feeds) && !json_is_array(feeds))
		return (rpc_bad(message, "%s: want a list of ids or URLs",
		    "feeds"));
	if (wait && r->id != NULL) {
		w = xcalloc(1, sizeof(*w));
		w->conn = r->conn;
		w->id = json_incref(r->id);
		w->outcomes = json_array();
	}
	if (feeds != NULL && !json_is_null(feeds)) {
		if (w != NULL)
			w->feeds = xcalloc(json_array_size(feeds) + 1,
			    sizeof(*w->feeds));
		json_array_foreach(feeds, i, j) {
			if ((f = rpc_feed(r, j)) == NULL) {
				xasprintf(message, "no such feed: %s",
				    json_is_string(j) ? json_string_value(j) :
				    "(id)");
				if (w != NULL) {
					json_decref(w->id);
					json_decref(w->outcomes);
					free(w->feeds);
					free(w);
				}
				return (RPC_FAILED);
			}
			rpc_poll_one(r, w, f->id, force, &started, &deferred);
			store_feed_free(f);
		}
	} else if (store_feeds_states(r->store, &v, &n) == 0) {
		if (w != NULL)
			w->feeds = xcalloc(n + 1, sizeof(*w->feeds));
		for (i = 0; i < n; i++)
			if (v[i]->enabled)
				rpc_poll_one(r, w, v[i]->id, force, &started,
				    &deferred);
		store_feeds_free(v, n);
	}
	if (w == NULL) {
		*result = json_pack("{s:i, s:i}", "started", started,
		    "held_by_retry_after", deferred);
		return (0);
	}
	w->total = w->nfeeds;
	w->errors = (size_t)deferred;
	TAILQ_INSERT_TAIL(&r->waits, w, entry);
	if (w->nfeeds == 0)
		rpc_wait_finish(r, w);
	return (RPC_DEFERRED);
}

static int
rpc_feeds_explain(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct store_feed	*f;

	if ((f = rpc_feed(r, json_object_get(params, "feed"))) == NULL)
		return (rpc_failed(message, xstrdup("no such feed")));
	*result = json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:i, s:o, s:o, "
	    "s:b}",
	    "id", (json_int_t)f->id,
	    "url", f->url,
	    "interval", f->interval > 0 ? json_integer(f->interval) :
	    json_null(),
	    "interval_source", json_string(f->interval > 0 ? "feed" :
	    "default_interval, adjusted by the feed's hints and item rate"),
	    "next_poll", json_date(f->next_poll),
	    "next_poll_reason", f->next_poll_reason != NULL ?
	    json_string(f->next_poll_reason) : json_null(),
	    "errors", f->errors,
	    "last_error", f->last_error != NULL ?
	    json_string(f->last_error) : json_null(),
	    "retry_after", json_date(f->retry_after),
	    "enabled", f->enabled);
	/* Which rules apply, and the items they dropped or marked lately. */
	if (r->rules != NULL)
		json_object_set_new(*result, "rules", rules_explain(r->rules,
		    f));
	store_feed_free(f);
	return (0);
}

#define RPC_WIDTH_MAX	1000	/* items.get: the widest text asked for */

/*
 * items.get {id, width?}: one stored item as a reader gets it: the record,
 * its feed ({id, url, title}), and "html" and "text" (store_json_reader();
 * the text wrapped at "width" columns, 0 or none: not wrapped).
 */
static int
rpc_items_get(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct store_item	*v;
	struct store_feed	*f;
	char			*cause = NULL;
	int64_t			 id = 0, width = 0;
	size_t			 n;

	if (rpc_int(params, "id", &id, 1) != 1)
		return (rpc_bad(message, "%s must be an item id", "id"));
	if (rpc_int(params, "width", &width, 0) < 0 || width > RPC_WIDTH_MAX)
		return (rpc_bad(message, "%s must be 0 to %d", "width",
		    RPC_WIDTH_MAX));
	if (store_items_get(r->store, &id, 1, &v, &n, &cause) != 0)
		return (rpc_failed(message, cause));
	if (n == 0) {
		store_items_free(v, n);
		return (rpc_failed(message, xstrdup("no such item")));
	}
	f = store_feed_get(r->store, v[0].feed_id);
	*result = store_json_item(&v[0]);
	json_object_set_new(*result, "feed", json_pack("{s:I, s:s?, s:s?}",
	    "id", (json_int_t)v[0].feed_id, "url", f != NULL ? f->url : NULL,
	    "title", f != NULL ? f->title : NULL));
	store_json_reader(*result, v[0].item, f != NULL ? f->link : NULL,
	    (int)width);
	store_feed_free(f);
	store_items_free(v, n);
	return (0);
}

/*
 * items.list: the first "limit" items after "since", else the newest
 * "limit"; in id order, or newest first with "reverse".
 */
static int
rpc_items_list(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct store_query	 q;
	struct store_feed	*f;
	struct store_item	*v, tmp;
	json_t			*feed;
	char			*cause = NULL;
	int64_t			 limit = 0;
	size_t			 n, i;
	int			 reverse = 0, rc;

	memset(&q, 0, sizeof(q));
	if ((rc = rpc_int(params, "since", &q.since, 0)) < 0)
		return (rpc_bad(message, "%s must be an item id", "since"));
	q.newest = rc == 0;
	if ((rc = rpc_limit(params, &limit, message)) != 0)
		return (rc);
	if (rpc_str(params, "tag", &q.tag) < 0)
		return (rpc_bad(message, "%s must be a string", "tag"));
	if (rpc_bool(params, "unread", &q.unread) < 0)
		return (rpc_bad(message, "%s must be true or false", "unread"));
	if (rpc_bool(params, "starred", &q.starred) < 0)
		return (rpc_bad(message, "%s must be true or false",
		    "starred"));
	if (rpc_bool(params, "reverse", &reverse) < 0)
		return (rpc_bad(message, "%s must be true or false",
		    "reverse"));
	feed = json_object_get(params, "feed");
	if (feed != NULL && !json_is_null(feed)) {
		if ((f = rpc_feed(r, feed)) == NULL)
			return (rpc_failed(message, xstrdup("no such feed")));
		q.feed_id = f->id;
		store_feed_free(f);
	}
	q.limit = (size_t)limit;
	if (store_items_list(r->store, &q, &v, &n, &cause) != 0)
		return (rpc_failed(message, cause));
	for (i = 0; reverse && i < n / 2; i++) {
		tmp = v[i];
		v[i] = v[n - 1 - i];
		v[n - 1 - i] = tmp;
	}
	*result = rpc_items_json(v, n);
	return (0);
}

/* ids: a list of item ids (at most 10,000 a call). */
static int
rpc_ids(json_t *params, int64_t **ids, size_t *n)
{
	json_t	*a = json_object_get(params, "ids"), *j;
	size_t	 i;

	if (!json_is_array(a) || json_array_size(a) == 0 ||
	    json_array_size(a) > STORE_MAX_LIMIT)
		return (-1);
	*ids = xcalloc(json_array_size(a), sizeof(**ids));
	*n = 0;
	json_array_foreach(a, i, j) {
		if (!json_is_integer(j)) {
			free(*ids);
			return (-1);
		}
		(*ids)[(*n)++] = json_integer_value(j);
	}
	return (0);
}

/* Ids of "ids" the store does not hold, as a message; NULL if none. */
static char *
rpc_missing(struct rpc *r, const int64_t *ids, size_t n)
{
	struct store_item	*v;
	struct buf		 b = { NULL, 0, 0 };
	char			*cause = NULL, one[32];
	size_t			 nv, i, k, missing = 0;

	if (store_items_get(r->store, ids, n, &v, &nv, &cause) != 0)
		return (cause);
	for (i = 0, k = 0; i < n; i++) {
		for (k = 0; k < nv; k++)
			if (v[k].id == ids[i])
				break;
		if (k < nv)
			continue;
		if (missing++ < 10) {
			snprintf(one, sizeof(one), "%s%" PRId64,
			    missing > 1 ? ", " : "", ids[i]);
			buf_adds(&b, one);
		} else if (missing == 11)
			buf_adds(&b, " ...");
	}
	store_items_free(v, nv);
	if (missing == 0) {
		buf_free(&b);
		return (NULL);
	}
	xasprintf(&cause, "no such item: %s (nothing was marked)", b.data);
	buf_free(&b);
	return (cause);
}

static int
rpc_items_mark_run(struct store *s, struct rpc_write *w, char **cause)
{
	if (w->ids != NULL)
		return (store_items_mark(s, w->ids, w->n, w->read, w->starred,
		    &w->changed, cause));
	return (store_items_mark_where(s, &w->q, w->read, w->starred,
	    &w->changed, cause));
}

static int
rpc_items_mark_done(struct rpc_write *w, json_t **result, char **message)
{
	*result = json_pack("{s:I}", "changed", (json_int_t)w->changed);
	return (0);
}

/*
 * items.mark {ids, read?, starred?}, or instead of ids a selection:
 * "all", "feed" or "tag", each with "before" (that id and older only).
 * Ids the store does not hold fail the call and nothing changes.
 */
static int
rpc_items_mark(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct store_query	 q;
	struct store_feed	*f;
	struct rpc_write	*w;
	json_t			*feed;
	int64_t			*ids = NULL;
	size_t			 n = 0;
	char			*cause = NULL;
	int			 read = -1, starred = -1, all = 0;

	memset(&q, 0, sizeof(q));
	if (rpc_bool(params, "read", &read) < 0 ||
	    rpc_bool(params, "starred", &starred) < 0 ||
	    rpc_bool(params, "all", &all) < 0)
		return (rpc_bad(message, "%s must be true or false",
		    "read/starred/all"));
	if (rpc_str(params, "tag", &q.tag) < 0)
		return (rpc_bad(message, "%s must be a string", "tag"));
	if (rpc_int(params, "before", &q.before, 1) < 0)
		return (rpc_bad(message, "%s must be an item id", "before"));
	feed = json_object_get(params, "feed");
	if (feed != NULL && !json_is_null(feed)) {
		if ((f = rpc_feed(r, feed)) == NULL)
			return (rpc_failed(message, xstrdup("no such feed")));
		q.feed_id = f->id;
		store_feed_free(f);
	}
	if (json_object_get(params, "ids") != NULL) {
		if (all || q.tag != NULL || q.feed_id > 0 || q.before > 0)
			return (rpc_bad(message, "ids go alone: not with "
			    "all, feed, tag or before"));
		if (rpc_ids(params, &ids, &n) != 0)
			return (rpc_bad(message, "%s: want a list of item ids",
			    "ids"));
	} else if (!all && q.tag == NULL && q.feed_id == 0)
		return (rpc_bad(message, "ids, all, feed or tag is "
		    "required"));
	if (read < 0 && starred < 0) {
		free(ids);
		return (rpc_bad(message, "read or starred is required"));
	}
	if (ids != NULL && (cause = rpc_missing(r, ids, n)) != NULL) {
		free(ids);
		return (rpc_failed(message, cause));
	}
	w = rpc_write_new(r, params);
	w->ids = ids;
	w->n = n;
	w->q = q;
	w->read = read;
	w->starred = starred;
	return (rpc_write_submit(w, rpc_items_mark_run, rpc_items_mark_done));
}

/*
 * items.search answers once the index holds every item committed before
 * the request (the indexer works after the commits), so a search right
 * after a poll finds what it brought (struct rpc_search, above).
 */
static int
rpc_search_run(struct rpc *r, const char *query, size_t limit,
    json_t **result, char **message)
{
	struct store_item	*v;
	char			*cause = NULL;
	size_t			 n;

	if (store_items_search(r->store, query, limit, &v, &n, &cause) != 0)
		return (rpc_failed(message, cause));
	*result = rpc_items_json(v, n);
	return (0);
}

static void
rpc_search_ready(void *arg)
{
	struct rpc_search	*s = arg;
	json_t			*result = NULL;
	char			*message = NULL;
	int			 code;

	if (s->conn != NULL) {
		code = rpc_search_run(s->rpc, s->query, s->limit, &result,
		    &message);
		server_answer(s->conn, s->id, result, code, message);
		free(message);
	}
	TAILQ_REMOVE(&s->rpc->searches, s, entry);
	json_decref(s->id);
	free(s->query);
	free(s);
}

static int
rpc_items_search(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct rpc_search	*s;
	const char		*query = NULL;
	char			*cause = NULL;
	int64_t			 limit = 0, lag = 0;
	int			 rc;

	if (rpc_str(params, "query", &query) != 1)
		return (rpc_bad(message, "%s (a string) is required",
		    "query"));
	if ((rc = rpc_limit(params, &limit, message)) != 0)
		return (rc);
	if (r->indexer == NULL ||
	    (store_index_lag(r->store, &lag, &cause) == 0 && lag == 0))
		return (rpc_search_run(r, query, (size_t)limit, result,
		    message));
	free(cause);
	s = xcalloc(1, sizeof(*s));
	s->rpc = r;
	s->conn = r->conn;
	s->id = json_incref(r->id);
	s->query = xstrdup(query);
	s->limit = (size_t)limit;
	TAILQ_INSERT_TAIL(&r->searches, s, entry);
	indexer_wait(r->indexer, rpc_search_ready, s);
	return (RPC_DEFERRED);
}

static int
rpc_consumer_fetch_run(struct store *s, struct rpc_write *w, char **cause)
{
	return (store_consumer_fetch(s, &w->consumer, &w->items, &w->nitems,
	    cause));
}

static int
rpc_consumer_fetch_done(struct rpc_write *w, json_t **result,
    char **message)
{
	*result = rpc_items_json(w->items, w->nitems);
	w->items = NULL;
	w->nitems = 0;
	return (0);
}

/*
 * consumer.fetch {name, limit?, feed?, tag?, from_start?}: on the writer,
 * since a consumer's first fetch records it.
 */
static int
rpc_consumer_fetch(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct store_consumer	 c;
	struct store_feed	*f;
	struct rpc_write	*w;
	json_t			*feed;
	int64_t			 limit = 0;
	int			 rc;

	memset(&c, 0, sizeof(c));
	if (rpc_str(params, "name", &c.name) != 1)
		return (rpc_bad(message, "%s (a string) is required", "name"));
	if ((rc = rpc_limit(params, &limit, message)) != 0)
		return (rc);
	if (rpc_str(params, "tag", &c.tag) < 0)
		return (rpc_bad(message, "%s must be a string", "tag"));
	if (rpc_bool(params, "from_start", &c.from_start) < 0)
		return (rpc_bad(message, "%s must be true or false",
		    "from_start"));
	feed = json_object_get(params, "feed");
	if (feed != NULL && !json_is_null(feed)) {
		if ((f = rpc_feed(r, feed)) == NULL)
			return (rpc_failed(message, xstrdup("no such feed")));
		c.feed_id = f->id;
		store_feed_free(f);
	}
	c.limit = (size_t)limit;
	w = rpc_write_new(r, params);
	w->consumer = c;
	return (rpc_write_submit(w, rpc_consumer_fetch_run,
	    rpc_consumer_fetch_done));
}

static int
rpc_consumer_ack_run(struct store *s, struct rpc_write *w, char **cause)
{
	return (store_consumer_ack(s, w->consumer.name, w->item_id,
	    &w->cursor, cause));
}

static int
rpc_consumer_ack_done(struct rpc_write *w, json_t **result, char **message)
{
	*result = json_pack("{s:s, s:I}", "name", w->consumer.name, "cursor",
	    (json_int_t)w->cursor);
	return (0);
}

static int
rpc_consumer_ack(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct rpc_write	*w;
	const char		*name = NULL;
	int64_t			 id = -1;

	if (rpc_str(params, "name", &name) != 1)
		return (rpc_bad(message, "%s (a string) is required", "name"));
	if (rpc_int(params, "id", &id, 0) != 1)
		return (rpc_bad(message, "%s (an item id) is required", "id"));
	w = rpc_write_new(r, params);
	w->consumer.name = name;
	w->item_id = id;
	return (rpc_write_submit(w, rpc_consumer_ack_run,
	    rpc_consumer_ack_done));
}

/* --- watch --- */

/*
 * A watcher past this much unsent output is too far behind: it gets a
 * last error and is dropped, so it can never grow the daemon's memory.
 * A replay only goes on while under the low mark, and a commit larger
 * than a page, or one that finds the watcher above it, is fed as a
 * replay too (from the store, as the client drains): queued whole, a
 * poll of 27,000 items dropped a watcher that kept up.
 */
#define RPC_WATCH_HIGH	(8 * 1024 * 1024)
#define RPC_WATCH_LOW	(1024 * 1024)
#define RPC_WATCH_PAGE	500

struct rpc_watch {
	struct rpc		*rpc;
	struct server_conn	*conn;
	int64_t			 cursor;	/* every id <= this was seen */
	int64_t			 feed_id;	/* 0: any */
	char			*tag;		/* NULL: any */
	int			 replaying;
	int			 dead;
	struct event		*ev;		/* the replay's next page */
	TAILQ_ENTRY(rpc_watch)	 entry;
};

static void
rpc_watch_free(void *arg)
{
	struct rpc_watch	*w = arg;

	TAILQ_REMOVE(&w->rpc->watches, w, entry);
	event_free(w->ev);
	free(w->tag);
	free(w);
}

/* Sends one item; drops the watcher when it is too far behind. */
static void
rpc_watch_send(struct rpc_watch *w, const struct store_item *si)
{
	server_send(w->conn, json_pack("{s:s, s:s, s:o}", "jsonrpc", "2.0",
	    "method", "item", "params", store_json_item(si)));
	if (server_conn_backlog(w->conn) > RPC_WATCH_HIGH) {
		server_send(w->conn, json_pack("{s:s, s:s, s:{s:s, s:I}}",
		    "jsonrpc", "2.0", "method", "error", "params", "message",
		    "too far behind: reconnect with \"since\"", "since",
		    (json_int_t)w->cursor));
		server_conn_close(w->conn);
		w->dead = 1;
	}
}

/* Stored items after the cursor, a page a loop turn, then live ones. */
static void
rpc_watch_replay_cb(evutil_socket_t fd, short what, void *arg)
{
	struct rpc_watch	*w = arg;
	struct store_query	 q;
	struct store_item	*v;
	struct timeval		 tv = { 0, 0 };
	char			*cause = NULL;
	size_t			 n, i;

	if (w->dead)
		return;
	if (server_conn_backlog(w->conn) > RPC_WATCH_LOW) {
		tv.tv_usec = 10000;	/* let the client read first */
		evtimer_add(w->ev, &tv);
		return;
	}
	memset(&q, 0, sizeof(q));
	q.since = w->cursor;
	q.feed_id = w->feed_id;
	q.tag = w->tag;
	q.limit = RPC_WATCH_PAGE;
	if (store_items_list(w->rpc->store, &q, &v, &n, &cause) != 0) {
		free(cause);
		evtimer_add(w->ev, &tv);
		return;
	}
	for (i = 0; i < n && !w->dead; i++) {
		/* Big items: the rest of the page once the client read. */
		if (server_conn_backlog(w->conn) > RPC_WATCH_LOW)
			break;
		rpc_watch_send(w, &v[i]);
		w->cursor = v[i].id;
	}
	store_items_free(v, n);
	if (n == RPC_WATCH_PAGE || i < n)
		evtimer_add(w->ev, &tv);
	else
		w->replaying = 0;	/* caught up: live from here */
}

/*
 * watch {since?, feed?, tag?}: items stored after "since" (none when it
 * is left out), then each new one as it is committed, as "item"
 * notifications.  One cursor per watcher makes the seam exact: an item
 * is sent when its id is past the cursor, and the cursor only grows.
 */
static int
rpc_watch(struct rpc *r, json_t *params, json_t **result, char **message)
{
	struct rpc_watch	*w;
	struct store_feed	*f;
	struct store_stats	 st;
	struct timeval		 tv = { 0, 0 };
	const char		*tag = NULL;
	json_t			*feed;
	char			*cause = NULL;
	int64_t			 since = -1;

	if (server_conn_get_data(r->conn) != NULL)
		return (rpc_failed(message, xstrdup("this connection is "
		    "already watching")));
	if (rpc_int(params, "since", &since, 0) < 0)
		return (rpc_bad(message, "%s must be an item id", "since"));
	if (rpc_str(params, "tag", &tag) < 0)
		return (rpc_bad(message, "%s must be a string", "tag"));
	w = xcalloc(1, sizeof(*w));
	feed = json_object_get(params, "feed");
	if (feed != NULL && !json_is_null(feed)) {
		if ((f = rpc_feed(r, feed)) == NULL) {
			free(w);
			return (rpc_failed(message, xstrdup("no such feed")));
		}
		w->feed_id = f->id;
		store_feed_free(f);
	}
	if (since < 0) {
		if (store_stats(r->store, &st, &cause) != 0) {
			free(w);
			return (rpc_failed(message, cause));
		}
		since = st.max_id;
	}
	w->rpc = r;
	w->conn = r->conn;
	w->cursor = since;
	w->tag = tag != NULL ? xstrdup(tag) : NULL;
	w->replaying = 1;
	w->ev = evtimer_new(r->base, rpc_watch_replay_cb, w);
	TAILQ_INSERT_TAIL(&r->watches, w, entry);
	server_conn_set_data(r->conn, w, rpc_watch_free);
	/* After this reply has gone out: the replay's first page. */
	evtimer_add(w->ev, &tv);
	*result = json_pack("{s:b, s:I}", "watching", 1, "since",
	    (json_int_t)since);
	return (0);
}

static int
rpc_watch_wants(struct rpc_watch *w, int64_t feed_id,
    const struct store_feed *f)
{
	size_t	i;

	if (w->dead || w->replaying)
		return (0);
	if (w->feed_id != 0 && w->feed_id != feed_id)
		return (0);
	if (w->tag == NULL)
		return (1);
	for (i = 0; f != NULL && i < f->ntags; i++)
		if (strcmp(f->tags[i], w->tag) == 0)
			return (1);
	return (0);
}

/* poller's announce callback: a poll's new items are committed. */
void
rpc_announce(int64_t feed_id, const int64_t *ids, size_t nids, void *arg)
{
	struct rpc		*r = arg;
	struct rpc_watch	*w;
	struct store_feed	*f = NULL;
	struct store_item	*v = NULL;
	struct timeval		 tv = { 0, 0 };
	char			*cause = NULL;
	size_t			 n = 0, i;
	int			 any = 0;

	TAILQ_FOREACH(w, &r->watches, entry) {
		if (w->tag != NULL && f == NULL)
			f = store_feed_get(r->store, feed_id);
		if (!rpc_watch_wants(w, feed_id, f))
			continue;
		if (nids > RPC_WATCH_PAGE ||
		    server_conn_backlog(w->conn) > RPC_WATCH_LOW) {
			/* The cursor makes the seam exact, as at the start. */
			w->replaying = 1;
			evtimer_add(w->ev, &tv);
			continue;
		}
		any = 1;
	}
	if (!any || store_items_get(r->store, ids, nids, &v, &n, &cause) != 0) {
		free(cause);
		store_feed_free(f);
		return;
	}
	TAILQ_FOREACH(w, &r->watches, entry) {
		if (!rpc_watch_wants(w, feed_id, f))
			continue;
		for (i = 0; i < n && !w->dead; i++) {
			if (v[i].id <= w->cursor)
				continue;
			rpc_watch_send(w, &v[i]);
			w->cursor = v[i].id;
		}
	}
	store_items_free(v, n);
	store_feed_free(f);
}

/* --- OPML --- */

/*
 * opml.import {opml}: the text of an OPML document or of a newsboat urls
 * file; each feed added, already present, invalid or unsupported.  New
 * feeds are polled a little later rather than at once, so that the
 * "feedctl poll --wait" that usually follows polls each of them once.
 */
/*
 * On the writer: each outline added, present, invalid or unsupported;
 * the ids it added are left in w->ids for the loop to schedule.
 */
static int
rpc_opml_import_run(struct store *s, struct rpc_write *w, char **cause)
{
	struct store_feed_conf	 sc;
	struct opml_outline	*v = w->outlines;
	struct store_feed	*f;
	json_t			*res, *o;
	const char		*what, *bad;
	char			*why = NULL, *norm;
	size_t			 i, present = 0, invalid = 0, unsupported = 0;
	int64_t			 id;

	res = json_array();
	w->ids = xcalloc(w->noutlines + 1, sizeof(*w->ids));
	for (i = 0; i < w->noutlines; i++) {
		o = json_pack("{s:s, s:i}", "url", v[i].url, "line",
		    (int)v[i].line);
		if (v[i].problem != NULL) {
			unsupported++;
			json_object_set_new(o, "result",
			    json_string("unsupported"));
			json_object_set_new(o, "reason",
			    json_string(v[i].problem));
			json_array_append_new(res, o);
			continue;
		}
		if ((norm = url_feed(v[i].url, &bad)) == NULL) {
			invalid++;
			json_object_set_new(o, "result", json_string("invalid"));
			json_object_set_new(o, "reason", json_string(bad));
			json_array_append_new(res, o);
			continue;
		}
		free(norm);	/* store_feed_add() stores this form */
		if ((f = store_feed_find(s, v[i].url)) != NULL) {
			store_feed_free(f);
			present++;
			json_object_set_new(o, "result", json_string("present"));
			json_array_append_new(res, o);
			continue;
		}
		memset(&sc, 0, sizeof(sc));
		sc.url = v[i].url;
		sc.title = v[i].title;
		sc.tags = (const char *const *)v[i].tags;
		sc.ntags = v[i].ntags;
		sc.interval = -1;
		sc.enabled = 1;
		sc.origin = STORE_ORIGIN_RUNTIME;
		if (store_feed_add(s, &sc, &id, &why) != 0) {
			invalid++;
			what = "invalid";
			json_object_set_new(o, "reason", json_string(why));
			free(why);
			why = NULL;
		} else {
			w->ids[w->n++] = id;
			what = "added";
			json_object_set_new(o, "feed", json_integer(id));
		}
		json_object_set_new(o, "result", json_string(what));
		json_array_append_new(res, o);
	}
	w->result = json_pack("{s:I, s:I, s:I, s:I, s:o}", "added",
	    (json_int_t)w->n, "present", (json_int_t)present, "invalid",
	    (json_int_t)invalid, "unsupported", (json_int_t)unsupported,
	    "outlines", res);
	return (0);
}

static int
rpc_opml_import_done(struct rpc_write *w, json_t **result, char **message)
{
	size_t	i;

	for (i = 0; i < w->n; i++)
		poller_feed_later(w->rpc->poller, w->ids[i], i + 1);
	*result = w->result;
	w->result = NULL;
	return (0);
}

/*
 * opml.import {opml}: the text of an OPML document or of a newsboat urls
 * file; each feed added, already present, invalid or unsupported.  New
 * feeds are polled a little later rather than at once, so that the
 * "feedctl poll --wait" that usually follows polls each of them once.
 */
static int
rpc_opml_import(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct rpc_write	*w;
	struct opml_outline	*v;
	const char		*text = NULL;
	char			*cause = NULL;
	size_t			 n;

	if (rpc_str(params, "opml", &text) != 1)
		return (rpc_bad(message, "%s (the document) is required",
		    "opml"));
	if (opml_parse_any(text, strlen(text), &v, &n, &cause) != 0)
		return (rpc_failed(message, cause));
	w = rpc_write_new(r, params);
	w->outlines = v;
	w->noutlines = n;
	return (rpc_write_submit(w, rpc_opml_import_run,
	    rpc_opml_import_done));
}

static int
rpc_opml_export(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct store_feed	**v;
	size_t			  n;
	char			 *text;

	if (store_feeds_list(r->store, NULL, &v, &n) != 0)
		return (rpc_failed(message, xstrdup("cannot list feeds")));
	text = opml_write(v, n);
	store_feeds_free(v, n);
	*result = json_pack("{s:s}", "opml", text);
	free(text);
	return (0);
}
