/// Why a tokenizer could not be built from a model file's metadata.
public enum TokenizerError: Error, Equatable, CustomStringConvertible {
    /// A required metadata key is absent or has the wrong type.
    case missingMetadata(path: String, key: String, expected: String)
    /// `tokenizer.ggml.model` names a tokenizer this engine does not implement.
    case unsupportedModel(path: String, model: String)
    /// `tokenizer.ggml.pre` names a pre-tokenizer this engine does not implement.
    case unsupportedPreTokenizer(path: String, name: String)
    /// Two parallel arrays (tokens and their types or scores) disagree in length.
    case countMismatch(path: String, key: String, expected: Int, found: Int)
    /// A special token id (bos, eos, ...) lies outside the vocabulary.
    case tokenIDOutOfRange(path: String, key: String, id: Int, vocabularySize: Int)
    /// A merge rule is not two space-separated symbols.
    case malformedMerge(path: String, index: Int, merge: String)

    /// One line naming the file, what was expected and what was found.
    public var description: String {
        switch self {
        case .missingMetadata(let path, let key, let expected):
            "\(path): metadata '\(key)' is missing or not \(expected)"
        case .unsupportedModel(let path, let model):
            "\(path): tokenizer.ggml.model is '\(model)', expected 'gpt2' or 'llama'"
        case .unsupportedPreTokenizer(let path, let name):
            "\(path): tokenizer.ggml.pre is '\(name)', expected one of "
                + PreTokenizer.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        case .countMismatch(let path, let key, let expected, let found):
            "\(path): '\(key)' has \(found) entries, expected \(expected) (one per token)"
        case .tokenIDOutOfRange(let path, let key, let id, let vocabularySize):
            "\(path): '\(key)' is \(id), expected an id below the vocabulary size \(vocabularySize)"
        case .malformedMerge(let path, let index, let merge):
            "\(path): tokenizer.ggml.merges[\(index)] is '\(merge)', expected two symbols separated by one space"
        }
    }
}
