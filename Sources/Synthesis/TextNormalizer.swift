import Foundation

/// Turns written physics answers into the words a speaker would say: numbers, units, symbols, abbreviations.
///
///     TextNormalizer(language: .english).normalize("9.8 m/s²")   // "nine point eight metres per second squared"
///
/// Output is lower-case words separated by spaces, with `, . ? !` kept (attached to the word before) because
/// prosody needs them. Emoji and symbols it has no words for are dropped; letters of other scripts are kept
/// for the pronouncer to judge.
public struct TextNormalizer: Sendable {
    public let language: Language
    /// Words for the languages beyond English and Swahili (nil for those two, whose words are below).
    let forms: SpokenForms?

    public init(language: Language) {
        self.language = language
        self.forms = SpokenForms.of(language)
    }

    /// A unit: English says it after the number (singular, plural); Swahili puts the noun before the number and
    /// the rest ("kwa sekunde") after it.
    struct Unit {
        var symbol: String
        var englishSingular: String
        var englishPlural: String
        var swahiliBefore: String
        var swahiliAfter: String
    }

    /// Longest symbols first so `m/s²` wins over `m/s` and `m`.
    static let units: [Unit] = [
        Unit(
            symbol: "m/s²", englishSingular: "metre per second squared", englishPlural: "metres per second squared",
            swahiliBefore: "mita", swahiliAfter: "kwa sekunde mraba"),
        Unit(
            symbol: "m/s^2", englishSingular: "metre per second squared", englishPlural: "metres per second squared",
            swahiliBefore: "mita", swahiliAfter: "kwa sekunde mraba"),
        Unit(
            symbol: "km/h", englishSingular: "kilometre per hour", englishPlural: "kilometres per hour",
            swahiliBefore: "kilomita", swahiliAfter: "kwa saa"),
        Unit(
            symbol: "m/s", englishSingular: "metre per second", englishPlural: "metres per second",
            swahiliBefore: "mita", swahiliAfter: "kwa sekunde"),
        Unit(
            symbol: "°C", englishSingular: "degree celsius", englishPlural: "degrees celsius",
            swahiliBefore: "nyuzi joto", swahiliAfter: ""),
        Unit(
            symbol: "°F", englishSingular: "degree fahrenheit", englishPlural: "degrees fahrenheit",
            swahiliBefore: "nyuzi joto", swahiliAfter: "za farenhaiti"),
        Unit(
            symbol: "kHz", englishSingular: "kilohertz", englishPlural: "kilohertz",
            swahiliBefore: "kilohezi", swahiliAfter: ""),
        Unit(symbol: "Hz", englishSingular: "hertz", englishPlural: "hertz", swahiliBefore: "hezi", swahiliAfter: ""),
        Unit(
            symbol: "kg", englishSingular: "kilogram", englishPlural: "kilograms",
            swahiliBefore: "kilogramu", swahiliAfter: ""),
        Unit(
            symbol: "km", englishSingular: "kilometre", englishPlural: "kilometres",
            swahiliBefore: "kilomita", swahiliAfter: ""),
        Unit(
            symbol: "cm", englishSingular: "centimetre", englishPlural: "centimetres",
            swahiliBefore: "sentimita", swahiliAfter: ""),
        Unit(
            symbol: "mm", englishSingular: "millimetre", englishPlural: "millimetres",
            swahiliBefore: "milimita", swahiliAfter: ""),
        Unit(
            symbol: "kJ", englishSingular: "kilojoule", englishPlural: "kilojoules",
            swahiliBefore: "kilojuli", swahiliAfter: ""),
        Unit(
            symbol: "kW", englishSingular: "kilowatt", englishPlural: "kilowatts",
            swahiliBefore: "kilowati", swahiliAfter: ""),
        Unit(
            symbol: "min", englishSingular: "minute", englishPlural: "minutes",
            swahiliBefore: "dakika", swahiliAfter: ""),
        Unit(
            symbol: "%", englishSingular: "percent", englishPlural: "percent", swahiliBefore: "asilimia",
            swahiliAfter: ""),
        Unit(
            symbol: "°", englishSingular: "degree", englishPlural: "degrees", swahiliBefore: "nyuzi",
            swahiliAfter: ""),
        Unit(symbol: "m", englishSingular: "metre", englishPlural: "metres", swahiliBefore: "mita", swahiliAfter: ""),
        Unit(symbol: "g", englishSingular: "gram", englishPlural: "grams", swahiliBefore: "gramu", swahiliAfter: ""),
        Unit(
            symbol: "N", englishSingular: "newton", englishPlural: "newtons", swahiliBefore: "newtoni",
            swahiliAfter: ""),
        Unit(symbol: "J", englishSingular: "joule", englishPlural: "joules", swahiliBefore: "juli", swahiliAfter: ""),
        Unit(symbol: "W", englishSingular: "watt", englishPlural: "watts", swahiliBefore: "wati", swahiliAfter: ""),
        Unit(symbol: "V", englishSingular: "volt", englishPlural: "volts", swahiliBefore: "volti", swahiliAfter: ""),
        Unit(
            symbol: "A", englishSingular: "ampere", englishPlural: "amperes", swahiliBefore: "ampea",
            swahiliAfter: ""),
        Unit(
            symbol: "s", englishSingular: "second", englishPlural: "seconds", swahiliBefore: "sekunde",
            swahiliAfter: ""),
        Unit(symbol: "h", englishSingular: "hour", englishPlural: "hours", swahiliBefore: "saa", swahiliAfter: ""),
    ]

