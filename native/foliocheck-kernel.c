/*
 * foliocheck-kernel - drives the running kernel through a foliocheck script and reports what it sees.
 *
 * One file, over 300 lines: the controller, the per-mm server and the observation share their layout and
 * protocol, and splitting them would only add a header between them.
 *
 * The controller (this process, spoken to over stdin/stdout, one command a line, one reply a line:
 * "ok <json>" or "err <why>") keeps one real process per model mm. Each serves its mm's command pipe; fork(m)
 * makes process m fork, and the child takes over the pipe of the model's child mm number. Every mm maps
 * one anonymous region: model page table t is the first `pt` pages of the t-th 2 MiB-aligned real page
 * table from BASE, so model tables are real page tables (windows of them); one VMA spans them, the pages
 * between windows stay mapped and untouched. Every process runs on CPU 0 and drains the LRU-add batch
 * (MADV_COLD of a private page: lru_add_drain()) after every command, so a batch reference never turns
 * a reuse into a copy.
 *
 * Observation (per page of a live mm): /proc/self/pagemap (present, PFN, PM_MMAP_EXCLUSIVE bit 56, swap
 * type and offset), and per PFN /proc/kpagecount and /proc/kpageflags, with the folio's head and size
 * from the HEAD/TAIL flags; the 8-byte word at the start of every present page, read by the process.
 *
 * R/W long-term pins are io_uring registered buffers (FOLL_WRITE | FOLL_PIN | FOLL_LONGTERM); the ring is
 * taken over by the controller (pidfd_getfd) so the pin outlives its process, as a model pin does, and
 * unpinning unregisters the buffer.
 *
 * vmsplice m a (no model step) splices a page into a pipe that stays open, to see what reference it takes.
 * get m a id is the model's `get`: vmsplice() of the page into a pipe (a FOLL_GET reference, no pin), whose
 * read end the controller takes over (pidfd_getfd) so the reference outlives its process; put id closes it
 * (the pipe's last close releases its buffers: put_page()).
 *
 * Usage: foliocheck-kernel                    the controller (stdin/stdout protocol)
 *        foliocheck-kernel swapon|swapoff F    enable or disable a swap file (mkswap'ed by `mkswap F`)
 *        foliocheck-kernel mkswap F PAGES      write a swap file of PAGES pages
 *        foliocheck-kernel zeropage            print 1 if a read fault maps the shared zero page, else 0
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define PAGE 4096UL
#define PMD_SPAN (2UL << 20)
#define BASE 0x500000000000UL
#define MAXMM 8
#define MAXPIN 8
#define KPF_HEAD 15
#define KPF_TAIL 16
#define KPF_ZERO_PAGE 24
#define MAXFOLIO 512

enum op { OP_WRITE, OP_READ, OP_ZAP, OP_MUNMAP, OP_MREMAP, OP_MPROTECT, OP_DONTFORK, OP_DOFORK, OP_PAGEOUT,
	  OP_COLD, OP_FORK, OP_EXIT, OP_PIN, OP_VMSPLICE, OP_CLOSE, OP_OBS };

struct cmd { int op, a, n, b; unsigned long long v; };

static int va, pt, map;
static int cmdp[MAXMM][2], resp[MAXMM][2], life[2];
static pid_t pids[MAXMM];
static struct pin {
	int live, id, fd;
	unsigned long addr;
	struct io_uring_params p;
	unsigned char *sq, *cq;
	struct io_uring_sqe *sqes;
} pins[MAXPIN];
static struct ref { int live, id, fd; } refs[MAXPIN];
static int sink = -1;
static char *dummy;

static unsigned long addr_of(int a) { return BASE + (unsigned long)(a / pt) * PMD_SPAN + (unsigned long)(a % pt) * PAGE; }


/* Runs fn on every run of pages a..a+n-1 contiguous in the real address space (a model range may span
 * page-table windows); returns the first error. */
