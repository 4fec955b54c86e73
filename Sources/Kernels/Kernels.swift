// Kernels: tensors and math shared by the recognizer and the language model.
//
// Usage:
//
//     let w = WeightMatrix(type: .q4_1, rows: 1536, cols: 576, data: bytes)  // bytes: (rows, rowByteCount)
//     x.withUnsafeBufferPointer { x in
//         y.withUnsafeMutableBufferPointer { y in matvec(w, x, y, threadCount: 2) }
//     }
//
// Every function is a pure computation over caller-owned buffers and may be called from any thread; the
// multithreaded ones (`matvec`, `matmul`, `sgemm`) open one parallel region of `threadCount` workers and return
// when it is done, so callers must not nest them inside their own parallel regions.
//
// Layout conventions (as ggml stores tensors): a matrix of `rows` rows and `cols` columns is `rows` contiguous rows
// of `cols` elements; `cols` is ggml's ne[0]. Quantized rows are `cols / blockElementCount` blocks laid end to end,
// byte for byte as in a GGUF file. Activations are Float, row-major, `(tokens, features)`.
import Foundation

/// The number of worker threads the multithreaded kernels use when the caller does not say.
public var defaultKernelThreadCount: Int { ProcessInfo.processInfo.activeProcessorCount }

/// Runs `body` over `count` items split into `threadCount` contiguous chunks, in one parallel region.
///
/// Chunks differ in size by at most one item; with one thread (or one item) `body` runs on the calling thread.
@inline(__always)
func parallelChunks(_ count: Int, threadCount: Int, _ body: (Range<Int>) -> Void) {
    let chunks = max(1, min(threadCount, count))
    if chunks == 1 {
        body(0..<count)
        return
    }
    // The kernels hand each worker raw pointers into disjoint output ranges; that is the safety argument Sendable
    // cannot express, so the body crosses into the workers in an unchecked box.
    withoutActuallyEscaping(body) { body in
        let box = UncheckedSendableBox(value: body)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let base = count / chunks
            let extra = count % chunks
            let start = chunk * base + min(chunk, extra)
            let end = start + base + (chunk < extra ? 1 : 0)
            box.value(start..<end)
        }
    }
}

/// A value handed to worker threads that the compiler cannot prove safe to share (raw pointers, closures over them).
struct UncheckedSendableBox<Value>: @unchecked Sendable {
    let value: Value
}
