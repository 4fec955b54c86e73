import Foundation
import Synchronization
import TutorCore

@testable import Audio

/// Files and fixtures shared by the voice-activity tests.
enum VADFixtures {
    /// The repository's top folder, found from this file's place in it.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// A file under Samples/.
    static func sample(_ name: String) -> URL { repository.appendingPathComponent("Samples/\(name)") }

    /// The cached silero-vad safetensors (fetched by `tutor models fetch`; CI fetches it before the tests).
    static let cachedSafetensors = SileroVADWeights.safetensorsFile()

    /// True when the tests that need the real Silero weights can run (or must: CI=true makes a missing file fail).
    static let realModelAvailable =
        FileManager.default.fileExists(atPath: cachedSafetensors.path)
        || ProcessInfo.processInfo.environment["CI"] == "true"

    /// The real weights, converted to GGUF in a temporary folder (the cache is left alone) and loaded from there.
    static func realWeights() throws -> SileroVADWeights {
        try cache.withLock { cached in
            if let cached { return cached }
            let folder = FileManager.default.temporaryDirectory
                .appendingPathComponent("vad-tests-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let gguf = folder.appendingPathComponent("silero-vad.gguf")
            try SileroVADWeights.convert(safetensors: cachedSafetensors, to: gguf)
            let weights = try SileroVADWeights(gguf: gguf.path)
            cached = weights
            return weights
        }
    }
    private static let cache = Mutex<SileroVADWeights?>(nil)

    /// Random weights of the real shapes, made once.
    static let randomWeights = SileroVADWeights.random(seed: 7)

    /// One golden file's rows: (start sample, probability from the safetensors weights, from the ONNX model).
    static func golden(_ name: String) throws -> [(start: Int, safetensors: Float, onnx: Float)] {
        guard let url = Bundle.module.url(forResource: "Golden/\(name)", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Golden/\(name)"])
        }
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst(2)
        return lines.map { line in
            let fields = line.split(separator: "\t")
            return (Int(fields[0])!, Float(fields[1])!, Float(fields[2])!)
        }
    }

    /// The golden noise clip, beside the golden files.
    static func goldenClip(_ name: String) -> URL {
        Bundle.module.url(forResource: "Golden/\(name)", withExtension: nil)!
    }
}

/// A detector for endpointing tests: speech exactly where the window's mean absolute level is above 0.05.
struct LevelDetector: VoiceActivityDetecting {
    var windowSampleCount = 512
    var resets = 0

    mutating func speechProbability(_ window: UnsafeBufferPointer<Float>) -> Float {
        let level = window.reduce(0) { $0 + abs($1) } / Float(max(window.count, 1))
        return level > 0.05 ? 1 : 0
    }

    mutating func reset() { resets += 1 }
}
