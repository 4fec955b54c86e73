import Foundation

/// Splits answer text into sentences at `.`, `?` and `!` followed by a space or the end (`9.8` stays whole).
public enum AnswerSentences {
    /// The sentences of `text`, trimmed, in order; a sentence ends at `.`, `?`, `!`, the Devanagari danda `।`, or the
    /// Urdu full stop `۔` and question mark `؟`, followed by white space or the end.
    public static func split(_ text: String) -> [String] {
        var sentences: [String] = []
        var current = ""
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            current.append(character)
            let atEnd = index + 1 == characters.count || characters[index + 1].isWhitespace
            if ".?!।۔؟".contains(character), atEnd {
                let trimmed = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !trimmed.isEmpty { sentences.append(trimmed) }
                current = ""
            }
        }
        let rest = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !rest.isEmpty { sentences.append(rest) }
        return sentences
    }
}

/// Settings for checking a generated sentence against a topic.
public struct AnswerCheckOptions: Sendable, Equatable {
    /// A sentence longer than this is too long to say to a child.
    public var maximumWords = 30
    /// Share of a misconception's content words (stems, fuzzily, in the misconception's order) a sentence must
    /// contain to be judged to state it; rounded so a misconception of 4 content words needs all 4, one of 5 needs 4.
    public var misconceptionOverlap = 0.8
    /// A sentence with at least `offTopicMinimumWords` content words is off topic when fewer than this share of them
    /// occur anywhere in the topic's text.
    public var onTopicMinimumShare = 0.25
    /// Sentences with fewer content words than this are never judged off topic (`Yes.`, `That is right.`).
    public var offTopicMinimumWords = 4
    /// A sentence whose content stems are at least this share of one earlier sentence's repeats it.
    public var repeatedShare = 0.8
    /// How many words before a key term a negation may stand to contradict it (`not`, `never`, `si`, `hakuna`).
    public var negationWindow = 3

    /// Creates the defaults.
    public init() {}

    /// The defaults.
    public static let `default` = AnswerCheckOptions()
}

/// Why a sentence may not be said.
public enum AnswerCheckFailure: Sendable, Equatable, CustomStringConvertible {
    /// The sentence states (or comes close to) a marked misconception of the topic.
    case statesMisconception(String)
    /// The sentence negates a key term (`it is not gravity`).
    case contradictsKeyTerm(String)
    /// Too few of the sentence's words belong to the topic.
    case offTopic(share: Double)
    /// More words than a child can follow in one sentence.
    case tooLong(words: Int)
    /// The sentence says again what an earlier sentence of the answer said (small models loop).
    case repeatsEarlierSentence(String)

    /// The check's name without details, for counting failures by kind (`states a misconception`, `too long`).
    public var kindName: String {
        switch self {
        case .statesMisconception: return "states a misconception"
        case .contradictsKeyTerm: return "contradicts a key term"
        case .offTopic: return "off topic"
        case .tooLong: return "too long"
        case .repeatsEarlierSentence: return "repeats an earlier sentence"
        }
    }

    /// A short reason for logs and reports.
    public var description: String {
        switch self {
        case .statesMisconception(let line): return "states a misconception: \(line)"
        case .contradictsKeyTerm(let term): return "contradicts the key term '\(term)'"
        case .offTopic(let share): return "off topic (\(Int((share * 100).rounded()))% of its words are the topic's)"
        case .tooLong(let words): return "too long (\(words) words)"
        case .repeatsEarlierSentence(let earlier): return "repeats an earlier sentence: \(earlier)"
        }
    }
}

/// Checks one sentence of an answer against a topic before it is said: misconceptions, key terms, topic, length.
///
/// A sentence states a misconception when it contains most of the misconception's content words (stems, matched
/// fuzzily at `FuzzyMatch.similarity` 0.8 so that small rewordings are still caught) in the same order, and both are
/// negated or neither is (`The Moon makes no light of its own` does not state `The Moon makes its own light`). Word
/// order and polarity keep correct sentences that share a misconception's words (`planets go round the Sun` against
/// `the Sun and planets go round the Earth`) from being flagged. The checks otherwise err on the side of refusing:
/// the curated text is always there to fall back on.
public struct AnswerChecker: Sendable {
    /// The topic answers are checked against.
    public let topic: CurriculumTopic
    /// The options.
    public let options: AnswerCheckOptions
    let misconceptions: [(line: String, stems: [String], negated: Bool)]
    let topicStems: Set<String>
    let stopWords: Set<String>
    let negations: Set<String>
    /// The negations of key terms the curated text itself says, from the negation word to the term (`never
    /// destroyed`, `no air to scatter`): saying one again is no contradiction.
    private(set) var curatedNegations: Set<String>

