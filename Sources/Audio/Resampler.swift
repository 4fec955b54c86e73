import Foundation
import TutorCore

/// Converts mono audio from one sample rate to another with a polyphase windowed-sinc filter (Kaiser window).
///
///     var resampler = Resampler(inputRateHz: 48_000, outputRateHz: 16_000)
///     var speech: [Float] = []
///     resampler.process(chunk, into: &speech)   // as chunks arrive, any size
///     resampler.flush(into: &speech)            // at the end of the stream
///
/// Any pair of positive integer rates works: with g = gcd(in, out), the output runs at out/g phases per in/g input
/// samples. Output sample k lies at input time k * in / out exactly, so there is no delay to compensate; the
/// streaming path holds back only the look-ahead its filter needs. Fed in chunks of any size and flushed, it emits
/// bit for bit what `resample(_:to:options:)` returns for the whole signal. A resampler is a value owned by one
/// thread; it allocates only when its history buffer grows.
public struct Resampler: Stage {
    /// Filter design settings; the defaults suit speech at 16 kHz from any common device rate.
    public struct Options: Sendable, Equatable {
        /// How far aliases and images are pushed down, in decibels. 80 dB puts them near a 16-bit recording's
        /// own noise floor.
        public var stopbandAttenuationDecibels: Double = 80
        /// Where the flat passband ends, as a fraction of the lower rate's Nyquist frequency; the stopband starts
        /// at that Nyquist frequency itself, so nothing above it folds back. 0.9 keeps speech up to 7.2 kHz at
        /// 16 kHz.
        public var passbandEdgeFraction: Double = 0.9
        /// Filter taps per phase, i.e. input samples read for each output sample. nil (the default) takes as many
        /// as Kaiser's formula needs for the attenuation over the transition band above: 302 for 48 -> 16 kHz,
        /// 278 for 44.1 -> 16 kHz, 102 for 8 -> 16 kHz. A fixed even number trades a wider transition band (the
        /// passband edge moves down) for speed.
        public var tapsPerPhase: Int?

        /// Creates options; every argument defaults to the documented value.
        public init(
            stopbandAttenuationDecibels: Double = 80, passbandEdgeFraction: Double = 0.9, tapsPerPhase: Int? = nil
        ) {
            self.stopbandAttenuationDecibels = stopbandAttenuationDecibels
            self.passbandEdgeFraction = passbandEdgeFraction
            self.tapsPerPhase = tapsPerPhase
        }

        /// 80 dB stopband, passband to 0.9 of the lower Nyquist frequency, length from Kaiser's formula.
        public static let `default` = Options()
    }

    /// The rate of the samples fed in.
    public let inputRateHz: Int
    /// The rate of the samples emitted.
    public let outputRateHz: Int
    /// Output phases per cycle: outputRateHz / gcd.
    let upFactor: Int
    /// Input samples per cycle: inputRateHz / gcd.
    let downFactor: Int
    /// Taps per phase (even), in input samples.
    let tapsPerPhase: Int
    /// The windowed sinc's cutoff, in cycles per input sample (0.5 is the input's Nyquist frequency).
    let cutoffCyclesPerSample: Double
    /// Kaiser window shape parameter derived from the stopband attenuation.
    let kaiserBeta: Double
    /// (upFactor, tapsPerPhase): phase p's taps, contiguous, in the order they meet the history buffer.
    /// Shared copy-on-write between copies of a resampler; never mutated after init.
    let taps: [Float]

    /// Input samples from absolute index `historyStart` on; starts with `tapsPerPhase / 2 - 1` zeros standing for
    /// the silence before the first sample.
    private var history: [Float] = []
    private var historyStart = 0
    /// Absolute input index at or just before the next output's time, and that time's fraction in 1/upFactor.
    private var nextBase = 0
    private var nextPhase = 0
    private var inputCount = 0
    private var outputCount = 0

