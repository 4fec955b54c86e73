import Foundation
import TutorCore

/// A lesson that fits a request, with why.
public struct LessonMatch: Sendable, Equatable {
    public var lesson: Lesson
    /// The total of the parts below; matches are ranked by it.
    public var score: Double
    /// The share of the request's words (after the request frame and stop words) that a title word matches, in
    /// [0, 1].
    public var titleScore: Double
    /// How confidently the request is about the lesson's indexed topics, in [0, 1] (0 when the retrieval is not
    /// confident the request is about any topic).
    public var topicScore: Double
    /// The request phrasing the audio fitted best, when the lesson was found by scoring phrasings (the transcript
    /// found none); nil when it was found from the transcript.
    public var heardPhrase: String? = nil
    /// With `heardPhrase`: how far, in log probability per word, it beat the best phrasing of another topic.
    public var phraseMarginPerWord: Double? = nil
}

/// Picks the lesson a child or teacher asks for: "play the lesson about magnets", "cheza somo kuhusu sumaku".
///
/// The request loses its frame words ("play", "lesson", "about"; "cheza", "somo", "kuhusu"); what is left is
/// matched two ways:
/// - against each title's words, exactly or within one edit for words of five letters or more (a misheard
///   "magnet" still finds "Magnets"); the stop words of the request's and the title's language (`how`, `in`, `or`)
///   do not count, or Whisper's "play more or less in about tides" would find "Keeping heat in or out";
/// - through the curriculum: the request's topics (ranked by the Tutor's retrieval, through `TopicRanking`, in
///   the language the recognizer heard) against the topics the lesson was indexed with, so "sumaku" finds an
///   English lesson about magnets and "the one about compasses" finds a lesson whose transcript is about compasses.
///   A topic counts by the retrieval's own confidence (the share of the request it explains), and only when that
///   reaches the confidence the Tutor answers from: a garbled transcript ("Te'a") or a request about something
///   the curriculum does not cover ("dinosaurs") ranks some topic first, but explains too little of the request
///   for that topic to be what was asked for, so it finds nothing.
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
    /// The least retrieval confidence for a request's topic to count (the Tutor's own threshold, which
    /// `RankedTopics` carries, applies too).
    ///
    /// Higher than the Tutor's 0.33 because a request names its subject in a word or two: one fuzzy neighbour
    /// then explains "all" of it at its similarity ("dinosaurs" reads as mains safety at 0.75, "my nets" as the
    /// Moon's phases at 0.85), while a word a topic really uses explains it fully (1.0). Chosen with `tutor eval
    /// lesson requests --min-confidence` on Evaluation/lessons/requests.tsv: at the Tutor's 0.33, 7 of 17
    /// off-topic requests found no lesson; at 0.6, 10; at 0.8, 14; at 0.9, 14, and "my nets" finds nothing rather
    /// than the Moon's phases and "sound in the migration" the sound lesson rather than pitch. All 10 garbled
    /// requests found nothing at each; from 0.7 up, "electric circuits" ties on title words with "Electric motors"
    /// (its confidence for circuits is below 0.7) and 27 of 28 plain requests are right.
    public var minimumTopicConfidence = 0.9

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
    ///
    /// - Parameter language: the language the request was heard in (`en`, `sw`: the recognizer's), or `auto` for a
    ///   typed request, to detect it from the words.
    public func find(_ request: String, language: String = "auto") -> [LessonMatch] {
        let wanted = Self.contentWords(request)
        guard !wanted.isEmpty else { return [] }
        let ranking = topics?.rankTopics(wanted.joined(separator: " "), language: language)
        let requestTopics = ranking.map(confidentTopicScores) ?? [:]
        let requestStopWords = topics?.stopWords(language: ranking?.language ?? language) ?? []
        // Each match with the share of its title's words the request matched, which breaks ties: "smaku" is one
        // edit from "Sumaku" and from "Dira na sumaku ya Dunia", and is all of the first.
        var matches: [(match: LessonMatch, titleCoverage: Double)] = []
        for lesson in lessons {
            let stopWords = requestStopWords.union(topics?.stopWords(language: lesson.language) ?? [])
            let named = wanted.filter { !stopWords.contains($0) }
            let titleWords = Self.words(lesson.title.text).filter { !stopWords.contains($0) }
            let matched = named.map { word in titleWords.map { Self.wordMatch(word, $0) }.max() ?? 0 }
            let titleScore = named.isEmpty ? 0 : matched.reduce(0, +) / Double(named.count)
            let covered = titleWords.map { word in named.map { Self.wordMatch($0, word) }.max() ?? 0 }
            let titleCoverage = titleWords.isEmpty ? 0 : covered.reduce(0, +) / Double(titleWords.count)
            var topicScore = 0.0
            for (rank, topic) in lesson.topics.prefix(Self.topicRankWeights.count).enumerated() {
                topicScore = max(topicScore, (requestTopics[topic] ?? 0) * Self.topicRankWeights[rank])
            }
            let languageBonus = lesson.language == (ranking?.language ?? language) ? 0.05 : 0
            let score = titleScore + topicScore
            guard score >= minimumScore else { continue }
            let match = LessonMatch(
                lesson: lesson, score: score + languageBonus, titleScore: titleScore, topicScore: topicScore)
            matches.append((match, titleCoverage))
        }
        return matches.sorted {
            if $0.match.score != $1.match.score { return $0.match.score > $1.match.score }
            if $0.titleCoverage != $1.titleCoverage { return $0.titleCoverage > $1.titleCoverage }
            return $0.match.lesson.title.text < $1.match.lesson.title.text
        }.map(\.match)
    }

    /// Each topic the request is confidently about, scored by the retrieval's confidence in it times its score's
    /// share of the best score: the confidence says whether the request is about the topic at all, the share keeps
    /// the retrieval's order among topics that explain the request equally well ("magnets" is all of the request
    /// for both `magnets` and `compass`, but `magnets` ranks first).
    func confidentTopicScores(_ ranking: RankedTopics) -> [String: Double] {
        guard let best = ranking.topics.first?.score, best > 0 else { return [:] }
        let threshold = max(ranking.confidenceThreshold, minimumTopicConfidence)
        var scores: [String: Double] = [:]
        for topic in ranking.topics where topic.confidence >= threshold {
            scores[topic.id] = max(scores[topic.id] ?? 0, topic.confidence * topic.score / best)
        }
        return scores
    }

    /// How much a request word matches a title word: 1 when equal or a plural `s` apart, `nearTitleWordWeight`
    /// when one edit apart and both have five letters or more (a misheard letter), else 0.
    static func wordMatch(_ a: String, _ b: String) -> Double {
        if a == b || a + "s" == b || b + "s" == a { return 1 }
        guard a.count >= 5, b.count >= 5, editDistance(Array(a), Array(b)) <= 1 else { return 0 }
        return nearTitleWordWeight
    }

    /// A title word one edit from the request's counts less than the word itself, so Whisper's "sound in the
    /// migration" finds "Sound is a vibration" before "Why the Moon goes round the Earth".
    static let nearTitleWordWeight = 0.75
}
