/*
 * mail.c: building the messages the mail notifier pipes to sendmail.
 * Lines end in LF: sendmail takes local line ends and makes CRLF itself.
 * Nothing from a feed reaches a header unencoded, so a title can never
 * add a header line.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "buf.h"
#include "date.h"
#include "headline.h"
#include "html.h"
#include "item.h"
#include "mail.h"
#include "mailaddr.h"
#include "store.h"
#include "text.h"
#include "url.h"
#include "xmalloc.h"

#define MAIL_WORD_BYTES	45	/* per encoded word: 60 base64 chars */
#define MAIL_DIGEST_TEXT 300	/* text bytes per digest entry */
#define MAIL_WIDTH	72	/* the text part's columns */
#define MAIL_LINE	900	/* a header's bytes, under RFC 5322's 998 */

static char	*mail_default_from(void);

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

	if (len > MAIL_LINE || (len >= 2 && strstr(s, "=?") != NULL))
		return (0);
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return (0);
	return (1);
}

/*
 * Text made fit for a header: control characters (a CR or LF in a
 * title) become spaces; C1 controls (U+0080-U+009F) and BiDi
 * embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) go,
 * as in every other output a person reads.  Returns a new string of
 * *len bytes.
 */
static char *
mail_header_clean(const char *s, size_t *len)
{
	char			*clean = xstrndup(s, *len);
	const unsigned char	*u;
	size_t			 i, o = 0, n = *len;

	for (i = 0; i < n; i++) {
		u = (const unsigned char *)clean + i;
		if (u[0] == 0xc2 && i + 1 < n && u[1] >= 0x80 && u[1] <= 0x9f) {
			i++;
			continue;
		}
		if (u[0] == 0xe2 && i + 2 < n && ((u[1] == 0x80 &&
		    u[2] >= 0xaa && u[2] <= 0xae) || (u[1] == 0x81 &&
		    u[2] >= 0xa6 && u[2] <= 0xa9))) {
			i += 2;
			continue;
		}
		clean[o++] = clean[i];
	}
	clean[o] = '\0';
	for (i = 0; i < o; i++)
		if ((unsigned char)clean[i] < 0x20 || clean[i] == 0x7f)
			clean[i] = ' ';
	*len = o;
	return (clean);
}

/*
 * RFC 2047 "B" words of whole UTF-8 characters, at most 75 characters
 * each, separated by "sep": a fold ("\n ") in mail, a space in an HTTP
 * header, which may not be folded (RFC 9112 5.2).
 */
static void
mail_words(struct buf *b, const char *s, size_t len, const char *sep)
{
	size_t	i, k;

	for (i = 0; i < len; i += k) {
		k = len - i < MAIL_WORD_BYTES ? len - i : MAIL_WORD_BYTES;
		if (i + k < len)
			k = text_utf8_cut(s + i, k);
		if (k == 0)
			k = 1;
		if (i > 0)
			buf_adds(b, sep);
		buf_adds(b, "=?UTF-8?B?");
		mail_base64(b, s + i, k, 0);
		buf_adds(b, "?=");
	}
}

static void
mail_header_value(struct buf *b, const char *s, size_t len, const char *sep)
{
	char	*clean = mail_header_clean(s, &len);

	if (mail_plain(clean, len))
		buf_add(b, clean, len);
	else
		mail_words(b, clean, len, sep);
	free(clean);
}

/*
 * A header value from a feed: as is when it is short printable ASCII,
 * else RFC 2047 encoded words, folded (mail_words).
 */
void
mail_header_encode(struct buf *b, const char *s, size_t len)
{
	mail_header_value(b, s, len, "\n ");
}

