/*
 * text.c: text transforms shared by the parsers.  Everything here works on
 * UTF-8 and never reads past the length it is given.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <linebreak.h>
#include <utf8proc.h>

#include "buf.h"
#include "entities.h"
#include "html.h"
#include "text.h"
#include "xmalloc.h"

#define IS_SPACE(c)	((c) == ' ' || (c) == '\t' || (c) == '\n' || \
			    (c) == '\r' || (c) == '\f' || (c) == '\v')

/* Eight bytes at a time ("SWAR"): each byte of a word set to c. */
#define SWAR_ONES	UINT64_C(0x0101010101010101)
#define SWAR_HIGHS	UINT64_C(0x8080808080808080)
#define SWAR_REP(c)	(SWAR_ONES * (uint64_t)(unsigned char)(c))

#define TEXT_ESCAPE_BLOCK	4096	/* input bytes per reservation */
#define TEXT_TAB		8	/* columns between tab stops */

/* text_plain_html()'s output, held to a number of bytes. */
struct text_plain {
	struct buf	*b;
	size_t		 start;		/* b->len when it began */
	size_t		 max;		/* bytes it may add */
	size_t		 close;		/* bytes kept for "</p>" */
	int		 cut;
};

/*
 * text_wrap()'s mark of each byte: whether a character cluster (what a
 * reader sees as one character) starts there, and whether a line may
 * start there; the cluster's display columns above.
 */
#define TEXT_WRAP_INSIDE	0	/* inside a cluster */
#define TEXT_WRAP_CLUSTER	1	/* a cluster starts here */
#define TEXT_WRAP_BREAK		2	/* and a line may start here */
#define TEXT_WRAP_KIND		0x3
#define TEXT_WRAP_COLS(m)	((size_t)(m) >> 2)

static uint64_t	text_swar_has(uint64_t, uint64_t);
static void	text_escape_block(struct buf *, const char *, size_t, int);
static size_t	text_fold_run(const char *, size_t);
static int	text_swar_escape(const char *, int);
static int	text_plain_put(struct text_plain *, const char *, size_t);
static void	text_plain_line(struct text_plain *, const char *, size_t);
static size_t	text_plain_eol(const char *, size_t, size_t, size_t *);
static int	text_plain_blank(const char *, size_t);
static int	text_plain_paras(const char *, size_t);
static int	text_hangul(utf8proc_int32_t);
static void	text_wrap_init(void);
static void	text_wrap_marks(const char *, size_t, unsigned char *);
static void	text_wrap_line(const char *, size_t, const unsigned char *,
		    size_t, text_line_cb, void *);

static pthread_once_t	text_wrap_once = PTHREAD_ONCE_INIT;

/* Appends code point "cp" as UTF-8; invalid ones become U+FFFD. */
void
text_utf8_put(struct buf *b, uint32_t cp)
{
	char	u[4];

	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp == 0)
		cp = 0xfffd;
	if (cp < 0x80) {
		u[0] = (char)cp;
		buf_add(b, u, 1);
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 3);
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 4);
	}
}

/*
 * Returns how many leading bytes of "s" are valid UTF-8 (RFC 3629: no
 * overlongs, no surrogates); "multi" (may be NULL) is set when a multi-byte
 * sequence was seen.
 */
size_t
text_utf8_valid(const char *s, size_t len, int *multi)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, n, k;
	uint32_t		 cp;

	if (multi != NULL)
		*multi = 0;
	while (i < len) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		if (u[i] >= 0xc2 && u[i] <= 0xdf) {
			n = 1;
			cp = u[i] & 0x1f;
		} else if (u[i] >= 0xe0 && u[i] <= 0xef) {
			n = 2;
			cp = u[i] & 0x0f;
		} else if (u[i] >= 0xf0 && u[i] <= 0xf4) {
			n = 3;
			cp = u[i] & 0x07;
		} else
			return (i);
		if (len - i <= n)
			return (i);
		for (k = 1; k <= n; k++) {
			if ((u[i + k] & 0xc0) != 0x80)
				return (i);
			cp = (cp << 6) | (u[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return (i);
		if (multi != NULL)
			*multi = 1;
		i += n + 1;
	}
	return (i);
}

/*
 * Returns the largest length <= len that does not split a UTF-8 sequence;
 * s[len] must be readable.
 */
size_t
text_utf8_cut(const char *s, size_t len)
{
	size_t	i = len;

	while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80)
		i--;
	return (i);
}

