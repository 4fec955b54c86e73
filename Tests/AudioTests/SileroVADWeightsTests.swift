import Foundation
import GGUF
import Testing
import TutorCore

@testable import Audio

/// Converting and loading the Silero weights, with random weights of the real shapes (no real model needed).
@Suite("Silero VAD weights")
struct SileroVADWeightsTests {
    /// Random tensors of the real shapes, as a safetensors file in `folder`.
    static func writeRandomSafetensors(in folder: URL, seed: UInt64 = 3) throws -> (URL, [String: [Float]]) {
        var generator = SplitMixForTests(seed: seed)
        var tensors: [(name: String, shape: [Int], values: [Float])] = []
        for (name, shape) in SileroVADWeights.tensorShapes {
            tensors.append((name, shape, (0..<shape.reduce(1, *)).map { _ in generator.nextFloat() * 0.2 }))
        }
        let url = folder.appendingPathComponent("models/silero-vad/silero_vad_16k.safetensors")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try SafeTensorsBytes.make(tensors).write(to: url)
        return (url, Dictionary(uniqueKeysWithValues: tensors.map { ($0.name, $0.values) }))
    }

    @Test func theParameterCountIsSilerosThreeHundredNineThousand() {
        #expect(SileroVADWeights.parameterCount == 309_633)
    }

    @Test func convertsToAGGUFWithTheHyperparametersAndReversedShapes() throws {
        let folder = try TemporaryDirectory()
        let (safetensors, values) = try Self.writeRandomSafetensors(in: folder.url)
        let gguf = folder.file("silero-vad.gguf")
        try SileroVADWeights.convert(safetensors: safetensors, to: gguf)
        let file = try GGUFFile(path: gguf.path)
        #expect(file.architecture == "silero-vad")
        #expect(try file.requireInt("silero-vad.window_samples") == 512)
        #expect(try file.requireInt("silero-vad.sample_rate_hz") == 16_000)
        #expect(file.tensorCount == 15)
        #expect(file.tensor(named: "conv1.weight")?.shape == [3, 129, 128])
        let stored = try #require(file.tensor(named: "lstm_cell.weight_hh")).withUnsafeBytes {
            Array($0.bindMemory(to: Float.self))
        }
        #expect(stored == values["lstm_cell.weight_hh"])
        #expect(!FileManager.default.fileExists(atPath: gguf.path + ".partial"))
    }

    @Test func theGGUFGivesTheSameProbabilitiesAsTheSafetensors() throws {
        let folder = try TemporaryDirectory()
        let (safetensors, _) = try Self.writeRandomSafetensors(in: folder.url)
        let gguf = folder.file("silero-vad.gguf")
        try SileroVADWeights.convert(safetensors: safetensors, to: gguf)
        let signal = TestSignals.noise(count: 4_000, amplitude: 0.3, seed: 5)
        var fromGGUF = SileroVAD(weights: try SileroVADWeights(gguf: gguf.path))
        var fromSafetensors = SileroVAD(weights: try SileroVADWeights(safetensors: safetensors.path))
        #expect(fromGGUF.speechProbabilities(signal) == fromSafetensors.speechProbabilities(signal))
    }

    @Test func loadingConvertsOnceWhenTheGGUFIsAbsent() throws {
        let folder = try TemporaryDirectory()
        _ = try Self.writeRandomSafetensors(in: folder.url)
        let gguf = SileroVADWeights.ggufFile(cacheDirectory: folder.url)
        #expect(!FileManager.default.fileExists(atPath: gguf.path))
        _ = try SileroVADWeights.load(cacheDirectory: folder.url)
        #expect(FileManager.default.fileExists(atPath: gguf.path))
        #expect(gguf.lastPathComponent == "silero-vad.gguf")
        let modified = try FileManager.default.attributesOfItem(atPath: gguf.path)[.modificationDate] as? Date
        _ = try SileroVADWeights.load(cacheDirectory: folder.url)
        #expect(try FileManager.default.attributesOfItem(atPath: gguf.path)[.modificationDate] as? Date == modified)
    }

    @Test func theDetectorLoadsFromTheCacheThroughTheSameConversion() throws {
        let folder = try TemporaryDirectory()
        let (safetensors, _) = try Self.writeRandomSafetensors(in: folder.url)
        let gguf = folder.file("elsewhere.gguf")
        try SileroVAD.convert(safetensors: safetensors, to: gguf)
        var loaded = try SileroVAD.load(cacheDirectory: folder.url)
        var converted = SileroVAD(weights: try SileroVADWeights(gguf: gguf.path))
        let signal = TestSignals.noise(count: 2_000, amplitude: 0.2, seed: 8)
        #expect(loaded.speechProbabilities(signal) == converted.speechProbabilities(signal))
    }

    @Test func loadingWithNoModelNamesBothFiles() throws {
        let folder = try TemporaryDirectory()
        #expect(
            throws: SileroVADError.modelMissing(
                gguf: SileroVADWeights.ggufFile(cacheDirectory: folder.url).path,
                safetensors: SileroVADWeights.safetensorsFile(cacheDirectory: folder.url).path)
        ) { try SileroVADWeights.load(cacheDirectory: folder.url) }
    }

    @Test func theLoaderRejectsATensorOfTheWrongShapeNamingFileAndTensor() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("bad.gguf").path
        let writer = try GGUFWriter(path: path)
        try writer.setMetadata("general.architecture", .string("silero-vad"))
        for (key, value) in SileroVADWeights.hyperparameters { try writer.setMetadata(key, .uint32(UInt32(value))) }
        for (name, shape) in SileroVADWeights.tensorShapes {
            let written = name == "conv2.weight" ? [3, 64, 64] : Array(shape.reversed())
            try writer.addTensor(
                name: name, shape: written, float32: [Float](repeating: 0, count: written.reduce(1, *)))
        }
        try writer.write()
        #expect(
            throws: GGUFError.tensorShapeMismatch(
                path: path, tensor: "conv2.weight", expected: [3, 128, 64],
                found: [3, 64, 64])
        ) { try SileroVADWeights(gguf: path) }
    }

    @Test func theLoaderRejectsAnotherWindowSize() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("bad.gguf").path
        let writer = try GGUFWriter(path: path)
        try writer.setMetadata("general.architecture", .string("silero-vad"))
        for (key, value) in SileroVADWeights.hyperparameters {
            try writer.setMetadata(key, .uint32(UInt32(key.hasSuffix("window_samples") ? 256 : value)))
        }
        try writer.write()
        #expect(
            throws: SileroVADError.unexpectedMetadata(
                path: path, key: "silero-vad.window_samples", expected: "512",
                found: "256")
        ) { try SileroVADWeights(gguf: path) }
    }

    @Test func theConverterRejectsASafetensorsTensorOfTheWrongShape() throws {
        let folder = try TemporaryDirectory()
        let url = folder.file("x.safetensors")
        try SafeTensorsBytes.make([("stft_conv.weight", [258, 256], [Float](repeating: 0, count: 258 * 256))]).write(
            to: url)
        #expect(
            throws: SileroVADError.unexpectedTensorShape(
                path: url.path, tensor: "stft_conv.weight",
                expected: [258, 1, 256], found: [258, 256])
        ) {
            try SileroVADWeights.convert(safetensors: url, to: folder.file("x.gguf"))
        }
    }
}

/// Deterministic floats in [-1, 1) for weights.
struct SplitMixForTests {
    var generator: SplitMix64
    init(seed: UInt64) { generator = SplitMix64(seed: seed) }
    mutating func nextFloat() -> Float { Float.random(in: -1..<1, using: &generator) }
}
