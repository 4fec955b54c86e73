/// A voice activity detector: one speech probability per fixed-size window of 16 kHz audio.
///
/// Windows must be given in order and back to back: detectors keep state (context samples, a recurrent state, a
/// noise floor) from one window to the next. `reset()` forgets it, between utterances or after barge-in. The
/// real-time path: `speechProbability` never throws and does not allocate.
public protocol VoiceActivityDetecting {
    /// The number of samples in one window (512 for both detectors here: 32 ms at 16 kHz).
    var windowSampleCount: Int { get }
    /// The probability, from 0 to 1, that the next window holds speech; a short window is zero-padded.
    mutating func speechProbability(_ window: UnsafeBufferPointer<Float>) -> Float
    /// Forgets everything carried between windows.
    mutating func reset()
}

extension VoiceActivityDetecting {
    /// One probability per window of `samples`, from a fresh state, the last window zero-padded.
    public mutating func speechProbabilities(_ samples: [Float]) -> [Float] {
        reset()
        let size = windowSampleCount
        return samples.withUnsafeBufferPointer { all in
            stride(from: 0, to: all.count, by: size).map { start in
                speechProbability(UnsafeBufferPointer(rebasing: all[start..<min(start + size, all.count)]))
            }
        }
    }
}
