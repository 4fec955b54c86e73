/// What can go wrong loading or running a language model. Every case names the model file.
public enum LanguageModelError: Error, Equatable, CustomStringConvertible {
    /// The GGUF's architecture is not one this engine runs.
    case unsupportedArchitecture(path: String, found: String)
    /// A hyperparameter is missing or makes no sense (e.g. heads that do not divide the embedding).
    case badHyperparameter(path: String, key: String, found: String, expected: String)
    /// A tensor's element type has no kernel here.
    case unsupportedTensorType(path: String, tensor: String, type: String)
    /// A tensor the forward pass does not read: the file describes a model computed differently.
    case unusedTensor(path: String, tensor: String, architecture: String)
    /// A prompt longer than the context the session was made with.
    case contextFull(path: String, needed: Int, capacity: Int)
    /// A token id outside the vocabulary.
    case tokenOutOfRange(path: String, token: Int, vocabularySize: Int)

    public var description: String {
        switch self {
        case .unsupportedArchitecture(let path, let found):
            return "\(path): architecture '\(found)' is not supported, expected one of: llama, qwen2"
        case .badHyperparameter(let path, let key, let found, let expected):
            return "\(path): hyperparameter '\(key)' is \(found), expected \(expected)"
        case .unsupportedTensorType(let path, let tensor, let type):
            return "\(path): tensor '\(tensor)' has type \(type), which this engine cannot compute with"
        case .unusedTensor(let path, let tensor, let architecture):
            return "\(path): tensor '\(tensor)' has no place in the \(architecture) forward pass this engine computes, "
                + "expected only the llama-family tensors (token_embd, blk.N.attn_q/k/v/output, optional q/k/v "
                + "biases, ffn_gate/up/down, norms, output and its bias)"
        case .contextFull(let path, let needed, let capacity):
            return "\(path): \(needed) tokens do not fit the session's context of \(capacity)"
        case .tokenOutOfRange(let path, let token, let vocabularySize):
            return "\(path): token \(token) is outside the vocabulary of \(vocabularySize)"
        }
    }
}
