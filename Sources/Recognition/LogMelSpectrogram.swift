import Foundation

/// Options for the log-mel front end.
public struct LogMelOptions: Sendable, Equatable {
    /// Zero-pad the signal at its end up to this many samples before framing (never trims); nil runs over the audio
    /// present only. Whisper's `transcribe` appends 30 s of zeros; 480,000 reproduces one 30-second window.
    public var padToSampleCount: Int? = nil

    /// Over the audio present only: a 4-second question gives 400 frames, not 3,000.
    public static let `default` = LogMelOptions()
    /// One 30-second window as openai-whisper's `log_mel_spectrogram(pad_or_trim(audio))` sees it (for comparison).
    public static let thirtySecondWindow = LogMelOptions(padToSampleCount: 480_000)

    /// Options padding to `padToSampleCount` samples (nil: no padding).
    public init(padToSampleCount: Int? = nil) {
        self.padToSampleCount = padToSampleCount
    }
}

/// A log-mel spectrogram: `melCount` rows of `frameCount` values, normalized as Whisper does.
public struct LogMelSpectrogram: Sendable, Equatable {
    /// The number of mel bins (rows).
    public let melCount: Int
    /// The number of 10 ms frames (columns).
    public let frameCount: Int
    /// The values, mel-major as Whisper's encoder reads them. // (melCount, frameCount)
    public var values: [Float]

    /// The value of mel bin `mel` at frame `frame`.
    public subscript(mel mel: Int, frame frame: Int) -> Float {
        values[mel * frameCount + frame]
    }
}

/// Whisper's log-mel front end: 16 kHz audio to 80 log-mel bins every 10 ms.
///
/// ```swift
/// let frontEnd = LogMelFrontEnd()                          // Whisper's 80 Slaney filters
/// let mel = frontEnd.spectrogram(of: samples)              // samples: 16 kHz mono Float in -1...1
/// print(mel.frameCount)                                    // samples.count / 160
/// ```
///
/// The definition (openai-whisper `audio.py`): a periodic 400-sample Hann window; the signal reflect-padded by 200
/// samples at both ends (torch.stft `center=True`); frames every 160 samples; the power `|STFT|^2` of bins 0...200;
/// the last frame dropped, so `floor(samples / 160)` frames remain; mel power = filters x power; `log10(max(x,
/// 1e-10))`; clamped below at (the largest value - 8); then `(x + 4) / 4`. Signals of 200 samples or fewer are
/// reflected repeatedly (torch refuses them); NaN and infinite samples count as silence. Two frames share one
/// complex FFT (one as the real part, one as the imaginary part) and each filter touches only its nonzero bins. A
/// front end is immutable and may be shared.
public struct LogMelFrontEnd: Sendable {
    /// The FFT and window length in samples (400: 25 ms at 16 kHz).
    public static let fftSize = 400
    /// The hop between frames in samples (160: 10 ms at 16 kHz).
    public static let hopSize = 160
    /// The sample rate the definition assumes.
    public static let sampleRateHz = 16_000
    /// The dynamic range kept below the loudest bin, in log10 units (8: 80 dB).
    public static let dynamicRangeLog10: Float = 8

    /// The filters applied to each power spectrum.
    public let filters: MelFilterBank
    private let sparseFilters: [(first: Int, weights: [Float])]
    private let window: [Float]
    private let fft: ComplexFFT

