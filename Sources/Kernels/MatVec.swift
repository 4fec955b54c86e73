// Matrix-vector products y = W x, W in ggml's layout (rows of `cols` values), x and y Float.
import CKernels

/// Which code computes the fast paths' innermost dot products.
enum DotKernel: String, Sendable {
    /// The Swift loops of DotProducts.swift: every type, any CPU (vectorized by the compiler where it can).
    case swift
    /// CKernels' AVX2 intrinsics for q8_0, q4_0, q4_1, q4_K, q6_K and f16 (the Swift loops for the others).
    case avx2
    /// `avx2`, with q8_0 (SmolLM2's output head) four blocks per AVX-512 VNNI step, and q4_1 (SmolLM2's type) four
    /// rows per pass, each in the AVX2 loop's order (ggml's), so that its results round onward as llama.cpp's do.
    case avx512

    /// Whether the CKernels' AVX2 functions may run (true for `avx512` too).
    var hasAVX2: Bool { self != .swift }
}

/// The dot-product code this CPU runs best, chosen once at run time.
let bestDotKernel: DotKernel =
    ck_cpu_has_avx512_vnni() != 0 ? .avx512 : ck_cpu_has_avx2() != 0 ? .avx2 : .swift

/// The plain reference: dequantize each row to Floats and take the dot product in Double.
///
/// - Parameters:
///   - w: the weights. // (rows, cols)
///   - x: the input. // (cols)
///   - y: the output. // (rows)
public func matvecReference(_ w: WeightMatrix, _ x: UnsafeBufferPointer<Float>, _ y: UnsafeMutableBufferPointer<Float>)
{
    precondition(x.count >= w.cols && y.count >= w.rows, "matvec: x needs \(w.cols) values, y \(w.rows)")
    var rowValues = [Float](repeating: 0, count: w.cols)  // (cols)
    rowValues.withUnsafeMutableBufferPointer { rowValues in
        for r in 0..<w.rows {
            dequantizeRow(w.type, w.row(r), count: w.cols, into: rowValues.baseAddress!)
            var sum: Double = 0
            for c in 0..<w.cols { sum += Double(rowValues[c]) * Double(x[c]) }
            y[r] = Float(sum)
        }
    }
}

/// The fast path: y = W x on `threadCount` threads, each taking a contiguous range of rows.
///
/// For quantized weights x is first quantized to int8 (blocks of 32, or 256 for K-quants) once per call, then each
/// row is an integer dot product per block; expect a relative error around 1e-2 against `matvecReference`. Float
/// weights (f32, f16, bf16) read x as is. Allocates nothing on the heap for rows up to a few thousand values.
///
/// - Parameters:
///   - w: the weights. // (rows, cols)
///   - x: the input. // (cols)
///   - y: the output. // (rows)
///   - threadCount: the workers of the one parallel region; 1 runs on the calling thread.
public func matvec(
    _ w: WeightMatrix, _ x: UnsafeBufferPointer<Float>, _ y: UnsafeMutableBufferPointer<Float>,
    threadCount: Int = defaultKernelThreadCount
) {
    matvec(w, x, y, threadCount: threadCount, kernel: bestDotKernel)
}

/// `matvec` with the dot-product code chosen by the caller (tests compare both with the reference).
func matvec(
    _ w: WeightMatrix, _ x: UnsafeBufferPointer<Float>, _ y: UnsafeMutableBufferPointer<Float>, threadCount: Int,
    kernel: DotKernel
) {
    precondition(x.count >= w.cols && y.count >= w.rows, "matvec: x needs \(w.cols) values, y \(w.rows)")
    let xs = x.baseAddress!
    let ys = y.baseAddress!
    guard let format = ActivationFormat(for: w.type) else {
        parallelChunks(w.rows, threadCount: threadCount) { rows in
            if kernel.hasAVX2, w.type == .f16 {
                for r in rows { ys[r] = ck_dot_f16_avx2(w.row(r), xs, Int32(w.cols)) }
                return
            }
            matvecFloatRows(w, xs, ys, rows)
        }
        return
    }
    withActivationScratch(count: w.cols, blockSize: format.blockSize) { a in
        quantizeActivations(xs, count: w.cols, format: format, into: a)
        parallelChunks(w.rows, threadCount: threadCount) { rows in
            if kernel.hasAVX2, matvecRowsAVX2(w, a, ys, rows, kernel) { return }
            matvecQuantizedRows(w, a, ys, rows)
        }
    }
}

