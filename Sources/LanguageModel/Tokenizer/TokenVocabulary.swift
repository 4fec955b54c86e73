import GGUF

/// A token id, as the model's embedding table and output layer number them.
public typealias TokenID = Int32

/// What a token is for, as `tokenizer.ggml.token_type` numbers it.
public enum TokenKind: Int32, Sendable, CaseIterable {
    /// Ordinary text.
    case normal = 1
    /// The unknown-text token.
    case unknown = 2
    /// Markup the model was trained on (`<|im_start|>`, `<|endoftext|>`): matched in text only when asked.
    case control = 3
    /// Added by the model's authors; always matched in text before splitting.
    case userDefined = 4
    /// Reserved and never produced.
    case unused = 5
    /// One raw byte (`<0x0A>`), SentencePiece's fallback for text outside the vocabulary.
    case byte = 6
}

/// The vocabulary and special ids shared by every tokenizer, read from GGUF metadata.
public struct TokenVocabulary: Sendable {
    /// Each token's text as stored in the file (byte-level encoded for GPT-2 vocabularies), by id.
    public let tokens: [[UInt8]]
    /// Each token's kind, by id.
    public let kinds: [TokenKind]
    /// Each token's score (SentencePiece merge priority), or empty when the file has none.
    public let scores: [Float]
    /// The beginning-of-sequence id, if the model has one.
    public let bosID: TokenID?
    /// The end-of-sequence id, if the model has one.
    public let eosID: TokenID?
    /// The unknown-text id, if the model has one.
    public let unknownID: TokenID?
    /// The padding id, if the model has one.
    public let paddingID: TokenID?
    /// Whether encoding with `addSpecial` puts the bos token first.
    public let addsBOS: Bool
    /// Whether encoding with `addSpecial` puts the eos token last.
    public let addsEOS: Bool
    /// Tokens that end a generation: eos and the end-of-turn markup of the common chat families.
    public let endOfGenerationIDs: Set<TokenID>
    /// Token text to id, for every token.
    let idsByText: [[UInt8]: TokenID]

    /// End-of-turn markup of the chat families: a model that writes one has finished its answer.
    static let endOfTurnTexts = ["<|im_end|>", "<|eot_id|>", "<|eom_id|>", "<|end|>", "<end_of_turn>", "<|endoftext|>"]

    /// The number of tokens.
    public var count: Int { tokens.count }

    /// The id whose stored text is exactly `text`, if there is one.
    public func id(forText text: [UInt8]) -> TokenID? { idsByText[text] }

    /// The id whose stored text is exactly `text`, if there is one.
    public func id(forText text: String) -> TokenID? { idsByText[Array(text.utf8)] }

    /// The stored text of `id` as a String (invalid UTF-8 repaired), or nil outside the vocabulary.
    public func text(of id: TokenID) -> String? {
        guard id >= 0, Int(id) < tokens.count else { return nil }
        return String(decoding: tokens[Int(id)], as: UTF8.self)
    }

    /// The kind of `id`, or nil outside the vocabulary.
    public func kind(of id: TokenID) -> TokenKind? {
        guard id >= 0, Int(id) < kinds.count else { return nil }
        return kinds[Int(id)]
    }

    /// Builds a vocabulary from parts (tests build tiny ones this way).
    public init(
        tokens: [[UInt8]], kinds: [TokenKind]? = nil, scores: [Float] = [], bosID: TokenID? = nil,
        eosID: TokenID? = nil, unknownID: TokenID? = nil, paddingID: TokenID? = nil, addsBOS: Bool = false,
        addsEOS: Bool = false
    ) {
        self.tokens = tokens
        var kinds = kinds ?? Array(repeating: .normal, count: tokens.count)
        self.scores = scores
        self.bosID = bosID
        self.eosID = eosID
        self.unknownID = unknownID
        self.paddingID = paddingID
        self.addsBOS = addsBOS
        self.addsEOS = addsEOS
        var idsByText = [[UInt8]: TokenID](minimumCapacity: tokens.count)
        // The first of two equal texts wins, as in llama.cpp's text-to-token map.
        for (id, text) in tokens.enumerated() where idsByText[text] == nil { idsByText[text] = TokenID(id) }
        self.idsByText = idsByText
        var endOfGeneration = Set<TokenID>()
        if let eosID { endOfGeneration.insert(eosID) }
        for text in Self.endOfTurnTexts {
            guard let id = idsByText[Array(text.utf8)] else { continue }
            endOfGeneration.insert(id)
            // Some converters mark these as normal text; they are markup (llama.cpp overrides the type too).
            if kinds[Int(id)] == .normal { kinds[Int(id)] = .control }
        }
        self.kinds = kinds
        self.endOfGenerationIDs = endOfGeneration
    }

    /// Reads `tokenizer.ggml.tokens`, `token_type`, `scores`, the special ids and the add-bos/eos flags.
    ///
    /// `defaultAddsBOS` is the model family's default when the file does not say (SentencePiece models add one).
    public init(file: GGUFFile, defaultAddsBOS: Bool = false) throws {
        let path = file.path
        let metadata = file.metadata
        guard let tokenArray = metadata["tokenizer.ggml.tokens"]?.array, tokenArray.elementType == .string else {
            throw TokenizerError.missingMetadata(path: path, key: "tokenizer.ggml.tokens", expected: "a string array")
        }
        var tokens = [[UInt8]]()
        tokens.reserveCapacity(tokenArray.count)
        for index in 0..<tokenArray.count {
            tokens.append(tokenArray.withStringBytes(at: index) { Array($0) } ?? [])
        }
        var kinds = Array(repeating: TokenKind.normal, count: tokens.count)
        if let types = metadata["tokenizer.ggml.token_type"]?.array {
            guard let values = types.ints else {
                throw TokenizerError.missingMetadata(
                    path: path, key: "tokenizer.ggml.token_type", expected: "an integer array")
            }
            guard values.count == tokens.count else {
                throw TokenizerError.countMismatch(
                    path: path, key: "tokenizer.ggml.token_type", expected: tokens.count, found: values.count)
            }
            kinds = values.map { TokenKind(rawValue: Int32(truncatingIfNeeded: $0)) ?? .normal }
        }
        var scores = [Float]()
        if let scoreArray = metadata["tokenizer.ggml.scores"]?.array {
            scores = scoreArray.floats ?? []
            guard scores.count == tokens.count else {
                throw TokenizerError.countMismatch(
                    path: path, key: "tokenizer.ggml.scores", expected: tokens.count, found: scores.count)
            }
        }
        func specialID(_ name: String) throws -> TokenID? {
            let key = "tokenizer.ggml.\(name)_token_id"
            guard let value = metadata[key]?.int else { return nil }
            guard value >= 0, value < tokens.count else {
                throw TokenizerError.tokenIDOutOfRange(path: path, key: key, id: value, vocabularySize: tokens.count)
            }
            return TokenID(value)
        }
        self.init(
            tokens: tokens, kinds: kinds, scores: scores, bosID: try specialID("bos"), eosID: try specialID("eos"),
            unknownID: try specialID("unknown"), paddingID: try specialID("padding"),
            addsBOS: metadata["tokenizer.ggml.add_bos_token"]?.bool ?? defaultAddsBOS,
            addsEOS: metadata["tokenizer.ggml.add_eos_token"]?.bool ?? false
        )
    }
}
