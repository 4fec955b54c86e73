import Foundation
import Testing

@testable import GGUF

@Suite struct GGUFReaderTests {
    @Test func readsEveryScalarMetadataType() throws {
        let file = try GGUFFile(bytes: SmallModel.bytes())
        #expect(file.metadata["test.uint8"] == .uint8(200))
        #expect(file.metadata["test.int8"] == .int8(-100))
        #expect(file.metadata["test.uint16"] == .uint16(60_000))
        #expect(file.metadata["test.int16"] == .int16(-30_000))
        #expect(file.metadata["llama.block_count"] == .uint32(2))
        #expect(file.metadata["test.int32"] == .int32(-2_000_000_000))
        #expect(file.metadata["llama.embedding_length"] == .uint64(32))
        #expect(file.metadata["test.int64"] == .int64(-9_000_000_000_000))
        #expect(file.metadata["llama.rope.freq_base"] == .float32(10_000))
        #expect(file.metadata["llama.attention.layer_norm_rms_epsilon"] == .float64(1e-5))
        #expect(file.metadata["test.bool"] == .bool(true))
        #expect(file.metadata["general.name"] == .string("tiny test model"))
    }

    @Test func typedAccessorsConvertIntegersAndFloatsButNotAcrossKinds() throws {
        let file = try GGUFFile(bytes: SmallModel.bytes())
        #expect(file.metadata["llama.block_count"]?.int == 2)
        #expect(file.metadata["test.int8"]?.int == -100)
        #expect(file.metadata["llama.rope.freq_base"]?.float == 10_000)
        #expect(file.metadata["llama.attention.layer_norm_rms_epsilon"]?.double == 1e-5)
        #expect(file.metadata["llama.rope.freq_base"]?.int == nil)
        #expect(file.metadata["general.name"]?.int == nil)
        #expect(file.metadata["missing.key"] == nil)
        #expect(try file.requireInt("llama.block_count") == 2)
        #expect(try file.requireString("general.architecture") == "llama")
        #expect(try file.requireFloat("llama.rope.freq_base") == 10_000)
    }

