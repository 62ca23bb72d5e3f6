/*
 * httpd.c: a loopback HTTP/1.1 server for feedd's integration tests.
 *
 *	httpd --root DIR --port-file FILE [--log FILE] [--pid-file FILE]
 *
 * It serves the files under DIR through URLs that make it behave like
 * the feed servers feedd meets in the wild: conditional GET, gzip,
 * redirects and redirect loops, throttling with Retry-After, slow,
 * trickling and truncated bodies, huge documents, flaky errors.  It binds
 * 127.0.0.1 on a port the kernel picks and writes the port to the port
 * file once it is ready; it logs one line per request and counts the TCP
 * connections open at once.  tests/tools/README.md lists the routes.
 *
 * It owns three kinds of state: the connections it has seen a request
 * on (for /stats), the jobs that answer a request later or piece by
 * piece, and the /flaky counters.
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/util.h>

#include "buf.h"
#include "log.h"
#include "xmalloc.h"

#define HTTPD_TRICKLE_PIECE	16		/* /trickle bytes per tick */
#define HTTPD_BIG_ROUND		(256 * 1024)	/* /big bytes per write */
#define HTTPD_CUT_POLL_MS	5		/* /cut: output drained yet? */
#define HTTPD_GZIP_BLOCK	65535		/* a stored block's maximum */
#define HTTPD_MAX_MS		3600000		/* an hour: longest delay */
#define HTTPD_MAX_BYTES		(1ULL << 40)	/* /big, /cut sizes */

struct httpd;
struct httpd_req;

/*
 * A route: the first path segment, what follows it, and how to answer.
 * "/slow/MS/NAME" is { "slow", HTTPD_ARG_NUM | HTTPD_ARG_NAME, ... }.
 */
struct httpd_route {
	const char	*name;
	int		 args;
#define HTTPD_ARG_NUM	0x1	/* a decimal segment in [min, max] */
#define HTTPD_ARG_NAME	0x2	/* then a file name, the last segment */
#define HTTPD_ARG_REST	0x4	/* then anything: the rest of the path */
	uint64_t	 min;
	uint64_t	 max;
	int		 flags;
#define HTTPD_SEND_ETAG		0x1	/* ETag; If-None-Match honoured */
#define HTTPD_SEND_LASTMOD	0x2	/* Last-Modified; If-Modified-Since */
#define HTTPD_SEND_GZIP		0x4	/* gzip when Accept-Encoding has it */
#define HTTPD_SEND_VALIDATORS	(HTTPD_SEND_ETAG | HTTPD_SEND_LASTMOD)
	void		(*serve)(struct httpd_req *);
};

/*
 * A client connection, from its first request until libevent frees it
 * (evhttp_connection_set_closecb).  evhttp in libevent 2.1 has no hook
 * on accept, so a connection is counted from its first request on.
 */
struct httpd_conn {
	struct httpd			*srv;
	struct evhttp_connection	*evcon;
	int				 control;	/* not counted */
	TAILQ_ENTRY(httpd_conn)		 entry;
};
TAILQ_HEAD(httpd_conns, httpd_conn);

/* One request, with its path taken apart by httpd_route_parse(). */
struct httpd_req {
	struct httpd			*srv;
	struct evhttp_request		*req;
	struct httpd_conn		*conn;
	const struct httpd_route	*route;
	struct timeval			 arrived;
	/* The route's arguments: ARG_NUM, ARG_NAME (decoded), ARG_REST. */
	uint64_t			 num;
	char				 name[NAME_MAX + 1];
	const char			*rest;
};

/*
 * A request answered later or piece by piece (/slow, /trickle, /cut,
 * /big).  The job holds the evhttp_request until the last reply call
 * hands it back to libevent.  If the connection goes first,
 * httpd_conn_close_cb() abandons the job.  Finished jobs wait on the
 * done list for httpd_reap_cb(), so none is freed inside its own
 * callback.
 */
struct httpd_job {
	struct httpd_req	 hr;
	struct event		*timer;
	struct buf		 body;		/* /trickle, /cut: the file */
	size_t			 off;		/* /trickle: bytes queued */
	uint64_t		 item;		/* /big: items queued */
	uint64_t		 sent;		/* /big: bytes queued */
	int			 logged;	/* status line is in the log */
	TAILQ_ENTRY(httpd_job)	 entry;
};
TAILQ_HEAD(httpd_jobs, httpd_job);

/* /flaky: how many failures one exact request-target has had. */
struct httpd_flaky {
	char			*uri;
	uint64_t		 failed;
	TAILQ_ENTRY(httpd_flaky) entry;
};
TAILQ_HEAD(httpd_flakies, httpd_flaky);

struct httpd {
	struct event_base	*base;
	struct evhttp		*http;
	struct event		*sig_term;
	struct event		*sig_int;
	struct event		*reap_ev;
	int			 rootfd;
	FILE			*log;
	FILE			*hlog;		/* every request header */
	struct httpd_conns	 conns;
	struct httpd_jobs	 jobs;		/* waiting or streaming */
	struct httpd_jobs	 done;		/* for httpd_reap_cb */
	struct httpd_flakies	 flakies;
	uint64_t		 requests;
	unsigned int		 nopen;
	unsigned int		 max_open;
};

static void		 usage(FILE *);
static struct evbuffer	*httpd_evbuffer_new(void);
static const char	*httpd_reason(int);
static const char	*httpd_method(struct evhttp_request *);
static void		 httpd_http_date(time_t, char *, size_t);
static uint64_t		 httpd_fnv1a(const void *, size_t);
static uint32_t		 httpd_crc32(const void *, size_t);
static void		 httpd_gzip(const void *, size_t, struct evbuffer *);
static void		 httpd_log_field(FILE *, const char *);
static void		 httpd_log(struct httpd_req *, int);
static int		 httpd_is_head(struct httpd_req *);
static void		 httpd_reply(struct httpd_req *, int,
			     struct evbuffer *);
static void		 httpd_reply_text(struct httpd_req *, int, const char *,
			     ...) __attribute__((__format__(__printf__, 3, 4)));
static void		 httpd_redirect(struct httpd_req *, int, const char *);
static int		 httpd_file_read(struct httpd *, const char *,
			     struct buf *, time_t *);
static char		*httpd_content_type(struct httpd_req *);
static void		 httpd_serve_file(struct httpd_req *);
static struct httpd_job	*httpd_job_new(struct httpd_req *, event_callback_fn,
			     short);
static void		 httpd_job_arm(struct httpd_job *, uint64_t);
static void		 httpd_job_finish(struct httpd_job *);
static void		 httpd_job_end(struct httpd_job *);
static void		 httpd_job_abandon(struct httpd_job *);
static void		 httpd_job_free(struct httpd_job *);
static void		 httpd_reap_cb(evutil_socket_t, short, void *);
static struct httpd_job	*httpd_stream_start(struct httpd_req *,
			     event_callback_fn, short);
