/*
 * html.c: the one content pipeline every output a person reads shares.
 * Feed HTML is parsed by gumbo (an HTML5 parser: the tree a browser
 * builds, whatever the tag soup), then one walk of that tree writes both
 * forms: the sanitised HTML, cut to the allow-list of a reading view
 * (text structure, lists, tables, links, images, figures, code, quotes)
 * with its URLs resolved and limited to http(s) (and mailto: for links),
 * and plain text: paragraphs, lists with markers, quotes, headings,
 * links as numbered references listed at the end, wrapped at a width
 * counted in display columns.  Both come from the same decisions, so the
 * text never shows what the HTML dropped.  Sanitising the sanitised HTML
 * again gives it back unchanged (fuzz/fuzz_html checks it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gumbo.h>
#include <utf8proc.h>

#include "buf.h"
#include "gumbo-guard.h"
#include "html.h"
#include "item.h"
#include "text.h"
#include "url.h"
#include "xmalloc.h"

/* What becomes of an element. */
#define HTML_UNWRAP	0	/* the tag goes, its children stay */
#define HTML_KEEP	1	/* allowed */
#define HTML_DROP	2	/* the tag and all it holds go */

/* How an element renders as text. */
enum html_render_kind {
	HTML_R_INLINE = 0,
	HTML_R_BLOCK,		/* own lines */
	HTML_R_PARA,		/* own lines, a blank line around */
	HTML_R_HEAD,
	HTML_R_QUOTE,
	HTML_R_PRE,
	HTML_R_LIST,
	HTML_R_ITEM,
	HTML_R_DD,
	HTML_R_ROW,
	HTML_R_CELL,
	HTML_R_BR,
	HTML_R_HR,
	HTML_R_IMG,
	HTML_R_LINK
};

/* Attributes, by what their value may hold. */
#define HTML_A_TITLE	0x0001	/* global: title, lang, dir */
#define HTML_A_HREF	0x0002
#define HTML_A_IMG	0x0004	/* src alt width height */
#define HTML_A_CELL	0x0008	/* colspan rowspan scope */
#define HTML_A_OL	0x0010	/* start reversed */
#define HTML_A_LI	0x0020	/* value */
#define HTML_A_CITE	0x0040	/* cite datetime */
#define HTML_A_TIME	0x0080	/* datetime */

struct html_tag {
	unsigned char	action;
	unsigned char	render;
	unsigned short	attrs;
};

#define K(r, a)	{ HTML_KEEP, (r), HTML_A_TITLE | (a) }
#define D	{ HTML_DROP, HTML_R_INLINE, 0 }
#define U(r)	{ HTML_UNWRAP, (r), 0 }

/* Indexed by GumboTag; a tag not named here unwraps as inline. */
static const struct html_tag html_tags[GUMBO_TAG_LAST] = {
	[GUMBO_TAG_HEAD] = D, [GUMBO_TAG_TITLE] = D, [GUMBO_TAG_BASE] = D,
	[GUMBO_TAG_LINK] = D, [GUMBO_TAG_META] = D, [GUMBO_TAG_STYLE] = D,
	[GUMBO_TAG_SCRIPT] = D, [GUMBO_TAG_NOSCRIPT] = D,
	[GUMBO_TAG_TEMPLATE] = D, [GUMBO_TAG_IFRAME] = D,
	[GUMBO_TAG_EMBED] = D, [GUMBO_TAG_OBJECT] = D, [GUMBO_TAG_PARAM] = D,
	[GUMBO_TAG_VIDEO] = D, [GUMBO_TAG_AUDIO] = D, [GUMBO_TAG_SOURCE] = D,
	[GUMBO_TAG_TRACK] = D, [GUMBO_TAG_CANVAS] = D, [GUMBO_TAG_MAP] = D,
	[GUMBO_TAG_AREA] = D, [GUMBO_TAG_MATH] = D, [GUMBO_TAG_SVG] = D,
	[GUMBO_TAG_FORM] = D, [GUMBO_TAG_INPUT] = D, [GUMBO_TAG_BUTTON] = D,
	[GUMBO_TAG_SELECT] = D, [GUMBO_TAG_DATALIST] = D,
	[GUMBO_TAG_OPTGROUP] = D, [GUMBO_TAG_OPTION] = D,
	[GUMBO_TAG_TEXTAREA] = D, [GUMBO_TAG_KEYGEN] = D,
	[GUMBO_TAG_OUTPUT] = D, [GUMBO_TAG_PROGRESS] = D,
	[GUMBO_TAG_METER] = D, [GUMBO_TAG_MENUITEM] = D,
	[GUMBO_TAG_APPLET] = D, [GUMBO_TAG_BGSOUND] = D,
	[GUMBO_TAG_FRAME] = D, [GUMBO_TAG_FRAMESET] = D,
	[GUMBO_TAG_NOFRAMES] = D, [GUMBO_TAG_ISINDEX] = D,
	[GUMBO_TAG_XMP] = D, [GUMBO_TAG_NOEMBED] = D,
	[GUMBO_TAG_PLAINTEXT] = D, [GUMBO_TAG_COLGROUP] = D,
	[GUMBO_TAG_COL] = D, [GUMBO_TAG_MARQUEE] = D, [GUMBO_TAG_BLINK] = D,

	[GUMBO_TAG_ARTICLE] = K(HTML_R_BLOCK, 0),
	[GUMBO_TAG_SECTION] = K(HTML_R_BLOCK, 0),
	[GUMBO_TAG_NAV] = K(HTML_R_BLOCK, 0),
	[GUMBO_TAG_ASIDE] = K(HTML_R_BLOCK, 0),
	[GUMBO_TAG_HEADER] = K(HTML_R_BLOCK, 0),
	[GUMBO_TAG_FOOTER] = K(HTML_R_BLOCK, 0),
	[GUMBO_TAG_ADDRESS] = K(HTML_R_BLOCK, 0),
	[GUMBO_TAG_MAIN] = K(HTML_R_BLOCK, 0),
	[GUMBO_TAG_DIV] = K(HTML_R_BLOCK, 0),
	[GUMBO_TAG_CENTER] = K(HTML_R_BLOCK, 0),
	[GUMBO_TAG_HGROUP] = K(HTML_R_BLOCK, 0),
	[GUMBO_TAG_DETAILS] = K(HTML_R_BLOCK, 0),
	[GUMBO_TAG_SUMMARY] = K(HTML_R_BLOCK, 0),
	[GUMBO_TAG_FIGCAPTION] = K(HTML_R_BLOCK, 0),
	[GUMBO_TAG_CAPTION] = K(HTML_R_BLOCK, 0),
	[GUMBO_TAG_DT] = K(HTML_R_BLOCK, 0),
	[GUMBO_TAG_P] = K(HTML_R_PARA, 0),
	[GUMBO_TAG_FIGURE] = K(HTML_R_PARA, 0),
	[GUMBO_TAG_DL] = K(HTML_R_PARA, 0),
	[GUMBO_TAG_TABLE] = K(HTML_R_PARA, 0),
	[GUMBO_TAG_H1] = K(HTML_R_HEAD, 0), [GUMBO_TAG_H2] = K(HTML_R_HEAD, 0),
	[GUMBO_TAG_H3] = K(HTML_R_HEAD, 0), [GUMBO_TAG_H4] = K(HTML_R_HEAD, 0),
	[GUMBO_TAG_H5] = K(HTML_R_HEAD, 0), [GUMBO_TAG_H6] = K(HTML_R_HEAD, 0),
	[GUMBO_TAG_BLOCKQUOTE] = K(HTML_R_QUOTE, HTML_A_CITE),
	[GUMBO_TAG_PRE] = K(HTML_R_PRE, 0),
	[GUMBO_TAG_UL] = K(HTML_R_LIST, 0),
	[GUMBO_TAG_OL] = K(HTML_R_LIST, HTML_A_OL),
	[GUMBO_TAG_LI] = K(HTML_R_ITEM, HTML_A_LI),
	[GUMBO_TAG_DD] = K(HTML_R_DD, 0),
	[GUMBO_TAG_THEAD] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_TBODY] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_TFOOT] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_TR] = K(HTML_R_ROW, 0),
	[GUMBO_TAG_TD] = K(HTML_R_CELL, HTML_A_CELL),
	[GUMBO_TAG_TH] = K(HTML_R_CELL, HTML_A_CELL),
	[GUMBO_TAG_BR] = K(HTML_R_BR, 0),
	[GUMBO_TAG_HR] = K(HTML_R_HR, 0),
	[GUMBO_TAG_IMG] = K(HTML_R_IMG, HTML_A_IMG),
	[GUMBO_TAG_A] = K(HTML_R_LINK, HTML_A_HREF),
	[GUMBO_TAG_EM] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_STRONG] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_SMALL] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_S] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_CITE] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_Q] = K(HTML_R_INLINE, HTML_A_CITE),
	[GUMBO_TAG_DFN] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_ABBR] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_TIME] = K(HTML_R_INLINE, HTML_A_TIME),
	[GUMBO_TAG_CODE] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_VAR] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_SAMP] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_KBD] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_SUB] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_SUP] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_I] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_B] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_U] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_MARK] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_RUBY] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_RT] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_RP] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_BDI] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_BDO] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_SPAN] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_WBR] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_INS] = K(HTML_R_INLINE, HTML_A_CITE),
	[GUMBO_TAG_DEL] = K(HTML_R_INLINE, HTML_A_CITE),
	[GUMBO_TAG_ACRONYM] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_BIG] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_STRIKE] = K(HTML_R_INLINE, 0),
	[GUMBO_TAG_TT] = K(HTML_R_INLINE, 0),

	[GUMBO_TAG_FIELDSET] = D, [GUMBO_TAG_LEGEND] = D,
	/* Old names, written as the element they mean (html_name()). */
	[GUMBO_TAG_DIR] = K(HTML_R_LIST, 0),
	[GUMBO_TAG_MENU] = K(HTML_R_LIST, 0),
	[GUMBO_TAG_LISTING] = K(HTML_R_PRE, 0),
};

