/// One problem in a curriculum file, with the file and line where a teacher can fix it.
///
/// Printed as `Curriculum/sw/sky-blue.txt:7: unknown key 'anser' (expected one of: topic, language, ...)`.
public struct CurriculumError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public enum Kind: Sendable, Equatable {
        /// The file or folder could not be read, or is not UTF-8 text.
        case unreadable(reason: String)
        /// A line of `topics.tsv` is not `id <TAB> area <TAB> title`, or repeats an id.
        case malformedTopicList(reason: String)
        /// A line is neither a comment, a blank line, `key: value`, nor a four-space continuation.
        case malformedLine(found: String)
        /// A key that the format does not define.
        case unknownKey(String, expected: [String])
        /// A required key that the file never gives.
        case missingKey(String)
        /// A key allowed once, given again; `firstLine` is where it was first given.
        case repeatedKey(String, firstLine: Int)
        /// A four-space continuation line with no `key: value` line before it.
        case continuationWithoutKey
        /// A key whose value (after joining continuation lines) is empty.
        case emptyValue(key: String)
        /// The `topic:` value is not the file name.
        case topicDoesNotMatchFileName(found: String, expected: String)
        /// The `language:` value is not the folder name.
        case languageDoesNotMatchFolder(found: String, expected: String)
        /// A language folder whose name is not one of the curriculum's language codes.
        case unknownLanguage(String, expected: [String])
        /// A topic id (file name or `topic:` value) that `topics.tsv` does not list.
        case unknownTopic(String)
        /// A `term:` that the answer does not contain.
        case termNotInAnswer(String)
        /// A repeatable key given too few or too many times.
        case wrongCount(key: String, found: Int, expected: ClosedRange<Int>)
        /// A `related:` id that `topics.tsv` does not list.
        case unknownRelated(String)
        /// A translation without the `review:` line.
        case missingReview
        /// A `review:` line whose text is not the agreed one.
        case wrongReview(found: String, expected: String)
        /// A `quiz:` line that is not `question? | accepted answer | ...`.
        case malformedQuiz(reason: String)
    }

    /// The file, relative to the curriculum folder's parent (`Curriculum/sw/sky-blue.txt`).
    public var path: String
    /// The 1-based line number; for a whole-file problem, the line that best locates it (1 if none).
    public var line: Int
    /// What is wrong.
    public var kind: Kind

    /// Creates an error at a file and line.
    public init(path: String, line: Int, kind: Kind) {
        self.path = path
        self.line = line
        self.kind = kind
    }

    /// `path:line: message`, one line, as compilers print it.
    public var description: String { "\(path):\(line): \(message)" }

    /// The message without the location.
    public var message: String {
        switch kind {
        case .unreadable(let reason):
            return "cannot read: \(reason)"
        case .malformedTopicList(let reason):
            return "bad topic list line: \(reason)"
        case .malformedLine(let found):
            return "expected 'key: value', a comment, or a line starting with four spaces; found '\(found)'"
        case .unknownKey(let key, let expected):
            return "unknown key '\(key)' (expected one of: \(expected.joined(separator: ", ")))"
        case .missingKey(let key):
            return "missing required key '\(key)'"
        case .repeatedKey(let key, let firstLine):
            return "key '\(key)' may appear only once (first given on line \(firstLine))"
        case .continuationWithoutKey:
            return "continuation line (four spaces) with no 'key: value' line before it"
        case .emptyValue(let key):
            return "key '\(key)' has an empty value"
        case .topicDoesNotMatchFileName(let found, let expected):
            return "topic '\(found)' does not match the file name (expected '\(expected)')"
        case .languageDoesNotMatchFolder(let found, let expected):
            return "language '\(found)' does not match the folder name (expected '\(expected)')"
        case .unknownLanguage(let code, let expected):
            return "unknown language folder '\(code)' (expected one of: \(expected.joined(separator: ", ")))"
        case .unknownTopic(let id):
            return "topic '\(id)' is not listed in topics.tsv"
        case .termNotInAnswer(let term):
            return "term '\(term)' does not appear in the answer"
        case .wrongCount(let key, let found, let expected):
            let wanted =
                expected.upperBound == Int.max
                ? "at least \(expected.lowerBound)" : "\(expected.lowerBound) to \(expected.upperBound)"
            return "found \(found) '\(key)' lines, expected \(wanted)"
        case .unknownRelated(let id):
            return "related topic '\(id)' is not listed in topics.tsv"
        case .missingReview:
            return "missing 'review: \(CurriculumLoader.reviewPending)' (required in every language except en)"
        case .wrongReview(let found, let expected):
            return "review is '\(found)', expected '\(expected)'"
        case .malformedQuiz(let reason):
            return "bad quiz line: \(reason) (expected 'question? | accepted answer | another accepted answer')"
        }
    }
}

/// Every error found while loading, so a teacher can fix them all in one go.
public struct CurriculumLoadFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The errors, in file order and then line order.
    public var errors: [CurriculumError]

    /// Creates a failure from the errors found.
    public init(errors: [CurriculumError]) {
        self.errors = errors
    }

    /// One error per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
