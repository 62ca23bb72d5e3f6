/*
 * parse.c: the streaming feed parser.  expat calls back per element; a
 * sorted tag table (sfeed style) maps (namespace, name) to what the
 * element means, and per-field priorities decide which of several sources
 * wins (content:encoded over description, Atom rel="alternate" first ...)
 * independently of the order they come in, so the records are the same
 * however the bytes are split.  One parser per document: no global state.
 */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <expat.h>
#include <openssl/evp.h>

#include "buf.h"
#include "charset.h"
#include "date.h"
#include "entities.h"
#include "html.h"
#include "item.h"
#include "log.h"
#include "parse-json.h"
#include "parse.h"
#include "text.h"
#include "url.h"
#include "xmalloc.h"

/*
 * Bytes held back before the first call to expat: enough for a BOM, the
 * XML declaration and the first element, so charset decisions see the
 * same bytes however the input is chunked.
 */
#define PARSE_SNIFF_LEN		1024
/*
 * With a server's charset that is not UTF-8, the start the document's
 * own UTF-8 is judged on (parse_sniff()): whole or in pieces, a
 * document is read the same.
 */
#define PARSE_CHARSET_SNIFF	(64 * 1024)
/*
 * Between a namespace URI and a local name.  Not a space: attribute
 * normalisation turns a line break in an xmlns value into one, and expat
 * refuses URIs that contain the separator.  U+0001 is not allowed in XML
 * 1.0 at all, not even as a character reference.
 */
#define PARSE_NS_SEP		'\x01'

enum parse_mode {
	MODE_SNIFF = 0,
	MODE_XML,
	MODE_JSON,
	MODE_FAILED
};

/* Namespace classes: RSS, RDF-RSS and Atom vocabularies are all "core". */
enum ns {
	NS_NONE = 0,
	NS_CORE,
	NS_RDF,
	NS_DC,
	NS_DCTERMS,
	NS_CONTENT,
	NS_MEDIA,
	NS_SY,
	NS_XHTML,
	NS_XML,
	NS_ITUNES,
	NS_OTHER
};

/* Which core vocabulary a namespace URI names, to report the format. */
enum ns_variant {
	NSV_PLAIN = 0,
	NSV_RSS090,
	NSV_RSS10,
	NSV_ATOM03,
	NSV_ATOM10
};

struct ns_uri {
	const char	*uri;
	size_t		 len;
	enum ns		 ns;
	enum ns_variant	 variant;
};

#define NSURI(u, n, v)	{ u, sizeof(u) - 1, n, v }
static const struct ns_uri ns_uris[] = {
	NSURI("http://www.w3.org/2005/Atom", NS_CORE, NSV_ATOM10),
	NSURI("http://purl.org/rss/1.0/", NS_CORE, NSV_RSS10),
	NSURI("http://purl.org/dc/elements/1.1/", NS_DC, NSV_PLAIN),
	NSURI("http://purl.org/rss/1.0/modules/content/", NS_CONTENT,
	    NSV_PLAIN),
	NSURI("http://www.w3.org/1999/02/22-rdf-syntax-ns#", NS_RDF,
	    NSV_PLAIN),
	NSURI("http://search.yahoo.com/mrss/", NS_MEDIA, NSV_PLAIN),
	NSURI("http://search.yahoo.com/mrss", NS_MEDIA, NSV_PLAIN),
	NSURI("http://purl.org/rss/1.0/modules/syndication/", NS_SY,
	    NSV_PLAIN),
	NSURI("http://www.w3.org/1999/xhtml", NS_XHTML, NSV_PLAIN),
	NSURI("http://purl.org/dc/terms/", NS_DCTERMS, NSV_PLAIN),
	NSURI("http://purl.org/atom/ns#", NS_CORE, NSV_ATOM03),
	NSURI("http://my.netscape.com/rdf/simple/0.9/", NS_CORE, NSV_RSS090),
	NSURI("http://www.w3.org/XML/1998/namespace", NS_XML, NSV_PLAIN),
	NSURI("http://www.itunes.com/dtds/podcast-1.0.dtd", NS_ITUNES,
	    NSV_PLAIN),
	/* RSS 2.0 feeds that put their elements in a default namespace. */
	NSURI("http://backend.userland.com/rss2", NS_CORE, NSV_PLAIN),
	NSURI("http://backend.userland.com/rss2.1", NS_CORE, NSV_PLAIN),
	NSURI("http://backend.userland.com/rss", NS_CORE, NSV_PLAIN),
	NSURI("http://blogs.law.harvard.edu/tech/rss", NS_CORE, NSV_PLAIN),
};

enum elem {
	E_UNKNOWN = 0,
	E_AUTHOR,
	E_CATEGORY,
	E_CHANNEL,
	E_CONTENT,
	E_CONTENT_ENCODED,
	E_DAY,
	E_DC_CREATOR,
	E_DC_DATE,
	E_DC_DESCRIPTION,
	E_DC_LANGUAGE,
	E_DC_SUBJECT,
	E_DC_TITLE,
	E_DCT_ISSUED,
	E_DCT_MODIFIED,
	E_DESCRIPTION,
	E_EMAIL,
	E_ENCLOSURE,
	E_ENTRY,
	E_FEED,
	E_GUID,
	E_HOUR,
	E_ID,
	E_IMAGE,
	E_ISSUED,
	E_ITEM,
	E_LANGUAGE,
	E_LASTBUILDDATE,
	E_LINK,
	E_MANAGINGEDITOR,
	E_MEDIA_CONTENT,
	E_MEDIA_DESCRIPTION,
	E_MEDIA_GROUP,
	E_MODIFIED,
	E_NAME,
	E_PUBDATE,
	E_PUBLISHED,
	E_RDF,
	E_SKIPDAYS,
	E_SKIPHOURS,
	E_SOURCE,
	E_SUBTITLE,
	E_SUMMARY,
	E_SY_FREQUENCY,
	E_SY_PERIOD,
	E_TEXTINPUT,
	E_TITLE,
	E_TTL,
	E_UPDATED,
	E_ITUNES_AUTHOR,
	E_ITUNES_CATEGORY,
	E_ITUNES_DURATION,
	E_ITUNES_EPISODE,
	E_ITUNES_IMAGE,
	E_ITUNES_SEASON,
	E_ITUNES_SUBTITLE,
	E_ITUNES_SUMMARY,
	E_MEDIA_THUMBNAIL,
	E_MEDIA_TITLE,
	E_XHTML_BODY
};

/* Where an element sits, which decides what its children mean. */
enum ctx {
	CTX_SKIP = 0,	/* ignored, with everything inside */
	CTX_ROOT,	/* <rss>, <rdf:RDF> */
	CTX_FEED,	/* <channel>, Atom <feed> */
	CTX_ITEM,	/* <item>, <entry> */
	CTX_PERSON,	/* Atom <author> */
	CTX_SKIPHOURS,
	CTX_SKIPDAYS,
	CTX_MEDIAGROUP,
	CTX_CAPTURE	/* inside a text field */
};

struct frame {
	uint8_t		ctx;
	uint8_t		flags;
#define FRAME_BASE	0x01	/* pushed an xml:base */
#define FRAME_NOTAG	0x02	/* markup capture: tag not written */
#define FRAME_VOID	0x04	/* markup capture: HTML void element */
};

/* Item fields that several elements compete for. */
enum item_slot {
	IS_GUID = 0,
	IS_TITLE,
	IS_LINK,
	IS_AUTHOR,
	IS_PUBLISHED,
	IS_UPDATED,
	IS_SUMMARY,
	IS_CONTENT,
	IS_IMAGE,
	IS_LINK_V1,	/* the link as the old key rule kept it */
	IS_TITLE_V1,	/* the title as the old key rule kept it */
	IS_COUNT
};

enum feed_slot {
	FS_TITLE = 0,
	FS_LINK,
	FS_SUBTITLE,
	FS_ID,
	FS_LANGUAGE,
	FS_UPDATED,
	FS_AUTHOR,
	FS_SELF,
	FS_COUNT
};

enum cap_kind {
	CAP_ITEM = 0,	/* item slot */
	CAP_FEED,	/* feed slot */
	CAP_CATEGORY,
	CAP_PERSON_NAME,
	CAP_PERSON_EMAIL,
	CAP_TTL,
	CAP_SY_PERIOD,
	CAP_SY_FREQUENCY,
	CAP_HOUR,
	CAP_DAY,
	CAP_ENCLOSURE,	/* Atom link rel=enclosure, URL as text */
	CAP_DURATION,	/* itunes:duration */
	CAP_EPISODE,
	CAP_SEASON
};

/* How a captured value is read (RFC 4287 3.1 text constructs). */
enum cap_type {
	CT_TEXT = 0,	/* plain text: white space folded (titles) */
	CT_HTML,	/* HTML: tags stripped for titles */
	CT_RAW,		/* kept as it is, trimmed (summary, content) */
	CT_MARKUP,	/* child elements serialised as HTML */
	CT_PLAIN	/* plain text made HTML (summary, content) */
};

/*
 * What an element means (sfeed's habit): a plain text field says where
 * it goes in an item and in the feed, and with which priority (0: it is
 * not a field there), and how its text is read.  Elements that need more
 * (attributes, contexts) have no field here and their case in
 * parse_start_cb().
 */
struct tag {
	const char	*name;
	enum ns		 ns;
	enum elem	 elem;
	uint8_t		 islot;		/* enum item_slot */
	uint8_t		 iprio;
	uint8_t		 itype;		/* enum cap_type */
	uint8_t		 fslot;		/* enum feed_slot */
	uint8_t		 fprio;
	uint8_t		 ftype;
};

#define NOFIELD	0, 0, 0, 0, 0, 0

/* The priority of an Atom person construct, over every tag's above. */
#define PARSE_PERSON_PRIO	4

/* Keep sorted by name (strcmp), then ns: parse_tag_lookup() bsearches. */
static const struct tag parse_tags[] = {
	{ "RDF", NS_RDF, E_RDF, NOFIELD },
	{ "author", NS_CORE, E_AUTHOR, NOFIELD },
	{ "author", NS_DC, E_DC_CREATOR,
	    IS_AUTHOR, 3, CT_TEXT, FS_AUTHOR, 3, CT_TEXT },
	{ "author", NS_ITUNES, E_ITUNES_AUTHOR,
	    IS_AUTHOR, 1, CT_TEXT, FS_AUTHOR, 1, CT_TEXT },
	{ "body", NS_XHTML, E_XHTML_BODY,
	    IS_CONTENT, 2, CT_MARKUP, 0, 0, 0 },
	{ "category", NS_CORE, E_CATEGORY, NOFIELD },
	{ "category", NS_ITUNES, E_ITUNES_CATEGORY, NOFIELD },
	{ "channel", NS_CORE, E_CHANNEL, NOFIELD },
	{ "content", NS_CORE, E_CONTENT, NOFIELD },
	{ "content", NS_MEDIA, E_MEDIA_CONTENT, NOFIELD },
	{ "created", NS_DCTERMS, E_DCT_ISSUED,
	    IS_PUBLISHED, 1, CT_TEXT, 0, 0, 0 },
	{ "creator", NS_DC, E_DC_CREATOR,
	    IS_AUTHOR, 3, CT_TEXT, FS_AUTHOR, 3, CT_TEXT },
	{ "date", NS_DC, E_DC_DATE,
	    IS_PUBLISHED, 2, CT_TEXT, FS_UPDATED, 2, CT_TEXT },
	{ "day", NS_CORE, E_DAY, NOFIELD },
	{ "description", NS_CORE, E_DESCRIPTION,
	    IS_SUMMARY, 5, CT_MARKUP, FS_SUBTITLE, 3, CT_TEXT },
	{ "description", NS_DC, E_DC_DESCRIPTION,
	    IS_SUMMARY, 4, CT_MARKUP, FS_SUBTITLE, 2, CT_TEXT },
	{ "description", NS_MEDIA, E_MEDIA_DESCRIPTION,
	    IS_SUMMARY, 3, CT_RAW, 0, 0, 0 },
	{ "duration", NS_ITUNES, E_ITUNES_DURATION, NOFIELD },
	{ "email", NS_CORE, E_EMAIL, NOFIELD },
	{ "enclosure", NS_CORE, E_ENCLOSURE, NOFIELD },
	{ "encoded", NS_CONTENT, E_CONTENT_ENCODED,
	    IS_CONTENT, 3, CT_MARKUP, 0, 0, 0 },
	{ "entry", NS_CORE, E_ENTRY, NOFIELD },
	{ "episode", NS_ITUNES, E_ITUNES_EPISODE, NOFIELD },
	{ "feed", NS_CORE, E_FEED, NOFIELD },
	{ "group", NS_MEDIA, E_MEDIA_GROUP, NOFIELD },
	{ "guid", NS_CORE, E_GUID, NOFIELD },
	{ "hour", NS_CORE, E_HOUR, NOFIELD },
	{ "id", NS_CORE, E_ID,
	    IS_GUID, 3, CT_TEXT, FS_ID, 3, CT_TEXT },
	{ "image", NS_CORE, E_IMAGE, NOFIELD },
	{ "image", NS_ITUNES, E_ITUNES_IMAGE, NOFIELD },
	{ "issued", NS_CORE, E_ISSUED,
	    IS_PUBLISHED, 3, CT_TEXT, 0, 0, 0 },
	{ "issued", NS_DCTERMS, E_DCT_ISSUED,
	    IS_PUBLISHED, 1, CT_TEXT, 0, 0, 0 },
	{ "item", NS_CORE, E_ITEM, NOFIELD },
	{ "language", NS_CORE, E_LANGUAGE,
	    0, 0, 0, FS_LANGUAGE, 3, CT_TEXT },
	{ "language", NS_DC, E_DC_LANGUAGE,
	    0, 0, 0, FS_LANGUAGE, 2, CT_TEXT },
	{ "lastBuildDate", NS_CORE, E_LASTBUILDDATE,
	    IS_UPDATED, 3, CT_TEXT, FS_UPDATED, 3, CT_TEXT },
	{ "link", NS_CORE, E_LINK, NOFIELD },
	{ "managingEditor", NS_CORE, E_MANAGINGEDITOR,
	    0, 0, 0, FS_AUTHOR, 2, CT_TEXT },
	{ "modified", NS_CORE, E_MODIFIED,
	    IS_UPDATED, 3, CT_TEXT, FS_UPDATED, 3, CT_TEXT },
	{ "modified", NS_DCTERMS, E_DCT_MODIFIED,
	    IS_UPDATED, 2, CT_TEXT, FS_UPDATED, 2, CT_TEXT },
	{ "name", NS_CORE, E_NAME, NOFIELD },
	{ "pubDate", NS_CORE, E_PUBDATE,
	    IS_PUBLISHED, 3, CT_TEXT, FS_UPDATED, 1, CT_TEXT },
	{ "published", NS_CORE, E_PUBLISHED,
	    IS_PUBLISHED, 3, CT_TEXT, 0, 0, 0 },
	{ "season", NS_ITUNES, E_ITUNES_SEASON, NOFIELD },
	{ "skipDays", NS_CORE, E_SKIPDAYS, NOFIELD },
	{ "skipHours", NS_CORE, E_SKIPHOURS, NOFIELD },
	{ "source", NS_CORE, E_SOURCE, NOFIELD },
	{ "subject", NS_DC, E_DC_SUBJECT, NOFIELD },
	{ "subtitle", NS_CORE, E_SUBTITLE, NOFIELD },
	{ "subtitle", NS_ITUNES, E_ITUNES_SUBTITLE,
	    IS_SUMMARY, 1, CT_RAW, 0, 0, 0 },
	{ "summary", NS_CORE, E_SUMMARY, NOFIELD },
	{ "summary", NS_ITUNES, E_ITUNES_SUMMARY,
	    IS_SUMMARY, 2, CT_RAW, 0, 0, 0 },
	{ "tagline", NS_CORE, E_SUBTITLE, NOFIELD },
	{ "textInput", NS_CORE, E_TEXTINPUT, NOFIELD },
	{ "textinput", NS_CORE, E_TEXTINPUT, NOFIELD },
	{ "thumbnail", NS_MEDIA, E_MEDIA_THUMBNAIL, NOFIELD },
	{ "title", NS_CORE, E_TITLE, NOFIELD },
	{ "title", NS_DC, E_DC_TITLE,
	    IS_TITLE, 2, CT_TEXT, FS_TITLE, 2, CT_TEXT },
	{ "title", NS_MEDIA, E_MEDIA_TITLE,
	    IS_TITLE, 1, CT_TEXT, 0, 0, 0 },
	{ "ttl", NS_CORE, E_TTL, NOFIELD },
	{ "updateFrequency", NS_SY, E_SY_FREQUENCY, NOFIELD },
	{ "updatePeriod", NS_SY, E_SY_PERIOD, NOFIELD },
	{ "updated", NS_CORE, E_UPDATED,
	    IS_UPDATED, 3, CT_TEXT, FS_UPDATED, 3, CT_TEXT },
};

