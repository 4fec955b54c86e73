import Foundation
import Testing

@testable import Tutor

/// A throwaway `Curriculum/` folder in the temporary directory, with a two-topic `topics.tsv`.
struct ScratchCurriculum {
    static let topicList = "# id\tarea\ttitle\nsky-blue\tlight\tWhy the sky is blue\nred-sunset\tlight\tRed sunsets\n"

    let base: URL
    var root: URL { base.appendingPathComponent("Curriculum", isDirectory: true) }

    init(topicList: String = Self.topicList) throws {
        base = FileManager.default.temporaryDirectory.appendingPathComponent("curriculum-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data(topicList.utf8).write(to: root.appendingPathComponent("topics.tsv"))
    }

    func write(_ relativePath: String, _ text: String) throws {
        let url = root.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func load() -> (Curriculum, [String]) {
        let (curriculum, errors) = CurriculumLoader(root: root).loadCollectingErrors()
        return (curriculum, errors.map(\.description))
    }

    func remove() {
        try? FileManager.default.removeItem(at: base)
    }
}

/// A valid English file; the line numbers below are relied on by the tests.
let validEnglish = """
    # Why the sky is blue
    topic: sky-blue
    language: en
    title: Why the sky is blue
    ask: why is the sky blue
    ask: what makes the sky blue
    ask: why the sky is blue colour
    ask: how come the sky is blue
    misheard: why is the sky blew
    answer: Sunlight is a mix of all the colours.
        Air scatters blue light the most, so the sky looks blue.
    why: Blue light has shorter waves.
    more: On the Moon the sky is black.
    simpler: Air spreads blue light all over the sky.
    experiment: Shine a torch through water with a little milk.
    term: sunlight
    term: scatter
    misconception: The sky reflects the sea.
    safety: Never look at the Sun.
    related: red-sunset

    """

/// `validEnglish` with line `number` (1-based) replaced by `lines` (none to delete it).
func editing(_ text: String, line number: Int, to lines: [String]) -> String {
    var all = text.components(separatedBy: "\n")
    all.replaceSubrange((number - 1)...(number - 1), with: lines)
    return all.joined(separator: "\n")
}

/// The errors from loading one English `sky-blue` file with line `number` replaced by `lines`.
func errorsAfterEditing(line number: Int, to lines: [String], path: String = "en/sky-blue.txt") throws -> [String] {
    let scratch = try ScratchCurriculum()
    defer { scratch.remove() }
    try scratch.write(path, editing(validEnglish, line: number, to: lines))
    return scratch.load().1
}

@Suite struct CurriculumLoaderTests {
    @Test func aValidFileRoundTripsEveryField() throws {
        let scratch = try ScratchCurriculum()
        defer { scratch.remove() }
        try scratch.write("en/sky-blue.txt", validEnglish)
        let (curriculum, errors) = scratch.load()
        #expect(errors == [])
        let topic = try #require(curriculum.topic("sky-blue", language: "en"))
        #expect(
            topic
                == CurriculumTopic(
                    id: "sky-blue", language: "en", title: "Why the sky is blue",
                    asks: [
                        "why is the sky blue", "what makes the sky blue", "why the sky is blue colour",
                        "how come the sky is blue",
                    ],
                    misheard: ["why is the sky blew"],
                    answer: "Sunlight is a mix of all the colours. "
                        + "Air scatters blue light the most, so the sky looks blue.",
                    why: "Blue light has shorter waves.", more: "On the Moon the sky is black.",
                    simpler: "Air spreads blue light all over the sky.",
                    experiment: "Shine a torch through water with a little milk.", terms: ["sunlight", "scatter"],
                    misconceptions: ["The sky reflects the sea."], safety: "Never look at the Sun.",
                    related: ["red-sunset"], review: nil, sourcePath: "Curriculum/en/sky-blue.txt"))
        #expect(curriculum.topics(in: "en").map(\.id) == ["sky-blue"])
        #expect(curriculum.summary == "2 topics listed; written: en 1")
    }

    @Test func aTranslationKeepsItsReviewLine() throws {
        let scratch = try ScratchCurriculum()
        defer { scratch.remove() }
        let swahili =
            editing(validEnglish, line: 3, to: ["language: sw"]) + "review: awaiting review by a native speaker\n"
        try scratch.write("sw/sky-blue.txt", swahili)
        let (curriculum, errors) = scratch.load()
        #expect(errors == [])
        #expect(curriculum.topic("sky-blue", language: "sw")?.review == "awaiting review by a native speaker")
    }

    @Test func windowsLineEndingsAndAByteOrderMarkAreAccepted() throws {
        let scratch = try ScratchCurriculum()
        defer { scratch.remove() }
        try scratch.write("en/sky-blue.txt", "\u{FEFF}" + validEnglish.replacingOccurrences(of: "\n", with: "\r\n"))
        let (curriculum, errors) = scratch.load()
        #expect(errors == [])
        #expect(curriculum.topic("sky-blue", language: "en")?.answer.hasSuffix("looks blue.") == true)
    }

    @Test func anUnknownKeyIsReportedWithItsLineAndTheKeysExpected() throws {
        let errors = try errorsAfterEditing(line: 13, to: ["anser: On the Moon the sky is black."])
        #expect(
            errors == [
                "Curriculum/en/sky-blue.txt:1: missing required key 'more'",
                "Curriculum/en/sky-blue.txt:13: unknown key 'anser' (expected one of: topic, language, title, ask, "
                    + "misheard, answer, why, more, simpler, experiment, term, misconception, safety, related, review, "
                    + "quiz)",
            ])
    }

