// The small operations of a transformer layer, one per function, over caller-owned Float buffers. Most are plain
// loops: cheap next to the matrix products, so each is its own reference. GELU and the encoder's softmax, which ran
// a tenth of the recognizer's time one value at a time, also have AVX-512 loops (CKernels), checked against the
// formulas in Double.
import CKernels
import Foundation

/// RMS normalization (llama): out = x / sqrt(mean(x²) + eps) * weight. `out` may be `x`'s memory.
///
/// Rounds as ggml's `rms_norm` followed by `mul` do: the squares summed in Double, the mean and the scale in Float,
/// then (x * scale) * weight. A one-ulp difference here can tip a value of the next matrix product's int8
/// activations to the neighbouring step, which moves the logits far more than the ulp.
///
/// - Parameters:
///   - x: the input. // (n)
///   - weight: the learned gain. // (n)
///   - out: the output. // (n)
public func rmsNorm(
    _ x: UnsafeBufferPointer<Float>, weight: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Float>,
    epsilon: Float
) {
    let n = x.count
    var sumOfSquares: Double = 0
    for i in 0..<n { sumOfSquares += Double(x[i] * x[i]) }
    let mean = Float(sumOfSquares / Double(n))
    let scale = 1 / (mean + epsilon).squareRoot()
    for i in 0..<n { out[i] = x[i] * scale * weight[i] }
}

/// Layer normalization (Whisper): out = (x - mean) / sqrt(variance + eps) * weight + bias. `out` may be `x`'s memory.
///
/// - Parameters:
///   - x: the input. // (n)
///   - weight: the learned gain. // (n)
///   - bias: the learned offset. // (n)
///   - out: the output. // (n)
public func layerNorm(
    _ x: UnsafeBufferPointer<Float>, weight: UnsafeBufferPointer<Float>, bias: UnsafeBufferPointer<Float>,
    into out: UnsafeMutableBufferPointer<Float>, epsilon: Float
) {
    let n = x.count
    var sum: Float = 0
    for i in 0..<n { sum += x[i] }
    let mean = sum / Float(n)
    var sumOfSquares: Float = 0
    for i in 0..<n { sumOfSquares += (x[i] - mean) * (x[i] - mean) }
    let scale = 1 / (sumOfSquares / Float(n) + epsilon).squareRoot()
    for i in 0..<n { out[i] = (x[i] - mean) * scale * weight[i] + bias[i] }
}

/// Whether `softmaxVectorized` and `gelu` run CKernels' AVX-512 loops (with ggml's vectorized exp).
let hasVectorExp = bestSiLUKernel == .avx512

/// Softmax in place, subtracting the maximum first so that large logits do not overflow; `exp` one value at a time
/// (the language model's attention rounds this way). // x: (n)
public func softmax(_ x: UnsafeMutableBufferPointer<Float>) {
    guard !x.isEmpty else { return }
    var maximum = x[0]
    for i in 1..<x.count { maximum = max(maximum, x[i]) }
    var sum: Float = 0
    for i in 0..<x.count {
        x[i] = exp(x[i] - maximum)
        sum += x[i]
    }
    for i in 0..<x.count { x[i] /= sum }
}

/// `softmax` with AVX-512, 16 at a time through ggml's vectorized exp (as whisper.cpp's softmax), where the CPU has
/// it: the recognizer's encoder, which spends a tenth of its time here. Results differ from `softmax` in the last
/// bits. // x: (n)
public func softmaxVectorized(_ x: UnsafeMutableBufferPointer<Float>) {
    guard hasVectorExp, let base = x.baseAddress else {
        softmax(x)
        return
    }
    ck_softmax_avx512(base, Int32(x.count))
}

/// GELU in place, exact form (Whisper, PyTorch's default): x/2 (1 + erf(x / √2)). // x: (n)
///
/// With AVX-512, 16 at a time through an erfc fit good to 1.2e-7 (CKernels' `ck_gelu_avx512`); otherwise `erf`.
public func gelu(_ x: UnsafeMutableBufferPointer<Float>) {
    if hasVectorExp, let base = x.baseAddress {
        ck_gelu_avx512(base, Int32(x.count))
        return
    }
    geluReference(x)
}

/// `gelu` through the C library's `erf`, one value at a time (the reference, and the path without AVX-512).
func geluReference(_ x: UnsafeMutableBufferPointer<Float>) {
    for i in 0..<x.count { x[i] = 0.5 * x[i] * (1 + erf(x[i] * Float(0.5).squareRoot())) }
}

