// SiLU as llama.cpp's CPU backend rounds it. The feed-forward block multiplies SiLU's output by the up projection
// and quantizes the product to int8 for the down projection: a SiLU one ulp away from ggml's tips some of those
// int8 values to the neighbouring step, and over 30 layers that moves the logits by tenths. So e^-x is ggml's
// vectorized exp (Arm's optimized-routines algorithm), in the variant ggml's build for this CPU runs, and the
// leftover elements of a row go through the C library's exp, as in ggml's scalar loop. CKernels/SiLU.c has the
// vector forms; this file has the same algorithms one value at a time: the reference they are tested against, and
// the path of CPUs without AVX2 + FMA (Arm boards, where ggml's NEON build computes the `fusedPowerOfTwo` form).
import CKernels
import Foundation

/// How ggml's vectorized exp turns e^b into e^x = 2^n e^b; the two differ in the last bit.
enum VectorExpForm: Sendable {
    /// AVX-512 F + DQ: the polynomial includes its 1, then vscalefps multiplies by 2^n with one rounding.
    case scaledByPowerOfTwo
    /// AVX2 + FMA, SSE with FMA and NEON: the polynomial p leaves the 1 out and e^x = k + k p, k = 2^n.
    case fusedPowerOfTwo
}

/// Which code computes SiLU on this CPU, mirroring the branch ggml's build for the same CPU takes.
enum SiLUKernel: Sendable {
    /// CKernels' 16-lane AVX-512 loop (`scaledByPowerOfTwo`).
    case avx512
    /// CKernels' 8-lane AVX2 loop (`fusedPowerOfTwo`).
    case avx2
    /// The Swift loop below, 4 lanes' worth at a time as ggml's NEON loop (`fusedPowerOfTwo`).
    case swift

    /// The exp variant and how many elements of a row ggml's vector loop covers at a time (the rest use expf).
    var form: VectorExpForm { self == .avx512 ? .scaledByPowerOfTwo : .fusedPowerOfTwo }
    var laneCount: Int { self == .avx512 ? 16 : self == .avx2 ? 8 : 4 }
}

/// The SiLU code this CPU runs, chosen once at run time.
let bestSiLUKernel: SiLUKernel =
    ck_cpu_has_avx512_dq() != 0 ? .avx512 : ck_cpu_has_avx2_fma() != 0 ? .avx2 : .swift

/// SiLU (swish) in place over one row: x * sigmoid(x) = x / (1 + e^-x), rounded as llama.cpp rounds it on this CPU.
///
/// A row is one token's activations: ggml runs its vector loop along each row and the scalar loop on the row's
/// last `count % lanes` values, so a batch of tokens must be passed a row at a time. // x: (n)
public func silu(_ x: UnsafeMutableBufferPointer<Float>) {
    guard let base = x.baseAddress, !x.isEmpty else { return }
    switch bestSiLUKernel {
    case .avx512: ck_silu_avx512(base, Int32(x.count))
    case .avx2: ck_silu_avx2(base, Int32(x.count))
    case .swift: siluRow(x, form: .fusedPowerOfTwo, laneCount: 4)
    }
}

/// SiLU over one row the way the ggml vector loop of `laneCount` lanes and exp variant `form` computes it, one
/// value at a time: whole groups of `laneCount` through `vectorExp`, the rest through the C library's exp.
func siluRow(_ x: UnsafeMutableBufferPointer<Float>, form: VectorExpForm, laneCount: Int) {
    let vectorCount = x.count - x.count % laneCount
    for i in 0..<vectorCount { x[i] = x[i] / (1 + vectorExp(-x[i], form: form)) }
    for i in vectorCount..<x.count { x[i] = x[i] / (1 + exp(-x[i])) }
}

/// e^x as one lane of ggml's vectorized exp computes it (about 1.5 ulp from the true value): x = n ln 2 + b with n
/// an integer, e^b by a degree-5 polynomial, scaled by 2^n. Below about -104 it is 0, above about 88.4 infinity.
func vectorExp(_ x: Float, form: VectorExpForm) -> Float {
    // Adding 1.5 * 2^23 rounds x / ln 2 to an integer held in the low mantissa bits.
    let shifter: Float = 0x1.8p23
    let shifted = shifter.addingProduct(x, 0x1.715476p+0)
    let n = shifted - shifter
    // ln 2 in two parts, the first with few enough bits that n times it is exact.
    let b = x.addingProduct(-n, 0x1.62e4p-1).addingProduct(-n, 0x1.7f7d1cp-20)
    let b2 = b * b
    let oddEven = Float(0x1.fffdb6p-2).addingProduct(0x1.555e66p-3, b)
        .addingProduct(Float(0x1.573e2ep-5).addingProduct(0x1.0e4020p-7, b), b2)
    switch form {
    case .scaledByPowerOfTwo:
        guard !n.isNaN else { return n }
        if abs(n) > 192 { return n > 0 ? .infinity : 0 }
        let p = Float(1).addingProduct(0x1.ffffecp-1, b).addingProduct(oddEven, b2)
        // vscalefps: p * 2^n rounded once. In Double the product is exact, so the conversion is that one rounding.
        return Float(Double(sign: .plus, exponent: Int(n), significand: Double(p)))
    case .fusedPowerOfTwo:
        let p = (0x1.ffffecp-1 * b).addingProduct(oddEven, b2)
        let nBits = shifted.bitPattern &<< 23
        let k = Float(bitPattern: nBits &+ Float(1).bitPattern)
        guard abs(n) > 126 else { return k.addingProduct(k, p) }
        // 2^n would leave Float's exponent range: split as s1 * s2, s1 = 2^127 (n > 0) or 2^-125 (n <= 0).
        let bias: UInt32 = n <= 0 ? 0x8200_0000 : 0
        let s1 = Float(bitPattern: bias &+ 0x7f00_0000)
        let s2 = Float(bitPattern: nBits &- bias)
        return abs(n) > 192 ? s1 * s1 : s2.addingProduct(s2, p) * s1
    }
}
