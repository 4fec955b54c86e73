// Matrix-vector products y = W x, W in ggml's layout (rows of `cols` values), x and y Float.
import CKernels

/// Which code computes the fast paths' innermost dot products.
enum DotKernel: String, Sendable {
    /// The Swift loops of DotProducts.swift: every type, any CPU (vectorized by the compiler where it can).
    case swift
    /// CKernels' AVX2 intrinsics for q8_0, q4_0, q4_1, q4_K, q6_K and f16 (the Swift loops for the others).
    case avx2
}

/// The dot-product code this CPU runs best, chosen once at run time.
let bestDotKernel: DotKernel = ck_cpu_has_avx2() != 0 ? .avx2 : .swift

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
    guard let blockSize = activationBlockSize(for: w.type) else {
        parallelChunks(w.rows, threadCount: threadCount) { rows in
            if kernel == .avx2, w.type == .f16 {
                for r in rows { ys[r] = ck_dot_f16_avx2(w.row(r), xs, Int32(w.cols)) }
                return
            }
            matvecFloatRows(w, xs, ys, rows)
        }
        return
    }
    withActivationScratch(count: w.cols, blockSize: blockSize) { a in
        quantizeActivations(xs, count: w.cols, into: a)
        parallelChunks(w.rows, threadCount: threadCount) { rows in
            if kernel == .avx2, matvecRowsAVX2(w, a, ys, rows) { return }
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
    case .f32: for r in rows { y[r] = dotF32(w.row(r), x, cols) }
    case .f16: for r in rows { y[r] = dotF16(w.row(r), x, cols) }
    case .bf16: for r in rows { y[r] = dotBF16(w.row(r), x, cols) }
    default: preconditionFailure("\(w.type) is quantized")
    }
}

/// Rows `rows` of y = W x for quantized weights against quantized activations. The switch sits outside the row
/// loop so that each loop is specialized for one type.
private func matvecQuantizedRows(
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

/// Rows `rows` of y = W x through CKernels' AVX2 dot products; false (nothing done) for types it lacks.
private func matvecRowsAVX2(
    _ w: WeightMatrix, _ a: QuantizedActivations, _ y: UnsafeMutablePointer<Float>, _ rows: Range<Int>
) -> Bool {
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
