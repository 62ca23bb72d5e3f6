/*
 * webhook.c: one item as each chat service wants it.  Feed text is
 * untrusted: it goes through jansson (JSON escaping), chat markup is
 * escaped, and Discord mentions are switched off so a title cannot ping
 * a whole server.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "buf.h"
#include "conf.h"
#include "date.h"
#include "headline.h"
#include "html.h"
#include "item.h"
#include "mail.h"
#include "store-json.h"
#include "store.h"
#include "text.h"
#include "url.h"
#include "webhook.h"
#include "xmalloc.h"

#define WEBHOOK_TEXT_MAX	1000	/* summary bytes in chat messages */
/* Title bytes in a chat message or an ntfy header: a title may be up to
 * 1 MiB, which no chat shows and ntfy's server refuses as a header. */
#define WEBHOOK_TITLE_MAX	500

static void
webhook_header(struct webhook_req *r, const char *name, const char *value)
{
	size_t	n = 0;

	while (r->headers != NULL && r->headers[n] != NULL)
		n++;
	r->headers = xreallocarray(r->headers, n + 2, sizeof(*r->headers));
	xasprintf(&r->headers[n], "%s: %s", name, value);
	r->headers[n + 1] = NULL;
}

/* "sha256=" and the hex HMAC-SHA256 of the body under "secret". */
char *
webhook_signature(const char *secret, const char *body, size_t len)
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen = 0, i;
	char		*s;

	HMAC(EVP_sha256(), secret, (int)strlen(secret),
	    (const unsigned char *)body, len, md, &mdlen);
	s = xmalloc(7 + 2 * mdlen + 1);
	memcpy(s, "sha256=", 7);
	for (i = 0; i < mdlen; i++)
		snprintf(s + 7 + 2 * i, 3, "%02x", md[i]);
	return (s);
}

/* The item's headline (headline.h), else "(untitled)": the feed is
 * named beside it in every format. */
static char *
webhook_title(const struct store_delivery *d)
{
	char	*t;
	size_t	 n;

	if ((t = headline_item(d->item.item)) == NULL)
		return (xstrdup("(untitled)"));
	if ((n = strlen(t)) > WEBHOOK_TITLE_MAX) {
		n = text_utf8_cut(t, WEBHOOK_TITLE_MAX - 3);
		memcpy(t + n, "\xe2\x80\xa6", 4);
	}
	return (t);
}

static const char *
webhook_feed(const struct store_delivery *d)
{
	return (d->feed_title != NULL ? d->feed_title : d->feed_url);
}

/*
 * The item as text (html.c: its content, else summary, sanitised and
 * rendered, links numbered and listed), at most "max" bytes: cut on a
 * character, with an ellipsis.
 */
static char *
webhook_text(const struct store_delivery *d, size_t max)
{
	char	*text;
	size_t	 n;

	html_item(d->item.item, d->feed_url, 0, NULL, &text);
	if (text == NULL)
		return (xstrdup(""));
	if ((n = strlen(text)) > max) {
		n = text_utf8_cut(text, max - 3);
		memcpy(text + n, "\xe2\x80\xa6", 4);
	}
	return (text);
}

/*
 * Slack's mrkdwn: &, < and > are its markup, and | ends the URL of a
 * <url|label>: in a label it becomes a look-alike (U+2223); a URL is
 * percent-encoded first (url_escape), so none is left in it.
 */
static void
webhook_slack_escape(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '&')
			buf_adds(b, "&amp;");
		else if (*s == '<')
			buf_adds(b, "&lt;");
		else if (*s == '>')
			buf_adds(b, "&gt;");
		else if (*s == '|')
			buf_adds(b, "\xe2\x88\xa3");	/* breaks <url|text> */
		else
			buf_addc(b, *s);
	}
}

static json_t *
webhook_slack(const struct store_delivery *d, const char *title)
{
	const struct feed_item	*it = d->item.item;
	struct buf		 b = { NULL, 0, 0 };
	char			*text, *url;
	json_t			*j;

	if (it->link != NULL) {
		url = url_escape(it->link);
		buf_addc(&b, '<');
		webhook_slack_escape(&b, url);
		free(url);
		buf_addc(&b, '|');
		webhook_slack_escape(&b, title);
		buf_addc(&b, '>');
	} else
		webhook_slack_escape(&b, title);
	buf_adds(&b, " \xe2\x80\x94 ");		/* an em dash */
	webhook_slack_escape(&b, webhook_feed(d));
	if (*(text = webhook_text(d, WEBHOOK_TEXT_MAX)) != '\0') {
		buf_addc(&b, '\n');
		webhook_slack_escape(&b, text);
	}
	free(text);
	j = json_pack("{s:s, s:b}", "text", b.data, "unfurl_links", 1);
	buf_free(&b);
	return (j);
}

static json_t *
webhook_discord(const struct store_delivery *d, const char *headline)
{
	const struct feed_item	*it = d->item.item;
	char			*text = webhook_text(d, 600), title[257];
	char			 date[40];
	json_t			*embed, *j;
	size_t			 n;

	/* Discord refuses titles over 256 characters. */
	n = strlen(headline);
	if (n > 250)
		n = text_utf8_cut(headline, 250);
	memcpy(title, headline, n);
	title[n] = '\0';
	embed = json_pack("{s:s, s:s, s:{s:s}}", "title", title,
	    "description", text, "footer", "text", webhook_feed(d));
	if (it->link != NULL)
		json_object_set_new(embed, "url", json_string(it->link));
	if (it->published != DATE_NONE) {
		date_format_rfc3339(it->published, date, sizeof(date));
		json_object_set_new(embed, "timestamp", json_string(date));
	}
	j = json_pack("{s:[o], s:{s:[]}}", "embeds", embed,
	    "allowed_mentions", "parse");
	free(text);
	return (j);
}

