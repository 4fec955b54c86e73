// Activations quantized once per matrix-vector product, so that every row's dot product runs on int8 (as
// llama.cpp's `vec_dot_type`): Q8_0 or Q8_1 blocks of 32 for the legacy quants, Q8_K-style blocks of 256 for the
// K-quants. Kept unpacked (values, scales and sums in separate arrays) rather than in ggml's byte layout: it is
// internal to a call and the inner loops read it more simply that way. The legacy blocks round exactly as ggml's
// x86 `quantize_row_q8_0` / `quantize_row_q8_1` do, so that our logits follow llama.cpp's to float noise.

/// How activations are quantized for one weight type: ggml's `vec_dot_type`.
enum ActivationFormat: Equatable {
    /// 32 values share an f16 scale (for q8_0, q4_0, q5_0 weights).
    case q8_0
    /// As q8_0, plus each block's sum times its scale stored as f16 (for q4_1, q5_1 weights, whose minimums it
    /// multiplies).
    case q8_1
    /// 256 values share a Float scale (for the K-quants).
    case q8_K

    /// Values that share a scale.
    var blockSize: Int { self == .q8_K ? 256 : 32 }

    /// The format a weight type's fast dot product expects (nil: it reads Float activations).
    init?(for type: TensorType) {
        switch type {
        case .f32, .f16, .bf16: return nil
        case .q8_0, .q4_0, .q5_0: self = .q8_0
        case .q4_1, .q5_1: self = .q8_1
        case .q4_K, .q6_K, .q8_K: self = .q8_K
        }
    }
}

/// A borrowed view of a quantized activation vector.
struct QuantizedActivations {
    /// The int8 values. // (cols)
    var values: UnsafeMutablePointer<Int8>
    /// One scale per block of `blockSize` values: x ≈ scale * value. // (cols / blockSize)
    var scales: UnsafeMutablePointer<Float>
    /// The sum of the int8 values of every 32 consecutive values. // (cols / 32)
    var sums: UnsafeMutablePointer<Int32>
    /// The same sums times their block's scale (the legacy quants' offset terms): `scale * sum` for q8_0, and
    /// for q8_1 the f16 rounding of the unrounded scale times the sum, as ggml stores it. // (cols / 32)
    var scaledSums: UnsafeMutablePointer<Float>
    /// (scale, scaled sum) of every block of 32, interleaved, for the legacy quants only (the AVX-512 q8_0 loop
    /// reads four blocks' pairs in one step). // (cols / 32, 2)
    var scaleSumPairs: UnsafeMutablePointer<Float>
    /// 32 for the legacy quants, 256 for the K-quants.
    var blockSize: Int

    /// The `index`-th of consecutive vectors of `cols` values quantized into one scratch (a batch of tokens).
    func vector(_ index: Int, cols: Int) -> QuantizedActivations {
        QuantizedActivations(
            values: values + index * cols, scales: scales + index * (cols / blockSize),
            sums: sums + index * (cols / 32), scaledSums: scaledSums + index * (cols / 32),
            scaleSumPairs: scaleSumPairs + index * 2 * (cols / 32), blockSize: blockSize)
    }
}

/// Quantizes `count` Floats with ggml's rule. Legacy blocks (q8_0, q8_1): amax / 127 is the scale, stored as f16;
/// each value is x * 127 / amax rounded to nearest even; q8_1's scaled sum is f16(unrounded scale * Σ values).
/// K-quant blocks keep a Float scale amax / 127 and round half away from zero.
func quantizeActivations(
    _ x: UnsafePointer<Float>, count: Int, format: ActivationFormat, into a: QuantizedActivations
) {
    let blockSize = a.blockSize
    precondition(blockSize == format.blockSize, "quantizeActivations: scratch blocks of \(blockSize) for \(format)")
    for b in 0..<(count / blockSize) {
        let v = x + b * blockSize
        var amax: Float = 0
        for j in 0..<blockSize { amax = max(amax, abs(v[j])) }
        let d = amax / 127
        let q = a.values + b * blockSize
        if format == .q8_K {
            let id: Float = d != 0 ? 1 / d : 0
            a.scales[b] = d
            for j in 0..<blockSize { q[j] = Int8((v[j] * id).rounded()) }
            for g in (8 * b)..<(8 * b + 8) {
                a.sums[g] = blockSum(a.values + 32 * g)
                a.scaledSums[g] = d * Float(a.sums[g])
            }
        } else {
            let id: Float = amax != 0 ? 127 / amax : 0
            let scale = floatFromHalf(halfFromFloat(d))
            for j in 0..<blockSize { q[j] = Int8((v[j] * id).rounded(.toNearestOrEven)) }
            let sum = blockSum(q)
            a.scales[b] = scale
            a.sums[b] = sum
            a.scaledSums[b] = format == .q8_1 ? floatFromHalf(halfFromFloat(d * Float(sum))) : scale * Float(sum)
            a.scaleSumPairs[2 * b] = scale
            a.scaleSumPairs[2 * b + 1] = a.scaledSums[b]
        }
    }
}

/// The sum of 32 int8 values.
@inline(__always)
private func blockSum(_ q: UnsafeMutablePointer<Int8>) -> Int32 {
    var sum: Int32 = 0
    for j in 0..<32 { sum &+= Int32(q[j]) }
    return sum
}

/// Runs `body` with scratch space for `count` quantized activations, on the stack when it is small.
func withActivationScratch<R>(
    count: Int, blockSize: Int, _ body: (QuantizedActivations) throws -> R
) rethrows -> R {
    try withUnsafeTemporaryAllocation(of: Int8.self, capacity: max(1, count)) { values in
        try withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, count / blockSize)) { scales in
            try withUnsafeTemporaryAllocation(of: Int32.self, capacity: max(1, count / 32)) { sums in
                try withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, count / 32)) { scaledSums in
                    try withUnsafeTemporaryAllocation(of: Float.self, capacity: max(2, 2 * (count / 32))) { pairs in
                        try body(
                            QuantizedActivations(
                                values: values.baseAddress!, scales: scales.baseAddress!, sums: sums.baseAddress!,
                                scaledSums: scaledSums.baseAddress!, scaleSumPairs: pairs.baseAddress!,
                                blockSize: blockSize))
                    }
                }
            }
        }
    }
}
