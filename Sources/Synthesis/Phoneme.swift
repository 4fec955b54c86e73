import Foundation

/// Lexical stress on a vowel.
public enum Stress: Int, Sendable, Equatable, Comparable {
    case none = 0
    case secondary = 2
    case primary = 1

    public static func < (lhs: Stress, rhs: Stress) -> Bool { lhs.rank < rhs.rank }
    private var rank: Int { self == .primary ? 2 : (self == .secondary ? 1 : 0) }
}

/// One phoneme of a pronunciation: an IPA symbol from the language's inventory, with stress on vowels.
public struct Phone: Sendable, Equatable, CustomStringConvertible {
    /// IPA symbol, e.g. `ʃ`, `aɪ`, `tʃ`.
    public var symbol: String
    public var stress: Stress

    public init(_ symbol: String, stress: Stress = .none) {
        self.symbol = symbol
        self.stress = stress
    }

    /// IPA with a stress mark before stressed vowels: `ˈa`.
    public var description: String {
        switch stress {
        case .primary: return "ˈ" + symbol
        case .secondary: return "ˌ" + symbol
        case .none: return symbol
        }
    }

    /// Parses `ˈa`, `ˌo`, `ʃ` (a stress mark may prefix any symbol).
    public init(notation: Substring) {
        if notation.hasPrefix("ˈ") {
            self.init(String(notation.dropFirst()), stress: .primary)
        } else if notation.hasPrefix("ˌ") {
            self.init(String(notation.dropFirst()), stress: .secondary)
        } else {
            self.init(String(notation), stress: .none)
        }
    }
}

/// Formats phones as space-separated IPA with stress marks.
public func formatPhones(_ phones: [Phone]) -> String { phones.map(\.description).joined(separator: " ") }

/// What kind of sound a phoneme is: drives durations, voicing and how the synthesizer makes it.
public enum PhonemeClass: String, Sendable, CaseIterable, Equatable {
    case vowel, diphthong, approximant, nasal, stop, affricate, fricative, aspirate, flap

    /// Vowels and diphthongs carry syllables.
    public var isSyllabic: Bool { self == .vowel || self == .diphthong }

    /// Sounds made with the voice alone, no closure or noise: vowels, approximants, nasals, flaps.
    public var isSonorant: Bool { isSyllabic || self == .approximant || self == .nasal || self == .flap }
}

/// A language's phoneme inventory (Lexicons/<lang>/phonemes), parsed strictly.
///
/// Format, one phoneme a line: `symbol  class  example-word`, e.g. `ʃ  fricative  ship`. Classes are the cases of
/// `PhonemeClass`. Every symbol that rules, exceptions or the dictionary produce must be listed here.
public struct PhonemeInventory: Sendable, Equatable {
    /// Class of each symbol.
    public var classes: [String: PhonemeClass]
    /// Symbols in file order.
    public var symbols: [String]

    public init(classes: [String: PhonemeClass], symbols: [String]) {
        self.classes = classes
        self.symbols = symbols
    }

    /// Reads an inventory file.
    public static func load(from url: URL) throws -> PhonemeInventory {
        try parse(DataFileLines(contentsOf: url))
    }

    /// Parses inventory text; `path` names the source in errors.
    public static func parse(_ text: String, path: String) throws -> PhonemeInventory {
        try parse(DataFileLines(text: text, path: path))
    }

    static func parse(_ file: DataFileLines) throws -> PhonemeInventory {
        var classes: [String: PhonemeClass] = [:]
        var symbols: [String] = []
        for (number, text) in file.lines {
            let fields = text.split(whereSeparator: \.isWhitespace)
            guard fields.count >= 2 else {
                throw file.error(number, "expected 'symbol class [example]', found '\(text)'")
            }
            let symbol = String(fields[0])
            guard let kind = PhonemeClass(rawValue: String(fields[1])) else {
                let known = PhonemeClass.allCases.map(\.rawValue).joined(separator: ", ")
                throw file.error(number, "unknown phoneme class '\(fields[1])' (expected one of: \(known))")
            }
            if classes[symbol] != nil { throw file.error(number, "phoneme '\(symbol)' is listed twice") }
            classes[symbol] = kind
            symbols.append(symbol)
        }
        if symbols.isEmpty { throw SynthesisError.invalidLine(path: file.path, line: 0, reason: "no phonemes") }
        return PhonemeInventory(classes: classes, symbols: symbols)
    }

    /// Whether the symbol carries a syllable.
    public func isSyllabic(_ symbol: String) -> Bool { classes[symbol]?.isSyllabic ?? false }
}
