/// One curriculum topic ranked for a text, as a stage outside the Tutor sees it.
public struct TopicScore: Sendable, Equatable {
    /// The topic id (`magnets`), the same in every language.
    public var id: String
    /// How well the topic explains the text; comparable only within one ranking.
    public var score: Double

    /// Creates a ranked topic.
    public init(id: String, score: Double) {
        self.id = id
        self.score = score
    }
}

/// Ranks curriculum topics for a text: the Tutor's retrieval, seen from stages that must not import the Tutor
/// (lessons index their transcripts and find a lesson for a spoken request through it).
///
/// Implementations are immutable and safe to call from any thread.
public protocol TopicRanking: Sendable {
    /// The topics the text is about, best first, and the language it was matched in.
    ///
    /// - Parameter language: a language code (`en`, `sw`), or `auto` to detect it from the words.
    func rankTopics(_ text: String, language: String) -> (language: String, topics: [TopicScore])
}
