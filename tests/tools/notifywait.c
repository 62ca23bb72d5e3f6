/*
 * notifywait.c: the systemd side of sd_notify(3), for tests.
 *
 *	notifywait SOCKET SECONDS [LOG]
 *
 * binds a datagram socket at SOCKET, prints every message it receives
 * (and appends it to LOG), exits 0 on the first READY=1 and 1 when
 * SECONDS pass without one.  Start it, then start feedd with
 * NOTIFY_SOCKET=SOCKET.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct sockaddr_un	 sun;
	struct pollfd		 pfd;
	char			 msg[4096];
	time_t			 end;
	FILE			*log = NULL;
	ssize_t			 n;
	int			 fd;

	if (argc < 3) {
		fprintf(stderr, "usage: notifywait SOCKET SECONDS [LOG]\n");
		return (2);
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(argv[1]) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "notifywait: path too long\n");
		return (2);
	}
	strcpy(sun.sun_path, argv[1]);
	unlink(argv[1]);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		perror("notifywait");
		return (2);
	}
	if (argc > 3 && (log = fopen(argv[3], "a")) == NULL) {
		perror(argv[3]);
		return (2);
	}
	end = time(NULL) + atoi(argv[2]);
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (time(NULL) < end) {
		if (poll(&pfd, 1, 200) <= 0)
			continue;
		if ((n = recv(fd, msg, sizeof(msg) - 1, 0)) <= 0)
			continue;
		msg[n] = '\0';
		printf("%s\n", msg);
		if (log != NULL) {
			fprintf(log, "%s\n", msg);
			fflush(log);
		}
		fflush(stdout);
		if (strstr(msg, "READY=1") != NULL)
			return (0);
	}
	fprintf(stderr, "notifywait: no READY=1 within %s s\n", argv[2]);
	return (1);
}
