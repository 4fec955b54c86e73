import Foundation
import GGUF
import Kernels
import Logging

/// A llama-family transformer's weights (Llama, SmolLM2, Qwen2), viewed in place in a memory-mapped GGUF file.
///
///     let model = try LlamaModel(path: "~/.cache/voicetutor/models/smollm2-135m-instruct-q4_1.gguf")
///     let session = model.makeSession(contextLength: 2_048)
///     let logits = try session.evaluate([1, 2, 3])       // (vocabularySize) for the last token
///
/// Quantized weights are never copied: matrix products read the mapped blocks. Only norms and biases (a few KB)
/// are converted to Float. A model is immutable and safe to share between threads; each thread needs its own
/// session.
public final class LlamaModel: Sendable {
    /// One transformer block's weights.
    struct Layer: Sendable {
        var attentionNorm: [Float]  // (d)
        var query: WeightMatrix  // (d, d)
        var key: WeightMatrix  // (kvWidth, d)
        var value: WeightMatrix  // (kvWidth, d)
        var output: WeightMatrix  // (d, d)
        var queryBias: [Float]?  // (d), Qwen2 only
        var keyBias: [Float]?  // (kvWidth)
        var valueBias: [Float]?  // (kvWidth)
        var feedForwardNorm: [Float]  // (d)
        var gate: WeightMatrix  // (ffn, d)
        var up: WeightMatrix  // (ffn, d)
        var down: WeightMatrix  // (d, ffn)
    }

    /// The file the weights live in (kept open: the matrices point into its mapping).
    public let file: GGUFFile
    /// The model's shape.
    public let hyperparameters: LlamaHyperparameters
    let tokenEmbedding: WeightMatrix  // (vocab, d)
    let layers: [Layer]
    let outputNorm: [Float]  // (d)
    /// The output head; the token embedding itself when the model ties them (SmolLM2).
    let outputHead: WeightMatrix  // (vocab, d)
    /// Added to the logits when the file has `output.bias` (llama.cpp's qwen2 reads one if present).
    let outputBias: [Float]?  // (vocab)

    /// Bytes of weights a decode step reads: what bounds tokens/s on a machine's memory bandwidth.
    public var weightByteCount: Int {
        let perLayer =
            layers.first.map { layer in
                [layer.query, layer.key, layer.value, layer.output, layer.gate, layer.up, layer.down]
                    .reduce(0) { $0 + $1.byteCount }
            } ?? 0
        return perLayer * layers.count + outputHead.byteCount
    }

    /// Opens and validates a GGUF model file.
    public convenience init(path: String) throws {
        try self.init(file: GGUFFile(path: (path as NSString).expandingTildeInPath))
    }

    /// Validates every tensor's shape and type against the hyperparameters, then keeps views of them.
    public init(file: GGUFFile) throws {
        self.file = file
        let h = try LlamaHyperparameters.read(from: file)
        hyperparameters = h
        let (d, kv, ffn, vocab) = (h.embeddingLength, h.kvWidth, h.feedForwardLength, h.vocabularySize)
        var expected: [String: [Int]] = ["token_embd.weight": [d, vocab], "output_norm.weight": [d]]
        if file.tensor(named: "output.weight") != nil { expected["output.weight"] = [d, vocab] }
        if file.tensor(named: "output.bias") != nil { expected["output.bias"] = [vocab] }
        for i in 0..<h.layerCount {
            let shapes: [String: [Int]] = [
                "attn_norm.weight": [d], "attn_q.weight": [d, d], "attn_k.weight": [d, kv], "attn_v.weight": [d, kv],
                "attn_output.weight": [d, d], "ffn_norm.weight": [d], "ffn_gate.weight": [d, ffn],
                "ffn_up.weight": [d, ffn], "ffn_down.weight": [ffn, d],
            ]
            for (name, shape) in shapes { expected["blk.\(i).\(name)"] = shape }
            for (name, shape) in ["attn_q.bias": [d], "attn_k.bias": [kv], "attn_v.bias": [kv]]
            where file.tensor(named: "blk.\(i).\(name)") != nil {
                expected["blk.\(i).\(name)"] = shape
            }
        }
        try file.validateShapes(expected)
        // A tensor the forward pass would not read (a fused attn_qkv, an attention output bias, Llama 3's
        // rope_freqs) means a model computed differently from what we compute: refuse it rather than answer wrong.
        if let unused = file.tensorInfos.first(where: { expected[$0.name] == nil }) {
            throw LanguageModelError.unusedTensor(path: file.path, tensor: unused.name, architecture: h.architecture)
        }

        func matrix(_ name: String) throws -> WeightMatrix {
            let tensor = try file.requireTensor(named: name)
            guard let type = TensorType(rawValue: tensor.info.type.rawValue) else {
                throw LanguageModelError.unsupportedTensorType(
                    path: file.path, tensor: name, type: "\(tensor.info.type)")
            }
            return WeightMatrix(
                type: type, rows: tensor.info.shape.count > 1 ? tensor.info.shape[1] : 1, cols: tensor.info.shape[0],
                data: tensor.bytes)
        }
        func floats(_ name: String) throws -> [Float] {
            let weights = try matrix(name)
            return dequantizeRow(
                weights.type, UnsafeRawBufferPointer(start: weights.data, count: weights.byteCount),
                count: weights.rows * weights.cols)
        }
        func optionalFloats(_ name: String) throws -> [Float]? {
            file.tensor(named: name) == nil ? nil : try floats(name)
        }
        tokenEmbedding = try matrix("token_embd.weight")
        outputNorm = try floats("output_norm.weight")
        outputHead = file.tensor(named: "output.weight") == nil ? tokenEmbedding : try matrix("output.weight")
        outputBias = try optionalFloats("output.bias")
        layers = try (0..<h.layerCount).map { i in
            let p = "blk.\(i)."
            return Layer(
                attentionNorm: try floats(p + "attn_norm.weight"), query: try matrix(p + "attn_q.weight"),
                key: try matrix(p + "attn_k.weight"), value: try matrix(p + "attn_v.weight"),
                output: try matrix(p + "attn_output.weight"), queryBias: try optionalFloats(p + "attn_q.bias"),
                keyBias: try optionalFloats(p + "attn_k.bias"), valueBias: try optionalFloats(p + "attn_v.bias"),
                feedForwardNorm: try floats(p + "ffn_norm.weight"), gate: try matrix(p + "ffn_gate.weight"),
                up: try matrix(p + "ffn_up.weight"), down: try matrix(p + "ffn_down.weight"))
        }
        Logger(label: "voicetutor.lm").info(
            "\(file.path): \(h.summary), \(weightByteCount / 1_000_000) MB of weights per token")
    }

    /// A new session (KV cache and scratch) holding up to `contextLength` tokens.
    ///
    /// The KV cache is f16 by default (as llama.cpp's): half the memory of f32, logits within about 1e-2.
    public func makeSession(
        contextLength: Int? = nil, threadCount: Int = defaultKernelThreadCount,
        kvCachePrecision: KVCachePrecision = .f16
    ) -> LlamaSession {
        LlamaSession(
            model: self,
            capacity: min(
                contextLength ?? hyperparameters.trainedContextLength,
                hyperparameters.trainedContextLength), threadCount: threadCount, kvCachePrecision: kvCachePrecision)
    }
}
