/* demo: the protocol of its server, and its programs. */
#ifndef DEMO_H
#define DEMO_H

#include "ms_manifest.h"

enum demo_label {
    DEMO_ADD = 1,   /* w0..wn-1: numbers; reply w0 = their sum */
    DEMO_UPPER = 2, /* payload: text; reply payload: the text in upper case */
    DEMO_STATS = 3, /* reply w0 = calls from badge 1, w1 = calls from badge 2 */
    DEMO_ERROR = 99, /* reply only: w0 = the MS_E_* code for a bad request */
};

/* Handle numbers the demo's tasks start with. */
#define DEMO_H_SERVICE 1 /* init and server: the service endpoint */
#define DEMO_H_BOOT 1    /* clients: where init sends them their service handle */
#define DEMO_H_HI_BOOT 2 /* init: the clients' boot endpoints */
#define DEMO_H_LO_BOOT 3

ms_entry_fn demo_init;
ms_entry_fn demo_server;
ms_entry_fn demo_client;

#endif
