/*
 * notify-int.h: what notify.c (the notifiers, their queues and backoff)
 * shares with the router (notify-route.c) and the starters of each kind
 * of delivery (notify-exec.c, notify-mail.c, notify-webhook.c).  A
 * starter begins a delivery and returns 0, or -1 with a cause; when it
 * ends, it calls notify_finish() with an OUTCOME_*.
 */
#ifndef FEEDD_NOTIFY_INT_H
#define FEEDD_NOTIFY_INT_H

#include <sys/queue.h>

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>

#include "buf.h"
#include "loop.h"
#include "notify.h"
#include "webhook.h"

struct conf;
struct conf_notify;
struct routes;
struct spawn_result;
struct store_delivery;

#define NOTIFY_EXEC		0
#define NOTIFY_MAIL		1
#define NOTIFY_WEBHOOK		2

/* Webhook requests of all notifiers together: memory and sockets. */
#define NOTIFY_HTTP_MAX		256
/*
 * Loop priority of delivery events: before feed transfers and parsing
 * (loop.c), so an item goes out within milliseconds even while a crowd
 * of feeds is being parsed.
 */
#define NOTIFY_PRIO		LOOP_PRIO_URGENT

#define OUTCOME_DELIVERED	0
#define OUTCOME_RETRY		1
#define OUTCOME_FAILED		2

struct notifier;

/* One delivery under way: outbox rows (several for a digest), or a test. */
struct delivery {
	struct notifier		*nf;
	int64_t			*ids;
	size_t			 nids;
	int			 attempts;	/* the most of its rows */
	notify_test_cb		 test_cb;	/* set: a test, no rows */
	void			*test_arg;
	struct spawn		*child;
	int64_t			 timeout;	/* the child's, in seconds */
	void			*easy;
	struct curl_slist	*headers;
	struct webhook_req	 req;
	struct buf		 resp;
	char			 errbuf[CURL_ERROR_SIZE];
	TAILQ_ENTRY(delivery)	 entry;
};
TAILQ_HEAD(deliveries, delivery);

struct notifier {
	struct notify		*n;
	char			*name;
	struct conf_notify	*cn;		/* the config's; NULL: gone */
	int			 type;
	int			 digest;
	char			**argv;		/* exec command, sendmail */
	size_t			 parallel;
	size_t			 nflight;	/* deliveries under way */
	struct store_delivery	*ready;		/* read ahead, not started */
	size_t			 nready;
	size_t			 ready_next;
	int64_t			*busy;		/* rows read and not yet */
	size_t			 nbusy;		/* settled by the writer */
	size_t			 busycap;
	int64_t			 held_until;	/* paused after a failure */
	int			 pumping;	/* in notify_pump() */
	int			 reading;	/* a read of due rows under way */
	int			 unread;	/* rows may be due, not read */
	int64_t			 next_digest;
	struct event		*timer;
	char			*last_error;
	struct notify_stats	 stats;
	struct deliveries	 deliveries;
	TAILQ_ENTRY(notifier)	 entry;
};
TAILQ_HEAD(notifiers, notifier);

struct notify {
	struct event_base	*base;
	struct store		*store;
	struct http		*http;
	struct writer		*writer;
	struct writer		*claimer;	/* reads due rows, or NULL */
	int			 stopping;
	struct batch		*batch;		/* outcomes not yet handed over */
	struct event		*flush_ev;
	struct spawner		*spawner;
	char			*user_agent;
	struct notifiers	 notifiers;
	struct event		*pump_ev;
	pthread_mutex_t		 lock;		/* guards routes */
	struct routes		*routes;
	uint64_t		 match_limited;	/* under lock too */
	struct notify_stats	 gone_stats;	/* of notifiers removed */
	size_t			 nhttp;		/* webhook requests under way */
	uint64_t		 tests;
};

/* notify.c */
void		 notify_finish(struct delivery *, int, const char *, int64_t);
void		 notify_pump_soon(struct notify *);
void		 notify_spawn_done(const struct spawn_result *, void *);

/* notify-route.c: on the writer thread (notify_route() is in notify.h) */
struct routes	*notify_routes_make(const struct conf *);
void		 notify_routes_free(struct routes *);

/* The starters. */
int		 notify_exec_start(struct delivery *,
		    const struct store_delivery *, char **);
int		 notify_mail_start(struct delivery *,
		    const struct store_delivery *, size_t, char **);
int		 notify_webhook_start(struct delivery *,
		    const struct store_delivery *, char **);
void		 notify_webhook_ended(struct notify *);

#endif /* FEEDD_NOTIFY_INT_H */
