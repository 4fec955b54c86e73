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
        forward(newTokens, start: tokens.count)
        tokens += newTokens
        return logits
    }

    /// Runs `newTokens` after the cached ones and returns the final-normalized state after each of them, whose
    /// product with the token embedding is that position's logits (forced decoding computes those for many
    /// positions at once). // (newTokens.count, d)
    func evaluateStates(_ newTokens: [Int]) -> [Float] {
        guard !newTokens.isEmpty else { return [] }
        precondition(tokens.count + newTokens.count <= hyperparameters.textContextLength, "decoder: context full")
        let states = forward(newTokens, start: tokens.count, allStates: true)
        tokens += newTokens
        return states
    }

    /// The hot spot: every block over `batch` starting at cache position `start`; with `allStates`, returns every
    /// position's final-normalized state and computes no logits (else the last position's logits, in `logits`).
    @discardableResult
    private func forward(_ batch: [Int], start: Int, allStates: Bool = false) -> [Float] {
        let h = hyperparameters
        let (n, d, ffn, heads) = (batch.count, h.embeddingLength, h.feedForwardLength, h.decoderHeadCount)
        let headDim = d / heads
        var x = [Float](repeating: 0, count: n * d)  // (n, d) the residual stream
        var xn = [Float](repeating: 0, count: n * d)  // (n, d)
        var qkv = [Float](repeating: 0, count: n * 3 * d)  // (n, 3d)
        var q = [Float](repeating: 0, count: n * d)  // (n, d)
        var attended = [Float](repeating: 0, count: n * d)  // (n, d)
        var projected = [Float](repeating: 0, count: n * d)  // (n, d)
        var hidden = [Float](repeating: 0, count: n * ffn)  // (n, ffn)
        var scores = [Float](repeating: 0, count: heads * max(start + n, audioPositionCount))  // (heads, positions)

        x.withUnsafeMutableBufferPointer { x in
            let embedding = weights.tokenEmbedding
            for (t, token) in batch.enumerated() {
                dequantizeRow(embedding.type, embedding.row(token), count: d, into: x.baseAddress! + t * d)
                for i in 0..<d { x[t * d + i] += weights.decoderPositions[(start + t) * d + i] }
            }
        }
        let layerStride = h.textContextLength * d
        for (l, block) in weights.decoderBlocks.enumerated() {
            // Masked self-attention over the cache.
            layerNormRows(x, block.attentionNorm, into: &xn, rows: n, width: d)
            applyLinear(block.queryKeyValue, xn, into: &qkv, tokens: n, threadCount: threadCount)
            for t in 0..<n {
                let cache = l * layerStride + (start + t) * d
                for i in 0..<d {
                    q[t * d + i] = qkv[t * 3 * d + i]
                    selfKeys[cache + i] = qkv[t * 3 * d + d + i]
                    selfValues[cache + i] = qkv[t * 3 * d + 2 * d + i]
                }
            }
            selfKeys.withUnsafeBufferPointer { keys in
                selfValues.withUnsafeBufferPointer { values in
                    attend(
                        &q, &attended, &scores, keys: UnsafeBufferPointer(rebasing: keys[(l * layerStride)...]),
                        values: UnsafeBufferPointer(rebasing: values[(l * layerStride)...]), kvStride: d,
                        positions: { start + $0 + 1 }, count: n, heads: heads, headDim: headDim)
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
                    kvStride: 2 * d, positions: { _ in self.audioPositionCount }, count: n, heads: heads,
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

    /// One query row per token over `positions(t)` cached keys and values.
    private func attend(
        _ q: inout [Float], _ attended: inout [Float], _ scores: inout [Float], keys: UnsafeBufferPointer<Float>,
        values: UnsafeBufferPointer<Float>, kvStride: Int, positions: (Int) -> Int, count: Int, heads: Int,
        headDim: Int
    ) {
        let d = heads * headDim
        q.withUnsafeBufferPointer { q in
            attended.withUnsafeMutableBufferPointer { attended in
                scores.withUnsafeMutableBufferPointer { scores in
                    for t in 0..<count {
                        attention(
                            query: UnsafeBufferPointer(rebasing: q[(t * d)..<((t + 1) * d)]), keys: keys,
                            values: values, kvStride: kvStride, positionCount: positions(t), heads: heads,
                            kvHeads: heads, headDim: headDim, scores: scores,
                            output: UnsafeMutableBufferPointer(rebasing: attended[(t * d)..<((t + 1) * d)]),
                            threadCount: threadCount)
                    }
                }
            }
        }
    }
}
