import Foundation
import Testing
import TutorCore

@testable import Recognition

@Suite struct TemperatureFallbackTests {
    @Test func aVeryLowTemperatureSamplesTheMostLikelyToken() {
        var generator = SplitMix64(seed: 3)
        let logProbabilities: [Float] = [-3, -0.2, -.infinity, -2]
        for _ in 0..<20 {
            #expect(WhisperRecognizer.sample(logProbabilities, temperature: 0.01, generator: &generator) == 1)
        }
    }

    @Test func samplingAtTemperatureOneFollowsTheProbabilitiesAndNeverPicksASuppressedToken() {
        var generator = SplitMix64(seed: 5)
        let logProbabilities: [Float] = [log(0.25), log(0.75), -.infinity]
        var counts = [0, 0, 0]
        for _ in 0..<4000 {
            counts[WhisperRecognizer.sample(logProbabilities, temperature: 1, generator: &generator)] += 1
        }
        #expect(counts[2] == 0)
        #expect(abs(Double(counts[0]) / 4000 - 0.25) < 0.03)
    }

    @Test func whenEveryAttemptFailsTheMostLikelyIsKeptAndTheRunRepeatsWithTheSameSeed() throws {
        let (model, files) = try WhisperForwardTests.tinyModel()
        defer { files.remove() }
        let recognizer = try WhisperRecognizer(model: model, threadCount: 1)
        var options = TranscriptionOptions()
        options.temperatures = [0, 0.5, 1]
        options.logProbabilityThreshold = 1  // every attempt counts as failed
        options.noSpeechThreshold = 1  // and never as silence
        options.maximumTokenCount = 6
        let first = try recognizer.transcribe(WhisperForwardTests.samples(), options: options)
        let second = try recognizer.transcribe(WhisperForwardTests.samples(), options: options)
        #expect(first.tokens == second.tokens && first.temperature == second.temperature)
        // Greedy's alone, to compare: no attempt kept may be less likely than it.
        options.temperatures = [0]
        let greedy = try recognizer.transcribe(WhisperForwardTests.samples(), options: options)
        #expect(first.averageLogProbability >= greedy.averageLogProbability)
    }

    @Test func aGreedyResultThatPassesIsKeptAtTemperatureZero() throws {
        let (model, files) = try WhisperForwardTests.tinyModel()
        defer { files.remove() }
        var options = TranscriptionOptions()
        options.temperatures = TranscriptionOptions.whisperTemperatures
        options.logProbabilityThreshold = -.infinity
        options.repetitionCount = 1000  // a random model loops: keep the loop from counting as a failure
        options.repeatedPhraseMinimumTokens = 1000
        options.maximumTokenCount = 6
        let result = try WhisperRecognizer(model: model, threadCount: 1).transcribe(
            WhisperForwardTests.samples(), options: options)
        #expect(result.temperature == 0)
    }
}
