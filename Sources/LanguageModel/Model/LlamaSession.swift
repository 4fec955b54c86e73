import Kernels

/// One conversation's state on a `LlamaModel`: the KV cache, its position, and scratch buffers.
///
/// `evaluate` runs the transformer over new tokens (a prompt in one batch, or one token while decoding) and returns
/// the last token's logits. The cache is kept between calls, so a fixed system prompt is computed once: `truncate`
/// back to its length to start the next question. Not thread-safe: one session per conversation.
public final class LlamaSession {
    /// The model this session runs.
    public let model: LlamaModel
    /// Tokens the cache can hold.
    public let capacity: Int
    /// Threads for the matrix products (one parallel region at a time: no oversubscription).
    public let threadCount: Int
    /// Tokens in the cache, in order.
    public private(set) var tokens: [Int] = []

    private var keys: [Float]  // (layers, capacity, kvWidth)
    private var values: [Float]  // (layers, capacity, kvWidth)
    private var logits: [Float]  // (vocab)

    init(model: LlamaModel, capacity: Int, threadCount: Int) {
        self.model = model
        self.capacity = capacity
        self.threadCount = max(1, threadCount)
        let h = model.hyperparameters
        keys = [Float](repeating: 0, count: h.layerCount * capacity * h.kvWidth)
        values = [Float](repeating: 0, count: h.layerCount * capacity * h.kvWidth)
        logits = [Float](repeating: 0, count: h.vocabularySize)
    }

    /// Tokens in the cache.
    public var position: Int { tokens.count }

    /// Forgets everything: the next `evaluate` starts at position 0.
    public func reset() { tokens.removeAll(keepingCapacity: true) }

    /// Keeps only the first `count` tokens (a reused prefix such as the system prompt).
    public func truncate(to count: Int) {
        if count < tokens.count { tokens.removeLast(tokens.count - count) }
    }

    /// Runs `newTokens` after the cached ones and returns the logits for the next token. // (vocab)
    @discardableResult
    public func evaluate(_ newTokens: [Int]) throws -> [Float] {
        let h = model.hyperparameters
        guard !newTokens.isEmpty else { return logits }
        guard tokens.count + newTokens.count <= capacity else {
            throw LanguageModelError.contextFull(
                path: model.file.path, needed: tokens.count + newTokens.count, capacity: capacity)
        }
        if let bad = newTokens.first(where: { $0 < 0 || $0 >= h.vocabularySize }) {
            throw LanguageModelError.tokenOutOfRange(
                path: model.file.path, token: bad, vocabularySize: h.vocabularySize)
        }
        forward(newTokens, start: tokens.count)
        tokens.append(contentsOf: newTokens)
        return logits
    }

