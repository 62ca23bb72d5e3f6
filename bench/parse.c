/*
 * parse.c: feed parser throughput against its physical limit.  A corpus of
 * RSS 2.0 and Atom 1.0 documents is generated in memory (deterministic:
 * the same bytes on every machine), then read by a bare expat pass with
 * no-op handlers and by the feedd parser, fed whole and in 64 KiB chunks.
 * Bare expat is what any expat-based parser costs at least, so the figure
 * that matters is the ratio parser / bare expat, not MB/s on one machine.
 *
 * Named HTML entities (&nbsp; ...) appear only inside CDATA: outside it
 * they are undeclared in XML, and bare expat without an external DTD
 * subset would reject the document, so the comparison would not be of the
 * same work.  Outside CDATA the text uses numeric references (&#8212;).
 * The "ns+DTD" rows are bare expat that is also given the empty external
 * subset parse.c gives every document (so undeclared entities reach a
 * handler): they show what that costs.
 */
#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <expat.h>
#include <gumbo.h>

#include "buf.h"
#include "entities.h"
#include "html.h"
#include "item.h"
#include "json.h"
#include "parse.h"
#include "xmalloc.h"
#include "stats.h"

#define BENCH_CHUNK		(64 * 1024)
#define BENCH_MB		1000000.0	/* MB/s are 10^6 bytes/s */
#define BENCH_DEFAULT_MB	100
#define BENCH_DEFAULT_RUNS	3
#define BENCH_MAX_RUNS		99
#define BENCH_BIG_EVERY		64	/* one in 64 is 1-4 MB */
#define BENCH_EPOCH		INT64_C(1700000000)	/* 2023-11-14 */

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* How HTML is written into the XML (Atom RFC 4287 3.1.1, RSS practice). */
enum how {
	HOW_CDATA = 0,	/* raw HTML in a CDATA section, named entities */
	HOW_ESCAPED,	/* HTML escaped as XML text (&lt;p&gt;) */
	HOW_XHTML	/* well-formed XHTML elements, numeric references */
};

enum kind {
	KIND_EXPAT_NS = 0,	/* XML_ParserCreateNS(NULL, ' ') */
	KIND_EXPAT,		/* XML_ParserCreate(NULL) */
	KIND_EXPAT_DTD,		/* namespaces and feedd's entity DTD */
	KIND_FEEDD,		/* the feedd parser, items kept in the doc */
	KIND_FEEDD_CB		/* the same, items freed by item_cb */
};

/* One generated document and what the parser must find in it. */
struct doc {
	char		*data;
	size_t		 len;
	int		 atom;
	size_t		 nitems;
	size_t		 ncategories;	/* over all items */
	size_t		 nenclosures;
	int64_t		*published;	/* per item */
};

struct corpus {
	struct doc	*docs;
	size_t		 ndocs;
	size_t		 bytes;
	size_t		 nitems;
	size_t		 natom;
	size_t		 nbig;
};

/* The generator's state: one document at a time, one PRNG throughout. */
struct gen {
	struct buf	 b;
	uint64_t	 rng;
	unsigned int	 serial;	/* post numbers, corpus-wide */
	unsigned int	 site;
	int64_t		 when;		/* date of the next item */
	struct doc	*doc;
};

struct mode {
	const char	*name;
	enum kind	 kind;
	size_t		 chunk;		/* 0: the whole document */
};

/* Measured in this order, round-robin over the runs. */
static const struct mode bench_modes[] = {
	{ .name = "bare expat, ns, whole", .kind = KIND_EXPAT_NS, .chunk = 0 },
	{ .name = "bare expat, ns, 64 KiB", .kind = KIND_EXPAT_NS,
	    .chunk = BENCH_CHUNK },
	{ .name = "bare expat, whole", .kind = KIND_EXPAT, .chunk = 0 },
	{ .name = "bare expat, 64 KiB", .kind = KIND_EXPAT,
	    .chunk = BENCH_CHUNK },
	{ .name = "bare expat, ns+DTD, whole", .kind = KIND_EXPAT_DTD,
	    .chunk = 0 },
	{ .name = "bare expat, ns+DTD, 64 KiB", .kind = KIND_EXPAT_DTD,
	    .chunk = BENCH_CHUNK },
	{ .name = "feedd parse_buffer, whole", .kind = KIND_FEEDD,
	    .chunk = 0 },
	{ .name = "feedd parse_feed, 64 KiB", .kind = KIND_FEEDD,
	    .chunk = BENCH_CHUNK },
	{ .name = "feedd item_cb, whole", .kind = KIND_FEEDD_CB, .chunk = 0 },
	{ .name = "feedd item_cb, 64 KiB", .kind = KIND_FEEDD_CB,
	    .chunk = BENCH_CHUNK },
};

static const char *const gen_words[] = {
	"the", "of", "and", "to", "in", "is", "that", "for", "it", "as",
	"was", "with", "be", "by", "on", "not", "he", "this", "are", "or",
	"his", "from", "at", "which", "but", "have", "an", "had", "they",
	"you", "were", "their", "one", "all", "we", "can", "her", "has",
	"there", "been", "if", "more", "when", "will", "would", "who", "so",
	"no", "release", "kernel", "server", "network", "latency", "memory",
	"compiler", "patch", "review", "build", "cache", "design", "system",
	"process", "thread", "socket", "buffer", "parser", "feed", "update",
	"version", "support", "project", "community", "developer", "change",
	"performance", "security", "feature", "bug", "fix", "test", "users",
	"data", "file", "window", "driver", "library", "package", "module",
	"interface", "protocol", "request", "response", "query", "index",
	"storage", "backup", "cluster", "container", "image", "service",
	"city", "council", "budget", "election", "weather", "river", "bridge",
	"school", "market", "garden", "festival", "museum", "season", "team",
	"match", "goal", "player", "coach", "recipe", "coffee", "bread",
	"morning", "evening", "summer", "winter", "journey", "mountain",
	"quickly", "slowly", "carefully", "finally", "really", "almost",
	"new", "old", "large", "small", "early", "late", "open", "free",
	"simple", "strange", "important", "different", "available", "public",
};

/* UTF-8 written as bytes so the source stays ASCII. */
static const char *const gen_utf8[] = {
	"caf\xc3\xa9", "na\xc3\xafve", "r\xc3\xa9sum\xc3\xa9", "Z\xc3\xbcrich",
	"S\xc3\xa3o Paulo", "d\xc3\xa9j\xc3\xa0 vu", "fa\xc3\xa7" "ade",
	"\xe2\x80\x9cquoted\xe2\x80\x9d", "it\xe2\x80\x99s",
	"\xc5\x81\xc3\xb3" "d\xc5\xba", "\xe6\x9d\xb1\xe4\xba\xac",
	"\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0",
};

