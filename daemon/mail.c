/*
 * mail.c: building the messages the mail notifier pipes to sendmail.
 * Lines end in LF: sendmail takes local line ends and makes CRLF itself.
 * Nothing from a feed reaches a header unencoded, so a title can never
 * add a header line.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "buf.h"
#include "date.h"
#include "item.h"
#include "mail.h"
#include "store.h"
#include "text.h"
#include "xmalloc.h"

#define MAIL_WORD_BYTES	45	/* per encoded word: 60 base64 chars */
#define MAIL_DIGEST_TEXT 300	/* summary characters per digest entry */

static void
mail_base64(struct buf *b, const void *data, size_t len, int wrap)
{
	const unsigned char	*p = data;
	unsigned char		 out[4 * 57 / 3 + 1];
	size_t			 k;

	/* 57 bytes make one 76-character line (RFC 2045 6.8). */
	while (len > 0) {
		k = len < 57 ? len : 57;
		EVP_EncodeBlock(out, p, (int)k);
		buf_adds(b, (char *)out);
		if (wrap)
			buf_addc(b, '\n');
		p += k;
		len -= k;
	}
}

static int
mail_plain(const char *s, size_t len)
{
	size_t	i;

	if (len > 900 || (len >= 2 && strstr(s, "=?") != NULL))
		return (0);
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return (0);
	return (1);
}

/*
 * A header value from a feed: as is when it is short printable ASCII,
 * else RFC 2047 "B" words of whole UTF-8 characters, folded.  Control
 * characters (a CR or LF in a title) become spaces first.
 */
void
mail_header_encode(struct buf *b, const char *s, size_t len)
{
	char	*clean = xstrndup(s, len);
	size_t	 i, k;

	for (i = 0; i < len; i++)
		if ((unsigned char)clean[i] < 0x20 || clean[i] == 0x7f)
			clean[i] = ' ';
	if (mail_plain(clean, len)) {
		buf_add(b, clean, len);
		free(clean);
		return;
	}
	for (i = 0; i < len; i += k) {
		k = len - i < MAIL_WORD_BYTES ? len - i : MAIL_WORD_BYTES;
		if (i + k < len)
			k = text_utf8_cut(clean + i, k);
		if (k == 0)
			k = 1;
		if (i > 0)
			buf_adds(b, "\n ");
		buf_adds(b, "=?UTF-8?B?");
		mail_base64(b, clean + i, k, 0);
		buf_adds(b, "?=");
	}
	free(clean);
}

static void
mail_date(struct buf *b, int64_t t)
{
	struct tm	tm;
	time_t		tt = (time_t)t;
	char		s[64];

	gmtime_r(&tt, &tm);
	strftime(s, sizeof(s), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	buf_adds(b, s);
}

static char *
mail_hex_sha256(const char *a, const char *b)
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen = 0, i;
	EVP_MD_CTX	*ctx = EVP_MD_CTX_new();
	char		*hex;

	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	EVP_DigestUpdate(ctx, a, strlen(a));
	EVP_DigestUpdate(ctx, "\n", 1);
	EVP_DigestUpdate(ctx, b, strlen(b));
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	hex = xmalloc(2 * mdlen + 1);
	for (i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return (hex);
}

/*
 * The same item (feed and key) always gets the same Message-ID, so a
 * repeated delivery (at least once) dedupes or threads in the mailbox.
 */
char *
mail_message_id(const char *feed_url, const char *key)
{
	char	*hex = mail_hex_sha256(feed_url, key), *id;

	xasprintf(&id, "<%.32s@feedd.invalid>", hex);
	free(hex);
	return (id);
}

static void
mail_header(struct buf *b, const char *name, const char *value)
{
	buf_adds(b, name);
	buf_adds(b, ": ");
	mail_header_encode(b, value, strlen(value));
	buf_addc(b, '\n');
}

/* "Feed title" <address>, the display name encoded when it must be. */
static void
mail_from(struct buf *b, const char *name, const char *addr)
{
	const char	*p;
	int		 simple = 1;

	buf_adds(b, "From: ");
	for (p = name; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == ' ' || *p == '-'))
			simple = 0;
	if (*name != '\0' && simple)
		buf_adds(b, name);
	else if (*name != '\0') {
		buf_adds(b, "=?UTF-8?B?");
		mail_base64(b, name, strlen(name) < 180 ? strlen(name) :
		    text_utf8_cut(name, 180), 0);
		buf_adds(b, "?=");
	}
	buf_adds(b, *name != '\0' ? " <" : "<");
	buf_adds(b, addr);
	buf_adds(b, ">\n");
}

