import Testing

@testable import Kernels

@Suite("Matrix-matrix products")
struct MatMulTests {
    @Test(arguments: [false, true])
    func openBLASSgemmMatchesTheReference(transposeB: Bool) {
        var generator = SeededGenerator(seed: 21)
        let (m, n, k) = (13, 17, 29)
        let a = randomFloats(m * k, using: &generator)  // (m, k)
        let b = randomFloats(k * n, using: &generator)  // (k, n) or (n, k)
        var blas = [Float](repeating: 0, count: m * n)  // (m, n)
        var reference = blas
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                sgemm(a.baseAddress!, b.baseAddress!, &blas, m: m, n: n, k: k, transposeB: transposeB, threadCount: 2)
                sgemmReference(a.baseAddress!, b.baseAddress!, &reference, m: m, n: n, k: k, transposeB: transposeB)
            }
        }
        #expect(maxAbsoluteDifference(blas, reference) < 1e-4)
    }

    @Test func sgemmAccumulatesWhenAsked() {
        let a: [Float] = [1, 2]  // (1, 2)
        let b: [Float] = [3, 4]  // (2, 1)
        var c: [Float] = [10]  // (1, 1)
        sgemm(a, b, &c, m: 1, n: 1, k: 2, accumulate: true, threadCount: 1)
        #expect(c == [21])
    }

    /// Float weights: the tiled sgemm path matches the reference tightly (1e-4). Quantized weights run int8
    /// activations, as llama.cpp does: every token's row equals `matvec` on that token exactly, and the reference
    /// within the quantization's 1e-2.
    @Test(arguments: [TensorType.f32, .f16, .q8_0, .q4_1, .q4_K, .q6_K], [2, 9])
    func batchedProductMatchesTheReference(type: TensorType, tokens: Int) {
        var generator = SeededGenerator(seed: 23)
        let rows = 131  // tiles of 16 and 64 rows, the last one short
        let cols = 256
        let bytes = randomMatrix(type, rows: rows, cols: cols, using: &generator)
        let x = randomFloats(tokens * cols, using: &generator)  // (tokens, cols)
        var fast = [Float](repeating: .nan, count: tokens * rows)  // (tokens, rows)
        var reference = fast
        var perToken = fast
        bytes.withUnsafeBytes { bytes in
            let w = WeightMatrix(type: type, rows: rows, cols: cols, data: bytes)
            x.withUnsafeBufferPointer { x in
                fast.withUnsafeMutableBufferPointer { matmul(w, x, $0, tokens: tokens, threadCount: 3) }
                reference.withUnsafeMutableBufferPointer { matmulReference(w, x, $0, tokens: tokens) }
                perToken.withUnsafeMutableBufferPointer { y in
                    for t in 0..<tokens {
                        matvec(
                            w, UnsafeBufferPointer(rebasing: x[(t * cols)..<((t + 1) * cols)]),
                            UnsafeMutableBufferPointer(rebasing: y[(t * rows)..<((t + 1) * rows)]), threadCount: 2)
                    }
                }
            }
        }
        let quantized = type != .f32 && type != .f16
        let tolerance: Float = quantized ? 1e-2 : 1e-4
        #expect(relativeError(fast, reference) < tolerance, "\(type), \(tokens) tokens")
        if quantized { #expect(fast == perToken, "\(type): a batch row differs from matvec on that token") }
    }

    /// The sgemm path converts f16 tiles with the CPU's instruction where it has one: every one of the 65,536 bit
    /// patterns (subnormals, infinities, NaNs included) must come out as the reference conversion gives it.
    @Test func f16RowsConvertExactlyAsTheReference() {
        let halves = (0...UInt16.max).map { $0.littleEndian }  // (256 rows, 256 cols)
        var fast = [Float](repeating: 0, count: halves.count)
        halves.withUnsafeBytes { bytes in
            let w = WeightMatrix(type: .f16, rows: 256, cols: 256, data: bytes)
            fast.withUnsafeMutableBufferPointer { dequantizeRows(w, 3..<256, into: $0.baseAddress! + 3 * 256) }
        }
        var mismatches = 0
        for (bits, value) in zip(halves.indices, fast) where bits >= 3 * 256 {
            let expected = floatFromHalf(UInt16(bits))
            if expected.isNaN ? !value.isNaN : value.bitPattern != expected.bitPattern { mismatches += 1 }
        }
        #expect(mismatches == 0, "\(mismatches) of \(halves.count - 768) halves converted differently")
    }
}
