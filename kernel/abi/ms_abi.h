/* The system call ABI: the one table shared by the kernel and user space. */
#ifndef MS_ABI_H
#define MS_ABI_H

#include <stdint.h>

/*
 * Registers (identical on the simulated PC and on real x86-64)
 * ------------------------------------------------------------
 * A system call is the `syscall` instruction (on the simulated PC, the
 * two-instruction sequence in services/lib/arch/hosted/ms_trap.h that behaves
 * like it: the return address lands in rcx and control enters the kernel).
 *
 *   rax   in: call number            out: error code (MS_OK or MS_E_*)
 *   rdi   in: handle (or first arg)  out: badge / new handle / first result
 *   rsi   in: message info or arg    out: message info
 *   rdx, r10, r8, r9, r12, r13, r14, r15
 *         message words w0..w7 (in and out); other calls: further arguments
 *   rbx   in: handle to transfer     out: handle received
 *   rcx, r11 and every vector register are clobbered; all other registers
 *   are preserved.
 *
 * Every argument is checked. A call the kernel rejects returns an error in rax
 * and changes nothing else. Unknown call numbers return MS_E_NOSYS.
 *
 *  nr  name               arguments                        results
 *  --  -----------------  -------------------------------  ---------------------
 *   0  debug_write        rdi=buffer rsi=length (<=4096)   -
 *   1  exit               rdi=status                       does not return
 *   2  yield              -                                -
 *   3  send               rdi=ep rsi=info w0..w7 [rbx]     -
 *   4  try_send           as send; E_WOULDBLOCK if no receiver waits
 *   5  recv               rdi=ep                           rdi=badge rsi=info w0..w7 [rbx]
 *   6  try_recv           as recv; E_WOULDBLOCK if no sender waits
 *   7  call               as send                          rsi=info w0..w7 [rbx] (the reply)
 *   8  reply              rsi=info w0..w7 [rbx]            -
 *   9  reply_recv         rdi=ep rsi=reply info w0..w7     as recv
 *  10  endpoint_create    -                                rdi=new handle (all rights)
 *  11  handle_copy        rdi=h rsi=rights rdx=badge       rdi=new handle
 *  12  handle_close       rdi=h                            -
 *  13  handle_info        rdi=h                            rdi=type rsi=rights rdx=badge
 *                         (MS_E_DEAD: a saved reply whose caller stopped waiting)
 *  14  thread_create      rdi=task rsi=entry rdx=stack base
 *                         r10=stack size r8=IPC buffer
 *                         r9=argument r12=priority         rdi=new thread handle
 *  15  thread_exit        -                                does not return
 *  16  kill               rdi=task or thread handle        - (does not return if it
 *                                                            kills the caller)
 *  17  fault_handler      rdi=task rsi=endpoint            - (rsi=MS_NO_HANDLE: none)
 *  18  notification_create -                               rdi=new handle (send, receive)
 *  19  signal             rdi=notification rsi=bits        -
 *  20  wait               rdi=notification                 rdi=bits (blocks while 0)
 *  21  poll               rdi=notification                 rdi=bits (0: none; never blocks)
 *  22  irq_bind           rdi=irq rsi=notification rdx=bits -  (rsi=MS_NO_HANDLE: unbind)
 *  23  irq_ack            rdi=irq                          -  (E_INVAL: nothing to acknowledge)
 *  24  map                rdi=task rsi=address rdx=frames
 *                         r10=first frame r8=pages r9=rights -
 *  25  unmap              rdi=task rsi=address rdx=pages    -
 *  26  protect            rdi=task rsi=address rdx=pages
 *                         r10=rights                       -
 *  27  map_window         rdi=address rsi=pages            -  (pages 0: none)
 *  28  task_create        rdi,rsi=name (16 bytes) rdx=memory base
 *                         r10=memory size r8=priority ceiling
 *                         r9=flags (MS_TASK_DAEMON, MS_TASK_RESTART)
 *                         r12=the task it replaces, r13=why (MS_TASK_RESTART)
 *                                                          rdi=new task handle (all rights)
 *  29  handle_give        rdi=task rsi=h rdx=rights
 *                         r10=slot (0: the lowest free)    rdi=the handle's number in task
 *  30  reply_save         -                                rdi=reply handle (send right)
 *  31  reply_with         rdi=reply handle rsi=info w0..w7 [rbx]  -
 *  32  task_watch         rdi=task rsi=notification rdx=bits  - (rsi=MS_NO_HANDLE: none)
 *  33  task_status        rdi=task                         rdi=MS_TASK_ALIVE/_EXITED/_KILLED
 *                                                          rsi=exit status (-1 if killed)
 *  34  alarm              rdi=notification rsi=bits rdx=delay in ns  -
 *  35  trace_net          rdi=source IPv4 address rsi=source port
 *                         rdx=destination address r10=destination port
 *                         r8=UDP payload length            -
 *  36  clock              -                                rdi=the time in ns since boot
 *                                                          (the clock alarms count on)
 *
 * Rights needed: send/try_send/call need MS_RIGHT_SEND on the endpoint, and
 * MS_RIGHT_GRANT too when a handle is transferred; recv/try_recv/reply_recv
 * need MS_RIGHT_RECV; thread_create and kill need MS_RIGHT_CONTROL;
 * fault_handler needs MS_RIGHT_CONTROL on the task and MS_RIGHT_SEND on the
 * endpoint; signal needs MS_RIGHT_SEND, wait and poll MS_RIGHT_RECV on the
 * notification; irq_bind and irq_ack need MS_RIGHT_CONTROL on the IRQ line,
 * and irq_bind MS_RIGHT_SEND on the notification. map, unmap and protect need
 * MS_RIGHT_CONTROL on the task whose address space changes; map also needs
 * MS_RIGHT_READ on the frames, and MS_RIGHT_WRITE or MS_RIGHT_EXEC on them
 * to map writable or executable pages.
 *
 * Memory. A task's address space is x86-64 page tables over the user window
 * [MS_USER_BASE, MS_USER_END). A frames object is a run of physical page
 * frames; map puts `pages` of them, from `first frame`, at `address` (page
 * aligned) with `rights` (MS_RIGHT_READ, plus WRITE and EXEC as wanted);
 * protect changes the rights of mapped pages, up to what their frames
 * allowed when they were mapped; unmap removes pages (holes are skipped).
 * Errors: MS_E_DEAD (the task has ended), MS_E_INVAL (address not
 * page-aligned or outside the window, no
 * pages, READ missing from rights, a page already mapped for map or not
 * mapped for protect), MS_E_RANGE (frames past the end of the object),
 * MS_E_NOMEM (no frame left for a page table). A thread touching a page it
 * may not touch takes a #PF, which goes to its task's fault handler: the
 * task's pager.
 *
 * Tasks. task_create makes a task with an empty address space (its memory
 * range [base, base + size) is where its threads' stacks and IPC buffers may
 * lie; nothing is mapped), itself in its slot 0, no thread and no fault
 * handler: its creator maps memory into it (map, or a pager as its fault
 * handler, fault_handler) and starts it (thread_create). With
 * MS_TASK_RESTART the new task replaces the ended task r12 names, for the
 * reason in r13 (MS_RESTART_*): the trace records task.restart (MS_E_INVAL
 * if r12 is no task or one still alive). The ceiling may not
 * exceed the creator's priority (MS_E_RIGHTS); a bad range, flag or empty
 * name is MS_E_INVAL. handle_give puts a copy of the caller's handle h, with
 * rights (a subset of h's), into task's table (MS_RIGHT_CONTROL on task), at
 * the given slot (1..63, free) or the lowest free one: how a creator hands a
 * new task what it needs where the program expects it. MS_E_FULL if task's
 * table is full, MS_E_INVAL if the slot is taken or out of range, MS_E_DEAD
 * if the task has ended.
 *
 * Watching tasks. task_watch (MS_RIGHT_CONTROL on the task, MS_RIGHT_SEND on
 * the notification, bits not 0) has the kernel signal the notification with
 * bits when the task ends, by exit, kill or fault; MS_E_DEAD if it has ended
 * already. task_status (any right) tells whether it lives and how it ended.
 *
 * Alarms. alarm (MS_RIGHT_SEND on the notification, bits not 0) has the
 * clock's tick signal the notification with bits once delay ns have passed:
 * at the first tick (1 ms apart) at or after then. MS_E_INVAL if delay is
 * over MS_ALARM_MAX_NS (an hour) or bits are 0; MS_E_NOMEM if the kernel's
 * alarms (64) are all pending. A sleeping system's clock goes on to
 * the next alarm, on every clock.
 *
 * Network trace. trace_net records a net.packet event whose actor is the
 * caller: a network daemon reports each datagram it sends (services/net).
 * Any task may call it; it needs no handle. Addresses are 32-bit and ports
 * 16-bit numbers in host order (MS_E_INVAL beyond); the length is at most
 * MS_TRACE_NET_LEN_MAX, the largest UDP payload over IPv4 (MS_E_RANGE).
 *
 * Deferred replies. A server that cannot answer a call now saves the reply
 * it owes (reply_save: MS_E_NOREPLY if it owes none, MS_E_FULL, MS_E_NOMEM)
 * and receives again without abandoning the caller; later reply_with
 * answers through the handle (a message as for reply) and closes it. If the
 * caller is gone meanwhile, reply_with returns MS_E_DEAD and changes
 * nothing (the server closes the handle). Closing a reply handle unanswered
 * fails its caller with MS_E_DEAD.
 *
 * Map items. A message with MS_INFO_MAP carries one in its last two words:
 * w[n-2] = the sender's page-aligned address | MS_MAP_* rights and flags,
 * w[n-1] = the number of pages (n >= 2 words). The sender's pages must be
 * mapped with at least those rights (else send fails with MS_E_INVAL or
 * MS_E_RIGHTS). On delivery they appear at the start of the receiver's
 * receive window (map_window, per thread) with those rights, and the
 * receiver sees MS_INFO_MAP; with MS_MAP_GRANT they leave the sender's
 * space (they move). A mapped (not granted) page derives from the sender's:
 * unmapping the sender's page, or its task's end, unmaps it too, at any
 * depth. If the receiver has no window that large, or something is already
 * mapped there, the item is dropped: the message arrives without
 * MS_INFO_MAP and the sender still gets MS_OK (as a dropped handle).
 *
 * Interrupts and ports. A driver holds an IRQ line handle and binds it to a
 * notification: each interrupt masks the line and signals the bits; the
 * driver handles the device and calls irq_ack to unmask it. A task holding
 * an I/O port range handle may execute in and out on those ports (as the
 * TSS I/O bitmap allows); any other port is #GP.
 *
 * Messages: a reply may carry a handle only if the server received the call
 * through a handle with MS_RIGHT_GRANT. A transferred handle whose sender
 * closed it meanwhile, or that finds the receiver's table full, is dropped:
 * the message arrives without MS_INFO_HANDLE and the sender still gets MS_OK.
 * A server that receives again before replying abandons its caller, who gets
 * MS_E_ABORTED; a caller whose server dies gets MS_E_DEAD, and so does every
 * thread queued on an endpoint whose last handle is closed.
 *
 * thread_create errors: MS_E_DEAD (the task has ended), MS_E_INVAL (priority
 * over 255, entry 0, stack under 1024 bytes, IPC buffer not 8-byte aligned),
 * MS_E_RIGHTS (priority above the creator's or the task's own priority),
 * MS_E_FAULT (stack or IPC buffer not in the task's memory), MS_E_FULL (no
 * free handle for the new thread), MS_E_NOMEM (no thread left in the kernel).
 */
