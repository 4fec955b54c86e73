import Foundation
import GGUF
import TutorCore

/// The source files of one CTranslate2 Whisper model: `model.bin`, `tokenizer.json` and `vocabulary.txt`.
public struct WhisperSourceFiles: Sendable, Equatable {
    /// The CTranslate2 weights.
    public var model: URL
    /// The Hugging Face tokenizer (BPE vocabulary, merges, special tokens).
    public var tokenizerJSON: URL
    /// Every token by id, one a line (it alone lists the timestamp tokens).
    public var vocabularyText: URL

    /// The three files inside `directory`, by their usual names.
    public init(directory: URL) {
        model = directory.appendingPathComponent("model.bin")
        tokenizerJSON = directory.appendingPathComponent("tokenizer.json")
        vocabularyText = directory.appendingPathComponent("vocabulary.txt")
    }

    /// The three files given one by one.
    public init(model: URL, tokenizerJSON: URL, vocabularyText: URL) {
        self.model = model
        self.tokenizerJSON = tokenizerJSON
        self.vocabularyText = vocabularyText
    }
}

/// What a conversion did.
public struct WhisperConversionReport: Sendable {
    /// The GGUF file written (or found up to date).
    public var outputPath: String
    /// True when the output already matched the sources and nothing was written.
    public var skippedAsUpToDate: Bool
    /// The number of tensors in the output.
    public var tensorCount: Int
    /// The size of the output in bytes.
    public var outputByteCount: Int
    /// The wall-clock time taken, in seconds (hashing included).
    public var seconds: Double
    /// The sha256 of the source `model.bin`, as stored in the output's metadata.
    public var sourceSHA256: String
}

/// Converts a CTranslate2 Whisper checkpoint into one validated GGUF file.
///
/// ```swift
/// let report = try WhisperConverter.convert(
///     WhisperSourceFiles(directory: cache.appendingPathComponent("models/whisper-base")),
///     to: cache.appendingPathComponent("models/whisper-base.gguf").path, name: "whisper-base")
/// ```
///
/// Every CTranslate2 variable becomes one tensor with the same bytes (float16 stays F16, float32 stays F32) and
/// its dimensions reversed into ggml order. The names (CTranslate2 -> GGUF, `N` a block number):
///
/// | CTranslate2 | GGUF | ggml shape |
/// | --- | --- | --- |
/// | encoder/conv1/weight, bias | encoder.conv1.weight, bias | [3, n_mels, d], [d] |
/// | encoder/conv2/weight, bias | encoder.conv2.weight, bias | [3, d, d], [d] |
/// | encoder/position_encodings/encodings | encoder.positional_embedding | [d, 1500] |
/// | encoder/layer_N/self_attention/layer_norm/gamma, beta | encoder.blocks.N.attn_ln.weight, bias | [d] |
/// | encoder/layer_N/self_attention/linear_0/weight, bias | encoder.blocks.N.attn.qkv.weight, bias | [d, 3d] |
/// | encoder/layer_N/self_attention/linear_1/weight, bias | encoder.blocks.N.attn.out.weight, bias | [d, d] |
/// | encoder/layer_N/ffn/layer_norm/gamma, beta | encoder.blocks.N.mlp_ln.weight, bias | [d] |
/// | encoder/layer_N/ffn/linear_0/weight, bias | encoder.blocks.N.mlp.0.weight, bias | [d, 4d] |
/// | encoder/layer_N/ffn/linear_1/weight, bias | encoder.blocks.N.mlp.2.weight, bias | [4d, d] |
/// | encoder/layer_norm/gamma, beta | encoder.ln_post.weight, bias | [d] |
/// | decoder/embeddings/weight | decoder.token_embedding.weight | [d, vocab] |
/// | decoder/position_encodings/encodings | decoder.positional_embedding | [d, 448] |
/// | decoder/layer_N/self_attention/... | decoder.blocks.N.attn_ln, attn.qkv, attn.out | as in the encoder |
/// | decoder/layer_N/attention/layer_norm/gamma, beta | decoder.blocks.N.cross_attn_ln.weight, bias | [d] |
/// | decoder/layer_N/attention/linear_0/weight, bias | decoder.blocks.N.cross_attn.query.weight, bias | [d, d] |
/// | decoder/layer_N/attention/linear_1/weight, bias | decoder.blocks.N.cross_attn.kv.weight, bias | [d, 2d] |
/// | decoder/layer_N/attention/linear_2/weight, bias | decoder.blocks.N.cross_attn.out.weight, bias | [d, d] |
/// | decoder/layer_N/ffn/... | decoder.blocks.N.mlp_ln, mlp.0, mlp.2 | as in the encoder |
/// | decoder/layer_norm/gamma, beta | decoder.ln.weight, bias | [d] |
/// | decoder/projection/weight (alias) | decoder.token_embedding.weight (tied, not copied) | |
/// | (computed) | mel_filters | [201, n_mels] |
///
/// CTranslate2 fuses Whisper's query, key and value into `qkv` (rows q, then k, then v; the key bias is zero as
/// Whisper's key has none) and the cross-attention key and value into `kv`; the fused form is kept so each is one
/// matrix product. Scalar variables (head counts, `pre_norm`, `activation`, ...) are checked and become metadata.
/// The tokenizer is stored as `tokenizer.ggml.*` and the special tokens as `whisper.token.*`; a merge list that
/// disagrees with the token ids (Whisper base's `tokenizer.json` lacks its first merge, `Ġ t`) is replaced by the
/// list the ids imply, and `whisper.tokenizer.merges_source` says so.
public enum WhisperConverter {
    /// Bumped when the output changes for the same sources, so `convert` redoes older files.
    public static let converterVersion = 2

