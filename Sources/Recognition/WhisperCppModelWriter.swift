import Foundation

/// Writes whisper.cpp's own ggml model file (`ggml-*.bin`) from a CTranslate2 Whisper checkpoint, so whisper.cpp
/// can be measured against this recognizer on the very same weights.
///
/// ```swift
/// try WhisperCppModelWriter.write(
///     WhisperSourceFiles(directory: cache.appendingPathComponent("models/whisper-tiny.en")),
///     to: cache.appendingPathComponent("peers/whisper.cpp/ggml-tiny.en.bin").path)
/// ```
///
/// The file, all little-endian, as whisper.cpp's loader reads it:
/// 1. u32 magic `0x67676d6c` ("ggml");
/// 2. eleven i32 hyperparameters: n_vocab, n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer, n_text_ctx,
///    n_text_state, n_text_head, n_text_layer, n_mels, ftype (1: matrices in F16);
/// 3. the mel filters: i32 n_mels, i32 n_fft_bins (201), then n_mels x 201 f32, one filter after another;
/// 4. the BPE vocabulary without the special tokens: i32 count, then per token an i32 byte length and the token's
///    raw bytes (GPT-2's byte-to-character mapping undone); whisper.cpp names the special tokens itself;
/// 5. every tensor: i32 rank, i32 name length, i32 type (0 f32, 1 f16), the dimensions innermost first, the name,
///    then the data.
///
/// Names are openai-whisper's (`encoder.blocks.0.attn.query.weight`). CTranslate2 fuses the query, key and value
/// (and the cross-attention key and value); they are split back, and the key bias, which Whisper does not have and
/// CTranslate2 stores as zeros, is checked to be zero and dropped. The conv biases are written as (d, 1) matrices;
/// vectors, conv biases and the positional embeddings are F32, the other matrices F16 (whisper.cpp checks each
/// tensor's byte size against the type it expects).
public enum WhisperCppModelWriter {
    /// "ggml", read as a little-endian u32.
    public static let magic: UInt32 = 0x6767_6d6c

