import Audio
import Foundation
import Testing
import TutorCore

@Suite struct EvalSpeechCommandTests {
    static let shouldRun =
        (FileManager.default.fileExists(
            atPath: TutorPaths.cacheDirectory().appendingPathComponent("models/whisper-tiny.en.gguf").path)
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/espeak-ng"))
        || ProcessInfo.processInfo.environment["CI"] == "true"

    /// A sentence file in a fresh folder.
    static func sentenceFile(_ text: String) throws -> (folder: URL, file: URL) {
        let folder = try TutorProcess.temporaryFolder()
        let file = folder.appendingPathComponent("sentences.txt")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return (folder, file)
    }

    @Test func anUnknownPartIsRefusedBeforeAnythingRuns() throws {
        let result = try TutorProcess.run(["eval", "speech", "--part", "train"])
        #expect(result.status != 0)
        #expect(result.error.contains("--part must be all, dev or test (found 'train')"))
    }

    @Test func aLineWithoutWordsIsAnErrorNamingTheFileAndLine() throws {
        let (folder, file) = try Self.sentenceFile("# comment\nLight is fast.\n ... !\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try TutorProcess.run(["eval", "speech", "--set", file.path, "--no-peer"])
        #expect(result.status != 0)
        #expect(result.error.contains("sentences.txt:3: no words in '... !'"), "\(result.error)")
    }

    @Test func anEnglishOnlyRecognizerIsRefusedForSwahili() throws {
        let result = try TutorProcess.run(["eval", "speech", "--lang", "sw", "--model", "tiny.en", "--no-peer"])
        #expect(result.status != 0)
        #expect(result.error.contains("tiny.en understands only English"), "\(result.error)")
    }

    @Test(.enabled(if: shouldRun, "needs whisper-tiny.en.gguf in the cache and espeak-ng"))
    func threeSentencesGiveWERPerVoiceAndPartWithTheRatioAndTheAudio() throws {
        let (folder, file) = try Self.sentenceFile(
            "# three sentences\nLight goes into your eyes.\nWind is moving air.\nA force is a push or a pull.\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        let audio = folder.appendingPathComponent("audio")
        let result = try TutorProcess.run([
            "eval", "speech", "--set", file.path, "--sentences", "--keep-audio", audio.path,
        ])
        #expect(result.status == 0, "\(result.error)")
        let lines = result.output.split(separator: "\n").map(String.init)
        // Sentences 1 and 3 are dev (5 + 8 words), sentence 2 test (4 words).
        let dev = lines.filter { $0.hasPrefix("en dev ") && $0.contains("WER") && !$0.contains("ratio") }
        #expect(dev.count == 2 && dev.allSatisfy { $0.contains("2 sentences   13 words") }, "\(result.output)")
        #expect(lines.contains { $0.hasPrefix("en test kind") && $0.contains("1 sentences    4 words") })
        #expect(lines.contains { $0.hasPrefix("en all  WER ratio kind / espeak-ng = ") }, "\(result.output)")
        // Each sentence was heard for each voice, and espeak-ng's clear voice is mostly understood.
        #expect(lines.filter { $0.contains("  ->  ") }.count == 6, "\(result.output)")
        let peer = lines.first { $0.hasPrefix("en all  espeak-ng") } ?? ""
        let percent = peer.split(separator: "WER").last?.split(separator: "%").first
        let rate = percent.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        #expect(rate.map { $0 < 50 } == true, "\(result.output)")
        let kept = try SoundFile.read(audio.appendingPathComponent("kind-2.wav"))
        #expect(kept.sampleRateHz == 16_000 && kept.samples.count > 8_000)
        #expect(FileManager.default.fileExists(atPath: audio.appendingPathComponent("espeak-ng-3.wav").path))
    }
}
