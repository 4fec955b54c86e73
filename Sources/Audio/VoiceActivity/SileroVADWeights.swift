import Foundation
import GGUF
import Logging
import TutorCore

/// The Silero VAD v6 16 kHz weights (309,633 F32 parameters), validated and held in memory, shared by detectors.
///
/// GGUF tensors keep the safetensors names; their shapes are the PyTorch shapes reversed (ggml order):
///
/// | tensor | PyTorch shape | what |
/// | --- | --- | --- |
/// | `stft_conv.weight` | (258, 1, 256) | STFT as a conv: 129 real then 129 imaginary rows, hop 128 |
/// | `conv1.weight`, `.bias` | (128, 129, 3), (128) | encoder conv, stride 1, padding 1 |
/// | `conv2.weight`, `.bias` | (64, 128, 3), (64) | stride 2 |
/// | `conv3.weight`, `.bias` | (64, 64, 3), (64) | stride 2 |
/// | `conv4.weight`, `.bias` | (128, 64, 3), (128) | stride 1 |
/// | `lstm_cell.weight_ih`, `.weight_hh` | (512, 128) | LSTM cell, gates in PyTorch order i, f, g, o |
/// | `lstm_cell.bias_ih`, `.bias_hh` | (512) | |
/// | `final_conv.weight`, `.bias` | (1, 128, 1), (1) | 1x1 conv to one logit |
///
/// Metadata: `general.architecture` = `silero-vad` and the hyperparameters under `silero-vad.` (see
/// `SileroVADWeights.hyperparameters`). Immutable after loading, so one instance may be shared across threads.
public final class SileroVADWeights: Sendable {
    /// Every tensor with its PyTorch (row-major, outermost first) shape, in file order.
    public static let tensorShapes: KeyValuePairs<String, [Int]> = [
        "stft_conv.weight": [258, 1, 256],
        "conv1.weight": [128, 129, 3], "conv1.bias": [128],
        "conv2.weight": [64, 128, 3], "conv2.bias": [64],
        "conv3.weight": [64, 64, 3], "conv3.bias": [64],
        "conv4.weight": [128, 64, 3], "conv4.bias": [128],
        "lstm_cell.weight_ih": [512, 128], "lstm_cell.weight_hh": [512, 128],
        "lstm_cell.bias_ih": [512], "lstm_cell.bias_hh": [512],
        "final_conv.weight": [1, 128, 1], "final_conv.bias": [1],
    ]

    /// The hyperparameters written as GGUF metadata and checked at load (the architecture allows no others).
    public static let hyperparameters: KeyValuePairs<String, Int> = [
        "silero-vad.sample_rate_hz": 16_000,
        "silero-vad.window_samples": 512,
        "silero-vad.context_samples": 64,
        "silero-vad.stft.fft_size": 256,
        "silero-vad.stft.hop_samples": 128,
        "silero-vad.stft.reflect_padding_samples": 64,
        "silero-vad.lstm.size": 128,
    ]

    /// The number of parameters.
    public static let parameterCount = tensorShapes.reduce(0) { $0 + $1.value.reduce(1, *) }

    // Row-major. Conv weights are stored (out, tap, in), transposed from PyTorch's (out, in, tap) at load, so each
    // tap is one contiguous dot product over input channels.
    let stft: [Float]  // (258, 256): rows 0..<129 real, 129..<258 imaginary
    let conv1Weight: [Float]  // (128, 3, 129)
    let conv1Bias: [Float]  // (128)
    let conv2Weight: [Float]  // (64, 3, 128)
    let conv2Bias: [Float]  // (64)
    let conv3Weight: [Float]  // (64, 3, 64)
    let conv3Bias: [Float]  // (64)
    let conv4Weight: [Float]  // (128, 3, 64)
    let conv4Bias: [Float]  // (128)
    let lstmInputWeight: [Float]  // (512, 128)
    let lstmHiddenWeight: [Float]  // (512, 128)
    let lstmBias: [Float]  // (512): bias_ih + bias_hh, added once
    let finalWeight: [Float]  // (128)
    let finalBias: Float

    /// Weights from arrays keyed by tensor name, each of the element count `tensorShapes` gives.
    init(tensors: [String: [Float]]) {
        func take(_ name: String) -> [Float] {
            let values = tensors[name] ?? []
            precondition(values.count == Self.elementCount(name), "tensor \(name) has \(values.count) values")
            return values
        }
        /// (out, in, 3) -> (out, 3, in)
        func tapsOuter(_ name: String) -> [Float] {
            let values = take(name)
            let shape = Self.tensorShapes.first { $0.key == name }!.value
            let (outputs, inputs) = (shape[0], shape[1])
            var result = [Float](repeating: 0, count: values.count)
            for out in 0..<outputs {
                for channel in 0..<inputs {
                    for tap in 0..<3 {
                        result[(out * 3 + tap) * inputs + channel] = values[(out * inputs + channel) * 3 + tap]
                    }
                }
            }
            return result
        }
        stft = take("stft_conv.weight")
        conv1Weight = tapsOuter("conv1.weight")
        conv1Bias = take("conv1.bias")
        conv2Weight = tapsOuter("conv2.weight")
        conv2Bias = take("conv2.bias")
        conv3Weight = tapsOuter("conv3.weight")
        conv3Bias = take("conv3.bias")
        conv4Weight = tapsOuter("conv4.weight")
        conv4Bias = take("conv4.bias")
        lstmInputWeight = take("lstm_cell.weight_ih")
        lstmHiddenWeight = take("lstm_cell.weight_hh")
        lstmBias = zip(take("lstm_cell.bias_ih"), take("lstm_cell.bias_hh")).map { $0 + $1 }
        finalWeight = take("final_conv.weight")
        finalBias = take("final_conv.bias")[0]
    }