    @Test func requiredMetadataErrorsNameTheFileTheKeyAndTheFoundType() throws {
        let file = try GGUFFile(bytes: SmallModel.bytes(), path: "Models/cache/lm.gguf")
        #expect(throws: GGUFError.missingMetadata(path: "Models/cache/lm.gguf", key: "llama.context_length")) {
            try file.requireInt("llama.context_length")
        }
        do {
            _ = try file.requireInt("general.name")
            Issue.record("a string was read as an integer")
        } catch {
            #expect("\(error)" == "Models/cache/lm.gguf: metadata 'general.name' is string, expected an integer")
        }
    }

    @Test func readsStringArraysOneElementAtATimeOrWhole() throws {
        let file = try GGUFFile(bytes: SmallModel.bytes())
        let tokens = try #require(file.metadata["tokenizer.ggml.tokens"]?.array)
        #expect(tokens.elementType == .string)
        #expect(tokens.count == 5)
        #expect(tokens.string(at: 3) == "日本")
        #expect(tokens.string(at: 5) == nil)
        #expect(tokens.withStringBytes(at: 2) { Array($0) } == [0xC3, 0xA9])
        #expect(tokens.strings == ["<s>", "a", "é", "日本", ""])
        #expect(tokens.ints == nil)
    }

    @Test func readsNumericBooleanAndNestedArrays() throws {
        let file = try GGUFFile(bytes: SmallModel.bytes())
        #expect(file.metadata["tokenizer.ggml.token_type"]?.array?.ints == [3, 1, 1, 1, 1])
        #expect(file.metadata["tokenizer.ggml.scores"]?.array?.floats == [0, -1.5, -2, -3, -4])
        #expect(file.metadata["test.bools"]?.array?.values == [.bool(false), .bool(true)])
        let nested = try #require(file.metadata["test.nested"]?.array)
        #expect(nested.elementType == .array)
        #expect(nested[0]?.array?.ints == [1, 2])
        #expect(nested[1]?.array?.strings == ["x"])
        #expect(nested[2]?.array?.count == 0)
        #expect(GGUFArray(strings: []).ints == nil)
        #expect(GGUFArray(int32s: []).ints == [])
        #expect(GGUFArray(int32s: [1]).floats == nil)
    }

    @Test func keepsMetadataKeysAndTensorsInFileOrder() throws {
        let file = try GGUFFile(bytes: SmallModel.bytes())
        #expect(file.metadata.keys.prefix(3) == ["general.architecture", "general.name", "llama.block_count"])
        #expect(
            file.tensorInfos.map(\.name) == [
                "token_embd.weight", "output_norm.weight", "blk.0.attn_q.weight", "blk.0.ffn_up.weight",
            ])
    }

    @Test func describesTensorsInGgmlOrderWithTypeAndByteCount() throws {
        let file = try GGUFFile(bytes: SmallModel.bytes())
        let q = try #require(file.tensor(named: "blk.0.attn_q.weight"))
        #expect(q.type == .q4_0)
        #expect(q.shape == [64, 2])
        #expect(q.info.elementCount == 128)
        #expect(q.byteCount == 72)
        #expect(q.info.rowCount == 2)
        #expect(q.info.rowByteCount == 36)
        #expect(file.tensor(named: "no.such.tensor") == nil)
        #expect(throws: GGUFError.missingTensor(path: "<memory>", tensor: "no.such.tensor")) {
            try file.requireTensor(named: "no.such.tensor")
        }
    }

    @Test func tensorViewsShowTheBytesThatWereWritten() throws {
        let file = try GGUFFile(bytes: SmallModel.bytes())
        let embedding = try file.requireTensor(named: "token_embd.weight")
        let floats = embedding.withUnsafeBytes { bytes in
            (0..<64).map {
                Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
            }
        }
        #expect(floats == SmallModel.embedding)
        #expect(try file.requireTensor(named: "blk.0.ffn_up.weight").data == Data(repeating: 9, count: 102))
        #expect(Array(try file.requireTensor(named: "blk.0.attn_q.weight").bytes) == Array(repeating: 7, count: 72))
    }

    @Test func tensorDataOutlivesTheFileObject() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("small.gguf")
        try SmallModel.write(to: path)
        var data: Data?
        do {
            let file = try GGUFFile(path: path)
            data = try file.requireTensor(named: "blk.0.attn_q.weight").data
        }
        #expect(data == Data(repeating: 7, count: 72))
    }

    @Test func mapsAFileFromDiskAndPlacesDataAtTheAlignment() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("aligned.gguf")
        try SmallModel.write(to: path, alignment: 64)
        let file = try GGUFFile(contentsOf: URL(fileURLWithPath: path))
        #expect(file.path == path)
        #expect(file.alignment == 64)
        #expect(file.metadata["general.alignment"] == .uint32(64))
        #expect(file.dataOffset % 64 == 0)
        #expect(file.tensorInfos.allSatisfy { $0.offset % 64 == 0 })
        #expect(file.fileSize == (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int))
    }

    @Test func readsVersionTwoFilesLikeVersionThree() throws {
        var bytes = try SmallModel.bytes()
        bytes[4] = 2
        let file = try GGUFFile(bytes: bytes)
        #expect(file.version == 2)
        #expect(file.tensorCount == 4)
    }

    @Test func summaryNamesVersionArchitectureCountsAndBytesByType() throws {
        let file = try GGUFFile(bytes: SmallModel.bytes(), path: "tiny.gguf")
        #expect(
            file.summary
                == "tiny.gguf: GGUF v3, llama, 4 tensors (0.0 MB: F32 0.0 MB in 1, Q8_0 0.0 MB in 1, "
                + "Q4_0 0.0 MB in 1, F16 0.0 MB in 1), 18 metadata, alignment 32")
        #expect(file.tensorBytesByType.map(\.byteCount) == [102, 256, 72, 64].sorted(by: >))
    }

    @Test func validateShapesAcceptsMatchingShapes() throws {
        let file = try GGUFFile(bytes: SmallModel.bytes())
        try file.validateShapes(["token_embd.weight": [32, 2], "output_norm.weight": [32]])
    }

    @Test func validateShapesReportsAMismatchInTheStyleGuidesFormat() throws {
        let file = try GGUFFile(bytes: SmallModel.bytes(), path: "Models/cache/lm.gguf")
        let error = GGUFError.tensorShapeMismatch(
            path: "Models/cache/lm.gguf", tensor: "blk.0.attn_q.weight", expected: [64, 64], found: [64, 2])
        #expect(throws: error) { try file.validateShapes(["blk.0.attn_q.weight": [64, 64]]) }
        #expect("\(error)" == "Models/cache/lm.gguf: tensor 'blk.0.attn_q.weight' has shape [64, 2], expected [64, 64]")
        #expect(throws: GGUFError.missingTensor(path: "Models/cache/lm.gguf", tensor: "output.weight")) {
            try file.validateShapes(["output.weight": [32, 5]])
        }
    }
}
