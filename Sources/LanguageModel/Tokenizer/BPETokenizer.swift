import GGUF

/// GPT-2 byte-level BPE, as SmolLM2, Qwen2 and Llama 3 use it (`tokenizer.ggml.model` = `gpt2`).
///
/// Encoding: special tokens are cut out first; the rest is split into words by the model's `PreTokenizer`; each
/// word's UTF-8 bytes start as one symbol per byte and the lowest-ranked adjacent pair in `tokenizer.ggml.merges` is
/// merged until no pair has a rule. Symbols are token ids throughout, so a merge is one dictionary lookup.
public struct BPETokenizer: Tokenizing {
    /// The vocabulary and special ids.
    public let vocabulary: TokenVocabulary
    /// The word-splitting rule named by `tokenizer.ggml.pre`.
    public let preTokenizer: PreTokenizer
    let splitter: SpecialTokenSplitter
    /// (left id << 32 | right id) -> (rank << 32 | merged id). Ids past the vocabulary name merge results that are
    /// not tokens themselves (`extraSymbols`).
    let merges: [UInt64: UInt64]
    /// The symbol for each byte: the id of the token spelled by that byte's standing scalar.
    let byteSymbols: [UInt32]
    /// Stored text of symbols that are not in the vocabulary, indexed from `vocabulary.count`.
    let extraSymbols: [[UInt8]]
    /// Each normal token's bytes, decoded from its stored text once.
    let decodedPieces: [[UInt8]]

    /// Reads the vocabulary, merges and pre-tokenizer from `file`'s metadata; `preTokenizer` overrides the file's.
    public init(file: GGUFFile, preTokenizer override: PreTokenizer? = nil) throws {
        let path = file.path
        let name = file.metadata["tokenizer.ggml.pre"]?.string
        guard let preTokenizer = override ?? PreTokenizer(metadataName: name) else {
            throw TokenizerError.unsupportedPreTokenizer(path: path, name: name ?? "")
        }
        guard let mergeArray = file.metadata["tokenizer.ggml.merges"]?.array, mergeArray.elementType == .string else {
            throw TokenizerError.missingMetadata(path: path, key: "tokenizer.ggml.merges", expected: "a string array")
        }
        var merges = [[UInt8]]()
        merges.reserveCapacity(mergeArray.count)
        for index in 0..<mergeArray.count { merges.append(mergeArray.withStringBytes(at: index) { Array($0) } ?? []) }
        try self.init(vocabulary: TokenVocabulary(file: file), merges: merges, preTokenizer: preTokenizer, path: path)
    }

    /// Builds a tokenizer from parts; each merge is "left right" in stored (byte-level encoded) text, best first.
    public init(
        vocabulary: TokenVocabulary, merges: [[UInt8]], preTokenizer: PreTokenizer, path: String = "<memory>"
    )
        throws
    {
        self.vocabulary = vocabulary
        self.preTokenizer = preTokenizer
        splitter = SpecialTokenSplitter(vocabulary: vocabulary)

        var extraSymbols = [[UInt8]]()
        var extraIDs = [[UInt8]: UInt32]()
        func symbol(for text: [UInt8]) -> UInt32 {
            if let id = vocabulary.id(forText: text) { return UInt32(id) }
            if let id = extraIDs[text] { return id }
            let id = UInt32(vocabulary.count + extraSymbols.count)
            extraSymbols.append(text)
            extraIDs[text] = id
            return id
        }
        byteSymbols = ByteLevelEncoding.utf8ForByte.map { symbol(for: $0) }

        var table = [UInt64: UInt64](minimumCapacity: merges.count)
        for (rank, merge) in merges.enumerated() {
            // The separator is the first space after the first byte, as llama.cpp reads it.
            guard merge.count >= 3, let space = merge[1...].firstIndex(of: 0x20), space + 1 < merge.count else {
                throw TokenizerError.malformedMerge(
                    path: path, index: rank, merge: String(decoding: merge, as: UTF8.self))
            }
            let left = Array(merge[..<space])
            let right = Array(merge[(space + 1)...])
            let key = UInt64(symbol(for: left)) << 32 | UInt64(symbol(for: right))
            if table[key] == nil { table[key] = UInt64(rank) << 32 | UInt64(symbol(for: left + right)) }
        }
        self.merges = table
        self.extraSymbols = extraSymbols

        decodedPieces = vocabulary.tokens.enumerated().map { id, text in
            guard vocabulary.kinds[id] == .normal else { return text }
            var bytes = [UInt8]()
            ByteLevelEncoding.decode(text, into: &bytes)
            return bytes
        }
    }

    /// The token ids for `text` (see `Tokenizing.encode(_:addSpecial:parseSpecial:)`).
    public func encode(_ text: String, addSpecial: Bool, parseSpecial: Bool) -> [TokenID] {
        var output = [TokenID]()
        if addSpecial, vocabulary.addsBOS, let bos = vocabulary.bosID { output.append(bos) }
        let bytes = Array(text.utf8)
        var workspace = Workspace()
        for fragment in splitter.split(bytes, parseSpecial: parseSpecial) {
            switch fragment {
            case .token(let id): output.append(id)
            case .text(let range): encodePlain(bytes, range: range, workspace: &workspace, into: &output)
            }
        }
        if addSpecial, vocabulary.addsEOS, let eos = vocabulary.eosID { output.append(eos) }
        return output
    }

