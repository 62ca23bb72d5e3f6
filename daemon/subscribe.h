/*
 * subscribe.h: feeds.add: checks that a URL is a feed (or finds the
 * feed an HTML page names) before it subscribes, and hands what the
 * check fetched to the poller as the feed's first poll.
 */
#ifndef FEEDD_SUBSCRIBE_H
#define FEEDD_SUBSCRIBE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct poller;
struct store;
struct writer;

struct subscribe_req {
	const char		*url;
	const char		*title;		/* NULL: the feed's own */
	const char *const	*tags;
	size_t			 ntags;
	int64_t			 interval;	/* -1: the default */
	int			 check;		/* fetch before subscribing */
	int64_t			 pick;		/* 1-based; 0: none */
	const char		*options;	/* JSON (feedopt.h), or NULL */
};

/* The outcome: "result" (the callback owns it) or an error message. */
typedef void (*subscribe_done_cb)(json_t *, const char *, void *);

void	subscribe_start(struct store *, struct writer *, struct poller *,
	    const struct subscribe_req *, subscribe_done_cb, void *);

#endif /* FEEDD_SUBSCRIBE_H */