struct capture {
	enum cap_kind	kind;
	int		slot;
	int		prio;
	enum cap_type	type;
	unsigned int	depth;		/* of the capturing element */
	int		xhtml;		/* Atom type="xhtml": drop the div */
	int		wrapper_seen;
	int		truncated;
	int		base64;		/* Atom: decode the text first */
	int		keep_empty;	/* "" is a value, not a miss */
	int		html_maybe;	/* RSS title: HTML if it looks so */
};

struct base {
	unsigned int	 depth;
	char		*url;
};

/* A namespace declaration, when expat's namespace processing is off. */
struct nsdecl {
	unsigned int	 depth;
	char		*prefix;	/* "" for the default namespace */
	char		*uri;
};

/* The prefixes podcast and blog feeds use without declaring them. */
static const struct {
	const char	*prefix;
	const char	*uri;
} ns_known_prefixes[] = {
	{ "atom", "http://www.w3.org/2005/Atom" },
	{ "content", "http://purl.org/rss/1.0/modules/content/" },
	{ "dc", "http://purl.org/dc/elements/1.1/" },
	{ "dcterms", "http://purl.org/dc/terms/" },
	{ "georss", "http://www.georss.org/georss" },
	{ "itunes", "http://www.itunes.com/dtds/podcast-1.0.dtd" },
	{ "media", "http://search.yahoo.com/mrss/" },
	{ "rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#" },
	{ "slash", "http://purl.org/rss/1.0/modules/slash/" },
	{ "sy", "http://purl.org/rss/1.0/modules/syndication/" },
	{ "wfw", "http://wellformedweb.org/CommentAPI/" },
	{ "xml", "http://www.w3.org/XML/1998/namespace" },
};

/* Slots of the parser's cache of tags met (a power of two). */
#define PARSE_TAG_CACHE		64

/* Bytes kept for a retry from the start; beyond, an error is final. */
#define PARSE_REPLAY_MAX	(8 * 1024 * 1024)

struct parser {
	struct parse_opts	 opts;
	char			*base;		/* opts.base, owned */
	char			*charset;	/* opts.charset, owned */
	enum parse_mode		 mode;
	struct buf		 head;		/* bytes held while sniffing */
	struct parse_json	*json;		/* a JSON Feed */
	XML_Parser		 xp;
	char			*encoding;	/* what expat was told */
	iconv_t			 conv;		/* UTF-32, EBCDIC: to UTF-8 */
	int			 ebcdic;
	struct buf		 convin;	/* a character cut by a chunk */
	struct buf		 convout;
	int			 wide;		/* UTF-16: no byte is ASCII */
	struct buf		 refcut;	/* a reference cut by a chunk */
	struct buf		 refwork;
	size_t			 refs_fixed;	/* made spaces: warned at the end */
	/*
	 * The bytes given to expat so far, while a retry can still start
	 * over (see parse_keep): without namespace processing for an
	 * undeclared prefix, as windows-1252 for an unknown charset that
	 * was not UTF-8 either.
	 */
	struct buf		 replay;
	int			 replay_off;
	int			 retried;
	int			 nons;		/* namespaces bound by hand */
	int			 guessed;	/* unknown charset: UTF-8 */
	struct nsdecl		*nsdecls;	/* nons: the document's xmlns */
	size_t			 nnsdecls;
	struct buf		 nsnames;	/* nons: names rewritten */
	const char		**nsattrs;
	size_t			 nsattrscap;
	size_t			 encfix;	/* encoding="866": patched */
	size_t			 encfixlen;
	int			 latin1;	/* fix mojibake per field */
	char			*error;		/* first fatal error */

	struct feed_doc		*doc;
	uint8_t			 feed_prio[FS_COUNT];
	enum ns_variant		 variant;	/* of the root element */
	int			 atom;
	size_t			 nitems;	/* items completed */
	int			 items_capped;

	struct frame		*stack;
	unsigned int		 depth;		/* open elements */
	int			 depth_warned;
	int64_t			 sy_period;	/* seconds, or -1 */
	int64_t			 sy_frequency;	/* per period, or 0 */
	int			 finished;	/* expat saw the end */

	struct base		*bases;
	size_t			 nbases;

	struct feed_item	*item;		/* item being read, or NULL */
	uint8_t			 item_prio[IS_COUNT];
	int64_t			 duration;	/* itunes:duration, or -1 */
	int			 guid_permalink;
	int			 title_v1_html;	/* title_v1: HTML to read */
	char			*rdf_about;
	/*
	 * The xml:base in force where the item's content and its summary
	 * were captured, when one was (parse_text_base()); NULL otherwise.
	 */
	char			*content_base;
	char			*summary_base;
	/*
	 * The plain text that the item's content and summary were made
	 * HTML from, where that changed it, for the key of an item keyed by
	 * its hash (parse_item_text_v1()); NULL otherwise.
	 */
	char			*content_plain;
	char			*summary_plain;
	char			*plain;		/* the capture's, until set */
	int			 content_cut;	/* cut at max_field */
	int			 summary_cut;

	int			 person_item;	/* author of item, not feed */
	struct buf		 person_name;
	struct buf		 person_email;

	int			 capturing;
	struct capture		 cap;
	struct buf		 text;
	size_t			 text_lim;	/* see parse_text_sync() */
	struct buf		 scratch;
	int			 field_warned;
	/* Tags met before, by a hash of their start (parse_tag_find). */
	const struct tag	*tagcache[PARSE_TAG_CACHE];
};

static void	parse_start_cb(void *, const XML_Char *, const XML_Char **);
static void	parse_end_cb(void *, const XML_Char *);
static void	parse_text_cb(void *, const XML_Char *, int);
static void	parse_markup_text_cb(void *, const XML_Char *, int);
static void	parse_markup_depth(struct parser *);
static void	parse_text_sync(struct parser *);
static void	parse_cut_warn(struct parser *);
static char	*parse_plain_html(struct parser *, char *);
static void	parse_cap_add_slow(struct parser *, const char *, size_t);
static void	parse_skipped_entity_cb(void *, const XML_Char *, int);
static int	parse_external_entity_cb(XML_Parser, const XML_Char *,
		    const XML_Char *, const XML_Char *, const XML_Char *);
static int	parse_xml(struct parser *, const char *, size_t, int);
static size_t	parse_line_dirty(const char *);
static char	*parse_clean_line_at(char *, size_t);
static void	parse_fail(struct parser *, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));

static const char *const html_void[] = {
	"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
	"meta", "param", "source", "track", "wbr", NULL
};

struct parser *
parse_new(const struct parse_opts *opts)
{
	struct parser	*p;

	p = xcalloc(1, sizeof(*p));
	if (opts != NULL)
		p->opts = *opts;
	if (p->opts.max_items == 0)
		p->opts.max_items = PARSE_MAX_ITEMS;
	if (p->opts.max_field == 0)
		p->opts.max_field = PARSE_MAX_FIELD;
	if (p->opts.max_depth == 0)
		p->opts.max_depth = PARSE_MAX_DEPTH;
	p->base = p->opts.base != NULL ? xstrdup(p->opts.base) : NULL;
	p->charset = p->opts.charset != NULL ? xstrdup(p->opts.charset) : NULL;
	p->opts.base = p->base;
	p->opts.charset = p->charset;
	p->stack = xcalloc(p->opts.max_depth, sizeof(*p->stack));
	p->doc = feed_doc_new();
	p->sy_period = -1;
	p->conv = (iconv_t)-1;
	return (p);
}

static void
parse_fail(struct parser *p, const char *fmt, ...)
{
	va_list	ap;

	if (p->error == NULL) {
		va_start(ap, fmt);
		if (vasprintf(&p->error, fmt, ap) < 0)
			p->error = NULL;
		va_end(ap);
	}
	if (p->xp != NULL && p->mode == MODE_XML)
		XML_StopParser(p->xp, XML_FALSE);
	p->mode = MODE_FAILED;
}

/* The innermost xml:base in force, else the document URL. */
static const char *
parse_base(const struct parser *p)
{
	return (p->nbases != 0 ? p->bases[p->nbases - 1].url : p->base);
}

static char *
parse_resolve(const struct parser *p, const char *ref)
{
	return (url_resolve(parse_base(p), ref));
}

/*
 * A link as it is kept: absolute http(s) (an item's link may also be
 * mailto:), controls stripped, scheme and host lower case; NULL when it
 * cannot be one.
 */
static char *
parse_link(const struct parser *p, const char *ref, int flags)
{
	return (parse_url(parse_base(p), ref, flags));
}

/*
 * url_normalize(), with a way around libcurl for the links most feeds
 * carry (a tenth of "feedctl parse" went to curl_url): an absolute
 * http(s) URL already in normal form, a lower-case host name without
 * port or user and a path of plain characters without dot segments, is
 * returned as it is, which is what url_normalize() would return.
 * Anything else takes url_normalize().  test_parse checks the two agree.
 */
char *
parse_url(const char *base, const char *ref, int flags)
{
	const unsigned char	*u, *host, *label;
	size_t			 skip;

	if (ref == NULL)
		return (NULL);
	if (strncmp(ref, "http://", 7) == 0)
		skip = 7;
	else if (strncmp(ref, "https://", 8) == 0)
		skip = 8;
	else
		return (url_normalize(base, ref, flags));
	host = label = u = (const unsigned char *)ref + skip;
	for (; *u != '/'; u++) {
		if (*u == '.') {
			/* No empty label, and so no ".." or leading dot. */
			if (u == label)
				return (url_normalize(base, ref, flags));
			label = u + 1;
		} else if (!((*u >= 'a' && *u <= 'z') || (*u >= '0' &&
		    *u <= '9') || *u == '-'))
			return (url_normalize(base, ref, flags));
	}
	/* The last label a name, not a number: no IPv4 forms to rewrite. */
	if (u == host || u == label || *label < 'a' || *label > 'z')
		return (url_normalize(base, ref, flags));
	for (; *u != '\0'; u++) {
		if (*u == '/' && u[1] == '.')
			return (url_normalize(base, ref, flags));
		if ((*u >= 'a' && *u <= 'z') || (*u >= 'A' && *u <= 'Z') ||
		    (*u >= '0' && *u <= '9') || strchr("-._~/?=&+,;:@!$*()'",
		    *u) != NULL)
			continue;
		return (url_normalize(base, ref, flags));
	}
	/* An empty query may go: let libcurl decide. */
	if (u[-1] == '?')
		return (url_normalize(base, ref, flags));
	return (xstrdup(ref));
}

/* The local part of expat's "URI name" (the whole name without a URI). */
static const char *
parse_local_name(const char *name)
{
	const char	*sep;

	return ((sep = strrchr(name, PARSE_NS_SEP)) != NULL ? sep + 1 : name);
}

/* Splits expat's "URI name" into a namespace class and the local name. */
static const char *
parse_split_name(const char *name, enum ns *ns, enum ns_variant *variant)
{
	const char	*sep;
	size_t		 len, i;

	*variant = NSV_PLAIN;
	if ((sep = strrchr(name, PARSE_NS_SEP)) == NULL) {
		*ns = NS_NONE;
		return (name);
	}
	len = (size_t)(sep - name);
	/* A publisher's stray white space around the URI (see PARSE_NS_SEP). */
	while (len > 0 && (*name == ' ' || *name == '\t')) {
		name++;
		len--;
	}
	while (len > 0 && (name[len - 1] == ' ' || name[len - 1] == '\t'))
		len--;
	*ns = NS_OTHER;
	for (i = 0; i < sizeof(ns_uris) / sizeof(*ns_uris); i++) {
		if (ns_uris[i].len == len &&
		    memcmp(ns_uris[i].uri, name, len) == 0) {
			*ns = ns_uris[i].ns;
			*variant = ns_uris[i].variant;
			break;
		}
	}
	return (sep + 1);
}

/*
 * Orders a name and namespace against a table entry.  The first bytes
 * are compared here: they differ in most steps of the search, which then
 * need no call to strcmp (once per element, so it counts).
 */
static int
parse_tag_cmp(const char *name, enum ns ns, const struct tag *tag)
{
	int	r;

	if ((r = (unsigned char)name[0] - (unsigned char)tag->name[0]) != 0)
		return (r);
	/* Equal first bytes are not NULs: table names are never empty. */
	if ((r = strcmp(name + 1, tag->name + 1)) != 0)
		return (r);
	return ((int)ns - (int)tag->ns);
}

static const struct tag parse_tag_unknown = { "", NS_NONE, E_UNKNOWN,
    NOFIELD };

static const struct tag *
parse_tag_lookup(const char *local, enum ns ns)
{
	size_t	lo = 0, hi = sizeof(parse_tags) / sizeof(*parse_tags), mid;
	int	r;

	/* Elements without a namespace are RSS 0.9x/2.0's own. */
	if (ns == NS_NONE)
		ns = NS_CORE;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((r = parse_tag_cmp(local, ns, &parse_tags[mid])) == 0)
			return (&parse_tags[mid]);
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (&parse_tag_unknown);
}

/*
 * parse_tag_lookup() through a small cache: a feed repeats a dozen tags
 * per item, and one string compare finds a tag met before where the
 * search takes several.  Keyed by the first two bytes (the second may be
 * the NUL: names are never empty) and the namespace.
 */
static const struct tag *
parse_tag_find(struct parser *p, const char *local, enum ns ns)
{
	const struct tag	**slot, *t;

	if (ns == NS_NONE)
		ns = NS_CORE;
	slot = &p->tagcache[((unsigned char)local[0] * 31U +
	    (unsigned char)local[1] * 7U + (unsigned int)ns) &
	    (PARSE_TAG_CACHE - 1)];
	if (*slot != NULL && (*slot)->ns == ns &&
	    strcmp((*slot)->name, local) == 0)
		return (*slot);
	t = parse_tag_lookup(local, ns);
	if (t->elem != E_UNKNOWN)
		*slot = t;
	return (t);
}

/* Returns attribute "local" (any namespace unless "ns" says), or NULL. */
static const char *
parse_attr(struct parser *p, const XML_Char **attrs, const char *local,
    enum ns want)
{
	enum ns_variant	 v;
	enum ns		 ns;
	size_t		 i;