    /// Metadata keys beyond the hyperparameters.
    public enum Key {
        /// The sha256 of the source `model.bin`.
        public static let sourceSHA256 = "whisper.source.model_sha256"
        /// The sha256 of the source `tokenizer.json`.
        public static let tokenizerSHA256 = "whisper.source.tokenizer_sha256"
        /// The sha256 of the source `vocabulary.txt`.
        public static let vocabularySHA256 = "whisper.source.vocabulary_sha256"
        /// The `converterVersion` that wrote the file.
        public static let converterVersion = "whisper.converter_version"
        /// The languages the model transcribes (ISO codes; `en` only for English-only models).
        public static let languages = "whisper.languages"
        /// The language codes of the language tokens, in token order (id = `whisper.token.first_language` + index).
        public static let languageTokens = "whisper.language_tokens"
        /// Where `tokenizer.ggml.merges` came from: `tokenizer.json`, or derived from the token ids.
        public static let mergesSource = "whisper.tokenizer.merges_source"
        /// Aliases of the source, as `alias=target` GGUF names (the output projection is the token embedding).
        public static let tensorAliases = "whisper.tensor_aliases"
    }

    /// Whether the GGUF at `outputPath` was written by this converter version from sources with these sha256 hashes
    /// (model, tokenizer.json, vocabulary.txt).
    public static func isUpToDate(outputPath: String, sourceHashes: [String]) -> Bool {
        guard FileManager.default.fileExists(atPath: outputPath), let file = try? GGUFFile(path: outputPath) else {
            return false
        }
        let stored = [Key.sourceSHA256, Key.tokenizerSHA256, Key.vocabularySHA256].map { file.metadata[$0]?.string }
        return stored == sourceHashes && file.metadata[Key.converterVersion]?.int == converterVersion
    }

    /// Converts `sources` into `outputPath` unless it is already up to date (or `force`), then validates the result
    /// by loading it as a `WhisperModel`.
    public static func convert(
        _ sources: WhisperSourceFiles, to outputPath: String, name: String, force: Bool = false
    ) throws -> WhisperConversionReport {
        let started = ContinuousClock.now
        let hashes = try [sources.model, sources.tokenizerJSON, sources.vocabularyText].map(ModelStore.sha256(of:))
        if !force && isUpToDate(outputPath: outputPath, sourceHashes: hashes) {
            let file = try GGUFFile(path: outputPath)
            return WhisperConversionReport(
                outputPath: outputPath, skippedAsUpToDate: true, tensorCount: file.tensorCount,
                outputByteCount: file.fileSize, seconds: seconds(since: started), sourceSHA256: hashes[0])
        }
        let model = try CTranslate2Model(path: sources.model.path)
        let tokenizer = try WhisperTokenizer(
            tokenizerJSON: sources.tokenizerJSON, vocabularyText: sources.vocabularyText)
        let writer = try GGUFWriter(path: outputPath)
        try write(model: model, tokenizer: tokenizer, name: name, into: writer)
        try writer.setMetadata(Key.sourceSHA256, .string(hashes[0]))
        try writer.setMetadata(Key.tokenizerSHA256, .string(hashes[1]))
        try writer.setMetadata(Key.vocabularySHA256, .string(hashes[2]))
        try writer.write()
        let loaded: WhisperModel
        do {
            loaded = try WhisperModel(path: outputPath)
        } catch {
            // Never leave a file behind that the loader refuses: the next run would try to use it.
            try? FileManager.default.removeItem(atPath: outputPath)
            throw error
        }
        return WhisperConversionReport(
            outputPath: outputPath, skippedAsUpToDate: false, tensorCount: loaded.file.tensorCount,
            outputByteCount: loaded.file.fileSize, seconds: seconds(since: started), sourceSHA256: hashes[0])
    }

