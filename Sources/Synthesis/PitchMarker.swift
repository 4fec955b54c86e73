import Foundation

/// Pitch marks for a recording, as TD-PSOLA needs them: one at the main peak of every glottal period where the
/// speech is voiced (found by normalized autocorrelation in 40 ms windows every 10 ms), and at a fixed spacing
/// where it is not.
public struct PitchMarker: Sendable {
    public var sampleRateHz: Int
    /// The pitch range searched, Hz.
    public var lowestPitchHz = 60.0
    public var highestPitchHz = 400.0
    /// Autocorrelation peak above which a frame is voiced.
    public var voicingThreshold: Float = 0.55
    /// Frames this far below the loudest are silence (unvoiced), dB.
    public var silenceDecibels: Float = 40

    public init(sampleRateHz: Int) { self.sampleRateHz = sampleRateHz }

    var hop: Int { sampleRateHz / 100 }

    /// Pitch per 10 ms frame, Hz (0 where unvoiced).
    public func pitchTrack(_ samples: [Float]) -> [Double] {
        let window = sampleRateHz / 25
        let minLag = Int(Double(sampleRateHz) / highestPitchHz)
        let maxLag = Int(Double(sampleRateHz) / lowestPitchHz)
        let frames = samples.count / hop
        var energies = [Float](repeating: 0, count: frames)
        samples.withUnsafeBufferPointer { x in
            for frame in 0..<frames {
                var sum: Float = 0
                for n in (frame * hop)..<min(samples.count, frame * hop + window) { sum += x[n] * x[n] }
                energies[frame] = sum
            }
        }
        let loudest = energies.max() ?? 0
        let floor = loudest * powf(10, -silenceDecibels / 10)
        var track = [Double](repeating: 0, count: frames)
        samples.withUnsafeBufferPointer { x in
            for frame in 0..<frames where energies[frame] > floor && energies[frame] > 0 {
                let start = frame * hop
                guard start + window + maxLag <= x.count else { break }
                var best: Float = 0
                var bestLag = 0
                var correlations = [Float](repeating: 0, count: maxLag + 2)
                for lag in minLag...maxLag {
                    var product: Float = 0
                    var shifted: Float = 0
                    for n in start..<(start + window) {
                        product += x[n] * x[n + lag]
                        shifted += x[n + lag] * x[n + lag]
                    }
                    let r = product / (energies[frame] * shifted).squareRoot().nextUp
                    correlations[lag] = r
                    if r > best {
                        best = r
                        bestLag = lag
                    }
                }
                guard best > voicingThreshold else { continue }
                // Prefer the shortest lag nearly as good (avoids picking twice the period).
                for lag in minLag..<bestLag
                where correlations[lag] > 0.9 * best
                    && correlations[lag] >= correlations[lag - 1] && correlations[lag] >= correlations[lag + 1]
                {
                    bestLag = lag
                    break
                }
                track[frame] = Double(sampleRateHz) / Double(bestLag)
            }
        }
        // A lone voiced frame between unvoiced ones is noise.
        for frame in track.indices.dropFirst().dropLast()
        where track[frame] > 0 && track[frame - 1] == 0 && track[frame + 1] == 0 {
            track[frame] = 0
        }
        return track
    }

    /// Marks (sample positions, increasing) over the whole recording; unvoiced stretches get one every
    /// `unvoicedSpacing` samples.
    public func marks(_ samples: [Float], track: [Double], unvoicedSpacing: Int) -> [Int] {
        guard !samples.isEmpty else { return [] }
        func pitch(at sample: Int) -> Double {
            let frame = min(track.count - 1, max(0, sample / hop - 1))
            return track.isEmpty ? 0 : track[frame]
        }
        // The polarity of the main peaks: the sign of the larger excursion over the voiced frames.
        var positive: Float = 0
        var negative: Float = 0
        for (frame, hz) in track.enumerated() where hz > 0 {
            for n in (frame * hop)..<min(samples.count, (frame + 1) * hop) {
                positive = max(positive, samples[n])
                negative = max(negative, -samples[n])
            }
        }
        let sign: Float = positive >= negative ? 1 : -1
        var marks: [Int] = []
        var position = 0
        var previousVoiced = false
        while position < samples.count {
            let hz = pitch(at: position)
            guard hz > 0 else {
                marks.append(position)
                position += unvoicedSpacing
                previousVoiced = false
                continue
            }
            let period = Double(sampleRateHz) / hz
            // The main peak in the next period's search span; a fresh voiced run searches one whole period.
            var from = position
            var to = position + Int(period)
            if previousVoiced, let last = marks.last {
                from = last + Int(0.7 * period)
                to = last + Int(1.3 * period)
            }
            to = min(samples.count - 1, to)
            guard from <= to else { break }
            var best = from
            for n in from...to where sign * samples[n] > sign * samples[best] { best = n }
            if let last = marks.last, best <= last { best = min(samples.count - 1, last + max(1, Int(period))) }
            if let last = marks.last, best <= last { break }
            marks.append(best)
            position = best + Int(0.7 * period)
            previousVoiced = true
        }
        return marks
    }
}