	for (i = 0; attrs[i] != NULL; i += 2) {
		/* Most attributes have no namespace: then the name is local. */
		if (strcmp(parse_local_name(attrs[i]), local) != 0)
			continue;
		if (want == NS_NONE)
			return (attrs[i + 1]);
		parse_split_name(attrs[i], &ns, &v);
		if (ns == want)
			return (attrs[i + 1]);
	}
	return (NULL);
}

/* xml:base (XML Base 3), checked on every element, so kept cheap. */
static const char *
parse_xml_base(const XML_Char **attrs)
{
	static const char	xml_base[] =
	    "http://www.w3.org/XML/1998/namespace\001base";
	size_t			i;

	for (i = 0; attrs[i] != NULL; i += 2) {
		if (attrs[i][0] == 'h' && strcmp(attrs[i], xml_base) == 0)
			return (attrs[i + 1]);
	}
	return (NULL);
}

static void
parse_push_base(struct parser *p, const char *ref)
{
	char	*url;

	url = parse_resolve(p, ref);
	p->bases = xreallocarray(p->bases, p->nbases + 1, sizeof(*p->bases));
	p->bases[p->nbases].depth = p->depth;
	p->bases[p->nbases].url = url;
	p->nbases++;
}

static int64_t
parse_length(const char *s)
{
	char		*end;
	long long	 v;

	if (s == NULL)
		return (-1);
	errno = 0;
	v = strtoll(s, &end, 10);
	while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
		end++;
	if (errno != 0 || end == s || *end != '\0' || v < 0)
		return (-1);
	return ((int64_t)v);
}

static void
parse_enclosure(struct parser *p, const char *url, const char *type,
    const char *length)
{
	char	*abs, *t;

	if (p->item == NULL || url == NULL)
		return;
	t = text_trim(url, strlen(url));
	if (*t != '\0' && (abs = parse_link(p, t, 0)) != NULL) {
		feed_item_add_enclosure(p->item, abs,
		    type != NULL && *type != '\0' ? type : NULL,
		    parse_length(length));
		free(abs);
	}
	free(t);
}

/* Sets a competing field when "prio" beats what it holds; takes "val". */
static void
parse_set(char **field, uint8_t *cur, int prio, char *val)
{
	if (val == NULL)
		return;
	if (*val == '\0' || prio <= *cur) {
		free(val);
		return;
	}
	free(*field);
	*field = val;
	*cur = (uint8_t)prio;
}

/*
 * The base a reader resolves an item's content against (feed_item
 * "base"): the innermost xml:base in force at the element the text came
 * from, its own xml:base included (XML Base 4.2), as an absolute http(s)
 * URL.  Kept only when there is an xml:base, so an ordinary feed pays
 * nothing.  Content and summary keep one each here, but the item keeps
 * only the one of the text its readers render (content, else summary,
 * as html_item() picks): nothing renders both, so a second field would
 * matter only to an entry whose two elements carry different bases.
 */
static void
parse_text_base(struct parser *p, char **field)
{
	free(*field);
	*field = p->nbases != 0 ? parse_url(NULL, parse_base(p), 0) : NULL;
}

/* Drops what an item's texts kept beside them: bases, plain texts. */
static void
parse_text_base_clear(struct parser *p)
{
	free(p->content_base);
	free(p->summary_base);
	p->content_base = p->summary_base = NULL;
	free(p->content_plain);
	free(p->summary_plain);
	free(p->plain);
	p->content_plain = p->summary_plain = p->plain = NULL;
	p->content_cut = p->summary_cut = 0;
}

/*
 * The text an item keyed by its hash was hashed with before plain text
 * became HTML (feed_item_key_v1): the summary, else the content, as the
 * document had it.  Kept only where making it HTML changed it.
 */
static void
parse_item_text_v1(struct parser *p, struct feed_item *it)
{
	char	**plain = it->summary != NULL ? &p->summary_plain :
		    &p->content_plain;

	if (*plain == NULL)
		return;
	free(it->text_v1);
	it->text_v1 = *plain;
	*plain = NULL;
}

/* The item's base, once its link is known: none where it is the link. */
static void
parse_item_base(struct parser *p, struct feed_item *it)
{
	char	**field = it->content != NULL ? &p->content_base :
		    &p->summary_base;

	if (*field != NULL && (it->link == NULL ||
	    strcmp(*field, it->link) != 0)) {
		it->base = *field;
		*field = NULL;
	}
	parse_text_base_clear(p);
}

/*
 * An item's link, kept normalised (parse_link), and beside it the form an
 * older feedd stored and keyed items by: resolved, but otherwise as the
 * document wrote it (feed_item_key_v1), so an item keyed by a link that
 * normalising changes (a host in capitals, a space, a non-ASCII path, a
 * link that is no http URL at all) is found under its old key.
 */
static void
parse_set_item_link(struct parser *p, int prio, const char *ref, int flags)
{
	char	*link = parse_link(p, ref, flags);

	/*
	 * Most links are written in their normal form, absolute, which is
	 * then also the old form: NULL says so, without a copy.
	 */
	if (link != NULL && prio > p->item_prio[IS_LINK_V1] &&
	    strcmp(link, ref) == 0) {
		free(p->item->link_v1);
		p->item->link_v1 = NULL;
		p->item_prio[IS_LINK_V1] = (uint8_t)prio;
	} else
		parse_set(&p->item->link_v1, &p->item_prio[IS_LINK_V1], prio,
		    parse_resolve(p, ref));
	parse_set(&p->item->link, &p->item_prio[IS_LINK], prio, link);
}

static void
parse_set_date(int64_t *field, uint8_t *cur, int prio, const char *s)
{
	int64_t	t;

	if (prio <= *cur || date_parse(s, &t) != 0)
		return;
	*field = t;
	*cur = (uint8_t)prio;
}

/* Atom rel="alternate" first (RFC 4287 4.2.7.2), then other rels. */
static void
parse_atom_link(struct parser *p, const XML_Char **attrs, int feed)
{
	const char	*href, *rel, *type;
	char		*t;
	int		 prio;

	if ((href = parse_attr(p, attrs, "href", NS_NONE)) == NULL)
		return;
	rel = parse_attr(p, attrs, "rel", NS_NONE);
	type = parse_attr(p, attrs, "type", NS_NONE);
	if (rel == NULL || *rel == '\0' || strcmp(rel, "alternate") == 0 ||
	    strcmp(rel, "http://www.iana.org/assignments/relation/alternate")
	    == 0)
		prio = 3;
	else if (strcmp(rel, "enclosure") == 0) {
		if (!feed)
			parse_enclosure(p, href, type,
			    parse_attr(p, attrs, "length", NS_NONE));
		return;
	} else if (strcmp(rel, "self") == 0) {
		if (feed) {
			t = text_trim(href, strlen(href));
			parse_set(&p->doc->self, &p->feed_prio[FS_SELF], 3,
			    parse_resolve(p, t));
			free(t);
		}
		return;
	} else if (strcmp(rel, "related") == 0 || strcmp(rel, "via") == 0)
		prio = 1;
	else
		return;		/* edit, replies, hub, license ... */
	/* An alternate that is not a web page ranks below one that is. */
	if (prio == 3 && type != NULL && strstr(type, "html") == NULL)
		prio = 2;
	t = text_trim(href, strlen(href));
	if (feed)
		parse_set(&p->doc->link, &p->feed_prio[FS_LINK], prio,
		    parse_link(p, t, 0));
	else
		parse_set_item_link(p, prio, t, URL_MAILTO);
	free(t);
}

/*
 * Cleans a one-line field (titles, authors, categories): C0 and C1
 * controls and the BiDi overrides and isolates (U+202A-U+202E,
 * U+2066-U+2069, which can make a title display as another) go; NEL,
 * U+2028 and U+2029 become spaces.  White space is folded again.
 * Takes "s" and returns its replacement.
 */
char *
parse_clean_line(char *s)
{
	return (parse_clean_line_at(s, parse_line_dirty(s)));
}

/*
 * Where parse_clean_line() has work to do in "s": the first byte that may
 * start what it drops, or the end.  The common case has none.
 */
static size_t
parse_line_dirty(const char *s)
{
	const unsigned char	*u = (const unsigned char *)s;

	for (; *u != '\0'; u++)
		if (*u < 0x20 || *u == 0xc2 || *u == 0xe2)
			break;
	return ((size_t)(u - (const unsigned char *)s));
}

/* parse_clean_line() from byte "at" of "s" (parse_line_dirty()). */
static char *
parse_clean_line_at(char *s, size_t at)
{
	unsigned char	*u = (unsigned char *)s + at, *o;
	char		*out;

	if (*u == '\0')
		return (s);
	for (o = u; *u != '\0'; u++) {
		if (*u < 0x20) {
			/* White space folds to a space; other controls go. */
			if (*u == '\t' || *u == '\n' || *u == '\r')
				*o++ = ' ';
			continue;
		}
		if (*u == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f) {
			if (u[1] == 0x85)	/* NEL */
				*o++ = ' ';
			u++;
			continue;
		}
		if (*u == 0xe2 && u[1] == 0x80 && u[2] >= 0xa8 &&
		    u[2] <= 0xae) {
			if (u[2] <= 0xa9)	/* line, paragraph separator */
				*o++ = ' ';
			u += 2;
			continue;
		}
		if (*u == 0xe2 && u[1] == 0x81 && u[2] >= 0xa6 &&
		    u[2] <= 0xa9) {
			u += 2;
			continue;
		}
		*o++ = *u;
	}
	*o = '\0';
	out = text_fold(s, (size_t)((char *)o - s));
	free(s);
	return (out);
}

/*
 * The title an older feedd kept, for the old key of an item keyed by its
 * hash (feed_item_key_v1): its title elements had the same priorities,
 * but escaped HTML, base64 and controls stayed as they were written.
 * "old" is that form of an element of priority "prio", or NULL when it is
 * "val", the title as kept now; the slot records the priority either way.
 * An element empty both ways is no title under either rule.
 */
static void
parse_title_v1(struct parser *p, int prio, char *old, const char *val,
    int html)
{
	if (prio <= p->item_prio[IS_TITLE_V1] || *(old != NULL ? old : val) ==
	    '\0') {
		free(old);
		return;
	}
	free(p->item->title_v1);
	p->item->title_v1 = old;
	p->item_prio[IS_TITLE_V1] = (uint8_t)prio;
	p->title_v1_html = html;
}

/*
 * An HTML title kept as written for the old key (parse_title_v1) is read
 * as the old rule read it (html_text_v1) once the item is complete, and
 * only when that key is its hash: with a guid or a link, no title counts.
 */
static void
parse_title_v1_html(struct parser *p, struct feed_item *it)
{
	struct buf	 tmp = { NULL, 0, 0 };
	char		*html = it->title_v1;

	if (!p->title_v1_html)
		return;
	p->title_v1_html = 0;
	it->title_v1 = NULL;
	if ((it->guid == NULL || *it->guid == '\0') &&
	    (it->link_v1 == NULL || *it->link_v1 == '\0') &&
	    (it->link == NULL || *it->link == '\0')) {
		html_text_v1(&tmp, html, strlen(html));
		it->title_v1 = text_fold(tmp.data ? tmp.data : "", tmp.len);
		buf_free(&tmp);
		if (p->latin1)
			it->title_v1 = charset_fix_latin1(it->title_v1);
	}
	free(html);
}

/* Drops C0 controls but TAB, LF and CR from summaries and content. */
void
parse_clean_text(char *s)
{
	unsigned char	*u = (unsigned char *)s, *o;

	for (; *u != '\0'; u++)
		if (*u < 0x20 && *u != '\t' && *u != '\n' && *u != '\r')
			break;
	for (o = u; *u != '\0'; u++)
		if (*u >= 0x20 || *u == '\t' || *u == '\n' || *u == '\r')
			*o++ = *u;
	*o = '\0';
}

/* A category from an attribute (Atom term, itunes:category text). */
static void
parse_category(struct parser *p, const char *a)
{
	size_t	 alen = strlen(a);
	char	*t;

	if (p->item == NULL)
		return;
	if (alen > p->opts.max_field)
		alen = text_utf8_cut(a, p->opts.max_field);
	t = parse_clean_line(text_fold(a, alen));
	if (*t != '\0')
		feed_item_add_category(p->item, t);
	free(t);
}

/* itunes:image (2) over media:thumbnail (1): the item's picture. */
static void
parse_image(struct parser *p, const char *url, int prio)
{
	char	*t;

	if (p->item == NULL || url == NULL)
		return;
	t = text_trim(url, strlen(url));
	parse_set(&p->item->image, &p->item_prio[IS_IMAGE], prio,
	    *t != '\0' ? parse_link(p, t, 0) : NULL);
	free(t);
}

/*
 * Whether an Atom text is base64: Atom 0.3 says mode="base64"; in Atom
 * 1.0 (RFC 4287 4.1.3.3) a media type that is neither text nor XML is.
 */
static int
parse_is_base64(struct parser *p, const XML_Char **attrs)
{
	const char	*type, *mode;
	size_t		 len;

	if (!p->atom)
		return (0);
	if ((mode = parse_attr(p, attrs, "mode", NS_NONE)) != NULL)
		return (strcmp(mode, "base64") == 0);
	if ((type = parse_attr(p, attrs, "type", NS_NONE)) == NULL ||
	    strchr(type, '/') == NULL)
		return (0);
	len = strlen(type);
	if (strncasecmp(type, "text/", 5) == 0 ||
	    (len >= 4 && strcasecmp(type + len - 4, "+xml") == 0) ||
	    (len >= 4 && strcasecmp(type + len - 4, "/xml") == 0) ||
	    strcasecmp(type, "application/xml-dtd") == 0)
		return (0);
	return (1);
}

/* Decodes base64 text in place; what is not UTF-8 text is dropped. */
static void
parse_base64(struct buf *b)
{
	EVP_ENCODE_CTX	*ctx;
	unsigned char	*out;
	int		 n = 0, m = 0, ok;

	if (b->len == 0)
		return;
	out = xmalloc(b->len + 1);
	if ((ctx = EVP_ENCODE_CTX_new()) == NULL)
		fatalx("EVP_ENCODE_CTX_new");
	EVP_DecodeInit(ctx);
	ok = EVP_DecodeUpdate(ctx, out, &n, (unsigned char *)b->data,
	    (int)b->len) >= 0 && EVP_DecodeFinal(ctx, out + n, &m) == 1;
	EVP_ENCODE_CTX_free(ctx);
	buf_clear(b);
	if (ok && text_utf8_valid((char *)out, (size_t)(n + m), NULL) ==
	    (size_t)(n + m) && memchr(out, '\0', (size_t)(n + m)) == NULL)
		buf_add(b, out, (size_t)(n + m));
	free(out);
}

/* itunes:duration: seconds, MM:SS or HH:MM:SS; -1 when unreadable. */
static int64_t
parse_duration(const char *s)
{
	int64_t	 v = 0, part;
	int	 nparts = 0;
	char	*end;

	for (;;) {
		if (*s < '0' || *s > '9')
			return (-1);
		errno = 0;
		part = strtoll(s, &end, 10);
		if (errno != 0 || part > INT32_MAX || ++nparts > 3)
			return (-1);
		v = v * 60 + part;
		if (*end == '.')	/* fractions of a second */
			for (end++; *end >= '0' && *end <= '9'; end++)
				;
		if (*end != ':')
			break;
		s = end + 1;
	}
	return (*end == '\0' ? v : -1);
}

