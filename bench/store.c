/*
 * store.c: the store's write path against its physical limit.  Polls of
 * 50 new items go through store_apply_poll() (the path feedd takes: key
 * lookups, tombstones, the GUID-storm check, story links, outbox rows,
 * the change log the full-text index follows, feed state, one
 * transaction per poll) into one
 * database, and the same rows go through a bare prepared INSERT, 50 to
 * a transaction, into a second database of the same schema.  The bare
 * loop is what any store on this schema costs at least, so the figure
 * that matters is the ratio feedd / bare.  The full-text index is built
 * after the fill, as feedd's indexer does after commits, and timed on
 * its own (store_index_update).  Then unchanged documents are
 * applied again (every key known), cursor pages and searches are timed
 * at full size, and the database is weighed.
 *
 * The items are generated from a fixed seed (the same rows on every
 * machine), one chunk of polls at a time, outside the clocks.  Words
 * follow a Zipf law over a large vocabulary, as prose does, so that the
 * full-text index has a realistic size and shape.
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
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "dedup.h"
#include "item.h"
#include "store-int.h"
#include "store.h"
#include "url.h"
#include "xmalloc.h"
#include "stats.h"

#define BENCH_DEFAULT_ITEMS	1000000
#define BENCH_DEFAULT_FEEDS	1000
#define BENCH_MAX_ITEMS		100000000
#define BENCH_POLL		50	/* items per poll, all new */
#define BENCH_CHUNK		100	/* polls per turn of each path */
#define BENCH_REAPPLY		20000	/* or a tenth of the items */
#define REAPPLY_NEWEST		0	/* the newest polls */
#define REAPPLY_SPREAD		1	/* spread over the run */
#define BENCH_PAGES		2000
#define BENCH_PAGE		100
#define BENCH_SEARCHES		100	/* of each kind */
#define BENCH_SEARCH_LIMIT	20
#define BENCH_COMMON		100	/* the "common word" searches */
#define BENCH_SAMPLE		997	/* every Nth row is compared */
#define BENCH_FTS_WORDS		20	/* words counted in both indexes */
#define BENCH_INDEX_PASS	10000	/* daemon/indexer.c's pass */
#define BENCH_EPOCH		INT64_C(1700000000)	/* 2023-11-14 */
#define BENCH_MS		1000.0

/* The vocabulary: real words at the head, made-up ones in the tail. */
#define VOCAB_TAIL		30000
#define VOCAB_ZIPF_BITS		20	/* 2^20 slots */

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* The generator's state: one PRNG, reseeded per item. */
struct gen {
	struct buf	 b;
	uint64_t	 rng;
};

/* An item as the bare loop binds it: what the store would compute. */
struct row {
	char		*canon;
	int64_t		 hash;
	char		*cats;
	char		*encs;
};

/* Seconds per poll, one entry per poll, and their sum. */
struct timing {
	double		*secs;
	size_t		 n;
	double		 total;
};

struct bench {
	size_t		 nitems;
	size_t		 nfeeds;
	size_t		 npolls;
	char		*dir;
	char		*path_a;	/* store_apply_poll() */
	char		*path_b;	/* bare INSERT */
	struct store	*store;
	struct store	*bare_store;	/* path B's, to index and search it */
	int64_t		*feeds;		/* the same in both */
	sqlite3		*db;		/* the bare connection */
	sqlite3_stmt	*begin;
	sqlite3_stmt	*commit;
	sqlite3_stmt	*insert;
	struct timing	 a;
	struct timing	 b;
	struct timing	 re[2];		/* REAPPLY_* */
	size_t		 nre;		/* re-applied, per kind */
	size_t		 bytes;		/* of text generated */
	int64_t		 last_id;	/* the newest id of path A */
};

/*
 * The 150 most frequent words, in order: the Zipf head.  Frequency rank
 * is index order, so "the" is the commonest word of every text.
 */
static const char *const vocab_head[] = {
	"the", "of", "and", "to", "in", "a", "is", "that", "for", "it",
	"as", "was", "with", "be", "by", "on", "not", "he", "this", "are",
	"or", "his", "from", "at", "which", "but", "have", "an", "had",
	"they", "you", "were", "their", "one", "all", "we", "can", "her",
	"has", "there", "been", "if", "more", "when", "will", "would", "who",
	"so", "no", "new", "about", "year", "said", "also", "after", "first",
	"people", "time", "two", "could", "over", "into", "than", "out",
	"up", "its", "other", "some", "what", "only", "most", "city", "state",
	"last", "world", "may", "government", "report", "week", "company",
	"release", "system", "support", "project", "version", "data",
	"service", "team", "market", "public", "change", "security", "users",
	"network", "school", "council", "season", "energy", "health",
	"kernel", "server", "update", "program", "research", "policy",
	"river", "budget", "election", "weather", "museum", "festival",
	"player", "coach", "music", "film", "book", "coffee", "garden",
	"bridge", "village", "island", "harbour", "library", "package",
	"driver", "memory", "latency", "compiler", "patch", "review",
	"storage", "cluster", "container", "protocol", "database", "thread",
	"socket", "buffer", "parser", "window", "journey", "mountain",
	"winter", "summer", "morning", "evening", "carefully", "finally",
	"coast", "street",
};

static const char *const gen_onsets[] = {
	"b", "c", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t",
	"v", "z", "br", "ch", "dr", "gl", "pl", "st", "tr",
};
static const char *const gen_vowels[] = { "a", "e", "i", "o", "u", "ei" };

static const char *const gen_people[] = {
	"Alice Martin", "Bob Nakamura", "Chlo\xc3\xa9 Dubois", "Dmitri Volkov",
	"Emma O'Brien", "Farid Haddad", "Grace Kim", "Hugo Sch\303\244fer",
	"Ingrid Larsen", "Jo\xc3\xa3o Silva", "Kwame Mensah",
	"Lena M\xc3\xbcller", "Mei Chen", "Noah Williams", "Olga Petrova",
	"Priya Natarajan",
};

static const char *const gen_categories[] = {
	"Technology", "Linux", "Open Source", "Programming", "Security",
	"Networking", "Databases", "Cloud", "Hardware", "Science", "Space",
	"Politics", "Local News", "Sports", "Football", "Food", "Recipes",
	"Travel", "Music", "Film", "Books", "Education", "Health",
	"Climate", "Business", "Economy", "Culture", "History", "Photography",
	"Podcast",
};

static const char *const gen_entities[] = {
	"&amp;", "&#8212;", "&mdash;", "&nbsp;", "&#8217;", "&hellip;",
};

/* Filled once by vocab_init(), read-only afterwards. */
static char		**vocab;
static size_t		  nvocab;
static uint16_t		 *vocab_zipf;	/* a slot to a word rank */

