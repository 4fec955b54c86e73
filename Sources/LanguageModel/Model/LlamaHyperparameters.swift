import GGUF
import Kernels

/// The shape of a llama-family transformer, read from GGUF metadata (`<arch>.block_count` and friends).
public struct LlamaHyperparameters: Sendable, Equatable {
    /// `llama` or `qwen2`.
    public var architecture: String
    /// Transformer blocks.
    public var layerCount: Int
    /// Width of the residual stream.
    public var embeddingLength: Int
    /// Width of the SwiGLU hidden layer.
    public var feedForwardLength: Int
    /// Query heads.
    public var headCount: Int
    /// Key/value heads (fewer than query heads: grouped-query attention).
    public var kvHeadCount: Int
    /// The context the model was trained for.
    public var trainedContextLength: Int
    /// RMSNorm's epsilon.
    public var rmsEpsilon: Float
    /// RoPE's base, style and scaling.
    public var rope: RopeOptions
    /// Tokens in the vocabulary (rows of the embedding).
    public var vocabularySize: Int

    /// Values per head.
    public var headDimension: Int { embeddingLength / headCount }
    /// Width of one token's keys (or values) for all KV heads.
    public var kvWidth: Int { kvHeadCount * headDimension }

    /// Reads and checks the hyperparameters of `file`.
    public static func read(from file: GGUFFile) throws -> LlamaHyperparameters {
        let path = file.path
        let architecture = try file.requireString("general.architecture")
        guard ["llama", "qwen2"].contains(architecture) else {
            throw LanguageModelError.unsupportedArchitecture(path: path, found: architecture)
        }
        func int(_ key: String) throws -> Int { try file.requireInt("\(architecture).\(key)") }
        let embedding = try int("embedding_length")
        let heads = try int("attention.head_count")
        let kvHeads = file.metadata["\(architecture).attention.head_count_kv"]?.int ?? heads
        let token = try file.requireTensor(named: "token_embd.weight")
        var rope = RopeOptions(
            base: file.metadata["\(architecture).rope.freq_base"]?.float ?? 10_000,
            // llama GGUFs had q/k permuted by the converter into adjacent pairs; Qwen2 keeps the half-split order.
            style: architecture == "qwen2" ? .neox : .normal)
        if let dimensions = file.metadata["\(architecture).rope.dimension_count"]?.int, dimensions != embedding / heads
        {
            rope.rotaryDimensionCount = dimensions
        }
        let scaling = file.metadata["\(architecture).rope.scaling.type"]?.string ?? "none"
        guard ["none", "linear"].contains(scaling) else {
            // YaRN and the others change every frequency; computing without them would be silently wrong.
            throw LanguageModelError.badHyperparameter(
                path: path, key: "\(architecture).rope.scaling.type", found: scaling, expected: "none or linear")
        }
        if scaling == "linear",
            let factor = file.metadata["\(architecture).rope.scaling.factor"]?.float, factor > 0
        {
            rope.frequencyScale = 1 / factor
        }
        let hyperparameters = LlamaHyperparameters(
            architecture: architecture, layerCount: try int("block_count"), embeddingLength: embedding,
            feedForwardLength: try int("feed_forward_length"), headCount: heads, kvHeadCount: kvHeads,
            trainedContextLength: try int("context_length"),
            rmsEpsilon: try file.requireFloat("\(architecture).attention.layer_norm_rms_epsilon"), rope: rope,
            vocabularySize: token.info.shape.count == 2 ? token.info.shape[1] : 0)
        try hyperparameters.check(path: path)
        return hyperparameters
    }

    func check(path: String) throws {
        func bad(_ key: String, _ found: Int, _ expected: String) -> LanguageModelError {
            .badHyperparameter(path: path, key: "\(architecture).\(key)", found: "\(found)", expected: expected)
        }
        for (key, value) in [
            ("block_count", layerCount), ("embedding_length", embeddingLength),
            ("feed_forward_length", feedForwardLength), ("attention.head_count", headCount),
            ("attention.head_count_kv", kvHeadCount), ("context_length", trainedContextLength),
        ] where value <= 0 || value > 1 << 20 {
            throw bad(key, value, "a positive count")
        }
        guard embeddingLength % headCount == 0, headDimension % 2 == 0 else {
            throw bad("attention.head_count", headCount, "a divisor of \(embeddingLength) leaving an even head size")
        }
        guard headCount % kvHeadCount == 0 else {
            throw bad("attention.head_count_kv", kvHeadCount, "a divisor of the \(headCount) query heads")
        }
        guard vocabularySize > 0 else { throw bad("vocabulary (token_embd.weight rows)", vocabularySize, "> 0") }
    }

    /// One line for the log at load.
    public var summary: String {
        "\(architecture): \(layerCount) layers, d=\(embeddingLength), ffn=\(feedForwardLength), heads=\(headCount)/"
            + "\(kvHeadCount) kv, head=\(headDimension), vocab=\(vocabularySize), ctx=\(trainedContextLength), "
            + "rope base \(rope.base) \(rope.style)"
    }
}
