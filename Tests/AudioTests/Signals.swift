import Foundation
import TutorCore

/// Test signals that survive a round trip through S16 exactly: every sample is a whole number of 16-bit steps.
enum Signals {
    /// A ramp of distinct 16-bit values, so a lost, repeated or shifted sample shows up.
    static func ramp(frames: Int, channels: Int = 1) -> [Float] {
        (0..<frames * channels).map { Float(Int16(truncatingIfNeeded: ($0 * 37) % 60_000 - 30_000)) / 32_768 }
    }

    /// A sine at `frequencyHz`, amplitude 0.5, quantized to 16-bit steps.
    static func sine(frequencyHz: Double, rateHz: Int, frames: Int, channels: Int = 1) -> [Float] {
        var samples: [Float] = []
        samples.reserveCapacity(frames * channels)
        for frame in 0..<frames {
            let value = 0.5 * sin(2 * Double.pi * frequencyHz * Double(frame) / Double(rateHz))
            let quantized = Float((value * 32_768).rounded()) / 32_768
            for _ in 0..<channels { samples.append(quantized) }
        }
        return samples
    }

    /// Root mean square level.
    static func rms(_ samples: [Float]) -> Float {
        guard !samples.isEmpty else { return 0 }
        return (samples.reduce(0) { $0 + $1 * $1 } / Float(samples.count)).squareRoot()
    }

    /// Largest absolute difference; `Float.infinity` when the lengths differ.
    static func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
        guard a.count == b.count else { return .infinity }
        return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }
}
