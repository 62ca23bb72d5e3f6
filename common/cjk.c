/*
 * cjk.c: which characters are searched one by one, and text with its
 * words set apart for PostgreSQL's parser.
 */
#include <stddef.h>
#include <stdint.h>

#include <utf8proc.h>

#include "buf.h"
#include "cjk.h"

/*
 * Scripts written without spaces between words, by code point: Han (and
 * its radicals, iteration and numeral marks), kana, Hangul.  Thai, Lao,
 * Khmer and Burmese have no spaces either, but their characters are not
 * syllables (vowel signs combine), so they stay as the tokenizers cut
 * them.
 */
static const struct {
	uint32_t	first, last;
} cjk_ranges[] = {
	{ 0x1100, 0x11ff },	/* Hangul Jamo */
	{ 0x2e80, 0x2fdf },	/* CJK and Kangxi radicals */
	{ 0x3005, 0x3007 },	/* 々 〆 〇 */
	{ 0x3021, 0x3029 },	/* Hangzhou numerals */
	{ 0x3038, 0x303b },
	{ 0x3041, 0x309f },	/* Hiragana */
	{ 0x30a1, 0x30fa },	/* Katakana, but for its middle dot */
	{ 0x30fc, 0x30ff },	/* ー and the iteration marks */
	{ 0x3131, 0x318e },	/* Hangul compatibility Jamo */
	{ 0x31f0, 0x31ff },	/* Katakana phonetic extensions */
	{ 0x3400, 0x4dbf },	/* CJK extension A */
	{ 0x4e00, 0x9fff },	/* CJK unified ideographs */
	{ 0xa960, 0xa97f },	/* Hangul Jamo extended A */
	{ 0xac00, 0xd7ff },	/* Hangul syllables, Jamo extended B */
	{ 0xf900, 0xfaff },	/* CJK compatibility ideographs */
	{ 0xff66, 0xff9f },	/* halfwidth Katakana */
	{ 0x1b000, 0x1b16f },	/* Kana supplement and extensions */
	{ 0x20000, 0x3134f },	/* CJK extensions B-G, supplement */
};

static int
cjk_char(uint32_t cp)
{
	size_t	lo = 0, hi = sizeof(cjk_ranges) / sizeof(*cjk_ranges), mid;

	if (cp < cjk_ranges[0].first)
		return (0);
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (cp < cjk_ranges[mid].first)
			hi = mid;
		else if (cp > cjk_ranges[mid].last)
			lo = mid + 1;
		else
			return (1);
	}
	return (0);
}

/* The character at s[0..len): its bytes (1 for a broken one), and *cp. */
static size_t
cjk_next(const char *s, size_t len, int32_t *cp)
{
	utf8proc_ssize_t	n;

	n = utf8proc_iterate((const utf8proc_uint8_t *)s,
	    len > 4 ? 4 : (utf8proc_ssize_t)len, cp);
	if (n <= 0) {
		*cp = -1;
		return (1);
	}
	return ((size_t)n);
}

/*
 * The first piece of s[0..len) (len > 0): one character searched one by
 * one ("*cjk" set), or the longest run of other characters before the
 * next such one.  A token is its pieces in order.
 */
size_t
cjk_piece(const char *s, size_t len, int *cjk)
{
	size_t	off, n;
	int32_t	cp;

	n = cjk_next(s, len, &cp);
	if ((*cjk = cp >= 0 && cjk_char((uint32_t)cp)))
		return (n);
	for (off = n; off < len; off += n) {
		n = cjk_next(s + off, len - off, &cp);
		if (cp >= 0 && cjk_char((uint32_t)cp))
			break;
	}
	return (off);
}

/*
 * Appends s[0..len) with each character searched one by one between
 * spaces, and every character past ASCII that sqlite's tokenizer does
 * not keep in a word (all but letters, digits and private use: "、",
 * "“", symbols, marks, spaces, controls) as a space: PostgreSQL's
 * parser takes any such character for a letter in a database of the C
 * locale.  ASCII stays as it is, for the parser to split as it always
 * has.
 */
void
cjk_words(struct buf *b, const char *s, size_t len)
{
	size_t			 off, n;
	int32_t			 cp;
	utf8proc_category_t	 cat;

	for (off = 0; off < len; off += n) {
		if ((unsigned char)s[off] < 0x80) {
			n = 1;
			buf_addc(b, s[off]);
			continue;
		}
		n = cjk_next(s + off, len - off, &cp);
		if (cp < 0) {
			buf_addc(b, ' ');
			continue;
		}
		if (cjk_char((uint32_t)cp)) {
			buf_addc(b, ' ');
			buf_add(b, s + off, n);
			buf_addc(b, ' ');
			continue;
		}
		cat = utf8proc_category(cp);
		if ((cat >= UTF8PROC_CATEGORY_LU &&
		    cat <= UTF8PROC_CATEGORY_LO) ||
		    (cat >= UTF8PROC_CATEGORY_ND &&
		    cat <= UTF8PROC_CATEGORY_NO) || cat == UTF8PROC_CATEGORY_CO)
			buf_add(b, s + off, n);
		else
			buf_addc(b, ' ');
	}
}
