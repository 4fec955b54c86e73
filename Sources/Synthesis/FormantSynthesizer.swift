import Foundation

/// A two-pole resonator (Klatt 1980): y[n] = a·x[n] + b·y[n-1] + c·y[n-2], unity gain at 0 Hz.
struct Resonator {
    var a: Float = 1, b: Float = 0, c: Float = 0
    var y1: Float = 0, y2: Float = 0

    mutating func set(frequencyHz: Float, bandwidthHz: Float, sampleRateHz: Float) {
        let t = 1 / sampleRateHz
        let r = expf(-Float.pi * bandwidthHz * t)
        c = -r * r
        b = 2 * r * cosf(2 * Float.pi * frequencyHz * t)
        a = 1 - b - c
    }

    @inline(__always) mutating func step(_ x: Float) -> Float {
        let y = a * x + b * y1 + c * y2
        y2 = y1
        y1 = y
        return y
    }
}

/// The matching zero pair: y[n] = a'·x[n] + b'·x[n-1] + c'·x[n-2] with the resonator's coefficients inverted.
struct Antiresonator {
    var a: Float = 1, b: Float = 0, c: Float = 0
    var x1: Float = 0, x2: Float = 0

    mutating func set(frequencyHz: Float, bandwidthHz: Float, sampleRateHz: Float) {
        var pole = Resonator()
        pole.set(frequencyHz: frequencyHz, bandwidthHz: bandwidthHz, sampleRateHz: sampleRateHz)
        a = 1 / pole.a
        b = -pole.b / pole.a
        c = -pole.c / pole.a
    }

    @inline(__always) mutating func step(_ x: Float) -> Float {
        let y = a * x + b * x1 + c * x2
        x2 = x1
        x1 = x
        return y
    }
}

/// A Klatt-style cascade/parallel formant synthesizer rendering 5 ms frames to samples.
///
/// Voicing is the derivative of a KLGLOTT88 glottal flow pulse (a·t² − b·t³ over the open phase) with jitter,
/// shimmer and slow flutter, softened by a spectral-tilt low-pass that grows with breathiness. Voicing and
/// aspiration go through the cascade (nasal pole and zero, then F5 … F1); frication goes through the parallel
/// resonators F2-F6 and a bypass, alternating in sign. Not thread-safe: one per stream.
public struct FormantSynthesizer: Sendable {
    public let sampleRateHz: Int
    let voice: Voice
    private var cascade = [Resonator](repeating: Resonator(), count: 5)
    private var nasalPole = Resonator()
    private var nasalZero = Antiresonator()
    private var parallel = [Resonator](repeating: Resonator(), count: 5)
    private var tilt: Float = 0
    private var tiltState: Float = 0
    private var noiseState: UInt32 = 0x1234_5678
    private var noiseLow: Float = 0
    // Glottal period state.
    private var periodPosition: Float = 0
    private var periodLength: Float = 0
    private var openLength: Float = 0
    private var periodGain: Float = 1
    private var flutterPhase: Float = 0
    private var previous = SynthesisFrame()
    private var frameIndex = 0
    /// Overall output gain, set so a sustained vowel peaks near -6 dBFS.
    static let outputGain: Float = 0.05

    /// A synthesizer at a sample rate (16,000 or 22,050 Hz for speech; anything 8,000-48,000 works).
    public init(sampleRateHz: Int, voice: Voice) throws {
        guard (8000...48000).contains(sampleRateHz) else {
            throw SynthesisError.invalidOption(
                name: "sample rate", value: "\(sampleRateHz) Hz", expected: "8000-48000 Hz (16000 or 22050 usual)")
        }
        self.sampleRateHz = sampleRateHz
        self.voice = voice
        // 0.1 (bright) to 0.5 (a soft, breathy spectrum).
        tilt = Float(0.1 + 0.4 * voice.breathiness)
        nasalPole.set(frequencyHz: 270, bandwidthHz: 100, sampleRateHz: Float(sampleRateHz))
        nasalZero.set(frequencyHz: 270, bandwidthHz: 100, sampleRateHz: Float(sampleRateHz))
    }

    /// Samples in one frame; frames alternate lengths at rates that are not multiples of 200 Hz.
    func sampleCount(frame index: Int) -> Int {
        (index + 1) * sampleRateHz / 200 - index * sampleRateHz / 200
    }

    /// Total samples for a number of frames.
    public func sampleCount(frames: Int) -> Int { frames * sampleRateHz / 200 }

    @inline(__always) private mutating func noise() -> Float {
        noiseState ^= noiseState << 13
        noiseState ^= noiseState >> 17
        noiseState ^= noiseState << 5
        let first = Float(Int32(bitPattern: noiseState)) * (1 / 2_147_483_648)
        noiseState ^= noiseState << 13
        noiseState ^= noiseState >> 17
        noiseState ^= noiseState << 5
        let second = Float(Int32(bitPattern: noiseState)) * (1 / 2_147_483_648)
        return first + second
    }

    /// Renders frames, appending samples to `output`.
    public mutating func render(_ frames: ArraySlice<SynthesisFrame>, into output: inout [Float]) {
        for frame in frames { render(frame, into: &output) }
    }

