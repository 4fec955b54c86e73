import TutorCore

extension TopicRetriever: TopicRanking {
    /// The retriever's ranking by BM25F score, for stages that reach retrieval through TutorCore.
    public func rankTopics(_ text: String, language: String) -> (language: String, topics: [TopicScore]) {
        let result = retrieve(text, language: language)
        return (result.language, result.topics.map { TopicScore(id: $0.id, score: $0.score) })
    }
}
