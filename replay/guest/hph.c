/* hph: the replayer's guest helper (static). Subcommands:
 *   hph write PATH VALUE          write VALUE to a sysfs file; prints "ok" or the errno name
 *   hph serve NAME [early] [nothp] a scenario process: reads commands from /run/hp/NAME.in, answers
 *                                 one line each on /run/hp/NAME.out; signals land in /run/hp/NAME.sig
 *   hph slab DIR COUNT            create COUNT empty files (dentries + inodes = slab)
 *   hph mkfile PATH SIZE          create a fully written file
 *   hph pfn PHYS                  kpageflags of one pfn (hex)
 * serve commands (one line):
 *   anon NAME SIZE                 mmap anonymous, write every page, answer placement per block
 *   map NAME PATH SIZE OFF shared|private   mmap a file or device; answer ok or errno
 *   touch NAME OFF r|w             access one page; ok or "SIGBUS CODE LSB"
 *   poison NAME OFF                madvise(MADV_HWPOISON); errno; a signal is answered as above
 *   soft NAME OFF                  madvise(MADV_SOFT_OFFLINE)
 *   where NAME OFF                 pagemap of one page: "present PFN" or "absent"
 *   pin NAME                       io_uring fixed buffer over the mapping (FOLL_LONGTERM)
 *   unpin NAME, unmap NAME, exit
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/io_uring.h>

#ifndef MADV_HWPOISON
#define MADV_HWPOISON 100
#endif
#ifndef MADV_SOFT_OFFLINE
#define MADV_SOFT_OFFLINE 101
#endif

static const char *ename(int e) { const char *n = strerrorname_np(e); return n ? n : "EUNKNOWN"; }

struct map { char name[64]; char *addr; size_t size; int ring; };
static struct map maps[64];
static int nmaps;
static char signame[256];
static sigjmp_buf jb;
static volatile sig_atomic_t armed;
static volatile int sig_code, sig_lsb;
static volatile uintptr_t sig_addr;

static const char *codename(int c) {
  switch (c) { case BUS_ADRALN: return "BUS_ADRALN"; case BUS_ADRERR: return "BUS_ADRERR"; case BUS_OBJERR: return "BUS_OBJERR";
    case BUS_MCEERR_AR: return "BUS_MCEERR_AR"; case BUS_MCEERR_AO: return "BUS_MCEERR_AO"; default: return "BUS_UNKNOWN"; }
}

static void record(int code, int lsb, uintptr_t addr, const char *when) {
  char buf[200];
  int n = snprintf(buf, sizeof buf, "SIGBUS %s %d 0x%lx %s\n", codename(code), lsb, (unsigned long)addr, when);
  int fd = open(signame, O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd >= 0) { if (write(fd, buf, n) < 0) {} close(fd); }
}

static void on_bus(int sig, siginfo_t *si, void *uc) {
  (void)sig; (void)uc;
  sig_code = si->si_code; sig_lsb = si->si_addr_lsb; sig_addr = (uintptr_t)si->si_addr;
  if (armed) { armed = 0; siglongjmp(jb, 1); }
  record(si->si_code, si->si_addr_lsb, (uintptr_t)si->si_addr, si->si_code == BUS_MCEERR_AO ? "async" : "unarmed");
  /* An action-optional signal is recorded and the process keeps serving queries, so the state of
     its mappings can still be read; the replayer counts it as killed (the default action). A
     synchronous SIGBUS outside an armed access cannot be resumed: die. */
  if (si->si_code != BUS_MCEERR_AO) _exit(135);
}

static struct map *find(const char *n) { for (int i = 0; i < nmaps; i++) if (!strcmp(maps[i].name, n)) return &maps[i]; return NULL; }

/* 1: present (pfn set), 2: swap entry (a hwpoison entry here), 0: nothing mapped */
static int pagemap_of(void *addr, uint64_t *pfn) {
  int fd = open("/proc/self/pagemap", O_RDONLY);
  uint64_t e = 0;
  if (fd < 0) return -1;
  if (pread(fd, &e, 8, ((uintptr_t)addr / 4096) * 8) != 8) { close(fd); return -1; }
  close(fd);
  *pfn = e & ((1ULL << 55) - 1);
  if (e >> 63) return 1;
  if ((e >> 62) & 1) return 2;
  return 0;
}

/* Run an access with the SIGBUS handler armed; returns 0 or 1 when a SIGBUS hit. */
static int guarded(char *p, int wr) {
  armed = 1;
  if (sigsetjmp(jb, 1)) return 1;
  if (wr) *(volatile char *)p = 0x5a; else (void)*(volatile char *)p;
  armed = 0;
  return 0;
}