static int ranges(int a, int n, int (*fn)(unsigned long, unsigned long, int), int arg)
{
	while (n > 0) {
		int len = 1;
		while (len < n && (a + len) % pt != 0) len++;
		if (fn(addr_of(a), len * PAGE, arg)) return -1;
		a += len; n -= len;
	}
	return 0;
}
static int do_madv(unsigned long p, unsigned long l, int adv) { return madvise((void *)p, l, adv); }
static int do_prot(unsigned long p, unsigned long l, int rw) { return mprotect((void *)p, l, rw ? PROT_READ | PROT_WRITE : PROT_READ); }
static int do_unmap(unsigned long p, unsigned long l, int unused) { (void)unused; return munmap((void *)p, l); }

static int do_mremap(int a, int n, int b)
{
	/* Moves maximal runs contiguous in both the source and the destination windows. */
	int i = 0;
	while (i < n) {
		int len = 1;
		while (i + len < n && (a + i + len) % pt != 0 && (b + i + len) % pt != 0) len++;
		void *r = mremap((void *)addr_of(a + i), len * PAGE, len * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
				 (void *)addr_of(b + i));
		if (r == MAP_FAILED) return -1;
		i += len;
	}
	return 0;
}

static int pagemap_fd, kcount_fd, kflags_fd;

static uint64_t word(int fd, uint64_t i)
{
	uint64_t v = 0;
	if (pread(fd, &v, 8, i * 8) != 8) return 0;
	return v;
}

/*
 * The large folio found last (one observation: folios do not change while it runs): the pages of an mm
 * are observed in address order, so the next page is most often in it, and a 512-page THP costs one walk
 * instead of one per page (a walk reads up to 512 flags each way).
 */
static uint64_t last_head;
static int last_nr;

/* The folio of pfn: its head and number of pages, from the compound HEAD/TAIL flags. */
static void folio_of(uint64_t pfn, uint64_t flags, uint64_t *head, int *nr)
{
	*head = pfn; *nr = 1;
	if (!(flags & (1ULL << KPF_HEAD)) && !(flags & (1ULL << KPF_TAIL))) return;
	if (last_nr > 1 && pfn >= last_head && pfn < last_head + (uint64_t)last_nr) {
		*head = last_head; *nr = last_nr;
		return;
	}
	while ((word(kflags_fd, *head) & (1ULL << KPF_TAIL)) && pfn - *head < MAXFOLIO) (*head)--;
	while (*nr < MAXFOLIO && (word(kflags_fd, *head + *nr) & (1ULL << KPF_TAIL))) (*nr)++;
	last_head = *head; last_nr = *nr;
}

/* One JSON object: this mm's pages, as the process sees them. Reads no page that is not present. */
static void observe(FILE *out, int m)
{
	last_nr = 0;
	fprintf(out, "{\"mm\":%d,\"pid\":%d,\"pages\":[", m, getpid());
	for (int a = 0; a < va; a++) {
		uint64_t e = word(pagemap_fd, addr_of(a) / PAGE);
		if (a) fputc(',', out);
		if (e >> 63) {
			uint64_t pfn = e & ((1ULL << 55) - 1), fl = word(kflags_fd, pfn), head;
			int nr;
			folio_of(pfn, fl, &head, &nr);
			unsigned long long data = *(volatile uint64_t *)addr_of(a);
			fprintf(out, "[\"p\",%llu,%d,%llu,%llu,%llu,%d,%llu]", (unsigned long long)pfn, (int)((e >> 56) & 1),
				(unsigned long long)word(kcount_fd, pfn), (unsigned long long)fl, (unsigned long long)head, nr, data);
		} else if ((e >> 62) & 1) {
			fprintf(out, "[\"s\",%d,%llu]", (int)(e & 31), (unsigned long long)((e >> 5) & ((1ULL << 50) - 1)));
		} else {
			fputs("\"n\"", out);
		}
	}
	fputs("]}", out);
}

static long sys_io_uring_setup(unsigned n, struct io_uring_params *p) { return syscall(__NR_io_uring_setup, n, p); }
static long sys_io_uring_register(int fd, unsigned op, void *arg, unsigned n) { return syscall(__NR_io_uring_register, fd, op, arg, n); }

