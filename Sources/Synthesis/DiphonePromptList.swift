import Foundation

/// Two phonemes in a row, the unit a diphone voice records: from the middle of `left` to the middle of `right`.
/// `_` on either side is silence (the pause symbol of `DiphonePhoneMap`).
public struct Diphone: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The pause symbol, as in `DiphonePhoneMap`.
    public static let silence = "_"

    public var left: String
    public var right: String

    public init(_ left: String, _ right: String) {
        self.left = left
        self.right = right
    }

    /// `a-b`, the festvox way of naming a diphone.
    public var description: String { "\(left)-\(right)" }

    public static func < (lhs: Diphone, rhs: Diphone) -> Bool {
        (lhs.left, lhs.right) < (rhs.left, rhs.right)
    }

    /// The diphones of one utterance read alone: silence, the phones (words run together, as the synthesizer
    /// joins them inside a phrase), silence.
    public static func of(utterance phones: [String]) -> [Diphone] {
        guard !phones.isEmpty else { return [] }
        let padded = [silence] + phones + [silence]
        return zip(padded, padded.dropFirst()).map { Diphone($0, $1) }
    }
}

/// One line of a prompt list: what the speaker reads and the phonemes it is expected to be read with.
public struct DiphonePrompt: Sendable, Equatable {
    /// `<lang>_NNNN`; the recording is `<ID>.wav` (or `.flac`) beside the list.
    public var id: String
    /// What the speaker reads.
    public var text: String
    /// Our phoneme symbols (as in `Lexicons/<lang>/phonemes`), one array per word.
    public var words: [[String]]
    /// The line in the file it came from (0 for a prompt made in memory).
    public var line: Int

    public init(id: String, text: String, words: [[String]], line: Int = 0) {
        self.id = id
        self.text = text
        self.words = words
        self.line = line
    }

    /// Every phone, words run together.
    public var phones: [String] { words.flatMap { $0 } }

    /// The diphones the recording holds: the prompt is read as one utterance with silence around it.
    public var diphones: [Diphone] { Diphone.of(utterance: phones) }

    /// The PHONEMES column: symbols separated by spaces, ` | ` between words.
    public var phonemesColumn: String { words.map { $0.joined(separator: " ") }.joined(separator: " | ") }
}

/// A diphone prompt list (`Voices/prompts/<lang>.tsv`): what a speaker reads to record a diphone voice.
///
/// The format is fixed, shared with `tutor voice build`:
///
///     # sw diphone prompts: tutor voice prompts --lang sw
///     sw_0001<TAB>sema kaka tena<TAB>s e m a | k a k a | t e n a
///
/// UTF-8 text; lines starting with `#` are comments (the first names the language and the command that made the
/// list), blank lines are skipped; every other line is `ID<TAB>TEXT<TAB>PHONEMES`. ID is `<lang>_NNNN` (four
/// digits, from 0001, each once), TEXT what the speaker reads (not empty), PHONEMES our phoneme symbols separated
/// by spaces with `|` between words, every symbol in the language's inventory (a stress mark or tone diacritic on a
/// symbol is accepted and ignored). A speaker's recordings are `DIR/prompts.tsv` with `DIR/<ID>.wav` or `.flac`.
/// Any other line is an error naming the file and line (`parse` / `load`).
public struct DiphonePromptList: Sendable, Equatable {
    public var language: Language
    /// The comment lines at the top, without their `# `.
    public var comments: [String]
    public var prompts: [DiphonePrompt]

    public init(language: Language, comments: [String], prompts: [DiphonePrompt]) {
        self.language = language
        self.comments = comments
        self.prompts = prompts
    }

    /// Reads and validates a prompt list file (e.g. `DIR/prompts.tsv`).
    public static func load(
        from url: URL, language: Language, inventory: PhonemeInventory
    ) throws
        -> DiphonePromptList
    {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw SynthesisError.fileUnreadable(path: url.path, reason: error.localizedDescription)
        }
        return try parse(text, path: url.path, language: language, inventory: inventory)
    }

    /// Parses prompt list text; `path` names the source in errors (`path:line: reason`).
    public static func parse(
        _ text: String, path: String, language: Language, inventory: PhonemeInventory
    ) throws
        -> DiphonePromptList
    {
        var comments: [String] = []
        var prompts: [DiphonePrompt] = []
        var idLines: [String: Int] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            func fail(_ reason: String) -> SynthesisError { .invalidLine(path: path, line: number, reason: reason) }
            if line.hasPrefix("#") {
                if prompts.isEmpty { comments.append(line.dropFirst().trimmingCharacters(in: .whitespaces)) }
                continue
            }
            if line.allSatisfy(\.isWhitespace) { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3 else {
                throw fail("expected ID<TAB>TEXT<TAB>PHONEMES (3 tab-separated fields), found \(fields.count)")
            }
            let id = String(fields[0])
            if let problem = checkID(id, language: language) { throw fail(problem) }
            if let first = idLines[id] { throw fail("ID \(id) is used twice (first on line \(first))") }
            idLines[id] = number
            let text = fields[1].trimmingCharacters(in: .whitespaces)
            if text.isEmpty { throw fail("\(id): TEXT is empty") }
            var words: [[String]] = []
            for (position, word) in fields[2].split(separator: "|", omittingEmptySubsequences: false).enumerated() {
                let symbols = word.split(whereSeparator: \.isWhitespace).map { Phone(notation: $0).symbol }
                if symbols.isEmpty {
                    throw fail("\(id): word \(position + 1) of PHONEMES has no phonemes ('\(fields[2])')")
                }
                if let unknown = symbols.first(where: { inventory.classes[$0] == nil }) {
                    throw fail(
                        "\(id): '\(unknown)' (word \(position + 1)) is not a phoneme of \(language.rawValue) "
                            + "(Lexicons/\(language.rawValue)/phonemes)")
                }
                words.append(symbols)
            }
            prompts.append(DiphonePrompt(id: id, text: text, words: words, line: number))
        }
        if prompts.isEmpty { throw SynthesisError.invalidLine(path: path, line: 0, reason: "no prompts") }
        return DiphonePromptList(language: language, comments: comments, prompts: prompts)
    }

    /// What is wrong with an ID, or nil when it is `<lang>_NNNN` from 0001.
    private static func checkID(_ id: String, language: Language) -> String? {
        let prefix = language.rawValue + "_"
        let digits = id.dropFirst(prefix.count)
        guard id.hasPrefix(prefix), digits.count == 4, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return "ID '\(id)' is not \(prefix)NNNN (four digits)"
        }
        return digits == "0000" ? "ID '\(id)': numbers start at 0001" : nil
    }

    /// The `NNNN`th ID of a language (`sw_0001`).
    public static func id(_ number: Int, language: Language) -> String {
        let digits = String(number)
        return language.rawValue + "_" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// The file text: the comments, then one line per prompt.
    public func formatted() -> String {
        var text = comments.map { "# " + $0 + "\n" }.joined()
        for prompt in prompts { text += "\(prompt.id)\t\(prompt.text)\t\(prompt.phonemesColumn)\n" }
        return text
    }

    /// Every diphone some prompt's recording holds.
    public var diphones: Set<Diphone> { Set(prompts.flatMap(\.diphones)) }

    /// Phones read over the whole list.
    public var phoneCount: Int { prompts.reduce(0) { $0 + $1.phones.count } }
}