    @Test func aMissingRequiredKeyIsReported() throws {
        let errors = try errorsAfterEditing(line: 12, to: [])
        #expect(errors == ["Curriculum/en/sky-blue.txt:1: missing required key 'why'"])
    }

    @Test func aRepeatedOnceOnlyKeyPointsAtTheRepeat() throws {
        let errors = try errorsAfterEditing(line: 4, to: ["title: Why the sky is blue", "title: Blue sky"])
        #expect(errors == ["Curriculum/en/sky-blue.txt:5: key 'title' may appear only once (first given on line 4)"])
    }

    @Test func aContinuationLineWithNothingBeforeItIsReported() throws {
        let errors = try errorsAfterEditing(line: 1, to: ["# Why the sky is blue", "    stray words"])
        #expect(
            errors == [
                "Curriculum/en/sky-blue.txt:2: continuation line (four spaces) with no 'key: value' line before it"
            ])
    }

    @Test func aLineThatIsNotKeyValueIsReported() throws {
        let errors = try errorsAfterEditing(line: 13, to: ["more: On the Moon the sky is black.", "  the end"])
        #expect(
            errors == [
                "Curriculum/en/sky-blue.txt:14: expected 'key: value', a comment, or a line starting with four spaces; "
                    + "found '  the end'"
            ])
    }

    @Test func aTopicThatDoesNotMatchTheFileNameIsReported() throws {
        let errors = try errorsAfterEditing(line: 2, to: ["topic: red-sunset"])
        #expect(
            errors == [
                "Curriculum/en/sky-blue.txt:2: topic 'red-sunset' does not match the file name (expected 'sky-blue')"
            ])
    }

    @Test func aLanguageThatDoesNotMatchTheFolderIsReported() throws {
        let errors = try errorsAfterEditing(line: 3, to: ["language: sw"])
        #expect(
            errors == ["Curriculum/en/sky-blue.txt:3: language 'sw' does not match the folder name (expected 'en')"])
    }

    @Test func aTopicNotInTheTopicListIsReported() throws {
        let errors = try errorsAfterEditing(line: 2, to: ["topic: moon-cheese"], path: "en/moon-cheese.txt")
        #expect(errors == ["Curriculum/en/moon-cheese.txt:2: topic 'moon-cheese' is not listed in topics.tsv"])
    }

    @Test func aTermMissingFromTheAnswerIsReported() throws {
        let errors = try errorsAfterEditing(line: 17, to: ["term: rainbow"])
        #expect(errors == ["Curriculum/en/sky-blue.txt:17: term 'rainbow' does not appear in the answer"])
    }

    @Test func tooFewAskLinesAreReported() throws {
        let errors = try errorsAfterEditing(line: 8, to: [])
        #expect(errors == ["Curriculum/en/sky-blue.txt:7: found 3 'ask' lines, expected at least 4"])
    }

    @Test func tooManyTermLinesPointAtTheFirstOneOverTheLimit() throws {
        let errors = try errorsAfterEditing(
            line: 17, to: ["term: scatter", "term: blue", "term: sky", "term: air", "term: colours"])
        #expect(errors == ["Curriculum/en/sky-blue.txt:21: found 6 'term' lines, expected 2 to 5"])
    }

    @Test func anEnglishFileWithoutAMisheardLineIsReported() throws {
        let errors = try errorsAfterEditing(line: 9, to: [])
        #expect(errors == ["Curriculum/en/sky-blue.txt:1: found 0 'misheard' lines, expected at least 1"])
    }

    @Test func anUnknownRelatedTopicIsReported() throws {
        let errors = try errorsAfterEditing(line: 20, to: ["related: green-moon"])
        #expect(errors == ["Curriculum/en/sky-blue.txt:20: related topic 'green-moon' is not listed in topics.tsv"])
    }

    @Test func aTranslationWithoutAReviewLineIsReported() throws {
        let errors = try errorsAfterEditing(line: 3, to: ["language: sw"], path: "sw/sky-blue.txt")
        #expect(
            errors == [
                "Curriculum/sw/sky-blue.txt:1: missing 'review: awaiting review by a native speaker' "
                    + "(required in every language except en)"
            ])
    }

    @Test func aReviewLineWithOtherWordsIsReported() throws {
        let errors = try errorsAfterEditing(
            line: 3, to: ["language: sw", "review: done"], path: "sw/sky-blue.txt")
        #expect(
            errors == [
                "Curriculum/sw/sky-blue.txt:4: review is 'done', expected 'awaiting review by a native speaker'"
            ])
    }

    @Test func anEmptyValueIsReported() throws {
        let errors = try errorsAfterEditing(line: 12, to: ["why:"])
        #expect(errors == ["Curriculum/en/sky-blue.txt:12: key 'why' has an empty value"])
    }

    @Test func everyErrorOfAFileIsReportedInLineOrder() throws {
        var text = editing(validEnglish, line: 17, to: ["term: rainbow"])
        text = editing(text, line: 13, to: ["mor: On the Moon the sky is black."])
        text = editing(text, line: 3, to: ["language: english"])
        let scratch = try ScratchCurriculum()
        defer { scratch.remove() }
        try scratch.write("en/sky-blue.txt", text)
        let (curriculum, errors) = scratch.load()
        #expect(
            errors.map { $0.split(separator: ":").prefix(2).joined(separator: ":") } == [
                "Curriculum/en/sky-blue.txt:1", "Curriculum/en/sky-blue.txt:3", "Curriculum/en/sky-blue.txt:13",
                "Curriculum/en/sky-blue.txt:17",
            ])
        #expect(curriculum.topic("sky-blue", language: "en") == nil)
    }

    @Test func errorsFromEveryFileAreCollectedAndValidFilesStillLoad() throws {
        let scratch = try ScratchCurriculum()
        defer { scratch.remove() }
        try scratch.write("en/sky-blue.txt", editing(validEnglish, line: 12, to: ["why:"]))
        try scratch.write("sw/sky-blue.txt", editing(validEnglish, line: 3, to: ["language: sw"]))
        let redSunset = editing(validEnglish, line: 2, to: ["topic: red-sunset"])
        try scratch.write("en/red-sunset.txt", editing(redSunset, line: 20, to: ["related: sky-blue"]))
        let (curriculum, errors) = scratch.load()
        #expect(errors.count == 2)
        #expect(errors.first?.hasPrefix("Curriculum/en/sky-blue.txt:12:") == true)
        #expect(errors.last?.hasPrefix("Curriculum/sw/sky-blue.txt:1:") == true)
        #expect(curriculum.topic("red-sunset", language: "en") != nil)
        #expect(throws: CurriculumLoadFailure.self) { try CurriculumLoader(root: scratch.root).load() }
    }

    @Test func anUnknownLanguageFolderIsReported() throws {
        let errors = try errorsAfterEditing(line: 3, to: ["language: fr"], path: "fr/sky-blue.txt")
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("Curriculum/fr:1: unknown language folder 'fr'") == true)
    }

    @Test func aMalformedTopicListLineIsReported() throws {
        let scratch = try ScratchCurriculum(topicList: ScratchCurriculum.topicList + "lasers light\n")
        defer { scratch.remove() }
        let (curriculum, errors) = scratch.load()
        #expect(errors == ["Curriculum/topics.tsv:4: bad topic list line: expected 3 tab-separated columns, found 1"])
        #expect(curriculum.listing.map(\.id) == ["sky-blue", "red-sunset"])
    }

    @Test func coverageListsTheFilesStillToWriteWithoutFailingTheLoad() throws {
        let scratch = try ScratchCurriculum()
        defer { scratch.remove() }
        try scratch.write("en/sky-blue.txt", validEnglish)
        let (curriculum, errors) = scratch.load()
        #expect(errors == [])
        let coverage = curriculum.coverage(languages: ["en", "sw"])
        #expect(!coverage.isComplete)
        #expect(coverage.completeIDs == [])
        #expect(coverage.missing.map(\.description) == ["sw/sky-blue.txt", "en/red-sunset.txt", "sw/red-sunset.txt"])
    }
}

