/* The kernel's trace: fixed-size binary events in a ring, drained by the platform. */
#ifndef K_TRACE_H
#define K_TRACE_H

#include <stdint.h>

#include "config.h"

/*
 * The event kinds. Their names (trace_kind_name) and the text and JSON
 * layouts built from them are a public interface: golden traces, the QEMU
 * comparison and users' scripts read them. Add kinds at the end.
 */
typedef enum k_event_kind {
    K_EV_TASK_SPAWN,    /* actor: first thread of a boot task, or the creator of a task_create one;
                         * a0 task id, a1 prio (ceiling), a3..a4 the name of a task_create one
                         * (16 bytes; 0 for a boot task) */
    K_EV_TASK_EXIT,     /* actor: the thread that ended its task; a0 status */
    K_EV_TASK_KILL,     /* actor: killer -> peer: a thread of the victim (for reason exception, the
                         * actor is the faulting thread and no peer); a0 task id, a1 reason */
    K_EV_THREAD_SPAWN,  /* actor: creator -> peer: new thread; a0 prio */
    K_EV_THREAD_EXIT,   /* actor: the thread that ended */
    K_EV_SWITCH,        /* actor: thread leaving the CPU (tid 0: idle) -> peer: thread taking it */
    K_EV_IPC_SEND,      /* actor: sender -> peer: receiver; see K_EV_ARG_* for IPC */
    K_EV_IPC_CALL,      /* as ipc.send; the sender now waits for the reply */
    K_EV_IPC_REPLY,     /* actor: server -> peer: caller; ep and badge are 0 */
    K_EV_IPC_WAIT,      /* actor blocks in IPC; a0 endpoint id, a1 k_wait_op_t */
    K_EV_SYSCALL_ERROR, /* actor's call was rejected; a0 call number, a1 error */
    K_EV_PRINT,         /* actor wrote to the debug console; text */
    K_EV_KERNEL_HALT,   /* the machine stops; a0 status, a1 reason */
    K_EV_IRQ,           /* an interrupt line fired while actor ran (tid 0: idle); a0 line, a1 vector */
    K_EV_PREEMPT,       /* actor lost the CPU before blocking; a0 k_preempt_t, a1 the IRQ line that did it */
    K_EV_EXCEPTION,     /* actor raised a CPU exception; a0 vector, a1 error code, a2 address (CR2) */
    K_EV_NOTIFY,        /* actor (tid 0: an interrupt) signalled -> peer: the thread it woke (or none);
                         * a0 notification id, a1 bits */
    K_EV_IO_UNCLAIMED,  /* actor (tid 0: the kernel) reached a port no device answers, the first
                         * time anyone did; a0 port, a1 size in bytes, a2 1 for out, 0 for in */
    K_EV_PAGEFAULT,     /* actor touched a page it may not (#PF); a0 address (CR2), a1 error code */
    K_EV_MAP,           /* actor -> peer: a thread of the task whose space changed (none: actor's own,
                         * or a task with no thread yet); a0 address, a1 pages, a2 rights, a3 frames id
                         * (0 for a map item), a4 the task's id, a5 a map item's address in the
                         * sender's space */
    K_EV_UNMAP,         /* as map; a0 address, a1 pages, a4 the task's id */
    K_EV_TASK_RESTART,  /* actor made a task replacing an ended one: a0 old task id, a1 new task id,
                         * a2 MS_RESTART_* reason, a3..a4 the name (16 bytes) */
    K_EV_NET_PACKET,    /* actor (a network daemon, by trace_net) sent a datagram: a0 source IPv4 address,
                         * a1 source port, a2 destination address, a3 destination port, a4 UDP payload
                         * bytes */
    K_EV_PROTECT,       /* as map, the rights of mapped pages changed; a0 address, a1 pages, a2 rights,
                         * a4 the task's id */
    K_EV_COUNT
} k_event_kind_t;

/* Layout of the arguments of the IPC events. */
enum {
    K_EV_ARG_EP = 0,    /* endpoint id */
    K_EV_ARG_BADGE = 1, /* badge of the sender's handle */
    K_EV_ARG_INFO = 2,  /* message info word (label, word count, payload, handle flag) */
    K_EV_ARG_HANDLE = 3,/* handle number given to the receiver, if one travelled */
    K_EV_ARG_WORDS = 4, /* message words, ms_info_words(info) of them */
};

