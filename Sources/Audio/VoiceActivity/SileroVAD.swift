import Foundation
import TutorCore

/// Silero VAD v6 at 16 kHz in plain Swift: a speech probability for each 32 ms window.
///
/// ```swift
/// var vad = SileroVAD(weights: try SileroVADWeights.load())
/// let probabilities = vad.speechProbabilities(question.samples)  // one per 512 samples
/// ```
///
/// Per window, as the reference (silero-vad's `tinygrad_model.py` and `OnnxWrapper`) computes it: the last 64
/// samples of the previous window (zeros at first) are put before the 512 new ones; 64 samples are added on the
/// right by reflection; a 256-point STFT with hop 128 is a convolution with 258 basis rows, giving 4 frames of 129
/// magnitudes; four convolutions with ReLU bring them to one 128-vector; an LSTM cell whose state is carried across
/// windows, ReLU, a 1x1 convolution and a sigmoid give the probability. A detector is not thread-safe; the weights
/// it holds may be shared.
public struct SileroVAD: VoiceActivityDetecting {
    /// Samples per window.
    public static let windowSamples = 512
    /// Samples of the previous window put before each new one.
    public static let contextSamples = 64
    static let reflectSamples = 64
    static let fftSize = 256
    static let hopSamples = 128
    static let frequencyBins = 129  // fftSize / 2 + 1
    static let frames = 4  // (64 + 512 + 64 - 256) / 128 + 1
    static let hiddenSize = 128

    /// The weights, shared between detectors.
    public let weights: SileroVADWeights

    /// Samples per window (512).
    public var windowSampleCount: Int { Self.windowSamples }

    private var context: [Float]  // (64) the previous window's last samples
    private var hidden: [Float]  // (128) LSTM h
    private var cell: [Float]  // (128) LSTM c
    private var scratch: Scratch

    /// Buffers reused from window to window so the real-time path does not allocate.
    private struct Scratch {
        var input = [Float](repeating: 0, count: contextSamples + windowSamples + reflectSamples)  // (640)
        var spectrum = [Float](repeating: 0, count: frequencyBins * frames)  // (4, 129)
        var conv1 = [Float](repeating: 0, count: 128 * 4)  // (4, 128)
        var conv2 = [Float](repeating: 0, count: 64 * 2)  // (2, 64)
        var conv3 = [Float](repeating: 0, count: 64 * 1)  // (64, 1)
        var conv4 = [Float](repeating: 0, count: 128 * 1)  // (128, 1)
        var gates = [Float](repeating: 0, count: 4 * hiddenSize)  // (512) i, f, g, o
    }

    /// A detector with fresh state over `weights`.
    public init(weights: SileroVADWeights) {
        self.weights = weights
        context = [Float](repeating: 0, count: Self.contextSamples)
        hidden = [Float](repeating: 0, count: Self.hiddenSize)
        cell = [Float](repeating: 0, count: Self.hiddenSize)
        scratch = Scratch()
    }

    /// Forgets the context samples and the LSTM state.
    public mutating func reset() {
        for index in context.indices { context[index] = 0 }
        for index in hidden.indices {
            hidden[index] = 0
            cell[index] = 0
        }
    }

    /// The speech probability of the next 512 samples (fewer are zero-padded, more are cut).
    public mutating func speechProbability(_ window: UnsafeBufferPointer<Float>) -> Float {
        let weights = self.weights
        // input (640) = context (64) + window (512) + reflection (64): input[574], input[573], ..., input[511]
        let count = min(window.count, Self.windowSamples)
        let total = Self.contextSamples + Self.windowSamples
        for index in 0..<Self.contextSamples { scratch.input[index] = context[index] }
        for index in 0..<count { scratch.input[Self.contextSamples + index] = window[index] }
        for index in (Self.contextSamples + count)..<total { scratch.input[index] = 0 }
        for index in 0..<Self.reflectSamples { scratch.input[total + index] = scratch.input[total - 2 - index] }
        for index in 0..<Self.contextSamples { context[index] = scratch.input[total - Self.contextSamples + index] }

        Self.magnitudeSpectrum(basis: weights.stft, input: scratch.input, into: &scratch.spectrum)
        Self.convolveReLU(
            scratch.spectrum, channels: Self.frequencyBins, frames: 4, weight: weights.conv1Weight,
            bias: weights.conv1Bias, outputChannels: 128, stride: 1, into: &scratch.conv1)
        Self.convolveReLU(
            scratch.conv1, channels: 128, frames: 4, weight: weights.conv2Weight, bias: weights.conv2Bias,
            outputChannels: 64, stride: 2, into: &scratch.conv2)
        Self.convolveReLU(
            scratch.conv2, channels: 64, frames: 2, weight: weights.conv3Weight, bias: weights.conv3Bias,
            outputChannels: 64, stride: 2, into: &scratch.conv3)
        Self.convolveReLU(
            scratch.conv3, channels: 64, frames: 1, weight: weights.conv4Weight, bias: weights.conv4Bias,
            outputChannels: 128, stride: 1, into: &scratch.conv4)
        Self.lstmCell(
            input: scratch.conv4, weights: weights, hidden: &hidden, cell: &cell, gates: &scratch.gates)

        var logit = weights.finalBias
        for index in 0..<Self.hiddenSize { logit += weights.finalWeight[index] * max(hidden[index], 0) }
        return Self.sigmoid(logit)
    }

