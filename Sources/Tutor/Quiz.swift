import Foundation

/// One quiz question of a topic, from a `quiz:` line: `question? | accepted answer | another accepted answer`.
public struct QuizItem: Sendable, Equatable {
    /// What the tutor asks (`What pulls a mango down from the tree?`).
    public var question: String
    /// Short answers the tutor accepts, best first; the first is the one it says when the child is wrong.
    public var accepted: [String]

    /// Creates an item.
    public init(question: String, accepted: [String]) {
        self.question = question
        self.accepted = accepted
    }

    /// Why a `quiz:` value could not be read.
    public struct Problem: Error, Equatable {
        /// What is wrong, for the loader's `file:line` message.
        public var reason: String
    }

    /// Reads a `quiz:` value: the question ending in `?`, then one or more accepted answers, separated by `|`.
    public static func parse(_ value: String) -> Result<QuizItem, Problem> {
        let parts = value.split(separator: "|", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard parts.count >= 2 else { return .failure(Problem(reason: "no accepted answer after the question")) }
        guard let question = parts.first, question.hasSuffix("?") else {
            return .failure(Problem(reason: "the question must end with '?'"))
        }
        if let empty = parts.indices.dropFirst().first(where: { parts[$0].isEmpty }) {
            return .failure(Problem(reason: "accepted answer \(empty) is empty"))
        }
        return .success(QuizItem(question: question, accepted: Array(parts.dropFirst())))
    }
}

/// Judges a child's spoken answer against a quiz item's accepted answers, tolerating recognizer errors.
///
/// An answer is right when, for some accepted answer, every content word (stop words dropped) is in the child's
/// answer: the same stem, or a word alike at `FuzzyMatch` similarity 0.75 or more (`gravy` for `gravity`), or two
/// adjacent words run together (`gravy tea` -> `gravytea` for `gravity`). A negated answer (`not gravity`,
/// `si mvuto`) is wrong unless the accepted answer is negated too; an accepted answer that is only a negation (`no`,
/// `hapana`) is matched by any negated answer. Extra words are fine: children say whole
/// sentences (`i think it is gravity`).
public enum QuizAnswerMatcher {
    /// Least similarity for a misrecognized word to count as an accepted word.
    public static let minimumSimilarity = 0.75

    /// The accepted answer the child's answer matches, or `nil` when it matches none.
    public static func match(_ answer: String, accepted: [String], language: String) -> String? {
        let stopWords = StopWords.list(for: language)
        let negations = AnswerChecker.negations(language)
        let words = TextNormalizer.words(answer, language: language)
        let negated = AnswerChecker.isNegated(words, negations, language)
        let content = words.filter { !stopWords.contains($0) && !negations.contains($0) }
        var heard = content
        for (first, second) in zip(words, words.dropFirst()) { heard.append(first + second) }
        let heardStems = Set(heard.map { Stemmer.stem($0, language: language) })
        for candidate in accepted {
            let candidateWords = TextNormalizer.words(candidate, language: language)
            guard AnswerChecker.isNegated(candidateWords, negations, language) == negated else { continue }
            let wanted = candidateWords.filter { !stopWords.contains($0) && !negations.contains($0) }
            // `no`, `never`, `hapana`: a bare negation is matched by the polarity alone.
            guard !wanted.isEmpty else {
                if negated { return candidate }
                continue
            }
            let found = wanted.allSatisfy { word in
                heardStems.contains(Stemmer.stem(word, language: language))
                    || heard.contains { FuzzyMatch.similarity($0, word) >= minimumSimilarity }
            }
            if found { return candidate }
        }
        return nil
    }
}

/// What the tutor says in quiz mode, in each language.
public enum QuizPhrases {
    /// Said when the answer is right.
    public static func right(_ language: String) -> String {
        language == "sw" ? "Sawa kabisa!" : "That's right!"
    }

    /// Said when the answer is wrong, before the right answer and a short explanation.
    public static func wrong(answer: String, language: String) -> String {
        language == "sw" ? "Si sawa. Jibu ni: \(answer)." : "Not quite. The answer is: \(answer)."
    }