#undef K
#undef D
#undef U

/* Allowed attributes: the class that allows each, and its value's kind. */
enum html_value {
	HTML_V_TEXT,
	HTML_V_NUMBER,
	HTML_V_LINK,		/* http, https, mailto */
	HTML_V_IMAGE,		/* http, https */
	HTML_V_URL,		/* http, https: cite */
	HTML_V_DIR,
	HTML_V_LANG,
	HTML_V_SCOPE
};

static const struct {
	const char	*name;
	unsigned short	 class;
	enum html_value	 value;
} html_attrs[] = {
	{ "title", HTML_A_TITLE, HTML_V_TEXT },
	{ "lang", HTML_A_TITLE, HTML_V_LANG },
	{ "dir", HTML_A_TITLE, HTML_V_DIR },
	{ "href", HTML_A_HREF, HTML_V_LINK },
	{ "src", HTML_A_IMG, HTML_V_IMAGE },
	{ "alt", HTML_A_IMG, HTML_V_TEXT },
	{ "width", HTML_A_IMG, HTML_V_NUMBER },
	{ "height", HTML_A_IMG, HTML_V_NUMBER },
	{ "colspan", HTML_A_CELL, HTML_V_NUMBER },
	{ "rowspan", HTML_A_CELL, HTML_V_NUMBER },
	{ "scope", HTML_A_CELL, HTML_V_SCOPE },
	{ "start", HTML_A_OL, HTML_V_NUMBER },
	{ "reversed", HTML_A_OL, HTML_V_TEXT },
	{ "value", HTML_A_LI, HTML_V_NUMBER },
	{ "cite", HTML_A_CITE, HTML_V_URL },
	{ "datetime", HTML_A_CITE | HTML_A_TIME, HTML_V_TEXT },
};

#define HTML_LIST_MARKER	16
#define HTML_CSS_SPACE		" \t\n\r\f"	/* CSS 2.1 4.1.1 */
#define HTML_MIN_COLUMNS	20	/* the least a wrapped line gets */
#define HTML_RULE_COLUMNS	40

/* The text being rendered. */
struct html_render {
	struct buf	 out;
	struct buf	 para;		/* the current block's inline text */
	struct buf	 indent;	/* what starts each of its lines */
	char		 marker[HTML_LIST_MARKER];	/* first line's, pending */
	int		 space;		/* a space is due before the next word */
	int		 sep;		/* before the next block: 1 line, 2 blank */
	size_t		 sep_indent;	/* the prefix when the blank was asked */
	int		 pre;
	int		 width;		/* columns, 0 = no wrapping */
	int		 flags;
	int		 oneline;	/* titles: all of it on one line */
	char		**links;
	size_t		 nlinks;
	size_t		*hash;		/* link numbers by URL, 0 = empty */
	size_t		 hsize;		/* a power of two */
};

/*
 * How deep the output nests: re-parsing and rendering deeper trees costs
 * the square of their depth.  Articles nest tens deep, table-built
 * newsletters perhaps a hundred, browsers stop at 512.  Formatting
 * elements are kept fewer: each piece of text re-opens those other
 * markup closed.
 */
#define HTML_MAX_DEPTH		256
#define HTML_MAX_FORMAT		24

/*
 * The nearest frames at or below one, each as its index + 1 (0: none),
 * so no question about the elements around one walks the stack: kept
 * there from the frame below, it costs the same however deep the tree.
 */
struct html_near {
	size_t		 emitted;	/* the nearest emitted */
	size_t		 p, pscope;	/* emitted p; table, td, th, caption */
	size_t		 a, ascope;	/* emitted a; td, th, caption */
	size_t		 li, listop;	/* emitted li; what an li stops at */
	size_t		 def, defstop;	/* emitted dd, dt; likewise */
	size_t		 table;		/* a table, emitted or not */
	size_t		 render[HTML_R_LINK + 1];	/* by f->render */
};

/* One open element of the walk. */
struct html_frame {
	const GumboNode	*node;
	int		 render;
	int		 emitted;	/* its end tag is due */
	size_t		 nemitted;	/* emitted frames up to this one */
	size_t		 nformat;	/* emitted formatting ones */
	struct html_near near;
	char		*base;		/* set here by xml:base: owned */
	const char	*prev_base;	/* the base around it */
	size_t		 indent;	/* r->indent.len to go back to */
	long		 counter;	/* lists: the next item's number */
	int		 ordered;
	size_t		 link;		/* links: its number, from 1 */
};

struct html_walk {
	struct buf		*html;	/* NULL: no sanitised HTML wanted */
	struct html_render	*r;	/* NULL: no text wanted */
	const char		*base;
	struct html_frame	*stack;
	size_t			 depth;
	size_t			 cap;
	int			 show_all;	/* a title: nothing hides text */
};

static size_t	html_skip(const unsigned char *, size_t);
static int	html_void(GumboTag);
static void	html_put_escaped(struct buf *, const char *, size_t, int);
static void	html_text_put(struct html_render *, const char *, size_t);
static void	html_flush(struct html_render *);
static void	html_line_cb(void *, const char *, size_t);
static void	html_render_enter(struct html_walk *, struct html_frame *,
		    const GumboElement *, const char *, const char *);

/*
 * gumbo's memory, from blocks that go all at once when the walk is done:
 * the parser makes a small allocation per node, attribute and string,
 * and freeing them one by one walked the tree a second time.
 */
/* A tree and what it lives in: gumbo's arena, and the text it read. */
struct html_arena {
	struct gumbo_arena	 gumbo;
	char			*escaped;	/* the input, after gumbo failed */
};

/*
 * Parses "s" into a tree that lives in "a" (html_parse_done() frees).
 * On input gumbo fails one of its own assertions on (gumbo-guard.h),
 * the tree is that of the input escaped: its markup shown as text,
 * rather than nothing.
 */
static GumboOutput *
html_parse(struct html_arena *a, const char *s, size_t len)
{
	struct buf	 b = { NULL, 0, 0 };
	GumboOutput	*out;

	a->escaped = NULL;
	if ((out = gumbo_guard_parse(&a->gumbo, s, len)) != NULL)
		return (out);
	gumbo_guard_done(&a->gumbo);
	text_escape_html(&b, s, len, 0);
	a->escaped = b.data != NULL ? b.data : xstrdup("");
	if ((out = gumbo_guard_parse(&a->gumbo, a->escaped,
	    strlen(a->escaped))) != NULL)
		return (out);
	/* Text alone reaches no assertion; an empty tree if it did. */
	gumbo_guard_done(&a->gumbo);
	return (gumbo_guard_parse(&a->gumbo, "", 0));
}

static void
html_parse_done(struct html_arena *a)
{
	gumbo_guard_done(&a->gumbo);
	free(a->escaped);
	a->escaped = NULL;
}

