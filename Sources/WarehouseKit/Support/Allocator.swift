internal import CMalloc

/// What the loads ask of glibc's allocator, which Swift's Glibc module does not export.
public enum Allocator {
    /// Gives memory that was freed back to the system. glibc keeps freed heap pages for reuse, so
    /// a step's transient buffers would otherwise still count in the process's resident size while
    /// the next steps allocate their own.
    static func returnFreedMemory() {
        wh_return_freed_memory()
    }

    /// Makes every thread allocate from one heap (glibc's arenas), for a process that loads: call it
    /// before any thread but the main one starts.
    ///
    /// Why: glibc gives each new thread a heap of its own, and memory one thread frees there serves
    /// only the threads of that heap. A load's worker threads (reading, keying, the day lists)
    /// allocate megabytes that the load's own thread then cannot reuse, and at 5M orders a
    /// snapshot's peak was 150 MiB with them against 140 MiB in one heap. The threads allocate
    /// little per row, so sharing the heap's lock costs nothing measurable.
    public static func useOneHeapForAllThreads() {
        wh_use_one_malloc_arena()
    }
}