static const struct {
	const char	*name;
	unsigned int	 cp;
} gen_entities[] = {
	{ "nbsp", 160 }, { "mdash", 8212 }, { "eacute", 233 },
	{ "hellip", 8230 }, { "rsquo", 8217 }, { "ldquo", 8220 },
	{ "rdquo", 8221 }, { "copy", 169 }, { "ndash", 8211 },
	{ "trade", 8482 },
};

static const char *const gen_people[] = {
	"Alice Martin", "Bob Nakamura", "Chlo\xc3\xa9 Dubois", "Dmitri Volkov",
	"Emma O'Brien", "Farid Haddad", "Grace Kim", "Hugo Sch\303\244fer",
	"Ingrid Larsen", "Jo\xc3\xa3o Silva", "Kwame Mensah",
	"Lena M\xc3\xbcller",
};

static const char *const gen_categories[] = {
	"Technology", "Linux", "Open Source", "Programming", "Security",
	"Networking", "Databases", "Cloud", "Hardware", "Science", "Space",
	"Politics", "Local News", "Sports", "Football", "Food", "Recipes",
	"Travel", "Music", "Film", "Books", "Education", "Health",
	"Climate", "Business", "Economy", "Culture", "History", "Photography",
	"Podcast",
};

static const char *const gen_rfc822_zones[] = {
	"+0000", "GMT", "-0700", "+0200", "-0500", "+0530",
};
static const int gen_rfc822_offsets[] = {	/* minutes, as above */
	0, 0, -420, 120, -300, 330,
};

static uint64_t	rng_next(struct gen *);
static unsigned int rng_range(struct gen *, unsigned int, unsigned int);
static void	gen_put(struct gen *, const char *);
static void	gen_printf(struct gen *, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));
static void	gen_markup(struct gen *, enum how, const char *, ...)
		    __attribute__((__format__(__printf__, 3, 4)));
static void	gen_entity(struct gen *, enum how);
static void	gen_word(struct gen *, int);
static void	gen_slug(struct gen *);
static void	gen_sentence(struct gen *, enum how);
static void	gen_html(struct gen *, enum how, size_t);
static void	gen_title(struct gen *, int);
static void	gen_rfc822(struct gen *, int64_t);
static void	gen_rfc3339(struct gen *, int64_t);
static void	gen_pick(struct gen *, size_t *, size_t);
static void	gen_rss_item(struct gen *);
static void	gen_atom_entry(struct gen *);
static void	gen_doc(struct gen *, struct doc *, int, size_t);
static void	corpus_generate(struct corpus *, size_t);
static void	corpus_free(struct corpus *);
static int	corpus_dump(const struct corpus *, const char *);
static void	bench_item_cb(struct feed_item *, void *);
static void	bench_start_cb(void *, const XML_Char *, const XML_Char **);
static void	bench_end_cb(void *, const XML_Char *);
static void	bench_text_cb(void *, const XML_Char *, int);
static int	bench_dtd_cb(XML_Parser, const XML_Char *, const XML_Char *,
		    const XML_Char *, const XML_Char *);
static int	bench_expat(const struct corpus *, enum kind, size_t);
static int	bench_feedd(const struct corpus *, int, size_t);
static int	bench_run(const struct mode *, const struct corpus *);
static size_t	bench_ref(enum kind, size_t);
static int	verify_str(size_t, size_t, const char *, const char *,
		    const char *);
static int	verify_doc(const struct corpus *, size_t);
static int	verify(const struct corpus *);
static double	now(void);
static int	bench_content(const struct corpus *, unsigned long, double);
static FILE	*bench_null;
static int	 bench_null_error;
static void	usage(void) __attribute__((__noreturn__));

/* xorshift64*: fixed seed, so every machine measures the same bytes. */
static uint64_t
rng_next(struct gen *g)
{
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return (g->rng * UINT64_C(2685821657736338717));
}

/* A number in [lo, hi]. */
static unsigned int
rng_range(struct gen *g, unsigned int lo, unsigned int hi)
{
	return (lo + (unsigned int)(rng_next(g) % (hi - lo + 1)));
}

static void
gen_put(struct gen *g, const char *s)
{
	buf_adds(&g->b, s);
}

static void
gen_printf(struct gen *g, const char *fmt, ...)
{
	char	 tmp[512];
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		abort();	/* only our own short formats come here */
	buf_add(&g->b, tmp, (size_t)n);
}

/*
 * Writes a piece of HTML markup (a tag, "&amp;" in text ...); escaped
 * content gets it XML-escaped once more, as feeds do.
 */
static void
gen_markup(struct gen *g, enum how how, const char *fmt, ...)
{
	char		 tmp[512];
	const char	*s;
	va_list		 ap;
	int		 n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		abort();
	if (how != HOW_ESCAPED) {
		buf_add(&g->b, tmp, (size_t)n);
		return;
	}
	for (s = tmp; *s != '\0'; s++) {
		switch (*s) {
		case '<':
			gen_put(g, "&lt;");
			break;
		case '>':
			gen_put(g, "&gt;");
			break;
		case '&':
			gen_put(g, "&amp;");
			break;
		case '"':
			gen_put(g, "&quot;");
			break;
		default:
			buf_addc(&g->b, *s);
			break;
		}
	}
}

/*
 * A typographic character: named inside CDATA (literal text there), a
 * numeric reference in XHTML, and in escaped HTML either a numeric
 * reference expat decodes or an HTML entity escaped as "&amp;mdash;".
 */
static void
gen_entity(struct gen *g, enum how how)
{
	size_t	i = rng_next(g) % NITEMS(gen_entities);

	switch (how) {
	case HOW_CDATA:
		gen_printf(g, "&%s;", gen_entities[i].name);
		break;
	case HOW_XHTML:
		gen_printf(g, "&#%u;", gen_entities[i].cp);
		break;
	case HOW_ESCAPED:
		if (rng_next(g) & 1)
			gen_printf(g, "&#%u;", gen_entities[i].cp);
		else
			gen_printf(g, "&amp;%s;", gen_entities[i].name);
		break;
	}
}

static void
gen_word(struct gen *g, int capital)
{
	const char	*w = gen_words[rng_next(g) % NITEMS(gen_words)];

	if (capital && *w >= 'a' && *w <= 'z') {
		buf_addc(&g->b, (char)(*w - 'a' + 'A'));
		w++;
	}
	gen_put(g, w);
}

static void
gen_slug(struct gen *g)
{
	unsigned int	i, n = rng_range(g, 3, 6);

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(&g->b, '-');
		gen_word(g, 0);
	}
}

