/* Compile-time limits of the kernel's statically allocated object pools. */
#ifndef K_CONFIG_H
#define K_CONFIG_H

#define K_MAX_THREADS 256
#define K_MAX_TASKS 64
#define K_MAX_ENDPOINTS 256
#define K_MAX_NOTIFICATIONS 64
#define K_NAME_LEN 16          /* task names, NUL included */
#define K_TRACE_RING_EVENTS 4096 /* a power of two */

#endif
