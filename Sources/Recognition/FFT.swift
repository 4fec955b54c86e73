import Foundation

/// A complex FFT of any length, mixed radix (4, 2 and 5 by dedicated butterflies, 3 and other primes by a direct one).
///
/// ```swift
/// let fft = ComplexFFT(count: 400)        // 400 = 4 * 4 * 5 * 5
/// fft.transform(real: &re, imaginary: &im)  // X[k] = sum_n x[n] exp(-2 pi i k n / N), in order
/// ```
///
/// A Stockham autosort, decimation in frequency: each stage of radix `p` reads `p` inputs `m = n / p` apart,
/// takes their `p`-point DFT and multiplies output `r` by `exp(-2 pi i j r / n)`; the output lands in natural
/// order with no bit reversal. Lengths with a large prime factor are slow (the butterfly is `O(p^2)`); Whisper
/// only needs 400. Precomputed tables make a transform allocation-free apart from its scratch; immutable, so one
/// instance may be shared between threads.
public struct ComplexFFT: Sendable {
    /// The transform length.
    public let count: Int
    /// The radices of the stages, in order.
    public let factors: [Int]
    // Per stage, twiddles exp(-2 pi i j r / n) for j in 0..<m, r in 0..<p, j-major. // (m, p)
    private let stageTwiddles: [(real: [Float], imaginary: [Float])]
    // Per stage, the p-th roots of unity exp(-2 pi i q / p), q in 0..<p. // (p)
    private let stageRoots: [(real: [Float], imaginary: [Float])]

    /// Plans a transform of `count` points (at least 1).
    public init(count: Int) {
        precondition(count >= 1, "an FFT needs at least one point")
        self.count = count
        var factors: [Int] = []
        var rest = count
        for radix in [4, 2, 3, 5] {
            while rest % radix == 0 {
                factors.append(radix)
                rest /= radix
            }
        }
        var prime = 7
        while rest > 1 {
            while rest % prime == 0 {
                factors.append(prime)
                rest /= prime
            }
            prime += 2
        }
        self.factors = factors
        var twiddles: [(real: [Float], imaginary: [Float])] = []
        var roots: [(real: [Float], imaginary: [Float])] = []
        var n = count
        for radix in factors {
            let m = n / radix
            var real = [Float](repeating: 0, count: m * radix)
            var imaginary = [Float](repeating: 0, count: m * radix)
            for j in 0..<m {
                for r in 0..<radix {
                    let angle = -2 * Double.pi * Double(j * r) / Double(n)
                    real[j * radix + r] = Float(cos(angle))
                    imaginary[j * radix + r] = Float(sin(angle))
                }
            }
            twiddles.append((real, imaginary))
            let angles = (0..<radix).map { -2 * Double.pi * Double($0) / Double(radix) }
            roots.append((angles.map { Float(cos($0)) }, angles.map { Float(sin($0)) }))
            n = m
        }
        stageTwiddles = twiddles
        stageRoots = roots
    }

    /// Replaces `real` + i `imaginary` (each `count` long) by its forward DFT.
    public func transform(real: inout [Float], imaginary: inout [Float]) {
        precondition(real.count == count && imaginary.count == count, "transform needs \(count) values")
        var scratchReal = [Float](repeating: 0, count: count)
        var scratchImaginary = [Float](repeating: 0, count: count)
        transform(real: &real, imaginary: &imaginary, scratchReal: &scratchReal, scratchImaginary: &scratchImaginary)
    }

    /// The forward DFT in place, using caller-owned scratch of `count` values each (no allocation).
    public func transform(
        real: inout [Float], imaginary: inout [Float], scratchReal: inout [Float], scratchImaginary: inout [Float]
    ) {
        precondition(scratchReal.count == count && scratchImaginary.count == count, "scratch needs \(count) values")
        var inputIsCaller = true
        var n = count
        var stride = 1
        for (stage, radix) in factors.enumerated() {
            let m = n / radix
            if inputIsCaller {
                pass(
                    radix: radix, m: m, stride: stride, stage: stage, fromReal: real, fromImaginary: imaginary,
                    toReal: &scratchReal, toImaginary: &scratchImaginary)
            } else {
                pass(
                    radix: radix, m: m, stride: stride, stage: stage, fromReal: scratchReal,
                    fromImaginary: scratchImaginary, toReal: &real, toImaginary: &imaginary)
            }
            inputIsCaller.toggle()
            n = m
            stride *= radix
        }
        if !inputIsCaller {
            swap(&real, &scratchReal)
            swap(&imaginary, &scratchImaginary)
        }
    }

