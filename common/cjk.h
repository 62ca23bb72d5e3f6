/*
 * cjk.h: search words in text written without spaces between its words
 * (Chinese, Japanese; Korean, whose words carry their particles).  No
 * tokenizer either store backend has can tell where such words end, so
 * each of these characters is a word of its own, and a run of them
 * searched for is the phrase of its characters: "東京" finds "東京都で"
 * and not "京東".  The sqlite index splits its tokens with cjk_piece();
 * PostgreSQL's vectors and queries are made from cjk_words()'s text.
 */
#ifndef FEEDD_CJK_H
#define FEEDD_CJK_H

#include <stddef.h>

struct buf;

size_t	cjk_piece(const char *, size_t, int *);
void	cjk_words(struct buf *, const char *, size_t);

#endif /* FEEDD_CJK_H */
