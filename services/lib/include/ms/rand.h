/* A small seeded random number generator for user programs (splitmix64). */
#ifndef MS_RAND_H
#define MS_RAND_H

#include <stdint.h>

/* The next number of the sequence *state walks; same seed, same sequence. */
static inline uint64_t ms_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

#endif
