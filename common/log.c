/*
 * log.c: the one place that writes diagnostics.  Levels are checked before
 * formatting, so a debug line costs nothing unless -vv is on.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"

static const char	*log_procname = "feedd";
static int		 log_level = LOG_LEVEL_WARN;
static int		 log_prefix;	/* write "<N>" priorities */

static void	log_vwrite(int, const char *, const char *, va_list)
		    __attribute__((__format__(__printf__, 2, 0)));

/* "procname" NULL: lines carry no name ("FILE:LINE: message" stays so). */
void
log_init(const char *procname, int level)
{
	log_procname = procname;
	log_level = level;
	log_prefix = !isatty(STDERR_FILENO);
}

void
log_set_level(int level)
{
	log_level = level;
}

/*
 * Whether lines carry "<N>" priorities (log_init: when stderr is not a
 * terminal, for journald); a command a person runs wants plain lines.
 */
void
log_set_prefix(int on)
{
	log_prefix = on;
}

int
log_get_level(void)
{
	return (log_level);
}

/*
 * Control characters as \xNN: a line carries URLs, titles and errors from
 * outside, and a raw CR or LF would start a line of the attacker's own
 * (under journald "<0>FORGED" is an emergency), ESC would drive the
 * terminal of whoever reads the log.
 */
static void
log_escape(char *dst, size_t len, const char *src)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 o = 0;
	unsigned char		 c;

	for (; (c = (unsigned char)*src) != '\0' && o + 5 <= len; src++) {
		if (c < 0x20 || c == 0x7f) {
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[c >> 4];
			dst[o++] = hex[c & 0xf];
		} else
			dst[o++] = (char)c;
	}
	dst[o] = '\0';
}

/* Writes one whole line; "err" (may be NULL) is appended after ": ". */
static void
log_vwrite(int pri, const char *fmt, const char *err, va_list ap)
{
	char	line[1024], safe[4 * sizeof(line)];
	int	n;

	n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n < 0)
		return;
	log_escape(safe, sizeof(safe), line);
	if (log_prefix)
		fprintf(stderr, "<%d>%s%s%s\n", pri, safe, err ? ": " : "",
		    err ? err : "");
	else if (log_procname == NULL)
		fprintf(stderr, "%s%s%s\n", safe, err ? ": " : "",
		    err ? err : "");
	else
		fprintf(stderr, "%s: %s%s%s\n", log_procname, safe,
		    err ? ": " : "", err ? err : "");
}

/*
 * An error that stops the daemon (or the command) from doing its job, at
 * LOG_ERR, so "journalctl -p err" shows why feedd did not start.
 */
void
log_err(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_ERR, fmt, strerror(saved), ap);
	va_end(ap);
	errno = saved;
}

void
log_errx(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_ERR, fmt, NULL, ap);
	va_end(ap);
	errno = saved;
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, fmt, strerror(saved), ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, fmt, NULL, ap);
	va_end(ap);
	errno = saved;
}

void
log_notice(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_NOTICE, fmt, NULL, ap);
	va_end(ap);
	errno = saved;
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	if (log_level < LOG_LEVEL_INFO)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_INFO, fmt, NULL, ap);
	va_end(ap);
	errno = saved;
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	if (log_level < LOG_LEVEL_DEBUG)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_DEBUG, fmt, NULL, ap);
	va_end(ap);
	errno = saved;
}

void
fatal(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, fmt, strerror(saved), ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, fmt, NULL, ap);
	va_end(ap);
	exit(1);
}
