/*
 * opml.c: subscription lists.  OPML through expat: an outline without
 * xmlUrl is a folder, and the path of folders a feed sits in becomes
 * one tag ("Linux/Tech").  Export writes each feed once, inside the
 * folders of its first tag in sort order ("/" nests them), with all its
 * tags in "category" (OPML 2.0: comma-separated, "/"-rooted), so an
 * import of it gives back every tag exactly.  OPML has no place for a
 * feed's interval, pause or settings, so an export carries none.  Also
 * newsboat's "urls" file: a URL a line, then tags, "~Title" a title.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <expat.h>

#include "buf.h"
#include "opml.h"
#include "store.h"
#include "text.h"
#include "xmalloc.h"

#define OPML_MAX_OUTLINES	100000
#define OPML_MAX_DEPTH		64
#define OPML_MAX_TAG		1024	/* a folder path, as a tag */

struct opml_ctx {
	XML_Parser		 xp;
	struct opml_outline	*v;
	size_t			 n;
	char			*folders[OPML_MAX_DEPTH];
	unsigned int		 depth;		/* open outlines */
	int			 too_many;
	struct buf		 path;		/* folders, "/"-separated */
};

/* Any case: exporters write "xmlurl" and "xmlURL" as well. */
static const char *
opml_attr(const char **attrs, const char *name)
{
	size_t	i;

	for (i = 0; attrs[i] != NULL; i += 2)
		if (strcasecmp(attrs[i], name) == 0)
			return (attrs[i + 1]);
	return (NULL);
}

static void
opml_add_tag(struct opml_outline *o, const char *tag, size_t len)
{
	char	*t = text_fold(tag, len);
	size_t	 i;

	for (i = 0; i < o->ntags; i++) {
		if (strcmp(o->tags[i], t) == 0) {
			free(t);
			return;
		}
	}
	if (*t == '\0') {
		free(t);
		return;
	}
	o->tags = xreallocarray(o->tags, o->ntags + 1, sizeof(*o->tags));
	o->tags[o->ntags++] = t;
}

/* A tag of "category", its "%2C" and "%25" read back (opml_write()). */
static void
opml_category_in(struct opml_outline *o, const char *p, size_t len)
{
	struct buf	 b = { NULL, 0, 0 };
	size_t		 i;

	for (i = 0; i < len; i++) {
		if (p[i] == '%' && i + 2 < len && p[i + 1] == '2' &&
		    (p[i + 2] == 'C' || p[i + 2] == 'c' || p[i + 2] == '5')) {
			buf_addc(&b, p[i + 2] == '5' ? '%' : ',');
			i += 2;
		} else
			buf_addc(&b, p[i]);
	}
	if (b.len > 0)
		opml_add_tag(o, b.data, b.len);
	buf_free(&b);
}

