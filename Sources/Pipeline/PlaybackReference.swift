import Audio
import Foundation
import Synchronization
import TutorCore

/// What the box has been saying and when: the reference barge-in compares the microphone against.
///
/// The speaking thread records each chunk as it hands it to the speaker. Chunks follow one another without gaps
/// (the speaker's queue runs ahead of the device), so a chunk is heard from the later of when it was handed over
/// and when the previous one ends. Only levels are kept, one per `windowSeconds`. Thread-safe.
public final class PlaybackReference: Sendable {
    /// The span one level covers, seconds.
    public let windowSeconds: Double

    private struct State {
        var start: Date?  // when the first kept level begins
        var levels: [Float] = []  // dBFS, one per window, back to back from `start`
        var heardUntil: Date?  // when the last chunk handed over ends
    }
    private let state = Mutex(State())
    /// How much history is kept, seconds.
    private let historySeconds = 10.0

    /// An empty reference with levels every `windowSeconds` (20 ms by default).
    public init(windowSeconds: Double = 0.02) { self.windowSeconds = windowSeconds }

    /// Records `audio` as handed to the speaker at `time`.
    public func record(_ audio: MonoAudio, at time: Date = Date()) {
        guard audio.sampleRateHz > 0, !audio.samples.isEmpty else { return }
        let windowSamples = max(1, Int(windowSeconds * Double(audio.sampleRateHz)))
        var levels: [Float] = []
        audio.samples.withUnsafeBufferPointer { all in
            for start in stride(from: 0, to: all.count, by: windowSamples) {
                let window = UnsafeBufferPointer(rebasing: all[start..<min(start + windowSamples, all.count)])
                levels.append(EnergyVAD.levelDecibels(window, count: window.count))
            }
        }
        state.withLock { state in
            let begins = max(time, state.heardUntil ?? time)
            let gapSeconds = state.heardUntil.map { begins.timeIntervalSince($0) } ?? .infinity
            if gapSeconds > historySeconds {
                state.start = begins
                state.levels.removeAll()
            } else if gapSeconds > windowSeconds / 2 {
                // A pause between sentences is heard as silence, so what came before stays in range.
                state.levels.append(contentsOf: repeatElement(-120, count: Int((gapSeconds / windowSeconds).rounded())))
            }
            state.levels.append(contentsOf: levels)
            state.heardUntil = begins.addingTimeInterval(audio.durationSeconds)
            let excess = state.levels.count - Int(historySeconds / windowSeconds)
            if excess > 0, let start = state.start {
                state.levels.removeFirst(excess)
                state.start = start.addingTimeInterval(Double(excess) * windowSeconds)
            }
        }
    }

    /// Forgets everything (barge-in flushed the speaker: nothing queued will be heard).
    public func clear() { state.withLock { $0 = State() } }

    /// When the last recorded audio ends, if any.
    public var heardUntil: Date? { state.withLock { $0.heardUntil } }

    /// The loudest level heard between `from` and `to`, in dBFS; nil when nothing was playing then.
    public func loudestLevelDecibels(from: Date, to: Date) -> Float? {
        state.withLock { state in
            guard let start = state.start, !state.levels.isEmpty else { return nil }
            let first = max(0, Int((from.timeIntervalSince(start) / windowSeconds).rounded(.down)))
            let last = min(state.levels.count - 1, Int((to.timeIntervalSince(start) / windowSeconds).rounded(.up)))
            guard first <= last else { return nil }
            return state.levels[first...last].max()
        }
    }
}
