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
}