/* A copy of s[0..len) without leading and trailing white space. */
char *
text_trim(const char *s, size_t len)
{
	char	*out;

	while (len > 0 && IS_SPACE(*s)) {
		s++;
		len--;
	}
	while (len > 0 && IS_SPACE(s[len - 1]))
		len--;
	/* Copied, not strndup'd: the length is known, no NUL to look for. */
	out = xmalloc(len + 1);
	memcpy(out, s, len);
	out[len] = '\0';
	return (out);
}

/*
 * How many of the 8 bytes at s are above ' ' (so none is white space):
 * 8 by one word test, as in links, ids and dates; else counted.
 */
static size_t
text_fold_run(const char *s, size_t len)
{
	uint64_t	w;
	size_t		k;

	if (len < 8)
		return (0);
	memcpy(&w, s, sizeof(w));
	/* A byte below 0x21 borrows: the zero-byte test on w - 0x21... */
	if (((w - SWAR_REP(0x21)) & ~w & SWAR_HIGHS) == 0)
		return (8);
	for (k = 0; (unsigned char)s[k] > ' '; k++)
		;
	return (k);
}

/*
 * A copy with runs of white space folded into one space, and trimmed.
 * Bytes that cannot be white space are copied a word at a time.
 */
char *
text_fold(const char *s, size_t len)
{
	char	*out, *o;
	size_t	 i = 0, k;
	int	 space = 0;

	o = out = xmalloc(len + 1);
	while (i < len) {
		if ((k = text_fold_run(s + i, len - i)) != 0) {
			if (space && o != out)
				*o++ = ' ';
			space = 0;
			/* o <= out + i: the 8 bytes fit; those past k are junk. */
			memcpy(o, s + i, 8);
			o += k;
			i += k;
			if (k == 8)
				continue;
		}
		if (IS_SPACE(s[i])) {
			space = 1;
			i++;
			continue;
		}
		if (space && o != out)
			*o++ = ' ';
		space = 0;
		*o++ = s[i++];
	}
	*o = '\0';
	return (out);
}

/*
 * The character reference or entity at s[0] == '&': its length, its code
 * point in "*cp"; 0 if there is none.
 */
static size_t
text_entity(const char *s, size_t len, uint32_t *cp_out)
{
	size_t		 i, end;
	uint32_t	 cp = 0;
	int		 hex;

	for (end = 1; end < len && end < 40 && s[end] != ';'; end++)
		;
	if (end >= len || s[end] != ';' || end < 2)
		return (0);
	if (s[1] == '#') {
		hex = end > 2 && (s[2] == 'x' || s[2] == 'X');
		i = hex ? 3 : 2;
		if (i == end)
			return (0);
		for (; i < end; i++) {
			if (hex && strchr("0123456789abcdefABCDEF", s[i]) &&
			    s[i] != '\0')
				cp = cp * 16 + (uint32_t)(s[i] <= '9' ?
				    s[i] - '0' : (s[i] | 0x20) - 'a' + 10);
			else if (!hex && s[i] >= '0' && s[i] <= '9')
				cp = cp * 10 + (uint32_t)(s[i] - '0');
			else
				return (0);
			if (cp > 0x10ffff)
				cp = 0x110000;	/* stays invalid, no overflow */
		}
	} else if (end == 3 && memcmp(s, "&lt;", 4) == 0)	/* s[end] == ';' */
		cp = '<';
	else if (end == 3 && memcmp(s, "&gt;", 4) == 0)
		cp = '>';
	else if (end == 4 && memcmp(s, "&amp;", 5) == 0)
		cp = '&';
	else if (end == 5 && memcmp(s, "&quot;", 6) == 0)
		cp = '"';
	else if (end == 5 && memcmp(s, "&apos;", 6) == 0)
		cp = '\'';
	else if ((cp = entities_lookup(s + 1, end - 1)) == 0)
		return (0);
	*cp_out = cp;
	return (end + 1);
}

/* Decodes one character reference or entity at s[0] == '&'; 0 if none. */
static size_t
text_decode_entity(struct buf *b, const char *s, size_t len)
{
	uint32_t	cp;
	size_t		n;

	if ((n = text_entity(s, len, &cp)) != 0)
		text_utf8_put(b, cp);
	return (n);
}

