import Foundation
import Testing
import TutorCore

@testable import Audio

@Suite struct NoiseMixerTests {
    @Test func mixesNoiseAtTheRequestedSignalToNoiseRatio() {
        let speech = MonoAudio(
            samples: TestSignals.sine(frequencyHz: 440, sampleRateHz: 16_000, count: 16_000).map { $0 * 0.5 },
            sampleRateHz: 16_000)
        for decibels in [10.0, 20.0] {
            let mixed = NoiseMixer(seed: 7).mix(speech, signalToNoiseDecibels: decibels)
            let noise = zip(mixed.samples, speech.samples).map { $0 - $1 }
            let measured = 20 * log10(Double(NoiseMixer.rms(speech.samples) / NoiseMixer.rms(noise)))
            #expect(abs(measured - decibels) < 0.05, "asked \(decibels) dB, measured \(measured) dB")
        }
    }

    @Test func theSameSeedGivesTheSameNoiseAndAnotherSeedOtherNoise() {
        #expect(NoiseMixer(seed: 1).pinkNoise(count: 500) == NoiseMixer(seed: 1).pinkNoise(count: 500))
        #expect(NoiseMixer(seed: 1).pinkNoise(count: 500) != NoiseMixer(seed: 2).pinkNoise(count: 500))
    }

    /// White noise's sample-to-sample differences have sqrt(2) times its RMS; pink noise, weighted to low
    /// frequencies, changes far more slowly.
    @Test func theNoiseIsWeightedTowardLowFrequenciesUnlikeWhiteNoise() {
        let noise = NoiseMixer(seed: 3).pinkNoise(count: 32_000)
        #expect(abs(NoiseMixer.rms(noise) - 1) < 1e-3)
        let differences = zip(noise.dropFirst(), noise).map { $0 - $1 }
        #expect(NoiseMixer.rms(differences) < 0.9, "difference RMS \(NoiseMixer.rms(differences))")
    }
}
