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
    /// Worked exchanges given to a chat model as earlier turns, after the system prompt and before `userMessage`.
    ///
    /// Fixed like the system prompt, so they belong to the prompt prefix whose KV cache is kept.
    public var examples: [TextGenerationExample]

    /// Creates a request; at most 4 sentences by default, as the curriculum's answers are.
    public init(
        systemPrompt: String, passages: [String], question: String, language: String, maximumSentences: Int = 4,
        keyTerms: [String] = [], examples: [TextGenerationExample] = []
    ) {
        self.systemPrompt = systemPrompt
        self.passages = passages
        self.question = question
        self.language = language
        self.maximumSentences = maximumSentences
        self.keyTerms = keyTerms
        self.examples = examples
    }

    /// The user turn a chat model is given: see `userMessage(passages:question:keyTerms:)`.
    public var userMessage: String {
        Self.userMessage(passages: passages, question: question, keyTerms: keyTerms)
    }

    /// A user turn: the passages as facts, the question, then the words to use.
    ///
    /// The words come last, nearest the answer: SmolLM2-135M said more of them there than between the facts and
    /// the question (Evaluation/results/tutor-retrieval.md).
    public static func userMessage(passages: [String], question: String, keyTerms: [String]) -> String {
        var lines = ["Facts: " + passages.joined(separator: " "), "Question: \(question)"]
        if !keyTerms.isEmpty { lines.append("Use these words: " + keyTerms.joined(separator: ", ")) }
        return lines.joined(separator: "\n")
    }
}

/// One worked exchange shown to a chat model before the real question: a user turn and the answer wanted.
public struct TextGenerationExample: Sendable, Equatable {
    /// The user turn, in the format of `TextGenerationRequest.userMessage`.
    public var user: String
    /// The answer of the wanted shape.
    public var assistant: String

    /// Creates an exchange.
    public init(user: String, assistant: String) {
        self.user = user
        self.assistant = assistant
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
