import Foundation
import Testing
import TutorCore

@testable import Audio

/// Errors injected at the read seam; the file-backed PCM stands in for a microphone.
@Suite struct ALSARecoveryTests {
    private func capture(
        frames: Int, faults: PCMFaults, counters: AudioCounters
    ) throws
        -> (sent: [Float], got: [Float])
    {
        let samples = Signals.ramp(frames: frames)
        var options = CaptureOptions()
        options.faults = faults
        options.reopenBackoff = ReopenBackoff(initialSeconds: 0.01, maximumSeconds: 0.05)
        let audio = InterleavedAudio(samples: samples, sampleRateHz: 16_000, channelCount: 1)
        let captured = try VirtualMicrophone.capture(
            audio, pacing: .asFastAsPossible, options: options, counters: counters)
        return (samples, captured.samples)
    }

    @Test func anInjectedOverrunIsCountedAndEveryLaterSampleStillArrives() throws {
        let counters = AudioCounters()
        let (sent, got) = try capture(frames: 6_400, faults: .failing([3: -EPIPE, 7: -EPIPE]), counters: counters)
        #expect(counters.overruns == 2)
        #expect(counters.reopens == 0)
        #expect(Signals.maxDifference(got, sent) <= 1 / 32_768)
    }

    @Test func anInjectedSuspendIsCountedAndCaptureGoesOn() throws {
        let counters = AudioCounters()
        let (sent, got) = try capture(frames: 3_200, faults: .failing([2: -ESTRPIPE]), counters: counters)
        #expect(counters.suspends == 1)
        #expect(Signals.maxDifference(got, sent) <= 1 / 32_768)
    }

    @Test func aVanishedDeviceIsReopenedAndCaptureContinuesWhereItStopped() throws {
        let counters = AudioCounters()
        let (sent, got) = try capture(frames: 6_400, faults: .failing([4: -ENODEV]), counters: counters)
        #expect(counters.reopens == 1)
        #expect(Signals.maxDifference(got, sent) <= 1 / 32_768)
    }

    @Test func anIOErrorIsTreatedAsALostDeviceAndReopened() throws {
        let counters = AudioCounters()
        let (sent, got) = try capture(frames: 3_200, faults: .failing([1: -EIO, 2: -EBADFD]), counters: counters)
        #expect(counters.reopens == 2)
        #expect(got.count == sent.count)
    }
}
