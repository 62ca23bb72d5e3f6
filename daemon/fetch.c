/*
 * fetch.c: the feed fetcher, on the HTTP engine (http.c): what makes
 * polling polite and safe: a queue in front of the engine so at most
 * max_parallel transfers run and at most max_per_host per host, exact
 * conditional GET, permanent-redirect detection, a size cap enforced as
 * bytes arrive, and refusal of private addresses for untrusted feeds.
 */
#include <sys/queue.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "buf.h"
#include "feedopt.h"
#include "fetch.h"
#include "http.h"
#include "item.h"
#include "log.h"
#include "loop.h"
#include "parse.h"
#include "url.h"
#include "xmalloc.h"

/*
 * Bodies up to this size are collected and parsed in one final
 * XML_Parse call; larger ones stream into the parser as they arrive, so a
 * 15 MB feed never sits in memory whole.  bench/parse measured whole
 * documents at 280 MB/s against 245 MB/s in 64 KiB pieces (+14%); most
 * feeds (20-50 items) are 20-200 KB, and 64 transfers of 256 KiB bound
 * the collected bodies at 16 MiB.
 */
#define FETCH_WHOLE_MAX		(256 * 1024)
#define FETCH_HEADER_MAX	1024	/* longer validators are not kept */
#define FETCH_MAX_REDIRS	5
#define FETCH_HOST_BUCKETS	1024

struct fetch_pending {
	int64_t			 feed_id;
	char			*url;
	char			*etag;
	char			*last_modified;
	int			 trusted;
	int			 keep_body;
	char			*options;
	struct fetch_host	*host;
	TAILQ_ENTRY(fetch_pending) entry;
};
TAILQ_HEAD(fetch_pendings, fetch_pending);

/* Per-host accounting: transfers running and requests waiting. */
struct fetch_host {
	char			*name;
	unsigned int		 active;
	struct fetch_pendings	 queue;
	int			 ready;		/* on fetcher->ready */
	struct fetch_host	*next;		/* hash chain */
	TAILQ_ENTRY(fetch_host)	 entry;
};
TAILQ_HEAD(fetch_hosts, fetch_host);

struct fetch {
	struct fetcher		*fetcher;
	CURL			*easy;
	struct fetch_host	*host;
	int64_t			 feed_id;
	int			 trusted;
	int			 is_file;
	char			*host_name;	/* as in the URL: allow_hosts */
	struct curl_slist	*headers;
	struct parser		*parser;
	struct buf		 body;		/* while small enough */
	int			 streaming;
	int			 keep_body;	/* a check: body to discover */
	int64_t			 max_size;	/* the feed's or the daemon's */
	char			*charset;	/* the feed's: overrides all */
	char			*proxy;		/* connections go there */
	int			 proxy_trusted;	/* from the config */
	char			*opt_error;	/* its settings cannot apply */
	size_t			 bytes;
	int			 too_big;
	int			 redirects;
	int			 temporary;	/* a 302/303/307 on the way */
	int			 first_redirect;	/* its status */
	int			 conditional;	/* validators were sent */
	char			*refused;	/* why the address was refused */
	char			 errbuf[CURL_ERROR_SIZE];
	int			 finished;	/* on fetcher->finished */
	CURLcode		 code;		/* ... with curl's result */
	TAILQ_ENTRY(fetch)	 entry;
	TAILQ_ENTRY(fetch)	 finished_entry;
};
TAILQ_HEAD(fetches, fetch);

struct fetcher {
	struct http		*http;
	struct event		*finish_ev;	/* one finished feed a turn */
	fetch_done_cb		 done_cb;
	void			*done_arg;

	char			*user_agent;
	unsigned int		 max_parallel;
	unsigned int		 max_per_host;
	int64_t			 timeout;
	int64_t			 max_size;
	int			 allow_private;
	char			**allow_hosts;
	size_t			 nallow_hosts;
	char			*proxy;

	struct fetches		 active;
	size_t			 nactive;
	struct fetches		 finished;	/* of "active": not parsed */
	int			 held;		/* start nothing new */
	struct fetch_hosts	 ready;		/* hosts with queued requests */
	size_t			 nqueued;
	struct fetch_host	*hosts[FETCH_HOST_BUCKETS];
};

static void	fetch_dispatch(struct fetcher *);

/* --- hosts --- */

static unsigned int
fetch_host_hash(const char *s)
{
	unsigned int	h = 2166136261U;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619U;
	return (h % FETCH_HOST_BUCKETS);
}

