import Foundation

@testable import GGUF

/// Builds GGUF bytes field by field, so tests can write files the writer would refuse to produce.
struct GGUFBytes {
    var data = Data()

    mutating func u8(_ value: UInt8) { data.append(value) }
    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
    mutating func string(_ value: String) {
        u64(UInt64(value.utf8.count))
        data.append(contentsOf: value.utf8)
    }
    mutating func header(version: UInt32 = 3, tensors: UInt64, metadata: UInt64) {
        data.append(contentsOf: Array("GGUF".utf8))
        u32(version)
        u64(tensors)
        u64(metadata)
    }
    mutating func tensorInfo(_ name: String, shape: [UInt64], type: UInt32, offset: UInt64) {
        string(name)
        u32(UInt32(shape.count))
        for dimension in shape { u64(dimension) }
        u32(type)
        u64(offset)
    }
    mutating func pad(to alignment: Int) {
        while data.count % alignment != 0 { data.append(0) }
    }
    mutating func zeros(_ count: Int) { data.append(Data(count: count)) }
}

/// A folder under the system's temporary directory, removed when the test ends.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("gguf-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// A small valid model written by GGUFWriter: every metadata type, nested arrays and F32, F16, Q4_0, Q8_0 tensors.
enum SmallModel {
    static let embedding: [Float] = (0..<64).map { Float($0) / 8 - 4 }

    static func write(to path: String, alignment: Int = 32) throws {
        let writer = try GGUFWriter(path: path, alignment: alignment)
        try writer.setMetadata("general.architecture", .string("llama"))
        try writer.setMetadata("general.name", .string("tiny test model"))
        try writer.setMetadata("llama.block_count", .uint32(2))
        try writer.setMetadata("llama.embedding_length", .uint64(32))
        try writer.setMetadata("llama.rope.freq_base", .float32(10_000))
        try writer.setMetadata("llama.attention.layer_norm_rms_epsilon", .float64(1e-5))
        try writer.setMetadata("test.uint8", .uint8(200))
        try writer.setMetadata("test.int8", .int8(-100))
        try writer.setMetadata("test.uint16", .uint16(60_000))
        try writer.setMetadata("test.int16", .int16(-30_000))
        try writer.setMetadata("test.int32", .int32(-2_000_000_000))
        try writer.setMetadata("test.int64", .int64(-9_000_000_000_000))
        try writer.setMetadata("test.bool", .bool(true))
        try writer.setMetadata("tokenizer.ggml.tokens", .array(GGUFArray(strings: ["<s>", "a", "é", "日本", ""])))
        try writer.setMetadata("tokenizer.ggml.token_type", .array(GGUFArray(int32s: [3, 1, 1, 1, 1])))
        try writer.setMetadata("tokenizer.ggml.scores", .array(GGUFArray(float32s: [0, -1.5, -2, -3, -4])))
        try writer.setMetadata(
            "test.nested",
            .array(
                GGUFArray(
                    [
                        .array(GGUFArray(int32s: [1, 2])), .array(GGUFArray(strings: ["x"])),
                        .array(GGUFArray(int32s: [])),
                    ],
                    elementType: .array)))
        try writer.setMetadata("test.bools", .array(GGUFArray([.bool(false), .bool(true)], elementType: .bool)))
        try writer.addTensor(name: "token_embd.weight", shape: [32, 2], float32: embedding)
        try writer.addTensor(name: "output_norm.weight", shape: [32], float16From: (0..<32).map { Float($0) })
        try writer.addTensor(
            name: "blk.0.attn_q.weight", type: .q4_0, shape: [64, 2], bytes: Data(repeating: 7, count: 72))
        try writer.addTensor(name: "blk.0.ffn_up.weight", type: .q8_0, shape: [32, 3]) {
            Data(repeating: 9, count: 3 * 34)
        }
        try writer.write()
    }

    static func bytes() throws -> Data {
        let folder = try TemporaryFolder()
        let path = folder.path("small.gguf")
        try write(to: path)
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }
}
