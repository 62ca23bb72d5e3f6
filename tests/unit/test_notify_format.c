/*
 * test_notify_format.c: what the notifiers send: command lines split
 * without a shell (argv.c), mail messages and their encoded headers
 * (mail.c), webhook requests in every format and their signature
 * (webhook.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "argv.h"
#include "buf.h"
#include "conf.h"
#include "item.h"
#include "mail.h"
#include "store.h"
#include "text.h"
#include "webhook.h"
#include "xmalloc.h"

static void
test_argv_split_words_and_quotes(void **state)
{
	const char	*why = NULL;
	char		**v;
	size_t		  n;

	v = argv_split("  /usr/bin/hook  --to 'a b' \"c \\\"d\\\"\" e\\ f $HOME *",
	    &n, &why);
	assert_non_null(v);
	assert_int_equal(n, 7);
	assert_string_equal(v[0], "/usr/bin/hook");
	assert_string_equal(v[1], "--to");
	assert_string_equal(v[2], "a b");
	assert_string_equal(v[3], "c \"d\"");
	assert_string_equal(v[4], "e f");
	assert_string_equal(v[5], "$HOME");	/* no expansion */
	assert_string_equal(v[6], "*");
	assert_null(v[7]);
	argv_free(v);

	v = argv_split("'' x\"\"y", &n, &why);
	assert_int_equal(n, 2);
	assert_string_equal(v[0], "");
	assert_string_equal(v[1], "xy");
	argv_free(v);

	assert_null(argv_split("/bin/echo 'open", &n, &why));
	assert_string_equal(why, "unterminated quote");
	assert_null(argv_split("   ", &n, &why));
	assert_string_equal(why, "empty command");
}

static void
sample(struct store_delivery *d, const char *title)
{
	struct feed_item	*it;

	memset(d, 0, sizeof(*d));
	d->id = 7;
	d->feed_url = xstrdup("https://www.devdiscourse.com/rss/world");
	d->feed_title = xstrdup("Devdiscourse - World News");
	d->item.id = 42;
	d->item.feed_id = 3;
	d->item.story = 42;
	d->item.fetched = 1720486600;
	d->item.item = it = feed_item_new();
	it->key = xstrdup("devdiscourse-3005012");
	it->guid = xstrdup("devdiscourse-3005012");
	it->title = xstrdup(title);
	it->link = xstrdup("https://www.devdiscourse.com/article/3005012");
	it->published = 1720486560;
	it->summary = xstrdup("<p>A North Korean <b>military</b> delegation "
	    "&amp; more.</p>");
}

static void
sample_free(struct store_delivery *d)
{
	free(d->feed_url);
	free(d->feed_title);
	feed_item_free(d->item.item);
}

