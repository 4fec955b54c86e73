import Audio
import Foundation
import Synchronization
import TutorCore

/// What the box has been saying and when: the reference barge-in compares the microphone against and the echo
/// canceller takes out of it.
///
/// The speaking thread records each chunk as it hands it to the speaker. Chunks follow one another without gaps
/// (the speaker's queue runs ahead of the device), so a chunk is heard from the later of when it was handed over
/// and when the previous one ends. The samples are kept at 16 kHz (resampled from the voice's rate) on a timeline
/// of absolute sample indices counted from the reference's creation, so an index means the same moment for as long
/// as the box runs. The last `historySeconds` are kept. Thread-safe.
public final class PlaybackReference: Sendable {
    /// The rate of the kept samples, the microphone's.
    public static let sampleRateHz = speechSampleRateHz
    /// The span one level covers, seconds.
    public let windowSeconds: Double

    private struct State {
        var samples: [Float] = []  // back to back from `firstIndex`
        var firstIndex = 0
        var heardUntil: Date?  // when the last chunk handed over ends
        var resampler: Resampler?  // the stream being recorded, at its chunks' rate
        var streamStartIndex = 0  // where the stream's first resampled sample goes
        var streamEmitted = 0  // resampled samples of the stream placed so far

        var endIndex: Int { firstIndex + samples.count }

        /// Places `output`, the stream's next resampled samples, on the timeline.
        mutating func place(_ output: [Float]) {
            let at = streamStartIndex + streamEmitted
            streamEmitted += output.count
            if at > endIndex { samples.append(contentsOf: repeatElement(0, count: at - endIndex)) }
            let overlap = min(max(endIndex - at, 0), output.count)
            for offset in 0..<overlap { samples[at - firstIndex + offset] = output[offset] }
            samples.append(contentsOf: output[overlap...])
        }

        /// Ends the stream being recorded: the resampler's held-back tail goes on the timeline.
        mutating func endStream() {
            guard var resampler else { return }
            var tail: [Float] = []
            resampler.flush(into: &tail)
            place(tail)
            self.resampler = nil
        }
    }
    private let state = Mutex(State())
    private let epoch = Date()
    /// How much history is kept, seconds.
    private let historySeconds = 10.0

    /// An empty reference with levels every `windowSeconds` (20 ms by default).
    public init(windowSeconds: Double = 0.02) { self.windowSeconds = windowSeconds }

    /// The reference sample index heard at `time` (rounded down).
    public func index(at time: Date) -> Int {
        Int((time.timeIntervalSince(epoch) * Double(Self.sampleRateHz)).rounded(.down))
    }

    /// Records `audio` as handed to the speaker at `time`.
    public func record(_ audio: MonoAudio, at time: Date = Date()) {
        guard audio.sampleRateHz > 0, !audio.samples.isEmpty else { return }
        state.withLock { state in
            let begins = max(time, state.heardUntil ?? time)
            let follows = state.heardUntil.map { begins.timeIntervalSince($0) < 0.5 / Double(Self.sampleRateHz) }
            if follows != true || state.resampler?.inputRateHz != audio.sampleRateHz {
                state.endStream()
                let options = Resampler.Options(stopbandAttenuationDecibels: 50, tapsPerPhase: 32)
                state.resampler = Resampler(
                    inputRateHz: audio.sampleRateHz, outputRateHz: Self.sampleRateHz, options: options)
                state.streamStartIndex = index(at: begins)
                state.streamEmitted = 0
                if state.samples.isEmpty || state.streamStartIndex - state.endIndex > historySamples {
                    state.samples.removeAll(keepingCapacity: true)
                    state.firstIndex = state.streamStartIndex
                }
            }
            var output: [Float] = []
            state.resampler?.process(audio.samples, into: &output)
            state.place(output)
            state.heardUntil = begins.addingTimeInterval(audio.durationSeconds)
            let excess = state.samples.count - historySamples
            if excess > historySamples / 4 {
                state.samples.removeFirst(excess)
                state.firstIndex += excess
            }
        }
    }

    private var historySamples: Int { Int(historySeconds) * Self.sampleRateHz }

    /// Forgets everything (barge-in flushed the speaker: nothing queued will be heard).
    public func clear() { state.withLock { $0 = State() } }

    /// When the last recorded audio ends, if any.
    public var heardUntil: Date? { state.withLock { $0.heardUntil } }

    /// The samples heard from reference index `start` on, `count` of them; zero where nothing was playing.
    public func samples(from start: Int, count: Int) -> [Float] {
        var result = [Float](repeating: 0, count: count)
        state.withLock { state in
            let from = max(start, state.firstIndex)
            let to = min(start + count, state.endIndex)
            guard from < to else { return }
            for index in from..<to { result[index - start] = state.samples[index - state.firstIndex] }
        }
        return result
    }

    /// The loudest level heard between `from` and `to`, in dBFS, over windows of `windowSeconds`; nil when nothing
    /// was playing then (a pause between sentences counts as playing silence).
    public func loudestLevelDecibels(from: Date, to: Date) -> Float? {
        let window = max(1, Int(windowSeconds * Double(Self.sampleRateHz)))
        let firstWindow = index(at: from) / window
        let lastWindow = (index(at: to) + window - 1) / window
        return state.withLock { state -> Float? in
            var loudest: Float?
            for windowIndex in firstWindow...max(firstWindow, lastWindow) {
                let lower = max(windowIndex * window, state.firstIndex)
                let upper = min((windowIndex + 1) * window, state.endIndex)
                guard lower < upper else { continue }
                let level = state.samples[(lower - state.firstIndex)..<(upper - state.firstIndex)]
                    .withUnsafeBufferPointer { EnergyVAD.levelDecibels($0, count: $0.count) }
                loudest = max(loudest ?? level, level)
            }
            return loudest
        }
    }
}
