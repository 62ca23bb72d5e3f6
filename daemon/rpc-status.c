/*
 * rpc-status.c: status and metrics: how the daemon, its feeds and its
 * notifiers are doing.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "buf.h"
#include "json.h"
#include "log.h"
#include "notify.h"
#include "poller.h"
#include "rpc-int.h"
#include "rpc.h"
#include "rules.h"
#include "store.h"

/*
 * The nodes sharing the database (PostgreSQL), oldest first; NULL for a
 * store one node has to itself (sqlite), whose status has no "nodes".
 * A node read fails soft: the rest of the status still answers.
 */
static json_t *
rpc_status_nodes(struct rpc *r)
{
	struct store_node	*v;
	const char		*me;
	json_t			*a;
	char			*cause = NULL;
	size_t			 n, i;
	int64_t			 now = (int64_t)time(NULL);

	if ((me = store_node_id(r->store)) == NULL)
		return (NULL);
	if (store_nodes_list(r->store, now, &v, &n, &cause) != 0) {
		log_warnx("status: %s", cause);
		free(cause);
		return (NULL);
	}
	a = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:I, s:s, s:o, "
		    "s:o, s:I, s:b, s:b, s:I, s:I, s:b}",
		    "owner", v[i].owner,
		    "host", v[i].host,
		    "pid", (json_int_t)v[i].pid,
		    "version", v[i].version,
		    "started", json_date(v[i].started),
		    "heartbeat", json_date(v[i].heartbeat),
		    "heartbeat_age", (json_int_t)(now - v[i].heartbeat),
		    "stale", now - v[i].heartbeat > STORE_NODE_STALE,
		    "connected", v[i].connected,
		    "feeds_leased", (json_int_t)v[i].feeds,
		    "outbox_leased", (json_int_t)v[i].outbox,
		    "this", strcmp(v[i].owner, me) == 0));
	store_nodes_free(v, n);
	return (a);
}

/* Feeds polled whose last poll failed, as status and the table count. */
static size_t
rpc_failing_feeds(struct rpc *r)
{
	struct store_feed	**v;
	size_t			  n, i, failing = 0;

	if (store_feeds_states(r->store, &v, &n) == 0) {
		for (i = 0; i < n; i++) {
			poller_feed_overlay(r->poller, v[i]);
			if (v[i]->enabled && v[i]->errors > 0)
				failing++;
		}
		store_feeds_free(v, n);
	}
	return (failing);
}

/* A count the database keeps: null while it cannot be read. */
static json_t *
rpc_count(int known, int64_t n)
{
	return (known ? json_integer((json_int_t)n) : json_null());
}

/*
 * The notifiers as the node knows them; their queues are the database's
 * and unknown ("known" 0) while it cannot be read, rather than the 0s
 * notify_status() falls back to.
 */
static json_t *
rpc_status_notifiers(struct rpc *r, int known)
{
	json_t	*a, *n;
	size_t	 i;

	if (r->notify == NULL)
		return (json_array());
	a = notify_status(r->notify);
	if (!known)
		json_array_foreach(a, i, n) {
			json_object_set_new(n, "pending", json_null());
			json_object_set_new(n, "failed", json_null());
		}
	return (a);
}

