import Foundation

/// Turns recognized or curated text into the lower-case word tokens that retrieval and the checks compare.
///
/// Steps, in order: lower case; for languages written without meaningful diacritics (`en`, `sw`) accents are folded
/// (`café` -> `cafe`), while tone and vowel marks are kept elsewhere (Yoruba tones change meaning); apostrophes are
/// removed inside words (`don't` -> `dont`); thousands separators between digits are dropped (`300,000` ->
/// `300000`); every other character that is not a letter or digit separates words.
public enum TextNormalizer {
    /// Languages whose diacritics can be folded away without merging different words.
    public static let foldingLanguages: Set<String> = ["en", "sw"]

    /// The normalized words of `text` in `language`, in order.
    public static func words(_ text: String, language: String) -> [String] {
        var lowered = text.lowercased()
        if foldingLanguages.contains(language) {
            lowered = lowered.folding(options: [.diacriticInsensitive], locale: nil)
        }
        let scalars = Array(lowered.unicodeScalars)
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func finish() {
            if !current.isEmpty { words.append(String(current)) }
            current = String.UnicodeScalarView()
        }
        for (index, scalar) in scalars.enumerated() {
            let previous = index > 0 ? scalars[index - 1] : nil
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            if CharacterSet.alphanumerics.contains(scalar) || CharacterSet.nonBaseCharacters.contains(scalar) {
                current.append(scalar)
            } else if scalar == "'" || scalar == "’", let previous, let next,
                CharacterSet.letters.contains(previous), CharacterSet.letters.contains(next)
            {
                continue
            } else if scalar == ",", let previous, let next,
                CharacterSet.decimalDigits.contains(previous), CharacterSet.decimalDigits.contains(next)
            {
                continue
            } else {
                finish()
            }
        }
        finish()
        return words
    }

    /// The normalized words joined by single spaces: a canonical form for comparing phrases.
    public static func normalized(_ text: String, language: String) -> String {
        words(text, language: language).joined(separator: " ")
    }
}