static void		 httpd_route_status(struct httpd_req *);
static void		 httpd_route_retry_after(struct httpd_req *);
static void		 httpd_route_retry_after_date(struct httpd_req *);
static void		 httpd_route_tofile(struct httpd_req *);
static void		 httpd_route_redirect(struct httpd_req *);
static void		 httpd_route_loop(struct httpd_req *);
static void		 httpd_route_selfloop(struct httpd_req *);
static void		 httpd_route_slow(struct httpd_req *);
static void		 httpd_slow_cb(evutil_socket_t, short, void *);
static void		 httpd_route_trickle(struct httpd_req *);
static void		 httpd_trickle_cb(evutil_socket_t, short, void *);
static void		 httpd_route_cut(struct httpd_req *);
static void		 httpd_cut_cb(evutil_socket_t, short, void *);
static void		 httpd_route_big(struct httpd_req *);
static void		 httpd_big_more_cb(struct evhttp_connection *, void *);
static void		 httpd_route_flaky(struct httpd_req *);
static void		 httpd_flaky_clear(struct httpd *);
static void		 httpd_route_stats(struct httpd_req *);
static int		 httpd_number(const char *, size_t, uint64_t,
			     uint64_t, uint64_t *);
static int		 httpd_name(const char *, size_t, char *, size_t);
static int		 httpd_route_parse(struct httpd_req *, const char *);
static int		 httpd_is_stats(const char *);
static struct httpd_conn *httpd_conn_get(struct httpd *,
			     struct evhttp_request *, int);
static void		 httpd_conn_close_cb(struct evhttp_connection *,
			     void *);
static void		 httpd_request_cb(struct evhttp_request *, void *);
static void		 httpd_signal_cb(evutil_socket_t, short, void *);
static void		 httpd_event_log_cb(int, const char *);
static void		 httpd_write_file(const char *, const char *, ...)
			     __attribute__((__format__(__printf__, 2, 3)));

/* Every route; a path whose first segment is not here gets 404. */
static const struct httpd_route httpd_routes[] = {
	{ .name = "big", .args = HTTPD_ARG_NUM,
	  .min = 0, .max = HTTPD_MAX_BYTES, .serve = httpd_route_big },
	{ .name = "cut", .args = HTTPD_ARG_NUM | HTTPD_ARG_NAME,
	  .min = 0, .max = HTTPD_MAX_BYTES, .serve = httpd_route_cut },
	{ .name = "etag", .args = HTTPD_ARG_NAME,
	  .flags = HTTPD_SEND_ETAG, .serve = httpd_serve_file },
	{ .name = "feed", .args = HTTPD_ARG_NAME,
	  .flags = HTTPD_SEND_VALIDATORS, .serve = httpd_serve_file },
	{ .name = "flaky", .args = HTTPD_ARG_NUM | HTTPD_ARG_NAME,
	  .min = 0, .max = 1000000000, .flags = HTTPD_SEND_VALIDATORS,
	  .serve = httpd_route_flaky },
	{ .name = "gzip", .args = HTTPD_ARG_NAME,
	  .flags = HTTPD_SEND_VALIDATORS | HTTPD_SEND_GZIP,
	  .serve = httpd_serve_file },
	{ .name = "lastmod", .args = HTTPD_ARG_NAME,
	  .flags = HTTPD_SEND_LASTMOD, .serve = httpd_serve_file },
	{ .name = "loop", .args = HTTPD_ARG_NUM,
	  .min = 0, .max = 1000000000000000ULL, .serve = httpd_route_loop },
	{ .name = "noval", .args = HTTPD_ARG_NAME,
	  .flags = 0, .serve = httpd_serve_file },
	{ .name = "redirect", .args = HTTPD_ARG_NUM | HTTPD_ARG_REST,
	  .min = 300, .max = 399, .serve = httpd_route_redirect },
	{ .name = "retry-after", .args = HTTPD_ARG_NUM | HTTPD_ARG_NAME,
	  .min = 0, .max = INT32_MAX, .serve = httpd_route_retry_after },
	{ .name = "retry-after-date", .args = HTTPD_ARG_NUM | HTTPD_ARG_NAME,
	  .min = 0, .max = INT32_MAX, .serve = httpd_route_retry_after_date },
	{ .name = "selfloop", .args = 0, .serve = httpd_route_selfloop },
	{ .name = "slow", .args = HTTPD_ARG_NUM | HTTPD_ARG_NAME,
	  .min = 0, .max = HTTPD_MAX_MS, .flags = HTTPD_SEND_VALIDATORS,
	  .serve = httpd_route_slow },
	{ .name = "stats", .args = HTTPD_ARG_REST, .serve = httpd_route_stats },
	{ .name = "status", .args = HTTPD_ARG_NUM | HTTPD_ARG_NAME,
	  .min = 200, .max = 599, .serve = httpd_route_status },
	{ .name = "tofile", .args = 0, .serve = httpd_route_tofile },
	{ .name = "trickle", .args = HTTPD_ARG_NUM | HTTPD_ARG_NAME,
	  .min = 1, .max = HTTPD_MAX_MS, .serve = httpd_route_trickle },
};

/* Content-Type by file extension; ?type= and ?charset= override it. */
static const struct {
	const char	*ext;
	const char	*type;
} httpd_types[] = {
	{ ".xml",	"application/rss+xml; charset=utf-8" },
	{ ".rss",	"application/rss+xml; charset=utf-8" },
	{ ".atom",	"application/atom+xml" },
	{ ".json",	"application/feed+json" },
	{ ".html",	"text/html; charset=utf-8" },
	{ ".xhtml",	"application/xhtml+xml" },
	{ ".txt",	"text/plain; charset=utf-8" },
};

/* Reason phrases (RFC 9110 section 15) for the codes tests use. */
static const struct {
	int		 code;
	const char	*text;
} httpd_reasons[] = {
	{ 200, "OK" },
	{ 204, "No Content" },
	{ 301, "Moved Permanently" },
	{ 302, "Found" },
	{ 303, "See Other" },
	{ 304, "Not Modified" },
	{ 307, "Temporary Redirect" },
	{ 308, "Permanent Redirect" },
	{ 400, "Bad Request" },
	{ 401, "Unauthorized" },
	{ 403, "Forbidden" },
	{ 404, "Not Found" },
	{ 405, "Method Not Allowed" },
	{ 408, "Request Timeout" },
	{ 410, "Gone" },
	{ 429, "Too Many Requests" },
	{ 500, "Internal Server Error" },
	{ 502, "Bad Gateway" },
	{ 503, "Service Unavailable" },
	{ 504, "Gateway Timeout" },
};

