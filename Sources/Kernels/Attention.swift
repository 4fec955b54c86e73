// Attention of one query token over a KV cache.
import CKernels
import Foundation

/// Grouped-query attention for one query at position `positionCount - 1` over cached positions 0..<positionCount.
///
/// Causal by construction: the cache holds only positions up to the query's own. Query head h reads KV head
/// h / (heads / kvHeads) (so kvHeads must divide heads; kvHeads == heads is ordinary multi-head attention). Scores
/// are scaled by 1 / √headDim. Heads are shared among `threadCount` workers.
///
/// - Parameters:
///   - query: the query, after RoPE. // (heads, headDim)
///   - keys: the key cache; position t starts at t * kvStride. // (positions, kvStride >= kvHeads * headDim)
///   - values: the value cache, laid out as `keys`. // (positions, kvStride)
///   - scores: scratch for the attention weights, left holding them. // (heads, positionCount)
///   - output: the attended values. // (heads, headDim)
public func attention(
    query: UnsafeBufferPointer<Float>, keys: UnsafeBufferPointer<Float>, values: UnsafeBufferPointer<Float>,
    kvStride: Int, positionCount: Int, heads: Int, kvHeads: Int, headDim: Int,
    scores: UnsafeMutableBufferPointer<Float>, output: UnsafeMutableBufferPointer<Float>,
    threadCount: Int = defaultKernelThreadCount
) {
    attention(
        query: query, keys: keys, values: values, kvStride: kvStride, positionCount: positionCount, heads: heads,
        kvHeads: kvHeads, headDim: headDim, scores: scores, output: output, threadCount: threadCount,
        kernel: bestDotKernel)
}

/// `attention` over an f16 KV cache (IEEE half bit patterns), as llama.cpp keeps it by default.
///
/// The same computation in Float on the halves' exact Float values: it matches `attention` over a Float cache
/// holding those values to Float rounding. Keys and values are converted inside the dot products (F16C where the CPU
/// has it, the conversion table otherwise), never stored as Floats.
///
/// - Parameters:
///   - keys: the key cache as halves. // (positions, kvStride)
///   - values: the value cache as halves. // (positions, kvStride)
public func attention(
    query: UnsafeBufferPointer<Float>, keys: UnsafeBufferPointer<UInt16>, values: UnsafeBufferPointer<UInt16>,
    kvStride: Int, positionCount: Int, heads: Int, kvHeads: Int, headDim: Int,
    scores: UnsafeMutableBufferPointer<Float>, output: UnsafeMutableBufferPointer<Float>,
    threadCount: Int = defaultKernelThreadCount
) {
    attention(
        query: query, keys: keys, values: values, kvStride: kvStride, positionCount: positionCount, heads: heads,
        kvHeads: kvHeads, headDim: headDim, scores: scores, output: output, threadCount: threadCount,
        kernel: bestDotKernel)
}

/// `attention` over a cache of `Element`s (Float or f16) with the dot-product code chosen by the caller (tests run
/// each). Generic so that the per-head loop is written once; release builds specialize it for each cache type.
func attention<Element: AttentionCacheElement>(
    query: UnsafeBufferPointer<Float>, keys: UnsafeBufferPointer<Element>, values: UnsafeBufferPointer<Element>,
    kvStride: Int, positionCount: Int, heads: Int, kvHeads: Int, headDim: Int,
    scores: UnsafeMutableBufferPointer<Float>, output: UnsafeMutableBufferPointer<Float>, threadCount: Int,
    kernel: DotKernel
) {
    checkAttentionShapes(
        heads: heads, kvHeads: kvHeads, headDim: headDim, kvStride: kvStride, positionCount: positionCount,
        keyCount: keys.count, scoreCount: scores.count, outputCount: output.count)
    let q = query.baseAddress!
    let k = keys.baseAddress!
    let v = values.baseAddress!
    let s = scores.baseAddress!
    let o = output.baseAddress!
    let groupSize = heads / kvHeads
    let scale = 1 / Float(headDim).squareRoot()
    parallelChunks(heads, threadCount: positionCount * headDim >= 4096 ? threadCount : 1) { headRange in
        for h in headRange {
            let kvOffset = (h / groupSize) * headDim
            let headScores = UnsafeMutableBufferPointer(start: s + h * positionCount, count: positionCount)
            Element.attentionScores(
                query: q + h * headDim, keys: k + kvOffset, kvStride: kvStride, headDim: headDim, scale: scale,
                into: headScores, kernel: kernel)
            softmax(headScores)
            Element.attendedValues(
                weights: UnsafeBufferPointer(headScores), values: v + kvOffset, kvStride: kvStride, headDim: headDim,
                into: o + h * headDim, kernel: kernel)
        }
    }
}

