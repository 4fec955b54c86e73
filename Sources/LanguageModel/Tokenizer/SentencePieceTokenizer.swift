import GGUF

/// SentencePiece BPE as Llama 1/2, Mistral and Gemma vocabularies use it (`tokenizer.ggml.model` = `llama`).
///
/// Spaces become `▁` (U+2581), with one put in front of the text when `tokenizer.ggml.add_space_prefix` says so
/// (the default). Starting from one symbol per character, the adjacent pair whose joined text is the token with the
/// highest score merges first; text left outside the vocabulary falls back to `<0xXX>` byte tokens.
public struct SentencePieceTokenizer: Tokenizing {
    /// The vocabulary, scores and special ids.
    public let vocabulary: TokenVocabulary
    /// Whether a space is put in front of text that follows the start or a special token.
    public let addsSpacePrefix: Bool
    let splitter: SpecialTokenSplitter
    /// The `<0xXX>` token for each byte, if the vocabulary has it.
    let byteTokens: [TokenID?]

    /// Reads the vocabulary and scores from `file`'s metadata.
    public init(file: GGUFFile) throws {
        let vocabulary = try TokenVocabulary(file: file, defaultAddsBOS: true)
        guard vocabulary.scores.count == vocabulary.count else {
            throw TokenizerError.missingMetadata(
                path: file.path, key: "tokenizer.ggml.scores", expected: "a float array with one score per token")
        }
        self.init(
            vocabulary: vocabulary, addsSpacePrefix: file.metadata["tokenizer.ggml.add_space_prefix"]?.bool ?? true)
    }

    /// Builds a tokenizer from a vocabulary with scores.
    public init(vocabulary: TokenVocabulary, addsSpacePrefix: Bool = true) {
        self.vocabulary = vocabulary
        self.addsSpacePrefix = addsSpacePrefix
        splitter = SpecialTokenSplitter(vocabulary: vocabulary)
        let hex = Array("0123456789ABCDEF".utf8)
        byteTokens = (0..<256).map { byte in
            let text: [UInt8] = [0x3C, 0x30, 0x78, hex[byte >> 4], hex[byte & 15], 0x3E]  // <0xXX>
            return vocabulary.id(forText: text) ?? vocabulary.id(forText: [UInt8(byte)])
        }
    }

    /// The byte a `<0xXX>` token stands for, or nil if the text is not of that form.
    static func byteValue(of text: [UInt8]) -> UInt8? {
        guard text.count == 6, text[0] == 0x3C, text[1] == 0x30, text[2] == 0x78, text[5] == 0x3E else { return nil }
        return UInt8(String(decoding: text[3...4], as: UTF8.self), radix: 16)
    }

    /// The token ids for `text` (see `Tokenizing.encode(_:addSpecial:parseSpecial:)`).
    public func encode(_ text: String, addSpecial: Bool, parseSpecial: Bool) -> [TokenID] {
        var output = [TokenID]()
        if addSpecial, vocabulary.addsBOS, let bos = vocabulary.bosID { output.append(bos) }
        let bytes = Array(text.utf8)
        var previousIsSpecial = true
        for fragment in splitter.split(bytes, parseSpecial: parseSpecial) {
            switch fragment {
            case .token(let id):
                output.append(id)
                previousIsSpecial = true
            case .text(let range):
                var escaped = [UInt8]()
                escaped.reserveCapacity(range.count + 3)
                if addsSpacePrefix && previousIsSpecial { escaped.append(contentsOf: [0xE2, 0x96, 0x81]) }
                for byte in bytes[range] {
                    if byte == 0x20 { escaped.append(contentsOf: [0xE2, 0x96, 0x81]) } else { escaped.append(byte) }
                }
                encodeEscaped(escaped, into: &output)
                previousIsSpecial = false
            }
        }
        if addSpecial, vocabulary.addsEOS, let eos = vocabulary.eosID { output.append(eos) }
        return output
    }

    private struct Symbol {
        var start: Int
        var length: Int
        var previous: Int
        var next: Int
    }

    private struct Bigram {
        var left: Int
        var right: Int
        var score: Float
        var length: Int

