/*
 * opml.c: OPML through expat.  An outline without xmlUrl is a folder: its
 * title becomes a tag of every feed inside it.  Export writes each feed
 * once, its tags in "category" (OPML 2.0: comma-separated, "/"-rooted).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>

#include "buf.h"
#include "opml.h"
#include "store.h"
#include "text.h"
#include "xmalloc.h"

#define OPML_MAX_OUTLINES	100000
#define OPML_MAX_DEPTH		64

struct opml_ctx {
	XML_Parser		 xp;
	struct opml_outline	*v;
	size_t			 n;
	char			*folders[OPML_MAX_DEPTH];
	unsigned int		 depth;		/* open outlines */
	int			 too_many;
};

static const char *
opml_attr(const char **attrs, const char *name)
{
	size_t	i;

	for (i = 0; attrs[i] != NULL; i += 2)
		if (strcmp(attrs[i], name) == 0)
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
	o->line = (unsigned int)XML_GetCurrentLineNumber(c->xp);
	for (i = 0; i + 1 < c->depth && i < OPML_MAX_DEPTH; i++)
		if (c->folders[i] != NULL)
			opml_add_tag(o, c->folders[i], strlen(c->folders[i]));
	if ((cat = opml_attr(attrs, "category")) != NULL) {
		for (p = cat; *p != '\0'; p = *comma ? comma + 1 : comma) {
			comma = strchr(p, ',');
			if (comma == NULL)
				comma = p + strlen(p);
			while (p < comma && (*p == '/' || *p == ' '))
				p++;
			opml_add_tag(o, p, (size_t)(comma - p));
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
		for (k = 0; k < v[i].ntags; k++)
			free(v[i].tags[k]);
		free(v[i].tags);
	}
	free(v);
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
	for (i = 0; i < OPML_MAX_DEPTH; i++)
		free(c.folders[i]);
	if (rc != 0 || c.too_many) {
		opml_outlines_free(c.v, c.n);
		return (-1);
	}
	*v = c.v;
	*n = c.n;
	return (0);
}

static void
opml_attr_out(struct buf *b, const char *name, const char *value)
{
	if (value == NULL)
		return;
	buf_addc(b, ' ');
	buf_adds(b, name);
	buf_adds(b, "=\"");
	text_escape_html(b, value, strlen(value), 1);
	buf_addc(b, '"');
}

/* The feeds as an OPML 2.0 document, newly allocated. */
char *
opml_write(struct store_feed **v, size_t n)
{
	struct buf	b = { NULL, 0, 0 }, cat = { NULL, 0, 0 };
	size_t		i, k;
	char		*s;

	buf_adds(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<opml version=\"2.0\">\n<head><title>feedd subscriptions"
	    "</title></head>\n<body>\n");
	for (i = 0; i < n; i++) {
		buf_clear(&cat);
		for (k = 0; k < v[i]->ntags; k++) {
			if (k > 0)
				buf_addc(&cat, ',');
			buf_addc(&cat, '/');
			buf_adds(&cat, v[i]->tags[k]);
		}
		buf_adds(&b, "<outline type=\"rss\"");
		opml_attr_out(&b, "text", v[i]->title != NULL ? v[i]->title :
		    v[i]->url);
		opml_attr_out(&b, "title", v[i]->title);
		opml_attr_out(&b, "xmlUrl", v[i]->url);
		opml_attr_out(&b, "htmlUrl", v[i]->link);
		if (cat.len > 0)
			opml_attr_out(&b, "category", cat.data);
		buf_adds(&b, "/>\n");
	}
	buf_adds(&b, "</body>\n</opml>\n");
	s = buf_strdup(&b);
	buf_free(&b);
	buf_free(&cat);
	return (s);
}
