import Testing

@testable import Kernels

/// The roundings that make our forward pass follow llama.cpp's: int8 activations as ggml's x86
/// `quantize_row_q8_0` / `quantize_row_q8_1` make them, and attention over an f16 cache as its CPU flash attention
/// computes it.
@Suite("Rounding as llama.cpp")
struct LlamaCppRoundingTests {
    /// Quantizes one block of 32 values and returns the scratch's contents.
    private func quantize(_ x: [Float], _ format: ActivationFormat) -> (values: [Int8], scale: Float, scaledSum: Float)
    {
        x.withUnsafeBufferPointer { x in
            withActivationScratch(count: 32, blockSize: 32) { a in
                quantizeActivations(x.baseAddress!, count: 32, format: format, into: a)
                return (Array(UnsafeBufferPointer(start: a.values, count: 32)), a.scales[0], a.scaledSums[0])
            }
        }
    }

    /// amax 127 makes the scale 1, so x itself is rounded: ties go to the even neighbour (2.5 -> 2, -2.5 -> -2,
    /// 3.5 -> 4), as `_mm256_round_ps` does, not away from zero.
    @Test func tiesRoundToEvenAsGgmlsVectorCode() {
        var x = [Float](repeating: 0, count: 32)
        x[0] = 127
        x[1] = 2.5
        x[2] = -2.5
        x[3] = 3.5
        x[4] = 0.5
        let (values, scale, _) = quantize(x, .q8_0)
        #expect(scale == 1)
        #expect(Array(values[0..<5]) == [127, 2, -2, 4, 0])
    }

    /// The scale is stored as f16; q8_1's scaled sum is f16(unrounded scale * Σ values), q8_0's the f16 scale times
    /// the sum (its dot products use it only to undo an offset exactly).
    @Test func scalesAndSumsAreRoundedToHalvesAsGgmlStoresThem() {
        var generator = SeededGenerator(seed: 5)
        var x = randomFloats(32, using: &generator)
        x[7] = 100  // amax 100: 100 / 127 is not a half
        let d: Float = 100 / 127
        let halfScale = floatFromHalf(halfFromFloat(d))
        #expect(halfScale != d)
        let q8_1 = quantize(x, .q8_1)
        let sum = Float(q8_1.values.reduce(0) { $0 + Int($1) })
        #expect(q8_1.scale == halfScale)
        #expect(q8_1.scaledSum == floatFromHalf(halfFromFloat(d * sum)))
        let q8_0 = quantize(x, .q8_0)
        #expect(q8_0.values == q8_1.values)
        #expect(q8_0.scaledSum == halfScale * sum)
    }

    /// Runs `attentionRoundingAsLlamaCpp` with `kernel`.
    private func attend(
        _ query: [Float], _ keys: [UInt16], _ values: [UInt16], positions: Int, heads: Int, kvHeads: Int,
        headDim: Int, kernel: DotKernel
    ) -> [Float] {
        var output = [Float](repeating: .nan, count: heads * headDim)  // (heads, headDim)
        query.withUnsafeBufferPointer { q in
            keys.withUnsafeBufferPointer { k in
                values.withUnsafeBufferPointer { v in
                    output.withUnsafeMutableBufferPointer { o in
                        attentionRoundingAsLlamaCpp(
                            query: q, keys: k, values: v, kvStride: kvHeads * headDim, positionCount: positions,
                            heads: heads, kvHeads: kvHeads, headDim: headDim, output: o, threadCount: 2,
                            kernel: kernel)
                    }
                }
            }
        }
        return output
    }

    /// The C loop and the Swift loop round identically (bit for bit, leftovers past 64 dimensions included), and
    /// both stay within the f16 accumulator's 1e-2 of Float attention over the same halves.
    @Test(arguments: [(9, 3, 64, 40), (4, 4, 72, 5), (2, 1, 128, 300)])
    func cAndSwiftLoopsAgreeBitForBitAndFollowFloatAttention(heads: Int, kvHeads: Int, headDim: Int, positions: Int) {
        var generator = SeededGenerator(seed: 31)
        let query = randomFloats(heads * headDim, scale: 2, using: &generator)  // (heads, headDim)
        let keys = randomFloats(positions * kvHeads * headDim, scale: 2, using: &generator).map { halfFromFloat($0) }
        let values = randomFloats(positions * kvHeads * headDim, using: &generator).map { halfFromFloat($0) }
        let swift = attend(
            query, keys, values, positions: positions, heads: heads, kvHeads: kvHeads, headDim: headDim,
            kernel: .swift)
        if bestDotKernel.hasAVX2 {
            let c = attend(
                query, keys, values, positions: positions, heads: heads, kvHeads: kvHeads, headDim: headDim,
                kernel: .avx2)
            #expect(c == swift)
        }
        var float = [Float](repeating: .nan, count: heads * headDim)
        var scores = [Float](repeating: 0, count: heads * positions)
        let (k, v) = (keys.map(floatFromHalf), values.map(floatFromHalf))
        query.withUnsafeBufferPointer { q in
            k.withUnsafeBufferPointer { k in
                v.withUnsafeBufferPointer { v in
                    scores.withUnsafeMutableBufferPointer { s in
                        float.withUnsafeMutableBufferPointer { o in
                            attention(
                                query: q, keys: k, values: v, kvStride: kvHeads * headDim, positionCount: positions,
                                heads: heads, kvHeads: kvHeads, headDim: headDim, scores: s, output: o, threadCount: 1)
                        }
                    }
                }
            }
        }
        let error = relativeError(swift, float)
        #expect(error < 1e-2 && error > 0, "relative error \(error) against Float attention")
    }
}
