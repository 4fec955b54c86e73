import Foundation
import Synthesis
import Testing
import TutorCore

/// Speech from the formant voice standing in for a speaker: phones with known boundaries.
enum FormantSpeaker {
    static let voices = TestResources.repository.appendingPathComponent("Voices")

    /// Samples and the phone boundaries (samples) of the `voice` formant voice saying phones at a speaking rate.
    static func say(
        _ words: [[String]], voice name: String = "kind", rate: Double = 1, sampleRateHz: Int = 16_000
    ) throws -> (samples: [Float], boundaries: [Int]) {
        var voice = try Voice.load(named: name, folder: voices)
        voice.rate = rate
        let builder = VoiceBuilder(
            language: .swahili, inventory: try TestResources.pronouncer(.swahili).inventory,
            targets: TestResources.targets, template: voice, options: options(sampleRateHz: sampleRateHz))
        let spoken = try builder.template(words)
        return (spoken.samples, spoken.boundaries)
    }

    static func options(sampleRateHz: Int = 16_000) -> VoiceBuildOptions {
        var options = VoiceBuildOptions.default
        options.sampleRateHz = sampleRateHz
        return options
    }

    static func builder() throws -> VoiceBuilder {
        VoiceBuilder(
            language: .swahili, inventory: try TestResources.pronouncer(.swahili).inventory,
            targets: TestResources.targets, template: try Voice.load(named: "deep", folder: voices))
    }

    static let promptText = """
        # test prompts
        sw_0001\tbaba\tb ˈa b a
        sw_0002\tmama\tm ˈa m a
        sw_0003\tsana\ts ˈa n a
        sw_0004\tkitabu\tk i t ˈa b u
        sw_0005\tmaji\tm ˈa dʒ i

        """

    static func prompts() throws -> [DiphonePrompt] {
        try DiphonePromptList.parse(
            promptText, path: "prompts.tsv", language: .swahili,
            inventory: TestResources.pronouncer(.swahili).inventory
        ).prompts
    }
}

@Suite struct RecordedVoiceFormatTests {
    static let path = "/voices/test.diphones"

    static func units() -> [DiphoneUnit] {
        var generator = SplitMix64(seed: 7)
        return ["_-b", "b-a", "a-b", "a-_"].enumerated().map { index, name in
            let count = 400 + 37 * index
            let samples = (0..<count).map { _ in Float(generator.next() % 1_000) / 1_000 * 1.6 - 0.8 }
            return DiphoneUnit(
                name: name, samples: samples, pitchMarks: [0, 90, 180, 250, count - 1], boundaryMark: 2,
                sampleRateHz: 16_000)
        }
    }

    @Test func aWrittenVoiceReadsBackWithItsSamplesMarksAndBoundaries() throws {
        let written = RecordedDiphones(units: Self.units(), sampleRateHz: 16_000)
        let read = try RecordedDiphones(data: written.encoded(), path: Self.path)
        #expect(read.names == ["_-b", "b-a", "a-b", "a-_"])
        #expect(read.sampleRateHz == 16_000)
        for original in Self.units() {
            let unit = try #require(read.unit(original.name, sampleRateHz: nil))
            #expect(unit.pitchMarks == original.pitchMarks)
            #expect(unit.boundaryMark == original.boundaryMark)
            #expect(unit.samples.count == original.samples.count)
            let worst = zip(unit.samples, original.samples).map { abs($0 - $1) }.max() ?? 1
            #expect(worst <= 1 / 32_768 + 1e-7)
        }
        #expect(read.unit("b-b", sampleRateHz: nil) == nil)
    }