static void
gen_sentence(struct gen *g, enum how how)
{
	unsigned int	i, n = rng_range(g, 6, 20), r;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(&g->b, ' ');
		r = (unsigned int)(rng_next(g) % 100);
		if (r < 3) {
			gen_markup(g, how, "<a href=\"https://www.site%u."
			    "example.com/%u/", rng_range(g, 0, 499),
			    rng_range(g, 2020, 2023));
			gen_slug(g);
			gen_markup(g, how, "/?utm_source=rss&amp;utm_medium="
			    "feed\" title=\"");
			gen_word(g, 1);
			gen_markup(g, how, "\">");
			gen_word(g, 0);
			buf_addc(&g->b, ' ');
			gen_word(g, 0);
			gen_markup(g, how, "</a>");
		} else if (r < 6) {
			gen_markup(g, how, r < 5 ? "<em>" : "<strong>");
			gen_word(g, 0);
			gen_markup(g, how, r < 5 ? "</em>" : "</strong>");
		} else if (r < 9)
			gen_entity(g, how);
		else if (r < 10)
			gen_put(g, gen_utf8[rng_next(g) % NITEMS(gen_utf8)]);
		else if (r < 11)
			gen_markup(g, how, "R&amp;D");
		else if (r < 12)
			gen_markup(g, how, "<code>a &lt; b</code>");
		else
			gen_word(g, i == 0);
	}
	gen_put(g, (rng_next(g) % 8) == 0 ? "? " : ". ");
}

/* At least "want" bytes of HTML blocks, written the way "how" says. */
static void
gen_html(struct gen *g, enum how how, size_t want)
{
	size_t		start = g->b.len;
	unsigned int	i, n, r;

	while (g->b.len - start < want) {
		r = (unsigned int)(rng_next(g) % 100);
		if (r < 10) {
			gen_markup(g, how, "<h2>");
			gen_word(g, 1);
			buf_addc(&g->b, ' ');
			gen_word(g, 0);
			gen_markup(g, how, "</h2>");
		} else if (r < 20) {
			gen_markup(g, how, "<figure><img src=\"https://cdn."
			    "example.net/wp-content/uploads/2023/%02u/photo-%u"
			    ".jpg\" alt=\"", rng_range(g, 1, 12), g->serial);
			gen_word(g, 1);
			gen_markup(g, how, "\" width=\"800\" height=\"450\" "
			    "loading=\"lazy\" /><figcaption>");
			gen_sentence(g, how);
			gen_markup(g, how, "</figcaption></figure>");
		} else if (r < 25) {
			gen_markup(g, how, "<ul>");
			n = rng_range(g, 2, 5);
			for (i = 0; i < n; i++) {
				gen_markup(g, how, "<li>");
				gen_sentence(g, how);
				gen_markup(g, how, "</li>");
			}
			gen_markup(g, how, "</ul>");
		} else if (r < 30) {
			gen_markup(g, how, "<blockquote><p>");
			gen_sentence(g, how);
			gen_markup(g, how, "</p></blockquote>");
		} else if (r < 33) {
			gen_markup(g, how, "<pre><code>if (n &lt; len "
			    "&amp;&amp; buf[n] != '\\0')\n\tn++;</code></pre>");
		} else {
			gen_markup(g, how, "<p>");
			n = rng_range(g, 2, 6);
			for (i = 0; i < n; i++)
				gen_sentence(g, how);
			gen_markup(g, how, "</p>");
		}
		buf_addc(&g->b, '\n');
	}
}

/* An item title: plain text (RSS), or escaped HTML (Atom type="html"). */
static void
gen_title(struct gen *g, int html)
{
	unsigned int	i, n = rng_range(g, 4, 11), r;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(&g->b, ' ');
		r = (unsigned int)(rng_next(g) % 100);
		if (r < 5)
			gen_put(g, html ? "&amp;amp;" : "&amp;");
		else if (r < 10)
			gen_put(g, "&#8220;Quoted&#8221;");
		else if (r < 13)
			gen_put(g, "It&#8217;s");
		else if (r < 16 && html) {
			gen_put(g, "&lt;em&gt;");
			gen_word(g, 0);
			gen_put(g, "&lt;/em&gt;");
		} else
			gen_word(g, i == 0);
	}
}

/* RFC 822 5.1 as RSS 2.0 writes it, in one of a few zones. */
static void
gen_rfc822(struct gen *g, int64_t t)
{
	char		 tmp[64];
	struct tm	 tm;
	time_t		 local;
	size_t		 z = rng_next(g) % NITEMS(gen_rfc822_zones);

	local = (time_t)(t + gen_rfc822_offsets[z] * 60);
	gmtime_r(&local, &tm);
	strftime(tmp, sizeof(tmp), "%a, %d %b %Y %H:%M:%S ", &tm);
	gen_put(g, tmp);
	gen_put(g, gen_rfc822_zones[z]);
}

/* RFC 3339 5.6, in UTC or with an offset, sometimes with fractions. */
static void
gen_rfc3339(struct gen *g, int64_t t)
{
	char		 tmp[64];
	struct tm	 tm;
	time_t		 local;
	unsigned int	 r = (unsigned int)(rng_next(g) % 4);

	local = (time_t)(r == 2 ? t + 7200 : t);
	gmtime_r(&local, &tm);
	strftime(tmp, sizeof(tmp), "%Y-%m-%dT%H:%M:%S", &tm);
	gen_put(g, tmp);
	if (r == 1)
		gen_put(g, ".250Z");
	else if (r == 2)
		gen_put(g, "+02:00");
	else
		gen_put(g, "Z");
}

/* Picks "n" distinct categories (the parser folds duplicates). */
static void
gen_pick(struct gen *g, size_t *pick, size_t n)
{
	size_t	i, j;

	for (i = 0; i < n; i++) {
		do {
			pick[i] = rng_next(g) % NITEMS(gen_categories);
			for (j = 0; j < i && pick[j] != pick[i]; j++)
				;
		} while (j < i);
	}
}

