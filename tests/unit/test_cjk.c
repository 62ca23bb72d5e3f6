/*
 * test_cjk.c: search words of text written without spaces (cjk.h): the
 * pieces a token splits into, and the text PostgreSQL's parser gets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "cjk.h"

/* The pieces of "s", each followed by "|" ("+" after a CJK one). */
static void
pieces_are(const char *s, const char *want)
{
	struct buf	 b = { NULL, 0, 0 };
	size_t		 off, n, len = strlen(s);
	int		 cjk;

	for (off = 0; off < len; off += n) {
		n = cjk_piece(s + off, len - off, &cjk);
		assert_true(n > 0);
		buf_add(&b, s + off, n);
		buf_addc(&b, cjk ? '+' : '|');
	}
	assert_string_equal(b.data != NULL ? b.data : "", want);
	buf_free(&b);
}

static void
words_are(const char *s, const char *want)
{
	struct buf	b = { NULL, 0, 0 };

	cjk_words(&b, s, strlen(s));
	assert_string_equal(b.data != NULL ? b.data : "", want);
	buf_free(&b);
}

static void
test_cjk_pieces(void **state)
{
	(void)state;
	pieces_are("word", "word|");
	pieces_are("東京", "東+京+");
	pieces_are("iphone発売", "iphone|発+売+");
	pieces_are("a東b", "a|東+b|");
	/* Kana with its long vowel mark; Hangul; an Extension B ideograph. */
	pieces_are("ニュース", "ニ+ュ+ー+ス+");
	pieces_are("서울에서", "서+울+에+서+");
	pieces_are("𠀋x", "𠀋+x|");
	/* Letters of spaced scripts stay whole: Cyrillic, Thai. */
	pieces_are("привет", "привет|");
	pieces_are("ภาษาไทย", "ภาษาไทย|");
	/* A broken byte is not a character of either kind. */
	pieces_are("\xff東", "\xff|東+");
	/* The katakana middle dot separates words. */
	pieces_are("・", "・|");
}

static void
test_cjk_words(void **state)
{
	(void)state;
	words_are("plain ASCII, as-is!", "plain ASCII, as-is!");
	words_are("東京都", " 東  京  都 ");
	words_are("大阪、京都。", " 大  阪   京  都  ");
	words_are("“quoted” — dash", " quoted    dash");
	words_are("café naïve", "café naïve");
	words_are("x\xe2\x80", "x  ");		/* a cut character */
	words_are("", "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cjk_pieces),
		cmocka_unit_test(test_cjk_words),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
