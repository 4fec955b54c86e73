import Audio
import Foundation
import TutorCore

/// The path from the box's speaker back into its microphone, tracked while the box talks: where the echo sits on
/// the reference timeline (found by cross-correlation) and an `EchoCanceller` that takes it out, window by window.
///
/// Microphone sample `m` was captured at a time the listening loop's clock knows; the reference sample handed to
/// the speaker then has index `m + offset`. The echo of reference sample `r` reaches the microphone `delay` samples
/// later: the output device's buffer, the air, and whatever the clocks get wrong. Until the delay is known the
/// canceller does nothing. Not thread-safe: the listening loop's.
struct EchoPath {
    /// The earliest and latest echo delay searched, samples: 20 ms early (handover times are known to about a
    /// period) to 300 ms late (a deep output buffer).
    static let earliestDelay = -320
    static let latestDelay = 4_800
    /// Reference samples the filter sees ahead of the estimated delay, for a delay estimate off by a little.
    static let leadTaps = 32

    private(set) var canceller = EchoCanceller()
    /// `reference index - microphone index` for the same moment, fixed while it holds to within 10 ms.
    private(set) var offset: Int?
    /// The echo's bulk delay in samples, once found.
    private(set) var delay: Int?
    private var candidate: Int?  // a changed delay seen once, to be confirmed before the filter is reset
    private var microphone: [Float] = []  // the last second, for delay estimation
    private var microphoneStart = 0
    private var nextEstimate = 0
    private var residual: [Float] = []
    /// Times the filter was reset since creation: what it achieved before then no longer holds.
    private(set) var filterResets = 0

    /// Cancels the echo in `window` (microphone samples from `start`), whose first sample was captured at
    /// `captureTime`; returns the residual and the block's powers. `adapt` false holds the filter (the child is
    /// talking).
    mutating func process(
        _ window: UnsafeBufferPointer<Float>, start: Int, captureTime: Date?, reference: PlaybackReference,
        adapt: Bool
    ) -> (residual: [Float], powers: EchoCanceller.BlockPowers) {
        remember(window, start: start)
        if let captureTime {
            let measured = reference.index(at: captureTime) - start
            if offset.map({ abs(measured - $0) > 160 }) ?? true {
                offset = measured
                delay = nil
                resetFilter()
                nextEstimate = start
            }
        }
        if let offset, start >= nextEstimate, microphone.count >= speechSampleRateHz / 2 {
            estimateDelay(offset: offset, reference: reference)
        }
        guard let offset, let delay else {
            residual = Array(window)
            let power = window.reduce(0) { $0 + $1 * $1 } / Float(max(window.count, 1))
            return (residual, EchoCanceller.BlockPowers(microphone: power, echo: 0, residual: power, heldSamples: 0))
        }
        let taps = canceller.options.taps
        let newest = start + offset - delay + Self.leadTaps
        let history = reference.samples(from: newest - (taps - 1), count: window.count + taps - 1)
        let powers = history.withUnsafeBufferPointer { history in
            canceller.process(microphone: window, reference: history, adapt: adapt, into: &residual)
        }
        return (residual, powers)
    }

    /// Starts the filter again: from the direct path at `gain` when the delay was just found, else from nothing.
    private mutating func resetFilter(gain: Float = 0) {
        canceller.start(tap: Self.leadTaps, gain: gain)
        filterResets += 1
    }

    private mutating func remember(_ window: UnsafeBufferPointer<Float>, start: Int) {
        if microphoneStart + microphone.count != start {
            microphone.removeAll(keepingCapacity: true)
            microphoneStart = start
        }
        microphone.append(contentsOf: window)
        let excess = microphone.count - speechSampleRateHz
        if excess > 0 {
            microphone.removeFirst(excess)
            microphoneStart += excess
        }
    }

    /// Cross-correlates the last second of microphone with the reference; a first estimate is taken at once, a
    /// changed one only when seen twice running (the child talking can fool one estimate).
    private mutating func estimateDelay(offset: Int, reference: PlaybackReference) {
        let span = Self.latestDelay - Self.earliestDelay
        let played = reference.samples(
            from: microphoneStart + offset - Self.latestDelay, count: microphone.count + span)
        guard let (lag, gain) = EchoCanceller.estimateDelay(microphone: microphone, reference: played, maximumLag: span)
        else {
            nextEstimate = microphoneStart + microphone.count + speechSampleRateHz / 4
            return
        }
        let found = Self.earliestDelay + lag
        if let delay, abs(found - delay) > 32 {
            if let candidate, abs(candidate - found) <= 16 {
                self.delay = found
                resetFilter(gain: gain)
                self.candidate = nil
            } else {
                candidate = found
            }
        } else if delay == nil {
            delay = found
            resetFilter(gain: gain)
        } else {
            candidate = nil
        }
        nextEstimate = microphoneStart + microphone.count + (delay == nil ? speechSampleRateHz / 4 : 2 * speechSampleRateHz)
    }
}
