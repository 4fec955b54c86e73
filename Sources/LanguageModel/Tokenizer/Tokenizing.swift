import GGUF

/// Turns text into token ids and token ids back into text.
///
/// Implementations are immutable values: share one between threads freely.
public protocol Tokenizing: Sendable {
    /// The vocabulary and special ids the tokenizer was built from.
    var vocabulary: TokenVocabulary { get }

    /// The token ids for `text`.
    ///
    /// - Parameters:
    ///   - addSpecial: put the model's bos (and eos) tokens around the text when its metadata asks for them.
    ///   - parseSpecial: read control tokens written in the text (`<|im_start|>`) as those tokens rather than as
    ///     plain characters. Prompts built from a chat template need it; text from a user must not have it.
    func encode(_ text: String, addSpecial: Bool, parseSpecial: Bool) -> [TokenID]

    /// Appends the bytes `token` stands for; control tokens add their text only when `includeSpecial` is set.
    ///
    /// A byte-level token may hold part of a UTF-8 character: join pieces before reading them as text.
    func appendPiece(of token: TokenID, includeSpecial: Bool, to bytes: inout [UInt8])
}

extension Tokenizing {
    /// The token ids for `text`, with the model's own bos/eos choice and special tokens read as plain text.
    public func encode(_ text: String) -> [TokenID] { encode(text, addSpecial: true, parseSpecial: false) }

    /// The bytes `token` stands for.
    public func piece(of token: TokenID, includeSpecial: Bool = false) -> [UInt8] {
        var bytes = [UInt8]()
        appendPiece(of: token, includeSpecial: includeSpecial, to: &bytes)
        return bytes
    }

    /// The bytes a token sequence stands for, joined.
    public func decodeBytes(_ tokens: some Sequence<TokenID>, includeSpecial: Bool = false) -> [UInt8] {
        var bytes = [UInt8]()
        for token in tokens { appendPiece(of: token, includeSpecial: includeSpecial, to: &bytes) }
        return bytes
    }

    /// The text a token sequence stands for; bytes that are not valid UTF-8 become U+FFFD.
    public func decode(_ tokens: some Sequence<TokenID>, includeSpecial: Bool = false) -> String {
        String(decoding: decodeBytes(tokens, includeSpecial: includeSpecial), as: UTF8.self)
    }
}

/// The tokenizer a GGUF file describes: GPT-2 byte-level BPE (`gpt2`) or SentencePiece (`llama`).
///
/// ```swift
/// let tokenizer = try Tokenizer(file: GGUFFile(path: path))
/// let ids = tokenizer.encode("<|im_start|>user\nWhy is the sky blue?<|im_end|>\n", addSpecial: true,
///                            parseSpecial: true)
/// let text = tokenizer.decode(ids)
/// ```
public struct Tokenizer: Tokenizing {
    /// The implementation chosen from `tokenizer.ggml.model`.
    public let base: any Tokenizing

    /// The vocabulary and special ids the tokenizer was built from.
    public var vocabulary: TokenVocabulary { base.vocabulary }

    /// Reads the tokenizer from `file`'s metadata, choosing the kind from `tokenizer.ggml.model`.
    public init(file: GGUFFile) throws {
        guard let model = file.metadata["tokenizer.ggml.model"]?.string else {
            throw TokenizerError.missingMetadata(path: file.path, key: "tokenizer.ggml.model", expected: "a string")
        }
        switch model {
        case "gpt2": base = try BPETokenizer(file: file)
        case "llama": base = try SentencePieceTokenizer(file: file)
        default: throw TokenizerError.unsupportedModel(path: file.path, model: model)
        }
    }

    /// Wraps an implementation.
    public init(_ base: any Tokenizing) { self.base = base }

    /// The token ids for `text` (see `Tokenizing.encode(_:addSpecial:parseSpecial:)`).
    public func encode(_ text: String, addSpecial: Bool, parseSpecial: Bool) -> [TokenID] {
        base.encode(text, addSpecial: addSpecial, parseSpecial: parseSpecial)
    }

    /// Appends the bytes `token` stands for.
    public func appendPiece(of token: TokenID, includeSpecial: Bool, to bytes: inout [UInt8]) {
        base.appendPiece(of: token, includeSpecial: includeSpecial, to: &bytes)
    }
}