/* Every encoded word is at most 75 characters and whole characters. */
static void
test_mail_header_encode(void **state)
{
	struct buf	 b = { NULL, 0, 0 };
	const char	*s = "Nordkorea und Russland st\xc3\xa4rken ihre "
			    "milit\xc3\xa4rischen Beziehungen \xe2\x80\x94 "
			    "\xeb\xb6\x81\xed\x95\x9c\xea\xb3\xbc "
			    "\xeb\x9f\xac\xec\x8b\x9c\xec\x95\x84";
	char		*line, *save = NULL;

	mail_header_encode(&b, "Plain ASCII title", 17);
	assert_string_equal(b.data, "Plain ASCII title");
	b.len = 0;
	/* A CR LF in a title can never start a header of its own. */
	mail_header_encode(&b, "Evil\r\nBcc: x@example.org", 24);
	assert_null(strstr(b.data, "\nBcc"));
	b.len = 0;
	mail_header_encode(&b, s, strlen(s));
	for (line = strtok_r(b.data, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (*line == ' ')
			line++;
		assert_true(strncmp(line, "=?UTF-8?B?", 10) == 0);
		assert_true(strlen(line) <= 75);
		assert_string_equal(line + strlen(line) - 2, "?=");
	}
	buf_free(&b);
}

static void
test_mail_message_each(void **state)
{
	struct store_delivery	 d;
	struct mail_opts	 o = { "me@example.org", "feedd@example.org",
				    "mail", 1720490000 };
	char			*m, *id;

	sample(&d, "Stra\xc3\x9f" "e: a title");
	m = mail_message(&o, &d, 1, 0);
	assert_non_null(strstr(m, "\nTo: me@example.org\n"));
	assert_non_null(strstr(m, "From: Devdiscourse - World News "
	    "<feedd@example.org>\n"));
	assert_non_null(strstr(m, "\nSubject: =?UTF-8?B?U3RyYcOfZTogYSB0aXRsZQ=="
	    "?=\n"));
	assert_non_null(strstr(m, "\nDate: Tue, 09 Jul 2024 00:56:00 +0000\n"));
	id = mail_message_id(d.feed_url, "devdiscourse-3005012");
	assert_non_null(strstr(m, id));
	/* Stable: the same item, the same id; another item, another. */
	free(id);
	id = mail_message_id(d.feed_url, "devdiscourse-3005013");
	assert_null(strstr(m, id));
	free(id);
	assert_non_null(strstr(m, "\nList-Id: Devdiscourse - World News "
	    "<feed3.feedd.invalid>\n"));
	assert_non_null(strstr(m, "\nContent-Base: \"https://www.devdiscourse"
	    ".com/article/3005012\"\n"));
	assert_non_null(strstr(m, "\nMIME-Version: 1.0\n"));
	assert_non_null(strstr(m, "multipart/alternative; boundary=\"=_feedd_"));
	assert_non_null(strstr(m, "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: base64\n"));
	assert_non_null(strstr(m, "Content-Type: text/html; charset=utf-8\n"));
	free(m);

	/* No From configured: the feed's title at feedd@ this host. */
	o.from = NULL;
	m = mail_message(&o, &d, 1, 0);
	assert_true(strncmp(m, "From: Devdiscourse - World News <feedd@",
	    39) == 0);
	free(m);
	/* A line end in a configured From cannot add a header. */
	o.from = "a@example.org\nBcc: x@example.org";
	m = mail_message(&o, &d, 1, 0);
	assert_null(strstr(m, "\nBcc:"));
	free(m);
	sample_free(&d);
}

/* The headers before the body, as a new string. */
static char *
headers(const char *m)
{
	const char	*end = strstr(m, "\n\n");

	assert_non_null(end);
	return (xstrndup(m, (size_t)(end - m) + 1));
}

/* No byte of a header is 8-bit: RFC 5322 2.2 (RFC 2047 for the rest). */
static void
assert_ascii(const char *h)
{
	for (; *h != '\0'; h++)
		assert_true((unsigned char)*h < 0x80);
}

/*
 * From: a configured display name wins, the address comes out of its
 * angle brackets; To: names quoted or RFC 2047-encoded, never raw.
 */
static void
test_mail_addresses(void **state)
{
	struct store_delivery	 d;
	struct mail_opts	 o = { "a@example.org, \"Bob, Jr.\" "
				    "<bob@example.org>, Me \xc3\x9c "
				    "<me@example.org>", "Feeds Bot "
				    "<bot@example.org>", "mail", 1720490000 };
	char			*m, *h;

	sample(&d, "A title");
	m = mail_message(&o, &d, 1, 0);
	h = headers(m);
	assert_true(strncmp(h, "From: Feeds Bot <bot@example.org>\n", 34) ==
	    0);
	assert_non_null(strstr(h, "\nTo: a@example.org, \"Bob, Jr.\" "
	    "<bob@example.org>,\n =?UTF-8?B?TWUgw5w=?= <me@example.org>\n"));
	assert_ascii(h);
	free(h);
	free(m);

	/* "<addr>" alone: the feed's title names it. */
	o.from = "<bot@example.org>";
	o.to = "me@example.org";
	m = mail_message(&o, &d, 1, 0);
	assert_true(strncmp(m, "From: Devdiscourse - World News "
	    "<bot@example.org>\n", 50) == 0);
	assert_non_null(strstr(m, "\nTo: me@example.org\n"));
	free(m);

	/* A title with a comma is quoted; one with 8-bit text encoded. */
	free(d.feed_title);
	d.feed_title = xstrdup("News, \"Daily\"");
	m = mail_message(&o, &d, 1, 0);
	assert_true(strncmp(m, "From: \"News, \\\"Daily\\\"\" "
	    "<bot@example.org>\n", 38) == 0);
	assert_non_null(strstr(m, "\nList-Id: \"News, \\\"Daily\\\"\" "
	    "<feed3.feedd.invalid>\n"));
	free(m);
	free(d.feed_title);
	d.feed_title = xstrdup("\xc3\x9cn\xc3\xaf News, Daily");
	m = mail_message(&o, &d, 1, 0);
	assert_true(strncmp(m, "From: =?UTF-8?B?w5xuw68gTmV3cywgRGFpbHk=?= "
	    "<bot@example.org>\n", 61) == 0);
	free(m);

	/* The digest: "feedd", or the configured name. */
	o.from = "Feeds Bot <bot@example.org>";
	m = mail_message(&o, &d, 1, 1);
	assert_true(strncmp(m, "From: Feeds Bot <bot@example.org>\n", 34) ==
	    0);
	free(m);
	o.from = "bot@example.org";
	m = mail_message(&o, &d, 1, 1);
	assert_true(strncmp(m, "From: feedd <bot@example.org>\n", 30) == 0);
	free(m);
	sample_free(&d);
}

/*
 * Content-Base is a quoted URL: a '"' (or '<', '>', a space) in a link
 * is percent-encoded there, so the quoted string ends where the URL does.
 */
static void
test_mail_content_base(void **state)
{
	struct store_delivery	 d;
	struct mail_opts	 o = { "me@example.org", NULL, "mail",
				    1720490000 };
	char			*m, *h;

	sample(&d, "A title");
	free(d.item.item->link);
	d.item.item->link = xstrdup("http://127.0.0.1:8714/a/q\"uote%20x>y"
	    "%20Bcc:%20victim@example.org<z \xc3\xa4");
	m = mail_message(&o, &d, 1, 0);
	h = headers(m);
	assert_non_null(strstr(h, "\nContent-Base: \"http://127.0.0.1:8714/a/"
	    "q%22uote%20x%3Ey%20Bcc:%20victim@example.org%3Cz%20%C3%A4\"\n"));
	assert_ascii(h);
	free(h);
	free(m);
	sample_free(&d);
}

/* The subject of "d" with its first enclosure at "url": the line "want". */
static void
enclosure_subject(const struct mail_opts *o, struct store_delivery *d,
    const char *url, const char *want)
{
	char	*m, *line;

	free(d->item.item->enclosures[0].url);
	d->item.item->enclosures[0].url = xstrdup(url);
	m = mail_message(o, d, 1, 0);
	xasprintf(&line, "\n%s\n", want);
	assert_non_null(strstr(m, line));
	free(line);
	free(m);
}

/* The subject: title, else first words, else a file name, else feed. */
static void
test_mail_subject(void **state)
{
	struct store_delivery	 d;
	struct mail_opts	 o = { "me@example.org", NULL, "mail",
				    1720490000 };
	char			*m;

	sample(&d, "");
	m = mail_message(&o, &d, 1, 0);
	assert_non_null(strstr(m, "\nSubject: A North Korean military "
	    "delegation & more.\n"));
	assert_null(strstr(m, "untitled"));
	free(m);
	free(d.item.item->summary);
	d.item.item->summary = xstrdup("<script>alert(1)</script>");
	feed_item_add_enclosure(d.item.item,
	    "https://cdn.example/pod/episode-12.mp3?x=1", "audio/mpeg",
	    12345678);
	m = mail_message(&o, &d, 1, 0);
	assert_non_null(strstr(m, "\nSubject: episode-12.mp3\n"));
	free(m);
	/* Percent-decoded when that gives UTF-8 text, else kept. */
	enclosure_subject(&o, &d, "https://cdn.example/pod/episode%2042.mp3",
	    "Subject: episode 42.mp3");
	enclosure_subject(&o, &d, "https://cdn.example/pod/%C3%A9t%C3%A9.mp3",
	    "Subject: =?UTF-8?B?w6l0w6kubXAz?=");
	enclosure_subject(&o, &d, "https://cdn.example/pod/latin%E9.mp3",
	    "Subject: latin%E9.mp3");
	enclosure_subject(&o, &d, "https://cdn.example/pod/a%0D%0ABcc:%20x.mp3",
	    "Subject: a%0D%0ABcc:%20x.mp3");
	enclosure_subject(&o, &d, "javascript:alert(1)",
	    "Subject: Devdiscourse - World News, 2024-07-09");
	sample_free(&d);
}

static void
test_mail_message_digest(void **state)
{
	struct store_delivery	 d[2];
	struct mail_opts	 o = { "me@example.org", NULL, "morning",
				    1720490000 };
	char			*m, *m2;

	sample(&d[0], "First");
	sample(&d[1], "Second");
	d[1].id = 8;
	m = mail_message(&o, d, 2, 1);
	assert_non_null(strstr(m, "\nSubject: 2 new items (morning)\n"));
	assert_non_null(strstr(m, "\nDate: Tue, 09 Jul 2024 01:53:20 +0000\n"));
	assert_non_null(strstr(m, "Message-ID: <digest."));
	/* The same rows again (a retry) give the same Message-ID. */
	m2 = mail_message(&o, d, 2, 1);
	assert_string_equal(strstr(m, "Message-ID:"), strstr(m2,
	    "Message-ID:"));
	free(m);
	free(m2);
	sample_free(&d[0]);
	sample_free(&d[1]);
}

/* The text part of message "m", base64 decoded, as a new string. */
static char *
text_part(const char *m)
{
	const char	*p, *end, *mark = "Content-Type: text/plain; "
			    "charset=utf-8\nContent-Transfer-Encoding: "
			    "base64\n\n";
	char		*b64, *out;
	size_t		 n = 0;
	int		 len;

	assert_non_null(p = strstr(m, mark));
	p += strlen(mark);
	assert_non_null(end = strstr(p, "\n--"));
	b64 = xmalloc((size_t)(end - p) + 1);
	for (; p < end; p++)
		if (*p != '\n')
			b64[n++] = *p;
	out = xmalloc(n + 1);
	len = EVP_DecodeBlock((unsigned char *)out, (unsigned char *)b64,
	    (int)n);
	assert_true(len >= 0);
	/* EVP_DecodeBlock counts the padding's zero bytes. */
	while (len > 0 && out[len - 1] == '\0')
		len--;
	out[len] = '\0';
	free(b64);
	return (out);
}

/*
 * Trial 14: each digest entry's text was one line of 345 and more
 * characters.  It is wrapped at 72 columns, as each mode's text is,
 * indented under its "* " title; a long title wraps the same way.
 */
static void
test_mail_digest_wrapped(void **state)
{
	struct store_delivery	 d[2];
	struct mail_opts	 o = { "me@example.org", NULL, "morning",
				    1720490000 };
	char			*m, *t, *line, *save = NULL;
	size_t			 lines = 0;

	sample(&d[0], "First");
	sample(&d[1], "A title long enough that it cannot stay on one line "
	    "of a digest's text part");
	d[1].id = 8;
	free(d[0].item.item->summary);
	d[0].item.item->summary = xstrdup("<p>Pyongyang and Moscow signed "
	    "a treaty on Wednesday that both sides described as a "
	    "comprehensive strategic partnership, with a clause on mutual "
	    "assistance should either be attacked, in the first visit of a "
	    "Russian leader to the North in twenty-four years, watched "
	    "closely from Seoul, Tokyo and Washington.</p>");
	m = mail_message(&o, d, 2, 1);
	t = text_part(m);
	assert_non_null(strstr(t, "* First\n  https://www.devdiscourse.com/"
	    "article/3005012\n  Devdiscourse - World News, "));
	assert_non_null(strstr(t, "\n  Pyongyang and Moscow signed a treaty "
	    "on Wednesday that both sides\n  described as "));
	assert_non_null(strstr(t, "* A title long enough that it cannot stay "
	    "on one line of a digest's text\n  part\n"));
	for (line = strtok_r(t, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		assert_in_range(text_width(line, strlen(line)), 1, 72);
		lines++;
	}
	/*
	 * Lines not blank: 3 + 5 for the first entry (its text in 5), 4 + 1
	 * for the second (title in 2), 2 for the footer.
	 */
	assert_int_equal(lines, 15);
	free(t);
	free(m);
	sample_free(&d[0]);
	sample_free(&d[1]);
}

/* RFC 4231, test case 2. */
static void
test_webhook_signature(void **state)
{
	char	*s = webhook_signature("Jefe", "what do ya want for nothing?",
		    28);

	assert_string_equal(s, "sha256=5bdcc146bf60754e6a042426089575c75a003f"
	    "089d2739839dec58b964ec3843");
	free(s);
}

static const char *
header(const struct webhook_req *r, const char *name)
{
	size_t	i, n = strlen(name);

	for (i = 0; r->headers[i] != NULL; i++)
		if (strncmp(r->headers[i], name, n) == 0 &&
		    r->headers[i][n] == ':')
			return (r->headers[i] + n + 2);
	return (NULL);
}

/*
 * A title may be up to 1 MiB: chat messages and ntfy's Title header get
 * its first 500 bytes, cut on a character; json keeps the record whole.
 */
static void
test_webhook_long_title(void **state)
{
	static char	 slack[] = "slack", matrix[] = "matrix", ntfy[] = "ntfy";
	char		*formats[] = { slack, matrix, ntfy };
	struct conf_notify	 n;
	struct store_delivery	 d;
	struct webhook_req	 r;
	char			*title;
	const char		*h;
	size_t			 i, len = 200000;
	json_t			*j;

	(void)state;
	title = xmalloc(len + 1);
	for (i = 0; i < len; i += 3)
		memcpy(title + i, "\xe6\x9d\xb1", 3);	/* U+6771 */
	title[len - len % 3] = '\0';
	sample(&d, title);
	memset(&n, 0, sizeof(n));
	n.url = "https://hooks.example/x";
	for (i = 0; i < sizeof(formats) / sizeof(*formats); i++) {
		n.format = formats[i];
		webhook_build(&n, &d, "feedd-7", &r);
		if (strcmp(n.format, "ntfy") == 0) {
			assert_non_null(h = header(&r, "Title"));
			assert_true(strlen(h) < 2000);
		} else {
			assert_non_null(j = json_loadb(r.body, r.len, 0, NULL));
			json_decref(j);
			assert_true(r.len < 4000);
			/* The cut is on a character, with an ellipsis. */
			assert_non_null(strstr(r.body, "\xe6\x9d\xb1"
			    "\xe2\x80\xa6"));
		}
		webhook_req_clear(&r);
	}
	n.format = NULL;	/* json */
	webhook_build(&n, &d, "feedd-7", &r);
	assert_true(r.len > len);
	webhook_req_clear(&r);
	sample_free(&d);
	free(title);
}

static void
test_webhook_formats(void **state)
{
	struct conf_notify	 n;
	struct store_delivery	 d;
	struct webhook_req	 r;
	json_t			*j;
	char			*sig;

	sample(&d, "Title <with> | @everyone & more");
	memset(&n, 0, sizeof(n));
	n.url = "https://hooks.example/x";

	n.format = "json";
	n.secret = "k";
	n.token = "t";
	webhook_build(&n, &d, "feedd-7", &r);
	assert_string_equal(r.method, "POST");
	assert_string_equal(r.url, "https://hooks.example/x");
	j = json_loadb(r.body, r.len, 0, NULL);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "id")), 42);
	assert_string_equal(json_string_value(json_object_get(j, "title")),
	    "Title <with> | @everyone & more");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    j, "feed"), "url")), "https://www.devdiscourse.com/rss/world");
	/* The record keeps the feed's HTML; the reader's forms are added. */
	assert_string_equal(json_string_value(json_object_get(j, "summary")),
	    "<p>A North Korean <b>military</b> delegation &amp; more.</p>");
	assert_string_equal(json_string_value(json_object_get(j, "html")),
	    "<p>A North Korean <b>military</b> delegation &amp; more.</p>");
	assert_string_equal(json_string_value(json_object_get(j, "text")),
	    "A North Korean military delegation & more.");
	json_decref(j);
	sig = webhook_signature("k", r.body, r.len);
	assert_string_equal(header(&r, "X-Feedd-Signature"), sig);
	free(sig);
	assert_string_equal(header(&r, "Authorization"), "Bearer t");
	assert_string_equal(header(&r, "X-Feedd-Item"), "42");
	webhook_req_clear(&r);
	n.secret = NULL;
	n.token = NULL;

	n.format = "slack";
	webhook_build(&n, &d, "feedd-7", &r);
	j = json_loadb(r.body, r.len, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(j, "text")),
	    "<https://www.devdiscourse.com/article/3005012|Title &lt;with&gt; "
	    "\xe2\x88\xa3 @everyone &amp; more> \xe2\x80\x94 Devdiscourse - "
	    "World News\nA North Korean military delegation &amp; more.");
	json_decref(j);
	assert_null(header(&r, "X-Feedd-Signature"));
	webhook_req_clear(&r);

	n.format = "discord";
	webhook_build(&n, &d, "feedd-7", &r);
	j = json_loadb(r.body, r.len, 0, NULL);
	assert_int_equal(json_array_size(json_object_get(json_object_get(j,
	    "allowed_mentions"), "parse")), 0);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(j, "embeds"), 0), "description")),
	    "A North Korean military delegation & more.");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(j, "embeds"), 0), "timestamp")),
	    "2024-07-09T00:56:00Z");
	json_decref(j);
	webhook_req_clear(&r);

	n.format = "matrix";
	n.url = "https://m.example/_matrix/client/v3/rooms/!a:m.example/send/"
	    "m.room.message";
	n.token = "mx";
	webhook_build(&n, &d, "feedd-7", &r);
	assert_string_equal(r.method, "PUT");
	assert_string_equal(r.url, "https://m.example/_matrix/client/v3/rooms/"
	    "!a:m.example/send/m.room.message/feedd-7");
	assert_string_equal(header(&r, "Authorization"), "Bearer mx");
	j = json_loadb(r.body, r.len, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(j,
	    "formatted_body")), "<a href=\"https://www.devdiscourse.com/"
	    "article/3005012\">Title &lt;with&gt; | @everyone &amp; more</a>"
	    "<br><br>A North Korean military delegation &amp; more."
	    "<br>\xe2\x80\x94 Devdiscourse - World News");
	json_decref(j);
	webhook_req_clear(&r);
	n.token = NULL;

	n.format = "ntfy";
	n.url = "https://ntfy.example/topic";
	webhook_build(&n, &d, "feedd-7", &r);
	assert_string_equal(r.body, "A North Korean military delegation & "
	    "more.");
	assert_string_equal(header(&r, "Title"),
	    "Title <with> | @everyone & more");
	assert_string_equal(header(&r, "Click"),
	    "https://www.devdiscourse.com/article/3005012");
	webhook_req_clear(&r);
	sample_free(&d);
}

