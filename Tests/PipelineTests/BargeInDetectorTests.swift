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

/// With the echo canceller in front: the detector hears its residual and weighs it against what the canceller
/// usually leaves of the box's voice.
@Suite struct BargeInWithEchoCancellerTests {
    /// Ten quiet windows (the energy detector's floor), then `echoOnly` windows of the box's echo at -30 dBFS that
    /// the canceller takes down to `leftDecibels`, then up to 30 windows of `child` with the echo; the index of the
    /// child window that stopped the box, if any.
    static func firstTrigger(
        leftDecibels: Float, child: (microphone: Float, residual: Float)?, echoOnly: Int = 20
    ) -> (index: Int?, detector: BargeInDetector<EnergyVAD>) {
        var detector = BargeInDetector(detector: EnergyVAD())
        func power(_ decibels: Float) -> Float { powf(10, decibels / 10) }
        func feed(microphone: Float, echo: Float, residual: Float, seed: Int) -> Bool {
            let window = BargeInDetectorTests.window(decibels: residual, seed: UInt64(seed))
            let powers = EchoCanceller.BlockPowers(
                microphone: power(microphone), echo: power(echo), residual: power(residual), heldSamples: 0)
            return window.withUnsafeBufferPointer {
                detector.process($0, referenceLevelDecibels: -20, echo: powers)
            }
        }
        for seed in 0..<10 {
            _ = BargeInDetectorTests.window(decibels: -70, seed: UInt64(seed)).withUnsafeBufferPointer {
                detector.process($0, referenceLevelDecibels: nil)
            }
        }
        for seed in 0..<echoOnly {
            #expect(!feed(microphone: -30, echo: -30, residual: leftDecibels, seed: 10 + seed))
        }
        guard let child else { return (nil, detector) }
        for index in 0..<30 where feed(microphone: child.microphone, echo: -30, residual: child.residual, seed: 100 + index) {
            return (index, detector)
        }
        return (nil, detector)
    }

    @Test func aChildQuieterThanTheEchoStopsTheBoxOnceTheCancellerWorks() throws {
        // The child at -34 dBFS under the echo at -30: the microphone rises to -28.5, short of the level rule's
        // -27 (the reference at -20 less 7 dB), but the residual is the child, 16 dB above the 50 dB left of echo.
        let (index, detector) = Self.firstTrigger(leftDecibels: -50, child: (-28.5, -34))
        #expect(index == detector.windowsToTrigger - 1)
        #expect(abs(try #require(detector.cancellationDecibels) - 20) < 0.01)
    }

    @Test func whatTheCancellerLeavesOfTheBoxsVoiceIsNotTheChild() {
        // Leftover echo that the energy detector calls speech (20 dB above its floor) never stops the box.
        let (index, detector) = Self.firstTrigger(leftDecibels: -50, child: (-30, -47))
        #expect(index == nil)
        #expect(detector.echoWindows >= 20)
    }

    @Test func aCancellerThatHasNotConvergedIsNotTrusted() {
        // Only 3 dB taken out: the residual is not trusted, and the same quiet child does not stop the box.
        let (index, detector) = Self.firstTrigger(leftDecibels: -33, child: (-28.5, -31))
        #expect(index == nil)
        #expect(detector.cancellationDecibels.map { $0 < 6 } == true)
    }
}
