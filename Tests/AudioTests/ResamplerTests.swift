import Foundation
import Testing
import TutorCore

@testable import Audio

@Suite("Resampler")
struct ResamplerTests {
    /// Tones above 8 kHz cannot exist at 16 kHz; whatever of them survives folds back as a false tone.
    @Test(arguments: [8_500.0, 9_000, 12_000, 15_000, 20_000, 23_000])
    func rejectsTonesAboveTheNewNyquistByAtLeast60Decibels(frequencyHz: Double) {
        let input = TestSignals.sine(frequencyHz: frequencyHz, sampleRateHz: 48_000, count: 48_000)
        let output = Resampler.resample(MonoAudio(samples: input, sampleRateHz: 48_000), to: 16_000).samples
        // The first and last 50 ms see the silence outside the signal; a tone switched on is not a pure tone there.
        let middle = output[800..<(output.count - 800)]
        let level = TestSignals.decibels(TestSignals.rms(middle) / TestSignals.rms(input))
        #expect(level <= -60, "\(frequencyHz) Hz came through at \(level) dB")
    }

    @Test(arguments: [1_000.0, 3_000])
    func keepsPassbandTonesWithinATenthOfADecibelAndWithoutDelay(frequencyHz: Double) {
        let input = TestSignals.sine(frequencyHz: frequencyHz, sampleRateHz: 48_000, count: 48_000)
        let output = Resampler.resample(MonoAudio(samples: input, sampleRateHz: 48_000), to: 16_000).samples
        let expected = TestSignals.sine(frequencyHz: frequencyHz, sampleRateHz: 16_000, count: output.count)
        let middle = 800..<(output.count - 800)
        let gain = TestSignals.decibels(TestSignals.rms(output[middle]) / TestSignals.rms(expected[middle]))
        #expect(abs(gain) <= 0.1, "gain \(gain) dB")
        // A delay of even one output sample would leave an error of about 2 * 0.5 * sin(pi * f / 16 kHz) > 0.09.
        let error = TestSignals.maximumDifference(Array(output[middle]), Array(expected[middle]))
        #expect(error < 1e-3, "largest difference from the ideal tone \(error)")
    }

    @Test func keepsA1kHzToneWhenUpsamplingFrom8kHz() {
        let input = TestSignals.sine(frequencyHz: 1_000, sampleRateHz: 8_000, count: 8_000)
        let output = Resampler.resample(MonoAudio(samples: input, sampleRateHz: 8_000), to: 16_000).samples
        let expected = TestSignals.sine(frequencyHz: 1_000, sampleRateHz: 16_000, count: output.count)
        #expect(output.count == 16_000)
        let error = TestSignals.maximumDifference(Array(output[800..<15_200]), Array(expected[800..<15_200]))
        #expect(error < 1e-3, "largest difference from the ideal tone \(error)")
    }

    @Test(arguments: [(48_000, 16_000), (44_100, 16_000), (22_050, 16_000), (8_000, 16_000), (16_000, 48_000)])
    func emitsTheSameSamplesWhenFedInRandomChunks(inputRateHz: Int, outputRateHz: Int) {
        let input = TestSignals.noise(count: 20_000, seed: UInt64(inputRateHz))
        let oneShot = Resampler.resample(MonoAudio(samples: input, sampleRateHz: inputRateHz), to: outputRateHz)
        var generator = SplitMix64(seed: 7)
        var resampler = Resampler(inputRateHz: inputRateHz, outputRateHz: outputRateHz)
        var streamed: [Float] = []
        var position = 0
        while position < input.count {
            // Sizes include 0 and 1: a capture thread may hand over anything.
            let size = min(Int.random(in: 0...700, using: &generator), input.count - position)
            resampler.process(Array(input[position..<(position + size)]), into: &streamed)
            position += size
        }
        resampler.flush(into: &streamed)
        #expect(streamed == oneShot.samples)
    }