enum ms_syscall {
    MS_SYS_DEBUG_WRITE = 0,
    MS_SYS_EXIT = 1,
    MS_SYS_YIELD = 2,
    MS_SYS_SEND = 3,
    MS_SYS_TRY_SEND = 4,
    MS_SYS_RECV = 5,
    MS_SYS_TRY_RECV = 6,
    MS_SYS_CALL = 7,
    MS_SYS_REPLY = 8,
    MS_SYS_REPLY_RECV = 9,
    MS_SYS_ENDPOINT_CREATE = 10,
    MS_SYS_HANDLE_COPY = 11,
    MS_SYS_HANDLE_CLOSE = 12,
    MS_SYS_HANDLE_INFO = 13,
    MS_SYS_THREAD_CREATE = 14,
    MS_SYS_THREAD_EXIT = 15,
    MS_SYS_KILL = 16,
    MS_SYS_FAULT_HANDLER = 17,
    MS_SYS_NOTIFICATION_CREATE = 18,
    MS_SYS_SIGNAL = 19,
    MS_SYS_WAIT = 20,
    MS_SYS_POLL = 21,
    MS_SYS_IRQ_BIND = 22,
    MS_SYS_IRQ_ACK = 23,
    MS_SYS_MAP = 24,
    MS_SYS_UNMAP = 25,
    MS_SYS_PROTECT = 26,
    MS_SYS_MAP_WINDOW = 27,
    MS_SYS_TASK_CREATE = 28,
    MS_SYS_HANDLE_GIVE = 29,
    MS_SYS_REPLY_SAVE = 30,
    MS_SYS_REPLY_WITH = 31,
    MS_SYS_TASK_WATCH = 32,
    MS_SYS_TASK_STATUS = 33,
    MS_SYS_ALARM = 34,
    MS_SYS_TRACE_NET = 35,
    MS_SYS_CLOCK = 36,
    MS_SYS_COUNT
};

