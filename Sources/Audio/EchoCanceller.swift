/// Takes the box's own voice out of the microphone signal, so that what is left is the room: the child.
///
///     var canceller = EchoCanceller()
///     // reference: what the speaker played, aligned so that reference[k + taps - 1] was played with microphone[k]
///     // (minus the echo's bulk delay, which `EchoCanceller.estimateDelay` finds)
///     let window = canceller.process(microphone: mic, reference: ref, into: &residual)
///
/// A normalized-LMS adaptive filter of `taps` coefficients models the path from the speaker to the microphone
/// (the speaker's colouring, the room's first reflections). Its output, the echo estimate, is subtracted from the
/// microphone. The filter adapts only while the microphone looks like echo alone: a Geigel double-talk detector
/// stops it when a microphone sample is louder than `doubleTalkRatio` of the loudest reference sample the filter
/// spans (the child talking would otherwise pull the filter away from the room), and the caller can hold it too.
///
/// A value owned by one thread. It allocates only when `residual` grows.
public struct EchoCanceller: Sendable {
    /// Filter settings; the defaults suit 16 kHz speech from a small loudspeaker a hand's breadth to a metre away.
    public struct Options: Sendable, Equatable {
        /// Filter length in samples: 512 is 32 ms at 16 kHz, the direct path and the first reflections once the
        /// bulk delay is taken out.
        public var taps = 512
        /// The NLMS step, 0 to 2; 0.5 converges in a few hundred milliseconds of speech and stays stable.
        public var stepSize: Float = 0.5
        /// Geigel's threshold: a microphone sample above this fraction of the loudest reference sample in the
        /// filter's span is taken for the near end talking, and the filter holds. 0.5 assumes the echo arrives at
        /// least 6 dB down, as it does from a speaker that is not pressed against the microphone.
        public var doubleTalkRatio: Float = 0.5
        /// Once double talk is seen, the filter holds this many samples more (30 ms): speech crosses zero often,
        /// and the quiet samples between the near end's peaks would otherwise still move the filter.
        public var doubleTalkHangoverSamples = 480
        /// Added to the reference energy in the step's denominator, so silence does not blow the step up.
        public var regularization: Float = 1e-4

        /// The defaults above.
        public init() {}
    }

    /// Powers of one processed block, mean square per sample.
    public struct BlockPowers: Sendable, Equatable {
        /// The microphone as captured.
        public var microphone: Float
        /// The filter's estimate of the echo in it.
        public var echo: Float
        /// The microphone with the estimate taken out.
        public var residual: Float
        /// Samples at which the double-talk detector held the filter.
        public var heldSamples: Int

        /// Powers as measured.
        public init(microphone: Float, echo: Float, residual: Float, heldSamples: Int) {
            self.microphone = microphone
            self.echo = echo
            self.residual = residual
            self.heldSamples = heldSamples
        }
    }

    /// The options, fixed at creation.
    public let options: Options
    /// The filter, newest reference sample first.
    public private(set) var coefficients: [Float]
    private var holdRemaining = 0  // samples the double-talk hangover still holds the filter

    /// A canceller with a zero filter: until it adapts, the residual is the microphone.
    public init(options: Options = Options()) {
        precondition(options.taps > 0, "an echo canceller needs at least one tap")
        self.options = options
        coefficients = [Float](repeating: 0, count: options.taps)
    }

    /// Forgets the room (a new speaker position, or a new bulk delay).
    public mutating func reset() {
        for index in coefficients.indices { coefficients[index] = 0 }
        holdRemaining = 0
    }

    /// Starts the filter from a single path: the echo arrives `tap` samples after the newest reference sample the
    /// filter sees, scaled by `gain` (from `estimateDelay`). Adaptation then only has the room's colouring to learn.
    public mutating func start(tap: Int, gain: Float) {
        reset()
        if coefficients.indices.contains(tap) { coefficients[tap] = gain }
    }