int
rpc_status(struct rpc *r, json_t *params, json_t **result, char **message)
{
	struct store_stats	 st;
	json_t			*nodes, *down = NULL;
	int64_t			 since;
	char			*cause = NULL, *why;
	int			 rc, known = 1;

	rc = store_stats(r->store, &st, &cause);
	if (rc != 0 && store_unreachable(r->store, &since, &why)) {
		/*
		 * Once more: a connection the server dropped (a restart) is
		 * made again by the next call, and one still out of reach
		 * waits out its backoff without trying.
		 */
		free(cause);
		free(why);
		cause = NULL;
		rc = store_stats(r->store, &st, &cause);
	}
	if (rc != 0) {
		if (!store_unreachable(r->store, &since, &why))
			return (rpc_failed(message, cause));
		/*
		 * The database server is down or out of reach, which is when
		 * an operator runs status: the node answers from its own
		 * state and says so; what only the database knows is null.
		 */
		free(cause);
		known = 0;
		down = json_pack("{s:s, s:o}", "error", why, "since",
		    json_date(since));
		free(why);
	}
	*result = json_pack("{s:s, s:i, s:I, s:o, s:o, s:o, s:o, s:I, s:o, "
	    "s:{s:o, s:o}, s:o}",
	    "version", FEEDD_VERSION,
	    "protocol", RPC_PROTOCOL,
	    "uptime", (json_int_t)(time(NULL) - r->started),
	    "feeds", rpc_count(known, st.feeds),
	    "items", rpc_count(known, st.items),
	    "unread", rpc_count(known, st.unread),
	    "last_item", rpc_count(known, st.max_id),
	    "polling", (json_int_t)poller_in_flight(r->poller),
	    "errors", rpc_count(known, known ? (int64_t)rpc_failing_feeds(r) :
	    0),
	    "notifier_queue", "pending", rpc_count(known, st.outbox_pending),
	    "failed", rpc_count(known, st.outbox_failed),
	    "search_lag", rpc_count(known, st.search_lag));
	json_object_set_new(*result, "notifiers", rpc_status_notifiers(r,
	    known));
	if (!known && store_node_id(r->store) != NULL)
		json_object_set_new(*result, "nodes", json_null());
	else if (known && (nodes = rpc_status_nodes(r)) != NULL)
		json_object_set_new(*result, "nodes", nodes);
	json_object_set_new(*result, "database_unreachable", down != NULL ?
	    down : json_null());
	/* Set while the last commit failed (a full disk): nothing is kept. */
	json_object_set_new(*result, "store_error",
	    poller_store_error(r->poller) != NULL ?
	    json_string(poller_store_error(r->poller)) : json_null());
	json_object_set_new(*result, "config_error", r->config_error != NULL ?
	    json_pack("{s:s, s:o}", "error", r->config_error, "since",
	    json_date((int64_t)r->config_error_at)) : json_null());
	return (0);
}

/* A label value: backslash, double quote and line end escaped. */
static void
rpc_metrics_label(struct buf *b, const char *v)
{
	for (; *v != '\0'; v++) {
		if (*v == '\\' || *v == '"')
			buf_addc(b, '\\');
		if (*v == '\n')
			buf_adds(b, "\\n");
		else
			buf_addc(b, *v);
	}
}

/*
 * Each notifier's queue, by name, for an alert on the one that is stuck
 * (the totals above sum them); "list" is notify_status()'s, taken.
 */
static void
rpc_metrics_notifiers(struct buf *b, json_t *list)
{
	static const struct {
		const char	*name, *field, *help;
	} g[] = {
		{ "feedd_notifier_pending", "pending",
		    "Deliveries of the notifier waiting or under way." },
		{ "feedd_notifier_failed", "failed",
		    "Deliveries of the notifier given up on (parked)." },
	};
	json_t	*o;
	size_t	 i, k;
	char	 line[64];

	for (k = 0; k < sizeof(g) / sizeof(g[0]); k++) {
		if (json_array_size(list) == 0)
			break;
		buf_adds(b, "# HELP ");
		buf_adds(b, g[k].name);
		buf_addc(b, ' ');
		buf_adds(b, g[k].help);
		buf_adds(b, "\n# TYPE ");
		buf_adds(b, g[k].name);
		buf_adds(b, " gauge\n");
		json_array_foreach(list, i, o) {
			buf_adds(b, g[k].name);
			buf_adds(b, "{notifier=\"");
			rpc_metrics_label(b, json_string_value(
			    json_object_get(o, "name")));
			snprintf(line, sizeof(line), "\"} %lld\n", (long long)
			    json_integer_value(json_object_get(o,
			    g[k].field)));
			buf_adds(b, line);
		}
	}
	json_decref(list);
}

