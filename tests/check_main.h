/* The main() of every libcheck test program: run the suite, exit 1 on any failure. */
#ifndef TEST_CHECK_MAIN_H
#define TEST_CHECK_MAIN_H

#include <check.h>

/* Each test file ends with CHECK_MAIN(make_suite). CK_ENV honours
 * CK_VERBOSITY; CK_RUN_CASE and CK_FORK=no (for gdb) work as usual. */
#define CHECK_MAIN(make_suite)                                                                                        \
    int main(void)                                                                                                    \
    {                                                                                                                 \
        SRunner *runner = srunner_create(make_suite());                                                               \
        srunner_run_all(runner, CK_ENV);                                                                              \
        int failed = srunner_ntests_failed(runner);                                                                   \
        srunner_free(runner);                                                                                         \
        return failed ? 1 : 0;                                                                                        \
    }

#endif
