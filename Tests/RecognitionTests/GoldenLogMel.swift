import Foundation
import Testing

@testable import Recognition

/// The golden file written by Scripts/golden/whisper-logmel.py (see Golden/README.md), parsed.
struct GoldenLogMel {
    struct Stats {
        var frameCount: Int
        var minimum: Float
        var maximum: Float
        var mean: Float
    }

    var filterRows: [Int: [Float]] = [:]
    var filterSum: Double = 0
    var signalSum: Double = 0
    var stats: [String: Stats] = [:]
    /// (mode, frame) -> 80 values.
    var frames: [String: [Int: [Float]]] = [:]

    static func load() throws -> GoldenLogMel {
        let folder = try #require(Bundle.module.url(forResource: "Golden", withExtension: nil))
        let url = folder.appendingPathComponent("whisper-logmel.tsv")
        var golden = GoldenLogMel()
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t").map(String.init)
            switch fields[0] {
            case "filter": golden.filterRows[Int(fields[1])!] = fields[2...].map { Float($0)! }
            case "filtersum": golden.filterSum = Double(fields[1])!
            case "signalsum": golden.signalSum = Double(fields[1])!
            case "stats":
                golden.stats[fields[1]] = Stats(
                    frameCount: Int(fields[2])!, minimum: Float(fields[3])!, maximum: Float(fields[4])!,
                    mean: Float(fields[5])!)
            case "frame": golden.frames[fields[1], default: [:]][Int(fields[2])!] = fields[3...].map { Float($0)! }
            default: throw GoldenError.unknownLine(String(line.prefix(40)))
            }
        }
        return golden
    }

    enum GoldenError: Error { case unknownLine(String) }

    /// The test signal of Scripts/golden/whisper-logmel.py: a 440 Hz tone plus a 100-7000 Hz chirp, 1.5 s, the last
    /// 0.25 s silent; computed in Double, rounded to Float.
    static func testSignal() -> [Float] {
        (0..<24_000).map { n in
            if n >= 20_000 { return 0 }
            let t = Double(n) / 16_000
            return Float(0.4 * sin(2 * Double.pi * 440 * t) + 0.3 * sin(2 * Double.pi * (100 * t + 2300 * t * t)))
        }
    }
}