/* Error codes: the one table every layer returns (rax after a system call). */
enum ms_error {
    MS_OK = 0,
    MS_E_NOSYS = 1,      /* unknown system call number */
    MS_E_INVAL = 2,      /* an argument is malformed */
    MS_E_BADHANDLE = 3,  /* no such handle, or a handle to the wrong kind of object */
    MS_E_RIGHTS = 4,     /* the handle lacks a right the operation needs */
    MS_E_RANGE = 5,      /* a length or count is over its limit */
    MS_E_FAULT = 6,      /* a user buffer lies outside the caller's memory */
    MS_E_WOULDBLOCK = 7, /* a non-blocking call found no partner */
    MS_E_NOMEM = 8,      /* the kernel has no room for another object */
    MS_E_FULL = 9,       /* the caller's handle table is full */
    MS_E_NOREPLY = 10,   /* reply with no caller waiting for one */
    MS_E_DEAD = 11,      /* the peer or the object went away during the call */
    MS_E_ABORTED = 12,   /* the server received again without replying */
    MS_ERROR_COUNT
};

/* "E_INVAL", ...: the name of an error code, for the kernel's trace and
 * the services' messages alike; "E_?" for a number outside the table. */
static inline const char *ms_error_code_name(uint64_t err)
{
    static const char *const names[MS_ERROR_COUNT] = {
        [MS_OK] = "OK",
        [MS_E_NOSYS] = "E_NOSYS",
        [MS_E_INVAL] = "E_INVAL",
        [MS_E_BADHANDLE] = "E_BADHANDLE",
        [MS_E_RIGHTS] = "E_RIGHTS",
        [MS_E_RANGE] = "E_RANGE",
        [MS_E_FAULT] = "E_FAULT",
        [MS_E_WOULDBLOCK] = "E_WOULDBLOCK",
        [MS_E_NOMEM] = "E_NOMEM",
        [MS_E_FULL] = "E_FULL",
        [MS_E_NOREPLY] = "E_NOREPLY",
        [MS_E_DEAD] = "E_DEAD",
        [MS_E_ABORTED] = "E_ABORTED",
    };
    return err < MS_ERROR_COUNT ? names[err] : "E_?";
}

