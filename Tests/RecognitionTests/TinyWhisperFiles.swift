import Foundation
import TutorCore

@testable import Recognition

/// Builds CTranslate2 `model.bin` bytes by hand, in the layout DESIGN.md describes (binary version 6).
struct CTranslate2Builder {
    struct Variable {
        var name: String
        var shape: [Int]
        var dtype: UInt8
        var data: Data
    }

    var specName = "WhisperSpec"
    var variables: [Variable] = []
    var aliases: [(String, String)] = []

    mutating func add(_ name: String, shape: [Int], float16 values: [Float]) {
        var data = Data()
        for value in values { append(Float16(value).bitPattern, to: &data) }
        variables.append(Variable(name: name, shape: shape, dtype: 4, data: data))
    }

    mutating func add(_ name: String, shape: [Int], float32 values: [Float]) {
        var data = Data()
        for value in values { append(value.bitPattern, to: &data) }
        variables.append(Variable(name: name, shape: shape, dtype: 0, data: data))
    }

    mutating func addScalar(_ name: String, int8 value: Int8) {
        variables.append(Variable(name: name, shape: [], dtype: 1, data: Data([UInt8(bitPattern: value)])))
    }

    mutating func addScalar(_ name: String, int16 value: Int16) {
        var data = Data()
        append(UInt16(bitPattern: value), to: &data)
        variables.append(Variable(name: name, shape: [], dtype: 2, data: data))
    }

    func bytes() -> Data {
        var data = Data()
        append(UInt32(6), to: &data)
        appendString(specName, to: &data)
        append(UInt32(3), to: &data)
        append(UInt32(variables.count), to: &data)
        for variable in variables {
            appendString(variable.name, to: &data)
            data.append(UInt8(variable.shape.count))
            for dimension in variable.shape { append(UInt32(dimension), to: &data) }
            data.append(variable.dtype)
            append(UInt32(variable.data.count), to: &data)
            data.append(variable.data)
        }
        append(UInt32(aliases.count), to: &data)
        for (alias, target) in aliases {
            appendString(alias, to: &data)
            appendString(target, to: &data)
        }
        return data
    }

    private func append<T: FixedWidthInteger>(_ value: T, to data: inout Data) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    private func appendString(_ string: String, to data: inout Data) {
        append(UInt16(string.utf8.count + 1), to: &data)
        data.append(contentsOf: string.utf8)
        data.append(0)
    }
}

/// A complete miniature Whisper checkpoint (d_model 8, 2 heads, one block each side) with a small tokenizer, written
/// to a fresh temporary folder as `model.bin`, `tokenizer.json` and `vocabulary.txt`.
struct TinyWhisperFiles {
    static let width = 8
    static let melCount = 80

    let directory: URL
    let builder: CTranslate2Builder
    let tokens: [String]

