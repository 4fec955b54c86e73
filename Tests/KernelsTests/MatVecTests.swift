import Testing

@testable import Kernels

@Suite("Matrix-vector products")
struct MatVecTests {
    /// Quantized types compare int8-quantized activations with the Float reference: about 1e-2 relative error.
    /// Float types read the same values and differ only in summation order.
    @Test(arguments: [
        (TensorType.f32, Float(1e-5)), (.f16, 1e-5), (.bf16, 1e-5), (.q8_0, 1e-2), (.q4_0, 1e-2), (.q4_1, 1e-2),
        (.q5_0, 1e-2), (.q5_1, 1e-2), (.q4_K, 1e-2), (.q6_K, 1e-2), (.q8_K, 1e-2),
    ])
    func fastPathMatchesTheReferenceOnOddSizes(type: TensorType, tolerance: Float) {
        var generator = SeededGenerator(seed: 11)
        let rows = 37
        let cols = type.blockElementCount == 256 ? 512 : 160
        let bytes = randomMatrix(type, rows: rows, cols: cols, using: &generator)
        let x = randomFloats(cols, using: &generator)
        let reference = product(type, bytes, rows: rows, cols: cols, x) { matvecReference($0, $1, $2) }
        let fast = product(type, bytes, rows: rows, cols: cols, x) {
            matvec($0, $1, $2, threadCount: 3, kernel: .swift)
        }
        #expect(relativeError(fast, reference) < tolerance, "\(type)")
    }

    /// CKernels' AVX2 loops against the reference, where this CPU has AVX2 (elsewhere there is nothing to compare).
    @Test(arguments: [TensorType.q8_0, .q4_0, .q4_1, .q4_K, .q6_K, .f16])
    func avx2PathMatchesTheReferenceAndTheSwiftPath(type: TensorType) {
        guard bestDotKernel.hasAVX2 else { return }
        var generator = SeededGenerator(seed: 13)
        let rows = 29
        let cols = type.blockElementCount == 256 ? 768 : 288
        let bytes = randomMatrix(type, rows: rows, cols: cols, using: &generator)
        let x = randomFloats(cols, using: &generator)
        let reference = product(type, bytes, rows: rows, cols: cols, x) { matvecReference($0, $1, $2) }
        let swift = product(type, bytes, rows: rows, cols: cols, x) {
            matvec($0, $1, $2, threadCount: 2, kernel: .swift)
        }
        let avx2 = product(type, bytes, rows: rows, cols: cols, x) { matvec($0, $1, $2, threadCount: 2, kernel: .avx2) }
        #expect(relativeError(avx2, reference) < 1e-2, "\(type)")
        // Both compute the same integer sums; only the Float accumulation order differs.
        #expect(relativeError(avx2, swift) < 1e-5, "\(type)")
    }

    /// The AVX-512 VNNI q4_1 loops (four rows a pass, then two) and q8_0 loop (four blocks a step, then single
    /// blocks) against the reference and the Swift path, on widths with and without a tail, where this CPU has
    /// AVX-512 VNNI.
    @Test(arguments: [TensorType.q4_1, .q8_0], [32, 96, 128, 288, 576, 1536])
    func avx512PathMatchesTheReferenceAndTheSwiftPath(type: TensorType, cols: Int) {
        guard bestDotKernel == .avx512 else { return }
        var generator = SeededGenerator(seed: 37)
        let rows = 23
        let bytes = randomMatrix(type, rows: rows, cols: cols, using: &generator)
        let x = randomFloats(cols, scale: 3, using: &generator)
        let reference = product(type, bytes, rows: rows, cols: cols, x) { matvecReference($0, $1, $2) }
        let swift = product(type, bytes, rows: rows, cols: cols, x) {
            matvec($0, $1, $2, threadCount: 2, kernel: .swift)
        }
        let avx512 = product(type, bytes, rows: rows, cols: cols, x) {
            matvec($0, $1, $2, threadCount: 2, kernel: .avx512)
        }
        #expect(relativeError(avx512, reference) < 1e-2, "\(type) \(cols)")
        #expect(relativeError(avx512, swift) < 1e-5, "\(type) \(cols)")
        if type == .q4_1 {
            // Rows in fours and pairs keep the AVX2 loop's (ggml's) summation order: the same bits, odd last row
            // included.
            let avx2 = product(type, bytes, rows: rows, cols: cols, x) {
                matvec($0, $1, $2, threadCount: 2, kernel: .avx2)
            }
            #expect(avx512 == avx2, "q4_1 \(cols)")
        }
    }

    @Test(arguments: [TensorType.f16, .q4_1, .q6_K])
    func threadCountDoesNotChangeTheResult(type: TensorType) {
        var generator = SeededGenerator(seed: 5)
        let rows = 11
        let cols = 256
        let bytes = randomMatrix(type, rows: rows, cols: cols, using: &generator)
        let x = randomFloats(cols, using: &generator)
        let one = product(type, bytes, rows: rows, cols: cols, x) { matvec($0, $1, $2, threadCount: 1) }
        for threads in [2, 4, 16] {
            let many = product(type, bytes, rows: rows, cols: cols, x) { matvec($0, $1, $2, threadCount: threads) }
            #expect(many == one, "\(type) on \(threads) threads")
        }
    }

    @Test func referenceComputesAKnownProduct() {
        let w: [Float] = [1, 2, 3, 4, 5, 6]  // (2, 3)
        let bytes = w.withUnsafeBytes { Array($0) }
        let y = product(.f32, bytes, rows: 2, cols: 3, [1, 0, -1]) { matvecReference($0, $1, $2) }
        #expect(y == [-2, -2])
    }
}
