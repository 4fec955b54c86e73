import Testing

@testable import Kernels

@Suite("Attention over an f16 KV cache")
struct HalfAttentionTests {
    /// Runs Float `attention` over `keys` and `values`, and the f16 path (with `kernel`) over their halves.
    private func bothWays(
        query: [Float], keys: [Float], values: [Float], positions: Int, heads: Int, kvHeads: Int, headDim: Int,
        kernel: DotKernel
    ) -> (float: [Float], half: [Float]) {
        let keyHalves = keys.map { halfFromFloat($0) }
        let valueHalves = values.map { halfFromFloat($0) }
        var floatOutput = [Float](repeating: .nan, count: heads * headDim)  // (heads, headDim)
        var halfOutput = [Float](repeating: .nan, count: heads * headDim)  // (heads, headDim)
        var scores = [Float](repeating: 0, count: heads * positions)  // (heads, positions)
        query.withUnsafeBufferPointer { q in
            scores.withUnsafeMutableBufferPointer { s in
                keys.withUnsafeBufferPointer { k in
                    values.withUnsafeBufferPointer { v in
                        floatOutput.withUnsafeMutableBufferPointer { o in
                            attention(
                                query: q, keys: k, values: v, kvStride: kvHeads * headDim, positionCount: positions,
                                heads: heads, kvHeads: kvHeads, headDim: headDim, scores: s, output: o, threadCount: 2)
                        }
                    }
                }
                keyHalves.withUnsafeBufferPointer { k in
                    valueHalves.withUnsafeBufferPointer { v in
                        halfOutput.withUnsafeMutableBufferPointer { o in
                            attentionF16(
                                query: q, keys: k, values: v, kvStride: kvHeads * headDim, positionCount: positions,
                                heads: heads, kvHeads: kvHeads, headDim: headDim, scores: s, output: o, threadCount: 2,
                                kernel: kernel)
                        }
                    }
                }
            }
        }
        return (floatOutput, halfOutput)
    }

    /// On keys and values that are exactly halves, the f16 path is the Float path up to summation order (1e-5);
    /// on arbitrary Floats, rounding them to halves moves the output by about 1e-3.
    @Test(arguments: [(9, 3, 70), (4, 4, 5), (6, 2, 200)])
    func matchesFloatAttentionOnTheSameValues(heads: Int, kvHeads: Int, positions: Int) {
        var generator = SeededGenerator(seed: 23)
        let headDim = 64
        let query = randomFloats(heads * headDim, scale: 2, using: &generator)  // (heads, headDim)
        let keys = randomFloats(positions * kvHeads * headDim, scale: 2, using: &generator)  // (positions, kvWidth)
        let values = randomFloats(positions * kvHeads * headDim, using: &generator)  // (positions, kvWidth)
        let roundedKeys = keys.map { floatFromHalf(halfFromFloat($0)) }
        let roundedValues = values.map { floatFromHalf(halfFromFloat($0)) }
        for kernel in [DotKernel.swift, bestDotKernel] {
            let exact = bothWays(
                query: query, keys: roundedKeys, values: roundedValues, positions: positions, heads: heads,
                kvHeads: kvHeads, headDim: headDim, kernel: kernel)
            #expect(maxAbsoluteDifference(exact.half, exact.float) < 1e-5, "\(kernel)")
            let rounded = bothWays(
                query: query, keys: keys, values: values, positions: positions, heads: heads, kvHeads: kvHeads,
                headDim: headDim, kernel: kernel)
            #expect(maxAbsoluteDifference(rounded.half, rounded.float) < 1e-2, "\(kernel)")
        }
    }

    @Test func floatsToHalvesRoundsAsFloat16Does() {
        var generator = SeededGenerator(seed: 29)
        let x = randomFloats(1_001, scale: 100, using: &generator) + [0, -0, 65_504, 1e-7, 70_000]
        var out = [UInt16](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { out in floatsToHalves(x.baseAddress!, out.baseAddress!, count: x.count)
            }
        }
        #expect(out == x.map { halfFromFloat($0) })
    }
}
