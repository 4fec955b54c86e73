import Foundation

/// Letter-to-sound rules for one language (Lexicons/<lang>/rules), parsed strictly.
///
/// The file has three kinds of lines:
///
///     stress penultimate            # where stress goes when no rule marks it: first | penultimate | none
///     reduce æ ɛ ɑ = ə              # optional: these vowels become ə when unstressed in a longer word
///     class V = a e i o u           # a class: one upper-case letter standing for any of these letters
///     L [letters] R = phonemes      # a rule
///
/// In a rule, `letters` are matched at the current position, `L` must match just before them (read right to
/// left) and `R` just after. A context is a run of elements with no spaces: a lower-case letter or `'`, a class
/// letter, or `_` for the word edge. Either context may be empty. `phonemes` are IPA symbols from the language's
/// inventory separated by spaces, a vowel optionally marked `ˈ` (primary stress) or `ˌ`; `-` means silent.
/// The first rule in file order that matches wins, so put special cases before general ones.
///
/// Rules see a word one Unicode scalar at a time after canonical decomposition (NFD), so a letter's dot below or a
/// Devanagari vowel sign is a letter of its own: `[ẹ]` is `e` then U+0323, and a rule may match the pair. Tone
/// languages declare their tone marks; these are taken off the word before the rules run and put back as the tone
/// of the first vowel (or, with none, the last phoneme) of the rule that read the letter they sat on:
///
///     tone à = low                  # the diacritic on this example letter writes this tone
///     tone unmarked = mid           # the tone of a vowel written without a tone mark
public struct LetterToSoundRules: Sendable {
    /// Where stress goes when no rule marked it.
    public enum StressPlacement: String, Sendable {
        case first, penultimate, none
    }

    struct Rule: Sendable {
        var left: [Element]
        var letters: [Character]
        var right: [Element]
        var phones: [Phone]
        var line: Int
    }

    enum Element: Sendable, Equatable {
        case letter(Character)
        case oneOf(Set<Character>)
        case edge
    }

    /// The file the rules came from.
    public let path: String
    public let stressPlacement: StressPlacement
    /// Vowels that reduce when unstressed in a word of two or more syllables, and what they become.
    public let reduction: (from: Set<String>, to: String)?
    /// Tone diacritics (combining marks) and the tones they write; empty in languages without tone.
    public let toneMarks: [Unicode.Scalar: Tone]
    /// The tone of a vowel written without a tone mark (nil: no tone).
    public let unmarkedTone: Tone?
    private let rulesByFirstLetter: [Character: [Rule]]
    private let inventory: PhonemeInventory

    /// Number of rules.
    public var ruleCount: Int { rulesByFirstLetter.values.reduce(0) { $0 + $1.count } }

    /// Reads a rule file, checking every phoneme against the inventory.
    public static func load(from url: URL, inventory: PhonemeInventory) throws -> LetterToSoundRules {
        try LetterToSoundRules(file: DataFileLines(contentsOf: url), inventory: inventory)
    }

    /// Parses rule text; `path` names the source in errors.
    public init(text: String, path: String, inventory: PhonemeInventory) throws {
        try self.init(file: DataFileLines(text: text, path: path), inventory: inventory)
    }

