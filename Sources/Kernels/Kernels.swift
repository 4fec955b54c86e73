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
// multithreaded ones (`matvec`, `matmul`, `attention`) run on one shared pool of spinning workers (one per core
// beside the caller) and return when done; a call arriving while the pool is busy runs on libdispatch instead of
// waiting. `sgemm` splits its rows over the same pool, one OpenBLAS thread per piece.
//
// Quantized matrix-vector products quantize x to int8 once per call (blocks of 32 as ggml's Q8_0, of 256 as Q8_K
// for the K-quants), as llama.cpp does: expect about 1e-2 relative error against the Float references. Their
// innermost loops are CKernels' AVX2 intrinsics where the CPU has AVX2 (chosen once at run time; q4_1 and q8_0 use
// AVX-512 VNNI where the CPU has it), otherwise the Swift loops of DotProducts.swift (the portable path, ARM
// included; fast in builds with `-target-cpu native`).
//
// Layout conventions (as ggml stores tensors): a matrix of `rows` rows and `cols` columns is `rows` contiguous rows
// of `cols` elements; `cols` is ggml's ne[0]. Quantized rows are `cols / blockElementCount` blocks laid end to end,
// byte for byte as in a GGUF file. Activations are Float, row-major, `(tokens, features)`.
import Foundation

/// The number of worker threads the multithreaded kernels use when the caller does not say.
public var defaultKernelThreadCount: Int { ProcessInfo.processInfo.activeProcessorCount }

/// Runs `body` over `count` items split into contiguous chunks on at most `threadCount` threads, in one parallel
/// region.
///
/// There are four chunks per thread, claimed one at a time, so that a thread the scheduler delays does not hold
/// the others up; chunks differ in size by at most one item. With one thread (or one item) `body` runs on the calling
/// thread. The chunks run on `KernelThreadPool.shared` (at most one thread per core, however many are asked for).
@inline(__always)
public func parallelChunks(_ count: Int, threadCount: Int, _ body: (Range<Int>) -> Void) {
    let chunks = max(1, min(4 * threadCount, count))
    if threadCount <= 1 || chunks == 1 {
        body(0..<count)
        return
    }
    KernelThreadPool.shared.run(chunks: chunks, threadCount: threadCount) { chunk in
        let base = count / chunks
        let extra = count % chunks
        let start = chunk * base + min(chunk, extra)
        body(start..<(start + base + (chunk < extra ? 1 : 0)))
    }
}

/// A value handed to worker threads that the compiler cannot prove safe to share (raw pointers, closures over them).
struct UncheckedSendableBox<Value>: @unchecked Sendable {
    let value: Value
}
