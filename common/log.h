/*
 * log.h: logging to stderr, OpenSMTPD style.
 *
 * Lines read "subsystem: object: event[: strerror]".  When stderr is not a
 * TTY each line starts with a "<N>" syslog priority so journald can file it.
 */
#ifndef FEEDD_LOG_H
#define FEEDD_LOG_H

#include <stdarg.h>

#define LOG_LEVEL_WARN	0	/* warnings and errors only (default) */
#define LOG_LEVEL_INFO	1	/* -v */
#define LOG_LEVEL_DEBUG	2	/* -vv */

void	log_init(const char *, int);
void	log_set_level(int);
void	log_set_prefix(int);
int	log_get_level(void);
void	log_err(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	log_errx(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	log_warn(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	log_warnx(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
/* What an operator wants without -v: start, stop, reloads, changes. */
void	log_notice(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	log_info(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	log_debug(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	fatal(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2), __noreturn__));
void	fatalx(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2), __noreturn__));

#endif /* FEEDD_LOG_H */