        /// Heap order: higher score first, then the leftmost.
        func outranks(_ other: Bigram) -> Bool {
            score > other.score || (score == other.score && left < other.left)
        }
    }

    /// Merges one escaped fragment and appends its tokens.
    private func encodeEscaped(_ text: [UInt8], into output: inout [TokenID]) {
        var symbols = [Symbol]()
        var offset = 0
        while offset < text.count {
            let lead = text[offset]
            let length = min(lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4, text.count - offset)
            symbols.append(Symbol(start: offset, length: length, previous: symbols.count - 1, next: -1))
            offset += length
            if offset < text.count { symbols[symbols.count - 1].next = symbols.count }
        }
        var heap = [Bigram]()
        var reverseMerges = [[UInt8]: (Int, Int)]()
        func push(_ bigram: Bigram) {
            heap.append(bigram)
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard heap[child].outranks(heap[parent]) else { break }
                heap.swapAt(child, parent)
                child = parent
            }
        }
        func pop() -> Bigram {
            let top = heap[0]
            let last = heap.removeLast()
            if !heap.isEmpty {
                heap[0] = last
                var parent = 0
                while true {
                    let left = 2 * parent + 1
                    let right = left + 1
                    var best = parent
                    if left < heap.count && heap[left].outranks(heap[best]) { best = left }
                    if right < heap.count && heap[right].outranks(heap[best]) { best = right }
                    if best == parent { break }
                    heap.swapAt(parent, best)
                    parent = best
                }
            }
            return top
        }
        func tryAddBigram(_ left: Int, _ right: Int) {
            guard left >= 0, right >= 0 else { return }
            let joined = Array(
                text[symbols[left].start..<(symbols[left].start + symbols[left].length + symbols[right].length)])
            guard let id = vocabulary.id(forText: joined) else { return }
            push(Bigram(left: left, right: right, score: vocabulary.scores[Int(id)], length: joined.count))
            reverseMerges[joined] = (left, right)
        }
        for index in symbols.indices.dropFirst() { tryAddBigram(index - 1, index) }
        while !heap.isEmpty {
            let bigram = pop()
            let left = symbols[bigram.left]
            let right = symbols[bigram.right]
            if left.length == 0 || right.length == 0 || left.length + right.length != bigram.length { continue }
            symbols[bigram.left].length += right.length
            symbols[bigram.right].length = 0
            symbols[bigram.left].next = right.next
            if right.next >= 0 { symbols[right.next].previous = bigram.left }
            tryAddBigram(symbols[bigram.left].previous, bigram.left)
            tryAddBigram(bigram.left, symbols[bigram.left].next)
        }
        func resegment(_ index: Int) {
            let symbol = symbols[index]
            let piece = Array(text[symbol.start..<(symbol.start + symbol.length)])
            if let id = vocabulary.id(forText: piece) {
                output.append(id)
            } else if let (left, right) = reverseMerges[piece] {
                resegment(left)
                resegment(right)
            } else {
                for byte in piece {
                    if let id = byteTokens[Int(byte)] ?? vocabulary.unknownID { output.append(id) }
                }
            }
        }
        var index = symbols.isEmpty ? -1 : 0
        while index != -1 {
            resegment(index)
            index = symbols[index].next
        }
    }

    /// Appends the bytes `token` stands for (`▁` back to a space, `<0xXX>` to its byte).
    public func appendPiece(of token: TokenID, includeSpecial: Bool, to bytes: inout [UInt8]) {
        guard token >= 0, Int(token) < vocabulary.count else { return }
        let text = vocabulary.tokens[Int(token)]
        switch vocabulary.kinds[Int(token)] {
        case .normal:
            var index = 0
            while index < text.count {
                if index + 2 < text.count && text[index] == 0xE2 && text[index + 1] == 0x96 && text[index + 2] == 0x81 {
                    bytes.append(0x20)
                    index += 3
                } else {
                    bytes.append(text[index])
                    index += 1
                }
            }
        case .userDefined: bytes.append(contentsOf: text)
        case .control, .unknown: if includeSpecial { bytes.append(contentsOf: text) }
        case .byte: if let byte = Self.byteValue(of: text) { bytes.append(byte) }
        case .unused: break
        }
    }
}