    init(file: DataFileLines, inventory: PhonemeInventory) throws {
        var classes: [Character: Set<Character>] = [:]
        var stress: StressPlacement?
        var reduction: (from: Set<String>, to: String)?
        var rules: [Character: [Rule]] = [:]
        var toneMarks: [Unicode.Scalar: Tone] = [:]
        var unmarkedTone: Tone?
        for (number, text) in file.lines {
            if text.hasPrefix("tone ") {
                let parts = Self.scalarWords(text.dropFirst("tone ".count))
                guard parts.count == 3, parts[1] == ["="], let tone = Tone(rawValue: String(parts[2])) else {
                    let tones = Tone.allCases.map(\.rawValue).joined(separator: ", ")
                    throw file.error(
                        number, "expected 'tone à = low' or 'tone unmarked = mid' with a tone of: \(tones)")
                }
                if String(parts[0]) == "unmarked" {
                    if unmarkedTone != nil { throw file.error(number, "the unmarked tone is set twice") }
                    unmarkedTone = tone
                    continue
                }
                let marks = parts[0].dropFirst().compactMap(\.unicodeScalars.first)
                guard parts[0].count >= 2, marks.count == 1, let mark = marks.first,
                    mark.properties.generalCategory == .nonspacingMark
                else {
                    throw file.error(number, "'\(String(parts[0]))' must be one letter with one diacritic, such as à")
                }
                if toneMarks[mark] != nil { throw file.error(number, "the mark on '\(String(parts[0]))' is set twice") }
                toneMarks[mark] = tone
            } else if text.hasPrefix("stress ") || text == "stress" {
                let value = text.dropFirst("stress".count).trimmingCharacters(in: .whitespaces)
                guard let placement = StressPlacement(rawValue: value) else {
                    throw file.error(number, "unknown stress placement '\(value)' (expected first, penultimate, none)")
                }
                if stress != nil { throw file.error(number, "stress is set twice") }
                stress = placement
            } else if text.hasPrefix("reduce ") {
                let parts = text.dropFirst("reduce ".count).split(separator: "=", maxSplits: 1)
                let from = parts.first.map { $0.split(whereSeparator: \.isWhitespace).map(String.init) } ?? []
                let to = parts.count == 2 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
                guard parts.count == 2, !from.isEmpty, !to.isEmpty else {
                    throw file.error(number, "expected 'reduce vowels… = vowel'")
                }
                for symbol in from + [to] where !inventory.isSyllabic(symbol) {
                    throw file.error(number, "'\(symbol)' is not a vowel of the inventory")
                }
                if reduction != nil { throw file.error(number, "reduce is set twice") }
                reduction = (Set(from), to)
            } else if text.hasPrefix("class ") {
                let parts = Self.scalarWords(text.dropFirst("class ".count))
                guard parts.count >= 2, parts[0].count == 1, let letter = parts[0].first, letter.isUppercase,
                    parts[1] == ["="]
                else {
                    throw file.error(number, "expected 'class X = letters' with X one upper-case letter")
                }
                let members = parts.dropFirst(2)
                guard !members.isEmpty, members.allSatisfy({ $0.count == 1 }) else {
                    throw file.error(number, "class \(letter) must list single letters separated by spaces")
                }
                if classes[letter] != nil { throw file.error(number, "class \(letter) is defined twice") }
                classes[letter] = Set(members.map { $0[0] })
            } else if text.unicodeScalars.contains("[") {
                let rule = try Self.parseRule(text, line: number, classes: classes, inventory: inventory, file: file)
                rules[rule.letters[0], default: []].append(rule)
            } else {
                let keyword = text.split(separator: " ").first.map(String.init) ?? text
                throw file.error(
                    number,
                    "unknown keyword '\(keyword)' (expected stress, reduce, class, tone, or a rule 'L [abc] R = …')")
            }
        }
        guard let stress else { throw file.error(0, "missing 'stress first|penultimate|none' line") }
        if rules.isEmpty { throw file.error(0, "no rules") }
        self.path = file.path
        self.stressPlacement = stress
        self.reduction = reduction
        self.toneMarks = toneMarks
        self.unmarkedTone = unmarkedTone ?? (toneMarks.isEmpty ? nil : .mid)
        self.rulesByFirstLetter = rules
        self.inventory = inventory
    }

