/*
 * headline.h: the name an item goes by where one line must name it (a
 * mail's subject, a chat message's title, feedctl's tables and show):
 * its title; else the first words of its text; else its first
 * enclosure's file name.  Microblog posts and podcast episodes often have
 * no title, and "-" or "(untitled)" for each of them tells them apart from
 * nothing.
 */
#ifndef FEEDD_HEADLINE_H
#define FEEDD_HEADLINE_H

#include <stddef.h>

struct feed_item;

#define HEADLINE_WORDS	70	/* bytes of text a title-less headline takes */

char	*headline(const char *, const char *, const char *,
	    const char *const *, size_t);
char	*headline_item(const struct feed_item *);
char	*headline_words(const char *, size_t);
char	*headline_file_name(const char *);

#endif /* FEEDD_HEADLINE_H */
