import Testing

@testable import Lessons

@Suite struct LessonTranscriptTests {
    @Test func aTranscriptWrittenAndReadBackKeepsItsTimesAndText() throws {
        let transcript = LessonTranscript(segments: [
            .init(startSeconds: 0.3, endSeconds: 4.86, text: "Today we learn about magnets."),
            .init(startSeconds: 5.5, endSeconds: 9.25, text: "A magnet\tpulls iron."),
        ])
        let again = try LessonTranscript(tsv: transcript.tsv, path: "m.transcript.tsv")
        #expect(again.segments.map(\.startSeconds) == [0.3, 5.5])
        #expect(again.segments.map(\.endSeconds) == [4.86, 9.25])
        #expect(again.text == "Today we learn about magnets. A magnet pulls iron.")
    }

    @Test(arguments: [
        ("# start\tend\ttext\n1.0\t2.0\n", 2, "found 2 field(s)"),
        ("1.0\tsoon\thello\n", 1, "not a start and an end"),
        ("2.0\t1.0\thello\n", 1, "not a start and an end"),
        ("0\t3\ta\n2\t4\tb\n", 2, "before the previous segment ends"),
    ])
    func aBadTranscriptLineIsReportedWithFileAndLine(text: String, line: Int, reason: String) {
        #expect {
            try LessonTranscript(tsv: text, path: "t.tsv")
        } throws: { error in
            "\(error)".hasPrefix("t.tsv:\(line): ") && "\(error)".contains(reason)
        }
    }
}
