import Audio
import Foundation
import Synchronization
import TutorCore

/// Where the spoken answer goes: a speaker, or a buffer that becomes a sound file.
///
/// Thread safety: `play` from the pipeline's speaking thread; `flush` from the listening thread (barge-in).
public protocol AnswerAudioOutput: AnyObject, Sendable {
    /// Queues audio to be heard, waiting while the output's queue is full; false if the output stopped.
    @discardableResult
    func play(_ audio: MonoAudio) -> Bool
    /// Barge-in: drops everything queued and silences the output within about one device period.
    func flush()
    /// Waits until everything queued has been heard; false on timeout.
    func waitUntilPlayed(timeoutSeconds: Double) -> Bool
}

/// The answer played on an ALSA device from its own thread, through a bounded queue (ms of audio).
public final class SpeakerOutput: AnswerAudioOutput {
    /// The playback thread and its queue.
    public let playback: ALSAPlayback

    /// Opens nothing yet: the playback thread opens `device` (and reopens it if it is lost).
    public init(device: String, options: PlaybackOptions = .default, counters: AudioCounters = AudioCounters()) {
        playback = ALSAPlayback(device: .device(device), options: options, counters: counters)
        playback.start()
    }

    deinit { playback.stop() }

    public func play(_ audio: MonoAudio) -> Bool { playback.play(audio) }
    public func flush() { playback.flush() }
    public func waitUntilPlayed(timeoutSeconds: Double) -> Bool {
        playback.waitUntilPlayed(timeoutSeconds: timeoutSeconds)
    }
}

/// The answer kept in memory, for `-o answer.wav`: played at once, so it never waits.
public final class RecordingOutput: AnswerAudioOutput {
    private let recorded = Mutex<[MonoAudio]>([])

    /// An empty recording.
    public init() {}

    /// Everything played so far, joined; empty audio at `defaultRateHz` when nothing was.
    public func audio(defaultRateHz: Int = 22_050) -> MonoAudio {
        recorded.withLock { pieces in
            MonoAudio(samples: pieces.flatMap(\.samples), sampleRateHz: pieces.first?.sampleRateHz ?? defaultRateHz)
        }
    }

    public func play(_ audio: MonoAudio) -> Bool {
        recorded.withLock { $0.append(audio) }
        return true
    }

    /// Nothing is queued: what was played stays.
    public func flush() {}
    public func waitUntilPlayed(timeoutSeconds: Double) -> Bool { true }
}