    /// Adds `model`'s tensors, hyperparameters, tokenizer and mel filters to `writer` (without writing it).
    public static func write(
        model: CTranslate2Model, tokenizer: WhisperTokenizer, name: String, into writer: GGUFWriter
    ) throws {
        let hyperparameters = try hyperparameters(of: model)
        if tokenizer.count != hyperparameters.vocabularySize {
            throw CTranslate2Error.unexpectedVariable(
                path: model.path, variable: "decoder/embeddings/weight",
                expected: "\(tokenizer.count) rows (the tokenizer's ids)",
                found: "\(hyperparameters.vocabularySize) rows")
        }
        typealias K = WhisperHyperparameters.Key
        try writer.setMetadata("general.architecture", .string("whisper"))
        try writer.setMetadata("general.name", .string(name))
        try writer.setMetadata(
            "general.source.format", .string("CTranslate2 \(model.specName) rev \(model.specRevision)"))
        try writer.setMetadata(Key.converterVersion, .uint32(UInt32(converterVersion)))
        try writer.setMetadata(K.melCount, .uint32(UInt32(hyperparameters.melCount)))
        try writer.setMetadata(K.embeddingLength, .uint32(UInt32(hyperparameters.embeddingLength)))
        try writer.setMetadata(K.feedForwardLength, .uint32(UInt32(hyperparameters.feedForwardLength)))
        try writer.setMetadata(K.encoderBlockCount, .uint32(UInt32(hyperparameters.encoderBlockCount)))
        try writer.setMetadata(K.decoderBlockCount, .uint32(UInt32(hyperparameters.decoderBlockCount)))
        try writer.setMetadata(K.encoderHeadCount, .uint32(UInt32(hyperparameters.encoderHeadCount)))
        try writer.setMetadata(K.decoderHeadCount, .uint32(UInt32(hyperparameters.decoderHeadCount)))
        try writer.setMetadata(K.vocabularySize, .uint32(UInt32(hyperparameters.vocabularySize)))
        try writer.setMetadata(K.audioContextLength, .uint32(UInt32(hyperparameters.audioContextLength)))
        try writer.setMetadata(K.textContextLength, .uint32(UInt32(hyperparameters.textContextLength)))
        try writer.setMetadata(K.multilingual, .bool(hyperparameters.isMultilingual))
        try writer.setMetadata("whisper.sample_rate", .uint32(UInt32(LogMelFrontEnd.sampleRateHz)))
        try writer.setMetadata("whisper.n_fft", .uint32(UInt32(LogMelFrontEnd.fftSize)))
        try writer.setMetadata("whisper.hop_length", .uint32(UInt32(LogMelFrontEnd.hopSize)))
        try writer.setMetadata("whisper.activation", .string("gelu"))
        let languages = hyperparameters.isMultilingual ? tokenizer.languageCodes : ["en"]
        try writer.setMetadata(Key.languages, .array(GGUFArray(strings: languages)))
        try writer.setMetadata(Key.languageTokens, .array(GGUFArray(strings: tokenizer.languageCodes)))

        try writer.setMetadata("tokenizer.ggml.model", .string("gpt2"))
        try writer.setMetadata("tokenizer.ggml.tokens", .array(GGUFArray(strings: tokenizer.tokens)))
        let types = (0..<tokenizer.count).map { Int32(tokenizer.isSpecial($0) ? 3 : 1) }  // 1 normal, 3 control
        try writer.setMetadata("tokenizer.ggml.token_type", .array(GGUFArray(int32s: types)))
        // A merge list that disagrees with the token ids (Whisper base's lacks `Ġ t`) is replaced by the one the ids
        // imply, so any merge-list BPE reading this file tokenizes as Whisper's tiktoken does.
        let mergesAreConsistent = tokenizer.mergesFollowTokenIDs
        let merges = mergesAreConsistent ? tokenizer.merges : tokenizer.mergesImpliedByTokenIDs()
        try writer.setMetadata("tokenizer.ggml.merges", .array(GGUFArray(strings: merges)))
        try writer.setMetadata(
            Key.mergesSource,
            .string(
                mergesAreConsistent
                    ? "tokenizer.json"
                    : "derived from the token ids (tokenizer.json had \(tokenizer.merges.count), inconsistent)"))
        try writer.setMetadata("tokenizer.ggml.eos_token_id", .uint32(UInt32(tokenizer.special.endOfText)))
        try writer.setMetadata("tokenizer.ggml.bos_token_id", .uint32(UInt32(tokenizer.special.startOfTranscript)))
        let special = tokenizer.special
        for (key, id) in [
            ("eot", special.endOfText), ("sot", special.startOfTranscript), ("first_language", special.firstLanguage),
            ("translate", special.translate), ("transcribe", special.transcribe), ("startoflm", special.startOfLM),
            ("startofprev", special.startOfPrevious), ("nospeech", special.noSpeech),
            ("notimestamps", special.noTimestamps), ("timestamp_begin", special.timestampBegin),
        ] {
            try writer.setMetadata("whisper.token.\(key)", .uint32(UInt32(id)))
        }

        var aliases: [String] = []
        for alias in model.aliasNames {
            guard let target = model.aliases[alias], let aliasName = ggufName(alias), let targetName = ggufName(target)
            else {
                throw CTranslate2Error.unexpectedVariable(
                    path: model.path, variable: alias, expected: "an alias of a known Whisper variable",
                    found: "an alias of '\(model.aliases[alias] ?? "")'")
            }
            aliases.append("\(aliasName)=\(targetName)")
        }
        try writer.setMetadata(Key.tensorAliases, .array(GGUFArray(strings: aliases)))

        for variable in model.variables {
            if variable.shape.isEmpty {
                // Scalars were checked in hyperparameters(of:); keep them as metadata for the record.
                guard knownScalars.contains(variable.name) else {
                    throw CTranslate2Error.unexpectedVariable(
                        path: model.path, variable: variable.name, expected: "a scalar of CTranslate2's WhisperSpec",
                        found: "an unknown scalar")
                }
                let key = "ctranslate2." + variable.name.replacingOccurrences(of: "/", with: ".")
                try writer.setMetadata(key, .int32(Int32(try model.scalarInt(variable.name))))
                continue
            }
            guard let tensorName = ggufName(variable.name) else {
                throw CTranslate2Error.unexpectedVariable(
                    path: model.path, variable: variable.name, expected: "a variable of CTranslate2's WhisperSpec",
                    found: "an unknown name")
            }
            let type: GGMLType
            switch variable.dtype {
            case .float16: type = .f16
            case .float32: type = .f32
            default:
                throw CTranslate2Error.unexpectedVariable(
                    path: model.path, variable: variable.name,
                    expected: "float16 or float32 (quantized CTranslate2 "
                        + "models are not supported)", found: "\(variable.dtype)")
            }
            try writer.addTensor(name: tensorName, type: type, shape: variable.shape.reversed()) {
                model.data(of: variable)
            }
        }
        let filters = MelFilterBank.slaney(
            sampleRateHz: LogMelFrontEnd.sampleRateHz, fftSize: LogMelFrontEnd.fftSize,
            melCount: hyperparameters.melCount)
        try writer.addTensor(
            name: "mel_filters", shape: [filters.frequencyCount, filters.melCount], float32: filters.weights)
    }

