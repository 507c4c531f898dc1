/*
 * peakrss: run a command and report the peak of the summed memory of it
 * and all its descendants (its process group), sampled from /proc every
 * 2 ms.  Each process counts its proportional set size (Pss: pages shared
 * copy-on-write between the parent and its workers are split among them,
 * not counted once per process), so the sum is the memory the run really
 * holds.  The group is stopped while it is read (group_rss).  Prints "peakrss: N KB" on stderr and exits with the command's
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

#define MAX_PROCS 4096

/* The processes of process group pgid, into pids; how many. */
static size_t
group_pids(pid_t pgid, pid_t *pids)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	size_t n = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL && n < MAX_PROCS) {
		char path[300], line[256];
		FILE *f;
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
		if (pg == pgid)
			pids[n++] = (pid_t)atol(e->d_name);
	}
	closedir(d);
	return n;
}

/* Whether process pid has stopped (or is gone, or a zombie). */
static int
stopped(pid_t pid)
{
	char path[64], line[256], *p, state = 'X';
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 1;
	if (fgets(line, sizeof line, f) != NULL && (p = strrchr(line, ')')) != NULL)
		state = p[2];
	fclose(f);
	return state == 'T' || state == 't' || state == 'Z' || state == 'X';
}

static long
pss_of(pid_t pid)
{
	char path[64], line[256];
	FILE *f;
	long kb = 0;

	snprintf(path, sizeof path, "/proc/%ld/smaps_rollup", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "Pss: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/*
 * Sum of Pss (KB) of every process whose process group is pgid, read
 * while the group is stopped: a page two workers share counts half to
 * each, so when one of them lets go of it between the reads of the two,
 * a running group's sum would count it one and a half times.
 */
static long
group_rss(pid_t pgid)
{
	static pid_t pids[MAX_PROCS];
	struct timespec spin = { 0, 50000 };
	long total = 0;
	size_t n;

	if (kill(-pgid, SIGSTOP) != 0)
		return 0;
	n = group_pids(pgid, pids);
	for (size_t i = 0; i < n; i++)
		while (!stopped(pids[i]))
			nanosleep(&spin, NULL);
	for (size_t i = 0; i < n; i++)
		total += pss_of(pids[i]);
	kill(-pgid, SIGCONT);
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
