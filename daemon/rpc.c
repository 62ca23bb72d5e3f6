/*
 * rpc.c: the socket's methods: a sorted table hands each request to its
 * handler, in the file of the area it serves (rpc-feeds.c, rpc-items.c,
 * rpc-consumer.c, rpc-notify.c, rpc-opml.c, rpc-status.c, rpc-watch.c).
 * Params are checked here and by the helpers below (wrong types are
 * -32602, not a crash); a request that changes data is a writer task,
 * answered after the commit (struct rpc_write).  Nothing a client sends
 * reaches a file or a method not listed, but a password_file that
 * belongs to the client (rpc-feeds.c).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "conf.h"
#include "opml.h"
#include "rpc-int.h"
#include "rpc.h"
#include "server.h"
#include "store-json.h"
#include "store.h"
#include "writer.h"
#include "xmalloc.h"

struct rpc_method {
	const char	*name;
	rpc_handler	 handler;
	const char	*params;	/* every one it takes, space-separated */
};

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
	{ "consumer.list", rpc_consumer_list, "" },
	{ "consumer.remove", rpc_consumer_remove, "name" },
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
	{ "notify.list", rpc_notify_list, "name parked limit" },
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
	TAILQ_INIT(&r->writes);
}

/*
 * A reload's outcome, for status and metrics: "error" is why the file on
 * disk was refused (the daemon runs on the configuration before it), NULL
 * when the reload took.  Monitoring sees the file and the daemon disagree
 * without reading the log.
 */
void
rpc_reloaded(struct rpc *r, const char *error)
{
	free(r->config_error);
	r->config_error = error != NULL ? xstrdup(error) : NULL;
	if (error != NULL) {
		r->config_error_at = time(NULL);
		r->reload_failures++;
	}
}

void
rpc_clear(struct rpc *r)
{
	free(r->config_error);
	r->config_error = NULL;
}

int
rpc_bad(char **message, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	if (vasprintf(message, fmt, ap) < 0)
		*message = NULL;
	va_end(ap);
	return (RPC_INVALID_PARAMS);
}

int
rpc_failed(char **message, char *cause)
{
	*message = cause;
	return (RPC_FAILED);
}

/* An optional integer member; -1 on a wrong type. */
int
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

int
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

int
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
int
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
struct store_feed *
rpc_feed(struct rpc *r, json_t *j)
{
	if (json_is_integer(j))
		return (store_feed_get(r->store, json_integer_value(j)));
	if (json_is_string(j))
		return (store_feed_find(r->store, json_string_value(j)));
	return (NULL);
}

/*
 * rpc_feed() found none for "j": "no such feed", unless the store could
 * not be read (the database out of reach), which says nothing of it.
 */
int
rpc_no_feed(struct rpc *r, json_t *j, char **message)
{
	const char	*why = NULL;

	if (json_is_integer(j) || json_is_string(j))
		why = store_read_error(r->store);
	return (rpc_failed(message, xstrdup(why != NULL ? why :
	    "no such feed")));
}

/*
 * A filter's tag that no feed has: a misspelt one would list nothing, and
 * a consumer or watch made with it would wait for good.  0 when some feed
 * has it, else the error for the request.
 */
int
rpc_tag_unknown(struct rpc *r, const char *tag, char **message)
{
	struct store_feed	**v;
	size_t			  n;

	if (tag == NULL)
		return (0);
	if (store_feeds_list(r->store, tag, &v, &n) != 0)
		return (rpc_store_failed(r, "cannot list feeds", message));
	store_feeds_free(v, n);
	if (n == 0)
		return (rpc_bad(message, "no feed has tag \"%s\"", tag));
	return (0);
}

/*
 * A read of the store failed where the backend logged why: the client
 * hears that the database is out of reach when it is, else "what".
 */
int
rpc_store_failed(struct rpc *r, const char *what, char **message)
{
	int64_t	 since;
	char	*why;

	if (store_unreachable(r->store, &since, &why))
		return (rpc_failed(message, why));
	return (rpc_failed(message, xstrdup(what)));
}

/*
 * {"items": [...]} appended to "b" as JSON text, each item as
 * store_json_item_write() writes it; frees "v".
 */
void
rpc_items_write(struct buf *b, struct store_item *v, size_t n)
{
	size_t	i;

	buf_adds(b, "{\"items\":[");
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(b, ',');
		store_json_item_write(b, &v[i]);
	}
	buf_adds(b, "]}");
	store_items_free(v, n);
}

/*
 * Answers the request being handled with "b", a result written as JSON
 * text, and frees it.  The handler returns what this returns: the
 * answer is out, nothing more goes (RPC_DEFERRED, already answered).
 */
int
rpc_answer_text(struct rpc *r, struct buf *b)
{
	if (r->id != NULL)
		server_answer_text(r->conn, r->id, b->data, b->len);
	buf_free(b);
	return (RPC_DEFERRED);
}

/* Tags: a list of strings, or one comma-separated string. */
int
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

void
rpc_tags_free(char **tags, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(tags[i]);
	free(tags);
}

struct rpc_write *
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
	if (w->conn != NULL && w->id != NULL && code == 0 && result == NULL &&
	    w->text.data != NULL)
		server_answer_text(w->conn, w->id, w->text.data, w->text.len);
	else if (w->conn != NULL && w->id != NULL)
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
	json_decref(w->outcomes);
	free(w->polls);
	buf_free(&w->text);
	free(w);
}

/*
 * The outcome of work done elsewhere (subscribe.c's check, a notifier's
 * test delivery, notify.c's revive): "result" (taken) or "error".
 */
void
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
int
rpc_write_submit(struct rpc_write *w, rpc_write_run run, rpc_write_done done)
{
	struct rpc	*r = w->rpc;

	w->run = run;
	w->done = done;
	TAILQ_INSERT_TAIL(&r->writes, w, entry);
	writer_task(r->writer, rpc_write_run_cb, rpc_write_done_cb, w);
	return (RPC_DEFERRED);
}

/* server.c: a connection went away; nothing may point at it now. */
void
rpc_conn_gone(struct server_conn *c, void *arg)
{
	struct rpc	*r = arg;
	struct rpc_write *wr, *next;

	for (wr = TAILQ_FIRST(&r->writes); wr != NULL; wr = next) {
		next = TAILQ_NEXT(wr, entry);
		if (wr->conn != c)
			continue;
		wr->conn = NULL;
		if (wr->droppable)
			rpc_write_finish(wr, NULL, NULL);
	}
}
