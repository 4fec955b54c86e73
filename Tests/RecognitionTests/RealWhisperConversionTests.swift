import Foundation
import GGUF
import Testing
import TutorCore

@testable import Recognition

/// Converts the real tiny.en and base checkpoints from the model cache into a temporary folder and checks them.
///
/// Skipped locally when the cache lacks them; with CI=true they run anyway, so a missing model fails loudly.
@Suite(.serialized) struct RealWhisperConversionTests {
    static let models = TutorPaths.cacheDirectory().appendingPathComponent("models")
    static func shouldRun(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: models.appendingPathComponent("\(name)/model.bin").path)
            || ProcessInfo.processInfo.environment["CI"] == "true"
    }

    static func convert(_ name: String) throws -> (WhisperModel, WhisperConversionReport, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("whisper-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let output = folder.appendingPathComponent("\(name).gguf").path
        let report = try WhisperConverter.convert(
            WhisperSourceFiles(directory: models.appendingPathComponent(name)), to: output, name: name)
        print(
            "\(name): converted in \(report.seconds) s, \(report.outputByteCount) bytes, \(report.tensorCount) tensors")
        return (try WhisperModel(path: output), report, folder)
    }

    static func halves(_ tensor: GGUFTensor) -> [Float] {
        tensor.withUnsafeBytes { bytes in
            (0..<tensor.info.elementCount).map {
                Float(Float16(bitPattern: bytes.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self)))
            }
        }
    }

    static func checkTensors(_ model: WhisperModel, source: CTranslate2Model) throws {
        for variable in source.variables where !variable.shape.isEmpty {
            let tensor = try model.file.requireTensor(named: try #require(WhisperConverter.ggufName(variable.name)))
            #expect(tensor.type == .f16)
            #expect(tensor.shape == Array(variable.shape.reversed()))
            #expect(tensor.byteCount == variable.byteCount)
        }
    }

    @Test(.enabled(if: shouldRun("whisper-tiny.en"), "needs whisper-tiny.en in the cache (run the model fetch step)"))
    func tinyEnConvertsWithFourLayersOf384AndSixHeadsEnglishOnly() throws {
        let (model, report, folder) = try Self.convert("whisper-tiny.en")
        defer { try? FileManager.default.removeItem(at: folder) }
        let h = model.hyperparameters
        #expect(h.encoderBlockCount == 4 && h.decoderBlockCount == 4)
        #expect(h.embeddingLength == 384 && h.feedForwardLength == 1536)
        #expect(h.encoderHeadCount == 6 && h.decoderHeadCount == 6)
        #expect(h.vocabularySize == 51_864)
        #expect(h.melCount == 80 && h.audioContextLength == 1500 && h.textContextLength == 448)
        #expect(!h.isMultilingual)
        #expect(try model.file.requireValue(WhisperHyperparameters.Key.multilingual) == .bool(false))
        #expect(model.languages == ["en"])
        #expect(try model.file.requireString(WhisperConverter.Key.mergesSource) == "tokenizer.json")
        // Whisper's key projections have no bias: the fused biases hold zeros there, as the converter's doc says.
        for name in [
            "encoder.blocks.0.attn.qkv.bias", "decoder.blocks.3.attn.qkv.bias", "decoder.blocks.1.cross_attn.kv.bias",
        ] {
            let bias = try Self.halves(model.file.requireTensor(named: name))
            let keys = name.hasSuffix(".kv.bias") ? bias[0..<384] : bias[384..<768]
            #expect(keys.allSatisfy { $0 == 0 }, "\(name)")
            #expect(bias.contains { $0 != 0 }, "\(name)")
        }
        // 148 variables: 9 scalars, 139 tensors; plus the mel filters.
        #expect(report.tensorCount == 140)
        #expect(model.melFilters == MelFilterBank.whisper)
        try Self.checkTensors(
            model,
            source: try CTranslate2Model(
                path: Self.models.appendingPathComponent("whisper-tiny.en/model.bin").path))
    }

    @Test(.enabled(if: shouldRun("whisper-base"), "needs whisper-base in the cache (run the model fetch step)"))
    func baseConvertsWithSixLayersOf512AndEightHeadsMultilingual() throws {
        let (model, report, folder) = try Self.convert("whisper-base")
        defer { try? FileManager.default.removeItem(at: folder) }
        let h = model.hyperparameters
        #expect(h.encoderBlockCount == 6 && h.decoderBlockCount == 6)
        #expect(h.embeddingLength == 512 && h.feedForwardLength == 2048)
        #expect(h.encoderHeadCount == 8 && h.decoderHeadCount == 8)
        #expect(h.vocabularySize == 51_865)
        #expect(h.isMultilingual)
        #expect(model.languages.count == 99)
        for code in ["sw", "ha", "yo", "hi", "ur"] {
            #expect(model.languages.contains(code))
            let id = try #require(model.tokenizer.languageToken(for: code))
            #expect(model.tokenizer.tokens[id] == "<|\(code)|>")
        }
        // tokenizer.json lacks the first merge; the file holds the 50,000 the token ids imply, `Ġ t` first.
        let merges = try #require(model.file.metadata["tokenizer.ggml.merges"]?.array)
        #expect(merges.count == 50_000)
        #expect(merges.string(at: 0) == "Ġ t")
        #expect(merges.string(at: 1) == "Ġ a")
        #expect(model.tokenizer.mergesFollowTokenIDs)
        #expect(
            try model.file.requireString(WhisperConverter.Key.mergesSource)
                == "derived from the token ids (tokenizer.json had 49999, inconsistent)")
        // 212 variables: 9 scalars, 203 tensors; plus the mel filters.
        #expect(report.tensorCount == 204)
        try Self.checkTensors(
            model,
            source: try CTranslate2Model(
                path: Self.models.appendingPathComponent("whisper-base/model.bin").path))
    }
}
