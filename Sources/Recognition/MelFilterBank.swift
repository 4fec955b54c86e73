import Foundation

/// Triangular mel filters on the Slaney scale with Slaney (area) normalization, as librosa and Whisper define them.
///
/// Whisper's `mel_filters.npz` holds `librosa.filters.mel(sr=16000, n_fft=400, n_mels=80)`: `melCount + 2` edge
/// frequencies evenly spaced in Slaney mels from 0 Hz to the Nyquist frequency; filter `m` rises from edge `m` to
/// edge `m + 1` and falls to edge `m + 2` over the FFT bin frequencies `k * sampleRate / fftSize`, and is scaled by
/// `2 / (edge[m + 2] - edge[m])` so each has unit area in Hz. Computed in Double, stored as Float, as librosa does.
public struct MelFilterBank: Sendable, Equatable {
    /// The number of mel bins (80 for Whisper).
    public let melCount: Int
    /// The number of FFT bins each filter spans: `fftSize / 2 + 1` (201 for Whisper).
    public let frequencyCount: Int
    /// The weights, one row of `frequencyCount` values per mel bin. // (melCount, frequencyCount)
    public let weights: [Float]

    /// Whisper's filters: 80 bins for a 400-point FFT at 16 kHz.
    public static let whisper = MelFilterBank.slaney(sampleRateHz: 16_000, fftSize: 400, melCount: 80)

    /// Filters from stored weights (a GGUF tensor), `melCount` rows of `frequencyCount` values.
    public init(melCount: Int, frequencyCount: Int, weights: [Float]) {
        precondition(weights.count == melCount * frequencyCount, "weights must be melCount x frequencyCount")
        self.melCount = melCount
        self.frequencyCount = frequencyCount
        self.weights = weights
    }

    /// Computes Slaney-scale, Slaney-normalized filters from 0 Hz to `sampleRateHz / 2`.
    public static func slaney(sampleRateHz: Int, fftSize: Int, melCount: Int) -> MelFilterBank {
        let frequencyCount = fftSize / 2 + 1
        let nyquist = Double(sampleRateHz) / 2
        let binHz = (0..<frequencyCount).map { Double($0) * nyquist / Double(frequencyCount - 1) }
        let lowMel = slaneyMel(hz: 0)
        let highMel = slaneyMel(hz: nyquist)
        let edgesHz = (0..<(melCount + 2)).map {
            slaneyHz(mel: lowMel + (highMel - lowMel) * Double($0) / Double(melCount + 1))
        }
        var weights = [Float](repeating: 0, count: melCount * frequencyCount)
        for mel in 0..<melCount {
            let (left, center, right) = (edgesHz[mel], edgesHz[mel + 1], edgesHz[mel + 2])
            let area = 2 / (right - left)
            for bin in 0..<frequencyCount {
                let rising = (binHz[bin] - left) / (center - left)
                let falling = (right - binHz[bin]) / (right - center)
                let weight = max(0, min(rising, falling))
                weights[mel * frequencyCount + bin] = Float(weight * area)
            }
        }
        return MelFilterBank(melCount: melCount, frequencyCount: frequencyCount, weights: weights)
    }

    /// Hz to Slaney mels: linear below 1 kHz (3 mels per 200 Hz), logarithmic above (27 mels per factor 6.4).
    public static func slaneyMel(hz: Double) -> Double {
        let linearStepHz = 200.0 / 3
        if hz < 1000 { return hz / linearStepHz }
        return 1000 / linearStepHz + log(hz / 1000) / (log(6.4) / 27)
    }

    /// Slaney mels to Hz, the inverse of `slaneyMel(hz:)`.
    public static func slaneyHz(mel: Double) -> Double {
        let linearStepHz = 200.0 / 3
        let breakMel = 1000 / linearStepHz
        if mel < breakMel { return mel * linearStepHz }
        return 1000 * exp((log(6.4) / 27) * (mel - breakMel))
    }

    /// Each filter's nonzero span `(first bin, weights)`, so applying the bank costs about two weights per bin.
    func sparseRows() -> [(first: Int, weights: [Float])] {
        (0..<melCount).map { mel in
            let row = weights[(mel * frequencyCount)..<((mel + 1) * frequencyCount)]
            guard let first = row.firstIndex(where: { $0 != 0 }), let last = row.lastIndex(where: { $0 != 0 }) else {
                return (0, [])
            }
            return (first - mel * frequencyCount, Array(row[first...last]))
        }
    }
}
