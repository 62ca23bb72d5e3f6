/*
 * test_headline.c: an item's headline (headline.h): the title; else the
 * first words of its text, cut between words; else its enclosure's file
 * name, decoded; else NULL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "headline.h"
#include "item.h"
#include "xmalloc.h"

static void
check(const char *title, const char *content, const char *summary,
    const char *url, const char *want)
{
	const char	*urls[1] = { url };
	char		*got;

	got = headline(title, content, summary, urls, url != NULL ? 1 : 0);
	if (want == NULL)
		assert_null(got);
	else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
	free(got);
}

static void
test_headline_order(void **state)
{
	(void)state;
	check("Title", "<p>text</p>", NULL, "https://x.example/a.mp3",
	    "Title");
	/* A blank title is none. */
	check(" \n", "<p>Just <b>posted</b> this</p>", NULL, NULL,
	    "Just posted this");
	/* Content before summary; the summary when content is empty. */
	check(NULL, "<p>content</p>", "<p>summary</p>", NULL, "content");
	check(NULL, "", "<p>summary</p>", NULL, "summary");
	/* Markup with no text: the enclosure names it. */
	check(NULL, "<img src=\"x.png\">", NULL,
	    "https://cdn.example/pod/episode%2012.mp3?x=1", "episode 12.mp3");
	/* A control character when decoded: kept encoded. */
	check(NULL, NULL, NULL, "https://cdn.example/a%0Ab.mp3", "a%0Ab.mp3");
	/* Nothing to go by. */
	check(NULL, NULL, NULL, "https://cdn.example/", NULL);
	check(NULL, NULL, NULL, NULL, NULL);
}

static void
test_headline_words_cut(void **state)
{
	char	*s;

	(void)state;
	/* Cut between words, with an ellipsis. */
	s = headline_words("one two three four five six", 15);
	assert_string_equal(s, "one two three\xe2\x80\xa6");
	free(s);
	/* White space folded. */
	s = headline_words("a\n\n b\tc", 70);
	assert_string_equal(s, "a b c");
	free(s);
	/* A long text: at most about HEADLINE_WORDS bytes. */
	s = headline(NULL, "<p>word word word word word word word word word "
	    "word word word word word word word word word word</p>", NULL,
	    NULL, 0);
	assert_true(strlen(s) <= HEADLINE_WORDS + 3);
	assert_non_null(strstr(s, "\xe2\x80\xa6"));
	free(s);
}

static void
test_headline_item(void **state)
{
	struct feed_item	*it = feed_item_new();
	char			*s;

	(void)state;
	it->summary = xstrdup("<p>Hello &amp; welcome</p>");
	s = headline_item(it);
	assert_string_equal(s, "Hello & welcome");
	free(s);
	feed_item_free(it);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headline_order),
		cmocka_unit_test(test_headline_words_cut),
		cmocka_unit_test(test_headline_item),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