    /// Byte-level BPE tokens: the 256 single-byte symbols, a few merges, then Whisper's special tokens (English and
    /// Swahili only) and the 1,501 timestamps.
    static func vocabulary() -> (tokens: [String], merges: [String], specialStart: Int) {
        var tokens = ByteLevelBPE.byteToCharacter.map { String($0) }
        let merges = ["Ġ t", "h e", "Ġt he", "Ġ a", "i s"]
        for merge in merges { tokens.append(merge.replacingOccurrences(of: " ", with: "")) }
        let specialStart = tokens.count
        tokens += [
            "<|endoftext|>", "<|startoftranscript|>", "<|en|>", "<|sw|>", "<|translate|>", "<|transcribe|>",
            "<|startoflm|>", "<|startofprev|>", "<|nocaptions|>", "<|notimestamps|>",
        ]
        tokens += (0...1500).map { String(format: "<|%.2f|>", Double($0) * 0.02) }
        return (tokens, merges, specialStart)
    }

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tiny-whisper-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let (tokens, merges, specialStart) = Self.vocabulary()
        self.tokens = tokens
        let d = Self.width
        var builder = CTranslate2Builder()
        var generator = SplitMix64(seed: 1)
        func values(_ count: Int) -> [Float] {
            (0..<count).map { _ in Float.random(in: -1...1, using: &generator) }
        }
        func linear(_ name: String, out: Int, in input: Int) {
            builder.add("\(name)/weight", shape: [out, input], float16: values(out * input))
            builder.add("\(name)/bias", shape: [out], float16: values(out))
        }
        func norm(_ name: String) {
            builder.add("\(name)/gamma", shape: [d], float16: values(d))
            builder.add("\(name)/beta", shape: [d], float16: values(d))
        }
        builder.addScalar("decoder/activation", int8: 3)
        builder.addScalar("decoder/alibi", int8: 0)
        builder.addScalar("decoder/alignment_heads", int16: 1)
        builder.addScalar("decoder/alignment_layer", int16: -1)
        builder.add("decoder/embeddings/weight", shape: [tokens.count, d], float16: values(tokens.count * d))
        norm("decoder/layer_0/attention/layer_norm")
        linear("decoder/layer_0/attention/linear_0", out: d, in: d)
        linear("decoder/layer_0/attention/linear_1", out: 2 * d, in: d)
        linear("decoder/layer_0/attention/linear_2", out: d, in: d)
        norm("decoder/layer_0/ffn/layer_norm")
        linear("decoder/layer_0/ffn/linear_0", out: 4 * d, in: d)
        linear("decoder/layer_0/ffn/linear_1", out: d, in: 4 * d)
        norm("decoder/layer_0/self_attention/layer_norm")
        linear("decoder/layer_0/self_attention/linear_0", out: 3 * d, in: d)
        linear("decoder/layer_0/self_attention/linear_1", out: d, in: d)
        norm("decoder/layer_norm")
        builder.addScalar("decoder/num_heads", int16: 2)
        builder.add("decoder/position_encodings/encodings", shape: [448, d], float16: values(448 * d))
        builder.addScalar("decoder/pre_norm", int8: 1)
        builder.addScalar("decoder/scale_embeddings", int8: 0)
        builder.addScalar("decoder/start_from_zero_embedding", int8: 0)
        builder.add("encoder/conv1/bias", shape: [d], float16: values(d))
        builder.add("encoder/conv1/weight", shape: [d, Self.melCount, 3], float16: values(d * Self.melCount * 3))
        builder.add("encoder/conv2/bias", shape: [d], float16: values(d))
        builder.add("encoder/conv2/weight", shape: [d, d, 3], float16: values(d * d * 3))
        norm("encoder/layer_0/ffn/layer_norm")
        linear("encoder/layer_0/ffn/linear_0", out: 4 * d, in: d)
        linear("encoder/layer_0/ffn/linear_1", out: d, in: 4 * d)
        norm("encoder/layer_0/self_attention/layer_norm")
        linear("encoder/layer_0/self_attention/linear_0", out: 3 * d, in: d)
        linear("encoder/layer_0/self_attention/linear_1", out: d, in: d)
        norm("encoder/layer_norm")
        builder.addScalar("encoder/num_heads", int16: 2)
        // F32 on purpose: the converter keeps each variable's own type.
        builder.add("encoder/position_encodings/encodings", shape: [1500, d], float32: values(1500 * d))
        builder.aliases = [("decoder/projection/weight", "decoder/embeddings/weight")]
        self.builder = builder
        try builder.bytes().write(to: directory.appendingPathComponent("model.bin"))

        var vocab: [String: Int] = [:]
        for id in 0..<specialStart { vocab[tokens[id]] = id }
        let added: [[String: Any]] = (specialStart..<(specialStart + 10)).map {
            ["id": $0, "content": tokens[$0], "special": true]
        }
        let json: [String: Any] = [
            "model": ["type": "BPE", "vocab": vocab, "merges": merges], "added_tokens": added,
        ]
        try JSONSerialization.data(withJSONObject: json).write(to: directory.appendingPathComponent("tokenizer.json"))
        try (tokens.joined(separator: "\n") + "\n").write(
            to: directory.appendingPathComponent("vocabulary.txt"), atomically: true, encoding: .utf8)
    }

    var sources: WhisperSourceFiles { WhisperSourceFiles(directory: directory) }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}
