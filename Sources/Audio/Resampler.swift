// PLACEHOLDER: replaced by the real resampler at merge
import TutorCore

/// Converts mono audio from one sample rate to another (naive linear-interpolation placeholder).
public struct Resampler: Stage {
    /// Tuning for the resampler; the placeholder has none.
    public struct Options: Sendable, Equatable {
        /// The default options.
        public static let `default` = Options()
    }

    private let inputRateHz: Int
    private let outputRateHz: Int
    private var position: Double = 0
    private var previous: Float = 0
    private var hasPrevious = false

    /// Creates a resampler from `inputRateHz` to `outputRateHz`.
    public init(inputRateHz: Int, outputRateHz: Int, options: Options = .default) {
        self.inputRateHz = inputRateHz
        self.outputRateHz = outputRateHz
    }

    /// Consumes input samples and appends the output samples that are ready.
    public mutating func process(_ input: [Float], into output: inout [Float]) {
        if inputRateHz == outputRateHz {
            output.append(contentsOf: input)
            return
        }
        let step = Double(inputRateHz) / Double(outputRateHz)
        for sample in input {
            if !hasPrevious {
                previous = sample
                hasPrevious = true
                continue
            }
            while position < 1 {
                output.append(previous + (sample - previous) * Float(position))
                position += step
            }
            position -= 1
            previous = sample
        }
    }

    /// Emits what is still held at the end of the input.
    public mutating func flush(into output: inout [Float]) {
        if inputRateHz != outputRateHz, hasPrevious, position < 1 { output.append(previous) }
        reset()
    }

    /// Forgets everything held.
    public mutating func reset() {
        position = 0
        previous = 0
        hasPrevious = false
    }

    /// Resamples a whole clip.
    public static func resample(_ audio: MonoAudio, to outputRateHz: Int, options: Options = .default) -> MonoAudio {
        var resampler = Resampler(inputRateHz: audio.sampleRateHz, outputRateHz: outputRateHz, options: options)
        var output: [Float] = []
        resampler.process(audio.samples, into: &output)
        resampler.flush(into: &output)
        return MonoAudio(samples: output, sampleRateHz: outputRateHz)
    }
}
