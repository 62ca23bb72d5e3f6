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
/* The errno of the first write that failed under a filter, else 0. */
int	 term_error(void);

#endif /* FEEDD_TERM_H */