/*
 * The results each system call may give, as a bit set of (1 << error code):
 * what it returns at once, and what a blocking call finds in rax when it is
 * woken. Anything else is a kernel bug (the invariant checker panics).
 */
static inline uint32_t ms_syscall_results(uint64_t nr)
{
#define MS_R(e) (1u << (e))
    const uint32_t handle = MS_R(MS_E_BADHANDLE) | MS_R(MS_E_RIGHTS);
    const uint32_t message = handle | MS_R(MS_E_INVAL) | MS_R(MS_E_RANGE);
    const uint32_t woken = MS_R(MS_OK) | MS_R(MS_E_DEAD);
    switch (nr) {
    case MS_SYS_DEBUG_WRITE:
        return MS_R(MS_OK) | MS_R(MS_E_RANGE) | MS_R(MS_E_FAULT);
    case MS_SYS_EXIT:
    case MS_SYS_THREAD_EXIT:
    case MS_SYS_YIELD:
        return MS_R(MS_OK);
    case MS_SYS_SEND:
        return message | woken;
    case MS_SYS_TRY_SEND:
        return message | MS_R(MS_OK) | MS_R(MS_E_WOULDBLOCK);
    case MS_SYS_RECV:
        return handle | woken;
    case MS_SYS_TRY_RECV:
        return handle | MS_R(MS_OK) | MS_R(MS_E_WOULDBLOCK);
    case MS_SYS_CALL:
        return message | woken | MS_R(MS_E_ABORTED);
    case MS_SYS_REPLY:
        return message | MS_R(MS_OK) | MS_R(MS_E_NOREPLY);
    case MS_SYS_REPLY_RECV:
        return message | woken;
    case MS_SYS_ENDPOINT_CREATE:
        return MS_R(MS_OK) | MS_R(MS_E_NOMEM) | MS_R(MS_E_FULL);
    case MS_SYS_HANDLE_COPY:
        return handle | MS_R(MS_OK) | MS_R(MS_E_INVAL) | MS_R(MS_E_FULL);
    case MS_SYS_HANDLE_CLOSE:
    case MS_SYS_HANDLE_INFO:
        return MS_R(MS_OK) | MS_R(MS_E_BADHANDLE) | MS_R(MS_E_DEAD);
    case MS_SYS_THREAD_CREATE:
        return handle | MS_R(MS_OK) | MS_R(MS_E_DEAD) | MS_R(MS_E_INVAL) | MS_R(MS_E_FAULT) | MS_R(MS_E_FULL) |
               MS_R(MS_E_NOMEM);
    case MS_SYS_KILL:
    case MS_SYS_FAULT_HANDLER:
    case MS_SYS_SIGNAL:
    case MS_SYS_POLL:
        return handle | MS_R(MS_OK);
    case MS_SYS_NOTIFICATION_CREATE:
        return MS_R(MS_OK) | MS_R(MS_E_NOMEM) | MS_R(MS_E_FULL);
    case MS_SYS_WAIT:
        return handle | woken;
    case MS_SYS_IRQ_BIND:
    case MS_SYS_IRQ_ACK:
        return handle | MS_R(MS_OK) | MS_R(MS_E_INVAL);
    case MS_SYS_MAP:
        return handle | MS_R(MS_OK) | MS_R(MS_E_DEAD) | MS_R(MS_E_INVAL) | MS_R(MS_E_RANGE) | MS_R(MS_E_NOMEM);
    case MS_SYS_UNMAP:
    case MS_SYS_PROTECT:
        return handle | MS_R(MS_OK) | MS_R(MS_E_DEAD) | MS_R(MS_E_INVAL);
    case MS_SYS_MAP_WINDOW:
        return MS_R(MS_OK) | MS_R(MS_E_INVAL);
    case MS_SYS_TASK_CREATE:
        return MS_R(MS_OK) | MS_R(MS_E_INVAL) | MS_R(MS_E_RIGHTS) | MS_R(MS_E_FULL) | MS_R(MS_E_NOMEM);
    case MS_SYS_HANDLE_GIVE:
        return handle | MS_R(MS_OK) | MS_R(MS_E_INVAL) | MS_R(MS_E_FULL) | MS_R(MS_E_DEAD);
    case MS_SYS_REPLY_SAVE:
        return MS_R(MS_OK) | MS_R(MS_E_NOREPLY) | MS_R(MS_E_FULL) | MS_R(MS_E_NOMEM);
    case MS_SYS_REPLY_WITH:
        return message | MS_R(MS_OK) | MS_R(MS_E_DEAD);
    case MS_SYS_TASK_WATCH:
        return handle | MS_R(MS_OK) | MS_R(MS_E_INVAL) | MS_R(MS_E_DEAD);
    case MS_SYS_TASK_STATUS:
        return MS_R(MS_OK) | MS_R(MS_E_BADHANDLE);
    case MS_SYS_ALARM:
        return handle | MS_R(MS_OK) | MS_R(MS_E_INVAL) | MS_R(MS_E_NOMEM);
    case MS_SYS_TRACE_NET:
        return MS_R(MS_OK) | MS_R(MS_E_INVAL) | MS_R(MS_E_RANGE);
    case MS_SYS_CLOCK:
        return MS_R(MS_OK);
    default:
        return MS_R(MS_E_NOSYS);
    }
#undef MS_R
}

