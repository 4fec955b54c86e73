/// What the Tutor asks a text generator to write: a grounded answer to one question.
public struct TextGenerationRequest: Sendable, Equatable {
    /// The fixed instructions, the same for every question so the generator can keep their KV cache.
    public var systemPrompt: String
    /// The curriculum passages the answer must be grounded in, best first.
    public var passages: [String]
    /// The child's question, as recognized.
    public var question: String
    /// The language code the answer must be written in.
    public var language: String
    /// Stop after this many sentences even if the generator would go on.
    public var maximumSentences: Int
    /// Words a good answer must say (the topic's key terms); shown to the model with the passages.
    public var keyTerms: [String]

    /// Creates a request; at most 4 sentences by default, as the curriculum's answers are.
    public init(
        systemPrompt: String, passages: [String], question: String, language: String, maximumSentences: Int = 4,
        keyTerms: [String] = []
    ) {
        self.systemPrompt = systemPrompt
        self.passages = passages
        self.question = question
        self.language = language
        self.maximumSentences = maximumSentences
        self.keyTerms = keyTerms
    }

    /// The user turn a chat model is given: the passages as facts, the key words, then the question.
    public var userMessage: String {
        var lines = ["Facts: " + passages.joined(separator: " ")]
        if !keyTerms.isEmpty { lines.append("Key words: " + keyTerms.joined(separator: ", ")) }
        lines.append("Question: \(question)")
        return lines.joined(separator: "\n")
    }
}

/// Writes text one sentence at a time: the language model, seen from the Tutor.
///
/// Streaming by callback keeps the Tutor synchronous and lets it stop generation as soon as a sentence fails a
/// check (or the child barges in). Not required to be thread-safe: one generator per pipeline.
public protocol TextGenerating {
    /// Generates an answer, calling `onSentence` with each complete sentence as soon as it is written.
    ///
    /// Generation stops when `onSentence` returns `false`, when `request.maximumSentences` is reached, or at the
    /// end of the answer.
    mutating func generate(_ request: TextGenerationRequest, onSentence: (String) throws -> Bool) throws
}
