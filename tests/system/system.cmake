# System tests of the microsim binary (label system) and Valgrind runs (label valgrind).