/*
 * Faults. When a thread raises a CPU exception (#DE, #BP, #UD, #GP, #PF ...),
 * the kernel makes it call its task's fault handler endpoint (set by
 * fault_handler or the boot manifest) with this message, badged with the
 * badge of the handler's handle:
 *   label MS_FAULT_LABEL, 4 words: w0 vector, w1 error code, w2 faulting
 *   address (CR2, for #PF), w3 the instruction pointer of the fault (the
 *   trace shows the first 3 words only: w3 is a host address when hosted)
 * The handler answers with reply: w0 MS_FAULT_RESUME (w1: a new rip, or 0 to
 * retry the same one; #BP and #DB already point past their instruction) or
 * MS_FAULT_KILL. A task with no handler, or whose handler goes away, is
 * killed (task.kill reason=exception).
 */
#define MS_FAULT_LABEL 0xfa17u
#define MS_FAULT_WORDS 4u
#define MS_FAULT_TRACED_WORDS 3u
#define MS_FAULT_RESUME 1u
#define MS_FAULT_KILL 2u
#define MS_NO_HANDLE UINT64_MAX

/* The longest delay an alarm may have: an hour. */
#define MS_ALARM_MAX_NS 3600000000000ull

/* The longest UDP payload trace_net reports: 65535 - 20 (IPv4) - 8 (UDP). */
#define MS_TRACE_NET_LEN_MAX 65507u

