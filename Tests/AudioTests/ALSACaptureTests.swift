import Foundation
import Testing
import TutorCore

@testable import Audio

@Suite struct ALSACaptureTests {
    @Test func aStalledConsumerKeepsOnlyTheNewestAudioAndCountsTheDrop() throws {
        let samples = Signals.ramp(frames: 8_000)
        var options = CaptureOptions()
        options.ringCapacityMilliseconds = 100  // 1,600 samples at 16 kHz
        let counters = AudioCounters()
        let microphone = try VirtualMicrophone(
            audio: InterleavedAudio(samples: samples, sampleRateHz: 16_000, channelCount: 1),
            pacing: .asFastAsPossible, options: options, counters: counters)
        microphone.start()
        #expect(microphone.capture.waitUntilFinished(timeoutSeconds: 5))
        let remaining = microphone.ring.readToEnd()
        #expect(counters.droppedFrames == 6_400)
        #expect(Signals.maxDifference(remaining, Array(samples.suffix(1_600))) <= 1 / 32_768)
    }

    @Test func theFilePCMNeverEndsByItselfSoCaptureStopsAtTheKnownLength() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("voicetutor-eof-\(UUID()).raw")
        try Data(count: 640).write(to: url)  // 320 frames of S16 mono
        defer { try? FileManager.default.removeItem(at: url) }
        let source = PCMSource.configured(
            name: "eof_probe",
            configuration: "pcm.eof_probe { type file slave.pcm { type null } file \"/dev/null\" "
                + "infile \"\(url.path)\" format raw }")
        let handle = try PCMHandle.open(source, direction: .capture, request: .default)
        var floats: [Float] = []
        // Five periods from a file of one: every read still reports a full period.
        for _ in 0..<5 {
            #expect(
                handle.read(frames: handle.configuration.periodFrames, into: &floats, injected: nil)
                    == handle.configuration.periodFrames)
        }
    }

    @Test func captureFromNullOnTheDeviceClockStopsPromptly() {
        let capture = ALSACapture(source: .device("null"))
        capture.start()
        let chunk = capture.ring.read(upTo: 320, waitingUpTo: 2)
        #expect(chunk?.isEmpty == false)
        #expect(capture.configuration?.sampleRateHz == 16_000)
        let started = Date()
        capture.stop()
        #expect(Date().timeIntervalSince(started) < 0.3)
        #expect(capture.isFinished)
    }

    @Test func captureFromAnUnpacedDeviceIsHeldToTheWallClockInsteadOfSpinning() {
        let capture = ALSACapture(source: .device("null"))
        capture.start()
        Thread.sleep(forTimeInterval: 0.3)
        capture.stop()
        // 0.3 s is 4,800 samples; allow the device buffer (80 ms) and scheduling slack, not a spinning core.
        #expect(capture.ring.writtenCount > 1_600)
        #expect(capture.ring.writtenCount < 8_000)
    }

    @Test func aFiniteSourceReportsEndOfStreamAfterItsLastSample() throws {
        let audio = InterleavedAudio(samples: Signals.ramp(frames: 1_000), sampleRateHz: 16_000, channelCount: 1)
        let microphone = try VirtualMicrophone(audio: audio, pacing: .asFastAsPossible)
        microphone.start()
        var total = 0
        while let chunk = microphone.ring.read(upTo: 320, waitingUpTo: 2) {
            if chunk.isEmpty { break }
            total += chunk.count
        }
        #expect(total == 1_000)
        #expect(microphone.ring.isEndOfStream)
    }

    @Test func recordingFromNullForAFractionOfASecondReturnsThatMuchAudio() throws {
        let audio = try ALSACapture.record(device: "null", seconds: 0.1)
        #expect(audio.sampleRateHz == 16_000)
        #expect(audio.samples.count == 1_600)
    }

    @Test func recordingANonsenseLengthReturnsNothingInsteadOfTrapping() throws {
        #expect(try ALSACapture.record(device: "null", seconds: .nan).samples.isEmpty)
        #expect(try ALSACapture.record(device: "null", seconds: -1).samples.isEmpty)
    }
}
