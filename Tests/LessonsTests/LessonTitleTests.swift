import Testing

@testable import Lessons

@Suite struct LessonTitleTests {
    @Test func aTitleNamesItsFilesInLowerCaseWithDashes() throws {
        #expect(try LessonTitle("Magnets and Compasses!").fileStem == "magnets-and-compasses")
        #expect(try LessonTitle("  Sumaku na dira ").text == "Sumaku na dira")
        #expect(try LessonTitle("Why is the sky blue? (part 2)").fileStem == "why-is-the-sky-blue-part-2")
        #expect(try LessonTitle("Énergie: café").fileStem == "energie-cafe")
    }

    @Test(arguments: [
        ("../../etc/passwd", "path character '/'"),
        ("lessons/magnets", "path character '/'"),
        ("C:\\magnets", "path character '\\'"),
        ("..", "starts with '.'"),
        (".hidden", "starts with '.'"),
        ("", "is empty"),
        ("   ", "is empty"),
        ("tab\there", "control character U+9"),
        ("line\nbreak", "control character U+A"),
        ("?!*", "no letter or digit"),
    ])
    func titlesThatWouldEscapeOrHideInTheFolderAreRefusedSayingWhy(title: String, reason: String) {
        #expect {
            try LessonTitle(title)
        } throws: { error in
            "\(error)".contains(reason) && "\(error)".contains("lesson title")
        }
    }

    @Test func aTitleLongerThanAFileNameCanHoldIsRefused() {
        #expect(throws: LessonError.self) { try LessonTitle(String(repeating: "a", count: 101)) }
        #expect(throws: Never.self) { try LessonTitle(String(repeating: "a", count: 100)) }
    }

    @Test func titlesDifferingOnlyInCaseAreTheSameLesson() throws {
        #expect(try LessonTitle("Magnets") == LessonTitle("MAGNETS"))
    }
}