/*
 * The inline markup a title may hold and still be read as HTML (see
 * text_looks_html()): what headlines are set in, not what pages are
 * built of.
 */
static const char *const text_title_tags[] = {
	"a", "abbr", "b", "br", "cite", "code", "del", "em", "font", "i",
	"ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong",
	"sub", "sup", "tt", "u", "var"
};

/* Whether the tag name s[0..len) is one of text_title_tags[]. */
static int
text_title_tag(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < sizeof(text_title_tags) / sizeof(*text_title_tags);
	    i++)
		if (strlen(text_title_tags[i]) == len &&
		    strncasecmp(s, text_title_tags[i], len) == 0)
			return (1);
	return (0);
}

/*
 * The length of the tag name at s (after "<" or "</"), 0 if none: an
 * ASCII letter, then up to white space, "/" or ">" (HTML5 13.2.5.6-8),
 * so "a < b" and "<3" hold no tag and "Map<K, V>" holds "K,".
 */
static size_t
text_tag_name(const char *s, size_t len)
{
	size_t	n;

	if (len == 0 || !((s[0] >= 'a' && s[0] <= 'z') ||
	    (s[0] >= 'A' && s[0] <= 'Z')))
		return (0);
	for (n = 1; n < len && !IS_SPACE(s[n]) && s[n] != '/' &&
	    s[n] != '>'; n++)
		;
	return (n);
}

/*
 * Whether text that may hold escaped HTML (an RSS title) does, guessed as
 * feedparser's "looks like HTML" does: it has a character or entity
 * reference left after XML decoding ("&amp;amp;" read as "&amp;",
 * "&#8217;"), an end tag "</name>" or a <br>, and every tag in it, start
 * or end, is one of text_title_tags[].  Any other tag (<div>, <script>,
 * Vector<T>, Map<K, V>, <int>) means the text talks about tags: it is
 * text, as written.  This only decides whether the HTML5 parser reads
 * it; it parses nothing.
 */
int
text_looks_html(const char *s, size_t len)
{
	uint32_t	cp;
	size_t		i, n, end;
	int		html = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '&' && text_entity(s + i, len - i, &cp) != 0)
			html = 1;
		if (s[i] != '<')
			continue;
		end = i + 1 < len && s[i + 1] == '/';
		if ((n = text_tag_name(s + i + 1 + end, len - i - 1 - end)) ==
		    0)
			continue;
		if (!text_title_tag(s + i + 1 + end, n))
			return (0);
		if ((end && i + 2 + n < len && s[i + 2 + n] == '>') ||
		    (!end && n == 2 && strncasecmp(s + i + 1, "br", 2) == 0))
			html = 1;
	}
	return (html);
}

/*
 * HTML to plain text, for summaries and the search index: entities
 * decoded; with markup, read by the HTML5 parser as a browser reads it
 * (html.c), so a stray quote inside a tag loses no text, and what a
 * browser would not show (a script, a style) goes.  White space is folded
 * by the caller.  Text without '<' needs no parser: entities are decoded
 * here.
 */
void
text_html_to_text(struct buf *b, const char *s, size_t len)
{
	if (memchr(s, '<', len) != NULL)
		html_inline_text(b, s, len);
	else
		text_decode_entities(b, s, len);
}

/*
 * A title that is HTML (Atom type="html", RFC 4287 3.1.1.2, or an RSS
 * title text_looks_html() takes for HTML) as plain text: as
 * text_html_to_text(), but no element hides text (html_title_text()).
 */
void
text_html_title(struct buf *b, const char *s, size_t len)
{
	if (memchr(s, '<', len) != NULL)
		html_title_text(b, s, len);
	else
		text_decode_entities(b, s, len);
}

/*
 * Appends s[0..len) with its character references decoded, each only
 * when ended by ';' (an "&copy" without one stays as written).
 */
void
text_decode_entities(struct buf *b, const char *s, size_t len)
{
	size_t	i = 0, n;

	while (i < len) {
		if (s[i] == '&' && (n = text_decode_entity(b, s + i,
		    len - i)) != 0) {
			i += n;
			continue;
		}
		for (n = i + 1; n < len && s[n] != '&'; n++)
			;
		buf_add(b, s + i, n - i);
		i = n;
	}
}

/*
 * The character cluster (UAX #29, utf8proc) at s[0..len): its bytes, and
 * in "*cols" its display columns, those of its widest character, so an
 * emoji ZWJ sequence (a family) is two columns, not eight.  A byte that
 * is not UTF-8 is a cluster of one column; a control character, none.
 */