/*
 * The length of a character that never reaches a reader (0 when the one
 * at u[0] may): C0 controls but TAB and LF, DEL, C1 (U+0080-U+009F),
 * and the BiDi embeddings, overrides and isolates (U+202A-U+202E,
 * U+2066-U+2069) that can make text read other than it is.
 */
static size_t
html_skip(const unsigned char *u, size_t len)
{
	if (u[0] < 0x20)
		return (u[0] == '\t' || u[0] == '\n' ? 0 : 1);
	if (u[0] == 0x7f)
		return (1);
	if (u[0] == 0xc2 && len >= 2 && u[1] >= 0x80 && u[1] <= 0x9f)
		return (2);
	if (u[0] == 0xe2 && len >= 3 && ((u[1] == 0x80 && u[2] >= 0xaa &&
	    u[2] <= 0xae) || (u[1] == 0x81 && u[2] >= 0xa6 && u[2] <= 0xa9)))
		return (3);
	return (0);
}

/*
 * A copy of "s" with each byte that is not valid UTF-8 as U+FFFD, or
 * NULL when it is valid (the parser's output almost always is, but not
 * after a huge numeric character reference).
 */
static char *
html_utf8_fix(const char *s)
{
	struct buf	b = { NULL, 0, 0 };
	size_t		len = strlen(s), i = 0, k;

	if ((k = text_utf8_valid(s, len, NULL)) == len)
		return (NULL);
	while (i < len) {
		buf_add(&b, s + i, k);
		i += k;
		if (i < len) {
			text_utf8_put(&b, 0xfffd);
			i++;
		}
		k = text_utf8_valid(s + i, len - i, NULL);
	}
	return (b.data != NULL ? b.data : xstrdup(""));
}

/*
 * The length of a noncharacter at u[0] (U+FDD0-U+FDEF, and the last two
 * code points of every plane), else 0.  A character reference can give
 * one, but the same character written out is read back as U+FFFD by
 * the HTML parser, so the sanitised HTML carries U+FFFD in its place and
 * reads back as it was written.
 */
static size_t
html_nonchar(const unsigned char *u, size_t len)
{
	if (u[0] == 0xef && len >= 3 && ((u[1] == 0xb7 && u[2] >= 0x90 &&
	    u[2] <= 0xaf) || (u[1] == 0xbf && u[2] >= 0xbe)))
		return (3);
	if (u[0] >= 0xf0 && u[0] <= 0xf4 && len >= 4 &&
	    (u[1] & 0x0f) == 0x0f && u[2] == 0xbf && u[3] >= 0xbe)
		return (4);
	return (0);
}

/* Text for HTML: escaped (attr: for a quoted value), controls out. */
static void
html_put_escaped(struct buf *b, const char *s, size_t len, int attr)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, start = 0, k, nc = 0;

	while (i < len) {
		if (u[i] > '>' && u[i] != 0xc2 && u[i] != 0xe2 &&
		    u[i] != 0x7f && u[i] < 0xef) {
			i++;
			continue;
		}
		if ((k = html_skip(u + i, len - i)) == 0 &&
		    (nc = html_nonchar(u + i, len - i)) == 0 && u[i] != '&' &&
		    u[i] != '<' && u[i] != '>' && !(attr && u[i] == '"')) {
			i++;
			continue;
		}
		text_escape_html(b, s + start, i - start, attr);
		if (nc != 0) {
			text_utf8_put(b, 0xfffd);
			k = nc;
			nc = 0;
		} else if (k == 0) {
			text_escape_html(b, s + i, 1, attr);
			k = 1;
		}
		i += k;
		start = i;
	}
	if (i > start)
		text_escape_html(b, s + start, i - start, attr);
}

/* Inline text into the current block: white space folded, unless pre. */
static void
html_text_put(struct html_render *r, const char *s, size_t len)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, n, k;

	while (i < len) {
		if ((k = html_skip(u + i, len - i)) != 0) {
			/* A form feed or CR still parts two words. */
			if (u[i] == '\f' || u[i] == '\r')
				r->space = 1;
			i += k;
			continue;
		}
		if (u[i] == ' ' || u[i] == '\t' || u[i] == '\n') {
			if (r->pre && !r->oneline)
				buf_addc(&r->para, (char)u[i]);
			else
				r->space = 1;
			i++;
			continue;
		}
		if (r->space && r->para.len > 0 &&
		    r->para.data[r->para.len - 1] != '\n' &&
		    r->para.data[r->para.len - 1] != ' ')
			buf_addc(&r->para, ' ');
		r->space = 0;
		/* A run of ordinary bytes goes in one piece. */
		for (n = i + 1; n < len && u[n] > ' ' && u[n] != 0x7f &&
		    u[n] != 0xc2 && u[n] != 0xe2; n++)
			;
		buf_add(&r->para, s + i, n - i);
		i = n;
	}
}

/* The block ahead needs at least this much room from the last: 1 or 2. */
static void
html_sep(struct html_render *r, int sep)
{
	html_flush(r);
	if (sep == 2 && r->sep < 2)
		r->sep_indent = r->indent.len;
	if (sep > r->sep)
		r->sep = sep;
}

/* html_flush()'s lines, as text_wrap() gives them. */
struct html_lines {
	struct html_render	*r;
	int			 first;	/* the list marker is due */
};

/* One output line: its prefix (the list marker on a first line), text. */
static void
html_line_cb(void *arg, const char *s, size_t len)
{
	struct html_lines	*l = arg;
	struct html_render	*r = l->r;
	size_t			 m = strlen(r->marker);

	if (l->first && m > 0 && r->indent.len >= m) {
		buf_add(&r->out, r->indent.data, r->indent.len - m);
		buf_adds(&r->out, r->marker);
		r->marker[0] = '\0';
	} else if (r->indent.len > 0)
		buf_add(&r->out, r->indent.data, r->indent.len);
	l->first = 0;
	buf_add(&r->out, s, len);
	/* A prefix alone ("> " on an empty quoted line) loses its space. */
	while (r->out.len > 0 && r->out.data[r->out.len - 1] == ' ')
		r->out.len--;
	buf_addc(&r->out, '\n');
}

/*
 * The current block's text into the output, wrapped to the width left
 * by its prefix (text_wrap(): at UAX #14 break opportunities, counted
 * in display columns), or line by line in a pre.
 */
static void
html_flush(struct html_render *r)
{
	struct html_lines	 l = { r, 1 };
	size_t			 len, avail, col;

	len = r->para.len;
	if (!r->pre)
		while (len > 0 && (r->para.data[len - 1] == ' ' ||
		    r->para.data[len - 1] == '\n'))
			len--;
	else
		while (len > 0 && r->para.data[len - 1] == '\n')
			len--;
	r->space = 0;
	if (len == 0) {
		buf_clear(&r->para);
		return;
	}
	if (r->oneline) {
		if (r->out.len > 0)
			buf_addc(&r->out, ' ');
		buf_add(&r->out, r->para.data, len);
		buf_clear(&r->para);
		return;
	}
	if (r->out.len > 0 && r->sep == 2) {
		/* The blank line carries the prefix both blocks share. */
		if (r->indent.len > 0 && r->sep_indent > 0)
			buf_add(&r->out, r->indent.data, r->sep_indent <
			    r->indent.len ? r->sep_indent : r->indent.len);
		while (r->out.len > 0 && r->out.data[r->out.len - 1] == ' ')
			r->out.len--;
		buf_addc(&r->out, '\n');
	}
	r->sep = 0;
	avail = 0;
	if (r->width > 0 && !r->pre) {
		col = text_width(r->indent.data != NULL ? r->indent.data : "",
		    r->indent.len);
		avail = (size_t)r->width > col + HTML_MIN_COLUMNS ?
		    (size_t)r->width - col : HTML_MIN_COLUMNS;
	}
	text_wrap(r->para.data, len, avail, html_line_cb, &l);
	buf_clear(&r->para);
}

static uint32_t
html_hash(const char *s)
{
	uint32_t	h = 2166136261u;	/* FNV-1a */

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return (h);
}

/*
 * The number of link "url": the same URL keeps its number.  A hash of
 * the numbers (open addressing, kept under half full) finds it, so a
 * page of thousands of links costs no more than one link each.
 */
