/// Why the Silero VAD weights could not be loaded or converted; every case names the file.
public enum SileroVADError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Neither the converted GGUF nor the safetensors it is made from is in the cache.
    case modelMissing(gguf: String, safetensors: String)
    /// A metadata value is not the one this architecture has.
    case unexpectedMetadata(path: String, key: String, expected: String, found: String)
    /// A tensor has another shape than the architecture's (PyTorch order for safetensors).
    case unexpectedTensorShape(path: String, tensor: String, expected: [Int], found: [Int])
    /// A tensor has another element type than F32.
    case unexpectedTensorType(path: String, tensor: String, expected: String, found: String)

    /// One line: the file, what was found and what was expected.
    public var description: String {
        switch self {
        case .modelMissing(let gguf, let safetensors):
            "\(gguf): no such file, and no \(safetensors) to convert it from, expected the silero-vad 6.2.3 "
                + "safetensors in the model cache (run `tutor models fetch`)"
        case .unexpectedMetadata(let path, let key, let expected, let found):
            "\(path): metadata '\(key)' is \(found), expected \(expected)"
        case .unexpectedTensorShape(let path, let tensor, let expected, let found):
            "\(path): tensor '\(tensor)' has shape \(found), expected \(expected)"
        case .unexpectedTensorType(let path, let tensor, let expected, let found):
            "\(path): tensor '\(tensor)' has type \(found), expected \(expected)"
        }
    }
}
