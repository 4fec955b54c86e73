import Foundation
import Testing
import TutorCore

@Suite struct ModelsConvertCommandTests {
    static let models = TutorPaths.cacheDirectory().appendingPathComponent("models")
    static let shouldRun =
        FileManager.default.fileExists(atPath: models.appendingPathComponent("whisper-base/model.bin").path)
        || ProcessInfo.processInfo.environment["CI"] == "true"

    @Test func convertFailsAndSaysHowToFixAnEmptyCache() throws {
        let empty = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: empty) }
        let result = try TutorProcess.run(["models", "convert", "--cache", empty.path])
        #expect(result.status != 0)
        #expect(result.error.contains("whisper-tiny.en/model.bin is missing: run `tutor models fetch` first"))
    }

    @Test(.enabled(if: shouldRun, "needs the Whisper checkpoints in the cache (run the model fetch step)"))
    func convertWritesBothModelsOnceAndThenSkipsThem() throws {
        // A cache of links to the real sources, so the test writes its GGUF files somewhere of its own.
        let cache = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: cache) }
        for name in ["whisper-tiny.en", "whisper-base"] {
            let folder = cache.appendingPathComponent("models/\(name)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in ["model.bin", "tokenizer.json", "vocabulary.txt"] {
                try FileManager.default.createSymbolicLink(
                    at: folder.appendingPathComponent(file),
                    withDestinationURL: Self.models.appendingPathComponent("\(name)/\(file)"))
            }
        }
        let first = try TutorProcess.run(["models", "convert", "--cache", cache.path])
        #expect(first.status == 0, "\(first.output)\n\(first.error)")
        #expect(first.output.contains("whisper-tiny.en: converted in"))
        #expect(first.output.contains("whisper-base: converted in"))
        #expect(first.output.contains("(204 tensors, 147.2 MB)"))
        let second = try TutorProcess.run(["models", "convert", "--cache", cache.path])
        #expect(second.status == 0)
        #expect(second.output.contains("whisper-tiny.en: up to date"))
        #expect(second.output.contains("whisper-base: up to date"))
    }
}
