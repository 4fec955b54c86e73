import Foundation
import GGUF
import Testing

@testable import LanguageModel

/// The greedy golden file (for the forward pass) read back through our tokenizer: its prompt ids must be ours, and
/// its generated ids must decode, all at once and token by token, to llama-simple's text.
@Suite(.enabled(if: TestModels.hasSmolLM2, "needs the SmolLM2 model in the cache (run the model fetch step)"))
struct SmolLM2GreedyGoldenTests {
    struct Row {
        let prompt: String
        let promptIDs: [TokenID]
        let generatedIDs: [TokenID]
        let text: String
    }

    static func rows() throws -> [Row] {
        let expected = "escaped prompt<TAB>prompt ids<TAB>generated ids<TAB>logit margins<TAB>escaped text"
        return try GoldenTokens.rows(of: "greedy-smollm2.tsv", fieldCount: 5, expected: expected).map { row in
            let ids = { (field: Substring) in field.split(separator: " ").compactMap { TokenID($0) } }
            return Row(
                prompt: GoldenTokens.unescape(String(row.fields[0])), promptIDs: ids(row.fields[1]),
                generatedIDs: ids(row.fields[2]), text: GoldenTokens.unescape(String(row.fields[4])))
        }
    }

    @Test func theFivePromptsTokenizeToLlamaSimplesPromptIDs() throws {
        let tokenizer = try Tokenizer(file: GGUFFile(path: TestModels.smolLM2Path))
        let rows = try Self.rows()
        #expect(rows.count == 5)
        for row in rows {
            #expect(tokenizer.encode(row.prompt, addSpecial: true, parseSpecial: true) == row.promptIDs)
        }
    }

    @Test func generatedIDsDecodeToLlamaSimplesTextWholeAndTokenByToken() throws {
        let tokenizer = try Tokenizer(file: GGUFFile(path: TestModels.smolLM2Path))
        for row in try Self.rows() {
            let ids = row.generatedIDs.filter { !tokenizer.vocabulary.endOfGenerationIDs.contains($0) }
            #expect(tokenizer.decode(ids) == row.text)
            var detokenizer = IncrementalDetokenizer(tokenizer: tokenizer)
            var streamed = ""
            for id in ids { streamed += detokenizer.append(id) }
            streamed += detokenizer.finish()
            #expect(streamed == row.text)
        }
    }
}
