/*
 * peakrss: run a command and report the peak of the summed memory of it
 * and all its descendants (its process group), sampled from /proc every
 * 2 ms.  Each process counts its proportional set size (Pss: pages shared
 * copy-on-write between the parent and its workers are split among them,
 * not counted once per process), so the sum is the memory the run really
 * holds.  Prints "peakrss: N KB" on stderr and exits with the command's
 * status.  Usage: peakrss COMMAND [ARG...].
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Sum of Pss (KB) of every process whose process group is pgid. */
static long
group_rss(pid_t pgid)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	long total = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char path[300], line[256];
		FILE *f;
		long rss = 0;
		int pg = -1;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		if (fgets(line, sizeof line, f) != NULL) {
			/* pid (comm) state ppid pgrp ...: comm may hold spaces */
			char *p = strrchr(line, ')');
			if (p != NULL)
				sscanf(p + 2, "%*c %*d %d", &pg);
		}
		fclose(f);
		if (pg != pgid)
			continue;
		snprintf(path, sizeof path, "/proc/%s/smaps_rollup", e->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		while (fgets(line, sizeof line, f) != NULL)
			if (sscanf(line, "Pss: %ld", &rss) == 1)
				break;
		fclose(f);
		total += rss;
	}
	closedir(d);
	return total;
}

int
main(int argc, char **argv)
{
	struct timespec tick = { 0, 2000000 };
	long peak = 0;
	int status = 0;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: peakrss COMMAND [ARG...]\n");
		return 2;
	}
	if ((pid = fork()) == 0) {
		setpgid(0, 0);
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	setpgid(pid, pid);
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		long rss = group_rss(pid);
		if (rss > peak)
			peak = rss;
		if (w == pid)
			break;
		nanosleep(&tick, NULL);
	}
	fprintf(stderr, "peakrss: %ld KB\n", peak);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
