import Foundation
import TutorCore

/// Cuts streamed text (as a language model emits it, a few characters at a time) into sentences, emitting each
/// as soon as it is certainly complete, so speaking can start after the first.
///
///     var splitter = SentenceSplitter(language: .english)
///     var sentences: [String] = []
///     for piece in ["Light is fast. It trav", "els at 3.5 m/s. "] { try splitter.process(piece, into: &sentences) }
///     try splitter.flush(into: &sentences)   // the rest, at the end of the answer
///
/// A sentence ends at `.`, `!`, `?` or `…` (and any closing quotes or brackets) followed by white space, except
/// after an abbreviation that never ends one ("e.g.", "Dr.") or before a lower-case word. A decimal point is never
/// followed by a space, so "3.5" never ends a sentence. Where the next character decides (after "etc."), the
/// sentence waits for it. A blank line also ends a sentence; a sentence longer than `maximumCharacters` is cut at
/// its last comma or space so speech never waits on a run-on answer. Not thread-safe; one per answer stream.
public struct SentenceSplitter: Stage, Sendable {
    public typealias Input = String
    public typealias Output = String

    /// Longest sentence before it is cut, in characters.
    public var maximumCharacters = 300
    public let language: Language
    private var buffer: [Character] = []

    /// Abbreviations (lower-case, without the final dot) after which a sentence never ends.
    static let neverFinal: [Language: Set<String>] = [
        .english: ["e.g", "i.e", "dr", "mr", "mrs", "ms", "vs", "approx", "no", "fig", "cf", "st"],
        .swahili: ["k.m", "dkt", "dk", "bw", "bi", "mh"],
    ]
    /// Abbreviations that end a sentence only when a capital letter follows.
    static let maybeFinal: [Language: Set<String>] = [.english: ["etc"], .swahili: ["n.k"]]

    public init(language: Language) { self.language = language }

    /// Adds a piece of text and emits every sentence it completes.
    public mutating func process(_ input: String, into output: inout [String]) throws {
        buffer += input
        while let end = sentenceEnd() {
            emit(upTo: end, into: &output)
        }
        if buffer.count > maximumCharacters {
            let window = buffer[..<maximumCharacters]
            let cut = window.lastIndex(of: ",").map { $0 + 1 } ?? window.lastIndex(of: " ") ?? maximumCharacters
            emit(upTo: max(cut, 1), into: &output)
        }
    }

    /// Emits whatever is left (the end of the answer).
    public mutating func flush(into output: inout [String]) throws {
        emit(upTo: buffer.count, into: &output)
    }

    public mutating func reset() { buffer = [] }

    private mutating func emit(upTo end: Int, into output: inout [String]) {
        let sentence = String(buffer[..<end]).trimmingCharacters(in: .whitespacesAndNewlines)
        buffer.removeFirst(end)
        if !sentence.isEmpty { output.append(sentence) }
    }

    /// Index just past the first complete sentence, or nil if none is certain yet.
    private func sentenceEnd() -> Int? {
        var index = 0
        while index < buffer.count {
            let character = buffer[index]
            if character == "\n", index + 1 < buffer.count, buffer[index + 1] == "\n" { return index + 1 }
            guard ".!?…".contains(character) else {
                index += 1
                continue
            }
            var end = index + 1
            while end < buffer.count, ".!?…\"'”’)]»".contains(buffer[end]) { end += 1 }
            guard end < buffer.count else { return nil }  // the next character decides
            guard buffer[end].isWhitespace else {
                index = end
                continue
            }
            var next = end
            while next < buffer.count, buffer[next].isWhitespace { next += 1 }
            if character == "." {
                let word = wordBefore(index)
                if Self.neverFinal[language, default: []].contains(word) {
                    index = end
                    continue
                }
                guard next < buffer.count else {
                    // "etc. " or a single initial: wait for the next word.
                    if Self.maybeFinal[language, default: []].contains(word) || word.count == 1 { return nil }
                    return end
                }
                if buffer[next].isLowercase
                    || (Self.maybeFinal[language, default: []].contains(word) && !buffer[next].isUppercase)
                {
                    index = end
                    continue
                }
            }
            return end
        }
        return nil
    }

    /// The lower-cased word just before a dot, dots inside kept ("e.g", "k.m").
    private func wordBefore(_ dot: Int) -> String {
        var start = dot
        while start > 0,
            buffer[start - 1].isLetter || (buffer[start - 1] == "." && start - 2 >= 0 && buffer[start - 2].isLetter)
        {
            start -= 1
        }
        return String(buffer[start..<dot]).lowercased()
    }
}
