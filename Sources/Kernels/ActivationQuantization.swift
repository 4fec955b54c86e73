// Activations quantized once per matrix-vector product, so that every row's dot product runs on int8 (as
// llama.cpp's `vec_dot_type`): Q8_0-style blocks of 32 for q8_0/q4_0/q4_1/q5_0/q5_1 weights, Q8_K-style blocks of
// 256 for the K-quants. Kept unpacked (values, scales and sums in separate arrays) rather than in ggml's byte layout:
// it is internal to a call and the inner loops read it more simply that way.

/// A borrowed view of a quantized activation vector.
struct QuantizedActivations {
    /// The int8 values. // (cols)
    var values: UnsafeMutablePointer<Int8>
    /// One scale per block of `blockSize` values: x ≈ scale * value. // (cols / blockSize)
    var scales: UnsafeMutablePointer<Float>
    /// The sum of the int8 values of every 32 consecutive values. // (cols / 32)
    var sums: UnsafeMutablePointer<Int32>
    /// The same sums times their block's scale, as Floats (the legacy quants' offset terms). // (cols / 32)
    var scaledSums: UnsafeMutablePointer<Float>
    /// (scale, scaled sum) of every block of 32, interleaved, for the legacy quants only (the AVX-512 q4_1 loop
    /// multiplies four blocks' f16 (d, m) pairs by them in one step). // (cols / 32, 2)
    var scaleSumPairs: UnsafeMutablePointer<Float>
    /// 32 for the legacy quants, 256 for the K-quants.
    var blockSize: Int
}

/// The activation block size a weight type's fast dot product expects (nil: it reads Float activations).
func activationBlockSize(for type: TensorType) -> Int? {
    switch type {
    case .f32, .f16, .bf16: nil
    case .q8_0, .q4_0, .q4_1, .q5_0, .q5_1: 32
    case .q4_K, .q6_K, .q8_K: 256
    }
}

/// Quantizes `count` Floats with round-to-nearest: every `blockSize` values share scale amax / 127, as ggml's
/// `quantize_row_q8_0` (the Q8_K blocks use the same symmetric rule).
func quantizeActivations(_ x: UnsafePointer<Float>, count: Int, into a: QuantizedActivations) {
    let blockSize = a.blockSize
    for b in 0..<(count / blockSize) {
        let v = x + b * blockSize
        var amax: Float = 0
        for j in 0..<blockSize { amax = max(amax, abs(v[j])) }
        let d = amax / 127
        let id: Float = d != 0 ? 1 / d : 0
        a.scales[b] = d
        let q = a.values + b * blockSize
        for j in 0..<blockSize {
            q[j] = Int8((v[j] * id).rounded())
        }
    }
    for g in 0..<(count / 32) {
        var sum: Int32 = 0
        for j in 0..<32 { sum &+= Int32(a.values[32 * g + j]) }
        a.sums[g] = sum
        a.scaledSums[g] = a.scales[32 * g / blockSize] * Float(sum)
        if blockSize == 32 {
            a.scaleSumPairs[2 * g] = a.scales[g]
            a.scaleSumPairs[2 * g + 1] = a.scaledSums[g]
        }
    }
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
