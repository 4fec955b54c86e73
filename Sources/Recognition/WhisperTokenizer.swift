import Foundation

/// The ids of Whisper's special tokens in one vocabulary (they differ by one between English-only and
/// multilingual models).
public struct WhisperSpecialTokens: Sendable, Equatable {
    /// `<|endoftext|>`: ends a transcript.
    public var endOfText: Int
    /// `<|startoftranscript|>`: begins every decoder prompt.
    public var startOfTranscript: Int
    /// The first language token (`<|en|>`); the others follow in `WhisperTokenizer.languageCodes` order.
    public var firstLanguage: Int
    /// `<|translate|>`: the task token for translation into English.
    public var translate: Int
    /// `<|transcribe|>`: the task token for transcription.
    public var transcribe: Int
    /// `<|startoflm|>`.
    public var startOfLM: Int
    /// `<|startofprev|>`: introduces an initial prompt or the previous window's text.
    public var startOfPrevious: Int
    /// `<|nospeech|>` (called `<|nocaptions|>` in older vocabularies): its probability is the no-speech score.
    public var noSpeech: Int
    /// `<|notimestamps|>`: asks for text without timestamp tokens.
    public var noTimestamps: Int
    /// `<|0.00|>`: the first timestamp token; token `timestampBegin + i` is `i * 0.02` seconds.
    public var timestampBegin: Int
}

/// What the decoder is asked to do.
public enum WhisperTask: Sendable, Equatable {
    /// Write down what was said, in the language it was said in.
    case transcribe
    /// Write it down in English.
    case translate
}

/// Why a Whisper vocabulary could not be read or is inconsistent; every case names the file.
public enum WhisperTokenizerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file could not be read or parsed.
    case unreadable(path: String, reason: String)
    /// The vocabulary breaks an expectation (a missing special token, a gap in the ids, a disagreement between files).
    case inconsistent(path: String, found: String, expected: String)
    /// A language was asked for that the model's vocabulary has no token for (or an English-only model).
    case unknownLanguage(path: String, code: String, available: [String])

    /// One line: the file, what was found and what was expected.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot read the vocabulary: \(reason)"
        case .inconsistent(let path, let found, let expected): "\(path): \(found), expected \(expected)"
        case .unknownLanguage(let path, let code, let available):
            "\(path): has no language '\(code)', expected one of \(available.joined(separator: " "))"
        }
    }
}

/// Whisper's tokenizer: ids to text and back, special tokens, the language-token table and timestamp tokens.
///
/// ```swift
/// let tokenizer = try WhisperTokenizer(gguf: file)                 // or (tokenizerJSON:vocabularyText:)
/// let ids = tokenizer.encode(" Why is the sky blue?")               // GPT-2 byte-level BPE
/// tokenizer.decode(ids)                                            // " Why is the sky blue?"
/// tokenizer.languageToken(for: "sw")                              // 50318 in Whisper base
/// ```
///
/// `tokens[id]` is the byte-level spelling (a space is `Ġ`); ids past the BPE vocabulary are the special tokens
/// of `tokenizer.json`'s `added_tokens` and then the 1,501 timestamp tokens `<|0.00|>` ... `<|30.00|>`, which only
/// `vocabulary.txt` lists. Immutable, so one tokenizer may be shared between threads.
public struct WhisperTokenizer: Sendable {
    /// Every token's spelling by id.
    public let tokens: [String]
    /// The merge list of `tokenizer.json`, best first, each `"left right"`; kept for the GGUF file, while encoding
    /// ranks pairs by token id as tiktoken does (see `ByteLevelBPE`).
    public let merges: [String]
    /// The special tokens' ids.
    public let special: WhisperSpecialTokens
    /// The language codes of the language tokens, in token order (`en`, `zh`, `de`, ... 99 of them).
    public let languageCodes: [String]
    /// The file the vocabulary came from, for messages.
    public let sourcePath: String
    private let bpe: ByteLevelBPE
    private let languageIndex: [String: Int]

    /// The number of ids.
    public var count: Int { tokens.count }