static int open_views(void)
{
	if (pagemap_fd > 0) close(pagemap_fd);
	pagemap_fd = open("/proc/self/pagemap", O_RDONLY);
	return pagemap_fd < 0 ? -1 : 0;
}

/* The server loop of the process that is model mm `m`; never returns. */
__attribute__((noreturn)) static void serve(int m)
{
	char buf[1 << 16];
	for (;;) {
		struct pollfd pf[2] = { { cmdp[m][0], POLLIN, 0 }, { life[0], POLLIN, 0 } };
		if (poll(pf, 2, -1) < 0) { if (errno == EINTR) continue; _exit(1); }
		if (pf[1].revents) _exit(0); /* the controller is gone */
		struct cmd c;
		if (read(cmdp[m][0], &c, sizeof c) != sizeof c) _exit(1);
		int r = 0, e = 0;
		FILE *out = fmemopen(buf, sizeof buf, "w");
		fputs("ok ", out);
		switch (c.op) {
		case OP_WRITE: *(volatile uint64_t *)addr_of(c.a) = c.v; fputs("{}", out); break;
		case OP_READ: fprintf(out, "{\"value\":%llu}", (unsigned long long)*(volatile uint64_t *)addr_of(c.a)); break;
		case OP_ZAP: r = ranges(c.a, c.n, do_madv, MADV_DONTNEED); break;
		case OP_PAGEOUT: r = ranges(c.a, c.n, do_madv, MADV_PAGEOUT); break;
		case OP_COLD: r = ranges(c.a, c.n, do_madv, MADV_COLD); break;
		case OP_DONTFORK: r = ranges(c.a, c.n, do_madv, MADV_DONTFORK); break;
		case OP_DOFORK: r = ranges(c.a, c.n, do_madv, MADV_DOFORK); break;
		case OP_MUNMAP: r = ranges(c.a, c.n, do_unmap, 0); break;
		case OP_MPROTECT: r = ranges(c.a, c.n, do_prot, (int)c.v); break;
		case OP_MREMAP: r = do_mremap(c.a, c.n, c.b); break;
		case OP_FORK: {
			pid_t p = fork();
			if (p < 0) { r = -1; break; }
			if (p == 0) {
				fclose(out);
				if (open_views()) _exit(1);
				serve(c.b);
			}
			fprintf(out, "{\"pid\":%d}", p);
			break;
		}
		case OP_EXIT: _exit(0);
		case OP_PIN: {
			struct io_uring_params p;
			memset(&p, 0, sizeof p);
			int fd = (int)sys_io_uring_setup(1, &p);
			struct iovec iov = { (void *)addr_of(c.a), PAGE };
			if (fd < 0) { r = -1; break; }
			if (sys_io_uring_register(fd, IORING_REGISTER_BUFFERS, &iov, 1) < 0) { e = errno; close(fd); errno = e; r = -1; break; }
			fprintf(out, "{\"fd\":%d,\"params\":\"", fd);
			for (size_t i = 0; i < sizeof p; i++) fprintf(out, "%02x", ((unsigned char *)&p)[i]);
			fputs("\"}", out);
			break;
		}
		case OP_VMSPLICE: {
			/* vmsplice() of the page into a pipe that stays open: the reference GUP takes for it (no model step). */
			int pp[2];
			struct iovec iov = { (void *)addr_of(c.a), PAGE };
			if (pipe(pp) || vmsplice(pp[1], &iov, 1, 0) != (ssize_t)PAGE) { r = -1; break; }
			/* get: only the read end lives on (the controller takes it over); vmsplice: both stay open. */
			if (c.n) close(pp[1]);
			fprintf(out, "{\"pipe\":%d}", pp[0]);
			break;
		}
		case OP_CLOSE: close(c.a); fputs("{}", out); break;
		case OP_OBS: observe(out, m); break;
		}
		if (r) { rewind(out); fprintf(out, "err %s", strerror(errno)); }
		else if (c.op >= OP_ZAP && c.op <= OP_COLD) fputs("{}", out);
		fputc('\n', out);
		fputc(0, out);
		fclose(out);
		/* lru_add_drain() on this CPU (every process runs on CPU 0): no batch holds a folio reference. */
		madvise(dummy, PAGE, MADV_COLD);
		size_t len = strlen(buf);
		if (write(resp[m][1], buf, len) != (ssize_t)len) _exit(1);
	}
}

