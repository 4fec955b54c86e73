import Foundation

/// One row of a question set (`Evaluation/questions/<lang>.tsv`, `Evaluation/dev/<lang>.tsv`).
public struct EvaluationQuestion: Sendable, Equatable {
    /// The question as a recognizer would write it.
    public var question: String
    /// The expected topic id, or `nil` for `none` (the tutor should refuse).
    public var expectedTopic: String?
    /// `plain`, `misheard` or `offtopic`.
    public var kind: String
    /// Where the row is, `path:line`.
    public var source: String

    /// Creates a row.
    public init(question: String, expectedTopic: String?, kind: String, source: String) {
        self.question = question
        self.expectedTopic = expectedTopic
        self.kind = kind
        self.source = source
    }
}

/// A malformed question-set row: `Evaluation/questions/en.tsv:12: expected 3 tab-separated columns, found 2`.
public struct QuestionSetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as given to the parser.
    public var path: String
    /// The 1-based line.
    public var line: Int
    /// What is wrong.
    public var message: String

    /// `path:line: message`.
    public var description: String { "\(path):\(line): \(message)" }
}

/// Reads question sets strictly (format in `Evaluation/questions/README.md`).
public enum QuestionSetParser {
    /// The kinds a row may have.
    public static let kinds = ["plain", "misheard", "offtopic"]

    /// Parses a question set; `knownTopics` (when not empty) are the ids a row may name besides `none`.
    public static func parse(
        _ text: String, path: String, knownTopics: Set<String> = []
    ) throws
        -> [EvaluationQuestion]
    {
        var rows: [EvaluationQuestion] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            func fail(_ message: String) -> QuestionSetError {
                QuestionSetError(path: path, line: number, message: message)
            }
            if raw.isEmpty || raw.hasPrefix("#") { continue }
            let columns = raw.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count == 3 else {
                throw fail("expected 3 tab-separated columns (question, topic, kind), found \(columns.count)")
            }
            let (question, topic, kind) = (columns[0], columns[1], columns[2])
            guard !question.isEmpty else { throw fail("empty question") }
            guard kinds.contains(kind) else {
                throw fail("unknown kind '\(kind)' (expected one of: \(kinds.joined(separator: ", ")))")
            }
            guard topic == "none" || knownTopics.isEmpty || knownTopics.contains(topic) else {
                throw fail("topic '\(topic)' is not listed in topics.tsv")
            }
            guard (topic == "none") == (kind == "offtopic") else {
                throw fail("topic 'none' goes with kind 'offtopic' and only with it (found '\(topic)', '\(kind)')")
            }
            rows.append(
                EvaluationQuestion(
                    question: question, expectedTopic: topic == "none" ? nil : topic, kind: kind,
                    source: "\(path):\(number)"))
        }
        return rows
    }
}