static void
opml_start_cb(void *arg, const XML_Char *name, const XML_Char **attrs)
{
	struct opml_ctx		*c = arg;
	struct opml_outline	*o;
	const char		*url, *title, *cat, *p, *comma;
	unsigned int		 i;

	if (strcmp(name, "outline") != 0)
		return;
	c->depth++;
	title = opml_attr(attrs, "title");
	if (title == NULL)
		title = opml_attr(attrs, "text");
	if ((url = opml_attr(attrs, "xmlUrl")) == NULL) {
		/* A folder: its name tags what it holds. */
		if (c->depth <= OPML_MAX_DEPTH)
			c->folders[c->depth - 1] = title != NULL ?
			    xstrdup(title) : NULL;
		return;
	}
	if (c->depth <= OPML_MAX_DEPTH)
		c->folders[c->depth - 1] = NULL;
	if (c->n >= OPML_MAX_OUTLINES) {
		c->too_many = 1;
		return;
	}
	c->v = xreallocarray(c->v, c->n + 1, sizeof(*c->v));
	o = &c->v[c->n++];
	memset(o, 0, sizeof(*o));
	o->url = text_trim(url, strlen(url));
	o->title = title != NULL ? text_fold(title, strlen(title)) : NULL;
	/* No title, or the URL standing in for one: the feed's own. */
	if (o->title != NULL && (*o->title == '\0' ||
	    strcmp(o->title, o->url) == 0)) {
		free(o->title);
		o->title = NULL;
	}
	o->line = (unsigned int)XML_GetCurrentLineNumber(c->xp);
	buf_clear(&c->path);
	for (i = 0; i + 1 < c->depth && i < OPML_MAX_DEPTH; i++) {
		if (c->folders[i] == NULL || *c->folders[i] == '\0')
			continue;
		if (c->path.len > 0)
			buf_addc(&c->path, '/');
		buf_adds(&c->path, c->folders[i]);
	}
	if (c->path.len > 0 && c->path.len <= OPML_MAX_TAG)
		opml_add_tag(o, c->path.data, c->path.len);
	if ((cat = opml_attr(attrs, "category")) != NULL) {
		for (p = cat; *p != '\0'; p = *comma ? comma + 1 : comma) {
			comma = strchr(p, ',');
			if (comma == NULL)
				comma = p + strlen(p);
			while (p < comma && (*p == '/' || *p == ' '))
				p++;
			opml_category_in(o, p, (size_t)(comma - p));
		}
	}
}

static void
opml_end_cb(void *arg, const XML_Char *name)
{
	struct opml_ctx	*c = arg;

	if (strcmp(name, "outline") != 0 || c->depth == 0)
		return;
	if (c->depth <= OPML_MAX_DEPTH) {
		free(c->folders[c->depth - 1]);
		c->folders[c->depth - 1] = NULL;
	}
	c->depth--;
}

/* No DTD, no external entity: an OPML file is read, never followed. */
static int
opml_external_cb(XML_Parser xp, const XML_Char *context,
    const XML_Char *base, const XML_Char *sysid, const XML_Char *pubid)
{
	return (XML_STATUS_OK);
}

void
opml_outlines_free(struct opml_outline *v, size_t n)
{
	size_t	i, k;

	for (i = 0; i < n; i++) {
		free(v[i].url);
		free(v[i].title);
		free(v[i].problem);
		for (k = 0; k < v[i].ntags; k++)
			free(v[i].tags[k]);
		free(v[i].tags);
	}
	free(v);
}

static int
opml_url_cmp(const void *a, const void *b)
{
	const struct opml_outline	*x = *(struct opml_outline *const *)a;
	const struct opml_outline	*y = *(struct opml_outline *const *)b;
	int				 c = strcmp(x->url, y->url);

	if (c != 0)
		return (c);
	return (x < y ? -1 : x > y);
}

/*
 * A feed listed in several folders (OPML has no other way to give it
 * several): its first outline gets every folder and category as a tag,
 * and the others say where they went (twin_of).
 */
static void
opml_merge_twins(struct opml_outline *v, size_t n)
{
	struct opml_outline	**by;
	size_t			  i, first, k;

	if (n < 2)
		return;
	by = xcalloc(n, sizeof(*by));
	for (i = 0; i < n; i++)
		by[i] = &v[i];
	qsort(by, n, sizeof(*by), opml_url_cmp);
	for (first = 0, i = 1; i < n; i++) {
		if (strcmp(by[i]->url, by[first]->url) != 0) {
			first = i;
			continue;
		}
		for (k = 0; k < by[i]->ntags; k++)
			opml_add_tag(by[first], by[i]->tags[k],
			    strlen(by[i]->tags[k]));
		by[i]->twin_of = by[first]->line;
	}
	free(by);
}