static void
parse_capture(struct parser *p, enum cap_kind kind, int slot, int prio,
    enum cap_type type)
{
	memset(&p->cap, 0, sizeof(p->cap));
	p->cap.kind = kind;
	p->cap.slot = slot;
	p->cap.prio = prio;
	p->cap.type = type;
	p->cap.depth = p->depth;
	p->capturing = 1;
	buf_clear(&p->text);
	parse_text_sync(p);
	/* Text outside fields is never looked at: expat need not hand it. */
	XML_SetCharacterDataHandler(p->xp, parse_text_cb);
}

/*
 * The type of an Atom text construct (RFC 4287 3.1.1) or Atom 0.3
 * content (mode="escaped|xml", type="text/html").  type="text" and any
 * "text/" type but text/html (4.1.3.3) are plain text; summaries and
 * content are HTML in the records, so their text becomes HTML
 * (CT_PLAIN); titles stay text.  Without a type a summary or content is
 * read as HTML, although RFC 4287 says text: feeds that leave the type
 * out put escaped HTML there far more often than a literal "<", and
 * showing their markup as text would spoil every item of theirs.
 */
static enum cap_type
parse_text_type(struct parser *p, const XML_Char **attrs, int is_title,
    int *xhtml)
{
	const char	*type, *mode;

	*xhtml = 0;
	type = parse_attr(p, attrs, "type", NS_NONE);
	mode = parse_attr(p, attrs, "mode", NS_NONE);
	if ((type != NULL && (strcmp(type, "xhtml") == 0 ||
	    strcmp(type, "application/xhtml+xml") == 0)) ||
	    (mode != NULL && strcmp(mode, "xml") == 0)) {
		*xhtml = type != NULL && strcmp(type, "xhtml") == 0;
		return (is_title ? CT_TEXT : CT_MARKUP);
	}
	if (type != NULL && (strcmp(type, "html") == 0 ||
	    strcmp(type, "text/html") == 0))
		return (is_title ? CT_HTML : CT_MARKUP);
	if (type != NULL && (strcmp(type, "text") == 0 ||
	    (strncasecmp(type, "text/", 5) == 0 &&
	    strcasecmp(type + 5, "html") != 0)))
		return (is_title ? CT_TEXT : CT_PLAIN);
	return (is_title ? CT_TEXT : CT_MARKUP);
}

static void
parse_item_start(struct parser *p, const XML_Char **attrs)
{
	const char	*about;

	if (p->nitems >= p->opts.max_items) {
		if (!p->items_capped)
			feed_doc_add_warning(p->doc,
			    "more than %zu items: the rest were skipped",
			    p->opts.max_items);
		p->items_capped = 1;
		p->stack[p->depth - 1].ctx = CTX_SKIP;
		return;
	}
	p->item = feed_item_new();
	memset(p->item_prio, 0, sizeof(p->item_prio));
	p->duration = -1;
	p->guid_permalink = 1;
	p->title_v1_html = 0;
	free(p->rdf_about);
	p->rdf_about = NULL;
	parse_text_base_clear(p);
	if ((about = parse_attr(p, attrs, "about", NS_RDF)) != NULL)
		p->rdf_about = text_trim(about, strlen(about));
	p->stack[p->depth - 1].ctx = CTX_ITEM;
}

static void
parse_item_end(struct parser *p)
{
	struct feed_item	*it = p->item;
	size_t			 i;

	p->item = NULL;
	/* itunes:duration is the length of the episode's audio. */
	for (i = 0; p->duration >= 0 && i < it->nenclosures; i++)
		if (it->enclosures[i].duration < 0)
			it->enclosures[i].duration = p->duration;
	/* RSS 2.0: a guid is a permalink unless isPermaLink="false". */
	if (it->link == NULL && it->guid != NULL && p->guid_permalink &&
	    (strncmp(it->guid, "http://", 7) == 0 ||
	    strncmp(it->guid, "https://", 8) == 0))
		it->link = parse_url(NULL, it->guid, 0);
	if (it->link == NULL && p->rdf_about != NULL && *p->rdf_about != '\0') {
		it->link = parse_link(p, p->rdf_about, URL_MAILTO);
		if (it->link_v1 == NULL)
			it->link_v1 = parse_resolve(p, p->rdf_about);
	}
	if (p->content_cut && it->content != NULL)
		parse_cut_note(&it->content, p->opts.max_field, it->link);
	if (p->summary_cut && it->summary != NULL)
		parse_cut_note(&it->summary, p->opts.max_field, it->link);
	parse_item_text_v1(p, it);
	parse_item_base(p, it);
	/* RFC 4287 4.2.1: an entry without author has the feed's. */
	if (p->atom && it->author == NULL && p->doc->author != NULL)
		it->author = xstrdup(p->doc->author);
	/*
	 * The old title: none, when no element it came from had text (a
	 * media:title alone); else kept only where it differs.
	 */
	parse_title_v1_html(p, it);
	if (p->item_prio[IS_TITLE_V1] == 0 && it->title != NULL)
		it->title_v1 = xstrdup("");
	else if (it->title_v1 != NULL && strcmp(it->title_v1,
	    it->title != NULL ? it->title : "") == 0) {
		free(it->title_v1);
		it->title_v1 = NULL;
	}
	feed_item_set_key(it, p->rdf_about);
	p->nitems++;
	if (p->opts.item_cb != NULL) {
		/* Handed out: a retry from the start would repeat it. */
		p->replay_off = 1;
		buf_free(&p->replay);
		p->opts.item_cb(it, p->opts.item_arg);
	}
	else
		feed_doc_add_item(p->doc, it);
}

static void
parse_root(struct parser *p, enum elem e, enum ns_variant v,
    const char *local, const XML_Char **attrs)
{
	struct frame	*f = &p->stack[0];
	const char	*version, *lang;
	char		 name[64];
	size_t		 i;

	if (e == E_UNKNOWN && strcmp(local, "rss") == 0) {
		version = parse_attr(p, attrs, "version", NS_NONE);
		if (version != NULL && strcmp(version, "0.91") == 0)
			p->doc->format = FEED_FORMAT_RSS091;
		else if (version != NULL && strcmp(version, "0.92") == 0)
			p->doc->format = FEED_FORMAT_RSS092;
		else if (version != NULL && strcmp(version, "0.93") == 0)
			p->doc->format = FEED_FORMAT_RSS093;
		else if (version != NULL && strcmp(version, "0.94") == 0)
			p->doc->format = FEED_FORMAT_RSS094;
		else if (version != NULL && strcmp(version, "0.90") == 0)
			p->doc->format = FEED_FORMAT_RSS090;
		else
			p->doc->format = FEED_FORMAT_RSS20;
		f->ctx = CTX_ROOT;
		return;
	}
	switch (e) {
	case E_RDF:
		p->doc->format = FEED_FORMAT_RSS10;
		f->ctx = CTX_ROOT;
		return;
	case E_FEED:
		p->atom = 1;
		p->doc->format = v == NSV_ATOM03 ? FEED_FORMAT_ATOM03 :
		    FEED_FORMAT_ATOM10;
		f->ctx = CTX_FEED;
		if ((lang = parse_attr(p, attrs, "lang", NS_XML)) != NULL)
			parse_set(&p->doc->language,
			    &p->feed_prio[FS_LANGUAGE], 1,
			    text_trim(lang, strlen(lang)));
		return;
	case E_CHANNEL:
		p->doc->format = FEED_FORMAT_RSS20;
		f->ctx = CTX_FEED;
		return;
	default:
		break;
	}
	if (strcasecmp(local, "html") == 0) {
		parse_fail(p, "not a feed: an HTML page");
		return;
	}
	/* Quote a printable, bounded copy of a name the document chose. */
	for (i = 0; local[i] != '\0' && i < sizeof(name) - 1; i++)
		name[i] = local[i] >= 0x20 && local[i] < 0x7f ? local[i] : '?';
	name[i] = '\0';
	parse_fail(p, "not a feed: the root element is <%s>", name);
}

/*
 * Recomputes the bound of parse_text_cb()'s fast path after p->text grew or
 * the capture changed: an append of n bytes takes it when len + n is below
 * text_lim, that is when it fits the buffer (with room for a NUL) and
 * stays within max_field.  A truncated capture has none.
 */
static void
parse_text_sync(struct parser *p)
{
	size_t	lim = p->opts.max_field + 1;

	if (p->cap.truncated)
		p->text_lim = 0;
	else
		p->text_lim = p->text.cap < lim ? p->text.cap : lim;
}

/*
 * Appends to the captured field, never past max_field.  The field is one
 * byte stream (text, escaped text, serialised tags), cut at the same byte
 * however expat split it, then back to a character boundary; so the result
 * does not depend on how the document was chunked.  Small enough to
 * inline: serialised markup calls it for every "<", name and quote.
 */
static inline void
parse_cap_add(struct parser *p, const char *s, size_t n)
{
	struct buf	*b = &p->text;

	if (b->len + n < p->text_lim) {
		memcpy(b->data + b->len, s, n);
		b->len += n;
	} else
		parse_cap_add_slow(p, s, n);
}

/* parse_cap_add() when the buffer must grow or the field is cut. */
static void
parse_cap_add_slow(struct parser *p, const char *s, size_t n)
{
	struct buf	*b = &p->text;
	size_t		 room, start;
	unsigned char	 c;
	int		 need;

	if (p->cap.truncated)
		return;
	room = p->opts.max_field > b->len ? p->opts.max_field - b->len : 0;
	if (n <= room) {
		/* The hot path: expat calls here for every run of text. */
		if (b->cap - b->len > n) {
			memcpy(b->data + b->len, s, n);
			b->len += n;
		} else {
			buf_add(b, s, n);
			parse_text_sync(p);
		}
		return;
	}
	buf_add(b, s, room);
	p->cap.truncated = 1;
	parse_text_sync(p);
	/* Drop a last character the cut left incomplete. */
	for (start = b->len; start > 0; start--) {
		c = (unsigned char)b->data[start - 1];
		if ((c & 0xc0) != 0x80)
			break;
	}
	if (start == 0)
		return;
	c = (unsigned char)b->data[start - 1];
	need = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	if (b->len - (start - 1) < (size_t)need)
		b->len = start - 1;
	b->data[b->len] = '\0';
}

/* Appends text escaped for HTML (inside serialised markup). */
static void
parse_cap_add_escaped(struct parser *p, const char *s, size_t n, int attr)
{
	/* Straight in when even the worst case (&quot; for ") fits. */
	if (!p->cap.truncated && n <= p->opts.max_field / 6 &&
	    p->text.len + n * 6 <= p->opts.max_field) {
		text_escape_html(&p->text, s, n, attr);
		parse_text_sync(p);
		return;
	}
	buf_clear(&p->scratch);
	text_escape_html(&p->scratch, s, n, attr);
	parse_cap_add(p, p->scratch.data, p->scratch.len);
}

static void
parse_cap_adds(struct parser *p, const char *s)
{
	parse_cap_add(p, s, strlen(s));
}

/* Writes a start tag into a markup capture. */
static void
parse_markup_start(struct parser *p, struct frame *f, const char *local,
    enum ns ns, const XML_Char **attrs)
{
	const char *const	*v;
	const char		*al;
	size_t			 i;

	/* RFC 4287 4.1.3.3: xhtml content is the div's children. */
	if (p->cap.xhtml && !p->cap.wrapper_seen &&
	    p->depth == p->cap.depth + 1 && ns == NS_XHTML &&
	    strcmp(local, "div") == 0) {
		p->cap.wrapper_seen = 1;
		f->flags |= FRAME_NOTAG;
		return;
	}
	if (p->cap.truncated)
		return;
	parse_cap_add(p, "<", 1);
	parse_cap_adds(p, local);
	for (i = 0; attrs[i] != NULL; i += 2) {
		al = parse_local_name(attrs[i]);
		parse_cap_add(p, " ", 1);
		parse_cap_adds(p, al);
		parse_cap_add(p, "=\"", 2);
		parse_cap_add_escaped(p, attrs[i + 1], strlen(attrs[i + 1]), 1);
		parse_cap_add(p, "\"", 1);
	}
	parse_cap_add(p, ">", 1);
	for (v = html_void; *v != NULL; v++) {
		if ((*v)[0] == local[0] && strcmp(local, *v) == 0) {
			f->flags |= FRAME_VOID;
			break;
		}
	}
}

/* nons: the URI a prefix is bound to here, else a well-known one's. */
static const char *
parse_nons_uri(struct parser *p, const char *prefix, size_t plen)
{
	size_t	i;

	for (i = p->nnsdecls; i > 0; i--) {
		if (strlen(p->nsdecls[i - 1].prefix) == plen &&
		    memcmp(p->nsdecls[i - 1].prefix, prefix, plen) == 0)
			return (p->nsdecls[i - 1].uri);
	}
	if (plen == 0)
		return (NULL);
	for (i = 0; i < sizeof(ns_known_prefixes) /
	    sizeof(*ns_known_prefixes); i++) {
		if (strlen(ns_known_prefixes[i].prefix) == plen &&
		    memcmp(ns_known_prefixes[i].prefix, prefix, plen) == 0)
			return (ns_known_prefixes[i].uri);
	}
	return (NULL);
}

/* nons: appends "URI<sep>local" for a prefixed name, or the name. */
static size_t
parse_nons_name(struct parser *p, const char *name, int attr)
{
	const char	*colon, *uri;
	size_t		 off = p->nsnames.len;

	colon = strchr(name, ':');
	uri = parse_nons_uri(p, name, colon != NULL ?
	    (size_t)(colon - name) : 0);
	/* Attributes without a prefix have no namespace (Namespaces 6.2). */
	if (uri != NULL && (colon != NULL || !attr)) {
		buf_adds(&p->nsnames, uri);
		buf_add(&p->nsnames, "\x01", 1);
		buf_adds(&p->nsnames, colon != NULL ? colon + 1 : name);
	} else
		buf_adds(&p->nsnames, name);
	buf_add(&p->nsnames, "", 1);
	return (off);
}

/*
 * Without namespace processing (a retry after an undeclared prefix), the
 * names expat hands over are rewritten as its namespace mode would have
 * written them, from the document's declarations in scope and the
 * well-known prefixes; xmlns attributes are taken out.
 */
static void
parse_nons_start(struct parser *p, const XML_Char **name,
    const XML_Char ***attrs)
{
	const XML_Char	**a = *attrs;
	struct nsdecl	 *d;
	size_t		  i, n, off;

	for (i = 0; a[i] != NULL; i += 2) {
		if (strncmp(a[i], "xmlns", 5) != 0 ||
		    (a[i][5] != '\0' && a[i][5] != ':'))
			continue;
		p->nsdecls = xreallocarray(p->nsdecls, p->nnsdecls + 1,
		    sizeof(*p->nsdecls));
		d = &p->nsdecls[p->nnsdecls++];
		d->depth = p->depth;
		d->prefix = xstrdup(a[i][5] == ':' ? a[i] + 6 : "");
		d->uri = xstrdup(a[i + 1]);
	}
	buf_clear(&p->nsnames);
	off = parse_nons_name(p, *name, 0);
	for (n = 0, i = 0; a[i] != NULL; i += 2) {
		if (strncmp(a[i], "xmlns", 5) == 0 &&
		    (a[i][5] == '\0' || a[i][5] == ':'))
			continue;
		if (n + 3 > p->nsattrscap) {
			p->nsattrscap = (n + 3) * 2;
			p->nsattrs = xreallocarray(p->nsattrs, p->nsattrscap,
			    sizeof(*p->nsattrs));
		}
		p->nsattrs[n++] = (const char *)(uintptr_t)parse_nons_name(p,
		    a[i], 1);
		p->nsattrs[n++] = a[i + 1];
	}
	if (p->nsattrscap == 0) {
		p->nsattrscap = 4;
		p->nsattrs = xreallocarray(NULL, 4, sizeof(*p->nsattrs));
	}
	p->nsattrs[n] = NULL;
	/* The buffer is complete: offsets become pointers. */
	for (i = 0; i < n; i += 2)
		p->nsattrs[i] = p->nsnames.data + (uintptr_t)p->nsattrs[i];
	*name = p->nsnames.data + off;
	*attrs = p->nsattrs;
}

