import Foundation
import TutorCore

/// The figures `tutor eval tutor` prints for one language's question set.
public struct TutorEvaluationReport: Sendable, Equatable, Codable {
    /// Figures for one kind of question (`plain`, `misheard`).
    public struct KindFigures: Sendable, Equatable, Codable {
        /// Questions of this kind.
        public var questions: Int
        /// Those whose top-ranked topic was the expected one.
        public var top1Correct: Int
        /// `top1Correct / questions`, 0 when there are none.
        public var top1Accuracy: Double
    }

    /// One question the tutor got wrong, for reading after the run.
    public struct Miss: Sendable, Equatable, Codable {
        /// Where the row is, `path:line`.
        public var source: String
        /// The question.
        public var question: String
        /// The expected topic, or `none`.
        public var expected: String
        /// The top-ranked topic, or `none` when nothing matched.
        public var found: String
        /// The top topic's confidence.
        public var confidence: Double
        /// Whether the tutor refused (confidence below the threshold).
        public var refused: Bool
    }

    /// The language code.
    public var language: String
    /// Every row of the set.
    public var questions: Int
    /// Rows with a topic (not `none`).
    public var topicQuestions: Int
    /// Topic rows whose top-ranked topic was the expected one, whatever the confidence.
    public var top1Correct: Int
    /// `top1Correct / topicQuestions`: the issue's top-1 topic accuracy.
    public var top1Accuracy: Double
    /// Topic rows answered from the expected topic (top-1 right and confident enough to answer).
    public var answeredCorrectly: Int
    /// `answeredCorrectly / topicQuestions`.
    public var answeredCorrectlyRate: Double
    /// Topic rows the tutor refused (confidence below the threshold).
    public var wronglyRefused: Int
    /// Rows with topic `none`.
    public var offTopicQuestions: Int
    /// `none` rows the tutor refused.
    public var offTopicRefused: Int
    /// `offTopicRefused / offTopicQuestions`.
    public var offTopicRejectionRate: Double
    /// Top-1 figures per kind of topic row.
    public var kinds: [String: KindFigures]
    /// Answers given from a topic (not refused), over all rows.
    public var answersGiven: Int
    /// Of those, answers that contain every key term of their topic.
    public var answersWithAllKeyTerms: Int
    /// `answersWithAllKeyTerms / answersGiven`.
    public var keyTermsShare: Double
    /// Answers with a sentence the misconception check flags: must be 0.
    public var answersStatingMisconception: Int
    /// Each flagged answer sentence: `path:line: sentence (misconception)`.
    public var misconceptionFlags: [String]
    /// The share of English answers written by the language model and kept whole, or why there is none.
    public var modelWrittenShare: String
    /// Answers the language model was asked to write (English answers from a topic when a model runs; else 0).
    public var modelAnswers: Int
    /// Of those, answers the model wrote whole: every sentence passed the checks and together they hold every key
    /// term (`GroundedAnswer.Authorship.modelWhole`).
    public var modelWrittenWhole: Int
    /// Of those, answers begun by the model and finished from the curated text.
    public var modelThenCurated: Int
    /// How many model sentences failed each check (`states a misconception`, `off topic`, ...), the first failure
    /// of each answer.
    public var modelRejections: [String: Int]
    /// Model answers that ended without a failed check but lacked key terms the curated text had to add.
    public var modelMissingKeyTerms: Int
    /// Model answers whose model part ended at a sentence repeating an earlier one (not said, no failure).
    public var modelEndedByRepeat: Int
    /// Sentences of the answers kept whole.
    public var modelWholeSentences: Int
    /// Of those, sentences the model copied word for word from the facts it was given (the topic's answer and
    /// simpler version): written by the model, but not in its own words.
    public var modelWholeSentencesCopied: Int
    /// Each model answer not kept whole: `path:line: reason: sentence`, or the key terms the model left out.
    public var modelShortfalls: [String]
    /// Each model answer kept whole, `path:line: text`, to read whether what passed the checks is right.
    public var modelWholeAnswers: [String]
    /// The confidence threshold used.
    public var threshold: Double
    /// Every row the tutor got wrong.
    public var misses: [Miss]
}

