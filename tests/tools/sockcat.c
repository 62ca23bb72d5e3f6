/*
 * sockcat.c: a raw client for the control socket, for protocol tests:
 *
 *	sockcat SOCKET [SECONDS [noread]]
 *
 * sends standard input as it is, half-closes, and prints what comes back
 * until the daemon closes or SECONDS (default 5) pass.  With "noread" it
 * reads nothing and just holds the connection (a client that stalls).
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
	struct sockaddr_un	sun;
	struct pollfd		pfd;
	char			buf[65536];
	ssize_t			n;
	time_t			end;
	int			fd;

	if (argc < 2 || strlen(argv[1]) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "usage: sockcat SOCKET [SECONDS]\n");
		return (2);
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, argv[1]);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		perror(argv[1]);
		return (1);
	}
	while ((n = read(STDIN_FILENO, buf, sizeof(buf))) > 0) {
		if (write(fd, buf, (size_t)n) != n)
			break;	/* the daemon closed: read what it said */
	}
	end = time(NULL) + (argc > 2 ? atoi(argv[2]) : 5);
	if (argc > 3 && strcmp(argv[3], "noread") == 0) {
		while (time(NULL) < end)
			sleep(1);
		close(fd);
		return (0);
	}
	shutdown(fd, SHUT_WR);
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (time(NULL) < end) {
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		if ((n = read(fd, buf, sizeof(buf))) <= 0)
			break;
		fwrite(buf, 1, (size_t)n, stdout);
	}
	close(fd);
	return (0);
}
