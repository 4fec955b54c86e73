import Foundation

/// How the energy detector judges a window; levels in decibels (dBFS for absolute ones).
public struct EnergyVADOptions: Sendable, Equatable {
    /// Samples per window (32 ms at 16 kHz, as Silero).
    public var windowSampleCount = 512
    /// A window this far above the noise floor has probability 1.
    public var speechAboveFloorDecibels: Float = 12
    /// A window this far above the floor or less has probability 0; between the two the probability is linear.
    public var silenceAboveFloorDecibels: Float = 4
    /// A window quieter than this is never speech (digital silence, a muted microphone).
    public var minimumSpeechLevelDecibels: Float = -55
    /// How fast the floor follows a louder background while the window is not speech; it drops at once to a
    /// quieter window, so pauses between words keep it honest.
    public var floorRiseDecibelsPerSecond: Float = 3
    /// How fast the floor rises during speech (slower, so a long sentence does not become its own floor).
    public var floorRiseDuringSpeechDecibelsPerSecond: Float = 1.5

    /// The defaults above.
    public init() {}

    /// The defaults above.
    public static let `default` = EnergyVADOptions()
}

/// A fallback voice activity detector from loudness alone: the window's level against a tracked noise floor.
///
/// It needs no model and costs almost nothing, but anything loud counts as speech (a door, music). The floor starts
/// at the first window's level, falls at once to any quieter window and rises slowly otherwise. Hysteresis: the
/// probability ramps between `silenceAboveFloorDecibels` and `speechAboveFloorDecibels`, so the endpointer's two
/// thresholds fall at different levels, and the floor rises slower while the window is speech. Not thread-safe.
public struct EnergyVAD: VoiceActivityDetecting {
    /// The options, fixed at creation.
    public let options: EnergyVADOptions
    /// The current noise floor in dBFS, or nil before the first window.
    public private(set) var noiseFloorDecibels: Float?

    /// A detector with `options`.
    public init(options: EnergyVADOptions = .default) { self.options = options }

    /// Samples per window.
    public var windowSampleCount: Int { options.windowSampleCount }

    /// Forgets the noise floor.
    public mutating func reset() { noiseFloorDecibels = nil }

    /// The window's level in dBFS: 10 log10 of the mean square (a full-scale sine is -3 dB).
    public static func levelDecibels(_ window: UnsafeBufferPointer<Float>, count: Int) -> Float {
        var sum: Float = 0
        for sample in window { sum += sample * sample }
        return 10 * log10f(sum / Float(max(count, 1)) + 1e-12)
    }

    /// The probability that the window is speech; a short window is treated as zero-padded.
    public mutating func speechProbability(_ window: UnsafeBufferPointer<Float>) -> Float {
        let level = Self.levelDecibels(window, count: options.windowSampleCount)
        let floor = noiseFloorDecibels ?? level
        let above = level - floor
        let span = max(options.speechAboveFloorDecibels - options.silenceAboveFloorDecibels, 1e-3)
        var probability = min(max((above - options.silenceAboveFloorDecibels) / span, 0), 1)
        if level < options.minimumSpeechLevelDecibels { probability = 0 }
        let seconds = Float(options.windowSampleCount) / 16_000
        let rise =
            probability >= 0.5 ? options.floorRiseDuringSpeechDecibelsPerSecond : options.floorRiseDecibelsPerSecond
        noiseFloorDecibels = level < floor ? level : min(level, floor + rise * seconds)
        return probability
    }
}
