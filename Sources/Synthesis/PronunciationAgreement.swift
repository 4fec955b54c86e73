import TutorCore

/// Phoneme-level agreement between two pronunciation sources, after mapping both to a common symbol set.
///
/// Agreement is 1 − (total phoneme edit distance) / (total reference phonemes), over all words compared; a word
/// agrees exactly when its two transcriptions are equal. The common set forgets distinctions one source makes
/// and the other does not (gruut writes Swahili b as implosive ɓ and a as ɑ; we write b and a).
public struct PronunciationAgreement: Sendable, Equatable, CustomStringConvertible {
    public private(set) var words = 0
    public private(set) var exactWords = 0
    public private(set) var referencePhonemes = 0
    public private(set) var editDistance = 0

    public init() {}

    /// Phoneme agreement, 0-1.
    public var phonemeAgreement: Double {
        referencePhonemes == 0 ? 0 : 1 - Double(editDistance) / Double(referencePhonemes)
    }
    /// Fraction of words transcribed identically.
    public var wordAgreement: Double { words == 0 ? 0 : Double(exactWords) / Double(words) }

    /// Adds one word's two transcriptions.
    public mutating func add(reference: [String], candidate: [String]) {
        words += 1
        referencePhonemes += reference.count
        let distance = TutorCore.editDistance(reference, candidate)
        editDistance += distance
        if distance == 0 { exactWords += 1 }
    }

    public var description: String {
        String(
            format: "%d words: phoneme agreement %.2f%%, words identical %.2f%%", words, phonemeAgreement * 100,
            wordAgreement * 100)
    }

    /// Maps Swahili IPA from any of the three sources (ours, gruut, epitran) to one symbol set.
    ///
    /// Prenasalized stops become nasal + stop, implosives plain stops, ʄ and ɟ become dʒ, ɑ ɛ ɔ become a e o, the
    /// tap ɾ becomes r, ɲ becomes n j (gruut writes ny so), and tie bars, stress and length marks go.
    public static func commonSwahili(_ ipa: String) -> [String] {
        let replacements: [(String, String)] = [
            ("͡", ""), ("ˈ", ""), ("ˌ", ""), ("ː", ""), (" ", ""), ("ᵐ", "m"), ("ⁿ", "n"), ("ᵑ", "ŋ"), ("ᶬ", "m"),
            ("ɓ", "b"), ("ɗ", "d"), ("ʄ", "dʒ"), ("ɟ", "dʒ"), ("ɠ", "ɡ"), ("g", "ɡ"), ("ɑ", "a"), ("ɛ", "e"),
            ("ɔ", "o"), ("ɾ", "r"), ("ʧ", "tʃ"), ("ʤ", "dʒ"), ("ɲ", "nj"),
        ]
        var text = ipa
        for (from, to) in replacements { text = text.replacingOccurrences(of: from, with: to) }
        var symbols: [String] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            if index + 1 < characters.count, ["tʃ", "dʒ"].contains(String(characters[index...index + 1])) {
                symbols.append(String(characters[index...index + 1]))
                index += 2
            } else {
                symbols.append(String(characters[index]))
                index += 1
            }
        }
        return symbols
    }

    /// English symbols without the distinctions CMUdict makes only by stress (ʌ/ə, ɝ/ɚ).
    public static func commonEnglish(_ phones: [Phone]) -> [String] {
        phones.map { phone in
            switch phone.symbol {
            case "ʌ": return "ə"
            case "ɚ": return "ɝ"
            default: return phone.symbol
            }
        }
    }
}

/// A spelling-to-IPA map applied by longest match (the way epitran's simple maps read), for comparisons.
public struct GraphemeMap: Sendable {
    private let entries: [String: String]
    private let longest: Int

    /// Parses `Orth,Phon` CSV text (a header line first); errors name the line.
    public init(csv: String, path: String) throws {
        var entries: [String: String] = [:]
        for (index, line) in csv.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if index == 0 || trimmed.isEmpty { continue }
            let fields = trimmed.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count >= 2, !fields[0].isEmpty else {
                throw SynthesisError.invalidLine(path: path, line: index + 1, reason: "expected 'orth,phon'")
            }
            entries[String(fields[0])] = String(fields[1])
        }
        self.entries = entries
        self.longest = entries.keys.map(\.count).max() ?? 1
    }

    /// The map's own entries, for checking each one.
    public var pairs: [(String, String)] { entries.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }

    /// Transcribes a word; nil if some letter is not in the map and not among `keeping` (letters that stand for
    /// themselves).
    public func transcribe(_ word: String, keeping: Set<Character> = []) -> String? {
        let characters = Array(word)
        var index = 0
        var output = ""
        outer: while index < characters.count {
            for length in stride(from: min(longest, characters.count - index), through: 1, by: -1) {
                if let ipa = entries[String(characters[index..<(index + length)])] {
                    output += ipa
                    index += length
                    continue outer
                }
            }
            guard keeping.contains(characters[index]) else { return nil }
            output.append(characters[index])
            index += 1
        }
        return output
    }
}

