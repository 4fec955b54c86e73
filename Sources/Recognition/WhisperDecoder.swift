import Kernels

/// The decoder's state for one utterance: the cross-attention keys and values (computed once from the encoder
/// output) and the self-attention cache, which grows by one position per token.
///
/// `evaluate` runs the decoder over new tokens (the prompt in one batch, then one token at a time) and returns the
/// logits after the last of them. Not thread-safe: one decoder per utterance being decoded.
final class WhisperDecoder {
    let hyperparameters: WhisperHyperparameters
    let weights: WhisperWeights
    let threadCount: Int
    /// Encoder positions the cross-attention reads.
    let audioPositionCount: Int
    /// Tokens in the self-attention cache, in order.
    private(set) var tokens: [Int] = []

    private var crossKeyValues: [[Float]]  // layers x (audioPositions, 2d): k then v per position
    private var selfKeys: [Float]  // (layers, textContext, d)
    private var selfValues: [Float]  // (layers, textContext, d)
    private var logits: [Float]  // (vocab)

    /// A decoder attending to `encoded`, the encoder output. // (audioPositions, d)
    init(hyperparameters: WhisperHyperparameters, weights: WhisperWeights, encoded: [Float], threadCount: Int) {
        self.hyperparameters = hyperparameters
        self.weights = weights
        self.threadCount = threadCount
        let d = hyperparameters.embeddingLength
        audioPositionCount = encoded.count / d
        let n = audioPositionCount
        crossKeyValues = weights.decoderBlocks.map { block in
            var kv = [Float](repeating: 0, count: n * 2 * d)  // (n, 2d)
            applyLinear(block.crossKeyValue!, encoded, into: &kv, tokens: n, threadCount: threadCount)
            return kv
        }
        let cacheCount = hyperparameters.decoderBlockCount * hyperparameters.textContextLength * d
        selfKeys = [Float](repeating: 0, count: cacheCount)
        selfValues = [Float](repeating: 0, count: cacheCount)
        logits = [Float](repeating: 0, count: hyperparameters.vocabularySize)
    }

    /// A copy with its own self-attention cache (a beam's fork); the cross-attention keys and values, never written
    /// after the constructor, are shared (copy-on-write arrays).
    init(copying other: WhisperDecoder) {
        hyperparameters = other.hyperparameters
        weights = other.weights
        threadCount = other.threadCount
        audioPositionCount = other.audioPositionCount
        tokens = other.tokens
        crossKeyValues = other.crossKeyValues
        selfKeys = other.selfKeys
        selfValues = other.selfValues
        logits = other.logits
    }

    /// Tokens in the cache.
    var position: Int { tokens.count }

    /// Forgets the text so far (the cross-attention cache stays: same audio).
    func reset() { tokens.removeAll(keepingCapacity: true) }

    /// Keeps only the first `count` tokens (a shared prompt before each candidate text).
    func truncate(to count: Int) {
        if count < tokens.count { tokens.removeLast(tokens.count - count) }
    }

    /// Runs `newTokens` after the cached ones and returns the logits for the next token. // (vocab)
    func evaluate(_ newTokens: [Int]) -> [Float] {
        guard !newTokens.isEmpty else { return logits }
        precondition(tokens.count + newTokens.count <= hyperparameters.textContextLength, "decoder: context full")
        forward([newTokens], start: tokens.count)
        tokens += newTokens
        return logits
    }

    /// Runs each of `sequences` after the cached tokens, as one batch, and returns the final-normalized state after
    /// every token, the sequences' rows one after another; the cache is left as it was. A state's product with the
    /// token embedding is that position's logits (forced decoding computes those for many positions at once).
    ///
    /// Every matrix product covers all sequences' rows at once, so the f16 weights are converted and the threads
    /// woken once per batch rather than once per sequence; self-attention keeps each sequence to the cache and its
    /// own earlier tokens. // (total tokens, d)
    func evaluateStates(sequences: [[Int]]) -> [Float] {
        let sequences = sequences.filter { !$0.isEmpty }
        guard !sequences.isEmpty else { return [] }
        let longest = sequences.map(\.count).max()!
        precondition(tokens.count + longest <= hyperparameters.textContextLength, "decoder: context full")
        return forward(sequences, start: tokens.count, cached: false, allStates: true)
    }

