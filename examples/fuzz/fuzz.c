/*
 * fuzz: a task that makes random system calls with syzkaller-style
 * arguments (special integers, live, closed, wrong-type and made-up handles,
 * null, unmapped, kernel-range, misaligned and over-long buffers, random
 * labels and message lengths) and random IPC with the other fuzz tasks, so
 * that blocking, queues and handle transfer all get exercised. Every
 * iteration of fuzz_loop makes exactly one system call.
 *
 * Arguments that would make the task's own code crash the host are never
 * generated: thread entries are always fuzz_worker, and a stack or IPC
 * buffer inside the task's memory is always a fresh slot of its own (until
 * the MMU issue, a task that corrupts its own stacks takes the simulator
 * down with it).
 */
#include "fuzz.h"
#include "ms/syscall.h"
#include "rt.h"

#define KNOWN_MAX 32
#define FUZZ_RAISE 255 /* in the mix: raise a CPU exception instead of a call */
#define SLOTS 6
#define SCRATCH_SIZE 8192

typedef struct rng {
    uint64_t s;
} rng_t;

/* splitmix64: a good 64-bit generator from any seed. */
static uint64_t rng_next(rng_t *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint64_t rng_below(rng_t *r, uint64_t n)
{
    return rng_next(r) % n;
}

/* What the threads of one task share, at the base of its heap. */
typedef struct shared {
    uint64_t budget;          /* calls left for the whole task, the final exit included */
    uint64_t known[KNOWN_MAX]; /* handle numbers seen: given, created, copied, received */
    unsigned nknown;
    unsigned slots_used;      /* thread slots handed out; never reused */
    int hoarder;              /* never closes handles */
    uint64_t mem_base, mem_end;
    char *scratch;            /* SCRATCH_SIZE bytes the task may pass anywhere */
} shared_t;

/* One thread's own state. */
typedef struct fthread {
    shared_t *sh;
    rng_t rng;
    char *ipc_buffer;
} fthread_t;

/* A second thread's stack, IPC buffer and state, all in the heap. */
typedef struct slot {
    char stack[8192];
    char ipc_buffer[MS_IPC_BUFFER_SIZE];
    fthread_t self;
} slot_t;

/* The heap: shared state, scratch buffer, thread slots. */
typedef struct heap {
    shared_t shared;
    char scratch[SCRATCH_SIZE];
    slot_t slots[SLOTS];
} heap_t;

static void remember(shared_t *sh, uint64_t h)
{
    if (sh->nknown < KNOWN_MAX)
        sh->known[sh->nknown++] = h;
    else
        sh->known[h % KNOWN_MAX] = h;
}

/* Integers around the edges of 8, 16, 31, 32, 63 and 64 bits, or random. */
static uint64_t special_int(rng_t *r)
{
    static const unsigned bits[] = {8, 16, 31, 32, 63};
    switch (rng_below(r, 6)) {
    case 0:
        return rng_below(r, 3); /* 0, 1, 2 */
    case 1:
        return UINT64_MAX - rng_below(r, 2);
    case 2: {
        uint64_t p = 1ull << bits[rng_below(r, 5)];
        return p - 1 + rng_below(r, 3); /* 2^n - 1, 2^n, 2^n + 1 */
    }
    case 3:
        return 1ull << rng_below(r, 64);
    default:
        return rng_next(r);
    }
}

/* A handle number: mostly one the task knows, sometimes its own (0), a
 * random slot (free or closed ones too) or a special integer. */
static uint64_t pick_handle(fthread_t *ft)
{
    uint64_t dice = rng_below(&ft->rng, 100);
    if (dice < 60 && ft->sh->nknown)
        return ft->sh->known[rng_below(&ft->rng, ft->sh->nknown)];
    if (dice < 66)
        return MS_HANDLE_SELF;
    if (dice < 85)
        return rng_below(&ft->rng, MS_HANDLES_PER_TASK + 2);
    return special_int(&ft->rng);
}

/* A buffer for debug_write: valid, or each kind of bad one. */
static uint64_t pick_buffer(fthread_t *ft, uint64_t *len)
{
    shared_t *sh = ft->sh;
    uint64_t scratch = (uint64_t)(uintptr_t)sh->scratch;
    *len = rng_below(&ft->rng, 64);
    switch (rng_below(&ft->rng, 10)) {
    case 0:
        return 0; /* null */
    case 1:
        return 0x1000; /* unmapped */
    case 2:
        return 0xffff800000000000ull + rng_below(&ft->rng, 4096); /* kernel range */
    case 3:
        *len = MS_MSG_PAYLOAD_MAX + 1 + rng_below(&ft->rng, 4); /* over long */
        return scratch;
    case 4:
        *len = special_int(&ft->rng);
        return scratch;
    case 5:
        *len = 64;
        return sh->mem_end - 16; /* straddles the end of its memory */
    case 6:
        return (uint64_t)(uintptr_t)"a constant of the program image"; /* readable, not writable */
    default:
        return scratch + rng_below(&ft->rng, 16); /* valid, often misaligned */
    }
}

/* Where the fuzz tasks take pages others map to them, and unmap and protect
 * at random: a range of the window outside every task's own memory. */
#define FUZZ_WINDOW 0x40000000u
#define FUZZ_WINDOW_PAGES 64u

/* A page address for a map item, unmap or protect: mostly the task's own
 * scratch page or one of the shared window, sometimes anything. */
static uint64_t pick_page(fthread_t *ft)
{
    switch (rng_below(&ft->rng, 4)) {
    case 0:
    case 1:
        return (uint64_t)(uintptr_t)ft->sh->scratch & ~(uint64_t)(MS_PAGE_SIZE - 1);
    case 2:
        return FUZZ_WINDOW + rng_below(&ft->rng, FUZZ_WINDOW_PAGES) * MS_PAGE_SIZE;
    default:
        return special_int(&ft->rng) & ~(uint64_t)(MS_PAGE_SIZE - 1);
    }
}

/* A message info word: mostly valid, sometimes over the limits or with
 * reserved bits; with a handle to transfer now and then. */
static uint64_t pick_info(fthread_t *ft, uint64_t *xfer)
{
    rng_t *r = &ft->rng;
    unsigned words = rng_below(r, 10) ? (unsigned)rng_below(r, 9) : (unsigned)rng_below(r, 16);
    unsigned payload = rng_below(r, 4) ? 0 : rng_below(r, 8) ? (unsigned)rng_below(r, 256) : (unsigned)rng_below(r, 8192);
    int handle = rng_below(r, 5) == 0;
    uint64_t info = ms_info((uint32_t)rng_next(r), words, payload, handle);
    if (rng_below(r, 4) == 0)
        info |= MS_INFO_MAP; /* fill_message puts a map item in the last two words */
    if (rng_below(r, 20) == 0)
        info |= 1ull << (5 + rng_below(r, 11)); /* a reserved bit */
    *xfer = handle ? pick_handle(ft) : 0;
    return info;
}

static void fill_message(fthread_t *ft, ms_msg_t *m)
{
    m->info = pick_info(ft, &m->handle);
    for (unsigned i = 0; i < 8; i++)
        m->w[i] = rng_below(&ft->rng, 4) ? rng_below(&ft->rng, 1000) : special_int(&ft->rng);
    unsigned words = ms_info_words(m->info);
    if (ms_info_has_map(m->info) && words >= 2 && words <= 8) {
        uint64_t page = pick_page(ft);
        int own = page == ((uint64_t)(uintptr_t)ft->sh->scratch & ~(uint64_t)(MS_PAGE_SIZE - 1));
        m->w[words - 2] = page | rng_below(&ft->rng, own ? 8 : 16); /* never grant away its own memory */
        m->w[words - 1] = rng_below(&ft->rng, 4) ? rng_below(&ft->rng, 4) : special_int(&ft->rng);
    }
    unsigned payload = ms_info_payload(m->info);
    for (unsigned i = 0; i < payload && i < MS_IPC_BUFFER_SIZE; i++)
        ft->ipc_buffer[i] = (char)rng_next(&ft->rng);
}

/* What came back from a message call: remember a received handle. */
static void take_message(fthread_t *ft, uint64_t err, const ms_msg_t *m)
{
    if (err == MS_OK && ms_info_has_handle(m->info))
        remember(ft->sh, m->handle);
}

static void fuzz_loop(fthread_t *ft);

static void fuzz_worker(uint64_t arg)
{
    fuzz_loop((fthread_t *)(uintptr_t)arg);
}

/* thread_create: a fresh slot (stack and IPC buffer) or a bad stack. */
static uint64_t do_thread_create(fthread_t *ft)
{
    shared_t *sh = ft->sh;
    heap_t *heap = (heap_t *)sh;
    uint64_t task = rng_below(&ft->rng, 4) ? MS_HANDLE_SELF : pick_handle(ft);
    uint64_t prio = rng_below(&ft->rng, 4) ? rng_below(&ft->rng, 60) : special_int(&ft->rng);
    int use_slot = sh->slots_used < SLOTS && rng_below(&ft->rng, 3);
    slot_t *slot = &heap->slots[use_slot ? sh->slots_used : 0];
    uint64_t stack = use_slot ? (uint64_t)(uintptr_t)slot->stack : special_int(&ft->rng);
    uint64_t size = use_slot ? sizeof slot->stack : special_int(&ft->rng);
    uint64_t ipcbuf = use_slot ? (uint64_t)(uintptr_t)slot->ipc_buffer : special_int(&ft->rng);
    if (use_slot)
        slot->self = (fthread_t){.sh = sh, .rng = {rng_next(&ft->rng)}, .ipc_buffer = slot->ipc_buffer};
    ms_sysregs_t r = {.rdi = task,
                      .rsi = (uint64_t)(uintptr_t)fuzz_worker,
                      .w = {stack, size, ipcbuf, (uint64_t)(uintptr_t)&slot->self, prio}};
    uint64_t err = ms_syscall(MS_SYS_THREAD_CREATE, &r);
    if (err == MS_OK) {
        remember(sh, r.rdi);
        if (use_slot)
            sh->slots_used++;
    }
    return err;
}

/* The system calls, by weight out of the sum of weights. */
static const struct {
    uint8_t nr;
    uint8_t weight;
} mix[] = {
    {MS_SYS_DEBUG_WRITE, 30}, {MS_SYS_YIELD, 20},         {MS_SYS_SEND, 6},          {MS_SYS_TRY_SEND, 100},
    {MS_SYS_RECV, 5},         {MS_SYS_TRY_RECV, 100},     {MS_SYS_CALL, 6},          {MS_SYS_REPLY, 50},
    {MS_SYS_REPLY_RECV, 5},   {MS_SYS_ENDPOINT_CREATE, 40}, {MS_SYS_HANDLE_COPY, 60}, {MS_SYS_HANDLE_CLOSE, 40},
    {MS_SYS_HANDLE_INFO, 40}, {MS_SYS_THREAD_CREATE, 12}, {MS_SYS_THREAD_EXIT, 2},   {MS_SYS_KILL, 6},
    {MS_SYS_EXIT, 1},         {MS_SYS_COUNT, 12}, /* a number outside the table */
    {MS_SYS_NOTIFICATION_CREATE, 10}, {MS_SYS_SIGNAL, 30}, {MS_SYS_WAIT, 4}, {MS_SYS_POLL, 30},
    {MS_SYS_IRQ_BIND, 8},     {MS_SYS_IRQ_ACK, 8},        {MS_SYS_FAULT_HANDLER, 6},
    {MS_SYS_MAP, 6},          {MS_SYS_UNMAP, 6},          {MS_SYS_PROTECT, 6},       {MS_SYS_MAP_WINDOW, 10},
    {MS_SYS_TASK_CREATE, 3},  {MS_SYS_HANDLE_GIVE, 8},    {MS_SYS_REPLY_SAVE, 20},   {MS_SYS_REPLY_WITH, 20},
    {MS_SYS_TASK_WATCH, 6},   {MS_SYS_TASK_STATUS, 6},    {MS_SYS_ALARM, 6},         {MS_SYS_TRACE_NET, 6},
    {MS_SYS_CLOCK, 2},
    {FUZZ_RAISE, 3}, /* not a call: a CPU exception */
};

/* A hoarder never closes a handle, so its table and the kernel's pools fill
 * up and the out-of-room errors get their turn. */
static unsigned weight(unsigned i, int hoarder)
{
    return hoarder && mix[i].nr == MS_SYS_HANDLE_CLOSE ? 0 : mix[i].weight;
}

static unsigned pick_call(rng_t *r, int hoarder)
{
    unsigned total = 0;
    for (unsigned i = 0; i < sizeof mix / sizeof mix[0]; i++)
        total += weight(i, hoarder);
    unsigned x = (unsigned)rng_below(r, total);
    for (unsigned i = 0;; i++) {
        if (x < weight(i, hoarder))
            return mix[i].nr;
        x -= weight(i, hoarder);
    }
}

/* A message call on a random handle. */
static void do_message(fthread_t *ft, uint64_t nr)
{
    ms_msg_t m;
    fill_message(ft, &m);
    uint64_t err = ms_msg_syscall(nr, pick_handle(ft), &m);
    take_message(ft, err, &m);
}

/* Makes exactly one system call. */
static void fuzz_one(fthread_t *ft)
{
    rng_t *r = &ft->rng;
    uint64_t nr = pick_call(r, ft->sh->hoarder), len, buf;
    ms_handle_t h;
    ms_sysregs_t regs = {0};
    switch (nr) {
    case MS_SYS_DEBUG_WRITE:
        buf = pick_buffer(ft, &len);
        ms_debug_write((const void *)(uintptr_t)buf, len);
        break;
    case MS_SYS_SEND:
    case MS_SYS_TRY_SEND:
    case MS_SYS_RECV:
    case MS_SYS_TRY_RECV:
    case MS_SYS_CALL:
    case MS_SYS_REPLY:
    case MS_SYS_REPLY_RECV:
        do_message(ft, nr);
        break;
    case MS_SYS_ENDPOINT_CREATE:
        if (ms_endpoint_create(&h) == MS_OK)
            remember(ft->sh, h);
        break;
    case MS_SYS_HANDLE_COPY:
        regs = (ms_sysregs_t){.rdi = pick_handle(ft),
                              .rsi = rng_below(r, 8) ? rng_below(r, 16) : special_int(r),
                              .w = {rng_below(r, 3) ? 0 : rng_below(r, 2) ? rng_below(r, 100) : special_int(r)}};
        if (ms_syscall(MS_SYS_HANDLE_COPY, &regs) == MS_OK)
            remember(ft->sh, regs.rdi);
        break;
    case MS_SYS_HANDLE_CLOSE:
        ms_handle_close((ms_handle_t)pick_handle(ft));
        break;
    case MS_SYS_HANDLE_INFO:
        regs.rdi = pick_handle(ft);
        ms_syscall(MS_SYS_HANDLE_INFO, &regs);
        break;
    case MS_SYS_THREAD_CREATE:
        do_thread_create(ft);
        break;
    case MS_SYS_KILL:
        regs.rdi = pick_handle(ft);
        ms_syscall(MS_SYS_KILL, &regs);
        break;
    case MS_SYS_NOTIFICATION_CREATE:
        if (ms_notification_create(&h) == MS_OK)
            remember(ft->sh, h);
        break;
    case MS_SYS_ALARM:
    case MS_SYS_TASK_WATCH:
    case MS_SYS_TASK_STATUS:
    case MS_SYS_SIGNAL:
    case MS_SYS_WAIT:
    case MS_SYS_POLL:
    case MS_SYS_IRQ_BIND:
    case MS_SYS_IRQ_ACK:
    case MS_SYS_FAULT_HANDLER:
        regs = (ms_sysregs_t){.rdi = pick_handle(ft),
                              .rsi = rng_below(r, 2) ? pick_handle(ft) : special_int(r),
                              .w = {rng_below(r, 4) ? rng_below(r, 64) : special_int(r)}};
        ms_syscall(nr, &regs);
        break;
    case MS_SYS_TASK_CREATE: /* tasks that never get a thread: their handles feed the other calls */
        regs = (ms_sysregs_t){.rdi = rng_below(r, 8) ? 0x7a7a66 : special_int(r), .rsi = special_int(r),
                              .w = {rng_below(r, 4) ? FUZZ_WINDOW : special_int(r),
                                    rng_below(r, 4) ? MS_PAGE_SIZE * (1 + rng_below(r, 4)) : special_int(r),
                                    rng_below(r, 40), rng_below(r, 3)}};
        if (ms_syscall(nr, &regs) == MS_OK)
            remember(ft->sh, regs.rdi);
        break;
    case MS_SYS_REPLY_SAVE:
        regs = (ms_sysregs_t){0};
        if (ms_syscall(nr, &regs) == MS_OK)
            remember(ft->sh, regs.rdi);
        break;
    case MS_SYS_REPLY_WITH: { /* a reply through a handle, mostly one saved */
        ms_msg_t m;
        fill_message(ft, &m);
        ms_msg_syscall(nr, pick_handle(ft), &m);
        break;
    }
    case MS_SYS_HANDLE_GIVE:
        regs = (ms_sysregs_t){.rdi = pick_handle(ft), .rsi = pick_handle(ft),
                              .w = {rng_below(r, 4) ? rng_below(r, 0x80) : special_int(r)}};
        ms_syscall(nr, &regs);
        break;
    case MS_SYS_MAP_WINDOW:
        regs = (ms_sysregs_t){.rdi = rng_below(r, 8) ? FUZZ_WINDOW + rng_below(r, FUZZ_WINDOW_PAGES) * MS_PAGE_SIZE
                                                     : special_int(r),
                              .rsi = rng_below(r, 8) ? rng_below(r, 5) : special_int(r)};
        ms_syscall(nr, &regs);
        break;
    case MS_SYS_MAP:
    case MS_SYS_UNMAP:
    case MS_SYS_PROTECT: /* in the shared window, never the task's own memory: the fuzzer must keep running */
        regs = (ms_sysregs_t){.rdi = rng_below(r, 4) ? MS_HANDLE_SELF : pick_handle(ft),
                              .rsi = rng_below(r, 8) ? FUZZ_WINDOW + rng_below(r, FUZZ_WINDOW_PAGES) * MS_PAGE_SIZE
                                                     : special_int(r),
                              .w = {rng_below(r, 4) ? rng_below(r, 4) : special_int(r),
                                    rng_below(r, 4) ? rng_below(r, 0x80) : special_int(r), rng_below(r, 4),
                                    rng_below(r, 0x80)}};
        ms_syscall(nr, &regs);
        break;
    case MS_SYS_TRACE_NET: /* mostly in range, sometimes a word past a limit */
        regs = (ms_sysregs_t){.rdi = rng_below(r, 4) ? rng_below(r, 1ull << 32) : special_int(r),
                              .rsi = rng_below(r, 4) ? rng_below(r, 1u << 16) : special_int(r),
                              .w = {rng_below(r, 4) ? rng_below(r, 1ull << 32) : special_int(r),
                                    rng_below(r, 4) ? rng_below(r, 1u << 16) : special_int(r),
                                    rng_below(r, 4) ? rng_below(r, MS_TRACE_NET_LEN_MAX + 1) : special_int(r)}};
        ms_syscall(nr, &regs);
        break;
    case FUZZ_RAISE: /* the exception is the kernel entry that counts as this iteration's call */
        if (rng_below(r, 2))
            __asm__ volatile("int3"); /* a handler resumes it; without one the task dies */
        else
            __builtin_trap();
        break;
    case MS_SYS_COUNT:
        regs = (ms_sysregs_t){.rdi = special_int(r), .rsi = special_int(r)};
        ms_syscall(MS_SYS_COUNT + rng_below(r, 2) * special_int(r), &regs);
        break;
    default: /* yield, thread_exit, exit */
        regs.rdi = rng_below(r, 3);
        ms_syscall(nr, &regs);
        break;
    }
}

/* Calls until the task's budget is spent; the last call is exit. */
/* Every thread starts with a receive window of its own in the shared
 * range, so that map items have somewhere to land. */
static void fuzz_loop(fthread_t *ft)
{
    if (ft->sh->budget > 1) { /* a call of the budget like any other */
        ft->sh->budget--;
        ms_map_window(FUZZ_WINDOW + rng_below(&ft->rng, FUZZ_WINDOW_PAGES - 4) * MS_PAGE_SIZE, 4);
    }
    for (;;) {
        if (ft->sh->budget <= 1)
            ms_exit(0);
        ft->sh->budget--;
        fuzz_one(ft);
    }
}

/* arg[0]: the task's call budget; arg[1]: its index in the campaign. */
void fuzz_main(const ms_start_t *start)
{
    heap_t *heap = (heap_t *)(uintptr_t)start->heap_base;
    if (start->heap_size < sizeof *heap)
        ms_exit(1);
    shared_t *sh = &heap->shared;
    *sh = (shared_t){.budget = start->arg[0],
                     .known = {FUZZ_H_SHARED, FUZZ_H_OWN, FUZZ_H_NEXT},
                     .nknown = 3,
                     .hoarder = start->arg[1] % 2 == 1,
                     .mem_base = start->mem_base,
                     .mem_end = start->mem_base + start->mem_size,
                     .scratch = heap->scratch};
    fthread_t self = {.sh = sh,
                      .rng = {start->seed ^ (0x5851f42d4c957f2dull * (start->arg[1] + 1))},
                      .ipc_buffer = (char *)(uintptr_t)start->ipc_buffer};
    fuzz_loop(&self);
}
