/*
 * http.h: the HTTP engine: libcurl's multi interface on the libevent
 * loop.  Callers set up their own easy handles (the fetcher's feed
 * polls, the notifiers' webhooks) and run them here, on one multi, so
 * connections and the loop are shared.  It knows nothing of what the
 * transfers carry; the only module that speaks curl multi.
 */
#ifndef FEEDD_HTTP_H
#define FEEDD_HTTP_H

struct event_base;
struct http;

/* A transfer finished: its CURL handle and CURLcode. */
typedef void (*http_done_cb)(void *, int, void *);

struct http	*http_new(struct event_base *);
int		 http_start(struct http *, void *, int, http_done_cb, void *);
void		 http_cancel(struct http *, void *);
void		 http_abort(struct http *);
void		 http_free(struct http *);

#endif /* FEEDD_HTTP_H */
