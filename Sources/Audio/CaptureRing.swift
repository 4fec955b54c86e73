import Foundation
import TutorCore

/// A bounded buffer of live mono samples between the capture thread (one producer) and the pipeline (one consumer).
///
/// When the consumer falls behind, the oldest audio is dropped and counted, so what remains is always the newest:
/// a stale question is worth less than the child's current words. The producer never waits.
///
/// Thread safety: one thread writes, one thread reads. A short lock guards the indices because dropping the oldest
/// audio moves the read position from the producer's side, which a lock-free SPSC ring cannot do safely; at 50
/// writes a second the lock is never contended long.
public final class CaptureRing: @unchecked Sendable {
    /// Samples the ring holds at most.
    public let capacity: Int
    /// Rate of the samples in the ring.
    public let sampleRateHz: Int

    private let counters: AudioCounters
    private let condition = NSCondition()
    private var storage: [Float]
    private var readIndex = 0
    private var count = 0
    private var finished = false
    private var writtenTotal = 0
    /// The async consumer parked until samples arrive (one consumer, so at most one).
    private var asyncWaiter: CheckedContinuation<Void, Never>?

    /// Creates a ring holding `capacityMilliseconds` of audio at `sampleRateHz`; drops go to `counters`.
    public init(capacityMilliseconds: Int, sampleRateHz: Int = speechSampleRateHz, counters: AudioCounters) {
        self.sampleRateHz = sampleRateHz
        self.capacity = max(1, capacityMilliseconds * sampleRateHz / 1000)
        self.counters = counters
        self.storage = [Float](repeating: 0, count: capacity)
    }

    /// Samples waiting to be read.
    public var availableCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return count
    }

    /// Samples ever written, including those dropped later.
    public var writtenCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return writtenTotal
    }

    /// True once the source has ended and every sample has been read.
    public var isEndOfStream: Bool {
        condition.lock()
        defer { condition.unlock() }
        return finished && count == 0
    }

    /// Appends samples, dropping (and counting) the oldest ones if the ring would overflow. Never blocks.
    public func write(_ samples: [Float]) {
        guard !samples.isEmpty else { return }
        condition.lock()
        let waiter = asyncWaiter
        asyncWaiter = nil
        defer {
            condition.unlock()
            condition.broadcast()
            waiter?.resume()
        }
        writtenTotal += samples.count
        // Only the newest `capacity` samples of a write can survive it.
        let kept = samples.suffix(capacity)
        var dropped = samples.count - kept.count
        let overflow = count + kept.count - capacity
        if overflow > 0 {
            readIndex = (readIndex + overflow) % capacity
            count -= overflow
            dropped += overflow
        }
        var writeIndex = (readIndex + count) % capacity
        for sample in kept {
            storage[writeIndex] = sample
            writeIndex += 1
            if writeIndex == capacity { writeIndex = 0 }
        }
        count += kept.count
        if dropped > 0 { counters.addDroppedFrames(dropped) }
    }

    /// Marks the end of the source: readers get what is left, then end-of-stream.
    public func finish() {
        condition.lock()
        finished = true
        let waiter = asyncWaiter
        asyncWaiter = nil
        condition.unlock()
        condition.broadcast()
        waiter?.resume()
    }

    /// Reads up to `maxCount` samples without waiting; empty when nothing is there yet.
    public func read(upTo maxCount: Int) -> [Float] {
        condition.lock()
        defer { condition.unlock() }
        return takeLocked(maxCount)
    }

    /// Waits up to `timeoutSeconds` for samples, then reads up to `maxCount`.
    ///
    /// Returns nil at end-of-stream (source finished and drained), an empty array on timeout.
    public func read(upTo maxCount: Int, waitingUpTo timeoutSeconds: Double) -> [Float]? {
        let deadline = Date(timeIntervalSinceNow: timeoutSeconds)
        condition.lock()
        defer { condition.unlock() }
        while count == 0 && !finished {
            if !condition.wait(until: deadline) { break }
        }
        if count == 0 && finished { return nil }
        return takeLocked(maxCount)
    }

    /// Suspends (without blocking a thread of the cooperative pool) until samples arrive, then reads up to
    /// `maxCount`; nil at end-of-stream.
    ///
    /// Cancellation is noticed at the next write, which a running capture makes every period (about 20 ms).
    public func nextSamples(upTo maxCount: Int) async -> [Float]? {
        while true {
            if let ready = takeIfReady(maxCount) { return ready.isEmpty ? nil : ready }
            if Task.isCancelled { return [] }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                park(continuation)
            }
        }
    }

    /// Samples if there are any, an empty array at end-of-stream, nil if the consumer has to wait.
    private func takeIfReady(_ maxCount: Int) -> [Float]? {
        condition.lock()
        defer { condition.unlock() }
        if count > 0 { return takeLocked(maxCount) }
        return finished ? [] : nil
    }

    /// Parks the async consumer unless samples or the end arrived since it last looked.
    private func park(_ continuation: CheckedContinuation<Void, Never>) {
        condition.lock()
        if count > 0 || finished {
            condition.unlock()
            continuation.resume()
            return
        }
        asyncWaiter = continuation
        condition.unlock()
    }

    /// Reads everything until end-of-stream, waiting as needed; for finite sources such as a virtual microphone.
    ///
    /// Gives up after `timeoutSeconds` without new samples and returns what arrived.
    public func readToEnd(idleTimeoutSeconds: Double = 5) -> [Float] {
        var all: [Float] = []
        while let chunk = read(upTo: capacity, waitingUpTo: idleTimeoutSeconds) {
            if chunk.isEmpty { break }
            all.append(contentsOf: chunk)
        }
        return all
    }

    private func takeLocked(_ maxCount: Int) -> [Float] {
        let taken = min(maxCount, count)
        guard taken > 0 else { return [] }
        var result = [Float]()
        result.reserveCapacity(taken)
        let firstRun = min(taken, capacity - readIndex)
        result.append(contentsOf: storage[readIndex..<(readIndex + firstRun)])
        if firstRun < taken { result.append(contentsOf: storage[0..<(taken - firstRun)]) }
        readIndex = (readIndex + taken) % capacity
        count -= taken
        return result
    }
}