static size_t
text_cluster(const char *s, size_t len, size_t *cols)
{
	const utf8proc_uint8_t	*u = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t	 cp, prev = -1, state = 0;
	utf8proc_ssize_t	 n;
	size_t			 i = 0, cw;

	*cols = 0;
	while (i < len) {
		if (u[i] < 0x80) {
			cp = u[i];
			n = 1;
		} else if ((n = utf8proc_iterate(u + i,
		    (utf8proc_ssize_t)(len - i), &cp)) <= 0) {
			if (i == 0)
				*cols = 1;
			return (i == 0 ? 1 : i);
		}
		if (prev != -1 && utf8proc_grapheme_break_stateful(prev, cp,
		    &state))
			break;
		cw = cp < 0x80 ? cp >= 0x20 && cp != 0x7f :
		    (size_t)utf8proc_charwidth(cp);
		if (cw > *cols)
			*cols = cw;
		prev = cp;
		i += (size_t)n;
	}
	return (i);
}

/* Display columns of s[0..len): East Asian wide count two (utf8proc). */
size_t
text_width(const char *s, size_t len)
{
	size_t	i = 0, w = 0, cw;

	while (i < len) {
		i += text_cluster(s + i, len - i, &cw);
		w += cw;
	}
	return (w);
}

/*
 * Appends s cut to at most "cols" display columns, between character
 * clusters, with an ellipsis when anything was cut; returns the columns
 * used.
 */
size_t
text_cut_width(struct buf *b, const char *s, size_t cols)
{
	size_t	len = strlen(s), i = 0, w = 0, cw, n, fit = 0, fitw = 0;

	if ((w = text_width(s, len)) <= cols) {
		buf_add(b, s, len);
		return (w);
	}
	if (cols == 0)
		return (0);
	/* Room for the ellipsis (one column) is kept back. */
	w = 0;
	while (i < len) {
		n = text_cluster(s + i, len - i, &cw);
		if (w + cw > cols - 1)
			break;
		w += cw;
		i += n;
		fit = i;
		fitw = w;
	}
	buf_add(b, s, fit);
	buf_adds(b, "\xe2\x80\xa6");
	return (fitw + 1);
}

/* Hangul: syllables, jamo and compatibility jamo (UAX #14 H2 H3 JL JV JT). */
static int
text_hangul(utf8proc_int32_t cp)
{
	return ((cp >= 0x1100 && cp <= 0x11ff) || (cp >= 0x3130 &&
	    cp <= 0x318f) || (cp >= 0xa960 && cp <= 0xa97f) ||
	    (cp >= 0xac00 && cp <= 0xd7ff));
}

/* libunibreak's lookup index, built once, whatever thread wraps first. */
static void
text_wrap_init(void)
{
	init_linebreak();
}

/*
 * Marks where a line may start in s[0..len) (valid UTF-8; after a byte
 * that is not, only at a space): where the line breaking algorithm of
 * UAX #14 (libunibreak) allows it, never inside a character cluster
 * (UAX #29, utf8proc: the Unicode 6.2 rules of Debian 12's libunibreak
 * predate emoji ZWJ sequences and would part a family emoji), and, in
 * text written with spaces, only after a space, so that a hyphen or a
 * slash never parts a word or a URL; a break next to a character two
 * columns wide (CJK ideographs, kana, emoji) stands as UAX #14 gives it,
 * as those scripts write no spaces between their words.  Korean does,
 * so Hangul breaks at its spaces (UAX #14's tailoring of Hangul to AL
 * for such text), never inside a word.
 */
