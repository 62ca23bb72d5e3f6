/*
 * store.h: where feeds, items, consumers and the notifier outbox live.
 * The rest of the daemon calls only these functions and never speaks SQL.
 * store_open() picks a backend from the database name (sqlite is the one
 * there is); a backend is a table of the operations below (store-int.h).
 *
 * Times are seconds since the epoch; DATE_NONE (item.h) means "never".
 */
#ifndef FEEDD_STORE_H
#define FEEDD_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "item.h"

struct feed_doc;
struct feed_item;
struct store;

struct store_feed;
struct store_listen;
struct store_prep;

/*
 * A new item, for the notifier router to pick notifiers; its feed (url,
 * title, tags) through store_route_feed(), read only when a filter needs
 * it, so a poll pays nothing for notifiers that take every feed.
 */
struct store_route {
	const struct feed_item	*item;
	int64_t			 item_id;	/* 0 if routed before insert */
	int			 repeat;	/* joined an earlier story */
	const struct store_feed	*(*load)(void *);	/* the backend's */
	void			*load_arg;
	int			 first;		/* STORE_FIRST_* */
};

/*
 * The feed's first poll that stored anything: its archive, not news.
 * Notifiers stay silent unless the feed or the notifier says
 * notify_first_poll; a feed subscribed again after it was removed stays
 * silent whatever they say (its archive went out the first time).
 */
#define STORE_FIRST_NO		0
#define STORE_FIRST_QUIET	1
#define STORE_FIRST_NOTIFY	2	/* the feed's notify_first_poll */
#define STORE_FIRST_AGAIN	3	/* subscribed again */

/*
 * The next poll, planned once the poll's new items are known: the store
 * calls it with the feed's item rate after the poll (store_item_rate())
 * and stores the "*next" and "*reason" it sets instead of the
 * store_poll's.  It runs on the thread that commits polls, so it must be
 * thread-safe, and it may be called more than once for one poll.  A poll
 * without a document may be stored with the store_poll's own (batched
 * on PostgreSQL), so those must be what it sets for a rate without a
 * new item.
 */
typedef void (*store_plan_cb)(double, int64_t *, const char **, void *);

/* Queues the item for notifier "name": an outbox row in the same
 * transaction as the item.  -1 on a store error. */
typedef int (*store_route_add)(void *, const char *);

/* The router: calls "add" once for each notifier that wants the item;
 * returns what a failed "add" returned.  It runs on the thread that
 * commits polls (the writer), so it must be thread-safe. */
typedef int (*store_route_cb)(const struct store_route *, store_route_add,
    void *, void *);

/*
 * The rules: what becomes of a new item (STORE_FILTER_*), asked before
 * it is stored, on the writer thread like the router.
 */
#define STORE_FILTER_STORE	0
#define STORE_FILTER_DROP	1	/* not stored */
#define STORE_FILTER_READ	2	/* stored read, never notified */
#define STORE_FILTER_DROPPED	3	/* not stored, as at its last poll */
typedef int (*store_filter_cb)(const struct store_route *, void *);

#define STORE_ORIGIN_CONFIG	0
#define STORE_ORIGIN_RUNTIME	1

#define STORE_KEYS_GUID		0	/* guid, else link ... */
#define STORE_KEYS_LINK		1	/* after a GUID storm: by link */

/* What a feed is subscribed with (config section or feedctl add). */
struct store_feed_conf {
	const char		*url;
	const char		*title;		/* NULL: the feed's own */
	const char *const	*tags;
	size_t			 ntags;
	int64_t			 interval;	/* seconds; -1: the default */
	int			 enabled;
	int			 origin;	/* STORE_ORIGIN_* */
	const char		*options;	/* JSON (feedopt.h), or NULL */
	const char		*moved_from;	/* the URL given, which moved
						   here for good: found too */
};

/* A feed as the store reports it (feedd-protocol(7) "Feed"). */
struct store_feed {
	int64_t		 id;
	char		*url;
	char		*title;		/* configured, else the feed's own */
	int		 title_set;	/* title is the configured one */
	char		*link;
	char		**tags;
	size_t		 ntags;
	int64_t		 interval;	/* -1: the default */
	int		 enabled;
	int		 origin;
	char		*etag;
	char		*last_modified;
	int64_t		 last_poll;
	int64_t		 last_success;
	int		 last_status;	/* HTTP status, 0 if none */
	char		*last_error;
	int		 errors;	/* consecutive */
	int64_t		 next_poll;
	char		*next_poll_reason;
	int64_t		 retry_after;	/* no request before, or DATE_NONE */
	double		 item_rate;	/* new items per day, observed */
	int		 key_mode;	/* STORE_KEYS_* */
	/*
	 * What the feed's last whole document said of its schedule (ttl,
	 * sy:updatePeriod, skipHours, skipDays): a 304 carries none, so
	 * the next-poll rule reads them here.  None known: ttl and
	 * update_period -1, the skips 0.
	 */
	struct feed_hints hints;
	int64_t		 items;
	int64_t		 unread;
	/* The URLs a permanent redirect moved it from: read for routing
	 * only (store_route_feed()), else none. */
	char		**old_urls;
	size_t		 nold_urls;
};

