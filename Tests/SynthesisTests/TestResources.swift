import Foundation
import Synthesis

/// The repository's Lexicons/ and Voices/, found from this file, and the shared model cache.
enum TestResources {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let resources = SynthesisResources(rootDirectory: repository)
    /// Whether the CMU dictionary source is in the cache (Scripts/setup fetches it).
    static let hasCMUDict = FileManager.default.fileExists(atPath: resources.cmudictSource.path)

    /// Loaded once per test run: compiling or validating the dictionary takes a moment in a debug build.
    static let english: Pronouncer? = try? Pronouncer(language: .english, resources: resources)
    static let swahili: Pronouncer? = try? Pronouncer(language: .swahili, resources: resources)

    static func pronouncer(_ language: Language) throws -> Pronouncer {
        switch language {
        case .english: if let english { return english }
        case .swahili: if let swahili { return swahili }
        default: break
        }
        return try Pronouncer(language: language, resources: resources)
    }

    static let targets = try! PhonemeTargets.load(from: resources.voiceFile("phonemes.targets"))

    /// A synthesizer built from the shared pronouncers.
    static func synthesizer(
        _ language: Language, voice: String = "kind", sampleRateHz: Int = 16_000, rate: Double = 1
    ) throws -> SpeechSynthesizer {
        var options = SpeechOptions.default
        options.sampleRateHz = sampleRateHz
        options.prosody.rate = rate
        let loaded = try Voice.load(named: voice, folder: repository.appendingPathComponent("Voices"))
        return try SpeechSynthesizer(
            pronouncer: pronouncer(language), voice: loaded, targets: targets, options: options)
    }

    /// Reads a `text<TAB>expected` golden file: (line, text, expected); `#` lines and blanks skipped.
    static func golden(_ url: URL) throws -> [(line: Int, text: String, expected: String)] {
        let content = try String(contentsOf: url, encoding: .utf8)
        var rows: [(Int, String, String)] = []
        for (index, line) in content.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            guard fields.count == 2 else {
                throw SynthesisError.invalidLine(path: url.path, line: index + 1, reason: "expected text<TAB>expected")
            }
            rows.append((index + 1, String(fields[0]), String(fields[1])))
        }
        return rows
    }

    /// Rewrites a golden file's expected column, keeping comments, when recording.
    static func record(_ url: URL, _ produce: (String) -> String) throws {
        let content = try String(contentsOf: url, encoding: .utf8)
        var lines: [String] = []
        for line in content.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty || line.hasPrefix("#") {
                lines.append(String(line))
                continue
            }
            let text = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)[0]
            lines.append(text + "\t" + produce(String(text)))
        }
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
    }

    static var recording: Bool { ProcessInfo.processInfo.environment["VOICETUTOR_RECORD_GOLDEN"] == "1" }
}