static void
text_wrap_marks(const char *s, size_t len, unsigned char *marks)
{
	const utf8proc_uint8_t	*u = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t	 cp, prev = -1, state = 0;
	utf8proc_ssize_t	 n;
	char			*lb, *copy, *p;
	size_t			 i = 0, start = 0, valid, cols = 0, cw;
	int			 brk, ideo = 0, wide;

	pthread_once(&text_wrap_once, text_wrap_init);
	valid = text_utf8_valid(s, len, NULL);
	lb = xmalloc(len);
	memset(lb, LINEBREAK_NOBREAK, len);
	/*
	 * libunibreak 1.1 reads U+FFFF as its end of text and then fails
	 * an assertion (abort): it gets a copy with U+FFFD (as long, and of
	 * the same break class) in its place.
	 */
	if (memmem(s, valid, "\xef\xbf\xbf", 3) != NULL) {
		copy = xmalloc(valid);
		memcpy(copy, s, valid);
		for (p = copy; (p = memmem(p, valid - (size_t)(p - copy),
		    "\xef\xbf\xbf", 3)) != NULL; p += 3)
			p[2] = '\xbd';
		set_linebreaks_utf8((const utf8_t *)copy, valid, NULL, lb);
		free(copy);
	} else
		set_linebreaks_utf8(u, valid, NULL, lb);
	memset(marks, TEXT_WRAP_INSIDE, len);
	while (i < len) {
		n = utf8proc_iterate(u + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0) {
			/* A stray byte: a cluster of its own, one column. */
			cp = 0xfffd;
			n = 1;
			state = 0;
		}
		cw = cp < 0x80 ? cp >= 0x20 && cp != 0x7f :
		    (size_t)utf8proc_charwidth(cp);
		if (prev == -1 || cp == 0xfffd || prev == 0xfffd ||
		    utf8proc_grapheme_break_stateful(prev, cp, &state)) {
			wide = cw == 2 && !text_hangul(cp);
			if (i > 0) {
				marks[start] |= (unsigned char)(cols << 2);
				brk = prev == ' ' || (i <= valid &&
				    lb[i - 1] != LINEBREAK_NOBREAK &&
				    lb[i - 1] != LINEBREAK_INSIDEACHAR &&
				    (ideo || wide || prev == 0x200b));
			} else
				brk = 0;
			marks[i] = brk ? TEXT_WRAP_BREAK : TEXT_WRAP_CLUSTER;
			start = i;
			cols = 0;
			ideo = wide;
		}
		/* A cluster is as wide as its widest character. */
		if (cw > cols)
			cols = cw;
		prev = cp;
		i += (size_t)n;
	}
	if (len > 0)
		marks[start] |= (unsigned char)(cols << 2);
	free(lb);
}

/*
 * One hard line s[0..len) (no '\n' in it), filled greedily into lines of
 * at most "cols" columns, each given to "cb" without the spaces around
 * it; a piece between two break opportunities that is wider stands alone.
 */
static void
text_wrap_line(const char *s, size_t len, const unsigned char *marks,
    size_t cols, text_line_cb cb, void *arg)
{
	size_t	p = 0, i, j, col, brk, end;

	while (p < len && s[p] == ' ')
		p++;
	if (p == len) {
		cb(arg, s, 0);
		return;
	}
	while (p < len) {
		col = 0;
		brk = 0;
		for (i = p; i < len; i = j) {
			if (i > p && (marks[i] & TEXT_WRAP_KIND) ==
			    TEXT_WRAP_BREAK)
				brk = i;
			for (j = i + 1; j < len && (marks[j] & TEXT_WRAP_KIND) ==
			    TEXT_WRAP_INSIDE; j++)
				;
			/* A space may hang past the end: it is dropped. */
			if (s[i] != ' ' && col + TEXT_WRAP_COLS(marks[i]) >
			    cols && brk != 0)
				break;
			col += TEXT_WRAP_COLS(marks[i]);
		}
		end = i < len ? brk : len;
		for (j = end; j > p && s[j - 1] == ' '; j--)
			;
		cb(arg, s + p, j - p);
		for (p = end; p < len && s[p] == ' '; p++)
			;
	}
}

/*
 * Gives "cb" the lines of s[0..len) (UTF-8) wrapped at "cols" display
 * columns: each '\n' ends a line, and a longer line is broken where
 * text_wrap_marks() allows, its spaces at the break dropped.  With
 * "cols" 0 the lines are given as they are.
 */
void
text_wrap(const char *s, size_t len, size_t cols, text_line_cb cb,
    void *arg)
{
	unsigned char	*marks = NULL;
	const char	*nl;
	size_t		 i = 0, end;

	if (cols > 0 && len > 0) {
		marks = xmalloc(len);
		text_wrap_marks(s, len, marks);
	}
	for (;;) {
		nl = memchr(s + i, '\n', len - i);
		end = nl != NULL ? (size_t)(nl - s) : len;
		if (marks != NULL)
			text_wrap_line(s + i, end - i, marks + i, cols, cb, arg);
		else
			cb(arg, s + i, end - i);
		if (nl == NULL)
			break;
		i = end + 1;
	}
	free(marks);
}