    /// Abbreviations (lower-cased, with their dots) and what is said; `endsSentence` ones keep a full stop when the
    /// next word starts a sentence.
    static let abbreviations: [Language: [String: (words: String, canEndSentence: Bool)]] = [
        .english: [
            "e.g.": ("for example", false), "i.e.": ("that is", false), "etc.": ("et cetera", true),
            "dr.": ("doctor", false), "mr.": ("mister", false), "mrs.": ("missus", false), "vs.": ("versus", false),
            "approx.": ("approximately", false), "no.": ("number", false), "fig.": ("figure", false),
        ],
        .swahili: [
            "k.m.": ("kwa mfano", false), "n.k.": ("na kadhalika", true), "dkt.": ("daktari", false),
            "dk.": ("daktari", false), "bw.": ("bwana", false), "bi.": ("bibi", false), "yaani": ("yaani", false),
        ],
    ]

    static let symbolWords: [Language: [Character: String]] = [
        .english: [
            "=": "equals", "+": "plus", "×": "times", "&": "and", "≈": "is about", "<": "is less than",
            ">": "is more than", "÷": "divided by",
        ],
        .swahili: [
            "=": "ni sawa na", "+": "jumlisha", "×": "mara", "&": "na", "≈": "ni karibu", "<": "ni chini ya",
            ">": "ni zaidi ya", "÷": "gawanya kwa",
        ],
    ]

    private static let superscripts: [Character: Character] = [
        "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9", "⁻": "-",
    ]

    /// A number as written: sign, whole part, decimal digits.
    struct Number {
        var negative: Bool
        var whole: UInt64
        /// Digits too many to say as one number (more than 15): read one by one.
        var longDigits: Substring? = nil
        var fraction: Substring?
        var isOne: Bool { !negative && whole == 1 && fraction == nil }
    }

