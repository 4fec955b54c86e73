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
        var partialSum: Float = 0  // the window being filled
        var partialCount = 0

        mutating func closePartialWindow() {
            guard partialCount > 0 else { return }
            levels.append(10 * log10f(partialSum / Float(partialCount) + 1e-12))
            partialSum = 0
            partialCount = 0
        }

        /// When the last complete level ends.
        func levelsEnd(_ windowSeconds: Double) -> Date {
            (start ?? Date()).addingTimeInterval(Double(levels.count) * windowSeconds)
        }
    }
    private let state = Mutex(State())
    /// How much history is kept, seconds.
    private let historySeconds = 10.0

    /// An empty reference with levels every `windowSeconds` (20 ms by default).
    public init(windowSeconds: Double = 0.02) { self.windowSeconds = windowSeconds }

    /// Records `audio` as handed to the speaker at `time`.
    ///
    /// Levels cover whole windows: a chunk's last partial window is completed by the next chunk when it follows
    /// without a gap, so the timeline does not drift by a fraction of a window per chunk.
    public func record(_ audio: MonoAudio, at time: Date = Date()) {
        guard audio.sampleRateHz > 0, !audio.samples.isEmpty else { return }
        let windowSamples = max(1, Int(windowSeconds * Double(audio.sampleRateHz)))
        state.withLock { state in
            let begins = max(time, state.heardUntil ?? time)
            let gapSeconds = state.heardUntil.map { begins.timeIntervalSince($0) } ?? .infinity
            if gapSeconds > historySeconds {
                state = State()
                state.start = begins
            } else if gapSeconds > windowSeconds / 2 {
                // A pause between sentences is heard as silence, so what came before stays in range.
                state.closePartialWindow()
                let silent = Int(((begins.timeIntervalSince(state.levelsEnd(windowSeconds))) / windowSeconds).rounded())
                state.levels.append(contentsOf: repeatElement(-120, count: max(0, silent)))
            }
            for sample in audio.samples {
                state.partialSum += sample * sample
                state.partialCount += 1
                if state.partialCount == windowSamples { state.closePartialWindow() }
            }
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
            var state = state
            state.closePartialWindow()
            guard let start = state.start, !state.levels.isEmpty else { return nil }
            let first = max(0, Int((from.timeIntervalSince(start) / windowSeconds).rounded(.down)))
            let last = min(state.levels.count - 1, Int((to.timeIntervalSince(start) / windowSeconds).rounded(.up)))
            guard first <= last else { return nil }
            return state.levels[first...last].max()
        }
    }
}