/* What a thread in ipc.wait waits to do. */
typedef enum k_wait_op {
    K_WAIT_RECV, /* receive: no sender was queued */
    K_WAIT_SEND, /* send: no receiver was waiting */
    K_WAIT_CALL, /* call: no receiver was waiting */
    K_WAIT_OP_COUNT
} k_wait_op_t;

/* Why a thread was preempted. */
typedef enum k_preempt {
    K_PREEMPT_SLICE, /* its time slice ran out */
    K_PREEMPT_COUNT
} k_preempt_t;

/* Reasons carried by task.kill and kernel.halt. */
typedef enum k_reason {
    K_REASON_KILLED,    /* task.kill: a kill system call */
    K_REASON_DONE,      /* kernel.halt: every non-daemon task has ended */
    K_REASON_DEADLOCK,  /* kernel.halt: tasks wait and nothing can wake them */
    K_REASON_IDLE,      /* kernel.halt: only daemons are left, all waiting */
    K_REASON_EXCEPTION, /* task.kill: an exception nobody handled */
    K_REASON_COUNT
} k_reason_t;

#define K_EV_ARGS 12
#define K_EV_TEXT (K_EV_ARGS * 8)

/* One trace event. Names are copied so that an event stays readable after
 * its task is gone. A tid of 0 means "none" (for switch: the idle CPU). */
typedef struct k_trace_event {
    uint64_t time_ns;
    uint32_t actor_tid;
    uint32_t peer_tid;
    uint16_t kind;
    uint8_t cpu;
    uint8_t text_len; /* K_EV_PRINT: bytes of text used */
    uint32_t seq;     /* event number since boot, wraps at 2^32 */
    char actor[K_NAME_LEN];
    char peer[K_NAME_LEN];
    union {
        uint64_t a[K_EV_ARGS];
        char text[K_EV_TEXT];
    };
} k_trace_event_t;

/* The ring: the kernel writes at head; the platform reads from tail. When the
 * reader falls more than a ring behind, the oldest events are overwritten and
 * counted as lost. */
typedef struct k_trace_ring {
    uint64_t head;
    uint64_t tail;
    uint64_t lost;
    k_trace_event_t ev[K_TRACE_RING_EVENTS];
} k_trace_ring_t;

struct thread;

void trace_init(uint32_t mask_kinds);
k_trace_ring_t *trace_ring(void);

/* The kinds being recorded (bit per kind), as set by trace_init. */
extern uint32_t k_trace_mask;

/* Reserves the next event of kind, stamped with time, cpu, actor and peer
 * (either may be NULL), whatever the mask says. */
k_trace_event_t *trace_record(k_event_kind_t kind, const struct thread *actor, const struct thread *peer);

/* Whether kind is being recorded. */
static inline int trace_wants(k_event_kind_t kind)
{
    return (k_trace_mask >> kind) & 1u;
}

/* As trace_record, but returns NULL if kind is masked out. */
static inline k_trace_event_t *trace_begin(k_event_kind_t kind, const struct thread *actor,
                                           const struct thread *peer)
{
    return trace_wants(kind) ? trace_record(kind, actor, peer) : (k_trace_event_t *)0;
}

/* The platform's report of an access to a port nobody answers (the PC's bus
 * floats: reads are all ones), made by the CPU's current thread. */
void trace_io_unclaimed(uint16_t port, unsigned size, int write);

/* Consumer side: copies the oldest unread event into out; 0 if none. */
int trace_read(k_trace_ring_t *ring, k_trace_event_t *out);

/* The newest n events recorded, oldest first, whether read already or not
 * (for panic reports); nothing is consumed. Returns how many were copied. */
unsigned trace_last(const k_trace_ring_t *ring, k_trace_event_t *out, unsigned n);

/* Hands recorded events to the platform if there are any. */
void trace_drain(void);

#define K_TRACE_MASK_ALL ((1u << K_EV_COUNT) - 1u)
/* What stays on when tracing is off: prints and the halt (the run's output). */
#define K_TRACE_MASK_QUIET ((1u << K_EV_PRINT) | (1u << K_EV_KERNEL_HALT))

#endif