static struct fetch_host *
fetch_host_get(struct fetcher *f, const char *name)
{
	struct fetch_host	*h;
	unsigned int		 b = fetch_host_hash(name);

	for (h = f->hosts[b]; h != NULL; h = h->next)
		if (strcmp(h->name, name) == 0)
			return (h);
	h = xcalloc(1, sizeof(*h));
	h->name = xstrdup(name);
	TAILQ_INIT(&h->queue);
	h->next = f->hosts[b];
	f->hosts[b] = h;
	return (h);
}

/* Forgets a host nothing uses, so the table does not grow forever. */
static void
fetch_host_put(struct fetcher *f, struct fetch_host *h)
{
	struct fetch_host	**pp;

	if (h->active != 0 || !TAILQ_EMPTY(&h->queue))
		return;
	for (pp = &f->hosts[fetch_host_hash(h->name)]; *pp != NULL;
	    pp = &(*pp)->next) {
		if (*pp == h) {
			*pp = h->next;
			break;
		}
	}
	if (h->ready)
		TAILQ_REMOVE(&f->ready, h, entry);
	free(h->name);
	free(h);
}

/* The host part of a URL, lower case; "" when there is none (file:). */
static char *
fetch_url_host(const char *url)
{
	CURLU	*u;
	char	*host = NULL, *res, *p;

	if ((u = curl_url()) == NULL)
		return (xstrdup(""));
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK)
		res = xstrdup(host);
	else
		res = xstrdup("");
	curl_free(host);
	curl_url_cleanup(u);
	for (p = res; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return (res);
}

/* --- address policy --- */

/*
 * Loopback, private, link-local, CGNAT, multicast and reserved ranges:
 * where a feed URL from a client must not lead (SSRF).
 */
static int
fetch_addr_private4(const unsigned char *a)
{
	return (a[0] == 0 || a[0] == 10 || a[0] == 127 ||
	    (a[0] == 100 && (a[1] & 0xc0) == 64) ||
	    (a[0] == 169 && a[1] == 254) ||
	    (a[0] == 172 && (a[1] & 0xf0) == 16) ||
	    (a[0] == 192 && a[1] == 168) ||
	    (a[0] == 192 && a[1] == 0 && a[2] == 0) ||
	    (a[0] == 198 && (a[1] & 0xfe) == 18) ||
	    a[0] >= 224);
}

static int
fetch_addr_private6(const unsigned char *a)
{
	static const unsigned char	mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0xff, 0xff };
	static const unsigned char	nat64[12] = { 0, 0x64, 0xff, 0x9b };
	static const unsigned char	zero[16];

	if (memcmp(a, mapped, 12) == 0 || memcmp(a, nat64, 12) == 0)
		return (fetch_addr_private4(a + 12));
	/*
	 * ::/96: ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d
	 * ("[::127.0.0.1]"), which no public host uses.
	 */
	if (memcmp(a, zero, 12) == 0)
		return (1);
	return ((a[0] & 0xfe) == 0xfc ||		/* fc00::/7 */
	    (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) ||	/* fe80::/10 */
	    a[0] == 0xff);				/* multicast */
}

static int
fetch_host_allowed(const struct fetcher *f, const char *name)
{
	size_t	i;

	for (i = 0; i < f->nallow_hosts; i++)
		if (strcasecmp(f->allow_hosts[i], name) == 0)
			return (1);
	return (0);
}

/* 0 when this transfer may talk to "ip"; else sets fe->refused. */
static int
fetch_check_ip(struct fetch *fe, const char *ip, int family,
    const void *addr)
{
	struct fetcher	*f = fe->fetcher;
	int		 priv;

	if (fe->trusted || f->allow_private ||
	    (fe->proxy != NULL && fe->proxy_trusted))
		return (0);
	if (family == AF_INET)
		priv = fetch_addr_private4(addr);
	else if (family == AF_INET6)
		priv = fetch_addr_private6(addr);
	else
		priv = 1;
	if (!priv || fetch_host_allowed(f, ip))
		return (0);
	/*
	 * By name, only the host this hop goes to counts: an allowed host
	 * must not be able to redirect a feed to another private one.
	 * Through a proxy, every connection is to the proxy.
	 */
	if (f->nallow_hosts > 0 && fe->proxy == NULL) {
		char	*url = NULL, *host;
		int	 ok;

		curl_easy_getinfo(fe->easy, CURLINFO_EFFECTIVE_URL, &url);
		host = fetch_url_host(url != NULL ? url : "");
		ok = fetch_host_allowed(f, host);
		free(host);
		if (ok)
			return (0);
	}
	if (fe->refused == NULL && fe->proxy != NULL) {
		char	*shown = feedopt_mask_url(fe->proxy);

		xasprintf(&fe->refused, "refused to connect to the proxy %s "
		    "(%s), a private or local address (allow_private = yes "
		    "or allow_hosts permits it; [daemon] proxy is always "
		    "allowed)", ip, shown);
		free(shown);
	} else if (fe->refused == NULL)
		xasprintf(&fe->refused, "refused to connect to %s, a private "
		    "or local address (allow_private = yes or allow_hosts "
		    "permits it)", ip);
	return (-1);
}

