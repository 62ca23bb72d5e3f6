/*
 * text.c: text transforms shared by the parsers.  Everything here works on
 * UTF-8 and never reads past the length it is given.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "entities.h"
#include "text.h"
#include "xmalloc.h"

#define IS_SPACE(c)	((c) == ' ' || (c) == '\t' || (c) == '\n' || \
			    (c) == '\r' || (c) == '\f' || (c) == '\v')

/* Eight bytes at a time ("SWAR"): each byte of a word set to c. */
#define SWAR_ONES	UINT64_C(0x0101010101010101)
#define SWAR_HIGHS	UINT64_C(0x8080808080808080)
#define SWAR_REP(c)	(SWAR_ONES * (uint64_t)(unsigned char)(c))

#define TEXT_ESCAPE_BLOCK	4096	/* input bytes per reservation */

static uint64_t	text_swar_has(uint64_t, uint64_t);
static void	text_escape_block(struct buf *, const char *, size_t, int);
static size_t	text_fold_run(const char *, size_t);
static int	text_swar_escape(const char *, int);

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

/* Decodes one character reference or entity at s[0] == '&'; 0 if none. */
static size_t
text_decode_entity(struct buf *b, const char *s, size_t len)
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
	text_utf8_put(b, cp);
	return (end + 1);
}

/* The '>' that ends the tag at s[0], skipping quoted attribute values. */
static const char *
text_tag_end(const char *s, size_t len)
{
	size_t	i;
	char	quote = 0;

	for (i = 1; i < len; i++) {
		if (quote != 0) {
			if (s[i] == quote)
				quote = 0;
		} else if (s[i] == '"' || s[i] == '\'')
			quote = s[i];
		else if (s[i] == '>')
			return (s + i);
	}
	return (NULL);
}

/*
 * HTML to plain text, for titles the feed marks as HTML (Atom
 * type="html", RFC 4287 3.1.1.2): tags dropped, entities decoded, white
 * space folded by the caller.
 */
void
text_html_to_text(struct buf *b, const char *s, size_t len)
{
	const char	*gt;
	size_t		 i = 0, n;

	while (i < len) {
		if (s[i] == '<' && i + 1 < len &&
		    (s[i + 1] == '/' || s[i + 1] == '!' ||
		    ((s[i + 1] | 0x20) >= 'a' && (s[i + 1] | 0x20) <= 'z'))) {
			if ((gt = text_tag_end(s + i, len - i)) == NULL)
				break;
			i = (size_t)(gt - s) + 1;
			buf_addc(b, ' ');	/* "a<br>b" is two words */
			continue;
		}
		if (s[i] == '&' && (n = text_decode_entity(b, s + i,
		    len - i)) != 0) {
			i += n;
			continue;
		}
		/* Plain text up to the next markup goes in one piece. */
		for (n = i + 1; n < len && s[n] != '<' && s[n] != '&'; n++)
			;
		buf_add(b, s + i, n - i);
		i = n;
	}
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