static uint64_t	rng_next(struct gen *);
static unsigned int rng_range(struct gen *, unsigned int, unsigned int);
static void	rng_seed(struct gen *, uint64_t);
static void	vocab_init(void);
static void	vocab_free(void);
static const char *vocab_word(struct gen *);
static void	gen_printf(struct gen *, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));
static void	gen_word(struct gen *, int);
static void	gen_sentence(struct gen *, int);
static void	gen_paragraphs(struct gen *, size_t);
static char	*gen_take(struct gen *);
static struct feed_item *gen_item(struct gen *, size_t, size_t, size_t);
static struct feed_doc *gen_doc(struct gen *, struct bench *, size_t);
static size_t	gen_item_bytes(const struct feed_item *);
static void	row_make(struct row *, const struct feed_item *);
static void	row_clear(struct row *);
static int	bench_route_cb(const struct store_route *, store_route_add,
		    void *, void *);
static int	bench_prepare(sqlite3 *, const char *, sqlite3_stmt **);
static int	bench_open(struct bench *);
static int	bench_poll(struct bench *, size_t, const struct feed_doc *,
		    struct timing *, int);
static int	bench_bare(struct bench *, size_t, const struct feed_doc *);
static int	bench_fill(struct bench *);
static int	bench_reapply(struct bench *, int);
static int	bench_index(struct bench *);
static int64_t	bench_matches(struct store *, const char *);
static int	bench_compare(struct bench *);
static int	bench_pages(struct bench *, double *, size_t);
static int	bench_searches(struct bench *, double *, size_t, size_t,
		    double *);
static void	bench_sizes(struct bench *);
static void	bench_cleanup(struct bench *, int);
static void	timing_add(struct timing *, double);
static double	timing_rate(const struct timing *, size_t, size_t, size_t);
static double	pct(const double *, size_t, double);
static double	now(void);
static off_t	file_size(const char *, const char *);
static void	usage(void) __attribute__((__noreturn__));

/* xorshift64*: fixed seeds, so every machine writes the same rows. */
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

/*
 * Seeds from a serial number through splitmix64, so item N is the same
 * whether it is written, rewritten for the bare loop or re-applied.
 */
static void
rng_seed(struct gen *g, uint64_t serial)
{
	uint64_t	z = serial * UINT64_C(0x9e3779b97f4a7c15) +
			    UINT64_C(0x632be59bd9b4e019);

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	z ^= z >> 31;
	g->rng = z != 0 ? z : 1;
}

/*
 * The head words, then made-up words of two or three syllables, ranked
 * in that order; Zipf's law (s = 1) gives rank r the weight 1/r.  The
 * table maps 2^20 equal slices of [0, 1) to ranks, so drawing a word is
 * one lookup.
 */
static void
vocab_init(void)
{
	struct buf	 b = { NULL, 0, 0 };
	double		 total = 0, cum = 0, at;
	size_t		 i, r, slots = (size_t)1 << VOCAB_ZIPF_BITS;
	size_t		 no = NITEMS(gen_onsets), nv = NITEMS(gen_vowels);
	size_t		 t, k, nsyl;

	nvocab = NITEMS(vocab_head) + VOCAB_TAIL;
	vocab = xcalloc(nvocab, sizeof(*vocab));
	for (i = 0; i < NITEMS(vocab_head); i++)
		vocab[i] = xstrdup(vocab_head[i]);
	for (i = 0; i < VOCAB_TAIL; i++) {
		/* Syllable digits of i; two syllables cover no*nv squared. */
		t = i;
		nsyl = t < no * nv * no * nv ? 2 : 3;
		if (nsyl == 3)
			t -= no * nv * no * nv;
		buf_clear(&b);
		for (k = 0; k < nsyl; k++) {
			buf_adds(&b, gen_onsets[t % no]);
			t /= no;
			buf_adds(&b, gen_vowels[t % nv]);
			t /= nv;
		}
		/* A closing consonant keeps them from reading as the head. */
		buf_adds(&b, (i & 1) ? "n" : "r");
		vocab[NITEMS(vocab_head) + i] = buf_strdup(&b);
	}
	buf_free(&b);

	for (r = 0; r < nvocab; r++)
		total += 1.0 / (double)(r + 1);
	vocab_zipf = xcalloc(slots, sizeof(*vocab_zipf));
	r = 0;
	cum = 1.0 / total;
	for (i = 0; i < slots; i++) {
		at = ((double)i + 0.5) / (double)slots;
		while (cum < at && r + 1 < nvocab) {
			r++;
			cum += 1.0 / (double)(r + 1) / total;
		}
		vocab_zipf[i] = (uint16_t)r;
	}
}

static void
vocab_free(void)
{
	size_t	i;

	for (i = 0; i < nvocab; i++)
		free(vocab[i]);
	free(vocab);
	free(vocab_zipf);
}

static const char *
vocab_word(struct gen *g)
{
	return (vocab[vocab_zipf[rng_next(g) >> (64 - VOCAB_ZIPF_BITS)]]);
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

static void
gen_word(struct gen *g, int capital)
{
	const char	*w = vocab_word(g);

	if (capital && *w >= 'a' && *w <= 'z') {
		buf_addc(&g->b, (char)(*w - 'a' + 'A'));
		w++;
	}
	buf_adds(&g->b, w);
}

/* 6-20 words; with "html", now and then a link, emphasis or entity. */
static void
gen_sentence(struct gen *g, int html)
{
	unsigned int	i, n = rng_range(g, 6, 20), r;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(&g->b, ' ');
		r = html ? (unsigned int)(rng_next(g) % 100) : 99;
		if (r < 2) {
			gen_printf(g, "<a href=\"https://ref%u.example/%u/",
			    rng_range(g, 0, 499), rng_range(g, 1, 99999));
			gen_word(g, 0);
			buf_adds(&g->b, "\">");
			gen_word(g, 0);
			buf_addc(&g->b, ' ');
			gen_word(g, 0);
			buf_adds(&g->b, "</a>");
		} else if (r < 5) {
			buf_adds(&g->b, r < 4 ? "<em>" : "<strong>");
			gen_word(g, 0);
			buf_adds(&g->b, r < 4 ? "</em>" : "</strong>");
		} else if (r < 7) {
			buf_adds(&g->b, gen_entities[rng_next(g) %
			    NITEMS(gen_entities)]);
			buf_addc(&g->b, ' ');
			gen_word(g, 0);
		} else
			gen_word(g, i == 0);
	}
	buf_adds(&g->b, (rng_next(g) % 8) == 0 ? "?" : ".");
}