static const char *
mail_title(const struct feed_item *it)
{
	return (it->title != NULL && *it->title != '\0' ? it->title :
	    "(untitled)");
}

static int64_t
mail_item_date(const struct feed_item *it, int64_t now)
{
	if (it->published != DATE_NONE)
		return (it->published);
	if (it->updated != DATE_NONE)
		return (it->updated);
	return (now);
}

/* Summary (or content) as plain text: whole, or one line of "max" bytes. */
static void
mail_item_text(struct buf *b, const struct feed_item *it, size_t max)
{
	struct buf	 t = { NULL, 0, 0 };
	const char	*html = it->summary != NULL ? it->summary : it->content;
	char		*s;

	if (html == NULL)
		return;
	if (max == 0) {		/* the whole text, its paragraphs kept */
		text_html_to_text(&t, html, strlen(html));
		buf_add(b, t.data != NULL ? t.data : "", t.len);
		buf_free(&t);
		return;
	}
	s = text_summary(html, max);
	buf_adds(b, s);
	free(s);
}

static void
mail_part(struct buf *b, const char *boundary, const char *type,
    const struct buf *body)
{
	buf_adds(b, "--");
	buf_adds(b, boundary);
	buf_adds(b, "\nContent-Type: ");
	buf_adds(b, type);
	buf_adds(b, "; charset=utf-8\nContent-Transfer-Encoding: base64\n\n");
	mail_base64(b, body->data != NULL ? body->data : "", body->len, 1);
}

static void
mail_html_link(struct buf *h, const char *link, const char *title)
{
	if (link != NULL) {
		buf_adds(h, "<a href=\"");
		text_escape_html(h, link, strlen(link), 1);
		buf_adds(h, "\">");
	}
	text_escape_html(h, title, strlen(title), 0);
	if (link != NULL)
		buf_adds(h, "</a>");
}

static void
mail_bodies_each(const struct store_delivery *d, struct buf *t,
    struct buf *h)
{
	const struct feed_item	*it = d->item.item;
	const char		*title = mail_title(it);
	const char		*feed = d->feed_title != NULL ? d->feed_title :
				    d->feed_url;
	const char		*html = it->content != NULL ? it->content :
				    it->summary;

	buf_adds(t, title);
	buf_adds(t, "\n");
	if (it->link != NULL) {
		buf_adds(t, it->link);
		buf_adds(t, "\n");
	}
	buf_adds(t, "\n");
	mail_item_text(t, it, 0);
	buf_adds(t, "\n\n-- \n");
	buf_adds(t, feed);
	buf_adds(t, " <");
	buf_adds(t, d->feed_url);
	buf_adds(t, ">\n");

	buf_adds(h, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
	    "</head><body>\n<h2>");
	mail_html_link(h, it->link, title);
	buf_adds(h, "</h2>\n");
	if (html != NULL) {
		/* Feed HTML as the feed gave it: a mail client sanitises. */
		buf_adds(h, "<div>");
		buf_adds(h, html);
		buf_adds(h, "</div>\n");
	}
	buf_adds(h, "<hr><p>");
	mail_html_link(h, d->feed_url, feed);
	buf_adds(h, "</p>\n</body></html>\n");
}

static void
mail_bodies_digest(const struct store_delivery *d, size_t n, struct buf *t,
    struct buf *h)
{
	const struct feed_item	*it;
	const char		*feed;
	char			 date[40];
	size_t			 i;

	buf_adds(h, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
	    "</head><body>\n<ul>\n");
	for (i = 0; i < n; i++) {
		it = d[i].item.item;
		feed = d[i].feed_title != NULL ? d[i].feed_title :
		    d[i].feed_url;
		date_format_rfc3339(mail_item_date(it, d[i].item.fetched),
		    date, sizeof(date));
		buf_adds(t, "* ");
		buf_adds(t, mail_title(it));
		buf_adds(t, "\n  ");
		if (it->link != NULL) {
			buf_adds(t, it->link);
			buf_adds(t, "\n  ");
		}
		buf_adds(t, feed);
		buf_adds(t, ", ");
		buf_adds(t, date);
		buf_adds(t, "\n  ");
		mail_item_text(t, it, MAIL_DIGEST_TEXT);
		buf_adds(t, "\n\n");

		buf_adds(h, "<li><p><b>");
		mail_html_link(h, it->link, mail_title(it));
		buf_adds(h, "</b><br><small>");
		text_escape_html(h, feed, strlen(feed), 0);
		buf_adds(h, ", ");
		buf_adds(h, date);
		buf_adds(h, "</small><br>\n");
		{
			struct buf	s = { NULL, 0, 0 };

			mail_item_text(&s, it, MAIL_DIGEST_TEXT);
			if (s.len > 0)
				text_escape_html(h, s.data, s.len, 0);
			buf_free(&s);
		}
		buf_adds(h, "</p></li>\n");
	}
	buf_adds(h, "</ul>\n</body></html>\n");
}

