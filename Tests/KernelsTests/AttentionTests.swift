import Foundation
import Testing

@testable import Kernels

/// Plain attention in Double, written from the definition: softmax(q·k / √d) weighted sum of v, per head.
private func attentionDefinition(
    query: [Float], keys: [Float], values: [Float], positions: Int, heads: Int, kvHeads: Int, headDim: Int
) -> [Float] {
    var out = [Float](repeating: 0, count: heads * headDim)
    for h in 0..<heads {
        let kvHead = h * kvHeads / heads
        var weights = (0..<positions).map { t in
            (0..<headDim).reduce(0.0) { sum, i in
                sum + Double(query[h * headDim + i]) * Double(keys[(t * kvHeads + kvHead) * headDim + i])
            } / Double(headDim).squareRoot()
        }
        let largest = weights.max()!
        weights = weights.map { exp($0 - largest) }
        let total = weights.reduce(0, +)
        for i in 0..<headDim {
            let value = (0..<positions).reduce(0.0) { sum, t in
                sum + weights[t] / total * Double(values[(t * kvHeads + kvHead) * headDim + i])
            }
            out[h * headDim + i] = Float(value)
        }
    }
    return out
}

@Suite("Attention")
struct AttentionTests {
    @Test(arguments: [(4, 4), (6, 2), (9, 3), (4, 1)])
    func groupedQueryAttentionMatchesTheDefinition(heads: Int, kvHeads: Int) {
        var generator = SeededGenerator(seed: 31)
        let headDim = 16
        let positions = 13
        let query = randomFloats(heads * headDim, scale: 2, using: &generator)  // (heads, headDim)
        // (positions, kvHeads * headDim)
        let keys = randomFloats(positions * kvHeads * headDim, scale: 2, using: &generator)
        let values = randomFloats(positions * kvHeads * headDim, using: &generator)  // (positions, kvHeads * headDim)
        var scores = [Float](repeating: 0, count: heads * positions)  // (heads, positions)
        var output = [Float](repeating: 0, count: heads * headDim)  // (heads, headDim)
        query.withUnsafeBufferPointer { q in
            keys.withUnsafeBufferPointer { k in
                values.withUnsafeBufferPointer { v in
                    scores.withUnsafeMutableBufferPointer { s in
                        output.withUnsafeMutableBufferPointer { o in
                            attention(
                                query: q, keys: k, values: v, kvStride: kvHeads * headDim, positionCount: positions,
                                heads: heads, kvHeads: kvHeads, headDim: headDim, scores: s, output: o, threadCount: 2)
                        }
                    }
                }
            }
        }
        let expected = attentionDefinition(
            query: query, keys: keys, values: values, positions: positions, heads: heads, kvHeads: kvHeads,
            headDim: headDim)
        #expect(maxAbsoluteDifference(output, expected) < 1e-5)
        for h in 0..<heads {
            #expect(abs(scores[(h * positions)..<((h + 1) * positions)].reduce(0, +) - 1) < 1e-5)
        }
    }

    @Test func aSinglePositionReturnsItsValue() {
        let query: [Float] = [1, 2]
        let keys: [Float] = [3, 4, 99, 99]  // (2, 2): the second position lies beyond positionCount and is not read
        let values: [Float] = [5, 6, 99, 99]
        var scores: [Float] = [0]
        var output: [Float] = [0, 0]
        query.withUnsafeBufferPointer { q in
            keys.withUnsafeBufferPointer { k in
                values.withUnsafeBufferPointer { v in
                    attention(
                        query: q, keys: k, values: v, kvStride: 2, positionCount: 1, heads: 1, kvHeads: 1, headDim: 2,
                        scores: UnsafeMutableBufferPointer(start: &scores, count: 1),
                        output: UnsafeMutableBufferPointer(start: &output, count: 2))
                }
            }
        }
        #expect(output == [5, 6])
    }
}