/* At least "want" bytes of paragraphs, now and then a list or quote. */
static void
gen_paragraphs(struct gen *g, size_t want)
{
	size_t		start = g->b.len;
	unsigned int	i, n, r;

	while (g->b.len - start < want) {
		r = (unsigned int)(rng_next(g) % 100);
		if (r < 8) {
			buf_adds(&g->b, "<ul>");
			n = rng_range(g, 2, 4);
			for (i = 0; i < n; i++) {
				buf_adds(&g->b, "<li>");
				gen_sentence(g, 1);
				buf_adds(&g->b, "</li>");
			}
			buf_adds(&g->b, "</ul>\n");
		} else if (r < 14) {
			buf_adds(&g->b, "<blockquote><p>");
			gen_sentence(g, 1);
			buf_adds(&g->b, "</p></blockquote>\n");
		} else {
			buf_adds(&g->b, "<p>");
			n = rng_range(g, 2, 5);
			for (i = 0; i < n; i++) {
				if (i > 0)
					buf_addc(&g->b, ' ');
				gen_sentence(g, 1);
			}
			buf_adds(&g->b, "</p>\n");
		}
	}
}

/* The buffer's text as a string of its own; the buffer is reused. */
static char *
gen_take(struct gen *g)
{
	char	*s;

	s = buf_strdup(&g->b);
	buf_clear(&g->b);
	return (s);
}

/*
 * Item "serial" (corpus-wide), the "n"th of feed "feed": the fields a
 * WordPress-like RSS item parses to.  GUIDs come in the three shapes
 * feeds use: the permalink, a tag: URI and a urn:uuid.
 */
static struct feed_item *
gen_item(struct gen *g, size_t serial, size_t feed, size_t n)
{
	struct feed_item	*it;
	unsigned int		 i, nwords, ncat, pick, used = 0;
	size_t			 want;
	uint64_t		 u;

	rng_seed(g, serial);
	it = feed_item_new();
	gen_printf(g, "https://news.example/%zu/%zu", feed, n);
	it->link = gen_take(g);
	switch (feed % 3) {
	case 0:
		it->guid = xstrdup(it->link);
		break;
	case 1:
		gen_printf(g, "tag:news.example,2023:%zu/%zu", feed, n);
		it->guid = gen_take(g);
		break;
	default:
		u = rng_next(g);
		gen_printf(g, "urn:uuid:%08x-%04x-4%03x-a%03x-%012" PRIx64,
		    (unsigned int)(u >> 32), (unsigned int)(u >> 16) & 0xffff,
		    (unsigned int)u & 0xfff, (unsigned int)(serial & 0xfff),
		    (uint64_t)serial);
		it->guid = gen_take(g);
		break;
	}
	nwords = rng_range(g, 6, 12);
	for (i = 0; i < nwords; i++) {
		if (i > 0)
			buf_addc(&g->b, ' ');
		gen_word(g, i == 0);
	}
	it->title = gen_take(g);
	it->author = xstrdup(gen_people[rng_next(g) % NITEMS(gen_people)]);
	it->published = BENCH_EPOCH - 86400 * 365 + (int64_t)serial * 20;
	if (rng_next(g) % 4 == 0)
		it->updated = it->published + rng_range(g, 60, 86400);

	want = rng_range(g, 240, 340);
	buf_adds(&g->b, "<p>");
	while (g->b.len < want) {
		if (g->b.len > 3)
			buf_addc(&g->b, ' ');
		gen_sentence(g, 1);
	}
	buf_adds(&g->b, "</p>");
	it->summary = gen_take(g);
	gen_paragraphs(g, rng_range(g, 1200, 1800));
	it->content = gen_take(g);

	ncat = rng_range(g, 2, 3);
	for (i = 0; i < ncat; i++) {
		do
			pick = (unsigned int)(rng_next(g) %
			    NITEMS(gen_categories));
		while (used & (1U << pick));
		used |= 1U << pick;
		feed_item_add_category(it, gen_categories[pick]);
	}
	if (rng_next(g) % 8 == 0) {
		gen_printf(g, "https://media.example/%zu/%zu.mp3", feed, n);
		feed_item_add_enclosure(it, g->b.data, "audio/mpeg",
		    (int64_t)rng_range(g, 1000000, 90000000));
		buf_clear(&g->b);
	}
	it->key = feed_item_key(it, NULL);
	return (it);
}

/*
 * Poll "p": 50 new items of feed p mod F, round-robin, so every feed
 * gets a document of fresh items in turn.
 */
static struct feed_doc *
gen_doc(struct gen *g, struct bench *bn, size_t p)
{
	struct feed_doc	*doc;
	size_t		 feed = p % bn->nfeeds, round = p / bn->nfeeds, k;

	doc = feed_doc_new();
	doc->format = FEED_FORMAT_RSS20;
	gen_printf(g, "News from site %zu", feed);
	doc->title = gen_take(g);
	gen_printf(g, "https://news.example/%zu/", feed);
	doc->link = gen_take(g);
	for (k = 0; k < BENCH_POLL; k++)
		feed_doc_add_item(doc, gen_item(g, p * BENCH_POLL + k, feed,
		    round * BENCH_POLL + k));
	return (doc);
}

static size_t
gen_item_bytes(const struct feed_item *it)
{
	size_t	n = 0, i;

	n += strlen(it->guid) + strlen(it->title) + strlen(it->link) +
	    strlen(it->author) + strlen(it->summary) + strlen(it->content);
	for (i = 0; i < it->ncategories; i++)
		n += strlen(it->categories[i]);
	for (i = 0; i < it->nenclosures; i++)
		n += strlen(it->enclosures[i].url) +
		    strlen(it->enclosures[i].type);
	return (n);
}

/* Everything the bare loop binds that is not a field of the item. */
static void
row_make(struct row *r, const struct feed_item *it)
{
	r->canon = url_canonical(it->link);
	r->hash = dedup_hash(it);
	r->cats = store_col_categories(it);
	r->encs = store_col_enclosures(it);
}

static void
row_clear(struct row *r)
{
	free(r->canon);
	free(r->cats);
	free(r->encs);
	memset(r, 0, sizeof(*r));
}

/* One notifier that wants everything: every new item gets an outbox row. */
static int
bench_route_cb(const struct store_route *rt, store_route_add add, void *ctx,
    void *arg)
{
	return (add(ctx, "bench"));
}

static int
bench_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
	    NULL) != SQLITE_OK) {
		fprintf(stderr, "store: %s: %s\n", sql, sqlite3_errmsg(db));
		return (-1);
	}
	return (0);
}

/*
 * Both files get their schema and feeds from store_open(); the bare one
 * is then closed and reopened on a connection of our own, with the
 * store's pragmas.
 */