/* nons: declarations go out of scope with their element. */
static void
parse_nons_end(struct parser *p)
{
	while (p->nnsdecls > 0 &&
	    p->nsdecls[p->nnsdecls - 1].depth + 1 >= p->depth) {
		p->nnsdecls--;
		free(p->nsdecls[p->nnsdecls].prefix);
		free(p->nsdecls[p->nnsdecls].uri);
	}
}

static void
parse_start_cb(void *arg, const XML_Char *name, const XML_Char **attrs)
{
	struct parser	*p = arg;
	struct frame	*f, *parent;
	enum ns_variant	 v;
	enum ns		 ns;
	enum elem	 e;
	const struct tag *t;
	const char	*local, *xbase, *a;
	int		 xhtml, item, prio;
	enum cap_type	 ct;

	if (p->nons)
		parse_nons_start(p, &name, &attrs);

	if (p->depth >= p->opts.max_depth) {
		if (!p->depth_warned)
			feed_doc_add_warning(p->doc, "elements nested deeper "
			    "than %u levels were skipped", p->opts.max_depth);
		p->depth_warned = 1;
		p->depth++;
		if (p->capturing && p->cap.type == CT_MARKUP)
			parse_markup_depth(p);
		return;
	}
	f = &p->stack[p->depth];
	parent = p->depth > 0 ? &p->stack[p->depth - 1] : NULL;
	p->depth++;
	f->ctx = CTX_SKIP;
	f->flags = 0;
	if (p->capturing && p->cap.type == CT_MARKUP &&
	    p->depth == p->cap.depth + 1)
		parse_markup_depth(p);

	if ((xbase = parse_xml_base(attrs)) != NULL) {
		parse_push_base(p, xbase);
		f->flags |= FRAME_BASE;
	}
	local = parse_split_name(name, &ns, &v);

	if (p->capturing) {
		f->ctx = CTX_CAPTURE;
		if (p->cap.type == CT_MARKUP)
			parse_markup_start(p, f, local, ns, attrs);
		return;
	}
	t = parse_tag_find(p, local, ns);
	e = t->elem;
	if (parent == NULL) {
		parse_root(p, e, v, local, attrs);
		return;
	}

	switch (parent->ctx) {
	case CTX_ROOT:
		/* RSS 0.90's own namespace, channel or not, is RSS 0.90. */
		if (v == NSV_RSS090)
			p->doc->format = FEED_FORMAT_RSS090;
		if (e == E_CHANNEL) {
			f->ctx = CTX_FEED;
		} else if (e == E_ITEM)
			parse_item_start(p, attrs);
		return;
	case CTX_PERSON:
		if (e == E_NAME)
			parse_capture(p, CAP_PERSON_NAME, 0, 0, CT_TEXT);
		else if (e == E_EMAIL)
			parse_capture(p, CAP_PERSON_EMAIL, 0, 0, CT_TEXT);
		else
			return;
		f->ctx = CTX_CAPTURE;
		return;
	case CTX_SKIPHOURS:
		if (e == E_HOUR) {
			parse_capture(p, CAP_HOUR, 0, 0, CT_TEXT);
			f->ctx = CTX_CAPTURE;
		}
		return;
	case CTX_SKIPDAYS:
		if (e == E_DAY) {
			parse_capture(p, CAP_DAY, 0, 0, CT_TEXT);
			f->ctx = CTX_CAPTURE;
		}
		return;
	case CTX_MEDIAGROUP:
		if (e == E_MEDIA_CONTENT)
			parse_enclosure(p, parse_attr(p, attrs, "url",
			    NS_NONE), parse_attr(p, attrs, "type", NS_NONE),
			    parse_attr(p, attrs, "fileSize", NS_NONE));
		else if (e == E_MEDIA_DESCRIPTION) {
			parse_capture(p, CAP_ITEM, IS_SUMMARY, 3, CT_RAW);
			f->ctx = CTX_CAPTURE;
		} else if (e == E_MEDIA_TITLE) {
			parse_capture(p, CAP_ITEM, IS_TITLE, 1, CT_TEXT);
			f->ctx = CTX_CAPTURE;
		} else if (e == E_MEDIA_THUMBNAIL)
			parse_image(p, parse_attr(p, attrs, "url", NS_NONE), 1);
		return;
	case CTX_FEED:
	case CTX_ITEM:
		break;
	default:
		return;
	}

	item = parent->ctx == CTX_ITEM;
	if ((prio = item ? t->iprio : t->fprio) != 0) {
		parse_capture(p, item ? CAP_ITEM : CAP_FEED, item ? t->islot :
		    t->fslot, prio, item ? t->itype : t->ftype);
		/* An empty <description/> says "no text": "". */
		p->cap.keep_empty = item && e == E_DESCRIPTION;
		f->ctx = CTX_CAPTURE;
		return;
	}
	switch (e) {
	case E_ITEM:
	case E_ENTRY:
		if (!item)
			parse_item_start(p, attrs);
		return;
	case E_TITLE:
		ct = parse_text_type(p, attrs, 1, &xhtml);
		parse_capture(p, item ? CAP_ITEM : CAP_FEED,
		    item ? IS_TITLE : FS_TITLE, 3, ct);
		p->cap.base64 = parse_is_base64(p, attrs);
		p->cap.html_maybe = !p->atom &&
		    parse_attr(p, attrs, "type", NS_NONE) == NULL;
		break;
	case E_LINK:
		if (parse_attr(p, attrs, "href", NS_NONE) != NULL) {
			parse_atom_link(p, attrs, !item);
			return;
		}
		a = parse_attr(p, attrs, "rel", NS_NONE);
		if (p->atom && item && a != NULL &&
		    strcmp(a, "enclosure") == 0) {
			/* Atom 0.3 style: the enclosure's URL as text. */
			parse_capture(p, CAP_ENCLOSURE, 0, 0, CT_TEXT);
			break;
		}
		if (p->atom && a != NULL && *a != '\0' &&
		    strcmp(a, "alternate") != 0)
			return;
		/* In Atom the text form is a fallback below rel=alternate. */
		parse_capture(p, item ? CAP_ITEM : CAP_FEED,
		    item ? IS_LINK : FS_LINK, p->atom ? 1 : 3, CT_TEXT);
		break;
	case E_ITUNES_CATEGORY:
		if (item && (a = parse_attr(p, attrs, "text", NS_NONE)) != NULL)
			parse_category(p, a);
		return;
	case E_ITUNES_DURATION:
	case E_ITUNES_EPISODE:
	case E_ITUNES_SEASON:
		if (!item)
			return;
		parse_capture(p, e == E_ITUNES_DURATION ? CAP_DURATION :
		    e == E_ITUNES_EPISODE ? CAP_EPISODE : CAP_SEASON, 0, 0,
		    CT_TEXT);
		break;
	case E_ITUNES_IMAGE:
		if (item)
			parse_image(p, parse_attr(p, attrs, "href", NS_NONE),
			    2);
		return;
	case E_MEDIA_THUMBNAIL:
		if (item)
			parse_image(p, parse_attr(p, attrs, "url", NS_NONE), 1);
		return;
	case E_SUBTITLE:
		if (item)
			return;
		ct = parse_text_type(p, attrs, 1, &xhtml);
		parse_capture(p, CAP_FEED, FS_SUBTITLE, 3, ct);
		p->cap.base64 = parse_is_base64(p, attrs);
		break;
	case E_SUMMARY:
		if (!item)
			return;
		ct = parse_text_type(p, attrs, 0, &xhtml);
		parse_capture(p, CAP_ITEM, IS_SUMMARY, 5, ct);
		p->cap.xhtml = xhtml;
		p->cap.base64 = parse_is_base64(p, attrs);
		break;
	case E_CONTENT:
		/* Out-of-line content (RFC 4287 4.1.3.2) has no text. */
		if (!item || parse_attr(p, attrs, "src", NS_NONE) != NULL)
			return;
		ct = parse_text_type(p, attrs, 0, &xhtml);
		parse_capture(p, CAP_ITEM, IS_CONTENT, 3, ct);
		p->cap.xhtml = xhtml;
		p->cap.base64 = parse_is_base64(p, attrs);
		break;
	case E_GUID:
		if (!item)
			return;
		a = parse_attr(p, attrs, "isPermaLink", NS_NONE);
		p->guid_permalink = a == NULL || strcasecmp(a, "false") != 0;
		parse_capture(p, CAP_ITEM, IS_GUID, 3, CT_TEXT);
		break;
	case E_AUTHOR:
		if (p->atom || v == NSV_ATOM10 || v == NSV_ATOM03) {
			/* Atom person construct (RFC 4287 3.2). */
			p->person_item = item;
			buf_clear(&p->person_name);
			buf_clear(&p->person_email);
			f->ctx = CTX_PERSON;
			return;
		}
		parse_capture(p, item ? CAP_ITEM : CAP_FEED,
		    item ? IS_AUTHOR : FS_AUTHOR, 2, CT_TEXT);
		break;
	case E_CATEGORY:
		if (!item)
			return;
		/* Atom (RFC 4287 4.2.2) says it in attributes. */
		if ((a = parse_attr(p, attrs, "term", NS_NONE)) != NULL ||
		    (a = parse_attr(p, attrs, "label", NS_NONE)) != NULL) {
			parse_category(p, a);
			return;
		}
		parse_capture(p, CAP_CATEGORY, 0, 0, CT_TEXT);
		break;
	case E_DC_SUBJECT:
		if (!item)
			return;
		parse_capture(p, CAP_CATEGORY, 0, 0, CT_TEXT);
		break;
	case E_ENCLOSURE:
		if (item)
			parse_enclosure(p, parse_attr(p, attrs, "url", NS_NONE),
			    parse_attr(p, attrs, "type", NS_NONE),
			    parse_attr(p, attrs, "length", NS_NONE));
		return;
	case E_MEDIA_CONTENT:
		if (item)
			parse_enclosure(p, parse_attr(p, attrs, "url", NS_NONE),
			    parse_attr(p, attrs, "type", NS_NONE),
			    parse_attr(p, attrs, "fileSize", NS_NONE));
		return;
	case E_MEDIA_GROUP:
		if (item)
			f->ctx = CTX_MEDIAGROUP;
		return;
	case E_TTL:
		if (item)
			return;
		parse_capture(p, CAP_TTL, 0, 0, CT_TEXT);
		break;
	case E_SY_PERIOD:
	case E_SY_FREQUENCY:
		if (item)
			return;
		parse_capture(p, e == E_SY_PERIOD ? CAP_SY_PERIOD :
		    CAP_SY_FREQUENCY, 0, 0, CT_TEXT);
		break;
	case E_SKIPHOURS:
		if (!item)
			f->ctx = CTX_SKIPHOURS;
		return;
	case E_SKIPDAYS:
		if (!item)
			f->ctx = CTX_SKIPDAYS;
		return;
	default:
		/* <image>, <textInput>, <source>, unknown: skipped whole. */
		return;
	}
	f->ctx = CTX_CAPTURE;
}

/* sy:updatePeriod (RSS 1.0 Syndication module) in seconds. */
static int64_t
parse_sy_period(const char *s)
{
	static const struct {
		const char	*name;
		int64_t		 secs;
	} periods[] = {
		{ "hourly", 3600 }, { "daily", 86400 }, { "weekly", 604800 },
		{ "monthly", 2592000 }, { "yearly", 31536000 },
	};
	size_t	i;

	for (i = 0; i < sizeof(periods) / sizeof(*periods); i++)
		if (strcasecmp(s, periods[i].name) == 0)
			return (periods[i].secs);
	return (-1);
}

static void
parse_hint(struct parser *p, enum cap_kind kind, const char *s)
{
	static const char *const days[] = { "Sunday", "Monday", "Tuesday",
	    "Wednesday", "Thursday", "Friday", "Saturday" };
	struct feed_hints	*h = &p->doc->hints;
	int64_t			 v;
	size_t			 i;

	switch (kind) {
	case CAP_TTL:
		if ((v = parse_length(s)) >= 0 && v < INT64_MAX / 60)
			h->ttl = v * 60;	/* RSS 2.0: minutes */
		break;
	case CAP_SY_PERIOD:
		p->sy_period = parse_sy_period(s);
		break;
	case CAP_SY_FREQUENCY:
		if ((v = parse_length(s)) > 0)
			p->sy_frequency = v;
		break;
	case CAP_HOUR:
		/* RSS 2.0 says 0-23; some feeds write 24 for midnight. */
		if ((v = parse_length(s)) >= 0 && v <= 24)
			h->skip_hours |= 1U << (v % 24);
		break;
	case CAP_DAY:
		for (i = 0; i < 7; i++)
			if (strcasecmp(s, days[i]) == 0)
				h->skip_days |= (uint8_t)(1U << i);
		break;
	default:
		break;
	}
}

/* Whether a capture is a one-line field a reader shows (not an id). */
static int
parse_cap_is_line(const struct capture *c)
{
	switch (c->kind) {
	case CAP_ITEM:
		return (c->slot == IS_TITLE || c->slot == IS_AUTHOR);
	case CAP_FEED:
		return (c->slot == FS_TITLE || c->slot == FS_AUTHOR ||
		    c->slot == FS_SUBTITLE);
	case CAP_CATEGORY:
	case CAP_PERSON_NAME:
	case CAP_PERSON_EMAIL:
		return (1);
	default:
		return (0);
	}
}

/*
 * Content or a summary cut at "max" bytes: ended where no word,
 * character reference or tag is left half (html_cut()), then a note that
 * says so and where the rest is, so whoever reads it (show, mail,
 * webhooks) sees it was cut.  The note goes past "max" by its own length.
 */
void
parse_cut_note(char **field, size_t max, const char *link)
{
	struct buf	 b = { NULL, 0, 0 };
	char		 size[32];

	if (max % (1024 * 1024) == 0)
		snprintf(size, sizeof(size), "%zu MiB", max / (1024 * 1024));
	else if (max % 1024 == 0)
		snprintf(size, sizeof(size), "%zu KiB", max / 1024);
	else
		snprintf(size, sizeof(size), "%zu bytes", max);
	buf_add(&b, *field, html_cut(*field, strlen(*field)));
	buf_adds(&b, "\n<p>[\xe2\x80\xa6 cut at ");
	buf_adds(&b, size);
	if (link != NULL) {
		buf_adds(&b, "; the rest is at <a href=\"");
		text_escape_html(&b, link, strlen(link), 1);
		buf_adds(&b, "\">");
		text_escape_html(&b, link, strlen(link), 0);
		buf_adds(&b, "</a>");
	}
	buf_adds(&b, "]</p>");
	free(*field);
	*field = b.data;
}

/* Says once per document that a field was cut at max_field. */
static void
parse_cut_warn(struct parser *p)
{
	const char	*what;

	if (p->field_warned)
		return;
	what = p->item != NULL ? "an item's" : "the feed's";
	feed_doc_add_warning(p->doc, "%s text was longer than %zu bytes and "
	    "was cut (first seen in item %zu)", what, p->opts.max_field,
	    p->nitems + 1);
	p->field_warned = 1;
}

/*
 * Plain text made HTML (text_plain_html()), held to max_field as every
 * field is; the text stays in p->plain where that changed it.  Takes
 * "val".
 */
