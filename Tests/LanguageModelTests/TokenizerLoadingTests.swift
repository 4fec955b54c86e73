import Foundation
import GGUF
import Testing

@testable import LanguageModel

/// Tokenizers read from small GGUF files written here, so no real weights are needed.
@Suite struct TokenizerLoadingTests {
    /// Writes a GGUF holding only tokenizer metadata and reads it back.
    static func file(_ metadata: [(String, GGUFValue)]) throws -> GGUFFile {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("tokenizer-\(UUID().uuidString).gguf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try GGUFWriter(path: path)
        for (key, value) in metadata { try writer.setMetadata(key, value) }
        try writer.write()
        return try GGUFFile(bytes: Data(contentsOf: URL(fileURLWithPath: path)), path: "tiny.gguf")
    }

    /// A GPT-2 vocabulary: <|endoftext|>, the 256 byte symbols, "Ġt", "he", "Ġthe".
    static func gpt2Metadata(pre: String = "smollm") -> [(String, GGUFValue)] {
        let bytes = ByteLevelEncoding.utf8ForByte.map { String(decoding: $0, as: UTF8.self) }
        let tokens = ["<|endoftext|>"] + bytes + ["Ġt", "he", "Ġthe"]
        let types = [Int32(3)] + Array(repeating: 1, count: tokens.count - 1)
        return [
            ("tokenizer.ggml.model", .string("gpt2")),
            ("tokenizer.ggml.pre", .string(pre)),
            ("tokenizer.ggml.tokens", .array(GGUFArray(strings: tokens))),
            ("tokenizer.ggml.token_type", .array(GGUFArray(int32s: types))),
            ("tokenizer.ggml.merges", .array(GGUFArray(strings: ["Ġ t", "h e", "Ġt he"]))),
            ("tokenizer.ggml.bos_token_id", .uint32(0)),
            ("tokenizer.ggml.eos_token_id", .uint32(0)),
            ("tokenizer.ggml.add_bos_token", .bool(false)),
        ]
    }

    @Test func aGPT2VocabularyInAFileBecomesAByteLevelBPETokenizer() throws {
        let tokenizer = try Tokenizer(file: Self.file(Self.gpt2Metadata()))
        let bpe = try #require(tokenizer.base as? BPETokenizer)
        #expect(bpe.preTokenizer == .smollm)
        let the = try #require(tokenizer.vocabulary.id(forText: "Ġthe"))
        #expect(tokenizer.encode(" the the") == [the, the])
        #expect(tokenizer.encode("<|endoftext|>", addSpecial: false, parseSpecial: true) == [0])
        #expect(tokenizer.decode(tokenizer.encode(" the 2 thé")) == " the 2 thé")
    }

    @Test func anUnknownPreTokenizerIsAnErrorNamingTheFileAndTheName() throws {
        let file = try Self.file(Self.gpt2Metadata(pre: "mystery"))
        #expect(throws: TokenizerError.unsupportedPreTokenizer(path: "tiny.gguf", name: "mystery")) {
            try Tokenizer(file: file)
        }
        let message = TokenizerError.unsupportedPreTokenizer(path: "tiny.gguf", name: "mystery").description
        #expect(message.hasPrefix("tiny.gguf: tokenizer.ggml.pre is 'mystery', expected one of 'gpt2'"))
    }

    @Test func anUnknownTokenizerModelIsAnError() throws {
        var metadata = Self.gpt2Metadata()
        metadata[0] = ("tokenizer.ggml.model", .string("bert"))
        let file = try Self.file(metadata)
        #expect(throws: TokenizerError.unsupportedModel(path: "tiny.gguf", model: "bert")) { try Tokenizer(file: file) }
    }

    @Test func tokenTypesOfTheWrongLengthAreAnError() throws {
        var metadata = Self.gpt2Metadata()
        metadata[3] = ("tokenizer.ggml.token_type", .array(GGUFArray(int32s: [1, 1])))
        let file = try Self.file(metadata)
        #expect(
            throws: TokenizerError.countMismatch(
                path: "tiny.gguf", key: "tokenizer.ggml.token_type", expected: 260, found: 2)
        ) { try Tokenizer(file: file) }
    }

    @Test func aSpecialIDOutsideTheVocabularyIsAnError() throws {
        var metadata = Self.gpt2Metadata()
        metadata[5] = ("tokenizer.ggml.bos_token_id", .uint32(9_999))
        let file = try Self.file(metadata)
        #expect(
            throws: TokenizerError.tokenIDOutOfRange(
                path: "tiny.gguf", key: "tokenizer.ggml.bos_token_id", id: 9_999, vocabularySize: 260)
        ) {
            try Tokenizer(file: file)
        }
    }

    @Test func missingMergesAreAnError() throws {
        let file = try Self.file(Self.gpt2Metadata().filter { $0.0 != "tokenizer.ggml.merges" })
        #expect(
            throws: TokenizerError.missingMetadata(
                path: "tiny.gguf", key: "tokenizer.ggml.merges", expected: "a string array")
        ) { try Tokenizer(file: file) }
    }

    @Test func aLlamaVocabularyWithoutScoresIsAnError() throws {
        let file = try Self.file([
            ("tokenizer.ggml.model", .string("llama")),
            ("tokenizer.ggml.tokens", .array(GGUFArray(strings: ["<unk>", "▁a"]))),
        ])
        #expect(throws: TokenizerError.self) { try Tokenizer(file: file) }
    }
}
