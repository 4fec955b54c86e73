import Foundation
import Testing

@testable import Kernels

@Suite("Kernel benchmark")
struct KernelBenchmarkTests {
    /// Not a timing test: it checks that the benchmark runs and reports one figure per shape and type.
    @Test func reportsAFigurePerShapeAndType() {
        var options = KernelBenchmarkOptions(threadCount: 2, repetitions: 1)
        options.matvecShapes = [(rows: 33, cols: 256)]
        options.matvecTypes = [.q4_1, .q6_K]
        options.sgemmSize = 16
        let figures = runKernelBenchmark(options: options)
        #expect(figures.matvecs.map(\.type) == [.q4_1, .q6_K])
        #expect(figures.matvecs.allSatisfy { $0.seconds > 0 && $0.gigabytesPerSecond > 0 })
        #expect(figures.sgemmGigaflopsPerSecond > 0)
    }

    // TEMPORARY: prints the full benchmark when KERNELS_BENCHMARK_PRINT is set (run in a release build).
    @Test func printsTheFullBenchmarkWhenAsked() {
        guard let threads = ProcessInfo.processInfo.environment["KERNELS_BENCHMARK_PRINT"].flatMap(Int.init) else {
            return
        }
        let f = runKernelBenchmark(options: KernelBenchmarkOptions(threadCount: threads, repetitions: 15))
        for m in f.matvecs {
            let time = String(format: "%.3f ms, %.1f GB/s", m.seconds * 1e3, m.gigabytesPerSecond)
            print("BENCH \(m.type) \(m.rows)x\(m.cols) threads \(f.threadCount) \(f.dotKernel): \(time)")
        }
        let sgemm = String(format: "%.1f GFLOP/s", f.sgemmGigaflopsPerSecond)
        print("BENCH sgemm \(f.sgemmSize)^3 threads \(f.threadCount): \(sgemm)")
    }
}
