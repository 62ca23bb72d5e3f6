/*
 * parse.h: the feed parser.  Bytes go in whole or in chunks of any size
 * (the result is the same however they are split), records come out.
 * RSS 0.90-2.0 and Atom 0.3/1.0 stream through expat, JSON Feed through
 * yajl.
 */
#ifndef FEEDD_PARSE_H
#define FEEDD_PARSE_H

#include <stddef.h>

struct feed_doc;
struct feed_item;
struct parser;

/*
 * Called with each item as soon as it is complete; the callee owns it.
 * Without a callback the items collect in the returned document.
 */
typedef void (*parse_item_cb)(struct feed_item *, void *);

struct parse_opts {
	const char	*base;		/* the document's URL, or NULL */
	const char	*charset;	/* from HTTP Content-Type, or NULL */
	int		 force_charset;	/* charset wins over the document */
	size_t		 max_items;	/* 0: PARSE_MAX_ITEMS */
	size_t		 max_field;	/* bytes per text field; 0: default */
	unsigned int	 max_depth;	/* element nesting; 0: default */
	parse_item_cb	 item_cb;
	void		*item_arg;
};

#define PARSE_MAX_ITEMS		100000
#define PARSE_MAX_FIELD		(1024 * 1024)
#define PARSE_MAX_DEPTH		256

struct parser	*parse_new(const struct parse_opts *);
int		 parse_feed(struct parser *, const void *, size_t);
struct feed_doc	*parse_finish(struct parser *, char **);
void		 parse_free(struct parser *);
struct feed_doc	*parse_buffer(const void *, size_t, const struct parse_opts *,
		    char **);
char		*parse_clean_line(char *);
void		 parse_clean_text(char *);
void		 parse_cut_note(char **, size_t, const char *);
char		*parse_url(const char *, const char *, int);

#endif /* FEEDD_PARSE_H */