    func expectError(_ data: Data, mentions words: [String]) {
        let error = #expect(throws: SynthesisError.self) { try RecordedDiphones(data: data, path: Self.path) }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.hasPrefix(Self.path + ":"), "\(message)")
        for word in words { #expect(message.contains(word), "\(message)") }
    }

    /// Little-endian UInt32 at a byte offset, replaced.
    func patched(_ data: Data, at offset: Int, _ value: UInt32) -> Data {
        var bytes = [UInt8](data)
        for index in 0..<4 { bytes[offset + index] = UInt8(value >> (8 * UInt32(index)) & 0xFF) }
        return Data(bytes)
    }

    @Test func rejectsCorruptFilesNamingTheFileAndTheFault() throws {
        let good = RecordedDiphones(units: Self.units(), sampleRateHz: 16_000).encoded()
        expectError(Data("RIFF0000WAVEfmt ".utf8) + good.dropFirst(16), mentions: ["magic 'VTDIPHON'", "'RIFF0000'"])
        expectError(good.prefix(40), mentions: ["header", "truncated"])
        expectError(good.prefix(good.count - 100), mentions: ["samples at byte", "truncated"])
        expectError(good.prefix(good.count - 8), mentions: ["pitch marks at byte", "truncated"])
        expectError(patched(good, at: 8, 9), mentions: ["version 1", "version 9"])
        // Samples offset (byte 24) far past the end.
        expectError(patched(good, at: 24, 90_000_000), mentions: ["samples at byte 90000000", "past the end"])
        // The first index entry's sample count past the sample block.
        let indexStart = 56 + 3 * 2  // phones "_", "b", "a": a length byte and one byte each
        expectError(patched(good, at: indexStart + 8, 5_000_000), mentions: ["unit 0 '_-b'", "samples inside"])
        // Its boundary mark beyond its five marks.
        expectError(patched(good, at: indexStart + 20, 5), mentions: ["unit 0 '_-b'", "boundary mark below its 5"])
        // Its last pitch mark (the fifth u32 of the marks block) beyond the unit's samples.
        let marksOffset = Int(good[40]) | Int(good[41]) << 8 | Int(good[42]) << 16
        expectError(patched(good, at: marksOffset + 16, 10_000), mentions: ["'_-b'", "mark 4 at 10000"])
    }
}

@Suite struct VoiceBuildTests {
    @Test func alignmentPutsTheBoundariesOfAnotherVoiceAtAnotherSpeedWithin20Milliseconds() throws {
        let words = [["m", "w", "a", "ŋ", "ɡ", "a"], ["h", "u", "s", "a", "f", "i", "r", "i"]]
        let template = try FormantSpeaker.say(words, voice: "deep", rate: 1)
        let recording = try FormantSpeaker.say(words, voice: "kind", rate: 0.75)
        let aligner = SpeechAligner(sampleRateHz: 16_000)
        let found = aligner.align(
            template: template.samples, boundaries: template.boundaries, recording: recording.samples)
        let errors = zip(found.boundaries, recording.boundaries).map { abs(Double($0 - $1)) / 16 }
        let mean = errors.reduce(0, +) / Double(errors.count)
        // Without the alignment (the template's own times) the error is the tempo difference: far over 20 ms.
        let unaligned = zip(template.boundaries, recording.boundaries).map { abs(Double($0 - $1)) / 16 }
        #expect(unaligned.reduce(0, +) / Double(unaligned.count) > 60)
        #expect(mean <= 20, "boundary errors (ms): \(errors.map { Int($0) })")
    }

