import Foundation
import Testing
import Tutor
import TutorCore

@testable import Lessons

/// Finding a lesson from what a child says, through the real retrieval over the repository's curriculum.
@Suite struct LessonFinderTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let retriever: TopicRetriever = {
        let curriculum = CurriculumLoader(root: repository.appendingPathComponent("Curriculum")).loadCollectingErrors()
            .0
        let glossary =
            (try? GlossaryParser.load(
                lexiconsFolder: repository.appendingPathComponent("Lexicons"), languages: ["en", "sw"])) ?? .empty
        return TopicRetriever(curriculum: curriculum, glossary: glossary)
    }()

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
