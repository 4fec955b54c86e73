import Foundation
import Synthesis
import Testing

/// Replays Lexicons/<lang>/normalization.golden and pronunciation.golden; VOICETUTOR_RECORD_GOLDEN=1 rewrites them.
@Suite struct GoldenTests {
    @Test(arguments: Language.allCases)
    func normalizationMatchesTheGoldenFile(language: Language) throws {
        let url = TestResources.resources.lexiconFile(language, "normalization.golden")
        let normalizer = TextNormalizer(language: language)
        if TestResources.recording { try TestResources.record(url) { normalizer.normalize($0) } }
        let rows = try TestResources.golden(url)
        #expect(rows.count >= 20)
        for row in rows {
            let actual = normalizer.normalize(row.text)
            #expect(actual == row.expected, "\(url.lastPathComponent):\(row.line): '\(row.text)'")
        }
    }

    @Test(arguments: Language.allCases)
    func pronunciationMatchesTheGoldenFile(language: Language) throws {
        if language == .english, !TestResources.hasCMUDict { return }
        let url = TestResources.resources.lexiconFile(language, "pronunciation.golden")
        let pronouncer = try TestResources.pronouncer(language)
        func say(_ word: String) -> String { pronouncer.pronounce(word).map { formatPhones($0.phones) } ?? "" }
        if TestResources.recording { try TestResources.record(url, say) }
        let rows = try TestResources.golden(url)
        #expect(rows.count >= 10)
        for row in rows {
            #expect(say(row.text) == row.expected, "\(url.lastPathComponent):\(row.line): '\(row.text)'")
        }
    }
}
