import Foundation

/// What a child's utterance asks of the tutor, beyond a new question.
public enum DialogueIntent: String, Sendable, Equatable, CaseIterable {
    /// "why?": the topic's `why` follow-up.
    case why
    /// "tell me more": the topic's `more` follow-up.
    case more
    /// "say it again": repeat the last thing said.
    case repeatLast
    /// "slower": repeat the last thing said, slower.
    case slower
    /// "I don't understand": the topic's `simpler` answer.
    case simpler
}

/// Recognizes follow-up phrases per language: the whole utterance, after fillers, must be one of the phrases.
///
/// Whole-utterance matching keeps questions that start like a follow-up (`why is the sky blue`, `kwa nini anga ni la
/// buluu`) from being read as one. Lookup order: the utterance's language, then the other languages (children mix).
public enum DialoguePhrases {
    /// Filler words dropped before matching (`um`, `teacher`, `please`, `mwalimu`, `tafadhali`).
    public static let fillers: Set<String> = [
        "um", "uh", "er", "eh", "teacher", "please", "ok", "okay", "so", "and", "but", "mwalimu", "tafadhali", "je",
        "sasa", "aa", "ehe",
    ]

    /// The phrases of each intent per language, normalized (lower case, no punctuation).
    public static let phrases: [String: [DialogueIntent: [String]]] = [
        "en": [
            .why: ["why", "why is that", "how come", "but why", "why so", "whys that"],
            .more: ["tell me more", "more", "more please", "what else", "tell me more about it", "and then"],
            .repeatLast: [
                "say it again", "again", "repeat", "repeat that", "what did you say", "say that again",
                "pardon", "one more time",
            ],
            .slower: [
                "slower", "slow down", "say it slower", "too fast", "more slowly", "speak slowly",
                "say it slowly", "slowly",
            ],
            .simpler: [
                "i dont understand", "i do not understand", "i dont get it", "what does that mean",
                "too hard", "i dont know what that means", "huh", "explain again simply", "i am confused",
                "im confused",
            ],
        ],
        "sw": [
            .why: ["kwa nini", "kwanini", "mbona", "kwa sababu gani"],
            .more: ["niambie zaidi", "zaidi", "nieleze zaidi", "endelea", "nini kingine"],
            .repeatLast: ["rudia", "sema tena", "tena", "rudia tena", "umesema nini", "sijasikia"],
            .slower: ["polepole", "pole pole", "sema polepole", "taratibu", "ongea polepole", "haraka sana"],
            .simpler: ["sielewi", "sijaelewa", "sikuelewa", "ni vigumu", "maana yake nini", "sielewi vizuri"],
        ],
    ]

    /// The intent the utterance expresses, or `nil` when it is a question (or anything else).
    public static func intent(of utterance: String, language: String) -> DialogueIntent? {
        let order = [language] + phrases.keys.sorted().filter { $0 != language }
        for code in order {
            let words = TextNormalizer.words(utterance, language: code).filter { !fillers.contains($0) }
            guard !words.isEmpty else { return nil }
            let phrase = words.joined(separator: " ")
            for intent in DialogueIntent.allCases where phrases[code]?[intent]?.contains(phrase) == true {
                return intent
            }
        }
        return nil
    }
}

/// How fast the speaker should say a reply.
public enum SpeakingRate: String, Sendable, Equatable {
    /// The voice's normal rate.
    case normal
    /// Slower, after "slower" / "polepole".
    case slow
}

/// One turn of the tutor: what to say and how.
public struct TutorReply: Sendable, Equatable {
    /// What produced this reply.
    public enum Kind: Sendable, Equatable {
        /// An answer to a new question (curated or "I don't know that one yet").
        case answer(TutorAnswer.Kind)
        /// A follow-up of the current topic.
        case followUp(DialogueIntent)
        /// A follow-up asked before any topic: the tutor asks for a question.
        case noTopicYet(DialogueIntent)
    }

    /// What produced the reply.
    public var kind: Kind
    /// The language it is in.
    public var language: String
    /// The topic it is about, if any.
    public var topicID: String?
    /// What to say.
    public var text: String
    /// How fast to say it.
    public var rate: SpeakingRate
}