    /// Converts `sources` into whisper.cpp's format at `outputPath` (written beside it, then renamed into place).
    /// Returns the number of tensors written.
    @discardableResult
    public static func write(_ sources: WhisperSourceFiles, to outputPath: String) throws -> Int {
        let model = try CTranslate2Model(path: sources.model.path)
        let tokenizer = try WhisperTokenizer(
            tokenizerJSON: sources.tokenizerJSON, vocabularyText: sources.vocabularyText)
        let h = try WhisperConverter.hyperparameters(of: model)
        var out = Data()
        func int32(_ value: Int) { withUnsafeBytes(of: Int32(value).littleEndian) { out.append(contentsOf: $0) } }
        withUnsafeBytes(of: magic.littleEndian) { out.append(contentsOf: $0) }
        for value in [
            h.vocabularySize, h.audioContextLength, h.embeddingLength, h.encoderHeadCount, h.encoderBlockCount,
            h.textContextLength, h.embeddingLength, h.decoderHeadCount, h.decoderBlockCount, h.melCount, 1,
        ] {
            int32(value)
        }

        let filters = MelFilterBank.slaney(
            sampleRateHz: LogMelFrontEnd.sampleRateHz, fftSize: LogMelFrontEnd.fftSize, melCount: h.melCount)
        int32(filters.melCount)
        int32(filters.frequencyCount)
        appendFloat32(filters.weights, to: &out)

        // The ordinary tokens are the ids below <|endoftext|>; whisper.cpp numbers the special ones after them.
        let ordinary = tokenizer.special.endOfText
        int32(ordinary)
        for id in 0..<ordinary {
            let bytes = try rawBytes(of: tokenizer.tokens[id], id: id, path: sources.tokenizerJSON.path)
            int32(bytes.count)
            out.append(contentsOf: bytes)
        }

        var tensorCount = 0
        func tensor(_ name: String, shape: [Int], values: [Float]) {
            let isFloat32 =
                shape.count < 2 || name.hasSuffix("conv1.bias") || name.hasSuffix("conv2.bias")
                || name.hasSuffix("positional_embedding")
            int32(shape.count)
            int32(name.utf8.count)
            int32(isFloat32 ? 0 : 1)
            for dimension in shape.reversed() { int32(dimension) }
            out.append(contentsOf: Array(name.utf8))
            if isFloat32 { appendFloat32(values, to: &out) } else { appendFloat16(values, to: &out) }
            tensorCount += 1
        }
        for variable in model.variables where !variable.shape.isEmpty {
            guard let name = WhisperConverter.ggufName(variable.name) else {
                throw CTranslate2Error.unexpectedVariable(
                    path: model.path, variable: variable.name, expected: "a variable of CTranslate2's WhisperSpec",
                    found: "an unknown name")
            }
            let values = try model.floats(of: variable.name)
            let rows = variable.shape[0]
            let columns = variable.shape.count > 1 ? variable.elementCount / rows : 1
            // The fused projections: (parts x d, in) matrices and (parts x d) biases, split into their parts.
            let fused: [String]? =
                name.contains(".attn.qkv.")
                ? ["query", "key", "value"] : name.contains(".cross_attn.kv.") ? ["key", "value"] : nil
            guard let parts = fused else {
                let isConvBias = name == "encoder.conv1.bias" || name == "encoder.conv2.bias"
                tensor(name, shape: isConvBias ? [rows, 1] : variable.shape, values: values)
                continue
            }
            let partRows = rows / parts.count
            let prefix = name.replacingOccurrences(of: ".qkv.", with: ".").replacingOccurrences(of: ".kv.", with: ".")
            let isBias = variable.shape.count == 1
            for (index, part) in parts.enumerated() {
                let slice = Array(values[(index * partRows * columns)..<((index + 1) * partRows * columns)])
                let partName =
                    prefix.replacingOccurrences(of: isBias ? ".bias" : ".weight", with: "")
                    + ".\(part)" + (isBias ? ".bias" : ".weight")
                if part == "key" && isBias {
                    if let nonzero = slice.first(where: { $0 != 0 }) {
                        throw CTranslate2Error.unexpectedVariable(
                            path: model.path, variable: variable.name,
                            expected: "a zero key bias (Whisper's key projection has none)",
                            found: "a key bias value of \(nonzero)")
                    }
                    continue
                }
                tensor(partName, shape: isBias ? [partRows] : [partRows, columns], values: slice)
            }
        }

        let temporary = outputPath + ".partial"
        let directory = URL(fileURLWithPath: outputPath).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try out.write(to: URL(fileURLWithPath: temporary))
        _ = try? FileManager.default.removeItem(atPath: outputPath)
        try FileManager.default.moveItem(atPath: temporary, toPath: outputPath)
        return tensorCount
    }

    /// The bytes a byte-level BPE token stands for (`Ġthe` -> " the").
    static func rawBytes(of token: String, id: Int, path: String) throws -> [UInt8] {
        try token.unicodeScalars.map { scalar in
            guard let byte = ByteLevelBPE.characterToByte[scalar.value] else {
                throw WhisperCppModelError.notByteLevel(path: path, id: id, token: token)
            }
            return byte
        }
    }

    private static func appendFloat32(_ values: [Float], to out: inout Data) {
        values.withUnsafeBufferPointer { out.append(UnsafeBufferPointer(start: $0.baseAddress, count: $0.count)) }
    }

    private static func appendFloat16(_ values: [Float], to out: inout Data) {
        let halves = values.map { Float16($0).bitPattern.littleEndian }
        halves.withUnsafeBufferPointer { out.append(UnsafeBufferPointer(start: $0.baseAddress, count: $0.count)) }
    }
}

/// Why a checkpoint cannot be written in whisper.cpp's format.
public enum WhisperCppModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A token below `<|endoftext|>` holds a character outside GPT-2's byte alphabet.
    case notByteLevel(path: String, id: Int, token: String)

    public var description: String {
        switch self {
        case .notByteLevel(let path, let id, let token):
            return "\(path): token \(id) '\(token)' is not a byte-level BPE token (expected GPT-2's byte alphabet)"
        }
    }
}