static char *
parse_plain_html(struct parser *p, char *val)
{
	struct buf	 b = { NULL, 0, 0 };
	size_t		 len = strlen(val);

	if (text_plain_html(&b, val, len, p->opts.max_field)) {
		p->cap.truncated = 1;
		parse_cut_warn(p);
	}
	if (b.len == len && memcmp(b.data, val, len) == 0) {
		buf_free(&b);
		return (val);
	}
	free(p->plain);
	p->plain = val;
	return (b.data);
}

/* A captured field is complete: clean it up and store it. */
static void
parse_capture_end(struct parser *p)
{
	struct capture	*c = &p->cap;
	struct buf	 tmp = { NULL, 0, 0 };
	char		*val, *resolved, *old = NULL;
	size_t		 k;
	int		 v1, v1_html, html = 0;
	uint8_t		 prio;

	p->capturing = 0;
	XML_SetCharacterDataHandler(p->xp, NULL);
	if (c->truncated)
		parse_cut_warn(p);
	/*
	 * An item title as an older feedd kept it (see parse_title_v1):
	 * from the elements it read (not media:title), before base64 or
	 * escaped HTML was decoded and controls were cleaned.
	 */
	v1 = c->kind == CAP_ITEM && c->slot == IS_TITLE && c->prio >= 2 &&
	    p->item != NULL;
	if (v1 && c->base64)
		old = text_fold(p->text.data ? p->text.data : "", p->text.len);
	if (c->base64)
		parse_base64(&p->text);
	/*
	 * An RSS title is plain text, but publishers escape HTML into it
	 * ("&amp;lt;em&amp;gt;"): read as HTML when it looks so, as readers
	 * guess; a title about tags ("Vector&lt;T&gt;", "&lt;div&gt;")
	 * stays as written.
	 */
	if (c->html_maybe && c->type == CT_TEXT && p->text.len != 0 &&
	    text_looks_html(p->text.data, p->text.len)) {
		c->type = CT_HTML;
		html = 1;
	}
	if (v1 && html && old == NULL)
		old = text_fold(p->text.data, p->text.len);
	/* HTML with markup, which the old rule read otherwise: see below. */
	v1_html = v1 && old == NULL && c->type == CT_HTML &&
	    p->text.len != 0 && memchr(p->text.data, '<', p->text.len) != NULL;
	if (v1_html)
		old = xstrndup(p->text.data, p->text.len);
	switch (c->type) {
	case CT_HTML:
		text_html_title(&tmp, p->text.data ? p->text.data : "",
		    p->text.len);
		val = text_fold(tmp.data ? tmp.data : "", tmp.len);
		buf_free(&tmp);
		break;
	case CT_TEXT:
		val = text_fold(p->text.data ? p->text.data : "", p->text.len);
		break;
	default:
		val = text_trim(p->text.data ? p->text.data : "", p->text.len);
		break;
	}
	if (p->latin1) {
		val = charset_fix_latin1(val);
		if (old != NULL && !v1_html)
			old = charset_fix_latin1(old);
	}
	if (parse_cap_is_line(c) && val[k = parse_line_dirty(val)] != '\0') {
		if (v1 && old == NULL)
			old = xstrdup(val);
		val = parse_clean_line_at(val, k);
	}
	if (v1)
		parse_title_v1(p, c->prio, old, val, v1_html);
	else if (c->base64)
		parse_clean_text(val);	/* XML itself has no other C0 */
	if (c->type == CT_PLAIN)
		val = parse_plain_html(p, val);

	switch (c->kind) {
	case CAP_PERSON_NAME:
		buf_clear(&p->person_name);
		buf_adds(&p->person_name, val);
		break;
	case CAP_PERSON_EMAIL:
		buf_clear(&p->person_email);
		buf_adds(&p->person_email, val);
		break;
	case CAP_CATEGORY:
		if (*val != '\0' && p->item != NULL)
			feed_item_add_category(p->item, val);
		break;
	case CAP_TTL:
	case CAP_SY_PERIOD:
	case CAP_SY_FREQUENCY:
	case CAP_HOUR:
	case CAP_DAY:
		parse_hint(p, c->kind, val);
		break;
	case CAP_ENCLOSURE:
		parse_enclosure(p, val, NULL, NULL);
		break;
	case CAP_DURATION:
		p->duration = parse_duration(val);
		break;
	case CAP_EPISODE:
	case CAP_SEASON:
		if (p->item != NULL)
			*(c->kind == CAP_EPISODE ? &p->item->episode :
			    &p->item->season) = parse_length(val);
		break;
	case CAP_ITEM:
		if (p->item == NULL)
			break;
		switch (c->slot) {
		case IS_PUBLISHED:
			parse_set_date(&p->item->published,
			    &p->item_prio[IS_PUBLISHED], c->prio, val);
			break;
		case IS_UPDATED:
			parse_set_date(&p->item->updated,
			    &p->item_prio[IS_UPDATED], c->prio, val);
			break;
		case IS_LINK:
			if (*val != '\0')
				parse_set_item_link(p, c->prio, val,
				    URL_MAILTO);
			break;
		case IS_GUID:
			parse_set(&p->item->guid, &p->item_prio[IS_GUID],
			    c->prio, val);
			return;
		case IS_TITLE:
			parse_set(&p->item->title, &p->item_prio[IS_TITLE],
			    c->prio, val);
			return;
		case IS_AUTHOR:
			parse_set(&p->item->author, &p->item_prio[IS_AUTHOR],
			    c->prio, val);
			return;
		case IS_SUMMARY:
			/* An empty <description/> says "no text": "". */
			if (*val == '\0' && c->keep_empty &&
			    p->item->summary == NULL) {
				p->item->summary = val;
				return;
			}
			prio = p->item_prio[IS_SUMMARY];
			parse_set(&p->item->summary,
			    &p->item_prio[IS_SUMMARY], c->prio, val);
			if (p->item_prio[IS_SUMMARY] != prio) {
				parse_text_base(p, &p->summary_base);
				free(p->summary_plain);
				p->summary_plain = p->plain;
				p->plain = NULL;
				p->summary_cut = c->truncated;
			}
			return;
		case IS_CONTENT:
			prio = p->item_prio[IS_CONTENT];
			parse_set(&p->item->content,
			    &p->item_prio[IS_CONTENT], c->prio, val);
			if (p->item_prio[IS_CONTENT] != prio) {
				parse_text_base(p, &p->content_base);
				free(p->content_plain);
				p->content_plain = p->plain;
				p->plain = NULL;
				p->content_cut = c->truncated;
			}
			return;
		}
		break;
	case CAP_FEED:
		switch (c->slot) {
		case FS_UPDATED:
			parse_set_date(&p->doc->updated,
			    &p->feed_prio[FS_UPDATED], c->prio, val);
			break;
		case FS_LINK:
			resolved = *val != '\0' ? parse_link(p, val, 0) : NULL;
			parse_set(&p->doc->link, &p->feed_prio[FS_LINK],
			    c->prio, resolved);
			break;
		case FS_TITLE:
			parse_set(&p->doc->title, &p->feed_prio[FS_TITLE],
			    c->prio, val);
			return;
		case FS_SUBTITLE:
			parse_set(&p->doc->subtitle,
			    &p->feed_prio[FS_SUBTITLE], c->prio, val);
			return;
		case FS_ID:
			parse_set(&p->doc->id, &p->feed_prio[FS_ID], c->prio,
			    val);
			return;
		case FS_LANGUAGE:
			parse_set(&p->doc->language,
			    &p->feed_prio[FS_LANGUAGE], c->prio, val);
			return;
		case FS_AUTHOR:
			parse_set(&p->doc->author, &p->feed_prio[FS_AUTHOR],
			    c->prio, val);
			return;
		}
		break;
	}
	free(val);
}

/*
 * An Atom person construct sets an author (over dc:creator and the
 * like); the persons of several <author> elements (RFC 4287 4.1.2 allows
 * any number) join with ", ", within max_field.  Takes "who".
 */
static void
parse_person_add(struct parser *p, char **field, uint8_t *cur, char *who)
{
	char	*both;

	if (*cur != PARSE_PERSON_PRIO || *field == NULL) {
		parse_set(field, cur, PARSE_PERSON_PRIO, who);
		return;
	}
	if (strlen(*field) + 2 + strlen(who) <= p->opts.max_field) {
		xasprintf(&both, "%s, %s", *field, who);
		free(*field);
		*field = both;
	}
	free(who);
}

static void
parse_person_end(struct parser *p)
{
	char	*who;

	if (p->person_name.len != 0 && p->person_email.len != 0)
		xasprintf(&who, "%s <%s>", p->person_name.data,
		    p->person_email.data);
	else if (p->person_name.len != 0)
		who = buf_strdup(&p->person_name);
	else if (p->person_email.len != 0)
		who = buf_strdup(&p->person_email);
	else
		return;
	if (p->person_item && p->item != NULL)
		parse_person_add(p, &p->item->author, &p->item_prio[IS_AUTHOR],
		    who);
	else if (!p->person_item)
		parse_person_add(p, &p->doc->author, &p->feed_prio[FS_AUTHOR],
		    who);
	else
		free(who);
}

static void
parse_end_cb(void *arg, const XML_Char *name)
{
	struct parser	*p = arg;
	struct frame	*f;
	const char	*local;

	if (p->nons)
		parse_nons_end(p);
	if (p->depth > p->opts.max_depth) {
		p->depth--;
		if (p->capturing && p->cap.type == CT_MARKUP)
			parse_markup_depth(p);
		return;
	}
	f = &p->stack[p->depth - 1];
	if (p->capturing && p->depth == p->cap.depth)
		parse_capture_end(p);
	else if (p->capturing && p->cap.type == CT_MARKUP &&
	    !(f->flags & (FRAME_NOTAG | FRAME_VOID)) && !p->cap.truncated) {
		local = parse_local_name(name);
		if (p->nons && strchr(local, ':') != NULL)
			local = strchr(local, ':') + 1;
		parse_cap_add(p, "</", 2);
		parse_cap_adds(p, local);
		parse_cap_add(p, ">", 1);
	} else if (f->ctx == CTX_ITEM && p->item != NULL)
		parse_item_end(p);
	else if (f->ctx == CTX_PERSON)
		parse_person_end(p);

	if (f->flags & FRAME_BASE) {
		p->nbases--;
		free(p->bases[p->nbases].url);
	}
	p->depth--;
	if (p->capturing && p->cap.type == CT_MARKUP &&
	    p->depth == p->cap.depth)
		parse_markup_depth(p);
}

/*
 * The hot path: expat calls here for every run of a field's text, and
 * half the runs are one byte (a newline, a decoded &lt; or &amp;), so
 * those skip the call to memcpy.
 */
static void
parse_text_cb(void *arg, const XML_Char *s, int len)
{
	struct parser	*p = arg;
	struct buf	*b = &p->text;
	size_t		 n = (size_t)len;

	char		*d;

	if (b->len + n >= p->text_lim) {
		parse_cap_add(p, s, n);
		return;
	}
	/* Length first, so memcpy is the last call and needs no frame. */
	d = b->data + b->len;
	b->len += n;
	if (n == 1)
		*d = *s;
	else
		memcpy(d, s, n);
}

/* Text inside an element of a markup capture is escaped as HTML. */
static void
parse_markup_text_cb(void *arg, const XML_Char *s, int len)
{
	parse_cap_add_escaped(arg, s, (size_t)len, 0);
}

/*
 * Picks the character data handler after the depth changed inside a
 * markup capture: text nested in its elements is escaped, its own is not.
 */
static void
parse_markup_depth(struct parser *p)
{
	XML_SetCharacterDataHandler(p->xp, p->depth > p->cap.depth ?
	    parse_markup_text_cb : parse_text_cb);
}

/*
 * An entity the document never declared: an HTML one (&nbsp;, &eacute;
 * ...) decodes, anything else is kept as written.  expat reports them
 * here, instead of failing the feed, because every document is given an
 * (empty) external DTD subset: see parse_external_entity_cb().  Undeclared
 * entities inside attribute values are dropped by expat without a call.
 */
static void
parse_skipped_entity_cb(void *arg, const XML_Char *name, int is_pe)
{
	struct parser	*p = arg;
	size_t		 len = strlen(name);
	uint32_t	 cp;

	if (is_pe || !p->capturing || p->cap.truncated)
		return;
	if ((cp = entities_lookup(name, len)) != 0) {
		buf_clear(&p->scratch);
		text_utf8_put(&p->scratch, cp);
		parse_cap_add(p, p->scratch.data, p->scratch.len);
		return;
	}
	parse_cap_add(p, "&", 1);
	parse_cap_add(p, name, len);
	parse_cap_add(p, ";", 1);
}

/*
 * Every document gets an empty external DTD subset (XML_UseForeignDTD),
 * and a DTD a document names is replaced by that empty one.  With an
 * external subset in play, XML 1.0 section 4.1 (WFC: Entity Declared)
 * lets undeclared entities through to parse_skipped_entity_cb, which
 * decodes the HTML set; parsing a real entity DTD per document cost 15%
 * of parsing time (bench/parse).  Nothing external is ever read (XXE).
 */
static int
parse_external_entity_cb(XML_Parser xp, const XML_Char *context,
    const XML_Char *base, const XML_Char *system_id,
    const XML_Char *public_id)
{
	XML_Parser	 ext;
	int		 ok;

	if (context != NULL)
		return (XML_STATUS_OK);
	if ((ext = XML_ExternalEntityParserCreate(xp, context, "UTF-8")) ==
	    NULL)
		return (XML_STATUS_ERROR);
	ok = XML_Parse(ext, "", 0, 1);
	XML_ParserFree(ext);
	return (ok == XML_STATUS_ERROR ? XML_STATUS_ERROR : XML_STATUS_OK);
}

/* Finds attribute "name" of the XML declaration in s[0..len). */
static const char *
parse_decl_attr(const char *s, size_t len, const char *name, size_t *vlen)
{
	const char	*p = s, *end = s + len, *q;
	size_t		 nlen = strlen(name);
	char		 quote;

	while ((q = memmem(p, (size_t)(end - p), name, nlen)) != NULL) {
		p = q + nlen;
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' ||
		    *p == '\n'))
			p++;
		if (p >= end || *p != '=')
			continue;
		for (p++; p < end && (*p == ' ' || *p == '\t'); p++)
			;
		if (p >= end || (*p != '"' && *p != '\''))
			continue;
		quote = *p++;
		if ((q = memchr(p, quote, (size_t)(end - p))) == NULL)
			return (NULL);
		*vlen = (size_t)(q - p);
		return (p);
	}
	return (NULL);
}

/*
 * Whether s[0..len) is UTF-8, allowing the window to end inside a
 * character (the rest of it is beyond the bytes we hold).
 */
static int
parse_utf8_prefix(const char *s, size_t len)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 ok = text_utf8_valid(s, len, NULL), k, need;

	if (ok == len)
		return (1);
	need = u[ok] >= 0xf0 && u[ok] <= 0xf4 ? 4 : u[ok] >= 0xe0 &&
	    u[ok] <= 0xef ? 3 : u[ok] >= 0xc2 && u[ok] <= 0xdf ? 2 : 0;
	if (need == 0 || len - ok >= need)
		return (0);
	for (k = ok + 1; k < len; k++)
		if ((u[k] & 0xc0) != 0x80)
			return (0);
	return (1);
}

/*
 * UTF-32 (XML 1.0 F.1: with a BOM, or "<" as four bytes) and EBCDIC
 * ("<?xm" in code page 37, whose declaration names the code page): set
 * up the converter to UTF-8 and return the bytes to skip (the BOM), or
 * (size_t)-1 for any other document.
 */
