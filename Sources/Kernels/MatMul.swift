// Matrix-matrix products for prompt processing and the recognizer's encoder: single-precision GEMM through
// OpenBLAS, with a plain reference, and a batched product of a ggml weight matrix with many token vectors.
import CKernels
import COpenBLAS

/// C = A B or C = A Bᵀ (row-major) through OpenBLAS's `cblas_sgemm`.
///
/// The rows of A and C are split over the kernels' own thread pool, each piece one `cblas_sgemm` on one OpenBLAS
/// thread (OpenBLAS's thread count is set to 1). OpenBLAS's own workers never run: they spin on `sched_yield`
/// between calls, taking the cores from the pool's workers, and a fork() while one of them is busy hangs.
///
/// - Parameters:
///   - a: the left matrix. // (m, k)
///   - b: the right matrix. // (k, n), or (n, k) when `transposeB`
///   - c: the result; overwritten, or added to when `accumulate`. // (m, n)
public func sgemm(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
    m: Int, n: Int, k: Int, transposeB: Bool = false, accumulate: Bool = false,
    threadCount: Int = defaultKernelThreadCount
) {
    openblas_set_num_threads(1)
    let rowBlock = 16
    parallelChunks((m + rowBlock - 1) / rowBlock, threadCount: threadCount) { blocks in
        let first = blocks.lowerBound * rowBlock
        let rows = min(m, blocks.upperBound * rowBlock) - first
        blasSgemm(
            a + first * k, lda: k, b, ldb: transposeB ? k : n, c + first * n, ldc: n, m: rows, n: n, k: k,
            transposeB: transposeB, accumulate: accumulate)
    }
}

/// The plain reference for `sgemm`: three loops, sums in Double.
public func sgemmReference(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
    m: Int, n: Int, k: Int, transposeB: Bool = false, accumulate: Bool = false
) {
    for i in 0..<m {
        for j in 0..<n {
            var sum: Double = 0
            for p in 0..<k {
                let bValue = transposeB ? b[j * k + p] : b[p * n + j]
                sum += Double(a[i * k + p]) * Double(bValue)
            }
            c[i * n + j] = Float(sum) + (accumulate ? c[i * n + j] : 0)
        }
    }
}

/// `cblas_sgemm` row-major with explicit leading dimensions, on whatever thread count OpenBLAS is set to.
@inline(__always)
func blasSgemm(
    _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int, _ c: UnsafeMutablePointer<Float>,
    ldc: Int, m: Int, n: Int, k: Int, transposeB: Bool, accumulate: Bool
) {
    cblas_sgemm(
        CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans, blasint(m), blasint(n), blasint(k), 1,
        a, blasint(lda), b, blasint(ldb), accumulate ? 1 : 0, c, blasint(ldc))
}

/// How many weight rows `matmul` dequantizes at a time: 64 rows of 1536 Floats is 384 KiB, about an L2 cache.
let matmulTileRows = 64

/// Weight rows a worker of the quantized `matmul` takes at a time: they stay in L1 while every token reads them.
let matmulQuantizedTileRows = 16

/// Y = X Wᵀ for a batch of token vectors: each row of Y is `matvec(W, row of X)`.
///
/// Quantized weights run as llama.cpp runs them, so that a prompt's logits follow llama.cpp's: every token's vector
/// is quantized once to int8 (ggml's `vec_dot_type`), then each worker takes tiles of 16 weight rows and their
/// int8 dot products with every token; each row of Y equals `matvec` on that token exactly. Float weights (f32, f16,
/// bf16) below four tokens run one `matvec` per token; otherwise each worker dequantizes tiles of 64 weight rows to
/// Float and multiplies them with all tokens at once through `cblas_sgemm` on one OpenBLAS thread, so the only
/// parallel region is this function's own (OpenBLAS's thread count is left at 1).
///
/// - Parameters:
///   - w: the weights. // (rows, cols)
///   - x: the token vectors. // (tokens, cols)
///   - y: the outputs. // (tokens, rows)
public func matmul(
    _ w: WeightMatrix, _ x: UnsafeBufferPointer<Float>, _ y: UnsafeMutableBufferPointer<Float>, tokens: Int,
    threadCount: Int = defaultKernelThreadCount
) {
    precondition(x.count >= tokens * w.cols && y.count >= tokens * w.rows, "matmul: buffers too small for \(tokens)")
    if let format = ActivationFormat(for: w.type) {
        matmulQuantized(w, x, y, tokens: tokens, format: format, threadCount: threadCount, kernel: bestDotKernel)
        return
    }
    if tokens < 4 {
        for t in 0..<tokens {
            matvec(
                w, UnsafeBufferPointer(rebasing: x[(t * w.cols)..<((t + 1) * w.cols)]),
                UnsafeMutableBufferPointer(rebasing: y[(t * w.rows)..<((t + 1) * w.rows)]), threadCount: threadCount)
        }
        return
    }
    let xs = x.baseAddress!
    let ys = y.baseAddress!
    let tileCount = (w.rows + matmulTileRows - 1) / matmulTileRows
    openblas_set_num_threads(1)
    parallelChunks(tileCount, threadCount: threadCount) { tiles in
        let tile = UnsafeMutablePointer<Float>.allocate(capacity: w.type == .f32 ? 1 : matmulTileRows * w.cols)
        defer { tile.deallocate() }  // (matmulTileRows, cols)
        for t in tiles {
            let first = t * matmulTileRows
            let count = min(matmulTileRows, w.rows - first)
            var weights = UnsafePointer<Float>(OpaquePointer(w.row(first)))
            if w.type != .f32 {
                dequantizeRows(w, first..<(first + count), into: tile)
                weights = UnsafePointer(tile)
            }
            blasSgemm(
                xs, lda: w.cols, weights, ldb: w.cols, ys + first, ldc: w.rows, m: tokens, n: count, k: w.cols,
                transposeB: true, accumulate: false)
        }
    }
}