    /// The hot spot: every block over `sequences`, each starting at cache position `start`. With `cached` (one
    /// sequence), its keys and values go into the cache; otherwise each sequence attends to the cache's first `start`
    /// positions and its own tokens through scratch copies. With `allStates`, returns every row's final-normalized
    /// state and computes no logits (else the last row's logits, in `logits`).
    @discardableResult
    private func forward(_ sequences: [[Int]], start: Int, cached: Bool = true, allStates: Bool = false) -> [Float] {
        precondition(!cached || sequences.count == 1, "decoder: only one sequence can be written to the cache")
        let h = hyperparameters
        let batch = sequences.flatMap { $0 }
        let (n, d, ffn, heads) = (batch.count, h.embeddingLength, h.feedForwardLength, h.decoderHeadCount)
        let headDim = d / heads
        let firstRows = sequences.reduce(into: [0]) { $0.append($0.last! + $1.count) }  // per sequence, then n
        let longest = sequences.map(\.count).max()!
        var x = [Float](repeating: 0, count: n * d)  // (n, d) the residual stream
        var xn = [Float](repeating: 0, count: n * d)  // (n, d)
        var qkv = [Float](repeating: 0, count: n * 3 * d)  // (n, 3d)
        var q = [Float](repeating: 0, count: n * d)  // (n, d)
        var attended = [Float](repeating: 0, count: n * d)  // (n, d)
        var projected = [Float](repeating: 0, count: n * d)  // (n, d)
        var hidden = [Float](repeating: 0, count: n * ffn)  // (n, ffn)
        var scores = [Float](repeating: 0, count: heads * max(start + longest, audioPositionCount))  // (heads, positions)
        // One sequence's keys and values after the cache's first `start`, when they are not written to the cache.
        var scratchKeys = [Float](repeating: 0, count: cached ? 0 : (start + longest) * d)  // (positions, d)
        var scratchValues = scratchKeys

        x.withUnsafeMutableBufferPointer { x in
            let embedding = weights.tokenEmbedding
            for (s, sequence) in sequences.enumerated() {
                for (j, token) in sequence.enumerated() {
                    let row = firstRows[s] + j
                    dequantizeRow(embedding.type, embedding.row(token), count: d, into: x.baseAddress! + row * d)
                    for i in 0..<d { x[row * d + i] += weights.decoderPositions[(start + j) * d + i] }
                }
            }
        }
        let layerStride = h.textContextLength * d
        for (l, block) in weights.decoderBlocks.enumerated() {
            // Masked self-attention over the cache and each sequence's earlier tokens.
            layerNormRows(x, block.attentionNorm, into: &xn, rows: n, width: d)
            applyLinear(block.queryKeyValue, xn, into: &qkv, tokens: n, threadCount: threadCount)
            for t in 0..<n {
                for i in 0..<d { q[t * d + i] = qkv[t * 3 * d + i] }
            }
            for (s, sequence) in sequences.enumerated() {
                // Where this sequence's keys go: the cache's layer, or scratch holding a copy of its first positions.
                let base = cached ? l * layerStride : 0
                if !cached {
                    let prefix = (l * layerStride)..<(l * layerStride + start * d)
                    scratchKeys.replaceSubrange(0..<(start * d), with: selfKeys[prefix])
                    scratchValues.replaceSubrange(0..<(start * d), with: selfValues[prefix])
                }
                for j in 0..<sequence.count {
                    let (row, slot) = (firstRows[s] + j, base + (start + j) * d)
                    for i in 0..<d {
                        let (key, value) = (qkv[row * 3 * d + d + i], qkv[row * 3 * d + 2 * d + i])
                        if cached {
                            selfKeys[slot + i] = key
                            selfValues[slot + i] = value
                        } else {
                            scratchKeys[slot + i] = key
                            scratchValues[slot + i] = value
                        }
                    }
                }
                let keys = cached ? selfKeys : scratchKeys
                let values = cached ? selfValues : scratchValues
                keys.withUnsafeBufferPointer { keys in
                    values.withUnsafeBufferPointer { values in
                        attend(
                            &q, &attended, &scores, keys: UnsafeBufferPointer(rebasing: keys[base...]),
                            values: UnsafeBufferPointer(rebasing: values[base...]), kvStride: d,
                            positions: { start + $0 + 1 }, rows: firstRows[s]..<firstRows[s + 1], heads: heads,
                            headDim: headDim)
                    }
                }
            }
            applyLinear(block.attentionOutput, attended, into: &projected, tokens: n, threadCount: threadCount)
            addInPlace(&x, projected)

            // Cross-attention over every encoder position.
            layerNormRows(x, block.crossNorm!, into: &xn, rows: n, width: d)
            applyLinear(block.crossQuery!, xn, into: &q, tokens: n, threadCount: threadCount)
            crossKeyValues[l].withUnsafeBufferPointer { kv in
                attend(
                    &q, &attended, &scores, keys: kv, values: UnsafeBufferPointer(rebasing: kv[d...]),
                    kvStride: 2 * d, positions: { _ in self.audioPositionCount }, rows: 0..<n, heads: heads,
                    headDim: headDim)
            }
            applyLinear(block.crossOutput!, attended, into: &projected, tokens: n, threadCount: threadCount)
            addInPlace(&x, projected)

            // MLP.
            layerNormRows(x, block.mlpNorm, into: &xn, rows: n, width: d)
            applyLinear(block.mlpUp, xn, into: &hidden, tokens: n, threadCount: threadCount)
            hidden.withUnsafeMutableBufferPointer { gelu($0) }
            applyLinear(block.mlpDown, hidden, into: &projected, tokens: n, threadCount: threadCount)
            addInPlace(&x, projected)
        }

        if allStates {
            layerNormRows(x, weights.decoderFinalNorm, into: &xn, rows: n, width: d)
            return xn
        }
        // Only the last token's logits are needed to continue; the output projection is the token embedding.
        let last = Array(x[((n - 1) * d)..<(n * d)])
        var normalized = [Float](repeating: 0, count: d)  // (d)
        layerNormRows(last, weights.decoderFinalNorm, into: &normalized, rows: 1, width: d)
        normalized.withUnsafeBufferPointer { normalized in
            logits.withUnsafeMutableBufferPointer { logits in
                matvec(weights.tokenEmbedding, normalized, logits, threadCount: threadCount)
            }
        }
        return []
    }

    /// Query rows `rows` over `positions(j)` cached keys and values, j counting from the range's first row.
    private func attend(
        _ q: inout [Float], _ attended: inout [Float], _ scores: inout [Float], keys: UnsafeBufferPointer<Float>,
        values: UnsafeBufferPointer<Float>, kvStride: Int, positions: (Int) -> Int, rows: Range<Int>, heads: Int,
        headDim: Int
    ) {
        let d = heads * headDim
        q.withUnsafeBufferPointer { q in
            attended.withUnsafeMutableBufferPointer { attended in
                scores.withUnsafeMutableBufferPointer { scores in
                    for t in rows {
                        attention(
                            query: UnsafeBufferPointer(rebasing: q[(t * d)..<((t + 1) * d)]), keys: keys,
                            values: values, kvStride: kvStride, positionCount: positions(t - rows.lowerBound),
                            heads: heads, kvHeads: heads, headDim: headDim, scores: scores,
                            output: UnsafeMutableBufferPointer(rebasing: attended[(t * d)..<((t + 1) * d)]),
                            threadCount: threadCount)
                    }
                }
            }
        }
    }
}