static json_t *
webhook_matrix(const struct store_delivery *d, const char *title)
{
	const struct feed_item	*it = d->item.item;
	struct buf		 body = { NULL, 0, 0 }, html = { NULL, 0, 0 };
	char			*text = webhook_text(d, WEBHOOK_TEXT_MAX), *p;
	json_t			*j;

	buf_adds(&body, title);
	if (it->link != NULL) {
		buf_adds(&body, "\n");
		buf_adds(&body, it->link);
	}
	if (*text != '\0') {
		buf_adds(&body, "\n\n");
		buf_adds(&body, text);
	}
	buf_adds(&body, "\n\xe2\x80\x94 ");
	buf_adds(&body, webhook_feed(d));
	if (it->link != NULL) {
		buf_adds(&html, "<a href=\"");
		text_escape_html(&html, it->link, strlen(it->link), 1);
		buf_adds(&html, "\">");
	}
	text_escape_html(&html, title, strlen(title), 0);
	if (it->link != NULL)
		buf_adds(&html, "</a>");
	/* The rendered text, escaped: its line ends as <br>. */
	if (*text != '\0') {
		buf_adds(&html, "<br><br>");
		for (p = text; *p != '\0'; p++) {
			if (*p == '\n')
				buf_adds(&html, "<br>");
			else
				text_escape_html(&html, p, 1, 0);
		}
	}
	free(text);
	buf_adds(&html, "<br>\xe2\x80\x94 ");
	text_escape_html(&html, webhook_feed(d), strlen(webhook_feed(d)), 0);
	/* m.notice: what bots send, so other bots do not answer it. */
	j = json_pack("{s:s, s:s, s:s, s:s}", "msgtype", "m.notice",
	    "body", body.data, "format", "org.matrix.custom.html",
	    "formatted_body", html.data);
	buf_free(&body);
	buf_free(&html);
	return (j);
}

static char *
webhook_dump(json_t *j, size_t *len)
{
	char	*s = json_dumps(j, JSON_COMPACT);

	json_decref(j);
	if (s == NULL)
		s = xstrdup("{}");
	*len = strlen(s);
	return (s);
}

/*
 * The request for delivery "d".  "txn" names the attempt for Matrix's
 * idempotent send: the same for every retry of the same outbox row.
 */
int
webhook_build(const struct conf_notify *n, const struct store_delivery *d,
    const char *txn, struct webhook_req *r)
{
	const struct feed_item	*it = d->item.item;
	struct buf		 h = { NULL, 0, 0 };
	char			*v, *esc, *title = webhook_title(d);
	json_t			*j;
	const char		*fmt = n->format != NULL ? n->format : "json";

	memset(r, 0, sizeof(*r));
	r->method = "POST";
	if (strcmp(fmt, "ntfy") == 0) {
		r->url = xstrdup(n->url);
		r->body = webhook_text(d, WEBHOOK_TEXT_MAX);
		if (*r->body == '\0') {
			free(r->body);
			r->body = xstrdup(it->link != NULL ? it->link :
			    title);
		}
		r->len = strlen(r->body);
		/*
		 * ntfy reads RFC 2047 words in its headers, on one line:
		 * HTTP has no folding (RFC 9112 5.2).
		 */
		mail_header_encode_line(&h, title, strlen(title));
		webhook_header(r, "Title", h.data);
		buf_free(&h);
		if (it->link != NULL) {
			/* No raw space, control or 8-bit byte in a header. */
			v = url_escape(it->link);
			webhook_header(r, "Click", v);
			free(v);
		}
		webhook_header(r, "Content-Type", "text/plain; charset=utf-8");
	} else {
		if (strcmp(fmt, "slack") == 0)
			r->body = webhook_dump(webhook_slack(d, title),
			    &r->len);
		else if (strcmp(fmt, "discord") == 0)
			r->body = webhook_dump(webhook_discord(d, title),
			    &r->len);
		else if (strcmp(fmt, "matrix") == 0)
			r->body = webhook_dump(webhook_matrix(d, title),
			    &r->len);
		else {
			/* The record, and the forms a person reads. */
			j = store_json_delivery(d);
			store_json_reader(j, it, d->feed_url, 0);
			r->body = webhook_dump(j, &r->len);
		}
		webhook_header(r, "Content-Type", "application/json");
		if (strcmp(fmt, "matrix") == 0) {
			/* PUT .../send/m.room.message/{txnId} */
			r->method = "PUT";
			esc = curl_easy_escape(NULL, txn, 0);
			xasprintf(&r->url, "%s%s%s", n->url,
			    n->url[strlen(n->url) - 1] == '/' ? "" : "/",
			    esc != NULL ? esc : "feedd");
			curl_free(esc);
		} else
			r->url = xstrdup(n->url);
	}
	if (strcmp(fmt, "json") == 0) {
		xasprintf(&v, "%lld", (long long)d->item.id);
		webhook_header(r, "X-Feedd-Item", v);
		free(v);
		if (n->secret != NULL) {
			v = webhook_signature(n->secret, r->body, r->len);
			webhook_header(r, "X-Feedd-Signature", v);
			free(v);
		}
	}
	if (n->token != NULL) {
		xasprintf(&v, "Bearer %s", n->token);
		webhook_header(r, "Authorization", v);
		free(v);
	}
	free(title);
	return (0);
}

void
webhook_req_clear(struct webhook_req *r)
{
	size_t	i;

	free(r->url);
	free(r->body);
	for (i = 0; r->headers != NULL && r->headers[i] != NULL; i++)
		free(r->headers[i]);
	free(r->headers);
	memset(r, 0, sizeof(*r));
}
