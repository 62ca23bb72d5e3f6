/*
 * headline.c: an item's name for a line (headline.h).
 */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "headline.h"
#include "html.h"
#include "item.h"
#include "text.h"
#include "xmalloc.h"

/* The first words of "text", about "max" bytes, cut between words. */
char *
headline_words(const char *text, size_t max)
{
	char	*s = text_fold(text, strlen(text));
	size_t	 n;

	if ((n = strlen(s)) > max) {
		n = text_utf8_cut(s, max);
		while (n > max / 2 && s[n] != ' ')
			n--;
		s = xreallocarray(s, n + 4, 1);
		memcpy(s + n, "\xe2\x80\xa6", 4);
	}
	return (s);
}

/*
 * The last path segment of a URL ("episode 12.mp3" for ".../episode%2012
 * .mp3"), or NULL: what names an enclosure-only item.  Percent-decoded
 * when that gives UTF-8 text without controls; else kept as it is.
 */
char *
headline_file_name(const char *url)
{
	const char	*p, *end;
	char		*dec, *name;
	size_t		 i;
	int		 n = 0;

	if (url == NULL || (p = strstr(url, "://")) == NULL)
		return (NULL);
	end = p + 3 + strcspn(p + 3, "?#");
	for (p = end; p > url && p[-1] != '/'; p--)
		;
	if (p >= end || p[-1] != '/' || p - url <= 8)
		return (NULL);
	name = xstrndup(p, (size_t)(end - p));
	if (strchr(name, '%') == NULL ||
	    (dec = curl_easy_unescape(NULL, name, 0, &n)) == NULL)
		return (name);
	for (i = 0; i < (size_t)n; i++)
		if ((unsigned char)dec[i] < 0x20 || dec[i] == 0x7f)
			break;
	if (i == (size_t)n && n > 0 && text_utf8_valid(dec, (size_t)n,
	    NULL) == (size_t)n) {
		free(name);
		name = xstrdup(dec);
	}
	curl_free(dec);
	return (name);
}

/*
 * The headline of an item with this title, content and summary (HTML,
 * either may be NULL) and these enclosure URLs; NULL when none of them
 * gives one (the caller names the item otherwise: its feed and date).
 */
char *
headline(const char *title, const char *content, const char *summary,
    const char *const *urls, size_t nurls)
{
	const char	*src = content != NULL && *content != '\0' ? content :
			    summary;
	char		*text = NULL, *s;
	size_t		 i;

	if (title != NULL && title[strspn(title, " \t\r\n")] != '\0')
		return (xstrdup(title));
	if (src != NULL) {
		html_content(src, strlen(src), NULL, 0, 0, NULL, &text);
		if (*text != '\0') {
			s = headline_words(text, HEADLINE_WORDS);
			free(text);
			return (s);
		}
		free(text);
	}
	for (i = 0; i < nurls; i++)
		if ((s = headline_file_name(urls[i])) != NULL)
			return (s);
	return (NULL);
}

char *
headline_item(const struct feed_item *it)
{
	const char	**urls;
	char		 *s;
	size_t		  i;

	urls = xcalloc(it->nenclosures + 1, sizeof(*urls));
	for (i = 0; i < it->nenclosures; i++)
		urls[i] = it->enclosures[i].url;
	s = headline(it->title, it->content, it->summary, urls,
	    it->nenclosures);
	free(urls);
	return (s);
}
