/*
 * poller.h: one feed's poll from timer to store: fetch, parse, commit
 * (items, feed state and outbox rows in one transaction), reschedule,
 * announce the new items.
 */
#ifndef FEEDD_POLLER_H
#define FEEDD_POLLER_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct fetch_opts;
struct fetch_result;
struct fetcher;
struct poller;
struct sched_opts;
struct store;
struct store_feed;
struct writer;

/*
 * New items of one poll, in id order, right after their commit; or none
 * (0) when the poll only changed items stored before (the search index
 * has them to take in again).
 */
typedef void (*poller_announce_cb)(int64_t, const int64_t *, size_t, void *);

/* A poll finished: the feed, and its error or NULL. */
typedef void (*poller_done_cb)(int64_t, const char *, void *);

/* The done callback's error for a feed that another node polls. */
#define POLLER_POLLED_ELSEWHERE	"polled by another node"

/* A feeds.add check's fetch finished; the callback owns the result. */
typedef void (*poller_check_cb)(struct fetch_result *, void *);

/*
 * An adopted fetch (poller_adopt) is over: the feed, and NULL when its
 * poll is committed, else why nothing of it was stored.
 */
typedef void (*poller_adopt_cb)(int64_t, const char *, void *);

struct poller_stats {
	uint64_t	polls;		/* finished */
	uint64_t	errors;
	uint64_t	not_modified;
	uint64_t	new_items;
	uint64_t	bytes;
	size_t		scheduled;	/* feeds with a next poll */
};

struct poller	*poller_new(struct event_base *, struct store *,
		    struct writer *, struct fetcher *,
		    const struct sched_opts *, char **);
void		 poller_set_opts(struct poller *, const struct fetch_opts *,
		    const struct sched_opts *);
void		 poller_set_claimer(struct poller *, struct writer *);
void		 poller_set_announce(struct poller *, poller_announce_cb,
		    void *);
void		 poller_set_done(struct poller *, poller_done_cb, void *);
int		 poller_start(struct poller *);
void		 poller_feed_changed(struct poller *, int64_t);
void		 poller_feed_later(struct poller *, int64_t, size_t);
void		 poller_feed_removed(struct poller *, int64_t);
int		 poller_poll_now(struct poller *, int64_t, int64_t, int);
void		 poller_check(struct poller *, const char *, const char *,
		    poller_check_cb, void *);
void		 poller_adopt(struct poller *, int64_t, struct fetch_result *,
		    poller_adopt_cb, void *);
size_t		 poller_in_flight(struct poller *);
void		 poller_feed_overlay(struct poller *, struct store_feed *);
const char	*poller_store_error(struct poller *);
void		 poller_hosts_freed(const uint32_t *, size_t, int, void *);
void		 poller_feeds_heard(void *);
void		 poller_get_stats(struct poller *, struct poller_stats *);
void		 poller_stop(struct poller *);
void		 poller_settle(struct poller *);
void		 poller_free(struct poller *);

#endif /* FEEDD_POLLER_H */
