import Foundation
import TutorCore

/// Mixes reproducible pink noise into speech at a chosen signal-to-noise ratio, for spoken evaluation sets.
///
/// Pink noise (equal energy per octave) sounds like a fan, wind or a busy room, the background of a community
/// centre, more than white noise does. It is made by Paul Kellet's economy filter: white noise through three
/// one-pole low-pass stages, whose sum falls at about 3 dB per octave from 10 Hz to half the sample rate. The same
/// seed gives the same noise on every machine (`SplitMix64`), so a set of noisy clips is the same in every run.
/// A value type with no shared state: safe to use from any thread.
public struct NoiseMixer: Sendable {
    /// The seed of the white noise the pink noise is filtered from.
    public var seed: UInt64

    /// Creates a mixer whose noise comes from `seed`.
    public init(seed: UInt64) {
        self.seed = seed
    }

    /// `count` samples of pink noise with an RMS of 1.
    public func pinkNoise(count: Int) -> [Float] {
        var random = SplitMix64(seed: seed)
        var noise = [Float](repeating: 0, count: count)
        var (b0, b1, b2) = (0.0, 0.0, 0.0)
        for index in 0..<count {
            let white = Double.random(in: -1...1, using: &random)
            b0 = 0.99765 * b0 + white * 0.0990460
            b1 = 0.96300 * b1 + white * 0.2965164
            b2 = 0.57000 * b2 + white * 1.0526913
            noise[index] = Float(b0 + b1 + b2 + white * 0.1848)
        }
        let rms = Self.rms(noise)
        return rms > 0 ? noise.map { $0 / rms } : noise
    }

    /// The speech with pink noise added so the speech's RMS is `signalToNoiseDecibels` above the noise's (both
    /// measured over the whole clip); peaks are not limited, so keep the speech below full scale.
    public func mix(_ speech: MonoAudio, signalToNoiseDecibels: Double) -> MonoAudio {
        let speechRMS = Self.rms(speech.samples)
        guard speechRMS > 0 else { return speech }
        let noiseRMS = speechRMS / Float(pow(10, signalToNoiseDecibels / 20))
        let noise = pinkNoise(count: speech.samples.count)
        var mixed = speech
        for index in mixed.samples.indices { mixed.samples[index] += noise[index] * noiseRMS }
        return mixed
    }

    /// The root mean square of samples, 0 for none.
    public static func rms(_ samples: [Float]) -> Float {
        guard !samples.isEmpty else { return 0 }
        let energy = samples.reduce(0.0) { $0 + Double($1) * Double($1) }
        return Float((energy / Double(samples.count)).squareRoot())
    }
}
