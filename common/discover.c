/*
 * discover.c: feed autodiscovery.  The page is parsed by gumbo, an HTML5
 * parser, the way a browser would: <link> elements in odd places, upper
 * case attributes and unclosed tags all come out as a browser sees them.
 * Only the <link rel="alternate"> of a feed type count (the RSS
 * Autodiscovery and Atom conventions; application/feed+json and
 * application/json for JSON Feed), resolved against the page's <base
 * href> or else the page's own URL.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gumbo.h>

#include "discover.h"
#include "gumbo-guard.h"
#include "text.h"
#include "url.h"
#include "xmalloc.h"

/* At most this many links are reported: a page is not a directory. */
#define DISCOVER_MAX	32
#define DISCOVER_TITLE_MAX 60	/* bytes of a link's title in a label */

static const char *const discover_types[] = {
	"application/rss+xml",
	"application/atom+xml",
	"application/feed+json",
	"application/json",
	"application/rdf+xml",
};

/* Where a site that names no feed usually keeps one, most likely first. */
static const char *const discover_paths[] = {
	"/feed",
	"/rss.xml",
	"/atom.xml",
	"/index.xml",
	"/feed.json",
};

/*
 * A body that is an HTML page rather than a broken feed: the server
 * says text/html or application/xhtml+xml, or it starts (after blanks
 * and a byte order mark) with a doctype or an <html> tag.
 */
int
discover_is_html(const char *ctype, const char *body, size_t len)
{
	size_t	i = 0;

	if (ctype != NULL && (strncasecmp(ctype, "text/html", 9) == 0 ||
	    strncasecmp(ctype, "application/xhtml+xml", 21) == 0))
		return (1);
	if (body == NULL)
		return (0);
	if (len >= 3 && memcmp(body, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && isspace((unsigned char)body[i]))
		i++;
	return ((len - i >= 9 && strncasecmp(body + i, "<!doctype", 9) == 0 &&
	    len - i >= 14 && strncasecmp(body + i + 10, "html", 4) == 0) ||
	    (len - i >= 5 && strncasecmp(body + i, "<html", 5) == 0));
}

/* "rel" is a space-separated list of keywords, any case. */
static int
discover_rel_alternate(const char *rel)
{
	const char	*p = rel;
	size_t		 n;

	while (*p != '\0') {
		while (isspace((unsigned char)*p))
			p++;
		n = strcspn(p, " \t\n\f\r");
		if (n == 9 && strncasecmp(p, "alternate", 9) == 0)
			return (1);
		p += n;
	}
	return (0);
}

static int
discover_feed_type(const char *type)
{
	size_t	i, n;

	while (isspace((unsigned char)*type))
		type++;
	n = strcspn(type, "; \t");
	for (i = 0; i < sizeof(discover_types) / sizeof(*discover_types); i++)
		if (strlen(discover_types[i]) == n &&
		    strncasecmp(type, discover_types[i], n) == 0)
			return (1);
	return (0);
}

static const char *
discover_attr(const GumboElement *e, const char *name)
{
	GumboAttribute	*a = gumbo_get_attribute(&e->attributes, name);

	return (a != NULL ? a->value : NULL);
}

struct discover_walk {
	const char	*base;		/* the first <base href>, resolved */
	char		*base_own;
	const char	**hrefs;	/* in document order */
	const char	**titles;	/* each link's title, or NULL */
	const char	**types;
	size_t		 nhrefs;
};

static void
discover_visit(const GumboNode *n, struct discover_walk *w, const char *page)
{
	const GumboElement	*e;
	const char		*href, *rel, *type;
	unsigned int		 i;

	if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE)
		return;
	e = &n->v.element;
	if (e->tag == GUMBO_TAG_BASE && w->base_own == NULL &&
	    (href = discover_attr(e, "href")) != NULL) {
		w->base_own = url_resolve(page, href);
		w->base = w->base_own;
	}
	if (e->tag == GUMBO_TAG_LINK && w->nhrefs < DISCOVER_MAX &&
	    (href = discover_attr(e, "href")) != NULL && *href != '\0' &&
	    (rel = discover_attr(e, "rel")) != NULL &&
	    discover_rel_alternate(rel) &&
	    (type = discover_attr(e, "type")) != NULL &&
	    discover_feed_type(type)) {
		w->titles[w->nhrefs] = discover_attr(e, "title");
		w->types[w->nhrefs] = type;
		w->hrefs[w->nhrefs++] = href;
	}
	for (i = 0; i < e->children.length; i++)
		discover_visit(e->children.data[i], w, page);
}