static size_t
parse_sniff_wide(struct parser *p, const char *s, size_t len)
{
	const unsigned char	*u = (const unsigned char *)s;
	const char		*from = NULL, *v, *end;
	char			 head[PARSE_SNIFF_LEN * 4], *in, *out;
	char			 label[CHARSET_LABEL_MAX];
	char			 name[CHARSET_LABEL_MAX];
	size_t			 skip = 0, inleft, outleft, vlen;
	iconv_t			 cd;
	int			 latin1;

	if (len < 4)
		return ((size_t)-1);
	if (memcmp(u, "\0\0\xfe\xff", 4) == 0 || memcmp(u, "\0\0\0<", 4) == 0) {
		from = "UTF-32BE";
		skip = u[2] == 0xfe ? 4 : 0;
	} else if (memcmp(u, "\xff\xfe\0\0", 4) == 0 ||
	    memcmp(u, "<\0\0\0", 4) == 0) {
		from = "UTF-32LE";
		skip = u[0] == 0xff ? 4 : 0;
	} else if (memcmp(u, "\x4c\x6f\xa7\x94", 4) == 0) {
		from = "CP037";
		p->ebcdic = 1;
		/* The declaration is ASCII, the same in every EBCDIC page. */
		if ((cd = iconv_open("UTF-8", "CP037")) != (iconv_t)-1) {
			in = (char *)(uintptr_t)s;
			inleft = len;
			out = head;
			outleft = sizeof(head);
			iconv(cd, &in, &inleft, &out, &outleft);
			iconv_close(cd);
			end = memmem(head, sizeof(head) - outleft, "?>", 2);
			if (end != NULL && (v = parse_decl_attr(head,
			    (size_t)(end - head), "encoding", &vlen)) != NULL &&
			    vlen > 0 && vlen < sizeof(label)) {
				memcpy(label, v, vlen);
				label[vlen] = '\0';
				if (charset_normalize(label, name, sizeof(name),
				    &latin1) == 0)
					from = name;
			}
		}
	} else
		return ((size_t)-1);
	if ((p->conv = iconv_open("UTF-8", from)) == (iconv_t)-1) {
		parse_fail(p, "cannot read %s", from);
		return (0);
	}
	return (skip);
}

/*
 * Whether "s" reads as UTF-8 and only as UTF-8: valid (but for a sequence
 * cut by its end) and with at least one multi-byte sequence.  Text in a
 * single-byte code page almost never is: its letters above 127 are not
 * followed by the continuation bytes UTF-8 needs.
 */
/* Whether an XML declaration of "declen" bytes (0: none) leaves the
 * document in UTF-8: it names UTF-8, or no charset at all. */
static int
parse_decl_utf8(const char *s, size_t declen)
{
	const char	*v;
	size_t		 vlen;

	if (declen == 0 || (v = parse_decl_attr(s, declen, "encoding",
	    &vlen)) == NULL)
		return (1);
	return ((vlen == 5 && strncasecmp(v, "utf-8", 5) == 0) ||
	    (vlen == 4 && strncasecmp(v, "utf8", 4) == 0));
}

static int
parse_utf8_only(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			break;
	return (i < len && parse_utf8_prefix(s + i, len - i));
}

/*
 * How many first bytes decide how the document is read: more when a
 * server's charset may be wrong about a document in UTF-8.
 */
static size_t
parse_sniff_need(const struct parser *p)
{
	if (p->charset != NULL && *p->charset != '\0' &&
	    !p->opts.force_charset && strcasecmp(p->charset, "utf-8") != 0 &&
	    strcasecmp(p->charset, "utf8") != 0)
		return (PARSE_CHARSET_SNIFF);
	return (PARSE_SNIFF_LEN);
}

/*
 * Decides, from the first bytes alone, how to read the document: JSON or
 * XML, which charset, and what to skip.  RFC 7303 3.3: a BOM wins, then
 * the charset from HTTP, then the XML declaration.  Returns the offset of
 * the first byte for expat; "*yes" is set to the offset of a
 * standalone="yes" value to neutralise (0 if none).  "s" holds "len"
 * bytes to sniff, and "all" bytes of the document's start in all.
 */