/// A conversation with one child: a small synchronous state machine over the answerer.
///
/// State: the current topic (set by a confidently answered question, kept by follow-ups, cleared by a refused one),
/// its language, and the last reply. Transitions: a question -> answer (new topic); "why?" -> `why`; "tell me more"
/// -> `more`; "I don't understand" -> `simpler`; "say it again" -> the last reply; "slower" -> the last reply at the
/// slow rate. A follow-up with no topic yet asks for a question. `reset()` forgets everything (a new child).
/// Not thread-safe: one conversation per kiosk session, on one thread.
public struct TutorConversation {
    /// The answerer questions go to.
    public let answerer: TutorAnswerer
    /// The current topic id, if a question was answered.
    public private(set) var topicID: String?
    /// The language of the current topic.
    public private(set) var language: String?
    /// The last reply, for "say it again".
    public private(set) var lastReply: TutorReply?
    /// The running quiz, if the child asked for one (`startQuiz`).
    public private(set) var quiz: TutorQuiz?

    /// Starts a conversation with no topic.
    public init(answerer: TutorAnswerer) {
        self.answerer = answerer
    }

    /// Replies to one utterance in `language` (`en`, `sw` or `auto`).
    public mutating func respond(to utterance: String, language requested: String) -> TutorReply {
        let detected =
            requested == TopicRetriever.automaticLanguage
            ? answerer.retriever.detectLanguage(utterance) : requested
        if let intent = DialoguePhrases.intent(of: utterance, language: detected) {
            let reply = followUp(intent, language: language ?? detected)
            lastReply = reply
            return reply
        }
        let answer = answerer.answer(utterance, language: requested)
        topicID = answer.topicID
        language = answer.language
        let reply = TutorReply(
            kind: .answer(answer.kind), language: answer.language, topicID: answer.topicID, text: answer.text,
            rate: .normal)
        lastReply = reply
        return reply
    }

    /// Forgets the topic, the last reply and any quiz.
    public mutating func reset() {
        topicID = nil
        language = nil
        lastReply = nil
        quiz = nil
    }

    /// Starts a quiz in `language` (`en`, `sw`) from one topic, or else from the current topic when it has quiz
    /// questions, or else from all topics; returns the first question. While a quiz runs, give the child's answers
    /// to `answerQuiz(_:)`.
    public mutating func startQuiz(language: String, topicID: String? = nil, limit: Int? = nil) -> QuizReply {
        var quiz = TutorQuiz(
            curriculum: answerer.curriculum, language: language, topicID: topicID ?? self.topicID, limit: limit)
        if topicID == nil, self.topicID != nil, quiz.current == nil {
            quiz = TutorQuiz(curriculum: answerer.curriculum, language: language, limit: limit)
        }
        self.quiz = quiz.current == nil ? nil : quiz
        return quiz.start()
    }

    /// Judges an answer in the running quiz and asks the next question; "say it again" repeats the question. Returns
    /// `nil` when no quiz runs. The quiz ends (and `quiz` becomes `nil`) after its last question.
    public mutating func answerQuiz(_ utterance: String) -> QuizReply? {
        guard var running = quiz else { return nil }
        let intent = DialoguePhrases.intent(of: utterance, language: running.language)
        if intent == .repeatLast || intent == .slower {
            return running.start()
        }
        let reply = running.answer(utterance)
        quiz = running.current == nil ? nil : running
        return reply
    }

    func followUp(_ intent: DialogueIntent, language: String) -> TutorReply {
        switch intent {
        case .repeatLast, .slower:
            let rate: SpeakingRate = intent == .slower ? .slow : .normal
            if var last = lastReply {
                last.rate = rate
                return last
            }
            return TutorReply(
                kind: .noTopicYet(intent), language: language, topicID: nil, text: TutorPhrases.askFirst(language),
                rate: rate)
        case .why, .more, .simpler:
            guard let id = topicID, let topic = answerer.curriculum.topic(id, language: language) else {
                return TutorReply(
                    kind: .noTopicYet(intent), language: language, topicID: nil,
                    text: TutorPhrases.askFirst(language), rate: .normal)
            }
            let text = intent == .why ? topic.why : intent == .more ? topic.more : topic.simpler
            return TutorReply(kind: .followUp(intent), language: language, topicID: id, text: text, rate: .normal)
        }
    }
}