/* /big: a channel, then numbered items of one fixed size, then the end. */
static const char httpd_big_head[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<rss version=\"2.0\">\n"
    "<channel>\n"
    "<title>big</title>\n"
    "<link>http://127.0.0.1/big</link>\n"
    "<description>a large generated feed</description>\n";
#define HTTPD_BIG_ITEM							\
    "<item><title>Item %010" PRIu64 "</title>"				\
    "<link>http://127.0.0.1/big/item/%010" PRIu64 "</link>"		\
    "<guid isPermaLink=\"false\">big-%010" PRIu64 "</guid>"		\
    "<description>Generated item %010" PRIu64 ". Filler so that each "	\
    "item weighs about what a real one does: lorem ipsum dolor sit "	\
    "amet, consectetur adipiscing elit.</description></item>\n"
static const char httpd_big_tail[] = "</channel>\n</rss>\n";

static void
usage(FILE *f)
{
	fprintf(f, "usage: httpd --root DIR --port-file FILE [--log FILE] "
	    "[--pid-file FILE] [--header-log FILE]\n"
	    "  -r, --root DIR        serve the files in DIR\n"
	    "  -p, --port-file FILE  write the port (127.0.0.1) here once "
	    "ready\n"
	    "  -l, --log FILE        append one line per request\n"
	    "  -P, --pid-file FILE   write the process id here\n"
	    "  -H, --header-log FILE append each request's URI and headers\n");
}

static struct evbuffer *
httpd_evbuffer_new(void)
{
	struct evbuffer	*b;

	if ((b = evbuffer_new()) == NULL)
		fatalx("httpd: evbuffer_new failed");
	return (b);
}

static const char *
httpd_reason(int code)
{
	size_t	i;

	for (i = 0; i < sizeof(httpd_reasons) / sizeof(httpd_reasons[0]); i++)
		if (httpd_reasons[i].code == code)
			return (httpd_reasons[i].text);
	return ("Status");
}

static const char *
httpd_method(struct evhttp_request *req)
{
	switch (evhttp_request_get_command(req)) {
	case EVHTTP_REQ_GET:
		return ("GET");
	case EVHTTP_REQ_POST:
		return ("POST");
	case EVHTTP_REQ_HEAD:
		return ("HEAD");
	case EVHTTP_REQ_PUT:
		return ("PUT");
	case EVHTTP_REQ_DELETE:
		return ("DELETE");
	case EVHTTP_REQ_OPTIONS:
		return ("OPTIONS");
	case EVHTTP_REQ_TRACE:
		return ("TRACE");
	case EVHTTP_REQ_CONNECT:
		return ("CONNECT");
	case EVHTTP_REQ_PATCH:
		return ("PATCH");
	}
	return ("?");
}

/* IMF-fixdate (RFC 9110 5.6.7); the C locale gives English names. */
static void
httpd_http_date(time_t t, char *s, size_t size)
{
	struct tm	tm;

	gmtime_r(&t, &tm);
	strftime(s, size, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* 64-bit FNV-1a: cheap, and any change to a file changes its ETag. */
static uint64_t
httpd_fnv1a(const void *p, size_t len)
{
	const unsigned char	*u = p;
	uint64_t		 h = 0xcbf29ce484222325ULL;
	size_t			 i;

	for (i = 0; i < len; i++) {
		h ^= u[i];
		h *= 0x100000001b3ULL;
	}
	return (h);
}

/* The CRC-32 of gzip's trailer (RFC 1952 section 8). */
static uint32_t
httpd_crc32(const void *p, size_t len)
{
	static uint32_t		 table[256];
	static int		 ready;
	const unsigned char	*u = p;
	uint32_t		 c;
	size_t			 i;
	int			 k;

	if (!ready) {
		for (i = 0; i < 256; i++) {
			c = (uint32_t)i;
			for (k = 0; k < 8; k++)
				c = (c & 1) ? 0xedb88320U ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
		ready = 1;
	}
	c = 0xffffffffU;
	for (i = 0; i < len; i++)
		c = table[(c ^ u[i]) & 0xff] ^ (c >> 8);
	return (c ^ 0xffffffffU);
}

/*
 * A gzip member (RFC 1952) holding deflate "stored" blocks (RFC 1951
 * section 3.2.4).  Every inflater reads it and it needs no zlib; it does
 * not shrink anything, which these tests do not need.
 */
static void
httpd_gzip(const void *data, size_t len, struct evbuffer *out)
{
	static const unsigned char	 head[10] = {
		0x1f, 0x8b,		/* magic */
		8,			/* CM: deflate */
		0,			/* FLG: no name, comment, extra */
		0, 0, 0, 0,		/* MTIME: none */
		0,			/* XFL */
		255			/* OS: unknown */
	};
	const unsigned char		*u = data;
	unsigned char			 b[8];
	uint32_t			 crc;
	size_t				 off = 0, n;

	evbuffer_add(out, head, sizeof(head));
	do {
		/* Byte-aligned: BFINAL, BTYPE 00, then LEN and NLEN. */
		n = len - off > HTTPD_GZIP_BLOCK ? HTTPD_GZIP_BLOCK : len - off;
		b[0] = off + n == len;
		b[1] = n & 0xff;
		b[2] = (n >> 8) & 0xff;
		b[3] = ~n & 0xff;
		b[4] = (~n >> 8) & 0xff;
		evbuffer_add(out, b, 5);
		if (n > 0)
			evbuffer_add(out, u + off, n);
		off += n;
	} while (off < len);
	crc = httpd_crc32(data, len);
	b[0] = crc & 0xff;
	b[1] = (crc >> 8) & 0xff;
	b[2] = (crc >> 16) & 0xff;
	b[3] = (crc >> 24) & 0xff;
	b[4] = len & 0xff;			/* ISIZE: length mod 2^32 */
	b[5] = (len >> 8) & 0xff;
	b[6] = (len >> 16) & 0xff;
	b[7] = (len >> 24) & 0xff;
	evbuffer_add(out, b, 8);
}

/*
 * One log field: "-" when absent, "" when empty, control characters and
 * backslashes as \xNN so a field never holds a tab or a newline.
 */
static void
httpd_log_field(FILE *f, const char *s)
{
	const unsigned char	*p;

	if (s == NULL) {
		fputc('-', f);
		return;
	}
	if (*s == '\0') {
		fputs("\"\"", f);
		return;
	}
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '\\')
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
}

/*
 * The request's log line, written when its status goes out (code 0,
 * shown "-", when none ever did).  The time is the request's arrival,
 * so /slow lines show when feedd asked, not when it was answered.
 */
static void
httpd_log(struct httpd_req *hr, int code)
{
	struct evkeyvalq	*in;
	FILE			*f = hr->srv->log;

	if (f == NULL)
		return;
	in = evhttp_request_get_input_headers(hr->req);
	fprintf(f, "%lld.%03ld\t%s\t", (long long)hr->arrived.tv_sec,
	    (long)(hr->arrived.tv_usec / 1000), httpd_method(hr->req));
	httpd_log_field(f, evhttp_request_get_uri(hr->req));
	fputc('\t', f);
	httpd_log_field(f, evhttp_find_header(in, "If-None-Match"));
	fputc('\t', f);
	httpd_log_field(f, evhttp_find_header(in, "If-Modified-Since"));
	fputc('\t', f);
	httpd_log_field(f, evhttp_find_header(in, "Accept-Encoding"));
	fputc('\t', f);
	httpd_log_field(f, evhttp_find_header(in, "User-Agent"));
	if (code > 0)
		fprintf(f, "\t%d\n", code);
	else
		fputs("\t-\n", f);
	fflush(f);
	if ((f = hr->srv->hlog) != NULL) {
		struct evkeyval	*h;

		httpd_log_field(f, evhttp_request_get_uri(hr->req));
		TAILQ_FOREACH(h, in, next) {
			fputc('\t', f);
			fprintf(f, "%s: ", h->key);
			httpd_log_field(f, h->value);
		}
		fputc('\n', f);
		fflush(f);
	}
}

static int
httpd_is_head(struct httpd_req *hr)
{
	return (evhttp_request_get_command(hr->req) == EVHTTP_REQ_HEAD);
}

/*
 * Sends a whole response and logs it.  The body is dropped where HTTP
 * forbids one (1xx, 204, 304: RFC 9110 6.4.1) and for HEAD, whose
 * Content-Length still says what GET would get (RFC 9110 9.3.2).  The
 * caller keeps the evbuffer; libevent empties it.
 */
static void
httpd_reply(struct httpd_req *hr, int code, struct evbuffer *body)
{
	struct evkeyvalq	*out;
	char			 len[32];
	int			 bodyless;

	bodyless = code < 200 || code == 204 || code == 304;
	if (body != NULL && (bodyless || httpd_is_head(hr))) {
		out = evhttp_request_get_output_headers(hr->req);
		if (!bodyless &&
		    evhttp_find_header(out, "Content-Length") == NULL) {
			snprintf(len, sizeof(len), "%zu",
			    evbuffer_get_length(body));
			evhttp_add_header(out, "Content-Length", len);
		}
		body = NULL;
	}
	httpd_log(hr, code);
	evhttp_send_reply(hr->req, code, httpd_reason(code), body);
}

/* A response with a short text/plain body. */
static void
httpd_reply_text(struct httpd_req *hr, int code, const char *fmt, ...)
{
	struct evbuffer	*body;
	va_list		 ap;

	body = httpd_evbuffer_new();
	va_start(ap, fmt);
	evbuffer_add_vprintf(body, fmt, ap);
	va_end(ap);
	evhttp_add_header(evhttp_request_get_output_headers(hr->req),
	    "Content-Type", "text/plain; charset=utf-8");
	httpd_reply(hr, code, body);
	evbuffer_free(body);
}

static void
httpd_redirect(struct httpd_req *hr, int code, const char *location)
{
	evhttp_add_header(evhttp_request_get_output_headers(hr->req),
	    "Location", location);
	httpd_reply_text(hr, code, "%d %s: %s\n", code, httpd_reason(code),
	    location);
}

/*
 * Reads NAME under the root, whole and afresh: tests rewrite files
 * between polls, so nothing is cached.  -1 (errno set) unless it is a
 * regular file.
 */
static int
httpd_file_read(struct httpd *srv, const char *name, struct buf *b,
    time_t *mtime)
{
	struct stat	st;
	char		chunk[65536];
	ssize_t		n;
	int		fd, saved;

	if ((fd = openat(srv->rootfd, name, O_RDONLY | O_CLOEXEC)) == -1)
		return (-1);
	if (fstat(fd, &st) == -1)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	buf_clear(b);
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		buf_add(b, chunk, (size_t)n);
	}
	*mtime = st.st_mtime;
	close(fd);
	return (0);

fail:
	saved = errno;
	close(fd);
	errno = saved;
	return (-1);
}

/*
 * The file's Content-Type.  "?type=T" replaces it and "?charset=C" sets
 * its charset parameter, so a test can say what the HTTP header must
 * (the charset fixtures); both are URL-decoded, '+' included.
 */
static char *
httpd_content_type(struct httpd_req *hr)
{
	struct evkeyvalq	 q;
	const char		*type = "application/octet-stream";
	const char		*query, *v, *cs, *dot;
	char			*s;
	size_t			 i;

	if ((dot = strrchr(hr->name, '.')) != NULL) {
		for (i = 0; i < sizeof(httpd_types) / sizeof(httpd_types[0]);
		    i++) {
			if (strcasecmp(dot, httpd_types[i].ext) == 0) {
				type = httpd_types[i].type;
				break;
			}
		}
	}
	TAILQ_INIT(&q);
	query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(hr->req));
	if (query != NULL)
		(void)evhttp_parse_query_str(query, &q);
	if ((v = evhttp_find_header(&q, "type")) != NULL)
		type = v;
	if ((cs = evhttp_find_header(&q, "charset")) != NULL)
		xasprintf(&s, "%.*s; charset=%s", (int)strcspn(type, ";"),
		    type, cs);
	else
		s = xstrdup(type);
	evhttp_clear_headers(&q);
	return (s);
}

/*
 * /feed and its kin (/noval, /etag, /lastmod, /gzip, and /slow, /flaky
 * once they answer): the file with the route's validators, or 304 when
 * the client's copy is current.  Per RFC 9110 13.2.2 If-None-Match
 * decides alone when present, and If-Modified-Since counts only without
 * it; a rewrite within the same second must not look unchanged.  Both
 * compare byte for byte, since the tests check that feedd echoes exactly
 * what it was given.
 */
static void
httpd_serve_file(struct httpd_req *hr)
{
	struct evkeyvalq	*in, *out;
	struct evbuffer		*body;
	struct buf		 b;
	const char		*inm, *ims, *ae;
	char			 etag[32], lastmod[64], *ctype;
	time_t			 mtime;
	int			 flags = hr->route->flags, fresh = 0;

	memset(&b, 0, sizeof(b));
	if (httpd_file_read(hr->srv, hr->name, &b, &mtime) == -1) {
		httpd_reply_text(hr, 404, "%s: %s\n", hr->name,
		    strerror(errno));
		return;
	}
	in = evhttp_request_get_input_headers(hr->req);
	out = evhttp_request_get_output_headers(hr->req);
	snprintf(etag, sizeof(etag), "\"%016" PRIx64 "\"",
	    httpd_fnv1a(b.data, b.len));
	httpd_http_date(mtime, lastmod, sizeof(lastmod));
	inm = evhttp_find_header(in, "If-None-Match");
	ims = evhttp_find_header(in, "If-Modified-Since");
	if ((flags & HTTPD_SEND_ETAG) && inm != NULL)
		fresh = strcmp(inm, etag) == 0;
	else if ((flags & HTTPD_SEND_LASTMOD) && ims != NULL)
		fresh = strcmp(ims, lastmod) == 0;

	/* A 304 carries the validators a 200 would (RFC 9110 15.4.5). */
	if (flags & HTTPD_SEND_ETAG)
		evhttp_add_header(out, "ETag", etag);
	if (flags & HTTPD_SEND_LASTMOD)
		evhttp_add_header(out, "Last-Modified", lastmod);
	if (flags & HTTPD_SEND_GZIP)
		evhttp_add_header(out, "Vary", "Accept-Encoding");
	if (fresh) {
		httpd_reply(hr, 304, NULL);
		buf_free(&b);
		return;
	}

	ctype = httpd_content_type(hr);
	evhttp_add_header(out, "Content-Type", ctype);
	free(ctype);
	body = httpd_evbuffer_new();
	ae = evhttp_find_header(in, "Accept-Encoding");
	if ((flags & HTTPD_SEND_GZIP) && ae != NULL &&
	    strcasestr(ae, "gzip") != NULL) {
		evhttp_add_header(out, "Content-Encoding", "gzip");
		httpd_gzip(b.data, b.len, body);
	} else if (b.len > 0)
		evbuffer_add(body, b.data, b.len);
	httpd_reply(hr, 200, body);
	evbuffer_free(body);
	buf_free(&b);
}

/* A job for this request; cb (may be NULL) runs on the job's timer. */
static struct httpd_job *
httpd_job_new(struct httpd_req *hr, event_callback_fn cb, short what)
{
	struct httpd		*srv = hr->srv;
	struct httpd_job	*job;

	job = xcalloc(1, sizeof(*job));
	job->hr = *hr;
	job->hr.rest = NULL;
	if (cb != NULL &&
	    (job->timer = event_new(srv->base, -1, what, cb, job)) == NULL)
		fatalx("httpd: event_new failed");
	TAILQ_INSERT_TAIL(&srv->jobs, job, entry);
	return (job);
}

static void
httpd_job_arm(struct httpd_job *job, uint64_t ms)
{
	struct timeval	tv;

	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)(ms % 1000) * 1000;
	evtimer_add(job->timer, &tv);
}