static size_t
parse_sniff(struct parser *p, const char *s, size_t len, size_t all,
    size_t *yes, const char **encoding, char *encbuf, size_t encsize)
{
	const unsigned char	*u = (const unsigned char *)s;
	const char		*decl_end, *v, *d;
	char			 label[CHARSET_LABEL_MAX];
	size_t			 i = 0, vlen, declen, dlen;
	int			 bom = 0, latin1;

	*yes = 0;
	*encoding = NULL;
	if ((i = parse_sniff_wide(p, s, len)) != (size_t)-1) {
		*encoding = "UTF-8";
		return (i);
	}
	i = 0;
	if (len >= 2 && ((u[0] == 0xfe && u[1] == 0xff) ||
	    (u[0] == 0xff && u[1] == 0xfe))) {
		p->wide = 1;
		return (0);	/* UTF-16 with BOM: expat reads it. */
	}
	if (len >= 4 && u[0] == '<' && u[1] == 0 && u[2] == '?' && u[3] == 0) {
		p->wide = 1;
		*encoding = "UTF-16LE";
		return (0);
	}
	if (len >= 4 && u[0] == 0 && u[1] == '<' && u[2] == 0 && u[3] == '?') {
		p->wide = 1;
		*encoding = "UTF-16BE";
		return (0);
	}
	if (len >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf) {
		bom = 1;
		i = 3;
	}
	/* White space before the XML declaration is common and harmless. */
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
	    s[i] == '\n'))
		i++;
	if (i < len && s[i] == '{') {
		p->mode = MODE_JSON;
		return (i);
	}
	/* HTML5's <!doctype html> is not even XML: say what it is. */
	if (len - i >= 14 && (strncasecmp(s + i, "<!doctype html", 14) == 0 ||
	    strncasecmp(s + i, "<html", 5) == 0)) {
		parse_fail(p, "not a feed: an HTML page");
		return (i);
	}
	if (bom) {
		*encoding = "UTF-8";
		return (i);
	}

	declen = 0;
	if (len - i >= 6 && memcmp(s + i, "<?xml", 5) == 0 &&
	    (decl_end = memmem(s + i, len - i, "?>", 2)) != NULL)
		declen = (size_t)(decl_end - (s + i));
	if (declen != 0 && (v = parse_decl_attr(s + i, declen, "standalone",
	    &vlen)) != NULL && vlen == 3 && memcmp(v, "yes", 3) == 0)
		*yes = (size_t)(v - s);
	v = NULL;
	vlen = 0;
	if (p->charset != NULL && *p->charset != '\0') {
		v = p->charset;
		vlen = strlen(v);
		/*
		 * Servers often label everything UTF-8.  When the first bytes
		 * are not UTF-8 (beyond a sequence cut by the end of this
		 * window) and the document names its own charset, trust it.
		 */
		if (strcasecmp(v, "utf-8") == 0 && declen != 0 &&
		    !p->opts.force_charset &&
		    !parse_utf8_prefix(s + i, len - i))
			v = NULL;
		/*
		 * And the other way round: a server's single-byte code page
		 * on a document that says it is UTF-8 (as XML does when it
		 * names no charset) and whose bytes are UTF-8 is taken at
		 * its word, as the latin-1 labels already are.  (An unknown
		 * label is read as UTF-8 anyway, with a warning.)  "all" is
		 * the same PARSE_CHARSET_SNIFF bytes however the document
		 * was handed over.
		 */
		else if (parse_sniff_need(p) == PARSE_CHARSET_SNIFF &&
		    charset_normalize(v, label, sizeof(label), &latin1) == 0 &&
		    parse_decl_utf8(s + i, declen) &&
		    parse_utf8_only(s + i, all - i))
			v = NULL;
	}
	if (declen != 0 && (d = parse_decl_attr(s + i, declen, "encoding",
	    &dlen)) != NULL && dlen > 0 && (!isalpha((unsigned char)*d) ||
	    strspn(d, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._-") < dlen)) {
		/*
		 * Not an EncName (XML 1.0 4.3.3: "866" starts with a digit):
		 * expat would refuse the declaration, though it is told the
		 * charset and reads no further than its syntax.
		 */
		p->encfix = (size_t)(d - s);
		p->encfixlen = dlen;
	}
	if (v == NULL && declen != 0)
		v = parse_decl_attr(s + i, declen, "encoding", &vlen);
	if (v == NULL || vlen == 0 || vlen >= sizeof(label))
		return (i);
	memcpy(label, v, vlen);
	label[vlen] = '\0';
	/* An 8-bit document cannot be UTF-16/32, whatever it says. */
	if (strncasecmp(label, "utf-16", 6) == 0 ||
	    strncasecmp(label, "utf-32", 6) == 0 ||
	    strncasecmp(label, "ucs-", 4) == 0 ||
	    strncasecmp(label, "unicode", 7) == 0) {
		*encoding = "UTF-8";
		return (i);
	}
	if (charset_normalize(label, encbuf, encsize, &latin1) != 0) {
		for (vlen = 0; label[vlen] != '\0'; vlen++)
			if (label[vlen] < 0x20 || label[vlen] > 0x7e)
				label[vlen] = '?';
		feed_doc_add_warning(p->doc, "unknown charset \"%s\": read "
		    "as UTF-8", label);
		p->guessed = 1;
		*encoding = "UTF-8";
		return (i);
	}
	p->latin1 = latin1;
	*encoding = encbuf;
	return (i);
}

static int
parse_xml_create(struct parser *p, const char *encoding)
{
	if (encoding != p->encoding) {
		free(p->encoding);
		p->encoding = encoding != NULL ? xstrdup(encoding) : NULL;
	}
	if (p->nons)
		p->xp = XML_ParserCreate(p->encoding);
	else
		p->xp = XML_ParserCreateNS(p->encoding, PARSE_NS_SEP);
	if (p->xp == NULL) {
		parse_fail(p, "cannot create an XML parser");
		return (-1);
	}
	XML_SetUserData(p->xp, p);
	XML_SetElementHandler(p->xp, parse_start_cb, parse_end_cb);
	XML_SetSkippedEntityHandler(p->xp, parse_skipped_entity_cb);
	XML_SetUnknownEncodingHandler(p->xp, charset_unknown_encoding_cb,
	    NULL);
	XML_UseForeignDTD(p->xp, XML_TRUE);
	XML_SetParamEntityParsing(p->xp, XML_PARAM_ENTITY_PARSING_ALWAYS);
	XML_SetExternalEntityRefHandler(p->xp, parse_external_entity_cb);
	p->mode = MODE_XML;
	return (0);
}

/*
 * Keeps bytes expat took, while a retry from the start is possible:
 * until the first item is complete (an undeclared prefix shows in the
 * channel or the first item), within PARSE_REPLAY_MAX.  The bytes of the
 * call that fails need no copy: the caller still has them.
 */
static void
parse_keep(struct parser *p, const char *s, size_t n)
{
	if (p->replay_off)
		return;
	if (p->nitems > 0 || p->replay.len + n > PARSE_REPLAY_MAX) {
		p->replay_off = 1;
		buf_free(&p->replay);
		return;
	}
	buf_add(&p->replay, s, n);
}

/* Forgets everything read, to read the same bytes again. */
static void
parse_reset(struct parser *p)
{
	struct feed_doc	*doc;
	size_t		 i;

	XML_ParserFree(p->xp);
	p->xp = NULL;
	doc = feed_doc_new();
	doc->warnings = p->doc->warnings;
	doc->nwarnings = p->doc->nwarnings;
	p->doc->warnings = NULL;
	p->doc->nwarnings = 0;
	feed_doc_free(p->doc);
	p->doc = doc;
	feed_item_free(p->item);
	p->item = NULL;
	for (i = 0; i < p->nbases; i++)
		free(p->bases[i].url);
	p->nbases = 0;
	for (i = 0; i < p->nnsdecls; i++) {
		free(p->nsdecls[i].prefix);
		free(p->nsdecls[i].uri);
	}
	p->nnsdecls = 0;
	free(p->rdf_about);
	p->rdf_about = NULL;
	parse_text_base_clear(p);
	memset(p->feed_prio, 0, sizeof(p->feed_prio));
	p->variant = NSV_PLAIN;
	p->atom = 0;
	p->nitems = 0;
	p->items_capped = 0;
	p->depth = 0;
	p->depth_warned = 0;
	p->sy_period = -1;
	p->sy_frequency = 0;
	p->finished = 0;
	p->capturing = 0;
	p->field_warned = 0;
	buf_clear(&p->text);
	parse_text_sync(p);
}

/*
 * Whether expat, reading UTF-8 (declared, or by default), stopped at a
 * byte that is not UTF-8: a document in another charset that says, or
 * lets it be assumed, it is UTF-8, not markup gone wrong.
 */
static int
parse_bad_utf8_here(struct parser *p)
{
	const char	*ctx;
	int		 off = 0, size = 0;

	if (p->encoding != NULL && strcasecmp(p->encoding, "UTF-8") != 0)
		return (0);
	if ((ctx = XML_GetInputContext(p->xp, &off, &size)) == NULL ||
	    off < 0 || off >= size)
		return (0);
	return (text_utf8_valid(ctx + off, (size_t)(size - off) < 4 ?
	    (size_t)(size - off) : 4, NULL) == 0);
}

/*
 * After an error expat reports before any item was handed out: an
 * undeclared prefix (itunes: without xmlns:itunes, common in podcasts)
 * is read again without namespace processing, and a document in an
 * unknown charset that is not UTF-8 either, or one that says it is UTF-8
 * but is not, is read again as windows-1252 (unless the feed's charset
 * setting said UTF-8).  0 when the parser starts over and the caller
 * should give it the current bytes again.
 */
static int
parse_retry(struct parser *p, enum XML_Error code)
{
	struct buf	old;

	/*
	 * After the first item, or past PARSE_REPLAY_MAX, a chunked parse
	 * has dropped its bytes; a whole one refuses too, so the result does
	 * not depend on how the bytes came.
	 */
	if (p->retried || p->replay_off || p->nitems > 0 ||
	    XML_GetCurrentByteIndex(p->xp) > PARSE_REPLAY_MAX)
		return (-1);
	if (code == XML_ERROR_UNBOUND_PREFIX && !p->nons) {
		feed_doc_add_warning(p->doc, "undeclared namespace prefix "
		    "(line %lu): read with the well-known prefixes bound",
		    (unsigned long)XML_GetCurrentLineNumber(p->xp));
		p->nons = 1;
	} else if (code == XML_ERROR_INVALID_TOKEN && (p->guessed ||
	    (!p->opts.force_charset && parse_bad_utf8_here(p)))) {
		if (p->guessed)
			feed_doc_add_warning(p->doc, "not UTF-8 either: read "
			    "as windows-1252");
		else
			feed_doc_add_warning(p->doc, "not UTF-8 (line %lu), "
			    "though read as UTF-8: read as windows-1252",
			    (unsigned long)XML_GetCurrentLineNumber(p->xp));
		free(p->encoding);
		p->encoding = xstrdup("windows-1252");
		p->latin1 = 1;
	} else
		return (-1);
	p->retried = 1;
	old = p->replay;
	memset(&p->replay, 0, sizeof(p->replay));
	p->replay_off = 1;
	parse_reset(p);
	if (parse_xml_create(p, p->encoding) != 0 || (old.len != 0 &&
	    parse_xml(p, old.data, old.len, 0) != 0)) {
		buf_free(&old);
		return (-1);
	}
	buf_free(&old);
	return (0);
}

/* Hands bytes to expat; records the first error. */
static int
parse_xml(struct parser *p, const char *s, size_t len, int final)
{
	enum XML_Error	 code;
	int		 chunk;

	for (;;) {
		chunk = len > INT32_MAX / 2 ? INT32_MAX / 2 : (int)len;
		if (XML_Parse(p->xp, s, chunk, final &&
		    (size_t)chunk == len) == XML_STATUS_OK) {
			/* The last call may have no bytes: s is then NULL. */
			if (chunk > 0) {
				/* After the final call no retry can come. */
				if (!final || (size_t)chunk != len)
					parse_keep(p, s, (size_t)chunk);
				s += chunk;
				len -= (size_t)chunk;
			}
			if (final && len == 0)
				p->finished = 1;
			if (len == 0)
				break;
			continue;
		}
		code = XML_GetErrorCode(p->xp);
		if (code != XML_ERROR_ABORTED && parse_retry(p, code) == 0)
			continue;
		if (p->mode == MODE_FAILED)
			return (-1);
		/* Input that ends early is a broken feed, not "not XML". */
		if (code != XML_ERROR_ABORTED &&
		    p->doc->format == FEED_FORMAT_UNKNOWN &&
		    code != XML_ERROR_UNCLOSED_TOKEN &&
		    code != XML_ERROR_NO_ELEMENTS &&
		    code != XML_ERROR_PARTIAL_CHAR)
			parse_fail(p, "not a feed: not XML (line %lu, column "
			    "%lu: %s)",
			    (unsigned long)XML_GetCurrentLineNumber(p->xp),
			    (unsigned long)XML_GetCurrentColumnNumber(p->xp) + 1,
			    XML_ErrorString(code));
		else if (code == XML_ERROR_INVALID_TOKEN &&
		    parse_bad_utf8_here(p))
			parse_fail(p, "XML error at line %lu, column %lu: a "
			    "byte that is not UTF-8 (the feed's charset "
			    "setting names the one it is in)",
			    (unsigned long)XML_GetCurrentLineNumber(p->xp),
			    (unsigned long)XML_GetCurrentColumnNumber(p->xp) + 1);
		else if (code != XML_ERROR_ABORTED)
			parse_fail(p, "XML error at line %lu, column %lu: %s",
			    (unsigned long)XML_GetCurrentLineNumber(p->xp),
			    (unsigned long)XML_GetCurrentColumnNumber(p->xp) + 1,
			    XML_ErrorString(code));
		p->mode = MODE_FAILED;
		return (-1);
	}
	return (0);
}

static int	parse_xml_refs(struct parser *, const char *, size_t, int);

/*
 * Documents expat cannot read even through an unknown-encoding handler
 * (UTF-32, EBCDIC: their markup is not ASCII bytes) are converted to
 * UTF-8 on the way in; a character split between chunks waits for the
 * rest.
 */
static int
parse_conv(struct parser *p, const char *s, size_t len, int final)
{
	char	*in, *out, tmp[4096];
	size_t	 inleft, outleft, i;

	if (len > 0)
		buf_add(&p->convin, s, len);
	in = p->convin.data;
	inleft = p->convin.len;
	buf_clear(&p->convout);
	while (inleft > 0) {
		out = tmp;
		outleft = sizeof(tmp);
		if (iconv(p->conv, &in, &inleft, &out, &outleft) !=
		    (size_t)-1) {
			buf_add(&p->convout, tmp, sizeof(tmp) - outleft);
			break;
		}
		buf_add(&p->convout, tmp, sizeof(tmp) - outleft);
		if (errno == E2BIG)
			continue;
		if (errno == EINVAL && !final)
			break;		/* a cut character: the rest comes */
		/* Not a character: a replacement, and on. */
		buf_adds(&p->convout, "\xef\xbf\xbd");
		in++;
		inleft--;
	}
	memmove(p->convin.data, in, inleft);
	p->convin.len = inleft;
	/* EBCDIC ends lines with NEL (0x15), which XML 1.0 does not know. */
	for (i = 0; p->ebcdic && i + 1 < p->convout.len; i++)
		if (p->convout.data[i] == '\xc2' &&
		    p->convout.data[i + 1] == '\x85') {
			p->convout.data[i] = ' ';
			p->convout.data[i + 1] = '\n';
		}
	return (parse_xml_refs(p, p->convout.data, p->convout.len, final));
}

#define PARSE_REF_MAX	32	/* bytes of a reference parse_xml_refs reads */

/*
 * The length of a character reference that starts s[0..len) ("&#"), 0
 * when it is none, or (size_t)-1 when the bytes end before it does;
 * "*cp" its value (0x110000 for any larger).
 */
static size_t
parse_ref_len(const char *s, size_t len, uint32_t *cp)
{
	size_t	i = 2;
	int	hex, d;

	*cp = 0;
	if (len < 3)
		return ((size_t)-1);
	if ((hex = s[2] == 'x'))
		i++;
	for (; i < len; i++) {
		/* Leading zeros without end: left to expat, not held. */
		if (i >= PARSE_REF_MAX)
			return (0);
		if (s[i] == ';')
			return (i > (size_t)(2 + hex) ? i + 1 : 0);
		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if (hex && (s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'f')
			d = (s[i] | 0x20) - 'a' + 10;
		else
			return (0);
		*cp = *cp * (hex ? 16 : 10) + (uint32_t)d;
		if (*cp > 0x10ffff)
			*cp = 0x110000;
	}
	return ((size_t)-1);
}

/* XML 1.0's Char production. */
static int
parse_xml_char(uint32_t cp)
{
	return (cp == 0x9 || cp == 0xa || cp == 0xd ||
	    (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) ||
	    (cp >= 0x10000 && cp <= 0x10ffff));
}

/*
 * A reference to a character XML 1.0 forbids (&#27; from a pasted
 * terminal escape, &#0;, a lone surrogate) is fatal to expat, and every
 * item after it would be lost at every poll.  Each becomes a space in
 * the same bytes ("&#27;" "&#32;", "&#x1b;" "&#x20;"; one digit, a TAB:
 * "&#1;" "&#9;"), so line and column numbers stay true.  This is done
 * in CDATA sections and comments too, where such a reference is text:
 * rare, and a space there loses less than the rest of the document.
 * A reference cut by a chunk's end waits for the rest.
 */
static int
parse_xml_refs(struct parser *p, const char *s, size_t len, int final)
{
	const char	*hash;
	char		*w = NULL;
	size_t		 i, keep, n, digits;
	uint32_t	 cp;

	if (p->wide)
		return (parse_xml(p, s, len, final));
	if (p->refcut.len != 0) {
		buf_clear(&p->refwork);
		buf_add(&p->refwork, p->refcut.data, p->refcut.len);
		buf_add(&p->refwork, s, len);
		buf_clear(&p->refcut);
		s = w = p->refwork.data;
		len = p->refwork.len;
	}
	/* A lone "&" at the end may be the start of one. */
	keep = !final && len > 0 && s[len - 1] == '&' ? len - 1 : len;
	/* By its "#": rarer than "&" in escaped HTML, so memchr goes far. */
	for (i = 1; i < len; i++) {
		if ((hash = memchr(s + i, '#', len - i)) == NULL)
			break;
		i = (size_t)(hash - s);
		if (i == 0 || s[i - 1] != '&')
			continue;
		if ((n = parse_ref_len(s + i - 1, len - i + 1, &cp)) ==
		    (size_t)-1) {
			if (!final)
				keep = i - 1;
			break;
		}
		if (n == 0 || parse_xml_char(cp))
			continue;
		if (w == NULL) {
			buf_clear(&p->refwork);
			buf_add(&p->refwork, s, len);
			s = w = p->refwork.data;
		}
		p->refs_fixed++;
		/* s[i - 1 .. i - 1 + n): "&#" or "&#x", digits, ";". */
		digits = n - 3 - (s[i + 1] == 'x');
		if (digits == 1)
			w[i + n - 3] = '9';
		else {
			memset(w + i + n - 2 - digits, '0', digits);
			memcpy(w + i + n - 4, s[i + 1] == 'x' ? "20" : "32",
			    2);
		}
		i += n - 2;
	}
	if (keep < len)
		buf_add(&p->refcut, s + keep, len - keep);
	if (keep == 0 && !final)
		return (0);
	return (parse_xml(p, s, keep, final));
}

/* Hands bytes to expat, through the converter when there is one. */
static int
parse_push(struct parser *p, const char *s, size_t len, int final)
{
	if (p->conv != (iconv_t)-1)
		return (parse_conv(p, s, len, final));
	return (parse_xml_refs(p, s, len, final));
}

/*
 * The first bytes decide how the rest is read.  "s" holds them (and may
 * be all of the document); "own" says whether we may patch it in place.
 */
static int
parse_begin(struct parser *p, char *s, size_t len, int own, int final)
{
	char		 encbuf[CHARSET_LABEL_MAX];
	const char	*encoding;
	char		*copy;
	size_t		 skip, yes, head;
	int		 r;

	skip = parse_sniff(p, s, len < PARSE_SNIFF_LEN ? len :
	    PARSE_SNIFF_LEN, len < PARSE_CHARSET_SNIFF ? len :
	    PARSE_CHARSET_SNIFF, &yes, &encoding, encbuf, sizeof(encbuf));
	if (p->mode == MODE_FAILED)
		return (-1);
	if (p->mode == MODE_JSON) {
		p->json = parse_json_new(&p->opts, p->doc, &p->nitems);
		return (parse_json_feed(p->json, s + skip, len - skip));
	}
	if (skip == len && final) {
		parse_fail(p, "not a feed: the document is empty");
		return (-1);
	}
	if (parse_xml_create(p, encoding) != 0)
		return (-1);
	if (yes == 0 && p->encfixlen == 0)
		return (parse_push(p, s + skip, len - skip, final));
	/* The patches keep lengths: line and column numbers stay true. */
	head = yes != 0 ? yes + 4 : 0;
	if (p->encfix + p->encfixlen > head)
		head = p->encfix + p->encfixlen;
	if (own)
		copy = s;
	else {
		copy = xmalloc(head);
		memcpy(copy, s, head);
	}
	/* standalone="yes" would forbid the entities of our DTD. */
	if (yes != 0)
		memcpy(copy + yes - 1, "\"no\" ", 5);
	if (p->encfixlen != 0) {
		memset(copy + p->encfix, '_', p->encfixlen);
		copy[p->encfix] = 'x';
	}
	if (own)
		return (parse_push(p, s + skip, len - skip, final));
	r = parse_push(p, copy + skip, head - skip, final && head == len);
	free(copy);
	if (r != 0 || head == len)
		return (r);
	return (parse_push(p, s + head, len - head, final));
}

int
parse_feed(struct parser *p, const void *data, size_t len)
{
	const char	*s = data;
	size_t		 need;

	switch (p->mode) {
	case MODE_SNIFF:
		need = parse_sniff_need(p);
		/* A first piece that is enough is read where it is. */
		if (p->head.len == 0 && len >= need)
			return (parse_begin(p, (char *)s, len, 0, 0));
		if (p->head.len + len < need) {
			buf_add(&p->head, s, len);
			return (0);
		}
		need -= p->head.len;
		buf_add(&p->head, s, need);
		if (parse_begin(p, p->head.data, p->head.len, 1, 0) != 0)
			return (-1);
		buf_free(&p->head);
		return (parse_feed(p, s + need, len - need));
	case MODE_XML:
		return (parse_push(p, s, len, 0));
	case MODE_JSON:
		return (parse_json_feed(p->json, s, len));
	case MODE_FAILED:
		break;
	}
	return (-1);
}

struct feed_doc *
parse_finish(struct parser *p, char **cause)
{
	struct feed_doc	*doc;
	char		*cause1;

	*cause = NULL;
	if (p->mode == MODE_SNIFF) {
		if (p->head.len == 0)
			parse_fail(p, "not a feed: the document is empty");
		else
			parse_begin(p, p->head.data, p->head.len, 1, 1);
	} else if (p->mode == MODE_XML && !p->finished)
		parse_push(p, NULL, 0, 1);
	if (p->mode == MODE_JSON) {
		if (parse_json_finish(p->json, &cause1, &p->error) != 0) {
			parse_fail(p, "%s", cause1);
			free(cause1);
		}
		parse_json_free(p->json);
		p->json = NULL;
	}
	/* sy:updateFrequency is per sy:updatePeriod (default daily). */
	if (p->sy_period > 0 || p->sy_frequency > 0)
		p->doc->hints.update_period = (p->sy_period > 0 ?
		    p->sy_period : 86400) / (p->sy_frequency > 0 ?
		    p->sy_frequency : 1);
	buf_free(&p->head);

	/*
	 * A document cut before its first item still says what the feed
	 * is, when its title or link was complete.
	 */
	if (p->error != NULL && p->nitems == 0 &&
	    (p->doc->format == FEED_FORMAT_UNKNOWN ||
	    (p->doc->title == NULL && p->doc->link == NULL))) {
		*cause = p->error;
		p->error = NULL;
		return (NULL);
	}
	if (p->refs_fixed > 0)
		feed_doc_add_warning(p->doc, "%zu reference%s to characters "
		    "XML forbids (such as &#27;) read as space%s", p->refs_fixed,
		    p->refs_fixed == 1 ? "" : "s", p->refs_fixed == 1 ? "" : "s");
	if (p->error != NULL) {
		feed_doc_add_warning(p->doc, "document broken (%s): kept the "
		    "%zu item%s before the break", p->error, p->nitems,
		    p->nitems == 1 ? "" : "s");
		p->doc->broken = 1;
	}
	if (p->doc->format == FEED_FORMAT_UNKNOWN) {
		*cause = xstrdup("not a feed: no RSS or Atom root element");
		return (NULL);
	}
	if (p->nitems == 0 && p->doc->title == NULL && p->error == NULL)
		feed_doc_add_warning(p->doc, "no items and no title: elements "
		    "in a namespace this parser does not know?");
	doc = p->doc;
	p->doc = NULL;
	return (doc);
}

void
parse_free(struct parser *p)
{
	size_t	i;

	if (p == NULL)
		return;
	if (p->xp != NULL)
		XML_ParserFree(p->xp);
	if (p->conv != (iconv_t)-1)
		iconv_close(p->conv);
	for (i = 0; i < p->nnsdecls; i++) {
		free(p->nsdecls[i].prefix);
		free(p->nsdecls[i].uri);
	}
	free(p->nsdecls);
	free(p->nsattrs);
	buf_free(&p->nsnames);
	buf_free(&p->convin);
	buf_free(&p->convout);
	buf_free(&p->refcut);
	buf_free(&p->refwork);
	buf_free(&p->replay);
	free(p->encoding);
	feed_doc_free(p->doc);
	feed_item_free(p->item);
	for (i = 0; i < p->nbases; i++)
		free(p->bases[i].url);
	free(p->bases);
	free(p->stack);
	free(p->rdf_about);
	parse_text_base_clear(p);
	free(p->error);
	free(p->base);
	free(p->charset);
	buf_free(&p->head);
	parse_json_free(p->json);
	buf_free(&p->text);
	buf_free(&p->scratch);
	buf_free(&p->person_name);
	buf_free(&p->person_email);
	free(p);
}

/*
 * A whole document at once: one final XML_Parse call, which expat runs
 * measurably faster than the same bytes in chunks.
 */
struct feed_doc *
parse_buffer(const void *data, size_t len, const struct parse_opts *opts,
    char **cause)
{
	struct parser	*p;
	struct feed_doc	*doc;

	p = parse_new(opts);
	if (len < PARSE_SNIFF_LEN)
		parse_feed(p, data, len);
	else
		parse_begin(p, (char *)(uintptr_t)data, len, 0, 1);
	doc = parse_finish(p, cause);
	parse_free(p);
	return (doc);
}