extension PronunciationAgreement {
    /// Any language's IPA as a list of symbols, forgetting what one source writes and another does not: tie bars,
    /// stress, length, tone and syllabicity marks go, ʧ ʤ g ɾ become tʃ dʒ ɡ r, and labialization and
    /// palatalization are the glides they sound like (bʷ is b w, as Bantu spelling writes it). A symbol is a base
    /// letter with the modifiers after it (kʰ, ɓ, ɛ̃); t ʃ, d ʒ, t s and d z are one symbol each.
    public static func commonSymbols(_ ipa: String) -> [String] {
        let dropped: Set<Unicode.Scalar> = [
            "\u{361}", "\u{35C}", "ˈ", "ˌ", "ː", "ˑ", "\u{301}", "\u{300}", "\u{304}", "\u{302}", "\u{30C}",
            "\u{329}", "\u{30D}", " ", "-", "ˀ",
        ]
        let replaced: [Unicode.Scalar: String] = [
            "ʧ": "tʃ", "ʤ": "dʒ", "g": "ɡ", "ɾ": "r", "ʦ": "ts", "ʣ": "dz", "\u{324}": "ʱ", "ʷ": "w", "ʲ": "j",
        ]
        var text = ""
        for scalar in ipa.decomposedStringWithCanonicalMapping.unicodeScalars where !dropped.contains(scalar) {
            if let replacement = replaced[scalar] { text += replacement } else { text.unicodeScalars.append(scalar) }
        }
        let modifiers: Set<Unicode.Scalar> = ["ʰ", "ʼ", "'", "ʱ", "ⁿ"]
        var symbols: [String] = []
        for scalar in text.unicodeScalars {
            let isModifier =
                modifiers.contains(scalar) || scalar.properties.generalCategory == .nonspacingMark
            let joinsAffricate =
                ["ʃ", "ʒ", "s", "z"].contains(scalar) && (symbols.last == "t" || symbols.last == "d")
            if (isModifier || joinsAffricate), !symbols.isEmpty {
                symbols[symbols.count - 1].unicodeScalars.append(scalar == "'" ? "ʼ" : scalar)
            } else {
                symbols.append(String(scalar))
            }
        }
        return symbols.map { $0.precomposedStringWithCanonicalMapping }
    }
}

/// An independent reference pronunciation from one of epitran's spelling-to-IPA maps (PyPI epitran 1.35.3, in the
/// cache under references/epitran, never in the repository), read the way epitran reads a simple map: longest
/// match, after taking tone marks off the spelling (the maps have none). Two gaps of the bare maps are filled so the
/// comparison is about the letters both sides read: a e i o u and n missing from a map (nya-Latn lists only
/// consonants, and not plain n) stand for themselves, and for Devanagari the consonants' inherent ə is dropped before a vowel sign
/// or virama and at the end of a word (epitran does this in code, not in the map).
public struct EpitranReference: Sendable {
    /// The map's file name in references/epitran for each language that has one.
    public static let mapNames: [Language: String] = [
        .swahili: "swa-Latn.csv", .zulu: "zul-Latn.csv", .chichewa: "nya-Latn.csv", .hausa: "hau-Latn.csv", .yoruba: "yor-Latn.csv",
    ]

    public let language: Language
    let map: GraphemeMap

    public init(language: Language, csv: String, path: String) throws {
        self.language = language
        self.map = try GraphemeMap(csv: csv, path: path)
    }

    /// The reference symbols for a word (as `PronunciationAgreement.commonSymbols`), nil if a letter has no entry.
    public func symbols(_ word: String) -> [String]? {
        var plain = String.UnicodeScalarView()
        for scalar in word.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars
        where Tone(mark: scalar) == nil {
            plain.append(scalar)
        }
        let spelled = String(plain).precomposedStringWithCanonicalMapping
        guard var ipa = map.transcribe(spelled, keeping: ["a", "e", "i", "o", "u", "n"]) else { return nil }
        if language.script == .devanagari {
            ipa = ipa.replacingOccurrences(of: "<ons>", with: "")
            ipa = ipa.replacingOccurrences(of: "ə\u{94D}", with: "").replacingOccurrences(of: "\u{94D}", with: "")
            for vowel in ["aː", "a", "iː", "i", "uː", "u", "r̩", "e", "æː", "o", "ɔː", "ɔ"] {
                ipa = ipa.replacingOccurrences(of: "ə" + vowel, with: vowel)
            }
            if ipa.hasSuffix("ə"), ipa.count > 2 { ipa.removeLast() }
            ipa = ipa.replacingOccurrences(of: "N", with: "\u{303}")
        }
        return PronunciationAgreement.commonSymbols(ipa)
    }
}
