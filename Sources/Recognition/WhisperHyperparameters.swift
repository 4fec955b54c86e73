import GGUF

/// The sizes of a Whisper model, as stored in the converted GGUF's `whisper.*` metadata.
public struct WhisperHyperparameters: Sendable, Equatable {
    /// Mel bins of the input (80).
    public var melCount: Int
    /// The model width, `d_model` (384 tiny, 512 base).
    public var embeddingLength: Int
    /// The hidden width of each MLP (4 x `embeddingLength`).
    public var feedForwardLength: Int
    /// Encoder transformer blocks.
    public var encoderBlockCount: Int
    /// Decoder transformer blocks.
    public var decoderBlockCount: Int
    /// Attention heads in the encoder.
    public var encoderHeadCount: Int
    /// Attention heads in the decoder.
    public var decoderHeadCount: Int
    /// Token ids (51864 English-only, 51865 multilingual).
    public var vocabularySize: Int
    /// Encoder positions: 1500 (30 s after the stride-2 convolution).
    public var audioContextLength: Int
    /// Decoder positions: 448.
    public var textContextLength: Int

    /// Whether the vocabulary is the multilingual one (Whisper's own test: 51865 ids or more).
    public var isMultilingual: Bool { vocabularySize >= 51_865 }

    /// The GGUF metadata keys, one per field.
    public enum Key {
        /// `whisper.n_mels`.
        public static let melCount = "whisper.n_mels"
        /// `whisper.embedding_length`.
        public static let embeddingLength = "whisper.embedding_length"
        /// `whisper.feed_forward_length`.
        public static let feedForwardLength = "whisper.feed_forward_length"
        /// `whisper.encoder.block_count`.
        public static let encoderBlockCount = "whisper.encoder.block_count"
        /// `whisper.decoder.block_count`.
        public static let decoderBlockCount = "whisper.decoder.block_count"
        /// `whisper.encoder.attention.head_count`.
        public static let encoderHeadCount = "whisper.encoder.attention.head_count"
        /// `whisper.decoder.attention.head_count`.
        public static let decoderHeadCount = "whisper.decoder.attention.head_count"
        /// `whisper.vocab_size`.
        public static let vocabularySize = "whisper.vocab_size"
        /// `whisper.n_audio_ctx`.
        public static let audioContextLength = "whisper.n_audio_ctx"
        /// `whisper.n_text_ctx`.
        public static let textContextLength = "whisper.n_text_ctx"
        /// `whisper.multilingual` (bool).
        public static let multilingual = "whisper.multilingual"
    }

    /// Reads and checks the hyperparameters of a converted file.
    public init(gguf file: GGUFFile) throws {
        melCount = try file.requireInt(Key.melCount)
        embeddingLength = try file.requireInt(Key.embeddingLength)
        feedForwardLength = try file.requireInt(Key.feedForwardLength)
        encoderBlockCount = try file.requireInt(Key.encoderBlockCount)
        decoderBlockCount = try file.requireInt(Key.decoderBlockCount)
        encoderHeadCount = try file.requireInt(Key.encoderHeadCount)
        decoderHeadCount = try file.requireInt(Key.decoderHeadCount)
        vocabularySize = try file.requireInt(Key.vocabularySize)
        audioContextLength = try file.requireInt(Key.audioContextLength)
        textContextLength = try file.requireInt(Key.textContextLength)
        for (key, heads) in [(Key.encoderHeadCount, encoderHeadCount), (Key.decoderHeadCount, decoderHeadCount)]
        where heads <= 0 || embeddingLength % heads != 0 {
            throw GGUFError.metadataTypeMismatch(
                path: file.path, key: key, expected: "a divisor of \(embeddingLength) (the embedding length)",
                found: "\(heads)")
        }
    }

    /// Hyperparameters given field by field.
    public init(
        melCount: Int, embeddingLength: Int, feedForwardLength: Int, encoderBlockCount: Int, decoderBlockCount: Int,
        encoderHeadCount: Int, decoderHeadCount: Int, vocabularySize: Int, audioContextLength: Int,
        textContextLength: Int
    ) {
        self.melCount = melCount
        self.embeddingLength = embeddingLength
        self.feedForwardLength = feedForwardLength
        self.encoderBlockCount = encoderBlockCount
        self.decoderBlockCount = decoderBlockCount
        self.encoderHeadCount = encoderHeadCount
        self.decoderHeadCount = decoderHeadCount
        self.vocabularySize = vocabularySize
        self.audioContextLength = audioContextLength
        self.textContextLength = textContextLength
    }

    /// Every tensor a converted file must hold, with its shape in ggml order (`shape[0]` contiguous).
    public var expectedTensorShapes: [String: [Int]] {
        let d = embeddingLength
        let ffn = feedForwardLength
        var shapes: [String: [Int]] = [
            "mel_filters": [LogMelFrontEnd.fftSize / 2 + 1, melCount],
            "encoder.conv1.weight": [3, melCount, d], "encoder.conv1.bias": [d],
            "encoder.conv2.weight": [3, d, d], "encoder.conv2.bias": [d],
            "encoder.positional_embedding": [d, audioContextLength],
            "encoder.ln_post.weight": [d], "encoder.ln_post.bias": [d],
            "decoder.token_embedding.weight": [d, vocabularySize],
            "decoder.positional_embedding": [d, textContextLength],
            "decoder.ln.weight": [d], "decoder.ln.bias": [d],
        ]
        func block(_ prefix: String, cross: Bool) {
            shapes["\(prefix).attn_ln.weight"] = [d]
            shapes["\(prefix).attn_ln.bias"] = [d]
            shapes["\(prefix).attn.qkv.weight"] = [d, 3 * d]
            shapes["\(prefix).attn.qkv.bias"] = [3 * d]
            shapes["\(prefix).attn.out.weight"] = [d, d]
            shapes["\(prefix).attn.out.bias"] = [d]
            if cross {
                shapes["\(prefix).cross_attn_ln.weight"] = [d]
                shapes["\(prefix).cross_attn_ln.bias"] = [d]
                shapes["\(prefix).cross_attn.query.weight"] = [d, d]
                shapes["\(prefix).cross_attn.query.bias"] = [d]
                shapes["\(prefix).cross_attn.kv.weight"] = [d, 2 * d]
                shapes["\(prefix).cross_attn.kv.bias"] = [2 * d]
                shapes["\(prefix).cross_attn.out.weight"] = [d, d]
                shapes["\(prefix).cross_attn.out.bias"] = [d]
            }
            shapes["\(prefix).mlp_ln.weight"] = [d]
            shapes["\(prefix).mlp_ln.bias"] = [d]
            shapes["\(prefix).mlp.0.weight"] = [d, ffn]
            shapes["\(prefix).mlp.0.bias"] = [ffn]
            shapes["\(prefix).mlp.2.weight"] = [ffn, d]
            shapes["\(prefix).mlp.2.bias"] = [d]
        }
        for layer in 0..<encoderBlockCount { block("encoder.blocks.\(layer)", cross: false) }
        for layer in 0..<decoderBlockCount { block("decoder.blocks.\(layer)", cross: true) }
        return shapes
    }

    /// One line for the load log.
    public var summary: String {
        "n_mels \(melCount), d_model \(embeddingLength), ffn \(feedForwardLength), "
            + "encoder \(encoderBlockCount) x \(encoderHeadCount) heads, decoder \(decoderBlockCount) x "
            + "\(decoderHeadCount) heads, vocab \(vocabularySize)\(isMultilingual ? " (multilingual)" : ""), "
            + "ctx audio \(audioContextLength) text \(textContextLength)"
    }
}
