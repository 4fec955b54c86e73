import Foundation
import Testing

@testable import Recognition

/// whisper.cpp's model file written from the hand-made checkpoint, read back field by field as its loader does.
@Suite struct WhisperCppModelWriterTests {
    /// One tensor of the file: dimensions innermost first, as stored.
    struct Tensor {
        var dimensions: [Int]
        var type: Int
        var values: [Float]
    }

    /// The parts of a whisper.cpp model file.
    struct Parsed {
        var hyperparameters: [Int] = []
        var filterShape: [Int] = []
        var filters: [Float] = []
        var tokens: [[UInt8]] = []
        var tensors: [String: Tensor] = [:]
        var order: [String] = []
    }

    static func parse(_ data: Data) throws -> Parsed {
        var offset = 0
        func int32() throws -> Int {
            guard offset + 4 <= data.count else { throw CocoaError(.fileReadCorruptFile) }
            defer { offset += 4 }
            return Int(data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: Int32.self) })
        }
        func bytes(_ count: Int) throws -> [UInt8] {
            guard offset + count <= data.count else { throw CocoaError(.fileReadCorruptFile) }
            defer { offset += count }
            return Array(data[offset..<(offset + count)])
        }
        func floats(_ count: Int, half: Bool) throws -> [Float] {
            let raw = try bytes(count * (half ? 2 : 4))
            return raw.withUnsafeBytes { buffer in
                (0..<count).map { index in
                    half
                        ? Float(Float16(bitPattern: buffer.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self)))
                        : buffer.loadUnaligned(fromByteOffset: index * 4, as: Float.self)
                }
            }
        }
        var parsed = Parsed()
        #expect(UInt32(truncatingIfNeeded: try int32()) == WhisperCppModelWriter.magic)
        parsed.hyperparameters = try (0..<11).map { _ in try int32() }
        parsed.filterShape = [try int32(), try int32()]
        parsed.filters = try floats(parsed.filterShape[0] * parsed.filterShape[1], half: false)
        parsed.tokens = try (0..<(try int32())).map { _ in try bytes(try int32()) }
        while offset < data.count {
            let rank = try int32()
            let nameLength = try int32()
            let type = try int32()
            let dimensions = try (0..<rank).map { _ in try int32() }
            let name = String(decoding: try bytes(nameLength), as: UTF8.self)
            let values = try floats(dimensions.reduce(1, *), half: type == 1)
            parsed.tensors[name] = Tensor(dimensions: dimensions, type: type, values: values)
            parsed.order.append(name)
        }
        return parsed
    }

    /// The checkpoint with zero key biases, as CTranslate2 writes Whisper's (the hand-made one has random ones).
    static func filesWithZeroKeyBiases() throws -> TinyWhisperFiles {
        let files = try TinyWhisperFiles()
        var builder = files.builder
        let d = TinyWhisperFiles.width
        for index in builder.variables.indices {
            let name = builder.variables[index].name
            if name.hasSuffix("self_attention/linear_0/bias") {
                builder.variables[index].data.replaceSubrange((2 * d)..<(4 * d), with: Data(count: 2 * d))
            } else if name.hasSuffix("decoder/layer_0/attention/linear_1/bias") {
                builder.variables[index].data.replaceSubrange(0..<(2 * d), with: Data(count: 2 * d))
            }
        }
        try builder.bytes().write(to: files.sources.model)
        return files
    }

    @Test func writesWhisperCppsLayoutWithTheFusedProjectionsSplit() throws {
        let files = try Self.filesWithZeroKeyBiases()
        defer { files.remove() }
        let output = files.directory.appendingPathComponent("ggml-tiny.bin").path
        let written = try WhisperCppModelWriter.write(files.sources, to: output)
        let parsed = try Self.parse(try Data(contentsOf: URL(fileURLWithPath: output)))
        let d = TinyWhisperFiles.width
        #expect(parsed.hyperparameters == [files.tokens.count, 1500, d, 2, 1, 448, d, 2, 1, 80, 1])
        #expect(parsed.filterShape == [80, 201])
        #expect(parsed.filters == MelFilterBank.whisper.weights)
        // The ordinary tokens only, as raw bytes: "Ġt" is " t".
        let (_, _, specialStart) = TinyWhisperFiles.vocabulary()
        #expect(parsed.tokens.count == specialStart)
        #expect(parsed.tokens[256] == Array(" t".utf8))
        #expect(parsed.tokens[0x61] == [0x61] && parsed.tokens[0x20] == [0x20])  // "a"; "Ġ" is the space byte
        #expect(written == parsed.order.count)

        let source = try CTranslate2Model(path: files.sources.model.path)
        let qkv = try source.floats(of: "encoder/layer_0/self_attention/linear_0/weight")  // (3d, d)
        let query = try #require(parsed.tensors["encoder.blocks.0.attn.query.weight"])
        let value = try #require(parsed.tensors["encoder.blocks.0.attn.value.weight"])
        #expect(query.dimensions == [d, d] && query.type == 1)
        #expect(query.values == Array(qkv[0..<(d * d)]))
        #expect(value.values == Array(qkv[(2 * d * d)..<(3 * d * d)]))
        #expect(parsed.tensors["encoder.blocks.0.attn.key.weight"] != nil)
        #expect(parsed.tensors["encoder.blocks.0.attn.key.bias"] == nil)
        #expect(parsed.tensors["decoder.blocks.0.cross_attn.key.bias"] == nil)
        let crossValueBias = try #require(parsed.tensors["decoder.blocks.0.cross_attn.value.bias"])
        let kvBias = try source.floats(of: "decoder/layer_0/attention/linear_1/bias")
        #expect(crossValueBias.values == Array(kvBias[d...]) && crossValueBias.type == 0)
        let convBias = try #require(parsed.tensors["encoder.conv1.bias"])
        #expect(convBias.dimensions == [1, d] && convBias.type == 0)
        #expect(parsed.tensors["encoder.conv1.weight"]?.dimensions == [3, 80, d])
        #expect(parsed.tensors["decoder.positional_embedding"]?.type == 0)
        #expect(parsed.tensors["decoder.token_embedding.weight"]?.dimensions == [d, files.tokens.count])
        // openai-whisper's names for one block each side, every one present and nothing else.
        let expected =
            [
                "encoder.conv1.weight", "encoder.conv1.bias", "encoder.conv2.weight", "encoder.conv2.bias",
                "encoder.positional_embedding", "encoder.ln_post.weight", "encoder.ln_post.bias",
                "decoder.token_embedding.weight", "decoder.positional_embedding", "decoder.ln.weight",
                "decoder.ln.bias",
            ]
            + ["encoder", "decoder"].flatMap { side in
                [
                    "attn_ln.weight", "attn_ln.bias", "attn.query.weight", "attn.query.bias", "attn.key.weight",
                    "attn.value.weight", "attn.value.bias", "attn.out.weight", "attn.out.bias", "mlp_ln.weight",
                    "mlp_ln.bias", "mlp.0.weight", "mlp.0.bias", "mlp.2.weight", "mlp.2.bias",
                ].map { "\(side).blocks.0.\($0)" }
            }
            + [
                "cross_attn_ln.weight", "cross_attn_ln.bias", "cross_attn.query.weight", "cross_attn.query.bias",
                "cross_attn.key.weight", "cross_attn.value.weight", "cross_attn.value.bias", "cross_attn.out.weight",
                "cross_attn.out.bias",
            ].map { "decoder.blocks.0.\($0)" }
        #expect(Set(parsed.order) == Set(expected))
    }

    @Test func refusesANonzeroKeyBiasNamingTheFileAndVariable() throws {
        let files = try TinyWhisperFiles()  // random biases: the key's is not zero
        defer { files.remove() }
        let output = files.directory.appendingPathComponent("ggml-bad.bin").path
        let error = try #require(throws: CTranslate2Error.self) {
            try WhisperCppModelWriter.write(files.sources, to: output)
        }
        let message = "\(error)"
        #expect(message.contains(files.sources.model.path))
        #expect(message.contains("linear_0/bias") || message.contains("linear_1/bias"))
        #expect(message.contains("zero key bias"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
