/// Somewhere bytes go: a file, standard output, a gzip stream, memory.
///
/// Writers hand a sink large chunks (see ``BufferedOutput``); a sink does no buffering of its
/// own beyond what its format needs. The one who opens a sink closes it: `close()` flushes
/// what the format still holds (a gzip trailer) and releases the file.
public protocol ByteSink: AnyObject {
    /// Writes all of `bytes`, or throws an ``OutputError``.
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Finishes the output; writing after `close()` is a programming error.
    func close() throws
}