/* An item with a hostile title and link, for the chat formats. */
static void
hostile(struct store_delivery *d, struct conf_notify *n, char *fmt)
{
	sample(d, "Tom & Jerry <3 | pipes > arrows \xe2\x80\x94 "
	    "\xc3\x9cn\xc3\xaf \xe6\x97\xa5\xe6\x9c\xac @channel");
	free(d->item.item->link);
	d->item.item->link = xstrdup("http://127.0.0.1:8714/a/sl?x=1&y=|2"
	    "&q=\"a b\"");
	memset(n, 0, sizeof(*n));
	n->url = "https://hooks.example/x";
	n->format = fmt;
}

/*
 * Slack's <url|label>: a "|" (and '"', a space) in the URL is
 * percent-encoded, so the link keeps its target; the label keeps its
 * escaping (a look-alike for "|").
 */
static void
test_webhook_slack_link(void **state)
{
	struct conf_notify	 n;
	struct store_delivery	 d;
	struct webhook_req	 r;
	json_t			*j;

	hostile(&d, &n, "slack");
	webhook_build(&n, &d, "feedd-7", &r);
	j = json_loadb(r.body, r.len, 0, NULL);
	assert_true(strncmp(json_string_value(json_object_get(j, "text")),
	    "<http://127.0.0.1:8714/a/sl?x=1&amp;y=%7C2&amp;q=%22a%20b%22|"
	    "Tom &amp; Jerry &lt;3 \xe2\x88\xa3 pipes &gt; arrows", 97) == 0);
	json_decref(j);
	webhook_req_clear(&r);
	sample_free(&d);
}

