import GGUF
import Kernels

/// A linear layer: weights borrowed from the mapped file (F16 or F32) and the bias as Floats.
struct WhisperLinear: @unchecked Sendable {
    /// The weights. // (outputs, inputs)
    let weight: WeightMatrix
    /// The bias, or nil (CTranslate2 stores none for keys). // (outputs)
    let bias: [Float]?
}

/// One layer normalization's gain and offset. // (d) each
struct WhisperNorm: Sendable {
    let weight: [Float]
    let bias: [Float]
}

/// The weights of one transformer block; `crossQuery`, `crossKeyValue`, `crossOutput`, `crossNorm` only in the decoder.
struct WhisperBlockWeights: @unchecked Sendable {
    let attentionNorm: WhisperNorm
    let queryKeyValue: WhisperLinear  // (3d, d): q, k, v stacked
    let attentionOutput: WhisperLinear  // (d, d)
    let crossNorm: WhisperNorm?
    let crossQuery: WhisperLinear?  // (d, d)
    let crossKeyValue: WhisperLinear?  // (2d, d): k, v stacked
    let crossOutput: WhisperLinear?  // (d, d)
    let mlpNorm: WhisperNorm
    let mlpUp: WhisperLinear  // (ffn, d)
    let mlpDown: WhisperLinear  // (d, ffn)
}

/// Every weight of a `WhisperModel`, ready for the kernels: matrices point into the mapping (the model keeps it
/// alive), small vectors and the convolution kernels are converted to Float once.
struct WhisperWeights: @unchecked Sendable {
    let conv1Weight: [Float]  // (d, melCount * 3): [out][in][k]
    let conv1Bias: [Float]  // (d)
    let conv2Weight: [Float]  // (d, d * 3): [out][in][k]
    let conv2Bias: [Float]  // (d)
    let encoderPositions: [Float]  // (audioContext, d)
    let encoderBlocks: [WhisperBlockWeights]
    let encoderFinalNorm: WhisperNorm
    let tokenEmbedding: WeightMatrix  // (vocab, d), also the output projection (tied)
    let decoderPositions: [Float]  // (textContext, d)
    let decoderBlocks: [WhisperBlockWeights]
    let decoderFinalNorm: WhisperNorm

    init(model: WhisperModel) throws {
        let file = model.file
        let h = model.hyperparameters
        func matrix(_ name: String) throws -> WeightMatrix {
            let tensor = try file.requireTensor(named: name)
            guard let type = TensorType(rawValue: tensor.info.type.rawValue) else {
                throw WhisperModelError.unsupportedTensorType(
                    path: file.path, tensor: name, expected: "F16 or F32", found: "\(tensor.info.type)")
            }
            return WeightMatrix(
                type: type, rows: tensor.info.rowCount, cols: tensor.info.shape[0], data: tensor.bytes)
        }
        func floats(_ name: String) throws -> [Float] {
            let w = try matrix(name)
            return dequantizeRow(
                w.type, UnsafeRawBufferPointer(start: w.data, count: w.byteCount), count: w.rows * w.cols)
        }
        func linear(_ name: String) throws -> WhisperLinear {
            WhisperLinear(
                weight: try matrix("\(name).weight"),
                bias: file.tensor(named: "\(name).bias") == nil ? nil : try floats("\(name).bias"))
        }
        func norm(_ name: String) throws -> WhisperNorm {
            WhisperNorm(weight: try floats("\(name).weight"), bias: try floats("\(name).bias"))
        }
        func block(_ prefix: String, cross: Bool) throws -> WhisperBlockWeights {
            WhisperBlockWeights(
                attentionNorm: try norm("\(prefix).attn_ln"), queryKeyValue: try linear("\(prefix).attn.qkv"),
                attentionOutput: try linear("\(prefix).attn.out"),
                crossNorm: cross ? try norm("\(prefix).cross_attn_ln") : nil,
                crossQuery: cross ? try linear("\(prefix).cross_attn.query") : nil,
                crossKeyValue: cross ? try linear("\(prefix).cross_attn.kv") : nil,
                crossOutput: cross ? try linear("\(prefix).cross_attn.out") : nil,
                mlpNorm: try norm("\(prefix).mlp_ln"), mlpUp: try linear("\(prefix).mlp.0"),
                mlpDown: try linear("\(prefix).mlp.2"))
        }
        conv1Weight = try floats("encoder.conv1.weight")
        conv1Bias = try floats("encoder.conv1.bias")
        conv2Weight = try floats("encoder.conv2.weight")
        conv2Bias = try floats("encoder.conv2.bias")
        encoderPositions = try floats("encoder.positional_embedding")
        encoderBlocks = try (0..<h.encoderBlockCount).map { try block("encoder.blocks.\($0)", cross: false) }
        encoderFinalNorm = try norm("encoder.ln_post")
        tokenEmbedding = try matrix("decoder.token_embedding.weight")
        decoderPositions = try floats("decoder.positional_embedding")
        decoderBlocks = try (0..<h.decoderBlockCount).map { try block("decoder.blocks.\($0)", cross: true) }
        decoderFinalNorm = try norm("decoder.ln")
    }
}

