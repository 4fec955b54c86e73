import Foundation
import Testing
import Tutor
import TutorCore

@testable import Lessons

/// Finding a lesson from what a child says, through the real retrieval over the repository's curriculum.
@Suite struct LessonFinderTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let curriculum = CurriculumLoader(root: repository.appendingPathComponent("Curriculum"))
        .loadCollectingErrors().0

    /// Indexes every curriculum language, as the kiosk's retriever does (so Yoruba words are known too).
    static let retriever: TopicRetriever = {
        let glossary =
            (try? GlossaryParser.load(
                lexiconsFolder: repository.appendingPathComponent("Lexicons"), languages: TutorLanguage.codes))
            ?? .empty
        return TopicRetriever(curriculum: curriculum, glossary: glossary, languages: TutorLanguage.codes)
    }()

    /// Every curriculum topic as a ready lesson in English and in Swahili, titled with the topic's title: whatever
    /// topic a request seems to be about, some lesson has it.
    static func everyTopic() throws -> LessonManifest {
        var manifest = LessonManifest()
        for language in ["en", "sw"] {
            for topic in curriculum.topics(in: language) {
                var lesson = Lesson(
                    title: try LessonTitle(topic.title), language: language, source: .rendered, state: .ready)
                lesson.topics = [topic.id]
                try manifest.upsert(lesson)
            }
        }
        return manifest
    }

    static func manifest() throws -> LessonManifest {
        var manifest = LessonManifest()
        for (title, language, topics) in [
            ("Magnets and compasses", "en", ["magnets", "compass"]),
            ("Sumaku", "sw", ["magnets"]),
            ("Why the sky is blue", "en", ["sky-blue"]),
            ("Lesson three", "en", ["gravity", "falling-objects"]),
            ("Rainbows", "en", []),
        ] {
            var lesson = Lesson(title: try LessonTitle(title), language: language, source: .recorded, state: .ready)
            lesson.topics = topics
            try manifest.upsert(lesson)
        }
        var unfinished = Lesson(title: try LessonTitle("Magnets again"), language: "en", source: .recorded)
        unfinished.topics = ["magnets"]
        try manifest.upsert(unfinished)
        return manifest
    }

    func best(_ request: String) throws -> String? {
        LessonFinder(manifest: try Self.manifest(), topics: Self.retriever).find(request).first?.lesson.title.text
    }

    @Test(arguments: [
        ("play the lesson about magnets", "Magnets and compasses"),
        ("Play the lesson about magnet.", "Magnets and compasses"),
        ("cheza somo kuhusu sumaku", "Sumaku"),
        ("play the one about why the sky is blue", "Why the sky is blue"),
        ("play the lesson about gravity", "Lesson three"),
        ("why do things fall down", "Lesson three"),
        ("the lesson about a compass", "Magnets and compasses"),
        ("play rainbows", "Rainbows"),
    ])
    func aRequestFindsTheRightLesson(request: String, title: String) throws {
        #expect(try best(request) == title)
    }

    @Test func aRequestAboutNothingInTheLibraryFindsNothing() throws {
        #expect(try best("play the lesson about dinosaurs") == nil)
        #expect(try best("play the lesson") == nil)
    }

    /// Whisper's transcripts of espeak-ng's "cheza somo kuhusu sumaku" ("Te'a"; heard as Yoruba), slips that no
    /// longer name anything, and lessons no topic is about. Rescaled against the best topic's score, each of these
    /// found a lesson (lenses, the Moon's phases, mains safety, forces).
    @Test(arguments: [
        ("Te'a", "sw"), ("play the lesson about te'a", "auto"), ("play the lesson about te'a", "en"),
        ("Teasome, kufususu marku", "yo"), ("I can't get so more ku u so so maku", "en"),
        ("Play for lesson about train both.", "yo"), ("play the lesson about my nets", "en"),
        ("Playing the lesson about how I arrived Z.", "en"), ("Clean the lesson of how to clip since", "en"),
        ("play the lesson about dinosaurs", "en"), ("play the lesson about football", "en"),
        ("cheza somo kuhusu historia ya kenya", "sw"), ("cheza somo kuhusu mpira wa miguu", "sw"),
    ])
    func aGarbledOrOffTopicRequestFindsNoLesson(request: String, heard: String) throws {
        let found = LessonFinder(manifest: try Self.everyTopic(), topics: Self.retriever).find(request, language: heard)
        #expect(found.isEmpty, "found \(found.map(\.lesson.title.text))")
    }

    @Test(arguments: [
        ("play the lesson about magnets", "en", "magnets"), ("play the magnets lesson", "en", "magnets"),
        ("can you play the lesson on friction", "en", "friction"),
        ("i want to listen to the lesson about rainbows", "en", "rainbows"),
        ("play the one about why the sky is blue", "en", "sky-blue"),
        ("play the lesson about floating and sinking", "en", "floating-and-sinking"),
        ("play the lesson about magnet", "en", "magnets"), ("play the lesson about fiction", "en", "friction"),
        ("cheza somo kuhusu sumaku", "sw", "magnets"), ("cheza somo la sumaku", "sw", "magnets"),
        ("nataka kusikiliza somo la msuguano", "sw", "friction"),
        ("cheza somo kuhusu upinde wa mvua", "sw", "rainbows"),
        ("tafadhali cheza somo kuhusu mvuto wa dunia", "sw", "gravity"),
        ("nichezee somo la saketi", "sw", "circuits"), ("Teia sōmo kufusu smaku", "sw", "magnets"),
        // Whisper's hearing of espeak-ng: stop words ("or", "in") no longer match "Keeping heat in or out".
        ("Play more or less in about tides.", "en", "tides"),
        ("Play more or less about condensation.", "en", "condensation"),
        ("Play the lesson about sound in the migration.", "en", "sound-vibrations"),
    ])
    func aRealRequestFindsItsLessonInTheLanguageHeard(request: String, heard: String, topic: String) throws {
        let finder = LessonFinder(manifest: try Self.everyTopic(), topics: Self.retriever)
        let best = finder.find(request, language: heard).first
        #expect(best?.lesson.topics == [topic], "found \(best?.lesson.title.text ?? "nothing")")
        #expect(best?.lesson.language == heard)
    }

    @Test func aSwahiliRequestFindsAnEnglishLessonThroughItsTopicAlone() throws {
        var manifest = LessonManifest()
        var lesson = Lesson(title: try LessonTitle("Lesson one"), language: "en", source: .recorded, state: .ready)
        lesson.topics = ["magnets"]
        try manifest.upsert(lesson)
        let finder = LessonFinder(manifest: manifest, topics: Self.retriever)
        let found = try #require(finder.find("cheza somo kuhusu sumaku", language: "sw").first)
        #expect(found.lesson.title.text == "Lesson one")
        #expect(found.titleScore == 0 && found.topicScore >= finder.minimumTopicConfidence)
    }

    @Test func automaticLanguageDetectionPicksEnglishOrSwahiliNotEveryIndexedLanguage() {
        #expect(Self.retriever.rankTopics("te a", language: "auto").language != "yo")
        #expect(Self.retriever.rankTopics("sumaku", language: "auto").language == "sw")
        #expect(Self.retriever.rankTopics("te a", language: "yo").language == "yo")
    }

    @Test func unfinishedRecordingsAreNotOffered() throws {
        let found = LessonFinder(manifest: try Self.manifest(), topics: Self.retriever).find("magnets again")
        #expect(!found.contains { $0.lesson.title.text == "Magnets again" })
    }

    @Test func withoutACurriculumTitlesStillMatch() throws {
        let finder = LessonFinder(manifest: try Self.manifest(), topics: nil)
        #expect(finder.find("cheza somo kuhusu sumaku").first?.lesson.title.text == "Sumaku")
        #expect(finder.find("play the lesson about gravity").isEmpty)
    }

    @Test func theRequestFrameIsNotPartOfWhatIsWanted() {
        #expect(LessonFinder.contentWords("Please play the lesson about MAGNETS!") == ["magnets"])
        #expect(LessonFinder.contentWords("Cheza somo kuhusu sumaku, tafadhali") == ["sumaku"])
    }
}
