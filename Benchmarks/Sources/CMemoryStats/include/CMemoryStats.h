#ifndef HOLLOW_BENCH_MEMORY_STATS_H
#define HOLLOW_BENCH_MEMORY_STATS_H

#include <stddef.h>

/// Bytes the C heap has handed out and not taken back (glibc's mallinfo2: uordblks + hblkhd, all
/// arenas); 0 where mallinfo2 is not available.
size_t hollow_bench_heap_in_use(void);

/// Returns free heap memory to the system where the allocator can (glibc's malloc_trim).
void hollow_bench_heap_trim(void);

#endif
