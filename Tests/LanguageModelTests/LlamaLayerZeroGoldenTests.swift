import Foundation
import Testing

@testable import Kernels
@testable import LanguageModel

/// Layer 0 of our forward pass against llama.cpp's own intermediate tensors (Golden/smollm2-layer0.tsv, written by
/// make-golden through Scripts/peers/dump-activations.cpp) on greedy prompt 1.
///
/// Every tensor of layer 0 is llama.cpp's bit for bit on a CPU with AVX-512 (the golden file's): the int8
/// activations of every matrix product (ggml's Q8_1 rounding), the q4_1 dot products' summation order, RMSNorm's
/// Double sum, RoPE's Float angles, flash attention's f16 query and running sums, and SiLU through ggml's own
/// vectorized exp (Kernels/SiLU.swift). With AVX2 alone everything up to the feed-forward activation still is; ggml's
/// AVX2 build rounds SiLU differently from the AVX-512 build that wrote the file, so from there on, float noise.
@Suite(.enabled(if: TestModels.hasSmolLM2, "needs the SmolLM2 model in the cache (run the model fetch step)"))
struct LlamaLayerZeroGoldenTests {
    /// Golden rows by tensor name: (rows, values).
    static func golden() throws -> [String: (rows: Int, values: [Float])] {
        let name = "smollm2-layer0.tsv"
        let contents = try String(contentsOf: TestModels.golden(name), encoding: .utf8)
        var tensors: [String: (Int, [Float])] = [:]
        for (index, line) in contents.split(separator: "\n").enumerated() where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t")
            guard fields.count == 3, let rows = Int(fields[1]) else {
                throw GoldenFormatError(file: name, line: index + 1)
            }
            let values = try fields[2].split(separator: " ").map { field in
                guard let value = Float(field) else { throw GoldenFormatError(file: name, line: index + 1) }
                return value
            }
            tensors[String(fields[0])] = (rows, values)
        }
        return tensors
    }

    @Test func layerZeroIsLlamaCppsBitForBitThroughTheFeedForwardBlock() throws {
        let golden = try Self.golden()
        let prompt = try #require(golden["prompt"]).values.map { Int($0) }
        let session = try LlamaModel(path: TestModels.smolLM2Path).makeSession(contextLength: 64, threadCount: 2)
        var ours: [String: [Float]] = [:]
        session.activationObserver = { name, layer, values in
            if layer == 0 { ours[name + "-0"] = Array(values) }
        }
        try session.evaluate(prompt)

        let exactlyOnAVX2 = ["attn_norm-0", "Qcur-0", "Kcur-0", "Vcur-0", "attn_out-0", "ffn_inp-0", "ffn_norm-0"]
        let feedForward: [String: Float] = ["ffn_swiglu-0": 1e-5, "l_out-0": 1e-4]
        let floatNoise = bestSiLUKernel == .avx512 && bestDotKernel.hasAVX2 ? [:] : feedForward
        for name in exactlyOnAVX2 + feedForward.keys.sorted() {
            let expected = try #require(golden[name], "\(name) missing from the golden file")
            let all = try #require(ours[name], "the forward pass reported no \(name)")
            // Last token only when the golden file keeps one row.
            let width = all.count / prompt.count
            let actual = expected.rows == 1 ? Array(all[(all.count - width)...]) : all
            #expect(actual.count == expected.values.count, "\(name): \(actual.count) values")
            let worst = zip(actual, expected.values).map { abs($0 - $1) }.max() ?? .infinity
            let scale = expected.values.map(abs).max()!
            if let tolerance = floatNoise[name] {
                #expect(worst <= tolerance * scale, "\(name): max |ours - llama.cpp| = \(worst) of \(scale)")
            } else if bestDotKernel.hasAVX2 {
                #expect(worst == 0, "\(name): max |ours - llama.cpp| = \(worst) of \(scale)")
            } else {
                #expect(worst <= 1e-5 * scale, "\(name): max |ours - llama.cpp| = \(worst) of \(scale)")
            }
        }
    }
}
