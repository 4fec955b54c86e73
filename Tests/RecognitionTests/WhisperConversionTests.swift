import Foundation
import GGUF
import Testing

@testable import Recognition

@Suite struct WhisperConversionTests {
    @Test func aHandMadeCheckpointRoundTripsThroughGGUFWithTheSameBytes() throws {
        let files = try TinyWhisperFiles()
        defer { files.remove() }
        let output = files.directory.appendingPathComponent("tiny.gguf").path
        let report = try WhisperConverter.convert(files.sources, to: output, name: "tiny-test")
        #expect(!report.skippedAsUpToDate)
        let model = try WhisperModel(path: output)
        let source = try CTranslate2Model(path: files.sources.model.path)
        for variable in source.variables where !variable.shape.isEmpty {
            let name = try #require(WhisperConverter.ggufName(variable.name))
            let tensor = try model.file.requireTensor(named: name)
            #expect(tensor.shape == Array(variable.shape.reversed()), "\(name)")
            #expect(tensor.type == (variable.dtype == .float16 ? .f16 : .f32), "\(name)")
            #expect(Data(tensor.bytes) == source.data(of: variable), "\(name)")
        }
        // Every non-scalar variable plus the mel filters; the alias is not copied.
        #expect(model.file.tensorCount == source.variables.filter { !$0.shape.isEmpty }.count + 1)
        let aliases = model.file.metadata[WhisperConverter.Key.tensorAliases]?.array?.strings
        #expect(aliases == ["decoder.projection.weight=decoder.token_embedding.weight"])
        #expect(model.hyperparameters.embeddingLength == 8)
        #expect(model.hyperparameters.encoderHeadCount == 2)
        #expect(model.hyperparameters.encoderBlockCount == 1)
        #expect(model.hyperparameters.vocabularySize == files.tokens.count)
        #expect(model.melFilters == MelFilterBank.whisper)
        #expect(model.tokenizer.tokens == files.tokens)
        #expect(try model.file.requireInt("ctranslate2.decoder.alignment_layer") == -1)
    }

    @Test func convertingAgainSkipsAnUpToDateFileAndForceRedoesIt() throws {
        let files = try TinyWhisperFiles()
        defer { files.remove() }
        let output = files.directory.appendingPathComponent("tiny.gguf").path
        _ = try WhisperConverter.convert(files.sources, to: output, name: "tiny-test")
        let again = try WhisperConverter.convert(files.sources, to: output, name: "tiny-test")
        #expect(again.skippedAsUpToDate)
        let forced = try WhisperConverter.convert(files.sources, to: output, name: "tiny-test", force: true)
        #expect(!forced.skippedAsUpToDate)
        // A changed source makes the output stale.
        var builder = files.builder
        builder.variables[builder.variables.count - 1].data[0] ^= 1
        try builder.bytes().write(to: files.sources.model)
        #expect(!(try WhisperConverter.convert(files.sources, to: output, name: "tiny-test").skippedAsUpToDate))
    }

    @Test func theLoaderRefusesATensorWithTheWrongShapeNamingIt() throws {
        let files = try TinyWhisperFiles()
        defer { files.remove() }
        var builder = files.builder
        let index = try #require(builder.variables.firstIndex { $0.name == "encoder/conv2/bias" })
        builder.variables[index].shape = [4]
        builder.variables[index].data = builder.variables[index].data.prefix(8)
        try builder.bytes().write(to: files.sources.model)
        let output = files.directory.appendingPathComponent("bad.gguf").path
        #expect(
            throws: GGUFError.tensorShapeMismatch(
                path: output, tensor: "encoder.conv2.bias", expected: [8], found: [4])
        ) { try WhisperConverter.convert(files.sources, to: output, name: "bad") }
    }

    @Test func theConverterRefusesAnUnknownVariable() throws {
        let files = try TinyWhisperFiles()
        defer { files.remove() }
        var builder = files.builder
        builder.add("encoder/extra/weight", shape: [2], float16: [1, 2])
        try builder.bytes().write(to: files.sources.model)
        let error = #expect(throws: CTranslate2Error.self) {
            try WhisperConverter.convert(
                files.sources, to: files.directory.appendingPathComponent("x.gguf").path,
                name: "x")
        }
        #expect(error?.description.contains("'encoder/extra/weight' is an unknown name") == true)
    }

    @Test func namesFollowTheDocumentedTable() {
        let expected = [
            "encoder/conv1/weight": "encoder.conv1.weight",
            "encoder/layer_3/self_attention/linear_0/bias": "encoder.blocks.3.attn.qkv.bias",
            "encoder/layer_0/self_attention/layer_norm/gamma": "encoder.blocks.0.attn_ln.weight",
            "encoder/layer_norm/beta": "encoder.ln_post.bias",
            "decoder/layer_5/attention/linear_1/weight": "decoder.blocks.5.cross_attn.kv.weight",
            "decoder/layer_1/ffn/linear_1/weight": "decoder.blocks.1.mlp.2.weight",
            "decoder/layer_norm/gamma": "decoder.ln.weight",
            "decoder/position_encodings/encodings": "decoder.positional_embedding",
        ]
        for (source, target) in expected { #expect(WhisperConverter.ggufName(source) == target, "\(source)") }
        #expect(WhisperConverter.ggufName("encoder/layer_0/attention/linear_0/weight") == nil)
        #expect(WhisperConverter.ggufName("encoder/layer_0/ffn/linear_0/gamma") == nil)
        #expect(WhisperConverter.ggufName("something/else") == nil)
    }
}

@Suite struct WhisperModelLoaderTests {
    @Test func theLoaderRefusesAFileOfAnotherArchitectureNamingIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("llama.gguf").path
        let writer = try GGUFWriter(path: path)
        try writer.setMetadata("general.architecture", .string("llama"))
        try writer.write()
        let error = #expect(throws: GGUFError.self) { try WhisperModel(path: path) }
        #expect(error?.description == "\(path): metadata 'general.architecture' is \"llama\", expected \"whisper\"")
    }

    @Test func theLoaderRefusesAFileWithAnExtraTensor() throws {
        let files = try TinyWhisperFiles()
        defer { files.remove() }
        let model = try CTranslate2Model(path: files.sources.model.path)
        let tokenizer = try WhisperTokenizer(
            tokenizerJSON: files.sources.tokenizerJSON, vocabularyText: files.sources.vocabularyText)
        let path = files.directory.appendingPathComponent("extra.gguf").path
        let writer = try GGUFWriter(path: path)
        try WhisperConverter.write(model: model, tokenizer: tokenizer, name: "extra", into: writer)
        try writer.addTensor(
            name: "decoder.blocks.7.attn.out.bias", shape: [8], float32: [Float](repeating: 0, count: 8))
        try writer.write()
        #expect(throws: WhisperModelError.unexpectedTensor(path: path, tensor: "decoder.blocks.7.attn.out.bias")) {
            try WhisperModel(path: path)
        }
    }
}
