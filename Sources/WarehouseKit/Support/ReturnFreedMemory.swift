internal import CMalloc

/// Gives memory that was freed back to the system. glibc keeps freed heap pages for reuse, so a
/// step's transient buffers would otherwise still count in the process's resident size while the
/// next steps allocate their own.
enum ReturnFreedMemory {
    static func now() {
        wh_return_freed_memory()
    }
}