    private mutating func configure(_ frame: SynthesisFrame) {
        let rate = Float(sampleRateHz)
        let nyquistGuard = rate * 0.45
        let formants = [
            frame.formantsHz.0, frame.formantsHz.1, frame.formantsHz.2, frame.formantsHz.3,
            frame.formantsHz.4,
        ]
        let bandwidths = [
            frame.bandwidthsHz.0, frame.bandwidthsHz.1, frame.bandwidthsHz.2, frame.bandwidthsHz.3,
            frame.bandwidthsHz.4,
        ]
        for index in 0..<5 {
            let frequency = min(formants[index], nyquistGuard)
            cascade[index].set(frequencyHz: frequency, bandwidthHz: bandwidths[index], sampleRateHz: rate)
        }
        nasalZero.set(frequencyHz: frame.nasalZeroHz, bandwidthHz: 100, sampleRateHz: rate)
        // Parallel F2-F6 for frication; F6 sits at 4900 Hz scaled, kept under Nyquist.
        let parallelFrequencies = [formants[1], formants[2], formants[3], formants[4], 4900 * formants[3] / 3300]
        let parallelBandwidths: [Float] = [bandwidths[1] + 100, bandwidths[2] + 150, 300, 400, 800]
        for index in 0..<5 {
            parallel[index].set(
                frequencyHz: min(parallelFrequencies[index], nyquistGuard), bandwidthHz: parallelBandwidths[index],
                sampleRateHz: rate)
        }
    }

    private mutating func startPeriod(pitchHz: Float) {
        let rate = Float(sampleRateHz)
        flutterPhase += 1
        let flutter = 1 + 0.006 * (sinf(flutterPhase * 0.071) + sinf(flutterPhase * 0.023))
        let jitter = 1 + Float(voice.jitter) * noise() * 0.7
        periodLength = max(rate / max(pitchHz * flutter * jitter, 40), 2)
        openLength = periodLength * Float(voice.openQuotient)
        periodGain = 1 + Float(voice.shimmer) * noise() * 0.7
        periodPosition = 0
    }

    private mutating func render(_ frame: SynthesisFrame, into output: inout [Float]) {
        configure(frame)
        let count = sampleCount(frame: frameIndex)
        frameIndex += 1
        let from = previous
        previous = frame
        let step = 1 / Float(count)
        let breath = Float(voice.breathiness)
        let useParallel = frame.frication > 0 || from.frication > 0
        let parallelGains = (
            frame.parallel.0, -frame.parallel.1, frame.parallel.2, -frame.parallel.3,
            frame.parallel.4, -frame.parallel.5
        )
        output.reserveCapacity(output.count + count)
        // The hot loop works on local copies (no array bounds or uniqueness checks per sample).
        var (r1, r2, r3, r4, r5) = (cascade[0], cascade[1], cascade[2], cascade[3], cascade[4])
        var (p2, p3, p4, p5, p6) = (parallel[0], parallel[1], parallel[2], parallel[3], parallel[4])
        var (pole, zero) = (nasalPole, nasalZero)
        defer {
            cascade = [r1, r2, r3, r4, r5]
            parallel = [p2, p3, p4, p5, p6]
            (nasalPole, nasalZero) = (pole, zero)
        }
        for sample in 0..<count {
            let t = Float(sample) * step
            let voicing = from.voicing + (frame.voicing - from.voicing) * t
            let aspiration = from.aspiration + (frame.aspiration - from.aspiration) * t
            let pitch = frame.pitchHz > 0 ? frame.pitchHz : from.pitchHz
            // Glottal source: KLGLOTT88 flow derivative, peak magnitude 1 at closure.
            if periodPosition >= periodLength { startPeriod(pitchHz: pitch > 0 ? pitch : 100) }
            var glottal: Float = 0
            var open: Float = 0.5
            if periodPosition < openLength {
                let x = periodPosition / openLength
                glottal = (2 * x - 3 * x * x) * periodGain * 0.6
                open = 1
            }
            periodPosition += 1
            tiltState = glottal + tilt * (tiltState - glottal)
            let white = noise()
            noiseLow = 0.5 * (white + noiseLow)
            var source = tiltState * voicing
            // Aspiration is flat noise (it is not tilted like the glottal pulse); breath rides on voicing.
            source += (white - noiseLow) * 0.5 * aspiration + noiseLow * voicing * breath * 0.08 * open
            var x = zero.step(source)
            x = pole.step(x)
            x = r5.step(x)
            x = r4.step(x)
            x = r3.step(x)
            x = r2.step(x)
            x = r1.step(x)
            var value = x * 3
            if useParallel {
                let frication = white * 0.5
                value += p2.step(frication) * parallelGains.0 + p3.step(frication) * parallelGains.1
                value += p4.step(frication) * parallelGains.2 + p5.step(frication) * parallelGains.3
                value += p6.step(frication) * parallelGains.4 + frication * parallelGains.5
            }
            output.append(max(-1, min(1, value * Self.outputGain)))
        }
    }
}
