/// Whether an answer says a topic's key term.
///
/// A term is said when it occurs in the text as written (case-insensitive, so a Zulu term may be part of a longer
/// word, as `Curriculum/README.md` allows), or when its words occur in a row by stem (`Stemmer`): an answer that says
/// `the socket` says the term `sockets`, and `bouncing` says `bounces`. In English a word also says another of its
/// family, the noun of a verb (`family`): `evaporates` says `evaporation`, `refracts` says `refraction`. A term the
/// model said in another form is still said; checking the spelling alone sent correct model answers to the curated
/// text.
public enum KeyTerms {
    /// Whether `text` says `term` in `language`.
    public static func isSaid(_ term: String, in text: String, language: String) -> Bool {
        if text.lowercased().contains(term.lowercased()) { return true }
        let key = { (word: String) in family(Stemmer.stem(word, language: language), language: language) }
        let termKeys = TextNormalizer.words(term, language: language).map(key)
        let keys = TextNormalizer.words(text, language: language).map(key)
        guard !termKeys.isEmpty, termKeys.count <= keys.count else { return false }
        return (0...(keys.count - termKeys.count)).contains { start in
            keys[start..<(start + termKeys.count)].elementsEqual(termKeys)
        }
    }

    /// The terms of `terms` that `text` does not say, in order.
    public static func missing(_ terms: [String], in text: String, language: String) -> [String] {
        terms.filter { !isSaid($0, in: text, language: language) }
    }

    /// The word family of a stem: in English, the stem without the first of a noun's `-ation` or `-ion` or a verb's
    /// `-at` that it ends in, when 4 or more letters remain (`evaporation`, `evaporat` -> `evapor`; `refraction` ->
    /// `refract`; `vibration`, `vibrat` -> `vibr`).
    ///
    /// For key terms only: `Stemmer` is left as it is because retrieval was tuned and measured with it. The 4 letters
    /// keep short words whole (`station`, `motion`, `heat`, `float`).
    static func family(_ stem: String, language: String) -> String {
        guard language == "en" else { return stem }
        guard let suffix = ["ation", "ion", "at"].first(where: stem.hasSuffix), stem.count - suffix.count >= 4
        else { return stem }
        return String(stem.dropLast(suffix.count))
    }
}
