import Foundation
import Testing

@testable import Lessons

@Suite struct LessonScriptTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func parts(_ text: String) throws -> [LessonScriptPart] {
        try LessonScript(text: text, path: "s.md").items.map(\.part)
    }

    @Test func headingsParagraphsEmphasisSlowPassagesAndQuestionsBecomeStyledSpeechAndPauses() throws {
        let text = """
            # Magnets
            Magnets pull *iron* nails.
            They do not pull wood.

            [slow]
            Try a spoon.
            [/slow]
            ? What will it pull?
            The end. [pause 500ms] Goodbye.
            """
        #expect(
            try parts(text) == [
                .speech("Magnets", .heading), .pause(seconds: 1),
                .speech("Magnets pull", .plain), .speech("iron", .emphasis),
                .speech("nails. They do not pull wood.", .plain), .pause(seconds: 0.8),
                .speech("Try a spoon.", .slow),
                .speech("What will it pull?", .question), .pause(seconds: 5),
                .speech("The end.", .plain), .pause(seconds: 0.5), .speech("Goodbye.", .plain),
            ])
    }

    @Test func aQuestionEndingInItsOwnPauseKeepsThatPauseAndPausesDoNotAddUp() throws {
        #expect(
            try parts("? Why? [pause 8s]\n\n[pause 2s]\nYes.")
                == [.speech("Why?", .question), .pause(seconds: 8), .speech("Yes.", .plain)])
        #expect(
            try parts("Hello.\n\n\n## Next\n") == [
                .speech("Hello.", .plain), .pause(seconds: 1), .speech("Next", .heading),
            ])
    }

    @Test func itemsKeepTheLineTheyStartOn() throws {
        let script = try LessonScript(text: "% note\n# Title\n\nOne\ntwo.\n? Why?", path: "s.md")
        #expect(script.items.map(\.line) == [2, 2, 4, 6])  // no pause is kept after the last words
        #expect(script.spokenCharacterCount == "Title".count + "One two.".count + "Why?".count)
    }

    @Test(arguments: [
        ("Hello\n### Deep heading", 2, "only '#' and '##'"),
        ("#Title", 1, "'# Title'"),
        ("Say **this**.", 1, "'**'"),
        ("Say *this.", 1, "not closed on the same line"),
        ("One\ntwo [shout] three", 2, "unknown markup [shout]"),
        ("[pause 2]", 1, "needs a unit"),
        ("[pause soons]", 1, "not a positive duration"), ("[pause -2s]", 1, "not a positive duration"),
        ("[pause 500s]", 1, "longer than 120 s"),
        ("Line\n[slow]\nText", 2, "never closed"),
        ("[/slow]", 1, "without a [slow]"),
        ("[slow]\n[slow]", 2, "inside the [slow] opened on line 1"),
        ("a [slow] b", 1, "goes on a line of its own"),
        ("x\n\ny\nuse `code`", 4, "'`' is not part"),
        ("> quoted", 1, "'>' is not part"),
        ("snake_case", 1, "'_' is not part"),
        ("a ] b", 1, "']' without"),
        ("a [pause 2s", 1, "not closed with ']'"),
        ("?", 1, "none follows"),
    ])
    func unknownOrBrokenMarkupIsAnErrorWithItsLine(text: String, line: Int, reason: String) {
        #expect {
            try LessonScript(text: text, path: "lesson.md")
        } throws: { error in
            "\(error)".hasPrefix("lesson.md:\(line): ") && "\(error)".contains(reason)
        }
    }

    @Test(arguments: ["magnets-en.md", "magnets-sw.md"])
    func theCommittedSampleScriptsParseWithEveryKindOfMarkup(name: String) throws {
        let script = try LessonScript.load(Self.repository.appendingPathComponent("Lessons/\(name)"))
        var styles = Set<LessonSpeechStyle>()
        for case .speech(_, let style) in script.items.map(\.part) { styles.insert(style) }
        #expect(styles == Set(LessonSpeechStyle.allCases))
        #expect(script.items.contains { $0.part == .pause(seconds: 6) })
    }
}