/*
 * One message: for the item of "d" (digest 0), or listing the "n" items
 * of "d" (digest 1).
 */
char *
mail_message(const struct mail_opts *o, const struct store_delivery *d,
    size_t n, int digest)
{
	const struct feed_item	*it = d[0].item.item;
	struct buf		 b = { NULL, 0, 0 }, t = { NULL, 0, 0 };
	struct buf		 h = { NULL, 0, 0 };
	char			*id, *hex, boundary[64], subject[128], lid[64];
	const char		*feed = d[0].feed_title != NULL ?
				    d[0].feed_title : d[0].feed_url;

	if (!digest) {
		id = mail_message_id(d[0].feed_url, it->key != NULL ?
		    it->key : "");
		if (o->from != NULL)
			mail_from(&b, feed, o->from);
		buf_adds(&b, "To: ");
		buf_adds(&b, o->to);
		buf_addc(&b, '\n');
		mail_header(&b, "Subject", mail_title(it));
		buf_adds(&b, "Date: ");
		mail_date(&b, mail_item_date(it, o->now));
		buf_adds(&b, "\nMessage-ID: ");
		buf_adds(&b, id);
		buf_addc(&b, '\n');
		buf_adds(&b, "List-Id: ");
		mail_header_encode(&b, feed, strlen(feed));
		snprintf(lid, sizeof(lid), " <feed%" PRId64 ".feedd.invalid>\n",
		    d[0].item.feed_id);
		buf_adds(&b, lid);
		if (it->link != NULL) {
			buf_adds(&b, "Content-Base: \"");
			mail_header_encode(&b, it->link, strlen(it->link));
			buf_adds(&b, "\"\n");
		}
		mail_header(&b, "X-Feedd-Feed", d[0].feed_url);
		mail_bodies_each(&d[0], &t, &h);
	} else {
		snprintf(subject, sizeof(subject), "%zu new item%s (%s)", n,
		    n == 1 ? "" : "s", o->notifier);
		snprintf(lid, sizeof(lid), "%" PRId64 "-%" PRId64, d[0].id,
		    d[n - 1].id);
		hex = mail_hex_sha256(o->notifier, lid);
		xasprintf(&id, "<digest.%.32s@feedd.invalid>", hex);
		free(hex);
		if (o->from != NULL)
			mail_from(&b, "feedd", o->from);
		buf_adds(&b, "To: ");
		buf_adds(&b, o->to);
		buf_addc(&b, '\n');
		mail_header(&b, "Subject", subject);
		buf_adds(&b, "Date: ");
		mail_date(&b, o->now);
		buf_adds(&b, "\nMessage-ID: ");
		buf_adds(&b, id);
		buf_addc(&b, '\n');
		buf_adds(&b, "List-Id: ");
		mail_header_encode(&b, o->notifier, strlen(o->notifier));
		buf_adds(&b, " <digest.feedd.invalid>\n");
		mail_bodies_digest(d, n, &t, &h);
	}
	/* "_" is not in the base64 alphabet: no body line can match. */
	snprintf(boundary, sizeof(boundary), "=_feedd_%.20s", id + 1);
	buf_adds(&b, "Auto-Submitted: auto-generated\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/alternative; boundary=\"");
	buf_adds(&b, boundary);
	buf_adds(&b, "\"\n\n");
	mail_part(&b, boundary, "text/plain", &t);
	mail_part(&b, boundary, "text/html", &h);
	buf_adds(&b, "--");
	buf_adds(&b, boundary);
	buf_adds(&b, "--\n");
	free(id);
	buf_free(&t);
	buf_free(&h);
	return (b.data);	/* NUL-terminated: buf.h */
}
