import Foundation
import TutorCore

/// A lesson that fits a request, with why.
public struct LessonMatch: Sendable, Equatable {
    public var lesson: Lesson
    /// The total of the parts below; matches are ranked by it.
    public var score: Double
    /// The share of the request's words (after the request frame) that a title word matches, in [0, 1].
    public var titleScore: Double
    /// How strongly the request's topics are the lesson's indexed topics, in [0, 1].
    public var topicScore: Double
}

/// Picks the lesson a child or teacher asks for: "play the lesson about magnets", "cheza somo kuhusu sumaku".
///
/// The request loses its frame words ("play", "lesson", "about"; "cheza", "somo", "kuhusu"); what is left is
/// matched two ways:
/// - against each title's words, exactly or within one edit for words of five letters or more (a misheard
///   "magnet" still finds "Magnets");
/// - through the curriculum: the request's topics (ranked by the Tutor's retrieval, through `TopicRanking`, in
///   the language the words are in) against the topics the lesson was indexed with, so "sumaku" finds an English
///   lesson about magnets and "the one about compasses" finds a lesson whose transcript is about compasses.
///
/// A lesson in the request's language wins a tie. Lessons not yet `ready` are not offered.
/// Immutable; safe to share between threads.
public struct LessonFinder: Sendable {
    /// Words that frame a request rather than say what it is about.
    public static let frameWords: Set<String> = [
        // English
        "play", "lesson", "lessons", "about", "the", "a", "an", "on", "of", "me", "please", "start", "listen",
        "to", "i", "want", "hear", "can", "you", "put", "one", "some", "us", "let", "lets", "find", "teach",
        "tell", "with", "called", "for", "and",
        // Swahili
        "cheza", "chezesha", "nichezee", "tuchezee", "somo", "masomo", "kuhusu", "juu", "ya", "la", "cha", "wa",
        "tafadhali", "nataka", "tunataka", "kusikiliza", "sikiliza", "anza", "na", "kwa", "nipe", "tupe",
    ]

    /// A lesson's topics are weighted by their rank in it: its first topic counts fully, later ones less.
    static let topicRankWeights = [1.0, 0.6, 0.4]
    /// Matches scoring below this are not offered.
    public var minimumScore = 0.25

    let lessons: [Lesson]
    let topics: (any TopicRanking)?

    /// A finder over the ready lessons of a manifest; `topics` is nil where no curriculum is loaded (titles only).
    public init(manifest: LessonManifest, topics: (any TopicRanking)?) {
        self.lessons = manifest.lessons.filter { $0.state == .ready }
        self.topics = topics
    }

    /// The request's content words: lower case, letters and digits, frame words removed.
    public static func contentWords(_ request: String) -> [String] {
        words(request).filter { !frameWords.contains($0) }
    }

    static func words(_ text: String) -> [String] {
        text.lowercased().folding(options: [.diacriticInsensitive], locale: nil)
            .split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    /// Lessons that fit the request, best first (empty when none fits).
    public func find(_ request: String) -> [LessonMatch] {
        let wanted = Self.contentWords(request)
        guard !wanted.isEmpty else { return [] }
        let ranking = topics?.rankTopics(wanted.joined(separator: " "), language: "auto")
        let requestTopics = Self.normalizedTopicScores(ranking?.topics ?? [])
        var matches: [LessonMatch] = []
        for lesson in lessons {
            let titleWords = Self.words(lesson.title.text)
            let matched = wanted.filter { word in titleWords.contains { Self.wordsMatch(word, $0) } }.count
            let titleScore = Double(matched) / Double(wanted.count)
            var topicScore = 0.0
            for (rank, topic) in lesson.topics.prefix(Self.topicRankWeights.count).enumerated() {
                topicScore = max(topicScore, (requestTopics[topic] ?? 0) * Self.topicRankWeights[rank])
            }
            let languageBonus = lesson.language == ranking?.language ? 0.05 : 0
            let score = titleScore + topicScore
            guard score >= minimumScore else { continue }
            matches.append(
                LessonMatch(
                    lesson: lesson, score: score + languageBonus, titleScore: titleScore, topicScore: topicScore))
        }
        return matches.sorted { $0.score > $1.score }
    }

    /// The best topic scores 1, the others their share of its score: only the request's leading topics count.
    static func normalizedTopicScores(_ topics: [TopicScore]) -> [String: Double] {
        guard let best = topics.first?.score, best > 0 else { return [:] }
        var scores: [String: Double] = [:]
        for topic in topics { scores[topic.id] = max(scores[topic.id] ?? 0, topic.score / best) }
        return scores
    }

    /// Equal, or one edit apart when both have five letters or more (plurals, a misheard letter).
    static func wordsMatch(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        guard a.count >= 5, b.count >= 5 else { return false }
        return editDistance(Array(a), Array(b)) <= 1
    }
}