/* task_status states. */
#define MS_TASK_ALIVE 0u
#define MS_TASK_EXITED 1u
#define MS_TASK_KILLED 2u

/* task_create flags. */
#define MS_TASK_DAEMON 0x1u  /* the run may end while it waits */
#define MS_TASK_RESTART 0x2u /* it replaces an ended task (r12), for a reason (r13) */
#define MS_RESTART_EXCEPTION 1u /* the old one raised an exception */
#define MS_RESTART_KILLED 2u    /* the old one was killed */

/* Handle rights (a bit set). A copy may only drop rights. */
#define MS_RIGHT_SEND 0x1u
#define MS_RIGHT_RECV 0x2u
#define MS_RIGHT_GRANT 0x4u
#define MS_RIGHT_CONTROL 0x8u
#define MS_RIGHT_READ 0x10u  /* memory: map the frames readable */
#define MS_RIGHT_WRITE 0x20u /* memory: map them writable */
#define MS_RIGHT_EXEC 0x40u  /* memory: map them executable */
#define MS_RIGHTS_ALL 0x7fu

/* Object types, as returned by handle_info. */
enum ms_object_type {
    MS_OBJ_NONE = 0,
    MS_OBJ_ENDPOINT = 1,
    MS_OBJ_THREAD = 2,
    MS_OBJ_TASK = 3,
    MS_OBJ_NOTIFICATION = 4,
    MS_OBJ_IRQ = 5,
    MS_OBJ_IOPORT = 6,
    MS_OBJ_FRAMES = 7,
    MS_OBJ_REPLY = 8,
};