/* The same on one line, for an HTTP header (ntfy's Title). */
void
mail_header_encode_line(struct buf *b, const char *s, size_t len)
{
	mail_header_value(b, s, len, " ");
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

/*
 * A display name (RFC 5322 3.4): as is when it is atext and spaces,
 * quoted when it is other printable ASCII, else RFC 2047 words, which a
 * phrase may hold (RFC 2047 5 (3)); at most "max" bytes of it.
 */
static void
mail_phrase(struct buf *b, const char *name, size_t max)
{
	size_t		 len = strlen(name), i;
	char		*clean;
	const char	*p;
	int		 atext = 1, ascii = 1;

	if (len > max)
		len = text_utf8_cut(name, max);
	clean = mail_header_clean(name, &len);
	for (p = clean; *p != '\0'; p++) {
		if ((unsigned char)*p >= 0x7f)
			ascii = 0;
		else if (!isalnum((unsigned char)*p) &&
		    strchr(" !#$%&'*+-/=?^_`{|}~", *p) == NULL)
			atext = 0;
	}
	if (ascii && atext && strstr(clean, "=?") == NULL)
		buf_adds(b, clean);
	else if (ascii && strstr(clean, "=?") == NULL) {
		buf_addc(b, '"');
		for (i = 0; i < len; i++) {
			if (clean[i] == '"' || clean[i] == '\\')
				buf_addc(b, '\\');
			buf_addc(b, clean[i]);
		}
		buf_addc(b, '"');
	} else
		mail_words(b, clean, len, "\n ");
	free(clean);
}

/* One mailbox: "Name <addr>", or the address alone without a name. */
static void
mail_mailbox(struct buf *b, const char *name, const char *addr)
{
	if (name != NULL && *name != '\0') {
		mail_phrase(b, name, 180);
		buf_addc(b, ' ');
	}
	buf_addc(b, '<');
	buf_adds(b, addr);
	buf_addc(b, '>');
}

/*
 * From: the configured display name if "from" has one, else "name" (the
 * feed's title, "feedd" for a digest), at the address of "from"; the
 * default address when "from" is unset or unusable (feedd --check-config
 * refuses that, so only a caller that skipped it gets here).
 */
static void
mail_from(struct buf *b, const char *name, const char *from)
{
	struct mailaddr	 m;
	const char	*why;
	char		*dflt;

	buf_adds(b, "From: ");
	if (from != NULL && mailaddr_parse(from, strlen(from),
	    MAILADDR_DOMAIN, &m, &why) == 0) {
		mail_mailbox(b, m.name != NULL ? m.name : name, m.addr);
		mailaddr_clear(&m);
	} else {
		dflt = mail_default_from();
		mail_mailbox(b, name, dflt);
		free(dflt);
	}
	buf_addc(b, '\n');
}

/*
 * To: each mailbox of "to" with its display name re-quoted or encoded,
 * folded between addresses.  A list feedd --check-config would refuse
 * goes as one encoded value: never raw 8-bit, never a new header.
 */
static void
mail_to(struct buf *b, const char *to)
{
	struct buf	 one = { NULL, 0, 0 };
	struct mailaddr	*v;
	size_t		 n, i, col = 4;
	const char	*why, *nl;

	buf_adds(b, "To: ");
	if (mailaddr_list(to, 0, &v, &n, &why) != 0) {
		mail_header_encode(b, to, strlen(to));
		buf_addc(b, '\n');
		return;
	}
	for (i = 0; i < n; i++) {
		buf_clear(&one);
		if (v[i].name != NULL)
			mail_mailbox(&one, v[i].name, v[i].addr);
		else
			buf_adds(&one, v[i].addr);
		/* Fold before a mailbox that would pass 78 columns. */
		if (i > 0 && col + 2 + one.len > 78) {
			buf_adds(b, ",\n ");
			col = 1;
		} else if (i > 0) {
			buf_adds(b, ", ");
			col += 2;
		}
		buf_add(b, one.data, one.len);
		nl = strrchr(one.data, '\n');
		col = nl != NULL ? one.len - (size_t)(nl + 1 - one.data) :
		    col + one.len;
	}
	buf_addc(b, '\n');
	buf_free(&one);
	mailaddr_free_list(v, n);
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

static const char *
mail_feed(const struct store_delivery *d)
{
	return (d->feed_title != NULL && *d->feed_title != '\0' ?
	    d->feed_title : d->feed_url);
}

/* A date as people read it in a body: "2024-07-09 00:56 UTC". */
static void
mail_body_date(char *s, size_t len, int64_t t)
{
	struct tm	tm;
	time_t		tt = (time_t)t;

	gmtime_r(&tt, &tm);
	strftime(s, len, "%Y-%m-%d %H:%M UTC", &tm);
}

/* A size as people read it: "12.3 MB"; empty when unknown. */
static void
mail_size(char *s, size_t len, int64_t n)
{
	if (n < 0)
		*s = '\0';
	else if (n < 1000)
		snprintf(s, len, "%" PRId64 " bytes", n);
	else if (n < 1000 * 1000)
		snprintf(s, len, "%.1f kB", (double)n / 1e3);
	else if (n < INT64_C(1000) * 1000 * 1000)
		snprintf(s, len, "%.1f MB", (double)n / 1e6);
	else
		snprintf(s, len, "%.1f GB", (double)n / 1e9);
}

/*
 * The subject of an item's message: its headline (headline.h); else the
 * feed's title and the date.  Never "(untitled)" when anything better
 * exists.
 */
static char *
mail_subject(const struct store_delivery *d, int64_t now)
{
	char	*s, date[40];

	if ((s = headline_item(d->item.item)) != NULL)
		return (s);
	mail_body_date(date, sizeof(date), mail_item_date(d->item.item,
	    now));
	xasprintf(&s, "%s, %.10s", mail_feed(d), date);
	return (s);
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

/* An http(s) URL fit for an href, or NULL (a stored link is re-checked). */
static char *
mail_url(const char *url)
{
	return (url != NULL ? url_normalize(NULL, url, 0) : NULL);
}

static void
mail_html_link(struct buf *h, const char *link, const char *title)
{
	char	*url = mail_url(link);

	if (url != NULL) {
		buf_adds(h, "<a href=\"");
		text_escape_html(h, url, strlen(url), 1);
		buf_adds(h, "\" rel=\"noopener noreferrer\">");
	}
	text_escape_html(h, title, strlen(title), 0);
	if (url != NULL)
		buf_adds(h, "</a>");
	free(url);
}

/* Text escaped for HTML, its line ends as <br>. */
static void
mail_html_lines(struct buf *h, const char *s)
{
	const char	*nl;

	while ((nl = strchr(s, '\n')) != NULL) {
		text_escape_html(h, s, (size_t)(nl - s), 0);
		buf_adds(h, "<br>\n");
		s = nl + 1;
	}
	text_escape_html(h, s, strlen(s), 0);
}

/* The enclosures: a list in HTML, lines in text ("indent" before each). */
static void
mail_enclosures(const struct feed_item *it, struct buf *t, struct buf *h,
    const char *indent)
{
	const struct feed_enclosure	*e;
	char				*url, *name, size[32];
	size_t				 i, n = 0;

	for (i = 0; i < it->nenclosures; i++) {
		e = &it->enclosures[i];
		if ((url = mail_url(e->url)) == NULL)
			continue;
		if (n++ == 0) {
			buf_adds(t, indent);
			buf_adds(t, "Enclosures:\n");
			buf_adds(h, "<p>Enclosures:</p>\n<ul>\n");
		}
		mail_size(size, sizeof(size), e->length);
		buf_adds(t, indent);
		buf_adds(t, "  ");
		buf_adds(t, url);
		buf_adds(h, "<li>");
		name = headline_file_name(url);
		mail_html_link(h, url, name != NULL ? name : url);
		free(name);
		if (e->type != NULL || *size != '\0') {
			buf_adds(t, " (");
			buf_adds(h, " (");
			if (e->type != NULL) {
				buf_adds(t, e->type);
				text_escape_html(h, e->type, strlen(e->type),
				    0);
			}
			if (e->type != NULL && *size != '\0') {
				buf_adds(t, ", ");
				buf_adds(h, ", ");
			}
			buf_adds(t, size);
			buf_adds(h, size);
			buf_adds(t, ")");
			buf_adds(h, ")");
		}
		buf_addc(t, '\n');
		buf_adds(h, "</li>\n");
		free(url);
	}
	if (n > 0)
		buf_adds(h, "</ul>\n");
}

static void
mail_html_head(struct buf *h, const char *base, const char *title)
{
	char	*url = mail_url(base);

	buf_adds(h, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">");
	/* A second line of defence: relative URLs were resolved already. */
	if (url != NULL) {
		buf_adds(h, "<base href=\"");
		text_escape_html(h, url, strlen(url), 1);
		buf_adds(h, "\">");
	}
	buf_adds(h, "<title>");
	text_escape_html(h, title, strlen(title), 0);
	buf_adds(h, "</title></head><body>\n");
	free(url);
}

/* The footer: the feed, and the notifier that sent the message. */
static void
mail_footer(const struct mail_opts *o, const struct store_delivery *d,
    struct buf *t, struct buf *h)
{
	buf_adds(t, "\n-- \n");
	if (d != NULL) {
		buf_adds(t, mail_feed(d));
		buf_adds(t, " <");
		buf_adds(t, d->feed_url);
		buf_adds(t, ">\n");
	}
	buf_adds(t, "Sent by feedd, notifier ");
	buf_adds(t, o->notifier != NULL ? o->notifier : "mail");
	buf_addc(t, '\n');
	buf_adds(h, "<hr>\n<p><small>");
	if (d != NULL) {
		mail_html_link(h, d->feed_url, mail_feed(d));
		buf_adds(h, "<br>\n");
	}
	buf_adds(h, "Sent by feedd, notifier ");
	buf_adds(h, "<code>");
	text_escape_html(h, o->notifier != NULL ? o->notifier : "mail",
	    strlen(o->notifier != NULL ? o->notifier : "mail"), 0);
	buf_adds(h, "</code></small></p>\n</body></html>\n");
}

/*
 * One item: the text part is the rendered text (numbered links listed)
 * and the enclosures; the HTML part the sanitised content (html.c) under
 * a header block (feed, title as the link, date, author).
 */
static void
mail_bodies_each(const struct mail_opts *o, const struct store_delivery *d,
    const char *subject, struct buf *t, struct buf *h)
{
	const struct feed_item	*it = d->item.item;
	char			*html, *text, date[40];

	mail_body_date(date, sizeof(date), mail_item_date(it, o->now));
	html_item(it, d->feed_url, MAIL_WIDTH, &html, &text);

	buf_adds(t, subject);
	buf_addc(t, '\n');
	if (it->link != NULL) {
		buf_adds(t, it->link);
		buf_addc(t, '\n');
	}
	buf_adds(t, mail_feed(d));
	buf_adds(t, ", ");
	buf_adds(t, date);
	if (it->author != NULL) {
		buf_adds(t, ", ");
		buf_adds(t, it->author);
	}
	buf_adds(t, "\n\n");
	if (text != NULL && *text != '\0') {
		buf_adds(t, text);
		buf_adds(t, "\n\n");
	}

	mail_html_head(h, it->link, subject);
	buf_adds(h, "<p><small>");
	text_escape_html(h, mail_feed(d), strlen(mail_feed(d)), 0);
	buf_adds(h, "</small></p>\n<h2>");
	mail_html_link(h, it->link, subject);
	buf_adds(h, "</h2>\n<p><small>");
	buf_adds(h, date);
	if (it->author != NULL) {
		buf_adds(h, " \xc2\xb7 ");
		text_escape_html(h, it->author, strlen(it->author), 0);
	}
	buf_adds(h, "</small></p>\n");
	if (html != NULL && *html != '\0') {
		buf_adds(h, "<div>");
		buf_adds(h, html);
		buf_adds(h, "</div>\n");
	}
	mail_enclosures(it, t, h, "");
	mail_footer(o, d, t, h);
	free(html);
	free(text);
}

/* mail_digest_line_cb()'s state: where lines go, what starts them. */
struct mail_lines {
	struct buf	*t;
	const char	*first;		/* the first line's prefix */
	const char	*rest;		/* the others' */
};

/* One wrapped line of a digest entry, under its prefix. */
static void
mail_digest_line_cb(void *arg, const char *s, size_t len)
{
	struct mail_lines	*l = arg;

	buf_adds(l->t, l->first);
	l->first = l->rest;
	buf_add(l->t, s, len);
	buf_addc(l->t, '\n');
}

/*
 * Appends "s" to the text part wrapped at MAIL_WIDTH columns, as each
 * mode's text is (text_wrap()), its lines indented under the entry's
 * "* " by two spaces.
 */
static void
mail_digest_wrap(struct buf *t, const char *s, const char *first)
{
	struct mail_lines	l = { t, first, "  " };

	text_wrap(s, strlen(s), MAIL_WIDTH - 2, mail_digest_line_cb, &l);
}

/* A digest: each item's title as its link, its text cut, enclosures. */
static void
mail_bodies_digest(const struct mail_opts *o, const struct store_delivery *d,
    size_t n, const char *subject, struct buf *t, struct buf *h)
{
	const struct feed_item	*it;
	const char		*src;
	char			*title, *text, *cut, date[40];
	size_t			 i;

	mail_html_head(h, NULL, subject);
	buf_adds(h, "<ul>\n");
	for (i = 0; i < n; i++) {
		it = d[i].item.item;
		title = mail_subject(&d[i], o->now);
		mail_body_date(date, sizeof(date), mail_item_date(it,
		    d[i].item.fetched));
		html_item(it, d[i].feed_url, 0, NULL, &text);
		if (text != NULL) {
			/* Without its link list: the cut would lose it. */
			free(text);
			text = NULL;
			src = it->content != NULL && *it->content != '\0' ?
			    it->content : it->summary;
			html_content(src, strlen(src), html_item_base(it,
			    d[i].feed_url), 0, 0, NULL, &text);
		}
		cut = text != NULL ? headline_words(text,
		    MAIL_DIGEST_TEXT) : xstrdup("");

		mail_digest_wrap(t, title, "* ");
		if (it->link != NULL) {
			buf_adds(t, "  ");
			buf_adds(t, it->link);
			buf_addc(t, '\n');
		}
		buf_adds(t, "  ");
		buf_adds(t, mail_feed(&d[i]));
		buf_adds(t, ", ");
		buf_adds(t, date);
		buf_addc(t, '\n');
		if (*cut != '\0')
			mail_digest_wrap(t, cut, "  ");

		buf_adds(h, "<li><p><b>");
		mail_html_link(h, it->link, title);
		buf_adds(h, "</b><br>\n<small>");
		text_escape_html(h, mail_feed(&d[i]), strlen(mail_feed(&d[i])),
		    0);
		buf_adds(h, ", ");
		buf_adds(h, date);
		buf_adds(h, "</small><br>\n");
		mail_html_lines(h, cut);
		buf_adds(h, "</p>\n");
		mail_enclosures(it, t, h, "  ");
		buf_adds(h, "</li>\n");
		buf_addc(t, '\n');
		free(title);
		free(text);
		free(cut);
	}
	buf_adds(h, "</ul>\n");
	mail_footer(o, NULL, t, h);
}

/* Who a message is from when "from" is unset: feedd@ this host. */
static char *
mail_default_from(void)
{
	char	host[256], *p;

	if (gethostname(host, sizeof(host)) != 0 || *host == '\0')
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	/* Only what a domain holds: a header line stays one line. */
	for (p = host; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-')
			*p = '-';
	xasprintf(&p, "feedd@%s", host);
	return (p);
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
	char			*id, *hex, *subject, *base, boundary[64];
	char			 lid[64];
	const char		*feed = mail_feed(&d[0]);

	if (!digest) {
		id = mail_message_id(d[0].feed_url, it->key != NULL ?
		    it->key : "");
		subject = mail_subject(&d[0], o->now);
		mail_from(&b, feed, o->from);
		mail_to(&b, o->to);
		mail_header(&b, "Subject", subject);
		buf_adds(&b, "Date: ");
		mail_date(&b, mail_item_date(it, o->now));
		buf_adds(&b, "\nMessage-ID: ");
		buf_adds(&b, id);
		buf_addc(&b, '\n');
		/* A phrase (RFC 2919 3): quoted or encoded like From's. */
		buf_adds(&b, "List-Id: ");
		mail_phrase(&b, feed, 180);
		snprintf(lid, sizeof(lid), " <feed%" PRId64 ".feedd.invalid>\n",
		    d[0].item.feed_id);
		buf_adds(&b, lid);
		/*
		 * A quoted URL (RFC 2110 4.2): a '"' in the link would end
		 * it, so what RFC 3986 never allows raw is encoded; one too
		 * long for a line is left to the HTML part's <base>.
		 */
		base = it->link != NULL ? url_escape(it->link) : NULL;
		if (base != NULL && strlen(base) <= MAIL_LINE) {
			buf_adds(&b, "Content-Base: \"");
			buf_adds(&b, base);
			buf_adds(&b, "\"\n");
		}
		free(base);
		mail_header(&b, "X-Feedd-Feed", d[0].feed_url);
		mail_bodies_each(o, &d[0], subject, &t, &h);
	} else {
		xasprintf(&subject, "%zu new item%s (%s)", n, n == 1 ? "" : "s",
		    o->notifier);
		snprintf(lid, sizeof(lid), "%" PRId64 "-%" PRId64, d[0].id,
		    d[n - 1].id);
		hex = mail_hex_sha256(o->notifier, lid);
		xasprintf(&id, "<digest.%.32s@feedd.invalid>", hex);
		free(hex);
		mail_from(&b, "feedd", o->from);
		mail_to(&b, o->to);
		mail_header(&b, "Subject", subject);
		buf_adds(&b, "Date: ");
		mail_date(&b, o->now);
		buf_adds(&b, "\nMessage-ID: ");
		buf_adds(&b, id);
		buf_addc(&b, '\n');
		buf_adds(&b, "List-Id: ");
		mail_phrase(&b, o->notifier, 180);
		buf_adds(&b, " <digest.feedd.invalid>\n");
		mail_bodies_digest(o, d, n, subject, &t, &h);
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
	free(subject);
	buf_free(&t);
	buf_free(&h);
	return (b.data);	/* NUL-terminated: buf.h */
}
