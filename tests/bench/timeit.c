/* timeit: runs several commands round-robin and reports their wall-clock times.
 *
 *   timeit [-n RUNS] [-w WARMUP] [-s SEED] [-g GAP_MS] [-r RAWFILE] [-e ERRFILE]
 *          -- GROUP [::: GROUP]...
 *   GROUP = LABEL [--mntns PATH] COMMAND [ARG]...
 *
 * Every round runs every group once, so drift in the machine's load hits every
 * command alike. WARMUP rounds come first and are not counted. Within a round
 * the order is the one given (A B C A B C ...), or, with -s SEED (not 0), a
 * fresh shuffle each round: commands leave kernel state behind that makes the
 * next one faster or slower (an RCU grace period a cgroup attach just paid, a
 * namespace still being torn down), and a fixed order would hand that to the
 * same neighbour every time. -g sleeps GAP_MS before each run, untimed, so
 * that such state has settled: every run starts cold. "{}" inside an argument becomes the round's name ("w0", "w1"
 * for warm-ups, "0", "1", ... after), so each run can get its own container ID.
 * --mntns makes the child join that mount namespace (setns) just before exec:
 * the join costs microseconds, unlike wrapping each run in `unshare -m`. Joining
 * a mount namespace also moves the cwd to its root, so give absolute paths.
 *
 * One run is timed from just before fork() to waitpid() returning, with
 * CLOCK_MONOTONIC: the fork and exec of the command itself are included, and no
 * shell is involved. stdin and stdout are /dev/null; stderr is inherited, or
 * appended to ERRFILE (-e) so that warnings do not flood the terminal. A run
 * that exits non-zero stops everything (a failed start is not a fast start).
 *
 * Prints, per group: runs, median, p10, p90, mean, min, max in milliseconds
 * (percentiles interpolated linearly between the two nearest ranks).
 * RAWFILE gets one line per counted run: label, round, nanoseconds, and the
 * label of the run just before it ("-" for none), to see neighbour effects.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct group {
    const char *label;
    int mntns;   /* fd of the mount namespace to join, or -1 */
    char **argv; /* NULL-terminated, may contain "{}" */
    int argc;
    uint64_t *ns; /* one per counted run */
    int *prev;    /* per counted run: the group run just before it, or -1 */
};

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "timeit: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(2);
}

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* "{}" in `word` replaced by `round`; a fresh string, or `word` itself. */
static char *substitute(char *word, const char *round)
{
    char *at = strstr(word, "{}");
    if (!at)
        return word;
    size_t len = strlen(word) - 2 + strlen(round) + 1;
    char *out = malloc(len);
    if (!out)
        die("out of memory", NULL);
    snprintf(out, len, "%.*s%s%s", (int)(at - word), word, round, at + 2);
    return out;
}

static void child(const struct group *g, const char *round, int devnull, int errfd)
{
    char **argv = calloc((size_t)g->argc + 1, sizeof *argv);
    if (!argv)
        _exit(127);
    for (int i = 0; i < g->argc; ++i)
        argv[i] = substitute(g->argv[i], round);
    if (g->mntns >= 0 && setns(g->mntns, CLONE_NEWNS) < 0) {
        fprintf(stderr, "timeit: %s: join mount namespace: %s\n", g->label, strerror(errno));
        _exit(127);
    }
    dup2(devnull, 0);
    dup2(devnull, 1);
    if (errfd >= 0)
        dup2(errfd, 2);
    execvp(argv[0], argv);
    fprintf(stderr, "timeit: %s: exec %s: %s\n", g->label, argv[0], strerror(errno));
    _exit(127);
}

struct io {
    int devnull;
    int errfd; /* -1: inherit stderr */
};

static uint64_t run_once(const struct group *g, const char *round, const struct io *io)
{
    int status = 0;
    uint64_t start = now_ns();
    pid_t pid = fork();
    if (pid < 0)
        die("fork", strerror(errno));
    if (pid == 0)
        child(g, round, io->devnull, io->errfd);
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            die("waitpid", strerror(errno));
    }
    uint64_t elapsed = now_ns() - start;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "timeit: %s failed in round %s (%s %d); stopping\n", g->label, round,
                WIFEXITED(status) ? "exit status" : "signal",
                WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        exit(1);
    }
    return elapsed;
}

/* xorshift64: a small, seedable generator, so a shuffled run can be repeated. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

/* The order of one round: 0..count-1, shuffled (Fisher-Yates) unless seed is 0. */
static void round_order(int *order, int count, uint64_t *seed)
{
    for (int k = 0; k < count; ++k)
        order[k] = k;
    for (int k = count - 1; k > 0 && *seed; --k) {
        int j = (int)(next_random(seed) % (uint64_t)(k + 1));
        int t = order[k];
        order[k] = order[j];
        order[j] = t;
    }
}

static void pause_ms(int ms)
{
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (ms > 0 && nanosleep(&t, &t) < 0 && errno == EINTR) {
    }
}

