import CKernels
import Dispatch
import Foundation
import Synchronization
import Testing

@testable import Kernels

@Suite("Kernel thread pool")
struct KernelThreadPoolTests {
    @Test func everyChunkRunsExactlyOnceOverManyJobs() {
        let pool = KernelThreadPool(workerCount: 2)
        for job in 0..<500 {
            let chunks = 1 + job % 7
            let counts = Mutex([Int](repeating: 0, count: chunks))
            pool.run(chunks: chunks, threadCount: 3) { chunk in counts.withLock { $0[chunk] += 1 } }
            #expect(counts.withLock { $0 } == [Int](repeating: 1, count: chunks), "job \(job)")
        }
    }

    @Test func callsFromSeveralThreadsAtOnceAllComplete() {
        let pool = KernelThreadPool(workerCount: 1)
        let total = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<50 {
                pool.run(chunks: 4, threadCount: 2) { _ in total.add(1, ordering: .relaxed) }
            }
        }
        #expect(total.load(ordering: .relaxed) == 8 * 50 * 4)
    }
}

@Suite("Kernel thread pool limits")
struct KernelThreadPoolLimitTests {
    @Test func neverRunsOnMoreThreadsThanAsked() {
        let pool = KernelThreadPool(workerCount: 3)
        for _ in 0..<200 {
            let threads = Mutex(Set<ObjectIdentifier>())
            pool.run(chunks: 16, threadCount: 2) { _ in
                let me = ObjectIdentifier(Thread.current)
                threads.withLock { _ = $0.insert(me) }
                for _ in 0..<1000 { ck_spin_pause() }
            }
            #expect(threads.withLock { $0.count } <= 2)
        }
    }
}
