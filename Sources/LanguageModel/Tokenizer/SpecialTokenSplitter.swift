/// A piece of text after special tokens are cut out: plain text to split and merge, or one special token.
enum TextFragment: Equatable {
    /// Plain text: a byte range of the input.
    case text(Range<Int>)
    /// A special token found in the text.
    case token(TokenID)
}

/// Finds special tokens (chat markup such as `<|im_start|>`) in text before ordinary tokenizing.
///
/// As llama.cpp does: longer tokens are searched first, each through every remaining text fragment, left to right.
/// Control and unknown tokens are matched only when `parseSpecial` is set; user-defined tokens always are.
struct SpecialTokenSplitter: Sendable {
    /// (token text, id, kind), longest text first.
    let candidates: [(text: [UInt8], id: TokenID, kind: TokenKind)]

    init(vocabulary: TokenVocabulary) {
        var candidates = [(text: [UInt8], id: TokenID, kind: TokenKind)]()
        for (index, kind) in vocabulary.kinds.enumerated()
        where kind == .control || kind == .userDefined || kind == .unknown {
            let text = vocabulary.tokens[index]
            if !text.isEmpty { candidates.append((text, TokenID(index), kind)) }
        }
        // Stable for equal lengths (lower id first), so the order does not depend on the sort's implementation.
        self.candidates = candidates.enumerated().sorted {
            $0.element.text.count != $1.element.text.count
                ? $0.element.text.count > $1.element.text.count : $0.offset < $1.offset
        }.map(\.element)
    }

    /// Cuts `bytes` into text fragments and special tokens.
    func split(_ bytes: [UInt8], parseSpecial: Bool) -> [TextFragment] {
        guard !bytes.isEmpty else { return [] }
        var fragments: [TextFragment] = [.text(0..<bytes.count)]
        for candidate in candidates {
            if !parseSpecial && candidate.kind != .userDefined { continue }
            let needle = candidate.text
            var result = [TextFragment]()
            result.reserveCapacity(fragments.count)
            var changed = false
            for fragment in fragments {
                guard case .text(let range) = fragment else {
                    result.append(fragment)
                    continue
                }
                var start = range.lowerBound
                while let match = Self.find(needle, in: bytes, from: start, to: range.upperBound) {
                    if match > start { result.append(.text(start..<match)) }
                    result.append(.token(candidate.id))
                    start = match + needle.count
                    changed = true
                }
                if start < range.upperBound { result.append(.text(start..<range.upperBound)) }
            }
            if changed { fragments = result }
        }
        return fragments
    }

    /// The first index at or after `start` where `needle` occurs wholly before `end`.
    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int, to end: Int) -> Int? {
        let length = needle.count
        guard length > 0, end - start >= length else { return nil }
        let first = needle[0]
        return bytes.withUnsafeBufferPointer { haystack in
            needle.withUnsafeBufferPointer { pattern in
                var index = start
                let last = end - length
                while index <= last {
                    if haystack[index] == first {
                        var offset = 1
                        while offset < length && haystack[index + offset] == pattern[offset] { offset += 1 }
                        if offset == length { return index }
                    }
                    index += 1
                }
                return nil
            }
        }
    }
}