/*
 * Non-zero when a byte of "w" equals the byte repeated in "rep": the
 * classic zero-byte test on w ^ rep (no false negatives, and a false
 * positive only above a true match, so the answer is exact).
 */
static uint64_t
text_swar_has(uint64_t w, uint64_t rep)
{
	w ^= rep;
	return ((w - SWAR_ONES) & ~w & SWAR_HIGHS);
}

/* Whether the 8 bytes at s hold one that text_escape_html() rewrites. */
static int
text_swar_escape(const char *s, int attr)
{
	uint64_t	w;

	memcpy(&w, s, sizeof(w));
	return ((text_swar_has(w, SWAR_REP('&')) |
	    text_swar_has(w, SWAR_REP('<')) |
	    text_swar_has(w, SWAR_REP('>')) |
	    (attr ? text_swar_has(w, SWAR_REP('"')) : 0)) != 0);
}

/*
 * Escapes up to TEXT_ESCAPE_BLOCK bytes straight into the buffer, which
 * first gets room for the worst case ("&quot;" for each byte).  Runs of
 * bytes that need nothing go a word at a time (about half the cost of a
 * byte loop on Atom xhtml content, bench/parse).
 */
static void
text_escape_block(struct buf *b, const char *s, size_t len, int attr)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, end;
	char			*o;

	buf_reserve(b, len * 6);
	o = b->data + b->len;
	while (i < len) {
		if (len - i >= 8) {
			if (!text_swar_escape(s + i, attr)) {
				memcpy(o, s + i, 8);
				o += 8;
				i += 8;
				continue;
			}
			end = i + 8;
		} else
			end = len;
		for (; i < end; i++) {
			/* Most bytes need nothing: one compare lets them pass. */
			if (u[i] > '>') {
				*o++ = (char)u[i];
				continue;
			}
			switch (u[i]) {
			case '&':
				memcpy(o, "&amp;", 5);
				o += 5;
				break;
			case '<':
				memcpy(o, "&lt;", 4);
				o += 4;
				break;
			case '>':
				memcpy(o, "&gt;", 4);
				o += 4;
				break;
			case '"':
				if (attr) {
					memcpy(o, "&quot;", 6);
					o += 6;
					break;
				}
				/* FALLTHROUGH */
			default:
				*o++ = (char)u[i];
				break;
			}
		}
	}
	b->len = (size_t)(o - b->data);
	b->data[b->len] = '\0';
}

/*
 * Appends s[0..len) escaped for HTML text, or for an attribute value, in
 * blocks, so the room reserved for the worst case stays small however
 * long the text.
 */
void
text_escape_html(struct buf *b, const char *s, size_t len, int attr)
{
	size_t	n;

	do {
		n = len < TEXT_ESCAPE_BLOCK ? len : TEXT_ESCAPE_BLOCK;
		text_escape_block(b, s, n, attr);
		s += n;
		len -= n;
	} while (len > 0);
}

/*
 * HTML as one line of plain text, at most "max" bytes (cut on a
 * character, "..." added): what a notification shows of a summary.
 */
char *
text_summary(const char *html, size_t max)
{
	struct buf	 t = { NULL, 0, 0 };
	char		*s;
	size_t		 n;

	text_html_to_text(&t, html, strlen(html));
	s = text_fold(t.data != NULL ? t.data : "", t.len);
	buf_free(&t);
	if ((n = strlen(s)) > max) {
		n = text_utf8_cut(s, max);
		s = xreallocarray(s, n + 4, 1);
		memcpy(s + n, "...", 4);
	}
	return (s);
}

/* Adds "s" when it fits, with room left for the closing tag; else cuts. */
static int
text_plain_put(struct text_plain *t, const char *s, size_t n)
{
	size_t	used = t->b->len - t->start;

	if (t->cut || n > t->max || t->max - n < used + t->close) {
		t->cut = 1;
		return (-1);
	}
	buf_add(t->b, s, n);
	return (0);
}