    /// Normalizes a text.
    public func normalize(_ text: String) -> String {
        var output = Output()
        let characters = Self.westernDigits(Array(text.precomposedStringWithCanonicalMapping))
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character.isNumber && character.wholeNumberValue != nil && character.isASCII {
                index = readQuantity(characters, index, negative: false, into: &output)
            } else if (character == "-" || character == "−"), index + 1 < characters.count,
                characters[index + 1].isASCII, characters[index + 1].isNumber,
                index == 0 || characters[index - 1] == " " || characters[index - 1] == "("
                    || characters[index - 1] == "="
            {
                index = readQuantity(characters, index + 1, negative: true, into: &output)
            } else if character.isLetter {
                index = readWord(characters, index, into: &output)
            } else if ",;:".contains(character) {
                output.punctuation(",")
                index += 1
            } else if "،؛".contains(character) {
                output.punctuation(",")
                index += 1
            } else if ".!?…।۔؟".contains(character) {
                output.punctuation(character == "؟" ? "?" : ".!?".contains(character) ? character : ".")
                index += 1
            } else if let words = Self.symbolWords[language]?[character] ?? forms?.symbols[character] {
                output.words(words)
                index += 1
            } else {
                // Spaces, quotes, brackets, dashes between words, emoji: a word boundary and nothing said.
                if character == "(" || character == ")" || character == "—" { output.punctuation(",") }
                output.boundary()
                index += 1
            }
        }
        return output.finished
    }

    /// Reads a number and whatever quantity follows it: a range, a power of ten, an ordinal suffix, a unit.
    private func readQuantity(_ characters: [Character], _ start: Int, negative: Bool, into output: inout Output) -> Int
    {
        var (number, index) = readNumber(characters, start)
        number.negative = negative
        var spoken = say(number)
        var isOne = number.isOne
        // Ordinal: 1st, 2nd, 21st, 4th.
        if language == .english, number.fraction == nil, !negative, index + 1 < characters.count {
            let suffix = String(characters[index...].prefix(2)).lowercased()
            let after = index + 2 < characters.count ? characters[index + 2] : " "
            if ["st", "nd", "rd", "th"].contains(suffix), !after.isLetter {
                output.words(NumberWords.englishOrdinal(number.whole))
                return index + 2
            }
        }
        // Range: 3-5, 3–5, 3 – 5.
        var look = index
        while look < characters.count, characters[look] == " " { look += 1 }
        if look < characters.count, characters[look] == "-" || characters[look] == "–",
            look + 1 < characters.count
        {
            var next = look + 1
            while next < characters.count, characters[next] == " " { next += 1 }
            let spacedDash = look > index || next > look + 1
            if next < characters.count, characters[next].isASCII, characters[next].isNumber,
                !spacedDash || characters[look] == "–"
            {
                let (upper, end) = readNumber(characters, next)
                spoken += " " + (forms?.rangeTo ?? (language == .english ? "to" : "hadi")) + " "
                spoken += say(upper)
                isOne = false
                index = end
            }
        }
        // Power of ten: 3 × 10^8, 3 x 10^8, 10^-3, 10⁸.
        var powerLook = index
        while powerLook < characters.count, characters[powerLook] == " " { powerLook += 1 }
        if powerLook < characters.count, characters[powerLook] == "×" || characters[powerLook] == "x" {
            var next = powerLook + 1
            while next < characters.count, characters[next] == " " { next += 1 }
            if next + 1 < characters.count, characters[next] == "1", characters[next + 1] == "0",
                let (exponent, end) = readExponent(characters, next + 2)
            {
                spoken +=
                    " "
                    + (forms?.timesTenToThe
                        ?? (language == .english ? "times ten to the power of" : "mara kumi kipeo cha")) + " "
                spoken += exponent
                index = end
                isOne = false
            }
        } else if number.whole == 10, number.fraction == nil, let (exponent, end) = readExponent(characters, index) {
            spoken =
                (forms?.tenToThe ?? (language == .english ? "ten to the power of" : "kumi kipeo cha")) + " " + exponent
            index = end
            isOne = false
        }
        // Unit.
        var unitStart = index
        while unitStart < characters.count, characters[unitStart] == " " { unitStart += 1 }
        if let (unit, end) = matchUnit(characters, unitStart) {
            switch language {
            case .english:
                output.words(spoken + " " + (isOne ? unit.englishSingular : unit.englishPlural))
            case .swahili:
                output.words(
                    [unit.swahiliBefore, spoken, unit.swahiliAfter].filter { !$0.isEmpty }.joined(separator: " "))
            default:
                guard let forms, let words = forms.units[unit.symbol] else { break }
                // A plain count agrees with the unit's noun (Zulu amamitha amahlanu); other numbers as read.
                let plainCount =
                    spoken == say(number) && !number.negative && number.fraction == nil
                    && number.longDigits == nil
                let count = plainCount ? forms.counted(number.whole, unit.symbol) : spoken
                output.words([words.before, count, words.after].filter { !$0.isEmpty }.joined(separator: " "))
            }
            return end
        }
        output.words(spoken)
        return index
    }

    private func say(_ number: Number) -> String {
        var words = NumberWords.cardinal(number.whole, language)
        if let long = number.longDigits { words = NumberWords.digits(long, language) }
        if let fraction = number.fraction {
            words += " " + (forms?.point ?? (language == .english ? "point" : "nukta")) + " "
            words += NumberWords.digits(fraction, language)
        }
        if number.negative { words = minusWord + " " + words }
        return words
    }

    /// Digits with optional thousands commas (groups of exactly three) and an optional decimal part.
    private func readNumber(_ characters: [Character], _ start: Int) -> (Number, Int) {
        var index = start
        var digits = ""
        func isDigit(_ at: Int) -> Bool { at < characters.count && characters[at].isASCII && characters[at].isNumber }
        while isDigit(index) {
            digits.append(characters[index])
            index += 1
            // A thousands separator: a comma then exactly three digits and no fourth.
            if index < characters.count, characters[index] == ",", isDigit(index + 1), isDigit(index + 2),
                isDigit(index + 3), !isDigit(index + 4)
            {
                index += 1
            }
        }
        var fraction: Substring?
        if index + 1 < characters.count, characters[index] == ".", isDigit(index + 1) {
            var end = index + 1
            while isDigit(end) { end += 1 }
            fraction = Substring(String(characters[(index + 1)..<end]))
            index = end
        }
        let whole = UInt64(digits.prefix(15)) ?? 0
        let long = digits.count > 15 ? Substring(digits) : nil
        return (Number(negative: false, whole: whole, longDigits: long, fraction: fraction), index)
    }

    /// `^8`, `^-3`, `⁸`, `⁻³` after a ten: the exponent in words.
    private func readExponent(_ characters: [Character], _ start: Int) -> (String, Int)? {
        var index = start
        var text = ""
        if index < characters.count, characters[index] == "^" {
            index += 1
            if index < characters.count, characters[index] == "-" || characters[index] == "−" {
                text = "-"
                index += 1
            }
            while index < characters.count, characters[index].isASCII, characters[index].isNumber {
                text.append(characters[index])
                index += 1
            }
        } else {
            while index < characters.count, let plain = Self.superscripts[characters[index]] {
                text.append(plain)
                index += 1
            }
        }
        let negative = text.hasPrefix("-")
        guard let value = UInt64(negative ? String(text.dropFirst()) : text) else { return nil }
        let words = NumberWords.cardinal(value, language)
        return ((negative ? minusWord + " " : "") + words, index)
    }

    private var minusWord: String { forms?.minus ?? (language == .english ? "minus" : "hasi") }

    /// Devanagari and Arabic-Indic digits (and the Arabic decimal and thousands signs) as ASCII ones.
    static func westernDigits(_ characters: [Character]) -> [Character] {
        characters.map { character in
            guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1 else {
                return character
            }
            switch scalar.value {
            case 0x0966...0x096F: return Character(String(scalar.value - 0x0966))
            case 0x0660...0x0669: return Character(String(scalar.value - 0x0660))
            case 0x06F0...0x06F9: return Character(String(scalar.value - 0x06F0))
            case 0x066B: return "."
            case 0x066C: return ","
            default: return character
            }
        }
    }

    private func matchUnit(_ characters: [Character], _ start: Int) -> (Unit, Int)? {
        for unit in Self.units {
            let symbol = Array(unit.symbol)
            guard start + symbol.count <= characters.count, Array(characters[start..<(start + symbol.count)]) == symbol
            else { continue }
            let end = start + symbol.count
            if end < characters.count, characters[end].isLetter || characters[end].isNumber { continue }
            return (unit, end)
        }
        return nil
    }

    /// A word, or an abbreviation with dots (e.g., Dr.).
    private func readWord(_ characters: [Character], _ start: Int, into output: inout Output) -> Int {
        var index = start
        while index < characters.count,
            characters[index].isLetter || characters[index].isMark
                || (characters[index] == "'" || characters[index] == "’")
                    && index + 1 < characters.count && characters[index + 1].isLetter
                || characters[index] == "." && index + 1 < characters.count && characters[index + 1].isLetter
                    && index + 2 < characters.count && characters[index + 2] == "."
        {
            index += 1
        }
        var word = String(characters[start..<index]).replacingOccurrences(of: "’", with: "'")
        // Swahili ng’ and English contractions keep their apostrophe.
        if index < characters.count, characters[index] == "." {
            let candidate = (word + ".").lowercased()
            if let (words, canEnd) = Self.abbreviations[language]?[candidate] ?? forms?.abbreviations[candidate] {
                output.words(words)
                var next = index + 1
                while next < characters.count, characters[next] == " " { next += 1 }
                if canEnd, next >= characters.count || characters[next].isUppercase { output.punctuation(".") }
                return index + 1
            }
        }
        if word.contains("."), !word.hasSuffix(".") {
            // Dotted letters not in the list (U.S.A): spell the letters.
            word = word.replacingOccurrences(of: ".", with: " ")
        }
        // A prefix written onto a number with a hyphen (Zulu ayi-100, angu-24): one word, as said.
        if let join = forms?.prefixedNumber, index + 1 < characters.count, characters[index] == "-",
            characters[index + 1].isASCII, characters[index + 1].isNumber
        {
            let (number, end) = readNumber(characters, index + 1)
            if number.fraction == nil, number.longDigits == nil {
                output.words(join(word.lowercased(), number.whole))
                return end
            }
        }
        // Swahili connectors before a number: "wa 1" is "wa kwanza", "ya 2" is "ya pili".
        if language == .swahili, ["wa", "ya", "la", "cha", "kwa", "za", "vya", "ms"].contains(word.lowercased()) {
            var next = index
            while next < characters.count, characters[next] == " " { next += 1 }
            var afterDigit = next + 1
            while afterDigit < characters.count, characters[afterDigit] == " " { afterDigit += 1 }
            if next < characters.count, characters[next] == "1" || characters[next] == "2",
                next + 1 >= characters.count
                    || !(characters[next + 1].isNumber || characters[next + 1] == "." || characters[next + 1] == ","),
                matchUnit(characters, afterDigit) == nil
            {
                output.words(word.lowercased() + " " + (characters[next] == "1" ? "kwanza" : "pili"))
                return next + 1
            }
        }
        output.words(word.lowercased())
        return index
    }

    /// Accumulates words and punctuation with single spaces.
    struct Output {
        private(set) var text = ""
        mutating func words(_ words: String) {
            if !text.isEmpty, text.last != " " { text += " " }
            text += words
        }
        mutating func punctuation(_ mark: Character) {
            while text.last == " " { text.removeLast() }
            guard let last = text.last else { return }
            if last == "," || last == "." || last == "?" || last == "!" {
                if mark == "," { return }
                if last == "," { text.removeLast() } else { return }
            }
            text.append(mark)
        }
        mutating func boundary() {
            if !text.isEmpty, text.last != " " { text += " " }
        }
        var finished: String { text.trimmingCharacters(in: .whitespaces) }
    }
}

extension Character {
    /// Combining marks (tone marks, dots below) that belong to the letter before.
    var isMark: Bool { unicodeScalars.allSatisfy { $0.properties.generalCategory == .nonspacingMark } }
}
