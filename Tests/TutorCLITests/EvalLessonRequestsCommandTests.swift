import Foundation
import Testing

/// `tutor eval lesson requests`: written requests found over one lesson per curriculum topic and language.
@Suite struct EvalLessonRequestsCommandTests {
    @Test func requestsAreCountedRightWrongOrNoneByKind() throws {
        let folder = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let set = folder.appendingPathComponent("requests.tsv")
        try """
        # request\theard\ttopic\tkind
        play the lesson about magnets\ten\tmagnets\tplain
        cheza somo kuhusu upinde wa mvua\tsw\trainbows\tplain
        play the lesson about magnets\ten\tfriction\tplain
        play the lesson about dinosaurs\ten\tnone\tofftopic
        Te'a\tsw\tnone\tgarbled
        """.write(to: set, atomically: true, encoding: .utf8)
        let result = try TutorProcess.run(["eval", "lesson", "requests", "--set", set.path, "--json"])
        #expect(result.status == 0, "\(result.error)")
        let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        let kinds = object?["kinds"] as? [[String: Any]] ?? []
        let plain = try #require(kinds.first { $0["kind"] as? String == "plain" })
        #expect(plain["requests"] as? Int == 3)
        #expect(plain["right"] as? Int == 2)
        #expect(plain["wrong"] as? Int == 1)
        for kind in ["offtopic", "garbled"] {
            let row = try #require(kinds.first { $0["kind"] as? String == kind })
            #expect(row["right"] as? Int == 1, "\(kind): \(result.output)")
        }
        let misses = object?["misses"] as? [[String: Any]] ?? []
        #expect(misses.count == 1)
        #expect(misses.first?["expected"] as? String == "friction")
        #expect(misses.first?["found"] as? String == "magnets")
    }

    @Test func aBadRowIsAnErrorNamingTheFileAndLine() throws {
        let folder = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let set = folder.appendingPathComponent("bad.tsv")
        for (row, message) in [
            ("play magnets\ten\tmagnets\tplain\textra", "bad.tsv:2: expected 4 tab-separated fields"),
            ("play magnets\ten\tmagnetism\tplain", "bad.tsv:2: unknown topic 'magnetism'"),
            ("play magnets\tfr\tmagnets\tplain", "bad.tsv:2: unknown heard language 'fr'"),
            ("play magnets\ten\tmagnets\tspoken", "bad.tsv:2: unknown kind 'spoken'"),
        ] {
            try "# request\theard\ttopic\tkind\n\(row)\n".write(to: set, atomically: true, encoding: .utf8)
            let result = try TutorProcess.run(["eval", "lesson", "requests", "--set", set.path])
            #expect(result.status != 0)
            #expect(result.error.contains(message), "\(result.error)")
        }
    }

    @Test func spokenRequestsAreInEnglishOrSwahili() throws {
        let result = try TutorProcess.run(["eval", "lesson", "requests", "--spoken", "yo"])
        #expect(result.status != 0)
        #expect(result.error.contains("--spoken must be en or sw (found 'yo')"), "\(result.error)")
    }
}
