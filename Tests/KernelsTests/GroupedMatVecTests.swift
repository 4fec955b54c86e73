import Testing

@testable import Kernels

@Suite("Grouped matrix-vector products")
struct GroupedMatVecTests {
    /// The group splits the rows of all its matrices into chunks as one matrix; each row's arithmetic is unchanged, so
    /// the results equal one `matvec` per matrix exactly (and the reference within the quantization's 1e-2).
    @Test(arguments: [TensorType.q4_1, .q8_0, .q4_K, .f16, .f32])
    func aGroupEqualsOneProductPerMatrix(type: TensorType) {
        var generator = SeededGenerator(seed: 17)
        let cols = type.blockElementCount == 256 ? 512 : 192
        let rowCounts = [37, 13, 13]  // q, k and v of a grouped-query layer, say
        let matrices = rowCounts.map { randomMatrix(type, rows: $0, cols: cols, using: &generator) }
        let x = randomFloats(cols, using: &generator)
        for kernel in [DotKernel.swift, bestDotKernel] {
            for threads in [1, 2, 3] {
                var outputs = rowCounts.map { [Float](repeating: .nan, count: $0) }
                withMatrices(type, matrices, rowCounts, cols) { weights in
                    x.withUnsafeBufferPointer { x in
                        let pointers = outputs.indices.map { i in
                            UnsafeMutableBufferPointer<Float>.allocate(capacity: rowCounts[i])
                        }
                        defer { pointers.forEach { $0.deallocate() } }
                        let products = zip(weights, pointers).map { MatVecProduct($0, $1) }
                        matvec(products, x, threadCount: threads, kernel: kernel)
                        for i in outputs.indices { outputs[i] = Array(pointers[i]) }
                    }
                }
                for i in rowCounts.indices {
                    let one = product(type, matrices[i], rows: rowCounts[i], cols: cols, x) {
                        matvec($0, $1, $2, threadCount: 1, kernel: kernel)
                    }
                    let reference = product(type, matrices[i], rows: rowCounts[i], cols: cols, x) {
                        matvecReference($0, $1, $2)
                    }
                    #expect(outputs[i] == one, "\(type) \(kernel) matrix \(i) on \(threads) threads")
                    #expect(relativeError(outputs[i], reference) < 1e-2, "\(type) \(kernel) matrix \(i)")
                }
            }
        }
    }

    @Test func matricesOfDifferentWidthsRunOneAtATime() {
        var generator = SeededGenerator(seed: 19)
        let a = randomMatrix(.q4_1, rows: 9, cols: 64, using: &generator)
        let b = randomMatrix(.q4_K, rows: 5, cols: 256, using: &generator)
        let x = randomFloats(256, using: &generator)
        var ya = [Float](repeating: .nan, count: 9)
        var yb = [Float](repeating: .nan, count: 5)
        a.withUnsafeBytes { a in
            b.withUnsafeBytes { b in
                ya.withUnsafeMutableBufferPointer { ya in
                    yb.withUnsafeMutableBufferPointer { yb in
                        x.withUnsafeBufferPointer { x in
                            matvec(
                                [
                                    MatVecProduct(WeightMatrix(type: .q4_1, rows: 9, cols: 64, data: a), ya),
                                    MatVecProduct(WeightMatrix(type: .q4_K, rows: 5, cols: 256, data: b), yb),
                                ], x, threadCount: 2)
                        }
                    }
                }
            }
        }
        let expectedA = product(.q4_1, a, rows: 9, cols: 64, Array(x[0..<64])) { matvec($0, $1, $2, threadCount: 1) }
        let expectedB = product(.q4_K, b, rows: 5, cols: 256, x) { matvec($0, $1, $2, threadCount: 1) }
        #expect(ya == expectedA)
        #expect(yb == expectedB)
    }

    /// Runs `body` with WeightMatrix views of `matrices`.
    private func withMatrices(
        _ type: TensorType, _ matrices: [[UInt8]], _ rows: [Int], _ cols: Int, _ body: ([WeightMatrix]) -> Void
    ) {
        let copies = matrices.map { bytes in
            let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 64)
            bytes.withUnsafeBytes { raw.copyMemory(from: $0) }
            return raw
        }
        defer { copies.forEach { $0.deallocate() } }
        body(
            copies.indices.map {
                WeightMatrix(type: type, rows: rows[$0], cols: cols, data: UnsafeRawBufferPointer(copies[$0]))
            })
    }
}
