/* The message labels the trace prints by name: the services' protocols. */
#ifndef K_TRACE_LABELS_H
#define K_TRACE_LABELS_H

/*
 * Mirrors the protocol headers services/lib/include/ms/<service>.h, which
 * the kernel cannot include: one line per label, X(SYMBOL, value, "name"),
 * the name being the symbol in lower case with its first '_' as a '.'
 * (FS_OPEN is fs.open). trace_format.c prints a message whose label is here
 * as label=NAME, any other label as a number. unit.trace_format checks every
 * line against the header's #define (SYMBOL must equal value) and that every
 * label in those headers has its line here, so a new operation or a new
 * protocol is one line below (plus the header's #include in
 * tests/unit/test_trace_format.c for a new header).
 */
#define TRACE_PROTOCOL_LABELS(X)                                                                                       \
    X(NAMES_REGISTER, 0x6e610001u, "names.register")                                                                   \
    X(NAMES_LOOKUP, 0x6e610002u, "names.lookup")                                                                       \
    X(NAMES_UNREGISTER, 0x6e610003u, "names.unregister")                                                               \
    X(NAMES_FORGET, 0x6e610004u, "names.forget")                                                                       \
    X(PROCMAN_SPAWN, 0x70720001u, "procman.spawn")                                                                     \
    X(PROCMAN_WAIT, 0x70720002u, "procman.wait")                                                                       \
    X(PROCMAN_KILL, 0x70720003u, "procman.kill")                                                                       \
    X(PROCMAN_LIST, 0x70720004u, "procman.list")                                                                       \
    X(PROCMAN_EXITED, 0x70720005u, "procman.exited")                                                                   \
    X(PROCMAN_GIVE, 0x70720006u, "procman.give")                                                                       \
    X(PROCMAN_RUN, 0x70720007u, "procman.run")                                                                         \
    X(PROCMAN_REFRESH, 0x70720008u, "procman.refresh")                                                                 \
    X(PROCMAN_STATUS, 0x70720009u, "procman.status")                                                                   \
    X(CONSOLE_WRITE, 0x636f0001u, "console.write")                                                                     \
    X(CONSOLE_READ, 0x636f0002u, "console.read")                                                                       \
    X(CONSOLE_INPUT, 0x636f0003u, "console.input")                                                                     \
    X(TIMER_SLEEP, 0x746d0001u, "timer.sleep")                                                                         \
    X(TIMER_ALARM, 0x746d0002u, "timer.alarm")                                                                         \
    X(TIMER_WOKEN, 0x746d0003u, "timer.woken")                                                                         \
    X(FS_OPEN, 0x66730001u, "fs.open")                                                                                 \
    X(FS_READ, 0x66730002u, "fs.read")                                                                                 \
    X(FS_WRITE, 0x66730003u, "fs.write")                                                                               \
    X(FS_SEEK, 0x66730004u, "fs.seek")                                                                                 \
    X(FS_CLOSE, 0x66730005u, "fs.close")                                                                               \
    X(FS_STAT, 0x66730006u, "fs.stat")                                                                                 \
    X(FS_MKDIR, 0x66730007u, "fs.mkdir")                                                                               \
    X(FS_READDIR, 0x66730008u, "fs.readdir")                                                                           \
    X(FS_UNLINK, 0x66730009u, "fs.unlink")                                                                             \
    X(FS_RENAME, 0x6673000au, "fs.rename")                                                                             \
    X(FS_PREAD, 0x6673000bu, "fs.pread")                                                                               \
    X(FS_PWRITE, 0x6673000cu, "fs.pwrite")                                                                             \
    X(PAGER_ALLOC, 0x9a6e0001u, "pager.alloc")                                                                         \
    X(PAGER_FORK, 0x9a6e0002u, "pager.fork")                                                                           \
    X(NET_BIND, 0x6e740001u, "net.bind")                                                                               \
    X(NET_SENDTO, 0x6e740002u, "net.sendto")                                                                           \
    X(NET_RECVFROM, 0x6e740003u, "net.recvfrom")                                                                       \
    X(NET_CLOSE, 0x6e740004u, "net.close")                                                                             \
    X(NET_STATS, 0x6e740005u, "net.stats")                                                                             \
    X(NET_FRAME, 0x6e740006u, "net.frame")

#endif
