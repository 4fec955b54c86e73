import Foundation
import Testing

@testable import Audio

/// The fast forward pass against a slow, obviously correct one written from the PyTorch layouts, on random weights.
///
/// The reference reads the tensors in their PyTorch shapes (conv weights (out, in, 3), activations (channels, time)),
/// pads explicitly and computes in Double. Tolerance 1e-4 on probabilities; the largest difference found was 1.8e-8.
@Suite("Silero VAD against a slow reference")
struct SileroVADReferenceTests {
    /// One network step of silero-vad's `tinygrad_model.py`, plainly. `x` is context + window (576 samples).
    struct Reference {
        let tensors: [String: [Float]]
        var hidden = [Double](repeating: 0, count: 128)
        var cell = [Double](repeating: 0, count: 128)

        func t(_ name: String, _ index: Int) -> Double { Double(tensors[name]![index]) }

        /// (in, time) -> (out, time'), weight (out, in, k) row-major, zero padding `padding` each side.
        func conv(
            _ x: [[Double]], _ name: String, out: Int, kernel: Int, stride: Int, padding: Int, bias: Bool
        )
            -> [[Double]]
        {
            let inputs = x.count
            let padded = x.map { [Double](repeating: 0, count: padding) + $0 + [Double](repeating: 0, count: padding) }
            let steps = (padded[0].count - kernel) / stride + 1
            return (0..<out).map { o in
                (0..<steps).map { step in
                    var sum = bias ? t(name.replacingOccurrences(of: "weight", with: "bias"), o) : 0
                    for i in 0..<inputs {
                        for k in 0..<kernel {
                            sum += t(name, (o * inputs + i) * kernel + k) * padded[i][step * stride + k]
                        }
                    }
                    return sum
                }
            }
        }

        mutating func step(_ x: [Float]) -> Double {
            var signal = x.map(Double.init)
            let count = signal.count
            for index in 0..<64 { signal.append(signal[count - 2 - index]) }  // reflect: x[-2], x[-3], ..., x[-65]
            let stft = conv([signal], "stft_conv.weight", out: 258, kernel: 256, stride: 128, padding: 0, bias: false)
            var y = [[Double]](repeating: [Double](repeating: 0, count: 4), count: 129)
            for bin in 0..<129 {
                for frame in 0..<4 {
                    let real: Double = stft[bin][frame]
                    let imaginary: Double = stft[bin + 129][frame]
                    y[bin][frame] = (real * real + imaginary * imaginary).squareRoot()
                }
            }
            let relu: ([[Double]]) -> [[Double]] = { $0.map { $0.map { max($0, 0) } } }
            y = relu(conv(y, "conv1.weight", out: 128, kernel: 3, stride: 1, padding: 1, bias: true))
            y = relu(conv(y, "conv2.weight", out: 64, kernel: 3, stride: 2, padding: 1, bias: true))
            y = relu(conv(y, "conv3.weight", out: 64, kernel: 3, stride: 2, padding: 1, bias: true))
            y = relu(conv(y, "conv4.weight", out: 128, kernel: 3, stride: 1, padding: 1, bias: true))
            let input = y.map { $0[0] }
            var gates = [Double](repeating: 0, count: 512)
            for row in 0..<512 {
                gates[row] = t("lstm_cell.bias_ih", row) + t("lstm_cell.bias_hh", row)
                for column in 0..<128 {
                    gates[row] += t("lstm_cell.weight_ih", row * 128 + column) * input[column]
                    gates[row] += t("lstm_cell.weight_hh", row * 128 + column) * hidden[column]
                }
            }
            func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }
            for index in 0..<128 {
                cell[index] =
                    sigmoid(gates[128 + index]) * cell[index] + sigmoid(gates[index]) * tanh(gates[256 + index])
                hidden[index] = sigmoid(gates[384 + index]) * tanh(cell[index])
            }
            var logit = t("final_conv.bias", 0)
            for index in 0..<128 { logit += t("final_conv.weight", index) * max(hidden[index], 0) }
            return sigmoid(logit)
        }
    }

    @Test func theFastForwardPassMatchesTheSlowReferenceOnRandomWeights() throws {
        var generator = SplitMixForTests(seed: 21)
        var tensors: [String: [Float]] = [:]
        for (name, shape) in SileroVADWeights.tensorShapes {
            let scale = 1 / Float(shape.dropFirst().reduce(1, *)).squareRoot()
            tensors[name] = (0..<shape.reduce(1, *)).map { _ in generator.nextFloat() * scale }
        }
        var fast = SileroVAD(weights: SileroVADWeights(tensors: tensors))
        var reference = Reference(tensors: tensors)
        let signal = TestSignals.noise(count: 512 * 3 + 200, amplitude: 0.4, seed: 9)
        let found = fast.speechProbabilities(signal)
        var context = [Float](repeating: 0, count: 64)
        var expected: [Double] = []
        for start in stride(from: 0, to: signal.count, by: 512) {
            var window = Array(signal[start..<min(start + 512, signal.count)])
            window += [Float](repeating: 0, count: 512 - window.count)
            expected.append(reference.step(context + window))
            context = Array(window.suffix(64))
        }
        #expect(found.count == expected.count)
        let difference = zip(found, expected).map { abs(Double($0) - $1) }.max() ?? .infinity
        #expect(difference < 1e-4, "largest difference \(difference)")
        #expect(Set(expected.map { ($0 * 1000).rounded() }).count > 1, "the probabilities should vary")
    }
}