/*
 * How a person tells a page's feeds apart: the link's title, folded and
 * cut, and the format its type names ("Comments (Atom)").
 */
static char *
discover_label(const char *title, const char *type)
{
	const char	*kind = "RSS";
	char		*t, *label;
	size_t		 n;

	if (strcasestr(type, "atom") != NULL)
		kind = "Atom";
	else if (strcasestr(type, "json") != NULL)
		kind = "JSON Feed";
	else if (strcasestr(type, "rdf") != NULL)
		kind = "RSS 1.0";
	if (title == NULL)
		return (xstrdup(kind));
	t = text_fold(title, strlen(title));
	if ((n = strlen(t)) > DISCOVER_TITLE_MAX) {
		n = text_utf8_cut(t, DISCOVER_TITLE_MAX);
		t[n] = '\0';
	}
	if (*t == '\0')
		label = xstrdup(kind);
	else
		xasprintf(&label, "%s (%s)", t, kind);
	free(t);
	return (label);
}

/*
 * The feeds an HTML page names, absolute and normalised (url_normalize),
 * each once, in document order; returns how many, with "*urls" to free
 * with discover_free(), and, unless "labels" is NULL, a label for each
 * (discover_label()), to free likewise.
 */
size_t
discover_links(const char *html, size_t len, const char *page, char ***urls,
    char ***labels)
{
	GumboOutput		*out;
	struct gumbo_arena	 arena;
	struct discover_walk	 w;
	char			*u;
	size_t			 i, j, n = 0;

	*urls = NULL;
	memset(&w, 0, sizeof(w));
	w.base = page;
	w.hrefs = xcalloc(DISCOVER_MAX, sizeof(*w.hrefs));
	w.titles = xcalloc(DISCOVER_MAX, sizeof(*w.titles));
	w.types = xcalloc(DISCOVER_MAX, sizeof(*w.types));
	/* A page gumbo gives up on (gumbo-guard.h) has no links. */
	if ((out = gumbo_guard_parse(&arena, html, len)) != NULL)
		/* <base> counts wherever it is, but only the first one. */
		discover_visit(out->root, &w, page);
	*urls = xcalloc(w.nhrefs + 1, sizeof(**urls));
	if (labels != NULL)
		*labels = xcalloc(w.nhrefs + 1, sizeof(**labels));
	for (i = 0; i < w.nhrefs; i++) {
		if ((u = url_normalize(w.base, w.hrefs[i], 0)) == NULL)
			continue;
		for (j = 0; j < n; j++)
			if (strcmp((*urls)[j], u) == 0)
				break;
		if (j < n) {
			free(u);
			continue;
		}
		if (labels != NULL)
			(*labels)[n] = discover_label(w.titles[i], w.types[i]);
		(*urls)[n++] = u;
	}
	gumbo_guard_done(&arena);
	free(w.hrefs);
	free(w.titles);
	free(w.types);
	free(w.base_own);
	return (n);
}

/* The common feed paths on the page's host, to try in order. */
size_t
discover_common(const char *page, char ***urls)
{
	size_t	i, n = 0;
	char	*u;

	*urls = xcalloc(sizeof(discover_paths) / sizeof(*discover_paths) + 1,
	    sizeof(**urls));
	for (i = 0; i < sizeof(discover_paths) / sizeof(*discover_paths);
	    i++)
		if ((u = url_normalize(page, discover_paths[i], 0)) != NULL)
			(*urls)[n++] = u;
	return (n);
}

void
discover_free(char **urls, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(urls[i]);
	free(urls);
}