    /// Designs the filter for a conversion. Rates must be positive (callers check rates read from files first).
    ///
    /// The filter holds outputRateHz / gcd phases of `tapsPerPhase` taps: 1 x 302 for 48 -> 16 kHz, 160 x 278 for
    /// 44.1 -> 16 kHz, but 16,000 x 278 (18 MB, 0.25 s to design in a release build) for a rate pair as coprime as
    /// 44,101 -> 16,000 Hz.
    public init(inputRateHz: Int, outputRateHz: Int, options: Options = .default) {
        precondition(inputRateHz > 0 && outputRateHz > 0, "Resampler rates must be positive")
        self.inputRateHz = inputRateHz
        self.outputRateHz = outputRateHz
        let divisor = Self.greatestCommonDivisor(inputRateHz, outputRateHz)
        upFactor = outputRateHz / divisor
        downFactor = inputRateHz / divisor

        let attenuation = max(options.stopbandAttenuationDecibels, 0)
        kaiserBeta = Self.kaiserBeta(attenuationDecibels: attenuation)
        // Frequencies in cycles per input sample; both band edges sit at or below the lower rate's Nyquist.
        let lowerNyquist = 0.5 * Double(min(inputRateHz, outputRateHz)) / Double(inputRateHz)
        let stopbandEdge = lowerNyquist
        let passbandEdge = lowerNyquist * min(max(options.passbandEdgeFraction, 0.01), 0.999)
        // Kaiser's estimate of the length a transition band of this width needs: (A - 7.95) / (14.36 * width).
        let kaiserSpan = { (width: Double) in max(attenuation - 7.95, 1) / (14.36 * width) }
        if upFactor == downFactor {
            tapsPerPhase = 0
            cutoffCyclesPerSample = 0.5
        } else if let fixed = options.tapsPerPhase {
            tapsPerPhase = max(2, fixed + fixed % 2)
            let width = min(max(attenuation - 7.95, 1) / (14.36 * Double(tapsPerPhase)), stopbandEdge)
            cutoffCyclesPerSample = stopbandEdge - width / 2
        } else {
            let span = Int(kaiserSpan(stopbandEdge - passbandEdge).rounded(.up))
            tapsPerPhase = max(2, span + span % 2)
            cutoffCyclesPerSample = (passbandEdge + stopbandEdge) / 2
        }
        taps = Self.designTaps(
            phases: upFactor, tapsPerPhase: tapsPerPhase, cutoff: cutoffCyclesPerSample, beta: kaiserBeta)
        reset()
    }

    /// Forgets all input, ready for a new stream.
    public mutating func reset() {
        history.removeAll(keepingCapacity: true)
        let leadingSilence = max(tapsPerPhase / 2 - 1, 0)
        history.append(contentsOf: repeatElement(0, count: leadingSilence))
        historyStart = -leadingSilence
        nextBase = 0
        nextPhase = 0
        inputCount = 0
        outputCount = 0
    }

    /// Appends every output sample whose filter window the input received so far covers.
    public mutating func process(_ input: [Float], into output: inout [Float]) {
        inputCount += input.count
        if upFactor == downFactor {
            output.append(contentsOf: input)
            outputCount += input.count
            return
        }
        history.append(contentsOf: input)
        emitReady(into: &output, limit: Int.max)
        // Drop input that no future output reads; what stays is about one filter length.
        let firstNeeded = nextBase - (tapsPerPhase / 2 - 1)
        if firstNeeded > historyStart {
            history.removeFirst(firstNeeded - historyStart)
            historyStart = firstNeeded
        }
    }

    /// Emits the tail, as if silence followed, so that the stream's output length is
    /// round(inputCount * outputRateHz / inputRateHz) (halves round up), then starts afresh.
    public mutating func flush(into output: inout [Float]) {
        if upFactor != downFactor {
            let total = (2 * inputCount * upFactor + downFactor) / (2 * downFactor)
            // The last output's time is below inputCount, so half a filter of silence covers every window.
            history.append(contentsOf: repeatElement(0, count: tapsPerPhase / 2))
            emitReady(into: &output, limit: total)
        }
        reset()
    }