/*
 * The job is done with its request: off the list, timer stopped, freed
 * on the next loop turn.  Call it before the reply call that hands the
 * request back, as that may free the connection and so run
 * httpd_conn_close_cb(), which must not find the job any more.
 */
static void
httpd_job_finish(struct httpd_job *job)
{
	struct httpd	*srv = job->hr.srv;

	TAILQ_REMOVE(&srv->jobs, job, entry);
	if (job->timer != NULL)
		evtimer_del(job->timer);
	job->hr.req = NULL;
	job->hr.conn = NULL;
	TAILQ_INSERT_TAIL(&srv->done, job, entry);
	event_active(srv->reap_ev, EV_TIMEOUT, 1);
}

/* The last piece of a streamed body is queued: end the response. */
static void
httpd_job_end(struct httpd_job *job)
{
	struct evhttp_request	*req = job->hr.req;

	httpd_job_finish(job);
	evhttp_send_reply_end(req);
}

/*
 * The job's connection is being freed.  When the client left first,
 * evhttp has detached the unfinished request from the connection and
 * it is ours to free; otherwise (shutdown, /cut) libevent frees it with
 * the connection.
 */
static void
httpd_job_abandon(struct httpd_job *job)
{
	struct evhttp_request	*req = job->hr.req;

	if (!job->logged)
		httpd_log(&job->hr, 0);
	httpd_job_finish(job);
	if (evhttp_request_get_connection(req) == NULL)
		evhttp_request_free(req);
}

