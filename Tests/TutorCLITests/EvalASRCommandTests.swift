import Foundation
import Testing
import TutorCore

@Suite struct EvalASRCommandTests {
    static let shouldRun =
        FileManager.default.fileExists(
            atPath: TutorPaths.cacheDirectory().appendingPathComponent("models/whisper-tiny.en.gguf").path)
        || ProcessInfo.processInfo.environment["CI"] == "true"

    @Test func anUnknownModelIsRefusedBeforeAnythingRuns() throws {
        let result = try TutorProcess.run(["eval", "asr", "--model", "large"])
        #expect(result.status != 0)
        #expect(result.error.contains("--model must be tiny.en, base or all (found 'large')"))
    }

    @Test func aManifestRowWithoutFourFieldsIsAnErrorNamingTheLine() throws {
        let folder = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = folder.appendingPathComponent("bad.tsv")
        try "# file\tlanguage\tsource\treference\nclip.flac\ten\n".write(
            to: manifest, atomically: true, encoding: .utf8)
        let result = try TutorProcess.run(["eval", "asr", "--model", "tiny.en", "--set", manifest.path])
        #expect(result.status != 0)
        #expect(result.error.contains("bad.tsv:2: expected file, language, source and reference"))
    }

    @Test(.enabled(if: shouldRun, "needs whisper-tiny.en.gguf in the cache"))
    func threeEnglishClipsGiveAWERLinePerSourceAndOverall() throws {
        let result = try TutorProcess.run([
            "eval", "asr", "--model", "tiny.en", "--set", "Evaluation/asr/subset-cli.tsv",
        ])
        #expect(result.status == 0, "\(result.error)")
        let lines = result.output.split(separator: "\n").map(String.init)
        let overall = lines.first { $0.hasPrefix("tiny.en  all") }
        #expect(overall?.contains("3 clips") == true, "\(result.output)")
        #expect(overall?.contains("WER") == true, "\(result.output)")
        #expect(overall?.contains("(11 words:") == true, "\(result.output)")
        #expect(lines.contains { $0.hasPrefix("tiny.en  espeak-ng") && $0.contains("WER") }, "\(result.output)")
        #expect(lines.contains { $0.hasPrefix("tiny.en  flite") && $0.contains("WER") }, "\(result.output)")
    }
}
