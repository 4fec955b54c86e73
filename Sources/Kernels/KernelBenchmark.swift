// The kernel benchmark behind `tutor bench kernels`: matrix-vector products at SmolLM2-135M's shapes and an
// sgemm, reported as what bounds them (weight bytes read per second, floating-point operations per second).
import Dispatch

/// One matrix-vector product's speed.
public struct MatvecBenchmarkFigure: Sendable, Equatable {
    /// The weight type.
    public var type: TensorType
    /// The weight matrix's rows (outputs).
    public var rows: Int
    /// The weight matrix's columns (inputs).
    public var cols: Int
    /// The median time of one product, in seconds.
    public var seconds: Double
    /// Weight bytes read per second, in GB/s (10⁹ bytes): compare with the memory bandwidth.
    public var gigabytesPerSecond: Double
}

/// The figures of one benchmark run.
public struct KernelBenchmarkFigures: Sendable, Equatable {
    /// The thread count every kernel ran on.
    public var threadCount: Int
    /// Which dot-product code the quantized products used: "avx2" (CKernels) or "swift".
    public var dotKernel: String
    /// Matrix-vector products, one per shape and type.
    public var matvecs: [MatvecBenchmarkFigure]
    /// The sgemm's size n (an n × n by n × n product).
    public var sgemmSize: Int
    /// The sgemm's median time, in seconds.
    public var sgemmSeconds: Double
    /// The sgemm's speed, in GFLOP/s (2 n³ operations per product).
    public var sgemmGigaflopsPerSecond: Double
}

/// What to measure and for how long.
public struct KernelBenchmarkOptions: Sendable {
    /// Worker threads for every kernel. Default: the active core count.
    public var threadCount = defaultKernelThreadCount
    /// Matrix shapes (rows, cols): SmolLM2-135M's attention output and FFN up (1536 × 576), FFN down (576 × 1536)
    /// and its output head (49152 × 576).
    public var matvecShapes: [(rows: Int, cols: Int)] = [(576, 1536), (1536, 576), (49_152, 576)]
    /// Weight types to measure.
    public var matvecTypes: [TensorType] = [.q4_1, .q8_0]
    /// The sgemm's n.
    public var sgemmSize = 512
    /// Repetitions per figure; the median is reported.
    public var repetitions = 9

    /// The shapes and types above.
    public static let `default` = KernelBenchmarkOptions()

    /// Options with the given thread count and repetitions.
    public init(threadCount: Int = defaultKernelThreadCount, repetitions: Int = 9) {
        self.threadCount = threadCount
        self.repetitions = repetitions
    }
}

/// Runs the kernel benchmark: synthetic weights (one random row repeated, so that building them is quick), timed
/// with a monotonic clock, median of `repetitions` after one warm-up. Takes a few seconds in a release build.
public func runKernelBenchmark(options: KernelBenchmarkOptions = .default) -> KernelBenchmarkFigures {
    var generator = SystemRandomNumberGenerator()
    var matvecs: [MatvecBenchmarkFigure] = []
    for type in options.matvecTypes {
        for (rows, cols) in options.matvecShapes {
            let row = quantizeRow(type, (0..<cols).map { _ in Float.random(in: -1...1, using: &generator) })
            let weights = UnsafeMutableRawBufferPointer.allocate(byteCount: rows * row.count, alignment: 64)
            defer { weights.deallocate() }  // (rows, rowByteCount)
            for r in 0..<rows {
                UnsafeMutableRawBufferPointer(rebasing: weights[(r * row.count)..<((r + 1) * row.count)]).copyBytes(
                    from: row)
            }
            let w = WeightMatrix(type: type, rows: rows, cols: cols, data: UnsafeRawBufferPointer(weights))
            let x = (0..<cols).map { _ in Float.random(in: -1...1, using: &generator) }  // (cols)
            var y = [Float](repeating: 0, count: rows)  // (rows)
            let seconds = x.withUnsafeBufferPointer { x in
                y.withUnsafeMutableBufferPointer { y in
                    medianSeconds(options.repetitions) { matvec(w, x, y, threadCount: options.threadCount) }
                }
            }
            matvecs.append(
                MatvecBenchmarkFigure(
                    type: type, rows: rows, cols: cols, seconds: seconds,
                    gigabytesPerSecond: Double(w.byteCount) / seconds / 1e9))
        }
    }
    let n = options.sgemmSize
    let a = (0..<(n * n)).map { _ in Float.random(in: -1...1, using: &generator) }  // (n, n)
    var c = [Float](repeating: 0, count: n * n)  // (n, n)
    let sgemmSeconds = a.withUnsafeBufferPointer { a in
        c.withUnsafeMutableBufferPointer { c in
            medianSeconds(options.repetitions) {
                sgemm(
                    a.baseAddress!, a.baseAddress!, c.baseAddress!, m: n, n: n, k: n, threadCount: options.threadCount)
            }
        }
    }
    return KernelBenchmarkFigures(
        threadCount: options.threadCount, dotKernel: bestDotKernel.rawValue, matvecs: matvecs, sgemmSize: n,
        sgemmSeconds: sgemmSeconds,
        sgemmGigaflopsPerSecond: 2 * Double(n) * Double(n) * Double(n) / sgemmSeconds / 1e9)
}

/// The median wall time of `repetitions` runs of `body`, after one warm-up run.
private func medianSeconds(_ repetitions: Int, _ body: () -> Void) -> Double {
    body()
    var times: [Double] = []
    for _ in 0..<max(1, repetitions) {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return times.sorted()[times.count / 2]
}