int
opml_parse(const char *text, size_t len, struct opml_outline **v,
    size_t *n, char **cause)
{
	struct opml_ctx	c;
	unsigned int	i;
	int		rc = 0;

	memset(&c, 0, sizeof(c));
	if ((c.xp = XML_ParserCreate("UTF-8")) == NULL) {
		*cause = xstrdup("cannot create an XML parser");
		return (-1);
	}
	XML_SetUserData(c.xp, &c);
	XML_SetElementHandler(c.xp, opml_start_cb, opml_end_cb);
	XML_SetExternalEntityRefHandler(c.xp, opml_external_cb);
	if (XML_Parse(c.xp, text, (int)(len > 0x7fffffff ? 0x7fffffff : len),
	    1) != XML_STATUS_OK) {
		xasprintf(cause, "not OPML: XML error at line %lu: %s",
		    (unsigned long)XML_GetCurrentLineNumber(c.xp),
		    XML_ErrorString(XML_GetErrorCode(c.xp)));
		rc = -1;
	} else if (c.too_many)
		xasprintf(cause, "more than %d outlines", OPML_MAX_OUTLINES);
	XML_ParserFree(c.xp);
	buf_free(&c.path);
	for (i = 0; i < OPML_MAX_DEPTH; i++)
		free(c.folders[i]);
	if (rc != 0 || c.too_many) {
		opml_outlines_free(c.v, c.n);
		return (-1);
	}
	opml_merge_twins(c.v, c.n);
	*v = c.v;
	*n = c.n;
	return (0);
}

/*
 * The length of a character XML 1.0 cannot carry at s (C0 controls,
 * U+FFFE and U+FFFF), else 0.
 */
static size_t
opml_unxml(const char *s)
{
	const unsigned char	*u = (const unsigned char *)s;

	if (*u != '\0' && *u < 0x20)
		return (1);
	if (u[0] == 0xef && u[1] == 0xbf && (u[2] == 0xbe || u[2] == 0xbf))
		return (3);
	return (0);
}

/*
 * name="value", escaped.  What XML 1.0 has no way to write is left out:
 * an export must always read back.
 */
static void
opml_attr_out(struct buf *b, const char *name, const char *value)
{
	const char	*p, *q;
	size_t		 skip;

	if (value == NULL)
		return;
	buf_addc(b, ' ');
	buf_adds(b, name);
	buf_adds(b, "=\"");
	for (p = value; *p != '\0'; p = q) {
		for (q = p; *q != '\0' && opml_unxml(q) == 0; q++)
			;
		text_escape_html(b, p, (size_t)(q - p), 1);
		while ((skip = opml_unxml(q)) > 0)
			q += skip;
	}
	buf_addc(b, '"');
}

/* The next "/"-separated part of a path (empty ones skipped), or 0. */
static size_t
opml_part(const char **p)
{
	while (**p == '/')
		(*p)++;
	return (strcspn(*p, "/"));
}

/* Folder paths part by part, so "A-B" never splits "A" from "A/B". */
static int
opml_path_cmp(const char *a, const char *b)
{
	size_t	la, lb;
	int	d;

	if (a == NULL || b == NULL)
		return (a == NULL ? (b == NULL ? 0 : -1) : 1);
	for (;;) {
		la = opml_part(&a);
		lb = opml_part(&b);
		if (la == 0 || lb == 0)
			return (la == 0 ? (lb == 0 ? 0 : -1) : 1);
		if ((d = strncmp(a, b, la < lb ? la : lb)) != 0)
			return (d);
		if (la != lb)
			return (la < lb ? -1 : 1);
		a += la;
		b += lb;
	}
}

struct opml_entry {
	const struct store_feed	*f;
	const char		*path;		/* its folder; NULL: none */
	size_t			 order;
};

static int
opml_entry_cmp(const void *x, const void *y)
{
	const struct opml_entry	*a = x, *b = y;
	int			 d;

	if ((d = opml_path_cmp(a->path, b->path)) != 0)
		return (d);
	return (a->order < b->order ? -1 : a->order > b->order);
}

static void
opml_indent(struct buf *b, size_t depth)
{
	size_t	i;

	for (i = 0; i < depth + 1; i++)
		buf_adds(b, "  ");
}

/*
 * A tag in "category": its commas, which part the list, and the '%' that
 * marks them as "%2C" and "%25", so a tag like "a,b" comes back whole
 * (opml_category_in()).
 */
