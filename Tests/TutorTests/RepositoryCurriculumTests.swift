import Foundation
import Testing

@testable import Tutor

/// The repository's own `Curriculum/` folder, found from this file's path (it is read in place, not copied).
enum RepositoryCurriculum {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // TutorTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the repository
        .appendingPathComponent("Curriculum", isDirectory: true)

    static let loaded = CurriculumLoader(root: root).loadCollectingErrors()

    /// Whether every listed topic has both an English and a Swahili file yet (the curriculum is written in halves).
    static var isFullyWritten: Bool { loaded.0.coverage(languages: ["en", "sw"]).isComplete }
}

@Suite struct RepositoryCurriculumTests {
    @Test func theRepositoryCurriculumLoadsWithoutErrors() {
        let (curriculum, errors) = RepositoryCurriculum.loaded
        #expect(errors.map(\.description) == [])
        #expect(curriculum.listing.count >= 80)
        #expect(!curriculum.topics(in: "en").isEmpty)
    }

    @Test func everyTopicWrittenInEnglishHasASwahiliTwinAndTheOtherWayRound() {
        let curriculum = RepositoryCurriculum.loaded.0
        let english = Set(curriculum.topics(in: "en").map(\.id))
        let swahili = Set(curriculum.topics(in: "sw").map(\.id))
        #expect(english.subtracting(swahili).sorted() == [], "English topics without a Swahili file")
        #expect(swahili.subtracting(english).sorted() == [], "Swahili topics without an English file")
    }

    @Test(.enabled(if: RepositoryCurriculum.isFullyWritten, "until both halves of the topic list land"))
    func everyListedTopicIsWrittenInEnglishAndSwahili() {
        let coverage = RepositoryCurriculum.loaded.0.coverage(languages: ["en", "sw"])
        #expect(coverage.isComplete, "\(coverage)")
    }

    @Test func theReadmeNamesTwentyCoreTopicsAllListedInTopicsTsv() throws {
        let readme = try String(
            contentsOf: RepositoryCurriculum.root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## The 20 core topics").last)
        let core = section.split(separator: "\n").filter { $0.hasPrefix("| `") }.map {
            String($0.dropFirst(3).prefix { $0 != "`" })
        }
        let listed = Set(RepositoryCurriculum.loaded.0.listing.map(\.id))
        #expect(core.count == 20)
        #expect(Set(core).count == 20)
        #expect(core.filter { !listed.contains($0) } == [])
    }
}