/// A KV cache's element type: how `attention` reads one head's keys and values from a cache of it.
protocol AttentionCacheElement {
    /// scores[t] = (query · key t) × scale for every position t < scores.count; key t starts at keys + t * kvStride.
    ///
    /// - Parameters:
    ///   - query: one head's query. // (headDim)
    ///   - keys: the head's first key. // (positions, kvStride)
    ///   - scores: the head's scores. // (positions)
    static func attentionScores(
        query: UnsafePointer<Float>, keys: UnsafePointer<Self>, kvStride: Int, headDim: Int, scale: Float,
        into scores: UnsafeMutableBufferPointer<Float>, kernel: DotKernel)

    /// output = Σ weights[t] × value t over the positions t < weights.count; value t starts at values + t * kvStride.
    ///
    /// - Parameters:
    ///   - weights: the head's attention weights. // (positions)
    ///   - values: the head's first value. // (positions, kvStride)
    ///   - output: the head's attended values. // (headDim)
    static func attendedValues(
        weights: UnsafeBufferPointer<Float>, values: UnsafePointer<Self>, kvStride: Int, headDim: Int,
        into output: UnsafeMutablePointer<Float>, kernel: DotKernel)
}

/// A Float cache: the Swift loops whatever the kernel.
extension Float: AttentionCacheElement {
    @inline(__always)
    static func attentionScores(
        query: UnsafePointer<Float>, keys: UnsafePointer<Float>, kvStride: Int, headDim: Int, scale: Float,
        into scores: UnsafeMutableBufferPointer<Float>, kernel: DotKernel
    ) {
        for t in 0..<scores.count {
            scores[t] = dotF32(UnsafeRawPointer(keys + t * kvStride), query, headDim) * scale
        }
    }

    @inline(__always)
    static func attendedValues(
        weights: UnsafeBufferPointer<Float>, values: UnsafePointer<Float>, kvStride: Int, headDim: Int,
        into output: UnsafeMutablePointer<Float>, kernel: DotKernel
    ) {
        output.update(repeating: 0, count: headDim)
        for t in 0..<weights.count {
            let weight = weights[t]
            let value = values + t * kvStride
            for i in 0..<headDim { output[i] += weight * value[i] }
        }
    }
}

/// An f16 cache (IEEE half bit patterns): AVX-512's whole-head loops when the head is whole 16-lane steps (all
/// positions in one call each: no call per position, the output kept in registers), else AVX2's calls per
/// position, else the Swift loops through the conversion table.
extension UInt16: AttentionCacheElement {
    @inline(__always)
    static func attentionScores(
        query: UnsafePointer<Float>, keys: UnsafePointer<UInt16>, kvStride: Int, headDim: Int, scale: Float,
        into scores: UnsafeMutableBufferPointer<Float>, kernel: DotKernel
    ) {
        if kernel == .avx512 && headDim % 16 == 0 {
            ck_attention_scores_f16_avx512(
                query, keys, Int32(kvStride), Int32(scores.count), Int32(headDim), scale, scores.baseAddress!)
            return
        }
        for t in 0..<scores.count {
            let key = UnsafeRawPointer(keys + t * kvStride)
            let dot = kernel.hasAVX2 ? ck_dot_f16_avx2(key, query, Int32(headDim)) : dotF16(key, query, headDim)
            scores[t] = dot * scale
        }
    }

