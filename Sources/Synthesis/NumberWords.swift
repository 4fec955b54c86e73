/// Spells whole numbers, decimals and ordinals as words, per language.
enum NumberWords {
    static let englishOnes = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ]
    static let englishTens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    static let englishScales: [(UInt64, String)] = [
        (1_000_000_000_000, "trillion"), (1_000_000_000, "billion"), (1_000_000, "million"), (1000, "thousand"),
    ]
    static let swahiliOnes = ["sifuri", "moja", "mbili", "tatu", "nne", "tano", "sita", "saba", "nane", "tisa"]
    static let swahiliTens = [
        "", "kumi", "ishirini", "thelathini", "arobaini", "hamsini", "sitini", "sabini", "themanini", "tisini",
    ]
    static let swahiliScales: [(UInt64, String)] = [
        (1_000_000_000_000, "trilioni"), (1_000_000_000, "bilioni"), (1_000_000, "milioni"), (1000, "elfu"),
    ]

    /// A whole number in words.
    static func cardinal(_ value: UInt64, _ language: Language) -> String {
        switch language {
        case .english: return english(value)
        case .swahili: return swahili(value)
        default: return SpokenForms.of(language)?.cardinal(value) ?? english(value)
        }
    }

    /// Digits after a decimal point, read one by one.
    static func digits(_ digits: Substring, _ language: Language) -> String {
        digits.compactMap(\.wholeNumberValue).map {
            switch language {
            case .english: return englishOnes[$0]
            case .swahili: return swahiliOnes[$0]
            default: return cardinal(UInt64($0), language)
            }
        }.joined(separator: " ")
    }

    private static func englishBelowThousand(_ value: Int) -> String {
        var parts: [String] = []
        let hundreds = value / 100
        let rest = value % 100
        if hundreds > 0 { parts.append(englishOnes[hundreds] + " hundred") }
        if rest > 0 {
            if hundreds > 0 { parts.append("and") }
            if rest < 20 {
                parts.append(englishOnes[rest])
            } else {
                parts.append(englishTens[rest / 10] + (rest % 10 > 0 ? "-" + englishOnes[rest % 10] : ""))
            }
        }
        return parts.joined(separator: " ")
    }

    private static func english(_ value: UInt64) -> String {
        if value == 0 { return "zero" }
        var remainder = value
        var parts: [String] = []
        for (scale, name) in englishScales where remainder >= scale {
            parts.append(english(remainder / scale) + " " + name)
            remainder %= scale
        }
        if remainder > 0 {
            if !parts.isEmpty && remainder < 100 { parts.append("and") }
            parts.append(englishBelowThousand(Int(remainder)))
        }
        return parts.joined(separator: " ")
    }

    /// Components joined with "na" before the last: 125 is "mia moja ishirini na tano".
    private static func swahiliComponents(_ value: UInt64) -> [String] {
        var remainder = value
        var components: [String] = []
        for (scale, name) in swahiliScales where remainder >= scale {
            components.append(name + " " + swahili(remainder / scale))
            remainder %= scale
        }
        if remainder >= 100 {
            components.append("mia " + swahiliOnes[Int(remainder / 100)])
            remainder %= 100
        }
        if remainder >= 10 {
            components.append(swahiliTens[Int(remainder / 10)])
            remainder %= 10
        }
        if remainder > 0 { components.append(swahiliOnes[Int(remainder)]) }
        return components
    }

    private static func swahili(_ value: UInt64) -> String {
        if value == 0 { return "sifuri" }
        let components = swahiliComponents(value)
        if components.count == 1 { return components[0] }
        return components.dropLast().joined(separator: " ") + " na " + components.last!
    }

    /// English ordinal words: 1 first, 21 twenty-first, 100 one hundredth.
    static func englishOrdinal(_ value: UInt64) -> String {
        let words = english(value)
        let irregular = [
            "one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth", "nine": "ninth",
            "twelve": "twelfth",
        ]
        var lastStart = words.startIndex
        for index in words.indices where words[index] == " " || words[index] == "-" {
            lastStart = words.index(after: index)
        }
        let last = String(words[lastStart...])
        let head = words[..<lastStart]
        if let replaced = irregular[last] { return head + replaced }
        if last.hasSuffix("y") { return head + last.dropLast() + "ieth" }
        return words + "th"
    }
}