static size_t
html_link_number(struct html_render *r, const char *url)
{
	size_t	i, k, *old, oldsize;

	if (r->nlinks * 2 >= r->hsize) {
		old = r->hash;
		oldsize = r->hsize;
		r->hsize = r->hsize == 0 ? 64 : r->hsize * 2;
		r->hash = xcalloc(r->hsize, sizeof(*r->hash));
		for (i = 0; i < oldsize; i++) {
			if (old[i] == 0)
				continue;
			k = html_hash(r->links[old[i] - 1]) & (r->hsize - 1);
			while (r->hash[k] != 0)
				k = (k + 1) & (r->hsize - 1);
			r->hash[k] = old[i];
		}
		free(old);
	}
	k = html_hash(url) & (r->hsize - 1);
	for (; r->hash[k] != 0; k = (k + 1) & (r->hsize - 1))
		if (strcmp(r->links[r->hash[k] - 1], url) == 0)
			return (r->hash[k]);
	r->links = xreallocarray(r->links, r->nlinks + 1, sizeof(*r->links));
	r->links[r->nlinks++] = xstrdup(url);
	r->hash[k] = r->nlinks;
	return (r->nlinks);
}

/*
 * A URL as url_normalize() gives it, refused when it is not valid UTF-8
 * (a raw byte in a host), holds a control character, or normalises to
 * something else again (a mangled base): the output must read back as it was written.
 */
static char *
html_url(const char *base, const char *ref, int flags)
{
	char	*u = url_normalize(base, ref, flags), *again;
	size_t	 n, i;

	if (u == NULL)
		return (NULL);
	n = strlen(u);
	if (text_utf8_valid(u, n, NULL) != n) {
		free(u);
		return (NULL);
	}
	/* A control character (C1 survives url_strip()) makes it bogus. */
	for (i = 0; i < n; i++)
		if (html_skip((const unsigned char *)u + i, n - i) != 0) {
			free(u);
			return (NULL);
		}
	/*
	 * Written out, it is read again: it must come back the same.  One
	 * that is its own reference already did (the same input gives the
	 * same output), as most links in feeds are.
	 */
	if (strcmp(u, ref) == 0)
		return (u);
	again = url_normalize(base, u, flags);
	if (again == NULL || strcmp(again, u) != 0) {
		free(u);
		u = NULL;
	}
	free(again);
	return (u);
}

/* Leading digits of a number attribute, or -1. */
static long
html_number(const char *s)
{
	long	n = 0;

	if (*s < '0' || *s > '9')
		return (-1);
	for (; *s >= '0' && *s <= '9' && n < 100000000; s++)
		n = n * 10 + (*s - '0');
	return (n);
}

/* Whether a number attribute holds only digits (a sign for start/value). */
static int
html_number_ok(const char *s, int sign)
{
	size_t	n;

	if (sign && *s == '-')
		s++;
	n = strspn(s, "0123456789");
	return (n > 0 && n <= 9 && s[n] == '\0');
}

static int
html_lang_ok(const char *s)
{
	size_t	n = strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");

	return (n > 0 && n <= 35 && s[n] == '\0');
}

/*
 * An attribute's value as the sanitised HTML carries it, or NULL when
 * it goes.  URLs come back resolved and normalised (url_normalize():
 * controls, TAB, CR and LF out first, so "java\tscript:" is caught).
 */
static char *
html_attr_value(const char *name, enum html_value v, const char *value,
    const char *base)
{
	char	*fixed;

	switch (v) {
	case HTML_V_TEXT:
		if ((fixed = html_utf8_fix(value)) != NULL)
			return (fixed);
		return (xstrdup(value));
	case HTML_V_NUMBER:
		return (html_number_ok(value, strcmp(name, "width") != 0 &&
		    strcmp(name, "height") != 0) ? xstrdup(value) : NULL);
	case HTML_V_LINK:
		return (html_url(base, value, URL_MAILTO));
	case HTML_V_IMAGE:
	case HTML_V_URL:
		return (html_url(base, value, 0));
	case HTML_V_DIR:
		return (strcmp(value, "ltr") == 0 || strcmp(value, "rtl") == 0 ||
		    strcmp(value, "auto") == 0 ? xstrdup(value) : NULL);
	case HTML_V_LANG:
		return (html_lang_ok(value) ? xstrdup(value) : NULL);
	case HTML_V_SCOPE:
		return (strcmp(value, "row") == 0 || strcmp(value, "col") ==
		    0 || strcmp(value, "rowgroup") == 0 || strcmp(value,
		    "colgroup") == 0 ? xstrdup(value) : NULL);
	}
	return (NULL);
}

/*
 * Whether a CSS length sizes an image to a pixel or less: 0 in any unit,
 * or at most 1 in px (or with no unit, as quirks mode reads it).
 */
