/*
 * sdnotify.c: sd_notify(3) from libsystemd, in the few shapes feedd uses.
 */
#include <stdarg.h>
#include <stdio.h>

#include <systemd/sd-daemon.h>

#include "sdnotify.h"

void
sdnotify_ready(const char *status)
{
	sd_notifyf(0, "READY=1\nSTATUS=%s", status);
}

void
sdnotify_status(const char *fmt, ...)
{
	char	line[256];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	sd_notifyf(0, "STATUS=%s", line);
}

void
sdnotify_reloading(void)
{
	sd_notify(0, "RELOADING=1");
}

void
sdnotify_watchdog(void)
{
	sd_notify(0, "WATCHDOG=1");
}

/* The watchdog interval systemd set (WatchdogSec=), 0 when none. */
uint64_t
sdnotify_watchdog_usec(void)
{
	uint64_t	usec = 0;

	if (sd_watchdog_enabled(0, &usec) <= 0)
		return (0);
	return (usec);
}

void
sdnotify_stopping(void)
{
	sd_notify(0, "STOPPING=1");
}