/* User virtual memory, the same numbers on every machine: page tables map
 * user pages only in [MS_USER_BASE, MS_USER_END). */
#define MS_USER_BASE 0x10000000u
#define MS_USER_END 0x50000000u
#define MS_PAGE_SIZE 4096u
/* Where a machine that loads the program image into physical memory (x86-64)
 * maps it, read-only, into every space: the top of the window. (Hosted, the
 * image stays in the simulator's executable, outside the window.) */
#define MS_USER_IMAGE_BASE 0x48000000u

/* Page-fault error code bits (w1 of a #PF fault message), as the CPU sets
 * them: the page was present (a protection fault), a write, from user mode,
 * a reserved bit set, an instruction fetch. */
#define MS_PF_PRESENT 0x1u
#define MS_PF_WRITE 0x2u
#define MS_PF_USER 0x4u
#define MS_PF_RESERVED 0x8u
#define MS_PF_FETCH 0x10u

/* Handles are small indices into the calling task's table. Handle 0 of every
 * task started from a boot manifest is the task itself, with all rights. */
typedef uint32_t ms_handle_t;
#define MS_HANDLE_SELF 0u
#define MS_HANDLES_PER_TASK 64u

/*
 * Message info word (rsi):
 *   bits  0..3   number of message words, 0..8
 *   bit   4      a handle travels in rbx
 *   bit   5      a map item travels in the last two words (see above)
 *   bits 16..28  payload length in bytes, 0..4096, copied from the sender's
 *                IPC buffer into the receiver's
 *   bits 32..63  label, chosen freely by the protocol
 */
#define MS_MSG_WORDS 8u
#define MS_MSG_PAYLOAD_MAX 4096u
#define MS_INFO_HANDLE 0x10u
#define MS_INFO_MAP 0x20u
/* In the first word of a map item, below the page address. */
#define MS_MAP_READ 0x1u
#define MS_MAP_WRITE 0x2u
#define MS_MAP_EXEC 0x4u
#define MS_MAP_GRANT 0x8u
#define MS_MAP_FLAGS 0xfffu

static inline uint64_t ms_info(uint32_t label, unsigned words, unsigned payload, int handle)
{
    return ((uint64_t)label << 32) | ((uint64_t)(payload & 0x1fffu) << 16) |
           (handle ? MS_INFO_HANDLE : 0u) | (words & 0xfu);
}
static inline uint32_t ms_info_label(uint64_t info) { return (uint32_t)(info >> 32); }
static inline unsigned ms_info_words(uint64_t info) { return (unsigned)(info & 0xfu); }
static inline unsigned ms_info_payload(uint64_t info) { return (unsigned)((info >> 16) & 0x1fffu); }
static inline int ms_info_has_handle(uint64_t info) { return (info & MS_INFO_HANDLE) != 0; }
static inline int ms_info_has_map(uint64_t info) { return (info & MS_INFO_MAP) != 0; }
/* Bits that must be zero in a valid info word. */
#define MS_INFO_RESERVED 0xe000ffc0ull

/* Priorities: 0 (lowest) .. 255 (highest). A thread may not create a thread of
 * higher priority than its own. */
#define MS_PRIO_MAX 255u

/* Every thread has one IPC buffer of this size, fixed when it is created: the
 * payload of an outgoing message is read from it, an incoming one lands in it. */
#define MS_IPC_BUFFER_SIZE 4096u

/* What a task's first thread finds in rdi when it starts: this block, written
 * by the loader at the base of the task's memory. */
typedef struct ms_start {
    uint64_t arg[4];       /* from the boot manifest */
    uint64_t seed;         /* the run's seed (microsim --seed) */
    uint64_t mem_base;     /* the task's memory: [mem_base, mem_base + mem_size) */
    uint64_t mem_size;
    uint64_t heap_base;    /* free for the task: [heap_base, heap_base + heap_size) */
    uint64_t heap_size;
    uint64_t ipc_buffer;   /* the first thread's IPC buffer */
    char name[16];         /* the task's name, NUL-terminated */
} ms_start_t;

#endif