/* One line of text, escaped; a run cut short ends on a character. */
static void
text_plain_line(struct text_plain *t, const char *s, size_t len)
{
	const char	*esc;
	size_t		 i, run = 0, used, room;

	for (i = 0; i <= len && !t->cut; i++) {
		esc = NULL;
		if (i < len) {
			if (s[i] == '&')
				esc = "&amp;";
			else if (s[i] == '<')
				esc = "&lt;";
			else if (s[i] == '>')
				esc = "&gt;";
			else
				continue;
		}
		if (i > run && text_plain_put(t, s + run, i - run) != 0) {
			used = t->b->len - t->start + t->close;
			room = t->max > used ? t->max - used : 0;
			/* s[run + room] is inside the run: readable. */
			buf_add(t->b, s + run, text_utf8_cut(s + run, room));
			return;
		}
		if (esc != NULL)
			text_plain_put(t, esc, strlen(esc));
		run = i + 1;
	}
}

/* The end of the line at "i" and, in "*next", where the next one starts. */
static size_t
text_plain_eol(const char *s, size_t len, size_t i, size_t *next)
{
	while (i < len && s[i] != '\n' && s[i] != '\r')
		i++;
	*next = i;
	if (i < len)
		*next += s[i] == '\r' && i + 1 < len && s[i + 1] == '\n' ? 2 : 1;
	return (i);
}

static int
text_plain_blank(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\f' && s[i] != '\v')
			return (0);
	return (1);
}

/* Whether a blank line stands between two lines of text. */
static int
text_plain_paras(const char *s, size_t len)
{
	size_t	i, end, next;
	int	text = 0, gap = 0;

	for (i = 0; i < len; i = next) {
		end = text_plain_eol(s, len, i, &next);
		if (!text_plain_blank(s + i, end - i)) {
			if (gap)
				return (1);
			text = 1;
		} else if (text)
			gap = 1;
	}
	return (0);
}

/*
 * Plain text (JSON Feed content_text and summary, Atom type="text") as
 * the HTML an item's content and summary are (feedd-protocol(7)
 * RECORDS), reading as the text did: "&", "<" and ">" escaped, a blank
 * line between paragraphs (each a <p>), any other line end a <br>.  Text
 * of one paragraph is not wrapped, so text without those characters and
 * line ends comes out as it went in (and hashes as before).  At most
 * "max" bytes are added, ending on a character, an entity or a tag, the
 * paragraph closed; returns 1 when the text did not fit.
 */
int
text_plain_html(struct buf *b, const char *s, size_t len, size_t max)
{
	struct text_plain	 t = { b, b->len, max, 0, 0 };
	size_t			 i, end, next;
	int			 paras, open = 0, gap = 0;

	paras = text_plain_paras(s, len);
	for (i = 0; i < len && !t.cut; i = next) {
		end = text_plain_eol(s, len, i, &next);
		if (text_plain_blank(s + i, end - i)) {
			gap = open;
			continue;
		}
		if (open && gap) {
			t.close = 0;
			text_plain_put(&t, "</p>", 4);
			open = 0;
		}
		if (open)
			text_plain_put(&t, "<br>\n", 5);
		else if (paras) {
			t.close = 0;
			if (b->len == t.start ? text_plain_put(&t, "<p>", 3) ==
			    0 : text_plain_put(&t, "\n<p>", 4) == 0)
				open = 1;
			/* "</p>" always fits once "<p>" is in. */
			t.close = 4;
		} else
			open = 1;
		gap = 0;
		if (!t.cut)
			text_plain_line(&t, s + i, end - i);
	}
	if (open && paras)
		buf_add(b, "</p>", 4);
	if (b->data == NULL)
		buf_add(b, "", 0);
	return (t.cut);
}

/*
 * Appends s[0..len) with each TAB as the spaces to the next tab stop
 * (every TEXT_TAB display columns from the line's start): a terminal's
 * own stops, but the output's widths are then known to the writer, and
 * no TAB is left for an output filter that shows controls escaped.
 */
void
text_expand_tabs(struct buf *b, const char *s, size_t len)
{
	static const char	 spaces[] = "        ";
	size_t			 i, start = 0, col = 0, n;

	for (i = 0; i < len; i++) {
		if (s[i] != '\t' && s[i] != '\n')
			continue;
		buf_add(b, s + start, i - start);
		if (s[i] == '\n') {
			buf_addc(b, '\n');
			col = 0;
		} else {
			col += text_width(s + start, i - start);
			n = TEXT_TAB - col % TEXT_TAB;
			buf_add(b, spaces, n);
			col += n;
		}
		start = i + 1;
	}
	buf_add(b, s + start, len - start);
}
