import Foundation
import TutorCore

/// Settings for picking a lesson by scoring request phrasings against the request's audio.
public struct SpokenLessonOptions: Sendable, Equatable {
    /// The ways a child asks for a lesson, by language, each followed by the lesson's name. The first is scored for
    /// every lesson; the rest only for the shortlist.
    public var frames: [String: [String]] = [
        "sw": ["cheza somo kuhusu", "nataka kusikiliza somo la", "nichezee somo la"]
    ]
    /// How many lessons (the best after the first frame) have every frame scored.
    public var shortlistCount = 5
    /// How far, in log probability per word, the best lesson's phrasing must beat the best phrasing of a lesson
    /// about something else. Garbled or off-topic audio fits several names about equally badly, so it finds none.
    ///
    /// Chosen with `tutor eval lesson requests --spoken sw --phrase-margin 0` (the margin of every request
    /// printed): of its first 8 requests, the 5 whose name was scored best won by 3.0 to 4.3; the 3 scored wrong
    /// (a name Whisper cut short) by 0.01 to 0.93.
    public var minimumMarginPerWord = 1.0

    /// Creates the defaults.
    public init() {}

    /// The defaults.
    public static let `default` = SpokenLessonOptions()
}

extension LessonFinder {
    /// Lessons that fit a spoken request, best first: the transcript as `find(_:language:)` reads it, and, when
    /// that finds nothing and `language` has request frames (Swahili, which Whisper base writes as garbled
    /// syllables), the phrasing of a lesson request the audio itself fits best.
    ///
    /// Every ready lesson's name (its title up to a colon) is put in the request frames ("cheza somo kuhusu
    /// sumaku") and scored against the audio by `scorer` (the recognizer's forced decoding, one encoder pass for
    /// all candidates). The best lesson is offered only when its phrasing beats every lesson about another topic by
    /// `options.minimumMarginPerWord`; its match then carries the phrase in `heardPhrase`.
    ///
    /// - Parameters:
    ///   - language: the language the request was heard in, or the kiosk's language when the child's is known.
    ///   - scorer: scores phrasings against the request's audio; nil for a typed request (text only).
    public func find(
        _ request: String, language: String, scorer: (any PhraseScoring)?,
        options: SpokenLessonOptions = .default
    ) throws -> [LessonMatch] {
        let written = find(request, language: language)
        guard written.isEmpty, let scorer, let frames = options.frames[language], let firstFrame = frames.first
        else { return written }
        // Lessons sharing a name (the same title in two languages) are one candidate: the request's language wins.
        // Only lessons in the request's language, where there are any: an English title in a Swahili frame is a long
        // run of words the decoder finds likely after garbled Swahili audio, and beat the Swahili names.
        let inLanguage = lessons.filter { $0.language == language }
        var named: [String: Lesson] = [:]
        for lesson in inLanguage.isEmpty ? lessons : inLanguage {
            let name = Self.spokenName(lesson.title.text)
            guard !name.isEmpty else { continue }
            if let other = named[name], other.language == language || lesson.language != language { continue }
            named[name] = lesson
        }
        let names = named.keys.sorted()
        guard names.count > 1 else { return [] }
        func perWord(_ phrases: [String]) throws -> [Double] {
            let scores = try scorer.logProbabilities(of: phrases, language: language)
            guard scores.count == phrases.count else { return phrases.map { _ in -.infinity } }
            return zip(phrases, scores).map { $1 / Double(max(1, Self.words($0).count)) }
        }
        var best = try perWord(names.map { "\(firstFrame) \($0)" })
        var phrases = names.map { "\(firstFrame) \($0)" }
        let shortlist = best.indices.sorted { best[$0] > best[$1] }.prefix(options.shortlistCount)
        let others = shortlist.flatMap { index in frames.dropFirst().map { (index, "\($0) \(names[index])") } }
        for ((index, phrase), score) in zip(others, try perWord(others.map(\.1))) where score > best[index] {
            best[index] = score
            phrases[index] = phrase
        }
        guard let top = best.indices.max(by: { best[$0] < best[$1] }), let lesson = named[names[top]] else {
            return []
        }
        let subject = lesson.topics.first ?? lesson.title.text
        let rival = best.indices.filter { (named[names[$0]]?.topics.first ?? names[$0]) != subject }
            .map { best[$0] }.max() ?? -.infinity
        let margin = best[top] - rival
        guard margin >= options.minimumMarginPerWord else { return [] }
        return [
            LessonMatch(
                lesson: lesson, score: margin, titleScore: 0, topicScore: 0, heardPhrase: phrases[top],
                phraseMarginPerWord: margin)
        ]
    }

    /// A lesson's name as a child says it: its title up to a colon, lower case ("Saketi: njia ya umeme" ->
    /// "saketi").
    public static func spokenName(_ title: String) -> String {
        String(title.split(separator: ":").first ?? Substring(title)).lowercased()
            .trimmingCharacters(in: .whitespaces)
    }
}