    @inline(__always)
    static func attendedValues(
        weights: UnsafeBufferPointer<Float>, values: UnsafePointer<UInt16>, kvStride: Int, headDim: Int,
        into output: UnsafeMutablePointer<Float>, kernel: DotKernel
    ) {
        if kernel == .avx512 && headDim % 16 == 0 {
            ck_attention_values_f16_avx512(
                weights.baseAddress!, values, Int32(kvStride), Int32(weights.count), Int32(headDim), output)
            return
        }
        let table = halfToFloatTable
        output.update(repeating: 0, count: headDim)
        for t in 0..<weights.count {
            let weight = weights[t]
            let value = values + t * kvStride
            if kernel.hasAVX2 {
                ck_axpy_f16_avx2(output, weight, value, Int32(headDim))
            } else {
                for i in 0..<headDim { output[i] += weight * table[Int(UInt16(littleEndian: value[i]))] }
            }
        }
    }
}

/// `attention` over an f16 KV cache as llama.cpp's CPU flash attention computes a query row
/// (`ggml_compute_forward_flash_attn_ext_f16_one_chunk`, which it runs when decoding and for batches under 64
/// queries): the query is rounded to f16, positions are visited once with a running maximum (online softmax), and the
/// weighted values are summed in an f16 accumulator, rounded after every position; the sum of the weights divides
/// it at the end. Those roundings move a head's output by about 1e-3 relative against `attention`; the model's
/// logits follow llama.cpp's to float noise only with them (Tests/LanguageModelTests/LlamaGoldenForwardTests).
///
/// - Parameters:
///   - query: the query, after RoPE. // (heads, headDim)
///   - keys: the key cache as halves; position t starts at t * kvStride. // (positions, kvStride)
///   - values: the value cache as halves, laid out as `keys`. // (positions, kvStride)
///   - output: the attended values. // (heads, headDim)
public func attentionRoundingAsLlamaCpp(
    query: UnsafeBufferPointer<Float>, keys: UnsafeBufferPointer<UInt16>, values: UnsafeBufferPointer<UInt16>,
    kvStride: Int, positionCount: Int, heads: Int, kvHeads: Int, headDim: Int,
    output: UnsafeMutableBufferPointer<Float>,
    threadCount: Int = defaultKernelThreadCount
) {
    attentionRoundingAsLlamaCpp(
        query: query, keys: keys, values: values, kvStride: kvStride, positionCount: positionCount, heads: heads,
        kvHeads: kvHeads, headDim: headDim, output: output, threadCount: threadCount, kernel: bestDotKernel)
}

/// `attentionRoundingAsLlamaCpp` with the code chosen by the caller (tests compare the C and Swift loops).
func attentionRoundingAsLlamaCpp(
    query: UnsafeBufferPointer<Float>, keys: UnsafeBufferPointer<UInt16>, values: UnsafeBufferPointer<UInt16>,
    kvStride: Int, positionCount: Int, heads: Int, kvHeads: Int, headDim: Int,
    output: UnsafeMutableBufferPointer<Float>,
    threadCount: Int, kernel: DotKernel
) {
    precondition(heads % kvHeads == 0 && kvStride >= kvHeads * headDim, "attention: bad head counts")
    precondition(keys.count >= (positionCount - 1) * kvStride + kvHeads * headDim, "attention: key cache too small")
    precondition(output.count >= heads * headDim && headDim <= 256, "attention: output or head too large")
    let q = query.baseAddress!
    let k = keys.baseAddress!
    let v = values.baseAddress!
    let o = output.baseAddress!
    let groupSize = heads / kvHeads
    let scale = 1 / Float(headDim).squareRoot()
    let inC = kernel.hasAVX2 && headDim % 8 == 0
    parallelChunks(heads, threadCount: positionCount * headDim >= 4096 ? threadCount : 1) { headRange in
        withUnsafeTemporaryAllocation(of: UInt16.self, capacity: 2 * headDim) { scratch in
            let accumulator = scratch.baseAddress!  // (headDim) f16 running sums
            let query16 = accumulator + headDim  // (headDim) the query as halves
            for h in headRange {
                let kvOffset = (h / groupSize) * headDim
                if inC {
                    ck_attention_online_f16_avx2(
                        q + h * headDim, k + kvOffset, v + kvOffset, Int32(kvStride), Int32(positionCount),
                        Int32(headDim), scale, accumulator, o + h * headDim)
                    continue
                }
                onlineAttentionHeadF16(
                    query: q + h * headDim, keys: k + kvOffset, values: v + kvOffset, kvStride: kvStride,
                    positionCount: positionCount, headDim: headDim, scale: scale, query16: query16,
                    accumulator: accumulator, output: o + h * headDim)
            }
        }
    }
}