/// Errors in the six core-topic languages name the file and line like any other, with the text as written.
@Suite struct CoreLanguageFileErrorTests {
    /// A valid Yoruba `sky-blue` file; line numbers below are relied on.
    static let validYoruba = """
        topic: sky-blue
        language: yo
        title: Kí ló dé tí ojú ọ̀run fi jẹ́ aró
        ask: kí ló dé tí ojú ọ̀run fi jẹ́ aró
        ask: kí ló ń mú kí ojú ọ̀run ní àwọ̀ búlúù
        ask: kí ló dé tí ojú ọ̀run kò fi funfun
        ask: ta ló kun ojú ọ̀run ní aró
        answer: Afẹ́fẹ́ ń fọ́n ìmọ́lẹ̀ aró ká ju ìmọ́lẹ̀ pupa lọ.
        why: Ìmọ́lẹ̀ aró ní ìgbì tí ó kúrú.
        more: Lórí òṣùpá, ojú ọ̀run dúdú.
        simpler: Afẹ́fẹ́ ń fọ́n aró ká.
        experiment: Tan tọ́ọ̀ṣì gba inú omi tí mílíìkì wà.
        term: fọ́n
        term: aró
        misconception: Ojú ọ̀run jẹ́ aró nítorí pé ó ń fi òkun hàn.
        review: awaiting review by a native speaker

        """

