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
    /// The most tokens one forward pass takes; longer prompts run in batches of this many.
    static let maximumBatchTokens = 256
    /// Tokens in the cache, in order.
    public private(set) var tokens: [Int] = []

    /// How the KV cache stores keys and values.
    public var kvCachePrecision: KVCachePrecision { kvCache.precision }

    /// Sees named intermediate tensors as the forward pass computes them (for layer-by-layer comparison with
    /// llama.cpp's graph, whose names it uses: `attn_norm`, `Qcur`, ..., `l_out`, then `result_norm` and
    /// `result_output` with layer -1). Values are (tokens, width) row-major. Nil, the default, costs nothing.
    var activationObserver: ((_ name: String, _ layer: Int, _ values: UnsafeBufferPointer<Float>) -> Void)?

    private let kvCache: KVCache  // (layers, capacity, kvWidth) keys and values
    private let scratch: LlamaScratch
    private var logits: [Float]  // (vocab)

    init(model: LlamaModel, capacity: Int, threadCount: Int, kvCachePrecision: KVCachePrecision = .f16) {
        self.model = model
        self.capacity = capacity
        self.threadCount = max(1, threadCount)
        let h = model.hyperparameters
        kvCache = KVCache(
            precision: kvCachePrecision, layerCount: h.layerCount, capacity: capacity, kvWidth: h.kvWidth)
        scratch = LlamaScratch(hyperparameters: h, capacity: capacity)
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
        // A long prompt runs in batches of at most `maximumBatchTokens`, so that the scratch buffers (about 25 KB
        // per token for SmolLM2) stay small beside the weights and the cache, however long the prompt.
        var first = 0
        while first < newTokens.count {
            let batch = Array(newTokens[first..<min(first + Self.maximumBatchTokens, newTokens.count)])
            forward(batch, start: tokens.count)
            tokens.append(contentsOf: batch)
            first += batch.count
        }
        return logits
    }

    /// The hot spot: every layer over a batch of `batch.count` tokens starting at cache position `start`.
    ///
    /// Decoding one token allocates nothing: the scratch buffers live in the session and grow only for a larger
    /// batch. Matrices that read the same input (q, k, v; gate, up) run as one parallel region.
    private func forward(_ batch: [Int], start: Int) {
        let h = model.hyperparameters
        let (n, d, kvWidth, ffn) = (batch.count, h.embeddingLength, h.kvWidth, h.feedForwardLength)
        scratch.reserve(tokens: n)
        let s = scratch
        let x = s.x  // (n, d) the residual stream
        let observer = activationObserver
        func observe(_ name: String, _ layer: Int, _ buffer: UnsafeMutableBufferPointer<Float>, _ count: Int) {
            observer?(name, layer, UnsafeBufferPointer(rebasing: buffer[0..<count]))
        }

        for (t, token) in batch.enumerated() {
            dequantizeRow(
                model.tokenEmbedding.type, model.tokenEmbedding.row(token), count: d, into: x.baseAddress! + t * d)
        }
        for (l, layer) in model.layers.enumerated() {
            // Attention.
            normalizeRows(x, weight: layer.attentionNorm, into: s.xn, rows: n, width: d, epsilon: h.rmsEpsilon)
            observe("attn_norm", l, s.xn, n * d)
            project(
                [
                    (layer.query, s.q, layer.queryBias), (layer.key, s.k, layer.keyBias),
                    (layer.value, s.v, layer.valueBias),
                ], s.xn, tokens: n)
            for t in 0..<n {
                rope(
                    UnsafeMutableBufferPointer(rebasing: s.q[(t * d)..<((t + 1) * d)]), heads: h.headCount,
                    headDim: h.headDimension, position: start + t, options: h.rope)
                rope(
                    UnsafeMutableBufferPointer(rebasing: s.k[(t * kvWidth)..<((t + 1) * kvWidth)]),
                    heads: h.kvHeadCount, headDim: h.headDimension, position: start + t, options: h.rope)
            }
            observe("Qcur", l, s.q, n * d)
            observe("Kcur", l, s.k, n * kvWidth)
            observe("Vcur", l, s.v, n * kvWidth)
            kvCache.store(layer: l, position: start, keys: s.k, values: s.v, count: n * kvWidth)
            if n == 1 {
                // Decoding: the heads are shared among the threads.
                kvCache.attend(
                    layer: l, query: UnsafeBufferPointer(rebasing: s.q[0..<d]), positionCount: start + 1,
                    hyperparameters: h, scores: s.scores,
                    output: UnsafeMutableBufferPointer(rebasing: s.attended[0..<d]),
                    threadCount: threadCount)
            } else {
                // A prompt: token t sees the cache up to and including its own position; tokens shared among threads.
                kvCache.attendCausally(
                    layer: l, queries: UnsafeBufferPointer(rebasing: s.q[0..<(n * d)]), queryCount: n,
                    firstPosition: start, hyperparameters: h,
                    output: UnsafeMutableBufferPointer(rebasing: s.attended[0..<(n * d)]), threadCount: threadCount)
            }
            observe("kqv_out", l, s.attended, n * d)
            project([(layer.output, s.projected, nil)], s.attended, tokens: n)
            observe("attn_out", l, s.projected, n * d)
            addInPlace(x, s.projected, count: n * d)
            observe("ffn_inp", l, x, n * d)

            // Feed-forward (SwiGLU).
            normalizeRows(x, weight: layer.feedForwardNorm, into: s.xn, rows: n, width: d, epsilon: h.rmsEpsilon)
            observe("ffn_norm", l, s.xn, n * d)
            project([(layer.gate, s.gate, nil), (layer.up, s.up, nil)], s.xn, tokens: n)
            let gate = UnsafeMutableBufferPointer(rebasing: s.gate[0..<(n * ffn)])
            for t in 0..<n { silu(UnsafeMutableBufferPointer(rebasing: gate[(t * ffn)..<((t + 1) * ffn)])) }
            multiply(UnsafeBufferPointer(gate), UnsafeBufferPointer(rebasing: s.up[0..<(n * ffn)]), into: gate)
            observe("ffn_swiglu", l, s.gate, n * ffn)
            project([(layer.down, s.projected, nil)], s.gate, tokens: n)
            addInPlace(x, s.projected, count: n * d)
            observe("l_out", l, x, n * d)
        }

        // Only the last token's logits are needed to continue.
        let last = UnsafeMutableBufferPointer(rebasing: x[((n - 1) * d)..<(n * d)])
        normalizeRows(last, weight: model.outputNorm, into: s.xn, rows: 1, width: d, epsilon: h.rmsEpsilon)
        observe("result_norm", -1, s.xn, d)
        logits.withUnsafeMutableBufferPointer { logits in
            matvec(
                model.outputHead, UnsafeBufferPointer(rebasing: s.xn[0..<d]), logits, threadCount: threadCount)
            if let bias = model.outputBias {
                for i in 0..<logits.count { logits[i] += bias[i] }
            }
        }
        if let observer { logits.withUnsafeBufferPointer { observer("result_output", -1, $0) } }
    }

    /// RMSNorm of each row.
    private func normalizeRows(
        _ x: UnsafeMutableBufferPointer<Float>, weight: [Float], into out: UnsafeMutableBufferPointer<Float>,
        rows: Int, width: Int, epsilon: Float
    ) {
        weight.withUnsafeBufferPointer { weight in
            for r in 0..<rows {
                rmsNorm(
                    UnsafeBufferPointer(rebasing: x[(r * width)..<((r + 1) * width)]), weight: weight,
                    into: UnsafeMutableBufferPointer(rebasing: out[(r * width)..<((r + 1) * width)]),
                    epsilon: epsilon)
            }
        }
    }

    /// y = W x (+ bias) for every token and every (W, y, bias) given, all reading the same x: matrix-vector
    /// products in one parallel region while decoding, a matrix product each for a prompt.
    ///
    /// F32 weights (test models; nothing ships a float model to a 2 GB board) take the matrix-vector products for
    /// a prompt too, token by token: `matvec` sums f32 rows in llama.cpp's order, OpenBLAS's sgemm in another, and
    /// on a model that small a last-bit difference that flips an f16 rounding in the KV cache shows in the logits.
    private func project(
        _ products: [(WeightMatrix, UnsafeMutableBufferPointer<Float>, [Float]?)],
        _ x: UnsafeMutableBufferPointer<Float>, tokens: Int
    ) {
        let x = UnsafeBufferPointer(x)
        if tokens == 1 {
            matvec(products.map { MatVecProduct($0.0, $0.1) }, x, threadCount: threadCount)
        } else if products.allSatisfy({ $0.0.type == .f32 }) {
            let cols = products[0].0.cols
            for t in 0..<tokens {
                matvec(
                    products.map { w, y, _ in
                        MatVecProduct(w, UnsafeMutableBufferPointer(rebasing: y[(t * w.rows)..<((t + 1) * w.rows)]))
                    }, UnsafeBufferPointer(rebasing: x[(t * cols)..<((t + 1) * cols)]), threadCount: threadCount)
            }
        } else {
            for (w, y, _) in products { matmul(w, x, y, tokens: tokens, threadCount: threadCount) }
        }
        for (w, y, bias) in products {
            guard let bias else { continue }
            for t in 0..<tokens {
                for i in 0..<w.rows { y[t * w.rows + i] += bias[i] }
            }
        }
    }

    private func addInPlace(_ x: UnsafeMutableBufferPointer<Float>, _ y: UnsafeMutableBufferPointer<Float>, count: Int)
    {
        for i in 0..<count { x[i] += y[i] }
    }
}