    /// The scalar variables of CTranslate2's WhisperSpec (revision 3).
    static let knownScalars: Set<String> = [
        "decoder/activation", "decoder/alibi", "decoder/alignment_heads", "decoder/alignment_layer",
        "decoder/num_heads", "decoder/pre_norm", "decoder/scale_embeddings", "decoder/start_from_zero_embedding",
        "encoder/num_heads",
    ]

    /// The hyperparameters of a CTranslate2 Whisper model, read from its variables' shapes and scalars, which are
    /// checked against what Whisper needs (pre-norm, GELU, no ALiBi, unscaled embeddings).
    public static func hyperparameters(of model: CTranslate2Model) throws -> WhisperHyperparameters {
        guard model.specName == "WhisperSpec" else {
            throw CTranslate2Error.unexpectedVariable(
                path: model.path, variable: "(spec name)", expected: "WhisperSpec", found: model.specName)
        }
        for (name, expected) in [
            ("decoder/pre_norm", 1), ("decoder/activation", 3), ("decoder/alibi", 0), ("decoder/scale_embeddings", 0),
            ("decoder/start_from_zero_embedding", 0),
        ] {
            let found = try model.scalarInt(name)
            if found != expected {
                throw CTranslate2Error.unexpectedVariable(
                    path: model.path, variable: name, expected: "\(expected)", found: "\(found)")
            }
        }
        let conv1 = try model.requireVariable("encoder/conv1/weight")
        let embeddings = try model.requireVariable("decoder/embeddings/weight")
        let audioPositions = try model.requireVariable("encoder/position_encodings/encodings")
        let textPositions = try model.requireVariable("decoder/position_encodings/encodings")
        let ffn = try model.requireVariable("encoder/layer_0/ffn/linear_0/weight")
        func rank(_ variable: CTranslate2Variable, _ rank: Int) throws {
            if variable.shape.count != rank {
                throw CTranslate2Error.unexpectedVariable(
                    path: model.path, variable: variable.name, expected: "\(rank) dimensions",
                    found: "shape \(variable.shape)")
            }
        }
        try rank(conv1, 3)
        try rank(embeddings, 2)
        try rank(audioPositions, 2)
        try rank(textPositions, 2)
        try rank(ffn, 2)
        func layers(_ prefix: String) -> Int {
            var count = 0
            while model.variables.contains(where: { $0.name.hasPrefix("\(prefix)/layer_\(count)/") }) { count += 1 }
            return count
        }
        return WhisperHyperparameters(
            melCount: conv1.shape[1], embeddingLength: conv1.shape[0], feedForwardLength: ffn.shape[0],
            encoderBlockCount: layers("encoder"), decoderBlockCount: layers("decoder"),
            encoderHeadCount: try model.scalarInt("encoder/num_heads"),
            decoderHeadCount: try model.scalarInt("decoder/num_heads"), vocabularySize: embeddings.shape[0],
            audioContextLength: audioPositions.shape[0], textContextLength: textPositions.shape[0])
    }

