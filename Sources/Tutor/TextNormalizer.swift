import Foundation

/// Turns recognized or curated text into the lower-case word tokens that retrieval and the checks compare.
///
/// Steps, in order: lower case; for languages whose diacritics can be dropped for matching (`foldingLanguages`)
/// accents are folded (`café` -> `cafe`, Hausa `ƙarfī` -> `ƙarfi`, Yoruba `ìmọ́lẹ̀` -> `imole`), and Urdu's short-vowel
/// marks (zer, zabar, pesh and the other harakat) are dropped; apostrophes are removed inside words (`don't` ->
/// `dont`); thousands separators between digits are dropped (`300,000` -> `300000`); every other character that is
/// not a letter or digit separates words.
///
/// The curated Hausa, Yoruba and Urdu text carries tone and vowel marks so it is spoken right, but recognized and
/// typed questions mostly lack them, so matching ignores them. Devanagari vowel signs are letters, never folded.
public enum TextNormalizer {
    /// Languages whose diacritics can be folded away for matching without merging the words of different topics.
    public static let foldingLanguages: Set<String> = ["en", "sw", "ha", "yo"]

    /// The normalized words of `text` in `language`, in order.
    public static func words(_ text: String, language: String) -> [String] {
        var lowered = text.lowercased()
        if foldingLanguages.contains(language) {
            lowered = lowered.folding(options: [.diacriticInsensitive], locale: nil)
        }
        var scalars = Array(lowered.unicodeScalars)
        if language == "ur" {
            scalars.removeAll { (0x064B...0x065F).contains($0.value) || $0.value == 0x0670 }
        }
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
