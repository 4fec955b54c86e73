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

    /// Parses `Orth,Phon` CSV text (a header line first); errors name the line. Spellings are compared after
    /// canonical decomposition, one Unicode scalar at a time (a Devanagari vowel sign is a letter of its own).
    public init(csv: String, path: String) throws {
        var entries: [String: String] = [:]
        for (index, line) in csv.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if index == 0 || trimmed.isEmpty { continue }
            // Split at the first comma scalar: ",̃" is one Character (a comma with a combining tilde).
            let scalars = Array(trimmed.unicodeScalars)
            guard let comma = scalars.firstIndex(of: ","), comma > 0 else {
                throw SynthesisError.invalidLine(path: path, line: index + 1, reason: "expected 'orth,phon'")
            }
            let orth = String(String.UnicodeScalarView(scalars[..<comma])).decomposedStringWithCanonicalMapping
            let rest = scalars[(comma + 1)...]
            let phon = rest.firstIndex(of: ",").map { rest[..<$0] } ?? rest
            entries[orth] = String(String.UnicodeScalarView(phon))
        }
        self.entries = entries
        self.longest = entries.keys.map(\.unicodeScalars.count).max() ?? 1
    }

    /// The map's own entries, for checking each one.
    public var pairs: [(String, String)] { entries.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }

    /// Transcribes a word; nil if some letter is not in the map and not among `keeping` (letters that stand for
    /// themselves).
    public func transcribe(_ word: String, keeping: Set<Character> = []) -> String? {
        let scalars = Array(word.decomposedStringWithCanonicalMapping.unicodeScalars)
        var index = 0
        var output = ""
        outer: while index < scalars.count {
            for length in stride(from: min(longest, scalars.count - index), through: 1, by: -1) {
                let key = String(String.UnicodeScalarView(scalars[index..<(index + length)]))
                if let ipa = entries[key] {
                    output += ipa
                    index += length
                    continue outer
                }
            }
            guard keeping.contains(Character(scalars[index])) else { return nil }
            output.unicodeScalars.append(scalars[index])
            index += 1
        }
        return output
    }
}

extension PronunciationAgreement {
    /// Any language's IPA as a list of symbols, forgetting what one source writes and another does not: tie bars,
    /// stress, length, tone and syllabicity marks go, ʧ ʤ g ɾ become tʃ dʒ ɡ r, ɪ ʊ ʋ æ (Hindi short vowels, ै and
    /// व, written i u v æ by epitran) become i u v ɛ, ɑ is a, ɦ is h, the dental mark goes, breathy ̤ is ʱ, and
    /// labialization and
    /// palatalization are the glides they sound like (bʷ is b w, as Bantu spelling writes it). A symbol is a base
    /// letter with the modifiers after it (kʰ, ɓ, ɛ̃); t ʃ, d ʒ, t s and d z are one symbol each.
    public static func commonSymbols(_ ipa: String) -> [String] {
        let dropped: Set<Unicode.Scalar> = [
            "\u{361}", "\u{35C}", "ˈ", "ˌ", "ː", "ˑ", "\u{301}", "\u{300}", "\u{304}", "\u{302}", "\u{30C}",
            "\u{329}", "\u{30D}", "\u{32A}", " ", "-", "ˀ",
        ]
        let replaced: [Unicode.Scalar: String] = [
            "ʧ": "tʃ", "ʤ": "dʒ", "g": "ɡ", "ɾ": "r", "ʦ": "ts", "ʣ": "dz", "\u{324}": "ʱ", "ʷ": "w", "ʲ": "j",
            "ɪ": "i", "ʊ": "u", "æ": "ɛ", "ɑ": "a", "ɦ": "h",
            "ʋ": "v",
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
/// or virama and at the end of a word (epitran does this in code, not in the map); Urdu's ی ہ ک are looked up as
/// the Arabic code points the map uses, without the short-vowel marks the map lacks.
public struct EpitranReference: Sendable {
    /// The map's file name in references/epitran for each language that has one.
    public static let mapNames: [Language: String] = [
        .swahili: "swa-Latn.csv", .zulu: "zul-Latn.csv", .chichewa: "nya-Latn.csv", .hausa: "hau-Latn.csv",
        .yoruba: "yor-Latn.csv", .hindi: "hin-Deva.csv", .urdu: "urd-Arab.csv",
    ]

    public let language: Language
    let map: GraphemeMap
    /// Urdu's short-vowel marks (tanwin, zabar, pesh, zer, shadda, sukun, the small alif), which the map does not
    /// have: the map reads the consonant skeleton, as everyday Urdu is written.
    static let arabicVowelMarks: ClosedRange<UInt32> = 0x064B...0x0652

    public init(language: Language, csv: String, path: String) throws {
        self.language = language
        self.map = try GraphemeMap(csv: csv, path: path)
    }

    /// The reference symbols for a word (as `PronunciationAgreement.commonSymbols`), nil if a letter has no entry.
    public func symbols(_ word: String) -> [String]? {
        var plain = String.UnicodeScalarView()
        for scalar in word.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars
        where Tone(mark: scalar) == nil && !(language.script == .arabic && Self.arabicVowelMarks.contains(scalar.value))
        {
            plain.append(scalar)
        }
        var spelled = String(plain).precomposedStringWithCanonicalMapping
        if language.script == .arabic {
            // The map spells ی ہ ک with their Arabic code points ي ه ك: the same letters.
            for (urdu, arabic) in [("\u{6CC}", "\u{64A}"), ("\u{6C1}", "\u{647}"), ("\u{6A9}", "\u{643}")] {
                spelled = spelled.replacingOccurrences(of: urdu, with: arabic)
            }
        }
        guard var ipa = map.transcribe(spelled, keeping: ["a", "e", "i", "o", "u", "n"]) else { return nil }
        if language.script == .devanagari { ipa = Self.withoutInherentVowels(ipa) }
        return PronunciationAgreement.commonSymbols(ipa)
    }

    /// Drops the ə the Devanagari map writes after every consonant where a vowel sign or virama follows, and at the
    /// end of a word; the anusvara's N becomes nasalization.
    static func withoutInherentVowels(_ ipa: String) -> String {
        let virama: Unicode.Scalar = "\u{94D}"
        let vowelStarts: Set<Unicode.Scalar> = ["a", "i", "u", "e", "o", "æ", "ɔ"]
        var scalars = Array(ipa.replacingOccurrences(of: "<ons>", with: "").unicodeScalars)
        var kept: [Unicode.Scalar] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            let afterNext = index + 2 < scalars.count ? scalars[index + 2] : nil
            if scalar == virama {
                index += 1
                continue
            }
            if scalar == "ə", let next {
                let syllabic = (next == "r" || next == "l") && afterNext == "\u{329}"
                if next == virama || vowelStarts.contains(next) || syllabic {
                    index += next == virama ? 2 : 1
                    continue
                }
            }
            kept.append(scalar == "N" ? "\u{303}" : scalar)
            index += 1
        }
        if kept.last == "ə", kept.count > 2 { kept.removeLast() }
        scalars = kept
        return String(String.UnicodeScalarView(scalars))
    }
}
