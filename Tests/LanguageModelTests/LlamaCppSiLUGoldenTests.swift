import Foundation
import Testing

@testable import Kernels

/// Our SiLU against llama.cpp's own (Golden/silu-values.tsv: ggml_silu through Scripts/peers/silu-values.cpp on one
/// row of 1,031 values, on a CPU with AVX-512, where ggml runs its 16-lane vscalefps exp and expf for the last 7).
///
/// The feed-forward block quantizes SiLU's output (times the up projection) to int8, so one ulp off ggml tips some
/// of those int8 values and moves the logits by tenths over 30 layers (LlamaGoldenForwardTests): hence bit for bit.
@Suite struct LlamaCppSiLUGoldenTests {
    /// The golden row: inputs and llama.cpp's outputs.
    static func golden() throws -> (x: [Float], y: [Float]) {
        let expected = "x<TAB>silu(x)"
        var x: [Float] = []
        var y: [Float] = []
        for row in try GoldenTokens.rows(of: "silu-values.tsv", fieldCount: 2, expected: expected) {
            guard let input = Float(row.fields[0]), let output = Float(row.fields[1]) else {
                throw GoldenFormatError(file: "silu-values.tsv", line: row.line, expected: expected)
            }
            x.append(input)
            y.append(output)
        }
        return (x, y)
    }

    /// The indices where `ours` and llama.cpp's differ in any bit, with both values, for the failure message.
    static func differences(_ ours: [Float], _ theirs: [Float], inputs: [Float]) -> [String] {
        ours.indices.filter { ours[$0].bitPattern != theirs[$0].bitPattern }.map {
            "x = \(inputs[$0]): ours \(ours[$0]), llama.cpp \(theirs[$0])"
        }
    }

    @Test func theReferenceOfGgmlsAVX512AlgorithmGivesLlamaCppsSiLUBitForBitOnAnyCPU() throws {
        let (x, y) = try Self.golden()
        #expect(x.count == 1031)
        var ours = x
        ours.withUnsafeMutableBufferPointer { siluRow($0, form: .scaledByPowerOfTwo, laneCount: 16) }
        let different = Self.differences(ours, y, inputs: x)
        #expect(different.isEmpty, "\(different.count) of \(x.count) differ: \(different.prefix(5))")
    }

    @Test func siluIsLlamaCppsBitForBitWithAVX512AndWithinAnUlpElsewhere() throws {
        let (x, y) = try Self.golden()
        var ours = x
        ours.withUnsafeMutableBufferPointer { silu($0) }
        if bestSiLUKernel == .avx512 {
            let different = Self.differences(ours, y, inputs: x)
            #expect(different.isEmpty, "\(different.count) of \(x.count) differ: \(different.prefix(5))")
        } else {
            // ggml's AVX2 and NEON builds round e^-x differently from its AVX-512 build: compare to the curve.
            for i in x.indices where abs(y[i]) > .leastNormalMagnitude {
                #expect(abs(ours[i] - y[i]) <= 2 * y[i].ulp, "x = \(x[i]): ours \(ours[i]), llama.cpp \(y[i])")
            }
        }
    }
}