static void
httpd_job_free(struct httpd_job *job)
{
	if (job->timer != NULL)
		event_free(job->timer);
	buf_free(&job->body);
	free(job);
}

static void
httpd_reap_cb(evutil_socket_t fd, short what, void *arg)
{
	struct httpd		*srv = arg;
	struct httpd_job	*job;

	while ((job = TAILQ_FIRST(&srv->done)) != NULL) {
		TAILQ_REMOVE(&srv->done, job, entry);
		httpd_job_free(job);
	}
}

static void
httpd_route_status(struct httpd_req *hr)
{
	httpd_reply_text(hr, (int)hr->num, "%d %s\n", (int)hr->num,
	    httpd_reason((int)hr->num));
}

/* 429 with Retry-After in delay-seconds (RFC 9110 10.2.3). */
static void
httpd_route_retry_after(struct httpd_req *hr)
{
	char	v[32];

	snprintf(v, sizeof(v), "%" PRIu64, hr->num);
	evhttp_add_header(evhttp_request_get_output_headers(hr->req),
	    "Retry-After", v);
	httpd_reply_text(hr, 429, "429 Too Many Requests: retry after %s s\n",
	    v);
}

/* 503 with Retry-After as an HTTP-date SECS from now. */
static void
httpd_route_retry_after_date(struct httpd_req *hr)
{
	char	v[64];

	httpd_http_date(time(NULL) + (time_t)hr->num, v, sizeof(v));
	evhttp_add_header(evhttp_request_get_output_headers(hr->req),
	    "Retry-After", v);
	httpd_reply_text(hr, 503, "503 Service Unavailable: retry after %s\n",
	    v);
}

/*
 * /redirect/CODE/REST points at /REST, query string kept, so redirects
 * chain: /redirect/301/redirect/302/feed/a.xml.
 */
static void
httpd_route_redirect(struct httpd_req *hr)
{
	const char	*query;
	char		*location;

	query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(hr->req));
	xasprintf(&location, "/%s%s%s", hr->rest, query != NULL ? "?" : "",
	    query != NULL ? query : "");
	httpd_redirect(hr, (int)hr->num, location);
	free(location);
}

/* /loop/N: 302 to /loop/N+1, for ever. */
static void
httpd_route_loop(struct httpd_req *hr)
{
	char	location[64];

	snprintf(location, sizeof(location), "/loop/%" PRIu64, hr->num + 1);
	httpd_redirect(hr, 302, location);
}

static void
httpd_route_selfloop(struct httpd_req *hr)
{
	httpd_redirect(hr, 301, "/selfloop");
}

/* /tofile: 302 to a local file, which a fetcher must not follow. */
static void
httpd_route_tofile(struct httpd_req *hr)
{
	httpd_redirect(hr, 302, "file:///etc/passwd");
}

/* /slow/MS/NAME: /feed after MS milliseconds on a timer. */
static void
httpd_route_slow(struct httpd_req *hr)
{
	struct httpd_job	*job;

	job = httpd_job_new(hr, httpd_slow_cb, 0);
	httpd_job_arm(job, hr->num);
}

static void
httpd_slow_cb(evutil_socket_t fd, short what, void *arg)
{
	struct httpd_job	*job = arg;
	struct httpd_req	 hr = job->hr;

	httpd_job_finish(job);
	httpd_serve_file(&hr);
}

/*
 * Headers now, with the whole file's Content-Length; the body follows
 * piece by piece from the job returned.  NULL when the request is
 * already answered: no such file, or HEAD.
 */