/* CURLOPT_OPENSOCKETFUNCTION: the address is checked before connect. */
static curl_socket_t
fetch_opensocket_cb(void *arg, curlsocktype purpose,
    struct curl_sockaddr *sa)
{
	struct fetch	*fe = arg;
	char		 ip[INET6_ADDRSTRLEN] = "?";
	const void	*addr = NULL;

	if (sa->family == AF_INET)
		addr = &((struct sockaddr_in *)(void *)&sa->addr)->sin_addr;
	else if (sa->family == AF_INET6)
		addr = &((struct sockaddr_in6 *)(void *)&sa->addr)->sin6_addr;
	if (addr != NULL)
		inet_ntop(sa->family, addr, ip, sizeof(ip));
	if (addr == NULL || fetch_check_ip(fe, ip, sa->family, addr) != 0)
		return (CURL_SOCKET_BAD);
	return (socket(sa->family, sa->socktype, sa->protocol));
}

/*
 * CURLOPT_PREREQFUNCTION: runs for every request, on a new or a reused
 * connection, so a connection opened for a trusted feed cannot carry an
 * untrusted one to the same private address.
 */
static int
fetch_prereq_cb(void *arg, char *primary_ip, char *local_ip, int port,
    int local_port)
{
	struct fetch	*fe = arg;
	unsigned char	 a[16];

	if (fe->is_file)
		return (CURL_PREREQFUNC_OK);
	if (inet_pton(AF_INET, primary_ip, a) == 1)
		return (fetch_check_ip(fe, primary_ip, AF_INET, a) == 0 ?
		    CURL_PREREQFUNC_OK : CURL_PREREQFUNC_ABORT);
	if (inet_pton(AF_INET6, primary_ip, a) == 1)
		return (fetch_check_ip(fe, primary_ip, AF_INET6, a) == 0 ?
		    CURL_PREREQFUNC_OK : CURL_PREREQFUNC_ABORT);
	return (fetch_check_ip(fe, primary_ip, AF_UNSPEC, a) == 0 ?
	    CURL_PREREQFUNC_OK : CURL_PREREQFUNC_ABORT);
}

/* --- transfer callbacks --- */

/* Status lines only: which redirects led here (permanent or not). */
static size_t
fetch_header_cb(char *data, size_t size, size_t n, void *arg)
{
	struct fetch	*fe = arg;
	size_t		 len = size * n;
	int		 code;

	if (len > 9 && strncmp(data, "HTTP/", 5) == 0) {
		const char	*sp = memchr(data, ' ', len);

		if (sp == NULL || sp + 4 > data + len)
			return (len);
		code = atoi(sp + 1);
		if (code == 301 || code == 308 || code == 302 ||
		    code == 303 || code == 307) {
			if (fe->redirects++ == 0)
				fe->first_redirect = code;
			if (code != 301 && code != 308)
				fe->temporary = 1;
		}
	}
	return (len);
}

static void
fetch_parser_start(struct fetch *fe)
{
	struct parse_opts	 opts;
	const char		*ctype = NULL, *cs;
	char			*url = NULL, charset[64] = "";
	size_t			 i;

	curl_easy_getinfo(fe->easy, CURLINFO_EFFECTIVE_URL, &url);
	curl_easy_getinfo(fe->easy, CURLINFO_CONTENT_TYPE, &ctype);
	/* Content-Type: application/rss+xml; charset="utf-8" */
	if (ctype != NULL && (cs = strcasestr(ctype, "charset=")) != NULL) {
		cs += 8;
		if (*cs == '"')
			cs++;
		for (i = 0; i < sizeof(charset) - 1 && cs[i] != '\0' &&
		    cs[i] != '"' && cs[i] != ';' && cs[i] != ' '; i++)
			charset[i] = cs[i];
		charset[i] = '\0';
	}
	memset(&opts, 0, sizeof(opts));
	opts.base = url;
	opts.charset = charset[0] != '\0' ? charset : NULL;
	if (fe->charset != NULL) {
		opts.charset = fe->charset;
		opts.force_charset = 1;
	}
	fe->parser = parse_new(&opts);
}

/*
 * The body, as it arrives.  The size cap is enforced here: curl 7.88
 * does not stop a transfer at CURLOPT_MAXFILESIZE once it is under way.
 */