    private static func parseRule(
        _ text: String, line: Int, classes: [Character: Set<Character>], inventory: PhonemeInventory,
        file: DataFileLines
    ) throws -> Rule {
        let characters = Self.scalarCharacters(Substring(text))
        guard let equals = characters.firstIndex(of: "=") else { throw file.error(line, "a rule needs '= phonemes'") }
        let pattern = characters[..<equals]
        guard let open = pattern.firstIndex(of: "["), let close = pattern.firstIndex(of: "]"), open < close else {
            throw file.error(line, "a rule needs '[letters]'")
        }
        let letters = Array(pattern[(open + 1)..<close])
        guard !letters.isEmpty, letters.allSatisfy(Self.isWordLetter) else {
            throw file.error(line, "letters in [] must be lower-case letters or ', found '\(String(letters))'")
        }
        func context(_ text: ArraySlice<Character>) throws -> [Element] {
            try text.filter { !$0.isWhitespace }.map { character -> Element in
                if character == "_" { return .edge }
                if character.isUppercase {
                    guard let members = classes[character] else {
                        throw file.error(line, "class \(character) is not defined above this line")
                    }
                    return .oneOf(members)
                }
                if Self.isWordLetter(character) { return .letter(character) }
                throw file.error(line, "unexpected '\(character)' in a context (letters, classes or _)")
            }
        }
        let left = try context(pattern[..<open])
        let right = try context(pattern[(close + 1)...])
        let output = String(characters[(equals + 1)...]).precomposedStringWithCanonicalMapping
            .trimmingCharacters(in: .whitespaces)
        var phones: [Phone] = []
        if output != "-" {
            for token in output.split(whereSeparator: \.isWhitespace) {
                let phone = Phone(notation: token)
                guard inventory.classes[phone.symbol] != nil else {
                    throw file.error(line, "phoneme '\(phone.symbol)' is not in the inventory")
                }
                phones.append(phone)
            }
            if phones.isEmpty { throw file.error(line, "no phonemes after '=' (write - for silent letters)") }
        }
        return Rule(left: left, letters: letters, right: right, phones: phones, line: line)
    }

    /// Pronounces a lower-case word, or nil when some letter has no rule (the caller spells it out).
    public func pronounce(_ word: String) -> [Phone]? {
        var letters: [Character] = []
        // The tone written on the letter at each index (tone marks are not letters for the rules).
        var tones: [Int: Tone] = [:]
        for character in Self.scalarCharacters(Substring(word)) {
            if let scalar = character.unicodeScalars.first, let tone = toneMarks[scalar] {
                // On the base letter: skip back over other diacritics (ẹ́ is e, dot below, acute).
                var base = letters.count - 1
                while base > 0, letters[base].unicodeScalars.first!.properties.generalCategory == .nonspacingMark {
                    base -= 1
                }
                if base >= 0 { tones[base] = tone }
            } else {
                letters.append(character)
            }
        }
        var phones: [Phone] = []
        var position = 0
        while position < letters.count {
            guard let candidates = rulesByFirstLetter[letters[position]],
                let rule = candidates.first(where: { matches($0, letters, at: position) })
            else { return nil }
            var output = rule.phones
            if let tone = (position..<(position + rule.letters.count)).lazy.compactMap({ tones[$0] }).first,
                let carrier = output.firstIndex(where: { inventory.isSyllabic($0.symbol) }) ?? output.indices.last
            {
                output[carrier].tone = tone
            }
            phones += output
            position += rule.letters.count
        }
        if let unmarkedTone {
            for index in phones.indices where phones[index].tone == nil && inventory.isSyllabic(phones[index].symbol) {
                phones[index].tone = unmarkedTone
            }
        }
        return placeStress(phones)
    }

    /// A line or word as single Unicode scalars after canonical decomposition: `ẹ́` is three.
    static func scalarCharacters(_ text: Substring) -> [Character] {
        String(text).decomposedStringWithCanonicalMapping.unicodeScalars.map(Character.init)
    }

    /// A line split at white space into words of single scalars.
    static func scalarWords(_ text: Substring) -> [[Character]] {
        scalarCharacters(text).split(whereSeparator: \.isWhitespace).map(Array.init)
    }

    /// What may stand for itself in a rule: a lower-case or uncased letter, a combining mark or `'`.
    static func isWordLetter(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        if character == "'" { return true }
        if scalar.properties.isUppercase { return false }
        return scalar.properties.isAlphabetic || scalar.properties.generalCategory == .nonspacingMark
            || scalar.properties.generalCategory == .spacingMark
    }