/* A WordPress-style RSS 2.0 item. */
static void
gen_rss_item(struct gen *g)
{
	struct doc	*d = g->doc;
	size_t		 pick[4], i, n;
	unsigned int	 post = ++g->serial;

	gen_put(g, "\t<item>\n\t\t<title>");
	gen_title(g, 0);
	gen_printf(g, "</title>\n\t\t<link>https://www.site%u.example.com/"
	    "2023/%02u/", g->site, rng_range(g, 1, 12));
	gen_slug(g);
	gen_printf(g, "-%u/</link>\n", post);
	if (rng_next(g) % 3 == 0)
		gen_printf(g, "\t\t<comments>https://www.site%u.example.com/"
		    "?p=%u#comments</comments>\n", g->site, post);
	gen_put(g, "\t\t<dc:creator><![CDATA[");
	gen_put(g, gen_people[rng_next(g) % NITEMS(gen_people)]);
	gen_put(g, "]]></dc:creator>\n\t\t<pubDate>");
	gen_rfc822(g, g->when);
	gen_put(g, "</pubDate>\n");
	n = rng_range(g, 2, 4);
	gen_pick(g, pick, n);
	for (i = 0; i < n; i++)
		gen_printf(g, "\t\t<category><![CDATA[%s]]></category>\n",
		    gen_categories[pick[i]]);
	gen_printf(g, "\t\t<guid isPermaLink=\"false\">https://www.site%u."
	    "example.com/?p=%u</guid>\n\t\t<description>", g->site, post);
	gen_html(g, HOW_ESCAPED, rng_range(g, 200, 700));
	gen_put(g, "</description>\n\t\t<content:encoded><![CDATA[");
	gen_html(g, HOW_CDATA, rng_range(g, 1000, 8000));
	gen_put(g, "]]></content:encoded>\n");
	if (rng_next(g) % 5 == 0) {
		gen_printf(g, "\t\t<enclosure url=\"https://media.example.net/"
		    "podcast/site%u/episode-%u.mp3\" length=\"%u\" "
		    "type=\"audio/mpeg\" />\n", g->site, post,
		    rng_range(g, 1000000, 90000000));
		d->nenclosures++;
	}
	gen_put(g, "\t</item>\n");

	d->published = xreallocarray(d->published, d->nitems + 1,
	    sizeof(*d->published));
	d->published[d->nitems++] = g->when;
	d->ncategories += n;
}

/* An Atom 1.0 entry (RFC 4287 4.1.2), HTML or XHTML content. */
static void
gen_atom_entry(struct gen *g)
{
	struct doc	*d = g->doc;
	size_t		 pick[4], i, n;
	unsigned int	 post = ++g->serial;

	gen_put(g, "  <entry>\n    <title type=\"html\">");
	gen_title(g, 1);
	gen_printf(g, "</title>\n    <link rel=\"alternate\" "
	    "type=\"text/html\" href=\"https://blog%u.example.org/posts/",
	    g->site);
	gen_slug(g);
	gen_printf(g, "-%u.html\" />\n", post);
	if (rng_next(g) % 3 == 0)
		gen_printf(g, "    <link rel=\"replies\" type=\"application/"
		    "atom+xml\" href=\"https://blog%u.example.org/feeds/%u/"
		    "comments/default\" />\n", g->site, post);
	if (rng_next(g) % 8 == 0) {
		gen_printf(g, "    <link rel=\"enclosure\" type=\"video/mp4\" "
		    "length=\"%u\" href=\"https://media.example.net/blog%u/"
		    "clip-%u.mp4\" />\n", rng_range(g, 1000000, 90000000),
		    g->site, post);
		d->nenclosures++;
	}
	gen_printf(g, "    <id>tag:blog%u.example.org,2023:post-%u</id>\n"
	    "    <published>", g->site, post);
	gen_rfc3339(g, g->when);
	gen_put(g, "</published>\n    <updated>");
	gen_rfc3339(g, g->when + rng_range(g, 0, 86400));
	gen_put(g, "</updated>\n    <author>\n      <name>");
	gen_put(g, gen_people[rng_next(g) % NITEMS(gen_people)]);
	gen_put(g, "</name>\n");
	if (rng_next(g) % 2 == 0)
		gen_printf(g, "      <uri>https://blog%u.example.org/about"
		    "</uri>\n", g->site);
	if (rng_next(g) % 4 == 0)
		gen_printf(g, "      <email>author%u@example.org</email>\n",
		    post % 17);
	gen_put(g, "    </author>\n");
	n = rng_range(g, 2, 4);
	gen_pick(g, pick, n);
	for (i = 0; i < n; i++)
		gen_printf(g, "    <category term=\"%s\" scheme=\"https://"
		    "blog%u.example.org/tags\" />\n", gen_categories[pick[i]],
		    g->site);
	gen_put(g, "    <summary type=\"html\">");
	gen_html(g, HOW_ESCAPED, rng_range(g, 200, 700));
	gen_put(g, "</summary>\n");
	if (rng_next(g) % 4 == 0) {
		gen_put(g, "    <content type=\"xhtml\"><div xmlns=\"http://"
		    "www.w3.org/1999/xhtml\">");
		gen_html(g, HOW_XHTML, rng_range(g, 1000, 8000));
		gen_put(g, "</div></content>\n");
	} else {
		gen_put(g, "    <content type=\"html\">");
		gen_html(g, HOW_ESCAPED, rng_range(g, 1000, 8000));
		gen_put(g, "</content>\n");
	}
	gen_put(g, "  </entry>\n");

	d->published = xreallocarray(d->published, d->nitems + 1,
	    sizeof(*d->published));
	d->published[d->nitems++] = g->when;
	d->ncategories += n;
}

/* One whole document of about "target" bytes, newest item first. */
static void
gen_doc(struct gen *g, struct doc *d, int atom, size_t target)
{
	memset(d, 0, sizeof(*d));
	d->atom = atom;
	g->doc = d;
	g->site = (unsigned int)(rng_next(g) % 1000);
	g->when = BENCH_EPOCH - (int64_t)(rng_next(g) % 86400);
	buf_clear(&g->b);

	if (atom) {
		gen_printf(g, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		    "<feed xmlns=\"http://www.w3.org/2005/Atom\" "
		    "xml:lang=\"en\">\n  <title type=\"text\">Blog %u: notes "
		    "&amp; essays</title>\n  <subtitle type=\"html\">",
		    g->site);
		gen_title(g, 1);
		gen_printf(g, "</subtitle>\n  <link rel=\"alternate\" "
		    "type=\"text/html\" href=\"https://blog%u.example.org/\" "
		    "/>\n  <link rel=\"self\" type=\"application/atom+xml\" "
		    "href=\"https://blog%u.example.org/feed.atom\" />\n"
		    "  <id>tag:blog%u.example.org,2005:/feed</id>\n"
		    "  <updated>", g->site, g->site, g->site);
		gen_rfc3339(g, g->when);
		gen_printf(g, "</updated>\n  <author><name>%s</name></author>\n"
		    "  <generator uri=\"https://jekyllrb.com/\" "
		    "version=\"4.3.2\">Jekyll</generator>\n",
		    gen_people[g->site % NITEMS(gen_people)]);
	} else {
		gen_printf(g, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<rss version=\"2.0\"\n"
		    "\txmlns:content=\"http://purl.org/rss/1.0/modules/"
		    "content/\"\n"
		    "\txmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
		    "\txmlns:atom=\"http://www.w3.org/2005/Atom\"\n"
		    "\txmlns:sy=\"http://purl.org/rss/1.0/modules/"
		    "syndication/\">\n<channel>\n"
		    "\t<title>Site %u &#8211; News &amp; Views</title>\n"
		    "\t<atom:link href=\"https://www.site%u.example.com/"
		    "feed/\" rel=\"self\" type=\"application/rss+xml\" />\n"
		    "\t<link>https://www.site%u.example.com</link>\n"
		    "\t<description>", g->site, g->site, g->site);
		gen_title(g, 0);
		gen_put(g, "</description>\n\t<lastBuildDate>");
		gen_rfc822(g, g->when);
		gen_printf(g, "</lastBuildDate>\n\t<language>en-US</language>\n"
		    "\t<sy:updatePeriod>hourly</sy:updatePeriod>\n"
		    "\t<sy:updateFrequency>1</sy:updateFrequency>\n"
		    "\t<generator>https://wordpress.org/?v=6.3.2</generator>\n"
		    "\t<image>\n\t\t<url>https://www.site%u.example.com/"
		    "icon-32x32.png</url>\n\t\t<title>Site %u</title>\n"
		    "\t\t<link>https://www.site%u.example.com</link>\n"
		    "\t\t<width>32</width>\n\t\t<height>32</height>\n"
		    "\t</image>\n", g->site, g->site, g->site);
	}
	while (g->b.len < target) {
		if (atom)
			gen_atom_entry(g);
		else
			gen_rss_item(g);
		g->when -= rng_range(g, 600, 4 * 3600);
	}
	gen_put(g, atom ? "</feed>\n" : "</channel>\n</rss>\n");

	d->len = g->b.len;
	d->data = xmalloc(d->len);
	memcpy(d->data, g->b.data, d->len);
}

