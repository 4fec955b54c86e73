import Foundation
import Testing
import TutorCore

@testable import Synthesis

/// The pitch marks a built voice's units are cut and re-pitched at, on a vowel-like signal whose periods are known:
/// glottal pulses at 125 Hz, then quiet noise, then pulses at 200 Hz, each pulse ringing through two formants.
@Suite struct PitchMarkerTests {
    static let rate = 16_000

    /// The signal, and the sample of each pulse's largest positive excursion (where a mark belongs).
    static func vowel() -> (samples: [Float], peaks: [Int]) {
        var samples: [Float] = []
        var peaks: [Int] = []
        func voiced(hz: Double, seconds: Double) {
            let period = Int(Double(rate) / hz)
            let ring = (0..<period).map { n -> Float in
                let t = Double(n) / Double(rate)
                return Float(exp(-t * 400) * (sin(2 * .pi * 700 * t) + 0.5 * sin(2 * .pi * 1_200 * t)))
            }
            let peak = ring.indices.max { ring[$0] < ring[$1] }!
            for _ in 0..<Int(seconds * hz) {
                peaks.append(samples.count + peak)
                samples += ring.map { 0.5 * $0 }
            }
        }
        voiced(hz: 125, seconds: 0.4)
        var generator = SplitMix64(seed: 3)
        samples += (0..<(rate / 5)).map { _ in 0.002 * (Float(generator.next() % 2_001) / 1_000 - 1) }
        voiced(hz: 200, seconds: 0.3)
        return (samples, peaks)
    }

    @Test func theTrackFollowsEachStretchsPitchAndLeavesTheNoiseUnvoiced() {
        let (samples, _) = Self.vowel()
        let track = PitchMarker(sampleRateHz: Self.rate).pitchTrack(samples)
        // Frames well inside each stretch (10 ms frames of 40 ms windows).
        let first = track[2..<35].filter { $0 > 0 }
        let noise = track[44..<56]
        let second = track[64..<85].filter { $0 > 0 }
        #expect(first.count >= 30 && first.allSatisfy { abs($0 - 125) < 4 }, "\(Array(track[2..<35]))")
        #expect(noise.allSatisfy { $0 == 0 }, "noise heard as voiced: \(Array(noise))")
        #expect(second.count >= 18 && second.allSatisfy { abs($0 - 200) < 6 }, "\(Array(track[64..<85]))")
    }

    @Test func voicedMarksSitOnThePulsesAndUnvoicedOnesAreEvenlySpaced() {
        let (samples, peaks) = Self.vowel()
        let marker = PitchMarker(sampleRateHz: Self.rate)
        let marks = marker.marks(samples, track: marker.pitchTrack(samples), unvoicedSpacing: 160)
        #expect(marks == marks.sorted() && Set(marks).count == marks.count, "marks must increase")
        // Every pulse away from the stretches' edges has a mark within a millisecond.
        let inner = peaks.filter { peak in
            (800..<6_000).contains(peak) || (10_400..<(samples.count - 800)).contains(peak)
        }
        let missed = inner.filter { peak in !marks.contains { abs($0 - peak) <= 16 } }
        #expect(missed.isEmpty, "\(missed.count) of \(inner.count) pulses have no mark near them: \(missed.prefix(5))")
        // In the noise (6,400-9,600), away from the voiced windows' reach, marks come every 160 samples.
        let noiseMarks = marks.filter { (7_200..<9_000).contains($0) }
        let gaps = zip(noiseMarks.dropFirst(), noiseMarks).map { $0 - $1 }
        #expect(!gaps.isEmpty && gaps.allSatisfy { $0 == 160 }, "\(gaps)")
    }
}