/// Rows `rows` of `w` as Floats, one after another in `output`: f16 (Whisper's weights) through the CPU's
/// conversion instruction where it has one, which `matmul` needs for every tile of every call; other types through
/// `dequantizeRow`.
func dequantizeRows(_ w: WeightMatrix, _ rows: Range<Int>, into output: UnsafeMutablePointer<Float>) {
    if w.type == .f16 && bestDotKernel.hasAVX2 {
        // f16 rows have no block headers, so consecutive rows are one run of halves.
        ck_halves_to_floats_avx2(w.row(rows.lowerBound), output, Int32(rows.count * w.cols))
        return
    }
    for (index, r) in rows.enumerated() {
        dequantizeRow(w.type, w.row(r), count: w.cols, into: output + index * w.cols)
    }
}

/// The quantized `matmul`, with the dot-product code chosen by the caller (tests compare it with `matvec`).
func matmulQuantized(
    _ w: WeightMatrix, _ x: UnsafeBufferPointer<Float>, _ y: UnsafeMutableBufferPointer<Float>, tokens: Int,
    format: ActivationFormat, threadCount: Int, kernel: DotKernel
) {
    let (cols, rows) = (w.cols, w.rows)
    let xs = x.baseAddress!
    let ys = y.baseAddress!
    withActivationScratch(count: tokens * cols, blockSize: format.blockSize) { all in
        // (tokens, cols) quantized
        parallelChunks(tokens, threadCount: tokens * cols >= 16_384 ? threadCount : 1) { range in
            for t in range {
                quantizeActivations(xs + t * cols, count: cols, format: format, into: all.vector(t, cols: cols))
            }
        }
        let tileCount = (rows + matmulQuantizedTileRows - 1) / matmulQuantizedTileRows
        parallelChunks(tileCount, threadCount: threadCount) { tiles in
            for tile in tiles {
                let tileRows = (tile * matmulQuantizedTileRows)..<min(rows, (tile + 1) * matmulQuantizedTileRows)
                var firstToken = 0
                if kernel == .avx512, w.type == .q4_1, tileRows.count % 4 == 0 {
                    firstToken = matmulQ4_1Tiles4x4(w, all, ys, rows: tileRows, tokens: tokens)
                }
                for t in firstToken..<tokens {
                    let a = all.vector(t, cols: cols)
                    if kernel.hasAVX2, matvecRowsAVX2(w, a, ys + t * rows, tileRows, kernel) { continue }
                    matvecQuantizedRows(w, a, ys + t * rows, tileRows)
                }
            }
        }
    }
}

/// Rows `tileRows` (a multiple of 4) of Y = X Wᵀ for the tokens in whole groups of four, four rows by four tokens a
/// step through CKernels' AVX-512 tile (each product equal to `matvec`'s bit for bit); returns the first token left.
private func matmulQ4_1Tiles4x4(
    _ w: WeightMatrix, _ all: QuantizedActivations, _ y: UnsafeMutablePointer<Float>, rows tileRows: Range<Int>,
    tokens: Int
) -> Int {
    let blocks = w.cols / 32
    let wholeTokens = tokens / 4 * 4
    for t in stride(from: 0, to: wholeTokens, by: 4) {
        let a = all.vector(t, cols: w.cols)
        for r in stride(from: tileRows.lowerBound, to: tileRows.upperBound, by: 4) {
            ck_q4_1_tile4x4_avx512(
                w.row(r), w.rowByteCount, a.values, a.scales, a.scaledSums, Int32(w.cols), Int32(blocks),
                y + t * w.rows + r, Int32(w.rows))
        }
    }
    return wholeTokens
}

/// The plain reference for `matmul`: `matvecReference` for every token.
public func matmulReference(
    _ w: WeightMatrix, _ x: UnsafeBufferPointer<Float>, _ y: UnsafeMutableBufferPointer<Float>, tokens: Int
) {
    for t in 0..<tokens {
        matvecReference(
            w, UnsafeBufferPointer(rebasing: x[(t * w.cols)..<((t + 1) * w.cols)]),
            UnsafeMutableBufferPointer(rebasing: y[(t * w.rows)..<((t + 1) * w.rows)]))
    }
}