static void reply(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void reply(FILE *out, const char *fmt, ...) {
  va_list ap; va_start(ap, fmt); vfprintf(out, fmt, ap); va_end(ap); fputc('\n', out); fflush(out);
}

static void sigbus_reply(FILE *out, const char *what) {
  record(sig_code, sig_lsb, sig_addr, what);
  reply(out, "SIGBUS %s %d", codename(sig_code), sig_lsb);
  /* the default action would kill the process; it stays to answer queries about its mappings and
     the replayer treats it as killed */
}

static int serve(const char *name, int early, int nothp) {
  if (early) prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_EARLY, 0, 0);
  if (nothp) prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0); /* no PMD/PUD faults, not even on DAX */
  char in[256], out[256];
  snprintf(in, sizeof in, "/run/hp/%s.in", name);
  snprintf(out, sizeof out, "/run/hp/%s.out", name);
  snprintf(signame, sizeof signame, "/run/hp/%s.sig", name);
  struct sigaction sa = {0};
  sa.sa_sigaction = on_bus; sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigaction(SIGBUS, &sa, NULL);
  char line[1024];
  for (;;) {
    FILE *fi = fopen(in, "r");
    if (!fi) return 1;
    if (!fgets(line, sizeof line, fi)) { fclose(fi); continue; }
    fclose(fi);
    FILE *fo = fopen(out, "w");
    if (!fo) return 1;
    char cmd[32] = "", a[256] = "", b[256] = "", c[64] = "", d[64] = "", e[64] = "";
    sscanf(line, "%31s %255s %255s %63s %63s %63s", cmd, a, b, c, d, e);
    struct map *m = find(a);
    if (!strcmp(cmd, "anon")) {
      size_t size = strtoull(b, NULL, 0);
      char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p == MAP_FAILED) { reply(fo, "%s", ename(errno)); fclose(fo); continue; }
      for (size_t o = 0; o < size; o += 4096) p[o] = (char)(o >> 12 | 1);
      struct map *n = &maps[nmaps++];
      snprintf(n->name, sizeof n->name, "%s", a); n->addr = p; n->size = size; n->ring = -1;
      /* placement: pages per memory block (block size from argument c, default 128M) */
      uint64_t bs = c[0] ? strtoull(c, NULL, 0) : (128ULL << 20);
      long blocks[4096] = {0}; long absent = 0;
      for (size_t o = 0; o < size; o += 4096) {
        uint64_t pfn; int pr = pagemap_of(p + o, &pfn);
        if (pr != 1) { absent++; continue; }
        uint64_t blk = pfn * 4096 / bs;
        if (blk < 4096) blocks[blk]++;
      }
      fprintf(fo, "ok absent=%ld", absent);
      for (int i = 0; i < 4096; i++) if (blocks[i]) fprintf(fo, " memory%d=%ld", i, blocks[i]);
      reply(fo, "%s", "");
    } else if (!strcmp(cmd, "map")) {
      int fd = open(b, O_RDWR);
      if (fd < 0) { reply(fo, "%s", ename(errno)); fclose(fo); continue; }
      size_t size = strtoull(c, NULL, 0); off_t off = strtoull(d, NULL, 0);
      char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, strcmp(e, "private") ? MAP_SHARED : MAP_PRIVATE, fd, off);
      int err = errno;
      close(fd);
      if (p == MAP_FAILED) { reply(fo, "%s", ename(err)); fclose(fo); continue; }
      struct map *n = &maps[nmaps++];
      snprintf(n->name, sizeof n->name, "%s", a); n->addr = p; n->size = size; n->ring = -1;
      reply(fo, "ok");
    } else if (!m && strcmp(cmd, "exit")) {
      reply(fo, "ENOENT no mapping %s", a);
    } else if (!strcmp(cmd, "touch")) {
      size_t off = strtoull(b, NULL, 0);
      if (guarded(m->addr + off, c[0] == 'w')) sigbus_reply(fo, "touch");
      else reply(fo, "ok");
    } else if (!strcmp(cmd, "poison") || !strcmp(cmd, "soft")) {
      size_t off = strtoull(b, NULL, 0);
      armed = 1;
      if (sigsetjmp(jb, 1)) { sigbus_reply(fo, "madvise"); fclose(fo); continue; }
      int r = madvise(m->addr + off, 4096, !strcmp(cmd, "poison") ? MADV_HWPOISON : MADV_SOFT_OFFLINE);
      int err = errno;
      armed = 0;
      reply(fo, "%s", r ? ename(err) : "ok");
    } else if (!strcmp(cmd, "where")) {
      size_t off = strtoull(b, NULL, 0); uint64_t pfn = 0;
      int pr = pagemap_of(m->addr + off, &pfn);
      if (pr == 1) reply(fo, "present 0x%lx", (unsigned long)pfn); else reply(fo, "%s", pr == 2 ? "swap" : "absent");
    } else if (!strcmp(cmd, "pcount")) {
      long n = 0; uint64_t pfn;
      for (size_t o = 0; o < m->size; o += 4096) if (pagemap_of(m->addr + o, &pfn) == 2) n++;
      reply(fo, "%ld", n);
    } else if (!strcmp(cmd, "pin")) {
      struct io_uring_params pr = {0};
      int ring = (int)syscall(__NR_io_uring_setup, 4, &pr);
      if (ring < 0) { reply(fo, "%s", ename(errno)); fclose(fo); continue; }
      struct iovec iov = { m->addr, m->size };
      if (syscall(__NR_io_uring_register, ring, IORING_REGISTER_BUFFERS, &iov, 1) < 0) { int err = errno; close(ring); reply(fo, "%s", ename(err)); fclose(fo); continue; }
      m->ring = ring;
      reply(fo, "ok");
    } else if (!strcmp(cmd, "unpin")) {
      if (m->ring >= 0) { syscall(__NR_io_uring_register, m->ring, IORING_UNREGISTER_BUFFERS, NULL, 0); close(m->ring); m->ring = -1; }
      reply(fo, "ok");
    } else if (!strcmp(cmd, "unmap")) {
      reply(fo, "%s", munmap(m->addr, m->size) ? ename(errno) : "ok");
      m->name[0] = 0;
    } else if (!strcmp(cmd, "exit")) {
      reply(fo, "ok"); fclose(fo); return 0;
    } else reply(fo, "EINVAL unknown command %s", cmd);
    fclose(fo);
  }
}