/*
 * Documents of 30-170 KB, half RSS and half Atom, and one in
 * BENCH_BIG_EVERY of 1-4 MB, until the corpus holds "bytes".
 */
static void
corpus_generate(struct corpus *c, size_t bytes)
{
	struct gen	 g;
	size_t		 cap = 0, target;
	int		 big;

	memset(c, 0, sizeof(*c));
	memset(&g, 0, sizeof(g));
	g.rng = UINT64_C(0x9e3779b97f4a7c15);
	while (c->bytes < bytes) {
		if (c->ndocs == cap) {
			cap = cap ? cap * 2 : 256;
			c->docs = xreallocarray(c->docs, cap, sizeof(*c->docs));
		}
		big = c->ndocs % BENCH_BIG_EVERY == BENCH_BIG_EVERY - 1;
		target = big ? rng_range(&g, 1000000, 4000000) :
		    rng_range(&g, 30000, 170000);
		gen_doc(&g, &c->docs[c->ndocs], (int)(c->ndocs & 1), target);
		c->bytes += c->docs[c->ndocs].len;
		c->nitems += c->docs[c->ndocs].nitems;
		c->natom += c->docs[c->ndocs].atom;
		c->nbig += big;
		c->ndocs++;
	}
	buf_free(&g.b);
}

static void
corpus_free(struct corpus *c)
{
	size_t	i;

	for (i = 0; i < c->ndocs; i++) {
		free(c->docs[i].data);
		free(c->docs[i].published);
	}
	free(c->docs);
	memset(c, 0, sizeof(*c));
}

/* Writes each document to DIR/NNNN-rss.xml or NNNN-atom.xml. */
static int
corpus_dump(const struct corpus *c, const char *dir)
{
	char	 path[4096];
	FILE	*f;
	size_t	 i;

	if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
		fprintf(stderr, "parse: %s: %s\n", dir, strerror(errno));
		return (-1);
	}
	for (i = 0; i < c->ndocs; i++) {
		snprintf(path, sizeof(path), "%s/%04zu-%s.xml", dir, i,
		    c->docs[i].atom ? "atom" : "rss");
		if ((f = fopen(path, "w")) == NULL) {
			fprintf(stderr, "parse: %s: %s\n", path,
			    strerror(errno));
			return (-1);
		}
		if (fwrite(c->docs[i].data, 1, c->docs[i].len, f) !=
		    c->docs[i].len || fclose(f) == EOF) {
			fprintf(stderr, "parse: %s: write failed\n", path);
			return (-1);
		}
	}
	return (0);
}

/* Items streamed out: counted and dropped, as a store would consume them. */
static void
bench_item_cb(struct feed_item *it, void *arg)
{
	size_t	*n = arg;

	(*n)++;
	feed_item_free(it);
}

static void
bench_start_cb(void *arg, const XML_Char *name, const XML_Char **attrs)
{
}

static void
bench_end_cb(void *arg, const XML_Char *name)
{
}

static void
bench_text_cb(void *arg, const XML_Char *s, int len)
{
}

/*
 * What feedd does to let &nbsp; and friends through (parse.c): every
 * document gets an empty external DTD subset.
 */
static int
bench_dtd_cb(XML_Parser xp, const XML_Char *context, const XML_Char *base,
    const XML_Char *system_id, const XML_Char *public_id)
{
	XML_Parser	ext;
	int		ok;

	if (context != NULL)
		return (XML_STATUS_OK);
	if ((ext = XML_ExternalEntityParserCreate(xp, context, "UTF-8")) ==
	    NULL)
		return (XML_STATUS_ERROR);
	ok = XML_Parse(ext, "", 0, 1);
	XML_ParserFree(ext);
	return (ok);
}

/*
 * Bare expat over every document, one parser each as feedd creates one
 * per fetch; "chunk" 0 feeds each document in one final call.
 */
static int
bench_expat(const struct corpus *c, enum kind kind, size_t chunk)
{
	const struct doc	*d;
	XML_Parser		 xp;
	size_t			 i, off, n;
	int			 ok;

	for (i = 0; i < c->ndocs; i++) {
		d = &c->docs[i];
		xp = kind == KIND_EXPAT ? XML_ParserCreate(NULL) :
		    XML_ParserCreateNS(NULL, ' ');
		if (xp == NULL) {
			fprintf(stderr, "parse: cannot create an expat "
			    "parser\n");
			return (-1);
		}
		XML_SetElementHandler(xp, bench_start_cb, bench_end_cb);
		XML_SetCharacterDataHandler(xp, bench_text_cb);
		if (kind == KIND_EXPAT_DTD) {
			XML_UseForeignDTD(xp, XML_TRUE);
			XML_SetParamEntityParsing(xp,
			    XML_PARAM_ENTITY_PARSING_ALWAYS);
			XML_SetExternalEntityRefHandler(xp, bench_dtd_cb);
		}
		if (chunk == 0)
			ok = XML_Parse(xp, d->data, (int)d->len, 1);
		else {
			ok = XML_STATUS_OK;
			for (off = 0; off < d->len && ok == XML_STATUS_OK;
			    off += n) {
				n = d->len - off < chunk ? d->len - off : chunk;
				ok = XML_Parse(xp, d->data + off, (int)n, 0);
			}
			if (ok == XML_STATUS_OK)
				ok = XML_Parse(xp, NULL, 0, 1);
		}
		if (ok != XML_STATUS_OK) {
			/* A generator bug: the corpus must be well-formed. */
			fprintf(stderr, "parse: document %zu: expat: line %lu, "
			    "column %lu: %s\n", i,
			    (unsigned long)XML_GetCurrentLineNumber(xp),
			    (unsigned long)XML_GetCurrentColumnNumber(xp),
			    XML_ErrorString(XML_GetErrorCode(xp)));
			XML_ParserFree(xp);
			return (-1);
		}
		XML_ParserFree(xp);
	}
	return (0);
}