/// Rows `rows` of y = W x for Float-like weights.
private func matvecFloatRows(
    _ w: WeightMatrix, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ rows: Range<Int>
) {
    let cols = w.cols
    switch w.type {
    case .f32: for r in rows { y[r] = dotF32RoundingAsLlamaCpp(w.row(r), x, cols) }
    case .f16: for r in rows { y[r] = dotF16(w.row(r), x, cols) }
    case .bf16: for r in rows { y[r] = dotBF16(w.row(r), x, cols) }
    default: preconditionFailure("\(w.type) is quantized")
    }
}

/// Rows `rows` of y = W x for quantized weights against quantized activations. The switch sits outside the row
/// loop so that each loop is specialized for one type.
func matvecQuantizedRows(
    _ w: WeightMatrix, _ a: QuantizedActivations, _ y: UnsafeMutablePointer<Float>, _ rows: Range<Int>
) {
    let cols = w.cols
    switch w.type {
    case .q8_0: for r in rows { y[r] = dotQ8_0(w.row(r), a, cols) }
    case .q4_0: for r in rows { y[r] = dotQ4_0(w.row(r), a, cols) }
    case .q4_1: for r in rows { y[r] = dotQ4_1(w.row(r), a, cols) }
    case .q5_0: for r in rows { y[r] = dotQ5_0(w.row(r), a, cols) }
    case .q5_1: for r in rows { y[r] = dotQ5_1(w.row(r), a, cols) }
    case .q4_K: for r in rows { y[r] = dotQ4_K(w.row(r), a, cols) }
    case .q6_K: for r in rows { y[r] = dotQ6_K(w.row(r), a, cols) }
    case .q8_K: for r in rows { y[r] = dotQ8_K(w.row(r), a, cols) }
    default: preconditionFailure("\(w.type) is not quantized")
    }
}

/// Rows `rows` of y = W x through CKernels' AVX2 (and for q4_1, q8_0 with `.avx512`, AVX-512) dot products; false
/// (nothing done) for types it lacks.
func matvecRowsAVX2(
    _ w: WeightMatrix, _ a: QuantizedActivations, _ y: UnsafeMutablePointer<Float>, _ rows: Range<Int>,
    _ kernel: DotKernel
) -> Bool {
    if kernel == .avx512, w.type == .q4_1 {
        let blocks = Int32(w.cols / 32)
        var r = rows.lowerBound
        while r + 3 < rows.upperBound {
            ck_dot_q4_1_rows4_avx512(w.row(r), w.rowByteCount, a.values, a.scales, a.scaledSums, blocks, y + r)
            r += 4
        }
        while r + 1 < rows.upperBound {
            ck_dot_q4_1_rows2_avx512(w.row(r), w.row(r + 1), a.values, a.scales, a.scaledSums, blocks, y + r)
            r += 2
        }
        if r < rows.upperBound { y[r] = ck_dot_q4_1_avx2(w.row(r), a.values, a.scales, a.scaledSums, blocks) }
        return true
    }
    if kernel == .avx512, w.type == .q8_0 {
        let blocks = Int32(w.cols / 32)
        for r in rows { y[r] = ck_dot_q8_0_avx512(w.row(r), a.values, a.scaleSumPairs, blocks) }
        return true
    }
    let blocks = Int32(w.cols / 32)
    let superBlocks = Int32(w.cols / 256)
    switch w.type {
    case .q8_0: for r in rows { y[r] = ck_dot_q8_0_avx2(w.row(r), a.values, a.scales, blocks) }
    case .q4_0: for r in rows { y[r] = ck_dot_q4_0_avx2(w.row(r), a.values, a.scales, a.scaledSums, blocks) }
    case .q4_1: for r in rows { y[r] = ck_dot_q4_1_avx2(w.row(r), a.values, a.scales, a.scaledSums, blocks) }
    case .q4_K: for r in rows { y[r] = ck_dot_q4_K_avx2(w.row(r), a.values, a.scales, a.sums, superBlocks) }
    case .q6_K: for r in rows { y[r] = ck_dot_q6_K_avx2(w.row(r), a.values, a.scales, superBlocks) }
    default: return false
    }
    return true
}

