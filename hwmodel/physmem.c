/* Simulated physical memory: one host memory file, seen whole by the simulator. */
#include <sys/mman.h>
#include <unistd.h>

#include "mmu.h"

int hw_physmem_init(hw_physmem_t *pm, uint64_t size)
{
    *pm = (hw_physmem_t){.fd = -1};
    int fd = memfd_create("microsim-ram", MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    if (ftruncate(fd, (off_t)size) != 0) {
        close(fd);
        return -1;
    }
    void *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) {
        close(fd);
        return -1;
    }
    *pm = (hw_physmem_t){.fd = fd, .map = map, .size = size};
    return 0;
}

void hw_physmem_fini(hw_physmem_t *pm)
{
    if (pm->map)
        munmap(pm->map, pm->size);
    if (pm->fd >= 0)
        close(pm->fd);
    *pm = (hw_physmem_t){.fd = -1};
}
