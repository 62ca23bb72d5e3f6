/*
 * notify-webhook.c: a webhook notifier's delivery: the request
 * (webhook.c) sent on the HTTP engine (http.c), and the answer judged:
 * 2xx delivered, 408/429/5xx retried (after the receiver's Retry-After),
 * anything else failed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "buf.h"
#include "conf.h"
#include "http.h"
#include "loop.h"
#include "notify-int.h"
#include "store.h"
#include "webhook.h"
#include "xmalloc.h"

/*
 * A json notifier's request that starts while at most NOTIFY_URGENT_HTTP
 * are under way (itself included) goes before the feeds (NOTIFY_PRIO),
 * the others take their turn with them: a burst starts urgent, a
 * notifier kept full by a backlog shares the loop with the polls.
 * bench/notify, six runs of each, a notifier for one feed in 20: p99
 * 35-38 ms with 64 and 16 urgent, 31-34 ms with 64 all urgent, 44-50 ms
 * with 16; a notifier for every item made the 1,000-feed poll take
 * 2.4-2.5 s, 2.9-3.1 s and 1.2-1.3 s, while its deliveries arrived
 * sooner (p99 about 0.4 s against 2 s with 16).
 */
#define NOTIFY_URGENT_HTTP	16
#define NOTIFY_RESPONSE_KEEP	512	/* response bytes kept for the log */

/* A webhook request ended: a notifier held by the limit may go on. */
void
notify_webhook_ended(struct notify *n)
{
	if (n->nhttp-- == NOTIFY_HTTP_MAX)
		notify_pump_soon(n);
}

static size_t
notify_webhook_resp_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct delivery	*dl = arg;
	size_t		 len = size * nmemb, room;

	room = dl->resp.len < NOTIFY_RESPONSE_KEEP ?
	    NOTIFY_RESPONSE_KEEP - dl->resp.len : 0;
	buf_add(&dl->resp, data, len < room ? len : room);
	return (len);
}

/* Retry-After: seconds or an HTTP date; 0 when absent. */
static int64_t
notify_webhook_retry_after(CURL *e)
{
	struct curl_header	*h;
	int64_t			 t;
	char			*end;
	long long		 v;

	if (curl_easy_header(e, "Retry-After", 0, CURLH_HEADER, -1, &h) !=
	    CURLHE_OK)
		return (0);
	errno = 0;
	v = strtoll(h->value, &end, 10);
	if (end != h->value && *end == '\0' && errno == 0 && v >= 0)
		return (v > 0 ? (int64_t)v : 1);
	if ((t = (int64_t)curl_getdate(h->value, NULL)) <= 0)
		return (0);
	t -= (int64_t)time(NULL);
	return (t > 0 ? t : 1);
}

static void
notify_webhook_done(void *easy, int code, void *arg)
{
	struct delivery	*dl = arg;
	long		 status = 0;
	char		*why;
	int64_t		 ra;

	dl->easy = NULL;	/* the engine let it go */
	notify_webhook_ended(dl->nf->n);
	if (code != CURLE_OK) {
		xasprintf(&why, "%s", *dl->errbuf != '\0' ? dl->errbuf :
		    curl_easy_strerror((CURLcode)code));
		curl_easy_cleanup(easy);
		notify_finish(dl, OUTCOME_RETRY, why, 0);
		free(why);
		return;
	}
	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
	ra = notify_webhook_retry_after(easy);
	curl_easy_cleanup(easy);
	if (status >= 200 && status < 300) {
		notify_finish(dl, OUTCOME_DELIVERED, NULL, 0);
		return;
	}
	/* The receiver's words, on one line, for the log and status. */
	for (size_t i = 0; i < dl->resp.len; i++)
		if ((unsigned char)dl->resp.data[i] < 0x20)
			dl->resp.data[i] = ' ';
	xasprintf(&why, "HTTP %ld%s%.*s", status, dl->resp.len ? ": " : "",
	    (int)dl->resp.len, dl->resp.len ? dl->resp.data : "");
	if (status == 429 || status == 408 || status >= 500)
		notify_finish(dl, OUTCOME_RETRY, why, ra);
	else
		notify_finish(dl, OUTCOME_FAILED, why, 0);
	free(why);
}

/* The request for one item, on the engine at the priority above. */
int
notify_webhook_start(struct delivery *dl, const struct store_delivery *d,
    char **cause)
{
	struct notifier	*nf = dl->nf;
	CURL		*e;
	char		*txn;
	size_t		 i;

	/*
	 * Matrix keeps a transaction id for good: a second request with it
	 * is answered as done and posts nothing.  So the id is the same for
	 * every attempt at one item and never another item's: the item id
	 * (never handed out twice), when it was stored (a database made
	 * again starts its ids over), and the notifier (two rooms, one
	 * token).  Outbox row ids are reused once the queue empties.
	 */
	if (dl->test_cb != NULL)
		xasprintf(&txn, "feedd-test-%" PRId64 "-%" PRIu64,
		    (int64_t)time(NULL), ++nf->n->tests);
	else
		xasprintf(&txn, "feedd-%s-%" PRId64 "-%" PRId64, nf->name,
		    d->item.id, d->item.fetched);
	webhook_build(nf->cn, d, txn, &dl->req);
	free(txn);
	if ((e = curl_easy_init()) == NULL) {
		*cause = xstrdup("curl_easy_init failed");
		return (-1);
	}
	for (i = 0; dl->req.headers[i] != NULL; i++)
		dl->headers = curl_slist_append(dl->headers,
		    dl->req.headers[i]);
	dl->headers = curl_slist_append(dl->headers, "Expect:");
	curl_easy_setopt(e, CURLOPT_URL, dl->req.url);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, dl->req.body);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)dl->req.len);
	if (strcmp(dl->req.method, "POST") != 0)
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, dl->req.method);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, dl->headers);
	curl_easy_setopt(e, CURLOPT_USERAGENT, nf->n->user_agent);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_TIMEOUT, (long)nf->cn->timeout);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, notify_webhook_resp_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, dl);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, dl->errbuf);
	if (http_start(nf->n->http, e, nf->nflight > NOTIFY_URGENT_HTTP ?
	    LOOP_PRIO_DEFAULT : NOTIFY_PRIO, notify_webhook_done, dl) != 0) {
		curl_easy_cleanup(e);
		*cause = xstrdup("cannot start the request");
		return (-1);
	}
	dl->easy = e;
	nf->n->nhttp++;
	return (0);
}