    @Test func aBuiltVoiceSpeaksASentenceForAsLongAsItsProsodyAsks() throws {
        let prompts = try FormantSpeaker.prompts()
        var takes: [String: VoiceTake] = [:]
        for prompt in prompts {
            let said = try FormantSpeaker.say(prompt.words, voice: "kind", rate: 0.9)
            takes[prompt.id] = .audio(MonoAudio(samples: said.samples, sampleRateHz: 16_000), note: nil)
        }
        let built = try FormantSpeaker.builder().build(prompts: prompts, takes: takes) { audio, _ in audio }
        #expect(built.report.badTakes.isEmpty)
        #expect(built.report.missingDiphones.isEmpty)
        #expect(built.report.coveredDiphones.count == built.report.neededDiphones.count)
        let phoneMap = try DiphonePhoneMap(text: built.phoneMapText, path: "test.phones")
        let diphones = try DiphoneVoice(database: built.units, phoneMap: phoneMap)
        var voice = Voice(name: "built")
        voice.pitchHz = built.report.medianPitchHz
        #expect(abs(voice.pitchHz - 210) < 30, "the kind voice speaks at about 210 Hz")
        var options = SpeechOptions.default
        options.sampleRateHz = 16_000
        let speaker = try SpeechSynthesizer(
            pronouncer: TestResources.pronouncer(.swahili), voice: voice, targets: TestResources.targets,
            options: options, diphones: diphones)
        let utterance = try speaker.analyse("Baba na mama wana maji.")
        let expected = utterance.segments.reduce(0) { $0 + $1.durationMilliseconds } * 16
        let audio = try speaker.synthesize("Baba na mama wana maji.")
        #expect(abs(Double(audio.samples.count) - expected) <= 16, "\(audio.samples.count) samples, \(expected)")
        // Speech all through: no 50 ms stretch between the first and last sound is silent.
        let windows = stride(from: 0, to: audio.samples.count - 800, by: 800).map { start in
            (audio.samples[start..<(start + 800)].map { $0 * $0 }.reduce(0, +) / 800).squareRoot()
        }
        let first = try #require(windows.firstIndex { $0 > 0.01 })
        let last = try #require(windows.lastIndex { $0 > 0.01 })
        let silent = windows[first...last].filter { $0 < 0.001 }.count
        #expect(silent <= 1, "\(silent) silent 50 ms windows inside the sentence")
    }

    @Test func aFolderWithAMissingPromptASilentTakeAndAn8kHzTakeIsReportedAndStillBuilds() throws {
        let prompts = try FormantSpeaker.prompts()
        var takes: [String: VoiceTake] = [:]
        for prompt in prompts.dropFirst(2) {
            let said = try FormantSpeaker.say(prompt.words)
            takes[prompt.id] = .audio(MonoAudio(samples: said.samples, sampleRateHz: 16_000), note: nil)
        }
        // sw_0001 has no file; sw_0002 is silence; sw_0005 was recorded at 8 kHz.
        takes["sw_0002"] = .audio(
            MonoAudio(samples: [Float](repeating: 0, count: 16_000), sampleRateHz: 16_000), note: nil)
        let narrow = try FormantSpeaker.say(prompts[4].words, sampleRateHz: 8_000)
        takes["sw_0005"] = .audio(MonoAudio(samples: narrow.samples, sampleRateHz: 8_000), note: nil)
        let built = try FormantSpeaker.builder().build(prompts: prompts, takes: takes) { audio, _ in audio }
        let report = built.report
        let reasons = Dictionary(uniqueKeysWithValues: report.badTakes.map { ($0.id, $0.reason) })
        #expect(reasons.keys.sorted() == ["sw_0001", "sw_0002", "sw_0005"])
        #expect(reasons["sw_0001"]?.contains("no recording") == true)
        #expect(reasons["sw_0002"]?.hasPrefix("silent") == true)
        #expect(reasons["sw_0005"]?.contains("8000 Hz") == true)
        #expect(report.usedTakes == ["sw_0003", "sw_0004"])
        // a-b is in kitabu (used), so it is there; _-m only in the failed mama and maji: missing.
        #expect(report.coveredDiphones.contains("a-b"))
        let missing = Dictionary(uniqueKeysWithValues: report.missingDiphones.map { ($0.diphone, $0.prompts) })
        #expect(missing["_-m"] == ["sw_0002", "sw_0005"])
        #expect(report.promptsToRerecord == ["sw_0001", "sw_0002", "sw_0005"])
        #expect(report.lines.contains("bad take sw_0002: \(reasons["sw_0002"]!)"))
        #expect(report.lines.contains("missing _-m: re-record sw_0002 sw_0005"))
        // m is in no used take: the map says it with the nearest covered phoneme.
        #expect(report.standIns.contains { $0.phoneme == "m" })
        #expect(built.units.names.count == report.coveredDiphones.count)
    }
}