    func errors(_ path: String, _ text: String) throws -> [String] {
        let scratch = try ScratchCurriculum()
        defer { scratch.remove() }
        try scratch.write(path, text)
        return scratch.load().1
    }

    @Test func aValidYorubaFileLoadsWithItsMarksIntact() throws {
        let scratch = try ScratchCurriculum()
        defer { scratch.remove() }
        try scratch.write("yo/sky-blue.txt", Self.validYoruba)
        let (curriculum, errors) = scratch.load()
        #expect(errors == [])
        #expect(curriculum.topic("sky-blue", language: "yo")?.terms == ["fọ́n", "aró"])
    }

    @Test func anUnknownKeyInAYorubaFileGivesFileAndLine() throws {
        let text = editing(Self.validYoruba, line: 9, to: ["ìdí: Ìmọ́lẹ̀ aró ní ìgbì tí ó kúrú."])
        let found = try errors("yo/sky-blue.txt", text)
        #expect(found.first == "Curriculum/yo/sky-blue.txt:1: missing required key 'why'")
        #expect(
            found.last?.hasPrefix("Curriculum/yo/sky-blue.txt:9: unknown key 'ìdí' (expected one of: topic,") == true)
    }

    @Test func aMalformedLineInAnUrduFileGivesFileLineAndTheLineAsWritten() throws {
        let urdu = editing(Self.validYoruba, line: 2, to: ["language: ur"])
        let text = editing(urdu, line: 11, to: ["simpler: ہوا نیلا رنگ بکھیرتی ہے۔", "  ہوا نیلی نہیں ہے"])
        let found = try errors("ur/sky-blue.txt", text)
        #expect(
            found == [
                "Curriculum/ur/sky-blue.txt:12: expected 'key: value', a comment, or a line starting with four spaces; "
                    + "found '  ہوا نیلی نہیں ہے'"
            ])
    }

    @Test func aHindiTermMissingFromTheAnswerIsReportedAtItsLine() throws {
        let hindi = editing(Self.validYoruba, line: 2, to: ["language: hi"])
        let text = editing(hindi, line: 13, to: ["term: बिखेरती"])
        let found = try errors("hi/sky-blue.txt", text)
        #expect(found == ["Curriculum/hi/sky-blue.txt:13: term 'बिखेरती' does not appear in the answer"])
    }

    @Test func aZuluFileWithoutTheReviewLineIsReported() throws {
        let zulu = editing(Self.validYoruba, line: 2, to: ["language: zu"])
        let found = try errors("zu/sky-blue.txt", editing(zulu, line: 16, to: []))
        #expect(
            found == [
                "Curriculum/zu/sky-blue.txt:1: missing 'review: awaiting review by a native speaker' "
                    + "(required in every language except en)"
            ])
    }
}