    /// The GGUF tensor name of a CTranslate2 Whisper variable (see the table above), or nil for unknown names.
    public static func ggufName(_ name: String) -> String? {
        let parts = name.split(separator: "/").map(String.init)
        guard parts.count >= 2, parts[0] == "encoder" || parts[0] == "decoder" else { return nil }
        let side = parts[0]
        let suffix: [String: String] = ["weight": "weight", "bias": "bias", "gamma": "weight", "beta": "bias"]
        switch Array(parts.dropFirst()) {
        case let rest where rest.count == 2 && (rest[0] == "conv1" || rest[0] == "conv2") && side == "encoder":
            return suffix[rest[1]].map { "encoder.\(rest[0]).\($0)" }
        case ["position_encodings", "encodings"]:
            return "\(side).positional_embedding"
        case let rest where rest.count == 2 && rest[0] == "layer_norm":
            return suffix[rest[1]].map { side == "encoder" ? "encoder.ln_post.\($0)" : "decoder.ln.\($0)" }
        case ["embeddings", "weight"] where side == "decoder":
            return "decoder.token_embedding.weight"
        case ["projection", "weight"] where side == "decoder":
            return "decoder.projection.weight"
        default:
            break
        }
        guard parts.count == 5, parts[1].hasPrefix("layer_"), let layer = Int(parts[1].dropFirst(6)),
            let end = suffix[parts[4]]
        else { return nil }
        let block = "\(side).blocks.\(layer)"
        let module: String?
        switch (parts[2], parts[3]) {
        case ("self_attention", "layer_norm"): module = "attn_ln"
        case ("self_attention", "linear_0"): module = "attn.qkv"
        case ("self_attention", "linear_1"): module = "attn.out"
        case ("attention", "layer_norm") where side == "decoder": module = "cross_attn_ln"
        case ("attention", "linear_0") where side == "decoder": module = "cross_attn.query"
        case ("attention", "linear_1") where side == "decoder": module = "cross_attn.kv"
        case ("attention", "linear_2") where side == "decoder": module = "cross_attn.out"
        case ("ffn", "layer_norm"): module = "mlp_ln"
        case ("ffn", "linear_0"): module = "mlp.0"
        case ("ffn", "linear_1"): module = "mlp.2"
        default: module = nil
        }
        guard let module else { return nil }
        if module.hasSuffix("_ln") != (parts[4] == "gamma" || parts[4] == "beta") { return nil }
        return "\(block).\(module).\(end)"
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}