/// Σ x[i] y[i] over halves in the order of ggml's AVX-512 `ggml_vec_dot_f16` (as CKernels' loop sums it): steps
/// of 64 into 64 lanes, lanes l, l + 16, l + 32, l + 48 combined as ((l + l+32) + (l+16 + l+48)), then halved
/// 16 -> 8 -> 4 -> 2 -> 1, the leftovers added in Double. Products of halves are exact in Float.
private func dotHalvesAsGgml(_ x: UnsafePointer<UInt16>, _ y: UnsafePointer<UInt16>, _ count: Int) -> Float {
    let table = halfToFloatTable
    return withUnsafeTemporaryAllocation(of: Float.self, capacity: 64) { lanes in
        lanes.initialize(repeating: 0)
        var i = 0
        while i + 64 <= count {
            for l in 0..<64 { lanes[l] += table[Int(x[i + l])] * table[Int(y[i + l])] }
            i += 64
        }
        for l in 0..<16 { lanes[l] = (lanes[l] + lanes[l + 32]) + (lanes[l + 16] + lanes[l + 48]) }
        var width = 8
        while width >= 1 {
            for l in 0..<width { lanes[l] = lanes[l + width] + lanes[l] }
            width /= 2
        }
        var sum = Double(lanes[0])
        while i < count {
            sum += Double(table[Int(x[i])] * table[Int(y[i])])
            i += 1
        }
        return Float(sum)
    }
}

/// One head of `attentionRoundingAsLlamaCpp` in plain Swift: the portable path and the C loop's reference.
private func onlineAttentionHeadF16(
    query: UnsafePointer<Float>, keys: UnsafePointer<UInt16>, values: UnsafePointer<UInt16>, kvStride: Int,
    positionCount: Int, headDim: Int, scale: Float, query16: UnsafeMutablePointer<UInt16>,
    accumulator: UnsafeMutablePointer<UInt16>, output: UnsafeMutablePointer<Float>
) {
    let table = halfToFloatTable
    func float(_ half: UInt16) -> Float { table[Int(UInt16(littleEndian: half))] }
    for i in 0..<headDim {
        query16[i] = halfFromFloat(query[i])
        accumulator[i] = 0
    }
    var sum: Float = 0
    var maximum = -Float.infinity
    for t in 0..<positionCount {
        let s = dotHalvesAsGgml(keys + t * kvStride, query16, headDim) * scale
        var (ms, vs): (Float, Float) = (1, 1)
        if s > maximum {
            ms = exp(maximum - s)
            maximum = s
            for i in 0..<headDim { accumulator[i] = halfFromFloat(float(accumulator[i]) * ms) }
        } else {
            vs = exp(s - maximum)
        }
        let value = values + t * kvStride
        for i in 0..<headDim {
            accumulator[i] = halfFromFloat(float(accumulator[i]).addingProduct(float(value[i]), vs))
        }
        sum = vs.addingProduct(sum, ms)
    }
    let inverse: Float = sum == 0 ? 0 : 1 / sum
    for i in 0..<headDim { output[i] = float(accumulator[i]) * inverse }
}

/// Converts `count` Floats to IEEE half bit patterns (round to nearest even), as an f16 KV cache stores them.
public func floatsToHalves(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<UInt16>, count: Int) {
    if bestDotKernel.hasAVX2 {
        ck_floats_to_halves_avx2(x, out, Int32(count))
    } else {
        for i in 0..<count { out[i] = halfFromFloat(x[i]).littleEndian }
    }
}