/*
 * The feedd parser over every document; each must give its item count,
 * so a broken parser fails the bench instead of looking fast.
 */
static int
bench_feedd(const struct corpus *c, int cb, size_t chunk)
{
	const struct doc	*d;
	struct parse_opts	 opts;
	struct parser		*p;
	struct feed_doc		*fd;
	char			*cause, base[64];
	size_t			 i, off, n, got;

	for (i = 0; i < c->ndocs; i++) {
		d = &c->docs[i];
		memset(&opts, 0, sizeof(opts));
		snprintf(base, sizeof(base), "https://example.com/%zu", i);
		opts.base = base;
		got = 0;
		if (cb) {
			opts.item_cb = bench_item_cb;
			opts.item_arg = &got;
		}
		if (chunk == 0)
			fd = parse_buffer(d->data, d->len, &opts, &cause);
		else {
			p = parse_new(&opts);
			for (off = 0; off < d->len; off += n) {
				n = d->len - off < chunk ? d->len - off : chunk;
				if (parse_feed(p, d->data + off, n) != 0)
					break;
			}
			fd = parse_finish(p, &cause);
			parse_free(p);
		}
		if (fd == NULL) {
			fprintf(stderr, "parse: document %zu: feedd parser "
			    "failed: %s\n", i, cause != NULL ? cause : "?");
			free(cause);
			return (-1);
		}
		if (!cb)
			got = fd->nitems;
		feed_doc_free(fd);
		if (got != d->nitems) {
			fprintf(stderr, "parse: document %zu: feedd parser "
			    "found %zu items, not %zu\n", i, got, d->nitems);
			return (-1);
		}
	}
	return (0);
}

static int
bench_run(const struct mode *m, const struct corpus *c)
{
	switch (m->kind) {
	case KIND_EXPAT_NS:
	case KIND_EXPAT:
	case KIND_EXPAT_DTD:
		return (bench_expat(c, m->kind, m->chunk));
	case KIND_FEEDD:
		return (bench_feedd(c, 0, m->chunk));
	case KIND_FEEDD_CB:
		return (bench_feedd(c, 1, m->chunk));
	}
	return (-1);
}

/* The mode of kind "kind" fed the same way as "chunk" says. */
static size_t
bench_ref(enum kind kind, size_t chunk)
{
	size_t	m;

	for (m = 0; m < NITEMS(bench_modes); m++)
		if (bench_modes[m].kind == kind &&
		    bench_modes[m].chunk == chunk)
			return (m);
	abort();
}

/*
 * The content pipeline every notifier and "feedctl show" runs on a
 * delivered item (html.c: sanitise, resolve, render with numbered links,
 * 72 columns, as the mail text part), over the content (else summary) of
 * every item of the corpus, against what parsing that item cost
 * ("parse_s": the best whole-document parse, over the items).
 */
static int
bench_content(const struct corpus *c, unsigned long runs, double parse_s)
{
	struct feed_doc		**docs;
	struct parse_opts	  opts;
	const struct feed_item	 *it;
	const char		 *src;
	char			 *cause, *html, *text, base[64];
	double			  t0, best = 0, secs, floor_s = 0;
	size_t			  i, k, bytes = 0, n = 0, out = 0;
	unsigned long		  r;

	docs = xcalloc(c->ndocs, sizeof(*docs));
	for (i = 0; i < c->ndocs; i++) {
		memset(&opts, 0, sizeof(opts));
		snprintf(base, sizeof(base), "https://example.com/%zu", i);
		opts.base = base;
		if ((docs[i] = parse_buffer(c->docs[i].data, c->docs[i].len,
		    &opts, &cause)) == NULL) {
			fprintf(stderr, "parse: document %zu: %s\n", i, cause);
			free(cause);
			return (-1);
		}
	}
	for (r = 0; r < runs; r++) {
		t0 = now();
		bytes = n = out = 0;
		for (i = 0; i < c->ndocs; i++)
			for (k = 0; k < docs[i]->nitems; k++) {
				it = docs[i]->items[k];
				src = it->content != NULL ? it->content :
				    it->summary;
				if (src == NULL)
					continue;
				html_item(it, NULL, 72, &html, &text);
				bytes += strlen(src);
				out += strlen(html) + strlen(text);
				n++;
				free(html);
				free(text);
			}
		secs = now() - t0;
		if (r == 0 || secs < best)
			best = secs;
	}
	/* The floor: gumbo's parse and free alone, on the same HTML. */
	for (r = 0; r < runs; r++) {
		t0 = now();
		for (i = 0; i < c->ndocs; i++)
			for (k = 0; k < docs[i]->nitems; k++) {
				it = docs[i]->items[k];
				src = it->content != NULL ? it->content :
				    it->summary;
				if (src == NULL)
					continue;
				gumbo_destroy_output(&kGumboDefaultOptions,
				    gumbo_parse_with_options(
				    &kGumboDefaultOptions, src, strlen(src)));
			}
		secs = now() - t0;
		if (r == 0 || secs < floor_s)
			floor_s = secs;
	}
	for (i = 0; i < c->ndocs; i++)
		feed_doc_free(docs[i]);
	free(docs);
	if (n == 0 || out == 0)
		return (-1);
	printf("\ncontent pipeline (sanitise + render, html.c), best of %lu: "
	    "%zu items, %.1f MB of HTML (%.0f bytes an item)\n", runs, n,
	    (double)bytes / BENCH_MB, (double)bytes / (double)n);
	printf("  %.1f MB/s; %.1f us an item, %.1f us per 2 KB of HTML; "
	    "parsing cost %.1f us an item\n", (double)bytes / BENCH_MB / best,
	    best / (double)n * 1e6, best / ((double)bytes / 2048) * 1e6,
	    parse_s / (double)c->nitems * 1e6);
	printf("  gumbo's parse alone (the floor): %.1f MB/s, %.1f us an item; "
	    "the pipeline is %.2f of it\n", (double)bytes / BENCH_MB / floor_s,
	    floor_s / (double)n * 1e6, floor_s / best);
	printf("figure: sanitise+render / parse, per item: %.2f "
	    "(target < 1)\n", best / (double)n / (parse_s /
	    (double)c->nitems));
	return (0);
}