/// Runs a question set through the answerer and counts what the issue asks for.
public enum TutorEvaluator {
    /// Evaluates one language's rows with curated answers only (no language model).
    public static func evaluate(
        _ rows: [EvaluationQuestion], language: String, answerer: TutorAnswerer
    )
        -> TutorEvaluationReport
    {
        evaluate(rows, language: language, answerer: answerer, modelNote: "n/a: no language model in this run") {
            _, _, _ in nil
        }
    }

    /// Evaluates one language's rows; English answers from a topic are written by `generator` through `writer`
    /// (each sentence checked, curated text where a check fails) and the key-term and misconception figures are
    /// measured on what would be said. Other languages are answered from the curated text.
    public static func evaluate<Generator: TextGenerating>(
        _ rows: [EvaluationQuestion], language: String, answerer: TutorAnswerer,
        writer: GroundedAnswerWriter = GroundedAnswerWriter(), generator: inout Generator
    ) throws -> TutorEvaluationReport {
        guard language == "en" else {
            return evaluate(rows, language: language, answerer: answerer)
        }
        return try evaluate(
            rows, language: language, answerer: answerer, modelNote: "n/a: no answer was given from a topic"
        ) { question, topic, safety in
            try writer.write(question: question, topic: topic, safety: safety, generator: &generator)
        }
    }

