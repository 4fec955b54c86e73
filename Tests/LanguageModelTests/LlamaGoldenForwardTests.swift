import Foundation
import GGUF
import Testing

@testable import LanguageModel

/// Our forward pass against llama.cpp's on the real SmolLM2 file: first-step logits and greedy continuations.
///
/// The golden files come from llama.cpp's own tools (Golden/README.md). Issue 3's rule: greedy output equals
/// llama.cpp's for 32 tokens on at least four of the five prompts, and where one diverges, llama.cpp's top two
/// logits at that step are within 0.1 of each other; first-step logits agree within 0.05.
///
/// Layer by layer (Scripts/peers/dump-activations.cpp, LlamaLayerZeroGoldenTests) our tensors equal llama.cpp's bit
/// for bit through the first layer's output, SiLU included: it is computed with ggml's own vectorized exp algorithm
/// (Kernels/SiLU.swift, LlamaCppSiLUGoldenTests), whose last bit decides which way a few of the next product's int8
/// activations round. Before that, first-step logits differed by 0.22-0.37 on prompts 1-4 and greedy matched 2 of 5
/// prompts for 32 tokens; measured 2026-11-22 after it, in release: every prompt within 1e-5, and all 5 prompts equal
/// for 32 tokens. Both tests print what they measure.
///
/// A debug build decodes slowly, so there the greedy check covers the first 8 tokens; a release run
/// (`swift test -c release -Xswiftc -enable-testing --filter LlamaGoldenForwardTests`) covers all 32.
@Suite(.enabled(if: TestModels.hasSmolLM2, "needs the SmolLM2 model in the cache (run the model fetch step)"))
struct LlamaGoldenForwardTests {
    struct Row {
        var promptIDs: [Int]
        var generatedIDs: [Int]
        var margins: [Double]
    }

    #if DEBUG
    static let greedyLength = 8
    #else
    static let greedyLength = 32
    #endif

    static func greedyRows() throws -> [Row] {
        let contents = try String(contentsOf: TestModels.golden("greedy-smollm2.tsv"), encoding: .utf8)
        return contents.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            return Row(
                promptIDs: fields[1].split(separator: " ").compactMap { Int($0) },
                generatedIDs: fields[2].split(separator: " ").compactMap { Int($0) },
                margins: fields[3].split(separator: " ").compactMap { Double($0) })
        }
    }

    static let model = Result { try LlamaModel(path: TestModels.smolLM2Path) }

    @Test func firstStepLogitsPickLlamaCppsTokenAndAgreeWithinFiveHundredths() throws {
        let model = try Self.model.get()
        let contents = try String(contentsOf: TestModels.golden("smollm2-first-logits.tsv"), encoding: .utf8)
        let firstLogits = contents.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            line.split(separator: "\t").last!.split(separator: " ").map { pair in
                let parts = pair.split(separator: ":")
                return (Int(parts[0])!, Double(parts[1])!)
            }
        }
        let rows = try Self.greedyRows()
        #expect(rows.count == 5 && firstLogits.count == 5)
        var worstPerPrompt: [Double] = []
        for (row, golden) in zip(rows, firstLogits) {
            let logits = try model.makeSession(contextLength: 256).evaluate(row.promptIDs)
            let worst = golden.map { abs(Double(logits[$0.0]) - $0.1) }.max()!
            worstPerPrompt.append(worst)
            #expect(logits.indices.max { logits[$0] < logits[$1] } == golden[0].0)
        }
        #expect(worstPerPrompt.contains { $0 < 1e-3 }, "closest prompt: \(worstPerPrompt.min()!)")
        print("first-step logits, max |ours - llama.cpp| over its top 20, per prompt: \(worstPerPrompt)")
        #expect(worstPerPrompt.allSatisfy { $0 < 0.05 }, "max |ours - llama.cpp| per prompt: \(worstPerPrompt)")
    }

    @Test func greedyTokensMatchLlamaCppOnFourOfFivePromptsAndDivergeOnlyAtNearTies() throws {
        let model = try Self.model.get()
        var matching = 0
        var divergences: [(step: Int, margin: Double)] = []
        for row in try Self.greedyRows() {
            let session = model.makeSession(contextLength: 256)
            var logits = try session.evaluate(row.promptIDs)
            var ours: [Int] = []
            for _ in 0..<min(Self.greedyLength, row.generatedIDs.count) {
                let next = logits.indices.max { logits[$0] < logits[$1] }!
                ours.append(next)
                logits = try session.evaluate([next])
            }
            if let step = ours.indices.first(where: { ours[$0] != row.generatedIDs[$0] }) {
                divergences.append((step, row.margins[step]))
            } else {
                matching += 1
            }
        }
        print("greedy: \(matching) of 5 prompts equal llama.cpp's for \(Self.greedyLength) tokens; divergences: \(divergences)")
        #expect(matching >= 4, "\(matching) of 5 prompts match for \(Self.greedyLength) tokens")
        for divergence in divergences {
            #expect(
                divergence.margin < 0.1, "diverged at step \(divergence.step), llama.cpp margin \(divergence.margin)")
        }
    }
}
