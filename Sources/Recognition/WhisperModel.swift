import Foundation
import GGUF
import Logging

/// A converted Whisper model: the mapped GGUF, its hyperparameters, tokenizer and mel filters, all validated.
///
/// ```swift
/// let model = try WhisperModel(path: cache.appendingPathComponent("models/whisper-tiny.en.gguf").path)
/// let mel = LogMelFrontEnd(filters: model.melFilters).spectrogram(of: samples)
/// ```
///
/// Loading checks every tensor the hyperparameters imply against its ggml shape (and that each is F16 or F32) and
/// logs one summary line. The weights stay in the mapping until used. Immutable, so it may be shared.
public struct WhisperModel: Sendable {
    /// The mapped file.
    public let file: GGUFFile
    /// The sizes read from the metadata.
    public let hyperparameters: WhisperHyperparameters
    /// The tokenizer stored in the file.
    public let tokenizer: WhisperTokenizer
    /// The mel filters stored in the file.
    public let melFilters: MelFilterBank
    /// The languages the model transcribes.
    public let languages: [String]

    private static let logger = Logger(label: "voicetutor.recognition")

    /// Maps, validates and summarizes the converted model at `path`.
    public init(path: String) throws {
        let file = try GGUFFile(path: path)
        try self.init(file: file)
    }

    /// Validates an already opened file.
    public init(file: GGUFFile) throws {
        self.file = file
        let architecture = try file.requireString("general.architecture")
        if architecture != "whisper" {
            throw GGUFError.metadataTypeMismatch(
                path: file.path, key: "general.architecture", expected: "\"whisper\"", found: "\"\(architecture)\"")
        }
        hyperparameters = try WhisperHyperparameters(gguf: file)
        let expected = hyperparameters.expectedTensorShapes
        try file.validateShapes(expected)
        for tensor in file.tensors {
            if expected[tensor.name] == nil {
                throw WhisperModelError.unexpectedTensor(path: file.path, tensor: tensor.name)
            }
            if tensor.type != .f16 && tensor.type != .f32 {
                throw WhisperModelError.unsupportedTensorType(
                    path: file.path, tensor: tensor.name, expected: "F16 or F32", found: "\(tensor.type)")
            }
        }
        tokenizer = try WhisperModel.tokenizer(in: file)
        if tokenizer.count != hyperparameters.vocabularySize {
            throw GGUFError.metadataTypeMismatch(
                path: file.path, key: "tokenizer.ggml.tokens",
                expected: "\(hyperparameters.vocabularySize) tokens (whisper.vocab_size)", found: "\(tokenizer.count)")
        }
        let filterTensor = try file.requireTensor(named: "mel_filters")
        guard filterTensor.type == .f32 else {
            throw WhisperModelError.unsupportedTensorType(
                path: file.path, tensor: "mel_filters", expected: "F32", found: "\(filterTensor.type)")
        }
        let weights = filterTensor.withUnsafeBytes { bytes in
            (0..<filterTensor.info.elementCount).map {
                Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
            }
        }
        melFilters = MelFilterBank(
            melCount: hyperparameters.melCount, frequencyCount: filterTensor.shape[0], weights: weights)
        languages = file.metadata[WhisperConverter.Key.languages]?.array?.strings ?? []
        WhisperModel.logger.info("\(file.summary); whisper \(hyperparameters.summary), \(languages.count) languages")
    }

    /// The tokenizer stored under `tokenizer.ggml.tokens` and `tokenizer.ggml.merges`.
    public static func tokenizer(in file: GGUFFile) throws -> WhisperTokenizer {
        guard let tokens = try file.requireValue("tokenizer.ggml.tokens").array?.strings else {
            throw GGUFError.metadataTypeMismatch(
                path: file.path, key: "tokenizer.ggml.tokens", expected: "an array of strings", found: "another type")
        }
        guard let merges = try file.requireValue("tokenizer.ggml.merges").array?.strings else {
            throw GGUFError.metadataTypeMismatch(
                path: file.path, key: "tokenizer.ggml.merges", expected: "an array of strings", found: "another type")
        }
        return try WhisperTokenizer(tokens: tokens, merges: merges, path: file.path)
    }
}

/// Why a converted Whisper GGUF was refused beyond what `GGUFError` covers; every case names the file.
public enum WhisperModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file holds a tensor the Whisper layout has no place for.
    case unexpectedTensor(path: String, tensor: String)
    /// A tensor has a type this model cannot use.
    case unsupportedTensorType(path: String, tensor: String, expected: String, found: String)

    /// One line: the file, what was found and what was expected.
    public var description: String {
        switch self {
        case .unexpectedTensor(let path, let tensor):
            "\(path): has a tensor '\(tensor)', expected only the tensors of Whisper's layout"
        case .unsupportedTensorType(let path, let tensor, let expected, let found):
            "\(path): tensor '\(tensor)' is \(found), expected \(expected)"
        }
    }
}
