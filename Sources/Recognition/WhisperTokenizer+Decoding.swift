/// A stretch of decoded text between two timestamp tokens.
public struct WhisperTextSegment: Sendable, Equatable {
    /// Where the segment starts, in seconds from the start of its 30-second window.
    public var startSeconds: Double
    /// Where it ends, in seconds from the start of its window.
    public var endSeconds: Double
    /// The text (leading space kept, as Whisper writes it).
    public var text: String
}

extension WhisperTokenizer {
    /// Splits a timestamped token sequence into segments: `<|t0|> text <|t1|>` makes one segment; a pair of
    /// timestamps in a row ends one segment and starts the next. Text after the last timestamp (an unfinished
    /// segment) is returned with `endSeconds` = its start, so the caller can seek back to it. Special tokens other
    /// than timestamps are ignored; text before the first timestamp starts at 0.
    public func segments(_ ids: [Int]) -> [WhisperTextSegment] {
        var segments: [WhisperTextSegment] = []
        var start: Double?
        var textIDs: [Int] = []
        for id in ids {
            if let seconds = timestampSeconds(ofToken: id) {
                if let begin = start {
                    if !textIDs.isEmpty {
                        segments.append(
                            WhisperTextSegment(startSeconds: begin, endSeconds: seconds, text: decode(textIDs)))
                        textIDs.removeAll()
                        start = nil
                        continue
                    }
                }
                start = seconds
            } else if !isSpecial(id) {
                if start == nil { start = 0 }
                textIDs.append(id)
            }
        }
        if let begin = start, !textIDs.isEmpty {
            segments.append(WhisperTextSegment(startSeconds: begin, endSeconds: begin, text: decode(textIDs)))
        }
        return segments
    }

    /// Tokens that spell symbols no one speaks (brackets, music notes, `#`, `*`, ...), which Whisper suppresses
    /// while decoding so noise does not come out as `♪♪` or `[ Music ]`.
    ///
    /// Whisper's rule: for each symbol, its first token alone and after a space, when that is the whole symbol (or,
    /// for the single music and other rare marks, always); plus `" -"` and `" '"`, which open invented dialogue.
    /// Sorted and unique.
    public var nonSpeechTokens: [Int] {
        let symbols =
            Array("\"#()*+/:;<=>@[\\]^_`{|}~「」『』").map(String.init) + [
                "<<", ">>", "<<<", ">>>", "--", "---", "-(", "-[", "('", "(\"", "((", "))", "(((", ")))", "[[", "]]",
                "{{", "}}", "♪♪", "♪♪♪",
            ]
        let rareMarks = Set("♩♪♫♬♭♮♯".map(String.init))
        var result = Set<Int>()
        for text in [" -", " '"] {
            let ids = encode(text)
            if ids.count == 1 { result.insert(ids[0]) }
        }
        for symbol in symbols + rareMarks.sorted() {
            for spelled in [symbol, " " + symbol] {
                let ids = encode(spelled)
                if ids.count == 1 || (rareMarks.contains(symbol) && !ids.isEmpty) { result.insert(ids[0]) }
            }
        }
        return result.sorted()
    }
}