static struct httpd_job *
httpd_stream_start(struct httpd_req *hr, event_callback_fn cb, short what)
{
	struct httpd_job	*job;
	struct evkeyvalq	*out;
	struct buf		 b;
	time_t			 mtime;
	char			 len[32], *ctype;

	memset(&b, 0, sizeof(b));
	if (httpd_file_read(hr->srv, hr->name, &b, &mtime) == -1) {
		httpd_reply_text(hr, 404, "%s: %s\n", hr->name,
		    strerror(errno));
		return (NULL);
	}
	out = evhttp_request_get_output_headers(hr->req);
	ctype = httpd_content_type(hr);
	evhttp_add_header(out, "Content-Type", ctype);
	free(ctype);
	snprintf(len, sizeof(len), "%zu", b.len);
	evhttp_add_header(out, "Content-Length", len);
	if (httpd_is_head(hr)) {
		httpd_reply(hr, 200, NULL);
		buf_free(&b);
		return (NULL);
	}
	httpd_log(hr, 200);
	evhttp_send_reply_start(hr->req, 200, httpd_reason(200));
	job = httpd_job_new(hr, cb, what);
	job->body = b;
	job->logged = 1;
	return (job);
}

/* /trickle/MS/NAME: one 16-byte piece of the body every MS ms. */
static void
httpd_route_trickle(struct httpd_req *hr)
{
	struct httpd_job	*job;

	if ((job = httpd_stream_start(hr, httpd_trickle_cb, EV_PERSIST)) ==
	    NULL)
		return;
	if (job->body.len == 0) {
		httpd_job_end(job);
		return;
	}
	httpd_job_arm(job, hr->num);
}

static void
httpd_trickle_cb(evutil_socket_t fd, short what, void *arg)
{
	struct httpd_job	*job = arg;
	struct evbuffer		*piece;
	size_t			 n;

	n = job->body.len - job->off;
	if (n > HTTPD_TRICKLE_PIECE)
		n = HTTPD_TRICKLE_PIECE;
	piece = httpd_evbuffer_new();
	evbuffer_add(piece, job->body.data + job->off, n);
	evhttp_send_reply_chunk(job->hr.req, piece);
	evbuffer_free(piece);
	job->off += n;
	if (job->off == job->body.len)
		httpd_job_end(job);
}

/*
 * /cut/BYTES/NAME: the full Content-Length, the first BYTES bytes, then
 * the connection closes, so the client sees a body that breaks off
 * (curl: "transfer closed with N bytes remaining to read").  Freeing the
 * connection drops unsent output, so httpd_cut_cb() waits for the
 * bytes to reach the kernel first.
 */
static void
httpd_route_cut(struct httpd_req *hr)
{
	struct httpd_job	*job;
	struct evbuffer		*part;
	size_t			 n;

	if ((job = httpd_stream_start(hr, httpd_cut_cb, 0)) == NULL)
		return;
	n = hr->num < job->body.len ? (size_t)hr->num : job->body.len;
	if (n > 0) {
		part = httpd_evbuffer_new();
		evbuffer_add(part, job->body.data, n);
		evhttp_send_reply_chunk(job->hr.req, part);
		evbuffer_free(part);
	}
	httpd_job_arm(job, 0);
}

static void
httpd_cut_cb(evutil_socket_t fd, short what, void *arg)
{
	struct httpd_job		*job = arg;
	struct evhttp_connection	*evcon;
	struct bufferevent		*bev;

	/* A job whose connection went away was abandoned, timer and all. */
	if ((evcon = evhttp_request_get_connection(job->hr.req)) == NULL)
		fatalx("httpd: cut: request without a connection");
	bev = evhttp_connection_get_bufferevent(evcon);
	if (evbuffer_get_length(bufferevent_get_output(bev)) > 0) {
		httpd_job_arm(job, HTTPD_CUT_POLL_MS);
		return;
	}
	httpd_job_finish(job);
	evhttp_connection_free(evcon);
}

/*
 * /big/BYTES: a valid RSS 2.0 document of at least BYTES bytes, sent
 * chunked (no Content-Length, so a client's size cap must act on the
 * bytes as they come) and generated HTTPD_BIG_ROUND bytes at a time, each
 * round when the previous one has been written.
 */
static void
httpd_route_big(struct httpd_req *hr)
{
	struct httpd_job	*job;

	evhttp_add_header(evhttp_request_get_output_headers(hr->req),
	    "Content-Type", "application/rss+xml; charset=utf-8");
	if (httpd_is_head(hr)) {
		httpd_reply(hr, 200, NULL);
		return;
	}
	httpd_log(hr, 200);
	evhttp_send_reply_start(hr->req, 200, httpd_reason(200));
	job = httpd_job_new(hr, NULL, 0);
	job->logged = 1;
	httpd_big_more_cb(NULL, job);
}

static void
httpd_big_more_cb(struct evhttp_connection *evcon, void *arg)
{
	struct httpd_job	*job = arg;
	struct evhttp_request	*req = job->hr.req;
	struct evbuffer		*chunk;
	size_t			 len, tail = sizeof(httpd_big_tail) - 1;
	int			 last = 0;

	chunk = httpd_evbuffer_new();
	if (job->sent == 0)
		evbuffer_add(chunk, httpd_big_head, sizeof(httpd_big_head) - 1);
	while ((len = evbuffer_get_length(chunk)) < HTTPD_BIG_ROUND) {
		if (job->sent + len + tail >= job->hr.num) {
			evbuffer_add(chunk, httpd_big_tail, tail);
			last = 1;
			break;
		}
		job->item++;
		evbuffer_add_printf(chunk, HTTPD_BIG_ITEM, job->item,
		    job->item, job->item, job->item);
	}
	job->sent += evbuffer_get_length(chunk);
	if (last) {
		httpd_job_finish(job);
		evhttp_send_reply_chunk(req, chunk);
		evhttp_send_reply_end(req);
	} else
		evhttp_send_reply_chunk_with_cb(req, chunk, httpd_big_more_cb,
		    job);
	evbuffer_free(chunk);
}

/*
 * /flaky/N/NAME: 500 for the first N requests for this exact
 * request-target (query included), /feed after that.
 */
static void
httpd_route_flaky(struct httpd_req *hr)
{
	struct httpd		*srv = hr->srv;
	struct httpd_flaky	*fl;
	const char		*uri = evhttp_request_get_uri(hr->req);

	TAILQ_FOREACH(fl, &srv->flakies, entry) {
		if (strcmp(fl->uri, uri) == 0)
			break;
	}
	if (fl == NULL) {
		fl = xcalloc(1, sizeof(*fl));
		fl->uri = xstrdup(uri);
		TAILQ_INSERT_TAIL(&srv->flakies, fl, entry);
	}
	if (fl->failed < hr->num) {
		fl->failed++;
		httpd_reply_text(hr, 500, "500 flaky: failure %" PRIu64
		    " of %" PRIu64 "\n", fl->failed, hr->num);
		return;
	}
	httpd_serve_file(hr);
}

