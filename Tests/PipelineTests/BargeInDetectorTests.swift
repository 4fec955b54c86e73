import Audio
import Foundation
import Testing
import TutorCore

@testable import Pipeline

/// The barge-in decision on its own, with the energy detector and generated windows at known levels.
@Suite struct BargeInDetectorTests {
    /// One 32 ms window of noise at `decibels` dBFS (RMS), deterministic.
    static func window(decibels: Float, seed: UInt64) -> [Float] {
        var random = SplitMix64(seed: seed)
        let amplitude = powf(10, decibels / 20) * sqrtf(3)  // uniform noise in [-a, a] has RMS a / sqrt(3)
        return (0..<512).map { _ in (Float(random.next() % 20_001) / 10_000 - 1) * amplitude }
    }

    /// Feeds quiet windows (to set the floor) then `speechWindows` at `level`; the index that triggered, if any.
    static func firstTrigger(
        level: Float, reference: Float?, speechWindows: Int = 30
    ) -> (index: Int?, detector: BargeInDetector<EnergyVAD>) {
        var detector = BargeInDetector(detector: EnergyVAD())
        for seed in 0..<10 {
            let quiet = window(decibels: -70, seed: UInt64(seed))
            let triggered = quiet.withUnsafeBufferPointer {
                detector.process($0, referenceLevelDecibels: reference)
            }
            #expect(!triggered)
        }
        for index in 0..<speechWindows {
            let loud = window(decibels: level, seed: UInt64(100 + index))
            if loud.withUnsafeBufferPointer({ detector.process($0, referenceLevelDecibels: reference) }) {
                return (index, detector)
            }
        }
        return (nil, detector)
    }

    @Test func theBoxsOwnVoiceTenDecibelsDownIsEchoNotTheChild() {
        let (index, detector) = Self.firstTrigger(level: -30, reference: -20)
        #expect(index == nil)
        #expect(detector.echoWindows >= 25)
    }

    @Test func aChildAsLoudAsTheBoxStopsItAfterTheMinimumSpeech() {
        let (index, detector) = Self.firstTrigger(level: -20, reference: -20)
        #expect(index == detector.windowsToTrigger - 1)
        // 3 windows of 32 ms: within the 200 ms budget with room for the speaker to stop.
        #expect(detector.windowsToTrigger * 32 <= 130)
    }

    @Test func withNothingPlayingAnySpeechCounts() {
        let (index, _) = Self.firstTrigger(level: -40, reference: nil)
        #expect(index != nil)
    }

    @Test func aShortKnockDoesNotStopTheAnswer() {
        var detector = BargeInDetector(detector: EnergyVAD())
        var triggered = false
        for seed in 0..<10 {
            triggered =
                triggered
                || Self.window(decibels: -70, seed: UInt64(seed)).withUnsafeBufferPointer {
                    detector.process($0, referenceLevelDecibels: nil)
                }
        }
        for seed in 0..<2 {
            triggered =
                triggered
                || Self.window(decibels: -10, seed: UInt64(50 + seed)).withUnsafeBufferPointer {
                    detector.process($0, referenceLevelDecibels: nil)
                }
        }
        #expect(!triggered)
        #expect(detector.speechWindows == 2)
    }
}