/*
 * ntfy: every header is one line (HTTP has no folding, RFC 9112 5.2): a
 * long non-ASCII title is several encoded words separated by spaces,
 * and the Click link has no raw space or quote.
 */
static void
test_webhook_ntfy_one_line(void **state)
{
	struct conf_notify	 n;
	struct store_delivery	 d;
	struct webhook_req	 r;
	const char		*w;
	size_t			 i, words = 0;

	hostile(&d, &n, "ntfy");
	webhook_build(&n, &d, "feedd-7", &r);
	for (i = 0; r.headers[i] != NULL; i++) {
		assert_null(strchr(r.headers[i], '\n'));
		assert_null(strchr(r.headers[i], '\r'));
	}
	for (w = header(&r, "Title"); w != NULL; w = strchr(w + 1, ' ')) {
		if (*w == ' ')
			w++;
		assert_true(strncmp(w, "=?UTF-8?B?", 10) == 0);
		assert_true(strcspn(w, " ") <= 75);
		words++;
	}
	assert_int_equal(words, 2);
	assert_string_equal(header(&r, "Click"), "http://127.0.0.1:8714/a/sl?"
	    "x=1&y=%7C2&q=%22a%20b%22");
	webhook_req_clear(&r);
	sample_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_argv_split_words_and_quotes),
		cmocka_unit_test(test_mail_header_encode),
		cmocka_unit_test(test_mail_message_each),
		cmocka_unit_test(test_mail_addresses),
		cmocka_unit_test(test_mail_content_base),
		cmocka_unit_test(test_mail_subject),
		cmocka_unit_test(test_mail_message_digest),
		cmocka_unit_test(test_mail_digest_wrapped),
		cmocka_unit_test(test_webhook_signature),
		cmocka_unit_test(test_webhook_formats),
		cmocka_unit_test(test_webhook_long_title),
		cmocka_unit_test(test_webhook_slack_link),
		cmocka_unit_test(test_webhook_ntfy_one_line),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
