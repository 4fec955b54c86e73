import Audio
import Foundation
import Testing
import TutorCore

/// `tutor voice build` over a folder of real files, as a teacher's recordings would arrive (espeak-ng reading).
@Suite struct VoiceBuildCommandTests {
    static let prompts = """
        # id\ttext\tphonemes
        sw_0001\tbaba\tb ˈa b a
        sw_0002\tmama\tm ˈa m a
        sw_0003\tsana\ts ˈa n a
        sw_0004\tkitabu\tk i t ˈa b u
        sw_0005\tmaji\tm ˈa dʒ i

        """

    func espeak(_ text: String, to file: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/espeak-ng")
        process.arguments = ["-v", "sw", "-w", file.path, text]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func aMissingASilentAndAn8kHzTakeAreReportedAndTheRestBuildsAVoice() throws {
        let folder = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.prompts.write(to: folder.appendingPathComponent("prompts.tsv"), atomically: true, encoding: .utf8)
        // sw_0001: no file. sw_0002: a second of silence. sw_0005: espeak-ng brought down to 8 kHz.
        try SoundFile.write(
            MonoAudio(samples: [Float](repeating: 0, count: 16_000), sampleRateHz: 16_000),
            to: folder.appendingPathComponent("sw_0002.flac"))
        try espeak("sana", to: folder.appendingPathComponent("sw_0003.wav"))
        try espeak("kitabu", to: folder.appendingPathComponent("sw_0004.wav"))
        let wide = folder.appendingPathComponent("wide.wav")
        try espeak("maji", to: wide)
        let narrow = Resampler.resample(try SoundFile.read(wide).mixedToMono(), to: 8_000)
        try SoundFile.write(narrow, to: folder.appendingPathComponent("sw_0005.wav"))
        try FileManager.default.removeItem(at: wide)
        let cache = folder.appendingPathComponent("cache")
        let voiceFile = folder.appendingPathComponent("voices/test.voice")
        let result = try TutorProcess.run(
            ["voice", "build", "--lang", "sw", "--recordings", folder.path, "-o", voiceFile.path],
            environment: ["VOICETUTOR_CACHE": cache.path])
        #expect(result.status == 0, "\(result.error)")
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("bad take sw_0001: no recording (sw_0001.wav or .flac") })
        #expect(lines.contains { $0.hasPrefix("bad take sw_0002: silent") })
        #expect(lines.contains { $0.hasPrefix("bad take sw_0005: recorded at 8000 Hz") })
        #expect(lines.contains("note: resampled from 22050 Hz to 16000 Hz: 2 takes, sw_0003 sw_0004"))
        #expect(lines.contains("re-record: sw_0001 sw_0002 sw_0005"))
        #expect(lines.contains { $0.hasPrefix("prompts: 5, takes used: 2, bad takes: 3") })
        let units = try Data(contentsOf: cache.appendingPathComponent("voices/test.diphones"))
        #expect(units.prefix(8) == Data("VTDIPHON".utf8))
        let voice = try String(contentsOf: voiceFile, encoding: .utf8)
        #expect(voice.contains("diphones       $CACHE/voices/test.diphones"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("voices/test.phones").path))
    }

    static let hasTinyEn = FileManager.default.fileExists(
        atPath: TutorPaths.cacheDirectory().appendingPathComponent("models/whisper-tiny.en.gguf").path)

    /// `--check-words`: a take that says other words than its prompt is refused with what Whisper heard; the takes
    /// that say their prompt are kept. Three lines of the committed English list, read by espeak-ng.
    @Test(.enabled(if: hasTinyEn, "needs whisper-tiny.en.gguf in the cache"))
    func checkWordsRefusesATakeThatSaysOtherWords() throws {
        let folder = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let list = try String(
            contentsOf: TutorProcess.repository.appendingPathComponent("Voices/prompts/en.tsv"), encoding: .utf8)
        let lines = list.split(separator: "\n").filter { ["en_0019\t", "en_0021\t", "en_0022\t"].contains(where: $0.hasPrefix) }
        #expect(lines.count == 3)
        try (lines.joined(separator: "\n") + "\n").write(
            to: folder.appendingPathComponent("prompts.tsv"), atomically: true, encoding: .utf8)
        let readings = ["en_0019": "food down slowly", "en_0021": "fire gets hot", "en_0022": "the cat sat on the mat"]
        for (id, text) in readings {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/espeak-ng")
            process.arguments = ["-v", "en-us", "-w", folder.appendingPathComponent("\(id).wav").path, text]
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        // The units go to a cache of the test's own; the models and the compiled CMUdict are the real cache's.
        let cache = folder.appendingPathComponent("cache")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        for shared in ["models", "lexicons"] {
            try FileManager.default.createSymbolicLink(
                at: cache.appendingPathComponent(shared),
                withDestinationURL: TutorPaths.cacheDirectory().appendingPathComponent(shared))
        }
        let result = try TutorProcess.run(
            [
                "voice", "build", "--lang", "en", "--recordings", folder.path, "--check-words", "-o",
                folder.appendingPathComponent("voices/check.voice").path,
            ], environment: ["VOICETUTOR_CACHE": cache.path])
        #expect(result.status == 0, "\(result.error)")
        let report = result.output.split(separator: "\n").map(String.init)
        #expect(
            report.contains { $0.hasPrefix("bad take en_0022: wrong words: heard '") && $0.contains("for 'radio waves'") },
            "\(result.output)")
        #expect(!report.contains { $0.hasPrefix("bad take en_0019") || $0.hasPrefix("bad take en_0021") }, "\(result.output)")
        #expect(report.contains { $0.hasPrefix("prompts: 3, takes used: 2, bad takes: 1") }, "\(result.output)")
    }

    @Test func aPromptWithAPhonemeTheLanguageLacksIsNamedWithFileAndLine() throws {
        let folder = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let prompts = folder.appendingPathComponent("prompts.tsv")
        try "sw_0001\tbaba\tb a b a\nsw_0002\tqwerty\tq w e\n".write(to: prompts, atomically: true, encoding: .utf8)
        let result = try TutorProcess.run(
            ["voice", "build", "--lang", "sw", "--recordings", folder.path, "-o", folder.path + "/x.voice"],
            environment: ["VOICETUTOR_CACHE": folder.path])
        #expect(result.status != 0)
        #expect(result.error.contains("\(prompts.path):2: sw_0002: 'q' (word 1) is not a phoneme of sw"), "\(result.error)")
    }
}