/* Sends a command to mm m's process and copies its one-line reply to stdout. */
static int ask(int m, struct cmd c, char *reply, size_t size)
{
	if (write(cmdp[m][1], &c, sizeof c) != sizeof c) return -1;
	size_t got = 0;
	while (got + 1 < size) {
		ssize_t k = read(resp[m][0], reply + got, 1);
		if (k <= 0) return -1;
		if (reply[got++] == '\n') break;
	}
	reply[got] = 0;
	return 0;
}

static int pidfd_of(pid_t p) { return (int)syscall(SYS_pidfd_open, p, 0); }

static void wait_gone(pid_t p)
{
	int fd = pidfd_of(p);
	if (fd < 0) return;
	struct pollfd pf = { fd, POLLIN, 0 };
	poll(&pf, 1, 5000);
	close(fd);
}

static void kill_all(void)
{
	for (int m = 0; m < MAXMM; m++) if (pids[m] > 0) kill(pids[m], SIGKILL);
}

static int init(int nva, int npt, int nmap)
{
	va = nva; pt = npt; map = nmap;
	if (va < 1 || pt < 1 || pt > 512 || va % pt || map > va) return -1;
	if ((kcount_fd = open("/proc/kpagecount", O_RDONLY)) < 0) return -1;
	if ((kflags_fd = open("/proc/kpageflags", O_RDONLY)) < 0) return -1;
	for (int m = 0; m < MAXMM; m++) if (pipe(cmdp[m]) || pipe(resp[m])) return -1;
	if (pipe(life)) return -1;
	cpu_set_t cpus;
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	if (sched_setaffinity(0, sizeof cpus, &cpus)) return -1;
	dummy = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long len = (unsigned long)(va / pt - 1) * PMD_SPAN + pt * PAGE;
	pid_t p = fork();
	if (p < 0) return -1;
	if (p == 0) {
		close(life[1]);
		void *r = mmap((void *)BASE, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (r != (void *)BASE) _exit(3);
		/* mTHP sizes are enabled "madvise" for the run: only this region gets them. */
		if (madvise(r, len, MADV_HUGEPAGE)) _exit(4);
		if (map < va && ranges(map, va - map, do_unmap, 0)) _exit(5);
		if (open_views()) _exit(6);
		serve(0);
	}
	pids[0] = p;
	return 0;
}

/* The ring of a pin, mapped in the controller: the rings' layout comes from the pinning process's params. */
static int map_ring(struct pin *pn)
{
	struct io_uring_params *p = &pn->p;
	size_t sqsz = p->sq_off.array + p->sq_entries * sizeof(unsigned);
	size_t cqsz = p->cq_off.cqes + p->cq_entries * sizeof(struct io_uring_cqe);
	if (p->features & IORING_FEAT_SINGLE_MMAP) sqsz = cqsz = sqsz > cqsz ? sqsz : cqsz;
	pn->sq = mmap(NULL, sqsz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, pn->fd, IORING_OFF_SQ_RING);
	if (pn->sq == MAP_FAILED) return -1;
	pn->cq = (p->features & IORING_FEAT_SINGLE_MMAP) ? pn->sq :
		mmap(NULL, cqsz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, pn->fd, IORING_OFF_CQ_RING);
	if (pn->cq == MAP_FAILED) return -1;
	pn->sqes = mmap(NULL, p->sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
			pn->fd, IORING_OFF_SQES);
	return pn->sqes == MAP_FAILED ? -1 : 0;
}

static void unmap_ring(struct pin *pn)
{
	/* Closing the ring fd leaves the mappings holding the ring: unmap them (sizes are page-rounded). */
	struct io_uring_params *p = &pn->p;
	size_t sqsz = p->sq_off.array + p->sq_entries * sizeof(unsigned);
	size_t cqsz = p->cq_off.cqes + p->cq_entries * sizeof(struct io_uring_cqe);
	if (p->features & IORING_FEAT_SINGLE_MMAP) sqsz = cqsz = sqsz > cqsz ? sqsz : cqsz;
	if (pn->cq && pn->cq != pn->sq) munmap(pn->cq, cqsz);
	if (pn->sq) munmap(pn->sq, sqsz);
	if (pn->sqes) munmap(pn->sqes, p->sq_entries * sizeof(struct io_uring_sqe));
	pn->sq = pn->cq = NULL;
	pn->sqes = NULL;
}

/* What the pin sees: IORING_OP_WRITE_FIXED of the registered buffer's first 8 bytes into a memfd. */
static int read_pinned(struct pin *pn, unsigned long long *val)
{
	struct io_uring_params *p = &pn->p;
	if (sink < 0 && (sink = memfd_create("foliocheck-pin", 0)) < 0) return -1;
	unsigned *tail = (unsigned *)(pn->sq + p->sq_off.tail), mask = *(unsigned *)(pn->sq + p->sq_off.ring_mask);
	unsigned t = __atomic_load_n(tail, __ATOMIC_ACQUIRE);
	struct io_uring_sqe *sqe = &pn->sqes[t & mask];
	memset(sqe, 0, sizeof *sqe);
	sqe->opcode = IORING_OP_WRITE_FIXED;
	sqe->fd = sink;
	sqe->addr = pn->addr;
	sqe->len = 8;
	sqe->off = 0;
	sqe->buf_index = 0;
	((unsigned *)(pn->sq + p->sq_off.array))[t & mask] = t & mask;
	__atomic_store_n(tail, t + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, pn->fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0) return -1;
	unsigned *head = (unsigned *)(pn->cq + p->cq_off.head), cmask = *(unsigned *)(pn->cq + p->cq_off.ring_mask);
	unsigned h = __atomic_load_n(head, __ATOMIC_ACQUIRE);
	struct io_uring_cqe *cqe = &((struct io_uring_cqe *)(pn->cq + p->cq_off.cqes))[h & cmask];
	int res = cqe->res;
	__atomic_store_n(head, h + 1, __ATOMIC_RELEASE);
	if (res != 8) { errno = res < 0 ? -res : EIO; return -1; }
	return pread(sink, val, 8, 0) == 8 ? 0 : -1;
}

static int setup_swap(const char *path, long pages)
{
	/* The swap header of mkswap: version 1, last page, the magic at the end of page 0. */
	static union { char c[PAGE]; struct { char boot[1024]; uint32_t version, last_page, nr_bad; } h; } u;
	memset(&u, 0, sizeof u);
	u.h.version = 1;
	u.h.last_page = (uint32_t)(pages - 1);
	memcpy(u.c + PAGE - 10, "SWAPSPACE2", 10);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) return -1;
	static char zero[PAGE];
	if (write(fd, u.c, PAGE) != (ssize_t)PAGE) return -1;
	for (long i = 1; i < pages; i++) if (write(fd, zero, PAGE) != (ssize_t)PAGE) return -1;
	return fsync(fd) | close(fd);
}

