// The workers behind every multithreaded kernel. A decode step runs a few hundred matrix-vector products of 20-100
// µs each; waking a libdispatch worker takes about 15 µs on this machine, which ate the second core's gain. So, as
// llama.cpp does, a fixed set of workers spins briefly between jobs (then sleeps), and a job is published with one
// atomic store. Chunks are claimed one at a time, by the caller too: a worker that the scheduler keeps off the CPU
// delays nothing, the others take its chunks.
import CKernels
import Foundation
import Synchronization

/// A fixed set of worker threads that run the chunks of one kernel call at a time, with the calling thread.
///
/// One job at a time: a call made while another is running (from another thread, or nested inside a job) does not
/// wait; it runs on libdispatch instead. Workers spin for about a millisecond after a job, then sleep until the next.
final class KernelThreadPool: @unchecked Sendable {
    /// The process-wide pool: one worker per core beside the calling thread.
    static let shared = KernelThreadPool(workerCount: max(0, ProcessInfo.processInfo.activeProcessorCount - 1))

    /// The number of worker threads (the caller makes one more participant).
    let workerCount: Int
    /// The current job's claim word: generation << 40 | participants << 32 | chunk count << 16 | next unclaimed
    /// chunk. Workers wait for its generation to change; worker i joins in when i < participants (the caller is
    /// participant 0) and claims a chunk by moving "next" on with a compare-and-exchange.
    private let claim = Atomic<Int>(0)
    /// Chunks of the current job that have finished.
    private let completed = Atomic<Int>(0)
    /// Whether a job is running.
    private let busy = Atomic<Bool>(false)
    /// Wakes workers that gave up spinning.
    private let wakeUp = NSCondition()
    /// The current job's body: written by the caller before the claim word is published, read by a worker only
    /// while it holds a claimed chunk (the caller does not move on until every claimed chunk has finished).
    nonisolated(unsafe) private var body: ((Int) -> Void)?
    /// The caller's generation counter (only the caller, holding `busy`, touches it).
    nonisolated(unsafe) private var generation = 0
    /// Whether the workers exist yet (they start on the first job).
    private let started = Atomic<Bool>(false)
    /// How many pauses a worker spins through before it sleeps: roughly a millisecond.
    private let spinLimit = 20_000

    init(workerCount: Int) {
        self.workerCount = workerCount
    }

    /// Runs `body(chunk)` for every chunk in 0..<chunks on at most `threadCount` threads (the caller included).
    func run(chunks: Int, threadCount: Int, _ body: (Int) -> Void) {
        precondition(chunks < 1 << 16, "KernelThreadPool: too many chunks")
        let participants = min(threadCount, workerCount + 1, 255)
        guard min(threadCount, chunks) > 1, workerCount > 0,
            busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else {
            runOnDispatch(chunks: chunks, threadCount: threadCount, body)
            return
        }
        defer { busy.store(false, ordering: .releasing) }
        startWorkersIfNeeded()
        withoutActuallyEscaping(body) { body in
            self.body = body
            generation += 1
            completed.store(0, ordering: .relaxed)
            claim.store(generation << 40 | participants << 32 | chunks << 16, ordering: .releasing)
            wakeUp.lock()
            wakeUp.broadcast()
            wakeUp.unlock()
            while let chunk = claimChunk(generation: generation) {
                body(chunk)
                completed.add(1, ordering: .releasing)
            }
            // A worker holding a chunk may have been preempted (other processes on the cores): after a while,
            // give the core away instead of spinning through its time slice.
            var spins = 0
            while completed.load(ordering: .acquiring) < chunks {
                spins += 1
                if spins < spinLimit { ck_spin_pause() } else { sched_yield() }
            }
            self.body = nil
        }
    }

    /// Takes the next chunk of job `generation`, or nil when that job has none left (or is over).
    private func claimChunk(generation: Int) -> Int? {
        var word = claim.load(ordering: .acquiring)
        while true {
            let next = word & 0xFFFF
            guard word >> 40 == generation, next < (word >> 16) & 0xFFFF else { return nil }
            let (exchanged, original) = claim.compareExchange(
                expected: word, desired: word + 1, ordering: .acquiringAndReleasing)
            if exchanged { return next }
            word = original
        }
    }

    /// The fallback when the pool is busy or has no workers: libdispatch's workers.
    private func runOnDispatch(chunks: Int, threadCount: Int, _ body: (Int) -> Void) {
        if min(threadCount, chunks) <= 1 {
            for chunk in 0..<chunks { body(chunk) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedSendableBox(value: body)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in box.value(chunk) }
        }
    }

    private func startWorkersIfNeeded() {
        guard started.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        for index in 1...workerCount {
            let thread = Thread { [self] in workerLoop(index: index) }
            thread.name = "kernels-\(index)"
            thread.start()
        }
    }

    /// A worker's life: wait for a new generation (spinning, then sleeping), claim and run chunks, repeat.
    private func workerLoop(index: Int) {
        var seen = 0
        while true {
            var spins = 0
            var current = claim.load(ordering: .acquiring) >> 40
            while current == seen {
                spins += 1
                if spins < spinLimit {
                    ck_spin_pause()
                } else {
                    wakeUp.lock()
                    while claim.load(ordering: .acquiring) >> 40 == seen { wakeUp.wait() }
                    wakeUp.unlock()
                    spins = 0
                }
                current = claim.load(ordering: .acquiring) >> 40
            }
            seen = current
            guard index < (claim.load(ordering: .acquiring) >> 32) & 0xFF else { continue }
            while let chunk = claimChunk(generation: current) {
                body!(chunk)
                completed.add(1, ordering: .releasing)
            }
        }
    }
}
