import Foundation

/// Log energies in mel-spaced bands, by band-pass biquads (no FFT needed): the spectral picture the aligner
/// compares. `bandEnergies` gives (blocks, bands) log energies over blocks of `blockSamples`.
struct BandEnergies {
    /// Band centres, Hz.
    let centresHz: [Double]
    let sampleRateHz: Int

    init(sampleRateHz: Int, bandCount: Int = 24) {
        func mel(_ hz: Double) -> Double { 2595 * log10(1 + hz / 700) }
        func hz(_ mel: Double) -> Double { 700 * (pow(10, mel / 2595) - 1) }
        let low = mel(150)
        let high = mel(min(6_500, 0.45 * Double(sampleRateHz)))
        centresHz = (0..<bandCount).map { hz(low + (high - low) * Double($0) / Double(bandCount - 1)) }
        self.sampleRateHz = sampleRateHz
    }

    /// Log energy per block and band.  // (blocks, bands)
    func logEnergies(_ samples: [Float], blockSamples: Int) -> [[Float]] {
        let blocks = samples.count / blockSamples
        var result = [[Float]](repeating: [Float](repeating: 0, count: centresHz.count), count: blocks)
        guard blocks > 0 else { return result }
        for (band, centre) in centresHz.enumerated() {
            // RBJ band-pass, 0 dB peak, Q about 4 (bands overlap at their edges).
            let w0 = 2 * Double.pi * centre / Double(sampleRateHz)
            let alpha = sin(w0) / (2 * 4)
            let a0 = 1 + alpha
            let b0 = Float(alpha / a0)
            let a1 = Float(-2 * cos(w0) / a0)
            let a2 = Float((1 - alpha) / a0)
            var x1: Float = 0, x2: Float = 0, y1: Float = 0, y2: Float = 0
            samples.withUnsafeBufferPointer { input in
                for block in 0..<blocks {
                    var energy: Float = 0
                    for n in (block * blockSamples)..<((block + 1) * blockSamples) {
                        let x = input[n]
                        let y = b0 * x - b0 * x2 - a1 * y1 - a2 * y2
                        x2 = x1
                        x1 = x
                        y2 = y1
                        y1 = y
                        energy += y * y
                    }
                    result[block][band] = logf(energy / Float(blockSamples) + 1e-9)
                }
            }
        }
        return result
    }
}

/// Aligns a recording to a template that says the same phones with known boundaries (our formant voice): dynamic
/// time warping over cepstra of mel band energies every 10 ms (each utterance's mean removed, so the two
/// speakers' different voices and channels cancel), then each mapped boundary moved to the largest spectral change
/// within `refineMilliseconds` of it (2.5 ms steps).
public struct SpeechAligner: Sendable {
    public var sampleRateHz: Int
    /// Feature hop, ms.
    public var hopMilliseconds = 10.0
    /// How far a boundary may move when refined, ms (0: take the warping's answer as it is).
    public var refineMilliseconds = 15.0

    public init(sampleRateHz: Int) { self.sampleRateHz = sampleRateHz }

    var hopSamples: Int { Int(Double(sampleRateHz) * hopMilliseconds / 1000) }

    /// Cepstra (c0 weighted down, c1-c12) per hop, utterance mean removed.  // (frames, 13)
    func features(_ samples: [Float]) -> [[Float]] {
        let bands = BandEnergies(sampleRateHz: sampleRateHz)
        let energies = bands.logEnergies(samples, blockSamples: hopSamples)
        let count = bands.centresHz.count
        var frames = energies.map { row -> [Float] in
            (0..<13).map { k in
                var sum: Float = 0
                for (index, value) in row.enumerated() {
                    sum += value * cosf(Float.pi * Float(k) * (Float(index) + 0.5) / Float(count))
                }
                return k == 0 ? sum * 0.3 / Float(count) : sum * 2 / Float(count)
            }
        }
        guard !frames.isEmpty else { return frames }
        for k in 1..<13 {
            let mean = frames.reduce(0) { $0 + $1[k] } / Float(frames.count)
            for index in frames.indices { frames[index][k] -= mean }
        }
        return frames
    }

