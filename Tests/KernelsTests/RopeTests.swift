import Foundation
import Testing

@testable import Kernels

/// Applies RoPE to a copy of `x`.
private func roped(_ x: [Float], heads: Int, headDim: Int, position: Int, options: RopeOptions) -> [Float] {
    var y = x
    y.withUnsafeMutableBufferPointer { rope($0, heads: heads, headDim: headDim, position: position, options: options) }
    return y
}

@Suite("Rotary position embedding")
struct RopeTests {
    @Test func positionZeroChangesNothing() {
        var generator = SeededGenerator(seed: 1)
        let x = randomFloats(2 * 8, using: &generator)
        #expect(roped(x, heads: 2, headDim: 8, position: 0, options: .default) == x)
    }

    @Test func normalStyleRotatesAdjacentPairs() {
        // headDim 4: pair 0 turns by position radians, pair 1 by position / base^(1/2) = position / 100.
        let x: [Float] = [1, 0, 1, 0]
        let y = roped(x, heads: 1, headDim: 4, position: 3, options: RopeOptions(base: 10_000, style: .normal))
        let expected = [cos(3.0), sin(3.0), cos(0.03), sin(0.03)].map { Float($0) }
        #expect(maxAbsoluteDifference(y, expected) < 1e-6)
    }

    @Test func neoxStyleRotatesHalves() {
        let x: [Float] = [1, 1, 0, 0]  // pairs (0, 2) and (1, 3)
        let y = roped(x, heads: 1, headDim: 4, position: 3, options: RopeOptions(base: 10_000, style: .neox))
        let expected = [cos(3.0), cos(0.03), sin(3.0), sin(0.03)].map { Float($0) }
        #expect(maxAbsoluteDifference(y, expected) < 1e-6)
    }

    @Test func neoxStyleEqualsNormalStyleOnInterleavedDimensions() {
        var generator = SeededGenerator(seed: 2)
        let headDim = 16
        let heads = 3
        let x = randomFloats(heads * headDim, using: &generator)
        // The GGUF converter's permutation, per head: half-split order (i, i + d/2) -> interleaved (2i, 2i + 1).
        var interleaved = x
        for h in 0..<heads {
            for i in 0..<(headDim / 2) {
                interleaved[h * headDim + 2 * i] = x[h * headDim + i]
                interleaved[h * headDim + 2 * i + 1] = x[h * headDim + i + headDim / 2]
            }
        }
        let neox = roped(x, heads: heads, headDim: headDim, position: 7, options: RopeOptions(style: .neox))
        let normal = roped(
            interleaved, heads: heads, headDim: headDim, position: 7, options: RopeOptions(style: .normal))
        for h in 0..<heads {
            for i in 0..<(headDim / 2) {
                #expect(abs(normal[h * headDim + 2 * i] - neox[h * headDim + i]) < 1e-6)
                #expect(abs(normal[h * headDim + 2 * i + 1] - neox[h * headDim + i + headDim / 2]) < 1e-6)
            }
        }
    }

    @Test func partialRotationLeavesTheTailAlone() {
        let x: [Float] = [1, 0, 5, 6]
        let y = roped(x, heads: 1, headDim: 4, position: 2, options: RopeOptions(rotaryDimensionCount: 2))
        #expect(Array(y[2...]) == [5, 6])
        #expect(abs(y[0] - Float(cos(2.0))) < 1e-6)
    }
}