static void
httpd_flaky_clear(struct httpd *srv)
{
	struct httpd_flaky	*fl;

	while ((fl = TAILQ_FIRST(&srv->flakies)) != NULL) {
		TAILQ_REMOVE(&srv->flakies, fl, entry);
		free(fl->uri);
		free(fl);
	}
}

/*
 * /stats, and /stats/reset which first zeroes the request count, the
 * /flaky counters, and the maximum (to the connections open now).  The
 * harness's own /stats requests and connections are not counted: see
 * httpd_request_cb().
 */
static void
httpd_route_stats(struct httpd_req *hr)
{
	struct httpd	*srv = hr->srv;
	struct evbuffer	*body;

	if (strcmp(hr->rest, "reset") == 0) {
		srv->requests = 0;
		srv->max_open = srv->nopen;
		httpd_flaky_clear(srv);
	} else if (hr->rest[0] != '\0') {
		httpd_reply_text(hr, 404, "no such stats: %s\n", hr->rest);
		return;
	}
	body = httpd_evbuffer_new();
	evbuffer_add_printf(body,
	    "{\"requests\": %" PRIu64 ", \"open\": %u, \"max_open\": %u}\n",
	    srv->requests, srv->nopen, srv->max_open);
	evhttp_add_header(evhttp_request_get_output_headers(hr->req),
	    "Content-Type", "application/json");
	httpd_reply(hr, 200, body);
	evbuffer_free(body);
}

/* A decimal path segment in [min, max]; no sign, no spaces. */
static int
httpd_number(const char *s, size_t len, uint64_t min, uint64_t max,
    uint64_t *out)
{
	uint64_t	v = 0, d;
	size_t		i;

	if (len == 0)
		return (-1);
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (-1);
		d = (uint64_t)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return (-1);
		v = v * 10 + d;
	}
	if (v < min || v > max)
		return (-1);
	*out = v;
	return (0);
}

/*
 * A NAME segment, percent-decoded; -1 unless it names an entry directly
 * in the root (no '/', no "..", no NUL).
 */
static int
httpd_name(const char *seg, size_t len, char *name, size_t size)
{
	char	*raw, *dec;
	size_t	 n;
	int	 rc = -1;

	raw = xstrndup(seg, len);
	dec = evhttp_uridecode(raw, 0, &n);
	free(raw);
	if (dec == NULL)
		return (-1);
	if (n == 0 || n >= size || strlen(dec) != n ||
	    strchr(dec, '/') != NULL || strstr(dec, "..") != NULL)
		goto out;
	memcpy(name, dec, n + 1);
	rc = 0;
out:
	free(dec);
	return (rc);
}

/*
 * Matches the path against httpd_routes[] and fills hr->route and the
 * route's arguments.  -1 when no route takes this path.
 */
static int
httpd_route_parse(struct httpd_req *hr, const char *path)
{
	const struct httpd_route	*r = NULL;
	const char			*p;
	size_t				 len, i;

	if (path[0] != '/')
		return (-1);
	p = path + 1;
	len = strcspn(p, "/");
	for (i = 0; i < sizeof(httpd_routes) / sizeof(httpd_routes[0]); i++) {
		if (strlen(httpd_routes[i].name) == len &&
		    memcmp(httpd_routes[i].name, p, len) == 0) {
			r = &httpd_routes[i];
			break;
		}
	}
	if (r == NULL) {
		/* "/NAME": a file at the site's root, served as /feed/NAME
		 * (where autodiscovery looks: /rss.xml, /atom.xml ...). */
		if (len == 0 || p[len] != '\0' ||
		    httpd_name(p, len, hr->name, sizeof(hr->name)) == -1)
			return (-1);
		for (i = 0; i < sizeof(httpd_routes) / sizeof(httpd_routes[0]);
		    i++)
			if (strcmp(httpd_routes[i].name, "feed") == 0)
				hr->route = &httpd_routes[i];
		return (hr->route != NULL ? 0 : -1);
	}
	p += len;

	if (r->args & HTTPD_ARG_NUM) {
		if (*p++ != '/')
			return (-1);
		len = strcspn(p, "/");
		if (httpd_number(p, len, r->min, r->max, &hr->num) == -1)
			return (-1);
		p += len;
	}
	if (r->args & HTTPD_ARG_NAME) {
		if (*p++ != '/')
			return (-1);
		len = strcspn(p, "/");
		if (p[len] != '\0' ||
		    httpd_name(p, len, hr->name, sizeof(hr->name)) == -1)
			return (-1);
	} else if (r->args & HTTPD_ARG_REST) {
		if (*p == '/')
			p++;
		hr->rest = p;
	} else if (*p != '\0')
		return (-1);
	hr->route = r;
	return (0);
}

static int
httpd_is_stats(const char *path)
{
	return (strcmp(path, "/stats") == 0 ||
	    strncmp(path, "/stats/", 7) == 0);
}

/*
 * The connection a request came on, tracked from its first request.  A
 * connection whose first request is for /stats belongs to the test
 * harness and is not counted: it would otherwise raise max_open above
 * what feedd itself did while feedd's idle keep-alive connections are
 * still open.
 */
static struct httpd_conn *
httpd_conn_get(struct httpd *srv, struct evhttp_request *req, int control)
{
	struct evhttp_connection	*evcon;
	struct httpd_conn		*c;

	evcon = evhttp_request_get_connection(req);
	TAILQ_FOREACH(c, &srv->conns, entry) {
		if (c->evcon == evcon)
			return (c);
	}
	c = xcalloc(1, sizeof(*c));
	c->srv = srv;
	c->evcon = evcon;
	c->control = control;
	TAILQ_INSERT_TAIL(&srv->conns, c, entry);
	evhttp_connection_set_closecb(evcon, httpd_conn_close_cb, c);
	if (!control && ++srv->nopen > srv->max_open)
		srv->max_open = srv->nopen;
	return (c);
}

/*
 * libevent is freeing a connection (the client closed it, it failed, or
 * we are shutting down): abandon its jobs and stop counting it.
 */
static void
httpd_conn_close_cb(struct evhttp_connection *evcon, void *arg)
{
	struct httpd_conn	*c = arg;
	struct httpd		*srv = c->srv;
	struct httpd_job	*job, *next;

	for (job = TAILQ_FIRST(&srv->jobs); job != NULL; job = next) {
		next = TAILQ_NEXT(job, entry);
		if (job->hr.conn == c)
			httpd_job_abandon(job);
	}
	if (!c->control)
		srv->nopen--;
	TAILQ_REMOVE(&srv->conns, c, entry);
	free(c);
}

/*
 * Every request lands here.  It counts the request (unless it is for
 * /stats), refuses methods other than GET and HEAD, and dispatches.
 */