    /// The STFT as a convolution: (258, 256) basis over input (640) at hop 128 -> magnitudes (4 frames, 129 bins).
    static func magnitudeSpectrum(basis: [Float], input: [Float], into spectrum: inout [Float]) {
        basis.withUnsafeBufferPointer { basis in
            input.withUnsafeBufferPointer { input in
                spectrum.withUnsafeMutableBufferPointer { spectrum in
                    for frame in 0..<frames {
                        let samples = input.baseAddress! + frame * hopSamples
                        for bin in 0..<frequencyBins {
                            let real = unrolledDot(basis.baseAddress! + bin * fftSize, samples, fftSize)
                            let imaginary = unrolledDot(
                                basis.baseAddress! + (bin + frequencyBins) * fftSize, samples, fftSize)
                            spectrum[frame * frequencyBins + bin] = (real * real + imaginary * imaginary).squareRoot()
                        }
                    }
                }
            }
        }
    }

    /// Conv1d, kernel 3, padding 1, then ReLU, frame-major: input (frames, channels), weight (out, 3, channels)
    /// -> output ((frames - 1) / stride + 1, out). Taps outside the input are the zero padding.
    static func convolveReLU(
        _ input: [Float], channels: Int, frames: Int, weight: [Float], bias: [Float], outputChannels: Int,
        stride: Int, into output: inout [Float]
    ) {
        let outputFrames = (frames - 1) / stride + 1
        input.withUnsafeBufferPointer { input in
            weight.withUnsafeBufferPointer { weight in
                output.withUnsafeMutableBufferPointer { output in
                    for frame in 0..<outputFrames {
                        let center = frame * stride
                        for out in 0..<outputChannels {
                            var sum = bias[out]
                            for tap in 0..<3 where center + tap >= 1 && center + tap - 1 < frames {
                                sum += unrolledDot(
                                    weight.baseAddress! + (out * 3 + tap) * channels,
                                    input.baseAddress! + (center + tap - 1) * channels, channels)
                            }
                            output[frame * outputChannels + out] = max(sum, 0)
                        }
                    }
                }
            }
        }
    }

    /// One PyTorch LSTMCell step: gates (512) = W_ih x + W_hh h + b in order i, f, g, o; c = f c + i g; h = o tanh c.
    static func lstmCell(
        input: [Float], weights: SileroVADWeights, hidden: inout [Float], cell: inout [Float], gates: inout [Float]
    ) {
        input.withUnsafeBufferPointer { input in
            hidden.withUnsafeBufferPointer { previous in
                weights.lstmInputWeight.withUnsafeBufferPointer { inputWeight in
                    weights.lstmHiddenWeight.withUnsafeBufferPointer { hiddenWeight in
                        for row in 0..<(4 * hiddenSize) {
                            gates[row] =
                                weights.lstmBias[row]
                                + unrolledDot(
                                    inputWeight.baseAddress! + row * hiddenSize, input.baseAddress!, hiddenSize)
                                + unrolledDot(
                                    hiddenWeight.baseAddress! + row * hiddenSize, previous.baseAddress!, hiddenSize)
                        }
                    }
                }
            }
        }
        for index in 0..<hiddenSize {
            let inputGate = sigmoid(gates[index])
            let forgetGate = sigmoid(gates[hiddenSize + index])
            let candidate = tanhf(gates[2 * hiddenSize + index])
            let outputGate = sigmoid(gates[3 * hiddenSize + index])
            cell[index] = forgetGate * cell[index] + inputGate * candidate
            hidden[index] = outputGate * tanhf(cell[index])
        }
    }

    static func sigmoid(_ x: Float) -> Float { 1 / (1 + expf(-x)) }
}

extension SileroVAD {
    /// Converts the silero-vad safetensors to GGUF (`SileroVADWeights.convert`); `tutor models convert` may call it.
    public static func convert(safetensors: URL, to gguf: URL) throws {
        try SileroVADWeights.convert(safetensors: safetensors, to: gguf)
    }

    /// A detector over the cached weights, converting them to GGUF on first use (`SileroVADWeights.load`).
    public static func load(cacheDirectory: URL = TutorPaths.cacheDirectory()) throws -> SileroVAD {
        SileroVAD(weights: try SileroVADWeights.load(cacheDirectory: cacheDirectory))
    }
}
