import Foundation

@testable import Audio

/// The slow, obviously correct resampler that the fast one is checked against.
///
/// Output k = sum over every input n of x[n] * h(k * in / out - n), with h the Kaiser-windowed sinc the fast
/// resampler's parameters describe, weights for each output scaled to sum to one, in Double, no buffers, no phases.
enum ReferenceResampler {
    static func resample(_ input: [Float], design: Resampler) -> [Float] {
        let up = Double(design.upFactor)
        let down = Double(design.downFactor)
        let half = Double(design.tapsPerPhase / 2)
        let cutoff = design.cutoffCyclesPerSample
        let beta = design.kaiserBeta
        let count = Int((Double(input.count) * up / down).rounded(.toNearestOrAwayFromZero))
        return (0..<count).map { k in
            let time = Double(k) * down / up
            var weights: [(index: Int, weight: Double)] = []
            // Every input within half a filter either side of the output's time, including the silence outside.
            for n in Int((time - half).rounded(.down))...Int((time + half).rounded(.up)) {
                let distance = time - Double(n)
                guard distance < half && distance >= -half else { continue }
                let x = 2 * cutoff * distance
                let sinc = x == 0 ? 1 : sin(Double.pi * x) / (Double.pi * x)
                let window = besselI0(beta * (1 - (distance / half) * (distance / half)).squareRoot()) / besselI0(beta)
                weights.append((n, 2 * cutoff * sinc * window))
            }
            let total = weights.reduce(0) { $0 + $1.weight }
            let sum = weights.reduce(0.0) { sum, item in
                let sample = item.index >= 0 && item.index < input.count ? Double(input[item.index]) : 0
                return sum + sample * item.weight / total
            }
            return Float(sum)
        }
    }

    /// I0 by its series, summed until the terms stop mattering.
    private static func besselI0(_ x: Double) -> Double {
        var sum = 0.0
        var term = 1.0
        for k in 1...200 {
            sum += term
            term *= (x / 2) * (x / 2) / Double(k * k)
        }
        return sum
    }
}
