import Foundation
import Testing

@testable import Kernels

/// Runs an in-place op on a copy of `x`.
private func applied(_ x: [Float], _ op: (UnsafeMutableBufferPointer<Float>) -> Void) -> [Float] {
    var y = x
    y.withUnsafeMutableBufferPointer { op($0) }
    return y
}

@Suite("Small ops")
struct OpsTests {
    @Test func rmsNormDividesByTheRootMeanSquare() {
        let x: [Float] = [3, -4, 0, 0]  // mean square 25 / 4
        let weight: [Float] = [1, 1, 2, 1]
        var out = [Float](repeating: 0, count: 4)
        x.withUnsafeBufferPointer { x in
            weight.withUnsafeBufferPointer { w in
                out.withUnsafeMutableBufferPointer { rmsNorm(x, weight: w, into: $0, epsilon: 0) }
            }
        }
        #expect(maxAbsoluteDifference(out, [1.2, -1.6, 0, 0]) < 1e-6)
    }

    @Test func layerNormCentresScalesAndShifts() {
        let x: [Float] = [1, 2, 3, 4]  // mean 2.5, variance 1.25
        let weight: [Float] = [1, 1, 1, 2]
        let bias: [Float] = [0, 0, 1, 0]
        var out = [Float](repeating: 0, count: 4)
        x.withUnsafeBufferPointer { x in
            weight.withUnsafeBufferPointer { w in
                bias.withUnsafeBufferPointer { b in
                    out.withUnsafeMutableBufferPointer { layerNorm(x, weight: w, bias: b, into: $0, epsilon: 1e-5) }
                }
            }
        }
        let s = 1 / (1.25 + 1e-5).squareRoot()
        let expected = [-1.5 * s, -0.5 * s, 0.5 * s + 1, 1.5 * s * 2].map { Float($0) }
        #expect(maxAbsoluteDifference(out, expected) < 1e-5)
    }

    @Test func softmaxSumsToOneAndSurvivesHugeLogits() {
        let y = applied([1000, 1001, 1002]) { softmax($0) }
        let e = [exp(-2.0), exp(-1.0), 1].map { $0 / (exp(-2.0) + exp(-1.0) + 1) }.map { Float($0) }
        #expect(maxAbsoluteDifference(y, e) < 1e-6)
        #expect(y.allSatisfy { $0.isFinite })
    }

    @Test func siluAndGeluMatchTheirFormulas() {
        let x: [Float] = [-3, -1, -0.5, 0, 0.5, 1, 3]
        let silu = applied(x) { Kernels.silu($0) }
        let gelu = applied(x) { Kernels.gelu($0) }
        let geluTanh = applied(x) { Kernels.geluTanh($0) }
        for i in x.indices {
            let v = Double(x[i])
            #expect(abs(Double(silu[i]) - v / (1 + exp(-v))) < 1e-6)
            #expect(abs(Double(gelu[i]) - 0.5 * v * (1 + erf(v / 2.0.squareRoot()))) < 1e-6)
            // The tanh form is an approximation of the same curve: within 1e-3 of it here.
            #expect(abs(geluTanh[i] - gelu[i]) < 1e-3)
        }
        #expect(abs(gelu[5] - 0.841_344_7) < 1e-6)  // GELU(1) = Φ(1)
    }

    /// Rows long enough for the AVX-512 loops of `gelu` and `softmaxVectorized` (16 at a time, the rest one by one)
    /// against the formulas in Double.
    @Test func longRowsOfGeluAndSoftmaxMatchTheFormulas() {
        let x = (0..<1_003).map { Float(-12 + 24 * Double($0) / 1_002) }
        let gelu = applied(x) { Kernels.gelu($0) }
        var worstGelu = 0.0
        for (v, y) in zip(x.map(Double.init), gelu) {
            worstGelu = max(worstGelu, abs(Double(y) - 0.5 * v * (1 + erf(v / 2.0.squareRoot()))) / max(1, abs(v)))
        }
        #expect(worstGelu < 5e-7, "GELU off by \(worstGelu)")
        let logits = x.map { $0 * 3 }
        let probabilities = applied(logits) { softmaxVectorized($0) }
        let largest = Double(logits.max()!)
        let exps = logits.map { exp(Double($0) - largest) }
        let total = exps.reduce(0, +)
        var worstSoftmax = 0.0
        for (p, e) in zip(probabilities, exps) where e / total > 1e-30 {
            worstSoftmax = max(worstSoftmax, abs(Double(p) - e / total) / (e / total))
        }
        #expect(worstSoftmax < 1e-5, "softmax off by \(worstSoftmax) relative")
        #expect(abs(probabilities.reduce(0, +) - 1) < 1e-5)
    }

    @Test func addAndMultiplyWorkElementwise() {
        let a: [Float] = [1, 2, 3]
        let b: [Float] = [4, 5, -6]
        var sum = [Float](repeating: 0, count: 3)
        var product = sum
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                sum.withUnsafeMutableBufferPointer { add(a, b, into: $0) }
                product.withUnsafeMutableBufferPointer { multiply(a, b, into: $0) }
            }
        }
        #expect(sum == [5, 7, -3])
        #expect(product == [4, 10, -18])
    }

    @Test func argmaxPicksTheFirstLargest() {
        #expect([Float]([1, 5, 2, 5]).withUnsafeBufferPointer { argmax($0) } == 1)
        #expect([Float]().withUnsafeBufferPointer { argmax($0) } == nil)
    }
}