/* A stored item: the parsed record plus what the store adds. */
struct store_item {
	int64_t			 id;		/* the cursor */
	int64_t			 feed_id;
	int64_t			 story;		/* first item of its story */
	int64_t			 fetched;
	int			 read;
	int			 starred;
	int			 repeat;	/* joined an earlier story */
	struct feed_item	*item;
};

/*
 * The outcome of one poll, committed in one transaction.  A document's
 * schedule hints replace the feed's stored ones unless keep_validators
 * (a body cut short may have lost the hints after the cut); without a
 * document the stored ones stay.
 */
struct store_poll {
	int64_t			 now;
	const struct feed_doc	*doc;		/* NULL: nothing parsed */
	int			 http_status;	/* 0: no HTTP answer */
	const char		*etag;		/* validators of this answer */
	const char		*last_modified;
	int			 keep_validators; /* body broken: keep old */
	const char		*moved_to;	/* permanent redirect target */
	const char		*error;		/* NULL: the poll succeeded */
	int64_t			 next_poll;
	const char		*next_poll_reason;
	int64_t			 retry_after;	/* DATE_NONE: none */
	int			 disable;	/* 410 Gone */
	const struct store_prep	*prep;		/* NULL: the store makes it */
	int64_t			 rate_gap;	/* store_item_rate()'s min_gap */
	store_plan_cb		 plan;		/* NULL: next_poll as given */
	void			*plan_arg;
};

struct store_poll_result {
	int64_t		*ids;		/* new items, increasing */
	size_t		 nids;
	size_t		 nupdated;	/* known key, changed content */
	size_t		 nknown;	/* known and unchanged, or tombstoned */
	int		 storm;		/* switched to link keys just now */
	size_t		 ndropped;	/* new, dropped by the rules */
};

struct store_query {
	int64_t		 since;		/* items with id > since */
	int64_t		 feed_id;	/* 0: every feed */
	const char	*tag;		/* NULL: any */
	int		 unread;	/* only unread items */
	int		 starred;	/* only starred items */
	int		 newest;	/* the newest "limit", not the first */
	int64_t		 before;	/* marking: ids <= before (0: any) */
	size_t		 limit;		/* 0: STORE_DEFAULT_LIMIT */
};
#define STORE_DEFAULT_LIMIT	100
/* How much older than the last poll a new item is old news (seconds). */
#define STORE_OLD_NEWS		86400
#define STORE_MAX_LIMIT		10000

/* An outbox row due for delivery, with its item and feed. */
/*
 * A named consumer's fetch.  Its filters are remembered when it is made
 * (the first fetch); later fetches use them, and giving other ones is an
 * error.  A new consumer starts after the newest item unless from_start.
 * It keeps its feed by URL, so it follows the feed subscribed again; a
 * tag that no feed has is refused when it is made.
 */
struct store_consumer {
	const char	*name;
	int64_t		 feed_id;	/* 0: as remembered (or any) */
	const char	*feed_url;	/* feed_id's URL */
	const char	*tag;		/* NULL: as remembered (or any) */
	int		 from_start;	/* a new one starts at the first item */
	size_t		 limit;
};

/* A consumer as store_consumers_list() tells it. */
struct store_consumer_info {
	char		*name;
	char		*feed;		/* its feed's URL (or id), or NULL */
	int64_t		 feed_id;	/* that feed now; 0: gone, or none */
	char		*tag;		/* or NULL */
	int64_t		 cursor;	/* the last item acknowledged */
	int64_t		 updated;	/* when the cursor last moved */
	int64_t		 unacked;	/* items after the cursor it takes */
};

struct store_delivery {
	int64_t			 id;		/* the outbox row */
	int			 attempts;	/* failed ones so far */
	char			*feed_url;
	char			*feed_title;
	struct store_item	 item;
};

/*
 * A queued row as "feedctl notify list" shows it (store_outbox_list()):
 * its item, how it has gone so far, and when it goes next.
 */
struct store_outbox_row {
	int64_t		 id;		/* the outbox row */
	int64_t		 item_id;
	int64_t		 feed_id;
	char		*title;		/* the item's, or NULL */
	int		 attempts;	/* failed ones so far */
	int64_t		 next_attempt;
	int		 parked;	/* after max_attempts: until a retry */
	int		 elsewhere;	/* under way on another node */
	char		*last_error;	/* or NULL */
};