/* The daemon's counters and gauges, in Prometheus text exposition. */
int
rpc_metrics(struct rpc *r, json_t *params, json_t **result, char **message)
{
	/* "db": read from the database, left out while it is unreachable. */
	static const struct {
		const char	*name;
		const char	*type;
		const char	*help;
		int		 db;
	} m[] = {
		{ "feedd_uptime_seconds", "gauge", "Seconds since start.", 0 },
		{ "feedd_feeds", "gauge", "Subscribed feeds.", 1 },
		{ "feedd_items", "gauge", "Stored items.", 1 },
		{ "feedd_items_unread", "gauge", "Stored items not read.", 1 },
		{ "feedd_polls_in_flight", "gauge", "Polls under way.", 0 },
		{ "feedd_polls_total", "counter", "Polls finished.", 0 },
		{ "feedd_poll_errors_total", "counter", "Polls that failed.",
		    0 },
		{ "feedd_polls_not_modified_total", "counter",
		    "Polls answered 304.", 0 },
		{ "feedd_new_items_total", "counter", "Items stored new.", 0 },
		{ "feedd_fetched_bytes_total", "counter", "Body bytes read.",
		    0 },
		{ "feedd_outbox_pending", "gauge", "Deliveries waiting.", 1 },
		{ "feedd_outbox_failed", "gauge", "Deliveries given up on.",
		    1 },
		{ "feedd_notify_delivered_total", "counter",
		    "Items delivered by notifiers.", 0 },
		{ "feedd_notify_retries_total", "counter",
		    "Deliveries that failed and will be retried.", 0 },
		{ "feedd_notify_failed_total", "counter",
		    "Deliveries parked after their last attempt.", 0 },
		{ "feedd_search_lag", "gauge",
		    "Items and changes committed, not yet searchable.", 1 },
		{ "feedd_rule_dropped_total", "counter",
		    "New items dropped by rules (drop, or not kept).", 0 },
		{ "feedd_rule_marked_read_total", "counter",
		    "New items stored read by mark_read rules.", 0 },
		{ "feedd_rule_limit_total", "counter",
		    "Rule matches that hit the match limit (no match).", 0 },
		{ "feedd_notify_match_limited_total", "counter",
		    "Item texts whose match hit its limits (not matched).", 0 },
		{ "feedd_config_reload_failures_total", "counter",
		    "Reloads whose configuration was refused.", 0 },
		{ "feedd_config_last_reload_ok", "gauge",
		    "1 unless the configuration of the last reload was "
		    "refused.", 0 },
		{ "feedd_feeds_failing", "gauge",
		    "Feeds polled whose last poll failed.", 1 },
		{ "feedd_database_up", "gauge",
		    "1 unless the database cannot be reached.", 0 },
	};
	struct rules_stats	 rst;
	struct notify_stats	 ns;
	struct poller_stats	 ps;
	struct store_stats	 st;
	struct buf		 b = { NULL, 0, 0 };
	char			*cause = NULL, line[256], *why;
	uint64_t		 v[sizeof(m) / sizeof(m[0])];
	int64_t			 since;
	size_t			 i;
	int			 up = 1;

	memset(&st, 0, sizeof(st));
	if (store_stats(r->store, &st, &cause) != 0) {
		/* As status: the node's own counters still answer. */
		if (!store_unreachable(r->store, &since, &why))
			return (rpc_failed(message, cause));
		free(cause);
		free(why);
		memset(&st, 0, sizeof(st));
		up = 0;
	}
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
	v[20] = r->reload_failures;
	v[21] = r->config_error == NULL;
	v[22] = up ? rpc_failing_feeds(r) : 0;
	v[23] = (uint64_t)up;
	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		if (m[i].db && !up)
			continue;
		snprintf(line, sizeof(line), "# HELP %s %s\n# TYPE %s %s\n"
		    "%s %" PRIu64 "\n", m[i].name, m[i].help, m[i].name,
		    m[i].type, m[i].name, v[i]);
		buf_adds(&b, line);
	}
	/* Their queues are the database's. */
	if (r->notify != NULL && up)
		rpc_metrics_notifiers(&b, notify_status(r->notify));
	*result = json_pack("{s:s}", "text", b.data);
	buf_free(&b);
	return (0);
}