    @Test(arguments: [(48_000, 16_000), (44_100, 16_000), (8_000, 16_000), (11_025, 16_000)])
    func matchesTheSlowReferenceOnRandomInput(inputRateHz: Int, outputRateHz: Int) {
        let input = TestSignals.noise(count: 1_500, seed: 42)
        let resampler = Resampler(inputRateHz: inputRateHz, outputRateHz: outputRateHz)
        let fast = Resampler.resample(MonoAudio(samples: input, sampleRateHz: inputRateHz), to: outputRateHz).samples
        let slow = ReferenceResampler.resample(input, design: resampler)
        #expect(fast.count == slow.count)
        let error = TestSignals.maximumDifference(fast, slow)
        #expect(error < 1e-5, "largest difference from the reference \(error)")
    }

    @Test(arguments: [0, 1, 2, 3, 4, 5, 441, 1_000, 44_101])
    func emitsRoundOfInputCountTimesTheRateRatio(inputCount: Int) {
        for (inputRateHz, outputRateHz) in [(48_000, 16_000), (44_100, 16_000), (8_000, 16_000), (32_000, 48_000)] {
            let input = [Float](repeating: 0.25, count: inputCount)
            let output = Resampler.resample(MonoAudio(samples: input, sampleRateHz: inputRateHz), to: outputRateHz)
            let expected = Int((Double(inputCount) * Double(outputRateHz) / Double(inputRateHz)).rounded())
            #expect(output.samples.count == expected, "\(inputCount) samples, \(inputRateHz) -> \(outputRateHz) Hz")
        }
    }

    @Test func keepsAConstantSignalConstantAwayFromTheEdges() {
        let input = [Float](repeating: 0.25, count: 4_410)
        let output = Resampler.resample(MonoAudio(samples: input, sampleRateHz: 44_100), to: 16_000).samples
        #expect(
            TestSignals.maximumDifference(Array(output[200..<1_400]), [Float](repeating: 0.25, count: 1_200)) < 1e-6)
    }

    @Test func copiesThroughWhenTheRatesAreEqual() {
        let input = TestSignals.noise(count: 1_000, seed: 3)
        var resampler = Resampler(inputRateHz: 16_000, outputRateHz: 16_000)
        var output: [Float] = []
        resampler.process(Array(input[0..<300]), into: &output)
        resampler.process(Array(input[300...]), into: &output)
        resampler.flush(into: &output)
        #expect(output == input)
        #expect(Resampler.resample(MonoAudio(samples: input, sampleRateHz: 16_000), to: 16_000).samples == input)
    }

    @Test func forgetsEarlierInputAfterReset() {
        let first = TestSignals.noise(count: 3_000, seed: 1)
        let second = TestSignals.noise(count: 3_000, seed: 2)
        var resampler = Resampler(inputRateHz: 48_000, outputRateHz: 16_000)
        var discarded: [Float] = []
        resampler.process(first, into: &discarded)
        resampler.reset()
        var output: [Float] = []
        resampler.process(second, into: &output)
        resampler.flush(into: &output)
        #expect(output == Resampler.resample(MonoAudio(samples: second, sampleRateHz: 48_000), to: 16_000).samples)
    }

    @Test func worksAsAPipelineStageOfFloatArraysToFloats() throws {
        func drive<S: Stage>(_ stage: inout S, _ chunks: [[Float]]) throws -> [Float]
        where S.Input == [Float], S.Output == Float {
            var output: [Float] = []
            for chunk in chunks { try stage.process(chunk, into: &output) }
            try stage.flush(into: &output)
            return output
        }
        let input = TestSignals.noise(count: 4_800, seed: 8)
        var resampler = Resampler(inputRateHz: 48_000, outputRateHz: 16_000)
        let output = try drive(&resampler, [Array(input[..<1_000]), Array(input[1_000...])])
        #expect(output == Resampler.resample(MonoAudio(samples: input, sampleRateHz: 48_000), to: 16_000).samples)
    }

    @Test func usesKaisersLengthForTheDefaultOptions() {
        #expect(Resampler(inputRateHz: 48_000, outputRateHz: 16_000).tapsPerPhase == 302)
        #expect(Resampler(inputRateHz: 44_100, outputRateHz: 16_000).tapsPerPhase == 278)
        #expect(Resampler(inputRateHz: 8_000, outputRateHz: 16_000).tapsPerPhase == 102)
        let short = Resampler(inputRateHz: 48_000, outputRateHz: 16_000, options: .init(tapsPerPhase: 64))
        #expect(short.tapsPerPhase == 64)
    }
}
