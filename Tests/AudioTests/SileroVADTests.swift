import Foundation
import Testing

@testable import Audio

/// The Silero network's windowing and state, with random weights of the real shapes.
@Suite("Silero VAD state and windowing")
struct SileroVADTests {
    static let signal = TestSignals.noise(count: 512 * 6, amplitude: 0.3, seed: 11)

    @Test func probabilitiesLieBetweenZeroAndOne() {
        var vad = SileroVAD(weights: VADFixtures.randomWeights)
        let probabilities = vad.speechProbabilities(Self.signal)
        #expect(probabilities.count == 6)
        #expect(probabilities.allSatisfy { $0 > 0 && $0 < 1 })
    }

    @Test func resetGivesTheSameProbabilitiesAgain() {
        var vad = SileroVAD(weights: VADFixtures.randomWeights)
        let first = vad.speechProbabilities(Self.signal)
        _ = vad.speechProbabilities(TestSignals.noise(count: 5_000, seed: 12))
        #expect(vad.speechProbabilities(Self.signal) == first)
    }

    @Test func stateCarriesAcrossWindows() {
        // The same last window after different histories: context and LSTM state make it differ.
        var vad = SileroVAD(weights: VADFixtures.randomWeights)
        let last = Array(Self.signal.suffix(512))
        let afterNoise = vad.speechProbabilities(Self.signal).last
        let afterSilence = vad.speechProbabilities([Float](repeating: 0, count: 512 * 5) + last).last
        #expect(afterNoise != afterSilence)
    }

    @Test func aShortLastWindowIsZeroPadded() {
        var vad = SileroVAD(weights: VADFixtures.randomWeights)
        let short = Array(Self.signal.prefix(512 + 100))
        let padded = short + [Float](repeating: 0, count: 412)
        #expect(vad.speechProbabilities(short) == vad.speechProbabilities(padded))
    }
}