// Row-wise helpers shared by the encoder and the decoder, over (rows, width) Float buffers.

/// Layer norm (eps 1e-5, as Whisper) of each of `rows` rows. // x, out: (rows, width)
func layerNormRows(_ x: [Float], _ norm: WhisperNorm, into out: inout [Float], rows: Int, width: Int) {
    x.withUnsafeBufferPointer { x in
        norm.weight.withUnsafeBufferPointer { weight in
            norm.bias.withUnsafeBufferPointer { bias in
                out.withUnsafeMutableBufferPointer { out in
                    for r in 0..<rows {
                        layerNorm(
                            UnsafeBufferPointer(rebasing: x[(r * width)..<((r + 1) * width)]), weight: weight,
                            bias: bias,
                            into: UnsafeMutableBufferPointer(rebasing: out[(r * width)..<((r + 1) * width)]),
                            epsilon: 1e-5)
                    }
                }
            }
        }
    }
}

/// y = W x + b for `tokens` rows of x: a matrix-vector product for one token, a batched product otherwise.
/// x: (tokens, inputs), y: (tokens, outputs)
func applyLinear(_ layer: WhisperLinear, _ x: [Float], into y: inout [Float], tokens: Int, threadCount: Int) {
    let w = layer.weight
    x.withUnsafeBufferPointer { x in
        y.withUnsafeMutableBufferPointer { y in
            if tokens == 1 {
                matvec(w, x, y, threadCount: threadCount)
            } else {
                matmul(w, x, y, tokens: tokens, threadCount: threadCount)
            }
            if let bias = layer.bias {
                for t in 0..<tokens {
                    for i in 0..<w.rows { y[t * w.rows + i] += bias[i] }
                }
            }
        }
    }
}

/// x += y elementwise. // (n)
func addInPlace(_ x: inout [Float], _ y: [Float]) {
    x.withUnsafeMutableBufferPointer { x in
        y.withUnsafeBufferPointer { y in
            for i in 0..<x.count { x[i] += y[i] }
        }
    }
}

/// Non-causal multi-head attention of every query row over every key row, per head through sgemm:
/// softmax(Q Kᵀ / √headDim) V. Used by the encoder's self-attention. The heads are split over the kernels' thread
/// pool, each worker running its heads' products on its own thread.
///
/// - Parameters:
///   - q, k, v: rows of `heads * headDim`, each `stride` apart (fused projections keep them interleaved).
///   - output: the attended values. // (queryCount, heads * headDim)
func batchedAttention(
    q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>, stride: Int, queryCount: Int,
    keyCount: Int, heads: Int, headDim: Int, output: UnsafeMutablePointer<Float>, threadCount: Int
) {
    let scale = 1 / Float(headDim).squareRoot()
    let width = heads * headDim
    parallelChunks(heads, threadCount: threadCount) { headRange in
        let qh = UnsafeMutablePointer<Float>.allocate(capacity: queryCount * headDim)  // (queryCount, headDim)
        let kh = UnsafeMutablePointer<Float>.allocate(capacity: keyCount * headDim)  // (keyCount, headDim)
        let vh = UnsafeMutablePointer<Float>.allocate(capacity: keyCount * headDim)  // (keyCount, headDim)
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: queryCount * keyCount)  // (queryCount, keyCount)
        let oh = UnsafeMutablePointer<Float>.allocate(capacity: queryCount * headDim)  // (queryCount, headDim)
        defer { [qh, kh, vh, scores, oh].forEach { $0.deallocate() } }
        for h in headRange {
            let offset = h * headDim
            for t in 0..<queryCount {
                for i in 0..<headDim { qh[t * headDim + i] = q[t * stride + offset + i] * scale }
            }
            for t in 0..<keyCount {
                (kh + t * headDim).update(from: k + t * stride + offset, count: headDim)
                (vh + t * headDim).update(from: v + t * stride + offset, count: headDim)
            }
            sgemm(qh, kh, scores, m: queryCount, n: keyCount, k: headDim, transposeB: true, threadCount: 1)
            for t in 0..<queryCount {
                softmaxVectorized(UnsafeMutableBufferPointer(start: scores + t * keyCount, count: keyCount))
            }
            sgemm(scores, vh, oh, m: queryCount, n: headDim, k: keyCount, threadCount: 1)
            for t in 0..<queryCount {
                (output + t * width + offset).update(from: oh + t * headDim, count: headDim)
            }
        }
    }
}
