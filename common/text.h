/*
 * text.h: small text transforms on UTF-8: trimming, whitespace folding,
 * HTML to plain text (summaries, HTML titles) and whether an RSS title
 * is HTML, UTF-8 checks, display widths and wrapping at a width.
 */
#ifndef FEEDD_TEXT_H
#define FEEDD_TEXT_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/* text_wrap(): one output line, without its line end. */
typedef void	(*text_line_cb)(void *, const char *, size_t);

void	 text_utf8_put(struct buf *, uint32_t);
size_t	 text_utf8_valid(const char *, size_t, int *);
size_t	 text_utf8_cut(const char *, size_t);
char	*text_trim(const char *, size_t);
char	*text_fold(const char *, size_t);
void	 text_html_to_text(struct buf *, const char *, size_t);
int	 text_looks_html(const char *, size_t);
void	 text_html_title(struct buf *, const char *, size_t);
void	 text_decode_entities(struct buf *, const char *, size_t);
size_t	 text_width(const char *, size_t);
size_t	 text_cut_width(struct buf *, const char *, size_t);
void	 text_expand_tabs(struct buf *, const char *, size_t);
void	 text_wrap(const char *, size_t, size_t, text_line_cb, void *);
void	 text_escape_html(struct buf *, const char *, size_t, int);
int	 text_plain_html(struct buf *, const char *, size_t, size_t);
char	*text_summary(const char *, size_t);

#endif /* FEEDD_TEXT_H */
