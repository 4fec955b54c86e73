import TutorCore

/// Turns tokens, given one at a time, into text pieces that never split a UTF-8 character.
///
/// A byte-level token can end in the middle of a character (an emoji is often two or three tokens); its bytes wait
/// until the character is complete. Feed generated tokens as they arrive and speak or print each returned piece.
/// Not thread-safe: give each generation its own.
///
/// ```swift
/// var detokenizer = IncrementalDetokenizer(tokenizer: tokenizer)
/// for token in generated { print(detokenizer.append(token), terminator: "") }
/// print(detokenizer.finish())
/// ```
public struct IncrementalDetokenizer: Stage {
    /// Token ids in.
    public typealias Input = TokenID
    /// Text pieces out, each whole UTF-8.
    public typealias Output = String

    /// The tokenizer whose pieces are joined.
    public let tokenizer: any Tokenizing
    /// Whether control tokens (`<|im_end|>`) appear in the text.
    public let includeSpecial: Bool
    /// Bytes of a character not yet complete (at most 3).
    private var pending: [UInt8] = []

    /// A detokenizer over `tokenizer`'s pieces.
    public init(tokenizer: any Tokenizing, includeSpecial: Bool = false) {
        self.tokenizer = tokenizer
        self.includeSpecial = includeSpecial
    }

    /// Adds one token; returns the text now complete (possibly empty).
    public mutating func append(_ token: TokenID) -> String {
        tokenizer.appendPiece(of: token, includeSpecial: includeSpecial, to: &pending)
        let complete = Self.completeLength(of: pending)
        guard complete > 0 else { return "" }
        let text = String(decoding: pending[..<complete], as: UTF8.self)
        pending.removeFirst(complete)
        return text
    }

    /// Returns whatever is still held; bytes that never became a character come out as U+FFFD.
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return pending.isEmpty ? "" : String(decoding: pending, as: UTF8.self)
    }

    /// The number of leading bytes that do not end inside an unfinished UTF-8 sequence.
    static func completeLength(of bytes: [UInt8]) -> Int {
        var start = bytes.count - 1
        // Find the start of the last sequence: at most three continuation bytes back.
        while start >= 0 && start >= bytes.count - 4 && bytes[start] & 0xC0 == 0x80 { start -= 1 }
        guard start >= 0, start >= bytes.count - 4 else { return bytes.count }
        let lead = bytes[start]
        let needed =
            lead >= 0xF0 && lead < 0xF8 ? 4 : lead >= 0xE0 && lead < 0xF0 ? 3 : lead >= 0xC0 && lead < 0xE0 ? 2 : 1
        return bytes.count - start < needed ? start : bytes.count
    }

    /// Consumes one token and appends the text it completes, if any.
    public mutating func process(_ input: TokenID, into output: inout [String]) {
        let text = append(input)
        if !text.isEmpty { output.append(text) }
    }

    /// Appends what is still held at the end of generation.
    public mutating func flush(into output: inout [String]) {
        let text = finish()
        if !text.isEmpty { output.append(text) }
    }

    /// Drops what is held (the child interrupted).
    public mutating func reset() { pending.removeAll() }
}