    /// The loop: `write` returns the model's grounded answer, or `nil` to say the curated text.
    static func evaluate(
        _ rows: [EvaluationQuestion], language: String, answerer: TutorAnswerer, modelNote: String,
        write: (String, CurriculumTopic, String?) throws -> GroundedAnswer?
    ) rethrows -> TutorEvaluationReport {
        var top1Correct = 0
        var answeredCorrectly = 0
        var wronglyRefused = 0
        var offTopic = 0
        var offTopicRefused = 0
        var kinds: [String: (questions: Int, correct: Int)] = [:]
        var answersGiven = 0
        var withTerms = 0
        var misconceptions = 0
        var misses: [TutorEvaluationReport.Miss] = []
        var flags: [String] = []
        var modelAnswers = 0
        var modelWhole = 0
        var modelThenCurated = 0
        var modelMissingTerms = 0
        var endedByRepeat = 0
        var wholeSentences = 0
        var wholeCopied = 0
        var wholeAnswers: [String] = []
        var rejections: [String: Int] = [:]
        var shortfalls: [String] = []
        for row in rows {
            let answer = answerer.answer(row.question, language: language)
            let found = answer.retrieval.best?.id
            let refused = answer.kind == .unknown
            if let expected = row.expectedTopic {
                kinds[row.kind, default: (0, 0)].questions += 1
                if found == expected {
                    top1Correct += 1
                    kinds[row.kind, default: (0, 0)].correct += 1
                    if !refused { answeredCorrectly += 1 }
                }
                if refused { wronglyRefused += 1 }
            } else {
                offTopic += 1
                if refused { offTopicRefused += 1 }
            }
            let wrong = row.expectedTopic == nil ? !refused : (found != row.expectedTopic || refused)
            if wrong {
                misses.append(
                    .init(
                        source: row.source, question: row.question, expected: row.expectedTopic ?? "none",
                        found: found ?? "none", confidence: answer.retrieval.confidence, refused: refused))
            }
            if let id = answer.topicID, let topic = answerer.curriculum.topic(id, language: answer.language) {
                answersGiven += 1
                var said = answer.text
                if let written = try write(row.question, topic, answer.safety) {
                    said = written.text
                    modelAnswers += 1
                    switch written.authorship {
                    case .modelWhole: modelWhole += 1
                    case .modelThenCurated: modelThenCurated += 1
                    case .curated: break
                    }
                    if written.endingRepeat != nil { endedByRepeat += 1 }
                    if written.authorship == .modelWhole {
                        let words = { TextNormalizer.words($0, language: topic.language) }
                        let facts = Set([topic.answer, topic.simpler].flatMap(AnswerSentences.split).map(words))
                        wholeSentences += written.sentences.count
                        wholeAnswers.append("\(row.source): \(written.sentences.joined(separator: " "))")
                        wholeCopied += written.sentences.filter { facts.contains(words($0)) }.count
                    }
                    if let failure = written.failure {
                        rejections[failure.reason.kindName, default: 0] += 1
                        shortfalls.append("\(row.source): \(failure.reason): \(failure.sentence)")
                    } else if written.authorship == .modelThenCurated {
                        modelMissingTerms += 1
                        let modelText = written.sentences.prefix(written.modelSentenceCount).joined(separator: " ")
                        let missing = KeyTerms.missing(topic.terms, in: modelText, language: topic.language)
                        shortfalls.append(
                            "\(row.source): left out \(missing.joined(separator: ", ")): \(modelText)")
                    }
                }
                if KeyTerms.missing(topic.terms, in: said, language: topic.language).isEmpty { withTerms += 1 }
                let checker = AnswerChecker(topic: topic)
                var flagged = false
                for sentence in AnswerSentences.split(said) {
                    if case .statesMisconception(let line) = checker.check(sentence) {
                        flagged = true
                        flags.append("\(row.source): \(sentence) (\(line))")
                    }
                }
                if flagged { misconceptions += 1 }
            }
        }
        let topicQuestions = rows.count - offTopic
        func rate(_ part: Int, _ whole: Int) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) }
        return TutorEvaluationReport(
            language: language, questions: rows.count, topicQuestions: topicQuestions, top1Correct: top1Correct,
            top1Accuracy: rate(top1Correct, topicQuestions), answeredCorrectly: answeredCorrectly,
            answeredCorrectlyRate: rate(answeredCorrectly, topicQuestions), wronglyRefused: wronglyRefused,
            offTopicQuestions: offTopic, offTopicRefused: offTopicRefused,
            offTopicRejectionRate: rate(offTopicRefused, offTopic),
            kinds: kinds.mapValues {
                .init(questions: $0.questions, top1Correct: $0.correct, top1Accuracy: rate($0.correct, $0.questions))
            },
            answersGiven: answersGiven, answersWithAllKeyTerms: withTerms,
            keyTermsShare: rate(withTerms, answersGiven), answersStatingMisconception: misconceptions,
            misconceptionFlags: flags,
            modelWrittenShare: language != "en"
                ? "n/a: curated text in this language"
                : modelAnswers == 0
                    ? modelNote
                    : String(
                        format: "%d/%d %.1f%% (kept whole)", modelWhole, modelAnswers,
                        rate(modelWhole, modelAnswers) * 100),
            modelAnswers: modelAnswers, modelWrittenWhole: modelWhole, modelThenCurated: modelThenCurated,
            modelRejections: rejections, modelMissingKeyTerms: modelMissingTerms, modelEndedByRepeat: endedByRepeat,
            modelWholeSentences: wholeSentences, modelWholeSentencesCopied: wholeCopied,
            modelShortfalls: shortfalls, modelWholeAnswers: wholeAnswers,
            threshold: answerer.retriever.options.confidenceThreshold, misses: misses)
    }

    /// Leave-one-out over the curriculum's own `ask:` lines: each line is asked of an index built without it.
    ///
    /// Returns `(asked, top1Correct, confident)`; `stride` takes every n-th line to keep it quick.
    public static func leaveOneOut(
        curriculum: Curriculum, glossary: Glossary, language: String, options: RetrievalOptions = .default,
        stride: Int = 1
    ) -> (asked: Int, top1Correct: Int, confident: Int, misses: [String]) {
        let topics = curriculum.topics(in: language)
        var asked = 0
        var correct = 0
        var confident = 0
        var misses: [String] = []
        var counter = 0
        let full = TopicRetriever(
            documents: [topics.map { TopicDocument($0) }], glossary: glossary, options: options)
        for topic in topics {
            for ask in topic.asks {
                counter += 1
                guard (counter - 1) % max(1, stride) == 0 else { continue }
                let result = full.leavingOut(ask: ask, of: topic).retrieve(ask, language: language)
                asked += 1
                if result.best?.id == topic.id {
                    correct += 1
                } else {
                    misses.append("\(topic.sourcePath): '\(ask)' -> \(result.best?.id ?? "none")")
                }
                if result.isConfident { confident += 1 }
            }
        }
        return (asked, correct, confident, misses)
    }
}
