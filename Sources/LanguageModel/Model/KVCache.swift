import Kernels

/// How a session stores its KV cache.
public enum KVCachePrecision: String, Sendable, CaseIterable {
    /// Halves (IEEE f16), as llama.cpp's default, and attention rounded as llama.cpp's CPU flash attention rounds it
    /// (f16 queries and running sums for decoding and batches under 64 tokens): half the memory of `f32`, and
    /// logits that follow llama.cpp's.
    case f16
    /// Floats, and attention summed in Float: exact, twice the memory (94 MB for SmolLM2-135M at 2,048 tokens).
    case f32
}

/// A session's keys and values for every layer and position, allocated (and touched) in full up front so that the
/// resident memory a session needs shows from its start. Not thread-safe: it belongs to one session.
final class KVCache {
    let precision: KVCachePrecision
    let layerCount: Int
    /// Tokens it holds.
    let capacity: Int
    /// kvHeads * headDim.
    let kvWidth: Int
    /// Floats or halves, as `precision` says.
    private let keys: UnsafeMutableRawPointer  // (layers, capacity, kvWidth)
    private let values: UnsafeMutableRawPointer  // (layers, capacity, kvWidth)

    init(precision: KVCachePrecision, layerCount: Int, capacity: Int, kvWidth: Int) {
        self.precision = precision
        self.layerCount = layerCount
        self.capacity = capacity
        self.kvWidth = kvWidth
        let byteCount = layerCount * capacity * kvWidth * (precision == .f16 ? 2 : 4)
        keys = UnsafeMutableRawPointer.allocate(byteCount: max(1, byteCount), alignment: 64)
        values = UnsafeMutableRawPointer.allocate(byteCount: max(1, byteCount), alignment: 64)
        keys.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
        values.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    private var elementBytes: Int { precision == .f16 ? 2 : 4 }

    /// Bytes held for keys and values together.
    var byteCount: Int { 2 * layerCount * capacity * kvWidth * elementBytes }

    /// Writes `count` Floats of keys and values (whole positions) at `position` of `layer`.
    func store(
        layer: Int, position: Int, keys k: UnsafeMutableBufferPointer<Float>,
        values v: UnsafeMutableBufferPointer<Float>, count: Int
    ) {
        let offset = (layer * capacity + position) * kvWidth
        switch precision {
        case .f32:
            (keys.assumingMemoryBound(to: Float.self) + offset).update(from: k.baseAddress!, count: count)
            (values.assumingMemoryBound(to: Float.self) + offset).update(from: v.baseAddress!, count: count)
        case .f16:
            floatsToHalves(k.baseAddress!, keys.assumingMemoryBound(to: UInt16.self) + offset, count: count)
            floatsToHalves(v.baseAddress!, values.assumingMemoryBound(to: UInt16.self) + offset, count: count)
        }
    }

    /// Batches at least this long run llama.cpp's tiled flash attention, which sums in Float: so do we (`.f16`).
    static let llamaCppTiledAttentionMinimumQueries = 64

    /// Causal attention of `queryCount` queries at positions `firstPosition`... of `layer`, in one parallel region
    /// (see Kernels' `causalAttention`).
    func attendCausally(
        layer: Int, queries: UnsafeBufferPointer<Float>, queryCount: Int, firstPosition: Int,
        hyperparameters h: LlamaHyperparameters, output: UnsafeMutableBufferPointer<Float>, threadCount: Int
    ) {
        let offset = layer * capacity * kvWidth
        let count = capacity * kvWidth
        switch precision {
        case .f32:
            causalAttention(
                queries: queries, queryCount: queryCount, firstPosition: firstPosition,
                keys: UnsafeBufferPointer(start: keys.assumingMemoryBound(to: Float.self) + offset, count: count),
                values: UnsafeBufferPointer(start: values.assumingMemoryBound(to: Float.self) + offset, count: count),
                kvStride: kvWidth, heads: h.headCount, kvHeads: h.kvHeadCount, headDim: h.headDimension,
                output: output, threadCount: threadCount)
        case .f16:
            let keys = UnsafeBufferPointer(start: keys.assumingMemoryBound(to: UInt16.self) + offset, count: count)
            let values = UnsafeBufferPointer(start: values.assumingMemoryBound(to: UInt16.self) + offset, count: count)
            causalAttention(
                queries: queries, queryCount: queryCount, firstPosition: firstPosition, keys: keys, values: values,
                kvStride: kvWidth, heads: h.headCount, kvHeads: h.kvHeadCount, headDim: h.headDimension,
                output: output, threadCount: threadCount,
                roundingAsLlamaCpp: queryCount < Self.llamaCppTiledAttentionMinimumQueries)
        }
    }

    /// Attention of one query over positions 0..<positionCount of `layer` (see Kernels' `attention`).
    func attend(
        layer: Int, query: UnsafeBufferPointer<Float>, positionCount: Int, hyperparameters h: LlamaHyperparameters,
        scores: UnsafeMutableBufferPointer<Float>, output: UnsafeMutableBufferPointer<Float>, threadCount: Int
    ) {
        let offset = layer * capacity * kvWidth
        let count = capacity * kvWidth
        switch precision {
        case .f32:
            attention(
                query: query,
                keys: UnsafeBufferPointer(start: keys.assumingMemoryBound(to: Float.self) + offset, count: count),
                values: UnsafeBufferPointer(start: values.assumingMemoryBound(to: Float.self) + offset, count: count),
                kvStride: kvWidth, positionCount: positionCount, heads: h.headCount, kvHeads: h.kvHeadCount,
                headDim: h.headDimension, scores: scores, output: output, threadCount: threadCount)
        case .f16:
            attentionRoundingAsLlamaCpp(
                query: query,
                keys: UnsafeBufferPointer(start: keys.assumingMemoryBound(to: UInt16.self) + offset, count: count),
                values: UnsafeBufferPointer(start: values.assumingMemoryBound(to: UInt16.self) + offset, count: count),
                kvStride: kvWidth, positionCount: positionCount, heads: h.headCount, kvHeads: h.kvHeadCount,
                headDim: h.headDimension, output: output, threadCount: threadCount)
        }
    }
}

/// A session's scratch buffers for a batch of up to `tokens` tokens; they grow, never shrink.
final class LlamaScratch {
    let d: Int
    let kvWidth: Int
    let ffn: Int
    /// Tokens the buffers hold now.
    private(set) var tokens = 0
    private(set) var x = UnsafeMutableBufferPointer<Float>(start: nil, count: 0)  // (tokens, d) residual stream
    private(set) var xn = UnsafeMutableBufferPointer<Float>(start: nil, count: 0)  // (tokens, d) normalized
    private(set) var q = UnsafeMutableBufferPointer<Float>(start: nil, count: 0)  // (tokens, d)
    private(set) var k = UnsafeMutableBufferPointer<Float>(start: nil, count: 0)  // (tokens, kvWidth)
    private(set) var v = UnsafeMutableBufferPointer<Float>(start: nil, count: 0)  // (tokens, kvWidth)
    private(set) var attended = UnsafeMutableBufferPointer<Float>(start: nil, count: 0)  // (tokens, d)
    private(set) var projected = UnsafeMutableBufferPointer<Float>(start: nil, count: 0)  // (tokens, d)
    private(set) var gate = UnsafeMutableBufferPointer<Float>(start: nil, count: 0)  // (tokens, ffn)
    private(set) var up = UnsafeMutableBufferPointer<Float>(start: nil, count: 0)  // (tokens, ffn)
    /// Attention weights of one query. // (heads, capacity)
    let scores: UnsafeMutableBufferPointer<Float>

    init(hyperparameters h: LlamaHyperparameters, capacity: Int) {
        d = h.embeddingLength
        kvWidth = h.kvWidth
        ffn = h.feedForwardLength
        scores = .allocate(capacity: max(1, h.headCount * capacity))
        scores.initialize(repeating: 0)
        reserve(tokens: 1)
    }

    deinit {
        for buffer in [x, xn, q, k, v, attended, projected, gate, up, scores] { buffer.deallocate() }
    }

    /// Makes room for a batch of `count` tokens.
    func reserve(tokens count: Int) {
        guard count > tokens else { return }
        func fresh(_ old: UnsafeMutableBufferPointer<Float>, _ width: Int) -> UnsafeMutableBufferPointer<Float> {
            old.deallocate()
            let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: count * width)
            buffer.initialize(repeating: 0)
            return buffer
        }
        x = fresh(x, d)
        xn = fresh(xn, d)
        q = fresh(q, d)
        k = fresh(k, kvWidth)
        v = fresh(v, kvWidth)
        attended = fresh(attended, d)
        projected = fresh(projected, d)
        gate = fresh(gate, ffn)
        up = fresh(up, ffn)
        tokens = count
    }
}