    /// The warping path's average frame distance and, for each template frame, the recording frame it maps to
    /// (the mean of the recording frames the path pairs with it).
    func warp(template: [[Float]], recording: [[Float]]) -> (cost: Double, map: [Double]) {
        let rows = template.count
        let columns = recording.count
        guard rows > 0, columns > 0 else { return (0, []) }
        func distance(_ a: [Float], _ b: [Float]) -> Float {
            var sum: Float = 0
            for k in a.indices {
                let d = a[k] - b[k]
                sum += d * d
            }
            return sum.squareRoot()
        }
        // Accumulated cost, row by row.  // (rows, columns)
        var total = [Float](repeating: .infinity, count: rows * columns)
        var steps = [UInt8](repeating: 0, count: rows * columns)
        for i in 0..<rows {
            for j in 0..<columns {
                let local = distance(template[i], recording[j])
                if i == 0 && j == 0 {
                    total[0] = local
                    continue
                }
                var best = Float.infinity
                var step: UInt8 = 0
                if i > 0 && j > 0 && total[(i - 1) * columns + j - 1] < best {
                    best = total[(i - 1) * columns + j - 1]
                    step = 0
                }
                if i > 0 && total[(i - 1) * columns + j] < best {
                    best = total[(i - 1) * columns + j]
                    step = 1
                }
                if j > 0 && total[i * columns + j - 1] < best {
                    best = total[i * columns + j - 1]
                    step = 2
                }
                total[i * columns + j] = best + local
                steps[i * columns + j] = step
            }
        }
        var sums = [Double](repeating: 0, count: rows)
        var counts = [Double](repeating: 0, count: rows)
        var i = rows - 1
        var j = columns - 1
        var length = 0
        while true {
            sums[i] += Double(j)
            counts[i] += 1
            length += 1
            if i == 0 && j == 0 { break }
            switch steps[i * columns + j] {
            case 0:
                i -= 1
                j -= 1
            case 1: i -= 1
            default: j -= 1
            }
        }
        let map = zip(sums, counts).map { $0 / $1 }
        return (Double(total[rows * columns - 1]) / Double(length), map)
    }

    /// Boundaries (samples) in the recording for boundaries (samples) in the template, and the warping's cost.
    public func align(
        template: [Float], boundaries: [Int], recording: [Float]
    ) -> (boundaries: [Int], cost: Double) {
        let hop = Double(hopSamples)
        let (cost, map) = warp(template: features(template), recording: features(recording))
        guard !map.isEmpty else { return (boundaries, cost) }
        var mapped: [Int] = boundaries.map { boundary in
            // Frame centres are at (k + 0.5) hops; interpolate the map between them.
            let position = min(Double(map.count - 1), max(0, Double(boundary) / hop - 0.5))
            let low = Int(position)
            let high = min(low + 1, map.count - 1)
            let frame = map[low] + (map[high] - map[low]) * (position - Double(low))
            return min(recording.count, max(0, Int(((frame + 0.5) * hop).rounded())))
        }
        if refineMilliseconds > 0 { mapped = refine(mapped, in: recording) }
        // Keep them in order, at least 5 ms apart.
        let gap = sampleRateHz / 200
        for index in mapped.indices.dropFirst() where mapped[index] < mapped[index - 1] + gap {
            mapped[index] = min(recording.count, mapped[index - 1] + gap)
        }
        return (mapped, cost)
    }

    /// Moves each boundary to the largest change between the 10 ms of band energies before and after it, within
    /// `refineMilliseconds`, with a small pull toward where the warping put it.
    func refine(_ boundaries: [Int], in recording: [Float]) -> [Int] {
        let block = max(1, sampleRateHz / 400)  // 2.5 ms
        let energies = BandEnergies(sampleRateHz: sampleRateHz).logEnergies(recording, blockSamples: block)
        let side = 4  // blocks: 10 ms either side
        let reach = Int(refineMilliseconds / 2.5)
        guard energies.count > 2 * side else { return boundaries }
        let bands = energies[0].count
        // Prefix sums per band for window means.  // (blocks + 1, bands)
        var prefix = [[Float]](repeating: [Float](repeating: 0, count: bands), count: energies.count + 1)
        for index in energies.indices {
            for band in 0..<bands { prefix[index + 1][band] = prefix[index][band] + energies[index][band] }
        }
        func change(_ at: Int) -> Float {
            var sum: Float = 0
            for band in 0..<bands {
                let before = (prefix[at][band] - prefix[at - side][band]) / Float(side)
                let after = (prefix[at + side][band] - prefix[at][band]) / Float(side)
                sum += (after - before) * (after - before)
            }
            return sum.squareRoot()
        }
        return boundaries.map { boundary in
            let centre = Int((Double(boundary) / Double(block)).rounded())
            let lower = max(side, centre - reach)
            let upper = min(energies.count - side, centre + reach)
            guard lower <= upper else { return boundary }
            var best = centre
            var bestScore = -Float.infinity
            for at in lower...upper {
                let score = change(at) * (1 - 0.3 * Float(abs(at - centre)) / Float(max(1, reach)))
                if score > bestScore {
                    bestScore = score
                    best = at
                }
            }
            return min(recording.count, best * block)
        }
    }
}
