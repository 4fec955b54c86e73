import Foundation
import Testing
import TutorCore

@testable import Audio

/// The Swift port against the reference's per-window probabilities (Tests/AudioTests/Golden, README there).
///
/// Tolerance 0.01 against the reference arithmetic on the same (safetensors) weights; the largest difference found
/// when this was written was 1.2e-6 (sky-blue-en-us-160). Against the ONNX model, whose weights differ, only the
/// decision at 0.5 is checked.
@Suite("Silero VAD against the reference", .enabled(if: VADFixtures.realModelAvailable))
struct SileroVADGoldenTests {
    @Test(arguments: [
        ("silero-sky-blue-en-us-160.tsv", VADFixtures.sample("sky-blue-en-us-160.flac")),
        ("silero-sky-blue-sw-150.tsv", VADFixtures.sample("sky-blue-sw-150.flac")),
        ("silero-noise-and-silence.tsv", VADFixtures.goldenClip("noise-and-silence.flac")),
    ])
    func matchesTheReferenceProbabilitiesWithinOneHundredth(golden: String, clip: URL) throws {
        let expected = try VADFixtures.golden(golden)
        var vad = SileroVAD(weights: try VADFixtures.realWeights())
        let audio = try SoundFile.readSpeech(clip)
        let found = vad.speechProbabilities(audio.samples)
        #expect(found.count == expected.count)
        let difference = zip(found, expected).map { abs($0 - $1.safetensors) }.max() ?? .infinity
        #expect(difference < 0.01, "largest difference from the reference \(difference)")
        let sameDecision = zip(found, expected).filter { ($0 > 0.5) == ($1.onnx > 0.5) }.count
        #expect(Double(sameDecision) >= 0.9 * Double(expected.count), "\(sameDecision) of \(expected.count) agree")
    }
}