/* One notifier's queue. */
struct store_outbox_stats {
	int64_t		 pending;
	int64_t		 failed;	/* parked after max_attempts */
	int64_t		 next_attempt;	/* earliest pending, or DATE_NONE */
	char		*last_error;	/* of the latest failure, or NULL */
};

/*
 * A retention pass taken a chunk at a time: each store_retention_step()
 * is one short transaction, so the commits of polls go on between them.
 */
struct store_retention {
	int64_t		max_age;	/* seconds; <= 0: no age limit */
	int64_t		max_items;	/* per feed; <= 0: no count limit */
	int64_t		now;
	int64_t		next_feed;	/* where the next step starts */
	size_t		removed;	/* by the pass so far */
	int		done;
};
#define STORE_RETENTION_CHUNK	1000	/* items a step removes at most */

struct store_stats {
	int64_t		feeds;
	int64_t		items;
	int64_t		unread;
	int64_t		max_id;
	int64_t		outbox_pending;
	int64_t		outbox_failed;
	int64_t		search_lag;	/* committed, not yet searchable */
};

/*
 * A feedd process on a database several share (PostgreSQL), as "status"
 * lists it.  Each node writes its row when it starts and every
 * STORE_NODE_BEAT seconds after (a writer task: the beat never holds the
 * loop), and deletes it when it stops cleanly.  A row not refreshed for
 * STORE_NODE_STALE seconds is shown stale: six beats, since a beat waits
 * behind the batch the writer is committing, which takes seconds, not a
 * minute.  A stale row is deleted, by any node's beat, after
 * STORE_NODE_PRUNE: a node that died in the night is still in the
 * morning's status, and rows of crashed nodes do not pile up.
 */
struct store_node {
	char		*owner;		/* the id its leases carry */
	char		*host;
	int64_t		 pid;
	char		*version;
	int64_t		 started;
	int64_t		 heartbeat;
	int64_t		 feeds;		/* feed leases it holds now */
	int64_t		 outbox;	/* outbox leases it holds now */
	int		 connected;	/* to the database now: alive */
};
#define STORE_NODE_BEAT		10
#define STORE_NODE_STALE	60
#define STORE_NODE_PRUNE	86400

struct store	*store_open(const char *, char **);
char		*store_display_name(const char *);
int		 store_check(const char *, char **);
int		 store_lock(const char *, int *, char **);
void		 store_set_router(struct store *, store_route_cb, void *);
void		 store_set_filter(struct store *, store_filter_cb, void *);
const struct store_feed *store_route_feed(const struct store_route *);

int		 store_feed_add(struct store *, const struct store_feed_conf *,
		    int64_t *, char **);
int		 store_feed_update(struct store *, int64_t,
		    const struct store_feed_conf *, char **);
int		 store_feed_remove(struct store *, int64_t, char **);
int		 store_feed_edit(struct store *, int64_t,
		    const struct store_feed_conf *, const char *, int, char **);
int		 store_feed_release(struct store *, int64_t, char **);
char		*store_feed_options(struct store *, int64_t);
struct store_feed *store_feed_get(struct store *, int64_t);
struct store_feed *store_feed_state(struct store *, int64_t);
struct store_feed *store_feed_find(struct store *, const char *);
const char	*store_read_error(struct store *);
int		 store_feeds_list(struct store *, const char *,
		    struct store_feed ***, size_t *);
int		 store_feeds_states(struct store *, struct store_feed ***,
		    size_t *);
int		 store_feeds_state_of(struct store *, size_t, const int64_t *,
		    struct store_feed **);
int		 store_feed_claim(struct store *, int64_t, int64_t, int,
		    int64_t *, char **);
#define STORE_CLAIM_WAIT	2	/* store_feeds_claim(): not yet */
/*
 * store_feeds_claim()'s bound on one host's polls across the nodes: at
 * most "per_host" of its feeds leased at once, not counting "fetched",
 * this node's feeds whose fetch is over and whose poll is not yet
 * stored (they no longer load the host).
 */
struct store_host_bound {
	unsigned int	 per_host;
	const int64_t	*fetched;
	size_t		 nfetched;
};
int		 store_feeds_claim(struct store *, size_t, const int64_t *,
		    const int *, int64_t, const struct store_host_bound *,
		    int *, int64_t *, uint32_t *, char **);
void		 store_feed_free(struct store_feed *);
void		 store_feeds_free(struct store_feed **, size_t);

int		 store_apply_poll(struct store *, int64_t,
		    const struct store_poll *, struct store_poll_result *,
		    char **);
void		 store_apply_polls(struct store *, size_t, const int64_t *,
		    const struct store_poll *const *,
		    struct store_poll_result *, char **);
void		 store_poll_result_clear(struct store_poll_result *);
double		 store_item_rate(double, int64_t, int64_t, size_t, int64_t);
int		 store_item_old_news(const struct feed_item *, int64_t);