static size_t
fetch_write_cb(char *data, size_t size, size_t n, void *arg)
{
	struct fetch	*fe = arg;
	size_t		 len = size * n;
	long		 code = 0;

	fe->bytes += len;
	if ((int64_t)fe->bytes > fe->max_size) {
		fe->too_big = 1;
		return (0);
	}
	curl_easy_getinfo(fe->easy, CURLINFO_RESPONSE_CODE, &code);
	if (!fe->is_file && (code < 200 || code > 299))
		return (len);		/* an error page: not a feed */
	if (fe->parser == NULL)
		fetch_parser_start(fe);
	if (fe->streaming) {
		parse_feed(fe->parser, data, len);
		return (len);
	}
	buf_add(&fe->body, data, len);
	if (fe->body.len > FETCH_WHOLE_MAX) {
		parse_feed(fe->parser, fe->body.data, fe->body.len);
		/* A page's <link>s are in its head: the start will do. */
		if (!fe->keep_body)
			buf_free(&fe->body);
		fe->streaming = 1;
	}
	return (len);
}

/* --- lifecycle of one transfer --- */

static struct curl_slist *
fetch_header_add(struct curl_slist *l, const char *name, const char *value)
{
	struct curl_slist	*n;
	char			*h;

	xasprintf(&h, "%s: %s", name, value);
	n = curl_slist_append(l, h);
	free(h);
	if (n == NULL)
		fatalx("fetch: out of memory");
	return (n);
}

/* A feed's own settings (feedopt.h) over the daemon's. */
static void
fetch_feed_options(struct fetch *fe, const char *json)
{
	struct feedopt	 o;
	CURL		*e = fe->easy;
	char		*password, *cause = NULL;
	size_t		 i;
	long		 t;

	if (feedopt_from_json(json, &o, &cause) != 0) {
		fe->opt_error = cause;
		return;
	}
	if (o.user_agent != NULL)
		curl_easy_setopt(e, CURLOPT_USERAGENT, o.user_agent);
	for (i = 0; i < o.nheaders; i++)
		if ((fe->headers = curl_slist_append(fe->headers,
		    o.headers[i])) == NULL)
			fatalx("fetch: out of memory");
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, fe->headers);
	if (o.cookie != NULL)
		curl_easy_setopt(e, CURLOPT_COOKIE, o.cookie);
	password = feedopt_password(&o, &cause);
	if (cause != NULL)
		fe->opt_error = cause;
	if (o.username != NULL || password != NULL) {
		/*
		 * Basic, sent with the first request: "ANY" would cost a
		 * request without credentials on every poll.  curl sends
		 * them to the URL's host only, never after a redirect to
		 * another.
		 */
		curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(e, CURLOPT_USERNAME, o.username != NULL ?
		    o.username : "");
		curl_easy_setopt(e, CURLOPT_PASSWORD, password != NULL ?
		    password : "");
	}
	if (password != NULL) {
		explicit_bzero(password, strlen(password));
		free(password);
	}
	if (o.proxy != NULL) {
		free(fe->proxy);
		fe->proxy = xstrdup(o.proxy);
		fe->proxy_trusted = fe->trusted;
		curl_easy_setopt(e, CURLOPT_PROXY, fe->proxy);
	}
	if (o.charset != NULL)
		fe->charset = xstrdup(o.charset);
	if (o.timeout > 0) {
		t = (long)o.timeout;
		curl_easy_setopt(e, CURLOPT_TIMEOUT, t);
		curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, t < 15 ? t : 15L);
		curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, t < 30 ? t : 30L);
	}
	if (o.max_size > 0) {
		fe->max_size = o.max_size;
		curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
		    (curl_off_t)o.max_size);
	}
	feedopt_clear(&o);
}

static struct fetch *
fetch_new_transfer(struct fetcher *f, struct fetch_pending *req)
{
	struct fetch	*fe;
	CURL		*e;
	long		 t = (long)f->timeout;

	fe = xcalloc(1, sizeof(*fe));
	fe->fetcher = f;
	fe->host = req->host;
	fe->feed_id = req->feed_id;
	fe->trusted = req->trusted;
	fe->keep_body = req->keep_body;
	fe->is_file = strncasecmp(req->url, "file:", 5) == 0;
	fe->host_name = xstrdup(req->host->name);
	if ((fe->easy = e = curl_easy_init()) == NULL)
		fatalx("fetch: curl_easy_init failed");

	/* Send back exactly what the server gave (RFC 9110 13.1). */
	fe->headers = fetch_header_add(NULL, "Accept",
	    "application/rss+xml, application/atom+xml, application/feed+json, "
	    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8");
	fe->conditional = req->etag != NULL || req->last_modified != NULL;
	if (req->etag != NULL)
		fe->headers = fetch_header_add(fe->headers, "If-None-Match",
		    req->etag);
	if (req->last_modified != NULL)
		fe->headers = fetch_header_add(fe->headers,
		    "If-Modified-Since", req->last_modified);

	curl_easy_setopt(e, CURLOPT_URL, req->url);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, fe->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, fe->headers);
	curl_easy_setopt(e, CURLOPT_USERAGENT, f->user_agent);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, (long)FETCH_MAX_REDIRS);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR,
	    req->trusted ? "http,https,file" : "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_TIMEOUT, t);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, t < 15 ? t : 15L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, t < 30 ? t : 30L);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)f->max_size);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, fetch_write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, fe);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, fetch_header_cb);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, fe);
	curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, fetch_opensocket_cb);
	curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, fe);
	curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, fetch_prereq_cb);
	curl_easy_setopt(e, CURLOPT_PREREQDATA, fe);
	fe->max_size = f->max_size;
	if (f->proxy != NULL) {
		fe->proxy = xstrdup(f->proxy);
		fe->proxy_trusted = 1;
		curl_easy_setopt(e, CURLOPT_PROXY, fe->proxy);
	}
	if (req->options != NULL)
		fetch_feed_options(fe, req->options);
	return (fe);
}

