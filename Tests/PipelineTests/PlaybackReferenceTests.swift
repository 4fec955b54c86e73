import Foundation
import Testing
import TutorCore

@testable import Pipeline

@Suite struct PlaybackReferenceTests {
    static func tone(seconds: Double, amplitude: Float, rateHz: Int = 16_000) -> MonoAudio {
        let count = Int(seconds * Double(rateHz))
        let samples = (0..<count).map { amplitude * sinf(2 * .pi * 440 * Float($0) / Float(rateHz)) }
        return MonoAudio(samples: samples, sampleRateHz: rateHz)
    }

    @Test func chunksHandedOverEarlyAreHeardOneAfterAnother() throws {
        let reference = PlaybackReference()
        let start = Date()
        // Two chunks handed over at once: the second is heard after the first, not on top of it.
        reference.record(Self.tone(seconds: 0.5, amplitude: 0.01), at: start)
        reference.record(Self.tone(seconds: 0.5, amplitude: 1), at: start)
        let quiet = try #require(reference.loudestLevelDecibels(from: start, to: start.addingTimeInterval(0.4)))
        let loud = try #require(
            reference.loudestLevelDecibels(from: start.addingTimeInterval(0.6), to: start.addingTimeInterval(0.9)))
        #expect(abs(quiet - (-43)) < 0.5, "a sine of amplitude 0.01 is -43 dBFS")
        #expect(abs(loud - (-3)) < 0.5)
        #expect(
            reference.loudestLevelDecibels(from: start.addingTimeInterval(2), to: start.addingTimeInterval(3)) == nil)
    }

    @Test func aPauseBetweenSentencesIsSilenceAndTheSentenceBeforeStaysInRange() throws {
        let reference = PlaybackReference()
        let start = Date()
        reference.record(Self.tone(seconds: 0.2, amplitude: 1), at: start)
        reference.record(Self.tone(seconds: 0.2, amplitude: 0.01), at: start.addingTimeInterval(0.5))
        let pause = try #require(
            reference.loudestLevelDecibels(from: start.addingTimeInterval(0.3), to: start.addingTimeInterval(0.45)))
        #expect(pause < -100)
        let around = try #require(
            reference.loudestLevelDecibels(from: start.addingTimeInterval(0.1), to: start.addingTimeInterval(0.6)))
        #expect(abs(around - (-3)) < 0.5)
        reference.clear()
        #expect(reference.loudestLevelDecibels(from: start, to: start.addingTimeInterval(1)) == nil)
    }

    @Test func aVoiceAt22kHzIsKeptAt16kHzOnOneTimelineAcrossChunks() throws {
        let reference = PlaybackReference()
        let start = Date()
        // Two contiguous chunks of a 22.05 kHz tone, handed over at once: 0.5 s each.
        let tone = Self.tone(seconds: 1, amplitude: 0.5, rateHz: 22_050)
        reference.record(MonoAudio(samples: Array(tone.samples[..<11_025]), sampleRateHz: 22_050), at: start)
        reference.record(MonoAudio(samples: Array(tone.samples[11_025...]), sampleRateHz: 22_050), at: start)
        let first = reference.index(at: start)
        let kept = reference.samples(from: first - 1_000, count: 18_000)
        // Nothing before the start, a second of the tone at 16 kHz, then nothing; no seam between the chunks.
        #expect(kept[0..<1_000].allSatisfy { $0 == 0 })
        let expected = Self.tone(seconds: 1, amplitude: 0.5).samples
        let middle = 1_000 + 200..<1_000 + 15_700  // clear of the resampler's edges
        let error = middle.map { abs(kept[$0] - expected[$0 - 1_000]) }.max() ?? 1
        #expect(error < 0.01, "the resampled tone is off by \(error)")
        #expect(kept[(1_000 + 16_100)...].allSatisfy { $0 == 0 })
    }
}
