import Testing

@testable import Kernels

@Suite("Attention over an f16 KV cache")
struct HalfAttentionTests {
    /// Runs Float `attention` over `keys` and `values`, and the f16 one (with `kernel`) over their halves.
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
                            attention(
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
        // The Swift loops, the AVX2 calls per position, and AVX-512's whole-head loops, as far as this CPU has them.
        let kernels =
            [DotKernel.swift] + (bestDotKernel.hasAVX2 ? [.avx2] : []) + (bestDotKernel == .avx512 ? [.avx512] : [])
        for kernel in kernels {
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

    /// The AVX-512 whole-head loops only remove calls: their sums are the AVX2 path's, bit for bit.
    @Test(arguments: [1, 70, 2_001])
    func avx512LoopsGiveTheAVX2PathsResultsExactly(positions: Int) {
        guard bestDotKernel == .avx512 else { return }
        var generator = SeededGenerator(seed: 43)
        let (heads, kvHeads, headDim) = (9, 3, 64)
        let query = randomFloats(heads * headDim, scale: 2, using: &generator)  // (heads, headDim)
        let keys = randomFloats(positions * kvHeads * headDim, using: &generator)  // (positions, kvWidth)
        let values = randomFloats(positions * kvHeads * headDim, using: &generator)  // (positions, kvWidth)
        let avx2 = bothWays(
            query: query, keys: keys, values: values, positions: positions, heads: heads, kvHeads: kvHeads,
            headDim: headDim, kernel: .avx2)
        let avx512 = bothWays(
            query: query, keys: keys, values: values, positions: positions, heads: heads, kvHeads: kvHeads,
            headDim: headDim, kernel: .avx512)
        #expect(avx512.half == avx2.half)
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

@Suite("Causal attention over a batch")
struct CausalAttentionTests {
    /// The KV cache types `causalAttention` reads.
    enum Cache: String, CaseIterable, Sendable { case f32, f16 }

    let heads = 6
    let kvHeads = 2
    let headDim = 32
    let queryCount = 11

    /// One parallel region for the batch gives each query exactly what `attention` gives it alone.
    @Test(arguments: [0, 5], Cache.allCases)
    func aBatchEqualsOneQueryAtATime(firstPosition: Int, cache: Cache) {
        var generator = SeededGenerator(seed: 41)
        let positions = firstPosition + queryCount
        let queries = randomFloats(queryCount * heads * headDim, using: &generator)  // (queryCount, heads * headDim)
        let keys = randomFloats(positions * kvHeads * headDim, using: &generator)  // (positions, kvWidth)
        let values = randomFloats(positions * kvHeads * headDim, using: &generator)  // (positions, kvWidth)
        let (batched, single) =
            switch cache {
            case .f32:
                batchedAndOneAtATime(queries: queries, keys: keys, values: values, firstPosition: firstPosition) {
                    q, k, v, o in
                    causalAttention(
                        queries: q, queryCount: queryCount, firstPosition: firstPosition, keys: k, values: v,
                        kvStride: kvHeads * headDim, heads: heads, kvHeads: kvHeads, headDim: headDim, output: o,
                        threadCount: 3)
                }
            case .f16:
                batchedAndOneAtATime(
                    queries: queries, keys: keys.map { halfFromFloat($0) }, values: values.map { halfFromFloat($0) },
                    firstPosition: firstPosition
                ) { q, k, v, o in
                    causalAttention(
                        queries: q, queryCount: queryCount, firstPosition: firstPosition, keys: k, values: v,
                        kvStride: kvHeads * headDim, heads: heads, kvHeads: kvHeads, headDim: headDim, output: o,
                        threadCount: 3)
                }
            }
        #expect(batched == single)
    }

    /// `batch(queries, keys, values, output)` over the whole batch, and `attention` for each query alone.
    private func batchedAndOneAtATime<Element: AttentionCacheElement>(
        queries: [Float], keys: [Element], values: [Element], firstPosition: Int,
        batch: (
            UnsafeBufferPointer<Float>, UnsafeBufferPointer<Element>, UnsafeBufferPointer<Element>,
            UnsafeMutableBufferPointer<Float>
        ) -> Void
    ) -> (batched: [Float], single: [Float]) {
        let width = heads * headDim
        var batched = [Float](repeating: .nan, count: queryCount * width)  // (queryCount, heads * headDim)
        var single = batched
        var scores = [Float](repeating: 0, count: heads * (firstPosition + queryCount))  // (heads, positions)
        queries.withUnsafeBufferPointer { q in
            keys.withUnsafeBufferPointer { k in
                values.withUnsafeBufferPointer { v in
                    batched.withUnsafeMutableBufferPointer { o in batch(q, k, v, o) }
                    for t in 0..<queryCount {
                        single.withUnsafeMutableBufferPointer { o in
                            scores.withUnsafeMutableBufferPointer { s in
                                // The generic kernel the public `attention` overloads run, with their dot products.
                                attention(
                                    query: UnsafeBufferPointer(rebasing: q[(t * width)..<((t + 1) * width)]), keys: k,
                                    values: v, kvStride: kvHeads * headDim, positionCount: firstPosition + t + 1,
                                    heads: heads, kvHeads: kvHeads, headDim: headDim, scores: s,
                                    output: UnsafeMutableBufferPointer(rebasing: o[(t * width)..<((t + 1) * width)]),
                                    threadCount: 1, kernel: bestDotKernel)
                            }
                        }
                    }
                }
            }
        }
        return (batched, single)
    }
}
