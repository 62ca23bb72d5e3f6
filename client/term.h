/*
 * term.h: what feedctl writes passes one filter, so no control character
 * from stored data reaches a terminal.
 */
#ifndef FEEDD_TERM_H
#define FEEDD_TERM_H

#include <stdio.h>

#define TERM_CR	0x1	/* a carriage return may pass (progress lines) */

FILE	*term_wrap(FILE *, int);
char	*term_escape(const char *);

#endif /* FEEDD_TERM_H */
