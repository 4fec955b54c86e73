import Audio
import Foundation
import TutorCore

@testable import Pipeline

/// The room around the box, on the microphone's clock: what the box's speaker plays comes back into the microphone
/// attenuated and late, and a child may speak over it.
///
/// The microphone is a real `VirtualMicrophone` (ALSA's capture path, paced in real time from the first read); the
/// room adds the echo and the child to what it captures. The speaker plays in real time too: audio handed to it is
/// heard from the later of now and the end of what it holds, at most 2 s ahead (a producer waits beyond), and
/// `flush` silences it from now on. Both run at 16 kHz, so a microphone index is a time.
final class Room: MicrophoneInput, AnswerAudioOutput, @unchecked Sendable {
    let microphone: VirtualMicrophone
    /// The echo's gain (0.316 is -10 dB) and delay in samples (800 is 50 ms).
    let echoGain: Float
    let echoDelaySamples: Int
    /// The child's speech, mixed in once the speaker has played `childAfterAnswerSamples` of the first answer.
    var childSpeech: [Float] = []
    var childAfterAnswerSamples = 8_000

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var started: Date?
    private var delivered = 0  // microphone samples read so far
    private var emitted: [Float] = []  // the speaker's output at each microphone index, ahead of `delivered`
    private var scheduledEnd = 0
    /// Stretches of microphone indices during which the speaker played, [start, end).
    private(set) var speakingRuns: [Range<Int>] = []
    private(set) var childStartIndex: Int?

    init(
        question: MonoAudio, silenceSeconds: Double, echoDecibels: Float, echoDelayMilliseconds: Int,
        faults: PCMFaults = .none
    ) throws {
        var samples = question.samples
        samples += [Float](repeating: 0, count: Int(silenceSeconds * Double(question.sampleRateHz)))
        var options = CaptureOptions.default
        options.faults = faults
        options.reopenBackoff = ReopenBackoff(initialSeconds: 0.2, maximumSeconds: 0.4)
        microphone = try VirtualMicrophone(
            audio: InterleavedAudio(samples: samples, sampleRateHz: question.sampleRateHz, channelCount: 1),
            pacing: .realTime, options: options)
        echoGain = powf(10, echoDecibels / 20)
        echoDelaySamples = echoDelayMilliseconds * 16
    }

    deinit { microphone.stop() }

    /// Microphone samples delivered so far.
    var sampleCount: Int { locked { delivered } }
    /// Answer samples the speaker has played or will play.
    var answerSamples: Int { locked { speakingRuns.reduce(0) { $0 + $1.count } } }

    /// Where the speaker first played, if it has.
    var firstSpeakingSample: Int? { locked { speakingRuns.first?.lowerBound } }

    /// Where the speaker, playing at microphone index `index`, fell silent (or will, as things stand).
    func speakerStopped(afterPlayingAt index: Int) -> Int? {
        locked { speakingRuns.first { $0.contains(index) }?.upperBound }
    }

    /// The microphone index being captured now.
    private var nowIndex: Int { started.map { Int(Date().timeIntervalSince($0) * 16_000) } ?? 0 }

    /// The microphone starts with the first read, so loading models first loses nothing.
    func read(upTo maxCount: Int, waitingUpTo timeoutSeconds: Double) -> [Float]? {
        locked {
            if started == nil {
                started = Date()
                microphone.start()
            }
        }
        var chunk: [Float]
        if let captured = microphone.ring.read(upTo: maxCount, waitingUpTo: timeoutSeconds) {
            chunk = captured
        } else if locked({ scheduledEnd > delivered }) {
            // The recording ended but the box still talks: the room goes on, silent, in real time.
            Thread.sleep(forTimeInterval: Double(maxCount) / 16_000)
            chunk = [Float](repeating: 0, count: maxCount)
        } else {
            return nil
        }
        return locked {
            for offset in chunk.indices {
                let index = delivered + offset
                let echoIndex = index - echoDelaySamples
                if echoIndex >= 0 && echoIndex < emitted.count { chunk[offset] += echoGain * emitted[echoIndex] }
                if let start = childStartIndex, index >= start, index - start < childSpeech.count {
                    chunk[offset] += childSpeech[index - start]
                }
            }
            delivered += chunk.count
            return chunk
        }
    }

    func play(_ audio: MonoAudio) -> Bool {
        precondition(audio.sampleRateHz == 16_000, "the room's speaker runs on the microphone's clock")
        condition.lock()
        defer { condition.unlock() }
        while scheduledEnd - nowIndex > 32_000 { _ = condition.wait(until: Date(timeIntervalSinceNow: 0.01)) }
        let start = max(nowIndex, scheduledEnd)
        if emitted.count < start { emitted += [Float](repeating: 0, count: start - emitted.count) }
        emitted.replaceSubrange(start..<min(emitted.count, start + audio.samples.count), with: [])
        emitted.insert(contentsOf: audio.samples, at: start)
        scheduledEnd = start + audio.samples.count
        if let last = speakingRuns.last, last.upperBound == start {
            speakingRuns[speakingRuns.count - 1] = last.lowerBound..<scheduledEnd
        } else {
            speakingRuns.append(start..<scheduledEnd)
        }
        if childStartIndex == nil && !childSpeech.isEmpty {
            childStartIndex = start + childAfterAnswerSamples
        }
        return true
    }

    func flush() {
        condition.lock()
        defer { condition.unlock() }
        let cut = nowIndex
        guard scheduledEnd > cut else { return }
        for index in max(cut, 0)..<min(emitted.count, scheduledEnd) { emitted[index] = 0 }
        scheduledEnd = cut
        speakingRuns = speakingRuns.compactMap { run in
            run.lowerBound >= cut ? nil : run.lowerBound..<min(run.upperBound, cut)
        }
    }

    func waitUntilPlayed(timeoutSeconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeoutSeconds)
        while locked({ scheduledEnd > nowIndex }) {
            if Date() > deadline { return false }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return true
    }

    private func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }
}
