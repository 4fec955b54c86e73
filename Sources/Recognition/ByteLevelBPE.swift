/// GPT-2's byte-level BPE as tiktoken runs it: the bytes-to-unicode table, the pre-tokenizer pattern and merging by
/// rank.
///
/// Whisper's tokenizer is GPT-2's: text is split into pieces by GPT-2's pattern, each piece's UTF-8 bytes are
/// spelled with one printable character per byte (`byteToCharacter`); a piece that is a whole token is that token,
/// otherwise the adjacent pair whose concatenation has the lowest id is merged (the leftmost on a tie), one pair at a
/// time, until no adjacent pair forms a token. Whisper was trained with tiktoken, which ranks pairs this way by the
/// merged token's rank (its id), not by a merge list; that matters here because the multilingual `tokenizer.json`
/// of Whisper base lacks its first merge (`Ġ t`), so a merge-list BPE would never form " the".
/// Immutable after init, so safe to share.
public struct ByteLevelBPE: Sendable {
    /// The character standing for each byte: printable Latin-1 bytes stand for themselves, the other 68 bytes for
    /// U+0100 onwards in byte order (so a space is `Ġ`, U+0120, and a newline `Ċ`).
    public static let byteToCharacter: [Character] = {
        var printable = Array(UInt8(ascii: "!")...UInt8(ascii: "~"))
        printable += Array(UInt8(0xA1)...UInt8(0xAC)) + Array(UInt8(0xAE)...UInt8(0xFF))
        let printableSet = Set(printable)
        var table = [Character](repeating: " ", count: 256)
        var next: UInt32 = 256
        for byte in 0...255 {
            if printableSet.contains(UInt8(byte)) {
                table[byte] = Character(Unicode.Scalar(UInt8(byte)))
            } else {
                table[byte] = Character(Unicode.Scalar(next)!)
                next += 1
            }
        }
        return table
    }()

    /// The inverse of `byteToCharacter`, by Unicode scalar value.
    public static let characterToByte: [UInt32: UInt8] = {
        var table: [UInt32: UInt8] = [:]
        for (byte, character) in byteToCharacter.enumerated() {
            table[character.unicodeScalars.first!.value] = UInt8(byte)
        }
        return table
    }()

    private let ids: [String: Int]

    /// A BPE over `vocabulary`: byte-level token spellings to ids, the ids doubling as merge ranks. Pass ordinary
    /// tokens only (no special tokens).
    public init(vocabulary: [String: Int]) {
        ids = vocabulary
    }

    /// The ids of ordinary `text` (no special tokens are recognized in it).
    ///
    /// Returns nil only if a merged symbol has no id, which a consistent vocabulary and merge list never produce.
    public func encode(_ text: String) -> [Int]? {
        var result: [Int] = []
        for piece in Self.pretokenize(text) {
            let symbols = Self.spell(piece)
            if let id = ids[symbols.joined()] {
                result.append(id)
                continue
            }
            for symbol in merge(symbols) {
                guard let id = ids[symbol] else { return nil }
                result.append(id)
            }
        }
        return result
    }

    /// The merge that made `token` (id `rank`): BPE over its bytes with only lower-ranked tokens, which for a
    /// tiktoken vocabulary stops at exactly two symbols; nil otherwise (a single byte, or an unmergeable token).
    func mergeThatMade(_ token: String, rank: Int) -> (left: String, right: String)? {
        let parts = merge(token.unicodeScalars.map { String($0) }, rankLimit: rank)
        return parts.count == 2 ? (parts[0], parts[1]) : nil
    }

    /// The byte-level spelling of `piece`, one symbol per UTF-8 byte.
    static func spell(_ piece: Substring) -> [String] {
        piece.utf8.map { String(byteToCharacter[Int($0)]) }
    }

    /// Merges `symbols`: the adjacent pair whose concatenation has the lowest id (leftmost on a tie), one at a time,
    /// until no adjacent pair forms a token.
    /// Only tokens with ids below `rankLimit` take part (used to recover the merge that made a token).
    func merge(_ symbols: [String], rankLimit: Int = Int.max) -> [String] {
        var symbols = symbols
        while symbols.count > 1 {
            var bestRank = rankLimit
            var bestIndex = -1
            for index in 0..<(symbols.count - 1) {
                if let rank = ids[symbols[index] + symbols[index + 1]], rank < bestRank {
                    bestRank = rank
                    bestIndex = index
                }
            }
            if bestIndex < 0 { break }
            symbols[bestIndex] += symbols[bestIndex + 1]
            symbols.remove(at: bestIndex + 1)
        }
        return symbols
    }

    /// Splits text as GPT-2's pattern does, tried in this order at each position:
    /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
    public static func pretokenize(_ text: String) -> [Substring] {
        let scalars = text.unicodeScalars
        var pieces: [Substring] = []
        var start = scalars.startIndex
        while start < scalars.endIndex {
            let end = pieceEnd(scalars, from: start)
            pieces.append(Substring(scalars[start..<end]))
            start = end
        }
        return pieces
    }

    private enum Kind { case letter, number, space, other }

    private static func kind(_ scalar: Unicode.Scalar) -> Kind {
        if scalar.properties.isWhitespace { return .space }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return .letter
        case .decimalNumber, .letterNumber, .otherNumber: return .number
        default: return .other
        }
    }

    private static func pieceEnd(
        _ s: String.UnicodeScalarView, from start: String.UnicodeScalarView.Index
    )
        -> String.UnicodeScalarView.Index
    {
        let first = s[start]
        let second = s.index(after: start)
        if first == "'" && second < s.endIndex {
            let rest = s[second...].prefix(2).map(Character.init)
            if rest.count == 2, ["re", "ve", "ll"].contains(String(rest)) { return s.index(second, offsetBy: 2) }
            if ["s", "t", "m", "d"].contains(String(rest[0])) { return s.index(after: second) }
        }
        var runStart = start
        var runKind = kind(first)
        if first == " " && second < s.endIndex && kind(s[second]) != .space {
            runStart = second
            runKind = kind(s[second])
        }
        if runKind != .space {
            var end = s.index(after: runStart)
            while end < s.endIndex && kind(s[end]) == runKind { end = s.index(after: end) }
            return end
        }
        // A whitespace run: all of it at the end of the text, else all but its last character (which may start the
        // next piece as its optional leading space); a single whitespace character before text stands alone.
        var end = second
        var beforeEnd = start
        while end < s.endIndex && kind(s[end]) == .space {
            beforeEnd = end
            end = s.index(after: end)
        }
        if end == s.endIndex || beforeEnd == start { return end }
        return beforeEnd
    }
}