/* Whole and chunked parses must agree, field by field. */
static int
verify_str(size_t doc, size_t item, const char *field, const char *a,
    const char *b)
{
	if (a == NULL && b == NULL)
		return (0);
	if (a != NULL && b != NULL && strcmp(a, b) == 0)
		return (0);
	fprintf(stderr, "parse: document %zu, item %zu: %s differs between "
	    "whole and 64 KiB feeding\n", doc, item, field);
	return (-1);
}

/*
 * Checks one document beyond its item count: every field the generator
 * wrote is there, dates are the ones written, and chunked feeding gives
 * the same records as whole.
 */
static int
verify_doc(const struct corpus *c, size_t i)
{
	const struct doc	*d = &c->docs[i];
	struct feed_doc		*w = NULL, *k = NULL;
	struct feed_item	*a, *b;
	struct parser		*p;
	char			*cause;
	size_t			 j, m, off, n, ncat = 0, nenc = 0;
	int			 rc = -1;

	if ((w = parse_buffer(d->data, d->len, NULL, &cause)) == NULL) {
		fprintf(stderr, "parse: document %zu: %s\n", i, cause);
		free(cause);
		goto fail;
	}
	p = parse_new(NULL);
	for (off = 0; off < d->len; off += n) {
		n = d->len - off < BENCH_CHUNK ? d->len - off : BENCH_CHUNK;
		if (parse_feed(p, d->data + off, n) != 0)
			break;
	}
	k = parse_finish(p, &cause);
	parse_free(p);
	if (k == NULL) {
		fprintf(stderr, "parse: document %zu, 64 KiB: %s\n", i, cause);
		free(cause);
		goto fail;
	}
	if (w->format != (d->atom ? FEED_FORMAT_ATOM10 : FEED_FORMAT_RSS20)) {
		fprintf(stderr, "parse: document %zu: format %s\n", i,
		    feed_format_name(w->format));
		goto fail;
	}
	if (w->nwarnings != 0) {
		fprintf(stderr, "parse: document %zu: warning: %s\n", i,
		    w->warnings[0]);
		goto fail;
	}
	if (w->nitems != d->nitems || k->nitems != d->nitems) {
		fprintf(stderr, "parse: document %zu: %zu items whole, %zu in "
		    "64 KiB chunks, not %zu\n", i, w->nitems, k->nitems,
		    d->nitems);
		goto fail;
	}
	for (j = 0; j < w->nitems; j++) {
		a = w->items[j];
		b = k->items[j];
		if (a->guid == NULL || a->title == NULL || a->link == NULL ||
		    a->author == NULL || a->summary == NULL ||
		    a->content == NULL || a->key == NULL) {
			fprintf(stderr, "parse: document %zu, item %zu: a "
			    "field is missing\n", i, j);
			goto fail;
		}
		if (a->published != d->published[j]) {
			fprintf(stderr, "parse: document %zu, item %zu: "
			    "published %" PRId64 ", not %" PRId64 "\n", i, j,
			    a->published, d->published[j]);
			goto fail;
		}
		if (verify_str(i, j, "key", a->key, b->key) != 0 ||
		    verify_str(i, j, "guid", a->guid, b->guid) != 0 ||
		    verify_str(i, j, "title", a->title, b->title) != 0 ||
		    verify_str(i, j, "link", a->link, b->link) != 0 ||
		    verify_str(i, j, "author", a->author, b->author) != 0 ||
		    verify_str(i, j, "summary", a->summary, b->summary) != 0 ||
		    verify_str(i, j, "content", a->content, b->content) != 0)
			goto fail;
		if (a->published != b->published ||
		    a->updated != b->updated ||
		    a->ncategories != b->ncategories ||
		    a->nenclosures != b->nenclosures) {
			fprintf(stderr, "parse: document %zu, item %zu: dates "
			    "or counts differ between whole and 64 KiB\n", i,
			    j);
			goto fail;
		}
		for (m = 0; m < a->ncategories; m++)
			if (verify_str(i, j, "category", a->categories[m],
			    b->categories[m]) != 0)
				goto fail;
		ncat += a->ncategories;
		nenc += a->nenclosures;
	}
	if (ncat != d->ncategories || nenc != d->nenclosures) {
		fprintf(stderr, "parse: document %zu: %zu categories and %zu "
		    "enclosures, not %zu and %zu\n", i, ncat, nenc,
		    d->ncategories, d->nenclosures);
		goto fail;
	}
	rc = 0;
fail:
	feed_doc_free(w);
	feed_doc_free(k);
	return (rc);
}

static int
verify(const struct corpus *c)
{
	size_t	i;

	for (i = 0; i < c->ndocs; i++)
		if (verify_doc(c, i) != 0)
			return (-1);
	return (0);
}

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static void
usage(void)
{
	fprintf(stderr, "usage: parse [--size MB] [--runs N] [--dump DIR]\n"
	    "       parse --file FILE [--runs N]\n");
	exit(2);
}

/* What "feedctl parse" does with each item: JSON into a buffer, out. */
static void
bench_file_item_cb(struct feed_item *it, void *arg)
{
	struct buf	*b = arg;

	buf_addc(b, ',');
	json_feed_item_write(b, it, 0);
	feed_item_free(it);
	if (b->len >= 65536) {
		if (fwrite(b->data, 1, b->len, bench_null) != b->len)
			bench_null_error = 1;
		buf_clear(b);
	}
}

/*
 * One file, in 64 KiB chunks as "feedctl parse" reads it: bare expat
 * (namespaces on, no-op handlers) against the parser writing every item
 * as JSON to /dev/null, each item freed once written.
 */
