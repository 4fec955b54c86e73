import Foundation
import Testing

@testable import TutorCore

@Suite struct ModelManifestTests {
    let hash = String(repeating: "ab", count: 32)

    @Test func parsesPackageAndJoinEntriesInOrder() throws {
        let text = """
            # comment
            a/part1\tpkg-one\t1.0\tpkg_one/p1\t\(hash)\tMIT
            a/part2\tpkg-two\t1.0\tpkg_two/p2\t\(hash)\tMIT
            a/whole\tjoin\t-\ta/part1+a/part2\t\(hash)\tMIT
            """
        let manifest = try ModelManifest.parse(text, path: "m.tsv")
        #expect(manifest.entries.count == 3)
        #expect(manifest.entries[0].source == .package(name: "pkg-one", version: "1.0", member: "pkg_one/p1"))
        #expect(manifest.entries[2].source == .join(parts: ["a/part1", "a/part2"]))
        #expect(manifest.entries[2].line == 4)
        #expect(manifest.partFiles == ["a/part1", "a/part2"])
        #expect(manifest.join(consuming: "a/part2")?.file == "a/whole")
    }

    @Test(arguments: [
        ("x\tp\t1\tm\tabc\tMIT", "sha256 'abc' is not 64 lower-case hex digits"),
        ("x\tp\t1\tm", "expected 6 tab-separated fields"),
        ("../x\tp\t1\tm\tHASH\tMIT", "must be a relative path inside the cache"),
        ("x\tp\t1\t\tHASH\tMIT", "field 'member' is empty"),
        ("x\tjoin\t-\ty+z\tHASH\tMIT", "join part 'y' is not listed on an earlier line"),
    ])
    func rejectsABadLineWithItsLineNumber(line: String, message: String) {
        let text = "# header\n" + line.replacingOccurrences(of: "HASH", with: hash)
        #expect {
            try ModelManifest.parse(text, path: "Models/manifest.tsv")
        } throws: { error in
            let description = "\(error)"
            return description.hasPrefix("Models/manifest.tsv:2: ") && description.contains(message)
        }
    }

    @Test func rejectsAFileListedTwice() {
        let line = "x\tp\t1\tm\t\(hash)\tMIT"
        #expect(
            throws: ModelStoreError.manifestInvalid(
                path: "m", line: 2, reason: "file 'x' is listed twice (first on line 1)")
        ) {
            try ModelManifest.parse(line + "\n" + line, path: "m")
        }
    }

    @Test func theCommittedManifestParsesAndNamesALicenceForEveryFile() throws {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Models/manifest.tsv")
        let manifest = try ModelManifest.load(from: url)
        #expect(manifest.entries.count >= 10)
        #expect(manifest.entries.allSatisfy { !$0.licence.isEmpty })
        #expect(manifest.entries.contains { $0.file == "models/smollm2-135m-instruct-q4_1.gguf" })
    }
}
