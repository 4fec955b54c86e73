// Shared helpers for the kernel tests: a seeded generator and error measures.
@testable import Kernels

/// A small seeded generator (SplitMix64) so that every failure can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// `count` values uniform in -scale...scale.
func randomFloats(_ count: Int, scale: Float = 1, using generator: inout SeededGenerator) -> [Float] {
    (0..<count).map { _ in Float.random(in: -scale...scale, using: &generator) }
}

/// ‖a - b‖ / ‖b‖, the relative error of `a` against the reference `b`.
func relativeError(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    var difference: Double = 0
    var norm: Double = 0
    for i in a.indices {
        difference += Double(a[i] - b[i]) * Double(a[i] - b[i])
        norm += Double(b[i]) * Double(b[i])
    }
    return Float((difference / max(norm, 1e-30)).squareRoot())
}

/// The largest |a - b|.
func maxAbsoluteDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

/// A (rows, cols) matrix of random values stored as `type`, with the bytes that back it.
func randomMatrix(_ type: TensorType, rows: Int, cols: Int, using generator: inout SeededGenerator) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(rows * type.rowByteCount(cols: cols))
    for _ in 0..<rows {
        bytes += quantizeRow(type, randomFloats(cols, using: &generator))
    }
    return bytes
}

/// y = W x by `body` (a matvec variant) over arrays.
func product(
    _ type: TensorType, _ bytes: [UInt8], rows: Int, cols: Int, _ x: [Float],
    _ body: (WeightMatrix, UnsafeBufferPointer<Float>, UnsafeMutableBufferPointer<Float>) -> Void
) -> [Float] {
    var y = [Float](repeating: .nan, count: rows)
    bytes.withUnsafeBytes { bytes in
        let w = WeightMatrix(type: type, rows: rows, cols: cols, data: bytes)
        x.withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer { y in body(w, x, y) }
        }
    }
    return y
}
