import Foundation
import Testing

@testable import Recognition

/// The front end against the golden values of Scripts/golden/whisper-logmel.py (numpy, float64).
///
/// Tolerance: 1e-4 on normalized log-mel values (0.004 dB). The measured agreement is about 1e-5 (Float32 FFT and
/// filter sums against numpy's float64); a real mistake (a window, padding, frame or filter off by one) shows up
/// at 1e-2 or more.
@Suite struct LogMelTests {
    static let tolerance: Float = 1e-4

    @Test func theTestSignalMatchesTheScriptsSignal() throws {
        let golden = try GoldenLogMel.load()
        let sum = GoldenLogMel.testSignal().reduce(0.0) { $0 + Double($1) }
        #expect(abs(sum - golden.signalSum) < 1e-6)
    }

    @Test func slaneyFiltersMatchTheNumpyFilters() throws {
        let golden = try GoldenLogMel.load()
        let filters = MelFilterBank.whisper
        #expect(filters.melCount == 80 && filters.frequencyCount == 201)
        for (mel, row) in golden.filterRows {
            for bin in 0..<201 {
                let ours = filters.weights[mel * 201 + bin]
                #expect(abs(ours - row[bin]) <= 1e-7 + 1e-6 * abs(row[bin]), "filter \(mel) bin \(bin)")
            }
        }
        let sum = filters.weights.reduce(0.0) { $0 + Double($1) }
        #expect(abs(sum - golden.filterSum) < 1e-5)
    }

    @Test func audioOnlyLogMelMatchesTheGoldenFrames() throws {
        let golden = try GoldenLogMel.load()
        let mel = LogMelFrontEnd().spectrogram(of: GoldenLogMel.testSignal())
        let difference = try Self.compare(mel, golden, mode: "audio")
        print("log-mel (audio only) max abs difference from golden: \(difference)")
        #expect(difference < Self.tolerance)
    }

    @Test func thirtySecondWindowLogMelMatchesTheGoldenFrames() throws {
        let golden = try GoldenLogMel.load()
        let mel = LogMelFrontEnd().spectrogram(of: GoldenLogMel.testSignal(), options: .thirtySecondWindow)
        let difference = try Self.compare(mel, golden, mode: "window30s")
        print("log-mel (30 s window) max abs difference from golden: \(difference)")
        #expect(difference < Self.tolerance)
    }

    @Test func frameCountIsOnePerHopWithTheLastPartialFrameDropped() {
        let frontEnd = LogMelFrontEnd()
        #expect(frontEnd.spectrogram(of: []).frameCount == 0)
        #expect(frontEnd.spectrogram(of: [Float](repeating: 0.1, count: 159)).frameCount == 0)
        #expect(frontEnd.spectrogram(of: [Float](repeating: 0.1, count: 160)).frameCount == 1)
        #expect(frontEnd.spectrogram(of: [Float](repeating: 0.1, count: 64_000)).frameCount == 400)
        #expect(
            frontEnd.spectrogram(of: [Float](repeating: 0.1, count: 1600), options: .thirtySecondWindow).frameCount
                == 3000)
    }

    @Test func silenceGivesTheFloorEverywhereAndNoNaN() {
        let mel = LogMelFrontEnd().spectrogram(of: [Float](repeating: 0, count: 16_000))
        // log10(1e-10) = -10 everywhere, the maximum, so every value is (-10 + 4) / 4.
        #expect(mel.values.allSatisfy { $0 == -1.5 })
    }

    @Test func reflectPaddingMirrorsWithoutRepeatingTheEdge() {
        #expect(LogMelFrontEnd.reflectPadded([1, 2, 3, 4], by: 2) == [3, 2, 1, 2, 3, 4, 3, 2])
        // Shorter than the padding: reflected again, where torch would refuse.
        #expect(LogMelFrontEnd.reflectPadded([1, 2], by: 3) == [2, 1, 2, 1, 2, 1, 2, 1])
    }

    static func compare(_ mel: LogMelSpectrogram, _ golden: GoldenLogMel, mode: String) throws -> Float {
        let stats = try #require(golden.stats[mode])
        #expect(mel.frameCount == stats.frameCount)
        #expect(mel.melCount == 80)
        var largest: Float = 0
        largest = max(largest, abs((mel.values.min() ?? 0) - stats.minimum))
        largest = max(largest, abs((mel.values.max() ?? 0) - stats.maximum))
        let mean = Float(mel.values.reduce(0.0) { $0 + Double($1) } / Double(mel.values.count))
        largest = max(largest, abs(mean - stats.mean))
        for (frame, values) in try #require(golden.frames[mode]) {
            for bin in 0..<80 { largest = max(largest, abs(mel[mel: bin, frame: frame] - values[bin])) }
        }
        return largest
    }
}

@Suite struct LogMelBadInputTests {
    @Test func nanAndInfiniteSamplesCountAsSilenceInsteadOfPoisoningEveryValue() {
        var samples = GoldenLogMel.testSignal()
        let clean = LogMelFrontEnd().spectrogram(of: samples)
        samples[21_000] = .nan
        samples[22_000] = .infinity
        let dirty = LogMelFrontEnd().spectrogram(of: samples)
        #expect(dirty.values.allSatisfy { $0.isFinite })
        // Both land in the silent tail, so the spectrogram is unchanged.
        #expect(dirty == clean)
    }

    @Test func aFullScaleSquareWaveStaysFiniteAndWithinTheDynamicRange() {
        let samples = (0..<16_000).map { Float(($0 / 20) % 2 == 0 ? 1 : -1) }
        let mel = LogMelFrontEnd().spectrogram(of: samples)
        let largest = mel.values.max() ?? 0
        #expect(mel.values.allSatisfy { $0.isFinite && $0 >= largest - 2 })
    }
}
