import Foundation
import Lessons
import Logging
import TutorCore

/// Lessons at the kiosk: "play the lesson about magnets", "cheza somo kuhusu sumaku".
///
/// An utterance is a lesson request when it holds one of the request words of the child's language (`en`: play,
/// listen, lesson; `sw`: cheza, sikiliza, somo and their usual forms; `auto` or another language: either list).
/// The lesson itself is picked by `LessonFinder` from the library's manifest, read again for every request so a
/// lesson a teacher has just added can be asked for at once. Immutable; safe to share between threads.
public struct KioskLessons: Sendable {
    /// The words that make an utterance a lesson request, by language.
    public static let requestWords: [String: Set<String>] = [
        "en": ["play", "listen", "lesson", "lessons"],
        "sw": ["cheza", "chezesha", "nichezee", "tuchezee", "sikiliza", "kusikiliza", "somo", "masomo"],
    ]

    /// Said when a request fits no lesson, by language (English for any other).
    public static let noLessonReplies: [String: String] = [
        "en": "Sorry, I do not have a lesson about that yet. You can ask me a question instead.",
        "sw": "Samahani, sina somo kuhusu hilo bado. Unaweza kuniuliza swali badala yake.",
    ]

    /// The library the lessons are played from.
    public let library: LessonLibrary
    /// Ranks a request's curriculum topics for `LessonFinder`; nil matches titles only.
    public let topics: (any TopicRanking)?

    private static let logger = Logger(label: "pipeline.lessons")

    /// Lessons from `library`; its manifest must be readable now (an error names the file and line).
    public init(library: LessonLibrary, topics: (any TopicRanking)?) throws {
        _ = try library.loadManifest()
        self.library = library
        self.topics = topics
    }

    /// True when `utterance` asks for a lesson in `language`. Accents are ignored: Whisper base writes Swahili
    /// "somo" as "sōmo" at times.
    public static func isRequest(_ utterance: String, language: String) -> Bool {
        let words = requestWords[language] ?? requestWords.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        return utterance.lowercased().folding(options: [.diacriticInsensitive], locale: nil).split { !$0.isLetter }
            .contains { words.contains(String($0)) }
    }

    /// The best ready lesson for `request`, heard in `language` (the recognizer's; `auto` detects it from the
    /// words), or nil when none fits (or the manifest has become unreadable, or scoring failed: logged).
    ///
    /// - Parameters:
    ///   - kioskLanguage: the child's language as the kiosk is configured (`auto` when not known).
    ///   - scorer: the recognizer's scores of phrasings against the request's audio; nil for a typed request. When
    ///     the transcript finds nothing, the request phrasings of the heard language, or else of the kiosk's, that
    ///     have any (Swahili) are scored against the audio.
    public func find(
        _ request: String, language: String, kioskLanguage: String = "auto", scorer: (any PhraseScoring)? = nil
    ) -> Lesson? {
        do {
            let finder = LessonFinder(manifest: try library.loadManifest(), topics: topics)
            if let written = finder.find(request, language: language).first { return written.lesson }
            let phraseLanguage = [language, kioskLanguage].first { SpokenLessonOptions.default.frames[$0] != nil }
            guard let phraseLanguage, let scorer else { return nil }
            let spoken = try finder.find(request, language: phraseLanguage, scorer: scorer).first
            if let spoken {
                Self.logger.info(
                    "lesson '\(spoken.lesson.title.text)' found by its phrasing '\(spoken.heardPhrase ?? "")'")
            }
            return spoken?.lesson
        } catch {
            Self.logger.error("cannot find a lesson: \(error)")
            return nil
        }
    }

    /// The kind reply when no lesson fits, in `language`.
    public static func noLessonReply(language: String) -> String {
        noLessonReplies[language] ?? noLessonReplies["en"] ?? ""
    }
}