static int
bench_open(struct bench *bn)
{
	struct store_feed_conf	 conf;
	struct store		*sb;
	char			*cause = NULL, url[128];
	int64_t			 id;
	size_t			 f;

	if ((bn->store = store_open(bn->path_a, &cause)) == NULL)
		goto fail;
	if ((sb = store_open(bn->path_b, &cause)) == NULL)
		goto fail;
	bn->feeds = xcalloc(bn->nfeeds, sizeof(*bn->feeds));
	memset(&conf, 0, sizeof(conf));
	conf.url = url;
	conf.interval = -1;
	conf.enabled = 1;
	conf.origin = STORE_ORIGIN_CONFIG;
	for (f = 0; f < bn->nfeeds; f++) {
		snprintf(url, sizeof(url), "https://news.example/%zu/feed", f);
		if (store_feed_add(bn->store, &conf, &bn->feeds[f],
		    &cause) != 0 || store_feed_add(sb, &conf, &id,
		    &cause) != 0) {
			store_close(sb);
			goto fail;
		}
		if (id != bn->feeds[f]) {
			fprintf(stderr, "store: feed %zu has id %" PRId64
			    " in one file and %" PRId64 " in the other\n", f,
			    bn->feeds[f], id);
			store_close(sb);
			return (-1);
		}
	}
	store_close(sb);
	store_set_router(bn->store, bench_route_cb, NULL);

	if (sqlite3_open_v2(bn->path_b, &bn->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		goto sqlfail;
	if (sqlite3_exec(bn->db, "PRAGMA journal_mode = WAL; "
	    "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; "
	    "PRAGMA temp_store = MEMORY", NULL, NULL, NULL) != SQLITE_OK)
		goto sqlfail;
	if (bench_prepare(bn->db, "BEGIN IMMEDIATE", &bn->begin) != 0 ||
	    bench_prepare(bn->db, "COMMIT", &bn->commit) != 0 ||
	    bench_prepare(bn->db, "INSERT INTO items (feed_id, key, hash, "
	    "canon, story, repeat, guid, title, link, author, published, "
	    "updated, summary, content, categories, enclosures, fetched) "
	    "VALUES (?1, ?2, ?3, ?4, NULL, 0, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
	    "?12, ?13, ?14, ?15)", &bn->insert) != 0)
		return (-1);
	return (0);
sqlfail:
	fprintf(stderr, "store: %s: %s\n", bn->path_b, bn->db != NULL ?
	    sqlite3_errmsg(bn->db) : "cannot open");
	return (-1);
fail:
	fprintf(stderr, "store: %s\n", cause != NULL ? cause : "failed");
	free(cause);
	return (-1);
}

/*
 * Path A: poll "p" through store_apply_poll().  New polls must give 50
 * new ids, increasing and above every earlier one; a re-applied poll
 * must give none, and find every item known and unchanged.
 */
static int
bench_poll(struct bench *bn, size_t p, const struct feed_doc *doc,
    struct timing *t, int again)
{
	struct store_poll		 poll;
	struct store_poll_result	 r;
	struct store_prep		*prep;
	char				*cause = NULL;
	double				 t0, t1;
	size_t				 k;
	int				 bad = 0;

	memset(&poll, 0, sizeof(poll));
	/* feedd's loop makes these as a fetch ends, off the writer. */
	prep = store_prep_new(doc);
	poll.prep = prep;
	poll.now = BENCH_EPOCH + (int64_t)p + (again ? (int64_t)bn->npolls :
	    0);
	poll.doc = doc;
	poll.http_status = 200;
	poll.etag = "\"bench\"";
	poll.next_poll = poll.now + 1800;
	poll.next_poll_reason = "interval";
	poll.retry_after = DATE_NONE;

	t0 = now();
	if (store_apply_poll(bn->store, bn->feeds[p % bn->nfeeds], &poll, &r,
	    &cause) != 0) {
		fprintf(stderr, "store: poll %zu: %s\n", p, cause);
		free(cause);
		store_prep_free(prep);
		return (-1);
	}
	t1 = now();
	timing_add(t, t1 - t0);
	store_prep_free(prep);

	if (again)
		bad = r.nids != 0 || r.nknown != doc->nitems ||
		    r.nupdated != 0 || r.storm;
	else {
		bad = r.nids != doc->nitems || r.nknown != 0 ||
		    r.nupdated != 0 || r.storm;
		for (k = 0; !bad && k < r.nids; k++) {
			if (r.ids[k] <= bn->last_id)
				bad = 1;
			bn->last_id = r.ids[k];
		}
	}
	if (bad)
		fprintf(stderr, "store: poll %zu%s of %zu items gave %zu new, "
		    "%zu updated, %zu known%s\n", p, again ? " (again)" : "",
		    doc->nitems, r.nids, r.nupdated, r.nknown,
		    r.storm ? ", a GUID storm" : "");
	store_poll_result_clear(&r);
	return (bad ? -1 : 0);
}

/*
 * Path B: the same rows, one transaction per poll, through one prepared
 * INSERT.  Canonical links, hashes and JSON lists are made before the
 * clock starts: the bare loop does only what the database must.
 */
static int
bench_bare(struct bench *bn, size_t p, const struct feed_doc *doc)
{
	struct row		 rows[BENCH_POLL];
	const struct feed_item	*it;
	sqlite3_stmt		*st = bn->insert;
	int64_t			 fetched = BENCH_EPOCH + (int64_t)p;
	double			 t0;
	size_t			 k;
	int			 rc = -1;

	for (k = 0; k < doc->nitems; k++)
		row_make(&rows[k], doc->items[k]);

	t0 = now();
	if (sqlite3_step(bn->begin) != SQLITE_DONE)
		goto done;
	sqlite3_reset(bn->begin);
	for (k = 0; k < doc->nitems; k++) {
		it = doc->items[k];
		sqlite3_bind_int64(st, 1, bn->feeds[p % bn->nfeeds]);
		sqlite3_bind_text(st, 2, it->key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, rows[k].hash);
		sqlite3_bind_text(st, 4, rows[k].canon, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, it->guid, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, it->title, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, it->link, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 8, it->author, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 9, it->published);
		if (it->updated == DATE_NONE)
			sqlite3_bind_null(st, 10);
		else
			sqlite3_bind_int64(st, 10, it->updated);
		sqlite3_bind_text(st, 11, it->summary, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 12, it->content, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 13, rows[k].cats, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 14, rows[k].encs, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 15, fetched);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto done;
		sqlite3_reset(st);
	}
	if (sqlite3_step(bn->commit) != SQLITE_DONE)
		goto done;
	sqlite3_reset(bn->commit);
	timing_add(&bn->b, now() - t0);
	rc = 0;
done:
	if (rc != 0) {
		fprintf(stderr, "store: bare poll %zu: %s\n", p,
		    sqlite3_errmsg(bn->db));
		sqlite3_reset(st);
		sqlite3_exec(bn->db, "ROLLBACK", NULL, NULL, NULL);
	}
	for (k = 0; k < doc->nitems; k++)
		row_clear(&rows[k]);
	return (rc);
}

/*
 * Fills both files to N items.  The paths take turns, a chunk of 100
 * polls each, so a slow spell of the machine or a growing file costs
 * both alike; each chunk is generated once and written to both.
 */
static int
bench_fill(struct bench *bn)
{
	struct gen	  g;
	struct feed_doc	**docs;
	size_t		  p, c, n, k, tenth;

	memset(&g, 0, sizeof(g));
	docs = xcalloc(BENCH_CHUNK, sizeof(*docs));
	tenth = bn->npolls / 10 > 0 ? bn->npolls / 10 : 1;
	for (p = 0; p < bn->npolls; p += n) {
		n = bn->npolls - p < BENCH_CHUNK ? bn->npolls - p :
		    BENCH_CHUNK;
		for (c = 0; c < n; c++) {
			docs[c] = gen_doc(&g, bn, p + c);
			for (k = 0; k < docs[c]->nitems; k++)
				bn->bytes += gen_item_bytes(docs[c]->items[k]);
		}
		for (c = 0; c < n; c++)
			if (bench_poll(bn, p + c, docs[c], &bn->a, 0) != 0)
				goto fail;
		for (c = 0; c < n; c++)
			if (bench_bare(bn, p + c, docs[c]) != 0)
				goto fail;
		for (c = 0; c < n; c++) {
			feed_doc_free(docs[c]);
			docs[c] = NULL;
		}
		if ((p + n) / tenth != p / tenth)
			fprintf(stderr, "store: %zu items: feedd %.0f/s, "
			    "bare %.0f/s\n", (p + n) * BENCH_POLL,
			    (double)(p + n) * BENCH_POLL / bn->a.total,
			    (double)(p + n) * BENCH_POLL / bn->b.total);
	}
	free(docs);
	buf_free(&g.b);
	return (0);
fail:
	for (c = 0; c < BENCH_CHUNK; c++)
		feed_doc_free(docs[c]);
	free(docs);
	buf_free(&g.b);
	return (-1);
}

/*
 * Unchanged documents again.  REAPPLY_NEWEST takes the newest polls,
 * which with 1000 feeds are the current documents of 400 feeds: what a
 * re-poll that finds nothing new hands the store.  REAPPLY_SPREAD takes
 * polls spread evenly over the whole run, so the key lookups reach old,
 * likely uncached, parts of the file.
 */
static int
bench_reapply(struct bench *bn, int kind)
{
	struct gen	 g;
	struct feed_doc	*doc;
	size_t		 want, npolls, i, p;

	want = bn->nitems / 10 < BENCH_REAPPLY ? bn->nitems / 10 :
	    BENCH_REAPPLY;
	npolls = want / BENCH_POLL > 0 ? want / BENCH_POLL : 1;
	memset(&g, 0, sizeof(g));
	bn->nre = 0;
	for (i = 0; i < npolls; i++) {
		if (kind == REAPPLY_NEWEST)
			p = bn->npolls - npolls + i;
		else
			p = i * bn->npolls / npolls;
		doc = gen_doc(&g, bn, p);
		if (bench_poll(bn, p, doc, &bn->re[kind], 1) != 0) {
			feed_doc_free(doc);
			buf_free(&g.b);
			return (-1);
		}
		bn->nre += doc->nitems;
		feed_doc_free(doc);
	}
	buf_free(&g.b);
	return (0);
}

/*
 * The full-text index of each file, as feedd's indexer builds it after
 * the commits (in passes of BENCH_INDEX_PASS items, as its
 * INDEXER_PASS_MAX): the feedd file's is timed.
 */
static int
bench_index(struct bench *bn)
{
	char	*cause = NULL;
	double	 t0, secs;
	int	 more;

	t0 = now();
	do {
		if (store_index_update(bn->store, BENCH_INDEX_PASS, &more,
		    &cause) != 0)
			goto fail;
	} while (more);
	secs = now() - t0;
	if ((bn->bare_store = store_open(bn->path_b, &cause)) == NULL)
		goto fail;
	do {
		if (store_index_update(bn->bare_store, BENCH_INDEX_PASS, &more,
		    &cause) != 0)
			goto fail;
	} while (more);
	printf("full-text index, built afterwards (store_index_update): "
	    "%.1f s, %.0f items/s, %.1f MB/s of generated text\n", secs,
	    (double)bn->nitems / secs, (double)bn->bytes / secs / 1e6);
	return (0);
fail:
	fprintf(stderr, "store: indexing: %s\n", cause);
	free(cause);
	return (-1);
}

/* How many items a search finds (the words are rare: all of them). */
static int64_t
bench_matches(struct store *s, const char *word)
{
	struct store_item	*v;
	size_t			 n;
	char			*cause = NULL;

	if (store_items_search(s, word, STORE_MAX_LIMIT, &v, &n, &cause) !=
	    0) {
		fprintf(stderr, "store: search %s: %s\n", word, cause);
		free(cause);
		return (-1);
	}
	store_items_free(v, n);
	return ((int64_t)n);
}

/*
 * The two files must hold the same rows, or the ratio compares unlike
 * work: every 997th item of the bare file is looked up by its key in
 * the feedd file and compared column by column, and 20 words must
 * match as many items in one full-text index as in the other.
 */
static int
bench_compare(struct bench *bn)
{
	sqlite3_stmt	*st = NULL;
	struct gen	 g;
	char		*sql;
	const char	*word;
	int64_t		 sampled = -1, differ = -1, found = 0, na, nb;
	size_t		 i;

	xasprintf(&sql, "ATTACH '%s' AS a", bn->path_a);
	if (sqlite3_exec(bn->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		free(sql);
		goto fail;
	}
	free(sql);
	if (bench_prepare(bn->db, "WITH RECURSIVE k(i) AS (SELECT 1 UNION "
	    "ALL SELECT i + ?1 FROM k WHERE i + ?1 <= ?2) "
	    "SELECT count(*), count(*) - count(x.id) + "
	    "coalesce(sum(x.id IS NOT b.id OR x.hash IS NOT b.hash OR "
	    "x.canon IS NOT b.canon OR x.story IS NOT b.story OR "
	    "x.repeat IS NOT b.repeat OR x.guid IS NOT b.guid OR "
	    "x.title IS NOT b.title OR x.link IS NOT b.link OR "
	    "x.author IS NOT b.author OR x.published IS NOT b.published OR "
	    "x.updated IS NOT b.updated OR x.summary IS NOT b.summary OR "
	    "x.content IS NOT b.content OR "
	    "x.categories IS NOT b.categories OR "
	    "x.enclosures IS NOT b.enclosures OR "
	    "x.fetched IS NOT b.fetched), 0) "
	    "FROM k JOIN main.items b ON b.id = k.i "
	    "LEFT JOIN a.items x ON x.feed_id = b.feed_id AND x.key = b.key",
	    &st) != 0)
		goto fail;
	sqlite3_bind_int(st, 1, BENCH_SAMPLE);
	sqlite3_bind_int64(st, 2, (int64_t)bn->nitems);
	if (sqlite3_step(st) != SQLITE_ROW)
		goto fail;
	sampled = sqlite3_column_int64(st, 0);
	differ = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	st = NULL;
	if (sampled != (int64_t)((bn->nitems - 1) / BENCH_SAMPLE + 1) ||
	    differ != 0) {
		fprintf(stderr, "store: %" PRId64 " of %" PRId64 " sampled "
		    "rows differ between the feedd and the bare file\n",
		    differ, sampled);
		goto differ;
	}

	memset(&g, 0, sizeof(g));
	rng_seed(&g, UINT64_C(0xf75));
	for (i = 0; i < BENCH_FTS_WORDS; i++) {
		word = vocab[NITEMS(vocab_head) + rng_next(&g) % VOCAB_TAIL];
		if ((na = bench_matches(bn->store, word)) < 0 ||
		    (nb = bench_matches(bn->bare_store, word)) < 0)
			goto fail;
		if (na != nb) {
			fprintf(stderr, "store: \"%s\" matches %" PRId64
			    " items in the bare file, %" PRId64 " in the "
			    "feedd file\n", word, nb, na);
			goto differ;
		}
		found += nb;
	}
	if (found == 0) {
		fprintf(stderr, "store: no word of the sample is indexed\n");
		goto differ;
	}
	if (sqlite3_exec(bn->db, "DETACH a", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	printf("check: %" PRId64 " sampled rows (every %dth) are the same in "
	    "both files, column by column;\n  %d words match the same %"
	    PRId64 " items in both full-text indexes\n", sampled,
	    BENCH_SAMPLE, BENCH_FTS_WORDS, found);
	return (0);
fail:
	fprintf(stderr, "store: comparing the files: %s\n",
	    sqlite3_errmsg(bn->db));
differ:
	sqlite3_finalize(st);
	return (-1);
}

/* Cursor pages from random places: what a reader or consumer asks for. */
static int
bench_pages(struct bench *bn, double *lat, size_t n)
{
	struct store_query	 q;
	struct store_item	*v;
	struct gen		 g;
	char			*cause = NULL;
	double			 t0;
	size_t			 i, nv;
	int64_t			 span;

	memset(&g, 0, sizeof(g));
	rng_seed(&g, UINT64_C(0xc0ffee));
	span = bn->last_id - BENCH_PAGE;
	for (i = 0; i < n; i++) {
		memset(&q, 0, sizeof(q));
		q.since = span > 0 ? (int64_t)(rng_next(&g) % (uint64_t)span) :
		    0;
		q.limit = BENCH_PAGE;
		t0 = now();
		if (store_items_list(bn->store, &q, &v, &nv, &cause) != 0) {
			fprintf(stderr, "store: items list: %s\n", cause);
			free(cause);
			return (-1);
		}
		lat[i] = now() - t0;
		/* Ids are dense: nothing was ever removed. */
		if (nv != BENCH_PAGE || v[0].id != q.since + 1 ||
		    v[nv - 1].id != q.since + BENCH_PAGE) {
			fprintf(stderr, "store: page after %" PRId64 " gave "
			    "%zu items\n", q.since, nv);
			store_items_free(v, nv);
			return (-1);
		}
		store_items_free(v, nv);
	}
	return (0);
}

/*
 * Searches for one word of the vocabulary, from the word ranks
 * [from, to): the whole tail (specific words) or the head (common ones).
 * "*hits" gets the mean number of results.
 */
static int
bench_searches(struct bench *bn, double *lat, size_t from, size_t to,
    double *hits)
{
	struct store_item	*v;
	struct gen		 g;
	char			*cause = NULL, query[64];
	double			 t0;
	size_t			 i, nv, total = 0;

	memset(&g, 0, sizeof(g));
	rng_seed(&g, UINT64_C(0x5ea4c4) + from);
	for (i = 0; i < BENCH_SEARCHES; i++) {
		snprintf(query, sizeof(query), "\"%s\"",
		    vocab[from + rng_next(&g) % (to - from)]);
		t0 = now();
		if (store_items_search(bn->store, query, BENCH_SEARCH_LIMIT,
		    &v, &nv, &cause) != 0) {
			fprintf(stderr, "store: search %s: %s\n", query, cause);
			free(cause);
			return (-1);
		}
		lat[i] = now() - t0;
		total += nv;
		store_items_free(v, nv);
	}
	*hits = (double)total / BENCH_SEARCHES;
	return (0);
}

/*
 * Bytes per item of each file once closed (closing checkpoints and
 * removes the WAL), and where the feedd file's bytes go, from dbstat.
 */
static void
bench_sizes(struct bench *bn)
{
	sqlite3		*db = NULL;
	sqlite3_stmt	*st = NULL;
	off_t		 a, b, idx;
	double		 per = (double)bn->nitems, bytes;

	a = file_size(bn->path_a, "") + file_size(bn->path_a, "-wal");
	b = file_size(bn->path_b, "") + file_size(bn->path_b, "-wal");
	idx = file_size(bn->path_a, "-search") +
	    file_size(bn->path_a, "-search-wal");
	printf("\ndatabase: feedd %.1f MB, %.0f bytes/item; bare %.1f MB, "
	    "%.0f bytes/item (%.2fx);\n  generated text %.0f bytes/item; "
	    "feedd's search index %.1f MB, %.0f bytes/item\n",
	    (double)a / 1e6, (double)a / per, (double)b / 1e6,
	    (double)b / per, (double)a / (double)b,
	    (double)bn->bytes / per, (double)idx / 1e6, (double)idx / per);

	if (sqlite3_open_v2(bn->path_a, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK || sqlite3_prepare_v2(db, "SELECT name, sum(pgsize) "
	    "FROM dbstat GROUP BY name ORDER BY 2 DESC", -1, &st, NULL) !=
	    SQLITE_OK) {
		printf("  (no dbstat in this sqlite: %s)\n",
		    db != NULL ? sqlite3_errmsg(db) : "cannot open");
		sqlite3_finalize(st);
		sqlite3_close(db);
		return;
	}
	printf("  feedd file by table and index (bytes/item):");
	while (sqlite3_step(st) == SQLITE_ROW) {
		bytes = sqlite3_column_double(st, 1);
		if (bytes / per < 1)
			continue;
		printf("\n    %-28s %6.0f  %4.1f%%",
		    (const char *)sqlite3_column_text(st, 0), bytes / per,
		    100.0 * bytes / (double)a);
	}
	printf("\n");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* Closes what is open; "keep" leaves the files for a look. */
static void
bench_cleanup(struct bench *bn, int keep)
{
	static const char *const sfx[] = { "", "-wal", "-shm", "-search",
	    "-search-wal", "-search-shm" };
	char	*p;
	size_t	 i;

	sqlite3_finalize(bn->begin);
	sqlite3_finalize(bn->commit);
	sqlite3_finalize(bn->insert);
	bn->begin = bn->commit = bn->insert = NULL;
	if (bn->db != NULL)
		sqlite3_close(bn->db);
	bn->db = NULL;
	store_close(bn->store);
	bn->store = NULL;
	store_close(bn->bare_store);
	bn->bare_store = NULL;
	if (!keep && bn->dir != NULL) {
		for (i = 0; i < NITEMS(sfx); i++) {
			xasprintf(&p, "%s%s", bn->path_a, sfx[i]);
			unlink(p);
			free(p);
			xasprintf(&p, "%s%s", bn->path_b, sfx[i]);
			unlink(p);
			free(p);
		}
		rmdir(bn->dir);
	}
}

static void
timing_add(struct timing *t, double secs)
{
	t->secs[t->n++] = secs;
	t->total += secs;
}

/* Items per second over polls [from, to). */
static double
timing_rate(const struct timing *t, size_t from, size_t to, size_t per)
{
	double	s = 0;
	size_t	i;

	for (i = from; i < to; i++)
		s += t->secs[i];
	return (s > 0 ? (double)((to - from) * per) / s : 0);
}

/* Nearest-rank percentile of sorted "v". */
static double
pct(const double *v, size_t n, double p)
{
	size_t	i = (size_t)(p * (double)n);

	if ((double)i < p * (double)n)
		i++;
	return (v[i > 0 ? i - 1 : 0]);
}

/*
 * --cpu-clock: every timing by this thread's CPU time, for A/B runs on a
 * machine that other work shares; it leaves out waits for the disk.
 */
static clockid_t	bench_clock = CLOCK_MONOTONIC;

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(bench_clock, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static off_t
file_size(const char *path, const char *suffix)
{
	struct stat	 sb;
	char		*p;
	off_t		 n = 0;

	xasprintf(&p, "%s%s", path, suffix);
	if (stat(p, &sb) == 0)
		n = sb.st_size;
	free(p);
	return (n);
}

static void
usage(void)
{
	fprintf(stderr, "usage: store [--items N] [--feeds F] "
	    "[--keep DIR] [--cpu-clock]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "items", required_argument, NULL, 'n' },
		{ "feeds", required_argument, NULL, 'f' },
		{ "keep", required_argument, NULL, 'k' },
		{ "cpu-clock", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct bench		 bn;
	struct store_stats	 ss;
	struct rusage		 ru;
	const char		*keep = NULL;
	char			*end, *cause = NULL, tmpl[] =
				    "/tmp/feedd-bench-store.XXXXXX";
	double			 rate_a, rate_b, rate_re[2], t0;
	double			 hits_tail, hits_head;
	double			*pages = NULL, *search = NULL;
	double			 ap[3], tenth_a[2], tenth_b[2], *lat;
	unsigned long		 v;
	size_t			 tenth, i;
	int			 ch, rc = 1;

	memset(&bn, 0, sizeof(bn));
	bn.nitems = BENCH_DEFAULT_ITEMS;
	bn.nfeeds = BENCH_DEFAULT_FEEDS;
	while ((ch = getopt_long(argc, argv, "n:f:k:ch", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'n':
		case 'f':
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || v == 0 ||
			    v > BENCH_MAX_ITEMS)
				usage();
			if (ch == 'n')
				bn.nitems = v;
			else
				bn.nfeeds = v;
			break;
		case 'k':
			keep = optarg;
			break;
		case 'c':
			bench_clock = CLOCK_THREAD_CPUTIME_ID;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (bn.nitems % BENCH_POLL != 0 || bn.nitems < 10 * BENCH_POLL) {
		fprintf(stderr, "store: --items must be a multiple of %d, "
		    "at least %d\n", BENCH_POLL, 10 * BENCH_POLL);
		return (2);
	}
	bn.npolls = bn.nitems / BENCH_POLL;

	if (keep != NULL) {
		if (mkdir(keep, 0700) != 0 && errno != EEXIST) {
			fprintf(stderr, "store: %s: %s\n", keep,
			    strerror(errno));
			return (1);
		}
		bn.dir = xstrdup(keep);
	} else if (mkdtemp(tmpl) == NULL) {
		fprintf(stderr, "store: mkdtemp: %s\n", strerror(errno));
		return (1);
	} else
		bn.dir = xstrdup(tmpl);
	xasprintf(&bn.path_a, "%s/feedd.db", bn.dir);
	xasprintf(&bn.path_b, "%s/bare.db", bn.dir);
	if (keep != NULL && (access(bn.path_a, F_OK) == 0 ||
	    access(bn.path_b, F_OK) == 0)) {
		fprintf(stderr, "store: %s already holds a feedd.db or "
		    "bare.db; give an empty directory\n", keep);
		free(bn.dir);
		bn.dir = NULL;
		goto out;
	}

	vocab_init();
	bn.a.secs = xcalloc(bn.npolls, sizeof(double));
	bn.b.secs = xcalloc(bn.npolls, sizeof(double));
	bn.re[0].secs = xcalloc(BENCH_REAPPLY / BENCH_POLL + 1,
	    sizeof(double));
	bn.re[1].secs = xcalloc(BENCH_REAPPLY / BENCH_POLL + 1,
	    sizeof(double));
	pages = xcalloc(2 * BENCH_PAGES, sizeof(*pages));
	search = xcalloc(2 * BENCH_SEARCHES, sizeof(*search));
	if (bench_open(&bn) != 0)
		goto out;

	printf("sqlite %s; %zu items in %zu polls of %d new items, "
	    "round-robin over %zu feeds;\none notifier routes every new item "
	    "(outbox rows on); files in %s; times are %s\n",
	    sqlite3_libversion(), bn.nitems, bn.npolls, BENCH_POLL, bn.nfeeds,
	    bn.dir, bench_clock == CLOCK_MONOTONIC ? "wall clock" :
	    "this thread's CPU time");

	t0 = now();
	if (bench_fill(&bn) != 0)
		goto out;
	printf("filled both files in %.1f s (%.1f s of it in the store, "
	    "%.1f s in the bare loop, the rest generating)\n", now() - t0,
	    bn.a.total, bn.b.total);
	if (store_stats(bn.store, &ss, &cause) != 0) {
		fprintf(stderr, "store: %s\n", cause);
		free(cause);
		goto out;
	}
	if (ss.items != (int64_t)bn.nitems || ss.feeds !=
	    (int64_t)bn.nfeeds || ss.outbox_pending != (int64_t)bn.nitems ||
	    ss.max_id != bn.last_id) {
		fprintf(stderr, "store: stats say %" PRId64 " feeds, %" PRId64
		    " items, %" PRId64 " outbox rows, newest id %" PRId64 "\n",
		    ss.feeds, ss.items, ss.outbox_pending, ss.max_id);
		goto out;
	}
	printf("check: every poll gave 50 new increasing ids; stats: %" PRId64
	    " items, %" PRId64 " outbox rows\n", ss.items, ss.outbox_pending);

	rate_a = (double)bn.nitems / bn.a.total;
	rate_b = (double)bn.nitems / bn.b.total;
	tenth = bn.npolls / 10;
	tenth_a[0] = timing_rate(&bn.a, 0, tenth, BENCH_POLL);
	tenth_a[1] = timing_rate(&bn.a, bn.npolls - tenth, bn.npolls,
	    BENCH_POLL);
	tenth_b[0] = timing_rate(&bn.b, 0, tenth, BENCH_POLL);
	tenth_b[1] = timing_rate(&bn.b, bn.npolls - tenth, bn.npolls,
	    BENCH_POLL);
	qsort(bn.a.secs, bn.a.n, sizeof(double), cmp_double);
	ap[0] = pct(bn.a.secs, bn.a.n, 0.50);
	ap[1] = pct(bn.a.secs, bn.a.n, 0.99);
	ap[2] = bn.a.secs[bn.a.n - 1];
	printf("\nnew items (items/s over the timed calls only; first and "
	    "last tenth of the run):\n");
	printf("  %-36s %9.0f   %9.0f -> %.0f\n", "feedd store_apply_poll",
	    rate_a, tenth_a[0], tenth_a[1]);
	printf("  %-36s %9.0f   %9.0f -> %.0f\n", "bare INSERT, 50 per "
	    "transaction", rate_b, tenth_b[0], tenth_b[1]);
	printf("  one poll of 50 in store_apply_poll: p50 %.2f ms, p99 %.2f "
	    "ms, max %.2f ms\n", ap[0] * BENCH_MS, ap[1] * BENCH_MS,
	    ap[2] * BENCH_MS);
	printf("figure: feedd / bare = %.2f (target >= 0.70)\n",
	    rate_a / rate_b);

	if (bench_reapply(&bn, REAPPLY_NEWEST) != 0 ||
	    bench_reapply(&bn, REAPPLY_SPREAD) != 0)
		goto out;
	for (i = 0; i < 2; i++)
		rate_re[i] = (double)bn.nre / bn.re[i].total;
	printf("\nre-applied unchanged documents, %zu items each way (every "
	    "key known):\n", bn.nre);
	printf("  %-36s %9.0f items/s, %5.1fx the new-item rate\n",
	    "newest polls (current documents)", rate_re[REAPPLY_NEWEST],
	    rate_re[REAPPLY_NEWEST] / rate_a);
	printf("  %-36s %9.0f items/s, %5.1fx the new-item rate\n",
	    "polls spread over the run (old keys)", rate_re[REAPPLY_SPREAD],
	    rate_re[REAPPLY_SPREAD] / rate_a);
	printf("figure: %.1fx, newest polls (target >= 5x)\n",
	    rate_re[REAPPLY_NEWEST] / rate_a);

	/* The same pages twice: as the fill left the cache, then cached. */
	printf("\nat %zu items, %d cursor pages of %d (items.list since a "
	    "random id):\n", bn.nitems, BENCH_PAGES, BENCH_PAGE);
	for (i = 0; i < 2; i++) {
		lat = pages + i * BENCH_PAGES;
		if (bench_pages(&bn, lat, BENCH_PAGES) != 0)
			goto out;
		qsort(lat, BENCH_PAGES, sizeof(double), cmp_double);
		printf("  %-36s p50 %.3f ms, p99 %.3f ms, max %.3f ms\n",
		    i == 0 ? "first pass" : "the same pages again",
		    pct(lat, BENCH_PAGES, 0.50) * BENCH_MS,
		    pct(lat, BENCH_PAGES, 0.99) * BENCH_MS,
		    lat[BENCH_PAGES - 1] * BENCH_MS);
	}
	printf("figure: p99 %.3f ms, first pass (target < 2 ms)\n",
	    pct(pages, BENCH_PAGES, 0.99) * BENCH_MS);

	/* After the write and read figures: building it evicts their cache. */
	printf("\n");
	if (bench_index(&bn) != 0 || bench_compare(&bn) != 0)
		goto out;

	if (bench_searches(&bn, search, NITEMS(vocab_head), nvocab,
	    &hits_tail) != 0 || bench_searches(&bn, search + BENCH_SEARCHES,
	    BENCH_COMMON - 50, BENCH_COMMON + 50, &hits_head) != 0)
		goto out;
	qsort(search, BENCH_SEARCHES, sizeof(double), cmp_double);
	qsort(search + BENCH_SEARCHES, BENCH_SEARCHES, sizeof(double),
	    cmp_double);
	printf("\n%d searches (limit %d, by rank) for one word each:\n",
	    2 * BENCH_SEARCHES, BENCH_SEARCH_LIMIT);
	printf("  %d specific (made-up tail words, Zipf rank > %zu): p50 "
	    "%.2f ms, p99 %.2f ms, max %.2f ms; %.1f results\n",
	    BENCH_SEARCHES,
	    NITEMS(vocab_head), pct(search, BENCH_SEARCHES, 0.50) * BENCH_MS,
	    pct(search, BENCH_SEARCHES, 0.99) * BENCH_MS,
	    search[BENCH_SEARCHES - 1] * BENCH_MS, hits_tail);
	printf("  %d common (Zipf ranks %d-%d of %zu): p50 %.2f ms, p99 "
	    "%.2f ms, max %.2f ms; %.1f results\n", BENCH_SEARCHES,
	    BENCH_COMMON - 49, BENCH_COMMON + 50, nvocab,
	    pct(search + BENCH_SEARCHES, BENCH_SEARCHES, 0.50) * BENCH_MS,
	    pct(search + BENCH_SEARCHES, BENCH_SEARCHES, 0.99) * BENCH_MS,
	    search[2 * BENCH_SEARCHES - 1] * BENCH_MS, hits_head);

	bench_cleanup(&bn, 1);
	bench_sizes(&bn);
	getrusage(RUSAGE_SELF, &ru);
	printf("peak RSS: %.1f MB\n", (double)ru.ru_maxrss * 1024 / 1e6);
	rc = 0;
out:
	bench_cleanup(&bn, keep != NULL);
	if (keep != NULL && rc == 0)
		printf("files kept: %s, %s\n", bn.path_a, bn.path_b);
	free(bn.feeds);
	free(bn.a.secs);
	free(bn.b.secs);
	free(bn.re[0].secs);
	free(bn.re[1].secs);
	free(pages);
	free(search);
	free(bn.path_a);
	free(bn.path_b);
	free(bn.dir);
	if (vocab != NULL)
		vocab_free();
	return (rc);
}
