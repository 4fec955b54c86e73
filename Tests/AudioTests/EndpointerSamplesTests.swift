import Foundation
import Testing
import TutorCore

@testable import Audio

/// Endpointing the spoken questions in Samples/: one utterance each, ending near the labelled end of speech.
///
/// Found when written (end minus label): Silero +29 to +93 ms (window rounding plus the model's lag), energy
/// +10 to +29 ms.
@Suite("Endpointing the sample questions")
struct EndpointerSamplesTests {
    /// The rows of Samples/samples.tsv: file name and labelled speech start and end in seconds.
    static let labels: [(file: String, start: Double, end: Double)] = {
        let text = (try? String(contentsOf: VADFixtures.sample("samples.tsv"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            return (String(fields[0]), Double(fields[4]) ?? -1, Double(fields[5]) ?? -1)
        }
    }()

    static func utterances<D: VoiceActivityDetecting>(_ file: String, detector: D) throws -> [Utterance] {
        let audio = try SoundFile.readSpeech(VADFixtures.sample(file))
        var endpointer = Endpointer(detector: detector)
        var events: [EndpointEvent] = []
        // 20 ms chunks, as capture delivers them.
        for start in stride(from: 0, to: audio.samples.count, by: 320) {
            endpointer.process(Array(audio.samples[start..<min(start + 320, audio.samples.count)]), into: &events)
        }
        endpointer.flush(into: &events)
        return events.compactMap { if case .utteranceEnded(let utterance) = $0 { utterance } else { nil } }
    }

    static func check(_ utterances: [Utterance], file: String) {
        guard let label = labels.first(where: { $0.file == file }) else {
            Issue.record("\(file) is not in Samples/samples.tsv")
            return
        }
        #expect(utterances.count == 1, "\(file): \(utterances.count) utterances")
        guard let utterance = utterances.first else { return }
        let end = Double(utterance.endSampleIndex + 1) / 16_000
        let start = Double(utterance.startSampleIndex) / 16_000
        #expect(abs(end - label.end) <= 0.1, "\(file): speech ends at \(end) s, labelled \(label.end) s")
        // Soft onsets reach Silero's 0.5 a few windows late (up to 112 ms here); the pre-roll covers them.
        #expect(abs(start - label.start) <= 0.15, "\(file): speech starts at \(start) s, labelled \(label.start) s")
        #expect(utterance.ending == .silence)
    }

    @Test(
        .enabled(if: VADFixtures.realModelAvailable),
        arguments: labels.map(\.file).filter { !$0.contains("48k") })
    func sileroFindsOneUtteranceEndingWithin100MillisecondsOfTheLabel(file: String) throws {
        Self.check(try Self.utterances(file, detector: SileroVAD(weights: try VADFixtures.realWeights())), file: file)
    }

    @Test(arguments: labels.map(\.file).filter { !$0.contains("48k") })
    func theEnergyDetectorFindsOneUtteranceEndingWithin100MillisecondsOfTheLabel(file: String) throws {
        Self.check(try Self.utterances(file, detector: EnergyVAD()), file: file)
    }
}
