import CKernels
import Foundation
import Testing

@testable import Kernels

/// The vector SiLU kernels against the one-value-at-a-time reference of the same algorithm, and that algorithm's
/// exp against the true curve. (LanguageModelTests' LlamaCppSiLUGoldenTests compare both to llama.cpp's own.)
@Suite("SiLU as ggml rounds it")
struct SiLUTests {
    /// Rows whose lengths leave 0, 7, 15 and 3 values to the scalar loop, with gates of every size and exp's edges.
    static func rows() -> [[Float]] {
        var generator = SeededGenerator(seed: 11)
        let edges: [Float] = [0, -0.0, 87.3, 88.5, -88.5, 103.9, -104.1, 126.5, -126.5, 133.2, -133.2, 300, -300]
        return [1536, 1031, 47, 3].map { count in
            var row = randomFloats(count, scale: 12, using: &generator)
            for (i, edge) in edges.enumerated() where i < count { row[(i * 7) % count] = edge }
            return row
        }
    }

    @Test func theAVX512KernelEqualsItsReferenceBitForBit() throws {
        try #require(bestSiLUKernel == .avx512, "needs AVX-512 F and DQ")
        for row in Self.rows() {
            var fast = row
            var reference = row
            fast.withUnsafeMutableBufferPointer { ck_silu_avx512($0.baseAddress!, Int32($0.count)) }
            reference.withUnsafeMutableBufferPointer { siluRow($0, form: .scaledByPowerOfTwo, laneCount: 16) }
            #expect(fast.map(\.bitPattern) == reference.map(\.bitPattern), "row of \(row.count)")
        }
    }

    @Test func theAVX2KernelEqualsItsReferenceBitForBit() throws {
        try #require(bestSiLUKernel != .swift, "needs AVX2 and FMA")
        for row in Self.rows() {
            var fast = row
            var reference = row
            fast.withUnsafeMutableBufferPointer { ck_silu_avx2($0.baseAddress!, Int32($0.count)) }
            reference.withUnsafeMutableBufferPointer { siluRow($0, form: .fusedPowerOfTwo, laneCount: 8) }
            #expect(fast.map(\.bitPattern) == reference.map(\.bitPattern), "row of \(row.count)")
        }
    }

    @Test(arguments: [VectorExpForm.scaledByPowerOfTwo, .fusedPowerOfTwo])
    func vectorExpStaysWithinItsStatedErrorOfTheTrueExp(form: VectorExpForm) {
        var worstUlps: Double = 0
        for i in 0...40_000 {
            let x = Float(-103 + 191 * Double(i) / 40_000)  // -103 ... 88: results normal and finite
            let truth = exp(Double(x))
            let ulp = Double(Float(truth).ulp)
            worstUlps = max(worstUlps, abs(Double(vectorExp(x, form: form)) - truth) / ulp)
        }
        // The algorithm's bound is 1.45 ulp plus the final rounding's 0.5, counted in the result's binade here.
        #expect(worstUlps < 2.5, "worst error \(worstUlps) ulp")
        #expect(worstUlps > 0.5, "an exp this exact is the C library's, not the vector algorithm: \(worstUlps) ulp")
    }

    @Test(arguments: [VectorExpForm.scaledByPowerOfTwo, .fusedPowerOfTwo])
    func vectorExpSaturatesToZeroAndInfinityLikeGgmls(form: VectorExpForm) {
        #expect(vectorExp(-200, form: form) == 0)
        #expect(vectorExp(-1e30, form: form) == 0)
        #expect(vectorExp(89, form: form) == .infinity)
        #expect(vectorExp(500, form: form) == .infinity)
        #expect(vectorExp(0, form: form) == 1)
        #expect(vectorExp(.nan, form: form).isNaN)
        // Between -104 and -87.3 (126 ln 2) the result is subnormal: still close to the true value.
        let tiny = Double(vectorExp(-95, form: form))
        #expect(abs(tiny - exp(-95.0)) < 1e-3 * exp(-95.0))
    }

    @Test func siluFollowsItsFormulaOnBatchesOfEveryLength() {
        for row in Self.rows() {
            var y = row
            y.withUnsafeMutableBufferPointer { silu($0) }
            for i in row.indices {
                let v = Double(row[i])
                let truth = v / (1 + exp(-v))
                // exp's 2 ulps, the sum's and the quotient's roundings.
                #expect(abs(Double(y[i]) - truth) <= 4 * Double(Float(truth).ulp) + 1e-38, "x = \(row[i])")
            }
        }
    }
}