static void
opml_category_out(struct buf *b, const char *tag)
{
	for (; *tag != '\0'; tag++) {
		if (*tag == ',')
			buf_adds(b, "%2C");
		else if (*tag == '%')
			buf_adds(b, "%25");
		else
			buf_addc(b, *tag);
	}
}

/*
 * The feeds as an OPML 2.0 document, newly allocated: each feed once,
 * in the folders of its first tag, all its tags in "category".  A feed
 * with no title gets an empty "text" rather than its URL as a title.
 */
char *
opml_write(struct store_feed **v, size_t n)
{
	struct buf		 b = { NULL, 0, 0 }, cat = { NULL, 0, 0 };
	struct opml_entry	*e;
	const char		*open[OPML_MAX_DEPTH], *p, *q;
	size_t			 lens[OPML_MAX_DEPTH], nopen = 0, depth, len;
	size_t			 i, k;
	char			*s, *part;

	e = xcalloc(n + 1, sizeof(*e));
	for (i = 0; i < n; i++) {
		e[i].f = v[i];
		e[i].path = v[i]->ntags > 0 ? v[i]->tags[0] : NULL;
		e[i].order = i;
	}
	qsort(e, n, sizeof(*e), opml_entry_cmp);
	buf_adds(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<opml version=\"2.0\">\n<head><title>feedd subscriptions"
	    "</title></head>\n<body>\n");
	for (i = 0; i < n; i++) {
		/* Keep the folders this feed shares with the last one. */
		p = e[i].path != NULL ? e[i].path : "";
		for (depth = 0; depth < nopen; depth++) {
			if ((len = opml_part(&p)) != lens[depth] ||
			    strncmp(p, open[depth], len) != 0)
				break;
			p += len;
		}
		while (nopen > depth) {
			opml_indent(&b, --nopen);
			buf_adds(&b, "</outline>\n");
		}
		while (nopen < OPML_MAX_DEPTH && (len = opml_part(&p)) > 0) {
			q = p;
			part = xstrndup(q, len);
			opml_indent(&b, nopen);
			buf_adds(&b, "<outline");
			opml_attr_out(&b, "text", part);
			opml_attr_out(&b, "title", part);
			buf_adds(&b, ">\n");
			free(part);
			open[nopen] = q;
			lens[nopen++] = len;
			p += len;
		}
		buf_clear(&cat);
		for (k = 0; k < e[i].f->ntags; k++) {
			if (k > 0)
				buf_addc(&cat, ',');
			buf_addc(&cat, '/');
			opml_category_out(&cat, e[i].f->tags[k]);
		}
		opml_indent(&b, nopen);
		buf_adds(&b, "<outline type=\"rss\"");
		opml_attr_out(&b, "text", e[i].f->title != NULL ?
		    e[i].f->title : "");
		opml_attr_out(&b, "title", e[i].f->title);
		opml_attr_out(&b, "xmlUrl", e[i].f->url);
		opml_attr_out(&b, "htmlUrl", e[i].f->link);
		if (cat.len > 0)
			opml_attr_out(&b, "category", cat.data);
		buf_adds(&b, "/>\n");
	}
	while (nopen > 0) {
		opml_indent(&b, --nopen);
		buf_adds(&b, "</outline>\n");
	}
	buf_adds(&b, "</body>\n</opml>\n");
	s = buf_strdup(&b);
	buf_free(&b);
	buf_free(&cat);
	free(e);
	return (s);
}

/* --- newsboat's urls file --- */

/*
 * One word of a urls line: up to white space, or a "quoted" one (with
 * \" inside), newly allocated; NULL at the end of the line.
 */
static char *
opml_urls_word(const char **p, const char *end)
{
	struct buf	 w = { NULL, 0, 0 };
	const char	*s = *p;
	char		*out;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s == end) {
		*p = s;
		return (NULL);
	}
	if (*s == '"') {
		for (s++; s < end && *s != '"'; s++) {
			if (*s == '\\' && s + 1 < end)
				s++;
			buf_addc(&w, *s);
		}
		if (s < end)
			s++;
	} else
		for (; s < end && *s != ' ' && *s != '\t'; s++)
			buf_addc(&w, *s);
	*p = s;
	out = w.len > 0 ? buf_strdup(&w) : xstrdup("");
	buf_free(&w);
	return (out);
}