    /// Cancels the echo in `microphone`; `residual` is overwritten with the result.
    ///
    /// `reference` holds `microphone.count + taps - 1` samples: sample `k + taps - 1` is the one played (after the
    /// bulk delay) with microphone sample `k`, and the `taps - 1` before it are its history. With `adapt` false
    /// the filter only cancels (the caller knows the child is talking).
    @discardableResult
    public mutating func process(
        microphone: UnsafeBufferPointer<Float>, reference: UnsafeBufferPointer<Float>, adapt: Bool = true,
        into residual: inout [Float]
    ) -> BlockPowers {
        let taps = options.taps
        let count = microphone.count
        precondition(reference.count == count + taps - 1, "the reference must cover the block and the filter's span")
        if residual.count != count { residual = [Float](repeating: 0, count: count) }
        var loudest: Float = 0
        for sample in reference { loudest = max(loudest, abs(sample)) }
        var energy: Float = 0  // of the reference samples under the filter for the current output sample
        for index in 0..<(taps - 1) { energy += reference[index] * reference[index] }
        var powers = BlockPowers(microphone: 0, echo: 0, residual: 0, heldSamples: 0)
        coefficients.withUnsafeMutableBufferPointer { filter in
            residual.withUnsafeMutableBufferPointer { out in
                for k in 0..<count {
                    let newest = k + taps - 1
                    energy += reference[newest] * reference[newest]
                    // filter[j] weighs reference[newest - j].
                    var estimate: Float = 0
                    for j in 0..<taps { estimate += filter[j] * reference[newest - j] }
                    let error = microphone[k] - estimate
                    out[k] = error
                    powers.microphone += microphone[k] * microphone[k]
                    powers.echo += estimate * estimate
                    powers.residual += error * error
                    if abs(microphone[k]) > options.doubleTalkRatio * loudest {
                        holdRemaining = options.doubleTalkHangoverSamples
                    }
                    let doubleTalk = holdRemaining > 0
                    if doubleTalk {
                        powers.heldSamples += 1
                        holdRemaining -= 1
                    }
                    if adapt && !doubleTalk && loudest > 0 {
                        let step = options.stepSize * error / (energy + options.regularization)
                        for j in 0..<taps { filter[j] += step * reference[newest - j] }
                    }
                    energy = max(0, energy - reference[k] * reference[k])
                }
            }
        }
        let scale = 1 / Float(max(count, 1))
        powers.microphone *= scale
        powers.echo *= scale
        powers.residual *= scale
        return powers
    }

    /// The lag, in samples within `0...maximumLag`, at which `reference` best explains `microphone` (the echo's
    /// bulk delay), and the least-squares gain at that lag. `reference` covers `microphone.count + maximumLag`
    /// samples, so that sample `k + maximumLag - lag` is the one heard at microphone sample `k` when the lag is
    /// `lag`.
    ///
    /// Normalized cross-correlation, first on 4 ms energy envelopes over every lag, then on the samples within one
    /// envelope step of the best. nil when the reference is too quiet or nothing correlates (score under
    /// `minimumCorrelation`).
    public static func estimateDelay(
        microphone: [Float], reference: [Float], maximumLag: Int, minimumCorrelation: Float = 0.3
    ) -> (lag: Int, gain: Float)? {
        let count = microphone.count
        precondition(reference.count == count + maximumLag, "the reference must cover the block and every lag")
        guard count > 0 else { return nil }
        let step = 64
        let frames = count / step
        guard frames >= 8 else { return nil }
        func envelope(_ signal: [Float], from start: Int, frames: Int) -> [Float] {
            (0..<frames).map { frame in
                var sum: Float = 0
                for index in (start + frame * step)..<(start + frame * step + step) { sum += signal[index] * signal[index] }
                return sum.squareRoot()
            }
        }
        let micEnvelope = envelope(microphone, from: 0, frames: frames)
        let refEnvelope = envelope(reference, from: 0, frames: frames + maximumLag / step)
        var coarseBest = (lag: 0, score: -Float.infinity)
        for lagSteps in 0...(maximumLag / step) {
            // Reference frame f + maximumLag/step - lagSteps goes with microphone frame f.
            let offset = maximumLag / step - lagSteps
            let score = correlation(micEnvelope, refEnvelope, offset: offset, count: frames)
            if score > coarseBest.score { coarseBest = (lagSteps * step, score) }
        }
        guard coarseBest.score >= minimumCorrelation else { return nil }
        var fineBest = (lag: coarseBest.lag, score: -Float.infinity)
        for lag in max(0, coarseBest.lag - step)...min(maximumLag, coarseBest.lag + step) {
            let score = correlation(microphone, reference, offset: maximumLag - lag, count: count)
            if score > fineBest.score { fineBest = (lag, score) }
        }
        var cross: Float = 0
        var power: Float = 0
        for index in 0..<count {
            let played = reference[maximumLag - fineBest.lag + index]
            cross += microphone[index] * played
            power += played * played
        }
        return (fineBest.lag, power > 0 ? cross / power : 0)
    }

    /// Pearson correlation of `a[0..<count]` with `b[offset..<offset + count]`.
    private static func correlation(_ a: [Float], _ b: [Float], offset: Int, count: Int) -> Float {
        var sumA: Float = 0
        var sumB: Float = 0
        for index in 0..<count {
            sumA += a[index]
            sumB += b[offset + index]
        }
        let meanA = sumA / Float(count)
        let meanB = sumB / Float(count)
        var cross: Float = 0
        var powerA: Float = 0
        var powerB: Float = 0
        for index in 0..<count {
            let x = a[index] - meanA
            let y = b[offset + index] - meanB
            cross += x * y
            powerA += x * x
            powerB += y * y
        }
        let denominator = (powerA * powerB).squareRoot()
        return denominator > 0 ? cross / denominator : 0
    }
}
