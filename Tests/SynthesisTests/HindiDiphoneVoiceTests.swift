import Foundation
import Synthesis
import Testing

/// Whether festvox-hi-nsk is installed where Voices/hi-nsk.voice looks for it.
enum NSKPackage {
    static let voiceFile = try? Voice.load(
        named: "hi-nsk", folder: TestResources.repository.appendingPathComponent("Voices"))
    static let installed =
        voiceFile.flatMap { $0.diphoneDatabase }.map { FileManager.default.fileExists(atPath: $0) } ?? false
    static let shouldRun = installed || ProcessInfo.processInfo.environment["CI"] == "true"
}

/// The hi-nsk voice over Debian's festvox-hi-nsk database, read where the package installs it. Skipped locally when
/// the package is absent; with CI=true it runs anyway (Scripts/setup installs it), so a missing package fails loudly.
@Suite(.enabled(if: NSKPackage.shouldRun, "needs the Debian package festvox-hi-nsk (Scripts/setup installs it)"))
struct HindiDiphoneVoiceTests {
    static func synthesizer(sampleRateHz: Int = 16_000, rate: Double = 1) throws -> SpeechSynthesizer {
        var options = SpeechOptions.default
        options.sampleRateHz = sampleRateHz
        options.prosody.rate = rate
        return try SpeechSynthesizer(
            language: .hindi, voiceName: "hi-nsk", options: options, resources: TestResources.resources)
    }

    /// Every sentence of the Hindi curriculum and the word list, as our lexicon says them: the diphones they need
    /// and the ones the database lacks (printed, so a change in the lexicon or the map shows what it costs).
    @Test func theDatabaseCoversTheDiphonesOurHindiLexiconSays() throws {
        let speaker = try Self.synthesizer()
        let voice = try #require(speaker.diphones)
        #expect(voice.database.names.count == 1_742)  // 1,799 entries, 57 names given twice
        #expect(voice.database.sampleRateHz == 16_000)
        var texts: [String] = []
        let curriculum = TestResources.repository.appendingPathComponent("Curriculum/hi")
        for file in try FileManager.default.contentsOfDirectory(atPath: curriculum.path) where file.hasSuffix(".txt") {
            let content = try String(contentsOf: curriculum.appendingPathComponent(file), encoding: .utf8)
            for line in content.split(separator: "\n") where !line.hasPrefix("#") {
                let text = line.split(separator: ":", maxSplits: 1).last.map(String.init) ?? ""
                if text.unicodeScalars.contains(where: { (0x0900...0x097F).contains($0.value) }) { texts.append(text) }
            }
        }
        texts += try String(
            contentsOf: TestResources.repository.appendingPathComponent("Lexicons/hi/words"), encoding: .utf8
        ).split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
        var needed = 0
        var missingUses: [String: Int] = [:]
        for text in texts {
            guard let utterance = try? speaker.analyse(text) else { continue }
            let phones = voice.phones(utterance.segments)
            for (left, right) in zip(phones, phones.dropFirst()) {
                needed += 1
                if !voice.database.contains("\(left)-\(right)") { missingUses["\(left)-\(right)", default: 0] += 1 }
            }
        }
        let missing = missingUses.values.reduce(0, +)
        // Those with no `similar` stand-in in the map are joined through a pause.
        let throughPause = missingUses.filter { name, _ in
            let pair = name.split(separator: "-").map(String.init)
            let lefts = [pair[0]] + (voice.phoneMap.similar[pair[0]] ?? [])
            let rights = [pair[1]] + (voice.phoneMap.similar[pair[1]] ?? [])
            return !lefts.contains { l in rights.contains { voice.database.contains("\(l)-\($0)") } }
        }
        print(
            "hi-nsk: missing with no stand-in (joined through a pause): "
                + throughPause.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        #expect(throughPause.values.reduce(0, +) < 20)
        let covered = Double(needed - missing) / Double(max(needed, 1))
        print(
            String(
                format: "hi-nsk: %d diphone uses in %d texts, %.2f%% covered; missing (uses): ", needed, texts.count,
                covered * 100)
                + missingUses.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        #expect(needed > 10_000)
        #expect(covered > 0.99)
    }

    /// A sentence at two rates: the audio is as long as the prosody asks, and voiced stretches are at its pitch.
    @Test(arguments: [0.8, 1.25])
    func aSentenceHasTheDurationAndPitchAsked(rate: Double) throws {
        let speaker = try Self.synthesizer(rate: rate)
        let text = "पानी सौ डिग्री पर उबलता है।"
        var stream = try speaker.stream(text)
        var samples: [Float] = []
        while let chunk = stream.next() { samples += chunk.samples }
        let segments = stream.utterance.segments
        let asked = segments.reduce(0) { $0 + $1.durationMilliseconds } * 16
        #expect(abs(Double(samples.count) - asked) <= 2, "\(samples.count) samples for \(asked) asked")
        #expect(stream.missingDiphones.isEmpty, "missing: \(stream.missingDiphones)")
        // The middle 40 ms of every long vowel: pitch within 8% of the prosody's there, for nearly all of them.
        var time = 0.0
        var checked = 0
        var within = 0
        for segment in segments {
            defer { time += segment.durationMilliseconds }
            guard segment.target?.phonemeClass == .vowel, segment.durationMilliseconds >= 70 else { continue }
            let centre = Int((time + segment.durationMilliseconds / 2) * 16)
            let measured = estimatedPitchHz(samples[(centre - 320)..<(centre + 320)], sampleRateHz: 16_000)
            let asked = (segment.startPitchHz + segment.endPitchHz) / 2
            checked += 1
            if abs(measured - asked) / asked < 0.08 { within += 1 }
        }
        #expect(checked >= 6)
        #expect(Double(within) >= 0.8 * Double(checked), "\(within) of \(checked) vowels at the pitch asked")
        let peak = samples.map(abs).max() ?? 0
        #expect(peak > 0.1 && peak < 1, "peak \(peak)")
    }

    @Test func englishIsRefusedWithTheMapFileNamed() {
        let error = #expect(throws: SynthesisError.self) {
            try SpeechSynthesizer(language: .english, voiceName: "hi-nsk", resources: TestResources.resources)
        }
        #expect(error?.description.contains("hi-nsk.phones") == true)
        #expect(error?.description.contains("does not speak en") == true)
    }
}
