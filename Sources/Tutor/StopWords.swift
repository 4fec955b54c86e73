/// Words too common to tell topics apart, per language: question words, articles, pronouns, fillers.
///
/// They are dropped before retrieval, but they still count as evidence of the language when `auto` picks one.
public enum StopWords {
    /// The stop words of `language` (empty for languages without a list).
    public static func list(for language: String) -> Set<String> {
        switch language {
        case "en": return english
        case "sw": return swahili
        default: return []
        }
    }

    /// English stop words, including children's fillers (`um`, `teacher`, `please`) and reported speech (`people say`).
    public static let english: Set<String> = [
        "a", "an", "the", "is", "are", "was", "were", "be", "been", "am", "do", "does", "did", "doing", "done",
        "what", "why", "how", "who", "whom", "which", "when", "where", "whats", "hows", "wheres", "whys", "come",
        "i", "me", "my", "we", "our", "us", "you", "your", "he", "she", "it", "its", "they", "them", "their", "his",
        "her", "this", "that", "these", "those", "there", "here", "of", "to", "in", "on", "at", "by", "for",
        "with", "from", "into", "and", "or", "but", "so", "if", "then", "than", "as", "not", "no", "dont", "doesnt",
        "can", "could", "will", "would", "should", "shall", "may", "might", "must", "has", "have", "had", "get",
        "gets", "got", "make", "makes", "made", "thing", "things", "some", "very", "much", "many", "just", "also",
        "too", "um", "uh", "er", "teacher", "please", "tell", "mean", "means", "know", "about", "like", "really",
        "isnt", "arent", "im", "ok", "okay", "yes", "one", "all", "up", "out", "say", "says", "said",
    ]

    /// Swahili stop words: question words, connectives, pronouns, the `-a` of association, fillers.
    public static let swahili: Set<String> = [
        "kwa", "nini", "kwanini", "mbona", "je", "ni", "si", "na", "ya", "wa", "la", "cha", "za", "vya", "kwa",
        "katika", "kwenye", "ndani", "juu", "hii", "huu", "hiki", "hizi", "hayo", "hilo", "hiyo", "huo", "yule",
        "mimi", "wewe", "yeye", "sisi", "ninyi", "wao", "yangu", "yako", "yake", "yetu", "lakini", "au", "kama",
        "tena", "pia", "sana", "hata", "tu", "gani", "vipi", "nani", "wapi", "lini", "kwamba", "kuwa", "mwalimu",
        "tafadhali", "eh", "ehe", "aa", "hapa", "pale", "huko", "kuna", "hakuna", "ndio", "hapana", "basi",
        "kitu", "vitu", "sababu", "kwasababu", "namna", "jinsi", "hufanya", "inafanya", "kufanya", "fanya",
        "kinafanya", "nikiwa", "je", "mtu", "watu",
    ]

    /// Positions of words that only frame a question: `work` in `how does a magnet work` (English, with `how`),
    /// `kazi` in `sumaku inafanyaje kazi` (Swahili, with a form of `fanya`). As content they would pull every
    /// "how does it work" question toward the topics whose ask lines happen to say `work`.
    public static func framePositions(in words: [String], language: String) -> Set<Int> {
        switch language {
        case "en":
            guard words.contains("how") else { return [] }
            return Set(words.indices.filter { ["work", "works", "working"].contains(words[$0]) })
        case "sw":
            guard words.contains(where: { $0.contains("fanya") }) else { return [] }
            return Set(words.indices.filter { words[$0] == "kazi" || words[$0].contains("fanya") })
        default:
            return []
        }
    }
}