    private func matches(_ rule: Rule, _ letters: [Character], at position: Int) -> Bool {
        let end = position + rule.letters.count
        guard end <= letters.count else { return false }
        for offset in 0..<rule.letters.count where letters[position + offset] != rule.letters[offset] { return false }
        var index = position - 1
        for element in rule.left.reversed() {
            if !element.matches(letters, index) { return false }
            if element != .edge { index -= 1 }
        }
        index = end
        for element in rule.right {
            if !element.matches(letters, index) { return false }
            if element != .edge { index += 1 }
        }
        return true
    }

    /// Adds the default stress when no rule marked one.
    func placeStress(_ phones: [Phone]) -> [Phone] {
        let nuclei = phones.indices.filter { inventory.isSyllabic(phones[$0].symbol) }
        guard !nuclei.isEmpty else { return phones }
        var result = phones
        let marked = phones.contains(where: { $0.stress == .primary })
        switch marked ? .none : stressPlacement {
        case .first:
            // A reduced vowel never takes the stress when a fuller one follows ("about", "ago").
            let reduced = reduction?.to
            let first = nuclei.first { result[$0].symbol != reduced } ?? nuclei[0]
            result[first].stress = .primary
        case .penultimate: result[nuclei[max(0, nuclei.count - 2)]].stress = .primary
        case .none: break
        }
        if let reduction, nuclei.count >= 2 {
            for index in nuclei where result[index].stress == .none && reduction.from.contains(result[index].symbol) {
                // A vowel before r keeps its colour (ɑ ɹ, ɔ ɹ).
                if index + 1 < result.count, result[index + 1].symbol == "ɹ" { continue }
                result[index].symbol = reduction.to
            }
        }
        return result
    }
}

extension LetterToSoundRules.Element {
    func matches(_ letters: [Character], _ index: Int) -> Bool {
        switch self {
        case .edge: return index < 0 || index >= letters.count
        case .letter(let letter): return index >= 0 && index < letters.count && letters[index] == letter
        case .oneOf(let set): return index >= 0 && index < letters.count && set.contains(letters[index])
        }
    }
}

/// Whole-word pronunciations that override everything else (Lexicons/<lang>/exceptions), parsed strictly.
///
/// Format: `word  phonemes`, e.g. `coulomb  k ˈu l ɒ m`; phonemes as in the rules, checked against the inventory.
public struct ExceptionList: Sendable {
    public private(set) var entries: [String: [Phone]]

    /// Reads an exceptions file.
    public static func load(from url: URL, inventory: PhonemeInventory) throws -> ExceptionList {
        try ExceptionList(file: DataFileLines(contentsOf: url), inventory: inventory)
    }

    /// Parses exception text; `path` names the source in errors.
    public init(text: String, path: String, inventory: PhonemeInventory) throws {
        try self.init(file: DataFileLines(text: text, path: path), inventory: inventory)
    }

    init(file: DataFileLines, inventory: PhonemeInventory) throws {
        var entries: [String: [Phone]] = [:]
        for (number, text) in file.lines {
            let fields = text.split(whereSeparator: \.isWhitespace)
            guard fields.count >= 2 else { throw file.error(number, "expected 'word phonemes…', found '\(text)'") }
            let word = String(fields[0]).precomposedStringWithCanonicalMapping
            guard word == word.lowercased() else { throw file.error(number, "word '\(word)' must be lower-case") }
            if entries[word] != nil { throw file.error(number, "'\(word)' is listed twice") }
            var phones: [Phone] = []
            for token in fields.dropFirst() {
                let phone = Phone(notation: token)
                guard inventory.classes[phone.symbol] != nil else {
                    throw file.error(number, "phoneme '\(phone.symbol)' is not in the inventory")
                }
                phones.append(phone)
            }
            entries[word] = phones
        }
        self.entries = entries
    }
}