static void
fetch_transfer_free(struct fetch *fe)
{
	if (fe->easy != NULL)
		curl_easy_cleanup(fe->easy);
	curl_slist_free_all(fe->headers);
	parse_free(fe->parser);
	buf_free(&fe->body);
	free(fe->host_name);
	free(fe->refused);
	free(fe->charset);
	free(fe->proxy);
	free(fe->opt_error);
	free(fe);
}

static char *
fetch_header_value(CURL *e, const char *name)
{
	struct curl_header	*h;

	if (curl_easy_header(e, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK)
		return (NULL);
	if (strlen(h->value) > FETCH_HEADER_MAX)
		return (NULL);
	return (xstrdup(h->value));
}

/* Retry-After: delay-seconds or an HTTP-date (RFC 9110 10.2.3). */
static int64_t
fetch_retry_after(CURL *e, int64_t now)
{
	char	*v, *end;
	long	 secs;
	time_t	 t;
	int64_t	 res = DATE_NONE;

	if ((v = fetch_header_value(e, "Retry-After")) == NULL)
		return (DATE_NONE);
	secs = strtol(v, &end, 10);
	if (end != v && *end == '\0' && secs >= 0)
		res = now + (secs > 86400 * 30 ? 86400 * 30 : secs);
	else if ((t = curl_getdate(v, NULL)) != -1)
		res = t > now + 86400 * 30 ? now + 86400 * 30 : t;
	free(v);
	return (res);
}

static void
fetch_cache_headers(CURL *e, struct fetch_result *r)
{
	const char	*p;
	char		*v;
	time_t		 t;

	if ((v = fetch_header_value(e, "Cache-Control")) != NULL) {
		if ((p = strcasestr(v, "max-age=")) != NULL &&
		    (p == v || p[-1] == ' ' || p[-1] == ','))
			r->max_age = strtoll(p + 8, NULL, 10);
		free(v);
	}
	if ((v = fetch_header_value(e, "Expires")) != NULL) {
		if ((t = curl_getdate(v, NULL)) != -1)
			r->expires = t;
		free(v);
	}
}

/* Turns a finished transfer into a result; the transfer is left as is. */
static struct fetch_result *
fetch_result_make(struct fetch *fe, CURLcode code)
{
	struct fetch_result	*r;
	const char		*why;
	char			*url = NULL, *cause = NULL;
	long			 status = 0;
	int64_t			 now = (int64_t)time(NULL);

	r = xcalloc(1, sizeof(*r));
	r->feed_id = fe->feed_id;
	r->retry_after = DATE_NONE;
	r->expires = DATE_NONE;
	r->max_age = -1;
	r->bytes = fe->bytes;
	curl_easy_getinfo(fe->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(fe->easy, CURLINFO_EFFECTIVE_URL, &url);
	r->status = status;
	r->final_url = url != NULL ? xstrdup(url) : NULL;
	if (!fe->is_file) {
		r->etag = fetch_header_value(fe->easy, "ETag");
		r->last_modified = fetch_header_value(fe->easy,
		    "Last-Modified");
		fetch_cache_headers(fe->easy, r);
		if (status == 429 || status == 503)
			r->retry_after = fetch_retry_after(fe->easy, now);
	}
	/*
	 * A move counts only when the new place answered properly, and to
	 * a URL feedd would take from a user (url_feed(): no control
	 * characters, the normal form the store compares).
	 */
	if (fe->redirects > 0 && !fe->temporary && r->final_url != NULL &&
	    code == CURLE_OK && (status == 304 || (status >= 200 &&
	    status <= 299)) && (r->moved_to = url_feed(r->final_url,
	    &why)) == NULL)
		log_warnx("fetch: feed %" PRId64 ": not recording its move to "
		    "%s: %s", fe->feed_id, r->final_url, why);
	if (r->moved_to != NULL)
		r->moved_status = fe->first_redirect;

	r->incomplete = fe->too_big || code != CURLE_OK;
	if (fe->too_big || code == CURLE_FILESIZE_EXCEEDED) {
		xasprintf(&r->error, "feed larger than max_feed_size "
		    "(%" PRId64 " bytes)", fe->max_size);
		return (r);
	}
	/* curl may have gone on to another, allowed, address. */
	if (fe->refused != NULL && code != CURLE_OK) {
		r->error = xstrdup(fe->refused);
		return (r);
	}
	/*
	 * A redirect to another scheme (add refuses one at first); curl
	 * says the same of an HTTP/0.9 answer, whose URL is still http.
	 */
	if (code == CURLE_UNSUPPORTED_PROTOCOL && !fe->is_file && url != NULL &&
	    strncasecmp(url, "http://", 7) != 0 &&
	    strncasecmp(url, "https://", 8) != 0) {
		xasprintf(&r->error, "redirected to %.200s: only http and "
		    "https redirects are followed", url);
		return (r);
	}
	if (code == CURLE_TOO_MANY_REDIRECTS) {
		xasprintf(&r->error, "redirect loop: %s", fe->errbuf[0] !=
		    '\0' ? fe->errbuf : curl_easy_strerror(code));
		return (r);
	}
	if (code != CURLE_OK) {
		r->error = xstrdup(fe->errbuf[0] != '\0' ? fe->errbuf :
		    curl_easy_strerror(code));
		/* A body that broke off: what parsed before still counts. */
		if (fe->parser == NULL)
			return (r);
		r->partial = 1;
	} else if (!fe->is_file && status != 304 &&
	    (status < 200 || status > 299)) {
		xasprintf(&r->error, "HTTP %ld", status);
		return (r);
	}
	/* Not modified since what? Nothing was stored to keep. */
	if (status == 304 && !fe->conditional) {
		r->error = xstrdup("HTTP 304 Not Modified to a request that "
		    "was not conditional");
		return (r);
	}
	if (status == 304)
		return (r);
	if (fe->parser == NULL) {
		r->error = xstrdup("empty response");
		return (r);
	}
	if (!fe->streaming)
		parse_feed(fe->parser, fe->body.data, fe->body.len);
	r->doc = parse_finish(fe->parser, &cause);
	if (fe->keep_body && r->doc == NULL) {
		const char	*ctype = NULL;

		curl_easy_getinfo(fe->easy, CURLINFO_CONTENT_TYPE, &ctype);
		r->content_type = ctype != NULL ? xstrdup(ctype) : NULL;
		r->body = fe->body.data;
		r->body_len = fe->body.len;
		memset(&fe->body, 0, sizeof(fe->body));
	}
	if (r->doc == NULL) {
		if (r->error == NULL)
			r->error = cause;
		else
			free(cause);
		r->partial = 0;
	} else if (r->error == NULL && r->doc->broken &&
	    r->doc->nwarnings != 0) {
		r->error = xstrdup(r->doc->warnings[r->doc->nwarnings - 1]);
		r->partial = 1;
	}
	return (r);
}

static void
fetch_finish(struct fetcher *f, struct fetch *fe, CURLcode code)
{
	struct fetch_result	*r;
	struct fetch_host	*h = fe->host;

	r = fetch_result_make(fe, code);
	TAILQ_REMOVE(&f->active, fe, entry);
	f->nactive--;
	h->active--;
	fetch_transfer_free(fe);
	fetch_host_put(f, h);
	f->done_cb(r, f->done_arg);
}

/* The first feed curl is done with, parsed and reported; 0: none. */
static int
fetch_finish_next(struct fetcher *f)
{
	struct fetch	*fe;

	if ((fe = TAILQ_FIRST(&f->finished)) == NULL)
		return (0);
	TAILQ_REMOVE(&f->finished, fe, finished_entry);
	fe->finished = 0;
	fetch_finish(f, fe, fe->code);
	return (1);
}

/* One finished feed a turn, at the default loop priority. */
static void
fetch_finish_cb(evutil_socket_t fd, short what, void *arg)
{
	struct fetcher	*f = arg;

	if (!fetch_finish_next(f))
		return;
	if (!TAILQ_EMPTY(&f->finished))
		event_active(f->finish_ev, 0, 0);
	fetch_dispatch(f);
}

/* Shutdown: the feeds curl is done with are finished now, not aborted. */
/* Who gets the feeds' results (the poller main() hands this to). */
void
fetch_set_done(struct fetcher *f, fetch_done_cb cb, void *arg)
{
	f->done_cb = cb;
	f->done_arg = arg;
}

void
fetch_settle(struct fetcher *f)
{
	while (fetch_finish_next(f))
		;
}

/*
 * A feed transfer the engine is done with waits for its own turn of the
 * loop: its parse takes up to milliseconds, and several feeds often
 * finish together, so parsing them all at once held up the loop's
 * urgent events, and parsed feeds at the priority of the webhook socket
 * that happened to call.
 */
static void
fetch_ended_cb(void *easy, int code, void *arg)
{
	struct fetch	*fe = arg;
	struct fetcher	*f = fe->fetcher;

	fe->finished = 1;
	fe->code = (CURLcode)code;
	TAILQ_INSERT_TAIL(&f->finished, fe, finished_entry);
	event_active(f->finish_ev, 0, 0);
}

/*
 * Starts queued requests while there is room: round robin over hosts
 * with work, skipping a host at its limit, so one busy host never holds
 * up the others.
 */
static void
fetch_dispatch(struct fetcher *f)
{
	struct fetch_pending	*req;
	struct fetch_host	*h, *next;
	struct fetch		*fe;
	int			 progress, ok;

	if (f->held)
		return;
	do {
		progress = 0;
		for (h = TAILQ_FIRST(&f->ready); h != NULL &&
		    f->nactive < f->max_parallel; h = next) {
			next = TAILQ_NEXT(h, entry);
			if (h->active >= f->max_per_host)
				continue;
			req = TAILQ_FIRST(&h->queue);
			TAILQ_REMOVE(&h->queue, req, entry);
			f->nqueued--;
			/* To the back of the line: round robin. */
			TAILQ_REMOVE(&f->ready, h, entry);
			if (TAILQ_EMPTY(&h->queue))
				h->ready = 0;
			else if (next != NULL)
				TAILQ_INSERT_TAIL(&f->ready, h, entry);
			else {
				TAILQ_INSERT_TAIL(&f->ready, h, entry);
				progress = 1;	/* the next pass sees it */
			}
			fe = fetch_new_transfer(f, req);
			ok = fe->opt_error != NULL ? 0 : http_start(f->http,
			    fe->easy, -1, fetch_ended_cb, fe);
			if (ok != 0 || fe->opt_error != NULL) {
				struct fetch_result	*r;

				/* Reported like any failed fetch. */
				r = xcalloc(1, sizeof(*r));
				r->feed_id = req->feed_id;
				r->retry_after = DATE_NONE;
				r->expires = DATE_NONE;
				r->max_age = -1;
				if (fe->opt_error != NULL)
					r->error = xstrdup(fe->opt_error);
				else
					xasprintf(&r->error, "curl: %s",
					    curl_multi_strerror((CURLMcode)ok));
				fetch_transfer_free(fe);
				fetch_host_put(f, h);
				f->done_cb(r, f->done_arg);
			} else {
				TAILQ_INSERT_TAIL(&f->active, fe, entry);
				f->nactive++;
				h->active++;
			}
			free(req->url);
			free(req->etag);
			free(req->last_modified);
			free(req->options);
			free(req);
		}
	} while (progress && f->nactive < f->max_parallel);
}

/* --- public --- */

static void
fetch_opts_free(struct fetcher *f)
{
	size_t	i;

	free(f->user_agent);
	free(f->proxy);
	f->proxy = NULL;
	for (i = 0; i < f->nallow_hosts; i++)
		free(f->allow_hosts[i]);
	free(f->allow_hosts);
	f->allow_hosts = NULL;
	f->nallow_hosts = 0;
}

void
fetch_set_opts(struct fetcher *f, const struct fetch_opts *o)
{
	size_t	i;

	fetch_opts_free(f);
	f->user_agent = xstrdup(o->user_agent != NULL ? o->user_agent :
	    "feedd/" FEEDD_VERSION);
	f->max_parallel = o->max_parallel > 0 ? o->max_parallel : 64;
	f->max_per_host = o->max_per_host > 0 ? o->max_per_host : 4;
	f->timeout = o->timeout > 0 ? o->timeout : 30;
	f->max_size = o->max_size > 0 ? o->max_size : 16 * 1024 * 1024;
	f->allow_private = o->allow_private;
	f->proxy = o->proxy != NULL ? xstrdup(o->proxy) : NULL;
	if (o->nallow_hosts > 0) {
		f->allow_hosts = xcalloc(o->nallow_hosts, sizeof(char *));
		for (i = 0; i < o->nallow_hosts; i++)
			f->allow_hosts[i] = xstrdup(o->allow_hosts[i]);
		f->nallow_hosts = o->nallow_hosts;
	}
	fetch_dispatch(f);
}

/* The bound on one host's transfers in force (max_per_host). */
unsigned int
fetch_max_per_host(const struct fetcher *f)
{
	return (f->max_per_host);
}

/* Feeds are polled through "http", the engine main() hands over. */
struct fetcher *
fetch_new(struct event_base *base, struct http *http,
    const struct fetch_opts *o, fetch_done_cb cb, void *arg)
{
	struct fetcher	*f;

	f = xcalloc(1, sizeof(*f));
	f->http = http;
	f->done_cb = cb;
	f->done_arg = arg;
	TAILQ_INIT(&f->active);
	TAILQ_INIT(&f->finished);
	TAILQ_INIT(&f->ready);
	f->finish_ev = event_new(base, -1, 0, fetch_finish_cb, f);
	event_priority_set(f->finish_ev, LOOP_PRIO_DEFAULT);
	fetch_set_opts(f, o);
	return (f);
}

/* Queues a request; it starts when its host and the total allow. */
int
fetch_start(struct fetcher *f, const struct fetch_req *r)
{
	struct fetch_pending	*req;
	char			*host;

	req = xcalloc(1, sizeof(*req));
	req->feed_id = r->feed_id;
	req->url = xstrdup(r->url);
	req->etag = r->etag != NULL ? xstrdup(r->etag) : NULL;
	req->last_modified = r->last_modified != NULL ?
	    xstrdup(r->last_modified) : NULL;
	req->trusted = r->trusted;
	req->keep_body = r->keep_body;
	req->options = r->options != NULL ? xstrdup(r->options) : NULL;
	host = fetch_url_host(r->url);
	req->host = fetch_host_get(f, host);
	free(host);
	TAILQ_INSERT_TAIL(&req->host->queue, req, entry);
	if (!req->host->ready) {
		TAILQ_INSERT_TAIL(&f->ready, req->host, entry);
		req->host->ready = 1;
	}
	f->nqueued++;
	fetch_dispatch(f);
	return (0);
}

/*
 * Holds back queued requests (transfers under way go on) while "hold",
 * so parsed documents cannot pile up faster than they are stored.
 */
void
fetch_hold(struct fetcher *f, int hold)
{
	f->held = hold;
	if (!hold)
		fetch_dispatch(f);
}

size_t
fetch_running(struct fetcher *f)
{
	return (f->nactive);
}

size_t
fetch_queued(struct fetcher *f)
{
	return (f->nqueued);
}

/*
 * Shutdown: every transfer in flight is aborted and reported with
 * "aborted" set; queued requests are dropped.
 */
void
fetch_cancel_all(struct fetcher *f)
{
	struct fetch_pending	*req;
	struct fetch_result	*r;
	struct fetch_host	*h;
	struct fetch		*fe;
	size_t			 b;

	while ((h = TAILQ_FIRST(&f->ready)) != NULL) {
		while ((req = TAILQ_FIRST(&h->queue)) != NULL) {
			TAILQ_REMOVE(&h->queue, req, entry);
			free(req->url);
			free(req->etag);
			free(req->last_modified);
			free(req->options);
			free(req);
			f->nqueued--;
		}
		TAILQ_REMOVE(&f->ready, h, entry);
		h->ready = 0;
		fetch_host_put(f, h);
	}
	while ((fe = TAILQ_FIRST(&f->active)) != NULL) {
		r = xcalloc(1, sizeof(*r));
		r->feed_id = fe->feed_id;
		r->aborted = 1;
		r->retry_after = DATE_NONE;
		r->expires = DATE_NONE;
		r->max_age = -1;
		r->error = xstrdup("aborted at shutdown");
		/* One the engine is done with is out of it already. */
		if (fe->finished)
			TAILQ_REMOVE(&f->finished, fe, finished_entry);
		else
			http_cancel(f->http, fe->easy);
		TAILQ_REMOVE(&f->active, fe, entry);
		f->nactive--;
		h = fe->host;
		h->active--;
		fetch_transfer_free(fe);
		fetch_host_put(f, h);
		f->done_cb(r, f->done_arg);
	}
	/* Nothing runs or waits now: no host is in use. */
	for (b = 0; b < FETCH_HOST_BUCKETS; b++) {
		while ((h = f->hosts[b]) != NULL) {
			f->hosts[b] = h->next;
			free(h->name);
			free(h);
		}
	}
}

void
fetch_result_free(struct fetch_result *r)
{
	if (r == NULL)
		return;
	free(r->error);
	free(r->etag);
	free(r->last_modified);
	free(r->final_url);
	free(r->moved_to);
	free(r->content_type);
	free(r->body);
	feed_doc_free(r->doc);
	free(r);
}

/* Its transfers leave the engine, which goes on for its other callers. */
void
fetch_free(struct fetcher *f)
{
	if (f == NULL)
		return;
	fetch_cancel_all(f);
	event_free(f->finish_ev);
	fetch_opts_free(f);
	free(f);
}