static int
html_style_tiny(const char *v, size_t len)
{
	size_t	i = 0, digits = 0;
	int	zero = 1, one = 0;

	while (i < len && v[i] == '0') {
		i++;
		digits++;
	}
	if (i < len && v[i] >= '1' && v[i] <= '9') {
		if (v[i] != '1' || (i + 1 < len && v[i + 1] >= '0' &&
		    v[i + 1] <= '9'))
			return (0);	/* 2 or more */
		zero = 0;
		one = 1;
		i++;
		digits++;
	}
	if (i < len && v[i] == '.') {
		for (i++; i < len && v[i] >= '0' && v[i] <= '9'; i++) {
			digits++;
			if (v[i] != '0') {
				if (one)
					return (0);	/* 1.5 */
				zero = 0;
			}
		}
	}
	if (digits == 0)
		return (0);
	/* What is left is the unit: letters or '%' only. */
	if (strspn(v + i, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ%") != len - i)
		return (0);
	if (zero)
		return (1);
	return (i == len || (len - i == 2 && strncasecmp(v + i, "px", 2) ==
	    0));
}

/* One declaration of an inline style: does it hide the image? */
static int
html_style_decl(const char *name, size_t nlen, const char *v, size_t vlen)
{
	if (nlen == 7 && strncasecmp(name, "display", 7) == 0)
		return (vlen == 4 && strncasecmp(v, "none", 4) == 0);
	if ((nlen == 5 && strncasecmp(name, "width", 5) == 0) ||
	    (nlen == 6 && strncasecmp(name, "height", 6) == 0))
		return (html_style_tiny(v, vlen));
	return (0);
}

/*
 * Whether an inline style hides an image or sizes it to a pixel or
 * less (width, height, display: none), as beacons are also written.
 * Not a CSS parser, which feedd has no need of: a small strict reader
 * of "name: value [!important]" declarations parted by ';' that passes
 * over any declaration of another shape, and reads no style holding a
 * quote, a backslash or a comment, where a ';' may not part two.
 */
static int
html_style_hidden(const char *style)
{
	const char	*p = style, *name, *v;
	size_t		 nlen, vlen;

	if (strpbrk(style, "\"'\\") != NULL || strstr(style, "/*") != NULL)
		return (0);
	while (*p != '\0') {
		p += strspn(p, HTML_CSS_SPACE);
		name = p;
		nlen = strspn(p, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ-");
		p += nlen;
		p += strspn(p, HTML_CSS_SPACE);
		if (nlen == 0 || *p != ':')
			goto skip;
		p++;
		p += strspn(p, HTML_CSS_SPACE);
		v = p;
		vlen = strspn(p, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.%-");
		p += vlen;
		p += strspn(p, HTML_CSS_SPACE);
		if (strncasecmp(p, "!important", 10) == 0) {
			p += 10;
			p += strspn(p, HTML_CSS_SPACE);
		}
		if (vlen == 0 || (*p != ';' && *p != '\0'))
			goto skip;
		if (html_style_decl(name, nlen, v, vlen))
			return (1);
skip:
		p += strcspn(p, ";");
		if (*p == ';')
			p++;
	}
	return (0);
}

/*
 * An image a reader never sees: a 1x1 (or 0) pixel, by its attributes
 * or its inline style, or one the style hides: a tracking beacon.
 */
static int
html_tracking(const GumboElement *el)
{
	GumboAttribute	*w, *h, *st;

	w = gumbo_get_attribute(&el->attributes, "width");
	h = gumbo_get_attribute(&el->attributes, "height");
	st = gumbo_get_attribute(&el->attributes, "style");
	return ((w != NULL && html_number(w->value) >= 0 &&
	    html_number(w->value) <= 1) || (h != NULL &&
	    html_number(h->value) >= 0 && html_number(h->value) <= 1) ||
	    (st != NULL && html_style_hidden(st->value)));
}

/* The name an allowed element is written with. */
static const char *
html_name(GumboTag tag)
{
	if (tag == GUMBO_TAG_DIR || tag == GUMBO_TAG_MENU)
		return ("ul");
	if (tag == GUMBO_TAG_LISTING)
		return ("pre");
	return (gumbo_normalized_tagname(tag));
}

static int
html_heading(GumboTag tag)
{
	return (tag >= GUMBO_TAG_H1 && tag <= GUMBO_TAG_H6);
}

/* Start tags that close an open p (HTML5 13.2.6.4.7, "in body"). */
static int
html_closes_p(GumboTag tag)
{
	switch (tag) {
	case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE:
	case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_CENTER:
	case GUMBO_TAG_DETAILS: case GUMBO_TAG_DIR: case GUMBO_TAG_DIV:
	case GUMBO_TAG_DL: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FIGURE:
	case GUMBO_TAG_FOOTER: case GUMBO_TAG_HEADER: case GUMBO_TAG_HGROUP:
	case GUMBO_TAG_MAIN: case GUMBO_TAG_MENU: case GUMBO_TAG_NAV:
	case GUMBO_TAG_OL: case GUMBO_TAG_P: case GUMBO_TAG_SECTION:
	case GUMBO_TAG_SUMMARY: case GUMBO_TAG_UL: case GUMBO_TAG_PRE:
	case GUMBO_TAG_LISTING: case GUMBO_TAG_HR: case GUMBO_TAG_LI:
	case GUMBO_TAG_DD: case GUMBO_TAG_DT:
		return (1);
	default:
		return (html_heading(tag));
	}
}

/* Formatting elements (HTML5 13.2.4.3): text re-opens them. */
static int
html_formatting(GumboTag tag)
{
	switch (tag) {
	case GUMBO_TAG_A: case GUMBO_TAG_B: case GUMBO_TAG_BIG:
	case GUMBO_TAG_CODE: case GUMBO_TAG_EM: case GUMBO_TAG_FONT:
	case GUMBO_TAG_I: case GUMBO_TAG_NOBR: case GUMBO_TAG_S:
	case GUMBO_TAG_SMALL: case GUMBO_TAG_STRIKE: case GUMBO_TAG_STRONG:
	case GUMBO_TAG_TT: case GUMBO_TAG_U:
		return (1);
	default:
		return (0);
	}
}

/*
 * Whether an li, dd or dt looking for an open one to close stops at "t":
 * the parser stops at a special element but address, div and p.
 */
static int
html_stops(GumboTag t)
{
	if (t == GUMBO_TAG_TBODY || t == GUMBO_TAG_THEAD ||
	    t == GUMBO_TAG_TFOOT)
		return (1);
	return (t != GUMBO_TAG_ADDRESS && t != GUMBO_TAG_DIV &&
	    t != GUMBO_TAG_P && html_tags[t].render != HTML_R_INLINE &&
	    html_tags[t].render != HTML_R_LINK);
}

/*
 * Whether an element would not nest where the tree has it once the
 * output is parsed again, because an element between them was dropped
 * from the output or the parser put it there by foster parenting: a
 * heading right inside a heading (the parser closes the outer one), a
 * link inside a link, a block inside a p (in button scope: no table or
 * cell between), a list item inside a list item, dd or dt inside dd or
 * dt with no list or other special element between.  Such an element is
 * unwrapped, so the output stays a fixed point.  Only emitted elements
 * count: the output is what is parsed again.
 */
static int
html_misnested(const struct html_walk *w, GumboTag tag)
{
	const struct html_near	*n;

	if (w->depth == 0)
		return (0);
	n = &w->stack[w->depth - 1].near;
	if (html_closes_p(tag) && n->p > n->pscope)
		return (1);
	if (tag == GUMBO_TAG_A && n->a > n->ascope)
		return (1);
	if (html_heading(tag))
		return (n->emitted != 0 &&
		    html_heading(w->stack[n->emitted - 1].node->v.element.tag));
	if (tag == GUMBO_TAG_LI)
		return (n->li > n->listop);
	if (tag == GUMBO_TAG_DD || tag == GUMBO_TAG_DT)
		return (n->def > n->defstop);
	/*
	 * rt and rp close the elements between them and their ruby that
	 * an end tag may be implied for (li, p, ...), and gumbo put one
	 * inside an element the output unwrapped: kept only in a ruby.
	 */
	if (tag == GUMBO_TAG_RT || tag == GUMBO_TAG_RP)
		return (n->emitted == 0 || w->stack[n->emitted - 1].node->
		    v.element.tag != GUMBO_TAG_RUBY);
	return (0);
}

/*
 * Whether the output is, where the walk is, inside a table but outside
 * its cells and caption: there, parsed again, anything but the table's
 * own parts and white space moves out in front of the table.  gumbo's
 * adoption agency can leave other elements there.
 */
static int
html_in_table_body(const struct html_walk *w)
{
	const struct html_near	*n;
	GumboTag		 t;

	if (w->depth == 0)
		return (0);
	n = &w->stack[w->depth - 1].near;
	if (n->emitted == 0)
		return (0);
	t = w->stack[n->emitted - 1].node->v.element.tag;
	return (t == GUMBO_TAG_TABLE || t == GUMBO_TAG_TBODY ||
	    t == GUMBO_TAG_THEAD || t == GUMBO_TAG_TFOOT || t == GUMBO_TAG_TR);
}

/* A table's own parts, in the sense of html_in_table_body(). */
static int
html_table_part(GumboTag tag)
{
	switch (tag) {
	case GUMBO_TAG_CAPTION: case GUMBO_TAG_COLGROUP: case GUMBO_TAG_COL:
	case GUMBO_TAG_TBODY: case GUMBO_TAG_THEAD: case GUMBO_TAG_TFOOT:
	case GUMBO_TAG_TR: case GUMBO_TAG_TD: case GUMBO_TAG_TH:
		return (1);
	default:
		return (0);
	}
}

/*
 * Whether an element is kept from the output for its depth: deeper than
 * HTML_MAX_DEPTH, or formatting inside HTML_MAX_FORMAT others (a void
 * element nests nothing).  A table needs room for its tbody, tr and td,
 * and those go with their table: parsed again, a cell's text without
 * them would move out of the table.
 */
static int
html_deep(const struct html_walk *w, GumboTag tag)
{
	const struct html_frame	*p;
	size_t			 n = 0, nf = 0;

	if ((p = w->depth > 0 ? &w->stack[w->depth - 1] : NULL) != NULL) {
		n = p->nemitted;
		nf = p->nformat;
	}
	switch (tag) {
	case GUMBO_TAG_TABLE:
		return (n + 4 > HTML_MAX_DEPTH);
	case GUMBO_TAG_CAPTION:
	case GUMBO_TAG_TBODY:
	case GUMBO_TAG_THEAD:
	case GUMBO_TAG_TFOOT:
	case GUMBO_TAG_TR:
	case GUMBO_TAG_TD:
	case GUMBO_TAG_TH:
		return (p == NULL || p->near.table == 0 ||
		    !w->stack[p->near.table - 1].emitted);
	default:
		if (html_void(tag))
			return (0);
		return (n + 1 > HTML_MAX_DEPTH ||
		    (html_formatting(tag) && nf + 1 > HTML_MAX_FORMAT));
	}
}

/* The frame just opened (the top): what is near it, from the one below. */
static void
html_near(struct html_walk *w)
{
	struct html_frame	*f = &w->stack[w->depth - 1];
	struct html_near	*n = &f->near;
	size_t			 i = w->depth;
	GumboTag		 t = f->node->v.element.tag;

	if (i > 1) {
		*n = w->stack[i - 2].near;
		f->nemitted = w->stack[i - 2].nemitted;
		f->nformat = w->stack[i - 2].nformat;
	}
	n->render[f->render] = i;
	if (t == GUMBO_TAG_TABLE)
		n->table = i;
	if (!f->emitted)
		return;
	f->nemitted++;
	if (html_formatting(t))
		f->nformat++;
	n->emitted = i;
	if (t == GUMBO_TAG_P)
		n->p = i;
	if (t == GUMBO_TAG_A)
		n->a = i;
	if (t == GUMBO_TAG_TABLE || t == GUMBO_TAG_TD || t == GUMBO_TAG_TH ||
	    t == GUMBO_TAG_CAPTION)
		n->pscope = i;
	if (t == GUMBO_TAG_TD || t == GUMBO_TAG_TH || t == GUMBO_TAG_CAPTION)
		n->ascope = i;
	if (t == GUMBO_TAG_LI)
		n->li = i;
	else if (html_stops(t))
		n->listop = i;
	if (t == GUMBO_TAG_DD || t == GUMBO_TAG_DT)
		n->def = i;
	else if (html_stops(t))
		n->defstop = i;
}

/* Opens a frame for an element; returns its action (HTML_KEEP ...). */
static int
html_enter(struct html_walk *w, const GumboNode *n)
{
	const GumboElement	*el = &n->v.element;
	const struct html_tag	*t;
	struct html_frame	*f;
	GumboAttribute		*a, *xb;
	char			*v, *href = NULL, *src = NULL;
	const char		*alt = NULL;
	size_t			 i, k;
	int			 action;

	t = &html_tags[el->tag < GUMBO_TAG_LAST ? el->tag : GUMBO_TAG_UNKNOWN];
	action = t->action;
	if (el->tag_namespace != GUMBO_NAMESPACE_HTML ||
	    n->type == GUMBO_NODE_TEMPLATE ||
	    (!html_table_part(el->tag) && html_in_table_body(w)))
		action = HTML_DROP;
	/*
	 * An element left open takes in what follows it (a script or a
	 * style, the rest of the text): in a title, its text is kept, since
	 * it holds the title's words.  One closed by its own end tag holds
	 * only what was put in it, and goes as on a page.
	 */
	if (action == HTML_DROP && w->show_all &&
	    el->original_end_tag.length == 0)
		action = HTML_UNWRAP;
	if (action == HTML_DROP)
		return (HTML_DROP);
	if (el->tag == GUMBO_TAG_IMG) {
		a = gumbo_get_attribute(&el->attributes, "src");
		if (a == NULL || html_tracking(el) ||
		    (src = html_url(w->base, a->value, 0)) == NULL)
			return (HTML_DROP);
		a = gumbo_get_attribute(&el->attributes, "alt");
		alt = a != NULL ? a->value : NULL;
	}
	if (el->tag == GUMBO_TAG_A) {
		a = gumbo_get_attribute(&el->attributes, "href");
		if (a == NULL || (href = html_url(w->base, a->value,
		    URL_MAILTO)) == NULL)
			action = HTML_UNWRAP;	/* text without a link */
	}
	if (action == HTML_KEEP && (html_misnested(w, el->tag) ||
	    html_deep(w, el->tag)))
		action = HTML_UNWRAP;

	if (w->depth == w->cap) {
		w->cap = w->cap == 0 ? 32 : w->cap * 2;
		w->stack = xreallocarray(w->stack, w->cap, sizeof(*w->stack));
	}
	f = &w->stack[w->depth++];
	memset(f, 0, sizeof(*f));
	f->node = n;
	f->render = action == HTML_UNWRAP && (el->tag == GUMBO_TAG_A ||
	    html_heading(el->tag)) ? HTML_R_INLINE : t->render;
	f->emitted = action == HTML_KEEP;
	html_near(w);
	f->prev_base = w->base;
	/* Atom xhtml content may carry its own base (RFC 4287 2). */
	if ((xb = gumbo_get_attribute(&el->attributes, "xml:base")) != NULL &&
	    (v = html_url(w->base, xb->value, 0)) != NULL) {
		f->base = v;
		w->base = v;
	}

	if (w->html != NULL && action == HTML_KEEP) {
		buf_addc(w->html, '<');
		buf_adds(w->html, html_name(el->tag));
		for (i = 0; i < el->attributes.length; i++) {
			a = el->attributes.data[i];
			for (k = 0; k < sizeof(html_attrs) / sizeof(*html_attrs);
			    k++)
				if ((html_attrs[k].class & t->attrs) != 0 &&
				    strcmp(html_attrs[k].name, a->name) == 0)
					break;
			if (k == sizeof(html_attrs) / sizeof(*html_attrs))
				continue;
			if (strcmp(a->name, "href") == 0)
				v = xstrdup(href);
			else if (strcmp(a->name, "src") == 0)
				v = xstrdup(src);
			else if ((v = html_attr_value(a->name,
			    html_attrs[k].value, a->value, w->base)) == NULL)
				continue;
			buf_addc(w->html, ' ');
			buf_adds(w->html, a->name);
			buf_adds(w->html, "=\"");
			html_put_escaped(w->html, v, strlen(v), 1);
			buf_addc(w->html, '"');
			free(v);
		}
		if (href != NULL)
			buf_adds(w->html, " rel=\"noopener noreferrer\"");
		buf_addc(w->html, '>');
		/*
		 * The parser eats a newline right after <pre>: one always
		 * goes there, so a newline the content starts with (perhaps
		 * inside an unwrapped element) survives the next parse.
		 */
		if (el->tag == GUMBO_TAG_PRE || el->tag == GUMBO_TAG_LISTING)
			buf_addc(w->html, '\n');
	}
	if (w->r != NULL)
		html_render_enter(w, f, el, href, alt);
	free(href);
	free(src);
	return (action);
}

/*
 * The frame of the nearest open element rendering as "render" around
 * the current one, or NULL, or when one rendering as "stop" is nearer.
 */
static struct html_frame *
html_open(struct html_walk *w, int render, int stop)
{
	const struct html_near	*n;

	if (w->depth < 2)
		return (NULL);
	n = &w->stack[w->depth - 2].near;
	if (n->render[render] == 0 || n->render[stop] > n->render[render])
		return (NULL);
	return (&w->stack[n->render[render] - 1]);
}

static void
html_indent_push(struct html_render *r, struct html_frame *f, const char *s)
{
	f->indent = r->indent.len;
	buf_adds(&r->indent, s);
}

static void
html_indent_pop(struct html_render *r, struct html_frame *f)
{
	if (r->indent.data != NULL) {
		r->indent.len = f->indent;
		r->indent.data[f->indent] = '\0';
	}
}

/* Text that belongs to the block but is not the feed's: markers, refs. */
static void
html_text_mark(struct html_render *r, const char *s)
{
	size_t	len = r->para.len;

	if (len > 0 && r->para.data[len - 1] != ' ' &&
	    r->para.data[len - 1] != '\n')
		buf_adds(&r->para, s);
	else
		html_text_put(r, s, strlen(s));
}

static void
html_render_enter(struct html_walk *w, struct html_frame *f,
    const GumboElement *el, const char *href, const char *alt)
{
	struct html_render	*r = w->r;
	struct html_frame	*list;
	struct buf		 t = { NULL, 0, 0 };
	GumboAttribute		*a;
	char			 s[HTML_LIST_MARKER + 8], *fixed;
	int			 i;

	if (r->oneline) {
		if (f->render != HTML_R_INLINE && f->render != HTML_R_LINK &&
		    f->render != HTML_R_IMG)
			r->space = 1;
		return;
	}
	switch (f->render) {
	case HTML_R_BLOCK:
		html_sep(r, 1);
		break;
	case HTML_R_PARA:
		html_sep(r, 2);
		break;
	case HTML_R_HEAD:
		html_sep(r, 2);
		for (i = 0; i <= (int)(el->tag - GUMBO_TAG_H1); i++)
			buf_addc(&r->para, '#');
		buf_addc(&r->para, ' ');
		break;
	case HTML_R_QUOTE:
		html_sep(r, 2);
		html_indent_push(r, f, "> ");
		break;
	case HTML_R_PRE:
		html_sep(r, 2);
		r->pre++;
		break;
	case HTML_R_LIST:
		html_sep(r, html_open(w, HTML_R_ITEM, HTML_R_QUOTE) != NULL ?
		    1 : 2);
		f->ordered = el->tag == GUMBO_TAG_OL;
		f->counter = 1;
		if ((a = gumbo_get_attribute(&el->attributes, "start")) !=
		    NULL && html_number_ok(a->value, 1))
			f->counter = strtol(a->value, NULL, 10);
		break;
	case HTML_R_ITEM:
		html_sep(r, 1);
		list = html_open(w, HTML_R_LIST, HTML_R_ITEM);
		if (list != NULL && list->ordered) {
			if ((a = gumbo_get_attribute(&el->attributes,
			    "value")) != NULL && html_number_ok(a->value, 1))
				list->counter = strtol(a->value, NULL, 10);
			snprintf(r->marker, sizeof(r->marker), "%ld. ",
			    list->counter++);
		} else
			snprintf(r->marker, sizeof(r->marker), "* ");
		memset(s, ' ', sizeof(s));
		s[strlen(r->marker)] = '\0';
		html_indent_push(r, f, s);
		break;
	case HTML_R_DD:
		html_sep(r, 1);
		html_indent_push(r, f, "    ");
		break;
	case HTML_R_ROW:
		html_sep(r, 1);
		break;
	case HTML_R_CELL:
		if ((list = html_open(w, HTML_R_ROW, HTML_R_PARA)) != NULL &&
		    list->counter++ > 0) {
			while (r->para.len > 0 &&
			    r->para.data[r->para.len - 1] == ' ')
				r->para.len--;
			if (r->para.len > 0)
				buf_adds(&r->para, " | ");
			r->space = 0;
		}
		break;
	case HTML_R_BR:
		while (r->para.len > 0 && r->para.data[r->para.len - 1] == ' ')
			r->para.len--;
		buf_addc(&r->para, '\n');
		r->space = 0;
		break;
	case HTML_R_HR:
		html_sep(r, 2);
		memset(s, '-', sizeof(s) - 1);
		s[sizeof(s) - 1] = '\0';
		buf_adds(&r->para, s);
		html_sep(r, 2);
		break;
	case HTML_R_IMG:
		/*
		 * The marker is a word of its own: glued to the text or
		 * link number around it, "styled[2][image: x]" reads as one.
		 */
		r->space = 1;
		buf_adds(&t, "[image");
		if (alt != NULL && alt[strspn(alt, " \t\n\r\f")] != '\0') {
			buf_adds(&t, ": ");
			buf_adds(&t, alt);
		}
		buf_addc(&t, ']');
		if ((fixed = html_utf8_fix(t.data)) != NULL) {
			html_text_put(r, fixed, strlen(fixed));
			free(fixed);
		} else
			html_text_put(r, t.data, t.len);
		buf_free(&t);
		r->space = 1;
		break;
	case HTML_R_LINK:
		if (r->flags & HTML_TEXT_LINKS)
			f->link = html_link_number(r, href);
		break;
	}
}

static void
html_render_leave(struct html_walk *w, struct html_frame *f)
{
	struct html_render	*r = w->r;
	char			 s[32];

	if (r->oneline) {
		if (f->render != HTML_R_INLINE && f->render != HTML_R_LINK &&
		    f->render != HTML_R_IMG)
			r->space = 1;
		return;
	}
	switch (f->render) {
	case HTML_R_BLOCK:
	case HTML_R_ROW:
		html_sep(r, 1);
		break;
	case HTML_R_PARA:
	case HTML_R_HEAD:
		html_sep(r, 2);
		break;
	case HTML_R_QUOTE:
		html_sep(r, 2);
		html_indent_pop(r, f);
		break;
	case HTML_R_PRE:
		html_sep(r, 2);
		r->pre--;
		break;
	case HTML_R_LIST:
		html_sep(r, html_open(w, HTML_R_ITEM, HTML_R_QUOTE) != NULL ?
		    1 : 2);
		break;
	case HTML_R_ITEM:
	case HTML_R_DD:
		html_sep(r, 1);
		r->marker[0] = '\0';
		html_indent_pop(r, f);
		break;
	case HTML_R_LINK:
		if (f->link != 0) {
			snprintf(s, sizeof(s), "[%zu]", f->link);
			html_text_mark(r, s);
		}
		break;
	}
}

static int
html_void(GumboTag tag)
{
	return (tag == GUMBO_TAG_BR || tag == GUMBO_TAG_HR ||
	    tag == GUMBO_TAG_IMG || tag == GUMBO_TAG_WBR);
}

/* Closes the innermost frame. */
static void
html_leave(struct html_walk *w)
{
	struct html_frame	*f = &w->stack[w->depth - 1];
	GumboTag		 tag = f->node->v.element.tag;

	if (w->html != NULL && f->emitted && !html_void(tag)) {
		buf_adds(w->html, "</");
		buf_adds(w->html, html_name(tag));
		buf_addc(w->html, '>');
	}
	if (w->r != NULL)
		html_render_leave(w, f);
	w->base = f->prev_base;
	free(f->base);
	w->depth--;
}

/* One node; 1 when its children are to be walked next. */
static int
html_visit(struct html_walk *w, const GumboNode *n)
{
	const char	*s, *t;
	char		*fixed;
	size_t		 k;

	switch (n->type) {
	case GUMBO_NODE_TEXT:
	case GUMBO_NODE_WHITESPACE:
	case GUMBO_NODE_CDATA:
		s = n->v.text.text;
		if ((fixed = html_utf8_fix(s)) != NULL)
			s = fixed;
		if (w->html != NULL) {
			/*
			 * White space before anything else would be dropped
			 * when the output is parsed again (it falls before
			 * <body>): it goes now, so the output is a fixed point.
			 */
			t = s;
			while (w->html->len == 0 && *t != '\0') {
				if ((k = html_skip((const unsigned char *)t,
				    strlen(t))) != 0)
					t += k;
				else if (strchr(" \t\n\f\r", *t) != NULL)
					t++;
				else
					break;
			}
			/* See html_in_table_body(). */
			if (n->type != GUMBO_NODE_WHITESPACE &&
			    html_in_table_body(w))
				t = "";
			html_put_escaped(w->html, t, strlen(t), 0);
		}
		if (w->r != NULL)
			html_text_put(w->r, s, strlen(s));
		free(fixed);
		return (0);
	case GUMBO_NODE_ELEMENT:
	case GUMBO_NODE_TEMPLATE:
		if (html_enter(w, n) == HTML_DROP)
			return (0);
		if (n->v.element.children.length > 0)
			return (1);
		html_leave(w);
		return (0);
	default:
		return (0);
	}
}

/*
 * Walks the tree without recursion (a document nested ten thousand deep
 * must not take the stack): down to the first child, else across to the
 * next sibling, else up, closing each element on the way.
 */
static void
html_walk(struct html_walk *w, const GumboNode *root)
{
	const GumboNode		*n = root, *p;
	const GumboVector	*c;

	for (;;) {
		if (html_visit(w, n)) {
			n = n->v.element.children.data[0];
			continue;
		}
		for (;;) {
			if (n == root)
				return;
			p = n->parent;
			c = &p->v.element.children;
			if (n->index_within_parent + 1 < c->length) {
				n = c->data[n->index_within_parent + 1];
				break;
			}
			n = p;
			html_leave(w);
		}
	}
}

/*
 * Feed HTML "s" (len bytes) with relative URLs resolved against "base"
 * (may be NULL: relative URLs then go): the sanitised HTML into "*html"
 * and its text, wrapped at "width" columns (0: paragraphs on one line),
 * into "*text"; either pointer may be NULL when that form is not wanted.
 * HTML_TEXT_LINKS numbers the links and lists them at the end.
 */
void
html_content(const char *s, size_t len, const char *base, int width,
    int flags, char **html, char **text)
{
	struct html_walk	 w;
	struct html_render	 r;
	struct html_arena	 arena;
	struct buf		 h = { NULL, 0, 0 };
	GumboOutput		*out;
	size_t			 i;
	char			 num[32];

	memset(&w, 0, sizeof(w));
	memset(&r, 0, sizeof(r));
	r.width = width;
	r.flags = flags;
	w.base = base;
	w.html = html != NULL ? &h : NULL;
	w.r = text != NULL ? &r : NULL;
	out = html_parse(&arena, s, len);
	html_walk(&w, out->root);
	html_parse_done(&arena);
	free(w.stack);
	if (html != NULL)
		*html = h.data != NULL ? h.data : xstrdup("");
	if (text == NULL)
		return;
	html_flush(&r);
	for (i = 0; i < r.nlinks; i++) {
		if (i == 0 && r.out.len > 0)
			buf_addc(&r.out, '\n');
		snprintf(num, sizeof(num), "[%zu] ", i + 1);
		buf_adds(&r.out, num);
		buf_adds(&r.out, r.links[i]);
		buf_addc(&r.out, '\n');
		free(r.links[i]);
	}
	free(r.links);
	free(r.hash);
	while (r.out.len > 0 && r.out.data[r.out.len - 1] == '\n')
		r.out.data[--r.out.len] = '\0';
	*text = r.out.data != NULL ? r.out.data : xstrdup("");
	buf_free(&r.para);
	buf_free(&r.indent);
}

/* The sanitised form alone. */
char *
html_sanitize(const char *s, size_t len, const char *base)
{
	char	*html;

	html_content(s, len, base, 0, 0, &html, NULL);
	return (html);
}

/* The text form alone, links numbered and listed. */
char *
html_render(const char *s, size_t len, const char *base, int width)
{
	char	*text;

	html_content(s, len, base, width, HTML_TEXT_LINKS, NULL, &text);
	return (text);
}

/* HTML as one line of text, appended to "b"; see the two below. */
static void
html_oneline(struct buf *b, const char *s, size_t len, int show_all)
{
	struct html_walk	 w;
	struct html_render	 r;
	struct html_arena	 arena;
	GumboOutput		*out;

	memset(&w, 0, sizeof(w));
	memset(&r, 0, sizeof(r));
	r.oneline = 1;
	w.r = &r;
	w.show_all = show_all;
	out = html_parse(&arena, s, len);
	html_walk(&w, out->root);
	html_parse_done(&arena);
	free(w.stack);
	html_flush(&r);
	if (r.out.len > 0)
		buf_add(b, r.out.data, r.out.len);
	buf_free(&r.out);
	buf_free(&r.para);
	buf_free(&r.indent);
}

/*
 * HTML as one line of text, appended to "b": what a summary reads as in
 * a line.  Tags go the way a browser reads them (a stray quote in a tag
 * loses no text), entities are decoded, and what a browser would not
 * show (script, style) goes.
 */
void
html_inline_text(struct buf *b, const char *s, size_t len)
{
	html_oneline(b, s, len, 0);
}

/*
 * A title that is HTML as one line of text, appended to "b": as
 * html_inline_text(), but an element a browser hides that was left open
 * ("Why <script> blocks") keeps its text: it took in the rest of the
 * title, which is the title's words, not a script.
 */
void
html_title_text(struct buf *b, const char *s, size_t len)
{
	html_oneline(b, s, len, 1);
}

/* The children of a node that has any: the document's, an element's. */
static const GumboVector *
html_children(const GumboNode *n)
{
	if (n->type == GUMBO_NODE_DOCUMENT)
		return (&n->v.document.children);
	if (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE)
		return (&n->v.element.children);
	return (NULL);
}

/*
 * The text an older feedd read from an HTML title, for the old key of an
 * item keyed by its hash (feed_item_key_v1): a space for each tag, and
 * the text between with its references decoded by
 * text_decode_entities(), where html_inline_text() joins inline markup
 * to its words ("H<sub>2</sub>O").  Here each tag the HTML5 parser kept
 * and each comment is a space, and each text node is its source so
 * decoded.  Markup that the parser drops or moves (a stray end tag
 * inside a word, text fostered out of a table) can still read otherwise.
 */
void
html_text_v1(struct buf *b, const char *s, size_t len)
{
	struct html_arena	 arena;
	GumboOutput		*out;
	const GumboNode		*n, *p;
	const GumboVector	*c;

	out = html_parse(&arena, s, len);
	n = out->document;
	for (;;) {
		switch (n->type) {
		case GUMBO_NODE_ELEMENT:
		case GUMBO_NODE_TEMPLATE:
			if (n->v.element.original_tag.length != 0)
				buf_addc(b, ' ');
			break;
		case GUMBO_NODE_COMMENT:
			buf_addc(b, ' ');
			break;
		case GUMBO_NODE_DOCUMENT:
			break;
		default:	/* text, white space, CDATA */
			text_decode_entities(b, n->v.text.original_text.data,
			    n->v.text.original_text.length);
			break;
		}
		if ((c = html_children(n)) != NULL && c->length != 0) {
			n = c->data[0];
			continue;
		}
		for (;;) {
			if ((n->type == GUMBO_NODE_ELEMENT ||
			    n->type == GUMBO_NODE_TEMPLATE) &&
			    n->v.element.original_end_tag.length != 0)
				buf_addc(b, ' ');
			if (n == out->document) {
				html_parse_done(&arena);
				return;
			}
			p = n->parent;
			c = html_children(p);
			if (n->index_within_parent + 1 < c->length) {
				n = c->data[n->index_within_parent + 1];
				break;
			}
			n = p;
		}
	}
}

/*
 * What an item's content and summary resolve relative URLs against: the
 * xml:base in force where the feed wrote them, else the item's link,
 * else "base" (the feed's).
 */
const char *
html_item_base(const struct feed_item *it, const char *base)
{
	if (it->base != NULL)
		return (it->base);
	return (it->link != NULL ? it->link : base);
}

/*
 * The reader's forms of an item: its content, else its summary,
 * sanitised and rendered; relative URLs resolve against
 * html_item_base().  NULL for both when the item has neither.
 */
void
html_item(const struct feed_item *it, const char *base, int width,
    char **html, char **text)
{
	const char	*src = it->content != NULL && *it->content != '\0' ?
			    it->content : it->summary;

	if (src == NULL) {
		if (html != NULL)
			*html = NULL;
		if (text != NULL)
			*text = NULL;
		return;
	}
	html_content(src, strlen(src), html_item_base(it, base), width,
	    HTML_TEXT_LINKS, html, text);
}

/*
 * Where HTML that was cut at "len" bytes is best ended: at the last
 * white space of the text cut short, else before its last tag, so no
 * word, character reference or tag is left half (read by gumbo, as any
 * reader will read it: a tag the cut left open is no node).  Text in
 * elements whose content is not markup (script, style, textarea ...)
 * is no place to end: what follows would be read as their text.
 */
size_t
html_cut(const char *s, size_t len)
{
	struct html_arena	 arena;
	GumboOutput		*out;
	const GumboNode		*n, *p;
	const GumboVector	*c;
	const GumboElement	*e;
	size_t			 best = 0, at, i, end;
	GumboTag		 pt;

	out = html_parse(&arena, s, len);
	/* Its offsets would be into the escaped text: no better place. */
	if (arena.escaped != NULL) {
		html_parse_done(&arena);
		return (len);
	}
	n = out->document;
	for (;;) {
		switch (n->type) {
		case GUMBO_NODE_ELEMENT:
		case GUMBO_NODE_TEMPLATE:
			e = &n->v.element;
			if (e->original_tag.length != 0) {
				at = e->start_pos.offset;
				if (at > best)
					best = at;
				at += e->original_tag.length;
				if (at <= len && at > best)
					best = at;
			}
			if (e->original_end_tag.length != 0) {
				at = e->end_pos.offset +
				    e->original_end_tag.length;
				if (at <= len && at > best)
					best = at;
			}
			break;
		case GUMBO_NODE_TEXT:
		case GUMBO_NODE_WHITESPACE:
			pt = n->parent != NULL && n->parent->type ==
			    GUMBO_NODE_ELEMENT ? n->parent->v.element.tag :
			    GUMBO_TAG_UNKNOWN;
			if (pt == GUMBO_TAG_SCRIPT || pt == GUMBO_TAG_STYLE ||
			    pt == GUMBO_TAG_TEXTAREA || pt == GUMBO_TAG_TITLE ||
			    pt == GUMBO_TAG_XMP || pt == GUMBO_TAG_IFRAME ||
			    pt == GUMBO_TAG_NOEMBED || pt == GUMBO_TAG_NOFRAMES ||
			    pt == GUMBO_TAG_NOSCRIPT || pt == GUMBO_TAG_PLAINTEXT)
				break;
			at = n->v.text.start_pos.offset;
			end = at + n->v.text.original_text.length;
			if (end < len) {
				if (end > best)
					best = end;
				break;
			}
			/* The text the cut ended: back to its last space. */
			for (i = len; i > at; i--)
				if (s[i - 1] == ' ' || s[i - 1] == '\n' ||
				    s[i - 1] == '\t' || s[i - 1] == '\r')
					break;
			if (i > best)
				best = i;
			break;
		case GUMBO_NODE_DOCUMENT:
			break;
		default:
			/* A comment, CDATA: before it, whole or not. */
			at = n->v.text.start_pos.offset;
			if (at > best && at <= len)
				best = at;
			break;
		}
		if ((n->type == GUMBO_NODE_ELEMENT ||
		    n->type == GUMBO_NODE_TEMPLATE ||
		    n->type == GUMBO_NODE_DOCUMENT) &&
		    html_children(n)->length != 0) {
			n = html_children(n)->data[0];
			continue;
		}
		for (;;) {
			if ((p = n->parent) == NULL)
				goto done;
			c = html_children(p);
			if (n->index_within_parent + 1 < c->length) {
				n = c->data[n->index_within_parent + 1];
				break;
			}
			n = p;
		}
	}
done:
	html_parse_done(&arena);
	return (best < len ? best : len);
}