    /// A front end with `filters` (by default Whisper's 80 Slaney filters, computed).
    public init(filters: MelFilterBank = .whisper) {
        precondition(filters.frequencyCount == Self.fftSize / 2 + 1, "filters must span \(Self.fftSize / 2 + 1) bins")
        self.filters = filters
        sparseFilters = filters.sparseRows()
        // Periodic Hann (torch.hann_window(400)): 0.5 - 0.5 cos(2 pi n / N), N = 400, not N - 1.
        window = (0..<Self.fftSize).map {
            Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(Self.fftSize)))
        }
        fft = ComplexFFT(count: Self.fftSize)
    }

    /// The number of frames for `sampleCount` samples: one every 160, the final partial frame dropped.
    public static func frameCount(sampleCount: Int) -> Int { sampleCount / hopSize }

    /// The log-mel spectrogram of 16 kHz mono `samples`.
    public func spectrogram(of samples: [Float], options: LogMelOptions = .default) -> LogMelSpectrogram {
        // NaN or infinity (a broken driver or file) would poison the maximum and with it every value: read as 0.
        var signal = samples.allSatisfy(\.isFinite) ? samples : samples.map { $0.isFinite ? $0 : 0 }
        if let target = options.padToSampleCount, target > signal.count {
            signal.append(contentsOf: repeatElement(0, count: target - signal.count))
        }
        let melCount = filters.melCount
        let frameCount = Self.frameCount(sampleCount: signal.count)
        if frameCount == 0 {
            return LogMelSpectrogram(melCount: melCount, frameCount: 0, values: [])
        }
        // Filled frame by frame (contiguous writes), transposed to mel-major at the end.
        var framePower = [Float](repeating: 0, count: frameCount * melCount)  // (frameCount, melCount)
        let padded = Self.reflectPadded(signal, by: Self.fftSize / 2)
        let n = Self.fftSize
        let binCount = n / 2 + 1
        var real = [Float](repeating: 0, count: n)
        var imaginary = [Float](repeating: 0, count: n)
        var scratchReal = [Float](repeating: 0, count: n)
        var scratchImaginary = [Float](repeating: 0, count: n)
        var powerA = [Float](repeating: 0, count: binCount)
        var powerB = [Float](repeating: 0, count: binCount)
        var frame = 0
        while frame < frameCount {
            let hasSecond = frame + 1 < frameCount
            let startA = frame * Self.hopSize
            let startB = startA + Self.hopSize
            padded.withUnsafeBufferPointer { padded in
                window.withUnsafeBufferPointer { window in
                    for index in 0..<n {
                        real[index] = padded[startA + index] * window[index]
                        imaginary[index] = hasSecond ? padded[startB + index] * window[index] : 0
                    }
                }
            }
            fft.transform(
                real: &real, imaginary: &imaginary, scratchReal: &scratchReal, scratchImaginary: &scratchImaginary)
            // Z = A + iB with A, B real: A[k] = (Z[k] + conj Z[N-k]) / 2, B[k] = (Z[k] - conj Z[N-k]) / 2i.
            for k in 0..<binCount {
                let mirror = (n - k) % n
                let (zr, zi, cr, ci) = (real[k], imaginary[k], real[mirror], -imaginary[mirror])
                let (ar, ai) = (zr + cr, zi + ci)
                let (br, bi) = (zr - cr, zi - ci)
                powerA[k] = (ar * ar + ai * ai) * 0.25
                powerB[k] = (br * br + bi * bi) * 0.25
            }
            applyFilters(powerA, into: &framePower, at: frame * melCount)
            if hasSecond { applyFilters(powerB, into: &framePower, at: (frame + 1) * melCount) }
            frame += 2
        }
        var largest = -Float.infinity
        for index in framePower.indices {
            let value = log10(max(framePower[index], 1e-10))
            framePower[index] = value
            largest = max(largest, value)
        }
        let floor = largest - Self.dynamicRangeLog10
        var values = [Float](repeating: 0, count: melCount * frameCount)  // (melCount, frameCount)
        for frame in 0..<frameCount {
            for mel in 0..<melCount {
                values[mel * frameCount + frame] = (max(framePower[frame * melCount + mel], floor) + 4) / 4
            }
        }
        return LogMelSpectrogram(melCount: melCount, frameCount: frameCount, values: values)
    }

    private func applyFilters(_ power: [Float], into framePower: inout [Float], at start: Int) {
        power.withUnsafeBufferPointer { power in
            framePower.withUnsafeMutableBufferPointer { output in
                for (mel, filter) in sparseFilters.enumerated() {
                    var sum: Float = 0
                    filter.weights.withUnsafeBufferPointer { weights in
                        for offset in 0..<weights.count {
                            sum += weights[offset] * power[filter.first + offset]
                        }
                    }
                    output[start + mel] = sum
                }
            }
        }
    }

    /// `signal` with `amount` samples reflected (without repeating the edge sample) onto both ends.
    static func reflectPadded(_ signal: [Float], by amount: Int) -> [Float] {
        let count = signal.count
        if count == 0 { return [Float](repeating: 0, count: 2 * amount) }
        if count == 1 { return [Float](repeating: signal[0], count: 2 * amount + 1) }
        let period = 2 * (count - 1)
        return (-amount..<(count + amount)).map { position in
            var index = position % period
            if index < 0 { index += period }
            if index >= count { index = period - index }
            return signal[index]
        }
    }
}
