import Foundation

/// Word error rate: the word-level edit distance between a reference and a hypothesis, over the reference's length.
///
/// Both texts are normalized first (``normalizedWords(_:)``): lower case (Unicode), every character that is not a
/// letter, a digit or an apostrophe becomes a space, apostrophes are dropped (`what's` -> `whats`), and the text is
/// split on white space. Numbers are left as written: Whisper's "10" against a reference's "ten" counts as an error,
/// so references are written the way Whisper writes them.
public struct WordErrorCount: Sendable, Equatable {
    /// Reference words replaced by another word.
    public var substitutions = 0
    /// Reference words the hypothesis leaves out.
    public var deletions = 0
    /// Hypothesis words with no reference word.
    public var insertions = 0
    /// Words in the normalized reference.
    public var referenceWords = 0

    public init(substitutions: Int = 0, deletions: Int = 0, insertions: Int = 0, referenceWords: Int = 0) {
        self.substitutions = substitutions
        self.deletions = deletions
        self.insertions = insertions
        self.referenceWords = referenceWords
    }

    /// Substitutions, deletions and insertions together: the edit distance.
    public var errors: Int { substitutions + deletions + insertions }

    /// Errors over reference words. An empty reference gives 0 when the hypothesis is empty too, else infinity:
    /// any word invented where nothing was said is unbounded error (sum counts over clips instead).
    public var rate: Double {
        if referenceWords == 0 { return errors == 0 ? 0 : .infinity }
        return Double(errors) / Double(referenceWords)
    }

    /// Counts over several clips added up: the corpus WER is `(a + b).rate`, not the mean of per-clip rates.
    public static func + (lhs: WordErrorCount, rhs: WordErrorCount) -> WordErrorCount {
        WordErrorCount(
            substitutions: lhs.substitutions + rhs.substitutions, deletions: lhs.deletions + rhs.deletions,
            insertions: lhs.insertions + rhs.insertions, referenceWords: lhs.referenceWords + rhs.referenceWords)
    }

    /// Aligns the normalized words of both texts by Levenshtein distance (each edit costs 1) and counts the edits.
    public init(reference: String, hypothesis: String) {
        self.init(referenceWords: Self.normalizedWords(reference), hypothesisWords: Self.normalizedWords(hypothesis))
    }

    /// The same over words already normalized.
    public init(referenceWords reference: [String], hypothesisWords hypothesis: [String]) {
        // cost[i][j]: edits turning reference[..<i] into hypothesis[..<j]; kept as (errors, s, d, i) per cell so the
        // kinds of edit come out of one pass. Ties prefer substitution, then deletion, then insertion.
        typealias Cell = (errors: Int, substitutions: Int, deletions: Int, insertions: Int)
        let width = hypothesis.count + 1
        var previous: [Cell] = (0..<width).map { ($0, 0, 0, $0) }  // (hypothesis.count + 1)
        for (row, word) in reference.enumerated() {
            var current: [Cell] = Array(repeating: (0, 0, 0, 0), count: width)
            current[0] = (row + 1, 0, row + 1, 0)
            for j in 1..<width {
                let same = word == hypothesis[j - 1]
                var best = previous[j - 1]
                if !same {
                    best.errors += 1
                    best.substitutions += 1
                }
                let deletion = previous[j]
                if deletion.errors + 1 < best.errors {
                    best = (deletion.errors + 1, deletion.substitutions, deletion.deletions + 1, deletion.insertions)
                }
                let insertion = current[j - 1]
                if insertion.errors + 1 < best.errors {
                    best = (
                        insertion.errors + 1, insertion.substitutions, insertion.deletions, insertion.insertions + 1
                    )
                }
                current[j] = best
            }
            previous = current
        }
        let last = previous[width - 1]
        self.init(
            substitutions: last.substitutions, deletions: last.deletions, insertions: last.insertions,
            referenceWords: reference.count)
    }

    /// Lower case, apostrophes dropped, every other character that is not a letter or digit a word break.
    public static func normalizedWords(_ text: String) -> [String] {
        var cleaned = ""
        for character in text.lowercased() {
            if character == "'" || character == "\u{2019}" { continue }
            cleaned.append(character.isLetter || character.isNumber ? character : " ")
        }
        return cleaned.split(whereSeparator: \.isWhitespace).map(String.init)
    }
}