    static func elementCount(_ name: String) -> Int {
        tensorShapes.first { $0.key == name }.map { $0.value.reduce(1, *) } ?? 0
    }

    /// Reads and validates a converted GGUF file: architecture, every hyperparameter, every tensor's type and shape.
    public convenience init(gguf path: String) throws {
        let file = try GGUFFile(path: path)
        let architecture = try file.requireString("general.architecture")
        guard architecture == "silero-vad" else {
            throw SileroVADError.unexpectedMetadata(
                path: path, key: "general.architecture", expected: "silero-vad", found: architecture)
        }
        for (key, expected) in Self.hyperparameters {
            let found = try file.requireInt(key)
            if found != expected {
                throw SileroVADError.unexpectedMetadata(
                    path: path, key: key, expected: "\(expected)", found: "\(found)")
            }
        }
        var expectedShapes: [String: [Int]] = [:]
        for (name, shape) in Self.tensorShapes { expectedShapes[name] = shape.reversed() }
        try file.validateShapes(expectedShapes)
        var tensors: [String: [Float]] = [:]
        for (name, _) in Self.tensorShapes {
            let tensor = try file.requireTensor(named: name)
            guard tensor.type == .f32 else {
                throw SileroVADError.unexpectedTensorType(
                    path: path, tensor: name, expected: "F32", found: "\(tensor.type)")
            }
            tensors[name] = tensor.withUnsafeBytes { raw in
                (0..<tensor.info.elementCount).map {
                    Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
                }
            }
        }
        self.init(tensors: tensors)
        let summary =
            "\(path): Silero VAD v6, 16 kHz, 512-sample windows + 64 context, STFT 256/128, LSTM 128, "
            + "\(Self.parameterCount) F32 parameters"
        Logger(label: "voicetutor.vad").info("\(summary)")
    }

    /// Reads the tensors of a silero-vad safetensors file, checking each one's dtype and shape.
    public convenience init(safetensors path: String) throws {
        let file = try SafeTensorsFile(path: path)
        var tensors: [String: [Float]] = [:]
        for (name, shape) in Self.tensorShapes {
            let tensor = try file.float32(named: name)
            if tensor.shape != shape {
                throw SileroVADError.unexpectedTensorShape(
                    path: path, tensor: name, expected: shape, found: tensor.shape)
            }
            tensors[name] = tensor.values
        }
        self.init(tensors: tensors)
    }

    /// Random weights of the right shapes (uniform, scaled by fan-in), for tests that need no real model.
    static func random(seed: UInt64) -> SileroVADWeights {
        var generator = SplitMix64(seed: seed)
        var tensors: [String: [Float]] = [:]
        for (name, shape) in tensorShapes {
            let fanIn = shape.count > 1 ? shape.dropFirst().reduce(1, *) : 16
            let scale = 1 / Float(fanIn).squareRoot()
            tensors[name] = (0..<shape.reduce(1, *)).map { _ in Float.random(in: -scale...scale, using: &generator) }
        }
        return SileroVADWeights(tensors: tensors)
    }
}

extension SileroVADWeights {
    /// The GGUF file's place in the model cache.
    public static func ggufFile(cacheDirectory: URL = TutorPaths.cacheDirectory()) -> URL {
        cacheDirectory.appendingPathComponent("models/silero-vad.gguf")
    }

    /// The fetched safetensors file's place in the model cache (from PyPI silero-vad 6.2.3).
    public static func safetensorsFile(cacheDirectory: URL = TutorPaths.cacheDirectory()) -> URL {
        cacheDirectory.appendingPathComponent("models/silero-vad/silero_vad_16k.safetensors")
    }

    /// Converts `safetensors` to a GGUF file at `gguf` (written to `<gguf>.partial`, then renamed into place).
    public static func convert(safetensors: URL, to gguf: URL) throws {
        let source = try SafeTensorsFile(path: safetensors.path)
        let writer = try GGUFWriter(path: gguf.path)
        try writer.setMetadata("general.architecture", .string("silero-vad"))
        try writer.setMetadata("general.name", .string("Silero VAD v6 16 kHz"))
        try writer.setMetadata("general.license", .string("MIT"))
        try writer.setMetadata("general.source.file", .string(safetensors.lastPathComponent))
        for (key, value) in hyperparameters { try writer.setMetadata(key, .uint32(UInt32(value))) }
        for (name, shape) in tensorShapes {
            let tensor = try source.float32(named: name)
            if tensor.shape != shape {
                throw SileroVADError.unexpectedTensorShape(
                    path: safetensors.path, tensor: name, expected: shape, found: tensor.shape)
            }
            try writer.addTensor(name: name, shape: shape.reversed(), float32: tensor.values)
        }
        try FileManager.default.createDirectory(
            at: gguf.deletingLastPathComponent(), withIntermediateDirectories: true)
        try writer.write()
    }

    /// Loads `<cache>/models/silero-vad.gguf`, converting it from the cached safetensors first if it is absent.
    public static func load(cacheDirectory: URL = TutorPaths.cacheDirectory()) throws -> SileroVADWeights {
        let gguf = ggufFile(cacheDirectory: cacheDirectory)
        if !FileManager.default.fileExists(atPath: gguf.path) {
            let safetensors = safetensorsFile(cacheDirectory: cacheDirectory)
            guard FileManager.default.fileExists(atPath: safetensors.path) else {
                throw SileroVADError.modelMissing(gguf: gguf.path, safetensors: safetensors.path)
            }
            try convert(safetensors: safetensors, to: gguf)
        }
        return try SileroVADWeights(gguf: gguf.path)
    }
}
