/*
 * sdnotify.h: telling systemd how the daemon is (Type=notify): ready,
 * a status line, watchdog pings, stopping.  Without NOTIFY_SOCKET these
 * do nothing.
 */
#ifndef FEEDD_SDNOTIFY_H
#define FEEDD_SDNOTIFY_H

#include <stdint.h>

void		sdnotify_ready(const char *);
void		sdnotify_status(const char *, ...)
		    __attribute__((__format__(__printf__, 1, 2)));
void		sdnotify_reloading(void);
void		sdnotify_watchdog(void);
uint64_t	sdnotify_watchdog_usec(void);
void		sdnotify_stopping(void);

#endif /* FEEDD_SDNOTIFY_H */
