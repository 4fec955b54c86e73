/// How one language says what physics answers write: numbers, the words around them, units, symbols and
/// abbreviations. English and Swahili keep theirs in `TextNormalizer` and `NumberWords`; every other language has
/// one of these, in its own file (`SpokenForms+Zulu.swift`, ...). All of it awaits review by a native speaker.
struct SpokenForms: Sendable {
    /// The decimal point: "3.5" is three, this, five.
    var point: String
    /// Before a negative number.
    var minus: String
    /// Between the ends of a range ("3-5").
    var rangeTo: String
    /// Between a number and its power of ten ("3 × 10^8").
    var timesTenToThe: String
    /// Before the exponent of a bare power of ten ("10^8").
    var tenToThe: String
    /// Every unit symbol of `TextNormalizer.units`: the words before and after the number.
    var units: [String: (before: String, after: String)]
    var symbols: [Character: String]
    /// Lower-cased with their dots, as in `TextNormalizer.abbreviations`.
    var abbreviations: [String: (words: String, canEndSentence: Bool)]
    /// A whole number in words, as counted aloud.
    var cardinal: @Sendable (UInt64) -> String
    /// A whole number counting a unit (symbol), agreeing with the unit's noun; the cardinal by default.
    var counted: @Sendable (UInt64, String) -> String
    /// A prefix written onto a number with a hyphen (Zulu ayi-100) and the number, said as one word; nil where the
    /// language does not write numbers so.
    var prefixedNumber: (@Sendable (String, UInt64) -> String)? = nil

    /// The forms of a language, nil for English and Swahili.
    static func of(_ language: Language) -> SpokenForms? {
        switch language {
        case .english, .swahili: return nil
        case .zulu: return .zulu
        case .chichewa: return .chichewa
        case .hausa: return .hausa
        case .yoruba: return .yoruba
        case .hindi: return .hindi
        case .urdu: return .urdu
        }
    }
}

extension NumberWords {
    /// Splits a number into (multiplier, scale) parts from the largest scale down, and what is left under the
    /// smallest: 2,345 with scales [1000, 100] is [(2, 1000), (3, 100)] and 45.
    static func parts(_ value: UInt64, scales: [UInt64]) -> (parts: [(UInt64, UInt64)], rest: UInt64) {
        var remainder = value
        var parts: [(UInt64, UInt64)] = []
        for scale in scales where remainder >= scale {
            parts.append((remainder / scale, scale))
            remainder %= scale
        }
        return (parts, remainder)
    }
}

/// Whole numbers as Hindi and Urdu count them: a word of its own for every number to 99, then hundred, thousand,
/// lakh (100,000) and crore (10,000,000), each after its multiplier (the Indian grouping: 1,000,000 is ten lakh).
/// One builder; each language gives its table (`SpokenForms+Hindi.swift`, `SpokenForms+Urdu.swift`).
struct IndianNumberWords: Sendable {
    /// 0-99.
    let belowHundred: [String]
    /// The word for each scale, crore down to hundred.
    let scaleWords: [UInt64: String]

    init(belowHundred: [String], hundred: String, thousand: String, lakh: String, crore: String) {
        precondition(belowHundred.count == 100, "IndianNumberWords: a word for each number 0-99")
        self.belowHundred = belowHundred
        scaleWords = [10_000_000: crore, 100_000: lakh, 1000: thousand, 100: hundred]
    }

    /// A whole number: each scale's multiplier (itself a number in words) then the scale's word, then the rest
    /// under a hundred.
    func cardinal(_ value: UInt64) -> String {
        if value < 100 { return belowHundred[Int(value)] }
        let (parts, rest) = NumberWords.parts(value, scales: [10_000_000, 100_000, 1000, 100])
        var words = parts.map { multiplier, scale in cardinal(multiplier) + " " + scaleWords[scale]! }
        if rest > 0 { words.append(belowHundred[Int(rest)]) }
        return words.joined(separator: " ")
    }
}