/*
 * A newsboat "urls" file: one feed a line, its URL then its tags; a
 * tag "~Title" is the feed's title and "!" hides it in newsboat (both
 * are not tags here).  exec:, filter: and query: feeds are newsboat's
 * own: they come back with "problem" set, one by one.  Lines with no
 * URL at all mean the text is not such a file.
 */
int
opml_parse_urls(const char *text, size_t len, struct opml_outline **v,
    size_t *n, char **cause)
{
	static const char *const theirs[] = { "exec:", "filter:", "query:" };
	struct opml_outline	*o;
	const char		*p = text, *end = text + len, *eol;
	char			*word;
	unsigned int		 line = 0;
	size_t			 i, urls = 0;

	*v = NULL;
	*n = 0;
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	for (; p < end; p = eol + (eol < end)) {
		line++;
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		while (p < eol && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		if (p == eol || *p == '#' || *p == '\r')
			continue;
		if ((word = opml_urls_word(&p, eol)) == NULL)
			continue;
		for (i = 0; i < sizeof(theirs) / sizeof(*theirs); i++)
			if (strncmp(word, theirs[i], strlen(theirs[i])) == 0)
				break;
		/*
		 * Before the first URL, such a line says the file is no urls
		 * file at all; after it, it is a feed the user meant, which
		 * the import reports as invalid rather than skip unsaid.
		 */
		if (i == sizeof(theirs) / sizeof(*theirs) && urls == 0 &&
		    (strchr(word, ':') == NULL || strchr(word, ' ') != NULL)) {
			free(word);
			xasprintf(cause, "not OPML, nor a newsboat urls file: "
			    "line %u is not a URL", line);
			opml_outlines_free(*v, *n);
			*v = NULL;
			*n = 0;
			return (-1);
		}
		if (*n >= OPML_MAX_OUTLINES) {
			free(word);
			xasprintf(cause, "more than %d feeds",
			    OPML_MAX_OUTLINES);
			opml_outlines_free(*v, *n);
			*v = NULL;
			*n = 0;
			return (-1);
		}
		urls++;
		*v = xreallocarray(*v, *n + 1, sizeof(**v));
		o = &(*v)[(*n)++];
		memset(o, 0, sizeof(*o));
		o->line = line;
		o->url = text_trim(word, strlen(word));
		free(word);
		for (i = 0; i < sizeof(theirs) / sizeof(*theirs); i++)
			if (strncmp(o->url, theirs[i], strlen(theirs[i])) == 0)
				xasprintf(&o->problem, "newsboat's %.*s feeds "
				    "are not supported", (int)strlen(theirs[i]) -
				    1, theirs[i]);
		while ((word = opml_urls_word(&p, eol)) != NULL) {
			if (word[0] == '~' && o->title == NULL &&
			    word[1] != '\0')
				o->title = text_fold(word + 1,
				    strlen(word + 1));
			else if (word[0] != '~' && strcmp(word, "!") != 0)
				opml_add_tag(o, word, strlen(word));
			free(word);
		}
	}
	if (urls == 0) {
		*cause = xstrdup("not OPML, nor a newsboat urls file: no "
		    "feed in it");
		return (-1);
	}
	return (0);
}

/*
 * A subscription list in either format, told apart by its first
 * character: OPML is XML, a urls file starts with a URL or a comment.
 */
int
opml_parse_any(const char *text, size_t len, struct opml_outline **v,
    size_t *n, char **cause)
{
	size_t	i = 0;

	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && (text[i] == ' ' || text[i] == '\t' ||
	    text[i] == '\r' || text[i] == '\n'))
		i++;
	if (i < len && text[i] == '<')
		return (opml_parse(text, len, v, n, cause));
	return (opml_parse_urls(text, len, v, n, cause));
}
