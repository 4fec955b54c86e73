/// Whether an answer says a topic's key term.
///
/// A term is said when it occurs in the text as written (case-insensitive, so a Zulu term may be part of a longer
/// word, as `Curriculum/README.md` allows), or when its words occur in a row by stem (`Stemmer`): an answer that says
/// `the socket` says the term `sockets`, and `bouncing` says `bounces`. A term the model said in another form is
/// still said; checking the spelling alone sent correct model answers to the curated text.
public enum KeyTerms {
    /// Whether `text` says `term` in `language`.
    public static func isSaid(_ term: String, in text: String, language: String) -> Bool {
        if text.lowercased().contains(term.lowercased()) { return true }
        let termStems = TextNormalizer.words(term, language: language).map { Stemmer.stem($0, language: language) }
        let stems = TextNormalizer.words(text, language: language).map { Stemmer.stem($0, language: language) }
        guard !termStems.isEmpty, termStems.count <= stems.count else { return false }
        return (0...(stems.count - termStems.count)).contains { start in
            stems[start..<(start + termStems.count)].elementsEqual(termStems)
        }
    }

    /// The terms of `terms` that `text` does not say, in order.
    public static func missing(_ terms: [String], in text: String, language: String) -> [String] {
        terms.filter { !isSaid($0, in: text, language: language) }
    }
}