    // One Stockham stage: x[s * (j + q m) + k] -> y[s * (p j + r) + k], the hot loop of the front end.
    private func pass(
        radix p: Int, m: Int, stride s: Int, stage: Int, fromReal xr: [Float], fromImaginary xi: [Float],
        toReal yrArray: inout [Float], toImaginary yiArray: inout [Float]
    ) {
        let twiddle = stageTwiddles[stage]
        let root = stageRoots[stage]
        xr.withUnsafeBufferPointer { xr in
            xi.withUnsafeBufferPointer { xi in
                yrArray.withUnsafeMutableBufferPointer { yr in
                    yiArray.withUnsafeMutableBufferPointer { yi in
                        twiddle.real.withUnsafeBufferPointer { wr in
                            twiddle.imaginary.withUnsafeBufferPointer { wi in
                                switch p {
                                case 4: radix4(m: m, s: s, xr, xi, yr, yi, wr, wi)
                                case 2: radix2(m: m, s: s, xr, xi, yr, yi, wr, wi)
                                case 5: radix5(m: m, s: s, xr, xi, yr, yi, wr, wi)
                                default:
                                    root.real.withUnsafeBufferPointer { rr in
                                        root.imaginary.withUnsafeBufferPointer { ri in
                                            radixGeneric(p: p, m: m, s: s, xr, xi, yr, yi, wr, wi, rr, ri)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private typealias In = UnsafeBufferPointer<Float>
    private typealias Out = UnsafeMutableBufferPointer<Float>

    private func radix2(m: Int, s: Int, _ xr: In, _ xi: In, _ yr: Out, _ yi: Out, _ wr: In, _ wi: In) {
        for j in 0..<m {
            let (w1r, w1i) = (wr[j * 2 + 1], wi[j * 2 + 1])
            for k in 0..<s {
                let a = s * j + k
                let b = a + s * m
                let (ar, ai, br, bi) = (xr[a], xi[a], xr[b], xi[b])
                let out = s * 2 * j + k
                yr[out] = ar + br
                yi[out] = ai + bi
                let (dr, di) = (ar - br, ai - bi)
                yr[out + s] = dr * w1r - di * w1i
                yi[out + s] = dr * w1i + di * w1r
            }
        }
    }

    private func radix4(m: Int, s: Int, _ xr: In, _ xi: In, _ yr: Out, _ yi: Out, _ wr: In, _ wi: In) {
        let quarter = s * m
        for j in 0..<m {
            let (w1r, w1i) = (wr[j * 4 + 1], wi[j * 4 + 1])
            let (w2r, w2i) = (wr[j * 4 + 2], wi[j * 4 + 2])
            let (w3r, w3i) = (wr[j * 4 + 3], wi[j * 4 + 3])
            for k in 0..<s {
                let i0 = s * j + k
                let (i1, i2, i3) = (i0 + quarter, i0 + 2 * quarter, i0 + 3 * quarter)
                let (t0r, t0i) = (xr[i0] + xr[i2], xi[i0] + xi[i2])
                let (t1r, t1i) = (xr[i0] - xr[i2], xi[i0] - xi[i2])
                let (t2r, t2i) = (xr[i1] + xr[i3], xi[i1] + xi[i3])
                // (x1 - x3) times -i.
                let (t3r, t3i) = (xi[i1] - xi[i3], xr[i3] - xr[i1])
                let out = s * 4 * j + k
                yr[out] = t0r + t2r
                yi[out] = t0i + t2i
                let (y1r, y1i) = (t1r + t3r, t1i + t3i)
                yr[out + s] = y1r * w1r - y1i * w1i
                yi[out + s] = y1r * w1i + y1i * w1r
                let (y2r, y2i) = (t0r - t2r, t0i - t2i)
                yr[out + 2 * s] = y2r * w2r - y2i * w2i
                yi[out + 2 * s] = y2r * w2i + y2i * w2r
                let (y3r, y3i) = (t1r - t3r, t1i - t3i)
                yr[out + 3 * s] = y3r * w3r - y3i * w3i
                yi[out + 3 * s] = y3r * w3i + y3i * w3r
            }
        }
    }

    private func radix5(m: Int, s: Int, _ xr: In, _ xi: In, _ yr: Out, _ yi: Out, _ wr: In, _ wi: In) {
        // exp(-2 pi i q / 5) = c - i s: y1 = a1 - i b1, y4 = a1 + i b1, y2 = a2 - i b2, y3 = a2 + i b2.
        let c1 = Float(cos(2 * Double.pi / 5))
        let c2 = Float(cos(4 * Double.pi / 5))
        let s1 = Float(sin(2 * Double.pi / 5))
        let s2 = Float(sin(4 * Double.pi / 5))
        let fifth = s * m
        for j in 0..<m {
            for k in 0..<s {
                let i0 = s * j + k
                let (i1, i2, i3, i4) = (i0 + fifth, i0 + 2 * fifth, i0 + 3 * fifth, i0 + 4 * fifth)
                let (t1r, t1i) = (xr[i1] + xr[i4], xi[i1] + xi[i4])
                let (t2r, t2i) = (xr[i2] + xr[i3], xi[i2] + xi[i3])
                let (t3r, t3i) = (xr[i1] - xr[i4], xi[i1] - xi[i4])
                let (t4r, t4i) = (xr[i2] - xr[i3], xi[i2] - xi[i3])
                let (a1r, a1i) = (xr[i0] + c1 * t1r + c2 * t2r, xi[i0] + c1 * t1i + c2 * t2i)
                let (a2r, a2i) = (xr[i0] + c2 * t1r + c1 * t2r, xi[i0] + c2 * t1i + c1 * t2i)
                let (b1r, b1i) = (s1 * t3r + s2 * t4r, s1 * t3i + s2 * t4i)
                let (b2r, b2i) = (s2 * t3r - s1 * t4r, s2 * t3i - s1 * t4i)
                let out = s * 5 * j + k
                yr[out] = xr[i0] + t1r + t2r
                yi[out] = xi[i0] + t1i + t2i
                let ys = (
                    (a1r + b1i, a1i - b1r), (a2r + b2i, a2i - b2r), (a2r - b2i, a2i + b2r), (a1r - b1i, a1i + b1r)
                )
                let base = j * 5
                yr[out + s] = ys.0.0 * wr[base + 1] - ys.0.1 * wi[base + 1]
                yi[out + s] = ys.0.0 * wi[base + 1] + ys.0.1 * wr[base + 1]
                yr[out + 2 * s] = ys.1.0 * wr[base + 2] - ys.1.1 * wi[base + 2]
                yi[out + 2 * s] = ys.1.0 * wi[base + 2] + ys.1.1 * wr[base + 2]
                yr[out + 3 * s] = ys.2.0 * wr[base + 3] - ys.2.1 * wi[base + 3]
                yi[out + 3 * s] = ys.2.0 * wi[base + 3] + ys.2.1 * wr[base + 3]
                yr[out + 4 * s] = ys.3.0 * wr[base + 4] - ys.3.1 * wi[base + 4]
                yi[out + 4 * s] = ys.3.0 * wi[base + 4] + ys.3.1 * wr[base + 4]
            }
        }
    }

    private func radixGeneric(
        p: Int, m: Int, s: Int, _ xr: In, _ xi: In, _ yr: Out, _ yi: Out, _ wr: In, _ wi: In, _ rr: In, _ ri: In
    ) {
        for j in 0..<m {
            for k in 0..<s {
                let base = s * j + k
                let out = s * p * j + k
                for r in 0..<p {
                    var sumR: Float = 0
                    var sumI: Float = 0
                    var root = 0  // (q * r) mod p, stepped without a division
                    for q in 0..<p {
                        let index = base + q * s * m
                        sumR += xr[index] * rr[root] - xi[index] * ri[root]
                        sumI += xr[index] * ri[root] + xi[index] * rr[root]
                        root += r
                        if root >= p { root -= p }
                    }
                    let (tr, ti) = (wr[j * p + r], wi[j * p + r])
                    yr[out + r * s] = sumR * tr - sumI * ti
                    yi[out + r * s] = sumR * ti + sumI * tr
                }
            }
        }
    }
}
