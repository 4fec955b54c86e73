import Foundation
import Testing

@testable import Audio

/// The energy detector: loudness against a tracked noise floor.
@Suite("Energy voice activity")
struct EnergyVADTests {
    static func probabilities(_ signal: [Float], options: EnergyVADOptions = .default) -> [Float] {
        var vad = EnergyVAD(options: options)
        return vad.speechProbabilities(signal)
    }

    @Test func digitalSilenceIsNeverSpeech() {
        #expect(Self.probabilities([Float](repeating: 0, count: 16_000)).allSatisfy { $0 == 0 })
    }

    @Test func aLoudSoundAfterQuietNoiseIsSpeechAndTheNoiseIsNot() {
        let quiet = TestSignals.noise(count: 16_000, amplitude: 0.01, seed: 1)
        let loud = TestSignals.sine(frequencyHz: 200, sampleRateHz: 16_000, count: 8_000, amplitude: 0.3)
        let probabilities = Self.probabilities(quiet + loud)
        #expect(probabilities.prefix(31).allSatisfy { $0 == 0 })
        #expect(probabilities.suffix(15).allSatisfy { $0 == 1 })
    }

    @Test func aSteadyNewBackgroundStopsCountingAsSpeechOnceTheFloorHasRisen() {
        // Quiet room, then a fan 20 dB louder for 12 s: speech at first (the floor rises 1.5 dB/s), then not
        // (8 dB above the floor, after about 8 s; then it rises 3 dB/s).
        let quiet = TestSignals.noise(count: 16_000, amplitude: 0.005, seed: 2)
        let fan = TestSignals.noise(count: 192_000, amplitude: 0.05, seed: 3)
        let probabilities = Self.probabilities(quiet + fan)
        #expect(probabilities[33] == 1)
        #expect(probabilities.suffix(30).allSatisfy { $0 == 0 })
    }

    @Test func theFloorDropsAtOnceToAQuieterWindow() {
        var vad = EnergyVAD()
        _ = vad.speechProbabilities(TestSignals.noise(count: 5_120, amplitude: 0.1, seed: 4))
        let loudFloor = vad.noiseFloorDecibels ?? 0
        let quiet = TestSignals.noise(count: 512, amplitude: 0.001, seed: 5)
        _ = quiet.withUnsafeBufferPointer { vad.speechProbability($0) }
        #expect((vad.noiseFloorDecibels ?? 0) < loudFloor - 30)
    }

    @Test func theProbabilityRampsBetweenTheSilenceAndSpeechMargins() {
        // Levels 8 dB above a steady floor sit half way between the 4 dB and 12 dB margins.
        var vad = EnergyVAD()
        let floor = [Float](repeating: 0.01, count: 512)
        let louder = [Float](repeating: 0.01 * powf(10, 8 / 20), count: 512)
        _ = floor.withUnsafeBufferPointer { vad.speechProbability($0) }
        let probability = louder.withUnsafeBufferPointer { vad.speechProbability($0) }
        #expect(abs(probability - 0.5) < 0.01)
    }

    @Test func resetForgetsTheFloor() {
        var vad = EnergyVAD()
        _ = vad.speechProbabilities([Float](repeating: 0.1, count: 1_024))
        vad.reset()
        #expect(vad.noiseFloorDecibels == nil)
    }
}
