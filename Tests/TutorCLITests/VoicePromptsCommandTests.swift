import Foundation
import Testing
import TutorCore

/// `tutor voice prompts` and `Scripts/voice/record-prompts`, run as a user runs them.
@Suite struct VoicePromptsCommandTests {
    static let hasCMUDict =
        FileManager.default.fileExists(
            atPath: TutorPaths.cacheDirectory().appendingPathComponent("lexicons/en/cmudict.dict").path)
        || ProcessInfo.processInfo.environment["CI"] == "true"
    static let hasEspeak = FileManager.default.isExecutableFile(atPath: "/usr/bin/espeak-ng")

    /// The figures of a `--check` run: (needed, covered).
    static func checked(_ output: String) -> (needed: Int, covered: Int)? {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("diphones needed: ") }) else {
            return nil
        }
        let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        return numbers.count == 2 ? (numbers[0], numbers[1]) : nil
    }

    @Test func theCommittedSwahiliListCoversEveryNeededDiphone() throws {
        let result = try TutorProcess.run(["voice", "prompts", "--lang", "sw", "--check", "Voices/prompts/sw.tsv"])
        #expect(result.status == 0, "\(result.error)")
        let figures = try #require(Self.checked(result.output), "\(result.output)")
        #expect(figures.needed > 300 && figures.covered == figures.needed, "\(result.output)")
    }

    @Test(.enabled(if: hasCMUDict, "needs cmudict.dict in the cache"))
    func theCommittedEnglishListCoversEveryNeededDiphone() throws {
        let result = try TutorProcess.run(["voice", "prompts", "--lang", "en", "--check", "Voices/prompts/en.tsv"])
        #expect(result.status == 0, "\(result.error)")
        let figures = try #require(Self.checked(result.output), "\(result.output)")
        #expect(figures.needed > 1_000 && figures.covered == figures.needed, "\(result.output)")
    }

    /// Without the list's last prompt, the check fails and names what only that prompt covered.
    @Test func aListMissingAPromptFailsNamingTheDiphonesLeftOut() throws {
        let folder = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let committed = try String(
            contentsOf: TutorProcess.repository.appendingPathComponent("Voices/prompts/sw.tsv"), encoding: .utf8)
        var lines = committed.split(separator: "\n")
        let removed = lines.removeLast().split(separator: "\t")
        let file = folder.appendingPathComponent("prompts.tsv")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let result = try TutorProcess.run(["voice", "prompts", "--lang", "sw", "--check", file.path])
        #expect(result.status != 0)
        #expect(result.error.contains("\(file.path): "), "\(result.error)")
        #expect(result.error.contains("needed diphones are in no prompt: "), "\(result.error)")
        // Every prompt holds a diphone no other does, so some pair of the removed one is named.
        let phones = ["_"] + removed[2].split(separator: " ").filter { $0 != "|" }.map(String.init) + ["_"]
        let pairs = zip(phones, phones.dropFirst()).map { "\($0)-\($1)" }
        #expect(pairs.contains { result.error.contains(" \($0)") }, "\(pairs): \(result.error)")
    }

    @Test func aMalformedListIsRejectedWithTheFileAndLine() throws {
        let folder = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("prompts.tsv")
        try "# sw\nsw_0001\tkaka\tk a k a\nsw_0002 dada d a d a\n".write(to: file, atomically: true, encoding: .utf8)
        let result = try TutorProcess.run(["voice", "prompts", "--lang", "sw", "--check", file.path])
        #expect(result.status != 0)
        #expect(result.error.contains("\(file.path):3: expected ID<TAB>TEXT<TAB>PHONEMES"), "\(result.error)")
    }

    /// A fresh Swahili list: every needed diphone covered, from far fewer prompts than candidates, and it checks.
    @Test func aGeneratedSwahiliListIsSmallAndCoversEverything() throws {
        let folder = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("sw.tsv")
        let result = try TutorProcess.run(["voice", "prompts", "--lang", "sw", "-o", file.path])
        #expect(result.status == 0, "\(result.error)")
        let lines = result.error.split(separator: "\n").map(String.init)
        #expect(lines.contains("not covered: none"), "\(result.error)")
        let counts = try #require(lines.first { $0.hasPrefix("prompts: ") }, "\(result.error)")
        let numbers = counts.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        try #require(numbers.count == 3, "\(counts)")
        // prompts: P, phones: Q (chosen from C candidates)
        #expect(numbers[0] > 0 && numbers[0] * 50 < numbers[2], "\(counts)")
        let check = try TutorProcess.run(["voice", "prompts", "--lang", "sw", "--check", file.path])
        #expect(check.status == 0, "\(check.error)")
        #expect(check.output.contains("\(numbers[0]) prompts, \(numbers[1]) phones"), "\(check.output)")
    }

    @Test func anUnknownLanguageIsNamed() throws {
        let result = try TutorProcess.run(["voice", "prompts", "--lang", "xx"])
        #expect(result.status != 0)
        #expect(result.error.contains("unknown language code 'xx'"), "\(result.error)")
    }

    /// Two prompts read by espeak-ng: a WAV each at its own 22,050 Hz, and the list beside them.
    @Test(.enabled(if: hasEspeak, "needs espeak-ng"))
    func recordPromptsWritesAWaveFilePerPromptAndCopiesTheList() throws {
        let folder = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let list = folder.appendingPathComponent("list.tsv")
        try "# sw\nsw_0001\tsema kaka tena\ts e m a | k a k a | t e n a\nsw_0002\tjua\tdʒ u a\n".write(
            to: list, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("recordings")
        let result = try Self.runScript([
            "--lang", "sw", "--synth", "espeak-ng", "--prompts", list.path, "-o", out.path,
        ])
        #expect(result.status == 0, "\(result.error)")
        for id in ["sw_0001", "sw_0002"] {
            let wav = try Data(contentsOf: out.appendingPathComponent("\(id).wav"))
            #expect(wav.count > 10_000 && wav.prefix(4) == Data("RIFF".utf8))
            // Bytes 24-27 of a canonical WAV header: the sample rate.
            let rate = wav[24..<28].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
            #expect(rate == 22_050)
        }
        #expect(try String(contentsOf: out.appendingPathComponent("prompts.tsv"), encoding: .utf8).contains("sw_0002"))
        // espeak-ng has no Zulu voice: said before anything is written.
        try "# zu\nzu_0001\tjuba\tdʒ u b a\n".write(to: list, atomically: true, encoding: .utf8)
        let zulu = try Self.runScript(["--lang", "zu", "--synth", "espeak-ng", "--prompts", list.path, "-o", out.path])
        #expect(zulu.status != 0)
        #expect(zulu.error.contains("espeak-ng has no voice for 'zu'"), "\(zulu.error)")
    }

    @Test func recordPromptsRefusesFliteForSwahiliAndBadLinesWithTheLine() throws {
        let folder = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let flite = try Self.runScript(["--lang", "sw", "--synth", "flite", "-o", folder.path])
        #expect(flite.status != 0)
        #expect(flite.error.contains("flite's kal16 speaks English only, not 'sw'"), "\(flite.error)")
        let list = folder.appendingPathComponent("list.tsv")
        try "# sw\nsw_0001 jua\n".write(to: list, atomically: true, encoding: .utf8)
        let bad = try Self.runScript([
            "--lang", "sw", "--synth", "espeak-ng", "--prompts", list.path, "-o", folder.path,
        ])
        #expect(bad.status != 0)
        #expect(bad.error.contains("\(list.path):2: expected ID<TAB>TEXT<TAB>PHONEMES"), "\(bad.error)")
    }

    static func runScript(_ arguments: [String]) throws -> TutorProcess.Result {
        let process = Process()
        process.executableURL = TutorProcess.repository.appendingPathComponent("Scripts/voice/record-prompts")
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let errorPipe = Pipe()
        process.standardError = errorPipe
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let error = errorPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return TutorProcess.Result(
            status: process.terminationStatus, output: "", error: String(decoding: error, as: UTF8.self))
    }
}
