import Foundation
import Testing
import TutorCore

@testable import Recognition

@Suite struct FFTTests {
    /// The DFT by its definition, in Double: the obviously correct reference.
    static func slowDFT(real: [Float], imaginary: [Float]) -> (real: [Double], imaginary: [Double]) {
        let n = real.count
        var outReal = [Double](repeating: 0, count: n)
        var outImaginary = [Double](repeating: 0, count: n)
        for k in 0..<n {
            for t in 0..<n {
                let angle = -2 * Double.pi * Double((k * t) % n) / Double(n)
                outReal[k] += Double(real[t]) * cos(angle) - Double(imaginary[t]) * sin(angle)
                outImaginary[k] += Double(real[t]) * sin(angle) + Double(imaginary[t]) * cos(angle)
            }
        }
        return (outReal, outImaginary)
    }

    /// Relative to the signal's energy, Float rounding grows like log(n) * 1e-7; 1e-5 leaves a wide margin.
    @Test(arguments: [1, 2, 3, 4, 5, 7, 8, 12, 16, 25, 49, 60, 77, 100, 128, 400, 1000])
    func matchesTheSlowDFTOnRandomInput(count: Int) {
        var generator = SplitMix64(seed: UInt64(count))
        func random() -> Float { Float.random(in: -1...1, using: &generator) }
        let real = (0..<count).map { _ in random() }
        let imaginary = (0..<count).map { _ in random() }
        let expected = Self.slowDFT(real: real, imaginary: imaginary)
        var (outReal, outImaginary) = (real, imaginary)
        ComplexFFT(count: count).transform(real: &outReal, imaginary: &outImaginary)
        let scale = sqrt(Double(count))
        var largest = 0.0
        for k in 0..<count {
            largest = max(largest, abs(Double(outReal[k]) - expected.real[k]) / scale)
            largest = max(largest, abs(Double(outImaginary[k]) - expected.imaginary[k]) / scale)
        }
        #expect(largest < 1e-5, "n = \(count): largest error \(largest)")
    }

    @Test func factorsFourHundredIntoFoursAndFives() {
        #expect(ComplexFFT(count: 400).factors == [4, 4, 5, 5])
        #expect(ComplexFFT(count: 77).factors == [7, 11])
    }
}
