import Foundation

/// One prompt a speaker reads: `ID<TAB>TEXT<TAB>PHONEMES` in a prompt file.
public struct VoicePrompt: Sendable, Equatable {
    /// `<lang>_NNNN`, also the recording's file name (`<ID>.wav` or `.flac`).
    public var id: String
    public var text: String
    /// Our phoneme symbols, word by word.
    public var words: [[String]]
    /// The line in the prompt file.
    public var line: Int

    /// The phones in order, words run together (a speaker reading a prompt does not pause between its words).
    public var phones: [String] { words.flatMap { $0 } }
}

/// A prompt list (`prompts.tsv`), parsed strictly: UTF-8; `#` lines are comments; other lines
/// `ID<TAB>TEXT<TAB>PHONEMES` with ID `<lang>_NNNN` and PHONEMES our symbols separated by spaces, `|` between words.
/// A stress mark (ˈ ˌ) before a symbol is allowed and ignored. Every symbol must be in the language's inventory.
public enum VoicePromptList {
    /// Reads a prompt file.
    public static func load(from url: URL, language: Language, inventory: PhonemeInventory) throws -> [VoicePrompt] {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw SynthesisError.fileUnreadable(path: url.path, reason: error.localizedDescription)
        }
        return try parse(text, path: url.path, language: language, inventory: inventory)
    }

    /// Parses prompt text; `path` names it in errors.
    public static func parse(
        _ text: String, path: String, language: Language, inventory: PhonemeInventory
    ) throws -> [VoicePrompt] {
        var prompts: [VoicePrompt] = []
        var seen: [String: Int] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = index + 1
            let content = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if content.trimmingCharacters(in: .whitespaces).isEmpty || content.hasPrefix("#") { continue }
            func fail(_ reason: String) -> SynthesisError { .invalidLine(path: path, line: line, reason: reason) }
            let fields = content.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3 else {
                throw fail("expected ID<TAB>TEXT<TAB>PHONEMES, found \(fields.count) tab-separated fields")
            }
            let id = fields[0]
            let prefix = language.rawValue + "_"
            guard id.hasPrefix(prefix), id.count == prefix.count + 4, id.dropFirst(prefix.count).allSatisfy(\.isNumber)
            else { throw fail("ID '\(id)' is not \(prefix)NNNN") }
            if let first = seen[id] { throw fail("ID '\(id)' is given twice (first on line \(first))") }
            seen[id] = line
            var words: [[String]] = []
            for word in fields[2].split(separator: "|") {
                var phones: [String] = []
                for symbol in word.split(separator: " ") {
                    let bare = String(symbol.drop { $0 == "ˈ" || $0 == "ˌ" })
                    guard inventory.classes[bare] != nil else {
                        throw fail(
                            "'\(bare)' is not a \(language.rawValue) phoneme (Lexicons/\(language.rawValue)/phonemes)")
                    }
                    phones.append(bare)
                }
                if !phones.isEmpty { words.append(phones) }
            }
            guard !words.isEmpty else { throw fail("prompt \(id) has no phonemes") }
            prompts.append(VoicePrompt(id: id, text: fields[1], words: words, line: line))
        }
        guard !prompts.isEmpty else {
            throw SynthesisError.invalidLine(path: path, line: 0, reason: "no prompts (ID<TAB>TEXT<TAB>PHONEMES lines)")
        }
        return prompts
    }
}
