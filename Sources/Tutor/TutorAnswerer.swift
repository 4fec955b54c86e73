import Foundation

/// What the tutor says for one question, before any language model: curated text, safety first.
public struct TutorAnswer: Sendable, Equatable {
    /// Why the tutor says what it says.
    public enum Kind: Sendable, Equatable {
        /// The curated answer of a topic retrieval was confident about.
        case curated
        /// "I don't know that one yet", with a related topic suggested when there is one.
        case unknown
    }

    /// What kind of answer this is.
    public var kind: Kind
    /// The language the answer is in (the detected one when `auto` was asked).
    public var language: String
    /// The topic answered from; for `unknown`, `nil`.
    public var topicID: String?
    /// The topic suggested instead, for `unknown` answers, when retrieval found anything at all.
    public var suggestedTopicID: String?
    /// The safety message said first, if any.
    public var safety: String?
    /// The body of the answer, after the safety message.
    public var body: String
    /// The retrieval behind the answer.
    public var retrieval: RetrievalResult

    /// Everything to say, in order: the safety message first, then the body.
    public var text: String { [safety, body].compactMap { $0 }.joined(separator: " ") }
}

/// Fixed sentences the tutor says in each language, outside any topic.
public enum TutorPhrases {
    /// "I don't know that one yet." in `language` (English when the language has no phrase).
    public static func dontKnow(_ language: String) -> String {
        switch language {
        case "sw": return "Bado sijui jibu la swali hilo."
        default: return "I don't know that one yet."
        }
    }

    /// A suggestion to ask about a topic, given its title in `language`.
    public static func suggest(title: String, language: String) -> String {
        switch language {
        case "sw": return "Unaweza kuniuliza kuhusu hili: \(title)."
        default: return "You could ask me about this: \(title.lowercased())."
        }
    }

    /// What the tutor says to "why?" or "tell me more" before any question.
    public static func askFirst(_ language: String) -> String {
        switch language {
        case "sw": return "Niulize swali kuhusu fizikia kwanza."
        default: return "Ask me a question about physics first."
        }
    }
}

/// Answers a question from the curriculum alone: retrieval, the safety message, the curated answer or a kind refusal.
///
/// Safety comes first when the answered topic has a `safety:` line, or when the question names a danger listed in the
/// glossary (`danger mains-safety: socket, ...`): then that topic's safety message is said first even when the
/// question is answered from another topic or not answered at all. An immutable value, safe to share.
public struct TutorAnswerer: Sendable {
    /// The curriculum answers come from.
    public let curriculum: Curriculum
    /// The retriever that picks topics.
    public let retriever: TopicRetriever
    /// Danger phrases per language, as normalized, stemmed word sequences with their safety topic.
    let dangers: [String: [(topic: String, words: [String])]]

    /// Builds an answerer over a curriculum and glossary.
    public init(curriculum: Curriculum, glossary: Glossary = .empty, retriever: TopicRetriever? = nil) {
        self.curriculum = curriculum
        self.retriever = retriever ?? TopicRetriever(curriculum: curriculum, glossary: glossary)
        var dangers: [String: [(topic: String, words: [String])]] = [:]
        for danger in glossary.dangers {
            for form in danger.forms {
                let words = TextNormalizer.words(form, language: danger.language).map {
                    Stemmer.stem($0, language: danger.language)
                }
                dangers[danger.language, default: []].append((danger.topic, words))
            }
        }
        self.dangers = dangers
    }

    /// The safety topic whose danger the question names, if any (first match in glossary order).
    public func dangerTopic(in question: String, language: String) -> String? {
        let stems = TextNormalizer.words(question, language: language).map { Stemmer.stem($0, language: language) }
        for danger in dangers[language] ?? [] where !danger.words.isEmpty && danger.words.count <= stems.count {
            let found = (0...(stems.count - danger.words.count)).contains { start in
                stems[start..<(start + danger.words.count)].elementsEqual(danger.words)
            }
            if found { return danger.topic }
        }
        return nil
    }

    /// Answers a question in `language` (`en`, `sw`, or `auto` to detect it).
    public func answer(_ question: String, language: String) -> TutorAnswer {
        answer(question, retrieval: retriever.retrieve(question, language: language))
    }

    /// Answers from a retrieval made elsewhere (text retrieval combined with the recognizer's phrase scores).
    public func answer(_ question: String, retrieval: RetrievalResult) -> TutorAnswer {
        let language = retrieval.language
        let dangerSafety = dangerTopic(in: question, language: language).flatMap {
            curriculum.topic($0, language: language)?.safety
        }
        if retrieval.isConfident, let best = retrieval.best, let topic = curriculum.topic(best.id, language: language) {
            return TutorAnswer(
                kind: .curated, language: language, topicID: topic.id, suggestedTopicID: nil,
                safety: topic.safety ?? dangerSafety, body: topic.answer, retrieval: retrieval)
        }
        var body = TutorPhrases.dontKnow(language)
        let suggestion = retrieval.best.flatMap { curriculum.topic($0.id, language: language) }
        if let suggestion {
            body += " " + TutorPhrases.suggest(title: suggestion.title, language: language)
        }
        return TutorAnswer(
            kind: .unknown, language: language, topicID: nil, suggestedTopicID: suggestion?.id, safety: dangerSafety,
            body: body, retrieval: retrieval)
    }
}
