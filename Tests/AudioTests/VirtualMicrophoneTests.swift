import Foundation
import Testing
import TutorCore

@testable import Audio

@Suite struct VirtualMicrophoneTests {
    @Test func captureThroughTheFilePCMReturnsTheFileSamplesExactly() throws {
        let samples = Signals.ramp(frames: 8_000)
        let audio = InterleavedAudio(samples: samples, sampleRateHz: 16_000, channelCount: 1)
        let captured = try VirtualMicrophone.capture(audio, pacing: .asFastAsPossible)
        #expect(captured.sampleRateHz == 16_000)
        #expect(captured.samples.count == samples.count)
        #expect(Signals.maxDifference(captured.samples, samples) <= 1 / 32_768)
    }

    @Test func captureAt48kHzStereoDeliversTheRightLengthAndEnergyAt16kHzMono() throws {
        let samples = Signals.sine(frequencyHz: 440, rateHz: 48_000, frames: 24_000, channels: 2)
        let audio = InterleavedAudio(samples: samples, sampleRateHz: 48_000, channelCount: 2)
        let captured = try VirtualMicrophone.capture(audio, pacing: .asFastAsPossible)
        #expect(abs(captured.samples.count - 8_000) <= 16)
        // A sine of amplitude 0.5 has an RMS of about 0.354.
        #expect(abs(Signals.rms(captured.samples) - 0.354) < 0.05)
    }

    @Test func realTimePacingTakesAboutAsLongAsTheAudio() throws {
        let audio = InterleavedAudio(samples: Signals.ramp(frames: 4_800), sampleRateHz: 16_000, channelCount: 1)
        let started = Date()
        let captured = try VirtualMicrophone.capture(audio, pacing: .realTime)
        let elapsed = Date().timeIntervalSince(started)
        #expect(captured.samples.count == 4_800)
        #expect(elapsed >= 0.25 && elapsed < 1.5)
    }

    @Test func theTemporaryFileIsRemovedAtTheEndOfTheStream() throws {
        let audio = InterleavedAudio(samples: Signals.ramp(frames: 1_600), sampleRateHz: 16_000, channelCount: 1)
        let microphone = try VirtualMicrophone(audio: audio, pacing: .asFastAsPossible)
        #expect(FileManager.default.fileExists(atPath: microphone.rawFileURL.path))
        microphone.start()
        _ = microphone.ring.readToEnd()
        #expect(microphone.capture.waitUntilFinished(timeoutSeconds: 2))
        #expect(!FileManager.default.fileExists(atPath: microphone.rawFileURL.path))
    }

    @Test func audioWithoutAPositiveRateIsRefusedWithAnError() {
        let audio = InterleavedAudio(samples: [0, 0], sampleRateHz: 0, channelCount: 1)
        #expect(throws: ALSAError.self) { _ = try VirtualMicrophone(audio: audio) }
    }
}
