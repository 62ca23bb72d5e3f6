/*
 * http.c: libcurl's multi interface on the libevent loop (the glue of
 * curl's hiperfifo.c / multi-event.c examples).  Every transfer is a
 * caller's easy handle with a callback; sockets and curl's timer are
 * mirrored into libevent, and a finished transfer leaves the multi
 * before its callback runs, so the callback may free its handle.
 */
#include <sys/queue.h>

#include <stdlib.h>

#include <curl/curl.h>
#include <event2/event.h>
#include <event2/event_struct.h>

#include "http.h"
#include "log.h"
#include "xmalloc.h"

/* A transfer under way: what CURLOPT_PRIVATE points at. */
struct http_xfer {
	int			 prio;		/* its sockets' loop priority */
	CURL			*easy;
	http_done_cb		 cb;
	void			*arg;
	TAILQ_ENTRY(http_xfer)	 entry;
};
TAILQ_HEAD(http_xfers, http_xfer);

struct http_sock {
	curl_socket_t		 fd;
	int			 prio;
	struct event		 ev;
	int			 assigned;
	struct http		*http;
};

struct http {
	struct event_base	*base;
	CURLM			*multi;
	struct event		*timer;
	struct http_xfers	 xfers;
};

static void	http_drain(struct http *);

static void
http_event_cb(evutil_socket_t fd, short what, void *arg)
{
	struct http	*h = arg;
	int		 action = 0, running;

	if (what & EV_READ)
		action |= CURL_CSELECT_IN;
	if (what & EV_WRITE)
		action |= CURL_CSELECT_OUT;
	curl_multi_socket_action(h->multi, fd, action, &running);
	http_drain(h);
}

static void
http_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct http	*h = arg;
	int		 running;

	curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	http_drain(h);
}

/* The loop priority a transfer asked for, or -1. */
static int
http_priority(CURL *easy)
{
	struct http_xfer	*x = NULL;

	curl_easy_getinfo(easy, CURLINFO_PRIVATE, &x);
	return (x != NULL ? x->prio : -1);
}

/* CURLMOPT_SOCKETFUNCTION: mirror curl's interest in a socket. */
static int
http_sock_cb(CURL *easy, curl_socket_t s, int what, void *arg,
    void *sockp)
{
	struct http		*h = arg;
	struct http_sock	*hs = sockp;
	short			 kind;

	if (what == CURL_POLL_REMOVE) {
		if (hs != NULL) {
			if (hs->assigned)
				event_del(&hs->ev);
			free(hs);
		}
		curl_multi_assign(h->multi, s, NULL);
		return (0);
	}
	if (hs == NULL) {
		hs = xcalloc(1, sizeof(*hs));
		hs->fd = s;
		hs->http = h;
		curl_multi_assign(h->multi, s, hs);
	}
	kind = ((what & CURL_POLL_IN) ? EV_READ : 0) |
	    ((what & CURL_POLL_OUT) ? EV_WRITE : 0) | EV_PERSIST;
	if (hs->assigned)
		event_del(&hs->ev);
	event_assign(&hs->ev, h->base, s, kind, http_event_cb, h);
	/* A notifier's delivery goes before feed transfers (NOTIFY_PRIO). */
	hs->prio = http_priority(easy);
	if (hs->prio >= 0)
		event_priority_set(&hs->ev, hs->prio);
	hs->assigned = 1;
	event_add(&hs->ev, NULL);
	return (0);
}

/* CURLMOPT_TIMERFUNCTION: never calls curl, only arms the timer. */
static int
http_timer_cb(CURLM *multi, long ms, void *arg)
{
	struct http	*h = arg;
	struct timeval	 tv;

	if (ms < 0) {
		evtimer_del(h->timer);
		return (0);
	}
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(h->timer, &tv);
	return (0);
}

static void
http_finish(struct http *h, struct http_xfer *x, CURLcode code)
{
	curl_multi_remove_handle(h->multi, x->easy);
	TAILQ_REMOVE(&h->xfers, x, entry);
	x->cb(x->easy, (int)code, x->arg);
	free(x);
}

/* Transfers curl is done with: out of the multi, then their callbacks. */
static void
http_drain(struct http *h)
{
	struct http_xfer	*x;
	CURLMsg			*msg;
	int			 left;

	while ((msg = curl_multi_info_read(h->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		x = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &x);
		if (x != NULL)
			http_finish(h, x, msg->data.result);
	}
}

struct http *
http_new(struct event_base *base)
{
	struct http	*h;

	h = xcalloc(1, sizeof(*h));
	h->base = base;
	TAILQ_INIT(&h->xfers);
	if ((h->multi = curl_multi_init()) == NULL)
		fatalx("http: curl_multi_init failed");
	h->timer = evtimer_new(base, http_timeout_cb, h);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, http_sock_cb);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, http_timer_cb);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	/*
	 * No connection caps on the multi itself: the fetcher's queue keeps
	 * feeds to max_parallel and max_per_host, and the notifiers keep
	 * their deliveries to their own limits.  With curl's caps set to the
	 * feeds' politeness limits, a json notifier got max_per_host
	 * connections (4 by default) instead of its 16, and a delivery could
	 * wait for a feed transfer to end.
	 */
	return (h);
}

/*
 * Runs a transfer the caller set up; its sockets' events get loop
 * priority "prio" (-1: the default).  "cb" gets the handle back with
 * curl's result code; the caller owns and frees the handle.  0, or the
 * CURLMcode that refused it.
 */
int
http_start(struct http *h, void *easy, int prio, http_done_cb cb, void *arg)
{
	struct http_xfer	*x;
	CURLMcode		 mc;

	x = xcalloc(1, sizeof(*x));
	x->prio = prio;
	x->easy = easy;
	x->cb = cb;
	x->arg = arg;
	curl_easy_setopt(easy, CURLOPT_PRIVATE, x);
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	if ((mc = curl_multi_add_handle(h->multi, easy)) != CURLM_OK) {
		free(x);
		return ((int)mc);
	}
	TAILQ_INSERT_TAIL(&h->xfers, x, entry);
	return (0);
}

/* Stops a transfer of http_start() without calling back. */
void
http_cancel(struct http *h, void *easy)
{
	struct http_xfer	*x;

	TAILQ_FOREACH(x, &h->xfers, entry) {
		if (x->easy != easy)
			continue;
		curl_multi_remove_handle(h->multi, easy);
		TAILQ_REMOVE(&h->xfers, x, entry);
		free(x);
		return;
	}
}

/* Shutdown: every transfer under way ends, its callback told so. */
void
http_abort(struct http *h)
{
	struct http_xfer	*x;

	while ((x = TAILQ_FIRST(&h->xfers)) != NULL)
		http_finish(h, x, CURLE_ABORTED_BY_CALLBACK);
}

/* Shutdown order: handles out, multi, then the timer (curl's rule). */
void
http_free(struct http *h)
{
	if (h == NULL)
		return;
	http_abort(h);
	curl_multi_cleanup(h->multi);
	event_free(h->timer);
	free(h);
}