    /// Buffers reused across the fragments of one call.
    struct Workspace {
        var scalars = [UInt32]()
        var classes = [UInt8]()
        var byteOffsets = [Int]()
        var wordEnds = [Int]()
        var symbols = [UInt32]()
    }

    /// Splits one plain-text fragment into words and appends each word's merged tokens.
    func encodePlain(_ bytes: [UInt8], range: Range<Int>, workspace: inout Workspace, into output: inout [TokenID]) {
        workspace.scalars.removeAll(keepingCapacity: true)
        workspace.classes.removeAll(keepingCapacity: true)
        workspace.byteOffsets.removeAll(keepingCapacity: true)
        workspace.wordEnds.removeAll(keepingCapacity: true)
        bytes.withUnsafeBufferPointer { buffer in
            // The input came from a Swift String and special tokens are whole characters: the UTF-8 is valid.
            var index = range.lowerBound
            while index < range.upperBound {
                let lead = buffer[index]
                var value = UInt32(lead)
                var length = 1
                if lead >= 0xF0 {
                    length = 4
                    value = UInt32(lead & 0x07)
                } else if lead >= 0xE0 {
                    length = 3
                    value = UInt32(lead & 0x0F)
                } else if lead >= 0xC0 {
                    length = 2
                    value = UInt32(lead & 0x1F)
                }
                for offset in 1..<max(length, 1) where index + offset < range.upperBound {
                    value = value << 6 | UInt32(buffer[index + offset] & 0x3F)
                }
                workspace.byteOffsets.append(index)
                workspace.scalars.append(value)
                workspace.classes.append(ScalarClass.of(value))
                index += length
            }
        }
        workspace.byteOffsets.append(range.upperBound)
        workspace.scalars.withUnsafeBufferPointer { scalars in
            workspace.classes.withUnsafeBufferPointer { classes in
                preTokenizer.split(scalars, classes: classes, into: &workspace.wordEnds)
            }
        }
        var wordStart = 0
        for wordEnd in workspace.wordEnds {
            let byteRange = workspace.byteOffsets[wordStart]..<workspace.byteOffsets[wordEnd]
            workspace.symbols.removeAll(keepingCapacity: true)
            for byte in bytes[byteRange] { workspace.symbols.append(byteSymbols[Int(byte)]) }
            mergeSymbols(&workspace.symbols)
            appendTokens(workspace.symbols, to: &output)
            wordStart = wordEnd
        }
    }

    /// Applies merge rules until none applies: always the lowest-ranked pair, every occurrence left to right.
    func mergeSymbols(_ symbols: inout [UInt32]) {
        while symbols.count > 1 {
            var bestRank = UInt64.max
            var bestPair: UInt64 = 0
            var bestResult: UInt32 = 0
            for index in 0..<(symbols.count - 1) {
                let key = UInt64(symbols[index]) << 32 | UInt64(symbols[index + 1])
                if let value = merges[key], value >> 32 < bestRank {
                    bestRank = value >> 32
                    bestPair = key
                    bestResult = UInt32(truncatingIfNeeded: value)
                }
            }
            if bestRank == UInt64.max { return }
            let left = UInt32(truncatingIfNeeded: bestPair >> 32)
            let right = UInt32(truncatingIfNeeded: bestPair)
            var write = 0
            var read = 0
            while read < symbols.count {
                if read + 1 < symbols.count && symbols[read] == left && symbols[read + 1] == right {
                    symbols[write] = bestResult
                    read += 2
                } else {
                    symbols[write] = symbols[read]
                    read += 1
                }
                write += 1
            }
            symbols.removeLast(symbols.count - write)
        }
    }

    /// Appends merged symbols as tokens; a symbol outside the vocabulary falls back to one-byte tokens.
    func appendTokens(_ symbols: [UInt32], to output: inout [TokenID]) {
        let count = vocabulary.count
        for symbol in symbols {
            if Int(symbol) < count {
                output.append(TokenID(symbol))
            } else {
                // As llama.cpp does: each byte of the stored text, looked up as a one-byte token, else dropped.
                for byte in extraSymbols[Int(symbol) - count] {
                    if let id = vocabulary.id(forText: [byte]) { output.append(id) }
                }
            }
        }
    }

    /// Appends the bytes `token` stands for.
    public func appendPiece(of token: TokenID, includeSpecial: Bool, to bytes: inout [UInt8]) {
        guard token >= 0, Int(token) < vocabulary.count else { return }
        switch vocabulary.kinds[Int(token)] {
        case .normal, .userDefined: bytes.append(contentsOf: decodedPieces[Int(token)])
        case .control, .unknown: if includeSpecial { bytes.append(contentsOf: decodedPieces[Int(token)]) }
        case .byte:
            if let byte = SentencePieceTokenizer.byteValue(of: vocabulary.tokens[Int(token)]) { bytes.append(byte) }
        case .unused: break
        }
    }
}
