import Foundation
import Testing

@testable import Lessons

@Suite struct LessonManifestTests {
    static func lesson(_ title: String, topics: [String] = [], language: String = "en") throws -> Lesson {
        var lesson = Lesson(title: try LessonTitle(title), language: language, source: .recorded, state: .ready)
        lesson.topics = topics
        lesson.seconds = 61.5
        lesson.transcriptFile = lesson.defaultTranscriptFile
        return lesson
    }

    @Test func aManifestWrittenAndReadBackIsTheSame() throws {
        var manifest = LessonManifest()
        try manifest.upsert(Self.lesson("Magnets and compasses", topics: ["magnets", "compass"]))
        var rendered = Lesson(title: try LessonTitle("Sumaku"), language: "sw", source: .rendered)
        rendered.seconds = 12
        try manifest.upsert(rendered)
        let again = try LessonManifest(text: manifest.text, path: "lessons.txt")
        #expect(again == manifest)
        #expect(
            manifest.text.contains(
                "lesson Magnets and compasses\n    language en\n    audio magnets-and-compasses.flac"))
    }

    @Test func savingUnderAnExistingTitleReplacesTheLesson() throws {
        var manifest = LessonManifest()
        try manifest.upsert(Self.lesson("Magnets"))
        var again = try Self.lesson("MAGNETS")
        again.seconds = 99
        try manifest.upsert(again)
        #expect(manifest.lessons.count == 1)
        #expect(manifest.lessons[0].seconds == 99)
    }

    @Test func twoTitlesSharingOneFileAreRefused() throws {
        var manifest = LessonManifest()
        try manifest.upsert(Self.lesson("Magnets!"))
        #expect {
            try manifest.upsert(Self.lesson("Magnets?"))
        } throws: { error in
            "\(error)".contains("magnets.flac") && "\(error)".contains("\"Magnets!\"")
        }
    }

    @Test(arguments: [
        ("lesson A\n    language en\n    audio a.flac\n    state ready\n    colour red\n", 5, "unknown field 'colour'"),
        ("lesson A\n    audio a.flac\n    state ready\n", 1, "has no 'language' line"),
        ("    language en\n", 1, "before any 'lesson TITLE'"),
        ("lesson ../x\n", 1, "path character '/'"),
        ("lesson A\n    language en\n    audio ../a.flac\n", 3, "plain file name"),
        ("lesson A\n    language en\n    audio a.flac\n    state done\n", 4, "state 'done'"),
        ("lesson A\n    language en\n    language sw\n", 3, "given twice"),
        ("lesson A\n    language en\n    audio a.flac\n    state ready\n    seconds -3\n", 5, "non-negative"),
        ("lesson A\n    language en\n    audio a.flac\n    state ready\n    topics Magnets\n", 5, "not a topic id"),
        (
            "lesson A\n language en\n audio a.flac\n state ready\n# note\n\nlesson a\n language en\n audio b.flac\n"
                + " state ready\n", 7, "used twice"
        ),
        ("title A\n", 1, "expected 'lesson TITLE'"),
    ])
    func aBadManifestLineIsReportedWithFileAndLine(text: String, line: Int, reason: String) {
        #expect {
            try LessonManifest(text: text, path: "/lib/lessons.txt")
        } throws: { error in
            "\(error)".hasPrefix("/lib/lessons.txt:\(line): ") && "\(error)".contains(reason)
        }
    }

    @Test func theLibrarySavesAtomicallyAndReadsItBack() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lessons-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let library = LessonLibrary(folder: folder)
        #expect(try library.loadManifest() == LessonManifest())
        var manifest = LessonManifest()
        try manifest.upsert(Self.lesson("Light"))
        try library.save(manifest)
        #expect(try library.loadManifest() == manifest)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(leftovers == ["lessons.txt"])
        #expect(throws: LessonError.unknownLesson(title: "Heat", library: folder.standardizedFileURL.path)) {
            try library.lesson(titled: LessonTitle("Heat"), in: manifest)
        }
    }

    @Test func theDefaultFolderFollowsTheEnvironment() {
        #expect(LessonLibrary.defaultFolder(environment: ["VOICETUTOR_LESSONS": "/srv/l"]).path == "/srv/l")
        #expect(
            LessonLibrary.defaultFolder(environment: ["XDG_DATA_HOME": "/d", "HOME": "/h"]).path
                == "/d/voicetutor/lessons")
        #expect(LessonLibrary.defaultFolder(environment: ["HOME": "/h"]).path == "/h/.local/share/voicetutor/lessons")
    }
}
