import Foundation

/// Everything that can go wrong turning text into speech; each case names the file and line where there is one.
public enum SynthesisError: Error, Equatable, CustomStringConvertible {
    /// A language code nobody has heard of.
    case unknownLanguage(code: String, supported: [String])
    /// A data file could not be read.
    case fileUnreadable(path: String, reason: String)
    /// A text data file (rules, voices, phonemes, exceptions, goldens) has a bad line.
    case invalidLine(path: String, line: Int, reason: String)
    /// A binary data file failed validation.
    case invalidBinary(path: String, expected: String, found: String)
    /// There is nothing to say: the text held no pronounceable words.
    case nothingToSay(text: String)
    /// A voice name with no file in Voices/.
    case unknownVoice(name: String, available: [String])
    /// An option outside its range.
    case invalidOption(name: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .unknownLanguage(let code, let supported):
            return "unknown language code '\(code)'; supported: \(supported.joined(separator: ", "))"
        case .fileUnreadable(let path, let reason):
            return "\(path): cannot read: \(reason)"
        case .invalidLine(let path, let line, let reason):
            return "\(path):\(line): \(reason)"
        case .invalidBinary(let path, let expected, let found):
            return "\(path): expected \(expected), found \(found)"
        case .nothingToSay(let text):
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            return "nothing pronounceable in '\(shown)'"
        case .unknownVoice(let name, let available):
            return "no voice named '\(name)'; available: \(available.joined(separator: ", "))"
        case .invalidOption(let name, let value, let expected):
            return "\(name) is \(value), expected \(expected)"
        }
    }
}

/// Reads a UTF-8 text data file line by line, skipping blanks and `#` comments, with 1-based line numbers.
struct DataFileLines {
    /// The file's name as used in messages.
    var path: String
    /// Non-blank, comment-stripped lines with their numbers.
    var lines: [(number: Int, text: String)]

    init(contentsOf url: URL) throws {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw SynthesisError.fileUnreadable(path: url.path, reason: error.localizedDescription)
        }
        self.init(text: text, path: url.path)
    }

    init(text: String, path: String) {
        self.path = path
        var lines: [(Int, String)] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(raw)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty { lines.append((index + 1, trimmed)) }
        }
        self.lines = lines
    }

    /// An error pointing at one line.
    func error(_ line: Int, _ reason: String) -> SynthesisError {
        .invalidLine(path: path, line: line, reason: reason)
    }
}
