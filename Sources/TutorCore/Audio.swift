/// Shared audio vocabulary: the sample format every stage speaks.
///
/// Stages exchange mono `Float` samples in [-1, 1] at a stated rate. Capture and playback devices may use
/// other rates and channel counts; the Audio module converts at the edge so the rest never sees them.

/// The rate the recognizer and voice activity detector expect.
public let speechSampleRateHz = 16_000

/// A run of mono samples at a known rate. A value type: copying it is cheap until one side mutates.
public struct MonoAudio: Sendable, Equatable {
    /// Samples in [-1, 1]; values outside are kept (they clip only when written as integers).
    public var samples: [Float]
    /// Samples per second.
    public var sampleRateHz: Int

    public init(samples: [Float] = [], sampleRateHz: Int) {
        self.samples = samples
        self.sampleRateHz = sampleRateHz
    }

    /// Duration in seconds.
    public var durationSeconds: Double { Double(samples.count) / Double(sampleRateHz) }
}

/// Interleaved multi-channel samples, as devices and sound files deliver them.
public struct InterleavedAudio: Sendable, Equatable {
    /// Frames one after another, each `channelCount` samples.
    public var samples: [Float]
    public var sampleRateHz: Int
    public var channelCount: Int

    public init(samples: [Float] = [], sampleRateHz: Int, channelCount: Int) {
        precondition(channelCount > 0, "channelCount must be positive")
        self.samples = samples
        self.sampleRateHz = sampleRateHz
        self.channelCount = channelCount
    }

    /// Number of frames (one sample per channel).
    public var frameCount: Int { samples.count / channelCount }

    /// Averages the channels into one. A USB microphone that only does stereo usually carries the same signal,
    /// or one live channel and one silent: the average keeps both cases audible without clipping.
    public func mixedToMono() -> MonoAudio {
        if channelCount == 1 { return MonoAudio(samples: samples, sampleRateHz: sampleRateHz) }
        let frames = frameCount
        let scale = 1 / Float(channelCount)
        var mono = [Float](repeating: 0, count: frames)
        samples.withUnsafeBufferPointer { src in
            mono.withUnsafeMutableBufferPointer { dst in
                for frame in 0..<frames {
                    var sum: Float = 0
                    for channel in 0..<channelCount { sum += src[frame * channelCount + channel] }
                    dst[frame] = sum * scale
                }
            }
        }
        return MonoAudio(samples: mono, sampleRateHz: sampleRateHz)
    }
}
