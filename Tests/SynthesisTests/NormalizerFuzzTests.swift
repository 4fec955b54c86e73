import Foundation
import Synthesis
import Testing

/// Random physics-like text never crashes normalization or pronunciation. CrashVectors/ keeps edge inputs (one per
/// file) replayed here; none has crashed so far, and any input that ever does is added there.
@Suite struct NormalizerFuzzTests {
    static let pieces: [String] = [
        "3", "0", "9.8", "1,000", ",", ".", "-", "–", "^", "10^", "×", "x", " ", "  ", "m/s", "m/s²", "°C", "°", "%",
        "kg", "st", "nd", "th", "e.g.", "Dr.", "etc.", "k.m.", "n.k.", "wa", "ya ", "?", "!", "\"", "(", ")", "😀", "太",
        "é", "ng'", "’", "\n", "\t", "⁸", "⁻", "A", "N", "s", "word", "Mwanga", "1.", ".5", "1,2",
        "99999999999999999999", "ọ̀", "ń", "ɗ", "ƙ", "'y", "gq", "कि", "्", "ं", "ँ", "ں", "ھ", "ِ", "۔", "।", "४", "٫",
    ]

    /// A small deterministic generator so failures reproduce.
    struct Generator {
        var state: UInt64
        mutating func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
    }

    @Test(arguments: Language.allCases)
    func randomPhysicsTextNeverCrashesNormalizationOrPronunciation(language: Language) throws {
        let normalizer = TextNormalizer(language: language)
        let pronouncer = try TestResources.pronouncer(language)
        var generator = Generator(state: language == .english ? 1 : 2)
        for _ in 0..<1500 {
            let count = generator.next() % 8 + 1
            let text = (0..<count).map { _ in Self.pieces[generator.next() % Self.pieces.count] }.joined()
            let normalized = normalizer.normalize(text)
            _ = pronouncer.phrases(normalized)
        }
    }

    @Test func crashVectorsAreHandled() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("CrashVectors")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".txt") }
        #expect(!files.isEmpty)
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for language in Language.allCases {
                _ = try TestResources.pronouncer(language).phrases(TextNormalizer(language: language).normalize(text))
            }
        }
    }
}