    /// Prepares the checks for one topic.
    public init(topic: CurriculumTopic, options: AnswerCheckOptions = .default) {
        self.topic = topic
        self.options = options
        let language = topic.language
        let stopWords = StopWords.list(for: language)
        self.stopWords = stopWords
        let content = { (text: String) in
            TextNormalizer.words(text, language: language).filter { !stopWords.contains($0) }
                .map { Stemmer.stem($0, language: language) }
        }
        let negations = Self.negations(language)
        self.negations = negations
        self.misconceptions = topic.misconceptions.map {
            (
                $0, content($0).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } },
                Self.isNegated(TextNormalizer.words($0, language: language), negations, language)
            )
        }
        let texts =
            [topic.title, topic.answer, topic.why, topic.more, topic.simpler, topic.experiment]
            + topic.asks + topic.terms
        self.topicStems = Set(texts.flatMap(content))
        self.curatedNegations = []
        let curated = [topic.answer, topic.why, topic.more, topic.simpler].flatMap(AnswerSentences.split)
        self.curatedNegations = Set(
            curated.flatMap { negatedTerms(in: TextNormalizer.words($0, language: language)).map(\.phrase) })
    }

    /// The first check the sentence fails, or `nil` when it may be said.
    public func check(_ sentence: String) -> AnswerCheckFailure? {
        let language = topic.language
        let words = TextNormalizer.words(sentence, language: language)
        if words.count > options.maximumWords { return .tooLong(words: words.count) }
        let stems = words.filter { !stopWords.contains($0) }.map { Stemmer.stem($0, language: language) }
        let negated = Self.isNegated(words, negations, language)
        if let line = statedMisconception(stems, negated: negated) { return .statesMisconception(line) }
        if let term = contradictedTerm(words) { return .contradictsKeyTerm(term) }
        if stems.count >= options.offTopicMinimumWords {
            let share = Double(stems.filter { topicStems.contains($0) }.count) / Double(stems.count)
            if share < options.onTopicMinimumShare { return .offTopic(share: share) }
        }
        return nil
    }

    /// The first check the sentence fails, also failing it when it repeats one of `earlier` (the answer's sentences
    /// so far): when at least `repeatedShare` of its content stems were all in one earlier sentence.
    public func check(_ sentence: String, after earlier: [String]) -> AnswerCheckFailure? {
        if let failure = check(sentence) { return failure }
        return repeatedSentence(sentence, in: earlier).map { .repeatsEarlierSentence($0) }
    }

    /// The first of `earlier` that `sentence` repeats: one holding at least `repeatedShare` of its content stems.
    public func repeatedSentence(_ sentence: String, in earlier: [String]) -> String? {
        let stems = Set(contentStems(sentence))
        guard !stems.isEmpty else { return nil }
        return earlier.first { previous in
            Double(stems.intersection(contentStems(previous)).count) >= options.repeatedShare * Double(stems.count)
        }
    }

    func contentStems(_ text: String) -> [String] {
        TextNormalizer.words(text, language: topic.language).filter { !stopWords.contains($0) }.map {
            Stemmer.stem($0, language: topic.language)
        }
    }

    /// Negation words of a language (Swahili negative verbs are recognized by their prefix, see `isNegated`).
    static func negations(_ language: String) -> Set<String> {
        language == "sw"
            ? ["si", "sio", "siyo", "hakuna", "hapana", "bila", "wala"]
            : ["not", "no", "never", "isnt", "arent", "doesnt", "dont", "cannot", "cant", "wont", "nothing", "none"]
    }

    /// Swahili words starting like negative verbs that are not verbs.
    static let swahiliFalseNegatives: Set<String> = [
        "hatari", "habari", "hali", "halisi", "hasa", "haraka", "hapa", "hapo", "hadi", "halijoto", "hasira", "haba",
    ]

    /// Whether the words contain a negation: a negation word, or in Swahili a negative verb (`ha` + subject,
    /// `halizunguki`, `hautoi`, `hazitoi`) of 6 or more letters.
    static func isNegated(_ words: [String], _ negations: Set<String>, _ language: String) -> Bool {
        words.contains { word in
            if negations.contains(word) { return true }
            guard language == "sw", word.count >= 6, word.hasPrefix("ha"), !swahiliFalseNegatives.contains(word)
            else { return false }
            let rest = word.dropFirst(2)
            return ["ku", "i", "zi", "li", "ki", "vi", "u", "tu", "wa", "m", "ya", "pa", "ta", "ja"].contains {
                rest.hasPrefix($0)
            }
        }
    }

    /// The misconception line the sentence states (same polarity, most content words in order), if any.
    func statedMisconception(_ stems: [String], negated: Bool) -> String? {
        for misconception in misconceptions where !misconception.stems.isEmpty && misconception.negated == negated {
            let wanted = misconception.stems
            let allowedMissing = Int((Double(wanted.count) * (1 - options.misconceptionOverlap)).rounded(.down))
            if orderedMatches(wanted, stems) >= wanted.count - allowedMissing { return misconception.line }
        }
        return nil
    }

    /// The length of the longest common subsequence, with words equal when alike (similarity 0.8 or more).
    func orderedMatches(_ a: [String], _ b: [String]) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        var previous = [Int](repeating: 0, count: b.count + 1)
        for x in a {
            var current = [Int](repeating: 0, count: b.count + 1)
            for (j, y) in b.enumerated() {
                let alike = x == y || FuzzyMatch.similarity(x, y) >= 0.8
                current[j + 1] = alike ? previous[j] + 1 : max(previous[j + 1], current[j])
            }
            previous = current
        }
        return previous[b.count]
    }

    /// A key term that a negation word shortly before it denies (`sound does not need air`), if any; the curated
    /// text's own negations (`energy is never destroyed`) are not contradictions.
    func contradictedTerm(_ words: [String]) -> String? {
        negatedTerms(in: words).first { !curatedNegations.contains($0.phrase) }?.term
    }

    /// Each key term a negation word shortly before it denies, with the words from that negation word to the term.
    func negatedTerms(in words: [String]) -> [(term: String, phrase: String)] {
        let language = topic.language
        var found: [(term: String, phrase: String)] = []
        for term in topic.terms {
            let termWords = TextNormalizer.words(term, language: language)
            guard !termWords.isEmpty, termWords.count <= words.count else { continue }
            for start in 0...(words.count - termWords.count)
            where words[start..<(start + termWords.count)].elementsEqual(termWords) {
                let windowStart = max(0, start - options.negationWindow)
                guard let negation = words[windowStart..<start].firstIndex(where: negations.contains) else { continue }
                found.append((term, words[negation..<(start + termWords.count)].joined(separator: " ")))
            }
        }
        return found
    }
}