/// One product of a group that shares its input: y = W x.
public struct MatVecProduct {
    /// The weights. // (rows, cols)
    public var weights: WeightMatrix
    /// The output. // (rows)
    public var output: UnsafeMutableBufferPointer<Float>

    public init(_ weights: WeightMatrix, _ output: UnsafeMutableBufferPointer<Float>) {
        self.weights = weights
        self.output = output
    }
}

/// y_i = W_i x for several matrices that read the same x (q, k and v; gate and up), in one parallel region.
///
/// Each parallel region costs a round trip through the thread pool (publish, claim, wait), which at a few hundred
/// regions per decoded token is a visible share of it; one region for the group, with x quantized once, saves that.
/// Rows of all the matrices are split into chunks as if they were one matrix. Matrices whose width or activation
/// format differ from the first's are run one at a time instead. Results equal `matvec` on each matrix exactly.
public func matvec(
    _ products: [MatVecProduct], _ x: UnsafeBufferPointer<Float>, threadCount: Int = defaultKernelThreadCount
) {
    matvec(products, x, threadCount: threadCount, kernel: bestDotKernel)
}

/// The grouped `matvec` with the dot-product code chosen by the caller.
func matvec(_ products: [MatVecProduct], _ x: UnsafeBufferPointer<Float>, threadCount: Int, kernel: DotKernel) {
    guard let first = products.first?.weights else { return }
    let format = ActivationFormat(for: first.type)
    let shareInput = products.allSatisfy {
        $0.weights.cols == first.cols && ActivationFormat(for: $0.weights.type) == format
    }
    guard shareInput, products.count > 1 else {
        for p in products { matvec(p.weights, x, p.output, threadCount: threadCount, kernel: kernel) }
        return
    }
    for p in products {
        precondition(x.count >= p.weights.cols && p.output.count >= p.weights.rows, "matvec: x or y too short")
    }
    let xs = x.baseAddress!
    let totalRows = products.reduce(0) { $0 + $1.weights.rows }
    // Runs `body(product, its rows)` for the pieces of the group's rows `rows`.
    func forEachPiece(_ rows: Range<Int>, _ body: (MatVecProduct, Range<Int>) -> Void) {
        var base = 0
        for p in products {
            let lower = max(rows.lowerBound, base) - base
            let upper = min(rows.upperBound, base + p.weights.rows) - base
            if lower < upper { body(p, lower..<upper) }
            base += p.weights.rows
        }
    }
    guard let format else {
        parallelChunks(totalRows, threadCount: threadCount) { rows in
            forEachPiece(rows) { p, rows in
                let ys = p.output.baseAddress!
                if kernel.hasAVX2, p.weights.type == .f16 {
                    for r in rows { ys[r] = ck_dot_f16_avx2(p.weights.row(r), xs, Int32(p.weights.cols)) }
                } else {
                    matvecFloatRows(p.weights, xs, ys, rows)
                }
            }
        }
        return
    }
    withActivationScratch(count: first.cols, blockSize: format.blockSize) { a in
        quantizeActivations(xs, count: first.cols, format: format, into: a)
        parallelChunks(totalRows, threadCount: threadCount) { rows in
            forEachPiece(rows) { p, rows in
                let ys = p.output.baseAddress!
                if kernel.hasAVX2, matvecRowsAVX2(p.weights, a, ys, rows, kernel) { return }
                matvecQuantizedRows(p.weights, a, ys, rows)
            }
        }
    }
}
