/*
 * fetch.h: feed polls on the HTTP engine (http.h): conditional GET,
 * redirects, size and time limits, per-host and total parallelism with
 * a queue, private addresses refused, and the body parsed as it arrives.
 */
#ifndef FEEDD_FETCH_H
#define FEEDD_FETCH_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct feed_doc;
struct fetcher;
struct http;

/* What a finished (or failed) fetch produced; the callback owns it. */
struct fetch_result {
	int64_t		 feed_id;
	long		 status;	/* final HTTP status, 0 if none */
	char		*error;		/* NULL on success */
	int		 partial;	/* body broke off: doc holds the rest */
	int		 incomplete;	/* the transfer failed: "status" is
					 * only its headers' */
	int		 aborted;	/* cancelled (shutdown): store nothing */
	char		*etag;		/* validators of the final answer */
	char		*last_modified;
	char		*final_url;
	char		*moved_to;	/* every redirect was permanent */
	long		 moved_status;	/* then the first one's: 301 or 308 */
	int64_t		 retry_after;	/* absolute, or DATE_NONE */
	int64_t		 max_age;	/* Cache-Control, seconds, or -1 */
	int64_t		 expires;	/* absolute, or DATE_NONE */
	size_t		 bytes;		/* body bytes received */
	struct feed_doc	*doc;		/* NULL: nothing parsed (304, error) */
	char		*content_type;	/* keep_body and no feed: the body */
	char		*body;		/* (its first bytes when large) */
	size_t		 body_len;
};

typedef void (*fetch_done_cb)(struct fetch_result *, void *);

struct fetch_opts {
	const char		*user_agent;
	unsigned int		 max_parallel;
	unsigned int		 max_per_host;
	int64_t			 timeout;	/* seconds, whole transfer */
	int64_t			 max_size;	/* body bytes */
	int			 allow_private;
	const char *const	*allow_hosts;
	size_t			 nallow_hosts;
	const char		*proxy;		/* [daemon] proxy, or NULL */
};

struct fetch_req {
	int64_t		 feed_id;
	const char	*url;
	const char	*etag;		/* sent back exactly as received */
	const char	*last_modified;
	int		 trusted;	/* from the config: file:// and private */
	int		 keep_body;	/* no feed there: hand back the body */
	const char	*options;	/* the feed's settings (feedopt.h) */
};

struct fetcher	*fetch_new(struct event_base *, struct http *,
		    const struct fetch_opts *, fetch_done_cb, void *);
void		 fetch_set_opts(struct fetcher *, const struct fetch_opts *);
unsigned int	 fetch_max_per_host(const struct fetcher *);
int		 fetch_start(struct fetcher *, const struct fetch_req *);
void		 fetch_hold(struct fetcher *, int);
int		 fetch_busy(struct fetcher *, int64_t);
size_t		 fetch_running(struct fetcher *);
size_t		 fetch_queued(struct fetcher *);
void		 fetch_settle(struct fetcher *);
void		 fetch_set_done(struct fetcher *, fetch_done_cb, void *);
void		 fetch_cancel_all(struct fetcher *);
void		 fetch_result_free(struct fetch_result *);
void		 fetch_free(struct fetcher *);

#endif /* FEEDD_FETCH_H */