/*
 * Whether a read fault on fresh private anonymous memory maps the shared zero page (do_anonymous_page()'s
 * read branch) or allocates a page as a write fault would (mm_forbids_zeropage(), some guest kernels):
 * 1 or 0 on stdout. No MADV_HUGEPAGE: only the PTE-level fault path is asked.
 */
static int zeropage_probe(void)
{
	volatile char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) return 1;
	(void)p[0];
	uint64_t e = 0, flags = 0;
	int pm = open("/proc/self/pagemap", O_RDONLY), kf = open("/proc/kpageflags", O_RDONLY);
	int ok = pm >= 0 && kf >= 0 && pread(pm, &e, 8, (off_t)((uintptr_t)p / PAGE) * 8) == 8 && (e >> 63) &&
		 pread(kf, &flags, 8, (off_t)(e & ((1ULL << 55) - 1)) * 8) == 8;
	munmap((void *)p, PAGE);
	if (!ok) return 1;
	printf("%d\n", (int)((flags >> KPF_ZERO_PAGE) & 1));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "zeropage")) return zeropage_probe();
	if (argc == 3 && !strcmp(argv[1], "swapon")) return swapon(argv[2], 0) ? (perror("swapon"), 1) : 0;
	if (argc == 3 && !strcmp(argv[1], "swapoff")) return swapoff(argv[2]) ? (perror("swapoff"), 1) : 0;
	if (argc == 4 && !strcmp(argv[1], "mkswap")) return setup_swap(argv[2], atol(argv[3])) ? (perror("mkswap"), 1) : 0;
	signal(SIGCHLD, SIG_IGN); /* mm processes are reaped by the kernel, exits seen through pidfds */
	signal(SIGPIPE, SIG_IGN);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	setvbuf(stdout, NULL, _IOLBF, 0);
	char line[256], reply[1 << 16];
	while (fgets(line, sizeof line, stdin)) {
		char w[32];
		int m = 0, a = 0, n = 0, b = 0;
		unsigned long long v = 0;
		if (sscanf(line, "%31s", w) != 1) continue;
		if (!strcmp(w, "init")) {
			if (sscanf(line, "%*s %d %d %d", &a, &n, &b) != 3 || init(a, n, b)) printf("err init: %s\n", strerror(errno));
			else printf("ok {\"pid\":%d}\n", pids[0]);
			continue;
		}
		if (!strcmp(w, "obs")) {
			printf("ok [");
			int first = 1;
			for (m = 0; m < MAXMM; m++) {
				if (pids[m] <= 0) continue;
				struct cmd c = { OP_OBS, 0, 0, 0, 0 };
				if (ask(m, c, reply, sizeof reply) || strncmp(reply, "ok ", 3)) { printf("]\nerr obs mm%d\n", m); break; }
				reply[strlen(reply) - 1] = 0;
				printf("%s%s", first ? "" : ",", reply + 3);
				first = 0;
			}
			printf("]\n");
			continue;
		}
		if (!strcmp(w, "pinread")) {
			sscanf(line, "%*s %d", &a);
			int k;
			unsigned long long val = 0;
			for (k = 0; k < MAXPIN; k++) if (pins[k].live && pins[k].id == a) break;
			if (k == MAXPIN) errno = ENOENT;
			if (k == MAXPIN || read_pinned(&pins[k], &val)) printf("err pinread %d: %s\n", a, strerror(errno));
			else printf("ok {\"value\":%llu}\n", val);
			continue;
		}
		if (!strcmp(w, "put")) {
			sscanf(line, "%*s %d", &a);
			int k;
			for (k = 0; k < MAXPIN; k++) if (refs[k].live && refs[k].id == a) break;
			if (k == MAXPIN) { printf("err no reference %d\n", a); continue; }
			close(refs[k].fd);
			refs[k].live = 0;
			printf("ok {}\n");
			continue;
		}
		if (!strcmp(w, "get")) {
			/* get m a id: vmsplice() in mm m's process, then the pipe's read end moves to the controller. */
			if (sscanf(line, "%*s %d %d %d", &m, &a, &b) != 3 || m < 0 || m >= MAXMM || pids[m] <= 0) { printf("err bad command: %s", line); continue; }
			struct cmd c = { OP_VMSPLICE, a, 1, 0, 0 };
			int fd = -1, k;
			if (ask(m, c, reply, sizeof reply) || sscanf(reply, "ok {\"pipe\":%d", &fd) != 1) { printf("err get: %s", reply); continue; }
			for (k = 0; k < MAXPIN && refs[k].live; k++) {}
			int pfd = pidfd_of(pids[m]);
			int mine = pfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pfd, fd, 0);
			if (pfd >= 0) close(pfd);
			struct cmd cl = { OP_CLOSE, fd, 0, 0, 0 };
			ask(m, cl, reply, sizeof reply);
			if (mine < 0 || k == MAXPIN) { if (mine >= 0) close(mine); printf("err get: cannot take over the pipe\n"); continue; }
			refs[k] = (struct ref){ 1, b, mine };
			printf("ok {}\n");
			continue;
		}
		if (!strcmp(w, "unpin")) {
			sscanf(line, "%*s %d", &a);
			int k;
			for (k = 0; k < MAXPIN; k++) if (pins[k].live && pins[k].id == a) break;
			if (k == MAXPIN) { printf("err no pin %d\n", a); continue; }
			if (sys_io_uring_register(pins[k].fd, IORING_UNREGISTER_BUFFERS, NULL, 0) < 0) { printf("err unregister: %s\n", strerror(errno)); continue; }
			close(pins[k].fd);
			unmap_ring(&pins[k]);
			pins[k].live = 0;
			printf("ok {}\n");
			continue;
		}
		int got = sscanf(line, "%*s %d %d %d %d %llu", &m, &a, &n, &b, &v);
		static const char *names[] = { "write", "read", "zap", "munmap", "mremap", "mprotect", "dontfork", "dofork",
					       "pageout", "cold", "fork", "exit", "pin", "vmsplice" };
		int op = -1;
		for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++) if (!strcmp(w, names[i])) op = i;
		if (op < 0 || got < 1 || m < 0 || m >= MAXMM || pids[m] <= 0) { printf("err bad command: %s", line); continue; }
		struct cmd c = { op, a, n, b, v };
		if (op == OP_WRITE) c.v = (unsigned long long)n;      /* write m a value */
		if (op == OP_MPROTECT) c.v = (unsigned long long)b;   /* mprotect m a n rw */
		if (op == OP_FORK) { c.b = a; if (a < 0 || a >= MAXMM || pids[a] > 0) { printf("err fork: mm%d exists\n", a); continue; } }
		if (op == OP_EXIT) {
			pid_t p = pids[m];
			int fd = pidfd_of(p);
			write(cmdp[m][1], &c, sizeof c);
			if (fd >= 0) { struct pollfd pf = { fd, POLLIN, 0 }; poll(&pf, 1, 5000); close(fd); }
			else wait_gone(p);
			pids[m] = 0;
			printf("ok {}\n");
			continue;
		}
		if (ask(m, c, reply, sizeof reply)) { printf("err mm%d's process does not answer\n", m); continue; }
		if (op == OP_FORK && !strncmp(reply, "ok ", 3)) sscanf(reply, "ok {\"pid\":%d}", &pids[a]);
		if (op == OP_PIN && !strncmp(reply, "ok ", 3)) {
			int fd = -1, k;
			struct pin pn = { 1, n, -1, addr_of(a), { 0 }, NULL, NULL, NULL }; /* pin m a id */
			sscanf(reply, "ok {\"fd\":%d", &fd);
			const char *hex = strstr(reply, "\"params\":\"");
			for (size_t i = 0; hex && i < sizeof pn.p; i++) {
				unsigned x = 0;
				sscanf(hex + 10 + 2 * i, "%2x", &x);
				((unsigned char *)&pn.p)[i] = (unsigned char)x;
			}
			int pfd = pidfd_of(pids[m]);
			pn.fd = pfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pfd, fd, 0);
			if (pfd >= 0) close(pfd);
			struct cmd cl = { OP_CLOSE, fd, 0, 0, 0 };
			ask(m, cl, reply, sizeof reply);
			for (k = 0; k < MAXPIN && pins[k].live; k++) {}
			if (pn.fd < 0 || k == MAXPIN) { printf("err pin: cannot take over the ring\n"); continue; }
			if (map_ring(&pn)) { printf("err pin: cannot map the ring: %s\n", strerror(errno)); continue; }
			pins[k] = pn;
			printf("ok {}\n");
			continue;
		}
		fputs(reply, stdout);
	}
	kill_all();
	return 0;
}
