/*
 * html.h: feed HTML as a person gets it: parsed by an HTML5 parser
 * (gumbo), cut down to the allow-list of a reading view, its relative
 * URLs resolved, and rendered as wrapped plain text with numbered links.
 */
#ifndef FEEDD_HTML_H
#define FEEDD_HTML_H

#include <stddef.h>

struct buf;
struct feed_item;

#define HTML_TEXT_LINKS	0x1	/* html_content: the numbered link list */

void	html_content(const char *, size_t, const char *, int, int, char **,
	    char **);
char	*html_sanitize(const char *, size_t, const char *);
size_t	html_cut(const char *, size_t);
char	*html_render(const char *, size_t, const char *, int);
void	html_inline_text(struct buf *, const char *, size_t);
void	html_title_text(struct buf *, const char *, size_t);
void	html_text_v1(struct buf *, const char *, size_t);
const char	*html_item_base(const struct feed_item *, const char *);
void	html_item(const struct feed_item *, const char *, int, char **,
	    char **);

#endif /* FEEDD_HTML_H */