static void
httpd_request_cb(struct evhttp_request *req, void *arg)
{
	struct httpd		*srv = arg;
	const struct evhttp_uri	*uri;
	struct httpd_req	 hr;
	const char		*path = NULL;
	int			 stats;

	memset(&hr, 0, sizeof(hr));
	hr.srv = srv;
	hr.req = req;
	evutil_gettimeofday(&hr.arrived, NULL);
	if ((uri = evhttp_request_get_evhttp_uri(req)) != NULL)
		path = evhttp_uri_get_path(uri);
	if (path == NULL)
		path = "";
	stats = httpd_is_stats(path);
	hr.conn = httpd_conn_get(srv, req, stats);
	if (!stats)
		srv->requests++;

	switch (evhttp_request_get_command(req)) {
	case EVHTTP_REQ_GET:
	case EVHTTP_REQ_HEAD:
		break;
	default:
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Allow", "GET, HEAD");
		httpd_reply_text(&hr, 405, "405 Method Not Allowed\n");
		return;
	}
	if (httpd_route_parse(&hr, path) == -1) {
		httpd_reply_text(&hr, 404, "404 Not Found\n");
		return;
	}
	hr.route->serve(&hr);
}

static void
httpd_signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct httpd	*srv = arg;

	event_base_loopbreak(srv->base);
}

static void
httpd_event_log_cb(int severity, const char *msg)
{
	if (severity >= EVENT_LOG_WARN)
		log_warnx("libevent: %s", msg);
	else
		log_debug("libevent: %s", msg);
}

/*
 * Writes a small file through a temporary name and rename(2), so that a
 * test polling for it never reads it half-written.
 */
static void
httpd_write_file(const char *path, const char *fmt, ...)
{
	va_list	 ap;
	FILE	*f;
	char	*tmp;
	int	 rc;

	xasprintf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	if ((f = fopen(tmp, "w")) == NULL)
		fatal("httpd: %s", tmp);
	va_start(ap, fmt);
	rc = vfprintf(f, fmt, ap);
	va_end(ap);
	if (rc < 0 || fclose(f) == EOF)
		fatal("httpd: %s", tmp);
	if (rename(tmp, path) == -1)
		fatal("httpd: rename %s", path);
	free(tmp);
}

int
main(int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "root",	required_argument,	NULL,	'r' },
		{ "port-file",	required_argument,	NULL,	'p' },
		{ "log",	required_argument,	NULL,	'l' },
		{ "pid-file",	required_argument,	NULL,	'P' },
		{ "header-log",	required_argument,	NULL,	'H' },
		{ "help",	no_argument,		NULL,	'h' },
		{ NULL,		0,			NULL,	0 }
	};
	struct httpd			 srv;
	struct evhttp_bound_socket	*bound;
	struct httpd_job		*job;
	struct sockaddr_in		 sin;
	socklen_t			 slen = sizeof(sin);
	const char			*root = NULL, *port_file = NULL;
	const char			*log_file = NULL, *pid_file = NULL;
	const char			*hlog_file = NULL;
	int				 ch;

	log_init("httpd", LOG_LEVEL_WARN);
	while ((ch = getopt_long(argc, argv, "r:p:l:P:H:h", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'H':
			hlog_file = optarg;
			break;
		case 'r':
			root = optarg;
			break;
		case 'p':
			port_file = optarg;
			break;
		case 'l':
			log_file = optarg;
			break;
		case 'P':
			pid_file = optarg;
			break;
		case 'h':
			usage(stdout);
			return (0);
		default:
			usage(stderr);
			return (2);
		}
	}
	if (root == NULL || port_file == NULL || optind != argc) {
		usage(stderr);
		return (2);
	}

	/* A client that hangs up must not kill us while we write. */
	signal(SIGPIPE, SIG_IGN);

	memset(&srv, 0, sizeof(srv));
	TAILQ_INIT(&srv.conns);
	TAILQ_INIT(&srv.jobs);
	TAILQ_INIT(&srv.done);
	TAILQ_INIT(&srv.flakies);
	if ((srv.rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1)
		fatal("httpd: %s", root);
	if (log_file != NULL && (srv.log = fopen(log_file, "a")) == NULL)
		fatal("httpd: %s", log_file);
	if (hlog_file != NULL && (srv.hlog = fopen(hlog_file, "a")) == NULL)
		fatal("httpd: %s", hlog_file);

	event_set_log_callback(httpd_event_log_cb);
	if ((srv.base = event_base_new()) == NULL)
		fatalx("httpd: event_base_new failed");
	if ((srv.http = evhttp_new(srv.base)) == NULL)
		fatalx("httpd: evhttp_new failed");
	/* Let every method through, to log it and answer 405 ourselves. */
	evhttp_set_allowed_methods(srv.http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
	    EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
	    EVHTTP_REQ_OPTIONS | EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT |
	    EVHTTP_REQ_PATCH);
	evhttp_set_gencb(srv.http, httpd_request_cb, &srv);
	if ((bound = evhttp_bind_socket_with_handle(srv.http, "127.0.0.1",
	    0)) == NULL)
		fatalx("httpd: cannot bind 127.0.0.1");
	if (getsockname(evhttp_bound_socket_get_fd(bound),
	    (struct sockaddr *)&sin, &slen) == -1)
		fatal("httpd: getsockname");

	srv.sig_term = evsignal_new(srv.base, SIGTERM, httpd_signal_cb, &srv);
	srv.sig_int = evsignal_new(srv.base, SIGINT, httpd_signal_cb, &srv);
	srv.reap_ev = event_new(srv.base, -1, 0, httpd_reap_cb, &srv);
	if (srv.sig_term == NULL || srv.sig_int == NULL ||
	    srv.reap_ev == NULL)
		fatalx("httpd: event_new failed");
	evsignal_add(srv.sig_term, NULL);
	evsignal_add(srv.sig_int, NULL);

	/* The port file comes last: once it exists, we are serving. */
	if (pid_file != NULL)
		httpd_write_file(pid_file, "%ld\n", (long)getpid());
	httpd_write_file(port_file, "%u\n", (unsigned int)ntohs(sin.sin_port));

	event_base_dispatch(srv.base);

	/*
	 * Freeing the server frees each connection, whose close callback
	 * abandons its jobs; then the finished jobs are reaped.
	 */
	evhttp_free(srv.http);
	while ((job = TAILQ_FIRST(&srv.jobs)) != NULL) {
		log_warnx("httpd: a job outlived its connection");
		httpd_job_finish(job);
	}
	httpd_reap_cb(-1, 0, &srv);
	httpd_flaky_clear(&srv);
	event_free(srv.reap_ev);
	event_free(srv.sig_int);
	event_free(srv.sig_term);
	event_base_free(srv.base);
	libevent_global_shutdown();
	close(srv.rootfd);
	if (srv.log != NULL)
		fclose(srv.log);
	if (srv.hlog != NULL)
		fclose(srv.hlog);
	if (pid_file != NULL)
		unlink(pid_file);
	return (0);
}
