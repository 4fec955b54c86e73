import Foundation
import Testing
import TutorCore

@testable import Audio

@Suite struct ALSAPlaybackTests {
    private let oneSecond = MonoAudio(
        samples: Signals.sine(frequencyHz: 440, rateHz: 16_000, frames: 16_000),
        sampleRateHz: 16_000)

    @Test func aSecondOfAudioPlaysToNullInAboutASecondAndStopReturnsQuickly() {
        let playback = ALSAPlayback(device: .device("null"))
        playback.start()
        let started = Date()
        #expect(playback.play(oneSecond))
        #expect(playback.waitUntilPlayed(timeoutSeconds: 5))
        // Held to the wall clock: all but the last device buffer (80 ms) of the second takes real time.
        #expect(Date().timeIntervalSince(started) > 0.8)
        #expect(playback.playedFrames == 16_000)
        let stopping = Date()
        playback.stop()
        #expect(Date().timeIntervalSince(stopping) < 0.2)
    }

    @Test func stopDuringAnAnswerReturnsWithinAPeriodAndTheRestIsNeverPlayed() {
        let playback = ALSAPlayback(device: .device("null"))
        playback.start()
        playback.play(oneSecond)
        Thread.sleep(forTimeInterval: 0.2)
        let started = Date()
        playback.stop()
        // Barge-in's budget is 200 ms for everything; this part takes about one period.
        #expect(Date().timeIntervalSince(started) < 0.15)
        let played = playback.playedFrames
        // About 0.2 s plus the device buffer went out; the remaining 0.7 s never will.
        #expect(played > 1_600 && played < 9_600)
        Thread.sleep(forTimeInterval: 0.1)
        #expect(playback.playedFrames == played)
    }

    @Test func bargeInFlushSilencesPromptlyAndTheNextAnswerStillPlays() {
        let playback = ALSAPlayback(device: .device("null"))
        playback.start()
        playback.play(oneSecond)
        Thread.sleep(forTimeInterval: 0.2)
        let started = Date()
        playback.flush()
        #expect(playback.waitUntilPlayed(timeoutSeconds: 1))
        #expect(Date().timeIntervalSince(started) < 0.2)
        let afterFlush = playback.playedFrames
        #expect(afterFlush < 9_600)
        playback.play(MonoAudio(samples: [Float](repeating: 0.1, count: 1_600), sampleRateHz: 16_000))
        #expect(playback.waitUntilPlayed(timeoutSeconds: 2))
        #expect(playback.playedFrames == afterFlush + 1_600)
        playback.stop()
    }

    @Test func audioAtAnotherRateIsResampledAndCopiedToEveryDeviceChannel() {
        var options = PlaybackOptions.fast
        options.request = PCMRequest(sampleRateHz: 48_000, channelCount: 2)
        let playback = ALSAPlayback(device: .device("null"), options: options)
        playback.start()
        playback.play(oneSecond)
        #expect(playback.waitUntilPlayed(timeoutSeconds: 5))
        #expect(playback.configuration?.channelCount == 2)
        #expect(abs(playback.playedFrames - 48_000) <= 48)
        playback.stop()
    }

    @Test func anInjectedUnderrunIsCountedAndNoAudioIsLost() {
        let counters = AudioCounters()
        var options = PlaybackOptions.fast
        options.faults = .failing([5: -EPIPE, 9: -ESTRPIPE])
        let playback = ALSAPlayback(device: .device("null"), options: options, counters: counters)
        playback.start()
        playback.play(oneSecond)
        #expect(playback.waitUntilPlayed(timeoutSeconds: 5))
        #expect(counters.underruns == 1)
        #expect(counters.suspends == 1)
        #expect(playback.playedFrames == 16_000)
        playback.stop()
    }

    @Test func aLostSpeakerIsReopenedAndTheQueuedAudioStillPlays() {
        let counters = AudioCounters()
        var options = PlaybackOptions.fast
        options.faults = .failing([3: -ENODEV])
        options.reopenBackoff = ReopenBackoff(initialSeconds: 0.01, maximumSeconds: 0.05)
        let playback = ALSAPlayback(device: .device("null"), options: options, counters: counters)
        playback.start()
        playback.play(oneSecond)
        #expect(playback.waitUntilPlayed(timeoutSeconds: 5))
        #expect(counters.reopens == 1)
        #expect(playback.playedFrames == 16_000)
        playback.stop()
    }

    @Test func aProducerWaitingOnAFullQueueIsReleasedPromptlyByStop() async {
        var options = PlaybackOptions.fast
        options.queueCapacityMilliseconds = 200
        // Every write fails as a lost device with a long backoff, so nothing drains the queue.
        options.faults = PCMFaults { _ in -ENODEV }
        options.reopenBackoff = ReopenBackoff(initialSeconds: 10, maximumSeconds: 10)
        let playback = ALSAPlayback(device: .device("null"), options: options)
        playback.start()
        let audio = oneSecond
        let producer = Thread { _ = playback.play(audio) }
        producer.start()
        try? await Task.sleep(for: .milliseconds(100))
        let started = Date()
        playback.stop()
        #expect(Date().timeIntervalSince(started) < 0.2)
        #expect(!playback.play(audio))
    }

    @Test func flushDropsQueuedAudioAndPlaybackGoesOnAfterwards() {
        var options = PlaybackOptions.fast
        // Writes fail until transfer 20, so audio piles up in the queue before the flush.
        options.faults = PCMFaults { $0 < 20 ? -EAGAIN : nil }
        let playback = ALSAPlayback(device: .device("null"), options: options)
        playback.start()
        playback.play(oneSecond)
        playback.flush()
        #expect(playback.waitUntilPlayed(timeoutSeconds: 5))
        let afterFlush = playback.playedFrames
        #expect(afterFlush < 16_000)
        playback.play(MonoAudio(samples: [Float](repeating: 0.1, count: 1_600), sampleRateHz: 16_000))
        #expect(playback.waitUntilPlayed(timeoutSeconds: 5))
        #expect(playback.playedFrames == afterFlush + 1_600)
        playback.stop()
    }

    @Test func audioWithoutAPositiveRateIsRefusedNotPlayed() {
        let playback = ALSAPlayback(device: .device("null"), options: .fast)
        #expect(!playback.play(MonoAudio(samples: [0.1, 0.2], sampleRateHz: 0)))
    }

    @Test func playingToEndOnNullReturnsTheFramesPlayed() throws {
        #expect(try ALSAPlayback.playToEnd(oneSecond, device: "null", options: .fast) == 16_000)
    }

    @Test func playingToAMissingDeviceThrowsWithItsNameAndALSAsReason() {
        let error = #expect(throws: ALSAError.self) { try ALSAPlayback.playToEnd(oneSecond, device: "hw:7,0") }
        #expect(error?.description == "ALSA playback device 'hw:7,0': cannot open: No such file or directory (-2)")
    }
}

extension PlaybackOptions {
    /// Not held to the wall clock, so tests on `null` run at CPU speed.
    static var fast: PlaybackOptions {
        var options = PlaybackOptions()
        options.holdsUnpacedDevicesToRealTime = false
        return options
    }
}
