import Foundation
import Testing
import TutorCore

@Suite struct TranscribeCommandTests {
    static let shouldRun =
        FileManager.default.fileExists(
            atPath: TutorPaths.cacheDirectory().appendingPathComponent("models/whisper-tiny.en.gguf").path)
        || ProcessInfo.processInfo.environment["CI"] == "true"

    @Test func anUnknownModelNameFailsAndNamesTheTwoThereAre() throws {
        let result = try TutorProcess.run(["transcribe", "Samples/sky-blue-en-us-160.flac", "--model", "large"])
        #expect(result.status != 0)
        #expect(result.error.contains("unknown model 'large', expected tiny.en or base"))
    }

    @Test func aMissingModelFileSaysHowToMakeIt() throws {
        let empty = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: empty) }
        let result = try TutorProcess.run(["transcribe", "Samples/sky-blue-en-us-160.flac", "--cache", empty.path])
        #expect(result.status != 0)
        #expect(result.error.contains("run `tutor models fetch` and `tutor models convert` first"))
    }

    @Test(.enabled(if: shouldRun, "needs whisper-tiny.en.gguf in the cache"))
    func theStereo48kHzSkyQuestionComesOutAsTextWithTimings() throws {
        let result = try TutorProcess.run(["transcribe", "Samples/sky-blue-en-us-160-48k-stereo.wav", "--timings"])
        #expect(result.status == 0, "\(result.error)")
        let lines = result.output.split(separator: "\n")
        #expect(lines.first?.lowercased().contains("sky") == true)
        #expect(result.output.contains("language en (p 1.000)"))
        #expect(result.output.contains("RTF"))
    }
}