    /// A tokenizer from its token spellings (by id) and merges; `path` names the source in errors.
    public init(tokens: [String], merges: [String], path: String) throws {
        sourcePath = path
        self.tokens = tokens
        self.merges = merges
        var ids: [String: Int] = [:]
        ids.reserveCapacity(tokens.count)
        for (id, token) in tokens.enumerated() where ids[token] == nil { ids[token] = id }
        func require(_ token: String) throws -> Int {
            guard let id = ids[token] else {
                throw WhisperTokenizerError.inconsistent(
                    path: path, found: "no token \(token)", expected: "Whisper's special tokens")
            }
            return id
        }
        let startOfTranscript = try require("<|startoftranscript|>")
        let translate = try require("<|translate|>")
        let noSpeech = try ids["<|nospeech|>"] ?? require("<|nocaptions|>")
        let timestampBegin = try require("<|0.00|>")
        special = WhisperSpecialTokens(
            endOfText: try require("<|endoftext|>"), startOfTranscript: startOfTranscript,
            firstLanguage: startOfTranscript + 1, translate: translate, transcribe: try require("<|transcribe|>"),
            startOfLM: try require("<|startoflm|>"), startOfPrevious: try require("<|startofprev|>"),
            noSpeech: noSpeech, noTimestamps: try require("<|notimestamps|>"), timestampBegin: timestampBegin)
        var codes: [String] = []
        for id in (startOfTranscript + 1)..<translate {
            let token = tokens[id]
            guard token.hasPrefix("<|"), token.hasSuffix("|>"), token.count > 4 else {
                throw WhisperTokenizerError.inconsistent(
                    path: path, found: "token \(id) '\(token)' between <|startoftranscript|> and <|translate|>",
                    expected: "a language token such as <|en|>")
            }
            codes.append(String(token.dropFirst(2).dropLast(2)))
        }
        if codes.first != "en" {
            throw WhisperTokenizerError.inconsistent(
                path: path, found: "first language token <|\(codes.first ?? "")|>", expected: "<|en|>")
        }
        let timestampCount = tokens.count - timestampBegin
        if timestampCount != 1501 || tokens.last != "<|30.00|>" {
            throw WhisperTokenizerError.inconsistent(
                path: path, found: "\(timestampCount) timestamp tokens ending in '\(tokens.last ?? "")'",
                expected: "1501 from <|0.00|> to <|30.00|> at the end of the vocabulary")
        }
        languageCodes = codes
        languageIndex = Dictionary(codes.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let endOfText = special.endOfText
        bpe = ByteLevelBPE(vocabulary: ids.filter { $0.value < endOfText })
    }

    /// Reads `tokenizer.json` (BPE vocabulary, merges, added tokens) and `vocabulary.txt` (every id, one a line,
    /// with the timestamps), checking that they agree on every id the JSON names.
    public init(tokenizerJSON: URL, vocabularyText: URL) throws {
        let jsonPath = tokenizerJSON.path
        let json: [String: Any]
        do {
            let data = try Data(contentsOf: tokenizerJSON)
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw WhisperTokenizerError.unreadable(path: jsonPath, reason: "the top level is not an object")
            }
            json = object
        } catch let error as WhisperTokenizerError {
            throw error
        } catch {
            throw WhisperTokenizerError.unreadable(path: jsonPath, reason: "\(error)")
        }
        guard let model = json["model"] as? [String: Any], model["type"] as? String == "BPE",
            let vocabulary = model["vocab"] as? [String: Int], let merges = model["merges"] as? [Any]
        else {
            throw WhisperTokenizerError.inconsistent(
                path: jsonPath, found: "no BPE model with vocab and merges", expected: "a Hugging Face BPE tokenizer")
        }
        var mergeStrings: [String] = []
        mergeStrings.reserveCapacity(merges.count)
        for merge in merges {
            if let string = merge as? String {
                mergeStrings.append(string)
            } else if let pair = merge as? [String], pair.count == 2 {
                mergeStrings.append(pair[0] + " " + pair[1])
            } else {
                throw WhisperTokenizerError.inconsistent(
                    path: jsonPath, found: "merge \(merge)", expected: "\"left right\" or [left, right]")
            }
        }
        var named: [Int: String] = [:]
        for (token, id) in vocabulary { named[id] = token }
        for case let added as [String: Any] in (json["added_tokens"] as? [Any]) ?? [] {
            if let id = added["id"] as? Int, let content = added["content"] as? String { named[id] = content }
        }
        let textPath = vocabularyText.path
        let lines: [String]
        do {
            var text = try String(contentsOf: vocabularyText, encoding: .utf8)
            if text.hasSuffix("\n") { text.removeLast() }
            lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        } catch {
            throw WhisperTokenizerError.unreadable(path: textPath, reason: "\(error)")
        }
        for (id, token) in named.sorted(by: { $0.key < $1.key }) {
            guard id < lines.count, lines[id] == token else {
                throw WhisperTokenizerError.inconsistent(
                    path: textPath, found: "line \(id + 1) '\(id < lines.count ? lines[id] : "<missing>")'",
                    expected: "'\(token)' as \(jsonPath) names id \(id)")
            }
        }
        try self.init(tokens: lines, merges: mergeStrings, path: textPath)
    }

    /// The language token's id for a code such as `sw`, or nil if Whisper has no such language.
    public func languageToken(for code: String) -> Int? {
        languageIndex[code].map { special.firstLanguage + $0 }
    }

    /// The language code of a language token id, or nil.
    public func languageCode(ofToken id: Int) -> String? {
        let index = id - special.firstLanguage
        return languageCodes.indices.contains(index) ? languageCodes[index] : nil
    }