    /// Resamples a whole signal at once; output sample k is aligned with input time k / outputRateHz.
    public static func resample(_ audio: MonoAudio, to outputRateHz: Int, options: Options = .default) -> MonoAudio {
        if audio.sampleRateHz == outputRateHz { return audio }
        var resampler = Resampler(inputRateHz: audio.sampleRateHz, outputRateHz: outputRateHz, options: options)
        var samples: [Float] = []
        samples.reserveCapacity(
            Int(Double(audio.samples.count) * Double(outputRateHz) / Double(audio.sampleRateHz)) + 1)
        // The one-shot path is the streaming path fed once, which is what makes the two agree bit for bit.
        resampler.process(audio.samples, into: &samples)
        resampler.flush(into: &samples)
        return MonoAudio(samples: samples, sampleRateHz: outputRateHz)
    }

    /// The hot spot: one dot product of `tapsPerPhase` taps per output sample.
    private mutating func emitReady(into output: inout [Float], limit: Int) {
        let halfTaps = tapsPerPhase / 2
        let historyEnd = historyStart + history.count
        var base = nextBase
        var phase = nextPhase
        var produced = outputCount
        let tapCount = tapsPerPhase
        let up = upFactor
        let down = downFactor
        let start = historyStart
        history.withUnsafeBufferPointer { samples in
            taps.withUnsafeBufferPointer { allTaps in
                // Output k reads inputs base - halfTaps + 1 ... base + halfTaps.
                while produced < limit && base + halfTaps < historyEnd {
                    let window = samples.baseAddress! + (base - (halfTaps - 1) - start)
                    let phaseTaps = allTaps.baseAddress! + phase * tapCount
                    // The fixed summation order keeps streaming output equal to one-shot output, bit for bit.
                    output.append(unrolledDot(window, phaseTaps, tapCount))
                    produced += 1
                    phase += down
                    base += phase / up
                    phase %= up
                }
            }
        }
        nextBase = base
        nextPhase = phase
        outputCount = produced
    }

    /// Tap i of phase p weighs the input at distance p / phases + halfTaps - 1 - i before the output's time.
    /// Each phase is scaled to sum to one so that silence stays silence and a constant stays exactly constant.
    static func designTaps(phases: Int, tapsPerPhase: Int, cutoff: Double, beta: Double) -> [Float] {
        guard tapsPerPhase > 0 else { return [] }
        let halfTaps = tapsPerPhase / 2
        let windowNormalizer = besselI0(beta)
        var taps = [Float](repeating: 0, count: phases * tapsPerPhase)
        var phaseTaps = [Double](repeating: 0, count: tapsPerPhase)
        for phase in 0..<phases {
            var sum = 0.0
            for index in 0..<tapsPerPhase {
                let distance = Double(phase) / Double(phases) + Double(halfTaps - 1 - index)
                let relative = distance / Double(halfTaps)
                let window = abs(relative) <= 1 ? besselI0(beta * (1 - relative * relative).squareRoot()) : 0
                let argument = 2 * cutoff * distance
                let sinc = argument == 0 ? 1 : sin(Double.pi * argument) / (Double.pi * argument)
                phaseTaps[index] = 2 * cutoff * sinc * window / windowNormalizer
                sum += phaseTaps[index]
            }
            for index in 0..<tapsPerPhase { taps[phase * tapsPerPhase + index] = Float(phaseTaps[index] / sum) }
        }
        return taps
    }

    /// Kaiser's empirical beta for a stopband attenuation in decibels.
    static func kaiserBeta(attenuationDecibels a: Double) -> Double {
        if a > 50 { return 0.1102 * (a - 8.7) }
        if a >= 21 { return 0.5842 * pow(a - 21, 0.4) + 0.07886 * (a - 21) }
        return 0
    }

    /// The zeroth-order modified Bessel function of the first kind, by its power series.
    static func besselI0(_ x: Double) -> Double {
        var sum = 1.0
        var term = 1.0
        let quarterSquare = x * x / 4
        var k = 1.0
        while term > sum * 1e-17 {
            term *= quarterSquare / (k * k)
            sum += term
            k += 1
        }
        return sum
    }

    private static func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }
}
