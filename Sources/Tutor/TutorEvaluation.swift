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
    /// The confidence threshold used.
    public var threshold: Double
    /// Every row the tutor got wrong.
    public var misses: [Miss]
}

/// Runs a question set through the answerer and counts what the issue asks for.
public enum TutorEvaluator {
    /// Evaluates one language's rows (answers are curated text: no language model yet).
    public static func evaluate(
        _ rows: [EvaluationQuestion], language: String, answerer: TutorAnswerer
    )
        -> TutorEvaluationReport
    {
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
                let lowered = answer.text.lowercased()
                if topic.terms.allSatisfy({ lowered.contains($0.lowercased()) }) { withTerms += 1 }
                let checker = AnswerChecker(topic: topic)
                var flagged = false
                for sentence in AnswerSentences.split(answer.text) {
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
            modelWrittenShare: language == "en"
                ? "n/a: eval does not run the language model yet" : "n/a: curated text in this language",
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