    /// Whether `merges[i]` makes token `256 + i` for every `i`: the GPT-2 property that makes a merge-list BPE agree
    /// with tiktoken's rank rule. False for Whisper base's `tokenizer.json`, which lacks its first merge.
    public var mergesFollowTokenIDs: Bool {
        if merges.count != special.endOfText - 256 && merges.count != special.endOfText - 257 { return false }
        let ids = Dictionary(tokens.prefix(special.endOfText).enumerated().map { ($1, $0) }) { first, _ in first }
        for (index, merge) in merges.enumerated() {
            guard let space = merge.firstIndex(of: " "),
                ids[String(merge[..<space]) + String(merge[merge.index(after: space)...])] == 256 + index
            else { return false }
        }
        return true
    }

    /// The merge list the token ids imply (tiktoken's ranks), one `"left right"` per ordinary token past the 256
    /// bytes in id order: what a merge-list BPE needs to tokenize exactly as Whisper's tiktoken does.
    public func mergesImpliedByTokenIDs() -> [String] {
        (256..<special.endOfText).compactMap { id in
            bpe.mergeThatMade(tokens[id], rank: id).map { "\($0.left) \($0.right)" }
        }
    }

    /// Whether `id` is a timestamp token.
    public func isTimestamp(_ id: Int) -> Bool { id >= special.timestampBegin && id < tokens.count }

    /// The time of a timestamp token in seconds (a multiple of 0.02), or nil for other ids.
    public func timestampSeconds(ofToken id: Int) -> Double? {
        isTimestamp(id) ? Double(id - special.timestampBegin) * 0.02 : nil
    }

    /// The timestamp token nearest to `seconds` (clamped to 0 ... 30 s).
    public func timestampToken(seconds: Double) -> Int {
        special.timestampBegin + min(1500, max(0, Int((seconds / 0.02).rounded())))
    }

    /// Whether `id` is a special token (end of text and everything after the BPE vocabulary, timestamps too).
    public func isSpecial(_ id: Int) -> Bool { id >= special.endOfText }

    /// The start of a decoder prompt: `<|startoftranscript|>`, then for multilingual vocabularies the language
    /// and task tokens, then `<|notimestamps|>` unless `timestamps`. English-only models take no language or task
    /// token, as Whisper does. With `previousText`, `<|startofprev|>` and its tokens come first (an initial prompt
    /// that biases the decoder toward its words), cut to its last `maximumPreviousTokens` (Whisper's 223).
    public func decoderPrompt(
        language: String?, task: WhisperTask = .transcribe, timestamps: Bool, previousText: String? = nil,
        maximumPreviousTokens: Int = 223
    ) throws -> [Int] {
        var prompt: [Int] = []
        if let previousText, !previousText.isEmpty {
            prompt.append(special.startOfPrevious)
            prompt += encode(previousText).suffix(maximumPreviousTokens)
        }
        prompt.append(special.startOfTranscript)
        if isMultilingual {
            let code = language ?? "en"
            guard let token = languageToken(for: code) else {
                throw WhisperTokenizerError.unknownLanguage(path: sourcePath, code: code, available: languageCodes)
            }
            prompt.append(token)
            prompt.append(task == .transcribe ? special.transcribe : special.translate)
        } else if let language, language != "en" {
            throw WhisperTokenizerError.unknownLanguage(path: sourcePath, code: language, available: ["en"])
        }
        if !timestamps { prompt.append(special.noTimestamps) }
        return prompt
    }

    /// Whether this is the multilingual vocabulary (Whisper's own test: 51,865 ids or more).
    public var isMultilingual: Bool { tokens.count >= 51_865 }

    /// The ids of ordinary text, GPT-2 style; special-token spellings in `text` are encoded as plain text.
    public func encode(_ text: String) -> [Int] {
        // The vocabulary holds every single byte and every merge result, so encode never fails on a real model.
        bpe.encode(text) ?? []
    }

    /// The text of `ids`: byte-level spellings turned back into UTF-8 (invalid sequences become U+FFFD). Special
    /// tokens are left out unless `includingSpecial`, which renders them as written (`<|en|>`).
    public func decode(_ ids: [Int], includingSpecial: Bool = false) -> String {
        var bytes: [UInt8] = []
        var text = ""
        for id in ids where id >= 0 && id < tokens.count {
            if isSpecial(id) {
                guard includingSpecial else { continue }
                text += String(decoding: bytes, as: UTF8.self) + tokens[id]
                bytes.removeAll(keepingCapacity: true)
                continue
            }
            for scalar in tokens[id].unicodeScalars {
                if let byte = ByteLevelBPE.characterToByte[scalar.value] { bytes.append(byte) }
            }
        }
        return text + String(decoding: bytes, as: UTF8.self)
    }
}