    /// The score at the end: `You got 3 of 4 right.`
    public static func score(_ right: Int, of asked: Int, language: String) -> String {
        language == "sw" ? "Umepata \(right) kati ya \(asked)." : "You got \(right) of \(asked) right."
    }

    /// Said when the curriculum has no quiz question for the request.
    public static func noQuestions(_ language: String) -> String {
        language == "sw" ? "Sina maswali ya chemsha bongo kwa hili bado." : "I have no quiz questions for that yet."
    }
}

/// One quiz turn: what the tutor says, and how the child's last answer was judged.
public struct QuizReply: Sendable, Equatable {
    /// Whether the child's answer was right; `nil` for the first question.
    public var wasRight: Bool?
    /// The next question, or `nil` when the quiz is over.
    public var nextQuestion: QuizItem?
    /// Everything to say: the judgement (and the explanation when wrong), then the next question or the score.
    public var text: String
    /// The language it is in.
    public var language: String
    /// Answers judged right so far.
    public var right: Int
    /// Questions answered so far.
    public var asked: Int
}

/// A quiz: the tutor asks the curriculum's quiz questions one by one, judges each answer, explains when it is wrong
/// (the accepted answer, then the topic's `simpler` text) and keeps score.
///
/// Questions come from one topic or, without a topic, from every topic with `quiz:` lines in the language, in
/// curriculum order. A small synchronous state machine: `start()` asks the first question, `answer(_:)` judges and
/// asks the next. Not thread-safe: one quiz per child, on one thread.
public struct TutorQuiz: Sendable {
    /// A question with the topic it comes from.
    public struct Question: Sendable, Equatable {
        /// The topic's id.
        public var topicID: String
        /// The question and its accepted answers.
        public var item: QuizItem
        /// The topic's `simpler` text, said after the right answer when the child is wrong.
        public var explanation: String
    }

    /// The language of the questions and replies.
    public let language: String
    /// The questions, in the order they are asked.
    public let questions: [Question]
    /// The index of the question being asked.
    public private(set) var position = 0
    /// Answers judged right so far.
    public private(set) var right = 0

    /// A quiz over `curriculum` in `language`, from one topic or from all; at most `limit` questions.
    public init(curriculum: Curriculum, language: String, topicID: String? = nil, limit: Int? = nil) {
        self.language = language
        let topics = curriculum.topics(in: language).filter { topicID == nil || $0.id == topicID }
        let all = topics.flatMap { topic in
            topic.quiz.map { Question(topicID: topic.id, item: $0, explanation: topic.simpler) }
        }
        questions = limit.map { Array(all.prefix($0)) } ?? all
    }

    /// The question being asked, or `nil` when the quiz is over.
    public var current: Question? { position < questions.count ? questions[position] : nil }

    /// Asks the first question (or says there are none).
    public func start() -> QuizReply {
        QuizReply(
            wasRight: nil, nextQuestion: current?.item,
            text: current?.item.question ?? QuizPhrases.noQuestions(language), language: language, right: right,
            asked: position)
    }

    /// Judges the child's answer to the current question, then asks the next one or gives the score.
    public mutating func answer(_ answer: String) -> QuizReply {
        guard let question = current else { return start() }
        let matched = QuizAnswerMatcher.match(answer, accepted: question.item.accepted, language: language)
        var parts: [String] = []
        if matched != nil {
            right += 1
            parts.append(QuizPhrases.right(language))
        } else {
            parts.append(QuizPhrases.wrong(answer: question.item.accepted[0], language: language))
            parts.append(question.explanation)
        }
        position += 1
        if let next = current {
            parts.append(next.item.question)
        } else {
            parts.append(QuizPhrases.score(right, of: position, language: language))
        }
        return QuizReply(
            wasRight: matched != nil, nextQuestion: current?.item, text: parts.joined(separator: " "),
            language: language, right: right, asked: position)
    }
}
