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
        case "ny": return "Sindikudziwa yankho la funso limeneli pakali pano."
        case "zu": return "Angikayazi impendulo yalowo mbuzo."
        case "ha": return "Ban san amsar wannan tambayar ba tukuna."
        case "yo": return "Mi ò tíì mọ ìdáhùn ìbéèrè yẹn."
        case "hi": return "मुझे अभी इस सवाल का जवाब नहीं पता।"
        case "ur": return "مجھے ابھی اس سوال کا جواب نہیں معلوم۔"
        default: return "I don't know that one yet."
        }
    }

    /// A suggestion to ask about a topic, given its title in `language`.
    public static func suggest(title: String, language: String) -> String {
        switch language {
        case "sw": return "Unaweza kuniuliza kuhusu hili: \(title)."
        case "ny": return "Ukhoza kundifunsa za ichi: \(title)."
        case "zu": return "Ungangibuza ngalokhu: \(title)."
        case "ha": return "Kuna iya tambayata game da wannan: \(title)."
        case "yo": return "O lè bi mí nípa èyí: \(title)."
        case "hi": return "आप मुझसे इसके बारे में पूछ सकते हैं: \(title)।"
        case "ur": return "آپ مجھ سے اس کے بارے میں پوچھ سکتے ہیں: \(title)۔"
        default: return "You could ask me about this: \(title.lowercased())."
        }
    }

    /// What the tutor says to "why?" or "tell me more" before any question.
    public static func askFirst(_ language: String) -> String {
        switch language {
        case "sw": return "Niulize swali kuhusu fizikia kwanza."
        case "ny": return "Ndifunse kaye funso la sayansi."
        case "zu": return "Qala ngokungibuza umbuzo wesayensi."
        case "ha": return "Ku fara yi mini tambaya game da kimiyya."
        case "yo": return "Kọ́kọ́ bi mí ní ìbéèrè kan nípa sáyẹ́ǹsì."
        case "hi": return "पहले मुझसे भौतिकी का कोई सवाल पूछिए।"
        case "ur": return "پہلے مجھ سے طبیعیات کا کوئی سوال پوچھیے۔"
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

    /// Answers a question in `language` (`en`, `sw`, or `auto` to detect it); a core-topic language (`zu`, `ha`, ...)
    /// is answered as by `answer(_:replyingIn:)`, so a conversation in it works the same way.
    public func answer(_ question: String, language: String) -> TutorAnswer {
        if let target = TutorLanguage.named(language), !target.coversEveryTopic {
            return answer(question, replyingIn: language)
        }
        return answer(question, retrieval: retriever.retrieve(question, language: language))
    }

    /// Answers in the child's language `language`: any code of `TutorLanguage.all`, or `auto`.
    ///
    /// English and Swahili are answered as by `answer(_:language:)`; `auto` picks between them by the question's
    /// words. For the other languages the question is matched in whichever of `TutorLanguage.questionLanguages` its
    /// words belong to (Zulu and Chichewa questions come in English or Swahili), and the answer is that topic's
    /// curated text in `language`; a topic not written in `language` (only the 20 core topics are) is answered in
    /// the language of the question.
    public func answer(_ question: String, replyingIn language: String) -> TutorAnswer {
        let target = TutorLanguage.named(language)
        if let target, target.coversEveryTopic {
            return answer(question, language: language)
        }
        let asked = retriever.detectLanguage(
            question, among: target?.questionLanguages ?? TutorLanguage.everyTopicCodes)
        return answer(
            question, retrieval: retriever.retrieve(question, language: asked), replyingIn: target?.code ?? asked)
    }

    /// Answers from a retrieval made elsewhere (text retrieval combined with the recognizer's phrase scores).
    ///
    /// The answer is in `replyingIn` when the topic is written in it, otherwise in the language the question was
    /// matched in (`retrieval.language`, also the default).
    public func answer(_ question: String, retrieval: RetrievalResult, replyingIn: String? = nil) -> TutorAnswer {
        let asked = retrieval.language
        let wanted = replyingIn ?? asked
        /// The topic in the wanted language, or in the question's language when it is not written in the wanted one.
        func written(_ id: String) -> CurriculumTopic? {
            curriculum.topic(id, language: wanted) ?? curriculum.topic(id, language: asked)
        }
        let danger = dangerTopic(in: question, language: asked)
        if retrieval.isConfident, let best = retrieval.best, let topic = written(best.id) {
            let dangerSafety = danger.flatMap { curriculum.topic($0, language: topic.language)?.safety }
            return TutorAnswer(
                kind: .curated, language: topic.language, topicID: topic.id, suggestedTopicID: nil,
                safety: topic.safety ?? dangerSafety, body: topic.answer, retrieval: retrieval)
        }
        let language = curriculum.topics(in: wanted).isEmpty ? asked : wanted
        var body = TutorPhrases.dontKnow(language)
        // The best-ranked topic written in the answer's language, so the suggestion is said in that language.
        let suggestion = retrieval.topics.lazy.compactMap { self.curriculum.topic($0.id, language: language) }.first
        if let suggestion {
            body += " " + TutorPhrases.suggest(title: suggestion.title, language: language)
        }
        return TutorAnswer(
            kind: .unknown, language: language, topicID: nil, suggestedTopicID: suggestion?.id,
            safety: danger.flatMap { curriculum.topic($0, language: language)?.safety }, body: body,
            retrieval: retrieval)
    }
}