/// Causal attention for a batch of consecutive queries (a prompt): query t sits at position `firstPosition + t` and
/// sees cache positions 0...firstPosition + t. The queries are shared among the threads (each query's heads run on
/// one thread), one parallel region for the whole batch instead of one per query; each query's result equals
/// `attention` for it alone.
///
/// - Parameters:
///   - queries: the queries, after RoPE. // (queryCount, heads * headDim)
///   - keys: the key cache, holding every query's position already. // (positions, kvStride)
///   - values: the value cache, laid out as `keys`. // (positions, kvStride)
///   - output: the attended values. // (queryCount, heads * headDim)
public func causalAttention(
    queries: UnsafeBufferPointer<Float>, queryCount: Int, firstPosition: Int, keys: UnsafeBufferPointer<Float>,
    values: UnsafeBufferPointer<Float>, kvStride: Int, heads: Int, kvHeads: Int, headDim: Int,
    output: UnsafeMutableBufferPointer<Float>, threadCount: Int = defaultKernelThreadCount
) {
    forEachCausalQuery(
        queries: queries, queryCount: queryCount, firstPosition: firstPosition, heads: heads, headDim: headDim,
        output: output, threadCount: threadCount
    ) { query, positionCount, scores, out in
        attention(
            query: query, keys: keys, values: values, kvStride: kvStride, positionCount: positionCount, heads: heads,
            kvHeads: kvHeads, headDim: headDim, scores: scores, output: out, threadCount: 1)
    }
}

/// `causalAttention` over an f16 KV cache (IEEE half bit patterns); with `roundingAsLlamaCpp`, each query runs
/// `attentionRoundingAsLlamaCpp` instead of `attention`.
public func causalAttention(
    queries: UnsafeBufferPointer<Float>, queryCount: Int, firstPosition: Int, keys: UnsafeBufferPointer<UInt16>,
    values: UnsafeBufferPointer<UInt16>, kvStride: Int, heads: Int, kvHeads: Int, headDim: Int,
    output: UnsafeMutableBufferPointer<Float>, threadCount: Int = defaultKernelThreadCount,
    roundingAsLlamaCpp: Bool = false
) {
    forEachCausalQuery(
        queries: queries, queryCount: queryCount, firstPosition: firstPosition, heads: heads, headDim: headDim,
        output: output, threadCount: threadCount
    ) { query, positionCount, scores, out in
        if roundingAsLlamaCpp {
            attentionRoundingAsLlamaCpp(
                query: query, keys: keys, values: values, kvStride: kvStride, positionCount: positionCount,
                heads: heads, kvHeads: kvHeads, headDim: headDim, output: out, threadCount: 1)
        } else {
            attention(
                query: query, keys: keys, values: values, kvStride: kvStride, positionCount: positionCount,
                heads: heads, kvHeads: kvHeads, headDim: headDim, scores: scores, output: out, threadCount: 1)
        }
    }
}

/// Runs `body(query, positionCount, scores scratch, output)` for every query of a causal batch, queries spread
/// over the threads, each chunk with its own scores scratch.
private func forEachCausalQuery(
    queries: UnsafeBufferPointer<Float>, queryCount: Int, firstPosition: Int, heads: Int, headDim: Int,
    output: UnsafeMutableBufferPointer<Float>, threadCount: Int,
    _ body: (UnsafeBufferPointer<Float>, Int, UnsafeMutableBufferPointer<Float>, UnsafeMutableBufferPointer<Float>)
        -> Void
) {
    let width = heads * headDim
    precondition(queries.count >= queryCount * width && output.count >= queryCount * width, "attention: batch")
    let q = queries.baseAddress!
    let o = output.baseAddress!
    parallelChunks(queryCount, threadCount: threadCount) { range in
        // (heads, positions) for the chunk's last (longest) query.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: heads * (firstPosition + range.upperBound)) {
            scores in
            for t in range {
                body(
                    UnsafeBufferPointer(start: q + t * width, count: width), firstPosition + t + 1, scores,
                    UnsafeMutableBufferPointer(start: o + t * width, count: width))
            }
        }
    }
}

/// The head counts, cache and scratch sizes every attention kernel requires.
@inline(__always)
func checkAttentionShapes(
    heads: Int, kvHeads: Int, headDim: Int, kvStride: Int, positionCount: Int, keyCount: Int, scoreCount: Int,
    outputCount: Int
) {
    precondition(heads % kvHeads == 0 && kvStride >= kvHeads * headDim, "attention: bad head counts")
    precondition(keyCount >= (positionCount - 1) * kvStride + kvHeads * headDim, "attention: key cache too small")
    precondition(scoreCount >= heads * positionCount && outputCount >= heads * headDim, "attention: scratch")
}