static int
bench_file(const char *path, unsigned long runs)
{
	struct corpus		 c;
	struct doc		 d;
	struct parse_opts	 opts;
	struct parser		*p;
	struct feed_doc		*fd;
	struct buf		 b = { NULL, 0, 0 };
	struct rusage		 ru;
	double			 t0, ex = 0, fp = 0, s;
	size_t			 off, n, cap = 0;
	unsigned long		 r;
	char			*cause;
	FILE			*f;

	memset(&d, 0, sizeof(d));
	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "parse: %s: %s\n", path, strerror(errno));
		return (1);
	}
	do {
		if (d.len == cap)
			d.data = xreallocarray(d.data, cap = cap ? cap * 2 :
			    1 << 20, 1);
		n = fread(d.data + d.len, 1, cap - d.len, f);
		d.len += n;
	} while (n > 0);
	fclose(f);
	if ((bench_null = fopen("/dev/null", "w")) == NULL)
		return (1);
	c.docs = &d;
	c.ndocs = 1;
	c.bytes = d.len;
	for (r = 0; r < runs; r++) {
		t0 = now();
		if (bench_expat(&c, KIND_EXPAT_NS, BENCH_CHUNK) != 0)
			return (1);
		s = now() - t0;
		ex = r == 0 || s < ex ? s : ex;
		t0 = now();
		memset(&opts, 0, sizeof(opts));
		opts.max_items = SIZE_MAX;
		opts.item_cb = bench_file_item_cb;
		opts.item_arg = &b;
		p = parse_new(&opts);
		for (off = 0; off < d.len; off += n) {
			n = d.len - off < BENCH_CHUNK ? d.len - off :
			    BENCH_CHUNK;
			if (parse_feed(p, d.data + off, n) != 0)
				break;
		}
		fd = parse_finish(p, &cause);
		parse_free(p);
		if (fd == NULL) {
			fprintf(stderr, "parse: %s: %s\n", path, cause);
			return (1);
		}
		feed_doc_free(fd);
		fwrite(b.data, 1, b.len, bench_null);
		buf_clear(&b);
		s = now() - t0;
		fp = r == 0 || s < fp ? s : fp;
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("%s: %.1f MB, best of %lu runs, 64 KiB chunks\n", path,
	    (double)d.len / BENCH_MB, runs);
	printf("bare expat, ns:            %8.1f MB/s\n",
	    (double)d.len / BENCH_MB / ex);
	printf("feedd parser + item JSON:  %8.1f MB/s  (%.2f of bare "
	    "expat)\n", (double)d.len / BENCH_MB / fp, ex / fp);
	printf("peak RSS: %.1f MB (the file is %.1f MB of it)\n",
	    (double)ru.ru_maxrss * 1024 / BENCH_MB, (double)d.len / BENCH_MB);
	buf_free(&b);
	free(d.data);
	fclose(bench_null);
	return (bench_null_error);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "runs", required_argument, NULL, 'r' },
		{ "dump", required_argument, NULL, 'd' },
		{ "file", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	double		 secs[NITEMS(bench_modes)][BENCH_MAX_RUNS];
	double		 best[NITEMS(bench_modes)];
	double		 med[NITEMS(bench_modes)];
	double		 t0, mbs;
	struct corpus	 c;
	struct rusage	 ru;
	const char	*dump = NULL, *file = NULL;
	char		*end;
	unsigned long	 size_mb = BENCH_DEFAULT_MB;
	unsigned long	 runs = BENCH_DEFAULT_RUNS;
	size_t		 m, r, chunk;
	int		 ch;

	while ((ch = getopt_long(argc, argv, "s:r:d:f:h", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 's':
			errno = 0;
			size_mb = strtoul(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || size_mb == 0 ||
			    size_mb > 4096)
				usage();
			break;
		case 'r':
			errno = 0;
			runs = strtoul(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || runs == 0 ||
			    runs > BENCH_MAX_RUNS)
				usage();
			break;
		case 'd':
			dump = optarg;
			break;
		case 'f':
			file = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (file != NULL)
		return (bench_file(file, runs));

	t0 = now();
	corpus_generate(&c, (size_t)size_mb * 1000000);
	printf("corpus: %zu bytes (%.1f MB) in %zu documents (%zu RSS 2.0, "
	    "%zu Atom 1.0; %zu of 1-4 MB), %zu items; generated in %.2f s\n",
	    c.bytes, (double)c.bytes / BENCH_MB, c.ndocs, c.ndocs - c.natom,
	    c.natom, c.nbig, c.nitems, now() - t0);
	if (dump != NULL) {
		if (corpus_dump(&c, dump) != 0)
			return (1);
		printf("corpus: written to %s/\n", dump);
	}

	t0 = now();
	if (verify(&c) != 0) {
		fprintf(stderr, "parse: the feedd parser failed the "
		    "correctness check\n");
		return (1);
	}
	printf("check: every document gives its items, fields and dates, "
	    "the same whole and in 64 KiB chunks (%.2f s)\n", now() - t0);
	printf("%s; one parser per document; MB/s = 10^6 bytes/s, best and "
	    "median of %lu runs;\nitems/s and the ratios (speed over that of "
	    "bare expat fed the same way) use the best\n\n",
	    XML_ExpatVersion(), runs);

	/* Round-robin, so a slow spell of the machine hits every mode. */
	for (r = 0; r < runs; r++) {
		for (m = 0; m < NITEMS(bench_modes); m++) {
			t0 = now();
			if (bench_run(&bench_modes[m], &c) != 0)
				return (1);
			secs[m][r] = now() - t0;
		}
	}
	for (m = 0; m < NITEMS(bench_modes); m++) {
		qsort(secs[m], runs, sizeof(double), cmp_double);
		best[m] = secs[m][0];
		med[m] = secs[m][runs / 2];
	}

	printf("%-27s %8s %8s %10s %9s %9s\n", "mode", "MB/s", "median",
	    "items/s", "/expat-ns", "/expat");
	for (m = 0; m < NITEMS(bench_modes); m++) {
		mbs = (double)c.bytes / BENCH_MB / best[m];
		printf("%-27s %8.1f %8.1f %10.0f", bench_modes[m].name, mbs,
		    (double)c.bytes / BENCH_MB / med[m],
		    (double)c.nitems / best[m]);
		if (bench_modes[m].kind == KIND_EXPAT_NS ||
		    bench_modes[m].kind == KIND_EXPAT) {
			printf(" %9s %9s\n", "-", "-");
			continue;
		}
		/* Against bare expat fed the same way. */
		chunk = bench_modes[m].chunk;
		printf(" %9.2f %9.2f\n",
		    best[bench_ref(KIND_EXPAT_NS, chunk)] / best[m],
		    best[bench_ref(KIND_EXPAT, chunk)] / best[m]);
	}

	printf("\nfigure: feedd / bare expat (ns): whole %.2f, 64 KiB %.2f "
	    "(target >= 0.80)\n",
	    best[bench_ref(KIND_EXPAT_NS, 0)] / best[bench_ref(KIND_FEEDD, 0)],
	    best[bench_ref(KIND_EXPAT_NS, BENCH_CHUNK)] /
	    best[bench_ref(KIND_FEEDD, BENCH_CHUNK)]);
	if (bench_content(&c, runs, best[bench_ref(KIND_FEEDD, 0)]) != 0) {
		fprintf(stderr, "parse: the content pipeline gave nothing\n");
		return (1);
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("peak RSS: %.1f MB (the corpus is %.1f MB of it)\n",
	    (double)ru.ru_maxrss * 1024 / BENCH_MB,
	    (double)c.bytes / BENCH_MB);
	corpus_free(&c);
	return (0);
}