    /// The hot spot: every layer over a batch of `batch.count` tokens starting at cache position `start`.
    private func forward(_ batch: [Int], start: Int) {
        let h = model.hyperparameters
        let (n, d, kvWidth, ffn) = (batch.count, h.embeddingLength, h.kvWidth, h.feedForwardLength)
        var x = [Float](repeating: 0, count: n * d)  // (n, d) the residual stream
        var xn = [Float](repeating: 0, count: n * d)  // (n, d) normalized
        var q = [Float](repeating: 0, count: n * d)  // (n, d)
        var k = [Float](repeating: 0, count: n * kvWidth)  // (n, kvWidth)
        var v = [Float](repeating: 0, count: n * kvWidth)  // (n, kvWidth)
        var attended = [Float](repeating: 0, count: n * d)  // (n, d)
        var projected = [Float](repeating: 0, count: n * d)  // (n, d)
        var gate = [Float](repeating: 0, count: n * ffn)  // (n, ffn)
        var up = [Float](repeating: 0, count: n * ffn)  // (n, ffn)
        var scores = [Float](repeating: 0, count: h.headCount * (start + n))  // (heads, positions)

        x.withUnsafeMutableBufferPointer { x in
            for (t, token) in batch.enumerated() {
                dequantizeRow(
                    model.tokenEmbedding.type, model.tokenEmbedding.row(token), count: d,
                    into: x.baseAddress! + t * d)
            }
        }
        let layerStride = capacity * kvWidth
        for (l, layer) in model.layers.enumerated() {
            // Attention.
            normalizeRows(x, weight: layer.attentionNorm, into: &xn, rows: n, width: d, epsilon: h.rmsEpsilon)
            project(layer.query, xn, into: &q, tokens: n, bias: layer.queryBias)
            project(layer.key, xn, into: &k, tokens: n, bias: layer.keyBias)
            project(layer.value, xn, into: &v, tokens: n, bias: layer.valueBias)
            q.withUnsafeMutableBufferPointer { q in
                k.withUnsafeMutableBufferPointer { k in
                    for t in 0..<n {
                        rope(
                            UnsafeMutableBufferPointer(rebasing: q[(t * d)..<((t + 1) * d)]), heads: h.headCount,
                            headDim: h.headDimension, position: start + t, options: h.rope)
                        rope(
                            UnsafeMutableBufferPointer(rebasing: k[(t * kvWidth)..<((t + 1) * kvWidth)]),
                            heads: h.kvHeadCount, headDim: h.headDimension, position: start + t, options: h.rope)
                    }
                }
            }
            let cacheBase = l * layerStride + start * kvWidth
            keys.replaceSubrange(cacheBase..<(cacheBase + n * kvWidth), with: k)
            values.replaceSubrange(cacheBase..<(cacheBase + n * kvWidth), with: v)
            keys.withUnsafeBufferPointer { keys in
                values.withUnsafeBufferPointer { values in
                    q.withUnsafeBufferPointer { q in
                        scores.withUnsafeMutableBufferPointer { scores in
                            attended.withUnsafeMutableBufferPointer { attended in
                                let layerKeys = UnsafeBufferPointer(rebasing: keys[(l * layerStride)...])
                                let layerValues = UnsafeBufferPointer(rebasing: values[(l * layerStride)...])
                                for t in 0..<n {
                                    // Causal: token t sees the cache up to and including its own position.
                                    attention(
                                        query: UnsafeBufferPointer(rebasing: q[(t * d)..<((t + 1) * d)]),
                                        keys: layerKeys, values: layerValues, kvStride: kvWidth,
                                        positionCount: start + t + 1, heads: h.headCount, kvHeads: h.kvHeadCount,
                                        headDim: h.headDimension, scores: scores,
                                        output: UnsafeMutableBufferPointer(rebasing: attended[(t * d)..<((t + 1) * d)]),
                                        threadCount: threadCount)
                                }
                            }
                        }
                    }
                }
            }
            project(layer.output, attended, into: &projected, tokens: n, bias: nil)
            addInPlace(&x, projected)

            // Feed-forward (SwiGLU).
            normalizeRows(x, weight: layer.feedForwardNorm, into: &xn, rows: n, width: d, epsilon: h.rmsEpsilon)
            project(layer.gate, xn, into: &gate, tokens: n, bias: nil)
            project(layer.up, xn, into: &up, tokens: n, bias: nil)
            gate.withUnsafeMutableBufferPointer { gate in
                silu(gate)
                up.withUnsafeBufferPointer { up in multiply(UnsafeBufferPointer(gate), up, into: gate) }
            }
            project(layer.down, gate, into: &projected, tokens: n, bias: nil)
            addInPlace(&x, projected)
        }

        // Only the last token's logits are needed to continue.
        let last = Array(x[((n - 1) * d)..<(n * d)])
        var normalized = [Float](repeating: 0, count: d)
        normalizeRows(last, weight: model.outputNorm, into: &normalized, rows: 1, width: d, epsilon: h.rmsEpsilon)
        normalized.withUnsafeBufferPointer { normalized in
            logits.withUnsafeMutableBufferPointer { logits in
                matvec(model.outputHead, normalized, logits, threadCount: threadCount)
            }
        }
    }

    /// RMSNorm of each row.
    private func normalizeRows(
        _ x: [Float], weight: [Float], into out: inout [Float], rows: Int, width: Int, epsilon: Float
    ) {
        x.withUnsafeBufferPointer { x in
            weight.withUnsafeBufferPointer { weight in
                out.withUnsafeMutableBufferPointer { out in
                    for r in 0..<rows {
                        rmsNorm(
                            UnsafeBufferPointer(rebasing: x[(r * width)..<((r + 1) * width)]), weight: weight,
                            into: UnsafeMutableBufferPointer(rebasing: out[(r * width)..<((r + 1) * width)]),
                            epsilon: epsilon)
                    }
                }
            }
        }
    }

    /// y = W x (+ bias) for every token: one matrix-vector product while decoding, a matrix product for a prompt.
    private func project(_ w: WeightMatrix, _ x: [Float], into y: inout [Float], tokens: Int, bias: [Float]?) {
        x.withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer { y in
                if tokens == 1 {
                    matvec(w, x, y, threadCount: threadCount)
                } else {
                    matmul(w, x, y, tokens: tokens, threadCount: threadCount)
                }
            }
        }
        if let bias {
            for t in 0..<tokens {
                for i in 0..<w.rows { y[t * w.rows + i] += bias[i] }
            }
        }
    }

    private func addInPlace(_ x: inout [Float], _ y: [Float]) {
        x.withUnsafeMutableBufferPointer { x in
            y.withUnsafeBufferPointer { y in
                for i in 0..<x.count { x[i] += y[i] }
            }
        }
    }
}