int		 store_items_list(struct store *, const struct store_query *,
		    struct store_item **, size_t *, char **);
int		 store_items_get(struct store *, const int64_t *, size_t,
		    struct store_item **, size_t *, char **);
int		 store_items_search(struct store *, const char *, size_t,
		    struct store_item **, size_t *, char **);
int		 store_index_update(struct store *, size_t, int *, char **);
int		 store_index_lag(struct store *, int64_t *, char **);
void		 store_index_stop(struct store *);
int		 store_items_mark(struct store *, const int64_t *, size_t, int,
		    int, size_t *, char **);
int		 store_items_mark_where(struct store *,
		    const struct store_query *, int, int, size_t *, char **);
void		 store_items_free(struct store_item *, size_t);

int		 store_consumer_fetch(struct store *,
		    const struct store_consumer *, struct store_item **,
		    size_t *, char **);
int		 store_consumer_ack(struct store *, const char *, int64_t,
		    int64_t *, char **);
int		 store_consumers_list(struct store *,
		    struct store_consumer_info **, size_t *, char **);
void		 store_consumers_free(struct store_consumer_info *, size_t);
int		 store_consumer_remove(struct store *, const char *, char **);

int		 store_outbox_due(struct store *, const char *, int64_t,
		    size_t, const int64_t *, size_t, struct store_delivery **,
		    size_t *, char **);
void		 store_deliveries_free(struct store_delivery *, size_t);
int		 store_outbox_done(struct store *, const int64_t *, size_t,
		    char **);
int		 store_outbox_retry(struct store *, const int64_t *, size_t,
		    int64_t, int, const char *, char **);
int		 store_outbox_revive(struct store *, const char *, int64_t,
		    size_t *, size_t *, char **);
int		 store_outbox_stats(struct store *, const char *,
		    struct store_outbox_stats *, char **);
int		 store_outbox_next(struct store *, const char *, int64_t,
		    const int64_t *, size_t, int64_t *, char **);
int		 store_outbox_elsewhere(struct store *, const char *, int64_t,
		    int64_t *, char **);
int		 store_outbox_list(struct store *, const char *, int, size_t,
		    int64_t, struct store_outbox_row **, size_t *, char **);
void		 store_outbox_rows_free(struct store_outbox_row *, size_t);
int		 store_outbox_prune(struct store *, const char *const *,
		    size_t, size_t *, char **);

int		 store_retention(struct store *, int64_t, int64_t, int64_t,
		    size_t *, char **);
int		 store_retention_step(struct store *, struct store_retention *,
		    size_t, char **);
int		 store_stats(struct store *, struct store_stats *, char **);
int		 store_unreachable(struct store *, int64_t *, char **);
const char	*store_node_id(struct store *);
void		 store_set_node_id(struct store *, const char *);
int		 store_node_beat(struct store *, const char *, const char *,
		    int64_t, int64_t, char **);
int		 store_node_leave(struct store *, const char *, char **);
int		 store_nodes_list(struct store *, int64_t, struct store_node **,
		    size_t *, char **);
void		 store_nodes_free(struct store_node *, size_t);
int		 store_defer_checkpoints(struct store *, char **);
/* store_checkpoint(): what to fold back. */
#define STORE_CHECKPOINT_GROWN	0	/* if this connection grew the log */
#define STORE_CHECKPOINT_IDLE	1	/* all of it, and cut the file */
int		 store_checkpoint(struct store *, int, char **);
int		 store_set_cache(struct store *, size_t, char **);
int		 store_set_readonly(struct store *, char **);
struct store_prep *store_prep_new(const struct feed_doc *);
void		 store_prep_free(struct store_prep *);
int		 store_batch_begin(struct store *, char **);
int		 store_batch_end(struct store *, char **);

void		 store_close(struct store *);

/*
 * Hearing of the items other nodes on the database commit (PostgreSQL's
 * LISTEN, on a connection of its own): the caller's loop waits for
 * store_listen_want() (STORE_LISTEN_*, at most the seconds it gives; -1:
 * no limit) on store_listen_fd(), which changes as it reconnects, then
 * calls store_listen_step().  Nothing in it blocks.  NULL from
 * store_listen_new(): a database one node has to itself (sqlite).
 */
#define STORE_LISTEN_READ	0x1
#define STORE_LISTEN_WRITE	0x2
struct store_listen *store_listen_new(const char *);
int		 store_listen_fd(struct store_listen *);
int		 store_listen_want(struct store_listen *, int64_t *);
int		 store_listen_step(struct store_listen *, int, int64_t *);
size_t		 store_listen_hosts(struct store_listen *, uint32_t **, int *);
int		 store_listen_feeds(struct store_listen *);
void		 store_listen_free(struct store_listen *);

#endif /* FEEDD_STORE_H */