static int compare(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Linear interpolation between closest ranks (as numpy's default). */
static double percentile(const uint64_t *sorted, int n, double p)
{
    double rank = p * (n - 1);
    int lo = (int)rank;
    int hi = lo + 1 < n ? lo + 1 : lo;
    return (double)sorted[lo] + (rank - lo) * ((double)sorted[hi] - (double)sorted[lo]);
}

static void report(const struct group *g, int runs)
{
    uint64_t *sorted = malloc((size_t)runs * sizeof *sorted);
    if (!sorted)
        die("out of memory", NULL);
    memcpy(sorted, g->ns, (size_t)runs * sizeof *sorted);
    qsort(sorted, (size_t)runs, sizeof *sorted, compare);
    double sum = 0;
    for (int i = 0; i < runs; ++i)
        sum += (double)sorted[i];
    printf("%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\n", g->label, runs,
           percentile(sorted, runs, 0.5) / 1e6, percentile(sorted, runs, 0.1) / 1e6,
           percentile(sorted, runs, 0.9) / 1e6, sum / runs / 1e6, (double)sorted[0] / 1e6,
           (double)sorted[runs - 1] / 1e6);
    free(sorted);
}

/* Splits argv (after "--") into groups at ":::". */
static int parse_groups(int argc, char **argv, struct group *groups, int max)
{
    int count = 0;
    for (int i = 0; i < argc;) {
        if (count == max)
            die("too many groups", NULL);
        struct group *g = &groups[count++];
        g->label = argv[i++];
        g->mntns = -1;
        if (i + 1 < argc && strcmp(argv[i], "--mntns") == 0) {
            g->mntns = open(argv[i + 1], O_RDONLY | O_CLOEXEC);
            if (g->mntns < 0)
                die(argv[i + 1], strerror(errno));
            i += 2;
        }
        g->argv = &argv[i];
        while (i < argc && strcmp(argv[i], ":::") != 0)
            ++i;
        g->argc = (int)(&argv[i] - g->argv);
        if (g->argc == 0)
            die("a group has no command", g->label);
        if (i < argc)
            argv[i++] = NULL;
    }
    return count;
}

int main(int argc, char **argv)
{
    int runs = 50, warmup = 5, gap = 0, opt;
    uint64_t seed = 0;
    const char *rawPath = NULL, *errPath = NULL;
    while ((opt = getopt(argc, argv, "+n:w:s:g:r:e:")) != -1) {
        switch (opt) {
        case 'n': runs = atoi(optarg); break;
        case 'w': warmup = atoi(optarg); break;
        case 's': seed = strtoull(optarg, NULL, 10); break;
        case 'g': gap = atoi(optarg); break;
        case 'r': rawPath = optarg; break;
        case 'e': errPath = optarg; break;
        default:
            fprintf(stderr, "usage: timeit [-n RUNS] [-w WARMUP] [-s SEED] [-g GAP_MS] [-r RAWFILE] [-e ERRFILE] -- "
                            "LABEL [--mntns PATH] CMD... [::: LABEL ...]\n");
            return 2;
        }
    }
    if (runs < 1 || warmup < 0 || gap < 0 || optind >= argc)
        die("need RUNS >= 1, WARMUP >= 0, GAP_MS >= 0 and at least one group", NULL);
    struct group groups[16];
    int count = parse_groups(argc - optind, argv + optind, groups, 16);
    struct io io = {open("/dev/null", O_RDWR | O_CLOEXEC), -1};
    if (io.devnull < 0)
        die("/dev/null", strerror(errno));
    if (errPath && (io.errfd = open(errPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) < 0)
        die(errPath, strerror(errno));
    char round[32];
    int order[16], last = -1;
    for (int w = 0; w < warmup; ++w) {
        snprintf(round, sizeof round, "w%d", w);
        round_order(order, count, &seed);
        for (int k = 0; k < count; ++k) {
            pause_ms(gap);
            run_once(&groups[order[k]], round, &io);
            last = order[k];
        }
    }
    for (int k = 0; k < count; ++k) {
        groups[k].ns = calloc((size_t)runs, sizeof(uint64_t));
        groups[k].prev = calloc((size_t)runs, sizeof(int));
        if (!groups[k].ns || !groups[k].prev)
            die("out of memory", NULL);
    }
    for (int r = 0; r < runs; ++r) {
        snprintf(round, sizeof round, "%d", r);
        round_order(order, count, &seed);
        for (int k = 0; k < count; ++k) {
            pause_ms(gap);
            groups[order[k]].ns[r] = run_once(&groups[order[k]], round, &io);
            groups[order[k]].prev[r] = last;
            last = order[k];
        }
    }
    FILE *raw = rawPath ? fopen(rawPath, "w") : NULL;
    if (rawPath && !raw)
        die(rawPath, strerror(errno));
    for (int k = 0; k < count && raw; ++k) {
        for (int r = 0; r < runs; ++r)
            fprintf(raw, "%s\t%d\t%llu\t%s\n", groups[k].label, r, (unsigned long long)groups[k].ns[r],
                    groups[k].prev[r] < 0 ? "-" : groups[groups[k].prev[r]].label);
    }
    if (raw)
        fclose(raw);
    printf("label\truns\tmedian_ms\tp10_ms\tp90_ms\tmean_ms\tmin_ms\tmax_ms\n");
    for (int k = 0; k < count; ++k)
        report(&groups[k], runs);
    return 0;
}
