import TutorCore

extension TopicRetriever: TopicRanking {
    /// The retriever's ranking by BM25F score with each topic's confidence, for stages that reach retrieval through
    /// TutorCore.
    ///
    /// `auto` detects the language among those every topic is written in (English, Swahili), as `TutorAnswerer`
    /// does for a child whose language is `auto`: among every index, a garbled "Te'a" reads as Yoruba.
    public func rankTopics(_ text: String, language: String) -> RankedTopics {
        let chosen =
            language == Self.automaticLanguage
            ? detectLanguage(text, among: TutorLanguage.everyTopicCodes.filter(languages.contains)) : language
        let result = retrieve(text, language: chosen)
        return RankedTopics(
            language: result.language,
            topics: result.topics.map { TopicScore(id: $0.id, score: $0.score, confidence: $0.confidence) },
            confidenceThreshold: result.threshold)
    }

    /// `StopWords.list(for:)`, the words retrieval drops.
    public func stopWords(language: String) -> Set<String> { StopWords.list(for: language) }
}