/// GELU in place, tanh approximation (ggml's default `ggml_gelu`): x/2 (1 + tanh(√(2/π) (x + 0.044715 x³))).
public func geluTanh(_ x: UnsafeMutableBufferPointer<Float>) {
    let c = (2 / Float.pi).squareRoot()
    for i in 0..<x.count {
        let v = x[i]
        x[i] = 0.5 * v * (1 + tanh(c * (v + 0.044715 * v * v * v)))
    }
}

/// Elementwise sum: out = a + b. `out` may be `a`'s or `b`'s memory. // a, b, out: (n)
public func add(
    _ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Float>
) {
    for i in 0..<a.count { out[i] = a[i] + b[i] }
}

/// Elementwise product: out = a * b. `out` may be `a`'s or `b`'s memory. // a, b, out: (n)
public func multiply(
    _ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Float>
) {
    for i in 0..<a.count { out[i] = a[i] * b[i] }
}

/// The index of the largest value (the first one on ties); nil when empty. // x: (n)
public func argmax(_ x: UnsafeBufferPointer<Float>) -> Int? {
    guard !x.isEmpty else { return nil }
    var best = 0
    for i in 1..<x.count where x[i] > x[best] { best = i }
    return best
}

/// Which dimensions RoPE rotates together.
public enum RopeStyle: Sendable {
    /// Adjacent pairs (2i, 2i + 1): ggml's default mode, used by llama-architecture GGUF files (SmolLM2, Llama),
    /// whose converter permuted the q and k weights from Hugging Face's half-split order into this one.
    case normal
    /// Pairs (i, i + d/2): GPT-NeoX's order, used by Qwen2, Gemma, Phi and Hugging Face's own `rotate_half`.
    case neox
}

/// How rotary position embedding is applied.
public struct RopeOptions: Sendable, Equatable {
    /// θ's base: pair i of d rotated dimensions turns by position * base^(-2i/d) radians. Llama 2: 10 000;
    /// SmolLM2-135M: 100 000 (read it from the GGUF's `rope.freq_base`).
    public var base: Float = 10_000
    /// Which dimensions form pairs.
    public var style: RopeStyle = .normal
    /// How many leading dimensions of each head rotate (nil: all of them); the rest pass through.
    public var rotaryDimensionCount: Int? = nil
    /// Linear position scaling: positions are multiplied by this (GGUF's `rope.scaling.factor` is its inverse).
    public var frequencyScale: Float = 1

    /// Options with llama's defaults.
    public static let `default` = RopeOptions()

    /// Options with the given base and style.
    public init(
        base: Float = 10_000, style: RopeStyle = .normal, rotaryDimensionCount: Int? = nil,
        frequencyScale: Float = 1
    ) {
        self.base = base
        self.style = style
        self.rotaryDimensionCount = rotaryDimensionCount
        self.frequencyScale = frequencyScale
    }
}

/// Rotary position embedding in place, for every head of one token at `position`.
///
/// - Parameters:
///   - x: queries or keys of one token. // (heads, headDim)
public func rope(
    _ x: UnsafeMutableBufferPointer<Float>, heads: Int, headDim: Int, position: Int, options: RopeOptions = .default
) {
    let rotated = options.rotaryDimensionCount ?? headDim
    precondition(rotated % 2 == 0 && rotated <= headDim && x.count >= heads * headDim, "rope: bad dimensions")
    let pairs = rotated / 2
    withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * max(1, pairs)) { table in  // (pairs, 2): cos, sin
        // θ in Float, each pair's from the previous one's, as ggml's rope cache computes it: the same angles to the
        // last bit, so that keys rounded to f16 in the cache round as llama.cpp's do.
        let thetaScale = pow(options.base, -2 / Float(rotated))
        var theta = Float(position)
        for i in 0..<pairs {
            table[2 * i] = cos(options.frequencyScale * theta)
            table[2 * i + 1] = sin(options.frequencyScale * theta)
            theta *= thetaScale
        }
        for h in 0..<heads {
            let head = x.baseAddress! + h * headDim
            for i in 0..<pairs {
                let (first, second) = options.style == .normal ? (2 * i, 2 * i + 1) : (i, i + pairs)
                let (c, s) = (table[2 * i], table[2 * i + 1])
                let (a, b) = (head[first], head[second])
                // One product fused, the other rounded first: what GCC makes of ggml's `x0*c - x1*s`.
                head[first] = (-(b * s)).addingProduct(a, c)
                head[second] = (b * c).addingProduct(a, s)
            }
        }
    }
}