static void on_int(int sig) { (void)sig; }

int main(int argc, char **argv) {
  if (argc >= 4 && !strcmp(argv[1], "write")) {
    /* a signal (timeout -s INT) interrupts a retrying kernel write: report EINTR, do not die */
    struct sigaction si = {0};
    si.sa_handler = on_int;
    sigaction(SIGINT, &si, NULL);
    int fd = open(argv[2], O_WRONLY);
    if (fd < 0) { printf("%s\n", ename(errno)); return 1; }
    ssize_t r = write(fd, argv[3], strlen(argv[3]));
    int err = errno;
    close(fd);
    printf("%s\n", r < 0 ? ename(err) : "ok");
    return r < 0;
  }
  if (argc >= 3 && !strcmp(argv[1], "serve")) {
    int early = 0, nothp = 0;
    for (int i = 3; i < argc; i++) { if (!strcmp(argv[i], "early")) early = 1; else if (!strcmp(argv[i], "nothp")) nothp = 1; }
    return serve(argv[2], early, nothp);
  }
  if (argc >= 4 && !strcmp(argv[1], "slab")) {
    long n = strtol(argv[3], NULL, 0);
    mkdir(argv[2], 0755);
    char p[512];
    for (long i = 0; i < n; i++) { snprintf(p, sizeof p, "%s/f%ld", argv[2], i); int fd = open(p, O_CREAT | O_WRONLY, 0644); if (fd < 0) { printf("%s\n", ename(errno)); return 1; } close(fd); }
    printf("ok\n");
    return 0;
  }
  if (argc >= 4 && !strcmp(argv[1], "mkfile")) {
    int fd = open(argv[2], O_CREAT | O_RDWR | O_TRUNC, 0644);
    if (fd < 0) { printf("%s\n", ename(errno)); return 1; }
    size_t size = strtoull(argv[3], NULL, 0);
    static char buf[1 << 20];
    memset(buf, 0x11, sizeof buf);
    for (size_t o = 0; o < size; o += sizeof buf) if (write(fd, buf, size - o < sizeof buf ? size - o : sizeof buf) < 0) { printf("%s\n", ename(errno)); return 1; }
    fsync(fd); close(fd);
    printf("ok\n");
    return 0;
  }
  if (argc >= 3 && !strcmp(argv[1], "pfn")) {
    uint64_t pfn = strtoull(argv[2], NULL, 0) / 4096, f = 0;
    int fd = open("/proc/kpageflags", O_RDONLY);
    if (fd < 0 || pread(fd, &f, 8, pfn * 8) != 8) { printf("%s\n", ename(errno)); return 1; }
    printf("flags 0x%lx hwpoison %d\n", (unsigned long)f, (int)((f >> 19) & 1));
    return 0;
  }
  if (argc >= 4 && !strcmp(argv[1], "hwcount")) {
    uint64_t first = strtoull(argv[2], NULL, 0) / 4096, n = strtoull(argv[3], NULL, 0) / 4096, f, c = 0;
    int fd = open("/proc/kpageflags", O_RDONLY);
    if (fd < 0) { printf("%s\n", ename(errno)); return 1; }
    for (uint64_t i = 0; i < n; i++) if (pread(fd, &f, 8, (first + i) * 8) == 8 && ((f >> 19) & 1)) c++;
    printf("%lu\n", (unsigned long)c);
    return 0;
  }
  fprintf(stderr, "usage: hph write|serve|slab|mkfile|pfn …\n");
  return 2;
}
