/// One curriculum topic ranked for a text, as a stage outside the Tutor sees it.
public struct TopicScore: Sendable, Equatable {
    /// The topic id (`magnets`), the same in every language.
    public var id: String
    /// How well the topic explains the text; comparable only within one ranking.
    public var score: Double
    /// The share of the text the topic explains, in [0, 1], comparable across texts: a text made of words the
    /// curriculum never uses, or that the topic barely mentions, is near 0 however the topics rank.
    public var confidence: Double

    /// Creates a ranked topic.
    public init(id: String, score: Double, confidence: Double) {
        self.id = id
        self.score = score
        self.confidence = confidence
    }
}

/// The topics a text is about, as `TopicRanking` returns them.
public struct RankedTopics: Sendable, Equatable {
    /// The language the text was matched in (the detected one when `auto` was asked).
    public var language: String
    /// The topics, best first; empty when no word matched.
    public var topics: [TopicScore]
    /// The least confidence the Tutor answers from; a topic below it is a guess, not what the text is about.
    public var confidenceThreshold: Double

    /// Creates a ranking.
    public init(language: String, topics: [TopicScore], confidenceThreshold: Double) {
        self.language = language
        self.topics = topics
        self.confidenceThreshold = confidenceThreshold
    }
}

/// Ranks curriculum topics for a text: the Tutor's retrieval, seen from stages that must not import the Tutor
/// (lessons index their transcripts and find a lesson for a spoken request through it).
///
/// Implementations are immutable and safe to call from any thread.
public protocol TopicRanking: Sendable {
    /// The topics the text is about, best first, with the language it was matched in.
    ///
    /// - Parameter language: a language code (`en`, `sw`), or `auto` to detect it from the words.
    func rankTopics(_ text: String, language: String) -> RankedTopics

    /// The words of `language` too common to say what a text is about (`how`, `in`, `or`; `kwa`, `na`), which
    /// ranking ignores; empty for a language without a list.
    func stopWords(language: String) -> Set<String>
}
