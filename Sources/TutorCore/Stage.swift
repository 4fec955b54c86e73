/// A pipeline stage: a small synchronous state machine that a test can drive on one thread.
///
/// No threads or I/O inside a stage; Pipeline moves data between stages and owns the threads.
public protocol Stage<Input, Output> {
    associatedtype Input
    associatedtype Output
    /// Consumes one input and appends whatever outputs are ready.
    mutating func process(_ input: Input, into output: inout [Output]) throws
    /// Emits whatever is still held at the end of the input.
    mutating func flush(into output: inout [Output]) throws
    /// Forgets everything held (barge-in, a new question).
    mutating func reset()
}

extension Stage {
    public mutating func flush(into output: inout [Output]) throws {}
}
